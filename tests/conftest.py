"""Shared fixtures: the small valid dataset in ``fixtures/mini`` and a way to break it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

import kg
from benchmarks.curation import seeds_dir, with_texts

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def mini() -> kg.KnowledgeGraph:
    """The mini fixture, loaded once."""
    return kg.load(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture folder."""
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    return folder


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled data folder with the seed documents placed as its sources' texts
    (matched to their sources by content: the seed files' names say nothing of what they hold).
    Fails in CI when the seeds are absent (they are always there); elsewhere skips, saying
    where they were looked for."""
    seeds = seeds_dir()
    if not seeds.is_dir():
        message = f"seed documents not found at {seeds}; set KG_SEEDS to the folder that holds them"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return with_texts(seeds, tmp_path_factory.mktemp("seeded") / "data")


def all_citations(g: kg.KnowledgeGraph) -> list[kg.Citation]:
    """Every citation of a graph: of its entities, relations and their figures."""
    records = [*g.entities.values(), *g.relations()]
    return [citation for record in records
            for citation in (*record.sources, *(c for figure in record.figures for c in figure.sources))]


def problems_in(folder: Path) -> list[str]:
    """The problems of a folder as text, with file paths relative to it."""
    return [str(problem).replace(f"{folder}/", "") for problem in kg.validate(folder)]


def append(folder: Path, file: str, text: str) -> int:
    """Append ``text`` to a data file; returns how many lines the file had before."""
    path = folder / file
    before = len(path.read_text(encoding="utf-8").splitlines())
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
    return before


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Tests never touch the user's cache of loaded graphs."""
    folder = tmp_path_factory.mktemp("kg-cache")
    previous = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["KG_CACHE_DIR"]
    else:
        os.environ["KG_CACHE_DIR"] = previous


def errors(result) -> str:
    """A CLI result's stderr without the line that names the data ("data: bundled dataset")."""
    return "".join(line for line in result.stderr.splitlines(True) if not line.startswith("data: "))


@pytest.fixture
def composed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text handed to libyaml's composer: the slow path of a load."""
    lengths: list[int] = []
    original = yaml.compose

    def counting(text, Loader):
        lengths.append(len(text))
        return original(text, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", counting)
    return lengths
