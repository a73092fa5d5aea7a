"""A VoID and DCAT description of the dataset and of each file an export wrote.

Catalogues and SPARQL tools read it to learn what the dataset holds (triples,
entities, classes and properties, with a partition for each) and where to get
it (each distribution with its media type, byte size and SHA-256).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from bonemet.derivation import layer_of
from bonemet.namespaces import BM, VOCABULARY_IRI, new_graph
from bonemet.stats import compute

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef("https://w3id.org/bonemet/dataset")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; rdflib knows DCAT 2
DESCRIPTION = (
    "The statements of a patient-education page about bone metastasis as RDF: each fact a plain "
    "triple and a record with the exact sentence that states it, how strongly the text says it, "
    "its section and its source; with the vocabulary, curator-marked cross-links to HPO, UBERON, "
    "MONDO, DOID, NCIt, ICD-10 and MeSH, and the page's seven references."
)
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".tsv": "text/tab-separated-values",
    ".jsonl": "application/jsonl",
}


def describe(graph: Graph, files: Mapping[str, bytes]) -> Graph:
    """The VoID/DCAT description of ``graph`` and of the exported ``files`` (name -> bytes)."""
    out = new_graph()
    out.bind("void", VOID)
    out.bind("dcat", DCAT)
    out.bind("spdx", SPDX)
    header = URIRef(VOCABULARY_IRI)
    stats = compute(graph)
    out.add((DATASET, RDF.type, VOID.Dataset))
    out.add((DATASET, RDF.type, DCAT.Dataset))
    out.add((DATASET, DCTERMS.title, Literal("bonemet: a knowledge graph of bone metastasis", lang="en")))
    out.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    for prop in (DCTERMS.license, DCTERMS.publisher):
        for value in graph.objects(header, prop):
            out.add((DATASET, prop, value))
    for document in graph.subjects(RDF.type, BM.SourceDocument):
        out.add((DATASET, DCTERMS.source, document))
    for version in graph.objects(header, OWL.versionInfo):
        out.add((DATASET, DCAT_VERSION, Literal(str(version))))
    out.add((DATASET, VOID.triples, Literal(len(graph))))
    # void:entities counts the resources whose IRI lies in the dataset's void:uriSpace
    space = "https://w3id.org/bonemet/id/"
    in_space = {term for triple in graph for term in (triple[0], triple[2]) if isinstance(term, URIRef) and str(term).startswith(space)}
    out.add((DATASET, VOID.entities, Literal(len(in_space))))
    out.add((DATASET, VOID.distinctSubjects, Literal(len(set(graph.subjects())))))
    out.add((DATASET, VOID.distinctObjects, Literal(len(set(graph.objects())))))
    out.add((DATASET, VOID.vocabulary, URIRef(str(BM))))
    out.add((DATASET, VOID.uriSpace, Literal("https://w3id.org/bonemet/id/")))

    layer = layer_of(graph)
    if len(layer):
        derived = URIRef(f"{DATASET}/derived")
        out.add((DATASET, VOID.subset, derived))
        out.add((derived, RDF.type, VOID.Dataset))
        out.add((derived, DCTERMS.title, Literal("the derived layer", lang="en")))
        out.add((derived, DCTERMS.description, Literal(
            "Triples derived by the rules of ontology/rules.ttl from the facts, each with a bm:Derivation "
            "record naming its rule and premises; computed, never stated by the page.", lang="en")))
        out.add((derived, VOID.triples, Literal(len(layer))))
        out.add((derived, VOID.entities, Literal(len(set(layer.subjects(RDF.type, BM.Derivation))))))

    classes = Counter(cls for _s, cls in graph.subject_objects(RDF.type))
    out.add((DATASET, VOID.classes, Literal(len(classes))))
    for cls, count in sorted(classes.items(), key=lambda item: str(item[0])):
        partition = URIRef(f"{DATASET}/class/{_slug(cls)}")
        out.add((DATASET, VOID.classPartition, partition))
        out.add((partition, VOID["class"], cls))
        out.add((partition, VOID.entities, Literal(count)))

    properties = Counter(p for _s, p, _o in graph)
    out.add((DATASET, VOID.properties, Literal(len(properties))))
    for prop, count in sorted(properties.items(), key=lambda item: str(item[0])):
        partition = URIRef(f"{DATASET}/property/{_slug(prop)}")
        out.add((DATASET, VOID.propertyPartition, partition))
        out.add((partition, VOID.property, prop))
        out.add((partition, VOID.triples, Literal(count)))

    for name, data in sorted(files.items()):
        distribution = URIRef(f"{DATASET}/distribution/{name}")
        checksum = URIRef(f"{distribution}#sha256")
        suffix = name[name.rfind("."):]
        out.add((DATASET, DCAT.distribution, distribution))
        out.add((distribution, RDF.type, DCAT.Distribution))
        out.add((distribution, DCTERMS.title, Literal(name)))
        for licence in graph.objects(header, DCTERMS.license):
            out.add((distribution, DCTERMS.license, licence))
        out.add((distribution, DCAT.downloadURL, URIRef(f"https://w3id.org/bonemet/download/{name}")))
        if suffix in MEDIA_TYPES:
            out.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[suffix]}")))
        out.add((distribution, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        out.add((distribution, SPDX.checksum, checksum))
        out.add((checksum, RDF.type, SPDX.Checksum))
        out.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        out.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
        if name.endswith((".ttl", ".nt", ".rdf", ".trig")) or name == "bonemet.jsonld":
            out.add((DATASET, VOID.dataDump, URIRef(f"https://w3id.org/bonemet/download/{name}")))
    return out


#: Where a VoID description of a served dataset is found (VoID, section 7.2).
WELL_KNOWN_PATH = "/.well-known/void"


def served(endpoint: str) -> str:
    """A short VoID description, as Turtle, of the dataset served at the SPARQL ``endpoint``:
    what ``bonemet serve`` answers at :data:`WELL_KNOWN_PATH`. The full description (counts,
    partitions, files) is the void export."""
    out = new_graph()
    out.bind("void", VOID)
    out.add((DATASET, RDF.type, VOID.Dataset))
    out.add((DATASET, DCTERMS.title, Literal("bonemet: a knowledge graph of bone metastasis", lang="en")))
    out.add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    out.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    out.add((DATASET, VOID.vocabulary, URIRef(str(BM))))
    out.add((DATASET, VOID.uriSpace, Literal("https://w3id.org/bonemet/id/")))
    return out.serialize(format="turtle")


def _slug(iri: URIRef) -> str:
    """A readable, collision-free local name for the partition of a class or property."""
    local = str(iri).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"{local}-{hashlib.sha1(str(iri).encode()).hexdigest()[:8]}"
