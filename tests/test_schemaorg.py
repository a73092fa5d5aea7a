"""The schema.org JSON-LD export: deterministic, schema.org only, and faithful to the page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld

from bonemet.graph import load_graph
from bonemet.exports.schemaorg import render_schemaorg, schemaorg_document

SCHEMA = "https://schema.org/"

# Written by reading data/source/bone-metastasis.txt and the labels in data/entities.ttl.
SIGNS_AS_LISTED = {
    "bone pain",  # "Bone pain"
    "broken bones",  # "Broken bones"
    "urinary incontinence",  # "Urinary incontinence"
    "bowel incontinence",  # "Bowel incontinence"
    "weakness in the legs or arms",  # "Weakness in the legs or arms"
    "hypercalcemia",  # "High levels of calcium in the blood (hypercalcemia), ..."
}
HYPERCALCEMIA_EFFECTS = {"nausea", "vomiting", "constipation", "confusion"}
CANCERS = {
    "breast cancer",
    "kidney cancer",
    "lung cancer",
    "lymphoma",
    "multiple myeloma",
    "prostate cancer",
    "thyroid cancer",
}
PROGNOSIS_SENTENCE = "With rare exceptions, cancer that has spread to the bones can't be cured."

SCRIPT = (
    "import sys; from bonemet.graph import load_graph; from bonemet.exports.schemaorg import render_schemaorg; "
    "sys.stdout.write(render_schemaorg(load_graph()))"
)


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def text(graph):
    return render_schemaorg(graph)


@pytest.fixture(scope="module")
def page(text):
    return json.loads(text)


@pytest.fixture(scope="module")
def condition(page):
    return page["mainEntity"]


def _names(nodes):
    return [node["name"] for node in nodes]


# --- Determinism ---


def test_two_renders_are_equal(graph, text):
    assert render_schemaorg(graph) == text
    assert render_schemaorg(load_graph()) == text
    assert text.endswith("}\n")


def test_render_is_the_document_dumped_sorted(graph, text):
    document = schemaorg_document(graph)
    assert json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n" == text


def test_render_is_byte_identical_across_hash_seeds(text):
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outputs.add(subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True, capture_output=True).stdout)
    assert outputs == {text.encode("utf-8")}


# --- Pure schema.org, expandable offline ---


@pytest.fixture
def offline_loader():
    """Install a document loader that records every URL asked for and refuses it; yields the record."""
    fetched: list[str] = []

    def refuse_to_fetch(url, options=None):
        fetched.append(url)
        raise RuntimeError(f"the JSON-LD processor tried to fetch {url}")

    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(refuse_to_fetch)
    try:
        yield fetched
    finally:
        jsonld.set_document_loader(previous)


def _walk(value, predicates, types):
    if isinstance(value, list):
        for item in value:
            _walk(item, predicates, types)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@type":
                types.extend(item if isinstance(item, list) else [item])
            elif not key.startswith("@"):
                predicates.append(key)
            if key not in ("@id", "@value", "@language", "@type"):
                _walk(item, predicates, types)


def test_context_is_inline_schema_vocab_only(page):
    # schema.org by @vocab, and the IRI-valued terms coerced so that they expand to IRIs
    assert page["@context"] == {
        "@vocab": SCHEMA,
        "sameAs": {"@type": "@id"},
        "url": {"@type": "@id"},
        "sdLicense": {"@type": "@id"},
    }


def _outside_schema_org(expanded):
    predicates, types = [], []
    _walk(expanded, predicates, types)
    outside = [iri for iri in predicates + types if not iri.startswith(SCHEMA)]
    return outside, predicates, types


def test_expands_offline_to_schema_org_terms_only(page, offline_loader):
    expanded = jsonld.expand(page)
    assert offline_loader == []
    assert expanded, "expansion dropped everything"
    outside, predicates, types = _outside_schema_org(expanded)
    assert outside == []
    assert len(predicates) > 50 and len(types) > 30
    assert f"{SCHEMA}MedicalWebPage" in types and f"{SCHEMA}MedicalCondition" in types


def test_the_walk_finds_a_foreign_term(page, offline_loader):
    foreign = json.loads(json.dumps(page))
    foreign["mainEntity"]["signOrSymptom"][0]["http://example.org/p"] = "x"
    foreign["mainEntity"]["riskFactor"][0]["@type"] = "http://example.org/T"
    outside, _, _ = _outside_schema_org(jsonld.expand(foreign))
    assert sorted(outside) == ["http://example.org/T", "http://example.org/p"]


def test_the_refusing_loader_is_the_one_in_use(offline_loader):
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.org/context.jsonld", "name": "x"})
    assert offline_loader == ["https://example.org/context.jsonld"]


# --- The page ---


def test_page_header(page, graph):
    assert page["@type"] == "MedicalWebPage"
    assert page["@id"] == "https://w3id.org/bonemet/id/doc-bone-metastasis"
    assert page["name"]
    assert page["inLanguage"] == "en"
    assert page["lastReviewed"] == "2022-04-27"
    assert page["medicalAudience"] == {"@type": "Patient"}


def test_seven_citations_in_reference_order(page):
    citations = page["citation"]
    assert len(citations) == 7
    assert all(c["@type"] == "CreativeWork" for c in citations)
    assert citations[0]["name"].startswith("DeVita VT Jr, et al., eds. Metastatic cancer to the bone.")
    assert citations[5]["name"].startswith("Saravana-Bawan S, et al. Palliation of bone metastases")
    assert citations[5]["sameAs"] == "https://doi.org/10.21037/apm.2018.12.04"
    assert citations[6]["name"].startswith("Yu HM, et al. Overview of therapeutic approaches")


def test_main_entity_is_the_condition(condition):
    assert condition["@type"] == "MedicalCondition"
    assert condition["@id"] == "https://w3id.org/bonemet/id/bone-metastasis"
    assert condition["name"] == "bone metastasis"
    assert "bone metastases" in condition["alternateName"]
    assert condition["description"].startswith("A condition that occurs when cancer cells spread")


def test_six_signs_and_symptoms_as_the_page_lists_them(condition):
    signs = condition["signOrSymptom"]
    assert all(sign["@type"] == "MedicalSignOrSymptom" for sign in signs)
    assert sorted(_names(signs)) == sorted(SIGNS_AS_LISTED)
    hypercalcemia = next(sign for sign in signs if sign["name"] == "hypercalcemia")
    assert "high levels of calcium in the blood" in hypercalcemia["alternateName"]
    assert "http://purl.obolibrary.org/obo/HP_0003072" in hypercalcemia["sameAs"]


def test_hypercalcemia_effects_are_nested_under_it(condition):
    by_name = {sign["name"]: sign for sign in condition["signOrSymptom"]}
    effects = by_name["hypercalcemia"]["signOrSymptom"]
    assert {effect["name"] for effect in effects} == HYPERCALCEMIA_EFFECTS
    assert all(effect["@type"] == "MedicalSignOrSymptom" for effect in effects)
    for name, sign in by_name.items():
        if name != "hypercalcemia":
            assert "signOrSymptom" not in sign, name
    assert not HYPERCALCEMIA_EFFECTS & set(by_name)


def test_seven_cancers_are_risk_factors(condition):
    factors = condition["riskFactor"]
    assert all(factor["@type"] == "MedicalRiskFactor" for factor in factors)
    assert sorted(_names(factors)) == sorted(CANCERS)
    breast = next(factor for factor in factors if factor["name"] == "breast cancer")
    assert "http://purl.obolibrary.org/obo/MONDO_0007254" in breast["sameAs"]


def test_sites(condition):
    sites = condition["associatedAnatomy"]
    assert all(site["@type"] == "AnatomicalStructure" for site in sites)
    assert {"spine", "pelvis", "thigh"} <= set(_names(sites))
    assert "liver" not in _names(sites)
    # sameAs holds the exact matches only: the thigh read as its bone, the femur, and the
    # pelvis as the bony pelvis (the body-region terms are related matches)
    by_name = {site["name"]: site for site in sites}
    obo, mesh = "http://purl.obolibrary.org/obo/", "http://id.nlm.nih.gov/mesh/"
    assert sorted(by_name["thigh"]["sameAs"]) == sorted([obo + "UBERON_0000981", obo + "NCIT_C12717", mesh + "D005269"])
    assert sorted(by_name["pelvis"]["sameAs"]) == sorted([obo + "UBERON_0001270", mesh + "D010384"])


def test_code_is_icd10_c79_5(condition):
    assert condition["code"] == {"@type": "MedicalCode", "codeValue": "C79.5", "codingSystem": "ICD-10"}


def test_same_as_is_the_exact_matches(condition):
    assert condition["sameAs"] == ["http://purl.obolibrary.org/obo/NCIT_C3580"]


def test_prognosis_is_the_page_sentence_verbatim(condition):
    assert condition["expectedPrognosis"] == PROGNOSIS_SENTENCE


def test_quoted_texts_occur_in_the_page(condition):
    page_text = (Path(__file__).parents[1] / "data" / "source" / "bone-metastasis.txt").read_text(encoding="utf-8")
    assert PROGNOSIS_SENTENCE in page_text
    for key in ("expectedPrognosis", "naturalProgression", "pathophysiology"):
        assert condition[key] in page_text, key
    assert condition["possibleTreatment"]["description"] in page_text


def test_treatment_and_texts(condition):
    therapy = condition["possibleTreatment"]
    assert therapy["@type"] == "MedicalTherapy"
    assert therapy["description"] == "Treatments can help reduce pain and other symptoms of bone metastases."
    assert "reduce pain" in therapy["name"]
    assert condition["naturalProgression"] == (
        "Bone metastasis may be the first sign that you have cancer, or bone metastasis may occur years after cancer treatment."
    )
    assert condition["pathophysiology"] == (
        "Bone metastasis occurs when cancer cells break away from the original tumor and spread to the bones, "
        "where they begin to multiply."
    )


def test_same_as_and_url_expand_to_iris():
    from pyld import jsonld

    from bonemet.exports.schemaorg import render_schemaorg

    expanded = jsonld.expand(json.loads(render_schemaorg(load_graph())), {"documentLoader": None})
    values = []
    pending = list(expanded)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("https://schema.org/sameAs", "https://schema.org/url"):
                    values.extend(value)
                pending.extend(value if isinstance(value, list) else [value])
        elif isinstance(node, list):
            pending.extend(node)
    assert values and all("@id" in v and "@value" not in v for v in values)


def test_the_structured_data_carries_bonemets_licence_as_an_iri():
    # The page's own licence and address are unknown: the copy kept shows neither. The
    # licence of this structured data is bonemet's (ontology/bonemet.ttl, dcterms:license).
    from pyld import jsonld

    from bonemet.exports.schemaorg import render_schemaorg

    page = json.loads(render_schemaorg(load_graph()))
    assert page["sdLicense"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "license" not in page and "url" not in page
    [expanded] = jsonld.expand(page, {"documentLoader": None})
    assert expanded["https://schema.org/sdLicense"] == [{"@id": "https://creativecommons.org/licenses/by/4.0/"}]
