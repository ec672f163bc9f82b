"""The loader: one broken fixture per problem class, each with its exact message and place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kg
from kg.dates import EDTF_EXPECTED
from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES
from tests.conftest import MINI, append, problems_in

RELATION = "- type: fights\n  subject: hts\n  object: russia\n"
CITE = "  sources: [{source: cg, quote: q}]\n"

# (file, text appended to it, expected problems). In the expected problems, "+N" is a line
# number counted from the end of the original file: "+1" is the first appended line.
CASES = {
    "unknown reference": (
        "relations.yaml", "- type: fights\n  subject: hts\n  object: hezbolah\n" + CITE,
        ["relations.yaml:+3:11: object 'hezbolah' is not a known entity"],
    ),
    "unknown reference with suggestion": (
        "relations.yaml", "- type: fights\n  subject: hts\n  object: turkiyee\n" + CITE,
        ["relations.yaml:+3:11: object 'turkiyee' is not a known entity (did you mean 'turkiye'?)"],
    ),
    "duplicate id": (
        "actors.yaml", "- id: hts\n  name: Another\n  kind: armed-group\n",
        ["actors.yaml:+1:7: duplicate id 'hts' (first defined at line 1)"],
    ),
    "duplicate id across files": (
        "places.yaml", "- id: hts\n  name: Hts town\n  kind: town\n",
        ["places.yaml:+1:7: duplicate id 'hts' (first defined at actors.yaml:1)"],
    ),
    "duplicate key": (
        "actors.yaml", "- id: hezbollah\n  name: A\n  name: B\n  kind: armed-group\n",
        ["actors.yaml:+3:3: duplicate key 'name' (first at line +2)"],
    ),
    "unknown field": (
        "actors.yaml", "- id: hezbollah\n  name: Hizbollah\n  kind: armed-group\n  alias: [Hezbollah]\n",
        ["actors.yaml:+4:3: unknown field 'alias' in an actor (did you mean 'aliases'?); expected one of: "
         "aliases, description, figures, id, kind, name, sources, wikidata"],
    ),
    "missing field": (
        "actors.yaml", "- id: hezbollah\n  kind: armed-group\n",
        ["actors.yaml:+1:3: an actor is missing required field 'name'"],
    ),
    "wrong type: list for text": (
        "actors.yaml", "- id: hezbollah\n  name: [Hizbollah, Hezbollah]\n  kind: armed-group\n",
        ["actors.yaml:+2:9: name: expected a single value, got a list"],
    ),
    "wrong type: mapping for list": (
        "actors.yaml", "- id: hezbollah\n  name: Hizbollah\n  kind: armed-group\n  aliases: {a: b}\n",
        ["actors.yaml:+4:12: aliases: expected a list, got a mapping"],
    ),
    "wrong type: YAML 1.1 boolean for text": (
        "actors.yaml", "- id: hezbollah\n  name: NO\n  kind: armed-group\n",
        ["actors.yaml:+2:9: name: NO reads as a boolean in YAML; put it in quotes if you mean the text"],
    ),
    "wrong type: text for number": (
        "places.yaml", "- id: hama\n  name: Hama\n  kind: city\n  lat: north\n",
        ["places.yaml:+4:8: lat: expected a decimal number, got 'north'"],
    ),
    "unknown relation type": (
        "relations.yaml", "- type: funds\n  subject: hts\n  object: russia\n" + CITE,
        ["relations.yaml:+1:9: unknown relation type 'funds' (did you mean 'founded'?); expected one of: "
         + ", ".join(sorted(RELATION_TYPES))],
    ),
    "unknown entity kind": (
        "actors.yaml", "- id: hezbollah\n  name: Hizbollah\n  kind: rebel-group\n",
        ["actors.yaml:+3:9: unknown entity kind 'rebel-group' (did you mean 'armed-group'?); expected one of: "
         + ", ".join(sorted(ENTITY_KINDS))],
    ),
    "entity kind of another category": (
        "actors.yaml", "- id: hama\n  name: Hama\n  kind: city\n",
        ["actors.yaml:+3:9: kind 'city' is a place kind; actors.yaml holds actors"],
    ),
    "unknown status": (
        "relations.yaml", RELATION + "  status: rumoured\n" + CITE,
        ["relations.yaml:+4:11: unknown status 'rumoured' (did you mean 'reported'?); expected one of: "
         "alleged, claimed, denied, expected, reported, stated"],
    ),
    "unknown support kind": (
        "relations.yaml", "- type: backs\n  subject: russia\n  object: hts\n  support: [air, money]\n" + CITE,
        ["relations.yaml:+4:18: unknown support kind 'money'; expected one of: air, arms, diplomatic, "
         "economic, equipment, fighters, funding, intelligence, logistics, military, political, training, troops"],
    ),
    "qualifier the type does not take": (
        "relations.yaml", RELATION + "  support: air\n" + CITE,
        ["relations.yaml:+4:12: 'support' does not apply to 'fights'; it takes: place"],
    ),
    "subject of the wrong kind": (
        "relations.yaml", "- type: backs\n  subject: aleppo\n  object: hts\n" + CITE,
        ["relations.yaml:+2:12: subject 'aleppo' of 'backs' is a city; expected an actor"],
    ),
    "object of the wrong kind": (
        "relations.yaml", "- type: ceasefire-party\n  subject: hts\n  object: deterring-aggression\n" + CITE,
        ["relations.yaml:+3:11: object 'deterring-aggression' of 'ceasefire-party' is an operation; "
         "expected a ceasefire or an agreement"],
    ),
    "bad dates": (
        "relations.yaml", RELATION + "  start: 2016-02-30\n  end: 2016-13\n" + CITE,
        ["relations.yaml:+4:10: start: bad date '2016-02-30': day 30 is past the end of 2016-02 (29 days); "
         + EDTF_EXPECTED,
         "relations.yaml:+5:8: end: bad date '2016-13': month 13 is not 01 to 12; " + EDTF_EXPECTED],
    ),
    "bad EDTF forms": (
        "relations.yaml", RELATION + "  start: 2016/2015\n  end: ٢٠٢٤-١١\n" + CITE,
        ["relations.yaml:+4:10: start: bad date '2016/2015': the range 2016/2015 ends before it begins; "
         + EDTF_EXPECTED,
         "relations.yaml:+5:8: end: bad date '٢٠٢٤-١١': not an ISO or EDTF date; " + EDTF_EXPECTED],
    ),
    "vague end before start": (
        "relations.yaml", RELATION + "  start: 2016~\n  end: ../2014\n" + CITE,
        ["relations.yaml:+5:8: end ../2014 is before start 2016~"],
    ),
    "end before start": (
        "relations.yaml", RELATION + "  start: 2016\n  end: 2015-12\n" + CITE,
        ["relations.yaml:+5:8: end 2015-12 is before start 2016"],
    ),
    "statement without a source": (
        "relations.yaml", RELATION,
        ["relations.yaml:+1:3: a relation is missing required field 'sources'"],
    ),
    "citation without a quote": (
        "relations.yaml", RELATION + "  sources: [{source: cg}]\n",
        ["relations.yaml:+4:13: a citation is missing required field 'quote'"],
    ),
    "unknown source": (
        "relations.yaml", RELATION + "  sources: [{source: cgg, quote: q}]\n",
        ["relations.yaml:+4:22: source 'cgg' is not a known source (did you mean 'cg'?)"],
    ),
    "python object tag": (
        "actors.yaml", "- id: hezbollah\n  name: !!python/object/apply:os.system ['echo hi']\n  kind: armed-group\n",
        ["actors.yaml:+2:9: unsupported YAML tag '!!python/object/apply:os.system'; kg reads plain YAML only"],
    ),
    "local tag": (
        "actors.yaml", "- !actor\n  id: hezbollah\n  name: Hizbollah\n  kind: armed-group\n",
        ["actors.yaml:+1:3: unsupported YAML tag '!actor'; kg reads plain YAML only"],
    ),
    "claimed without claimant": (
        "relations.yaml", RELATION + "  status: claimed\n" + CITE,
        ["relations.yaml:+4:11: status 'claimed' needs claimed_by: the actor who claims it"],
    ),
    "claimant without claim": (
        "relations.yaml", RELATION + "  claimed_by: turkiye\n" + CITE,
        ["relations.yaml:+4:15: claimed_by goes with status 'claimed', not 'stated'"],
    ),
    "same statement twice": (
        "relations.yaml", RELATION + CITE + "- type: fights\n  subject: russia\n  object: hts\n"
        "  sources: [{source: sd, quote: r}]\n",
        ["relations.yaml:+5:3: duplicate statement (same as the one at line +1); "
         "merge their sources or give each an id"],
    ),
    "bad id": (
        "actors.yaml", "- id: Hezbollah\n  name: Hizbollah\n  kind: armed-group\n",
        ["actors.yaml:+1:7: id: 'Hezbollah' is not a valid id: use lowercase letters, digits and single "
         "hyphens, like 'syrian-arab-army'"],
    ),
    "within cycle": (
        "places.yaml", "- id: a\n  name: A\n  kind: town\n  within: b\n- id: b\n  name: B\n  kind: town\n  within: a\n",
        ["places.yaml:+1:1: within forms a cycle: a -> b -> a"],
    ),
}


def resolve_lines(expected: list[str], base: int) -> list[str]:
    """Turn "+N" line numbers (counted from the end of the original file) into real ones."""
    return [re.sub(r"(?<=[: ])\+(\d+)", lambda m: str(base + int(m.group(1))), line) for line in expected]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_problem_is_reported_with_its_place(case: str, mini_copy: Path) -> None:
    file, text, expected = CASES[case]
    base = append(mini_copy, file, text)
    assert problems_in(mini_copy) == resolve_lines(expected, base)


def test_every_problem_is_reported_in_one_pass(mini_copy: Path) -> None:
    base = append(mini_copy, "relations.yaml", "- type: funds\n  subject: hts\n  object: hezbolah\n  start: 2016-13\n")
    assert [p.split(": ", 1)[0] for p in problems_in(mini_copy)] == resolve_lines([
        "relations.yaml:+1:3",  # missing sources
        "relations.yaml:+1:9",  # unknown type
        "relations.yaml:+3:11",  # unknown object
        "relations.yaml:+4:10",  # bad date
    ], base)


def test_load_raises_one_data_error_with_every_problem(mini_copy: Path) -> None:
    with open(mini_copy / "actors.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: hts\n  name: Again\n  kind: armed-groupp\n")
    with pytest.raises(kg.DataError) as caught:
        kg.load(mini_copy)
    assert len(caught.value.problems) == 2
    assert str(caught.value).splitlines()[0] == "2 problems in the data:"
    assert isinstance(caught.value, ValueError)


def test_syntax_error_is_reported_alone(mini_copy: Path) -> None:
    (mini_copy / "actors.yaml").write_text('- id: hts\n  name: "Hayat\n  kind: armed-group\n')
    assert problems_in(mini_copy) == [
        "actors.yaml:2:9: YAML syntax error: this quote is never closed: end the value with the same quote mark"
    ]


def test_top_level_must_be_a_list(mini_copy: Path) -> None:
    (mini_copy / "actors.yaml").write_text("id: hts\nname: HTS\n")
    assert problems_in(mini_copy) == ["actors.yaml:1:1: expected a list of actors at the top level, got a mapping"]


def test_missing_folder(tmp_path: Path) -> None:
    assert problems_in(tmp_path / "nowhere") == [
        f"{tmp_path}/nowhere: does not exist; expected a folder of kg YAML files"
    ]


def test_folder_without_data_files(tmp_path: Path) -> None:
    assert problems_in(tmp_path) == [
        f"{tmp_path}: holds no kg data files; expected some of: "
        "sources.yaml, actors.yaml, places.yaml, events.yaml, relations.yaml"
    ]


def test_anchors_and_merge_keys_work(mini_copy: Path) -> None:
    with open(mini_copy / "relations.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "- &base\n  type: fights\n  subject: hts\n  object: russia\n"
            "  sources: &cite [{source: cg, quote: q}]\n"
            "- <<: *base\n  object: turkiye\n"
            "- type: fights\n  subject: sna\n  object: russia\n  sources: *cite\n"
        )
    graph = kg.load(mini_copy)
    assert {r.object for r in graph.relations("fights", subject="hts")} >= {"russia", "turkiye"}
    assert graph.relations("fights", subject="sna", object="russia")[0].sources[0].quote == "q"


def test_recursive_alias_is_an_error_not_a_crash(mini_copy: Path) -> None:
    base = append(mini_copy, "actors.yaml",
                  "- id: hezbollah\n  name: Hizbollah\n  kind: armed-group\n  aliases: &a [x, *a]\n")
    assert problems_in(mini_copy) == [f"actors.yaml:{base + 4}:12: aliases: expected a single value, got a list"]


def test_deep_nesting_is_refused_before_parsing(mini_copy: Path) -> None:
    (mini_copy / "actors.yaml").write_text("- aliases: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert problems_in(mini_copy) == [
        "actors.yaml:1:211: nesting deeper than 200 levels; kg data is only a few levels deep"
    ]


def test_event_date_is_shorthand_for_start_and_end(mini: kg.KnowledgeGraph) -> None:
    ceasefire = mini.entities["ceasefire-2020"]
    assert (ceasefire.start, ceasefire.end) == ("2020", "2020")


def test_generated_relation_ids_are_stable_and_readable(mini: kg.KnowledgeGraph) -> None:
    again = kg.load(MINI)
    assert [r.id for r in mini.relations()] == [r.id for r in again.relations()]
    assert mini.relations("backs", "russia")[0].id.startswith("russia-backs-syrian-government-")


def test_figures_belong_to_their_holder(mini: kg.KnowledgeGraph) -> None:
    (figure,) = mini.figures("Operation Deterring Aggression")
    assert (figure.about, figure.measure, figure.value, figure.qualifier) == (
        "deterring-aggression", "killed", 255, "at-least")


# --------------------------------------------------------------------------- problems in a large folder


def broken_copy(folder: Path) -> list[str]:
    """A generated folder with one problem of each kind that needs a place: an unknown object
    (a relation), an unknown ``within`` (a place, checked after every entity file), an
    impossible date (an event), an unknown field and a duplicate id (actors); the texts of
    the records that hold them."""
    from benchmarks.generate import generate
    from kg.folder.fast import record_texts

    generate(folder, entities=120, relations=1500, seed=5)
    edits = {"relations.yaml": ("object", "nobody-at-all"), "places.yaml": ("within", "nowhere-at-all"),
             "events.yaml": ("start", "2016-02-30"), "actors.yaml": ("kind", "person\n  colour: red")}
    broken = []
    for name, (key, value) in edits.items():
        text = (folder / name).read_text(encoding="utf-8")
        at = text.index(f"\n  {key}: ", len(text) // 2) + len(key) + 5
        text = text[:at] + value + text[text.index("\n", at):]
        (folder / name).write_text(text, encoding="utf-8")
        broken += [record for record in record_texts(text) if f"{key}: {value}\n" in record]
    first = record_texts(text)[0]
    (folder / "actors.yaml").write_text(text + first, encoding="utf-8")  # the first actor's id again, at the end
    return broken + [first]


def test_a_folder_with_problems_composes_only_the_records_that_have_them(tmp_path: Path, composed: list[int],
                                                                         monkeypatch) -> None:
    from kg.folder import fast

    broken = broken_copy(tmp_path)
    found = [str(problem).replace(f"{tmp_path}/", "") for problem in kg.validate(tmp_path, cache=False)]
    assert 0 < sum(composed) <= sum(len(record) for record in broken)  # not every file: 300 times as much
    monkeypatch.setattr(fast, "located_records", lambda text: None)  # every file composed whole, as before
    assert found == [str(problem).replace(f"{tmp_path}/", "") for problem in kg.validate(tmp_path, cache=False)]
    assert [re.sub(r":\d+:\d+:", ":L:C:", message.split(";")[0]) for message in found] == [
        "actors.yaml:L:C: unknown field 'colour' in an actor",
        "actors.yaml:L:C: duplicate id 'nanashi-division' (first defined at line 2)",
        "events.yaml:L:C: start: bad date '2016-02-30': day 30 is past the end of 2016-02 (29 days)",
        "places.yaml:L:C: within 'nowhere-at-all' is not a known entity",
        "relations.yaml:L:C: object 'nobody-at-all' is not a known entity"]


@pytest.mark.parametrize("piece", [1, 300, 1 << 20], ids=["a record a piece", "a few records a piece", "one piece"])
def test_files_read_a_piece_at_a_time_give_the_problems_of_one_reading(piece: int, tmp_path: Path,
                                                                       monkeypatch) -> None:
    """The fast reader decodes a file's bytes a piece of records at a time: wherever a piece
    ends, every problem is where one reading of the whole file by libyaml puts it."""
    from kg.folder import fast

    broken_copy(tmp_path)
    monkeypatch.setattr(fast, "_PIECE", piece)
    found = problems_in(tmp_path)
    monkeypatch.setattr(fast, "located_records", lambda data: None)  # every file composed whole
    assert found == problems_in(tmp_path)
    assert len(found) == 5


@pytest.mark.parametrize("piece", [1, 1 << 20], ids=["a record a piece", "one piece"])
def test_bytes_that_are_not_utf8_deep_in_a_file_are_reported_where_they_are(piece: int, mini_copy: Path,
                                                                           monkeypatch) -> None:
    from kg.folder import fast

    monkeypatch.setattr(fast, "_PIECE", piece)
    base = append(mini_copy, "relations.yaml", RELATION + "  sources: [{source: cg, quote: q}]\n")
    path = mini_copy / "relations.yaml"
    path.write_bytes(path.read_bytes().replace(b"quote: q}", b"quote: q\xe9}"))
    assert problems_in(mini_copy) == [
        f"relations.yaml:{base + 4}:34: is not valid UTF-8: byte 0xe9; save the file as UTF-8"]
