"""A small client for any SPARQL 1.1 endpoint: the Protocol for queries and updates, the Graph
Store Protocol for uploads. Standard library only (``urllib``).

What it does, for every server alike:

- queries are form-encoded POSTs with one explicit ``Accept`` per query form
  (``application/sparql-results+json`` for SELECT and ASK, ``application/n-triples`` for
  CONSTRUCT), kg's prefixes prepended (those the query does not declare itself), and
  ``default-graph-uri`` always sent, so a query never sees a server's other graphs;
- values reach a query only as bindings, written as a ``VALUES`` block at the start of the
  outer ``WHERE`` (so a ``FILTER`` sees them bound), converted as ``kg.rdf.sparql`` does;
- a timeout on every request, and retries with backoff on transient failures (a refused or
  reset connection, HTTP 502, 503, 504);
- credentials from ``KG_ENDPOINT_USER`` / ``KG_ENDPOINT_PASSWORD`` or from ``~/.netrc``
  (never from the address, never in a message), Basic or Digest authentication as the
  server asks, TLS certificates verified;
- a failure is one ``EndpointError`` line: the endpoint is down, it refused the request
  (with the first line of its answer), it gave no answer in time, or it answered in an
  unexpected format;
- a server that silently caps results (Virtuoso stops at ``ResultSetMaxRows``, 10,000 by
  default, SELECT rows and CONSTRUCT triples alike) is caught: a SELECT without a LIMIT of its
  own that returns 1,000 rows or more is checked against a COUNT of the same query, a
  CONSTRUCT ``{ ?s ?p ?o }`` that returns 1,000 triples or more against a COUNT of its distinct
  solutions, and ``TruncatedResultError`` is raised when some are missing. ``select_all``
  pages a listing by its key instead, and is complete.

>>> with_values("SELECT ?x WHERE { ?x a ?kind }", {"kind": "http://ex.org/K"})
'SELECT ?x WHERE { VALUES (?kind) { (<http://ex.org/K>) } ?x a ?kind }'
"""

from __future__ import annotations

import http.client
import json
import netrc
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Iterable, Iterator, Mapping, Sequence, Union

from kg.errors import EndpointError, TruncatedResultError
from kg.rdf import backends
from kg.rdf.sparql import NAMESPACES, select
from kg.rdf.terms import RDF, Lit, Object, Triple
from kg.rdf.writers import nt_term

__all__ = ["Endpoint", "with_values"]

#: Media types asked for, by query form.
SELECT_TYPE = "application/sparql-results+json"
TRIPLES_TYPE = "application/n-triples"
#: A SELECT answer of at least this many rows (and no LIMIT of its own), or a CONSTRUCT answer of this
#: many triples, is checked for a server cap.
CHECK_ROWS = 1000
#: Seconds an upload or update may take to be answered, at least (a server answers when it is done).
UPLOAD_TIMEOUT = 600.0
#: What a variable is bound to: a term, or a list of terms any of which may match.
Binding = Union[Object, list[Object]]
_TRANSIENT_STATUS = (502, 503, 504)

# --------------------------------------------------------------------------- query text

_TOKENS = re.compile(
    r"""(?P<skip>\#[^\n]*|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|[?$]\w+)"""
    r"""|(?P<open>[{(])|(?P<close>[})])|(?P<where>\bwhere\b)|(?P<limit>\blimit\b)""",
    re.IGNORECASE,
)
_DECLARED = re.compile(r"\bprefix\s+([\w.-]*):", re.IGNORECASE)
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|prefix\s+[\w.-]*:\s*<[^<>\s]*>|base\s*<[^<>\s]*>)*", re.IGNORECASE)
#: The count of a SELECT query's rows, the query (its bindings in it) as a subquery.
_COUNTED = "SELECT (COUNT(*) AS ?rows) WHERE { %s }"
#: A CONSTRUCT whose template is one pattern of three variables (as kg asks): its answer can be checked.
_TRIPLE_TEMPLATE = re.compile(r"CONSTRUCT\s*\{\s*\?(\w+)\s+\?(\w+)\s+\?(\w+)\s*\.?\s*\}\s*(?=WHERE\b|\{)",
                              re.IGNORECASE)
#: The distinct solutions of such a CONSTRUCT: its three variables, its WHERE clause and what follows.
_DISTINCT = "{ SELECT DISTINCT ?%s ?%s ?%s %s } FILTER (BOUND(?%s) && BOUND(?%s) && BOUND(?%s))"
#: Where ``select_all`` asks for the rows past the last key (bound to ``?page_after``).
_PAST = "FILTER (STR(?%s) > ?page_after)"


def _outer(query: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of the tokens outside any braces or parentheses: "open", "where", "limit"."""
    depth = 0
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "close":
            depth -= 1
        elif kind == "open":
            if depth == 0:
                yield (("brace" if match.group() == "{" else "paren"), match.start(), match.end())
            depth += 1
        elif depth == 0:
            yield kind, match.start(), match.end()


def outer_where(query: str) -> int:
    """Where the outer WHERE group's text begins (just after its ``{``).

    >>> q = 'CONSTRUCT { ?s ?p "}" } WHERE { ?s ?p ?o }'
    >>> q[outer_where(q):]
    ' ?s ?p ?o }'
    """
    tokens = list(_outer(query))
    after_where = [end for (kind, _, end) in tokens if kind == "where"]
    braces = [(start, end) for (kind, start, end) in tokens if kind == "brace"]
    for start, end in braces:
        if not after_where or start >= after_where[0]:
            return end
    raise EndpointError("cannot find the WHERE clause of the query")


def has_limit(query: str) -> bool:
    """Whether the query has a LIMIT of its own, outside any subquery.

    >>> has_limit("SELECT * { { SELECT ?x { ?x ?p ?o } LIMIT 2 } }"), has_limit("SELECT * {} LIMIT 5")
    (False, True)
    """
    return any(kind == "limit" for kind, _, _ in _outer(query))


def with_values(query: str, bindings: Mapping[str, Binding]) -> str:
    """The query with its bindings as VALUES blocks at the start of the outer WHERE (see the
    module's example): one row for the variables bound to one term, and a block of its own for
    each variable bound to a list of terms (any of which may match); the query unchanged when
    there are none.

    >>> with_values("SELECT ?x { ?x ?p ?o }", {"p": ["http://ex.org/p", "http://ex.org/q"]})
    'SELECT ?x { VALUES ?p { <http://ex.org/p> <http://ex.org/q> } ?x ?p ?o }'
    """
    single = {name: term for name, term in bindings.items() if not isinstance(term, list)}
    blocks = [values_block(name, terms) for name, terms in bindings.items() if isinstance(terms, list)]
    if single:
        names = " ".join(f"?{name}" for name in single)
        blocks.insert(0, f"VALUES ({names}) {{ ({' '.join(nt_term(term) for term in single.values())}) }}")
    if not blocks:
        return query
    at = outer_where(query)
    return f"{query[:at]} {' '.join(blocks)}{query[at:]}"


def split_prologue(query: str) -> tuple[str, str]:
    """(the query's PREFIX and BASE declarations, the rest).

    >>> split_prologue("PREFIX ex: <http://ex.org/> SELECT * { ?s ex:p ?o }")
    ('PREFIX ex: <http://ex.org/> ', 'SELECT * { ?s ex:p ?o }')
    """
    end = _PROLOGUE.match(query).end()
    return query[:end], query[end:]


def with_prefixes(query: str) -> str:
    """kg's prefixes that the query does not declare, prepended to it.

    >>> with_prefixes("PREFIX kgv: <x#> ASK {}").count("PREFIX kgv:")
    1
    """
    declared = set(_DECLARED.findall(query))
    lines = [f"PREFIX {prefix}: <{iri}>" for prefix, iri in NAMESPACES.items() if prefix not in declared]
    return "\n".join([*lines, query])


def values_block(name: str, terms: Iterable[Object]) -> str:
    """A VALUES block binding one variable to several terms (as ``with_values`` writes it).

    >>> values_block("e", ["http://ex.org/a", Lit("b")])
    'VALUES ?e { <http://ex.org/a> "b" }'
    """
    return f"VALUES ?{name} {{ {' '.join(nt_term(term) for term in terms)} }}"


# --------------------------------------------------------------------------- answers


def _term(binding: Mapping[str, str]) -> Object:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value
    if "xml:lang" in binding:
        return Lit(value, RDF.langString, binding["xml:lang"])
    return Lit(value, binding.get("datatype", Lit("").datatype))  # "typed-literal": Virtuoso's name


def parse_ntriples(text: bytes) -> list[Triple]:
    """The triples of an N-Triples document.

    >>> parse_ntriples(b'<http://ex.org/a> <http://ex.org/p> "x"@en .')[0][2].language
    'en'
    """
    oxigraph = backends.oxigraph()
    if oxigraph is not None:
        term = backends.from_oxigraph
        quads = oxigraph.parse(text, oxigraph.RdfFormat.N_TRIPLES)
        return [(term(s), p.value, term(o)) for s, p, o, _ in quads]
    import rdflib

    graph = rdflib.Graph().parse(data=text.decode("utf-8"), format="nt")
    term = backends.from_rdflib
    return [(term(s), str(p), term(o)) for s, p, o in graph]


# --------------------------------------------------------------------------- the client


class Endpoint:
    """A SPARQL 1.1 endpoint: ``url`` answers queries; ``update`` (default: ``url``) takes SPARQL
    Update; ``store`` is its Graph Store Protocol address, if any; ``graph`` is the graph that
    queries see as their default graph (``default-graph-uri``).

    An address ending in ``/query`` (Oxigraph server, Fuseki) implies ``/update`` and ``/store``
    beside it, and uploads there ask for Oxigraph server's bulk loader without its checks
    (``no_transaction`` and ``lenient``: an upload is then not atomic by itself, which a push
    does not need, and a line the server cannot read is skipped, which a push's count catches).

    >>> Endpoint("http://127.0.0.1:7878/query").store
    'http://127.0.0.1:7878/store'
    >>> Endpoint("https://user:secret@example.org/sparql")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.EndpointError: the endpoint address carries credentials; give them in KG_ENDPOINT_USER and ...
    """

    def __init__(self, url: str, *, update: str | None = None, store: str | None = None, graph: str | None = None,
                 timeout: float = 60.0, retries: int = 3, backoff: float = 0.25):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(f"the endpoint address {_shown(url)!r} is not an http(s) URL")
        if parts.username is not None or parts.password is not None:
            raise EndpointError("the endpoint address carries credentials; give them in KG_ENDPOINT_USER and "
                                "KG_ENDPOINT_PASSWORD or in ~/.netrc instead")
        sibling = url[: -len("query")] if url.endswith("/query") else None
        self.url = url
        self.update_url = update or (sibling + "update" if sibling else url)
        self.store = store or (sibling + "store" if sibling else None)
        self.bulk = store is None and sibling is not None
        self.graph = graph
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self._secrets: tuple[str, ...] = ()
        self._opener = self._build_opener(parts.hostname)

    def __repr__(self) -> str:
        return f"<Endpoint {self.url}>"

    def _build_opener(self, host: str) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPSHandler(context=ssl.create_default_context())]
        credentials = _credentials(host)
        if credentials is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for address in {self.url, self.update_url, self.store} - {None}:
                passwords.add_password(None, address, *credentials)
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                         urllib.request.HTTPBasicAuthHandler(passwords)]
            self._secrets = tuple(secret for secret in credentials if len(secret) >= 3)
        return urllib.request.build_opener(*handlers)

    # ------------------------------------------------------------------ queries

    def select(self, query: str, /, *, federated: bool = False, timeout: float | None = None,
               **bindings: object) -> list[dict[str, object]]:
        """The rows of a SELECT query, as ``kg.rdf.sparql`` gives them (values in as bindings,
        Python values out, ``SERVICE`` refused unless ``federated``, stopped after ``timeout``
        seconds); raises ``TruncatedResultError`` when the server cut the result."""
        return select(_RemoteEngine, self, query, bindings, federated=federated, timeout=timeout)

    def terms(self, query: str, bindings: Mapping[str, Binding] | None = None, *, check: bool = True,
              named: bool = False) -> tuple[list[str], list[list[Object | None]]]:
        """The variables and rows of a SELECT query, as kg's terms (bindings already terms);
        ``named``: over the server's named graphs (no ``default-graph-uri``)."""
        body = self._ask(query, bindings or {}, SELECT_TYPE, named)
        try:
            document = json.loads(body)
            names = document["head"]["vars"]
            rows = [[_term(row[name]) if name in row else None for name in names]
                    for row in document["results"]["bindings"]]
        except (ValueError, KeyError, TypeError) as err:
            raise EndpointError(f"{self._where(self.url)} answered with malformed SPARQL JSON results") from err
        if check and len(rows) >= CHECK_ROWS and not has_limit(query):
            self._check_count(query, bindings or {}, len(rows))
        return names, rows

    def ask(self, query: str, /, bindings: Mapping[str, Object] | None = None) -> bool:
        """The answer of an ASK query."""
        body = self._ask(query, bindings or {}, SELECT_TYPE)
        try:
            return bool(json.loads(body)["boolean"])
        except (ValueError, KeyError, TypeError) as err:
            raise EndpointError(f"{self._where(self.url)} answered with malformed SPARQL JSON results") from err

    def construct(self, query: str, /, bindings: Mapping[str, Object] | None = None) -> list[Triple]:
        """The triples of a CONSTRUCT query; raises ``TruncatedResultError`` when the server cut
        the answer (checked for the template ``{ ?s ?p ?o }``: see ``CHECK_ROWS``)."""
        body = self._ask(query, bindings or {}, TRIPLES_TYPE)
        try:
            triples = parse_ntriples(body)
        except (SyntaxError, ValueError) as err:
            raise EndpointError(f"{self._where(self.url)} answered with malformed N-Triples") from err
        if len(triples) >= CHECK_ROWS:
            self._check_triples(query, bindings or {}, len(triples))
        return triples

    def select_all(self, query: str, key: str, page: int = 5000,
                   bindings: Mapping[str, Binding] | None = None) -> Iterator[list[Object | None]]:
        """Every row of a listing, paged by ``key`` (a variable bound to an IRI, one row per value):
        each page asks for the rows past the last key (bound to ``?page_after``), ordered by it,
        so no server cap or ``OFFSET`` limit can drop rows. ``query`` is a SELECT whose outer
        group ends with the placeholder ``#PAGE``, where that filter goes."""
        first = f"{query.replace('#PAGE', '')} ORDER BY STR(?{key}) LIMIT {page:d}"
        after = f"{query.replace('#PAGE', _PAST % key)} ORDER BY STR(?{key}) LIMIT {page:d}"
        names, rows = self.terms(first, bindings, check=False)
        while rows:  # a short page may be a server's cap: only an empty one ends the listing
            yield from rows
            last = rows[-1][names.index(key)]
            names, rows = self.terms(after, {**(bindings or {}), "page_after": Lit(str(last))}, check=False)

    def _check_count(self, query: str, bindings: Mapping[str, Binding], seen: int) -> None:
        prologue, body = split_prologue(with_values(query, bindings))  # the bindings inside the subquery
        _, rows = self.terms(prologue + _COUNTED % body, check=False)
        total = int(rows[0][0].value) if rows and isinstance(rows[0][0], Lit) else seen
        if total > seen:
            raise TruncatedResultError(f"{self._where(self.url)} returned {seen} of {total} rows (it caps results); "
                                       "narrow the query or page it with LIMIT and OFFSET")

    def _check_triples(self, query: str, bindings: Mapping[str, Binding], seen: int) -> None:
        """Virtuoso stops adding triples to a CONSTRUCT answer at ``ResultSetMaxRows`` and says
        nothing: the distinct solutions of a ``{ ?s ?p ?o }`` template are counted instead."""
        prologue, body = split_prologue(with_values(query, bindings))
        template = _TRIPLE_TEMPLATE.match(body)
        if template is None:
            return
        names = template.groups()
        _, counted = self.terms(prologue + _COUNTED % (_DISTINCT % (*names, body[template.end():], *names)),
                                check=False)
        total = int(counted[0][0].value) if counted and isinstance(counted[0][0], Lit) else seen
        if total > seen:
            raise TruncatedResultError(f"{self._where(self.url)} returned {seen} of {total} triples (it caps "
                                       "results); narrow the query")

    def _ask(self, query: str, bindings: Mapping[str, Binding], accept: str, named: bool = False) -> bytes:
        fields = [("query", with_prefixes(with_values(query, bindings)))]
        if self.graph is not None and not named:
            fields.append(("default-graph-uri", self.graph))
        return self.post(self.url, urllib.parse.urlencode(fields).encode("utf-8"),
                         "application/x-www-form-urlencoded", accept)

    # ------------------------------------------------------------------ updates and graphs

    def update(self, text: str, /) -> None:
        """Run SPARQL Update (kg's prefixes prepended), waiting for the answer as long as for an
        upload (a server answers a ``MOVE`` or ``DROP`` of a large graph when it is done)."""
        data = urllib.parse.urlencode([("update", with_prefixes(text))]).encode("utf-8")
        self.post(self.update_url, data, "application/x-www-form-urlencoded", "*/*", max(self.timeout, UPLOAD_TIMEOUT))

    def add_triples(self, graph: str, ntriples: bytes) -> None:
        """Add N-Triples to a named graph: a Graph Store Protocol POST when the endpoint has a
        store, else SPARQL Update ``INSERT DATA``."""
        if self.store is None:
            self.update("".join(["INSERT DATA { GRAPH ", nt_term(graph), " {\n", ntriples.decode("utf-8"), "\n} }"]))
            return
        separator = "&" if "?" in self.store else "?"
        fields = {"graph": graph, "graph-uri": graph} | ({"no_transaction": "", "lenient": ""} if self.bulk else {})
        address = f"{self.store}{separator}{urllib.parse.urlencode(fields)}"
        self.post(address, ntriples, "application/n-triples", "*/*")

    def count(self, graph: str) -> int:
        """How many triples a named graph holds."""
        _, rows = self.terms("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph}, check=False,
                             named=True)
        return int(rows[0][0].value)

    # ------------------------------------------------------------------ HTTP

    def post(self, url: str, data: bytes, content_type: str, accept: str, timeout: float | None = None) -> bytes:
        """POST with retries on transient failures; the answer's body, or one ``EndpointError``
        (after ``timeout`` seconds without an answer; the endpoint's timeout unless given)."""
        timeout = self.timeout if timeout is None else timeout
        request = urllib.request.Request(url, data=data, method="POST",
                                         headers={"Content-Type": content_type, "Accept": accept})
        for attempt in range(self.retries + 1):
            try:
                with self._opener.open(request, timeout=timeout) as answer:
                    headers, body = answer.headers, answer.read()
            except urllib.error.HTTPError as err:
                if err.code not in _TRANSIENT_STATUS or attempt == self.retries:
                    raise EndpointError(self._refusal(url, err)) from None
            except (TimeoutError, socket.timeout):
                raise EndpointError(f"{self._where(url)} gave no answer within {timeout:g} s") from None
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as err:
                reason = getattr(err, "reason", err)
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    raise EndpointError(f"{self._where(url)} gave no answer within {timeout:g} s") from None
                if isinstance(reason, ssl.SSLError):
                    raise EndpointError(f"{self._where(url)}: TLS failed ({self._scrub(str(reason))})") from None
                if attempt == self.retries:
                    raise EndpointError(f"{self._where(url)} cannot be reached "
                                        f"({self._scrub(_reason_text(reason))})") from None
            else:
                self._check_type(url, accept, headers.get_content_type())
                self._check_complete(url, headers)
                return body
            time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _check_type(self, url: str, accept: str, received: str) -> None:
        if accept == "*/*":
            return
        expected = {SELECT_TYPE: (SELECT_TYPE, "application/json"), TRIPLES_TYPE: (TRIPLES_TYPE, "text/plain")}[accept]
        if received not in expected:
            raise EndpointError(f"{self._where(url)} answered in {received}, not {accept}")

    def _check_complete(self, url: str, headers: Mapping[str, str]) -> None:
        """Refuse a partial answer: Virtuoso's "anytime" queries return what they found when
        time ran out, with status 200 and only an ``X-SQL-State`` header to say so."""
        state = headers.get("X-SQL-State")
        if state:
            message = self._scrub(headers.get("X-SQL-Message") or "")[:200]
            raise EndpointError(f"{self._where(url)} answered only in part ({state}: {message}); "
                                "the query ran out of the server's time (Virtuoso: MaxQueryExecutionTime)")

    def _refusal(self, url: str, err: urllib.error.HTTPError) -> str:
        try:
            text = err.read(4096).decode("utf-8", "replace")
        except OSError:
            text = ""
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        detail = f": {self._scrub(first)[:200]}" if first else ""
        what = "refused the credentials" if err.code in (401, 403) else "refused the request"
        return f"{self._where(url)} {what} (HTTP {err.code} {self._scrub(err.reason or '')}){detail}"

    def _where(self, url: str) -> str:
        return f"SPARQL endpoint {_shown(url)}"

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return " ".join(text.split())


def _reason_text(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _shown(url: str) -> str:
    """An address as messages show it: without query string or user information."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _credentials(host: str) -> tuple[str, str] | None:
    """(user, password) from KG_ENDPOINT_USER / KG_ENDPOINT_PASSWORD, else from ~/.netrc, else None."""
    user, password = os.environ.get("KG_ENDPOINT_USER"), os.environ.get("KG_ENDPOINT_PASSWORD")
    if user is not None or password is not None:
        if user is None or password is None:
            raise EndpointError("set both KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or neither")
        return user, password
    try:
        entry = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except FileNotFoundError:
        return None
    except (netrc.NetrcParseError, OSError) as err:
        where = getattr(err, "filename", None) or "~/.netrc"
        raise EndpointError(f"cannot read credentials from {where} (line {getattr(err, 'lineno', '?')})") from None
    if entry is None:
        return None
    return entry[0] or "", entry[2] or ""


class _RemoteEngine:
    """The engine ``kg.rdf.sparql.select`` runs a query with: an endpoint."""

    @staticmethod
    def select(endpoint: Endpoint, query: str, bindings: dict[str, Object]) -> tuple[list[str], list]:
        return endpoint.terms(query, bindings)


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    """``items`` in slices of at most ``size``.

    >>> [list(b) for b in batches([1, 2, 3], 2)]
    [[1, 2], [3]]
    """
    for start in range(0, len(items), size):
        yield items[start:start + size]
