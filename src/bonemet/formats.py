"""Writing the graph in the RDF formats that linked-data tools read.

Every format is deterministic: the same graph gives the same bytes, whatever
the order the triples were loaded in and whatever ``PYTHONHASHSEED`` is.
rdflib writes Turtle in a sorted order already; N-Triples lines are sorted;
RDF/XML is written by Oxigraph from those sorted lines; JSON-LD nodes and
values are put in order after rdflib writes them.
"""

from __future__ import annotations

import json

from rdflib import Graph

from bonemet.errors import UsageError
from bonemet.namespaces import PREFIXES

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf"}
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def serialize(graph: Graph, fmt: str) -> str:
    """``graph`` as text in ``fmt``, one of :data:`FORMATS`."""
    if fmt == "turtle":
        return graph.serialize(format="turtle")
    if fmt == "ntriples":
        return _ntriples(graph)
    if fmt == "jsonld":
        return _jsonld(graph)
    if fmt == "rdfxml":
        return _rdfxml(graph)
    raise UsageError(f"unknown export format {fmt!r}", f"use one of {', '.join(FORMATS)}")


def _ntriples(graph: Graph) -> str:
    graph = _stable_blank_nodes(graph)
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())


def _rdfxml(graph: Graph) -> str:
    import pyoxigraph

    triples = pyoxigraph.parse(_ntriples(graph).encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    used = _used_prefixes(graph)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=used).decode("utf-8")


def _jsonld(graph: Graph) -> str:
    context = _used_prefixes(graph)
    graph = _stable_blank_nodes(graph)
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document] if "@id" in document else [])
    nodes = [_sorted_node(node) for node in nodes if isinstance(node, dict)]
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps({"@context": context, "@graph": nodes}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _stable_blank_nodes(graph: Graph) -> Graph:
    """The graph with blank nodes named by their content, so that the names do not
    change from run to run (the vocabulary's OWL lists are blank nodes)."""
    from rdflib import BNode
    from rdflib.compare import to_canonical_graph

    if not any(isinstance(term, BNode) for triple in graph for term in triple[::2]):
        return graph
    return to_canonical_graph(graph)


def _sorted_node(node: dict) -> dict:
    ordered = {}
    for key, value in node.items():
        if isinstance(value, list):
            value = sorted(value, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
        ordered[key] = value
    return ordered


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """The project prefixes whose namespace some IRI of the graph falls in."""
    from rdflib import Literal, URIRef

    iris = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                iris.add(str(term))
            elif isinstance(term, Literal) and term.datatype is not None:
                iris.add(str(term.datatype))
    return {
        prefix: str(namespace)
        for prefix, namespace in sorted(PREFIXES.items())
        if any(iri.startswith(str(namespace)) for iri in iris)
    }
