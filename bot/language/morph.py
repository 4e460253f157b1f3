"""Tokens and lemmas for Russian text (razdel + pymorphy3), shared by articles and questions.

pymorphy3 is loaded once per process and every word's analysis is cached: news text is Zipfian,
so after the first few articles nearly every lookup is a cache hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
from razdel import tokenize

from bot.language.kazakh import KazakhStemmer

# Parts of speech that carry no topic: prepositions, conjunctions, particles, pronouns, interjections.
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})
# grammemes of proper names: a reading with none of them is the word as a common word
_INSTRUMENTAL_SURNAME = re.compile(r"([А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын))(ым|ой)")
_PROPER = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr"})


def fold(text: str) -> str:
    """Lower-case and write ё as е, so that 'Орёл' and 'орел' compare equal."""
    return text.lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What pymorphy3 knows of one word form."""

    lemma: str  # the most likely dictionary form (reflexive verbs without -ся)
    lemmas: frozenset[str]  # every possible dictionary form, and the word itself
    adjective_lemmas: frozenset[str]  # dictionary forms of the adjective readings
    place_lemmas: frozenset[str]  # dictionary forms of the readings tagged as a place name (Geox)
    known: bool  # in the dictionary, not guessed
    content: bool  # a content word (not a preposition, conjunction, pronoun...)
    pos: str  # part of speech of the most likely reading (OpenCorpora tag: NOUN, VERB, PRTS...)
    common_lemmas: frozenset[str] = frozenset()  # dictionary forms of its readings as a common word
    future: bool = False  # the most likely reading is a verb in the future tense ("подпишут")
    name_case: str = ""  # the case of its reading as a first name, surname or patronymic, if any


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    stop: int
    info: WordInfo

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return any(ch.isalnum() for ch in self.text)


class Morph:
    """Lemmatiser with a per-word cache; one instance per process, passed to whoever needs it."""

    def __init__(self, cache_size: int = 200_000, kazakh: KazakhStemmer | None = None) -> None:
        self._analyzer = pymorphy3.MorphAnalyzer()
        self.word = lru_cache(maxsize=cache_size)(self._analyse)
        # names and phrases are parsed as written (case matters for inflection), cached apart
        self._parses = lru_cache(maxsize=cache_size // 4)(lambda word: tuple(self._analyzer.parse(word)))
        self._kazakh = kazakh
        self.kazakh_word = lru_cache(maxsize=cache_size)(self._analyse_kazakh)

    def _analyse_kazakh(self, folded: str) -> WordInfo:
        """A Kazakh word: its stems stand for its lemmas (pymorphy's guesses would be Russian)."""
        if self._kazakh is None:
            return self._analyse(folded)
        stems = self._kazakh.stems(folded)
        lemma = self._kazakh.lemma(stems)
        return WordInfo(lemma, frozenset(stems), frozenset(), frozenset(), lemma in self._kazakh.words,
                        folded not in self._kazakh.stopwords, "")  # fmt: skip

    def _analyse(self, folded: str) -> WordInfo:
        parses = self._analyzer.parse(folded)
        lemmas = {folded}
        adjectives: set[str] = set()
        places: set[str] = set()
        common: set[str] = set()
        known = self._analyzer.word_is_known(folded)
        for parse in parses:
            normal = parse.normal_form.replace("ё", "е")
            lemmas.add(normal)
            if known and not _PROPER & parse.tag.grammemes:
                common.add(normal)
            if parse.tag.POS in ("ADJF", "ADJS"):
                adjectives.add(normal)
            if "Geox" in parse.tag:
                places.add(normal)
        best = parses[0]
        lemma = best.normal_form.replace("ё", "е")
        if best.tag.POS in ("VERB", "INFN", "PRTF", "PRTS", "GRND") and lemma.endswith(("ся", "сь")):
            # 'закупаются' and 'закупает' should meet: a reflexive verb matches its base verb
            lemma = lemma[:-2]
            lemmas.add(lemma)
        content = best.tag.POS not in _FUNCTION_POS and "Apro" not in best.tag
        return WordInfo(
            lemma=lemma,
            lemmas=frozenset(lemmas),
            adjective_lemmas=frozenset(adjectives),
            place_lemmas=frozenset(places),
            known=known,
            content=content,
            pos=str(best.tag.POS or ""),
            common_lemmas=frozenset(common),
            future="futr" in best.tag.grammemes,
            name_case=next((str(p.tag.case) for p in parses if {"Name", "Surn", "Patr"} & p.tag.grammemes), ""),
        )

    def tokens(self, text: str, offset: int = 0, *, kazakh: bool = False) -> list[Token]:
        """Tokens of ``text`` with their analyses; offsets are relative to ``offset``. ``kazakh``:
        the text is Kazakh, its words are stemmed, not lemmatised as Russian."""
        analyse = self.kazakh_word if kazakh else self.word
        return [Token(t.text, t.start + offset, t.stop + offset, analyse(fold(t.text))) for t in tokenize(text)]

    def lemma(self, word: str) -> str:
        return self.word(fold(word)).lemma

    def _nominative_parse(self, word: str):
        """The nominative reading of a case-bearing known word, or None to leave it as written
        (abbreviations in capitals, names the dictionary does not know)."""
        if word.isupper() or not self.word(fold(word)).known:
            return None
        for parse in self._parses(word):
            if parse.tag.case:
                return parse if parse.tag.case == "nomn" else parse.inflect({"nomn"})
        return None

    @staticmethod
    def _like(word: str, form: str) -> str:
        if fold(form) == fold(word):
            return word  # already nominative: keep 'СПб' as written
        return form.capitalize() if word[:1].isupper() else form

    def nominative_phrase(self, words: list[str]) -> str:
        """'Павлодарском областном музее' → 'Павлодарский областной музей': the leading adjectives
        and the head noun go to the nominative, the words that depend on them stay as written."""
        head = next((i for i, w in enumerate(words) if self.word(fold(w)).pos == "NOUN"), None)
        if head is None or any(self.word(fold(w)).pos not in ("ADJF", "PRTF") for w in words[:head]):
            return " ".join(words)
        noun = self._nominative_parse(words[head])
        if noun is None:
            return " ".join(words)
        agree = {"nomn", "plur"} if "plur" in noun.tag else {"nomn", str(noun.tag.gender or "masc")}
        out = []
        for word in words[:head]:
            parse = self._nominative_parse(word)
            form = parse.inflect(agree) if parse else None
            out.append(self._like(word, form.word) if form else word)
        return " ".join([*out, self._like(words[head], noun.word), *words[head + 1 :]])

    def is_plural(self, word: str) -> bool:
        """A plural noun as written ("главы", "губернаторы", "governors")."""
        if word.isascii():
            return word.lower().endswith("s")
        return any({"plur", "nomn"} <= parse.tag.grammemes for parse in self._parses(word) if parse.tag.POS == "NOUN")

    def person_name(self, words: list[str]) -> str:
        """'Бердыбеком Сапарбаевым' → 'Бердыбек Сапарбаев': each word read as a first name,
        surname or patronymic (singular, of the name's gender) goes to the nominative; a surname
        the dictionary does not know loses its instrumental ending (-овым → -ов)."""
        gender = None
        for word in words:
            for parse in self._parses(word):
                if {"Name", "Surn", "Patr"} & parse.tag.grammemes and parse.tag.gender:
                    gender = str(parse.tag.gender)
                    break
            if gender:
                break
        return " ".join(self._name_word(word, gender) for word in words)

    def _name_word(self, word: str, gender: str | None) -> str:
        for parse in self._parses(word):
            grammemes = parse.tag.grammemes
            if not {"Name", "Surn", "Patr"} & grammemes or "plur" in grammemes:
                continue
            if gender and parse.tag.gender and str(parse.tag.gender) != gender:
                continue
            if parse.tag.case == "nomn":
                return word
            inflected = parse.inflect({"nomn", "sing"})
            return self._like(word, inflected.word) if inflected else word
        return self.instrumental_surname(word) or word

    @staticmethod
    def instrumental_surname(word: str) -> str | None:
        """'Шумковым' → 'Шумков', 'Ивановой' → 'Иванова'; None for any other word."""
        if m := _INSTRUMENTAL_SURNAME.fullmatch(word):
            return m.group(1) + {"ым": "", "ой": "а"}[m.group(2)]
        return None

    def lemma_text(self, text: str) -> str:
        """Space-separated main lemmas of the words of ``text`` (for FTS and overlap)."""
        return " ".join(t.info.lemma for t in self.tokens(text) if t.is_word)
