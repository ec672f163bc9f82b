"""kg in RDF: export, import, ontology, SHACL shapes and SPARQL.

``import kg`` does not load this package; ``import kg.rdf`` loads neither rdflib nor
pyoxigraph until a call needs one (see ``kg.rdf.backends``: writing Turtle, N-Triples or
JSON-LD needs neither). ``FORMATS``, ``serialize`` and ``write`` are those of ``kg.formats``
and ``kg.export``, for every export format.

>>> import kg, kg.rdf
>>> g = kg.load()
>>> kg.rdf.from_rdf(kg.rdf.to_rdf(g)) == g
True
>>> len(kg.rdf.serialize(g, "nt").splitlines()) == len(kg.rdf.to_rdf(g))   # one line a triple
True

Records are named under a base IRI (``DEFAULT_BASE``, or ``base=``): entities at
``{base}entity/{id}``, sources at ``{base}source/{id}``, statements at
``{base}statement/{id}``. The vocabulary lives at the fixed namespace ``VOCAB``.
"""

from kg.export import serialize, write
from kg.formats import FORMATS, Format
from kg.rdf.ontology import ontology_turtle, shacl_problems, shapes_turtle
from kg.rdf.reader import from_rdf
from kg.rdf.sparql import query_text, sparql, sparql_rows
from kg.rdf.store import Store
from kg.rdf.terms import DEFAULT_BASE, VOCAB, RdfError
from kg.rdf.triples import to_rdf, triples

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "VOCAB",
    "Format",
    "RdfError",
    "Store",
    "from_rdf",
    "ontology_turtle",
    "query_text",
    "serialize",
    "shacl_problems",
    "shapes_turtle",
    "sparql",
    "sparql_rows",
    "to_rdf",
    "triples",
    "write",
]
