"""Load a data folder into a KnowledgeGraph (from the cache when it can), or report every problem in it.

The loader composes each file into YAML nodes (libyaml when available), so that every
value keeps its line and column, and reads the nodes against the schemas of
``kg.folder.records``. It checks everything in one pass and collects problems; ``load``
raises a single ``DataError`` holding all of them, and never returns a half-built graph.

>>> problems = validate()   # the bundled data
>>> problems
[]
"""

from __future__ import annotations

from pathlib import Path

from kg.folder import cache as graph_cache
from kg.errors import DataError, Problem
from kg.files import read_regular_file
from kg.folder.finding import DATA_FILES, bundled_data_dir, unread_problems
from kg.folder.keys import checked_texts_key, cuts_name, folder_key, read_contents, relation_cuts, texts_key
from kg.graph import KnowledgeGraph
from kg.model import collector_paused

__all__ = ["load", "validate", "validate_candidates"]

def load(path: str | Path | None = None, *, cache: bool = True) -> KnowledgeGraph:
    """Load a data folder (the bundled dataset by default) into a KnowledgeGraph.

    Raises ``DataError`` listing every problem when the data is not valid. Loading data
    that was loaded before is fast: valid graphs are cached by the content of their files
    (see ``kg.folder.cache``); ``cache=False`` reads the YAML again.

    >>> g = load()
    >>> g.resolve("Turkey").id
    'turkiye'
    """
    graph, problems = _read_folder(path, cache)
    if problems:
        raise DataError(problems)
    return graph


def validate(path: str | Path | None = None, *, cache: bool = True) -> list[Problem]:
    """Every problem in a data folder (the bundled dataset by default), sorted by place."""
    return _read_folder(path, cache)[1]


def validate_candidates(path: str | Path, data: str | Path | None = None) -> list[Problem]:
    """Every problem in a candidates file written by ``kg suggest`` (see ``kg.curation``),
    checked against a data folder (the bundled dataset by default): its candidate statements
    as relations (types, ends, dates, quotes against the source's text), its mentions as
    references to known entities. The problems of the data folder come first, if it has any.

    >>> validate_candidates("no-such-file.yaml")[0].message
    'cannot be read: No such file or directory'
    """
    problems = validate(data)
    if problems:
        return problems
    from kg.folder.reading import file_records, read_files
    from kg.folder.records import CANDIDATES_FILE
    from kg.folder.session import FileReader, Invalid

    folder = Path(data) if data is not None else bundled_data_dir()
    with collector_paused():
        session = read_files(folder, [name for name in DATA_FILES if (folder / name).exists()], marked=True)
    session.candidates = True
    reader = FileReader(str(path), session)
    try:
        content: bytes | OSError = read_regular_file(path)
    except OSError as err:
        content = err
    try:
        for root in file_records(Path(path), "candidates file", reader, content, whole=True):
            reader.fields(root, "a candidates file", CANDIDATES_FILE)
    except Invalid:
        pass
    return sorted(set(session.problems))


def _read_folder(path: str | Path | None, cache: bool = True) -> tuple[KnowledgeGraph | None, list[Problem]]:
    folder = Path(path) if path is not None else bundled_data_dir()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return None, [Problem(str(folder), 0, 0, f"{what}; expected a folder of kg YAML files")]
    present = [name for name in DATA_FILES if (folder / name).exists()]
    unread = unread_problems(folder)
    if not present:
        expected = ", ".join(DATA_FILES)
        return None, unread or [Problem(str(folder), 0, 0, f"holds no kg data files; expected some of: {expected}")]
    with collector_paused():
        contents = read_contents(folder, present)
        cuts = relation_cuts(contents, folder) if cache else []
        key = folder_key(contents, cuts) if cache else None
        if key and not unread:
            cached = graph_cache.read(key)
            if cached is not None and cached[3] == texts_key(folder, cached[0].values()):
                sources, entities, relations, _ = cached
                return KnowledgeGraph(entities, relations, sources), []
        from kg.folder.reading import read_files  # the YAML readers: only when the cache has no graph
        from kg.folder.reloading import cache_parts, reread
        from kg.folder.session import NeedMarks

        session, parts, relations = reread(folder, contents, cuts) if key and not unread else (None, None, None)
        if session is None:
            try:
                session = read_files(folder, present, marked=False, contents=contents)
            except NeedMarks:
                session = read_files(folder, present, marked=True, contents=contents)
        if session.problems or unread:
            return None, sorted(set(session.problems) | set(unread))
        if key:
            graph_cache.write(key, checked_texts_key(session.sources.values(), session.texts),
                              parts or cache_parts(contents, cuts, session),
                              (cuts_name(folder), graph_cache.spans(cuts)))
        graph = KnowledgeGraph(session.entities, relations if relations is not None else session.relations.values(),
                               session.sources)
        return graph, []
