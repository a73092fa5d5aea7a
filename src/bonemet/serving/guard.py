"""A thin guard in front of the Oxigraph server: it refuses SPARQL nested past the limit
(which would crash the server by deep recursion) and oversized requests, and forwards
everything else unchanged.

It reads each request whole (bounded in size and time), checks the query text with the
same guard the local command uses, and passes the request on to the Oxigraph server on a
loopback port, then its answer back. A few fixed documents (the VoID description at
``/.well-known/void``) it answers itself: see :meth:`Guard.publish`.
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: The largest request body the guard reads (a SPARQL query is a few kilobytes).
MAX_BODY = 1_000_000
#: Seconds a client may take to send its request.
READ_SECONDS = 30.0
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

    def __init__(self, host: str, port: int, upstream: tuple[str, int], *, timeout: float) -> None:
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
        self.documents: dict[str, tuple[str, bytes]] = {}
        self.httpd = Server((host, port), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def publish(self, path: str, content_type: str, data: bytes) -> None:
        """Answer GET and HEAD on ``path`` with ``data`` itself, without asking the server."""
        self.documents[path] = (content_type, data)

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
        document = self.documents.get(urllib.parse.urlsplit(request.path).path)
        if document is not None and request.command in ("GET", "HEAD"):
            return _answer(request, 200, document[1], content_type=document[0])
        length = request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return _answer(request, 413, f"the request body is over {MAX_BODY} bytes")
        body = request.rfile.read(int(length)) if length else b""
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


def _answer(request: BaseHTTPRequestHandler, status: int, message: str | bytes, *, content_type: str = "text/plain; charset=utf-8") -> None:
    data = message if isinstance(message, bytes) else (message + "\n").encode("utf-8")
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(data)
