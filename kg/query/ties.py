"""One actor's ties: allies and enemies, the card of everything said about an entity, and
unbalanced triangles of the signed network."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Iterable, Mapping, NamedTuple

from kg._display import SIGN_MARKS, count, escape, relations_html, source_ids
from kg.dates import HELD, describe, surest, weakest
from kg.model import RELATION_FIELDS, Entity, Figure, Relation
from kg.query.common import SIGN_WORDS, StatementFilter, held_first, holding_field
from kg.results import Results
from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES, STATUSES

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["Card", "Tie", "Triangle", "allies", "balance", "card", "enemies"]


class Tie(NamedTuple):
    """Another actor tied to the one asked about by statements of one sign.

    Asked for as of a date (``as_of``), the tie ``held`` if one of its statements surely
    held then (each alone makes the tie), else it ``may have held`` (``holding``); its
    statements that held come first.
    """

    entity: str
    sign: int
    relations: tuple[Relation, ...]
    as_of: str | None = None

    table_hides = ("relations",)

    @property
    def holding(self) -> str | None:
        """``held`` or ``may have held`` on ``as_of``; None when no date was asked for."""
        return None if self.as_of is None else surest(r.holding(self.as_of) for r in self.relations)

    def to_record(self) -> dict[str, Any]:
        return {
            "entity": self.entity, "sign": self.sign, **holding_field(self.holding),
            "types": sorted({r.type for r in self.relations}),
            "relations": [r.id for r in self.relations], "sources": source_ids(self.relations),
        }

    def __repr__(self) -> str:
        types = ", ".join(sorted({r.type for r in self.relations}))
        holding = "" if self.as_of is None else f", {self.holding}"
        return (f"<Tie {self.entity}: {SIGN_WORDS[self.sign]} ({types}; "
                f"{count(len(self.relations), 'statement')}{holding})>")


def allies(graph: KnowledgeGraph, name: str, *, as_of: str | date | None = None,
           statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Tie]:
    """Actors tied to ``name`` by cooperative statements (sign +1), sorted by id; as of a
    date, those that held first (see ``Tie``), and with ``strict`` only those.

    >>> import kg
    >>> "syrian-government" in [tie.entity for tie in kg.load().allies("Russia")]
    True
    >>> {tie.holding for tie in kg.load().allies("Russia", as_of="2024-12-01", strict=True)}
    {'held'}
    """
    return _ties(graph, name, 1, StatementFilter(as_of, statuses, strict))


def enemies(graph: KnowledgeGraph, name: str, *, as_of: str | date | None = None,
            statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Tie]:
    """Actors tied to ``name`` by hostile statements (sign -1), sorted by id; as of a date,
    those that held first (see ``Tie``), and with ``strict`` only those.

    >>> import kg
    >>> "hts" in [tie.entity for tie in kg.load().enemies("Syrian government")]
    True
    """
    return _ties(graph, name, -1, StatementFilter(as_of, statuses, strict))


def _ties(graph: KnowledgeGraph, name: str, sign: int, keep: StatementFilter) -> Results[Tie]:
    entity_id, when = graph.resolve(name).id, keep.when
    grouped: dict[str, list[Relation]] = {}
    for relation in graph.neighbours(entity_id):
        other = relation.other(entity_id)
        if relation.sign == sign and keep(relation) and graph.entities[other].category == "actor":
            grouped.setdefault(other, []).append(relation)
    if when is None:
        return Results(Tie(other, sign, tuple(rels)) for other, rels in sorted(grouped.items()))
    ties = [Tie(other, sign, tuple(held_first(rels, lambda r: r.holding(when))), when)
            for other, rels in sorted(grouped.items())]
    return Results(held_first(ties, attrgetter("holding")))


class Card(NamedTuple):
    """Everything about one entity: its statements grouped by relation type, and figures.

    ``names`` maps the id of every entity the card mentions to its name, for display;
    ``as_of`` is the date the card was asked for, if any: statements that only may have
    held then are marked.
    """

    entity: Entity
    relations: tuple[Relation, ...]
    figures: tuple[Figure, ...]
    names: Mapping[str, str]
    as_of: str | None = None

    @property
    def groups(self) -> list[tuple[str, list[Relation]]]:
        """(label, statements) in vocabulary order; incoming statements use the inverse label."""
        grouped: dict[tuple[int, bool], list[Relation]] = {}
        order = list(RELATION_TYPES)
        for relation in self.relations:
            outgoing = relation.symmetric or relation.subject == self.entity.id
            grouped.setdefault((order.index(relation.type), not outgoing), []).append(relation)
        return [
            (RELATION_TYPES[order[index]].inverse_label if incoming else RELATION_TYPES[order[index]].label, rels)
            for (index, incoming), rels in sorted(grouped.items())
        ]

    def text(self) -> str:
        """The card as plain text, one statement a line with its dates, status and sources."""
        entity = self.entity
        lines = [f"{entity.name} ({entity.id}) — {ENTITY_KINDS[entity.kind].label}"]
        if entity.aliases:
            lines.append("also: " + ", ".join(entity.aliases))
        if entity.description:
            lines.append(entity.description)
        for label, relations in self.groups:
            lines.append(f"\n{label}:")
            for relation in relations:
                other = relation.other(entity.id)
                mark = "" if self.as_of is None or relation.holding(self.as_of) == HELD else " (may have held)"
                lines.append(f"  {self.names.get(other, other)} ({other}){_details(relation)}{mark}")
        if self.figures:
            lines.append("\nfigures:")
            for figure in self.figures:
                qualifier = "" if figure.qualifier == "exactly" else f"{figure.qualifier.replace('-', ' ')} "
                label = f" ({figure.label})" if figure.label else ""
                lines.append(f"  {figure.measure}: {qualifier}{figure.value:,}{label} "
                             f"[{', '.join(source_ids([figure]))}]")
        return "\n".join(lines) + "\n"

    def to_record(self) -> dict[str, Any]:
        return {
            "entity": self.entity.to_record(),
            "relations": [
                {"label": label, "other": r.other(self.entity.id),
                 **({"holding": r.holding(self.as_of)} if self.as_of else {}), **r.to_record()}
                for label, relations in self.groups for r in relations
            ],
            "figures": [figure.to_record() for figure in self.figures],
        }

    def __repr__(self) -> str:
        entity = self.entity
        return (f"<Card {entity.id}: {entity.name} ({entity.kind}), {count(len(self.relations), 'statement')}, "
                f"{count(len(self.figures), 'figure')}>")

    def _repr_html_(self) -> str:
        parts = [self.entity._repr_html_()]
        for label, relations in self.groups:
            parts.append(f"<h4>{escape(label)} ({len(relations)})</h4>" + relations_html(relations))
        if self.figures:
            items = "".join(f"<li>{escape(repr(figure))}</li>" for figure in self.figures)
            parts.append(f"<h4>figures ({len(self.figures)})</h4><ul>{items}</ul>")
        return "".join(parts)


def _details(relation: Relation) -> str:
    span = f" {describe(relation.start, relation.end)}"
    extras = [f"{field.name}: {value if isinstance(value, str) else ', '.join(value)}"
              for field in RELATION_FIELDS if field.qualifier
              for value in [getattr(relation, field.name)] if value]
    status = "" if relation.status == "stated" else f" [{relation.status}" + (
        f" by {relation.claimed_by}]" if relation.claimed_by else "]")
    extra = f" ({'; '.join(extras)})" if extras else ""
    return f"{span}{extra}{status} <{', '.join(source_ids([relation]))}>"


def card(graph: KnowledgeGraph, name: str, *, as_of: str | date | None = None, strict: bool = False) -> Card:
    """Everything the graph says about one entity, grouped by relation type; as of a date,
    what held then and (unless ``strict``) what may have held, marked.

    >>> import kg
    >>> c = kg.load().card("Türkiye")
    >>> c.entity.id, len(c.relations) > 0
    ('turkiye', True)
    """
    entity = graph.resolve(name)
    keep = StatementFilter(as_of, STATUSES, strict)
    relations = tuple(r for r in graph.neighbours(entity.id) if keep(r))
    mentioned = {r.other(entity.id) for r in relations}
    names = {other: graph.entities[other].name for other in mentioned}
    return Card(entity, relations, tuple(graph.figures(entity.id)), names, keep.when)


class Triangle(NamedTuple):
    """Three actors tied pairwise by signed statements, one statement a side.

    Asked for as of a date (``as_of``), the triangle ``held`` if all three statements surely
    held then, else it ``may have held`` (``holding``): it needs every side.
    """

    nodes: tuple[str, str, str]
    relations: tuple[Relation, Relation, Relation]
    as_of: str | None = None

    table_hides = ("relations",)

    @property
    def signs(self) -> tuple[int, int, int]:
        return tuple(relation.sign for relation in self.relations)  # type: ignore[return-value]

    @property
    def balanced(self) -> bool:
        """Balanced when the product of the signs is positive."""
        a, b, c = self.signs
        return a * b * c > 0

    @property
    def holding(self) -> str | None:
        """``held`` or ``may have held`` on ``as_of`` (its least sure side); None when no date was asked for."""
        return None if self.as_of is None else weakest(r.holding(self.as_of) for r in self.relations)

    def to_record(self) -> dict[str, Any]:
        return {
            "a": self.nodes[0], "b": self.nodes[1], "c": self.nodes[2],
            "signs": " ".join("+" if s > 0 else "-" for s in self.signs), **holding_field(self.holding),
            "types": [r.type for r in self.relations], "relations": [r.id for r in self.relations],
            "sources": source_ids(self.relations),
        }

    def __repr__(self) -> str:
        signs = " ".join(SIGN_MARKS[sign] for sign in self.signs)
        holding = "" if self.as_of is None else f"; {self.holding}"
        return (f"<Triangle {', '.join(self.nodes)} ({signs}: {', '.join(r.type for r in self.relations)}"
                f"{holding})>")


def balance(graph: KnowledgeGraph, *, as_of: str | date | None = None,
            statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Triangle]:
    """Triangles of actors whose signs do not balance (the friend of my friend is my enemy).

    Each pair of actors has an edge per sign (its first statement of that sign; as of a
    date, its first that held then, if any), so a pair tied both ways can appear in a
    balanced and an unbalanced triangle. As of a date, the triangles that held come first
    (see ``Triangle``), and with ``strict`` only those.

    >>> import kg
    >>> all(not t.balanced for t in kg.load().balance())
    True
    >>> kg.load().balance(as_of="2024-12-01")[0].holding  # a side is dated only "by 2024-12"
    'may have held'
    """
    keep = StatementFilter(as_of, statuses, strict)
    edges, neighbours = _signed_edges(graph, keep)
    found = []
    for a in sorted(neighbours):
        for b in sorted(n for n in neighbours[a] if n > a):
            for c in sorted(n for n in neighbours[a] & neighbours[b] if n > b):
                for ab in edges[frozenset((a, b))].values():
                    for bc in edges[frozenset((b, c))].values():
                        for ca in edges[frozenset((c, a))].values():
                            if ab.sign * bc.sign * ca.sign < 0:
                                found.append(Triangle((a, b, c), (ab, bc, ca), keep.when))
    return Results(found if keep.when is None else held_first(found, attrgetter("holding")))


def _signed_edges(graph: KnowledgeGraph, keep: StatementFilter
                  ) -> tuple[dict[frozenset[str], dict[int, Relation]], dict[str, set[str]]]:
    """Each pair of actors' statement of each sign (see ``balance``), and each actor's neighbours."""
    when = keep.when
    edges: dict[frozenset[str], dict[int, Relation]] = {}
    neighbours: dict[str, set[str]] = {}
    for relation in graph.relations():
        ends = (relation.subject, relation.object)
        if relation.sign and keep(relation) and ends[0] != ends[1] and all(
                graph.entities[end].category == "actor" for end in ends):
            signs = edges.setdefault(frozenset(ends), {})
            known = signs.setdefault(relation.sign, relation)
            if when is not None and known.holding(when) != HELD and relation.holding(when) == HELD:
                signs[relation.sign] = relation
            neighbours.setdefault(ends[0], set()).add(ends[1])
            neighbours.setdefault(ends[1], set()).add(ends[0])
    return edges, neighbours
