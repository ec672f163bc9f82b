"""Answers as tables: a list of result records that converts to rows, DataFrames, HTML, text.

Every query returns ``Results``: a plain ``list`` of frozen answer records (``Relation``,
``Support``, ``Path``, ...), each with a ``to_record()`` that gives a JSON-ready dict with
ids as values. ``Results`` adds ``to_records()``, ``to_frame()`` (pandas, optional) and an
HTML table for Jupyter; ``render`` turns records into the CLI's table, JSON, JSON Lines or CSV.
A record type may name fields its tables leave out in a ``table_hides`` class attribute.
The JSON, CSV and HTML modules are imported by the renderers that write those formats: a
table at the terminal needs none of them.
"""

from __future__ import annotations

import functools
import io
import sys
import textwrap
from itertools import chain
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

__all__ = ["OUTPUT_FORMATS", "ROW_FORMATS", "STREAMS", "Results", "cell_text", "quotes", "render", "render_head",
           "render_row", "render_stream",
           "spreadsheet_safe", "table_columns"]

T = TypeVar("T")


class Results(list[T]):
    """A list of answers that also converts to rows, a DataFrame and an HTML table (in
    Jupyter: the fields that tell answers apart, as in the CLI's tables, and the quotes).

    Statements asked for as of a date keep that date (``as_of``), and each of their rows
    says whether the statement ``held`` or ``may have held`` then (``holding``).

    >>> import kg
    >>> rows = kg.load().relations("designates-terrorist", object="HTS").to_records()
    >>> sorted(rows[0])[:4]
    ['against', 'claimed_by', 'end', 'id']
    """

    def __init__(self, items: Iterable[T] = (), *, as_of: str | None = None):
        super().__init__(items)
        self.as_of = as_of

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per answer, with ids as values."""
        if self.as_of is None:
            return [item.to_record() for item in self]
        return [{"holding": item.holding(self.as_of), **item.to_record()} for item in self]

    def to_frame(self) -> "pandas.DataFrame":  # noqa: F821 - pandas is optional
        """A pandas DataFrame with a row per answer (needs the ``pandas`` extra)."""
        try:
            import pandas
        except ImportError as err:
            from kg.extras import install_hint

            raise ImportError(f"to_frame() needs pandas, which is not installed: {install_hint('pandas')}") from err
        return pandas.DataFrame.from_records(self.to_records())

    def __repr__(self) -> str:
        if not self:
            return "Results([])"
        shown = [f"  {item!r}," for item in self[:20]]
        if len(self) > 20:
            shown.append(f"  ... and {len(self) - 20} more")
        return "Results([\n" + "\n".join(shown) + "\n])"

    def _repr_html_(self) -> str:
        import html

        records = self.to_records()
        if not records:
            return "<p><em>no results</em></p>"
        columns = table_columns(records, getattr(type(self[0]), "table_hides", ()))
        head = "".join(f"<th>{html.escape(c)}</th>" for c in [*columns, "quotes"])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell_text(r.get(c)))}</td>" for c in columns)
            + f"<td style='text-align:left'>{_quotes_html(r)}</td></tr>"
            for r in records
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _quotes_html(record: Mapping[str, Any]) -> str:
    """A record's quotes as an HTML list, each with its source."""
    import html

    items = "".join(f"<li>“{html.escape(quote)}” <small>({html.escape(source)})</small></li>"
                    for source, quote in quotes(record))
    return f"<ul style='margin:0'>{items}</ul>" if items else ""


def cell_text(value: Any) -> str:
    """A table cell: lists joined with '; ' (each item once), nested records by their id, source
    or path (``through``).

    >>> cell_text(["air", "arms"])
    'air; arms'
    >>> cell_text([{"source": "cg", "quote": "..."}, {"source": "cg", "quote": "other"}])
    'cg'
    >>> cell_text(None)
    ''
    """
    return "; ".join(_items(value))


def _items(value: Any) -> list[str]:
    """A cell's pieces: one per distinct list item, in order."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(dict.fromkeys(piece for item in value for piece in _items(item)))
    if isinstance(value, Mapping):
        return [str(value.get("id") or value.get("source") or value.get("through") or _json(value))]
    return [str(value)]


def quotes(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every distinct (source, quote) a record cites, nested evidence and hops included.

    >>> cited = {"sources": [{"source": "cg", "quote": "q"}]}
    >>> quotes({**cited, "evidence": [cited]})
    [('cg', 'q')]
    """
    found: dict[tuple[str, str], None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            if isinstance(value.get("quote"), str) and "source" in value:
                found[(str(value["source"]), value["quote"])] = None
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(record)
    return list(found)


def _is_nested(value: Any) -> bool:
    """Lists of records other than citations (evidence, hops): JSON carries them, tables leave them out."""
    return isinstance(value, (list, tuple)) and any(
        isinstance(item, Mapping) and "quote" not in item for item in value)


def table_columns(records: Sequence[Mapping[str, Any]], hidden: Sequence[str] = ()) -> list[str]:
    """The fields a table shows: every field some record fills, in record order, except
    ``hidden`` ones and nested records; a new field of a record type shows with no change here.

    >>> table_columns([{"id": "r1", "type": "blocks", "place": None}, {"id": "r2", "type": "x", "place": "sea"}],
    ...               hidden=["id"])
    ['type', 'place']
    """
    filled = {name for record in records for name, value in record.items()
              if value not in (None, "", [], ()) and not _is_nested(value)}
    return [name for name in all_fields(records) if name in filled and name not in hidden]


def all_fields(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every field of every record, in first-seen order (CSV's header)."""
    return list(dict.fromkeys(name for record in records for name in record))


def render_json(records: Sequence[Mapping[str, Any]], **options: Any) -> str:
    """One JSON document: a list of records with every field."""
    return _json(list(records), indent=2) + "\n"


def render_jsonl(records: Sequence[Mapping[str, Any]], **options: Any) -> str:
    """JSON Lines: one record a line, every field, for streaming into other tools.

    >>> print(render_jsonl([{"a": 1}, {"a": 2}]), end="")
    {"a": 1}
    {"a": 2}
    """
    return "".join(render_row(record, "jsonl") for record in records)


def render_csv(records: Sequence[Mapping[str, Any]], **options: Any) -> str:
    """CSV with a header row and every field: lists of values joined with '; ', nested
    records (citations with their quotes, evidence) as JSON.

    >>> print(render_csv([{"a": ["x", "y"], "sources": [{"source": "cg", "quote": "q"}]}]), end="")
    a,sources
    x; y,"[{""source"": ""cg"", ""quote"": ""q""}]"
    """
    columns = all_fields(records)
    return render_head(columns, "csv") + "".join(render_row(record, "csv", columns) for record in records)


#: The formats that can be written a record at a time, as answers come: ``render_head``, then ``render_row``
#: for each record, give the text ``render`` gives when every record has the same fields.
ROW_FORMATS = ("jsonl", "csv")


def render_head(columns: Sequence[str], format: str) -> str:
    """What comes before the rows: CSV's header row of ``columns``; nothing for JSON Lines."""
    return _csv_line(columns) if format == "csv" else ""


def render_row(record: Mapping[str, Any], format: str, columns: Sequence[str] = ()) -> str:
    """One record as a JSON line, or as a CSV row of ``columns`` (see ``render_csv``).

    >>> render_row({"a": 1}, "jsonl"), render_row({"a": ["x", "y"], "b": None}, "csv", ["a", "b"])
    ('{"a": 1}\\n', 'x; y,\\n')
    """
    if format == "csv":
        return _csv_line([_csv_cell(record.get(c)) for c in columns])
    return _json(record) + "\n"


def _json(value: Any, indent: int | None = None) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=indent)


def _csv_line(cells: Sequence[str]) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, Mapping) or (isinstance(value, (list, tuple)) and any(
            isinstance(item, (Mapping, list, tuple)) for item in value)):
        return _json(value)
    if isinstance(value, (list, tuple)):
        return spreadsheet_safe("; ".join(map(str, value)))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return "" if value is None else spreadsheet_safe(str(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula: a cell starting
    with ``= + - @``, a tab or a carriage return gets a leading apostrophe (as OWASP advises).

    >>> print(spreadsheet_safe("=SUM(A1:A9)"), spreadsheet_safe("HTS"))
    '=SUM(A1:A9) HTS
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


#: Fields of free text, which a table may wrap at spaces; every other cell breaks only between list items.
FREE_TEXT = frozenset({"note", "description", "reading", "context", "path", "through", "label", "title", "quote"})

_BOLD, _DIM, _PLAIN = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render_table(records: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
                 width: int | None = None, show_quotes: bool = False, colour: bool = False,
                 hidden: Sequence[str] = ()) -> str:
    """A plain-text table. Without ``width`` (output piped) a row is one line; with it (a
    terminal), long cells wrap, but only between list items and, in free text, at spaces:
    never inside an id or a name. ``show_quotes`` adds each row's quotes under it.

    >>> print(render_table([{"a": "x", "b": ["syrian-government", "hts"]}], width=20), end="")
    A  B
    x  syrian-government
       hts
    """
    columns, widths = _table_layout(records, columns or table_columns(records, hidden), width)
    return _table_header(columns, widths, colour) + _table_lines(records, columns, widths, width, show_quotes, colour)


def _table_layout(records: Sequence[Mapping[str, Any]], columns: Sequence[str],
                 width: int | None = None) -> tuple[list[str], list[int]]:
    """The columns and their widths that fit ``records`` into ``width`` characters (any, when None)."""
    cells = [[_pieces(c, record.get(c)) for c in columns] for record in records]
    natural = [max([len(c), *(len(_join(c, row[i])) for row in cells)]) for i, c in enumerate(columns)]
    smallest = [max([len(c), *(len(p) for row in cells for p in row[i])]) for i, c in enumerate(columns)]
    return list(columns), natural if width is None else _fit(natural, smallest, width)


def _table_header(columns: Sequence[str], widths: Sequence[int], colour: bool = False) -> str:
    """The header line of a table: column names in capitals, bold when in colour."""
    header = "  ".join(c.upper().ljust(w) for c, w in zip(columns, widths)).rstrip()
    return (f"{_BOLD}{header}{_PLAIN}" if colour else header) + "\n"


def _table_lines(records: Iterable[Mapping[str, Any]], columns: Sequence[str], widths: Sequence[int],
                width: int | None = None, show_quotes: bool = False, colour: bool = False) -> str:
    """Records as table rows in columns of the given widths (a longer piece overflows)."""
    lines = []
    for record in records:
        wraps = widths if width is not None else [sys.maxsize] * len(widths)  # piped: a row is one line
        lines += _lines([_wrap(c, _pieces(c, record.get(c)), w) for c, w in zip(columns, wraps)], list(widths))
        if show_quotes:
            lines += _quote_lines(record, width, colour)
    return "".join(line + "\n" for line in lines)


def _pieces(column: str, value: Any) -> list[str]:
    """A cell's unbreakable pieces: list items, or words of free text."""
    items = [item.replace("\n", " ") for item in _items(value)]
    return [word for item in items for word in item.split()] if column in FREE_TEXT else items


def _join(column: str, pieces: list[str]) -> str:
    return (" " if column in FREE_TEXT else "; ").join(pieces)


def _fit(natural: list[int], smallest: list[int], total: int, gap: int = 2) -> list[int]:
    """Narrow the widest columns, never below their longest piece, until the table fits ``total``."""
    widths = list(natural)
    while sum(widths) + gap * (len(widths) - 1) > total:
        shrinkable = [i for i, w in enumerate(widths) if w > smallest[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _wrap(column: str, pieces: list[str], width: int) -> list[str]:
    """Pack pieces into lines of at most ``width``; a longer piece stays whole."""
    separator = " " if column in FREE_TEXT else "; "
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + len(separator) + len(piece) <= width:
            lines[-1] += separator + piece
        else:
            lines.append(piece)
    return lines or [""]


def _lines(cells: Sequence[list[str]], widths: list[int]) -> list[str]:
    """One table row as lines, each cell already wrapped."""
    height = max(len(parts) for parts in cells)
    return [
        "  ".join((parts[i] if i < len(parts) else "").ljust(w) for parts, w in zip(cells, widths)).rstrip()
        for i in range(height)
    ]


def _quote_lines(record: Mapping[str, Any], width: int | None, colour: bool) -> list[str]:
    lines = []
    for source, quote in quotes(record):
        text = f"“{' '.join(quote.split())}” ({source})"
        wrapped = textwrap.wrap(text, width - 4, break_long_words=False) if width else [text]
        lines += [f"    {_DIM}{line}{_PLAIN}" if colour else f"    {line}" for line in wrapped]
    return lines


#: The CLI's output formats: name -> renderer(records, **options) -> text.
OUTPUT_FORMATS: dict[str, Callable[..., str]] = {
    "table": render_table,
    "json": render_json,
    "jsonl": render_jsonl,
    "csv": render_csv,
}


def render(records: Sequence[Mapping[str, Any]], format: str, **options: Any) -> str:
    """Render records in one of ``OUTPUT_FORMATS``; JSON, JSON Lines and CSV carry every
    field, tables the fields that tell answers apart (options: ``width``, ``show_quotes``,
    ``colour``, ``hidden``).

    >>> print(render([{"id": "r1", "type": "fights"}], "table", hidden=["id"]), end="")
    TYPE
    fights
    """
    return OUTPUT_FORMATS[format](records, **options)


def render_stream(records: Iterable[Mapping[str, Any]], format: str, block: int = 1000,
                  **options: Any) -> Iterator[str]:
    """``render``'s text in pieces, rendered as the records come in blocks of ``block``, so that
    millions of records never sit in memory together. Records that share their fields (as
    SPARQL rows do) give the text ``render`` gives; a table's columns and widths come from
    its first block, and CSV's header from the first record's fields.

    >>> "".join(render_stream(iter([{"a": 1}, {"a": 22}]), "csv", block=1))
    'a\\n1\\n22\\n'
    """
    blocks = _blocks(records, block)
    yield from STREAMS[format](next(blocks, []), blocks, **options)


def _blocks(records: Iterable[T], size: int) -> Iterator[list[T]]:
    block: list[T] = []
    for record in records:
        block.append(record)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _table_stream(first: list, rest: Iterator[list], columns: Sequence[str] | None = None,
                  width: int | None = None, show_quotes: bool = False, colour: bool = False,
                  hidden: Sequence[str] = ()) -> Iterator[str]:
    columns, widths = _table_layout(first, columns or table_columns(first, hidden), width)
    yield _table_header(columns, widths, colour)
    for block in chain([first], rest):
        yield _table_lines(block, columns, widths, width, show_quotes, colour)


def _json_stream(first: list, rest: Iterator[list], **options: Any) -> Iterator[str]:
    if not first:
        yield "[]\n"
        return
    start = "[\n"
    for block in chain([first], rest):
        yield start + ",\n".join(textwrap.indent(_json(record, indent=2), "  ")
                                 for record in block)
        start = ",\n"
    yield "\n]\n"


def _row_stream(first: list, rest: Iterator[list], format: str, **options: Any) -> Iterator[str]:
    columns = list(first[0]) if first else []
    yield render_head(columns, format)
    for block in chain([first], rest):
        yield "".join(render_row(record, format, columns) for record in block)


#: The CLI's output formats as streams: name -> (first block, later blocks, **options) -> pieces of text.
STREAMS: dict[str, Callable[..., Iterator[str]]] = {
    "table": _table_stream,
    "json": _json_stream,
    "jsonl": functools.partial(_row_stream, format="jsonl"),
    "csv": functools.partial(_row_stream, format="csv"),
}
