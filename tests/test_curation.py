"""The curation assistant (kg.curation, kg suggest) and the candidates file it writes."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import kg
from kg import curation
from kg.cli import app
from kg.curation import suggest
from kg.folder.loading import validate_candidates
from kg.vocabulary import RELATION_TYPES, RelationType
from tests.conftest import MINI, problems_in

runner = CliRunner()


@pytest.fixture(scope="module")
def mini() -> kg.KnowledgeGraph:
    return kg.load(MINI)


def only(found: curation.Suggestions) -> curation.Candidate:
    (candidate,) = found.relations
    return candidate


# --------------------------------------------------------------------------- mentions and new names


def test_mentions_are_counted_under_names_and_aliases_folded_as_resolution_folds_them(mini) -> None:
    found = suggest("HEI'AT TAHRIR AL SHAM and HTS met in Turkey. Ankara’s envoy came; Hayat Tahrir al-Sham left.",
                    mini, source="cg")
    assert found.mentions[:2] == (
        curation.Mention("hts", 3, ("HEI'AT TAHRIR AL SHAM", "HTS", "Hayat Tahrir al-Sham")),
        curation.Mention("turkiye", 2, ("Turkey", "Ankara")))


def test_capitalised_phrases_not_in_the_data_are_candidate_entities_with_their_sentences(mini) -> None:
    text = "The Military Operations Department said HTS led the attack. Later the Military Operations Department left."
    found = suggest(text, mini, source="cg")
    assert found.new_names == (curation.NewName("Military Operations Department", 2, (
        "The Military Operations Department said HTS led the attack.",
        "Later the Military Operations Department left.")),)


# --------------------------------------------------------------------------- candidate statements


def test_a_cue_between_two_known_entities_gives_a_candidate_with_the_exact_sentence(mini) -> None:
    text = "Preamble.\nAs the war went on, Russia backed the Syrian government with air power."
    candidate = only(suggest(text, mini, source="cg", date="2024-12"))
    assert candidate == curation.Candidate(
        "backs", "russia", "syrian-government",
        "As the war went on, Russia backed the Syrian government with air power.", None, "backed", "subject first",
        as_of="2024-12", repeats=candidate.repeats)
    assert candidate.repeats == kg.load(MINI).relations("backs", "russia", "syrian-government")[0].id


def test_a_passive_cue_puts_the_object_first(mini) -> None:
    candidate = only(suggest("The Syrian National Army, backed by Türkiye, advanced.", mini, source="cg"))
    assert (candidate.type, candidate.subject, candidate.object, candidate.direction) == (
        "backs", "turkiye", "sna", "object first")


def test_a_symmetric_type_reads_either_way_and_kinds_must_fit_the_type(mini) -> None:
    found = suggest("Fighting between HTS and the regime resumed near Aleppo.", mini, source="cg")
    assert [(c.type, c.subject, c.object, c.direction) for c in found.relations] == [
        ("fights", "hts", "syrian-government", "either way")]  # Aleppo, a place, cannot fight


@pytest.mark.parametrize(("sentence", "status", "claimed_by", "hedge"), [
    ("Russia reportedly backed the regime.", "reported", None, "reportedly"),
    ("Russia allegedly backed the regime.", "alleged", None, "allegedly"),
    ("Iran said Russia backed the regime.", "claimed", "iran", "said"),
    ("Russia backed the regime, according to Tehran.", "claimed", "iran", "according to"),
    ("Russia may back the regime.", "expected", None, "may"),
    ("Russia backed the regime.", "stated", None, None),
])
def test_the_status_is_guessed_from_hedges(mini, sentence: str, status: str, claimed_by, hedge) -> None:
    candidate = next(c for c in suggest(sentence, mini, source="cg").relations if c.type == "backs")
    assert (candidate.status, candidate.claimed_by, candidate.hedge) == (status, claimed_by, hedge)


@pytest.mark.parametrize(("sentence", "start", "end", "as_of"), [
    ("On 27 November 2024 HTS attacked Aleppo.", "2024-11-27", None, None),
    ("On November 27 HTS attacked Aleppo.", "2024-11-27", None, None),
    ("In November 2024 HTS attacked Aleppo.", "2024-11", None, None),
    ("HTS has attacked Aleppo since 2016.", "2016", None, None),
    ("HTS attacked Aleppo until 2016.", None, "2016", None),
    ("HTS attacked Aleppo.", None, None, "2024-11-29"),
])
def test_dates_come_from_the_sentence_else_the_document(mini, sentence: str, start, end, as_of) -> None:
    candidate = only(suggest(sentence, mini, source="sd"))
    assert (candidate.type, candidate.start, candidate.end, candidate.as_of) == ("attacks", start, end, as_of)


def test_cues_are_a_column_of_the_vocabulary_so_a_new_type_brings_its_own(mini, monkeypatch) -> None:
    assert all(row.cues for row in RELATION_TYPES.values())
    mocks = RelationType("mocks", "mocks", "mocked by", False, -1, ("actor",), ("actor",), (), "Mocks.",
                         cues=("ridiculed",))
    monkeypatch.setattr(curation, "RELATION_TYPES", {"mocks": mocks})
    assert [(c.type, c.cue) for c in suggest("Russia ridiculed Iran.", mini, source="cg").relations] == [
        ("mocks", "ridiculed")]


def test_a_repeated_sentence_says_which_occurrence_it_is(mini) -> None:
    text = "Russia backed the regime.\nRussia backed the regime."
    assert [c.occurrence for c in suggest(text, mini, source="cg").relations] == [1, 2]


# --------------------------------------------------------------------------- the candidates file


def test_the_loader_refuses_a_candidate_in_the_data(mini_copy: Path) -> None:
    with open(mini_copy / "relations.yaml", "a", encoding="utf-8") as out:
        out.write("- type: backs\n  subject: iran\n  object: hts\n  sources: [{source: cg, quote: q}]\n"
                  "  candidate: {cue: backed, direction: subject first}\n")
    (problem,) = problems_in(mini_copy)
    assert problem.endswith(": candidate: a statement proposed by kg suggest, not confirmed; check it against "
                            "its source, then delete this field")


def test_a_candidates_file_is_checked_against_the_data_and_is_never_data(mini, tmp_path: Path) -> None:
    path = tmp_path / "candidates.yaml"
    path.write_text(suggest("Russia reportedly backed the regime. Iran fought the Hazzm Movement.", mini,
                            source="cg").to_yaml(), encoding="utf-8")
    assert validate_candidates(path, MINI) == []
    assert kg.validate(tmp_path) != []  # not a data file: the folder holds none
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["relations"][0]["object"] = "the-regime"
    record["mentions"][0]["entity"] = "rusia"
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert [str(p).replace(f"{tmp_path}/", "") for p in validate_candidates(path, MINI)] == [
        "candidates.yaml:4:11: entity 'rusia' is not a known entity (did you mean 'russia'?)",
        "candidates.yaml:24:11: object 'the-regime' is not a known entity",
    ]


def test_validate_candidates_checks_quotes_against_the_source_text(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    import shutil

    shutil.copytree(MINI, folder)
    (folder / "texts").mkdir()
    (folder / "texts" / "doc.txt").write_text("Russia backed the regime.\n", encoding="utf-8")
    with open(folder / "sources.yaml", "a", encoding="utf-8") as out:
        out.write("- {id: doc, title: D, publisher: P, date: 2024, text: texts/doc.txt}\n")
    path = tmp_path / "candidates.yaml"
    path.write_text(suggest("Russia backed the regime.", kg.load(folder), source="doc").to_yaml(), encoding="utf-8")
    assert validate_candidates(path, folder) == []
    path.write_text(path.read_text(encoding="utf-8").replace("quote: Russia backed", "quote: Russia had backed"),
                    encoding="utf-8")
    assert [p.message for p in validate_candidates(path, folder)] == [
        "quote not found in texts/doc.txt: it is not an exact passage; did you mean: 'Russia backed the regime.' "
        "(texts/doc.txt:1)"]


def test_suggest_on_each_bundled_document_writes_candidates_that_validate(seeded: Path, tmp_path: Path) -> None:
    texts = sorted((seeded / "texts").glob("*.txt"))
    assert len(texts) == 2
    for text in texts:
        output = tmp_path / f"{text.stem}.yaml"
        result = runner.invoke(app, ["suggest", str(text), "--data", str(seeded), "-o", str(output)])
        assert result.exit_code == 0, result.stderr
        record = yaml.safe_load(output.read_text(encoding="utf-8"))
        assert record["source"] == text.stem and len(record["relations"]) > 10
        assert all(c["sources"][0]["quote"] in text.read_text(encoding="utf-8") for c in record["relations"])
        result = runner.invoke(app, ["validate", str(seeded), "--candidates", str(output)])
        assert (result.exit_code, result.stderr) == (0, ""), result.stderr
        assert result.stdout == f"ok: {output} holds candidates that fit {seeded}; none is data until confirmed\n"


def test_validate_candidates_exits_1_with_the_problems(tmp_path: Path) -> None:
    path = tmp_path / "candidates.yaml"
    path.write_text("- not a mapping\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(MINI), "--candidates", str(path)])
    assert (result.exit_code, result.stderr) == (
        1, f"{path}:1:1: expected a mapping at the top level (a candidates file), got a list\n")


# --------------------------------------------------------------------------- no network, and fast


def test_suggest_needs_no_network_and_takes_seconds_on_10000_words(seeded: Path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("kg suggest tried to open a socket")

    g = kg.load(seeded)
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((seeded / "texts").glob("*.txt")))
    text = "\n".join([text] * 2)
    assert len(text.split()) > 10_000
    monkeypatch.setattr(socket, "socket", refuse)
    began = time.perf_counter()
    found = suggest(text, g, source="crisis-group-2024")
    assert time.perf_counter() - began < 10 and found.relations


def test_the_measurement_scores_each_document_against_its_curated_statements(seeded: Path) -> None:
    from benchmarks.curation import score, table

    results = score(seeded)
    g = kg.load(seeded)
    for source_id, counts in results.items():
        cited = {(r.type, *sorted((r.subject, r.object))) if r.symmetric else (r.type, r.subject, r.object)
                 for r in g.relations(statuses=list(kg.vocabulary.STATUSES))
                 if any(c.source == source_id for c in r.sources)}
        assert sum(c["curated"] for c in counts.values()) == len(cited)
        assert all(c["found"] <= c["curated"] and c["right"] <= c["proposed"] for c in counts.values())
    assert set(results) == {"crisis-group-2024", "syria-direct-2024"}
    lines = table(results).splitlines()
    assert lines[0].startswith("| type | crisis-group-2024 recall |") and lines[-1].startswith("| **all** |")


def test_a_capitalised_first_word_of_a_sentence_is_no_candidate_entity(mini) -> None:
    found = suggest("“Factions advanced,” he said. Later, Factions of Hazzm left.", mini, source="cg")
    assert [name.name for name in found.new_names] == ["Factions of Hazzm"]
