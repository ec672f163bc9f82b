"""kg.cli.parsing and what the command line imports: values parsed as typer would, and a
question on a cached graph that loads no heavy library (no YAML reader, no RDF library, no
networkx, no pydantic)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg.cli.core
from kg.cli import app, exchange, pictures
from kg.cli.core import narrowed
from kg.cli.parsing import TYPER, parse
from tests.conftest import MINI

runner = CliRunner()

#: Invocations whose values go through every kind of parameter kg has, plain and unusual.
INVOCATIONS = [
    ["path", "HTS", "Russia", "-n", "3", "--limit", "2", "-t", "backs", "-t", "fights", "--format", "json"],
    ["path", "HTS", "Russia", "-n", "0012", "--limit", "1", "--format", "csv"],
    ["path", "HTS", "Russia", "-n", "2", "--limit", "1_000"],
    ["path", "HTS", "Russia", "-n", " 3"],
    ["path", "HTS", "Russia", "-n", "three"],
    ["path", "HTS", "Russia", "-n", "2", "--limit", "99999999999999999999999"],
    ["path", "HTS", "Russia", "--limit", "-1"],
    ["show", "Türkiye", "--data", str(MINI), "--format", "jsonl"],
    ["show", "Türkiye", "--data", ""],
    ["show", "Türkiye", "--data", "-"],
    ["relations", "--type", "backs", "--status", "stated", "--status", "reported", "--as-of", "2016"],
    ["supports", "--against", "HTS", "--explicit", "--format", "csv"],
    ["query", "relations", "--timeout", "30", "--entity", "subject=HTS", "--format", "jsonl"],
    ["query", "relations", "--timeout", "soon"],
]


def _outcome(arguments: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, arguments)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("arguments", INVOCATIONS, ids=" ".join)
def test_commands_answer_as_with_typers_own_parsing(arguments: list[str], monkeypatch) -> None:
    light = _outcome(arguments)
    monkeypatch.setattr(kg.cli.core, "light_parameters", lambda parameters: None)
    assert light == _outcome(arguments)


@pytest.mark.parametrize("arguments", [
    *INVOCATIONS[:3],
    ["show"], ["show", "--help"], ["show", "Nowhere"], ["--quiet", "map", "--as-of", "2024", "-o", "x.gif"],
    ["shw", "HTS"], ["--version"], ["--help"], [],
], ids=" ".join)
def test_the_app_narrowed_to_a_command_answers_as_the_whole_app(arguments: list[str]) -> None:
    one = narrowed(app, arguments)
    assert len(one.registered_commands) == (1 if arguments[:1] in (["show"], ["path"], ["--quiet"]) else 16)
    outcome = runner.invoke(one, arguments)
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == _outcome(arguments)


@pytest.mark.parametrize("annotation, value, expected", [
    (str, "Türkiye", "Türkiye"),
    (Path, "data", Path("data")),
    (Path, "", TYPER),
    (Path, "-", TYPER),
    (int, "12", 12),
    (int, 4, 4),
    (int, "-1", TYPER),
    (int, "1e3", TYPER),
    (bool, True, True),
    (bool, "yes", TYPER),
    (float, "2.5", TYPER),
    (list[str], ("a", "b"), ["a", "b"]),
    (list[str], "a", TYPER),
])
def test_parse_takes_only_plain_values(annotation: object, value: object, expected: object) -> None:
    assert parse(annotation, value) == expected if expected is not TYPER else parse(annotation, value) is TYPER


def _modules_after(arguments: list[str], cache: Path) -> dict[str, object]:
    """Run ``kg ARGUMENTS`` in a fresh interpreter and list the heavy modules it imported."""
    code = ("import sys, json\n"
            "from kg.cli import main\n"
            "sys.argv = ['kg', *sys.argv[1:]]\n"
            "try:\n    main()\n"
            "except SystemExit as done:\n"
            "    heavy = ('networkx', 'rdflib', 'pyoxigraph', 'yaml', 'pydantic', 'matplotlib', 'kg.plot', 'kg.rdf',\n"
            "             'tempfile', 'secrets', 'ctypes', 'calendar', 'html', 'csv', 'importlib.resources')\n"
            "    sys.stderr.write(json.dumps({'code': done.code, 'heavy': [m for m in heavy if m in sys.modules],\n"
            "                                 'query': sorted(m for m in sys.modules if m[:9] == 'kg.query.')}))\n")
    result = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True,
                            env={**__import__("os").environ, "KG_CACHE_DIR": str(cache)})
    return json.loads(result.stderr.splitlines()[-1])


@pytest.mark.parametrize(("arguments", "query"), [
    (["show", "Türkiye"], ["common", "ties"]),
    (["supports", "--against", "HTS"], ["chains", "common", "supports"]),
    (["path", "HTS", "Russia"], ["common", "paths"]),
    (["relations", "-t", "backs"], []),
], ids=["show", "supports", "path", "relations"])
def test_a_question_on_a_cached_graph_imports_no_heavy_library(arguments: list[str], query: list[str],
                                                              tmp_path: Path) -> None:
    """Nor the modules of other questions, nor those only writing or HTML needs."""
    _modules_after(arguments, tmp_path)  # fills the cache
    assert _modules_after(arguments, tmp_path) == {
        "code": 0, "heavy": [], "query": [f"kg.query.{name}" for name in query]}


def test_the_light_tables_match_the_modules_they_stand_for() -> None:
    import kg.plot
    from kg.rdf.sparql import QUERY_NAMES

    assert pictures.PICTURES == tuple(kg.plot.PICTURES)
    assert pictures.SUFFIXES == tuple(kg.plot.WRITERS)
    assert exchange.QUERY_NAMES == QUERY_NAMES
