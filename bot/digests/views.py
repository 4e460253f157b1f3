"""HTML for the subscription dialogue: what was subscribed, the list, refusals and their reasons.
Escaped and kept within one Telegram message like every other view."""

from __future__ import annotations

from bot.digests.subscriptions import FREQUENCIES
from bot.language.i18n import _
from bot.models import Subscription
from bot.qa.render import clip, e
from bot.qa.views import fit
from bot.text.knowledge import Knowledge


def _filters(sub: Subscription, k: Knowledge) -> str:
    regions = ", ".join(k.gazetteer.names.get(r, r) for r in sub.regions) or _("все")
    topics = ", ".join(k.lexicon.topics[t].name for t in sub.topics if t in k.lexicon.topics) or _("все")
    when = _(FREQUENCIES[sub.frequency])
    if sub.frequency != "instant":
        when = _("{frequency}, в {time} ({timezone})").format(frequency=when, time=sub.send_at, timezone=sub.timezone)
    return _("регионы — {regions}; темы — {topics}; {when}").format(regions=regions, topics=topics, when=when)


def _where(sub: Subscription) -> str:
    kinds = {"private": _("этот чат"), "channel": _("канал"), "group": _("группа"), "supergroup": _("группа")}
    title = f" «{sub.chat_title}»" if sub.chat_title and sub.chat_type != "private" else ""
    return kinds.get(sub.chat_type, sub.chat_type) + title


def subscribed(sub: Subscription, k: Knowledge) -> str:
    return (
        _("🔔 Подписка оформлена: {where} будет получать дайджест новых соглашений.").format(where=e(_where(sub)))
        + f"\n{e(_filters(sub, k))}.\n"
        + _("Пришлю, когда в базе появятся новые соглашения. /unsubscribe — отписаться.")
    )


def subscription_list(subs: list[Subscription], k: Knowledge) -> str:
    if not subs:
        return _("Подписок нет. <code>/subscribe</code> — дайджест новых соглашений (можно с регионами и темами).")
    lines = [_("<b>Подписки на дайджест</b>")]
    for sub in subs:
        state = "" if sub.active else " — " + _("<i>остановлена: бот не может туда писать</i>")
        lines.append(f"• {e(_where(sub))}: {e(_filters(sub, k))}{state}")
    return fit(lines)


def unsubscribed(removed: bool, channel: str | None) -> str:
    if channel:
        if removed:
            return _("Канал {channel} больше не получает дайджест.").format(channel=e(channel))
        return _("Канал {channel} и не был подписан.").format(channel=e(channel))
    return _("Этот чат больше не получает дайджест.") if removed else _("Этот чат и не был подписан.")


def subscribe_not_understood(words: list[str]) -> str:
    return (
        _("Не понял: {words}. Ничего не изменил.").format(words=e(clip(", ".join(words), 200)))
        + "\n"
        + _("Пример: <code>/subscribe Омск энергетика daily 09:00</code>")
    )


def admins_only(chat_type: str) -> str:
    if chat_type == "channel":
        return _("Сделайте бота администратором канала — тогда он сможет присылать дайджест.")
    return _("Подписку группы меняют только её администраторы.")


def channel_from_private() -> str:
    return _("Канал подписывают из личного чата с ботом: <code>/subscribe @канал</code> — или командой в самом канале.")


def channel_not_found(name: str) -> str:
    return _("Не нашёл канал {name}. Проверьте имя и добавьте бота в канал администратором.").format(
        name=e(clip(name, 64))
    )


def not_a_channel(name: str) -> str:
    return _("{name} — не канал. Группу подписывают командой /subscribe в самой группе.").format(name=e(clip(name, 64)))


def not_channel_admin(name: str) -> str:
    return _("Подписать {name} может только его владелец или администратор.").format(name=e(clip(name, 64)))


def bot_not_channel_admin(name: str) -> str:
    return _("Сначала сделайте бота администратором {name}, чтобы он мог публиковать дайджест.").format(
        name=e(clip(name, 64))
    )


def digest_round(subscriptions: int, messages: int, sent: int, deactivated: int, postponed: int) -> str:
    return _(
        "Дайджест: {subscriptions} подписок с новыми соглашениями, {messages} сообщений в очереди; "
        "отправлено {sent}, отложено {postponed}, отключено чатов {deactivated}."
    ).format(subscriptions=subscriptions, messages=messages, sent=sent, postponed=postponed, deactivated=deactivated)


def welcome(chat_type: str, title: str, command: str, restoring: bool, in_channel: bool = False) -> str:
    """For the admins of a group or channel the bot (re)joined: how to get the digest.
    ``restoring``: ``command`` brings back a subscription stopped when the bot lost access;
    ``in_channel``: it is to be posted in the channel itself (no @username to name it by)."""
    where = _("канала «{title}»").format(title=title) if chat_type == "channel" else _("этой группы")
    if restoring:
        lines = [
            _("👋 CoopBot снова здесь."),
            _(
                "Подписка {where} на дайджест остановилась, когда бот потерял доступ. "
                "Администратор может вернуть её с прежними настройками:"
            ).format(where=e(where)),
        ]
    else:
        lines = [
            _("👋 CoopBot здесь: отвечаю на вопросы о сотрудничестве регионов России и Казахстана."),
            _(
                "Администратор {where} может подписаться на дайджест новых соглашений (после команды можно "
                "назвать регионы и темы, например «Омск энергетика»):"
            ).format(where=e(where)),
        ]
    lines.append(f"<code>{e(command)}</code>")
    if in_channel:
        lines.append(_("Отправьте эту команду постом в самом канале."))
    return "\n".join(lines)
