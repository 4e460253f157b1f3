"""natasha named-entity recognition for articles (people, organisations), loaded once per process.

Used on article text only: on lowercase chat questions it finds nothing (see FIELD_NOTES), and
places come from the gazetteer, which also knows adjectives and former names.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
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
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger

        embedding = NewsEmbedding()
        self._morph_tagger = NewsMorphTagger(embedding)
        self._ner_tagger = NewsNERTagger(embedding)
        self._vocab = MorphVocab()

    def spans(self, text: str, sentences: Sequence[Sequence[tuple[int, int, str]]]) -> list[NamedSpan]:
        """People and organisations in ``text``, whose ``sentences`` the caller has already split
        and tokenised (start, stop, token text; offsets in ``text``). One NER pass over the
        text; only the sentences that name a person get natasha's morphology pass, which the
        names' normal forms need and which costs about as much as NER itself."""
        from natasha.doc import DocToken
        from natasha.norm import normalize

        if not text.strip():
            return []  # slovnet's decoder fails on a text with no token
        found = self._ner_tagger(text).spans
        sentences = [sentence for sentence in sentences if sentence]
        starts = [sentence[0][0] for sentence in sentences]

        def touched(start: int, stop: int) -> range:  # the sentences a span runs over (a name may cross a line)
            return range(max(bisect_right(starts, start) - 1, 0), max(bisect_right(starts, stop - 1), 1))

        named: dict[int, list[DocToken]] = {}
        for span in found:
            if span.type == "PER" and sentences:
                for k in touched(span.start, span.stop):
                    named.setdefault(k, [])
        order = sorted(named)
        tagged = self._morph_tagger.map([[token[2] for token in sentences[i]] for i in order])
        for i, markup in zip(order, tagged, strict=True):
            for (start, stop, word), tag in zip(sentences[i], markup.tokens, strict=True):
                named[i].append(DocToken(start, stop, word, pos=tag.pos, feats=tag.feats))
        out = []
        for span in found:
            words = span_text = text[span.start : span.stop]
            if span.type == "PER":
                tokens = [
                    t
                    for k in (touched(span.start, span.stop) if sentences else ())
                    for t in named[k]
                    if span.start <= t.start and t.stop <= span.stop
                ]
                words = normalize(self._vocab, tokens) if tokens else span_text
            if span.type in ("PER", "ORG"):
                out.append(NamedSpan(span.type, span.start, span.stop, span_text, words or span_text))
        return out
