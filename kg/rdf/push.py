"""Put a knowledge graph on a SPARQL server: ``push(graph, endpoint, graph_iri)``.

The graph's RDF form, kg's ontology and the answers of ``graph.supports()`` go into a fresh
temporary graph (Graph Store Protocol POSTs where the endpoint has a store, else SPARQL
Update ``INSERT DATA``, in chunks); its triple count is checked; then ``MOVE`` puts it onto
the target name in one step. A push that fails midway (a refused chunk, a server gone) leaves
whatever the target held before, whole, and drops the temporary graph where it can.

The answers of ``supports()`` are written as ``kgv:Support`` nodes, so that a server answers
"who supports whom against whom" by lookup rather than re-deriving it (the shipped
``supports.rq`` takes seconds to minutes on a server where kg takes milliseconds)::

    <{base}support/russia/syrian-government/hts> a kgv:Support ;
        kgv:supporter kge:russia ; kgv:supported kge:syrian-government ; kgv:adversary kge:hts ;
        kgv:basis "derived" ;
        prov:wasDerivedFrom kgr:..., kgr:... ;          # the statements it rests on
        kgv:chain <{answer}/chain/1> .                  # each way to it:
    <{answer}/chain/1> a kgv:SupportChain ; kgv:rule "hostility" ; prov:wasDerivedFrom kgr:..., kgr:... .

>>> import kg
>>> iri, pairs = next(support_nodes(kg.load()))
>>> iri.startswith(DEFAULT_BASE + "support/"), pairs[0]
(True, ('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/conflict-kg/vocab#Support'))
"""

from __future__ import annotations

import io
import uuid
from typing import Iterator, NamedTuple
from urllib.parse import quote

from kg.errors import EndpointError
from kg.graph import KnowledgeGraph
from kg.model import collector_paused
from kg.rdf.endpoint import Endpoint, batches
from kg.rdf.ontology import ontology_graph
from kg.rdf.terms import DEFAULT_BASE, PROV, RDF, Iris, Lit, external_iri, kgv
from kg.rdf.triples import Node, nodes
from kg.rdf.writers import nt_term, write_ntriples

__all__ = ["PushResult", "default_graph", "push", "support_iri", "support_nodes", "triple_count"]

#: Lines of N-Triples per request: a Graph Store Protocol POST, or an INSERT DATA (Virtuoso's
#: SPARQL parser runs out of memory near 5,000 lines).
STORE_CHUNK = 50_000
UPDATE_CHUNK = 1_000


class PushResult(NamedTuple):
    """What a push put where: the endpoint, the graph's name and how many triples it holds."""

    endpoint: str
    graph: str
    triples: int

    def to_record(self) -> dict[str, object]:
        return self._asdict()


def default_graph(base: str = DEFAULT_BASE) -> str:
    """The graph name a push uses unless told otherwise.

    >>> default_graph()
    'https://w3id.org/conflict-kg/id/graph'
    """
    return Iris(base).base + "graph"


def support_iri(iris: Iris, supporter: str, supported: str, against: str) -> str:
    """The IRI of a materialised support answer.

    >>> support_iri(Iris(), "russia", "syrian-government", "hts")
    'https://w3id.org/conflict-kg/id/support/russia/syrian-government/hts'
    """
    return iris.base + "support/" + "/".join(quote(name, safe="") for name in (supporter, supported, against))


def support_nodes(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[Node]:
    """The answers of ``graph.supports()`` as nodes, each chain a node of its own (see the module's example)."""
    iris = Iris(base)
    for answer in graph.supports():
        iri = support_iri(iris, answer.supporter, answer.supported, answer.against)
        chains = [f"{iri}/chain/{n}" for n in range(1, len(answer.chains) + 1)]
        yield iri, [
            (RDF.type, kgv("Support")),
            (kgv("supporter"), iris.entity(answer.supporter)),
            (kgv("supported"), iris.entity(answer.supported)),
            (kgv("adversary"), iris.entity(answer.against)),
            (kgv("basis"), Lit(answer.basis)),
            *((PROV.wasDerivedFrom, iris.statement(relation.id)) for relation in answer.evidence),
            *((kgv("chain"), chain) for chain in chains),
        ]
        for node, chain in zip(chains, answer.chains):
            statements = (chain.backing, chain.hostility, *chain.supported_members, *chain.against_members)
            yield node, [(RDF.type, kgv("SupportChain")), (kgv("rule"), Lit(chain.rule)),
                         *((PROV.wasDerivedFrom, iris.statement(r.id)) for r in statements if r is not None)]


def ntriples_lines(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> tuple[list[str], list[str]]:
    """(the ontology's lines, the lines of the graph and its support answers), each line once."""
    ontology = [line for line in ontology_graph().serialize(format="nt").split("\n") if line.strip()]
    out = io.StringIO()
    with collector_paused():
        write_ntriples(nodes(graph, base), out)
        write_ntriples(support_nodes(graph, base), out)
    lines = out.getvalue().split("\n")[:-1]  # not splitlines(), which would split a U+2028 inside a literal
    return list(dict.fromkeys(ontology)), list(dict.fromkeys(lines))


def triple_count(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> int:
    """How many triples a push of the graph puts on the server.

    >>> import kg
    >>> triple_count(kg.load()) > len(kg.load())
    True
    """
    ontology, lines = ntriples_lines(graph, base)
    return len(ontology) + len(lines)


def push(graph: KnowledgeGraph, endpoint: Endpoint | str, graph_iri: str | None = None, *,
         base: str = DEFAULT_BASE) -> PushResult:
    """Put the graph, kg's ontology and its support answers in the named graph ``graph_iri``
    (``default_graph(base)`` unless given) on a SPARQL server, replacing what it held.

    Raises ``EndpointError`` when the server refuses or loses part of the upload; the named
    graph then holds what it held before.
    """
    server = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
    target = external_iri(graph_iri or default_graph(base), "graph name")
    ontology, lines = ntriples_lines(graph, base)
    expected = len(ontology) + len(lines)
    temporary = f"urn:kg:push:{uuid.uuid4()}"
    size = UPDATE_CHUNK if server.store is None else STORE_CHUNK
    try:
        server.add_triples(temporary, "\n".join(ontology).encode("utf-8"))  # blank nodes: one request
        for chunk in batches(lines, size):
            server.add_triples(temporary, "\n".join(chunk).encode("utf-8"))
        held = server.count(temporary)
        if held != expected:
            raise EndpointError(f"the push to {server.url} is incomplete: the server holds {held} of {expected} "
                                f"triples; <{target}> is unchanged")
        server.update(f"MOVE {nt_term(temporary)} TO {nt_term(target)}")
    except EndpointError:
        _drop_quietly(server, temporary)
        raise
    return PushResult(server.url, target, server.count(target))


def _drop_quietly(server: Endpoint, graph: str) -> None:
    """Drop a temporary graph after a failure, if the server still answers."""
    try:
        server.update(f"DROP SILENT GRAPH {nt_term(graph)}")
    except EndpointError:
        pass
