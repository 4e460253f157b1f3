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
        """People and organisations in ``text``. Only sentences that name a person get natasha's
        morphology pass (needed to normalise names): it costs as much again as NER itself."""
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._ner_tagger)
        wanted = [s for s in doc.spans if s.type in ("PER", "ORG")]
        people = [s for s in wanted if s.type == "PER"]
        normal = self._normal_names(
            {text[s.start : s.stop] for s in people},
            [sent.text for sent in doc.sents if any(sent.start <= p.start < sent.stop for p in people)],
        )
        return [
            NamedSpan(s.type, s.start, s.stop, s.text, normal.get(s.text, s.text) if s.type == "PER" else s.text)
            for s in wanted
        ]

    def _normal_names(self, names: set[str], sentences: list[str]) -> dict[str, str]:
        from natasha import Doc

        if not names:
            return {}
        doc = Doc("\n".join(sentences))
        doc.segment(self._segmenter)
        doc.tag_morph(self._morph_tagger)
        doc.tag_ner(self._ner_tagger)
        normal = {}
        for span in doc.spans:
            if span.type == "PER" and span.text in names:
                span.normalize(self._vocab)
                normal[span.text] = span.normal or span.text
        return normal
