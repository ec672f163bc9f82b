"""kg: a knowledge graph of conflict actors, alliances and places, built from sourced YAML.

>>> import kg
>>> g = kg.load()
>>> g.resolve("Turkey").name
'Türkiye'
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

#: Where each public name is defined; imported on first use, so that ``import kg`` (and a
#: command line question, which needs a few of them) runs no more of kg than it uses.
_HOMES = {
    "kg.errors": ("AmbiguousEntityError", "DataError", "EndpointError", "KGError", "NoPathError", "Problem",
                  "QueryError", "TruncatedResultError", "UnknownEntityError"),
    "kg.folder.finding": ("bundled_data_dir",),
    "kg.folder.loading": ("load", "validate"),
    "kg.graph": ("KnowledgeGraph",),
    "kg.model": ("Citation", "Entity", "Figure", "Relation", "Source"),
    "kg.names": ("NameMatchWarning",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

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


def __getattr__(name: str) -> Any:
    """A public name (or a submodule, ``kg.rdf``), imported on first use."""
    if name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    try:
        return import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as err:
        if err.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
