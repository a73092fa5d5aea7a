"""Talking to any SPARQL 1.1 endpoint over HTTP, with the standard library only.

:func:`ask_endpoint` sends a query with the SPARQL 1.1 Protocol and turns the answer
into the same :class:`~bonemet.sparql.results.Answer` as the local engines give;
:func:`publish` replaces a graph of a store whole with the SPARQL 1.1 Graph Store
HTTP Protocol.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef, Variable

from bonemet.errors import BonemetError, QueryError, UsageError
from bonemet.namespaces import PREFIXES
from bonemet.sparql.binding import values_clause
from bonemet.sparql.results import Answer, from_rdflib

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_USER_AGENT = "bonemet (SPARQL 1.1 client)"
_BODY_LIMIT = 256 * 1024 * 1024  # read at most this much of a response


class EndpointError(BonemetError):
    """A SPARQL endpoint cannot be reached, refuses a request or answers in a form bonemet cannot read."""


def check_url(url: str, *, what: str = "endpoint") -> str:
    """``url`` if it is an absolute http(s) URL with a host, else a :class:`UsageError`."""
    parts = urllib.parse.urlsplit(str(url).strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"the {what} {url!r} is not an http:// or https:// URL",
            "give the full URL, for example http://127.0.0.1:7878/query",
        )
    try:
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        raise UsageError(f"the {what} {url!r} has a malformed port", "give the port as a number, for example http://127.0.0.1:7878/query") from None
    return str(url).strip()


# --- querying ----------------------------------------------------------------


def ask_endpoint(
    text: str,
    endpoint: str,
    bindings: Mapping[Variable, object] | None = None,
    *,
    form: str | None = None,
    timeout: float = 60,
) -> Answer:
    """Send SPARQL ``text`` to ``endpoint`` and return its answer.

    ``bindings`` (rdflib variables to rdflib terms, as :func:`bonemet.binding.parse_bindings`
    gives them) travel as a trailing ``VALUES`` clause written from the terms' N3 form.
    ``form`` (SELECT, ASK, CONSTRUCT or DESCRIBE) is read from the query when not given.
    The project's prefixes (``bm:``, ``bmr:``...) are declared for the query when it
    does not declare them itself, as the local engines do.
    """
    endpoint = check_url(endpoint)
    form = (form or query_form(text)).upper()
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise UsageError(f"unknown query form {form!r}", "give SELECT, ASK, CONSTRUCT or DESCRIBE")
    body = _with_prefixes(text) + values_clause(bindings or {})
    accept = RESULTS_JSON if form in ("SELECT", "ASK") else f"{N_TRIPLES}, text/plain;q=0.5"
    status, content_type, payload = _ask_by_any_method(endpoint, body, accept, timeout)
    if form in ("SELECT", "ASK"):
        return _parse_results(payload, content_type, endpoint, form)
    return _parse_graph(payload, content_type, endpoint, form)


#: Status codes that mean "not this way of sending the query": try the protocol's next one.
_TRY_ANOTHER_WAY = {405, 406, 411, 414, 415, 501}


def requests_for(endpoint: str, body: str, accept: str) -> list[urllib.request.Request]:
    """The three ways the SPARQL 1.1 Protocol allows to send a query, in the order tried:
    an URL-encoded form POST (which every server takes), a direct POST, and a GET.
    The form comes first because a server may not refuse a direct POST but never answer
    it: Virtuoso 7.2.5 (Debian 12's) keeps such a request open until the client gives up."""
    headers = {"Accept": accept, "User-Agent": _USER_AGENT}
    encoded = urllib.parse.urlencode({"query": body})
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return [
        urllib.request.Request(endpoint, data=encoded.encode("utf-8"), method="POST",
                               headers={**headers, "Content-Type": "application/x-www-form-urlencoded"}),
        urllib.request.Request(endpoint, data=body.encode("utf-8"), method="POST",
                               headers={**headers, "Content-Type": "application/sparql-query; charset=utf-8"}),
        urllib.request.Request(f"{endpoint}{joiner}{encoded}", method="GET", headers=headers),
    ]


def _ask_by_any_method(endpoint: str, body: str, accept: str, timeout: float) -> tuple[int, str, bytes]:
    refusals = []
    for request in requests_for(endpoint, body, accept):
        try:
            return _send(request, timeout, query=True)
        except EndpointError as error:
            if getattr(error, "status", None) not in _TRY_ANOTHER_WAY:
                raise
            refusals.append(f"{request.get_method()} {request.headers.get('Content-type', '(query in the URL)')}: HTTP {error.status}")
    raise EndpointError(f"{endpoint} refused the query by every method of the SPARQL 1.1 Protocol ({'; '.join(refusals)})", "check that the URL is the server's SPARQL query endpoint")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read from the query's first form keyword."""
    from bonemet.sparql import binding
    from bonemet.sparql.questions import inline

    return binding.prepare(inline(text), allow_service=True).form  # the endpoint decides on SERVICE


def ask_remote(question, endpoint: str, *, bind=None, timeout: float = 60) -> Answer:
    """Answer a named question (or a :class:`~bonemet.sparql.catalogue.Question`) on a remote
    endpoint, with its parameters checked and bound as they are locally."""
    from bonemet.sparql.questions import prepare_with_bindings

    prepared, bindings = prepare_with_bindings(question, bind, allow_service=True)  # the endpoint decides on SERVICE
    return ask_endpoint(prepared.question.text, endpoint, bindings, form=prepared.form, timeout=timeout)


def _with_prefixes(text: str) -> str:
    from bonemet.sparql.binding import declared_prefixes

    declared = declared_prefixes(text)
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in sorted(PREFIXES.items()) if p and p not in declared]
    return "\n".join([*missing, text]) if missing else text


def _parse_results(payload: bytes, content_type: str, endpoint: str, form: str) -> Answer:
    from rdflib.query import Result

    try:
        document = json.loads(payload.decode("utf-8"))
        if not isinstance(document, dict) or ("boolean" not in document and "results" not in document):
            raise ValueError("no 'results' or 'boolean' member")
        result = Result.parse(io.BytesIO(payload), format="json")
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as err:
        raise EndpointError(
            f"{endpoint} did not answer the {form} query with SPARQL JSON results (it sent {content_type or 'no content type'}: {_first_line(payload) or 'an empty body'!r}; {err})",
            "check that the URL is a SPARQL query endpoint (often ending in /query or /sparql)",
        ) from None
    return from_rdflib(result)


def _parse_graph(payload: bytes, content_type: str, endpoint: str, form: str) -> Answer:
    from bonemet.namespaces import new_graph

    media = content_type.split(";")[0].strip().lower()
    rdflib_format = {
        "application/n-triples": "nt",
        "text/plain": "nt",
        "text/turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
        "application/n-quads": "nquads",
        "application/trig": "trig",
    }.get(media, "nt")
    graph = new_graph()
    try:
        graph.parse(data=payload.decode("utf-8"), format=rdflib_format)
    except Exception as err:  # rdflib's parsers raise many kinds
        raise EndpointError(
            f"{endpoint} did not answer the {form} query with an RDF graph (it sent {content_type or 'no content type'}: {_first_line(payload) or 'an empty body'!r}; {err})",
            "check that the URL is a SPARQL query endpoint (often ending in /query or /sparql)",
        ) from None
    return Answer(form, graph=graph)


# --- publishing --------------------------------------------------------------


def publish(graph: Graph, store_endpoint: str, graph_iri: str | None = None, *, timeout: float = 60,
            user: str | None = None, password: str | None = None) -> int:
    """Replace the graph ``graph_iri`` (the default graph when None) of the store at
    ``store_endpoint`` with ``graph``, by an HTTP PUT of N-Triples; returns the number
    of triples sent. With ``user`` and ``password``, the store's HTTP Basic or Digest
    challenge is answered (whichever it asks for)."""
    from bonemet.serialization import serialize

    store_endpoint = check_url(store_endpoint, what="graph store endpoint")
    if graph_iri is not None:
        graph_iri = str(graph_iri)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", graph_iri):
            raise UsageError(f"the graph name {graph_iri!r} is not an absolute IRI", "give a full IRI, for example https://w3id.org/bonemet/graph")
        query = "graph=" + urllib.parse.quote(graph_iri, safe="")
    else:
        query = "default"
    parts = urllib.parse.urlsplit(store_endpoint)
    target = urllib.parse.urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))
    body = serialize(graph, "ntriples").encode("utf-8")
    request = urllib.request.Request(
        target,
        data=body,
        method="PUT",
        headers={"Content-Type": f"{N_TRIPLES}; charset=utf-8", "User-Agent": _USER_AGENT},
    )
    _send(request, timeout, query=False, opener=_opener(target, user, password))
    return len(graph)


def _opener(url: str, user: str | None, password: str | None):
    """An opener that answers Basic and Digest challenges for ``url``; None without a user."""
    if user is None:
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords), _DigestOnce(passwords))


class _DigestOnce(urllib.request.HTTPDigestAuthHandler):
    """Answers a Digest challenge once per request. The standard handler answers up to six
    times, sending the whole graph each time, and then reports its own "digest auth failed"
    instead of the store's answer; a refused answer means the credentials are wrong, unless
    the store says the nonce was only stale."""

    def http_error_401(self, req, fp, code, msg, headers):
        challenge = headers.get("www-authenticate") or ""
        if req.get_header(self.auth_header) and not re.search(r'stale\s*=\s*"?true', challenge, re.IGNORECASE):
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)  # the store's own refusal
        return super().http_error_401(req, fp, code, msg, headers)


# --- HTTP --------------------------------------------------------------------


def _send(request: urllib.request.Request, timeout: float, *, query: bool, opener=None) -> tuple[int, str, bytes]:
    """Send ``request``; returns status, content type and body, or raises a library error.
    ``timeout`` bounds the whole exchange, however slowly the endpoint trickles its answer."""
    from bonemet import deadline

    try:
        # each read waits at most ``timeout`` (a silent server is named as such); the whole
        # exchange gets a second more, however the server trickles its answer
        return deadline.run(lambda: _exchange(request, timeout, query=query, opener=opener), timeout + 1)
    except deadline.DeadlinePassed:
        raise EndpointError(f"{request.full_url} did not finish its answer within {timeout:g} s", "give it more time with --timeout SECONDS, or ask a faster endpoint") from None


def _exchange(request: urllib.request.Request, timeout: float, *, query: bool, opener=None) -> tuple[int, str, bytes]:
    url = request.full_url
    try:
        with (opener.open if opener is not None else urllib.request.urlopen)(request, timeout=timeout) as response:
            payload = response.read(_BODY_LIMIT)
            return response.status, response.headers.get("Content-Type", ""), payload
    except urllib.error.HTTPError as err:
        try:
            detail = _error_detail(err.read(64 * 1024), err.headers.get("Content-Type", "") if err.headers else "", err.code, err.reason)
        except (OSError, ValueError):
            detail = ""
        finally:
            err.close()
        reason = f"HTTP {err.code} {err.reason}" + (f": {detail}" if detail else "")
        if query and err.code == 400:
            raise QueryError(f"{url} refused the query ({reason})", "correct the query; the endpoint's message says where it is wrong") from None
        if err.code == 401 and opener is not None:
            fix = "the endpoint refused the user name or password: check both (the password comes from $BONEMET_PASSWORD or a prompt)"
        elif err.code == 401:
            fix = "the endpoint asks for a login: give --user NAME, with the password in $BONEMET_PASSWORD or typed at the prompt"
        elif err.code == 403:
            fix = "the endpoint does not allow this request: check its access rights (a read-only server refuses writes)"
        elif err.code in (404, 405):
            fix = "check the URL: it should be the endpoint itself (for example http://HOST:PORT/query, or /store for publishing)"
        else:
            fix = "check the endpoint's URL and the server's log"
        failure = EndpointError(f"{url} answered {reason}", fix)
        failure.status = err.code
        raise failure from None
    except (TimeoutError, socket.timeout):
        raise EndpointError(f"{url} cannot be reached: no answer within {timeout:g} s", _UNREACHABLE_FIX) from None
    except urllib.error.URLError as err:
        why = err.reason
        if isinstance(why, (TimeoutError, socket.timeout)):
            detail = f"no answer within {timeout:g} s"
        else:
            detail = getattr(why, "strerror", None) or str(why)
        raise EndpointError(f"{url} cannot be reached ({detail})", _UNREACHABLE_FIX) from None
    except (OSError, ValueError, http.client.HTTPException) as err:  # a reset, a malformed response or URL
        raise EndpointError(f"{url} cannot be reached ({getattr(err, 'strerror', None) or err})", _UNREACHABLE_FIX) from None


_UNREACHABLE_FIX = "check the URL and that the SPARQL server is running and reachable from here"


def _error_detail(payload: bytes, content_type: str, code: int, reason: object) -> str:
    """What an error response's body says, in one line. An HTML error page is read as
    text, and its lines that only repeat the status (its title, its heading) are skipped,
    so that the line kept is the server's own explanation."""
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    if "html" not in content_type.lower() and not re.match(r"\s*<(!doctype\s+html|html)\b", text, re.IGNORECASE):
        return _first_line(text)
    import html

    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", "\n", text)
    text = re.sub(r"(?s)<!--.*?-->|<![^>]*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]*>", "\n", text))
    status = re.compile(rf"^\W*(error\W*)?(http\S*\s*)?(error\W*)?{code}\W*({re.escape(str(reason or ''))})?\W*$", re.IGNORECASE)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _first_line("\n".join(line for line in lines if line and not status.match(line)))


def _first_line(payload: bytes) -> str:
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 200 else line[:197] + "..."
    return ""


__all__ = ["EndpointError", "ask_endpoint", "check_url", "publish", "query_form", "values_clause"]
