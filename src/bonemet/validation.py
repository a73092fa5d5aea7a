"""Checking the content against the SHACL shapes.

pySHACL does the checking; this module turns its report into results a
curator can act on: which node (by label and IRI), which shape, which value,
how severe, and the shape's own message on what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from bonemet import paths
from bonemet.graph import load_files

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
    if graph is None:
        files = list(data_files) if data_files is not None else paths.data_files()
        graph = load_files([paths.vocabulary_file(), *files])
    return check(graph, load_shapes(), strict=strict)


def check(data: Graph, shapes: Graph, *, strict: bool = False) -> Report:
    """Run pySHACL on ``data`` with ``shapes`` and read its report."""
    import pyshacl  # costly to import; only validation needs it

    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=True,
        abort_on_first=False,
    )
    findings = [_finding(report_graph, data, node) for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
    findings.sort(key=lambda f: (_rank(f.severity), f.shape, f.focus, f.path or "", f.value or ""))
    return Report(findings, strict, report_graph, len(data))


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
        message=messages[0] if messages else "",
        component=str(report.value(node, SH.sourceConstraintComponent)),
    )


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

