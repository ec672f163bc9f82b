"""Reading again what changed: when only relations.yaml changed, its unchanged blocks of
records come from the cache, and only the blocks around the change are read and cached."""

from __future__ import annotations

import re
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import yaml

from kg.folder import cache as graph_cache
from kg.folder import fast
from kg.folder.checks import check_cycles
from kg.folder.keys import checked_texts_key
from kg.folder.reading import read_file
from kg.folder.records import read_relation
from kg.folder.session import FileReader, Invalid, NeedMarks, Session
from kg.model import Relation
from kg.vocabulary import RELATION_TYPES

__all__ = ["Parts", "cache_parts", "reread"]

_RELATIONS = "relations.yaml"
# An anchor or an alias: a record that may stand for another one's text cannot be read alone.
_ANCHOR_OR_ALIAS = re.compile(r"(?<![^ \t\n\[{,])[&*][^ \t\n\[\]{},]")
Parts = list[tuple[str, Any]]  # cache parts: name, and content (None: in the cache already)


def _entities_part(contents: dict[str, bytes | OSError], texts: str) -> str:
    """The name of the cache part that holds the sources and entities: every file but
    relations.yaml, and the source texts their quotes are anchored in (``texts_key``)."""
    return graph_cache.cache_key([*((name, data) for name, data in contents.items()
                                    if name != _RELATIONS and isinstance(data, bytes)), ("texts", texts.encode())])


def _blocks(first: str, texts: str, data: bytes) -> list[tuple[str, memoryview, int]]:
    """relations.yaml's blocks of records, each with its cache part's name and count of records."""
    return [(graph_cache.cache_key([(first + texts, block)]), block, count)
            for block, count in graph_cache.blocks(data)]


def cache_parts(folder: Path, contents: dict[str, bytes | OSError], session: Session) -> Parts:
    """What the cache keeps of a folder read in full: its sources and entities, and its
    relations by block of relations.yaml (all in one when its blocks cannot be read alone)."""
    texts = checked_texts_key(session.sources.values(), session.texts)
    first = _entities_part(contents, texts)
    relations = list(session.relations.values())
    data = contents.get(_RELATIONS)
    data = data if isinstance(data, bytes) else b""
    blocks = _blocks(first, texts, data)
    if sum(count for _, _, count in blocks) != len(relations) or _block_text(data) is None:
        blocks = [(graph_cache.cache_key([(first + texts + "whole", data)]), memoryview(data), len(relations))]
    parts: Parts = [(first, (session.sources, session.entities))]
    done = 0
    for name, _, count in blocks:
        parts.append((name, tuple(relations[done:done + count])))
        done += count
    return parts


def _block_text(data: bytes | memoryview) -> str | None:
    """A block's text, if its records can be read alone: UTF-8, a plain list, no anchors or aliases."""
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError:
        return None
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text):
        return None
    return text if fast.record_texts(text) is not None else None


def reread(folder: Path, contents: dict[str, bytes | OSError]) -> tuple[Session | None, Parts | None]:
    """The folder read again after a change to relations.yaml alone: the blocks of
    relations whose text is unchanged come from the cache, only the others are read; the
    checks across records run on them all. Also the cache parts of what was read. (None,
    None) when this cannot be done (another file changed, records that refer to each
    other) or when it meets a problem: a full load then reads everything and reports it."""
    if not isinstance(contents.get(_RELATIONS), bytes):
        return None, None
    session = Session(marked=False, folder=folder)
    try:
        if "sources.yaml" in contents:  # its texts anchor the quotes of the relations read again
            read_file(folder / "sources.yaml", "source", session, contents["sources.yaml"])
        texts = checked_texts_key(session.sources.values(), session.texts)
        first = _entities_part(contents, texts)
        cached = graph_cache.read_entities(first)
        if cached is None:
            return None, None
        sources, entities = cached
        session.entities = dict(entities)
        session.entities_read = True
        reader = FileReader(str(folder / _RELATIONS), session)
        parts = [(first, None)] + [(name, _reread_block(reader, name, block, count))
                                   for name, block, count in _blocks(first, texts, contents[_RELATIONS])]
        check_cycles(session)
    except (NeedMarks, Invalid, yaml.YAMLError, fast.NotOneRecord):
        return None, None
    if session.unreadable or session.sources != sources:
        return None, None
    return session, parts


def _reread_block(reader: FileReader, name: str, block: memoryview, count: int) -> tuple[Relation, ...] | None:
    """Add a block's relations to the session: from the cache (then None), or read (then them)."""
    session = reader.session
    before = len(session.relations)
    relations = graph_cache.read_relations(name)
    if relations is None:
        text = _block_text(block)
        if text is None:
            raise NeedMarks
        for node in fast.records(text):
            read_relation(reader, node, session)
        if len(session.relations) != before + count:
            raise NeedMarks
        return tuple(islice(reversed(session.relations.values()), count))[::-1]
    session.relations.update(zip(map(itemgetter(0), relations), relations))  # by id
    if len(session.relations) != before + count:
        raise NeedMarks  # the same statement twice: the full load says where
    session.defined_at.update(
        (("relation", r.id), (reader.file, 0)) for r in relations if RELATION_TYPES[r.type].acyclic)
    return None
