"""The project's namespaces and the prefixes every output uses."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

BM = Namespace("https://w3id.org/bonemet/vocab#")
BMR = Namespace("https://w3id.org/bonemet/id/")
VOCABULARY_IRI = "https://w3id.org/bonemet/vocab"

OBO = Namespace("http://purl.obolibrary.org/obo/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
ICD10 = Namespace("https://icd.who.int/browse10/2019/en#/")

#: Prefix -> namespace, for every serialization and every query the project writes.
PREFIXES: dict[str, Namespace] = {
    "bm": BM,
    "bmr": BMR,
    "biolink": BIOLINK,
    "bibo": BIBO,
    "dcterms": DCTERMS,
    "icd10": ICD10,
    "mesh": MESH,
    "oa": OA,
    "obo": OBO,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sh": SH,
    "skos": SKOS,
    "void": VOID,
    "xsd": XSD,
}


def new_graph() -> Graph:
    """An empty graph that knows the project's prefixes and no others."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
