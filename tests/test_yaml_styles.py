"""Any valid YAML style reads at the fast reader's speed: the same records as libyaml,
without falling back to libyaml record by record, and the same graph and problems as a
reading by libyaml alone (the marked pass)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import kg
from benchmarks.generate import FILES, STYLES, generate, restyle
from kg.folder import fast as fast_reader
from kg.folder.nodes import Map, Scalar, Seq
from tests.test_yaml_nodes import assert_same_as_libyaml

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def constructed(value):
    """The fast reader's values (or light nodes) as ``yaml.safe_load`` gives them."""
    if isinstance(value, Scalar):
        return yaml.SafeLoader("").construct_object(yaml.ScalarNode(value.tag, value.value))
    if isinstance(value, Seq):
        return [constructed(item) for item in value.items]
    if isinstance(value, Map):
        return {constructed(key): constructed(item) for key, item in value.pairs}
    if isinstance(value, dict):
        return {key: constructed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [constructed(item) for item in value]
    return value


@pytest.fixture(scope="module")
def styled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same small dataset written in every style."""
    if not _has_ruamel():
        pytest.skip("ruamel.yaml not installed")
    base = tmp_path_factory.mktemp("styles")
    generate(base / "kg", entities=80, relations=600, seed=5)
    folders = {"kg": base / "kg"}
    for style in STYLES[1:]:
        folders[style] = base / style
        shutil.copytree(base / "kg", folders[style])
        restyle(folders[style], style)
    return folders


def _has_ruamel() -> bool:
    try:
        import ruamel.yaml  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("style", STYLES)
def test_every_style_reads_to_the_records_safe_load_gives(styled: dict[str, Path], style: str) -> None:
    for name in FILES:
        text = (styled[style] / name).read_text(encoding="utf-8")
        fast = fast_reader.records(text)
        assert fast is not None, name
        assert constructed(list(fast)) == yaml.safe_load(text), name


@pytest.mark.parametrize("style", STYLES)
def test_every_style_takes_the_fast_path(styled: dict[str, Path], style: str, composed: list[int]) -> None:
    records = 0
    for name in FILES:
        for record in fast_reader.records((styled[style] / name).read_text(encoding="utf-8")):
            assert type(record) is dict, f"{name}: a record read by libyaml"
            records += 1
    graph = kg.load(styled[style], cache=False)
    assert records > 600 and len(graph) == 600
    assert composed == []  # no file and no record was handed to libyaml


def test_the_bundled_data_takes_the_fast_path(composed: list[int]) -> None:
    kg.load(cache=False)
    assert composed == []


def test_the_fast_path_checked_above_can_fail(styled: dict[str, Path], composed: list[int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_reader, "located_records", lambda text: None)
    kg.load(styled["pyyaml"], cache=False)
    assert len(composed) == len(FILES)


@pytest.mark.parametrize("style", STYLES[1:])
def test_every_style_builds_the_graph_kg_style_builds(styled: dict[str, Path], style: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fast = kg.load(styled[style], cache=False)
    assert fast == kg.load(styled["kg"], cache=False)
    monkeypatch.setattr(fast_reader, "records", lambda text: None)  # libyaml reads every file, with marks
    assert kg.load(styled[style], cache=False) == fast


@pytest.mark.parametrize("case", CASES)
def test_fast_and_marked_readings_report_the_same_problems(case: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(CORPUS / "_base", folder)
    for path in (CORPUS / case).iterdir():
        if path.name != "expected.txt":
            shutil.copy(path, folder / path.name)
    fast = kg.validate(folder, cache=False)
    monkeypatch.setattr(fast_reader, "records", lambda text: None)
    assert kg.validate(folder, cache=False) == fast


MIXED = {
    "block scalars": "- id: a\n  b: |\n    line one\n\n    line three\n  c: >-\n    folded\n    text\n\n    para\n"
                     "  d: |-\n    x\n  e: >\n\n    lead\n",
    "block scalar then a list": "- id: a\n  s:\n    - quote: |-\n        q\n      source: x\n    - source: y\n",
    "block scalars that stay with libyaml": (
        "- id: a\n  b: |+\n    kept\n\n  c: |2\n     x\n  d: >\n    a\n      b\n"),
    "folded plain and quoted lines": "- id: a\n  q: one\n    two\n    three\n  r: 'it''s\n    folded'\n"
                                     "  s: \"dq\n    line\"\n  t: x\n    - y\n",
    "folded lines that stay with libyaml": "- id: a\n  q: one\n    two: x\n  r: 'a\n\n    b'\n  s: x # c\n    y\n",
    "indentless lists": (
        "- id: a\n  s:\n  - source: x\n    quote: a long\n      quote\n  - source: y\n  k:\n  - a\n  - b\n"),
    "quoted keys": "- \"id\": a\n  'name': b\n  \"on\": c\n  s:\n    - \"source\": x\n",
    "flow records": "- {id: a, s: [{source: x, quote: 'q, r'}], n: -3.5, k: [], m: {}}\n- {id: b, 'on': \"x\"}\n",
    "flow records that stay with libyaml": (
        "- {id: a, b: c:d}\n- {id: b, c: }\n- {id: c, d: [x,\n  y]}\n- {a: 1, a: 2}\n"),
    "escapes": "- id: a\n  q: \"say \\\"hi\\\" \\u00e9\\x41\\t\\\\ \\N\\_ \\U0001F600\"\n  r: [\"a\\\"b\", x]\n",
    "escapes that stay with libyaml": "- id: a\n  q: \"\\q\"\n- id: b\n  q: \"\\ud800\"\n",
    "CRLF": "# c\r\n- id: a\r\n  b: |\r\n    x\r\n    y\r\n  c: d\r\n\r\n- id: e\r\n",
    "lone CR": "- id: a\r  b: c\n",
}


@pytest.mark.parametrize("text", MIXED.values(), ids=list(MIXED))
def test_hand_written_yaml_reads_as_libyaml_reads_it(text: str) -> None:
    assert_same_as_libyaml(text)
