"""The cache of loaded graphs: fast when nothing changed, never stale, never trusted blindly."""

from __future__ import annotations

import importlib
import os
import pickle
from pathlib import Path

import pytest

import kg
from kg import cache
from kg.load import _read_files

load_module = importlib.import_module("kg.load")  # the module; kg.load is the function


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def reading_yaml_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the YAML was read again")

    monkeypatch.setattr(load_module, "_read_files", refuse)


def test_second_load_comes_from_the_cache(mini_copy: Path, cache_folder: Path, monkeypatch) -> None:
    first = kg.load(mini_copy)
    assert len(list(cache_folder.glob("*.pickle"))) == 1
    reading_yaml_fails(monkeypatch)
    assert kg.load(mini_copy) == first


def test_any_change_to_any_file_is_seen(mini_copy: Path, cache_folder: Path) -> None:
    kg.load(mini_copy)
    relations = mini_copy / "relations.yaml"
    relations.write_text(relations.read_text(encoding="utf-8").replace("limited air support", "limited air support."),
                         encoding="utf-8")
    changed = kg.load(mini_copy)
    assert changed.relations("backs", subject="russia")[0].sources[0].quote.endswith("support.")
    (mini_copy / "places.yaml").unlink()
    with pytest.raises(kg.DataError):
        kg.load(mini_copy)  # references to the removed places are now unknown


def test_invalid_data_is_never_cached(mini_copy: Path, cache_folder: Path) -> None:
    with open(mini_copy / "actors.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: x\n  name: X\n  kind: nonsense\n")
    with pytest.raises(kg.DataError):
        kg.load(mini_copy)
    assert not list(cache_folder.glob("*.pickle"))


def test_cache_false_reads_the_yaml(mini_copy: Path, cache_folder: Path, monkeypatch) -> None:
    kg.load(mini_copy)
    reading_yaml_fails(monkeypatch)
    with pytest.raises(AssertionError, match="the YAML was read again"):
        kg.load(mini_copy, cache=False)


def test_a_corrupt_entry_is_ignored(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    (entry,) = cache_folder.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert kg.load(mini_copy) == expected


def test_an_entry_with_foreign_classes_is_refused(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    (entry,) = cache_folder.glob("*.pickle")

    class Exploit:
        def __reduce__(self):
            return (os.system, ("echo pwned > " + str(cache_folder / "pwned"),))

    entry.write_bytes(pickle.dumps(Exploit()))
    assert kg.load(mini_copy) == expected
    assert not (cache_folder / "pwned").exists()


def test_an_unwritable_cache_does_not_stop_a_load(mini_copy: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "cache"))
    assert len(kg.load(mini_copy)) > 0


def test_the_cache_keeps_the_newest_entries(mini_copy: Path, cache_folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    for round_ in range(4):
        with open(mini_copy / "sources.yaml", "a", encoding="utf-8") as handle:
            handle.write(f"# edit {round_}\n")
        kg.load(mini_copy)
    assert len(list(cache_folder.glob("*.pickle"))) == 2


def test_keys_depend_on_names_and_bytes() -> None:
    base = cache.cache_key([("actors.yaml", b"x")])
    assert base != cache.cache_key([("actors.yaml", b"y")])
    assert base != cache.cache_key([("places.yaml", b"x")])
    assert cache.cache_key([("a", b"bc")]) != cache.cache_key([("ab", b"c")])


def test_cached_and_fresh_loads_agree_on_the_bundled_data(cache_folder: Path) -> None:
    assert kg.load() == kg.load() == kg.load(cache=False)


def test_the_readers_agree_with_the_cache(mini_copy: Path, cache_folder: Path) -> None:
    fresh = _read_files(mini_copy, ["sources.yaml", "actors.yaml", "places.yaml", "events.yaml", "relations.yaml"],
                        marked=False)
    assert kg.load(mini_copy).entities == fresh.entities
