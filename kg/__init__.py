"""kg: a knowledge graph of conflict actors, alliances and places, built from sourced YAML.

>>> import kg
>>> g = kg.load()
>>> g.resolve("Turkey").name
'Türkiye'
"""

from kg.errors import (
    AmbiguousEntityError,
    DataError,
    KGError,
    NoPathError,
    Problem,
    QueryError,
    UnknownEntityError,
)
from kg.dump import dump
from kg.graph import KnowledgeGraph
from kg.load import bundled_data_dir, load, validate
from kg.model import Citation, Entity, Figure, Relation, Source

__all__ = [
    "AmbiguousEntityError",
    "Citation",
    "DataError",
    "Entity",
    "Figure",
    "KGError",
    "KnowledgeGraph",
    "NoPathError",
    "Problem",
    "QueryError",
    "Relation",
    "Source",
    "UnknownEntityError",
    "bundled_data_dir",
    "dump",
    "load",
    "validate",
]

__version__ = "0.1.0"
