"""Fact extraction from one cleaned article (Russian, Kazakh or English): sentences, places with
their roles, topics, agreements, figures, people, organisations and event dates.

- Places come from the gazetteer on lemmas (Kazakh words on their stems), with short quoted
  names masked (an ice arena called «Астана» is not Astana). Each mention is a *venue* when it
  says where an event took place ("на форуме в Атырау", "held in Chelyabinsk"), else a possible
  side; only sides make an article "about" a place and only sides sign or trade.
- An agreement needs its document noun and a signing in the same sentence (a verb, or a noun:
  "состоялось подписание", "подписи поставили", "signed", "қол қойды"); a planned signing is no
  agreement. Its date and period come from that sentence only; a sentence recalling an earlier
  document is left alone. Reports of one document in several sentences merge into one record.
- Signers are people (natasha's PER spans, or the English and Kazakh "post + Name Surname"
  pattern), from the signing sentence or the one after it, never an organisation or a person
  named "по поручению"; posts come from the words around the name.
- A figure's sides come from its own clause; a figure between the two countries stays national.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz
from razdel import sentenize

from bot.language.detect import language
from bot.language.gazetteer import Gazetteer
from bot.language.lexicon import Lexicon
from bot.language.morph import Morph, Token, fold
from bot.language.paths import read_yaml
from bot.models import Agreement, ArticleFacts, EventDate, Figure, Mention, Organisation, Person
from bot.text.grammars import CURRENCY_SIGNS, CURRENCY_WORDS, MONTHS, MULTIPLIERS, Grammars, Match
from bot.text.ner import NamedSpan, Ner

_OPEN_QUOTES, _CLOSE_QUOTES, _BOTH_QUOTES = "«„“", "»”", "\"'"
_NAME_BREAKS = {"и", "с", "со", "а", "или", "and", "мен", "пен", "бен"}
_STOP_PHRASE = {"между", "на", "с", "со", "в", "во", "и", "который", "что", "до", "за", "between", "was", "has",
                "have", "by", "were", "is", "and", "signed", "at", "in"}  # fmt: skip
# words that join a second document to the first in one signing sentence, at most this far apart
_JOINERS = {"и", "а", "также", "together", "along", "and", "as", "well", "және", "мен", "бен", "пен"}
_JOIN_GAP = 10
_KAZAKH_LOCATIVE = {"да", "де", "та", "те", "нда", "нде"}
# a Russian surname with a Kazakh case ending: "Никитинмен", "Хоценконың", "Бектеновке"
# (a short ending only after a surname's own ending; a long one after any stem of 4 letters:
# "Текслердің"), so that names such as "Ерден" or "Алида" stay whole
_KAZAKH_CASE_ON_SURNAME = re.compile(
    r"^(?:([А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+(?:ов|ев|ёв|ин|ын|ко|ук|юк|ий|ова|ева|ина|ская|ский))"
    r"(?:ға|ге|қа|ке|ты|ті|ды|ді|ны|ні|да|де|та|те)"
    r"|([А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]{3,}?)(?:мен|пен|бен|ның|нің|тың|тің|дың|дің|дан|ден|тан|тен|нан|нен))$"
)
_FRAMEWORK_WORDS = {"under", "within", "of", "in", "to", "for", "on", "by", "at", "pursuant"}
_MASKED_QUOTE_WORDS = 6  # a quoted name is short; a longer quote is speech, whose places count
_RECALL = re.compile(r"\b(ранее|ещё в|еще в|в свое время|в своё время|предыдущ|прежн|действующ|dates back|earlier|"
                     r"previous|бұрын)", re.IGNORECASE)  # fmt: skip
_GROWTH = re.compile(r"(?:на\s+)?(\d+(?:[.,]\d+)?)\s?(%|процент\w*|percent)|в\s+(\d+(?:[.,]\d+)?)\s+раза?", re.I)
_SURNAME = re.compile(r"(ov|ova|ev|eva|yev|yeva|in|ina|yn|ko|enko|sky|skiy|skaya|iy|uly|kyzy|ов|ова|ев|ева|ин|ина|"
                      r"ко|ский|ұлы|қызы)$")  # fmt: skip
_EVENT_NAME_WORDS = frozenset({"сотрудничество", "межрегиональный", "cooperation", "interregional", "ынтымақтастық",
                               "аймақаралық"})  # fmt: skip
_PERSON_WORD = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?")


@dataclass(slots=True)
class _Sentence:
    text: str
    start: int
    tokens: list[Token]
    places: list[str]  # places named as possible sides, in order
    venues: list[str]  # places named only as where something happened
    is_title: bool
    spans: list[NamedSpan] = field(default_factory=list)

    @property
    def lemmas(self) -> list[str]:
        return [t.info.lemma for t in self.tokens if t.is_word]

    def has(self, words: frozenset[str]) -> bool:
        return any(t.info.lemmas & words or fold(t.text) in words for t in self.tokens if t.is_word)


@dataclass(frozen=True, slots=True)
class _Phrase:
    kind: str
    title: str
    start: int  # where the document's name starts, in its sentence's text


@dataclass(frozen=True, slots=True)
class FactWords:
    """``data/facts.yaml``: the words that turn a sentence into a fact."""

    agreement_kinds: dict[tuple[str, ...], str]
    signing_verbs: frozenset[str]
    signing_nouns: frozenset[str]
    signing_hand: str
    signing_put: tuple[str, ...]
    planned: frozenset[str]
    twinning_words: frozenset[str]
    kind_names: dict[str, str]
    event_kinds: dict[str, str]
    figure_kinds: dict[str, str]
    figure_names: dict[str, str]
    posts: frozenset[str]
    legal_forms: frozenset[str]
    venue_words: frozenset[str]
    visit_words: frozenset[str]
    venue_prepositions: frozenset[str]
    not_signer: frozenset[str]
    national: frozenset[str]

    @classmethod
    def load(cls, path: Path, morph: Morph) -> FactWords:
        raw = read_yaml(path)

        def lemmas(words) -> frozenset[str]:
            return frozenset({morph.lemma(w) for w in words} | {fold(w) for w in words})

        kazakh = raw["signing_kazakh"]
        return cls(
            agreement_kinds={tuple(k.split()): v for k, v in raw["agreement_kinds"].items()},
            signing_verbs=lemmas(raw["signing_verbs"]),
            signing_nouns=lemmas(raw["signing_nouns"]),
            signing_hand=kazakh["hand"],
            signing_put=tuple(kazakh["put"]),
            planned=lemmas(raw["planned_words"]),
            twinning_words=lemmas(raw["twinning_words"]),
            kind_names=raw["kind_names"],
            event_kinds=raw["event_kinds"],
            figure_kinds=raw["figure_kinds"],
            figure_names=raw["figure_names"],
            posts=frozenset(fold(p) for p in raw["posts"]),
            legal_forms=frozenset(raw["legal_forms"]),
            venue_words=lemmas(raw["venue_words"]),
            visit_words=lemmas(raw["visit_words"]),
            venue_prepositions=frozenset(raw["venue_prepositions"]),
            not_signer=lemmas(raw["not_signer_words"]),
            national=lemmas(raw["national_words"]),
        )


class Extractor:
    def __init__(
        self, morph: Morph, gazetteer: Gazetteer, lexicon: Lexicon, words: FactWords, grammars: Grammars, ner: Ner
    ) -> None:
        self.morph, self.gazetteer, self.lexicon, self.words = morph, gazetteer, lexicon, words
        self.grammars, self.ner = grammars, ner

    def extract(self, title: str, text: str, published: str | None) -> ArticleFacts:
        lang = language(f"{title}\n{text}")
        full, sentences = self._sentences(title, text, lang)
        if lang != "en":  # natasha reads Russian (and finds Russian names in Kazakh text)
            for span in self._trimmed(
                self.ner.spans(full, [[(t.start, t.stop, t.text) for t in s.tokens] for s in sentences]), full, lang
            ):
                for sentence in sentences:
                    if sentence.start <= span.start < sentence.start + len(sentence.text):
                        sentence.spans.append(span)
                        break
        if lang != "ru":
            for sentence in sentences:
                sentence.spans += self._pattern_people(sentence)
        people = self._people(sentences)
        regions = self._regions(sentences)
        primary = self._primary_parties(sentences)
        year = int(published[:4]) if published else None
        body = [s for s in sentences if not s.is_title]
        numbers = {
            id(s): self.grammars.numbers(s.text, foreign=lang != "ru")
            for s in sentences
            if any(c.isdigit() for c in s.text)
        }
        agreements = self._agreements(sentences, numbers, primary, year, people, kazakh=lang == "kk")
        figures = self._figures(sentences, numbers, primary)
        _mark_parties(regions, self.gazetteer, [*(p for a in agreements for p in a.parties),
                                                *(p for f in figures for p in f.parties), *primary])  # fmt: skip
        all_lemmas = [lemma for s in sentences for lemma in s.lemmas]
        return ArticleFacts(
            sentences=[s.text for s in body],
            sentence_lemmas=[" ".join(s.lemmas) for s in body],
            regions=regions,
            topics=self.lexicon.article_topics(all_lemmas),
            agreements=agreements,
            figures=figures,
            people=people,
            organisations=self._organisations(sentences),
            events=self._events(sentences, numbers, year),
            quotable=[_quotable(s.text) for s in body],
        )

    def _trimmed(self, spans: list[NamedSpan], full: str, lang: str) -> list[NamedSpan]:
        """natasha's spans cut where a name ends: at a conjunction or a lowercase word (Kazakh
        "Мұхамбетов пен Челябі" is a name and a place); a person who is a place is dropped."""
        out = []
        for span in spans:
            words = span.text.split()
            keep = next(
                (k for k, w in enumerate(words) if fold(w) in _NAME_BREAKS or (k and w[:1].islower())), len(words)
            )
            if keep < len(words):
                text = " ".join(words[:keep])
                if not text:
                    continue
                span = NamedSpan(span.type, span.start, span.start + len(text), text,
                                 " ".join(span.normal.split()[:keep]))  # fmt: skip
            if span.type == "PER" and (
                self._is_place(span.text, kazakh=lang == "kk", or_country=True)
                or (lang == "kk" and len(span.text.split()) < 2)
            ):
                continue  # a place, "Ресей Федерациясының Омбы", or a lone Kazakh word
            if span.type == "PER" and lang == "kk":  # "Андрей Никитинмен" is Андрей Никитин
                span = replace(span, normal=" ".join(_without_kazakh_case(w) for w in span.normal.split()))
            out.append(span)
        return out

    # -- sentences and places --------------------------------------------------------------
    def _sentences(self, title: str, text: str, lang: str) -> tuple[str, list[_Sentence]]:
        full = f"{title}\n{text}" if title else text
        sentences, offset = [], 0
        kazakh = lang == "kk"
        for n, line in enumerate(full.split("\n")):
            for piece in sentenize(line):
                start = offset + piece.start
                tokens = self.morph.tokens(piece.text, offset=start, kazakh=kazakh)
                places: list[str] = []
                venues: list[str] = []
                previous = None  # the last mention, when it was taken as a side
                for mention in self.gazetteer.find(tokens, skip=_quoted(tokens)):
                    venue = self._is_venue(tokens, mention.start, mention.stop) or self._in_event_name(
                        tokens, mention.start, mention.place_id
                    )
                    (venues if venue else places).append(mention.place_id)
                    if venue and previous is not None and mention.start - previous.stop <= 1:
                        venues.append(places.pop())  # "Батыс Қазақстан облысының Орал қаласында": one location
                    previous = None if venue else mention
                sentences.append(_Sentence(piece.text, start, tokens, places, venues, bool(title) and n == 0))
            offset += len(line) + 1
        return full, sentences

    def _is_venue(self, tokens: list[Token], start: int, stop: int) -> bool:
        """The place at ``tokens[start:stop]`` says where something happened: after "в"/"in" (and
        "г.", "городе") in a clause that has an event word ("на форуме в Атырау", "прошедшего
        в г. Атырау") or a signing ("подписали в Уральске"), or before Kazakh "қаласында". The
        place a delegation visits is its host: a side, not a venue. In Kazakh the place itself
        takes the locative ("Көкшетауда өтеді")."""
        words = self.words
        clause = _clause_tokens(tokens, start)
        if any(self._is_word(t, words.visit_words) for t in clause):
            return False
        after = [t for t in tokens[stop : stop + 2] if t.is_word]
        if after and fold(after[0].text).startswith(("қаласында", "қаласындағы")):
            return any(self._is_word(t, words.venue_words) for t in tokens)
        last = tokens[stop - 1]
        written, lemma = fold(last.text), last.info.lemma
        if written != lemma and written.startswith(lemma) and written[len(lemma) :] in _KAZAKH_LOCATIVE:
            return any(self._is_word(t, words.venue_words) for t in clause)  # "форумы Омбыда өтті"
        i = start - 1
        while i >= 0 and fold(tokens[i].text).rstrip(".") in ("", "г", "город", "городе", "city", "the", "of"):
            i -= 1
        if i < 0 or fold(tokens[i].text) not in words.venue_prepositions:
            return False
        return any(self._is_word(t, words.venue_words | words.signing_verbs | words.signing_nouns) for t in clause)

    def _in_event_name(self, tokens: list[Token], start: int, place_id: str) -> bool:
        """A country in the name of an event — "Форум межрегионального сотрудничества России и
        Казахстана", "Kazakhstan-Russia Interregional Cooperation Forum" — is no side of a fact."""
        if not self.gazetteer.places[place_id].is_country:
            return False
        near = tokens[max(0, start - 5) : start + 4]
        return any(self._is_word(t, self.words.venue_words | _EVENT_NAME_WORDS) for t in near)

    @staticmethod
    def _is_word(token: Token, words: frozenset[str]) -> bool:
        return bool(token.info.lemmas & words) or fold(token.text) in words

    def _regions(self, sentences: list[_Sentence]) -> dict[str, Mention]:
        """Every named place; a party only once a fact or the article's main pair has it."""
        named = Counter(p for s in sentences for p in [*s.places, *s.venues])
        regions: dict[str, Mention] = {pid: Mention(n, party=False) for pid, n in named.items()}
        for pid, n in named.items():
            parent = self.gazetteer.places[pid].parent
            if parent:
                known = regions.get(parent, Mention(0, direct=False, party=False))
                regions[parent] = Mention(known.count + n, known.direct, party=False)
        return regions

    def _primary_parties(self, sentences: list[_Sentence]) -> list[str]:
        """The two sides the article is about: its most named place (as a side, not a venue) and
        the most named place of another country (or, failing that, the next place) — used when a
        fact names fewer."""
        places = self.gazetteer.places
        sides = Counter(p for s in sentences for p in s.places)
        named = sorted(sides, key=lambda p: -sides[p])
        local = [p for p in named if not places[p].is_country]
        if not local:
            return named[:2]
        first = local[0]
        abroad = [p for p in named if places[p].country != places[first].country]
        others = [p for p in abroad if not places[p].is_country] or abroad  # a region before its country
        rest = [p for p in local[1:] if self.gazetteer.region_of(p) != self.gazetteer.region_of(first)]
        second = others[:1] or rest[:1]
        return [first, *second]

    def _parties(self, places: list[str], primary: list[str]) -> list[str]:
        """The sides a fact is between: the places its sentence (or clause) names as sides, then
        the article's main pair for a side it leaves unnamed."""
        parties = list(dict.fromkeys(places))
        local = [p for p in parties if not self.gazetteer.places[p].is_country]
        if len(local) >= 2:
            parties = local
        regions = {self.gazetteer.region_of(p) for p in parties}
        for pid in primary:
            if len(parties) >= 2:
                break
            if self.gazetteer.region_of(pid) not in regions and not self._same_side(pid, parties):
                parties.append(pid)
                regions.add(self.gazetteer.region_of(pid))
        return parties

    def _same_side(self, pid: str, parties: list[str]) -> bool:
        """A country is no second side to one of its own regions."""
        place = self.gazetteer.places[pid]
        return any(
            (place.is_country or self.gazetteer.places[p].is_country)
            and self.gazetteer.places[p].country == place.country
            for p in parties
        )

    # -- agreements --------------------------------------------------------------------------
    def _agreements(self, sentences, numbers, primary, year, people: list[Person], kazakh: bool) -> list[Agreement]:
        found: list[Agreement] = []
        for n, sentence in enumerate(sentences):
            twinning = sentence.has(self.words.twinning_words)
            signed = self._signing(sentence)
            if not (signed or (sentence.is_title and twinning)) or self._planned(sentence):
                continue
            phrases = self._agreement_phrases(sentence, kazakh)
            if not phrases:
                if not twinning or not sentence.is_title:
                    continue
                phrases = [_Phrase("twinning", self.words.kind_names["twinning"], 0)]
            dates = [m for m in numbers.get(id(sentence), []) if m.kind in ("date", "year", "period")]
            if _RECALL.search(sentence.text) and any(_year_of(m) != year for m in dates if _year_of(m)):
                continue  # an earlier document recalled with its own date: not this article's news
            following = sentences[n + 1] if n + 1 < len(sentences) else None
            signers = self._signers(sentence, following, people)
            for k, phrase in enumerate(phrases):
                kind = "twinning" if twinning else phrase.kind
                own = _own_dates(dates, phrases, k)
                for parties in self._documents(sentence, primary):
                    agreement = Agreement(
                        kind, phrase.title, parties, sentence=sentence.text, signatories=list(signers)
                    )
                    self._date(agreement, sentence, own, year)
                    if agreement.period_start is None and following is not None and self._about_it(following):
                        self._date(agreement, following, numbers.get(id(following), []), year, periods_only=True)
                    _merge_agreement(found, agreement, self.gazetteer)
        return self._twinned_in_pairs(found, people)

    def _twinned_in_pairs(self, found: list[Agreement], people: list[Person]) -> list[Agreement]:
        """Twinning is always between two: "Астраханью и городами … Атырау и Актау" is one
        memorandum per sister city, each with the signers of its own two sides."""
        out: list[Agreement] = []
        pieces: list[Agreement] = []
        side_of = {p.name: p.side for p in people}
        for agreement in found:
            countries: dict[str, list[str]] = {}
            for pid in agreement.parties:
                countries.setdefault(self.gazetteer.places[pid].country, []).append(pid)
            sides = sorted(countries.values(), key=len)
            if len(sides) == 2:  # "Курганом и Костанаем" beside "Костанайской области": the city is the side
                cities = {self.gazetteer.region_of(pid) for pid in sides[1] if self.gazetteer.region_of(pid) != pid}
                sides[1] = [pid for pid in sides[1] if pid not in cities]
            if agreement.kind != "twinning" or len(sides) != 2 or len(sides[0]) != 1 or len(sides[1]) < 2:
                out.append(agreement)
                continue
            for other in sides[1]:
                pair = [sides[0][0], other]
                regions = {self.gazetteer.region_of(p) for p in pair}
                signers = [n for n in agreement.signatories if (side := side_of.get(n)) is None
                           or self.gazetteer.region_of(side) in regions]  # fmt: skip
                pieces.append(replace(agreement, parties=pair, signatories=signers))
        for piece in pieces:
            _merge_agreement(out, piece, self.gazetteer)
        return out

    def _date(self, agreement: Agreement, sentence: _Sentence, dates: list[Match], year: int | None,
              periods_only: bool = False) -> None:  # fmt: skip
        """The signing date and period a sentence gives; "до 2028 года" is a deadline, not a date."""
        for match in dates:
            if match.kind == "period" and agreement.period_start is None:
                agreement.period_start, agreement.period_end = int(match.values[0]), int(match.values[2])
            elif match.kind in ("date", "year") and agreement.signed is None and not periods_only:
                before = fold(sentence.text[max(0, match.start - 8) : match.start]).split()
                if not (before and before[-1] in ("до", "по", "к", "until", "till", "through", "дейін")):
                    agreement.signed = _iso_date(match, self.morph, year)

    def _about_it(self, sentence: _Sentence) -> bool:
        """A sentence that goes on about the document just named ("Документ касается … на
        2020-2022 годы") without naming another one signed."""
        words = {fold(t.text) for t in sentence.tokens} | {lemma for t in sentence.tokens for lemma in t.info.lemmas}
        return bool(words & {"документ", "document", "құжат"}) and not self._signing(sentence)

    def _documents(self, sentence: _Sentence, primary: list[str]) -> list[list[str]]:
        """The sides of each document a signing sentence reports: usually one pair; several for
        "Павлодарской и Омской, Мангистауской и Астраханской … областями" (pairs joined by "и")."""
        pairs = _joined_pairs(sentence.tokens, sentence.places, self.gazetteer)
        if len(pairs) >= 2:
            return pairs
        return [self._parties(sentence.places, primary)]

    def _signing(self, sentence: _Sentence) -> bool:
        """A signing said in so many words: a signing verb, a signing noun with its verb
        ("состоялось подписание", "подписи поставили"), or Kazakh "қол қойды"."""
        words = self.words
        tokens = [t for t in sentence.tokens if t.is_word]
        for i, token in enumerate(tokens):
            if token.info.lemmas & words.signing_verbs or fold(token.text) in words.signing_verbs:
                return True
            if token.info.lemmas & words.signing_nouns:
                return True
            if (
                words.signing_hand in token.info.lemmas
                and i + 1 < len(tokens)
                and fold(tokens[i + 1].text).startswith(words.signing_put)
            ):
                return True
        return False

    def _planned(self, sentence: _Sentence) -> bool:
        """A signing still to come: a future verb ("подпишут"), or planning words before the
        signing ("планируется подписать", "will sign", "to sign")."""
        for token in sentence.tokens:
            lemmas = token.info.lemmas | {fold(token.text)}
            if token.info.future and lemmas & self.words.signing_verbs:
                return True
            if lemmas & self.words.planned and fold(token.text) != "to":
                return True
        text = fold(sentence.text)
        return bool(re.search(r"\b(to|will) sign\b|\bto be signed\b", text))

    def _agreement_phrases(self, sentence: _Sentence, kazakh: bool) -> list[_Phrase]:
        """The documents a signing sentence names, each with its kind and its name as written
        ('меморандум о сотрудничестве'): the first, and any other joined to it ("протокол … и
        план мероприятий", "a protocol … together with an Interaction Plan"). A Kazakh name puts
        its words before the kind ("іс-шаралар жоспарына"), in cases we cannot undo: such a
        document is named by its kind."""
        tokens = sentence.tokens
        found: list[_Phrase] = []
        i, last = 0, 0
        while i < len(tokens):
            hit = self._kind_at(tokens, i)
            if hit is None:
                i += 1
                continue
            kind, stop = hit
            gap = tokens[last:i]
            joiner = max((k for k, t in enumerate(gap) if fold(t.text) in _JOINERS), default=None)
            joined = (
                not found
                or (
                    kind != "document"
                    and len(gap) <= _JOIN_GAP
                    and joiner is not None
                    and not any(t.info.pos in ("VERB", "INFN") for t in gap)  # "подписали меморандум и обсудили план"
                    # "… и Павлодарской областями в рамках соглашения": a framework named, not signed
                    and not any(t.info.pos == "PREP" or fold(t.text) in _FRAMEWORK_WORDS for t in gap[joiner + 1 :])
                )
            )
            if not joined:
                break
            if kazakh:
                found.append(_Phrase(kind, self.words.kind_names[kind], tokens[i].start - sentence.start))
                i = last = stop
                continue
            phrase = [t.text for t in tokens[i:stop]]
            n = stop - i
            for token in tokens[stop : stop + 8]:
                word = fold(token.text)
                if (
                    not token.is_word
                    or word in _STOP_PHRASE
                    or (word in ("о", "об", "по", "on") and len(phrase) > n)
                    or token.info.pos in ("VERB", "INFN", "PRTS", "GRND")
                    or (token.capitalised and token.info.name_case)
                    or word in _JOINERS
                ):
                    break
                phrase.append(token.text)
                stop += 1
            found.append(_Phrase(kind, self.morph.nominative_phrase(phrase), tokens[i].start - sentence.start))
            i = last = stop
        return found

    def _kind_at(self, tokens: list[Token], i: int) -> tuple[str, int] | None:
        """The kind of document whose name starts at ``tokens[i]``, and where that name's key ends."""
        for key, kind in self.words.agreement_kinds.items():
            window = tokens[i : i + len(key)]
            if len(window) == len(key) and all(
                k in t.info.lemmas or fold(t.text) == k for k, t in zip(key, window, strict=True)
            ):
                return kind, i + len(key)
        return None

    def _signers(self, sentence: _Sentence, following: _Sentence | None, people: list[Person]) -> list[str]:
        """The people who signed: named in the signing sentence, or — when it names none — in the
        next one if that one speaks of signatures too ("Подписи поставили губернатор X и аким Y")."""
        names = self._named_people(sentence)
        if not names and following is not None and self._signing(following):
            names = self._named_people(following)
        return list(dict.fromkeys(_resolve(name, people) for name in names))

    def _named_people(self, sentence: _Sentence) -> list[str]:
        out = []
        tokens = sentence.tokens
        for span in sentence.spans:
            if span.type != "PER":
                continue
            first = next((i for i, t in enumerate(tokens) if t.stop > span.start), 0)
            before = []
            for token in reversed(tokens[max(0, first - 8) : first]):
                if not token.is_word and token.text not in ("-", "–"):
                    break
                before.append(token)
            if any(t.info.lemmas & self.words.not_signer for t in before):
                continue  # "по поручению губернатора X", "сообщил губернатор X"
            out.append(self._person_name(span))
        return out

    # -- figures -----------------------------------------------------------------------------
    def _figures(self, sentences, numbers, primary) -> list[Figure]:
        found = []
        for sentence in sentences:
            matches = numbers.get(id(sentence), [])
            money = [m for m in matches if m.kind == "money"]
            for m in money:
                clause_start, clause_stop = _clause(sentence.text, m.start, m.stop)
                clause = [t for t in sentence.tokens if clause_start <= t.start - sentence.start < clause_stop]
                places = self._clause_places(sentence, clause_start, clause_stop) or sentence.places
                kind = self._indicator(clause, m.start + sentence.start)
                years = [
                    int(x.values[0]) for x in matches if x.kind == "year" and clause_start <= x.start < clause_stop
                ]
                parties = places if self._national(clause, places) else self._parties(places, primary)
                amount, unit, currency = _money_value(m, self.morph)
                raw = sentence.text[m.start : m.stop].rstrip(". ")
                found.append(Figure(kind, amount, unit, currency, raw, years[0] if years else None, parties,
                                    sentence.text))  # fmt: skip
            for g in _GROWTH.finditer(sentence.text) if money else ():
                value = float((g.group(1) or g.group(3)).replace(",", "."))
                unit = "%" if g.group(2) else "раза"
                clause_start, clause_stop = _clause(sentence.text, g.start(), g.end())
                places = self._clause_places(sentence, clause_start, clause_stop) or sentence.places
                found.append(Figure("growth", value, unit, "", g.group(0), None, self._parties(places, primary),
                                    sentence.text))  # fmt: skip
        return found

    def _clause_places(self, sentence: _Sentence, start: int, stop: int) -> list[str]:
        tokens = [t for t in sentence.tokens if start <= t.start - sentence.start < stop]
        mentions = self.gazetteer.find(tokens, skip=_quoted(tokens))
        return [m.place_id for m in mentions if not self._is_venue(tokens, m.start, m.stop)]

    def _national(self, clause: list[Token], places: list[str]) -> bool:
        """A figure between the two countries ("товарооборот между нашими странами", "России и
        Казахстана") stays national: it is filed under no region."""
        countries = {p for p in places if self.gazetteer.places[p].is_country}
        local = [p for p in places if not self.gazetteer.places[p].is_country]
        if local:
            return False
        if len(countries) >= 2:
            return True
        return any(t.info.lemmas & self.words.national for t in clause) and bool(countries or not places)

    def _indicator(self, clause: list[Token], at: int) -> str:
        """What the amount is, by the nearest indicator word before it (else after it)."""
        kinds = self.words.figure_kinds
        before = [t for t in clause if t.start < at]
        for token in [*reversed(before), *[t for t in clause if t.start >= at]]:
            hit = next((kinds[w] for w in token.info.lemmas | {fold(token.text)} if w in kinds), None)
            if hit:
                return hit
        return "amount"

    # -- people and organisations ---------------------------------------------------------
    def _people(self, sentences: list[_Sentence]) -> list[Person]:
        people: list[Person] = []
        for sentence in sentences:
            previous_post = ""
            for span in sentence.spans:
                if span.type != "PER":
                    continue
                name = self._person_name(span)
                if len(name.split()) < 1 or self._is_place(name):
                    continue
                post, side = self._post(sentence, span)
                if not post:
                    post, side = self._listed_post(sentence, span)
                if not post and previous_post and self._joined_to_previous(sentence, span):
                    post = previous_post  # "Главы регионов X и Y": the post of both
                elif post:
                    # only a plural post is shared: "аким области X и Y" — the akim is X
                    previous_post = post if self._plural_post(sentence, span, post) else ""
                people.append(Person(name, post, side, sentence.text))
        return _merge_people(people)

    def _person_name(self, span: NamedSpan) -> str:
        """The name in the nominative, without a post that the span took in ("Премьер-министр")."""
        words = [w for w in span.normal.split() if fold(w) not in self.words.posts]
        written = span.text.split()
        if (
            words
            and len(written) == len(span.normal.split())
            and (surname := self.morph.instrumental_surname(written[-1]))
        ):
            words[-1] = surname  # "Вадимом Шумковым": natasha may read the surname as an adjective ("Шумковой")
        name = _tidy_name(" ".join(words))
        fixed = self.morph.person_name(name.split())
        return fixed if fixed != name else name

    def _joined_to_previous(self, sentence: _Sentence, span: NamedSpan) -> bool:
        before = sentence.text[: span.start - sentence.start].rstrip()
        return before.endswith((" и", ",", " and"))

    def _post(self, sentence: _Sentence, span: NamedSpan) -> tuple[str, str | None]:
        tokens = sentence.tokens
        first = _first_token(tokens, span)
        last = next((i for i, t in enumerate(tokens) if t.start >= span.stop), len(tokens))
        inner = [t for t in tokens[first:last] if self._is_post(t)]  # the span took its post in
        if inner:
            post_tokens = tokens[first : first + 1 + tokens[first:last].index(inner[-1])]
            places = [m.place_id for m in self.gazetteer.find(post_tokens)]
            return self.morph.nominative_phrase([t.text for t in post_tokens]), (places[0] if places else None)
        before = tokens[max(0, first - 8) : first]
        other_names = _other_names(sentence, span)
        if _latin(span.text):
            return self._english_post(tokens, first, last, other_names)
        start = None
        for i in range(len(before) - 1, -1, -1):
            token = before[i]
            if (
                (not token.is_word and token.text not in ("-", "(", ")"))
                or fold(token.text) in _NAME_BREAKS
                or (first - len(before) + i) in other_names
            ):
                break
            if self._is_post(token):
                start = i
        if start is not None:
            post_tokens = [t for t in before[start:] if t.is_word or t.text == "-"]
        elif last + 1 < len(tokens) and tokens[last].text == ",":
            # "X, губернатор Омской области" and Kazakh "X, Батыс Қазақстан облысының әкімі"
            post_tokens = []
            for token in tokens[last + 1 : last + 8]:
                if not token.is_word and token.text != "-":
                    break
                post_tokens.append(token)
            posts = [k for k, t in enumerate(post_tokens) if self._is_post(t)]
            if not posts:
                return "", None
            post_tokens = post_tokens[: _phrase_end(post_tokens)]
        else:
            return "", None
        places = [m.place_id for m in self.gazetteer.find(post_tokens)]
        return self.morph.nominative_phrase([t.text for t in post_tokens]), (places[0] if places else None)

    def _english_post(self, tokens: list[Token], first: int, last: int, others: set[int]) -> tuple[str, str | None]:
        """English posts: "Governor of the Kurgan Region Alexey Kokorin", "the Deputy Chairman of
        the Government …, Andrei Shpilenko", "Bulat Bakauov, akim of Pavlodar region"."""
        start = None
        for i in range(first - 1, max(-1, first - 13), -1):
            if tokens[i].text in (".", ";", ":") or fold(tokens[i].text) in ("and", "by", "with") or i in others:
                break
            if self._is_post(tokens[i]):
                start = i
        if start is not None:
            post = [t.text for t in tokens[start:first] if t.is_word]
        elif (
            last + 2 < len(tokens)
            and tokens[last].text == ","
            and any(self._is_post(t) for t in tokens[last + 1 : last + 4])
        ):
            post = []
            for token in tokens[last + 1 : last + 9]:
                if token.text in (",", ".", ";"):
                    break
                post.append(token.text)
        else:
            return "", None
        places = [m.place_id for m in self.gazetteer.find(self.morph.tokens(" ".join(post)))]
        return " ".join(post).removeprefix("the ").strip(), (places[0] if places else None)

    def _plural_post(self, sentence: _Sentence, span: NamedSpan, post: str) -> bool:
        """Whether the post before this name is written in the plural ("Главы регионов")."""
        head = self.morph.lemma(post.split()[0])
        first = _first_token(sentence.tokens, span)
        raw = next((t.text for t in reversed(sentence.tokens[:first]) if t.info.lemma == head), None)
        return raw is not None and self.morph.is_plural(raw)

    def _listed_post(self, sentence: _Sentence, span: NamedSpan) -> tuple[str, str | None]:
        """A post said once for a list of names after a dash: "Главы регионов – Наталья Комарова
        и Виктор Толоконский", "signed by the governors of Pavlodar and Tyumen regions - Bulat
        Bakauov and Alexander Moor"."""
        tokens = sentence.tokens
        names = _other_names(sentence, span)
        first = _first_token(tokens, span)
        i = first - 1
        while i >= 0 and (i in names or fold(tokens[i].text) in _NAME_BREAKS or tokens[i].text == ","):
            i -= 1
        if i < 1 or tokens[i].text not in ("-", "–", "—"):
            return "", None
        dash = i
        words: list[Token] = []
        for token in reversed(tokens[max(0, dash - 10) : dash]):
            if not (token.is_word or token.text in ("'", "’")) or token.info.pos in ("VERB", "INFN", "PRTS", "GRND"):
                break  # "Губернатор провёл встречу – Иван Петров рассказал": a clause, not a post
            words.insert(0, token)
        start = next((k for k, t in enumerate(words) if self._is_post(t) or fold(t.text).removesuffix("s") in
                      self.words.posts), None)  # fmt: skip
        if start is None:
            return "", None
        post = words[start:]
        if first != dash + 1 and not self.morph.is_plural(post[0].text):
            return "", None  # "аким … – X, Y и Z": the akim is X; "главы … – X и Y": both
        places = [m.place_id for m in self.gazetteer.find(post)]
        text = " ".join(t.text for t in post).replace(" ' ", "'").replace(" ’ ", "’")
        side = places[0] if len(set(places)) == 1 else None  # "главы Омской и Павлодарской областей": whose?
        return (text if _latin(text) else self.morph.nominative_phrase(text.split())), side

    def _is_post(self, token: Token) -> bool:
        return bool({fold(token.text), *token.info.lemmas} & self.words.posts)

    def _pattern_people(self, sentence: _Sentence) -> list[NamedSpan]:
        """English and Kazakh names natasha does not read: two or three capitalised words that are
        no place, either soon after a post word ("Governor … Alexey Kokorin", "облыс әкімі Ғауез
        Нұрмұхамбетов") or ending like a surname ("Bulat Bakauov", "Andrei Shpilenko")."""
        tokens, found = sentence.tokens, []
        taken = [(s.start, s.stop) for s in sentence.spans]
        since_post = 99
        i = 0
        while i < len(tokens):
            since_post = 0 if self._is_post(tokens[i]) else since_post + 1
            run = []
            for token in tokens[i : i + 3]:
                if not _PERSON_WORD.fullmatch(token.text) or self._is_post(token) or self._is_place(token.text):
                    break
                run.append(token)
            surname = len(run) >= 2 and _SURNAME.search(run[-1].text)
            if len(run) >= 2 and (since_post <= 3 or surname):
                start, stop = run[0].start, run[-1].stop
                if not any(a < stop and start < b for a, b in taken):
                    text = " ".join(t.text for t in run)
                    found.append(NamedSpan("PER", start, stop, text, _kazakh_name(text)))
                    taken.append((start, stop))
                i += len(run)
                continue
            i += 1
        return found

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

    def _is_place(self, text: str, kazakh: bool = False, or_country: bool = False) -> bool:
        """Whether ``text`` is place names and nothing else ("Ресей Федерациясының Омбы"); with
        ``or_country``, also whenever it names a country: a country's name is never part of a
        person's name."""
        tokens = self.morph.tokens(text, kazakh=kazakh)
        found = self.gazetteer.find(tokens)
        if or_country and any(self.gazetteer.places[m.place_id].is_country for m in found):
            return True
        covered = sum(m.stop - m.start for m in found)
        return covered > 0 and covered >= len([t for t in tokens if t.is_word])

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


def _joined_pairs(tokens: list[Token], places: list[str], gazetteer: Gazetteer) -> list[list[str]]:
    """Places written as pairs "A и B, C и D" (each pair of two countries' regions)."""
    found = gazetteer.find(tokens, skip=_quoted(tokens))
    pairs = []
    for a, b in zip(found, found[1:], strict=False):
        between = [fold(t.text) for t in tokens[a.stop : b.start]]
        if between in (["и"], ["and"], ["мен"], ["пен"], ["бен"]) and a.place_id in places and b.place_id in places:
            pairs.append([a.place_id, b.place_id])
    return pairs


def _latin(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]", text))


def _phrase_end(tokens: list[Token]) -> int:
    """Where a post set off after a name ends: before a verb."""
    for k, token in enumerate(tokens[1:], 1):
        if token.info.pos in ("VERB", "INFN", "GRND"):
            return k
    return len(tokens)


def _mark_parties(regions: dict[str, Mention], gazetteer: Gazetteer, parties: list[str]) -> None:
    """Places a fact is between (and the article's main pair) are its parties, with the regions
    of the cities among them; every other place is only mentioned."""
    for pid in parties:
        for place in (pid, gazetteer.places[pid].parent):
            if place and place in regions:
                regions[place] = Mention(regions[place].count, regions[place].direct, party=True)


def _quotable(text: str) -> bool:
    """A sentence fit for a summary: four words or more, not a label or furniture line."""
    words = re.findall(r"[^\W\d_]+", text)
    stripped = text.lstrip(" «\"“„'(-–—•*·")
    return (
        len(words) >= 4
        and not stripped[:1].islower()
        and not text.rstrip().endswith(":")
        and "|" not in text
        and not re.search(r"\b\d{1,2}:\d{2}\b", text)
    )


def _clause_tokens(tokens: list[Token], at: int) -> list[Token]:
    """The tokens of the clause around ``tokens[at]``: between semicolons, colons and dashes."""
    left = next((i + 1 for i in range(at - 1, -1, -1) if tokens[i].text in (";", ":", "—")), 0)
    right = next((i for i in range(at, len(tokens)) if tokens[i].text in (";", ":", "—")), len(tokens))
    return tokens[left:right]


def _clause(text: str, start: int, stop: int) -> tuple[int, int]:
    """The clause of ``text`` around a span: between semicolons, "а"/"while" and sentence-like
    breaks, so a figure is filed under the places of its own clause."""
    breaks = [m.end() for m in re.finditer(r";|,\s+(?:а|тогда как|while|whereas)\s|\s—\s", text[:start])]
    left = breaks[-1] if breaks else 0
    after = re.search(r";|,\s+(?:а|тогда как|while|whereas)\s|\s—\s", text[stop:])
    right = stop + after.start() if after else len(text)
    return left, right


def _year_of(match: Match) -> int | None:
    found = [int(v) for v in match.values if v.isdigit() and len(v) == 4]
    return found[0] if found else None


def _resolve(name: str, people: list[Person]) -> str:
    """A signer as the article's people list names them ("Беглов" → "Александр Беглов")."""
    return next((p.name for p in people if _same_person(p.name, name)), name)


def _kazakh_name(text: str) -> str:
    """'Виталий Хоценкомен' → 'Виталий Хоценко': a Kazakh case ending glued to a name goes."""
    words = text.split()
    words[-1] = re.sub(r"(мен|пен|бен|ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|ды|ді|ты|ті|ны|ні)$", "", words[-1])
    return " ".join(words)


def _quoted(tokens: list[Token]) -> set[int]:
    """Indexes of tokens inside short quotations: names of organisations, events, arenas. A quote
    of many words (or one left open: it goes on in the next sentence) is speech, not a name."""
    inside: set[int] = set()
    opened: int | None = None
    for i, token in enumerate(tokens):
        closes = token.text in _CLOSE_QUOTES or (token.text in _BOTH_QUOTES and opened is not None)
        if closes and opened is not None:
            words = [k for k in range(opened + 1, i) if tokens[k].is_word]
            if len(words) <= _MASKED_QUOTE_WORDS:
                inside.update(range(opened + 1, i))
            opened = None
        elif token.text in _OPEN_QUOTES or token.text in _BOTH_QUOTES:
            opened = i
    return inside


def _iso_date(match: Match, morph: Morph, default_year: int | None) -> str | None:
    values = [v for v in match.values if v not in (".", ",")]
    if match.kind == "year":
        return values[0]
    day = int(values[0]) if values[0].isdigit() else None
    month_word = values[1] if day else values[0]
    month = MONTHS.get(morph.lemma(month_word)) or MONTHS.get(fold(month_word))
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
    if not wa or not wb:
        return False
    if len(wb) == 1:
        return fuzz.ratio(fold(wa[-1]), fold(wb[0])) >= 85
    return fold(wa[0]) == fold(wb[0]) and fuzz.ratio(fold(wa[-1]), fold(wb[-1])) >= 85


def _first_token(tokens: list[Token], span: NamedSpan) -> int:
    """The index of the token where ``span`` starts."""
    return next((i for i, t in enumerate(tokens) if t.stop > span.start), len(tokens))


def _other_names(sentence: _Sentence, span: NamedSpan) -> set[int]:
    """The indices of the tokens of the sentence's other people's names."""
    return {
        i
        for s in sentence.spans
        if s is not span and s.type == "PER"
        for i, t in enumerate(sentence.tokens)
        if s.start <= t.start < s.stop
    }


def _without_kazakh_case(word: str) -> str:
    m = _KAZAKH_CASE_ON_SURNAME.fullmatch(word)
    return (m.group(1) or m.group(2)) if m else word


def _own_dates(dates: list[Match], phrases: list[_Phrase], k: int) -> list[Match]:
    """The dates of the ``k``-th document a sentence names: several documents in one sentence
    share the signing date, and each keeps the period written after its own name."""
    if len(phrases) == 1:
        return dates
    start = phrases[k].start if k else 0
    stop = phrases[k + 1].start if k + 1 < len(phrases) else None
    return [m for m in dates if m.kind != "period" or (start <= m.start and (stop is None or m.start < stop))]


def _merge_agreement(found: list[Agreement], new: Agreement, gazetteer: Gazetteer) -> None:
    """The same document reported in several sentences of one article becomes one record: same
    (or compatible) kind, overlapping sides, no conflicting date."""
    regions = {gazetteer.region_of(p) for p in new.parties}
    for old in found:
        old_regions = {gazetteer.region_of(p) for p in old.parties}
        overlapping = regions <= old_regions or old_regions <= regions  # one side named less fully
        kinds = {old.kind, new.kind}
        compatible_kind = (
            len(kinds) == 1
            or "document" in kinds  # "Документ подписали …": the one just named
            or kinds <= {"memorandum", "agreement", "twinning"}
            or kinds <= {"plan", "roadmap"}  # "план мероприятий (дорожная карта)"
        )
        conflict = (old.period_start and new.period_start and old.period_start != new.period_start) or (
            old.signed and new.signed and old.signed[:4] != new.signed[:4]
        )
        if overlapping and compatible_kind and not conflict:
            if len(regions) > len(old_regions):
                old.parties = new.parties
            if old.kind != new.kind and "twinning" in kinds:
                old.kind = "twinning"
            elif old.kind == "document":
                old.kind, old.title = new.kind, new.title
            old.period_start = old.period_start or new.period_start
            old.period_end = old.period_end or new.period_end
            old.signed = old.signed if old.signed and len(old.signed) >= len(new.signed or "") else new.signed
            old.signatories = list(dict.fromkeys(old.signatories + new.signatories))
            if not old.sentence or (new.period_start and not old.period_start):
                old.sentence = new.sentence
            return
    found.append(new)
