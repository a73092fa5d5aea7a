"""The project's namespaces and the prefixes every output uses.

:data:`PREFIX_IRIS` holds them as plain strings, for the code that never loads rdflib
(a named question on Oxigraph); the rdflib ``Namespace`` objects (``BM``, ``BMR``, ...,
:data:`PREFIXES`) are made the first time one is asked for, so that importing this
module costs nothing.
"""

from __future__ import annotations

VOCABULARY_IRI = "https://w3id.org/bonemet/vocab"

#: Prefix -> namespace IRI, for every serialization and every query the project writes.
PREFIX_IRIS: dict[str, str] = {
    "bm": "https://w3id.org/bonemet/vocab#",
    "bmr": "https://w3id.org/bonemet/id/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "bibo": "http://purl.org/ontology/bibo/",
    "dcterms": "http://purl.org/dc/terms/",
    "icd10": "https://icd.who.int/browse10/2019/en#/",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "oa": "http://www.w3.org/ns/oa#",
    "obo": "http://purl.obolibrary.org/obo/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: The rdflib Namespace constants this module offers, by their prefix.
_CONSTANTS = {
    "BM": "bm", "BMR": "bmr", "OBO": "obo", "BIOLINK": "biolink", "SCHEMA": "schema",
    "OA": "oa", "BIBO": "bibo", "MESH": "mesh", "ICD10": "icd10",
}


#: rdflib's own namespaces, offered here too under their usual names.
_RDFLIB_NAMES = ("DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "VOID", "XSD")


def __getattr__(name: str):
    if name in _RDFLIB_NAMES:
        import rdflib.namespace

        globals()[name] = getattr(rdflib.namespace, name)
        return globals()[name]
    if name == "KeptNamespace":
        return _namespace_class()
    if name in _CONSTANTS or name == "PREFIXES":
        from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

        known = {"dcterms": DCTERMS, "owl": OWL, "prov": PROV, "rdf": RDF, "rdfs": RDFS, "sh": SH, "skos": SKOS, "void": VOID, "xsd": XSD}
        made = _namespace_class()
        prefixes = {prefix: known.get(prefix) or made(iri) for prefix, iri in PREFIX_IRIS.items()}
        globals()["PREFIXES"] = prefixes
        for constant, prefix in _CONSTANTS.items():
            globals()[constant] = prefixes[prefix]
        return globals()[name]
    raise AttributeError(f"module 'bonemet.namespaces' has no attribute {name!r}")


def _namespace_class():
    """rdflib's ``Namespace``, each of whose terms is made once: rdflib makes a new URIRef
    (and checks its IRI) at every ``BM.quote``, and the checks read such properties for
    every one of a million triples. The first ``BM.quote`` keeps its term on the namespace
    object, where Python finds it from then on without calling ``__getattr__``."""
    made = globals().get("KeptNamespace")
    if made is not None:
        return made
    from rdflib import Namespace

    class KeptNamespace(Namespace):
        def __getattr__(self, name: str):
            made = super().__getattr__(name)  # AttributeError for Python's special names
            self.__dict__[name] = made
            return made

    KeptNamespace.__module__ = __name__  # found by pickle as bonemet.namespaces.KeptNamespace
    KeptNamespace.__qualname__ = "KeptNamespace"
    globals()["KeptNamespace"] = KeptNamespace
    return KeptNamespace


def new_graph():
    """An empty rdflib graph that knows the project's prefixes and no others."""
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in __getattr__("PREFIXES").items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
