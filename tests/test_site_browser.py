"""The static site in a real browser: Debian's headless Chromium, driven by selenium.

The site is written once with ``bonemet site -o`` and served from a local http.server on
127.0.0.1 (and opened once as file://). For each page the browser's console and its
network log are read: no console error, no failed request, no request to another host.
Then what a reader does: the bone pain page shows its quote and its HP link, a marked
sentence of the source page leads to a fact that quotes it, the picture's boxes are links.
axe-core (from the npm registry, installed by ``make test`` into .venv/node_modules) is
injected into each page and must find no serious or critical violation. A screenshot of
the home page is kept in $BONEMET_ARTIFACTS (build/test-artifacts by default).

Chromium and chromedriver come from Debian (``make test`` installs them as root); selenium
is pointed at them and downloads nothing. Without them the module is skipped, except on
CI, where ``make test`` would have installed them, so there it fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
#: The five pages every check runs on.
PAGES = ["index.html", "id/bone-pain.html", "source.html", "questions/all-symptoms.html", "vocab.html"]
#: The flags the closed network needs: without the background-networking ones Chromium
#: keeps trying to reach Google's hosts, and those attempts would be refused.
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--window-size=1280,900",
]

pytestmark = pytest.mark.slow


def _missing(what: str) -> None:
    """Skip, or on CI (where 'make test' installs the browser) fail."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: 'make test' installs it on CI (as root)")
    pytest.skip(f"{what} is not installed; run 'make test' as root, or 'sudo apt-get install chromium chromium-driver' and pip install -e '.[test]'")


def _selenium():
    try:
        from selenium import webdriver  # noqa: F401
    except ImportError:
        _missing("selenium (the test extras)")
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            _missing(f"{tool} (Debian's chromium and chromium-driver)")
    from selenium import webdriver

    return webdriver


def _bonemet() -> str:
    beside = Path(sys.executable).parent / "bonemet"
    return str(beside) if beside.exists() else (shutil.which("bonemet") or "bonemet")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    done = subprocess.run([_bonemet(), "site", "-o", str(folder)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (folder / "index.html").is_file()
    return folder


@pytest.fixture(scope="module")
def server(site):
    """The site over http://127.0.0.1:<a free port>/, from a thread; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = _selenium()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


class Visit:
    """What the browser logged while it opened one page."""

    def __init__(self, driver, url: str):
        driver.get_log("browser")  # drop what earlier pages left
        driver.get_log("performance")
        driver.get(url)
        self.console = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        self.requests: dict[str, str] = {}  # request id -> URL
        self.failed: list[str] = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent":
                self.requests[params["requestId"]] = params["request"]["url"]
            elif message["method"] == "Network.loadingFailed":
                self.failed.append(f"{self.requests.get(params['requestId'], params['requestId'])}: {params.get('errorText')}")
            elif message["method"] == "Network.responseReceived":
                status = params["response"].get("status", 0)
                if status >= 400:
                    self.failed.append(f"{params['response']['url']}: HTTP {status}")

    def off_host(self, base: str | None) -> list[str]:
        """Requests that go anywhere but the local server (base None: any network request)."""
        here = urlsplit(base).netloc if base else None
        out = []
        for url in self.requests.values():
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about") or (parts.scheme == "file" and here is None):
                continue
            if here is None or parts.scheme not in ("http", "https") or parts.netloc != here:
                out.append(url)
        return out


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_no_console_error_and_no_request_elsewhere(browser, server, page):
    visit = Visit(browser, server + page)
    assert browser.execute_script("return document.readyState") == "complete"
    assert not visit.console, visit.console
    assert not visit.failed, visit.failed
    assert server + page in visit.requests.values()
    assert not visit.off_host(server), visit.off_host(server)


def test_home_page_from_file_makes_no_network_request(browser, site):
    from selenium.webdriver.common.by import By

    visit = Visit(browser, (site / "index.html").as_uri())
    assert not visit.console, visit.console
    assert not visit.failed, visit.failed
    assert not visit.off_host(None), visit.off_host(None)
    # the stylesheet applied and the filter script ran
    assert browser.execute_script("return getComputedStyle(document.body).marginTop") == "0px"
    box = browser.find_element(By.ID, "filter")
    box.send_keys("spine")
    shown = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.entities li") if li.is_displayed()]
    assert shown and all("spine" in text.lower() for text in shown), shown


def test_bone_pain_page_shows_its_quote_and_its_hp_link(browser, server):
    from selenium.webdriver.common.by import By

    Visit(browser, server + "id/bone-pain.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.lower() == "bone pain"
    quotes = [q.text for q in browser.find_elements(By.TAG_NAME, "blockquote") if q.is_displayed()]
    assert any(q.startswith("Bone pain") for q in quotes), quotes
    hp = browser.find_elements(By.CSS_SELECTOR, 'a[href="http://purl.obolibrary.org/obo/HP_0002653"]')
    assert hp and hp[0].is_displayed() and "HP:0002653" in hp[0].text


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_a_marked_sentence_leads_to_the_fact_that_cites_it(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    Visit(browser, server + "source.html")
    mark = browser.find_element(By.CSS_SELECTOR, "mark[id^='unit-']")
    sentence, anchor = _words(mark.text), mark.get_attribute("id")
    assert sentence
    first = mark.find_element(By.XPATH, "following-sibling::span[@class='cites'][1]//a[1]")
    assert first.text == "[1]"
    first.click()
    WebDriverWait(browser, 20).until(lambda d: "/id/fact-" in d.current_url)
    assert re.search(r"/id/fact-[^/]+\.html$", browser.current_url), browser.current_url
    quotes = [_words(q.text) for q in browser.find_elements(By.TAG_NAME, "blockquote")]
    assert any(sentence in q for q in quotes), (sentence, quotes)
    # and the fact's page leads back to that sentence
    assert browser.find_elements(By.CSS_SELECTOR, f"a[href$='source.html#{anchor}']")


def test_the_picture_renders_and_its_boxes_are_links(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    Visit(browser, server + "picture.html")
    svg = browser.find_element(By.CSS_SELECTOR, "svg.picture")
    assert svg.is_displayed()
    assert svg.size["width"] > 100 and svg.size["height"] > 100, svg.size
    boxes = browser.find_elements(By.CSS_SELECTOR, "svg.picture a")
    assert len(boxes) >= 10
    spine = browser.find_element(By.CSS_SELECTOR, "svg.picture a[href='id/spine.html']")
    box = spine.find_element(By.TAG_NAME, "rect")
    assert box.is_displayed() and box.size["width"] > 0 and box.size["height"] > 0
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", spine)
    spine.click()
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith("/id/spine.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text.lower() == "spine"


def _axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI") and shutil.which("npm"):
            pytest.fail(f"{AXE} is missing: 'make test' installs axe-core with npm")
        pytest.skip("axe-core is not installed: run 'make test' (it needs npm), or npm install --prefix .venv axe-core@4.14.1")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES + ["picture.html"])
def test_axe_finds_no_serious_or_critical_violation(browser, server, page):
    source = _axe_source()
    Visit(browser, server + page)
    browser.execute_script(source)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));"
    )
    violations = json.loads(result)
    assert isinstance(violations, list), violations
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}"
        for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


def test_screenshot_of_the_home_page_is_kept(browser, server):
    folder = Path(os.environ.get("BONEMET_ARTIFACTS") or ROOT / "build" / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "home.png"
    Visit(browser, server + "index.html")
    assert browser.save_screenshot(str(target))
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
