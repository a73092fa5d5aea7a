"""Validation on Oxigraph (the default engine) gives the report of the rdflib path with pySHACL.

``validation.validate(files)`` loads Turtle and N-Triples files into Oxigraph alone: the
SHACL Core shapes run as queries (``checks/core.py``), and the closed-vocabulary,
grounding, derived-layer and zero-focus passes read the store through a ``StoreView``.
``engine="pyshacl"`` keeps the old path (one rdflib graph, pySHACL), which is the judge
here: on the shipped data, every fixture, the synthetic corpus and a sample of the
mutation harness, both engines must give the same findings (severity, shape, node, label,
path, value, message, component), the same count of triples checked and the same list of
shapes that selected nothing. Each comparison also checks which engine ran, so that a
fallback to the rdflib path cannot make it pass unseen.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from bonemet import paths
from bonemet.checks import closed, validation
from bonemet.errors import InputError
from bonemet.graph import load_files, load_vocabulary
from bonemet.namespaces import BM
from bonemet.store import store_from_graph
from bonemet.storeview import StoreView
from conftest import FIXTURES, assert_clean_error

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_FILES = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "valid").glob("*.ttl"))


@pytest.fixture
def engines(monkeypatch):
    """The SHACL engines each validation ran, in order."""
    ran: list[str] = []
    core_report, pyshacl_report = validation._core_report, validation._pyshacl_report

    def core(*args):
        ran.append("core")
        return core_report(*args)

    def pyshacl(*args):
        ran.append("pyshacl")
        return pyshacl_report(*args)

    monkeypatch.setattr(validation, "_core_report", core)
    monkeypatch.setattr(validation, "_pyshacl_report", pyshacl)
    return ran


def _rdflib_path(files) -> bool:
    """Whether the default engine hands ``files`` to the rdflib path: they hold a derived
    layer, or a term the store would not give back as written (see the tests below)."""
    import pyoxigraph

    from bonemet.storeview import Faithful

    graph = load_files(files)
    if (None, RDF.type, BM.Derivation) in graph:
        return True
    for path in [paths.vocabulary_file(), *files]:
        screen = Faithful()
        for _quad in screen(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE if str(path).endswith(".ttl") else pyoxigraph.RdfFormat.N_TRIPLES)):
            pass
        if not screen.kept:
            return True
    return False


def _both(files, engines, *, strict: bool = False):
    on_store = validation.validate(files, strict=strict)
    # data holding a derived layer of its own, or a literal the store would rewrite, is
    # checked on the rdflib path (see validation.validate)
    expected = "pyshacl" if files is not None and _rdflib_path(files) else "core"
    assert engines == [expected], "the default engine checked the files on Oxigraph"
    engines.clear()
    reference = validation.validate(files, strict=strict, engine="pyshacl")
    assert engines == ["pyshacl"]
    engines.clear()
    assert on_store.findings == reference.findings
    assert on_store.data_triples == reference.data_triples
    assert on_store.unfocused == reference.unfocused
    assert on_store.conforms == reference.conforms
    # the W3C reports too, nested results (sh:detail) and their messages included
    assert isomorphic(on_store.report_graph, reference.report_graph)
    return on_store, reference


def test_the_shipped_data(engines):
    on_store, reference = _both(None, engines)
    assert reference.conforms and reference.data_triples > 0


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_fixture(path, engines):
    # as the shapes' tests read them: beside the shipped data
    _on_store, reference = _both([*paths.data_files(), path], engines)
    if path.parent.name == "invalid":
        assert reference.findings, "an invalid fixture gives findings, so the comparison compares something"


def test_a_fixture_under_strict(engines):
    _both([FIXTURES / "invalid" / "altlabel-trailing-space.ttl"], engines, strict=True)


def _harness():
    name = "bonemet_mutants_harness"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "mutants.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_a_sample_of_the_mutation_harness(engines, tmp_path):
    harness = _harness()
    corpus = harness.load_corpus()
    sample = harness.generate(corpus, per_class=1, seed=5)
    assert len(sample) >= 10
    failing = 0
    for number, mutant in enumerate(sample):
        folder = corpus.write_copy(tmp_path / str(number), mutant)
        files = sorted(folder.glob("*.ttl"))
        try:
            _on_store, reference = _both(files, engines)
        except InputError:
            engines.clear()
            continue
        failing += not reference.conforms
    assert failing >= len(sample) // 2, "most mutants break a rule, so most comparisons hold findings"


def _corpus(tmp_path: Path, fmt: str) -> Path:
    spec = importlib.util.spec_from_file_location("bonemet_synthetic_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "data"
    module.generate(5000, out, seed=3, fmt=fmt)
    return out


@pytest.mark.parametrize("fmt", ["nt", "ttl"])
def test_the_synthetic_corpus_and_an_edit_of_it(fmt, engines, screened, tmp_path):
    folder = _corpus(tmp_path, fmt)
    files = sorted(folder.glob(f"*.{fmt}"))
    on_store, _reference = _both(files, engines)
    assert on_store.conforms
    if fmt == "nt":  # the N-Triples corpus names no blank node: the store loaded it whole while
        # a thread screened it (the vocabulary, which holds OWL lists, was parsed here; the
        # Turtle corpus has parentheses in its text, so it is parsed here too)
        assert screened == [path.resolve().as_uri() for path in files]
    screened.clear()
    # one quote changed, one label with a control character: findings from two passes
    text = files[0].read_text(encoding="utf-8")
    quote = str(BM.quote)
    start = text.index(quote if fmt == "nt" else "bm:quote")
    line_end = text.index("\n", start)
    first_quote = text.index('"', start)
    edited = text[:first_quote + 1] + "Altered " + text[first_quote + 1:line_end] + text[line_end:]
    label = text.index('"', text.index(str(RDFS.label) if fmt == "nt" else "rdfs:label"))
    edited = edited[:label + 1] + "\\u0007" + edited[label + 1:] if label < first_quote else edited
    files[0].write_text(edited, encoding="utf-8")
    on_store, reference = _both(files, engines)
    assert not reference.conforms


def test_the_passes_in_a_forked_process_give_the_same_report(engines, monkeypatch):
    # large graphs run grounding and the zero-focus shapes in a forked process; forced here
    # on a fixture with grounding findings
    monkeypatch.setattr(validation, "BESIDE_FROM", 0)
    forked = []
    start = validation._start_beside
    monkeypatch.setattr(validation, "_start_beside", lambda work: forked.append(start(work)) or forked[-1])
    _on_store, reference = _both([*paths.data_files(), FIXTURES / "invalid" / "mention-not-a-label.ttl"], engines)
    assert forked and forked[0] is not None
    assert any("MentionShape" in f.shape for f in reference.findings)


def test_a_forked_process_that_dies_leaves_the_passes_to_this_one(engines, monkeypatch):
    import os

    from bonemet.checks import grounding

    parent = os.getpid()
    check = grounding.check

    def dies_in_the_child(*args):
        if os.getpid() != parent:
            os._exit(9)
        return check(*args)

    monkeypatch.setattr(validation, "BESIDE_FROM", 0)
    monkeypatch.setattr(grounding, "check", dies_in_the_child)
    _both([*paths.data_files(), FIXTURES / "invalid" / "mention-not-a-label.ttl"], engines)


def test_a_blank_node_named_in_two_files_and_described_in_the_report(engines, tmp_path):
    # the same label in two files is one node on both engines (both parse as written), and
    # the report describes a blank focus node as pySHACL's does
    prefixes = ("@prefix bm: <https://w3id.org/bonemet/vocab#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
                " @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(prefixes + '_:s a bm:MechanismStep ; rdfs:label "step s"@en ; skos:definition "d"@en ; bm:stepOrder 4 ;'
                     ' bm:note [ rdfs:label "inner"@en ] .\n', encoding="utf-8")
    second.write_text(prefixes + "_:s bm:stepOrder 5 .\n", encoding="utf-8")
    _on_store, reference = _both([*paths.data_files(), first, second], engines)
    assert any("MaxCount" in f.component for f in reference.findings)


@pytest.fixture
def screened(monkeypatch):
    """The files (by base IRI) that each validation loaded with Oxigraph's own loader and
    screened in a thread beside it (storeview.Screening), rather than parsed in Python."""
    from bonemet import storeview

    seen: list[str] = []

    class Recorded(storeview.Screening):
        def __init__(self, files, **options):
            seen.extend(base for _data, _format, base in files)
            super().__init__(files, **options)

    monkeypatch.setattr(storeview, "Screening", Recorded)
    return seen


@pytest.mark.parametrize("blank", [False, True], ids=["loaded-whole", "parsed-here"])
@pytest.mark.parametrize("literal", [
    '" 4"^^xsd:integer', '"3"^^xsd:int', "10000000000000000000", '"3.0"^^xsd:decimal', '"2022-04-27Z"^^xsd:date',
    '"2022-04-27T24:00:00"^^xsd:dateTime', '"١"^^xsd:integer', '"-0"^^xsd:integer', '"0000"^^xsd:gYear'])
def test_a_literal_the_store_would_rewrite_takes_the_rdflib_path(literal, blank, engines, screened, tmp_path):
    # Oxigraph's store keeps these in its own form (or cannot compare them) where rdflib
    # reads them otherwise: such data is checked on the rdflib path, so the report is the
    # same. Both ways of loading a file screen it: a file without blank nodes is loaded by
    # the store itself and screened in a thread; one with a blank node is parsed here.
    data = tmp_path / "odd.ttl"
    note = ' ; bm:note [ rdfs:label "n"@en ]' if blank else ""
    data.write_text(
        "@prefix bm: <https://w3id.org/bonemet/vocab#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<https://w3id.org/bonemet/id/step-x> a bm:MechanismStep ; rdfs:label "step x"@en ; skos:definition "d"@en ; bm:stepOrder {literal}{note} .\n',
        encoding="utf-8")
    files = [*paths.data_files(), data]
    validation.validate(files)
    assert (data.resolve().as_uri() in screened) is not blank
    assert engines == ["pyshacl"], "the store would not give the literal back as rdflib reads it"


@pytest.mark.parametrize(("text", "turtle", "expected"), [
    ('<http://a> <http://b> "c" .', False, True),
    ('<http://a> <http://b> "[ (list) ]" .', False, True),  # brackets are no blank node in N-Triples
    ('_:a <http://b> "c" .', False, False),
    ('<http://a> <http://b> "a _:b in a literal" .', False, False),  # unsure, so parsed here
    ('<http://a> <http://b> "c" .', True, True),
    ('<http://a> <http://b> [ <http://c> "d" ] .', True, False),
    ('<http://a> <http://b> ( "c" ) .', True, False),
    ('<http://a> <http://b> "a (parenthesis)" .', True, False),  # unsure, so parsed here
])
def test_only_a_file_that_surely_names_no_blank_node_is_loaded_whole(text, turtle, expected):
    from bonemet.storeview import without_blank_nodes

    assert without_blank_nodes(text.encode(), turtle) is expected


@pytest.mark.parametrize("line", [
    '<https://w3id.org/bonemet/id/b> <http://www.w3.org/2000/01/rdf-schema#label> "y .',  # an open string
    '<https://w3id.org/bonemet/id/b c> <http://www.w3.org/2000/01/rdf-schema#label> "y"@en .',  # a space in an IRI
    '<https://w3id.org/bonemet/id/b> <http://www.w3.org/2000/01/rdf-schema#label> "y"@1-en .',  # a malformed tag
], ids=["string", "iri", "language-tag"])
def test_a_malformed_file_without_blank_nodes_is_refused_in_one_line(line, cli, screened, tmp_path):
    # the store loads such a file leniently, but the screening thread's parser refuses it,
    # and the rdflib path names the line
    data = tmp_path / "broken.nt"
    data.write_text('<https://w3id.org/bonemet/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n'
                    + line + "\n", encoding="utf-8")
    assert_clean_error(cli("validate", "--no-cache", str(data)), "broken.nt", "2")
    assert screened == [data.resolve().as_uri()]


def test_a_plain_literal_made_fast_is_the_literal_rdflib_makes():
    from bonemet.storeview import plain_literal

    for text in ["", "a quote", "ünïcode ✓", "\U0001F9B4 bone", "line\nbreak", "\ud800 lone surrogate", "12", "true"]:
        fast, slow = plain_literal(text), Literal(text)
        assert type(fast) is Literal
        assert (fast, fast.language, fast.datatype, fast.value, fast.ill_typed) == (slow, slow.language, slow.datatype, slow.value, slow.ill_typed)
        assert hash(fast) == hash(slow) and fast.eq(slow) and fast.n3() == slow.n3()


def test_a_file_with_a_triple_term_is_refused_in_one_line(cli, tmp_path):
    data = tmp_path / "star.ttl"
    data.write_text("<https://w3id.org/bonemet/id/a> <http://www.w3.org/2000/01/rdf-schema#label> \"x\"@en"
                    " {| <http://www.w3.org/2000/01/rdf-schema#label> \"y\"@en |} .\n", encoding="utf-8")
    assert_clean_error(cli("validate", "--no-cache", str(data)), "star.ttl")


def test_a_held_derived_layer_takes_the_rdflib_path(engines):
    # a file that holds derivation records is checked against the rules on an rdflib copy
    _report = validation.validate([FIXTURES / "invalid" / "hand-written-derivation.ttl"])
    assert engines == ["pyshacl"]


def test_the_command_line_chooses_the_engine(cli, engines):
    fixture = str(FIXTURES / "invalid" / "mention-not-a-label.ttl")
    files = [*map(str, paths.data_files()), fixture]
    on_store = cli("validate", "--no-cache", *files)
    assert engines == ["core"]
    engines.clear()
    reference = cli("validate", "--no-cache", "--engine", "pyshacl", *files)
    assert engines == ["pyshacl"]
    assert on_store.code == reference.code == 1
    assert on_store.out == reference.out and "MentionShape" in on_store.out
    # the engine is that of the whole validation: asked of the page-by-page run, it says so
    assert_clean_error(cli("validate", "--engine", "pyshacl", *files), "--engine", "--no-cache")


def test_an_unknown_engine_is_refused():
    with pytest.raises(InputError, match="engine"):
        validation.validate(None, engine="jena")


def test_the_default_engine_imports_neither_pyshacl_nor_builds_an_rdflib_graph_of_the_data():
    probe = (
        "import sys, rdflib\n"
        "built = []\n"
        "original = rdflib.Graph.__init__\n"
        "def counting(self, *a, **k):\n"
        "    built.append(self)\n"
        "    original(self, *a, **k)\n"
        "rdflib.Graph.__init__ = counting\n"
        "from bonemet.checks import validation\n"
        "report = validation.validate()\n"
        "largest = max(len(g) for g in built)\n"
        "print(report.conforms, 'pyshacl' in sys.modules, largest, report.data_triples)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    conforms, pyshacl_loaded, largest, checked = out
    assert conforms == "True"
    assert pyshacl_loaded == "False"
    # the largest rdflib graph built is the vocabulary, the shapes or the report: far fewer
    # triples than were checked
    assert int(largest) < int(checked) * 2 // 3


# --- every constraint speaks in its own words ------------------------------------------------------

#: parameters of a shape that are no constraint of its own
_NOT_CONSTRAINTS = {"property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "path",
                    "severity", "message", "name", "description", "deactivated", "order", "group", "sparql"}


def shapes_without_message(shapes: Graph) -> list:
    """The shapes with a constraint of their own (not only property shapes) and no sh:message.
    pySHACL words a message of its own for their results and checks/core.py none, so the
    two engines' reports would differ; every shape bonemet ships has one."""
    from rdflib.namespace import SH

    nodes = {*shapes.subjects(RDF.type, SH.NodeShape), *shapes.subjects(RDF.type, SH.PropertyShape),
             *shapes.objects(None, SH.property), *shapes.objects(None, SH.node)}
    return sorted(
        (node for node in nodes
         if shapes.value(node, SH.message) is None
         and any(str(p).startswith(str(SH)) and str(p)[len(str(SH)):] not in _NOT_CONSTRAINTS for p in shapes.predicates(node))),
        key=str)


def test_every_shape_with_a_constraint_has_a_message():
    from rdflib.namespace import SH

    shapes = validation.load_shapes()
    assert shapes_without_message(shapes) == []
    # the check finds a shape that lost its message
    fact_shape = URIRef("https://w3id.org/bonemet/shapes#FactShape")
    shapes.remove((fact_shape, SH.message, None))
    assert shapes_without_message(shapes) == [fact_shape]


# --- the StoreView answers as an rdflib Graph does ------------------------------------------------


@pytest.fixture(scope="module")
def graph_and_view():
    graph = load_files([paths.vocabulary_file(), *paths.data_files()])
    graph.add((BNode("b1"), RDFS.label, Literal("a blank node's label", lang="en")))
    graph.add((URIRef("https://example.org/x"), BM.unitOrder, Literal("first", datatype=XSD.integer)))
    return graph, StoreView(store_from_graph(graph))


def test_the_view_reads_every_pattern_as_the_graph_does(graph_and_view):
    graph, view = graph_and_view
    assert len(view) == len(graph)
    assert set(view) == set(graph)
    subjects = sorted({s for s in graph.subjects()}, key=str)[::37]
    predicates = sorted(set(graph.predicates()), key=str)
    for subject in subjects:
        assert sorted(view.predicate_objects(subject)) == sorted(graph.predicate_objects(subject))
        assert sorted(view.predicates(subject)) == sorted(graph.predicates(subject))
        assert sorted(view.subject_predicates(subject)) == sorted(graph.subject_predicates(subject))
        for predicate in predicates[::5]:
            assert sorted(view.objects(subject, predicate)) == sorted(graph.objects(subject, predicate))
            assert ((subject, predicate, None) in view) == ((subject, predicate, None) in graph)
    for predicate in predicates:
        assert sorted(view.subject_objects(predicate)) == sorted(graph.subject_objects(predicate))
    for cls in (BM.Fact, BM.ContentUnit, RDFS.Class):
        assert sorted(view.subjects(RDF.type, cls)) == sorted(graph.subjects(RDF.type, cls))
    facts = sorted(graph.subjects(RDF.type, BM.Fact), key=str)
    assert view.value(facts[0], BM.quote) == graph.value(facts[0], BM.quote)
    assert view.value(facts[0], URIRef("https://example.org/none")) is None
    ill = next(view.objects(URIRef("https://example.org/x"), BM.unitOrder))
    assert ill.ill_typed and ill == next(graph.objects(URIRef("https://example.org/x"), BM.unitOrder))


def test_the_view_writes_to_its_store(graph_and_view):
    _graph, view = graph_and_view
    triple = (URIRef("https://example.org/new"), RDFS.label, Literal("new"))
    before = len(view)
    view.add(triple)
    assert triple in view and len(view) == before + 1
    view.remove(triple)
    assert triple not in view and len(view) == before


# --- the closed-vocabulary screen ------------------------------------------------------------------


def _problems(graph: Graph) -> set:
    vocabulary = load_vocabulary()
    on_graph = closed.check(graph, vocabulary)
    on_view = closed.check(StoreView(store_from_graph(graph)), vocabulary)
    as_set = lambda found: {(p.shape, p.focus, p.detail, p.value) for p in found}  # noqa: E731
    assert as_set(on_view) == as_set(on_graph)
    return as_set(on_graph)


def test_the_screen_keeps_every_triple_the_pass_reports_on():
    # each flaw below sits where the screen must look: a plain predicate (rdfs:label,
    # bm:unitOrder) with a flawed literal, a plain predicate on a vocabulary term, an
    # unknown class, and the plain triples around them it may skip
    unit = URIRef("https://w3id.org/bonemet/id/unit-x")
    graph = load_vocabulary()
    flawed = [
        (unit, RDFS.label, Literal("bell\x07here", lang="en")),
        (unit, BM.unitOrder, Literal("first", datatype=XSD.integer)),
        (BM.Fact, RDFS.label, Literal("a label on the vocabulary", lang="en")),
        (unit, RDF.type, URIRef("https://w3id.org/bonemet/vocab#NoSuchClass")),
        (unit, RDF.type, BM.ContentUnit),
        (unit, BM.unitOrder, Literal("3", datatype=XSD.integer)),
    ]
    for triple in flawed:
        graph.add(triple)
    found = _problems(graph)
    shapes = {shape.split("#")[-1] for shape, *_rest in found}
    assert {"ControlCharacterShape", "IllTypedLiteralShape", "VocabularyStatementShape", "ClosedVocabularyShape"} <= shapes


# --- the store kept to the end of the command ----------------------------------------------------


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_a_kept_store_holds_the_data_and_the_report_is_the_same(engine):
    # keep= hands the caller the store (and on the rdflib path the graph) instead of
    # freeing it; the store is as its files give it, and the report does not change
    files = [*paths.data_files(), FIXTURES / "invalid" / "control-character-in-label.ttl"]
    kept: list = []
    with_keep = validation.validate(files, engine=engine, keep=kept)
    without = validation.validate(files, engine=engine)
    assert with_keep.findings == without.findings and not with_keep.conforms
    # the data as its files give it: the store the passes read, or on the rdflib path the
    # graph pySHACL read (with the Oxigraph store of the whole-graph checks beside it)
    data = kept[0]
    assert isinstance(data, StoreView if engine == "oxigraph" else Graph) and len(kept) == (1 if engine == "oxigraph" else 2)
    assert len(data) == with_keep.data_triples  # the texts and the derived layer were taken out again


@pytest.mark.parametrize(("extra", "code"), [([], 0), ([FIXTURES / "invalid" / "control-character-in-label.ttl"], 1)],
                         ids=["conforms", "fails"])
def test_the_script_ends_without_freeing_the_store_yet_writes_all_and_exits_with_its_code(extra, code, tmp_path):
    # the installed script keeps the store and ends with os._exit: the whole report must
    # still reach a pipe, and the exit code must be the verdict's
    files = [str(f) for f in [*paths.data_files(), *extra]]
    probe = ("import sys; from bonemet import cli; from bonemet.checks import validation; "
             "held = validation.validate; "
             "validation.validate = lambda *a, **k: (print('kept' if k.get('keep') is not None else 'not kept', file=sys.stderr), held(*a, **k))[1]; "
             "sys.argv = ['bonemet', 'validate', '--no-cache', '--format', 'json', *sys.argv[1:]]; cli.run()")
    import json
    import os

    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # as a user's shell runs it
    done = subprocess.run([sys.executable, "-c", probe, *files], capture_output=True, text=True, timeout=300, env=buffered)

    report = json.loads(done.stdout)  # the whole document, flushed before the process ended
    assert done.returncode == code, done.stderr
    assert "kept" in done.stderr.splitlines() and "Traceback" not in done.stderr
    assert report["conforms"] is (code == 0)


# --- the closed-vocabulary picks made while loading ------------------------------------------------


def test_the_closed_vocabulary_picks_made_while_loading_are_the_stores_and_find_what_a_full_pass_finds(tmp_path):
    # a file the store loads itself (screened and picked in a thread) and one parsed here
    # (a blank node), each with flaws the pass reports and a triple stated twice: the picks
    # are those a pass over the loaded store makes, each once, and the problems found from
    # them are those of the full pass over an rdflib graph of the same files
    head = ("@prefix bm: <https://w3id.org/bonemet/vocab#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n")
    whole, here = tmp_path / "whole.ttl", tmp_path / "here.ttl"
    whole.write_text(head + '<https://w3id.org/bonemet/id/x> bm:noSuchProperty "a" ; rdfs:comment "said" ;\n'
                     '    rdfs:label "bell\\u0007here"@en ; a bm:NoSuchClass .\n'
                     'bm:Fact rdfs:label "a label on the vocabulary"@en .\n'
                     '<https://w3id.org/bonemet/id/x> bm:noSuchProperty "a" .\n', encoding="utf-8")
    here.write_text(head + '<https://w3id.org/bonemet/id/y> owl:sameAs <https://w3id.org/bonemet/id/x> ;'
                    ' bm:note [ rdfs:label "inner"@en ] ; rdfs:label "tab\\there"@en .\n', encoding="utf-8")
    files = [*paths.data_files(), whole, here]
    from bonemet.inputs import read_input

    loaded = validation._on_store([(path, read_input(path)) for path in [paths.vocabulary_file(), *files]])
    assert loaded is not None
    view, _roots, vocabulary, selection = loaded
    again = closed.Selection(vocabulary)
    for _quad in again(view.store.quads_for_pattern(None, None, None)):
        pass
    assert len(selection.picked) == len(set(selection.picked))  # the triple stated twice, once
    assert set(selection.picked) == set(again.picked)
    as_set = lambda found: {(p.shape, p.focus, p.detail, p.value) for p in found}  # noqa: E731
    picked = as_set(closed.check(view, vocabulary, selection=selection))
    assert picked == as_set(closed.check(load_files(files), load_vocabulary()))
    found = {shape.split("#")[-1] for shape, *_rest in picked}
    assert {"ClosedVocabularyShape", "CommentShape", "ControlCharacterShape", "VocabularyStatementShape", "SameAsShape"} <= found


# --- the whole-graph checks, taken by whichever process is free ----------------------------------


WHOLE_GRAPH_FIXTURES = [FIXTURES / "invalid" / name for name in
                        ("label-not-unique-in-class.ttl", "crosslink-not-skos.ttl", "triple-with-two-records.ttl", "quote-altered.ttl",
                          "record-not-asserted.ttl")]


def _whole_graph_runs(monkeypatch, tmp_path, *, wait_for: int, dies: bool = False) -> Path:
    """Record in a file the process that runs each whole-graph check; hold this process's
    Core shapes back until the forked one has taken ``wait_for`` checks (so that it takes
    them whatever the machine's speed); with ``dies``, the forked process dies in its
    first check, after taking it."""
    import os
    import time

    from bonemet.checks import wholegraph

    parent, record = os.getpid(), tmp_path / "ran.txt"
    record.write_text("", encoding="utf-8")
    solutions, core_report = wholegraph.solutions, validation._core_report

    def recorded(check, store, **options):
        with record.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {check.shape}\n")
        if dies and os.getpid() != parent:
            os._exit(9)
        return solutions(check, store, **options)

    def held_back(*args):
        deadline = time.monotonic() + 120
        while len(record.read_text(encoding="utf-8").splitlines()) < wait_for and time.monotonic() < deadline:
            time.sleep(0.05)
        return core_report(*args)

    monkeypatch.setattr(validation, "BESIDE_FROM", 0)
    monkeypatch.setattr(wholegraph, "solutions", recorded)
    monkeypatch.setattr(validation, "_core_report", held_back)
    return record


def _asserting_a_derived_triple(tmp_path) -> Path:
    """A file asserting, with no record, a triple the site rule derives from the shipped
    data: the whole-graph checks see its derivation record only once the layer is in."""
    stated = tmp_path / "stated.ttl"
    stated.write_text("<https://w3id.org/bonemet/id/prostate-cancer> <https://w3id.org/bonemet/vocab#metastasizesTo> "
                      "<https://w3id.org/bonemet/id/spine> .\n", encoding="utf-8")
    return stated


def test_the_forked_process_takes_the_whole_graph_checks_while_this_one_is_busy(engines, monkeypatch, tmp_path):
    import os

    from bonemet.checks import wholegraph

    count = len(wholegraph.split(validation.load_shapes())[1])
    stated = _asserting_a_derived_triple(tmp_path)
    record = _whole_graph_runs(monkeypatch, tmp_path, wait_for=count)
    on_store = validation.validate([*paths.data_files(), *WHOLE_GRAPH_FIXTURES, stated])
    runs = [line.split(" ", 1) for line in record.read_text(encoding="utf-8").splitlines()]
    # every check once, all in the forked process, on its copy with the texts and the layer
    assert len(runs) == count == len({shape for _pid, shape in runs})
    assert {pid for pid, _shape in runs} != {str(os.getpid())} and str(os.getpid()) not in {pid for pid, _s in runs}
    engines.clear()
    reference = validation.validate([*paths.data_files(), *WHOLE_GRAPH_FIXTURES, stated], engine="pyshacl")
    assert on_store.findings == reference.findings and isomorphic(on_store.report_graph, reference.report_graph)
    # the triple stated without a record has its derivation record: no "no record" result for it
    assert not any(f.shape.endswith("RecordPerTripleShape") and f.focus.endswith("prostate-cancer") for f in reference.findings)
    shapes = {f.shape.split("#")[-1] for f in reference.findings}
    assert {"UniqueLabelShape", "CrossLinkPredicateShape", "RecordPerTripleShape"} <= shapes


def test_a_check_taken_by_a_forked_process_that_died_is_run_here(engines, monkeypatch, tmp_path):
    import os

    record = _whole_graph_runs(monkeypatch, tmp_path, wait_for=1, dies=True)
    on_store = validation.validate([*paths.data_files(), *WHOLE_GRAPH_FIXTURES])
    runs = [line.split(" ", 1) for line in record.read_text(encoding="utf-8").splitlines()]
    taken = [shape for pid, shape in runs if pid != str(os.getpid())]
    assert len(taken) == 1 and taken[0] in {shape for pid, shape in runs if pid == str(os.getpid())}
    engines.clear()
    reference = validation.validate([*paths.data_files(), *WHOLE_GRAPH_FIXTURES], engine="pyshacl")
    assert on_store.findings == reference.findings
