"""The vocabulary of kg: entity kinds, relation types, qualifiers, support kinds, statuses.

This module is the one table that the loader, the graph, the RDF layer, the CLI and the
docs all read. Adding a relation type is adding a row to ``RELATION_TYPES``; nothing else
in the code names a type: code that reasons with a type names its role (``BACKING``,
``MEMBERSHIP``, ``CONTROL``, the ``armed`` and ``acyclic`` columns); only the RDF layer's
alignment to standard vocabularies (``org:memberOf``) names types, as a mapping table.

Examples
--------
>>> from kg.vocabulary import RELATION_TYPES
>>> RELATION_TYPES["backs"].sign
1
>>> RELATION_TYPES["fights"].symmetric
True
>>> ENTITY_KINDS["armed-group"].category
'actor'
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Iterable, Mapping, NamedTuple

__all__ = ["BACKING", "CATEGORIES", "CONTROL", "ENTITY_KINDS", "FIGURE_MEASURES", "FIGURE_QUALIFIERS", "MEMBERSHIP",
           "QUALIFIERS", "RELATION_TYPES", "STATUSES", "SUPPORT_KINDS", "EntityKind", "Qualifier", "RelationType",
           "Status", "Term", "kinds_matching", "term_arguments"]


class Term(NamedTuple):
    """A named term with a human label and a one-line definition."""

    name: str
    label: str
    description: str


class EntityKind(NamedTuple):
    """A kind of entity; ``category`` is one of ``CATEGORIES`` (actor, place, event).

    ``stands_for_members`` marks groups that stand for their members (collectives and
    coalitions): support against such a group is support against its members too.
    """

    name: str
    category: str
    label: str
    description: str
    stands_for_members: bool = False


class Status(NamedTuple):
    """How a source presents a statement; ``asserts`` says whether it presents it as holding."""

    name: str
    label: str
    description: str
    asserts: bool


class Qualifier(NamedTuple):
    """An optional field of a relation whose meaning depends on the relation type.

    ``value`` says what the field holds: ``"entity"`` (one id), ``"entities"`` (a list of
    ids), ``"support-kinds"`` (a list of ``SUPPORT_KINDS``) or ``"text"``. ``range`` lists
    the kinds or categories allowed for entity values.
    """

    name: str
    label: str
    description: str
    value: str
    range: tuple[str, ...] = ()


class RelationType(NamedTuple):
    """A row of the relation vocabulary.

    ``domain`` and ``range`` list the entity kinds or categories allowed as subject and
    object; ``sign`` is +1 (cooperative), -1 (hostile) or 0 (neutral); ``qualifiers``
    names the optional fields from ``QUALIFIERS`` that this type takes; ``armed`` marks
    armed hostilities, which derived support follows (backing a side in armed hostilities
    with someone is support against them); ``acyclic`` marks types that may not loop (no body
    is part of itself), which the loader checks.

    ``cues`` are the words and phrases that, between the names of two entities in a
    sentence, suggest a statement of this type (``kg suggest``, see ``kg.curation``). They
    were written from the type's meaning and general English usage, never by reading the
    curated statements. Subject before object is assumed ("Russia backed the government");
    a cue ending in " by" or starting with "~" has the object first ("the government,
    backed by Russia"; "the SNA, ~comprising several factions"); one starting with "-" is
    the end of a hyphenated word ("Turkish-backed").
    """

    name: str
    label: str
    inverse_label: str
    symmetric: bool
    sign: int
    domain: tuple[str, ...]
    range: tuple[str, ...]
    qualifiers: tuple[str, ...]
    description: str
    armed: bool = False
    cues: tuple[str, ...] = ()
    acyclic: bool = False


def _table(rows: Iterable) -> Mapping:
    return MappingProxyType({row.name: row for row in rows})


def _cues(text: str) -> tuple[str, ...]:
    """The cue phrases of a relation type, written ``|``-separated."""
    return tuple(text.split("|"))


CATEGORIES: Mapping[str, Term] = _table(
    [
        Term("actor", "actor", "A state, body, group, coalition, collective or person that acts."),
        Term("place", "place", "A geographic place: a region, settlement, road, site or waterway."),
        Term("event", "event", "An agreement, process, operation, battle, attack or war."),
    ]
)

ENTITY_KINDS: Mapping[str, EntityKind] = _table(
    [
        # actors
        EntityKind("state", "actor", "state", "A sovereign state as an actor (Russia, Türkiye)."),
        EntityKind("government", "actor", "government", "A state's government or ruling regime."),
        EntityKind(
            "government-body", "actor", "government body",
            "A ministry, presidency, office or agency of a government.",
        ),
        EntityKind("armed-forces", "actor", "armed forces", "A state's army or armed forces as a whole."),
        EntityKind(
            "military-unit", "actor", "military unit",
            "A division, corps, guard or branch within armed forces.",
        ),
        EntityKind("armed-group", "actor", "armed group", "A non-state armed group or faction."),
        EntityKind(
            "coalition", "actor", "coalition",
            "An umbrella body, alliance or joint command of several groups.", stands_for_members=True,
        ),
        EntityKind("militia", "actor", "militia", "A paramilitary force or militia."),
        EntityKind("clan", "actor", "clan", "A clan, tribe or family network, with or without a militia."),
        EntityKind("party", "actor", "political party", "A political party."),
        EntityKind(
            "governing-body", "actor", "governing body",
            "A non-state administration or de facto government.",
        ),
        EntityKind(
            "igo", "actor", "intergovernmental organisation", "The UN, the EU, the Arab League and their agencies.",
        ),
        EntityKind("ngo", "actor", "non-governmental organisation", "A non-governmental or humanitarian organisation."),
        EntityKind("monitor", "actor", "monitor", "An organisation that monitors and counts events of a conflict."),
        EntityKind("research-institute", "actor", "research institute", "A think tank or research institute."),
        EntityKind("media", "actor", "media", "A news outlet or a group of outlets."),
        EntityKind("person", "actor", "person", "A named individual."),
        EntityKind(
            "collective", "actor", "collective actor",
            "A group that sources speak of as one ('the rebels', 'Iran-backed groups'); "
            "its members are linked by member-of.", stands_for_members=True,
        ),
        # places
        EntityKind("region", "place", "region", "A region larger than or across provinces or states."),
        EntityKind("country", "place", "country", "The territory of a state."),
        EntityKind("province", "place", "province", "A first-level administrative division (governorate)."),
        EntityKind("district", "place", "district", "A district or countryside area within a province."),
        EntityKind("city", "place", "city", "A city."),
        EntityKind("town", "place", "town", "A town or village."),
        EntityKind("neighbourhood", "place", "neighbourhood", "A neighbourhood or quarter of a city."),
        EntityKind("highway", "place", "highway", "A highway or road."),
        EntityKind("military-base", "place", "military base", "A military base or air base."),
        EntityKind("airport", "place", "airport", "A civilian or international airport."),
        EntityKind("landmark", "place", "landmark", "A fort, monument or other landmark site."),
        EntityKind("waterway", "place", "waterway", "A strait, river or other waterway."),
        EntityKind("zone", "place", "zone", "A zone defined by an agreement, such as a de-escalation zone."),
        # events
        EntityKind("agreement", "event", "agreement", "An agreement or deal between parties."),
        EntityKind("ceasefire", "event", "ceasefire", "A ceasefire or de-escalation agreement."),
        EntityKind("treaty", "event", "treaty", "A treaty or international convention."),
        EntityKind("process", "event", "process", "A negotiation or diplomatic process."),
        EntityKind("operation", "event", "operation", "A military operation or offensive."),
        EntityKind("battle", "event", "battle", "A battle for a place."),
        EntityKind("attack", "event", "attack", "An attack on a given day."),
        EntityKind("war", "event", "war", "A war or armed conflict."),
        EntityKind("mission", "event", "mission", "A standing military or international mission."),
    ]
)

STATUSES: Mapping[str, Status] = _table(
    [
        Status("stated", "stated", "The source states it as fact.", True),
        Status("reported", "reported", "The source reports it second-hand ('reportedly', 'media reported').", True),
        Status("alleged", "alleged", "The source mentions indications or allegations, unconfirmed.", True),
        Status("claimed", "claimed", "A party claims it; claimed_by names who.", True),
        Status("expected", "expected", "The source expects or forecasts it; it had not happened yet.", False),
        Status("denied", "denied", "The source says it did not happen; kept to record a disagreement.", False),
    ]
)

SUPPORT_KINDS: Mapping[str, Term] = _table(
    [
        Term("air", "air support", "Air strikes or air cover on the supported side's behalf."),
        Term("arms", "arms", "Weapons and ammunition."),
        Term("equipment", "equipment", "Military equipment other than arms."),
        Term("troops", "troops", "Regular forces of a state."),
        Term("fighters", "fighters", "Fighters of a non-state group."),
        Term("funding", "funding", "Money."),
        Term("training", "training", "Training, skills and command-and-control help."),
        Term("diplomatic", "diplomatic", "Diplomatic backing."),
        Term("political", "political", "Political backing or endorsement."),
        Term("logistics", "logistics", "Transport, supply lines and logistics."),
        Term("intelligence", "intelligence", "Intelligence sharing."),
        Term("economic", "economic", "Trade, investment or economic incentives."),
        Term("military", "military", "Military support of an unspecified kind."),
    ]
)

QUALIFIERS: Mapping[str, Qualifier] = _table(
    [
        Qualifier("against", "against", "Whom the support or action is directed against.", "entities", ("actor",)),
        Qualifier("support", "support", "Kinds of support given.", "support-kinds"),
        Qualifier("place", "place", "Where the relation holds or the action took place.", "entity", ("place",)),
        Qualifier("role", "role", "The role or position held, as the source words it.", "text"),
    ]
)

FIGURE_MEASURES: Mapping[str, Term] = _table(
    [
        Term("killed", "killed", "People killed."),
        Term("wounded", "wounded", "People wounded."),
        Term("displaced", "displaced", "People displaced."),
        Term("families-displaced", "families displaced", "Families displaced."),
        Term("population", "population", "People living in a place."),
        Term("airstrikes", "airstrikes", "Air strikes carried out."),
        Term("personnel", "personnel", "Troops or personnel deployed."),
        Term("fighters", "fighters", "Fighters in a force."),
        Term("duration-years", "duration in years", "How long something lasted, in years."),
    ]
)

FIGURE_QUALIFIERS: Mapping[str, Term] = _table(
    [
        Term("exactly", "exactly", "The number as given."),
        Term("about", "about", "An approximate number ('around', 'some')."),
        Term("at-least", "at least", "A lower bound ('at least')."),
        Term("more-than", "more than", "A strict lower bound ('more than')."),
        Term("up-to", "up to", "An upper bound ('up to')."),
    ]
)

_ANY_ACTOR = ("actor",)

RELATION_TYPES: Mapping[str, RelationType] = _table(
    [
        RelationType(
            "backs", "backs", "backed by", False, 1, _ANY_ACTOR, _ANY_ACTOR,
            ("against", "support", "place"), "Gives support to another actor.",
            cues=_cues(
                "back|backs|backed|backing|supports|supported|supporting|support for|support to|-backed|"
                "~backed by|~supported by|armed|arms|funds|funded|financed|trains|trained|sponsors|"
                "sponsored|~funded by|~armed by|~trained by|~sponsored by|aid to|assistance to|patron"
            ),
        ),
        RelationType(
            "fights", "fights", "fights", True, -1, _ANY_ACTOR, _ANY_ACTOR,
            ("place",), "Armed hostilities between the two.", armed=True,
            cues=_cues(
                "fight|fights|fought|fighting|clash|clashes|clashed|battle|battles|battled|combat|"
                "hostilities|war with|war between|fighting between|at war"
            ),
        ),
        RelationType(
            "strikes", "strikes", "struck by", False, -1, _ANY_ACTOR, ("actor", "place"),
            ("place",), "Air, missile, drone or artillery strikes on the object.", armed=True,
            cues=_cues(
                "strike|strikes|struck|airstrike|airstrikes|air strikes|bombed|bombing|bombings|bombarded|"
                "bombardment|shelled|shelling|missile|drone|raids|targeted|~struck by|~bombed by|"
                "~targeted by"
            ),
        ),
        RelationType(
            "attacks", "attacks", "attacked by", False, -1, _ANY_ACTOR, ("actor", "place"),
            ("place",), "Launches a ground attack or assault on the object.", armed=True,
            cues=_cues(
                "attack|attacks|attacked|assault|assaulted|stormed|offensive on|offensive against|"
                "advanced on|advance on|raid|raided|~attacked by"
            ),
        ),
        RelationType(
            "opposes", "opposes", "opposed by", False, -1, _ANY_ACTOR, ("actor", "event"),
            ("place",), "Political opposition without (stated) fighting.",
            cues=_cues("opposes|opposed|opposition to|rejects|rejected|resists|resisted|against"),
        ),
        RelationType(
            "condemns", "condemns", "condemned by", False, -1, _ANY_ACTOR, ("actor", "event"),
            (), "Publicly condemns an actor or an event.",
            cues=_cues("condemned|condemns|condemnation|denounced|denounces|criticised|criticized|deplored"),
        ),
        RelationType(
            "rivals", "rivals", "rivals", True, -1, _ANY_ACTOR, _ANY_ACTOR,
            ("place",), "Competes for influence, legitimacy or territory.",
            cues=_cues("rival|rivals|rivalry|competes|competing|competition|vie|vying"),
        ),
        RelationType(
            "sanctions", "sanctions", "sanctioned by", False, -1, _ANY_ACTOR, _ANY_ACTOR,
            (), "Imposes sanctions on the object.",
            cues=_cues("sanctions|sanctioned|embargo|blacklisted|~sanctioned by"),
        ),
        RelationType(
            "blocks", "blocks", "blocked by", False, -1, _ANY_ACTOR, _ANY_ACTOR,
            ("place",), "Prevents the object from acting or moving (for example through a strait).",
            cues=_cues("blocked|blocks|blocking|prevented|barred|obstructed|~blocked by"),
        ),
        RelationType(
            "allied-with", "allied with", "allied with", True, 1, _ANY_ACTOR, _ANY_ACTOR,
            ("against", "place"), "Fights or acts alongside.",
            cues=_cues("allied|allies|ally|alliance|alongside|joined forces|side by side"),
        ),
        RelationType(
            "cooperates-with", "cooperates with", "cooperates with", True, 1, _ANY_ACTOR, _ANY_ACTOR,
            ("place",), "Works together with, short of an alliance.",
            cues=_cues(
                "cooperate|cooperates|cooperated|cooperation|coordinated|coordinate|coordination|"
                "worked with|work with|partnered|partnership|deal with"
            ),
        ),
        RelationType(
            "member-of", "member of", "has member", False, 1, _ANY_ACTOR, _ANY_ACTOR,
            ("role",), "Member of a coalition, umbrella, organisation or collective.",
            cues=_cues(
                "member of|members of|member|belongs to|joined|~comprising|~comprises|~including|~includes|"
                "~such as|~made up of|~umbrella|among"
            ),
        ),
        RelationType(
            "part-of", "part of", "has part", False, 1, ("actor", "event"), ("actor", "event"),
            (), "Unit, branch or body of a larger one; or a phase, front or chapter of a larger event.",
            cues=_cues("part of|unit of|branch of|division of|wing of|brigade of|~divisions|~units"), acyclic=True,
        ),
        RelationType(
            "follows", "follows", "followed by", False, 0, ("event",), ("event",),
            (), "Came after the object and in consequence of it.",
            cues=_cues(
                "after|following|in the wake of|in response to|as a result of|since|~led to|~triggered|"
                "~prompted"
            ),
        ),
        RelationType(
            "speaks-to", "speaks to", "is told by", False, 0, _ANY_ACTOR, _ANY_ACTOR,
            (), "Gives an interview, statement or briefing to the object (a reporter, an outlet, a researcher).",
            cues=_cues("told|said to|speaking to|spoke to|in an interview with|interview with|~interviewed by"),
        ),
        RelationType(
            "linked-to", "linked to", "linked to", True, 0, _ANY_ACTOR, _ANY_ACTOR,
            (), "Affiliation or organic link (organic, former or alleged: not by itself friendship).",
            cues=_cues("linked|linked to|links|affiliated|affiliate|ties to|ties with|offshoot|branch"),
        ),
        RelationType(
            "leads", "leads", "led by", False, 1, _ANY_ACTOR, ("actor", "event"),
            ("role",), "Commands, heads or leads.",
            cues=_cues(
                "leads|led|leader|leader of|commander|commander of|commands|commanded|heads|head of|chief|"
                "~led by|~headed by|~commanded by"
            ),
        ),
        RelationType(
            "works-for", "works for", "employs", False, 1, ("person",), _ANY_ACTOR,
            ("role",), "Holds a post in, speaks for or works for.",
            cues=_cues(
                "spokesperson|spokesman|spokeswoman|official|minister|envoy|works for|worked for|adviser|"
                "advisor|representative"
            ),
        ),
        RelationType(
            "founded", "founded", "founded by", False, 1, _ANY_ACTOR, ("actor", "event"),
            (), "Established or set up the object.",
            cues=_cues("founded|established|set up|created|formed|~founded by|~established by"),
        ),
        RelationType(
            "split-from", "split from", "lost", False, 0, _ANY_ACTOR, _ANY_ACTOR,
            (), "Broke away or defected from.",
            cues=_cues("split from|broke away|broke with|defected|splinter|breakaway|split"),
        ),
        RelationType(
            "designates-terrorist", "designates as terrorist", "designated as terrorist by",
            False, -1, _ANY_ACTOR, _ANY_ACTOR, (), "Lists the object as a terrorist organisation.",
            cues=_cues(
                "terrorist|terrorist organisation|terrorist organization|designated|designation|proscribed|"
                "~designated by"
            ),
        ),
        RelationType(
            "ceasefire-party", "party to ceasefire", "ceasefire between", False, 0, _ANY_ACTOR,
            ("ceasefire", "agreement"), (), "Party to a ceasefire or de-escalation agreement.",
            cues=_cues("ceasefire|cease-fire|truce|de-escalation|deescalation|armistice"),
        ),
        RelationType(
            "party-to", "party to", "has party", False, 0, _ANY_ACTOR, ("event",),
            ("role",), "Party or participant in an agreement, process, operation or war.",
            cues=_cues("party to|signed|participated|took part|joined|launched|participants|~launched by"),
        ),
        RelationType(
            "violates", "violates", "violated by", False, -1, _ANY_ACTOR, ("event",),
            ("place",), "Breaks an agreement.",
            cues=_cues("violated|violation|violations|violates|violating|breached|breach|broke"),
        ),
        RelationType(
            "endorses", "endorses", "endorsed by", False, 1, _ANY_ACTOR, ("event",),
            (), "Approves of or gives a green light to an event.",
            cues=_cues("green light|green-lit|green-light|endorsed|endorses|approved|welcomed|blessed"),
        ),
        RelationType(
            "negotiates-with", "negotiates with", "negotiates with", True, 0, _ANY_ACTOR, _ANY_ACTOR,
            ("place",), "Talks, rapprochement or communication.",
            cues=_cues(
                "negotiate|negotiates|negotiated|negotiation|negotiations|talks|talked|rapprochement|"
                "dialogue|mediation|communication|contacts|met with|meeting with"
            ),
        ),
        RelationType(
            "controls", "controls", "controlled by", False, 0, _ANY_ACTOR, ("place",),
            (), "Holds the territory.",
            cues=_cues(
                "control|controls|controlled|held|holds|holding|captured|capture|seized|seize|took|"
                "took over|entered|-held|-controlled|in the hands of|~controlled by|~held by|~captured by"
            ),
        ),
        RelationType(
            "administers", "administers", "administered by", False, 0, _ANY_ACTOR, ("place",),
            (), "Governs or runs the civil administration of the territory.",
            cues=_cues(
                "administers|administered|administration|governs|governed|governance|civilian government|"
                "runs|~administered by|~governed by"
            ),
        ),
        RelationType(
            "deployed-in", "deployed in", "hosts forces of", False, 0, _ANY_ACTOR, ("place",),
            (), "Has forces stationed there.",
            cues=_cues(
                "deployed|deployment|stationed|based in|presence in|troops in|forces in|bases in|"
                "reinforcements|sent"
            ),
        ),
        RelationType(
            "located-in", "located in", "location of", False, 0, ("place", "event"), ("place",),
            (), "Geography: the subject lies or took place within the object.",
            cues=_cues(
                "in|near|outside|province|city of|north of|south of|east of|west of|countryside|district|"
                "~such as|~including"
            ),
        ),
    ]
)

#: The types that code reasons with by role (backing and membership for derived support,
#: control for maps), so that no other module spells a type's name.
BACKING, MEMBERSHIP, CONTROL = "backs", "member-of", "controls"


@lru_cache(maxsize=None)
def kinds_matching(allowed: tuple[str, ...]) -> frozenset[str]:
    """Every entity kind that a domain or range listing kinds or categories admits.

    >>> sorted(kinds_matching(("ceasefire", "agreement")))
    ['agreement', 'ceasefire']
    """
    return frozenset(name for name, kind in ENTITY_KINDS.items() if name in allowed or kind.category in allowed)


def term_arguments(what: str, names: str | Iterable[str] | None, table: Mapping) -> frozenset[str] | None:
    """A query's choice of terms from a table (one or several), checked; None when not given.

    >>> sorted(term_arguments("status", ["stated", "reported"], STATUSES))
    ['reported', 'stated']
    """
    from kg.errors import QueryError, unknown_term_message

    if names is None:
        return None
    chosen = frozenset([names] if isinstance(names, str) else names)
    for name in chosen:
        if name not in table:
            raise QueryError(unknown_term_message(what, name, table))
    return chosen or None
