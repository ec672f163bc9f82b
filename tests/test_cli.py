"""The kg command line, through typer's CliRunner: output, exit codes, error paths."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.results import render
from tests.conftest import MINI, append, errors

runner = CliRunner()


def test_validate_reports_counts_and_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(MINI)])
    assert result.exit_code == 0
    assert result.stdout == (f"ok: 8 actors, 4 places, 2 events, 18 relations, 2 sources, 1 figures ({MINI})\n"
                             "quotes checked against their texts: 0 of 2 sources; unchecked: 2 without a text\n")


def test_validate_without_a_folder_checks_the_current_one(mini_copy: Path, monkeypatch) -> None:
    base = append(mini_copy, "relations.yaml",
                  "- type: fights\n  subject: hts\n  object: hezbolah\n  sources: [{source: cg, quote: q}]\n")
    monkeypatch.chdir(mini_copy)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stderr) == (
        1, f"relations.yaml:{base + 3}:11: object 'hezbolah' is not a known entity\n")


def test_validate_elsewhere_names_the_bundled_dataset_and_notes_no_readme(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].endswith(" figures (bundled dataset)")
    assert (kg.bundled_data_dir() / "README.md").is_file()
    assert not [line for line in result.stdout.splitlines() if "README" in line]


def test_validate_notes_files_it_does_not_read_but_not_a_readme(mini_copy: Path) -> None:
    for name in ("README.md", "readme.txt", "README", "notes.txt"):
        (mini_copy / name).write_text("about the data\n")
    result = runner.invoke(app, ["validate", str(mini_copy)])
    assert (result.exit_code, result.stdout.splitlines()[1:2]) == (
        0, ["note: notes.txt: not read (kg reads sources.yaml, actors.yaml, places.yaml, events.yaml, relations.yaml)"])
    assert "README" not in result.stdout and "readme" not in result.stdout


def test_queries_name_their_data_on_stderr_only() -> None:
    result = runner.invoke(app, ["relations", "-t", "fights", "--format", "json"])
    assert result.stderr == "data: bundled dataset\n"
    assert json.loads(result.stdout)
    assert invoke("show", "hts").stderr == f"data: {MINI}\n"


@pytest.mark.parametrize(("name", "message"), [
    ("relations.yml", "not read: kg reads .yaml files, not .yml; rename it to relations.yaml"),
    ("relation.yaml", "not read (did you mean relations.yaml?)"),
    ("Actors.YAML", "not read: file names are lowercase; rename it to actors.yaml"),
])
def test_misnamed_data_files_are_refused_with_a_did_you_mean(mini_copy: Path, name: str, message: str) -> None:
    (mini_copy / name).write_text("- {}\n")
    result = runner.invoke(app, ["validate", str(mini_copy)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"{mini_copy / name}: {message}\n")


def test_a_folder_with_only_a_yml_file_is_checked_and_refused(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "relations.yml").write_text("[]\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stderr) == (
        1, "relations.yml: not read: kg reads .yaml files, not .yml; rename it to relations.yaml\n")


def test_validate_lists_problems_on_stderr_and_exits_1(mini_copy: Path) -> None:
    base = append(mini_copy, "relations.yaml",
                  "- type: fights\n  subject: hts\n  object: hezbolah\n  sources: [{source: cg, quote: q}]\n")
    result = runner.invoke(app, ["validate", str(mini_copy)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{mini_copy}/relations.yaml:{base + 3}:11: object 'hezbolah' is not a known entity\n"
    )


def test_validate_missing_folder_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["validate", "--bogus"])
    assert result.exit_code == 2


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("kg ")


def invoke(*args: str):
    return runner.invoke(app, [*args, "--data", str(MINI)])


def test_show_prints_the_card() -> None:
    result = invoke("show", "Turkey")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["Türkiye (turkiye) — state", "also: Turkey, Ankara"]
    assert "designates as terrorist:" in result.stdout


def test_show_json_is_one_document() -> None:
    document = json.loads(invoke("show", "turkiye", "--format", "json").stdout)
    assert document["entity"]["id"] == "turkiye"
    assert {r["other"] for r in document["relations"]} == {"sna", "hts", "ceasefire-2020"}


def test_show_unknown_name_suggests_and_exits_1() -> None:
    result = invoke("show", "Tarkey")
    assert result.exit_code == 1
    assert errors(result) == "error: unknown entity 'Tarkey' (did you mean 'turkiye'?)\n"
    assert result.stdout == ""


def test_show_hezbollah_takes_hizbollah_and_says_so_on_stderr() -> None:
    result = runner.invoke(app, ["show", "Hezbollah"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Hizbollah (hizbollah)")
    assert result.stderr == "data: bundled dataset\nnote: 'Hezbollah' taken as 'hizbollah' (Hizbollah)\n"


def test_names_fold_punctuation_and_an_ambiguous_one_is_refused(mini_copy: Path) -> None:
    result = runner.invoke(app, ["relations", "-s", "hayat tahrir al sham", "-t", "attacks"])
    assert result.exit_code == 0 and "hts" in result.stdout
    append(mini_copy, "places.yaml", "- {id: twinford, name: Twinford, kind: town}\n"
                                     "- {id: twinfort, name: Twinfort, kind: town}\n")
    result = runner.invoke(app, ["show", "Twinforx", "--data", str(mini_copy)])
    assert (result.exit_code, errors(result)) == (
        1, "error: 'Twinforx' is ambiguous: it names 'twinford' or 'twinfort'; use an id\n")


def test_relations_table_and_filters() -> None:
    result = invoke("relations", "--type", "controls", "--object", "Aleppo")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "TYPE      SUBJECT            OBJECT  START       END         STATUS  SOURCES",
        "controls  syrian-government  aleppo  2016-12     2024-11-29  stated  cg",
        "controls  hts                aleppo  2024-11-29              stated  sd",
    ]


def test_relations_as_of_and_csv() -> None:
    result = invoke("relations", "--type", "controls", "--object", "aleppo", "--as-of", "2024-12-02", "-f", "csv")
    assert result.stdout == (
        "holding,id,type,subject,object,start,end,status,claimed_by,against,support,place,role,note,sources\n"
        'held,hts-controls-aleppo-013903ed,controls,hts,aleppo,2024-11-29,,stated,,,,,,,"[{""source"": ""sd"", '
        '""quote"": ""Syrian opposition factions and Hayat Tahrir al-Sham (HTS) entered Aleppo city on Friday""}]"\n')


def test_jsonl_is_one_record_a_line_with_every_field() -> None:
    lines = invoke("relations", "--type", "controls", "--object", "aleppo", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["subject"] for line in lines] == ["syrian-government", "hts"]
    assert json.loads(lines[1])["sources"][0]["quote"].startswith("Syrian opposition factions")


def test_tables_show_what_tells_answers_apart_and_quotes_on_request(mini_copy: Path) -> None:
    append(mini_copy, "relations.yaml", "".join(
        f"- {{type: deployed-in, subject: russia, object: {place}, status: reported, "
        f"sources: [{{source: cg, quote: q}}, {{source: cg, quote: {place} q}}]}}\n" for place in ("aleppo", "syria")))
    result = runner.invoke(app, ["relations", "-t", "deployed-in", "-s", "russia", "--quotes",
                                 "--data", str(mini_copy)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "TYPE         SUBJECT  OBJECT  STATUS    SOURCES",
        "deployed-in  russia   aleppo  reported  cg",
        "    “q” (cg)",
        "    “aleppo q” (cg)",
        "deployed-in  russia   syria   reported  cg",
        "    “q” (cg)",
        "    “syria q” (cg)",
    ]


def test_relations_nothing_found_exits_1() -> None:
    result = invoke("relations", "--type", "controls", "--object", "aleppo", "--as-of", "2016-06")
    assert (result.exit_code, result.stdout, errors(result)) == (1, "", "no relations found\n")


def test_relations_json_empty_is_an_empty_list() -> None:
    result = invoke("relations", "--type", "sanctions", "--format", "json")
    assert (result.exit_code, result.stdout) == (1, "[]\n")


def test_a_bad_date_is_a_usage_error_saying_what_was_given_and_what_is_meant() -> None:
    result = invoke("supports", "--against", "HTS", "--as-of", "2016-13-45")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Usage: root supports [OPTIONS]\nTry 'root supports --help' for help.\n\n"
        "Error: Invalid value for '--as-of': '2016-13-45' is not a date: month 13 is not 01 to 12; "
        "expected YYYY, YYYY-MM or YYYY-MM-DD\n")


def test_unknown_type_is_a_usage_error() -> None:
    result = invoke("relations", "--type", "funds")
    assert result.exit_code == 2


def test_supports_table_shows_explicit_answers_first_and_each_chain() -> None:
    result = invoke("supports", "--against", "HTS")
    assert result.exit_code == 0
    through = {"russia": "syrian-government -[against]-> hts; syrian-government -[fights]- hts; "
                         "syrian-government -[strikes]-> hts",
               "iran": "syrian-government -[against]-> rebels <-[member-of]- hts; syrian-government -[fights]- hts"}
    assert result.stdout.splitlines() == [
        "SUPPORTER  SUPPORTED          AGAINST  BASIS     HOLDING        THROUGH" + " " * 99
        + "SUPPORT   STATUS  SOURCES",
        f"russia     syrian-government  hts      explicit  held           {through['russia']}  air       stated  cg",
        f"iran       syrian-government  hts      derived   may have held  {through['iran']:104}  fighters  stated  cg",
    ]


def test_supports_explicit_option_keeps_only_explicit_answers() -> None:
    result = invoke("supports", "--explicit", "-f", "csv")
    assert [line.split(",")[:5] for line in result.stdout.splitlines()[1:]] == [  # surely held first
        ["russia", "syrian-government", "hts", "explicit", "held"],
        ["iran", "syrian-government", "rebels", "explicit", "may have held"]]
    assert invoke("supports", "--explicit", "--against", "sna").exit_code == 1  # sna: derived only


def test_supports_json_shape() -> None:
    answers = json.loads(invoke("supports", "--supporter", "russia", "-f", "json").stdout)
    assert [sorted(a) for a in answers] == [["against", "basis", "chains", "evidence", "holding", "rule", "sources",
                                             "status", "support", "supported", "supporter", "through"]]
    assert answers[0]["evidence"][0]["sources"] == [
        {"source": "cg", "quote": "Russia, which has given only limited air support"}]
    ids = [relation["id"] for relation in answers[0]["evidence"]]
    assert answers[0]["rule"] == "explicit" and answers[0]["chains"] == [
        {"rule": "explicit", "through": "syrian-government -[against]-> hts", "start": "2015", "end": None,
         "holding": "held", "statements": ids[:1]},
        {"rule": "hostility", "through": "syrian-government -[fights]- hts", "start": "2015", "end": None,
         "holding": "may have held", "statements": ids[:2]},  # the fighting is undated
        {"rule": "hostility", "through": "syrian-government -[strikes]-> hts", "start": "2024-10", "end": None,
         "holding": "held", "statements": [ids[0], ids[2]]},
    ]


def test_supports_status_option() -> None:
    assert invoke("supports", "--supporter", "turkiye").exit_code == 1
    result = invoke("supports", "--supporter", "turkiye", "--status", "stated", "--status", "expected", "-f", "csv")
    assert result.stdout.splitlines()[1].startswith(
        'turkiye,sna,sdf,derived,may have held,hostility,sna -[fights]- sdf,,expected; stated,cg,'
        '"[{""rule"": ""hostility""')
    assert '""quote"": ""the support Türkiye has extended to the Syrian National Army (SNA)""' in result.stdout


@pytest.mark.parametrize("format", ["jsonl", "csv"])
def test_supports_in_rows_print_each_answer_as_it_comes(format: str, monkeypatch) -> None:
    listed = kg.load().supports()  # the bundled data: explicit answers that held come throughout
    standing = [2 * (a.basis != "explicit") + (a.holding != "held") for a in listed]
    asked = kg.KnowledgeGraph.iter_supports
    printed = []  # lines on stdout when each answer is asked for

    def watched(self, *args, **options):
        for answer in asked(self, *args, **options):
            sys.stdout.flush()
            printed.append(sys.stdout.buffer.getvalue().count(b"\n"))
            yield answer

    monkeypatch.setattr(kg.KnowledgeGraph, "iter_supports", watched)
    result = runner.invoke(app, ["supports", "-f", format])
    header = int(format == "csv")
    assert printed == [header * (n > 0) + standing[:n].count(0) for n in range(len(listed))]
    assert printed[len(listed) // 2] > header  # some printed before the middle of the enumeration
    in_order = [answer for _, answer in sorted(zip(standing, listed), key=lambda pair: pair[0])]
    assert result.stdout == render([answer.to_record() for answer in in_order], format)


def test_path_lists_paths_shortest_first() -> None:
    result = invoke("path", "HTS", "Russia", "--max-length", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "LENGTH  SIGN  READING               PATH",
        "2       -1    the ally of an enemy  hts -[fights]- syrian-government <-[backs]- russia",
        "2       -1    the ally of an enemy  hts <-[strikes]- syrian-government <-[backs]- russia",
    ]


def test_path_json_and_type_filter() -> None:
    paths = json.loads(invoke("path", "hts", "russia", "-t", "strikes", "-t", "backs", "-f", "json").stdout)
    assert [p["nodes"] for p in paths] == [["hts", "syrian-government", "russia"]]
    assert paths[0]["hops"][0] == {"from": "hts", "to": "syrian-government", "type": "strikes",
                                   "direction": "backward", "sign": -1, "context": None,
                                   "relations": [paths[0]["hops"][0]["relations"][0]],
                                   "sources": ["cg"], "evidence": [paths[0]["hops"][0]["evidence"][0]]}
    assert paths[0]["hops"][0]["evidence"][0]["sources"][0]["quote"]


def test_path_through_an_event_has_no_reading() -> None:
    result = invoke("path", "russia", "turkiye", "--max-length", "2", "-f", "csv")
    rows = [line.split(",")[:5] for line in result.stdout.splitlines()]
    assert rows[0] == ["length", "sign", "reading", "context", "path"]
    assert rows[1:] == [["2", "0", "", "ceasefire-2020 is an event",
                         "russia -[ceasefire-party]-> ceasefire-2020 <-[ceasefire-party]- turkiye"]]


def test_path_not_found_exits_1() -> None:
    result = invoke("path", "hts", "russia", "-t", "member-of")
    assert result.exit_code == 1
    assert errors(result) == "no path between 'hts' and 'russia' within 4 hops\n"


def test_diff() -> None:
    result = invoke("diff", "2024-11-26", "2024-12-02", "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "change,date,id,type,subject,object,start,end,status,claimed_by,against,support,place,role,note,sources",
        'began,2024-11-27,hts-leads-deterring-aggression-dfe1c939,leads,hts,deterring-aggression,2024-11-27,,stated,'
        ',,,,,,"[{""source"": ""cg"", ""quote"": ""As the leading force in the offensive""}]"']


def test_diff_empty_exits_1() -> None:
    result = invoke("diff", "2000", "2001")
    assert (result.exit_code, errors(result)) == (1, "no statements began or ended between 2000 and 2001\n")


def test_balance() -> None:
    result = invoke("balance")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split() == ["hts", "sna", "turkiye", "+", "+", "-", "allied-with;",
                                                     "backs;", "designates-terrorist", "cg"]


def test_stats_table_and_json() -> None:
    assert "relation types  backs" in invoke("stats").stdout
    assert json.loads(invoke("stats", "-f", "json").stdout)["totals"]["relations"] == 18


def test_search() -> None:
    result = invoke("search", "turky", "-f", "json")
    assert json.loads(result.stdout)[0]["entity"] == "turkiye"
    assert invoke("search", "zzzz").exit_code == 1


@pytest.mark.parametrize("command", [["show", "hts"], ["relations"], ["supports"], ["path", "hts", "sna"],
                                     ["diff", "2020", "2021"], ["balance"], ["stats"], ["search", "hts"]])
def test_every_command_reports_a_missing_data_folder(command: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, [*command, "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert errors(result) == f"{tmp_path}/nowhere: does not exist; expected a folder of kg YAML files\n"


def test_piped_tables_are_one_line_a_row_and_never_split_an_id() -> None:
    result = subprocess.run([sys.executable, "-m", "kg", "relations", "-t", "deployed-in"], capture_output=True,
                            text=True, check=True, env={k: v for k, v in os.environ.items() if k != "COLUMNS"})
    found = kg.load().relations("deployed-in")
    rows = result.stdout.splitlines()[1:]
    assert len(rows) == len(found) and max(map(len, rows)) > 80
    assert [row.split()[1:3] for row in rows] == [[r.subject, r.object] for r in found]


@pytest.mark.parametrize("command", [["supports"], ["relations"], ["balance"], ["path", "sdf", "iran"],
                                     ["diff", "2015", "2025"]])
def test_tables_on_a_terminal_fit_its_width_without_breaking_ids(command: list[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, [*command, "--data", str(MINI)])
    ids = set(kg.load(MINI).entities)
    words = {word for line in result.stdout.splitlines() for word in line.split()}
    if command[0] not in ("relations", "diff", "supports"):  # eight to ten columns of ids cannot fit 80 without
        # breaking one (supports: its chains' paths); the pager wraps them
        assert all(len(line) <= 80 for line in result.stdout.splitlines()), command
    assert not {word for word in words if word.endswith("-") and any(i.startswith(word) for i in ids)}


def test_import_kg_does_not_import_pandas_or_rdflib() -> None:
    code = "import sys, kg; kg.load(); print(sorted(m for m in ('pandas', 'rdflib') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_export_writes_rdf_to_stdout_or_a_file(tmp_path: Path) -> None:
    result = invoke("export", "--format", "nt")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines and all(line.endswith(" .") for line in lines)
    written = invoke("export", "-o", str(tmp_path / "graph.ttl"))
    assert (written.exit_code, written.stdout) == (0, f"wrote {tmp_path / 'graph.ttl'}\n")
    import kg

    assert kg.from_rdf(tmp_path / "graph.ttl") == kg.load(MINI)


def test_export_as_of_and_base(tmp_path: Path) -> None:
    everything = invoke("export", "-f", "nt").stdout.count("\n")
    assert invoke("export", "-f", "nt", "--as-of", "2016-06").stdout.count("\n") < everything
    assert "<https://example.org/x/entity/hts>" in invoke("export", "-f", "nt", "--base", "https://example.org/x/").stdout


def test_export_to_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    result = invoke("export", "-o", str(tmp_path / "no" / "graph.ttl"))
    assert result.exit_code == 1 and errors(result).startswith("error: ")


def test_query_runs_a_shipped_query_with_bindings() -> None:
    result = invoke("query", "supports", "--entity", "against=HTS", "-f", "json")
    assert result.exit_code == 0
    assert {(row["supporter"], row["supported"]) for row in json.loads(result.stdout)} == {
        ("iran", "syrian-government"), ("russia", "syrian-government")}


def test_query_runs_text_or_a_file(tmp_path: Path) -> None:
    text = "SELECT ?name WHERE { ?e a kgv:State ; rdfs:label ?name } ORDER BY ?name"
    assert invoke("query", text, "-f", "csv").stdout == "name\nIran\nRussia\nTürkiye\n"
    (tmp_path / "states.rq").write_text(text)
    assert invoke("query", str(tmp_path / "states.rq"), "-f", "csv").stdout == "name\nIran\nRussia\nTürkiye\n"


def test_query_values_are_bindings_not_text() -> None:
    text = "SELECT ?e ?name WHERE { ?e rdfs:label ?label FILTER(STR(?label) = ?name) }"
    assert invoke("query", text, "--bind", "name=Russia", "-f", "csv").stdout == "e,name\nrussia,Russia\n"
    injected = invoke("query", text, "--bind", 'name=x" || true || "', "-f", "json")
    assert (injected.exit_code, injected.stdout) == (1, "[]\n")


def test_query_errors() -> None:
    assert invoke("query", "SELECT nonsense").exit_code == 1
    assert invoke("query", "relations", "--bind", "no-equals-sign").exit_code == 2
    assert invoke("query", "relations", "--entity", "subject=Hezbolah").exit_code == 1


def test_store_then_query_the_store(tmp_path: Path) -> None:
    made = invoke("store", str(tmp_path / "store"))
    exported = len(kg.load(MINI).to_rdf())
    assert made.exit_code == 0
    stored, ontology = (int(word) for word in re.findall(r"(\d+) (?:triples|of kg)", made.stdout))
    assert made.stdout == (f"stored {stored} triples in {tmp_path / 'store'}: {exported} of the graph, as many as its "
                           f"RDF export holds, and {ontology} of kg's ontology\n")
    assert stored == exported + ontology
    from_store = runner.invoke(app, ["query", "supports", "--store", str(tmp_path / "store"), "-f", "csv"])
    assert from_store.stdout == invoke("query", "supports", "-f", "csv").stdout


def test_store_from_an_export(tmp_path: Path) -> None:
    invoke("export", "-o", str(tmp_path / "graph.nt"))
    made = runner.invoke(app, ["store", str(tmp_path / "store"), "--rdf", str(tmp_path / "graph.nt")])
    assert made.exit_code == 0
    assert runner.invoke(app, ["store", str(tmp_path / "other"), "--rdf", str(tmp_path / "none.nt")]).exit_code == 1


@pytest.mark.parametrize(("args", "message"), [
    (["relations", "-t", "control"], "Invalid value for '--type' / '-t': unknown relation type 'control'; "
                                     "did you mean 'controls'?"),
    (["supports", "--status", "stateed"], "Invalid value for '--status': unknown status 'stateed'; "
                                          "did you mean 'stated'?"),
    (["relations", "-f", "yaml"], "Invalid value for '--format' / '-f': unknown output format 'yaml'; "
                                  "expected one of: table, json, jsonl, csv"),
    (["export", "-f", "turtel"], "Invalid value for '--format' / '-f': unknown export format 'turtel'; "
                                 "did you mean 'turtle'?"),
])
def test_unknown_choices_get_a_did_you_mean_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert "Value error" not in result.stderr


COMMAND_NAMES = [info.name or info.callback.__name__ for info in app.registered_commands]


def test_each_command_is_summed_up_in_one_whole_sentence() -> None:
    """The command list shows a docstring's first line: it must not stop mid-sentence."""
    firsts = {info.name or info.callback.__name__: info.callback.__doc__.splitlines()[0]
              for info in app.registered_commands}
    assert {name: first for name, first in firsts.items() if not first.endswith(".")} == {}


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_help_shows_no_python_types_keeps_choices_whole_and_gives_examples(command: str, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = runner.invoke(app, [command, "--help"]).stdout
    for leak in ("<bool>", "<str>", "<int", "<path>", "list[", "{", "x>="):
        assert leak not in text, leak
    words = {word.strip(",.") for line in text.splitlines() for word in line.split()}
    if "--type TYPE" in text:
        assert set(kg.vocabulary.RELATION_TYPES) <= words
    assert f"  Examples:\n    kg {command}" in text


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_every_example_in_help_runs(command: str, tmp_path: Path, monkeypatch) -> None:
    import shlex

    import shutil

    shutil.copytree(MINI, tmp_path / "my-data")  # the folder the examples of one's own data name
    monkeypatch.chdir(tmp_path)
    text = runner.invoke(app, [command, "--help"]).stdout
    examples = [line.strip() for line in text.split("Examples:\n")[1].split("\n\n")[0].splitlines()]
    assert examples
    for example in examples:
        result = runner.invoke(app, shlex.split(example)[1:])
        assert result.exit_code == 0, (example, result.stderr)


@pytest.mark.parametrize(("shell", "environ", "expected"), [
    ("bash", {"COMP_WORDS": "kg show hizb", "COMP_CWORD": "2"}, "hizbollah"),
    ("zsh", {"_TYPER_COMPLETE_ARGS": "kg relations -t cont"}, '"controls"'),
    ("fish", {"_TYPER_COMPLETE_ARGS": "kg path hts russi", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}, "russia"),
])
def test_shell_completion_completes_entity_names_and_choices(shell: str, environ: dict, expected: str) -> None:
    done = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'kg'; from kg.cli import main; main()"],
                          capture_output=True, text=True, env={**os.environ, "_KG_COMPLETE": f"complete_{shell}",
                                                               **environ})
    assert expected in done.stdout.split("\n")[0] if shell != "zsh" else expected in done.stdout, done.stderr


def test_store_with_a_syntax_error_keeps_the_store_and_says_where(tmp_path: Path) -> None:
    invoke("store", str(tmp_path / "store"))
    stored = runner.invoke(app, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store",
                                 str(tmp_path / "store"), "-f", "csv"]).stdout
    (tmp_path / "bad.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b .\n", encoding="utf-8")
    result = runner.invoke(app, ["store", str(tmp_path / "store"), "--rdf", str(tmp_path / "bad.ttl")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert errors(result).startswith(f"error: {tmp_path / 'bad.ttl'}:2:9: Parser error")
    assert runner.invoke(app, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store",
                               str(tmp_path / "store"), "-f", "csv"]).stdout == stored


def test_store_in_the_data_folder_is_refused(mini_copy: Path) -> None:
    before = sorted(p.name for p in mini_copy.iterdir())
    result = runner.invoke(app, ["store", str(mini_copy), "-d", str(mini_copy)])
    assert (result.exit_code, errors(result)) == (
        1, f"error: {mini_copy} is not a store made by 'kg store' (it holds other files); give a new or empty folder\n")
    assert sorted(p.name for p in mini_copy.iterdir()) == before


def test_query_store_opens_read_only(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["query", "supports", "--store", str(tmp_path / "empty")])
    assert (result.exit_code, errors(result)) == (1, f"error: {tmp_path / 'empty'} is not a store made by 'kg store'\n")
    assert not list((tmp_path / "empty").iterdir())


# --------------------------------------------------------------------------- what exports may replace


def test_an_export_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    target.chmod(0o600)
    assert invoke("export", "-o", str(target)).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_text() != "old"


@pytest.mark.parametrize("make, says", [
    (lambda path: path.symlink_to(path.parent / "elsewhere.ttl"), "is a symbolic link; kg replaces only regular "
                                                                   "files, so give the file it points to"),
    (lambda path: os.link(path.parent / "elsewhere.ttl", path), "has 2 hard links; replacing it would separate "
                                                                 "them, so kg leaves it alone"),
    (lambda path: (path.write_text("old"), path.chmod(0o444)), "is read-only; kg leaves it alone"),
    (lambda path: os.mkfifo(path), "is a FIFO (named pipe); kg replaces only regular files"),
], ids=["symlink", "hard link", "read-only", "fifo"])
def test_an_export_refuses_targets_it_must_not_replace(make, says: str, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.ttl").write_text("kept")
    target = tmp_path / "graph.ttl"
    make(target)
    result = invoke("export", "-o", str(target))
    assert (result.exit_code, errors(result)) == (1, f"error: {target}: {says}\n")
    assert (tmp_path / "elsewhere.ttl").read_text() == "kept"


def test_an_export_refuses_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null"  # a device of the test's own: old code would replace the one it is given
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        pytest.skip("making a device node needs privileges")
    result = invoke("export", "-o", str(device), "-f", "nt")
    assert (result.exit_code, errors(result)) == (1, f"error: {device}: is a character device; kg replaces only "
                                                     "regular files\n")
    assert stat.S_ISCHR(device.lstat().st_mode)
