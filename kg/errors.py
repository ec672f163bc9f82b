"""The kg exception family.

Every error kg raises on purpose is a ``KGError``; each also subclasses the built-in
exception a Python user would expect (``ValueError`` for bad data, ``KeyError`` for an
unknown name), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

from kg._words import or_list

__all__ = [
    "AmbiguousEntityError",
    "DataError",
    "EndpointError",
    "KGError",
    "NoPathError",
    "Problem",
    "QueryError",
    "RdfError",
    "TruncatedResultError",
    "UnknownEntityError",
    "did_you_mean",
    "unknown_term_message",
]


class KGError(Exception):
    """Root of every error kg raises on purpose."""


class Problem(NamedTuple):
    """One thing wrong with the input, at a place in a file.

    >>> str(Problem("data/actors.yaml", 3, 5, "duplicate id 'hts' (first defined at line 1)"))
    "data/actors.yaml:3:5: duplicate id 'hts' (first defined at line 1)"
    """

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}"


class DataError(KGError, ValueError):
    """The input data has problems; ``problems`` lists every one found in a single pass."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the data:"
        super().__init__("\n".join([header, *map(str, self.problems)]))


class UnknownEntityError(KGError, KeyError):
    """A name that matches no entity; ``suggestions`` holds close ids."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean {or_list([repr(i) for i in self.suggestions])}?)" if self.suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would show the repr of the message
        return str(self.args[0])


class AmbiguousEntityError(UnknownEntityError):
    """A name that matches several entities equally well; ``suggestions`` holds their ids."""

    def __init__(self, name: str, candidates: Sequence[str]):
        self.name = name
        self.suggestions = tuple(candidates)
        names = or_list([repr(i) for i in self.suggestions])
        KeyError.__init__(self, f"{name!r} is ambiguous: it names {names}; use an id")


class QueryError(KGError, ValueError):
    """A query argument that is not valid: an unknown relation type or status, a bad date."""


class RdfError(KGError, ValueError):
    """RDF, or another export format, that kg cannot write or read: an unknown format, a bad
    base IRI, a malformed file, a missing field."""


class NoPathError(KGError, LookupError):
    """No path joins two entities under the given limits."""


class EndpointError(KGError, ConnectionError):
    """A SPARQL endpoint that is down, refuses a request, gives no answer in time, or answers in
    an unexpected format; the message is one line and never holds a credential."""


class TruncatedResultError(EndpointError):
    """A server returned fewer rows than its query has (a cap such as Virtuoso's ResultSetMaxRows)."""


def unknown_term_message(what: str, value: str, choices: Iterable[str], where: str = "") -> str:
    """The message for a value outside a vocabulary table, with a did-you-mean hint.

    >>> unknown_term_message("status", "stateed", ["stated", "reported"])
    "unknown status 'stateed' (did you mean 'stated'?); expected one of: reported, stated"
    >>> unknown_term_message("field", "nmae", ["id", "name"], where="in an actor")
    "unknown field 'nmae' in an actor (did you mean 'name'?); expected one of: id, name"
    """
    choices = sorted(choices)
    match = did_you_mean(value, choices)
    hint = f" (did you mean '{match}'?)" if match else ""
    place = f" {where}" if where else ""
    return f"unknown {what} '{value}'{place}{hint}; expected one of: {', '.join(choices)}"


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to a mistyped value, if one is close enough (rapidfuzz's ratio >= 60).

    >>> did_you_mean("control", ["backs", "controls", "fights"])
    'controls'
    >>> did_you_mean("xyz", ["backs"]) is None
    True
    """
    from rapidfuzz import fuzz, process

    found = process.extractOne(value, list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return found[0] if found else None

