"""The pictures ``kg plot`` draws, by name, and ``draw``, which makes one of them."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping

from kg.errors import QueryError
from kg.plot.signed import neighbourhood, network
from kg.plot.timelines import timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = ["PICTURES", "Picture", "draw"]


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
