"""Dates that say how sure they are: partial ISO dates and the EDTF level 1 forms kg reads.

A statement's ``start`` and ``end`` each name the moment it began or ended, as precisely as
the source allows (the Library of Congress Extended Date/Time Format, level 1):

==================  ====================================  =========================================
text                meaning                               the days the moment may fall on
==================  ====================================  =========================================
``2016-12``         exact at its precision                the period's first to last day
``2024-11~``        approximate (``?`` uncertain, ``%``   widened by one unit of its precision each
                    both)                                 side: 2024-10-01 to 2024-12-31
``201X``            unspecified digits                    2010-01-01 to 2019-12-31
``../2024-11``      by 2024-11 (no later than)            any day up to 2024-11-30
``2024-11-29/..``   on or after 2024-11-29                2024-11-29 or any day after
``2016/2018``       between                               2016-01-01 to 2018-12-31
``..``              open: since ever, or still holds      none: the span is unbounded on that side
``XXXX``            unknown                               any day at all
==================  ====================================  =========================================

A missing ``end`` after a given ``start`` is open (the statement still holds, as its sources
tell it), and so is a missing ``start`` before a given ``end``; a statement with neither is
*undated*, which is not *always*: both its moments are unknown.

A statement *possibly* spans from the earliest day it may have begun to the latest day it
may have ended, and *certainly* spans from the latest day it may have begun to the earliest
day it may have ended. On a date it ``held`` if its certain span reaches that date, ``may
have held`` if only its possible span does, and ``did not hold`` otherwise:

>>> holding("2016-12", None, "2016-12-31"), holding("2016-12", None, "2016-12-01")
('held', 'may have held')
>>> holding(None, None, "2020"), holding("2016", "2018", "2020")
('may have held', 'did not hold')
>>> span("../2024-11", "2024-11-29/..").certain
(datetime.date(2024, 11, 30), datetime.date(2024, 11, 29))
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, NamedTuple

__all__ = [
    "AFTER_ALL",
    "BEFORE_ALL",
    "EDTF_EXPECTED",
    "EXPECTED",
    "HELD",
    "HOLDINGS",
    "MAY_HAVE_HELD",
    "NOT_HELD",
    "Bound",
    "Span",
    "bound",
    "check_date",
    "check_edtf",
    "date_argument",
    "days_possible",
    "describe",
    "earliest",
    "holding",
    "last_day",
    "latest",
    "overlaps",
    "span",
    "surest",
    "together",
    "weakest",
]

HELD, MAY_HAVE_HELD, NOT_HELD = "held", "may have held", "did not hold"
#: The answers to "did it hold on this date?", surest first.
HOLDINGS = (HELD, MAY_HAVE_HELD, NOT_HELD)

#: Stand-ins for "unbounded": before and after every date a source can name.
BEFORE_ALL, AFTER_ALL = date.min, date.max

# ASCII digits only: \d would also take Arabic-Indic, Devanagari or fullwidth digits.
_PLAIN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_EDTF_DATE = re.compile(r"([0-9X]{4})(?:-([0-9X]{2})(?:-([0-9X]{2}))?)?([?~%])?")
EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD"
EDTF_EXPECTED = ("expected YYYY, YYYY-MM or YYYY-MM-DD, or an EDTF form: 2024-11~ (about), 2016? (uncertain), "
                 "../2024-11 (by), 2024-11-29/.. (on or after), 2016/2018 (between), .. (open), XXXX (unknown)")


class Bound(NamedTuple):
    """The days on which a statement's start or end may fall: ``low`` to ``high``, inclusive.

    ``BEFORE_ALL`` and ``AFTER_ALL`` (``date.min``, ``date.max``) stand for unbounded.
    """

    low: date
    high: date


class Span(NamedTuple):
    """When a statement held: ``possible`` and ``certain`` as (first day, last day) pairs.

    The certain span is empty when its first day is after its last.
    """

    possible: tuple[date, date]
    certain: tuple[date, date]

    @property
    def certain_empty(self) -> bool:
        """Whether no day is certain (an undated statement, an unknown or too vague a bound).

        A span that could only surely begin "after all dates" or surely end "before all" is
        empty too: ``2024-12-01/..`` as a start, with no end, may begin on any later day.
        """
        first, last = self.certain
        return first > last or first == AFTER_ALL or last == BEFORE_ALL


# --------------------------------------------------------------------------- plain dates


@lru_cache(maxsize=65536)
def check_date(text: str) -> str | None:
    """Return what is wrong with ``text`` as a partial ISO date, or None if it is fine.

    >>> check_date("Dec 2016")
    'not an ISO date'
    >>> check_date("2016-13")
    'month 13 is not 01 to 12'
    >>> check_date("2016-02-30")
    'day 30 is past the end of 2016-02 (29 days)'
    >>> check_date("2016-12-01") is None
    True
    """
    match = _PLAIN.fullmatch(text)
    if not match:
        return "not an ISO date"
    return _check_parts(*match.groups())


def last_day(year: int, month: int) -> int:
    """The number of days in a month (what ``calendar.monthrange`` gives second).

    >>> last_day(2024, 2), last_day(2023, 2), last_day(2024, 12)
    (29, 28, 31)
    """
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


def _check_parts(year: str, month: str | None, day: str | None) -> str | None:
    if "X" in year + (month or "") + (day or ""):
        return _check_unspecified(year, month, day)
    if int(year) < 1:
        return "year 0000 does not exist"
    if month is not None and not 1 <= int(month) <= 12:
        return f"month {month} is not 01 to 12"
    if day is not None:
        length = last_day(int(year), int(month))
        if not 1 <= int(day) <= length:
            return f"day {day} is past the end of {year}-{month} ({length} days)"
    return None


def _check_unspecified(year: str, month: str | None, day: str | None) -> str | None:
    digits = year + (month or "") + (day or "")
    if "X" in digits.rstrip("X"):
        return "unspecified digits (X) must be the last ones"
    if month is not None and "X" in month and month != "XX":
        return f"month {month} is not 01 to 12 or XX"
    if month is not None and "X" not in month and not 1 <= int(month) <= 12:
        return f"month {month} is not 01 to 12"
    if day is not None and "X" in day and day != "XX":
        return f"day {day} is not a day or XX"
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
    """The first day a partial ISO date covers.

    >>> earliest("2016-02")
    datetime.date(2016, 2, 1)
    """
    year, month, day = (int(part) if part else None for part in _PLAIN.fullmatch(text).groups())
    return date(year, month or 1, day or 1)


@lru_cache(maxsize=65536)
def latest(text: str) -> date:
    """The last day a partial ISO date covers.

    >>> latest("2016-02")
    datetime.date(2016, 2, 29)
    """
    year, month, day = (int(part) if part else None for part in _PLAIN.fullmatch(text).groups())
    month = month or 12
    return date(year, month, day or last_day(year, month))


# --------------------------------------------------------------------------- EDTF bounds


@lru_cache(maxsize=65536)
def check_edtf(text: str) -> str | None:
    """Return what is wrong with ``text`` as a start or end, or None if kg reads it.

    >>> check_edtf("2024-11~") is None, check_edtf("../2016") is None, check_edtf("..") is None
    (True, True, True)
    >>> check_edtf("2016/2015")
    'the range 2016/2015 ends before it begins'
    >>> check_edtf("٢٠٢٤")
    'not an ISO or EDTF date'
    """
    if text in ("..", "XXXX"):
        return None
    if "/" in text:
        first, _, second = text.partition("/")
        if first == second == ".." or "/" in second:
            return "a range needs at least one date: A/B, ../B or A/.."
        for side in (first, second):
            problem = None if side == ".." else _check_one(side)
            if problem:
                return problem
        if ".." not in (first, second) and _one(first).low > _one(second).high:
            return f"the range {text} ends before it begins"
        return None
    return _check_one(text)


def _check_one(text: str) -> str | None:
    match = _EDTF_DATE.fullmatch(text)
    if not match:
        return "not an ISO or EDTF date"
    return _check_parts(*match.groups()[:3])


@lru_cache(maxsize=65536)
def _one(text: str) -> Bound:
    """The days one EDTF date (no range) may fall on."""
    year, month, day, qualifier = _EDTF_DATE.fullmatch(text).groups()
    low, high = _unspecified_range(year, month, day)
    if qualifier:
        low, high = _widened(low, high, 3 if day else 2 if month else 1)
    return Bound(low, high)


def _unspecified_range(year: str, month: str | None, day: str | None) -> tuple[date, date]:
    first_year = max(int(year.replace("X", "0")), 1)
    last_year = int(year.replace("X", "9"))
    if month is None or month == "XX":
        return date(first_year, 1, 1), date(last_year, 12, 31)
    first_month = last_month = int(month)
    if day is None or day == "XX":
        return date(first_year, first_month, 1), date(last_year, last_month,
                                                      last_day(last_year, last_month))
    return date(first_year, first_month, int(day)), date(last_year, last_month, int(day))


def _widened(low: date, high: date, precision: int) -> tuple[date, date]:
    """One unit of the precision (1 year, 2 month, 3 day) more on each side."""
    if precision == 3:
        return max(low - timedelta(days=1), BEFORE_ALL), min(high + timedelta(days=1), AFTER_ALL)
    if precision == 2:
        before = date(low.year - 1, 12, 1) if low.month == 1 else date(low.year, low.month - 1, 1)
        after_month = (high.year + 1, 1) if high.month == 12 else (high.year, high.month + 1)
        after = date(*after_month, last_day(*after_month))
        return before, after
    return date(max(low.year - 1, 1), 1, 1), date(min(high.year + 1, 9999), 12, 31)


@lru_cache(maxsize=65536)
def bound(text: str | None, role: str, other: str | None = None) -> Bound:
    """The days a ``start`` or ``end`` (``role``) may fall on, given the other bound's text.

    >>> bound("../2016", "start")
    Bound(low=datetime.date(1, 1, 1), high=datetime.date(2016, 12, 31))
    >>> bound(None, "end", "2015").low == AFTER_ALL   # open: still holds
    True
    """
    opened = Bound(BEFORE_ALL, BEFORE_ALL) if role == "start" else Bound(AFTER_ALL, AFTER_ALL)
    if text is None:
        return opened if other is not None else Bound(BEFORE_ALL, AFTER_ALL)
    if text == "..":
        return opened
    if text == "XXXX":
        return Bound(BEFORE_ALL, AFTER_ALL)
    if "/" in text:
        first, _, second = text.partition("/")
        return Bound(BEFORE_ALL if first == ".." else _one(first).low,
                     AFTER_ALL if second == ".." else _one(second).high)
    return _one(text)


@lru_cache(maxsize=65536)
def span(start: str | None, end: str | None) -> Span:
    """The possible and certain spans of a statement with this ``start`` and ``end``.

    >>> span("2016", None).possible
    (datetime.date(2016, 1, 1), datetime.date(9999, 12, 31))
    >>> span(None, None).certain_empty
    True
    """
    first, last = bound(start, "start", end), bound(end, "end", start)
    # A statement ends no earlier than it begins: an unknown end still falls after the start.
    return Span((first.low, last.high), (min(first.high, last.high), max(last.low, first.low)))


def days_possible(start: str | None, end: str | None) -> tuple[date, date]:
    """The first and last day a statement may have held (``BEFORE_ALL``/``AFTER_ALL`` if unbounded).

    >>> days_possible("2016", "2024-11~")
    (datetime.date(2016, 1, 1), datetime.date(2024, 12, 31))
    """
    return span(start, end).possible


def _days(when: str) -> tuple[date, date]:
    return earliest(when), latest(when)


def holding(start: str | None, end: str | None, when: str) -> str:
    """Whether a statement with this span held on ``when`` (a partial ISO date): ``HELD``,
    ``MAY_HAVE_HELD`` or ``NOT_HELD``. A partial ``when`` counts if any of its days does.

    >>> holding("2024-11-27", "2024-11-27/..", "2024-12-01")
    'may have held'
    >>> holding("2024-11-29", "XXXX", "2024-11-29"), holding("2024-11-29", "XXXX", "2024-11-30")
    ('held', 'may have held')
    >>> holding("2015", None, "2024-12-01")
    'held'
    """
    first, last = _days(when)
    spans = span(start, end)
    if _meets(spans.certain, first, last) and not spans.certain_empty:
        return HELD
    return MAY_HAVE_HELD if _meets(spans.possible, first, last) else NOT_HELD


def _meets(pair: tuple[date, date], first: date, last: date) -> bool:
    return pair[0] <= last and first <= pair[1]


def together(spans: Iterable[Span]) -> Span:
    """When statements with these spans may all have held, and surely all held: the days
    common to their possible spans and to their certain spans (certain is empty if one of
    them is, or if they share no day).

    >>> both = together([span("2016", "2018"), span("2017-06", None)])
    >>> both.possible[0], both.certain
    (datetime.date(2017, 6, 1), (datetime.date(2017, 6, 30), datetime.date(2018, 1, 1)))
    >>> together([span("2016", "2018"), span(None, None)]).certain_empty
    True
    """
    possible, certain, empty = (BEFORE_ALL, AFTER_ALL), (BEFORE_ALL, AFTER_ALL), False
    for one in spans:
        possible = (max(possible[0], one.possible[0]), min(possible[1], one.possible[1]))
        certain = (max(certain[0], one.certain[0]), min(certain[1], one.certain[1]))
        empty = empty or one.certain_empty
    return Span(possible, (AFTER_ALL, BEFORE_ALL) if empty else certain)


def overlaps(start_a: str | None, end_a: str | None, start_b: str | None, end_b: str | None,
             *, certainly: bool = False) -> bool:
    """Whether two statements' spans may share a day (``certainly``: surely share one).

    >>> overlaps("2015", "2016", "2016-06", None)
    True
    >>> overlaps("2015", "2016", "2017", None)
    False
    >>> overlaps(None, None, "2017", None), overlaps(None, None, "2017", None, certainly=True)
    (True, False)
    """
    a, b = span(start_a, end_a), span(start_b, end_b)
    if certainly:
        if a.certain_empty or b.certain_empty:
            return False
        return a.certain[0] <= b.certain[1] and b.certain[0] <= a.certain[1]
    return a.possible[0] <= b.possible[1] and b.possible[0] <= a.possible[1]


def describe(start: str | None, end: str | None) -> str:
    """A statement's span in words, for tables and cards.

    >>> describe("2016", "2024-11"), describe("2015", None), describe(None, None)
    ('2016 – 2024-11', 'from 2015', 'undated')
    >>> describe("../2023-10-07", "../2024-11-27"), describe("2024-11~", "XXXX"), describe("../2024-12", None)
    ('by 2023-10-07 – by 2024-11-27', 'from about 2024-11 – unknown', 'by 2024-12 (open end)')
    """
    if start is None and end is None:
        return "undated"
    first = None if start in (None, "..") else _moment_words(start)
    last = None if end in (None, "..") else _moment_words(end)
    if first is None and last is None:
        return "always (open at both ends)"
    if last is None:
        return f"{first} (open end)" if first.startswith("by ") else f"from {first}"
    if first is None:
        return f"(open start) – {last}" if last.startswith("by ") else f"until {last}"
    return f"{'from ' if last == 'unknown' else ''}{first} – {last}"


def _moment_words(text: str) -> str:
    if text == "XXXX":
        return "unknown"
    if "/" in text:
        first, _, second = text.partition("/")
        if first == "..":
            return f"by {_moment_words(second)}"
        if second == "..":
            return f"{_moment_words(first)} or later"
        return f"between {_moment_words(first)} and {_moment_words(second)}"
    qualifier = text[-1] if text[-1] in "?~%" else ""
    plain = text.rstrip("?~%")
    return {"~": f"about {plain}", "?": f"{plain}?", "%": f"about {plain}?", "": plain}[qualifier]


def weakest(holdings: Iterable[str]) -> str:
    """The least sure of several answers: a chain holds no surer than its weakest link.

    >>> weakest([HELD, MAY_HAVE_HELD])
    'may have held'
    """
    return max(holdings, key=HOLDINGS.index, default=HELD)


def surest(holdings: Iterable[str]) -> str:
    """The surest of several answers: a fact that any one of them shows holds as surely as the surest.

    >>> surest([MAY_HAVE_HELD, HELD]), surest([NOT_HELD, MAY_HAVE_HELD])
    ('held', 'may have held')
    """
    return min(holdings, key=HOLDINGS.index, default=NOT_HELD)
