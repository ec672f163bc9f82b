"""The ``kg`` command line: each command parses its options, calls one library function
and prints the answer. Errors print one line on stderr; exit codes are 0 ok, 1 bad input
or nothing found, 2 usage."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import warnings
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, Sequence

import typer
import typer.core

from kg.cache import CacheWarning
from kg.dates import HELD
from kg.errors import DataError, KGError, did_you_mean
from kg.files import read_regular_file
from kg.graph import KnowledgeGraph
from kg.names import NameMatchWarning
from kg.rdf.formats import FORMATS
from kg.rdf.sparql import QUERY_NAMES
from kg.rdf.terms import DEFAULT_BASE
from kg.folder.finding import bundled_data_dir, holds_data, unread_files
from kg.folder.loading import load, validate_candidates
from kg.plot import PICTURES, WRITERS
from kg.results import OUTPUT_FORMATS, ROW_FORMATS, Results, render, render_head, render_row, render_stream
from kg.terminal import Terminal, busy, show_progress
from kg.curation import suggest_document
from kg.files import write_atomically
from kg.texts import coverage
from kg.vocabulary import RELATION_TYPES, STATUSES

_NO_BREAK = "\u2011"  # a non-breaking hyphen: help text wraps at spaces, never inside 'allied-with'


class HelpFormatter(typer.Context.formatter_class):  # click's, as typer carries it
    """Click's help layout without typer's type labels (``<str>``, ``{NAME}``) and without
    lines broken at the hyphens of relation types and ids."""

    def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
        super().write_usage(prog, re.sub(r"\{([^}]*)\}", r"\1", args), prefix)

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        start = len(self.buffer)
        super().write_dl([(re.sub(r" <[^>]*>$", "", term), text.replace("-", _NO_BREAK)) for term, text in rows],
                         *args, **kwargs)
        self.buffer[start:] = [line.replace(_NO_BREAK, "-") for line in self.buffer[start:]]

    def write_text(self, text: str) -> None:
        start = len(self.buffer)
        super().write_text(text.replace("-", _NO_BREAK))
        self.buffer[start:] = [line.replace(_NO_BREAK, "-") for line in self.buffer[start:]]


class Context(typer.Context):
    formatter_class = HelpFormatter


class Command(typer.core.TyperCommand):
    context_class = Context


class Group(typer.core.TyperGroup):
    context_class = Context


app = typer.Typer(
    cls=Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},
    help="Query a knowledge graph of conflict actors, alliances and places.",
)

def _choice(what: str, choices: Sequence[str]) -> Callable:
    """A callback that accepts only ``choices`` and answers anything else with a did-you-mean (exit 2)."""

    def check(value: Any) -> Any:
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None and item not in choices:
                close = did_you_mean(item, choices)
                hint = f"did you mean '{close}'?" if close else f"expected one of: {', '.join(choices)}"
                raise typer.BadParameter(f"unknown {what} '{item}'; {hint}")
        return value

    return check


def _positive(value: int) -> int:
    if value < 1:
        raise typer.BadParameter(f"{value} is not 1 or more")
    return value


def given_path(text: str) -> Path:
    """A path from the command line; an empty one is a usage error, never the current folder."""
    if not text:
        raise typer.BadParameter("an empty path names no file or folder (write '.' for the current folder)")
    return Path(text)


def _completer(choices: Sequence[str]) -> Callable:
    return lambda incomplete: [choice for choice in choices if choice.startswith(incomplete)]


def choice_option(default: Any, *flags: str, what: str, choices: Sequence[str], help: str, metavar: str) -> Any:
    """An option whose values come from a registry: listed in its help, completed, and checked with a did-you-mean."""
    return typer.Option(default, *flags, metavar=metavar, callback=_choice(what, list(choices)),
                        autocompletion=_completer(list(choices)), help=f"{help} One of: {', '.join(choices)}.")


def complete_entity(ctx: typer.Context, incomplete: str) -> list[str]:
    """Entity ids for shell completion of NAME arguments, from --data when given."""
    try:
        graph = load(ctx.params.get("data"))
    except (KGError, OSError):
        return []
    typed = incomplete.casefold()
    return [entity_id for entity_id, entity in graph.entities.items()
            if entity_id.startswith(typed) or entity.name.casefold().startswith(typed)]


def entity_option(*flags: str, help: str) -> Any:
    return typer.Option(None, *flags, metavar="NAME", autocompletion=complete_entity, help=help)


def entity_argument(default: Any, help: str, metavar: str = "NAME") -> Any:
    return typer.Argument(default, metavar=metavar, autocompletion=complete_entity, help=help, show_default=False)


# Choices come from the registries, so a new relation type or output format needs no CLI change.
DATA = typer.Option(None, "--data", "-d", metavar="DIR", parser=given_path,
                    help="Folder of kg YAML files (default: the bundled dataset).")
ENDPOINT = typer.Option(None, "--endpoint", envvar="KG_ENDPOINT", metavar="URL",
                        help="Ask the graph 'kg push' put on this SPARQL endpoint instead of YAML data "
                             "(credentials: KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or ~/.netrc).")
GRAPH_NAME = typer.Option(None, "--graph", envvar="KG_GRAPH", metavar="IRI",
                          help="The named graph on the endpoint (default: the one 'kg push' uses).")
AS_OF = typer.Option(None, "--as-of", metavar="DATE",
                     help="Only statements that held, or may have held, on this date (YYYY, YYYY-MM or "
                          "YYYY-MM-DD).")
FORMAT = choice_option("table", "--format", "-f", what="output format", choices=list(OUTPUT_FORMATS),
                       metavar="FORMAT", help="Output format.")
QUOTES = typer.Option(False, "--quotes", "-q", help="Show each answer's quotes under it, in a table.")
STRICT = typer.Option(False, "--strict", help="With --as-of: only statements that surely held on that date, "
                      "not those that may have (undated, or with a vague or unknown start or end).")
STATUSES_OPTION = choice_option(
    None, "--status", what="status", choices=list(STATUSES), metavar="STATUS",
    help="Only statements with this status (repeat for several; default: those that assert).")


def type_option(help: str) -> Any:
    return choice_option(None, "--type", "-t", what="relation type", choices=list(RELATION_TYPES),
                         metavar="TYPE", help=help)


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
    quiet: bool = typer.Option(False, "--quiet", help="No progress on stderr, even on a terminal (as NO_PROGRESS=1)."),
) -> None:
    """Query a knowledge graph of conflict actors, alliances and places."""
    show_progress(not quiet)


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
        except KeyboardInterrupt:  # Ctrl-C: the query or load stopped, in one line
            typer.echo("stopped: interrupted (Ctrl-C)", err=True)
            raise typer.Exit(130) from None
        except OSError as err:  # a file that cannot be written or read: bad input, not a crash
            where = f"{err.filename}: " if err.filename else ""
            typer.echo(f"error: {where}{err.strerror or err}", err=True)
            raise typer.Exit(1) from None

    return app.command(cls=Command, short_help=(function.__doc__ or "").split("\n")[0])(run)


def _say_name_match(show: Callable, said: set[str], message: Warning | str, category: type,
                    *args: Any, **kwargs: Any) -> None:
    """Which entity a forgiving name was taken as, once, on stderr (``note: 'Hezbollah' taken as ...``)."""
    if issubclass(category, NameMatchWarning):
        if str(message) not in said:
            said.add(str(message))
            typer.echo(f"note: {message}", err=True)
    elif issubclass(category, CacheWarning):
        typer.echo(f"warning: {message}", err=True)
    else:
        show(message, category, *args, **kwargs)


def _emit(results: Sequence[Any], format: str, nothing: str, quotes: bool = False) -> None:
    """Print query results in the chosen format; no results is exit code 1.

    Tables show the fields that tell answers apart (those a record type does not hide
    in ``table_hides``); JSON, JSON Lines and CSV carry every field, quotes included."""
    records = results.to_records() if isinstance(results, Results) else [
        item.to_record() if hasattr(item, "to_record") else item for item in results]
    if records or format == "json":
        hidden = getattr(type(results[0]), "table_hides", ()) if results else ()
        _show(render(records, format, **_table_options(format, quotes, hidden)))
    if not records:
        raise NothingFound(nothing)


def _emit_as_they_come(answers: Iterable[Any], format: str, nothing: str, rank: Callable[[Any], int]) -> None:
    """``_emit`` for JSON Lines or CSV, piped, written as the answers come: those of ``rank`` 0
    at once, the others kept in temporary files (on disk past a megabyte) and written after,
    rank by rank, as ``_emit(sorted(answers, key=rank))`` writes them (records of one shape)."""
    import shutil
    import tempfile

    out, columns, later = sys.stdout, None, {0: sys.stdout}
    with contextlib.ExitStack() as stack:
        for answer in answers:
            record = answer.to_record()
            if columns is None:
                columns = list(record)
                out.write(render_head(columns, format))
            place = rank(answer)
            if place not in later:
                spool = tempfile.SpooledTemporaryFile(1 << 20, "w+", encoding="utf-8", newline="")
                later[place] = stack.enter_context(spool)
            later[place].write(render_row(record, format, columns))
        if columns is None:
            raise NothingFound(nothing)
        for place in sorted(later)[1:]:
            later[place].seek(0)
            shutil.copyfileobj(later[place], out)
    out.flush()


def _emit_stream(rows: Iterable[dict[str, Any]], format: str, nothing: str) -> None:
    """Print rows in the chosen format as they come (a table's widths fit its first rows);
    no rows is exit code 1."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        if format == "json":
            _show("[]\n")
        raise NothingFound(nothing)
    Terminal().show_pieces(render_stream(chain([first], rows), format, **_table_options(format, False)))


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


def _load(data: Optional[Path], endpoint: Optional[str] = None, graph_name: Optional[str] = None,
          whole: bool = False) -> "KnowledgeGraph | Any":
    """Load the data a query runs on, or open the graph on a SPARQL endpoint (fetched whole when
    the question needs all of it), and say on stderr which it is (stdout stays clean)."""
    if endpoint is not None:
        if data is not None:
            raise typer.BadParameter("give --data or --endpoint, not both", param_hint="--endpoint")
        from kg.rdf.remote import remote

        found = remote(endpoint, graph_name)
        typer.echo(f"data: <{found.graph}> at {found.endpoint.url}", err=True)
        return found.to_graph() if whole else found
    with busy(f"loading {_data_label(data)}"):
        graph = load(data)
    typer.echo(f"data: {_data_label(data)}", err=True)
    return graph


def _values(options: Optional[List[str]]) -> Optional[list[str]]:
    return list(options) if options else None


# --------------------------------------------------------------------------- commands


@command
def validate(
    folder: Optional[Path] = typer.Argument(
        None, metavar="DIR", show_default=False, parser=given_path,
        help="Folder of kg YAML files (default: the current folder if it holds some, else the bundled dataset)."),
    candidates: Optional[Path] = typer.Option(
        None, "--candidates", metavar="FILE", parser=given_path,
        help="Check a candidates file written by 'kg suggest' against the data instead; it is never loaded as data."),
) -> None:
    """Check a data folder and report every problem as file:line:column: message.

    \b
    Examples:
      kg validate
      kg validate my-data
    """
    if folder is None and holds_data("."):
        folder = Path(".")
    if candidates is not None:
        problems = validate_candidates(candidates, folder)
        if problems:
            raise DataError(problems)
        typer.echo(f"ok: {candidates} holds candidates that fit {_data_label(folder)}; none is data until confirmed")
        return
    graph = load(folder)
    counts = ", ".join(f"{count} {name}" for name, count in graph.counts().items())
    typer.echo(f"ok: {counts} ({_data_label(folder)})")
    for line in unread_files(folder if folder is not None else bundled_data_dir()):
        typer.echo(f"note: {line}")
    for line in coverage(graph.sources.values(), folder if folder is not None else bundled_data_dir()).notes():
        typer.echo(line)


@command
def suggest(
    text: str = typer.Argument(..., metavar="TEXT", help="A UTF-8 text file, or the text itself."),
    source: Optional[str] = typer.Option(
        None, "--source", "-s", metavar="ID",
        help="The source the text is from (default: the one whose quotes it holds)."),
    data: Optional[Path] = DATA,
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="FILE", parser=given_path,
        help="File to write, atomically (default: standard output)."),
) -> None:
    """Propose what a document adds: mentions, new names and candidate statements, as YAML.

    \b
    Examples:
      kg suggest "Russia reportedly backed the Syrian government in 2015." --source crisis-group-2024
      kg suggest "HTS fought the Syrian army, Syria Direct said." --source sd --data my-data -o candidates.yaml
    """
    found = suggest_document(text, _load(data), source=source)
    if output is None:
        typer.echo(found.to_yaml(), nl=False)
    else:
        write_atomically(output, lambda out: out.write(found.to_yaml()))
        typer.echo(f"wrote {len(found.relations)} candidate statements to {output}; check them with: "
                   f"kg validate --candidates {output}")


@command
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
    card = _load(data, endpoint, graph_name, whole=True).card(name, as_of=as_of, strict=strict)
    if format == "table":
        _show(card.text())
    elif format == "json":
        typer.echo(json.dumps(card.to_record(), ensure_ascii=False, indent=2))
    else:
        _show(render(card.to_record()["relations"], format))


@command
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
    """Statements matching a type, subject and object (symmetric types match either way);
    with --as-of, those that held on that date first, then those that may have held.

    \b
    Examples:
      kg relations --type controls --object Aleppo
      kg relations -t blocks --quotes
    """
    graph = _load(data, endpoint, graph_name)
    found = graph.relations(type, subject, object, as_of=as_of, statuses=_values(status), strict=strict)
    _emit(found, format, "no relations found", quotes)


@command
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
    """Who supports whom against whom, explicit answers first, then derived ones with the chain
    they were derived through (backs + fights, or into a group's members), with sources.
    Piped as jsonl or csv, answers are written as they are found: explicit ones that held at
    once, the others (kept in temporary files) after them, in the same order.

    \b
    Examples:
      kg supports --against HTS
      kg supports --supporter Russia --format csv
    """
    graph = _load(data, endpoint, graph_name)
    ask = graph.iter_supports if isinstance(graph, KnowledgeGraph) else graph.supports
    found = ask(supporter, supported, against, as_of=as_of, statuses=_values(status), explicit=explicit, strict=strict)
    if format in ROW_FORMATS and not Terminal().tty:
        _emit_as_they_come(found, format, "no supports found", _standing)
        return
    _emit(sorted(found, key=_standing), format, "no supports found", quotes)


def _standing(answer: Any) -> int:
    """Explicit answers first (0 and 1), then derived (2 and 3); in each, those that held first."""
    return 2 * (answer.basis != "explicit") + (answer.holding != HELD)


@command
def path(
    source: str = entity_argument(..., metavar="FROM", help="Where the path starts: id, name or alias."),
    target: str = entity_argument(..., metavar="TO", help="Where it ends."),
    type: Optional[List[str]] = type_option("Follow only this type (repeat for several)."),
    max_length: int = typer.Option(4, "--max-length", "-n", metavar="N", callback=_positive,
                                   help="Longest path, in hops."),
    limit: int = typer.Option(20, "--limit", metavar="N", callback=_positive, help="At most this many paths."),
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    endpoint: Optional[str] = ENDPOINT,
    graph_name: Optional[str] = GRAPH_NAME,
    as_of: Optional[str] = AS_OF,
    strict: bool = STRICT,
    format: str = FORMAT,
    quotes: bool = QUOTES,
) -> None:
    """How two entities are connected: simple paths, shortest first, with a signed reading;
    with --as-of, whether each held or only may have held on that date (the paths that held first).

    \b
    Examples:
      kg path HTS Russia
      kg path SDF Iran --type backs --type fights --max-length 3
    """
    graph = _load(data, endpoint, graph_name)
    found = graph.paths(source, target, _values(type), max_length, as_of=as_of, statuses=_values(status),
                        limit=limit, strict=strict)
    nothing = (f"no path between {graph.resolve(source).id!r} and {graph.resolve(target).id!r} "
               f"within {max_length} hops")
    _emit(found, format, nothing, quotes)


@command
def diff(
    since: str = typer.Argument(..., metavar="SINCE", help="The earlier date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: str = typer.Argument(..., metavar="UNTIL", help="The later date."),
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
    found = _load(data, endpoint, graph_name, whole=True).diff(since, until, statuses=_values(status), strict=strict)
    _emit(found, format, f"no statements began or ended between {since} and {until}", quotes)


@command
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
    """Unbalanced triangles of actors in the signed network (the friend of my friend is my enemy);
    with --as-of, whether each held or only may have held on that date (those that held first).

    \b
    Examples:
      kg balance
      kg balance --as-of 2024-12-01 --quotes
    """
    found = _load(data, endpoint, graph_name, whole=True).balance(as_of=as_of, statuses=_values(status), strict=strict)
    _emit(found, format, "no unbalanced triangles", quotes)


@command
def stats(data: Optional[Path] = DATA, endpoint: Optional[str] = ENDPOINT, graph_name: Optional[str] = GRAPH_NAME,
          format: str = FORMAT) -> None:
    """Counts of entities and statements by kind, type, status and source.

    \b
    Examples:
      kg stats
      kg stats --format json
    """
    counts = _load(data, endpoint, graph_name, whole=True).stats()
    if format == "json":
        typer.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    rows = [{"group": group, "name": name, "count": count}
            for group, table in counts.items() for name, count in table.items()]
    _show(render(rows, format, **_table_options(format, False)))


@command
def search(
    text: str = typer.Argument(..., metavar="TEXT", help="Part of a name, alias or id; typos are forgiven."),
    limit: int = typer.Option(10, "--limit", metavar="N", callback=_positive, help="At most this many matches."),
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
    found = _load(data, endpoint, graph_name).search(text, limit)
    _emit(found, format, f"nothing matches {text!r}")


# Pictures (kg.plot; matplotlib is the optional "plot" extra).
OUTPUT_FILE = typer.Option(..., "--output", "-o", metavar="FILE", parser=given_path,
                           help=f"File to write; its suffix chooses the format: {', '.join(WRITERS)}.")


@command
def plot(
    picture: str = typer.Argument(..., metavar="PICTURE", callback=_choice("picture", list(PICTURES)),
                                  autocompletion=_completer(list(PICTURES)),
                                  help=f"One of: {', '.join(PICTURES)} (the last two need NAME)."),
    name: Optional[str] = entity_argument(None, metavar="NAME", help="The entity, for neighbourhood and timeline."),
    output: Path = OUTPUT_FILE,
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = typer.Option(
        None, "--as-of", metavar="DATE",
        help="Only statements that held on this date; on a timeline, a line at this date."),
    label: Optional[List[str]] = typer.Option(
        None, "--label", metavar="NAME", help="On the network, always name this actor (repeat for more)."),
) -> None:
    """Draw the signed network, an entity's neighbourhood or its timeline to a PNG, SVG or HTML file.

    \b
    Examples:
      kg plot network -o network.svg
      kg plot network --label Hamas --label Jordan -o network.png
      kg plot timeline HTS -o hts.png
    """
    from kg import plot as pictures

    pictures.check_path(output)
    graph = _load(data)
    with busy(f"drawing the {picture}"):
        written = pictures.save(pictures.draw(graph, picture, name, as_of=as_of, statuses=_values(status),
                                                 label=label), output)
    typer.echo(f"wrote {written}")


def _map(
    as_of: str = typer.Option(..., "--as-of", metavar="DATE", help="The date to show (YYYY, YYYY-MM or YYYY-MM-DD)."),
    output: Path = OUTPUT_FILE,
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
) -> None:
    """Map the places with coordinates, coloured by who controls them on a date.

    \b
    Examples:
      kg map --as-of 2024-12-01 -o aleppo.png
    """
    from kg import plot as pictures

    pictures.check_path(output)
    graph = _load(data)
    with busy("drawing the map"):
        written = pictures.save(pictures.control_map(graph, as_of, statuses=_values(status)), output)
    typer.echo(f"wrote {written}")


_map.__name__ = "map"  # the command is "kg map"; the Python name leaves the builtin alone
command(_map)


@command
def export(
    format: Optional[str] = choice_option(
        None, "--format", "-f", what="export format", choices=list(FORMATS), metavar="FORMAT",
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
    graph = _load(data)
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


@command
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
    graph = _load(data, endpoint, graph_name) if on_disk is None or entity else None
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
    _emit_stream(rows, format, "the query returned no rows")


@command
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

    graph = _load(data) if rdf is None else None
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


@command
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

    server, graph = Endpoint(endpoint, update=update, store=graph_store), _load(data)
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


def main() -> None:
    """Entry point of the ``kg`` console script: exit code 1 when standard output is closed
    or cannot take the output (a full disk), never 0 with nothing written."""
    try:
        os.fstat(1)
    except OSError:
        sys.stderr.write("error: standard output is closed; kg has nowhere to write\n")
        sys.exit(1)
    try:
        app()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 0  # the reader went away (kg ... | head): stop quietly
    except OSError as err:
        sys.stderr.write(f"error: cannot write the output: {err.strerror}\n")
        code = 1
    else:
        sys.exit(code)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # so the interpreter's last flush does not fail again
    sys.exit(code)

