"""What says whether the cache holds a folder's graph: the files' bytes, read once, and their
keys. A load from the cache needs only this module and ``kg.cache``, so it imports no YAML
reader; reading and reloading are imported when the cache has no graph for the files.

>>> folder_key({"actors.yaml": OSError("cannot be read")}) is None   # the load then says why
True
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Iterable

from kg import cache as graph_cache
from kg.files import read_regular_file
from kg.graph import KnowledgeGraph
from kg.model import Source

__all__ = ["folder_key", "kept", "read_contents", "texts_key"]


def read_contents(folder: Path, names: list[str]) -> dict[str, bytes | OSError]:
    """Each file's bytes (or why it cannot be read), read once: the cache key and the graph
    come from the same bytes, even if a file changes during the load."""
    contents: dict[str, bytes | OSError] = {}
    for name in names:
        try:
            contents[name] = read_regular_file(folder / name)
        except OSError as err:
            contents[name] = err
    return contents


def folder_key(contents: dict[str, bytes | OSError]) -> str | None:
    """The cache key of the folder's files; None if one cannot be read (the load says why)."""
    if any(isinstance(data, OSError) for data in contents.values()):
        return None
    return graph_cache.cache_key(contents.items())


def texts_key(folder: Path, sources: Iterable[Source]) -> str:
    """A key of the text files that sources name: their names and bytes ('' when none)."""
    names = sorted({source.text for source in sources if source.text})
    if not names:
        return ""
    files = []
    for name in names:
        try:
            files.append((name, b"1" + (folder / name).read_bytes()))
        except OSError:
            files.append((name, b"0"))
    return graph_cache.cache_key(files)


def kept(graph: KnowledgeGraph) -> KnowledgeGraph:
    """``graph``, with every object alive now moved out of the cyclic collector's reach
    (``gc.freeze``): its records hold no cycles, and the collector's first pass over a
    million new records would cost a fifth of a load from the cache. Called while the
    collector is paused, before it can start that pass."""
    gc.freeze()
    return graph
