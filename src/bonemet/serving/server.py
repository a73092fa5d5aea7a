"""Serving the graph over HTTP with the Oxigraph server, read-only by default.

The ``oxigraph`` command (the PyPI package ``oxigraph``, a dependency of
bonemet) loads the RDF files into a store folder and serves it as a SPARQL 1.1
endpoint::

    with serve([paths.vocabulary_file(), *paths.data_files()]) as server:
        print(server.url)      # http://127.0.0.1:PORT/query
        server.wait()          # until the process ends (Ctrl-C raises KeyboardInterrupt)

Leaving the ``with`` block (or calling :meth:`Server.stop`) ends the process and
removes the temporary store folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path

from bonemet.errors import BonemetError, InputError, UsageError

STARTUP_SECONDS = 10.0  # how long to wait for the endpoint to answer
_POLL_TIMEOUT = 0.5  # timeout of one readiness probe
_STOP_SECONDS = 5.0  # how long to wait after SIGTERM before SIGKILL
_LOAD_SECONDS = 300.0  # an upper bound on one 'oxigraph load'

# The media type of each RDF format bonemet reads (bonemet.graph.RDF_FORMATS), so that
# 'oxigraph load' need not guess from suffixes such as .owl or .json.
_MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "n3": "text/n3",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}


class ServerError(BonemetError):
    """The Oxigraph server cannot be found, cannot load the data or cannot start."""


def oxigraph_command() -> str:
    """The path of the ``oxigraph`` executable: beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError(
        f"the 'oxigraph' server command is found neither beside {sys.executable} nor on PATH",
        f"install it into this environment with '{sys.executable} -m pip install oxigraph'",
    )


class Server:
    """A running ``oxigraph serve`` (or ``serve-read-only``) process; a context manager.

    ``url`` is the SPARQL query endpoint, ``update_url`` the SPARQL update endpoint
    (refused when read-only), ``store_url`` the Graph Store HTTP Protocol endpoint.
    """

    def __init__(self, process: subprocess.Popen, host: str, port: int, *, read_only: bool, location: Path, temporary: Path | None, timeout_s: float | None = None) -> None:
        self.process = process
        self.timeout_s = timeout_s
        self.host = host
        self.port = port
        self.read_only = read_only
        self.location = location
        self.temporary = temporary  # the folder removed on stop(), if bonemet made it
        authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.base_url = f"http://{authority}"
        self.url = f"{self.base_url}/query"
        self.update_url = f"{self.base_url}/update"
        self.store_url = f"{self.base_url}/store"
        self._finalizer = weakref.finalize(self, _cleanup, process, temporary)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Server {self.url} {'read-only' if self.read_only else 'read-write'} {state}>"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until the server process ends (or ``timeout`` seconds pass: None then).

        Returns the process's exit code. Ctrl-C raises KeyboardInterrupt here; the
        caller's ``with`` block (or :meth:`stop`) then ends the server.
        """
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def restart(self) -> None:
        """Start the server again on the same port and store, after its process ended."""
        self._finalizer.detach()
        _cleanup(self.process, None)
        fresh = _start(oxigraph_command(), self.location, self.host, self.port, read_only=self.read_only,
                       temporary=self.temporary, timeout_s=self.timeout_s, cors=getattr(self, "cors", False), union=getattr(self, "union", False))
        fresh._finalizer.detach()
        self.process = fresh.process
        self._finalizer = weakref.finalize(self, _cleanup, self.process, self.temporary)

    def stop(self) -> None:
        """End the process (SIGTERM, then SIGKILL) and remove the temporary store folder.

        Calling it again does nothing.
        """
        self._finalizer()


def _cleanup(process: subprocess.Popen, temporary: Path | None) -> None:
    try:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(_STOP_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def serve(
    files: list[Path],
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    read_only: bool = True,
    location: Path | None = None,
    timeout_s: float | None = None,
    cors: bool = False,
    named_graphs: bool = False,
) -> Server:
    """Load ``files`` into an Oxigraph store and serve it at ``http://HOST:PORT/query``
    (answering cross-origin requests and their preflight when ``cors``). With
    ``named_graphs`` the store holds the graph as the TriG export splits it (the
    vocabulary, each source document, the derived layer in named graphs), and the default
    graph is their union;
    a query that runs longer than ``timeout_s`` seconds is stopped by the server.

    The store lives in ``location`` (kept afterwards) or in a temporary folder
    (removed by :meth:`Server.stop`). ``port`` None picks a free one. Returns once the
    endpoint answers.
    """
    command = oxigraph_command()
    files = [Path(f) for f in files]
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such RDF file", "check the path of each file to serve")
    if port is not None and not (0 < int(port) < 65536):
        raise UsageError(f"port {port} is not a TCP port", "give a port between 1 and 65535, or none to pick a free one")
    temporary = None if location is not None else _new_store_folder()
    store = Path(location) if location is not None else temporary / "store"
    try:
        if store.exists() and not store.is_dir():
            raise UsageError(f"{store}: the store location is a file, not a folder", "give a folder (it is created if missing)")
        store.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bonemet-derived-") as scratch:
            if named_graphs:
                _load(command, store, [_as_trig(files, Path(scratch))])
            else:
                _load(command, store, files + _derived_layer(files, Path(scratch)))
        attempts = 3 if port is None else 1  # a free port may be taken between picking and binding
        for attempt in range(attempts):
            chosen = _free_port(host) if port is None else _check_port(host, int(port))
            try:
                return _start(command, store, host, chosen, read_only=read_only, temporary=temporary, timeout_s=timeout_s, cors=cors, union=named_graphs)
            except ServerError as err:
                if attempt + 1 == attempts or "in use" not in str(err).lower():
                    raise
        raise AssertionError("unreachable")
    except BaseException:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        raise


def _as_trig(files: list[Path], folder: Path) -> Path:
    """The graph of ``files`` with its derived layer, as the TriG export writes it."""
    from bonemet.derivation import derive
    from bonemet.graph import load_files
    from bonemet.serialization import serialize

    graph = load_files(files)
    for triple in derive(graph):
        graph.add(triple)
    path = folder / "bonemet.trig"
    path.write_text(serialize(graph, "trig"), encoding="utf-8")
    return path


def _derived_layer(files: list[Path], folder: Path) -> list[Path]:
    """The derived layer of ``files`` as an N-Triples file in ``folder`` (none when the
    rules derive nothing, as without the vocabulary)."""
    from bonemet.derivation import derive
    from bonemet.graph import load_files
    from bonemet.serialization import serialize

    layer = derive(load_files(files)) if files else None
    if layer is None or not len(layer):
        return []
    path = folder / "bonemet-derived.nt"
    path.write_text(serialize(layer, "ntriples"), encoding="utf-8")
    return [path]


def stores_folder() -> Path:
    """The one folder under which 'serve' keeps its temporary stores."""
    return Path(tempfile.gettempdir()) / f"bonemet-serve-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _new_store_folder() -> Path:
    """A fresh store folder named after this process, after removing the folders of
    servers whose process no longer runs (a 'serve' ended by kill -9)."""
    from bonemet.files import process_folder

    return process_folder(stores_folder(), "store")


def _load(command: str, store: Path, files: list[Path]) -> None:
    """Load each file with its own 'oxigraph load' (so that an error names the file);
    with no file and no store yet, create an empty store (serve-read-only needs one)."""
    from bonemet.graph import RDF_FORMATS

    jobs: list[tuple[Path | None, list[str]]] = []
    for path in files:
        args = [command, "load", "--location", str(store), "--file", str(path), "--base", path.resolve().as_uri()]
        fmt = RDF_FORMATS.get(path.suffix.lower())
        if fmt in _MEDIA_TYPES:
            args += ["--format", _MEDIA_TYPES[fmt]]
        jobs.append((path, args))
    if not files and not (store / "CURRENT").exists():
        jobs.append((None, [command, "load", "--location", str(store), "--format", _MEDIA_TYPES["nt"]]))
    for path, args in jobs:
        try:
            done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=_LOAD_SECONDS)
        except subprocess.TimeoutExpired:
            raise ServerError(f"{path}: 'oxigraph load' did not finish in {_LOAD_SECONDS:.0f} s", "check that the file is not huge or on a stalled disk") from None
        except OSError as err:
            raise ServerError(f"{command}: cannot be run ({err.strerror or err})", "reinstall it with 'pip install oxigraph'") from None
        if done.returncode != 0 and path is None:
            raise ServerError(f"{store}: 'oxigraph load' cannot create a store there ({_reason(done.stderr or done.stdout)})", "give a writable, empty folder")
        if done.returncode != 0:
            raise InputError(
                f"{path}: 'oxigraph load' cannot load it ({_reason(done.stderr or done.stdout)})",
                "run 'bonemet validate' on it to see where it is malformed",
            )


def _addresses(host: str, port: int):
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as err:
        raise UsageError(f"host {host!r} cannot be resolved ({err})", "give an address of this machine, such as 127.0.0.1") from None


def _free_port(host: str) -> int:
    """A port free on ``host`` now: bind to port 0, read the port, close."""
    family, kind, proto, _name, address = _addresses(host, 0)[0]
    with socket.socket(family, kind, proto) as sock:
        try:
            sock.bind(address)
        except OSError as err:
            raise UsageError(f"cannot listen on host {host} ({err.strerror or err})", "give an address of this machine, such as 127.0.0.1") from None
        return sock.getsockname()[1]


def check_host_port(host: str, port: int) -> int:
    """``port`` if it is a TCP port and nothing listens on it on ``host``, else a clear error."""
    if not (0 < int(port) < 65536):
        raise UsageError(f"port {port} is not a TCP port", "give a port between 1 and 65535, or none to pick a free one")
    return _check_port(host, port)


def _check_port(host: str, port: int) -> int:
    """``port`` if nothing listens on it on ``host``, else a clear error."""
    family, kind, proto, _name, address = _addresses(host, port)[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is no obstacle
        try:
            sock.bind(address)
        except OSError as err:
            if err.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                raise ServerError(f"port {port} on {host} is already in use", "stop what listens there, or give another --port (or none to pick a free one)") from None
            raise UsageError(f"cannot listen on {host}:{port} ({err.strerror or err})", "give an address of this machine, such as 127.0.0.1, and a port you may use") from None
    return port


def _start(command: str, store: Path, host: str, port: int, *, read_only: bool, temporary: Path | None, timeout_s: float | None = None, cors: bool = False, union: bool = False) -> Server:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    args = [command, "serve-read-only" if read_only else "serve", "--location", str(store), "--bind", bind]
    if timeout_s is not None:
        args += ["--timeout-s", str(max(1, int(round(timeout_s))))]
    if cors:
        args.append("--cors")  # the Oxigraph server's own CORS support
    if union:
        args.append("--union-default-graph")  # the default graph is the union of the named graphs
    log = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # Ctrl-C reaches Python only, which then stops the server in order
            preexec_fn=_die_with_parent(),
        )
    except OSError as err:
        log.close()
        raise ServerError(f"{command}: cannot be run ({err.strerror or err})", "reinstall it with 'pip install oxigraph'") from None
    server = Server(process, host, port, read_only=read_only, location=store, temporary=temporary, timeout_s=timeout_s)
    server.cors = cors
    server.union = union
    try:
        _wait_until_ready(server, log)
    except BaseException:
        server._finalizer.detach()  # end the process but keep the store: serve() may try another port
        _cleanup(process, None)
        raise
    finally:
        log.close()  # the process keeps its own handle
    return server


def _die_with_parent():
    """On Linux, a function that asks the kernel to end the child when this process
    ends, even by SIGKILL (so that no server outlives bonemet); None elsewhere, or
    from a thread other than the main one (the signal follows the forking thread)."""
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def set_parent_death_signal() -> None:
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return set_parent_death_signal


def _wait_until_ready(server: Server, log) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    probe = f"{server.url}?query=ASK%7B%7D"
    while True:
        if server.process.poll() is not None:
            log.seek(0)
            reason = _reason(log.read().decode("utf-8", "replace")) or f"exit code {server.process.returncode}"
            if "in use" in reason.lower():
                raise ServerError(f"port {server.port} on {server.host} is already in use ({reason})", "stop what listens there, or give another --port (or none to pick a free one)")
            raise ServerError(f"the Oxigraph server stopped at start ({reason})", "check the store folder, the host and the port")
        try:
            with urllib.request.urlopen(probe, timeout=_POLL_TIMEOUT) as response:
                response.read()
            if server.process.poll() is None:  # it is our process that answered
                return
        except urllib.error.HTTPError:
            if server.process.poll() is None:
                return  # it answers, if not with 200
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"the Oxigraph server did not answer at {server.url} within {STARTUP_SECONDS:.0f} s", "check that nothing blocks the port and try again")
        time.sleep(0.05)


def _reason(text: str) -> str:
    """What Oxigraph says went wrong: its 'Error: ...' line, else the last line of
    its standard error (a Rust backtrace follows the error line, when there is one)."""
    lines = []
    for line in (text or "").splitlines():
        if line.startswith("Stack backtrace"):
            break
        if line.strip():
            lines.append(line.strip())
    for line in lines:  # the first error is the most specific: 'Error while loading file F: Parser error at line...'
        if line.startswith("Error"):
            return re.sub(r"^Error(:| while loading file .*?:)\s*", "", line)
    return lines[-1] if lines else ""


__all__ = ["Server", "ServerError", "oxigraph_command", "serve", "STARTUP_SECONDS"]
