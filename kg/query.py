"""Questions over a KnowledgeGraph: who supports whom against whom, how two entities are
connected, allies and enemies, an entity's card, unbalanced triangles, what changed.

Every function takes the graph first and names entities by id, name or alias. Answers are
frozen records that carry the statements they rest on, collected in ``Results`` lists
that convert to tables. By default only statements whose status asserts them (stated,
reported, alleged, claimed) count; pass ``statuses=`` to choose.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import chain as chain_iterables
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from kg.dates import (AFTER_ALL, BEFORE_ALL, HELD, MAY_HAVE_HELD, date_argument, days_possible, describe, earliest,
                      latest, overlaps, span)
from kg.errors import NoPathError, QueryError
from kg._display import SIGN_MARKS, count, escape, relations_html, source_ids
from kg._words import article
from kg.model import Entity, Figure, Relation, collector_paused
from kg.results import Results
from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES, STATUSES, term_arguments

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "ASSERTING",
    "MEMBERSHIP_DEPTH",
    "SUPPORT_RULES",
    "Card",
    "Chain",
    "Change",
    "Hop",
    "Match",
    "Path",
    "Support",
    "Tie",
    "Triangle",
    "allies",
    "balance",
    "card",
    "diff",
    "enemies",
    "paths",
    "search",
    "shortest_path",
    "stats",
    "supports",
]

#: The statuses that present a statement as holding; the default filter of every query.
ASSERTING = frozenset(name for name, status in STATUSES.items() if status.asserts)

_SIGN_WORDS = {1: "ally", -1: "enemy"}
_ARMED = frozenset(name for name, row in RELATION_TYPES.items() if row.armed)
_relation_id = attrgetter("id")


class _Filter:
    """Which statements count: a set of statuses and, optionally, a date they held on or
    may have held on (``strict``: only those that held)."""

    def __init__(self, as_of: str | date | None, statuses: Iterable[str] | str | None, strict: bool = False):
        self.when = date_argument(as_of)
        self.statuses = term_arguments("status", statuses, STATUSES) or ASSERTING
        self.holdings = (HELD,) if strict else (HELD, MAY_HAVE_HELD)

    def __call__(self, relation: Relation) -> bool:
        return relation.status in self.statuses and (
            self.when is None or relation.holding(self.when) in self.holdings)


# --------------------------------------------------------------------------- supports

#: The rules by which ``supports`` makes an answer: how the support is "against" someone, then
#: how far it reaches into the members of a group on either side (see ``Chain.rule``).
SUPPORT_RULES: Mapping[str, str] = MappingProxyType({
    "explicit": "the backing names the adversary in its `against`",
    "hostility": "the backed side is in armed hostilities with the adversary over overlapping time",
    "supported-member": "the backing goes to a group that stands for its members; the supported is a member",
    "against-member": "the adversary is a group that stands for its members; the one it is against is a member",
})


class Chain(NamedTuple):
    """One way to an answer of ``supports``: the statements it was derived from.

    ``backing`` is the ``backs`` statement; ``hostility`` the armed hostility between the
    backed side and ``adversary``, or None when the backing names the adversary in its
    ``against``. ``supported_members`` leads from the backed group down to the supported
    member, ``against_members`` from the adversary down to the one the support is against
    (``member-of`` statements, each of a member of the group before it; empty when there is
    no such step).

    >>> backs = Relation("b", "backs", "iran", "iran-backed-groups", ())
    >>> member = Relation("m", "member-of", "al-abbas-brigade", "iran-backed-groups", ())
    >>> attacks = Relation("a", "attacks", "moc", "iran-backed-groups", (), start="2024-11-27")
    >>> chain = Chain(backs, attacks, "moc", (member,))
    >>> chain.rule, chain.span, chain.holding()
    ('hostility+supported-member', ('2024-11-27', None), 'may have held')
    >>> chain.text
    'al-abbas-brigade -[member-of]-> iran-backed-groups <-[attacks]- moc'
    """

    backing: Relation
    hostility: Relation | None
    adversary: str
    supported_members: tuple[Relation, ...] = ()
    against_members: tuple[Relation, ...] = ()

    @property
    def rule(self) -> str:
        """The ``SUPPORT_RULES`` that made it, joined with '+': ``hostility+against-member``."""
        rule = "explicit" if self.hostility is None else "hostility"
        if self.supported_members:
            rule += "+supported-member"
        return rule + "+against-member" if self.against_members else rule

    @property
    def statements(self) -> tuple[Relation, ...]:
        """The backing, the hostility (if any), then the member-of statements of each side."""
        link = () if self.hostility is None else (self.hostility,)
        return (self.backing, *link, *self.supported_members, *self.against_members)

    @property
    def span(self) -> tuple[str | None, str | None]:
        """When all its statements may have held together: the latest start and the earliest
        end, as written (None: open or unknown)."""
        return _common_span(self.statements)

    def holding(self, when: str | None = None) -> str:
        """``held`` if the days its statements surely held overlap (and meet ``when`` if given),
        else ``may have held`` (an undated statement, a vague bound, or no sure overlap)."""
        return _holding_together(self.statements, when)

    @property
    def text(self) -> str:
        """From the supported to the one it is against, the backed side's link to the
        adversary in the middle: ``sna -[member-of]-> rebels -[fights]- syrian-government``;
        an adversary named by the backing reads ``-[against]->``."""
        backed = self.backing.object
        parts = [member.subject for member in self.supported_members[-1:]] or [backed]
        for member in reversed(self.supported_members):
            parts += ["-[member-of]->", member.object]
        parts += [_link_text(backed, self.hostility), self.adversary]
        for member in self.against_members:
            parts += ["<-[member-of]-", member.subject]
        return " ".join(parts)

    def to_record(self, when: str | None = None) -> dict[str, Any]:
        """``rule``, ``through`` (``text``), ``start`` and ``end`` (``span``), ``holding`` (on
        ``when`` if given) and the statements' ids."""
        start, end = self.span
        return {"rule": self.rule, "through": self.text, "start": start, "end": end,
                "holding": self.holding(when), "statements": [relation.id for relation in self.statements]}


def _link_text(backed: str, hostility: Relation | None) -> str:
    if hostility is None:
        return "-[against]->"
    if hostility.symmetric:
        return f"-[{hostility.type}]-"
    return f"-[{hostility.type}]->" if hostility.subject == backed else f"<-[{hostility.type}]-"


def _holding_together(relations: Iterable[Relation], when: str | None) -> str:
    """``held`` if the days the statements surely held share a day (one that meets ``when``,
    if given), else ``may have held``."""
    first, last = BEFORE_ALL, AFTER_ALL
    for relation in relations:
        spans = span(relation.start, relation.end)
        if spans.certain_empty:
            return MAY_HAVE_HELD
        first, last = max(first, spans.certain[0]), min(last, spans.certain[1])
    if when is not None:
        first, last = max(first, earliest(when)), min(last, latest(when))
    return HELD if first <= last else MAY_HAVE_HELD


def _common_span(relations: Iterable[Relation]) -> tuple[str | None, str | None]:
    """When the statements may all have held together: the start of the one that may have
    begun latest and the end of the one that may have ended earliest, as written (None where
    every start, or every end, is open or unknown)."""
    spans = [(days_possible(relation.start, relation.end), relation) for relation in relations]
    (first, _), starter = max(spans, key=lambda item: item[0][0])
    (_, last), ender = min(spans, key=lambda item: item[0][1])
    return (starter.start if first != BEFORE_ALL else None, ender.end if last != AFTER_ALL else None)


class Support(NamedTuple):
    """"``supporter`` supports ``supported`` against ``against``", and why.

    ``basis`` is ``"explicit"`` when a ``backs`` statement names the adversary, and
    ``"derived"`` when it follows from other statements (see ``supports``); ``chains`` holds
    each way to the answer (explicit first) with its rule and statements, and ``evidence``
    every statement the answer rests on. (A named tuple: there can be millions.)
    """

    supporter: str
    supported: str
    against: str
    basis: str
    evidence: tuple[Relation, ...]
    chains: tuple[Chain, ...] = ()
    as_of: str | None = None

    table_hides = ("rule",)  # tables show the chains' paths (``through``), which name their rules

    @property
    def rule(self) -> str | None:
        """The rule of the first (most direct) chain: ``explicit``, ``hostility``, ..."""
        return self.chains[0].rule if self.chains else None

    @property
    def holding(self) -> str:
        """``held`` if some chain's statements surely held together (on ``as_of``, if asked
        for), else ``may have held``; see ``Chain.holding``."""
        if not self.chains:
            return _holding_together(self.evidence, self.as_of)
        return HELD if any(chain.holding(self.as_of) == HELD for chain in self.chains) else MAY_HAVE_HELD

    @property
    def chain(self) -> tuple[Relation, ...]:
        """The statements of the first (most direct) chain."""
        return self.chains[0].statements if self.chains else ()

    @property
    def span(self) -> tuple[str | None, str | None]:
        """When the statements of the first chain overlap: (latest start, earliest end)."""
        return self.chains[0].span if self.chains else (None, None)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict: the triple, its basis and rule, the paths of its chains (each once), the kinds
        of support and statuses its statements name, the sources, each chain (its rule, path,
        span and statement ids) and the evidence (each statement with its quotes)."""
        return {
            "supporter": self.supporter, "supported": self.supported, "against": self.against,
            "basis": self.basis, "holding": self.holding, "rule": self.rule,
            "through": "; ".join(dict.fromkeys(chain.text for chain in self.chains)),
            "support": sorted({kind for r in self.evidence for kind in r.support}),
            "status": sorted({r.status for r in self.evidence}), "sources": source_ids(self.evidence),
            "chains": [chain.to_record(self.as_of) for chain in self.chains],
            "evidence": [relation.to_record() for relation in self.evidence],
        }

    def __repr__(self) -> str:
        return (f"<Support {self.supporter} -> {self.supported} against {self.against} "
                f"({self.basis}, {count(len(self.evidence), 'statement')})>")

    def _repr_html_(self) -> str:
        ways = "".join(f"<li><code>{escape(chain.text)}</code> ({escape(chain.rule)}; {escape(describe(*chain.span))}; "
                       f"{escape(chain.holding(self.as_of))})</li>" for chain in self.chains)
        return (f"<p><code>{escape(self.supporter)}</code> supports <code>{escape(self.supported)}</code> against "
                f"<code>{escape(self.against)}</code> ({escape(self.basis)}, {escape(self.holding)})"
                + (f", through:</p><ul>{ways}</ul><p>" if ways else ". ")
                + "On this evidence:</p>" + relations_html(self.evidence))


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
    (``explicit``: only the answers whose basis is explicit).

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
    x, y, z = (graph.entity_id(name) for name in (supporter, supported, against))
    keep = _Filter(as_of, statuses, strict)
    world = _SupportWorld(graph, keep)
    found: dict[tuple[str, str, str], Chain | list[Chain]] = {}  # a list when there are several
    with collector_paused():  # answers and their evidence make no cycles; there can be millions
        for backed in [None] if y is None else [y, *world.routes(y, "up")]:
            for group in [None] if z is None else [z, *world.routes(z, "up")]:
                for backing, adversary, hostility in world.direct(x, backed, group):
                    first, last = _window(backing, hostility)
                    takers, taker_span = world.side(backing.object, y)
                    foes, foe_span = world.side(adversary, z)
                    free = max(first, taker_span[0], foe_span[0]) <= min(last, taker_span[1], foe_span[1])
                    giver = backing.subject
                    for taker, taker_routes in takers:
                        if taker == giver and taker_routes[0][0]:
                            continue
                        for foe, foe_routes in foes:
                            if foe != giver and foe != taker and foe != backing.object:
                                if free:  # every route of either side meets the others within the window
                                    taker_chain, foe_chain = taker_routes[0][0], foe_routes[0][0]
                                else:
                                    together = _together(first, last, taker_routes, foe_routes)
                                    if together is None:
                                        continue
                                    taker_chain, foe_chain = together
                                chain = Chain(backing, hostility, adversary, taker_chain, foe_chain)
                                known = found.get((giver, taker, foe))
                                if known is None:
                                    found[giver, taker, foe] = chain
                                elif type(known) is list:
                                    known.append(chain)
                                else:
                                    found[giver, taker, foe] = [known, chain]
        if strict:
            found = _held_only(found, keep.when)
        answers = _answers(graph, found, keep.when)
    return Results(a for a in answers if a.basis == "explicit") if explicit else answers


def _held_only(found: dict[tuple[str, str, str], Chain | list[Chain]],
               when: str | None) -> dict[tuple[str, str, str], Chain | list[Chain]]:
    """The chains that held (on ``when``, if given), by triple; triples with none left out."""
    kept: dict[tuple[str, str, str], Chain | list[Chain]] = {}
    for triple, chains in found.items():
        held = [chain for chain in (chains if type(chains) is list else [chains]) if chain.holding(when) == HELD]
        if held:
            kept[triple] = held if len(held) > 1 else held[0]
    return kept


def _answers(graph: KnowledgeGraph, found: dict[tuple[str, str, str], Chain | list[Chain]],
             when: str | None) -> Results[Support]:
    """``supports``' answers, sorted by (supporter, supported, against); the chains of each
    explicit first, then by fewer member-of statements, then by backing in data order; the
    evidence: the backing statements first, then the rest, each in data order, each once."""
    rank, by_id = _evidence_rank(graph).__getitem__, graph.relation

    def chain_order(chain: Chain) -> tuple[bool, int, int]:
        return (chain.hostility is not None, len(chain.supported_members) + len(chain.against_members),
                rank(chain.backing.id))

    answers = []
    for triple in sorted(found, key="\0".join):  # the order of the triples (ids hold no NUL), found faster
        chains = found[triple]
        if type(chains) is list:
            chains.sort(key=chain_order)
            ids = {relation.id for chain in chains for relation in chain.statements}
            evidence = tuple(map(by_id, sorted(ids, key=rank)))
            chains = tuple(chains)
        elif chains.supported_members or chains.against_members:
            evidence = tuple(map(by_id, sorted(map(_relation_id, chains.statements), key=rank)))
            chains = (chains,)
        else:  # (backing,) or (backing, hostility): in order already
            evidence = (chains.backing,) if chains.hostility is None else (chains.backing, chains.hostility)
            chains = (chains,)
        first = chains[0]
        explicit = first.hostility is None and not first.supported_members and not first.against_members
        answers.append(Support(*triple, "explicit" if explicit else "derived", evidence, chains, when))
    return Results(answers)


def _evidence_rank(graph: KnowledgeGraph) -> dict[str, int]:
    """Relation id -> place in a list of evidence: backs statements first, then data order."""
    return graph.memo("evidence rank", lambda: {
        relation.id: index - (len(graph) if relation.type == "backs" else 0)
        for index, relation in enumerate(graph.relations())
    })


class _SupportWorld:
    """What ``supports`` consults, each part worked out once per call: the statements that
    count, armed hostilities by entity, backings by who receives them, and membership."""

    def __init__(self, graph: KnowledgeGraph, keep: _Filter):
        self.graph, self.keep = graph, keep
        self.hostile: dict[str, list[Relation]] = {}
        self.backing: dict[str, list[Relation]] = {}
        self.found_routes: dict[tuple[str, str], dict[str, list[_Route]]] = {}
        self.spans: dict[tuple[str, str], tuple[date, date]] = {}
        self.links: dict[str, dict[str, list[Relation]]] = {}

    def direct(self, x: str | None, y: str | None, z: str | None) -> Iterator[tuple[Relation, str, Relation | None]]:
        """(backing, adversary, hostility): from ``backs`` naming the adversary (no hostility),
        and from ``backs`` + armed hostilities of the backed side over overlapping time."""
        if z is not None and x is None and y is None:
            yield from self.direct_against(z)
            return
        for backing in self.graph.relations("backs", x, y):
            if not self.keep(backing):
                continue
            for adversary in backing.against:
                if z in (None, adversary):
                    yield backing, adversary, None
            for hostility in self.hostilities(backing.object):
                adversary = hostility.other(backing.object)
                if z in (None, adversary) and overlaps(backing.start, backing.end, hostility.start, hostility.end):
                    yield backing, adversary, hostility

    def direct_against(self, z: str) -> Iterator[tuple[Relation, str, Relation | None]]:
        """``direct`` when only the adversary is known: from its hostilities to their backers."""
        for backing in self.graph.relations("backs"):
            if z in backing.against and self.keep(backing):
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
        """Armed hostilities the entity takes part in, on either side, against an actor."""
        if entity_id not in self.hostile:
            entities = self.graph.entities
            self.hostile[entity_id] = [
                r for r in self.graph.neighbours(entity_id)
                if r.type in _ARMED and r.subject != r.object and self.keep(r)
                and entities[r.other(entity_id)].category == "actor"
            ]
        return self.hostile[entity_id]

    def backings(self, entity_id: str) -> list[Relation]:
        """The backs statements that count, received by the entity."""
        if entity_id not in self.backing:
            self.backing[entity_id] = [b for b in self.graph.relations("backs", object=entity_id) if self.keep(b)]
        return self.backing[entity_id]

    def routes(self, start: str, direction: str) -> dict[str, list[_Route]]:
        """``_routes`` from ``start``, worked out once."""
        if (start, direction) not in self.found_routes:
            self.found_routes[start, direction] = _routes(self.membership_links(direction), start, direction)
        return self.found_routes[start, direction]

    def membership_links(self, direction: str) -> dict[str, list[Relation]]:
        """The ``member-of`` statements that count, into groups that stand for their members:
        by group ("down") or by member ("up"), in data order."""
        if direction not in self.links:
            self.links[direction] = {}
            for link in self.graph.relations("member-of"):
                if self.keep(link) and _stands_for_members(self.graph, link.object):
                    end = link.object if direction == "down" else link.subject
                    self.links[direction].setdefault(end, []).append(link)
        return self.links[direction]

    def common_span(self, start: str, direction: str) -> tuple[date, date]:
        """The days within every route from ``start`` (the first after the last when there
        are none): a window that meets them meets every route."""
        if (start, direction) not in self.spans:
            routes = [route for found in self.routes(start, direction).values() for route in found]
            self.spans[start, direction] = (max((first for _, first, _ in routes), default=BEFORE_ALL),
                                            min((last for _, _, last in routes), default=AFTER_ALL))
        return self.spans[start, direction]


#: How many member-of statements support for or against a group follows down to its members.
MEMBERSHIP_DEPTH = 3


#: A route of member-of statements, and the first and last day on which they may all have held.
_Route = tuple[tuple[Relation, ...], date, date]
#: The route of no step: a side's group itself.
_NO_STEP: tuple[_Route] = (((), BEFORE_ALL, AFTER_ALL),)


def _routes(links_of: Mapping[str, list[Relation]], start: str, direction: str) -> dict[str, list[_Route]]:
    """The members of ``start`` ("down") or the groups it belongs to ("up"), through at most
    ``MEMBERSHIP_DEPTH`` of the ``links_of`` each node (see ``_SupportWorld.membership_links``)
    that may all have held on some day; each with its routes, shortest first, leaving out a
    route whose days lie within another's (it could never be the only one that fits)."""
    found: dict[str, list[_Route]] = {}
    frontier: list[tuple[str, tuple[Relation, ...], date, date, tuple[str, ...]]] = [
        (start, (), BEFORE_ALL, AFTER_ALL, (start,))]
    for _ in range(MEMBERSHIP_DEPTH):
        grown = []
        for node, chain, first, last, path in frontier:
            for link in links_of.get(node, ()):
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
              foe_routes: Sequence[_Route]) -> tuple[tuple[Relation, ...], tuple[Relation, ...]] | None:
    """The first pair of routes, one of each side, whose days meet each other's and the
    window's (``first`` to ``last``); None if no pair does."""
    for taker_chain, taker_first, taker_last in taker_routes:
        begins, ends = max(first, taker_first), min(last, taker_last)
        if begins <= ends:
            for foe_chain, foe_first, foe_last in foe_routes:
                if max(begins, foe_first) <= min(ends, foe_last):
                    return taker_chain, foe_chain
    return None


def _stands_for_members(graph: KnowledgeGraph, entity_id: str) -> bool:
    return ENTITY_KINDS[graph.entities[entity_id].kind].stands_for_members


# --------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class Hop:
    """One step of a path, from ``source`` to ``target`` along statements of one type.

    ``relations`` holds every statement of that type and direction between the two; the
    first is ``relation``. ``direction`` is ``forward`` when the statement reads from
    ``source`` to ``target``, ``backward`` when it reads the other way, and ``both`` for
    symmetric types. ``categories`` are those of ``source`` and ``target``: only a hop
    between two actors along a friendly or hostile type has a sign; any other is context.
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
        if self.categories != ("actor", "actor"):
            return "; ".join(f"{entity} is {article(category)}" for entity, category in
                             zip((self.source, self.target), self.categories) if category != "actor")
        return None if self.relation.sign else f"{self.type} is neither friendly nor hostile"

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

    def to_record(self) -> dict[str, Any]:
        return {
            "from": self.source, "to": self.target, "type": self.type, "direction": self.direction,
            "sign": self.sign, "context": self.context,
            "relations": [relation.id for relation in self.relations], "sources": source_ids(self.relations),
            "evidence": [relation.to_record() for relation in self.relations],
        }

    def __repr__(self) -> str:
        return f"<Hop {self.source} {self.text} {self.target} ({count(len(self.relations), 'statement')})>"


@dataclass(frozen=True)
class Path:
    """A chain of hops from one entity to another, with its signed reading.

    A path reads as friend or enemy ("the enemy of an ally") only when every hop is between
    two actors along a friendly or hostile type; through a place, an event or a neutral type
    (``negotiates-with``) it is context: ``sign`` 0, ``reading`` None, and ``context`` says why.
    """

    hops: tuple[Hop, ...]

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
        words = [_SIGN_WORDS[hop.sign] for hop in reversed(self.hops)]
        return " of ".join(["the " + words[0] if len(words) > 1 else article(words[0]),
                            *(article(word) for word in words[1:])])

    @property
    def context(self) -> str | None:
        """Why the path has no reading (each hop that is context), or None if it has one."""
        reasons = [hop.context for hop in self.hops if hop.context]
        return "; ".join(dict.fromkeys(reasons)) if reasons else None

    @property
    def text(self) -> str:
        """``hts -[fights]- syrian-government <-[backs]- russia``."""
        parts = [self.hops[0].source]
        for hop in self.hops:
            parts += [hop.text, hop.target]
        return " ".join(parts)

    def to_record(self) -> dict[str, Any]:
        return {
            "length": self.length, "sign": self.sign, "reading": self.reading, "context": self.context,
            "path": self.text,
            "nodes": list(self.nodes), "hops": [hop.to_record() for hop in self.hops],
        }

    def __repr__(self) -> str:
        return f"<Path {self.text} ({count(self.length, 'hop')}, {SIGN_MARKS[self.sign]})>"

    def _repr_html_(self) -> str:
        reading = self.reading or f"no reading ({self.context})"
        return (f"<p><code>{escape(self.text)}</code>: {escape(reading)} "
                f"({count(self.length, 'hop')}, sign {SIGN_MARKS[self.sign]})</p>"
                + relations_html(relation for hop in self.hops for relation in hop.relations))


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
) -> Results[Path]:
    """Simple paths between two entities, shortest first, along relations in either direction.

    ``types`` limits the relation types followed; at most ``limit`` paths are returned.

    >>> import kg
    >>> found = kg.load().paths("HTS", "Russia", max_length=2)
    >>> found[0].nodes[0], found[0].nodes[-1]
    ('hts', 'russia')
    """
    start, goal = graph.entity_id(source), graph.entity_id(target)
    if start == goal:
        raise QueryError(f"a path needs two different entities; both are {start!r}")
    if max_length < 1:
        raise QueryError(f"max_length must be at least 1, not {max_length}")
    steps = _Steps(graph, term_arguments("relation type", types, RELATION_TYPES), _Filter(as_of, statuses))
    shortest = steps.distance(start, goal, max_length)
    if shortest is None:
        return Results()
    near_goal = steps.within(goal, max_length // 2)
    found: list[Path] = []
    for length in range(shortest, max_length + 1):
        for hops in steps.walks(start, goal, length, near_goal, max_length // 2):
            found.append(Path(hops))
            if limit is not None and len(found) >= limit:
                return Results(found)
    return Results(found)


def shortest_path(graph: KnowledgeGraph, source: str, target: str, types: Iterable[str] | None = None,
                  max_length: int = 6, **options: Any) -> Path:
    """The shortest path between two entities; raises ``NoPathError`` when there is none.

    >>> import kg
    >>> kg.load().shortest_path("HTS", "Russia").nodes
    ('hts', 'russia')
    """
    found = paths(graph, source, target, types, max_length, limit=1, **options)
    if not found:
        names = f"{graph.entity_id(source)!r} and {graph.entity_id(target)!r}"
        raise NoPathError(f"no path between {names} within {max_length} hops")
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

    def __init__(self, graph: KnowledgeGraph, types: frozenset[str] | None, keep: _Filter):
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
            for (other, _, _), rels in sorted(groups.items()):
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


# --------------------------------------------------------------------------- allies, enemies, cards


@dataclass(frozen=True)
class Tie:
    """Another actor tied to the one asked about by statements of one sign."""

    entity: str
    sign: int
    relations: tuple[Relation, ...]

    table_hides = ("relations",)

    def to_record(self) -> dict[str, Any]:
        return {
            "entity": self.entity, "sign": self.sign, "types": sorted({r.type for r in self.relations}),
            "relations": [r.id for r in self.relations], "sources": source_ids(self.relations),
        }

    def __repr__(self) -> str:
        types = ", ".join(sorted({r.type for r in self.relations}))
        return (f"<Tie {self.entity}: {_SIGN_WORDS[self.sign]} ({types}; "
                f"{count(len(self.relations), 'statement')})>")


def allies(graph: KnowledgeGraph, name: str, *, as_of: str | date | None = None,
           statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Tie]:
    """Actors tied to ``name`` by cooperative statements (sign +1), sorted by id.

    >>> import kg
    >>> "syrian-government" in [tie.entity for tie in kg.load().allies("Russia")]
    True
    """
    return _ties(graph, name, 1, _Filter(as_of, statuses, strict))


def enemies(graph: KnowledgeGraph, name: str, *, as_of: str | date | None = None,
            statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Tie]:
    """Actors tied to ``name`` by hostile statements (sign -1), sorted by id.

    >>> import kg
    >>> "hts" in [tie.entity for tie in kg.load().enemies("Syrian government")]
    True
    """
    return _ties(graph, name, -1, _Filter(as_of, statuses, strict))


def _ties(graph: KnowledgeGraph, name: str, sign: int, keep: _Filter) -> Results[Tie]:
    entity_id = graph.resolve(name).id
    grouped: dict[str, list[Relation]] = {}
    for relation in graph.neighbours(entity_id):
        other = relation.other(entity_id)
        if relation.sign == sign and keep(relation) and graph.entities[other].category == "actor":
            grouped.setdefault(other, []).append(relation)
    return Results(Tie(other, sign, tuple(rels)) for other, rels in sorted(grouped.items()))


@dataclass(frozen=True)
class Card:
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
    extras = [f"{key}: {', '.join(values)}" for key, values in
              (("against", relation.against), ("support", relation.support)) if values]
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
    keep = _Filter(as_of, STATUSES, strict)
    relations = tuple(r for r in graph.neighbours(entity.id) if keep(r))
    mentioned = {r.other(entity.id) for r in relations}
    names = {other: graph.entities[other].name for other in mentioned}
    return Card(entity, relations, tuple(graph.figures(entity.id)), names, keep.when)


# --------------------------------------------------------------------------- balance


@dataclass(frozen=True)
class Triangle:
    """Three actors tied pairwise by signed statements, one statement a side."""

    nodes: tuple[str, str, str]
    relations: tuple[Relation, Relation, Relation]

    table_hides = ("relations",)

    @property
    def signs(self) -> tuple[int, int, int]:
        return tuple(relation.sign for relation in self.relations)  # type: ignore[return-value]

    @property
    def balanced(self) -> bool:
        """Balanced when the product of the signs is positive."""
        a, b, c = self.signs
        return a * b * c > 0

    def to_record(self) -> dict[str, Any]:
        return {
            "a": self.nodes[0], "b": self.nodes[1], "c": self.nodes[2],
            "signs": " ".join("+" if s > 0 else "-" for s in self.signs),
            "types": [r.type for r in self.relations], "relations": [r.id for r in self.relations],
            "sources": source_ids(self.relations),
        }

    def __repr__(self) -> str:
        signs = " ".join(SIGN_MARKS[sign] for sign in self.signs)
        return f"<Triangle {', '.join(self.nodes)} ({signs}: {', '.join(r.type for r in self.relations)})>"


def balance(graph: KnowledgeGraph, *, as_of: str | date | None = None,
            statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Triangle]:
    """Triangles of actors whose signs do not balance (the friend of my friend is my enemy).

    Each pair of actors has an edge per sign (its first statement of that sign), so a pair
    tied both ways can appear in a balanced and an unbalanced triangle.

    >>> import kg
    >>> all(not t.balanced for t in kg.load().balance())
    True
    """
    keep = _Filter(as_of, statuses, strict)
    edges: dict[frozenset[str], dict[int, Relation]] = {}
    neighbours: dict[str, set[str]] = {}
    for relation in graph.relations():
        ends = (relation.subject, relation.object)
        if relation.sign and keep(relation) and ends[0] != ends[1] and all(
                graph.entities[end].category == "actor" for end in ends):
            edges.setdefault(frozenset(ends), {}).setdefault(relation.sign, relation)
            neighbours.setdefault(ends[0], set()).add(ends[1])
            neighbours.setdefault(ends[1], set()).add(ends[0])
    found = []
    for a in sorted(neighbours):
        for b in sorted(n for n in neighbours[a] if n > a):
            for c in sorted(n for n in neighbours[a] & neighbours[b] if n > b):
                for ab in edges[frozenset((a, b))].values():
                    for bc in edges[frozenset((b, c))].values():
                        for ca in edges[frozenset((c, a))].values():
                            if ab.sign * bc.sign * ca.sign < 0:
                                found.append(Triangle((a, b, c), (ab, bc, ca)))
    return Results(found)


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class Change:
    """A statement that began or ended between two dates: ``change`` is ``began`` or
    ``ended``, or ``may have begun`` / ``may have ended`` when its date is too vague to
    say on which side of a bound it falls; ``date`` is the statement's start or end, and
    ``earliest`` the first day it may fall on."""

    change: str
    date: str
    relation: Relation
    earliest: date

    table_hides = ("id",)

    def to_record(self) -> dict[str, Any]:
        return {"change": self.change, "date": self.date, **self.relation.to_record()}

    def __repr__(self) -> str:
        return f"<Change {self.change} {self.date}: {self.relation.text}>"


def diff(graph: KnowledgeGraph, since: str | date, until: str | date, *,
         statuses: Iterable[str] | None = None, strict: bool = False) -> Results[Change]:
    """Statements that began (start after ``since``, on or before ``until``) or ended (end on
    or after ``since``, before ``until``), sorted by date. A start or end that may fall in
    that window but also outside it is a ``may have begun`` or ``may have ended`` change
    (``strict`` leaves those out); an undated statement, or an open or unknown bound, is
    never a change.

    >>> import kg
    >>> changes = kg.load().diff("2024-11-26", "2024-12-02")
    >>> {"began", "ended"} <= {c.change for c in changes}
    True
    """
    first, last = date_argument(since), date_argument(until)
    if earliest(last) < earliest(first):
        raise QueryError(f"the second date {last} is before the first {first}")
    keep = _Filter(None, statuses)
    after, until_day, since_day, before = latest(first), latest(last), earliest(first), earliest(last)
    changes = [Change("began" if after < moment.low and moment.high <= until_day else "may have begun",
                      relation.start, relation, moment.low)
               for moment, relation in graph.starting(after, until_day)]
    changes += [Change("ended" if since_day <= moment.low and moment.high < before else "may have ended",
                       relation.end, relation, moment.low)
                for moment, relation in graph.ending(since_day, before)]
    kept = [c for c in changes if keep(c.relation) and not (strict and c.change.startswith("may"))]
    return Results(sorted(kept, key=lambda c: (c.earliest, c.change, c.relation.id)))


# --------------------------------------------------------------------------- stats and search


def stats(graph: KnowledgeGraph) -> dict[str, dict[str, int]]:
    """Counts: totals, relations by type and status, entities by kind, statements by source.

    >>> import kg
    >>> sorted(kg.load().stats())
    ['entity kinds', 'relation types', 'sources', 'statuses', 'totals']
    """
    relations = graph.relations()
    by_source = Counter(source for r in relations for source in {c.source for c in r.sources})
    return {
        "totals": graph.counts(),
        "relation types": dict(sorted(Counter(r.type for r in relations).items())),
        "statuses": dict(sorted(Counter(r.status for r in relations).items())),
        "entity kinds": dict(sorted(Counter(e.kind for e in graph.entities.values()).items())),
        "sources": dict(sorted(by_source.items())),
    }


@dataclass(frozen=True)
class Match:
    """An entity found by a fuzzy name search, the name it matched by, and a 0-1 score."""

    entity: str
    name: str
    kind: str
    matched: str
    score: float

    def to_record(self) -> dict[str, Any]:
        return {"entity": self.entity, "name": self.name, "kind": self.kind,
                "matched": self.matched, "score": round(self.score, 3)}

    def __repr__(self) -> str:
        return f"<Match {self.entity}: {self.name} ({self.kind}) by {self.matched!r}, {self.score:.2f}>"


#: The longest text ``search`` compares with names (longer text is no name, and costs time).
MAX_SEARCH_LENGTH = 500


def search(graph: KnowledgeGraph, text: str, limit: int = 10) -> Results[Match]:
    """Entities whose id, name or alias resembles ``text``, best first.

    Names compare with case, accents, punctuation and spaces folded. Exact matches score 1,
    prefixes 0.9, other substrings 0.8; otherwise rapidfuzz's weighted similarity
    (``WRatio``, which also scores a close part of a longer name), if at least 0.6.

    >>> import kg
    >>> kg.load().search("hezbollah")[0].entity
    'hizbollah'
    """
    from rapidfuzz import fuzz, process

    from kg.graph import normalize_name

    if len(text) > MAX_SEARCH_LENGTH:
        raise QueryError(f"search text of {len(text):,} characters; kg searches names of at most {MAX_SEARCH_LENGTH}")
    key = normalize_name(text)
    if not key:
        raise QueryError("search needs some text")
    labels = [(entity.id, label) for entity in graph.entities.values()
              for label in (entity.id, entity.name, *entity.aliases)]
    keys = [normalize_name(label) for _, label in labels]
    best: dict[str, tuple[float, str]] = {}

    def keep(index: int, score: float) -> None:
        entity_id, label = labels[index]
        if score > best.get(entity_id, (0.0, ""))[0]:
            best[entity_id] = (score, label)

    for index, candidate in enumerate(keys):
        if key in candidate:
            keep(index, 1.0 if candidate == key else 0.9 if candidate.startswith(key) else 0.8)
    for _, score, index in process.extract(key, keys, scorer=fuzz.WRatio, limit=None, score_cutoff=60):
        keep(index, score / 100)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    return Results(
        Match(entity_id, graph.entities[entity_id].name, graph.entities[entity_id].kind, label, score)
        for entity_id, (score, label) in ranked
    )


# --------------------------------------------------------------------------- argument checks

