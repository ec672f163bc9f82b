"""KnowledgeGraph: name resolution, relation lookups, time slices and the networkx view."""

from __future__ import annotations

import pytest

import kg
from tests.conftest import MINI


@pytest.mark.parametrize(
    "name",
    ["turkiye", "Türkiye", "TURKIYE", "turkey", "Ankara", "  türkiye "],
)
def test_names_resolve_ignoring_case_and_accents(mini: kg.KnowledgeGraph, name: str) -> None:
    assert mini.resolve(name).id == "turkiye"


@pytest.mark.parametrize(
    "name", ["Hei’at Tahrir al-Sham", "Hei'at Tahrir al-Sham", "hts", "HTS", "Hayat Tahrir al-Sham"])
def test_apostrophe_styles_resolve_alike(mini: kg.KnowledgeGraph, name: str) -> None:
    assert mini.resolve(name).id == "hts"


def test_unknown_name_suggests_close_ids(mini: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.UnknownEntityError) as caught:
        mini.resolve("Tarkey")
    assert caught.value.suggestions == ("turkiye",)
    assert str(caught.value) == "unknown entity 'Tarkey' (did you mean 'turkiye'?)"
    assert isinstance(caught.value, KeyError)


def test_names_fold_punctuation_and_spaces(mini: kg.KnowledgeGraph) -> None:
    assert mini.resolve("hayat tahrir al sham").id == mini.resolve("Hayat-Tahrir al-Sham").id == "hts"


def test_a_single_clear_fuzzy_match_is_taken_and_said(mini: kg.KnowledgeGraph) -> None:
    with pytest.warns(kg.NameMatchWarning) as said:
        assert mini.resolve("Turky").id == "turkiye"
    assert [str(w.message) for w in said] == ["'Turky' taken as 'turkiye' (Türkiye)"]


def test_an_ambiguous_fuzzy_match_is_refused_with_its_candidates() -> None:
    towns = {"x": kg.Entity("x", "Twinford", "town"), "y": kg.Entity("y", "Twinfort", "city")}
    with pytest.raises(kg.AmbiguousEntityError) as caught:
        kg.KnowledgeGraph(towns, [], {}).resolve("Twinforx")
    assert str(caught.value) == "'Twinforx' is ambiguous: it names 'x' or 'y'; use an id"


def test_names_outrank_aliases_and_say_so(mini_copy) -> None:
    with open(mini_copy / "places.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: ankara\n  name: Ankara\n  kind: city\n")
    with open(mini_copy / "relations.yaml", "a", encoding="utf-8") as handle:
        handle.write("- type: controls\n  subject: turkiye\n  object: ankara\n  sources: [{source: cg, quote: q}]\n")
    graph = kg.load(mini_copy)
    assert graph.resolve("ankara").id == "ankara"
    with pytest.warns(kg.NameMatchWarning) as said:
        assert graph.resolve("ANKARA").kind == "city"  # the city's name, not Türkiye's alias
    assert [str(w.message) for w in said] == [
        "'ANKARA' taken as 'ankara' (Ankara): names outrank aliases, and it is also an alias of 'turkiye'"]
    assert graph.resolve("Turkey").id == "turkiye"


def test_a_name_that_is_another_entitys_id_is_ambiguous() -> None:
    states = {"turkiye": kg.Entity("turkiye", "Türkiye", "state"), "t2": kg.Entity("t2", "Turkiye", "state")}
    graph = kg.KnowledgeGraph(states, [], {})
    for name in ("Turkiye", "TURKIYE", "Türkiye"):
        with pytest.raises(kg.AmbiguousEntityError) as caught:
            graph.resolve(name)
        assert str(caught.value) == f"{name!r} is ambiguous: it names 't2' or 'turkiye'; use an id"
    assert (graph.resolve("turkiye").id, graph.resolve("t2").id) == ("turkiye", "t2")  # an id, exactly as written


def test_ambiguous_name_lists_candidates() -> None:
    twins = {"x": kg.Entity("x", "Twin", "town"), "y": kg.Entity("y", "Twin", "city")}
    with pytest.raises(kg.AmbiguousEntityError) as caught:
        kg.KnowledgeGraph(twins, [], {}).resolve("twin")
    assert str(caught.value) == "'twin' is ambiguous: it names 'x' or 'y'; use an id"
    assert isinstance(caught.value, kg.UnknownEntityError)


def test_relations_filter_by_type_subject_and_object(mini: kg.KnowledgeGraph) -> None:
    backs = mini.relations("backs")
    assert [(r.subject, r.object) for r in backs] == [
        ("russia", "syrian-government"), ("turkiye", "sna"), ("iran", "syrian-government")]
    assert [r.object for r in mini.relations(subject="Russia")] == ["syrian-government", "ceasefire-2020"]
    assert [r.subject for r in mini.relations("controls", object="Aleppo")] == ["syrian-government", "hts"]


def test_symmetric_types_match_either_direction(mini: kg.KnowledgeGraph) -> None:
    # written as "hts fights syrian-government" and "sdf fights sna"
    assert len(mini.relations("fights", subject="syrian-government", object="hts")) == 1
    assert len(mini.relations("fights", subject="sna")) == 1
    # an asymmetric type does not
    assert mini.relations("backs", subject="syrian-government", object="russia") == []


def test_relations_filter_by_status(mini: kg.KnowledgeGraph) -> None:
    assert [r.object for r in mini.relations(statuses="reported")] == ["tel-rifaat"]
    assert len(mini.relations(statuses=["reported", "expected"])) == 2


def test_relations_take_the_old_spelling_status_with_a_warning(mini: kg.KnowledgeGraph) -> None:
    with pytest.warns(DeprecationWarning, match=r"relations\(status=\.\.\.\) is deprecated; use statuses=") as said:
        old = mini.relations(status="reported")
    assert old == mini.relations(statuses="reported") and said[0].filename == __file__
    with pytest.raises(TypeError, match="takes statuses= \\(or its old spelling status=\\), not both"):
        mini.relations(status="reported", statuses="stated")


def test_relation_fields_carry_qualifiers_and_sources(mini: kg.KnowledgeGraph) -> None:
    (support,) = mini.relations("backs", subject="russia")
    assert (support.against, support.support, support.start, support.end) == (("hts",), ("air",), "2015", None)
    assert support.sign == 1 and not support.symmetric
    assert support.sources == (kg.Citation("cg", "Russia, which has given only limited air support"),)


@pytest.mark.parametrize(
    "when, holders",
    [
        ("2016-06-01", []),  # before the government's December 2016 recapture
        ("2016-12", ["syrian-government"]),
        ("2020-01-01", ["syrian-government"]),
        ("2024-11-28", ["syrian-government"]),
        ("2024-11-29", ["syrian-government", "hts"]),  # the day of the handover: both spans touch it
        ("2024-12-02", ["hts"]),  # open end
    ],
)
def test_as_of_keeps_what_held_on_the_date(mini: kg.KnowledgeGraph, when: str, holders: list[str]) -> None:
    assert [r.subject for r in mini.as_of(when).relations("controls", object="aleppo")] == holders
    assert [r.subject for r in mini.relations("controls", object="aleppo", as_of=when)] == holders


def test_open_start_holds_at_any_early_date(mini: kg.KnowledgeGraph) -> None:
    assert mini.as_of("1990").relations("fights", subject="hts")


def test_as_of_returns_a_new_graph_with_all_entities(mini: kg.KnowledgeGraph) -> None:
    earlier = mini.as_of("2016-12-01")
    assert earlier is not mini and earlier.entities == mini.entities
    assert len(earlier) < len(mini)


def test_bad_query_arguments_raise_query_error(mini: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.QueryError, match="bad date '2016-13': month 13 is not 01 to 12"):
        mini.as_of("2016-13")
    with pytest.raises(kg.QueryError, match="unknown relation type 'funds'"):
        mini.relations("funds")
    with pytest.raises(kg.QueryError, match="unknown status 'rumoured'"):
        mini.relations(statuses="rumoured")
    with pytest.raises(kg.UnknownEntityError):
        mini.relations(subject="Hezbolah")


def test_graph_is_immutable(mini: kg.KnowledgeGraph) -> None:
    with pytest.raises(AttributeError):
        mini.extra = 1
    with pytest.raises(TypeError):
        mini.entities["new"] = mini.entities["hts"]
    with pytest.raises(AttributeError):
        mini.entities["hts"].name = "other"


def test_counts(mini: kg.KnowledgeGraph) -> None:
    assert mini.counts() == {"actors": 8, "places": 4, "events": 2, "relations": 18, "sources": 2, "figures": 1}


def test_equal_graphs_compare_equal(mini: kg.KnowledgeGraph) -> None:
    assert kg.load(MINI) == mini
    assert mini.as_of("2016-06-01") != mini


def test_networkx_view_has_nodes_edges_and_attributes(mini: kg.KnowledgeGraph) -> None:
    graph = mini.to_networkx()
    assert graph.number_of_nodes() == 14 and graph.number_of_edges() == 18
    assert graph.nodes["turkiye"] == {"name": "Türkiye", "kind": "state", "category": "actor"}
    ((key, attributes),) = graph.get_edge_data("russia", "syrian-government").items()
    assert key == mini.relations("backs", subject="russia")[0].id
    assert attributes == {
        "type": "backs", "sign": 1, "symmetric": False, "start": "2015", "end": None, "status": "stated",
        "against": ["hts"], "support": ["air"], "place": None, "role": None,
        "sources": [{"source": "cg", "quote": "Russia, which has given only limited air support"}],
    }
    assert graph.get_edge_data("sdf", "sna")[mini.relations("fights", subject="sdf")[0].id]["sign"] == -1


def test_networkx_view_is_a_fresh_copy(mini: kg.KnowledgeGraph) -> None:
    first = mini.to_networkx()
    first.remove_node("hts")
    assert "hts" in mini.to_networkx()
