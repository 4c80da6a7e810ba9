"""Turn a publication date, as a source writes it, into the day interval it denotes.

Sources write dates loosely: ``2022-08-01``, ``August 1, 2022``, ``22 January 2007``,
``2021 (UNGA 76th session general debate, September)``. Date filters need a
comparable interval, so :func:`date_bounds` maps each to inclusive ``YYYYMMDD``
integers. It never guesses between readings: ``08/01/2022`` (day or month first?)
only yields its year, an interval that holds either reading.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = ["date_bounds", "written_date"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})[-/](?P<month>\d{1,2})(?:[-/](?P<day>\d{1,2}))?(?!\d)")
_MONTH_DAY = re.compile(_MONTH + r"\s+" + _DAY, re.IGNORECASE)
_DAY_MONTH = re.compile(r"(?<!\d)" + _DAY + r"\s+(?:of\s+)?" + _MONTH, re.IGNORECASE)
_MONTH_ONLY = re.compile(_MONTH, re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?P<year>1\d{3}|2\d{3})(?!\d)")


def date_bounds(published: str) -> tuple[int, int] | None:
    """The first and last day (``YYYYMMDD``, inclusive) that a written date denotes.

    Args:
        published: The date as the source gives it.

    Returns:
        ``(lo, hi)``, e.g. ``(20220801, 20220801)`` for ``"2022-08-01"``,
        ``(20210901, 20210930)`` for ``"2021 (... September)"``, ``(20210101, 20211231)``
        for ``"2021"``; ``None`` when there is no year or the date does not exist.
    """
    iso = _ISO.search(published)
    if iso:
        day = iso.group("day")
        return _interval(int(iso.group("year")), int(iso.group("month")), int(day) if day else None)
    years = [int(match.group("year")) for match in _YEAR.finditer(published)]
    if not years:
        return None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        named = pattern.search(published)
        if named:
            year = _year_after(published, named.end(), years)
            return _interval(year, _month(named), int(named.group("day")))
    month_only = _MONTH_ONLY.search(published)
    if month_only:
        return _interval(_year_after(published, month_only.end(), years), _month(month_only), None)
    return _as_int(date(min(years), 1, 1)), _as_int(date(max(years), 12, 31))


_FULL_DATES = (
    re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)"),
    re.compile(r"(?<!\d)\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+\d{4}(?!\d)", re.IGNORECASE),
    re.compile(_MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?!\d)", re.IGNORECASE),
)


def written_date(text: str) -> str:
    """The first full date (day, month and year) written in ``text``, as written; "" if none.

    "22 January 2007" in "Mr. PALLONE — 22 January 2007".
    """
    found = [m for pattern in _FULL_DATES for m in [pattern.search(text)] if m]
    return min(found, key=lambda m: m.start()).group() if found else ""


def _month(match: re.Match[str]) -> int:
    return _MONTHS[match.group("month")[:3].lower()]


def _year_after(text: str, position: int, years: list[int]) -> int:
    """The year written after a month name ("August 1, 2022"), else the first year in the text."""
    later = _YEAR.search(text, position)
    return int(later.group("year")) if later else years[0]


def _interval(year: int, month: int, day: int | None) -> tuple[int, int] | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return _as_int(date(year, month, 1)), _as_int(date(year, month, last))
    if not 1 <= day <= last:
        return None
    return _as_int(date(year, month, day)), _as_int(date(year, month, day))


def _as_int(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day
