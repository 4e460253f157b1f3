"""Questions: any text in a private chat; in groups ``/ask``, a mention of the bot or a reply
to it (privacy mode shows the bot nothing else). Also the answer's pages and /start's examples."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import CallbackQuery, Message, User

from bot.qa.engine import Engine, Reply
from handlers import keyboards
from handlers.callbacks import Example, More, Pair
from handlers.replies import GROUPS, STALE, edit, owner, preview, tapped_question

ASK_HOW = "Напишите вопрос после команды, например: <code>/ask что подписали Питер и Астана?</code>"


class MentionsMe(Filter):
    """A group message that names the bot (@username); hands the rest of the text on as the question."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict:
        me = await bot.me()
        mention = f"@{me.username}".lower()
        text = message.text or ""
        if not me.username or mention not in text.lower():
            return False
        at = text.lower().index(mention)
        return {"question": (text[:at] + text[at + len(mention) :]).strip()}


class RepliesToMe(Filter):
    async def __call__(self, message: Message, bot: Bot) -> bool:
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == bot.id)


async def _markup(engine: Engine, reply: Reply, asker: tuple[int, int], page: int = 0):
    query = reply.answer.query
    subscribable = not query.off_topic and bool(reply.answer.results or query.places or query.topics)
    if not (subscribable or reply.has_more or page > 0):
        return None
    question_id = await engine.store.remember_question(query.text, *asker)
    names = engine.k.gazetteer.names
    pairs = [(rid, p, f"{names[p]} ({n})") for rid, partners in reply.answer.partners for p, n in partners]
    return keyboards.answer(question_id, page, reply.has_more, reply.region_id(engine.k), subscribable, pairs)


async def answer(message: Message, engine: Engine, question: str, *, quote: bool, user: User | None = None) -> None:
    """Answer ``question`` in the message's chat; ``user`` is who asked (the sender, unless the
    message is the bot's own, as under a tapped example)."""
    reply = await engine.ask(question)
    send = message.reply if quote else message.answer
    markup = await _markup(engine, reply, owner(message.chat, user or message.from_user))
    await send(reply.html, reply_markup=markup, link_preview_options=preview(reply.first_url))


async def ask_command(message: Message, command: CommandObject, engine: Engine) -> None:
    if not (command.args or "").strip():
        await message.reply(ASK_HOW)
        return
    await answer(message, engine, command.args or "", quote=message.chat.type in GROUPS)


async def private_text(message: Message, engine: Engine) -> None:
    await answer(message, engine, message.text or "", quote=False)


async def mentioned(message: Message, engine: Engine, question: str) -> None:
    if not question:
        await message.reply(ASK_HOW)
        return
    await answer(message, engine, question, quote=True)


async def replied(message: Message, engine: Engine) -> None:
    await answer(message, engine, message.text or "", quote=True)


async def more(callback: CallbackQuery, callback_data: More, engine: Engine) -> None:
    question = await tapped_question(callback, callback_data.question, engine)
    if question is None or not isinstance(callback.message, Message):
        await callback.answer(STALE, show_alert=True)
        return
    reply = await engine.ask(question, page=callback_data.page)
    if not reply.answer.results:
        await callback.answer("Больше статей по этому вопросу нет.")
        return
    asker = owner(callback.message.chat, callback.from_user)
    await edit(callback, reply.html, await _markup(engine, reply, asker, callback_data.page), reply.first_url)


async def example(callback: CallbackQuery, callback_data: Example, engine: Engine) -> None:
    examples = engine.k.examples
    if not 0 <= callback_data.index < len(examples) or not isinstance(callback.message, Message):
        await callback.answer(STALE, show_alert=True)
        return
    await callback.answer()
    await answer(callback.message, engine, examples[callback_data.index], quote=False, user=callback.from_user)


async def pair(callback: CallbackQuery, callback_data: Pair, engine: Engine) -> None:
    names = engine.k.gazetteer.names
    if callback_data.a not in names or callback_data.b not in names or not isinstance(callback.message, Message):
        await callback.answer(STALE, show_alert=True)
        return
    await callback.answer()
    question = f"{names[callback_data.a]} и {names[callback_data.b]}"
    await answer(callback.message, engine, question, quote=False, user=callback.from_user)


def make_router() -> Router:
    router = Router(name="questions")
    router.message.register(ask_command, Command("ask"))
    router.message.register(private_text, F.chat.type == "private", F.text, ~F.text.startswith("/"))
    router.message.register(mentioned, F.chat.type.in_(GROUPS), F.text, MentionsMe())
    router.message.register(replied, F.chat.type.in_(GROUPS), F.text, RepliesToMe())
    router.callback_query.register(more, More.filter())
    router.callback_query.register(example, Example.filter())
    router.callback_query.register(pair, Pair.filter())
    return router
