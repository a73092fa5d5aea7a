"""The named questions: each answers as its expected file says (written by reading the
source), the same on rdflib and on Oxigraph, with every project IRI defined."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from bonemet import paths
from bonemet.sparql import catalogue
from bonemet.derivation import add_to_store
from bonemet.store import store_from_files
from bonemet.sparql import binding
from bonemet.errors import QueryError
from bonemet.graph import load_graph
from bonemet.namespaces import BM, BMR
from bonemet.sparql.questions import ask, check
from bonemet.sparql.results import compare, describe_row

QUESTIONS = catalogue.questions()
REQUIRED = {
    "cancers-most-likely-to-spread-to-bone": ["cancer", "label"],
    "cancers-particularly-likely-to-spread-to-bone": ["cancer", "label"],
    "more-common-bone-sites": ["site", "label"],
    "signs-and-symptoms": ["symptom", "label"],
    "hypercalcemia-effects": ["effect", "label"],
    "all-symptoms": ["symptom", "label", "via"],
    "other-metastasis-sites": ["site", "label"],
    "treatment-goals": ["goal", "label"],
    "prognosis": ["statement", "qualifier"],
    "presentation-timing": ["timing", "label"],
    "mechanism-steps": ["step", "order", "label"],
    "open-questions": ["question", "label"],
    "when-to-see-a-doctor": ["advice", "condition"],
    "references": ["reference", "citation"],
    "source-last-reviewed": ["source", "date"],
    "evidence-for": ["fact", "quote", "section", "qualifier"],
    "facts-per-section": ["section", "facts"],
}


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def store():
    store = store_from_files([paths.vocabulary_file(), *paths.data_files()])
    add_to_store(store)  # the derived layer, as the command line adds it
    return store


def test_every_question_of_the_issue_is_shipped():
    assert set(REQUIRED) <= {q.name for q in QUESTIONS}


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in QUESTIONS])
def test_header_names_question_row_and_expected_file(question):
    assert question.question.endswith("?")
    assert question.row
    assert question.expected is not None and question.expected.exists()
    assert question.expected.stem == question.name
    assert "ORDER BY" in question.text


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in QUESTIONS])
def test_answer_equals_the_expected_file(question, graph):
    outcome = check(question, graph)
    assert outcome.error is None, outcome.error
    difference = outcome.difference
    report = ["rows missing:"] + [describe_row(r) for r in difference.missing] + ["rows extra:"] + [describe_row(r) for r in difference.extra]
    assert difference.same, "\n".join(report)


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in QUESTIONS])
def test_returns_at_least_the_required_variables(question, graph):
    answer = ask(question, graph=graph, bind=list(question.example))
    assert set(REQUIRED.get(question.name, [])) <= set(answer.variables)


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in QUESTIONS])
def test_same_rows_in_the_same_order_on_rdflib_and_oxigraph(question, graph, store):
    on_rdflib = ask(question, graph=graph, bind=list(question.example))
    on_oxigraph = ask(question, store=store, bind=list(question.example))
    assert on_rdflib.variables == on_oxigraph.variables
    assert compare(on_oxigraph, on_rdflib).same
    # ORDER BY is total, so the two engines agree on the order too
    assert on_rdflib.rows == on_oxigraph.rows


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in QUESTIONS])
def test_every_project_iri_in_the_query_is_defined(question, graph):
    iris = _iris(binding.parse_with_rdflib(question).algebra)
    for iri in iris:
        if iri.startswith(str(BM)):
            assert (iri, RDF.type, None) in graph, f"{iri} is not defined in the vocabulary"
        elif iri.startswith(str(BMR)):
            assert (iri, None, None) in graph, f"{iri} names no resource of the graph"


def _iris(node) -> set[URIRef]:
    from collections.abc import Mapping

    found, stack, seen = set(), [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, URIRef):
            found.add(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
    return found


def test_evidence_for_a_bound_entity(cli):
    outcome = cli("query", "evidence-for", "--bind", "entity=bmr:bone-pain", "--format", "csv")
    assert outcome.code == 0, outcome.err
    lines = outcome.out.strip().splitlines()
    assert lines[0] == "entity,fact,quote,section,qualifier"
    # read from the page: bone pain is stated once, as a list item of the symptoms section,
    # under the lead-in "When it does occur, signs and symptoms of bone metastasis include:"
    row = "https://w3id.org/bonemet/id/bone-pain,https://w3id.org/bonemet/id/fact-bone-metastasis-has-sign-or-symptom-bone-pain,Bone pain,https://w3id.org/bonemet/id/section-symptoms,"
    assert lines[1:] == [row + "When it does occur", row + "include"]


def test_evidence_for_with_a_full_iri(cli):
    outcome = cli("query", "evidence-for", "--bind", "entity=<https://w3id.org/bonemet/id/liver>", "--format", "tsv")
    assert outcome.code == 0
    assert "metastasis-has-location-liver" in outcome.out


def test_evidence_for_refuses_a_value_that_is_not_an_iri(cli):
    outcome = cli("query", "evidence-for", "--bind", "entity=bone pain")
    assert outcome.code == 2
    assert outcome.err.startswith("bonemet: error: --bind entity=bone pain: ?entity takes an IRI")


def test_build_reports_each_question(cli, tmp_path):
    outcome = cli("build", "--output", str(tmp_path))
    for question in QUESTIONS:
        assert f"  ok   {question.name}\n" in outcome.out
    assert f"questions   {len(QUESTIONS)} of {len(QUESTIONS)} passed" in outcome.out


def test_a_wrong_expected_answer_is_reported_with_its_rows(tmp_path, graph):
    import shutil

    from bonemet.sparql.catalogue import read_question

    source = catalogue.named("treatment-goals")
    shutil.copy(source.path, tmp_path / "treatment-goals.rq")
    expected = source.expected.read_text().replace("reduce pain", "reduce swelling")
    (tmp_path / "treatment-goals.srj").write_text(expected)
    outcome = check(read_question(tmp_path / "treatment-goals.rq"), graph)
    assert not outcome.passed
    assert [str(r["label"]) for r in outcome.difference.missing] == ["reduce swelling"]
    assert [str(r["label"]) for r in outcome.difference.extra] == ["reduce pain"]


def test_the_old_name_of_more_common_bone_sites_still_works_with_a_note(cli):
    old = cli("query", "most-common-bone-sites", "--format", "csv")
    new = cli("query", "more-common-bone-sites", "--format", "csv")
    assert old.code == new.code == 0
    assert old.out == new.out
    # read from the page: "more commonly occurs in the spine, pelvis and thigh"
    assert {line.split(",")[1] for line in new.out.strip().splitlines()[1:]} == {"spine", "pelvis", "thigh"}
    assert "now called more-common-bone-sites" in old.err and new.err == ""


def test_the_list_of_questions_follows_the_folder_within_one_process(tmp_path, monkeypatch):
    # names() keeps its listing while the folder is unchanged; a file added or removed
    # is seen on the next call
    monkeypatch.setattr(paths, "queries_dir", lambda: tmp_path)
    (tmp_path / "first.rq").write_text("# Question: one?\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert catalogue.names() == ["first"]
    (tmp_path / "second.rq").write_text("# Question: two?\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert catalogue.names() == ["first", "second"]
    (tmp_path / "first.rq").unlink()
    assert catalogue.names() == ["second"]


def test_a_question_read_once_is_still_refused_where_its_call_does_not_allow_service():
    question = catalogue.Question(name="<sparql>", path=paths.queries_dir() / "x.rq",
                                  text="SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert binding.prepare(question, allow_service=True).form == "SELECT"
    with pytest.raises(QueryError):
        binding.prepare(question)
    edited = question._replace(text="SELECT * WHERE { { { ?s ?p ?o } } }")
    assert binding.prepare(edited).form == "SELECT"
