"""Validation unit by unit, with each unit's results kept in the cache
(bonemet.checks.incremental), gives the report that validating the whole graph at once
gives (bonemet.checks.validation.validate, ``--no-cache``): on the shipped data, every
fixture, and a sample of the mutation harness applied to a corpus of several documents,
the cache empty and the cache warm from the unmutated corpus. A change to anything a
unit's results depend on validates that unit again; nothing else does."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from bonemet import paths
from bonemet.checks import incremental, validation
from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_FILES = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "valid").glob("*.ttl"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "bonemet" / "validation"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.json")) if folder.exists() else []


def assert_same(files, stats=None):
    """The incremental report (with whatever the cache holds) equals the whole one."""
    whole = validation.validate(files)
    part = incremental.validate(files, stats=stats)
    missing = [f for f in whole.findings if f not in part.findings]
    extra = [f for f in part.findings if f not in whole.findings]
    assert part.findings == whole.findings, (missing, extra)
    assert part.data_triples == whole.data_triples
    assert part.conforms == whole.conforms
    assert isomorphic(part.report_graph, whole.report_graph)
    return part


def test_the_shipped_data_cold_then_warm(cache):
    stats: dict = {}
    report = assert_same(None, stats)
    assert report.conforms
    assert stats["validated"] == stats["units"] == 2  # the page's unit and the shared unit
    assert len(entries(cache)) == 2
    again: dict = {}
    assert_same(None, again)
    assert again == {"units": 2, "validated": 0}


@pytest.fixture
def engines(monkeypatch):
    """The SHACL engines the units were checked with, in this process (the shipped data is
    a few units: no worker process is started)."""
    ran: list[str] = []
    for name, engine in (("_core_report", "core"), ("_pyshacl_report", "pyshacl")):
        original = getattr(validation, name)
        monkeypatch.setattr(validation, name, lambda *a, _original=original, _engine=engine: ran.append(_engine) or _original(*a))
    return ran


def test_the_units_are_checked_on_oxigraph_and_give_pyshacls_findings(cache, engines):
    # each batch of units is loaded into Oxigraph and checked there, as the whole validation
    # is; its findings are those of the reference path (rdflib and pySHACL)
    files = [*paths.data_files(), FIXTURES / "invalid" / "mention-not-a-label.ttl"]
    part = incremental.validate(files)
    assert engines and set(engines) == {"core"}
    engines.clear()
    reference = validation.validate(files, engine="pyshacl")
    assert part.findings == reference.findings and not part.conforms


def test_a_unit_with_a_literal_the_store_would_rewrite_is_checked_on_pyshacl(cache, engines, tmp_path):
    data = tmp_path / "odd.ttl"
    data.write_text(
        "@prefix bm: <https://w3id.org/bonemet/vocab#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/bonemet/id/step-x> a bm:MechanismStep ; rdfs:label "step x"@en ; skos:definition "d"@en ;'
        ' bm:stepOrder " 4"^^xsd:integer .\n', encoding="utf-8")
    files = [*paths.data_files(), data]
    part = incremental.validate(files)
    assert "pyshacl" in engines  # the batch holding that literal (the others on Oxigraph)
    engines.clear()
    assert part.findings == validation.validate(files, engine="pyshacl").findings
    assert_same(files)


def test_a_batch_forks_no_process_of_its_own(cache, monkeypatch):
    # the batches run in two worker processes on a large corpus; a batch there runs the
    # closed-vocabulary and grounding passes itself, however large, where the whole
    # validation forks a process for them
    started: list = []
    monkeypatch.setattr(validation, "BESIDE_FROM", 0)
    monkeypatch.setattr(validation, "_start_beside", lambda work: started.append(work) and None)
    incremental.validate(None)
    assert started == []
    validation.validate(None)
    assert len(started) == 1


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in FIXTURE_FILES])
def test_every_fixture_with_the_cache_warm_from_the_shipped_data(path, cache):
    incremental.validate(None)  # the shipped data's units are kept
    assert_same([*paths.data_files(), path])


def _module(name: str, file: Path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def synthetic_corpus(tmp_path_factory, fmt: str) -> Path:
    """The synthetic corpus of four documents these tests use, in ``fmt`` (ttl or nt)."""
    generate = _module("bonemet_synthetic_generate", ROOT / "benchmarks" / "generate.py")
    out = tmp_path_factory.mktemp(f"corpus-{fmt}") / "data"
    generate.generate(5000, out, seed=3, fmt=fmt)
    return out


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory):
    """The corpus in Turtle (the mutation harness reads .ttl)."""
    return synthetic_corpus(tmp_path_factory, "ttl")


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ttl"))


def test_the_corpus_has_a_unit_per_document(corpus_folder, cache):
    stats: dict = {}
    report = assert_same(_files(corpus_folder), stats)
    assert report.conforms
    documents = len(list((corpus_folder / "synthetic-sources").glob("*.txt")))
    assert documents >= 3
    assert stats["units"] == documents + 1


def test_units_validated_in_worker_processes_give_the_same_report(corpus_folder, cache, monkeypatch):
    monkeypatch.setattr(incremental, "BATCH", 1)  # a batch per page: enough for the two workers
    stats: dict = {}
    assert_same(_files(corpus_folder), stats)
    assert stats["validated"] == stats["units"] >= 4


def test_a_worker_that_dies_leaves_the_work_to_this_process(corpus_folder, cache, monkeypatch):
    monkeypatch.setattr(incremental, "BATCH", 1)
    monkeypatch.setattr(incremental, "_batch_in_worker", _die)
    stats: dict = {}
    assert_same(_files(corpus_folder), stats)
    assert stats["validated"] == stats["units"]


def _die(number: int):
    os._exit(9)


def test_mutants_of_the_corpus_with_the_cache_warm(corpus_folder, cache, tmp_path):
    harness = _module("bonemet_mutants_harness", ROOT / "benchmarks" / "mutants.py")
    corpus = harness.Corpus(corpus_folder, paths.vocabulary_file())
    sample = harness.generate(corpus, per_class=2, seed=1)
    assert len(sample) >= 10
    incremental.validate(_files(corpus_folder))  # warm: every unit of the unmutated corpus kept
    compared = kept = 0
    for number, mutant in enumerate(sample):
        folder = corpus.write_copy(tmp_path / str(number), mutant)
        # the copy is written again by rdflib: its bytes differ, its units mostly do not
        stats: dict = {}
        report = assert_same(_files(folder), stats)
        assert not report.conforms or not harness.REGISTRY[mutant.cls][1], mutant.description
        # a mutant that removes a plain triple touches every page that records it; most touch one
        kept += stats["validated"] < stats["units"]
        compared += 1
    assert compared == len(sample)
    assert kept >= compared // 2


# --- never stale ------------------------------------------------------------------------------


def _copy(corpus_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(corpus_folder, folder)
    return folder


def test_an_edited_page_text_is_validated_again(corpus_folder, cache, tmp_path):
    folder = _copy(corpus_folder, tmp_path)
    assert incremental.validate(_files(folder)).conforms
    text = sorted((folder / "synthetic-sources").glob("*.txt"))[1]
    text.write_text(text.read_text(encoding="utf-8").replace(".", ";", 1), encoding="utf-8")
    stats: dict = {}
    report = assert_same(_files(folder), stats)
    assert not report.conforms
    assert stats["validated"] == 1


def test_a_changed_entity_label_validates_every_page_that_names_it(corpus_folder, cache, tmp_path):
    """A document's results depend on the labels of the entities it names, which another
    document declares: renaming one must not let the old results through."""
    folder = _copy(corpus_folder, tmp_path)
    assert incremental.validate(_files(folder)).conforms
    file = _files(folder)[0]
    text = file.read_text(encoding="utf-8")
    assert text.count('rdfs:label "bone pain"@en') == 1
    file.write_text(text.replace('rdfs:label "bone pain"@en', 'rdfs:label "osseous pain"@en'), encoding="utf-8")
    stats: dict = {}
    report = assert_same(_files(folder), stats)
    assert any(f.shape.endswith("MentionShape") for f in report.findings)
    assert stats["validated"] >= 2


def test_a_changed_shapes_file_validates_everything_again(corpus_folder, cache, tmp_path, monkeypatch):
    files = _files(corpus_folder)
    incremental.validate(files)
    shapes = tmp_path / "shapes.ttl"
    text = paths.shapes_file().read_text(encoding="utf-8")
    shapes.write_text(text.replace("sh:minLength 1 ;", "sh:minLength 100000 ;", 1), encoding="utf-8")
    monkeypatch.setattr(paths, "shapes_file", lambda: shapes)
    stats: dict = {}
    report = assert_same(files, stats)
    assert not report.conforms
    assert stats["validated"] == stats["units"]


def test_a_damaged_or_deleted_cache_is_made_again(corpus_folder, cache):
    files = _files(corpus_folder)
    incremental.validate(files)
    kept = entries(cache)
    kept[0].write_text(kept[0].read_text(encoding="utf-8")[:50], encoding="utf-8")  # cut short
    entry = json.loads(kept[1].read_text(encoding="utf-8"))
    entry["key"] = "0" * 40  # not the entry its name says
    kept[1].write_text(json.dumps(entry), encoding="utf-8")
    reports = sorted(cache.glob("report-*.json"))
    assert len(reports) == 1
    reports[0].write_text(reports[0].read_text(encoding="utf-8")[:-20], encoding="utf-8")  # the kept report cut short too
    stats: dict = {}
    assert_same(files, stats)
    assert stats["validated"] == 2
    shutil.rmtree(cache)
    stats = {}
    assert_same(files, stats)
    assert stats["validated"] == stats["units"]


def test_an_unwritable_cache_folder_means_no_cache(corpus_folder, tmp_path, monkeypatch):
    if os.geteuid() == 0:
        monkeypatch.setattr(paths, "cache_dir", lambda: None)  # root writes anywhere: as cache_dir says
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        monkeypatch.setenv("XDG_CACHE_HOME", str(locked))
    stats: dict = {}
    report = incremental.validate(_files(corpus_folder), stats=stats)
    assert report.conforms
    assert stats == {}  # the whole validation ran


def test_no_cache_on_the_command_line_writes_nothing(cli, cache):
    outcome = cli("validate", "--no-cache")
    assert outcome.code == 0, outcome
    assert entries(cache) == []
    outcome = cli("validate")
    assert outcome.code == 0, outcome
    assert len(entries(cache)) == 2


def test_a_kept_report_is_judged_again_under_strict(cache):
    """Unchanged inputs give the kept report without validating anything; --strict still
    judges its warnings."""
    files = [*paths.data_files(), FIXTURES / "invalid" / "sign-without-cross-link.ttl"]
    first = incremental.validate(files)
    assert first.conforms and first.count("Warning") >= 1
    stats: dict = {}
    strict = incremental.validate(files, strict=True, stats=stats)
    assert stats["validated"] == 0
    whole = validation.validate(files, strict=True)
    assert strict.findings == whole.findings
    assert not strict.conforms
    assert isomorphic(strict.report_graph, whole.report_graph)


def test_the_cache_keeps_only_the_newest_entries(corpus_folder, cache, monkeypatch, tmp_path):
    monkeypatch.setattr(incremental, "KEPT", 3)
    monkeypatch.setattr(incremental, "REPORTS", 1)
    files = _files(corpus_folder)
    incremental.validate(files)
    assert len(entries(cache)) == 3
    folder = _copy(corpus_folder, tmp_path)  # other paths: a second report
    incremental.validate(_files(folder))
    assert len(list(cache.glob("report-*.json"))) == 1


# --- edits that cross a page's bounds (found by trying to break the split) ---------------------

PREFIXES = (
    "@prefix bmr: <https://w3id.org/bonemet/id/> . @prefix bm: <https://w3id.org/bonemet/vocab#> .\n"
    "@prefix prov: <http://www.w3.org/ns/prov#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
)
TTL = "bonemet-synthetic.ttl"
FACT = "bmr:fact-bone-metastasis-is-spread-of-cancer"


def _append(text: str):
    def edit(folder: Path) -> None:
        with open(folder / TTL, "a", encoding="utf-8") as out:
            out.write("\n" + PREFIXES + text + "\n")
    return edit


def _replace(old: str, new: str):
    def edit(folder: Path) -> None:
        path = folder / TTL
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def _text(name: str):
    def edit(folder: Path) -> None:
        path = folder / "synthetic-sources" / name
        path.write_text(path.read_text(encoding="utf-8").replace("cancer", "cancre", 1), encoding="utf-8")
    return edit


def _untype_references(*documents: int):
    def edit(folder: Path) -> None:
        import re

        path = folder / TTL
        text = path.read_text(encoding="utf-8")
        for number in documents:
            text, count = re.subn(rf"(bmr:reference-00000{number}-\d+) a bm:Reference ;\n\t", r"\1 ", text)
            assert count
        path.write_text(text, encoding="utf-8")
    return edit


def _second_copy(folder: Path) -> None:
    shutil.copy(folder / "synthetic-sources" / "doc-000001.txt", folder / "synthetic-sources" / "zz.txt")
    _append('bmr:doc-synthetic-000001 bm:localCopy "synthetic-sources/zz.txt" .')(folder)


def _nothing(folder: Path) -> None:
    pass


EDITS = {
    # what an entity says of a page's node belongs to the entity's results
    "an entity links to a page's section": (_nothing, _append("bmr:bone-metastasis bm:hasAdvice bmr:section-000001-overview .")),
    "a cancer spreads to a page's section": (_nothing, _append("bmr:cancer bm:metastasizesTo bmr:section-000001-overview .")),
    "an entity loses its type": (_nothing, _replace("bmr:bone a bm:AnatomicalSite ;\n\t", "bmr:bone ")),
    # a page's record or reference typed as an entity too stays the page's
    "a fact record typed as advice": (_nothing, _append(f"{FACT} a bm:Advice .")),
    "a reference typed as advice": (_nothing, _append("bmr:reference-000001-1 a bm:Advice .")),
    # an unknown term is reported once in the whole graph, on its first subject
    "an unknown property on a page and an entity": (_nothing, _append('bmr:doc-synthetic-000001 bm:fooBar "x" . bmr:bone bm:fooBar "y" .')),
    "an unknown property on two pages, one edited": (
        _append('bmr:doc-synthetic-000001 bm:fooBar "x" . bmr:doc-synthetic-000003 bm:fooBar "y" .'),
        _append('bmr:doc-synthetic-000001 bm:lastReviewed "2021-06-13"^^<http://www.w3.org/2001/XMLSchema#date> .')),
    # a property with two values is read the same whatever the order of the triples
    "a second date as shown": (_nothing, _append('bmr:doc-synthetic-000002 bm:dateAsShown "Jun 11, 2016" .')),
    "a second unit read": (_nothing, _append(f"{FACT} bm:readsUnit bmr:unit-synthetic-000001-002 .")),
    # the class hierarchy the data declares reaches every unit
    "a subclass chain in the data": (_nothing, _append("bm:DocumentSection rdfs:subClassOf bmr:X . bmr:X rdfs:subClassOf bm:Advice .")),
    # findings that tie on node and value keep one order
    "three references seen from a unit": (_nothing, _append(
        "bmr:unit-synthetic-000001-001 rdfs:seeAlso bmr:reference-000001-1, bmr:reference-000001-2, bmr:reference-000001-3 .")),
    # a text read by a unit is in its key, however the page is typed or copied
    "a second local copy, edited": (_second_copy, _text("zz.txt")),
    "an untyped page, its text edited": (
        _replace("bmr:doc-synthetic-000004 bm:hasUnit bmr:unit-synthetic-000004-025 ;\n\ta bm:SourceDocument ;",
                 "bmr:doc-synthetic-000004 bm:hasUnit bmr:unit-synthetic-000004-025 ;"),
        _text("doc-000004.txt")),
    "a page typed as advice, its text edited": (_append("bmr:doc-synthetic-000004 a bm:Advice ."), _text("doc-000004.txt")),
    # a shape that selects nothing anywhere is reported, whatever was validated beside a page
    "references untyped on one page, then on the others": (_untype_references(4), _untype_references(1, 2, 3)),
    # (a second trial) every value of a record's triple is read
    "a record with two objects": (_nothing, _append(
        "bmr:fact-cancer-metastasizes-to-bone rdf:object bmr:spine . bmr:cancer bm:metastasizesTo bmr:spine .")),
    # the class hierarchy reaches the shared unit too
    "an entity links to a node typed by a class of the data": (_nothing, _append(
        "bmr:MyClass rdfs:subClassOf bm:Advice . bmr:section-000001-overview a bmr:MyClass . "
        "bmr:bone-metastasis bm:hasAdvice bmr:section-000001-overview .")),
    # a record's triple may be asserted by the derived layer only
    "a page's curator link records a derived triple": (_nothing, _append(
        "bmr:link-x a bm:CuratorLink ; rdf:subject bmr:cancer-wunano ; rdf:predicate bm:metastasizesTo ; "
        "rdf:object bmr:spine ; bm:curatorAdded true ; "
        "bm:evidence <http://purl.obolibrary.org/obo/ECO_0000305> ; bm:seenIn \"x\" ; "
        "prov:hadPrimarySource bmr:doc-synthetic-000001 .")),
    # a node with a text of its own is a page, however it is typed
    "a page typed as advice only, linked to another page": (_nothing, lambda folder: (
        _replace("bmr:doc-synthetic-000004 bm:hasUnit bmr:unit-synthetic-000004-025 ;\n\ta bm:SourceDocument ;",
                 "bmr:doc-synthetic-000004 bm:hasUnit bmr:unit-synthetic-000004-025 ;\n\ta bm:Advice ;")(folder),
        _append("bmr:unit-synthetic-000004-001 rdfs:seeAlso bmr:section-000001-overview .")(folder))),
    # results of one path shape share one path node, as pySHACL writes them
    "two entities cite references of two pages": (
        _append('bmr:hubA a bm:Advice ; rdfs:label "hub a"@en ; bm:citesReference bmr:reference-000001-1 .'),
        _append('bmr:hubB a bm:Advice ; rdfs:label "hub b"@en ; bm:citesReference bmr:reference-000002-1 .')),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_across_pages_with_the_cache_warm_and_cold(name, corpus_folder, tmp_path, monkeypatch):
    base, edit = EDITS[name]
    folder = _copy(corpus_folder, tmp_path)
    base(folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "warm"))
    incremental.validate(_files(folder))
    edit(folder)
    assert_same(_files(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold"))
    assert_same(_files(folder))


def test_blank_nodes_give_the_same_report_but_for_their_names(corpus_folder, cache, tmp_path):
    """A unit with blank nodes is validated every time (their names change at every parse);
    its results are the whole validation's, the names of the blank nodes aside."""
    import re

    folder = _copy(corpus_folder, tmp_path)
    _append('bmr:doc-synthetic-000001 bm:citesReference [ a bm:Reference ; bm:citationText "x" ] .')(folder)

    def named(report) -> list:
        return sorted(re.sub(r"\b[0-9a-f]{16,}\b|_:\w+", "_:b", repr(f)) for f in report.findings)

    whole = validation.validate(_files(folder))
    first = incremental.validate(_files(folder))
    for report in cache.glob("report-*.json"):
        report.unlink()  # not the kept report: the units again
    stats: dict = {}
    again = incremental.validate(_files(folder), stats=stats)
    assert named(first) == named(whole) == named(again) != []
    assert stats["validated"] >= 1  # the unit with the blank node, every time


def test_a_malformed_cache_entry_is_validated_again(corpus_folder, cache):
    files = _files(corpus_folder)
    incremental.validate(files)
    for number, entry_file in enumerate(entries(cache)):
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        entry["findings" if number % 2 else "unfocused"] = [["x"]] if number % 2 else None
        entry_file.write_text(json.dumps(entry), encoding="utf-8")
    for report in cache.glob("report-*.json"):
        report.unlink()
    stats: dict = {}
    assert_same(files, stats)
    assert stats["validated"] == stats["units"]
