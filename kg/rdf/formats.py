"""The export formats, one row each, and the two calls that use them: ``serialize`` and ``write``.

Adding a format is adding a row to ``FORMATS``. ``write`` picks the format from the file's
suffix when none is given, and writes atomically: the text goes to a temporary file in
the same folder, which replaces the target only once complete, so a failed export leaves
no partial file and any older file untouched.

>>> import kg
>>> sorted(FORMATS)
['csv', 'gexf', 'graphml', 'jsonld', 'nt', 'turtle']
>>> serialize(kg.load(), "nt").splitlines()[0].startswith("<https://w3id.org/conflict-kg/id/entity/")
True
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping, TextIO

from kg.errors import unknown_term_message
from kg.files import write_atomically
from kg.graph import KnowledgeGraph
from kg.model import collector_paused
from kg.rdf import edges, writers
from kg.rdf.terms import DEFAULT_BASE, RdfError
from kg.rdf.triples import nodes

__all__ = ["FORMATS", "Format", "format_for", "serialize", "write"]

Writer = Callable[[KnowledgeGraph, TextIO, str], None]


@dataclass(frozen=True)
class Format:
    """An export format: its name, file suffixes, media type and writer ``(graph, out, base)``."""

    name: str
    label: str
    suffixes: tuple[str, ...]
    media_type: str
    write: Writer


def _turtle(graph: KnowledgeGraph, out: TextIO, base: str) -> None:
    writers.write_turtle(nodes(graph, base), out, base)


def _ntriples(graph: KnowledgeGraph, out: TextIO, base: str) -> None:
    writers.write_ntriples(nodes(graph, base), out)


def _jsonld(graph: KnowledgeGraph, out: TextIO, base: str) -> None:
    writers.write_jsonld(nodes(graph, base), out, base)


def _network(write: Callable[[KnowledgeGraph, TextIO], None]) -> Writer:
    """A writer for a format without IRIs, which has no use for the base."""
    return lambda graph, out, base: write(graph, out)


FORMATS: Mapping[str, Format] = MappingProxyType({
    row.name: row
    for row in (
        Format("turtle", "Turtle", (".ttl",), "text/turtle", _turtle),
        Format("nt", "N-Triples", (".nt",), "application/n-triples", _ntriples),
        Format("jsonld", "JSON-LD", (".jsonld", ".json"), "application/ld+json", _jsonld),
        Format("graphml", "GraphML", (".graphml",), "application/graphml+xml", _network(edges.write_graphml)),
        Format("gexf", "GEXF", (".gexf",), "application/gexf+xml", _network(edges.write_gexf)),
        Format("csv", "CSV edge list", (".csv",), "text/csv", _network(edges.write_csv)),
    )
})

_BY_SUFFIX = {suffix: row for row in FORMATS.values() for suffix in row.suffixes}


def format_for(path: str | os.PathLike | None, name: str | None = None) -> Format:
    """The format called ``name``, or else the one of the file's suffix.

    >>> format_for("out/graph.ttl").name
    'turtle'
    >>> format_for("graph.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.rdf.terms.RdfError: cannot tell the format of 'graph.txt' from its suffix; give one of: csv, ...
    """
    if name is not None:
        if name not in FORMATS:
            raise RdfError(unknown_term_message("format", name, FORMATS))
        return FORMATS[name]
    suffix = Path(path).suffix.lower() if path is not None else ""
    if suffix not in _BY_SUFFIX:
        raise RdfError(f"cannot tell the format of '{path}' from its suffix; give one of: {', '.join(sorted(FORMATS))}")
    return _BY_SUFFIX[suffix]


def serialize(graph: KnowledgeGraph, format: str = "turtle", *, base: str = DEFAULT_BASE) -> str:
    """The graph as text in a format of ``FORMATS``.

    >>> import kg
    >>> print(serialize(kg.load(), "turtle").splitlines()[0])
    @base <https://w3id.org/conflict-kg/id/> .
    """
    out = io.StringIO()
    with collector_paused():
        format_for(None, format).write(graph, out, base)
    return out.getvalue()


def write(graph: KnowledgeGraph, path: str | os.PathLike, format: str | None = None, *,
          base: str = DEFAULT_BASE) -> Path:
    """Write the graph to a file, atomically; the format comes from the suffix unless given.

    >>> import kg, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write(kg.load(), f"{folder}/graph.nt").name
    'graph.nt'
    """
    target = Path(path)
    row = format_for(target, format)
    with collector_paused():
        return write_atomically(target, lambda out: row.write(graph, out, base))
