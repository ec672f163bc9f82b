"""A curation assistant: what a new document says about the entities a graph knows.

``suggest(text, graph)`` reads a document and proposes, for a curator to check:

- every mention of a known entity (its names and aliases, folded for case, accents and
  punctuation as name resolution folds them), counted;
- capitalised phrases that name no known entity, with the sentences they occur in, as
  candidate entities;
- candidate statements: a sentence in which a cue word of a relation type (the ``cues``
  column of ``kg.vocabulary.RELATION_TYPES``) stands between the names of two known
  entities whose kinds the type admits. Each carries its type, subject and object, how
  the direction was read, a status guessed from the sentence's hedges ("reportedly",
  "allegedly", "X said"), a date found in the sentence (else the document's date as
  ``as_of``), the exact sentence as its quote, and the id of an existing statement it
  repeats.

``Suggestions.to_yaml()`` writes the proposals as a candidates file: a YAML mapping whose
``relations`` are relation records in kg's format, each with a ``candidate`` field saying
why it was proposed. The loader refuses a ``candidate`` field in a data folder, and the
file itself is not a data file, so nothing proposed enters a graph until a curator has
checked it and deleted that field; ``kg validate --candidates FILE`` checks the file
against the data (``kg.folder.loading.validate_candidates``). Nothing here touches the network.

>>> import kg
>>> found = suggest("Russia reportedly backed the Syrian government in 2015.", kg.load(), source="crisis-group-2024")
>>> candidate = found.relations[0]
>>> candidate.type, candidate.subject, candidate.object, candidate.status, candidate.start
('backs', 'russia', 'syrian-government', 'reported', '2015')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import yaml

from kg.dates import check_date
from kg.errors import KGError
from kg.graph import KnowledgeGraph
from kg.names import normalize_name
from kg.vocabulary import ENTITY_KINDS, RELATION_TYPES, kinds_matching

__all__ = ["Candidate", "Mention", "NewName", "SuggestError", "Suggestions", "suggest", "suggest_document"]

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])|\n+")
_NAME_PHRASE = re.compile(r"[A-Z][\w’'-]*(?:(?:\s+|\s+(?:al|el|of|de|du|bin|ibn)\s+)[A-Z][\w’'-]*)*")
_MONTHS = {name: n for n, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_MONTH = "(" + "|".join(name.title() for name in _MONTHS) + ")"
_DATES = (  # (pattern, the groups of year, month and day, or None for the document's year)
    (re.compile(rf"\b(\d{{1,2}}) {_MONTH},? (\d{{4}})\b"), (3, 2, 1)),
    (re.compile(rf"\b{_MONTH} (\d{{1,2}}),? (\d{{4}})\b"), (3, 1, 2)),
    (re.compile(rf"\b(\d{{1,2}}) {_MONTH}\b"), (None, 2, 1)),
    (re.compile(rf"\b{_MONTH} (\d{{1,2}})\b"), (None, 1, 2)),
    (re.compile(rf"\b{_MONTH},? (\d{{4}})\b"), (2, 1, None)),
    (re.compile(r"\b(?:in|since|by|until|from|of|early|late|mid-?)\s+(\d{4})\b"), (1, None, None)),
)
_UNTIL = re.compile(r"\b(?:until|till|up to)\s+$")
_HEDGES = (  # (status, pattern); the first that matches sets the guessed status
    ("claimed", re.compile(r"\b(?:said|says|told|claimed|claims|stated|announced|according to)\b", re.I)),
    ("alleged", re.compile(r"\b(?:allegedly|alleged|accused|indications?)\b", re.I)),
    ("reported", re.compile(r"\b(?:reportedly|reported|reports)\b", re.I)),
    ("expected", re.compile(r"\b(?:may|might|could|would|likely|expected to|threaten(?:s|ed)? to)\b", re.I)),
)
_COMMON_WORDS = frozenset(
    "a an the this that these those it its in on at of for by with from to as but and or if when while what who "
    "how why where which since after before during over under about into also still yet so not no more most "
    "some many such there here their they he she we our his her them than then both each all any other".split())
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


class SuggestError(KGError, ValueError):
    """A document whose source is not known."""


class Mention(NamedTuple):
    """A known entity mentioned in the document: how often, and under which names."""

    entity: str
    count: int
    names: tuple[str, ...]


class NewName(NamedTuple):
    """A capitalised phrase that names no known entity: a candidate entity."""

    name: str
    count: int
    sentences: tuple[str, ...]


class Candidate(NamedTuple):
    """A proposed statement: a relation record with why it was proposed."""

    type: str
    subject: str
    object: str
    quote: str
    occurrence: int | None
    cue: str
    direction: str  # "subject first", "object first" or "either way" (a symmetric type)
    status: str = "stated"
    claimed_by: str | None = None
    hedge: str | None = None
    start: str | None = None
    end: str | None = None
    as_of: str | None = None
    repeats: str | None = None

    def to_record(self, source: str) -> dict[str, Any]:
        """The candidate as a relation record of kg's YAML, with its ``candidate`` field."""
        record: dict[str, Any] = {"type": self.type, "subject": self.subject, "object": self.object}
        record.update({name: getattr(self, name) for name in ("start", "end", "claimed_by") if getattr(self, name)})
        if self.status != "stated":
            record["status"] = self.status
        citation: dict[str, Any] = {"source": source, "quote": self.quote}
        if self.occurrence:
            citation["occurrence"] = self.occurrence
        why = {"cue": self.cue, "direction": self.direction}
        why.update({name: getattr(self, name) for name in ("hedge", "as_of", "repeats") if getattr(self, name)})
        return {**record, "sources": [citation], "candidate": why}


class Suggestions(NamedTuple):
    """What ``suggest`` proposes for one document."""

    source: str
    document: str | None
    mentions: tuple[Mention, ...]
    new_names: tuple[NewName, ...]
    relations: tuple[Candidate, ...]

    def to_record(self) -> dict[str, Any]:
        """The candidates file as plain data (see ``to_yaml``)."""
        record: dict[str, Any] = {"kg-candidates": 1, "source": self.source}
        if self.document:
            record["document"] = self.document
        record["mentions"] = [{"entity": m.entity, "count": m.count, "names": list(m.names)} for m in self.mentions]
        record["entities"] = [{"name": n.name, "count": n.count, "sentences": list(n.sentences)}
                              for n in self.new_names]
        record["relations"] = [candidate.to_record(self.source) for candidate in self.relations]
        return record

    def to_yaml(self) -> str:
        """The candidates file: a header comment, then the proposals as YAML."""
        header = ("# Candidates proposed by kg suggest: NOT data. Check each against the document; copy what\n"
                  "# holds into relations.yaml (or add its citation to the statement it repeats) and delete its\n"
                  "# candidate field. Check this file with: kg validate --candidates FILE [DATA]\n")
        return header + yaml.dump(self.to_record(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def suggest(text: str, graph: KnowledgeGraph, *, source: str, date: str | None = None,
            document: str | None = None) -> Suggestions:
    """What ``text``, the document of ``source``, says about the entities of ``graph``.

    ``date`` is the document's date (by default the source's, when ``graph`` knows it);
    ``document`` names the document in the candidates file.

    >>> import kg
    >>> found = suggest("Russia backed the Syrian government. Russia fought HTS.", kg.load(), source="x")
    >>> [(m.entity, m.count) for m in found.mentions][:2]
    [('russia', 2), ('hts', 1)]
    """
    if date is None and source in graph.sources:
        date = graph.sources[source].date
    names = _name_index(graph)
    sentences = list(_sentences(text))
    counts: Counter = Counter()
    spellings: dict[str, dict[str, None]] = defaultdict(dict)
    candidates: dict[tuple, Candidate] = {}
    new_names: dict[str, list[str]] = defaultdict(list)
    for start, sentence in sentences:
        mentions = list(_mentions(sentence, names))
        for entity_id, begin, end in mentions:
            counts[entity_id] += 1
            spellings[entity_id][sentence[begin:end]] = None
        for phrase in _new_names(sentence, mentions, names):
            new_names[phrase].append(sentence)
        occurrence = _occurrence(text, sentence, start)
        for candidate in _candidates(sentence, occurrence, mentions, graph, date):
            candidates.setdefault((candidate.type, candidate.subject, candidate.object, sentence, occurrence),
                                  candidate)
    mentioned = tuple(Mention(entity_id, count, tuple(spellings[entity_id]))
                      for entity_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    proposed = tuple(NewName(name, len(found), tuple(dict.fromkeys(found))[:3])
                     for name, found in sorted(new_names.items(), key=lambda item: (-len(item[1]), item[0])))
    relations = tuple(_with_repeats(candidate, graph) for candidate in candidates.values())
    return Suggestions(source, document, mentioned, proposed, relations)


def suggest_document(document: str, graph: KnowledgeGraph, *, source: str | None = None) -> Suggestions:
    """``suggest`` on a UTF-8 text file, or on the text itself when ``document`` is no file
    but a sentence. The source is the one whose quotes the text holds, unless named.

    Raises ``KGError`` (a ``ValueError``) when no source is named and none is found, or the
    named one is not in ``graph``; ``OSError`` when a file cannot be read.

    >>> import kg
    >>> suggest_document("Russia backed the Syrian government.", kg.load(), source="x").relations[0].type
    'backs'
    """
    path = Path(document)
    if path.is_file() or not any(char.isspace() for char in document):
        text, name = path.read_bytes().decode("utf-8"), path.name
    else:
        text, name = document, None
    if source is None:
        source = _source_of(text, graph)
    return suggest(text, graph, source=source, document=name)


def _source_of(text: str, graph: KnowledgeGraph) -> str:
    """The id of the source whose citations' quotes the text holds most of."""
    found: Counter = Counter()
    for relation in graph.relations():
        for citation in relation.sources:
            found[citation.source] += citation.quote in text
    for entity in graph.entities.values():
        for citation in entity.sources:
            found[citation.source] += citation.quote in text
    best = found.most_common(1)
    if not best or best[0][1] == 0:
        raise SuggestError("no source of the data quotes this text; name its source with --source")
    return best[0][0]


# --------------------------------------------------------------------------- reading


def _name_index(graph: KnowledgeGraph) -> dict[tuple[str, ...], str]:
    """Folded word sequences of every entity's names and aliases -> entity id. A name
    outranks an alias, as in resolution; a spelling of several entities is left out."""
    index: dict[tuple[str, ...], str] = {}
    ambiguous: set[tuple[str, ...]] = set()
    for pick in ("names", "aliases"):
        taken = dict(index)
        for entity in sorted(graph.entities.values(), key=lambda entity: entity.id):
            spellings = [entity.name] if pick == "names" else list(entity.aliases)
            for spelling in spellings:
                key = _words(spelling)
                if not key or key in taken:
                    continue
                if index.get(key, entity.id) != entity.id:
                    ambiguous.add(key)
                index[key] = entity.id
    for key in ambiguous:
        del index[key]
    return index


def _words(text: str) -> tuple[str, ...]:
    return tuple(folded for folded in (normalize_name(word) for word in _WORD.findall(text)) if folded)


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of the text, without surrounding spaces."""
    at = 0
    for found in [*_SENTENCE_END.finditer(text), None]:
        end = found.start() if found else len(text)
        if found and text[found.start()] in "”\"’)":
            end += 1
        piece = text[at:end]
        stripped = piece.strip()
        if stripped:
            yield at + piece.index(stripped), stripped
        at = found.end() if found else len(text)


def _mentions(sentence: str, names: dict[tuple[str, ...], str]) -> Iterator[tuple[str, int, int]]:
    """(entity id, start, end) of each known name in the sentence, longest names first."""
    words = [(m.start(), m.end(), normalize_name(m.group())) for m in _WORD.finditer(sentence)]
    longest = max(map(len, names), default=0)
    at = 0
    while at < len(words):
        for length in range(min(longest, len(words) - at), 0, -1):
            entity_id = names.get(tuple(word[2] for word in words[at:at + length]))
            if entity_id is not None:
                yield entity_id, words[at][0], words[at + length - 1][1]
                at += length
                break
        else:
            at += 1


def _new_names(sentence: str, mentions: list, names: dict) -> Iterator[str]:
    """Capitalised phrases of the sentence that overlap no mention and name no entity."""
    covered = [(begin, end) for _, begin, end in mentions]
    for found in _NAME_PHRASE.finditer(sentence):
        phrase = found.group().strip("’'-")
        while phrase.split(" ", 1)[0].lower() in _COMMON_WORDS and " " in phrase:
            phrase = phrase.split(" ", 1)[1]
        first = phrase.split(" ", 1)[0].lower()
        if (first in _COMMON_WORDS or first in _MONTHS or first in _DAYS or len(phrase) < 3
                or (not sentence[:found.start()].strip("“\"‘'( ") and " " not in phrase)  # a sentence's first word
                or any(begin < found.end() and found.start() < end for begin, end in covered)
                or _words(phrase) in names):
            continue
        yield phrase


def _occurrence(text: str, sentence: str, start: int) -> int | None:
    """Which occurrence of the sentence in the text starts at ``start``; None when it is the only one."""
    if text.find(sentence, text.find(sentence) + 1) < 0:
        return None
    return text.count(sentence, 0, start) + 1


# --------------------------------------------------------------------------- candidate statements


@lru_cache(maxsize=4)
def _cue_patterns(relation_types: tuple) -> list[tuple[Any, str, bool, re.Pattern]]:
    """(relation type, cue phrase, whether the object comes first, pattern) for every cue."""
    found = []
    for relation_type in relation_types:
        for cue in relation_type.cues:
            phrase = cue.lstrip("~")
            pattern = re.escape(phrase) + r"\b" if phrase.startswith("-") else rf"\b{re.escape(phrase)}\b"
            found.append((relation_type, phrase, cue.startswith("~") or phrase.endswith(" by"), re.compile(pattern)))
    return found


def _candidates(sentence: str, occurrence: int | None, mentions: list, graph: KnowledgeGraph,
                date: str | None) -> Iterator[Candidate]:
    if len({entity for entity, _, _ in mentions}) < 2:
        return
    for relation_type, phrase, object_first, hit in _cue_hits(sentence.lower()):
        roles = (relation_type.domain, relation_type.range)
        pair = _ends(mentions, hit.start(), hit.end(), relation_type.symmetric, roles[::-1] if object_first else roles,
                     graph)
        if pair is None:
            continue
        subject, obj = reversed(pair) if object_first else pair
        direction = "either way" if relation_type.symmetric else "object first" if object_first else "subject first"
        status, claimed_by, hedge = _status(sentence, mentions, graph)
        start, end = _dates(sentence, date)
        yield Candidate(relation_type.name, subject, obj, sentence, occurrence, phrase, direction,
                        status, claimed_by, hedge, start, end, None if start or end else date)


def _cue_hits(lowered: str) -> list[tuple[Any, str, bool, re.Match]]:
    """Each cue found in the (lowercased) sentence; of overlapping cues of one type, the longest."""
    hits = [(relation_type, phrase, object_first, hit)
            for relation_type, phrase, object_first, pattern in _cue_patterns(tuple(RELATION_TYPES.values()))
            if phrase in lowered for hit in pattern.finditer(lowered)]
    return [(relation_type, phrase, object_first, hit) for relation_type, phrase, object_first, hit in hits
            if not any(other is relation_type and longer.start() <= hit.start() and hit.end() <= longer.end()
                       and longer.span() != hit.span() for other, _, _, longer in hits)]


def _ends(mentions: list, begin: int, end: int, symmetric: bool, roles: tuple, graph: KnowledgeGraph
          ) -> tuple[str, str] | None:
    """The nearest mention before a cue and the nearest after it whose kinds fit the roles
    (the domain and range, in the order the cue puts them); for a symmetric type with none
    before, the first two after it ("fighting between X and Y")."""
    before_kinds, after_kinds = (kinds_matching(role) for role in roles)
    kind = {entity: graph.entities[entity].kind for entity, _, _ in mentions}
    before = [entity for entity, _, stop in mentions if stop <= begin and kind[entity] in before_kinds]
    after = [entity for entity, start, _ in mentions if start >= end and kind[entity] in after_kinds]
    if before and after and before[-1] != after[0]:
        return before[-1], after[0]
    distinct = list(dict.fromkeys(after))
    if symmetric and not any(stop <= begin for _, _, stop in mentions) and len(distinct) >= 2:
        return distinct[0], distinct[1]
    return None


def _status(sentence: str, mentions: list, graph: KnowledgeGraph) -> tuple[str, str | None, str | None]:
    """(status, claimed_by, the hedge word) guessed from the sentence."""
    for status, pattern in _HEDGES:
        found = pattern.search(sentence)
        if found is None:
            continue
        if status != "claimed":
            return status, None, found.group()
        speaker = _speaker(found, mentions, graph)
        if speaker is not None:
            return "claimed", speaker, found.group()
    return "stated", None, None


def _speaker(verb: re.Match, mentions: list, graph: KnowledgeGraph) -> str | None:
    """The actor nearest the verb of saying: after "according to", else before the verb, else after."""
    actors = [(entity, start, end) for entity, start, end in mentions
              if ENTITY_KINDS[graph.entities[entity].kind].category == "actor"]
    before = [entity for entity, _, end in actors if end <= verb.start()]
    after = [entity for entity, start, _ in actors if start >= verb.end()]
    if verb.group().lower() == "according to":
        return after[0] if after else None
    return before[-1] if before else after[0] if after else None


def _dates(sentence: str, document_date: str | None) -> tuple[str | None, str | None]:
    """(start, end) from the first date in the sentence: an end after "until", else a start."""
    for pattern, (year, month, day) in _DATES:
        found = pattern.search(sentence)
        if found is None or (year is None and not document_date):
            continue
        value = found[year] if year else document_date[:4]
        if month:
            value += f"-{_MONTHS[found[month].lower()]:02d}"
        if day:
            value += f"-{int(found[day]):02d}"
        if check_date(value):  # no such day (30 February)
            continue
        return (None, value) if _UNTIL.search(sentence[:found.start(1)]) else (value, None)
    return None, None


def _with_repeats(candidate: Candidate, graph: KnowledgeGraph) -> Candidate:
    """The candidate, marked with the id of a statement in the graph that it repeats."""
    same = graph.relations(subject=candidate.subject, object=candidate.object)
    ids = sorted(relation.id for relation in same if relation.type == candidate.type)
    return candidate._replace(repeats=ids[0]) if ids else candidate
