"""Namespaces, IRIs and literals: how kg's records are named in RDF.

Terms are plain Python values so that the writers, the reader and ``to_rdf`` share them
without rdflib: an IRI is a ``str``, a literal is a ``Lit`` (lexical form, datatype IRI,
language tag), a blank node is a ``str`` starting with ``_:`` (kg never makes one).

Records live under a configurable base (``DEFAULT_BASE`` unless ``base=`` says otherwise):

==========================  ==============================================
``{base}entity/{id}``       an actor, place or event
``{base}source/{id}``       a source document
``{base}statement/{id}``    the statement node of a relation
``{owner}/citation/{n}``    the n-th citation of an entity, statement or figure
``{citation}/quote``        its ``oa:TextQuoteSelector``
``{citation}/position``     its ``oa:TextPositionSelector``, where the text is known
``{owner}/figure/{n}``      the n-th figure of an entity or statement
``{owner}/{field}``         an ``rdf:Seq`` keeping the order of a list field
``{entity}/geometry``       the GeoSPARQL point of a place
==========================  ==============================================

Ids are percent-encoded in IRIs, so any id comes back unchanged. The vocabulary
namespace ``VOCAB`` is fixed.

>>> iris = Iris()
>>> iris.entity("hts")
'https://w3id.org/conflict-kg/id/entity/hts'
>>> record_id(iris.entity("a/b"))
'a/b'
>>> date_literal("2016-12")
Lit(value='2016-12', datatype='http://www.w3.org/2001/XMLSchema#gYearMonth', language='')
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping, NamedTuple, Union
from urllib.parse import quote, unquote

from kg.dates import check_date, check_edtf
from kg.errors import RdfError
from kg.formats import DEFAULT_BASE
from kg.vocabulary import (
    CATEGORIES,
    ENTITY_KINDS,
    FIGURE_MEASURES,
    FIGURE_QUALIFIERS,
    QUALIFIERS,
    RELATION_TYPES,
    STATUSES,
    SUPPORT_KINDS,
    Term,
)

__all__ = [
    "DEFAULT_BASE",
    "EDTF",
    "LANGUAGE",
    "MOMENT_TYPES",
    "PREFIXES",
    "VOCAB",
    "Collection",
    "Iris",
    "Lit",
    "RdfError",
    "camel_case",
    "date_literal",
    "kgv",
    "moment_literal",
    "record_id",
]


#: Where records live unless ``base=`` says otherwise (kept in ``kg.formats``, with the writers).
ROOT = DEFAULT_BASE.removesuffix("id/")
#: The fixed namespace of kg's classes and properties (``kgv:``).
VOCAB = ROOT + "vocab#"
#: The language of names and aliases: the data dictionary asks for English names.
LANGUAGE = "en"


class Namespace:
    """IRIs by attribute or item: ``RDFS.label``, ``RDF["_1"]``."""

    def __init__(self, iri: str):
        self.iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        iri = self.iri + name
        setattr(self, name, iri)  # later lookups find it without calling __getattr__
        return iri

    def __getitem__(self, name: str) -> str:
        return self.iri + name


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SCHEMA = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
STATUS = Namespace(ROOT + "vocab/status#")
SUPPORT = Namespace(ROOT + "vocab/support#")
MEASURE = Namespace(ROOT + "vocab/measure#")
FIGURE_QUALIFIER = Namespace(ROOT + "vocab/figure-qualifier#")
SHAPES = Namespace(ROOT + "shapes#")
WIKIDATA = "http://www.wikidata.org/entity/"

#: Prefixes written in Turtle and JSON-LD and known to SPARQL queries, in this order.
PREFIXES: Mapping[str, str] = MappingProxyType({
    "rdf": RDF.iri, "rdfs": RDFS.iri, "xsd": XSD.iri, "owl": OWL.iri, "skos": SKOS.iri,
    "dcterms": DCTERMS.iri, "foaf": FOAF.iri, "prov": PROV.iri, "oa": OA.iri, "org": ORG.iri,
    "geo": GEO.iri, "wgs": WGS.iri, "schema": SCHEMA.iri, "sh": SH.iri, "wd": WIKIDATA,
    "kgv": VOCAB, "kgstatus": STATUS.iri, "kgsupport": SUPPORT.iri, "kgmeasure": MEASURE.iri,
    "kgfq": FIGURE_QUALIFIER.iri, "kgsh": SHAPES.iri, "edtf": "http://id.loc.gov/datatypes/edtf/",
})


class Lit(NamedTuple):
    """A literal: lexical form, datatype IRI and language tag (``""`` when none)."""

    value: str
    datatype: str = XSD.string
    language: str = ""


class Collection(tuple):
    """An RDF collection ``( a b c )``; only the ontology and shapes use one."""


Object = Union[str, Lit, Collection]
Triple = tuple[str, str, Object]


# ----------------------------------------------------------------- kg's own terms

#: kg's classes and properties beyond the vocabulary table: (name, label, definition, kind).
_OWN_TERMS = (
    ("Statement", "statement", "A typed, dated, sourced statement: the node of a relation.", "class"),
    ("Figure", "figure", "A sourced number about an entity or a statement.", "class"),
    ("Status", "status", "How a source presents a statement.", "class"),
    ("SupportKind", "support kind", "A kind of support one actor gives another.", "class"),
    ("Measure", "measure", "What a figure counts.", "class"),
    ("FigureQualifier", "figure qualifier", "How exact a figure is.", "class"),
    ("start", "start", "When it began: a full or partial date (xsd:date, xsd:gYearMonth, xsd:gYear), or an EDTF "
     "level 1 form (edtf:EDTF) such as 2024-11~ or ../2016.", "datatype"),
    ("end", "end", "When it ended: a full or partial date (xsd:date, xsd:gYearMonth, xsd:gYear), or an EDTF "
     "level 1 form (edtf:EDTF) such as 2024-11-29/.. or XXXX.", "datatype"),
    ("possibleFrom", "possible from", "The first day a statement (or all of a chain's) may have held (derived "
     "from the start; absent when unbounded).", "datatype"),
    ("possibleUntil", "possible until", "The last day a statement (or all of a chain's) may have held (derived "
     "from the end; absent when unbounded).", "datatype"),
    ("certainFrom", "certain from", "The first day a statement (or all of a chain's) surely held (the latest a "
     "start may fall on; absent when unbounded).", "datatype"),
    ("certainUntil", "certain until", "The last day a statement (or all of a chain's) surely held (the earliest "
     "an end may fall on; absent when unbounded).", "datatype"),
    ("certain", "certain", "false on a statement (or chain) that surely held on no day: undated, an unknown bound, "
     "or bounds too vague to meet (or, for a chain, no day shared).", "datatype"),
    ("status", "status", "How the source presents the statement.", "object"),
    ("claimedBy", "claimed by", "The actor who claims a statement of status 'claimed'.", "object"),
    ("figure", "figure", "A sourced number about this entity or statement.", "object"),
    ("measure", "measure", "What the figure counts.", "object"),
    ("figureQualifier", "figure qualifier", "How exact the figure is (exactly, about, at least...).", "object"),
    ("of", "of", "The entity whose people or things the figure counts.", "object"),
    ("countedBy", "counted by", "The actor who counted.", "object"),
    ("asserts", "asserts", "Whether a status presents the statement as holding.", "datatype"),
    ("sign", "sign", "+1 cooperative, -1 hostile, 0 neutral.", "datatype"),
    ("armed", "armed", "Whether a relation type is armed hostilities, which derived support follows.", "datatype"),
    ("standsForMembers", "stands for members",
     "Whether a group of this kind stands for its members, so that support against it is support against them.",
     "datatype"),
    ("inverseLabel", "inverse label", "How the relation reads from object to subject.", "annotation"),
    ("aliasList", "alias list", "The aliases (skos:altLabel) in their order, as an rdf:Seq.", "object"),
    ("authorList", "author list", "The authors (dcterms:creator) in their order, as an rdf:Seq.", "object"),
    ("againstList", "against list", "The kgv:against values in their order, as an rdf:Seq.", "object"),
    ("supportList", "support list", "The kgv:support values in their order, as an rdf:Seq.", "object"),
    ("citationList", "citation list", "The citations (prov:wasDerivedFrom) in their order, as an rdf:Seq.", "object"),
    ("figureList", "figure list", "The figures (kgv:figure) in their order, as an rdf:Seq.", "object"),
    ("textFile", "text file",
     "A plain-text copy of the source's document, as a path relative to the data folder.", "datatype"),
    ("occurrence", "occurrence",
     "Which instance of a quote that recurs in its source's text the citation means, from 1.", "datatype"),
    ("Support", "support answer",
     "An answer of kg's supports(), derived by kg when the graph was pushed: the supporter supports the supported "
     "against the adversary, through each of its chains (kgv:chain).", "class"),
    ("Chain", "support chain",
     "One way to a support answer: its rule, the statements it was derived from by role, and the days on which they "
     "may all have held (kgv:possibleFrom, kgv:possibleUntil) and surely all held (kgv:certainFrom, "
     "kgv:certainUntil; kgv:certain false when never), as a statement's.", "class"),
    ("chain", "chain", "A way to the support answer (a kgv:Chain); numbered in kg's order, explicit first.",
     "object"),
    ("rule", "rule", "The rules of kg's supports() that made the chain, joined with '+': explicit or hostility, "
     "then supported-member, against-member.", "datatype"),
    ("backing", "backing", "The backs statement of the chain.", "object"),
    ("hostility", "hostility", "The armed hostility between the backed side and the adversary (absent when the "
     "backing names the adversary).", "object"),
    ("supportedMember", "supported member", "A member-of statement from the backed group down to the supported.",
     "object"),
    ("againstMember", "against member", "A member-of statement from the adversary down to the one the support is "
     "against.", "object"),
    ("supporter", "supporter", "The actor who gives the support.", "object"),
    ("supported", "supported", "The actor who receives the support.", "object"),
    ("adversary", "adversary", "The actor the support is against.", "object"),
    ("basis", "basis", "explicit: a backs statement names the adversary; derived: kg derived it from other "
     "statements.", "datatype"),
)


class OwnTerm(NamedTuple):
    name: str
    label: str
    description: str
    kind: str  # class, object, datatype or annotation (property)


OWN_TERMS: Mapping[str, OwnTerm] = MappingProxyType({row[0]: OwnTerm(*row) for row in _OWN_TERMS})


def kgv(name: str) -> str:
    """The IRI of one of kg's own classes or properties; refuses names not in the table.

    >>> kgv("claimedBy")
    'https://w3id.org/conflict-kg/vocab#claimedBy'
    """
    if name not in OWN_TERMS:
        raise KeyError(f"{name!r} is not one of kg's own RDF terms")
    return VOCAB + name


def camel_case(name: str) -> str:
    """The RDF local name of a vocabulary term.

    >>> camel_case("designates-terrorist")
    'designatesTerrorist'
    """
    first, *rest = name.split("-")
    return first + "".join(part.capitalize() for part in rest)


def pascal_case(name: str) -> str:
    """The RDF local name of a class.

    >>> pascal_case("armed-group")
    'ArmedGroup'
    """
    camel = camel_case(name)
    return camel[:1].upper() + camel[1:]


# ----------------------------------------------------------------- vocabulary table terms


def _iris(table: Mapping[str, object], make) -> Mapping[str, str]:
    return MappingProxyType({name: make(name) for name in table})


#: The IRI of every row of the vocabulary tables, by table.
CATEGORY_CLASSES = _iris(CATEGORIES, lambda name: VOCAB + pascal_case(name))
KIND_CLASSES = _iris(ENTITY_KINDS, lambda name: VOCAB + pascal_case(name))
RELATION_PROPERTIES = _iris(RELATION_TYPES, lambda name: VOCAB + camel_case(name))
QUALIFIER_PROPERTIES = _iris(QUALIFIERS, lambda name: VOCAB + camel_case(name))
STATUS_IRIS = _iris(STATUSES, STATUS.__getitem__)
SUPPORT_IRIS = _iris(SUPPORT_KINDS, SUPPORT.__getitem__)
MEASURE_IRIS = _iris(FIGURE_MEASURES, MEASURE.__getitem__)
FIGURE_QUALIFIER_IRIS = _iris(FIGURE_QUALIFIERS, FIGURE_QUALIFIER.__getitem__)

#: The concept schemes: (table, IRIs, class local name).
CONCEPT_SCHEMES: tuple[tuple[Mapping[str, Term], Mapping[str, str], str], ...] = (
    (STATUSES, STATUS_IRIS, "Status"),
    (SUPPORT_KINDS, SUPPORT_IRIS, "SupportKind"),
    (FIGURE_MEASURES, MEASURE_IRIS, "Measure"),
    (FIGURE_QUALIFIERS, FIGURE_QUALIFIER_IRIS, "FigureQualifier"),
)


def reverse(iris: Mapping[str, str]) -> dict[str, str]:
    """Name by IRI, for a table of IRIs by name.

    >>> reverse({"stated": STATUS.stated})[STATUS.stated]
    'stated'
    """
    return {iri: name for name, iri in iris.items()}


# ----------------------------------------------------------------- record IRIs

_SAFE_BASE = re.compile(r"https?://[^\s<>\"{}|\\^`?#]+/")
_DOT_SEGMENT = re.compile(r"/\.\.?/")


class Iris:
    """The IRIs of a graph's records under one base.

    >>> Iris("http://example.org/kg/").statement("x")
    'http://example.org/kg/statement/x'
    >>> Iris("http://example.org/kg")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.RdfError: base IRI 'http://example.org/kg' must be an http(s) IRI ending in '/', ...
    """

    def __init__(self, base: str = DEFAULT_BASE):
        if not _SAFE_BASE.fullmatch(base) or _DOT_SEGMENT.search(base[base.index("//") + 1:]):
            raise RdfError(f"base IRI {base!r} must be an http(s) IRI ending in '/', "
                           "without a query, fragment or dot segments")
        self.base = base
        self.entities = base + "entity/"
        self.sources = base + "source/"
        self.statements = base + "statement/"
        self._entity_cache: dict[str, str] = {}

    def entity(self, entity_id: str) -> str:
        iri = self._entity_cache.get(entity_id)
        if iri is None:
            iri = self._entity_cache[entity_id] = self.entities + quote(entity_id, safe="")
        return iri

    def source(self, source_id: str) -> str:
        return self.sources + quote(source_id, safe="")

    def statement(self, relation_id: str) -> str:
        return self.statements + quote(relation_id, safe="")

    def record_id(self, iri: str) -> str | None:
        """The id of an entity, source or statement IRI under this base, else None."""
        for namespace in (self.entities, self.sources, self.statements):
            if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
                return unquote(iri[len(namespace):])
        return None


def record_id(iri: str) -> str:
    """The id in a record IRI: its last path segment, percent-decoded.

    >>> record_id("http://example.org/kg/entity/syrian-arab-army")
    'syrian-arab-army'
    """
    segment = iri[iri.rfind("/") + 1:]
    return unquote(segment) if "%" in segment else segment  # unquote's own test, without the call


def wikidata_iri(item: str) -> str:
    """The IRI of a Wikidata item.

    >>> wikidata_iri("Q41183")
    'http://www.wikidata.org/entity/Q41183'
    """
    return WIKIDATA + quote(item, safe="")


_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\]")


def external_iri(iri: str, what: str) -> str:
    """An IRI from the data (a source's url), refused if no RDF syntax can carry it.

    >>> external_iri("https://example.org/a b", "url of source 'x'")
    Traceback (most recent call last):
    ...
    kg.errors.RdfError: url of source 'x' 'https://example.org/a b' is not an absolute IRI
    """
    bad = _IRI_FORBIDDEN.search(iri)
    if bad or ":" not in iri:
        raise RdfError(f"{what} {iri!r} is not an absolute IRI")
    return iri


# ----------------------------------------------------------------- literals

_DATE_TYPES = ((re.compile(r"[0-9]{4}"), XSD.gYear), (re.compile(r"[0-9]{4}-[0-9]{2}"), XSD.gYearMonth),
               (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), XSD.date))
DATE_TYPES = tuple(datatype for _, datatype in _DATE_TYPES)
#: The Library of Congress datatype of Extended Date/Time Format literals.
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
MOMENT_TYPES = (*DATE_TYPES, EDTF)


def date_literal(text: str) -> Lit:
    """A full or partial ISO date as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    >>> date_literal("2016").datatype
    'http://www.w3.org/2001/XMLSchema#gYear'
    """
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(text):
            return Lit(text, datatype)
    raise RdfError(f"bad date {text!r}; expected YYYY, YYYY-MM or YYYY-MM-DD")


def moment_literal(text: str) -> Lit:
    """A start or end: a plain date as ``date_literal`` gives it, an EDTF form as ``edtf:EDTF``.

    >>> moment_literal("2024-11~").datatype
    'http://id.loc.gov/datatypes/edtf/EDTF'
    """
    problem = check_edtf(text)
    if problem:
        raise RdfError(f"bad date {text!r}: {problem}")
    return date_literal(text) if check_date(text) is None else Lit(text, EDTF)


_DOUBLE_SPECIALS = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}


def number_literal(value: int | float) -> Lit:
    """An int as ``xsd:integer``, a float as ``xsd:double`` (its shortest exact form).

    >>> number_literal(36.2).value, number_literal(14000).datatype
    ('36.2', 'http://www.w3.org/2001/XMLSchema#integer')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RdfError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return Lit(str(value), XSD.integer)
    text = repr(value)
    return Lit(_DOUBLE_SPECIALS.get(text, text), XSD.double)


def text_literal(text: str) -> Lit:
    """A plain string.

    >>> text_literal("a note")
    Lit(value='a note', datatype='http://www.w3.org/2001/XMLSchema#string', language='')
    """
    return Lit(text)


def english_literal(text: str) -> Lit:
    """English text tagged with ``LANGUAGE``: names and aliases, and the ontology's labels
    and comments.

    >>> english_literal("Aleppo").language
    'en'
    """
    return Lit(text, RDF.langString, LANGUAGE)


NUMBER_TYPES = {XSD.integer: int, XSD.double: float, XSD.decimal: float}
