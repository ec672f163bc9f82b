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
import time
import weakref
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Callable

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

__all__ = ["QUERY_NAMES", "QUERY_TIMEOUT", "budgeted", "query_text", "sparql"]

#: The query helpers shipped in ``kg/rdf/queries``.
QUERY_NAMES = ("as_of", "paths", "relations", "supports")

_IRIS = Iris(DEFAULT_BASE)
#: The prefixes every query may use: kg's, and kge: (entities), kgsrc: (sources), kgr: (statements).
NAMESPACES = {**PREFIXES, "kge": _IRIS.entities, "kgsrc": _IRIS.sources, "kgr": _IRIS.statements}
_VOCABULARY_NAMES = {
    iri: name
    for iris in (RELATION_PROPERTIES, KIND_CLASSES, STATUS_IRIS, SUPPORT_IRIS, MEASURE_IRIS, FIGURE_QUALIFIER_IRIS)
    for iri, name in reverse(iris).items()
}

Rows = tuple[list[str], list[list[Object | None]]]

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
    ``QueryError``, and so is one interrupted with Ctrl-C (``KeyboardInterrupt``).

    >>> import kg
    >>> g = kg.load()
    >>> q = "SELECT ?kind ?name WHERE { ?e a ?kind ; rdfs:label ?label FILTER(STR(?label) = ?name) }"
    >>> sparql(g, q, name="Hayat Tahrir al-Sham")
    [{'kind': 'armed-group', 'name': 'Hayat Tahrir al-Sham'}]
    """
    engine = OxigraphEngine if backends.oxigraph() is not None else RdflibEngine
    return select(engine, _dataset(graph, engine), query, bindings, federated=federated, timeout=timeout)


def select(engine: type, data: object, query: str, bindings: dict[str, object], *, federated: bool = False,
           timeout: float | None = None) -> list[dict[str, object]]:
    """Run a SELECT query on data loaded in an engine (``OxigraphEngine`` or ``RdflibEngine``):
    values in as bindings, Python values out, within the time budget (see ``sparql``)."""
    if not federated and _SERVICE.search(_code_of(query)):
        raise QueryError("the query uses SERVICE, which sends requests to other servers; federated queries run "
                         "only when asked for (federated=True, or kg query --federated)")
    bound = {name: _bound(value) for name, value in bindings.items()}
    names, rows = budgeted(lambda: engine.select(data, query, bound), _budget(timeout))
    unselected = sorted(set(bound) - set(names))
    if unselected:
        raise QueryError(f"cannot bind {', '.join('?' + name for name in unselected)}: "
                         "a bound variable must be one the query selects")
    return [{name: _value(term) for name, term in zip(names, row)} for row in rows]


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


def budgeted(run: Callable[[], Rows], seconds: float) -> Rows:
    """The rows ``run`` gives, computed in a forked child that is killed after ``seconds``
    (0: no limit) or on Ctrl-C: no signal stops a native query engine from the inside.
    Where processes cannot fork, the query runs here, unbounded.

    >>> budgeted(lambda: (["x"], [[1]]), 5)
    (['x'], [[1]])
    """
    if seconds <= 0 or not hasattr(os, "fork"):
        return run()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read)
        _answer(run, write)
    os.close(write)
    try:
        outcome = _collect(read, seconds)
    finally:
        os.close(read)
        _end(child)
    status, value = pickle.loads(outcome)
    if status == "error":
        raise value
    return value


def _answer(run: Callable[[], Rows], write: int) -> None:
    """In the child: send the rows (or the error) to the parent, then exit at once."""
    try:
        try:
            outcome: tuple = ("rows", run())
        except KGError as err:
            outcome = ("error", err)
        except Exception as err:  # noqa: BLE001 - sent to the parent, which raises it there
            outcome = ("error", QueryError(f"the query failed: {err}"))
        with os.fdopen(write, "wb") as out:
            pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


def _collect(read: int, seconds: float) -> bytes:
    """What the child sends, until it closes the pipe or the budget runs out."""
    deadline = time.monotonic() + seconds
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select_module.select([read], [], [], remaining)[0]:
            raise QueryError(f"the query ran past its time budget of {seconds:g} s and was stopped; give a larger "
                             "one with timeout= (kg query --timeout) or KG_QUERY_TIMEOUT")
        chunk = os.read(read, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


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
        from pyparsing import ParseException

        initial = {name: backends.to_rdflib(term) for name, term in bindings.items()}
        try:
            result = data.query(query, initNs=NAMESPACES, initBindings=initial)
        except ParseException as err:
            raise QueryError(f"bad SPARQL: {err}") from err
        if result.type != "SELECT":
            raise QueryError(f"sparql() answers SELECT queries, not {result.type}")
        names = [str(variable) for variable in result.vars]
        convert = backends.from_rdflib
        return names, [[None if term is None else convert(term) for term in row] for row in result]


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
        return names, [[None if solution[name] is None else convert(solution[name]) for name in names]
                       for solution in result]


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
