"""KGX export: the graph as node and edge tables (TSV or JSON Lines).

KGX is the exchange format of the NCATS Biomedical Data Translator and Monarch graphs:
one table of nodes (``id``, ``category``, ...) and one of edges (``subject``,
``predicate``, ``object``, ...), written as ``bonemet_nodes.tsv`` / ``bonemet_edges.tsv``
or ``bonemet_nodes.jsonl`` / ``bonemet_edges.jsonl``.

Everything is derived from the graph:

- **Edges** are the ``bm:Fact`` records, one edge per record. The Biolink predicate is
  looked up in the vocabulary: the fact predicate's ``skos:exactMatch``, else
  ``skos:closeMatch``, else ``skos:broadMatch`` object in the Biolink namespace that names
  a predicate (a snake_case slot). ``skos:relatedMatch`` is not a mapping: it says only
  that two terms are related, so a property mapped only that way is not exported.
- **Nodes** are the entities that take part in an exported edge. A node's ``id`` is its
  ``skos:exactMatch`` identifier in the scheme Biolink prefers for its category (MONDO for
  diseases, HP for phenotypic features, UBERON for anatomy), else NCIT, else DOID; an
  entity with none of these (or whose identifier another entity would share) keeps its
  project CURIE ``bmr:<name>``. ``xref`` holds the project CURIE and the other exact
  and close cross-links (not broad or narrow ones, which name other concepts). ``category`` is the Biolink class that the vocabulary maps the
  entity's ``bm:`` class to (exact, else close, else broad; then the superclasses),
  else ``biolink:NamedThing``.

Facts left out of the edges, with the current vocabulary (bonemet 0.1.0):

- ``bm:hasClinicalPresentation`` (1: "causes no signs and symptoms"),
  ``bm:hasPresentationTiming`` (2: first sign of cancer, years after treatment),
  ``bm:hasTreatmentGoal`` (2), ``bm:hasPrognosis`` (1: cannot be cured) and
  ``bm:hasMechanismStep`` (3): narrative facts whose object is a piece of the page's
  wording, not a biomedical entity. They map only to schema.org terms, or (timing) by
  ``skos:relatedMatch`` to ``biolink:onset_qualifier``, which is an edge qualifier, not a
  predicate. They stay in the RDF graph with their quotes.

``bm:metastasizesTo`` (a cancer spreads to a site: not that cancer being located
there, so not ``biolink:disease_has_location``), the open questions
(``bm:hasOpenQuestion``), the advice (``bm:hasAdvice``) and ``bm:isSpreadOf`` are
exported as ``biolink:related_to``, the broad match the vocabulary gives them, with the
project predicate kept in ``original_predicate``.

Each edge carries the fact record's own provenance: ``supporting_text`` (the quote, then
the lead-in of its list if any), ``qualifier_text`` (the text's hedging words, in the
order they stand in the quote), the controlled qualifiers as ``bm:`` CURIEs,
``has_evidence`` (ECO) and ``source_section``. ``negation_qualifier`` is *not*
``biolink:negated``: the source words the fact negatively and the object entity carries
the negation ("cannot be cured"); the edge itself holds. The page's references are never
attached to an edge: the page cites them for the page as a whole and never says which
supports which sentence. Skos:broader hierarchy links and other curator-added triples are
not facts of the page and give no edges.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from bonemet.errors import InputError
from bonemet.namespaces import BIOLINK, BM, BMR, ICD10, MESH, OBO

#: The page has no infores identifier of its own: the source that asserts the edges is
#: this project, which curates the page.
KNOWLEDGE_SOURCE = "infores:bonemet"
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"
FALLBACK_NODE_CATEGORY = "biolink:NamedThing"
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
    "has_evidence",
    "supporting_text",
    "qualifier_text",
    "likelihood_qualifier",
    "frequency_qualifier",
    "modality_qualifier",
    "exception_qualifier",
    "negation_qualifier",
    "source_section",
)
EDGE_LIST_COLUMNS: frozenset[str] = frozenset(
    {"category", "has_evidence", "supporting_text", "qualifier_text"}
)

#: Controlled qualifier property -> edge column.
QUALIFIER_COLUMNS: tuple[tuple[URIRef, str], ...] = (
    (BM.likelihood, "likelihood_qualifier"),
    (BM.frequency, "frequency_qualifier"),
    (BM.modality, "modality_qualifier"),
    (BM.exception, "exception_qualifier"),
    (BM.negation, "negation_qualifier"),
)

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
    exported: list[tuple[URIRef, URIRef, str, URIRef, URIRef]] = []
    for fact in sorted(set(graph.subjects(RDF.type, BM.Fact))):
        predicate = graph.value(fact, RDF.predicate)
        subject = graph.value(fact, RDF.subject)
        obj = graph.value(fact, RDF.object)
        if not isinstance(predicate, URIRef):
            continue
        biolink = _biolink_term(graph, predicate, predicate_slot=True)
        if biolink is None:
            continue
        for part, term in (("rdf:subject", subject), ("rdf:object", obj)):
            if not isinstance(term, URIRef):
                raise InputError(
                    f"fact record {curie(fact)} has no IRI as its {part}",
                    "give the record the IRI of the entity it is about",
                )
        exported.append((fact, subject, biolink, predicate, obj))

    entities = sorted({e for _, s, _, _, o in exported for e in (s, o)})
    categories = {entity: _node_categories(graph, entity) for entity in entities}
    ids = _node_ids(graph, entities, categories)

    nodes = [_node(graph, entity, ids[entity], categories[entity]) for entity in entities]
    edge_category = _biolink_term(graph, BM.Fact, predicate_slot=False) or FALLBACK_EDGE_CATEGORY
    edges = [
        _edge(graph, fact, ids[subject], biolink, predicate, ids[obj], edge_category)
        for fact, subject, biolink, predicate, obj in exported
    ]
    nodes.sort(key=lambda row: row["id"])
    edges.sort(key=lambda row: row["id"])
    return nodes, edges


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
    found: set[str] = set()
    for cls in graph.objects(entity, RDF.type):
        if isinstance(cls, URIRef) and str(cls).startswith(str(BM)):
            found.update(_class_category(graph, cls, set()))
    return sorted(found) or [FALLBACK_NODE_CATEGORY]


def _node_ids(
    graph: Graph, entities: list[URIRef], categories: dict[URIRef, list[str]]
) -> dict[URIRef, str]:
    """Entity -> node id: its preferred outside identifier, or its project CURIE."""
    chosen: dict[URIRef, str] = {}
    for entity in entities:
        exact = {curie(t) for t in graph.objects(entity, SKOS.exactMatch) if isinstance(t, URIRef)}
        by_scheme: dict[str, list[str]] = {}
        for identifier in exact:
            by_scheme.setdefault(identifier.split(":", 1)[0], []).append(identifier)
        schemes = [PREFERRED_SCHEME[c] for c in categories[entity] if c in PREFERRED_SCHEME]
        schemes += [s for s in FALLBACK_SCHEMES if s not in schemes]
        chosen[entity] = curie(entity)
        for scheme in schemes:
            if by_scheme.get(scheme):
                chosen[entity] = sorted(by_scheme[scheme])[0]
                break
    # Two entities must never share a node: if they would, both keep their own CURIE.
    count: dict[str, int] = {}
    for identifier in chosen.values():
        count[identifier] = count.get(identifier, 0) + 1
    return {e: (c if count[c] == 1 else curie(e)) for e, c in chosen.items()}


# --- rows ----------------------------------------------------------------------------


def _node(graph: Graph, entity: URIRef, node_id: str, categories: list[str]) -> dict:
    xrefs = {curie(entity)}
    for mapping in XREF_PREDICATES:
        xrefs.update(curie(t) for t in graph.objects(entity, mapping) if isinstance(t, URIRef))
    xrefs.discard(node_id)
    row = {
        "id": node_id,
        "category": categories,
        "name": _one_text(graph, entity, RDFS.label),
        "description": _one_text(graph, entity, SKOS.definition),
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
    quote = _one_text(graph, fact, BM.quote)
    lead_in = _one_text(graph, fact, BM.leadIn)
    words = {str(v) for v in graph.objects(fact, BM.qualifierText)}
    text = quote or ""
    ordered_words = sorted(words, key=lambda w: (text.find(w) if w in text else len(text), w))
    section = graph.value(fact, BM.inSection)
    row = {
        "id": curie(fact),
        "subject": subject_id,
        "predicate": biolink_predicate,
        "object": object_id,
        "category": [category],
        "original_predicate": curie(predicate),
        "knowledge_level": KNOWLEDGE_LEVEL,
        "agent_type": AGENT_TYPE,
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "has_evidence": sorted(
            {curie(e) for e in graph.objects(fact, BM.evidence) if isinstance(e, URIRef)}
        ),
        "supporting_text": [t for t in (quote, lead_in) if t],
        "qualifier_text": ordered_words,
        "source_section": curie(section) if isinstance(section, URIRef) else None,
    }
    for prop, column in QUALIFIER_COLUMNS:
        values = sorted(curie(v) for v in graph.objects(fact, prop) if isinstance(v, URIRef))
        if len(values) > 1:
            raise InputError(
                f"fact record {curie(fact)} has {len(values)} values of {curie(prop)} "
                f"({', '.join(values)})",
                "keep one value from its list; KGX has one value per qualifier",
            )
        row[column] = values[0] if values else None
    return _compact(row)


def _one_text(graph: Graph, node: URIRef, prop: URIRef) -> str | None:
    """The value of ``prop`` (English first, then the rest in sorted order)."""
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    if not values:
        return None
    values.sort(key=lambda v: (v.language not in (None, "en"), v.language or "", str(v)))
    return str(values[0])


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
