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
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, NamedTuple

from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.rdf import backends
from kg.rdf.formats import format_for
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
    if isinstance(source, (str, os.PathLike)):
        return graph_from_triples(_file_triples(Path(source), format))
    return graph_from_triples(_rdflib_triples(source))


def graph_from_triples(triples: Iterable[Triple]) -> KnowledgeGraph:
    """The KnowledgeGraph described by plain triples (see ``kg.rdf.terms``)."""
    nodes: dict[str, Properties] = {}
    for subject, predicate, obj in triples:
        properties = nodes.get(subject)
        if properties is None:
            properties = nodes[subject] = {}
        properties.setdefault(predicate, []).append(obj)
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
        for triple in oxigraph.parse(path=path, format=format, base_iri=path.resolve().as_uri()):
            yield term(triple.subject), triple.predicate.value, term(triple.object)
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
    """Builds records from nodes grouped by subject: ``{subject: {predicate: [objects]}}``."""

    def __init__(self, nodes: dict[str, Properties]):
        self.nodes = nodes

    def graph(self) -> KnowledgeGraph:
        entities, sources, relations = {}, {}, []
        for iri, properties in self.nodes.items():
            types = properties.get(RDF.type, ())
            kinds = [_KINDS[t] for t in types if t in _KINDS]
            if kinds:
                entity = self.entity(iri, properties, self.only(iri, RDF.type, kinds))
                entities[entity.id] = entity
            if PROV.Entity in types:
                source = self.source(iri, properties)
                sources[source.id] = source
            if kgv("Statement") in types:
                relations.append(self.relation(iri, properties))
        relations.sort(key=lambda relation: relation.id)
        return KnowledgeGraph(entities, relations, sources)

    # -- records

    def entity(self, iri: str, properties: Properties, kind: str) -> Entity:
        entity_id = record_id(iri)
        value = self.field_reader(iri, properties)
        wikidata = value(OWL.sameAs, self.iri)
        return Entity(
            id=entity_id,
            name=value(RDFS.label, self.text, required=True),
            kind=kind,
            aliases=tuple(self.text(iri, item) for item in self.listed(iri, properties, "aliases")),
            description=value(DCTERMS.description, self.text),
            wikidata=record_id(wikidata) if wikidata is not None and wikidata.startswith(WIKIDATA) else None,
            within=value(GEO.sfWithin, self.reference),
            lat=value(WGS.lat, self.number),
            lon=value(WGS.long, self.number),
            start=value(_START, self.date),
            end=value(_END, self.date),
            place=value(_PLACE, self.reference),
            sources=self.citations(iri, properties),
            figures=self.figures(iri, properties, entity_id),
        )

    def source(self, iri: str, properties: Properties) -> Source:
        value = self.field_reader(iri, properties)
        return Source(
            id=record_id(iri),
            title=value(DCTERMS.title, self.text, required=True),
            publisher=value(DCTERMS.publisher, self.text, required=True),
            date=value(DCTERMS.date, self.date, required=True),
            url=value(FOAF.page, self.iri),
            authors=tuple(self.text(iri, item) for item in self.listed(iri, properties, "authors")),
            language=value(DCTERMS.language, self.text),
            note=value(SKOS.note, self.text),
        )

    def relation(self, iri: str, properties: Properties) -> Relation:
        relation_id = record_id(iri)
        value = self.field_reader(iri, properties)
        return Relation(
            id=relation_id,
            type=value(RDF.predicate, self.term(_RELATION_TYPES, "relation type"), required=True),
            subject=value(RDF.subject, self.reference, required=True),
            object=value(RDF.object, self.reference, required=True),
            sources=self.citations(iri, properties),
            against=tuple(self.reference(iri, item) for item in self.listed(iri, properties, "against")),
            support=tuple(self.term(_SUPPORT_KINDS, "support kind")(iri, item)
                          for item in self.listed(iri, properties, "support")),
            place=value(_PLACE, self.reference),
            role=value(QUALIFIER_PROPERTIES["role"], self.text),
            start=value(_START, self.date),
            end=value(_END, self.date),
            status=value(kgv("status"), self.term(_STATUSES, "status"), required=True),
            claimed_by=value(kgv("claimedBy"), self.reference),
            note=value(SKOS.note, self.text),
            figures=self.figures(iri, properties, relation_id),
        )

    def figure(self, iri: str, about: str) -> Figure:
        properties = self.node(iri)
        value = self.field_reader(iri, properties)
        return Figure(
            about=about,
            measure=value(kgv("measure"), self.term(_MEASURES, "figure measure"), required=True),
            value=value(RDF.value, self.number, required=True),
            sources=self.citations(iri, properties),
            qualifier=value(kgv("figureQualifier"), self.term(_FIGURE_QUALIFIERS, "figure qualifier"), required=True),
            of=value(kgv("of"), self.reference),
            label=value(RDFS.label, self.text),
            counted_by=value(kgv("countedBy"), self.reference),
            place=value(_PLACE, self.reference),
            date=value(DCTERMS.date, self.date),
            note=value(SKOS.note, self.text),
        )

    def citation(self, iri: str) -> Citation:
        value = self.field_reader(iri, self.node(iri))
        selector = value(OA.hasSelector, self.iri, required=True)
        quote = self.field_reader(selector, self.node(selector))(OA.exact, self.text, required=True)
        return Citation(source=value(OA.hasSource, self.reference, required=True), quote=quote)

    def citations(self, iri: str, properties: Properties) -> tuple[Citation, ...]:
        return tuple(self.citation(self.iri(iri, item)) for item in self.listed(iri, properties, "sources"))

    def figures(self, iri: str, properties: Properties, about: str) -> tuple[Figure, ...]:
        return tuple(self.figure(self.iri(iri, item), about) for item in self.listed(iri, properties, "figures"))

    # -- nodes and values

    def node(self, iri: str) -> Properties:
        if iri not in self.nodes:
            raise RdfError(f"<{iri}> is referred to but has no triples of its own")
        return self.nodes[iri]

    def listed(self, iri: str, properties: Properties, field: str) -> list[Object]:
        """The values of a list field: in the order of its rdf:Seq, or sorted when it has none."""
        row = LISTS[field]
        sequence = self.field_reader(iri, properties)(row.link, self.iri)
        if sequence is None:
            return sorted(properties.get(row.direct, ()))
        members = [(int(predicate[len(_MEMBER):]), value)
                   for predicate, values in self.node(sequence).items()
                   if predicate.startswith(_MEMBER) and predicate[len(_MEMBER):].isdigit()
                   for value in values]
        return [value for _, value in sorted(members, key=lambda member: member[0])]

    def field_reader(self, iri: str, properties: Properties) -> Callable[..., object]:
        """A reader of the single value of a predicate of this node, converted; None when absent."""

        def value(predicate: str, convert: Callable[[str, Object], object], required: bool = False) -> object:
            values = properties.get(predicate, ())
            if not values:
                if required:
                    raise RdfError(f"<{iri}> has no {_short(predicate)}")
                return None
            return convert(iri, self.only(iri, predicate, values))

        return value

    @staticmethod
    def only(iri: str, predicate: str, values: list) -> object:
        if len(values) > 1:
            raise RdfError(f"<{iri}> has {len(values)} values of {_short(predicate)}; expected one")
        return values[0]

    @staticmethod
    def literal(iri: str, value: Object, datatypes: Iterable[str] | None = None) -> Lit:
        if not isinstance(value, Lit) or (datatypes is not None and value.datatype not in datatypes):
            raise RdfError(f"<{iri}>: unexpected value {value!r}")
        return value

    def text(self, iri: str, value: Object) -> str:
        return self.literal(iri, value).value

    def date(self, iri: str, value: Object) -> str:
        return self.literal(iri, value, DATE_TYPES).value

    def number(self, iri: str, value: Object) -> int | float:
        literal = self.literal(iri, value, NUMBER_TYPES)
        return NUMBER_TYPES[literal.datatype](literal.value)

    @staticmethod
    def iri(iri: str, value: Object) -> str:
        if isinstance(value, Lit):
            raise RdfError(f"<{iri}>: expected an IRI, got the literal {value.value!r}")
        return value

    def reference(self, iri: str, value: Object) -> str:
        return record_id(self.iri(iri, value))

    def term(self, names: Mapping[str, str], what: str) -> Callable[[str, Object], str]:
        def read(iri: str, value: Object) -> str:
            name = names.get(self.iri(iri, value))
            if name is None:
                raise RdfError(f"<{iri}>: {value} is not a known {what}")
            return name

        return read
