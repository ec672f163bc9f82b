"""What changed between two dates, and counts of what the graph holds."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from kg.dates import (
    date_argument,
    earliest,
    latest,
)
from kg.errors import QueryError
from kg.model import Relation
from kg.query.common import StatementFilter
from kg.results import Results

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["Change", "diff", "stats"]


class Change(NamedTuple):
    """A statement that began or ended between two dates: ``change`` is ``began`` or
    ``ended``, or ``may have begun`` / ``may have ended`` when its date is too vague to
    say on which side of a bound it falls; ``date`` is the statement's start or end, and
    ``earliest`` the first day it may fall on."""

    change: str
    date: str
    relation: Relation
    earliest: date

    table_hides = ("id",)

    def to_record(self) -> dict[str, Any]:
        return {"change": self.change, "date": self.date, **self.relation.to_record()}

    def __repr__(self) -> str:
        return f"<Change {self.change} {self.date}: {self.relation.text}>"


def diff(graph: KnowledgeGraph, since: str | date, until: str | date, *,
         statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Change]:
    """Statements that began (start after ``since``, on or before ``until``) or ended (end on
    or after ``since``, before ``until``), sorted by date. A start or end that may fall in
    that window but also outside it is a ``may have begun`` or ``may have ended`` change
    (``strict`` leaves those out); an undated statement, or an open or unknown bound, is
    never a change.

    >>> import kg
    >>> changes = kg.load().diff("2024-11-26", "2024-12-02")
    >>> {"began", "ended"} <= {c.change for c in changes}
    True
    """
    first, last = date_argument(since), date_argument(until)
    if earliest(last) < earliest(first):
        raise QueryError(f"the second date {last} is before the first {first}")
    keep = StatementFilter(None, statuses)
    after, until_day, since_day, before = latest(first), latest(last), earliest(first), earliest(last)
    changes = [Change("began" if after < moment.low and moment.high <= until_day else "may have begun",
                      relation.start, relation, moment.low)
               for moment, relation in graph.starting(after, until_day)]
    changes += [Change("ended" if since_day <= moment.low and moment.high < before else "may have ended",
                       relation.end, relation, moment.low)
                for moment, relation in graph.ending(since_day, before)]
    kept = [c for c in changes if keep(c.relation) and not (strict and c.change.startswith("may"))]
    return Results(sorted(kept, key=lambda c: (c.earliest, c.change, c.relation.id)))


def stats(graph: KnowledgeGraph) -> dict[str, dict[str, int]]:
    """Counts: totals, relations by type and status, entities by kind, statements by source.

    >>> import kg
    >>> sorted(kg.load().stats())
    ['entity kinds', 'relation types', 'sources', 'statuses', 'totals']
    """
    relations = graph.relations()
    by_source = Counter(source for r in relations for source in {c.source for c in r.sources})
    return {
        "totals": graph.counts(),
        "relation types": dict(sorted(Counter(r.type for r in relations).items())),
        "statuses": dict(sorted(Counter(r.status for r in relations).items())),
        "entity kinds": dict(sorted(Counter(e.kind for e in graph.entities.values()).items())),
        "sources": dict(sorted(by_source.items())),
    }
