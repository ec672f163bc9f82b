"""What says whether the cache holds a folder's graph: the files' bytes, read once, and their
keys. A load from the cache needs only this module and ``kg.folder.cache``, so it imports no YAML
reader; reading and reloading are imported when the cache has no graph for the files.

>>> folder_key({"actors.yaml": OSError("cannot be read")}, []) is None   # the load then says why
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Mapping

from kg.folder import cache as graph_cache
from kg.files import read_regular_file
from kg.model import Source

__all__ = ["RELATIONS", "checked_texts_key", "cuts_name", "folder_key", "read_contents", "relation_cuts",
           "texts_key"]

#: The file of relations, cut into blocks that are cached apart.
RELATIONS = "relations.yaml"


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


def relation_cuts(contents: dict[str, bytes | OSError], folder: Path) -> list[graph_cache.Cut]:
    """relations.yaml's blocks and their hashes (``kg.folder.cache.blocks``), cut once for the
    folder's key and for its parts in the cache, taking again what is unchanged of the
    folder's last cut (``cuts_name``); none without the file."""
    data = contents.get(RELATIONS)
    if not isinstance(data, bytes):
        return []
    return graph_cache.blocks(data, graph_cache.read_spans(cuts_name(folder)))


def cuts_name(folder: Path) -> str:
    """The name of the last cut of ``folder``'s relations.yaml in the cache."""
    return graph_cache.cache_key([("cuts", str(folder.resolve()).encode("utf-8", "surrogateescape"))])


def folder_key(contents: dict[str, bytes | OSError], cuts: list[graph_cache.Cut]) -> str | None:
    """The cache key of the folder's files, relations.yaml's bytes standing in it as the hashes
    of its blocks, ``cuts`` (``relation_cuts``); None if a file cannot be read (the load says why).

    >>> one, two = {"relations.yaml": b"- a\\n"}, {"relations.yaml": b"- b\\n"}
    >>> folder_key(one, graph_cache.blocks(b"- a\\n")) != folder_key(two, graph_cache.blocks(b"- b\\n"))
    True
    """
    if any(isinstance(data, OSError) for data in contents.values()):
        return None
    return graph_cache.cache_key((name, b"".join(cut.digest for cut in cuts) if name == RELATIONS else data)
                                 for name, data in contents.items())  # type: ignore[misc]


def texts_key(folder: Path, sources: Iterable[Source]) -> str:
    """A key of the text files that sources name, as they are now: their names and bytes
    ('' when none), to compare with the key a cached graph was checked against."""

    def content(name: str) -> bytes:
        try:
            return b"1" + (folder / name).read_bytes()
        except OSError:
            return b"0"

    return _texts_key(sources, content)


def checked_texts_key(sources: Iterable[Source], texts: Mapping[str, tuple[str, str]]) -> str:
    """``texts_key`` of the texts as the quotes were checked against them (a session's
    ``texts``: source id -> (file name, text)), never of the files read again, which may
    have changed since: the key holds exactly what was checked."""
    checked = dict(texts.values())
    return _texts_key(sources, lambda name: b"1" + checked[name].encode("utf-8") if name in checked else b"0")


def _texts_key(sources: Iterable[Source], content: Callable[[str], bytes]) -> str:
    names = sorted({source.text for source in sources if source.text})
    return graph_cache.cache_key([(name, content(name)) for name in names]) if names else ""
