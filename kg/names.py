"""Names to entities: ids, names and aliases compared folded, and a fuzzy match where one entity alone is close."""

from __future__ import annotations

import unicodedata
import warnings
from functools import cached_property
from typing import Mapping

from kg._words import or_list
from kg.errors import AmbiguousEntityError, UnknownEntityError
from kg.model import Entity

__all__ = ["NameIndex", "NameMatchWarning", "normalize_name"]

_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"',
                       "–": "-", "—": "-", "ı": "i"})
_ASCII_NOT_ALNUM = bytes(code for code in range(128) if not chr(code).isalnum())
#: A fuzzy match (rapidfuzz ratio, 0-100) at least this close may stand for the name asked;
#: it is taken only when no other entity comes within ``_CLEAR_MARGIN`` of it.
_FUZZY_ACCEPT = 85
_CLEAR_MARGIN = 8
_FUZZY_SUGGEST = 60


def normalize_name(text: str) -> str:
    """The form names are compared in: case, accents, punctuation and spaces folded away.

    >>> normalize_name("Hei’at  Tahrir al-Sham") == normalize_name("hei'at tahrir al sham")
    True
    >>> normalize_name("Türkiye"), normalize_name("Hayat Tahrir al-Sham")
    ('turkiye', 'hayattahriralsham')
    """
    if text.isascii():  # most names: the same answer, without a character at a time in Python
        return text.lower().encode("ascii").translate(None, _ASCII_NOT_ALNUM).decode("ascii")
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD).casefold())
    return "".join(c for c in folded if c.isalnum())


class NameMatchWarning(UserWarning):
    """A name resolved by a close, unambiguous fuzzy match (``Hezbollah`` -> ``hizbollah``)."""


class NameIndex:
    """Entities by their normalised ids and names, then by their normalised aliases.

    >>> from kg.model import Entity
    >>> index = NameIndex({"hts": Entity("hts", "Hayat Tahrir al-Sham", "armed-group", ("HTS",))})
    >>> index.resolve("hayat tahrir al sham").id
    'hts'
    """

    def __init__(self, entities: Mapping[str, Entity]):
        self.entities = entities
        self.tiers: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})
        for entity in entities.values():
            for tier, names in zip(self.tiers, ([entity.id, entity.name], entity.aliases)):
                for text in names:
                    tier.setdefault(normalize_name(text), set()).add(entity.id)

    def resolve(self, name: str, stacklevel: int = 1) -> Entity:
        """The entity a name refers to (see ``KnowledgeGraph.resolve``); warnings point ``stacklevel`` frames up."""
        if name in self.entities:
            return self.entities[name]
        key = normalize_name(name)
        called, aliases = self.tiers
        for tier in (called, aliases):
            ids = tier.get(key)
            if ids and len(ids) > 1:
                raise AmbiguousEntityError(name, sorted(ids))
            if ids:
                entity = self.entities[next(iter(ids))]
                also = sorted(aliases.get(key, set()) - ids) if tier is called else []
                if also:
                    warnings.warn(NameMatchWarning(
                        f"{name!r} taken as {entity.id!r} ({entity.name}): names outrank aliases, and it is "
                        f"also an alias of {or_list([repr(i) for i in also])}"), stacklevel=stacklevel + 1)
                return entity
        return self.entities[self.fuzzy(name, key, stacklevel + 1)]

    def fuzzy(self, name: str, key: str, stacklevel: int) -> str:
        """The id of the one entity close to ``key``; else the suggestions, as an error."""
        from rapidfuzz import fuzz, process

        keys, ids = self.fuzzy_keys
        best: dict[str, float] = {}
        for _, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=20, score_cutoff=_FUZZY_SUGGEST):
            for entity_id in sorted(ids[index]):
                best.setdefault(entity_id, score)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        close = [(entity_id, score) for entity_id, score in ranked if score >= _FUZZY_ACCEPT]
        if close and (len(close) == 1 or close[0][1] - close[1][1] >= _CLEAR_MARGIN):
            entity = self.entities[close[0][0]]
            warnings.warn(NameMatchWarning(f"{name!r} taken as {entity.id!r} ({entity.name})"),
                          stacklevel=stacklevel + 1)
            return entity.id
        if len(close) > 1:
            raise AmbiguousEntityError(name, [entity_id for entity_id, _ in close[:5]])
        raise UnknownEntityError(name, [entity_id for entity_id, _ in ranked[:3]])

    @cached_property
    def fuzzy_keys(self) -> tuple[list[str], list[set[str]]]:
        """Every normalised id, name and alias, and the ids each stands for."""
        merged: dict[str, set[str]] = {}
        for tier in self.tiers:
            for key, ids in tier.items():
                merged.setdefault(key, set()).update(ids)
        return list(merged), list(merged.values())
