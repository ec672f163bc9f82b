r"""The ontology and the SHACL shapes of kg's RDF, generated from the vocabulary table.

``ontology.ttl`` and ``shapes.ttl`` ship with the package; a test checks that they equal
what ``ontology_turtle()`` and ``shapes_turtle()`` generate, so they cannot drift from
``kg.vocabulary``. After changing the table, regenerate them with
``python -c "import kg.rdf.ontology as o; o.regenerate()"``.

The ontology has a class per entity kind (under ``kgv:Actor``, ``kgv:Place`` and
``kgv:Event``), a property per relation type and qualifier, kg's own classes and
properties, and a SKOS concept per status, support kind, figure measure and figure
qualifier. It aligns with standard vocabularies: actors are ``prov:Agent`` instances,
places ``geo:Feature`` instances, ``kgv:memberOf`` refines ``org:memberOf`` and ``kgv:partOf`` refines
``org:subOrganizationOf``.

>>> print(ontology_turtle().split("\n\n")[1].splitlines()[0])
<https://w3id.org/conflict-kg/vocab> a owl:Ontology ;
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from kg._words import article, or_list
from kg.files import write_atomically
from kg.graph import KnowledgeGraph
from kg.model import RELATION_FIELDS, RelationField
from kg.rdf.terms import (CATEGORY_CLASSES, CONCEPT_SCHEMES, DATE_TYPES, DCTERMS, FOAF, GEO, KIND_CLASSES,
                         MOMENT_TYPES, OA, ORG, OWL, OWN_TERMS, PROV, QUALIFIER_PROPERTIES, RDF, RDFS,
                         RELATION_PROPERTIES, SCHEMA, SH, SHAPES, SKOS, VOCAB, WGS, XSD, Collection, Lit, Object,
                         camel_case, english_literal, kgv)
from kg.rdf.triples import Node, to_rdf
from kg.rdf.writers import write_turtle
from kg.vocabulary import CATEGORIES, ENTITY_KINDS, QUALIFIERS, RELATION_TYPES, Status

if TYPE_CHECKING:
    import rdflib

__all__ = ["ontology_graph", "ontology_turtle", "regenerate", "shacl_problems", "shapes_graph", "shapes_turtle"]

ONTOLOGY = VOCAB.rstrip("#")

#: Standard classes and properties that kg's refine.
CATEGORY_PARENTS = {"actor": PROV.Agent, "place": GEO.Feature}
RELATION_PARENTS = {"member-of": ORG.memberOf, "part-of": ORG.subOrganizationOf}
OWN_CLASS_PARENTS = {"Statement": RDF.Statement, "Status": SKOS.Concept, "SupportKind": SKOS.Concept,
                     "Measure": SKOS.Concept, "FigureQualifier": SKOS.Concept,
                     "Support": PROV.Entity, "Chain": PROV.Entity}
OWN_PROPERTY_PARENTS = {name: PROV.wasDerivedFrom
                        for name in ("chain", "backing", "hostility", "supportedMember", "againstMember")}
_OWN_KINDS = {"class": OWL.Class, "object": OWL.ObjectProperty, "datatype": OWL.DatatypeProperty,
              "annotation": OWL.AnnotationProperty}


def class_of(name: str) -> str:
    """The class of a category or entity kind named in a domain or range.

    >>> class_of("actor"), class_of("city")
    ('https://w3id.org/conflict-kg/vocab#Actor', 'https://w3id.org/conflict-kg/vocab#City')
    """
    return CATEGORY_CLASSES.get(name) or KIND_CLASSES[name]


def _integer(value: int) -> Lit:
    return Lit(str(value), XSD.integer)


def _described(iri: str, types: Iterable[str], label: str, description: str, *pairs: tuple[str, Object]) -> Node:
    return iri, [*((RDF.type, t) for t in types), (RDFS.label, english_literal(label)),
                 (RDFS.comment, english_literal(description)), *pairs]


# --------------------------------------------------------------------------- ontology


def ontology_nodes() -> list[Node]:
    """The nodes of the ontology, in the order they are written.

    >>> ontology_nodes()[0][0]
    'https://w3id.org/conflict-kg/vocab'
    """
    header = (ONTOLOGY, [(RDF.type, OWL.Ontology), (RDFS.label, english_literal("kg vocabulary")),
                         (RDFS.comment, english_literal("Classes and properties of kg, a knowledge graph of conflict "
                                                 "actors, alliances and places; generated from kg.vocabulary."))])
    return [
        header,
        *(_described(CATEGORY_CLASSES[name], [OWL.Class], term.label, term.description,
                     *_optional(RDFS.subClassOf, CATEGORY_PARENTS.get(name)))
          for name, term in CATEGORIES.items()),
        *(_described(KIND_CLASSES[name], [OWL.Class], kind.label, kind.description,
                     (RDFS.subClassOf, CATEGORY_CLASSES[kind.category]),
                     *_optional(kgv("standsForMembers"), _boolean(True) if kind.stands_for_members else None))
          for name, kind in ENTITY_KINDS.items()),
        *(_described(kgv(name), [_OWN_KINDS[term.kind]], term.label, term.description,
                     *_optional(RDFS.subClassOf, OWN_CLASS_PARENTS.get(name)),
                     *_optional(RDFS.subPropertyOf, OWN_PROPERTY_PARENTS.get(name)))
          for name, term in OWN_TERMS.items()),
        *(_relation_property(name) for name in RELATION_TYPES),
        *(_qualifier_property(name) for name in QUALIFIERS),
        *(_described(iris[name], [OWL.NamedIndividual, kgv(scheme)], row.label, row.description,
                     *_optional(kgv("asserts"), _boolean(row.asserts) if isinstance(row, Status) else None))
          for table, iris, scheme in CONCEPT_SCHEMES for name, row in table.items()),
    ]


def _optional(predicate: str, value: Object | None) -> list[tuple[str, Object]]:
    return [] if value is None else [(predicate, value)]


def _boolean(value: bool) -> Lit:
    return Lit("true" if value else "false", XSD.boolean)


def _relation_property(name: str) -> Node:
    row = RELATION_TYPES[name]
    types = [OWL.ObjectProperty, *([OWL.SymmetricProperty] if row.symmetric else [])]
    return _described(
        RELATION_PROPERTIES[name], types, row.label, row.description,
        (kgv("inverseLabel"), english_literal(row.inverse_label)),
        (kgv("sign"), _integer(row.sign)),
        (kgv("armed"), _boolean(row.armed)),
        *((SCHEMA.domainIncludes, class_of(kind)) for kind in row.domain),
        *((SCHEMA.rangeIncludes, class_of(kind)) for kind in row.range),
        *_optional(RDFS.subPropertyOf, RELATION_PARENTS.get(name)),
    )


_QUALIFIER_RANGES = {
    "entity": lambda qualifier: [class_of(kind) for kind in qualifier.range],
    "entities": lambda qualifier: [class_of(kind) for kind in qualifier.range],
    "support-kinds": lambda qualifier: [kgv("SupportKind")],
    "text": lambda qualifier: [XSD.string],
}


def _qualifier_property(name: str) -> Node:
    row = QUALIFIERS[name]
    kind = OWL.DatatypeProperty if row.value == "text" else OWL.ObjectProperty
    return _described(
        QUALIFIER_PROPERTIES[name], [kind], row.label, row.description,
        (SCHEMA.domainIncludes, kgv("Statement")),
        *((SCHEMA.rangeIncludes, iri) for iri in _QUALIFIER_RANGES[row.value](row)),
    )


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class _Property:
    """A property shape: how many values of ``path`` a node may have and of what sort."""

    path: str
    message: str
    min: int = 0
    max: int | None = 1
    datatypes: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()
    iri: bool = False
    pattern: str | None = None
    low: int | None = None
    high: int | None = None


_ANY_ENTITY = tuple(CATEGORY_CLASSES.values())
_ACTOR, _PLACE = (CATEGORY_CLASSES["actor"],), (CATEGORY_CLASSES["place"],)
_NUMBER = (XSD.integer, XSD.double)
_STRING = (XSD.string,)


def _citations(what: str, minimum: int) -> _Property:
    return _Property(PROV.wasDerivedFrom, f"{what} cites {'at least one source' if minimum else 'sources'} "
                     "(prov:wasDerivedFrom, each an oa:SpecificResource)", min=minimum, max=None,
                     classes=(OA.SpecificResource,))


def _qualifier_shape(field: RelationField) -> _Property:
    """The shape of a qualifier's values on a statement, from what the field holds (``kg.model``)."""
    path, name, classes = QUALIFIER_PROPERTIES[field.name], f"kgv:{camel_case(field.name)}", tuple(
        class_of(kind) for kind in field.range)
    if field.value == "entities":
        return _Property(path, f"{name} names {or_list([kind + 's' for kind in field.range])}", max=None,
                         classes=classes)
    if field.value == "support-kinds":
        return _Property(path, f"{name} names support kinds", max=None, classes=(kgv("SupportKind"),))
    if field.value == "entity":
        return _Property(path, f"a statement has at most one {name}, {or_list([article(k) for k in field.range])}",
                         classes=classes)
    return _Property(path, f"a statement has at most one {name}, a string", datatypes=_STRING)


_MOMENTS = tuple(
    _Property(kgv(name), f"kgv:{name} is one date: xsd:date, xsd:gYearMonth, xsd:gYear or edtf:EDTF",
              datatypes=MOMENT_TYPES)
    for name in ("start", "end"))

_ENTITY_PROPERTIES = (
    _Property(RDFS.label, "an entity needs exactly one rdfs:label, its name, as a language-tagged string",
              min=1, datatypes=(RDF.langString,)),
    _Property(SKOS.altLabel, "aliases (skos:altLabel) are language-tagged strings", max=None,
              datatypes=(RDF.langString,)),
    _Property(DCTERMS.description, "an entity has at most one dcterms:description, a string", datatypes=_STRING),
    _Property(OWL.sameAs, "owl:sameAs holds at most one Wikidata item", iri=True,
              pattern=r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"),
    _citations("an entity", 0),
    _Property(kgv("figure"), "kgv:figure points to kgv:Figure nodes", max=None, classes=(kgv("Figure"),)),
)

_CATEGORY_PROPERTIES: Mapping[str, tuple[_Property, ...]] = {
    "actor": (),
    "place": (
        _Property(GEO.sfWithin, "a place lies within at most one place (geo:sfWithin)", classes=_PLACE),
        _Property(WGS.lat, "wgs:lat is one number from -90 to 90", datatypes=_NUMBER, low=-90, high=90),
        _Property(WGS.long, "wgs:long is one number from -180 to 180", datatypes=_NUMBER, low=-180, high=180),
        _Property(GEO.hasGeometry, "a place has at most one geo:hasGeometry", classes=(GEO.Geometry,)),
    ),
    "event": (
        *_MOMENTS,
        _Property(QUALIFIER_PROPERTIES["place"], "an event has at most one kgv:place, a place", classes=_PLACE),
    ),
}

_STATEMENT_PROPERTIES = (
    _Property(RDF.subject, "a statement needs exactly one rdf:subject, an entity", min=1, classes=_ANY_ENTITY),
    _Property(RDF.predicate, "a statement needs exactly one rdf:predicate, a relation type of kg", min=1,
              one_of=tuple(RELATION_PROPERTIES.values())),
    _Property(RDF.object, "a statement needs exactly one rdf:object, an entity", min=1, classes=_ANY_ENTITY),
    *(_qualifier_shape(field) for field in RELATION_FIELDS if field.qualifier),
    *_MOMENTS,
    *(_Property(kgv(name), f"kgv:{name} is one xsd:date", datatypes=(XSD.date,))
      for name in ("possibleFrom", "possibleUntil", "certainFrom", "certainUntil")),
    _Property(kgv("certain"), "kgv:certain is false or absent", datatypes=(XSD.boolean,)),
    _Property(kgv("status"), "a statement needs exactly one kgv:status, a kgv:Status", min=1,
              classes=(kgv("Status"),)),
    _Property(kgv("claimedBy"), "kgv:claimedBy names one actor", classes=_ACTOR),
    _Property(SKOS.note, "a statement has at most one skos:note, a string", datatypes=_STRING),
    _citations("a statement", 1),
    _Property(kgv("figure"), "kgv:figure points to kgv:Figure nodes", max=None, classes=(kgv("Figure"),)),
)

_FIGURE_PROPERTIES = (
    _Property(kgv("measure"), "a figure needs exactly one kgv:measure, a kgv:Measure", min=1,
              classes=(kgv("Measure"),)),
    _Property(RDF.value, "a figure needs exactly one rdf:value, a number of at least 0", min=1,
              datatypes=_NUMBER, low=0),
    _Property(kgv("figureQualifier"), "a figure needs exactly one kgv:figureQualifier, a kgv:FigureQualifier",
              min=1, classes=(kgv("FigureQualifier"),)),
    _Property(kgv("of"), "kgv:of names one entity", classes=_ANY_ENTITY),
    _Property(RDFS.label, "a figure has at most one rdfs:label, a string", datatypes=_STRING),
    _Property(kgv("countedBy"), "kgv:countedBy names one actor", classes=_ACTOR),
    _Property(QUALIFIER_PROPERTIES["place"], "a figure has at most one kgv:place, a place", classes=_PLACE),
    _Property(DCTERMS.date, "a figure has at most one dcterms:date: xsd:date, xsd:gYearMonth or xsd:gYear",
              datatypes=DATE_TYPES),
    _Property(SKOS.note, "a figure has at most one skos:note, a string", datatypes=_STRING),
    _citations("a figure", 1),
)

_SOURCE_PROPERTIES = (
    _Property(DCTERMS.title, "a source needs exactly one dcterms:title, a string", min=1, datatypes=_STRING),
    _Property(DCTERMS.publisher, "a source needs exactly one dcterms:publisher, a string", min=1,
              datatypes=_STRING),
    _Property(DCTERMS.date, "a source needs exactly one dcterms:date: xsd:date, xsd:gYearMonth or xsd:gYear",
              min=1, datatypes=DATE_TYPES),
    _Property(FOAF.page, "a source has at most one foaf:page, an IRI", iri=True),
    _Property(DCTERMS.creator, "authors (dcterms:creator) are strings", max=None, datatypes=_STRING),
    _Property(DCTERMS.language, "a source has at most one dcterms:language, a string", datatypes=_STRING),
    _Property(SKOS.note, "a source has at most one skos:note, a string", datatypes=_STRING),
    _Property(kgv("textFile"), "a source has at most one kgv:textFile, a string", datatypes=_STRING),
)

_CITATION_PROPERTIES = (
    _Property(OA.hasSource, "a citation needs exactly one oa:hasSource, a source (prov:Entity)", min=1,
              classes=(PROV.Entity,)),
    _Property(OA.hasSelector, "a citation needs an oa:hasSelector, an oa:TextQuoteSelector, and may have "
              "a second, an oa:TextPositionSelector", min=1, max=2,
              classes=(OA.TextQuoteSelector, OA.TextPositionSelector)),
    _Property(kgv("occurrence"), "kgv:occurrence is one whole number of at least 1", datatypes=(XSD.integer,),
              low=1),
)

_QUOTE_PROPERTIES = (
    _Property(OA.exact, "a quote needs exactly one oa:exact, a string", min=1, datatypes=_STRING),
    _Property(OA.prefix, "a quote has at most one oa:prefix, a string", datatypes=_STRING),
    _Property(OA.suffix, "a quote has at most one oa:suffix, a string", datatypes=_STRING),
)

_POSITION_PROPERTIES = (
    _Property(OA.start, "a position needs exactly one oa:start, a whole number of at least 0", min=1,
              datatypes=(XSD.integer,), low=0),
    _Property(OA.end, "a position needs exactly one oa:end, a whole number of at least 0", min=1,
              datatypes=(XSD.integer,), low=0),
)


class _Shapes:
    """Collects shape nodes; a value that may be of several classes or datatypes gets a shared ``sh:or`` shape."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.unions: dict[str, Node] = {}

    def node_shape(self, name: str, targets: list[tuple[str, str]], properties: Iterable[_Property]) -> None:
        shape = SHAPES[name]
        pairs = [(RDF.type, SH.NodeShape), *targets]
        members = []
        for prop in properties:
            member = f"{shape}-{_local(prop.path)}"
            members.append((member, self.property_pairs(prop)))
            pairs.append((SH.property, member))
        self.nodes.append((shape, pairs))
        self.nodes.extend(members)

    def property_pairs(self, prop: _Property) -> list[tuple[str, Object]]:
        pairs: list[tuple[str, Object]] = [(RDF.type, SH.PropertyShape), (SH.path, prop.path)]
        pairs += _optional(SH.minCount, _integer(prop.min) if prop.min else None)
        pairs += _optional(SH.maxCount, None if prop.max is None else _integer(prop.max))
        pairs += self.one_of(SH.datatype, prop.datatypes) + self.one_of(SH["class"], prop.classes)
        pairs += _optional(SH["in"], Collection(prop.one_of) if prop.one_of else None)
        pairs += _optional(SH.nodeKind, SH.IRI if prop.iri else None)
        pairs += _optional(SH.pattern, None if prop.pattern is None else Lit(prop.pattern))
        pairs += _optional(SH.minInclusive, None if prop.low is None else _integer(prop.low))
        pairs += _optional(SH.maxInclusive, None if prop.high is None else _integer(prop.high))
        return pairs + [(SH.message, english_literal(prop.message))]

    def one_of(self, constraint: str, values: tuple[str, ...]) -> list[tuple[str, Object]]:
        """``constraint value`` for one value; for several, ``sh:node`` a shape that ``sh:or``\\ s them."""
        if len(values) < 2:
            return [(constraint, value) for value in values]
        union = SHAPES["-or-".join(map(_local, values))]
        if union not in self.unions:
            options = [SHAPES[f"is-{_local(value)}"] for value in values]
            self.unions[union] = (union, [(RDF.type, SH.NodeShape), (SH["or"], Collection(options))])
            for option, value in zip(options, values):
                self.unions[option] = (option, [(RDF.type, SH.NodeShape), (constraint, value)])
        return [(SH.node, union)]

    def end_shapes(self, name: str) -> None:
        """The domain and range of each relation type, checked on its direct triples."""
        row = RELATION_TYPES[name]
        prop = RELATION_PROPERTIES[name]
        ends = (("subject", SH.targetSubjectsOf, row.domain), ("object", SH.targetObjectsOf, row.range))
        for end, target, kinds in ends:
            shape = SHAPES[f"{_local(prop)}-{end}"]
            allowed = " or ".join(ENTITY_KINDS[k].label if k in ENTITY_KINDS else k for k in kinds)
            message = f"the {end} of kgv:{_local(prop)} must be {article(allowed)}"
            self.nodes.append((shape, [(RDF.type, SH.NodeShape), (target, prop),
                                       *self.one_of(SH["class"], tuple(map(class_of, kinds))),
                                       (SH.message, english_literal(message))]))


def _local(iri: str) -> str:
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:]


def shape_nodes() -> list[Node]:
    """The nodes of the SHACL shapes, in the order they are written.

    >>> shape_nodes()[0][0]
    'https://w3id.org/conflict-kg/shapes#Actor'
    """
    shapes = _Shapes()
    for category in CATEGORIES:
        kinds = [KIND_CLASSES[name] for name, kind in ENTITY_KINDS.items() if kind.category == category]
        shapes.node_shape(_local(CATEGORY_CLASSES[category]), [(SH.targetClass, k) for k in kinds],
                          _ENTITY_PROPERTIES + _CATEGORY_PROPERTIES[category])
    shapes.node_shape("Statement", [(SH.targetClass, kgv("Statement"))], _STATEMENT_PROPERTIES)
    shapes.node_shape("Figure", [(SH.targetClass, kgv("Figure"))], _FIGURE_PROPERTIES)
    shapes.node_shape("Source", [(SH.targetClass, PROV.Entity)], _SOURCE_PROPERTIES)
    shapes.node_shape("Citation", [(SH.targetClass, OA.SpecificResource)], _CITATION_PROPERTIES)
    shapes.node_shape("Quote", [(SH.targetClass, OA.TextQuoteSelector)], _QUOTE_PROPERTIES)
    shapes.node_shape("Position", [(SH.targetClass, OA.TextPositionSelector)], _POSITION_PROPERTIES)
    for name in RELATION_TYPES:
        shapes.end_shapes(name)
    return shapes.nodes + list(shapes.unions.values())


# --------------------------------------------------------------------------- text and graphs


def _turtle(nodes: list[Node]) -> str:
    out = io.StringIO()
    write_turtle(nodes, out)
    return out.getvalue()


def ontology_turtle() -> str:
    """The ontology as Turtle, generated from the vocabulary table (the text of ``ontology.ttl``).

    >>> "kgv:fights a owl:ObjectProperty, owl:SymmetricProperty ;" in ontology_turtle()
    True
    """
    return _turtle(ontology_nodes())


def shapes_turtle() -> str:
    """The SHACL shapes as Turtle, generated from the vocabulary table (the text of ``shapes.ttl``).

    >>> "sh:targetClass kgv:Statement ;" in shapes_turtle()
    True
    """
    return _turtle(shape_nodes())


_SHIPPED = {"ontology.ttl": ontology_turtle, "shapes.ttl": shapes_turtle}


def shipped(name: str) -> str:
    """The text of ``ontology.ttl`` or ``shapes.ttl`` as shipped with the package.

    >>> shipped("shapes.ttl") == shapes_turtle()
    True
    """
    return resources.files("kg.rdf").joinpath(name).read_text(encoding="utf-8")


def _shipped_graph(name: str) -> "rdflib.Graph":
    import rdflib

    return rdflib.Graph().parse(data=shipped(name), format="turtle")


@lru_cache(maxsize=1)
def ontology_graph() -> "rdflib.Graph":
    """The shipped ontology as an rdflib Graph (do not change it: it is shared).

    >>> len(ontology_graph()) > 0
    True
    """
    return _shipped_graph("ontology.ttl")


@lru_cache(maxsize=1)
def shapes_graph() -> "rdflib.Graph":
    """The shipped SHACL shapes as an rdflib Graph (do not change it: it is shared).

    >>> len(shapes_graph()) > 0
    True
    """
    return _shipped_graph("shapes.ttl")


def shacl_problems(data: "KnowledgeGraph | rdflib.Graph") -> list[str]:
    """Every SHACL violation in a graph (a KnowledgeGraph is exported first), sorted; [] if it conforms.

    Needs pyshacl (the ``shacl`` extra: ``pip install ".[shacl]"`` in a clone). Each problem reads
    ``<focus node>: message``.

    >>> import kg
    >>> shacl_problems(kg.load())
    []
    """
    import pyshacl
    import rdflib

    rdf = to_rdf(data) if isinstance(data, KnowledgeGraph) else data
    _, report, _ = pyshacl.validate(rdf, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                    inference="none", allow_warnings=False)
    shacl = rdflib.Namespace(SH.iri)
    return sorted(
        f"<{report.value(result, shacl.focusNode)}>: {report.value(result, shacl.resultMessage)}"
        for result in report.subjects(rdflib.RDF.type, shacl.ValidationResult)
    )


def regenerate(folder: str | Path | None = None) -> list[Path]:
    """Write ``ontology.ttl`` and ``shapes.ttl`` into a folder (by default, next to this module).

    >>> import tempfile
    >>> [path.name for path in regenerate(tempfile.mkdtemp())]
    ['ontology.ttl', 'shapes.ttl']
    """
    target = Path(folder) if folder is not None else Path(__file__).parent
    written = []
    for name, generate in _SHIPPED.items():
        text = generate()
        written.append(write_atomically(target / name, lambda out, text=text: out.write(text)))
    return written
