"""Every command, given bad input, prints one clear line on stderr and exits 1; usage
errors exit 2; nothing prints a traceback."""

from __future__ import annotations

import importlib
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
    load_module = importlib.import_module("kg.load")  # the module; kg.load is the function
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
def test_a_bad_date(command: str, tmp_path: Path) -> None:
    result = run(DATED[command], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert errors(result) == (
        "error: bad date '2016-13': month 13 is not 01 to 12; expected YYYY, YYYY-MM or YYYY-MM-DD\n")


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
