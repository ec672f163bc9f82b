"""After a change to relations.yaml, a load reads again only the blocks of relations whose
text changed, and gives exactly the graph and the problems a cold load gives."""

from __future__ import annotations

import functools
import hashlib
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any, Callable

import pytest

import kg
from benchmarks.generate import generate
from kg.folder import cache
from kg.folder import fast as fast_reader


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reload") / "data"
    generate(folder, entities=80, relations=600, seed=9)
    return folder


@pytest.fixture
def data(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the generated data, loaded once with a cache of its own, in blocks of 4
    records on average (of 512 in use: the data is small)."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "BLOCK", 4)
    folder = tmp_path / "data"
    shutil.copytree(generated, folder)
    kg.load(folder)
    return folder


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text the fast reader is given."""
    lengths: list[int] = []
    for name in ("records", "located_records"):  # a reload's and a load's ways in
        monkeypatch.setattr(fast_reader, name, functools.partial(_counting, getattr(fast_reader, name), lengths))
    return lengths


def _counting(original: Callable, lengths: list[int], text: str) -> Any:
    lengths.append(len(text))
    return original(text)


def records(folder: Path) -> list[str]:
    return fast_reader.record_texts((folder / "relations.yaml").read_text(encoding="utf-8"))


def rewrite(folder: Path, texts: list[str]) -> None:
    (folder / "relations.yaml").write_text("".join(texts), encoding="utf-8")


def edited(texts: list[str]) -> list[str]:
    middle = len(texts) // 2
    texts[middle] = texts[middle].replace("\n  sources:", "\n  note: edited in the middle\n  sources:", 1)
    return texts


def added(text: str, name: str) -> str:
    """Another relation like ``text``: the same statement with an id of its own."""
    return f"- id: {name}\n  " + text[2:]


EDITS = {
    "edit": edited,
    "add": lambda texts: texts[:300] + [added(texts[5], "added-1")] + texts[300:],
    "delete": lambda texts: texts[:300] + texts[303:],
    "edit, add and delete": lambda texts: edited(texts[:200] + texts[201:])[:400]
    + [added(texts[7], "added-2")] + texts[401:],
    "move": lambda texts: texts[:100] + texts[101:450] + [texts[100]] + texts[450:],
}


@pytest.mark.parametrize("change", EDITS.values(), ids=list(EDITS))
def test_a_reload_reads_only_what_changed_and_equals_a_cold_load(data: Path, change, read: list[int]) -> None:
    before = records(data)
    rewrite(data, change(list(before)))
    size = (data / "relations.yaml").stat().st_size
    graph = kg.load(data)
    assert sum(read) < size / 10  # sources.yaml and the changed blocks (the first lost its comment), of ~150
    assert graph == kg.load(data, cache=False)
    assert list(graph.relations()) == list(kg.load(data, cache=False).relations())  # in the same order
    rewrite(data, before)
    assert kg.load(data) == kg.load(data, cache=False)  # and back


PROBLEMS = {
    "an unknown entity": lambda text: text.replace("\n  object: ", "\n  object: nobody-at-all\n  x: ", 1),
    "the same statement twice": lambda text: text + text,
    "a syntax error": lambda text: text.replace("\n  sources:", "\n  note: 'unclosed\n  sources:", 1),
}


@pytest.mark.parametrize("damage", PROBLEMS.values(), ids=list(PROBLEMS))
def test_a_reload_reports_the_problems_a_cold_load_reports(data: Path, damage) -> None:
    texts = records(data)
    texts[250] = damage(texts[250])
    rewrite(data, texts)
    problems = kg.validate(data)
    assert problems and problems == kg.validate(data, cache=False)


def test_a_change_to_another_file_is_read_in_full(data: Path, read: list[int]) -> None:
    places = data / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("\n  name: ", "\n  name: X", 1), encoding="utf-8")
    graph = kg.load(data)
    assert sum(read) > (data / "relations.yaml").stat().st_size
    assert graph == kg.load(data, cache=False)


def reversed_part_of(texts: list[str]) -> str:
    """A part-of statement the other way round from the file's first one: a cycle."""
    text = next(text for text in texts if "type: part-of" in text)
    subject, object_ = (text.split(f"\n  {name}: ")[1].split("\n")[0] for name in ("subject", "object"))
    return text.replace(f"subject: {subject}\n", "subject: @\n").replace(
        f"object: {object_}\n", f"object: {subject}\n").replace("subject: @\n", f"subject: {object_}\n")


ACROSS = {
    "the same statement in two blocks": lambda texts: texts[:500] + [texts[10]] + texts[500:],
    "a part-of cycle through two blocks": lambda texts: texts[:500] + [reversed_part_of(texts)] + texts[500:],
}


@pytest.mark.parametrize("damage", ACROSS.values(), ids=list(ACROSS))
def test_a_reload_finds_the_problems_between_a_cached_and_a_changed_block(data: Path, damage) -> None:
    rewrite(data, damage(records(data)))
    problems = kg.validate(data)
    assert problems and problems == kg.validate(data, cache=False)


def part_files(data: Path) -> dict[str, int]:
    """The cache's parts, by name, with their inode (a part written again gets a new one)."""
    return {path.name: path.stat().st_ino for path in (data.parent / "cache").glob("*.part")}


def test_validate_reads_and_caches_again_only_the_changed_block(data: Path, read: list[int]) -> None:
    texts = records(data)
    rewrite(data, texts)  # without the file's first comment
    kg.load(data)
    before, read[:] = part_files(data), []
    rewrite(data, edited(texts))
    assert kg.validate(data) == []
    assert sum(read) < (data / "relations.yaml").stat().st_size / 20
    after = part_files(data)
    assert len(after.keys() - before.keys()) <= 2  # the edited block (two if the edit moved a cut)
    assert all(after[name] == inode for name, inode in before.items() if name in after)  # the rest not rewritten


def test_parts_that_no_kept_entry_lists_are_removed(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 1)
    texts = records(data)
    original = texts[100]
    for note in ("first", "second"):
        texts[100] = original.replace("\n  sources:", f"\n  note: {note}\n  sources:", 1)
        rewrite(data, texts)
        kg.load(data)
    (entry,) = (data.parent / "cache").glob("*.pickle")
    listed = pickle.loads(entry.read_bytes()[len(b"kg cache 5\n"):-32])[1]
    assert part_files(data).keys() == {f"{name}.part" for name in listed}


def test_a_text_placed_later_anchors_the_quotes_of_entities_too(mini_copy: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached sources and entities are kept by the source texts too: the same YAML with a
    text file now present gives anchored quotes, as a load without the cache does."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    with open(mini_copy / "actors.yaml", "a", encoding="utf-8") as out:
        out.write("- id: extra\n  name: Extra\n  kind: armed-group\n  sources:\n    - source: cg\n"
                  "      quote: \"Russia, which has given only limited air support\"\n")
    sources = (mini_copy / "sources.yaml").read_text(encoding="utf-8")
    (mini_copy / "sources.yaml").write_text(sources.replace("- id: cg\n", "- id: cg\n  text: cg.txt\n", 1),
                                            encoding="utf-8")
    before = kg.load(mini_copy)  # cg.txt is absent: nothing to anchor the quotes in
    assert before.entities["extra"].sources[0].start is None
    quotes = {c.quote for r in before.relations() for c in r.sources if c.source == "cg"}
    (mini_copy / "cg.txt").write_text("\n".join(sorted(quotes | {"Russia, which has given only limited air support"})),
                                      encoding="utf-8")
    after = kg.load(mini_copy)
    assert after == kg.load(mini_copy, cache=False)
    assert after.entities["extra"].sources[0].start is not None


def test_a_reload_makes_no_records_of_the_unchanged_blocks_until_asked(data: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    to_records = cache.to_records
    monkeypatch.setattr(cache, "to_records", lambda block: made.append(block[0]) or to_records(block))
    rewrite(data, edited(records(data)))
    assert kg.validate(data) == []
    graph = kg.load(data)
    cold = kg.load(data, cache=False)
    assert made == [] and (len(graph), graph.counts()) == (len(cold), cold.counts())
    assert list(graph.relations()) == list(cold.relations())
    assert sum(made) == len(cold)  # validate cached the changed block: the load takes every block from the cache


class _CountingHashes:
    """``hashlib`` as kg's cache sees it, counting the bytes given to SHA-256."""

    def __init__(self, hashed: list[int]):
        self.hashed = hashed

    def __getattr__(self, name: str) -> Any:
        return getattr(hashlib, name)

    def sha256(self, data: bytes = b"") -> Any:
        hashed, digest = self.hashed, hashlib.sha256(data)
        hashed.append(len(data))

        class Counted:
            def update(self, more: bytes) -> None:
                hashed.append(len(more))
                digest.update(more)

            def digest(self) -> bytes:
                return digest.digest()

            def hexdigest(self) -> str:
                return digest.hexdigest()

        return Counted()


def test_a_reload_hashes_relations_yaml_once(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder's key and the blocks' names come from one hash of each block, made as it is cut."""
    hashed: list[int] = []
    monkeypatch.setattr(cache, "hashlib", _CountingHashes(hashed))
    rewrite(data, edited(records(data)))
    graph = kg.load(data)
    size = sum(path.stat().st_size for path in data.iterdir())
    assert size <= sum(hashed) < size + (data / "relations.yaml").stat().st_size // 4
    assert graph == kg.load(data, cache=False)


class _CountingChecksums:
    """``zlib`` as kg's cache sees it, counting the checksums that decide where blocks end."""

    def __init__(self, checked: list[int]):
        self.checked = checked

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    def crc32(self, data: bytes, value: int = 0) -> int:
        self.checked.append(len(data))
        return zlib.crc32(data, value)


def test_a_reload_searches_for_cuts_only_around_the_change(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks of the last cut whose bytes are unchanged are taken again, not searched."""
    checked: list[int] = []
    monkeypatch.setattr(cache, "zlib", _CountingChecksums(checked))
    texts = edited(records(data))
    rewrite(data, texts)
    graph = kg.load(data)
    assert 0 < len(checked) < len(texts) // 10
    assert graph == kg.load(data, cache=False)
    assert kg.validate(data) == kg.validate(data, cache=False) == []
