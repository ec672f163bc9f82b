r"""The fast reader: a data file's records, one at a time, as plain values (libyaml only for records that need it).

kg data files are a top-level list of records. ``records`` reads such records itself,
several times faster than PyYAML: a record of the usual shape (``key: value`` lines, lists
of such mappings, block scalars) with one regular expression, a one-line flow record
(``- {type: backs, ...}``) with a small tokenizer, any other line by line. It yields them
one at a time as plain values (dict, list, str; a ``Scalar`` for scalars that are not text,
such as dates and numbers) without line and column marks. A record that uses more of YAML
(anchors and aliases, tags, flow collections over several lines, keep chomping, duplicate
keys) is composed by libyaml into light nodes with marks instead (see ``kg.folder.nodes``).
Plain scalars get the tags PyYAML's resolver gives them, so both readers mean the same thing
(the tests compare them).

>>> (record,) = records("- id: hts\n  aliases: [HTS, 'Hei’at']\n  start: 2016\n")
>>> record
{'id': 'hts', 'aliases': ['HTS', 'Hei’at'], 'start': Scalar('2016' at 0:0)}
"""

from __future__ import annotations

import re
from typing import AnyStr, Iterator

import yaml

from kg.folder.nodes import LimitError, Node, Plain, Seq, compose_at
from kg.folder.scalars import TEXT_KEYS, NotPlain, folded, inline, text_key

__all__ = ["NotOneRecord", "Place", "located_records", "record_texts", "records"]

def records(text: str) -> Iterator[Plain | Node] | None:
    """The records of a file that is a plain top-level list, one at a time, as plain values
    (or light nodes for records libyaml reads); None when the file is something else.

    Raises ``yaml.YAMLError`` (with marks) for a record that is not YAML.
    """
    text = _plain_list(text)
    return None if text is None else _Reader(text).records()


def located_records(data: bytes) -> Iterator[tuple[Plain | Node, Place | None]] | None:
    r"""``records`` of a file's bytes, each with its place: the text it is in (line ends
    made LF), where the record starts and stops in it, and the index of its first line; so
    that a record read as plain values can be composed alone, with marks, when it has a
    problem. The place is None for records libyaml read with the whole file: they carry
    marks already. The bytes are decoded a piece at a time (about a megabyte of whole
    records each), so the file's text is never held whole; bytes that are not UTF-8 raise
    ``UnicodeDecodeError`` with offsets in ``data``.

    >>> [(record, text[start:stop], first) for record, (text, start, stop, first) in located_records(b"# a\n- id: a\n")]
    [({'id': 'a'}, '- id: a\n', 1)]
    """
    data = _plain_list(data)
    return None if data is None else _Reader(data).located()


#: Where a record is: the text it is in, its start and stop in it, the index of its first line.
Place = tuple[str, int, int, int]


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


def _plain_list(text: AnyStr) -> AnyStr | None:
    """``text`` with CRLF line ends made LF if it is a plain top-level list, else None. A
    file's bytes are not searched for unusual characters here: the reader searches each
    piece of their text as it decodes it (see ``_Reader.located``)."""
    crlf, lf, cr = ("\r\n", "\n", "\r") if isinstance(text, str) else (b"\r\n", b"\n", b"\r")
    if cr in text and text.count(cr) == text.count(crlf):
        text = text.replace(crlf, lf)  # the same lines and columns: a CR only ever ends a line
    not_an_entry, not_an_entry_first, indented_start = _PLAIN_LIST_CHECKS[type(text)]
    if ((isinstance(text, str) and _UNUSUAL_CHARACTER.search(text)) or not_an_entry.search(text)
            or not_an_entry_first.match(text) or indented_start.match(text)):
        return None
    return text


def _record_starts(text: str) -> list[int]:
    starts = [match.start() + 1 for match in _RECORD_START.finditer(text)]
    if text.startswith("-"):
        starts.insert(0, 0)
    return starts


def _pieces(data: bytes) -> Iterator[str]:
    """The text of a plain list's bytes, a piece of whole records at a time."""
    view, start = memoryview(data), 0
    while start < len(data):
        cut = data.find(b"\n-", start + _PIECE)
        stop = len(data) if cut < 0 else cut + 1
        try:
            yield str(view[start:stop], "utf-8")
        except UnicodeDecodeError as err:
            raise UnicodeDecodeError("utf-8", data, start + err.start, start + err.end, err.reason) from None
        start = stop


#: The bytes decoded at a time: a text of a megabyte of records, not the whole file's.
_PIECE = 1 << 20


# A file is a plain top-level list when every line that starts at column 0 is a "- " entry,
# a comment or blank, and nothing but comments and blank lines precede the first entry.
# Characters YAML does not allow anywhere in a file, YAML 1.1's other line breaks, and a
# byte-order mark: libyaml reads such files, and says where a character is wrong. The
# checks but the first are ASCII, and find the same files in a file's bytes as in its text.
_UNUSUAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r\u2028\u2029\ufeff\ufffe\uffff]")
_NOT_AN_ENTRY = r"\n(?:[^-# \n]|-[^ \n])"  # faster than a MULTILINE search
_NOT_AN_ENTRY_FIRST = r"[^-# \n]|-[^ \n]"
_INDENTED_START = r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]+[^# \t\n]"
_PLAIN_LIST_CHECKS = {kind: tuple(re.compile(pattern if kind is str else pattern.encode("ascii"))
                                  for pattern in (_NOT_AN_ENTRY, _NOT_AN_ENTRY_FIRST, _INDENTED_START))
                      for kind in (str, bytes)}


# Every line matches, as (line, indent, dash, key, value) for "- key: value" shapes or
# (line, indent, other) with the rest of the line; keys may be quoted.
_LINE = re.compile(r"""^(( *)(?:(-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*|"[A-Za-z_][A-Za-z0-9_-]*"|"""
                   r"""'[A-Za-z_][A-Za-z0-9_-]*'):(?:[ ]+(.*))?|(.*)))$""", re.M)


_ANCHOR = re.compile(r"(?:^|[ \t\n\[{,])&([^ \t\n\[\]{},]+)", re.M)

_RECORD_START = re.compile(r"\n-")  # and the start of the text


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

    def __init__(self, text: str | bytes):
        self.text = text  # a plain list's text, or its bytes (decoded a piece at a time)
        self.anchors: set[str] = set()  # anchors in the records libyaml has read

    def records(self) -> Iterator[Plain | Node]:
        return (record for record, _ in self.located())

    def located(self) -> Iterator[tuple[Plain | Node, Place | None]]:
        """Each record and its place (see ``located_records``)."""
        index = first = 0  # the record's index, and the index of its first line
        for text in [self.text] if isinstance(self.text, str) else _pieces(self.text):
            if not isinstance(self.text, str) and _UNUSUAL_CHARACTER.search(text):
                yield from ((node, None) for node in self.whole(index))  # libyaml reads such text
                return
            starts = _record_starts(text)
            first += text.count("\n", 0, starts[0] if starts else len(text))  # comments before a record
            for start, stop in zip(starts, starts[1:] + [len(text)]):
                lines = text.count("\n", start, stop)
                if text[stop - 1] != "\n":
                    record = None  # the last record of a file with no line end at its end: see record()
                elif lines <= 1 and text.startswith("- {", start):
                    record = _flow_record(text[start + 2:stop])
                else:
                    record = _simple_record(text, start, stop, lines)
                if record is None:
                    try:
                        record = self.record(text[start:stop], first)
                    except _NeedContext:
                        yield from ((node, None) for node in self.whole(index))
                        return
                yield record, (text, start, stop, first)
                first += lines
                index += 1

    def whole(self, index: int) -> Iterator[Node]:
        """The records from the one at ``index`` on, from one reading of the whole text by
        libyaml: once a record needs the records before it, each byte is still composed at
        most twice, never once for every record that follows."""
        text = self.text if isinstance(self.text, str) else self.text.decode("utf-8")
        document = compose_at(text, 0)
        if type(document) is not Seq or len(document.items) != len(_record_starts(text)):
            raise NotOneRecord
        yield from document.items[index:]

    def record(self, chunk: str, first: int) -> Plain | Node:
        """The record in ``chunk``, which starts at the line at index ``first``, read line by line."""
        stack = [_Frame(0, [])]
        try:
            if not chunk.endswith("\n"):
                raise NotPlain  # a block scalar at the end of a file ends with a line end only if the file does
            _read_lines(stack, _LINE.findall(chunk))
        except NotPlain:
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
            document = compose_at(chunk, first)
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
    """Read the lines ``_LINE`` matched into the open collections; raises NotPlain."""
    pending = None  # (mapping, key, lines, column): a value that may go on over the next lines
    at = 0
    while at < len(lines):
        whole, indent, dash, key, value, other = lines[at]
        at += 1
        if pending is not None:
            if _goes_on(pending, whole, len(indent)):
                pending[2].append(whole.lstrip(" "))
                continue
            pending[0][pending[1]] = folded(pending[2])
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
        elif not (key in TEXT_KEYS or text_key(key)):
            raise NotPlain  # a key that is not text
        if key in frame.value:
            raise NotPlain  # a duplicate key
        if not value or value[0] == "#":
            frame.key = key
        elif value[0] in "|>":
            frame.value[key], at = _block_scalar(value, lines, at, frame.indent)
        else:
            pending = (frame.value, key, [value], frame.indent)
    if pending is not None:
        pending[0][pending[1]] = folded(pending[2])


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
                raise NotPlain  # the entry's content is on the next lines
            stack[-1].value.append(inline(rest))
            return None
        indent += len(dash)
        mapping: dict = {}
        stack[-1].value.append(mapping)
        stack.append(_Frame(indent, mapping))
    elif not key:
        raise NotPlain  # a scalar on a line of its own: continued or block text
    else:
        _key(stack, indent)
    return stack[-1]


_BLOCK_HEADER = re.compile(r"([|>])([-]?)(?:[ ]+#.*|[ ]*)$")


def _block_scalar(header: str, lines: list[tuple[str, ...]], at: int, column: int) -> tuple[str, int]:
    """The literal (``|``) or folded (``>``) block scalar whose lines start at ``lines[at]``,
    inside a mapping at ``column``, and the index of the line after it."""
    match = _BLOCK_HEADER.match(header)
    if not match:
        raise NotPlain  # keep (+) chomping, an explicit indentation
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
        raise NotPlain  # no text, or spaces that may be text
    while body[-1] == "":
        body.pop()
    if match.group(1) == "|":
        value = "\n".join(body)
    elif any(line[:1] in (" ", "\t") or line[-1:] in (" ", "\t") for line in body):
        raise NotPlain  # more indented lines, trailing spaces: folded otherwise
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
# PyYAML folds long ones), or be a block scalar (`|`, `>`) whose lines are more indented; keys
# may be quoted; comment lines are skipped. One match a line: a record whose lines do not all
# match is read line by line.
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"


_ANY_KEY = rf"""{_KEY}|"{_KEY}"|'{_KEY}'"""

_SIMPLE_LINE = r"^(?:({indents})({key}):(?:[ ]+([^ \n][^\n]*))?|( {{3,}})([^ #\n][^\n]*)|([ ]*(?:#[^\n]*)?))$"

_SHAPES = tuple((re.compile(_SIMPLE_LINE.format(indents=indents, key=_ANY_KEY), re.M), item, field)
                for indents, item, field in (("- |  |    - |      ", "    - ", "      "),
                                              ("- |  |  - |    ", "  - ", "    ")))


def _simple_record(text: str, start: int, stop: int, lines: int) -> dict | None:
    """The record in ``text[start:stop]`` (which holds ``lines`` line breaks) if it has a
    simple shape and plain values, else None."""
    pattern, item, field = _SHAPES[1 if text.find("\n  - ", start, stop) >= 0 else 0]  # an indentless list
    fields = pattern.findall(text, start, stop)
    if len(fields) != lines + 1:
        return None  # a line of another shape: deeper nesting, a block scalar
    try:
        return _simple_fields(fields, item, len(field))
    except NotPlain:
        return None


def _flow_record(line: str) -> Plain | None:
    """The record of a one-line flow mapping such as ``{type: backs, subject: x, ...}``, as the
    line-by-line reading would read it, or None if it is not plain."""
    try:
        return inline(line.rstrip("\n"))
    except NotPlain:
        return None


def _simple_fields(fields: list[tuple[str, ...]], item: str, column: int) -> dict:
    """A record from the lines ``_SHAPES`` matched; raises NotPlain if it is not plain."""
    record: dict = {}
    target = record  # the mapping being read: the record or a list item
    listed = None  # the key with no value whose list may follow
    key = text = header = None  # the field being read, its text so far as a list of lines, its block header
    under = 0  # after a block scalar: its indentation, which the lines after it must start before
    for indent, field, value, more, continued, other in fields:
        if more:  # a line that goes on with the value before it
            if text is None or len(more) <= (2 if target is record else column):
                raise NotPlain
            text.append(continued if header is None else more + continued)
            continue
        if text is not None:
            if header is None:
                target[key] = folded(text)
            else:
                target[key], under = _block_lines(header, text, 2 if target is record else column)
            text = header = None
        if under and _start_column(indent if field else other) >= under:
            raise NotPlain  # text of the block scalar before, after a blank line or looking like a comment
        if not field:
            if continued:
                raise NotPlain
            continue  # a blank or comment line
        under = 0
        if field[0] in "'\"":
            field = field[1:-1]
        elif not (field in TEXT_KEYS or text_key(field)):
            raise NotPlain
        if indent == "  " or indent == "- ":
            target, listed = record, None if value else field
        elif indent == item:
            if listed is None:
                raise NotPlain  # an item after a value
            items = record[listed]
            if items is None:
                items = record[listed] = []
            target = {}
            items.append(target)
        elif target is record:
            raise NotPlain  # an item's field with no item
        if field in target:
            raise NotPlain
        if not value:
            target[field] = None
        elif value[0] in "|>":
            key, text, header = field, [], value
        else:
            key, text = field, [value]
    if text is not None and header is None:
        target[key] = folded(text)
    elif text is not None:
        target[key] = _block_lines(header, text, 2 if target is record else column)[0]
    return record


def _start_column(lead: str) -> int:
    """The column where a line's text starts, from the spaces (and dash) before it; a line of
    spaces alone counts as starting at its end, where a block scalar may take it for text."""
    text = lead.lstrip(" ")
    return len(lead) - len(text) if text or not lead else len(lead)


def _block_lines(header: str, lines: list[str], column: int) -> tuple[str, int]:
    """The block scalar under ``header`` made of ``lines`` (whole, with their indentation), in a
    mapping at ``column``, and its indentation: the lines after it are text of it unless they
    start before. Raises NotPlain when YAML could read a line of the block otherwise."""
    if not lines:
        raise NotPlain
    value, at = _block_scalar(header, [(line,) for line in lines], 0, column)
    if at != len(lines):
        raise NotPlain
    return value, len(lines[0]) - len(lines[0].lstrip(" "))


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
    raise NotPlain


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
    raise NotPlain
