"""From RDF back to records: ``from_rdf`` rebuilds the KnowledgeGraph that ``to_rdf`` describes.

Files are parsed with pyoxigraph when it is installed and with rdflib otherwise; either
way the reader works on plain triples (see ``kg.rdf.terms``) and never builds an rdflib
Graph from pyoxigraph's output. It reads the nodes it knows by their type (entity kinds,
``prov:Entity`` sources, ``kgv:Statement``) and ignores the rest, such as the direct
triples, which restate the statement nodes, and any ontology merged into the graph.

JSON-LD documents may only carry inline contexts: kg refuses to fetch a remote or
``file:`` context (rdflib issue 1844) before any parser sees the document.

>>> import kg
>>> from kg.rdf.triples import to_rdf
>>> g = kg.load()
>>> from_rdf(to_rdf(g)) == g
True
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple

from kg.graph import KnowledgeGraph
from kg import model
from kg.model import Citation, Entity, Figure, Relation, Source, collector_paused
from kg.rdf import backends
from kg.formats import Format, get
from kg.rdf.mapping import (
    RELATION_LISTS,
    CITATION_FIELDS,
    ENTITY_FIELDS,
    FIGURE_FIELDS,
    LISTS,
    POSITION_FIELDS,
    QUOTE_FIELDS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    Field,
)
from kg.rdf.terms import (
    KIND_CLASSES,
    NUMBER_TYPES,
    OA,
    PREFIXES,
    PROV,
    RDF,
    Lit,
    Object,
    RdfError,
    Triple,
    kgv,
    record_id,
    reverse,
)

if TYPE_CHECKING:
    import rdflib

__all__ = ["Nodes", "Properties", "Several", "file_nodes", "from_rdf", "graph_from_nodes", "graph_from_triples",
           "group_triples", "jsonld_nodes", "objects", "refuse_remote_contexts"]


class Several(list):
    """The objects of a predicate that has more than one on a node; a single object is kept bare,
    so that grouping millions of triples does not make a list for each."""


#: A node's objects by predicate: the object itself, or ``Several`` of them.
Properties = dict[str, "Object | Several"]
#: Triples grouped by subject: ``{subject: {predicate: object or Several(objects)}}``.
Nodes = dict[str, Properties]


def objects(properties: Properties, predicate: str) -> "tuple[Object, ...] | Several":
    """The objects of ``predicate`` on a node, whether it has none, one or several.

    >>> objects(group_triples([("s", "p", "a"), ("s", "p", "b")])["s"], "p")
    ['a', 'b']
    >>> objects({"p": "a"}, "p"), objects({}, "p")
    (('a',), ())
    """
    found = properties.get(predicate)
    if found is None:
        return ()
    return found if type(found) is Several else (found,)


def from_rdf(source: "rdflib.Graph | str | os.PathLike", *, format: str | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph in an rdflib Graph or an RDF file (Turtle, N-Triples or JSON-LD).

    The format of a file comes from its suffix unless ``format`` names it.

    >>> import kg, tempfile
    >>> from kg.rdf import write
    >>> g = kg.load()
    >>> path = write(g, tempfile.mkdtemp() + "/graph.ttl")
    >>> from_rdf(path) == g
    True
    """
    if not isinstance(source, (str, os.PathLike)):
        with collector_paused():
            return graph_from_triples(_rdflib_triples(source))
    path = Path(source)
    row = get(path, format, "read")
    with collector_paused():
        try:
            nodes = row.plugin("read")(path, row)
        except _TooLongForOxigraph:  # a literal past pyoxigraph's 16 MB token buffer, such as a long quote
            nodes = group_triples(_rdflib_triples(_rdflib_parse(path, row)))
        return graph_from_nodes(nodes)


def graph_from_triples(triples: Iterable[Triple]) -> KnowledgeGraph:
    """The KnowledgeGraph described by plain triples (see ``kg.rdf.terms``).

    >>> import kg
    >>> from kg.rdf.triples import triples
    >>> graph_from_triples(triples(kg.load())) == kg.load()
    True
    """
    return graph_from_nodes(group_triples(triples))


def graph_from_nodes(nodes: Nodes) -> KnowledgeGraph:
    """The KnowledgeGraph described by triples grouped by subject (see ``group_triples``).

    >>> import kg
    >>> from kg.rdf.triples import triples
    >>> graph_from_nodes(group_triples(triples(kg.load()))) == kg.load()
    True
    """
    graph = _Reader(nodes).graph()
    _check_references(graph)
    return graph


def group_triples(triples: Iterable[Triple]) -> Nodes:
    """Triples grouped by subject, then by predicate, objects in the order read.

    >>> group_triples([("s", "p", "a"), ("s", "p", "b"), ("t", "p", "c")])
    {'s': {'p': ['a', 'b']}, 't': {'p': 'c'}}
    """
    nodes: Nodes = {}
    last, properties = None, {}
    for subject, predicate, obj in triples:
        if subject != last:  # parsers give a node's triples together: look it up once
            last, properties = subject, nodes.setdefault(subject, {})
        _add(properties, predicate, obj)
    return nodes


def _add(properties: Properties, predicate: str, obj: Object) -> None:
    found = properties.get(predicate)
    if found is None:
        properties[predicate] = obj
    elif type(found) is Several:
        found.append(obj)
    else:
        properties[predicate] = Several((found, obj))


# The fields of a statement that name entities: single ones first, then lists.
_NAMING = (*(field for field in model.RELATION_FIELDS if field.value in ("end", "entity")),
           *(field for field in model.RELATION_FIELDS if field.value == "entities"))


def _check_references(graph: KnowledgeGraph) -> None:
    """Raise RdfError for a statement, figure or citation that names a record the graph lacks."""
    entities, sources = graph.entities, graph.sources
    for entity in entities.values():
        _check_citations(f"entity '{entity.id}'", entity.sources, entity.figures, sources)
        for name in ("within", "place"):
            _check_named(f"entity '{entity.id}'", name, getattr(entity, name, None), entities)
    for relation in graph.relations():
        what = f"statement '{relation.id}'"
        for field in _NAMING:
            value = getattr(relation, field.name)
            for target in value if field.value == "entities" else [value]:
                _check_named(what, field.name, target, entities)
        _check_citations(what, relation.sources, relation.figures, sources)


def _check_named(what: str, field: str, target: str | None, known: dict) -> None:
    if target is not None and target not in known:
        raise RdfError(f"{what}: {field} '{target}' is not an entity of the graph (it has no triples of its own)")


def _check_citations(what: str, citations: Iterable[Citation], figures: Iterable[Figure], sources: dict) -> None:
    for citation in [*citations, *(c for figure in figures for c in figure.sources)]:
        if citation.source not in sources:
            raise RdfError(f"{what}: cites source '{citation.source}', which is not a source of the graph")


# --------------------------------------------------------------------------- parsing


def refuse_remote_contexts(path: Path) -> None:
    """Raise if a JSON-LD document refers to a context it would have to fetch."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise RdfError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from err
    except RecursionError:
        raise RdfError(f"{path}: JSON nested too deeply to read; kg's JSON-LD is a few levels deep") from None
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            context = value.get("@context")
            for item in context if isinstance(context, list) else [context]:
                if isinstance(item, str) or (isinstance(item, dict) and "@import" in item):
                    reference = item if isinstance(item, str) else item["@import"]
                    raise RdfError(f"{path}: refusing to fetch the JSON-LD context {reference!r}; "
                                   "kg reads JSON-LD with inline contexts only")
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


def file_nodes(path: Path, row: Format) -> Nodes:
    """The triples of an RDF file in the format ``row``, grouped by subject; parsed by pyoxigraph
    when it is installed and by rdflib otherwise (the ``read`` plugin of Turtle and N-Triples in
    ``kg.formats``).

    >>> import kg, tempfile
    >>> from kg.formats import FORMATS
    >>> from kg.rdf import write
    >>> path = write(kg.load(), tempfile.mkdtemp() + "/graph.ttl")
    >>> hts = file_nodes(path, FORMATS["turtle"])["https://w3id.org/conflict-kg/id/entity/hts"]
    >>> hts["http://www.w3.org/2000/01/rdf-schema#label"].value
    'Hayat Tahrir al-Sham'
    """
    if not path.is_file():
        raise RdfError(f"{path}: no such file")
    oxigraph = backends.oxigraph()
    if oxigraph is None:
        return group_triples(_rdflib_triples(_rdflib_parse(path, row)))
    return _oxigraph_nodes(oxigraph, path, row)


def jsonld_nodes(path: Path, row: Format) -> Nodes:
    """The triples of a JSON-LD file grouped by subject, once it is known to fetch no context
    (the ``read`` plugin of JSON-LD)."""
    if path.is_file():
        refuse_remote_contexts(path)
    return file_nodes(path, row)


def _oxigraph_nodes(oxigraph: ModuleType, path: Path, row: Format) -> Nodes:
    """``group_triples`` over pyoxigraph's parser, with the terms converted in the same loop:
    the hot path of an import, where a subject becomes text once per node, not once per triple."""
    term, named_node, add = backends.from_oxigraph, oxigraph.NamedNode, _add
    format = getattr(oxigraph.RdfFormat, row.oxigraph)
    nodes: Nodes = {}
    last, properties = None, {}
    try:
        for quad in oxigraph.parse(path=path, format=format, base_iri=path.resolve().as_uri()):
            subject, obj = quad.subject, quad.object  # not unpacked: that makes a graph name too
            if subject != last:  # parsers give a node's triples together: look it up once
                last = subject
                properties = nodes.setdefault(subject.value if type(subject) is named_node else term(subject), {})
            add(properties, quad.predicate.value, obj.value if type(obj) is named_node else term(obj))
    except SyntaxError as err:
        raise RdfError(f"{path}: {err}") from err
    except MemoryError as err:
        if "buffer maximal size" not in str(err):
            raise
        raise _TooLongForOxigraph from None
    return nodes


class _TooLongForOxigraph(Exception):
    """A token longer than pyoxigraph's parser buffer: rdflib reads the file instead."""


def _rdflib_parse(path: Path, row: Format) -> "rdflib.Graph":
    import rdflib
    from rdflib.exceptions import Error

    try:
        return rdflib.Graph().parse(path, format=row.rdflib)
    except (SyntaxError, ValueError, Error) as err:
        raise RdfError(f"{path}: {err}") from err


def _rdflib_triples(graph: "rdflib.Graph") -> Iterator[Triple]:
    term = backends.from_rdflib
    for subject, predicate, obj in graph:
        yield term(subject), str(predicate), term(obj)


# --------------------------------------------------------------------------- records

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_NUMBER_LENGTH = 40  # as kg.load: more than any count or coordinate needs


def _read(field: Field, iri: str, predicate: str, obj: Object) -> object:
    """A field's value from one object; RdfError naming the triple for one kg.load would refuse."""
    if type(obj) is Lit and obj.datatype in NUMBER_TYPES and len(obj.value) > _MAX_NUMBER_LENGTH:
        raise RdfError(f"{_triple(iri, predicate, obj)}: a number written with {len(obj.value):,} characters; "
                       f"kg reads numbers of at most {_MAX_NUMBER_LENGTH}")
    try:
        value = field.kind.read(iri, obj)
    except (ValueError, TypeError, OverflowError) as err:
        raise RdfError(f"{_triple(iri, predicate, obj)}: not a valid value ({err})") from None
    if type(value) is float and not math.isfinite(value):
        raise RdfError(f"{_triple(iri, predicate, obj)}: not a finite number")
    return value


def _triple(iri: str, predicate: str, obj: Object) -> str:
    """A triple as an error message names it (made only for the message: reading is the hot path)."""
    return f"<{iri}> {_short(predicate)} {_shown(obj)}"


def _shown(obj: Object) -> str:
    text = obj.value if type(obj) is Lit else obj
    text = text if len(text) <= 60 else text[:57] + "..."
    return f'"{text}"' if type(obj) is Lit else f"<{text}>"


def _id(iri: str) -> str:
    """The id of a record IRI, which must be a valid kg id as in the YAML."""
    found = record_id(iri)
    if not _SLUG.fullmatch(found):
        raise RdfError(f"<{iri}>: {found!r} is not a valid id: use lowercase letters, digits and single hyphens")
    return found


_KINDS = reverse(KIND_CLASSES)
_MEMBER = RDF.iri + "_"


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


class _Table(NamedTuple):
    """A record's single-valued fields by predicate, and the predicates it cannot do without."""

    fields: dict[str, Field]
    required: tuple[str, ...]


def _table(fields: Iterable[Field]) -> _Table:
    fields = list(fields)
    return _Table({field.predicate: field for field in fields},
                  tuple(field.predicate for field in fields if field.required))


_ENTITY, _SOURCE = _table(ENTITY_FIELDS), _table(SOURCE_FIELDS)
_RELATION, _FIGURE = _table(RELATION_FIELDS), _table(FIGURE_FIELDS)
_CITATION = _table(CITATION_FIELDS)
_SELECTORS = {OA.TextQuoteSelector: _table(QUOTE_FIELDS), OA.TextPositionSelector: _table(POSITION_FIELDS)}


class _Reader:
    """Builds records from nodes grouped by subject (see ``Nodes``)."""

    def __init__(self, nodes: dict[str, Properties]):
        self.nodes = nodes

    def graph(self) -> KnowledgeGraph:
        entities, sources, relations = {}, {}, []
        statement, source = kgv("Statement"), PROV.Entity
        for iri, properties in self.nodes.items():
            types = objects(properties, RDF.type)
            kinds = [_KINDS[t] for t in types if t in _KINDS]
            if kinds:
                if len(kinds) > 1:
                    raise RdfError(f"<{iri}> has {len(kinds)} entity kinds; expected one")
                entity = self.entity(iri, properties, kinds[0])
                entities[entity.id] = entity
            if source in types:
                record = Source(id=_id(iri), authors=self.listed(iri, properties, "authors"),
                                **self.fields(iri, properties, _SOURCE))
                sources[record.id] = record
            if statement in types:
                relations.append(self.relation(iri, properties))
        relations.sort(key=lambda relation: relation.id)
        return KnowledgeGraph(entities, relations, sources)

    def entity(self, iri: str, properties: Properties, kind: str) -> Entity:
        entity_id = _id(iri)
        return Entity(id=entity_id, kind=kind, aliases=self.listed(iri, properties, "aliases"),
                      sources=self.citations(iri, properties), figures=self.figures(iri, properties, entity_id),
                      **self.fields(iri, properties, _ENTITY))

    def relation(self, iri: str, properties: Properties) -> Relation:
        relation_id = _id(iri)
        return Relation(id=relation_id, sources=self.citations(iri, properties),
                        **{name: self.listed(iri, properties, name) for name in RELATION_LISTS},
                        figures=self.figures(iri, properties, relation_id), **self.fields(iri, properties, _RELATION))

    def figures(self, iri: str, properties: Properties, about: str) -> tuple[Figure, ...]:
        found = []
        for figure in self.listed(iri, properties, "figures"):
            figure_properties = self.node(figure)
            found.append(Figure(about=about, sources=self.citations(figure, figure_properties),
                                **self.fields(figure, figure_properties, _FIGURE)))
        return tuple(found)

    def citations(self, iri: str, properties: Properties) -> tuple[Citation, ...]:
        found = []
        for citation in self.listed(iri, properties, "sources"):
            citation_properties = self.node(citation)
            source = self.one(citation, citation_properties, OA.hasSource)
            if type(source) is Lit:
                raise RdfError(f"<{citation}> needs an oa:hasSource IRI and a quote in oa:exact")
            values = self.fields(citation, citation_properties, _CITATION)
            for selector in objects(citation_properties, OA.hasSelector):
                selector_properties = self.node(selector)
                for kind in objects(selector_properties, RDF.type):
                    if kind in _SELECTORS:
                        values.update(self.fields(selector, selector_properties, _SELECTORS[kind]))
            if "quote" not in values:
                raise RdfError(f"<{citation}> needs an oa:hasSource IRI and a quote in oa:exact")
            found.append(Citation(source=record_id(source), **values))
        return tuple(found)

    # -- nodes and values

    def node(self, iri: str) -> Properties:
        if type(iri) is not str or iri not in self.nodes:
            raise RdfError(f"<{iri}> is referred to but has no triples of its own")
        return self.nodes[iri]

    @staticmethod
    def fields(iri: str, properties: Properties, table: _Table) -> dict[str, object]:
        """The single-valued fields of a record, by name, from the predicates of its node."""
        values, fields = {}, table.fields
        for predicate, found in properties.items():
            field = fields.get(predicate)
            if field is not None:
                if type(found) is Several:
                    raise RdfError(f"<{iri}> has {len(found)} values of {_short(predicate)}; expected one")
                values[field.name] = _read(field, iri, predicate, found)
        for predicate in table.required:
            if predicate not in properties:
                raise RdfError(f"<{iri}> has no {_short(predicate)}")
        return values

    @staticmethod
    def one(iri: str, properties: Properties, predicate: str) -> Object:
        values = objects(properties, predicate)
        if len(values) != 1:
            raise RdfError(f"<{iri}> has {len(values)} values of {_short(predicate)}; expected one")
        return values[0]

    def listed(self, iri: str, properties: Properties, name: str) -> tuple:
        """The values of a list field: in the order of its rdf:Seq, or sorted when it has none."""
        row = LISTS[name]
        if row.link not in properties:
            found = properties.get(row.direct)
            if found is None:
                return ()
            ordered = sorted(found) if type(found) is Several else [found]
        else:
            seq = self.node(self.one(iri, properties, row.link))
            members = [(int(predicate[len(_MEMBER):]), value) for predicate in seq
                       if predicate.startswith(_MEMBER) and predicate[len(_MEMBER):].isdigit()
                       for value in objects(seq, predicate)]
            ordered = [value for _, value in sorted(members, key=lambda member: member[0])]
        return tuple(row.kind.read(iri, obj) for obj in ordered)
