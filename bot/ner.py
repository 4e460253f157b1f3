"""natasha named-entity recognition for articles (people, organisations), loaded once per process.

Used on article text only: on lowercase chat questions it finds nothing (see FIELD_NOTES), and
places come from the gazetteer, which also knows adjectives and former names.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NamedSpan:
    type: str  # PER, ORG, LOC
    start: int
    stop: int
    text: str
    normal: str  # nominative form: "Рустамом Миннихановым" -> "Рустам Минниханов"


class Ner:
    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        self._segmenter = Segmenter()
        self._morph_tagger = NewsMorphTagger(embedding)
        self._ner_tagger = NewsNERTagger(embedding)
        self._vocab = MorphVocab()

    def spans(self, text: str) -> list[NamedSpan]:
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._ner_tagger)
        if not any(s.type in ("PER", "ORG") for s in doc.spans):
            return []
        doc.tag_morph(self._morph_tagger)
        found = []
        for span in doc.spans:
            if span.type not in ("PER", "ORG"):
                continue
            span.normalize(self._vocab)
            found.append(NamedSpan(span.type, span.start, span.stop, span.text, span.normal or span.text))
        return found
