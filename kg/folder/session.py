"""What reading a folder accumulates, and the reader that checks mappings and reports problems in place."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kg.errors import Problem, unknown_term_message
from kg.folder.checks import check_reference
from kg.folder.nodes import BOOL, FLOAT, INT, MAP, MERGE, NULL, SEQ, STR, TAG, TIMESTAMP, Map, Node, Plain, Scalar, Seq
from kg.model import Entity, Relation, Source
from kg.vocabulary import kinds_matching

__all__ = ["INVALID", "Field", "FileReader", "Invalid", "NeedMarks", "Reference", "Schema", "Session", "describe"]

_KNOWN_TAGS = {STR, NULL, SEQ, MAP, MERGE, INT, FLOAT, BOOL, TIMESTAMP}


# Cap the did-you-mean searches, each a scan over every id, so huge bad inputs stay fast.
_SUGGESTION_BUDGET = 200


@dataclass
class Reference:
    """An id that must name a record of the right kind; checked once every file is read."""

    file: str
    line: int
    column: int
    field: str
    target: str
    expected: tuple[str, ...] | None = None  # kinds or categories; None: any entity
    owner: str | None = None  # the relation type whose domain or range this is
    is_source: bool = False
    record: int | None = None  # the index of its record in the file, when read without marks (line 0)


@dataclass
class Session:
    """What reading a folder accumulates: records, references to check, problems."""

    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    defined_at: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    marked: bool = False  # values carry their line and column, so problems can be reported
    unreadable: bool = False  # a file could not be parsed, so its ids are unknown
    entities_read: bool = False  # every entity file has been read: references are checked at once
    suggest: "_Suggester" = field(default_factory=lambda: _Suggester())
    folder: Path = Path(".")
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # source id -> (file name, text)
    candidates: bool = False  # reading a candidates file: statements proposed by kg suggest
    needs: set[tuple[str, int]] = field(default_factory=set)  # records to read with marks: (file, index)

    def add(self, file: str, line: int, column: int, message: str) -> None:
        """Record a problem; without marks, start again with them (see ``_read_folder``)."""
        if not self.marked:
            raise NeedMarks
        self.problems.append(Problem(file, line, column, message))


class Invalid(Exception):
    """Raised inside a field reader after the problem has been reported."""


class NeedMarks(Exception):
    """A problem was found while reading plain values: read again with line and column marks."""


class FileReader:
    """Reads the nodes of one file, reporting problems at their line and column."""

    def __init__(self, file: str, session: Session):
        self.file = file
        self.session = session
        self.record: int | None = None  # the index of the record being read, and its first line
        self.line = 0

    # -- reporting

    def report(self, node: Node | Plain, message: str) -> None:
        if not self.session.marked:
            raise NeedMarks
        self.session.add(self.file, node.line, node.column, message)

    def fail(self, node: Node, message: str) -> Invalid:
        self.report(node, message)
        return Invalid()

    def refer(self, node: Node, field_name: str, target: str, expected: tuple[str, ...] | None = None,
              owner: str | None = None, is_source: bool = False) -> None:
        """Check a reference now if its targets are all read, else once they are."""
        session = self.session
        if is_source or session.entities_read:
            record = (session.sources if is_source else session.entities).get(target)
            if record is not None and (expected is None or record.kind in kinds_matching(expected)):
                return  # the common case, checked without building anything
        line, column = getattr(node, "line", 0), getattr(node, "column", 0)
        reference = Reference(self.file, line, column, field_name, target, expected, owner, is_source,
                              None if line else self.record)
        if is_source or session.entities_read:
            check_reference(session, reference)
        else:
            session.references.append(reference)

    # -- structure

    def check_tag(self, node: Node | Plain) -> None:
        if type(node) in _MARKED and node.tag not in _KNOWN_TAGS:
            shown = "!!" + node.tag[len(TAG):] if node.tag.startswith(TAG) else node.tag
            raise self.fail(node, f"unsupported YAML tag '{shown}'; kg reads plain YAML only")

    def fields(self, node: Node, what: str, schema: "Schema",
               merging: frozenset[int] = frozenset()) -> tuple[dict[str, Any], dict[str, Node]]:
        """Read a mapping against ``schema``: the values of its fields (``INVALID`` where a
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
                except Invalid:
                    value = INVALID
                if value is not None:
                    values[key] = value
            return self.required(values, node, what, schema), node
        if type(node) is not Map:
            raise self.fail(node, f"expected a mapping for {what}, got {describe(node)}")
        if node.tag != MAP:
            self.check_tag(node)
        values = {}
        nodes: dict[str, Node] = {}
        merges: list[Node] = []
        for key_node, value_node in node.pairs:
            if key_node.tag != STR:
                if key_node.tag == MERGE:
                    merges.append(value_node)
                else:
                    self.report(key_node, f"expected a field name, got {describe(key_node)}")
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
                merged_values, merged_nodes = self.fields(source, what, Schema({k: Field(_keep) for k in schema}),
                                                          merging)
                for key, value_node in merged_nodes.items():
                    if key not in nodes:
                        nodes[key] = value_node
                        self.field(values, schema, key, value_node, value_node, what)
        return self.required(values, node, what, schema), nodes

    def required(self, values: dict[str, Any], node: Node | Plain, what: str,
                 schema: "Schema") -> dict[str, Any]:
        """Report the required fields that are missing (or null)."""
        for key in schema.required:
            if key not in values:
                self.report(node, f"{what} is missing required field '{key}'")
                values[key] = INVALID
        return values

    def field(self, values: dict[str, Any], schema: "Schema", key: str, key_node: Node,
              value_node: Node, what: str) -> None:
        """Read one field's value into ``values``."""
        read = schema.get(key)
        if read is None:
            self.report(key_node, unknown_term_message("field", key, schema, where=f"in {what}"))
            return
        try:
            value = read(self, value_node, key)
        except Invalid:
            values[key] = INVALID
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
        raise self.fail(node, f"{field_name}: expected a list, got {describe(node)}")


INVALID = object()  # the value of a field whose problem was already reported

_MARKED = (Scalar, Seq, Map)


def _keep(reader: FileReader, node: Node, field_name: str) -> Node:
    """Read nothing yet: a merged mapping's fields are read against the record's schema."""
    return node


class Schema(dict):
    """Field name -> the function that reads it, with the names of the required fields."""

    def __init__(self, fields: dict[str, "Field"]):
        super().__init__({name: spec.read for name, spec in fields.items()})
        self.required = tuple(name for name, spec in fields.items() if spec.required)


@dataclass(frozen=True)
class Field:
    read: Callable[[FileReader, Node, str], Any]
    required: bool = False


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


def describe(node: Node | Plain) -> str:
    if type(node) in (Map, dict):
        return "a mapping"
    if type(node) in (Seq, list):
        return "a list"
    if node is None:
        return "nothing"
    return f"'{node if type(node) is str else node.value}'"
