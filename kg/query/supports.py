"""Who supports whom against whom: explicit support, and support derived through armed
hostility and through groups that stand for their members, each answer with its chains."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, NamedTuple, Sequence

from kg._display import count, escape, relations_html, source_ids
from kg.dates import (
    AFTER_ALL,
    BEFORE_ALL,
    HELD,
    MAY_HAVE_HELD,
    days_possible,
    describe,
    earliest,
    latest,
    overlaps,
    span,
)
from kg.model import Relation, collector_paused
from kg.query.common import StatementFilter
from kg.results import Results
from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_ARMED = frozenset(name for name, row in RELATION_TYPES.items() if row.armed)
_relation_id = attrgetter("id")

__all__ = ["Chain", "MEMBERSHIP_DEPTH", "SUPPORT_RULES", "Support", "supports"]


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
    keep = StatementFilter(as_of, statuses, strict)
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

    def __init__(self, graph: KnowledgeGraph, keep: StatementFilter):
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
