"""IRIs that answer: 'bonemet serve' serves the site and negotiates /id/NAME and /vocab on
Accept; the w3id redirect rules lead every IRI to a file the site has."""

from __future__ import annotations

import http.client
import json
import re
import select
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from bonemet.serving.guard import Guard
from bonemet.serving.static import locate, negotiate, parse_accept, quality

BONEMET = str(Path(sys.executable).with_name("bonemet"))
ROOT = Path(__file__).resolve().parents[1]
HTACCESS = ROOT / "publish" / "w3id.org" / "bonemet" / ".htaccess"
PLACEHOLDER = "https://example.org/bonemet/"
BONE_PAIN = URIRef("https://w3id.org/bonemet/id/bone-pain")
VOCAB = URIRef("https://w3id.org/bonemet/vocab")


# --- the Accept header ------------------------------------------------------------------

def test_parse_accept_reads_q_values_and_drops_what_is_not_a_media_range():
    assert parse_accept("text/html, application/xhtml+xml;q=0.9 , */*;q=0.8") == [
        ("text/html", 1.0), ("application/xhtml+xml", 0.9), ("*/*", 0.8)]
    assert parse_accept("Text/Turtle;charset=utf-8;q=0.5") == [("text/turtle", 0.5)]
    assert parse_accept("text/turtle;q=2, application/ld+json;q=-1, text/html;q=x") == [
        ("text/turtle", 1.0), ("application/ld+json", 0.0), ("text/html", 1.0)]
    assert parse_accept("garbage, /, text/, ,") == []
    assert parse_accept(None) == parse_accept("") == []


def test_quality_takes_the_most_specific_range():
    ranges = parse_accept("text/*;q=0.3, text/turtle;q=0.7, */*;q=0.1")
    assert quality("text/turtle", ranges) == 0.7
    assert quality("text/html", ranges) == 0.3
    assert quality("application/ld+json", ranges) == 0.1
    assert quality("text/turtle", parse_accept("*/*, text/turtle;q=0")) == 0.0  # refused by name


OFFERED = ["text/html", "application/xhtml+xml", "text/turtle", "application/ld+json"]


@pytest.mark.parametrize(("accept", "chosen"), [
    (None, "text/html"),
    ("", "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("application/ld+json;q=0.2, text/turtle;q=0.8, text/html;q=0.1", "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", "text/html"),  # a browser's
    ("application/xhtml+xml", "application/xhtml+xml"),
    ("text/*", "text/html"),  # a tie goes to the server's first choice
    ("image/png", None),
    ("text/html;q=0, */*;q=0.5", "application/xhtml+xml"),  # see the next test for the pages
])
def test_negotiate(accept, chosen):
    assert negotiate(accept, OFFERED) == chosen


# --- the files, in a folder -------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "id").mkdir(parents=True)
    (root / "questions").mkdir()
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "questions" / "index.html").write_text("<h1>questions</h1>")
    for suffix in (".html", ".ttl", ".jsonld"):
        (root / "id" / f"thing{suffix}").write_text(f"thing{suffix}")
    (tmp_path / "secret.txt").write_text("outside")
    (root / "id" / "leak.html").symlink_to(tmp_path / "secret.txt")
    (root / "id" / "inner.html").symlink_to(root / "index.html")
    (root / ".hidden.html").write_text("hidden")
    return root


def test_locate_negotiates_a_path_without_suffix(site):
    found = locate(site, "/id/thing", "text/turtle")
    assert (found.status, found.file.name, found.content_type, found.location) == (200, "thing.ttl", "text/turtle; charset=utf-8", "/id/thing.ttl")
    assert found.negotiated
    found = locate(site, "/id/thing", "application/xhtml+xml")  # the page, sent as the HTML it is
    assert (found.file.name, found.content_type) == ("thing.html", "text/html; charset=utf-8")
    assert locate(site, "/id/thing", "text/html;q=0, */*;q=0.5").file.name == "thing.ttl"  # no HTML under another name
    refused = locate(site, "/id/thing", "image/png")
    assert refused.status == 406
    assert [media for media, _ in refused.available] == ["text/html", "text/turtle", "application/ld+json"]


def test_locate_serves_named_files_and_folder_indexes_but_never_lists(site):
    assert locate(site, "/", None).file == (site / "index.html").resolve()
    assert locate(site, "/questions/", None).file == (site / "questions" / "index.html").resolve()
    assert not locate(site, "/id/thing.jsonld", "text/html").negotiated  # asked by name: given as is
    assert locate(site, "/id/thing.jsonld", "text/html").content_type == "application/ld+json"
    assert locate(site, "/id/inner.html", None).status == 200  # a link that stays inside
    for path in ("/id/", "/id", "/questions", "/nothing", "/id/nothing", "/id/thing.png"):
        assert locate(site, path, None).status == 404, path


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/id/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/id/%2e%2e/%2e%2e/secret.txt",
    "/id/..%2f..%2fsecret.txt", "/id/leak.html", "/id/leak", "/.hidden.html", "/%2ehidden.html", "//secret.txt",
    "/id/thing.html/../../../secret.txt", "/..\\secret.txt", "/id/%00thing.html", "/%ff%fe", "secret.txt", "",
])
def test_locate_never_leaves_the_folder(site, path):
    found = locate(site, path, None)
    assert found.status == 404 and found.file is None


# --- the guard, in this process ---------------------------------------------------------

def _ask(port: int, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})  # the path is sent exactly as written
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        connection.close()


def test_the_guard_answers_503_while_the_site_is_built_and_serves_it_with_cors_after(site):
    with Guard("127.0.0.1", 0, ("127.0.0.1", 9), timeout=5, cors=True) as guard:
        assert _ask(guard.port, "GET", "/id/thing")[0] == 502  # no site: forwarded, as before
        guard.expect_site()
        status, headers, _ = _ask(guard.port, "GET", "/id/thing")
        assert status == 503 and headers["retry-after"].isdigit()
        assert _ask(guard.port, "GET", "/query?query=ASK%7B%7D")[0] == 502  # the server's paths are forwarded still
        guard.serve_site(site)
        status, headers, body = _ask(guard.port, "GET", "/id/thing", {"Accept": "application/ld+json", "Origin": "http://a.example"})
        assert (status, body, headers["vary"], headers["content-location"]) == (200, b"thing.jsonld", "Accept", "/id/thing.jsonld")
        assert headers["access-control-allow-origin"] == "*"
        status, headers, body = _ask(guard.port, "HEAD", "/id/thing", {"Accept": "text/turtle"})
        assert (status, body, headers["content-length"]) == (200, b"", str(len("thing.ttl")))
        status, headers, _ = _ask(guard.port, "OPTIONS", "/id/thing", {"Origin": "http://a.example", "Access-Control-Request-Method": "GET"})
        assert status == 204 and "GET" in headers["access-control-allow-methods"]
        status, headers, _ = _ask(guard.port, "POST", "/id/thing")
        assert status == 405 and headers["allow"].startswith("GET, HEAD")
        guard.no_site()
        assert _ask(guard.port, "GET", "/id/thing")[0] == 502


def test_without_cors_the_site_sends_no_cors_header(site):
    with Guard("127.0.0.1", 0, ("127.0.0.1", 9), timeout=5) as guard:
        guard.serve_site(site)
        status, headers, _ = _ask(guard.port, "GET", "/", {"Origin": "http://a.example"})
        assert status == 200 and "access-control-allow-origin" not in headers
        assert _ask(guard.port, "OPTIONS", "/id/thing")[0] == 405


# --- bonemet serve ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def served():
    """A running 'bonemet serve' whose site is built: (base URL, port)."""
    process = subprocess.Popen([BONEMET, "serve"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 120)
        assert ready, "serve did not print its URL"
        url = process.stdout.readline().strip()
        base = url.rsplit("/", 1)[0]
        deadline = time.monotonic() + 180
        said = []
        while not any("the site is at" in line for line in said):
            ready, _, _ = select.select([process.stderr], [], [], max(0.0, deadline - time.monotonic()))
            assert ready and process.poll() is None, f"serve did not say where the site is: {said}"
            said.append(process.stderr.readline())
        assert said[-1].strip() == f"bonemet: the site is at {base}/"
        yield base, urllib.parse.urlsplit(base).port
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err


def _graph(body: bytes, fmt: str) -> Graph:
    return Graph().parse(data=body.decode("utf-8"), format=fmt)


@pytest.mark.parametrize(("path", "iri", "heading"), [
    ("/id/bone-pain", BONE_PAIN, "<h1>bone pain</h1>"),
    ("/vocab", VOCAB, "<h1"),
])
def test_an_iri_answers_each_accept_type(served, path, iri, heading):
    _base, port = served
    answers = {}
    for accept in ("text/html", "text/turtle", "application/ld+json", "application/ld+json;q=0.4, text/turtle;q=0.9, text/html;q=0.1",
                   "*/*", None, "image/png"):
        status, headers, body = _ask(port, "GET", path, {"Accept": accept} if accept else {})
        assert headers.get("vary") == "Accept", accept
        answers[accept] = (status, headers, body)
    expected = {"text/html": ("text/html", ".html"), "text/turtle": ("text/turtle", ".ttl"), "application/ld+json": ("application/ld+json", ".jsonld"),
                "application/ld+json;q=0.4, text/turtle;q=0.9, text/html;q=0.1": ("text/turtle", ".ttl"), "*/*": ("text/html", ".html"), None: ("text/html", ".html")}
    for accept, (media, suffix) in expected.items():
        status, headers, _body = answers[accept]
        assert status == 200 and headers["content-type"].split(";")[0] == media, accept
        assert headers["content-location"] == path + suffix
    assert heading in answers["text/html"][2].decode("utf-8")
    turtle = _graph(answers["text/turtle"][2], "turtle")
    assert (iri, RDFS.label, None) in turtle or (iri, None, None) in turtle
    if path.startswith("/id/"):
        assert (iri, RDFS.label, None) in turtle
    assert isomorphic(_graph(answers["application/ld+json"][2], "json-ld"), turtle)
    json.loads(answers["application/ld+json"][2])  # plain JSON too
    status, headers, body = answers["image/png"]
    assert status == 406 and headers["content-type"].startswith("text/plain")
    assert all(kind in body.decode() for kind in ("text/html", "text/turtle", "application/ld+json")) and body.count(b"\n") == 1
    # the variant asked by name is that file, not negotiated
    status, headers, body = _ask(port, "GET", path + ".ttl", {"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/turtle") and "content-location" not in headers
    assert body == answers["text/turtle"][2]


def test_the_home_page_and_the_query_endpoint(served):
    _base, port = served
    home = _ask(port, "GET", "/")
    assert home[0] == 200 and home[1]["content-type"].startswith("text/html")
    assert _ask(port, "GET", "/index.html")[2] == home[2]
    for path, media in (("/style.css", "text/css"), ("/filter.js", "text/javascript"), ("/graph.svg", "image/svg+xml"),
                        ("/downloads/bonemet.trig", "application/trig"), ("/questions/", "text/html")):
        status, headers, _ = _ask(port, "GET", path)
        assert status == 200 and headers["content-type"].split(";")[0] == media, path
    status, headers, body = _ask(port, "GET", "/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), {"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True
    assert _ask(port, "GET", "/.well-known/void")[1]["content-type"].startswith("text/turtle")
    assert _ask(port, "GET", "/id/no-such-thing")[0] == 404
    assert _ask(port, "GET", "/id/")[0] == 404  # no listing


@pytest.mark.parametrize("path", [
    "/../pyproject.toml", "/%2e%2e/pyproject.toml", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/id/../../etc/passwd",
    "/id/..%2f..%2f..%2f..%2fetc%2fpasswd", "/%2fetc/passwd", "//etc/passwd", "/..%5c..%5cetc%5cpasswd", "/id/%252e%252e/id/bone-pain.ttl",
])
def test_no_path_reaches_a_file_outside_the_site(served, path):
    _base, port = served
    status, _headers, body = _ask(port, "GET", path)
    assert status in (400, 404), path
    assert b"root:" not in body and b"[project]" not in body


# --- the w3id redirect rules ------------------------------------------------------------

def _rules(text: str) -> list[tuple[list[tuple[str, bool, int]], str, str, dict[str, str]]]:
    """The RewriteRules of an .htaccess, each with its RewriteConds: (conditions, pattern,
    substitution, flags). Only the subset the file uses is understood; anything else fails."""
    rules, conditions = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if words[0] in ("Options", "RewriteEngine"):
            continue
        flags = {}
        if words[-1].startswith("["):
            for flag in words.pop()[1:-1].split(","):
                name, _, value = flag.partition("=")
                flags[name] = value
        if words[0] == "RewriteCond":
            _, variable, pattern = words
            assert variable == "%{HTTP_ACCEPT}" and set(flags) <= {"NC"}, line
            negated = pattern.startswith("!")
            conditions.append((pattern.lstrip("!"), negated, re.IGNORECASE if "NC" in flags else 0))
        elif words[0] == "RewriteRule":
            _, pattern, substitution = words
            assert set(flags) <= {"R", "L"} and "L" in flags, line
            rules.append((conditions, pattern, substitution, flags))
            conditions = []
        else:
            raise AssertionError(f"the evaluator does not know {line!r}")
    assert not conditions, "a RewriteCond with no rule after it"
    return rules


def _redirect(rules, path: str, accept: str) -> tuple[int, str]:
    """Where Apache sends a request for w3id.org/bonemet/``path`` (status, Location)."""
    for conditions, pattern, substitution, flags in rules:
        match = re.search(pattern, path)
        if not match or not all(bool(re.search(p, accept, f)) != negated for p, negated, f in conditions):
            continue
        location = re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))) or "", substitution)
        return int(flags["R"]), location
    raise AssertionError(f"no rule for {path}")


ACCEPTS = {
    "browser": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "rdflib": "application/rdf+xml, text/turtle;q=0.9, application/ld+json;q=0.8, */*;q=0.1",
    "curl": "*/*",
}


@pytest.mark.parametrize("iri", [
    "https://w3id.org/bonemet/id/bone-pain", "https://w3id.org/bonemet/id/bone-metastasis", "https://w3id.org/bonemet/vocab",
    "https://w3id.org/bonemet/vocab#SignOrSymptom", "https://w3id.org/bonemet/id/bone-pain.jsonld", "https://w3id.org/bonemet/vocab.ttl",
    "https://w3id.org/bonemet/dataset", "https://w3id.org/bonemet/dataset/class/Fact", "https://w3id.org/bonemet/graph/derived",
    "https://w3id.org/bonemet/download/bonemet.ttl", "https://w3id.org/bonemet/mappings/bonemet.sssom.tsv",
    "https://w3id.org/bonemet/", "https://w3id.org/bonemet/id/", "https://w3id.org/bonemet/shapes", "https://w3id.org/bonemet/no/such/thing",
])
def test_the_w3id_rules_lead_every_iri_to_a_file_of_the_site(served, iri):
    _base, port = served
    rules = _rules(HTACCESS.read_text(encoding="utf-8"))
    path = urllib.parse.urlsplit(iri).path.removeprefix("/bonemet/")  # what a rule of bonemet/.htaccess sees; no fragment
    for who, accept in ACCEPTS.items():
        status, location = _redirect(rules, path, accept)
        assert status in (302, 303) and location.startswith(PLACEHOLDER), (iri, who)
        target = "/" + location.removeprefix(PLACEHOLDER)
        assert target == "/" or "." in target.rsplit("/", 1)[1], (iri, who, target)  # a file, not another negotiation
        got, headers, _body = _ask(port, "GET", target, {"Accept": accept})
        assert got == 200 and "content-location" not in headers, (iri, who, target)
        kind = headers["content-type"].split(";")[0]
        if path in ("id/bone-pain", "vocab"):
            # what the rules choose, the guard chooses too, unless q-values disagree with the rules' order
            assert kind == {"browser": "text/html", "turtle": "text/turtle", "json-ld": "application/ld+json", "rdflib": "text/turtle", "curl": "text/html"}[who]
