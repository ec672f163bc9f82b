"""The ``kg`` command line: each command parses its options, calls one library function and
prints the answer through one renderer (``kg.cli.core.emit``). Errors print one line on
stderr; exit codes are 0 ok, 1 bad input or nothing found, 2 usage.

The app and what every command shares are in ``kg.cli.core``; the commands, in the order
``kg --help`` lists them, in ``checking`` (validate, suggest), ``questions`` (show,
relations, supports, path, diff, balance, stats, search), ``pictures`` (plot, map) and
``exchange`` (export, query, store, push).
"""

# Imported in the order kg --help lists their commands.
from kg.cli import checking, questions, pictures, exchange
from kg.cli.core import app, main

__all__ = ["app", "checking", "exchange", "main", "pictures", "questions"]
