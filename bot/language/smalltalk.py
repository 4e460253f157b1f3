"""Small talk: "привет", "рахмет", "who are you" get a short friendly reply with example
questions in the person's language (``data/smalltalk.yaml``), never "no information"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.language.morph import fold
from bot.language.paths import read_yaml

_MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class SmallTalk:
    phrases: dict[str, str]  # folded phrase → kind (greeting, thanks, about)
    replies: dict[str, dict[str, str]]  # language → kind → text
    examples: dict[str, list[str]]

    @classmethod
    def load(cls, path: Path) -> SmallTalk:
        raw = read_yaml(path)
        phrases = {_normal(p): kind for kind, items in raw["phrases"].items() for p in items}
        return cls(phrases, raw["replies"], raw["examples"])

    def kind(self, text: str) -> str | None:
        """The kind of small talk ``text`` is, if it is nothing but that (a greeting may lead a
        longer message: "привет, что подписали Омск и Павлодар?" is a question)."""
        normal = _normal(text)
        if not normal or len(normal.split()) > _MAX_WORDS:
            return None
        return self.phrases.get(normal)

    def reply(self, kind: str, language: str) -> tuple[str, list[str]]:
        """The reply text and example questions, in ``language`` (Russian when unknown)."""
        texts = self.replies.get(language) or self.replies["ru"]
        examples = self.examples.get(language) or self.examples["ru"]
        return f"{texts[kind]}\n{texts['examples']}", examples


def _normal(text: str) -> str:
    """Lower case, ё as е, no punctuation or emoji: "Привет!!! 👋" → "привет"."""
    return " ".join(re.sub(r"[^\w\s-]", " ", fold(text)).split())
