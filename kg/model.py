"""The records of a knowledge graph: immutable, plain, and free of behaviour beyond lookups.

Each record is a ``typing.NamedTuple``: fields by name (``relation.subject``), ``_replace``
and ``_asdict``, and made, pickled and read back much faster than a frozen dataclass, which
counts when a load builds hundreds of thousands of them. Field names here are the public
contract: they match the YAML fields of ``data/``. A relation's fields are one table,
``RELATION_FIELDS`` (its qualifiers are the rows of ``kg.vocabulary.QUALIFIERS``): the
``Relation`` record, the loader, ``dump``, the RDF mapping, the shapes and the edge exports
all derive from it. Records hold no cycles, so work that makes many of them runs with the
garbage collector paused (``collector_paused``).
"""

from __future__ import annotations

import gc
import hashlib
from collections import namedtuple
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, NamedTuple

from kg._display import count, escape, relations_html, shorten
from kg.dates import describe, holding
from kg.vocabulary import ENTITY_KINDS, QUALIFIERS, RELATION_TYPES

__all__ = ["RELATION_FIELDS", "REQUIRED", "Citation", "Entity", "Figure", "Relation", "RelationField", "Source",
           "collector_paused", "edge_fields", "shown_fields", "statement_id"]


class Citation(NamedTuple):
    """A passage of a source that backs a statement: ``quote`` is copied exactly.

    ``occurrence`` says which instance of a quote that recurs in the source's text is meant
    (from 1). Where the text is known (``Source.text``), the loader anchors the quote:
    ``start`` and ``end`` are its character offsets in the text, ``prefix`` and ``suffix``
    the characters just before and after it (see ``kg.texts``).
    """

    source: str
    quote: str
    occurrence: int | None = None
    start: int | None = None
    end: int | None = None
    prefix: str | None = None
    suffix: str | None = None

    def to_record(self) -> dict[str, Any]:
        """``{"source": id, "quote": text}``, with the occurrence and anchor where known."""
        record: dict[str, Any] = {"source": self.source, "quote": self.quote}
        for name in ("occurrence", "start", "end", "prefix", "suffix"):
            if getattr(self, name) is not None:
                record[name] = getattr(self, name)
        return record

    def __repr__(self) -> str:
        return f"<Citation {self.source}: {shorten(self.quote, 60)!r}>"

    def _repr_html_(self) -> str:
        return f"<blockquote>{escape(self.quote)} <small>({escape(self.source)})</small></blockquote>"


class Source(NamedTuple):
    """A document that statements cite."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    note: str | None = None
    text: str | None = None  # a plain-text copy of the document, relative to the data folder

    def __repr__(self) -> str:
        return f"<Source {self.id}: {shorten(self.title, 50)} ({self.publisher}, {self.date})>"


class Figure(NamedTuple):
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

    def __repr__(self) -> str:
        qualifier = "" if self.qualifier == "exactly" else self.qualifier.replace("-", " ") + " "
        of = (f" of {self.of}" if self.of else "") + (f" ({shorten(self.label, 40)})" if self.label else "")
        when = f" on {self.date}" if self.date else ""
        counted = f", counted by {self.counted_by}" if self.counted_by else ""
        return f"<Figure {self.about} {self.measure}: {qualifier}{self.value:,}{of}{when}{counted}>"


class Entity(NamedTuple):
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

    def __repr__(self) -> str:
        return f"<Entity {self.id}: {self.name} ({self.kind})>"

    def _repr_html_(self) -> str:
        kind = ENTITY_KINDS[self.kind].label
        facts = [f"<strong>{escape(self.name)}</strong> <code>{escape(self.id)}</code> · {escape(kind)}"]
        if self.aliases:
            facts.append("also: " + ", ".join(escape(alias) for alias in self.aliases))
        if self.description:
            facts.append(f"<em>{escape(self.description)}</em>")
        extras = [(name, getattr(self, name)) for name in ("within", "place", "start", "end", "wikidata")]
        if self.lat is not None:
            extras.append(("coordinates", f"{self.lat}, {self.lon}"))
        facts += [f"{name}: {escape(str(value))}" for name, value in extras if value]
        if self.sources:
            facts.append(f"sources: {escape(', '.join(dict.fromkeys(c.source for c in self.sources)))}")
        return "<div>" + "<br>".join(facts) + "</div>"


class _Required:
    """The default of a field that every record gives: it has none."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
#: Field values that are lists (as tuples on the record).
LIST_VALUES = frozenset({"entities", "support-kinds", "citations", "figures"})


class RelationField(NamedTuple):
    """A field of a relation: one row of the table that every reader and writer of relations reads.

    ``value`` says what it holds: ``id``, ``type``, ``end`` (an entity the type's domain or
    range admits), ``citations``, ``figures``, ``moment`` (a date), ``status``, ``long-text``,
    or a qualifier's value (``entity``, ``entities``, ``support-kinds``, ``text``); ``range``
    the kinds or categories an entity value may name. ``default`` is its value when a file
    leaves it out (``REQUIRED``: the record always has one); ``required``, whether a file
    must give it; ``qualifier``, whether only the types listing it take it; ``identity``,
    whether it is part of what the statement says (so of its generated id); ``edge``,
    whether the statement's edge carries it (networkx, GraphML, GEXF, the CSV edge list).
    """

    name: str
    value: str
    default: Any = None
    required: bool = False
    range: tuple[str, ...] = ()
    qualifier: bool = False
    identity: bool = False
    edge: bool = False


def _qualifier_field(name: str) -> RelationField:
    row = QUALIFIERS[name]
    default = () if row.value in LIST_VALUES else None
    return RelationField(name, row.value, default, range=row.range, qualifier=True, identity=True, edge=True)


#: A relation's fields, in the order of the ``Relation`` record.
RELATION_FIELDS: tuple[RelationField, ...] = (
    RelationField("id", "id", REQUIRED, edge=True),
    RelationField("type", "type", REQUIRED, required=True, identity=True, edge=True),
    RelationField("subject", "end", REQUIRED, required=True, identity=True, edge=True),
    RelationField("object", "end", REQUIRED, required=True, identity=True, edge=True),
    RelationField("sources", "citations", REQUIRED, required=True),
    *(_qualifier_field(name) for name in QUALIFIERS),
    RelationField("start", "moment", identity=True, edge=True),
    RelationField("end", "moment", identity=True, edge=True),
    RelationField("status", "status", "stated", identity=True, edge=True),
    RelationField("claimed_by", "entity", range=("actor",), identity=True),
    RelationField("note", "long-text"),
    RelationField("figures", "figures", ()),
)

# Where a field stands when a statement is shown (tables, JSON, edges): what it says, when and
# how surely it held, its qualifiers, its note, its evidence.
_SHOWN_RANK = {"id": 0, "type": 0, "end": 0, "moment": 1, "status": 1, "long-text": 3, "citations": 4, "figures": 5}


def shown_fields() -> tuple[RelationField, ...]:
    """The fields in the order a statement is shown in: as ``Relation.to_record`` lists them.

    >>> [field.name for field in shown_fields()][:8]
    ['id', 'type', 'subject', 'object', 'start', 'end', 'status', 'claimed_by']
    """
    return tuple(sorted(RELATION_FIELDS, key=lambda field: 2 if field.qualifier else _SHOWN_RANK.get(field.value, 1)))


def edge_fields() -> tuple[RelationField, ...]:
    """The fields a statement's edge carries, in the order it is shown.

    >>> [field.name for field in edge_fields()]
    ['id', 'type', 'subject', 'object', 'start', 'end', 'status', 'against', 'support', 'place', 'role']
    """
    return tuple(field for field in shown_fields() if field.edge)


_RelationRecord = namedtuple("_RelationRecord", [field.name for field in RELATION_FIELDS],  # type: ignore[misc]
                             defaults=[field.default for field in RELATION_FIELDS if field.default is not REQUIRED])


class Relation(_RelationRecord):
    """A typed, dated, sourced statement: ``subject`` ``type`` ``object``; its fields are ``RELATION_FIELDS``.

    ``id``, ``type``, ``subject``, ``object`` and ``sources`` (a tuple of ``Citation``) come
    first; then the qualifiers (``against`` and ``support`` are tuples, empty when the source
    names none; ``place``, ``role``), ``start`` and ``end`` (partial ISO dates or EDTF forms
    such as ``2024-11~`` or ``../2016``, None when open; with neither, the statement is
    undated, see ``kg.dates``), ``status`` (``stated`` by default), ``claimed_by``, ``note``
    and ``figures``.
    """

    __slots__ = ()

    table_hides = ("id",)  # tables leave out this field (JSON and CSV keep it); not a record field

    @property
    def sign(self) -> int:
        """+1 cooperative, -1 hostile, 0 neutral, from the relation vocabulary."""
        return RELATION_TYPES[self.type].sign

    @property
    def symmetric(self) -> bool:
        """Whether the type reads the same in both directions (``fights``)."""
        return RELATION_TYPES[self.type].symmetric

    def holding(self, when: str) -> str:
        """``held``, ``may have held`` or ``did not hold`` on ``when`` (a partial ISO date).

        >>> Relation("r", "backs", "a", "b", (), start="2016").holding("2016-06")
        'may have held'
        """
        return holding(self.start, self.end, when)

    @property
    def undated(self) -> bool:
        """Whether the statement has neither start nor end: it may have held on any date."""
        return self.start is None and self.end is None

    def other(self, entity_id: str) -> str:
        """The end of the relation that is not ``entity_id``.

        >>> Relation("r", "backs", "russia", "syrian-government", ()).other("russia")
        'syrian-government'
        """
        return self.object if entity_id == self.subject else self.subject

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict of the statement, with ids as values and its citations."""
        record = {field.name: _shown(getattr(self, field.name)) for field in _TO_RECORD}
        record["sources"] = [c.to_record() for c in self.sources]
        return record

    @property
    def text(self) -> str:
        """``russia -[backs]-> syrian-government``; symmetric types read ``-[fights]-``.

        >>> Relation("r", "fights", "hts", "syrian-government", ()).text
        'hts -[fights]- syrian-government'
        """
        arrow = "-" if self.symmetric else "->"
        return f"{self.subject} -[{self.type}]{arrow} {self.object}"

    def __repr__(self) -> str:
        against = f" against {', '.join(self.against)}" if self.against else ""
        details = [describe(self.start, self.end), self.status, count(len(self.sources), "citation")]
        return f"<Relation {self.text}{against} ({', '.join(details)})>"

    def _repr_html_(self) -> str:
        return relations_html([self])


_TO_RECORD = tuple(field for field in shown_fields() if field.value != "figures")


def _shown(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


#: The fields a generated id has always hashed, in its order (after type and ends): frozen,
#: since a change would change every generated id. Other ``identity`` fields are hashed after
#: them, by name, where a statement gives them.
_HASHED = ("against", "support", "place", "role", "start", "end", "claimed_by", "status")
_DEFAULTS = {field.name: field.default for field in RELATION_FIELDS}


def statement_id(values: Mapping[str, Any], symmetric: bool) -> str:
    """A statement's stable id when its file gives none, from what it says (not from its
    quotes or notes): its ends and type, readable, and a hash of its other ``identity``
    fields (qualifiers, dates, status). Symmetric types put their ends in order first.

    >>> statement_id({"type": "fights", "subject": "sna", "object": "hts"}, symmetric=True)[:15]
    'hts-fights-sna-'
    """
    subject, object_ = values["subject"], values["object"]
    if symmetric and object_ < subject:
        subject, object_ = object_, subject
    hashed = tuple(_identity_value(values, name) for name in _HASHED)
    content = repr((values["type"], subject, object_, *hashed))
    more = tuple((field.name, value) for field in _MORE_IDENTITY
                 if (value := _identity_value(values, field.name)) is not None)
    if more:
        content += repr(more)
    digest = hashlib.blake2b(content.encode("utf-8"), digest_size=4).hexdigest()
    return f"{subject}-{values['type']}-{object_}-{digest}"


_MORE_IDENTITY = tuple(field for field in RELATION_FIELDS if field.identity and field.value not in ("type", "end")
                       and field.name not in _HASHED)


def _identity_value(values: Mapping[str, Any], name: str) -> Any:
    """A field's value as the id hashes it: empty lists as None, a missing status as its default."""
    value = values.get(name)
    if value is None and _DEFAULTS[name] not in (None, (), REQUIRED):
        return _DEFAULTS[name]
    return (value or None) if isinstance(value, (tuple, list)) else value


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around bulk work that makes no cycles.

    Records hold no cycles. Loads, imports, exports and queries over everything make
    millions of them, or of tuples; with the collector running, its passes over a large
    heap cost a third or more of such work.

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
