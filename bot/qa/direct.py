"""The answer first: for a question that asks for a figure, a person, a date, a document or the
companies, one sentence built from the extracted facts of the results — with its source mark —
or an honest "the articles do not say" before what they do say."""

from __future__ import annotations

from bot.language.i18n import _
from bot.models import Agreement, Figure
from bot.qa.dates import human_date
from bot.qa.understand import Query
from bot.text.knowledge import Knowledge

MISSING = {  # Russian: translated when answered
    "figure": "Точной цифры в статьях нет; вот что есть:",
    "person": "Имён в статьях нет; вот что есть:",
    "date": "Точной даты в статьях нет; вот что есть:",
    "companies": "Компании в статьях не названы; вот что есть:",
    "document": "Подписанного документа в статьях нет; вот что есть:",
}
_EXPORT_WORDS = {"экспорт": "export", "export": "export", "импорт": "import", "import": "import"}


def direct_answer(query: Query, details: list, k: Knowledge) -> str | None:
    """The first line for ``query`` from the results' ``details`` (in their order), or None when
    the question asks for nothing in particular."""
    if query.asks is None or not details:
        return None
    for n, d in enumerate(details, 1):
        line = _line(query, d, k)
        if line:
            return f"{line.rstrip('. ')} [{n}]."
    return _(MISSING[query.asks])


def _line(query: Query, d, k: Knowledge) -> str | None:
    asks = query.asks
    agreements = sorted(d.agreements, key=lambda a: _between(query, a.parties, k), reverse=True)
    if asks == "figure":
        figure = _figure(query, d.figures, k)
        return _figure_text(figure, k, query) if figure else None
    if asks == "person":
        signed = next((a for a in agreements if a.signatories), None)
        if signed is not None:
            return _("Подписали: {names}").format(
                names=", ".join(_with_post(name, d.people) for name in signed.signatories)
            )
        posted = [p for p in d.people if p.post][:3]
        return "; ".join(f"{p.name} — {p.post}" for p in posted) if posted else None
    if asks == "date":
        dated = next((a for a in agreements if a.signed), None)
        if dated is not None:
            return _("{kind} подписан(о) {date}").format(
                kind=_kind(dated, k).capitalize(), date=human_date(dated.signed)
            )
        if agreements:  # a document without its date: say so, and when the article came out
            return _("Дата подписания в статье не указана; статья от {date}").format(
                date=human_date(d.article.published)
            )
        return f"{human_date(d.events[0].date)}: {d.events[0].sentence}" if d.events else None
    if asks == "companies":
        names = [o.name for o in d.organisations][:8]
        return _("Компании и организации: {names}").format(names=", ".join(names)) if names else None
    document = agreements[0] if agreements else None
    return _agreement_text(document, k) if document else None


def _between(query: Query, parties: list[str], k: Knowledge) -> bool:
    """Whether a fact is between all the places asked (at region level; a country through any
    of its places)."""
    levels = set(parties) | {k.gazetteer.region_of(p) for p in parties}
    return all(levels & set(group) for group in query.groups) if query.groups else True


def _figure(query: Query, figures: list[Figure], k: Knowledge) -> Figure | None:
    wanted = next((v for w, v in _EXPORT_WORDS.items() if w in query.text.lower()), "trade_turnover")
    money = [f for f in figures if f.kind != "growth"]
    ranked = sorted(money, key=lambda f: (_between(query, f.parties, k), f.kind == wanted, f.year or 0), reverse=True)
    return ranked[0] if ranked and _between(query, ranked[0].parties, k) else None


def _figure_text(f: Figure, k: Knowledge, query: Query) -> str:
    """'Товарооборот Санкт-Петербург — Казахстан за 2016 год — $682 млн', the sides in the order asked."""
    names = k.gazetteer.names

    def asked_first(place: str) -> int:
        levels = {place, k.gazetteer.region_of(place)}
        return next((i for i, group in enumerate(query.groups) if levels & set(group)), len(query.groups))

    label = k.fact_words.figure_names.get(f.kind, f.kind)
    between = " — ".join(names.get(p, p) for p in sorted(f.parties, key=asked_first))
    if f.year:
        return _("{label} {between} за {year} год — {value}").format(
            label=label, between=between, year=f.year, value=f.raw
        )
    return f"{label} {between} — {f.raw}"


def _agreement_text(a: Agreement, k: Knowledge) -> str:
    names = k.gazetteer.names
    text = _("Подписан(о): {title}").format(title=a.title)
    if a.parties:
        text += f" ({' — '.join(names.get(p, p) for p in a.parties)})"
    if a.period_start:
        text += ", " + _("на {start}–{end} гг.").format(start=a.period_start, end=a.period_end)
    if a.signed:
        text += f", {human_date(a.signed)}"
    return text


def _kind(a: Agreement, k: Knowledge) -> str:
    return k.fact_words.kind_names.get(a.kind, a.kind)


def _with_post(name: str, people: list) -> str:
    post = next((p.post for p in people if p.name == name and p.post), "")
    return f"{name} ({post})" if post else name
