"""The gazetteer: places loaded from ``data/gazetteer/*.yaml`` and found in tokenised text.

Every alias word is compared on lemmas, so 'Челябинской области', 'челябинская обл' and
'Челябинская область' all meet the same entry; adjectives ('омские') and demonyms ('омичи')
point to their place too. Questions also get a gated fuzzy step for misspelt unknown words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.language.morph import Morph, Token, fold
from bot.language.paths import read_yaml
from bot.models import Place

NOT_A_PLACE = ""  # the "place" of a phrase in not_places.yaml: its words are no mention of a place
_KIND_SUFFIXES = ("область", "край", "автономный округ", "автономная область", "республика")


@dataclass(frozen=True, slots=True)
class _Alias:
    words: tuple[frozenset[str], ...]  # lemma candidates of each word
    place_id: str
    strict: bool  # also a common word or surname: needs a capital letter and an exact or place reading
    surface: tuple[str, ...]  # the alias words folded, for strict matching


@dataclass(frozen=True, slots=True)
class Mention:
    place_id: str
    start: int  # token index
    stop: int  # token index, exclusive
    fuzzy: bool = False
    others: tuple[str, ...] = ()  # other places the same words name ("Алтай": the krai, the republic)


class Gazetteer:
    def __init__(self, places: dict[str, Place], aliases: list[_Alias], abbreviations: dict[str, str]):
        self.places = places
        self.names = {pid: p.name for pid, p in places.items()}  # id → canonical name, for facts
        self.abbreviations = abbreviations
        self._by_first: dict[str, list[_Alias]] = {}
        for alias in aliases:
            for lemma in alias.words[0]:
                self._by_first.setdefault(lemma, []).append(alias)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda a: -len(a.words))
        single: dict[str, str] = {}
        for alias in aliases:
            if len(alias.words) == 1 and not alias.strict and alias.place_id != NOT_A_PLACE:
                single.setdefault(alias.surface[0], alias.place_id)
        self._fuzzy_choices = list(single)
        self._fuzzy_targets = [single[k] for k in self._fuzzy_choices]

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path, morph: Morph) -> Gazetteer:
        entries: list[dict] = []
        for path in sorted(folder.glob("*.yaml")):
            if path.name in ("abbreviations.yaml", "not_places.yaml"):
                continue
            entries.extend(read_yaml(path) or [])
        abbreviations = {fold(k): fold(v) for k, v in (read_yaml(folder / "abbreviations.yaml") or {}).items()}
        places: dict[str, Place] = {}
        explicit_adjectives = {fold(a) for e in entries for a in e.get("adjectives", [])}
        aliases: list[_Alias] = []

        def add(phrase: str, place_id: str, strict: bool = False, name: bool = True) -> None:
            """``name``: a name (not an adjective or a demonym, which are common words by nature)."""
            words = [w for w in (t.text for t in morph.tokens(phrase)) if any(c.isalnum() for c in w)]
            if not words:
                return
            alone = name and len(words) == 1
            candidates = tuple(_alias_word_lemmas(morph, w, alone=alone) for w in words)
            common = alone and _is_common_word(morph, words[0])
            aliases.append(_Alias(candidates, place_id, strict or common, tuple(fold(w) for w in words)))

        for e in entries:
            place = Place(e["id"], e["name"], e["kind"], e["country"], e.get("parent"))
            if place.id in places:
                raise ValueError(f"gazetteer: duplicate id {place.id}")
            places[place.id] = place
            strict = {fold(a) for a in e.get("strict", [])}
            for alias in [place.name, *e.get("aliases", [])]:
                if fold(alias) not in strict:
                    add(alias, place.id)
            for alias in e.get("strict", []):
                add(alias, place.id, strict=True)
            for word in [*e.get("adjectives", []), *e.get("demonyms", [])]:
                add(word, place.id, name=False)
            for derived in _derived_names(place.name, morph):
                if derived not in explicit_adjectives:
                    add(derived, place.id, name=fold(derived) == fold(place.name.split()[-1]))
        not_places = folder / "not_places.yaml"
        for phrase in (read_yaml(not_places) or []) if not_places.exists() else []:
            add(phrase, NOT_A_PLACE)
        for place in places.values():
            if place.parent and place.parent not in places:
                raise ValueError(f"gazetteer: {place.id} has unknown parent {place.parent}")
        return cls(places, aliases, abbreviations)

    # -- lookup ----------------------------------------------------------------------------
    def region_of(self, place_id: str) -> str:
        """The region-level id: a city's region, else the place itself."""
        place = self.places[place_id]
        return place.parent or place.id

    def find(self, tokens: list[Token], *, skip: set[int] | None = None, fuzzy: bool = False) -> list[Mention]:
        """Place mentions in ``tokens``, longest alias first; ``skip`` masks token indexes (quotes)."""
        skip = skip or set()
        words = [(i, t) for i, t in enumerate(tokens) if t.is_word and i not in skip]
        mentions: list[Mention] = []
        pos = 0
        while pos < len(words):
            found = self._match_at(words, pos)
            if found is not None:
                if found[0].place_id != NOT_A_PLACE:  # "Большой Алтай" is no mention of Altai
                    mentions.append(found[0])
                pos += found[1]
                continue
            if "-" in words[pos][1].text:
                mentions.extend(self._match_hyphen_parts(words[pos]))
            elif fuzzy:
                mentions.extend(self._match_fuzzy(words[pos]))
            pos += 1
        return self._elided(tokens, mentions)

    def _elided(self, tokens: list[Token], mentions: list[Mention]) -> list[Mention]:
        """In "Алматинской и Челябинской областей" the first adjective shares the second one's noun,
        so it names the Almaty region, not the city its adjective alone would mean."""
        out = list(mentions)
        for k in range(len(out) - 1):
            a, b = out[k], out[k + 1]
            between = [fold(t.text) for t in tokens[a.stop : b.start]]
            if a.stop - a.start != 1 or between not in (["и"], [","]):
                continue
            if b.stop - b.start == 2:  # "Челябинской областей": the noun is the second one's own
                noun = tokens[b.stop - 1]
            elif b.stop - b.start == 1 and b.stop < len(tokens):
                noun = tokens[b.stop]
            else:
                continue
            first = self._lemmas(tokens[a.start])
            candidates = [alias for lemma in first for alias in self._by_first.get(lemma, ())]
            for alias in candidates:
                if len(alias.words) == 2 and alias.words[0] & first and alias.words[1] & self._lemmas(noun):
                    out[k] = Mention(alias.place_id, a.start, a.stop)
                    break
        return out

    def _lemmas(self, token: Token) -> frozenset[str]:
        expanded = self.abbreviations.get(fold(token.text).rstrip("."))
        return token.info.lemmas | {expanded} if expanded else token.info.lemmas

    def _match_at(self, words: list[tuple[int, Token]], pos: int) -> tuple[Mention, int] | None:
        first_idx, first = words[pos]
        candidates: list[_Alias] = []
        for lemma in self._lemmas(first):
            candidates.extend(self._by_first.get(lemma, ()))
        best: _Alias | None = None
        others: list[str] = []
        for alias in sorted(candidates, key=lambda a: -len(a.words)):
            n = len(alias.words)
            if pos + n > len(words) or (best and n < len(best.words)):
                continue
            window = words[pos : pos + n]
            # words of one name stand together; one punctuation token may sit between ('St. Petersburg')
            if any(window[k][0] - window[k - 1][0] > 2 for k in range(1, n)):
                continue
            if not all(alias.words[k] & self._lemmas(window[k][1]) for k in range(n)):
                continue
            if alias.strict and not _strict_ok(alias, window[0][1]):
                continue
            if best is None:
                best = alias
            elif alias.place_id not in (best.place_id, *others) and alias.place_id != NOT_A_PLACE:
                others.append(alias.place_id)  # the same words name another place too
        if best is None:
            return None
        n = len(best.words)
        return Mention(best.place_id, first_idx, words[pos + n - 1][0] + 1, others=tuple(others)), n

    def _match_hyphen_parts(self, item: tuple[int, Token]) -> list[Mention]:
        """'Астана-Челябинск' written without spaces: each part as a one-word name."""
        idx, token = item
        found = []
        for part in token.text.split("-"):
            for alias in self._by_first.get(fold(part), ()):
                if len(alias.words) == 1 and not alias.strict:
                    found.append(Mention(alias.place_id, idx, idx + 1))
                    break
        return found

    def suggest(self, tokens: list[Token], covered: set[int], limit: int = 3) -> list[str]:
        """Places whose names are close to unknown words of a question that found nothing, below
        the cutoff at which a misspelling is taken as the place: offered to the asker, never
        assumed. Only names within 10 points of the closest one count ("кстанай": Костанай, not
        also Астана)."""
        found: list[str] = []
        for idx, token in enumerate(tokens):
            if idx in covered or not token.is_word or token.info.known:
                continue
            words = {fold(token.text), fold(token.info.lemma)}
            hits = [
                hit
                for word in words
                if len(word) >= 4 and word.isalpha()
                for hit in process.extract(word, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=70, limit=8)
            ]
            if not hits:
                continue
            best = max(score for _, score, _ in hits)
            for _, score, n in sorted(hits, key=lambda hit: -hit[1]):
                place = self._fuzzy_targets[n]
                if score >= best - 10 and place not in found:
                    found.append(place)
        return found[:limit]

    def _match_fuzzy(self, item: tuple[int, Token]) -> list[Mention]:
        """A misspelt place name: only for words the dictionary does not know, five letters or more."""
        idx, token = item
        word = fold(token.text)
        if token.info.known or len(word) < 5 or not word.isalpha():
            return []
        hit = process.extractOne(word, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=84)
        if hit is None:
            return []
        return [Mention(self._fuzzy_targets[hit[2]], idx, idx + 1, fuzzy=True)]


def _alias_word_lemmas(morph: Morph, word: str, alone: bool) -> frozenset[str]:
    """What a word of a name matches: its place-name readings; failing those its readings — but
    a one-word name never another common word's forms ("Орал", Uralsk in Kazakh, is no form of
    "орать"; in "Северная столица" the words together make the name)."""
    surface = fold(word)
    info = morph.word(surface)
    if info.place_lemmas:
        return frozenset({surface} | info.place_lemmas)
    foreign = info.common_lemmas - {surface} if alone else frozenset()
    return frozenset({surface} | (info.lemmas - foreign))


def _is_common_word(morph: Morph, word: str) -> bool:
    """A one-word name that is also a common word (Горький, Орал, Семей) counts only when
    capitalised, as a name."""
    info = morph.word(fold(word))
    return not info.place_lemmas and bool(info.common_lemmas) and not word.isupper()


def _strict_ok(alias: _Alias, token: Token) -> bool:
    """A name that is also a common word counts only capitalised (its forms were matched already)."""
    return token.capitalised


def _derived_names(name: str, morph: Morph) -> list[str]:
    """'Челябинская область' → 'челябинский'; 'Республика Татарстан' → 'Татарстан'."""
    lowered = fold(name)
    if lowered.startswith("республика ") and len(name.split()) == 2:
        return [name.split()[1]]
    for suffix in _KIND_SUFFIXES:
        if lowered.endswith(" " + suffix):
            head = name[: -len(suffix) - 1].strip()
            if " " not in head:
                info = morph.word(fold(head))
                if info.adjective_lemmas:
                    return sorted(info.adjective_lemmas)
    return []
