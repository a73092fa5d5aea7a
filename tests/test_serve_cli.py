"""The command line over real SPARQL servers: serve, publish, query --endpoint."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bonemet import paths
from bonemet.sparql import catalogue
from bonemet.graph import load_graph
from bonemet.sparql.questions import ask
from bonemet.serving.remote import ask_endpoint
from bonemet.serving.server import serve
from conftest import assert_clean_error

BONEMET = str(Path(sys.executable).with_name("bonemet"))


@pytest.fixture(scope="module")
def served():
    with serve([paths.vocabulary_file(), *paths.data_files()]) as server:
        yield server


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in catalogue.questions()])
def test_query_endpoint_gives_the_local_rows(cli, question, served):
    bind = [a for example in question.example for a in ("--bind", example)]
    remote = cli("query", question.name, *bind, "--endpoint", served.url, "--format", "json")
    local = cli("query", question.name, *bind, "--format", "json")
    assert remote.code == 0, remote.err
    assert remote.out == local.out


def test_query_endpoint_checks_parameters_as_locally(cli, served):
    outcome = cli("query", "evidence-for", "--endpoint", served.url)
    assert_clean_error(outcome, "needs a value for ?entity")


def test_query_an_unreachable_endpoint(cli):
    outcome = cli("query", "signs-and-symptoms", "--endpoint", "http://127.0.0.1:9/query")
    assert_clean_error(outcome, "http://127.0.0.1:9/query", "cannot be reached")


def test_query_an_endpoint_that_is_not_http(cli):
    assert_clean_error(cli("query", "signs-and-symptoms", "--endpoint", "ftp://example.org/sparql"), "ftp://example.org/sparql")


def test_engine_rdflib_gives_the_same_answer(cli):
    fast = cli("query", "all-symptoms", "--format", "json")
    plain = cli("query", "all-symptoms", "--format", "json", "--engine", "rdflib")
    assert fast.code == plain.code == 0
    assert fast.out == plain.out


def test_publish_replaces_a_graph_of_a_store(cli):
    graph = load_graph()
    with serve([], read_only=False) as store:
        for _ in range(2):  # a second upload replaces the first
            outcome = cli("publish", "--endpoint", store.store_url, "--graph", "https://w3id.org/bonemet/graph")
            assert outcome.code == 0, outcome.err
            assert f"published {len(graph)} triples" in outcome.err
        answer = ask_endpoint("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/bonemet/graph> { ?s ?p ?o } }", store.url)
        assert int(answer.rows[0]["n"]) == len(graph)
        # and the named questions answer from the default graph after a default upload
        assert cli("publish", "--endpoint", store.store_url).code == 0
        question = catalogue.named("signs-and-symptoms")
        assert ask_endpoint(question.text, store.url).rows == ask(question, graph=graph).rows


def test_publish_to_an_unreachable_store(cli):
    outcome = cli("publish", "--endpoint", "http://127.0.0.1:9/store")
    assert_clean_error(outcome, "cannot be reached")


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "bonemet serve printed no endpoint URL in time"
    return process.stdout.readline().strip()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_serve_prints_its_url_answers_refuses_updates_and_stops_cleanly(stop):
    process = subprocess.Popen([BONEMET, "serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = _read_line(process, 30)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
        answer = ask_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", url, timeout=10)
        assert int(answer.rows[0]["n"]) == len(load_graph())
        import urllib.error
        import urllib.request

        update = urllib.request.Request(
            url.replace("/query", "/update"), data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            method="POST", headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code >= 400
        process.send_signal(stop)
        process.wait(timeout=15)
        assert process.returncode == 0, process.stderr.read()
        assert "stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_on_a_port_in_use(cli, served):
    outcome = cli("serve", "--port", str(served.port))
    assert_clean_error(outcome, "already in use")


def _start_serve(*extra: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([BONEMET, "serve", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([process.stdout], [], [], 120)
    assert ready, "serve did not print its URL"
    return process, process.stdout.readline().strip()


def _oxigraph_children(parent: int) -> list[int]:
    """The processes whose parent is ``parent``, read from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def test_serve_restarts_a_server_that_dies_and_stops_its_progress_lines():
    import time
    import urllib.request

    process, url = _start_serve("--timeout", "5")
    try:
        [child] = _oxigraph_children(process.pid)
        os.kill(child, signal.SIGKILL)  # as the nesting crash did
        deadline = time.monotonic() + 60
        answered = False
        while time.monotonic() < deadline and not answered:
            try:
                request = urllib.request.Request(url + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", headers={"Accept": "application/sparql-results+json"})
                answered = b'"boolean":true' in urllib.request.urlopen(request, timeout=5).read()
            except OSError:
                time.sleep(0.5)
        assert answered, "the endpoint did not come back"
        assert process.poll() is None
        time.sleep(6)  # long enough for a progress line every five seconds
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    assert "restarting it on the same port and store (1 of 3)" in err
    assert not [line for line in err.splitlines() if line.startswith("bonemet: starting")], err


def test_a_store_left_by_a_killed_serve_is_removed_at_the_next_start():
    from bonemet.serving.server import stores_folder

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stores_folder().mkdir(mode=0o700, exist_ok=True)
    leftover = stores_folder() / f"store-{dead}-leftover"
    leftover.mkdir()
    with serve([paths.vocabulary_file()]) as server:
        assert server.location.parent.parent == stores_folder()
        assert not leftover.exists()
    assert not server.location.exists()


def test_serve_stops_a_query_past_its_timeout():
    import time
    import urllib.parse
    import urllib.request

    with serve([paths.vocabulary_file(), *paths.data_files()], timeout_s=1) as server:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        request = urllib.request.Request(server.url, data=urllib.parse.urlencode({"query": heavy}).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        started = time.monotonic()
        try:
            body = urllib.request.urlopen(request, timeout=60).read()
        except OSError as error:  # an error status is a stopped query too
            body = str(error).encode()
        assert time.monotonic() - started < 30
        assert b"cancelled" in body or b"500" in body or b"timeout" in body.lower()


def test_serve_refuses_a_deeply_nested_query_and_stays_up():
    import urllib.error
    import urllib.parse
    import urllib.request

    process, url = _start_serve()
    try:
        deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000  # aborted the Oxigraph server
        request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": deep}).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 400
        assert b"nested 5000 levels deep" in refused.value.read()
        fine = urllib.request.Request(url + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", headers={"Accept": "application/sparql-results+json"})
        assert b'"boolean":true' in urllib.request.urlopen(fine, timeout=30).read()
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    assert "restarting" not in err


@pytest.mark.parametrize("cors", [True, False], ids=["with-cors", "without"])
def test_a_browser_preflight_is_answered_only_with_cors(cors):
    import urllib.error
    import urllib.request

    process, url = _start_serve(*(["--cors"] if cors else []))
    try:
        preflight = urllib.request.Request(url, method="OPTIONS", headers={
            "Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        })
        try:
            with urllib.request.urlopen(preflight, timeout=30) as reply:
                allowed = reply.headers.get("Access-Control-Allow-Origin")
        except urllib.error.HTTPError as refused:
            allowed = refused.headers.get("Access-Control-Allow-Origin")
        query = urllib.request.Request(url + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", headers={"Origin": "http://yasgui.example", "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(query, timeout=30) as reply:
            answered = reply.headers.get("Access-Control-Allow-Origin")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    if cors:
        assert allowed in ("*", "http://yasgui.example") and answered in ("*", "http://yasgui.example")
    else:
        assert allowed is None and answered is None


def test_serve_keeps_the_named_graphs_with_their_union_as_default(cli):
    process, url = _start_serve()
    try:
        graphs = cli("query", "--sparql", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g", "--endpoint", url, "--format", "csv")
        # the TriG export's names: the derived layer, the page's document, the vocabulary
        assert graphs.out.split() == ["g", "https://w3id.org/bonemet/graph/derived", "https://w3id.org/bonemet/id/doc-bone-metastasis", "https://w3id.org/bonemet/vocab"]
        for name in ("signs-and-symptoms", "bone-sites-for-cancer"):
            question = catalogue.named(name)
            bind = [a for example in question.example for a in ("--bind", example)]
            remote = cli("query", name, *bind, "--endpoint", url, "--format", "json")
            assert remote.code == 0 and remote.out == cli("query", name, *bind, "--format", "json").out
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)


def test_serve_describes_itself_with_void_at_the_well_known_address(cli):
    import urllib.request

    from rdflib import Graph, URIRef
    from rdflib.namespace import VOID

    process, url = _start_serve()
    try:
        base = url.rsplit("/", 1)[0]
        with urllib.request.urlopen(base + "/.well-known/void", timeout=30) as reply:
            kind = reply.headers.get("Content-Type")
            text = reply.read().decode("utf-8")
        # the endpoint it names is the one serve printed, and it answers
        assert kind.startswith("text/turtle")
        described = Graph().parse(data=text, format="turtle")
        assert set(described.objects(None, VOID.sparqlEndpoint)) == {URIRef(url)}
        asked = cli("query", "--sparql", "ASK { ?s ?p ?o }", "--endpoint", str(next(described.objects(None, VOID.sparqlEndpoint))), "--format", "json")
        assert asked.code == 0 and "true" in asked.out
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
