"""A data folder's records: each file's schema, and readers that build a Source, Entity or Relation."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from kg import texts as source_texts
from kg._words import article
from kg.dates import span
from kg.folder.fields import (LANGUAGE, URL, WIKIDATA, choice, choice_list, citations, date, entity_ref, entity_refs,
                              long_text, moment, nested_records, number, pattern_reader, slug, source_ref, text,
                              text_list)
from kg.folder.nodes import Node
from kg.folder.session import INVALID, Field, FileReader, Invalid, Schema, Session
from kg.model import RELATION_FIELDS, Entity, Figure, Relation, RelationField, Source, statement_id
from kg.vocabulary import (ENTITY_KINDS, FIGURE_MEASURES, FIGURE_QUALIFIERS, QUALIFIERS, RELATION_TYPES, STATUSES,
                           SUPPORT_KINDS)

__all__ = ["CANDIDATES_FILE", "READERS", "read_relation"]

_FIGURE_FIELDS = Schema({
    "measure": Field(choice(FIGURE_MEASURES, "figure measure"), True),
    "value": Field(number(0), True),
    "sources": Field(citations, True),
    "qualifier": Field(choice(FIGURE_QUALIFIERS, "figure qualifier")),
    "of": Field(entity_ref()),
    "label": Field(text),
    "counted_by": Field(entity_ref("actor")),
    "place": Field(entity_ref("place")),
    "date": Field(date),
    "note": Field(long_text),
})

_figures = nested_records("a figure", _FIGURE_FIELDS, dict)

_SOURCE_FIELDS = Schema({
    "id": Field(slug, True),
    "title": Field(text, True),
    "publisher": Field(text, True),
    "date": Field(date, True),
    "url": Field(pattern_reader(URL, "an http or https address")),
    "authors": Field(text_list),
    "language": Field(pattern_reader(LANGUAGE, "a language tag such as 'en' or 'ar'")),
    "note": Field(long_text),
    "text": Field(text),
})

_ENTITY_FIELDS = {
    "id": Field(slug, True),
    "name": Field(text, True),
    "kind": Field(choice(ENTITY_KINDS, "entity kind"), True),
    "aliases": Field(text_list),
    "description": Field(long_text),
    "wikidata": Field(pattern_reader(WIKIDATA, "a Wikidata item id such as 'Q41183'")),
    "sources": Field(citations),
    "figures": Field(_figures),
}

_CATEGORY_FIELDS = {
    "actor": Schema(_ENTITY_FIELDS),
    "place": Schema({
        **_ENTITY_FIELDS,
        "within": Field(entity_ref("place")),
        "lat": Field(number(-90, 90)),
        "lon": Field(number(-180, 180)),
    }),
    "event": Schema({
        **_ENTITY_FIELDS,
        "date": Field(moment),
        "start": Field(moment),
        "end": Field(moment),
        "place": Field(entity_ref("place")),
    }),
}

# How a relation's field is read, by what it holds (see kg.model.RELATION_FIELDS).
_VALUE_READERS: dict[str, Callable[[RelationField], Callable]] = {
    "id": lambda field: slug,
    "type": lambda field: choice(RELATION_TYPES, "relation type"),
    "end": lambda field: slug,  # checked against the type's domain or range once the type is known
    "citations": lambda field: citations,
    "figures": lambda field: _figures,
    "entities": lambda field: entity_refs(*field.range),
    "entity": lambda field: entity_ref(*field.range),
    "support-kinds": lambda field: choice_list(SUPPORT_KINDS, "support kind"),
    "text": lambda field: text,
    "long-text": lambda field: long_text,
    "moment": lambda field: moment,
    "status": lambda field: choice(STATUSES, "status"),
}

_RELATION_FIELDS = Schema({
    **{field.name: Field(_VALUE_READERS[field.value](field), field.required)
       for field in sorted(RELATION_FIELDS, key=lambda field: not field.required)},
    "candidate": Field(lambda reader, node, name: _candidate(reader, node, name)),
})

_CANDIDATE_FIELDS = Schema({
    "cue": Field(text, True),
    "direction": Field(choice({"subject first": 1, "object first": 1, "either way": 1}, "direction"), True),
    "hedge": Field(text),
    "as_of": Field(date),
    "repeats": Field(slug),
})


def _candidate(reader: FileReader, node: Node, field_name: str) -> dict:
    """Why ``kg suggest`` proposed a statement: refused in data, read in a candidates file."""
    if not reader.session.candidates:
        raise reader.fail(node, "candidate: a statement proposed by kg suggest, not confirmed; check it against "
                                "its source, then delete this field")
    values, nodes = reader.fields(node, "a candidate", _CANDIDATE_FIELDS)
    repeats = values.get("repeats")
    if repeats not in (None, INVALID) and repeats not in reader.session.relations:
        raise reader.fail(nodes["repeats"], f"repeats: '{repeats}' is not a statement of the data")
    return values


def _candidate_relations(reader: FileReader, node: Node, field_name: str) -> int:
    """Read each candidate statement as a relation; returns how many there are."""
    items = reader.items(node, field_name)
    for item in items:
        try:
            read_relation(reader, item, reader.session)
        except Invalid:
            continue
    return len(items)


CANDIDATES_FILE = Schema({
    "kg-candidates": Field(number(1, 1), True),
    "source": Field(source_ref, True),
    "document": Field(text),
    "mentions": Field(nested_records("a mention", Schema({
        "entity": Field(entity_ref(), True), "count": Field(number(1), True), "names": Field(text_list),
    }), dict)),
    "entities": Field(nested_records("a candidate entity", Schema({
        "name": Field(text, True), "count": Field(number(1), True), "sentences": Field(text_list),
    }), dict)),
    "relations": Field(_candidate_relations),
})


def _read_source(reader: FileReader, node: Node, session: Session) -> None:
    values, nodes = reader.fields(node, "a source", _SOURCE_FIELDS)
    if not _claim_id(reader, node, nodes, values, "source") or INVALID in values.values():
        return
    if "text" in values:
        _read_source_text(reader, nodes["text"], values["id"], values["text"])
    session.sources[values["id"]] = Source(**values)


def _read_source_text(reader: FileReader, node: Node, source_id: str, name: str) -> None:
    """Keep the source's text for anchoring its quotes; an absent file is left to
    ``kg.texts.coverage`` to note, one that cannot be read is reported."""
    try:
        text = source_texts.read_text(reader.session.folder, name)
    except UnicodeDecodeError as err:
        reader.report(node, f"text: {name} is not valid UTF-8 (byte {err.start}); save it as UTF-8")
        return
    except OSError as err:
        reader.report(node, f"text: {name} cannot be read: {err.strerror}")
        return
    if text is not None:
        reader.session.texts[source_id] = (name, text)


def _read_entity(category: str) -> Callable:
    schema = _CATEGORY_FIELDS[category]

    def read(reader: FileReader, node: Node, session: Session) -> None:
        values, nodes = reader.fields(node, article(category), schema)
        kind = values.get("kind")
        if kind not in (None, INVALID) and ENTITY_KINDS[kind].category != category:
            reader.report(
                nodes["kind"],
                f"kind '{kind}' is {article(ENTITY_KINDS[kind].category)} kind; "
                f"{Path(reader.file).name} holds {category}s",
            )
            values["kind"] = INVALID
        _spread_event_date(reader, nodes, values)
        _check_span(reader, nodes, values)
        if not _claim_id(reader, node, nodes, values, "entity") or INVALID in values.values():
            return
        figures = _make_figures(values.pop("figures", ()), values["id"])
        session.entities[values["id"]] = Entity(**values, figures=figures)

    return read


def read_relation(reader: FileReader, node: Node, session: Session) -> None:
    values, nodes = reader.fields(node, "a relation", _RELATION_FIELDS)
    relation_type = RELATION_TYPES.get(values.get("type"))
    if relation_type is not None:
        _check_qualifiers(reader, nodes, values, relation_type.name, relation_type.qualifiers)
    owner = relation_type and relation_type.name
    for end, allowed in (("subject", relation_type and relation_type.domain),
                         ("object", relation_type and relation_type.range)):
        if values.get(end) not in (None, INVALID):
            reader.refer(nodes[end], end, values[end], expected=allowed, owner=owner)
    _check_claim(reader, nodes, values)
    _check_span(reader, nodes, values)
    if INVALID in values.values():
        return
    if session.candidates:  # each candidate stands alone; it may repeat a statement or another candidate
        return
    explicit = "id" in values
    if not explicit:
        values["id"] = statement_id(values, relation_type.symmetric)
    if _claim_id(reader, node, nodes, values, "relation", explicit=explicit):
        if "figures" in values:
            values["figures"] = _make_figures(values["figures"], values["id"])
        session.relations[values["id"]] = Relation(**values)


def _check_qualifiers(reader: FileReader, nodes: dict[str, Node], values: dict, type_name: str,
                      allowed: tuple[str, ...]) -> None:
    for qualifier in QUALIFIERS:
        if qualifier in values and qualifier not in allowed:
            takes = ", ".join(allowed) or "no qualifiers"
            reader.report(nodes[qualifier], f"'{qualifier}' does not apply to '{type_name}'; it takes: {takes}")
            values[qualifier] = INVALID


def _claim_id(reader: FileReader, node: Node, nodes: dict[str, Node], values: dict, namespace: str,
              explicit: bool = True) -> bool:
    """Register an id, reporting a duplicate; returns whether the record may be kept.

    An id is registered even when other fields of its record are wrong, so that references
    to it are not reported a second time as unknown.
    """
    if values.get("id") in (None, INVALID):
        return False
    key = (namespace, values["id"])
    first = reader.session.defined_at.get(key)
    if first is not None:
        where = f"line {first[1]}" if first[0] == reader.file else f"{Path(first[0]).name}:{first[1]}"
        if explicit:
            message = f"duplicate id '{values['id']}' (first defined at {where})"
        else:
            message = f"duplicate statement (same as the one at {where}); merge their sources or give each an id"
        reader.report(nodes["id"] if explicit else node, message)
        return False
    reader.session.defined_at[key] = (reader.file, getattr(node, "line", reader.line))
    return True


def _spread_event_date(reader: FileReader, nodes: dict[str, Node], values: dict) -> None:
    """An event's ``date`` is shorthand for the same ``start`` and ``end``."""
    if "date" not in values:
        return
    if "start" in values or "end" in values:
        reader.report(nodes["date"], "give either date or start/end, not both")
        values["start"] = INVALID
    else:
        values["start"] = values["end"] = values["date"]
    del values["date"]


def _check_span(reader: FileReader, nodes: dict[str, Node], values: dict) -> None:
    start, end = values.get("start"), values.get("end")
    if start in (None, INVALID) or end in (None, INVALID):
        return
    first, last = span(start, end).possible
    if last < first:
        reader.report(nodes["end"], f"end {end} is before start {start}")
        values["end"] = INVALID


def _check_claim(reader: FileReader, nodes: dict[str, Node], values: dict) -> None:
    status = values.get("status", "stated")
    if status == "claimed" and "claimed_by" not in values:
        reader.report(nodes["status"], "status 'claimed' needs claimed_by: the actor who claims it")
        values["status"] = INVALID
    elif "claimed_by" in values and status not in ("claimed", INVALID):
        reader.report(nodes["claimed_by"], f"claimed_by goes with status 'claimed', not '{status}'")
        values["claimed_by"] = INVALID


def _make_figures(figure_values: Iterable[dict], about: str) -> tuple[Figure, ...]:
    return tuple(Figure(about=about, **values) for values in figure_values)


READERS = {
    "source": _read_source,
    "actor": _read_entity("actor"),
    "place": _read_entity("place"),
    "event": _read_entity("event"),
    "relation": read_relation,
}
