"""From records to triples: the one generator behind every RDF export and ``to_rdf``.

``nodes(graph)`` yields each node of the RDF graph with its (predicate, object) pairs, in a
canonical order: entities, then sources, then statements, each sorted by id; within a node
the pairs follow the record's fields. The streaming writers format these nodes; ``to_rdf``
loads them into rdflib.

Each relation gives a statement node (type, ends, qualifiers, dates, status, sources,
figures) and, when its status asserts it (stated, reported, alleged, claimed), one direct
triple ``<subject> kgv:<type> <object>``, as Wikidata gives "truthy" triples only for the
statements it holds true; an expected or denied statement keeps only its node.

>>> import kg
>>> g = kg.load()
>>> len(to_rdf(g)) == sum(1 for _ in triples(g))
True
"""

from __future__ import annotations

import math
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

from kg.errors import unknown_term_message
from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.rdf.backends import to_rdflib
from kg.rdf.terms import (
    DCTERMS,
    DEFAULT_BASE,
    FIGURE_QUALIFIER_IRIS,
    FOAF,
    GEO,
    KIND_CLASSES,
    LISTS,
    MEASURE_IRIS,
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
    Iris,
    Lit,
    Object,
    RdfError,
    Triple,
    date_literal,
    external_iri,
    kgv,
    name_literal,
    number_literal,
    text_literal,
    wikidata_iri,
)
from kg.vocabulary import STATUSES

if TYPE_CHECKING:
    import rdflib

__all__ = ["Node", "nodes", "to_rdf", "triples"]

Pair = tuple[str, Object]
Node = tuple[str, list[Pair]]

_START, _END, _PLACE = kgv("start"), kgv("end"), QUALIFIER_PROPERTIES["place"]


def nodes(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[Node]:
    """Every node of the graph's RDF form with its pairs, in canonical order.

    >>> import kg
    >>> subject, pairs = next(nodes(kg.load()))
    >>> subject.startswith(DEFAULT_BASE + "entity/"), pairs[0][0] == RDF.type
    (True, True)
    """
    iris = Iris(base)
    by_id = attrgetter("id")
    for entity in sorted(graph.entities.values(), key=by_id):
        yield from _entity(entity, iris)
    for source in sorted(graph.sources.values(), key=by_id):
        yield from _source(source, iris)
    direct: set[tuple[str, str, str]] = set()
    for relation in sorted(graph.relations(), key=by_id):
        yield from _statement(relation, iris, direct)


def triples(graph: KnowledgeGraph, *, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """Every triple of the graph's RDF form, in canonical order.

    >>> import kg
    >>> next(triples(kg.load()))[1]
    'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
    """
    for subject, pairs in nodes(graph, base):
        for predicate, obj in pairs:
            yield subject, predicate, obj


def to_rdf(graph: KnowledgeGraph, *, base: str = DEFAULT_BASE) -> "rdflib.Graph":
    """The graph as an rdflib Graph, with kg's prefixes bound.

    >>> import kg, rdflib
    >>> rdf = to_rdf(kg.load())
    >>> rdf.value(rdflib.URIRef(Iris().entity("hts")), rdflib.RDFS.label)
    rdflib.term.Literal('Hayat Tahrir al-Sham', lang='en')
    """
    import rdflib

    rdf = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace, replace=True)
    iri = rdflib.URIRef
    rdf.addN((iri(s), iri(p), to_rdflib(o), rdf) for s, p, o in triples(graph, base=base))
    return rdf


# --------------------------------------------------------------------------- nodes of records


class _Builder:
    """The pairs of one node and the nodes that hang off it (lists, citations, figures)."""

    def __init__(self, iri: str, rdf_type: str):
        self.iri = iri
        self.pairs: list[Pair] = [(RDF.type, rdf_type)]
        self.children: list[Node] = []

    def add(self, predicate: str, value: Object | None) -> None:
        if value is not None:
            self.pairs.append((predicate, value))

    def add_list(self, field: str, values: Sequence[Object]) -> None:
        """A direct pair per value, and an ``rdf:Seq`` keeping their order when there are several."""
        row = LISTS[field]
        self.pairs.extend((row.direct, value) for value in values)
        if len(values) > 1:
            seq = f"{self.iri}/{field}"
            self.pairs.append((row.link, seq))
            members = [(RDF[f"_{n}"], value) for n, value in enumerate(values, 1)]
            self.children.append((seq, [(RDF.type, RDF.Seq), *members]))

    def add_citations(self, citations: Sequence[Citation], iris: Iris) -> None:
        names = [f"{self.iri}/citation/{n}" for n in range(1, len(citations) + 1)]
        self.add_list("sources", names)
        for name, citation in zip(names, citations):
            self.children.extend(_citation(name, citation, iris))

    def add_figures(self, figures: Sequence[Figure], iris: Iris) -> None:
        names = [f"{self.iri}/figure/{n}" for n in range(1, len(figures) + 1)]
        self.add_list("figures", names)
        for name, figure in zip(names, figures):
            self.children.extend(_figure(name, figure, iris))

    def nodes(self) -> list[Node]:
        return [(self.iri, list(dict.fromkeys(self.pairs))), *self.children]


def _entity(entity: Entity, iris: Iris) -> list[Node]:
    node = _Builder(iris.entity(entity.id), _vocabulary_iri(KIND_CLASSES, entity.kind, "entity kind"))
    node.add(RDFS.label, name_literal(entity.name))
    node.add_list("aliases", [name_literal(alias) for alias in entity.aliases])
    node.add(DCTERMS.description, _maybe(text_literal, entity.description))
    node.add(OWL.sameAs, _maybe(wikidata_iri, entity.wikidata))
    node.add(GEO.sfWithin, _maybe(iris.entity, entity.within))
    node.add(WGS.lat, _maybe(number_literal, entity.lat))
    node.add(WGS.long, _maybe(number_literal, entity.lon))
    if entity.lat is not None and entity.lon is not None and math.isfinite(entity.lat + entity.lon):
        geometry = f"{node.iri}/geometry"
        node.add(GEO.hasGeometry, geometry)
        point = Lit(f"POINT({_plain(entity.lon)} {_plain(entity.lat)})", GEO.wktLiteral)
        node.children.append((geometry, [(RDF.type, GEO.Geometry), (GEO.asWKT, point)]))
    node.add(_START, _maybe(date_literal, entity.start))
    node.add(_END, _maybe(date_literal, entity.end))
    node.add(_PLACE, _maybe(iris.entity, entity.place))
    node.add_citations(entity.sources, iris)
    node.add_figures(entity.figures, iris)
    return node.nodes()


def _source(source: Source, iris: Iris) -> list[Node]:
    node = _Builder(iris.source(source.id), PROV.Entity)
    node.add(DCTERMS.title, text_literal(source.title))
    node.add(DCTERMS.publisher, text_literal(source.publisher))
    node.add(DCTERMS.date, date_literal(source.date))
    node.add(FOAF.page, _maybe(lambda url: external_iri(url, f"url of source '{source.id}'"), source.url))
    node.add_list("authors", [text_literal(author) for author in source.authors])
    node.add(DCTERMS.language, _maybe(text_literal, source.language))
    node.add(SKOS.note, _maybe(text_literal, source.note))
    return node.nodes()


def _statement(relation: Relation, iris: Iris, direct: set[tuple[str, str, str]]) -> list[Node]:
    prop = _vocabulary_iri(RELATION_PROPERTIES, relation.type, "relation type")
    status = _vocabulary_iri(STATUS_IRIS, relation.status, "status")
    subject, obj = iris.entity(relation.subject), iris.entity(relation.object)
    found: list[Node] = []
    if STATUSES[relation.status].asserts and (subject, prop, obj) not in direct:
        direct.add((subject, prop, obj))
        found.append((subject, [(prop, obj)]))
    node = _Builder(iris.statement(relation.id), kgv("Statement"))
    node.add(RDF.subject, subject)
    node.add(RDF.predicate, prop)
    node.add(RDF.object, obj)
    node.add_list("against", [iris.entity(actor) for actor in relation.against])
    node.add_list("support", [_vocabulary_iri(SUPPORT_IRIS, kind, "support kind") for kind in relation.support])
    node.add(_PLACE, _maybe(iris.entity, relation.place))
    node.add(QUALIFIER_PROPERTIES["role"], _maybe(text_literal, relation.role))
    node.add(_START, _maybe(date_literal, relation.start))
    node.add(_END, _maybe(date_literal, relation.end))
    node.add(kgv("status"), status)
    node.add(kgv("claimedBy"), _maybe(iris.entity, relation.claimed_by))
    node.add(SKOS.note, _maybe(text_literal, relation.note))
    node.add_citations(relation.sources, iris)
    node.add_figures(relation.figures, iris)
    return found + node.nodes()


def _citation(iri: str, citation: Citation, iris: Iris) -> list[Node]:
    selector = f"{iri}/quote"
    return [
        (iri, [(RDF.type, OA.SpecificResource), (OA.hasSource, iris.source(citation.source)),
               (OA.hasSelector, selector)]),
        (selector, [(RDF.type, OA.TextQuoteSelector), (OA.exact, text_literal(citation.quote))]),
    ]


def _figure(iri: str, figure: Figure, iris: Iris) -> list[Node]:
    node = _Builder(iri, kgv("Figure"))
    node.add(kgv("measure"), _vocabulary_iri(MEASURE_IRIS, figure.measure, "figure measure"))
    node.add(RDF.value, number_literal(figure.value))
    node.add(kgv("figureQualifier"), _vocabulary_iri(FIGURE_QUALIFIER_IRIS, figure.qualifier, "figure qualifier"))
    node.add(kgv("of"), _maybe(iris.entity, figure.of))
    node.add(RDFS.label, _maybe(text_literal, figure.label))
    node.add(kgv("countedBy"), _maybe(iris.entity, figure.counted_by))
    node.add(_PLACE, _maybe(iris.entity, figure.place))
    node.add(DCTERMS.date, _maybe(date_literal, figure.date))
    node.add(SKOS.note, _maybe(text_literal, figure.note))
    node.add_citations(figure.sources, iris)
    return node.nodes()


# --------------------------------------------------------------------------- helpers


def _maybe(make: Callable[[object], Object], value: object) -> Object | None:
    return None if value is None else make(value)


def _vocabulary_iri(iris: Mapping[str, str], name: str, what: str) -> str:
    try:
        return iris[name]
    except KeyError:
        raise RdfError(unknown_term_message(what, name, iris)) from None


def _plain(number: int | float) -> str:
    """A number in WKT: decimal notation, never an exponent."""
    return format(Decimal(repr(number)), "f")
