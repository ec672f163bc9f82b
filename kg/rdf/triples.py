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
from typing import TYPE_CHECKING, Iterator, Sequence

from kg.dates import AFTER_ALL, BEFORE_ALL, Span, span
from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.rdf.backends import to_rdflib
from kg.rdf.mapping import (
    RELATION_LISTS,
    CITATION_FIELDS,
    ENTITY_FIELDS,
    FIGURE_FIELDS,
    KIND,
    LISTS,
    POSITION_FIELDS,
    QUOTE_FIELDS,
    RELATION_FIELDS,
    RELATION_TYPE,
    SOURCE_FIELDS,
    Field,
)
from kg.rdf.terms import DEFAULT_BASE, GEO, OA, PREFIXES, PROV, RDF, XSD, Iris, Lit, Object, Triple, kgv
from kg.vocabulary import STATUSES

if TYPE_CHECKING:
    import rdflib

__all__ = ["Node", "nodes", "span_pairs", "to_rdf", "triples"]

Pair = tuple[str, Object]
Node = tuple[str, list[Pair]]


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

    def __init__(self, iri: str, rdf_type: str, iris: Iris):
        self.iri = iri
        self.iris = iris
        self.pairs: list[Pair] = [(RDF.type, rdf_type)]
        self.children: list[Node] = []

    def add_fields(self, record: object, fields: Sequence[Field]) -> None:
        for field in fields:
            value = getattr(record, field.name)
            if value is not None:
                self.pairs.append((field.predicate, field.kind.write(value, self.iris)))

    def add_list(self, name: str, values: Sequence[object]) -> None:
        """A direct pair per value, and an ``rdf:Seq`` keeping their order when there are several."""
        row = LISTS[name]
        objects = [row.kind.write(value, self.iris) for value in values]
        self.pairs.extend((row.direct, obj) for obj in objects)
        if len(objects) > 1:
            seq = f"{self.iri}/{name}"
            self.pairs.append((row.link, seq))
            members = [(RDF[f"_{n}"], obj) for n, obj in enumerate(objects, 1)]
            self.children.append((seq, [(RDF.type, RDF.Seq), *members]))

    def add_citations(self, citations: Sequence[Citation]) -> None:
        names = [f"{self.iri}/citation/{n}" for n in range(1, len(citations) + 1)]
        self.add_list("sources", names)
        for name, citation in zip(names, citations):
            node = _Builder(name, OA.SpecificResource, self.iris)
            node.pairs += [(OA.hasSource, self.iris.source(citation.source)), (OA.hasSelector, f"{name}/quote")]
            node.add_fields(citation, CITATION_FIELDS)
            selectors = [_Builder(f"{name}/quote", OA.TextQuoteSelector, self.iris)]
            selectors[0].add_fields(citation, QUOTE_FIELDS)
            if citation.start is not None:
                node.pairs.append((OA.hasSelector, f"{name}/position"))
                selectors.append(_Builder(f"{name}/position", OA.TextPositionSelector, self.iris))
                selectors[1].add_fields(citation, POSITION_FIELDS)
            self.children += [*node.nodes(), *(pair for selector in selectors for pair in selector.nodes())]

    def add_figures(self, figures: Sequence[Figure]) -> None:
        names = [f"{self.iri}/figure/{n}" for n in range(1, len(figures) + 1)]
        self.add_list("figures", names)
        for name, figure in zip(names, figures):
            node = _Builder(name, kgv("Figure"), self.iris)
            node.add_fields(figure, FIGURE_FIELDS)
            node.add_citations(figure.sources)
            self.children.extend(node.nodes())

    def nodes(self) -> list[Node]:
        return [(self.iri, list(dict.fromkeys(self.pairs))), *self.children]


def _entity(entity: Entity, iris: Iris) -> list[Node]:
    node = _Builder(iris.entity(entity.id), KIND.write(entity.kind, iris), iris)
    node.add_fields(entity, ENTITY_FIELDS)
    node.add_list("aliases", entity.aliases)
    if entity.lat is not None and entity.lon is not None and math.isfinite(entity.lat + entity.lon):
        geometry = f"{node.iri}/geometry"
        node.pairs.append((GEO.hasGeometry, geometry))
        point = Lit(f"POINT({_plain(entity.lon)} {_plain(entity.lat)})", GEO.wktLiteral)
        node.children.append((geometry, [(RDF.type, GEO.Geometry), (GEO.asWKT, point)]))
    node.add_citations(entity.sources)
    node.add_figures(entity.figures)
    return node.nodes()


def _source(source: Source, iris: Iris) -> list[Node]:
    node = _Builder(iris.source(source.id), PROV.Entity, iris)
    node.add_fields(source, SOURCE_FIELDS)
    node.add_list("authors", source.authors)
    return node.nodes()


def _statement(relation: Relation, iris: Iris, direct: set[tuple[str, str, str]]) -> list[Node]:
    """The direct triple, when the status asserts the statement and no other gave it yet, and the statement node."""
    node = _Builder(iris.statement(relation.id), kgv("Statement"), iris)
    node.add_fields(relation, RELATION_FIELDS)  # refuses an unknown type or status first
    node.pairs.extend(span_pairs(span(relation.start, relation.end)))
    for name in RELATION_LISTS:
        node.add_list(name, getattr(relation, name))
    node.add_citations(relation.sources)
    node.add_figures(relation.figures)
    truthy = (iris.entity(relation.subject), RELATION_TYPE.write(relation.type, iris), iris.entity(relation.object))
    if not STATUSES[relation.status].asserts or truthy in direct:
        return node.nodes()
    direct.add(truthy)
    return [(truthy[0], [truthy[1:]]), *node.nodes()]


def span_pairs(spans: Span) -> list[Pair]:
    """The days a statement (or a chain of them) may have held and surely held, as
    ``xsd:date`` bounds where finite, and ``kgv:certain false`` when it surely held on no
    day (see ``kg.dates``).

    >>> [(name.rsplit("#")[1], day.value) for name, day in span_pairs(span("2016", None))]
    [('possibleFrom', '2016-01-01'), ('certainFrom', '2016-12-31')]
    """
    bounds = [("possibleFrom", spans.possible[0]), ("possibleUntil", spans.possible[1])]
    if spans.certain_empty:
        pairs: list[Pair] = [(kgv("certain"), Lit("false", XSD.boolean))]
    else:
        pairs = []
        bounds += [("certainFrom", spans.certain[0]), ("certainUntil", spans.certain[1])]
    return pairs + [(kgv(name), Lit(day.isoformat(), XSD.date)) for name, day in bounds
                    if day not in (BEFORE_ALL, AFTER_ALL)]


def _plain(number: int | float) -> str:
    """A number in WKT: decimal notation, never an exponent."""
    return format(Decimal(repr(number)), "f")
