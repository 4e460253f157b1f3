"""``Answer`` → the HTML message Telegram shows (parse mode HTML). Every piece of text is escaped;
the message never exceeds Telegram's 4096 characters: facts, then summary sentences, then whole
results are left out from the end — nothing is ever cut mid-tag, and every result shown keeps
its source link."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from bot.language.i18n import _
from bot.models import StoredArticle
from bot.qa.answer import Answer
from bot.qa.dates import human_date
from bot.text.knowledge import Knowledge

TELEGRAM_LIMIT = 4096
MAX_PLACES_SHOWN = 10
_INTENT_NAMES = {  # Russian: translated when shown
    "agreements": "соглашения",
    "trade": "торговля и цифры",
    "people": "люди и встречи",
    "companies": "компании",
    "events": "события и даты",
    "partners": "партнёры",
    "overview": "обзор",
}


# bidi overrides and isolates, zero-width characters, and control characters but tab and newline:
# echoed back they reorder or hide what the reader sees
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def e(text: str) -> str:
    """Text for an HTML message: invisible and direction-changing characters removed, <, > and &
    escaped."""
    return escape(_INVISIBLE.sub("", text), quote=False)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def link(url: str, text: str) -> str:
    """A link to an http(s) address; anything else (a local file's address) stays plain text."""
    if urlsplit(url).scheme not in ("http", "https"):
        return e(text)
    return f'<a href="{escape(url, quote=True)}">{e(text)}</a>'


def source_line(article: StoredArticle) -> str:
    """The article as a link with its publisher and date."""
    return (
        f"{link(article.url, clip(article.title, 300))} — "
        f"{e(clip(article.publisher, 100) or _('издание не указано'))}, {human_date(article.published)}"
    )


def render(answer: Answer, k: Knowledge) -> str:
    if answer.smalltalk:
        reply, examples = answer.smalltalk
        return e(reply) + "\n" + "\n".join(f"• <i>{e(x)}</i>" for x in examples)
    head = _understood(answer, k)
    if answer.clarify:
        options = ", ".join(k.gazetteer.names[p] for p in answer.clarify)
        return f"{head}\n\n" + _("Какой регион вы имели в виду? {options} — выберите ниже.").format(options=e(options))
    if not answer.results:
        return f"{head}\n\n{_no_information(answer, k)}"
    if answer.direct:  # the answer first: the asked fact, or that the articles do not hold it
        head += f"\n\n<b>{e(clip(answer.direct, 500))}</b>"
    results = answer.results
    while True:
        summary = [f"{e(clip(s, 600))} <i>[{n}]</i>" for n, r in enumerate(results, 1) for s in r.summary]
        facts = [f"• {e(clip(f, 600))} <i>[{n}]</i>" for n, r in enumerate(results, 1) for f in r.facts]
        sources = [f"{n}. {source_line(r.article)}" for n, r in enumerate(results, 1)]
        text = _shrink(head, summary, facts, sources)
        if text or len(results) == 1:
            return text or f"{head}\n\n<b>{_('Источники')}</b>\n{sources[0]}"
        results = results[:-1]


def _shrink(head: str, summary: list[str], facts: list[str], sources: list[str]) -> str | None:
    """The message with as many facts and summary sentences as fit (the first one always),
    or None when even that is too long."""

    brief, facts_title, sources_title = (f"<b>{t}</b>\n" for t in (_("Кратко"), _("Факты"), _("Источники")))

    def join() -> str:
        blocks = [head, *([brief + "\n".join(summary)] if summary else [])]
        if facts:
            blocks.append(facts_title + "\n".join(facts))
        blocks.append(sources_title + "\n".join(sources))
        return "\n\n".join(blocks)

    size = len(join())
    while size > TELEGRAM_LIMIT and facts:
        size -= len(facts.pop()) + (1 if facts else len("\n\n" + facts_title))
    while size > TELEGRAM_LIMIT and len(summary) > 1:
        size -= len(summary.pop()) + 1
    text = join()
    return text if len(text) <= TELEGRAM_LIMIT else None


def _understood(answer: Answer, k: Knowledge) -> str:
    q = answer.query
    names = [k.gazetteer.places[p].name for p in q.places]
    if len(names) > MAX_PLACES_SHOWN:
        names = names[:MAX_PLACES_SHOWN] + [_("и ещё {n}").format(n=len(names) - MAX_PLACES_SHOWN)]
    line = _("🔎 <b>Регионы:</b> {names}").format(names=e(", ".join(names)) or _("не названы"))
    if answer.from_context:
        line += " " + _("<i>(из прошлого вопроса)</i>")
    if answer.chosen:
        line += f" <i>({e(answer.chosen)})</i>"
    if q.topics:
        line += " · " + _("<b>темы:</b> {topics}").format(
            topics=", ".join(e(k.lexicon.topics[t].name) for t in q.topics)
        )
    if not q.off_topic:
        intent = _(_INTENT_NAMES[q.intent]) if q.intent in _INTENT_NAMES else q.intent
        line += " · " + _("<b>вопрос:</b> {intent}").format(intent=intent)
    return line


def _no_information(answer: Answer, k: Knowledge) -> str:
    q = answer.query
    if q.off_topic:
        text = _(
            "Я отвечаю на вопросы о сотрудничестве регионов России и Казахстана — погоды и курсов валют у меня нет."
        )
    elif not q.text:
        text = _("Вопрос пустой. Спросите, например: «что подписали Питер и Астана?»")
    elif q.places:
        names = ", ".join(k.gazetteer.places[p].name for p in q.places[:MAX_PLACES_SHOWN])
        text = _("Нет информации о сотрудничестве: {names} — в базе нет статей об этом.").format(names=names)
    else:
        text = _("Нет информации по запросу «{question}».").format(question=clip(q.text, 100))
    lines = [text]
    place_names = k.gazetteer.names
    for rid, partners in answer.partners:
        held = ", ".join(f"{place_names[p]} ({n})" for p, n in partners)
        lines.append(
            _("О регионе «{region}» в базе есть материалы с партнёрами: {partners}.").format(
                region=place_names[rid], partners=held
            )
        )
    if answer.suggest:
        options = ", ".join(place_names[p] for p in answer.suggest)
        lines.append(_("Возможно, вы имели в виду: {options}?").format(options=options))
    covered = ", ".join(f"{name} ({n})" for name, n in answer.coverage)
    if covered and not answer.partners:
        lines.append(_("В базе есть материалы о регионах: {regions}.").format(regions=covered))
    return e("\n".join(lines))
