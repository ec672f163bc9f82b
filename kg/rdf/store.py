"""A knowledge graph kept in an on-disk Oxigraph store: for graphs past memory, or heavy SPARQL.

A ``Store`` holds a graph's RDF form and kg's ontology in a folder. It answers SPARQL, and
the query helpers shipped with kg (``relations``, ``as_of``, ``supports``, ``paths``), with
the same rows as ``kg.rdf.sparql`` over the graph in memory. Fill it from a KnowledgeGraph
once (``Store.create``), or straight from an RDF export without loading any YAML
(``Store.load``), then open it again later without reading anything (``Store(path)``).

>>> import kg, tempfile
>>> store = Store.create(tempfile.mkdtemp(), kg.load())
>>> [row["basis"] for row in store.query("supports", supporter=kg.load().resolve("Russia"))][:1]
['derived']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from kg.files import remove_leftovers, replace_folder, temporary_name
from kg.formats import get
from kg.graph import KnowledgeGraph
from kg.rdf import backends
from kg.rdf.ontology import shipped
from kg.rdf.reader import from_rdf
from kg.rdf.sparql import OxigraphEngine, query_text, select, select_rows
from kg.rdf.terms import RdfError

__all__ = ["Store"]


class Store:
    """An on-disk Oxigraph store holding one knowledge graph and kg's ontology.

    ``Store(path, read_only=True)`` opens a store made before without changing anything in
    its folder (any number of readers at once); ``create`` and ``load`` build a new store
    beside ``path`` and put it in place only once it is complete, so a failure (bad input,
    a full disk, a kill) leaves the store that was there as it was.
    """

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False):
        oxigraph = backends.oxigraph()
        if oxigraph is None:
            raise RdfError("an on-disk store needs pyoxigraph, which is not installed on this platform")
        self.path = Path(path)
        if read_only and not _is_store(self.path):
            raise RdfError(f"{self.path} is not a store made by 'kg store'")
        self._store = oxigraph.Store.read_only(str(self.path)) if read_only else oxigraph.Store(str(self.path))

    @classmethod
    def create(cls, path: str | os.PathLike, graph: KnowledgeGraph) -> "Store":
        """A store at ``path`` holding ``graph`` (replacing the store there once it is built)."""
        return cls._build(Path(path), lambda store: OxigraphEngine.load(graph, store))

    @classmethod
    def load(cls, path: str | os.PathLike, rdf_file: str | os.PathLike) -> "Store":
        """A store at ``path`` holding the graph exported to ``rdf_file`` (Turtle, N-Triples or
        JSON-LD, by suffix), streamed in without building the graph in memory. A syntax
        error is an ``RdfError`` with the file's line and column."""
        oxigraph = backends.oxigraph()
        row = get(rdf_file, None, "store")

        def fill(store: object) -> None:
            try:
                store.bulk_load(path=str(rdf_file), format=getattr(oxigraph.RdfFormat, row.oxigraph))
            except SyntaxError as err:
                raise RdfError(f"{rdf_file}:{err.lineno}:{err.offset}: {err.msg}") from None
            store.bulk_load(shipped("ontology.ttl").encode("utf-8"), oxigraph.RdfFormat.TURTLE)

        return cls._build(Path(path), fill)

    @classmethod
    def _build(cls, target: Path, fill: Callable[[object], None]) -> "Store":
        """Fill a new store in a temporary folder beside ``target``, then put it in place."""
        if target.exists() and not (target.is_dir() and (_is_store(target) or not any(target.iterdir()))):
            raise RdfError(f"{target} is not a store made by 'kg store' (it holds other files); "
                           "give a new or empty folder")
        remove_leftovers(target)
        temporary = temporary_name(target)
        try:
            store = backends.oxigraph().Store(str(temporary))
            fill(store)
            store.flush()
            del store  # closed before it moves
            replace_folder(temporary, target)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        return cls(target)

    def sparql(self, query: str, /, *, federated: bool = False, timeout: float | None = None,
               **bindings: object) -> list[dict[str, object]]:
        """The rows of a SELECT query, as ``kg.rdf.sparql`` gives them for a graph in memory
        (``SERVICE`` only when ``federated``, within the ``timeout``)."""
        return select(OxigraphEngine, self._store, query, bindings, federated=federated, timeout=timeout)

    def sparql_rows(self, query: str, /, *, federated: bool = False, timeout: float | None = None,
                    **bindings: object) -> Iterator[dict[str, object]]:
        """``sparql``'s rows one at a time, as Oxigraph finds them (see ``kg.rdf.sparql.sparql_rows``)."""
        return select_rows(OxigraphEngine, self._store, query, bindings, federated=federated, timeout=timeout)

    def query(self, name: str, /, *, timeout: float | None = None, **bindings: object) -> list[dict[str, object]]:
        """The rows of a query helper shipped with kg (``relations``, ``as_of``, ``supports``, ``paths``)."""
        return self.sparql(query_text(name), timeout=timeout, **bindings)

    def to_graph(self) -> KnowledgeGraph:
        """The KnowledgeGraph the store holds."""
        oxigraph = backends.oxigraph()
        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / "graph.nt"
            self._store.dump(str(export), oxigraph.RdfFormat.N_TRIPLES, from_graph=oxigraph.DefaultGraph())
            return from_rdf(export)

    def counts(self) -> dict[str, int]:
        """Triples of the graph (as many as its RDF export holds) and of kg's ontology, which
        a store holds as well, so that its queries can read the vocabulary: ``len`` is their sum."""
        oxigraph = backends.oxigraph()
        ontology = sum(1 for _ in oxigraph.parse(shipped("ontology.ttl").encode("utf-8"), oxigraph.RdfFormat.TURTLE))
        return {"graph": len(self) - ontology, "ontology": ontology}

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        return f"<Store {self.path}: {len(self)} triples>"


def _is_store(folder: Path) -> bool:
    """Whether ``folder`` holds an Oxigraph store (its RocksDB files)."""
    return (folder / "CURRENT").is_file() and (folder / "IDENTITY").is_file()
