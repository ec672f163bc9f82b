"""Drawing ties (a line per pair and sign), entities (a marker by kind) and names placed where they cover nothing."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from kg._display import source_ids
from kg.dates import describe
from kg.model import Relation
from kg.plot.figures import SHAPES, SIGN_COLOURS, SIGN_NAMES, Shape, shape_of, tag
from kg.vocabulary import ENTITY_KINDS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = ["draw_edges", "draw_nodes", "signed_pairs"]


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


def signed_pairs(relations: Iterable[Relation], keep: Callable[[Relation], bool]
                 ) -> dict[tuple[str, str, int], list[Relation]]:
    """Statements grouped by unordered pair and sign: one edge each."""
    pairs: dict[tuple[str, str, int], list[Relation]] = {}
    for relation in relations:
        if keep(relation):
            a, b = sorted((relation.subject, relation.object))
            pairs.setdefault((a, b, relation.sign), []).append(relation)
    return dict(sorted(pairs.items()))


def draw_edges(figure: "Figure", ax: "Axes", graph: "KnowledgeGraph", pos: Mapping[str, tuple[float, float]],
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
        tag(figure, line, "edge", str(index), _pair_text(graph, a, b, sign, relations),
            [f"kg-node-{a}", f"kg-node-{b}"])
        if labels:
            types = ", ".join(sorted({r.type for r in relations}))
            along = {1: 0.5, -1: 0.62, 0: 0.38}[sign]  # labels of a pair's two lines apart
            ax.text(x1 + (x2 - x1) * along, y1 + (y2 - y1) * along, types, fontsize=6, color=SIGN_COLOURS[sign],
                    ha="center", va="center", zorder=2,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})


def draw_nodes(figure: "Figure", ax: "Axes", graph: "KnowledgeGraph", pos: Mapping[str, tuple[float, float]],
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
        shape = shape_of(graph.entities[node])
        used[shape.label] = shape
        colour = "#ffd92f" if node == highlight else shape.colour
        marker = ax.scatter([x], [y], s=sizes[node], marker=shape.marker, c=colour, edgecolors="#333333",
                            linewidths=0.8, zorder=3)
        tag(figure, marker, "node", node, _node_text(graph, node), links[node])
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
        tag(figure, text, "label", node, _node_text(graph, node))
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
