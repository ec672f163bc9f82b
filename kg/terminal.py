"""How the command line meets a terminal: its width, a pager for long output, colour, progress.

On a terminal, tables fit its width, long output goes through a pager as ``git`` does
(``KG_PAGER``, else ``PAGER``, else ``less -FRX``; an empty value or ``cat`` turns it off),
and headers are bold unless ``NO_COLOR`` is set. Piped, output is plain, at full width,
with no pager, so that ``grep`` and ``cut`` see one line per row. ``COLUMNS`` sets a width
even when piped (the documentation is generated at 100 columns). Long work (a load, an
export, a picture) shows a spinner with what it is doing on stderr when stderr is a
terminal, and nothing otherwise, nor with ``NO_PROGRESS`` set or ``kg --quiet``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager, nullcontext
from itertools import chain
from typing import IO, ContextManager, Iterable, Iterator, Mapping

__all__ = ["Terminal", "busy", "show_progress"]

DEFAULT_PAGER = "less -FRX"


class Terminal:
    """What kg may do with the output stream: width, colour and pager, from the stream and environment.

    >>> piped = Terminal(tty=False, environ={})
    >>> piped.width, piped.colour, piped.pager
    (None, False, None)
    >>> on_screen = Terminal(tty=True, environ={"COLUMNS": "100", "NO_COLOR": "1", "PAGER": "more"})
    >>> on_screen.width, on_screen.colour, on_screen.pager
    (100, False, ['more'])
    """

    def __init__(self, tty: bool | None = None, environ: Mapping[str, str] | None = None,
                 stream: IO[str] | None = None):
        self.stream = stream or sys.stdout
        self.environ = os.environ if environ is None else environ
        self.tty = _isatty(self.stream) if tty is None else tty

    @property
    def width(self) -> int | None:
        """Columns to fit: the terminal's, or ``COLUMNS``; None (no limit) when piped."""
        columns = self.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return shutil.get_terminal_size((100, 24)).columns if self.tty else None

    @property
    def colour(self) -> bool:
        """Colour only on a terminal, and never with ``NO_COLOR`` set (no-color.org) or ``TERM=dumb``."""
        return self.tty and not self.environ.get("NO_COLOR") and self.environ.get("TERM") != "dumb"

    @property
    def pager(self) -> list[str] | None:
        """The pager command on a terminal, None when piped or turned off."""
        if not self.tty:
            return None
        chosen = self.environ.get("KG_PAGER", self.environ.get("PAGER", DEFAULT_PAGER))
        command = shlex.split(chosen)
        return command if command and command != ["cat"] and shutil.which(command[0]) else None

    def show(self, text: str) -> None:
        """Write text: through the pager when it is longer than the screen, else directly."""
        self.show_pieces([text])

    def show_pieces(self, pieces: Iterable[str]) -> None:
        """Write text that comes in pieces, each as it comes: through the pager once the text is
        longer than the screen, else directly.

        >>> Terminal(tty=False).show_pieces(["one\\n", "two\\n"])
        one
        two
        """
        pieces, held = iter(pieces), []
        pager, lines, height = self.pager, 0, shutil.get_terminal_size((100, 24)).lines
        while pager is not None and lines < height:
            piece = next(pieces, None)
            if piece is None:
                pager = None  # all of it fits on the screen
            else:
                held.append(piece)
                lines += piece.count("\n")
        if pager is None:
            for piece in chain(held, pieces):
                self.stream.write(piece)
                self.stream.flush()
            return
        environ = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
        with subprocess.Popen(pager, stdin=subprocess.PIPE, text=True, encoding="utf-8", env=environ) as process:
            try:
                for piece in chain(held, pieces):
                    process.stdin.write(piece)
                process.stdin.close()
            except BrokenPipeError:  # the reader quit the pager early
                pass


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


_PROGRESS = {"shown": True}


def show_progress(shown: bool) -> None:
    """Switch ``busy``'s spinner on or off for this process (``kg --quiet`` switches it off).

    >>> show_progress(False); show_progress(True)
    """
    _PROGRESS["shown"] = shown


def busy(what: str, stream: IO[str] | None = None) -> ContextManager[None]:
    """A spinner saying what kg is doing, on stderr when it is a terminal; else nothing.
    Nothing either when ``NO_PROGRESS`` is set (to anything but an empty value) or after
    ``show_progress(False)``.

    >>> with busy("loading data"):  # stderr is not a terminal here: no sign
    ...     pass
    """
    stream = stream or sys.stderr
    wanted = _PROGRESS["shown"] and not os.environ.get("NO_PROGRESS") and _isatty(stream)
    return _spinner(what, stream) if wanted else nullcontext()


@contextmanager
def _spinner(what: str, stream: IO[str]) -> Iterator[None]:
    from rich.console import Console

    console = Console(file=stream, no_color=bool(os.environ.get("NO_COLOR")))
    with console.status(f"{what}…"):
        yield
