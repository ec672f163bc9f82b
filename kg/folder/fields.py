"""Field readers, one per kind of value (text, id, choice, reference, date, number, citations)."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, Callable

from kg import texts as source_texts
from kg.dates import EDTF_EXPECTED, check_date, check_edtf
from kg.dates import EXPECTED as DATE_FORMATS
from kg.errors import unknown_term_message
from kg.folder.nodes import BOOL, FLOAT, INT, MERGE, NULL, STR, TIMESTAMP, Node, Plain, Scalar
from kg.folder.session import INVALID, Field, FileReader, Invalid, Schema, describe
from kg.model import Citation

_SCALAR_TYPE_NAMES = {INT: "a number", FLOAT: "a number", BOOL: "a boolean", TIMESTAMP: "a date",
                      MERGE: "a merge key"}

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

WIKIDATA = re.compile(r"Q[1-9][0-9]*")

URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")

LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


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


def _scalar(reader: FileReader, node: Node | Plain, field_name: str) -> tuple[str, str] | None:
    """(tag, text) of a scalar value; None for null."""
    kind = type(node)
    if kind is str:
        return STR, node
    if node is None:
        return None
    reader.check_tag(node)
    if kind is not Scalar:
        raise reader.fail(node, f"{field_name}: expected a single value, got {describe(node)}")
    return None if node.tag == NULL else (node.tag, node.value)


def text(reader: FileReader, node: Node | Plain, field_name: str,
          bad_characters: re.Pattern = _BAD_IN_TEXT) -> str | None:
    if type(node) is str:
        value = node
    elif type(node) is Scalar and node.tag == STR:
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


def long_text(reader: FileReader, node: Node, field_name: str) -> str | None:
    return text(reader, node, field_name, _BAD_IN_LONG_TEXT)


def pattern_reader(pattern: re.Pattern, hint: str) -> Callable:
    valid: set[str] = set()  # texts already checked, such as ids that recur

    def read(reader: FileReader, node: Node | Plain, field_name: str) -> str | None:
        if type(node) is str and node in valid:
            return node
        value = text(reader, node, field_name)
        if value is not None and not pattern.fullmatch(value):
            raise reader.fail(node, f"{field_name}: {value!r} is not {hint}")
        if value is not None and len(valid) < 1_000_000:
            valid.add(value)
        return value

    return read


slug = pattern_reader(ID, "a valid id: use lowercase letters, digits and single hyphens, like 'syrian-arab-army'")


def choice(table: dict, what: str) -> Callable:
    def read(reader: FileReader, node: Node | Plain, field_name: str) -> str | None:
        if type(node) is str and node in table:
            return node
        value = text(reader, node, field_name)
        if value is not None and value not in table:
            raise reader.fail(node, unknown_term_message(what, value, table))
        return value

    return read


def text_list(reader: FileReader, node: Node, field_name: str) -> tuple[str, ...] | None:
    values = [text(reader, item, field_name) for item in reader.items(node, field_name)]
    return tuple(value for value in values if value is not None) or None


def choice_list(table: dict, what: str) -> Callable:
    read_one = choice(table, what)

    def read(reader: FileReader, node: Node, field_name: str) -> tuple[str, ...] | None:
        values, failed = [], False
        for item in reader.items(node, field_name):
            try:
                values.append(read_one(reader, item, field_name))
            except Invalid:
                failed = True
        if failed:
            raise Invalid()
        return tuple(value for value in values if value is not None) or None

    return read


def entity_ref(*expected: str) -> Callable:
    def read(reader: FileReader, node: Node, field_name: str) -> str | None:
        value = slug(reader, node, field_name)
        if value is not None:
            reader.refer(node, field_name, value, expected=expected or None)
        return value

    return read


def entity_refs(*expected: str) -> Callable:
    read_one = entity_ref(*expected)

    def read(reader: FileReader, node: Node, field_name: str) -> tuple[str, ...] | None:
        values = [read_one(reader, item, field_name) for item in reader.items(node, field_name)]
        return tuple(value for value in values if value is not None) or None

    return read


def source_ref(reader: FileReader, node: Node, field_name: str) -> str | None:
    value = slug(reader, node, field_name)
    if value is not None:
        reader.refer(node, field_name, value, is_source=True)
    return value


def date(reader: FileReader, node: Node, field_name: str) -> str | None:
    """A partial ISO date: a source's or a figure's date."""
    return _checked_date(reader, node, field_name, check_date, DATE_FORMATS)


def moment(reader: FileReader, node: Node, field_name: str) -> str | None:
    """When a statement or event began or ended: a partial ISO date or an EDTF form."""
    return _checked_date(reader, node, field_name, check_edtf, EDTF_EXPECTED)


def _checked_date(reader: FileReader, node: Node, field_name: str, check: Callable[[str], str | None],
                  expected: str) -> str | None:
    scalar = _scalar(reader, node, field_name)
    if scalar is None:
        return None
    problem = check(scalar[1])
    if problem:
        raise reader.fail(node, f"{field_name}: bad date '{scalar[1]}': {problem}; {expected}")
    return scalar[1]


def number(low: float | None = None, high: float | None = None) -> Callable:
    def read(reader: FileReader, node: Node, field_name: str) -> int | float | None:
        scalar = _scalar(reader, node, field_name)
        if scalar is None:
            return None
        tag, written = scalar
        digits = written.replace("_", "")
        if len(digits) > _MAX_NUMBER_LENGTH:
            raise reader.fail(node, f"{field_name}: a number written with {len(digits):,} characters; kg reads "
                                    f"numbers of at most {_MAX_NUMBER_LENGTH}")
        if tag == INT and _DECIMAL_INT.fullmatch(digits):
            value: int | float = int(digits)
        elif tag == FLOAT and _DECIMAL_FLOAT.fullmatch(digits):
            value = float(digits)
        else:
            raise reader.fail(node, f"{field_name}: expected a decimal number, got '{written}'")
        if not math.isfinite(value):
            raise reader.fail(node, f"{field_name}: {written} is too large to be a number (it reads as infinity)")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise reader.fail(node, f"{field_name}: {written} is not {bounds}")
        return value

    return read


def nested_records(what: str, schema: "Schema", build: Callable[[dict], Any]) -> Callable:
    """A reader for a list of nested records (citations, figures); fails if any item does."""

    def read(reader: FileReader, node: Node, field_name: str) -> tuple | None:
        records, failed = [], False
        for item in reader.items(node, field_name):
            try:
                values, _ = reader.fields(item, what, schema)
            except Invalid:
                values = {None: INVALID}
            if INVALID in values.values():
                failed = True
            else:
                records.append(build(values))
        if failed:
            raise Invalid()
        return tuple(records) or None

    return read


def _occurrence(reader: FileReader, node: Node, field_name: str) -> int | None:
    value = number(1)(reader, node, field_name)
    if value is not None and type(value) is not int:
        raise reader.fail(node, f"{field_name}: expected a whole number, got '{value}'")
    return value


_CITATION_FIELDS = Schema({"source": Field(source_ref, True), "quote": Field(text, True),
                            "occurrence": Field(_occurrence)})


def citations(reader: FileReader, node: Node | Plain, field_name: str) -> tuple[Citation, ...] | None:
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


def _read_citations(reader: FileReader, node: Node, field_name: str) -> tuple[Citation, ...] | None:
    """Citations read field by field; each quote of a source with a text is anchored in it,
    or reported at the quote with the closest passage."""
    records, failed = [], False
    for item in reader.items(node, field_name):
        try:
            values, nodes = reader.fields(item, "a citation", _CITATION_FIELDS)
        except Invalid:
            values, nodes = {None: INVALID}, {}
        if INVALID not in values.values() and values["source"] in reader.session.texts:
            values = _anchored(reader, values, nodes)
        if INVALID in values.values():
            failed = True
        else:
            records.append(Citation(**values))
    if failed:
        raise Invalid()
    return tuple(records) or None


def _anchored(reader: FileReader, values: dict, nodes: dict[str, Node]) -> dict:
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
    return {**values, "quote": INVALID}
