"""Queries on the mini fixture, whose answers are known by hand."""

from __future__ import annotations

import importlib
import pathlib
import tracemalloc

import pytest

import kg
from kg.query import Path, Support


def triples(answers: list[Support]) -> list[tuple[str, str, str, str]]:
    return [(a.supporter, a.supported, a.against, a.basis) for a in answers]


# ---------------------------------------------------------------- supports


def test_supports_explicit_derived_and_through_membership(mini: kg.KnowledgeGraph) -> None:
    assert triples(mini.supports()) == [
        ("iran", "syrian-government", "hts", "derived"),  # against the rebels, of which HTS is a member
        ("iran", "syrian-government", "rebels", "explicit"),
        ("iran", "syrian-government", "sna", "derived"),
        ("russia", "syrian-government", "hts", "explicit"),
    ]


def test_support_carries_its_evidence(mini: kg.KnowledgeGraph) -> None:
    (answer,) = mini.supports("Tehran", against="HTS")
    assert [(r.type, r.subject, r.object) for r in answer.evidence] == [
        ("backs", "iran", "syrian-government"),
        ("fights", "hts", "syrian-government"),
        ("member-of", "hts", "rebels"),
    ]
    assert mini.supports()[0].evidence == answer.evidence  # the same however the question is asked
    record = answer.to_record()
    assert record["sources"] == ["cg"] and record["evidence"][0]["against"] == ["rebels"]


def test_explicit_support_also_lists_derived_evidence(mini: kg.KnowledgeGraph) -> None:
    (answer,) = mini.supports("russia")
    assert answer.basis == "explicit"
    assert [r.type for r in answer.evidence] == ["backs", "fights", "strikes"]


def test_support_keeps_each_chain_with_its_rule_and_span(mini: kg.KnowledgeGraph) -> None:
    iran, _, _, russia = mini.supports()
    assert [(c.rule, c.text, c.span) for c in russia.chains] == [
        ("explicit", "syrian-government -[against]-> hts", ("2015", None)),
        ("hostility", "syrian-government -[fights]- hts", ("2015", None)),
        ("hostility", "syrian-government -[strikes]-> hts", ("2024-10", None)),  # the strikes began later
    ]
    assert [[r.type for r in c.statements] for c in russia.chains] == [["backs"], ["backs", "fights"],
                                                                       ["backs", "strikes"]]
    assert (russia.rule, russia.chain, russia.span) == ("explicit", russia.chains[0].statements, ("2015", None))
    assert [(c.rule, c.text, c.span) for c in iran.chains] == [
        ("explicit+against-member", "syrian-government -[against]-> rebels <-[member-of]- hts", ("2016", "2016")),
        ("hostility", "syrian-government -[fights]- hts", ("2016", "2016")),
    ]
    assert iran.basis == "derived" and iran.chains[0].against_members[0].text == "hts -[member-of]-> rebels"
    assert iran.to_record()["chains"][0] == {
        "rule": "explicit+against-member", "through": "syrian-government -[against]-> rebels <-[member-of]- hts",
        "start": "2016", "end": "2016", "holding": "may have held",
        "statements": [r.id for r in iran.chains[0].statements]}


def test_support_held_only_where_the_statements_of_a_chain_surely_held_together(mini: kg.KnowledgeGraph) -> None:
    iran, _, _, russia = mini.supports()
    # backs from 2015 (open end); the fighting is undated; the strikes began in October 2024
    assert [c.holding() for c in russia.chains] == ["held", "may have held", "held"]
    assert russia.holding == "held" and russia.to_record()["holding"] == "held"
    # backs within 2016 (its start may be as late as its end may be early); the fighting is undated
    assert [c.holding() for c in iran.chains] == ["may have held", "may have held"] and iran.holding == "may have held"
    assert [c.holding("2024-11") for c in russia.chains] == ["held", "may have held", "held"]
    assert [(a.supporter, a.against, [c.rule for c in a.chains]) for a in mini.supports(strict=True)] == [
        ("russia", "hts", ["explicit", "hostility"])]
    (before_strikes,) = mini.supports(as_of="2024-09", strict=True)
    assert [c.text for c in before_strikes.chains] == ["syrian-government -[against]-> hts"]
    assert mini.supports(against="sna", strict=True) == []


def test_supports_against_a_member_matches_support_against_its_group(mini: kg.KnowledgeGraph) -> None:
    assert triples(mini.supports(against="sna")) == [("iran", "syrian-government", "sna", "derived")]


def _membership_graph() -> kg.KnowledgeGraph:
    """backer backs side while side fights an alliance; who is a member of the alliance, and when."""
    kinds = {"backer": "state", "side": "armed-group", "alliance": "coalition", "bloc": "coalition",
             "unit": "armed-group", "club": "igo", "club-member": "state",
             "c1": "coalition", "c2": "coalition", "c3": "coalition", "c4": "armed-group"}
    entities = {name: kg.Entity(name, name.title(), kind) for name, kind in kinds.items()}
    cite = (kg.Citation("doc", "quoted"),)

    def statement(number: int, type_: str, subject: str, object_: str, start=None, end=None) -> kg.Relation:
        return kg.Relation(f"r{number}", type_, subject, object_, cite, start=start, end=end)

    relations = [
        statement(1, "backs", "backer", "side", "2020", "2021"),
        statement(2, "fights", "side", "alliance", "2020"),
        statement(3, "member-of", "unit", "alliance", "2010", "2012"),  # the short way, years before
        statement(4, "member-of", "unit", "bloc", "2020"),  # the longer way, at the time
        statement(5, "member-of", "bloc", "alliance", "2019"),
        statement(6, "fights", "side", "club", "2020"),
        statement(7, "member-of", "club-member", "club"),  # a club does not stand for its members
        statement(8, "member-of", "c1", "alliance"),
        statement(9, "member-of", "c2", "c1"),
        statement(10, "member-of", "c3", "c2"),
        statement(11, "member-of", "c4", "c3"),  # four member-of statements from the alliance
    ]
    return kg.KnowledgeGraph(entities, relations, {"doc": kg.Source("doc", "A document", "A publisher", "2024")})


def test_support_reaches_members_through_statements_that_overlap_it() -> None:
    graph = _membership_graph()
    answers = {answer.against: answer for answer in graph.supports("backer")}
    assert sorted(answers) == ["alliance", "bloc", "c1", "c2", "c3", "club", "unit"]
    assert [r.id for r in answers["unit"].evidence] == ["r1", "r2", "r4", "r5"]  # not r3, years before
    assert [r.id for r in graph.supports(against="unit")[0].evidence] == ["r1", "r2", "r4", "r5"]
    assert kg.query.MEMBERSHIP_DEPTH == 3 and "c4" not in answers
    assert graph.supports(against="c4") == []


def test_an_answer_holds_through_a_route_that_surely_held_where_a_shorter_one_may_have() -> None:
    """The short way to a member is undated (it may have held on any day), the longer way
    surely held at the time: the answer holds, through the longer way, as strict finds it."""
    kinds = {"backer": "state", "side": "armed-group", "alliance": "coalition", "bloc": "coalition",
             "unit": "armed-group"}
    entities = {name: kg.Entity(name, name.title(), kind) for name, kind in kinds.items()}
    cite = (kg.Citation("doc", "quoted"),)
    relations = [kg.Relation(f"r{number}", type_, subject, object_, cite, start=start, end=end)
                 for number, (type_, subject, object_, start, end) in enumerate([
                     ("backs", "backer", "side", "2018", "2023"),
                     ("fights", "side", "alliance", "2018", "2023"),
                     ("member-of", "unit", "alliance", None, None),  # the short way, undated
                     ("member-of", "unit", "bloc", "2017", "2024"),
                     ("member-of", "bloc", "alliance", "2017", "2024"),
                 ], start=1)]
    graph = kg.KnowledgeGraph(entities, relations, {"doc": kg.Source("doc", "A document", "A publisher", "2024")})
    for as_of in (None, "2020-06"):
        (answer,) = graph.supports("backer", against="unit", as_of=as_of)
        assert answer.holding == "held"
        assert [r.id for r in answer.chains[0].statements] == ["r1", "r2", "r5", "r4"]
        assert graph.supports("backer", against="unit", as_of=as_of, strict=True) == [answer]
    every = kg.query.iter_supports(graph, "backer", against="unit", every_route=True)
    assert [[r.id for r in chain.against_members] for chain in next(every).chains] == [["r3"], ["r5", "r4"]]


def _collective_graph() -> kg.KnowledgeGraph:
    """backer backs a collective that fights foe; who is a member of the collective, and when."""
    kinds = {"backer": "state", "collective": "collective", "foe": "armed-group", "member": "militia",
             "sub-member": "militia", "old-member": "militia", "club": "igo", "club-member": "state",
             "ally": "state", "foes": "coalition", "foe-member": "armed-group"}
    entities = {name: kg.Entity(name, name.title(), kind) for name, kind in kinds.items()}
    cite = (kg.Citation("doc", "quoted"),)

    def statement(number: int, type_: str, subject: str, object_: str, start=None, end=None, **more) -> kg.Relation:
        return kg.Relation(f"r{number}", type_, subject, object_, cite, start=start, end=end, **more)

    relations = [
        statement(1, "backs", "backer", "collective", "2020"),
        statement(2, "fights", "collective", "foe", "2020"),
        statement(3, "member-of", "member", "collective"),
        statement(4, "member-of", "sub-member", "member"),  # a militia does not stand for its members
        statement(5, "member-of", "old-member", "collective", "2010", "2012"),  # years before the backing
        statement(6, "backs", "backer", "club", "2020", against=("foe",)),
        statement(7, "member-of", "club-member", "club"),  # an IGO does not stand for its members
        statement(8, "backs", "ally", "member", against=("foes",)),
        statement(9, "member-of", "foe-member", "foes"),
    ]
    return kg.KnowledgeGraph(entities, relations, {"doc": kg.Source("doc", "A document", "A publisher", "2024")})


def test_support_given_to_a_collective_reaches_its_members() -> None:
    graph = _collective_graph()
    answers = {(a.supporter, a.supported, a.against): a for a in graph.supports()}
    assert sorted(answers) == [
        ("ally", "member", "foe-member"), ("ally", "member", "foes"),
        ("backer", "club", "foe"), ("backer", "collective", "foe"), ("backer", "member", "foe")]
    through = answers["backer", "member", "foe"]
    assert (through.basis, through.rule) == ("derived", "hostility+supported-member")
    assert through.chains[0].text == "member -[member-of]-> collective -[fights]- foe"
    assert [r.id for r in through.evidence] == ["r1", "r2", "r3"]
    assert answers["ally", "member", "foe-member"].rule == "explicit+against-member"
    # asked from the member's side, the same answer through the same statements
    assert [(a.supporter, a.against, a.rule, a.evidence) for a in graph.supports(supported="member")] == [
        ("ally", "foe-member", "explicit+against-member", answers["ally", "member", "foe-member"].evidence),
        ("ally", "foes", "explicit", answers["ally", "member", "foes"].evidence),
        ("backer", "foe", "hostility+supported-member", through.evidence)]
    assert graph.supports("backer", "member", "foe")[0].chains == through.chains
    assert graph.supports(supported="old-member") == graph.supports(supported="club-member") == []


def test_a_chain_needs_a_day_on_which_all_its_statements_may_have_held() -> None:
    kinds = {"backer": "state", "side": "armed-group", "alliance": "coalition", "late": "armed-group",
             "early": "armed-group", "patron": "state", "collective": "collective", "joiner": "militia",
             "rivals": "coalition", "newcomer": "armed-group"}
    entities = {name: kg.Entity(name, name.title(), kind) for name, kind in kinds.items()}
    cite = (kg.Citation("doc", "quoted"),)
    relations = [kg.Relation(f"r{number}", type_, subject, object_, cite, start=start, end=end, against=against)
                 for number, (type_, subject, object_, start, end, against) in enumerate([
                     ("backs", "backer", "side", "2010", "2020", ()),
                     ("fights", "side", "alliance", "2010", "2012", ()),
                     ("member-of", "late", "alliance", "2018", None, ()),  # within the backing, after the fighting
                     ("member-of", "early", "alliance", "2011", "2011", ()),
                     ("backs", "patron", "collective", "2010", "2020", ("rivals",)),
                     ("member-of", "joiner", "collective", "2010", "2012", ()),
                     ("member-of", "newcomer", "rivals", "2018", "2020", ()),  # never a rival while joiner joined
                 ])]
    graph = kg.KnowledgeGraph(entities, relations, {"doc": kg.Source("doc", "A document", "A publisher", "2024")})
    assert [(a.supporter, a.supported, a.against) for a in graph.supports()] == [
        ("backer", "side", "alliance"), ("backer", "side", "early"),
        ("patron", "collective", "newcomer"), ("patron", "collective", "rivals"), ("patron", "joiner", "rivals")]
    assert graph.supports(supported="joiner", against="newcomer") == graph.supports(against="late") == []


def test_supports_change_with_the_date(mini: kg.KnowledgeGraph) -> None:
    assert [a.supporter for a in mini.supports(against="hts", as_of="2016-12")] == ["iran", "russia"]
    assert [a.supporter for a in mini.supports(against="hts", as_of="2020")] == ["russia"]
    assert mini.supports(against="hts", as_of="2014") == []  # before Russia's 2015 intervention


def test_supports_ignore_statements_that_do_not_assert(mini: kg.KnowledgeGraph) -> None:
    # "Türkiye backs SNA" and "SDF fights SNA" would derive support against the SDF, but the
    # fighting is only expected.
    assert mini.supports("turkiye") == []
    assert triples(mini.supports("turkiye", statuses=["stated", "expected"])) == [
        ("turkiye", "sna", "sdf", "derived")]


@pytest.fixture(scope="module")
def bundled() -> kg.KnowledgeGraph:
    return kg.load()


def _two_camps(members: int, distant: int = 0) -> kg.KnowledgeGraph:
    """A patron backs a coalition of ``members`` that fights another of ``members``: about
    ``members`` squared answers; and, with ``distant``, as many patrons of a camp of their
    own, connected to nothing here."""
    kinds = {"patron": "state", "camp": "coalition", "foes": "coalition",
             **{f"c{n}": "armed-group" for n in range(members)}, **{f"f{n}": "armed-group" for n in range(members)},
             **{f"far-patron{n}": "state" for n in range(distant)}, "far-camp": "coalition", "far-foe": "armed-group",
             "far-member": "armed-group"}
    entities = {name: kg.Entity(name, name.title(), kind) for name, kind in kinds.items()}
    cite = (kg.Citation("doc", "quoted"),)
    statements = [("backs", "patron", "camp"), ("fights", "camp", "foes"),
                  *(("member-of", f"c{n}", "camp") for n in range(members)),
                  *(("member-of", f"f{n}", "foes") for n in range(members)),
                  *(("backs", f"far-patron{n}", "far-camp") for n in range(distant)),
                  *([("fights", "far-camp", "far-foe"), ("member-of", "far-member", "far-camp")] if distant else [])]
    relations = [kg.Relation(f"r{number}", type_, subject, object_, cite, start="2020")
                 for number, (type_, subject, object_) in enumerate(statements)]
    return kg.KnowledgeGraph(entities, relations, {"doc": kg.Source("doc", "A document", "A publisher", "2024")})


@pytest.mark.parametrize("asked", [{}, {"supporter": "Russia"}, {"against": "HTS"}, {"supported": "al-Abbas Brigade"},
                                   {"as_of": "2024-11-30", "strict": True}, {"explicit": True}])
def test_iterated_supports_are_the_listed_ones_in_order(asked: dict, bundled: kg.KnowledgeGraph) -> None:
    graph = bundled
    answers = graph.iter_supports(**asked)
    assert iter(answers) is answers and not isinstance(answers, list)
    assert list(answers) == graph.supports(**asked) and graph.supports(**asked)


def test_iterated_supports_check_their_arguments_at_the_call(mini: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.UnknownEntityError):
        mini.iter_supports(against="nobody-at-all")


def test_the_first_supports_answer_is_made_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("kg.query.supports")
    made = []

    class Counted(Support):
        def __new__(cls, *fields):
            made.append(fields[:3])
            return super().__new__(cls, *fields)

    monkeypatch.setattr(module, "Support", Counted)
    graph = _two_camps(40)
    first = next(graph.iter_supports())
    assert (first.supporter, first.supported, first.against) == ("patron", "c0", "f0")
    assert made == [("patron", "c0", foe) for foe in sorted([*(f"f{n}" for n in range(40)), "foes"])]
    assert len(graph.supports()) == 41 * 41  # the answers of one supported were made, of 1,681


def test_iterating_supports_holds_one_supported_at_a_time() -> None:
    graph = _two_camps(100)
    next(graph.iter_supports())  # the graph's indexes are built on the first question
    tracemalloc.start()
    try:
        count = sum(1 for _ in graph.iter_supports())
        iterating = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        listed = graph.supports()
        listing = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == len(listed) == 101 * 101
    assert iterating * 10 < listing


@pytest.mark.parametrize("asked", [{"against": "f3"}, {"supporter": "patron"}, {"against": "foes"}])
def test_supports_about_one_entity_look_only_around_it(asked: dict) -> None:
    class Watched(kg.KnowledgeGraph):
        """Remembers each statement its lookups hand out."""

        def relations(self, *args, **options):
            return self.seen(super().relations(*args, **options))

        def touching(self, entity_id):
            return self.seen(super().touching(entity_id))

        def neighbours(self, name):
            return self.seen(super().neighbours(name))

        def seen(self, found):
            self.memo("seen", set).update(relation.subject for relation in found)
            return found

    built = _two_camps(5, distant=500)
    graph = Watched(built.entities, built.relations(), built.sources)
    expected = graph.supports(**asked)  # the graph's own indexes are built once, on the first question
    graph.memo("seen", set).clear()
    assert list(graph.iter_supports(**asked)) == expected and expected
    assert not {subject for subject in graph.memo("seen", set) if subject.startswith("far-")}


# ---------------------------------------------------------------- paths


def test_paths_are_shortest_first_with_direction_and_reading(mini: kg.KnowledgeGraph) -> None:
    found = mini.paths("HTS", "Russia")
    assert [p.length for p in found] == sorted(p.length for p in found)
    first = found[0]
    assert first.text == "hts -[fights]- syrian-government <-[backs]- russia"
    assert [hop.direction for hop in first.hops] == ["both", "backward"]
    assert (first.sign, first.reading) == (-1, "the ally of an enemy")
    assert first.hops[1].relation.sources[0].source == "cg"


def test_paths_follow_only_chosen_types(mini: kg.KnowledgeGraph) -> None:
    found = mini.paths("hts", "russia", types=["strikes", "backs"])
    assert [p.text for p in found] == ["hts <-[strikes]- syrian-government <-[backs]- russia"]


def test_paths_respect_the_date(mini: kg.KnowledgeGraph) -> None:
    assert all(p.length > 2 or "strikes" not in p.text for p in mini.paths("hts", "russia", as_of="2020"))


def test_paths_are_simple_and_within_max_length(mini: kg.KnowledgeGraph) -> None:
    for found in mini.paths("sdf", "iran", max_length=5, limit=None):
        assert len(set(found.nodes)) == len(found.nodes) and found.length <= 5


def test_no_path_is_an_empty_answer_or_no_path_error(mini: kg.KnowledgeGraph) -> None:
    assert mini.paths("hts", "russia", types=["member-of"]) == []
    with pytest.raises(kg.NoPathError, match="no path between 'hts' and 'russia' within 6 hops"):
        mini.shortest_path("hts", "russia", types=["member-of"])


def test_paths_through_events_places_or_neutral_types_have_no_reading(mini: kg.KnowledgeGraph) -> None:
    (through_event,) = mini.paths("russia", "turkiye", max_length=2)
    assert through_event.text == "russia -[ceasefire-party]-> ceasefire-2020 <-[ceasefire-party]- turkiye"
    assert (through_event.sign, through_event.reading, through_event.context) == (
        0, None, "ceasefire-2020 is an event")
    assert [hop.sign for hop in through_event.hops] == [0, 0]
    assert through_event.to_record()["reading"] is None
    strike = kg.query.Hop("russia", "al-bab", (kg.Relation("r", "strikes", "russia", "al-bab", ()),),
                          ("actor", "place"))
    assert (strike.sign, Path((strike,)).reading, Path((strike,)).context) == (0, None, "al-bab is a place")
    talks = kg.query.Hop("a", "b", (kg.Relation("t", "negotiates-with", "a", "b", ()),))
    fights = kg.query.Hop("b", "c", (kg.Relation("f", "fights", "b", "c", ()),))
    assert (Path((talks, fights)).sign, Path((talks, fights)).reading) == (0, None)
    assert Path((talks, fights)).context == "negotiates-with is neither friendly nor hostile"
    attack = kg.query.Hop("hts", "aleppo", (kg.Relation("a", "attacks", "hts", "aleppo", ()),), ("actor", "place"))
    battle = kg.query.Hop("aleppo", "battle", (kg.Relation("l", "located-in", "battle", "aleppo", ()),),
                          ("place", "event"))
    party = kg.query.Hop("battle", "russia", (kg.Relation("p", "party-to", "russia", "battle", ()),),
                         ("event", "actor"))
    assert Path((attack, battle, party)).context == "aleppo is a place; battle is an event"  # each reason once


def test_path_reading_names_each_step() -> None:
    hop = kg.query.Hop("a", "b", (kg.Relation("r", "backs", "a", "b", ()),))
    enemy = kg.query.Hop("b", "c", (kg.Relation("s", "fights", "b", "c", ()),))
    assert Path((hop, enemy)).reading == "the enemy of an ally"
    assert Path((hop,)).reading == "an ally"


# ---------------------------------------------------------------- allies, enemies, cards


def test_allies_and_enemies_by_sign(mini: kg.KnowledgeGraph) -> None:
    assert [t.entity for t in mini.allies("hts")] == ["rebels", "sna"]
    assert [(t.entity, t.to_record()["types"]) for t in mini.enemies("hts")] == [
        ("syrian-government", ["fights", "strikes"]), ("turkiye", ["designates-terrorist"])]


def test_card_groups_statements_by_type_and_direction(mini: kg.KnowledgeGraph) -> None:
    card = mini.card("Türkiye")
    assert [(label, [r.other("turkiye") for r in rels]) for label, rels in card.groups] == [
        ("backs", ["sna"]), ("designates as terrorist", ["hts"]), ("party to ceasefire", ["ceasefire-2020"])]
    hts = mini.card("hts")
    assert ("struck by", ["syrian-government"]) in [(label, [r.subject for r in rs]) for label, rs in hts.groups]


def test_card_text_shows_dates_statuses_and_sources(mini: kg.KnowledgeGraph) -> None:
    text = mini.card("sdf").text()
    assert text.splitlines()[0] == "Syrian Democratic Forces (sdf) — coalition"
    assert "  Tel Rifaat (tel-rifaat) 2016 – 2024-12-01 <cg>" in text
    assert "  Syrian National Army (sna) from 2024-12 (place: tel-rifaat) [expected] <cg>" in text  # qualifiers


def test_card_lists_figures(mini: kg.KnowledgeGraph) -> None:
    assert "  killed: at least 255 [sd]" in mini.card("deterring-aggression").text()


# ---------------------------------------------------------------- balance and diff


def test_balance_finds_the_unbalanced_triangle(mini: kg.KnowledgeGraph) -> None:
    (triangle,) = mini.balance()
    assert triangle.nodes == ("hts", "sna", "turkiye")
    assert triangle.to_record()["signs"] == "+ + -"
    assert not triangle.balanced


def test_balance_on_a_date(mini: kg.KnowledgeGraph) -> None:
    assert len(mini.balance(as_of="2024-12-01")) == 1


def test_diff_lists_what_began_and_ended(mini: kg.KnowledgeGraph) -> None:
    changes = mini.diff("2024-11-26", "2024-12-02")
    assert [(c.change, c.date, c.relation.subject, c.relation.type, c.relation.object) for c in changes] == [
        ("began", "2024-11-27", "hts", "leads", "deterring-aggression"),
        ("began", "2024-11-28", "syrian-government", "condemns", "deterring-aggression"),
        ("began", "2024-11-29", "hts", "controls", "aleppo"),
        ("ended", "2024-11-29", "syrian-government", "controls", "aleppo"),
        ("began", "2024-12-01", "sna", "controls", "tel-rifaat"),
        ("ended", "2024-12-01", "sdf", "controls", "tel-rifaat"),
    ]


def test_diff_needs_dates_in_order(mini: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.QueryError, match="the second date 2024-11-01 is before the first 2024-12-01"):
        mini.diff("2024-12-01", "2024-11-01")


# ---------------------------------------------------------------- stats, search, tables


def test_stats(mini: kg.KnowledgeGraph) -> None:
    stats = mini.stats()
    assert stats["relation types"]["controls"] == 4
    assert stats["statuses"] == {"expected": 1, "reported": 1, "stated": 16}


def test_search_ranks_exact_prefix_substring_then_similar(mini: kg.KnowledgeGraph) -> None:
    assert mini.search("Aleppo")[0].entity == "aleppo"
    assert [m.entity for m in mini.search("aleppo")] == ["aleppo", "aleppo-province"]
    assert mini.search("Turky")[0].matched == "Turkey"
    assert mini.search("zzzz") == []


def test_results_convert_to_records_frames_and_html(mini: kg.KnowledgeGraph) -> None:
    answers = mini.supports()
    frame = answers.to_frame()
    assert list(frame.columns) == ["supporter", "supported", "against", "basis", "holding", "rule", "through",
                                   "support", "status", "sources", "chains", "evidence"]
    assert len(frame) == 4
    html = answers._repr_html_()
    assert html.startswith("<table>") and "<td>rebels</td>" in html
    assert "<td>syrian-government -[against]-&gt; rebels &lt;-[member-of]- sna</td>" in html  # the chains' paths
    one = answers[3]._repr_html_()  # russia against hts: each chain, its rule and span, then the evidence
    assert "<li><code>syrian-government -[strikes]-&gt; hts</code> (hostility; from 2024-10; held)</li>" in one


def test_bad_arguments(mini: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.QueryError, match="unknown relation type 'funds'"):
        mini.paths("hts", "russia", types=["funds"])
    with pytest.raises(kg.QueryError, match="unknown status 'rumoured'"):
        mini.supports(statuses=["rumoured"])
    with pytest.raises(kg.QueryError, match="a path needs two different entities"):
        mini.paths("hts", "HTS")
    with pytest.raises(kg.UnknownEntityError, match="did you mean 'hts'"):
        mini.supports(against="htsx1")


def test_to_frame_without_pandas_says_how_to_install_it(mini: kg.KnowledgeGraph, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError) as caught:
        mini.supports().to_frame()
    assert str(caught.value) == ('to_frame() needs pandas, which is not installed: '
                                 'pip install ".[pandas]" in a clone of kg, or pip install "pandas>=2.0"')


def test_results_in_a_notebook_show_what_tells_answers_apart_and_the_quotes(mini: kg.KnowledgeGraph) -> None:
    html = mini.supports(against="hts")._repr_html_()
    head = html.split("</thead>")[0]
    assert [cell.split("</th>")[0] for cell in head.split("<th>")[1:]] == [
        "supporter", "supported", "against", "basis", "holding", "through", "support", "status", "sources", "quotes"]
    assert "“Russia, which has given only limited air support” <small>(cg)</small>" in html


@pytest.mark.parametrize("as_of", [None, "2016", "2020-06-15"])
def test_the_answers_that_held_are_those_strict_finds_on_generated_data(as_of: str | None,
                                                                        tmp_path: pathlib.Path) -> None:
    """Whichever way to a member surely held, the answer says held: the same answers as
    ``strict``, and as the chains of every route."""
    from benchmarks.generate import generate

    generate(tmp_path, entities=150, relations=2000, seed=3)
    graph = kg.load(tmp_path, cache=False)
    held = [answer[:3] for answer in graph.supports(as_of=as_of) if answer.holding == "held"]
    assert held == [answer[:3] for answer in graph.supports(as_of=as_of, strict=True)]
    assert held == [answer[:3] for answer in kg.query.iter_supports(graph, as_of=as_of, every_route=True)
                    if answer.holding == "held"]
    assert len(held) > 400
