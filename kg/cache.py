"""A cache of loaded graphs, keyed by the content of the data files and of kg's own code.

Loading the same data again is then a matter of reading one file. The key is a hash of
every data file's bytes and of the source of the modules that read them, so any change to
either gives a new key: the cache never serves stale data. Only valid data is cached.

The cache lives in ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``;
``kg.load(..., cache=False)`` bypasses it. It keeps the few most recent graphs. Entries are
read back with an unpickler that admits kg's record classes and nothing else, and an entry
that cannot be read is ignored (and the data loaded from YAML).

>>> key = cache_key([("actors.yaml", b"- id: hts\\n")])
>>> len(key)
40
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from kg import model

__all__ = ["cache_dir", "cache_key", "read", "write"]

#: How many graphs the cache keeps; the oldest go first.
KEEP = 8
_CODE = ("load.py", "yaml_nodes.py", "model.py", "vocabulary.py", "dates.py", "graph.py", "cache.py", "texts.py")
_RECORD_CLASSES = {name: getattr(model, name) for name in ("Citation", "Entity", "Figure", "Relation", "Source")}


def cache_dir() -> Path:
    """Where cached graphs are kept."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    here = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=20)
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return digest.digest()


def cache_key(files: Iterable[tuple[str, bytes]]) -> str:
    """The key of a folder's content: its files' names and bytes, and kg's loading code."""
    digest = hashlib.blake2b(_code_fingerprint(), digest_size=20)
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class _RecordsOnly(pickle.Unpickler):
    """Unpickles kg's records and plain containers; refuses every other class."""

    def find_class(self, module: str, name: str) -> type:
        if module == model.__name__ and name in _RECORD_CLASSES:
            return _RECORD_CLASSES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kg's cache")


def read(key: str) -> tuple[dict, dict, tuple, str] | None:
    """The (sources, entities, relations, texts) cached under ``key``, or None; ``texts``
    is the key of the source texts the quotes were anchored in (see ``write``)."""
    try:
        data = (cache_dir() / f"{key}.pickle").read_bytes()
        return _RecordsOnly(io.BytesIO(data)).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None


def write(key: str, sources: dict, entities: dict, relations: tuple, texts: str = "") -> None:
    """Cache a graph's records under ``key``, atomically; a cache that cannot be written is skipped.

    ``texts`` is a key of the source texts that the data names (which only reading the data
    tells): a cached graph is used only while it still matches them.
    """
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump((sources, entities, relations, texts), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{key}.pickle")
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    for old in sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime)[:-KEEP]:
        old.unlink(missing_ok=True)
