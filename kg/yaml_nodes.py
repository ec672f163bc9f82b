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

__all__ = ["MAX_EXPANSION", "MAX_NESTING", "ExpansionError", "LimitError", "Map", "NestingError", "Node",
           "NotOneRecord", "Plain", "Scalar", "Seq", "compose", "record_texts", "records"]

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
    text = _plain_list(text)
    return None if text is None else _Reader(text).records()


def record_texts(text: str) -> list[str] | None:
    r"""The text of each record of a file that is a plain top-level list (with the comments
    and blank lines that follow it), as ``records`` reads them; None when the file is
    something else.

    >>> record_texts("# actors\n- id: a\n\n- id: b\n  name: B\n")
    ['- id: a\n\n', '- id: b\n  name: B\n']
    """
    text = _plain_list(text)
    if text is None:
        return None
    starts = _record_starts(text)
    return [text[start:stop] for start, stop in zip(starts, starts[1:] + [len(text)])]


def _plain_list(text: str) -> str | None:
    """``text`` with CRLF line ends made LF if it is a plain top-level list, else None."""
    if "\r" in text and text.count("\r") == text.count("\r\n"):
        text = text.replace("\r\n", "\n")  # the same lines and columns: a CR only ever ends a line
    if (_UNUSUAL_CHARACTER.search(text) or _NOT_AN_ENTRY.search(text) or _NOT_AN_ENTRY_FIRST.match(text)
            or _INDENTED_START.match(text)):
        return None
    return text


def _record_starts(text: str) -> list[int]:
    starts = [match.start() + 1 for match in _RECORD_START.finditer(text)]
    if text.startswith("-"):
        starts.insert(0, 0)
    return starts


# A file is a plain top-level list when every line that starts at column 0 is a "- " entry,
# a comment or blank, and nothing but comments and blank lines precede the first entry.
# Characters YAML does not allow anywhere in a file, YAML 1.1's other line breaks, and a
# byte-order mark: libyaml reads such files, and says where a character is wrong.
_UNUSUAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r\u2028\u2029\ufeff\ufffe\uffff]")
_NOT_AN_ENTRY = re.compile(r"\n(?:[^-# \n]|-[^ \n])")  # faster than a MULTILINE search
_NOT_AN_ENTRY_FIRST = re.compile(r"[^-# \n]|-[^ \n]")
_INDENTED_START = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]+[^# \t\n]")

# Every line matches, as (line, indent, dash, key, value) for "- key: value" shapes or
# (line, indent, other) with the rest of the line; keys may be quoted.
_LINE = re.compile(r"""^(( *)(?:(-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*|"[A-Za-z_][A-Za-z0-9_-]*"|"""
                   r"""'[A-Za-z_][A-Za-z0-9_-]*'):(?:[ ]+(.*))?|(.*)))$""", re.M)
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
        starts = _record_starts(text)
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
        try:
            _read_lines(stack, _LINE.findall(chunk))
        except _NotPlain:
            return self.finish(stack, chunk, first, True)
        return self.finish(stack, chunk, first, False)

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



def _read_lines(stack: list[_Frame], lines: list[tuple[str, ...]]) -> None:
    """Read the lines ``_LINE`` matched into the open collections; raises _NotPlain."""
    pending = None  # (mapping, key, lines, column): a value that may go on over the next lines
    at = 0
    while at < len(lines):
        whole, indent, dash, key, value, other = lines[at]
        at += 1
        if pending is not None:
            if _goes_on(pending, whole, len(indent)):
                pending[2].append(whole.lstrip(" "))
                continue
            pending[0][pending[1]] = _folded(pending[2])
            pending = None
        if not key:
            stripped = other.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue  # blank or comment
        top = stack[-1]
        if key and not dash and top.indent == len(indent) and top.key is None and type(top.value) is dict:
            frame: _Frame | None = top  # the common case: the next key of the mapping being read
        else:
            frame = _line(stack, len(indent), dash, key, other)
            if frame is None:
                continue
        if key[0] in "'\"":
            key = key[1:-1]
        elif not (key in _TEXT_KEYS or _text_key(key)):
            raise _NotPlain  # a key that is not text
        if key in frame.value:
            raise _NotPlain  # a duplicate key
        if not value or value[0] == "#":
            frame.key = key
        elif value[0] in "|>":
            frame.value[key], at = _block_scalar(value, lines, at, frame.indent)
        else:
            pending = (frame.value, key, [value], frame.indent)
    if pending is not None:
        pending[0][pending[1]] = _folded(pending[2])


def _goes_on(pending: tuple, whole: str, indent: int) -> bool:
    """Whether a line goes on with the value before it: more indented than that value's
    mapping, not blank, and (after a plain value) not a comment."""
    if indent <= pending[3]:
        return False
    stripped = whole.strip(" ")
    return bool(stripped) and (stripped[0] != "#" or pending[2][0][0] in "'\"")


def _line(stack: list[_Frame], indent: int, dash: str, key: str, other: str) -> _Frame | None:
    """Open or close collections for one line (every case but the common one); the mapping
    the line's key belongs to, or None for a scalar list entry, which is read here."""
    if dash or (not key and other[0] == "-" and other[1:2] in ("", " ")):
        _entry(stack, indent)
        if not key:
            rest = other[1:].lstrip(" ")
            if not rest:
                raise _NotPlain  # the entry's content is on the next lines
            stack[-1].value.append(_inline(rest))
            return None
        indent += len(dash)
        mapping: dict = {}
        stack[-1].value.append(mapping)
        stack.append(_Frame(indent, mapping))
    elif not key:
        raise _NotPlain  # a scalar on a line of its own: continued or block text
    else:
        _key(stack, indent)
    return stack[-1]


_BLOCK_HEADER = re.compile(r"([|>])([-]?)(?:[ ]+#.*|[ ]*)$")


def _block_scalar(header: str, lines: list[tuple[str, ...]], at: int, column: int) -> tuple[str, int]:
    """The literal (``|``) or folded (``>``) block scalar whose lines start at ``lines[at]``,
    inside a mapping at ``column``, and the index of the line after it."""
    match = _BLOCK_HEADER.match(header)
    if not match:
        raise _NotPlain  # keep (+) chomping, an explicit indentation
    body: list[str] = []
    indent, blank = 0, 0
    while at < len(lines):
        whole = lines[at][0]
        text = whole.lstrip(" ")
        if not text:
            blank = max(blank, len(whole))
            body.append("")
        else:
            spaces = len(whole) - len(text)
            if spaces < (indent or column + 1):
                break
            indent = indent or spaces
            body.append(whole[indent:])
        at += 1
    if not indent or blank > indent:
        raise _NotPlain  # no text, or spaces that may be text
    while body[-1] == "":
        body.pop()
    if match.group(1) == "|":
        value = "\n".join(body)
    elif any(line[:1] in (" ", "\t") or line[-1:] in (" ", "\t") for line in body):
        raise _NotPlain  # more indented lines, trailing spaces: folded otherwise
    else:
        value = _fold(body)
    return (value if match.group(2) else value + "\n"), at


def _fold(body: list[str]) -> str:
    """Folded text: one line break between lines reads as a space, each empty line as one."""
    parts: list[str] = []
    blank = 0
    for line in body:
        if not line:
            blank += 1
            continue
        if parts or blank:
            parts.append("\n" * blank if blank else " ")
        parts.append(line)
        blank = 0
    return "".join(parts)


# The shape most records have: "key: value" lines, and lists of mappings written as
# "    - key: value" and "      key: value" lines (kg's style) or as "  - key: value" and
# "    key: value" lines (the indentless lists PyYAML and ruamel.yaml write); a key with no
# value is null or the list that follows; a value may go on over more indented lines (as
# PyYAML folds long ones); keys may be quoted; comment lines are skipped. One match a line:
# a record whose lines do not all match is read line by line.
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_ANY_KEY = rf"""{_KEY}|"{_KEY}"|'{_KEY}'"""
_SIMPLE_LINE = r"^(?:({indents})({key}):(?:[ ]+([^ \n][^\n]*))?|( {{3,}})([^ #\n][^\n]*)|[ ]*(?:#[^\n]*)?)$"
_SHAPES = tuple((re.compile(_SIMPLE_LINE.format(indents=indents, key=_ANY_KEY), re.M), item, field)
                for indents, item, field in (("- |  |    - |      ", "    - ", "      "),
                                              ("- |  |  - |    ", "  - ", "    ")))


def _simple_record(text: str, start: int, stop: int, lines: int) -> dict | None:
    """The record in ``text[start:stop]`` (which holds ``lines`` line breaks) if it has a
    simple shape and plain values, else None."""
    pattern, item, field = _SHAPES[1 if _INDENTLESS_ITEM.search(text, start, stop) else 0]
    fields = pattern.findall(text, start, stop)
    if len(fields) != lines + 1:
        return None  # a line of another shape: deeper nesting, a block scalar
    try:
        return _simple_fields(fields, item, len(field))
    except _NotPlain:
        return None


_INDENTLESS_ITEM = re.compile(r"^  - ", re.M)


def _simple_fields(fields: list[tuple[str, ...]], item: str, column: int) -> dict:
    """A record from the lines ``_SHAPES`` matched; raises _NotPlain if it is not plain."""
    record: dict = {}
    target = record  # the mapping being read: the record or a list item
    listed = None  # the key with no value whose list may follow
    key = text = None  # the field being read and its text so far, as a list of lines
    for indent, field, value, more, continued in fields:
        if more:  # a line that goes on with the value before it
            if text is None or len(more) <= (2 if target is record else column):
                raise _NotPlain
            text.append(continued)
            continue
        if text is not None:
            target[key] = _folded(text)
            text = None
        if not field:
            if continued:
                raise _NotPlain
            continue  # a blank or comment line
        if field[0] in "'\"":
            field = field[1:-1]
        elif not (field in _TEXT_KEYS or _text_key(field)):
            raise _NotPlain
        if indent == "  " or indent == "- ":
            target, listed = record, None if value else field
        elif indent == item:
            if listed is None:
                raise _NotPlain  # an item after a value
            items = record[listed]
            if items is None:
                items = record[listed] = []
            target = {}
            items.append(target)
        elif target is record:
            raise _NotPlain  # an item's field with no item
        if field in target:
            raise _NotPlain
        if not value:
            target[field] = None
        elif value[0] in "|>":
            raise _NotPlain
        else:
            key, text = field, [value]
    if text is not None:
        target[key] = _folded(text)
    return record


def _folded(lines: list[str]) -> Plain:
    """The value written over ``lines`` (one line, or a plain or quoted scalar folded over
    several: each line break between two lines reads as a space)."""
    if len(lines) == 1:
        return _value(lines[0])
    first = lines[0]
    if first[0] in "'\"":
        text = " ".join([first.rstrip(" "), *(line.strip(" ") for line in lines[1:])])
        if first[0] == '"' and "\\" in text:
            raise _NotPlain
        value, tag, rest = _scalar(text)
        if rest and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
            raise _NotPlain
        return value
    for line in lines:
        if ": " in line or " #" in line or "\t" in line or line.rstrip(" ").endswith(":"):
            raise _NotPlain
    text = " ".join([first.rstrip(" "), *(line.rstrip(" ") for line in lines[1:])])
    value, tag, rest = _scalar(text)
    if rest:
        raise _NotPlain
    return _plain_value(tag, value)


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
    if first == "[" or first == "{":
        return _flow(text)
    value, tag, rest = _scalar(text)
    if rest and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise _NotPlain
    return _plain_value(tag, value)


def _plain_value(tag: str, value: str) -> Plain:
    if tag == _STR:
        return value
    return None if tag == _NULL else Scalar(tag, value, 0, 0)


# A flow collection's tokens: an indicator, the ": " after a key, a quoted scalar (escapes
# are left to libyaml) or a plain one (no ':' or '#' in it, which libyaml versions read
# differently); anything else is a character the fast reader leaves to libyaml.
_FLOW_TOKEN = re.compile(r"""[ ]*(?:([\[\]{},])|(:)(?=[ ,\[\]{}]|$)|('(?:[^']|'')*'|"(?:[^"\\]|\\.)*")"""
                         r"""|((?:[^ \t,\[\]{}:#'"&*!|>%@`?-]|[-?][^ \t,\[\]{}:#])"""
                         r"""(?:[^\t,\[\]{}:#]*[^ \t,\[\]{}:#])?)|(.))""")


_FLOW_DEPTH = 20


def _flow(text: str) -> dict | list:
    """A one-line flow collection of plain or quoted scalars and flow collections, such as
    ``[air, 'arms']`` or ``{type: backs, sources: [{source: s, quote: q}]}``."""
    tokens = _FLOW_TOKEN.findall(text)
    try:
        value, at = _flow_node(tokens, 0, 0)
    except IndexError:
        raise _NotPlain from None  # not closed
    if at != len(tokens):
        raise _NotPlain
    return value


def _flow_node(tokens: list[tuple[str, ...]], at: int, depth: int) -> tuple[Plain, int]:
    """The node whose first token is ``tokens[at]``, ``depth`` collections deep, and the
    index after it. Deep nesting is left to libyaml, which checks it."""
    indicator, colon, quoted, plain, other = tokens[at]
    if quoted:
        return _quoted(quoted), at + 1
    if plain:
        return _plain_value(_plain_tag(plain), plain), at + 1
    if depth > _FLOW_DEPTH:
        raise _NotPlain
    if indicator == "{":
        return _flow_mapping(tokens, at + 1, depth + 1)
    if indicator == "[":
        return _flow_sequence(tokens, at + 1, depth + 1)
    raise _NotPlain  # an empty value, a stray indicator or character


def _quoted(token: str) -> str:
    if token[0] == "'":
        return token[1:-1].replace("''", "'")
    return _unescaped(token[1:-1]) if "\\" in token else token[1:-1]


def _flow_mapping(tokens: list[tuple[str, ...]], at: int, depth: int) -> tuple[dict, int]:
    mapping: dict = {}
    while tokens[at][0] != "}":
        indicator, colon, quoted, key, other = tokens[at]
        if quoted:
            key = _quoted(quoted)
        elif not key or not (key in _TEXT_KEYS or _text_key(key)) or key in mapping:
            raise _NotPlain
        if key in mapping or not tokens[at + 1][1]:
            raise _NotPlain  # a duplicate key, a key without ': '
        mapping[key], at = _flow_node(tokens, at + 2, depth)
        if tokens[at][0] == ",":
            at += 1
        elif tokens[at][0] != "}":
            raise _NotPlain
    return mapping, at + 1


def _flow_sequence(tokens: list[tuple[str, ...]], at: int, depth: int) -> tuple[list, int]:
    items: list = []
    while tokens[at][0] != "]":
        item, at = _flow_node(tokens, at, depth)
        items.append(item)
        if tokens[at][0] == ",":
            at += 1
        elif tokens[at][0] != "]":
            raise _NotPlain
    return items, at + 1


def _scalar(text: str) -> tuple[str, str, str]:
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
        match = _DOUBLE_QUOTED.match(text)
        if not match:
            raise _NotPlain
        body = match.group(1)
        return (_unescaped(body) if "\\" in body else body), _STR, text[match.end():]
    if first in _PLAIN_START_FORBIDDEN or (first in "-:" and text[1:2] in ("", " ")):
        raise _NotPlain
    comment = text.find(" #")
    value = (text if comment < 0 else text[:comment]).rstrip(" ")
    if ": " in value or value.endswith(":") or "\t" in value:
        raise _NotPlain
    return value, _plain_tag(value), ""


_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.?))")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}


def _unescaped(body: str) -> str:
    """The text of a one-line double-quoted scalar, its escapes read as libyaml reads them."""
    return _ESCAPE.sub(_escape, body)


def _escape(match: re.Match) -> str:
    code = match.group(1) or match.group(2) or match.group(3)
    if code is None:
        character = _ESCAPES.get(match.group(4))
        if character is None:
            raise _NotPlain  # not an escape: libyaml says where
        return character
    number = int(code, 16)
    if 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
        raise _NotPlain
    return chr(number)


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
