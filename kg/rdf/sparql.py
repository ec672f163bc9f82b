"""SPARQL over a KnowledgeGraph, and the query helpers shipped as ``queries/*.rq``.

``sparql(graph, query, **bindings)`` runs a SELECT query over the graph's RDF form together
with the ontology (so queries may use ``rdfs:subClassOf``, ``owl:SymmetricProperty``,
``kgv:asserts`` and ``kgv:armed``). It runs in pyoxigraph when that is installed and in
rdflib otherwise, with the same answers. Every prefix of ``kg.rdf.terms.PREFIXES`` is
predeclared, and so are ``kge:`` (entities), ``kgsrc:`` (sources) and ``kgr:`` (statements).

Values reach a query only as bindings, never pasted into its text; as in SPARQL's
substitution (SEP-0007), a bound variable must be one the query selects.

============================  =========================================
Python value                  bound as
============================  =========================================
``Entity``                    its IRI (``kge:hts``)
``Source``, ``Relation``      its IRI (``kgsrc:...``, ``kgr:...``)
``RelationType``              its property (``kgv:fights``)
``EntityKind``                its class (``kgv:ArmedGroup``)
``str``                       a string literal
``int``, ``float``, ``bool``  an ``xsd:integer``, ``xsd:double``, ``xsd:boolean``
``datetime.date``             an ``xsd:date``
an rdflib term                itself
============================  =========================================

Answers come back as Python values: the IRI of an entity, source or statement as its id,
the IRI of a vocabulary term (a relation type, an entity kind, a status, a support kind,
a measure) as its name, other IRIs as text, numbers as ``int`` or ``float``, booleans as
``bool``, dates (full or partial) as ISO text, other literals as their text, and an
unbound variable as None.

>>> import kg
>>> rows = sparql(kg.load(), "SELECT ?name WHERE { ?e rdfs:label ?name } ORDER BY ?name LIMIT 1")
>>> list(rows[0])
['name']
"""

from __future__ import annotations

import os
import pickle
import re
import select as select_module
import signal
import struct
import time
import weakref
from datetime import date
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Iterator

from kg.errors import KGError, QueryError, unknown_term_message
from kg.graph import KnowledgeGraph
from kg.model import Entity, Relation, Source
from kg.rdf import backends
from kg.rdf.ontology import ontology_graph, shipped
from kg.rdf.terms import (
    DEFAULT_BASE,
    FIGURE_QUALIFIER_IRIS,
    KIND_CLASSES,
    MEASURE_IRIS,
    NUMBER_TYPES,
    PREFIXES,
    RELATION_PROPERTIES,
    STATUS_IRIS,
    SUPPORT_IRIS,
    XSD,
    Iris,
    Lit,
    Object,
    number_literal,
    reverse,
)
from kg.rdf.triples import to_rdf, triples
from kg.vocabulary import EntityKind, RelationType

if TYPE_CHECKING:
    import rdflib

__all__ = ["QUERY_NAMES", "QUERY_TIMEOUT", "budgeted", "query_text", "select", "select_rows", "sparql",
           "sparql_rows"]

#: The query helpers shipped in ``kg/rdf/queries``.
QUERY_NAMES = ("as_of", "paths", "relations", "support_answers", "supports")

_IRIS = Iris(DEFAULT_BASE)
#: The prefixes every query may use: kg's, and kge: (entities), kgsrc: (sources), kgr: (statements).
NAMESPACES = {**PREFIXES, "kge": _IRIS.entities, "kgsrc": _IRIS.sources, "kgr": _IRIS.statements}
_VOCABULARY_NAMES = {
    iri: name
    for iris in (RELATION_PROPERTIES, KIND_CLASSES, STATUS_IRIS, SUPPORT_IRIS, MEASURE_IRIS, FIGURE_QUALIFIER_IRIS)
    for iri, name in reverse(iris).items()
}

Rows = tuple[list[str], Iterable[list]]

# --------------------------------------------------------------------------- the public calls


def query_text(name: str) -> str:
    """The text of a query helper shipped with kg (see ``QUERY_NAMES``).

    >>> query_text("relations").startswith("# Relations")
    True
    """
    if name not in QUERY_NAMES:
        raise QueryError(unknown_term_message("query", name, QUERY_NAMES))
    return resources.files("kg.rdf").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8")


def sparql(graph: KnowledgeGraph, query: str, /, *, federated: bool = False, timeout: float | None = None,
           **bindings: object) -> list[dict[str, object]]:
    """The rows of a SELECT query over the graph, one dict per row (variable -> value).

    Other keyword arguments bind variables of the query (see the module's table). A query
    that uses ``SERVICE`` (which sends requests to other servers) is refused unless
    ``federated`` is true; a query still running after ``timeout`` seconds (by default
    ``$KG_QUERY_TIMEOUT``, else ``QUERY_TIMEOUT``; 0 for none) is stopped with a
    ``QueryError``; Ctrl-C (``KeyboardInterrupt``) stops it too. ``sparql_rows`` gives
    the same rows one at a time, as the engine finds them.

    >>> import kg
    >>> g = kg.load()
    >>> q = "SELECT ?kind ?name WHERE { ?e a ?kind ; rdfs:label ?label FILTER(STR(?label) = ?name) }"
    >>> sparql(g, q, name="Hayat Tahrir al-Sham")
    [{'kind': 'armed-group', 'name': 'Hayat Tahrir al-Sham'}]
    """
    return list(sparql_rows(graph, query, federated=federated, timeout=timeout, **bindings))


def sparql_rows(graph: KnowledgeGraph, query: str, /, *, federated: bool = False, timeout: float | None = None,
                **bindings: object) -> Iterator[dict[str, object]]:
    """The rows of a SELECT query over the graph (as ``sparql`` gives them), one at a time as
    the engine finds them, so that an answer of millions of rows never sits in memory
    whole: Oxigraph hands rows over as it finds them; rdflib keeps those it has given.
    The time budget counts the time spent waiting for the engine, not the caller's.

    >>> import kg
    >>> rows = sparql_rows(kg.load(), "SELECT ?name WHERE { ?e rdfs:label ?name }")
    >>> sorted(next(rows))
    ['name']
    """
    engine = OxigraphEngine if backends.oxigraph() is not None else RdflibEngine
    return select_rows(engine, _dataset(graph, engine), query, bindings, federated=federated, timeout=timeout)


def select(engine: type, data: object, query: str, bindings: dict[str, object], *, federated: bool = False,
           timeout: float | None = None) -> list[dict[str, object]]:
    """Run a SELECT query on data loaded in an engine (``OxigraphEngine`` or ``RdflibEngine``):
    values in as bindings, Python values out, within the time budget (see ``sparql``)."""
    return list(select_rows(engine, data, query, bindings, federated=federated, timeout=timeout))


def select_rows(engine: type, data: object, query: str, bindings: dict[str, object], *, federated: bool = False,
                timeout: float | None = None) -> Iterator[dict[str, object]]:
    """``select``'s rows, one at a time as the engine gives them (see ``sparql_rows``)."""
    if not federated and _SERVICE.search(_code_of(query)):
        raise QueryError("the query uses SERVICE, which sends requests to other servers; federated queries run "
                         "only when asked for (federated=True, or kg query --federated)")
    bound = {name: _bound(value) for name, value in bindings.items()}
    return _rows(lambda: _values(*engine.select(data, query, bound)), set(bound), _budget(timeout))


def _rows(run: Callable[[], Rows], bound: set[str], seconds: float) -> Iterator[dict[str, object]]:
    with budgeted(run, seconds) as (names, rows):
        unselected = sorted(bound - set(names))
        if unselected:
            raise QueryError(f"cannot bind {', '.join('?' + name for name in unselected)}: "
                             "a bound variable must be one the query selects")
        for row in rows:
            yield dict(zip(names, row))


def _values(names: list[str], rows: Iterable[list[Object | None]]) -> Rows:
    """The engine's rows with Python values for its terms, converted as they come."""
    return names, ([_value(term) for term in row] for row in rows)


# --------------------------------------------------------------------------- limits

#: Seconds a query may run unless ``$KG_QUERY_TIMEOUT`` or ``timeout=`` says otherwise.
QUERY_TIMEOUT = 300.0
# SERVICE as a keyword: outside comments, strings and IRIs, and not part of a name.
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)
_NOT_CODE = re.compile(
    r"#[^\n]*|<[^<>\"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.DOTALL)


def _code_of(query: str) -> str:
    """The query without its comments, strings and IRIs, where keywords can be looked for."""
    return _NOT_CODE.sub(" ", query)


def _budget(timeout: float | None) -> float:
    if timeout is not None:
        return float(timeout)
    try:
        return float(os.environ.get("KG_QUERY_TIMEOUT", QUERY_TIMEOUT))
    except ValueError:
        return QUERY_TIMEOUT


@contextmanager
def budgeted(run: Callable[[], Rows], seconds: float) -> Iterator[Rows]:
    """The variables and rows ``run`` gives, computed in a forked child that is killed after
    ``seconds`` spent waiting for it (0: no limit), on Ctrl-C, or when the caller stops
    reading: no signal stops a native query engine from the inside. Rows come through a
    pipe in batches as the child finds them. Where processes cannot fork, the query runs
    here, unbounded.

    >>> with budgeted(lambda: (["x"], iter([[1], [2]])), 5) as (names, rows):
    ...     names, list(rows)
    (['x'], [[1], [2]])
    """
    if seconds <= 0 or not hasattr(os, "fork"):
        yield run()
        return
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills the child
        os.close(read)
        _answer(run, write)
    os.close(write)
    try:
        messages = _messages(read, seconds)
        names = next(messages)
        yield names, (row for batch in messages for row in batch)
    finally:
        os.close(read)
        _end(child)


_FRAME = struct.Struct("<Q")  # the length of each pickled message the child sends
_LARGEST_BATCH = 4096  # rows; batches start at one row, so the first row comes at once
_PATIENCE = 0.2  # seconds a found row may wait in a batch that is not full


def _answer(run: Callable[[], Rows], write: int) -> None:
    """In the child: send the variables, then the rows in growing batches, then the end (or
    the error), and exit at once."""
    try:
        with os.fdopen(write, "wb") as out:
            try:
                names, rows = run()
                _send(out, ("names", names))
                batch: list = []
                size, sent = 1, time.monotonic()
                for row in rows:
                    batch.append(row)
                    if len(batch) >= size or time.monotonic() - sent > _PATIENCE:
                        _send(out, ("rows", batch))
                        batch, size, sent = [], min(2 * size, _LARGEST_BATCH), time.monotonic()
                _send(out, ("rows", batch))
                outcome: tuple = ("end", None)
            except KGError as err:
                outcome = ("error", err)
            except Exception as err:  # noqa: BLE001 - sent to the parent, which raises it there
                outcome = ("error", QueryError(f"the query failed: {err}"))
            _send(out, outcome)
    finally:
        os._exit(0)


def _send(out: BinaryIO, message: object) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_FRAME.pack(len(payload)) + payload)
    out.flush()


def _messages(read: int, seconds: float) -> Iterator[list]:
    """The variables, then each batch of rows the child sends, until its end; its error
    raised here; a ``QueryError`` when the budget of waiting runs out."""
    budget = [seconds]
    while True:
        size = _FRAME.unpack(_received(read, _FRAME.size, budget, seconds))[0]
        kind, value = pickle.loads(_received(read, size, budget, seconds))
        if kind == "error":
            raise value
        if kind == "end":
            return
        yield value


def _received(read: int, size: int, budget: list[float], seconds: float) -> bytes:
    """``size`` bytes from the pipe, waiting at most what is left of the budget (``budget[0]``
    seconds, out of ``seconds``) and taking the wait off it."""
    chunks, wanted = [], size
    while wanted:
        started = time.monotonic()
        ready = budget[0] > 0 and select_module.select([read], [], [], budget[0])[0]
        budget[0] -= time.monotonic() - started
        if not ready:
            raise QueryError(f"the query ran past its time budget of {seconds:g} s and was stopped; give a larger "
                             "one with timeout= (kg query --timeout) or KG_QUERY_TIMEOUT")
        chunk = os.read(read, min(wanted, 1 << 20))
        if not chunk:
            raise QueryError("the query engine stopped without an answer (out of memory?)")
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def _end(child: int) -> None:
    try:
        os.kill(child, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(child, 0)


# --------------------------------------------------------------------------- engines


class RdflibEngine:
    @staticmethod
    def load(graph: KnowledgeGraph) -> "rdflib.Graph":
        data = to_rdf(graph)
        data += ontology_graph()
        return data

    @staticmethod
    def select(data: "rdflib.Graph", query: str, bindings: dict[str, Object]) -> Rows:
        """The query's variables and its rows as rdflib's evaluation gives them, one at a time
        (``Graph.query`` would keep every row it has given)."""
        from pyparsing import ParseException
        from rdflib.plugins.sparql.processor import SPARQLProcessor

        initial = {name: backends.to_rdflib(term) for name, term in bindings.items()}
        try:
            result = SPARQLProcessor(data).query(query, initBindings=initial, initNs=NAMESPACES)
        except ParseException as err:
            raise QueryError(f"bad SPARQL: {err}") from err
        if result["type_"] != "SELECT":
            raise QueryError(f"sparql() answers SELECT queries, not {result['type_']}")
        variables = result["vars_"]
        convert = backends.from_rdflib
        return [str(variable) for variable in variables], (
            [None if row.get(variable) is None else convert(row.get(variable)) for variable in variables]
            for row in result["bindings"] if row)  # an empty binding is no row, as in rdflib's Result


class OxigraphEngine:
    @staticmethod
    def load(graph: KnowledgeGraph, store: object | None = None) -> object:
        """The graph and the ontology in an Oxigraph store (a new one in memory by default)."""
        oxigraph = backends.oxigraph()
        store = oxigraph.Store() if store is None else store
        convert = backends.to_oxigraph
        store.bulk_extend(oxigraph.Quad(convert(s), convert(p), convert(o)) for s, p, o in triples(graph))
        store.bulk_load(shipped("ontology.ttl").encode("utf-8"), oxigraph.RdfFormat.TURTLE)
        return store

    @staticmethod
    def select(store: object, query: str, bindings: dict[str, Object]) -> Rows:
        oxigraph = backends.oxigraph()
        substitutions = {oxigraph.Variable(name): backends.to_oxigraph(term) for name, term in bindings.items()}
        try:
            result = store.query(query, prefixes=NAMESPACES, substitutions=substitutions)
        except SyntaxError as err:
            raise QueryError(f"bad SPARQL: {err}") from err
        except RuntimeError as err:
            if "projection" not in str(err):
                raise
            raise QueryError(f"cannot bind a variable the query does not select ({err})") from err
        if not isinstance(result, oxigraph.QuerySolutions):
            kind = "ASK" if isinstance(result, oxigraph.QueryBoolean) else "CONSTRUCT or DESCRIBE"
            raise QueryError(f"sparql() answers SELECT queries, not {kind}")
        names = [variable.value for variable in result.variables]
        convert = backends.from_oxigraph
        return names, ([None if solution[name] is None else convert(solution[name]) for name in names]
                       for solution in result)  # as Oxigraph finds them


_CACHE: dict[tuple[int, type], tuple[weakref.ref, object]] = {}


def _dataset(graph: KnowledgeGraph, engine: type) -> object:
    """The graph's RDF form plus the ontology, loaded in the engine; kept for the last graph queried."""
    key = (id(graph), engine)
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is graph:
        return cached[1]
    data = engine.load(graph)
    _CACHE.clear()
    _CACHE[key] = (weakref.ref(graph), data)
    return data


# --------------------------------------------------------------------------- values in and out

_BINDINGS: dict[type, Callable[[object], Object]] = {
    Entity: lambda entity: _IRIS.entity(entity.id),
    Source: lambda source: _IRIS.source(source.id),
    Relation: lambda relation: _IRIS.statement(relation.id),
    RelationType: lambda row: RELATION_PROPERTIES[row.name],
    EntityKind: lambda row: KIND_CLASSES[row.name],
    str: Lit,
    bool: lambda value: Lit("true" if value else "false", XSD.boolean),
    int: number_literal,
    float: number_literal,
    date: lambda day: Lit(day.isoformat(), XSD.date),
}


def _bound(value: object) -> Object:
    bind = _BINDINGS.get(type(value))
    if bind is not None:
        return bind(value)
    if type(value).__module__.startswith("rdflib"):
        return backends.from_rdflib(value)
    raise QueryError(f"cannot bind {value!r} in a SPARQL query; pass a record, a vocabulary row, "
                     "text, a number, a date or an rdflib term")


_CONVERTERS: dict[str, Callable[[str], object]] = {
    **NUMBER_TYPES, XSD.float: float, XSD.boolean: lambda text: text in ("true", "1"),
    XSD.long: int, XSD.int: int, XSD.nonNegativeInteger: int,
}


def _value(term: Object | None) -> object:
    if term is None:
        return None
    if isinstance(term, Lit):
        convert = _CONVERTERS.get(term.datatype)
        return term.value if convert is None else convert(term.value)
    record = _IRIS.record_id(term)
    return record if record is not None else _VOCABULARY_NAMES.get(term, term)
