"""Source texts: where a quote stands in its document, and why it does not when it does not.

A source may name a plain-text copy of its document (``text: texts/report.txt``, relative
to the data folder, UTF-8). The loader then anchors each quote that cites it: ``anchor``
gives its start and end offsets (in characters) and the few characters around it, the
W3C Web Annotation selectors. A quote that is not an exact passage gets ``quote_problem``:
the closest passage and which of the usual near misses it is (straight or curly quotation
marks, a dropped or doubled space, a line break, an ellipsis).

>>> text = "Rebels have captured Aleppo, the country’s second city."
>>> anchor("captured Aleppo", text)
Anchor(start=12, end=27, prefix='Rebels have ', suffix=', the country’s second city.')
>>> for part in quote_problem("the country's second city", text, None, "a.txt").split("; "):
...     print(part)
quote not found in a.txt: it has straight quotation marks or apostrophes where the text has curly ones
did you mean: 'the country’s second city' (a.txt:1)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple

from kg.files import read_regular_file

__all__ = ["AFFIX_LENGTH", "Anchor", "TextCoverage", "anchor", "coverage", "occurrences", "quote_problem",
           "read_text"]

#: How many characters of context an anchor keeps on each side of its quote.
AFFIX_LENGTH = 32
# Curly quotation marks and apostrophes (and their look-alikes), folded to straight ones.
_QUOTE_MARKS = str.maketrans({"’": "'", "‘": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                              "″": '"', "«": '"', "»": '"'})
_CURLY = frozenset("’‘‚‛′“”„″«»")
_ELLIPSIS = re.compile(r"\s*(?:\.\s*\.\s*\.|…)\s*")
#: Below this rapidfuzz score (0-100), no passage of the text is offered as the closest.
CLOSE_ENOUGH = 60


class Anchor(NamedTuple):
    """Where a quote stands in its source's text: character offsets and context."""

    start: int
    end: int
    prefix: str
    suffix: str


def read_text(folder: str | Path, name: str) -> str | None:
    """The text file ``name`` (relative to ``folder``), or None when it is absent.

    Raises ``UnicodeDecodeError`` for a file that is not UTF-8 and ``OSError`` for one that
    exists but cannot be read.

    >>> read_text(".", "no/such/file.txt") is None
    True
    """
    try:
        data = read_regular_file(Path(folder) / name)
    except FileNotFoundError:
        return None
    return data.decode("utf-8")


def occurrences(quote: str, text: str, limit: int = 1_000) -> list[int]:
    """The start offsets of every occurrence of ``quote`` in ``text`` (overlapping ones too).

    >>> occurrences("ab", "abcab")
    [0, 3]
    """
    found, at = [], text.find(quote)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def anchor(quote: str, text: str, occurrence: int | None = None) -> Anchor | None:
    """The anchor of ``quote`` in ``text``: of its ``occurrence``-th instance (from 1) when
    given, else of its only one. None when it is absent, occurs more than once and no
    occurrence is given, or occurs fewer times than ``occurrence``.

    >>> anchor("b", "abcb", occurrence=2)
    Anchor(start=3, end=4, prefix='abc', suffix='')
    >>> anchor("b", "abcb") is None
    True
    """
    start = text.find(quote)
    if start < 0:
        return None
    if occurrence is None:
        if text.find(quote, start + 1) >= 0:
            return None
    elif occurrence != 1:
        found = occurrences(quote, text, occurrence)
        if len(found) < occurrence:
            return None
        start = found[occurrence - 1]
    end = start + len(quote)
    return Anchor(start, end, text[max(0, start - AFFIX_LENGTH):start], text[end:end + AFFIX_LENGTH])


def quote_problem(quote: str, text: str, occurrence: int | None, name: str,
                  others: Mapping[str, tuple[str, str]] = {}) -> str | None:
    """Why ``quote`` (with its ``occurrence``) has no anchor in ``text``, the file ``name``;
    None when it has one. ``others`` maps the ids of other sources to their (name, text),
    so that a quote from the wrong source is recognised.

    >>> print(quote_problem("b", "abcb", None, "t.txt"))
    the quote occurs 2 times in t.txt (lines 1, 1); say which with occurrence: 1 to 2
    """
    found = occurrences(quote, text)
    if len(found) == 1 and occurrence in (None, 1) or 1 < len(found) and occurrence and occurrence <= len(found):
        return None
    if found:
        lines = ", ".join(str(_line(text, at)) for at in found)
        if occurrence is None:
            return (f"the quote occurs {len(found)} times in {name} (lines {lines}); "
                    f"say which with occurrence: 1 to {len(found)}")
        return f"occurrence {occurrence}: the quote occurs only {len(found)} time(s) in {name} (lines {lines})"
    for source_id, (other_name, other_text) in sorted(others.items()):
        at = other_text.find(quote)
        if at >= 0:
            return (f"quote not found in {name}, but it is in {other_name}:{_line(other_text, at)}, "
                    f"the text of source '{source_id}': cite that source?")
    return f"quote not found in {name}: {_near_miss(quote, text, name)}"


# --------------------------------------------------------------------------- near misses


def _near_miss(quote: str, text: str, name: str) -> str:
    """The kind of near miss and the closest passage, as ``kinds; did you mean: '...' (name:line)``."""
    folded, positions = _folded(text)
    quote_folded = _fold(quote)
    at = folded.find(quote_folded) if quote_folded else -1
    if at >= 0:
        start, end = positions[at], positions[at + len(quote_folded) - 1] + 1
        kinds = _differences(quote, text[start:end])
    else:
        parts = [_fold(part) for part in _ELLIPSIS.split(quote) if part.strip()]
        span = _in_order(parts, folded, positions) if _ELLIPSIS.search(quote) else None
        if span:
            start, end = span
            kinds = ["it leaves text out with an ellipsis: quote one contiguous passage, or cite each part"]
        else:
            start, end, score = _closest(quote, text)
            if score < CLOSE_ENOUGH:
                return "no passage of the text is close to it"
            kinds = ["it is not an exact passage"]
    passage = text[start:end].replace("\n", "\\n")
    return f"{' and '.join(kinds)}; did you mean: '{passage}' ({name}:{_line(text, start)})"


def _differences(quote: str, passage: str) -> list[str]:
    """How a quote differs from a passage equal to it up to quotation marks and spaces."""
    kinds = []
    quote_marks = [c for c in quote if c in _CURLY or c in "'\""]
    passage_marks = [c for c in passage if c in _CURLY or c in "'\""]
    if any(q not in _CURLY and p in _CURLY for q, p in zip(quote_marks, passage_marks)):
        kinds.append("it has straight quotation marks or apostrophes where the text has curly ones")
    if any(q in _CURLY and p not in _CURLY for q, p in zip(quote_marks, passage_marks)):
        kinds.append("it has curly quotation marks or apostrophes where the text has straight ones")
    if any(q != p for q, p in zip(quote_marks, passage_marks) if (q in _CURLY) == (p in _CURLY)):
        kinds.append("its quotation marks differ from the text's")
    gaps = list(zip(_gaps(quote.strip()), _gaps(passage)))
    checks = (
        (lambda q, p: not q and p, "it drops a space"),
        (lambda q, p: q and not p, "it has a space where the text has none"),
        (lambda q, p: "  " in q.replace("\n", " ") and p == " ", "it doubles a space"),
        (lambda q, p: "\n" in q and "\n" not in p, "it has a line break where the text has none"),
        (lambda q, p: "\n" in p and "\n" not in q, "it runs over a line break in the text: quote within a line, or "
                                                   "cite each part"),
    )
    kinds += [kind for check, kind in checks if any(check(q, p) for q, p in gaps)]
    if quote != quote.strip():
        kinds.append("it starts or ends with a space")
    return kinds or ["it differs from the text"]


def _gaps(text: str) -> list[str]:
    """The whitespace between each two consecutive visible characters (ellipses counted as three)."""
    gaps, current = [], ""
    for char in text.replace("…", "..."):
        if char.isspace():
            current += char
        else:
            gaps.append(current)
            current = ""
    return gaps[1:]


def _fold(text: str) -> str:
    """Text without whitespace, with straight quotation marks and ``...`` for an ellipsis."""
    return "".join(text.translate(_QUOTE_MARKS).replace("…", "...").split())


@lru_cache(maxsize=16)
def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded text and, for each of its characters, its offset in ``text``."""
    characters, positions = [], []
    for at, char in enumerate(text):
        if char.isspace():
            continue
        replaced = "..." if char == "…" else char.translate(_QUOTE_MARKS)
        characters.append(replaced)
        positions.extend([at] * len(replaced))
    return "".join(characters), tuple(positions)


def _in_order(parts: list[str], folded: str, positions: tuple[int, ...]) -> tuple[int, int] | None:
    """The span of the text from the first part to the last, each found after the one before."""
    at, start, end = 0, None, None
    for part in parts:
        found = folded.find(part, at)
        if found < 0 or not part:
            return None
        start = positions[found] if start is None else start
        at = found + len(part)
        end = positions[at - 1] + 1
    return (start, end) if start is not None else None


def _closest(quote: str, text: str) -> tuple[int, int, float]:
    """The passage of ``text`` most like ``quote``, from word to word, and its score (0-100).

    rapidfuzz aligns a window as long as the quote; its ends are then moved to the word
    boundaries nearby that make the passage most like the quote.
    """
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, text)
    if found is None:
        return 0, 0, 0.0
    slack = max(8, len(quote) // 4)
    starts = [at for at in range(max(0, found.dest_start - slack), found.dest_start + slack)
              if at < len(text) and not text[at].isspace() and (at == 0 or text[at - 1].isspace())]
    ends = [at for at in range(found.dest_end - slack, min(len(text), found.dest_end + slack) + 1)
            if at > 0 and not text[at - 1].isspace() and (at == len(text) or not text[at].isalnum())]
    pairs = [(start, end) for start in starts for end in ends if end > start] or [(found.dest_start, found.dest_end)]
    start, end = max(pairs, key=lambda pair: (fuzz.ratio(quote, text[pair[0]:pair[1]]), -pair[0]))
    return start, end, found.score


def _line(text: str, offset: int) -> int:
    """The 1-based line of ``text`` on which ``offset`` falls."""
    return text.count("\n", 0, offset) + 1


# --------------------------------------------------------------------------- coverage


class TextCoverage(NamedTuple):
    """Which sources' quotes are checked against a text, and which are not and why."""

    checked: tuple[str, ...]
    without_text: tuple[str, ...]
    missing: tuple[tuple[str, str], ...]  # (source id, the named text file) for absent files

    @property
    def unchecked(self) -> int:
        """How many sources' quotes are not checked."""
        return len(self.without_text) + len(self.missing)

    def notes(self) -> list[str]:
        """A line per absent text file, and one that sums up which sources' quotes are checked.

        >>> TextCoverage(("a",), ("b", "c"), (("d", "texts/d.txt"),)).notes()
        ["note: text file texts/d.txt of source 'd' is absent; its quotes are unchecked", \
'quotes checked against their texts: 1 of 4 sources; unchecked: 2 without a text, 1 with its text file absent']
        """
        lines = [f"note: text file {name} of source '{source_id}' is absent; its quotes are unchecked"
                 for source_id, name in self.missing]
        total = len(self.checked) + self.unchecked
        summary = f"quotes checked against their texts: {len(self.checked)} of {_count(total, 'source')}"
        reasons = [f"{len(self.without_text)} without a text" if self.without_text else "",
                   f"{len(self.missing)} with its text file absent" if self.missing else ""]
        if self.unchecked:
            summary += "; unchecked: " + ", ".join(reason for reason in reasons if reason)
        return lines + [summary] if total else lines


def coverage(sources: Iterable, folder: str | Path) -> TextCoverage:
    """Which of ``sources`` (records with ``id`` and ``text``) have their text in ``folder``.

    >>> import kg
    >>> coverage([kg.Source("a", "A", "P", "2024")], ".").without_text
    ('a',)
    """
    checked, without, missing = [], [], []
    for source in sorted(sources, key=lambda source: source.id):
        if not source.text:
            without.append(source.id)
        elif (Path(folder) / source.text).is_file():
            checked.append(source.id)
        else:
            missing.append((source.id, source.text))
    return TextCoverage(tuple(checked), tuple(without), tuple(missing))


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
