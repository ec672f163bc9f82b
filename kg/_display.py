"""How records show themselves, shared by the records, the answers and the pictures (kg.model, kg.query, kg.plot):
short texts, counts and HTML tables. A module private to kg; its names are its interface.

>>> count(1, "hop"), count(3, "hop")
('1 hop', '3 hops')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from kg.dates import describe
from kg.vocabulary import QUALIFIERS

if TYPE_CHECKING:
    from kg.model import Relation

__all__ = ["SIGN_MARKS", "count", "escape", "relations_html", "shorten", "source_ids"]

#: How a sign reads in a compact line: +1 ``+``, -1 ``-``, 0 ``0``.
SIGN_MARKS = {1: "+", -1: "-", 0: "0"}


def escape(text: object) -> str:
    """``text`` as HTML-safe text."""
    import html  # for notebooks only: a terminal needs no HTML

    return html.escape(str(text))


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    >>> shorten("Hayat Tahrir al-Sham", 10)
    'Hayat Tah…'
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def count(number: int, word: str) -> str:
    """``number`` and ``word``, plural unless one."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def source_ids(records: Iterable[Relation]) -> list[str]:
    """The ids of the sources some records cite, sorted, each once."""
    return sorted({citation.source for record in records for citation in record.sources})


def relations_html(relations: Iterable[Relation]) -> str:
    """A table of statements, one a row, with their dates, status, qualifiers and quotes."""
    rows = []
    for r in relations:
        qualifiers = "; ".join(f"{name}: {', '.join(value) if isinstance(value, tuple) else value}"
                               for name, value in ((name, getattr(r, name)) for name in QUALIFIERS) if value)
        status = r.status + (f" by {r.claimed_by}" if r.claimed_by else "")
        quotes = "".join(f"<li>“{escape(c.quote)}” <small>({escape(c.source)})</small></li>" for c in r.sources)
        rows.append(
            f"<tr><td><code>{escape(r.subject)}</code></td><td>{escape(r.type)}</td>"
            f"<td><code>{escape(r.object)}</code></td><td>{escape(describe(r.start, r.end))}</td>"
            f"<td>{escape(status)}</td><td>{escape(qualifiers)}</td>"
            f"<td style='text-align:left'><ul style='margin:0'>{quotes}</ul></td></tr>")
    columns = ("subject", "type", "object", "when", "status", "qualifiers", "sources")
    head = "".join(f"<th>{name}</th>" for name in columns)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
