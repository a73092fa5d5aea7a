"""KGX export: the graph as node and edge tables (TSV or JSON Lines) that Biolink 4 accepts.

KGX is the exchange format of the NCATS Biomedical Data Translator and Monarch graphs:
one table of nodes (``id``, ``category``, ...) and one of edges (``subject``,
``predicate``, ``object``, ...), written as ``bonemet_nodes.tsv`` / ``bonemet_edges.tsv``
or ``bonemet_nodes.jsonl`` / ``bonemet_edges.jsonl``. Every column is a Biolink slot, so
``kgx validate`` finds nothing to report and ``kgx transform`` has a Biolink IRI for each.

Everything is derived from the graph and its vocabulary:

- **Nodes** are the entities whose ``bm:`` class the vocabulary maps to a Biolink class
  (exact, else close, else broad; then the superclasses'). An entity with no such class
  (the page's advice and open questions, its treatment goals) is not a biomedical entity
  Biolink can name, and is no node. A node's ``id`` is its ``skos:exactMatch`` identifier
  in the scheme Biolink prefers for its category (MONDO for diseases, HP for phenotypic
  features, UBERON for anatomy), else NCIT, else DOID. An entity with none of these (or
  whose identifier another entity would share) keeps its full bonemet IRI, which
  ``kgx transform`` keeps and ``kgx validate`` reports: Biolink knows no prefix for it.
  ``xref`` holds the full bonemet IRI and the exact and close cross-links (not broad or
  narrow ones, which name other concepts).
- **Edges** are the ``bm:Fact`` records whose predicate the vocabulary maps to a Biolink
  predicate (``skos:exactMatch``, else ``closeMatch``, else ``broadMatch``; a
  ``relatedMatch`` is not a mapping) and whose two ends are nodes. The edge ``category``
  is the most specific Biolink association for its subject category, predicate and object
  category (:data:`ASSOCIATIONS`; ``tests/test_kgx_tools.py`` checks each choice against
  the Biolink model itself). The project predicate is kept in ``original_predicate``.

Each edge carries the fact record's own provenance in Biolink slots: ``id`` is the fact
record's IRI, ``supporting_text`` the quote (then the lead-in of its list, if any),
``publications`` the page (``prov:hadPrimarySource``), ``has_evidence`` the ECO term and
``qualifiers`` the IRIs of the controlled values that say how strongly and how widely
the text states the fact (likelihood, frequency, modality, exception, negation,
completeness, scope). The vocabulary's negation is not ``biolink:negated``: the source
words the fact negatively and the object carries the negation ("cannot be cured"), while
the edge itself holds, so it stands among the qualifiers and ``negated`` is never set.
``frequency_qualifier`` is not used either: Biolink means by it how often a phenotype
occurs, and the page's frequencies are of places ("more commonly occurs in the spine").

bonemet's own identifiers are written as full IRIs (``https://w3id.org/bonemet/id/...``):
Biolink's prefix map has no ``bmr:`` prefix, and a CURIE whose prefix kgx cannot expand
becomes ``https://www.example.org/UNKNOWN/...`` when kgx writes RDF, while a full IRI
stays itself. The edges of the KGX N-Triples are then the fact records of the RDF export.

The page's references are never attached to an edge: the page cites them for the page as
a whole and never says which supports which sentence. ``skos:broader`` links and other
curator-added triples are not facts of the page and give no edges.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from bonemet.errors import InputError
from bonemet.graph import one_text
from bonemet.namespaces import BIOLINK, BM, BMR, ICD10, MESH, OBO

#: The page has no infores identifier of its own: the source that asserts the edges is
#: this project, which curates the page.
KNOWLEDGE_SOURCE = "infores:bonemet"
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"
FALLBACK_EDGE_CATEGORY = "biolink:Association"

#: Column order of the node table; the list-valued columns are in NODE_LIST_COLUMNS.
NODE_COLUMNS: tuple[str, ...] = (
    "id",
    "category",
    "name",
    "description",
    "xref",
    "synonym",
    "provided_by",
)
NODE_LIST_COLUMNS: frozenset[str] = frozenset({"category", "xref", "synonym", "provided_by"})

#: Column order of the edge table; the list-valued columns are in EDGE_LIST_COLUMNS.
#: Every column is a Biolink slot, and the list-valued ones are exactly its multivalued
#: slots, so that kgx reads a TSV cell with ``|`` as the same list as the JSON Lines array.
EDGE_COLUMNS: tuple[str, ...] = (
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "original_predicate",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
    "has_evidence",
    "supporting_text",
    "qualifiers",
)
EDGE_LIST_COLUMNS: frozenset[str] = frozenset(
    {"category", "publications", "has_evidence", "supporting_text", "qualifiers"}
)

#: The controlled qualifiers of a fact record; their values go to ``qualifiers``.
QUALIFIER_PROPERTIES: tuple[URIRef, ...] = (
    BM.likelihood,
    BM.frequency,
    BM.modality,
    BM.exception,
    BM.negation,
    BM.completeness,
    BM.scope,
)

#: (subject category, Biolink predicate, object category) -> the most specific Biolink 4
#: association whose subject, predicate and object constraints the edge meets. Where the
#: model's own constraints also admit classes named for cell lines, chemicals or sequences
#: (their slots are wider than their names), those are not taken.
ASSOCIATIONS: dict[tuple[str, str, str], str] = {
    ("biolink:Disease", "biolink:has_phenotype", "biolink:PhenotypicFeature"):
        "biolink:DiseaseToPhenotypicFeatureAssociation",
    ("biolink:Disease", "biolink:causes", "biolink:PhenotypicFeature"):
        "biolink:DiseaseToPhenotypicFeatureAssociation",
    ("biolink:PhenotypicFeature", "biolink:causes", "biolink:PhenotypicFeature"):
        "biolink:PhenotypicFeatureToPhenotypicFeatureAssociation",
    ("biolink:Disease", "biolink:disease_has_location", "biolink:AnatomicalEntity"):
        "biolink:DiseaseOrPhenotypicFeatureToLocationAssociation",
    ("biolink:Disease", "biolink:associated_with_increased_likelihood_of", "biolink:Disease"):
        "biolink:DiseaseToDiseaseAssociation",
    # DiseaseToDiseaseAssociation takes only predicates under biolink:associated_with.
    ("biolink:Disease", "biolink:manifestation_of", "biolink:Disease"):
        "biolink:EntityToDiseaseAssociation",
    ("biolink:Disease", "biolink:caused_by", "biolink:Disease"):
        "biolink:EntityToDiseaseAssociation",
}

#: Mapping predicates, strongest first, that may carry a vocabulary term to Biolink.
BIOLINK_MAPPINGS: tuple[URIRef, ...] = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)

#: Mapping predicates whose objects are a node's cross-links (``xref``): the exact and
#: close ones only. A broad or narrow match names another concept (bone metastasis is
#: narrower than MONDO:0024880 "metastatic malignant neoplasm", the id of the metastasis
#: node), and a consumer that merges nodes on shared xrefs would merge the two.
XREF_PREDICATES: tuple[URIRef, ...] = (SKOS.exactMatch, SKOS.closeMatch)

#: Biolink category -> the identifier scheme Biolink prefers for it.
PREFERRED_SCHEME: dict[str, str] = {
    "biolink:Disease": "MONDO",
    "biolink:PhenotypicFeature": "HP",
    "biolink:AnatomicalEntity": "UBERON",
    "biolink:GrossAnatomicalStructure": "UBERON",
}
#: Schemes tried after the category's own, in this order.
FALLBACK_SCHEMES: tuple[str, ...] = ("NCIT", "DOID")

FILE_NAMES: dict[str, tuple[str, str]] = {
    "tsv": ("bonemet_nodes.tsv", "bonemet_edges.tsv"),
    "jsonl": ("bonemet_nodes.jsonl", "bonemet_edges.jsonl"),
}


def kgx_tables(graph: Graph) -> tuple[list[dict], list[dict]]:
    """The KGX nodes and edges of ``graph``, each a dict of column -> value, sorted by id.

    Missing values are left out of the dicts; multivalued columns hold lists.
    """
    categories: dict[URIRef, list[str]] = {}

    def node_categories(term) -> list[str]:
        if isinstance(term, URIRef) and term not in categories:
            categories[term] = _node_categories(graph, term)
        return categories.get(term, []) if isinstance(term, URIRef) else []

    exported: list[tuple[URIRef, URIRef, str, URIRef, URIRef]] = []
    for fact in sorted(set(graph.subjects(RDF.type, BM.Fact))):
        predicate = graph.value(fact, RDF.predicate)
        if not isinstance(predicate, URIRef):
            continue
        biolink = _biolink_term(graph, predicate, predicate_slot=True)
        if biolink is None:
            continue
        subject = graph.value(fact, RDF.subject)
        obj = graph.value(fact, RDF.object)
        for part, term in (("rdf:subject", subject), ("rdf:object", obj)):
            if not isinstance(term, URIRef):
                raise InputError(
                    f"fact record <{fact}> has no IRI as its {part}",
                    "give the record the IRI of the entity it is about",
                )
        if node_categories(subject) and node_categories(obj):
            exported.append((fact, subject, biolink, predicate, obj))

    entities = sorted({e for _, s, _, _, o in exported for e in (s, o)})
    ids = _node_ids(graph, entities, categories)

    nodes = [_node(graph, entity, ids[entity], categories[entity]) for entity in entities]
    edges = [
        _edge(
            graph, fact, ids[subject], biolink, predicate, ids[obj],
            association(categories[subject], biolink, categories[obj]),
        )
        for fact, subject, biolink, predicate, obj in exported
    ]
    nodes.sort(key=lambda row: row["id"])
    edges.sort(key=lambda row: row["id"])
    return nodes, edges


def association(subject_categories: list[str], predicate: str, object_categories: list[str]) -> str:
    """The Biolink association class of an edge (:data:`ASSOCIATIONS`), else the generic one."""
    for subject, obj in itertools.product(subject_categories, object_categories):
        found = ASSOCIATIONS.get((subject, predicate, obj))
        if found:
            return found
    return FALLBACK_EDGE_CATEGORY


def render_kgx(graph: Graph, fmt: str) -> dict[str, str]:
    """The KGX files of ``graph`` in ``fmt`` ("tsv" or "jsonl"): file name -> text."""
    if fmt not in FILE_NAMES:
        known = ", ".join(sorted(FILE_NAMES))
        raise InputError(f"unknown KGX format {fmt!r}", f"use one of {known}")
    nodes, edges = kgx_tables(graph)
    node_file, edge_file = FILE_NAMES[fmt]
    if fmt == "tsv":
        return {
            node_file: _tsv(nodes, NODE_COLUMNS, NODE_LIST_COLUMNS),
            edge_file: _tsv(edges, EDGE_COLUMNS, EDGE_LIST_COLUMNS),
        }
    return {node_file: _jsonl(nodes), edge_file: _jsonl(edges)}


# --- vocabulary look-ups -------------------------------------------------------------


def _biolink_term(graph: Graph, term: URIRef, *, predicate_slot: bool) -> str | None:
    """The Biolink CURIE the vocabulary maps ``term`` to: exact, else close, else broad.

    ``predicate_slot`` picks Biolink predicates (snake_case names) rather than classes
    (CamelCase names). Several matches of one strength: the first in sorted order.
    """
    for mapping in BIOLINK_MAPPINGS:
        found = []
        for target in graph.objects(term, mapping):
            if not isinstance(target, URIRef) or not str(target).startswith(str(BIOLINK)):
                continue
            local = str(target)[len(str(BIOLINK)) :]
            if local and local[0].islower() == predicate_slot:
                found.append(f"biolink:{local}")
        if found:
            return sorted(found)[0]
    return None


def _class_category(graph: Graph, cls: URIRef, seen: set[URIRef]) -> list[str]:
    """The Biolink class of ``cls``, else those of its superclasses."""
    if cls in seen:
        return []
    seen.add(cls)
    own = _biolink_term(graph, cls, predicate_slot=False)
    if own is not None:
        return [own]
    found: set[str] = set()
    for parent in graph.objects(cls, RDFS.subClassOf):
        if isinstance(parent, URIRef):
            found.update(_class_category(graph, parent, seen))
    return sorted(found)


def _node_categories(graph: Graph, entity: URIRef) -> list[str]:
    """The Biolink categories of ``entity``'s ``bm:`` classes; empty: it is no node."""
    found: set[str] = set()
    for cls in graph.objects(entity, RDF.type):
        if isinstance(cls, URIRef) and str(cls).startswith(str(BM)):
            found.update(_class_category(graph, cls, set()))
    return sorted(found)


def _node_ids(
    graph: Graph, entities: list[URIRef], categories: dict[URIRef, list[str]]
) -> dict[URIRef, str]:
    """Entity -> node id: its preferred outside identifier, or its own IRI."""
    chosen: dict[URIRef, str] = {}
    for entity in entities:
        exact = {curie(t) for t in graph.objects(entity, SKOS.exactMatch) if isinstance(t, URIRef)}
        by_scheme: dict[str, list[str]] = {}
        for identifier in exact:
            by_scheme.setdefault(identifier.split(":", 1)[0], []).append(identifier)
        schemes = [PREFERRED_SCHEME[c] for c in categories[entity] if c in PREFERRED_SCHEME]
        schemes += [s for s in FALLBACK_SCHEMES if s not in schemes]
        chosen[entity] = str(entity)
        for scheme in schemes:
            if by_scheme.get(scheme):
                chosen[entity] = sorted(by_scheme[scheme])[0]
                break
    # Two entities must never share a node: if they would, both keep their own IRI.
    count: dict[str, int] = {}
    for identifier in chosen.values():
        count[identifier] = count.get(identifier, 0) + 1
    return {e: (c if count[c] == 1 else str(e)) for e, c in chosen.items()}


# --- rows ----------------------------------------------------------------------------


def _node(graph: Graph, entity: URIRef, node_id: str, categories: list[str]) -> dict:
    xrefs = {str(entity)}
    for mapping in XREF_PREDICATES:
        xrefs.update(curie(t) for t in graph.objects(entity, mapping) if isinstance(t, URIRef))
    xrefs.discard(node_id)
    row = {
        "id": node_id,
        "category": categories,
        "name": one_text(graph, entity, RDFS.label),
        "description": one_text(graph, entity, SKOS.definition),
        "xref": sorted(xrefs),
        "synonym": sorted({str(v) for v in graph.objects(entity, SKOS.altLabel)}),
        "provided_by": [KNOWLEDGE_SOURCE],
    }
    return _compact(row)


def _edge(
    graph: Graph,
    fact: URIRef,
    subject_id: str,
    biolink_predicate: str,
    predicate: URIRef,
    object_id: str,
    category: str,
) -> dict:
    quote = one_text(graph, fact, BM.quote)
    lead_in = one_text(graph, fact, BM.leadIn)
    qualifiers: set[str] = set()
    for prop in QUALIFIER_PROPERTIES:
        values = sorted(str(v) for v in graph.objects(fact, prop) if isinstance(v, URIRef))
        if len(values) > 1:
            raise InputError(
                f"fact record <{fact}> has {len(values)} values of {curie(prop)} "
                f"({', '.join(values)})",
                "keep one value from its list: a fact has one value per qualifier",
            )
        qualifiers.update(values)
    row = {
        "id": str(fact),
        "subject": subject_id,
        "predicate": biolink_predicate,
        "object": object_id,
        "category": [category],
        "original_predicate": str(predicate),
        "knowledge_level": KNOWLEDGE_LEVEL,
        "agent_type": AGENT_TYPE,
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "publications": sorted(
            {str(d) for d in graph.objects(fact, PROV.hadPrimarySource) if isinstance(d, URIRef)}
        ),
        "has_evidence": sorted(
            {curie(e) for e in graph.objects(fact, BM.evidence) if isinstance(e, URIRef)}
        ),
        "supporting_text": [t for t in (quote, lead_in) if t],
        "qualifiers": sorted(qualifiers),
    }
    return _compact(row)


def _compact(row: dict) -> dict:
    return {k: v for k, v in row.items() if v is not None and v != [] and v != ""}


# --- CURIEs --------------------------------------------------------------------------

_NAMESPACE_PREFIXES: tuple[tuple[str, str], ...] = (
    (str(BMR), "bmr"),
    (str(BM), "bm"),
    (str(BIOLINK), "biolink"),
    (str(MESH), "MESH"),
    (str(ICD10), "ICD10"),
)


def curie(term: URIRef) -> str:
    """``term`` as a CURIE: obo:HP_0002653 -> HP:0002653, mesh:D009362 -> MESH:D009362."""
    iri = str(term)
    obo = str(OBO)
    if iri.startswith(obo):
        local = iri[len(obo) :]
        prefix, sep, rest = local.partition("_")
        if sep and prefix and rest:
            return f"{prefix}:{rest}"
    for namespace, prefix in _NAMESPACE_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    raise InputError(
        f"the IRI <{iri}> has no CURIE in the KGX export",
        "use an IRI in the bmr:, bm:, biolink:, obo:, mesh: or icd10: namespace",
    )


# --- writers -------------------------------------------------------------------------


def _tsv(rows: Iterable[dict], columns: tuple[str, ...], list_columns: frozenset[str]) -> str:
    lines = ["\t".join(columns)]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if value is None:
                cells.append("")
            elif column in list_columns:
                for item in value:
                    _check_cell(row, column, item, in_list=True)
                cells.append("|".join(value))
            else:
                _check_cell(row, column, value, in_list=False)
                cells.append(value)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _check_cell(row: dict, column: str, value: str, *, in_list: bool) -> None:
    bad = [c for c in ("\t", "\n", "\r") if c in value]
    if in_list and "|" in value:
        bad.append("|")
    if bad:
        raise InputError(
            f"{row.get('id')}: the {column} value {value!r} holds {', '.join(map(repr, bad))}, "
            "which KGX TSV cannot hold",
            "remove the character from the graph, or export as jsonl",
        )


def _jsonl(rows: Iterable[dict]) -> str:
    return "".join(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n" for row in rows)
