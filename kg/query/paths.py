"""How two entities are connected: simple paths, shortest first, each hop with its
statements, and a friend/enemy reading only where every hop is a signed tie between actors."""

from __future__ import annotations

from datetime import date
from itertools import chain as chain_iterables, islice
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from kg._display import SIGN_MARKS, count, escape, relations_html, source_ids
from kg._words import article
from kg.errors import NoPathError, QueryError
from kg.model import Relation
from kg.dates import HELD, MAY_HAVE_HELD, surest, weakest
from kg.query.common import ASSERTING, SIGN_WORDS, StatementFilter, held_first, holding_field
from kg.results import Results
from kg.vocabulary import RELATION_TYPES, term_arguments

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["MAX_PATHS", "Hop", "Path", "paths", "shortest_path"]


class Hop(NamedTuple):
    """One step of a path, from ``source`` to ``target`` along statements of one type.

    ``relations`` holds every statement of that type and direction between the two; the
    first is ``relation``. ``direction`` is ``forward`` when the statement reads from
    ``source`` to ``target``, ``backward`` when it reads the other way, and ``both`` for
    symmetric types. ``categories`` are those of ``source`` and ``target``: only a hop
    between two actors along a friendly or hostile type has a sign; any other is context.
    A hop found as of a date lists the statements that held then first.
    """

    source: str
    target: str
    relations: tuple[Relation, ...]
    categories: tuple[str, str] = ("actor", "actor")

    @property
    def relation(self) -> Relation:
        return self.relations[0]

    @property
    def type(self) -> str:
        return self.relation.type

    @property
    def sign(self) -> int:
        """+1 (friendly) or -1 (hostile) between two actors; 0 for context (see ``context``)."""
        return 0 if self.categories != ("actor", "actor") else self.relation.sign

    @property
    def context(self) -> str | None:
        """Why the hop gives no friend or enemy reading, or None if it gives one.

        >>> Hop("russia", "al-bab", (Relation("r", "strikes", "russia", "al-bab", ()),), ("actor", "place")).context
        'al-bab is a place'
        """
        return "; ".join(self.reasons) or None

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each reason the hop gives no reading: an end that is not an actor, or a type with no sign."""
        if self.categories != ("actor", "actor"):
            return tuple(f"{entity} is {article(category)}" for entity, category in
                         zip((self.source, self.target), self.categories) if category != "actor")
        return () if self.relation.sign else (f"{self.type} is neither friendly nor hostile",)

    def holding(self, when: str) -> str:
        """``held`` if one of its statements surely held on ``when`` (each alone makes the
        hop), else ``may have held`` (or ``did not hold``).

        >>> Hop("a", "b", (Relation("r", "backs", "a", "b", ()), Relation("s", "backs", "a", "b", (), start="2015"))
        ...     ).holding("2016")
        'held'
        """
        return surest(relation.holding(when) for relation in self.relations)

    @property
    def direction(self) -> str:
        if self.relation.symmetric:
            return "both"
        return "forward" if self.relation.subject == self.source else "backward"

    @property
    def text(self) -> str:
        """``-[backs]->``, ``<-[backs]-`` or ``-[fights]-``."""
        left, right = {"forward": ("-", "->"), "backward": ("<-", "-"), "both": ("-", "-")}[self.direction]
        return f"{left}[{self.type}]{right}"

    def to_record(self, when: str | None = None) -> dict[str, Any]:
        """A JSON-ready dict, with the hop's ``holding`` on ``when`` if given."""
        return {
            "from": self.source, "to": self.target, "type": self.type, "direction": self.direction,
            "sign": self.sign, **holding_field(None if when is None else self.holding(when)), "context": self.context,
            "relations": [relation.id for relation in self.relations], "sources": source_ids(self.relations),
            "evidence": [relation.to_record() for relation in self.relations],
        }

    def __repr__(self) -> str:
        return f"<Hop {self.source} {self.text} {self.target} ({count(len(self.relations), 'statement')})>"


class Path(NamedTuple):
    """A chain of hops from one entity to another, with its signed reading.

    A path reads as friend or enemy ("the enemy of an ally") only when every hop is between
    two actors along a friendly or hostile type; through a place, an event or a neutral type
    (``negotiates-with``) it is context: ``sign`` 0, ``reading`` None, and ``context`` says why.
    Found as of a date (``as_of``), a path ``held`` if every hop surely held then, else it
    ``may have held`` (``holding``: that of its least sure hop).
    """

    hops: tuple[Hop, ...]
    as_of: str | None = None

    table_hides = ("nodes",)

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.hops[0].source, *(hop.target for hop in self.hops))

    @property
    def length(self) -> int:
        return len(self.hops)

    @property
    def sign(self) -> int:
        """+1 or -1 as the product of the hops' signs; 0 if any hop is context."""
        product = 1
        for hop in self.hops:
            product *= hop.sign
        return product

    @property
    def reading(self) -> str | None:
        """What the last entity is to the first, 'the enemy of an ally'; None if any hop is context."""
        if not self.sign:
            return None
        words = [SIGN_WORDS[hop.sign] for hop in reversed(self.hops)]
        return " of ".join(["the " + words[0] if len(words) > 1 else article(words[0]),
                            *(article(word) for word in words[1:])])

    @property
    def context(self) -> str | None:
        """Why the path has no reading (each hop that is context), or None if it has one."""
        return "; ".join(dict.fromkeys(reason for hop in self.hops for reason in hop.reasons)) or None

    @property
    def holding(self) -> str | None:
        """``held`` or ``may have held`` on ``as_of`` (its least sure hop); None when no date was asked for."""
        return None if self.as_of is None else weakest(hop.holding(self.as_of) for hop in self.hops)

    @property
    def text(self) -> str:
        """``hts -[fights]- syrian-government <-[backs]- russia``."""
        parts = [self.hops[0].source]
        for hop in self.hops:
            parts += [hop.text, hop.target]
        return " ".join(parts)

    def to_record(self) -> dict[str, Any]:
        return {
            "length": self.length, "sign": self.sign, **holding_field(self.holding), "reading": self.reading,
            "context": self.context, "path": self.text,
            "nodes": list(self.nodes), "hops": [hop.to_record(self.as_of) for hop in self.hops],
        }

    def __repr__(self) -> str:
        holding = "" if self.as_of is None else f", {self.holding}"
        return f"<Path {self.text} ({count(self.length, 'hop')}, {SIGN_MARKS[self.sign]}{holding})>"

    def _repr_html_(self) -> str:
        reading = self.reading or f"no reading ({self.context})"
        holding = "" if self.as_of is None else f", {self.holding} on {self.as_of}"
        return (f"<p><code>{escape(self.text)}</code>: {escape(reading)} "
                f"({count(self.length, 'hop')}, sign {SIGN_MARKS[self.sign]}{escape(holding)})</p>"
                + relations_html(relation for hop in self.hops for relation in hop.relations))


#: The most paths ``paths`` lists at once.
MAX_PATHS = 10_000


def paths(
    graph: KnowledgeGraph,
    source: str,
    target: str,
    types: Iterable[str] | None = None,
    max_length: int = 4,
    *,
    as_of: str | date | None = None,
    statuses: Iterable[str] | None = None,
    limit: int | None = 100,
    strict: bool = False,
) -> Results[Path]:
    """Simple paths between two entities, shortest first, along relations in either direction.

    ``types`` limits the relation types followed; at most ``limit`` paths are returned
    (``MAX_PATHS`` at most: paths grow exponentially with the length, and each is kept).
    ``as_of`` follows the statements that held on that date and those that may have held;
    each path then says which it rests on (``Path.holding``), and of paths of one length
    those that held come first (among the paths found within ``limit``); ``strict``
    follows only the statements that held.

    >>> import kg
    >>> found = kg.load().paths("HTS", "Russia", max_length=2)
    >>> found[0].nodes[0], found[0].nodes[-1]
    ('hts', 'russia')
    >>> {path.holding for path in kg.load().paths("HTS", "Russia", max_length=2, as_of="2024-12-01", strict=True)}
    {'held'}
    """
    start, goal = graph.entity_id(source), graph.entity_id(target)
    if start == goal:
        raise QueryError(f"a path needs two different entities; both are {start!r}")
    if max_length < 1:
        raise QueryError(f"max_length must be at least 1, not {max_length}")
    if limit is not None and limit > MAX_PATHS:
        raise QueryError(f"a limit of {limit:,} paths is more than kg lists ({MAX_PATHS:,}); ask for fewer, or "
                         "narrow the question by relation type, date or length")
    keep = StatementFilter(as_of, statuses, strict)
    steps = _Steps(graph, term_arguments("relation type", types, RELATION_TYPES), keep)
    shortest = steps.distance(start, goal, max_length)
    if shortest is None:
        return Results()
    near_goal = steps.within(goal, max_length // 2)
    walks = (Path(hops, keep.when) for length in range(shortest, max_length + 1)
             for hops in steps.walks(start, goal, length, near_goal, max_length // 2))
    found = list(islice(walks, limit))
    if keep.when is None:
        return Results(found)
    return Results(sorted(found, key=lambda path: (path.length, path.holding != HELD)))


def shortest_path(graph: KnowledgeGraph, source: str, target: str, types: Iterable[str] | None = None,
                  max_length: int = 6, **options: Any) -> Path:
    """The shortest path between two entities; raises ``NoPathError`` when there is none. As of
    a date (``as_of``), one that surely held if any of the shortest did.

    >>> import kg
    >>> kg.load().shortest_path("HTS", "Russia").nodes
    ('hts', 'russia')
    """
    found = paths(graph, source, target, types, max_length, limit=1, **options)
    if not found:
        names = f"{graph.entity_id(source)!r} and {graph.entity_id(target)!r}"
        raise NoPathError(f"no path between {names} within {max_length} hops")
    if found[0].holding == MAY_HAVE_HELD:  # a path of statements that held is no shorter
        surely = paths(graph, source, target, types, found[0].length, limit=1, **{**options, "strict": True})
        return (surely or found)[0]
    return found[0]


class _Adjacency(dict):
    """Each entity's neighbours, worked out the first time they are asked for."""

    def __init__(self, compute: Callable[[str], dict[str, int]]):
        super().__init__()
        self.compute = compute

    def __missing__(self, node: str) -> dict[str, int]:
        value = self[node] = self.compute(node)
        return value


class _Steps:
    """Walking the graph under a filter: each entity's neighbours and hops, computed once."""

    def __init__(self, graph: KnowledgeGraph, types: frozenset[str] | None, keep: StatementFilter):
        self.graph, self.types, self.keep = graph, types, keep
        if types is None and keep.when is None and keep.statuses == ASSERTING:
            # The default walk: what it works out is kept with the graph, for the next question.
            self.adjacent, self.hops = graph.memo("default walk", lambda: (_Adjacency(self.adjacent_to), {}))
        else:
            self.adjacent, self.hops = _Adjacency(self.adjacent_to), {}

    def counts(self, relation: Relation) -> bool:
        return (self.types is None or relation.type in self.types) and self.keep(relation)

    def neighbours(self, node: str) -> dict[str, int]:
        """The entities one statement that counts away from ``node``, in id order, each with
        its distance (1): a ready first layer for ``within``."""
        return self.adjacent[node]

    def adjacent_to(self, node: str) -> dict[str, int]:
        return dict.fromkeys(sorted(
            {r.other(node) for r in self.graph.touching(node) if r.subject != r.object and self.counts(r)}), 1)

    def hops_from(self, node: str) -> dict[str, list[Hop]]:
        """The hops from ``node`` by the entity they reach, in id order: one per relation type
        and direction."""
        found = self.hops.get(node)
        if found is None:
            groups: dict[tuple[str, str, bool], list[Relation]] = {}
            for relation in self.graph.neighbours(node):
                if relation.subject != relation.object and self.counts(relation):
                    forward = relation.symmetric or relation.subject == node
                    groups.setdefault((relation.other(node), relation.type, forward), []).append(relation)
            entities = self.graph.entities
            found = self.hops[node] = {}
            when = self.keep.when
            for (other, _, _), rels in sorted(groups.items()):
                if when is not None:
                    rels = held_first(rels, lambda relation: relation.holding(when))
                hop = Hop(node, other, tuple(rels), (entities[node].category, entities[other].category))
                found.setdefault(other, []).append(hop)
        return found

    def steps(self, node: str, left: int, goal: str, near_goal: dict[str, int], radius: int) -> Iterator[Hop]:
        """The hops from ``node``, in order, but those that cannot lie on a walk to ``goal``
        that has ``left`` hops after them, when ``near_goal`` knows that at once."""
        targets = self.hops_from(node)
        if left == 0:
            return iter(targets.get(goal, ()))
        if left > radius:
            return chain_iterables.from_iterable(targets.values())
        if len(near_goal) < len(targets):
            near = sorted(target for target in near_goal if target in targets)
        else:
            near = [target for target in targets if target in near_goal]
        return iter([hop for target in near if 0 < near_goal[target] <= left for hop in targets[target]])

    def distance(self, start: str, goal: str, limit: int) -> int | None:
        """The number of hops on a shortest path, if at most ``limit``: a breadth-first search
        from both ends, always growing the smaller frontier. The first entity reached from
        both ends lies on a shortest path: any shorter one would have met earlier."""
        seen = ({start: 0}, {goal: 0})
        frontiers = ([start], [goal])
        depths = [0, 0]  # how far each side has searched
        adjacent = self.adjacent
        while frontiers[0] and frontiers[1] and depths[0] + depths[1] < limit:
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            mine, theirs = seen[side], seen[1 - side]
            depth = depths[side] = depths[side] + 1
            grown = []
            for node in frontiers[side]:
                for neighbour in adjacent[node]:
                    if neighbour in theirs:
                        return depth + theirs[neighbour]
                    if neighbour not in mine:
                        mine[neighbour] = depth
                        grown.append(neighbour)
            frontiers = (grown, frontiers[1]) if side == 0 else (frontiers[0], grown)
        return None

    def within(self, goal: str, radius: int) -> dict[str, int]:
        """Hop counts to ``goal`` from every entity at most ``radius`` hops away."""
        if radius < 1:
            return {goal: 0}
        distance = {**self.neighbours(goal), goal: 0}
        frontier = list(distance)
        for depth in range(2, radius + 1):
            reached = dict.fromkeys(chain_iterables.from_iterable(map(self.neighbours, frontier)), depth)
            frontier = list(reached.keys() - distance.keys())
            distance.update(dict.fromkeys(frontier, depth))
        return distance

    def walks(self, start: str, goal: str, length: int, near_goal: dict[str, int],
              radius: int) -> Iterator[tuple[Hop, ...]]:
        """Simple walks of exactly ``length`` hops. A step to an entity is taken only if the
        goal may still be reached in the hops left: known distances (up to ``radius``) must
        fit, and an entity farther than ``radius`` needs more than ``radius`` hops left."""
        taken: list[Hop] = []  # the hops of the walk so far, depth first in the order of hops_from
        seen, near = {start}, near_goal.keys()
        pending = [self.steps(start, length - 1, goal, near_goal, radius)]
        while pending:
            hop = next(pending[-1], None)
            if hop is None:  # every hop from here tried: step back
                pending.pop()
                if taken:
                    seen.discard(taken.pop().target)
                continue
            target, left = hop.target, length - len(taken) - 1
            if target in seen or (target == goal) != (left == 0):
                continue
            if not (near_goal[target] <= left if target in near_goal else left > radius):
                continue
            if left == radius + 1 and target not in near_goal and near.isdisjoint(self.neighbours(target)):
                continue  # none of its neighbours is near enough to the goal
            if left == 0:
                yield (*taken, hop)
                continue
            taken.append(hop)
            seen.add(target)
            pending.append(self.steps(target, left - 1, goal, near_goal, radius))
