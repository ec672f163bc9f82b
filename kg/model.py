"""The records of a knowledge graph: frozen, plain, and free of behaviour beyond lookups.

Field names here are the public contract: they match the YAML fields of ``data/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES

__all__ = ["Citation", "Entity", "Figure", "Relation", "Source"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A passage of a source that backs a statement: ``quote`` is copied exactly."""

    source: str
    quote: str

    def to_record(self) -> dict[str, Any]:
        """``{"source": id, "quote": text}``."""
        return {"source": self.source, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Source:
    """A document that statements cite."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A sourced number about an entity or a relation (``about`` holds its id)."""

    about: str
    measure: str
    value: int | float
    sources: tuple[Citation, ...]
    qualifier: str = "exactly"
    of: str | None = None
    label: str | None = None
    counted_by: str | None = None
    place: str | None = None
    date: str | None = None
    note: str | None = None

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict of the figure, with ids as values."""
        return {
            "about": self.about, "measure": self.measure, "value": self.value, "qualifier": self.qualifier,
            "of": self.of, "label": self.label, "counted_by": self.counted_by, "place": self.place,
            "date": self.date, "note": self.note, "sources": [c.to_record() for c in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor, place or event. ``category`` follows from ``kind``.

    Places may have ``within``, ``lat`` and ``lon``; events ``start``, ``end`` and ``place``.
    """

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    wikidata: str | None = None
    within: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: str | None = None
    end: str | None = None
    place: str | None = None
    sources: tuple[Citation, ...] = ()
    figures: tuple[Figure, ...] = ()

    @property
    def category(self) -> str:
        """``actor``, ``place`` or ``event``."""
        return ENTITY_KINDS[self.kind].category

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict of the entity (its figures are listed by ``KnowledgeGraph.figures``)."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "category": self.category,
            "aliases": list(self.aliases), "description": self.description, "wikidata": self.wikidata,
            "within": self.within, "lat": self.lat, "lon": self.lon, "start": self.start, "end": self.end,
            "place": self.place, "sources": [c.to_record() for c in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, dated, sourced statement: ``subject`` ``type`` ``object``.

    ``against`` and ``support`` are tuples (empty when the source names none); ``start``
    and ``end`` are partial ISO dates or None when open.
    """

    id: str
    type: str
    subject: str
    object: str
    sources: tuple[Citation, ...]
    against: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    place: str | None = None
    role: str | None = None
    start: str | None = None
    end: str | None = None
    status: str = "stated"
    claimed_by: str | None = None
    note: str | None = None
    figures: tuple[Figure, ...] = ()

    @property
    def sign(self) -> int:
        """+1 cooperative, -1 hostile, 0 neutral, from the relation vocabulary."""
        return RELATION_TYPES[self.type].sign

    @property
    def symmetric(self) -> bool:
        """Whether the type reads the same in both directions (``fights``)."""
        return RELATION_TYPES[self.type].symmetric

    def other(self, entity_id: str) -> str:
        """The end of the relation that is not ``entity_id``.

        >>> Relation("r", "backs", "russia", "syrian-government", ()).other("russia")
        'syrian-government'
        """
        return self.object if entity_id == self.subject else self.subject

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict of the statement, with ids as values and its citations."""
        return {
            "id": self.id, "type": self.type, "subject": self.subject, "object": self.object,
            "start": self.start, "end": self.end, "status": self.status, "claimed_by": self.claimed_by,
            "against": list(self.against), "support": list(self.support), "place": self.place,
            "role": self.role, "note": self.note, "sources": [c.to_record() for c in self.sources],
        }
