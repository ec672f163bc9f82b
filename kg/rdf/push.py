"""Put a knowledge graph on a SPARQL server: ``push(graph, endpoint, graph_iri)``.

The graph's RDF form, kg's ontology and the answers of ``graph.supports()`` go up as
N-Triples, in a few large Graph Store Protocol POSTs where the endpoint has a store (with
Oxigraph server's ``no_transaction``, its bulk loader), else in SPARQL Update ``INSERT DATA``
chunks; the server's triple count is checked against what was sent.

- A graph name that holds nothing yet is loaded directly; a push that fails drops what it
  loaded, so the name holds nothing again (a server killed mid-load keeps the part it loaded
  until the next push, which replaces it through a temporary graph).
- A graph name that holds a graph is replaced through a fresh temporary graph that ``MOVE``
  puts onto it in one step, once complete: a push that fails midway (a refused body, a
  server gone) leaves the previous graph whole. ``MOVE`` copies: its cost grows with both
  graphs, and Virtuoso refuses one above its transaction log limit (see docs/rdf.md).

Each answer of ``supports()`` is one ``kgv:Support`` node with its chains (each way to the
answer, in kg's order, explicit first; derived on the graph as RDF holds it, in id order;
through members, one for every pair of routes of member-of statements that fits: see
``iter_supports(every_route=True)``, so that the chains of any date are there), so
that a server answers "who supports whom against whom", on what and when, by lookup (the
shipped ``supports.rq`` re-derives and takes seconds to minutes on a server where kg takes
milliseconds). A chain names its rule, its statements by role (each role a
``prov:wasDerivedFrom``), and the days on which they may all have held and
surely all held (``Chain.days``), as statements carry theirs::

    <{base}support/russia/syrian-government/hts> a kgv:Support ;
        kgv:supporter kge:russia ; kgv:supported kge:syrian-government ; kgv:adversary kge:hts ;
        kgv:basis "derived" ; kgv:chain <{base}support/russia/syrian-government/hts/chain/1> .
    <{base}support/russia/syrian-government/hts/chain/1> kgv:rule "hostility" ;
        kgv:possibleFrom "2015-09-30"^^xsd:date ; kgv:certainFrom "2015-09-30"^^xsd:date ;
        kgv:backing kgr:... ; kgv:hostility kgr:... .    # kgv:supportedMember, kgv:againstMember

>>> import kg
>>> iri, pairs = next(support_nodes(kg.load()))
>>> iri.startswith(DEFAULT_BASE + "support/"), pairs[0]
(True, ('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/conflict-kg/vocab#Support'))
"""

from __future__ import annotations

import io
import threading
import uuid
from itertools import chain
from operator import attrgetter
from queue import Full, Queue
from typing import Any, Iterator, NamedTuple, TypeVar
from urllib.parse import quote

from kg.errors import EndpointError
from kg.graph import KnowledgeGraph
from kg.model import collector_paused
from kg.rdf.endpoint import Endpoint
from kg.rdf.ontology import ontology_graph
from kg.rdf.terms import DEFAULT_BASE, RDF, Iris, Lit, Object, external_iri, kgv
from kg.query import Chain, iter_supports
from kg.rdf.triples import Node, nodes, span_pairs
from kg.rdf.writers import nt_term, write_ntriples

__all__ = ["CHAIN_ROLES", "PushResult", "chain_pairs", "default_graph", "in_id_order", "push", "support_iri",
           "support_nodes", "triple_count"]

#: Bytes of N-Triples per request: a Graph Store Protocol POST (each body is kept whole, so
#: that it can be sent again when the server asks for credentials), or an INSERT DATA
#: (Virtuoso's SPARQL parser runs out of memory near 5,000 lines, about 1 MB).
STORE_BODY = 16 * 2**20
UPDATE_BODY = 200_000

T = TypeVar("T")

#: The properties that name a chain's statements, by the ``Chain`` field that holds them.
CHAIN_ROLES = {"backing": kgv("backing"), "hostility": kgv("hostility"),
               "supported_members": kgv("supportedMember"), "against_members": kgv("againstMember")}


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
    """The answers of ``supports()`` as nodes, each followed by its chains' (see the module's
    example), on the graph as RDF holds it: in id order (``in_id_order``)."""
    iris = Iris(base)
    graph = in_id_order(graph)
    supporter, supported, adversary, basis, chain_of = (kgv(name) for name in (
        "supporter", "supported", "adversary", "basis", "chain"))
    kind = (RDF.type, kgv("Support"))
    for answer in iter_supports(graph, every_route=True):  # the chains of every date
        iri = support_iri(iris, answer.supporter, answer.supported, answer.against)
        links = [f"{iri}/chain/{number}" for number in range(1, len(answer.chains) + 1)]
        yield iri, [kind, (supporter, iris.entity(answer.supporter)), (supported, iris.entity(answer.supported)),
                    (adversary, iris.entity(answer.against)), (basis, Lit(answer.basis)),
                    *((chain_of, link) for link in links)]
        for link, way in zip(links, answer.chains):
            yield link, chain_pairs(way, iris)


def in_id_order(graph: KnowledgeGraph) -> KnowledgeGraph:
    """The graph with its relations in id order, as any graph read back from RDF has them (RDF
    keeps no file order): which of several ways to an answer comes first, and so which chains
    an answer has, follows that order.

    >>> import kg
    >>> ids = [relation.id for relation in in_id_order(kg.load()).relations()]
    >>> ids == sorted(ids)
    True
    """
    relations = graph.relations()
    if all(first.id <= second.id for first, second in zip(relations, relations[1:])):
        return graph
    return KnowledgeGraph(graph.entities, sorted(relations, key=attrgetter("id")), graph.sources)


def chain_pairs(chain: Chain, iris: Iris) -> list[tuple[str, Object]]:
    """A chain's rule, its days (as a statement's: ``span_pairs``) and its statements by role.

    >>> import kg
    >>> answer = kg.load().supports("Russia", "Syrian government", "HTS")[0]
    >>> [p.rsplit("#")[1] for p, _ in chain_pairs(answer.chains[0], Iris())][:2]
    ['rule', 'certainFrom']
    """
    hostility = () if chain.hostility is None else (chain.hostility,)
    roles = {"backing": (chain.backing,), "hostility": hostility, "supported_members": chain.supported_members,
             "against_members": chain.against_members}
    return [(kgv("rule"), Lit(chain.rule)), *span_pairs(chain.days),
            *((CHAIN_ROLES[field], iris.statement(relation.id)) for field, held in roles.items() for relation in held)]


def ontology_body() -> tuple[bytes, int]:
    """kg's ontology as one N-Triples body (its blank nodes must travel together) and its size in triples."""
    lines = list(dict.fromkeys(line for line in ontology_graph().serialize(format="nt").split("\n") if line.strip()))
    return "\n".join(lines).encode("utf-8"), len(lines)


def bodies(graph: KnowledgeGraph, base: str = DEFAULT_BASE, size: int = STORE_BODY) -> Iterator[tuple[bytes, int]]:
    """The graph and its support answers as N-Triples bodies of about ``size`` bytes, each with
    its number of triples (each triple is written once: every node has a subject of its own).

    >>> import kg
    >>> body, count = next(bodies(kg.load()))
    >>> body.count(b"\\n") == count
    True
    """
    out = io.StringIO()
    with collector_paused():
        for node in chain(nodes(graph, base), support_nodes(graph, base)):
            write_ntriples((node,), out)
            if out.tell() >= size:
                yield _body(out)
                out = io.StringIO()
    if out.tell():
        yield _body(out)


def _body(out: io.StringIO) -> tuple[bytes, int]:
    text = out.getvalue()
    return text.encode("utf-8"), text.count("\n")  # a line break inside a literal is written escaped


def triple_count(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> int:
    """How many triples a push of the graph puts on the server.

    >>> import kg
    >>> triple_count(kg.load()) > len(kg.load())
    True
    """
    return ontology_body()[1] + sum(count for _, count in bodies(graph, base))


def push(graph: KnowledgeGraph, endpoint: Endpoint | str, graph_iri: str | None = None, *,
         base: str = DEFAULT_BASE) -> PushResult:
    """Put the graph, kg's ontology and its support answers in the named graph ``graph_iri``
    (``default_graph(base)`` unless given) on a SPARQL server, replacing what it held.

    Raises ``EndpointError`` when the server refuses or loses part of the upload; the named
    graph then holds what it held before (see the module's notes).
    """
    server = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
    target = external_iri(graph_iri or default_graph(base), "graph name")
    fresh = server.count(target) == 0
    into = target if fresh else f"urn:kg:push:{uuid.uuid4()}"
    try:
        sent = load(server, into, graph, base)
        held = server.count(into)
        if held != sent:
            raise EndpointError(f"the push to {server.url} is incomplete: the server holds {held} of {sent} "
                                f"triples; <{target}> is unchanged")
        if not fresh:
            server.update(f"MOVE {nt_term(into)} TO {nt_term(target)}")
    except EndpointError:
        _drop_quietly(server, into)
        raise
    return PushResult(server.url, target, sent)


def load(server: Endpoint, into: str, graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> int:
    """Add kg's ontology, the graph and its support answers to the named graph ``into``; how
    many triples were sent."""
    ontology, sent = ontology_body()
    server.add_triples(into, ontology)
    for body, count in prefetched(bodies(graph, base, UPDATE_BODY if server.store is None else STORE_BODY)):
        server.add_triples(into, body)
        sent += count
    return sent


def prefetched(items: Iterator[T]) -> Iterator[T]:
    """``items``, each made in a thread of its own while the one before is in use (here: the next
    body is written while the server loads the last one).

    >>> list(prefetched(iter(range(3))))
    [0, 1, 2]
    """
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((True, item)):
                    return
            offer((False, None))
        except BaseException as err:  # handed to the consumer, which raises it
            offer((False, err))

    thread = threading.Thread(target=produce, name="kg-push-bodies", daemon=True)
    thread.start()
    try:
        while True:
            more, item = queue.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _drop_quietly(server: Endpoint, graph: str) -> None:
    """Drop a graph a failed push loaded, if the server still answers."""
    try:
        server.update(f"DROP SILENT GRAPH {nt_term(graph)}")
    except EndpointError:
        pass
