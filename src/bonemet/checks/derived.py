"""The derived layer, checked: running the rules again over the facts gives exactly the
layer the graph holds; a graph without one (data files as curators write them) is checked
with the layer the rules give.
"""

from __future__ import annotations

from rdflib import Graph

from bonemet.checks.grounding import Problem, shape
from bonemet.derivation import derive, layer_of


def check(data: Graph, store=None) -> tuple[list[Problem], list[tuple]]:
    """(problems, triples to add for the time of the check).

    ``store``, an Oxigraph store of ``data``, is used to run the rules when the data
    holds no derived layer of its own."""
    held = layer_of(data)
    if len(held):
        facts = Graph()
        for triple in data:
            if triple not in held:
                facts.add(triple)
        expected = derive(facts)
    else:
        expected = derive(data, store)
    problems: list[Problem] = []
    if len(held):
        extra = sorted(set(held) - set(expected))
        missing = sorted(set(expected) - set(held))
        for subject, predicate, obj in extra[:20]:
            problems.append(Problem(shape("DerivedLayerShape"), subject, f"the graph holds {_n3(data, subject, predicate, obj)}, which no rule derives", value=predicate))
        for subject, predicate, obj in missing[:20]:
            problems.append(Problem(shape("DerivedLayerShape"), subject, f"the rules derive {_n3(data, subject, predicate, obj)}, which the graph lacks", value=predicate))
        return problems, []
    return problems, [t for t in expected if t not in data]


def _n3(graph: Graph, *terms) -> str:
    return " ".join(term.n3(graph.namespace_manager) for term in terms)
