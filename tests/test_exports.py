"""Exports read back by independent readers: rdflib, Oxigraph, rapper; VoID that tells the truth."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, VOID

from bonemet.exports import formats as exports
from bonemet import serialization as formats
from bonemet.graph import load_data, load_files, load_graph, load_vocabulary
from bonemet.namespaces import BM, BMR
from bonemet.paths import shapes_file
from bonemet.stats import compute

DCAT_NS = "http://www.w3.org/ns/dcat#"


class DCAT:  # rdflib's closed DCAT namespace warns when pytest inspects it
    distribution = URIRef(DCAT_NS + "distribution")
    byteSize = URIRef(DCAT_NS + "byteSize")
    mediaType = URIRef(DCAT_NS + "mediaType")

PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig"}
OXIGRAPH = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "trig": "TRIG"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def built(tmp_path_factory, graph):
    folder = tmp_path_factory.mktemp("build")
    exports.write(exports.render_all(graph), folder)
    return folder


def _read_back(text: str, fmt: str) -> Graph:
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(data=text, format="trig")
        union = Graph()
        for quad in dataset.quads():
            union.add(quad[:3])
        return union
    return Graph().parse(data=text, format=PARSERS[fmt])


@pytest.mark.parametrize("fmt", formats.FORMATS)
@pytest.mark.parametrize("only", [None, "data", "ontology", "shapes"])
def test_rdf_export_parses_back_to_the_same_graph(fmt, only):
    source = exports.load_part(only)
    (text,) = exports.render(source, fmt).values()
    assert isomorphic(_read_back(text, fmt), source)


def test_only_selects_the_part():
    assert len(exports.load_part("data")) == len(load_data())
    assert len(exports.load_part("ontology")) == len(load_vocabulary())
    assert len(exports.load_part("shapes")) == len(load_files([shapes_file()]))
    derived = exports.load_part("derived")
    # read from the page and the rules: 9 cancer-to-site triples (cancer, breast, prostate to
    # spine, pelvis, thigh) and 6 sign-indicates triples, each with its record
    assert len(set(derived.subjects(RDF.type, BM.Derivation))) == 15
    assert len(exports.load_part(None)) == len(load_data()) + len(load_vocabulary()) + len(derived)


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_oxigraph_parses_every_rdf_export(fmt, graph):
    import pyoxigraph

    (text,) = exports.render(graph, fmt).values()
    quads = list(pyoxigraph.parse(text.encode("utf-8"), getattr(pyoxigraph.RdfFormat, OXIGRAPH[fmt])))
    assert len({(q.subject, q.predicate, q.object) for q in quads} if fmt == "trig" else quads) == len(graph)


def _rapper() -> str | None:
    found = shutil.which("rapper")
    if found is None and os.environ.get("CI"):
        pytest.fail("rapper is not installed: 'make test' installs raptor2-utils on CI")
    if found is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    return found


@pytest.mark.parametrize("fmt, name", [("turtle", "bonemet.ttl"), ("ntriples", "bonemet.nt")])
def test_rapper_accepts_turtle_and_ntriples_with_the_same_count(fmt, name, built, graph):
    rapper = _rapper()
    syntax = {"turtle": "turtle", "ntriples": "ntriples"}[fmt]
    run = subprocess.run([rapper, "-i", syntax, "-c", str(built / name)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"returned {len(graph)} triples" in run.stderr


def test_trig_puts_facts_in_the_graph_of_their_source(graph):
    dataset = Dataset()
    dataset.parse(data=exports.render(graph, "trig")["bonemet.trig"], format="trig")
    document = dataset.graph(BMR["doc-bone-metastasis"])
    vocabulary = dataset.graph(URIRef("https://w3id.org/bonemet/vocab"))
    facts = set(graph.subjects(RDF.type, BM.Fact))
    assert facts and facts == set(document.subjects(RDF.type, BM.Fact))
    assert (BMR["breast-cancer"], BM.metastasizesTo, BMR["bone"]) in document
    assert (BM.Fact, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in vocabulary


def test_jsonld_context_names_the_project_terms(graph):
    import json

    document = json.loads(exports.render(graph, "jsonld")["bonemet.jsonld"])
    context = document["@context"]
    assert context["metastasizesTo"] == {"@id": "bm:metastasizesTo", "@type": "@id"}
    assert context["stepOrder"] == {"@id": "bm:stepOrder", "@type": "xsd:integer"}
    assert context["Fact"] == "bm:Fact"
    breast = next(node for node in document["@graph"] if node["@id"] == "bmr:breast-cancer")
    # stated: bone; derived by the site rule: pelvis, spine, thigh
    assert sorted(breast["metastasizesTo"]) == ["bmr:bone", "bmr:pelvis", "bmr:spine", "bmr:thigh"]


def test_build_writes_every_export(built):
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(
        ["bonemet.ttl", "bonemet.nt", "bonemet.jsonld", "bonemet.rdf", "bonemet.trig", "bonemet.schemaorg.jsonld",
         "bonemet_nodes.tsv", "bonemet_edges.tsv", "bonemet_nodes.jsonl", "bonemet_edges.jsonl", "bonemet.sssom.tsv", "bonemet.void.ttl"]
    )


def test_void_counts_equal_the_graphs_counts(built, graph):
    void = Graph().parse(built / "bonemet.void.ttl")
    dataset = URIRef("https://w3id.org/bonemet/dataset")
    stats = compute(graph)
    assert void.value(dataset, VOID.triples) == Literal(len(graph))
    # VoID's entities: the resources whose IRI lies in the dataset's uriSpace
    space = str(void.value(dataset, VOID.uriSpace))
    in_space = {t for s, _p, o in graph for t in (s, o) if isinstance(t, URIRef) and str(t).startswith(space)}
    assert void.value(dataset, VOID.entities) == Literal(len(in_space))
    for distribution in void.objects(dataset, URIRef("http://www.w3.org/ns/dcat#distribution")):
        assert void.value(distribution, URIRef("http://purl.org/dc/terms/license")) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert int(void.value(dataset, VOID.classes)) == len(set(graph.objects(None, RDF.type)))
    assert int(void.value(dataset, VOID.properties)) == len(set(graph.predicates()))
    facts = next(p for p in void.objects(dataset, VOID.classPartition) if void.value(p, VOID["class"]) == BM.Fact)
    assert int(void.value(facts, VOID.entities)) == len(set(graph.subjects(RDF.type, BM.Fact)))
    quotes = next(p for p in void.objects(dataset, VOID.propertyPartition) if void.value(p, VOID.property) == BM.quote)
    assert int(void.value(quotes, VOID.triples)) == len(list(graph.triples((None, BM.quote, None))))


def test_void_checksums_and_sizes_match_the_files(built):
    void = Graph().parse(built / "bonemet.void.ttl")
    spdx = "http://spdx.org/rdf/terms#"
    distributions = list(void.objects(URIRef("https://w3id.org/bonemet/dataset"), DCAT.distribution))
    described = {str(void.value(d, URIRef("http://purl.org/dc/terms/title"))) for d in distributions}
    assert described == {p.name for p in built.iterdir()} - {"bonemet.void.ttl"}
    for distribution in distributions:
        path = built / str(void.value(distribution, URIRef("http://purl.org/dc/terms/title")))
        data = path.read_bytes()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data)
        checksum = void.value(distribution, URIRef(spdx + "checksum"))
        assert str(void.value(checksum, URIRef(spdx + "checksumValue"))) == hashlib.sha256(data).hexdigest()
        assert void.value(distribution, DCAT.mediaType) is not None


def test_cli_kgx_needs_a_folder(cli, tmp_path):
    outcome = cli("export", "--format", "kgx")
    assert outcome.code == 2 and "-o FOLDER" in outcome.err
    written = cli("export", "--format", "kgx", "-o", str(tmp_path))
    assert written.code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bonemet_edges.tsv", "bonemet_nodes.tsv"]


def test_cli_only_is_for_rdf_formats(cli):
    outcome = cli("export", "--format", "schemaorg", "--only", "data")
    assert outcome.code == 2 and "--only applies to the RDF formats" in outcome.err


def test_cli_only_ontology(cli):
    outcome = cli("export", "--format", "ntriples", "--only", "ontology")
    assert outcome.code == 0
    assert len(outcome.out.splitlines()) == len(load_vocabulary())
