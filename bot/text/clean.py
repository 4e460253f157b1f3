"""Boilerplate removal: what a web page adds around an article, before any NLP sees it.

Runs first so that a weather widget's city list or a 'Читайте также' block never becomes a
region or a sentence of the article. The patterns live in ``data/boilerplate.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.language.morph import fold
from bot.language.paths import read_yaml

_END_PUNCT = tuple('.!?…:;»"”)')
_SENTENCE_END = tuple('.!?…»"”')
_WRAPPED_WORDS = 6  # a line this long without a final stop, then a name: a paragraph cut by a hard wrap
_NAME_START = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]+ [A-ZА-ЯЁ][a-zа-яё]+\b")  # "Александр Жилкин и аким…"
_CONTINUES = tuple(",-–—(«")  # a line ending like this goes on in the next one
# the outlet a page's <title> appends to the headline: "… - «Qazaqstan» Ұлттық телеарнасы"
_PAGE_TITLE = re.compile(r"\s+[-–—|]\s+[^-–—|]{1,59}[^-–—|.!?\s]$")  # an outlet, not a clause
_TOP_LINES = 3  # where a page's <title> and its headline stand


@dataclass(frozen=True, slots=True)
class Cleaner:
    footer: re.Pattern[str]
    drop: re.Pattern[str]
    widget_run: int
    min_label_words: int
    dateline: re.Pattern[str] = re.compile(r"(?!)")
    attribution: re.Pattern[str] = re.compile(r"(?!)")
    glued: re.Pattern[str] = re.compile(r"(?!)")

    @classmethod
    def load(cls, path: Path) -> Cleaner:
        raw = read_yaml(path)

        def any_of(patterns: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

        return cls(
            any_of(raw["footer_starts"]),
            any_of(raw["drop_lines"]),
            int(raw["widget_run"]),
            int(raw["min_label_words"]),
            re.compile("|".join(f"(?:{p})" for p in raw["datelines"])),
            re.compile(raw["attributions"], re.IGNORECASE),
            re.compile(raw["glued"]),
        )

    def clean(self, text: str, title: str = "") -> str:
        """The article's paragraphs, one per line, without page furniture or repeats."""
        lines = [" ".join(self.glued.sub(" ", line).split()) for line in text.replace("\r", "\n").splitlines()]
        lines = self._cut_footer(_join_wrapped(lines))
        lines = [self._cut_source_marks(line) for line in lines]
        lines = [line for line in lines if line and not self.drop.fullmatch(line)]
        lines = self._drop_widget_runs(lines)
        seen = {fold(title)} if title else set()
        top = seen | {fold(line) for line in lines[:_TOP_LINES]}
        kept = []
        for n, line in enumerate(lines):
            key = fold(line)
            if key in seen or self._is_label(line) or (n < _TOP_LINES and _PAGE_TITLE.sub("", key) in top - {key}):
                continue  # a repeat, a label, or the page's <title> above its headline: "Headline - Outlet"
            seen.add(key)
            kept.append(line)
        return "\n".join(kept)

    def _cut_source_marks(self, line: str) -> str:
        """A paragraph without its dateline, and without a last sentence's '…, передает alau.kz'."""
        line = self.dateline.sub("", line, count=1) if self.dateline.match(line) else line
        if not line:
            return line
        cut = self.attribution.sub("", line).rstrip()
        return cut + "." if cut != line.rstrip() and not cut.endswith(_SENTENCE_END) else cut

    def _cut_footer(self, lines: list[str]) -> list[str]:
        body_seen = False
        for i, line in enumerate(lines):
            if body_seen and self.footer.fullmatch(line):
                return lines[:i]
            body_seen = body_seen or len(line.split()) >= self.min_label_words
        return lines

    def _is_short(self, line: str) -> bool:
        return len(line.split()) <= 3 and not line.endswith(_END_PUNCT)

    def _is_label(self, line: str) -> bool:
        return len(line.split()) < self.min_label_words and not line.endswith(_END_PUNCT)

    def _drop_widget_runs(self, lines: list[str]) -> list[str]:
        kept, run = [], []
        for line in [*lines, ""]:
            if line and self._is_short(line):
                run.append(line)
                continue
            if len(run) < self.widget_run:
                kept.extend(run)
            run = []
            if line:
                kept.append(line)
        return kept


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines a hard wrap cut out of one paragraph, joined again: a line without a final stop goes
    on in the next one when that starts in lower case, or when it ends with a comma or a dash, or
    when a long line is followed by a person's name ("…поставили губернатор области" / "Александр
    Жилкин и …"). A headline, a caption or a lead without its stop stays a line of its own."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and not out[-1].endswith(_SENTENCE_END):
            previous = out[-1]
            starts_lower = line[:1].islower()
            wrapped_name = len(previous.split()) >= _WRAPPED_WORDS and _NAME_START.match(line)
            if starts_lower or previous.endswith(_CONTINUES) or wrapped_name:
                out[-1] = f"{previous} {line}"
                continue
        out.append(line)
    return out
