"""Every command, given bad input, prints one clear line on stderr and exits 1; usage
errors exit 2; nothing prints a traceback."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import MINI, errors

runner = CliRunner()

# Each command with arguments that work on the mini dataset (before --data is added).
COMMANDS = {
    "show": ["show", "hts"],
    "relations": ["relations"],
    "supports": ["supports"],
    "path": ["path", "hts", "russia"],
    "diff": ["diff", "2024-11-01", "2024-12-31"],
    "balance": ["balance"],
    "stats": ["stats"],
    "search": ["search", "hts"],
    "plot": ["plot", "network", "-o", "{tmp}/network.svg"],
    "map": ["map", "--as-of", "2024-12-01", "-o", "{tmp}/map.svg"],
    "export": ["export", "-f", "nt"],
    "query": ["query", "relations"],
}


def run(args: list[str], tmp_path: Path, data: Path = MINI):
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in args] + ["--data", str(data)]
    result = runner.invoke(app, arguments)
    assert "Traceback" not in errors(result) + result.stdout
    return result


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_works_on_good_data(command: str, tmp_path: Path) -> None:
    assert run(COMMANDS[command], tmp_path).exit_code == 0


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_folder(command: str, tmp_path: Path) -> None:
    result = run(COMMANDS[command], tmp_path, data=tmp_path / "nowhere")
    assert (result.exit_code, result.stdout) == (1, "")
    assert errors(result) == f"{tmp_path}/nowhere: does not exist; expected a folder of kg YAML files\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_file(command: str, tmp_path: Path, mini_copy: Path, monkeypatch) -> None:
    from kg.folder import keys as load_module  # where a load reads the files' bytes
    original = load_module.read_regular_file

    def read_bytes(path: Path) -> bytes:
        if Path(path).name == "actors.yaml":
            raise PermissionError(13, "Permission denied")
        return original(path)

    monkeypatch.setattr(load_module, "read_regular_file", read_bytes)
    result = run(COMMANDS[command], tmp_path, data=mini_copy)
    assert result.exit_code == 1
    assert errors(result) == f"{mini_copy}/actors.yaml: cannot be read: Permission denied\n"


NAMED = {
    "show": ["show", "Hezbolah"],
    "relations": ["relations", "--subject", "Hezbolah"],
    "supports": ["supports", "--against", "Hezbolah"],
    "path": ["path", "hts", "Hezbolah"],
    "plot": ["plot", "neighbourhood", "Hezbolah", "-o", "{tmp}/n.svg"],
    "query": ["query", "relations", "--entity", "subject=Hezbolah"],
}


@pytest.mark.parametrize("command", NAMED)
def test_an_unknown_name(command: str, tmp_path: Path) -> None:
    result = run(NAMED[command], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert errors(result).startswith("error: unknown entity 'Hezbolah'") and errors(result).count("\n") == 1


DATED = {
    "show": ["show", "hts", "--as-of", "2016-13"],
    "relations": ["relations", "--as-of", "2016-13"],
    "supports": ["supports", "--as-of", "2016-13"],
    "path": ["path", "hts", "russia", "--as-of", "2016-13"],
    "diff": ["diff", "2016-13", "2024-12-01"],
    "balance": ["balance", "--as-of", "2016-13"],
    "plot": ["plot", "network", "--as-of", "2016-13", "-o", "{tmp}/n.svg"],
    "map": ["map", "--as-of", "2016-13", "-o", "{tmp}/m.svg"],
    "export": ["export", "--as-of", "2016-13"],
}


@pytest.mark.parametrize("command", DATED)
def test_a_bad_date_is_a_usage_error(command: str, tmp_path: Path) -> None:
    result = run(DATED[command], tmp_path)
    given = "'SINCE'" if command == "diff" else "'--as-of'"
    assert (result.exit_code, result.stdout, errors(result).splitlines()[-1]) == (
        2, "", f"Error: Invalid value for {given}: '2016-13' is not a date: month 13 is not 01 to 12; "
               "expected YYYY, YYYY-MM or YYYY-MM-DD")


@pytest.mark.parametrize(("args", "message"), [
    (["path", "hts", "russia", "-n", "abc"], "Invalid value for '--max-length' / '-n': 'abc' is not a valid integer."),
    (["path", "hts", "russia", "--limit", "2.5"], "Invalid value for '--limit': '2.5' is not a valid integer."),
    (["path", "hts", "russia", "-n", "0"], "Invalid value for '--max-length' / '-n': 0 is not 1 or more"),
    (["search", "hts", "--limit", "ten"], "Invalid value for '--limit': 'ten' is not a valid integer."),
])
def test_a_bad_count_is_a_usage_error_naming_the_option_and_the_value(
        args: list[str], message: str, tmp_path: Path) -> None:
    result = run(args, tmp_path)
    assert (result.exit_code, result.stdout, errors(result).splitlines()[-1]) == (2, "", f"Error: {message}")


EMPTY = {
    "relations": (["relations", "--type", "sanctions"], "no relations found\n"),
    "supports": (["supports", "--against", "sdf"], "no supports found\n"),
    "path": (["path", "hts", "russia", "-t", "member-of"], "no path between 'hts' and 'russia' within 4 hops\n"),
    "diff": (["diff", "1990", "1991"], "no statements began or ended between 1990 and 1991\n"),
    "balance": (["balance", "--status", "denied"], "no unbalanced triangles\n"),
    "search": (["search", "zzzz"], "nothing matches 'zzzz'\n"),
}


@pytest.mark.parametrize("command", EMPTY)
def test_an_empty_result(command: str, tmp_path: Path) -> None:
    args, message = EMPTY[command]
    result = run(args, tmp_path)
    assert (result.exit_code, result.stdout, errors(result)) == (1, "", message)


@pytest.mark.parametrize("args", [["show"], ["path", "hts"], ["relations", "--type", "funds"],
                                  ["relations", "--format", "xml"], ["nonsense"], ["path", "a", "b", "-n", "0"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


@pytest.mark.parametrize("command", COMMANDS)
def test_an_empty_data_path_is_a_usage_error_not_the_current_folder(command: str, tmp_path: Path, mini_copy: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.chdir(mini_copy)  # a folder that holds data, which '' used to mean silently
    result = run(COMMANDS[command], tmp_path, data="")
    assert (result.exit_code, result.stdout) == (2, "")
    assert errors(result).splitlines()[-1] == ("Error: Invalid value for '--data' / '-d': an empty path names no "
                                               "file or folder (write '.' for the current folder)")


@pytest.mark.parametrize("args", [["validate", ""], ["store", ""], ["query", "relations", "--store", ""],
                                  ["export", "-o", ""], ["plot", "network", "-o", ""],
                                  ["validate", "--candidates", ""], ["store", "st", "--rdf", ""]])
def test_every_empty_path_is_a_usage_error(args: list[str], mini_copy: Path, monkeypatch) -> None:
    monkeypatch.chdir(mini_copy)
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "an empty path names no file or folder" in errors(result)


def test_a_name_that_is_another_entitys_id_is_refused_as_ambiguous(mini_copy: Path) -> None:
    with open(mini_copy / "actors.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: turkiye-2\n  name: Turkiye\n  kind: state\n")
    result = runner.invoke(app, ["show", "Turkiye", "--data", str(mini_copy)])
    assert (result.exit_code, result.stdout, errors(result)) == (
        1, "", "error: 'Turkiye' is ambiguous: it names 'turkiye' or 'turkiye-2'; use an id\n")
    assert runner.invoke(app, ["show", "turkiye-2", "--data", str(mini_copy)]).stdout.startswith("Turkiye (turkiye-2)")


# --------------------------------------------------------------------------- where the output goes


def kg_command(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args, "--data", str(MINI)], stderr=subprocess.PIPE,
                          text=True, timeout=120, **options)


def test_a_full_disk_on_standard_output_is_exit_code_1() -> None:
    with open("/dev/full", "w") as full:
        result = kg_command("show", "hts", stdout=full)
    assert (result.returncode, result.stderr.splitlines()[-1]) == (1, "error: No space left on device")


def test_a_closed_standard_output_is_exit_code_1_not_silence() -> None:
    result = kg_command("show", "hts", stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (1, "error: standard output is closed; kg has nowhere to write\n")


def test_search_refuses_text_too_long_to_be_a_name() -> None:
    result = runner.invoke(app, ["search", "x" * 100_000, "--data", str(MINI)])
    assert (result.exit_code, errors(result)) == (
        1, "error: search text of 100,000 characters; kg searches names of at most 500\n")


def test_csv_cells_never_start_a_spreadsheet_formula(mini_copy: Path) -> None:
    relations = mini_copy / "relations.yaml"
    relations.write_text(relations.read_text(encoding="utf-8") + "- type: fights\n  subject: hts\n  object: russia\n"
        "  note: '=HYPERLINK(\"http://evil.example\", \"x\")'\n  sources:\n    - source: cg\n"
        "      quote: '@SUM(1+1)'\n", encoding="utf-8")
    output = runner.invoke(app, ["relations", "--subject", "hts", "--object", "russia", "-f", "csv",
                                 "--data", str(mini_copy)]).stdout
    export = runner.invoke(app, ["export", "-f", "csv", "--data", str(mini_copy)]).stdout
    assert "'=HYPERLINK" in output
    cells = [cell for line in (output + export).splitlines() for cell in csv.reader([line]).__next__()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and cell[1:2].isalpha())]


def test_a_huge_path_limit_is_refused_before_any_search() -> None:
    result = runner.invoke(app, ["path", "hts", "russia", "-n", "12", "--limit", "1000000", "--data", str(MINI)])
    assert (result.exit_code, errors(result)) == (
        1, "error: a limit of 1,000,000 paths is more than kg lists (10,000); ask for fewer, or narrow the question "
           "by relation type, date or length\n")
