"""kg.formats: one registry of file formats by name and kind, its code imported only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.errors import RdfError
from kg.formats import FORMATS, KINDS, format_for, get, names


def test_every_plugin_of_every_format_is_found() -> None:
    for row in FORMATS.values():
        for kind in row.plugins:
            assert kind in KINDS
            assert callable(row.plugin(kind)), (row.name, kind)


def test_formats_by_kind() -> None:
    assert names("write") == ("turtle", "nt", "jsonld", "graphml", "gexf", "csv")
    assert names("read") == names("store") == ("turtle", "nt", "jsonld")


@pytest.mark.parametrize("path, kind, message", [
    ("graph.csv", "read", "cannot read CSV edge list files; kg reads RDF in: turtle, nt, jsonld"),
    ("graph.gexf", "store", "a store loads turtle, nt, jsonld files, not gexf"),
    ("graph.txt", "write", "cannot tell the format of 'graph.txt' from its suffix; give one of: csv, gexf, graphml, "
                           "jsonld, nt, turtle"),
])
def test_a_format_without_the_kind_asked_is_refused(path: str, kind: str, message: str) -> None:
    with pytest.raises(RdfError) as caught:
        get(path, None, kind)
    assert str(caught.value) == message


def test_a_name_wins_over_the_suffix_and_an_unknown_name_gets_a_did_you_mean() -> None:
    assert format_for("graph.ttl", "nt").name == "nt"
    with pytest.raises(RdfError) as caught:
        format_for(None, "turtel")
    assert str(caught.value) == ("unknown format 'turtel' (did you mean 'turtle'?); expected one of: csv, gexf, "
                                 "graphml, jsonld, nt, turtle")


@pytest.mark.parametrize("name, loaded", [
    ("csv", "[]"), ("graphml", "[]"), ("turtle", "['kg.rdf']"), ("nt", "['kg.rdf']"), ("jsonld", "['kg.rdf']"),
])
def test_writing_a_format_loads_no_rdf_library(name: str, loaded: str) -> None:
    """A network format never imports kg.rdf; kg's own RDF writers import neither rdflib nor pyoxigraph."""
    code = (f"import sys, kg; kg.load().serialize({name!r})\n"
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'kg.rdf') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == loaded + "\n"
