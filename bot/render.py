"""``Answer`` → the HTML message Telegram shows (parse mode HTML). Every piece of text is escaped;
the message never exceeds Telegram's 4096 characters: sources and facts are dropped from the
end, never cut mid-tag."""
from __future__ import annotations

from html import escape

from bot.answer import Answer, human_date
from bot.knowledge import Knowledge

TELEGRAM_LIMIT = 4096
_INTENT_NAMES = {
    "agreements": "соглашения", "trade": "торговля и цифры", "people": "люди и встречи",
    "companies": "компании", "events": "события и даты", "partners": "партнёры", "overview": "обзор",
}


def _e(text: str) -> str:
    return escape(text, quote=False)


def render(answer: Answer, k: Knowledge) -> str:
    head = _understood(answer, k)
    if not answer.results:
        return _fit([head, _no_information(answer, k)])
    blocks = [head]
    summary = [f"{_e(clip(s, 600))} <i>[{n}]</i>" for n, r in enumerate(answer.results, 1) for s in r.summary]
    blocks.append("<b>Кратко</b>\n" + "\n".join(summary))
    facts = [f"• {_e(clip(f, 600))} <i>[{n}]</i>" for n, r in enumerate(answer.results, 1) for f in r.facts]
    if facts:
        blocks.append("<b>Факты</b>\n" + "\n".join(facts))
    sources = [
        f'{n}. <a href="{escape(r.article.url, quote=True)}">{_e(r.article.title)}</a> — '
        f"{_e(r.article.publisher or 'издание не указано')}, {human_date(r.article.published)}"
        for n, r in enumerate(answer.results, 1)
    ]
    blocks.append("<b>Источники</b>\n" + "\n".join(sources))
    return _fit(blocks)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _understood(answer: Answer, k: Knowledge) -> str:
    q = answer.query
    places = ", ".join(_e(k.gazetteer.places[p].name) for p in q.places) or "не названы"
    line = f"🔎 <b>Регионы:</b> {places}"
    if q.topics:
        line += " · <b>темы:</b> " + ", ".join(_e(k.lexicon.topics[t].name) for t in q.topics)
    if not q.off_topic:
        line += f" · <b>вопрос:</b> {_INTENT_NAMES.get(q.intent, q.intent)}"
    return line


def _no_information(answer: Answer, k: Knowledge) -> str:
    q = answer.query
    if q.off_topic:
        text = "Я отвечаю на вопросы о сотрудничестве регионов России и Казахстана — погоды и курсов валют у меня нет."
    elif not q.text:
        text = "Вопрос пустой. Спросите, например: «что подписали Питер и Астана?»"
    elif q.places:
        names = ", ".join(k.gazetteer.places[p].name for p in q.places)
        text = f"Нет информации о сотрудничестве: {names} — в базе нет статей об этом."
    else:
        text = f"Нет информации по запросу «{q.text[:100]}»."
    covered = ", ".join(f"{name} ({n})" for name, n in answer.coverage)
    if covered:
        text += f"\nВ базе есть материалы о регионах: {covered}."
    return _e(text)


def _fit(blocks: list[str]) -> str:
    """Join blocks; while too long, drop whole lines — facts first, then summary sentences — so
    that no tag or entity is ever cut and every cited source keeps its link."""
    lines = [block.split("\n") for block in blocks]

    def size() -> int:
        return len("\n\n".join("\n".join(b) for b in lines if b))

    for index in (2, 1):  # the facts block, then the summary block
        while size() > TELEGRAM_LIMIT and index < len(lines) - 1 and len(lines[index]) > 2:
            lines[index].pop()
    return "\n\n".join("\n".join(b) for b in lines if b)[:TELEGRAM_LIMIT] if size() > TELEGRAM_LIMIT \
        else "\n\n".join("\n".join(b) for b in lines if b)
