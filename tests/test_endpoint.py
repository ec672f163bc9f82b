"""kg's SPARQL client (kg/rdf/endpoint.py) against small servers started here on 127.0.0.1;
the real servers are in tests/test_remote.py."""

from __future__ import annotations

import http.server
import threading
import time
from typing import Iterator

import pytest

import kg
from kg.rdf.endpoint import Endpoint


class SlowAnswer(http.server.BaseHTTPRequestHandler):
    """Answers every POST after 1.5 seconds, as a server does a MOVE of a large graph."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(1.5)
        body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def slow() -> Iterator[str]:
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowAnswer) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
        server.shutdown()


def test_an_update_waits_for_its_answer_as_long_as_an_upload(slow: str) -> None:
    Endpoint(slow, timeout=1).update("MOVE <urn:kg:push:a> TO <urn:kg:b>")  # answered after 1.5 s
    with pytest.raises(kg.EndpointError) as caught:
        Endpoint(slow, timeout=1).select("SELECT * WHERE { ?s ?p ?o }")
    assert str(caught.value) == f"SPARQL endpoint {slow} gave no answer within 1 s"
