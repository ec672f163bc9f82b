"""The graph's relation indexes: grouped by a field, sorted by when they start or end; which held on a day."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from typing import Iterable, Sequence

from kg.dates import AFTER_ALL, BEFORE_ALL, HELD, NOT_HELD, Bound, bound
from kg.model import Figure, Relation

__all__ = ["Moments", "connects", "ending", "figures_by_about", "grouped", "on", "sorted_by", "starting"]

#: The days a relation's start (or end) may fall on, sorted: (earliest days, (bound, relation) pairs).
Moments = tuple[list[date], list[tuple[Bound, Relation]]]


def grouped(relations: tuple[Relation, ...], field: int) -> dict[str, list[Relation]]:
    """The relations grouped by one field (its position in the record).

    >>> list(grouped((Relation("r", "backs", "a", "b", ()), Relation("s", "fights", "a", "c", ())), 2))
    ['a']
    """
    groups: dict[str, list[Relation]] = {}
    for relation in relations:
        key = relation[field]
        if key in groups:
            groups[key].append(relation)
        else:
            groups[key] = [relation]
    return groups


def figures_by_about(holders: Iterable) -> dict[str, list[Figure]]:
    """The figures of entities and relations, grouped by what each is about (an id).

    >>> figures_by_about([Relation("r", "backs", "a", "b", ())])
    {}
    """
    index: dict[str, list[Figure]] = {}
    for holder in holders:
        for figure in holder.figures:
            index.setdefault(figure.about, []).append(figure)
    return index


def on(relations: Iterable[Relation], when: str, strict: bool) -> list[Relation]:
    """The relations that held on ``when`` and then (unless ``strict``) those that may have.

    >>> r = Relation("r", "backs", "a", "b", (), start="2016")
    >>> on([r], "2017", strict=False), on([r], "2016-06", strict=True)
    ([<Relation a -[backs]-> b (from 2016, stated, 0 citations)>], [])
    """
    held, may = [], []
    for relation in relations:
        answer = relation.holding(when)
        if answer == HELD:
            held.append(relation)
        elif answer != NOT_HELD and not strict:
            may.append(relation)
    return held + may


def sorted_by(relations: Sequence[Relation], role: str) -> Moments:
    """Relations whose ``role`` (start or end) has a bounded earliest (start) or latest (end)
    day, by the earliest day it may fall on, then in data order."""
    moments = []
    for index, r in enumerate(relations):
        moment = bound(r.start, "start", r.end) if role == "start" else bound(r.end, "end", r.start)
        if (moment.low if role == "start" else moment.high) not in (BEFORE_ALL, AFTER_ALL):
            moments.append((moment.low, index, moment))
    moments.sort(key=lambda item: item[:2])
    return [low for low, _, _ in moments], [(moment, relations[i]) for _, i, moment in moments]


def starting(starts: Moments, after: date, until: date) -> list[tuple[Bound, Relation]]:
    """Of relations sorted by start, those whose start may fall after ``after`` and on or before ``until``."""
    days, moments = starts
    return [(moment, r) for moment, r in moments[:bisect_right(days, until)] if moment.high > after]


def ending(ends: Moments, since: date, before: date) -> list[tuple[Bound, Relation]]:
    """Of relations sorted by end, those whose end may fall on or after ``since`` and before ``before``."""
    days, moments = ends
    return [(moment, r) for moment, r in moments[:bisect_left(days, before)] if moment.high >= since]


def connects(relation: Relation, subject: str | None, object: str | None) -> bool:
    """Whether a relation runs from ``subject`` to ``object`` (None: any), either way if its type is symmetric."""
    if (subject is None or relation.subject == subject) and (object is None or relation.object == object):
        return True
    return relation.symmetric and (subject is None or relation.object == subject) and (
        object is None or relation.subject == object)

