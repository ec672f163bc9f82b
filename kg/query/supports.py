"""Who supports whom against whom, explicitly or through hostility and membership, each answer with its chains."""

from __future__ import annotations

from datetime import date
from itertools import islice
from operator import attrgetter
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from kg.dates import AFTER_ALL, BEFORE_ALL, HELD, days_possible, overlaps
from kg.model import Relation, collector_paused
from kg.query.chains import SUPPORT_RULES, Chain, Support
from kg.query.common import StatementFilter
from kg.results import Results
from kg.vocabulary import BACKING, ENTITY_KINDS, MEMBERSHIP, RELATION_TYPES

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_ARMED = frozenset(name for name, row in RELATION_TYPES.items() if row.armed)
_relation_id = attrgetter("id")

__all__ = ["Chain", "MEMBERSHIP_DEPTH", "SUPPORT_RULES", "Support", "iter_supports", "supports"]


def supports(
    graph: KnowledgeGraph,
    supporter: str | None = None,
    supported: str | None = None,
    against: str | None = None,
    *,
    as_of: str | date | None = None,
    statuses: Iterable[str] | None = None,
    explicit: bool = False,
    strict: bool = False,
) -> Results[Support]:
    """Who supports whom against whom: (supporter, supported, against) triples, sorted
    (``explicit``: only the answers whose basis is explicit). ``iter_supports`` gives the
    same answers one at a time, for when there are too many to hold.

    Explicit where a ``backs`` statement names the adversary in ``against``. Derived where
    the supporter backs a side that is in armed hostilities with the adversary (``fights``,
    ``attacks`` or ``strikes``, in either direction) over overlapping time; and, on either
    side, through groups that stand for their members (collectives and coalitions, see
    ``EntityKind.stands_for_members``): support against such a group is support against
    its members ("the rebels" -> HTS), and support given to one is support to its members
    ("Iran-backed groups" -> the al-Abbas Brigade), through at most ``MEMBERSHIP_DEPTH``
    ``member-of`` statements. Membership of other bodies (a state in the Arab League)
    carries neither. All the statements of a way to an answer (the backing, the hostility,
    the member-of statements of either side) must have a day on which they may all have
    held. Each answer keeps every way to it as a ``Chain`` (its ``SUPPORT_RULES``,
    statements and common span), explicit first; of several routes of member-of statements
    to the same member, the shortest that fits.

    An answer ``held`` (``Support.holding``) when the statements of one of its chains surely
    held together, on ``as_of`` if given; otherwise it ``may have held`` (an undated statement,
    a vague date). ``strict`` keeps only the chains, and so the answers, that held.

    >>> import kg
    >>> g = kg.load()
    >>> answers = g.supports(supporter="Russia", against="HTS")
    >>> all(a.supporter == "russia" and a.against == "hts" for a in answers)
    True
    >>> "iran" in {a.supporter for a in g.supports(supported="al-Abbas Brigade")}  # via "Iran-backed groups"
    True
    """
    answers = iter_supports(graph, supporter, supported, against, as_of=as_of, statuses=statuses,
                            explicit=explicit, strict=strict)
    with collector_paused():  # answers and their evidence make no cycles; there can be millions
        return Results(answers)


def iter_supports(
    graph: KnowledgeGraph,
    supporter: str | None = None,
    supported: str | None = None,
    against: str | None = None,
    *,
    as_of: str | date | None = None,
    statuses: Iterable[str] | None = None,
    explicit: bool = False,
    strict: bool = False,
    every_route: bool = False,
) -> Iterator[Support]:
    """The answers of ``supports``, the same and in the same order, as a generator that
    makes each when it is asked for: the first comes at once, and what is held meanwhile
    is one supporter's way to its answers, not every answer. Names, statuses and dates are
    checked at the call. Asked with ``supporter`` or ``against``, only the statements
    around that entity are looked at.

    ``every_route``: each way to an answer through members comes once for every pair of
    routes of member-of statements (one of each side) that fits, not only the first: the
    chains of every date (what a push writes, so that a lookup as of any date finds what
    ``supports(as_of=...)`` finds). The answers are the same; they have more chains.

    >>> import kg
    >>> answers = kg.load().iter_supports(against="HTS")
    >>> next(answers).against
    'hts'
    """
    x, y, z = (graph.entity_id(name) for name in (supporter, supported, against))
    world = _SupportWorld(graph, StatementFilter(as_of, statuses, strict), y, z, strict, every_route)
    answers = (answer for giver, found in world.givers(x) for answer in world.answers(giver, found))
    return (answer for answer in answers if answer.basis == "explicit") if explicit else answers


#: One step from a backing to an adversary: (backing, adversary, hostility or None).
_Direct = tuple[Relation, str, Relation | None]


class _SupportWorld:
    """What ``supports`` consults, each part worked out once per call and only where asked:
    the statements that count, armed hostilities by entity, backings by who receives them,
    and membership; ``supported`` and ``against`` the ids asked for (None: anyone); ``strict``:
    only chains that held; ``every_route``: a chain for every pair of routes that fits."""

    def __init__(self, graph: KnowledgeGraph, keep: StatementFilter, supported: str | None, against: str | None,
                 strict: bool, every_route: bool = False):
        self.graph, self.keep, self.supported, self.against, self.strict = graph, keep, supported, against, strict
        self.every_route = every_route
        self.rank = _evidence_rank(graph)
        self.hostile: dict[str, list[Relation]] = {}
        self.backing: dict[str, list[Relation]] = {}
        self.found_routes: dict[tuple[str, str], dict[str, list[_Route]]] = {}
        self.spans: dict[tuple[str, str], tuple[date, date]] = {}
        self.links: dict[tuple[str, str], list[Relation]] = {}

    def givers(self, x: str | None) -> Iterator[tuple[str, list[_Direct]]]:
        """Each supporter in order, with its ``direct`` steps in the order they are found.
        Asked about no one, one supporter at a time; else from the entities asked about."""
        y, z = self.supported, self.against
        if x is None and y is None and z is None:
            for giver in sorted({backing.subject for backing in self.graph.relations(BACKING) if self.keep(backing)}):
                yield giver, list(self.direct(giver, None, None))
            return
        found: dict[str, list[_Direct]] = {}
        for backed in [None] if y is None else [y, *self.routes(y, "up")]:
            for group in [None] if z is None else [z, *self.routes(z, "up")]:
                for step in self.direct(x, backed, group):
                    found.setdefault(step[0].subject, []).append(step)
        for giver in sorted(found):
            yield giver, found[giver]

    def answers(self, giver: str, steps: list[_Direct]) -> Iterator[Support]:
        """The supporter's answers, in order: one supported at a time, each with every chain
        of its steps (in their order) to each adversary."""
        takers: dict[str, list[tuple[tuple, Sequence[_Route]]]] = {}
        for backing, adversary, hostility in steps:
            first, last = _window(backing, hostility)
            sides, taker_span = self.side(backing.object, self.supported)
            foes, foe_span = self.side(adversary, self.against)
            free = max(first, taker_span[0], foe_span[0]) <= min(last, taker_span[1], foe_span[1])
            step = (backing, adversary, hostility, foes, free, first, last)
            for taker, taker_routes in sides:
                if taker != giver or not taker_routes[0][0]:
                    takers.setdefault(taker, []).append((step, taker_routes))
        for taker in sorted(takers):
            with collector_paused():  # answers make no cycles
                found = self.chains(giver, taker, takers[taker])
                answers = [self.answer((giver, taker, foe), found[foe]) for foe in sorted(found)]
            yield from answers

    def chains(self, giver: str, taker: str, steps: list[tuple[tuple, Sequence[_Route]]]) -> dict[str, list[Chain]]:
        """The chains from the supporter to the supported, by adversary; with ``strict``, those that held."""
        found: dict[str, list[Chain]] = {}
        for (backing, adversary, hostility, foes, free, first, last), taker_routes in steps:
            for foe, foe_routes in foes:
                if foe != giver and foe != taker and foe != backing.object:
                    if self.every_route:
                        pairs = list(_together(first, last, taker_routes, foe_routes))
                    elif free:  # every route of either side meets the others within the window
                        pairs = [(taker_routes[0][0], foe_routes[0][0])]
                    else:
                        pairs = list(islice(_together(first, last, taker_routes, foe_routes), 1))
                    if pairs:
                        found.setdefault(foe, []).extend(
                            Chain(backing, hostility, adversary, taker_chain, foe_chain)
                            for taker_chain, foe_chain in pairs)
        if self.strict:
            when = self.keep.when
            found = {foe: held for foe, chains in found.items()
                     if (held := [chain for chain in chains if chain.holding(when) == HELD])}
        return found

    def answer(self, triple: tuple[str, str, str], chains: list[Chain]) -> Support:
        """The answer of a triple: its chains explicit first, then by fewer member-of statements,
        then by backing in data order; its evidence the backing statements first, then the
        rest, each in data order, each once."""
        rank, by_id = self.rank.__getitem__, self.graph.relation
        if len(chains) > 1:
            chains.sort(key=lambda chain: (chain.hostility is not None,
                                           len(chain.supported_members) + len(chain.against_members),
                                           rank(chain.backing.id)))
            ids = {relation.id for chain in chains for relation in chain.statements}
            evidence = tuple(map(by_id, sorted(ids, key=rank)))
        elif chains[0].supported_members or chains[0].against_members:
            evidence = tuple(map(by_id, sorted(map(_relation_id, chains[0].statements), key=rank)))
        else:  # (backing,) or (backing, hostility): in order already
            evidence = chains[0].statements
        first = chains[0]
        explicit = first.hostility is None and not first.supported_members and not first.against_members
        return Support(*triple, "explicit" if explicit else "derived", evidence, tuple(chains), self.keep.when)

    def direct(self, x: str | None, y: str | None, z: str | None) -> Iterator[_Direct]:
        """(backing, adversary, hostility): from ``backs`` naming the adversary (no hostility),
        and from ``backs`` + armed hostilities of the backed side over overlapping time."""
        if z is not None and x is None and y is None:
            yield from self.direct_against(z)
            return
        for backing in self.graph.relations(BACKING, x, y):
            if not self.keep(backing):
                continue
            for adversary in backing.against:
                if z in (None, adversary):
                    yield backing, adversary, None
            for hostility in self.hostilities(backing.object):
                adversary = hostility.other(backing.object)
                if z in (None, adversary) and overlaps(backing.start, backing.end, hostility.start, hostility.end):
                    yield backing, adversary, hostility

    def direct_against(self, z: str) -> Iterator[_Direct]:
        """``direct`` when only the adversary is known: from its hostilities to their backers."""
        for backing in _backs_against(self.graph).get(z, ()):
            if self.keep(backing):
                yield backing, z, None
        if self.graph.entities[z].category != "actor":
            return
        for hostility in self.hostilities(z):
            side = hostility.other(z)
            for backing in self.backings(side):
                if overlaps(backing.start, backing.end, hostility.start, hostility.end):
                    yield backing, z, hostility

    def side(self, group: str, asked: str | None) -> tuple[list[tuple[str, Sequence[_Route]]], tuple[date, date]]:
        """One side of an answer: ``group`` (the backed side or the adversary) and, unless one
        was ``asked`` for, its members (if ``asked``, only that one), each with its routes of
        member-of statements down from the group (see ``_routes``); and the days every route
        of the side surely spans (see ``common_span``)."""
        if asked is None:
            members = self.routes(group, "down")
            return [(group, _NO_STEP), *members.items()], self.common_span(group, "down")
        if asked == group:
            return [(group, _NO_STEP)], (BEFORE_ALL, AFTER_ALL)
        routes = self.routes(asked, "up").get(group)
        if routes is None:
            return [], (BEFORE_ALL, AFTER_ALL)
        return ([(asked, [(chain[::-1], first, last) for chain, first, last in routes])],
                (max(first for _, first, _ in routes), min(last for _, _, last in routes)))

    def hostilities(self, entity_id: str) -> list[Relation]:
        """Armed hostilities the entity takes part in, on either side, against an actor, in data order."""
        if entity_id not in self.hostile:
            entities = self.graph.entities
            self.hostile[entity_id] = sorted(
                (r for r in self.graph.touching(entity_id)
                 if r.type in _ARMED and r.subject != r.object and self.keep(r)
                 and entities[r.other(entity_id)].category == "actor"),
                key=lambda relation: self.rank[relation.id])
        return self.hostile[entity_id]

    def backings(self, entity_id: str) -> list[Relation]:
        """The backs statements that count, received by the entity."""
        if entity_id not in self.backing:
            self.backing[entity_id] = [b for b in self.graph.relations(BACKING, object=entity_id) if self.keep(b)]
        return self.backing[entity_id]

    def routes(self, start: str, direction: str) -> dict[str, list[_Route]]:
        """``_routes`` from ``start``, worked out once."""
        if (start, direction) not in self.found_routes:
            self.found_routes[start, direction] = _routes(self.membership, start, direction)
        return self.found_routes[start, direction]

    def membership(self, entity_id: str, direction: str) -> list[Relation]:
        """The ``member-of`` statements that count into groups that stand for their members,
        in data order: those of the group's members ("down"), or of the member's groups ("up")."""
        if (entity_id, direction) not in self.links:
            end = "object" if direction == "down" else "subject"
            self.links[entity_id, direction] = sorted(
                (link for link in self.graph.touching(entity_id)
                 if link.type == MEMBERSHIP and getattr(link, end) == entity_id and link.subject != link.object
                 and self.keep(link) and _stands_for_members(self.graph, link.object)),
                key=lambda relation: self.rank[relation.id])
        return self.links[entity_id, direction]

    def common_span(self, start: str, direction: str) -> tuple[date, date]:
        """The days within every route from ``start`` (the first after the last when there
        are none): a window that meets them meets every route."""
        if (start, direction) not in self.spans:
            routes = [route for found in self.routes(start, direction).values() for route in found]
            self.spans[start, direction] = (max((first for _, first, _ in routes), default=BEFORE_ALL),
                                            min((last for _, _, last in routes), default=AFTER_ALL))
        return self.spans[start, direction]


def _evidence_rank(graph: KnowledgeGraph) -> dict[str, int]:
    """Relation id -> place in a list of evidence: backs statements first, then data order."""
    return graph.memo("evidence rank", lambda: {
        relation.id: index - (len(graph) if relation.type == BACKING else 0)
        for index, relation in enumerate(graph.relations())
    })


def _backs_against(graph: KnowledgeGraph) -> dict[str, list[Relation]]:
    """Adversary id -> the backs statements that name it in ``against``, in data order."""
    def index() -> dict[str, list[Relation]]:
        found: dict[str, list[Relation]] = {}
        for backing in graph.relations(BACKING):
            for adversary in backing.against:
                found.setdefault(adversary, []).append(backing)
        return found

    return graph.memo("backs by adversary", index)


#: How many member-of statements support for or against a group follows down to its members.
MEMBERSHIP_DEPTH = 3


#: A route of member-of statements, and the first and last day on which they may all have held.
_Route = tuple[tuple[Relation, ...], date, date]
#: The route of no step: a side's group itself.
_NO_STEP: tuple[_Route] = (((), BEFORE_ALL, AFTER_ALL),)


def _routes(links_of: Callable[[str, str], list[Relation]], start: str, direction: str) -> dict[str, list[_Route]]:
    """The members of ``start`` ("down") or the groups it belongs to ("up"), through at most
    ``MEMBERSHIP_DEPTH`` of the ``links_of`` each node (see ``_SupportWorld.membership``)
    that may all have held on some day; each with its routes, shortest first, leaving out a
    route whose days lie within another's (it could never be the only one that fits)."""
    found: dict[str, list[_Route]] = {}
    frontier: list[tuple[str, tuple[Relation, ...], date, date, tuple[str, ...]]] = [
        (start, (), BEFORE_ALL, AFTER_ALL, (start,))]
    for _ in range(MEMBERSHIP_DEPTH):
        grown = []
        for node, chain, first, last, path in frontier:
            for link in links_of(node, direction):
                other = link.subject if direction == "down" else link.object
                if other in path:
                    continue
                begins, ends = days_possible(link.start, link.end)
                begins, ends = max(first, begins), min(last, ends)
                if begins > ends:
                    continue
                routes = found.setdefault(other, [])
                if any(known_first <= begins and ends <= known_last for _, known_first, known_last in routes):
                    continue
                routes.append((chain + (link,), begins, ends))
                grown.append((other, chain + (link,), begins, ends, path + (other,)))
        frontier = grown
    return {member: routes for member, routes in found.items() if routes}


def _window(backing: Relation, hostility: Relation | None) -> tuple[date, date]:
    """The days on which the backing and the hostility (if any) may both have held."""
    first, last = days_possible(backing.start, backing.end)
    if hostility is None:
        return first, last
    begins, ends = days_possible(hostility.start, hostility.end)
    return max(first, begins), min(last, ends)


def _together(first: date, last: date, taker_routes: Sequence[_Route],
              foe_routes: Sequence[_Route]) -> Iterator[tuple[tuple[Relation, ...], tuple[Relation, ...]]]:
    """Each pair of routes, one of each side, whose days meet each other's and the window's
    (``first`` to ``last``), in the order of the routes."""
    for taker_chain, taker_first, taker_last in taker_routes:
        begins, ends = max(first, taker_first), min(last, taker_last)
        if begins <= ends:
            for foe_chain, foe_first, foe_last in foe_routes:
                if max(begins, foe_first) <= min(ends, foe_last):
                    yield taker_chain, foe_chain


def _stands_for_members(graph: KnowledgeGraph, entity_id: str) -> bool:
    return ENTITY_KINDS[graph.entities[entity_id].kind].stands_for_members
