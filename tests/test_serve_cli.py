"""The command line over real SPARQL servers: serve, publish, query --endpoint."""

from __future__ import annotations

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
