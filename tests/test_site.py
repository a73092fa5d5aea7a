"""The static site (bonemet.show): what its pages say, read against the page and the graph.

The browser, accessibility and link-crawling tests are in test_site_browser.py and
test_site_links.py; these read the files the site writes.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from bonemet import paths
from bonemet.graph import load_graph
from bonemet.namespaces import BM, BMR
from bonemet.show.site import render_site

BONEMET = str(Path(sys.executable).with_name("bonemet"))
TAG = re.compile(r"<[^>]+>")
#: The links after a cited unit: a hidden lead ("facts citing this: ") and [1] [2] ...
CITES = re.compile(r'<span class="cites"><span class="visually-hidden">[^<]*</span>(?:[^<]|<a [^>]*>[^<]*</a>)*</span>')


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def site(graph):
    return render_site(graph)


def text_of(page: str) -> str:
    """A page's visible words, tags removed and entities decoded."""
    return html.unescape(TAG.sub("", page))


# --- every resource has its page and its RDF -------------------------------------------


def test_every_labelled_project_resource_has_a_page_and_its_rdf(graph, site):
    labelled = {s for s in graph.subjects(RDFS.label, None) if isinstance(s, URIRef) and str(s).startswith(str(BMR))}
    assert len(labelled) > 200
    for term in labelled:
        name = str(term)[len(str(BMR)):]
        assert f"id/{name}.html" in site, name
        described = Graph().parse(data=site[f"id/{name}.ttl"], format="turtle")
        assert (term, RDFS.label, None) in described, name
        same = Graph().parse(data=site[f"id/{name}.jsonld"], format="json-ld")
        assert set(same) == set(described), name


def test_the_bone_pain_page_shows_its_quote_its_list_and_its_hp_term(site):
    page = site["id/bone-pain.html"]
    words = text_of(page)
    assert "<h1>bone pain</h1>" in page
    # read from the page: "Bone pain" is the first item of the list led by this sentence
    assert "<blockquote>Bone pain</blockquote>" in page
    assert "When it does occur, signs and symptoms of bone metastasis include:" in words
    assert 'href="http://purl.obolibrary.org/obo/HP_0002653"' in page
    assert 'href="../source.html#unit-11"' in page
    # and the derived row, with its proof: bone pain can indicate bone metastasis
    assert "Derived rows, with their proof" in words
    assert "sign-rule" in words


def test_outside_identifiers_link_to_their_own_browsers(site):
    page = site["id/bone-metastasis.html"]
    assert 'href="https://ncit.nci.nih.gov/ncitbrowser/ConceptReport.jsp?dictionary=NCI_Thesaurus&amp;code=C3580"' in page
    assert 'href="https://icd.who.int/browse10/2019/en#/C79.5"' in page
    assert 'href="https://meshb.nlm.nih.gov/record/ui?ui=D001842"' in site["id/bone.html"]


def test_a_fact_page_shows_the_statement_quote_strength_and_sentence(site):
    page = site["id/fact-breast-cancer-metastasizes-to-bone.html"]
    words = text_of(page)
    quote = "But some types of cancer are particularly likely to spread to bone, including breast cancer and prostate cancer."
    assert f"<blockquote>{html.escape(quote, quote=False)}</blockquote>" in page
    assert "“particularly likely”" in words.replace('"', "“") or "particularly likely" in words
    assert 'href="../source.html#unit-03"' in page


# --- the source page ---------------------------------------------------------------------


def test_the_source_page_is_the_text_itself_with_every_unit_once(graph, site):
    page = site["source.html"]
    body = page[page.index('<div class="page-text">') + len('<div class="page-text">'): page.index("</div>", page.index('class="page-text"'))]
    # the facts' citation links ([1] [2] ...) are the only words added to the text
    text = html.unescape(TAG.sub("", re.sub(CITES, "", body)))
    assert text == paths.source_text_file().read_text(encoding="utf-8")
    units = sorted(str(u)[len(str(BMR)):] for u in graph.subjects(RDF.type, BM.Sentence)) + \
        sorted(str(u)[len(str(BMR)):] for u in graph.subjects(RDF.type, BM.ListItem))
    for unit in units:
        assert page.count(f'id="{unit}"') == 1, unit


def test_marked_units_are_exactly_those_a_fact_reads(graph, site):
    page = site["source.html"]
    read = {str(u)[len(str(BMR)):] for p in (BM.readsUnit, BM.readsLeadIn) for u in graph.objects(None, p)}
    marked = set(re.findall(r'<mark id="([^"]+)">', page))
    unmarked = set(re.findall(r'<span id="([^"]+)" class="uncited"', page))
    assert marked == read
    assert not marked & unmarked
    # read from the page: every sentence of its five content sections gives a fact or
    # leads a list that does, so nothing is left unmarked
    assert unmarked == set()


def test_a_marked_sentence_links_to_each_fact_that_cites_it(site):
    page = site["source.html"]
    after = page[page.index('<mark id="unit-06">'):]
    cites = CITES.search(after).group(0)
    # "Bone metastasis can cause pain and broken bones." gives two facts
    assert 'href="id/fact-bone-metastasis-causes-pain.html"' in cites
    assert 'href="id/fact-bone-metastasis-causes-broken-bones.html"' in cites


def test_the_references_are_listed_in_their_order(site):
    words = text_of(site["source.html"])
    first, last = words.index("DeVita VT Jr"), words.index("Overview of therapeutic approaches")
    assert first < last


# --- questions, vocabulary, picture, downloads -----------------------------------------


def test_each_question_has_a_page_with_its_sparql_and_a_passing_answer(site):
    from bonemet.sparql import catalogue

    listed = site["questions/index.html"]
    for question in catalogue.questions():
        page = site[f"questions/{question.name}.html"]
        assert html.escape(question.text.strip().splitlines()[-1], quote=False) in page
        assert "The answer equals the expected answer." in page, question.name
        assert f'href="{question.name}.html"' in listed
    assert f"{len(catalogue.questions())} of {len(catalogue.questions())} answers equal the expected ones" in listed


def test_a_question_page_shows_the_rows_of_its_answer(site):
    # read from the page: six signs and symptoms are listed
    page = site["questions/signs-and-symptoms.html"]
    assert "<caption>6 rows</caption>" in page
    for sign in ("bone pain", "broken bones", "urinary incontinence", "bowel incontinence", "hypercalcemia"):
        assert f">{sign}</a>" in page, sign


def test_the_vocabulary_page_is_pylodes_and_answers_every_term_link(graph, site):
    page = site["vocab.html"]
    assert "pyLODE" in page
    # the mappings pyLODE leaves out: read from ontology/bonemet.ttl, bm:indicates is a close
    # match of biolink:manifestation_of
    section = page[page.index('id="indicates"'):]
    section = section[: section.index("</table>")]
    assert 'close <a href="https://w3id.org/biolink/vocab/manifestation_of">biolink:manifestation_of</a>' in section
    linked = {m for p in site.values() if isinstance(p, str) for m in re.findall(r'vocab\.html#([A-Za-z]+)', p)}
    assert {"SignOrSymptom", "CancerType", "Fact"} <= linked
    for name in linked:
        assert f'id="{name}"' in page, name


def test_the_picture_boxes_are_links_to_pages_that_exist(site):
    svg = site["graph.svg"]
    targets = set(re.findall(r'<a href="([^"]+)">', svg))
    assert targets and all(t in site for t in targets)
    # read from the page: the seven cancers most likely to spread, cancer itself, bone,
    # the three sites; bone metastasis, its six signs, hypercalcemia's four effects
    for name in ("breast-cancer", "prostate-cancer", "lung-cancer", "kidney-cancer", "thyroid-cancer",
                 "multiple-myeloma", "lymphoma", "cancer", "bone", "spine", "pelvis", "thigh",
                 "bone-metastasis", "bone-pain", "hypercalcemia", "nausea", "vomiting", "constipation", "confusion"):
        assert f"id/{name}.html" in targets, name
    assert site["picture.html"].count("<svg") == 1


def test_downloads_are_listed_with_their_size_and_checksum(site):
    page = site["downloads.html"]
    downloads = {k: v for k, v in site.items() if k.startswith("downloads/")}
    assert len(downloads) == 12
    for name, data in downloads.items():
        assert f"<td>{len(data)}</td>" in page
        assert hashlib.sha256(data).hexdigest() in page


def test_no_page_asks_another_host_for_anything(site):
    for name, content in site.items():
        if not name.endswith((".html", ".svg", ".css")):
            continue
        for attribute in re.findall(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\s(?:src|href)="([^"]*)"', content):
            assert not re.match(r"^(https?:)?//", attribute), (name, attribute)
        assert "@import" not in content and not re.search(r"url\((['\"]?)(https?:)?//", content), name


# --- determinism and hostile labels -------------------------------------------------------


def test_two_renders_are_byte_identical(graph, site):
    assert render_site(load_graph()) == site


def test_the_command_writes_the_same_site_under_another_hash_seed(site, tmp_path):
    environment = dict(os.environ, PYTHONHASHSEED="123")
    done = subprocess.run([BONEMET, "site", "-o", str(tmp_path / "site")], capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr
    written = {str(p.relative_to(tmp_path / "site")): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert written == {k: (v.encode("utf-8") if isinstance(v, str) else v) for k, v in site.items()}


def test_a_label_with_markup_is_shown_as_text(graph):
    hostile = Graph()
    for triple in graph:
        hostile.add(triple)
    hostile.set((BMR["bone-pain"], RDFS.label, Literal('<script>alert("x")</script> pain', lang="en")))
    pages = render_site(hostile, exports={})
    for name, content in pages.items():
        if name.endswith(".html"):
            assert '<script>alert("x")</script>' not in content, name
    assert "&lt;script&gt;" in pages["id/bone-pain.html"]
