"""Every link of the static site resolves, with no browser: a crawler starts at index.html,
follows each internal href and src (HTML and SVG pages, and url() in CSS), and checks that
the file exists and that its #fragment is an id there. All broken links are reported at
once. And no page loads anything from another host: only <a href> may be absolute.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import deque
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

#: Attributes that point at another file, by tag (tags as html.parser lowercases them).
POINTERS = {
    "a": ("href", "xlink:href"), "area": ("href",), "link": ("href",), "script": ("src",),
    "img": ("src",), "iframe": ("src",), "source": ("src",), "video": ("src", "poster"),
    "audio": ("src",), "embed": ("src",), "object": ("data",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "form": ("action",),
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")
#: Schemes that fetch nothing from anywhere.
HARMLESS = ("data", "mailto", "javascript", "about")


class Page(HTMLParser):
    """The ids of a page and what it points at: (tag, attribute, value)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.pointers: list[tuple[str, str, str]] = []
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.ids.add(values[name])
        for attribute in POINTERS.get(tag, ()):
            if values.get(attribute) is not None:
                self.pointers.append((tag, attribute, values[attribute].strip()))
        if values.get("style"):
            self.pointers.extend(("style", "url()", url) for _, url in CSS_URL.findall(values["style"]))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.pointers.extend(("style", "url()", url) for _, url in CSS_URL.findall(data))


def _bonemet() -> str:
    beside = Path(sys.executable).parent / "bonemet"
    return str(beside) if beside.exists() else (shutil.which("bonemet") or "bonemet")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    done = subprocess.run([_bonemet(), "site", "-o", str(folder)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return folder


class Crawl:
    """Everything reachable from index.html, with what is wrong on the way."""

    def __init__(self, root: Path):
        self.root = root
        self.pages: dict[str, Page] = {}
        self.broken: list[str] = []
        self.elsewhere: list[str] = []
        self.links = 0
        queue = deque(["index.html"])
        seen = {"index.html"}
        while queue:
            here = queue.popleft()
            for tag, attribute, value in self._pointers(here):
                target = self._follow(here, tag, attribute, value)
                if target and target not in seen and target.endswith((".html", ".svg", ".css")):
                    seen.add(target)
                    queue.append(target)

    def _read(self, name: str) -> Page | None:
        if name not in self.pages:
            path = self.root / name
            if not path.is_file() or not name.endswith((".html", ".svg")):
                return None
            self.pages[name] = Page(path.read_text(encoding="utf-8"))
        return self.pages[name]

    def _pointers(self, name: str) -> list[tuple[str, str, str]]:
        if name.endswith(".css"):
            text = (self.root / name).read_text(encoding="utf-8")
            return [("css", "url()", url) for _, url in CSS_URL.findall(text)]
        page = self._read(name)
        return page.pointers if page else []

    def _follow(self, here: str, tag: str, attribute: str, value: str) -> str | None:
        """Check one pointer of page ``here``; the site path it leads to, if internal."""
        where = f"{here}: <{tag} {attribute}={value!r}>"
        parts = urlsplit(value)
        if parts.scheme in HARMLESS:
            return None
        if parts.scheme or value.startswith("//"):
            if not (tag == "a" and attribute in ("href", "xlink:href")):
                self.elsewhere.append(where)
            return None
        self.links += 1
        if not parts.path:
            target = here
        else:
            joined = PurePosixPath(here).parent / unquote(parts.path)
            pieces: list[str] = []
            for piece in joined.parts:
                if piece == "..":
                    if not pieces:
                        self.broken.append(f"{where}: leaves the site")
                        return None
                    pieces.pop()
                elif piece != ".":
                    pieces.append(piece)
            target = "/".join(pieces)
            if not (self.root / target).is_file():
                self.broken.append(f"{where}: no file {target}")
                return None
        if parts.fragment:
            page = self._read(target)
            if page is None:
                self.broken.append(f"{where}: #{parts.fragment} in a file that is not a page")
            elif unquote(parts.fragment) not in page.ids:
                self.broken.append(f"{where}: {target} has no id {unquote(parts.fragment)!r}")
        return target


@pytest.fixture(scope="module")
def crawl(site) -> Crawl:
    return Crawl(site)


def test_every_internal_link_resolves(crawl):
    assert crawl.links > 1000  # the crawl went through the whole site, not one page
    assert not crawl.broken, f"{len(crawl.broken)} broken links:\n" + "\n".join(crawl.broken)


def test_the_crawl_reaches_every_page_of_the_site(crawl, site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages - set(crawl.pages) == set()


def test_no_page_loads_anything_from_another_host(crawl):
    assert not crawl.elsewhere, "only <a href> may be absolute:\n" + "\n".join(crawl.elsewhere)


def test_the_checker_sees_what_it_should(tmp_path):
    """The crawler itself: a broken file, a missing id, an outside script and an outside
    CSS url() are all caught; an outside <a href> and a data: icon are not."""
    (tmp_path / "index.html").write_text(
        '<link rel="icon" href="data:,"><style>body{background:url("https://x.example/b.png")}</style>'
        '<a href="https://example.org/">out</a><a href="b.html#here">b</a><a href="b.html#gone">b</a>'
        '<a href="c.html">c</a><script src="https://cdn.example/x.js"></script><p id="top"><a href="#top">up</a>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="here">b</h1><img src="//cdn.example/i.png">', encoding="utf-8")
    found = Crawl(tmp_path)
    assert len(found.broken) == 2 and any("#gone" in b for b in found.broken) and any("c.html" in b for b in found.broken)
    assert sorted(e.split(":")[0] for e in found.elsewhere) == ["b.html", "index.html", "index.html"]
