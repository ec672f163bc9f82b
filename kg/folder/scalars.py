"""One-line YAML values (plain, quoted, flow) read as PyYAML reads them, for the fast reader."""

from __future__ import annotations

import re

from yaml.resolver import Resolver

from kg.folder.nodes import NULL, STR, Plain, Scalar

__all__ = ["TEXT_KEYS", "NotPlain", "folded", "inline", "text_key"]

_PLAIN_START_FORBIDDEN = frozenset("&*!|>%@`{}[]'\",#?")


# First characters that rule out the quick reading of a plain value (-, : and spaces need a look).
_NOT_SIMPLY_PLAIN = _PLAIN_START_FORBIDDEN | frozenset("-: \t")


_RESOLVERS = Resolver.yaml_implicit_resolvers

_RESOLVED_FIRST = frozenset(_RESOLVERS)  # first characters that may make a plain scalar non-text


# Keys that read as text (most keys: the set stops growing at a few thousand).
TEXT_KEYS: set[str] = set()


_SHORT_TAGS: dict[str, str] = {}  # short plain scalars that recur (keys, dates, numbers) -> tag


def _plain_tag(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar."""
    if value[:1] not in _RESOLVED_FIRST:
        return STR
    tag = _SHORT_TAGS.get(value)
    if tag is None:
        tag = next((tag for tag, pattern in _RESOLVERS.get(value[:1], ()) if pattern.match(value)), STR)
        if len(value) <= 12 and len(_SHORT_TAGS) < 100_000:
            _SHORT_TAGS[value] = tag
    return tag


class NotPlain(Exception):
    """The record uses YAML beyond plain block style; libyaml reads it."""


def text_key(key: str) -> bool:
    """Whether a key reads as text (not ``on``, ``yes`` or ``1``); remembered when it does."""
    if _plain_tag(key) != STR:
        return False
    if len(TEXT_KEYS) < 4096:
        TEXT_KEYS.add(key)
    return True


def _value(text: str) -> Plain:
    """A value written after ``key:``, read at once when it is plain text or simply quoted."""
    first = text[0]
    if (first not in _NOT_SIMPLY_PLAIN and text[-1] not in ": " and ": " not in text and " #" not in text
            and "\t" not in text):
        return text if first not in _RESOLVED_FIRST else _plain_value(_plain_tag(text), text)
    if first == '"' and text[-1] == '"' and text.count('"') == 2 and "\\" not in text:
        return text[1:-1]
    return inline(text)


def inline(text: str) -> Plain:
    """A value written on one line: a plain or quoted scalar, or a flow list of them."""
    text = text.rstrip(" ")
    first = text[0]
    if first == '"' and text[-1] == '"' and text.count('"') == 2 and "\\" not in text:
        return text[1:-1]
    if first == "[" or first == "{":
        return _flow(text)
    value, tag, rest = _scalar(text)
    if rest and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise NotPlain
    return _plain_value(tag, value)


def _plain_value(tag: str, value: str) -> Plain:
    if tag == STR:
        return value
    return None if tag == NULL else Scalar(tag, value, 0, 0)


def folded(lines: list[str]) -> Plain:
    """The value written over ``lines`` (one line, or a plain or quoted scalar folded over
    several: each line break between two lines reads as a space)."""
    if len(lines) == 1:
        return _value(lines[0])
    first = lines[0]
    if first[0] in "'\"":
        text = " ".join([first.rstrip(" "), *(line.strip(" ") for line in lines[1:])])
        if first[0] == '"' and "\\" in text:
            raise NotPlain
        value, tag, rest = _scalar(text)
        if rest and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
            raise NotPlain
        return value
    for line in lines:
        if ": " in line or " #" in line or "\t" in line or line.rstrip(" ").endswith(":"):
            raise NotPlain
    text = " ".join([first.rstrip(" "), *(line.rstrip(" ") for line in lines[1:])])
    value, tag, rest = _scalar(text)
    if rest:
        raise NotPlain
    return _plain_value(tag, value)


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
        raise NotPlain from None  # not closed
    if at != len(tokens):
        raise NotPlain
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
        raise NotPlain
    if indicator == "{":
        return _flow_mapping(tokens, at + 1, depth + 1)
    if indicator == "[":
        return _flow_sequence(tokens, at + 1, depth + 1)
    raise NotPlain  # an empty value, a stray indicator or character


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
        elif not key or not (key in TEXT_KEYS or text_key(key)) or key in mapping:
            raise NotPlain
        if key in mapping or not tokens[at + 1][1]:
            raise NotPlain  # a duplicate key, a key without ': '
        plain = tokens[at + 2][3]
        if plain and plain[0] not in _RESOLVED_FIRST:  # text, the usual value: read here, not by _flow_node
            mapping[key], at = plain, at + 3
        else:
            mapping[key], at = _flow_node(tokens, at + 2, depth)
        if tokens[at][0] == ",":
            at += 1
        elif tokens[at][0] != "}":
            raise NotPlain
    return mapping, at + 1


def _flow_sequence(tokens: list[tuple[str, ...]], at: int, depth: int) -> tuple[list, int]:
    items: list = []
    while tokens[at][0] != "]":
        item, at = _flow_node(tokens, at, depth)
        items.append(item)
        if tokens[at][0] == ",":
            at += 1
        elif tokens[at][0] != "]":
            raise NotPlain
    return items, at + 1


def _scalar(text: str) -> tuple[str, str, str]:
    """(value, tag, what follows) of a scalar at the start of ``text``; raises NotPlain."""
    first = text[0]
    if first == "'":
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise NotPlain
            if text[end + 1:end + 2] != "'":
                break
            end += 2
        return text[1:end].replace("''", "'"), STR, text[end + 1:]
    if first == '"':
        match = _DOUBLE_QUOTED.match(text)
        if not match:
            raise NotPlain
        body = match.group(1)
        return (_unescaped(body) if "\\" in body else body), STR, text[match.end():]
    if first in _PLAIN_START_FORBIDDEN or (first in "-:" and text[1:2] in ("", " ")):
        raise NotPlain
    comment = text.find(" #")
    value = (text if comment < 0 else text[:comment]).rstrip(" ")
    if ": " in value or value.endswith(":") or "\t" in value:
        raise NotPlain
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
            raise NotPlain  # not an escape: libyaml says where
        return character
    number = int(code, 16)
    if 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
        raise NotPlain
    return chr(number)
