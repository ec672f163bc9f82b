"""The records of a knowledge graph: frozen, plain, and free of behaviour beyond lookups.

Field names here are the public contract: they match the YAML fields of ``data/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES

__all__ = ["Citation", "Entity", "Figure", "Relation", "Source"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A passage of a source that backs a statement: ``quote`` is copied exactly."""

    source: str
    quote: str


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
