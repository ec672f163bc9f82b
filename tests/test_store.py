"""The on-disk Oxigraph store gives the same answers as the graph in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
import kg.rdf
from kg.rdf import Store, query_text


@pytest.fixture(scope="module")
def graph() -> kg.KnowledgeGraph:
    return kg.load()


@pytest.fixture(scope="module")
def store(graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store.create(tmp_path_factory.mktemp("store"), graph)


def sortable(rows: list[dict]) -> list[tuple]:
    return sorted(tuple((k, str(v)) for k, v in row.items()) for row in rows)


@pytest.mark.parametrize("name, bindings", [
    ("relations", {}),
    ("relations", {"subject": "hts"}),
    ("as_of", {"date": "2024-11-26"}),
    ("as_of", {"date": "2024-12-02"}),
    ("supports", {}),
    ("supports", {"against": "hts"}),
    ("paths", {"from": "hts", "to": "russia"}),
])
def test_the_store_answers_like_the_graph(graph, store, name: str, bindings: dict) -> None:
    values = {key: graph.resolve(value) if key not in ("date",) else value for key, value in bindings.items()}
    assert sortable(store.query(name, **values)) == sortable(kg.rdf.sparql(graph, query_text(name), **values))


def test_supports_in_the_store_match_the_python_helper(graph, store) -> None:
    rows = {(r["supporter"], r["supported"], r["against"], r["basis"]) for r in store.query("supports")}
    assert rows == {(s.supporter, s.supported, s.against, s.basis) for s in graph.supports()}


def test_a_store_keeps_its_graph_on_disk(graph, tmp_path: Path) -> None:
    Store.create(tmp_path / "s", graph)
    reopened = Store(tmp_path / "s")
    assert reopened.to_graph() == graph
    assert len(reopened.sparql("SELECT ?e WHERE { ?e a kgv:ArmedGroup }")) > 0


def test_a_store_loads_an_export_without_the_yaml(graph, tmp_path: Path) -> None:
    export = graph.write(tmp_path / "graph.nt")
    assert Store.load(tmp_path / "s", export).to_graph() == graph


def test_a_store_refuses_formats_it_cannot_stream(graph, tmp_path: Path) -> None:
    with pytest.raises(kg.KGError, match="a store loads turtle, nt, jsonld files, not csv"):
        Store.load(tmp_path / "s", graph.write(tmp_path / "edges.csv"))
