"""Pictures of a knowledge graph: the signed network, one entity's neighbourhood, a timeline of
an entity's statements, and a map of places coloured by who controls them on a date.

Every function takes the graph first and returns a matplotlib ``Figure``; ``save`` writes a
figure as PNG, SVG or a self-contained interactive HTML page, chosen by the file's suffix.
matplotlib is optional (the ``plot`` extra: ``pip install ".[plot]"`` in a clone) and only imported when a
picture is drawn,
so ``import kg`` and ``import kg.plot`` stay light. Layouts are deterministic: the network's
force layout is seeded, the neighbourhood is drawn in rings sorted by sign and name.

>>> import kg, kg.plot
>>> figure = kg.plot.neighbourhood(kg.load(), "HTS", as_of="2024-12-01")
>>> kg.plot.drawn(figure, "node")[:3]
['ahrar-al-sham', 'al-qaeda', 'aleppo']
"""

from __future__ import annotations

import html
import io
import json
import math
import textwrap
import weakref
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from kg.dates import AFTER_ALL, BEFORE_ALL, date_argument, describe, earliest, span
from kg.errors import KGError, QueryError
from kg.extras import install_hint
from kg.files import write_atomically
from kg.model import Entity, Relation
from kg.query import ASSERTING
from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES, STATUSES, term_arguments

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = [
    "PICTURES",
    "SHAPES",
    "WRITERS",
    "MissingDependencyError",
    "check_path",
    "control_map",
    "draw",
    "drawn",
    "neighbourhood",
    "network",
    "save",
    "timeline",
    "to_html",
]


class MissingDependencyError(KGError, ImportError):
    """An optional dependency that a picture needs is not installed."""


def _matplotlib() -> Any:
    """pyplot, with a clear message when matplotlib is missing."""
    try:
        import matplotlib
        import matplotlib.pyplot as pyplot
    except ImportError as err:
        raise MissingDependencyError(
            f"kg.plot needs matplotlib, which is not installed: {install_hint('plot')}") from err
    del matplotlib
    return pyplot


# --------------------------------------------------------------------------- styles (tables, not branches)

#: Edge colours by sign: cooperative, hostile, neutral.
SIGN_COLOURS: Mapping[int, str] = {1: "#2166ac", -1: "#d6604d", 0: "#9e9e9e"}
SIGN_NAMES: Mapping[int, str] = {1: "cooperative", -1: "hostile", 0: "neutral"}


@dataclass(frozen=True)
class Shape:
    """How nodes of some entity kinds are drawn: a matplotlib marker and a fill colour."""

    label: str
    marker: str
    colour: str
    kinds: frozenset[str]


#: Node shapes by entity kind; a kind in no row falls back to its category's row.
SHAPES: tuple[Shape, ...] = (
    Shape("state", "s", "#fdd49e", frozenset({"state"})),
    Shape("government or its body", "D", "#fdae6b", frozenset({"government", "government-body", "governing-body"})),
    Shape("armed forces or unit", "p", "#fc8d59", frozenset({"armed-forces", "military-unit"})),
    Shape("armed group, militia or clan", "o", "#d9d9d9", frozenset({"armed-group", "militia", "clan"})),
    Shape("coalition or collective", "h", "#c7e9c0", frozenset({"coalition", "collective"})),
    Shape("organisation, party or outlet", "^", "#c6dbef",
          frozenset({"igo", "ngo", "monitor", "research-institute", "media", "party"})),
    Shape("person", "v", "#dadaeb", frozenset({"person"})),
    Shape("place", "P", "#e5f5e0", frozenset(k for k, v in ENTITY_KINDS.items() if v.category == "place")),
    Shape("event", "*", "#fee391", frozenset(k for k, v in ENTITY_KINDS.items() if v.category == "event")),
)
_SHAPE_OF = {kind: shape for shape in SHAPES for kind in shape.kinds}


def _shape(entity: Entity) -> Shape:
    return _SHAPE_OF.get(entity.kind, SHAPES[3])


# --------------------------------------------------------------------------- what a figure shows

#: Tooltips and links of the artists of each figure, for the HTML view: gid -> {text, links}.
_META: "weakref.WeakKeyDictionary[Figure, dict[str, dict[str, Any]]]" = weakref.WeakKeyDictionary()


def _tag(figure: "Figure", artist: Any, role: str, key: str, text: str, links: Iterable[str] = ()) -> str:
    """Give an artist an SVG id ``kg-<role>-<key>`` and remember its tooltip and linked ids."""
    gid = f"kg-{role}-{key}"
    artist.set_gid(gid)
    _META.setdefault(figure, {})[gid] = {"text": text, "links": sorted(links)}
    return gid


def drawn(figure: "Figure", role: str) -> list[str]:
    """The ids of what a kg figure draws in one role: ``node``, ``edge``, ``place`` or ``bar``.

    >>> import kg, kg.plot
    >>> g = kg.load()
    >>> located = [e.id for e in g.entities.values() if e.lat is not None]
    >>> len(kg.plot.drawn(kg.plot.control_map(g, "2024-12-01"), "place")) == len(located)
    True
    """
    prefix = f"kg-{role}-"
    return sorted(gid[len(prefix):] for gid in _META.get(figure, {}) if gid.startswith(prefix))


def _new_figure(size: tuple[float, float], constrained: bool = True) -> tuple["Figure", "Axes"]:
    """A figure that pyplot does not keep: Jupyter shows it once, as the cell's value.

    Pictures with tick labels and legends outside the axes use the constrained layout; the
    graph drawings, whose axes are hidden, fill the figure and draw faster without it."""
    pyplot = _matplotlib()
    figure = pyplot.figure(figsize=size, layout="constrained" if constrained else None)
    pyplot.close(figure)
    if not constrained:
        figure.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.96)
    return figure, figure.add_subplot()


def _statements(graph: "KnowledgeGraph", as_of: str | date | None,
                statuses: Iterable[str] | str | None) -> list[Relation]:
    """The relations that count: those whose status asserts them (or the chosen statuses), on a date."""
    chosen = term_arguments("status", statuses, STATUSES) or ASSERTING
    view = graph.as_of(as_of) if as_of is not None else graph
    return [r for r in view.relations() if r.status in chosen and r.subject != r.object]


def _name(graph: "KnowledgeGraph", entity_id: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(graph.entities[entity_id].name, width)) or entity_id


def _sources(relations: Iterable[Relation]) -> str:
    return ", ".join(sorted({c.source for r in relations for c in r.sources}))


def _node_text(graph: "KnowledgeGraph", entity_id: str) -> str:
    entity = graph.entities[entity_id]
    return f"{entity.name} ({entity.id}) — {ENTITY_KINDS[entity.kind].label}"


def _pair_text(graph: "KnowledgeGraph", a: str, b: str, sign: int, relations: list[Relation]) -> str:
    lines = [f"{graph.entities[a].name} — {graph.entities[b].name}: {SIGN_NAMES[sign]}"]
    lines += [f"{r.subject} {r.type} {r.object} ({describe(r.start, r.end)}, {r.status})" for r in relations[:8]]
    if len(relations) > 8:
        lines.append(f"… and {len(relations) - 8} more")
    lines.append(f"sources: {_sources(relations)}")
    return "\n".join(lines)


def _signed_pairs(relations: Iterable[Relation], keep: Callable[[Relation], bool]
                  ) -> dict[tuple[str, str, int], list[Relation]]:
    """Statements grouped by unordered pair and sign: one edge each."""
    pairs: dict[tuple[str, str, int], list[Relation]] = {}
    for relation in relations:
        if keep(relation):
            a, b = sorted((relation.subject, relation.object))
            pairs.setdefault((a, b, relation.sign), []).append(relation)
    return dict(sorted(pairs.items()))


def _draw_edges(figure: "Figure", ax: "Axes", graph: "KnowledgeGraph", pos: Mapping[str, tuple[float, float]],
                pairs: Mapping[tuple[str, str, int], list[Relation]], labels: bool = False) -> None:
    """One line per pair and sign, coloured by sign, thicker with more statements; a pair
    tied both ways gets two lines side by side."""
    signs_of: dict[tuple[str, str], list[int]] = {}
    for a, b, sign in pairs:
        signs_of.setdefault((a, b), []).append(sign)
    span = max((abs(v) for xy in pos.values() for v in xy), default=1.0) or 1.0
    for index, ((a, b, sign), relations) in enumerate(pairs.items()):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        siblings = signs_of[(a, b)]
        if len(siblings) > 1:
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            shift = 0.006 * span * (siblings.index(sign) - (len(siblings) - 1) / 2) * 2
            dx, dy = -(y2 - y1) / length * shift, (x2 - x1) / length * shift
            x1, x2, y1, y2 = x1 + dx, x2 + dx, y1 + dy, y2 + dy
        (line,) = ax.plot([x1, x2], [y1, y2], color=SIGN_COLOURS[sign], alpha=0.6, zorder=1,
                          linewidth=0.8 + 0.7 * math.log2(len(relations)),
                          linestyle="-" if sign else "--")
        _tag(figure, line, "edge", str(index), _pair_text(graph, a, b, sign, relations),
             [f"kg-node-{a}", f"kg-node-{b}"])
        if labels:
            types = ", ".join(sorted({r.type for r in relations}))
            along = {1: 0.5, -1: 0.62, 0: 0.38}[sign]  # labels of a pair's two lines apart
            ax.text(x1 + (x2 - x1) * along, y1 + (y2 - y1) * along, types, fontsize=6, color=SIGN_COLOURS[sign],
                    ha="center", va="center", zorder=2,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})


def _draw_nodes(figure: "Figure", ax: "Axes", graph: "KnowledgeGraph", pos: Mapping[str, tuple[float, float]],
                edges: Mapping[tuple[str, str, int], list[Relation]], sizes: Mapping[str, float],
                highlight: str | None = None, fontsize: float = 7) -> None:
    """A marker per entity (shape by kind), its name beside it, and a legend of the shapes used."""
    links: dict[str, list[str]] = {node: [] for node in pos}
    for index, (a, b, _) in enumerate(edges):
        links[a].append(f"kg-edge-{index}")
        links[b].append(f"kg-edge-{index}")
    used: dict[str, Shape] = {}
    for node, (x, y) in pos.items():
        shape = _shape(graph.entities[node])
        used[shape.label] = shape
        colour = "#ffd92f" if node == highlight else shape.colour
        marker = ax.scatter([x], [y], s=sizes[node], marker=shape.marker, c=colour, edgecolors="#333333",
                            linewidths=0.8, zorder=3)
        _tag(figure, marker, "node", node, _node_text(graph, node), links[node])
    handles = [ax.scatter([], [], marker=s.marker, c=s.colour, edgecolors="#333333", label=s.label)
               for s in sorted(used.values(), key=SHAPES.index)]
    lines = [ax.plot([], [], color=SIGN_COLOURS[sign], label=SIGN_NAMES[sign], linestyle="-" if sign else "--")[0]
             for sign in sorted({sign for _, _, sign in edges}, reverse=True)]
    ax.legend(handles=handles + lines, loc="lower left", fontsize=7, framealpha=0.85)
    ax.set_axis_off()
    ax.margins(0.08)
    ax.autoscale_view()
    biggest_first = sorted(pos, key=lambda node: (-sizes[node], node))
    _place_labels(ax, [(_name(graph, node), pos[node], math.sqrt(sizes[node]) / 2) for node in biggest_first], fontsize)


# Where a name may go around its marker: (x, y) direction and the text's alignment there.
_LABEL_SPOTS = ((0, -1, "center", "top"), (0, 1, "center", "bottom"), (1, 0, "left", "center"),
                (-1, 0, "right", "center"), (1, -1, "left", "top"), (-1, -1, "right", "top"),
                (1, 1, "left", "bottom"), (-1, 1, "right", "bottom"))


def _place_labels(ax: "Axes", labels: list[tuple[str, tuple[float, float], float]], fontsize: float) -> None:
    """Each name beside its marker (radius in points) where it covers no name placed before
    and no other marker, trying eight sides at three distances; else where it covers fewest."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    figure = ax.figure
    canvas = figure.canvas
    renderer = FigureCanvasAgg(figure).get_renderer()  # to measure text; the figure keeps its own canvas
    figure.set_canvas(canvas)
    pixels = figure.dpi / 72
    markers = []
    for _, xy, radius in labels:
        x, y = ax.transData.transform(xy)
        reach = radius * pixels
        markers.append(Bbox.from_extents(x - reach, y - reach, x + reach, y + reach))
    placed: list[Any] = []
    for index, (text, xy, radius) in enumerate(labels):
        others = placed + markers[:index] + markers[index + 1:]
        best: tuple[int, Any, Any] | None = None
        for distance in (2, 9, 18):
            for dx, dy, ha, va in _LABEL_SPOTS:
                label = ax.annotate(text, xy, xytext=(dx * (radius + distance), dy * (radius + distance)),
                                    textcoords="offset points", ha=ha, va=va, fontsize=fontsize, zorder=4,
                                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                          "alpha": 0.75})
                box = label.get_window_extent(renderer)
                clashes = sum(1 for other in others if box.overlaps(other))
                if best is None or clashes < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (clashes, label, box)
                else:
                    label.remove()
                if clashes == 0:
                    break
            if best[0] == 0:
                break
        placed.append(best[2])


# --------------------------------------------------------------------------- the signed network


def network(graph: "KnowledgeGraph", *, as_of: str | date | None = None,
            statuses: Iterable[str] | str | None = None, seed: int = 7) -> "Figure":
    """The signed network of actors: cooperative and hostile statements as blue and red lines.

    Nodes are actors tied to another actor by a statement of non-zero sign; their shape says
    their kind, their size how many others they are tied to. A pair with several statements
    of one sign gets one, thicker line. The layout is a force layout seeded with ``seed``.

    >>> import kg, kg.plot
    >>> figure = kg.plot.network(kg.load())
    >>> "hts" in kg.plot.drawn(figure, "node")
    True
    """
    import networkx

    actors = {entity_id for entity_id, e in graph.entities.items() if e.category == "actor"}
    pairs = _signed_pairs(_statements(graph, as_of, statuses),
                          lambda r: r.sign != 0 and r.subject in actors and r.object in actors)
    simple = networkx.Graph()
    simple.add_nodes_from(sorted({end for a, b, _ in pairs for end in (a, b)}))
    for (a, b, _), relations in pairs.items():
        weight = simple.get_edge_data(a, b, {}).get("weight", 0) + len(relations)
        simple.add_edge(a, b, weight=weight)
    figure, ax = _new_figure((16, 12), constrained=False)
    if not simple:
        return _empty(figure, ax, "no signed statements between actors")
    pos = _components_layout(simple, seed)
    _draw_edges(figure, ax, graph, pos, pairs)
    sizes = {node: 50 + 90 * math.sqrt(simple.degree(node)) for node in pos}
    _draw_nodes(figure, ax, graph, pos, pairs, sizes)
    when = f" on {as_of}" if as_of else ""
    ax.set_title(f"The signed network{when}: {len(pos)} actors, {len(pairs)} ties "
                 f"({sum(1 for *_, s in pairs if s > 0)} cooperative, {sum(1 for *_, s in pairs if s < 0)} hostile)")
    return figure


def _components_layout(simple: Any, seed: int) -> dict[str, tuple[float, float]]:
    """A seeded force layout of each connected component: the largest in the middle, the
    others in a column to its right, each scaled to its size."""
    import networkx

    components = sorted((sorted(c) for c in networkx.connected_components(simple)), key=lambda c: (-len(c), c))
    pos: dict[str, tuple[float, float]] = {}
    column_y = 1.0
    for index, nodes in enumerate(components):
        part = simple.subgraph(nodes)
        scale = 1.0 if index == 0 else max(0.08, math.sqrt(len(nodes) / len(components[0])))
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        else:
            local = networkx.spring_layout(part, seed=seed, k=3.0 / math.sqrt(len(nodes)), iterations=300,
                                           weight=None)
        if index == 0:
            offset = (0.0, 0.0)
        else:
            offset = (1.35 + scale, column_y - scale)
            column_y -= 2 * scale + 0.15
        for node in nodes:
            x, y = local[node]
            pos[node] = (float(x) * scale + offset[0], float(y) * scale + offset[1])
    return dict(sorted(pos.items()))


# --------------------------------------------------------------------------- one entity's neighbourhood


def neighbourhood(graph: "KnowledgeGraph", name: str, *, as_of: str | date | None = None,
                  statuses: Iterable[str] | str | None = None) -> "Figure":
    """An entity and everything it is tied to, in a ring sorted by sign and name.

    Every statement counts, neutral ones (dashed grey) too; each line is labelled with the
    relation types it stands for.

    >>> import kg, kg.plot
    >>> figure = kg.plot.neighbourhood(kg.load(), "Türkiye")
    >>> "turkiye" in kg.plot.drawn(figure, "node")
    True
    """
    centre = graph.resolve(name).id
    pairs = _signed_pairs((r for r in _statements(graph, as_of, statuses) if centre in (r.subject, r.object)),
                          lambda r: True)
    figure, ax = _new_figure((13, 13), constrained=False)
    if not pairs:
        return _empty(figure, ax, f"no statements about {graph.entities[centre].name}")
    others: dict[str, int] = {}
    for a, b, sign in pairs:
        other = b if a == centre else a
        others[other] = max(others.get(other, -2), sign)
    ring = sorted(others, key=lambda node: (-others[node], graph.entities[node].name.casefold()))
    pos = {centre: (0.0, 0.0)}
    for index, node in enumerate(ring):
        angle = math.pi / 2 - 2 * math.pi * index / len(ring)
        pos[node] = (math.cos(angle), math.sin(angle))
    _draw_edges(figure, ax, graph, pos, pairs, labels=True)
    sizes = {node: 900 if node == centre else 160 for node in pos}
    _draw_nodes(figure, ax, graph, pos, pairs, sizes, highlight=centre, fontsize=7.5)
    when = f" on {as_of}" if as_of else ""
    ax.set_title(f"{graph.entities[centre].name}{when}: {len(ring)} entities tied by "
                 f"{sum(len(rels) for rels in pairs.values())} statements")
    return figure


# --------------------------------------------------------------------------- timeline


def timeline(graph: "KnowledgeGraph", name: str, *, types: Iterable[str] | str | None = None,
             statuses: Iterable[str] | str | None = None, as_of: str | date | None = None) -> "Figure":
    """An entity's dated statements as bars in time, one row each, coloured by sign.

    A partial date covers its whole period (``2016`` runs from January to December). An open
    start or end runs to the edge of the picture with an arrow: the statement holds from or
    until an unknown time. Undated statements are counted in the title, not drawn. ``as_of``
    marks a date with a vertical line.

    >>> import kg, kg.plot
    >>> figure = kg.plot.timeline(kg.load(), "HTS")
    >>> len(kg.plot.drawn(figure, "bar")) > 0
    True
    """
    import matplotlib.dates as mdates

    entity = graph.resolve(name)
    chosen = term_arguments("relation type", types, RELATION_TYPES)
    relations = [r for r in _statements(graph, None, statuses)
                 if entity.id in (r.subject, r.object) and (chosen is None or r.type in chosen)]
    dated = sorted((r for r in relations if not r.undated),
                   key=lambda r: (*span(r.start, r.end).possible, r.type, r.other(entity.id)))
    figure, ax = _new_figure((12, max(3.0, 0.32 * len(dated) + 1.6)))
    if not dated:
        return _empty(figure, ax, f"no dated statements about {entity.name} ({len(relations)} undated)")
    marked = date_argument(as_of)
    known = [day for r in dated for day in span(r.start, r.end).possible if day not in (BEFORE_ALL, AFTER_ALL)]
    known += [earliest(marked)] if marked else []
    first, last = min(known), max(known)
    pad = max(timedelta(days=20), (last - first) * 0.06)
    left, right = first - pad, last + pad
    for row, relation in enumerate(dated):
        first_day, last_day = span(relation.start, relation.end).possible
        start = left if first_day == BEFORE_ALL else first_day
        end = right if last_day == AFTER_ALL else last_day + timedelta(days=1)
        colour = SIGN_COLOURS[relation.sign]
        faded = relation.status != "stated"
        (bar,) = ax.barh(row, mdates.date2num(end) - mdates.date2num(start), left=mdates.date2num(start),
                      height=0.6, color=colour, alpha=0.45 if faded else 0.85,
                      hatch="///" if faded else None, edgecolor=colour)
        _tag(figure, bar, "bar", str(row), "\n".join([
            f"{relation.subject} {relation.type} {relation.object}",
            f"{describe(relation.start, relation.end)}, {relation.status}"
            + (f" by {relation.claimed_by}" if relation.claimed_by else ""),
            *(f"“{c.quote}” ({c.source})" for c in relation.sources)]))
        for is_open, x, marker in ((first_day == BEFORE_ALL, left, "<"), (last_day == AFTER_ALL, right, ">")):
            if is_open:
                ax.plot([mdates.date2num(x)], [row], marker=marker, color=colour, markersize=7, clip_on=False)
    if marked:
        ax.axvline(mdates.date2num(earliest(marked)), color="#333333", linestyle="--", linewidth=1)
        ax.annotate(marked, (mdates.date2num(earliest(marked)), 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -12), textcoords="offset points", fontsize=8)
    ax.set_yticks(range(len(dated)), [_row_label(graph, entity.id, r) for r in dated], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(mdates.date2num(left), mdates.date2num(right))
    ax.xaxis_date()
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    undated = len(relations) - len(dated)
    ax.set_title(f"{entity.name}: {len(dated)} dated statements ({undated} undated not shown); "
                 "◀ ▶ open start or end, hatched: not stated as fact", fontsize=10)
    return figure


def _row_label(graph: "KnowledgeGraph", entity_id: str, relation: Relation) -> str:
    row = RELATION_TYPES[relation.type]
    outgoing = relation.symmetric or relation.subject == entity_id
    other = graph.entities[relation.other(entity_id)].name
    status = "" if relation.status == "stated" else f" [{relation.status}]"
    return f"{row.label if outgoing else row.inverse_label} {other}{status}"


# --------------------------------------------------------------------------- map of control


def control_map(graph: "KnowledgeGraph", as_of: str | date, *,
                statuses: Iterable[str] | str | None = None) -> "Figure":
    """The places that have coordinates, in longitude and latitude, coloured by who controls
    them on a date (``controls`` statements that held on it); white when no statement says.

    No basemap is downloaded: the axes are plain degrees, drawn to scale at that latitude.
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
    for relation in _statements(graph, when, statuses):
        if relation.type == "controls":
            holders.setdefault(relation.object, []).append(relation)
    crowd = _crowd(places, radius=0.12)
    figure, ax = _new_figure((13, 9) if crowd else (9, 9))
    if not places:
        return _empty(figure, ax, "no place has coordinates")
    labels = {p.id: _holders_label(graph, holders.get(p.id, [])) for p in places}
    groups = sorted({label for label in labels.values() if label}, key=str.casefold)
    colours = _control_colours(graph, places, statuses)
    texts = {}
    for place in places:
        lines = [f"{place.name} ({place.id}): {place.lat}, {place.lon}"]
        lines += [f"{r.subject} controls it ({describe(r.start, r.end)}, {r.status}; {_sources([r])})"
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
            _tag(figure, point, role, place.id, texts[place.id])
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
        axes.grid(color="#eeeeee")
        axes.set_xlabel("longitude (° east)")
        axes.set_ylabel("latitude (° north)")
    ax.margins(0.15)
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
    handles = [ax.scatter([], [], s=90, c=colours[label], edgecolors="#444444", label=label or "no control statement")
               for label in [*groups, ""] if label in labels.values()]
    figure.legend(handles=handles, title="controlled by", loc="outside lower center", ncols=2, fontsize=8.5,
                  title_fontsize=9, frameon=False)
    return figure


#: Colours of who controls a place; white is for places no statement covers.
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d")


def _control_colours(graph: "KnowledgeGraph", places: list[Entity],
                     statuses: Iterable[str] | str | None) -> dict[str, str]:
    """A colour for each set of holders a place has on any date, the same on every map of
    the graph: the sets are found on each day that control changes, and coloured in order."""
    controls = [(r, span(r.start, r.end).possible) for r in _statements(graph, None, statuses)
                if r.type == "controls"]
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


def _empty(figure: "Figure", ax: "Axes", message: str) -> "Figure":
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, transform=ax.transAxes)
    ax.set_axis_off()
    return figure


# --------------------------------------------------------------------------- choosing and writing


@dataclass(frozen=True)
class Picture:
    """A kind of picture for ``draw`` and ``kg plot``: its function and whether it needs a name."""

    function: Callable[..., "Figure"]
    needs_name: bool
    description: str


#: The pictures ``kg plot`` draws, by name.
PICTURES: Mapping[str, Picture] = {
    "network": Picture(network, False, "the signed network of actors"),
    "neighbourhood": Picture(neighbourhood, True, "one entity and everything tied to it"),
    "timeline": Picture(timeline, True, "one entity's dated statements in time"),
}


def draw(graph: "KnowledgeGraph", picture: str, name: str | None = None, **options: Any) -> "Figure":
    """One of ``PICTURES`` by its name; ``name`` is the entity for those that need one.

    >>> import kg, kg.plot
    >>> kg.plot.draw(kg.load(), "timeline")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the timeline picture needs the name of an entity
    """
    if picture not in PICTURES:
        raise QueryError(f"unknown picture {picture!r}; expected one of: {', '.join(PICTURES)}")
    chosen = PICTURES[picture]
    if chosen.needs_name and not name:
        raise QueryError(f"the {picture} picture needs the name of an entity")
    if not chosen.needs_name and name:
        raise QueryError(f"the {picture} picture takes no name (got {name!r})")
    return chosen.function(graph, name, **options) if chosen.needs_name else chosen.function(graph, **options)


def _write_image(figure: "Figure", path: Path) -> None:
    import matplotlib

    kind = path.suffix.lower().lstrip(".")
    metadata = {"svg": {"Date": None}, "png": {"Software": None}}[kind]
    with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
        write_atomically(path, lambda out: figure.savefig(out, format=kind, dpi=150, metadata=metadata), binary=True)


def _write_html(figure: "Figure", path: Path) -> None:
    page = to_html(figure, title=path.stem)
    write_atomically(path, lambda out: out.write(page))


#: File writers by suffix; ``save`` picks one, ``kg plot`` and ``kg map`` list them.
WRITERS: Mapping[str, Callable[["Figure", Path], None]] = {
    ".png": _write_image,
    ".svg": _write_image,
    ".html": _write_html,
}


def check_path(path: str | Path) -> Path:
    """``path`` as a Path, if ``save`` can write there: a known suffix, an existing folder.

    >>> import kg.plot
    >>> kg.plot.check_path("timeline.gif")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: cannot write 'timeline.gif': the file name must end in .png, .svg or .html
    """
    path = Path(path)
    if path.suffix.lower() not in WRITERS:
        choices = ", ".join(list(WRITERS)[:-1]) + " or " + list(WRITERS)[-1]
        raise QueryError(f"cannot write {str(path)!r}: the file name must end in {choices}")
    if not path.parent.is_dir():
        raise QueryError(f"cannot write {str(path)!r}: the folder {str(path.parent)!r} does not exist")
    return path


def save(figure: "Figure", path: str | Path) -> Path:
    """Write a figure to ``path`` as PNG, SVG or interactive HTML, chosen by the suffix
    (see ``WRITERS``), and return the path.

    >>> import kg, kg.plot
    >>> kg.plot.save(kg.plot.timeline(kg.load(), "HTS"), "timeline.gif")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: cannot write 'timeline.gif': the file name must end in .png, .svg or .html
    """
    path = check_path(path)
    WRITERS[path.suffix.lower()](figure, path)
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 0; }}
header {{ padding: 6px 12px; background: #f4f4f4; border-bottom: 1px solid #ddd; }}
#view {{ width: 100vw; height: calc(100vh - 42px); overflow: hidden; cursor: grab; }}
#view svg {{ width: 100%; height: 100%; }}
#tip {{ position: fixed; pointer-events: none; background: #fff; border: 1px solid #999; padding: 4px 6px;
        white-space: pre-wrap; max-width: 420px; font-size: 12px; display: none; }}
.kg-dim {{ opacity: 0.12; }} .kg-hit {{ filter: drop-shadow(0 0 3px #f0a000); }}
</style></head><body>
<header><strong>{title}</strong> — hover for details, click a node to show its ties, drag to pan,
wheel to zoom. <input id="find" placeholder="find a name"> <button id="reset">reset</button></header>
<div id="view">{svg}</div><div id="tip"></div>
<script>
const META = {meta};
const svg = document.querySelector("#view svg"), tip = document.getElementById("tip");
const start = svg.viewBox.baseVal; let box = [start.x, start.y, start.width, start.height];
const home = box.slice();
function show() {{ svg.setAttribute("viewBox", box.join(" ")); }}
function owner(el) {{
  while (el && el !== svg) {{ if (el.id && META[el.id]) return el; el = el.parentNode; }}
  return null;
}}
svg.addEventListener("mousemove", e => {{
  const el = owner(e.target);
  if (!el) {{ tip.style.display = "none"; return; }}
  tip.textContent = META[el.id].text; tip.style.display = "block";
  tip.style.left = (e.clientX + 14) + "px"; tip.style.top = (e.clientY + 14) + "px";
}});
function clear() {{ for (const id in META) {{ const el = document.getElementById(id);
  if (el) el.classList.remove("kg-dim", "kg-hit"); }} }}
svg.addEventListener("click", e => {{
  const el = owner(e.target); clear(); if (!el || !META[el.id].links.length) return;
  const keep = new Set([el.id, ...META[el.id].links]);
  for (const l of META[el.id].links) for (const n of (META[l] || {{links: []}}).links) keep.add(n);
  for (const id in META) {{
    const other = document.getElementById(id);
    if (other && !keep.has(id)) other.classList.add("kg-dim");
  }}
}});
document.getElementById("find").addEventListener("input", e => {{
  clear(); const text = e.target.value.trim().toLowerCase(); if (!text) return;
  for (const id in META) {{ const el = document.getElementById(id); if (!el) continue;
    el.classList.add(META[id].text.toLowerCase().includes(text) ? "kg-hit" : "kg-dim"); }}
}});
document.getElementById("reset").addEventListener("click", () => {{ box = home.slice(); show(); clear(); }});
svg.addEventListener("wheel", e => {{
  e.preventDefault(); const f = e.deltaY > 0 ? 1.15 : 1 / 1.15, r = svg.getBoundingClientRect();
  const px = box[0] + (e.clientX - r.left) / r.width * box[2], py = box[1] + (e.clientY - r.top) / r.height * box[3];
  box = [px - (px - box[0]) * f, py - (py - box[1]) * f, box[2] * f, box[3] * f]; show();
}}, {{passive: false}});
let drag = null;
svg.addEventListener("mousedown", e => {{ drag = [e.clientX, e.clientY, box[0], box[1]]; }});
window.addEventListener("mouseup", () => {{ drag = null; }});
window.addEventListener("mousemove", e => {{ if (!drag) return; const r = svg.getBoundingClientRect();
  box[0] = drag[2] - (e.clientX - drag[0]) / r.width * box[2];
  box[1] = drag[3] - (e.clientY - drag[1]) / r.height * box[3]; show(); }});
</script></body></html>
"""


def to_html(figure: "Figure", title: str = "kg") -> str:
    """A self-contained HTML page: the figure as inline SVG, with tooltips, highlighting,
    search, pan and zoom from a small inline script. It loads nothing from the network.

    >>> import kg, kg.plot
    >>> page = kg.plot.to_html(kg.plot.control_map(kg.load(), "2024-12-01"), title="control")
    >>> page.startswith("<!DOCTYPE html>") and "<svg" in page and "http" not in page.split("<svg")[0]
    True
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    meta = json.dumps(_META.get(figure, {}), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return _PAGE.format(title=html.escape(title), svg=svg, meta=meta)
