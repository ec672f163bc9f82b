"""The documentation cannot rot: the generated pages match the code, the site builds without
warnings, every example on every page (and in README.md) runs, the tutorial notebook runs
from top to bottom and is stored without outputs, and the objects a notebook shows have
helpful reprs."""

from __future__ import annotations

import html
import importlib.util
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]

runner = CliRunner()


def _generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- generated pages and the site


def test_generated_pages_match_the_code():
    """docs/vocabulary.md and docs/cli.md are what docs/generate.py makes of the code now."""
    stale = _generator().stale()
    assert not stale, f"out of date: {', '.join('docs/' + name for name in stale)}; run python docs/generate.py"


def test_the_readme_layout_names_every_module_and_package():
    layout = re.search(r"## Layout\n\n```\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    named = set(re.findall(r"\bkg/([\w.]+/?)", layout))
    present = {entry.name + ("/" if entry.is_dir() else "") for entry in (ROOT / "kg").iterdir()
               if entry.name not in ("__init__.py", "__pycache__") and (entry.is_dir() or entry.suffix == ".py")}
    assert present - named == set(), "add these to the README's layout section"
    assert named - present == set(), "the README's layout section names these, which are gone"


def test_the_vocabulary_page_lists_every_term():
    from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES, STATUSES, SUPPORT_KINDS

    page = (DOCS / "vocabulary.md").read_text(encoding="utf-8")
    for name in [*RELATION_TYPES, *ENTITY_KINDS, *STATUSES, *SUPPORT_KINDS]:
        assert f"| `{name}` |" in page, name


def test_the_cli_page_lists_every_command():
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    names = [info.name or info.callback.__name__ for info in app.registered_commands]
    assert names and all(f"\n## kg {name}\n" in page for name in names)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The site as ``mkdocs build --strict`` makes it (once for this module), and the build's run."""
    pytest.importorskip("mkdocs")
    site = tmp_path_factory.mktemp("built") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    return site, result


def test_mkdocs_builds_the_site_without_warnings(built):
    site, result = built
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    for page in ["index.html", "cookbook/index.html", "vocabulary/index.html", "cli/index.html", "tutorial.ipynb",
                 "tutorial/index.html", "pictures/index.html"]:
        assert (site / page).is_file(), page
    assert not (site / "generate.py").exists() and not (site / "hooks.py").exists()
    shown = {page.relative_to(site).as_posix(): _images(page) for page in site.rglob("*.html")}
    assert len(shown["pictures/index.html"]) == 4
    tutorial = (site / "tutorial" / "index.html").read_text(encoding="utf-8")
    assert len(shown["tutorial/index.html"]) >= 5 and tutorial.count("<table") >= 8


def _images(page: Path) -> list[bytes]:
    """The bytes of every image a built page shows, each checked to be a PNG or an SVG that parses."""
    import base64
    import xml.etree.ElementTree as ElementTree

    images = []
    for source in re.findall(r'<img[^>]* src="([^"]+)"', page.read_text(encoding="utf-8")):
        if source.startswith("data:image/png;base64,"):
            data = base64.b64decode(source.split(",", 1)[1])
        else:
            path = (page.parent / source).resolve()
            assert path.is_file(), f"{page.name}: {source} does not load"
            data = path.read_bytes()
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            images.append(data)
        else:
            assert ElementTree.fromstring(data).tag.endswith("svg"), f"{page}: {source} is not a picture"
            images.append(data)
    return images


# --------------------------------------------------------------------------- the site in a real browser

#: Run in each page the browser loads: once every image has loaded or failed, the page's body
#: says, for each <img>, its source and whether it loaded with a width (naturalWidth > 0).
IMAGE_CHECK = b"""<script>window.addEventListener("load", () => {
  const images = [...document.images].map(i => [i.getAttribute("src").slice(0, 60), i.naturalWidth > 0]);
  document.body.setAttribute("data-images", JSON.stringify(images));
  const main = document.querySelector("[role=main]"), edge = main ? main.getBoundingClientRect().right + 1 : 1e9;
  const wide = [...(main ? main.children : [])].filter(e => e.getBoundingClientRect().right > edge
    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible"))
    .map(e => e.tagName.toLowerCase() + " " + e.textContent.trim().slice(0, 40));
  document.body.setAttribute("data-spills", JSON.stringify(wide));
});</script>"""


def chromium() -> str:
    """Debian's Chromium, or a skip that says why there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def served(built):
    """The built site on http://127.0.0.1:PORT, each HTML page with IMAGE_CHECK added."""
    import functools
    import http.server
    import threading

    site, result = built
    assert result.returncode == 0, result.stderr

    class Handler(http.server.SimpleHTTPRequestHandler):
        def send_head(self):
            path = Path(self.translate_path(self.path))
            page = path / "index.html" if path.is_dir() else path
            if page.suffix != ".html" or not page.is_file():
                return super().send_head()
            body = page.read_bytes().replace(b"</body>", IMAGE_CHECK + b"</body>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def browse(browser: str, url: str, profile: Path, *extra: str) -> str:
    """What headless Chromium makes of a page: its DOM once loaded (or the output of ``extra``)."""
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         f"--user-data-dir={profile}", "--virtual-time-budget=10000", *extra, url],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_image_on_every_page_loads_in_a_browser(served, tmp_path):
    """Every page of the built site, opened in headless Chromium 1280 pixels wide: each image
    loads, and nothing spills past the right edge of the page's column."""
    browser = chromium()
    site, base = served
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    shown = {}
    for page in pages:
        url = base + ("" if page == "." else page + "/")
        dom = browse(browser, url, tmp_path / "profile", "--window-size=1280,1000", "--dump-dom")
        found = re.search(r'data-images="([^"]*)"', dom)
        assert found, f"{url}: the page did not finish loading"
        images = json.loads(html.unescape(found.group(1)))
        assert [src for src, loaded in images if not loaded] == [], f"{url}: images that do not load"
        spills = re.search(r'data-spills="([^"]*)"', dom).group(1)
        assert json.loads(html.unescape(spills)) == [], f"{url}: content wider than the page's column"
        shown[page] = len(images)
    assert shown["pictures"] == 4 and shown["tutorial"] >= 5, shown
    shot = tmp_path / "pictures.png"
    browse(browser, base + "pictures/", tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_page_is_reachable_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.name != "index.md":
            assert f"]({page.name})" in index, f"index.md does not link {page.name}"


# --------------------------------------------------------------------------- examples on the pages


def blocks(text: str) -> list[tuple[str, str, int, bool]]:
    """(language, code, line, follows_previous) for each fenced block; ``follows_previous``
    when only blank lines separate it from the block before."""
    found, previous_end = [], None
    for match in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.M | re.S):
        line = text.count("\n", 0, match.start()) + 1
        between = text[previous_end:match.start()] if previous_end is not None else "x"
        found.append((match.group(1), match.group(2), line, not between.strip()))
        previous_end = match.end()
    return found


def kg_commands(code: str) -> list[tuple[list[str], int, str]]:
    """The ``kg`` commands of a shell block: (arguments, expected exit code, the line).

    A comment saying ``exit N`` sets the expected code (0 otherwise). Parts of a line joined
    by ``&&`` that do not start with ``kg`` (``pip install .``) are skipped, and optional
    placeholders such as ``[FOLDER]`` dropped."""
    commands = []
    for line in code.splitlines():
        comment = re.search(r"\s#\s*(.*)$", line)
        expected = re.search(r"\bexit (\d)", comment.group(1)) if comment else None
        command_text = line[: comment.start()] if comment else line
        for part in command_text.split("&&"):
            words = shlex.split(part)
            if words[:1] == ["kg"]:
                arguments = [w for w in words[1:] if not (w.startswith("[") and w.endswith("]"))]
                commands.append((arguments, int(expected.group(1)) if expected else 0, line.strip()))
    return commands


def matches(expected: str, actual: str) -> bool:
    """Whether output matches an expected block in which ``...`` stands for any text, and a
    line that is only ``...`` for any number of lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == "..." else re.escape(line).replace(re.escape("..."), ".*") + r"\n"
        for line in expected.rstrip("\n").split("\n"))
    return re.fullmatch(pattern, actual) is not None


def test_matches_understands_ellipses():
    assert matches("a\n...\nd\n", "a\nb\nc\nd\n")
    assert matches("one: ...\n", "one: two three\n")
    assert not matches("a\nd\n", "a\nb\nd\n")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_examples_run(page, tmp_path, monkeypatch):
    """Every ```python block runs (a page's blocks share one namespace, in order, in an empty
    folder); every ``kg`` line of a ```sh block exits 0, or the code its comment names; a
    ```text block right after a one-command ```sh block is that command's output."""
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"docs.{page.stem}"}
    last_output = None
    for language, code, line, follows in blocks(page.read_text(encoding="utf-8")):
        where = f"{page.name}:{line}"
        if language == "python":
            exec(compile(code, where, "exec"), namespace)
            last_output = None
        elif language == "sh":
            commands = kg_commands(code)
            for arguments, expected, text in commands:
                result = runner.invoke(app, arguments, env={"COLUMNS": "80"})
                assert result.exit_code == expected, (
                    f"{where}: {text!r} exited {result.exit_code}, not {expected}\n{result.output}")
            last_output = result.output if len(commands) == 1 else None
        elif language == "text" and follows and last_output is not None:
            assert matches(code, last_output), f"{where}: the output shown differs from\n{last_output}"
            last_output = None
        else:
            last_output = None


# --------------------------------------------------------------------------- the tutorial notebook

NOTEBOOK = DOCS / "tutorial.ipynb"


def test_the_notebook_is_stored_without_outputs():
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    with_outputs = [i for i, cell in enumerate(code) if cell.outputs or cell.execution_count is not None]
    assert not with_outputs, f"code cells {with_outputs} have outputs or execution counts; clear them"


def test_the_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    tables = [o for o in outputs if "<table" in o.get("data", {}).get("text/html", "")]
    assert len(figures) >= 5, f"{len(figures)} figures"
    assert len(tables) >= 8, f"{len(tables)} tables"
    assert not [o for o in outputs if o.output_type == "error"]


# --------------------------------------------------------------------------- what a notebook shows


RUSSIA_BACKS = kg.Relation("r1", "backs", "russia", "syrian-government",
                           (kg.Citation("cg", "Russia, which has given only limited air support"),),
                           against=("hts",), support=("air",), start="2015")
GOVERNMENT_FIGHTS = kg.Relation("r2", "fights", "syrian-government", "hts", (kg.Citation("cg", "clashes"),),
                                start="2024-11-27", status="reported")


def test_reprs_of_records():
    assert repr(kg.Entity("hts", "Hayat Tahrir al-Sham", "armed-group")) == \
        "<Entity hts: Hayat Tahrir al-Sham (armed-group)>"
    assert repr(RUSSIA_BACKS) == \
        "<Relation russia -[backs]-> syrian-government against hts (from 2015, stated, 1 citation)>"
    assert repr(GOVERNMENT_FIGHTS) == \
        "<Relation syrian-government -[fights]- hts (from 2024-11-27, reported, 1 citation)>"
    assert repr(kg.Citation("cg", "x" * 80)) == f"<Citation cg: '{'x' * 59}…'>"
    assert repr(kg.Source("cg", "Syria’s North-western Front Erupts", "International Crisis Group", "2024-12")) == \
        "<Source cg: Syria’s North-western Front Erupts (International Crisis Group, 2024-12)>"
    assert repr(kg.Figure("op", "killed", 255, (), qualifier="at-least", counted_by="sohr")) == \
        "<Figure op killed: at least 255, counted by sohr>"


def test_reprs_of_answers():
    from kg.query import Card, Hop, Path, Support, Tie, Triangle

    assert repr(Support("russia", "syrian-government", "hts", "explicit", (RUSSIA_BACKS,))) == \
        "<Support russia -> syrian-government against hts (explicit, 1 statement)>"
    path = Path((Hop("hts", "syrian-government", (GOVERNMENT_FIGHTS,)),
                 Hop("syrian-government", "russia", (RUSSIA_BACKS,))))
    assert repr(path) == "<Path hts -[fights]- syrian-government <-[backs]- russia (2 hops, -)>"
    assert repr(Tie("russia", 1, (RUSSIA_BACKS,))) == "<Tie russia: ally (backs; 1 statement)>"
    triangle = Triangle(("a", "b", "c"), (RUSSIA_BACKS, RUSSIA_BACKS, GOVERNMENT_FIGHTS))
    assert repr(triangle) == "<Triangle a, b, c (+ + -: backs, backs, fights)>"
    card = Card(kg.Entity("russia", "Russia", "state"), (RUSSIA_BACKS,), (), {"syrian-government": "Syrian government"})
    assert repr(card) == "<Card russia: Russia (state), 1 statement, 0 figures>"


def test_html_reprs_show_the_evidence():
    from kg.query import Path, Hop, Support

    support = Support("russia", "syrian-government", "hts", "explicit", (RUSSIA_BACKS,))
    path = Path((Hop("hts", "syrian-government", (GOVERNMENT_FIGHTS,)),))
    for shown in (RUSSIA_BACKS, support, path):
        page = shown._repr_html_()
        assert "<table>" in page and "</table>" in page
    assert "Russia, which has given only limited air support" in support._repr_html_()
    assert "against: hts" in RUSSIA_BACKS._repr_html_()
    entity = kg.Entity("hts", "Hayat <Tahrir>", "armed-group", aliases=("HTS",))._repr_html_()
    assert "Hayat &lt;Tahrir&gt;" in entity and "also: HTS" in entity


def test_html_reprs_of_the_bundled_graph_and_a_card():
    g = kg.load()
    assert "<table>" in g._repr_html_() and "relations" in g._repr_html_()
    card = g.card("Türkiye")._repr_html_()
    assert "Türkiye" in card and "designates as terrorist" in card
    assert repr(g.relations("designates-terrorist", object="HTS")).startswith("Results([\n  <Relation ")
    assert repr(kg.KnowledgeGraph({}, [], {}).relations()) == "Results([])"


def test_install_hints_name_the_extras_that_pyproject_declares():
    tomllib = pytest.importorskip("tomllib")

    from kg.extras import DISTRIBUTION, EXTRAS

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION != "kg"
    declared = project["optional-dependencies"]
    assert {extra: tuple(declared[extra]) for extra in EXTRAS} == EXTRAS
