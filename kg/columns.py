"""Relations kept as columns, a tuple a field, and made into records when first asked for.

The load cache keeps each block of relations as columns (``to_columns``), which read back in
about half the time the records themselves take, beside what a load needs without them (a
``Block``: the count, the ids, the part-of-like statements). A graph loaded from it holds the
blocks as ``Columnar`` until a question needs the records: loading then costs little, and the
first question pays for unpickling the columns and making the records, once (``to_records``,
no Python call per record).

>>> from kg.model import Citation, Relation
>>> r = Relation("r1", "backs", "a", "b", (Citation("s", "q"),))
>>> to_records(to_columns((r,))) == (r,)
True
"""

from __future__ import annotations

import threading
from itertools import chain, islice, repeat
from operator import itemgetter
from functools import partial
from typing import Callable, Iterable, Iterator, NamedTuple

from kg.model import Citation, Relation, collector_paused
from kg.vocabulary import RELATION_TYPES

__all__ = ["SOURCES", "Block", "Columnar", "Columns", "block_of", "to_columns", "to_records"]

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


class Block(NamedTuple):
    """A block of relations as the checks across records and the graph's counts need them,
    with a way to make its records: a cached block's columns are unpickled only then."""

    count: int
    ids: tuple[str, ...]
    acyclic: tuple[tuple[str, str, str, str], ...]  # (id, type, subject, object) of part-of-like statements
    figures: int  # how many figures its relations hold
    make: Callable[[], tuple[Relation, ...]]


def block_of(relations: tuple[Relation, ...]) -> Block:
    """A block of relations already made.

    >>> block_of((Relation("r1", "part-of", "a", "b", ()),)).acyclic
    (('r1', 'part-of', 'a', 'b'),)
    """
    acyclic = tuple(relation[:4] for relation in relations if RELATION_TYPES[relation[1]].acyclic)
    return Block(len(relations), tuple(map(itemgetter(0), relations)), acyclic,
                 sum(len(relation.figures) for relation in relations), partial(tuple, relations))


class Columnar:
    """Relations in blocks, made into one tuple of records on first use: their count, ids,
    part-of-like statements and count of figures are known without making them. Threads that
    ask at once wait for one another and get the same records; the blocks are dropped once made.

    >>> later = Columnar([block_of((Relation("r1", "backs", "a", "b", ()),))])
    >>> len(later), list(later.ids()), later.made
    (1, ['r1'], False)
    >>> later.records()[0].object, later.made
    ('b', True)
    """

    __slots__ = ("_blocks", "_count", "_lock", "_records")

    def __init__(self, blocks: Iterable[Block]):
        self._blocks: list[Block] | None = list(blocks)
        self._count = sum(block.count for block in self._blocks)
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

    def ids(self) -> Iterator[str]:
        """Every relation's id, in order."""
        return chain.from_iterable(block.ids for block in self._summary())

    def acyclic(self) -> Iterator[tuple[str, str, str, str]]:
        """The (id, type, subject, object) of every statement of an acyclic type (part-of), in order."""
        return chain.from_iterable(block.acyclic for block in self._summary())

    def figure_count(self) -> int:
        """How many figures the relations hold."""
        return sum(block.figures for block in self._summary())

    def _summary(self) -> list[Block]:
        with self._lock:
            blocks, records = self._blocks, self._records
        return blocks if blocks is not None else [block_of(records or ())]

    def records(self) -> tuple[Relation, ...]:
        """Every relation, made on the first call; the same tuple on every call."""
        records = self._records
        if records is None:
            with self._lock:
                if self._records is None:
                    assert self._blocks is not None
                    with collector_paused():  # half a million records at L, no cycles among them
                        self._records = tuple(chain.from_iterable(block.make() for block in self._blocks))
                    self._blocks = None
                records = self._records
        return records
