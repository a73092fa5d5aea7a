"""Every command of the command line, on the shipped graph and on small fixtures."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

import bonemet
from bonemet import paths
from conftest import FIXTURES

COMMANDS = ["validate", "query", "export", "stats", "build"]


def test_version_names_the_package_version(cli):
    outcome = cli("--version")
    assert outcome.code == 0
    assert outcome.out.strip() == f"bonemet {bonemet.__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(cli, command):
    outcome = cli(command, "--help")
    assert outcome.code == 0
    assert "Example" in outcome.out
    assert f"bonemet {command}" in outcome.out
    assert "Exit codes" in outcome.out


def test_no_command_is_a_usage_error(cli):
    outcome = cli()
    assert outcome.code == 2
    assert outcome.err.startswith("bonemet: error: no command given")


def test_unknown_option_is_a_usage_error_in_the_house_form(cli):
    outcome = cli("stats", "--bogus")
    assert outcome.code == 2
    assert outcome.err.startswith("bonemet: error: unrecognized arguments: --bogus")
    assert "--help" in outcome.err


def test_validate_shipped_data_conforms(cli):
    outcome = cli("validate")
    assert outcome.code == 0, outcome.out
    assert outcome.out.startswith("CONFORMS")


def _shipped_and(*fixtures: str) -> list[str]:
    return [str(p) for p in paths.data_files()] + [str(FIXTURES / f) for f in fixtures]


def test_validate_exactly_the_named_files(cli):
    files = _shipped_and("valid/implied-fact-from-a-sentence.ttl")
    outcome = cli("validate", *files, "--format", "json")
    report = json.loads(outcome.out)
    assert outcome.code == 0, outcome.out
    assert report["conforms"] is True
    # the vocabulary and exactly these files: one more triple and record than the shipped graph
    assert report["triples"] == len(bonemet.load_files([paths.vocabulary_file(), *files]))
    assert report["triples"] > len(bonemet.load_graph(derived=False))


def test_validate_reports_a_violation_with_exit_1(cli):
    outcome = cli("validate", *_shipped_and("invalid/fact-without-quote.ttl"))
    assert outcome.code == 1
    # written before grounding, the fixture's record names no unit either: two violations
    assert outcome.out.startswith("DOES NOT CONFORM: 2 violations,")
    assert "Violation of https://w3id.org/bonemet/shapes#FactShape-quote (1):" in outcome.out
    assert "<https://w3id.org/bonemet/id/fact-metastasis-has-location-bone> bm:quote" in outcome.out
    assert "Add the sentence or list item that states the fact." in outcome.out


def test_validate_a_warning_fails_only_when_strict(cli):
    files = _shipped_and("invalid/sign-without-cross-link.ttl")
    assert cli("validate", *files).code == 0
    strict = cli("validate", *files, "--strict")
    assert strict.code == 1
    assert strict.out.startswith("DOES NOT CONFORM (strict: warnings fail): 0 violations, 1 warning")


def test_validate_json_and_turtle_reports_are_data(cli):
    failing = _shipped_and("invalid/fact-without-quote.ttl")
    as_json = json.loads(cli("validate", *failing, "--format", "json").out)
    assert as_json["conforms"] is False
    assert [r["path"] for r in as_json["results"]] == ["bm:quote", "bm:readsUnit"]
    assert as_json["results"][0]["shape"].endswith("FactShape-quote")
    as_turtle = Graph().parse(data=cli("validate", *failing, "--format", "turtle").out, format="turtle")
    shapes = {str(o) for o in as_turtle.objects(None, URIRef("http://www.w3.org/ns/shacl#sourceShape"))}
    assert shapes == {"https://w3id.org/bonemet/shapes#FactShape-quote", "https://w3id.org/bonemet/shapes#FactShape-unit"}
    assert Literal(False) in set(as_turtle.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms")))
    assert Literal(False) in set(as_turtle.objects(None, URIRef("https://w3id.org/bonemet/vocab#accepted")))


def test_turtle_report_says_conforms_false_whenever_there_is_a_result(cli):
    # a Warning alone: bonemet accepts the data, but the W3C report still has a result
    warned = cli("validate", *_shipped_and("invalid/sign-without-cross-link.ttl"), "--format", "turtle")
    assert warned.code == 0
    report = Graph().parse(data=warned.out, format="turtle")
    assert set(report.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms"))) == {Literal(False)}
    assert set(report.objects(None, URIRef("https://w3id.org/bonemet/vocab#accepted"))) == {Literal(True)}
    clean = Graph().parse(data=cli("validate", "--format", "turtle").out, format="turtle")
    assert set(clean.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms"))) == {Literal(True)}


def test_query_list_names_every_question_with_its_question(cli):
    outcome = cli("query", "--list")
    assert outcome.code == 0
    lines = dict(line.split("\t") for line in outcome.out.strip().splitlines())
    assert "source-last-reviewed" in lines
    assert lines["source-last-reviewed"] == "When was the source last reviewed?"


SELECT_TYPES = "SELECT ?class ?label WHERE { VALUES ?class { bm:Fact bm:SourceDocument } ?class rdfs:label ?label } ORDER BY ?class"


def test_query_select_as_table(cli):
    outcome = cli("query", "--sparql", SELECT_TYPES)
    assert outcome.code == 0
    lines = outcome.out.splitlines()
    assert lines[0].split() == ["?class", "?label"]
    assert lines[2].startswith("bm:Fact")
    assert lines[-1] == "(2 rows)"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_query_select_in_w3c_formats_parses_back(cli, fmt):
    outcome = cli("query", "--sparql", SELECT_TYPES, "--format", fmt)
    assert outcome.code == 0
    parsed = Result.parse(io.BytesIO(outcome.out.encode("utf-8")), format=fmt)
    classes = [str(row[0]) for row in parsed]
    assert classes == ["https://w3id.org/bonemet/vocab#Fact", "https://w3id.org/bonemet/vocab#SourceDocument"]
    if fmt != "csv":  # CSV drops language tags by design; the others keep them
        assert all(isinstance(row[1], Literal) and row[1].language == "en" for row in parsed)


def test_csv_uses_crlf_and_plain_values(cli):
    outcome = cli("query", "--sparql", SELECT_TYPES, "--format", "csv")
    rows = list(csv.reader(io.StringIO(outcome.out, newline="")))
    assert rows[0] == ["class", "label"]
    assert outcome.out.count("\r\n") == 3


@pytest.mark.parametrize("fmt, expected", [("table", "yes\n"), ("json", '"boolean": true')])
def test_query_ask(cli, fmt, expected):
    outcome = cli("query", "--sparql", "ASK { bm:Fact a owl:Class }", "--format", fmt)
    assert outcome.code == 0
    assert expected in outcome.out


def test_query_ask_false_in_xml(cli):
    outcome = cli("query", "--sparql", "ASK { bm:NoSuchThing a owl:Class }", "--format", "xml")
    assert Result.parse(io.BytesIO(outcome.out.encode()), format="xml").askAnswer is False


def test_query_construct_gives_turtle(cli):
    outcome = cli("query", "--sparql", "CONSTRUCT { ?c a owl:Class } WHERE { ?c a owl:Class . FILTER(?c = bm:Fact) }")
    assert outcome.code == 0
    graph = Graph().parse(data=outcome.out, format="turtle")
    assert set(graph) == {(URIRef("https://w3id.org/bonemet/vocab#Fact"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("http://www.w3.org/2002/07/owl#Class"))}
    assert "@prefix bm:" in outcome.out


def test_query_describe_gives_the_resource(cli):
    outcome = cli("query", "--sparql", "DESCRIBE bm:Fact", "--format", "ntriples")
    assert outcome.code == 0
    assert "<https://w3id.org/bonemet/vocab#Fact> <http://www.w3.org/2000/01/rdf-schema#label>" in outcome.out


def test_query_file_with_bound_parameter(cli):
    outcome = cli("query", str(FIXTURES / "cli" / "with-parameter.rq"), "--bind", "entity=bm:Fact", "--format", "csv")
    assert outcome.code == 0
    rows = list(csv.DictReader(io.StringIO(outcome.out)))
    assert {row["entity"] for row in rows} == {"https://w3id.org/bonemet/vocab#Fact"}


def test_bound_value_is_a_term_not_query_text(cli):
    # A value that would change the query if it were pasted into it is only ever a literal.
    # As bare text it is a plain literal that matches nothing ...
    injection = 'x } ?s ?p ?o { y'
    outcome = cli("query", str(FIXTURES / "cli" / "with-parameter.rq"), "--bind", "entity=bm:Fact", "--bind", f"label={injection}", "--format", "csv")
    assert outcome.code == 0, outcome.err
    assert outcome.out == "entity,label\r\n"
    # ... and in quotes it is not a Turtle literal at all, so it is refused in one line.
    quoted = '"x" } ?s ?p ?o { "'
    outcome = cli("query", str(FIXTURES / "cli" / "with-parameter.rq"), "--bind", "entity=bm:Fact", "--bind", f"label={quoted}", "--format", "csv")
    assert outcome.code == 2 and outcome.out == ""
    assert "not a valid Turtle literal" in outcome.err and outcome.err.count("\n") == 1


def test_a_declared_parameter_must_be_given(cli):
    outcome = cli("query", str(FIXTURES / "cli" / "with-parameter.rq"))
    assert outcome.code == 2
    assert "needs a value for ?entity" in outcome.err and "--bind" in outcome.err


def test_graph_results_refuse_select_formats(cli):
    outcome = cli("query", "--sparql", "CONSTRUCT WHERE { bm:Fact a ?t }", "--format", "csv")
    assert outcome.code == 2
    assert "returns a graph" in outcome.err


def test_ask_refuses_csv(cli):
    outcome = cli("query", "--sparql", "ASK { ?s ?p ?o }", "--format", "csv")
    assert outcome.code == 2
    assert "ASK" in outcome.err


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_export_to_stdout_parses_back_to_the_same_graph(cli, fmt, parser):
    from rdflib.compare import isomorphic

    outcome = cli("export", "--format", fmt)
    assert outcome.code == 0
    assert isomorphic(Graph().parse(data=outcome.out, format=parser), bonemet.load_graph())


def test_export_to_a_file(cli, tmp_path):
    target = tmp_path / "graph.nt"
    outcome = cli("export", "--format", "ntriples", "-o", str(target))
    assert outcome.code == 0
    assert outcome.out == ""
    assert len(target.read_text().splitlines()) == len(bonemet.load_graph())


def test_stats_counts_triples_classes_and_sections(cli):
    outcome = cli("stats")
    assert outcome.code == 0
    graph = bonemet.load_graph()
    assert f"triples   {len(graph)}" in outcome.out
    assert "entities per class:" in outcome.out
    assert "facts per section of the source:" in outcome.out


def test_build_writes_every_export_and_a_summary(cli, tmp_path):
    outcome = cli("build", "--output", str(tmp_path))
    written = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert "bonemet.ttl" in written and "bonemet.void.ttl" in written
    assert f"files       {len(written)} written" in outcome.out
    site = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert (tmp_path / "site" / "index.html") in site
    assert f"site        {len(site)} files in {tmp_path / 'site'}/" in outcome.out
    assert "validation  conforms" in outcome.out
    assert outcome.code == 0, outcome.out


def test_build_into_an_unwritable_place(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    outcome = cli("build", "--output", str(blocker / "build"))
    assert outcome.code == 2
    assert outcome.err.startswith(f"bonemet: error: cannot create the folder {blocker / 'build'}")
