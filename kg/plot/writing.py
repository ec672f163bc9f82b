"""Writing figures to files: PNG, SVG, or a self-contained interactive HTML page."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from kg.errors import QueryError
from kg.files import write_atomically
from kg.plot.figures import tooltips

if TYPE_CHECKING:
    from matplotlib.figure import Figure


__all__ = ["WRITERS", "check_path", "save", "to_html"]


def _write_image(figure: "Figure", path: Path) -> None:
    import matplotlib

    kind = path.suffix.lower().lstrip(".")
    metadata = {"svg": {"Date": None}, "png": {"Software": None}}[kind]
    with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
        write_atomically(path, lambda out: figure.savefig(out, format=kind, dpi=150, metadata=metadata), binary=True)


def _write_html(figure: "Figure", path: Path) -> None:
    page = to_html(figure, title=path.stem)
    write_atomically(path, lambda out: out.write(page))


#: File writers by suffix; ``save`` picks one, ``kg plot`` and ``kg map`` list them.
WRITERS: Mapping[str, Callable[["Figure", Path], None]] = {
    ".png": _write_image,
    ".svg": _write_image,
    ".html": _write_html,
}


def check_path(path: str | Path) -> Path:
    """``path`` as a Path, if ``save`` can write there: a known suffix, an existing folder.

    >>> import kg.plot
    >>> kg.plot.check_path("timeline.gif")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: cannot write 'timeline.gif': the file name must end in .png, .svg or .html
    """
    path = Path(path)
    if path.suffix.lower() not in WRITERS:
        choices = ", ".join(list(WRITERS)[:-1]) + " or " + list(WRITERS)[-1]
        raise QueryError(f"cannot write {str(path)!r}: the file name must end in {choices}")
    if not path.parent.is_dir():
        raise QueryError(f"cannot write {str(path)!r}: the folder {str(path.parent)!r} does not exist")
    return path


def save(figure: "Figure", path: str | Path) -> Path:
    """Write a figure to ``path`` as PNG, SVG or interactive HTML, chosen by the suffix
    (see ``WRITERS``), and return the path.

    >>> import kg, kg.plot
    >>> kg.plot.save(kg.plot.timeline(kg.load(), "HTS"), "timeline.gif")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: cannot write 'timeline.gif': the file name must end in .png, .svg or .html
    """
    path = check_path(path)
    WRITERS[path.suffix.lower()](figure, path)
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 0; }}
header {{ padding: 6px 12px; background: #f4f4f4; border-bottom: 1px solid #ddd; }}
#view {{ width: 100vw; height: calc(100vh - 42px); overflow: hidden; cursor: grab; }}
#view svg {{ width: 100%; height: 100%; }}
#tip {{ position: fixed; pointer-events: none; background: #fff; border: 1px solid #999; padding: 4px 6px;
        white-space: pre-wrap; max-width: 420px; font-size: 12px; display: none; }}
.kg-dim {{ opacity: 0.12; }} .kg-hit {{ filter: drop-shadow(0 0 3px #f0a000); }}
</style></head><body>
<header><strong>{title}</strong> — hover for details, click a node to show its ties, drag to pan,
wheel to zoom. <input id="find" placeholder="find a name"> <button id="reset">reset</button></header>
<div id="view">{svg}</div><div id="tip"></div>
<script>
const META = {meta};
const svg = document.querySelector("#view svg"), tip = document.getElementById("tip");
const start = svg.viewBox.baseVal; let box = [start.x, start.y, start.width, start.height];
const home = box.slice();
function show() {{ svg.setAttribute("viewBox", box.join(" ")); }}
function owner(el) {{
  while (el && el !== svg) {{ if (el.id && META[el.id]) return el; el = el.parentNode; }}
  return null;
}}
svg.addEventListener("mousemove", e => {{
  const el = owner(e.target);
  if (!el) {{ tip.style.display = "none"; return; }}
  tip.textContent = META[el.id].text; tip.style.display = "block";
  tip.style.left = (e.clientX + 14) + "px"; tip.style.top = (e.clientY + 14) + "px";
}});
function clear() {{ for (const id in META) {{ const el = document.getElementById(id);
  if (el) el.classList.remove("kg-dim", "kg-hit"); }} }}
svg.addEventListener("click", e => {{
  const el = owner(e.target); clear(); if (!el || !META[el.id].links.length) return;
  const keep = new Set([el.id, ...META[el.id].links]);
  for (const l of META[el.id].links) for (const n of (META[l] || {{links: []}}).links) keep.add(n);
  for (const id in META) {{
    const other = document.getElementById(id);
    if (other && !keep.has(id)) other.classList.add("kg-dim");
  }}
}});
document.getElementById("find").addEventListener("input", e => {{
  clear(); const text = e.target.value.trim().toLowerCase(); if (!text) return;
  for (const id in META) {{ const el = document.getElementById(id); if (!el) continue;
    el.classList.add(META[id].text.toLowerCase().includes(text) ? "kg-hit" : "kg-dim"); }}
}});
document.getElementById("reset").addEventListener("click", () => {{ box = home.slice(); show(); clear(); }});
svg.addEventListener("wheel", e => {{
  e.preventDefault(); const f = e.deltaY > 0 ? 1.15 : 1 / 1.15, r = svg.getBoundingClientRect();
  const px = box[0] + (e.clientX - r.left) / r.width * box[2], py = box[1] + (e.clientY - r.top) / r.height * box[3];
  box = [px - (px - box[0]) * f, py - (py - box[1]) * f, box[2] * f, box[3] * f]; show();
}}, {{passive: false}});
let drag = null;
svg.addEventListener("mousedown", e => {{ drag = [e.clientX, e.clientY, box[0], box[1]]; }});
window.addEventListener("mouseup", () => {{ drag = null; }});
window.addEventListener("mousemove", e => {{ if (!drag) return; const r = svg.getBoundingClientRect();
  box[0] = drag[2] - (e.clientX - drag[0]) / r.width * box[2];
  box[1] = drag[3] - (e.clientY - drag[1]) / r.height * box[3]; show(); }});
</script></body></html>
"""


def to_html(figure: "Figure", title: str = "kg") -> str:
    """A self-contained HTML page: the figure as inline SVG, with tooltips, highlighting,
    search, pan and zoom from a small inline script. It loads nothing from the network.

    >>> import kg, kg.plot
    >>> page = kg.plot.to_html(kg.plot.control_map(kg.load(), "2024-12-01"), title="control")
    >>> page.startswith("<!DOCTYPE html>") and "<svg" in page and "http" not in page.split("<svg")[0]
    True
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    meta = json.dumps(tooltips(figure), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return _PAGE.format(title=html.escape(title), svg=svg, meta=meta)
