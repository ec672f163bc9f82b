"""A cache of loaded graphs, kept in parts keyed by content, and signed.

Loading the same data again is then a matter of reading a few files, and after an edit to
one record of a large folder only the part of ``relations.yaml`` around it is read and
cached again. A graph is cached as parts: one for the sources and entities (named by the
bytes of every file but ``relations.yaml``) and one for each block of records of
``relations.yaml`` (named by the block's hash and by the first part's name; blocks end
where the text before a record says so, as in rsync, so an edit moves no other boundary),
and an entry, keyed by a hash of every data file's bytes (``relations.yaml``'s by its
blocks' hashes, made as it is cut: one pass over it), that lists the parts. The last cut of
each folder's ``relations.yaml`` is kept too (its blocks' lengths, counts and hashes): the
next cut takes again the blocks whose bytes hash the same, and searches only the text between. Every name
and key also hashes kg's modules (path, size, time of change), so a change to kg's code gives new ones;
what is cached is parsed from exactly the bytes that were hashed. Only valid data is cached.

The cache lives in ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``
(no cache when there is no home); ``kg.load(..., cache=False)`` bypasses it. It keeps the
few most recent graphs and their parts. A file is trusted only when it is a regular file
owned by the current user and writable by no one else (as ssh treats its keys), and when
its keyed hash (HMAC-SHA256 of its name and content, with a key of the user's own kept 0600
beside the entries) matches; it is then read back with an unpickler that admits kg's
record classes and nothing else, and checked to have the shape kg writes. A file that
fails any of this is skipped with a ``CacheWarning`` and the data is loaded from YAML: a
bad cache is never fatal and never served.

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
import re
import stat
import time
import warnings
import zlib
from bisect import bisect_left
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Iterable, NamedTuple, Sequence

from kg import model
from kg.columns import SOURCES, Block, Columnar, block_of, to_columns, to_records
from kg.errors import KGError
from kg.files import read_regular_file

__all__ = ["CacheWarning", "Cut", "Span", "blocks", "cache_dir", "cache_key", "code_fingerprint", "read",
           "read_entities", "read_relations", "read_spans", "spans", "write"]

#: How many graphs the cache keeps; the oldest go first, with the parts no kept graph uses.
KEEP = 8
#: A block of relations.yaml ends, on average, every this many records (a power of two).
BLOCK = 512
_RECORD_CLASSES = {name: getattr(model, name) for name in ("Citation", "Entity", "Figure", "Relation", "Source")}
_MAGIC = b"kg cache 5\n"
_MAC_SIZE = 32
_WINDOW = 32  # bytes before a record that decide whether a block ends there
_RECORD_START = re.compile(rb"\n-")
ENTRY, PART, CUTS = ".pickle", ".part", ".cuts"


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


def code_fingerprint(package: Path = Path(__file__).parent.parent) -> bytes:
    """A digest of every Python module of the kg package, by path, size and time of last
    change (as Python's own bytecode cache tells a changed module): any change to kg's code,
    in a module that exists today or one added tomorrow, makes new cache keys (no hand-kept
    list of the modules that shape a load can fall behind), and reading every module's bytes
    is not part of each load.

    >>> len(code_fingerprint())
    20
    """
    digest = hashlib.blake2b(digest_size=20)
    for name, info in sorted(_modules(str(package))):
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.digest()


def _modules(folder: str, prefix: str = "") -> Iterable[tuple[str, os.stat_result]]:
    """Every ``.py`` file under ``folder``: its path from there, and its ``stat``."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _modules(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                yield prefix + entry.name, entry.stat()


@lru_cache(maxsize=1)
def _installed_fingerprint() -> bytes:
    return code_fingerprint()


def cache_key(files: Iterable[tuple[str, bytes]]) -> str:
    """The key of a folder's content, or of a part: names and bytes, and kg's loading code.

    >>> cache_key([("a", b"bc")]) != cache_key([("ab", b"c")])
    True
    """
    digest = hashlib.sha256(_installed_fingerprint())
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:40]


class Cut(NamedTuple):
    """A block of relations.yaml: its bytes, its count of records, and the SHA-256 of its bytes."""

    text: memoryview
    count: int
    digest: bytes


#: A block as a later cut may take it again: its length in bytes, its count of records, its hash.
Span = tuple[int, int, bytes]


def blocks(data: bytes, previous: Sequence[Span] = ()) -> list[Cut]:
    """``data`` (a YAML list of records) cut into blocks, each with its count of records
    (lines that start with ``-``) and its hash, made as it is cut: a block ends before a
    record when a checksum of the bytes just before it is a multiple of ``BLOCK``, so the
    cuts depend on nearby text only, and an edit changes the block it is in and no other.
    The blocks' hashes stand for the file's bytes in the folder's key
    (``kg.folder.keys.folder_key``) and name the blocks' parts, so a load hashes it once.

    ``previous``, the ``spans`` of an earlier cut of the file, saves looking for the cuts
    in the blocks that did not change: a block of it is taken again where the bytes there
    hash the same and the block before it is the same too (so every checksum inside it
    reads the same bytes); only between such blocks is the text searched. The blocks are
    the same either way.

    >>> [(bytes(b), n, len(d)) for b, n, d in blocks(b"# x\\n- a\\n- b\\n")]
    [(b'# x\\n- a\\n- b\\n', 2, 32)]
    >>> blocks(b"- a\\n- c\\n", spans(blocks(b"- a\\n- b\\n"))) == blocks(b"- a\\n- c\\n")
    True
    """
    if previous and data:
        return _recut(data, previous)
    starts = [match.start() + 1 for match in _RECORD_START.finditer(data)]
    if data.startswith(b"-"):
        starts.insert(0, 0)
    mask, window = BLOCK - 1, _WINDOW
    cuts = [start for start in starts[1:]
            if not zlib.crc32(data[start - window if start > window else 0:start]) & mask]
    view, edges, sha256 = memoryview(data), [0, *cuts, len(data)], hashlib.sha256
    counts = [bisect_left(starts, stop) - bisect_left(starts, start) for start, stop in zip(edges, edges[1:])]
    return [Cut(view[start:stop], count, sha256(view[start:stop]).digest())
            for start, stop, count in zip(edges, edges[1:], counts)]


def spans(cuts: Iterable[Cut]) -> tuple[Span, ...]:
    """What a later cut of the file may take again of ``cuts`` (``blocks``)."""
    return tuple((len(cut.text), cut.count, cut.digest) for cut in cuts)


def _recut(data: bytes, previous: Sequence[Span]) -> list[Cut]:
    """``blocks(data)``, taking again the blocks of ``previous`` that are still there: after a
    block equal to one of ``previous`` (taken again, or found and hashed the same), the next
    block of ``previous`` is tried."""
    known = {digest: n for n, (_, _, digest) in reversed(list(enumerate(previous)))}
    out: list[Cut] = []
    position, following = 0, 0
    while position < len(data):
        cut = _same_block(data, position, previous, out, following) or _next_block(data, position)
        out.append(cut)
        position += len(cut.text)
        same = known.get(cut.digest)
        following = same + 1 if same is not None else -1
    return out


def _same_block(data: bytes, position: int, previous: Sequence[Span], out: list[Cut], n: int) -> Cut | None:
    """Block ``n`` of ``previous`` again at ``position``, if the block before is block ``n - 1``
    (so every checksum inside reads the same bytes), its bytes hash the same, and it ends where
    the file or a record does; else None."""
    if not 0 <= n < len(previous):
        return None
    length, count, digest = previous[n]
    stop = position + length
    before = (n == 0 and position == 0) or (n > 0 and bool(out) and len(out[-1].text) >= _WINDOW
                                            and out[-1].digest == previous[n - 1][2])
    ended = stop == len(data) or (n + 1 < len(previous) and stop < len(data) and data[stop] == 0x2D)  # "-"
    if not (before and length and ended):
        return None
    text = memoryview(data)[position:stop]
    return Cut(text, count, digest) if hashlib.sha256(text).digest() == digest else None


def _next_block(data: bytes, position: int) -> Cut:
    """The block of ``data`` that starts at ``position``, found as ``blocks`` finds it."""
    mask, window, end = BLOCK - 1, _WINDOW, len(data)
    count = int(data[position:position + 1] == b"-" and (position == 0 or data[position - 1] == 0x0A))
    for match in _RECORD_START.finditer(data, position):
        start = match.start() + 1
        if count and not zlib.crc32(data[start - window if start > window else 0:start]) & mask:
            end = start
            break
        count += 1
    text = memoryview(data)[position:end]
    return Cut(text, count, hashlib.sha256(text).digest())


class _RecordsOnly(pickle.Unpickler):
    """Unpickles kg's records and plain containers; refuses every other class."""

    def find_class(self, module: str, name: str) -> type:
        if module == model.__name__ and name in _RECORD_CLASSES:
            return _RECORD_CLASSES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kg's cache")


class _Refused(Exception):
    """A cache entry or key that must not be used; the message says why."""


def _skip(path: Path, reason: object) -> None:
    warnings.warn(CacheWarning(f"cache entry {path} skipped: {reason}"), stacklevel=4)


def read(key: str) -> tuple[dict, dict, Columnar, str] | None:
    """The (sources, entities, relations, texts) cached under ``key``, or None (with a
    ``CacheWarning`` when an entry or a part is there but cannot be trusted); ``texts`` is
    the key of the source texts the quotes were anchored in (see ``write``). Every part is
    checked here (its keyed hash, what it unpickles to); the relations' columns are
    unpickled and made into records when first asked for (``kg.columns.Columnar``)."""
    entry = _read_file(key + ENTRY, _is_entry)
    if entry is None:
        return None
    texts, names = entry
    first = read_entities(names[0])
    blocks = []
    for name in names[1:]:
        part = read_relations(name)
        if part is None:
            return None
        blocks.append(part)
    if first is None:
        return None
    relations = Columnar(blocks)
    if not (first[0] or first[1] or len(relations)):
        folder = cache_dir()
        _skip(folder / (key + ENTRY) if folder else Path(key), "not a graph of kg records (empty)")
        return None
    return first[0], first[1], relations, texts


def read_entities(name: str) -> tuple[dict, dict] | None:
    """The (sources by id, entities by id) cached as the part ``name``; None when there is
    none, or (with a ``CacheWarning``) when it cannot be trusted."""
    return _read_file(name + PART, _is_entities)


def read_spans(name: str) -> tuple[Span, ...]:
    """The ``spans`` of relations.yaml's blocks cached as ``name`` by ``write``; none when
    there are none, or (with a ``CacheWarning``) when they cannot be trusted."""
    return _read_file(name + CUTS, _is_spans) or ()  # type: ignore[return-value]


def read_relations(name: str) -> Block | None:
    """The relations of a block cached as the part ``name``, as ``read_entities``: what a
    load needs of them now (``kg.columns.Block``), their columns unpickled and made into
    records when first asked for. The part's keyed hash is checked now, so its columns are
    the bytes kg wrote; should they still not read back as columns, the first question
    raises ``KGError`` (a part kg wrote wrongly: a bug, never someone else's bytes)."""
    head = _read_file(name + PART, _is_block)
    return None if head is None else Block(*head[:4], partial(_records, name, head[0], head[4]))


def _records(name: str, count: int, body: bytes) -> tuple[model.Relation, ...]:
    """A block's relations from its pickled columns (``read_relations``)."""
    try:
        columns = _unpickle(io.BytesIO(body))
    except _Refused as err:
        columns = err
    if not _is_columns(columns) or columns[0] != count:  # type: ignore[index]
        raise KGError(f"the cache part {name}{PART} does not hold the relations kg wrote in it ({columns!r:.60}); "
                      "load with cache=False")
    return to_records(columns)  # type: ignore[arg-type]


def _block_part(relations: tuple[model.Relation, ...]) -> tuple:
    """What a part of relations holds: its ``Block`` but the way to make them, then its columns pickled."""
    block = block_of(relations)
    return (*block[:4], pickle.dumps(to_columns(relations), protocol=pickle.HIGHEST_PROTOCOL))


def _read_file(name: str, shape) -> object | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / name
    try:
        data = _own_file(path)
        if data is None:
            return None
        if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _MAC_SIZE:
            raise _Refused("not a kg cache entry")
        payload = memoryview(data)[len(_MAGIC):-_MAC_SIZE]
        if not hmac.compare_digest(_mac(_secret(folder), name, payload), data[-_MAC_SIZE:]):
            raise _Refused("its keyed hash does not match (changed since kg wrote it)")
        value = _unpickle(io.BytesIO(payload))
        if not shape(value):
            raise _Refused("not a graph of kg records")
    except (_Refused, OSError) as err:
        _skip(path, err.strerror if isinstance(err, OSError) and err.strerror else err)
        return None
    return value


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


def _unpickle(stream: IO[bytes]) -> object:
    try:
        return _RecordsOnly(stream).load()
    except Exception as err:  # noqa: BLE001 - whatever the bytes hold, the entry is only skipped
        raise _Refused(f"unreadable ({type(err).__name__})") from None


def _is_entry(value: object) -> bool:
    """Whether ``value`` is (texts key, part names), the first part that of the entities."""
    return (type(value) is tuple and len(value) == 2 and type(value[0]) is str and type(value[1]) is tuple
            and len(value[1]) > 0 and all(type(name) is str and len(name) == 40 and name.isalnum()
                                          for name in value[1]))


def _is_entities(value: object) -> bool:
    """Whether ``value`` is (sources by id, entities by id)."""
    if type(value) is not tuple or len(value) != 2 or (type(value[0]), type(value[1])) != (dict, dict):
        return False
    return (all(type(s) is model.Source and s.id == k for k, s in value[0].items())
            and all(type(e) is model.Entity and e.id == k for k, e in value[1].items()))


def _is_block(value: object) -> bool:
    """Whether ``value`` is a part of relations as ``_block_part`` writes it."""
    if type(value) is not tuple or len(value) != 5 or (type(value[0]), type(value[3]), type(value[4])) != (
            int, int, bytes):
        return False
    count, ids, acyclic = value[:3]
    return (type(ids) is tuple and len(ids) == count and set(map(type, ids)) <= {str} and type(acyclic) is tuple
            and all(type(row) is tuple and len(row) == 4 and set(map(type, row)) == {str} for row in acyclic))


def _is_spans(value: object) -> bool:
    """Whether ``value`` is the spans of a file's blocks, as ``spans`` makes them."""
    return type(value) is tuple and all(
        type(span) is tuple and len(span) == 3 and type(span[0]) is int and type(span[1]) is int
        and span[0] >= 0 and span[1] >= 0 and type(span[2]) is bytes and len(span[2]) == 32 for span in value)


def _is_columns(value: object) -> bool:
    """Whether ``value`` is a block's relations as ``kg.columns.to_columns`` writes them."""
    if type(value) is not tuple or len(value) != 3 or type(value[0]) is not int:
        return False
    count, fields, citation_fields = value
    if (type(fields), type(citation_fields)) != (tuple, tuple) or (len(fields), len(citation_fields)) != (
            len(model.Relation._fields), len(model.Citation._fields)):
        return False
    cited = fields[SOURCES]
    if not (all(type(field) is tuple and len(field) == count for field in fields)
            and set(map(type, cited)) <= {int} and min(cited, default=0) >= 0):
        return False
    return all(type(field) is tuple and len(field) == sum(cited) for field in citation_fields)


def _mac(secret: bytes, name: str, payload: memoryview | bytes) -> bytes:
    """The keyed hash of a cache file: of its name, then of its pickled content."""
    mac = hmac.new(secret, name.encode("ascii") + b"\0", "sha256")
    mac.update(payload)
    return mac.digest()


def _secret(folder: Path) -> bytes:
    """The current user's key for the cache in ``folder``, made on first use (0600)."""
    path = folder / f"key-{os.geteuid()}"
    data = _own_file(path)
    if data is None:
        import secrets
        import tempfile

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


def write(key: str, texts: str, parts: list[tuple[str, object | None]],
          cuts: tuple[str, tuple[Span, ...]] | None = None) -> None:
    """Cache a graph under ``key``: its parts (name and content; content None for a part
    that was read from the cache, which is kept), then the entry that lists them, each
    written atomically; a cache that cannot be written is skipped with a ``CacheWarning``.

    The first part is (sources by id, entities by id), the others tuples of relations.
    ``texts`` is a key of the source texts that the data names (which only reading the data
    tells): a cached graph is used only while it still matches them. ``cuts``, a name and the
    ``spans`` of relations.yaml's blocks, for the next load of the folder (``read_spans``).
    """
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        secret = _secret(folder)
        for n, (name, value) in enumerate(parts):
            if value is not None:
                _write_file(folder, secret, name + PART, value if n == 0 else _block_part(value))
        _write_file(folder, secret, key + ENTRY, (texts, tuple(name for name, _ in parts)))
        if cuts is not None:
            _write_file(folder, secret, cuts[0] + CUTS, cuts[1])
        now = time.time()
        for name, _ in parts:  # what the newest entry uses is as new as it
            os.utime(folder / (name + PART), (now, now))
    except (OSError, _Refused) as err:
        _skip(folder / (key + ENTRY), err.strerror if isinstance(err, OSError) and err.strerror else err)
        return
    _evict(folder)


def _write_file(folder: Path, secret: bytes, name: str, value: object) -> None:
    import tempfile  # to write, not to read

    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".entry-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + payload + _mac(secret, name, payload))
        os.replace(temporary, folder / name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def _evict(folder: Path) -> None:
    """Remove the oldest of the current user's entries past ``KEEP``, and the parts older
    than every entry kept (each write makes the parts its entry uses newer than it); what
    cannot be removed (gone already, another user's) is left."""
    entries, parts = [], []
    for path in folder.iterdir():
        if path.suffix not in (ENTRY, PART, CUTS):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue  # removed meanwhile by another load
        if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():
            (entries if path.suffix == ENTRY else parts).append((info.st_mtime, path.name))
    entries.sort()
    kept = entries[-KEEP:]
    oldest = kept[0][0] if kept else float("inf")
    for _, name in entries[:-KEEP] + [part for part in parts if part[0] < oldest]:
        try:
            (folder / name).unlink()
        except OSError:
            pass
