"""The SHACL shapes: the shipped graph conforms; each broken fixture fires exactly
the shape it names; fixtures near the edge pass; mutated copies of the data fail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from bonemet import paths
from bonemet.graph import load_files, load_graph
from bonemet.namespaces import BM, BMR, OBO
from bonemet.checks.validation import check, load_shapes, validate
from conftest import FIXTURES

SHAPES_NS = "https://w3id.org/bonemet/shapes#"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))


def breaks(path: Path) -> str:
    match = re.match(r"# Breaks: (\S+)", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} must open with '# Breaks: <shape IRI>'"
    return match.group(1)


def also_breaks(path: Path) -> set[str]:
    """Shapes a fixture cannot help breaking besides its own, each on a '# Also breaks:' line
    (a fact record written before grounding names no unit; data about a vocabulary term is
    itself refused)."""
    return set(re.findall(r"^# Also breaks: (\S+)", path.read_text(encoding="utf-8"), flags=re.M))


def fired(report, severities=("Violation", "Warning")) -> set[str]:
    return {f.shape for f in report.findings if f.severity in severities}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def test_the_shipped_graph_conforms_even_strictly():
    report = validate(strict=True)
    assert report.conforms, [(f.shape, f.focus, f.message) for f in report.findings]
    assert not fired(report)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in INVALID])
def test_invalid_fixture_fires_exactly_its_shape(path, shapes):
    expected = breaks(path)
    assert URIRef(expected) in set(shapes.subjects()), f"{expected} is not a shape of ontology/shapes.ttl"
    report = validate([*paths.data_files(), path])
    assert fired(report) == {expected} | also_breaks(path)
    severity = {f.severity for f in report.findings if f.shape == expected}
    assert report.conforms is (severity == {"Warning"})
    report.strict = True  # the same findings judged under --strict: a Warning fails too
    assert not report.conforms


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in VALID])
def test_valid_fixture_near_the_edge_passes(path):
    report = validate([*paths.data_files(), path], strict=True)
    assert report.conforms, [(f.shape, f.focus, f.value, f.message) for f in report.findings]


def test_info_results_never_fail(shapes):
    report = validate([*paths.data_files(), FIXTURES / "valid" / "identifiers-at-the-limits.ttl"], strict=True)
    assert {f.shape for f in report.findings if f.severity == "Info"} == {SHAPES_NS + "CuratorLinkShape-seen"}
    assert report.conforms


def test_every_rule_of_the_issue_has_a_broken_fixture():
    covered = {breaks(p).removeprefix(SHAPES_NS).split("-")[0] for p in INVALID}
    assert covered >= {
        "TermShape", "VocabularyHeaderShape", "EntityShape", "LabelSpacingShape", "UniqueLabelShape",
        "RecordPerTripleShape", "RecordedTripleAssertedShape", "QuoteInSourceShape", "FactShape",
        "SectionOfSourceShape", "CrossLinkPredicateShape", "CrossLinkIdentifierShape", "CuratorMarkedShape",
        "MetastasizesToShape", "CausesShape", "AdviceShape", "ReferenceOnlyOnDocumentShape", "SourceChecksumShape",
    }


def test_every_property_shape_has_its_own_iri_severity_and_message(shapes):
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert property_shapes
    for shape in property_shapes:
        assert isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS)
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
        message = str(shapes.value(shape, SH.message))
        word = {SH.Violation: "MUST", SH.Warning: "SHOULD", SH.Info: "MAY"}[shapes.value(shape, SH.severity)]
        assert word in message, (shape, message)
    for constraint in shapes.objects(None, SH.sparql):
        word = {SH.Violation: "MUST", SH.Warning: "SHOULD", SH.Info: "MAY"}[shapes.value(constraint, SH.severity)]
        assert word in str(shapes.value(constraint, SH.message))


def test_the_shapes_are_valid_shacl(shapes):
    import pyshacl
    import pyshacl.assets

    shacl_shacl = Graph().parse(Path(pyshacl.assets.__path__[0]) / "shacl-shacl.ttl")
    conforms, _report, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl, inference="none")
    assert conforms, text


def test_a_shape_that_selects_nothing_is_a_violation():
    # the source record alone has no fact records: the fact shapes evaluate nothing
    report = validate([paths.data_dir() / "source.ttl"])
    assert not report.conforms
    empty = {f.shape for f in report.findings if f.component.endswith("ZeroFocusConstraintComponent")}
    assert SHAPES_NS + "FactShape" in empty
    assert SHAPES_NS + "SourceDocumentShape" not in empty


# --- mutation tests: copies of the shipped data with one thing broken --------------


def _mutated(change) -> Graph:
    graph = load_graph()
    change(graph)
    return graph


def _remove_label(graph: Graph) -> None:
    graph.remove((BMR["nausea"], RDFS.label, None))


def _alter_quote(graph: Graph) -> None:
    record = BMR["fact-bone-metastasis-causes-pain"]
    quote = str(graph.value(record, BM.quote))
    graph.set((record, BM.quote, Literal(quote.replace("pain", "paim", 1))))


def _malform_identifier(graph: Graph) -> None:
    for s, p, o in list(graph.triples((None, None, OBO["HP_0002018"]))):
        graph.remove((s, p, o))
        graph.add((s, p, OBO["HP_002018"]))


def _remove_record(graph: Graph) -> None:
    graph.remove((BMR["fact-hypercalcemia-causes-nausea"], None, None))


@pytest.mark.parametrize(
    "change, shape",
    [
        pytest.param(_remove_label, "EntityShape-label", id="label-removed"),
        pytest.param(_alter_quote, "QuoteInSourceShape", id="quote-altered-by-one-character"),
        pytest.param(_malform_identifier, "CrossLinkIdentifierShape-exact", id="identifier-malformed"),
        pytest.param(_remove_record, "RecordPerTripleShape", id="fact-record-removed"),
    ],
)
def test_mutated_copy_of_the_data_fails(change, shape, shapes):
    report = check(_mutated(change), shapes)
    assert not report.conforms
    assert SHAPES_NS + shape in fired(report)


def test_the_shipped_graph_is_not_changed_by_validation():
    graph = load_graph()
    before = len(graph)
    check(graph, load_shapes())
    assert len(graph) == before
    assert not list(graph.triples((None, BM.sourceText, None)))


# --- the whole-graph checks run on Oxigraph give what pySHACL itself would ----------

WHOLE_GRAPH_FIXTURES = [
    "label-not-unique-in-class", "triple-without-record", "triple-with-two-records", "record-not-asserted",
    "quote-altered", "fact-section-of-another-document", "crosslink-not-skos", "crosslink-unmarked",
    "reference-on-a-fact", "source-checksum-mismatch",
]


@pytest.mark.parametrize("name", WHOLE_GRAPH_FIXTURES)
def test_oxigraph_runs_the_sparql_constraints_as_pyshacl_would(name, shapes):
    import pyshacl

    from bonemet.checks.validation import _source_texts

    files = [paths.vocabulary_file(), *paths.data_files(), FIXTURES / "invalid" / f"{name}.ttl"]
    graph = load_files(files)
    # the grounding and closed-vocabulary passes read the text and the vocabulary, which
    # pySHACL does not: compare the results of the shapes it runs
    ours = {(f.shape, f.focus, f.value) for f in check(graph, shapes).findings
            if f.severity == "Violation" and not f.component.endswith("GroundingConstraintComponent")}
    for triple in _source_texts(graph, []):
        graph.add(triple)
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    theirs = set()
    for result in report.objects(None, SH.result):
        value = report.value(result, SH.value)
        theirs.add((str(report.value(result, SH.sourceShape)), str(report.value(result, SH.focusNode)),
                    None if value is None else (value.n3() if isinstance(value, Literal) else str(value))))
    assert ours == theirs
    assert ours
