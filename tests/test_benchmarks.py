"""Smoke tests of the benchmark suite (benchmarks/): it runs at a tiny size, prints every row,
and the data it generates validates. No timing is asserted: the numbers depend on the machine."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.generate import FILES, generate

ROOT = Path(__file__).resolve().parent.parent


def kg_validate(folder: Path) -> subprocess.CompletedProcess:
    """``kg validate FOLDER``, as a user runs it (with any load cache kept beside the folder)."""
    environment = {**os.environ, "KG_CACHE_DIR": str(folder.parent / f"{folder.name}-cache")}
    return subprocess.run([sys.executable, "-m", "kg", "validate", str(folder)], capture_output=True, text=True,
                          cwd=ROOT, env=environment, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The Markdown report of a tiny run, and the work folder it kept."""
    workdir = tmp_path_factory.mktemp("bench")
    out, err = io.StringIO(), io.StringIO()
    status = run.main(["--entities", "100", "--relations", "1000", "--runs", "1", "--pairs", "10",
                       "--budget", "3", "--workdir", str(workdir), "--keep"], out=out, err=err)
    assert status == 0, err.getvalue()
    return out.getvalue(), workdir


def test_run_prints_every_row(report: tuple[str, Path]) -> None:
    text, _ = report
    lines = text.splitlines()
    for key, (label, baseline) in run.ROWS.items():
        label = label.format(pairs=10)
        matching = [line for line in lines if line.startswith(f"| {label}") and baseline.replace("|", "\\|") in line]
        assert matching, f"no row for {key}"
    assert "error:" not in text
    assert "## custom: 100 entities, 1,000 relations" in text


def test_run_prints_the_machine_and_the_command(report: tuple[str, Path]) -> None:
    text, _ = report
    assert "- machine: " in text and "- versions: Python " in text and "PyYAML" in text
    assert ("- command: `python benchmarks/run.py --entities 100 --relations 1000 --runs 1 --seed 1 --pairs 10 "
            "--budget 3 --clock wall`") in text
    assert str(ROOT) not in text  # no path of this machine in a report meant for the docs


def test_run_generates_data_that_validates(report: tuple[str, Path]) -> None:
    _, workdir = report
    folder = workdir / "data-custom-seed1"
    assert sorted(path.name for path in folder.iterdir()) == sorted(FILES)
    done = kg_validate(folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 50 actors, 35 places, 15 events, 1000 relations")


def test_run_without_keep_leaves_nothing(tmp_path: Path) -> None:
    out = io.StringIO()
    run.main(["--entities", "20", "--relations", "60", "--runs", "1", "--pairs", "2", "--budget", "2",
              "--workdir", str(tmp_path), "--skip", "memory-peak", "memory-held", "supports-rdflib",
              "turtle-export"], out=out, err=io.StringIO())
    assert list(tmp_path.iterdir()) == []
    assert "| peak memory of a load, per relation (`kg.load`, fresh process) | skipped (--skip) |" in out.getvalue()


def test_answers_that_disagree_fail_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast path that gives other answers than its baseline is a failure, not a footnote."""
    import kg

    everything = kg.KnowledgeGraph.supports
    monkeypatch.setattr(kg.KnowledgeGraph, "supports", lambda graph, *a, **k: everything(graph, *a, **k)[1:])
    others = [key for key in run.ROWS if key != "supports-oxigraph"]
    out = io.StringIO()
    status = run.main(["--entities", "40", "--relations", "300", "--runs", "1", "--budget", "60",
                       "--workdir", str(tmp_path), "--skip", *others], out=out, err=io.StringIO())
    assert status == 1
    assert "| ⚠ supports answers differ (pyoxigraph SPARQL" in out.getvalue()


def test_questions_about_one_actor_that_disagree_with_every_answer_fail_the_run(tmp_path: Path, monkeypatch) -> None:
    import kg

    everything = kg.KnowledgeGraph.supports
    monkeypatch.setattr(kg.KnowledgeGraph, "supports", lambda graph, *a, **k: everything(graph, *a, **k)[1:])
    others = [key for key in run.ROWS if key not in ("first-support", "supporter-hub", "against-median")]
    out = io.StringIO()
    status = run.main(["--entities", "40", "--relations", "300", "--runs", "1", "--budget", "60",
                       "--workdir", str(tmp_path), "--skip", *others], out=out, err=io.StringIO())
    assert status == 1
    assert "| ⚠ supporter-hub answers | expected the " in out.getvalue()
    assert "| ⚠ against-median answers | expected the " in out.getvalue()
    assert "`first-support`: 300" not in out.getvalue() and "`first-support`: " in out.getvalue()


def test_kg_only_rows_time_kg_and_leave_the_baseline_out(tmp_path: Path) -> None:
    """At sizes where a baseline cannot finish, kg's side alone is timed (and counts for growth)."""
    out = io.StringIO()
    status = run.main(["--entities", "40", "--relations", "300", "--runs", "1", "--pairs", "3", "--budget", "60",
                       "--workdir", str(tmp_path), "--kg-only", "load", "turtle-export", "supports-rdflib",
                       "--skip", "to-rdf", "turtle-import-rdflib", "turtle-import-oxigraph", "supports-oxigraph",
                       "networkx", "paths", "memory-peak", "memory-held"], out=out, err=io.StringIO())
    assert status == 0
    rows = {line.split(" | ")[0]: line.split(" | ") for line in out.getvalue().splitlines() if line.startswith("| ")}
    for key in ("load", "turtle-export", "supports-rdflib"):
        label = run.ROWS[key][0]
        cells = next(cells for first, cells in rows.items() if first.startswith(f"| {label}"))
        assert cells[1].endswith("s") and cells[2:4] == ["", ""], cells  # kg's time; no baseline, no ratio
        assert cells[4].startswith("not run (--kg-only): "), cells
    assert "--kg-only load turtle-export supports-rdflib" in out.getvalue()


def test_run_refuses_a_workdir_inside_the_repository() -> None:
    with pytest.raises(SystemExit):
        run.parse_arguments(["--workdir", str(ROOT / "benchmarks" / "tmp")])


def test_generate_is_deterministic_and_varied(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", entities=60, relations=400, seed=5)
    generate(tmp_path / "b", entities=60, relations=400, seed=5)
    generate(tmp_path / "c", entities=60, relations=400, seed=6)
    assert first["relations"] == 400 and first["entities"] == 60
    same = [(tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes() for name in FILES]
    assert all(same)
    assert (tmp_path / "a" / "relations.yaml").read_bytes() != (tmp_path / "c" / "relations.yaml").read_bytes()
    text = (tmp_path / "a" / "relations.yaml").read_text(encoding="utf-8")
    for needle in ("status: claimed", "claimed_by:", "against:", "support:", "start:", "end:", "figures:", "’"):
        assert needle in text, needle
    assert kg_validate(tmp_path / "a").returncode == 0


def test_what_runs_before_each_of_kgs_runs_is_not_timed() -> None:
    """The reload rows save the edited file before the clock starts: the editor's work, not kg's."""
    calls: list[str] = []

    def busy() -> None:
        calls.append("before")
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass

    clock = run.Clock("cpu", None, lambda text: None)
    ours, base, kept = clock.compare("row", 2, lambda: calls.append("ours") or "answer",
                                     lambda: calls.append("base"), busy)
    assert calls == ["base", "before", "ours"] * 2
    assert kept == "answer" and len(ours.samples) == 2
    assert max(ours.samples) < 0.1
