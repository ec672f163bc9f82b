"""Reading a folder's files into a session: bytes, records (fast, else with marks), then cross-checks."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import yaml

from kg.folder import fast
from kg.folder.checks import check_cycles, check_reference
from kg.folder.finding import DATA_FILES
from kg.folder.keys import read_contents
from kg.folder.nodes import LimitError, Map, Node, Seq, compose
from kg.folder.records import READERS
from kg.folder.session import FileReader, Invalid, NeedMarks, Session, describe
from kg.folder.syntax import explain as explain_syntax

__all__ = ["file_records", "read_file", "read_files"]

def read_files(folder: Path, names: list[str], marked: bool,
                contents: dict[str, bytes | OSError] | None = None) -> Session:
    """Read and check every file (from ``contents`` when given). Without marks (fast, plain
    values), the first problem raises ``NeedMarks``; with marks (libyaml nodes), every
    problem is collected."""
    session = Session(marked=marked, folder=folder)
    contents = read_contents(folder, names) if contents is None else contents
    for name in names:
        session.entities_read = DATA_FILES[name] == "relation"
        read_file(folder / name, DATA_FILES[name], session, contents[name])
    for reference in session.references:
        check_reference(session, reference)
    check_cycles(session)
    if not (session.sources or session.entities or session.relations or session.problems):
        session.add(str(folder), 0, 0, "holds no records: every data file is empty")
    return session


def read_file(path: Path, record: str, session: Session, data: bytes | OSError) -> None:
    reader = FileReader(str(path), session)
    read_record = READERS[record]
    try:
        for node in file_records(path, record, reader, data):
            try:
                read_record(reader, node, session)
            except Invalid:
                continue
    except Invalid:
        session.unreadable = True


def file_records(path: Path, record: str, reader: FileReader, data: bytes | OSError,
                  whole: bool = False) -> Iterable[Node]:
    """The file's records, one node each (``whole``: the one mapping the file is); raises
    Invalid after reporting why they cannot be read."""

    def fail(line: int, column: int, message: str) -> Invalid:
        reader.session.add(str(path), line, column, message)
        return Invalid()

    if isinstance(data, OSError):
        raise fail(0, 0, f"cannot be read: {data.strerror}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise fail(*_position(data, err.start), f"is not valid UTF-8: byte 0x{data[err.start]:02x}; "
                                                "save the file as UTF-8") from None
    try:
        nodes = None if reader.session.marked else fast.records(text)
        if whole:
            root = compose(text)
            if type(root) is not Map:
                raise fail(getattr(root, "line", 1), getattr(root, "column", 1),
                           f"expected a mapping at the top level (a {record}), got {describe(root)}")
            nodes = [root]
        elif nodes is None:
            root = compose(text)
            if root is not None and type(root) is not Seq:
                plural = "sources" if record == "source" else f"{record}s"
                raise reader.fail(root, f"expected a list of {plural} at the top level, got {describe(root)}")
            nodes = root.items if root is not None else []
        yield from nodes
    except fast.NotOneRecord:
        raise NeedMarks from None  # read every file again, whole, with libyaml
    except LimitError as err:
        raise fail(err.problem_mark.line + 1, err.problem_mark.column + 1, err.problem) from None
    except yaml.MarkedYAMLError as err:
        context = err.context_mark if err.context else None
        found = explain_syntax(text, err.problem or "", err.problem_mark.line + 1, err.problem_mark.column + 1,
                               err.context, context and context.line + 1, context and context.column + 1)
        raise fail(found.line, found.column, f"YAML syntax error: {found.message}") from None
    except yaml.reader.ReaderError as err:
        line, column = _position(text.encode("utf-8"), err.position)
        raise fail(line, column, f"YAML syntax error: {err.reason}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1
