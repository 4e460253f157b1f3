"""Everything loaded once per process from ``data/``: morphology, gazetteer, lexicon, rules.

natasha's models (about 1 s to load) are loaded only when an article is ingested: answering
questions never needs them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from bot.language.gazetteer import Gazetteer
from bot.language.kazakh import KazakhStemmer
from bot.language.lexicon import Lexicon
from bot.language.morph import Morph
from bot.language.paths import data_dir, read_yaml
from bot.language.smalltalk import SmallTalk
from bot.text.clean import Cleaner
from bot.text.extract import Extractor, FactWords
from bot.text.grammars import Grammars


class Knowledge:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir()
        self.morph = Morph(kazakh=KazakhStemmer.load(self.folder / "kazakh.yaml"))
        self.gazetteer = Gazetteer.load(self.folder / "gazetteer", self.morph)
        self.lexicon = Lexicon.load(self.folder, self.morph)
        self.cleaner = Cleaner.load(self.folder / "boilerplate.yaml")
        self.fact_words = FactWords.load(self.folder / "facts.yaml", self.morph)
        self.smalltalk = SmallTalk.load(self.folder / "smalltalk.yaml")
        example_lines = (self.folder / "examples.txt").read_text(encoding="utf-8").splitlines()
        self.examples = [line.strip() for line in example_lines if line.strip() and not line.startswith("#")]

    @cached_property
    def _extractor(self) -> Extractor:
        from bot.text.ner import Ner

        return Extractor(self.morph, self.gazetteer, self.lexicon, self.fact_words, Grammars(self.morph.lemma), Ner())

    def extractor(self) -> Extractor:
        return self._extractor

    @property
    def articles_dir(self) -> Path:
        return self.folder / "articles"

    @property
    def registry_dir(self) -> Path:
        return self.folder / "registry"

    def default_feeds(self) -> list[str]:
        """The starter feeds of ``data/feeds.yaml`` (added only when an operator asks)."""
        return [str(f["url"]) for f in read_yaml(self.folder / "feeds.yaml")]
