"""The vocabulary table is consistent: every name it uses is defined in it."""

from __future__ import annotations

import pytest

from kg.vocabulary import CATEGORIES, ENTITY_KINDS, QUALIFIERS, RELATION_TYPES, STATUSES, kinds_matching

DESIGN_TYPES = {
    # type: (sign, symmetric) as fixed by the design contract; linked-to was +1 until the review of
    # signs (docs/data-model.md): a link may be former or alleged, so it reads as neither
    "backs": (1, False), "fights": (-1, True), "strikes": (-1, False), "opposes": (-1, False),
    "allied-with": (1, True), "member-of": (1, False), "part-of": (1, False), "linked-to": (0, True),
    "leads": (1, False), "split-from": (0, False), "designates-terrorist": (-1, False),
    "ceasefire-party": (0, False), "party-to": (0, False), "violates": (-1, False),
    "negotiates-with": (0, True), "controls": (0, False), "deployed-in": (0, False), "located-in": (0, False),
}


@pytest.mark.parametrize("name", DESIGN_TYPES)
def test_design_types_exist_with_their_sign_and_symmetry(name: str) -> None:
    row = RELATION_TYPES[name]
    assert (row.sign, row.symmetric) == DESIGN_TYPES[name]


@pytest.mark.parametrize("row", RELATION_TYPES.values(), ids=list(RELATION_TYPES))
def test_relation_rows_are_well_formed(row) -> None:
    known = set(ENTITY_KINDS) | set(CATEGORIES)
    assert row.sign in (-1, 0, 1)
    assert set(row.domain) <= known and set(row.range) <= known and row.domain and row.range
    assert set(row.qualifiers) <= set(QUALIFIERS)
    assert row.label and row.inverse_label and row.description.endswith(".")
    if row.symmetric:
        assert row.label == row.inverse_label and row.domain == row.range


def test_backs_takes_against_and_support() -> None:
    assert {"against", "support"} <= set(RELATION_TYPES["backs"].qualifiers)


def test_every_kind_has_a_known_category() -> None:
    assert {kind.category for kind in ENTITY_KINDS.values()} == set(CATEGORIES)


def test_statuses_say_whether_they_assert() -> None:
    assert [name for name, status in STATUSES.items() if not status.asserts] == ["expected", "denied"]


def test_kinds_matching_takes_kinds_and_categories() -> None:
    assert "ceasefire" in kinds_matching(("ceasefire", "agreement"))
    assert "ceasefire" in kinds_matching(("event",))
    assert "operation" not in kinds_matching(("ceasefire", "agreement"))
