"""The derived layer: SHACL-AF rules, run on Oxigraph, give what pySHACL gives; every
derived triple carries its proof; the layer is computed, never stored, and checked."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

import bonemet
from bonemet import paths
from bonemet.checks.validation import check, load_shapes
from bonemet.derivation import DERIVED_GRAPH, derive, layer_of
from bonemet.graph import load_files, load_graph
from bonemet.namespaces import BM, BMR

SITE_RULE = URIRef("https://w3id.org/bonemet/rules#site-rule")
SIGN_RULE = URIRef("https://w3id.org/bonemet/rules#sign-rule")
ECO_AUTOMATIC = URIRef("http://purl.obolibrary.org/obo/ECO_0000501")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def layer(graph) -> Graph:
    return layer_of(graph)


def _records(layer: Graph, rule: URIRef) -> list:
    return sorted(layer.subjects(BM.rule, rule), key=str)


def test_pyshacl_runs_the_rules_to_the_same_triples():
    facts = load_graph(derived=False)
    ours = set(derive(facts))
    before = set(facts)
    pyshacl.shacl_rules(facts, shacl_graph=load_files([paths.rules_file()]), advanced=True, inplace=True)
    assert set(facts) - before == ours
    assert ours


def test_the_site_rule_gives_the_three_sites_to_each_cancer_that_spreads_to_bone(layer):
    # read from the page: cancer in general ("Nearly all types…"), breast and prostate cancer
    # ("particularly likely to spread to bone") reach bone; bone metastasis more commonly
    # occurs in the spine, pelvis and thigh
    derived = {(s, o) for s, o in layer.subject_objects(BM.metastasizesTo)}
    expected = {(BMR[c], BMR[s]) for c in ("cancer", "breast-cancer", "prostate-cancer") for s in ("spine", "pelvis", "thigh")}
    assert derived == expected


def test_the_sign_rule_gives_each_listed_sign_indicating_bone_metastasis(layer):
    signs = {"bone-pain", "broken-bones", "urinary-incontinence", "bowel-incontinence", "limb-weakness", "hypercalcemia"}
    assert set(layer.subject_objects(BM.indicates)) == {(BMR[s], BMR["bone-metastasis"]) for s in signs}


def test_bone_metastasis_may_indicate_cancer_is_a_stated_fact_not_derived(graph, layer):
    assert (BMR["bone-metastasis"], BM.indicates, BMR.cancer) in graph
    assert (BMR["bone-metastasis"], BM.indicates, BMR.cancer) not in layer


def test_every_derived_triple_has_one_record_with_its_proof(graph, layer):
    for record in layer.subjects(RDF.type, BM.Derivation):
        triple = tuple(layer.value(record, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert triple in layer
        premises = set(layer.objects(record, PROV.wasDerivedFrom))
        assert premises and all((p, RDF.type, BM.Fact) in graph for p in premises)
        assert layer.value(record, BM.evidence) == ECO_AUTOMATIC
        rule = layer.value(record, BM.rule)
        assert len(premises) >= (2 if rule == SITE_RULE else 1)
    for triple in layer.triples((None, BM.metastasizesTo, None)):
        assert len([r for r in layer.subjects(RDF.subject, triple[0]) if layer.value(r, RDF.object) == triple[2]]) == 1


def test_a_derived_site_is_can_never_more_commonly(layer):
    # "more commonly" is said of bone metastasis in general, not of what one cancer does
    for record in _records(layer, SITE_RULE):
        assert layer.value(record, BM.modality) == BM["modality-can"]
        assert layer.value(record, BM.frequency) is None and layer.value(record, BM.likelihood) is None


def test_breast_cancer_reaches_the_spine_on_two_sentences(graph, layer):
    record = BMR["derived-breast-cancer-metastasizes-to-spine"]
    premises = set(layer.objects(record, PROV.wasDerivedFrom))
    assert premises == {BMR["fact-breast-cancer-metastasizes-to-bone"], BMR["fact-bone-metastasis-has-location-spine"]}
    quotes = {str(graph.value(p, BM.quote)) for p in premises}
    assert quotes == {
        "But some types of cancer are particularly likely to spread to bone, including breast cancer and prostate cancer.",
        "Bone metastasis can occur in any bone but more commonly occurs in the spine, pelvis and thigh.",
    }


def test_no_derived_triple_repeats_a_stated_one(graph, layer):
    stated = {tuple(graph.value(r, p) for p in (RDF.subject, RDF.predicate, RDF.object)) for r in graph.subjects(RDF.type, BM.Fact)}
    derived = {tuple(layer.value(r, p) for p in (RDF.subject, RDF.predicate, RDF.object)) for r in layer.subjects(RDF.type, BM.Derivation)}
    assert derived and not stated & derived


def test_the_layer_is_never_stored_in_data():
    for path in paths.data_files():
        assert not any(True for _ in load_files([path]).subjects(RDF.type, BM.Derivation)), path


def test_load_graph_holds_the_layer_unless_asked_not_to(layer):
    assert len(load_graph(derived=False)) + len(layer) == len(load_graph())


def test_a_graph_with_its_layer_validates_and_a_tampered_one_fails(graph):
    assert bonemet.validate(graph=graph).conforms
    tampered = Graph()
    for triple in graph:
        tampered.add(triple)
    tampered.remove((BMR["derived-breast-cancer-metastasizes-to-spine"], BM.modality, BM["modality-can"]))
    tampered.add((BMR["derived-breast-cancer-metastasizes-to-spine"], BM.modality, BM["modality-may"]))
    report = check(tampered, load_shapes())
    fired = {f.shape.rsplit("#", 1)[-1] for f in report.findings if f.severity == "Violation"}
    assert fired == {"DerivedLayerShape"}


def test_a_derived_triple_that_also_has_a_fact_record_fails(graph):
    both = Graph()
    for triple in graph:
        both.add(triple)
    record = BMR["fact-breast-cancer-metastasizes-to-spine"]
    both.add((record, RDF.type, BM.Fact))
    both.add((record, RDF.subject, BMR["breast-cancer"]))
    both.add((record, RDF.predicate, BM.metastasizesTo))
    both.add((record, RDF.object, BMR.spine))
    fired = {f.shape.rsplit("#", 1)[-1] for f in check(both, load_shapes()).findings if f.severity == "Violation"}
    assert "RecordPerTripleShape" in fired


def test_exports_place_the_layer(graph, layer, cli):
    only = cli("export", "--format", "ntriples", "--only", "derived")
    assert only.code == 0 and len(Graph().parse(data=only.out, format="nt")) == len(layer)
    trig = cli("export", "--format", "trig")
    assert f"<{DERIVED_GRAPH}> {{" in trig.out
    void = Graph().parse(data=cli("export", "--format", "void").out, format="turtle")
    subset = URIRef("https://w3id.org/bonemet/dataset/derived")
    assert int(void.value(subset, URIRef("http://rdfs.org/ns/void#triples"))) == len(layer)
