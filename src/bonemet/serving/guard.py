"""A thin guard in front of the Oxigraph server: it refuses SPARQL nested past the limit
(which would crash the server by deep recursion) and oversized requests, and forwards
everything else unchanged.

It reads each request whole (bounded in size and time), checks the query text with the
same guard the local command uses, and passes the request on to the Oxigraph server on a
loopback port, then its answer back. A few fixed documents (the VoID description at
``/.well-known/void``) it answers itself: see :meth:`Guard.publish`. Given a site folder
(:meth:`Guard.serve_site`), it serves its files at every path but the server's own
(``/query``, ``/update``, ``/store``), negotiating ``/id/NAME`` and ``/vocab`` on the
``Accept`` header (see :mod:`bonemet.serving.static`).
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: The largest request body the guard reads (a SPARQL query is a few kilobytes).
MAX_BODY = 1_000_000
#: Seconds a client may take to send its request.
READ_SECONDS = 30.0
#: The paths the Oxigraph server answers, forwarded even when a site is served.
FORWARDED = ("/query", "/update", "/store")
#: Seconds a client is told to wait while the site is still being built.
RETRY_SECONDS = 5
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers", "transfer-encoding", "upgrade"}


def query_text(method: str, target: str, content_type: str, body: bytes) -> str | None:
    """The SPARQL query a protocol request carries, if any."""
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)
    if method == "POST":
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return body.decode("utf-8", "replace")
        if kind == "application/x-www-form-urlencoded":
            fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    values = fields.get("query") or fields.get("update")
    return values[0] if values else None


class Guard:
    """The guard, listening on ``host``:``port`` and forwarding to ``upstream`` (host, port)."""

    def __init__(self, host: str, port: int, upstream: tuple[str, int], *, timeout: float, cors: bool = False) -> None:
        guard = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:  # the command line prints, not this
                return

            def do_GET(self) -> None:
                guard._handle(self)

            do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = do_GET

        family = socket.AF_INET6 if ":" in host else socket.AF_INET

        class Server(ThreadingHTTPServer):
            address_family = family
            daemon_threads = True

        self.upstream = upstream
        self.timeout = timeout
        self.cors = cors
        self.documents: dict[str, tuple[str, bytes]] = {}
        self.site: Path | None = None  # the folder whose files are served, once there is one
        self.site_coming = False  # a site is being built: its paths answer 503 meanwhile
        self.httpd = Server((host, port), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def publish(self, path: str, content_type: str, data: bytes) -> None:
        """Answer GET and HEAD on ``path`` with ``data`` itself, without asking the server."""
        self.documents[path] = (content_type, data)

    def expect_site(self) -> None:
        """Say that a site is being built: until :meth:`serve_site` (or :meth:`no_site`),
        its paths answer 503 with Retry-After rather than being forwarded."""
        self.site_coming = True

    def serve_site(self, folder: Path | str) -> None:
        """Serve the files of ``folder`` at every path but :data:`FORWARDED`."""
        self.site = Path(folder).resolve()
        self.site_coming = False

    def no_site(self) -> None:
        """Give up on the site: forward every path again, as without one."""
        self.site = None
        self.site_coming = False

    def __enter__(self) -> Guard:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        from bonemet.errors import BonemetError
        from bonemet.sparql.binding import MAX_NESTING, nesting

        request.connection.settimeout(READ_SECONDS)
        # the path as sent ('//a/b' is a path here, not a host), or that of an absolute URL
        path = request.path.split("?", 1)[0] if request.path.startswith("/") else urllib.parse.urlsplit(request.path).path
        document = self.documents.get(path)
        if document is not None and request.command in ("GET", "HEAD"):
            return _answer(request, 200, document[1], content_type=document[0])
        length = request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return _answer(request, 413, f"the request body is over {MAX_BODY} bytes")
        body = request.rfile.read(int(length)) if length else b""
        site, coming = self.site, self.site_coming
        if (site is not None or coming) and path not in FORWARDED:
            return self._site(request, site, path)
        text = query_text(request.command, request.path, request.headers.get("Content-Type", ""), body)
        if text is not None:
            try:
                depth = nesting(text)
            except BonemetError as error:
                return _answer(request, 400, str(error))
            if depth > MAX_NESTING:
                return _answer(request, 400, f"the query is nested {depth} levels deep, past the limit of {MAX_NESTING}")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP and k.lower() != "host"}
        upstream = http.client.HTTPConnection(*self.upstream, timeout=self.timeout)
        try:
            upstream.request(request.command, request.path, body=body or None, headers=headers)
            reply = upstream.getresponse()
            payload = reply.read()
        except (OSError, http.client.HTTPException) as error:
            return _answer(request, 502, f"the Oxigraph server did not answer ({error})")
        finally:
            upstream.close()
        request.send_response(reply.status, reply.reason)
        for key, value in reply.getheaders():
            if key.lower() not in _HOP_BY_HOP and key.lower() != "content-length":
                request.send_header(key, value)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(payload)

    def _site(self, request: BaseHTTPRequestHandler, site: Path | None, path: str) -> None:
        """Answer a request for a file of the site (GET and HEAD only)."""
        from bonemet.serving.static import locate, not_acceptable

        allowed = "GET, HEAD, OPTIONS" if self.cors else "GET, HEAD"
        cors = {"Access-Control-Allow-Origin": "*"} if self.cors else {}
        if request.command == "OPTIONS" and self.cors:
            return _answer(request, 204, b"", headers={**cors, "Allow": allowed, "Access-Control-Allow-Methods": "GET, HEAD",
                                                       "Access-Control-Allow-Headers": "Accept", "Access-Control-Max-Age": "86400"})
        if request.command not in ("GET", "HEAD"):
            return _answer(request, 405, f"{request.command} is not allowed on the site's files; only GET and HEAD are", headers={**cors, "Allow": allowed})
        if site is None:
            return _answer(request, 503, "the site is still being built; try again in a few seconds", headers={**cors, "Retry-After": str(RETRY_SECONDS)})
        found = locate(site, path, request.headers.get("Accept"))
        vary = {"Vary": "Accept"} if found.available else {}
        if found.status == 406:
            return _answer(request, 406, not_acceptable(path, found), headers={**cors, **vary})
        if found.file is None:
            return _answer(request, 404, f"nothing at {path}", headers=cors)
        try:
            data = found.file.read_bytes()
        except OSError:
            return _answer(request, 404, f"nothing at {path}", headers=cors)
        headers = {**cors, **vary}
        if found.negotiated:
            headers["Content-Location"] = found.location
        return _answer(request, 200, data, content_type=found.content_type, headers=headers)


def _answer(request: BaseHTTPRequestHandler, status: int, message: str | bytes, *, content_type: str = "text/plain; charset=utf-8",
            headers: dict[str, str] | None = None) -> None:
    data = message if isinstance(message, bytes) else (message + "\n").encode("utf-8")
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        request.send_header(key, value)
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(data)
