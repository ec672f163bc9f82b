"""A map of places coloured by who controls them on a date, over country borders, with a scale bar."""

from __future__ import annotations

import functools
import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from kg._display import source_ids
from kg.dates import AFTER_ALL, date_argument, describe, span
from kg.model import Entity, Relation
from kg.plot.figures import empty_figure, new_figure, statements, tag
from kg.vocabulary import CONTROL

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = ["BORDERS", "control_map"]


def control_map(graph: "KnowledgeGraph", as_of: str | date, *,
                statuses: Iterable[str] | str | None = None) -> "Figure":
    """The places that have coordinates, in longitude and latitude, coloured by who controls
    them on a date (``controls`` statements that held on it); white when no statement says.

    The axes are degrees of longitude and latitude, drawn to scale at the places' latitude.
    Country outlines and names from Natural Earth (1:50m, public domain; shipped with kg and
    drawn offline, see ``BORDERS``) and a scale bar in kilometres show where the places are.
    When several places crowd together (Aleppo and its districts), a second panel shows
    them close up, and a box on the map marks where.

    >>> import kg, kg.plot
    >>> figure = kg.plot.control_map(kg.load(), "2024-12-01")
    >>> "aleppo" in kg.plot.drawn(figure, "place")
    True
    """
    when = date_argument(as_of)
    places = sorted((e for e in graph.entities.values() if e.lat is not None), key=lambda e: e.id)
    holders: dict[str, list[Relation]] = {}
    for relation in statements(graph, when, statuses):
        if relation.type == CONTROL:
            holders.setdefault(relation.object, []).append(relation)
    crowd = _crowd(places, radius=0.12)
    figure, ax = new_figure((13, 9) if crowd else (9, 9))
    if not places:
        return empty_figure(figure, ax, "no place has coordinates")
    labels = {p.id: _holders_label(graph, holders.get(p.id, [])) for p in places}
    groups = sorted({label for label in labels.values() if label}, key=str.casefold)
    colours = _control_colours(graph, places, statuses)
    texts = {}
    for place in places:
        lines = [f"{place.name} ({place.id}): {place.lat}, {place.lon}"]
        lines += [f"{r.subject} controls it ({describe(r.start, r.end)}, {r.status}; {', '.join(source_ids([r]))})"
                  for r in holders.get(place.id, [])] or ["no control statement on this date"]
        texts[place.id] = "\n".join(lines)
    panels = [(ax, "place", [p for p in places if p not in crowd])]
    if crowd:
        ax.remove()
        ax, zoom = figure.subplots(1, 2, width_ratios=[3, 2])
        panels = [(ax, "place", [p for p in places if p not in crowd]), (zoom, "zoom", crowd)]
    for axes, role, named in panels:
        for place in places if role == "place" else crowd:
            point = axes.scatter([place.lon], [place.lat], s=110 if role == "place" else 160,
                                 c=colours[labels[place.id]], edgecolors="#444444", linewidths=0.9, zorder=3)
            tag(figure, point, role, place.id, texts[place.id])
        shown = places if role == "place" else crowd
        width = max(p.lon for p in shown) - min(p.lon for p in shown) or 1.0
        for place in named:
            crowded = any(0 < other.lon - place.lon < 0.15 * width and abs(other.lat - place.lat) < 0.03 * width
                          for other in named)
            axes.annotate(place.name, (place.lon, place.lat), xytext=(-7, 4) if crowded else (7, 4),
                          textcoords="offset points", ha="right" if crowded else "left", fontsize=8.5,
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})
        mean_lat = sum(p.lat for p in places) / len(places)
        axes.set_aspect(1 / math.cos(math.radians(mean_lat)))
        axes.grid(color="#d0d8e0", linewidth=0.5)
        axes.set_xlabel("longitude (° east)")
        axes.set_ylabel("latitude (° north)")
    ax.margins(0.15)
    _widen(ax, 2.0)
    ax.set_title(f"Who controls each place on {when} ({len(places)} places with coordinates)")
    if crowd:
        lons, lats = [p.lon for p in crowd], [p.lat for p in crowd]
        pad = 0.04
        box = (min(lons) - pad, min(lats) - pad, max(lons) - min(lons) + 2 * pad, max(lats) - min(lats) + 2 * pad)
        from matplotlib.patches import Rectangle

        ax.add_patch(Rectangle(box[:2], box[2], box[3], fill=False, edgecolor="#555555", linestyle=":", zorder=2))
        ax.annotate("close up →", (box[0] + box[2], box[1] + box[3]), xytext=(4, 2), textcoords="offset points",
                    fontsize=8, color="#555555")
        zoom.set_xlim(box[0], box[0] + box[2])
        zoom.set_ylim(box[1], box[1] + box[3])
        zoom.set_title(f"close up of the dotted box: {len(crowd)} places")
    for axes, _, _ in panels:
        _basemap(axes)
        _scale_bar(axes)
    handles = [ax.scatter([], [], s=90, c=colours[label], edgecolors="#444444", label=label or "no control statement")
               for label in [*groups, ""] if label in labels.values()]
    figure.legend(handles=handles, title="controlled by", loc="outside lower center", ncols=2, fontsize=8.5,
                  title_fontsize=9, frameon=False)
    return figure


#: Country outlines for the maps: Natural Earth's 1:50m countries (public domain) from
#: world-atlas 2.0.2, cut to the eastern Mediterranean and its hinterland (the file's bbox);
#: kg/borders/SOURCE.md says how it was made.
BORDERS = Path(__file__).parent.parent / "borders" / "countries.geojson"


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[tuple[float, ...], tuple[tuple[str, Any], ...]]:
    """The outlines' bounding box (west, south, east, north) and a (name, matplotlib Path) per country."""
    from matplotlib.path import Path as Outline

    collection = json.loads(BORDERS.read_text(encoding="utf-8"))
    countries = []
    for feature in collection["features"]:
        vertices: list[list[float]] = []
        codes: list[int] = []
        for ring in (ring for polygon in feature["geometry"]["coordinates"] for ring in polygon):
            vertices += ring
            codes += [Outline.MOVETO, *[Outline.LINETO] * (len(ring) - 2), Outline.CLOSEPOLY]
        countries.append((feature["properties"]["name"], Outline(vertices, codes)))
    return tuple(collection["bbox"]), tuple(countries)


def _widen(ax: "Axes", least: float) -> None:
    """Widen the view about its centre to at least ``least`` degrees each way, so that a map of
    a few close places still shows the borders around them."""
    for get, set_ in ((ax.get_xlim, ax.set_xlim), (ax.get_ylim, ax.set_ylim)):
        low, high = get()
        if high - low < least:
            middle = (low + high) / 2
            set_(middle - least / 2, middle + least / 2)


def _basemap(ax: "Axes") -> None:
    """Sea, land and country borders under what a map shows, each country named where
    enough of it is in view; a note when the view reaches past the outlines kg ships."""
    from matplotlib.patches import PathPatch

    (west, south, east, north), countries = _countries()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ax.set_facecolor("#e3edf5")
    grid = [(x0 + (x1 - x0) * (i + 0.5) / 30, y0 + (y1 - y0) * (j + 0.5) / 30) for i in range(30) for j in range(30)]
    for name, outline in countries:
        ax.add_patch(PathPatch(outline, facecolor="#f5f2ea", edgecolor="#8c8c8c", linewidth=0.9, zorder=0))
        inside = [point for point, hit in zip(grid, outline.contains_points(grid)) if hit]
        if len(inside) >= 60:
            mx, my = sum(x for x, _ in inside) / len(inside), sum(y for _, y in inside) / len(inside)
            x, y = min(inside, key=lambda p: (p[0] - mx) ** 2 + (p[1] - my) ** 2)
            ax.text(x, y, name.upper(), ha="center", va="center", fontsize=11, color="#a09a8c", zorder=1,
                    fontweight="bold", alpha=0.9)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    if x0 < west or x1 > east or y0 < south or y1 > north:
        ax.text(0.01, 0.99, f"country outlines reach only {west:g}–{east:g}° E, {south:g}–{north:g}° N",
                transform=ax.transAxes, ha="left", va="top", fontsize=7.5, color="#555555")


def _scale_bar(ax: "Axes") -> None:
    """A bar of a round number of kilometres, about a fifth of the view's width, bottom left."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    km_per_degree = 111.32 * math.cos(math.radians((y0 + y1) / 2))
    target = (x1 - x0) * km_per_degree / 5
    magnitude = 10 ** math.floor(math.log10(target))
    km = max(step * magnitude for step in (1, 2, 5) if step * magnitude <= target)
    left, bottom, length = x0 + 0.05 * (x1 - x0), y0 + 0.05 * (y1 - y0), km / km_per_degree
    ax.plot([left, left + length], [bottom, bottom], color="#222222", linewidth=3, solid_capstyle="butt", zorder=5)
    ax.text(left + length / 2, bottom + 0.012 * (y1 - y0), f"{km:g} km", ha="center", va="bottom", fontsize=8.5,
            zorder=5, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})


#: Colours of who controls a place; white is for places no statement covers.
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d")


def _control_colours(graph: "KnowledgeGraph", places: list[Entity],
                     statuses: Iterable[str] | str | None) -> dict[str, str]:
    """A colour for each set of holders a place has on any date, the same on every map of
    the graph: the sets are found on each day that control changes, and coloured in order."""
    controls = [(r, span(r.start, r.end).possible) for r in statements(graph, None, statuses)
                if r.type == CONTROL]
    days = sorted({first for _, (first, _) in controls}
                  | {last + timedelta(days=1) for _, (_, last) in controls if last != AFTER_ALL})
    located = {p.id for p in places}
    labels: set[str] = set()
    for day in days:
        held: dict[str, list[Relation]] = {}
        for r, (first, last) in controls:
            if r.object in located and first <= day <= last:
                held.setdefault(r.object, []).append(r)
        labels.update(_holders_label(graph, rels) for rels in held.values())
    ordered = sorted(labels, key=lambda label: (label.count(" + "), label.casefold()))
    return {**{label: _PALETTE[i % len(_PALETTE)] for i, label in enumerate(ordered)}, "": "#ffffff"}


def _crowd(places: list[Entity], radius: float) -> list[Entity]:
    """The largest group of at least three places within ``radius`` degrees of one of them."""
    best: list[Entity] = []
    for centre in places:
        near = [p for p in places if math.hypot(p.lat - centre.lat, p.lon - centre.lon) <= radius]
        if len(near) > len(best):
            best = near
    return best if len(best) >= 3 else []


def _holders_label(graph: "KnowledgeGraph", relations: list[Relation]) -> str:
    names = sorted({graph.entities[r.subject].name for r in relations}, key=str.casefold)
    return " + ".join(names)
