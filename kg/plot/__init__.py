"""Pictures of a knowledge graph: the signed network, one entity's neighbourhood, a timeline of
an entity's statements, and a map of places coloured by who controls them on a date.

Every function takes the graph first and returns a matplotlib ``Figure``; ``save`` writes a
figure as PNG, SVG or a self-contained interactive HTML page, chosen by the file's suffix.
matplotlib is optional (the ``plot`` extra: ``pip install ".[plot]"`` in a clone) and only
imported when a picture is drawn, so ``import kg`` and ``import kg.plot`` stay light. Layouts
are deterministic: the network's force layout is seeded, the neighbourhood is drawn in rings
sorted by sign and name.

One module a job: figures (what every picture shares: styles, what a figure draws), drawing
(ties, entities and their names), signed (the network, a neighbourhood), timelines, maps,
pictures (``draw`` by name) and writing (``save``, ``to_html``).

>>> import kg, kg.plot
>>> figure = kg.plot.neighbourhood(kg.load(), "HTS", as_of="2024-12-01")
>>> kg.plot.drawn(figure, "node")[:3]
['ahrar-al-sham', 'al-qaeda', 'aleppo']
"""

from kg.plot.figures import SHAPES, SIGN_COLOURS, SIGN_NAMES, MissingDependencyError, Shape, drawn
from kg.plot.maps import BORDERS, control_map
from kg.plot.pictures import PICTURES, Picture, draw
from kg.plot.signed import neighbourhood, network
from kg.plot.timelines import timeline
from kg.plot.writing import WRITERS, check_path, save, to_html

__all__ = [
    "BORDERS",
    "PICTURES",
    "SHAPES",
    "SIGN_COLOURS",
    "SIGN_NAMES",
    "WRITERS",
    "MissingDependencyError",
    "Picture",
    "Shape",
    "check_path",
    "control_map",
    "draw",
    "drawn",
    "neighbourhood",
    "network",
    "save",
    "timeline",
    "to_html",
]
