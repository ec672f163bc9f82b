"""Checks across records: references name known records of the right kind; no within/part-of cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from kg._words import article, or_list
from kg.vocabulary import RELATION_TYPES, kinds_matching

if TYPE_CHECKING:
    from kg.folder.session import Reference, Session

__all__ = ["check_cycles", "check_reference"]

def check_reference(session: Session, ref: Reference) -> None:
    namespace = "source" if ref.is_source else "entity"
    known = session.sources if ref.is_source else session.entities
    record = known.get(ref.target)
    if record is None:
        # Skip ids defined by records with problems of their own, and every unknown id when
        # a file could not be parsed: it may hold them.
        if (namespace, ref.target) not in session.defined_at and not session.unreadable:
            _add(session, ref, f"{ref.field} '{ref.target}' is not a known {namespace}"
                               f"{session.suggest(ref.target, known)}")
    elif ref.expected and record.kind not in kinds_matching(ref.expected):
        owner = f" of '{ref.owner}'" if ref.owner else ""
        _add(session, ref, f"{ref.field} '{ref.target}'{owner} is {article(record.kind)}; "
                           f"expected {_alternatives(ref.expected)}")


def check_cycles(session: Session, statements: Iterable[tuple[str, str, str, str]] | None = None) -> None:
    """Report places that lie within themselves and bodies that are part of themselves,
    through any chain of ``within`` or of statements of an acyclic type (``part-of``).
    ``statements`` are the (id, type, subject, object) of every relation in file order
    (by default the session's relations; a reload gives them from the cache's columns)."""
    chains: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
        "within": {e.id: {e.within: ("entity", e.id)} for e in session.entities.values() if e.within}}
    acyclic = {name for name, relation_type in RELATION_TYPES.items() if relation_type.acyclic}
    if statements is None:
        statements = (relation[:4] for relation in session.relations.values())
    for relation_id, type_name, subject, object_ in statements:
        if type_name in acyclic:
            links = chains.setdefault(type_name, {})
            links.setdefault(subject, {})[object_] = ("relation", relation_id)
    for name, links in chains.items():
        for cycle in _cycles(links):
            file, line = session.defined_at[links[cycle[0]][cycle[1 % len(cycle)]]]
            session.add(file, line, 1, f"{name} forms a cycle: {' -> '.join([*cycle, cycle[0]])}")


def _cycles(links: dict[str, dict[str, Any]]) -> list[list[str]]:
    """Cycles of a directed graph, found in linear time by a depth-first search (one for
    each edge that leads back into the current path), each from its smallest node."""
    done: set[str] = set()
    found: dict[frozenset[str], list[str]] = {}
    for root in sorted(links):
        if root in done:
            continue
        path, on_path = [root], {root}
        branches = [iter(sorted(links.get(root, ())))]
        while branches:
            following = next(branches[-1], None)
            if following is None:
                branches.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif following in on_path:
                cycle = path[path.index(following):]
                smallest = cycle.index(min(cycle))
                found.setdefault(frozenset(cycle), cycle[smallest:] + cycle[:smallest])
            elif following not in done:
                path.append(following)
                on_path.add(following)
                branches.append(iter(sorted(links.get(following, ()))))
    return sorted(found.values())


def _add(session: Session, ref: Reference, message: str) -> None:
    """Report a reference's problem; one from a record read without marks marks the record
    to be read again with them (and then reported where it is)."""
    if not ref.line and ref.record is not None and session.marked:
        session.needs.add((ref.file, ref.record))
        return
    session.add(ref.file, ref.line, ref.column, message)


def _alternatives(names: Iterable[str]) -> str:
    return or_list([article(name) for name in names])
