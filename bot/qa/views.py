"""HTML for everything the bot shows besides answers and subscriptions: the welcome, help,
about, and the browsing pages. Escaped like answers and kept within one Telegram message."""

from __future__ import annotations

from bot.language.i18n import _, current
from bot.models import Place, StoredArticle, Topic
from bot.qa.answer import agreement_line, figure_line
from bot.qa.catalog import AgreementPage, Page, RegionOverview, TopicOverview
from bot.qa.dates import human_date
from bot.qa.render import TELEGRAM_LIMIT, clip, e, source_line
from bot.text.knowledge import Knowledge
from storage.catalog import StoreSummary

COMMANDS = [  # (command, its description in Russian: translated by the locales)
    ("start", "что я умею и примеры вопросов"),
    ("help", "как спрашивать"),
    ("regions", "регионы в базе"),
    ("topics", "темы сотрудничества"),
    ("agreements", "соглашения, новые сначала: /agreements регион"),
    ("latest", "последние статьи"),
    ("about", "источники и даты"),
    ("ask", "вопрос в группе: /ask вопрос"),
    ("reset", "забыть прошлые вопросы"),
    ("language", "язык интерфейса: русский, қазақша, English"),
    ("subscribe", "дайджест новых соглашений: /subscribe Омск энергетика"),
    ("unsubscribe", "отписаться от дайджеста"),
    ("subscriptions", "мои подписки"),
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
    return f"{human_date(summary.first)} — {human_date(summary.last)}" if summary.first else _("даты не указаны")


def plural(n: int, one: str, few: str, many: str) -> str:
    """'1 статья', '3 статьи', '5 статей' (and 11–14 take the many form); in English '1 article',
    '5 articles' (``one`` and ``many``); in Kazakh a number takes the singular: '5 мақала'."""
    language = current()
    if language == "kk":
        return f"{n} {one}"
    if language == "en":
        return f"{n} {one if n == 1 else many}"
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


def _holdings(summary: StoreSummary) -> str:
    """'346 материалов: 341 событие из реестра и 5 статей, 220 пар регионов, 2001–2026 гг.'"""
    years = (
        _("{start}–{end} гг.").format(start=summary.first[:4], end=summary.last[:4])
        if summary.first and summary.last
        else _("даты не указаны")
    )
    held = _("{materials}: {events} из реестра и {articles}").format(
        materials=plural(summary.articles, _("материал"), _("материала"), _("материалов")),
        events=plural(summary.events, _("событие"), _("события"), _("событий")),
        articles=plural(summary.articles - summary.events, _("статья"), _("статьи"), _("статей")),
    )
    pairs = plural(summary.pairs, _("пара регионов"), _("пары регионов"), _("пар регионов"))
    return ", ".join([held, pairs, years])


def start(summary: StoreSummary, coverage: list[tuple[str, int]]) -> str:
    regions = ", ".join(e(name) for name, _n in coverage[:8])
    return fit(
        [
            _(
                "👋 <b>CoopBot</b> отвечает на вопросы о сотрудничестве регионов России и Казахстана: "
                "соглашения и меморандумы, товарооборот, визиты, совместные проекты, компании."
            ),
            "",
            _("В базе {holdings}. Больше всего о регионах: {regions}.").format(
                holdings=_holdings(summary), regions=regions or "—"
            ),
            "",
            _("Спросите своими словами — или нажмите на пример ниже. /help — как спрашивать."),
        ]
    )


def help_text() -> str:
    commands = "\n".join(f"/{name} — {e(_(description))}" for name, description in COMMANDS)
    return fit(
        [
            _("<b>Как спрашивать</b>"),
            _(
                "Напишите вопрос обычным текстом: регионы можно называть как угодно — «Питер», «СПб», "
                "«ЗКО», «омские», «Нур-Султан»; опечатки не страшны."
            ),
            f"• <i>{_('что подписали Питер и Астана?')}</i>",
            f"• <i>{_('товарооборот новгородской обл с Казахстаном')}</i>",
            f"• <i>{_('кто открывал неделю Петербурга в Астане?')}</i>",
            "",
            _("В ответе — кратко, факты и ссылки на статьи-источники; «Ещё» покажет следующие статьи."),
            _("В группе: /ask вопрос, упоминание бота или ответ на его сообщение."),
            _(
                "Дайджест новых соглашений: <code>/subscribe Омск энергетика</code> (фильтры по регионам и темам "
                "необязательны; <code>daily 09:00</code> или <code>weekly</code> — раз в день или в неделю; часовой "
                "пояс, например <code>Europe/Moscow</code>, по умолчанию Asia/Almaty). Канал: "
                "<code>/subscribe @канал</code> из личного чата."
            ),
            _("В любом чате: @имя_бота вопрос — встроенный режим."),
            "",
            commands,
        ]
    )


def about(summary: StoreSummary, coverage: list[tuple[str, int]]) -> str:
    lines = [
        _("<b>О базе</b>"),
        _("{holdings}; период: {period}.").format(holdings=_holdings(summary), period=_period(summary)),
        "",
        f"<b>{_('Источники')}</b>",
    ]
    lines += [f"• {e(clip(name, 120))} — {n}" for name, n in summary.publishers] or ["—"]
    lines += ["", _("<b>Регионы, о которых больше всего статей</b>")]
    lines += [f"• {e(name)} — {n}" for name, n in coverage] or ["—"]
    lines += ["", _("Каждый ответ взят из этих статей и ссылается на них.")]
    return fit(lines)


def _page_note(page: Page) -> str:
    return (
        " " + _("<i>(стр. {page} из {pages})</i>").format(page=page.page + 1, pages=page.pages)
        if page.pages > 1
        else ""
    )


def region_list(page: Page[tuple[Place, int]]) -> str:
    if not page.items:
        return _("В базе пока нет статей ни об одном регионе.")
    return fit([f"<b>{_('Регионы в базе')}</b>{_page_note(page)}", _("Нажмите на регион — обзор сотрудничества.")])


def topic_list(page: Page[tuple[Topic, int]]) -> str:
    if not page.items:
        return _("В базе пока нет статей по темам.")
    return fit([f"<b>{_('Темы сотрудничества')}</b>{_page_note(page)}", _("Нажмите на тему — статьи и регионы.")])


def _article_lines(articles: list[StoredArticle]) -> list[str]:
    return [f"• {source_line(a)}" for a in articles]


def region_overview(ov: RegionOverview, k: Knowledge) -> str:
    lines = [_("📍 <b>{name}</b> — статей в базе: {n}").format(name=e(ov.place.name), n=ov.articles)]
    if ov.partners:
        partners = ", ".join(f"{e(p.name)} ({n})" for p, n in ov.partners)
        lines += ["", _("<b>Партнёры</b> (общих статей)"), partners]
    if ov.agreements:
        lines += ["", _("<b>Соглашения</b> (всего {n}, новые сначала)").format(n=ov.agreements_total)]
        lines += [f"• {e(clip(agreement_line(a, k), 400))} — {source_line(arts[0])}" for a, arts in ov.agreements]
    if ov.figures:
        lines += ["", _("<b>Цифры</b>")]
        lines += [f"• {e(clip(figure_line(f, k), 300))} — {source_line(art)}" for f, art in ov.figures]
    lines += ["", f"<b>{_('Последние статьи')}</b>", *_article_lines(ov.latest)]
    return fit(lines)


def topic_overview(ov: TopicOverview) -> str:
    lines = [_("🏷 <b>{name}</b> — статей в базе: {n}").format(name=e(ov.topic.name), n=ov.articles)]
    if ov.regions:
        lines += ["", _("<b>Регионы</b>"), ", ".join(f"{e(p.name)} ({n})" for p, n in ov.regions)]
    lines += ["", f"<b>{_('Последние статьи')}</b>", *_article_lines(ov.latest)]
    return fit(lines)


def agreement_list(ap: AgreementPage, k: Knowledge) -> str:
    note = _page_note(ap.page)
    if ap.region is None:
        if not ap.total:
            return _("Соглашений в базе нет. Регионы с данными — /regions.")
        lines = [_("📝 <b>Соглашения</b> — {n}, новые сначала{note}").format(n=ap.total, note=note)]
    else:
        region = e(ap.region.name)
        if not ap.total:
            return _("Соглашений: {region} в базе нет. Регионы с данными — /regions.").format(region=region)
        lines = [
            _("📝 <b>Соглашения: {region}</b> — {n}, новые сначала{note}").format(region=region, n=ap.total, note=note)
        ]
    for agreement, articles in ap.page.items:
        lines += ["", f"• {e(clip(agreement_line(agreement, k), 500))}"]
        lines += [f"  {source_line(article)}" for article in articles[:SOURCES_PER_DEAL]]
    return fit(lines)


def latest_list(page: Page[StoredArticle]) -> str:
    if not page.items:
        return _("В базе пока нет статей.")
    return fit([f"🆕 <b>{_('Последние статьи')}</b>{_page_note(page)}", *_article_lines(page.items)])


def region_unknown(text: str) -> str:
    return _("Не нашёл региона в «{text}». Список регионов с данными — /regions.").format(text=e(clip(text, 60)))


def unanswered(questions: list[tuple[str, int]]) -> str:
    """The questions nothing answered, most asked first: which sources to add."""
    if not questions:
        return _("За 30 дней все вопросы получили ответ.")
    lines = [_("<b>Без ответа за 30 дней</b> (сколько раз спросили)")]
    lines += [f"• {e(clip(q, 200))} — {n}" for q, n in questions]
    return fit(lines)
