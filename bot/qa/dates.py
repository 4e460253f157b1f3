"""Dates as answers write them: '10 августа 2017', 'ноябрь 2022', '2023'."""

from __future__ import annotations

_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
_MONTHS_NOM = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


def date_text(iso: str) -> str:
    """'2017-08-10' → '10 августа 2017', '2022-11' → 'ноябрь 2022', '2023' → '2023'."""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS_NOM[int(parts[1]) - 1]} {parts[0]}"
    return iso


def human_date(iso: str | None) -> str:
    return date_text(iso) if iso else "дата не указана"
