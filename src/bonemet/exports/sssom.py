"""The curator cross-links as SSSOM, the exchange format for mappings: a TSV with its
YAML metadata header, one row per cross-link (not the hierarchy links, which are no
mappings between vocabularies).

Each row carries the SKOS predicate of the link, ``semapv:ManualMappingCuration`` as its
justification and the curator record's "seen in" note as its comment; the mapping set
carries the graph's licence. ``sssom validate`` (sssom-py) reads it in the tests.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from bonemet.exports.kgx import curie
from bonemet.namespaces import BM, BMR, VOCABULARY_IRI

MAPPING_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification", "author_label", "comment")
MAPPING_SET_ID = "https://w3id.org/bonemet/mappings/bonemet.sssom.tsv"
CURIE_MAP = {
    "bmr": str(BMR),
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "ICD10": "https://icd.who.int/browse10/2019/en#/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
}


def render_sssom(graph: Graph) -> str:
    """The SSSOM TSV of every cross-link of ``graph``, rows sorted."""
    header = URIRef(VOCABULARY_IRI)
    licence = graph.value(header, DCTERMS.license)
    version = graph.value(header, OWL.versionInfo)
    rows = []
    for record in graph.subjects(RDF.type, BM.CuratorLink):
        predicate = graph.value(record, RDF.predicate)
        if predicate not in MAPPING_PREDICATES:
            continue
        subject, obj = graph.value(record, RDF.subject), graph.value(record, RDF.object)
        rows.append({
            "subject_id": curie(subject),
            "subject_label": _one_line(graph.value(subject, RDFS.label)),
            "predicate_id": f"skos:{str(predicate).rsplit('#', 1)[-1]}",
            "object_id": curie(obj),
            "mapping_justification": "semapv:ManualMappingCuration",
            "author_label": "bonemet curators",
            "comment": _one_line(graph.value(record, BM.seenIn)),
        })
    rows.sort(key=lambda row: (row["subject_id"], row["predicate_id"], row["object_id"]))
    used = {row[c].split(":", 1)[0] for row in rows for c in ("subject_id", "object_id")}
    lines = ["# curie_map:"]
    lines += [f"#   {prefix}: {CURIE_MAP[prefix]}" for prefix in sorted(CURIE_MAP) if prefix in used]
    lines += [
        f"# mapping_set_id: {MAPPING_SET_ID}",
        f"# mapping_set_version: \"{version}\"" if version is not None else "# mapping_set_version: \"unversioned\"",
        "# mapping_set_title: bonemet cross-links",
        "# mapping_set_description: Curator cross-links from the entities of a patient-education page about bone metastasis to HPO, UBERON, MONDO, DOID, NCIt, ICD-10 and MeSH, each seen beside its label in a public release file.",
    ]
    if licence is not None:
        lines.append(f"# license: {licence}")
    lines.append("\t".join(COLUMNS))
    lines += ["\t".join(row[c] for c in COLUMNS) for row in rows]
    return "\n".join(lines) + "\n"


def _one_line(value) -> str:
    return "" if value is None else " ".join(str(value).replace("\t", " ").split())
