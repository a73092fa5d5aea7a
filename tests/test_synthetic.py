"""The synthetic graph generator of benchmarks/generate.py: valid, sized, deterministic,
and answered alike by rdflib and Oxigraph."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bonemet import paths
from bonemet.sparql import catalogue
from bonemet.derivation import add_to_store
from bonemet.store import store_from_files
from bonemet.graph import load_files, load_graph
import pyshacl
from rdflib import Graph, Namespace
from rdflib.namespace import PROV, RDF

from bonemet.derivation import derive
from bonemet.namespaces import BM, BMR
from bonemet.sparql.questions import ask
from bonemet.sparql.results import compare
from bonemet.checks.validation import validate

SIZE = 3000
GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
QUESTIONS = catalogue.questions()
RULES = Namespace("https://w3id.org/bonemet/rules#")


def _generator():
    spec = importlib.util.spec_from_file_location("bonemet_synthetic_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    return out, _generator().generate(SIZE, out, seed=0)


@pytest.fixture(scope="module")
def graph(generated):
    _out, files = generated
    return load_graph(files)  # with the derived layer, as the store has it


@pytest.fixture(scope="module")
def store(generated):
    _out, files = generated
    store = store_from_files([paths.vocabulary_file(), *files])
    add_to_store(store)  # the derived layer, as the command line adds it
    return store


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_conforms_without_violation_or_warning(generated):
    _out, files = generated
    report = validate(files)
    assert report.conforms, [f"{f.shape}: {f.message}" for f in report.findings[:5]]
    assert report.count("Violation") == 0
    assert report.count("Warning") == 0


def test_has_the_requested_size(generated):
    _out, files = generated
    data = load_files(files)
    assert abs(len(data) - SIZE) <= SIZE // 10, len(data)


def test_one_text_per_source_document(generated, graph):
    out, _files = generated
    documents = set(graph.subjects(predicate=BM.localCopy))
    texts = sorted((out / "synthetic-sources").glob("*.txt"))
    assert len(documents) >= 2 and len(texts) == len(documents)
    for document in documents:
        copy = paths.local_copy(str(graph.value(document, BM.localCopy)), [out])
        assert copy is not None and copy.is_file()


def test_qualifier_words_occur_in_the_quote(graph):
    rows = graph.query(
        """SELECT ?fact ?words ?quote ?lead WHERE {
             ?fact bm:qualifierText ?words ; bm:quote ?quote . OPTIONAL { ?fact bm:leadIn ?lead } }""",
        initNs={"bm": BM},
    )
    checked = 0
    for fact, words, quote, lead in rows:
        assert str(words) in str(quote) or (lead is not None and str(words) in str(lead)), fact
        checked += 1
    assert checked > 0


def test_deterministic_for_a_seed(generated, tmp_path):
    out, _files = generated
    gen = _generator()
    gen.generate(SIZE, tmp_path / "again", seed=0)
    assert _snapshot(tmp_path / "again") == _snapshot(out)
    gen.generate(SIZE, tmp_path / "other", seed=1)
    assert _snapshot(tmp_path / "other") != _snapshot(out)


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in QUESTIONS])
def test_same_rows_on_rdflib_and_oxigraph(question, graph, store):
    on_rdflib = ask(question, graph=graph, bind=list(question.example))
    on_oxigraph = ask(question, store=store, bind=list(question.example))
    assert on_rdflib.rows, f"{question.name} has no answer on the synthetic graph"
    assert on_rdflib.variables == on_oxigraph.variables
    assert compare(on_oxigraph, on_rdflib).same
    # every ORDER BY is total (facts-per-section projects its sort key, which rdflib
    # needs to sort by it after GROUP BY), so the order is the same too
    assert on_rdflib.rows == on_oxigraph.rows


def _derived_layer(tmp_path: Path, documents: int) -> tuple[int, int]:
    """(data triples, derived triples) of a corpus of ``documents`` documents."""
    gen = _generator()
    files = gen.generate(gen.TRIPLES_PER_DOCUMENT * documents, tmp_path / f"docs-{documents}", seed=0)
    assert len(list((tmp_path / f"docs-{documents}" / gen.SOURCES).glob("doc-*.txt"))) == documents
    store = store_from_files([paths.vocabulary_file(), *files])
    facts = len(store)
    return facts, add_to_store(store)


def test_derived_layer_grows_linearly_with_the_documents(tmp_path):
    # documents share their entities, so a rule's output grows with the fact records
    # (each derivation links every record it rests on), not with cancers x sites of the
    # whole corpus: doubling the documents at most doubles the layer (a quadratic layer
    # would grow about fourfold)
    sizes = {n: _derived_layer(tmp_path, n) for n in (2, 4, 8)}
    for small, large in ((2, 4), (4, 8)):
        facts_small, derived_small = sizes[small]
        facts_large, derived_large = sizes[large]
        assert derived_small > 0
        assert derived_large <= 2.2 * derived_small, sizes
        # and the layer stays a small, steady share of the data
        assert derived_large / facts_large <= 1.25 * derived_small / facts_small, sizes


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    """The facts of a corpus of two documents, where one record of a cancer spreading to bone and one of bone
    metastasis at a site also say "may" (the generator writes "can" there), so that the
    rules meet both strengths among many restated premises."""
    gen = _generator()
    files = gen.generate(gen.TRIPLES_PER_DOCUMENT * 2, tmp_path_factory.mktemp("two-documents"), seed=0)
    facts = load_graph(files, derived=False)
    for predicate, wanted in ((BM.metastasizesTo, lambda s, o: o == BMR.bone),
                              (BM.hasLocation, lambda s, o: s == BMR["bone-metastasis"] and o != BMR.bone)):
        first = min(r for r in facts.subjects(RDF.predicate, predicate) if (r, RDF.type, BM.Fact) in facts
                    and wanted(facts.value(r, RDF.subject), facts.value(r, RDF.object)))
        facts.add((first, BM.modality, BM["modality-may"]))
    return facts


def test_pyshacl_runs_the_rules_to_the_same_triples_on_many_documents(facts):
    # many records state each premise here, with "may" and without: the shape of data
    # where a rule that joins premise records before choosing pairs grows quadratically
    facts = facts + Graph()  # a copy: pySHACL adds what it derives
    ours = set(derive(facts))
    before = set(facts)
    pyshacl.shacl_rules(facts, shacl_graph=load_files([paths.rules_file()]), advanced=True, inplace=True)
    assert set(facts) - before == ours


def _premises(facts, subject, predicate, obj) -> dict:
    """Each bm:Fact record stating the triple, with whether it says "may"."""
    return {record: (record, BM.modality, BM["modality-may"]) in facts
            for record in facts.subjects(RDF.type, BM.Fact)
            if (record, RDF.subject, subject) in facts and (record, RDF.predicate, predicate) in facts
            and (record, RDF.object, obj) in facts}


def test_each_derived_site_rests_on_every_record_of_its_two_premises(facts):
    # worked out here in Python, triple by triple, without SPARQL
    layer = derive(facts)
    bone, bone_metastasis = BMR.bone, BMR["bone-metastasis"]
    records = list(layer.subjects(BM.rule, RULES["site-rule"]))
    assert len(records) > 3
    restated, strengths = 0, set()
    for record in records:
        cancer, site = layer.value(record, RDF.subject), layer.value(record, RDF.object)
        to_bone = _premises(facts, cancer, BM.metastasizesTo, bone)
        at_site = _premises(facts, bone_metastasis, BM.hasLocation, site)
        restated += len(to_bone) > 1 or len(at_site) > 1
        assert set(layer.objects(record, PROV.wasDerivedFrom)) == set(to_bone) | set(at_site)
        may = any(to_bone.values()) or any(at_site.values())
        strengths.add((any(to_bone.values()), any(at_site.values())))
        assert layer.value(record, BM.modality) == BM["modality-may" if may else "modality-can"]
        assert not _premises(facts, cancer, BM.metastasizesTo, site)
    assert restated  # the corpus restates premises across documents
    assert strengths == {(False, False), (True, False), (False, True), (True, True)}
