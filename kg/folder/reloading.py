"""Reading again what changed: when only relations.yaml changed, unchanged relations come from the cache."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterable

import yaml

from kg import cache as graph_cache
from kg.folder import fast
from kg.folder.checks import check_cycles
from kg.folder.reading import read_file
from kg.folder.records import read_relation
from kg.folder.session import FileReader, Invalid, NeedMarks, Session
from kg.model import Relation, Source

__all__ = ["folder_key", "others_digest", "relation_digests", "reread", "texts_key"]

_RELATIONS = "relations.yaml"

_DIGEST = 16  # bytes of a record's digest in the index


# An anchor or an alias: a record that may stand for another one's text cannot be read alone.
_ANCHOR_OR_ALIAS = re.compile(r"(?<![^ \t\n\[{,])[&*][^ \t\n\[\]{},]")


def relation_digests(contents: dict[str, bytes | OSError]) -> list[tuple[str, bytes]] | None:
    """Each relation's text and its digest, what a later load needs to read again only the
    relations that changed (the cache entry keeps the digests, after one of every other
    file); None when relations cannot be read one by one."""
    records = _relation_texts(contents)
    return None if records is None else [(record, _record_digest(record)) for record in records]


def _relation_texts(contents: dict[str, bytes | OSError]) -> list[str] | None:
    data = contents.get(_RELATIONS)
    if not isinstance(data, bytes):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text):
        return None
    return fast.record_texts(text)


def others_digest(contents: dict[str, bytes | OSError]) -> bytes:
    digest = hashlib.blake2b(digest_size=_DIGEST)
    for name, data in contents.items():
        if name != _RELATIONS and isinstance(data, bytes):
            digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "little") + data)
    return digest.digest()


def _record_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST).digest()


def reread(folder: Path, key: str, contents: dict[str, bytes | OSError],
            records: list[tuple[str, bytes]]) -> Session | None:
    """The folder read again after a change to relations.yaml alone: the relations whose
    text is unchanged since the last load of the folder come from that load's cache entry,
    only the others are read; the checks across records run on them all. None when this
    cannot be done (another file changed, no entry, records that refer to each other) or
    when it meets a problem: a full load then reads everything and reports it."""
    previous = graph_cache.last_key(folder)
    entry = graph_cache.read_indexed(previous) if previous and previous != key else None
    if entry is None:
        return None
    sources, entities, relations, texts, index = entry
    if (len(index) != _DIGEST * (len(relations) + 1) or index[:_DIGEST] != others_digest(contents)
            or texts != texts_key(folder, sources.values())):
        return None
    known = {index[_DIGEST * n:_DIGEST * (n + 1)]: relation for n, relation in enumerate(relations, 1)}
    session = Session(marked=False, folder=folder)
    try:
        if "sources.yaml" in contents:  # its texts anchor the quotes of the relations read again
            read_file(folder / "sources.yaml", "source", session, contents["sources.yaml"])
        session.entities = dict(entities)
        session.entities_read = True
        _reread_relations(FileReader(str(folder / _RELATIONS), session), records, known)
        check_cycles(session)
    except (NeedMarks, Invalid, yaml.YAMLError, fast.NotOneRecord):
        return None
    return None if session.unreadable or session.sources != sources else session


def _reread_relations(reader: FileReader, records: list[tuple[str, bytes]], known: dict[bytes, Relation]) -> None:
    """Each relation, in the file's order: known by its text's digest, or read."""
    session = reader.session
    for record, digest in records:
        relation = known.get(digest)
        if relation is None:
            count = len(session.relations)
            (node,) = fast.records(record)
            read_relation(reader, node, session)
            if len(session.relations) != count + 1:
                raise NeedMarks
        elif ("relation", relation.id) in session.defined_at:
            raise NeedMarks  # the same statement twice: the full load says where
        else:
            session.defined_at[("relation", relation.id)] = (reader.file, 0)
            session.relations[relation.id] = relation


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
