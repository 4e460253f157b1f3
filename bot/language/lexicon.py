"""Keyword lists from ``data/``: topics, question intents and domain stopwords, matched on lemmas."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.language.morph import Morph, fold
from bot.language.paths import read_yaml
from bot.models import Topic


@dataclass(frozen=True, slots=True)
class _Keywords:
    """Single lemmas and lemma sequences ('умный город') that belong to one label."""

    single: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def build(cls, words: list[str], morph: Morph) -> _Keywords:
        single, phrases = set(), []
        for word in words:
            lemmas = tuple(morph.lemma(w) for w in fold(word).split())
            if len(lemmas) == 1:
                single |= {lemmas[0], fold(word)}  # the word as written too: Kazakh stems, English words
            else:
                phrases.append(lemmas)
        return cls(frozenset(single), tuple(phrases))

    def count(self, lemmas: list[str]) -> int:
        hits = sum(1 for lemma in lemmas if lemma in self.single)
        for phrase in self.phrases:
            n = len(phrase)
            hits += sum(1 for i in range(len(lemmas) - n + 1) if tuple(lemmas[i : i + n]) == phrase)
        return hits


class Lexicon:
    def __init__(
        self,
        topics: list[Topic],
        topic_words: dict[str, _Keywords],
        intents: dict[str, _Keywords],
        stopwords: frozenset[str],
        kinds: dict[str, _Keywords] | None = None,
        asks: dict[str, _Keywords] | None = None,
        aspects: dict[str, frozenset[str]] | None = None,
    ):
        self.topics = {t.id: t for t in topics}
        self._topic_words = topic_words
        self._intents = intents
        self.stopwords = stopwords
        self._kinds = kinds or {}
        self._asks = asks or {}
        self._aspects = aspects or {}

    @classmethod
    def load(cls, folder: Path, morph: Morph) -> Lexicon:
        raw_topics = read_yaml(folder / "topics.yaml")
        topics = [Topic(t["id"], t["name"]) for t in raw_topics]
        topic_words = {t["id"]: _Keywords.build(t["keywords"], morph) for t in raw_topics}
        raw_intents = read_yaml(folder / "intents.yaml")
        intents = {name: _Keywords.build(words, morph) for name, words in raw_intents.items()}
        stop_lines = (folder / "stopwords.txt").read_text(encoding="utf-8").splitlines()
        stopwords = frozenset(fold(s.strip()) for s in stop_lines if s.strip() and not s.startswith("#"))
        raw_kinds = read_yaml(folder / "kinds.yaml")
        kinds = {name: _Keywords.build(words, morph) for name, words in raw_kinds.items()}
        raw_asks = read_yaml(folder / "asks.yaml")
        asks = {name: _Keywords.build(words, morph) for name, words in raw_asks.items()}
        aspects = {verb: frozenset(pair) for pair in read_yaml(folder / "aspects.yaml") for verb in pair}
        return cls(topics, topic_words, intents, stopwords, kinds, asks, aspects)

    def with_aspects(self, lemmas: set[str]) -> set[str]:
        """The lemmas and the other aspect of each verb among them (обсуждать → обсудить)."""
        return lemmas.union(*(self._aspects.get(lemma, ()) for lemma in lemmas))

    def asks(self, lemmas: list[str]) -> str | None:
        """What a question wants stated first (data/asks.yaml): figure, person, date, companies
        or document — the first kind whose words it has."""
        return next((name for name, kw in self._asks.items() if kw.count(lemmas)), None)

    def kinds_asked(self, lemmas: list[str]) -> list[str]:
        """Kinds of event a question names (data/kinds.yaml): меморандум, форум, визит, рейс…"""
        return [kind for kind, kw in self._kinds.items() if kw.count(lemmas)]

    def topic_counts(self, lemmas: list[str]) -> Counter[str]:
        return Counter({tid: n for tid, kw in self._topic_words.items() if (n := kw.count(lemmas))})

    def article_topics(self, lemmas: list[str]) -> dict[str, float]:
        """Topics an article is about: at least two keyword hits, weighted by share of hits."""
        counts = self.topic_counts(lemmas)
        total = sum(counts.values()) or 1
        return {tid: round(n / total, 3) for tid, n in counts.items() if n >= 2}

    def intent_counts(self, lemmas: list[str]) -> Counter[str]:
        return Counter({name: n for name, kw in self._intents.items() if (n := kw.count(lemmas))})

    def has_words(self, intent: str, lemmas: list[str]) -> bool:
        return self._intents[intent].count(lemmas) > 0

    def topic_lemmas(self, topic_ids: list[str]) -> set[str]:
        """Every lemma the keywords of these topics are made of."""
        words: set[str] = set()
        for tid in topic_ids:
            keywords = self._topic_words[tid]
            words |= keywords.single | {lemma for phrase in keywords.phrases for lemma in phrase}
        return words
