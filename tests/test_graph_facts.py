"""The facts of the page, each written here by reading the source: its triple, the
section it is in, the sentence that states it and how strongly it says it."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from bonemet.graph import load_graph
from bonemet.namespaces import BM, BMR, MESH, OBO

SENTENCE = {
    "definition": "Bone metastasis occurs when cancer cells spread from their original site to a bone.",
    "nearly-all": "Nearly all types of cancer can spread (metastasize) to the bones.",
    "particularly": "But some types of cancer are particularly likely to spread to bone, including breast cancer and prostate cancer.",
    "sites": "Bone metastasis can occur in any bone but more commonly occurs in the spine, pelvis and thigh.",
    "timing": "Bone metastasis may be the first sign that you have cancer, or bone metastasis may occur years after cancer treatment.",
    "pain": "Bone metastasis can cause pain and broken bones.",
    "cure": "With rare exceptions, cancer that has spread to the bones can't be cured.",
    "treat": "Treatments can help reduce pain and other symptoms of bone metastases.",
    "none": "Sometimes, bone metastasis causes no signs and symptoms.",
    "hyper": "High levels of calcium in the blood (hypercalcemia), which can cause nausea, vomiting, constipation and confusion",
    "steps": "Bone metastasis occurs when cancer cells break away from the original tumor and spread to the bones, where they begin to multiply.",
    "liver": "And it's not clear why some cancers travel to the bones rather than to other common sites for metastasis, such as the liver.",
    "unsure": "Doctors aren't sure what causes some cancers to spread.",
    "advice-1": "If you experience persistent signs and symptoms that worry you, make an appointment with your doctor.",
    "advice-2": "If you've been treated for cancer in the past, tell your doctor about your medical history and that you're concerned about your signs and symptoms.",
}
SYMPTOM_LEAD = "When it does occur, signs and symptoms of bone metastasis include:"
RISK_LEAD = "Virtually any type of cancer can spread to the bones, but the cancers most likely to cause bone metastasis include:"

# (subject, predicate, object, section, quote, qualifier words, controlled values)
FACTS = [
    ("cancer", "metastasizesTo", "bone", "overview", SENTENCE["nearly-all"], {"Nearly all types", "can"}, {"frequency-nearly-all", "modality-can"}),
    ("breast-cancer", "metastasizesTo", "bone", "overview", SENTENCE["particularly"], {"particularly likely"}, {"likelihood-particularly-likely"}),
    ("prostate-cancer", "metastasizesTo", "bone", "overview", SENTENCE["particularly"], {"particularly likely"}, {"likelihood-particularly-likely"}),
    ("bone-metastasis", "hasLocation", "spine", "overview", SENTENCE["sites"], {"more commonly"}, {"frequency-more-commonly"}),
    ("bone-metastasis", "hasLocation", "pelvis", "overview", SENTENCE["sites"], {"more commonly"}, {"frequency-more-commonly"}),
    ("bone-metastasis", "hasLocation", "thigh", "overview", SENTENCE["sites"], {"more commonly"}, {"frequency-more-commonly"}),
    ("bone-metastasis", "hasLocation", "bone", "overview", SENTENCE["sites"], {"can"}, {"modality-can"}),
    # the definition says "to a bone" without a hedge: a second record of the same triple
    ("bone-metastasis", "hasLocation", "bone", "overview", SENTENCE["definition"], set(), set()),
    # "may be the first sign that you have cancer"
    ("bone-metastasis", "indicates", "cancer", "overview", SENTENCE["timing"], {"may"}, {"modality-may"}),
    # "other common sites for metastasis, such as the liver": cancers travel there, commonly
    ("cancer", "metastasizesTo", "liver", "causes", SENTENCE["liver"], {"common", "such as"}, {"frequency-common"}),
    ("bone-metastasis", "hasPresentationTiming", "first-sign-of-cancer", "overview", SENTENCE["timing"], {"may"}, {"modality-may"}),
    ("bone-metastasis", "hasPresentationTiming", "years-after-cancer-treatment", "overview", SENTENCE["timing"], {"may"}, {"modality-may"}),
    ("bone-metastasis", "causes", "pain", "overview", SENTENCE["pain"], {"can"}, {"modality-can"}),
    ("bone-metastasis", "causes", "broken-bones", "overview", SENTENCE["pain"], {"can"}, {"modality-can"}),
    ("bone-metastasis", "hasPrognosis", "not-curable", "overview", SENTENCE["cure"], {"With rare exceptions", "can't"}, {"exception-rare-exceptions", "negation-negated"}),
    ("bone-metastasis", "hasTreatmentGoal", "reduce-pain", "overview", SENTENCE["treat"], {"can help"}, {"modality-can"}),
    ("bone-metastasis", "hasTreatmentGoal", "reduce-other-symptoms", "overview", SENTENCE["treat"], {"can help"}, {"modality-can"}),
    ("bone-metastasis", "hasClinicalPresentation", "no-signs-and-symptoms", "symptoms", SENTENCE["none"], {"Sometimes"}, {"frequency-sometimes"}),
    ("bone-metastasis", "hasSignOrSymptom", "bone-pain", "symptoms", "Bone pain", set(), set()),
    ("bone-metastasis", "hasSignOrSymptom", "broken-bones", "symptoms", "Broken bones", set(), set()),
    ("bone-metastasis", "hasSignOrSymptom", "urinary-incontinence", "symptoms", "Urinary incontinence", set(), set()),
    ("bone-metastasis", "hasSignOrSymptom", "bowel-incontinence", "symptoms", "Bowel incontinence", set(), set()),
    ("bone-metastasis", "hasSignOrSymptom", "limb-weakness", "symptoms", "Weakness in the legs or arms", set(), set()),
    ("bone-metastasis", "hasSignOrSymptom", "hypercalcemia", "symptoms", SENTENCE["hyper"], set(), set()),
    ("hypercalcemia", "causes", "nausea", "symptoms", SENTENCE["hyper"], {"can"}, {"modality-can"}),
    ("hypercalcemia", "causes", "vomiting", "symptoms", SENTENCE["hyper"], {"can"}, {"modality-can"}),
    ("hypercalcemia", "causes", "constipation", "symptoms", SENTENCE["hyper"], {"can"}, {"modality-can"}),
    ("hypercalcemia", "causes", "confusion", "symptoms", SENTENCE["hyper"], {"can"}, {"modality-can"}),
    ("metastasis", "hasLocation", "liver", "causes", SENTENCE["liver"], set(), set()),
] + [
    (cancer, "isRiskFactorFor", "bone-metastasis", "risk-factors", item, {"most likely"}, {"likelihood-most-likely"})
    for cancer, item in [
        ("breast-cancer", "Breast cancer"),
        ("kidney-cancer", "Kidney cancer"),
        ("lung-cancer", "Lung cancer"),
        ("lymphoma", "Lymphoma"),
        ("multiple-myeloma", "Multiple myeloma"),
        ("prostate-cancer", "Prostate cancer"),
        ("thyroid-cancer", "Thyroid cancer"),
    ]
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


def records_of(graph: Graph, s: URIRef, p: URIRef, o: URIRef) -> list[URIRef]:
    return [
        f
        for f in graph.subjects(RDF.subject, s)
        if (f, RDF.type, BM.Fact) in graph and (f, RDF.predicate, p) in graph and (f, RDF.object, o) in graph
    ]


def record_of(graph: Graph, s: URIRef, p: URIRef, o: URIRef, quote: str | None = None) -> URIRef:
    """The one fact record of a triple, or of a triple and the sentence it quotes."""
    records = [f for f in records_of(graph, s, p, o) if quote is None or str(graph.value(f, BM.quote)) == quote]
    assert len(records) == 1, f"{s} {p} {o}: {len(records)} fact records"
    return records[0]


@pytest.mark.parametrize(
    "subject, predicate, obj, section, quote, words, values",
    [pytest.param(*fact, id=f"{fact[0]}-{fact[1]}-{fact[2]}") for fact in FACTS],
)
def test_fact_has_its_triple_sentence_section_and_strength(graph, subject, predicate, obj, section, quote, words, values):
    s, p, o = BMR[subject], BM[predicate], BMR[obj]
    assert (s, p, o) in graph, "the plain triple is asserted"
    record = record_of(graph, s, p, o, quote)
    assert str(graph.value(record, BM.quote)) == quote
    assert graph.value(record, BM.inSection) == BMR[f"section-{section}"]
    assert {str(w) for w in graph.objects(record, BM.qualifierText)} >= words
    controlled = {str(v).rsplit("#", 1)[-1] for q in (BM.likelihood, BM.frequency, BM.modality, BM.exception, BM.negation) for v in graph.objects(record, q)}
    assert controlled >= values


@pytest.mark.parametrize("cancer", ["breast", "kidney", "lung", "prostate", "thyroid"])
def test_risk_factor_list_items_carry_the_lead_in(graph, cancer):
    record = record_of(graph, BMR[f"{cancer}-cancer"], BM.isRiskFactorFor, BMR["bone-metastasis"])
    assert str(graph.value(record, BM.leadIn)) == RISK_LEAD


def test_symptom_list_items_carry_the_lead_in(graph):
    record = record_of(graph, BMR["bone-metastasis"], BM.hasSignOrSymptom, BMR["bowel-incontinence"])
    assert str(graph.value(record, BM.leadIn)) == SYMPTOM_LEAD


def test_the_six_signs_and_symptoms_and_hypercalcemias_four_effects(graph):
    signs = {str(o).rsplit("/", 1)[-1] for o in graph.objects(BMR["bone-metastasis"], BM.hasSignOrSymptom)}
    assert signs == {"bone-pain", "broken-bones", "urinary-incontinence", "bowel-incontinence", "limb-weakness", "hypercalcemia"}
    effects = {str(o).rsplit("/", 1)[-1] for o in graph.objects(BMR["hypercalcemia"], BM.causes)}
    assert effects == {"nausea", "vomiting", "constipation", "confusion"}
    assert all((BMR[name], RDF.type, BM.SignOrSymptom) in graph for name in signs | effects)


def test_the_seven_cancers_most_likely_to_cause_bone_metastasis(graph):
    cancers = {str(s).rsplit("/", 1)[-1] for s in graph.subjects(BM.isRiskFactorFor, BMR["bone-metastasis"]) if (s, RDF.type, BM.CancerType) in graph}
    assert cancers == {"breast-cancer", "kidney-cancer", "lung-cancer", "lymphoma", "multiple-myeloma", "prostate-cancer", "thyroid-cancer"}


def test_mechanism_steps_in_their_order(graph):
    steps = sorted((int(graph.value(s, BM.stepOrder)), str(graph.value(s, RDFS.label))) for s in graph.objects(BMR["bone-metastasis"], BM.hasMechanismStep))
    assert [order for order, _ in steps] == [1, 2, 3]
    assert "break away" in steps[0][1] and "spread" in steps[1][1] and "multiply" in steps[2][1]
    for step in graph.objects(BMR["bone-metastasis"], BM.hasMechanismStep):
        assert str(graph.value(record_of(graph, BMR["bone-metastasis"], BM.hasMechanismStep, step), BM.quote)) == SENTENCE["steps"]


def test_two_open_questions_quote_their_sentences_and_their_negative_wording(graph):
    quotes = set()
    for subject, question in graph.subject_objects(BM.hasOpenQuestion):
        record = record_of(graph, subject, BM.hasOpenQuestion, question)
        quotes.add(str(graph.value(record, BM.quote)))
        assert graph.value(record, BM.negation) == BM["negation-negated"]
    assert quotes == {SENTENCE["unsure"], SENTENCE["liver"]}


def test_virtually_any_type_is_a_lead_in_not_a_risk_factor_claim(graph):
    # "Virtually any type of cancer can spread to the bones" does not say that having
    # cancer raises the risk; the sentence introduces the list of the seven cancers.
    assert (BMR["cancer"], BM.isRiskFactorFor, BMR["bone-metastasis"]) not in graph
    assert len(set(graph.subjects(BM.leadIn, Literal(RISK_LEAD)))) == 7


def test_two_pieces_of_advice_each_with_a_condition_and_an_action(graph):
    advice = list(graph.objects(BMR["bone-metastasis"], BM.hasAdvice))
    assert len(advice) == 2
    quotes = set()
    for item in advice:
        condition = str(graph.value(item, BM.adviceCondition))
        action = str(graph.value(item, BM.recommendedAction))
        quote = str(graph.value(record_of(graph, BMR["bone-metastasis"], BM.hasAdvice, item), BM.quote))
        assert condition and action
        quotes.add(quote)
    assert quotes == {SENTENCE["advice-1"], SENTENCE["advice-2"]}


def test_qualifier_words_are_the_texts_own(graph):
    for record in graph.subjects(RDF.type, BM.Fact):
        said = str(graph.value(record, BM.quote)) + " " + str(graph.value(record, BM.leadIn) or "")
        for word in graph.objects(record, BM.qualifierText):
            assert str(word) in said, (record, word)


def test_qualifier_values_come_from_their_schemes(graph):
    schemes = {BM.likelihood: BM.LikelihoodScheme, BM.frequency: BM.FrequencyScheme, BM.modality: BM.ModalityScheme, BM.exception: BM.ExceptionScheme, BM.negation: BM.NegationScheme}
    for prop, scheme in schemes.items():
        for value in graph.objects(None, prop):
            assert (value, SKOS.inScheme, scheme) in graph, (prop, value)


def test_every_plain_fact_triple_has_its_records_and_every_record_is_asserted(graph):
    fact_predicates = {graph.value(r, RDF.predicate) for r in graph.subjects(RDF.type, BM.Fact)}
    for p in fact_predicates:
        for s, o in graph.subject_objects(p):
            facts = records_of(graph, s, p, o)
            derivations = [d for d in graph.subjects(RDF.subject, s) if (d, RDF.type, BM.Derivation) in graph
                           and (d, RDF.predicate, p) in graph and (d, RDF.object, o) in graph]
            # stated by the page (a record per stating sentence) or derived (one record), never both
            assert (len(facts) >= 1) != (len(derivations) == 1), (s, p, o, facts, derivations)
            assert len({graph.value(f, BM.readsUnit) for f in facts}) == len(facts), (s, p, o)
    for record in graph.subjects(RDF.type, BM.Fact):
        triple = (graph.value(record, RDF.subject), graph.value(record, RDF.predicate), graph.value(record, RDF.object))
        assert triple in graph, record


def test_page_wording_is_kept_beside_clinical_labels(graph):
    def names(entity: str) -> set[str]:
        return {str(v) for p in (RDFS.label, SKOS.altLabel) for v in graph.objects(BMR[entity], p)}

    assert "broken bones" in names("broken-bones")
    assert "thigh" in names("thigh")
    assert "high levels of calcium in the blood" in names("hypercalcemia")
    assert "weakness in the legs or arms" in names("limb-weakness")


# Cross-links, read from ../shared/reference/ontology-crosswalk.md
CROSSLINKS = [
    ("bone-metastasis", SKOS.exactMatch, OBO["NCIT_C3580"]),
    ("bone-metastasis", SKOS.closeMatch, URIRef("https://icd.who.int/browse10/2019/en#/C79.5")),
    ("bone-metastasis", SKOS.narrowMatch, OBO["MONDO_0024884"]),
    ("bone-metastasis", SKOS.broadMatch, OBO["MONDO_0024880"]),
    ("bone-metastasis", SKOS.broadMatch, OBO["HP_0010622"]),
    ("breast-cancer", SKOS.exactMatch, OBO["MONDO_0007254"]),
    ("breast-cancer", SKOS.broadMatch, MESH["D001943"]),
    ("prostate-cancer", SKOS.exactMatch, OBO["DOID_10283"]),
    ("prostate-cancer", SKOS.broadMatch, MESH["D011471"]),
    ("kidney-cancer", SKOS.narrowMatch, URIRef("https://icd.who.int/browse10/2019/en#/C64")),
    ("kidney-cancer", SKOS.broadMatch, MESH["D007680"]),
    ("multiple-myeloma", SKOS.exactMatch, OBO["MONDO_0009693"]),
    ("lung-cancer", SKOS.broadMatch, MESH["D008175"]),
    ("thyroid-cancer", SKOS.broadMatch, MESH["D013964"]),
    ("spine", SKOS.exactMatch, OBO["UBERON_0001130"]),
    ("spine", SKOS.exactMatch, OBO["NCIT_C12998"]),
    ("spine", SKOS.exactMatch, MESH["D013131"]),
    ("pelvis", SKOS.exactMatch, OBO["UBERON_0001270"]),
    ("pelvis", SKOS.exactMatch, MESH["D010384"]),
    ("pelvis", SKOS.relatedMatch, OBO["NCIT_C12767"]),
    ("thigh", SKOS.exactMatch, OBO["UBERON_0000981"]),
    ("thigh", SKOS.exactMatch, OBO["NCIT_C12717"]),
    ("thigh", SKOS.exactMatch, MESH["D005269"]),
    ("thigh", SKOS.relatedMatch, OBO["UBERON_0000376"]),
    ("thigh", SKOS.relatedMatch, OBO["NCIT_C33763"]),
    ("thigh", SKOS.relatedMatch, MESH["D013848"]),
    ("bone-pain", SKOS.exactMatch, OBO["HP_0002653"]),
    ("broken-bones", SKOS.exactMatch, OBO["HP_0020110"]),
    ("broken-bones", SKOS.closeMatch, OBO["HP_0002756"]),
    ("bowel-incontinence", SKOS.exactMatch, OBO["HP_0002607"]),
    ("limb-weakness", SKOS.exactMatch, OBO["HP_0003690"]),
    ("hypercalcemia", SKOS.exactMatch, OBO["HP_0003072"]),
    ("hypercalcemia", SKOS.closeMatch, OBO["NCIT_C3112"]),
    ("hypercalcemia", SKOS.closeMatch, MESH["D006934"]),
    ("hypercalcemia", SKOS.closeMatch, OBO["MONDO_0001566"]),
    ("confusion", SKOS.exactMatch, OBO["HP_0001289"]),
    ("constipation", SKOS.exactMatch, OBO["HP_0002019"]),
]
MATCH_TYPES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
AVOIDED = [OBO["MONDO_0043606"], OBO["HP_0007147"], OBO["HP_0000731"], OBO["HP_0002241"], OBO["HP_0003786"], OBO["NCIT_C33588"], OBO["MONDO_0002129"], OBO["DOID_184"]]


@pytest.mark.parametrize("entity, predicate, target", [pytest.param(*c, id=f"{c[0]}-{str(c[2]).rsplit('/', 1)[-1]}") for c in CROSSLINKS])
def test_crosswalk_identifier_linked_with_its_match_type(graph, entity, predicate, target):
    assert (BMR[entity], predicate, target) in graph
    # one match type per identifier: a changed type must not leave the old triple behind
    types = {p for p in MATCH_TYPES if (BMR[entity], p, target) in graph}
    assert types == {predicate}
    # and the curator record says the same type
    records = set(graph.subjects(RDF.subject, BMR[entity])) & set(graph.subjects(RDF.object, target))
    assert {graph.value(r, RDF.predicate) for r in records if (r, RDF.type, BM.CuratorLink) in graph} == {predicate}


def test_ids_to_avoid_are_absent(graph):
    used = set(graph.objects())
    assert not used & set(AVOIDED)


def test_every_curator_added_triple_is_marked(graph):
    mappings = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, SKOS.broader)
    records = {
        (graph.value(r, RDF.subject), graph.value(r, RDF.predicate), graph.value(r, RDF.object))
        for r in graph.subjects(RDF.type, BM.CuratorLink)
        if graph.value(r, BM.curatorAdded) == Literal(True)
    }
    resources = str(BMR)
    linked = {(s, p, o) for p in mappings for s, o in graph.subject_objects(p) if str(s).startswith(resources)}
    assert linked
    assert linked == records
