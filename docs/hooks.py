"""mkdocs hooks: the pictures and the executed tutorial, made from the code at each build.

``on_files`` draws the pictures that docs/pictures.md shows (``img/*.svg``, ``img/*.png``) with
kg.plot, and runs docs/tutorial.ipynb with nbclient into a page, ``tutorial.md``, that holds its
code and outputs (tables as HTML, figures as PNG images in the page). Nothing is committed:
the site cannot show a picture of data that has changed since.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from mkdocs.structure.files import File, Files

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

#: The pictures pictures.md shows: file name -> (kg.plot function name, arguments, options).
PICTURES = {
    "network.svg": ("network", (), {}),
    "hts.svg": ("neighbourhood", ("HTS",), {}),
    "government.png": ("timeline", ("Syrian government",), {"as_of": "2024-11-27"}),
    "after.png": ("control_map", ("2024-12-02",), {}),
}


def on_files(files: Files, config) -> Files:
    """Add the drawn pictures and the executed tutorial to the site's files."""
    for name, content in pictures().items():
        files.append(File.generated(config, f"img/{name}", content=content))
    files.append(File.generated(config, "tutorial.md", content=tutorial_page()))
    return files


def pictures() -> dict[str, bytes]:
    """Each picture of PICTURES, drawn from the bundled data, as the bytes of its file."""
    import matplotlib

    matplotlib.use("Agg")
    import kg
    import kg.plot

    graph = kg.load()
    drawn = {}
    for name, (function, arguments, options) in PICTURES.items():
        figure = getattr(kg.plot, function)(graph, *arguments, **options)
        out = io.BytesIO()
        figure.savefig(out, format=name.rsplit(".", 1)[1], bbox_inches="tight", metadata=_NO_DATES[name[-3:]])
        matplotlib.pyplot.close(figure)
        drawn[name] = out.getvalue()
    return drawn


# matplotlib stamps the date into PNG and SVG files unless told not to; the same data, the same bytes.
_NO_DATES = {"svg": {"Date": None}, "png": {"Software": None}}


def tutorial_page() -> str:
    """docs/tutorial.ipynb, executed, as a Markdown page with its outputs."""
    import subprocess

    import nbclient
    import nbformat

    notebook = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
    # A cell's error still stops the build (CellExecutionError); the kernel's own log lines
    # (a warning about its local TCP ports) would read as warnings of the build.
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(DOCS.parent)}}).execute(stderr=subprocess.DEVNULL)
    parts = ["<!-- Made by docs/hooks.py from tutorial.ipynb, run when the site is built. -->\n\n"]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source + "\n\n")
        elif cell.cell_type == "code":
            parts.append(f"```python\n{cell.source}\n```\n\n")
            parts += [_output(output) for output in cell.outputs]
    parts.append("[Download the notebook](tutorial.ipynb) to run it yourself.\n")
    return "".join(parts)


def _output(output) -> str:
    """One output of a code cell as Markdown: a figure, an HTML table, or text."""
    data = output.get("data", {})
    if "image/png" in data:
        return f'<p><img alt="figure" src="data:image/png;base64,{data["image/png"].strip()}"></p>\n\n'
    if "text/html" in data:
        return f'<div class="output">\n{data["text/html"]}\n</div>\n\n'
    text = data.get("text/plain") or output.get("text", "")
    return f"```text\n{text.rstrip()}\n```\n\n" if text.strip() else ""
