"""Write a KnowledgeGraph back out as a data folder of YAML files, in canonical form.

Canonical form: records in the graph's order, fields in the data dictionary's order,
defaults left out (status ``stated``, empty lists, a relation id that is the one kg would
generate), block style, and quotes only where YAML needs them. Loading a dumped folder
gives back an equal graph, so ``dump`` also tidies a hand-edited folder.

>>> import kg, tempfile
>>> folder = dump(kg.load(), tempfile.mkdtemp())
>>> kg.load(folder, cache=False) == kg.load()
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.resolver import Resolver

from kg.files import write_atomically
from kg.graph import KnowledgeGraph
from kg.folder.finding import DATA_FILES
from kg.model import RELATION_FIELDS, REQUIRED, Citation, Entity, Figure, Relation, Source, statement_id

__all__ = ["dump"]

_ENTITY_FIELDS = ("id", "name", "kind", "aliases", "description", "wikidata", "within", "lat", "lon")
# A statement reads type, subject and object first, then its id; its evidence (sources, figures) comes last.
_RELATION_FIELDS = (*(field.name for field in RELATION_FIELDS if field.value in ("type", "end")), "id",
                    *(field.name for field in RELATION_FIELDS
                      if field.value not in ("id", "type", "end", "citations", "figures")))
_FIGURE_FIELDS = ("measure", "value", "qualifier", "of", "label", "counted_by", "place", "date", "note")
_SOURCE_FIELDS = ("id", "title", "publisher", "date", "url", "authors", "language", "note", "text")
_DEFAULTS = {"qualifier": "exactly", **{field.name: field.default for field in RELATION_FIELDS
                                        if field.default not in (None, (), REQUIRED)}}
_DATE_FIELDS = {"date", *(field.name for field in RELATION_FIELDS if field.value == "moment")}


def dump(graph: KnowledgeGraph, folder: str | os.PathLike) -> Path:
    """Write ``graph`` to ``folder`` (created if needed) as sources, actors, places, events
    and relations YAML files; each file is written atomically. Returns the folder."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    by_category: dict[str, list[dict]] = {"source": [_source(s) for s in graph.sources.values()]}
    for entity in graph.entities.values():
        by_category.setdefault(entity.category, []).append(_entity(entity))
    by_category["relation"] = [_relation(r) for r in graph.relations()]
    for name, category in DATA_FILES.items():
        records = by_category.get(category, [])
        write_atomically(target / name, lambda out, records=records: _write(records, out))
    return target


def _write(records: list[dict], out) -> None:
    if records:
        yaml.dump(records, out, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**31 - 1)


def _fields(record: Any, names: Iterable[str]) -> dict[str, Any]:
    """The record's fields that differ from their defaults, with tuples as lists."""
    out = {}
    for name in names:
        value = getattr(record, name)
        if value in (None, (), _DEFAULTS.get(name)):
            continue
        out[name] = _Date(value) if name in _DATE_FIELDS else list(value) if isinstance(value, tuple) else value
    return out


def _citations(citations: tuple[Citation, ...]) -> list[dict]:
    return [{"source": c.source, "quote": c.quote, **({"occurrence": c.occurrence} if c.occurrence else {})}
            for c in citations]


def _with_evidence(out: dict, record: Entity | Relation | Figure) -> dict:
    if record.sources:
        out["sources"] = _citations(record.sources)
    figures = getattr(record, "figures", ())
    if figures:
        out["figures"] = [_with_evidence(_fields(f, _FIGURE_FIELDS), f) for f in figures]
    return out


def _entity(entity: Entity) -> dict:
    out = _fields(entity, _ENTITY_FIELDS)
    if entity.start is not None and entity.start == entity.end:
        out["date"] = _Date(entity.start)
    else:
        out.update(_fields(entity, ("start", "end")))
    out.update(_fields(entity, ("place",)))
    return _with_evidence(out, entity)


def _relation(relation: Relation) -> dict:
    out = _fields(relation, _RELATION_FIELDS)
    generated = statement_id({name: getattr(relation, name) for name in _RELATION_FIELDS}, relation.symmetric)
    if relation.id == generated:
        del out["id"]
    return _with_evidence(out, relation)


def _source(source: Source) -> dict:
    return _fields(source, _SOURCE_FIELDS)


class _Date(str):
    """A partial date, written without quotes (kg reads 2016 and 2016-12-01 as dates)."""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with partial dates written plain and lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_date(dumper: yaml.SafeDumper, value: _Date) -> yaml.ScalarNode:
    tag = Resolver().resolve(yaml.ScalarNode, str(value), (True, False))
    return dumper.represent_scalar(tag, str(value))


_Dumper.add_representer(_Date, _represent_date)
