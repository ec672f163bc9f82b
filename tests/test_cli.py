"""The kg command line, through typer's CliRunner: output, exit codes, error paths."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import MINI

runner = CliRunner()


def test_validate_reports_counts_and_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(MINI)])
    assert result.exit_code == 0
    assert result.stdout == "ok: 7 actors, 4 places, 2 events, 15 relations, 2 sources, 1 figures\n"


def test_validate_lists_problems_on_stderr_and_exits_1(mini_copy: Path) -> None:
    with open(mini_copy / "relations.yaml", "a", encoding="utf-8") as handle:
        handle.write("- type: fights\n  subject: hts\n  object: hezbolah\n  sources: [{source: cg, quote: q}]\n")
    result = runner.invoke(app, ["validate", str(mini_copy)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{mini_copy}/relations.yaml:110:11: object 'hezbolah' is not a known entity\n1 problem found\n"
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
