"""KnowledgeGraph: the loaded records and the indexes that answer lookups without scans."""

from __future__ import annotations

import os
import warnings
from collections import Counter
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from kg import indexes
from kg.columns import Columnar
from kg.dates import Bound, date_argument
from kg.errors import UnknownEntityError
from kg.model import Entity, Figure, Relation, Source
from kg.names import NameIndex
from kg.results import Results
from kg.vocabulary import CATEGORIES, RELATION_TYPES, STATUSES, term_arguments

if TYPE_CHECKING:
    from kg import query
    import networkx
    import rdflib

__all__ = ["KnowledgeGraph"]

class KnowledgeGraph:
    """Entities, relations and sources, indexed by id, name, type, subject and object.

    A KnowledgeGraph never changes after it is built; filters such as ``as_of`` return a
    new one, whose ``date`` is the day it was filtered to (None for a whole graph).
    Arguments that name an entity take an id, a name or an alias.

    >>> import kg
    >>> g = kg.load()
    >>> g.resolve("TURKIYE").name
    'Türkiye'
    """

    def __init__(self, entities: Mapping[str, Entity], relations: Iterable[Relation] | Columnar,
                 sources: Mapping[str, Source], *, date: str | None = None):
        set_ = object.__setattr__
        set_(self, "date", date)
        set_(self, "_entities", MappingProxyType(dict(entities)))
        set_(self, "_sources", MappingProxyType(dict(sources)))
        set_(self, "_held", relations if isinstance(relations, Columnar) else Columnar.of(relations))

    @cached_property
    def _relations(self) -> tuple[Relation, ...]:
        return self._held.records()  # made on first use when loaded from the cache (see kg.columns)

    def __reduce__(self) -> tuple:
        return _rebuilt, (dict(self._entities), self._relations, dict(self._sources), self.date)

    def __copy__(self) -> "KnowledgeGraph":
        return self  # it never changes

    @cached_property
    def _by_subject(self) -> dict[str, list[Relation]]:
        return indexes.grouped(self._relations, 2)

    @cached_property
    def _by_object(self) -> dict[str, list[Relation]]:
        return indexes.grouped(self._relations, 3)

    @cached_property
    def _by_type(self) -> dict[str, list[Relation]]:
        return indexes.grouped(self._relations, 1)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a KnowledgeGraph cannot be changed; filters return a new one")

    # ------------------------------------------------------------------ records

    @property
    def entities(self) -> Mapping[str, Entity]:
        """Every entity by id (read-only)."""
        return self._entities

    @property
    def sources(self) -> Mapping[str, Source]:
        """Every source by id (read-only)."""
        return self._sources

    def relation(self, relation_id: str) -> Relation:
        """The relation with this id.

        >>> import kg
        >>> g = kg.load()
        >>> rid = g.relations()[0].id
        >>> g.relation(rid).id == rid
        True
        """
        try:
            return self._relations_by_id[relation_id]
        except KeyError:
            raise UnknownEntityError(relation_id) from None

    def counts(self) -> dict[str, int]:
        """How many actors, places, events, relations, sources and figures the graph holds.

        >>> import kg
        >>> list(kg.load().counts())
        ['actors', 'places', 'events', 'relations', 'sources', 'figures']
        """
        categories = Counter(entity.category for entity in self._entities.values())
        return {
            **{f"{name}s": categories[name] for name in CATEGORIES},
            "relations": len(self),
            "sources": len(self._sources),
            "figures": sum(len(entity.figures) for entity in self._entities.values())
            + self._held.figure_count(),
        }

    def __len__(self) -> int:
        return len(self._held)

    def __repr__(self) -> str:
        return (f"<KnowledgeGraph: {len(self._entities)} entities, {len(self)} relations, "
                f"{len(self._sources)} sources>")

    def _repr_html_(self) -> str:
        counts = "".join(f"<tr><td>{name}</td><td>{count:,}</td></tr>" for name, count in self.counts().items())
        return ("<p><strong>KnowledgeGraph</strong>: ask it <code>.supports(against=...)</code>, "
                "<code>.paths(a, b)</code>, <code>.card(name)</code>, <code>.relations(type, subject, object)</code>, "
                "<code>.diff(since, until)</code>, <code>.balance()</code>; <code>.as_of(date)</code> for one day.</p>"
                f"<table><tbody>{counts}</tbody></table>")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeGraph):
            return NotImplemented
        return (self._entities == other._entities and self._sources == other._sources
                and self._relations_by_id == other._relations_by_id)

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ names

    def resolve(self, name: str) -> Entity:
        """The entity an id, name or alias refers to, ignoring case, accents, punctuation and spaces.

        An id written exactly resolves to its entity. Otherwise ids and names rank alike (the
        id ``turkiye`` and another entity named ``Turkiye`` make ``"Turkiye"`` ambiguous) and
        outrank aliases, with a ``NameMatchWarning`` when the text is also another entity's
        alias. A name that matches none but is close to one entity only (``Hezbollah`` for
        ``Hizbollah``) resolves to it, with a ``NameMatchWarning`` saying so. Raises
        ``UnknownEntityError`` with suggestions when nothing is close, and
        ``AmbiguousEntityError`` (a subclass) when a name fits several entities.

        >>> import kg
        >>> kg.load().resolve("hayat tahrir al sham").id
        'hts'
        """
        return self._names.resolve(name, stacklevel=3)

    @cached_property
    def _names(self) -> NameIndex:
        return NameIndex(self._entities)

    def entity_id(self, name: str | None) -> str | None:
        """The id of the entity a name refers to (see ``resolve``); None stays None.

        >>> import kg
        >>> kg.load().entity_id("Hayat Tahrir al-Sham"), kg.load().entity_id(None)
        ('hts', None)
        """
        return None if name is None else self.resolve(name).id

    # ------------------------------------------------------------------ relations

    @cached_property
    def _relations_by_id(self) -> dict[str, Relation]:
        return {relation.id: relation for relation in self._relations}

    def relations(
        self,
        type: str | None = None,
        subject: str | None = None,
        object: str | None = None,
        *,
        as_of: str | date | None = None,
        statuses: str | Iterable[str] | None = None,
        strict: bool = False,
        status: str | Iterable[str] | None = None,
    ) -> Results[Relation]:
        """Relations matching every given filter, in the order of the data files.

        ``subject`` and ``object`` take ids, names or aliases; a symmetric type matches
        either direction. ``statuses`` keeps one status or any of several (``status=``, its
        old spelling, still works and warns). ``as_of`` keeps
        what held on that date and what may have held (an undated statement, a vague or
        unknown bound: see ``kg.dates``), those that held first; each answer's record then
        says which (``holding``); ``strict`` keeps only those that held.

        >>> import kg
        >>> g = kg.load()
        >>> all(r.type == "fights" for r in g.relations("fights", subject="HTS"))
        True
        >>> {r.holding("2016") for r in g.relations(as_of="2016", strict=True)}
        {'held'}
        """
        subject_id, object_id = self.entity_id(subject), self.entity_id(object)
        if status is not None:
            statuses = _old_spelling(status, statuses)
        statuses = term_arguments("status", statuses, STATUSES)
        when = date_argument(as_of)
        term_arguments("relation type", type, RELATION_TYPES)
        found = [
            relation
            for relation in self._candidates(type, subject_id, object_id)
            if (type is None or relation.type == type)
            and indexes.connects(relation, subject_id, object_id)
            and (statuses is None or relation.status in statuses)
        ]
        if when is None:
            return Results(found)
        return Results(indexes.on(found, when, strict), as_of=when)

    def _candidates(self, type: str | None, subject: str | None, object: str | None) -> Iterable[Relation]:
        """The smallest index list that holds every match, in data order."""
        if subject is None and object is None:
            return self._by_type.get(type, ()) if type is not None else self._relations
        anchor = subject if subject is not None else object
        touching = {id(r): r for r in (*self._by_subject.get(anchor, ()), *self._by_object.get(anchor, ()))}
        order = self._position
        return sorted(touching.values(), key=lambda relation: order[relation.id])

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value derived from this graph, computed on first use and kept with it (the query
        modules keep their indexes here). The graph never changes, so nothing kept goes stale;
        ``key`` names the value and ``compute`` makes it.

        >>> import kg
        >>> g = kg.load()
        >>> g.memo("relation count", lambda: len(g)) == g.memo("relation count", list) == len(g)
        True
        """
        kept = self._memos
        if key not in kept:
            kept[key] = compute()
        return kept[key]

    @cached_property
    def _memos(self) -> dict[str, Any]:
        return {}

    @cached_property
    def _position(self) -> dict[str, int]:
        return {relation.id: index for index, relation in enumerate(self._relations)}

    def touching(self, entity_id: str) -> list[Relation]:
        """The relations with the entity (an id) at either end, in no particular order: the
        fast adjacency that searches walk (``neighbours`` resolves names and keeps data order).

        >>> import kg
        >>> all("hts" in (r.subject, r.object) for r in kg.load().touching("hts"))
        True
        """
        return self._by_subject.get(entity_id, []) + self._by_object.get(entity_id, [])

    def neighbours(self, name: str) -> Results[Relation]:
        """Every relation in which the entity stands as subject or object.

        >>> import kg
        >>> g = kg.load()
        >>> all("hts" in (r.subject, r.object) for r in g.neighbours("HTS"))
        True
        """
        entity_id = self.resolve(name).id
        return Results(self._candidates(None, entity_id, None))

    # ------------------------------------------------------------------ figures

    @cached_property
    def _figures_by_about(self) -> dict[str, list[Figure]]:
        return indexes.figures_by_about((*self._entities.values(), *self._relations))

    def figures(self, about: str | None = None) -> list[Figure]:
        """Sourced figures, all of them or those about one entity (by name) or relation (by id).

        >>> import kg
        >>> g = kg.load()
        >>> all(f.value >= 0 for f in g.figures())
        True
        """
        if about is None:
            return [figure for figures in self._figures_by_about.values() for figure in figures]
        key = about if about in self._relations_by_id else self.resolve(about).id
        return list(self._figures_by_about.get(key, ()))

    # ------------------------------------------------------------------ views

    def as_of(self, when: str | date, *, strict: bool = False) -> "KnowledgeGraph":
        """A new graph with the relations that held on a date, or may have held (an undated
        statement, a vague or unknown bound); ``strict`` keeps only those that held. The
        view's ``date`` is that day, and its networkx edges say which held (``holding``).

        >>> import kg
        >>> g = kg.load()
        >>> view = g.as_of("2016-12-01", strict=True)
        >>> view.date, {r.holding(view.date) for r in view.relations()}
        ('2016-12-01', {'held'})
        >>> len(view) < len(g.as_of("2016-12-01")) < len(g)
        True
        """
        day = date_argument(when)
        return KnowledgeGraph(self._entities, indexes.on(self._relations, day, strict), self._sources, date=day)

    def to_networkx(self) -> "networkx.MultiDiGraph":
        """A new networkx MultiDiGraph: a node per entity, an edge per relation (keyed by id).

        Nodes carry ``name``, ``kind`` and ``category``; edges ``type``, ``sign``,
        ``symmetric``, their other edge fields (``start``, ``end``, ``status``, ``against``,
        ``support``, ``place``, ``role``: ``kg.model.edge_fields``) and ``sources`` (a list
        of ``{"source", "quote"}``); on a view made by ``as_of``,
        also ``holding``: ``held`` or ``may have held`` on the view's date.

        >>> import kg
        >>> nxg = kg.load().to_networkx()
        >>> nxg.nodes["hts"]["kind"]
        'armed-group'
        """
        from kg.export.network import networkx_graph

        return networkx_graph(self)

    # ------------------------------------------------------------------ RDF and exports (imported when used)

    def to_rdf(self, **options: Any) -> "rdflib.Graph":
        """The graph as an rdflib Graph; see ``kg.rdf.to_rdf``."""
        from kg import rdf

        return rdf.to_rdf(self, **options)

    def serialize(self, format: str = "turtle", **options: Any) -> str:
        """The graph as text in an export format (turtle, nt, jsonld, graphml, gexf, csv); see ``kg.export``."""
        from kg import export

        return export.serialize(self, format, **options)

    def write(self, path: str | os.PathLike, format: str | None = None, **options: Any) -> Path:
        """Export the graph to a file, atomically, the format from the suffix; see ``kg.export.write``."""
        from kg import export

        return export.write(self, path, format, **options)

    def sparql(self, query: str, /, *, federated: bool = False, timeout: float | None = None,
               **bindings: Any) -> list[dict[str, Any]]:
        """The rows of a SPARQL SELECT query, values passed as bindings; see ``kg.rdf.sparql``."""
        from kg import rdf

        return rdf.sparql(self, query, federated=federated, timeout=timeout, **bindings)

    def sparql_rows(self, query: str, /, **options: Any) -> Iterator[dict[str, Any]]:
        """``sparql``'s rows one at a time, as the engine finds them; see ``kg.rdf.sparql.sparql_rows``."""
        from kg import rdf

        return rdf.sparql_rows(self, query, **options)

    def push(self, endpoint: Any, graph: str | None = None, **options: Any) -> Any:
        """Put the graph, the ontology and its support answers on a SPARQL server; see ``kg.rdf.push.push``."""
        from kg.rdf.push import push

        return push(self, endpoint, graph, **options)

    # ------------------------------------------------------------------ questions (kg.query)

    def supports(self, supporter: str | None = None, supported: str | None = None, against: str | None = None,
                 *, as_of: str | date | None = None, statuses: Iterable[str] | None = None,
                 explicit: bool = False, strict: bool = False) -> Results[query.Support]:
        """Who supports whom against whom; see ``kg.query.supports``."""
        from kg import query

        return query.supports(self, supporter, supported, against, as_of=as_of, statuses=statuses,
                              explicit=explicit, strict=strict)

    def iter_supports(self, supporter: str | None = None, supported: str | None = None, against: str | None = None,
                      *, as_of: str | date | None = None, statuses: Iterable[str] | None = None,
                      explicit: bool = False, strict: bool = False) -> Iterator[query.Support]:
        """The answers of ``supports`` one at a time, each made when asked for; see ``kg.query.iter_supports``."""
        from kg import query

        return query.iter_supports(self, supporter, supported, against, as_of=as_of, statuses=statuses,
                                   explicit=explicit, strict=strict)

    def paths(self, source: str, target: str, types: Iterable[str] | None = None, max_length: int = 4, *,
              as_of: str | date | None = None, statuses: Iterable[str] | None = None,
              limit: int | None = 100, strict: bool = False) -> Results[query.Path]:
        """Simple paths between two entities, shortest first; see ``kg.query.paths``."""
        from kg import query

        return query.paths(self, source, target, types, max_length, as_of=as_of, statuses=statuses, limit=limit,
                           strict=strict)

    def shortest_path(self, source: str, target: str, types: Iterable[str] | None = None,
                      max_length: int = 6, **options: Any) -> query.Path:
        """The shortest path, or ``NoPathError``; see ``kg.query.shortest_path``."""
        from kg import query

        return query.shortest_path(self, source, target, types, max_length, **options)

    def allies(self, name: str, *, as_of: str | date | None = None,
               statuses: Iterable[str] | None = None, strict: bool = False) -> Results[query.Tie]:
        """Entities tied to ``name`` by cooperative statements; see ``kg.query.allies``."""
        from kg import query

        return query.allies(self, name, as_of=as_of, statuses=statuses, strict=strict)

    def enemies(self, name: str, *, as_of: str | date | None = None,
                statuses: Iterable[str] | None = None, strict: bool = False) -> Results[query.Tie]:
        """Entities tied to ``name`` by hostile statements; see ``kg.query.enemies``."""
        from kg import query

        return query.enemies(self, name, as_of=as_of, statuses=statuses, strict=strict)

    def card(self, name: str, *, as_of: str | date | None = None, strict: bool = False) -> query.Card:
        """Everything about one entity; see ``kg.query.card``."""
        from kg import query

        return query.card(self, name, as_of=as_of, strict=strict)

    def balance(self, *, as_of: str | date | None = None, statuses: Iterable[str] | None = None,
                strict: bool = False) -> Results[query.Triangle]:
        """Unbalanced triangles of actors; see ``kg.query.balance``."""
        from kg import query

        return query.balance(self, as_of=as_of, statuses=statuses, strict=strict)

    def diff(self, since: str | date, until: str | date, *,
             statuses: Iterable[str] | None = None, strict: bool = False) -> Results[query.Change]:
        """Statements that began or ended between two dates; see ``kg.query.diff``."""
        from kg import query

        return query.diff(self, since, until, statuses=statuses, strict=strict)

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts by type, status, kind and source; see ``kg.query.stats``."""
        from kg import query

        return query.stats(self)

    def search(self, text: str, limit: int = 10) -> Results[query.Match]:
        """Entities whose names resemble ``text``; see ``kg.query.search``."""
        from kg import query

        return query.search(self, text, limit)

    # ------------------------------------------------------------------ dates

    @cached_property
    def _by_start(self) -> indexes.Moments:
        return indexes.sorted_by(self._relations, "start")

    @cached_property
    def _by_end(self) -> indexes.Moments:
        return indexes.sorted_by(self._relations, "end")

    def starting(self, after: date, until: date) -> list[tuple[Bound, Relation]]:
        """Relations whose start may fall after ``after`` and on or before ``until``, each with
        the days its start may fall on; undated statements and open starts never are.

        >>> import kg
        >>> from datetime import date
        >>> began = kg.load().starting(date(2024, 11, 26), date(2024, 11, 27))
        >>> all(moment.high > date(2024, 11, 26) for moment, _ in began)
        True
        """
        return indexes.starting(self._by_start, after, until)

    def ending(self, since: date, before: date) -> list[tuple[Bound, Relation]]:
        """Relations whose end may fall on or after ``since`` and before ``before``, each with
        the days its end may fall on; undated statements and open ends never are.

        >>> import kg
        >>> from datetime import date
        >>> ended = kg.load().ending(date(2024, 11, 29), date(2024, 11, 30))
        >>> all(moment.high >= date(2024, 11, 29) for moment, _ in ended)
        True
        """
        return indexes.ending(self._by_end, since, before)


def _rebuilt(entities: dict[str, Entity], relations: tuple[Relation, ...], sources: dict[str, Source],
             date: str | None) -> KnowledgeGraph:
    """A graph made again from what ``__reduce__`` kept (pickling, deep copies)."""
    return KnowledgeGraph(entities, relations, sources, date=date)


def _old_spelling(status: str | Iterable[str], statuses: str | Iterable[str] | None) -> str | Iterable[str]:
    if statuses is not None:
        raise TypeError("relations() takes statuses= (or its old spelling status=), not both")
    warnings.warn("relations(status=...) is deprecated; use statuses=..., as the other questions do",
                  DeprecationWarning, stacklevel=3)
    return status
