"""yargy rules for the numbers in cooperation news: money, dates, year periods.

Each parser returns token values; ``facts`` turns them into typed facts. Parsers are built once
per process (``Grammars``) and run only on sentences that contain a digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yargy import Parser, and_, or_, rule
from yargy.predicates import caseless, dictionary, eq, gte, in_, lte, normalized
from yargy.predicates import type as token_type

MONTHS = {
    "январь": 1,
    "февраль": 2,
    "март": 3,
    "апрель": 4,
    "май": 5,
    "июнь": 6,
    "июль": 7,
    "август": 8,
    "сентябрь": 9,
    "октябрь": 10,
    "ноябрь": 11,
    "декабрь": 12,
}
MULTIPLIERS = {
    "тыс": "тыс",
    "тысяча": "тыс",
    "млн": "млн",
    "миллион": "млн",
    "млрд": "млрд",
    "миллиард": "млрд",
    "трлн": "трлн",
    "триллион": "трлн",
}
CURRENCY_WORDS = {
    "доллар": "USD",
    "долл": "USD",
    "рубль": "RUB",
    "руб": "RUB",
    "тенге": "KZT",
    "евро": "EUR",
    "юань": "CNY",
}
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "₽": "RUB", "₸": "KZT"}

_INT = token_type("INT")
_NUMBER = or_(rule(_INT, in_(",."), _INT), rule(_INT))
_MULT = rule(dictionary(set(MULTIPLIERS)), eq(".").optional())
_CUR_WORD = rule(dictionary(set(CURRENCY_WORDS)), eq(".").optional())
_CUR_SIGN = rule(in_(set(CURRENCY_SIGNS)))
MONEY = or_(
    rule(_CUR_SIGN, _NUMBER, _MULT.optional()),
    rule(_NUMBER, _MULT.optional(), or_(_CUR_WORD, _CUR_SIGN)),
)

_YEAR = and_(_INT, gte(1991), lte(2100))
_DAY = and_(_INT, gte(1), lte(31))
_MONTH = dictionary(set(MONTHS))
_YEAR_WORD = rule(or_(normalized("год"), caseless("г"), caseless("гг")), eq(".").optional())
DATE = or_(
    rule(_DAY, _MONTH, _YEAR.optional(), _YEAR_WORD.optional()),
    rule(_MONTH, _YEAR, _YEAR_WORD.optional()),
)
PERIOD = rule(_YEAR, in_("-–—"), _YEAR, _YEAR_WORD.optional())
YEAR = rule(_YEAR, _YEAR_WORD)


NUMBERS = or_(MONEY, DATE, PERIOD, YEAR)
_DIGITS = re.compile(r"\d+(?:[.,\-–—]\d+)*")
_CONTEXT = re.compile(r"(?:\S+\s+){0,2}\S*$"), re.compile(r"^\S*(?:\s+\S+){0,3}")


def _matched(pattern: re.Pattern[str], text: str) -> int:
    found = pattern.search(text)  # the context patterns match the empty string too
    return len(found.group()) if found else 0


def _windows(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` around each run of digits (two words before, three after), merged."""
    spans: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        start = m.start() - _matched(_CONTEXT[0], text[: m.start()])
        stop = m.end() + _matched(_CONTEXT[1], text[m.end() :])
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(stop, spans[-1][1]))
        else:
            spans.append((start, stop))
    return spans


@dataclass(frozen=True, slots=True)
class Match:
    kind: str  # money, date, period, year
    start: int
    stop: int
    values: tuple[str, ...]


class Grammars:
    """One compiled parser for every number rule; build once per process and share."""

    def __init__(self, morph_lemma) -> None:
        self._parser = Parser(NUMBERS)
        self._lemma = morph_lemma

    def numbers(self, text: str) -> list[Match]:
        """Money, dates, periods and years in ``text``, left to right, longest first.

        The parser only sees a few words around each number: its chart grows with the input,
        and every rule here is a number with at most two words on either side."""
        found = []
        for start, stop in _windows(text):
            for m in self._parser.findall(text[start:stop]):
                values = tuple(t.value for t in m.tokens)
                found.append(Match(self._kind(values), start + m.span.start, start + m.span.stop, values))
        return found

    def _kind(self, values: tuple[str, ...]) -> str:
        lemmas = {self._lemma(v) for v in values} | {v.lower() for v in values}
        if lemmas & set(CURRENCY_WORDS) or set(values) & set(CURRENCY_SIGNS):
            return "money"
        if lemmas & set(MONTHS):
            return "date"
        if len(values) >= 3 and values[1] in "-–—":
            return "period"
        return "year"
