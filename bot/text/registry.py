"""The registry of real cooperation events (``data/registry``, see its README): entries checked
field by field, and each entry as a stored article whose facts are the ones it declares — never
re-extracted from its summary, so a date, a party or a figure is exactly what the entry says.

An entry's stored url is its first source's url with ``#<entry id>`` appended: several entries
may cite one page (a forum's report lists many signings), and the fragment keeps each its own
article while the link still opens that page."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from razdel import sentenize

from bot.language.paths import read_yaml
from bot.models import (
    Agreement,
    Article,
    ArticleFacts,
    EventDate,
    Figure,
    Mention,
    Organisation,
    Person,
    deal_key,
)
from bot.text.documents import DocumentError, check_url

SUFFIXES = (".yaml", ".yml")
FIELDS = {"id", "date", "date_note", "kind", "sides", "title", "summary", "period", "figures", "people",
          "organisations", "topics", "sources"}  # fmt: skip
UNITS = {"млрд", "млн", "тыс", "%", "раза", ""}
CURRENCIES = {"USD": "долларов", "RUB": "рублей", "KZT": "тенге", "EUR": "евро", "": ""}
_ID = re.compile(r"[a-z0-9][a-z0-9-]{2,80}")
_PERIOD = re.compile(r"((?:19|20)\d\d)–((?:19|20)\d\d)")


class RegistryError(DocumentError):
    """An entry (or a file) that breaks the registry's rules; the message names the file and entry."""


@dataclass(slots=True)
class Entry:
    file: Path
    id: str
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY
    kind: str
    sides: list[str]
    title: str
    summary: str
    sources: list[dict[str, str]]
    raw: dict[str, Any]
    period: tuple[int, int] | None = None
    figures: list[Figure] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.sources[0]['url'].split('#', 1)[0]}#{self.id}"

    @property
    def published(self) -> str:
        return str(self.sources[0].get("date") or self.date)[:10]


def _date(value: object, today: dt.date) -> str | None:
    """The value as YYYY-MM-DD, YYYY-MM or YYYY if it is a real date not after ``today``."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return text[:size] if parsed <= today else None
    return None


def parse(raw: object, file: Path, known: Vocabulary, today: dt.date | None = None) -> Entry:
    """One entry, checked; a RegistryError names the file, the entry and every problem."""
    today = today or dt.date.today()
    where = f"{file.name}: entry {raw.get('id', '?') if isinstance(raw, dict) else '?'}"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: not a mapping of fields")
    problems: list[str] = []
    if extra := set(raw) - FIELDS:
        problems.append(f"unknown fields {sorted(extra)}")
    entry_id = str(raw.get("id", ""))
    if not _ID.fullmatch(entry_id):
        problems.append("id must be lower-case ASCII letters, digits and hyphens")
    date = _date(raw.get("date"), today)
    if date is None:
        problems.append(f"date {raw.get('date')!r} is not YYYY[-MM[-DD]] or is in the future")
    kind = str(raw.get("kind", ""))
    if kind not in known.kinds:
        problems.append(f"kind {kind!r} is not one of {sorted(known.kinds)}")
    sides = [str(s) for s in raw.get("sides") or []]
    if len(sides) < 2 or len(set(sides)) != len(sides):
        problems.append("needs two or more distinct sides")
    problems += [f"side {s!r} is not in the gazetteer" for s in sides if s not in known.places]
    title, summary = " ".join(str(raw.get("title", "")).split()), " ".join(str(raw.get("summary", "")).split())
    if not 10 <= len(title) <= 150:
        problems.append("title must be 10–150 characters")
    if not 120 <= len(summary) <= 900:
        problems.append(f"summary must be 120–900 characters (has {len(summary)})")
    period = None
    if raw.get("period"):
        if m := _PERIOD.fullmatch(str(raw["period"])):
            period = (int(m.group(1)), int(m.group(2)))
        else:
            problems.append("period must be YYYY–YYYY (with an en dash)")
    topics = [str(t) for t in raw.get("topics") or []]
    problems += [f"topic {t!r} is not in data/topics.yaml" for t in topics if t not in known.topics]
    figures = [_figure(f, sides, known, problems) for f in raw.get("figures") or []]
    people = []
    for p in raw.get("people") or []:
        if isinstance(p, dict) and str(p.get("name") or "").strip():
            people.append(Person(str(p["name"]).strip(), str(p.get("post") or "").strip()))
        else:
            problems.append(f"a person needs a name: {p!r}")
    sources = []
    for s in raw.get("sources") or []:
        if not isinstance(s, dict) or not s.get("publisher"):
            problems.append(f"a source needs a url and a publisher: {s!r}")
            continue
        try:
            check_url(str(s.get("url") or ""))
        except DocumentError as exc:
            problems.append(f"source url: {exc}")
            continue
        if s.get("date") is not None and _date(s["date"], today) is None:
            problems.append(f"source date {s['date']!r} does not parse or is in the future")
        sources.append({"url": str(s["url"]), "publisher": str(s["publisher"]), "date": str(s.get("date") or "")})
    if not raw.get("sources"):
        problems.append("needs at least one source")
    if problems:
        raise RegistryError(f"{where}: " + "; ".join(problems))
    return Entry(file, entry_id, date or "", kind, sides, title, summary, sources, raw, period, figures, people,
                 [str(o) for o in raw.get("organisations") or []], topics)  # fmt: skip


def _figure(raw: object, sides: list[str], known: Vocabulary, problems: list[str]) -> Figure:
    fig = raw if isinstance(raw, dict) else {}
    indicator, unit, currency = (str(fig.get(key) or "") for key in ("indicator", "unit", "currency"))
    value, year = fig.get("value"), fig.get("year")
    fig_sides = [str(s) for s in fig.get("sides") or sides]
    amount = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if amount is None or indicator not in known.indicators or unit not in UNITS or currency not in CURRENCIES:
        problems.append(f"bad figure {raw!r}")
        amount = 0.0
    problems += [f"figure side {s!r} is not in the gazetteer" for s in fig_sides if s not in known.places]
    return Figure(indicator, amount, unit, currency, _figure_text(amount, unit, currency),
                  year if isinstance(year, int) else None, fig_sides)  # fmt: skip


def _figure_text(value: float, unit: str, currency: str) -> str:
    """'682 млн долларов', '1,2 млрд рублей', '12%', 'в 1,6 раза' — as an answer shows it."""
    number = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")
    if unit == "%":
        return f"{number}%"
    if unit == "раза":
        return f"в {number} раза"
    return " ".join(part for part in (number, unit, CURRENCIES[currency]) if part)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What entries may name: places, topics, kinds and figure indicators, from ``data/``."""

    places: frozenset[str]
    topics: frozenset[str]
    kinds: frozenset[str]
    deal_kinds: frozenset[str]
    indicators: frozenset[str]

    @classmethod
    def of(cls, k: Any) -> Vocabulary:
        words = k.fact_words
        return cls(frozenset(k.gazetteer.places), frozenset(k.lexicon.topics),
                   frozenset(words.kind_names) | frozenset(words.event_kinds), frozenset(words.kind_names),
                   frozenset(words.figure_names))  # fmt: skip


def read(path: Path, known: Vocabulary) -> tuple[list[Entry], list[str]]:
    """The file's good entries and a message for each bad one (or for a broken file)."""
    try:
        data = read_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [], [f"{path.name}: not a readable YAML file: {str(exc).splitlines()[0]}"]
    if not isinstance(data, list):
        return [], [f"{path.name}: a registry file is a YAML list of entries"]
    entries, errors = [], []
    for raw in data:
        try:
            entries.append(parse(raw, path, known))
        except RegistryError as exc:
            errors.append(str(exc))
    return entries, errors


def deal_of(entry: Entry, region_of: Any) -> str | None:
    """The deal an entry of a document kind is: the key an ingested article reporting the same
    document gets too."""
    return deal_key(entry.kind, {region_of(s) for s in entry.sides}, entry.date[:4])


def check(folder: Path, known: Vocabulary) -> tuple[list[Entry], list[str]]:
    """Every entry under ``folder`` and every problem: bad entries, ids used twice, two entries
    for one deal."""
    entries, errors = [], []
    for path in sorted(folder.rglob("*")):
        if path.suffix in SUFFIXES:
            found, bad = read(path, known)
            entries += found
            errors += bad
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            errors.append(f"{entry.file.name}: entry {entry.id}: id also used in {seen[entry.id].file.name}")
        seen[entry.id] = entry
    return entries, errors


def duplicate_deals(entries: list[Entry], known: Vocabulary, region_of: Any) -> list[str]:
    deals: dict[str, Entry] = {}
    errors = []
    for entry in entries:
        key = deal_of(entry, region_of) if entry.kind in known.deal_kinds else None
        if key is None:
            continue
        if key in deals:
            other = deals[key]
            errors.append(f"{entry.file.name}: entry {entry.id}: the same deal as {other.id} ({other.file.name})")
        deals[key] = entry
    return errors


def article(entry: Entry, k: Any) -> tuple[Article, ArticleFacts, str, tuple[str, str, str], dict[str, str]]:
    """The entry as a stored article: (article, facts, content hash, lemmas of title / text /
    names, name keys) — its sides are the parties, places its summary names only in passing are
    mentions, its facts are the declared ones."""
    sentences = [s.text for s in sentenize(entry.summary)]
    sentence_lemmas = [k.morph.lemma_text(s) for s in sentences]
    regions: dict[str, Mention] = {side: Mention(2) for side in entry.sides}
    for side in entry.sides:
        parent = k.gazetteer.places[side].parent
        if parent and parent not in regions:
            regions[parent] = Mention(1, direct=False)
    for mention in k.gazetteer.find(k.morph.tokens(entry.summary)):
        if mention.place_id not in regions:
            regions[mention.place_id] = Mention(1, party=False)
    topics = dict.fromkeys(entry.topics, 1.0) | k.lexicon.article_topics(" ".join(sentence_lemmas).split())
    agreements = []
    if entry.kind in k.fact_words.kind_names:
        start, end = entry.period or (None, None)
        agreements.append(Agreement(entry.kind, entry.title, list(entry.sides), entry.date, start, end, [],
                                    sentences[0] if sentences else entry.summary))  # fmt: skip
        agreements[0].deal = deal_of(entry, k.gazetteer.region_of)
    kind_name = {**k.fact_words.kind_names, **k.fact_words.event_kinds}[entry.kind]
    facts = ArticleFacts(
        sentences=sentences,
        sentence_lemmas=sentence_lemmas,
        regions=regions,
        topics=topics,
        agreements=agreements,
        figures=[
            Figure(f.kind, f.amount, f.unit, f.currency, f.raw, f.year, f.parties, entry.title) for f in entry.figures
        ],  # fmt: skip
        people=entry.people,
        organisations=[Organisation(name) for name in entry.organisations],
        events=[EventDate(entry.date, f"{kind_name.capitalize()}: {entry.title}")],
        origin="registry",
        kind=entry.kind,
    )
    source = entry.sources[0]
    stored = Article(entry.url, entry.title, source["publisher"], entry.published, entry.summary)
    content_hash = hashlib.sha256(json.dumps(entry.raw, ensure_ascii=False, sort_keys=True, default=str).encode())
    names = {p.name: k.morph.lemma_text(p.name) for p in entry.people}
    names |= {o: k.morph.lemma_text(o) for o in entry.organisations}
    lemmas = (k.morph.lemma_text(entry.title), " ".join(sentence_lemmas), " ".join(names.values()))
    return stored, facts, content_hash.hexdigest(), lemmas, names
