"""HTML for everything the bot shows besides answers and subscriptions: the welcome, help,
about, and the browsing pages. Escaped like answers and kept within one Telegram message."""

from __future__ import annotations

from bot.models import Place, StoredArticle, Topic
from bot.qa.answer import agreement_line, figure_line
from bot.qa.catalog import AgreementPage, Page, RegionOverview, TopicOverview
from bot.qa.dates import human_date
from bot.qa.render import TELEGRAM_LIMIT, clip, e, source_line
from bot.text.knowledge import Knowledge
from storage.catalog import StoreSummary

COMMANDS = [  # (command, Russian description, English description)
    ("start", "что я умею и примеры вопросов", "what I can do, with example questions"),
    ("help", "как спрашивать", "how to ask"),
    ("regions", "регионы в базе", "regions with data"),
    ("topics", "темы сотрудничества", "cooperation topics"),
    ("agreements", "соглашения, новые сначала: /agreements регион", "agreements, newest first"),
    ("latest", "последние статьи", "latest articles"),
    ("about", "источники и даты", "sources and coverage dates"),
    ("ask", "вопрос в группе: /ask вопрос", "ask in a group: /ask question"),
    ("reset", "забыть прошлые вопросы", "forget the previous questions"),
    ("subscribe", "дайджест новых соглашений: /subscribe Омск энергетика", "digest of new agreements"),
    ("unsubscribe", "отписаться от дайджеста", "stop the digest"),
    ("subscriptions", "мои подписки", "my subscriptions"),
]


SOURCES_PER_DEAL = 3


def fit(lines: list[str]) -> str:
    """Join lines; drop them from the end (the first stays) while the message is too long."""
    text = "\n".join(lines)
    while len(text) > TELEGRAM_LIMIT and len(lines) > 1:
        lines = lines[:-1]
        text = "\n".join([*lines, "…"])
    return text


def _period(summary: StoreSummary) -> str:
    return f"{human_date(summary.first)} — {human_date(summary.last)}" if summary.first else "даты не указаны"


def plural(n: int, one: str, few: str, many: str) -> str:
    """'1 статья', '3 статьи', '5 статей' (and 11–14 take the many form)."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


def _holdings(summary: StoreSummary) -> str:
    """'346 материалов: 341 событие из реестра и 5 статей, 220 пар регионов, 2001–2026 гг.'"""
    years = f"{summary.first[:4]}–{summary.last[:4]} гг." if summary.first and summary.last else "даты не указаны"
    return ", ".join(
        [
            f"{plural(summary.articles, 'материал', 'материала', 'материалов')}: "
            f"{plural(summary.events, 'событие', 'события', 'событий')} из реестра и "
            f"{plural(summary.articles - summary.events, 'статья', 'статьи', 'статей')}",
            plural(summary.pairs, "пара регионов", "пары регионов", "пар регионов"),
            years,
        ]
    )


def start(summary: StoreSummary, coverage: list[tuple[str, int]]) -> str:
    regions = ", ".join(e(name) for name, _ in coverage[:8])
    return fit(
        [
            "👋 <b>CoopBot</b> отвечает на вопросы о сотрудничестве регионов России и Казахстана: "
            "соглашения и меморандумы, товарооборот, визиты, совместные проекты, компании.",
            "",
            f"В базе {_holdings(summary)}. Больше всего о регионах: {regions or '—'}.",
            "",
            "Спросите своими словами — или нажмите на пример ниже. /help — как спрашивать.",
        ]
    )


def help_text() -> str:
    commands = "\n".join(f"/{name} — {e(ru)}" for name, ru, _ in COMMANDS)
    return fit(
        [
            "<b>Как спрашивать</b>",
            "Напишите вопрос обычным текстом: регионы можно называть как угодно — «Питер», «СПб», "
            "«ЗКО», «омские», «Нур-Султан»; опечатки не страшны.",
            "• <i>что подписали Питер и Астана?</i>",
            "• <i>товарооборот новгородской обл с Казахстаном</i>",
            "• <i>кто открывал неделю Петербурга в Астане?</i>",
            "",
            "В ответе — кратко, факты и ссылки на статьи-источники; «Ещё» покажет следующие статьи.",
            "В группе: /ask вопрос, упоминание бота или ответ на его сообщение.",
            "Дайджест новых соглашений: <code>/subscribe Омск энергетика</code> (фильтры по регионам и темам "
            "необязательны; <code>daily 09:00</code> или <code>weekly</code> — раз в день или в неделю; часовой пояс, "
            "например <code>Europe/Moscow</code>, по умолчанию Asia/Almaty). Канал: <code>/subscribe @канал</code> "
            "из личного чата.",
            "В любом чате: @имя_бота вопрос — встроенный режим.",
            "",
            commands,
        ]
    )


def about(summary: StoreSummary, coverage: list[tuple[str, int]]) -> str:
    lines = ["<b>О базе</b>", f"{_holdings(summary)}; период: {_period(summary)}.", "", "<b>Источники</b>"]
    lines += [f"• {e(clip(name, 120))} — {n}" for name, n in summary.publishers] or ["—"]
    lines += ["", "<b>Регионы, о которых больше всего статей</b>"]
    lines += [f"• {e(name)} — {n}" for name, n in coverage] or ["—"]
    lines += ["", "Каждый ответ взят из этих статей и ссылается на них."]
    return fit(lines)


def _page_note(page: Page) -> str:
    return f" <i>(стр. {page.page + 1} из {page.pages})</i>" if page.pages > 1 else ""


def region_list(page: Page[tuple[Place, int]]) -> str:
    if not page.items:
        return "В базе пока нет статей ни об одном регионе."
    return fit([f"<b>Регионы в базе</b>{_page_note(page)}", "Нажмите на регион — обзор сотрудничества."])


def topic_list(page: Page[tuple[Topic, int]]) -> str:
    if not page.items:
        return "В базе пока нет статей по темам."
    return fit([f"<b>Темы сотрудничества</b>{_page_note(page)}", "Нажмите на тему — статьи и регионы."])


def _article_lines(articles: list[StoredArticle]) -> list[str]:
    return [f"• {source_line(a)}" for a in articles]


def region_overview(ov: RegionOverview, k: Knowledge) -> str:
    lines = [f"📍 <b>{e(ov.place.name)}</b> — статей в базе: {ov.articles}"]
    if ov.partners:
        lines += ["", "<b>Партнёры</b> (общих статей)", ", ".join(f"{e(p.name)} ({n})" for p, n in ov.partners)]
    if ov.agreements:
        lines += ["", f"<b>Соглашения</b> (всего {ov.agreements_total}, новые сначала)"]
        lines += [f"• {e(clip(agreement_line(a, k), 400))} — {source_line(arts[0])}" for a, arts in ov.agreements]
    if ov.figures:
        lines += ["", "<b>Цифры</b>"]
        lines += [f"• {e(clip(figure_line(f, k), 300))} — {source_line(art)}" for f, art in ov.figures]
    lines += ["", "<b>Последние статьи</b>", *_article_lines(ov.latest)]
    return fit(lines)


def topic_overview(ov: TopicOverview) -> str:
    lines = [f"🏷 <b>{e(ov.topic.name)}</b> — статей в базе: {ov.articles}"]
    if ov.regions:
        lines += ["", "<b>Регионы</b>", ", ".join(f"{e(p.name)} ({n})" for p, n in ov.regions)]
    lines += ["", "<b>Последние статьи</b>", *_article_lines(ov.latest)]
    return fit(lines)


def agreement_list(ap: AgreementPage, k: Knowledge) -> str:
    where = f": {e(ap.region.name)}" if ap.region else ""
    if not ap.total:
        return f"Соглашений{where} в базе нет. Регионы с данными — /regions."
    lines = [f"📝 <b>Соглашения{where}</b> — {ap.total}, новые сначала{_page_note(ap.page)}"]
    for agreement, articles in ap.page.items:
        lines += ["", f"• {e(clip(agreement_line(agreement, k), 500))}"]
        lines += [f"  {source_line(article)}" for article in articles[:SOURCES_PER_DEAL]]
    return fit(lines)


def latest_list(page: Page[StoredArticle]) -> str:
    if not page.items:
        return "В базе пока нет статей."
    return fit([f"🆕 <b>Последние статьи</b>{_page_note(page)}", *_article_lines(page.items)])


def region_unknown(text: str) -> str:
    return f"Не нашёл региона в «{e(clip(text, 60))}». Список регионов с данными — /regions."


def unanswered(questions: list[tuple[str, int]]) -> str:
    """The questions nothing answered, most asked first: which sources to add."""
    if not questions:
        return "За 30 дней все вопросы получили ответ."
    lines = ["<b>Без ответа за 30 дней</b> (сколько раз спросили)"]
    lines += [f"• {e(clip(q, 200))} — {n}" for q, n in questions]
    return fit(lines)
