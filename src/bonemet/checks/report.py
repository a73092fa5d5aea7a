"""The validation report as text for people, JSON for programs, Turtle for SHACL tools."""

from __future__ import annotations

import json
from itertools import groupby

from typing import TYPE_CHECKING

from bonemet.namespaces import VOCABULARY_IRI

if TYPE_CHECKING:  # the command line reads REPORT_FORMATS without loading the checks
    from bonemet.checks.validation import Report

REPORT_FORMATS = ("text", "json", "turtle")


def render_report(report: Report, fmt: str = "text") -> str:
    """The report in ``fmt``; no control character of the data reaches the terminal raw
    (JSON and Turtle escape them by their own rules, the text report as \\uXXXX)."""
    if fmt == "json":
        return _json(report)
    if fmt == "turtle":
        return report.report_graph.serialize(format="turtle") if report.report_graph is not None else ""
    from bonemet.checks.closed import escape

    return escape(_text(report))


def _verdict(report: Report) -> str:
    counts = ", ".join(f"{report.count(s)} {s.lower()}{'s' if report.count(s) != 1 else ''}" for s in ("Violation", "Warning", "Info"))
    mode = " (strict: warnings fail)" if report.strict else ""
    return f"{'CONFORMS' if report.conforms else 'DOES NOT CONFORM'}{mode}: {counts} in {report.data_triples} triples"


def _text(report: Report) -> str:
    lines = [_verdict(report)]
    for (severity, shape), group in groupby(report.findings, key=lambda f: (f.severity, f.shape)):
        group = list(group)
        lines.append("")
        lines.append(f"{severity} of {shape} ({len(group)}):")
        lines.append(f"  {group[0].message}" if group[0].message else "  (the shape gives no message)")
        for finding in group:
            if finding.focus == VOCABULARY_IRI and finding.value and not finding.value.startswith('"'):
                # a whole-graph check: its focus is the vocabulary, the offender is the value
                who, where, value = _named(finding.value_label, finding.value), "", ""
            else:
                who = _named(finding.focus_label, finding.focus)
                where = f" {finding.path}" if finding.path else ""
                value = f" = {finding.value}" if finding.value is not None else ""
                if finding.value_label:
                    value += f" ({finding.value_label})"
            lines.append(f"  - {who}{where}{value}")
            if finding.message and finding.message != group[0].message:
                lines.append(f"    {finding.message}")
    return "\n".join(lines) + "\n"


def _named(label: str, iri: str) -> str:
    return f"{label} <{iri}>" if label else f"<{iri}>"


def _json(report: Report) -> str:
    document = {
        "conforms": report.conforms,
        "strict": report.strict,
        "triples": report.data_triples,
        "counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")},
        "results": [
            {
                "severity": f.severity,
                "shape": f.shape,
                "focus": f.focus,
                "focusLabel": f.focus_label,
                "path": f.path,
                "value": f.value,
                "valueLabel": f.value_label,
                "message": f.message,
                "constraint": f.component,
            }
            for f in report.findings
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
