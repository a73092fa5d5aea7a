"""Adding one result to a SHACL validation report, as the checks that bonemet runs
outside pySHACL (whole-graph queries, grounding, closed vocabulary) all do.

A result names its focus node, the shape that states the rule, the offending value
and the shape's message with its ``{?name}`` placeholders filled in.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH


def add_result(
    report: Graph,
    *,
    shape: URIRef,
    focus,
    value=None,
    severity: URIRef = SH.Violation,
    messages=(),
    row: dict | None = None,
    component: URIRef = SH.SPARQLConstraintComponent,
    constraint=None,
    path=None,
) -> BNode:
    """Add a validation result to ``report`` and link it from every report node."""
    row = row or {}
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.sourceShape, shape))
    if constraint is not None:
        report.add((result, SH.sourceConstraint, constraint))
    report.add((result, SH.sourceConstraintComponent, component))
    report.add((result, SH.resultSeverity, severity))
    report.add((result, SH.value, focus if value is None else value))
    if path is not None:
        report.add((result, SH.resultPath, path))
    for message in messages:
        language = message.language if isinstance(message, Literal) else None
        report.add((result, SH.resultMessage, Literal(fill(str(message), row), lang=language)))
    for verdict in report.subjects(RDF.type, SH.ValidationReport):
        report.add((verdict, SH.result, result))
    return result


def fill(template: str, row: dict) -> str:
    """SHACL-SPARQL message templates: {?name} or {$name} becomes the value of that variable."""

    def value(match: re.Match) -> str:
        term = row.get(match.group(1))
        return match.group(0) if term is None else str(term)

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", value, template)
