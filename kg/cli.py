"""The ``kg`` command line: each command parses its options, calls one library function
and prints the answer. Errors print one line on stderr; exit codes are 0 ok, 1 bad input
or nothing found, 2 usage."""

from __future__ import annotations

import functools
import json
import warnings
from enum import Enum
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence

import typer

from kg.errors import DataError, KGError
from kg.graph import KnowledgeGraph, NameMatchWarning
from kg.rdf.formats import FORMATS
from kg.rdf.sparql import QUERY_NAMES
from kg.rdf.terms import DEFAULT_BASE
from kg.load import bundled_data_dir, holds_data, load, unread_files
from kg.plot import PICTURES, WRITERS
from kg.results import OUTPUT_FORMATS, render
from kg.terminal import Terminal
from kg.vocabulary import RELATION_TYPES, STATUSES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Query a knowledge graph of conflict actors, alliances and places.",
)

# Choices come from the registries, so a new relation type or output format needs no CLI change.
OutputFormat = Enum("OutputFormat", {name: name for name in OUTPUT_FORMATS}, type=str)
RelationType = Enum("RelationType", {name: name for name in RELATION_TYPES}, type=str)
Status = Enum("Status", {name: name for name in STATUSES}, type=str)
ExportFormat = Enum("ExportFormat", {name: name for name in FORMATS}, type=str)

DATA = typer.Option(None, "--data", "-d", help="Folder of kg YAML files (default: the bundled dataset).")
AS_OF = typer.Option(None, "--as-of", help="Only statements that held on this date (YYYY, YYYY-MM or YYYY-MM-DD).")
FORMAT = typer.Option("table", "--format", "-f", help="Output format.")
QUOTES = typer.Option(False, "--quotes", "-q", help="Show each answer's quotes under it, in a table.")
STATUSES_OPTION = typer.Option(
    None, "--status", help="Only statements with this status (repeat for several; default: those that assert).")


class NothingFound(KGError):
    """A query that found nothing: exit code 1 with a message."""


def _print_version(value: bool) -> None:
    if value:
        from kg import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Show the version."),
) -> None:
    """Query a knowledge graph of conflict actors, alliances and places."""


def command(function: Callable) -> Callable:
    """Register a CLI command whose kg errors become a message on stderr and exit code 1."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default", NameMatchWarning)
                warnings.showwarning = functools.partial(_say_name_match, warnings.showwarning, set())
                function(*args, **kwargs)
        except DataError as err:
            for problem in err.problems:
                typer.echo(str(problem), err=True)
            if len(err.problems) > 1:
                typer.echo(f"{len(err.problems)} problems found", err=True)
            raise typer.Exit(1) from None
        except KGError as err:
            typer.echo(f"error: {err}" if not isinstance(err, NothingFound) else str(err), err=True)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            raise  # the reader went away (kg ... | head): click stops quietly
        except OSError as err:  # a file that cannot be written or read: bad input, not a crash
            where = f"{err.filename}: " if err.filename else ""
            typer.echo(f"error: {where}{err.strerror or err}", err=True)
            raise typer.Exit(1) from None

    return app.command()(run)


def _say_name_match(show: Callable, said: set[str], message: Warning | str, category: type,
                    *args: Any, **kwargs: Any) -> None:
    """Which entity a forgiving name was taken as, once, on stderr (``note: 'Hezbollah' taken as ...``)."""
    if issubclass(category, NameMatchWarning):
        if str(message) not in said:
            said.add(str(message))
            typer.echo(f"note: {message}", err=True)
    else:
        show(message, category, *args, **kwargs)


def _emit(results: Sequence[Any], format: str, nothing: str, quotes: bool = False) -> None:
    """Print query results in the chosen format; no results is exit code 1.

    Tables show the fields that tell answers apart (those a record type does not hide
    in ``table_hides``); JSON, JSON Lines and CSV carry every field, quotes included."""
    records = [item.to_record() if hasattr(item, "to_record") else item for item in results]
    if records or format == "json":
        hidden = getattr(type(results[0]), "table_hides", ()) if results else ()
        _show(render(records, format, **_table_options(format, quotes, hidden)))
    if not records:
        raise NothingFound(nothing)


def _table_options(format: str, quotes: bool, hidden: Sequence[str] = ()) -> dict[str, Any]:
    if format != "table":
        return {}
    screen = Terminal()
    return {"width": screen.width, "colour": screen.colour, "show_quotes": quotes, "hidden": hidden}


def _show(text: str) -> None:
    """Print text, through a pager on a terminal when it is long."""
    Terminal().show(text)


def _data_label(folder: Optional[Path]) -> str:
    """How a command names the data it used: ``bundled dataset`` or the folder as given."""
    if folder is None:
        return "bundled dataset"
    return "the current folder" if str(folder) == "." else str(folder)


def _load(data: Optional[Path]) -> "KnowledgeGraph":
    """Load the data a query runs on, and say on stderr which it is (stdout stays clean)."""
    graph = load(data)
    typer.echo(f"data: {_data_label(data)}", err=True)
    return graph


def _values(options: Optional[List[Enum]]) -> Optional[list[str]]:
    return [option.value for option in options] if options else None


# --------------------------------------------------------------------------- commands


@command
def validate(
    folder: Optional[Path] = typer.Argument(
        None, help="Folder of kg YAML files (default: the current folder if it holds some, else the bundled dataset)."),
) -> None:
    """Check a data folder and report every problem as file:line:column: message."""
    if folder is None and holds_data("."):
        folder = Path(".")
    graph = load(folder)
    counts = ", ".join(f"{count} {name}" for name, count in graph.counts().items())
    typer.echo(f"ok: {counts} ({_data_label(folder)})")
    for line in unread_files(folder if folder is not None else bundled_data_dir()):
        typer.echo(f"note: {line}")


@command
def show(
    name: str = typer.Argument(..., help="An entity's id, name or alias."),
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
    format: OutputFormat = FORMAT,
) -> None:
    """Everything the graph says about one entity, grouped by relation type."""
    card = _load(data).card(name, as_of=as_of)
    if format.value == "table":
        _show(card.text())
    elif format.value == "json":
        typer.echo(json.dumps(card.to_record(), ensure_ascii=False, indent=2))
    else:
        _show(render(card.to_record()["relations"], format.value))


@command
def relations(
    type: Optional[RelationType] = typer.Option(None, "--type", "-t", help="Relation type."),
    subject: Optional[str] = typer.Option(None, "--subject", "-s", help="Subject: id, name or alias."),
    object: Optional[str] = typer.Option(None, "--object", "-o", help="Object: id, name or alias."),
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
    format: OutputFormat = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """Statements matching a type, subject and object (symmetric types match either way)."""
    found = _load(data).relations(type.value if type else None, subject, object, as_of=as_of,
                                 status=_values(status))
    _emit(found, format.value, "no relations found", quotes)


@command
def supports(
    supporter: Optional[str] = typer.Option(None, "--supporter", help="Who gives support."),
    supported: Optional[str] = typer.Option(None, "--supported", help="Who receives it."),
    against: Optional[str] = typer.Option(None, "--against", help="Against whom."),
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
    format: OutputFormat = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """Who supports whom against whom, explicit or derived (backs + fights), with sources."""
    found = _load(data).supports(supporter, supported, against, as_of=as_of, statuses=_values(status))
    _emit(found, format.value, "no supports found", quotes)


@command
def path(
    source: str = typer.Argument(..., help="Where the path starts: id, name or alias."),
    target: str = typer.Argument(..., help="Where it ends."),
    type: Optional[List[RelationType]] = typer.Option(None, "--type", "-t", help="Follow only this type (repeatable)."),
    max_length: int = typer.Option(4, "--max-length", "-n", min=1, help="Longest path, in hops."),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many paths."),
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
    format: OutputFormat = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """How two entities are connected: simple paths, shortest first, with a signed reading."""
    graph = _load(data)
    found = graph.paths(source, target, _values(type), max_length, as_of=as_of, statuses=_values(status),
                        limit=limit)
    nothing = (f"no path between {graph.resolve(source).id!r} and {graph.resolve(target).id!r} "
               f"within {max_length} hops")
    _emit(found, format.value, nothing, quotes)


@command
def diff(
    since: str = typer.Argument(..., help="The earlier date."),
    until: str = typer.Argument(..., help="The later date."),
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    format: OutputFormat = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """What changed between two dates: statements that began or ended."""
    found = _load(data).diff(since, until, statuses=_values(status))
    _emit(found, format.value, f"no statements began or ended between {since} and {until}", quotes)


@command
def balance(
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
    format: OutputFormat = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """Unbalanced triangles of actors in the signed network (the friend of my friend is my enemy)."""
    found = _load(data).balance(as_of=as_of, statuses=_values(status))
    _emit(found, format.value, "no unbalanced triangles", quotes)


@command
def stats(data: Optional[Path] = DATA, format: OutputFormat = FORMAT) -> None:
    """Counts of entities and statements by kind, type, status and source."""
    counts = _load(data).stats()
    if format.value == "json":
        typer.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    rows = [{"group": group, "name": name, "count": count}
            for group, table in counts.items() for name, count in table.items()]
    _show(render(rows, format.value, **_table_options(format.value, False)))


@command
def search(
    text: str = typer.Argument(..., help="Part of a name, alias or id; typos are forgiven."),
    limit: int = typer.Option(10, "--limit", min=1, help="At most this many matches."),
    data: Optional[Path] = DATA,
    format: OutputFormat = FORMAT,
) -> None:
    """Find entities by name, alias or id, best match first."""
    found = _load(data).search(text, limit)
    _emit(found, format.value, f"nothing matches {text!r}")


# Pictures (kg.plot; matplotlib is the optional "plot" extra).
Picture = Enum("Picture", {name: name for name in PICTURES}, type=str)
OUTPUT_FILE = typer.Option(..., "--output", "-o",
                           help=f"File to write; its suffix chooses the format: {', '.join(WRITERS)}.")


@command
def plot(
    picture: Picture = typer.Argument(..., help="network, neighbourhood NAME or timeline NAME."),
    name: Optional[str] = typer.Argument(None, help="The entity, for neighbourhood and timeline."),
    output: Path = OUTPUT_FILE,
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = typer.Option(
        None, "--as-of", help="Only statements that held on this date; on a timeline, a line at this date."),
) -> None:
    """Draw the signed network, an entity's neighbourhood or its timeline to a PNG, SVG or HTML file."""
    from kg import plot as pictures

    pictures.check_path(output)
    figure = pictures.draw(_load(data), picture.value, name, as_of=as_of, statuses=_values(status))
    typer.echo(f"wrote {pictures.save(figure, output)}")


def _map(
    as_of: str = typer.Option(..., "--as-of", help="The date to show (YYYY, YYYY-MM or YYYY-MM-DD)."),
    output: Path = OUTPUT_FILE,
    status: Optional[List[Status]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
) -> None:
    """Map the places with coordinates, coloured by who controls them on a date."""
    from kg import plot as pictures

    pictures.check_path(output)
    figure = pictures.control_map(_load(data), as_of, statuses=_values(status))
    typer.echo(f"wrote {pictures.save(figure, output)}")


_map.__name__ = "map"  # the command is "kg map"; the Python name leaves the builtin alone
command(_map)


@command
def export(
    format: Optional[ExportFormat] = typer.Option(
        None, "--format", "-f", help="Export format (default: from the output file's suffix, else turtle)."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="File to write, atomically (default: standard output)."),
    base: str = typer.Option(DEFAULT_BASE, "--base", help="Base IRI of entities, sources and statements."),
    data: Optional[Path] = DATA,
    as_of: Optional[str] = AS_OF,
) -> None:
    """Export the graph as Turtle, N-Triples, JSON-LD, GraphML, GEXF or a CSV edge list."""
    graph = _load(data)
    if as_of is not None:
        graph = graph.as_of(as_of)
    chosen = format.value if format else None
    if output is None:
        typer.echo(graph.serialize(chosen or "turtle", base=base), nl=False)
    else:
        typer.echo(f"wrote {graph.write(output, chosen, base=base)}")


@command
def query(
    sparql: str = typer.Argument(
        ..., help=f"A SPARQL SELECT query: its text, a file holding it, or a query shipped with kg "
                  f"({', '.join(QUERY_NAMES)})."),
    entity: Optional[List[str]] = typer.Option(
        None, "--entity", "-e", help="VAR=NAME: bind ?VAR to an entity (an id, name or alias)."),
    bind: Optional[List[str]] = typer.Option(None, "--bind", "-b", help="VAR=TEXT: bind ?VAR to a text value."),
    store: Optional[Path] = typer.Option(
        None, "--store", help="Query an on-disk store made by 'kg store' instead of the YAML data."),
    data: Optional[Path] = DATA,
    format: OutputFormat = FORMAT,
) -> None:
    """Run a SPARQL SELECT query over the graph; values reach it only as bindings."""
    from kg.rdf import Store

    on_disk = Store(_existing(store)) if store is not None else None
    graph = _load(data) if on_disk is None or entity else None
    text = sparql
    if sparql in QUERY_NAMES:
        from kg.rdf import query_text

        text = query_text(sparql)
    elif Path(sparql).is_file():
        text = Path(sparql).read_text(encoding="utf-8")
    bindings = {name: graph.resolve(value) for name, value in _pairs(entity, "--entity")}
    bindings.update(_pairs(bind, "--bind"))
    rows = on_disk.sparql(text, **bindings) if on_disk is not None else graph.sparql(text, **bindings)
    _emit(rows, format.value, "the query returned no rows")


@command
def store(
    folder: Path = typer.Argument(..., help="Folder of the on-disk store (created or replaced)."),
    rdf: Optional[Path] = typer.Option(
        None, "--rdf", help="Fill it from an RDF export (Turtle, N-Triples, JSON-LD) instead of the YAML data."),
    data: Optional[Path] = DATA,
) -> None:
    """Put the graph in an on-disk Oxigraph store, for 'kg query --store' on graphs past memory."""
    from kg.rdf import Store

    made = Store.load(folder, _existing(rdf)) if rdf is not None else Store.create(folder, _load(data))
    typer.echo(f"stored {len(made)} triples in {folder}")


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


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app()

