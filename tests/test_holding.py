"""Answers built from several statements say whether they rest on statements that surely held
on the date asked for, or only may have: allies and enemies (kg/query/ties.py), balance and
paths (kg/query/paths.py), in records, the CLI's tables and files, HTML and a remote graph.

tests/fixtures/dates: on 2020-06-01 Türkiye's backing of HTS held and the SNA's fight with the
government (``2020?``) only may have; on 2022-06-01 the other way round (the backing ends
``2022?``). Iran's backing of the government is undated; the SNA's opposition to it too.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.dates import HELD, MAY_HAVE_HELD
from kg.rdf.endpoint import Endpoint
from kg.rdf.remote import RemoteGraph
from tests import servers

DATES = Path(__file__).parent / "fixtures" / "dates"
BEFORE, AFTER = "2020-06-01", "2022-06-01"


@pytest.fixture(scope="module")
def graph() -> kg.KnowledgeGraph:
    return kg.load(DATES, cache=False)


def ties(found: kg.Results) -> list[tuple[str, str | None]]:
    return [(tie.entity, tie.holding) for tie in found]


def test_allies_and_enemies_say_which_held_those_first_and_strict_keeps_them(graph: kg.KnowledgeGraph) -> None:
    assert ties(graph.allies("Syrian government", as_of=AFTER)) == [("russia", HELD), ("iran", MAY_HAVE_HELD)]
    assert ties(graph.allies("Syrian government", as_of=AFTER, strict=True)) == [("russia", HELD)]
    assert ties(graph.allies("Türkiye", as_of=AFTER)) == [("sna", HELD), ("hts", MAY_HAVE_HELD)]
    assert ties(graph.allies("Türkiye", as_of=BEFORE)) == [("hts", HELD), ("sna", HELD)]
    assert [row["holding"] for row in graph.allies("Türkiye", as_of=AFTER).to_records()] == [HELD, MAY_HAVE_HELD]


def test_a_tie_holds_if_one_of_its_statements_held_and_lists_it_first(graph: kg.KnowledgeGraph) -> None:
    sna = {tie.entity: tie for tie in graph.enemies("Syrian government", as_of=AFTER)}["sna"]
    assert sna.holding == HELD
    assert [r.id for r in sna.relations] == ["sna-fights-government", "sna-opposes-government"]
    earlier = {tie.entity: tie for tie in graph.enemies("Syrian government", as_of=BEFORE)}["sna"]
    assert earlier.holding == MAY_HAVE_HELD  # neither surely held yet
    assert repr(earlier) == "<Tie sna: enemy (fights, opposes; 2 statements, may have held)>"


@pytest.mark.parametrize("day", ["1900", "2016", "2024-12-01", "2100"])
def test_an_undated_statement_never_holds_on_a_date(graph: kg.KnowledgeGraph, day: str) -> None:
    (iran,) = [tie for tie in graph.allies("Syrian government", as_of=day) if tie.entity == "iran"]
    assert iran.holding == MAY_HAVE_HELD
    assert "iran" not in {tie.entity for tie in graph.allies("Syrian government", as_of=day, strict=True)}


def test_without_a_date_nothing_is_marked_and_the_order_is_by_id(graph: kg.KnowledgeGraph) -> None:
    found = graph.allies("Syrian government")
    assert ties(found) == [("iran", None), ("russia", None)]
    assert "holding" not in found.to_records()[0]
    assert all("holding" not in row for row in graph.balance().to_records())
    path = graph.paths("Türkiye", "Syrian government", max_length=2)[0]
    assert path.holding is None and "holding" not in path.to_record() and "holding" not in path.to_record()["hops"][0]


def triangles(found: kg.Results) -> list[tuple[tuple[str, ...], str | None]]:
    return [(triangle.nodes, triangle.holding) for triangle in found]


def test_balance_says_which_triangles_held_those_first_and_strict_keeps_them(graph: kg.KnowledgeGraph) -> None:
    assert triangles(graph.balance(as_of=BEFORE)) == [
        (("hts", "sna", "turkiye"), HELD), (("hts", "sna", "syrian-government"), MAY_HAVE_HELD)]
    assert triangles(graph.balance(as_of=BEFORE, strict=True)) == [(("hts", "sna", "turkiye"), HELD)]
    assert [row["holding"] for row in graph.balance(as_of=BEFORE).to_records()] == [HELD, MAY_HAVE_HELD]


def test_a_pair_of_actors_stands_on_a_statement_that_held_where_it_has_one(graph: kg.KnowledgeGraph) -> None:
    # SNA - government: the undated opposition comes first in the data, the fight held on AFTER.
    (government,) = [t for t in graph.balance(as_of=AFTER) if "syrian-government" in t.nodes]
    assert government.holding == HELD
    assert [r.id for r in government.relations] == ["hts-fights-sna", "sna-fights-government", "open"]
    (undated,) = [t for t in graph.balance() if "syrian-government" in t.nodes]
    assert [r.id for r in undated.relations] == ["hts-fights-sna", "sna-opposes-government", "open"]


def test_a_path_holds_as_surely_as_its_weakest_hop_those_that_held_first(graph: kg.KnowledgeGraph) -> None:
    found = graph.paths("Türkiye", "Syrian government", max_length=2, as_of=AFTER)
    assert [(path.text, path.holding) for path in found] == [
        ("turkiye -[backs]-> sna -[fights]- syrian-government", HELD),
        ("turkiye -[backs]-> hts -[fights]- syrian-government", MAY_HAVE_HELD),
        ("turkiye -[backs]-> sna -[opposes]-> syrian-government", MAY_HAVE_HELD),
    ]
    record = found[1].to_record()
    assert (record["holding"], [hop["holding"] for hop in record["hops"]]) == (MAY_HAVE_HELD, [MAY_HAVE_HELD, HELD])
    strict = graph.paths("Türkiye", "Syrian government", max_length=2, as_of=AFTER, strict=True)
    assert [path.text for path in strict] == ["turkiye -[backs]-> sna -[fights]- syrian-government"]
    through_undated = graph.paths("Iran", "HTS", max_length=2, types=["backs", "fights"], as_of="2024-12-01")
    assert [(path.text, path.holding) for path in through_undated] == [
        ("iran -[backs]-> syrian-government -[fights]- hts", MAY_HAVE_HELD)]
    assert not graph.paths("Iran", "HTS", max_length=2, types=["backs", "fights"], as_of="2024-12-01", strict=True)


def test_shortest_first_then_those_that_held(graph: kg.KnowledgeGraph) -> None:
    found = graph.paths("Türkiye", "Syrian government", max_length=3, as_of=AFTER)
    assert [(path.length, path.holding) for path in found] == [
        (2, HELD), (2, MAY_HAVE_HELD), (2, MAY_HAVE_HELD), (3, HELD), (3, MAY_HAVE_HELD), (3, MAY_HAVE_HELD)]


def test_the_shortest_path_is_one_that_held_where_one_of_that_length_did(graph: kg.KnowledgeGraph) -> None:
    assert graph.shortest_path("Türkiye", "Syrian government", as_of=AFTER).text == (
        "turkiye -[backs]-> sna -[fights]- syrian-government")
    only_vague = graph.shortest_path("Iran", "HTS", types=["backs", "fights"], as_of=AFTER)
    assert (only_vague.text, only_vague.holding) == ("iran -[backs]-> syrian-government -[fights]- hts", MAY_HAVE_HELD)
    assert graph.shortest_path("Türkiye", "Syrian government").text == (  # no date: the first found
        "turkiye -[backs]-> hts -[fights]- syrian-government")


def rows(*arguments: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, [*arguments, "-d", str(DATES), "-f", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_cli_path_and_balance_mark_holding_and_strict_drops() -> None:
    paths = rows("path", "Türkiye", "Syrian government", "-n", "2", "--as-of", AFTER)
    assert [(row["holding"], row["path"]) for row in paths][:2] == [
        (HELD, "turkiye -[backs]-> sna -[fights]- syrian-government"),
        (MAY_HAVE_HELD, "turkiye -[backs]-> hts -[fights]- syrian-government")]
    strict = rows("path", "Türkiye", "Syrian government", "-n", "2", "--as-of", AFTER, "--strict")
    assert [row["holding"] for row in strict] == [HELD]
    assert [(row["c"], row["holding"]) for row in rows("balance", "--as-of", BEFORE)] == [
        ("turkiye", HELD), ("syrian-government", MAY_HAVE_HELD)]
    assert "holding" not in rows("balance")[0]


def test_cli_tables_show_a_holding_column_only_with_a_date() -> None:
    runner = CliRunner()
    dated = runner.invoke(app, ["path", "Türkiye", "Syrian government", "-n", "2", "-d", str(DATES), "--as-of", AFTER])
    undated = runner.invoke(app, ["path", "Türkiye", "Syrian government", "-n", "2", "-d", str(DATES)])
    assert dated.stdout.splitlines()[0].split() == ["LENGTH", "SIGN", "HOLDING", "READING", "PATH"]
    assert "HOLDING" not in undated.stdout.splitlines()[0]


def test_notebook_tables_and_a_path_in_html_say_which_held(graph: kg.KnowledgeGraph) -> None:
    assert "<th>holding</th>" in graph.enemies("Syrian government", as_of=AFTER)._repr_html_()
    assert "<th>holding</th>" not in graph.enemies("Syrian government")._repr_html_()
    path = graph.paths("Türkiye", "Syrian government", max_length=2, as_of=AFTER)[1]
    assert f"may have held on {AFTER}" in path._repr_html_()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, graph: kg.KnowledgeGraph):
    missing = servers.missing_server("oxigraph")
    if missing:
        pytest.skip(f"oxigraph: {missing}")
    with servers.oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as running:
        endpoint = Endpoint(running.query, update=running.update, store=running.store)
        graph.push(endpoint, "https://example.org/graph/dates")
        yield RemoteGraph(endpoint, "https://example.org/graph/dates")


@pytest.mark.parametrize("strict", [False, True])
def test_a_remote_graph_gives_the_same_paths_and_marks(oxigraph, graph: kg.KnowledgeGraph, strict: bool) -> None:
    read_back = kg.from_rdf(graph.to_rdf())  # RDF keeps no file order: relations come in id order
    for day in (BEFORE, AFTER):
        remote = oxigraph.paths("Türkiye", "Syrian government", as_of=day, strict=strict)
        assert remote.to_records() == read_back.paths("Türkiye", "Syrian government", as_of=day,
                                                      strict=strict).to_records()
        assert {path.holding for path in remote} == ({HELD} if strict else {HELD, MAY_HAVE_HELD})
