"""Commands that ask the graph a question: show, relations, supports, path, diff, balance, stats, search."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional

import typer

from kg.cli.core import (
    AS_OF,
    DATA,
    ENDPOINT,
    FORMAT,
    GRAPH_NAME,
    QUOTES,
    STATUSES_OPTION,
    STRICT,
    command,
    emit,
    entity_argument,
    entity_option,
    load_graph,
    given_date,
    positive_count,
    type_option,
    values,
)
from kg.dates import HELD
from kg.graph import KnowledgeGraph


@command()
def show(
    name: str = entity_argument(..., help="An entity's id, name or alias."),
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    as_of: Optional[str] = AS_OF,
    strict: bool = STRICT,
    format: str = FORMAT,
) -> None:
    """Everything the graph says about one entity, grouped by relation type.

    \b
    Examples:
      kg show Türkiye
      kg show "hayat tahrir al sham" --as-of 2016-12-01
    """
    card = load_graph(data, endpoint, graph_name, whole=True).card(name, as_of=as_of, strict=strict)
    record = card.to_record()
    emit(record["relations"], format, document=record, text=card.text())


@command()
def relations(
    type: Optional[str] = type_option("Relation type."),
    subject: Optional[str] = entity_option("--subject", "-s", help="Subject: id, name or alias."),
    object: Optional[str] = entity_option("--object", "-o", help="Object: id, name or alias."),
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    as_of: Optional[str] = AS_OF,
    strict: bool = STRICT,
    format: str = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """Statements matching a type, subject and object, with their sources.

    Symmetric types match either way. With --as-of, those that held on that date come first,
    then those that may have held.

    \b
    Examples:
      kg relations --type controls --object Aleppo
      kg relations -t blocks --quotes
    """
    graph = load_graph(data, endpoint, graph_name)
    found = graph.relations(type, subject, object, as_of=as_of, statuses=values(status), strict=strict)
    emit(found, format, "no relations found", quotes)


@command()
def supports(
    supporter: Optional[str] = entity_option("--supporter", help="Who gives support."),
    supported: Optional[str] = entity_option("--supported", help="Who receives it."),
    against: Optional[str] = entity_option("--against", help="Against whom."),
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    as_of: Optional[str] = AS_OF,
    explicit: bool = typer.Option(False, "--explicit", help="Only answers a backs statement states (basis explicit)."),
    strict: bool = STRICT,
    format: str = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """Who supports whom against whom, with the statements each answer rests on.

    Explicit answers come first, then derived ones with the chain they were derived through
    (backs + fights, or into a group's members), with sources.
    Piped as jsonl or csv, answers are written as they are found: explicit ones that held at
    once, the others (kept in temporary files) after them, in the same order.

    \b
    Examples:
      kg supports --against HTS
      kg supports --supporter Russia --format csv
    """
    graph = load_graph(data, endpoint, graph_name)
    ask = graph.iter_supports if isinstance(graph, KnowledgeGraph) else graph.supports
    found = ask(supporter, supported, against, as_of=as_of, statuses=values(status), explicit=explicit, strict=strict)
    emit(found, format, "no supports found", quotes, rank=standing)


def standing(answer: Any) -> int:
    """Explicit answers first (0 and 1), then derived (2 and 3); in each, those that held first."""
    return 2 * (answer.basis != "explicit") + (answer.holding != HELD)


@command()
def path(
    source: str = entity_argument(..., metavar="FROM", help="Where the path starts: id, name or alias."),
    target: str = entity_argument(..., metavar="TO", help="Where it ends."),
    type: Optional[List[str]] = type_option("Follow only this type (repeat for several)."),
    max_length: int = typer.Option(4, "--max-length", "-n", metavar="N", parser=positive_count,
                                   help="Longest path, in hops."),
    limit: int = typer.Option(20, "--limit", metavar="N", parser=positive_count, help="At most this many paths."),
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    as_of: Optional[str] = AS_OF,
    strict: bool = STRICT,
    format: str = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """How two entities are connected: simple paths, shortest first, with a signed reading.

    With --as-of, whether each held or only may have held on that date (the paths that held first).

    \b
    Examples:
      kg path HTS Russia
      kg path SDF Iran --type backs --type fights --max-length 3
    """
    graph = load_graph(data, endpoint, graph_name)
    found = graph.paths(source, target, values(type), max_length, as_of=as_of, statuses=values(status),
                        limit=limit, strict=strict)
    nothing = (f"no path between {graph.resolve(source).id!r} and {graph.resolve(target).id!r} "
               f"within {max_length} hops")
    emit(found, format, nothing, quotes)


@command()
def diff(
    since: str = typer.Argument(..., metavar="SINCE", parser=given_date,
                                help="The earlier date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: str = typer.Argument(..., metavar="UNTIL", parser=given_date, help="The later date."),
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    strict: bool = typer.Option(False, "--strict", help="Only changes surely in the window, not those whose "
                                "vague date may fall in it."),
    format: str = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """What changed between two dates: statements that began or ended (or may have).

    \b
    Examples:
      kg diff 2024-11-26 2024-12-08
      kg diff 2016 2024 --format jsonl
    """
    graph = load_graph(data, endpoint, graph_name, whole=True)
    found = graph.diff(since, until, statuses=values(status), strict=strict)
    emit(found, format, f"no statements began or ended between {since} and {until}", quotes)


@command()
def balance(
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    as_of: Optional[str] = AS_OF,
    strict: bool = STRICT,
    format: str = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """Unbalanced triangles of actors in the signed network: the friend of my friend is my enemy.

    With --as-of, whether each held or only may have held on that date (those that held first).

    \b
    Examples:
      kg balance
      kg balance --as-of 2024-12-01 --quotes
    """
    graph = load_graph(data, endpoint, graph_name, whole=True)
    found = graph.balance(as_of=as_of, statuses=values(status), strict=strict)
    emit(found, format, "no unbalanced triangles", quotes)


@command()
def stats(data: Optional[Path] = DATA, endpoint: Optional[str] = ENDPOINT, graph_name: Optional[str] = GRAPH_NAME,
          format: str = FORMAT) -> None:
    """Counts of entities and statements by kind, type, status and source.

    \b
    Examples:
      kg stats
      kg stats --format json
    """
    counts = load_graph(data, endpoint, graph_name, whole=True).stats()
    rows = [{"group": group, "name": name, "count": count}
            for group, table in counts.items() for name, count in table.items()]
    emit(rows, format, document=counts)


@command()
def search(
    text: str = typer.Argument(..., metavar="TEXT", help="Part of a name, alias or id; typos are forgiven."),
    limit: int = typer.Option(10, "--limit", metavar="N", parser=positive_count, help="At most this many matches."),
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    format: str = FORMAT,
) -> None:
    """Find entities by name, alias or id, best match first.

    \b
    Examples:
      kg search hezbollah
      kg search aleppo --limit 3
    """
    found = load_graph(data, endpoint, graph_name).search(text, limit)
    emit(found, format, f"nothing matches {text!r}")
