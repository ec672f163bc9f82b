"""kg.dump (kg.folder.writing) writes a graph as YAML that loads back into an equal graph."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

import kg
from kg.folder.writing import dump
from tests.conftest import MINI
from tests.strategies import graphs


def test_the_bundled_data_survives_a_dump(tmp_path: Path) -> None:
    graph = kg.load()
    assert kg.load(dump(graph, tmp_path / "copy"), cache=False) == graph


def test_a_dump_is_canonical_and_stable(tmp_path: Path) -> None:
    first = dump(kg.load(MINI), tmp_path / "first")
    second = dump(kg.load(first, cache=False), tmp_path / "second")
    for name in ("sources.yaml", "actors.yaml", "places.yaml", "events.yaml", "relations.yaml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert "status: stated" not in (first / "relations.yaml").read_text()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(graphs())
def test_random_graphs_survive_yaml(graph: kg.KnowledgeGraph) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if not (graph.sources or graph.entities or len(graph)):
            return
        assert kg.load(dump(graph, folder), cache=False) == graph
