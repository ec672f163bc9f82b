"""Dates that say how sure they are (kg/dates.py): every form a start or end can take, through
the loader, ``as_of``, ``diff``, the CLI, the networkx view and the RDF round trip.

tests/fixtures/dates holds one statement per form, named by it: exact, partial, approximate,
uncertain, bounded, open, unknown-end, undated and on-or-after (a start with no end).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.dates import HELD, MAY_HAVE_HELD, NOT_HELD, bound, check_edtf, holding, overlaps, span

DATES = Path(__file__).parent / "fixtures" / "dates"


@pytest.fixture(scope="module")
def graph() -> kg.KnowledgeGraph:
    return kg.load(DATES, cache=False)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("2016-12-22", date(2016, 12, 22), date(2016, 12, 22)),
    ("2015-09", date(2015, 9, 1), date(2015, 9, 30)),
    ("2024-11~", date(2024, 10, 1), date(2024, 12, 31)),
    ("2016?", date(2015, 1, 1), date(2017, 12, 31)),
    ("2024-11-29%", date(2024, 11, 28), date(2024, 11, 30)),
    ("201X", date(2010, 1, 1), date(2019, 12, 31)),
    ("2016-XX", date(2016, 1, 1), date(2016, 12, 31)),
    ("../2024-11", date.min, date(2024, 11, 30)),
    ("2024-12-01/..", date(2024, 12, 1), date.max),
    ("2016/2018-06", date(2016, 1, 1), date(2018, 6, 30)),
    ("XXXX", date.min, date.max),
])
def test_each_form_covers_the_days_it_says(text: str, low: date, high: date) -> None:
    assert check_edtf(text) is None
    assert bound(text, "start", None) == (low, high)


@pytest.mark.parametrize(("text", "problem"), [
    ("2016-13", "month 13 is not 01 to 12"),
    ("2016/2015", "the range 2016/2015 ends before it begins"),
    ("../..", "a range needs at least one date: A/B, ../B or A/.."),
    ("20X6", "unspecified digits (X) must be the last ones"),
    ("٢٠١٦", "not an ISO or EDTF date"),
    ("２０１６", "not an ISO or EDTF date"),
    ("2016~~", "not an ISO or EDTF date"),
    ("around 2016", "not an ISO or EDTF date"),
])
def test_bad_forms_are_named(text: str, problem: str) -> None:
    assert check_edtf(text) == problem


def test_a_start_on_or_after_a_date_with_no_end_is_never_certain() -> None:
    assert span("2024-12-01/..", None).certain_empty
    assert holding("2024-12-01/..", None, "9999-12-31") == MAY_HAVE_HELD
    assert holding("2024-12-01/..", None, "2024-11-30") == NOT_HELD


def test_open_and_missing_bounds() -> None:
    assert span("2015", None) == span("2015", "..")  # a missing end after a start is open
    assert span(None, "2016") == span("..", "2016")  # and so is a missing start before an end
    assert span(None, None).certain_empty  # undated: not "always"
    assert span(None, None).possible == (date.min, date.max)


@pytest.mark.parametrize(("statement", "day", "expected"), [
    ("exact", "2016-12-22", HELD),
    ("exact", "2016-12-21", NOT_HELD),
    ("exact", "2016-12", HELD),  # a partial date counts if any of its days does
    ("partial", "2015-09-01", MAY_HAVE_HELD),  # began some day in September 2015
    ("partial", "2015-10-01", HELD),
    ("approximate", "2024-10-15", MAY_HAVE_HELD),
    ("approximate", "2024-12-31", MAY_HAVE_HELD),  # it ended some day in December
    ("approximate", "2025-01-01", NOT_HELD),
    ("uncertain", "2015-06", MAY_HAVE_HELD),
    ("uncertain", "2018-01-01", HELD),
    ("bounded", "2024-11-30", HELD),  # by 2024-11 ... until at least 2024-12-01
    ("bounded", "2020", MAY_HAVE_HELD),
    ("bounded", "2030", MAY_HAVE_HELD),
    ("open", "2030", HELD),
    ("open", "2016", NOT_HELD),
    ("on-or-after", "2030", MAY_HAVE_HELD),
    ("unknown-end", "2024-11-29", HELD),
    ("unknown-end", "2024-11-30", MAY_HAVE_HELD),
    ("undated", "1990", MAY_HAVE_HELD),
    ("undated", "2024-12-01", MAY_HAVE_HELD),
])
def test_three_answers_to_did_it_hold(graph: kg.KnowledgeGraph, statement: str, day: str, expected: str) -> None:
    assert graph.relation(statement).holding(day) == expected


def test_as_of_keeps_what_may_have_held_after_what_held_and_strict_drops_it(graph: kg.KnowledgeGraph) -> None:
    found = graph.relations(as_of="2024-12-01")
    holdings = [r.holding("2024-12-01") for r in found]
    assert holdings == sorted(holdings, key=[HELD, MAY_HAVE_HELD].index)
    assert {"undated", "unknown-end"} <= {r.id for r in found if r.holding("2024-12-01") == MAY_HAVE_HELD}
    strict = graph.relations(as_of="2024-12-01", strict=True)
    assert {r.id for r in strict} == {r.id for r in found if r.holding("2024-12-01") == HELD}
    assert "undated" not in {r.id for r in strict} and "unknown-end" not in {r.id for r in strict}
    assert {row["holding"] for row in found.to_records()} == {HELD, MAY_HAVE_HELD}


def test_a_view_remembers_its_date_and_networkx_carries_the_holding(graph: kg.KnowledgeGraph) -> None:
    view = graph.as_of("2024-12-01")
    assert view.date == "2024-12-01" and graph.date is None
    edges = {key: data["holding"] for *_, key, data in view.to_networkx().edges(keys=True, data=True)}
    assert edges["undated"] == MAY_HAVE_HELD and edges["open"] == HELD
    assert {r.id for r in graph.as_of("2024-12-01", strict=True).relations()} == {
        key for key, value in edges.items() if value == HELD}


def test_queries_say_may_have_held_for_undated_statements(graph: kg.KnowledgeGraph) -> None:
    card = graph.card("Iran", as_of="2024-12-01")
    assert "Syrian government (syrian-government) undated <cg> (may have held)" in card.text()
    assert "syrian-government" not in {tie.entity for tie in graph.allies("Iran", as_of="2024-12-01", strict=True)}
    assert "syrian-government" in {tie.entity for tie in graph.allies("Iran", as_of="2024-12-01")}


def test_diff_never_reports_an_undated_or_open_bound_and_marks_vague_ones(graph: kg.KnowledgeGraph) -> None:
    changes = {(c.change, c.relation.id) for c in graph.diff("1900", "2100")}
    assert "undated" not in {rid for _, rid in changes}  # an undated statement never begins or ends
    assert ("began", "open") in changes and ("ended", "open") not in changes  # open end: no end
    assert ("ended", "unknown-end") not in changes and ("may have ended", "unknown-end") not in changes
    window = {(c.change, c.relation.id) for c in graph.diff("2024-11-26", "2024-12-02")}
    assert window == {("may have begun", "approximate"), ("began", "unknown-end"), ("ended", "exact"),
                      ("may have ended", "approximate"), ("may have begun", "on-or-after")}
    strict = {(c.change, c.relation.id) for c in graph.diff("2024-11-26", "2024-12-02", strict=True)}
    assert strict == {("began", "unknown-end"), ("ended", "exact")}


def test_overlap_of_spans_possible_and_certain() -> None:
    assert overlaps("../2016", None, "2016-01", "2016-12")
    assert not overlaps("../2016", None, "2016-01", "2016-12", certainly=True)
    assert overlaps("2015", None, "2016-01", "2016-12", certainly=True)
    assert not overlaps("2015", "2015", "2015", "2015", certainly=True)  # neither surely held on a day
    assert holding("2016", "2016", "2016-06") == MAY_HAVE_HELD  # began and ended some day in 2016


def test_cli_marks_holding_and_strict_drops(graph: kg.KnowledgeGraph) -> None:
    runner = CliRunner()
    loose = runner.invoke(app, ["relations", "-d", str(DATES), "--as-of", "2024-12-01", "-f", "csv"])
    strict = runner.invoke(app, ["relations", "-d", str(DATES), "--as-of", "2024-12-01", "--strict", "-f", "csv"])
    assert loose.exit_code == strict.exit_code == 0, loose.output + strict.output
    def rows(output: str) -> set[tuple[str, str]]:
        return {(row["holding"], row["id"]) for row in csv.DictReader(io.StringIO(output))}

    assert ("may have held", "undated") in rows(loose.stdout) and ("held", "open") in rows(loose.stdout)
    assert rows(strict.stdout) == {row for row in rows(loose.stdout) if row[0] == "held"}


def test_every_form_round_trips_through_rdf_with_its_bounds(graph: kg.KnowledgeGraph) -> None:
    import rdflib

    rdf = graph.to_rdf()
    assert kg.from_rdf(rdf) == graph
    node = rdflib.URIRef(kg.rdf.terms.Iris().statement("approximate"))
    kgv = rdflib.Namespace(kg.rdf.terms.VOCAB)
    assert rdf.value(node, kgv.start) == rdflib.Literal("2024-11~", datatype=rdflib.URIRef(kg.rdf.terms.EDTF))
    assert str(rdf.value(node, kgv.possibleFrom)) == "2024-10-01"
    assert rdf.value(node, kgv.certain) == rdflib.Literal(False)  # it may have lasted no day surely
    uncertain = rdflib.URIRef(kg.rdf.terms.Iris().statement("uncertain"))
    assert str(rdf.value(uncertain, kgv.certainFrom)) == "2017-12-31"
    assert rdf.value(uncertain, kgv.certainUntil) is None and rdf.value(uncertain, kgv.certain) is None
    undated = rdflib.URIRef(kg.rdf.terms.Iris().statement("undated"))
    assert rdf.value(undated, kgv.certain) == rdflib.Literal(False)
    assert rdf.value(undated, kgv.possibleFrom) is None


@pytest.mark.parametrize("day", ["2015-09-01", "2016", "2024-11-29", "2024-11-30", "2024-12-01", "2030"])
def test_shipped_as_of_query_agrees_on_every_form(graph: kg.KnowledgeGraph, day: str) -> None:
    expected = {(r.id, r.holding(day)) for r in graph.relations(as_of=day)}
    rows = kg.rdf.sparql(graph, kg.rdf.query_text("as_of"), date=day)
    assert {(row["relation"].rsplit("/", 1)[-1], row["holding"]) for row in rows} == expected
