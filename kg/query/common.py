"""What every question shares: which statements count (statuses, a date, strictness) and
how a sign reads in words."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, TypeVar

from kg.dates import HELD, MAY_HAVE_HELD, date_argument
from kg.model import Relation
from kg.vocabulary import STATUSES, term_arguments

__all__ = ["ASSERTING", "SIGN_WORDS", "StatementFilter", "held_first", "holding_field"]

T = TypeVar("T")

#: The statuses that present a statement as holding; the default filter of every query.
ASSERTING = frozenset(name for name, status in STATUSES.items() if status.asserts)

#: How a friendly or hostile sign reads in a path's or a tie's words.
SIGN_WORDS = {1: "ally", -1: "enemy"}


class StatementFilter:
    """Which statements count: a set of statuses and, optionally, a date they held on or
    may have held on (``strict``: only those that held).

    >>> from kg.model import Relation
    >>> keep = StatementFilter("2016", None, strict=True)
    >>> keep(Relation("r", "backs", "a", "b", (), start="2015")), keep(Relation("r", "backs", "a", "b", ()))
    (True, False)
    """

    def __init__(self, as_of: str | date | None, statuses: Iterable[str] | str | None, strict: bool = False):
        self.when = date_argument(as_of)
        self.statuses = term_arguments("status", statuses, STATUSES) or ASSERTING
        self.holdings = (HELD,) if strict else (HELD, MAY_HAVE_HELD)

    def __call__(self, relation: Relation) -> bool:
        return relation.status in self.statuses and (
            self.when is None or relation.holding(self.when) in self.holdings)


def held_first(items: Iterable[T], holding: Callable[[T], str | None]) -> list[T]:
    """The items whose ``holding`` is ``held`` first, then the others, each in the order given.

    >>> held_first(["a", "b", "c"], {"a": MAY_HAVE_HELD, "b": HELD, "c": HELD}.get)
    ['b', 'c', 'a']
    """
    return sorted(items, key=lambda item: holding(item) != HELD)


def holding_field(holding: str | None) -> dict[str, Any]:
    """An answer's ``holding`` as a record field, asked for as of a date; no field without a date.

    >>> holding_field(MAY_HAVE_HELD), holding_field(None)
    ({'holding': 'may have held'}, {})
    """
    return {} if holding is None else {"holding": holding}
