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
import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.rdf import backends
from kg.rdf.formats import collector_paused, format_for
from kg.rdf.terms import (
    DATE_TYPES,
    DCTERMS,
    FIGURE_QUALIFIER_IRIS,
    FOAF,
    GEO,
    KIND_CLASSES,
    LISTS,
    MEASURE_IRIS,
    NUMBER_TYPES,
    OA,
    OWL,
    PREFIXES,
    PROV,
    QUALIFIER_PROPERTIES,
    RDF,
    RDFS,
    RELATION_PROPERTIES,
    SKOS,
    STATUS_IRIS,
    SUPPORT_IRIS,
    WGS,
    WIKIDATA,
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

__all__ = ["from_rdf", "graph_from_triples"]

Properties = dict[str, list[Object]]


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
    triples = _file_triples(Path(source), format) if isinstance(source, (str, os.PathLike)) else \
        _rdflib_triples(source)
    with collector_paused():
        return graph_from_triples(triples)


def graph_from_triples(triples: Iterable[Triple]) -> KnowledgeGraph:
    """The KnowledgeGraph described by plain triples (see ``kg.rdf.terms``).

    >>> import kg
    >>> from kg.rdf.triples import triples
    >>> graph_from_triples(triples(kg.load())) == kg.load()
    True
    """
    nodes: dict[str, Properties] = {}
    last, properties = None, {}
    for subject, predicate, obj in triples:
        if subject != last:  # parsers give a node's triples together: look it up once
            last, properties = subject, nodes.setdefault(subject, {})
        values = properties.get(predicate)
        if values is None:
            properties[predicate] = [obj]
        else:
            values.append(obj)
    return _Reader(nodes).graph()


# --------------------------------------------------------------------------- parsing


class _Parser(NamedTuple):
    oxigraph: str  # the name of a pyoxigraph.RdfFormat
    rdflib: str
    check: Callable[[Path], None] | None = None


def _refuse_remote_contexts(path: Path) -> None:
    """Raise if a JSON-LD document refers to a context it would have to fetch."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise RdfError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from err
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


_PARSERS = {
    "turtle": _Parser("TURTLE", "turtle"),
    "nt": _Parser("N_TRIPLES", "nt"),
    "jsonld": _Parser("JSON_LD", "json-ld", _refuse_remote_contexts),
}


def _file_triples(path: Path, format: str | None) -> Iterator[Triple]:
    row = format_for(path, format)
    parser = _PARSERS.get(row.name)
    if parser is None:
        raise RdfError(f"cannot read {row.label} files; kg reads RDF in: {', '.join(_PARSERS)}")
    if not path.is_file():
        raise RdfError(f"{path}: no such file")
    if parser.check is not None:
        parser.check(path)
    oxigraph = backends.oxigraph()
    if oxigraph is None:
        return _rdflib_triples(_rdflib_parse(path, parser))
    return _oxigraph_triples(oxigraph, path, parser)


def _oxigraph_triples(oxigraph: ModuleType, path: Path, parser: _Parser) -> Iterator[Triple]:
    term = backends.from_oxigraph
    format = getattr(oxigraph.RdfFormat, parser.oxigraph)
    try:
        for subject, predicate, obj, _ in oxigraph.parse(path=path, format=format, base_iri=path.resolve().as_uri()):
            yield term(subject), predicate.value, term(obj)
    except SyntaxError as err:
        raise RdfError(f"{path}: {err}") from err


def _rdflib_parse(path: Path, parser: _Parser) -> "rdflib.Graph":
    import rdflib
    from rdflib.exceptions import Error

    try:
        return rdflib.Graph().parse(path, format=parser.rdflib)
    except (SyntaxError, ValueError, Error) as err:
        raise RdfError(f"{path}: {err}") from err


def _rdflib_triples(graph: "rdflib.Graph") -> Iterator[Triple]:
    term = backends.from_rdflib
    for subject, predicate, obj in graph:
        yield term(subject), str(predicate), term(obj)


# --------------------------------------------------------------------------- records

_KINDS, _RELATION_TYPES = reverse(KIND_CLASSES), reverse(RELATION_PROPERTIES)
_STATUSES, _SUPPORT_KINDS = reverse(STATUS_IRIS), reverse(SUPPORT_IRIS)
_MEASURES, _FIGURE_QUALIFIERS = reverse(MEASURE_IRIS), reverse(FIGURE_QUALIFIER_IRIS)
_MEMBER = RDF.iri + "_"
_START, _END, _PLACE = kgv("start"), kgv("end"), QUALIFIER_PROPERTIES["place"]


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


class _Reader:
    """Builds records from nodes grouped by subject: ``{subject: {predicate: [objects]}}``.

    Each record reads its fields with ``one(iri, properties, predicate, convert)``; the
    converters check what they read (a literal of the right datatype, an IRI, a known term).
    """

    def __init__(self, nodes: dict[str, Properties]):
        self.nodes = nodes
        self.relation_type = self.term(_RELATION_TYPES, "relation type")
        self.status = self.term(_STATUSES, "status")
        self.support_kind = self.term(_SUPPORT_KINDS, "support kind")
        self.measure = self.term(_MEASURES, "figure measure")
        self.figure_qualifier = self.term(_FIGURE_QUALIFIERS, "figure qualifier")

    def graph(self) -> KnowledgeGraph:
        entities, sources, relations = {}, {}, []
        statement, source = kgv("Statement"), PROV.Entity
        for iri, properties in self.nodes.items():
            types = properties.get(RDF.type, ())
            kinds = [_KINDS[t] for t in types if t in _KINDS]
            if kinds:
                if len(kinds) > 1:
                    raise RdfError(f"<{iri}> has {len(kinds)} entity kinds; expected one")
                entity = self.entity(iri, properties, kinds[0])
                entities[entity.id] = entity
            if source in types:
                record = self.source(iri, properties)
                sources[record.id] = record
            if statement in types:
                relations.append(self.relation(iri, properties))
        relations.sort(key=lambda relation: relation.id)
        return KnowledgeGraph(entities, relations, sources)

    # -- records

    def entity(self, iri: str, properties: Properties, kind: str) -> Entity:
        entity_id, one = record_id(iri), self.one
        wikidata = one(iri, properties, OWL.sameAs, self.iri)
        return Entity(
            id=entity_id,
            name=one(iri, properties, RDFS.label, self.text, required=True),
            kind=kind,
            aliases=tuple(self.text(iri, item) for item in self.listed(iri, properties, "aliases")),
            description=one(iri, properties, DCTERMS.description, self.text),
            wikidata=record_id(wikidata) if wikidata is not None and wikidata.startswith(WIKIDATA) else None,
            within=one(iri, properties, GEO.sfWithin, self.reference),
            lat=one(iri, properties, WGS.lat, self.number),
            lon=one(iri, properties, WGS.long, self.number),
            start=one(iri, properties, _START, self.date),
            end=one(iri, properties, _END, self.date),
            place=one(iri, properties, _PLACE, self.reference),
            sources=self.citations(iri, properties),
            figures=self.figures(iri, properties, entity_id),
        )

    def source(self, iri: str, properties: Properties) -> Source:
        one = self.one
        return Source(
            id=record_id(iri),
            title=one(iri, properties, DCTERMS.title, self.text, required=True),
            publisher=one(iri, properties, DCTERMS.publisher, self.text, required=True),
            date=one(iri, properties, DCTERMS.date, self.date, required=True),
            url=one(iri, properties, FOAF.page, self.iri),
            authors=tuple(self.text(iri, item) for item in self.listed(iri, properties, "authors")),
            language=one(iri, properties, DCTERMS.language, self.text),
            note=one(iri, properties, SKOS.note, self.text),
        )

    def relation(self, iri: str, properties: Properties) -> Relation:
        relation_id, one = record_id(iri), self.one
        return Relation(
            id=relation_id,
            type=one(iri, properties, RDF.predicate, self.relation_type, required=True),
            subject=one(iri, properties, RDF.subject, self.reference, required=True),
            object=one(iri, properties, RDF.object, self.reference, required=True),
            sources=self.citations(iri, properties),
            against=tuple(self.reference(iri, item) for item in self.listed(iri, properties, "against")),
            support=tuple(self.support_kind(iri, item) for item in self.listed(iri, properties, "support")),
            place=one(iri, properties, _PLACE, self.reference),
            role=one(iri, properties, QUALIFIER_PROPERTIES["role"], self.text),
            start=one(iri, properties, _START, self.date),
            end=one(iri, properties, _END, self.date),
            status=one(iri, properties, kgv("status"), self.status, required=True),
            claimed_by=one(iri, properties, kgv("claimedBy"), self.reference),
            note=one(iri, properties, SKOS.note, self.text),
            figures=self.figures(iri, properties, relation_id),
        )

    def figure(self, iri: str, about: str) -> Figure:
        properties, one = self.node(iri), self.one
        return Figure(
            about=about,
            measure=one(iri, properties, kgv("measure"), self.measure, required=True),
            value=one(iri, properties, RDF.value, self.number, required=True),
            sources=self.citations(iri, properties),
            qualifier=one(iri, properties, kgv("figureQualifier"), self.figure_qualifier, required=True),
            of=one(iri, properties, kgv("of"), self.reference),
            label=one(iri, properties, RDFS.label, self.text),
            counted_by=one(iri, properties, kgv("countedBy"), self.reference),
            place=one(iri, properties, _PLACE, self.reference),
            date=one(iri, properties, DCTERMS.date, self.date),
            note=one(iri, properties, SKOS.note, self.text),
        )

    def citation(self, iri: str) -> Citation:
        properties = self.node(iri)
        selector = self.one(iri, properties, OA.hasSelector, self.iri, required=True)
        return Citation(source=self.one(iri, properties, OA.hasSource, self.reference, required=True),
                        quote=self.one(selector, self.node(selector), OA.exact, self.text, required=True))

    def citations(self, iri: str, properties: Properties) -> tuple[Citation, ...]:
        return tuple(self.citation(self.iri(iri, item)) for item in self.listed(iri, properties, "sources"))

    def figures(self, iri: str, properties: Properties, about: str) -> tuple[Figure, ...]:
        return tuple(self.figure(self.iri(iri, item), about) for item in self.listed(iri, properties, "figures"))

    # -- nodes and values

    def node(self, iri: str) -> Properties:
        if iri not in self.nodes:
            raise RdfError(f"<{iri}> is referred to but has no triples of its own")
        return self.nodes[iri]

    @staticmethod
    def one(iri: str, properties: Properties, predicate: str, convert: Callable[[str, Object], object],
            required: bool = False) -> Any:
        """The single value of a predicate, converted; None when absent (an error if required)."""
        values = properties.get(predicate)
        if values is None:
            if required:
                raise RdfError(f"<{iri}> has no {_short(predicate)}")
            return None
        if len(values) > 1:
            raise RdfError(f"<{iri}> has {len(values)} values of {_short(predicate)}; expected one")
        return convert(iri, values[0])

    def listed(self, iri: str, properties: Properties, field: str) -> list[Object]:
        """The values of a list field: in the order of its rdf:Seq, or sorted when it has none."""
        row = LISTS[field]
        sequence = self.one(iri, properties, row.link, self.iri)
        if sequence is None:
            return sorted(properties.get(row.direct, ()))
        members = [(int(predicate[len(_MEMBER):]), value)
                   for predicate, values in self.node(sequence).items()
                   if predicate.startswith(_MEMBER) and predicate[len(_MEMBER):].isdigit()
                   for value in values]
        return [value for _, value in sorted(members, key=lambda member: member[0])]

    @staticmethod
    def text(iri: str, value: Object) -> str:
        if type(value) is not Lit:
            raise RdfError(f"<{iri}>: expected a literal, got <{value}>")
        return value.value

    @staticmethod
    def date(iri: str, value: Object) -> str:
        if type(value) is not Lit or value.datatype not in DATE_TYPES:
            raise RdfError(f"<{iri}>: expected a date (xsd:date, xsd:gYearMonth or xsd:gYear), got {value!r}")
        return value.value

    @staticmethod
    def number(iri: str, value: Object) -> int | float:
        if type(value) is not Lit or value.datatype not in NUMBER_TYPES:
            raise RdfError(f"<{iri}>: expected a number, got {value!r}")
        return NUMBER_TYPES[value.datatype](value.value)

    @staticmethod
    def iri(iri: str, value: Object) -> str:
        if type(value) is Lit:
            raise RdfError(f"<{iri}>: expected an IRI, got the literal {value.value!r}")
        return value

    @staticmethod
    def reference(iri: str, value: Object) -> str:
        if type(value) is Lit:
            raise RdfError(f"<{iri}>: expected an IRI, got the literal {value.value!r}")
        return record_id(value)

    @staticmethod
    def term(names: Mapping[str, str], what: str) -> Callable[[str, Object], str]:
        def read(iri: str, value: Object) -> str:
            name = names.get(value) if type(value) is str else None
            if name is None:
                raise RdfError(f"<{iri}>: {value} is not a known {what}")
            return name

        return read
