"""Read a folder of kg YAML files into a KnowledgeGraph, or report every problem in it.

The loader composes each file into YAML nodes (libyaml when available), so that every
value keeps its line and column, and reads the nodes against the field tables below. It
checks everything in one pass and collects problems; ``load`` raises a single
``DataError`` holding all of them, and never returns a half-built graph.

>>> problems = validate()   # the bundled data
>>> problems
[]
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from kg.dates import EXPECTED as DATE_FORMATS
from kg.dates import check_date, earliest, latest
from kg.errors import DataError, Problem, unknown_term_message
from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.vocabulary import (
    ENTITY_KINDS,
    FIGURE_MEASURES,
    FIGURE_QUALIFIERS,
    QUALIFIERS,
    RELATION_TYPES,
    STATUSES,
    SUPPORT_KINDS,
    kind_matches,
)

__all__ = ["DATA_FILES", "bundled_data_dir", "load", "validate"]

#: The files of a data folder, in the order they are read, and what each holds.
DATA_FILES = {
    "sources.yaml": "source",
    "actors.yaml": "actor",
    "places.yaml": "place",
    "events.yaml": "event",
    "relations.yaml": "relation",
}

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _SEQ, _MAP, _MERGE = (_TAG + name for name in ("str", "null", "seq", "map", "merge"))
_INT, _FLOAT, _BOOL, _TIMESTAMP = (_TAG + name for name in ("int", "float", "bool", "timestamp"))
_SCALAR_TYPE_NAMES = {_INT: "a number", _FLOAT: "a number", _BOOL: "a boolean", _TIMESTAMP: "a date",
                      _MERGE: "a merge key"}
_KNOWN_TAGS = {_STR, _NULL, _SEQ, _MAP, _MERGE, _INT, _FLOAT, _BOOL, _TIMESTAMP}

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# C0 and C1 controls (tab and newline are allowed only in multi-line text) and lone surrogates.
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_NEWLINES = re.compile(r"[\t\n]")
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_MAX_NESTING = 200

# Cap the did-you-mean searches, each a scan over every id, so huge bad inputs stay fast.
_SUGGESTION_BUDGET = 200


def bundled_data_dir() -> Path:
    """The folder of the dataset that ships with kg.

    >>> (bundled_data_dir() / "relations.yaml").is_file()
    True
    """
    installed = Path(str(resources.files("kg"))) / "data"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "data"


def load(path: str | Path | None = None) -> KnowledgeGraph:
    """Load a data folder (the bundled dataset by default) into a KnowledgeGraph.

    Raises ``DataError`` listing every problem when the data is not valid.

    >>> g = load()
    >>> g.resolve("Turkey").id
    'turkiye'
    """
    graph, problems = _read_folder(path)
    if problems:
        raise DataError(problems)
    return graph


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in a data folder (the bundled dataset by default), sorted by place."""
    return _read_folder(path)[1]


# --------------------------------------------------------------------------- reading


@dataclass
class _Reference:
    """An id that must name a record of the right kind; checked once every file is read."""

    file: str
    line: int
    column: int
    field: str
    target: str
    expected: tuple[str, ...] | None = None  # kinds or categories; None: any entity
    owner: str | None = None  # the relation type whose domain or range this is
    is_source: bool = False


@dataclass
class _Session:
    """What reading a folder accumulates: records, references to check, problems."""

    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    defined_at: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    references: list[_Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # a file could not be parsed, so its ids are unknown


class _Invalid(Exception):
    """Raised inside a field reader after the problem has been reported."""


class _FileReader:
    """Reads the nodes of one file, reporting problems at their line and column."""

    def __init__(self, file: str, session: _Session):
        self.file = file
        self.session = session

    # -- reporting

    def report(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.session.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, message))

    def fail(self, node: yaml.Node, message: str) -> _Invalid:
        self.report(node, message)
        return _Invalid()

    def refer(self, node: yaml.Node, field_name: str, target: str, **details: Any) -> None:
        mark = node.start_mark
        self.session.references.append(
            _Reference(self.file, mark.line + 1, mark.column + 1, field_name, target, **details)
        )

    # -- structure

    def check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _KNOWN_TAGS:
            shown = "!!" + node.tag[len(_TAG):] if node.tag.startswith(_TAG) else node.tag
            raise self.fail(node, f"unsupported YAML tag '{shown}'; kg reads plain YAML only")

    def fields(self, node: yaml.Node, what: str, schema: dict[str, "_Field"]) -> dict[str, Any]:
        """Read a mapping against ``schema``; returns the values of the fields that are fine."""
        pairs = self.pairs(node, what)
        values: dict[str, Any] = {}
        for key, (key_node, value_node) in pairs.items():
            spec = schema.get(key)
            if spec is None:
                self.report(key_node, unknown_term_message("field", key, schema, where=f"in {what}"))
                continue
            try:
                value = spec.read(self, value_node, key)
            except _Invalid:
                values[key] = _INVALID
                continue
            if value is not None:
                values[key] = value
        for key, spec in schema.items():
            if spec.required and key not in values:
                self.report(node, f"{what} is missing required field '{key}'")
                values[key] = _INVALID
        return values

    def pairs(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The key/value nodes of a mapping, with ``<<`` merges applied and duplicates reported."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"expected a mapping for {what}, got {_describe(node)}")
        self.check_tag(node)
        explicit: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                for source in self.merge_sources(value_node):
                    for key, pair in self.pairs(source, what).items():
                        merged.setdefault(key, pair)
                continue
            key = self.key(key_node)
            if key in explicit:
                first = explicit[key][0].start_mark.line + 1
                self.report(key_node, f"duplicate key '{key}' (first at line {first})")
                continue
            explicit[key] = (key_node, value_node)
        return {**merged, **explicit}

    def merge_sources(self, node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        return [node]

    def key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            raise self.fail(node, f"expected a field name, got {_describe(node)}")
        return node.value

    def items(self, node: yaml.Node, field_name: str) -> list[yaml.Node]:
        """The items of a sequence; a single scalar counts as a one-item list."""
        self.check_tag(node)
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode):
            return [node]
        raise self.fail(node, f"{field_name}: expected a list, got {_describe(node)}")


# --------------------------------------------------------------------------- field readers

_INVALID = object()  # the value of a field whose problem was already reported


def _scalar(reader: _FileReader, node: yaml.Node, field_name: str) -> yaml.ScalarNode | None:
    reader.check_tag(node)
    if not isinstance(node, yaml.ScalarNode):
        raise reader.fail(node, f"{field_name}: expected a single value, got {_describe(node)}")
    return None if node.tag == _NULL else node


def _text(reader: _FileReader, node: yaml.Node, field_name: str, multiline: bool = False) -> str | None:
    scalar = _scalar(reader, node, field_name)
    if scalar is None:
        return None
    if scalar.tag != _STR:
        kind = _SCALAR_TYPE_NAMES.get(scalar.tag, "something other than text")
        raise reader.fail(
            node, f"{field_name}: {scalar.value} reads as {kind} in YAML; put it in quotes if you mean the text"
        )
    value = scalar.value
    bad = _FORBIDDEN_CHARS.search(value) or (None if multiline else _NEWLINES.search(value))
    if bad:
        raise reader.fail(node, f"{field_name}: text contains the control character U+{ord(bad.group()):04X}")
    if not value.strip():
        raise reader.fail(node, f"{field_name}: text is empty")
    return value


def _long_text(reader: _FileReader, node: yaml.Node, field_name: str) -> str | None:
    return _text(reader, node, field_name, multiline=True)


def _pattern_reader(pattern: re.Pattern, hint: str) -> Callable:
    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> str | None:
        value = _text(reader, node, field_name)
        if value is not None and not pattern.fullmatch(value):
            raise reader.fail(node, f"{field_name}: {value!r} is not {hint}")
        return value

    return read


_slug = _pattern_reader(_ID, "a valid id: use lowercase letters, digits and single hyphens, like 'syrian-arab-army'")


def _choice(table: dict, what: str) -> Callable:
    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> str | None:
        value = _text(reader, node, field_name)
        if value is not None and value not in table:
            raise reader.fail(node, unknown_term_message(what, value, table))
        return value

    return read


def _text_list(reader: _FileReader, node: yaml.Node, field_name: str) -> tuple[str, ...] | None:
    values = [_text(reader, item, field_name) for item in reader.items(node, field_name)]
    return tuple(value for value in values if value is not None) or None


def _choice_list(table: dict, what: str) -> Callable:
    read_one = _choice(table, what)

    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> tuple[str, ...] | None:
        values, failed = [], False
        for item in reader.items(node, field_name):
            try:
                values.append(read_one(reader, item, field_name))
            except _Invalid:
                failed = True
        if failed:
            raise _Invalid()
        return tuple(value for value in values if value is not None) or None

    return read


def _entity_ref(*expected: str) -> Callable:
    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> str | None:
        value = _slug(reader, node, field_name)
        if value is not None:
            reader.refer(node, field_name, value, expected=expected or None)
        return value

    return read


def _entity_refs(*expected: str) -> Callable:
    read_one = _entity_ref(*expected)

    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> tuple[str, ...] | None:
        values = [read_one(reader, item, field_name) for item in reader.items(node, field_name)]
        return tuple(value for value in values if value is not None) or None

    return read


def _source_ref(reader: _FileReader, node: yaml.Node, field_name: str) -> str | None:
    value = _slug(reader, node, field_name)
    if value is not None:
        reader.refer(node, field_name, value, is_source=True)
    return value


def _date(reader: _FileReader, node: yaml.Node, field_name: str) -> str | None:
    scalar = _scalar(reader, node, field_name)
    if scalar is None:
        return None
    problem = check_date(scalar.value)
    if problem:
        raise reader.fail(node, f"{field_name}: bad date '{scalar.value}': {problem}; {DATE_FORMATS}")
    return scalar.value


def _number(low: float | None = None, high: float | None = None) -> Callable:
    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> int | float | None:
        scalar = _scalar(reader, node, field_name)
        if scalar is None:
            return None
        text = scalar.value.replace("_", "")
        if scalar.tag == _INT and _DECIMAL_INT.fullmatch(text):
            value: int | float = int(text)
        elif scalar.tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(text):
            value = float(text)
        else:
            raise reader.fail(node, f"{field_name}: expected a decimal number, got '{scalar.value}'")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise reader.fail(node, f"{field_name}: {scalar.value} is not {bounds}")
        return value

    return read


def _records(what: str, schema: dict[str, "_Field"], build: Callable[[dict], Any]) -> Callable:
    """A reader for a list of nested records (citations, figures); fails if any item does."""

    def read(reader: _FileReader, node: yaml.Node, field_name: str) -> tuple | None:
        records, failed = [], False
        for item in reader.items(node, field_name):
            try:
                values = reader.fields(item, what, schema)
            except _Invalid:
                values = {None: _INVALID}
            if _INVALID in values.values():
                failed = True
            else:
                records.append(build(values))
        if failed:
            raise _Invalid()
        return tuple(records) or None

    return read


@dataclass(frozen=True)
class _Field:
    read: Callable[[_FileReader, yaml.Node, str], Any]
    required: bool = False


_CITATION_FIELDS = {"source": _Field(_source_ref, True), "quote": _Field(_text, True)}
_citations = _records("a citation", _CITATION_FIELDS, lambda values: Citation(**values))

_FIGURE_FIELDS = {
    "measure": _Field(_choice(FIGURE_MEASURES, "figure measure"), True),
    "value": _Field(_number(0), True),
    "sources": _Field(_citations, True),
    "qualifier": _Field(_choice(FIGURE_QUALIFIERS, "figure qualifier")),
    "of": _Field(_entity_ref()),
    "label": _Field(_text),
    "counted_by": _Field(_entity_ref("actor")),
    "place": _Field(_entity_ref("place")),
    "date": _Field(_date),
    "note": _Field(_long_text),
}
_figures = _records("a figure", _FIGURE_FIELDS, dict)

_SOURCE_FIELDS = {
    "id": _Field(_slug, True),
    "title": _Field(_text, True),
    "publisher": _Field(_text, True),
    "date": _Field(_date, True),
    "url": _Field(_pattern_reader(_URL, "an http or https address")),
    "authors": _Field(_text_list),
    "language": _Field(_pattern_reader(_LANGUAGE, "a language tag such as 'en' or 'ar'")),
    "note": _Field(_long_text),
}

_ENTITY_FIELDS = {
    "id": _Field(_slug, True),
    "name": _Field(_text, True),
    "kind": _Field(_choice(ENTITY_KINDS, "entity kind"), True),
    "aliases": _Field(_text_list),
    "description": _Field(_long_text),
    "wikidata": _Field(_pattern_reader(_WIKIDATA, "a Wikidata item id such as 'Q41183'")),
    "sources": _Field(_citations),
    "figures": _Field(_figures),
}

_CATEGORY_FIELDS = {
    "actor": _ENTITY_FIELDS,
    "place": {
        **_ENTITY_FIELDS,
        "within": _Field(_entity_ref("place")),
        "lat": _Field(_number(-90, 90)),
        "lon": _Field(_number(-180, 180)),
    },
    "event": {
        **_ENTITY_FIELDS,
        "date": _Field(_date),
        "start": _Field(_date),
        "end": _Field(_date),
        "place": _Field(_entity_ref("place")),
    },
}

_QUALIFIER_READERS = {
    "entities": lambda q: _entity_refs(*q.range),
    "entity": lambda q: _entity_ref(*q.range),
    "support-kinds": lambda q: _choice_list(SUPPORT_KINDS, "support kind"),
    "text": lambda q: _text,
}

_RELATION_FIELDS = {
    "type": _Field(_choice(RELATION_TYPES, "relation type"), True),
    "subject": _Field(_slug, True),
    "object": _Field(_slug, True),
    "sources": _Field(_citations, True),
    "id": _Field(_slug),
    **{name: _Field(_QUALIFIER_READERS[q.value](q)) for name, q in QUALIFIERS.items()},
    "start": _Field(_date),
    "end": _Field(_date),
    "status": _Field(_choice(STATUSES, "status")),
    "claimed_by": _Field(_entity_ref("actor")),
    "note": _Field(_long_text),
    "figures": _Field(_figures),
}


# --------------------------------------------------------------------------- records


def _read_source(reader: _FileReader, node: yaml.Node, session: _Session) -> None:
    values = reader.fields(node, "a source", _SOURCE_FIELDS)
    if not _claim_id(reader, node, values, "source") or _INVALID in values.values():
        return
    session.sources[values["id"]] = Source(**values)


def _read_entity(category: str) -> Callable:
    schema = _CATEGORY_FIELDS[category]

    def read(reader: _FileReader, node: yaml.Node, session: _Session) -> None:
        values = reader.fields(node, f"an {category}" if category[0] in "aeiou" else f"a {category}", schema)
        kind = values.get("kind")
        if kind not in (None, _INVALID) and ENTITY_KINDS[kind].category != category:
            reader.report(
                _value_node(node, "kind"),
                f"kind '{kind}' is {_article(ENTITY_KINDS[kind].category)} kind; {Path(reader.file).name} holds {category}s",
            )
            values["kind"] = _INVALID
        _spread_event_date(reader, node, values)
        _check_span(reader, node, values)
        if not _claim_id(reader, node, values, "entity") or _INVALID in values.values():
            return
        figures = _make_figures(values.pop("figures", ()), values["id"])
        session.entities[values["id"]] = Entity(**values, figures=figures)

    return read


def _read_relation(reader: _FileReader, node: yaml.Node, session: _Session) -> None:
    values = reader.fields(node, "a relation", _RELATION_FIELDS)
    relation_type = RELATION_TYPES.get(values.get("type"))
    if relation_type is not None:
        _check_qualifiers(reader, node, values, relation_type.name, relation_type.qualifiers)
    for end, allowed in (("subject", "domain"), ("object", "range")):
        if values.get(end) not in (None, _INVALID):
            reader.refer(
                _value_node(node, end), end, values[end],
                expected=getattr(relation_type, allowed, None), owner=getattr(relation_type, "name", None),
            )
    _check_claim(reader, node, values)
    _check_span(reader, node, values)
    if _INVALID in values.values() or not {"type", "subject", "object", "sources"} <= values.keys():
        return
    explicit = "id" in values
    relation = Relation(**{"id": "", **values, "figures": ()})
    relation_id = values["id"] if explicit else _statement_id(relation)
    if _claim_id(reader, node, {"id": relation_id}, "relation", explicit=explicit):
        figures = _make_figures(values.get("figures", ()), relation_id)
        session.relations[relation_id] = replace(relation, id=relation_id, figures=figures)


def _check_qualifiers(reader: _FileReader, node: yaml.Node, values: dict, type_name: str,
                      allowed: tuple[str, ...]) -> None:
    for qualifier in QUALIFIERS:
        if qualifier in values and qualifier not in allowed:
            takes = ", ".join(allowed) or "no qualifiers"
            reader.report(_value_node(node, qualifier), f"'{qualifier}' does not apply to '{type_name}'; it takes: {takes}")
            values[qualifier] = _INVALID


def _claim_id(reader: _FileReader, node: yaml.Node, values: dict, namespace: str, explicit: bool = True) -> bool:
    """Register an id, reporting a duplicate; returns whether the record may be kept.

    An id is registered even when other fields of its record are wrong, so that references
    to it are not reported a second time as unknown.
    """
    if values.get("id") in (None, _INVALID):
        return False
    key = (namespace, values["id"])
    first = reader.session.defined_at.get(key)
    if first is not None:
        where = f"line {first[1]}" if first[0] == reader.file else f"{Path(first[0]).name}:{first[1]}"
        if explicit:
            message = f"duplicate id '{values['id']}' (first defined at {where})"
        else:
            message = f"duplicate statement (same as the one at {where}); merge their sources or give each an id"
        reader.report(_value_node(node, "id") if explicit else node, message)
        return False
    reader.session.defined_at[key] = (reader.file, node.start_mark.line + 1)
    return True


def _spread_event_date(reader: _FileReader, node: yaml.Node, values: dict) -> None:
    """An event's ``date`` is shorthand for the same ``start`` and ``end``."""
    if "date" not in values:
        return
    if "start" in values or "end" in values:
        reader.report(_value_node(node, "date"), "give either date or start/end, not both")
        values["start"] = _INVALID
    else:
        values["start"] = values["end"] = values["date"]
    del values["date"]


def _check_span(reader: _FileReader, node: yaml.Node, values: dict) -> None:
    start, end = values.get("start"), values.get("end")
    if start in (None, _INVALID) or end in (None, _INVALID):
        return
    if latest(end) < earliest(start):
        reader.report(_value_node(node, "end"), f"end {end} is before start {start}")
        values["end"] = _INVALID


def _check_claim(reader: _FileReader, node: yaml.Node, values: dict) -> None:
    status = values.get("status", "stated")
    if status == "claimed" and "claimed_by" not in values:
        reader.report(_value_node(node, "status"), "status 'claimed' needs claimed_by: the actor who claims it")
        values["status"] = _INVALID
    elif "claimed_by" in values and status not in ("claimed", _INVALID):
        reader.report(_value_node(node, "claimed_by"), f"claimed_by goes with status 'claimed', not '{status}'")
        values["claimed_by"] = _INVALID


def _make_figures(figure_values: Iterable[dict], about: str) -> tuple[Figure, ...]:
    return tuple(Figure(about=about, **values) for values in figure_values)


def _statement_id(relation: Relation) -> str:
    """A stable id from what the statement says (not from its quotes or notes)."""
    ends = (relation.subject, relation.object)
    if relation.symmetric:
        ends = tuple(sorted(ends))
    content = "\x1f".join(
        str(part)
        for part in (relation.type, *ends, relation.against, relation.support, relation.place,
                     relation.role, relation.start, relation.end, relation.status, relation.claimed_by)
    )
    digest = hashlib.blake2b(content.encode("utf-8"), digest_size=4).hexdigest()
    return f"{ends[0]}-{relation.type}-{ends[1]}-{digest}"


_READERS = {
    "source": _read_source,
    "actor": _read_entity("actor"),
    "place": _read_entity("place"),
    "event": _read_entity("event"),
    "relation": _read_relation,
}


# --------------------------------------------------------------------------- the folder


def _read_folder(path: str | Path | None) -> tuple[KnowledgeGraph | None, list[Problem]]:
    folder = Path(path) if path is not None else bundled_data_dir()
    session = _Session()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return None, [Problem(str(folder), 0, 0, f"{what}; expected a folder of kg YAML files")]
    present = [name for name in DATA_FILES if (folder / name).is_file()]
    if not present:
        expected = ", ".join(DATA_FILES)
        return None, [Problem(str(folder), 0, 0, f"holds no kg data files; expected some of: {expected}")]
    for name in present:
        _read_file(folder / name, DATA_FILES[name], session)
    _check_references(session)
    _check_cycles(session)
    if session.problems:
        return None, sorted(set(session.problems))
    return KnowledgeGraph(session.entities, session.relations.values(), session.sources), []


def _read_file(path: Path, record: str, session: _Session) -> None:
    reader = _FileReader(str(path), session)
    try:
        root = _compose(path, reader)
        if root is None:
            return
        if not isinstance(root, yaml.SequenceNode):
            plural = "sources" if record == "source" else f"{record}s"
            raise reader.fail(root, f"expected a list of {plural} at the top level, got {_describe(root)}")
    except _Invalid:
        session.unreadable = True
        return
    read_record = _READERS[record]
    for node in root.value:
        try:
            read_record(reader, node, session)
        except _Invalid:
            continue


def _compose(path: Path, reader: _FileReader) -> yaml.Node | None:
    """The file's YAML node tree (None when empty); raises _Invalid after reporting why not."""

    def fail(line: int, column: int, message: str) -> _Invalid:
        reader.session.problems.append(Problem(str(path), line, column, message))
        return _Invalid()

    try:
        data = path.read_bytes()
    except OSError as err:
        raise fail(0, 0, f"cannot be read: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise fail(*_position(data, err.start), f"is not valid UTF-8: byte 0x{data[err.start]:02x}; "
                                                "save the file as UTF-8") from None
    deep = _too_deep(text)
    if deep is not None:
        raise fail(*_position(data, len(text[:deep].encode("utf-8"))),
                   f"nesting deeper than {_MAX_NESTING} levels; kg data is only a few levels deep")
    try:
        return yaml.compose(data, Loader=_Composer)
    except yaml.MarkedYAMLError as err:
        message = f"YAML syntax error: {err.problem}"
        if err.context and err.context_mark:
            message += f" {err.context} at line {err.context_mark.line + 1}, column {err.context_mark.column + 1}"
        raise fail(err.problem_mark.line + 1, err.problem_mark.column + 1, message) from None
    except yaml.reader.ReaderError as err:
        raise fail(*_position(data, err.position), f"YAML syntax error: {err.reason}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


_DEEP_BLOCK = re.compile(r"^[ \t?:-]{%d}" % _MAX_NESTING, re.MULTILINE)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _too_deep(text: str) -> int | None:
    """The offset where nesting passes the limit, or None.

    libyaml composes nested nodes recursively and crashes the interpreter on very deep
    nesting, so depth is bounded before any parsing: block nesting by indentation and
    flow nesting by brackets (counting brackets in quoted text too, which only overestimates).
    """
    block = _DEEP_BLOCK.search(text)
    if block:
        return block.start()
    brackets = _NOT_BRACKETS.sub("", text)
    for _ in range(_MAX_NESTING):
        reduced = brackets.replace("[]", "").replace("{}", "")
        if reduced == brackets:
            break
        brackets = reduced
    else:
        return _first_deep_bracket(text)
    return _first_deep_bracket(text) if len(brackets) >= _MAX_NESTING else None


def _first_deep_bracket(text: str) -> int:
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth >= _MAX_NESTING:
            return match.start()
    return 0


# --------------------------------------------------------------------------- cross-checks


def _check_references(session: _Session) -> None:
    suggest = _Suggester()
    for ref in session.references:
        namespace = "source" if ref.is_source else "entity"
        known = session.sources if ref.is_source else session.entities
        record = known.get(ref.target)
        if record is None:
            # Skip ids defined by records with problems of their own, and every unknown id
            # when a file could not be parsed: it may hold them.
            if (namespace, ref.target) not in session.defined_at and not session.unreadable:
                _add(session, ref, f"{ref.field} '{ref.target}' is not a known {namespace}{suggest(ref.target, known)}")
        elif ref.expected and not kind_matches(record.kind, ref.expected):
            owner = f" of '{ref.owner}'" if ref.owner else ""
            _add(session, ref, f"{ref.field} '{ref.target}'{owner} is {_article(record.kind)}; "
                               f"expected {_alternatives(ref.expected)}")


def _check_cycles(session: _Session) -> None:
    """Report places that lie within themselves through a chain of ``within``."""
    parents = {entity.id: entity.within for entity in session.entities.values() if entity.within}
    reported: set[str] = set()
    for start in parents:
        chain, node = [start], parents[start]
        while node in parents and node not in chain and node not in reported:
            chain.append(node)
            node = parents[node]
        if node == start:
            reported.update(chain)
            file, line = session.defined_at[("entity", start)]
            loop = " -> ".join([*chain, start])
            session.problems.append(Problem(file, line, 1, f"within forms a cycle: {loop}"))


def _add(session: _Session, ref: _Reference, message: str) -> None:
    session.problems.append(Problem(ref.file, ref.line, ref.column, message))


class _Suggester:
    """Did-you-mean hints, within a budget of searches and cached per unknown id."""

    def __init__(self) -> None:
        self.budget = _SUGGESTION_BUDGET
        self.cache: dict[tuple[str, int], str] = {}

    def __call__(self, target: str, known: dict) -> str:
        key = (target, id(known))
        if key not in self.cache:
            matches = difflib.get_close_matches(target, known, n=1) if self.budget > 0 else []
            self.budget -= 1
            self.cache[key] = f" (did you mean '{matches[0]}'?)" if matches else ""
        return self.cache[key]


# --------------------------------------------------------------------------- messages


def _value_node(node: yaml.MappingNode, key: str) -> yaml.Node:
    """The value node of ``key`` in a mapping (the mapping itself if absent), for locations."""
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return node


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'"


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _alternatives(names: Iterable[str]) -> str:
    phrases = [_article(name) for name in names]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


