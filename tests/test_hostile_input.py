"""Hostile input: every case ends with exit 0, 1 or 2 and at most one line on standard
error, never a traceback, a hang, a death by signal or a connection nobody asked for."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import assert_clean_error

BONEMET = [sys.executable, "-m", "bonemet"]


def _run(*args: str, cwd: Path | None = None, stdout=subprocess.PIPE, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*BONEMET, *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout)


def _one_clean_line(err: str) -> str:
    """The one error line; progress lines (shown after two seconds) may stand beside it."""
    lines = [line for line in err.strip().splitlines() if not _is_progress(line)]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _is_progress(line: str) -> bool:
    return line.startswith("bonemet: ") and not line.startswith("bonemet: error: ") and (line.endswith(" s)") or line.startswith("bonemet: done in "))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_name_linked_to_a_device_is_refused(cli, tmp_path, device):
    link = tmp_path / "facts.ttl"
    link.symlink_to(device)
    assert_clean_error(cli("validate", str(link)), str(link), "not a regular file")


def test_nested_xml_entities_are_refused_at_once(cli, tmp_path):
    levels = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(levels) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="http://x/">'
        '<rdf:Description rdf:about="http://x/a"><x:b>&a9;</x:b></rdf:Description></rdf:RDF>\n'
    )
    assert_clean_error(cli("validate", str(laughs)), str(laughs), "XML entities")


def test_two_hundred_thousand_prefixes_parse_in_linear_time(tmp_path):
    many = tmp_path / "prefixes.ttl"
    many.write_text("".join(f"@prefix p{i}: <http://x/{i}#> .\n" for i in range(200_000)) + "<http://a> <http://b> <http://c> .\n")
    done = _run("validate", str(many), timeout=60)  # rdflib's own parser took minutes
    assert done.returncode == 1 and "Traceback" not in done.stderr  # a lone file: nothing to check


def test_a_literal_over_sixteen_megabytes_is_exit_2_not_a_traceback(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text('<http://a> <http://b> "' + "x" * 17_000_000 + '" .\n')
    done = _run("validate", str(big))
    assert done.returncode == 2
    assert "16 MB" in _one_clean_line(done.stderr)


@pytest.mark.parametrize("opening, closing", [("[ <http://p> ", " ]"), ("( ", " )")], ids=["blank-nodes", "lists"])
def test_nesting_a_thousand_deep_is_read(tmp_path, opening, closing):
    deep = tmp_path / "deep.ttl"
    deep.write_text("<http://a> <http://b> " + opening * 1000 + "<http://o>" + closing * 1000 + " .\n")
    done = _run("validate", str(deep))
    assert done.returncode == 1 and "Traceback" not in done.stderr and "malformed" not in done.stderr


def test_an_ill_typed_literal_is_reported_by_validation_not_logged(tmp_path):
    from bonemet import paths

    odd = tmp_path / "odd.ttl"
    odd.write_text('<https://w3id.org/bonemet/id/reference-5> <http://purl.org/dc/terms/issued> "first"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    done = _run("validate", *map(str, paths.data_files()), str(odd))
    assert done.returncode == 1
    assert done.stderr == ""
    assert "IllTypedLiteralShape" in done.stdout


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("@prefix x: <http://x/> .\nx:a x:b x:c\nx:d x:e x:f .\n", ("line 3, column 1", "dot is expected")),
        ("@@@@@", ("line 1, column 2",)),
        ("<http://x/a b> <http://x/b> <http://x/c> .\n", ("line 1", "Invalid IRI")),
    ],
    ids=["missing-dot", "at-signs", "invalid-iri"],
)
def test_malformed_turtle_is_placed_in_its_own_words(cli, tmp_path, text, fragments):
    bad = tmp_path / "bad.ttl"
    bad.write_text(text)
    outcome = cli("validate", str(bad))
    assert_clean_error(outcome, str(bad), "malformed turtle", *fragments)
    assert "column -" not in outcome.err and "index out of range" not in outcome.err


def test_validate_from_a_deleted_working_directory(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys, runpy; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.argv = ['bonemet', 'validate']; runpy.run_module('bonemet', run_name='__main__')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CONFORMS")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [["export", "--format", "ntriples"], ["query", "signs-and-symptoms"]], ids=["export", "query"])
def test_a_full_standard_output_is_exit_2_with_one_line(command):
    with open("/dev/full", "w") as full:
        done = _run(*command, stdout=full)
    assert done.returncode == 2
    assert "cannot write the output" in _one_clean_line(done.stderr)


def test_a_reader_that_stops_early_ends_the_command_quietly():
    producer = subprocess.Popen([*BONEMET, "export", "--format", "ntriples"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    producer.stdout.readline()
    producer.stdout.close()  # as 'head -1' does
    _out, err = producer.communicate(timeout=120)
    assert producer.returncode == 0
    assert err == b""


class _Listener:
    """A local TCP server that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.socket.close()


@pytest.mark.parametrize("context", ["http://127.0.0.1:{port}/context.jsonld", "file:///etc/hostname"])
def test_a_jsonld_context_to_fetch_is_refused_without_a_connection(cli, tmp_path, context):
    listener = _Listener()
    try:
        remote = tmp_path / "remote.jsonld"
        remote.write_text('{"@context": "%s", "@id": "http://x/a", "http://x/b": "c"}' % context.format(port=listener.port))
        assert_clean_error(cli("validate", str(remote)), str(remote), "would have to be fetched")
    finally:
        listener.close()
    assert listener.connections == 0


def test_local_commands_open_no_connection(cli, tmp_path):
    listener = _Listener()
    try:
        # a data file that names the listener in every way a parser might follow
        names = tmp_path / "names.ttl"
        names.write_text(f"@base <http://127.0.0.1:{listener.port}/> .\n<a> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <http://127.0.0.1:{listener.port}/more.ttl> .\n")
        assert cli("validate", str(names)).code in (0, 1)
        assert cli("query", "signs-and-symptoms").code == 0
        assert cli("export", "--format", "jsonld").code == 0
    finally:
        listener.close()
    assert listener.connections == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_no_case_here_dies_by_signal(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(b"\x00\xff\xfe" * 1000)
    done = _run("validate", str(bad))
    assert done.returncode in (0, 1, 2)
    _one_clean_line(done.stderr)


def test_a_trailing_slash_names_a_folder(cli, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    assert cli("export", "--format", "turtle", "-o", f"{folder}/").code == 0
    assert (folder / "bonemet.ttl").is_file()
    missing = tmp_path / "missing"
    assert_clean_error(cli("export", "--format", "turtle", "-o", f"{missing}/"), str(missing), "not an existing folder")
    assert not missing.exists()


def test_temporary_files_of_killed_writers_are_removed_by_the_next_write(tmp_path):
    from bonemet.files import TEMPORARY_SUFFIX, write_atomic

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".bonemet.ttl.{dead}.abc123{TEMPORARY_SUFFIX}"
    stale.write_bytes(b"x" * 1024)
    alive = tmp_path / f".bonemet.ttl.{os.getpid()}.def456{TEMPORARY_SUFFIX}"  # a writer still running
    alive.write_bytes(b"y")
    write_atomic(tmp_path / "bonemet.ttl", "data")
    assert not stale.exists()
    assert alive.exists()
    assert (tmp_path / "bonemet.ttl").read_text() == "data"


def test_kill_minus_nine_during_an_export_leaves_nothing_the_next_write_keeps(tmp_path):
    import signal
    import time

    script = (
        "import os, sys, time; from bonemet import files; "
        "files.os.replace = lambda *a: time.sleep(60); "  # hold the write open between fsync and rename
        f"files.write_atomic({str(tmp_path / 'big.nt')!r}, 'x' * 1000000)"
    )
    writer = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert list(tmp_path.glob(".*")), "the killed writer left its temporary file"
    from bonemet.files import write_atomic

    write_atomic(tmp_path / "other.ttl", "next")
    assert not list(tmp_path.glob(".*"))


def test_a_build_that_fails_partway_keeps_the_old_build_whole(tmp_path, monkeypatch):
    from bonemet import build as build_module
    from bonemet import files as files_module
    from bonemet.errors import OutputError

    out = tmp_path / "build"
    build_module.build(out)

    def snapshot():
        return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    before = snapshot()
    assert "site/index.html" in before
    real_write = files_module.write_atomic
    count = {"written": 0}

    def write_then_fail(path, content):
        if count["written"] == 3:  # a few files, then the disk is full
            raise OutputError("cannot write (No space left on device)", "free some space")
        count["written"] += 1
        return real_write(path, content)

    monkeypatch.setattr(files_module, "write_atomic", write_then_fail)
    with pytest.raises(OutputError):
        build_module.build(out)
    assert snapshot() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # no staging folder left


def test_a_killed_builds_staging_folder_is_removed_next_time(tmp_path):
    from bonemet import build as build_module

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    leftover = tmp_path / f".build.staging.{dead}"
    leftover.mkdir()
    (leftover / "bonemet.ttl").write_text("half")
    build_module.build(tmp_path / "build")
    assert not leftover.exists()


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_local_query_past_its_timeout_stops_with_exit_2():
    import time

    started = time.monotonic()
    done = _run("query", "--sparql", CARTESIAN, "--timeout", "1")
    assert done.returncode == 2
    assert "still running after 1 s" in _one_clean_line(done.stderr)
    assert time.monotonic() - started < 60


def test_ctrl_c_stops_a_query_while_oxigraph_evaluates_it():
    import signal
    import time

    process = subprocess.Popen([*BONEMET, "query", "--sparql", CARTESIAN, "--timeout", "600"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # well into the evaluation
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "interrupted" in err
    assert time.monotonic() - started < 10


def test_an_endpoint_that_trickles_its_answer_meets_the_deadline():
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(1.0):  # one byte a second: each read is quick, the whole never ends
            try:
                conn.sendall(b" ")
            except OSError:
                break
        conn.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        done = _run("query", "signs-and-symptoms", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        listener.close()
    assert done.returncode == 2
    assert "within 3 s" in _one_clean_line(done.stderr)
    assert elapsed < 30
