r"""YAML text to values for the validator: fast plain values, or light nodes with marks.

kg data files are a top-level list of records written in plain block style. ``records``
reads such records itself, several times faster than PyYAML: a record of the usual shape
(``key: value`` lines and lists of such mappings) with one regular expression, any other
line by line. It yields them one at a time as plain values (dict, list, str; a ``Scalar``
for scalars that are not text, such as dates and numbers) without line and column marks.
A record that uses more of YAML (flow mappings, anchors and aliases, tags, block or
multi-line scalars, escapes, duplicate keys) is composed by libyaml into light nodes with
marks instead. ``compose`` reads a whole document with libyaml into light nodes with
marks: the loader uses it when it must say where a problem is. Plain scalars get the tags
PyYAML's resolver gives them, so both readers mean the same thing (the tests compare them).

>>> (record,) = records("- id: hts\n  aliases: [HTS, 'Hei’at']\n  start: 2016\n")
>>> record
{'id': 'hts', 'aliases': ['HTS', 'Hei’at'], 'start': Scalar('2016' at 0:0)}
"""

from __future__ import annotations

import re
from typing import Iterator, Union

import yaml
from yaml.resolver import Resolver

__all__ = ["MAX_EXPANSION", "MAX_NESTING", "ExpansionError", "LimitError", "Map", "NestingError", "Node", "NotOneRecord",
           "Plain", "Scalar", "Seq", "compose", "records"]

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _NULL, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "seq", "map"))


class Scalar:
    """A scalar: its resolved ``tag``, its text ``value`` and 1-based ``line`` and ``column``."""

    __slots__ = ("tag", "value", "line", "column")

    def __init__(self, tag: str, value: str, line: int, column: int):
        self.tag, self.value, self.line, self.column = tag, value, line, column

    def __repr__(self) -> str:
        return f"Scalar({self.value!r} at {self.line}:{self.column})"


class Seq:
    """A sequence of nodes."""

    __slots__ = ("tag", "items", "line", "column")

    def __init__(self, tag: str, items: list, line: int, column: int):
        self.tag, self.items, self.line, self.column = tag, items, line, column


class Map:
    """A mapping, as its (key, value) pairs in order, duplicates kept for the validator."""

    __slots__ = ("tag", "pairs", "line", "column")

    def __init__(self, tag: str, pairs: list, line: int, column: int):
        self.tag, self.pairs, self.line, self.column = tag, pairs, line, column


Node = Union[Scalar, Seq, Map]
#: A record as plain values: dicts, lists, str for text, None for null, Scalar otherwise.
Plain = Union[dict, list, str, None, Scalar]


def compose(text: str) -> Node | None:
    """The whole document as one node, composed by libyaml (None when empty).

    Raises ``yaml.YAMLError`` (with marks) for text that is not YAML, ``NestingError`` for
    nesting deeper than ``MAX_NESTING``, ``ExpansionError`` for aliases that stand for too much.
    """
    return _nodes(text, 0)


#: The deepest nesting kg reads. libyaml composes nested nodes recursively and crashes the
#: interpreter on very deep nesting (about 100,000 levels), so depth is checked first.
MAX_NESTING = 200
#: How many values aliases and merge keys may make a document stand for: this many, or ten
#: times the values written in it if that is more (go-yaml bounds its aliases the same way).
#: Past that, code that walks the values would take time out of all proportion to the text.
MAX_EXPANSION = 400_000


class LimitError(yaml.MarkedYAMLError):
    """Text that is YAML but past one of kg's limits, with the place where it passes it."""


class NestingError(LimitError):
    """Text nested deeper than ``MAX_NESTING``, refused before libyaml reads it."""


class ExpansionError(LimitError):
    """A document whose aliases and merge keys stand for more values than ``MAX_EXPANSION``."""


def _nodes(text: str, line_offset: int) -> Node | None:
    """Light nodes for ``text`` (whose first line is the file's line ``line_offset``), after
    checking its nesting, and its expansion by aliases."""
    root = _from_yaml(_libyaml(text, line_offset), line_offset)
    _check_expansion(root)
    return root


def _check_expansion(root: Node | None) -> None:
    """Raise ExpansionError at the first record where aliases make the document stand for
    more values than it may; linear in the nodes written (shared nodes are sized once)."""
    sizes: dict[int, int] = {}
    items = root.items if type(root) is Seq else [root] if root is not None else []
    expanded = [_expanded(item, sizes) for item in items]
    limit = max(MAX_EXPANSION, 10 * len(sizes))
    total = 0
    for item, size in zip(items, expanded):
        total += size
        if total > limit:
            if type(item) is Map and item.pairs:  # say which field: the key of the one that stands for most
                item = max(item.pairs, key=lambda pair: sizes[id(pair[1])])[0]
            mark = yaml.Mark("<text>", 0, item.line - 1, item.column - 1, None, None)
            raise ExpansionError(problem=f"aliases and merge keys expand to more than {limit:,} values; "
                                         "write the values out instead", problem_mark=mark)


def _expanded(node: Node, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` stands for once every alias in it is written out (a node
    inside itself counts once)."""
    size = sizes.get(id(node))
    if size is not None:
        return size
    sizes[id(node)] = 1  # while it is sized: a cycle counts once
    kind = type(node)
    if kind is Seq:
        size = 1 + sum(_expanded(item, sizes) for item in node.items)
    elif kind is Map:
        size = 1 + sum(_expanded(key, sizes) + _expanded(value, sizes) for key, value in node.pairs)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _libyaml(text: str, line_offset: int = 0) -> yaml.Node | None:
    """libyaml's node tree for ``text``, after checking its depth."""
    deep = _too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep)
        column = deep - (text.rfind("\n", 0, deep) + 1)
        mark = yaml.Mark("<text>", deep, line + line_offset, column, None, None)
        raise NestingError(problem=f"nesting deeper than {MAX_NESTING} levels; kg data is only a few levels deep",
                           problem_mark=mark)
    return yaml.compose(text, Loader=_Composer)


_DEEP_BLOCK = re.compile(r"^[ \t?:-]{%d}" % MAX_NESTING, re.MULTILINE)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _too_deep(text: str) -> int | None:
    """The offset where nesting passes the limit, or None: block nesting is bounded by
    indentation, flow nesting by brackets (counting brackets in quoted text too, which
    only overestimates)."""
    block = _DEEP_BLOCK.search(text)
    if block:
        return block.start()
    brackets = _NOT_BRACKETS.sub("", text)
    for _ in range(MAX_NESTING):
        reduced = brackets.replace("[]", "").replace("{}", "")
        if reduced == brackets:
            break
        brackets = reduced
    else:
        return _first_deep_bracket(text)
    return _first_deep_bracket(text) if len(brackets) >= MAX_NESTING else None


def _first_deep_bracket(text: str) -> int:
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth >= MAX_NESTING:
            return match.start()
    return 0


def records(text: str) -> Iterator[Plain | Node] | None:
    """The records of a file that is a plain top-level list, one at a time, as plain values
    (or light nodes for records libyaml reads); None when the file is something else.

    Raises ``yaml.YAMLError`` (with marks) for a record that is not YAML.
    """
    if (_UNUSUAL_CHARACTER.search(text) or _NOT_AN_ENTRY.search(text) or _NOT_AN_ENTRY_FIRST.match(text)
            or _INDENTED_START.match(text)):
        return None
    return _Reader(text).records()


# A file is a plain top-level list when every line that starts at column 0 is a "- " entry,
# a comment or blank, and nothing but comments and blank lines precede the first entry.
# Characters YAML does not allow anywhere in a file, YAML 1.1's other line breaks, and a
# byte-order mark: libyaml reads such files, and says where a character is wrong.
_UNUSUAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r\u2028\u2029\ufeff\ufffe\uffff]")
_NOT_AN_ENTRY = re.compile(r"\n(?:[^-# \n]|-[^ \n])")  # faster than a MULTILINE search
_NOT_AN_ENTRY_FIRST = re.compile(r"[^-# \n]|-[^ \n]")
_INDENTED_START = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]+[^# \t\n]")

# Every line matches, as (indent, dash, key, value) for "- key: value" shapes or
# (indent, other) with the rest of the line.
_LINE = re.compile(r"^( *)(?:(-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*))?|(.*))$", re.M)
_FLOW_ITEM = re.compile(r"""[ ]*('(?:[^']|'')*'|"[^"\\]*"|[^,\[\]{}'"#&*!|>%@` \t\n][^,\[\]{}#]*?)[ ]*(,|\]$)""")
_PLAIN_START_FORBIDDEN = frozenset("&*!|>%@`{}[]'\",#?")
# First characters that rule out the quick reading of a plain value (-, : and spaces need a look).
_NOT_SIMPLY_PLAIN = _PLAIN_START_FORBIDDEN | frozenset("-: \t")
_ANCHOR = re.compile(r"(?:^|[ \t\n\[{,])&([^ \t\n\[\]{},]+)", re.M)
_RECORD_START = re.compile(r"\n-")  # and the start of the text
_RESOLVERS = Resolver.yaml_implicit_resolvers
_RESOLVED_FIRST = frozenset(_RESOLVERS)  # first characters that may make a plain scalar non-text
# Keys that read as text (most keys: the set stops growing at a few thousand).
_TEXT_KEYS: set[str] = set()


_SHORT_TAGS: dict[str, str] = {}  # short plain scalars that recur (keys, dates, numbers) -> tag


def _plain_tag(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar."""
    if value[:1] not in _RESOLVED_FIRST:
        return _STR
    tag = _SHORT_TAGS.get(value)
    if tag is None:
        tag = next((tag for tag, pattern in _RESOLVERS.get(value[:1], ()) if pattern.match(value)), _STR)
        if len(value) <= 12 and len(_SHORT_TAGS) < 100_000:
            _SHORT_TAGS[value] = tag
    return tag


class _NotPlain(Exception):
    """The record uses YAML beyond plain block style; libyaml reads it."""


class _NeedContext(Exception):
    """A record that libyaml cannot read without the records before it."""


class NotOneRecord(Exception):
    """libyaml does not read a record's lines as one record: the file must be read whole."""


class _Frame:
    """An open block collection: a dict (``key`` awaits a nested value) or a list."""

    __slots__ = ("indent", "value", "key")

    def __init__(self, indent: int, value: dict | list):
        self.indent, self.value, self.key = indent, value, None


class _Reader:
    """Reads a plain top-level list of block YAML records, one record at a time."""

    def __init__(self, text: str):
        self.text = text
        self.anchors: set[str] = set()  # anchors in the records libyaml has read

    def records(self) -> Iterator[Plain | Node]:
        text = self.text
        starts = [match.start() + 1 for match in _RECORD_START.finditer(text)]
        if text.startswith("-"):
            starts.insert(0, 0)
        first = text.count("\n", 0, starts[0]) if starts else 0  # the index of the record's first line
        for index, (start, stop) in enumerate(zip(starts, starts[1:] + [len(text)])):
            lines = text.count("\n", start, stop)
            record = _simple_record(text, start, stop, lines)
            if record is None:
                try:
                    record = self.record(text[start:stop], first)
                except _NeedContext:
                    yield from self.whole(index, len(starts))
                    return
            yield record
            first += lines

    def whole(self, index: int, count: int) -> Iterator[Node]:
        """The records from the one at ``index`` on, from one reading of the whole text by
        libyaml: once a record needs the records before it, each byte is still composed at
        most twice, never once for every record that follows."""
        document = _nodes(self.text, 0)
        if type(document) is not Seq or len(document.items) != count:
            raise NotOneRecord
        yield from document.items[index:]

    def record(self, chunk: str, first: int) -> Plain | Node:
        """The record in ``chunk``, which starts at the line at index ``first``, read line by line."""
        stack = [_Frame(0, [])]
        failed = False
        for indent, dash, key, value, other in _LINE.findall(chunk):
            if not key:
                stripped = other.lstrip(" ")
                if not stripped or stripped[0] == "#":
                    continue  # blank or comment
            top = stack[-1]
            try:
                if key and not dash and top.indent == len(indent) and top.key is None and type(top.value) is dict:
                    # The common case: the next key of the mapping being read.
                    if key in top.value or not (key in _TEXT_KEYS or _text_key(key)):
                        raise _NotPlain  # a duplicate key, or a key that is not text
                    if value and value[0] != "#":
                        top.value[key] = _value(value)
                    else:
                        top.key = key
                else:
                    self.line(stack, len(indent), dash, key, value, other)
            except _NotPlain:
                failed = True
                break
        return self.finish(stack, chunk, first, failed)

    def finish(self, stack: list[_Frame], chunk: str, first: int, failed: bool) -> Plain | Node:
        """The record read into ``stack``; libyaml reads ``chunk`` if it is not plain. Raises
        _NeedContext when it cannot be read alone."""
        if not failed:
            root = stack[0].value
            while stack:
                _settle(stack.pop())
            return root[0]
        anchors = set(_ANCHOR.findall(chunk))
        seen, self.anchors = self.anchors, self.anchors | anchors
        if anchors & seen:
            raise _NeedContext  # an anchor defined again
        try:
            document = _nodes(chunk, first)
        except LimitError:
            raise
        except yaml.YAMLError:
            # An alias to an anchor in an earlier record, or a syntax error: read the whole
            # text, for the anchors and exact messages.
            raise _NeedContext from None
        if type(document) is not Seq or len(document.items) != 1:
            raise NotOneRecord
        return document.items[0]

    def line(self, stack: list[_Frame], indent: int, dash: str, key: str, value: str, other: str) -> None:
        """Read one line into the open collections (every case but the common one)."""
        if dash or (not key and other[0] == "-" and other[1:2] in ("", " ")):
            _entry(stack, indent)
            if not key:
                rest = other[1:].lstrip(" ")
                if not rest:
                    raise _NotPlain  # the entry's content is on the next lines
                stack[-1].value.append(_inline(rest))
                return
            indent += len(dash)
            mapping: dict = {}
            stack[-1].value.append(mapping)
            stack.append(_Frame(indent, mapping))
        elif not key:
            raise _NotPlain  # a scalar on a line of its own: continued or block text
        else:
            _key(stack, indent)
        frame = stack[-1]
        if key in frame.value or not (key in _TEXT_KEYS or _text_key(key)):
            raise _NotPlain
        if value and value[0] != "#":
            frame.value[key] = _value(value)
        else:
            frame.key = key


# The shape most records have: "key: value" lines, and lists of mappings written as
# "    - key: value" and "      key: value" lines; a key with no value is null or the list
# that follows. One match a line, blank lines too: a record whose lines do not all match is
# read line by line.
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_SIMPLE_FIELD = re.compile(rf"^(?:(- |  |    - |      )({_KEY}):(?:[ ]+([^ \n][^\n]*))?|[ ]*)$", re.M)


def _simple_record(text: str, start: int, stop: int, lines: int) -> dict | None:
    """The record in ``text[start:stop]`` (which holds ``lines`` line breaks) if it has the
    simple shape and plain values, else None."""
    fields = _SIMPLE_FIELD.findall(text, start, stop)
    if len(fields) != lines + 1:
        return None  # a line of another shape: a comment, deeper nesting, a multi-line value
    record: dict = {}
    target = record  # the mapping being read: the record or a list item
    listed = None  # the key with no value whose list may follow
    for indent, key, value in fields:
        if not key:
            continue  # a blank line
        if not (key in _TEXT_KEYS or _text_key(key)):
            return None
        if indent == "  " or indent == "- ":
            target, listed = record, None if value else key
        elif indent == "    - ":
            if listed is None:
                return None  # an item after a value
            items = record[listed]
            if items is None:
                items = record[listed] = []
            target = {}
            items.append(target)
        elif target is record:
            return None  # an item's field with no item
        if key in target:
            return None
        try:
            target[key] = _value(value) if value else None
        except _NotPlain:
            return None
    return record


def _settle(frame: _Frame) -> None:
    """A key whose value never came gets a null, as YAML says."""
    if frame.key is not None:
        frame.value[frame.key] = None
        frame.key = None


def _entry(stack: list[_Frame], column: int) -> None:
    """Make the top of the stack the list that an entry at ``column`` belongs to."""
    while stack[-1].indent > column:
        _settle(stack.pop())
    top = stack[-1]
    if type(top.value) is list and top.indent == column:
        return
    if top.key is not None and top.indent <= column:
        sequence: list = []
        top.value[top.key] = sequence
        top.key = None
        stack.append(_Frame(column, sequence))
        return
    raise _NotPlain


def _key(stack: list[_Frame], column: int) -> None:
    """Make the top of the stack the dict that a key at ``column`` belongs to."""
    while stack[-1].indent > column or (
            stack[-1].indent == column and type(stack[-1].value) is list and len(stack) > 1):
        _settle(stack.pop())  # a key at a compact list's column ends the list
    top = stack[-1]
    if type(top.value) is dict and top.indent == column:
        _settle(top)
        return
    if top.key is not None and top.indent < column:
        mapping: dict = {}
        top.value[top.key] = mapping
        top.key = None
        stack.append(_Frame(column, mapping))
        return
    raise _NotPlain


def _text_key(key: str) -> bool:
    """Whether a key reads as text (not ``on``, ``yes`` or ``1``); remembered when it does."""
    if _plain_tag(key) != _STR:
        return False
    if len(_TEXT_KEYS) < 4096:
        _TEXT_KEYS.add(key)
    return True


def _value(text: str) -> Plain:
    """A value written after ``key:``, read at once when it is plain text or simply quoted."""
    first = text[0]
    if (first not in _NOT_SIMPLY_PLAIN and text[-1] not in ": " and ": " not in text and " #" not in text
            and "\t" not in text):
        return text if first not in _RESOLVED_FIRST else _plain_value(_plain_tag(text), text)
    if first == '"' and text[-1] == '"' and text.count('"') == 2 and "\\" not in text:
        return text[1:-1]
    return _inline(text)


def _inline(text: str) -> Plain:
    """A value written on one line: a plain or quoted scalar, or a flow list of them."""
    text = text.rstrip(" ")
    first = text[0]
    if first == '"' and text[-1] == '"' and text.count('"') == 2 and "\\" not in text:
        return text[1:-1]
    if first == "[":
        return _flow_list(text)
    value, tag, rest = _scalar(text)
    if rest and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise _NotPlain
    return _plain_value(tag, value)


def _plain_value(tag: str, value: str) -> Plain:
    if tag == _STR:
        return value
    return None if tag == _NULL else Scalar(tag, value, 0, 0)


def _flow_list(text: str) -> list:
    """A one-line flow list of plain or quoted scalars, such as ``[air, 'arms']``."""
    items: list = []
    if text == "[]":
        return items
    at = 1
    while at < len(text):
        match = _FLOW_ITEM.match(text, at)
        if not match:
            raise _NotPlain
        value, tag, rest = _scalar(match.group(1), flow=True)
        if rest:
            raise _NotPlain
        items.append(_plain_value(tag, value))
        at = match.end()
        if match.group(2) == "]":
            return items
    raise _NotPlain


def _scalar(text: str, flow: bool = False) -> tuple[str, str, str]:
    """(value, tag, what follows) of a scalar at the start of ``text``; raises _NotPlain."""
    first = text[0]
    if first == "'":
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise _NotPlain
            if text[end + 1:end + 2] != "'":
                break
            end += 2
        return text[1:end].replace("''", "'"), _STR, text[end + 1:]
    if first == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise _NotPlain
        return text[1:end], _STR, text[end + 1:]
    if first in _PLAIN_START_FORBIDDEN or (first in "-:" and text[1:2] in ("", " ")):
        raise _NotPlain
    comment = text.find(" #")
    value = (text if comment < 0 else text[:comment]).rstrip(" ")
    if ": " in value or value.endswith(":") or "\t" in value or (flow and ":" in value):
        raise _NotPlain
    return value, _plain_tag(value), ""


def _from_yaml(node: yaml.Node | None, line_offset: int, seen: dict | None = None) -> Node | None:
    """Light nodes from PyYAML nodes; shared (aliased) nodes stay shared, cycles stay cycles."""
    if node is None:
        return None
    seen = {} if seen is None else seen
    if id(node) in seen:
        return seen[id(node)]
    line, column = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        light: Node = Scalar(node.tag, node.value, line, column)
        seen[id(node)] = light
    elif isinstance(node, yaml.SequenceNode):
        light = seen[id(node)] = Seq(node.tag, [], line, column)
        light.items.extend(_from_yaml(item, line_offset, seen) for item in node.value)
    else:
        light = seen[id(node)] = Map(node.tag, [], line, column)
        light.pairs.extend((_from_yaml(k, line_offset, seen), _from_yaml(v, line_offset, seen))
                           for k, v in node.value)
    return light
