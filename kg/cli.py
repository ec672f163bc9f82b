"""The ``kg`` command line: each command parses its options, calls one library function
and prints the answer. Errors print one line on stderr; exit codes are 0 ok, 1 bad input
or nothing found, 2 usage."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Optional

import typer

from kg.errors import DataError, KGError
from kg.load import load

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Query a knowledge graph of conflict actors, alliances and places.",
)


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
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DataError as err:
            for problem in err.problems:
                typer.echo(str(problem), err=True)
            count = len(err.problems)
            typer.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
            raise typer.Exit(1) from None
        except KGError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(1) from None

    return app.command()(run)


@command
def validate(
    folder: Optional[Path] = typer.Argument(None, help="Folder of kg YAML files (default: the bundled dataset)."),
) -> None:
    """Check a data folder and report every problem as file:line:column: message."""
    graph = load(folder)
    counts = ", ".join(f"{count} {name}" for name, count in graph.counts().items())
    typer.echo(f"ok: {counts}")


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app()
