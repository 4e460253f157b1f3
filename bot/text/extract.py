"""Fact extraction from one cleaned article: sentences, places, topics, agreements, figures,
people, organisations and event dates.

Sentences are split on line breaks first and then by razdel (headlines and datelines have no
final stop). Places come from the gazetteer on lemmas, with names in quotes masked (an ice arena
called «Астана» is not Astana); people and organisations from natasha; numbers from yargy.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz
from razdel import sentenize

from bot.language.gazetteer import Gazetteer
from bot.language.lexicon import Lexicon
from bot.language.morph import Morph, Token, fold
from bot.models import Agreement, ArticleFacts, EventDate, Figure, Mention, Organisation, Person
from bot.text.grammars import CURRENCY_SIGNS, CURRENCY_WORDS, MONTHS, MULTIPLIERS, Grammars, Match
from bot.text.ner import NamedSpan, Ner

_OPEN_QUOTES, _CLOSE_QUOTES, _BOTH_QUOTES = "«„“", "»”", "\"'"
_NAME_BREAKS = {"и", "с", "со", "а", "или"}
_STOP_PHRASE = {"между", "на", "с", "со", "в", "во", "и", "который", "что", "до", "за"}


@dataclass(slots=True)
class _Sentence:
    text: str
    start: int
    tokens: list[Token]
    places: list[str]
    is_title: bool
    spans: list[NamedSpan] = field(default_factory=list)

    @property
    def lemmas(self) -> list[str]:
        return [t.info.lemma for t in self.tokens if t.is_word]


@dataclass(frozen=True, slots=True)
class FactWords:
    """``data/facts.yaml``: the words that turn a sentence into a fact."""

    agreement_kinds: dict[tuple[str, ...], str]
    signing_verbs: frozenset[str]
    twinning_words: frozenset[str]
    kind_names: dict[str, str]
    event_kinds: dict[str, str]
    figure_kinds: dict[str, str]
    figure_names: dict[str, str]
    posts: frozenset[str]
    legal_forms: frozenset[str]

    @classmethod
    def load(cls, path: Path, morph: Morph) -> FactWords:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))

        def lemmas(words) -> frozenset[str]:
            return frozenset(morph.lemma(w) for w in words)

        return cls(
            agreement_kinds={tuple(k.split()): v for k, v in raw["agreement_kinds"].items()},
            signing_verbs=lemmas(raw["signing_verbs"]),
            twinning_words=lemmas(raw["twinning_words"]),
            kind_names=raw["kind_names"],
            event_kinds=raw["event_kinds"],
            figure_kinds=raw["figure_kinds"],
            figure_names=raw["figure_names"],
            posts=frozenset(fold(p) for p in raw["posts"]),
            legal_forms=frozenset(raw["legal_forms"]),
        )


class Extractor:
    def __init__(
        self, morph: Morph, gazetteer: Gazetteer, lexicon: Lexicon, words: FactWords, grammars: Grammars, ner: Ner
    ) -> None:
        self.morph, self.gazetteer, self.lexicon, self.words = morph, gazetteer, lexicon, words
        self.grammars, self.ner = grammars, ner

    def extract(self, title: str, text: str, published: str | None) -> ArticleFacts:
        full, sentences = self._sentences(title, text)
        for span in self.ner.spans(full):
            for sentence in sentences:
                if sentence.start <= span.start < sentence.start + len(sentence.text):
                    sentence.spans.append(span)
                    break
        regions = self._regions(sentences)
        primary = self._primary_parties(regions)
        year = int(published[:4]) if published else None
        body = [s for s in sentences if not s.is_title]
        numbers = {id(s): self.grammars.numbers(s.text) for s in sentences if any(c.isdigit() for c in s.text)}
        all_lemmas = [lemma for s in sentences for lemma in s.lemmas]
        return ArticleFacts(
            sentences=[s.text for s in body],
            sentence_lemmas=[" ".join(s.lemmas) for s in body],
            regions=regions,
            topics=self.lexicon.article_topics(all_lemmas),
            agreements=self._agreements(sentences, numbers, primary, year),
            figures=self._figures(sentences, numbers, primary),
            people=self._people(sentences),
            organisations=self._organisations(sentences),
            events=self._events(sentences, numbers, year),
        )

    # -- sentences and places --------------------------------------------------------------
    def _sentences(self, title: str, text: str) -> tuple[str, list[_Sentence]]:
        full = f"{title}\n{text}" if title else text
        sentences, offset = [], 0
        for n, line in enumerate(full.split("\n")):
            for piece in sentenize(line):
                start = offset + piece.start
                tokens = self.morph.tokens(piece.text, offset=start)
                mentions = self.gazetteer.find(tokens, skip=_quoted(tokens))
                places = [m.place_id for m in mentions]
                sentences.append(_Sentence(piece.text, start, tokens, places, is_title=bool(title) and n == 0))
            offset += len(line) + 1
        return full, sentences

    def _regions(self, sentences: list[_Sentence]) -> dict[str, Mention]:
        direct = Counter(p for s in sentences for p in s.places)
        regions: dict[str, Mention] = {pid: Mention(n) for pid, n in direct.items()}
        for pid, n in direct.items():
            parent = self.gazetteer.places[pid].parent
            if parent:
                known = regions.get(parent, Mention(0, direct=False))
                regions[parent] = Mention(known.count + n, known.direct)
        return regions

    def _primary_parties(self, regions: dict[str, Mention]) -> list[str]:
        """The two sides the article is about: its most named place and the most named place of
        another country (or, failing that, the next place) — used when a fact names fewer."""
        places = self.gazetteer.places
        named = sorted((pid for pid, m in regions.items() if m.direct), key=lambda p: -regions[p].count)
        local = [p for p in named if not places[p].is_country]
        if not local:
            return named[:2]
        first = local[0]
        others = [p for p in named if places[p].country != places[first].country]
        rest = [p for p in local[1:] if self.gazetteer.region_of(p) != self.gazetteer.region_of(first)]
        second = others[:1] or rest[:1]
        return [first, *second]

    def _parties(self, sentence: _Sentence, primary: list[str]) -> tuple[list[str], bool]:
        """Places a fact in this sentence is between, and whether the sentence names them itself."""
        parties = list(dict.fromkeys(sentence.places))
        local = [p for p in parties if not self.gazetteer.places[p].is_country]
        if len(local) >= 2:
            parties = local
        explicit = len(parties) >= 2
        regions = {self.gazetteer.region_of(p) for p in parties}
        for pid in primary:
            if len(parties) >= 2:
                break
            if self.gazetteer.region_of(pid) not in regions and not self._same_side(pid, parties):
                parties.append(pid)
                regions.add(self.gazetteer.region_of(pid))
        return parties, explicit

    def _same_side(self, pid: str, parties: list[str]) -> bool:
        """A country is no second side to one of its own regions."""
        place = self.gazetteer.places[pid]
        return any(
            (place.is_country or self.gazetteer.places[p].is_country)
            and self.gazetteer.places[p].country == place.country
            for p in parties
        )

    # -- agreements --------------------------------------------------------------------------
    def _agreements(self, sentences, numbers, primary, year) -> list[Agreement]:
        found: list[Agreement] = []
        for sentence in sentences:
            lemmas = sentence.lemmas
            if not (
                set(lemmas) & self.words.signing_verbs
                or (sentence.is_title and set(lemmas) & self.words.twinning_words)
            ):
                continue
            hit = self._agreement_phrase(sentence)
            if hit is None:
                continue
            kind, title = hit
            if set(lemmas) & self.words.twinning_words:
                kind = "twinning"
            parties, _ = self._parties(sentence, primary)
            agreement = Agreement(kind=kind, title=title, parties=parties, sentence=sentence.text)
            for match in numbers.get(id(sentence), []):
                if match.kind == "period" and agreement.period_start is None:
                    agreement.period_start, agreement.period_end = int(match.values[0]), int(match.values[2])
                elif match.kind in ("date", "year") and agreement.signed is None:
                    agreement.signed = _iso_date(match, self.morph, year)
            if agreement.signed is None and year and _says_this_year(lemmas):
                agreement.signed = str(year)
            if self._signed_actively(sentence):  # 'X и Y подписали', not 'было подписано'
                names = [_tidy_name(s.normal) if s.type == "PER" else self._org_name(s) for s in sentence.spans]
                agreement.signatories = list(dict.fromkeys(names))
            _merge_agreement(found, agreement, self.gazetteer)
        return found

    def _signed_actively(self, sentence: _Sentence) -> bool:
        return any(t.info.pos == "VERB" and t.info.lemma in self.words.signing_verbs for t in sentence.tokens)

    def _agreement_phrase(self, sentence: _Sentence) -> tuple[str, str] | None:
        """The agreement's kind and its name as written: 'меморандум о сотрудничестве'."""
        tokens = sentence.tokens
        for i in range(len(tokens)):
            for key, kind in self.words.agreement_kinds.items():
                n = len(key)
                if tuple(t.info.lemma for t in tokens[i : i + n]) != key:
                    continue
                phrase = [t.text for t in tokens[i : i + n]]
                for token in tokens[i + n : i + n + 6]:
                    word = fold(token.text)
                    if not token.is_word or word in _STOP_PHRASE or (word in ("о", "об", "по") and len(phrase) > n):
                        break
                    phrase.append(token.text)
                return kind, self.morph.nominative_phrase(phrase)
        return None

    # -- figures -----------------------------------------------------------------------------
    def _figures(self, sentences, numbers, primary) -> list[Figure]:
        found = []
        for sentence in sentences:
            matches = numbers.get(id(sentence), [])
            money = [m for m in matches if m.kind == "money"]
            if not money:
                continue
            lemmas = sentence.lemmas
            kind = next((self.words.figure_kinds[w] for w in lemmas if w in self.words.figure_kinds), "amount")
            years = [int(m.values[0]) for m in matches if m.kind == "year"]
            parties, _ = self._parties(sentence, primary)
            for m in money:
                amount, unit, currency = _money_value(m, self.morph)
                raw = sentence.text[m.start : m.stop].rstrip(". ")
                found.append(
                    Figure(kind, amount, unit, currency, raw, years[0] if years else None, parties, sentence.text)
                )
        return found

    # -- people and organisations ---------------------------------------------------------
    def _people(self, sentences: list[_Sentence]) -> list[Person]:
        people: list[Person] = []
        for sentence in sentences:
            for span in sentence.spans:
                if span.type != "PER" or fold(span.text.split()[0]) in self.words.posts:
                    continue
                name = _tidy_name(span.normal)
                post, side = self._post(sentence, span)
                people.append(Person(name, post, side, sentence.text))
        return _merge_people(people)

    def _post(self, sentence: _Sentence, span: NamedSpan) -> tuple[str, str | None]:
        tokens = sentence.tokens
        first = next(i for i, t in enumerate(tokens) if t.stop > span.start)
        last = next((i for i, t in enumerate(tokens) if t.start >= span.stop), len(tokens))
        before = tokens[max(0, first - 8) : first]
        other_names = {
            i for s in sentence.spans if s is not span for i, t in enumerate(tokens) if s.start <= t.start < s.stop
        }
        start = None
        for i in range(len(before) - 1, -1, -1):
            token = before[i]
            if (
                (not token.is_word and token.text != "-")
                or fold(token.text) in _NAME_BREAKS
                or (first - len(before) + i) in other_names
            ):
                break
            if self._is_post(token):
                start = i
        if start is not None:
            post_tokens = before[start:]
        elif last + 1 < len(tokens) and tokens[last].text == "," and self._is_post(tokens[last + 1]):
            post_tokens = []
            for token in tokens[last + 1 : last + 7]:
                if not token.is_word:
                    break
                post_tokens.append(token)
        else:
            return "", None
        places = [m.place_id for m in self.gazetteer.find(post_tokens)]
        return self.morph.nominative_phrase([t.text for t in post_tokens]), (places[0] if places else None)

    def _is_post(self, token: Token) -> bool:
        return bool({fold(token.text), *token.info.lemmas} & self.words.posts)

    def _organisations(self, sentences: list[_Sentence]) -> list[Organisation]:
        orgs: dict[str, Organisation] = {}
        for sentence in sentences:
            for span in sentence.spans:
                if span.type != "ORG":
                    continue
                name = self._org_name(span)
                key = self.search_name(name)
                if len(key) < 3 or fold(span.text) in self.words.posts or self._is_place(key):
                    continue
                orgs.setdefault(key, Organisation(name, sentence.text))
        return list(orgs.values())

    def _org_name(self, span: NamedSpan) -> str:
        return _balance_quotes(self.morph.nominative_phrase(span.text.split()))

    def _is_place(self, text: str) -> bool:
        tokens = self.morph.tokens(text)
        mentions = self.gazetteer.find(tokens)
        return bool(mentions) and mentions[0].stop - mentions[0].start >= len([t for t in tokens if t.is_word])

    def search_name(self, name: str) -> str:
        """An organisation's name as searched: no legal form, no quotes, folded."""
        words = [w for w in re.split(r"[\s\"«»„“”()]+", name) if w and w not in self.words.legal_forms]
        return fold(" ".join(words))

    # -- event dates -------------------------------------------------------------------------
    def _events(self, sentences, numbers, year) -> list[EventDate]:
        events: dict[str, EventDate] = {}
        for sentence in sentences:
            for m in numbers.get(id(sentence), []):
                if m.kind == "date" and m.values[0].isdigit():
                    date = _iso_date(m, self.morph, year)
                    if date and len(date) == 10:
                        events.setdefault(date, EventDate(date, sentence.text))
        return sorted(events.values(), key=lambda e: e.date)


# -- helpers --------------------------------------------------------------------------------


def _quoted(tokens: list[Token]) -> set[int]:
    """Indexes of tokens inside quotation marks: names of organisations, events, arenas."""
    inside, depth, straight = set(), 0, False
    for i, token in enumerate(tokens):
        if token.text in _OPEN_QUOTES:
            depth += 1
        elif token.text in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif token.text in _BOTH_QUOTES:
            straight = not straight
        elif depth or straight:
            inside.add(i)
    return inside


def _says_this_year(lemmas: list[str]) -> bool:
    pairs = set(itertools.pairwise(lemmas))
    return bool(pairs & {("этот", "год"), ("этот", "лето"), ("этот", "весна"), ("этот", "осень"), ("этот", "зима")})


def _iso_date(match: Match, morph: Morph, default_year: int | None) -> str | None:
    values = [v for v in match.values if v not in (".", ",")]
    if match.kind == "year":
        return values[0]
    day = int(values[0]) if values[0].isdigit() else None
    month_word = values[1] if day else values[0]
    month = MONTHS.get(morph.lemma(month_word))
    year = next((int(v) for v in values if v.isdigit() and len(v) == 4), default_year)
    if month is None or year is None:
        return None
    return f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"


def _money_value(match: Match, morph: Morph) -> tuple[float, str, str]:
    digits = [v for v in match.values if v.isdigit()]
    number = float(".".join(digits[:2])) if len(digits) > 1 else float(digits[0])
    unit, currency = "", ""
    for value in match.values:
        lemma = morph.lemma(value)
        unit = MULTIPLIERS.get(lemma, MULTIPLIERS.get(value.lower(), unit))
        currency = (
            CURRENCY_SIGNS.get(value) or CURRENCY_WORDS.get(lemma) or CURRENCY_WORDS.get(value.lower()) or currency
        )
    return number, unit, currency


def _tidy_name(name: str) -> str:
    """'Вячеслав ДВОРАКОВСКИЙ' → 'Вячеслав Двораковский' (papers set surnames in capitals)."""
    return " ".join(w.capitalize() if w.isupper() and len(w) > 3 else w for w in name.split())


def _balance_quotes(name: str) -> str:
    name = name.strip(" ,.")
    if name.count('"') % 2:
        name += '"'
    if name.count("«") > name.count("»"):
        name += "»"
    return name


def _merge_people(people: list[Person]) -> list[Person]:
    """One entry per person: 'Беглов' joins 'Александр Беглов'; spellings that differ by a case
    ending ('Булат Бакауова') join the most frequent one."""
    counts = Counter(p.name for p in people)
    merged: dict[str, Person] = {}
    for person in sorted(people, key=lambda p: (-len(p.name.split()), -counts[p.name])):
        target = next((k for k in merged if _same_person(k, person.name)), None)
        if target is None:
            merged[person.name] = Person(person.name, person.post, person.side, person.sentence)
        elif not merged[target].post and person.post:
            merged[target].post, merged[target].side = person.post, person.side
    return list(merged.values())


def _same_person(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if len(wb) == 1:
        return fuzz.ratio(fold(wa[-1]), fold(wb[0])) >= 85
    return fold(wa[0]) == fold(wb[0]) and fuzz.ratio(fold(wa[-1]), fold(wb[-1])) >= 85


def _merge_agreement(found: list[Agreement], new: Agreement, gazetteer: Gazetteer) -> None:
    """The same agreement reported in several sentences of one article becomes one fact."""
    regions = {gazetteer.region_of(p) for p in new.parties}
    for old in found:
        same_parties = {gazetteer.region_of(p) for p in old.parties} == regions
        compatible_kind = old.kind == new.kind or {old.kind, new.kind} <= {"memorandum", "agreement"}
        conflict = (old.period_start and new.period_start and old.period_start != new.period_start) or (
            old.signed and new.signed and old.signed != new.signed
        )
        if same_parties and compatible_kind and not conflict:
            old.period_start = old.period_start or new.period_start
            old.period_end = old.period_end or new.period_end
            old.signed = old.signed or new.signed
            old.signatories = list(dict.fromkeys(old.signatories + new.signatories))
            if not old.sentence or (new.period_start and not old.period_start):
                old.sentence = new.sentence
            return
    found.append(new)
