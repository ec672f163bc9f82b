"""The optional parts of kg and the command that installs each, for messages when one is missing.

kg's distribution is ``kg-conflict`` (the name ``kg`` on PyPI belongs to another project),
and it is not published on PyPI: it installs from a clone (``pip install .``). A hint
therefore names the extra as installed from a clone and the plain requirement, which works
anywhere. ``EXTRAS`` mirrors ``[project.optional-dependencies]`` in pyproject.toml (a test
keeps the two equal).
"""

from __future__ import annotations

__all__ = ["DISTRIBUTION", "EXTRAS", "install_hint"]

DISTRIBUTION = "kg-conflict"

#: extra -> the requirements it adds, as in pyproject.toml.
EXTRAS: dict[str, tuple[str, ...]] = {
    "pandas": ("pandas>=2.0",),
    "shacl": ("pyshacl>=0.26",),
    "plot": ("matplotlib>=3.7",),
}


def install_hint(extra: str) -> str:
    """The commands that install an extra: from a clone, or its requirements by name.

    >>> install_hint("plot")
    'pip install ".[plot]" in a clone of kg, or pip install "matplotlib>=3.7"'
    """
    requirements = " ".join(f'"{requirement}"' for requirement in EXTRAS[extra])
    return f'pip install ".[{extra}]" in a clone of kg, or pip install {requirements}'
