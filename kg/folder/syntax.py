"""YAML syntax errors in a curator's words: what is wrong, where, and how to fix it.

libyaml says "mapping values are not allowed in this context" both for a line indented
too far and for a quote that holds ': '. ``explain`` reads the line the error points at,
tells the cases apart, and returns the place to look at and the fix.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SyntaxProblem", "explain"]


class SyntaxProblem(NamedTuple):
    """Where a YAML syntax error is (1-based line and column) and what to do about it."""

    line: int
    column: int
    message: str


QUOTE_IT = "put the whole value in double quotes"
INDENT_IT = "indent this line like the one above"


def explain(text: str, problem: str, line: int, column: int, context: str | None = None,
            context_line: int | None = None, context_column: int | None = None) -> SyntaxProblem:
    """A libyaml error (its problem, context and 1-based marks) as a curator's message.

    >>> explain("- id: a\\n  quote: Russia: limited air support\\n",
    ...         "mapping values are not allowed in this context", 2, 16).message
    "this value holds ': ', which YAML reads as a new field: put the whole value in double quotes"
    >>> explain("- id: a\\n  name: b\\n   kind: c\\n", "mapping values are not allowed in this context", 3, 8)[:2]
    (3, 4)
    """
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = len(here) - len(here.lstrip(" ")) + 1
    context = context or ""
    odd = _odd_space(lines, line)
    if odd:
        return odd
    if problem.startswith("mapping values are not allowed"):
        key_end = here.find(": ")
        if 0 <= key_end < column - 2 and here[:key_end].strip(" -"):
            return SyntaxProblem(line, key_end + 3,
                                 f"this value holds ': ', which YAML reads as a new field: {QUOTE_IT}")
        return SyntaxProblem(line, indent, f"this line is indented more than the one above: {INDENT_IT}")
    if problem.startswith("found a tab character"):
        return SyntaxProblem(line, column, "a tab indents this line, and YAML allows only spaces: "
                                           "replace the tab with spaces, lined up with the line above")
    if problem.startswith("found unexpected end of stream") and "quoted scalar" in context and context_line:
        return SyntaxProblem(context_line, context_column or 1,
                             "this quote is never closed: end the value with the same quote mark")
    if problem.startswith("could not find expected ':'") and context_line:
        return SyntaxProblem(context_line, context_column or 1,
                             "this line has no ':' after its field name: write 'field: value'")
    if problem.startswith("did not find expected ',' or") and context_line:
        bracket = "]" if "sequence" in context else "}"
        return SyntaxProblem(context_line, context_column or 1,
                             f"this list is never closed: end it with '{bracket}' on the same line")
    if problem.startswith(("found character that cannot start any token", "found undefined alias")):
        character = here[column - 1:column] or "?"
        return SyntaxProblem(line, column, f"a value cannot start with '{character}': {QUOTE_IT}")
    if problem.startswith("did not find expected '-' indicator"):
        stripped = here.lstrip(" ")
        if stripped.startswith("-") and not stripped.startswith("- "):
            return SyntaxProblem(line, indent, "put a space after '-' to start a list entry")
        return SyntaxProblem(line, indent, f"this line is not indented like the entries above: {INDENT_IT}")
    if problem.startswith("did not find expected key"):
        return _no_key(here, line, column, indent)
    where = f" {context} at line {context_line}, column {context_column}" if context and context_line else ""
    return SyntaxProblem(line, column, f"{problem}{where}")


def _odd_space(lines: list[str], line: int) -> SyntaxProblem | None:
    """A line (this one or the one above) that starts with a space YAML does not indent with (U+00A0)."""
    for number in (line, line - 1):
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        start = text[:len(text) - len(text.lstrip())]
        odd = next((c for c in start if c not in " \t"), None)
        if odd:
            return SyntaxProblem(number, start.index(odd) + 1,
                                 f"this line starts with U+{ord(odd):04X}, a space that YAML does not read as "
                                 "indentation: replace it with ordinary spaces")
    return None


def _no_key(here: str, line: int, column: int, indent: int) -> SyntaxProblem:
    """libyaml's 'did not find expected key': text after a closing quote, or a line out of place."""
    before = here[:column - 1].rstrip()
    if before.endswith(("'", '"')) and len(before) > indent:
        if before.endswith("'"):
            return SyntaxProblem(line, column, "text follows the closing quote: inside single quotes, write an "
                                               f"apostrophe as two (''), or {QUOTE_IT}")
        return SyntaxProblem(line, column, "text follows the closing quote: put the whole value in single "
                                           "quotes, or write each double quote inside it as \\\"")
    return SyntaxProblem(line, indent, f"this line is not indented like the one above: {INDENT_IT}")
