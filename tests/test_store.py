"""The on-disk Oxigraph store gives the same answers as the graph in memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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


# --------------------------------------------------------------------------- faults


def test_bad_input_leaves_the_store_as_it_was(graph, tmp_path: Path) -> None:
    before = len(Store.create(tmp_path / "s", graph))
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b "unclosed .\n', encoding="utf-8")
    with pytest.raises(kg.KGError, match=r"bad\.ttl:3:9: Parser error .*Unexpected end of file"):
        Store.load(tmp_path / "s", bad)
    assert len(Store(tmp_path / "s", read_only=True)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "s"]


def test_a_killed_rebuild_leaves_the_old_store_and_its_leftovers_go(graph, tmp_path: Path) -> None:
    from benchmarks.generate import generate

    data = tmp_path / "data"
    generate(data, entities=200, relations=6000, seed=2)
    before = len(Store.create(tmp_path / "s", graph))
    child = subprocess.Popen([sys.executable, "-m", "kg", "store", str(tmp_path / "s"), "-d", str(data)],
                             env={**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")})
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".s.*.tmp")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert list(tmp_path.glob(".s.*.tmp")), "the rebuild finished before it could be killed"
    assert len(Store(tmp_path / "s", read_only=True)) == before
    Store.create(tmp_path / "s", graph)
    assert not list(tmp_path.glob(".s.*.tmp"))


def test_a_folder_that_is_not_a_store_is_refused(graph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.yaml").write_text("- id: a\n", encoding="utf-8")
    with pytest.raises(kg.KGError, match="is not a store made by 'kg store' .it holds other files.; give a new or"):
        Store.create(data, graph)
    assert [p.name for p in data.iterdir()] == ["actors.yaml"]


def test_reading_opens_read_only(graph, tmp_path: Path) -> None:
    Store.create(tmp_path / "s", graph)
    first, second = Store(tmp_path / "s", read_only=True), Store(tmp_path / "s", read_only=True)
    assert len(first) == len(second) > 0
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(kg.KGError, match="is not a store made by 'kg store'"):
        Store(empty, read_only=True)
    assert not list(empty.iterdir())
