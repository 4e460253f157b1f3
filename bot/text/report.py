"""What the pipeline extracts from an article, as one JSON-ready record: the operator's "why did
the bot say that" (`coopbot facts`), and the interface the real-text checks score."""

from __future__ import annotations

from typing import Any

from bot.language.detect import language
from bot.models import ArticleFacts, Person
from bot.text.documents import RawDocument

SUMMARY_SENTENCES = 3


def _date(signed: str | None) -> str | None:
    return signed or None


def record(doc: RawDocument, facts: ArticleFacts, k: Any) -> dict[str, Any]:
    """``{file, title, language, places, agreements, figures, people, organisations, summary}``;
    names in the gazetteer's Russian nominative, kinds in Russian as the answers show them."""
    names = k.gazetteer.names
    kinds = {**k.fact_words.kind_names, **k.fact_words.event_kinds}

    def place(pid: str) -> dict[str, str]:
        return {"id": pid, "name": names.get(pid, pid)}

    people = {p.name: p for p in facts.people}

    def signer(name: str) -> dict[str, str]:
        person = people.get(name) or Person(name)
        return {"name": person.name, "post": person.post}

    return {
        "file": str(doc.path),
        "title": doc.title,
        "language": language(f"{doc.title}\n{doc.body}"),
        "places": [
            {**place(pid), "role": "party" if m.party else "mention"} for pid, m in facts.regions.items() if m.direct
        ],
        "agreements": [
            {
                "kind": kinds.get(a.kind, a.kind),
                "title": a.title,
                "parties": [place(p) for p in a.parties],
                "signed": _date(a.signed),
                "period": f"{a.period_start}–{a.period_end}" if a.period_start and a.period_end else None,
                "signers": [signer(s) for s in a.signatories],
            }
            for a in facts.agreements
        ],
        "figures": [
            {
                "indicator": k.fact_words.figure_names.get(f.kind, f.kind),
                "value": f.amount,
                "unit": " ".join(part for part in (f.unit, f.currency) if part),
                "year": f.year,
                "sides": [place(p) for p in f.parties],
            }
            for f in facts.figures
        ],
        "people": [{"name": p.name, "post": p.post} for p in facts.people],
        "organisations": [o.name for o in facts.organisations],
        "summary": summary(facts),
    }


def summary(facts: ArticleFacts, size: int = SUMMARY_SENTENCES) -> list[str]:
    """The sentences an overview of the article would quote: its first ones fit to be quoted."""
    quotable = facts.quotable or [True] * len(facts.sentences)
    return [s for s, ok in zip(facts.sentences, quotable, strict=True) if ok][:size]
