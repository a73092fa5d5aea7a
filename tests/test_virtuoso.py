"""Bonemet against a real OpenLink Virtuoso server (Debian's ``virtuoso-opensource``).

The module starts a private Virtuoso of its own: a fresh database in a temporary folder,
its own ``virtuoso.ini``, free loopback ports for SQL and HTTP, and a new ``dba`` password;
the system service is neither needed nor touched. It loads the TriG export the way the
README's recipe says (``isql-vt``: ``ld_dir``, ``rdf_loader_run``, ``checkpoint``), asks
every named question through ``bonemet query --endpoint`` and compares the rows with the
local engine's, and publishes with ``bonemet publish --user dba`` through Virtuoso's
Digest-protected Graph Store endpoint.

Skipped when ``virtuoso-t`` or ``isql-vt`` is not installed (``make test`` installs them
when it runs as root, as on CI).

No answer needed normalizing: bonemet reads Virtuoso's SPARQL JSON (which still writes
``typed-literal`` for typed values) into the same terms as the local engine gives.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from bonemet.graph import load_graph
from bonemet.serving.remote import ask_endpoint
from bonemet.sparql import catalogue
from conftest import assert_clean_error

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")  # Debian's name; its plain "isql" is unixODBC's, another program

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        VIRTUOSO is None or ISQL is None,
        reason="Virtuoso is not installed (virtuoso-t and isql-vt): 'sudo apt-get install virtuoso-opensource', or 'make test' as root",
    ),
]

BONEMET = str(Path(sys.executable).with_name("bonemet"))
DEFAULT_GRAPH = "https://w3id.org/bonemet/graph/default"  # where ld_dir puts the TriG's default graph
PUBLISHED = "https://w3id.org/bonemet/graph/published"
START_DEADLINE = 90  # seconds for a fresh database to come up
COMMAND_DEADLINE = 120  # seconds for any one command the module runs

# the README's virtuoso.ini, with free ports: every file in the server's own folder
INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile       = virtuoso-temp.db
TransactionFile    = virtuoso-temp.trx
[Parameters]
ServerPort         = {sql_port}
DirsAllowed        = .
[HTTPServer]
ServerPort         = {http_port}
ServerRoot         = www
"""


class Virtuoso:
    """A running private Virtuoso: its ports, its dba password and its log."""

    def __init__(self, folder: Path, process: subprocess.Popen, sql_port: int, http_port: int) -> None:
        self.folder, self.process, self.sql_port, self.http_port = folder, process, sql_port, http_port
        self.password = "dba"  # what a new database starts with
        self.base = f"http://127.0.0.1:{http_port}"
        self.sparql = f"{self.base}/sparql"
        self.graph_store = f"{self.base}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else "(no log)"

    def sql(self, statements: str) -> str:
        """Run SQL statements with isql-vt as dba; fails the test on any error it prints
        (isql-vt exits 0 even then)."""
        done = subprocess.run(
            [ISQL, str(self.sql_port), "dba", self.password, f"exec={statements}"],
            capture_output=True, text=True, timeout=COMMAND_DEADLINE, stdin=subprocess.DEVNULL,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            pytest.fail(f"isql-vt failed on {statements!r}:\n{output}\n--- server log ---\n{self.log()}")
        return output

    def count(self, graph: str) -> int:
        answer = ask_endpoint(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", self.sparql, timeout=30)
        return int(answer.rows[0]["n"])

    def graph(self, graph: str):
        return ask_endpoint(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", self.sparql, timeout=30).graph


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query={urllib.parse.quote('ASK {}')}", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_ports(2)
    (folder / "www").mkdir()  # an empty web root: the server publishes no files
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port), encoding="utf-8")
    with open(folder / "server.out", "wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            cwd=folder, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Virtuoso(folder, process, sql_port, http_port)
    try:
        deadline = time.monotonic() + START_DEADLINE
        while not _answers(server.sparql):
            if process.poll() is not None:
                pytest.fail(f"virtuoso-t stopped with exit code {process.returncode} while starting:\n{server.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"virtuoso-t did not answer on {server.sparql} within {START_DEADLINE} s:\n{server.log()}")
            time.sleep(0.25)
        new_password = secrets.token_urlsafe(12)  # not the well-known default, so the test shows it travelled
        server.sql(f"USER_SET_PASSWORD('dba', '{new_password}');")
        server.password = new_password
        yield server
    finally:
        process.terminate()  # Virtuoso checkpoints and exits on SIGTERM
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def exported(virtuoso):
    """The TriG export, written by the command line into a folder Virtuoso may read."""
    trig = virtuoso.folder / "bonemet.trig"
    done = subprocess.run([BONEMET, "export", "--format", "trig", "-o", str(trig)], capture_output=True, text=True, timeout=COMMAND_DEADLINE)
    assert done.returncode == 0, done.stderr
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    return trig, dataset


@pytest.fixture(scope="module")
def loaded(virtuoso, exported):
    """Virtuoso with the TriG export bulk-loaded, as the README's recipe does it."""
    trig, _dataset = exported
    assert trig.parent == virtuoso.folder  # '.' below is the server's folder
    virtuoso.sql(f"ld_dir('.', '{trig.name}', '{DEFAULT_GRAPH}'); rdf_loader_run(); checkpoint;")
    failures = virtuoso.sql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL OR ll_state <> 2;")
    assert "0 Rows." in failures, failures
    return virtuoso


@pytest.fixture
def published(loaded):
    """The graph name the publishing tests write to; emptied again after each, so that the
    named questions, which read the union of all graphs, never see a second copy."""
    yield PUBLISHED
    loaded.sql(f"SPARQL CLEAR GRAPH <{PUBLISHED}>;")


def _graphs(dataset: Dataset) -> dict[str, object]:
    """The non-empty graphs of ``dataset`` by the name Virtuoso gives them."""
    return {DEFAULT_GRAPH if g.identifier == DATASET_DEFAULT_GRAPH_ID else str(g.identifier): g for g in dataset.graphs() if len(g)}


# --- loading ------------------------------------------------------------------


def test_every_graph_of_the_trig_export_arrives_whole(loaded, exported):
    _trig, dataset = exported
    graphs = _graphs(dataset)
    assert set(graphs) == {DEFAULT_GRAPH, "https://w3id.org/bonemet/vocab", "https://w3id.org/bonemet/id/doc-bone-metastasis", "https://w3id.org/bonemet/graph/derived"}
    for name, graph in graphs.items():
        assert loaded.count(name) == len(graph), name
        assert isomorphic(loaded.graph(name), graph), name  # the same terms: datatypes, languages, IRIs


# --- the named questions --------------------------------------------------------


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in catalogue.questions()])
def test_every_named_question_gives_the_local_rows(cli, question, loaded):
    bind = [arg for example in question.example for arg in ("--bind", example)]
    remote = cli("query", question.name, *bind, "--endpoint", loaded.sparql, "--format", "json")
    local = cli("query", question.name, *bind, "--format", "json")
    assert remote.code == 0, remote.err
    assert local.code == 0, local.err
    remote_answer, local_answer = json.loads(remote.out), json.loads(local.out)
    if "boolean" in local_answer:
        assert remote_answer == local_answer
        return
    assert remote_answer["head"]["vars"] == local_answer["head"]["vars"]
    assert local_answer["results"]["bindings"], f"{question.name}: the local engine gives no rows"
    assert remote_answer["results"]["bindings"] == local_answer["results"]["bindings"]  # same rows, same order, same terms


def test_a_syntax_error_is_reported_with_virtuosos_own_reason(cli, loaded):
    outcome = cli("query", "--sparql", "SELECT * WHERE { ?s ?p }", "--endpoint", loaded.sparql)
    assert_clean_error(outcome, "HTTP 400", "syntax error")


def test_a_wrong_path_is_reported_without_html(cli, loaded):
    outcome = cli("query", "--sparql", "ASK { ?s ?p ?o }", "--endpoint", f"{loaded.base}/no-such-endpoint")
    assert_clean_error(outcome, "HTTP 404", "not found")
    assert "<" not in outcome.err and "DOCTYPE" not in outcome.err


# --- publishing with Digest authentication ----------------------------------------


def test_publish_with_the_password_from_the_environment(cli, monkeypatch, loaded, published):
    graph = load_graph()
    monkeypatch.setenv("BONEMET_PASSWORD", loaded.password)
    for _ in range(2):  # the second upload replaces the first instead of adding to it
        outcome = cli("publish", "--endpoint", loaded.graph_store, "--graph", published, "--user", "dba")
        assert outcome.code == 0, outcome.err
        assert f"published {len(graph)} triples" in outcome.err
        assert loaded.count(published) == len(graph)
    assert isomorphic(loaded.graph(published), graph)


def test_publish_with_the_password_from_the_prompt(cli, monkeypatch, loaded, published):
    asked = []
    monkeypatch.delenv("BONEMET_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or loaded.password)
    outcome = cli("publish", "--endpoint", loaded.graph_store, "--graph", published, "--user", "dba")
    assert outcome.code == 0, outcome.err
    assert len(asked) == 1 and "dba" in asked[0]
    assert loaded.count(published) == len(load_graph())


def test_publish_with_a_wrong_password_or_none_is_refused_cleanly(cli, monkeypatch, loaded, published):
    monkeypatch.setenv("BONEMET_PASSWORD", loaded.password + "-wrong")
    assert_clean_error(cli("publish", "--endpoint", loaded.graph_store, "--graph", published, "--user", "dba"), "HTTP 401", "password")
    monkeypatch.delenv("BONEMET_PASSWORD")
    assert_clean_error(cli("publish", "--endpoint", loaded.graph_store, "--graph", published), "HTTP 401", "--user")
    assert loaded.count(published) == 0
