"""Questions: any text in a private chat; in groups ``/ask``, a mention of the bot or a reply
to it (privacy mode shows the bot nothing else). Also the answer's pages and /start's examples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import CallbackQuery, Message, User

from bot.language.i18n import _
from bot.qa.dialogue import Context
from bot.qa.engine import Engine, Reply
from bot.settings import Settings
from handlers import keyboards
from handlers.callbacks import Example, More, Pair, Pick
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
    if reply.answer.clarify:  # which place was meant: one button each, and "все"
        question_id = await engine.store.remember_question(query.text, *asker)
        names = engine.k.gazetteer.names
        return keyboards.clarify(question_id, [(p, names[p]) for p in reply.answer.clarify])
    if reply.answer.suggest:  # nothing found, but a word is close to known places: which one
        question_id = await engine.store.remember_question(query.text, *asker)
        names = engine.k.gazetteer.names
        return keyboards.clarify(question_id, [(p, names[p]) for p in reply.answer.suggest], everything=False)
    if reply.answer.smalltalk:
        return None
    subscribable = not query.off_topic and bool(reply.answer.results or query.places or query.topics)
    if not (subscribable or reply.has_more or page > 0):
        return None
    question_id = await engine.store.remember_question(query.text, *asker)
    names = engine.k.gazetteer.names
    pairs = [(rid, p, f"{names[p]} ({n})") for rid, partners in reply.answer.partners for p, n in partners]
    return keyboards.answer(question_id, page, reply.has_more, reply.region_id(engine.k), subscribable, pairs)


def _conversation(message: Message, state: FSMContext) -> FSMContext | None:
    """Where this message's conversation is kept: the private chat; in a group, the bot answer
    it replies to (each reply chain is a conversation of its own); none for a fresh group question."""
    if message.chat.type == "private":
        return state
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != state.key.bot_id:
        return None
    return _chain(state, message.chat.id, replied.message_id)


def _chain(state: FSMContext, chat_id: int, message_id: int) -> FSMContext:
    key = StorageKey(bot_id=state.key.bot_id, chat_id=chat_id, user_id=0, destiny=f"reply-{message_id}")
    return FSMContext(state.storage, key)


@dataclass(frozen=True, slots=True)
class Talk:
    """The conversation a question belongs to: its FSM state, how long a context lasts, and now."""

    state: FSMContext
    ttl: float
    now: float

    @classmethod
    def of(cls, state: FSMContext, settings: Settings, clock: Callable[[], float]) -> Talk:
        return cls(state, settings.context_ttl_minutes * 60, clock())


async def answer(
    message: Message,
    engine: Engine,
    question: str,
    talk: Talk,
    *,
    quote: bool,
    user: User | None = None,
    pick: str | None = None,
) -> None:
    """Answer ``question`` in the message's chat, understood against the conversation it
    continues (see ``_conversation``); ``user`` is who asked (the sender, unless the message is
    the bot's own, as under a tapped example)."""
    state = talk.state
    conversation = _conversation(message, state) if user is None else state
    context = Context.from_dict((await conversation.get_data()).get("context")) if conversation else None
    reply = await engine.ask(question, context=context, pick=pick, now=talk.now, ttl=talk.ttl)
    send = message.reply if quote else message.answer
    markup = await _markup(engine, reply, owner(message.chat, user or message.from_user))
    sent = await send(reply.html, reply_markup=markup, link_preview_options=preview(reply.first_url))
    if reply.context is not None:
        kept = state if message.chat.type == "private" else _chain(state, message.chat.id, sent.message_id)
        await kept.update_data(context=reply.context.to_dict())


async def ask_command(message: Message, command: CommandObject, engine: Engine, state: FSMContext,
                      settings: Settings, clock: Callable[[], float]) -> None:  # fmt: skip
    if not (command.args or "").strip():
        await message.reply(_(ASK_HOW))
        return
    talk = Talk.of(state, settings, clock)
    await answer(message, engine, command.args or "", talk, quote=message.chat.type in GROUPS)


async def private_text(message: Message, engine: Engine, state: FSMContext, settings: Settings,
                       clock: Callable[[], float]) -> None:  # fmt: skip
    await answer(message, engine, message.text or "", Talk.of(state, settings, clock), quote=False)


async def mentioned(message: Message, engine: Engine, question: str, state: FSMContext, settings: Settings,
                    clock: Callable[[], float]) -> None:  # fmt: skip
    if not question:
        await message.reply(_(ASK_HOW))
        return
    await answer(message, engine, question, Talk.of(state, settings, clock), quote=True)


async def replied(message: Message, engine: Engine, state: FSMContext, settings: Settings,
                  clock: Callable[[], float]) -> None:  # fmt: skip
    await answer(message, engine, message.text or "", Talk.of(state, settings, clock), quote=True)


async def reset(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Начнём сначала: следующий вопрос — без учёта прошлых."))


async def more(callback: CallbackQuery, callback_data: More, engine: Engine) -> None:
    question = await tapped_question(callback, callback_data.question, engine)
    if question is None or not isinstance(callback.message, Message):
        await callback.answer(_(STALE), show_alert=True)
        return
    reply = await engine.ask(question, page=callback_data.page)
    if not reply.answer.results:
        await callback.answer(_("Больше статей по этому вопросу нет."))
        return
    asker = owner(callback.message.chat, callback.from_user)
    await edit(callback, reply.html, await _markup(engine, reply, asker, callback_data.page), reply.first_url)


async def example(callback: CallbackQuery, callback_data: Example, engine: Engine, state: FSMContext,
                  settings: Settings, clock: Callable[[], float]) -> None:  # fmt: skip
    examples = engine.k.examples
    if not 0 <= callback_data.index < len(examples) or not isinstance(callback.message, Message):
        await callback.answer(_(STALE), show_alert=True)
        return
    await callback.answer()
    talk = Talk.of(state, settings, clock)
    await answer(callback.message, engine, examples[callback_data.index], talk, quote=False, user=callback.from_user)


async def pair(callback: CallbackQuery, callback_data: Pair, engine: Engine, state: FSMContext,
               settings: Settings, clock: Callable[[], float]) -> None:  # fmt: skip
    names = engine.k.gazetteer.names
    if callback_data.a not in names or callback_data.b not in names or not isinstance(callback.message, Message):
        await callback.answer(_(STALE), show_alert=True)
        return
    await callback.answer()
    question = f"{names[callback_data.a]} и {names[callback_data.b]}"
    talk = Talk.of(state, settings, clock)
    await answer(callback.message, engine, question, talk, quote=False, user=callback.from_user)


async def pick(callback: CallbackQuery, callback_data: Pick, engine: Engine, state: FSMContext,
               settings: Settings, clock: Callable[[], float]) -> None:  # fmt: skip
    """A place chosen for an ambiguous name: the original question answered for it."""
    question = await tapped_question(callback, callback_data.question, engine)
    if (
        question is None
        or not isinstance(callback.message, Message)
        or (callback_data.place != "*" and callback_data.place not in engine.k.gazetteer.names)
    ):
        await callback.answer(_(STALE), show_alert=True)
        return
    await callback.answer()
    talk = Talk.of(state, settings, clock)
    await answer(
        callback.message, engine, question, talk, quote=False, user=callback.from_user, pick=callback_data.place
    )


def make_router() -> Router:
    router = Router(name="questions")
    router.message.register(ask_command, Command("ask"))
    router.message.register(private_text, F.chat.type == "private", F.text, ~F.text.startswith("/"))
    router.message.register(mentioned, F.chat.type.in_(GROUPS), F.text, MentionsMe())
    router.message.register(replied, F.chat.type.in_(GROUPS), F.text, RepliesToMe())
    router.callback_query.register(more, More.filter())
    router.callback_query.register(example, Example.filter())
    router.callback_query.register(pair, Pair.filter())
    router.callback_query.register(pick, Pick.filter())
    router.message.register(reset, Command("reset"))
    return router
