"""The typer app the commands register on: help layout, light parsing, shared options, the
one renderer every command prints through, and the entry point.

Heavy modules (the YAML reader, RDF libraries, pictures) are imported inside the commands
that use them, so that a question on a cached graph costs little more than typer itself.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import sys
import warnings
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, Sequence

import typer
import typer.core

from kg.folder.cache import CacheWarning
from kg.cli.parsing import light_parameters
from kg.dates import EXPECTED, check_date
from kg.errors import DataError, KGError, did_you_mean
from kg.graph import KnowledgeGraph
from kg.names import NameMatchWarning
from kg.results import OUTPUT_FORMATS, ROW_FORMATS, Results, render, render_head, render_row, render_stream
from kg.terminal import Terminal, busy, show_progress
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
    """A typer command with kg's help layout, whose plain parameters are parsed without
    loading pydantic (see ``kg.cli.parsing``)."""

    context_class = Context

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        light_parameters(self.get_params(ctx))
        return super().parse_args(ctx, args)


class Group(typer.core.TyperGroup):
    """The ``kg`` group: kg's help layout, its options (--version, --quiet) parsed as a command's."""

    context_class = Context

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        light_parameters(self.get_params(ctx))
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},
    help="Query a knowledge graph of conflict actors, alliances and places.",
)


def choice(what: str, choices: Sequence[str]) -> Callable:
    """A callback that accepts only ``choices`` and answers anything else with a did-you-mean (exit 2)."""

    def check(value: Any) -> Any:
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None and item not in choices:
                close = did_you_mean(item, choices)
                hint = f"did you mean '{close}'?" if close else f"expected one of: {', '.join(choices)}"
                raise typer.BadParameter(f"unknown {what} '{item}'; {hint}")
        return value

    return check


def positive_count(text: str | int) -> int:
    """A count from the command line: a whole number, 1 or more; anything else is a usage
    error naming the option and the value, in click's words (``'abc' is not a valid integer.``)."""
    try:
        value = int(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a valid integer.") from None
    if value < 1:
        raise typer.BadParameter(f"{value} is not 1 or more")
    return value


def given_date(text: str) -> str:
    """A date from the command line, as the queries take it (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``); anything else is a usage error saying what was given and what is meant."""
    problem = check_date(text)
    if problem:
        raise typer.BadParameter(f"{text!r} is not a date: {problem}; {EXPECTED}")
    return text


def given_path(text: str) -> Path:
    """A path from the command line; an empty one is a usage error, never the current folder."""
    if not text:
        raise typer.BadParameter("an empty path names no file or folder (write '.' for the current folder)")
    return Path(text)


def completer(choices: Sequence[str]) -> Callable:
    """Shell completion from a fixed list of choices."""
    return lambda incomplete: [item for item in choices if item.startswith(incomplete)]


def choice_option(default: Any, *flags: str, what: str, choices: Sequence[str], help: str, metavar: str) -> Any:
    """An option whose values come from a registry: listed in its help, completed, and checked with a did-you-mean."""
    return typer.Option(default, *flags, metavar=metavar, callback=choice(what, list(choices)),
                        autocompletion=completer(list(choices)), help=f"{help} One of: {', '.join(choices)}.")


def complete_entity(ctx: typer.Context, incomplete: str) -> list[str]:
    """Entity ids for shell completion of NAME arguments, from --data when given."""
    from kg.folder.loading import load

    try:
        graph = load(ctx.params.get("data"))
    except (KGError, OSError):
        return []
    typed = incomplete.casefold()
    return [entity_id for entity_id, entity in graph.entities.items()
            if entity_id.startswith(typed) or entity.name.casefold().startswith(typed)]


def entity_option(*flags: str, help: str) -> Any:
    """An option naming an entity (completed from the data)."""
    return typer.Option(None, *flags, metavar="NAME", autocompletion=complete_entity, help=help)


def entity_argument(default: Any, help: str, metavar: str = "NAME") -> Any:
    """An argument naming an entity (completed from the data)."""
    return typer.Argument(default, metavar=metavar, autocompletion=complete_entity, help=help, show_default=False)


# Choices come from the registries, so a new relation type or output format needs no CLI change.
DATA = typer.Option(None, "--data", "-d", metavar="DIR", parser=given_path,
                    help="Folder of kg YAML files (default: the bundled dataset).")
ENDPOINT = typer.Option(None, "--endpoint", envvar="KG_ENDPOINT", metavar="URL",
                        help="Ask the graph 'kg push' put on this SPARQL endpoint instead of YAML data "
                             "(credentials: KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or ~/.netrc).")
GRAPH_NAME = typer.Option(None, "--graph", envvar="KG_GRAPH", metavar="IRI",
                          help="The named graph on the endpoint (default: the one 'kg push' uses).")
AS_OF = typer.Option(None, "--as-of", metavar="DATE", parser=given_date,
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
    """The --type option: a relation type of the vocabulary."""
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


def command(name: Optional[str] = None) -> Callable[[Callable], Callable]:
    """Register a CLI command (called ``name``, else the function's name) whose kg errors
    become a message on stderr and exit code 1."""

    def register(function: Callable) -> Callable:
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

        short_help = (function.__doc__ or "").split("\n")[0]
        return app.command(name, cls=Command, short_help=short_help)(run)

    return register


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


def emit(found: Iterable[Any], format: str, nothing: Optional[str] = None, quotes: bool = False, *,
         document: Any = None, text: Optional[str] = None, rank: Optional[Callable[[Any], int]] = None,
         streamed: bool = False) -> None:
    """Print an answer in the chosen format: the one way every command prints results.

    ``found`` are records, or answers that turn into them; tables show the fields that tell
    answers apart (those a record type does not hide in ``table_hides``), JSON, JSON Lines
    and CSV carry every field, quotes included. An answer that reads better whole gives its
    own ``text`` for the table and ``document`` for JSON. Answers with a ``rank`` come lowest
    rank first; piped as JSON Lines or CSV, they are written as they come (see
    ``emit_as_they_come``). ``streamed`` rows are printed as they come, in every format (see
    ``emit_stream``). No records is exit code 1 with the message ``nothing``, when one is given."""
    if format == "json" and document is not None:
        import json

        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if format == "table" and text is not None:
        page(text)
        return
    if streamed:
        emit_stream(found, format, nothing)
        return
    if rank is not None:
        if format in ROW_FORMATS and not Terminal().tty:
            emit_as_they_come(found, format, nothing, rank)
            return
        found = sorted(found, key=rank)
    records = found.to_records() if isinstance(found, Results) else [
        item.to_record() if hasattr(item, "to_record") else item for item in found]
    if records or format == "json" or nothing is None:
        hidden = getattr(type(found[0]), "table_hides", ()) if found else ()
        page(render(records, format, **_table_options(format, quotes, hidden)))
    if not records and nothing is not None:
        raise NothingFound(nothing)


def emit_as_they_come(answers: Iterable[Any], format: str, nothing: Optional[str],
                      rank: Callable[[Any], int]) -> None:
    """``emit`` for JSON Lines or CSV, piped, written as the answers come: those of ``rank`` 0
    at once, the others kept in temporary files (on disk past a megabyte) and written after,
    rank by rank, as ``emit(sorted(answers, key=rank))`` writes them (records of one shape)."""
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
            if nothing is not None:
                raise NothingFound(nothing)
            return
        for place in sorted(later)[1:]:
            later[place].seek(0)
            shutil.copyfileobj(later[place], out)
    out.flush()


def emit_stream(rows: Iterable[dict[str, Any]], format: str, nothing: Optional[str]) -> None:
    """``emit`` for rows printed as they come (a table's widths fit its first rows); no rows
    is exit code 1 with the message ``nothing``."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        if format == "json":
            page("[]\n")
        raise NothingFound(nothing)
    Terminal().show_pieces(render_stream(chain([first], rows), format, **_table_options(format, False)))


def _table_options(format: str, quotes: bool, hidden: Sequence[str] = ()) -> dict[str, Any]:
    if format != "table":
        return {}
    screen = Terminal()
    return {"width": screen.width, "colour": screen.colour, "show_quotes": quotes, "hidden": hidden}


def page(text: str) -> None:
    """Print text, through a pager on a terminal when it is long."""
    Terminal().show(text)


def data_label(folder: Optional[Path]) -> str:
    """How a command names the data it used: ``bundled dataset`` or the folder as given."""
    if folder is None:
        return "bundled dataset"
    return "the current folder" if str(folder) == "." else str(folder)


def load_graph(data: Optional[Path], endpoint: Optional[str] = None, graph_name: Optional[str] = None,
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
    from kg.folder.loading import load

    with busy(f"loading {data_label(data)}"):
        graph = load(data)
    typer.echo(f"data: {data_label(data)}", err=True)
    return graph


def values(options: Optional[List[str]]) -> Optional[list[str]]:
    """A repeated option's values, or None when it was not given."""
    return list(options) if options else None


def narrowed(whole: typer.Typer, arguments: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``arguments`` name, when they plainly name one.

    typer builds the parameters of every command from its signature on each call, which
    costs a question at the terminal more than its answer; a command does the same without
    its siblings. Help, completion, typos and anything unusual get the whole app.

    >>> [info.callback.__name__ for info in narrowed(app, ["--quiet", "show", "HTS"]).registered_commands]
    ['show']
    >>> narrowed(app, ["--help"]) is app
    True
    """
    words = [word for word in arguments if word != "--quiet"]
    if not words or any(name.endswith("_COMPLETE") for name in os.environ):
        return whole
    chosen = [info for info in whole.registered_commands if (info.name or info.callback.__name__) == words[0]]
    if not chosen:
        return whole
    one = copy.copy(whole)
    one.registered_commands = chosen
    return one


def main() -> None:
    """Entry point of the ``kg`` console script: exit code 1 when standard output is closed
    or cannot take the output (a full disk), never 0 with nothing written."""
    try:
        os.fstat(1)
    except OSError:
        sys.stderr.write("error: standard output is closed; kg has nowhere to write\n")
        sys.exit(1)
    import gc

    gc.freeze()
    try:
        narrowed(app, sys.argv[1:])()
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
