"""Checking the content against the SHACL shapes.

pySHACL does the checking; this module turns its report into results a
curator can act on: which node (by label and IRI), which shape, which value,
how severe, and the shape's own message on what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from bonemet import paths, progress
from bonemet.checks.focus import empty_shapes
from bonemet.errors import InputError
from bonemet.graph import load_files
from bonemet.namespaces import BM

SHAPES = "https://w3id.org/bonemet/shapes#"
ZERO_FOCUS = URIRef(SHAPES + "ZeroFocusConstraintComponent")

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One result of the validation report."""

    severity: str  # Violation, Warning or Info
    shape: str  # IRI (or blank-node id) of the shape that fired
    focus: str  # IRI of the node that failed
    focus_label: str
    path: str | None
    value: str | None
    message: str
    component: str
    value_label: str = ""


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    report_graph: Graph | None = None
    data_triples: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        """No Violation, and under ``strict`` no Warning either; Info never fails."""
        failing = {"Violation", "Warning"} if self.strict else {"Violation"}
        return not any(f.severity in failing for f in self.findings)


def load_shapes() -> Graph:
    return load_files([paths.shapes_file()])


def validate(data_files: Iterable[Path | str] | None = None, *, strict: bool = False, graph: Graph | None = None) -> Report:
    """Validate the shipped data, or exactly ``data_files``, or ``graph``.

    Files are checked together with the shipped vocabulary (so class
    hierarchy and labels of terms are known) against the shipped shapes.
    """
    roots: list[Path] = []
    store = None
    if graph is None:
        files = [Path(f) for f in data_files] if data_files is not None else paths.data_files()
        graph = load_files([paths.vocabulary_file(), *files])
        roots = sorted({f.resolve().parent for f in files})
        from bonemet.store import store_from_files

        store = store_from_files([paths.vocabulary_file(), *files])  # faster than copying the graph
    return check(graph, load_shapes(), strict=strict, text_roots=roots, store=store)


def check(
    data: Graph,
    shapes: Graph,
    *,
    strict: bool = False,
    text_roots: Iterable[Path] = (),
    store=None,
) -> Report:
    """Validate ``data`` against ``shapes``.

    The text of each source document is read from its local copy and added for
    the time of the check (so that quotes and checksums can be verified). The
    whole-graph SPARQL constraints run on Oxigraph (``store``, an Oxigraph store
    of the same data, is built when not given); pySHACL runs the rest. A shape
    that selects no focus node at all is reported as a Violation.
    """
    import pyshacl  # costly to import; only validation needs it

    from bonemet.checks import wholegraph

    added = _source_texts(data, list(text_roots))
    for triple in added:
        data.add(triple)
    try:
        core, whole_graph_checks = wholegraph.split(shapes)
        progress.step(f"checking {len(data)} triples against the SHACL shapes")
        try:
            _conforms, report_graph, _text = pyshacl.validate(
                data,
                shacl_graph=core,
                inference="none",
                allow_warnings=True,
                allow_infos=True,
                advanced=True,
                abort_on_first=False,
                inplace=True,  # no inference, so nothing is added: no need for pySHACL's copy
            )
        except Exception as err:  # pySHACL raises many types for shapes it cannot run
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputError(f"the SHACL shapes cannot be run ({first})", "correct the shapes file") from None
        if not isinstance(report_graph, Graph):  # pySHACL could not use the shapes
            raise InputError(f"the SHACL shapes cannot be used ({report_graph})", "correct ontology/shapes.ttl")
        if store is None:
            from bonemet.store import store_from_graph

            store = store_from_graph(data)
        else:
            _add_to_store(store, added)
        progress.step("running the whole-graph checks")
        wholegraph.run(whole_graph_checks, store, report_graph)
        for shape in empty_shapes(shapes, data):
            _add_zero_focus_result(report_graph, shapes, shape)
        # the report's own results; results nested under them (sh:detail) explain, not count
        findings = [_finding(report_graph, data, node) for node in report_graph.objects(None, SH.result)]
        triples = len(data) - len(added)
    finally:
        for triple in added:
            data.remove(triple)
    findings.sort(key=lambda f: (_rank(f.severity), f.shape, f.focus, f.value or "", f.path or ""))
    report = Report(findings, strict, report_graph, triples)
    for verdict in list(report_graph.subjects(RDF.type, SH.ValidationReport)):
        report_graph.set((verdict, SH.conforms, Literal(report.conforms)))
    return report


def _add_to_store(store, triples) -> None:
    import pyoxigraph

    from bonemet.store import to_oxigraph

    store.extend(pyoxigraph.Quad(*(to_oxigraph(term) for term in triple)) for triple in triples)


def _source_texts(data: Graph, roots: list[Path]) -> list[tuple]:
    """(document, bm:sourceText, text) for each source document whose local copy can be read."""
    triples = []
    for document, relative in data.subject_objects(BM.localCopy):
        path = paths.local_copy(str(relative), roots)
        try:
            text = path.read_text(encoding="utf-8") if path is not None else None
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None:
            triples.append((document, BM.sourceText, Literal(text)))
    return triples


def _add_zero_focus_result(report: Graph, shapes: Graph, shape) -> None:
    label = shapes.value(shape, RDFS.label)
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, shape))
    report.add((result, SH.sourceShape, shape))
    report.add((result, SH.resultSeverity, SH.Violation))
    report.add((result, SH.sourceConstraintComponent, ZERO_FOCUS))
    report.add((result, SH.resultMessage, Literal(
        f"The shape {shape} ({label or 'no label'}) selected no focus node, so it checked nothing: "
        "a pass that evaluated nothing is not a pass. Check that the data holds what the shape targets, "
        "or validate the files together with the rest of the graph"
    )))
    for verdict in report.subjects(RDF.type, SH.ValidationReport):
        report.add((verdict, SH.result, result))


def _finding(report: Graph, data: Graph, node) -> Finding:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    return Finding(
        severity=SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
        shape=str(report.value(node, SH.sourceShape)),
        focus=str(focus),
        focus_label=_label(data, focus),
        path=_path_text(data, path),
        value=None if value is None else (value.n3() if isinstance(value, Literal) else str(value)),
        message=_compact(data, messages[0]) if messages else "",
        component=str(report.value(node, SH.sourceConstraintComponent)),
        value_label=_label(data, value) if isinstance(value, URIRef) else "",
    )


def _compact(data: Graph, text: str) -> str:
    """Messages name nodes by full IRI; write those of known namespaces as CURIEs."""

    def curie(match: re.Match) -> str:
        try:
            return data.namespace_manager.curie(match.group(0), generate=False)
        except (ValueError, KeyError):
            return match.group(0)

    return re.sub(r"https?://[^\s\"<>(){}]+[^\s\"<>(){}.,;:]", curie, text)


def _label(data: Graph, node) -> str:
    label = data.value(node, RDFS.label) if node is not None else None
    return str(label) if label is not None else ""


def _path_text(data: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        try:
            return data.namespace_manager.curie(str(path), generate=False)
        except (ValueError, KeyError):
            return str(path)
    return "(complex path)"


def _rank(severity: str) -> int:
    return ["Violation", "Warning", "Info"].index(severity) if severity in ("Violation", "Warning", "Info") else 3

