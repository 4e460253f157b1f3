"""Kazakh stems without a lemmatiser: case, possessive and plural endings stripped layer by
layer (``data/kazakh.yaml``). Enough to meet "Омбыдағы" with "Омбы" and "облысының" with
"облысы", which is what finding places, kinds of documents and topics needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.language.paths import read_yaml


@dataclass(frozen=True, slots=True)
class KazakhStemmer:
    layers: tuple[tuple[str, ...], ...]
    min_stem: int
    stopwords: frozenset[str]
    words: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> KazakhStemmer:
        raw = read_yaml(path)
        layers = tuple(tuple(sorted(layer, key=len, reverse=True)) for layer in raw["layers"])
        return cls(layers, int(raw["min_stem"]), frozenset(raw["stopwords"]), frozenset(raw["words"]))

    def lemma(self, stems: list[str]) -> str:
        """The stem that stands for the word: a known one, else the word without its case ending."""
        known = next((s for s in stems if s in self.words), None)
        return known or (stems[1] if len(stems) > 1 else stems[0])

    def stems(self, word: str) -> list[str]:
        """The word (folded) and every stem its endings may hide, layer by layer ("облысының":
        облысы, облыс; "Омбыдағы": омбы) — an ending is ambiguous (облыс-ы or Ақмола-сы), so
        every reading is kept: a stem that names nothing simply matches nothing."""
        folded = word.lower().replace("ё", "е")
        found = {folded: None}
        frontier = [folded]
        for layer in self.layers:
            nxt = list(frontier)
            for current in frontier:
                for ending in layer:
                    stem = current[: -len(ending)]
                    if current.endswith(ending) and len(stem) >= self.min_stem:
                        found.setdefault(stem, None)
                        nxt.append(stem)
            frontier = nxt
        return list(found)
