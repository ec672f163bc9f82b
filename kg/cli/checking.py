"""Commands for curators: ``kg validate`` checks a data folder, ``kg suggest`` proposes what a document adds."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.core import DATA, command, data_label, given_path, load_graph
from kg.errors import DataError
from kg.files import write_atomically


@command()
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
    from kg.folder.finding import bundled_data_dir, holds_data, unread_files
    from kg.folder.loading import load, validate_candidates
    from kg.texts import coverage

    if folder is None and holds_data("."):
        folder = Path(".")
    if candidates is not None:
        problems = validate_candidates(candidates, folder)
        if problems:
            raise DataError(problems)
        typer.echo(f"ok: {candidates} holds candidates that fit {data_label(folder)}; none is data until confirmed")
        return
    graph = load(folder)
    counts = ", ".join(f"{count} {name}" for name, count in graph.counts().items())
    typer.echo(f"ok: {counts} ({data_label(folder)})")
    for line in unread_files(folder if folder is not None else bundled_data_dir()):
        typer.echo(f"note: {line}")
    for line in coverage(graph.sources.values(), folder if folder is not None else bundled_data_dir()).notes():
        typer.echo(line)


@command()
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
    from kg.curation import suggest_document

    found = suggest_document(text, load_graph(data), source=source)
    if output is None:
        typer.echo(found.to_yaml(), nl=False)
    else:
        write_atomically(output, lambda out: out.write(found.to_yaml()))
        typer.echo(f"wrote {len(found.relations)} candidate statements to {output}; check them with: "
                   f"kg validate --candidates {output}")
