"""From ranked articles to an ``Answer``: summary sentences and key facts, all taken verbatim
or field by field from stored articles, each tied to its source. Plain data; ``render`` draws it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.language.i18n import _
from bot.models import Agreement, Figure, Result
from bot.qa.dates import date_text as _date
from bot.qa.direct import direct_answer
from bot.qa.search import Ranked
from bot.qa.understand import Query
from bot.text.knowledge import Knowledge

_INTENT_WORDS = {"agreements", "trade", "people", "companies", "events", "partners"}


@dataclass(slots=True)
class Answer:
    query: Query
    results: list[Result] = field(default_factory=list)
    coverage: list[tuple[str, int]] = field(default_factory=list)  # (place name, articles) when nothing found
    # when nothing was found: for each asked region, the partners the store does hold articles with
    partners: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    direct: str | None = None  # the first line: the asked fact from the results, or "not in the articles"
    from_context: bool = False  # the places came from the previous question
    chosen: str | None = None  # an ambiguous name resolved to the one place with articles: which
    clarify: list[str] = field(default_factory=list)  # places to choose from before answering
    suggest: list[str] = field(default_factory=list)  # nothing found: places the asker may have meant
    smalltalk: tuple[str, list[str]] | None = None  # (reply, example questions) for "привет"


PARTNERS_SHOWN = 6


async def build(query: Query, ranked: list[Ranked], store, k: Knowledge) -> Answer:
    answer = Answer(query)
    if not ranked:
        answer.coverage = [(k.gazetteer.names[pid], n) for pid, n in await store.coverage()]
        regions = dict.fromkeys(k.gazetteer.region_of(p) for p in query.places)
        for rid in regions:
            if not k.gazetteer.places[rid].is_country:
                found = await store.catalog.partners(rid, PARTNERS_SHOWN)
                if found:
                    answer.partners.append((rid, found))
        return answer
    all_details = await store.details([r.article_id for r in ranked])
    answer.direct = direct_answer(query, [all_details[r.article_id] for r in ranked], k)
    for position, r in enumerate(ranked):
        details = all_details[r.article_id]
        if details.origin == "registry" and position == 0:  # its sentences are a summary already
            sentences = [text for text, _lemmas in details.sentences]
        else:
            sentences = _summary(query, details.sentences, k, 3 if position == 0 else 1)
        facts = _facts(query, details, k)
        answer.results.append(Result(details.article, r.score, sentences, facts))
    return answer


def _summary(query: Query, sentences: list[tuple[str, str]], k: Knowledge, size: int) -> list[str]:
    """The most relevant sentences, in article order: question words, place names, intent words."""
    terms, places = k.lexicon.with_aspects(set(query.terms)), query.place_lemmas
    scored = []
    for i, (text, lemmas) in enumerate(sentences):
        words = lemmas.split()
        score = 2.0 * len(terms & set(words)) + 1.0 * len(places & set(words))
        if query.intent in _INTENT_WORDS and k.lexicon.has_words(query.intent, words):
            score += 1.5
        score += 0.5 if i == 0 else 0.0
        score -= 0.002 * max(0, len(text) - 300)  # prefer sentences that read on their own
        scored.append((score, i))
    chosen = sorted(i for _score, i in sorted(scored, key=lambda s: (-s[0], s[1]))[:size])
    return [sentences[i][0] for i in chosen]


def _facts(query: Query, details, k: Knowledge) -> list[str]:
    facts = [agreement_line(a, k) for a in details.agreements]
    facts += [figure_line(f, k) for f in details.figures]
    people = details.people if query.intent == "people" else [p for p in details.people if p.post][:2]
    facts += [f"{p.name} — {p.post}" if p.post else p.name for p in people]
    if query.intent == "companies":
        names = ", ".join(o.name for o in details.organisations[:20])
        facts.append(_("Компании и организации: {names}").format(names=names))
    if query.intent == "events" or (details.origin == "registry" and not details.agreements):
        facts += [f"{_date(e.date)}: {e.sentence}" for e in details.events]
    return facts


def agreement_line(a: Agreement, k: Knowledge) -> str:
    names = k.gazetteer.names
    text = a.title[:1].upper() + a.title[1:]
    kind = k.fact_words.kind_names.get(a.kind, a.kind)
    if kind.split()[0].lower() not in a.title.lower():
        text = f"{kind.capitalize()}: {a.title}"
    parts = [text]
    if a.parties:
        parts.append(_("стороны: {parties}").format(parties=" — ".join(names.get(p, p) for p in a.parties)))
    if a.period_start:
        parts.append(_("на {start}–{end} гг.").format(start=a.period_start, end=a.period_end))
    if a.signed:
        parts.append(_("подписано: {date}").format(date=_date(a.signed)))
    if a.signatories:
        parts.append(_("подписали: {names}").format(names=", ".join(a.signatories)))
    return "; ".join(parts)


def figure_line(f: Figure, k: Knowledge) -> str:
    names = k.gazetteer.names
    label = k.fact_words.figure_names.get(f.kind, f.kind)
    between = " — ".join(names.get(p, p) for p in f.parties)
    year = " " + _("за {year} г.").format(year=f.year) if f.year else ""
    return f"{label}{' ' + between if between else ''}{year}: {f.raw}"
