"""Pictures of the signed network: the network of actors, and one entity's neighbourhood."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from kg.plot.drawing import draw_edges, draw_nodes, signed_pairs
from kg.plot.figures import empty_figure, new_figure, statements

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = ["neighbourhood", "network"]


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
    pairs = signed_pairs(statements(graph, as_of, statuses),
                         lambda r: r.sign != 0 and r.subject in actors and r.object in actors)
    simple = networkx.Graph()
    simple.add_nodes_from(sorted({end for a, b, _ in pairs for end in (a, b)}))
    for (a, b, _), relations in pairs.items():
        weight = simple.get_edge_data(a, b, {}).get("weight", 0) + len(relations)
        simple.add_edge(a, b, weight=weight)
    figure, ax = new_figure((16, 12), constrained=False)
    if not simple:
        return empty_figure(figure, ax, "no signed statements between actors")
    pos = _components_layout(simple, seed)
    draw_edges(figure, ax, graph, pos, pairs)
    sizes = {node: 50 + 90 * math.sqrt(simple.degree(node)) for node in pos}
    asked = [graph.resolve(name).id for name in ([label] if isinstance(label, str) else label or [])]
    unnamed = draw_nodes(figure, ax, graph, pos, pairs, sizes, asked=asked)
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
    pairs = signed_pairs((r for r in statements(graph, as_of, statuses) if centre in (r.subject, r.object)),
                         lambda r: True)
    figure, ax = new_figure((13, 13), constrained=False)
    if not pairs:
        return empty_figure(figure, ax, f"no statements about {graph.entities[centre].name}")
    others: dict[str, int] = {}
    for a, b, sign in pairs:
        other = b if a == centre else a
        others[other] = max(others.get(other, -2), sign)
    ring = sorted(others, key=lambda node: (-others[node], graph.entities[node].name.casefold()))
    pos = {centre: (0.0, 0.0)}
    for index, node in enumerate(ring):
        angle = math.pi / 2 - 2 * math.pi * index / len(ring)
        pos[node] = (math.cos(angle), math.sin(angle))
    draw_edges(figure, ax, graph, pos, pairs, labels=True)
    sizes = {node: 900 if node == centre else 160 for node in pos}
    draw_nodes(figure, ax, graph, pos, pairs, sizes, highlight=centre, fontsize=7.5, asked=[centre, *ring])
    when = f" on {as_of}" if as_of else ""
    ax.set_title(f"{graph.entities[centre].name}{when}: {len(ring)} entities tied by "
                 f"{sum(len(rels) for rels in pairs.values())} statements")
    return figure
