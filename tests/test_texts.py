"""Quotes checked against their sources' texts (kg.texts and the loader), and anchored in them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
import kg.rdf
from kg.cli import app
from kg.rdf.terms import Iris
from kg.texts import anchor, coverage, quote_problem
from tests.conftest import problems_in

TEXT_A = (
    "Rebels have captured Aleppo, the country’s second city.\n"
    "What is happening?\n"
    "Syria’s civil war, which has been largely frozen for over four years, has erupted again.\n"
    "Russia, which has given only limited air support, may do more. Russia, which has given only limited air support.\n"
)
TEXT_B = "Opposition fighters entered Aleppo city on Friday.\n"


def make_folder(tmp_path: Path, *citations: str, text_a: str | bytes | None = TEXT_A) -> Path:
    """A data folder with sources a and b (texts/a.txt, texts/b.txt) and a relation per citation,
    each given as the YAML lines of one citation (the quote is on the record's line 6)."""
    folder = tmp_path / "data"
    (folder / "texts").mkdir(parents=True)
    if isinstance(text_a, bytes):
        (folder / "texts" / "a.txt").write_bytes(text_a)
    elif text_a is not None:
        (folder / "texts" / "a.txt").write_text(text_a, encoding="utf-8")
    (folder / "texts" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        "- id: a\n  title: A\n  publisher: P\n  date: 2024-12\n  text: texts/a.txt\n"
        "- id: b\n  title: B\n  publisher: P\n  date: 2024-11-29\n  text: texts/b.txt\n"
        "- id: c\n  title: C\n  publisher: P\n  date: 2024\n", encoding="utf-8")
    (folder / "actors.yaml").write_text(
        "".join(f"- id: {name}\n  name: {name.title()}\n  kind: state\n" for name in ("russia", "syria")),
        encoding="utf-8")
    records = [f"- type: backs\n  subject: russia\n  object: syria\n  id: r{n}\n  sources:\n{citation}"
               for n, citation in enumerate(citations, 1)]
    (folder / "relations.yaml").write_text("".join(records), encoding="utf-8")
    return folder


def cite(quote: str, source: str = "a", occurrence: int | None = None) -> str:
    """The YAML lines of one citation, its quote in double quotes (JSON escapes are YAML escapes)."""
    lines = f"    - source: {source}\n      quote: {json.dumps(quote, ensure_ascii=False)}\n"
    return lines + (f"      occurrence: {occurrence}\n" if occurrence is not None else "")


# --------------------------------------------------------------------------- exact quotes


def test_an_exact_quote_passes_and_is_anchored(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("the country’s second city"), cite("entered Aleppo city", "b"))
    g = kg.load(folder)
    (citation,) = g.relation("r1").sources
    assert citation == kg.Citation("a", "the country’s second city", None, 29, 54,
                                   "Rebels have captured Aleppo, ", ".\nWhat is happening?\nSyria’s civ")
    assert TEXT_A[citation.start:citation.end] == citation.quote
    assert g.relation("r2").sources[0][3:5] == (20, 39)


def test_affixes_are_at_most_32_characters() -> None:
    found = anchor("Syria’s civil war", TEXT_A)
    assert found.prefix == "second city.\nWhat is happening?\n" and len(anchor("may do more", TEXT_A).prefix) == 32
    assert found.suffix == ", which has been largely frozen "


def test_a_source_without_a_text_is_not_checked(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("anything at all", "c"))
    assert problems_in(folder) == []
    assert kg.load(folder).relation("r1").sources == (kg.Citation("c", "anything at all"),)


# --------------------------------------------------------------------------- near misses


NEAR_MISSES = {
    "straight": ("the country's second city",
                 "it has straight quotation marks or apostrophes where the text has curly ones; "
                 "did you mean: 'the country’s second city' (texts/a.txt:1)"),
    "curly": ("Opposition fighters entered ‘Aleppo’", "b"),
    "doubled space": ("Syria’s civil war,  which has been",
                      "it doubles a space; did you mean: 'Syria’s civil war, which has been' (texts/a.txt:3)"),
    "dropped space": ("Syria’s civil war,which has been",
                      "it drops a space; did you mean: 'Syria’s civil war, which has been' (texts/a.txt:3)"),
    "across lines": ("What is happening? Syria’s civil war",
                     "it runs over a line break in the text: quote within a line, or cite each part; "
                     "did you mean: 'What is happening?\\nSyria’s civil war' (texts/a.txt:2)"),
    "ellipsis": ("Syria’s civil war … has erupted again",
                 "it leaves text out with an ellipsis: quote one contiguous passage, or cite each part; "
                 "did you mean: 'Syria’s civil war, which has been largely frozen for over four years, "
                 "has erupted again' (texts/a.txt:3)"),
    "other words": ("which had been largely frozen for four years",
                    "it is not an exact passage; "
                    "did you mean: 'which has been largely frozen for over four years' (texts/a.txt:3)"),
    "nothing close": ("bananas and apples in a basket", "no passage of the text is close to it"),
}


@pytest.mark.parametrize("kind", [kind for kind in NEAR_MISSES if kind != "curly"])
def test_each_near_miss_is_reported_with_the_closest_passage_and_its_line(tmp_path: Path, kind: str) -> None:
    quote, why = NEAR_MISSES[kind]
    folder = make_folder(tmp_path, cite("Rebels have captured Aleppo"), cite(quote))
    assert problems_in(folder) == [f"relations.yaml:14:14: quote not found in texts/a.txt: {why}"]


def test_a_line_break_inside_the_quote() -> None:
    """The loader refuses a line break in any quote; the library still names the near miss."""
    assert quote_problem("Syria’s civil war, which\nhas been", TEXT_A, None, "texts/a.txt") == (
        "quote not found in texts/a.txt: it has a line break where the text has none; "
        "did you mean: 'Syria’s civil war, which has been' (texts/a.txt:3)")


def test_curly_marks_where_the_text_has_straight_ones(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("fighters entered “Aleppo”", "b"))
    (folder / "texts" / "b.txt").write_text('Opposition fighters entered "Aleppo" city.\n', encoding="utf-8")
    assert problems_in(folder) == [
        "relations.yaml:7:14: quote not found in texts/b.txt: it has curly quotation marks or apostrophes "
        "where the text has straight ones; did you mean: 'fighters entered \"Aleppo\"' (texts/b.txt:1)"]


def test_a_quote_from_the_wrong_source_is_caught(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("entered Aleppo city on Friday", "a"))
    assert problems_in(folder) == [
        "relations.yaml:7:14: quote not found in texts/a.txt, but it is in texts/b.txt:1, "
        "the text of source 'b': cite that source?"]


# --------------------------------------------------------------------------- occurrences


def test_a_repeated_quote_without_an_occurrence_is_reported(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("Russia, which has given only limited air support"))
    assert problems_in(folder) == [
        "relations.yaml:7:14: the quote occurs 2 times in texts/a.txt (lines 4, 4); "
        "say which with occurrence: 1 to 2"]


def test_an_occurrence_says_which_instance_is_meant(tmp_path: Path) -> None:
    quote = "Russia, which has given only limited air support"
    folder = make_folder(tmp_path, cite(quote, occurrence=2), cite(quote, occurrence=1))
    second, first = (kg.load(folder).relation(name).sources[0] for name in ("r1", "r2"))
    assert (second.occurrence, first.occurrence) == (2, 1)
    assert second.start == TEXT_A.rindex(quote) and first.start == TEXT_A.index(quote)
    assert second.prefix == "mited air support, may do more. "


def test_an_occurrence_beyond_the_last_is_reported(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("Russia, which has given", occurrence=3))
    assert problems_in(folder) == [
        "relations.yaml:7:14: occurrence 3: the quote occurs only 2 time(s) in texts/a.txt (lines 4, 4)"]


def test_an_occurrence_must_be_a_whole_number_from_1(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("Rebels", occurrence=0))
    assert problems_in(folder) == ["relations.yaml:8:19: occurrence: 0 is not at least 1"]


# --------------------------------------------------------------------------- the text files


def test_an_absent_text_file_is_a_note_not_a_problem(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("anything at all"), text_a=None)
    assert problems_in(folder) == []
    assert kg.load(folder).relation("r1").sources == (kg.Citation("a", "anything at all"),)
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"ok: 2 actors, 0 places, 0 events, 1 relations, 3 sources, 0 figures ({folder})\n"
        "note: text file texts/a.txt of source 'a' is absent; its quotes are unchecked\n"
        "quotes checked against their texts: 1 of 3 sources; unchecked: 1 without a text, "
        "1 with its text file absent\n")


def test_a_text_that_is_not_utf8_is_reported_at_its_field(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("Rebels"), text_a=b"Rebels \xff\n")
    assert problems_in(folder) == [
        "sources.yaml:5:9: text: texts/a.txt is not valid UTF-8 (byte 7); save it as UTF-8"]


def test_a_changed_text_is_checked_again_not_served_from_the_cache(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, cite("the country’s second city"))
    assert kg.load(folder).relation("r1").sources[0].start == 29
    (folder / "texts" / "a.txt").write_text("The country’s second city.\n", encoding="utf-8")
    assert problems_in(folder) == [
        "relations.yaml:7:14: quote not found in texts/a.txt: it is not an exact passage; "
        "did you mean: 'The country’s second city' (texts/a.txt:1)"]


def test_a_text_edited_during_a_load_is_never_cached_as_checked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))  # no entry of another test's folder
    folder = make_folder(tmp_path, cite("the country’s second city"))
    anchor = kg.texts.anchor

    def edit_after_checking(*args: object) -> object:
        found = anchor(*args)
        (folder / "texts" / "a.txt").write_text("The country’s second city.\n", encoding="utf-8")  # saved mid-load
        return found

    monkeypatch.setattr(kg.texts, "anchor", edit_after_checking)
    kg.load(folder)  # the quote checked against the text as it was read, before the edit
    monkeypatch.setattr(kg.texts, "anchor", anchor)
    assert problems_in(folder) == [
        "relations.yaml:7:14: quote not found in texts/a.txt: it is not an exact passage; "
        "did you mean: 'The country’s second city' (texts/a.txt:1)"]


def test_coverage_counts_sources_by_whether_their_text_is_present(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, text_a=None)
    sources = [kg.Source("a", "A", "P", "2024", text="texts/a.txt"),
               kg.Source("b", "B", "P", "2024", text="texts/b.txt"), kg.Source("c", "C", "P", "2024")]
    found = coverage(sources, folder)
    assert (found.checked, found.without_text, found.missing, found.unchecked) == (
        ("b",), ("c",), (("a", "texts/a.txt"),), 2)


def test_a_quote_problem_is_none_for_an_exact_passage() -> None:
    assert quote_problem("What is happening?", TEXT_A, None, "texts/a.txt") is None


# --------------------------------------------------------------------------- anchors in RDF


def test_anchors_are_web_annotation_selectors_and_round_trip_through_rdf(tmp_path: Path) -> None:
    import rdflib

    quote = "Russia, which has given only limited air support"
    g = kg.load(make_folder(tmp_path, cite(quote, occurrence=2), cite("anything", "c")))
    rdf = kg.rdf.to_rdf(g)
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    citation = rdflib.URIRef(Iris().statement("r1") + "/citation/1")
    selectors = {rdf.value(selector, rdflib.RDF.type): selector for selector in rdf.objects(citation, oa.hasSelector)}
    quoted, position = selectors[oa.TextQuoteSelector], selectors[oa.TextPositionSelector]
    start = TEXT_A.rindex(quote)
    assert (rdf.value(position, oa.start).toPython(), rdf.value(position, oa.end).toPython()) == (
        start, start + len(quote))
    assert [str(rdf.value(quoted, p)) for p in (oa.prefix, oa.exact, oa.suffix)] == [
        TEXT_A[start - 32:start], quote, TEXT_A[start + len(quote):start + len(quote) + 32]]
    unanchored = rdflib.URIRef(Iris().statement("r2") + "/citation/1")
    assert len(list(rdf.objects(unanchored, oa.hasSelector))) == 1
    assert kg.rdf.from_rdf(rdf) == g
    assert kg.rdf.from_rdf(rdflib.Graph().parse(data=kg.rdf.serialize(g, "turtle"), format="turtle")) == g
    assert kg.rdf.shacl_problems(rdf) == []
