"""Questions over a KnowledgeGraph, one module a question: who supports whom against whom, how two entities are
connected, allies and enemies, an entity's card, unbalanced triangles, what changed.

Every function takes the graph first and names entities by id, name or alias. Answers are
frozen records that carry the statements they rest on, collected in ``Results`` lists
that convert to tables. By default only statements whose status asserts them (stated,
reported, alleged, claimed) count; pass ``statuses=`` to choose.
"""

from kg.query.changes import Change, diff, stats
from kg.query.common import ASSERTING
from kg.query.paths import Hop, Path, paths, shortest_path
from kg.query.search import Match, search
from kg.query.supports import MEMBERSHIP_DEPTH, SUPPORT_RULES, Chain, Support, iter_supports, supports
from kg.query.ties import Card, Tie, Triangle, allies, balance, card, enemies

__all__ = [
    "ASSERTING",
    "MEMBERSHIP_DEPTH",
    "SUPPORT_RULES",
    "Card",
    "Chain",
    "Change",
    "Hop",
    "Match",
    "Path",
    "Support",
    "Tie",
    "Triangle",
    "allies",
    "balance",
    "card",
    "diff",
    "enemies",
    "iter_supports",
    "paths",
    "search",
    "shortest_path",
    "stats",
    "supports",
]
