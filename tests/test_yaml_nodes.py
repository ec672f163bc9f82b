"""The fast reader means exactly what libyaml means: compared on real files, tricky cases
and generated documents."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg.folder import fast as fast_reader
from kg.folder import nodes as yaml_nodes
from kg.folder.nodes import Map, Scalar, Seq
from tests.conftest import MINI

STR, NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
ROOT = Path(__file__).resolve().parents[1]


def plain(value):
    """libyaml's light nodes (or the fast reader's values) as comparable plain values."""
    if isinstance(value, Scalar):
        return value.value if value.tag == STR else None if value.tag == NULL else ("scalar", value.tag, value.value)
    if isinstance(value, Seq):
        return [plain(item) for item in value.items]
    if isinstance(value, Map):
        keys = [key.value for key, _ in value.pairs]
        if len(set(keys)) != len(keys) or any(key.tag != STR for key, _ in value.pairs):
            return ("pairs", [(plain(k), plain(v)) for k, v in value.pairs])
        return {key.value: plain(v) for key, v in value.pairs}
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@pytest.fixture(autouse=True)
def record_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's bytes decoded a record at a time (see ``located_records``), so that every
    case below also reads across the ends of pieces."""
    monkeypatch.setattr(fast_reader, "_PIECE", 1)


def assert_same_as_libyaml(text: str) -> None:
    """The fast reader reads ``text``, and its bytes a piece at a time, as libyaml does."""
    readings = [reading for reading in (fast_reader.records(text), located_values(text.encode("utf-8")))
                if reading is not None]
    if not readings:
        return  # not a plain list: the loader reads it with libyaml anyway
    try:
        reference = yaml_nodes.compose(text)
    except yaml.YAMLError:
        for reading in readings:
            with pytest.raises((yaml.YAMLError, fast_reader.NotOneRecord)):
                list(reading)
        return
    expected = [plain(item) for item in reference.items] if reference is not None else []
    for reading in readings:
        try:
            assert [plain(record) for record in reading] == expected
        except fast_reader.NotOneRecord:
            pass  # the loader reads the file again whole, with libyaml


def located_values(data: bytes):
    found = fast_reader.located_records(data)
    return None if found is None else (record for record, _ in found)


def test_a_file_is_never_decoded_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its text (here with a character past Latin-1, two bytes a character in Python) would
    hold twice its bytes: the reader holds a piece of it at a time."""
    monkeypatch.setattr(fast_reader, "_PIECE", 1 << 16)
    data = "".join(f"- id: r{n}\n  name: Hei’at {n}\n  kind: state\n" for n in range(50_000)).encode("utf-8")
    tracemalloc.start()
    try:
        count = sum(1 for _ in fast_reader.located_records(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 50_000
    assert peak < len(data) / 2


DATA_FILES = sorted((ROOT / "data").glob("*.yaml")) + sorted(MINI.glob("*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_files_read_the_same(path: Path) -> None:
    assert_same_as_libyaml(path.read_text(encoding="utf-8"))


TRICKY = {
    "compact list": "- id: a\n  sources:\n  - source: x\n    quote: q\n  name: n\n",
    "empty value then key": "- id: a\n  empty:\n  name: n\n",
    "empty value at end": "- id: a\n  empty:\n- id: b\n",
    "comments": "# head\n\n- id: a  # c\n  name: 'it''s'   # c\n  other: \"q\" # c\n  # inner\n  x: y\n",
    "block list of scalars": "- id: a\n  aliases:\n    - x\n    - 'y'\n  n: 1\n",
    "flow list": "- id: a\n  v: [a, 'b c', \"d\", 1, yes, ~, 2016-12-01]\n",
    "YAML 1.1 surprises": "- id: a\n  v: []\n  w: on\n  x: 007\n  y: 1.10\n  z: 2016-02-30\n  u: NO\n  t: 1:30\n",
    "continued plain scalar": "- id: a\n  desc: long\n    continued\n",
    "escapes": "- id: a\n  q: \"esc \\\" x\"\n  r: \"tab\\tx\"\n",
    "anchor and merge": "- &a\n  id: a\n- <<: *a\n  id: b\n",
    "alias to another record": "- id: a\n  sources: &s [{source: x, quote: y}]\n- id: b\n  sources: *s\n",
    "nested figures": (
        "- id: a\n  f:\n    - measure: k\n      sources:\n        - source: s\n"
        "          quote: q\n      value: 3\n  n: x\n"
    ),
    "scalar record": "- scalar record\n- id: a\n",
    "flow mapping": "- id: a\n  b: {x: 1}\n",
    "block scalar": "- id: a\n  b: |\n    text\n",
    "keys that are not text": "- id: a\n  on: x\n  yes: y\n",
    "wide entry": "- id: a\n  s:\n  -   source: x\n      quote: y\n",
    "colons and hashes": "- id: a\n  k: v:w\n  l: a#b\n  m: -x\n  n: 'a: b'\n",
    "comment as value": "- id: a\n  empty:   # comment only\n  n: 1\n",
    "nested mappings": "- id: a\n  nested:\n    deep:\n      deeper: 1\n    back: 2\n",
    "duplicate key": "- id: a\n  id: b\n",
    "tab": "- id: a\n\tname: b\n",
    "not a list": "id: a\nname: b\n",
    "document markers": "---\n- id: a\n...\n",
    "unclosed quote": "- id: a\n  name: \"b\n",
    "bad indentation": "- id: a\n   name: b\n  kind: c\n",
    "control character in a comment": "- id: a  # \x07\n",
    "byte-order mark": "\ufeff- id: a\n",
    "windows line ends": "- id: a\r\n  name: b\r\n",
    "block scalar before another record": "- id: a\n  b: |\n    text\n- id: c\n",
    "trailing spaces": "- id: a\n  name: b  \n  note:   \n  k: 'x'  \n",
    "no space after a colon": "- id: a\n  k:v\n",
    "blank and comment lines between records": "- id: a\n\n# c\n- id: b\n\n",
    "no final newline": "- id: a\n  sources:\n    - source: x\n      quote: y",
    "list item without a value": "- id: a\n  sources:\n    - source:\n      quote: y\n",
    "other types in list items": (
        "- id: a\n  s:\n    - source: yes\n      quote: 2016-12-01\n    - source: ~\n      quote: 'on'\n"
    ),
    "text with colons, hashes and spaces": "- id: a\n  q: a:b c#d  e\n  r: x #c\n  s: x:\n  t: '#'\n",
    "other spaces": "- id: a\n  q: a\u00a0b\n  r: \u3000x\n  s: \"a\tb\"\n",
    "list key twice": "- id: a\n  s:\n    - source: x\n  s:\n    - source: y\n",
    "key twice in a list item": "- id: a\n  s:\n    - source: x\n      source: y\n",
    "empty quotes": "- id: a\n  q: \"\"\n  r: ''\n",
    "list items after a value": "- id: a\n  s: []\n    - source: x\n- id: b\n  s: x\n    - source: y\n",
    "list item fields with no item": "- id: a\n  s:\n      source: x\n",
    "list item with no value": "- id: a\n  s:\n    - source:\n    - quote: q\n",
    "blank lines inside a record": "- id: a\n\n  name: b\n  s:\n    - source: x\n   \n      quote: y\n",
    "comment at column 0 inside a record": "- id: a\n# c\n  name: b\n",
    "flow records": (
        "- {id: a, v: yes, w: 1, x: ~, y: 2016-12-01, z: 'q: r', s: [{source: x, quote: \"t\\tu\"}]}\n"
        "- {id: b}   \n- {id: c}  # c\n- {id: d, e: {f: [g, h]}}\n\n# c\n- {id: e, on: x}\n- {id: f, id: g}\n- {id: h}"
    ),
    "flow records that are not plain": "- {id: a, b: &x c}\n- {id: b, c: *x}\n- {id: c,\n   d: e}\n- {id: d, e: }\n",
    "block scalars and their lookalikes": (
        "- id: a\n  q: >-\n    folded\n    text\n  r: 'a|b'\n  s: a > b\n- id: b\n  q: |\n    one\n      two\n  # c\n"
    ),
    "block scalars then blank lines and comments": "- id: a\n  q: |-\n    t\n\n# c\n- id: b\n  q: |\n    t\n\n  r: x\n",
    "block scalar lines that look like comments": "- id: a\n  q: |\n    t\n    # not a comment\n  r: x\n",
    "block scalar then an indented comment": "- id: a\n  q: |\n    t\n  # c\n   # d\n  r: x\n",
    "block scalar then spaces": "- id: a\n  q: |\n    t\n      \n  r: x\n- id: b\n  q: |\n    t\n   \n  r: x\n",
    "block scalar lines that look like fields": "- id: a\n  q: |\n    t\n      k: v\n    - source: x\n",
    "block scalars in list items": (
        "- id: a\n  s:\n    - source: x\n      quote: |-\n        q\n"
        "    - source: y\n      quote: >\n        f\n        g\n"
        "- id: b\n  s:\n  - source: x\n    quote: |\n      t\n"
    ),
    "block scalar at the end of the file": "- id: a\n  q: |-\n    end",
    "block scalars YAML reads otherwise": (
        "- id: a\n  q: |+\n    t\n\n- id: b\n  q: |2\n     t\n- id: c\n  q: |\n  r: x\n- id: d\n  q: >\n    a \n    b\n"
    ),
    "block scalar less indented after its first line": "- id: a\n  q: |\n      a\n    b\n",
    "block scalar at the end of a file with no line end": "- id: a\n  q: |\n    - item",
    "block scalar then folded text at the end of a file": "- id: a\n  q: >\n    t\n    # hash",
    "block scalar text after a blank line": (
        "- id: a\n  q: >\n     t\n\n     # hash\n  r: x\n- id: b\n  q: |\n    t\n\n          \n- id: c\n"
    ),
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=list(TRICKY))
def test_tricky_cases_read_the_same(text: str) -> None:
    assert_same_as_libyaml(text)


# Generated documents: records of keys whose values are drawn from scalars that look like
# every YAML 1.1 type, written plain, quoted or in flow lists, with comments.
SCALARS = st.sampled_from([
    "hts", "Hei’at Tahrir al-Sham", "NO", "on", "off", "yes", "~", "null", "007", "1.10", "1e3", "0x1F",
    "2016", "2016-12", "2016-12-01", "2016-02-30", "1:30", "a: b", "a #b", "a#b", "-x", "- x", "x:", "x:y",
    "it's", "say \"hi\"", "[a]", "{a}", "&anchor", "*alias", "!tag", "|", ">", "%", "@", "`", "", " ", "é ü ✓ 😀",
]) | st.text(alphabet=st.characters(blacklist_categories=["Cs"]),
             max_size=12)


def written(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


VALUES = st.one_of(
    st.tuples(SCALARS, st.sampled_from(["plain", "single", "double"])).map(lambda t: written(*t)),
    st.lists(st.tuples(SCALARS, st.sampled_from(["plain", "single"])).map(lambda t: written(*t)), max_size=3)
    .map(lambda items: "[" + ", ".join(items) + "]"),
)
KEYS = st.sampled_from(["id", "name", "kind", "aliases", "start", "on", "quote", "x_1", "a-b"])


@st.composite
def documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        keys = draw(st.lists(KEYS, min_size=1, max_size=4))
        for position, key in enumerate(keys):
            lead = "- " if position == 0 else "  "
            if draw(st.booleans()):
                lines.append(f"{lead}{key}: {draw(VALUES)}{draw(st.sampled_from(['', '  # note']))}")
            else:
                lines.append(f"{lead}{key}:")
                for _ in range(draw(st.integers(0, 2))):
                    lines.append(f"    - source: {draw(VALUES)}")
                    lines.append(f"      quote: {draw(VALUES)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(documents())
def test_generated_documents_read_the_same(text: str) -> None:
    assert_same_as_libyaml(text)


# Generated block scalars: headers of every kind, lines indented more, less or as much, lines
# that look like keys, list items or comments, blank and space-only lines, in a record or a list
# item written either way, with or without a line end at the end of the file.
BLOCK_HEADERS = st.sampled_from(["|", "|-", ">", ">-", "|+", "|2", "| # c", ">  ", "|-  # note"])
BLOCK_TEXT = st.sampled_from(["text", "more text", "# hash", "key: value", "- item", "  indented", "", "   ",
                              "x: |", "'q'", "tab\there", "end  "])


@st.composite
def block_lines(draw, indent: int) -> list[str]:
    extra = draw(st.sampled_from([0, 0, 1, 2]))
    lines = []
    for position in range(draw(st.integers(0, 4))):
        text = draw(BLOCK_TEXT)
        shift = draw(st.sampled_from([0, 0, 2, -1, -2])) if position else 0
        lines.append(" " * max(indent + extra + shift, 0) + text if text else "")
    return lines


@st.composite
def block_documents(draw) -> str:
    lines = []
    for record in range(draw(st.integers(1, 3))):
        item, field = draw(st.sampled_from([("    - ", "      "), ("  - ", "    ")]))
        lines.append(f"- id: r{record}")
        for key in range(draw(st.integers(1, 4))):
            shape = draw(st.sampled_from(["block", "block", "listed", "other", "plain"]))
            if shape == "block":
                lines.append(f"  k{key}: {draw(BLOCK_HEADERS)}")
                lines += draw(block_lines(draw(st.sampled_from([3, 4, 6]))))
            elif shape == "listed":
                lines += [f"  s{key}:", f"{item}source: x", f"{field}quote: {draw(BLOCK_HEADERS)}"]
                lines += draw(block_lines(len(field) + draw(st.sampled_from([1, 2]))))
            elif shape == "other":
                lines.append(draw(st.sampled_from(["", "# c", "  # c", "    # c", "   "])))
            else:
                lines.append(f"  v{key}: plain")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=500, deadline=None)
@given(block_documents())
def test_generated_block_scalars_read_the_same(text: str) -> None:
    assert_same_as_libyaml(text)


def test_a_load_with_problems_is_read_again_with_marks(mini_copy: Path) -> None:
    with open(mini_copy / "relations.yaml", "a", encoding="utf-8") as handle:
        handle.write("- type: fights\n  subject: hts\n  object: hezbolah\n  sources: [{source: cg, quote: q}]\n")
    (problem,) = kg.validate(mini_copy)
    assert (problem.line, problem.column) > (0, 0)


def test_both_readers_build_the_same_graph() -> None:
    from kg.folder.finding import DATA_FILES as names
    from kg.folder.reading import read_files

    present = [name for name in names if (MINI / name).is_file()]
    fast, marked = read_files(MINI, present, marked=False), read_files(MINI, present, marked=True)
    assert fast.entities == marked.entities and fast.relations == marked.relations
    assert fast.sources == marked.sources


# Every character some notion of "space" or "line break" covers: YAML's own whitespace is
# only space and tab, its line breaks only LF and CR (and, in YAML 1.1, NEL, LS and PS);
# every other one here is an ordinary character to YAML, though Python's ``\s`` matches it.
SPACE_LIKE = sorted(
    {chr(code) for code in range(0x110000) if chr(code).isspace() or re.match(r"\s", chr(code))}
    | {"\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
)
SPACE_TEMPLATES = {
    "block": "- id: a\n  name: b c\n  aliases: [x, 'y']\n  sources:\n    - source: s\n      quote: q\n- id: d\n",
    "comments and blank lines": "# c\n\n- id: a  # c\n  name: \"b\"\n\n  n:\n    deep: 1\n- id: d\n",
    "anchors and merges": "- &r\n  id: a\n  v: &l [x]\n- <<: *r\n  id: b\n  w: *l\n",
}


def test_space_like_characters_cover_yaml_and_unicode() -> None:
    assert {"\t", " ", "\n", "\r", "\x85", "\xa0", "\u2028", "\u2029", "\u3000", "\ufeff"} <= set(SPACE_LIKE)


@pytest.mark.parametrize("template", SPACE_TEMPLATES.values(), ids=list(SPACE_TEMPLATES))
def test_every_space_like_character_in_every_position_reads_as_in_libyaml(template: str) -> None:
    for character in SPACE_LIKE:
        for at in range(len(template) + 1):
            assert_same_as_libyaml(template[:at] + character + template[at:])


def test_a_no_break_space_before_a_record_is_an_error_not_a_lost_record() -> None:
    text = "\u00a0- id: a\n  name: b\n- id: c\n"
    with pytest.raises(yaml.YAMLError):
        list(fast_reader.records(text) or [yaml_nodes.compose(text)])


def test_space_like_characters_in_the_benchmark_files_read_as_in_libyaml(tmp_path: Path) -> None:
    """Every style the benchmark's generator writes, with a character put at the start of a
    line, after its indent, after a dash and after a colon."""
    from benchmarks.generate import FILES, generate

    generate(tmp_path, entities=40, relations=60, seed=5)
    for name in FILES:
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines(keepends=True)[:30]
        for number, line in enumerate(lines):
            spots = {0, len(line) - len(line.lstrip(" ")), line.find("- ") + 2, line.find(": ") + 1}
            for at in sorted(spot for spot in spots if spot >= 0):
                for character in SPACE_LIKE[::4] + ["\xa0", "\u3000", "\t"]:
                    changed = line[:at] + character + line[at:]
                    assert_same_as_libyaml("".join(lines[:number] + [changed] + lines[number + 1:]))


# Every parse path is linear: libyaml is never asked to compose a byte more than a few times,
# however the records are written (counted, not timed).
ACTOR = "name: x\n  kind: state\n"
LINEAR_CASES = {
    "merges of the first record": f"- &a\n  id: r0\n  {ACTOR}" + "".join(
        f"- <<: *a\n  id: r{n}\n" for n in range(1, 2000)),
    "aliases to the record before": f"- id: r0\n  description: &d0 x\n  {ACTOR}" + "".join(
        f"- id: r{n}\n  description: &d{n} x\n  aliases: [*d{n - 1}]\n  {ACTOR}" for n in range(1, 2000)),
    "a style the fast reader declines": "".join(f"- {{id: r{n},\n   name: x, kind: state}}\n" for n in range(2000)),
    "a syntax error at the end": "".join(f"- {{id: r{n}, name: x, kind: state}}\n" for n in range(2000)) + "- {id: [\n",
    "an anchor defined again": "".join(f"- id: r{n}\n  aliases: &a [x]\n  {ACTOR}" for n in range(2000)),
}


@pytest.mark.parametrize("text", LINEAR_CASES.values(), ids=list(LINEAR_CASES))
def test_the_fast_reader_composes_each_byte_at_most_twice(text: str, composed: list[int]) -> None:
    try:
        list(fast_reader.records(text))
    except yaml.YAMLError:
        pass
    assert sum(composed) <= 2 * len(text)


@pytest.mark.parametrize("text", LINEAR_CASES.values(), ids=list(LINEAR_CASES))
def test_a_load_composes_each_byte_a_few_times_at_most(text: str, composed: list[int], tmp_path: Path) -> None:
    (tmp_path / "actors.yaml").write_text(text, encoding="utf-8")
    kg.validate(tmp_path, cache=False)
    assert 0 < sum(composed) <= 4 * len(text)


def test_merges_that_double_at_each_level_are_refused_at_once() -> None:
    text = "- &l0 {id: a}\n" + "".join(f"- &l{n}\n  <<: [*l{n - 1}, *l{n - 1}]\n" for n in range(1, 41))
    with pytest.raises(yaml_nodes.ExpansionError, match="expand to more than 400,000 values"):
        list(fast_reader.records(text))


def test_aliases_within_the_limit_are_read() -> None:
    text = "- {id: a, s: &s [{source: x, quote: y}]}\n" + "".join(f"- {{id: r{n}, s: *s}}\n" for n in range(3000))
    assert len(yaml_nodes.compose(text).items) == 3001
