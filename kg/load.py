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
import math
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from kg import cache as graph_cache
from kg._words import article, or_list
from kg import texts as source_texts
from kg import yaml_nodes
from kg.dates import EDTF_EXPECTED, check_date, check_edtf, span
from kg.dates import EXPECTED as DATE_FORMATS
from kg.errors import DataError, Problem, unknown_term_message
from kg.files import read_regular_file
from kg.graph import KnowledgeGraph
from kg.model import Citation, Entity, Figure, Relation, Source, collector_paused, statement_id
from kg.yaml_errors import explain as explain_syntax
from kg.yaml_nodes import Map, Node, Plain, Scalar, Seq
from kg.vocabulary import (
    ENTITY_KINDS,
    FIGURE_MEASURES,
    FIGURE_QUALIFIERS,
    QUALIFIERS,
    RELATION_TYPES,
    STATUSES,
    SUPPORT_KINDS,
    kinds_matching,
)

__all__ = ["DATA_FILES", "bundled_data_dir", "holds_data", "load", "unread_files", "validate", "validate_candidates"]

#: The files of a data folder, in the order they are read, and what each holds.
DATA_FILES = {
    "sources.yaml": "source",
    "actors.yaml": "actor",
    "places.yaml": "place",
    "events.yaml": "event",
    "relations.yaml": "relation",
}

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
# C0 and C1 controls and lone surrogates; tab and newline are allowed only in multi-line text.
# Invisible characters that change how text reads or hide what it holds: zero-width space,
# word joiner, byte-order mark, bidirectional embeddings, overrides and isolates, and the
# line and paragraph separators (zero-width joiners stay: Arabic, Persian and emoji need them).
_INVISIBLE = "\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\u2028\u2029"
_BAD_IN_TEXT = re.compile(rf"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_INVISIBLE}]")
_BAD_IN_LONG_TEXT = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_INVISIBLE}]")
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_MAX_NUMBER_LENGTH = 40  # characters of a number: more than any count or coordinate needs
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

# Cap the did-you-mean searches, each a scan over every id, so huge bad inputs stay fast.
_SUGGESTION_BUDGET = 200


def bundled_data_dir() -> Path:
    """The folder of the dataset that ships with kg.

    >>> (bundled_data_dir() / "relations.yaml").is_file()
    True
    """
    installed = Path(str(resources.files("kg"))) / "data"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "data"


def holds_data(folder: str | Path) -> bool:
    """Whether a folder holds kg data files, or YAML files named like them (``relations.yml``).

    >>> holds_data(bundled_data_dir()), holds_data(bundled_data_dir().parent / "kg")
    (True, False)
    """
    folder = Path(folder)
    return folder.is_dir() and any(name in DATA_FILES or _data_file_like(name) for name in _file_names(folder))


def unread_files(folder: str | Path) -> list[str]:
    """What kg does not read in a data folder: one line per file, with a did-you-mean where one fits.

    YAML files among them (``relations.yml``, ``relation.yaml``) are problems for ``validate``;
    other files (a README) are only listed. Hidden files are left out.

    >>> unread_files(bundled_data_dir())
    ['README.md: not read (kg reads sources.yaml, actors.yaml, places.yaml, events.yaml, relations.yaml)']
    """
    return [f"{name}: {_unread_reason(name)}" for name in _file_names(Path(folder)) if name not in DATA_FILES]


def _file_names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in folder.iterdir() if entry.is_file() and not entry.name.startswith("."))
    except OSError:
        return []


def _is_yaml(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def _data_file_like(name: str) -> str | None:
    """The data file a name was probably meant to be (``relation.yml`` -> ``relations.yaml``)."""
    stem = name.lower().split(".")[0]
    stems = {data_file.split(".")[0]: data_file for data_file in DATA_FILES}
    close = difflib.get_close_matches(stem, stems, n=1, cutoff=0.75)
    return stems[close[0]] if close else None


def _unread_reason(name: str) -> str:
    meant = _data_file_like(name)
    if meant and name.lower() == meant.replace(".yaml", ".yml"):
        return f"not read: kg reads .yaml files, not .yml; rename it to {meant}"
    if meant and name.lower() == meant:
        return f"not read: file names are lowercase; rename it to {meant}"
    if meant:
        return f"not read (did you mean {meant}?)"
    return f"not read (kg reads {', '.join(DATA_FILES)})"


def _unread_problems(folder: Path) -> list[Problem]:
    """Every YAML file kg would skip, as a problem: data must never be left out in silence."""
    return [Problem(str(folder / name), 0, 0, _unread_reason(name))
            for name in _file_names(folder) if name not in DATA_FILES and _is_yaml(name)]


def load(path: str | Path | None = None, *, cache: bool = True) -> KnowledgeGraph:
    """Load a data folder (the bundled dataset by default) into a KnowledgeGraph.

    Raises ``DataError`` listing every problem when the data is not valid. Loading data
    that was loaded before is fast: valid graphs are cached by the content of their files
    (see ``kg.cache``); ``cache=False`` reads the YAML again.

    >>> g = load()
    >>> g.resolve("Turkey").id
    'turkiye'
    """
    graph, problems = _read_folder(path, cache)
    if problems:
        raise DataError(problems)
    return graph


def validate(path: str | Path | None = None, *, cache: bool = True) -> list[Problem]:
    """Every problem in a data folder (the bundled dataset by default), sorted by place."""
    return _read_folder(path, cache)[1]


def validate_candidates(path: str | Path, data: str | Path | None = None) -> list[Problem]:
    """Every problem in a candidates file written by ``kg suggest`` (see ``kg.curation``),
    checked against a data folder (the bundled dataset by default): its candidate statements
    as relations (types, ends, dates, quotes against the source's text), its mentions as
    references to known entities. The problems of the data folder come first, if it has any.

    >>> validate_candidates("no-such-file.yaml")[0].message
    'cannot be read: No such file or directory'
    """
    problems = validate(data)
    if problems:
        return problems
    folder = Path(data) if data is not None else bundled_data_dir()
    with collector_paused():
        session = read_files(folder, [name for name in DATA_FILES if (folder / name).exists()], marked=True)
    session.candidates = True
    reader = _FileReader(str(path), session)
    try:
        content: bytes | OSError = read_regular_file(path)
    except OSError as err:
        content = err
    try:
        for root in _file_records(Path(path), "candidates file", reader, content, whole=True):
            reader.fields(root, "a candidates file", _CANDIDATES_FILE)
    except _Invalid:
        pass
    return sorted(set(session.problems))


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
    marked: bool = False  # values carry their line and column, so problems can be reported
    unreadable: bool = False  # a file could not be parsed, so its ids are unknown
    entities_read: bool = False  # every entity file has been read: references are checked at once
    suggest: "_Suggester" = field(default_factory=lambda: _Suggester())
    folder: Path = Path(".")
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # source id -> (file name, text)
    candidates: bool = False  # reading a candidates file: statements proposed by kg suggest

    def add(self, file: str, line: int, column: int, message: str) -> None:
        """Record a problem; without marks, start again with them (see ``_read_folder``)."""
        if not self.marked:
            raise _NeedMarks
        self.problems.append(Problem(file, line, column, message))


class _Invalid(Exception):
    """Raised inside a field reader after the problem has been reported."""


class _NeedMarks(Exception):
    """A problem was found while reading plain values: read again with line and column marks."""


class _FileReader:
    """Reads the nodes of one file, reporting problems at their line and column."""

    def __init__(self, file: str, session: _Session):
        self.file = file
        self.session = session

    # -- reporting

    def report(self, node: Node | Plain, message: str) -> None:
        if not self.session.marked:
            raise _NeedMarks
        self.session.add(self.file, node.line, node.column, message)

    def fail(self, node: Node, message: str) -> _Invalid:
        self.report(node, message)
        return _Invalid()

    def refer(self, node: Node, field_name: str, target: str, expected: tuple[str, ...] | None = None,
              owner: str | None = None, is_source: bool = False) -> None:
        """Check a reference now if its targets are all read, else once they are."""
        session = self.session
        if is_source or session.entities_read:
            record = (session.sources if is_source else session.entities).get(target)
            if record is not None and (expected is None or record.kind in kinds_matching(expected)):
                return  # the common case, checked without building anything
        line, column = getattr(node, "line", 0), getattr(node, "column", 0)
        reference = _Reference(self.file, line, column, field_name, target, expected, owner, is_source)
        if is_source or session.entities_read:
            _check_reference(session, reference)
        else:
            session.references.append(reference)

    # -- structure

    def check_tag(self, node: Node | Plain) -> None:
        if type(node) in _MARKED and node.tag not in _KNOWN_TAGS:
            shown = "!!" + node.tag[len(_TAG):] if node.tag.startswith(_TAG) else node.tag
            raise self.fail(node, f"unsupported YAML tag '{shown}'; kg reads plain YAML only")

    def fields(self, node: Node, what: str, schema: "_Schema",
               merging: frozenset[int] = frozenset()) -> tuple[dict[str, Any], dict[str, Node]]:
        """Read a mapping against ``schema``: the values of its fields (``_INVALID`` where a
        problem was reported) and each field's value node, for the places of later problems.
        Duplicate keys are reported; ``<<`` merges apply, an explicit key winning; a merge
        that leads back to a mapping being merged is reported."""
        if type(node) is dict:  # plain values: no duplicates, no merges, no marks
            values: dict[str, Any] = {}
            for key, value_node in node.items():
                read = schema.get(key)
                if read is None:
                    self.report(node, "")  # an unknown field: read again with marks to say where
                try:
                    value = read(self, value_node, key)
                except _Invalid:
                    value = _INVALID
                if value is not None:
                    values[key] = value
            return self.required(values, node, what, schema), node
        if type(node) is not Map:
            raise self.fail(node, f"expected a mapping for {what}, got {_describe(node)}")
        if node.tag != _MAP:
            self.check_tag(node)
        values = {}
        nodes: dict[str, Node] = {}
        merges: list[Node] = []
        for key_node, value_node in node.pairs:
            if key_node.tag != _STR:
                if key_node.tag == _MERGE:
                    merges.append(value_node)
                else:
                    self.report(key_node, f"expected a field name, got {_describe(key_node)}")
                continue
            key = key_node.value
            if key in nodes:
                first = next(k.line for k, _ in node.pairs if k.value == key)
                self.report(key_node, f"duplicate key '{key}' (first at line {first})")
                continue
            nodes[key] = value_node
            self.field(values, schema, key, key_node, value_node, what)
        merging = merging | {id(node)}
        for merge in merges:
            for source in merge.items if type(merge) is Seq else [merge]:
                if id(source) in merging:
                    self.report(merge, "a mapping cannot merge itself (<< leads back to it)")
                    continue
                merged_values, merged_nodes = self.fields(source, what, _Schema({k: _Field(_keep) for k in schema}),
                                                          merging)
                for key, value_node in merged_nodes.items():
                    if key not in nodes:
                        nodes[key] = value_node
                        self.field(values, schema, key, value_node, value_node, what)
        return self.required(values, node, what, schema), nodes

    def required(self, values: dict[str, Any], node: Node | Plain, what: str,
                 schema: "_Schema") -> dict[str, Any]:
        """Report the required fields that are missing (or null)."""
        for key in schema.required:
            if key not in values:
                self.report(node, f"{what} is missing required field '{key}'")
                values[key] = _INVALID
        return values

    def field(self, values: dict[str, Any], schema: "_Schema", key: str, key_node: Node,
              value_node: Node, what: str) -> None:
        """Read one field's value into ``values``."""
        read = schema.get(key)
        if read is None:
            self.report(key_node, unknown_term_message("field", key, schema, where=f"in {what}"))
            return
        try:
            value = read(self, value_node, key)
        except _Invalid:
            values[key] = _INVALID
            return
        if value is not None:
            values[key] = value

    def items(self, node: Node | Plain, field_name: str) -> list[Node | Plain]:
        """The items of a sequence; a single scalar counts as a one-item list."""
        kind = type(node)
        if kind is list:
            return node
        self.check_tag(node)
        if kind is Seq:
            return node.items
        if kind is not Map and kind is not dict:
            return [node]
        raise self.fail(node, f"{field_name}: expected a list, got {_describe(node)}")


# --------------------------------------------------------------------------- field readers

_INVALID = object()  # the value of a field whose problem was already reported
_MARKED = (Scalar, Seq, Map)


def _keep(reader: _FileReader, node: Node, field_name: str) -> Node:
    """Read nothing yet: a merged mapping's fields are read against the record's schema."""
    return node


def _scalar(reader: _FileReader, node: Node | Plain, field_name: str) -> tuple[str, str] | None:
    """(tag, text) of a scalar value; None for null."""
    kind = type(node)
    if kind is str:
        return _STR, node
    if node is None:
        return None
    reader.check_tag(node)
    if kind is not Scalar:
        raise reader.fail(node, f"{field_name}: expected a single value, got {_describe(node)}")
    return None if node.tag == _NULL else (node.tag, node.value)


def _text(reader: _FileReader, node: Node | Plain, field_name: str,
          bad_characters: re.Pattern = _BAD_IN_TEXT) -> str | None:
    if type(node) is str:
        value = node
    elif type(node) is Scalar and node.tag == _STR:
        value = node.value
    else:
        scalar = _scalar(reader, node, field_name)
        if scalar is None:
            return None
        kind = _SCALAR_TYPE_NAMES.get(scalar[0], "something other than text")
        raise reader.fail(
            node, f"{field_name}: {scalar[1]} reads as {kind} in YAML; put it in quotes if you mean the text"
        )
    bad = bad_characters.search(value)
    if bad:
        character = bad.group()
        if character > "\x9f" and character < "\ud800" or character == "\ufeff":
            raise reader.fail(node, f"{field_name}: text contains the invisible character U+{ord(character):04X} "
                                    f"({unicodedata.name(character)}); remove it")
        raise reader.fail(node, f"{field_name}: text contains the control character U+{ord(character):04X}")
    if not value or value.isspace():
        raise reader.fail(node, f"{field_name}: text is empty")
    return value


def _long_text(reader: _FileReader, node: Node, field_name: str) -> str | None:
    return _text(reader, node, field_name, _BAD_IN_LONG_TEXT)


def _pattern_reader(pattern: re.Pattern, hint: str) -> Callable:
    valid: set[str] = set()  # texts already checked, such as ids that recur

    def read(reader: _FileReader, node: Node | Plain, field_name: str) -> str | None:
        if type(node) is str and node in valid:
            return node
        value = _text(reader, node, field_name)
        if value is not None and not pattern.fullmatch(value):
            raise reader.fail(node, f"{field_name}: {value!r} is not {hint}")
        if value is not None and len(valid) < 1_000_000:
            valid.add(value)
        return value

    return read


_slug = _pattern_reader(_ID, "a valid id: use lowercase letters, digits and single hyphens, like 'syrian-arab-army'")


def _choice(table: dict, what: str) -> Callable:
    def read(reader: _FileReader, node: Node | Plain, field_name: str) -> str | None:
        if type(node) is str and node in table:
            return node
        value = _text(reader, node, field_name)
        if value is not None and value not in table:
            raise reader.fail(node, unknown_term_message(what, value, table))
        return value

    return read


def _text_list(reader: _FileReader, node: Node, field_name: str) -> tuple[str, ...] | None:
    values = [_text(reader, item, field_name) for item in reader.items(node, field_name)]
    return tuple(value for value in values if value is not None) or None


def _choice_list(table: dict, what: str) -> Callable:
    read_one = _choice(table, what)

    def read(reader: _FileReader, node: Node, field_name: str) -> tuple[str, ...] | None:
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
    def read(reader: _FileReader, node: Node, field_name: str) -> str | None:
        value = _slug(reader, node, field_name)
        if value is not None:
            reader.refer(node, field_name, value, expected=expected or None)
        return value

    return read


def _entity_refs(*expected: str) -> Callable:
    read_one = _entity_ref(*expected)

    def read(reader: _FileReader, node: Node, field_name: str) -> tuple[str, ...] | None:
        values = [read_one(reader, item, field_name) for item in reader.items(node, field_name)]
        return tuple(value for value in values if value is not None) or None

    return read


def _source_ref(reader: _FileReader, node: Node, field_name: str) -> str | None:
    value = _slug(reader, node, field_name)
    if value is not None:
        reader.refer(node, field_name, value, is_source=True)
    return value


def _date(reader: _FileReader, node: Node, field_name: str) -> str | None:
    """A partial ISO date: a source's or a figure's date."""
    return _checked_date(reader, node, field_name, check_date, DATE_FORMATS)


def _moment(reader: _FileReader, node: Node, field_name: str) -> str | None:
    """When a statement or event began or ended: a partial ISO date or an EDTF form."""
    return _checked_date(reader, node, field_name, check_edtf, EDTF_EXPECTED)


def _checked_date(reader: _FileReader, node: Node, field_name: str, check: Callable[[str], str | None],
                  expected: str) -> str | None:
    scalar = _scalar(reader, node, field_name)
    if scalar is None:
        return None
    problem = check(scalar[1])
    if problem:
        raise reader.fail(node, f"{field_name}: bad date '{scalar[1]}': {problem}; {expected}")
    return scalar[1]


def _number(low: float | None = None, high: float | None = None) -> Callable:
    def read(reader: _FileReader, node: Node, field_name: str) -> int | float | None:
        scalar = _scalar(reader, node, field_name)
        if scalar is None:
            return None
        tag, text = scalar
        digits = text.replace("_", "")
        if len(digits) > _MAX_NUMBER_LENGTH:
            raise reader.fail(node, f"{field_name}: a number written with {len(digits):,} characters; kg reads "
                                    f"numbers of at most {_MAX_NUMBER_LENGTH}")
        if tag == _INT and _DECIMAL_INT.fullmatch(digits):
            value: int | float = int(digits)
        elif tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(digits):
            value = float(digits)
        else:
            raise reader.fail(node, f"{field_name}: expected a decimal number, got '{text}'")
        if not math.isfinite(value):
            raise reader.fail(node, f"{field_name}: {text} is too large to be a number (it reads as infinity)")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise reader.fail(node, f"{field_name}: {text} is not {bounds}")
        return value

    return read


def _nested_records(what: str, schema: "_Schema", build: Callable[[dict], Any]) -> Callable:
    """A reader for a list of nested records (citations, figures); fails if any item does."""

    def read(reader: _FileReader, node: Node, field_name: str) -> tuple | None:
        records, failed = [], False
        for item in reader.items(node, field_name):
            try:
                values, _ = reader.fields(item, what, schema)
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


class _Schema(dict):
    """Field name -> the function that reads it, with the names of the required fields."""

    def __init__(self, fields: dict[str, "_Field"]):
        super().__init__({name: spec.read for name, spec in fields.items()})
        self.required = tuple(name for name, spec in fields.items() if spec.required)


@dataclass(frozen=True)
class _Field:
    read: Callable[[_FileReader, Node, str], Any]
    required: bool = False


def _occurrence(reader: _FileReader, node: Node, field_name: str) -> int | None:
    value = _number(1)(reader, node, field_name)
    if value is not None and type(value) is not int:
        raise reader.fail(node, f"{field_name}: expected a whole number, got '{value}'")
    return value


_CITATION_FIELDS = _Schema({"source": _Field(_source_ref, True), "quote": _Field(_text, True),
                            "occurrence": _Field(_occurrence)})


def _citations(reader: _FileReader, node: Node | Plain, field_name: str) -> tuple[Citation, ...] | None:
    """A list of citations. The usual form (plain text, known sources, a quote found in the
    source's text if it has one) is read at once; anything else is read field by field, for
    exact messages."""
    if type(node) is list and node:
        sources, texts, found = reader.session.sources, reader.session.texts, []
        for item in node:
            if type(item) is not dict or len(item) != 2:
                break
            source, quote = item.get("source"), item.get("quote")
            if (type(source) is not str or type(quote) is not str or source not in sources
                    or quote.isspace() or not quote or _BAD_IN_TEXT.search(quote)):
                break
            if source in texts:
                anchor = source_texts.anchor(quote, texts[source][1])
                if anchor is None:
                    break
                found.append(Citation(source, quote, None, *anchor))
            else:
                found.append(Citation(source, quote))
        else:
            return tuple(found)
    return _read_citations(reader, node, field_name)


def _read_citations(reader: _FileReader, node: Node, field_name: str) -> tuple[Citation, ...] | None:
    """Citations read field by field; each quote of a source with a text is anchored in it,
    or reported at the quote with the closest passage."""
    records, failed = [], False
    for item in reader.items(node, field_name):
        try:
            values, nodes = reader.fields(item, "a citation", _CITATION_FIELDS)
        except _Invalid:
            values, nodes = {None: _INVALID}, {}
        if _INVALID not in values.values() and values["source"] in reader.session.texts:
            values = _anchored(reader, values, nodes)
        if _INVALID in values.values():
            failed = True
        else:
            records.append(Citation(**values))
    if failed:
        raise _Invalid()
    return tuple(records) or None


def _anchored(reader: _FileReader, values: dict, nodes: dict[str, Node]) -> dict:
    """The citation's values with its anchor in its source's text, or with the quote
    marked invalid after reporting why it has none."""
    texts = reader.session.texts
    name, text = texts[values["source"]]
    anchor = source_texts.anchor(values["quote"], text, values.get("occurrence"))
    if anchor is not None:
        return {**values, **anchor._asdict()}
    others = {source_id: entry for source_id, entry in texts.items() if source_id != values["source"]}
    problem = source_texts.quote_problem(values["quote"], text, values.get("occurrence"), name, others)
    reader.report(nodes["quote"], problem or f"quote cannot be anchored in {name}")
    return {**values, "quote": _INVALID}

_FIGURE_FIELDS = _Schema({
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
})
_figures = _nested_records("a figure", _FIGURE_FIELDS, dict)

_SOURCE_FIELDS = _Schema({
    "id": _Field(_slug, True),
    "title": _Field(_text, True),
    "publisher": _Field(_text, True),
    "date": _Field(_date, True),
    "url": _Field(_pattern_reader(_URL, "an http or https address")),
    "authors": _Field(_text_list),
    "language": _Field(_pattern_reader(_LANGUAGE, "a language tag such as 'en' or 'ar'")),
    "note": _Field(_long_text),
    "text": _Field(_text),
})

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
    "actor": _Schema(_ENTITY_FIELDS),
    "place": _Schema({
        **_ENTITY_FIELDS,
        "within": _Field(_entity_ref("place")),
        "lat": _Field(_number(-90, 90)),
        "lon": _Field(_number(-180, 180)),
    }),
    "event": _Schema({
        **_ENTITY_FIELDS,
        "date": _Field(_moment),
        "start": _Field(_moment),
        "end": _Field(_moment),
        "place": _Field(_entity_ref("place")),
    }),
}

_QUALIFIER_READERS = {
    "entities": lambda q: _entity_refs(*q.range),
    "entity": lambda q: _entity_ref(*q.range),
    "support-kinds": lambda q: _choice_list(SUPPORT_KINDS, "support kind"),
    "text": lambda q: _text,
}

_RELATION_FIELDS = _Schema({
    "type": _Field(_choice(RELATION_TYPES, "relation type"), True),
    "subject": _Field(_slug, True),
    "object": _Field(_slug, True),
    "sources": _Field(_citations, True),
    "id": _Field(_slug),
    **{name: _Field(_QUALIFIER_READERS[q.value](q)) for name, q in QUALIFIERS.items()},
    "start": _Field(_moment),
    "end": _Field(_moment),
    "status": _Field(_choice(STATUSES, "status")),
    "claimed_by": _Field(_entity_ref("actor")),
    "note": _Field(_long_text),
    "figures": _Field(_figures),
    "candidate": _Field(lambda reader, node, name: _candidate(reader, node, name)),
})

_CANDIDATE_FIELDS = _Schema({
    "cue": _Field(_text, True),
    "direction": _Field(_choice({"subject first": 1, "object first": 1, "either way": 1}, "direction"), True),
    "hedge": _Field(_text),
    "as_of": _Field(_date),
    "repeats": _Field(_slug),
})


def _candidate(reader: _FileReader, node: Node, field_name: str) -> dict:
    """Why ``kg suggest`` proposed a statement: refused in data, read in a candidates file."""
    if not reader.session.candidates:
        raise reader.fail(node, "candidate: a statement proposed by kg suggest, not confirmed; check it against "
                                "its source, then delete this field")
    values, nodes = reader.fields(node, "a candidate", _CANDIDATE_FIELDS)
    repeats = values.get("repeats")
    if repeats not in (None, _INVALID) and repeats not in reader.session.relations:
        raise reader.fail(nodes["repeats"], f"repeats: '{repeats}' is not a statement of the data")
    return values


def _candidate_relations(reader: _FileReader, node: Node, field_name: str) -> int:
    """Read each candidate statement as a relation; returns how many there are."""
    items = reader.items(node, field_name)
    for item in items:
        try:
            _read_relation(reader, item, reader.session)
        except _Invalid:
            continue
    return len(items)


_CANDIDATES_FILE = _Schema({
    "kg-candidates": _Field(_number(1, 1), True),
    "source": _Field(_source_ref, True),
    "document": _Field(_text),
    "mentions": _Field(_nested_records("a mention", _Schema({
        "entity": _Field(_entity_ref(), True), "count": _Field(_number(1), True), "names": _Field(_text_list),
    }), dict)),
    "entities": _Field(_nested_records("a candidate entity", _Schema({
        "name": _Field(_text, True), "count": _Field(_number(1), True), "sentences": _Field(_text_list),
    }), dict)),
    "relations": _Field(_candidate_relations),
})


# --------------------------------------------------------------------------- records


def _read_source(reader: _FileReader, node: Node, session: _Session) -> None:
    values, nodes = reader.fields(node, "a source", _SOURCE_FIELDS)
    if not _claim_id(reader, node, nodes, values, "source") or _INVALID in values.values():
        return
    if "text" in values:
        _read_source_text(reader, nodes["text"], values["id"], values["text"])
    session.sources[values["id"]] = Source(**values)


def _read_source_text(reader: _FileReader, node: Node, source_id: str, name: str) -> None:
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

    def read(reader: _FileReader, node: Node, session: _Session) -> None:
        values, nodes = reader.fields(node, article(category), schema)
        kind = values.get("kind")
        if kind not in (None, _INVALID) and ENTITY_KINDS[kind].category != category:
            reader.report(
                nodes["kind"],
                f"kind '{kind}' is {article(ENTITY_KINDS[kind].category)} kind; "
                f"{Path(reader.file).name} holds {category}s",
            )
            values["kind"] = _INVALID
        _spread_event_date(reader, nodes, values)
        _check_span(reader, nodes, values)
        if not _claim_id(reader, node, nodes, values, "entity") or _INVALID in values.values():
            return
        figures = _make_figures(values.pop("figures", ()), values["id"])
        session.entities[values["id"]] = Entity(**values, figures=figures)

    return read


def _read_relation(reader: _FileReader, node: Node, session: _Session) -> None:
    values, nodes = reader.fields(node, "a relation", _RELATION_FIELDS)
    relation_type = RELATION_TYPES.get(values.get("type"))
    if relation_type is not None:
        _check_qualifiers(reader, nodes, values, relation_type.name, relation_type.qualifiers)
    owner = relation_type and relation_type.name
    for end, allowed in (("subject", relation_type and relation_type.domain),
                         ("object", relation_type and relation_type.range)):
        if values.get(end) not in (None, _INVALID):
            reader.refer(nodes[end], end, values[end], expected=allowed, owner=owner)
    _check_claim(reader, nodes, values)
    _check_span(reader, nodes, values)
    if _INVALID in values.values():
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


def _check_qualifiers(reader: _FileReader, nodes: dict[str, Node], values: dict, type_name: str,
                      allowed: tuple[str, ...]) -> None:
    for qualifier in QUALIFIERS:
        if qualifier in values and qualifier not in allowed:
            takes = ", ".join(allowed) or "no qualifiers"
            reader.report(nodes[qualifier], f"'{qualifier}' does not apply to '{type_name}'; it takes: {takes}")
            values[qualifier] = _INVALID


def _claim_id(reader: _FileReader, node: Node, nodes: dict[str, Node], values: dict, namespace: str,
              explicit: bool = True) -> bool:
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
        reader.report(nodes["id"] if explicit else node, message)
        return False
    reader.session.defined_at[key] = (reader.file, getattr(node, "line", 0))
    return True


def _spread_event_date(reader: _FileReader, nodes: dict[str, Node], values: dict) -> None:
    """An event's ``date`` is shorthand for the same ``start`` and ``end``."""
    if "date" not in values:
        return
    if "start" in values or "end" in values:
        reader.report(nodes["date"], "give either date or start/end, not both")
        values["start"] = _INVALID
    else:
        values["start"] = values["end"] = values["date"]
    del values["date"]


def _check_span(reader: _FileReader, nodes: dict[str, Node], values: dict) -> None:
    start, end = values.get("start"), values.get("end")
    if start in (None, _INVALID) or end in (None, _INVALID):
        return
    first, last = span(start, end).possible
    if last < first:
        reader.report(nodes["end"], f"end {end} is before start {start}")
        values["end"] = _INVALID


def _check_claim(reader: _FileReader, nodes: dict[str, Node], values: dict) -> None:
    status = values.get("status", "stated")
    if status == "claimed" and "claimed_by" not in values:
        reader.report(nodes["status"], "status 'claimed' needs claimed_by: the actor who claims it")
        values["status"] = _INVALID
    elif "claimed_by" in values and status not in ("claimed", _INVALID):
        reader.report(nodes["claimed_by"], f"claimed_by goes with status 'claimed', not '{status}'")
        values["claimed_by"] = _INVALID


def _make_figures(figure_values: Iterable[dict], about: str) -> tuple[Figure, ...]:
    return tuple(Figure(about=about, **values) for values in figure_values)


_READERS = {
    "source": _read_source,
    "actor": _read_entity("actor"),
    "place": _read_entity("place"),
    "event": _read_entity("event"),
    "relation": _read_relation,
}


# --------------------------------------------------------------------------- the folder


def _read_folder(path: str | Path | None, cache: bool = True) -> tuple[KnowledgeGraph | None, list[Problem]]:
    folder = Path(path) if path is not None else bundled_data_dir()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return None, [Problem(str(folder), 0, 0, f"{what}; expected a folder of kg YAML files")]
    present = [name for name in DATA_FILES if (folder / name).exists()]
    unread = _unread_problems(folder)
    if not present:
        expected = ", ".join(DATA_FILES)
        return None, unread or [Problem(str(folder), 0, 0, f"holds no kg data files; expected some of: {expected}")]
    with collector_paused():
        contents = _read_contents(folder, present)
        key = _cache_key(contents) if cache else None
        cached = graph_cache.read(key) if key else None
        if cached is not None and not unread and cached[3] == _texts_key(folder, cached[0].values()):
            sources, entities, relations, _ = cached
            return KnowledgeGraph(entities, relations, sources), []
        digests = _relation_digests(contents) if key else None
        session = _reread(folder, key, contents, digests) if digests is not None and not unread else None
        if session is None:
            try:
                session = read_files(folder, present, marked=False, contents=contents)
            except _NeedMarks:
                session = read_files(folder, present, marked=True, contents=contents)
        if session.problems or unread:
            return None, sorted(set(session.problems) | set(unread))
        if key:
            graph_cache.write(key, session.sources, session.entities, tuple(session.relations.values()),
                              _texts_key(folder, session.sources.values()),
                              b"" if digests is None else _others_digest(contents) + b"".join(d for _, d in digests))
            graph_cache.remember(folder, key)
        return KnowledgeGraph(session.entities, session.relations.values(), session.sources), []


# --------------------------------------------------------------------------- reading again what changed

_RELATIONS = "relations.yaml"
_DIGEST = 16  # bytes of a record's digest in the index
# An anchor or an alias: a record that may stand for another one's text cannot be read alone.
_ANCHOR_OR_ALIAS = re.compile(r"(?<![^ \t\n\[{,])[&*][^ \t\n\[\]{},]")


def _relation_digests(contents: dict[str, bytes | OSError]) -> list[tuple[str, bytes]] | None:
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
    return yaml_nodes.record_texts(text)


def _others_digest(contents: dict[str, bytes | OSError]) -> bytes:
    digest = hashlib.blake2b(digest_size=_DIGEST)
    for name, data in contents.items():
        if name != _RELATIONS and isinstance(data, bytes):
            digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "little") + data)
    return digest.digest()


def _record_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST).digest()


def _reread(folder: Path, key: str, contents: dict[str, bytes | OSError],
            records: list[tuple[str, bytes]]) -> _Session | None:
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
    if (len(index) != _DIGEST * (len(relations) + 1) or index[:_DIGEST] != _others_digest(contents)
            or texts != _texts_key(folder, sources.values())):
        return None
    known = {index[_DIGEST * n:_DIGEST * (n + 1)]: relation for n, relation in enumerate(relations, 1)}
    session = _Session(marked=False, folder=folder)
    try:
        if "sources.yaml" in contents:  # its texts anchor the quotes of the relations read again
            _read_file(folder / "sources.yaml", "source", session, contents["sources.yaml"])
        session.entities = dict(entities)
        session.entities_read = True
        _reread_relations(_FileReader(str(folder / _RELATIONS), session), records, known)
        _check_cycles(session)
    except (_NeedMarks, _Invalid, yaml.YAMLError, yaml_nodes.NotOneRecord):
        return None
    return None if session.unreadable or session.sources != sources else session


def _reread_relations(reader: _FileReader, records: list[tuple[str, bytes]], known: dict[bytes, Relation]) -> None:
    """Each relation, in the file's order: known by its text's digest, or read."""
    session = reader.session
    for record, digest in records:
        relation = known.get(digest)
        if relation is None:
            count = len(session.relations)
            (node,) = yaml_nodes.records(record)
            _read_relation(reader, node, session)
            if len(session.relations) != count + 1:
                raise _NeedMarks
        elif ("relation", relation.id) in session.defined_at:
            raise _NeedMarks  # the same statement twice: the full load says where
        else:
            session.defined_at[("relation", relation.id)] = (reader.file, 0)
            session.relations[relation.id] = relation


def _read_contents(folder: Path, names: list[str]) -> dict[str, bytes | OSError]:
    """Each file's bytes (or why it cannot be read), read once: the cache key and the graph
    come from the same bytes, even if a file changes during the load."""
    contents: dict[str, bytes | OSError] = {}
    for name in names:
        try:
            contents[name] = read_regular_file(folder / name)
        except OSError as err:
            contents[name] = err
    return contents


def _cache_key(contents: dict[str, bytes | OSError]) -> str | None:
    """The cache key of the folder's files; None if one cannot be read (the load says why)."""
    if any(isinstance(data, OSError) for data in contents.values()):
        return None
    return graph_cache.cache_key(contents.items())


def _texts_key(folder: Path, sources: Iterable[Source]) -> str:
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


def read_files(folder: Path, names: list[str], marked: bool,
                contents: dict[str, bytes | OSError] | None = None) -> _Session:
    """Read and check every file (from ``contents`` when given). Without marks (fast, plain
    values), the first problem raises ``_NeedMarks``; with marks (libyaml nodes), every
    problem is collected."""
    session = _Session(marked=marked, folder=folder)
    contents = _read_contents(folder, names) if contents is None else contents
    for name in names:
        session.entities_read = DATA_FILES[name] == "relation"
        _read_file(folder / name, DATA_FILES[name], session, contents[name])
    for reference in session.references:
        _check_reference(session, reference)
    _check_cycles(session)
    if not (session.sources or session.entities or session.relations or session.problems):
        session.add(str(folder), 0, 0, "holds no records: every data file is empty")
    return session


def _read_file(path: Path, record: str, session: _Session, data: bytes | OSError) -> None:
    reader = _FileReader(str(path), session)
    read_record = _READERS[record]
    try:
        for node in _file_records(path, record, reader, data):
            try:
                read_record(reader, node, session)
            except _Invalid:
                continue
    except _Invalid:
        session.unreadable = True


def _file_records(path: Path, record: str, reader: _FileReader, data: bytes | OSError,
                  whole: bool = False) -> Iterable[Node]:
    """The file's records, one node each (``whole``: the one mapping the file is); raises
    _Invalid after reporting why they cannot be read."""

    def fail(line: int, column: int, message: str) -> _Invalid:
        reader.session.add(str(path), line, column, message)
        return _Invalid()

    if isinstance(data, OSError):
        raise fail(0, 0, f"cannot be read: {data.strerror}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise fail(*_position(data, err.start), f"is not valid UTF-8: byte 0x{data[err.start]:02x}; "
                                                "save the file as UTF-8") from None
    try:
        nodes = None if reader.session.marked else yaml_nodes.records(text)
        if whole:
            root = yaml_nodes.compose(text)
            if type(root) is not Map:
                raise fail(getattr(root, "line", 1), getattr(root, "column", 1),
                           f"expected a mapping at the top level (a {record}), got {_describe(root)}")
            nodes = [root]
        elif nodes is None:
            root = yaml_nodes.compose(text)
            if root is not None and type(root) is not Seq:
                plural = "sources" if record == "source" else f"{record}s"
                raise reader.fail(root, f"expected a list of {plural} at the top level, got {_describe(root)}")
            nodes = root.items if root is not None else []
        yield from nodes
    except yaml_nodes.NotOneRecord:
        raise _NeedMarks from None  # read every file again, whole, with libyaml
    except yaml_nodes.LimitError as err:
        raise fail(err.problem_mark.line + 1, err.problem_mark.column + 1, err.problem) from None
    except yaml.MarkedYAMLError as err:
        context = err.context_mark if err.context else None
        found = explain_syntax(text, err.problem or "", err.problem_mark.line + 1, err.problem_mark.column + 1,
                               err.context, context and context.line + 1, context and context.column + 1)
        raise fail(found.line, found.column, f"YAML syntax error: {found.message}") from None
    except yaml.reader.ReaderError as err:
        line, column = _position(text.encode("utf-8"), err.position)
        raise fail(line, column, f"YAML syntax error: {err.reason}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


# --------------------------------------------------------------------------- cross-checks


def _check_reference(session: _Session, ref: _Reference) -> None:
    namespace = "source" if ref.is_source else "entity"
    known = session.sources if ref.is_source else session.entities
    record = known.get(ref.target)
    if record is None:
        # Skip ids defined by records with problems of their own, and every unknown id when
        # a file could not be parsed: it may hold them.
        if (namespace, ref.target) not in session.defined_at and not session.unreadable:
            _add(session, ref, f"{ref.field} '{ref.target}' is not a known {namespace}"
                               f"{session.suggest(ref.target, known)}")
    elif ref.expected and record.kind not in kinds_matching(ref.expected):
        owner = f" of '{ref.owner}'" if ref.owner else ""
        _add(session, ref, f"{ref.field} '{ref.target}'{owner} is {article(record.kind)}; "
                           f"expected {_alternatives(ref.expected)}")


def _check_cycles(session: _Session) -> None:
    """Report places that lie within themselves and bodies that are part of themselves,
    through any chain of ``within`` or of ``part-of`` statements."""
    within = {e.id: {e.within: ("entity", e.id)} for e in session.entities.values() if e.within}
    part_of: dict[str, dict[str, tuple[str, str]]] = {}
    for relation in session.relations.values():
        if relation.type == "part-of":
            part_of.setdefault(relation.subject, {})[relation.object] = ("relation", relation.id)
    for name, links in (("within", within), ("part-of", part_of)):
        for cycle in _cycles(links):
            file, line = session.defined_at[links[cycle[0]][cycle[1 % len(cycle)]]]
            session.add(file, line, 1, f"{name} forms a cycle: {' -> '.join([*cycle, cycle[0]])}")


def _cycles(links: dict[str, dict[str, Any]]) -> list[list[str]]:
    """Cycles of a directed graph, found in linear time by a depth-first search (one for
    each edge that leads back into the current path), each from its smallest node."""
    done: set[str] = set()
    found: dict[frozenset[str], list[str]] = {}
    for root in sorted(links):
        if root in done:
            continue
        path, on_path = [root], {root}
        branches = [iter(sorted(links.get(root, ())))]
        while branches:
            following = next(branches[-1], None)
            if following is None:
                branches.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif following in on_path:
                cycle = path[path.index(following):]
                smallest = cycle.index(min(cycle))
                found.setdefault(frozenset(cycle), cycle[smallest:] + cycle[:smallest])
            elif following not in done:
                path.append(following)
                on_path.add(following)
                branches.append(iter(sorted(links.get(following, ()))))
    return sorted(found.values())


def _add(session: _Session, ref: _Reference, message: str) -> None:
    session.add(ref.file, ref.line, ref.column, message)


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


def _describe(node: Node | Plain) -> str:
    if type(node) in (Map, dict):
        return "a mapping"
    if type(node) in (Seq, list):
        return "a list"
    if node is None:
        return "nothing"
    return f"'{node if type(node) is str else node.value}'"


def _alternatives(names: Iterable[str]) -> str:
    return or_list([article(name) for name in names])


