"""Reading a folder's files into a session: bytes, records (fast, else with marks), then cross-checks."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml

from kg.folder import fast
from kg.folder.checks import check_cycles, check_reference
from kg.folder.finding import DATA_FILES
from kg.folder.keys import read_contents
from kg.folder.nodes import LimitError, Map, Node, Plain, Seq, compose, compose_at
from kg.folder.records import READERS
from kg.folder.session import FileReader, Invalid, NeedMarks, Session, describe
from kg.folder.syntax import explain as explain_syntax

__all__ = ["Needs", "file_records", "read_file", "read_files"]

#: Records to read with marks at once, (file, index), with their nodes where they were composed before.
Needs = dict[tuple[str, int], Optional[Node]]


def read_files(folder: Path, names: list[str], marked: bool,
                contents: dict[str, bytes | OSError] | None = None, needs: Needs | None = None) -> Session:
    """Read and check every file (from ``contents`` when given). Without marks (fast, plain
    values), the first problem raises ``NeedMarks``; with marks, every problem is collected,
    and only the records with problems are composed by libyaml into nodes with marks: a
    record read as plain values is composed alone when it has a problem. ``needs``: the
    records (file, index) to read with marks at once, and their nodes where composed already."""
    session = Session(marked=marked, folder=folder)
    needs = {} if needs is None else needs
    contents = read_contents(folder, names) if contents is None else contents
    for name in names:
        session.entities_read = DATA_FILES[name] == "relation"
        read_file(folder / name, DATA_FILES[name], session, contents[name], needs)
    for reference in session.references:
        check_reference(session, reference)
    if session.needs - needs.keys():  # references that a record read without marks got wrong: read it with them
        again = {**dict.fromkeys(session.needs), **needs}
        del session  # its records are read again
        return read_files(folder, names, marked, contents, again)
    check_cycles(session)
    if not (session.sources or session.entities or session.relations or session.problems):
        session.add(str(folder), 0, 0, "holds no records: every data file is empty")
    return session


def read_file(path: Path, record: str, session: Session, data: bytes | OSError, needs: Needs | None = None) -> None:
    """Read one file's records into the session. With marks, a file the fast reader cannot
    take record by record (or with a syntax error) is read again whole, by libyaml."""
    reader = FileReader(str(path), session)
    start = _state(session)
    try:
        _read_records(reader, READERS[record], file_records(path, record, reader, data, located=True),
                      {} if needs is None else needs)
    except (Invalid, fast.NotOneRecord):
        _restore(session, start)
        reader.record, reader.line = None, 0
        whole = ((node, None) for node in file_records(path, record, reader, data, whole_file=True))
        try:
            _read_records(reader, READERS[record], whole, {})
        except Invalid:
            session.unreadable = True


def _read_records(reader: FileReader, read_record: Callable, located: Iterable[tuple[Plain, fast.Place | None]],
                  needs: Needs) -> None:
    for index, (node, place) in enumerate(located):
        reader.record, reader.line = index, place[3] + 1 if place else getattr(node, "line", 0)
        try:
            if place is None or not reader.session.marked:
                read_record(reader, node, reader.session)
            else:
                _read_marking(reader, read_record, node, place, needs)
        except Invalid:
            continue


def _read_marking(reader: FileReader, read_record: Callable, plain: Plain, place: fast.Place, needs: Needs) -> None:
    """Read a record as plain values; if it has a problem, compose it alone with marks and read
    it again, to report every problem where it is (nodes kept in ``needs`` for a second pass)."""
    session, key = reader.session, (reader.file, reader.record)
    if key not in needs:
        before = _state(session)
        session.marked = False
        try:
            read_record(reader, plain, session)
            return
        except NeedMarks:
            _restore(session, before)
        finally:
            session.marked = True
    node = needs.get(key)
    if node is None:
        text, start, stop, first = place
        node = needs[key] = compose_at(text[start:stop], first).items[0]
    read_record(reader, node, session)


def _state(session: Session) -> tuple[int, ...]:
    """How much the session holds: what reading a record adds to."""
    return tuple(len(part) for part in _parts(session))


def _restore(session: Session, state: tuple[int, ...]) -> None:
    """Take back what was added since ``_state`` (the records, ids, references and problems of a record)."""
    for part, size in zip(_parts(session), state):
        if isinstance(part, list):
            del part[size:]
        else:
            while len(part) > size:
                part.popitem()


def _parts(session: Session) -> tuple:
    return (session.sources, session.entities, session.relations, session.defined_at, session.texts,
            session.references, session.problems)


def file_records(path: Path, record: str, reader: FileReader, data: bytes | OSError, whole: bool = False,
                 located: bool = False, whole_file: bool = False) -> Iterable:
    """The file's records, one node each (``whole``: the one mapping the file is); raises
    Invalid after reporting why they cannot be read. ``located``: each record with its place
    (see ``fast.located_records``), read by the fast reader even with marks, so that only
    the records with problems need be composed; ``whole_file``: composed whole by libyaml."""

    def fail(line: int, column: int, message: str) -> Invalid:
        reader.session.add(str(path), line, column, message)
        return Invalid()

    if isinstance(data, OSError):
        raise fail(0, 0, f"cannot be read: {data.strerror}")
    text = ""
    try:
        found = fast.located_records(data) if located and not whole_file else None
        if found is not None:
            yield from found
            return
        text = data.decode("utf-8")
        nodes = None if reader.session.marked or whole_file or located else fast.records(text)
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
        yield from ((node, None) for node in nodes) if located else nodes
    except fast.NotOneRecord:
        if located and reader.session.marked:
            raise  # the caller reads this file again, whole, with libyaml
        raise NeedMarks from None  # read every file again, whole, with libyaml
    except LimitError as err:
        raise fail(err.problem_mark.line + 1, err.problem_mark.column + 1, err.problem) from None
    except UnicodeDecodeError as err:
        raise fail(*_position(data, err.start), f"is not valid UTF-8: byte 0x{data[err.start]:02x}; "
                                                "save the file as UTF-8") from None
    except yaml.MarkedYAMLError as err:
        text = text or data.decode("utf-8")  # libyaml read it whole: it is UTF-8
        context = err.context_mark if err.context else None
        found = explain_syntax(text, err.problem or "", err.problem_mark.line + 1, err.problem_mark.column + 1,
                               err.context, context and context.line + 1, context and context.column + 1)
        raise fail(found.line, found.column, f"YAML syntax error: {found.message}") from None
    except yaml.reader.ReaderError as err:
        text = text or data.decode("utf-8")
        line, column = _position(text.encode("utf-8"), err.position)
        raise fail(line, column, f"YAML syntax error: {err.reason}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1
