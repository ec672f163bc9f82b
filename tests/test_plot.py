"""kg.plot and the kg plot / kg map commands: what each picture draws, the files it writes,
and that matplotlib stays optional."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.query import ASSERTING
from tests.conftest import MINI, errors

plot = pytest.importorskip("kg.plot")
pytest.importorskip("matplotlib")

runner = CliRunner()


@pytest.fixture(scope="module")
def g() -> kg.KnowledgeGraph:
    return kg.load()


@pytest.fixture(scope="module")
def network_figure(g):
    return plot.network(g)


def _signed_actor_pairs(g, as_of=None):
    """(a, b, sign) for every pair of actors tied by an asserting statement of non-zero sign."""
    view = g.as_of(as_of) if as_of else g
    pairs = set()
    for r in view.relations():
        ends = (r.subject, r.object)
        if (r.sign and r.status in ASSERTING and r.subject != r.object
                and all(g.entities[end].category == "actor" for end in ends)):
            pairs.add((*sorted(ends), r.sign))
    return pairs


def _non_white_share(png: Path) -> float:
    import matplotlib.image

    pixels = matplotlib.image.imread(png)[..., :3]
    return float((pixels.sum(axis=-1) < 2.9).mean())


# --------------------------------------------------------------------------- the bundled data's pictures


def test_network_png_of_the_bundled_data(g, network_figure, tmp_path):
    pairs = _signed_actor_pairs(g)
    actors = {end for a, b, _ in pairs for end in (a, b)}
    assert set(plot.drawn(network_figure, "node")) == actors
    assert len(plot.drawn(network_figure, "edge")) == len(pairs)
    path = plot.save(network_figure, tmp_path / "network.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 50_000
    assert _non_white_share(path) > 0.02


def test_map_png_of_the_bundled_data(g, tmp_path):
    located = {e.id for e in g.entities.values() if e.lat is not None}
    assert len(located) >= 10
    figure = plot.control_map(g, "2024-12-01")
    assert set(plot.drawn(figure, "place")) == located
    path = plot.save(figure, tmp_path / "map.png")
    assert path.stat().st_size > 20_000
    assert _non_white_share(path) > 0.01


def _colour_of(figure, gid):
    artist = next(a for ax in figure.axes for a in ax.get_children() if a.get_gid() == gid)
    return tuple(artist.get_facecolor()[0])


def test_the_map_shows_aleppo_changing_hands(g):
    before, after = plot.control_map(g, "2024-11-26"), plot.control_map(g, "2024-12-02")
    assert _colour_of(before, "kg-place-aleppo") != _colour_of(after, "kg-place-aleppo")
    # colours name the same holders on every date: the SDF keep theirs
    assert _colour_of(before, "kg-place-deir-hafer") != _colour_of(after, "kg-place-deir-hafer")
    assert _colour_of(after, "kg-place-deir-hafer") == _colour_of(after, "kg-place-maskana")


def test_network_as_of_a_date_keeps_only_what_held(g):
    figure = plot.network(g, as_of="2016-06-01")
    pairs = _signed_actor_pairs(g, "2016-06-01")
    assert len(plot.drawn(figure, "edge")) == len(pairs) < len(_signed_actor_pairs(g))


def test_layouts_are_deterministic(g, network_figure, mini, tmp_path):
    again = plot.network(g)
    first = [a.get_offsets().tolist() for a in network_figure.axes[0].collections if a.get_gid()]
    second = [a.get_offsets().tolist() for a in again.axes[0].collections if a.get_gid()]
    assert first == second
    one = plot.save(plot.network(mini), tmp_path / "a.svg")
    two = plot.save(plot.network(mini), tmp_path / "b.svg")
    assert one.read_bytes() == two.read_bytes()


def test_neighbourhood_draws_the_entity_and_everything_tied_to_it(g):
    figure = plot.neighbourhood(g, "Türkiye")
    tied = {r.other("turkiye") for r in g.neighbours("turkiye") if r.status in ASSERTING and r.subject != r.object}
    assert set(plot.drawn(figure, "node")) == tied | {"turkiye"}


def test_timeline_draws_a_bar_per_dated_statement(g):
    figure = plot.timeline(g, "HTS", as_of="2024-11-27")
    dated = [r for r in g.neighbours("hts") if (r.start or r.end) and r.status in ASSERTING]
    assert len(plot.drawn(figure, "bar")) == len(dated)
    assert "undated not shown" in figure.axes[0].get_title()


def test_pictures_of_a_graph_with_nothing_to_draw_say_so(mini):
    figure = plot.control_map(mini, "2024-12-01")
    assert plot.drawn(figure, "place") == []
    assert "no place has coordinates" in figure.axes[0].texts[0].get_text()


# --------------------------------------------------------------------------- files


def test_html_is_self_contained(g, tmp_path):
    page = plot.save(plot.control_map(g, "2024-12-01"), tmp_path / "map.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "kg-place-aleppo" in page
    assert "<link" not in page and "src=" not in page and "@import" not in page
    assert "Aleppo" in page  # text stays text: tooltips and search find names


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".html", b"<!DOCTYPE")])
def test_save_chooses_the_format_by_suffix(mini, tmp_path, suffix, magic):
    figure = plot.neighbourhood(mini, "HTS")
    assert plot.save(figure, tmp_path / f"n{suffix}").read_bytes().startswith(magic)


def test_save_refuses_an_unknown_suffix_and_a_missing_folder(network_figure, tmp_path):
    with pytest.raises(kg.QueryError, match=r"the file name must end in \.png, \.svg or \.html"):
        plot.save(network_figure, tmp_path / "n.gif")
    with pytest.raises(kg.QueryError, match="does not exist"):
        plot.save(network_figure, tmp_path / "nowhere" / "n.png")


def test_draw_checks_names(g):
    with pytest.raises(kg.QueryError, match="^the timeline picture needs the name of an entity$"):
        plot.draw(g, "timeline")
    with pytest.raises(kg.QueryError, match="^the network picture takes no name"):
        plot.draw(g, "network", "HTS")
    with pytest.raises(kg.UnknownEntityError):
        plot.draw(g, "neighbourhood", "Atlantis")


# --------------------------------------------------------------------------- matplotlib is optional


def test_import_kg_does_not_import_matplotlib():
    code = "import sys, kg, kg.cli, kg.plot; kg.load(); print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parents[1])
    assert result.stdout.strip() == "False"


def test_a_missing_matplotlib_is_a_clear_import_error(mini, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    message = ('kg.plot needs matplotlib, which is not installed: '
               'pip install ".[plot]" in a clone of kg, or pip install "matplotlib>=3.7"')
    with pytest.raises(ImportError) as caught:
        plot.network(mini)
    assert str(caught.value) == message
    result = runner.invoke(app, ["plot", "network", "-o", "x.png", "--data", str(MINI)])
    assert result.exit_code == 1
    assert errors(result) == f"error: {message}\n"


# --------------------------------------------------------------------------- the commands


def test_kg_plot_writes_each_picture(tmp_path):
    for args, name in [(["network"], "n.png"), (["neighbourhood", "Turkey"], "t.svg"), (["timeline", "HTS"], "h.html")]:
        result = runner.invoke(app, ["plot", *args, "-o", str(tmp_path / name), "--data", str(MINI)])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"wrote {tmp_path / name}\n"
        assert (tmp_path / name).stat().st_size > 1000


def test_kg_map_writes_the_map(tmp_path):
    result = runner.invoke(app, ["map", "--as-of", "2024-12-01", "-o", str(tmp_path / "m.png")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "m.png").stat().st_size > 20_000


@pytest.mark.parametrize("args, message", [
    (["plot", "timeline", "-o", "t.png"], "error: the timeline picture needs the name of an entity\n"),
    (["plot", "network", "-o", "n.gif"],
     "error: cannot write 'n.gif': the file name must end in .png, .svg or .html\n"),
])  # a bad date is a usage error (exit 2): tests/test_cli_errors.py
def test_kg_plot_and_map_errors_exit_1(args, message):
    result = runner.invoke(app, [*args, "--data", str(MINI)])
    assert result.exit_code == 1
    assert errors(result) == message


def test_kg_map_needs_a_date():
    assert runner.invoke(app, ["map", "-o", "m.png"]).exit_code == 2


@pytest.mark.parametrize("picture", ["network", "neighbourhood"])
def test_names_never_cover_one_another(picture):
    """The names are placed where they overlap no other name (on the bundled data's crowded centre)."""
    import itertools

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    graph = kg.load()
    figure = plot.network(graph) if picture == "network" else plot.neighbourhood(graph, "HTS")
    renderer = FigureCanvasAgg(figure).get_renderer()
    names = {"".join(entity.name.split()) for entity in graph.entities.values()}  # names may wrap over lines
    boxes = [text.get_window_extent(renderer) for text in figure.axes[0].texts
             if "".join(text.get_text().split()) in names]
    assert len(boxes) > 20
    assert [pair for pair in itertools.combinations(boxes, 2) if pair[0].overlaps(pair[1])] == []


# --------------------------------------------------------------------------- legible at a glance


def _label_boxes(figure):
    """The window boxes of the names a network or neighbourhood places, by node id."""
    figure.draw_without_rendering()
    return {a.get_gid()[len("kg-label-"):]: a.get_window_extent().extents
            for a in figure.axes[0].texts if (a.get_gid() or "").startswith("kg-label-")}


def _overlapping(boxes):
    items = sorted(boxes.items())
    return [(a, b) for i, (a, p) in enumerate(items) for b, q in items[i + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def test_network_names_never_overlap_and_the_hubs_are_named(g, network_figure):
    boxes = _label_boxes(network_figure)
    assert _overlapping(boxes) == []
    degree = {}
    for a, b, _ in _signed_actor_pairs(g):
        degree[a], degree[b] = degree.get(a, 0) + 1, degree.get(b, 0) + 1
    hubs = sorted(degree, key=lambda n: (-degree[n], n))[:15]
    assert set(hubs) <= set(boxes)
    assert len(boxes) >= 0.8 * len(degree)
    unnamed = sorted(set(plot.drawn(network_figure, "node")) - set(boxes))
    title = network_figure.axes[0].get_title()
    assert not unnamed or f"; {len(unnamed)} actor" in title


def test_network_names_the_actors_asked_for(g, network_figure):
    every = set(plot.drawn(network_figure, "node"))
    asked = sorted(every - set(_label_boxes(network_figure)))[:1] or ["hamas"]
    figure = plot.network(g, label=[g.entities[asked[0]].name])
    assert asked[0] in _label_boxes(figure)


def test_neighbourhood_names_every_entity(g):
    figure = plot.neighbourhood(g, "HTS")
    assert set(_label_boxes(figure)) == set(plot.drawn(figure, "node"))


def test_the_map_shows_country_borders_and_a_scale_offline(g, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the map tried to reach the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    figure = plot.control_map(g, "2024-12-02")
    main = figure.axes[0]
    texts = [t.get_text() for t in main.texts]
    assert {"SYRIA", "TURKEY", "LEBANON"} <= set(texts)
    assert [t for t in texts if t.endswith(" km")] == ["20 km"]
    outlines = [p for p in main.patches if type(p).__name__ == "PathPatch"]
    assert len(outlines) >= 15
    assert all(ax.get_facecolor()[:3] != (1.0, 1.0, 1.0) for ax in figure.axes[:2])  # the sea is coloured


def test_the_shipped_outlines_say_where_they_come_from():
    import json

    collection = json.loads(plot.BORDERS.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in collection["features"]}
    assert {"Syria", "Turkey", "Lebanon", "Iraq", "Jordan", "Israel"} <= names
    west, south, east, north = collection["bbox"]
    assert west <= 35.5 and east >= 42.5 and south <= 32 and north >= 37.5  # Syria with room around it
    source = (plot.BORDERS.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert "Natural Earth" in source and "public domain" in source and "world-atlas" in source


def test_kg_plot_names_an_actor_on_request(tmp_path):
    result = runner.invoke(app, ["plot", "network", "--label", "Hamas", "-o", str(tmp_path / "n.png")])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["plot", "timeline", "HTS", "--label", "Hamas", "-o", str(tmp_path / "t.png")])
    assert result.exit_code == 1
    assert errors(result) == "error: the timeline picture takes no label option\n"
