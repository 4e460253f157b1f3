"""HTML for the subscription dialogue: what was subscribed, the list, refusals and their reasons.
Escaped and kept within one Telegram message like every other view."""

from __future__ import annotations

from bot.digests.subscriptions import FREQUENCIES
from bot.models import Subscription
from bot.qa.render import clip, e
from bot.qa.views import fit
from bot.text.knowledge import Knowledge


def _filters(sub: Subscription, k: Knowledge) -> str:
    regions = ", ".join(k.gazetteer.names.get(r, r) for r in sub.regions) or "все"
    topics = ", ".join(k.lexicon.topics[t].name for t in sub.topics if t in k.lexicon.topics) or "все"
    when = FREQUENCIES[sub.frequency]
    if sub.frequency != "instant":
        when += f", в {sub.send_at} ({sub.timezone})"
    return f"регионы — {regions}; темы — {topics}; {when}"


def _where(sub: Subscription) -> str:
    kinds = {"private": "этот чат", "channel": "канал", "group": "группа", "supergroup": "группа"}
    title = f" «{sub.chat_title}»" if sub.chat_title and sub.chat_type != "private" else ""
    return kinds.get(sub.chat_type, sub.chat_type) + title


def subscribed(sub: Subscription, k: Knowledge) -> str:
    return (
        f"🔔 Подписка оформлена: {e(_where(sub))} будет получать дайджест новых соглашений.\n"
        f"{e(_filters(sub, k))}.\n"
        "Пришлю, когда в базе появятся новые соглашения. /unsubscribe — отписаться."
    )


def subscription_list(subs: list[Subscription], k: Knowledge) -> str:
    if not subs:
        return "Подписок нет. <code>/subscribe</code> — дайджест новых соглашений (можно с регионами и темами)."
    lines = ["<b>Подписки на дайджест</b>"]
    for sub in subs:
        state = "" if sub.active else " — <i>остановлена: бот не может туда писать</i>"
        lines.append(f"• {e(_where(sub))}: {e(_filters(sub, k))}{state}")
    return fit(lines)


def unsubscribed(removed: bool, channel: str | None) -> str:
    where = f"Канал {e(channel)}" if channel else "Этот чат"
    return f"{where} больше не получает дайджест." if removed else f"{where} и не был подписан."


def subscribe_not_understood(words: list[str]) -> str:
    return (
        f"Не понял: {e(clip(', '.join(words), 200))}. Ничего не изменил.\n"
        "Пример: <code>/subscribe Омск энергетика daily 09:00</code>"
    )


def admins_only(chat_type: str) -> str:
    if chat_type == "channel":
        return "Сделайте бота администратором канала — тогда он сможет присылать дайджест."
    return "Подписку группы меняют только её администраторы."


def channel_from_private() -> str:
    return "Канал подписывают из личного чата с ботом: <code>/subscribe @канал</code> — или командой в самом канале."


def channel_not_found(name: str) -> str:
    return f"Не нашёл канал {e(clip(name, 64))}. Проверьте имя и добавьте бота в канал администратором."


def not_a_channel(name: str) -> str:
    return f"{e(clip(name, 64))} — не канал. Группу подписывают командой /subscribe в самой группе."


def not_channel_admin(name: str) -> str:
    return f"Подписать {e(clip(name, 64))} может только его владелец или администратор."


def bot_not_channel_admin(name: str) -> str:
    return f"Сначала сделайте бота администратором {e(clip(name, 64))}, чтобы он мог публиковать дайджест."


def digest_round(subscriptions: int, messages: int, sent: int, deactivated: int, postponed: int) -> str:
    return (
        f"Дайджест: {subscriptions} подписок с новыми соглашениями, {messages} сообщений в очереди; "
        f"отправлено {sent}, отложено {postponed}, отключено чатов {deactivated}."
    )
