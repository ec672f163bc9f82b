"""A cache of loaded graphs, keyed by the content of the data files and of kg's own code.

Loading the same data again is then a matter of reading one file. The key is a hash of
every data file's bytes and of the source of the modules that read them, so any change to
either gives a new key; the graph cached under a key is parsed from exactly the bytes that
were hashed. Only valid data is cached.

The cache lives in ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``
(no cache when there is no home); ``kg.load(..., cache=False)`` bypasses it. It keeps the
few most recent graphs. An entry is trusted only when it is a regular file owned by the
current user and writable by no one else (as ssh treats its keys), and when its keyed
hash (BLAKE2b, with a key of the user's own kept 0600 beside the entries) matches; it is
then read back with an unpickler that admits kg's record classes and nothing else, and
checked to be a graph. An entry that fails any of this is skipped with a ``CacheWarning``
and the data is loaded from YAML: a bad cache is never fatal and never served.

>>> key = cache_key([("actors.yaml", b"- id: hts\\n")])
>>> len(key)
40
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import secrets
import stat
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterable

from kg import model
from kg.files import read_regular_file

__all__ = ["CacheWarning", "cache_dir", "cache_key", "code_fingerprint", "last_key", "read", "read_indexed",
           "remember", "write"]

#: How many graphs the cache keeps; the oldest go first.
KEEP = 8
_RECORD_CLASSES = {name: getattr(model, name) for name in ("Citation", "Entity", "Figure", "Relation", "Source")}
_MAGIC = b"kg cache 3\n"
_MAC_SIZE = 32


class CacheWarning(UserWarning):
    """A cache entry (or the cache's key) that kg did not use, and why; the load goes on from YAML."""


def cache_dir() -> Path | None:
    """Where cached graphs are kept; None when there is no home folder to keep them in."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no HOME and no passwd entry
            return None
    return Path(base) / "kg"


def code_fingerprint(package: Path = Path(__file__).parent) -> bytes:
    """A digest of every Python module of the kg package, by path and content: any change to
    kg's code, in a module that exists today or one added tomorrow, makes new cache keys
    (no hand-kept list of the modules that shape a load can fall behind).

    >>> len(code_fingerprint())
    20
    """
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix().encode("utf-8")
        data = path.read_bytes()
        digest.update(name + b"\0" + len(data).to_bytes(8, "little") + data)
    return digest.digest()


@lru_cache(maxsize=1)
def _installed_fingerprint() -> bytes:
    return code_fingerprint()


def cache_key(files: Iterable[tuple[str, bytes]]) -> str:
    """The key of a folder's content: its files' names and bytes, and kg's loading code."""
    digest = hashlib.blake2b(_installed_fingerprint(), digest_size=20)
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


class _Refused(Exception):
    """A cache entry or key that must not be used; the message says why."""


def _skip(path: Path, reason: object) -> None:
    warnings.warn(CacheWarning(f"cache entry {path} skipped: {reason}"), stacklevel=3)


def read(key: str) -> tuple[dict, dict, tuple, str] | None:
    """The (sources, entities, relations, texts) cached under ``key``, or None (with a
    ``CacheWarning`` when an entry is there but cannot be trusted); ``texts`` is the key of
    the source texts the quotes were anchored in (see ``write``)."""
    entry = read_indexed(key)
    return entry and entry[:4]


def read_indexed(key: str) -> tuple[dict, dict, tuple, str, bytes] | None:
    """As ``read``, with the index written with the graph (see ``write``)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.pickle"
    try:
        data = _own_file(path)
        if data is None:
            return None
        if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _MAC_SIZE:
            raise _Refused("not a kg cache entry")
        digest = _digest(_secret(folder), key)
        digest.update(memoryview(data)[len(_MAGIC):-_MAC_SIZE])
        if not hmac.compare_digest(digest.digest(), data[-_MAC_SIZE:]):
            raise _Refused("its keyed hash does not match (changed since kg wrote it)")
        stream = io.BytesIO(data)
        stream.seek(len(_MAGIC))
        graph = _unpickle(stream)
    except (_Refused, OSError) as err:
        _skip(path, err.strerror if isinstance(err, OSError) and err.strerror else err)
        return None
    return graph


def _own_file(path: Path) -> bytes | None:
    """The bytes of a cache file, None if there is none; refused unless it is a regular file
    of the current user that no one else may write."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(before.st_mode):
        raise _Refused("not a regular file")
    if before.st_uid != os.geteuid():
        raise _Refused("owned by another user")
    if before.st_mode & 0o022:
        raise _Refused("writable by other users")
    return read_regular_file(path, follow=False)


def _unpickle(stream: IO[bytes]) -> tuple[dict, dict, tuple, str, bytes]:
    """The graph in a verified entry, checked to have the shape kg writes."""
    try:
        graph = _RecordsOnly(stream).load()
    except Exception as err:  # noqa: BLE001 - whatever the bytes hold, the entry is only skipped
        raise _Refused(f"unreadable ({type(err).__name__})") from None
    if not _is_graph(graph):
        raise _Refused("not a graph of kg records")
    return graph


def _is_graph(value: object) -> bool:
    """Whether ``value`` is (sources by id, entities by id, relations, texts key, index), not all empty."""
    if type(value) is not tuple or len(value) != 5:
        return False
    sources, entities, relations, texts, index = value
    if (type(sources), type(entities), type(relations), type(texts), type(index)) != (dict, dict, tuple, str, bytes):
        return False
    return bool(sources or entities or relations) and (
        all(type(s) is model.Source and s.id == k for k, s in sources.items())
        and all(type(e) is model.Entity and e.id == k for k, e in entities.items())
        and all(type(r) is model.Relation for r in relations))


def _digest(secret: bytes, key: str) -> "hashlib._Hash":
    """The keyed hash of an entry, fed with its name; then with its pickled graph."""
    return hashlib.blake2b(key.encode("ascii") + b"\0", key=secret, digest_size=_MAC_SIZE)


def _secret(folder: Path) -> bytes:
    """The current user's key for the cache in ``folder``, made on first use (0600)."""
    path = folder / f"key-{os.geteuid()}"
    data = _own_file(path)
    if data is None:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".key-", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(secrets.token_bytes(_MAC_SIZE))
                out.flush()
                os.fsync(out.fileno())
            os.link(temporary, path)  # never replaces a key another process made first
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
        data = _own_file(path)
    if data is None or len(data) != _MAC_SIZE or os.lstat(path).st_mode & 0o077:
        raise _Refused(f"the cache key {path} is not a 0600 file of {_MAC_SIZE} bytes")
    return data


class _Hashing:
    """A binary file that also feeds what is written to a hash."""

    def __init__(self, out: IO[bytes], digest: "hashlib._Hash"):
        self.out, self.digest = out, digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)


def write(key: str, sources: dict, entities: dict, relations: tuple, texts: str = "", index: bytes = b"") -> None:
    """Cache a graph's records under ``key``, atomically; a cache that cannot be written is
    skipped with a ``CacheWarning``.

    ``texts`` is a key of the source texts that the data names (which only reading the data
    tells): a cached graph is used only while it still matches them. ``index`` is what the
    loader needs to tell later which records of the files changed (signed with the graph).
    """
    folder = cache_dir()
    if folder is None:
        return
    path = folder / f"{key}.pickle"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        secret = _secret(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".entry-", suffix=".tmp")  # mode 0600
    except (OSError, _Refused) as err:
        _skip(path, err.strerror if isinstance(err, OSError) and err.strerror else err)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC)
            digest = _digest(secret, key)
            pickle.dump((sources, entities, relations, texts, index), _Hashing(out, digest),
                        protocol=pickle.HIGHEST_PROTOCOL)
            out.write(digest.digest())
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        _skip(path, err.strerror or err)
        return
    _evict(folder)


def remember(data: Path, key: str) -> None:
    """Note ``key`` as the last graph loaded from the folder ``data`` (see ``last_key``); a
    note that cannot be written is left out silently (``write`` has warned already)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".last-", suffix=".tmp")  # mode 0600
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(key.encode("ascii"))
        os.replace(temporary, folder / f"{_folder_name(data)}.last")
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def last_key(data: Path) -> str | None:
    """The key of the last graph loaded from the folder ``data``, if kg noted one. Only a
    hint: the entry it names is checked as every entry is, and its index says which files it
    was read from."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        text = _own_file(folder / f"{_folder_name(data)}.last")
    except (_Refused, OSError):
        return None
    return text.decode("ascii") if text and len(text) == 40 and text.isalnum() else None


def _folder_name(data: Path) -> str:
    return hashlib.blake2b(str(data.resolve()).encode("utf-8"), digest_size=16).hexdigest()


def _evict(folder: Path) -> None:
    """Remove the oldest of the current user's entries past ``KEEP``; what cannot be
    removed (gone already, another user's) is left."""
    entries = []
    for path in folder.glob("*.pickle"):
        try:
            info = path.lstat()
        except OSError:
            continue  # removed meanwhile by another load
        if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():
            entries.append((info.st_mtime, path.name))
    for _, name in sorted(entries)[:-KEEP]:
        try:
            (folder / name).unlink()
        except OSError:
            pass
