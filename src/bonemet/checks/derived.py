"""The derived layer, checked: running the rules again over the facts gives exactly the
layer the graph holds; a graph without one (data files as curators write them) is checked
with the layer the rules give.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from bonemet.checks.grounding import Problem, shape
from bonemet.derivation import derive, layer_of
from bonemet.namespaces import BM, VOCABULARY_IRI


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
        problems = _differences(data, held, expected)
        return problems, []
    return problems, [t for t in expected if t not in data]


def _differences(data: Graph, held: Graph, expected: Graph) -> list[Problem]:
    """One problem per derivation record (or derived triple) that is not what the rules give."""
    problems: list[Problem] = []
    held_records = set(held.subjects(RDF.type, BM.Derivation))
    expected_records = set(expected.subjects(RDF.type, BM.Derivation))
    for record in sorted(held_records - expected_records, key=str):
        recorded = " ".join(_curie(data, held.value(record, p)) for p in (RDF.subject, RDF.predicate, RDF.object))
        problems.append(Problem(shape("DerivedLayerShape"), record, f"the graph holds the derivation {_curie(data, record)} ({recorded}), which no rule gives"))
    for record in sorted(expected_records - held_records, key=str):
        recorded = " ".join(_curie(data, expected.value(record, p)) for p in (RDF.subject, RDF.predicate, RDF.object))
        problems.append(Problem(shape("DerivedLayerShape"), record, f"the rules give the derivation {_curie(data, record)} ({recorded}), which the graph lacks"))
    for record in sorted(held_records & expected_records, key=str):
        if set(held.triples((record, None, None))) != set(expected.triples((record, None, None))):
            problems.append(Problem(shape("DerivedLayerShape"), record, f"the derivation {_curie(data, record)} differs from what the rules give"))
    if not problems and set(held) != set(expected):
        problems.append(Problem(shape("DerivedLayerShape"), URIRef(VOCABULARY_IRI), "derived triples differ from what the rules give"))
    return problems


def _curie(graph: Graph, term) -> str:
    return "none" if term is None else term.n3(graph.namespace_manager)


