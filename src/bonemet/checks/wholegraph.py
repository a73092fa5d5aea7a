"""The whole-graph checks of the shapes, run as one query each on Oxigraph.

Some requirements span the whole graph: labels unique within a class, exactly one
record per fact triple, every quote found in its source text. The shapes state
them as standard SHACL-SPARQL constraints on a single focus node (the vocabulary)
whose query selects every offender at once. pySHACL would run those queries on
rdflib's SPARQL engine, 30 to 200 times slower than Oxigraph on the same query;
so bonemet takes them out of what it hands pySHACL and runs them here, turning
each solution into the validation result SHACL prescribes: the focus node, the
offender as sh:value, the message with its {?var} placeholders filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from bonemet.checks.outcome import add_result


@dataclass(frozen=True)
class WholeGraphCheck:
    shape: URIRef
    constraint: object
    targets: tuple
    query: str  # with PREFIX lines
    severity: URIRef
    messages: tuple


def split(shapes: Graph) -> tuple[Graph, list[WholeGraphCheck]]:
    """The shapes for pySHACL (without the whole-graph constraints), and those constraints."""
    checks = []
    rest = Graph()
    for triple in shapes:
        rest.add(triple)
    for shape, constraint in shapes.subject_objects(SH.sparql):
        targets = tuple(shapes.objects(shape, SH.targetNode))
        if not targets or any((shape, t, None) in shapes for t in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)):
            continue  # a per-node constraint: pySHACL runs it
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
        messages = tuple(shapes.objects(constraint, SH.message)) or tuple(shapes.objects(shape, SH.message))
        checks.append(WholeGraphCheck(shape, constraint, targets, _prefixes(shapes, constraint) + str(select), severity, messages))
        rest.remove((shape, SH.sparql, constraint))
    checks.sort(key=lambda c: str(c.shape))
    return rest, checks


def run(checks: list[WholeGraphCheck], store, report: Graph, *, union: bool = False) -> None:
    """Run each check on the Oxigraph ``store`` and add its results to ``report``;
    ``union``: the data is in the store's named graphs, read as one."""
    for check in checks:
        add(check, solutions(check, store, union=union), report)


def solutions(check: WholeGraphCheck, store, *, union: bool = False) -> list[tuple]:
    """Each solution of ``check`` on the Oxigraph ``store``: (its focus node, its row of
    rdflib terms by variable name), in a form that can be sent to another process."""
    import pyoxigraph

    from bonemet.terms import from_oxigraph, to_oxigraph

    found = []
    for target in check.targets:
        if not _present(store, to_oxigraph(target)):
            continue  # no focus node: the zero-focus check reports it
        rows = store.query(check.query, substitutions={pyoxigraph.Variable("this"): to_oxigraph(target)}, use_default_graph_as_union=union)
        names = [v.value for v in rows.variables]
        for row in rows:
            found.append((target, {name: from_oxigraph(row[name]) for name in names if row[name] is not None}))
    return found


def add(check: WholeGraphCheck, found: list[tuple], report: Graph) -> None:
    """The validation result SHACL prescribes for each of ``found`` (see :func:`solutions`)."""
    for target, row in found:
        add_result(
            report,
            shape=check.shape,
            focus=target,
            value=row.get("value", target),
            severity=check.severity,
            messages=check.messages,
            row=row,
            constraint=check.constraint,
            path=row.get("path"),
        )


def _present(store, node) -> bool:
    return any(True for _ in store.quads_for_pattern(node, None, None)) or any(True for _ in store.quads_for_pattern(None, None, node))


def _prefixes(shapes: Graph, constraint) -> str:
    lines = []
    for source in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"
