"""The cache of loaded graphs: fast when nothing changed, never stale, never trusted blindly."""

from __future__ import annotations

import copy
import hmac
import os
import pickle
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg import columns
from kg.folder import cache
from kg.cli import app
from kg.folder import reading as reading_module
from kg.folder.finding import DATA_FILES
from kg.folder.keys import folder_key, read_contents, relation_cuts
from kg.folder.reading import read_files

DATA_NAMES = list(DATA_FILES)


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def reading_yaml_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the YAML was read again")

    monkeypatch.setattr(reading_module, "read_files", refuse)


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
    fresh = read_files(mini_copy, ["sources.yaml", "actors.yaml", "places.yaml", "events.yaml", "relations.yaml"],
                        marked=False)
    assert kg.load(mini_copy).entities == fresh.entities


# --------------------------------------------------------------------------- hostile and broken caches

ENTRY_HEADER = b"kg cache 5\n"  # what cache.write puts before the pickle; a keyed hash follows it


def signed(cache_folder: Path, name: str, value: object) -> bytes:
    """A cache file as kg writes it, for a value of the test's choosing, signed with the user's key."""
    secret = (cache_folder / f"key-{os.geteuid()}").read_bytes()
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return ENTRY_HEADER + payload + hmac.new(secret, name.encode("ascii") + b"\0" + payload, "sha256").digest()


def only_entry(cache_folder: Path) -> Path:
    (entry,) = cache_folder.glob("*.pickle")
    return entry


def parts(cache_folder: Path) -> list[Path]:
    """The parts the only entry lists: the sources and entities first, then blocks of relations."""
    texts, names = pickle.loads(only_entry(cache_folder).read_bytes()[len(ENTRY_HEADER):-32])
    return [cache_folder / f"{name}.part" for name in names]


def test_the_graph_is_parsed_from_the_bytes_that_were_hashed(mini_copy: Path, cache_folder: Path,
                                                            monkeypatch) -> None:
    relations = mini_copy / "relations.yaml"
    original = relations.read_text(encoding="utf-8")
    edited = original.replace("limited air support", "limited air support.")
    hash_files = cache.cache_key

    def edit_after_hashing(files):
        key = hash_files(files)
        relations.write_text(edited, encoding="utf-8")  # another program saves the file mid-load
        return key

    monkeypatch.setattr(cache, "cache_key", edit_after_hashing)
    kg.load(mini_copy)
    monkeypatch.setattr(cache, "cache_key", hash_files)
    relations.write_text(original, encoding="utf-8")  # and reverts it
    assert kg.load(mini_copy) == kg.load(mini_copy, cache=False)


@pytest.mark.parametrize("which", ["entry", "entities", "relations"])
def test_single_bit_flips_are_never_served(which: str, mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    path = {"entry": only_entry(cache_folder), "entities": parts(cache_folder)[0],
            "relations": parts(cache_folder)[-1]}[which]
    good = path.read_bytes()
    for n in range(100):
        flipped = bytearray(good)
        position = (n * 7919) % (len(good) * 8)
        flipped[position // 8] ^= 1 << (position % 8)
        path.write_bytes(bytes(flipped))
        path.chmod(0o600)
        with pytest.warns(cache.CacheWarning):
            assert kg.load(mini_copy) == expected
        path.write_bytes(good)


def test_a_part_forged_with_the_right_shape_is_refused(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    part = parts(cache_folder)[0]
    sources, entities = cache.read_entities(part.stem)
    forged = {**entities, "hts": entities["hts"]._replace(name="Forged Name")}
    part.write_bytes(ENTRY_HEADER + pickle.dumps((sources, forged)) + bytes(32))
    with pytest.warns(cache.CacheWarning, match="keyed hash does not match"):
        assert kg.load(mini_copy) == expected


def test_a_part_signed_under_another_name_is_refused(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    first, *blocks = parts(cache_folder)
    first.write_bytes(blocks[0].read_bytes())  # a genuine part of kg's, in the wrong place
    with pytest.warns(cache.CacheWarning, match="keyed hash does not match"):
        assert kg.load(mini_copy) == expected


def test_a_missing_part_is_read_again(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    parts(cache_folder)[-1].unlink()
    assert kg.load(mini_copy) == expected
    assert all(part.exists() for part in parts(cache_folder))


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_an_entry_owned_by_another_user_is_refused(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    os.chown(only_entry(cache_folder), 12345, 12345)
    with pytest.warns(cache.CacheWarning, match="owned by another user"):
        assert kg.load(mini_copy) == expected


def test_an_entry_others_may_write_is_refused(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    only_entry(cache_folder).chmod(0o666)
    with pytest.warns(cache.CacheWarning, match="writable by other users"):
        assert kg.load(mini_copy) == expected


def test_entries_and_key_are_private(mini_copy: Path, cache_folder: Path) -> None:
    kg.load(mini_copy)
    assert only_entry(cache_folder).stat().st_mode & 0o777 == 0o600
    assert (cache_folder / f"key-{os.geteuid()}").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("value", [("a", "b"), ("", ()), ("", ("x" * 40,) * 2, ()), [1, 2]],
                         ids=["not names", "no parts", "three items", "a list"])
def test_a_signed_entry_of_the_wrong_shape_is_refused(value, mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    entry = only_entry(cache_folder)
    entry.write_bytes(signed(cache_folder, entry.name, value))
    with pytest.warns(cache.CacheWarning, match="not a graph of kg records"):
        assert kg.load(mini_copy) == expected


@pytest.mark.parametrize("value", [({}, {}, ()), ({"x": 1}, {}), ("a", "b"), [1, 2]],
                         ids=["three items", "not records", "strings", "a list"])
@pytest.mark.parametrize("which", [0, -1], ids=["entities", "relations"])
def test_a_signed_part_of_the_wrong_shape_is_refused(value, which: int, mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    part = parts(cache_folder)[which]
    part.write_bytes(signed(cache_folder, part.name, value))
    with pytest.warns(cache.CacheWarning, match="not a graph of kg records"):
        assert kg.load(mini_copy) == expected


def test_an_empty_graph_is_never_served(mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy)
    first, *blocks = parts(cache_folder)
    for part, value in [(first, ({}, {})), *((block, ()) for block in blocks)]:
        part.write_bytes(signed(cache_folder, part.name, value))
    with pytest.warns(cache.CacheWarning):
        assert kg.load(mini_copy) == expected


@pytest.mark.parametrize("make", [
    lambda path: path.symlink_to(path.parent / "nowhere"),
    lambda path: path.mkdir(),
    lambda path: os.mkfifo(path),
    lambda path: path.symlink_to("/dev/zero"),
], ids=["dangling symlink", "folder", "fifo", "symlink to /dev/zero"])
def test_an_entry_that_is_not_a_file_is_skipped(make, mini_copy: Path, cache_folder: Path) -> None:
    expected = kg.load(mini_copy, cache=False)
    contents = read_contents(mini_copy, [name for name in DATA_NAMES if (mini_copy / name).exists()])
    key = folder_key(contents, relation_cuts(contents, mini_copy))
    cache_folder.mkdir()
    make(cache_folder / f"{key}.pickle")
    with pytest.warns(cache.CacheWarning, match="not a regular file"):
        assert kg.load(mini_copy) == expected


def test_a_bad_cache_does_not_make_kg_validate_fail(mini_copy: Path, cache_folder: Path) -> None:
    cache_folder.mkdir()
    for n in range(12):  # more than the cache keeps, none of them removable
        (cache_folder / f"{n:040x}.pickle").mkdir()
        (cache_folder / f"{n:040x}.pickle" / "x").write_text("")
    (cache_folder / f"{99:040x}.pickle").symlink_to(cache_folder / "nowhere")
    result = CliRunner().invoke(app, ["validate", str(mini_copy)])
    assert result.exit_code == 0, result.output


def test_no_home_folder_means_no_cache(mini_copy: Path, monkeypatch) -> None:
    for name in ("KG_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert cache.cache_dir() is None
    assert len(kg.load(mini_copy)) > 0


def test_a_new_or_changed_module_of_kg_changes_the_fingerprint(tmp_path: Path) -> None:
    import shutil

    package = tmp_path / "kg"
    shutil.copytree(Path(kg.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__", "data"))
    before = cache.code_fingerprint(package)
    (package / "new_reader.py").write_text('"""A reading module added by a refactor."""\n', encoding="utf-8")
    added = cache.code_fingerprint(package)
    (package / "dates.py").write_text((package / "dates.py").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert len({before, added, cache.code_fingerprint(package)}) == 3
    assert cache.code_fingerprint() == before  # the installed package, unchanged


def test_every_key_depends_on_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [("relations.yaml", b"[]")]
    today = cache.cache_key(files)
    monkeypatch.setattr(cache, "_installed_fingerprint", lambda: b"another version of kg")
    assert cache.cache_key(files) != today


# --------------------------------------------------------------------------- records made on first use


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The count of relations in each cached block made into records."""
    counts: list[int] = []
    to_records = cache.to_records

    def counting(block):
        counts.append(block[0])
        return to_records(block)

    monkeypatch.setattr(cache, "to_records", counting)
    return counts


def test_a_cached_load_makes_the_records_on_the_first_question(mini_copy: Path, cache_folder: Path,
                                                               made: list[int]) -> None:
    cold = kg.load(mini_copy)
    graph = kg.load(mini_copy)
    assert made == []
    assert (len(graph), graph.counts(), repr(graph)) == (len(cold), cold.counts(), repr(cold))
    assert made == []  # counting needs no records
    assert graph.relations() == cold.relations()
    assert sum(made) == len(cold)
    graph.relations(), graph.supports(), graph.as_of("2016")
    assert sum(made) == len(cold)  # made once


def at_once(ask, start: threading.Barrier):
    start.wait()
    return ask()


def test_threads_asking_at_once_get_the_same_records(mini_copy: Path, cache_folder: Path, made: list[int],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cold = kg.load(mini_copy)
    graph = kg.load(mini_copy)
    counting = cache.to_records

    def slow(block):
        time.sleep(0.2)  # long enough for the other thread to ask meanwhile
        return counting(block)

    monkeypatch.setattr(cache, "to_records", slow)
    block = columns.block_of(tuple(cold.relations()))
    held = columns.Columnar([block._replace(make=lambda: slow(columns.to_columns(tuple(cold.relations()))))])
    for ask in (graph.relations, held.records):
        with ThreadPoolExecutor(2) as pool:
            first, second = pool.map(at_once, [ask, ask], [threading.Barrier(2)] * 2)
        assert list(first) == list(second) == list(cold.relations())
        assert all(a is b for a, b in zip(first, second))
    assert sum(made) == 2 * len(cold)  # once for the graph, once for the blocks alone


def test_a_graph_pickles_and_copies_as_it_is(mini_copy: Path, cache_folder: Path) -> None:
    kg.load(mini_copy)
    cached, view = kg.load(mini_copy), kg.load(mini_copy).as_of("2024-11-30")
    for graph in (cached, view):
        again = pickle.loads(pickle.dumps(graph))
        assert again == graph and again.date == graph.date and list(again.relations()) == list(graph.relations())
        assert copy.deepcopy(graph) == graph and copy.copy(graph) is graph
    assert kg.load(mini_copy) == kg.load(mini_copy, cache=False)


def test_a_signed_part_whose_columns_do_not_read_back_fails_the_first_question(mini_copy: Path,
                                                                              cache_folder: Path) -> None:
    """Its keyed hash holds, so only kg could have written it: a bug, said plainly, never served."""
    kg.load(mini_copy)
    part = parts(cache_folder)[-1]
    head = pickle.loads(part.read_bytes()[len(ENTRY_HEADER):-32])
    part.write_bytes(signed(cache_folder, part.name, (*head[:4], pickle.dumps(("not", "columns")))))
    graph = kg.load(mini_copy)
    assert len(graph) == len(kg.load(mini_copy, cache=False))
    with pytest.raises(kg.KGError, match=rf"^the cache part {part.name} does not hold the relations kg wrote in it "
                                         r"\(\('not', 'columns'\)\); load with cache=False$"):
        graph.relations()


def test_a_cut_that_takes_blocks_of_the_last_cut_again_is_the_same_cut(monkeypatch) -> None:
    """Edits of every kind, anywhere (records added, at the end too, bytes deleted, a line that
    starts with '-', a changed id; with and without a header): the blocks found from the last
    cut's spans are those of a full cut."""
    monkeypatch.setattr(cache, "BLOCK", 4)
    rng = random.Random(3)

    def record(n: int) -> bytes:
        return f"- id: r{n}\n  note: {'x' * rng.randrange(0, 60)} {rng.random()}\n".encode()

    def cut(data: bytes, previous=()) -> list[tuple[bytes, int, bytes]]:
        return [(bytes(block.text), block.count, block.digest) for block in cache.blocks(data, previous)]

    for _ in range(400):
        old = (b"# header\n" if rng.random() < 0.3 else b"") + b"".join(record(n) for n in range(rng.randrange(80)))
        new = bytearray(old)
        for _ in range(rng.randrange(1, 4)):
            kind, at = rng.random(), rng.randrange(len(new) + 1)
            if kind < 0.1:
                new += record(998)  # after the last block, which ended with the file
            elif kind < 0.3:
                new[at:at] = record(999)
            elif kind < 0.6:
                del new[at:at + rng.randrange(200)]
            elif kind < 0.8:
                new[at:at] = rng.choice([b"\n-", b"z"])
            else:
                new = bytearray(bytes(new).replace(b"r1", b"R1", 1))
        previous = cache.spans(cache.blocks(old))
        assert cut(bytes(new), previous) == cut(bytes(new))
        assert cut(old, previous) == cut(old)
