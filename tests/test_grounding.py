"""Grounding: cue words found as the page's words, one text read from the data's own
folder, reports that cannot rewrite the terminal, inputs that are regular files."""

from __future__ import annotations

import os
import shutil

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from bonemet import paths
from bonemet.checks.closed import escape
from bonemet.checks.grounding import cues, occurrences
from bonemet.checks.report import render_report
from bonemet.checks.validation import validate
from bonemet.graph import load_vocabulary
from bonemet.namespaces import BM
from conftest import FIXTURES, assert_clean_error

CUES = cues(load_vocabulary())


def _found(text: str) -> list[str]:
    return [cue.words for _s, _e, cue in occurrences(text, CUES)]


def test_every_cue_the_issue_names_is_a_hidden_label_of_a_qualifier_value():
    vocabulary = load_vocabulary()
    listed = {str(label).lower() for value in vocabulary.subjects(RDF.type, BM.QualifierValue) for label in vocabulary.objects(value, SKOS.hiddenLabel)}
    wanted = {"can", "may", "sometimes", "more commonly", "particularly likely", "most likely", "nearly all", "virtually any",
              "with rare exceptions", "including", "include", "when it does occur", "not", "n't", "no", "never"}
    assert wanted <= listed, wanted - listed


@pytest.mark.parametrize("text, expected", [
    # read from the page: "can't" negates, it is not the hedge "can"
    ("With rare exceptions, cancer that has spread to the bones can't be cured.", ["with rare exceptions", "n't"]),
    ("Doctors aren't sure what causes some cancers to spread.", ["n't"]),
    # the longer cue wins where two overlap: "virtually any" is not also "any"
    ("Virtually any type of cancer can spread to the bones, but the cancers most likely to cause bone metastasis include:",
     ["virtually any", "can", "most likely", "include"]),
    ("But some types of cancer are particularly likely to spread to bone, including breast cancer and prostate cancer.",
     ["particularly likely", "including"]),
    # words that merely contain a cue are not cues: cancer, many, commonly, known
    ("Many cancers are commonly known.", []),
    ("Bone metastasis can occur in any bone but more commonly occurs in the spine, pelvis and thigh.", ["can", "any", "more commonly"]),
])
def test_cues_are_found_as_whole_words(text, expected):
    assert _found(text) == expected


def test_a_copy_of_the_data_with_an_edited_page_fails(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    page = copy / "source" / "bone-metastasis.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("can't be cured", "can be cured"), encoding="utf-8")
    report = validate(sorted(copy.glob("*.ttl")))
    fired = {f.shape.rsplit("#", 1)[-1] for f in report.findings if f.severity == "Violation"}
    assert not report.conforms
    # the copy's own page was read, not the shipped one: its checksum and its units fail
    assert {"SourceChecksumShape", "UnitSelectorShape"} <= fired


def test_a_copy_of_the_data_without_its_page_is_not_read_from_the_package(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    shutil.rmtree(copy / "source")
    report = validate(sorted(copy.glob("*.ttl")))
    assert "https://w3id.org/bonemet/shapes#SourceDocumentShape-text" in {f.shape for f in report.findings}


def test_reports_escape_control_characters(cli):
    fixture = FIXTURES / "invalid" / "control-character-in-label.ttl"
    files = [*map(str, paths.data_files()), str(fixture)]
    for fmt in ("text", "json", "turtle"):
        outcome = cli("validate", *files, "--format", fmt)
        assert outcome.code == 1
        assert "\x1b" not in outcome.out, fmt
    report = validate([*paths.data_files(), fixture])
    assert "\x1b" not in render_report(report, "text")
    assert escape("a\x1bb\tc\n") == "a\\u001bb\tc\n"


def test_a_label_with_escape_codes_is_printed_escaped():
    # the fixture's offending label is not a message of ours: the node's own label is
    from bonemet.checks.validation import Finding, Report

    finding = Finding("Violation", "https://w3id.org/bonemet/shapes#X", "https://w3id.org/bonemet/id/x",
                      "evil\x1b[2J\x1b[HCONFORMS", None, None, "a message", "component")
    text = render_report(Report([finding]), "text")
    assert "\x1b" not in text and "\\u001b[2J" in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_not_read_twice(cli, tmp_path):
    fifo = tmp_path / "facts.ttl"
    os.mkfifo(fifo)
    assert_clean_error(cli("validate", str(fifo)), "not a regular file")


def test_the_shipped_units_cover_the_page_in_order():
    report = validate()
    assert report.conforms
    from bonemet.graph import load_graph

    graph = load_graph()
    document = URIRef("https://w3id.org/bonemet/id/doc-bone-metastasis")
    # read from the page: 16 sentences and 13 list items (6 signs, 7 cancers)
    units = list(graph.objects(document, BM.hasUnit))
    assert len(units) == 29
    assert len(list(graph.subjects(RDF.type, BM.ListItem))) == 13
