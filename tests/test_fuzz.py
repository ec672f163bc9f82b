"""Random damage to a valid dataset: kg either loads it or raises DataError, never anything
else, and every problem points into the data folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from tests.conftest import MINI

FILES = sorted(path.name for path in MINI.glob("*.yaml"))
ORIGINAL = {name: (MINI / name).read_bytes() for name in FILES}
SIGNIFICANT = list(":-[]{}&*!|>'\"#%@`,?~\t\n\r ") + [
    "\x00", "\x07", "\ufeff", "\u2028", "é", "😀", "<<: *a", "&a ", "!!python/object:os.system ", "- ", "  ",
    "NO", "007", "2016-02-30",
]


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """One of the mini dataset's files with a few random edits."""
    name = draw(st.sampled_from(FILES))
    data = bytearray(ORIGINAL[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "byte", "duplicate-line"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(SIGNIFICANT) | st.text(max_size=8)).encode("utf-8")
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "replace" and at < len(data):
            data[at] = draw(st.sampled_from(list(b" -:#\"'[]{}\t\n0aZ")))
        elif action == "truncate":
            del data[at:]
        elif action == "byte":
            data[at:at] = bytes([draw(st.integers(0x80, 0xFF))])
        else:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
    return name, bytes(data)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_data_loads_or_raises_data_error(damage: tuple[str, bytes]) -> None:
    name, data = damage
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "data"
        shutil.copytree(MINI, folder)
        (folder / name).write_bytes(data)
        try:
            graph = kg.load(folder, cache=False)
        except kg.DataError as err:
            assert err.problems
            assert all(str(problem.file).startswith(str(folder)) for problem in err.problems)
            assert all(problem.line >= 0 and problem.column >= 0 for problem in err.problems)
        else:
            assert isinstance(graph, kg.KnowledgeGraph)
