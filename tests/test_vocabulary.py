"""The vocabulary: a header, and for every class and property one English label,
a definition, domain and range where they apply, and an outside mapping."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from bonemet.graph import load_vocabulary
from bonemet.namespaces import BM, VOCABULARY_IRI

VOCABULARY = load_vocabulary()
TERMS = sorted(
    t
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for t in VOCABULARY.subjects(RDF.type, kind)
    if str(t).startswith(str(BM))
)
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, RDFS.subClassOf, RDFS.subPropertyOf)


def test_header_has_title_description_license_version():
    header = URIRef(VOCABULARY_IRI)
    assert (header, RDF.type, OWL.Ontology) in VOCABULARY
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionInfo):
        assert VOCABULARY.value(header, prop) is not None, prop


def test_the_required_classes_are_there():
    required = "Condition CancerType AnatomicalSite SignOrSymptom TreatmentGoal Prognosis PresentationTiming MechanismStep OpenQuestion Advice SourceDocument DocumentSection Reference Fact".split()
    assert {BM[name] for name in required} <= set(TERMS)


@pytest.mark.parametrize("term", [pytest.param(t, id=str(t).rsplit("#", 1)[-1]) for t in TERMS])
def test_term_is_labelled_defined_and_mapped(term):
    labels = [l for l in VOCABULARY.objects(term, RDFS.label)]
    assert len(labels) == 1 and labels[0].language == "en", labels
    assert str(labels[0]) == str(labels[0]).strip() and "  " not in str(labels[0])
    definitions = list(VOCABULARY.objects(term, SKOS.definition))
    assert len(definitions) == 1 and definitions[0].language == "en"
    assert any(VOCABULARY.objects(term, m) for m in MAPPINGS), "no mapping to an outside vocabulary or parent"


@pytest.mark.parametrize("prop", [pytest.param(t, id=str(t).rsplit("#", 1)[-1]) for t in TERMS if (t, RDF.type, OWL.ObjectProperty) in VOCABULARY])
def test_object_property_has_domain_and_range(prop):
    assert VOCABULARY.value(prop, RDFS.domain) is not None
    assert VOCABULARY.value(prop, RDFS.range) is not None


def test_the_vocabulary_page_is_in_step_with_the_vocabulary():
    from bonemet import paths
    from bonemet.exports.vocabulary import table

    page = (paths.ontology_dir() / "VOCABULARY.md").read_text(encoding="utf-8")
    assert page == table(VOCABULARY), "ontology/VOCABULARY.md is out of date: run 'make vocabulary'"
    for term in TERMS:  # every class and property has its row
        assert f"`bm:{str(term).rsplit('#', 1)[-1]}`" in page
