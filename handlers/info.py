"""/start, /help and /about: what the bot knows and how to ask it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.language.i18n import LANGUAGES, _, set_language
from bot.qa import views
from bot.qa.engine import Engine
from bot.settings import Settings
from handlers import keyboards
from handlers.callbacks import Language
from handlers.middlewares import language_key
from handlers.replies import STALE


async def start(message: Message, command: CommandObject, engine: Engine, state: FSMContext) -> None:
    await state.clear()  # a new start: the next question stands on its own
    if command.args == "help":  # the inline mode's "how to ask" button opens the chat with /start help
        await help_(message)
        return
    text = views.start(await engine.catalog.summary(), await engine.catalog.covered(8))
    await message.answer(text, reply_markup=keyboards.examples(engine.k.examples))


async def help_(message: Message) -> None:
    await message.answer(views.help_text())


async def about(message: Message, engine: Engine) -> None:
    await message.answer(views.about(await engine.catalog.summary(), await engine.catalog.covered(12)))


async def unanswered(message: Message, engine: Engine, settings: Settings) -> None:
    """For the bot's admins: what people asked and got "no information" for (last 30 days)."""
    if not message.from_user or message.from_user.id not in settings.admin_ids:
        await message.answer(_("Эта команда — только для администраторов бота."))
        return
    await message.answer(views.unanswered(await engine.store.unanswered(30, 20)))


LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}


async def language(message: Message) -> None:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=Language(code=code).pack())
    await message.answer(_("Выберите язык интерфейса:"), reply_markup=builder.as_markup())


async def choose_language(callback: CallbackQuery, callback_data: Language, state: FSMContext) -> None:
    if callback_data.code not in LANGUAGES:
        await callback.answer(_(STALE), show_alert=True)
        return
    await state.storage.set_data(language_key(state, callback.from_user.id), {"language": callback_data.code})
    set_language(callback_data.code)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(_("Язык интерфейса: русский. Вопросы можно задавать на любом из трёх языков."))


def make_router() -> Router:
    router = Router(name="info")
    router.message.register(language, Command("language"))
    router.callback_query.register(choose_language, Language.filter())
    router.message.register(unanswered, Command("unanswered"))
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(about, Command("about"))
    return router
