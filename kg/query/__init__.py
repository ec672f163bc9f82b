"""Questions over a KnowledgeGraph, one module a question: who supports whom against whom, how two entities are
connected, allies and enemies, an entity's card, unbalanced triangles, what changed.

Every function takes the graph first and names entities by id, name or alias. Answers are
frozen records that carry the statements they rest on, collected in ``Results`` lists
that convert to tables. By default only statements whose status asserts them (stated,
reported, alleged, claimed) count; pass ``statuses=`` to choose.

Each name is imported from its module when first asked for, so that a question imports
only its own module (``kg show`` needs ``ties``, not ``paths``).

>>> from kg import query
>>> query.paths.__module__, query.Card.__module__
('kg.query.paths', 'kg.query.ties')
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

#: Where each public name is defined, by module.
_MODULES = {
    "changes": ("Change", "diff", "stats"),
    "common": ("ASSERTING",),
    "paths": ("Hop", "Path", "paths", "shortest_path"),
    "search": ("Match", "search"),
    "supports": ("MEMBERSHIP_DEPTH", "SUPPORT_RULES", "Chain", "Support", "iter_supports", "supports"),
    "ties": ("Card", "Tie", "Triangle", "allies", "balance", "card", "enemies"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_HOME, key=lambda name: (not name.isupper(), not name[0].isupper(), name))


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """``kg.query`` itself. Importing a submodule sets the package's attribute of its name
    to the module; where the module is named like its function (``paths``, ``search``,
    ``supports``), the function stays the package's attribute, as it is once imported."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _HOME.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
