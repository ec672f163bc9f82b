"""What the pictures share: matplotlib on demand, the style tables, what a figure draws, the statements that count."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from kg.errors import KGError
from kg.extras import install_hint
from kg.model import Entity, Relation
from kg.query import ASSERTING
from kg.vocabulary import ENTITY_KINDS, STATUSES, term_arguments

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = [
    "SHAPES",
    "SIGN_COLOURS",
    "SIGN_NAMES",
    "MissingDependencyError",
    "Shape",
    "drawn",
    "empty_figure",
    "new_figure",
    "shape_of",
    "statements",
    "tag",
    "tooltips",
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


def shape_of(entity: Entity) -> Shape:
    """How an entity is drawn: the row of ``SHAPES`` for its kind (armed groups' for a kind in none).

    >>> shape_of(Entity("hts", "Hayat Tahrir al-Sham", "armed-group")).marker
    'o'
    """
    return _SHAPE_OF.get(entity.kind, SHAPES[3])


# --------------------------------------------------------------------------- what a figure shows

#: Tooltips and links of the artists of each figure, for the HTML view: gid -> {text, links}.
_META: "weakref.WeakKeyDictionary[Figure, dict[str, dict[str, Any]]]" = weakref.WeakKeyDictionary()


def tag(figure: "Figure", artist: Any, role: str, key: str, text: str, links: Iterable[str] = ()) -> str:
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


def new_figure(size: tuple[float, float], constrained: bool = True) -> tuple["Figure", "Axes"]:
    """A figure that pyplot does not keep: Jupyter shows it once, as the cell's value.

    Pictures with tick labels and legends outside the axes use the constrained layout; the
    graph drawings, whose axes are hidden, fill the figure and draw faster without it."""
    pyplot = _matplotlib()
    figure = pyplot.figure(figsize=size, layout="constrained" if constrained else None)
    pyplot.close(figure)
    if not constrained:
        figure.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.96)
    return figure, figure.add_subplot()


def statements(graph: "KnowledgeGraph", as_of: str | date | None,
               statuses: Iterable[str] | str | None) -> list[Relation]:
    """The relations that count: those whose status asserts them (or the chosen statuses), on a date."""
    chosen = term_arguments("status", statuses, STATUSES) or ASSERTING
    view = graph.as_of(as_of) if as_of is not None else graph
    return [r for r in view.relations() if r.status in chosen and r.subject != r.object]


def tooltips(figure: "Figure") -> dict[str, dict[str, Any]]:
    """What ``tag`` remembered of a figure's artists: SVG id -> its tooltip text and linked ids."""
    return _META.get(figure, {})


def empty_figure(figure: "Figure", ax: "Axes", message: str) -> "Figure":
    """The figure with only ``message`` in the middle, for a picture with nothing to draw."""
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, transform=ax.transAxes)
    ax.set_axis_off()
    return figure
