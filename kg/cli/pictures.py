"""Commands that draw (kg.plot, imported when a picture is drawn; matplotlib is the optional "plot" extra)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from kg.cli.core import (
    DATA,
    STATUSES_OPTION,
    choice,
    command,
    completer,
    entity_argument,
    given_date,
    given_path,
    load_graph,
    values,
)
from kg.terminal import busy

#: The names of ``kg.plot.PICTURES`` and the suffixes of ``kg.plot.WRITERS``, for the choices and the
#: help without importing kg.plot (a test holds them equal).
PICTURES = ("network", "neighbourhood", "timeline")
SUFFIXES = (".png", ".svg", ".html")

OUTPUT_FILE = typer.Option(..., "--output", "-o", metavar="FILE", parser=given_path,
                           help=f"File to write; its suffix chooses the format: {', '.join(SUFFIXES)}.")


@command()
def plot(
    picture: str = typer.Argument(..., metavar="PICTURE", callback=choice("picture", list(PICTURES)),
                                  autocompletion=completer(list(PICTURES)),
                                  help=f"One of: {', '.join(PICTURES)} (the last two need NAME)."),
    name: Optional[str] = entity_argument(None, metavar="NAME", help="The entity, for neighbourhood and timeline."),
    output: Path = OUTPUT_FILE,
    status: Optional[List[str]] = STATUSES_OPTION,
    data: Optional[Path] = DATA,
    as_of: Optional[str] = typer.Option(
        None, "--as-of", metavar="DATE", parser=given_date,
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
    graph = load_graph(data)
    with busy(f"drawing the {picture}"):
        written = pictures.save(pictures.draw(graph, picture, name, as_of=as_of, statuses=values(status),
                                                 label=label), output)
    typer.echo(f"wrote {written}")


@command("map")
def control_map(
    as_of: str = typer.Option(..., "--as-of", metavar="DATE", parser=given_date,
                              help="The date to show (YYYY, YYYY-MM or YYYY-MM-DD)."),
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
    graph = load_graph(data)
    with busy("drawing the map"):
        written = pictures.save(pictures.control_map(graph, as_of, statuses=values(status)), output)
    typer.echo(f"wrote {written}")


