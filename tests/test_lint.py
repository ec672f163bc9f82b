"""Lint: ruff's rules (including bandit's unsafe-YAML check), and two rules of our own that
no linter has: YAML is read with a safe loader only, and SPARQL text is never built from
values (f-strings, % or .format); values reach queries as bindings."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(path for folder in ("kg", "tests", "benchmarks", "docs") for path in (ROOT / folder).rglob("*.py"))
SPARQL = re.compile(r"\bSELECT\s+(?:\?|\*|DISTINCT|REDUCED)|\b(?:WHERE|CONSTRUCT|ASK)\s*\{|\bDESCRIBE\s+[?<]"
                    r"|\b(?:INSERT|DELETE)\s+(?:DATA|WHERE)?\s*\{", re.IGNORECASE)
YAML_READERS = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}


def test_ruff() -> None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.fail("ruff is not installed: pip install '.[test]'")
    result = subprocess.run([ruff, "check", "kg", "tests", "benchmarks", "docs"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout


def yaml_reads_without_a_safe_loader(tree: ast.AST) -> list[int]:
    """Lines that call yaml.load and friends without a Loader whose name says Safe."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in YAML_READERS \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml":
            loader = next((k.value for k in node.keywords if k.arg == "Loader"), node.args[1] if len(node.args) > 1
                          else None)
            if loader is None or "Safe" not in ast.unparse(loader):
                lines.append(node.lineno)
    return lines


def sparql_built_from_values(tree: ast.AST) -> list[int]:
    """Lines where text that reads like SPARQL is an f-string with values, or is filled in
    with % or .format()."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if SPARQL.search(text):
                lines.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _sparql_constant(node.left):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and _sparql_constant(node.func.value):
            lines.append(node.lineno)
    return lines


def _sparql_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(SPARQL.search(node.value))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_yaml_is_read_safely_and_sparql_takes_bindings(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert yaml_reads_without_a_safe_loader(tree) == []
    assert sparql_built_from_values(tree) == []


def test_the_rules_catch_what_they_are_for() -> None:
    bad = ast.parse(
        "import yaml\n"
        "yaml.load(text)\n"
        "yaml.load(text, Loader=yaml.Loader)\n"
        "yaml.load(text, Loader=yaml.CSafeLoader)\n"
        "q = f'SELECT ?x WHERE {{ ?x rdfs:label \"{name}\" }}'\n"
        "q = 'SELECT ?x WHERE { ?x ?p %s }' % name\n"
        "q = 'SELECT ?x WHERE {{ ?x ?p {} }}'.format(name)\n"
        "q = f'{count} statements selected'\n"
    )
    assert yaml_reads_without_a_safe_loader(bad) == [2, 3]
    assert sparql_built_from_values(bad) == [5, 6, 7]
