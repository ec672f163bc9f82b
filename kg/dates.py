"""Partial ISO dates: ``2016``, ``2016-12`` and ``2016-12-01``.

A partial date covers its whole period: ``2016`` runs from 1 January to 31 December 2016.
Intervals are inclusive at both ends and an absent bound is open.

>>> earliest("2016-02"), latest("2016-02")
(datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
>>> holds_on("2016", "2024-11", "2020-03-05")
True
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

__all__ = ["check_date", "date_argument", "earliest", "holds_on", "latest", "overlaps"]

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD"


@lru_cache(maxsize=65536)
def check_date(text: str) -> str | None:
    """Return what is wrong with ``text`` as a partial date, or None if it is fine.

    >>> check_date("Dec 2016")
    'not an ISO date'
    >>> check_date("2016-13")
    'month 13 is not 01 to 12'
    >>> check_date("2016-02-30")
    'day 30 is past the end of 2016-02 (29 days)'
    >>> check_date("2016-12-01") is None
    True
    """
    match = _PATTERN.fullmatch(text)
    if not match:
        return "not an ISO date"
    year, month, day = match.groups()
    if int(year) < 1:
        return "year 0000 does not exist"
    if month is not None and not 1 <= int(month) <= 12:
        return f"month {month} is not 01 to 12"
    if day is not None:
        length = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= length:
            return f"day {day} is past the end of {year}-{month} ({length} days)"
    return None


def date_argument(when: str | date | None) -> str | None:
    """A query's date argument as a checked partial ISO date; raises ``QueryError`` if bad.

    >>> date_argument(date(2016, 12, 1))
    '2016-12-01'
    """
    from kg.errors import QueryError

    if when is None:
        return None
    text = when.isoformat() if isinstance(when, date) else str(when)
    problem = check_date(text)
    if problem:
        raise QueryError(f"bad date {text!r}: {problem}; {EXPECTED}")
    return text


@lru_cache(maxsize=65536)
def earliest(text: str) -> date:
    """The first day a partial date covers."""
    year, month, day = (int(part) if part else None for part in _PATTERN.fullmatch(text).groups())
    return date(year, month or 1, day or 1)


@lru_cache(maxsize=65536)
def latest(text: str) -> date:
    """The last day a partial date covers."""
    year, month, day = (int(part) if part else None for part in _PATTERN.fullmatch(text).groups())
    month = month or 12
    return date(year, month, day or calendar.monthrange(year, month)[1])


def holds_on(start: str | None, end: str | None, when: str) -> bool:
    """Whether the span ``start``..``end`` (open where None) contains the date ``when``.

    A partial ``when`` counts if any of its days falls in the span.

    >>> holds_on(None, "2016-12", "2016-12-31")
    True
    >>> holds_on("2024-11-29", None, "2024-11-28")
    False
    """
    return overlaps(start, end, when, when)


def overlaps(start_a: str | None, end_a: str | None, start_b: str | None, end_b: str | None) -> bool:
    """Whether two spans (open where None) share at least one day.

    >>> overlaps("2015", "2016", "2016-06", None)
    True
    >>> overlaps("2015", "2016", "2017", None)
    False
    """
    if start_a is not None and end_b is not None and earliest(start_a) > latest(end_b):
        return False
    if start_b is not None and end_a is not None and earliest(start_b) > latest(end_a):
        return False
    return True
