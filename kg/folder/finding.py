"""Which files a data folder holds: the data files kg reads, the bundled folder, files it would skip."""

from __future__ import annotations

import difflib
from pathlib import Path

from kg.errors import Problem

__all__ = ["DATA_FILES", "bundled_data_dir", "holds_data", "unread_files", "unread_problems"]

#: The files of a data folder, in the order they are read, and what each holds.
DATA_FILES = {
    "sources.yaml": "source",
    "actors.yaml": "actor",
    "places.yaml": "place",
    "events.yaml": "event",
    "relations.yaml": "relation",
}


def bundled_data_dir() -> Path:
    """The folder of the dataset that ships with kg.

    >>> (bundled_data_dir() / "relations.yaml").is_file()
    True
    """
    here = Path(__file__).resolve()
    installed = here.parents[1] / "data"  # inside the package, as a wheel installs it
    return installed if installed.is_dir() else here.parents[2] / "data"


def holds_data(folder: str | Path) -> bool:
    """Whether a folder holds kg data files, or YAML files named like them (``relations.yml``).

    >>> holds_data(bundled_data_dir()), holds_data(bundled_data_dir().parent / "kg")
    (True, False)
    """
    folder = Path(folder)
    return folder.is_dir() and any(name in DATA_FILES or _data_file_like(name) for name in _file_names(folder))


def unread_files(folder: str | Path) -> list[str]:
    """What kg does not read in a data folder: one line per file, with a did-you-mean where one fits.

    YAML files among them (``relations.yml``, ``relation.yaml``) are problems for ``validate``;
    other files (``notes.txt``) are only listed. A README is the folder's documentation, and
    hidden files are no one's business: both are left out.

    >>> unread_files(bundled_data_dir())
    []
    """
    return [f"{name}: {_unread_reason(name)}" for name in _file_names(Path(folder))
            if name not in DATA_FILES and not _is_readme(name)]


def _file_names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in folder.iterdir() if entry.is_file() and not entry.name.startswith("."))
    except OSError:
        return []


def _is_readme(name: str) -> bool:
    """``README``, ``README.md``, ``readme.txt``: documentation of the data, not data."""
    return name.split(".")[0].lower() == "readme" and not _is_yaml(name)


def _is_yaml(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def _data_file_like(name: str) -> str | None:
    """The data file a name was probably meant to be (``relation.yml`` -> ``relations.yaml``)."""
    stem = name.lower().split(".")[0]
    stems = {data_file.split(".")[0]: data_file for data_file in DATA_FILES}
    close = difflib.get_close_matches(stem, stems, n=1, cutoff=0.75)
    return stems[close[0]] if close else None


def _unread_reason(name: str) -> str:
    meant = _data_file_like(name)
    if meant and name.lower() == meant.replace(".yaml", ".yml"):
        return f"not read: kg reads .yaml files, not .yml; rename it to {meant}"
    if meant and name.lower() == meant:
        return f"not read: file names are lowercase; rename it to {meant}"
    if meant:
        return f"not read (did you mean {meant}?)"
    return f"not read (kg reads {', '.join(DATA_FILES)})"


def unread_problems(folder: Path) -> list[Problem]:
    """Every YAML file kg would skip, as a problem: data must never be left out in silence."""
    return [Problem(str(folder / name), 0, 0, _unread_reason(name))
            for name in _file_names(folder) if name not in DATA_FILES and _is_yaml(name)]
