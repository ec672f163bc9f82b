"""Parsing kg's plain command-line values without pydantic.

typer (0.2x) turns every value through a pydantic TypeAdapter, built on first use, and so
imports pydantic on every command: more CPU than the rest of a query on a cached graph.
kg's parameters are plain (text, a path, a whole number, a flag, repeated text, or text
through the parameter's own ``parser``), and such a value comes back here as typer would
give it; anything else (an unusual value, another type, a typer without this hook) goes
to typer's own coercion, so messages and results stay typer's. ``tests/test_cli_parsing.py``
holds both ways to the same answers.

>>> from pathlib import Path
>>> parse(Path, "data"), parse(int, "12"), parse(list[str], ("a", "b"))
(PosixPath('data'), 12, ['a', 'b'])
>>> parse(int, "1_000") is TYPER
True
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, get_args, get_origin

import typer

__all__ = ["TYPER", "LightParameter", "light_parameters", "parse"]

#: ``parse``'s answer for a value it leaves to typer.
TYPER = object()

_WHOLE = re.compile(r"[0-9]{1,18}")


def parse(annotation: Any, value: Any) -> Any:
    """``value`` as typer would give it for ``annotation``, or ``TYPER`` to let typer decide."""
    if get_origin(annotation) is list:
        if isinstance(value, (list, tuple)):
            items = [parse(get_args(annotation)[0], item) for item in value]
            return TYPER if any(item is TYPER for item in items) else items
        return TYPER
    if (annotation is str and type(value) is str) or (annotation is bool and type(value) is bool):
        return value
    if annotation is Path and type(value) is str and value and value != "-":
        return Path(value)
    if annotation is int and (type(value) is int or (type(value) is str and _WHOLE.fullmatch(value))):
        return int(value)
    return TYPER


class LightParameter:
    """Stands in for typer's coercion of one parameter: plain values here, the rest by typer's."""

    def __init__(self, parameter: Any, typer_coercion: Any):
        self.annotation = parameter.type_descriptor.annotation
        self.parser = getattr(parameter.type_descriptor.parameter_info, "parser", None)
        self.multiple = parameter.multiple or parameter.nargs == -1
        self.typer_coercion = typer_coercion

    def get(self) -> "LightParameter":
        """Itself: what the parameter's ``get_runtime_param`` now returns."""
        return self

    def parsed(self, value: Any) -> Any:
        """A text value through the parameter's own parser; ``TYPER`` for anything that parser
        refuses other than with ``typer.BadParameter``, which typer would pass on as it is."""
        if type(value) is not str:
            return TYPER
        try:
            return self.parser(value)
        except typer.BadParameter:
            raise
        except (ValueError, TypeError):
            return TYPER  # typer's own coercion words the message

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """The value typer's coercion would give (``None``: nothing given)."""
        if value is None:
            return () if self.multiple else None
        parsed = parse(self.annotation, value) if self.parser is None or type(value) is not str else self.parsed(value)
        if parsed is TYPER:
            return self.typer_coercion().coerce(value, param=param, ctx=ctx)
        return parsed


def light_parameters(parameters: Iterable[Any]) -> None:
    """Give each typer parameter a ``LightParameter``, once (a no-op for a typer without the hook)."""
    for parameter in parameters:
        typer_coercion = getattr(parameter, "get_runtime_param", None)
        if typer_coercion is None or not hasattr(parameter, "type_descriptor"):
            continue
        if not isinstance(getattr(typer_coercion, "__self__", None), LightParameter):
            parameter.get_runtime_param = LightParameter(parameter, typer_coercion).get
