"""Relations kept as columns, a tuple a field, and made into records when first asked for.

The load cache keeps each block of relations as columns (``to_columns``), which read back in
about half the time the records themselves take, and a graph loaded from it holds them as
``Columnar`` until a question needs the records: loading then costs little, and the first
question pays for making them, once (``to_records``, no Python call per record).

>>> from kg.model import Citation, Relation, collector_paused
>>> r = Relation("r1", "backs", "a", "b", (Citation("s", "q"),))
>>> to_records(to_columns((r,))) == (r,)
True
"""

from __future__ import annotations

import threading
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Iterable, Iterator

from kg.model import Citation, Relation, collector_paused

__all__ = ["SOURCES", "Columnar", "Columns", "to_columns", "to_records"]

#: A block of relations as columns: their count, a tuple a ``Relation`` field (``sources``
#: holds each relation's count of citations), and a tuple a ``Citation`` field of every citation.
Columns = tuple[int, tuple, tuple]
#: The position of ``sources`` among a relation's fields (in columns: counts of citations).
SOURCES = Relation._fields.index("sources")


def to_columns(relations: tuple[Relation, ...]) -> Columns:
    """Relations as columns, one a field, their citations as columns too.

    >>> to_columns(())[0]
    0
    """
    columns = list(zip(*relations)) if relations else [()] * len(Relation._fields)
    citations = [citation for sources in columns[SOURCES] for citation in sources]
    columns[SOURCES] = tuple(map(len, columns[SOURCES]))
    return len(relations), tuple(columns), tuple(zip(*citations)) if citations else ((),) * len(Citation._fields)


def to_records(columns: Columns) -> tuple[Relation, ...]:
    """The relations that ``to_columns`` gave, made without a Python call per record.

    >>> to_records(to_columns(()))
    ()
    """
    _, fields, citation_fields = columns
    make = tuple.__new__
    citations = iter(list(map(make, repeat(Citation), zip(*citation_fields))))
    fields = list(fields)
    fields[SOURCES] = map(tuple, map(islice, repeat(citations), fields[SOURCES]))
    return tuple(map(make, repeat(Relation), zip(*fields)))


class Columnar:
    """Relations in blocks of columns, made into one tuple of records on first use: their
    count and any field but ``sources`` are known without making them. Threads that ask at
    once wait for one another and get the same records; the columns are dropped once made.

    >>> from kg.model import Relation
    >>> later = Columnar([to_columns((Relation("r1", "backs", "a", "b", ()),))])
    >>> len(later), list(later.field("subject")), later.made
    (1, ['a'], False)
    >>> later.records()[0].object, later.made
    ('b', True)
    """

    __slots__ = ("_blocks", "_count", "_lock", "_records")

    def __init__(self, blocks: Iterable[Columns]):
        self._blocks: list[Columns] | None = list(blocks)
        self._count = sum(block[0] for block in self._blocks)
        self._records: tuple[Relation, ...] | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, relations: Iterable[Relation]) -> "Columnar":
        """Relations already made, held alike.

        >>> len(Columnar.of(())), Columnar.of(()).made
        (0, True)
        """
        held = cls(())
        held._records = tuple(relations)
        held._blocks, held._count = None, len(held._records)
        return held

    def __len__(self) -> int:
        return self._count

    @property
    def made(self) -> bool:
        """Whether the records have been made."""
        return self._records is not None

    def field(self, name: str) -> Iterator:
        """One field of every relation, in order (not ``sources``, kept as counts)."""
        index = Relation._fields.index(name)
        if index == SOURCES:
            raise ValueError("the sources of relations are not a column; make the records")
        with self._lock:
            blocks, records = self._blocks, self._records
        if blocks is None:
            return map(itemgetter(index), records or ())
        return chain.from_iterable(block[1][index] for block in blocks)

    def records(self) -> tuple[Relation, ...]:
        """Every relation, made on the first call; the same tuple on every call."""
        records = self._records
        if records is None:
            with self._lock:
                if self._records is None:
                    assert self._blocks is not None
                    with collector_paused():  # half a million records at L, no cycles among them
                        self._records = tuple(chain.from_iterable(map(to_records, self._blocks)))
                    self._blocks = None
                records = self._records
        return records
