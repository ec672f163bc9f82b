r"""YAML nodes that keep their line and column, composed by libyaml within kg's nesting and expansion limits.

``compose`` reads a whole document into light nodes (``Scalar``, ``Seq``, ``Map``) with
1-based marks: the loader uses them when it must say where a problem is. Scalars carry
the tags PyYAML's resolver gives them (``STR``, ``INT``, ... below).

>>> compose("- id: hts\n  start: 2016\n").items[0].pairs[1][1]
Scalar('2016' at 2:10)
"""

from __future__ import annotations

import re
from typing import Union

import yaml

__all__ = ["BOOL", "FLOAT", "INT", "MAP", "MAX_EXPANSION", "MAX_NESTING", "MERGE", "NULL", "SEQ", "STR", "TAG",
           "TIMESTAMP", "ExpansionError", "LimitError", "Map", "NestingError", "Node", "Plain", "Scalar", "Seq",
           "compose", "compose_at"]

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The tags of YAML's core types, as libyaml and PyYAML's resolver give them.
TAG = "tag:yaml.org,2002:"
STR, NULL, SEQ, MAP, MERGE = (TAG + name for name in ("str", "null", "seq", "map", "merge"))
INT, FLOAT, BOOL, TIMESTAMP = (TAG + name for name in ("int", "float", "bool", "timestamp"))

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
    return compose_at(text, 0)


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


def compose_at(text: str, line_offset: int) -> Node | None:
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
