"""Exports for network tools: GraphML and GEXF from the networkx view, and a CSV edge list.

These formats carry no IRIs: each writer takes the ``base`` of ``kg.formats``' writers and
leaves it unused.

GraphML and GEXF take only scalar attributes, so lists become text: plain values joined
with ``;`` (``against``, ``support``), anything nested as JSON (``sources``), and None as
``""``. Nodes carry a ``label``, the entity's name. In GEXF, an edge's ``type`` attribute
is reserved for directed, undirected or mutual, so the relation type is the edge's
``label`` and its ``relation`` attribute, and symmetric relations are ``mutual``;
``start`` and ``end`` become Gephi's time interval: the days the statement may have held
(``2016`` starts on 2016-01-01, ``2024-11~`` ends on 2024-12-31; see ``kg.dates``), and
open or unknown ends are left out.

>>> import io, kg
>>> out = io.StringIO()
>>> write_csv(kg.load(), out)
>>> print(out.getvalue().splitlines()[0])
id,type,subject,object,start,end,status,against,support,place,role,sources
"""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, TextIO

from kg.dates import AFTER_ALL, BEFORE_ALL, span
from kg.graph import KnowledgeGraph
from kg.model import collector_paused, edge_fields
from kg.results import spreadsheet_safe

if TYPE_CHECKING:
    import networkx

__all__ = ["CSV_COLUMNS", "networkx_graph", "write_csv", "write_gexf", "write_graphml"]

#: The columns of the CSV edge list, one row per relation: its edge fields (see ``kg.model``), then its sources.
CSV_COLUMNS = (*(field.name for field in edge_fields()), "sources")

SEPARATOR = ";"

#: What a relation's networkx edge carries besides its ends, id and type (see ``kg.model.edge_fields``).
EDGE_ATTRIBUTES = tuple(field.name for field in edge_fields() if field.value not in ("id", "type", "end"))


def networkx_graph(graph: KnowledgeGraph) -> "networkx.MultiDiGraph":
    """The graph as a new networkx MultiDiGraph (see ``KnowledgeGraph.to_networkx``).

    >>> import kg
    >>> networkx_graph(kg.load()).nodes["hts"]["kind"]
    'armed-group'
    """
    import networkx

    view = networkx.MultiDiGraph()
    with collector_paused():  # a node's and an edge's attributes are dicts: a collector pass would only rescan them
        for entity in graph.entities.values():
            view.add_node(entity.id, name=entity.name, kind=entity.kind, category=entity.category)
        for r in graph.relations():
            view.add_edge(
                r.subject, r.object, key=r.id, type=r.type, sign=r.sign, symmetric=r.symmetric,
                **{name: list(value) if isinstance(value := getattr(r, name), tuple) else value
                   for name in EDGE_ATTRIBUTES},
                sources=[{"source": c.source, "quote": c.quote} for c in r.sources],
                **({"holding": r.holding(graph.date)} if graph.date else {}),
            )
    return view


def write_csv(graph: KnowledgeGraph, out: TextIO, base: str = "") -> None:
    """Write the relations as a CSV edge list, sorted by id; list cells are joined with ``;``.

    >>> import io, kg
    >>> out = io.StringIO()
    >>> write_csv(kg.load(), out)
    >>> len(out.getvalue().splitlines()) == len(kg.load()) + 1
    True
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for relation in sorted(graph.relations(), key=lambda relation: relation.id):
        cells = {column: getattr(relation, column) for column in CSV_COLUMNS}
        cells["sources"] = list(dict.fromkeys(citation.source for citation in relation.sources))
        writer.writerow(_csv_cell(_flat(cells[column])) for column in CSV_COLUMNS)


def write_graphml(graph: KnowledgeGraph, out: TextIO, base: str = "") -> None:
    """Write the networkx view as GraphML, attributes flattened to text.

    >>> import io, kg
    >>> out = io.StringIO()
    >>> write_graphml(kg.load(), out)
    >>> out.getvalue().startswith("<graphml")
    True
    """
    import networkx

    view = _flattened(graph.to_networkx())
    out.writelines(line + "\n" for line in networkx.generate_graphml(view))


def write_gexf(graph: KnowledgeGraph, out: TextIO, base: str = "") -> None:
    """Write the networkx view as GEXF 1.2 for Gephi, with relations' spans as time intervals.

    >>> import io, kg
    >>> out = io.StringIO()
    >>> write_gexf(kg.load(), out)
    >>> 'version="1.2"' in out.getvalue()
    True
    """
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    # GEXFWriter stamps today's date into <meta>; drop it so the same data gives the same file.
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    view = _flattened(graph.to_networkx(), spans=True)
    for _, _, key, data in view.edges(keys=True, data=True):
        data["id"] = key  # the statement's id, not a running number
        data["relation"] = data["label"] = data.pop("type")
        data["type"] = "mutual" if data["symmetric"] else "directed"
    writer.add_graph(view)
    out.write(str(writer))


def _csv_cell(value: object) -> object:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def _flat(value: object) -> object:
    """A scalar for GraphML and GEXF: None -> "", lists of scalars joined, nested values as JSON."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)) and all(isinstance(item, (str, int, float)) for item in value):
        return SEPARATOR.join(map(str, value))
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _flattened(view: "networkx.MultiDiGraph", spans: bool = False) -> "networkx.MultiDiGraph":
    """A copy of the view with every attribute flattened; ``spans`` widens start/end for GEXF."""
    copy = view.__class__()
    copy.add_nodes_from((node, {"label": data["name"], **_attributes(data, spans)})
                        for node, data in view.nodes(data=True))
    copy.add_edges_from((u, v, key, _attributes(data, spans))
                        for u, v, key, data in view.edges(keys=True, data=True))
    return copy


def _attributes(data: dict, spans: bool) -> dict:
    flattened = {name: _flat(value) for name, value in data.items()}
    if spans and ("start" in data or "end" in data):
        flattened.pop("start", None)
        flattened.pop("end", None)
        for name, day in zip(("start", "end"), span(data.get("start"), data.get("end")).possible):
            if day not in (BEFORE_ALL, AFTER_ALL):
                flattened[name] = day.isoformat()
    return flattened
