"""Finding entities by a name, an alias or a misspelling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from kg.errors import QueryError
from kg.results import Results

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["MAX_SEARCH_LENGTH", "Match", "search"]


class Match(NamedTuple):
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

    from kg.names import normalize_name

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
