"""The source record: the page itself, its checksum, date, sections and references,
and every content sentence of it cited by a fact record, word for word."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from bonemet import paths
from bonemet.graph import load_graph
from bonemet.namespaces import BM, BMR, PROV

SHARED_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "source" / "bone-metastasis.txt"
DOC = BMR["doc-bone-metastasis"]
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def text() -> str:
    return paths.source_text_file().read_text(encoding="utf-8")


def content_units(text: str) -> list[str]:
    """The page's sentences and list items, read from the text itself: everything
    above the review date, less the two headings; the references and the donation
    appeal after the date are not content."""
    body = text.split("Apr 27, 2022")[0]
    units = []
    for line in body.splitlines():
        line = line.strip()
        if not line or line in ("When to see a doctor", "Risk factors"):
            continue
        if line.startswith("•"):
            units.append(line.lstrip("• ").strip())
            continue
        units.extend(part for part in re.split(r"(?<=[.:])\s+(?=[A-Z])", line) if part)
    return units


def test_the_copy_is_the_unmodified_source():
    if not SHARED_SOURCE.exists():
        pytest.skip("../shared is not beside this checkout")
    assert paths.source_text_file().read_bytes() == SHARED_SOURCE.read_bytes()


def test_the_graph_records_the_sha256_of_the_text(graph):
    digest = hashlib.sha256(paths.source_text_file().read_bytes()).hexdigest()
    assert list(graph.objects(DOC, BM.sha256)) == [Literal(digest)]


def test_review_date_is_an_xsd_date(graph):
    assert list(graph.objects(DOC, BM.lastReviewed)) == [Literal("2022-04-27", datatype=XSD_DATE)]


def test_sections_are_the_overview_and_the_pages_parts_in_order(graph):
    sections = sorted(
        (int(graph.value(s, BM.sectionOrder)), str(s).rsplit("/", 1)[-1]) for s in graph.objects(DOC, BM.hasSection)
    )
    assert [name for _order, name in sections] == [
        "section-overview",
        "section-symptoms",
        "section-when-to-see-a-doctor",
        "section-causes",
        "section-risk-factors",
    ]
    headings = {str(graph.value(s, BM.headingInSource)) for s in graph.objects(DOC, BM.hasSection) if graph.value(s, BM.headingInSource)}
    assert headings == {"When to see a doctor", "Risk factors"}


def test_exactly_seven_references_each_quoted_from_the_page(graph, text):
    references = sorted(graph.objects(DOC, BM.citesReference))
    assert len(references) == 7
    assert sorted(int(graph.value(r, BM.referenceNumber)) for r in references) == list(range(1, 8))
    for reference in references:
        citation = str(graph.value(reference, BM.citationText))
        assert citation in text, citation


def test_reference_six_has_its_doi_and_the_dated_ones_their_access_dates(graph):
    six = BMR["reference-6"]
    assert str(graph.value(six, URIRef("http://purl.org/ontology/bibo/doi"))) == "10.21037/apm.2018.12.04"
    accessed = {int(graph.value(r, BM.referenceNumber)): graph.value(r, BM.accessed) for r in graph.objects(DOC, BM.citesReference)}
    # read from the page: 2, 3, 4, 5 and 7 say "Accessed ..."; 1 and 6 do not
    assert {n for n, date in accessed.items() if date is not None} == {2, 3, 4, 5, 7}
    assert accessed[4] == Literal("2019-12-27", datatype=XSD_DATE)
    assert accessed[3] == Literal("2020-03-08", datatype=XSD_DATE)


def test_editors_are_editors_and_authors_are_creators(graph):
    editor = URIRef("http://purl.org/ontology/bibo/editor")
    creator = URIRef("http://purl.org/dc/terms/creator")
    # read from the page: 1, 3 and 4 name editors ("et al., eds."), the others authors
    edited = {int(graph.value(r, BM.referenceNumber)) for r in graph.subjects(editor, None)}
    authored = {int(graph.value(r, BM.referenceNumber)) for r in graph.subjects(creator, None) if (r, RDF.type, BM.Reference) in graph}
    assert edited == {1, 3, 4}
    assert authored == {2, 6, 7}  # reference 5 is an agency page that names no author


def test_no_fact_cites_a_reference(graph):
    references = set(graph.subjects(RDF.type, BM.Reference))
    for fact in graph.subjects(RDF.type, BM.Fact):
        linked = set(graph.objects(fact, None))
        assert not linked & references, fact
    # the only statements about references that point at them come from the document
    pointing = {s for ref in references for s in graph.subjects(None, ref)}
    assert pointing == {DOC}


def test_every_quote_is_found_in_the_source_text_as_is(graph, text):
    quotes = list(graph.objects(None, BM.quote)) + list(graph.objects(None, BM.leadIn))
    assert quotes
    missing = [str(q) for q in quotes if str(q) not in text]
    assert not missing


def test_every_content_sentence_is_cited_by_a_fact_record(graph, text):
    units = content_units(text)
    assert len(units) == 29  # counted by reading the page: 16 sentences and 13 list items
    quoted = {str(q) for fact in graph.subjects(RDF.type, BM.Fact) for q in graph.objects(fact, BM.quote)}
    lead_ins = {str(q) for fact in graph.subjects(RDF.type, BM.Fact) for q in graph.objects(fact, BM.leadIn)}
    uncited = [unit for unit in units if not any(unit in q for q in quoted | lead_ins)]
    assert not uncited


def test_the_donation_appeal_yields_nothing(graph):
    for literal in (o for o in graph.objects() if isinstance(o, Literal)):
        assert "gift" not in literal.lower() and "donate" not in literal.lower(), literal


def test_every_fact_names_the_document_as_primary_source(graph):
    facts = list(graph.subjects(RDF.type, BM.Fact))
    assert facts
    assert all(list(graph.objects(f, PROV.hadPrimarySource)) == [DOC] for f in facts)
