"""A read-only knowledge graph on a SPARQL server, pushed there by ``kg.rdf.push``.

``RemoteGraph(endpoint, graph)`` answers ``relations``, ``supports``, ``paths``, ``as_of``,
``resolve``, ``search`` and ``figures`` with the same answer records as a graph in memory.
Each question fetches what it needs with bounded SPARQL (listings paged by key, records
fetched by IRI in batches) and answers it with kg's own code on what came back:

==================  ========================================================================
``supports()``      looked up: the server selects the pushed ``kgv:Support`` answers and the
                    statements their chains name; kg derives the answers again on those (as
                    of a date, with every member-of statement); with ``statuses``, the graph
``relations()``     the server selects the statements of the type touching the entities;
                    kg applies the exact filters (direction, status, date)
``paths()``         the server gives the statements within half the path length of either
                    end, kg searches them
``as_of()``         the server gives every statement that may hold on the date; kg keeps
                    those that do, in a KnowledgeGraph
``resolve()``,      entities and sources are fetched once (the catalogue) and names are
``search()``        matched as in memory
``figures()``       the catalogue's and those of the statements that have figures
==================  ========================================================================

Relations come back in id order, as from any graph read back from RDF (``kg.from_rdf``):
RDF has no file order.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any, Iterable, Iterator, Sequence

from kg.graph import KnowledgeGraph
from kg.model import Entity, Figure, Relation
from kg.query import Match, Path, Support
from kg.errors import TruncatedResultError
from kg.rdf.endpoint import Binding, Endpoint, batches
from kg.rdf.push import default_graph
from kg.rdf.reader import graph_from_triples
from kg.rdf.terms import DEFAULT_BASE, KIND_CLASSES, PROV, RELATION_PROPERTIES, XSD, Iris, Lit, Triple
from kg.results import Results
from kg.vocabulary import MEMBERSHIP

__all__ = ["RemoteGraph", "remote"]

#: Subjects whose triples are asked for at once, at first; then as many as give about
#: ``BATCH_ROWS`` triples (under Virtuoso's cap of 10,000 rows), at most ``MAX_BATCH``.
RECORD_BATCH = 250
BATCH_ROWS = 5000
MAX_BATCH = 2000
#: IRIs per VALUES block in a listing.
VALUES_BATCH = 200

# The listings' patterns: constant text, every value a binding (kg's prefixes are prepended).
_STATEMENTS = "?x a kgv:Statement ; rdf:predicate ?type ."
_TOUCHING = "?x a kgv:Statement ; rdf:predicate ?type ; rdf:subject|rdf:object ?e ."
_CHAINED = ("?a kgv:supporter ?supporter ; kgv:supported ?supported ; kgv:adversary ?adversary ; kgv:chain ?c . "
            "?c kgv:backing|kgv:hostility|kgv:supportedMember|kgv:againstMember ?x .")
_FIGURED = "?x a kgv:Statement ; kgv:figure ?figure ."

# Virtuoso writes an xsd:double with six significant digits (36.15694 comes back as 36.1569),
# but its STR() is exact: doubles travel as text of a private datatype and are retyped here.
_EXACT_DOUBLE = "urn:kg:exact-double"
_EXACT = (f"BIND (IF(isLiteral(?o0) && DATATYPE(?o0) = <{XSD.double}>, STRDT(STR(?o0), <{_EXACT_DOUBLE}>), ?o0) "
          "AS ?o)")
# The triples of some subjects (bound to ?s): a record, or the parts found at the level before.
_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o0 . " + _EXACT + " }"


def remote(endpoint: Endpoint | str, graph: str | None = None, *, base: str = DEFAULT_BASE) -> "RemoteGraph":
    """A read-only graph on a SPARQL server (pushed with ``kg push`` or ``g.push``).

    >>> remote("http://127.0.0.1:7878/query").graph
    'https://w3id.org/conflict-kg/id/graph'
    """
    return RemoteGraph(endpoint, graph, base=base)


class RemoteGraph:
    """A knowledge graph held by a SPARQL server; see the module's table for what runs where."""

    def __init__(self, endpoint: Endpoint | str, graph: str | None = None, *, base: str = DEFAULT_BASE):
        self.endpoint = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
        self.graph = graph or default_graph(base)
        self.endpoint.graph = self.graph
        self.iris = Iris(base)

    def __repr__(self) -> str:
        return f"<RemoteGraph <{self.graph}> at {self.endpoint.url}>"

    # ------------------------------------------------------------------ fetching

    def fetch(self, iris: Iterable[str]) -> list[Triple]:
        """The triples of records (entities, sources, statements) and of their parts (the nodes
        named under a record's IRI: citations, quotes, figures, lists), level by level, each
        level in batches (see ``triples_of``)."""
        found: dict[Triple, None] = {}
        level = {iri: iri for iri in iris}  # subject -> the record it belongs to
        seen = set(level)
        while level:
            parts: dict[str, str] = {}
            for s, p, o in self.triples_of(sorted(level)):
                found[s, p, o] = None
                if type(o) is str and o not in seen and o.startswith(level[s] + "/"):
                    parts[o] = level[s]
                    seen.add(o)
            level = parts
        return sorted((s, p, Lit(o.value, XSD.double) if type(o) is Lit and o.datatype == _EXACT_DOUBLE else o)
                      for s, p, o in found)

    def triples_of(self, subjects: Sequence[str]) -> Iterator[Triple]:
        """Every triple of these subjects, in batches of about ``BATCH_ROWS`` triples (sized on
        the batch before; the first of ``RECORD_BATCH`` subjects); a batch that a server's row
        cap cuts short is asked again in halves."""
        start, size = 0, RECORD_BATCH
        while start < len(subjects):
            batch = subjects[start:start + size]
            rows = list(self._triples_of(batch))
            yield from rows
            start += len(batch)
            size = max(1, min(MAX_BATCH, BATCH_ROWS * len(batch) // max(len(rows), 1)))

    def _triples_of(self, batch: Sequence[str]) -> Iterator[Triple]:
        try:
            _, rows = self.endpoint.terms(_TRIPLES, {"s": list(batch)})
        except TruncatedResultError:
            if len(batch) == 1:
                raise
            half = len(batch) // 2
            yield from self._triples_of(batch[:half])
            yield from self._triples_of(batch[half:])
            return
        for s, p, o in rows:
            yield s, p, o

    def listing(self, pattern: str, **bindings: Binding) -> list[str]:
        """Every IRI bound to ``?x`` by a graph pattern (constant text; values only as
        bindings): asked whole and checked against a count, then paged by key if a server's
        row cap cut it short (complete past any cap)."""
        query = "SELECT DISTINCT ?x WHERE { " + pattern + " #PAGE }"
        try:
            _, rows = self.endpoint.terms(query.replace("#PAGE", ""), bindings)
        except TruncatedResultError:
            rows = list(self.endpoint.select_all(query, "x", bindings=bindings))
        return [row[0] for row in rows]

    def listing_touching(self, pattern: str, entities: Iterable[str], **bindings: Binding) -> list[str]:
        """``listing`` with ``?e`` bound, batch by batch, to each entity's IRI."""
        found: dict[str, None] = {}
        for batch in batches(sorted({self.iris.entity(e) for e in entities}), VALUES_BATCH):
            found.update(dict.fromkeys(self.listing(pattern, e=list(batch), **bindings)))
        return list(found)

    @cached_property
    def catalogue_triples(self) -> list[Triple]:
        """The triples of every entity and source (fetched once)."""
        records = self.listing("?x a ?kind .", kind=[*KIND_CLASSES.values(), PROV.Entity])
        return self.fetch(iri for iri in records if self.iris.record_id(iri) is not None)

    @cached_property
    def catalogue(self) -> KnowledgeGraph:
        """Every entity and source, without relations."""
        catalogue = graph_from_triples(self.catalogue_triples)
        entities = dict(sorted(catalogue.entities.items()))
        return KnowledgeGraph(entities, (), dict(sorted(catalogue.sources.items())))

    def with_statements(self, statements: Iterable[str]) -> KnowledgeGraph:
        """The catalogue with these statements (by IRI) as its relations."""
        fetched = graph_from_triples([*self.catalogue_triples, *self.fetch(statements)])
        catalogue = self.catalogue
        return KnowledgeGraph(catalogue.entities, fetched.relations(), catalogue.sources)

    def statements(self, entities: Iterable[str] | None = None, types: Sequence[str] | None = None) -> list[str]:
        """The IRIs of the statements touching any of the entities (every statement when None),
        of the given types (any when None)."""
        typed: dict[str, Binding] = {"type": [RELATION_PROPERTIES[t] for t in types]} if types else {}
        if entities is None:
            return self.listing(_STATEMENTS, **typed)
        return self.listing_touching(_TOUCHING, entities, **typed)

    def sparql(self, query: str, /, **options: Any) -> list[dict[str, object]]:
        """The rows of a SELECT query run on the server (options and bindings: see ``Endpoint.select``)."""
        return self.endpoint.select(query, **options)

    def sparql_rows(self, query: str, /, **options: Any) -> Iterator[dict[str, object]]:
        """``sparql``'s rows one at a time; the server's answer is one JSON document, read whole first."""
        return iter(self.sparql(query, **options))

    # ------------------------------------------------------------------ names

    def resolve(self, name: str) -> Entity:
        """The entity an id, name or alias refers to, as ``KnowledgeGraph.resolve`` finds it."""
        return self.catalogue.resolve(name)

    def search(self, text: str, limit: int = 10) -> Results[Match]:
        """Entities whose names resemble ``text``, as ``KnowledgeGraph.search`` finds them."""
        return self.catalogue.search(text, limit)

    # ------------------------------------------------------------------ questions

    def relations(self, type: str | None = None, subject: str | None = None, object: str | None = None, *,
                  as_of: str | date | None = None, statuses: str | Iterable[str] | None = None,
                  **options: Any) -> Results[Relation]:
        """Relations matching every filter, as ``KnowledgeGraph.relations`` gives them (in id order)."""
        self.catalogue.relations(type, subject, object, as_of=as_of, statuses=statuses, **options)  # checks them
        ends = [self.resolve(name).id for name in (subject, object) if name is not None]
        found = self.statements(ends[:1] or None, [type] if type else None)
        return self.with_statements(found).relations(type, subject, object, as_of=as_of, statuses=statuses,
                                                      **options)

    def supports(self, supporter: str | None = None, supported: str | None = None, against: str | None = None,
                 *, statuses: Iterable[str] | None = None, **options: Any) -> Results[Support]:
        """Who supports whom against whom, as ``KnowledgeGraph.supports`` answers it: the server
        looks up the answers pushed with the graph and the statements their chains name, and kg
        derives the answers again on exactly those, in id order as pushed (which gives the same
        chains: each is the first way to its answer that fits, and a way that comes before it
        there comes before it, and does not fit, in the whole graph too).
        As of a date, or ``strict``, another member-of statement may be the one that fits: the
        member-of statements are fetched too."""
        if statuses is not None:  # pushed answers count the asserting statuses only
            return self.to_graph().supports(supporter, supported, against, statuses=statuses, **options)
        names = {"supporter": supporter, "supported": supported, "adversary": against}
        roles = {role: self.iris.entity(self.resolve(name).id) for role, name in names.items() if name is not None}
        found = self.listing(_CHAINED, **roles)
        if options.get("as_of") is not None or options.get("strict"):
            found += self.memberships
        return self.with_statements(found).supports(supporter, supported, against, **options)

    @cached_property
    def memberships(self) -> list[str]:
        """Every member-of statement (fetched once): which chain through members an answer
        takes as of a date depends on all of them."""
        return self.statements(None, [MEMBERSHIP])

    def paths(self, source: str, target: str, types: Iterable[str] | None = None, max_length: int = 4, *,
              as_of: str | date | None = None, statuses: Iterable[str] | None = None,
              limit: int | None = 100, strict: bool = False) -> Results[Path]:
        """Simple paths between two entities, as ``KnowledgeGraph.paths`` finds them: every path
        of at most ``max_length`` hops runs through statements within half that of one end."""
        ends = {self.resolve(source).id, self.resolve(target).id}
        reached, found = set(ends), {}
        frontier = set(ends)
        for depth in range((max_length - 1) // 2 + 1):
            statements = self.with_statements(self.statements(frontier))
            found.update((self.iris.statement(r.id), r) for r in statements.relations())
            if depth < (max_length - 1) // 2:
                frontier = {e for r in statements.relations() for e in (r.subject, r.object)} - reached
                reached |= frontier
        near = self.with_statements(found)
        return near.paths(source, target, types, max_length, as_of=as_of, statuses=statuses, limit=limit,
                          strict=strict)

    def as_of(self, when: str | date, **options: Any) -> KnowledgeGraph:
        """A KnowledgeGraph of only what held on a date, as ``KnowledgeGraph.as_of`` gives it (fetched whole)."""
        return self.to_graph().as_of(when, **options)

    def figures(self, about: str | None = None) -> list[Figure]:
        """Sourced figures, all or those about one entity or relation, as ``KnowledgeGraph.figures`` gives them."""
        with_figures = self.listing(_FIGURED)
        return self.with_statements(with_figures).figures(about)

    def to_graph(self) -> KnowledgeGraph:
        """The whole graph, fetched (for questions no narrower fetch answers)."""
        return self.with_statements(self.statements())
