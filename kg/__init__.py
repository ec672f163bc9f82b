"""kg: a knowledge graph of conflict actors, alliances and places, built from sourced YAML.

>>> import kg
>>> g = kg.load()
>>> g.resolve("Turkey").name
'Türkiye'
"""

import os
from pathlib import Path

from kg.errors import (
    AmbiguousEntityError,
    DataError,
    EndpointError,
    KGError,
    NoPathError,
    Problem,
    QueryError,
    TruncatedResultError,
    UnknownEntityError,
)
from kg.folder.finding import bundled_data_dir
from kg.folder.loading import load, validate
from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.names import NameMatchWarning

__all__ = [
    "AmbiguousEntityError",
    "Citation",
    "DataError",
    "EndpointError",
    "Entity",
    "Figure",
    "KGError",
    "KnowledgeGraph",
    "NameMatchWarning",
    "NoPathError",
    "Problem",
    "QueryError",
    "Relation",
    "Source",
    "TruncatedResultError",
    "UnknownEntityError",
    "bundled_data_dir",
    "dump",
    "from_rdf",
    "load",
    "remote",
    "validate",
]

__version__ = "0.1.0"


def dump(graph: KnowledgeGraph, folder: str | os.PathLike) -> Path:
    """Write a graph to a folder as canonical YAML files; see ``kg.folder.writing.dump``
    (imported when called: a load needs no YAML writer).

    >>> import kg, tempfile
    >>> kg.load(kg.dump(kg.load(), tempfile.mkdtemp())) == kg.load()
    True
    """
    from kg.folder.writing import dump as write

    return write(graph, folder)


def from_rdf(source: object, **options: object) -> KnowledgeGraph:
    """Rebuild a KnowledgeGraph from RDF: an rdflib Graph or a file; see ``kg.rdf.from_rdf``.

    >>> import kg
    >>> g = kg.load()
    >>> kg.from_rdf(g.to_rdf()) == g
    True
    """
    from kg.rdf import from_rdf as read

    return read(source, **options)


def remote(endpoint: object, graph: str | None = None, **options: object) -> object:
    """A read-only graph on a SPARQL server, pushed there with ``g.push``; see ``kg.rdf.remote``.

    >>> import kg
    >>> kg.remote("http://127.0.0.1:7878/query")
    <RemoteGraph <https://w3id.org/conflict-kg/id/graph> at http://127.0.0.1:7878/query>
    """
    from kg.rdf.remote import remote as open_remote

    return open_remote(endpoint, graph, **options)
