"""Cut the country outlines that kg's maps draw from world-atlas's TopoJSON of Natural Earth.

Run once by hand, not by the build: ``npm pack world-atlas@2.0.2``, unpack it, then
``python tools/borders.py package/countries-50m.json kg/borders/countries.geojson``.
It keeps every country that reaches into the region below (Syria and its neighbours with
room around them), its outlines clipped to the region, as GeoJSON with coordinates rounded to
0.001°.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: west, south, east, north in degrees: the eastern Mediterranean to western Iran, Sinai to the Black Sea.
REGION = (26.0, 27.0, 52.0, 43.0)


def arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (delta-decoded and untransformed)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 3), round(y * sy + ty, 3)))
        decoded.append(points)
    return decoded


def ring(indexes: list[int], decoded: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A closed ring from arc indexes; a negative index ~i is arc i reversed."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = decoded[index] if index >= 0 else decoded[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict, decoded: list) -> list[list[list[tuple[float, float]]]]:
    shapes = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
    return [[ring(r, decoded) for r in shape] for shape in shapes]


def clip(points: list[tuple[float, float]], region: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """A ring cut to the region's rectangle (Sutherland-Hodgman): empty when it lies outside."""
    west, south, east, north = region
    edges = [(0, west, 1), (0, east, -1), (1, south, 1), (1, north, -1)]  # (axis, bound, side kept)
    for axis, bound, side in edges:
        if not points:
            break
        kept: list[tuple[float, float]] = []
        for index, current in enumerate(points):
            previous = points[index - 1]
            inside, was_inside = (current[axis] - bound) * side >= 0, (previous[axis] - bound) * side >= 0
            if inside != was_inside:
                t = (bound - previous[axis]) / (current[axis] - previous[axis])
                cut = tuple(round(p + t * (c - p), 3) if i != axis else bound
                            for i, (p, c) in enumerate(zip(previous, current)))
                kept.append(cut)  # type: ignore[arg-type]
            if inside:
                kept.append(current)
        points = kept
    return points if len(points) >= 4 else []


def clipped(shapes: list, region: tuple[float, float, float, float]) -> list:
    """Each polygon's rings cut to the region; polygons whose outer ring falls outside are dropped."""
    result = []
    for shape in shapes:
        rings = [clip(r, region) for r in shape]
        if rings and rings[0]:
            result.append([r for r in rings if r])
    return result


def main(source: str, target: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    decoded = arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        shapes = clipped(polygons(geometry, decoded), REGION)
        if shapes:
            features.append({"type": "Feature", "properties": {"name": geometry["properties"]["name"]},
                             "geometry": {"type": "MultiPolygon", "coordinates": shapes}})
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {"type": "FeatureCollection", "bbox": list(REGION), "features": features}
    Path(target).write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(features)} countries: {', '.join(f['properties']['name'] for f in features)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
