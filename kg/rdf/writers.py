"""Streaming writers for Turtle, N-Triples and JSON-LD: nodes in, canonical text out.

They write each node as it comes from ``kg.rdf.triples.nodes``, so an export never holds
more than one record's triples, and the same data always gives the same bytes. Strings
are escaped per the N-Triples and Turtle grammars (quotes, backslashes, line breaks and
every other control character); everything else, emoji included, is written as UTF-8.

>>> import sys
>>> write_ntriples([("http://ex.org/a", [("http://ex.org/p", Lit('say "hi"'))])], sys.stdout)
<http://ex.org/a> <http://ex.org/p> "say \\"hi\\"" .
"""

from __future__ import annotations

import json
import re
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Iterable, TextIO

from kg.rdf.terms import PREFIXES, RDF, XSD, Collection, Lit, Object
from kg.rdf.triples import Node, nodes

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["export_jsonld", "export_ntriples", "export_turtle", "nt_term", "quote_string", "write_jsonld",
           "write_ntriples", "write_turtle"]

_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPES = {chr(c): _ECHAR.get(chr(c), f"\\u{c:04X}") for c in (*range(0x20), 0x7F)} | _ECHAR
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f]')


def quote_string(text: str) -> str:
    """A string literal, quoted and escaped for N-Triples and Turtle.

    >>> print(quote_string('a "b" \\\\ c\\td\\x07 😀'))
    "a \\"b\\" \\\\ c\\td\\u0007 😀"
    """
    return '"' + _NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group()], text) + '"'


# --------------------------------------------------------------------------- N-Triples


def nt_term(obj: Object) -> str:
    """A term as N-Triples (and SPARQL) write it.

    >>> nt_term(Lit("2016", XSD.gYear))
    '"2016"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    """
    if isinstance(obj, Lit):
        if obj.language:
            return f"{quote_string(obj.value)}@{obj.language}"
        if obj.datatype == XSD.string:
            return quote_string(obj.value)
        return f"{quote_string(obj.value)}^^<{obj.datatype}>"
    return f"<{obj}>"


def write_ntriples(nodes: Iterable[Node], out: TextIO) -> None:
    """Write nodes as N-Triples, one line per triple (see the module's example)."""
    for subject, pairs in nodes:
        head = f"<{subject}> "
        out.writelines(f"{head}<{predicate}> {nt_term(obj)} .\n" for predicate, obj in pairs)


# --------------------------------------------------------------------------- Turtle and JSON-LD names

_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_UNSAFE_RELATIVE = re.compile(r"(?:^|/)\.\.?(?:/|$)|^/|^[^/]*:")
_NAMESPACES = {namespace: prefix for prefix, namespace in PREFIXES.items()}


class _Names:
    """Short forms of IRIs: relative to the base, prefixed, or absolute (None)."""

    def __init__(self, base: str | None):
        self.base = base
        self.cache: dict[str, str | None] = {}

    def relative(self, iri: str) -> str | None:
        if self.base is not None and iri.startswith(self.base):
            rest = iri[len(self.base):]
            if ("." not in rest and ":" not in rest and rest[:1] != "/") or not _UNSAFE_RELATIVE.search(rest):
                return rest
        return None

    def prefixed(self, iri: str) -> str | None:
        if iri not in self.cache:
            cut = max(iri.rfind("#"), iri.rfind("/")) + 1
            prefix, local = _NAMESPACES.get(iri[:cut]), iri[cut:]
            self.cache[iri] = f"{prefix}:{local}" if prefix and _LOCAL_NAME.fullmatch(local) else None
        return self.cache[iri]


# --------------------------------------------------------------------------- Turtle


#: Literals Turtle writes bare when their lexical form is canonical: ``42``, ``true``.
_SHORTHANDS = {XSD.integer: re.compile(r"-?(?:0|[1-9][0-9]*)"), XSD.boolean: re.compile(r"true|false")}


class _TurtleTerms(_Names):
    def __init__(self, base: str | None):
        super().__init__(base)
        self.predicates: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        relative = self.relative(iri)
        if relative is not None:
            return f"<{relative}>"
        return self.prefixed(iri) or f"<{iri}>"

    def object(self, obj: Object) -> str:
        if isinstance(obj, Lit):
            if obj.language:
                return f"{quote_string(obj.value)}@{obj.language}"
            if obj.datatype == XSD.string:
                return quote_string(obj.value)
            shorthand = _SHORTHANDS.get(obj.datatype)
            if shorthand is not None and shorthand.fullmatch(obj.value):
                return obj.value
            return f"{quote_string(obj.value)}^^{self.iri(obj.datatype)}"
        if isinstance(obj, Collection):
            return "( " + " ".join(map(self.object, obj)) + " )"
        return self.iri(obj)

    def predicate(self, iri: str) -> str:
        written = self.predicates.get(iri)
        if written is None:
            written = self.predicates[iri] = "a" if iri == RDF.type else self.iri(iri)
        return written


def write_turtle(nodes: Iterable[Node], out: TextIO, base: str | None = None) -> None:
    r"""Write nodes as Turtle: every prefix, then one block per node, objects of a predicate on one line.

    IRIs under ``base`` are written relative to it.

    >>> import io
    >>> out = io.StringIO()
    >>> write_turtle([("http://ex.org/a", [(RDF.type, "http://ex.org/T"), ("http://ex.org/n", Lit("1", XSD.integer))])],
    ...              out, "http://ex.org/")
    >>> print(out.getvalue().split("\n\n")[1], end="")
    <a> a <T> ;
        <n> 1 .
    """
    terms = _TurtleTerms(base)
    if base is not None:
        out.write(f"@base <{base}> .\n")
    out.writelines(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())
    for subject, pairs in nodes:
        lines = [
            f"{terms.predicate(predicate)} {', '.join(terms.object(obj) for _, obj in group)}"
            for predicate, group in groupby(pairs, key=itemgetter(0))
        ]
        out.write(f"\n{terms.iri(subject)} " + " ;\n    ".join(lines) + " .\n")


# --------------------------------------------------------------------------- JSON-LD


class _JsonTerms(_Names):
    def iri(self, iri: str) -> str:
        relative = self.relative(iri)
        if relative is not None:
            return relative
        return self.prefixed(iri) or iri

    def value(self, obj: Object) -> dict[str, str]:
        if isinstance(obj, Lit):
            if obj.language:
                return {"@value": obj.value, "@language": obj.language}
            if obj.datatype == XSD.string:
                return {"@value": obj.value}
            return {"@value": obj.value, "@type": self.prefixed(obj.datatype) or obj.datatype}
        return {"@id": self.iri(obj)}

    def node(self, subject: str, pairs: list[tuple[str, Object]]) -> dict[str, object]:
        node: dict[str, object] = {"@id": self.iri(subject)}
        for predicate, group in groupby(pairs, key=itemgetter(0)):
            if predicate == RDF.type:
                node.setdefault("@type", []).extend(self.prefixed(obj) or obj for _, obj in group)
            else:
                node.setdefault(self.prefixed(predicate) or predicate, []).extend(self.value(obj) for _, obj in group)
        return node


def write_jsonld(nodes: Iterable[Node], out: TextIO, base: str) -> None:
    """Write nodes as a JSON-LD document: an inline context of prefixes and a flat ``@graph``, a node per line.

    The context is written inline, never referenced, so reading the file fetches nothing.

    >>> import io
    >>> out = io.StringIO()
    >>> write_jsonld([("http://ex.org/a", [(RDF.type, "http://ex.org/T")])], out, "http://ex.org/")
    >>> json.loads(out.getvalue())["@graph"]
    [{'@id': 'a', '@type': ['http://ex.org/T']}]
    """
    terms = _JsonTerms(base)
    context = json.dumps({"@base": base, **PREFIXES}, ensure_ascii=False)
    out.write(f'{{"@context": {context},\n "@graph": [')
    separator = "\n  "
    for subject, pairs in nodes:
        out.write(separator + json.dumps(terms.node(subject, pairs), ensure_ascii=False))
        separator = ",\n  "
    out.write("\n]}\n")


# --------------------------------------------------------------------------- the writers of kg.formats


def export_turtle(graph: "KnowledgeGraph", out: TextIO, base: str) -> None:
    """Write a graph as Turtle under ``base`` (the ``write`` plugin of ``turtle`` in ``kg.formats``)."""
    write_turtle(nodes(graph, base), out, base)


def export_ntriples(graph: "KnowledgeGraph", out: TextIO, base: str) -> None:
    """Write a graph as N-Triples under ``base`` (the ``write`` plugin of ``nt``)."""
    write_ntriples(nodes(graph, base), out)


def export_jsonld(graph: "KnowledgeGraph", out: TextIO, base: str) -> None:
    """Write a graph as JSON-LD under ``base`` (the ``write`` plugin of ``jsonld``)."""
    write_jsonld(nodes(graph, base), out, base)
