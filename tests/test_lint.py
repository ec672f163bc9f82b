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


# --------------------------------------------------------------------------- one-way imports, no private reaches

#: kg's modules by layer, top first: a module may import (at import time) only from its own layer or below.
#: The graph's question methods (g.supports(), g.to_rdf(), ...) are a facade that imports kg.query or
#: kg.rdf when called, as pandas' DataFrame.plot imports pandas.plotting; they are no import-time edge.
LAYERS = (
    ("kg", "kg.__main__", "kg.cli", "kg.cli.*"),
    ("kg.folder", "kg.folder.*", "kg.texts", "kg.query", "kg.query.*", "kg.plot", "kg.plot.*",
     "kg.curation", "kg.rdf", "kg.rdf.*", "kg.export", "kg.export.*"),
    ("kg.graph",),
    ("kg.names", "kg.indexes", "kg.columns"),
    ("kg.model", "kg.results", "kg._display"),
    ("kg.vocabulary", "kg.dates", "kg.errors", "kg.files", "kg.extras", "kg.terminal", "kg._words", "kg.formats"),
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "kg").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _layer(module: str) -> int:
    for depth, names in enumerate(LAYERS):
        if module in names or any(n.endswith(".*") and module.startswith(n[:-1]) for n in names):
            return depth
    raise AssertionError(f"{module} is in no layer of tests/test_lint.py's LAYERS: put it in one")


def import_time_edges(tree: ast.Module, modules: dict[str, Path]) -> set[str]:
    """The kg modules a module imports when it is imported: top-level imports, and those in
    top-level if/try blocks, except under ``if TYPE_CHECKING``. ``from kg.folder import fast`` is
    an edge to kg.folder.fast, not to the package."""
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules.keys()
                found.update(submodules)
                if len(submodules) < len(node.names):
                    found.add(node.module)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody):
                    visit(block)

    visit(tree.body)
    return found & modules.keys()


def test_imports_run_one_way() -> None:
    modules = _modules()
    upward = []
    for name, path in sorted(modules.items()):
        for target in sorted(import_time_edges(ast.parse(path.read_text(encoding="utf-8")), modules) - {name}):
            if _layer(target) < _layer(name):
                upward.append(f"{name} imports {target}, a layer above it")
    assert not upward, "\n".join(upward)


def test_the_import_graph_has_no_circle() -> None:
    modules = _modules()
    edges = {name: import_time_edges(ast.parse(path.read_text(encoding="utf-8")), modules) - {name}
             for name, path in modules.items()}
    state: dict[str, str] = {}

    def circle_from(name: str, trail: list[str]) -> list[str] | None:
        state[name] = "open"
        for target in sorted(edges[name]):
            if state.get(target) == "open":
                return trail[trail.index(target):] + [name, target] if target in trail else [name, target]
            if target not in state and (found := circle_from(target, trail + [name])):
                return found
        state[name] = "done"
        return None

    for name in sorted(edges):
        if name not in state:
            circle = circle_from(name, [])
            assert circle is None, " -> ".join(circle)


def private_imports(tree: ast.Module) -> list[str]:
    """``from kg... import _name``: a private name taken across a module boundary."""
    return [f"{node.lineno}: from {node.module} import {alias.name}" for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "kg"
            for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]


def test_no_private_name_crosses_a_module() -> None:
    """Private names stay in their module (ruff's SLF001 catches ``obj._member`` reaches; this,
    ``from kg.x import _name``); internals shared by several modules live in a private module
    (kg/_display.py) under public names, as attrs does."""
    found = [f"{path.relative_to(ROOT)}:{line}" for path in SOURCES
             for line in private_imports(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "\n".join(found)


def test_the_checks_see_what_they_look_for() -> None:
    modules = _modules()
    tree = ast.parse("from kg.folder.fast import _Reader\nfrom kg import graph\n"
                     "if TYPE_CHECKING:\n    from kg import cli\n")
    assert private_imports(tree) == ["1: from kg.folder.fast import _Reader"]
    assert import_time_edges(tree, modules) == {"kg.folder.fast", "kg.graph"}
