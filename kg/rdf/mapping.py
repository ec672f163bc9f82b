"""How the fields of each record map to RDF: one table per record, read by writer and reader alike.

A ``Field`` names a record field, its predicate and a ``Kind`` that converts its values both
ways. ``kg.rdf.triples`` writes each table's fields in order; ``kg.rdf.reader`` reads a
node's predicates back through the same table, so the two directions cannot disagree.
List fields (aliases, authors, against, support, citations, figures) are in ``LISTS``: a
direct triple per value plus an ``rdf:Seq`` keeping the order when there are several.

>>> [field.name for field in SOURCE_FIELDS]
['title', 'publisher', 'date', 'url', 'language', 'note', 'text']
>>> ENTITY.write("hts", Iris())
'https://w3id.org/conflict-kg/id/entity/hts'
"""

from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

from kg import model
from kg.dates import check_edtf
from kg.errors import unknown_term_message
from kg.model import RelationField
from kg.rdf.terms import (
    DATE_TYPES,
    DCTERMS,
    FIGURE_QUALIFIER_IRIS,
    FOAF,
    GEO,
    KIND_CLASSES,
    MEASURE_IRIS,
    MOMENT_TYPES,
    NUMBER_TYPES,
    OA,
    OWL,
    PROV,
    QUALIFIER_PROPERTIES,
    RDF,
    RDFS,
    RELATION_PROPERTIES,
    SKOS,
    STATUS_IRIS,
    SUPPORT_IRIS,
    WGS,
    WIKIDATA,
    Iris,
    Lit,
    Object,
    RdfError,
    camel_case,
    date_literal,
    external_iri,
    kgv,
    moment_literal,
    english_literal,
    number_literal,
    record_id,
    reverse,
    text_literal,
    wikidata_iri,
)

__all__ = ["CITATION_FIELDS", "ENTITY_FIELDS", "FIGURE_FIELDS", "LISTS", "POSITION_FIELDS", "QUOTE_FIELDS",
           "RELATION_FIELDS", "RELATION_LISTS", "SOURCE_FIELDS", "Field", "Kind", "ListField"]


class Kind(NamedTuple):
    """How values of a field become RDF objects (``write(value, iris)``) and come back
    (``read(node, object)``, where ``node`` is the IRI to name in an error)."""

    write: Callable[[object, Iris], Object]
    read: Callable[[str, Object], object]


def _literal(node: str, value: Object, datatypes: object, expected: str) -> Lit:
    if type(value) is not Lit or (datatypes is not None and value.datatype not in datatypes):
        raise RdfError(f"<{node}>: expected {expected}, got {value!r}")
    return value


def _iri(node: str, value: Object) -> str:
    if type(value) is Lit:
        raise RdfError(f"<{node}>: expected an IRI, got the literal {value.value!r}")
    return value


def _vocabulary(iris: Mapping[str, str], what: str) -> Kind:
    """Names of a vocabulary table, as the IRIs of their terms."""
    names = reverse(iris)

    def write(name: object, _: Iris) -> str:
        if name not in iris:
            raise RdfError(unknown_term_message(what, str(name), iris))
        return iris[name]

    def read(node: str, value: Object) -> str:
        name = names.get(value) if type(value) is str else None
        if name is None:
            raise RdfError(f"<{node}>: {value} is not a known {what}")
        return name

    return Kind(write, read)


TEXT = Kind(lambda text, _: text_literal(text), lambda node, value: _literal(node, value, None, "a literal").value)
NAME = Kind(lambda text, _: english_literal(text), TEXT.read)
DATE = Kind(lambda text, _: date_literal(text),
            lambda node, value: _literal(node, value, DATE_TYPES, "a date (xsd:date, gYearMonth or gYear)").value)
MOMENT = Kind(lambda text, _: moment_literal(text), lambda node, value: _moment(node, value))
NUMBER = Kind(lambda number, _: number_literal(number),
              lambda node, value: NUMBER_TYPES[_literal(node, value, NUMBER_TYPES, "a number").datatype](value.value))
ENTITY = Kind(lambda entity_id, iris: iris.entity(entity_id), lambda node, value: record_id(_iri(node, value)))
NODE = Kind(lambda iri, _: iri, _iri)
URL = Kind(lambda url, _: external_iri(url, "the url of a source"), _iri)
def _moment(node: str, value: Object) -> str:
    text = _literal(node, value, MOMENT_TYPES, "a date (xsd:date, gYearMonth, gYear or edtf:EDTF)").value
    problem = check_edtf(text)
    if problem:
        raise RdfError(f"<{node}>: bad date {text!r}: {problem}")
    return text


def _wikidata_item(node: str, value: Object) -> str | None:
    iri = _iri(node, value)
    return record_id(iri) if iri.startswith(WIKIDATA) else None  # owl:sameAs to other IRIs is not kg's


WIKIDATA_ITEM = Kind(lambda item, _: wikidata_iri(item), _wikidata_item)
KIND = _vocabulary(KIND_CLASSES, "entity kind")
RELATION_TYPE = _vocabulary(RELATION_PROPERTIES, "relation type")
STATUS = _vocabulary(STATUS_IRIS, "status")
SUPPORT_KIND = _vocabulary(SUPPORT_IRIS, "support kind")
MEASURE = _vocabulary(MEASURE_IRIS, "figure measure")
FIGURE_QUALIFIER = _vocabulary(FIGURE_QUALIFIER_IRIS, "figure qualifier")


class Field(NamedTuple):
    """A field of a record that holds one value (or None): its predicate and kind."""

    name: str
    predicate: str
    kind: Kind
    required: bool = False


_START, _END, _PLACE = kgv("start"), kgv("end"), QUALIFIER_PROPERTIES["place"]

#: The single-valued fields of each record, in the order they are written.
ENTITY_FIELDS = (
    Field("name", RDFS.label, NAME, required=True),
    Field("description", DCTERMS.description, TEXT),
    Field("wikidata", OWL.sameAs, WIKIDATA_ITEM),
    Field("within", GEO.sfWithin, ENTITY),
    Field("lat", WGS.lat, NUMBER),
    Field("lon", WGS.long, NUMBER),
    Field("start", _START, MOMENT),
    Field("end", _END, MOMENT),
    Field("place", _PLACE, ENTITY),
)
SOURCE_FIELDS = (
    Field("title", DCTERMS.title, TEXT, required=True),
    Field("publisher", DCTERMS.publisher, TEXT, required=True),
    Field("date", DCTERMS.date, DATE, required=True),
    Field("url", FOAF.page, URL),
    Field("language", DCTERMS.language, TEXT),
    Field("note", SKOS.note, TEXT),
    Field("text", kgv("textFile"), TEXT),
)
#: A citation's own node (an ``oa:SpecificResource``), its ``oa:TextQuoteSelector`` and,
#: where the quote is anchored in its source's text, its ``oa:TextPositionSelector``.
CITATION_FIELDS = (Field("occurrence", kgv("occurrence"), NUMBER),)
QUOTE_FIELDS = (
    Field("quote", OA.exact, TEXT, required=True),
    Field("prefix", OA.prefix, TEXT),
    Field("suffix", OA.suffix, TEXT),
)
POSITION_FIELDS = (Field("start", OA.start, NUMBER, required=True), Field("end", OA.end, NUMBER, required=True))
# A relation's single-valued fields (kg.model.RELATION_FIELDS) as RDF, by what they hold; their
# predicates are the qualifiers' properties, a standard term, or kgv's camel-cased name.
_RELATION_KINDS = {"entity": ENTITY, "text": TEXT, "long-text": TEXT, "moment": MOMENT, "status": STATUS}
_RELATION_LIST_KINDS = {"entities": ENTITY, "support-kinds": SUPPORT_KIND}
_STANDARD_PREDICATES = {"note": SKOS.note}


def _predicate(field: RelationField) -> str:
    if field.qualifier:
        return QUALIFIER_PROPERTIES[field.name]
    return _STANDARD_PREDICATES.get(field.name) or kgv(camel_case(field.name.replace("_", "-")))


#: The statement's ends as RDF reification writes them, then its other single-valued fields.
RELATION_FIELDS = (
    Field("subject", RDF.subject, ENTITY, required=True),
    Field("type", RDF.predicate, RELATION_TYPE, required=True),
    Field("object", RDF.object, ENTITY, required=True),
    *(Field(field.name, _predicate(field), _RELATION_KINDS[field.value],
            required=field.required or field.default not in (None, ()))
      for field in model.RELATION_FIELDS if field.value in _RELATION_KINDS),
)
FIGURE_FIELDS = (
    Field("measure", kgv("measure"), MEASURE, required=True),
    Field("value", RDF.value, NUMBER, required=True),
    Field("qualifier", kgv("figureQualifier"), FIGURE_QUALIFIER, required=True),
    Field("of", kgv("of"), ENTITY),
    Field("label", RDFS.label, TEXT),
    Field("counted_by", kgv("countedBy"), ENTITY),
    Field("place", _PLACE, ENTITY),
    Field("date", DCTERMS.date, DATE),
    Field("note", SKOS.note, TEXT),
)
class ListField(NamedTuple):
    """A list field: a direct triple per value; an ``rdf:Seq`` at ``{node}/{name}``, linked by ``link``,
    keeps their order when there are several."""

    name: str
    direct: str
    link: str
    kind: Kind


#: The list fields, by the name of the record field they hold (citations are ``sources``).
LISTS: Mapping[str, ListField] = {
    row.name: row
    for row in (
        ListField("aliases", SKOS.altLabel, kgv("aliasList"), NAME),
        ListField("authors", DCTERMS.creator, kgv("authorList"), TEXT),
        *(ListField(field.name, _predicate(field), kgv(camel_case(field.name.replace("_", "-")) + "List"),
                    _RELATION_LIST_KINDS[field.value])
          for field in model.RELATION_FIELDS if field.value in _RELATION_LIST_KINDS),
        ListField("sources", PROV.wasDerivedFrom, kgv("citationList"), NODE),
        ListField("figures", kgv("figure"), kgv("figureList"), NODE),
    )
}
#: A relation's list fields other than its evidence (``against``, ``support``), in the order they are written.
RELATION_LISTS = tuple(field.name for field in model.RELATION_FIELDS if field.value in _RELATION_LIST_KINDS)
