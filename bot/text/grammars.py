"""yargy rules for the numbers in cooperation news: money, dates, year periods.

Each parser returns token values; ``facts`` turns them into typed facts. Parsers are built once
per process (``Grammars``) and run only on sentences that contain a digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
    **{
        m: n
        for n, m in enumerate(
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            1,
        )
    },  # fmt: skip
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
    "bln": "млрд",
    "billion": "млрд",
    "bn": "млрд",
    "mln": "млн",
    "million": "млн",
    "mn": "млн",
    "m": "млн",
    "thousand": "тыс",
    "мың": "тыс",
}
CURRENCY_WORDS = {
    "доллар": "USD",
    "долл": "USD",
    "рубль": "RUB",
    "руб": "RUB",
    "тенге": "KZT",
    "евро": "EUR",
    "юань": "CNY",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "tenge": "KZT",
    "теңге": "KZT",
    "euro": "EUR",
    "eur": "EUR",
    "еуро": "EUR",
    "rubles": "RUB",
    "roubles": "RUB",
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
# Money as English and Kazakh pages write it ("USD 4.7 bln", "$656 million", "697 млн АҚШ
# долларына"): the Russian grammar does not know their words. Groups: sign, number, multiplier, currency.
_MULT_WORDS = r"bln|billion|bn|mln|million|mn|thousand|млн|млрд|мың|тыс|(?-i:M)"
_FOREIGN_MONEY = re.compile(
    rf"(?:(?P<sign>\$|US\$|USD|€)\s?(?P<n1>\d+(?:[.,]\d+)?)\s*(?P<m1>{_MULT_WORDS})?\b"
    rf"|(?P<n2>\d+(?:[.,]\d+)?)\s*(?P<m2>{_MULT_WORDS})?\.?\s*(?:АҚШ\s+)?"
    r"(?P<cur>USD|US dollars|dollars?|доллар\w*|euros?|евро|еуро\w*|tenge|теңге\w*|тенге|rubles|roubles|рубл\w*))",
    re.IGNORECASE,
)
_CURRENCY_STEMS = {"доллар": "dollar", "еуро": "euro", "теңге": "теңге", "рубл": "рубль", "us dollars": "usd"}
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
        # news repeats its number phrases ("в 2024 году", "млн долларов"): parse each window once
        self._window = lru_cache(maxsize=20_000)(self._parse_window)

    def numbers(self, text: str, foreign: bool = False) -> list[Match]:
        """Money, dates, periods and years in ``text``, left to right, longest first; ``foreign``:
        an English or Kazakh text, whose money the grammar's Russian words miss.

        The parser only sees a few words around each number: its chart grows with the input,
        and every rule here is a number with at most two words on either side."""
        found = _foreign_money(text) if foreign else []
        taken = [(m.start, m.stop) for m in found]
        for start, stop in _windows(text):
            for kind, begin, end, values in self._window(text[start:stop]):
                begin, end = start + begin, start + end
                if not any(a < end and begin < b for a, b in taken):
                    found.append(Match(kind, begin, end, values))
        return sorted(found, key=lambda m: m.start)

    def _parse_window(self, window: str) -> tuple[tuple[str, int, int, tuple[str, ...]], ...]:
        matches = []
        for m in self._parser.findall(window):
            values = tuple(t.value for t in m.tokens)
            matches.append((self._kind(values), m.span.start, m.span.stop, values))
        return tuple(matches)

    def _kind(self, values: tuple[str, ...]) -> str:
        lemmas = {self._lemma(v) for v in values} | {v.lower() for v in values}
        if lemmas & set(CURRENCY_WORDS) or set(values) & set(CURRENCY_SIGNS):
            return "money"
        if lemmas & set(MONTHS):
            return "date"
        if len(values) >= 3 and values[1] in "-–—":
            return "period"
        return "year"


def _foreign_money(text: str) -> list[Match]:
    found = []
    for m in _FOREIGN_MONEY.finditer(text):
        number = (m.group("n1") or m.group("n2")).replace(",", ".").split(".")
        mult = (m.group("m1") or m.group("m2") or "").lower()
        currency = (m.group("sign") or m.group("cur") or "").lower()
        currency = next((v for k, v in _CURRENCY_STEMS.items() if currency.startswith(k)), currency)
        found.append(Match("money", m.start(), m.end(), (*number, mult, currency) if mult else (*number, currency)))
    return found
