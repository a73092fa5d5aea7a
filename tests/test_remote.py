"""Serving the graph with the Oxigraph server and talking to SPARQL endpoints over HTTP.

Real servers on free loopback ports, started once for the module; no network mocks.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request

import pytest

from conftest import assert_clean_error
from rdflib import Literal, URIRef, Variable

from bonemet import paths
from bonemet.sparql import catalogue
from bonemet.sparql import binding
from bonemet.errors import BonemetError, QueryError, UsageError
from bonemet.graph import load_graph
from bonemet.sparql.questions import ask
from bonemet.serving.remote import EndpointError, ask_endpoint, publish, values_clause
from bonemet.serving.server import Server, ServerError, oxigraph_command, serve

GRAPH_IRI = "https://w3id.org/bonemet/graph/test?x=1&y=2"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count_named(iri: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"


def count(endpoint: str, text: str = COUNT_DEFAULT) -> int:
    answer = ask_endpoint(text, endpoint, timeout=10)
    return int(answer.rows[0]["n"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def read_only_server():
    with serve([paths.vocabulary_file(), *paths.data_files()]) as server:
        yield server


@pytest.fixture(scope="module")
def writable_server():
    with serve([], read_only=False) as server:
        yield server


# --- the server ---------------------------------------------------------------


def test_oxigraph_command_is_found():
    assert oxigraph_command().endswith("oxigraph")


def test_server_urls_are_loopback(read_only_server):
    server = read_only_server
    assert server.url == f"http://127.0.0.1:{server.port}/query"
    assert server.store_url == f"http://127.0.0.1:{server.port}/store"
    assert server.running and server.read_only


def test_served_graph_has_every_triple(read_only_server, graph):
    assert count(read_only_server.url) == len(graph)


@pytest.mark.parametrize("question", catalogue.questions(), ids=lambda q: q.name)
def test_every_question_answers_the_same_remotely(question, read_only_server, graph):
    local = ask(question, graph=graph, bind=list(question.example))
    bindings = binding.parse_bindings(binding.prepare(question), list(question.example))
    remote = ask_endpoint(question.text, read_only_server.url, bindings, timeout=10)
    assert remote.form == local.form
    assert remote.variables == local.variables
    assert remote.boolean == local.boolean
    assert remote.rows, f"{question.name}: no rows from the endpoint"
    key = lambda row: tuple(row.get(v) for v in local.variables)  # noqa: E731
    assert [key(r) for r in remote.rows] == [key(r) for r in local.rows]  # same rows, same order
    assert remote.rows == local.rows


def test_construct_and_ask_forms(read_only_server):
    answer = ask_endpoint("CONSTRUCT { bmr:bone ?p ?o } WHERE { bmr:bone ?p ?o }", read_only_server.url, timeout=10)
    assert answer.form == "CONSTRUCT" and len(answer.graph) > 0
    assert all(s == URIRef("https://w3id.org/bonemet/id/bone") for s in answer.graph.subjects())
    described = ask_endpoint("DESCRIBE bmr:bone", read_only_server.url, timeout=10)
    assert described.form == "DESCRIBE" and len(described.graph) > 0
    yes = ask_endpoint("ASK { bmr:breast-cancer bm:metastasizesTo bmr:bone }", read_only_server.url, timeout=10)
    assert yes.form == "ASK" and yes.boolean is True
    no = ask_endpoint("ASK { bmr:bone bm:metastasizesTo bmr:breast-cancer }", read_only_server.url, timeout=10)
    assert no.boolean is False


def test_bound_literals_travel_intact(read_only_server):
    tricky = Literal('say "hi"\nthen \\ leave\ttab', lang="en")
    bindings = {Variable("x"): tricky, Variable("y"): Literal("5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))}
    answer = ask_endpoint("SELECT ?x ?y WHERE { }", read_only_server.url, bindings, timeout=10)
    assert answer.rows == [{"x": tricky, "y": Literal(5)}]


def test_values_clause_is_built_from_terms():
    assert values_clause({}) == ""
    clause = values_clause({Variable("a"): URIRef("https://example.org/a"), Variable("b"): Literal("l")})
    assert clause.strip() == 'VALUES (?a ?b) { (<https://example.org/a> "l") }'


def test_read_only_server_refuses_updates(read_only_server, graph):
    request = urllib.request.Request(
        read_only_server.url.replace("/query", "/update"),
        data=b"INSERT DATA { <https://example.org/s> <https://example.org/p> <https://example.org/o> }",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    refused.value.close()
    assert not 200 <= refused.value.code < 300
    with pytest.raises(BonemetError, match="403"):
        publish(graph, read_only_server.store_url, timeout=5)
    assert count(read_only_server.url) == len(graph)


def test_syntax_error_names_the_http_status(read_only_server):
    with pytest.raises(QueryError) as error:
        ask_endpoint("SELECT * WHERE { ?s ?p }", read_only_server.url, timeout=10)
    assert "HTTP 400" in str(error.value) and read_only_server.url in str(error.value)


def test_wrong_path_names_the_http_status(read_only_server):
    with pytest.raises(EndpointError, match="HTTP 404"):
        ask_endpoint(COUNT_DEFAULT, read_only_server.url.replace("/query", "/nothing-here"), timeout=10)


def test_non_sparql_answer_is_reported(read_only_server):
    root = read_only_server.url.replace("/query", "/")  # Oxigraph serves a web page there
    with pytest.raises(BonemetError) as error:
        ask_endpoint(COUNT_DEFAULT, root, timeout=10)
    assert "SPARQL JSON" in str(error.value) or "HTTP" in str(error.value)


# --- publishing ---------------------------------------------------------------


def test_publish_into_a_named_graph_replaces_it(writable_server, graph):
    assert publish(graph, writable_server.store_url, GRAPH_IRI, timeout=30) == len(graph)
    assert count(writable_server.url, count_named(GRAPH_IRI)) == len(graph)
    assert publish(graph, writable_server.store_url, GRAPH_IRI, timeout=30) == len(graph)
    assert count(writable_server.url, count_named(GRAPH_IRI)) == len(graph)


def test_publish_into_the_default_graph_replaces_it(writable_server, graph):
    assert publish(graph, writable_server.store_url, timeout=30) == len(graph)
    assert count(writable_server.url) == len(graph)
    assert publish(graph, writable_server.store_url, timeout=30) == len(graph)
    assert count(writable_server.url) == len(graph)
    smaller = load_graph([paths.data_dir() / "source.ttl"], with_vocabulary=False)
    assert publish(smaller, writable_server.store_url, timeout=30) == len(smaller)
    assert count(writable_server.url) == len(smaller)  # replaced, not added to


def test_publish_rejects_bad_graph_names_and_urls(writable_server, graph):
    with pytest.raises(UsageError):
        publish(graph, writable_server.store_url, "not an iri")
    with pytest.raises(UsageError, match="http"):
        publish(graph, "ftp://127.0.0.1/store")


# --- unreachable endpoints and bad URLs ------------------------------------------


def test_unreachable_endpoint_fails_quickly():
    url = f"http://127.0.0.1:{free_port()}/query"
    started = time.monotonic()
    with pytest.raises(EndpointError) as error:
        ask_endpoint(COUNT_DEFAULT, url, timeout=5)
    assert time.monotonic() - started < 5
    assert "cannot be reached" in str(error.value) and url in str(error.value)
    assert "server" in error.value.fix
    with pytest.raises(EndpointError, match="cannot be reached"):
        publish(load_graph([paths.data_dir() / "source.ttl"], with_vocabulary=False), url.replace("/query", "/store"), timeout=5)


def test_silent_endpoint_times_out():
    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        started = time.monotonic()
        with pytest.raises(EndpointError, match="cannot be reached"):
            ask_endpoint(COUNT_DEFAULT, url, timeout=0.5)
        assert time.monotonic() - started < 5


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/query", "127.0.0.1:7878/query", "file:///etc/passwd", "http://", "http://127.0.0.1:port/query"])
def test_bad_url_is_a_usage_error(url):
    with pytest.raises(UsageError) as error:
        ask_endpoint(COUNT_DEFAULT, url, timeout=5)
    assert "http" in str(error.value)


# --- starting and stopping ----------------------------------------------------


def test_server_stops_cleanly():
    server = serve([paths.data_dir() / "source.ttl"])
    assert isinstance(server, Server) and server.running
    folder = server.temporary
    assert folder is not None and folder.is_dir()
    assert count(server.url) > 0
    server.stop()
    assert server.process.poll() is not None
    assert not folder.exists()
    server.stop()  # idempotent
    with pytest.raises(EndpointError, match="cannot be reached"):
        ask_endpoint(COUNT_DEFAULT, server.url, timeout=2)


def test_kept_location_survives_stop(tmp_path):
    location = tmp_path / "store"
    with serve([paths.data_dir() / "source.ttl"], location=location) as server:
        assert server.temporary is None
        expected = count(server.url)
    assert location.is_dir()
    with serve([], location=location) as again:  # served again without loading
        assert count(again.url) == expected


def test_port_in_use_is_a_clear_error(read_only_server):
    with pytest.raises(ServerError, match="in use"):
        serve([], port=read_only_server.port, read_only=False)


def test_host_that_cannot_be_bound_is_a_clear_error():
    with pytest.raises(BonemetError, match="192.0.2.1"):  # TEST-NET-1: never an address of this machine
        serve([], host="192.0.2.1", read_only=False)


def test_malformed_rdf_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(BonemetError, match="bad.ttl") as error:
        serve([bad])
    assert "line 2" in str(error.value)  # Oxigraph's own parser message, not its backtrace
    assert "backtrace" not in str(error.value).lower()


def test_empty_read_only_store_is_served():
    with serve([]) as server:
        assert count(server.url) == 0


def _picky_endpoint(accepts: set[str]):
    """A local endpoint that takes the query only by the methods in ``accepts`` (form, direct, get)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            return

        def _reply(self, way: str) -> None:
            seen.append(way)
            if way not in accepts:
                self.send_response(415)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._reply("form" if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded") else "direct")

        def do_GET(self):
            self._reply("get")

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/sparql", seen


@pytest.mark.parametrize("accepts, tried", [({"form"}, ["form"]), ({"direct"}, ["form", "direct"]), ({"get"}, ["form", "direct", "get"])])
def test_a_query_falls_back_through_the_protocols_three_ways(accepts, tried):
    server, url, seen = _picky_endpoint(accepts)
    try:
        assert ask_endpoint("ASK { ?s ?p ?o }", url, timeout=10).boolean is True
    finally:
        server.shutdown()
    assert seen == tried


def test_an_endpoint_that_refuses_every_way_is_named_in_one_error():
    server, url, _seen = _picky_endpoint(set())
    try:
        with pytest.raises(EndpointError) as refused:
            ask_endpoint("ASK { ?s ?p ?o }", url, timeout=10)
    finally:
        server.shutdown()
    assert "every method" in str(refused.value) and "HTTP 415" in str(refused.value)


def _guarded_store(scheme: str, user: str = "curator", password: str = "s3cret", *, stale_once: bool = False, attempts: list | None = None):
    """A local Graph Store endpoint that takes a PUT only with the right Basic or Digest
    credentials, and counts the bodies it accepted (and in ``attempts``, every PUT it got).
    With ``stale_once``, it turns down the first right Digest answer as stale, with a new nonce."""
    import base64
    import hashlib
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    accepted: list[bytes] = []
    attempts = [] if attempts is None else attempts
    realm = "bonemet-test"
    nonces = ["a1b2c3", "d4e5f6"] if stale_once else ["a1b2c3"]

    def h(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            return

        def _challenge(self, stale: bool = False) -> None:
            self.send_response(401)
            if scheme == "basic":
                self.send_header("WWW-Authenticate", f'Basic realm="{realm}"')
            else:
                self.send_header("WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonces[0]}", qop="auth", algorithm=MD5, stale="{str(stale).lower()}"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            if scheme == "basic":
                return header == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
            if not header.startswith("Digest "):
                return False
            fields = dict(part.strip().split("=", 1) for part in header[7:].split(","))
            fields = {k: v.strip('"') for k, v in fields.items()}
            first = h(f"{user}:{realm}:{password}")
            second = h("PUT:" + fields.get("uri", ""))
            expected = h(f"{first}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{second}")
            return fields.get("username") == user and fields.get("response") == expected

        def do_PUT(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            attempts.append(self.headers.get("Authorization", ""))
            if not self._authorised():
                return self._challenge()
            if scheme == "digest" and f'nonce="{nonces[0]}"' in self.headers["Authorization"] and len(nonces) > 1:
                nonces.pop(0)  # right answer, but to a nonce this store no longer takes
                return self._challenge(stale=True)
            accepted.append(body)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/store", accepted


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_publish_answers_the_stores_challenge(scheme):
    graph = load_graph()
    server, url, accepted = _guarded_store(scheme)
    try:
        with pytest.raises(EndpointError, match="401"):
            publish(graph, url, timeout=10)
        with pytest.raises(EndpointError, match="401"):
            publish(graph, url, timeout=10, user="curator", password="wrong")
        assert publish(graph, url, timeout=10, user="curator", password="s3cret") == len(graph)
    finally:
        server.shutdown()
    assert len(accepted) == 1


def test_publish_takes_the_password_from_the_environment_never_the_command_line(cli, monkeypatch):
    server, url, accepted = _guarded_store("basic")
    try:
        monkeypatch.setenv("BONEMET_PASSWORD", "s3cret")
        outcome = cli("publish", "--endpoint", url, "--user", "curator")
        assert outcome.code == 0, outcome.err
        monkeypatch.delenv("BONEMET_PASSWORD")
        monkeypatch.setattr("sys.stdin.isatty", lambda: False)
        assert_clean_error(cli("publish", "--endpoint", url, "--user", "curator"), "BONEMET_PASSWORD")
    finally:
        server.shutdown()
    assert len(accepted) == 1


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_a_wrong_password_is_tried_once_and_named(scheme):
    """The store's refusal of the credentials comes back after one answer to its challenge,
    not after the whole graph was sent again and again, and the advice is about the password."""
    graph = load_graph([paths.data_dir() / "source.ttl"], with_vocabulary=False)
    attempts: list[str] = []
    server, url, accepted = _guarded_store(scheme, attempts=attempts)
    try:
        with pytest.raises(EndpointError) as refused:
            publish(graph, url, timeout=10, user="curator", password="wrong")
        with pytest.raises(EndpointError) as anonymous:
            publish(graph, url, timeout=10)
    finally:
        server.shutdown()
    assert "HTTP 401" in str(refused.value) and "digest auth failed" not in str(refused.value)
    assert "password" in refused.value.fix
    assert "--user" in anonymous.value.fix
    assert len(attempts) == 3  # challenge and one wrong answer; then one anonymous try
    assert accepted == []


def test_a_stale_digest_nonce_is_answered_again():
    graph = load_graph([paths.data_dir() / "source.ttl"], with_vocabulary=False)
    attempts: list[str] = []
    server, url, accepted = _guarded_store("digest", stale_once=True, attempts=attempts)
    try:
        assert publish(graph, url, timeout=10, user="curator", password="s3cret") == len(graph)
    finally:
        server.shutdown()
    assert len(accepted) == 1 and len(attempts) == 3  # no answer, the stale one, the fresh one


def _failing_endpoint(status: int, reason: str, content_type: str, body: bytes):
    """A local endpoint that answers every request with one error response."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            return

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status, reason)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/sparql"


HTML_ERROR_PAGE = b"""<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML//EN">
<html>
  <head>
    <title>Error HTTP/1.1 500 Internal Server Error</title>
    <style>body { color: red }</style>
  </head>
  <body>
    <h3>Error HTTP/1.1 500 Internal Server Error</h3><pre>
The store ran out of &quot;temporary space&quot;    while answering
  </pre></body></html>
"""


@pytest.mark.parametrize("content_type", ["text/html; charset=ISO-8859-1", "application/octet-stream"])
def test_an_html_error_page_is_reduced_to_its_explanation(content_type):
    server, url = _failing_endpoint(500, "Internal Server Error", content_type, HTML_ERROR_PAGE)
    try:
        with pytest.raises(EndpointError) as error:
            ask_endpoint(COUNT_DEFAULT, url, timeout=10)
    finally:
        server.shutdown()
    message = str(error.value)
    assert 'HTTP 500 Internal Server Error: The store ran out of "temporary space" while answering' in message
    assert "DOCTYPE" not in message and "<" not in message.replace(url, "")


def test_a_plain_error_body_keeps_its_first_line():
    server, url = _failing_endpoint(500, "Internal Server Error", "text/plain", b"\n  Error 42: the index is rebuilding\nstack line\n")
    try:
        with pytest.raises(EndpointError, match="HTTP 500 Internal Server Error: Error 42: the index is rebuilding\\. Check"):
            ask_endpoint(COUNT_DEFAULT, url, timeout=10)
    finally:
        server.shutdown()
