"""Hypothesis strategies: valid knowledge graphs with awkward text, for round-trip tests."""

from __future__ import annotations

from hypothesis import strategies as st

from kg import KnowledgeGraph
from kg.model import statement_id
from kg.model import Citation, Entity, Figure, Relation, Source
from kg.vocabulary import (
    ENTITY_KINDS,
    FIGURE_MEASURES,
    FIGURE_QUALIFIERS,
    RELATION_TYPES,
    STATUSES,
    SUPPORT_KINDS,
    kinds_matching,
)

# Text with quotes, backslashes, emoji and non-Latin scripts; multi-line text also has
# newlines and tabs. No control characters or noncharacters: kg refuses those.
# Not control characters, surrogates or non-characters, nor the invisible ones kg refuses in text.
_INVISIBLE = "\u200b\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CHARACTERS = st.characters(blacklist_categories=["Cc", "Cs"],
                            blacklist_characters="\ufffe\uffff\x85\u2028\u2029" + _INVISIBLE)
_AWKWARD = st.sampled_from(['"', "'", "\\", "’", "“", "😀", "Ḥamā", "حلب", "Алеппо", "#", ": ", "- ", "NO", "007",
                            "1.10", "~", "&a", "*a", "!tag", "[", "{", "%", "@", "`", "é"])
TEXT = st.tuples(_AWKWARD, st.text(_CHARACTERS, max_size=5), _AWKWARD).map("".join).map(str.strip).filter(bool)
LONG_TEXT = st.tuples(TEXT, st.sampled_from(["\n", "\t", "\n\n", " "]), TEXT).map("".join)
IDS = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)


@st.composite
def dates(draw, after: str | None = None) -> str:
    year = draw(st.integers(1990, 2030))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    text = {"year": f"{year}", "month": f"{year}-{month:02d}", "day": f"{year}-{month:02d}-{day:02d}"}[precision]
    if after is not None and text < after:
        return after
    return text


@st.composite
def citations(draw, sources: list[str]) -> tuple[Citation, ...]:
    return tuple(Citation(draw(st.sampled_from(sources)), draw(TEXT)) for _ in range(draw(st.integers(1, 2))))


@st.composite
def figures(draw, about: str, sources: list[str], entities: dict[str, Entity]) -> tuple[Figure, ...]:
    actors = [e for e in entities if entities[e].category == "actor"]
    found = []
    for _ in range(draw(st.integers(0, 1))):
        found.append(Figure(
            about=about, measure=draw(st.sampled_from(sorted(FIGURE_MEASURES))),
            value=draw(st.integers(0, 10**7) | st.floats(0, 1e7, allow_nan=False).map(lambda v: round(v, 3))),
            sources=draw(citations(sources)), qualifier=draw(st.sampled_from(sorted(FIGURE_QUALIFIERS))),
            counted_by=draw(st.none() | st.sampled_from(actors)) if actors else None,
            label=draw(st.none() | TEXT), date=draw(st.none() | dates()), note=draw(st.none() | LONG_TEXT),
        ))
    return tuple(found)


@st.composite
def graphs(draw) -> KnowledgeGraph:
    """A valid KnowledgeGraph: every reference known, every kind and type fitting."""
    source_ids = draw(st.lists(IDS, min_size=1, max_size=2, unique=True))
    sources = {i: Source(i, draw(TEXT), draw(TEXT), draw(dates()), url=draw(st.none() | st.just("https://example.org/a?b=c")),
                         authors=tuple(draw(st.lists(TEXT, max_size=2))), language=draw(st.none() | st.just("en")),
                         note=draw(st.none() | LONG_TEXT))
               for i in source_ids}
    entity_ids = draw(st.lists(IDS, min_size=2, max_size=6, unique=True)
                      .filter(lambda ids: not set(ids) & set(source_ids)))
    entities: dict[str, Entity] = {}
    for entity_id in entity_ids:
        kind = draw(st.sampled_from(sorted(ENTITY_KINDS)))
        category = ENTITY_KINDS[kind].category
        places = [e for e in entities if entities[e].category == "place"]
        start = draw(st.none() | dates()) if category == "event" else None
        entities[entity_id] = Entity(
            entity_id, draw(TEXT), kind, aliases=tuple(draw(st.lists(TEXT, max_size=2, unique=True))),
            description=draw(st.none() | LONG_TEXT), wikidata=draw(st.none() | st.just("Q41183")),
            within=draw(st.none() | st.sampled_from(places)) if category == "place" and places else None,
            lat=draw(st.none() | st.floats(-90, 90).map(lambda v: round(v, 4))) if category == "place" else None,
            lon=draw(st.none() | st.floats(-180, 180).map(lambda v: round(v, 4))) if category == "place" else None,
            start=start, end=draw(st.none() | dates(after=start)) if start else None,
            sources=draw(st.just(()) | citations(source_ids)),
        )
    entities = {i: _with_figures(draw, e, source_ids, entities) for i, e in entities.items()}
    relations: dict[str, Relation] = {}
    for _ in range(draw(st.integers(0, 6))):
        relation = draw(_relation(entities, source_ids))
        if relation is not None and relation.id not in relations:
            relations[relation.id] = relation
    return KnowledgeGraph(entities, relations.values(), sources)


def _some(draw, choices: list[str]) -> tuple[str, ...]:
    return tuple(draw(st.lists(st.sampled_from(choices), max_size=2, unique=True)))


def _with_figures(draw, entity: Entity, sources: list[str], entities: dict[str, Entity]) -> Entity:
    return entity._replace(figures=draw(figures(entity.id, sources, entities)))


@st.composite
def _relation(draw, entities: dict[str, Entity], sources: list[str]) -> Relation | None:
    row = RELATION_TYPES[draw(st.sampled_from(sorted(RELATION_TYPES)))]
    subjects = [e for e in entities if entities[e].kind in kinds_matching(row.domain)]
    objects = [e for e in entities if entities[e].kind in kinds_matching(row.range)]
    if not subjects or not objects:
        return None
    actors = [e for e in entities if entities[e].category == "actor"]
    places = [e for e in entities if entities[e].category == "place"]
    status = draw(st.sampled_from(sorted(STATUSES)))
    start = draw(st.none() | dates())
    subject, object_ = draw(st.sampled_from(subjects)), draw(st.sampled_from(objects))
    if row.name == "part-of" and subject >= object_:
        return None  # part-of must not form a cycle
    values = {
        "type": row.name, "subject": subject, "object": object_,
        "against": _some(draw, actors) if "against" in row.qualifiers and actors else (),
        "support": _some(draw, sorted(SUPPORT_KINDS)) if "support" in row.qualifiers else (),
        "place": draw(st.none() | st.sampled_from(places)) if "place" in row.qualifiers and places else None,
        "role": draw(st.none() | TEXT) if "role" in row.qualifiers else None,
        "start": start, "end": draw(st.none() | dates(after=start)),
        "status": status, "claimed_by": draw(st.sampled_from(actors)) if status == "claimed" and actors else None,
    }
    if status == "claimed" and not actors:
        return None
    explicit = draw(st.none() | IDS.map(lambda i: f"r-{i}"))
    relation_id = explicit or statement_id(values, row.symmetric)
    figures_ = draw(figures(relation_id, sources, entities))
    return Relation(relation_id, sources=draw(citations(sources)), note=draw(st.none() | LONG_TEXT),
                    figures=figures_, **values)
