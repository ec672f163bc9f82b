"""Reading files: regular files only, within a size limit the user can raise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kg
from kg.files import MAX_FILE_SIZE, max_file_size, read_regular_file


def test_a_file_over_the_limit_is_refused_and_the_limit_can_be_raised(mini_copy: Path, monkeypatch) -> None:
    size = (mini_copy / "relations.yaml").stat().st_size
    monkeypatch.setenv("KG_MAX_FILE_SIZE", str(size - 1))
    problems = [str(p).replace(f"{mini_copy}/", "") for p in kg.validate(mini_copy, cache=False)]
    assert problems == [f"relations.yaml: cannot be read: is larger than {size - 1:,} bytes, the most kg reads "
                        "(set KG_MAX_FILE_SIZE to raise it)"]
    monkeypatch.setenv("KG_MAX_FILE_SIZE", str(size))
    assert kg.validate(mini_copy, cache=False) == []


def test_the_limit_defaults_when_unset_or_not_a_number(monkeypatch) -> None:
    monkeypatch.delenv("KG_MAX_FILE_SIZE", raising=False)
    assert max_file_size() == MAX_FILE_SIZE
    monkeypatch.setenv("KG_MAX_FILE_SIZE", "lots")
    assert max_file_size() == MAX_FILE_SIZE
    monkeypatch.setenv("KG_MAX_FILE_SIZE", "10_000")
    assert max_file_size() == 10_000


@pytest.mark.parametrize("make, kind", [
    (lambda path: os.mkfifo(path), "a FIFO (named pipe)"),
    (lambda path: path.symlink_to("/dev/zero"), "a character device"),
])
def test_what_is_not_a_regular_file_is_refused_without_reading(make, kind: str, tmp_path: Path) -> None:
    path = tmp_path / "actors.yaml"
    make(path)
    with pytest.raises(OSError) as caught:
        read_regular_file(path)
    assert (caught.value.filename, caught.value.strerror) == (str(path), f"is {kind}, not a regular file")


def test_a_symlink_is_refused_when_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_regular_file(tmp_path / "link") == b"x"
    with pytest.raises(OSError, match="is a symbolic link"):
        read_regular_file(tmp_path / "link", follow=False)


def test_leftovers_of_killed_writers_are_removed(tmp_path: Path) -> None:
    from kg.files import write_atomically

    dead, alive = tmp_path / ".graph.ttl.4194303-0badf00d.tmp", tmp_path / f".graph.ttl.{os.getpid()}-0badf00d.tmp"
    dead.write_text("half")
    alive.write_text("being written")
    write_atomically(tmp_path / "graph.ttl", lambda out: out.write("whole"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "graph.ttl"]
