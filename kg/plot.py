"""Pictures of a knowledge graph: the signed network, one entity's neighbourhood, a timeline of
an entity's statements, and a map of places coloured by who controls them on a date.

Every function takes the graph first and returns a matplotlib ``Figure``; ``save`` writes a
figure as PNG, SVG or a self-contained interactive HTML page, chosen by the file's suffix.
matplotlib is optional (the ``plot`` extra: ``pip install ".[plot]"`` in a clone) and only
imported when a picture is drawn, so ``import kg`` and ``import kg.plot`` stay light. Layouts
are deterministic: the network's force layout is seeded, the neighbourhood is drawn in rings
sorted by sign and name.

>>> import kg, kg.plot
>>> figure = kg.plot.neighbourhood(kg.load(), "HTS", as_of="2024-12-01")
>>> kg.plot.drawn(figure, "node")[:3]
['ahrar-al-sham', 'al-qaeda', 'aleppo']
"""

from __future__ import annotations

import functools
import html
import inspect
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
from kg._display import source_ids
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
    """The ids of what a kg figure draws in one role: ``node``, ``label`` (a node named), ``edge``,
    ``place``, ``zoom`` (a place in the close-up) or ``bar``.

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


def _node_text(graph: "KnowledgeGraph", entity_id: str) -> str:
    entity = graph.entities[entity_id]
    return f"{entity.name} ({entity.id}) — {ENTITY_KINDS[entity.kind].label}"


def _pair_text(graph: "KnowledgeGraph", a: str, b: str, sign: int, relations: list[Relation]) -> str:
    lines = [f"{graph.entities[a].name} — {graph.entities[b].name}: {SIGN_NAMES[sign]}"]
    lines += [f"{r.subject} {r.type} {r.object} ({describe(r.start, r.end)}, {r.status})" for r in relations[:8]]
    if len(relations) > 8:
        lines.append(f"… and {len(relations) - 8} more")
    lines.append(f"sources: {', '.join(source_ids(relations))}")
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
                highlight: str | None = None, fontsize: float = 7, asked: Iterable[str] = ()) -> int:
    """A marker per entity (shape by kind), a legend of the shapes used, and names placed
    where they overlap no other name or marker (see ``_place_labels``): how many were left out."""
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
    legend = ax.legend(handles=handles + lines, loc="lower left", fontsize=7, framealpha=0.85)
    ax.set_axis_off()
    ax.margins(0.08)
    degree = {node: len(links[node]) for node in pos}
    first = [node for node in asked if node in pos]
    order = first + sorted((n for n in pos if n not in first), key=lambda n: (n != highlight, -degree[n], n))
    placed = _place_labels(figure, ax, graph, pos, sizes, order, set(first), fontsize, avoid=[legend])
    return len(pos) - len(placed)


#: Where a name may stand around its marker, as directions (dx, dy); tried nearest the
#: direction away from the picture's centre first, so names move out of the crowd.
_DIRECTIONS = tuple((math.cos(math.pi * k / 8), math.sin(math.pi * k / 8)) for k in range(16))


def _place_labels(figure: "Figure", ax: "Axes", graph: "KnowledgeGraph", pos: Mapping[str, tuple[float, float]],
                  sizes: Mapping[str, float], order: list[str], always: set[str], fontsize: float,
                  avoid: Iterable[Any] = ()) -> list[str]:
    """Name the nodes in ``order`` while a name fits: each is tried at 16 directions around
    its marker at two distances, away from the centre first, and kept at the first spot
    that overlaps no placed name, no other marker and nothing in ``avoid`` and stays inside
    the axes. Nodes in ``always`` are named even where no spot is free. The ids named."""
    ax.autoscale_view()
    to_pixels = ax.transData.transform
    scale = figure.dpi / 72  # pixels per point
    centre = to_pixels((sum(x for x, _ in pos.values()) / len(pos), sum(y for _, y in pos.values()) / len(pos)))
    markers = {}
    for node, xy in pos.items():
        (px, py), radius = to_pixels(xy), math.sqrt(sizes[node]) / 2 * scale
        markers[node] = (px - radius, py - radius, px + radius, py + radius)
    taken = [tuple(artist.get_window_extent().extents) for artist in avoid]
    named = []
    for node in order:
        (px, py), radius = to_pixels(pos[node]), math.sqrt(sizes[node]) / 2 + 1.5
        away = math.atan2(py - centre[1], px - centre[0])
        directions = sorted(_DIRECTIONS, key=lambda d: abs(math.remainder(math.atan2(d[1], d[0]) - away, math.tau)))
        text = ax.annotate(_name(graph, node), pos[node], xytext=(0, 0), textcoords="offset points",
                           fontsize=fontsize, zorder=4, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                                              "edgecolor": "none", "alpha": 0.8})
        blocked = taken + [box for other, box in markers.items() if other != node]
        spot = _free_spot(text, ax.get_window_extent().extents,
                          [(d, distance) for distance in (radius, radius + 2.5 * fontsize) for d in directions],
                          blocked)
        if spot is None and node not in always:
            text.remove()
            continue
        if spot is None:
            _aim(text, *directions[0], radius)
            spot = tuple(text.get_window_extent().extents)
        taken.append(spot)
        named.append(node)
        _tag(figure, text, "label", node, _node_text(graph, node))
    return named


def _free_spot(text: Any, frame: Any, spots: list[tuple[tuple[float, float], float]],
               blocked: list[tuple[float, ...]]) -> tuple[float, ...] | None:
    """Move ``text`` to the first of ``spots`` (direction, distance in points) where it stays
    inside ``frame`` and overlaps no box in ``blocked``: its box there, or None."""
    for (dx, dy), distance in spots:
        _aim(text, dx, dy, distance)
        box = tuple(text.get_window_extent().extents)
        inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
        if inside and not any(_overlap(box, other) for other in blocked):
            return box
    return None


def _aim(text: Any, dx: float, dy: float, distance: float) -> None:
    """Put a name ``distance`` points from its marker in direction (dx, dy), aligned to lean away."""
    text.set_position((dx * distance, dy * distance))
    text.set_horizontalalignment("left" if dx > 0.3 else "right" if dx < -0.3 else "center")
    text.set_verticalalignment("bottom" if dy > 0.3 else "top" if dy < -0.3 else "center")


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --------------------------------------------------------------------------- the signed network


def network(graph: "KnowledgeGraph", *, as_of: str | date | None = None,
            statuses: Iterable[str] | str | None = None, seed: int = 7,
            label: Iterable[str] | str | None = None) -> "Figure":
    """The signed network of actors: cooperative and hostile statements as blue and red lines.

    Nodes are actors tied to another actor by a statement of non-zero sign; their shape says
    their kind, their size how many others they are tied to. A pair with several statements
    of one sign gets one, thicker line. The layout is a force layout seeded with ``seed``.
    Names are placed where they cover no other name or marker, the most connected actors
    first; the actors named in ``label`` always get theirs. The title says how many are
    left unnamed (the HTML view names every node on hover).

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
    asked = [graph.resolve(name).id for name in ([label] if isinstance(label, str) else label or [])]
    unnamed = _draw_nodes(figure, ax, graph, pos, pairs, sizes, asked=asked)
    when = f" on {as_of}" if as_of else ""
    ax.set_title(f"The signed network{when}: {len(pos)} actors, {len(pairs)} ties "
                 f"({sum(1 for *_, s in pairs if s > 0)} cooperative, {sum(1 for *_, s in pairs if s < 0)} hostile)"
                 + (f"; {unnamed} {'actor' if unnamed == 1 else 'actors'} left unnamed where names would overlap"
                    if unnamed else ""))
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
    _draw_nodes(figure, ax, graph, pos, pairs, sizes, highlight=centre, fontsize=7.5, asked=[centre, *ring])
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
BORDERS = Path(__file__).with_name("borders") / "countries.geojson"


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
    >>> kg.plot.draw(kg.load(), "timeline", "HTS", label=["Russia"])
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: the timeline picture takes no label option
    """
    if picture not in PICTURES:
        raise QueryError(f"unknown picture {picture!r}; expected one of: {', '.join(PICTURES)}")
    chosen = PICTURES[picture]
    if chosen.needs_name and not name:
        raise QueryError(f"the {picture} picture needs the name of an entity")
    if not chosen.needs_name and name:
        raise QueryError(f"the {picture} picture takes no name (got {name!r})")
    accepted = inspect.signature(chosen.function).parameters
    for option in [key for key, value in options.items() if value is None or value == []]:
        del options[option]
    for option in options:
        if option not in accepted:
            raise QueryError(f"the {picture} picture takes no {option} option")
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
