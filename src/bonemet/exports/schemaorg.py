"""The page as schema.org JSON-LD: a ``MedicalWebPage`` whose main entity is the condition.

Everything is read from the graph (labels, definitions, quotes, cross-links, the review
date and the references); only schema.org type names and the coding system name
"ICD-10" are written here. The output uses schema.org terms alone, with an inline
``@vocab`` context, so a JSON-LD processor expands it without fetching anything::

    from bonemet.graph import load_graph
    from bonemet.exports.schemaorg import render_schemaorg
    text = render_schemaorg(load_graph())

The same graph always gives the same bytes: every list is sorted.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from bonemet.namespaces import BIBO, BM, BMR, ICD10, SCHEMA, VOCABULARY_IRI

#: The condition the page is about and the page's own source record.
CONDITION = BMR["bone-metastasis"]
DOCUMENT = BMR["doc-bone-metastasis"]

# schema.org terms by @vocab; sameAs and url hold IRIs, so they are coerced to @id (plain
# strings otherwise, once expanded)
CONTEXT = {
    "@vocab": str(SCHEMA),
    "sameAs": {"@type": "@id"},
    "url": {"@type": "@id"},
    "sdLicense": {"@type": "@id"},
}
DOI_RESOLVER = "https://doi.org/"


def render_schemaorg(graph: Graph) -> str:
    """The schema.org JSON-LD of the page, as text: sorted keys, two-space indent, final newline."""
    document = schemaorg_document(graph)
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schemaorg_document(graph: Graph) -> dict[str, Any]:
    """The schema.org JSON-LD of the page, as a dict (a ``MedicalWebPage``)."""
    page: dict[str, Any] = {
        "@context": dict(CONTEXT),
        "@type": "MedicalWebPage",
        "@id": str(DOCUMENT),
        "medicalAudience": {"@type": "Patient"},
        "mainEntity": _condition(graph, CONDITION),
    }
    _put(page, "name", _text(graph, DOCUMENT, RDFS.label))
    _put(page, "inLanguage", _text(graph, DOCUMENT, DCTERMS.language))
    _put(page, "lastReviewed", _text(graph, DOCUMENT, BM.lastReviewed))
    _put(page, "citation", _citations(graph, DOCUMENT))
    # The page's own licence and address are not known (the copy kept carries neither);
    # the licence known is that of this structured data, bonemet's.
    _put(page, "sdLicense", _one_or_many(sorted(str(v) for v in graph.objects(URIRef(VOCABULARY_IRI), DCTERMS.license))))
    return page


# --- The condition -------------------------------------------------------------------


def _condition(graph: Graph, condition: URIRef) -> dict[str, Any]:
    node = _entity(graph, condition, "MedicalCondition", same_as=False)
    _put(node, "description", _text(graph, condition, SKOS.definition))
    _put(node, "signOrSymptom", _signs(graph, graph.objects(condition, BM.hasSignOrSymptom)))
    _put(
        node,
        "riskFactor",
        _sorted_nodes(_entity(graph, cancer, "MedicalRiskFactor") for cancer in graph.subjects(BM.isRiskFactorFor, condition)),
    )
    _put(
        node,
        "associatedAnatomy",
        _sorted_nodes(_entity(graph, site, "AnatomicalStructure") for site in graph.objects(condition, BM.hasLocation)),
    )
    _put(node, "possibleTreatment", _therapy(graph, condition))
    _put(node, "expectedPrognosis", _one_or_many(_quotes(graph, condition, BM.hasPrognosis)))
    _put(node, "naturalProgression", _one_or_many(_quotes(graph, condition, BM.hasPresentationTiming)))
    _put(node, "pathophysiology", _one_or_many(_quotes(graph, condition, BM.hasMechanismStep)))
    _put(node, "code", _one_or_many(_icd10_codes(graph, condition)))
    _put(node, "sameAs", _exact_matches(graph, condition))
    return node


def _signs(graph: Graph, signs, seen: frozenset = frozenset()) -> list[dict[str, Any]]:
    """Signs as ``MedicalSignOrSymptom``, each with the signs it causes nested under it."""
    nodes = []
    for sign in set(signs):
        node = _entity(graph, sign, "MedicalSignOrSymptom")
        if sign not in seen:  # a cycle of bm:causes would otherwise never end
            _put(node, "signOrSymptom", _signs(graph, graph.objects(sign, BM.causes), seen | {sign}))
        nodes.append(node)
    return _sorted_nodes(nodes)


def _therapy(graph: Graph, condition: URIRef) -> dict[str, Any] | None:
    """One ``MedicalTherapy``: named by the treatment goals, described by their sentence."""
    goals = set(graph.objects(condition, BM.hasTreatmentGoal))
    if not goals:
        return None
    quotes = _quotes(graph, condition, BM.hasTreatmentGoal)
    said = " ".join(quotes).lower()

    def in_text_order(goal):
        label = _text(graph, goal, RDFS.label) or str(goal)
        found = said.find(label.lower())
        return (found if found >= 0 else len(said), label)

    labels = [_text(graph, goal, RDFS.label) or str(goal) for goal in sorted(goals, key=in_text_order)]
    therapy: dict[str, Any] = {"@type": "MedicalTherapy", "name": " and ".join(labels)}
    _put(therapy, "description", " ".join(quotes))
    return therapy


# --- Entities, quotes and cross-links --------------------------------------------------


def _entity(graph: Graph, entity: URIRef, schema_type: str, *, same_as: bool = True) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": schema_type, "@id": str(entity)}
    _put(node, "name", _text(graph, entity, RDFS.label))
    _put(node, "alternateName", sorted(str(alt) for alt in graph.objects(entity, SKOS.altLabel)))
    if same_as:
        _put(node, "sameAs", _exact_matches(graph, entity))
    return node


def _quotes(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    """The distinct quotes of the fact records of ``subject predicate ?``, sorted."""
    records = set(graph.subjects(RDF.subject, subject)) & set(graph.subjects(RDF.predicate, predicate))
    return sorted(
        {str(quote) for record in records if (record, RDF.type, BM.Fact) in graph for quote in graph.objects(record, BM.quote)}
    )


def _exact_matches(graph: Graph, entity: URIRef) -> list[str]:
    return sorted(str(match) for match in graph.objects(entity, SKOS.exactMatch) if isinstance(match, URIRef))


def _icd10_codes(graph: Graph, entity: URIRef) -> list[dict[str, Any]]:
    """ICD-10 codes from the entity's exact cross-links, or its close ones when it has no exact one."""
    for predicate in (SKOS.exactMatch, SKOS.closeMatch):
        values = sorted(
            str(match)[len(str(ICD10)) :]
            for match in graph.objects(entity, predicate)
            if isinstance(match, URIRef) and str(match).startswith(str(ICD10))
        )
        if values:
            return [{"@type": "MedicalCode", "codeValue": value, "codingSystem": "ICD-10"} for value in values]
    return []


# --- The page's references -------------------------------------------------------------


def _citations(graph: Graph, document: URIRef) -> list[dict[str, Any]]:
    def number(reference):
        value = graph.value(reference, BM.referenceNumber)
        numeric = value.toPython() if isinstance(value, Literal) else None
        return (0, numeric, str(reference)) if isinstance(numeric, int) else (1, 0, str(reference))

    citations = []
    for reference in sorted(set(graph.objects(document, BM.citesReference)), key=number):
        work: dict[str, Any] = {"@type": "CreativeWork", "@id": str(reference)}
        _put(work, "name", _text(graph, reference, BM.citationText))
        urls = sorted(str(url) for url in graph.objects(reference, SCHEMA.url))
        _put(work, "url", _one_or_many(urls))
        dois = sorted(DOI_RESOLVER + str(doi) for doi in graph.objects(reference, BIBO.doi))
        _put(work, "sameAs", _one_or_many(dois))
        citations.append(work)
    return citations


# --- Small helpers -----------------------------------------------------------------------


def _text(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    """One value as text; of several, the smallest, so that the choice never varies."""
    values = sorted(str(value) for value in graph.objects(subject, predicate))
    return values[0] if values else None


def _one_or_many(values: list) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _sorted_nodes(nodes) -> list[dict[str, Any]]:
    return sorted(nodes, key=lambda node: (str(node.get("name", "")), node.get("@id", "")))


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is empty, so that no key ever holds null or []."""
    if value is None or value == [] or value == "":
        return
    node[key] = value
