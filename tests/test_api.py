"""A Python user can do everything without the command line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import bonemet
from conftest import FIXTURES

SRC = Path(bonemet.__file__).parent


def test_load_validate_ask_export(tmp_path):
    graph = bonemet.load_graph()
    assert len(graph) > 0
    report = bonemet.validate(graph=graph)
    assert report.conforms
    answer = bonemet.ask(FIXTURES.joinpath("cli", "with-parameter.rq").as_posix(), graph=graph, bind={"entity": URIRef("https://w3id.org/bonemet/vocab#Fact")})
    assert [row["entity"] for row in answer.rows] == [URIRef("https://w3id.org/bonemet/vocab#Fact")]
    assert answer.rows[0]["label"] == graph.value(answer.rows[0]["entity"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    target = tmp_path / "g.ttl"
    text = bonemet.export(graph, "turtle", target)
    assert target.read_text(encoding="utf-8") == text
    assert len(Graph().parse(target)) == len(graph)


def test_bind_from_text_is_parsed_to_a_term():
    answer = bonemet.ask(str(FIXTURES / "cli" / "with-parameter.rq"), bind={"entity": "bm:Fact"})
    assert {row["entity"] for row in answer.rows} == {URIRef("https://w3id.org/bonemet/vocab#Fact")}


def test_errors_are_exceptions_not_exits():
    with pytest.raises(bonemet.QueryError) as caught:
        bonemet.ask("no-such-question")
    assert "bonemet query --list" in str(caught.value)
    with pytest.raises(bonemet.InputError):
        bonemet.load_files([FIXTURES / "cli" / "malformed.ttl"])


def _calls(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.add(f"{func.value.id}.{func.attr}")
    return names


@pytest.mark.parametrize("module", sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if p.name not in ("cli.py", "__main__.py")))
def test_only_the_command_line_prints_or_exits(module):
    calls = _calls(SRC / module)
    assert not calls & {"print", "sys.exit", "exit", "quit", "os._exit"}, module
    assert "SystemExit" not in (SRC / module).read_text()


@pytest.mark.parametrize("module", sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if p.name != "paths.py"))
def test_only_paths_knows_where_files_live(module):
    text = (SRC / module).read_text()
    assert "__file__" not in text, module
    # no path is built to the graph's folders outside paths.py
    assert not re.search(r'/\s*"(ontology|data|queries)"|"(ontology|data|queries)/', text), module


def test_importing_the_library_runs_nothing_costly():
    import subprocess
    import sys

    probe = "import sys, bonemet; print('pyshacl' in sys.modules, 'pyoxigraph' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_ask_takes_sparql_text_and_query_is_its_short_form():
    # read from the page: seven cancers are named (breast, prostate, kidney, lung,
    # lymphoma, multiple myeloma, thyroid), each a bm:CancerType
    by_text = bonemet.ask(sparql="SELECT ?c WHERE { ?c a bm:CancerType }")
    assert len(by_text.rows) == 7
    assert bonemet.query("SELECT ?c WHERE { ?c a bm:CancerType }").rows == by_text.rows
    with pytest.raises(bonemet.UsageError):
        bonemet.ask("signs-and-symptoms", sparql="SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(bonemet.UsageError):
        bonemet.ask()


def test_export_takes_every_format_of_the_command_line_and_makes_its_folder(tmp_path):
    graph = bonemet.load_graph()
    assert set(bonemet.ALL_EXPORT_FORMATS) >= {"turtle", "ntriples", "jsonld", "rdfxml", "trig", "schemaorg", "kgx", "kgx-jsonl", "void"}
    for fmt in bonemet.ALL_EXPORT_FORMATS:
        target = tmp_path / "out" / fmt / ("files" if fmt.startswith("kgx") else "graph")
        result = bonemet.export(graph, fmt, target)
        if fmt.startswith("kgx"):
            assert isinstance(result, dict) and sorted(p.name for p in target.iterdir()) == sorted(result)
        else:
            assert target.read_text(encoding="utf-8") == result
    # the README's own example: out/ does not exist beforehand
    readme_target = tmp_path / "out" / "bonemet.ttl"
    assert bonemet.export(graph, "turtle", readme_target) == readme_target.read_text(encoding="utf-8")


def test_answer_and_report_say_what_they_hold():
    assert "rows" in bonemet.Answer.__doc__ and "conforms" in bonemet.Report.__doc__


def test_a_variable_outside_the_projection_can_be_bound_on_every_engine(cli):
    text = "SELECT ?s WHERE { ?s rdfs:label ?l }"
    fast = cli("query", "--sparql", text, "--bind", 'l="bone pain"@en', "--format", "csv")
    plain = cli("query", "--sparql", text, "--bind", 'l="bone pain"@en', "--format", "csv", "--engine", "rdflib")
    assert fast.code == plain.code == 0, fast.err
    assert fast.out == plain.out == "s\r\nhttps://w3id.org/bonemet/id/bone-pain\r\n"


def test_a_curie_that_names_nothing_is_warned_about_with_the_closest(cli):
    outcome = cli("query", "evidence-for", "--bind", "entity=bmr:hypercalcaemia")
    assert outcome.code == 0
    assert outcome.err.strip() == "bonemet: warning: ?entity is bound to bmr:hypercalcaemia, which names nothing in the graph; did you mean bmr:hypercalcemia?"
    assert cli("query", "evidence-for", "--bind", "entity=bmr:hypercalcemia").err == ""
