"""Reading again what changed: when only relations.yaml changed, its unchanged blocks of
records come from the cache, and only the blocks around the change are read and cached."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from kg.columns import Block, Columnar, block_of
from kg.folder.cache import Cut
from kg.folder import cache as graph_cache
from kg.folder import fast
from kg.folder.checks import check_cycles
from kg.folder.keys import RELATIONS, checked_texts_key
from kg.folder.reading import read_file
from kg.folder.records import read_relation
from kg.folder.session import FileReader, Invalid, NeedMarks, Session
from kg.model import Relation

__all__ = ["Parts", "cache_parts", "reread"]

# An anchor or an alias: a record that may stand for another one's text cannot be read alone.
_ANCHOR_OR_ALIAS = re.compile(r"(?<![^ \t\n\[{,])[&*][^ \t\n\[\]{},]")
Parts = list[tuple[str, Any]]  # cache parts: name, and content (None: in the cache already)


def _entities_part(contents: dict[str, bytes | OSError], texts: str) -> str:
    """The name of the cache part that holds the sources and entities: every file but
    relations.yaml, and the source texts their quotes are anchored in (``texts_key``)."""
    return graph_cache.cache_key([*((name, data) for name, data in contents.items()
                                    if name != RELATIONS and isinstance(data, bytes)), ("texts", texts.encode())])


def _named(first: str, texts: str, cuts: list[Cut]) -> list[tuple[str, memoryview, int]]:
    """relations.yaml's blocks, each with its cache part's name (from the block's hash) and count of records."""
    return [(graph_cache.cache_key([(first + texts, cut.digest)]), cut.text, cut.count) for cut in cuts]


def cache_parts(contents: dict[str, bytes | OSError], cuts: list[Cut], session: Session) -> Parts:
    """What the cache keeps of a folder read in full: its sources and entities, and its
    relations by block of relations.yaml, ``cuts`` (all in one when its blocks cannot be read alone)."""
    texts = checked_texts_key(session.sources.values(), session.texts)
    first = _entities_part(contents, texts)
    relations = list(session.relations.values())
    data = contents.get(RELATIONS)
    data = data if isinstance(data, bytes) else b""
    blocks = _named(first, texts, cuts)
    if sum(count for _, _, count in blocks) != len(relations) or _block_text(data) is None:
        whole = b"".join(cut.digest for cut in cuts)
        blocks = [(graph_cache.cache_key([(first + texts + "whole", whole)]), memoryview(data), len(relations))]
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


def reread(folder: Path, contents: dict[str, bytes | OSError],
           cuts: list[Cut]) -> tuple[Session | None, Parts | None, Columnar | None]:
    """The folder read again after a change to relations.yaml alone, cut into ``cuts``: the blocks of
    relations whose text is unchanged come from the cache, as columns, only the others are
    read; the checks across records (duplicates, cycles) run on the columns of them all, and
    the records are made when the graph is first asked for them. Also the cache parts of what
    was read. (None, None, None) when this cannot be done (another file changed, records that
    refer to each other) or when it meets a problem: a full load then reads everything and
    reports it."""
    if not isinstance(contents.get(RELATIONS), bytes):
        return None, None, None
    session = Session(marked=False, folder=folder)
    try:
        if "sources.yaml" in contents:  # its texts anchor the quotes of the relations read again
            read_file(folder / "sources.yaml", "source", session, contents["sources.yaml"])
        texts = checked_texts_key(session.sources.values(), session.texts)
        first = _entities_part(contents, texts)
        cached = graph_cache.read_entities(first)
        if cached is None:
            return None, None, None
        sources, entities = cached
        session.entities = dict(entities)
        session.entities_read = True
        reader = FileReader(str(folder / RELATIONS), session)
        parts: Parts = [(first, None)]
        blocks = []
        for name, block, count in _named(first, texts, cuts):
            columns, made = _reread_block(reader, name, block, count)
            parts.append((name, made))
            blocks.append(columns)
        relations = Columnar(blocks)
        if len(set(relations.ids())) != len(relations):
            raise NeedMarks  # the same statement twice: the full load says where
        check_cycles(session, relations.acyclic())
    except (NeedMarks, Invalid, yaml.YAMLError, fast.NotOneRecord):
        return None, None, None
    if session.unreadable or session.sources != sources:
        return None, None, None
    return session, parts, relations


def _reread_block(reader: FileReader, name: str, block: memoryview,
                  count: int) -> tuple[Block, tuple[Relation, ...] | None]:
    """A block of relations: from the cache (then None beside it), or read (then its records
    too, to cache them)."""
    session = reader.session
    cached = graph_cache.read_relations(name)
    if cached is None:
        before = len(session.relations)
        text = _block_text(block)
        if text is None:
            raise NeedMarks
        for node in fast.records(text):
            read_relation(reader, node, session)
        if len(session.relations) != before + count:
            raise NeedMarks
        made = tuple(islice(reversed(session.relations.values()), count))[::-1]
        return block_of(made), made
    if cached.count != count:
        raise NeedMarks
    session.defined_at.update((("relation", row[0]), (reader.file, 0)) for row in cached.acyclic)
    return cached, None
