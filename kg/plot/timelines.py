"""An entity's dated statements as bars in time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterable

from kg.dates import AFTER_ALL, BEFORE_ALL, date_argument, describe, earliest, span
from kg.model import Relation
from kg.plot.figures import SIGN_COLOURS, empty_figure, new_figure, statements, tag
from kg.vocabulary import RELATION_TYPES, term_arguments

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = ["timeline"]


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
    relations = [r for r in statements(graph, None, statuses)
                 if entity.id in (r.subject, r.object) and (chosen is None or r.type in chosen)]
    dated = sorted((r for r in relations if not r.undated),
                   key=lambda r: (*span(r.start, r.end).possible, r.type, r.other(entity.id)))
    figure, ax = new_figure((12, max(3.0, 0.32 * len(dated) + 1.6)))
    if not dated:
        return empty_figure(figure, ax, f"no dated statements about {entity.name} ({len(relations)} undated)")
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
        tag(figure, bar, "bar", str(row), "\n".join([
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
