"""Commands that move the graph in and out as RDF and other formats: export, query, store, push."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from kg.cli.core import (
    AS_OF,
    DATA,
    ENDPOINT,
    FORMAT,
    GRAPH_NAME,
    choice_option,
    command,
    emit,
    given_path,
    load_graph,
)
from kg.files import read_regular_file
from kg.formats import DEFAULT_BASE, names
from kg.terminal import busy

#: The query helpers shipped in ``kg/rdf/queries`` (``kg.rdf.sparql.QUERY_NAMES``; a test holds them equal).
QUERY_NAMES = ("as_of", "paths", "relations", "support_answers", "supports")


@command()
def export(
    format: Optional[str] = choice_option(
        None, "--format", "-f", what="export format", choices=names("write"), metavar="FORMAT",
        help="Export format (default: from the output file's suffix, else turtle)."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="FILE", parser=given_path,
        help="File to write, atomically (default: standard output)."),
    base: str = typer.Option(DEFAULT_BASE, "--base", metavar="IRI",
                             help="Base IRI of entities, sources and statements."),
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
) -> None:
    """Export the graph as Turtle, N-Triples, JSON-LD, GraphML, GEXF or a CSV edge list.

    \b
    Examples:
      kg export -o kg.ttl
      kg export --format gexf -o kg.gexf
    """
    graph = load_graph(data)
    if as_of is not None:
        graph = graph.as_of(as_of)
    if output is None:
        with busy(f"exporting as {format or 'turtle'}"):
            text = graph.serialize(format or "turtle", base=base)
        typer.echo(text, nl=False)
    else:
        with busy(f"writing {output}"):
            written = graph.write(output, format, base=base)
        typer.echo(f"wrote {written}")


@command()
def query(
    sparql: str = typer.Argument(
        ..., metavar="SPARQL", help=f"A SPARQL SELECT query: its text, a file holding it, or a query shipped with kg "
                  f"({', '.join(QUERY_NAMES)})."),
    entity: Optional[List[str]] = typer.Option(
        None, "--entity", "-e", metavar="VAR=NAME", help="VAR=NAME: bind ?VAR to an entity (an id, name or alias)."),
    bind: Optional[List[str]] = typer.Option(None, "--bind", "-b", metavar="VAR=TEXT",
                                             help="VAR=TEXT: bind ?VAR to a text value."),
    store: Optional[Path] = typer.Option(
        None, "--store", metavar="DIR", parser=given_path,
        help="Query an on-disk store made by 'kg store' instead of the YAML data."),
    federated: bool = typer.Option(
        False, "--federated", help="Allow SERVICE, which sends parts of the query to other servers (off by default)."),
    timeout: Optional[float] = typer.Option(
        None, "--timeout", metavar="SECONDS",
        help="Stop the query after this many seconds (default: $KG_QUERY_TIMEOUT, else 300; 0: no limit)."),
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    format: str = FORMAT,
) -> None:
    """Run a SPARQL SELECT query over the graph; values reach it only as bindings.

    \b
    Examples:
      kg query supports
      kg query relations --entity subject=HTS --format csv
    """
    from kg.rdf import Store

    on_disk = Store(_existing(store), read_only=True) if store is not None else None
    graph = load_graph(data, endpoint, graph_name) if on_disk is None or entity else None
    text = sparql
    if sparql in QUERY_NAMES:
        from kg.rdf import query_text

        text = query_text(sparql)
    elif _is_query_file(sparql):
        text = read_regular_file(sparql).decode("utf-8")
    bindings = {name: graph.resolve(value) for name, value in _pairs(entity, "--entity")}
    bindings.update(_pairs(bind, "--bind"))
    options = {"federated": federated, "timeout": timeout}
    rows = (on_disk if on_disk is not None else graph).sparql_rows(text, **options, **bindings)
    emit(rows, format, "the query returned no rows", streamed=True)


@command()
def store(
    folder: Path = typer.Argument(..., metavar="DIR", parser=given_path,
                                  help="Folder of the on-disk store (created or replaced)."),
    rdf: Optional[Path] = typer.Option(
        None, "--rdf", metavar="FILE", parser=given_path,
        help="Fill it from an RDF export (Turtle, N-Triples, JSON-LD) instead of the YAML data."),
    data: Optional[Path] = DATA,
) -> None:
    """Put the graph in an on-disk Oxigraph store, for 'kg query --store' on graphs past memory.

    \b
    Examples:
      kg store kg-store
      kg query supports --store kg-store
    """
    from kg.rdf import Store

    graph = load_graph(data) if rdf is None else None
    with busy(f"storing in {folder}"):
        made = Store.load(folder, _existing(rdf)) if graph is None else Store.create(folder, graph)
        counts = made.counts()
    typer.echo(f"stored {len(made)} triples in {folder}: {counts['graph']} of the graph, as many as its RDF export "
               f"holds, and {counts['ontology']} of kg's ontology")


def _is_query_file(argument: str) -> bool:
    """Whether a query argument names a file rather than being the query's text."""
    if "{" in argument or "\n" in argument:
        return False  # query text: never tried as a file name (which may be too long for one)
    try:
        return Path(argument).is_file()
    except (OSError, ValueError):
        return False


@command()
def push(
    endpoint: str = typer.Option(..., "--endpoint", envvar="KG_ENDPOINT", metavar="URL",
                                 help="The server's SPARQL query address (credentials: KG_ENDPOINT_USER and "
                                      "KG_ENDPOINT_PASSWORD, or ~/.netrc)."),
    graph_name: Optional[str] = GRAPH_NAME,
    update: Optional[str] = typer.Option(None, "--update", metavar="URL",
                                         help="Its SPARQL Update address (default: the same)."),
    graph_store: Optional[str] = typer.Option(
        None, "--graph-store", metavar="URL",
        help="Its Graph Store Protocol address (default: beside an address ending in /query, else none: "
             "SPARQL Update loads)."),
    base: str = typer.Option(DEFAULT_BASE, "--base", metavar="IRI",
                             help="Base IRI of entities, sources and statements."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be pushed; contact no server."),
    data: Optional[Path] = DATA,
) -> None:
    """Put the graph, the ontology and the support answers in a named graph on a SPARQL server.

    \b
    Examples:
      kg push --endpoint http://127.0.0.1:7878/query --dry-run
      kg push --endpoint http://127.0.0.1:8890/sparql-auth --graph https://example.org/kg --dry-run
    """
    from kg.rdf.endpoint import Endpoint
    from kg.rdf.push import default_graph, push as put, triple_count

    server, graph = Endpoint(endpoint, update=update, store=graph_store), load_graph(data)
    if dry_run:
        typer.echo(f"would push {triple_count(graph, base)} triples to <{graph_name or default_graph(base)}> "
                   f"at {server.url}")
        return
    done = put(graph, server, graph_name, base=base)
    typer.echo(f"pushed {done.triples} triples to <{done.graph}> at {done.endpoint}")


def _existing(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    return path


def _pairs(options: Optional[List[str]], flag: str) -> list[tuple[str, str]]:
    """VAR=VALUE options as (VAR, VALUE); anything else is a usage error."""
    pairs = []
    for option in options or ():
        name, equals, value = option.partition("=")
        if not equals or not name.isidentifier():
            raise typer.BadParameter(f"expected VAR=VALUE, got {option!r}", param_hint=flag)
        pairs.append((name, value))
    return pairs
