"""Exports: the graph as text or a file in any format of ``kg.formats`` (RDF, GraphML, GEXF, CSV).

``serialize`` and ``write`` find the format's writer in the registry and import it only
then: writing CSV loads no RDF library. ``write`` picks the format from the file's suffix
when none is given, and writes atomically: the text goes to a temporary file in the same
folder, which replaces the target only once complete, so a failed export leaves no partial
file and any older file untouched.

>>> import kg
>>> serialize(kg.load(), "nt").splitlines()[0].startswith("<https://w3id.org/conflict-kg/id/entity/")
True
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from kg.files import write_atomically
from kg.formats import DEFAULT_BASE, get
from kg.graph import KnowledgeGraph
from kg.model import collector_paused

__all__ = ["serialize", "write"]


def serialize(graph: KnowledgeGraph, format: str = "turtle", *, base: str = DEFAULT_BASE) -> str:
    """The graph as text in a format of ``kg.formats.FORMATS``.

    >>> import kg
    >>> print(serialize(kg.load(), "turtle").splitlines()[0])
    @base <https://w3id.org/conflict-kg/id/> .
    """
    writer = get(None, format, "write").write
    out = io.StringIO()
    with collector_paused():
        writer(graph, out, base)
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
    writer = get(target, format, "write").write
    with collector_paused():
        return write_atomically(target, lambda out: writer(graph, out, base))
