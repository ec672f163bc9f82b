"""Answers as tables: a list of result records that converts to rows, DataFrames, HTML, text.

Every query returns ``Results``: a plain ``list`` of frozen answer records (``Relation``,
``Support``, ``Path``, ...), each with a ``to_record()`` that gives a JSON-ready dict with
ids as values. ``Results`` adds ``to_records()``, ``to_frame()`` (pandas, optional) and an
HTML table for Jupyter; ``render`` turns records into the CLI's table, JSON or CSV.
"""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
import textwrap
from typing import Any, Callable, Mapping, Sequence, TypeVar

__all__ = ["OUTPUT_FORMATS", "Results", "cell_text", "render"]

T = TypeVar("T")


class Results(list[T]):
    """A list of answers that also converts to rows, a DataFrame and an HTML table.

    >>> import kg
    >>> rows = kg.load().relations("designates-terrorist", object="HTS").to_records()
    >>> sorted(rows[0])[:4]
    ['against', 'claimed_by', 'end', 'id']
    """

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per answer, with ids as values."""
        return [item.to_record() for item in self]

    def to_frame(self) -> "pandas.DataFrame":  # noqa: F821 - pandas is optional
        """A pandas DataFrame with a row per answer (needs the ``pandas`` extra)."""
        try:
            import pandas
        except ImportError as err:
            raise ImportError("to_frame() needs pandas: pip install 'kg[pandas]'") from err
        return pandas.DataFrame.from_records(self.to_records())

    def __repr__(self) -> str:
        if not self:
            return "Results([])"
        shown = [f"  {item!r}," for item in self[:20]]
        if len(self) > 20:
            shown.append(f"  ... and {len(self) - 20} more")
        return "Results([\n" + "\n".join(shown) + "\n])"

    def _repr_html_(self) -> str:
        records = self.to_records()
        if not records:
            return "<p><em>no results</em></p>"
        columns = list(records[0])
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell_text(r.get(c)))}</td>" for c in columns) + "</tr>"
            for r in records
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def cell_text(value: Any) -> str:
    """A table cell: lists joined with '; ', nested records by their id or source.

    >>> cell_text(["air", "arms"])
    'air; arms'
    >>> cell_text([{"source": "cg", "quote": "..."}])
    'cg'
    >>> cell_text(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(item) for item in value)
    if isinstance(value, Mapping):
        return str(value.get("id") or value.get("source") or json.dumps(value, ensure_ascii=False))
    return str(value)


def render_json(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """One JSON document: a list of records (``columns`` is ignored: JSON keeps every field)."""
    return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"


def render_csv(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV with a header row; list cells joined with '; '."""
    columns = list(columns or (records[0] if records else []))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell_text(record.get(c)) for c in columns])
    return out.getvalue()


def render_table(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
                 width: int | None = None) -> str:
    """A plain-text table that fits the terminal (80 columns when not a terminal); long
    cells wrap onto further lines, at spaces and hyphens where possible.

    >>> print(render_table([{"a": "x", "b": "a long-winded value"}], width=12), end="")
    A  B
    x  a long-
       winded
       value
    """
    columns = list(columns or (records[0] if records else []))
    width = width or shutil.get_terminal_size((80, 24)).columns
    rows = [[cell_text(record.get(c)).replace("\n", " ") for c in columns] for record in records]
    widths = _fit([max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)], width)
    lines = _lines([c.upper() for c in columns], widths)
    for row in rows:
        lines += _lines(row, widths)
    return "\n".join(lines) + "\n"


def _fit(widths: list[int], total: int, gap: int = 2) -> list[int]:
    """Narrow the widest columns until the table fits ``total`` characters."""
    widths = list(widths)
    while sum(widths) + gap * (len(widths) - 1) > total and max(widths) > 6:
        widths[widths.index(max(widths))] -= 1
    return widths


def _lines(cells: Sequence[str], widths: list[int]) -> list[str]:
    """One table row as lines: each cell wrapped to its column's width."""
    wrapped = [textwrap.wrap(cell, w) or [""] for cell, w in zip(cells, widths)]
    height = max(len(parts) for parts in wrapped)
    return [
        "  ".join((parts[i] if i < len(parts) else "").ljust(w) for parts, w in zip(wrapped, widths)).rstrip()
        for i in range(height)
    ]


#: The CLI's output formats: name -> renderer(records, columns) -> text.
OUTPUT_FORMATS: dict[str, Callable[..., str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
}


def render(records: Sequence[Mapping[str, Any]], format: str, columns: Sequence[str] | None = None) -> str:
    """Render records in one of ``OUTPUT_FORMATS``."""
    return OUTPUT_FORMATS[format](records, columns)
