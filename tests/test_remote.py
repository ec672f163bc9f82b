"""Push to and query real SPARQL servers (Oxigraph server and Virtuoso), started here on 127.0.0.1.

Each server gets the bundled data and a generated dataset of size S (1,000 entities, 20,000
relations: about 2.9 million triples with its support answers). Questions that fetch the whole
graph are asked of the bundled data; on S the questions are sampled.
"""

from __future__ import annotations

import json
import re
import http.server
import socket
import threading
from collections import Counter
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

import kg
from benchmarks.generate import SIZES, generate
from kg.cli import app
from kg.dates import span
from kg.rdf import query_text
from kg.rdf import push as push_module
from kg.rdf.endpoint import Endpoint
from kg.rdf.terms import Iris
from kg.model import Citation, Entity, Relation
from kg.query import iter_supports
from kg.rdf.remote import RemoteGraph
from tests import servers
from tests.test_rdf import tricky_graph

BUNDLED, GENERATED = "https://example.org/graph/bundled", "https://example.org/graph/generated"
SECRET = "wrong-Secret-7731"


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, kg.KnowledgeGraph]:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, *SIZES["S"], seed=1)  # as the benchmark at S: 2.9 million triples pushed
    return {BUNDLED: kg.load(), GENERATED: kg.load(folder)}


def start(name: str, folder: Path):
    missing = servers.missing_server(name)
    if missing:
        pytest.skip(f"{name}: {missing}")
    return servers.oxigraph_server(folder) if name == "oxigraph" else servers.virtuoso_server(folder)


def endpoint_of(server: servers.Server, **options) -> Endpoint:
    return Endpoint(server.query, update=server.update, store=server.store, **options)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request, tmp_path_factory, graphs) -> Iterator[servers.Server]:
    with start(request.param, tmp_path_factory.mktemp(request.param)) as running:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in servers.environment(running).items():
                patch.setenv(key, value)
            for name, graph in graphs.items():
                graph.push(endpoint_of(running), name)
            yield running


def in_id_order(graph: kg.KnowledgeGraph) -> kg.KnowledgeGraph:
    """The graph with its relations in id order, as from any graph read back from RDF."""
    return kg.KnowledgeGraph(graph.entities, sorted(graph.relations(), key=attrgetter("id")), graph.sources)


def sample(graph: kg.KnowledgeGraph) -> tuple[str, str, str, str]:
    """An adversary with about 50 answers, some reached through a member (a chain of more than
    two statements), the supporter and supported of one of those, and a day some backing started."""
    answers = graph.supports()
    counts = Counter(answer.against for answer in answers)
    through_members = {a.against for a in answers if any(len(chain.statements) > 2 for chain in a.chains)}
    z = min(through_members, key=lambda name: (abs(counts[name] - 50), name))
    pick = max((s for s in answers if s.against == z), key=lambda s: (len(s.chains[0].statements), s.supporter))
    day = next(r.start for r in graph.relations("backs") if r.start and re.fullmatch(r"[\d-]+", r.start))
    return z, pick.supporter, pick.supported, day


def test_remote_helpers_answer_as_in_memory(server, graphs) -> None:
    for name, graph in graphs.items():
        remote, ordered = RemoteGraph(endpoint_of(server), name), in_id_order(graph)
        z, a, b, day = sample(graph)
        assert remote.catalogue.entities == graph.entities and remote.catalogue.sources == graph.sources
        assert remote.relations(subject=a) == ordered.relations(subject=a)
        assert remote.relations("fights", object=b, as_of=day) == ordered.relations("fights", object=b, as_of=day)
        derived = ordered.supports(against=z)
        assert remote.supports(against=z) == derived
        assert any(len(chain.statements) > 2 for answer in derived for chain in answer.chains)
        assert remote.supports(supporter=a, supported=b, against=z) == ordered.supports(a, b, z) != []
        assert remote.supports(against=z, as_of=day) == ordered.supports(against=z, as_of=day)
        assert remote.paths(a, b, max_length=2) == ordered.paths(a, b, max_length=2) != []
        assert sorted(remote.figures()) == sorted(graph.figures())
        assert remote.resolve(graph.entities[a].name) == graph.entities[a]
        assert remote.search("al") == graph.search("al")
        if name == BUNDLED:  # each of these fetches the whole graph
            assert remote.relations() == ordered.relations()
            assert remote.supports() == ordered.supports()
            assert remote.supports(as_of=day) == ordered.supports(as_of=day)
            assert remote.as_of(day) == graph.as_of(day)
            assert remote.paths(a, b) == ordered.paths(a, b)


_CHAINS = """SELECT ?supporter ?supported ?chain ?p ?o WHERE {
    ?answer kgv:adversary ?against ; kgv:supporter ?supporter ; kgv:supported ?supported ; kgv:chain ?chain .
    ?chain ?p ?o }"""
_ROLES = {"backing": "backing", "hostility": "hostility", "supportedMember": "supported_members",
          "againstMember": "against_members"}


def expected_chain(chain) -> dict[str, object]:
    """A chain's rule, statements by role and bounds, worked out here from its statements' spans."""
    spans = [span(r.start, r.end) for r in chain.statements]
    found: dict[str, object] = {"rule": chain.rule}
    for name, field in _ROLES.items():
        held = getattr(chain, field)
        held = () if held is None else held if field.endswith("members") else (held,)
        if held:
            found[name] = {r.id for r in held}
    firsts, lasts = [s.certain[0] for s in spans], [s.certain[1] for s in spans]
    bounds = {"possibleFrom": max(s.possible[0] for s in spans), "possibleUntil": min(s.possible[1] for s in spans)}
    if any(s.certain_empty for s in spans) or max(firsts) > min(lasts):
        found["certain"] = "false"
    else:
        bounds.update(certainFrom=max(firsts), certainUntil=min(lasts))
    found.update((name, day.isoformat()) for name, day in bounds.items() if day not in (date.min, date.max))
    return found


def pushed_chains(endpoint: Endpoint, against: str) -> dict[tuple[str, str, int], dict[str, object]]:
    """The chains on the server of the answers against one adversary, by (supporter, supported, number)."""
    iris = Iris()
    _, rows = endpoint.terms(_CHAINS, {"against": iris.entity(against)})
    found: dict[tuple[str, str, int], dict[str, object]] = {}
    for supporter, supported, chain, p, o in rows:
        key = (iris.record_id(supporter), iris.record_id(supported), int(chain.rsplit("/", 1)[1]))
        name = p.rsplit("#", 1)[1]
        if name in _ROLES:
            found.setdefault(key, {}).setdefault(name, set()).add(iris.record_id(o))
        else:  # Virtuoso writes a boolean false as 0
            found.setdefault(key, {})[name] = {"0": "false"}.get(o.value, o.value) if name == "certain" else o.value
    return found


def test_pushed_answers_carry_kgs_chains_with_their_rule_statements_and_days(server, graphs) -> None:
    endpoint = endpoint_of(server)
    for name, graph in graphs.items():
        endpoint.graph = name
        z = sample(graph)[0]
        expected = {(answer.supporter, answer.supported, number): expected_chain(chain)  # as RDF orders them
                    for answer in iter_supports(in_id_order(graph), against=z, every_route=True)
                    for number, chain in enumerate(answer.chains, 1)}
        assert pushed_chains(endpoint, z) == expected
        assert {value["rule"] for value in expected.values()} > {"hostility"}
    endpoint.graph = BUNDLED  # the ontology pushed alongside makes each role a prov:wasDerivedFrom
    rows = endpoint.select("""SELECT ?basis (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?role rdfs:subPropertyOf prov:wasDerivedFrom . ?answer a kgv:Support ; kgv:basis ?basis ; kgv:chain ?c .
        ?c ?role ?s . ?s a kgv:Statement } GROUP BY ?basis""")
    assert {row["basis"] for row in rows} == {"explicit", "derived"} and all(row["n"] for row in rows)


def test_support_answers_query_looks_up_answers_as_of_a_date(server, graphs) -> None:
    endpoint, query = endpoint_of(server), query_text("support_answers")
    endpoint.graph = BUNDLED
    graph = graphs[BUNDLED]
    found = {}
    for day in (None, "2016", "2016-12-01", "2024-11", "2024-12-01", "2012"):
        rows = endpoint.select(query, **({"date": day} if day else {}))
        found[day] = {(r["supporter"], r["supported"], r["against"], r["holding"], r["basis"]) for r in rows}
        assert found[day] == {(s.supporter, s.supported, s.against, s.holding, s.basis)
                              for s in in_id_order(graph).supports(as_of=day)}
    # each chain of this answer rests on an undated statement: on any date it may have held, never held
    assert ("iran", "hizbollah", "hts", "may have held", "derived") in found["2024-12-01"]
    endpoint.graph = GENERATED
    z = sample(graphs[GENERATED])[0]
    rows = endpoint.select(query, against=graphs[GENERATED].resolve(z))
    assert ({(r["supporter"], r["supported"], r["against"], r["holding"], r["chains"]) for r in rows}
            == {(s.supporter, s.supported, s.against, s.holding, len(s.chains))
                for s in iter_supports(in_id_order(graphs[GENERATED]), against=z, every_route=True)})


DAYS = ("2016", "2020-06-15", "2024-12-01")


def rerouted(graph: kg.KnowledgeGraph) -> str:
    """The adversary of at most 100 answers with the most answers, as of one of ``DAYS``, none
    of whose chains is one of the answer's chains with no date (each goes through another route
    of member-of statements than the first that fits at any time)."""
    undated = {(a.supporter, a.supported, a.against): set(a.chains) for a in graph.supports()}
    counts = Counter(key[2] for key in undated)
    found = Counter(a.against for day in DAYS for a in graph.supports(as_of=day)
                    if counts[a.against] <= 100 and not set(a.chains) & undated[a.supporter, a.supported, a.against])
    return min(found, key=lambda name: (-found[name], name))


def test_support_answers_as_of_a_date_are_kgs_through_every_route(server, graphs) -> None:
    endpoint, query = endpoint_of(server), query_text("support_answers")
    endpoint.graph = GENERATED
    graph = in_id_order(graphs[GENERATED])
    z = rerouted(graph)
    for day in DAYS:
        rows = endpoint.select(query, against=graph.resolve(z), date=day)
        looked = {(r["supporter"], r["supported"], r["against"]): r["holding"] for r in rows}
        held = {(s.supporter, s.supported, s.against): s.holding for s in graph.supports(as_of=day, against=z)}
        # "held" where a route that surely held on the day is among the routes that fit: kg takes it
        assert looked == held


#: Every kind of quotation mark: ASCII, typographic, guillemets, low-9, CJK corner and fullwidth.
QUOTES = "\"'“”‘’«»„‚‹›「」『』〝〞＂＇"


def trip_graph() -> kg.KnowledgeGraph:
    """``tricky_graph`` with every kind of quotation mark in a name and a quote, and statements with
    partial, vague and open dates."""
    tricky = tricky_graph()
    cite = Citation("doc", f"quoted {QUOTES} here")
    entities = dict(tricky.entities, z=Entity("z", f"name {QUOTES}", "armed-group", aliases=(QUOTES,)))
    dated = [Relation(f"d{n}", "fights", "x", "z", (cite,), start=start, end=end)
             for n, (start, end) in enumerate([("2016", "2016-12"), ("2016-12-01", None), (None, "2024-11~"),
                                                ("2015?", "../2024-11")])]
    return kg.KnowledgeGraph(entities, [*tricky.relations(), *dated], tricky.sources)


def test_text_datatypes_and_dates_survive_the_trip(server) -> None:
    sent = trip_graph()
    sent.push(endpoint_of(server), "https://example.org/graph/tricky")
    back = RemoteGraph(endpoint_of(server), "https://example.org/graph/tricky").to_graph()
    assert back == sent
    assert back.entities["z"].name == f"name {QUOTES}" and back.sources["doc"].language == "ar"
    assert [(r.start, r.end) for r in back.relations("fights")] == [(r.start, r.end) for r in sent.relations("fights")]


def broken_bodies(monkeypatch) -> None:
    """Make pushes send an unparsable body after their first one, in bodies of about 20 kB."""
    real = push_module.bodies

    def broken(graph, base, size):
        sent = real(graph, base, 20_000)
        yield next(sent)
        yield b'<http://ex.org/a> <http://ex.org/p> "unterminated .\n', 1
        yield from sent

    monkeypatch.setattr(push_module, "bodies", broken)


def test_a_failed_upload_leaves_the_previous_graph_whole(server, graphs, monkeypatch) -> None:
    endpoint = endpoint_of(server)
    before = endpoint.count(BUNDLED)
    broken_bodies(monkeypatch)
    with pytest.raises(kg.EndpointError, match="refused the request|is incomplete"):
        graphs[GENERATED].push(endpoint, BUNDLED)
    assert endpoint.count(BUNDLED) == before
    assert RemoteGraph(endpoint_of(server), BUNDLED).to_graph() == graphs[BUNDLED]


def test_a_failed_upload_to_a_new_name_leaves_it_empty(server, graphs, monkeypatch) -> None:
    endpoint = endpoint_of(server)
    broken_bodies(monkeypatch)
    with pytest.raises(kg.EndpointError, match="refused the request|is incomplete"):
        graphs[GENERATED].push(endpoint, "https://example.org/graph/never")
    assert endpoint.count("https://example.org/graph/never") == 0


def test_virtuoso_row_cap_is_caught_and_paged_past(server, graphs) -> None:
    endpoint = endpoint_of(server)
    endpoint.graph = GENERATED
    total = len(graphs[GENERATED])
    assert total > 10_000
    query = "SELECT ?s WHERE { ?s a kgv:Statement }"
    if server.name == "virtuoso":
        with pytest.raises(kg.TruncatedResultError) as caught:
            endpoint.select(query)
        assert str(caught.value) == (f"SPARQL endpoint {server.query} returned 10000 of {total} rows (it caps "
                                     "results); narrow the query or page it with LIMIT and OFFSET")
    else:
        assert len(endpoint.select(query)) == total
    # the count sees the query's own prefixes, and its bindings where its FILTER runs
    bound = 'PREFIX ex: <http://example.org/> SELECT ?s ?label WHERE { ?s a kgv:Statement FILTER (?label != "") }'
    if server.name == "virtuoso":
        with pytest.raises(kg.TruncatedResultError):
            endpoint.select(bound, label="x")
    else:
        assert len(endpoint.select(bound, label="x")) == total
    # a CONSTRUCT answer is capped too (Virtuoso stops adding triples, and says nothing)
    triples = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kgv:Statement BIND (rdf:type AS ?p) BIND (kgv:Statement AS ?o) }"
    capped = f"SPARQL endpoint {server.query} returned 10001 of {total} triples (it caps results); narrow the query"
    try:
        assert len(endpoint.construct(triples)) == total and server.name != "virtuoso"
    except kg.TruncatedResultError as err:
        assert server.name == "virtuoso" and str(err) == capped
    assert len(RemoteGraph(endpoint_of(server), GENERATED).listing("?x a kgv:Statement .")) == total


def test_bad_credentials_never_show(server, monkeypatch) -> None:
    if server.user is None:
        pytest.skip("Oxigraph server has no authentication")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", SECRET)
    result = CliRunner().invoke(app, ["relations", "--endpoint", server.query, "--graph", BUNDLED])
    assert result.exit_code == 1
    assert f"error: SPARQL endpoint {server.query} refused the credentials (HTTP 401" in result.output
    assert SECRET not in result.output and SECRET.lower() not in result.output.lower()
    result = CliRunner().invoke(app, ["push", "--endpoint", server.query, "--graph", BUNDLED])
    assert result.exit_code == 1 and SECRET not in result.output


def answers(output: str) -> list[tuple]:
    """Support answers in JSON output, each with its basis, rule and statements (in any order)."""
    return [(row["supporter"], row["supported"], row["against"], row["basis"], row.get("rule"),
             sorted(statement["id"] for statement in row["evidence"])) for row in json.loads(output)]


def test_cli_push_and_query_commands_on_the_server(server) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["push", "--endpoint", server.query, "--update", server.update,
                                 "--graph", "https://example.org/graph/cli"])
    assert result.exit_code == 0, result.output
    assert "triples to <https://example.org/graph/cli>" in result.output
    remote = runner.invoke(app, ["supports", "--against", "HTS", "--format", "json", "--endpoint", server.query,
                                 "--graph", "https://example.org/graph/cli"])
    local = runner.invoke(app, ["supports", "--against", "HTS", "--format", "json"])
    assert remote.exit_code == 0 and answers(remote.stdout) == answers(local.stdout)
    on_server = {"KG_ENDPOINT": server.query, "KG_GRAPH": "https://example.org/graph/cli"}
    rows = runner.invoke(app, ["query", "SELECT ?name WHERE { ?e rdfs:label ?name } ", "--format", "json"],
                         env=on_server)
    assert rows.exit_code == 0 and "Hayat Tahrir al-Sham" in rows.stdout


def test_a_server_killed_mid_push_leaves_the_previous_graph(graphs, tmp_path, monkeypatch) -> None:
    for name in ("oxigraph", "virtuoso"):
        folder = tmp_path / name
        with start(name, folder) as running:
            for key, value in servers.environment(running).items():
                monkeypatch.setenv(key, value)
            graphs[BUNDLED].push(endpoint_of(running), BUNDLED)
            before = endpoint_of(running).count(BUNDLED)
            real_add = Endpoint.add_triples

            def add_then_die(self, graph, data, process=running.process, real_add=real_add):
                real_add(self, graph, data)
                process.kill()
                process.wait()

            monkeypatch.setattr(Endpoint, "add_triples", add_then_die)
            with pytest.raises(kg.EndpointError, match="cannot be reached"):
                graphs[GENERATED].push(endpoint_of(running, retries=1), BUNDLED)
            monkeypatch.setattr(Endpoint, "add_triples", real_add)
        with start(name, folder) as again:
            assert endpoint_of(again).count(BUNDLED) == before
            assert RemoteGraph(endpoint_of(again), BUNDLED).to_graph() == graphs[BUNDLED]


def test_a_hung_query_times_out_with_one_line() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        accepted = []
        thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
        thread.start()
        with pytest.raises(kg.EndpointError) as caught:
            Endpoint(f"http://127.0.0.1:{port}/sparql", timeout=1).select("SELECT * WHERE { ?s ?p ?o }")
        for connection, _ in accepted:
            connection.close()
    assert str(caught.value) == f"SPARQL endpoint http://127.0.0.1:{port}/sparql gave no answer within 1 s"


class PartialAnswer(http.server.BaseHTTPRequestHandler):
    """Answers as Virtuoso does when an "anytime" query runs out of time: 200, some rows, a header."""

    content_type = "application/sparql-results+json"
    extra = {"X-SQL-State": "S1TAT",
             "X-SQL-Message": "RC...: Returning incomplete results, query interrupted by result timeout"}

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
        self.send_response(200)
        for name, value in {"Content-Type": self.content_type, **self.extra}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class HtmlAnswer(PartialAnswer):
    """A whole answer, but in a format that was not asked for."""

    content_type, extra = "text/html", {}


def select_error(handler: type) -> tuple[str, str]:
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as fake:
        threading.Thread(target=fake.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{fake.server_address[1]}/sparql"
        with pytest.raises(kg.EndpointError) as caught:
            Endpoint(url).select("SELECT ?s WHERE { ?s ?p ?o }")
        fake.shutdown()
    return url, str(caught.value)


def test_a_partial_answer_is_refused_never_taken_as_whole() -> None:
    url, message = select_error(PartialAnswer)
    assert message == (
        f"SPARQL endpoint {url} answered only in part (S1TAT: RC...: Returning incomplete results, query "
        "interrupted by result timeout); the query ran out of the server's time (Virtuoso: MaxQueryExecutionTime)")


def test_an_answer_in_an_unexpected_format_is_one_line() -> None:
    url, message = select_error(HtmlAnswer)
    assert message == f"SPARQL endpoint {url} answered in text/html, not application/sparql-results+json"


def test_an_unreachable_endpoint_is_one_line_and_exit_1() -> None:
    port = servers.free_port()
    result = CliRunner().invoke(app, ["relations", "--endpoint", f"http://127.0.0.1:{port}/sparql"],
                                env={"KG_ENDPOINT_USER": None, "KG_ENDPOINT_PASSWORD": None})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"error: SPARQL endpoint http://127.0.0.1:{port}/sparql cannot be "
                                              "reached (Connection refused)")


def test_credentials_in_the_address_are_refused_without_echo() -> None:
    with pytest.raises(kg.EndpointError) as caught:
        Endpoint(f"http://dba:{SECRET}@127.0.0.1:1/sparql")
    assert SECRET not in str(caught.value)


def test_bindings_go_in_a_values_block_at_the_start_of_the_outer_where() -> None:
    from kg.rdf.endpoint import with_values
    from kg.rdf.terms import Lit

    query = 'SELECT ?x { ?x ?p "{" FILTER (STR(?x) > ?after) } ORDER BY ?x'
    assert with_values(query, {"after": Lit("m")}) == (
        'SELECT ?x { VALUES (?after) { ("m") } ?x ?p "{" FILTER (STR(?x) > ?after) } ORDER BY ?x')
