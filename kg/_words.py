"""Small pieces of English shared by kg's messages and labels: "a"/"an", and "x, y or z".
A module private to kg, at the bottom of its layers; its names are its interface.

>>> or_list([article(word) for word in ("actor", "place", "event")])
'an actor, a place or an event'
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["article", "or_list"]


def article(phrase: str) -> str:
    """``phrase`` with "a" or "an" before it, by its first letter."""
    return f"an {phrase}" if phrase[:1] in ("a", "e", "i", "o", "u") else f"a {phrase}"


def or_list(phrases: Sequence[str]) -> str:
    """``x``, ``x or y``, ``x, y or z``.

    >>> or_list(["'hts'"]), or_list(["'hts'", "'sna'"])
    ("'hts'", "'hts' or 'sna'")
    """
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
