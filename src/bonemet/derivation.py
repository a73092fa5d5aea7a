"""The derived layer: triples that the rules of ``ontology/rules.ttl`` derive from facts.

The rules are SHACL Advanced Features rules (``sh:SPARQLRule``); here their CONSTRUCT
text runs on Oxigraph, once over the facts, with ``$this`` bound to the vocabulary (the
focus node the rules hang on). pySHACL's own rule engine gives the same triples (a test
shows it). The layer is computed whenever the graph is loaded and never stored in data/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from typing import TYPE_CHECKING

from bonemet.namespaces import VOCABULARY_IRI

if TYPE_CHECKING:  # rdflib is loaded only by the functions that build rdflib graphs
    from rdflib import Graph

#: The named graph of the derived layer in TriG exports and on a SPARQL server.
DERIVED_GRAPH = "https://w3id.org/bonemet/graph/derived"
RULES_NAMESPACE = "https://w3id.org/bonemet/rules#"


@dataclass(frozen=True)
class Rule:
    iri: str
    order: float
    query: str  # CONSTRUCT, with its PREFIX lines


_RULES_QUERY = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?rule ?construct ?order ?prefix ?namespace WHERE {
    ?rule a sh:SPARQLRule ; sh:construct ?construct .
    OPTIONAL { ?rule sh:order ?order }
    OPTIONAL { ?rule sh:prefixes/sh:declare [ sh:prefix ?prefix ; sh:namespace ?namespace ] }
}
"""


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The SPARQL rules of ``ontology/rules.ttl``, in their ``sh:order``."""
    from bonemet import paths
    from bonemet.store import store_from_files

    found: dict[str, dict] = {}
    for row in store_from_files([paths.rules_file()]).query(_RULES_QUERY):
        rule = found.setdefault(row["rule"].value, {"construct": row["construct"].value, "order": 0.0, "prefixes": set()})
        if row["order"] is not None:
            rule["order"] = float(row["order"].value)
        if row["prefix"] is not None:
            rule["prefixes"].add(f"PREFIX {row['prefix'].value}: <{row['namespace'].value}>")
    made = [Rule(iri, r["order"], "\n".join(sorted(r["prefixes"])) + "\n" + r["construct"]) for iri, r in found.items()]
    return tuple(sorted(made, key=lambda r: (r.order, str(r.iri))))


def derive_in_store(store, *, union: bool = False) -> list:
    """Run every rule on the Oxigraph ``store`` (holding facts, not a derived layer) and
    return the derived triples as Oxigraph triples; ``union``: the facts are in the
    store's named graphs, read as one."""
    import pyoxigraph

    this = {pyoxigraph.Variable("this"): pyoxigraph.NamedNode(VOCABULARY_IRI)}
    triples = []
    for rule in rules():
        triples.extend(store.query(rule.query, substitutions=this, use_default_graph_as_union=union))
    return triples


def derive(graph: Graph, store=None) -> Graph:
    """The derived layer of ``graph``: each derived triple and its bm:Derivation record."""
    from bonemet.namespaces import new_graph
    from bonemet.store import store_from_graph
    from bonemet.terms import from_oxigraph

    if store is None:
        store = store_from_graph(graph)
    layer = new_graph()
    for triple in derive_in_store(store):
        layer.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
    return layer


def add_to_store(store) -> int:
    """Add the derived layer to an Oxigraph store of facts; the number of triples added."""
    quads = layer_to_add(store)
    store.extend(quads)
    return len(quads)


def layer_to_add(store) -> list:
    """The derived layer of an Oxigraph ``store`` of facts, as the Oxigraph quads the store
    lacks, each once (validation adds them for the time of a check and removes them after)."""
    import pyoxigraph

    derived = dict.fromkeys(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in derive_in_store(store))
    return [quad for quad in derived if quad not in store]


def layer_of(graph: Graph) -> Graph:
    """The derived layer that ``graph`` already holds: every bm:Derivation record and the
    triple it records."""
    from rdflib.namespace import RDF

    from bonemet.namespaces import BM, new_graph

    layer = new_graph()
    for record in graph.subjects(RDF.type, BM.Derivation):
        for triple in graph.triples((record, None, None)):
            layer.add(triple)
        recorded = (graph.value(record, RDF.subject), graph.value(record, RDF.predicate), graph.value(record, RDF.object))
        if None not in recorded and recorded in graph and not _stated(graph, recorded):
            layer.add(recorded)
    return layer


def _stated(graph: Graph, triple) -> bool:
    """Whether a bm:Fact record states ``triple``."""
    from rdflib.namespace import RDF

    from bonemet.namespaces import BM

    subject, predicate, obj = triple
    return any((record, RDF.type, BM.Fact) in graph for record in graph.subjects(RDF.subject, subject)
               if (record, RDF.predicate, predicate) in graph and (record, RDF.object, obj) in graph)
