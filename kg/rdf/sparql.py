"""SPARQL over a KnowledgeGraph, and the query helpers shipped as ``queries/*.rq``.

``sparql(graph, query, **bindings)`` runs a SELECT query over the graph's RDF form together
with the ontology (so queries may use ``rdfs:subClassOf``, ``owl:SymmetricProperty`` and
``kgv:asserts``). Every prefix of ``kg.rdf.terms.PREFIXES`` is predeclared, and so are
``kge:`` (entities), ``kgsrc:`` (sources) and ``kgr:`` (statements).

Values reach a query only as bindings, never pasted into its text:

============================  =========================================
Python value                  bound as
============================  =========================================
``Entity``                    its IRI (``kge:hts``)
``Source``, ``Relation``      its IRI (``kgsrc:...``, ``kgr:...``)
``RelationType``              its property (``kgv:fights``)
``EntityKind``                its class (``kgv:ArmedGroup``)
``str``, ``int``, ``float``   a plain literal (``"x"``, ``1``, ``1.5``)
``datetime.date``             an ``xsd:date`` literal
an rdflib term                itself
============================  =========================================

Answers come back as Python values: the IRI of an entity, source or statement as its id,
the IRI of a vocabulary term (a relation type, an entity kind, a status, a support kind,
a measure) as its name, other IRIs as text, numbers as ``int`` or ``float``, booleans as
``bool``, dates (full or partial) as ISO text, other literals as their text, and an
unbound variable as None.

>>> import kg
>>> g = kg.load()
>>> rows = sparql(g, "SELECT ?name WHERE { ?e rdfs:label ?name } ORDER BY ?name LIMIT 1")
>>> list(rows[0])
['name']
"""

from __future__ import annotations

import weakref
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Callable

from kg.errors import QueryError, unknown_term_message
from kg.graph import KnowledgeGraph
from kg.model import Entity, Relation, Source
from kg.rdf.ontology import ontology_graph
from kg.rdf.terms import (
    DATE_TYPES,
    DEFAULT_BASE,
    FIGURE_QUALIFIER_IRIS,
    KIND_CLASSES,
    MEASURE_IRIS,
    PREFIXES,
    RELATION_PROPERTIES,
    STATUS_IRIS,
    SUPPORT_IRIS,
    Iris,
    reverse,
)
from kg.rdf.triples import to_rdf
from kg.vocabulary import EntityKind, RelationType

if TYPE_CHECKING:
    import rdflib

__all__ = ["QUERY_NAMES", "query_text", "sparql"]

#: The query helpers shipped in ``kg/rdf/queries``.
QUERY_NAMES = ("as_of", "paths", "relations", "supports")

_IRIS = Iris(DEFAULT_BASE)
_NAMESPACES = {**PREFIXES, "kge": _IRIS.entities, "kgsrc": _IRIS.sources, "kgr": _IRIS.statements}
_VOCABULARY_NAMES = {
    iri: name
    for iris in (RELATION_PROPERTIES, KIND_CLASSES, STATUS_IRIS, SUPPORT_IRIS, MEASURE_IRIS, FIGURE_QUALIFIER_IRIS)
    for iri, name in reverse(iris).items()
}

_BINDINGS: dict[type, Callable[[object], str]] = {
    Entity: lambda entity: _IRIS.entity(entity.id),
    Source: lambda source: _IRIS.source(source.id),
    Relation: lambda relation: _IRIS.statement(relation.id),
    RelationType: lambda row: RELATION_PROPERTIES[row.name],
    EntityKind: lambda row: KIND_CLASSES[row.name],
}


def query_text(name: str) -> str:
    """The text of a query helper shipped with kg (see ``QUERY_NAMES``).

    >>> query_text("relations").startswith("# Relations")
    True
    """
    if name not in QUERY_NAMES:
        raise QueryError(unknown_term_message("query", name, QUERY_NAMES))
    return resources.files("kg.rdf").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8")


def sparql(graph: KnowledgeGraph, query: str, /, **bindings: object) -> list[dict[str, object]]:
    """The rows of a SELECT query over the graph, one dict per row (variable -> value).

    Keyword arguments bind query variables (see the module's table); a binding for a
    variable the query does not use changes nothing.

    >>> import kg
    >>> g = kg.load()
    >>> q = "SELECT ?kind WHERE { ?e a ?kind ; rdfs:label ?label FILTER(STR(?label) = ?name) }"
    >>> sparql(g, q, name="Hayat Tahrir al-Sham")
    [{'kind': 'armed-group'}]
    """
    import rdflib
    from pyparsing import ParseException

    initial = {name: _term(value) for name, value in bindings.items()}
    try:
        result = _dataset(graph).query(query, initNs=_NAMESPACES, initBindings=initial)
    except ParseException as err:
        raise QueryError(f"bad SPARQL: {err}") from err
    if result.type != "SELECT":
        raise QueryError(f"sparql() answers SELECT queries; this is a {result.type} query")
    names = [str(variable) for variable in result.vars]
    return [dict(zip(names, map(_value, row))) for row in result]


_CACHE: dict[int, tuple[weakref.ref, "rdflib.Graph"]] = {}


def _dataset(graph: KnowledgeGraph) -> "rdflib.Graph":
    """The graph's RDF form plus the ontology, kept for the last graph queried."""
    cached = _CACHE.get(id(graph))
    if cached is not None and cached[0]() is graph:
        return cached[1]
    data = to_rdf(graph)
    data += ontology_graph()
    _CACHE.clear()
    _CACHE[id(graph)] = (weakref.ref(graph), data)
    return data


def _term(value: object) -> "rdflib.term.Identifier":
    import rdflib

    if isinstance(value, rdflib.term.Identifier):
        return value
    bind = _BINDINGS.get(type(value))
    if bind is not None:
        return rdflib.URIRef(bind(value))
    if isinstance(value, (str, int, float, date)):
        return rdflib.Literal(value)
    raise QueryError(f"cannot bind {value!r} in a SPARQL query; pass a record, a vocabulary row, "
                     "text, a number, a date or an rdflib term")


def _value(term: "rdflib.term.Identifier | None") -> object:
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        if term.datatype is not None and str(term.datatype) in DATE_TYPES:
            return str(term)
        value = term.toPython()
        return str(term) if isinstance(value, (rdflib.Literal, str)) else value
    if isinstance(term, rdflib.URIRef):
        text = str(term)
        record = _IRIS.record_id(text)
        return record if record is not None else _VOCABULARY_NAMES.get(text, text)
    return str(term)
