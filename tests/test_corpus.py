"""Hostile and broken input (tests/corpus): every case gives its exact message, exit code 1
and no traceback, in bounded time and memory; ``kg.load`` raises ``DataError``."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

import kg

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
MEMORY_LIMIT = 4 * 1024**3  # bytes of address space a validation may use
TIME_LIMIT = 300  # seconds


def large_file(folder: Path) -> list[str]:
    """About 50 MB of statements with long quotes; the last names an entity that does not exist."""
    quote = "The rebels advanced. " * 480
    records = [
        f"- id: r-{n}\n  type: fights\n  subject: hts\n  object: syrian-government\n"
        f"  sources:\n    - source: doc\n      quote: \"{quote}{n}\"\n"
        for n in range(5000)
    ]
    records.append("- type: fights\n  subject: hts\n  object: nobody\n  sources: [{source: doc, quote: q}]\n")
    text = "".join(records)
    (folder / "relations.yaml").write_text(text, encoding="utf-8")
    assert len(text) > 50_000_000
    line = text.count("\n") - 1  # the object line of the last record
    return [f"relations.yaml:{line}:11: object 'nobody' is not a known entity"]


def deep_nesting(folder: Path) -> list[str]:
    """100,000 nested lists, which would crash libyaml's recursive composer."""
    (folder / "actors.yaml").write_text("- id: x\n  aliases: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["actors.yaml:2:211: nesting deeper than 200 levels; kg data is only a few levels deep"]


def symlink_to_dev_zero(folder: Path) -> list[str]:
    """A data file that is a symlink to /dev/zero, which never ends."""
    (folder / "actors.yaml").unlink()
    (folder / "actors.yaml").symlink_to("/dev/zero")
    return ["actors.yaml: cannot be read: is a character device, not a regular file"]


def fifo(folder: Path) -> list[str]:
    """A data file that is a FIFO no one writes to: reading it would wait forever."""
    (folder / "actors.yaml").unlink()
    os.mkfifo(folder / "actors.yaml")
    return ["actors.yaml: cannot be read: is a FIFO (named pipe), not a regular file"]


GENERATED: dict[str, Callable[[Path], list[str]]] = {
    "large-file": large_file, "deep-nesting": deep_nesting, "symlink-to-dev-zero": symlink_to_dev_zero, "fifo": fifo}


def build(case: str, tmp_path: Path) -> tuple[Path, list[str]]:
    """The case's data folder (the base dataset with the case's files) and its expected problems."""
    folder = tmp_path / case
    shutil.copytree(CORPUS / "_base", folder)
    if case in GENERATED:
        return folder, GENERATED[case](folder)
    for path in (CORPUS / case).iterdir():
        if path.name != "expected.txt":
            shutil.copy(path, folder / path.name)
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return folder, [] if expected == ["ok"] else expected


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("case", CASES + list(GENERATED))
def test_kg_validate_reports_each_case_exactly(case: str, tmp_path: Path) -> None:
    folder, expected = build(case, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kg", "validate", str(folder)], capture_output=True, text=True,
        timeout=TIME_LIMIT, preexec_fn=limited, env={**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert "Traceback" not in result.stderr
    if not expected:
        assert (result.returncode, result.stderr) == (0, "")
        return
    reported = result.stderr.replace(f"{folder}/", "").replace(str(folder), ".").splitlines()
    assert result.returncode == 1
    assert reported == expected + ([f"{len(expected)} problems found"] if len(expected) > 1 else [])
    assert result.stdout == ""


@pytest.mark.parametrize("case", [c for c in CASES if c not in ("byte-order-mark",)])
def test_kg_load_raises_data_error_with_the_same_problems(case: str, tmp_path: Path) -> None:
    folder, expected = build(case, tmp_path)
    with pytest.raises(kg.DataError) as caught:
        kg.load(folder, cache=False)
    assert [str(p).replace(f"{folder}/", "").replace(str(folder), ".") for p in caught.value.problems] == expected


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    folder, _ = build("byte-order-mark", tmp_path)
    assert kg.load(folder, cache=False).resolve("hts").name == "Hayat Tahrir al-Sham"
