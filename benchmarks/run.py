"""Measure kg's speed as ratios against baselines measured in the same process and run.

For each requested size it generates a synthetic dataset (``benchmarks/generate.py``) in a
work folder outside the repository, or reads ``--data DIR``, and times each benchmark
``--runs`` times, kg and its baseline alternately, reporting medians. The ratio is kg's
time over the baseline's: above 1, kg is slower than the baseline. Everything is printed
as Markdown on stdout (progress goes to stderr), headed by the machine, the library
versions and the command line that reproduces the run.

The garbage collector stays on for every measurement, kg's and the baselines' alike: kg
pauses it only where kg itself does, and the baselines run as a user would run them. The
harness itself only calls ``gc.collect()`` between measurements.

Usage::

    python benchmarks/run.py                        # size S, 3 runs
    python benchmarks/run.py --size S L --runs 5
    python benchmarks/run.py --entities 200 --relations 2000 --runs 1
    python benchmarks/run.py --data path/to/folder  # an existing data folder

See ``benchmarks/README.md`` for what each row measures.
"""

from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import importlib.metadata
import inspect
import itertools
import json
import os
import pickle
import platform
import random
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, TextIO

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "kg").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks.generate import FILES, SIZES, STYLES, generate, restyle, size_arguments  # noqa: E402

__all__ = ["ROWS", "main"]

#: The benchmarks, in the order of the table: key (for --skip), label, what the baseline is.
ROWS = {
    "load": ("load: parse, validate, index (`kg.load`, no cache)",
             "plain parse: `yaml.load(f, Loader=yaml.CSafeLoader)` of each file"),
    "cached-load": ("cached load of unchanged data (`kg.load` again)", "the same plain parse"),
    "cached-first": ("cached load, then a first question: `kg.load` again, then `len(g.relations())` (the records "
                     "are made then)", "the same plain parse"),
    "reload": ("reload after one relation in the middle of relations.yaml changed (`kg.load`, the last load "
               "cached; the edited file saved before the clock starts)",
               "a cold load of the same files (`kg.load`, no cache)"),
    "reload-validate": ("`kg.validate` after one relation in the middle of relations.yaml changed (the last load "
                        "cached; the edited file saved before the clock starts)",
                        "a cold `kg.validate` of the same files (no cache)"),
    **{f"load-{style}": (f"load of the same records written in {about} (`kg.load`, no cache)",
                         "plain parse of those files: `yaml.load(f, Loader=yaml.CSafeLoader)`")
       for style, about in (("pyyaml", "PyYAML's default `yaml.dump` style"),
                            ("ruamel", "ruamel.yaml's round-trip dump"),
                            ("flow", "flow style, one `{{...}}` a record"),
                            ("mixed", "a hand-written mix (comments, blank lines, CRLF, quoted keys, block scalars)"))},
    "networkx": ("`g.to_networkx()`", "bare networkx: `MultiDiGraph` with the same nodes and edge keys, no attributes"),
    "to-rdf": ("`to_rdf(g)` (an rdflib Graph)", "rdflib alone: `Graph.addN` of the same triples, already rdflib terms"),
    "turtle-export": ("Turtle export: kg's streaming writer (`kg.rdf.serialize(g, \"turtle\")`)",
                      "rdflib's Turtle serializer on the same graph: `to_rdf(g).serialize(format=\"turtle\")`"),
    "turtle-import-rdflib": ("Turtle import: `from_rdf(path)` of kg's export",
                             "rdflib's parser: `rdflib.Graph().parse(path, format=\"turtle\")`"),
    "turtle-import-oxigraph": ("Turtle import: `from_rdf(path)` of kg's export",
                               "pyoxigraph: `Store().load(path=path, format=RdfFormat.TURTLE)`"),
    "supports-rdflib": ("`g.supports()` over everything", "the same question in SPARQL, in rdflib"),
    "supports-oxigraph": ("`g.supports()` over everything", "the same question in SPARQL, in pyoxigraph"),
    "push": ("`g.push(url)` to an Oxigraph server started for the run: graph, ontology, support answers",
             "the embedded on-disk store: `kg.rdf.Store.create(folder, g)` (graph and ontology)"),
    "remote-supports": ("`kg.remote(url).supports(against=Z)` on that server, a fresh remote graph each run",
                        "the same question in memory: `g.supports(against=Z)`"),
    "paths": ("paths between {pairs} seeded random pairs, warm: `g.paths(a, b, max_length=3, limit=1)`",
              "networkx `shortest_path` on `g.to_networkx()` projected to an undirected simple graph"),
    "paths-cold": ("the same paths on a fresh graph object: the first calls, kg's adjacency built on the way",
                   "building that undirected projection: `g.to_networkx()`, then a simple `networkx.Graph`"),
    "first-support": ("first answer of `g.iter_supports()` (a generator)",
                      "every answer: `for answer in g.iter_supports()`"),
    "support-memory": ("peak traced memory (tracemalloc) while iterating every answer of `g.iter_supports()`",
                       "the same while iterating the first hundredth of them"),
    **{f"{role}-{which}": (f"`g.supports({role}=X)`, X {about} actor", "every answer, iterated (the same run)")
       for role in ("supporter", "against") for which, about in (("median", "a median"), ("hub", "the hub"))},
    "memory-peak": ("peak memory of a load, per relation (`kg.load`, fresh process)",
                    "peak memory of the plain parse, per relation (fresh process)"),
    "memory-held": ("memory held after a load, per relation (the graph alive)",
                    "memory held by the plain parse's result, per relation"),
    "cli": ("the command line on the bundled data, cached: the slowest of `kg show Türkiye`, `kg supports --against "
            "HTS`, `kg path HTS Russia`, `kg relations --type backs` (CPU time of the process, at least 5 runs)",
            "`python -c \"import typer\"` (CPU time of the process, as many runs)"),
}

#: The questions of the ``cli`` row, each asked as ``python -m kg ...`` in a fresh process.
CLI_QUESTIONS = (("show", "Türkiye"), ("supports", "--against", "HTS"), ("path", "HTS", "Russia"),
                 ("relations", "--type", "backs"))

_NA_RDF = "n/a: kg.rdf not available"
_NA_OXIGRAPH = "n/a: pyoxigraph not installed"


class OverBudget(BaseException):
    """A measurement ran past --budget. A BaseException, so that no ``except Exception`` swallows it."""


# --------------------------------------------------------------------------- measuring


def _read_until(descriptor: int, deadline: float) -> bytes | None:
    """Everything a pipe carries until its writer closes it, or None at the deadline."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([descriptor], [], [], left)[0]:
            return None
        chunk = os.read(descriptor, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


@dataclass
class Timing:
    """The samples of one side of a row (seconds, or bytes per relation for memory rows)."""

    samples: list[float] = field(default_factory=list)
    over: bool = False  # a run went past the budget; no further runs were made
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples and not self.over else None


@dataclass
class Row:
    key: str
    label: str
    baseline: str
    ours: Timing | None = None
    base: Timing | None = None
    note: str | None = None  # replaces the numbers: n/a, or an error
    unit: str = "s"
    warning: bool = False  # a row that reports a disagreement rather than times


class Clock:
    """Times calls with the chosen clock, a budget per call, and a collection before each."""

    def __init__(self, kind: str, budget: float | None, log: Callable[[str], None]):
        self.kind = kind
        self.budget = budget if budget and hasattr(signal, "setitimer") else None
        self.log = log

    @contextmanager
    def limit(self) -> Iterator[None]:
        if self.budget is None:
            yield
            return

        def expire(signum: int, frame: Any) -> None:
            raise OverBudget()

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, self.budget)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def once(self, function: Callable[[], Any]) -> tuple[float, Any]:
        gc.collect()
        with self.limit():
            return self.measure(function)

    def measure(self, function: Callable[[], Any]) -> tuple[float, Any]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return (wall if self.kind == "wall" else cpu), result

    def once_apart(self, function: Callable[[], Any], keep: Callable[[Any], Any]) -> tuple[float, Any]:
        """``once`` in a forked child, for native code that no signal interrupts (pyoxigraph's
        query engine): the child is killed at the budget. ``keep`` turns the result into what
        the parent gets back (it must pickle); it runs after the clock stops."""
        if self.budget is None or not hasattr(os, "fork"):
            seconds, result = self.once(function)
            return seconds, keep(result)
        gc.collect()
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            try:
                seconds, result = self.measure(function)
                payload = pickle.dumps((seconds, keep(result), None))
            except BaseException as err:  # noqa: BLE001 - sent to the parent, which reports it
                payload = pickle.dumps((0.0, None, f"{type(err).__name__}: {err}"))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            os._exit(0)
        os.close(write_end)
        payload = None
        try:
            payload = _read_until(read_end, time.monotonic() + self.budget)
        finally:
            os.close(read_end)
            if payload is None:
                os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
        if payload is None:
            raise OverBudget()
        seconds, result, error = pickle.loads(payload)
        if error is not None:
            raise RuntimeError(error)
        return seconds, result

    def compare(self, name: str, runs: int, ours: Callable[[], Any] | None,
                base: Callable[[], Any] | None,
                before: Callable[[], Any] | None = None) -> tuple[Timing, Timing, Any]:
        """Time ``base`` then ``ours`` in each run; returns both timings and ours' last result.

        The baseline runs first, and only kg's result of the last run is kept, so that no
        measurement runs with the other side's result of the same run still in memory.
        ``before``, when given, runs before each of ours' runs, outside the clock (what the
        user does before asking kg, such as saving an edited file).
        """
        timings = (Timing(), Timing())
        kept = None
        for run in range(runs):
            for side, function in ((1, base), (0, ours)):
                timing = timings[side]
                if function is None or timing.over or timing.error:
                    continue
                kept = None if side == 0 else kept
                if side == 0 and before is not None:
                    before()
                try:
                    seconds, result = self.once(function)
                except OverBudget:
                    timing.over = True
                    self.log(f"  {name}: {'kg' if side == 0 else 'baseline'} went past the budget of {self.budget:g} s")
                    continue
                except Exception as err:  # noqa: BLE001 - reported in the table, the other rows go on
                    timing.error = f"{type(err).__name__}: {err}".splitlines()[0][:300]
                    self.log(f"  {name}: {'kg' if side == 0 else 'baseline'} failed: {timing.error}")
                    continue
                timing.samples.append(seconds)
                if side == 0 and run == runs - 1:
                    kept = result
                del result
                self.log(f"  {name}: run {run + 1}/{runs} {'kg' if side == 0 else 'baseline'} {_time(seconds)}")
        return timings[0], timings[1], kept


# --------------------------------------------------------------------------- kg's options


@dataclass
class CacheControl:
    """How to ask kg.load for an uncached and a cached load, as far as kg says it has a cache.

    A ``cache`` keyword turns the cache off (``False``) or on; a documented folder variable
    (``KG_CACHE_DIR``) points the cache at the work folder, so the benchmark neither reads nor
    fills the user's own cache: an empty folder for each uncached load, one warmed folder for
    the cached load.
    """

    description: str
    keyword: str | None = None
    keyword_takes_path: bool = False
    variable: str | None = None
    folder: Path | None = None  # the warmed cache folder of the cached load

    @property
    def available(self) -> bool:
        return self.keyword is not None or self.variable is not None

    def prepare(self, workdir: Path) -> None:
        self.folder = workdir / "kg-cache"
        self.folder.mkdir(exist_ok=True)

    def uncached(self, load: Callable, folder: Path, workdir: Path) -> Any:
        keywords, environment = self.probe_arguments(workdir)
        with _environment(environment):
            return load(folder, **keywords)

    def cached(self, load: Callable, folder: Path) -> Any:
        assert self.folder is not None
        keywords = {}
        if self.keyword is not None:
            keywords[self.keyword] = str(self.folder) if self.keyword_takes_path else True
        with _environment({self.variable: str(self.folder)} if self.variable else {}):
            return load(folder, **keywords)

    def probe_arguments(self, workdir: Path) -> tuple[dict[str, Any], dict[str, str]]:
        """Keyword arguments and environment for an uncached load."""
        keywords = {self.keyword: False} if self.keyword is not None else {}
        environment = {}
        if self.variable is not None:
            environment[self.variable] = tempfile.mkdtemp(prefix="empty-cache-", dir=workdir)
        return keywords, environment


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def detect_cache(kg: Any) -> CacheControl:
    """Whether kg.load has a content-hash cache: a ``cache`` keyword, and a documented KG_*CACHE* variable."""
    load = kg.load
    modules = [sys.modules.get(name) for name in ("kg.folder.loading", "kg.folder.cache")]
    docs = " ".join(filter(None, [load.__doc__, kg.__doc__, *(getattr(m, "__doc__", None) for m in modules)]))
    variables = sorted(set(re.findall(r"\bKG_[A-Z0-9_]*CACHE[A-Z0-9_]*\b", docs)))
    variable = next((name for name in variables if name.endswith(("_DIR", "_PATH", "_HOME"))), None)
    where = f"; its folder set with `{variable}` to the work folder" if variable else ""
    parameters = inspect.signature(load).parameters
    for name in ("cache", "use_cache", "cache_dir"):
        if name in parameters:
            annotation = str(parameters[name].annotation)
            takes_path = name == "cache_dir" or "Path" in annotation or "str" in annotation
            return CacheControl(f"`kg.load(..., {name}=...)`: uncached with `{name}=False`, cached with "
                                f"`{name}={'a folder' if takes_path else 'True'}`{where}", name, takes_path, variable)
    if variable:
        return CacheControl(f"environment variable `{variable}`: an empty folder for the uncached load, "
                            f"a warmed one for the cached load", variable=variable)
    return CacheControl("none: `kg.load` has no `cache` keyword and documents no KG_*CACHE* variable")


def gc_pauses_in_kg() -> list[str]:
    """kg's modules that pause or freeze the garbage collector themselves (directly, or
    through kg's ``collector_paused``)."""
    package = ROOT / "kg"
    try:
        import kg

        package = Path(kg.__file__).parent
    except ImportError:
        pass
    found = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"\bgc\.(disable|freeze)\(|\bwith collector_paused\(\)", text):
            found.append(path.relative_to(package.parent).as_posix())
    return found


# --------------------------------------------------------------------------- one dataset


class Suite:
    """The benchmarks of one dataset; objects several rows share are built on first use."""

    def __init__(self, args: argparse.Namespace, label: str, folder: Path, workdir: Path, clock: Clock,
                 cache: CacheControl, log: Callable[[str], None]):
        self.args = args
        self.label = label
        self.folder = folder
        self.workdir = workdir
        self.clock = clock
        self.cache = cache
        self.log = log
        self.rows: dict[str, Row] = {
            key: Row(key, label.format(pairs=args.pairs),
                     f"not run (--kg-only): {baseline}" if key in args.kg_only else baseline)
            for key, (label, baseline) in ROWS.items()}
        self.warnings: list[Row] = []
        self.checks: list[str] = []  # answers checked and found to agree
        self.relations = 0
        self.graph: Any = None
        self._rdf: Any = None
        self._turtle: Path | None = None

    # -- shared objects

    def rdf(self) -> Any:
        if self._rdf is None:
            import kg.rdf

            self._rdf = kg.rdf.to_rdf(self.graph)
        return self._rdf

    def turtle(self) -> Path:
        if self._turtle is None:
            import kg.rdf

            self._turtle = kg.rdf.write(self.graph, self.workdir / f"export-{self.args.seed}.ttl")
        return self._turtle

    def warn(self, label: str, text: str) -> None:
        self.warnings.append(Row("warning", f"⚠ {label}", "", note=text, warning=True))
        self.log(f"  warning: {label}: {text}")

    def problems(self) -> int:
        """Answers that disagree, and measurements that failed (not those stopped at the budget)."""
        failed = [row for row in self.rows.values()
                  if any(timing is not None and timing.error for timing in (row.ours, row.base))
                  or ((row.note or "").startswith("error:") and not (row.ours and row.ours.over))]
        return len(self.warnings) + len(failed)

    def skipped(self, key: str) -> bool:
        if key in self.args.skip:
            self.rows[key].note = "skipped (--skip)"
            return True
        return False

    def measures_baseline(self, key: str) -> bool:
        """Whether the row's baseline runs: not when ``--kg-only`` names the row."""
        return key not in self.args.kg_only

    def compare(self, key: str, ours: Callable[[], Any] | None, base: Callable[[], Any] | None,
                before: Callable[[], Any] | None = None) -> Any:
        self.log(f"[{self.name}] {key}")
        row = self.rows[key]
        wanted = base if self.measures_baseline(key) else None
        row.ours, row.base, kept = self.clock.compare(key, self.args.runs, ours, wanted, before)
        if wanted is None:
            row.base = None
        return kept

    # -- the rows

    def run(self, name: str) -> None:
        self.name = name
        import kg

        self.kg = kg
        self.load()
        if self.graph is None:
            return
        self.relations = len(self.graph)
        self.cached_load()
        self.reload()
        for style in STYLES[1:]:
            self.styled_load(style)
        self.to_networkx()
        self.paths()
        self.streaming()
        rdf_rows = [key for key in ROWS if key.startswith(("to-rdf", "turtle", "supports"))]
        try:
            import kg.rdf  # noqa: F401
        except ImportError:
            for key in rdf_rows:
                self.rows[key].note = _NA_RDF
        else:
            self.to_rdf()
            self.turtle_export()
            self.turtle_import()
            self.supports()
            self.remote()
        self._rdf = None
        self.memory()
        self.cli()

    def plain_parse(self, folder: Path) -> Callable[[], dict[str, Any]]:
        """The baseline of the load rows: a plain parse of each file in ``folder``."""
        files = [folder / name for name in FILES if (folder / name).is_file()]

        def plain() -> dict[str, Any]:
            data = {}
            for path in files:
                with open(path, "rb") as handle:
                    data[path.name] = yaml.load(handle, Loader=yaml.CSafeLoader)
            return data

        return plain

    def load(self) -> None:
        def ours() -> Any:
            return self.cache.uncached(self.kg.load, self.folder, self.workdir)

        if self.skipped("load"):
            self.graph = ours()
            return
        self.graph = self.compare("load", ours, self.plain_parse(self.folder))
        row = self.rows["load"]
        if self.graph is None:
            row.note = f"error: {row.ours.error or 'kg.load went past the budget'}"
            self.graph = None if row.ours.error else ours()

    def reload(self) -> None:
        """A load, and a validation, after an edit to one relation: each run changes that relation's note."""
        wanted = [key for key in ("reload", "reload-validate") if not self.skipped(key)]
        if not wanted:
            return
        if not self.cache.available:
            for key in wanted:
                self.rows[key].note = "n/a: kg.load has no cache"
            return
        from kg.folder.fast import record_texts

        folder = self.workdir / "data-reload"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(self.folder, folder, ignore=lambda _, names: [n for n in names if n not in FILES])
        relations = folder / "relations.yaml"
        records = record_texts(relations.read_text(encoding="utf-8"))
        if not records:
            for key in wanted:
                self.rows[key].note = "n/a: relations.yaml is not a plain list of records"
            return
        middle = next((n for n in range(len(records) // 2, len(records)) if "\n  note:" not in records[n]), 0)
        edits = iter(range(1_000_000))
        self.cache.prepare(self.workdir)
        self.cache.cached(self.kg.load, folder)  # the last load, whose entry the reload starts from

        def edit() -> None:
            """Save the file as an editor would, before the clock starts: a note never written before,
            so the cache holds the previous version and never this one (going back to an earlier
            version would find its whole graph cached, a cached load and not a reload)."""
            changed = records[middle].replace("\n", f"\n  note: edit {next(edits)}\n", 1)
            relations.write_text("".join([*records[:middle], changed, *records[middle + 1:]]), encoding="utf-8")

        for key, call in (("reload", self.kg.load), ("reload-validate", self.kg.validate)):
            if key not in wanted:
                continue
            answer = self.compare(key, lambda call=call: self.cache.cached(call, folder),
                                  lambda call=call: self.cache.uncached(call, folder, self.workdir), edit)
            cold = self.cache.uncached(call, folder, self.workdir)
            what = "graph" if key == "reload" else "problems"
            if answer is None:
                continue
            if answer == cold:
                self.checks.append(f"`{key}`: the same {what} as a cold {'load' if key == 'reload' else 'validation'} "
                                   "of the edited files")
            else:
                self.warn(f"{key} answers differ", f"the {what} differ from a cold load's of the edited files")
        shutil.rmtree(folder, ignore_errors=True)

    def styled_load(self, style: str) -> None:
        """A load of the same records written in another YAML style; the graph must be the same."""
        key = f"load-{style}"
        if self.skipped(key):
            return
        folder = self.workdir / f"data-{style}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name in FILES:
            if (self.folder / name).is_file():
                shutil.copyfile(self.folder / name, folder / name)
        self.log(f"[{self.name}] {key}: writing the data in that style")
        try:
            restyle(folder, style)
        except ValueError as err:
            self.rows[key].note = f"n/a: {err}"
            return
        graph = self.compare(key, lambda: self.cache.uncached(self.kg.load, folder, self.workdir),
                             self.plain_parse(folder))
        if graph is not None:
            if graph == self.graph:
                self.checks.append(f"`{key}`: the same graph as kg's own style")
            else:
                self.warn(f"{key} answers differ", "the graph differs from the one kg's own style gives")
        shutil.rmtree(folder, ignore_errors=True)

    def cached_load(self) -> None:
        """A load of unchanged data from the cache, and the same followed by a first question."""
        wanted = [key for key in ("cached-load", "cached-first") if not self.skipped(key)]
        if not wanted:
            return
        if not self.cache.available:
            for key in wanted:
                self.rows[key].note = ("n/a: kg.load has no cache (no `cache=` keyword, "
                                       "no documented KG_*CACHE* variable)")
            return
        self.cache.prepare(self.workdir)
        self.log(f"[{self.name}] cached-load: warming the cache")
        try:
            self.cache.cached(self.kg.load, self.folder)
        except Exception as err:  # noqa: BLE001
            for key in wanted:
                self.rows[key].note = f"error: warming the cache: {type(err).__name__}: {err}"
            return

        def first_question() -> Any:
            graph = self.cache.cached(self.kg.load, self.folder)
            len(graph.relations())
            return graph

        for key in wanted:
            ours = first_question if key == "cached-first" else lambda: self.cache.cached(self.kg.load, self.folder)
            self.compare(key, ours, None)
            row = self.rows[key]
            row.base = self.rows["load"].base  # the same plain parse, measured once
            if not self.measures_baseline("load"):
                row.baseline = f"not run (--kg-only load): {row.baseline}"

    def to_networkx(self) -> None:
        if self.skipped("networkx"):
            return
        import networkx

        nodes = list(self.graph.entities)
        edges = [(r.subject, r.object, r.id) for r in self.graph.relations()]

        def bare() -> Any:
            graph = networkx.MultiDiGraph()
            graph.add_nodes_from(nodes)
            graph.add_edges_from(edges)
            return graph

        self.compare("networkx", self.graph.to_networkx, bare)

    def paths(self) -> None:
        if self.skipped("paths"):
            return
        import networkx

        from kg.query import ASSERTING

        graph = self.graph
        rng = random.Random(self.args.seed)
        ids = sorted(graph.entities)
        pairs = [tuple(rng.sample(ids, 2)) for _ in range(self.args.pairs)]

        def ours() -> list[int | None]:
            found = [graph.paths(a, b, max_length=3, limit=1) for a, b in pairs]
            return [paths[0].length if paths else None for paths in found]

        def cold() -> list[int | None]:
            fresh = type(graph)(graph.entities, graph.relations(), graph.sources)
            found = [fresh.paths(a, b, max_length=3, limit=1) for a, b in pairs]
            return [paths[0].length if paths else None for paths in found]

        def projection() -> Any:
            view = graph.to_networkx()
            simple = networkx.Graph()
            simple.add_nodes_from(view.nodes)
            simple.add_edges_from((u, v) for u, v, status in view.edges(data="status")
                                  if status in ASSERTING and u != v)
            return simple

        if not self.skipped("paths-cold"):
            self.compare("paths-cold", cold, projection if self.measures_baseline("paths-cold") else None)
        ours()  # warm: kg's adjacency built, as networkx's projection is
        if not self.measures_baseline("paths"):
            self.compare("paths", ours, None)
            return
        started = time.perf_counter()
        simple = projection()
        built = time.perf_counter() - started

        def shortest(a: str, b: str) -> int | None:
            try:
                return len(networkx.shortest_path(simple, a, b)) - 1
            except networkx.NetworkXNoPath:
                return None

        def base() -> list[int | None]:
            return [shortest(a, b) for a, b in pairs]

        lengths = self.compare("paths", ours, base)
        row = self.rows["paths"]
        row.baseline += (f" (asserting statuses only, as kg's default; projection built once in "
                         f"{_time(built)}, not timed)")
        if lengths is not None:
            expected = [d if d is not None and d <= 3 else None for d in base()]
            differ = [(pair, a, b) for pair, a, b in zip(pairs, lengths, expected) if a != b]
            if not differ:
                found = sum(length is not None for length in lengths)
                self.checks.append(f"`paths`: kg's path lengths match networkx's on all {len(pairs)} pairs "
                                   f"({found} with a path of at most 3 hops)")
            if differ:
                (a, b), ours_length, nx_length = differ[0]
                self.warn("paths answers differ", f"{len(differ)} of {len(pairs)} pairs; e.g. {a} to {b}: kg "
                          f"{ours_length}, networkx {nx_length} hops")

    def to_rdf(self) -> None:
        if self.skipped("to-rdf"):
            return
        import rdflib

        import kg.rdf

        terms = rdflib_terms(kg.rdf.triples(self.graph))

        def bare() -> Any:
            graph = rdflib.Graph()
            graph.addN((s, p, o, graph) for s, p, o in terms)
            return graph

        self._rdf = self.compare("to-rdf", lambda: kg.rdf.to_rdf(self.graph), bare)
        self.rows["to-rdf"].label += f" ({len(terms):,} triples)"

    def turtle_export(self) -> None:
        if self.skipped("turtle-export"):
            return
        import kg.rdf

        rdf = self.rdf() if self.measures_baseline("turtle-export") else None
        text = self.compare("turtle-export", lambda: kg.rdf.serialize(self.graph, "turtle"),
                            lambda: rdf.serialize(format="turtle"))
        if text is not None:
            path = self.workdir / f"export-{self.args.seed}.ttl"
            path.write_text(text, encoding="utf-8")
            self._turtle = path
            self.rows["turtle-export"].label += f" ({len(text.encode('utf-8')) / 1e6:,.1f} MB)"

    def turtle_import(self) -> None:
        wanted = [key for key in ("turtle-import-rdflib", "turtle-import-oxigraph") if not self.skipped(key)]
        if not wanted:
            return
        import rdflib

        import kg.rdf

        path = self.turtle()
        try:
            import pyoxigraph
        except ImportError:
            pyoxigraph = None
            self.rows["turtle-import-oxigraph"].note = _NA_OXIGRAPH

        def rdflib_parse() -> Any:
            return rdflib.Graph().parse(path, format="turtle")

        def oxigraph_load() -> Any:
            store = pyoxigraph.Store()
            store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
            return store

        imported = None
        if "turtle-import-rdflib" in wanted:
            imported = self.compare("turtle-import-rdflib", lambda: kg.rdf.from_rdf(path), rdflib_parse)
        if "turtle-import-oxigraph" in wanted and pyoxigraph is not None:
            row = self.rows["turtle-import-oxigraph"]
            if "turtle-import-rdflib" in wanted:  # the same kg call: measure it once
                self.log(f"[{self.name}] turtle-import-oxigraph")
                row.ours = self.rows["turtle-import-rdflib"].ours
                if self.measures_baseline("turtle-import-oxigraph"):
                    row.base = self.clock.compare("turtle-import-oxigraph", self.args.runs, None, oxigraph_load)[1]
            else:
                imported = self.compare("turtle-import-oxigraph", lambda: kg.rdf.from_rdf(path), oxigraph_load)
        if imported is not None and imported != self.graph:
            self.warn("Turtle round trip", "`from_rdf(path)` of kg's own export is not equal to the loaded graph")
        elif imported is not None:
            self.checks.append("`turtle-import`: `from_rdf(path)` of kg's Turtle export equals the loaded graph")

    def remote(self) -> None:
        """Push to an Oxigraph server started here on 127.0.0.1, then ask it who supports whom against
        the adversary with the most answers, against the same question in memory."""
        wanted = [key for key in ("push", "remote-supports") if not self.skipped(key)]
        if not wanted:
            return
        if shutil.which("oxigraph") is None:
            for key in wanted:
                self.rows[key].note = "n/a: the oxigraph server binary is not installed (pip install oxigraph)"
            return
        import kg.rdf
        from kg.rdf.endpoint import Endpoint
        from kg.rdf.remote import RemoteGraph

        graph, seed = self.graph, self.args.seed
        adversaries: dict[str, int] = {}
        for answer in graph.supports():
            adversaries[answer.against] = adversaries.get(answer.against, 0) + 1
        against = max(sorted(adversaries), key=adversaries.__getitem__) if adversaries else None
        with oxigraph_server(self.workdir / f"oxigraph-{self.name}-{seed}") as url:
            self.compare("push", lambda: graph.push(Endpoint(url, timeout=3600)),
                         lambda: kg.rdf.Store.create(self.workdir / f"store-{self.name}-{seed}", graph))
            if against is None or "remote-supports" not in wanted:
                return
            pushed = self.rows["push"].ours
            if pushed is None or pushed.over or pushed.error:
                self.rows["remote-supports"].note = "n/a: the push did not finish (see the row above)"
                return
            self.rows["remote-supports"].label += f" (Z = {against}, {adversaries[against]:,} answers)"
            found = self.compare("remote-supports",
                                 lambda: RemoteGraph(Endpoint(url, timeout=3600)).supports(against=against),
                                 lambda: graph.supports(against=against))
            if found is not None:
                same = {(s.supporter, s.supported, s.against, s.basis) for s in graph.supports(against=against)}
                if {(s.supporter, s.supported, s.against, s.basis) for s in found} != same:
                    self.warn("remote supports", "the server's answers differ from those in memory")
                else:
                    self.checks.append(f"remote supports(against={against}): {len(same):,} answers as in memory")

    def supports(self) -> None:
        wanted = [key for key in ("supports-rdflib", "supports-oxigraph") if not self.skipped(key)]
        if not wanted:
            return
        import kg.rdf
        from kg.rdf.ontology import ontology_graph, ontology_turtle
        from kg.rdf.terms import DEFAULT_BASE, PREFIXES

        query, origin = supports_query(kg.rdf)
        namespaces = {**PREFIXES, "kge": DEFAULT_BASE + "entity/", "kgsrc": DEFAULT_BASE + "source/",
                      "kgr": DEFAULT_BASE + "statement/"}
        entity = DEFAULT_BASE + "entity/"

        def ids(values: Sequence[str]) -> tuple[str, ...]:
            return tuple(value[len(entity):] if value.startswith(entity) else value for value in values)

        answers: dict[str, set[tuple[str, ...]] | None] = {}
        graph = self.graph

        def ours() -> Any:
            return graph.supports()

        self.log(f"[{self.name}] supports (kg)")
        ours_timing, _, found = self.clock.compare("supports", self.args.runs, ours, None)
        if found is not None:
            answers["kg"] = {(s.supporter, s.supported, s.against) for s in found}
            del found
        for key in wanted:
            row = self.rows[key]
            row.ours = ours_timing
            row.baseline += f" ({origin})"
            if "kg" in answers:
                row.label += f" ({len(answers['kg']):,} answers)"
        if "supports-rdflib" in wanted and self.measures_baseline("supports-rdflib"):
            rdf = self.rdf()
            rdf += ontology_graph()

            def rdflib_query() -> Any:
                return list(rdf.query(query, initNs=namespaces))

            self.log(f"[{self.name}] supports-rdflib")
            timing, rows = self.timed_baseline("supports-rdflib", rdflib_query)
            self.rows["supports-rdflib"].base = timing
            if rows is not None:
                answers["rdflib SPARQL"] = {ids([str(r["supporter"]), str(r["supported"]), str(r["against"])])
                                            for r in rows}
            self._rdf = None
        if "supports-oxigraph" in wanted and self.measures_baseline("supports-oxigraph"):
            try:
                import pyoxigraph
            except ImportError:
                self.rows["supports-oxigraph"].note = _NA_OXIGRAPH
            else:
                store = pyoxigraph.Store()
                store.load(path=self.turtle(), format=pyoxigraph.RdfFormat.TURTLE)
                store.load(input=ontology_turtle(), format=pyoxigraph.RdfFormat.TURTLE)

                def oxigraph_query() -> Any:
                    return list(store.query(query, prefixes=namespaces))

                def oxigraph_answers(rows: Any) -> set[tuple[str, ...]]:
                    return {ids([r["supporter"].value, r["supported"].value, r["against"].value]) for r in rows}

                self.log(f"[{self.name}] supports-oxigraph")
                timing, found = self.timed_baseline("supports-oxigraph", oxigraph_query, apart=oxigraph_answers)
                self.rows["supports-oxigraph"].base = timing
                if found is not None:
                    answers["pyoxigraph SPARQL"] = found
                del store
        self.compare_answers(answers, origin)

    def timed_baseline(self, name: str, function: Callable[[], Any],
                       apart: Callable[[Any], Any] | None = None) -> tuple[Timing, Any]:
        """Time a baseline ``--runs`` times, keeping its last result (for checking answers).
        With ``apart``, each run is made in a child process (see ``Clock.once_apart``) and
        ``apart`` of its result is kept."""
        timing = Timing()
        result = None
        for run in range(self.args.runs):
            result = None
            try:
                seconds, result = self.clock.once(function) if apart is None else \
                    self.clock.once_apart(function, apart)
            except OverBudget:
                timing.over = True
                self.log(f"  {name}: baseline went past the budget of {self.clock.budget:g} s")
                break
            except Exception as err:  # noqa: BLE001
                timing.error = f"{type(err).__name__}: {err}".splitlines()[0][:300]
                self.log(f"  {name}: baseline failed: {timing.error}")
                break
            timing.samples.append(seconds)
            self.log(f"  {name}: run {run + 1}/{self.args.runs} baseline {_time(seconds)}")
        return timing, result

    def compare_answers(self, answers: dict[str, set[tuple[str, ...]] | None], origin: str) -> None:
        mine = answers.get("kg")
        if mine is None:
            return
        for engine, theirs in answers.items():
            if engine == "kg" or theirs is None:
                continue
            if theirs == mine:
                self.checks.append(f"`supports`: kg and {engine} agree on all {len(mine):,} "
                                   "(supporter, supported, against) triples")
                continue
            only_kg, only_sparql = sorted(mine - theirs), sorted(theirs - mine)
            example = ""
            if only_kg:
                example += f"; e.g. only kg: ({', '.join(only_kg[0])})"
            if only_sparql:
                example += f"; e.g. only SPARQL: ({', '.join(only_sparql[0])})"
            self.warn(f"supports answers differ ({engine}, {origin})",
                      f"kg {len(mine):,} (supporter, supported, against) triples, {engine} {len(theirs):,}: "
                      f"{len(only_kg):,} only in kg, {len(only_sparql):,} only in SPARQL{example}")

    def streaming(self) -> None:
        """The first answer of ``iter_supports`` and the memory it holds, against every answer; the
        questions about one median and one hub actor (by statements around it), as supporter and
        as adversary, against the same. Checked on a pass over every answer (the traced one, if it
        runs): answers in order and each once, the first as iterated alone, and for each actor the
        answers of its question (compared by digest, so that the check holds no answers)."""
        keys = [key for key in ("first-support", "support-memory", "supporter-median", "supporter-hub",
                                "against-median", "against-hub") if not self.skipped(key)]
        if not keys:
            return
        graph = self.graph
        next(graph.iter_supports(), None)  # the graph's indexes, built on the first question
        self.log(f"[{self.name}] streaming: every answer")
        full, total = self.timed_baseline("first-support", lambda: sum(1 for _ in graph.iter_supports()))
        asked = self.around([key for key in keys if key.endswith(("-median", "-hub"))])
        if "first-support" in keys:
            row = self.rows["first-support"]
            row.ours = self.clock.compare("first-support", self.args.runs,
                                          lambda: next(graph.iter_supports(), None), None)[0]
            row.base = full
        digests = {}
        for key, (role, actor) in asked.items():
            row = self.rows[key]
            question = functools.partial(graph.supports, **{role: actor})
            row.ours, _, found = self.clock.compare(key, self.args.runs, question, None)
            row.base = full
            answers = "" if found is None else f", {len(found):,} answers"
            row.label += f" (X = {actor}, {len(graph.touching(actor)):,} statements around it{answers})"
            if found is not None:
                digests[key] = _digest(map(_triple, found)), len(found)
        watcher = _Watcher(asked)
        if "support-memory" not in keys or not self.support_memory(full, total, watcher):
            if total is None:
                return  # every answer took longer than the budget: nothing to check against
            watcher = _Watcher(asked)
            for answer in graph.iter_supports():
                watcher.see(answer)
        self.check(watcher.ordered, "first-support", f"{watcher.count:,} answers iterated, in order, each once")
        if "first-support" in keys and watcher.count:
            self.rows["first-support"].label += f" (of {watcher.count:,})"
            self.check(_triple(next(graph.iter_supports())) == watcher.first, "first-support",
                       "the first answer iterated alone is the first of every answer")
        for key, (digest, count) in digests.items():
            role, actor = asked[key]
            self.check(watcher.digests[key].hexdigest() == digest, key,
                       f"the {count:,} answers of `supports({role}={actor})` are those of every answer with "
                       f"{role} {actor}, in order")

    def check(self, agrees: bool, key: str, what: str) -> None:
        """A row's answers checked: a line among the checks, or a warning."""
        if agrees:
            self.checks.append(f"`{key}`: {what}")
        else:
            self.warn(f"{key} answers", f"expected {what}; it is not so")

    def around(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """For each neighbourhood row (role, actor): of the actors who back someone (``supporter``),
        or who are in armed hostilities or named as adversaries (``against``), the median by
        statements around it and the one with the most, each the nearest that has answers."""
        from kg.vocabulary import RELATION_TYPES

        graph, chosen = self.graph, {}
        backs = graph.relations("backs")
        armed = [name for name, row in RELATION_TYPES.items() if row.armed]
        candidates = {"supporter": {backing.subject for backing in backs},
                      "against": {adversary for backing in backs for adversary in backing.against}
                      | {end for name in armed for r in graph.relations(name) for end in (r.subject, r.object)}}
        for role, actors in candidates.items():
            ranked = sorted((actor for actor in actors if graph.entities[actor].category == "actor"),
                            key=lambda actor: (len(graph.touching(actor)), actor))
            for which, start, step in (("median", len(ranked) // 2, 1), ("hub", len(ranked) - 1, -1)):
                if f"{role}-{which}" not in keys:
                    continue
                for actor in ranked[start::step]:
                    if next(graph.iter_supports(**{role: actor}), None) is not None:
                        chosen[f"{role}-{which}"] = (role, actor)
                        break
        return chosen

    def support_memory(self, full: Timing, total: int | None, watcher: _Watcher) -> bool:
        """Peak traced memory while iterating every answer (each seen by ``watcher``), against the
        same for the first hundredth of them; not run where, traced (about five times slower), it
        would pass the budget. Whether every answer was iterated."""
        import tracemalloc

        row, graph = self.rows["support-memory"], self.graph
        budget = self.clock.budget
        if full.median is None or total is None or (budget is not None and full.median * 5 > budget):
            row.note = f"n/a: traced, every answer would take longer than the budget of {_time(budget or 0)}"
            return False

        def traced(count: int | None) -> Callable[[], int]:
            def peak() -> int:
                tracemalloc.start()
                try:
                    if count is None:
                        for answer in graph.iter_supports():
                            watcher.see(answer)
                    else:
                        for _ in itertools.islice(graph.iter_supports(), count):
                            pass
                    return tracemalloc.get_traced_memory()[1]
                finally:
                    tracemalloc.stop()
            return peak

        row.unit, row.ours, row.base = "B", Timing(), Timing()
        for side, function in ((row.base, traced(max(1, total // 100))), (row.ours, traced(None))):
            self.log(f"[{self.name}] support-memory: {'kg' if side is row.ours else 'baseline'}")
            try:
                side.samples.append(self.clock.once(function)[1])
            except OverBudget:
                side.over = True
        return bool(row.ours.samples)

    def memory(self) -> None:
        wanted = [key for key in ("memory-peak", "memory-held") if not self.skipped(key)]
        if not wanted:
            return
        self.log(f"[{self.name}] memory (fresh processes)")
        keywords, environment = self.cache.probe_arguments(self.workdir)
        measured = {}
        baselines = [key for key in wanted if self.measures_baseline(key)]
        for mode in ("kg", "yaml") if baselines else ("kg",):
            try:
                measured[mode] = memory_probe(mode, self.folder, keywords, environment)
            except (OSError, subprocess.SubprocessError, ValueError) as err:
                for key in wanted:
                    self.rows[key].note = f"error: memory probe ({mode}): {err}"
                return
        relations = max(self.relations, 1)
        for key, field_name in (("memory-peak", "peak"), ("memory-held", "held")):
            if key in wanted:
                row = self.rows[key]
                row.unit = "B/relation"
                row.ours = Timing([measured["kg"][field_name] / relations])
                if key in baselines:
                    row.base = Timing([measured["yaml"][field_name] / relations])


    def cli(self) -> None:
        """kg's questions as a user asks them at a terminal, each in a fresh process on the bundled
        data (from kg's cache and with Python's bytecode cache, both kept in the work folder),
        against importing typer alone; CPU time of the child process."""
        if self.skipped("cli"):
            return
        self.log(f"[{self.name}] cli (fresh processes)")
        environment = {**os.environ, "KG_CACHE_DIR": str(self.workdir / "cli-cache"),
                       "PYTHONPYCACHEPREFIX": str(self.workdir / "pycache")}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        if (ROOT / "kg").is_dir():
            environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
        questions = [[sys.executable, "-m", "kg", *question] for question in CLI_QUESTIONS]
        typer_alone = [sys.executable, "-c", "import typer"]
        row, ours, base = self.rows["cli"], Timing(), Timing()
        try:
            for command in [*questions, typer_alone]:  # fills both caches
                child_cpu(command, environment)
            for _ in range(max(self.args.runs, 5)):
                if self.measures_baseline("cli"):
                    base.samples.append(child_cpu(typer_alone, environment))
                ours.samples.append(max(child_cpu(command, environment) for command in questions))
        except (OSError, subprocess.SubprocessError) as err:
            row.note = f"error: {err}"
            return
        row.ours, row.base = ours, base if base.samples else None


def child_cpu(command: list[str], environment: dict[str, str]) -> float:
    """The CPU time (user and system) of running ``command`` to its end; an error if it fails."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class _Watcher:
    """Sees every answer of a pass: counts them, checks that they come in order and each once,
    keeps the first, and digests those of each asked (role, actor)."""

    def __init__(self, asked: dict[str, tuple[str, str]]):
        self.asked = asked
        self.digests = {key: hashlib.blake2b() for key in asked}
        self.count, self.ordered = 0, True
        self.first: tuple | None = None
        self.last: tuple | None = None

    def see(self, answer: Any) -> None:
        triple = _triple(answer)
        if self.last is not None and triple[:3] <= self.last:
            self.ordered = False
        self.first, self.last, self.count = self.first or triple, triple[:3], self.count + 1
        for key, (role, actor) in self.asked.items():
            if getattr(answer, role) == actor:
                _feed(self.digests[key], triple)


def _feed(digest: Any, triple: tuple[str, ...]) -> None:
    digest.update(("\0".join(triple) + "\n").encode())


def _digest(triples: Iterable[tuple[str, ...]]) -> str:
    digest = hashlib.blake2b()
    for triple in triples:
        _feed(digest, triple)
    return digest.hexdigest()


def _triple(answer: Any) -> tuple[str, str, str, str, str]:
    """What a support answer's check compares: the triple, its basis and its holding."""
    return answer.supporter, answer.supported, answer.against, answer.basis, answer.holding


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1 and a free port, storing in ``folder``; yields its query URL."""
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(["oxigraph", "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                                "--timeout-s", "3600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def rdflib_terms(triples: Iterator[tuple[str, str, Any]]) -> list[tuple[Any, Any, Any]]:
    """kg's plain triples (``kg.rdf.triples``: IRIs and ``_:`` blank nodes as text, literals with
    ``value``, ``datatype`` and ``language``) as rdflib terms, made here rather than by kg."""
    import rdflib

    iri, literal, blank = rdflib.URIRef, rdflib.Literal, rdflib.BNode

    def term(obj: Any) -> Any:
        if isinstance(obj, str):
            return blank(obj[2:]) if obj.startswith("_:") else iri(obj)
        if getattr(obj, "language", ""):
            return literal(obj.value, lang=obj.language)
        datatype = getattr(obj, "datatype", None)
        return literal(obj.value, datatype=None if not datatype or datatype.endswith("#string") else datatype)

    return [(iri(s), iri(p), term(o)) for s, p, o in triples]


_FALLBACK_SUPPORTS = """\
# Written for the benchmark, as kg.rdf ships no supports.rq: explicit support (a backs
# statement naming ?against) and support derived from backing a side in armed hostilities
# (fights either way, attacks or strikes either way) over overlapping time; asserting statuses.
SELECT DISTINCT ?supporter ?supported ?against WHERE {
  ?backing a kgv:Statement ; rdf:predicate kgv:backs ; rdf:subject ?supporter ; rdf:object ?supported ;
      kgv:status/kgv:asserts true .
  OPTIONAL { ?backing kgv:start ?bs } OPTIONAL { ?backing kgv:end ?be }
  {
    ?backing kgv:against ?against . BIND (true AS ?explicit)
  } UNION {
    ?hostility a kgv:Statement ; rdf:predicate ?type ; kgv:status/kgv:asserts true .
    VALUES ?type { kgv:fights kgv:attacks kgv:strikes }
    { ?hostility rdf:subject ?supported ; rdf:object ?against } UNION
    { ?hostility rdf:object ?supported ; rdf:subject ?against }
    ?against a/rdfs:subClassOf* kgv:Actor .
    OPTIONAL { ?hostility kgv:start ?hs } OPTIONAL { ?hostility kgv:end ?he }
    FILTER ((!BOUND(?bs) || !BOUND(?he) || STR(?bs) <= CONCAT(STR(?he), "~"))
         && (!BOUND(?hs) || !BOUND(?be) || STR(?hs) <= CONCAT(STR(?be), "~")))
  }
  FILTER (?against != ?supporter && ?against != ?supported)
}
"""


def supports_query(rdf_package: Any) -> tuple[str, str]:
    """kg's shipped supports query if there is one, else the benchmark's own; and where it comes from."""
    shipped = Path(rdf_package.__file__).parent / "queries" / "supports.rq"
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8"), "kg's shipped `kg/rdf/queries/supports.rq`"
    return _FALLBACK_SUPPORTS, "the benchmark's own query, as kg ships no `supports.rq`"


# --------------------------------------------------------------------------- memory, in a fresh process

_PROBE = r"""
import gc, json, os, resource, sys

def status():
    values = {}
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return values

def maxrss():
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value if sys.platform == "darwin" else value * 1024

mode, folder, keywords = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
files = json.loads(sys.argv[4])
import yaml
if mode == "kg":
    import kg
gc.collect()
try:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # reset the peak (VmHWM) to the current size
except OSError:
    pass
before, rusage_before = status(), maxrss()
if mode == "kg":
    result = kg.load(folder, **keywords)
else:
    result = {}
    for name in files:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                result[name] = yaml.load(handle, Loader=yaml.CSafeLoader)
gc.collect()
after, rusage_after = status(), maxrss()
if "VmHWM" in after and "VmRSS" in before:
    peak, held = after["VmHWM"] - before["VmRSS"], after["VmRSS"] - before["VmRSS"]
else:
    peak, held = rusage_after - rusage_before, rusage_after - rusage_before
print(json.dumps({"peak": peak, "held": held}))
"""


def memory_probe(mode: str, folder: Path, keywords: dict[str, Any], environment: dict[str, str]) -> dict[str, int]:
    """Peak and held memory (bytes of resident set) of loading ``folder`` in a fresh Python process."""
    env = {**os.environ, **environment}
    if (ROOT / "kg").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode, str(folder), json.dumps(keywords), json.dumps(list(FILES))],
        capture_output=True, text=True, env=env, check=False,
    )
    if done.returncode != 0:
        raise ValueError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the machine


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = None
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        pass
    ram = f"{memory / 2**30:.1f} GiB RAM" if memory else "RAM unknown"
    lines = [f"machine: {cpu}, {os.cpu_count()} cores, {ram}, {platform.system()} {platform.release()} "
             f"{platform.machine()}"]
    versions = [f"Python {platform.python_version()} ({platform.python_implementation()})", kg_version()]
    for name, module in (("PyYAML", "pyyaml"), ("rdflib", "rdflib"), ("networkx", "networkx"),
                         ("pyoxigraph", "pyoxigraph")):
        try:
            version = importlib.metadata.version(module)
        except importlib.metadata.PackageNotFoundError:
            version = "not installed"
        if name == "PyYAML":
            version += f" (libyaml {'yes' if getattr(yaml, '__with_libyaml__', False) else 'NO: pure-Python parser'})"
        versions.append(f"{name} {version}")
    lines.append("versions: " + "; ".join(versions))
    return lines


def kg_version() -> str:
    import kg

    version = getattr(kg, "__version__", "?")
    where = Path(kg.__file__).resolve().parent.parent
    if where != ROOT or not (ROOT / ".git").exists():
        return f"kg {version} (installed)"
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "kg"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"kg {version} (this checkout)"
    return f"kg {version} (this checkout, commit {commit}{', with uncommitted changes in kg/' if dirty else ''})"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return "unknown"
    busy = " (busier than the core count: times include waiting for a CPU)" if one > (os.cpu_count() or 1) - 0.5 else ""
    return f"{one:.1f} {five:.1f} {fifteen:.1f}{busy}"


# --------------------------------------------------------------------------- formatting


def _time(seconds: float) -> str:
    if seconds >= 100:
        return f"{seconds:,.0f} s"
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def _value(timing: Timing | None, unit: str, budget: float | None) -> str:
    if timing is None:
        return ""
    if timing.error:
        return f"error: {timing.error}"
    if timing.over:
        return f"> {_time(budget or 0)}"
    if timing.median is None:
        return ""
    if unit == "s":
        return _time(timing.median)
    return f"{timing.median:,.0f} B" if timing.median < 10_000 else f"{timing.median / 1024:,.0f} KiB"


def _ratio(ours: Timing | None, base: Timing | None, budget: float | None) -> str:
    if ours is None or base is None or ours.error or base.error:
        return ""
    if ours.median is not None and base.median is not None:
        return _number(ours.median / base.median) if base.median > 0 else "∞"
    if ours.over and base.median:
        return f"> {_number(budget / base.median)}"
    if base.over and ours.median is not None:
        return f"< {_number(ours.median / budget)}"
    return "?"


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 0.01 or value == 0:
        return f"{value:.2f}"
    return f"{value:.1g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(suite: Suite, budget: float | None) -> list[str]:
    lines = ["| benchmark | kg | baseline | ratio | baseline is |", "|---|---:|---:|---:|---|"]
    for row in [*suite.rows.values(), *suite.warnings]:
        if row.note and (row.warning or row.ours is None or row.note.startswith(("n/a", "skipped", "error"))):
            lines.append(f"| {_cell(row.label)} | {_cell(row.note)} | | | {_cell(row.baseline)} |")
            continue
        lines.append(f"| {_cell(row.label)} | {_value(row.ours, row.unit, budget)} | "
                     f"{_value(row.base, row.unit, budget)} | {_ratio(row.ours, row.base, budget)} | "
                     f"{_cell(row.baseline)} |")
    return lines


def growth(suites: list[tuple[str, Suite]]) -> list[str]:
    """Each row's time ratio between consecutive sizes divided by their ratio of relations."""
    steps = list(zip(suites, suites[1:]))
    header = "| benchmark | " + " | ".join(f"kg {a}→{b} | baseline {a}→{b}" for (a, _), (b, _) in steps) + " |"
    lines = [header, "|---|" + "---:|---:|" * len(steps)]
    for key in ROWS:
        cells = []
        for (_, small), (_, big) in steps:
            per_relation = small.rows[key].unit != "s"  # memory rows are per relation already
            scale = 1 if per_relation else (big.relations / small.relations if small.relations else 0)
            for side in ("ours", "base"):
                a, b = getattr(small.rows[key], side), getattr(big.rows[key], side)
                if a and b and a.median and b.median and scale:
                    cells.append(_number(b.median / a.median / scale))
                else:
                    cells.append("")
        if any(cells):
            lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    return lines


# --------------------------------------------------------------------------- main


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", nargs="+", choices=list(SIZES), metavar="SIZE",
                        help="sizes to run, among S (1k entities, 20k relations), L (10k, 200k), XL (50k, 1M); "
                             "default S")
    size_arguments(parser)
    parser.add_argument("--data", type=Path, help="use this data folder instead of generating one")
    parser.add_argument("--runs", type=int, default=3, help="runs of each benchmark; medians are reported (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator and of the random pairs (default 1)")
    parser.add_argument("--pairs", type=int, default=100, help="random pairs for the paths benchmark (default 100)")
    parser.add_argument("--budget", type=float, default=600,
                        help="seconds one measurement may take before it is stopped and shown as '> budget' "
                             "(default 600; 0: no limit)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time (default) or this process's CPU time, steadier on a busy machine")
    parser.add_argument("--skip", nargs="+", default=[], choices=list(ROWS), metavar="ROW",
                        help=f"benchmarks to leave out: {', '.join(ROWS)}")
    parser.add_argument("--kg-only", nargs="+", default=[], choices=list(ROWS), metavar="ROW",
                        help="benchmarks whose baseline is not run, only kg's side (for sizes at which a baseline "
                             "cannot finish: rdflib's graph at XL needs tens of GB); their kg times still count "
                             "for growth")
    parser.add_argument("--workdir", type=Path, help="folder for generated data and exports (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and exports")
    args = parser.parse_args(argv)
    if (args.entities is None) != (args.relations is None):
        parser.error("give both --entities and --relations, or neither")
    if args.data is not None and (args.size or args.entities is not None):
        parser.error("--data takes the place of --size and --entities/--relations")
    if args.size and args.entities is not None:
        parser.error("give --size or --entities/--relations, not both")
    if args.runs < 1 or args.pairs < 1:
        parser.error("--runs and --pairs must be at least 1")
    if args.data is not None and not args.data.is_dir():
        parser.error(f"--data {args.data}: not a folder")
    if args.workdir is not None and _inside(args.workdir, ROOT):
        parser.error("--workdir must be outside the repository: generated data never goes into it")
    return args


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def command_line(args: argparse.Namespace) -> str:
    parts = ["python", "benchmarks/run.py"]
    if args.data is not None:
        parts += ["--data", str(args.data)]
    elif args.entities is not None:
        parts += ["--entities", str(args.entities), "--relations", str(args.relations)]
    else:
        parts += ["--size", *(args.size or ["S"])]
    parts += ["--runs", str(args.runs), "--seed", str(args.seed), "--pairs", str(args.pairs),
              "--budget", f"{args.budget:g}", "--clock", args.clock]
    if args.skip:
        parts += ["--skip", *args.skip]
    if args.kg_only:
        parts += ["--kg-only", *args.kg_only]
    return shlex.join(parts)


def datasets(args: argparse.Namespace) -> list[tuple[str, int | None, int | None]]:
    if args.data is not None:
        return [(args.data.name or "data", None, None)]
    if args.entities is not None:
        return [("custom", args.entities, args.relations)]
    return [(size, *SIZES[size]) for size in (args.size or ["S"])]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the benchmarks; the Markdown report goes to ``out`` (stdout), progress to ``err`` (stderr)."""
    args = parse_arguments(argv)
    out = out or sys.stdout
    err = err or sys.stderr
    started = time.perf_counter()

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    def log(text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {text}", file=err, flush=True)

    import kg

    try:  # imported now, so that every row measures the same kg.rdf
        import kg.rdf  # noqa: F401
    except ImportError:
        pass
    cache = detect_cache(kg)
    pauses = gc_pauses_in_kg()
    clock = Clock(args.clock, args.budget or None, log)
    say("# kg benchmarks")
    say()
    say(f"- command: `{command_line(args)}`")
    for line in machine():
        say(f"- {line}")
    say(f"- load average at start: {load_average()}")
    clock_name = ("wall time (`time.perf_counter`)" if args.clock == "wall"
                  else "CPU time of this process (`time.process_time`)")
    budget = f"a measurement stopped at the budget of {_time(args.budget)} shows as '> budget'" if args.budget \
        else "no budget"
    say(f"- clock: {clock_name}, median of {args.runs} run{'s' if args.runs != 1 else ''}; kg and the baseline "
        f"alternate, the baseline first; {budget}")
    say("- ratio: kg's time over the baseline's; above 1, kg is slower")
    say("- garbage collector: on for every measurement, kg's and the baselines' alike (baselines run as a user would "
        "run them, plain `yaml.load` included); the harness only calls `gc.collect()` between measurements; "
        + (f"kg pauses or freezes it itself in: {', '.join(pauses)}" if pauses else "kg does not pause it itself"))
    say(f"- kg's load cache: {cache.description}")
    say("- memory rows: resident set of a fresh process, peak and after the load (the result alive), one run")

    owned = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-")) if owned else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    suites: list[tuple[str, Suite]] = []
    problems = 0
    try:
        for label, entities, relations in datasets(args):
            if args.data is not None:
                folder = args.data
                about = f"the data folder `{args.data}`"
            else:
                folder = workdir / f"data-{label}-seed{args.seed}"
                if folder.exists():
                    shutil.rmtree(folder)
                created.append(folder)
                log(f"[{label}] generating {entities:,} entities and {relations:,} relations")
                summary = generate(folder, entities, relations, args.seed)
                about = (f"{summary['entities']:,} entities, {summary['relations']:,} relations, "
                         f"{summary['sources']:,} sources ({summary['bytes'] / 1e6:,.1f} MB of YAML, "
                         f"generated in {summary['seconds']:.1f} s, seed {args.seed})")
            suite_dir = workdir / f"work-{label}-seed{args.seed}"
            suite_dir.mkdir(exist_ok=True)
            created.append(suite_dir)
            suite = Suite(args, label, folder, suite_dir, clock, cache, log)
            suite.run(label)
            suites.append((label, suite))
            problems += suite.problems()
            say()
            say(f"## {label}: {about}")
            say()
            for line in table(suite, args.budget or None):
                say(line)
            if suite.checks:
                say()
                say("Answers checked and in agreement: " + "; ".join(suite.checks) + ".")
            suite.graph = None
            gc.collect()
        if len(suites) > 1:
            say()
            say("## Growth with size")
            say()
            say("Each row's time ratio between two sizes divided by their ratio of relations (memory rows: the "
                "ratio of bytes per relation): 1.0 grows linearly, 2.0 takes twice as long per relation at the "
                "larger size. Rows by key (see benchmarks/README.md).")
            say()
            for line in growth(suites):
                say(line)
    finally:
        if not args.keep:
            for path in created:
                shutil.rmtree(path, ignore_errors=True)
            if owned:
                shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"kept the generated data and exports in {workdir}")
    say()
    say(f"Load average at the end: {load_average()}; the whole run took {_time(time.perf_counter() - started)}.")
    if problems:
        log(f"{problems} answer(s) disagreed or measurement(s) failed: see the rows marked ⚠ or error")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
