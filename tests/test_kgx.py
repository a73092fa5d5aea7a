"""The KGX export (bonemet.exports.kgx): its shape, its determinism and what it says.

The content checks were written by reading the source page and the identifier crosswalk,
not by running the exporter.
"""

from __future__ import annotations

import json
import re

import pytest

from bonemet.exports import kgx
from bonemet.errors import BonemetError
from bonemet.graph import load_graph

CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[^\s|/]+$")
BMR = "https://w3id.org/bonemet/id/"
BM = "https://w3id.org/bonemet/vocab#"

NODE_REQUIRED = ("id", "category")
EDGE_REQUIRED = (
    "subject",
    "predicate",
    "object",
    "id",
    "category",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
)

# The six signs and symptoms the page lists, with the HP term each is an exact match of.
LISTED_SIGNS = {
    "bone pain": "HP:0002653",
    "broken bones": "HP:0020110",
    "urinary incontinence": "HP:0000020",
    "bowel incontinence": "HP:0002607",
    "weakness in the legs or arms": "HP:0003690",
    "hypercalcemia": "HP:0003072",
}


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def tables(graph):
    return kgx.kgx_tables(graph)


@pytest.fixture(scope="module")
def tsv(graph):
    return kgx.render_kgx(graph, "tsv")


@pytest.fixture(scope="module")
def jsonl(graph):
    return kgx.render_kgx(graph, "jsonl")


def parse_tsv(text: str, list_columns: frozenset[str]) -> tuple[list[str], list[dict]]:
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == len(header), line
        row = {}
        for column, cell in zip(header, cells):
            if cell == "":
                continue
            row[column] = cell.split("|") if column in list_columns else cell
        rows.append(row)
    return header, rows


def parse_jsonl(text: str) -> list[dict]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text[:-1].split("\n")]


def tsv_tables(tsv):
    node_header, nodes = parse_tsv(tsv["bonemet_nodes.tsv"], kgx.NODE_LIST_COLUMNS)
    edge_header, edges = parse_tsv(tsv["bonemet_edges.tsv"], kgx.EDGE_LIST_COLUMNS)
    return node_header, nodes, edge_header, edges


def jsonl_tables(jsonl):
    return parse_jsonl(jsonl["bonemet_nodes.jsonl"]), parse_jsonl(jsonl["bonemet_edges.jsonl"])


def by_name(nodes):
    return {node["name"]: node for node in nodes}


# --- files and columns ---------------------------------------------------------------


def test_file_names(tsv, jsonl):
    assert set(tsv) == {"bonemet_nodes.tsv", "bonemet_edges.tsv"}
    assert set(jsonl) == {"bonemet_nodes.jsonl", "bonemet_edges.jsonl"}


def test_unknown_format_is_an_error(graph):
    with pytest.raises(BonemetError):
        kgx.render_kgx(graph, "csv")


def test_tsv_has_the_required_columns(tsv):
    node_header, nodes, edge_header, edges = tsv_tables(tsv)
    assert set(NODE_REQUIRED) <= set(node_header)
    assert set(EDGE_REQUIRED) <= set(edge_header)
    assert nodes and edges
    for row in nodes:
        assert all(row.get(c) for c in NODE_REQUIRED), row
    for row in edges:
        assert all(row.get(c) for c in EDGE_REQUIRED), row


def test_jsonl_has_the_required_columns(jsonl):
    nodes, edges = jsonl_tables(jsonl)
    assert nodes and edges
    for row in nodes:
        assert all(row.get(c) for c in NODE_REQUIRED), row
    for row in edges:
        assert all(row.get(c) for c in EDGE_REQUIRED), row


def test_tsv_header_is_the_fixed_column_order(tsv):
    node_header, _, edge_header, _ = tsv_tables(tsv)
    assert tuple(node_header) == kgx.NODE_COLUMNS
    assert tuple(edge_header) == kgx.EDGE_COLUMNS


def test_tsv_cells_hold_no_tab_or_newline_and_lists_use_bars(tsv, tables):
    for name, text in tsv.items():
        lines = text[:-1].split("\n")
        width = len(lines[0].split("\t"))
        for line in lines:
            assert "\r" not in line
            assert len(line.split("\t")) == width, (name, line)
    nodes, edges = tables
    # A multivalued cell is its values joined with "|", and no value holds a "|" itself.
    _, tsv_nodes, _, tsv_edges = tsv_tables(tsv)
    joined = {row["id"]: row for row in tsv_nodes + tsv_edges}
    multi = 0
    for row, columns in [(r, kgx.NODE_LIST_COLUMNS) for r in nodes] + [
        (r, kgx.EDGE_LIST_COLUMNS) for r in edges
    ]:
        for column in columns & row.keys():
            assert isinstance(row[column], list)
            assert all("|" not in v and "\t" not in v and "\n" not in v for v in row[column])
            assert joined[row["id"]][column] == row[column]
            multi += len(row[column]) > 1
    assert multi > 0, "no multivalued cell was exercised"
    assert "|" in tsv["bonemet_nodes.tsv"] and "|" in tsv["bonemet_edges.tsv"]


def test_jsonl_lists_are_arrays_keys_sorted_and_missing_values_omitted(jsonl):
    for name, text in jsonl.items():
        for line in text[:-1].split("\n"):
            row = json.loads(line)
            assert list(row) == sorted(row), name
            list_columns = kgx.NODE_LIST_COLUMNS if "nodes" in name else kgx.EDGE_LIST_COLUMNS
            for column, value in row.items():
                assert value not in (None, "", []), (name, column)
                if column in list_columns:
                    assert isinstance(value, list), (name, column)
                else:
                    assert isinstance(value, str), (name, column)


def test_rows_are_sorted_by_id_and_ids_are_unique(tsv, jsonl):
    _, nodes, _, edges = tsv_tables(tsv)
    for rows in (nodes, edges, *jsonl_tables(jsonl)):
        ids = [row["id"] for row in rows]
        assert ids == sorted(ids)
        assert len(ids) == len(set(ids))


# --- identifiers ---------------------------------------------------------------------


def test_outside_identifiers_are_curies_and_bonemet_ones_full_iris(tables):
    # kgx expands a CURIE only when Biolink's prefix map knows its prefix; bonemet's own
    # identifiers are therefore full IRIs, and everything else a CURIE.
    nodes, edges = tables
    for node in nodes:
        values = [node["id"], *node["category"]]
        values += [x for x in node.get("xref", []) if not x.startswith(BMR)]
        assert all(CURIE.match(v) for v in values), node
        assert [x for x in node["xref"] if x.startswith(BMR)], node
    for edge in edges:
        curies = [edge["subject"], edge["predicate"], edge["object"], *edge["category"], *edge["has_evidence"]]
        assert all(CURIE.match(v) for v in curies), edge
        assert edge["id"].startswith(BMR + "fact-")
        assert edge["original_predicate"].startswith(BM)
        assert edge["publications"] == [BMR + "doc-bone-metastasis"]
        assert all(q.startswith(BM) for q in edge.get("qualifiers", [])), edge


def test_categories_and_predicates_are_biolink(tables):
    nodes, edges = tables
    for node in nodes:
        assert all(c.startswith("biolink:") and c[8].isupper() for c in node["category"]), node
        assert node["category"] != ["biolink:NamedThing"]
    for edge in edges:
        assert edge["predicate"].startswith("biolink:") and edge["predicate"][8].islower()
        assert edge["predicate"] != "biolink:related_to"
        [category] = edge["category"]
        assert category.endswith("Association") and category != "biolink:Association", edge


def test_every_edge_end_is_a_node_and_every_node_is_on_an_edge(tables):
    nodes, edges = tables
    ids = {node["id"] for node in nodes}
    ends = {edge["subject"] for edge in edges} | {edge["object"] for edge in edges}
    assert ends <= ids
    assert ids <= ends


def test_node_ids_are_distinct_and_each_node_lists_its_project_iri(tables):
    nodes, _ = tables
    project = []
    for node in nodes:
        own = [node["id"]] if node["id"].startswith(BMR) else [
            x for x in node.get("xref", []) if x.startswith(BMR)
        ]
        assert len(own) == 1, node
        assert node["id"] not in node.get("xref", [])
        project.append(own[0])
    assert len(project) == len(set(project))


def test_tsv_and_jsonl_hold_the_same_nodes_and_edges(tsv, jsonl, tables):
    _, tsv_nodes, _, tsv_edges = tsv_tables(tsv)
    json_nodes, json_edges = jsonl_tables(jsonl)
    assert tsv_nodes == json_nodes
    assert tsv_edges == json_edges
    nodes, edges = tables
    assert json_nodes == nodes
    assert json_edges == edges


def test_renders_are_deterministic(graph, tsv, jsonl):
    assert kgx.render_kgx(graph, "tsv") == tsv
    assert kgx.render_kgx(graph, "jsonl") == jsonl
    again = kgx.render_kgx(load_graph(), "tsv")  # a fresh parse, so a fresh triple order
    assert again == tsv


# --- what the edges say (from reading the page and the crosswalk) --------------------


def test_bone_metastasis_is_its_ncit_term(tables):
    # Mondo and DO have no class for it; NCIT:C3580 is its only exact-match disease
    # identifier (ICD10:C79.5 is close, the MONDO terms broad or narrow).
    node = by_name(tables[0])["bone metastasis"]
    assert node["id"] == "NCIT:C3580"
    assert node["category"] == ["biolink:Disease"]
    assert BMR + "bone-metastasis" in node["xref"]
    assert "ICD10:C79.5" in node["xref"]
    assert "bone metastases" in node["synonym"]
    assert node["provided_by"] == ["infores:bonemet"]


def test_preferred_identifiers(tables):
    names = by_name(tables[0])
    assert names["breast cancer"]["id"] == "MONDO:0007254"
    assert names["breast cancer"]["category"] == ["biolink:Disease"]
    assert "DOID:1612" in names["breast cancer"]["xref"]
    assert names["bone pain"]["id"] == "HP:0002653"
    assert names["bone pain"]["category"] == ["biolink:PhenotypicFeature"]
    assert names["spine"]["id"] == "UBERON:0001130"
    assert names["spine"]["category"] == ["biolink:AnatomicalEntity"]
    # spine, pelvis and thigh are read as their bones: the thigh is its femur, and the
    # body-region terms are only related matches, so they are neither id nor xref
    assert names["pelvis"]["id"] == "UBERON:0001270"
    assert "MESH:D010384" in names["pelvis"]["xref"]
    assert "NCIT:C12767" not in names["pelvis"]["xref"]
    assert names["thigh"]["id"] == "UBERON:0000981"
    assert {"NCIT:C12717", "MESH:D005269"} <= set(names["thigh"]["xref"])
    assert not {"UBERON:0000376", "NCIT:C33763", "MESH:D013848"} & set(names["thigh"]["xref"])
    # broad and narrow matches name other concepts: no xref
    assert not {"ICD10:C64", "MESH:D007680"} & set(names["kidney cancer"]["xref"])
    assert "MESH:D011471" not in names["prostate cancer"]["xref"]
    # hypercalcemia's disease-class terms are close matches: xrefs, not its id
    assert names["hypercalcemia"]["id"] == "HP:0003072"
    assert {"NCIT:C3112", "MESH:D006934", "MONDO:0001566"} <= set(names["hypercalcemia"]["xref"])
    assert names["metastasis"]["id"] == "MONDO:0024880"


def test_the_six_listed_signs_are_phenotypes_of_bone_metastasis(tables):
    nodes, edges = tables
    names = by_name(nodes)
    for name, hp in LISTED_SIGNS.items():
        assert names[name]["id"] == hp, name
    phenotypes = [
        e for e in edges if e["subject"] == "NCIT:C3580" and e["predicate"] == "biolink:has_phenotype"
    ]
    assert sorted(e["object"] for e in phenotypes) == sorted(LISTED_SIGNS.values())
    lead_in = "When it does occur, signs and symptoms of bone metastasis include:"
    for edge in phenotypes:
        assert edge["original_predicate"] == BM + "hasSignOrSymptom"
        assert edge["category"] == ["biolink:DiseaseToPhenotypicFeatureAssociation"]
        assert edge["supporting_text"][-1] == lead_in
        # "include": the page's list of signs is not closed
        assert BM + "completeness-non-exhaustive" in edge["qualifiers"]


def test_breast_cancer_risk_factor_edge_carries_its_likelihood(tables):
    _, edges = tables
    [edge] = [
        e
        for e in edges
        if e["subject"] == "MONDO:0007254"
        and e["object"] == "NCIT:C3580"
        and e["original_predicate"] == BM + "isRiskFactorFor"
    ]
    assert edge["id"] == BMR + "fact-breast-cancer-is-risk-factor-for-bone-metastasis"
    # "most likely to cause bone metastasis": having it makes bone metastasis more likely
    assert edge["predicate"] == "biolink:associated_with_increased_likelihood_of"
    assert edge["category"] == ["biolink:DiseaseToDiseaseAssociation"]
    # the lead-in's "include": the list is not closed
    assert edge["qualifiers"] == [BM + "completeness-non-exhaustive", BM + "likelihood-most-likely"]
    assert edge["supporting_text"] == [
        "Breast cancer",
        "Virtually any type of cancer can spread to the bones, but the cancers most likely "
        "to cause bone metastasis include:",
    ]
    assert edge["has_evidence"] == ["ECO:0000033"]
    assert edge["knowledge_level"] == "knowledge_assertion"
    assert edge["agent_type"] == "manual_agent"
    assert edge["primary_knowledge_source"] == "infores:bonemet"
    assert edge["publications"] == [BMR + "doc-bone-metastasis"]


def test_hypercalcemia_causes_its_four_signs(tables):
    _, edges = tables
    caused = sorted(
        e["object"] for e in edges if e["subject"] == "HP:0003072" and e["predicate"] == "biolink:causes"
    )
    # nausea, vomiting, constipation, confusion
    assert caused == sorted(["HP:0002018", "HP:0002013", "HP:0002019", "HP:0001289"])


def test_negative_wording_is_a_qualifier_never_biolink_negation(graph, tables):
    # The page's negatively worded facts ("can't be cured", "It's not clear what causes")
    # are about its prognosis and open questions, which are no KGX nodes.
    _, edges = tables
    for edge in edges:
        assert "negated" not in edge
        assert BM + "negation-negated" not in edge.get("qualifiers", [])
    # Were a fact with a Biolink predicate worded negatively, its negation would be one of
    # its qualifiers: the edge still holds (see bm:negation's definition).
    from rdflib import Graph, URIRef

    from bonemet.namespaces import BM as BM_NS

    copy = Graph()
    for triple in graph:
        copy.add(triple)
    fact = URIRef(BMR + "fact-bone-metastasis-causes-pain")
    copy.add((fact, BM_NS.negation, BM_NS["negation-negated"]))
    [edge] = [e for e in kgx.kgx_tables(copy)[1] if e["id"] == str(fact)]
    assert "negated" not in edge
    assert BM + "negation-negated" in edge["qualifiers"]


def test_two_values_of_one_qualifier_are_refused(graph):
    from rdflib import Graph, URIRef

    from bonemet.namespaces import BM as BM_NS

    copy = Graph()
    for triple in graph:
        copy.add(triple)
    fact = URIRef(BMR + "fact-bone-metastasis-causes-pain")
    copy.add((fact, BM_NS.modality, BM_NS["modality-may"]))
    with pytest.raises(BonemetError, match="values of bm:modality"):
        kgx.kgx_tables(copy)


def test_no_edge_or_node_mentions_a_reference(graph, tsv, jsonl):
    from rdflib import RDF

    from bonemet.namespaces import BM

    assert any(graph.subjects(RDF.type, BM.Reference)), "the graph holds the page's references"
    for text in (*tsv.values(), *jsonl.values()):
        assert "bmr:reference-" not in text
        assert "/id/reference-" not in text
    # the page is each edge's publication; its references are not
    _, edges = kgx.kgx_tables(graph)
    assert {p for e in edges for p in e["publications"]} == {BMR + "doc-bone-metastasis"}


def test_particularly_likely_is_exported_with_its_qualifier(tables):
    _, edges = tables
    edge = next(e for e in edges if e["id"] == BMR + "fact-breast-cancer-metastasizes-to-bone")
    # a cancer that spreads to bone has features (its metastases) located there
    assert edge["predicate"] == "biolink:disease_has_location"
    assert edge["category"] == ["biolink:DiseaseOrPhenotypicFeatureToLocationAssociation"]
    assert edge["original_predicate"] == BM + "metastasizesTo"
    # "particularly likely to spread to bone, including breast cancer"
    assert edge["qualifiers"] == [BM + "completeness-non-exhaustive", BM + "likelihood-particularly-likely"]


def test_edges_are_exactly_the_facts_with_a_biolink_predicate_between_biolink_entities(graph, tables):
    # Independently of the exporter: a fact is exported when its predicate has an exact,
    # close or broad match in the Biolink namespace and both its ends are of a class
    # (or under a class) with such a match to a Biolink class.
    rows = graph.query(
        """
        SELECT ?fact WHERE {
          ?fact a bm:Fact ; rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o .
          FILTER EXISTS {
            VALUES ?m { skos:exactMatch skos:closeMatch skos:broadMatch }
            ?p ?m ?b .
            FILTER(STRSTARTS(STR(?b), "https://w3id.org/biolink/vocab/"))
          }
          FILTER EXISTS {
            VALUES ?m2 { skos:exactMatch skos:closeMatch skos:broadMatch }
            ?s a/rdfs:subClassOf* ?sc . ?sc ?m2 ?sb .
            FILTER(REGEX(STR(?sb), "^https://w3id.org/biolink/vocab/[A-Z]"))
          }
          FILTER EXISTS {
            VALUES ?m3 { skos:exactMatch skos:closeMatch skos:broadMatch }
            ?o a/rdfs:subClassOf* ?oc . ?oc ?m3 ?ob .
            FILTER(REGEX(STR(?ob), "^https://w3id.org/biolink/vocab/[A-Z]"))
          }
        }
        """
    )
    expected = sorted(str(row.fact) for row in rows)
    _, edges = tables
    assert sorted(e["id"] for e in edges) == expected
    left_out = {e["original_predicate"] for e in edges} & {
        BM + name
        for name in (
            "hasClinicalPresentation",
            "hasPresentationTiming",
            "hasTreatmentGoal",
            "hasPrognosis",
            "hasMechanismStep",
            "hasAdvice",
            "hasOpenQuestion",
        )
    }
    assert left_out == set()
    # the page's two pieces of advice and two open questions are not biomedical entities
    nodes, _ = tables
    assert not [n for n in nodes if "advice" in n["name"] or "why" in n["name"] or "what" in n["name"]]
    for word in ("advice", "open questions", "treatment goals"):
        assert word in kgx.__doc__
