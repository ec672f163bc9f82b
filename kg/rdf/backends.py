"""The two RDF libraries kg uses, behind plain terms: rdflib (always) and pyoxigraph (when installed).

kg's own terms (see ``kg.rdf.terms``) convert to and from each library's, so that the
writers, the reader and SPARQL work the same whichever library does the parsing or the
querying. pyoxigraph is used when it is installed, for speed; rdflib otherwise. Each is
imported when a call first needs it, never when kg.rdf is imported.

>>> from kg.rdf.terms import RDF, Lit
>>> name = Lit("Aleppo", RDF.langString, "en")
>>> from_rdflib(to_rdflib(name)) == name
True
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from kg.rdf.terms import RDF, XSD, Lit, Object

_pyoxigraph: ModuleType | bool | None = None  # set by ``oxigraph()``, the first time kg needs it (False: absent)

if TYPE_CHECKING:
    import rdflib

__all__ = ["from_oxigraph", "from_rdflib", "oxigraph", "to_oxigraph", "to_rdflib"]


def oxigraph() -> ModuleType | None:
    """pyoxigraph when it is installed, else None.

    >>> oxigraph() is None or oxigraph().__name__ == "pyoxigraph"
    True
    """
    global _pyoxigraph
    if _pyoxigraph is None:
        try:
            import pyoxigraph
        except ImportError:  # a dependency of kg, but without wheels for every platform: rdflib then
            pyoxigraph = False
        _pyoxigraph = pyoxigraph
    return _pyoxigraph or None


def to_rdflib(obj: Object) -> "rdflib.term.Identifier":
    """The rdflib term of one of kg's: an IRI, a blank node (``_:``) or a literal.

    >>> to_rdflib(Lit("2016", XSD.gYear))
    rdflib.term.Literal('2016', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    import rdflib

    if isinstance(obj, Lit):
        if obj.language:
            return rdflib.Literal(obj.value, lang=obj.language)
        return rdflib.Literal(obj.value, datatype=None if obj.datatype == XSD.string else obj.datatype)
    if obj.startswith("_:"):
        return rdflib.BNode(obj[2:])
    return rdflib.URIRef(obj)


def from_rdflib(node: "rdflib.term.Identifier") -> Object:
    """kg's term for an rdflib term.

    >>> import rdflib
    >>> from_rdflib(rdflib.URIRef("http://example.org/a"))
    'http://example.org/a'
    """
    import rdflib

    if isinstance(node, rdflib.Literal):
        if node.language:
            return Lit(str(node), RDF.langString, node.language)
        return Lit(str(node), str(node.datatype or XSD.string))
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    return str(node)


def to_oxigraph(obj: Object) -> object:
    """The pyoxigraph term of one of kg's (pyoxigraph must be installed).

    >>> to_oxigraph("http://example.org/a")
    <NamedNode value=http://example.org/a>
    """
    pyoxigraph = _pyoxigraph or oxigraph()
    if isinstance(obj, Lit):
        if obj.language:
            return pyoxigraph.Literal(obj.value, language=obj.language)
        return pyoxigraph.Literal(obj.value, datatype=pyoxigraph.NamedNode(obj.datatype))
    if obj.startswith("_:"):
        return pyoxigraph.BlankNode(obj[2:])
    return pyoxigraph.NamedNode(obj)


def from_oxigraph(node: object) -> Object:
    """kg's term for a pyoxigraph term (called once per term read: kept lean).

    >>> from_oxigraph(to_oxigraph(Lit("x")))
    Lit(value='x', datatype='http://www.w3.org/2001/XMLSchema#string', language='')
    """
    pyoxigraph, kind = _pyoxigraph or oxigraph(), type(node)
    if kind is pyoxigraph.NamedNode:
        return node.value
    if kind is pyoxigraph.Literal:
        return Lit(node.value, node.datatype.value, node.language or "")
    return "_:" + node.value
