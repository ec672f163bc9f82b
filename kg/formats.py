"""The file formats kg writes and reads: one registry, looked up by name and kind.

As in rdflib's plugin registry, a row names its code by module and attribute, imported only
when the format is used: choosing a format (the CLI's choices, a file's suffix) imports
nothing, and writing CSV imports no RDF library. The kinds:

- ``write``: ``kg export``, ``serialize`` and ``write`` (a function ``(graph, out, base)``);
- ``read``: ``from_rdf`` (a function ``(path, row) -> nodes``, the triples grouped by subject);
- ``store``: ``Store.load``, which pyoxigraph fills from the file (the row's ``oxigraph`` name).

Adding a format is adding a row to ``FORMATS``.

>>> names("write")
('turtle', 'nt', 'jsonld', 'graphml', 'gexf', 'csv')
>>> names("store")
('turtle', 'nt', 'jsonld')
>>> format_for("out/graph.ttl").name
'turtle'
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import PurePath
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

from kg.errors import RdfError, unknown_term_message

__all__ = ["DEFAULT_BASE", "FORMATS", "KINDS", "Format", "format_for", "get", "names"]

#: The base IRI writers name entities, sources and statements under unless given another
#: (``kg.rdf.terms`` says how; kept here so that choosing an export loads no RDF code).
DEFAULT_BASE = "https://w3id.org/conflict-kg/id/"

#: What a format can be used for (see the module's docstring).
KINDS = ("write", "read", "store")


class Format(NamedTuple):
    """A file format: its name, label, suffixes, media type, and the code of each kind it has.

    ``plugins`` maps a kind to ``"module:attribute"``; ``oxigraph`` and ``rdflib`` are the
    names those libraries give an RDF format (None for the others).
    """

    name: str
    label: str
    suffixes: tuple[str, ...]
    media_type: str
    plugins: Mapping[str, str] = MappingProxyType({})
    oxigraph: str | None = None
    rdflib: str | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds this format has, in the order of ``KINDS``.

        >>> FORMATS["csv"].kinds
        ('write',)
        """
        return tuple(kind for kind in KINDS if kind in self.plugins or (kind == "store" and self.oxigraph))

    def plugin(self, kind: str) -> Any:
        """The code this format uses for ``kind``, imported now.

        >>> FORMATS["csv"].plugin("write").__name__
        'write_csv'
        """
        module, _, attribute = self.plugins[kind].partition(":")
        return getattr(import_module(module), attribute)

    @property
    def write(self) -> Any:
        """The writer ``(graph, out, base)``: ``plugin("write")``."""
        return self.plugin("write")


_RDF = "kg.rdf.writers"
_NETWORK = "kg.export.network"
_READ = "kg.rdf.reader:file_nodes"

FORMATS: Mapping[str, Format] = MappingProxyType({
    row.name: row
    for row in (
        Format("turtle", "Turtle", (".ttl",), "text/turtle",
               {"write": f"{_RDF}:export_turtle", "read": _READ}, "TURTLE", "turtle"),
        # N-Triples is Turtle, and rdflib's Turtle parser is linear in a literal's length
        Format("nt", "N-Triples", (".nt",), "application/n-triples",
               {"write": f"{_RDF}:export_ntriples", "read": _READ}, "N_TRIPLES", "turtle"),
        Format("jsonld", "JSON-LD", (".jsonld", ".json"), "application/ld+json",
               {"write": f"{_RDF}:export_jsonld", "read": "kg.rdf.reader:jsonld_nodes"}, "JSON_LD", "json-ld"),
        Format("graphml", "GraphML", (".graphml",), "application/graphml+xml", {"write": f"{_NETWORK}:write_graphml"}),
        Format("gexf", "GEXF", (".gexf",), "application/gexf+xml", {"write": f"{_NETWORK}:write_gexf"}),
        Format("csv", "CSV edge list", (".csv",), "text/csv", {"write": f"{_NETWORK}:write_csv"}),
    )
})

_BY_SUFFIX = {suffix: row for row in FORMATS.values() for suffix in row.suffixes}


def names(kind: str) -> tuple[str, ...]:
    """The names of the formats that have ``kind``, in the table's order.

    >>> names("read")
    ('turtle', 'nt', 'jsonld')
    """
    return tuple(name for name, row in FORMATS.items() if kind in row.kinds)


def format_for(path: str | os.PathLike | None, name: str | None = None) -> Format:
    """The format called ``name``, or else the one of the file's suffix.

    >>> format_for("graph.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.RdfError: cannot tell the format of 'graph.txt' from its suffix; give one of: csv, ...
    """
    if name is not None:
        if name not in FORMATS:
            raise RdfError(unknown_term_message("format", name, FORMATS))
        return FORMATS[name]
    suffix = PurePath(path).suffix.lower() if path is not None else ""
    if suffix not in _BY_SUFFIX:
        raise RdfError(f"cannot tell the format of '{path}' from its suffix; give one of: {', '.join(sorted(FORMATS))}")
    return _BY_SUFFIX[suffix]


def get(path: str | os.PathLike | None, name: str | None, kind: str) -> Format:
    """The format of ``format_for`` if it has ``kind``; else an ``RdfError`` naming those that do.

    >>> get("graph.csv", None, "read")
    Traceback (most recent call last):
    ...
    kg.errors.RdfError: cannot read CSV edge list files; kg reads RDF in: turtle, nt, jsonld
    """
    row = format_for(path, name)
    if kind not in row.kinds:
        raise RdfError(_REFUSALS[kind].format(row=row, names=", ".join(names(kind))))
    return row


_REFUSALS = {
    "write": "cannot write {row.label} files; kg writes: {names}",
    "read": "cannot read {row.label} files; kg reads RDF in: {names}",
    "store": "a store loads {names} files, not {row.name}",
}
