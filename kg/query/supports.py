"""Who supports whom against whom, explicitly or through hostility and membership, each answer with its chains."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from kg.dates import AFTER_ALL, BEFORE_ALL, HELD, days_possible, earliest, latest, overlaps, span
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
    to the same member, the shortest whose statements surely held together (on ``as_of`` if
    given), else the shortest that fits.

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
        self.sure_days: dict[tuple[str, str | None], tuple[date, date]] = {}  # by backing and hostility

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
        self.sure_days.clear()  # what is held meanwhile is one supporter's
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
        for step, taker_routes in steps:
            backing, adversary, hostility, foes, free, first, last = step
            for foe, foe_routes in foes:
                if foe != giver and foe != taker and foe != backing.object:
                    if free and len(taker_routes) == len(foe_routes) == 1:  # the one route of either side fits
                        chains = [Chain(backing, hostility, adversary, taker_routes[0][0], foe_routes[0][0])]
                    else:
                        chains = self.fitting(step, taker_routes, foe_routes)
                    if chains:
                        found.setdefault(foe, []).extend(chains)
        if self.strict:
            when = self.keep.when
            found = {foe: held for foe, chains in found.items()
                     if (held := [chain for chain in chains if chain.holding(when) == HELD])}
        return found

    def fitting(self, step: tuple, taker_routes: Sequence[_Route], foe_routes: Sequence[_Route]) -> list[Chain]:
        """The chains of a step through pairs of routes (one of each side) that fit: one for
        each pair with ``every_route``; else the first whose statements surely held together
        (on the date asked about, if any), or the first that fits when none did."""
        backing, adversary, hostility, _, _, first, last = step
        pairs = _together(first, last, taker_routes, foe_routes)
        if self.every_route:
            return [Chain(backing, hostility, adversary, taker[0], foe[0]) for taker, foe in pairs]
        chosen = next(pairs, None)
        if chosen is None:
            return []
        sure_first, sure_last = self.surely(backing, hostility)
        if max(sure_first, chosen[0][3], chosen[1][3]) > min(sure_last, chosen[0][4], chosen[1][4]):
            chosen = next((pair for pair in pairs if max(sure_first, pair[0][3], pair[1][3])
                           <= min(sure_last, pair[0][4], pair[1][4])), chosen)
        return [Chain(backing, hostility, adversary, chosen[0][0], chosen[1][0])]

    def surely(self, backing: Relation, hostility: Relation | None) -> tuple[date, date]:
        """The days the backing and the hostility (if any) surely both held, within the date
        asked about (if any); the first after the last if there are none. A chain through
        them surely held if the days its routes surely held meet these (``Chain.holding``)."""
        key = (backing.id, hostility and hostility.id)
        if key not in self.sure_days:
            spans = [span(relation.start, relation.end) for relation in (backing, hostility) if relation is not None]
            when = self.keep.when
            first, last = (BEFORE_ALL, AFTER_ALL) if when is None else (earliest(when), latest(when))
            self.sure_days[key] = _NEVER if any(days.certain_empty for days in spans) else (
                max(first, *(days.certain[0] for days in spans)), min(last, *(days.certain[1] for days in spans)))
        return self.sure_days[key]

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
        return ([(asked, [(route[0][::-1], *route[1:]) for route in routes])],
                (max(route[1] for route in routes), min(route[2] for route in routes)))

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
            self.spans[start, direction] = (max((route[1] for route in routes), default=BEFORE_ALL),
                                            min((route[2] for route in routes), default=AFTER_ALL))
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


#: A route of member-of statements, the first and last day on which they may all have held,
#: and the first and last on which they surely all held (the first after the last: none).
_Route = tuple[tuple[Relation, ...], date, date, date, date]
#: The route of no step: a side's group itself.
_NO_STEP: tuple[_Route] = (((), BEFORE_ALL, AFTER_ALL, BEFORE_ALL, AFTER_ALL),)
#: The sure days of a route with a statement that never surely held.
_NEVER = (AFTER_ALL, BEFORE_ALL)


def _routes(links_of: Callable[[str, str], list[Relation]], start: str, direction: str) -> dict[str, list[_Route]]:
    """The members of ``start`` ("down") or the groups it belongs to ("up"), through at most
    ``MEMBERSHIP_DEPTH`` of the ``links_of`` each node (see ``_SupportWorld.membership``)
    that may all have held on some day; each with its routes, shortest first, leaving out a
    route whose days, those it may have held and those it surely held, lie within another's:
    it could never be the only one that fits, nor the only one that held."""
    found: dict[str, list[_Route]] = {}
    frontier: list[tuple[str, _Route, tuple[str, ...]]] = [(start, _NO_STEP[0], (start,))]
    for _ in range(MEMBERSHIP_DEPTH):
        grown = []
        for node, (chain, first, last, sure_first, sure_last), path in frontier:
            for link in links_of(node, direction):
                other = link.subject if direction == "down" else link.object
                if other in path:
                    continue
                days = span(link.start, link.end)
                begins, ends = max(first, days.possible[0]), min(last, days.possible[1])
                if begins > ends:
                    continue
                surely = _NEVER if days.certain_empty else (max(sure_first, days.certain[0]),
                                                            min(sure_last, days.certain[1]))
                route = (chain + (link,), begins, ends, *surely)
                routes = found.setdefault(other, [])
                if not any(_within(route, known) for known in routes):
                    routes.append(route)
                    grown.append((other, route, path + (other,)))
        frontier = grown
    return {member: routes for member, routes in found.items() if routes}


def _within(route: _Route, other: _Route) -> bool:
    """Whether the days ``route`` may have held lie within ``other``'s, and the days it surely
    held too (or it never surely held)."""
    _, first, last, sure_first, sure_last = route
    _, other_first, other_last, other_sure_first, other_sure_last = other
    return (other_first <= first and last <= other_last
            and (sure_first > sure_last or (other_sure_first <= sure_first and sure_last <= other_sure_last)))


def _window(backing: Relation, hostility: Relation | None) -> tuple[date, date]:
    """The days on which the backing and the hostility (if any) may both have held."""
    first, last = days_possible(backing.start, backing.end)
    if hostility is None:
        return first, last
    begins, ends = days_possible(hostility.start, hostility.end)
    return max(first, begins), min(last, ends)


def _together(first: date, last: date, taker_routes: Sequence[_Route],
              foe_routes: Sequence[_Route]) -> Iterator[tuple[_Route, _Route]]:
    """Each pair of routes, one of each side, whose days meet each other's and the window's
    (``first`` to ``last``), in the order of the routes."""
    for taker in taker_routes:
        begins, ends = max(first, taker[1]), min(last, taker[2])
        if begins <= ends:
            for foe in foe_routes:
                if max(begins, foe[1]) <= min(ends, foe[2]):
                    yield taker, foe


def _stands_for_members(graph: KnowledgeGraph, entity_id: str) -> bool:
    return ENTITY_KINDS[graph.entities[entity_id].kind].stands_for_members
