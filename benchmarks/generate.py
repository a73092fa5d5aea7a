"""Synthetic bonemet graphs of a requested size, shaped like the shipped one.

    python benchmarks/generate.py --triples 100000 --out DIR [--seed 0] [--format nt|ttl]

Writes ``DIR/bonemet-synthetic.nt`` (the data; the vocabulary is not copied, it is
always added by bonemet) and ``DIR/synthetic-sources/doc-NNNNNN.txt``, one text per
synthetic source document. Each document is a patient-education page about bone
metastasis in the shipped page's shape: an overview, symptoms, "When to see a doctor",
causes and "Risk factors" sections, a review date and a numbered reference list. The
graph has, per document: the bm:SourceDocument record (SHA-256 of its text, review
date, language, local copy), its five bm:DocumentSection and its bm:Reference records;
new cancers, sites, signs, timings, goals, a prognosis, a presentation, mechanism
steps, an open question and advice, each with one English label unique within its
class and a definition; the plain fact triples and one bm:Fact record per triple whose
quote (and lead-in, for list items) is copied from the document's text, with the
text's qualifier words and the controlled qualifier values; SKOS cross-links (HP,
UBERON, MONDO, DOID, NCIt, MeSH, ICD-10, well formed) and skos:broader links, each
with a bm:CuratorLink record. The first document also holds the anchor entities the
named questions start from (bmr:bone-metastasis, bmr:metastasis, bmr:cancer,
bmr:bone, bmr:hypercalcemia); every document adds facts about them, so that every
named question's answer grows with the graph.

``bm:localCopy`` is ``synthetic-sources/doc-NNNNNN.txt``, relative to the folder of the
data file: ``bonemet.paths.local_copy`` looks there after the resource root when the
data files are validated by path (``bonemet.checks.validation.validate(files)``); with
``bonemet.checks.validation.check`` pass ``text_roots=[DIR]``.

Why N-Triples: it is the format both readers load fastest. On the same 100k-triple
graph rdflib parsed the N-Triples file in 1.8 s and the Turtle file in 2.9 s (its
N-Triples parser is a line parser; its Turtle parser is the general N3 parser), and
Oxigraph bulk-loaded them in 0.19 s and 0.21 s (no tokenizer state, no prefix
expansion). The Turtle file is 3.4 times smaller; ``--format ttl`` writes Turtle instead
(written by Oxigraph from the same triples).

Deterministic: the same ``--triples`` and ``--seed`` give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import random
import sys
from pathlib import Path

BM = "https://w3id.org/bonemet/vocab#"
BMR = "https://w3id.org/bonemet/id/"
OBO = "http://purl.obolibrary.org/obo/"
MESH = "http://id.nlm.nih.gov/mesh/"
ICD10 = "https://icd.who.int/browse10/2019/en#/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"

DATA_NAME = "bonemet-synthetic"
SOURCES = "synthetic-sources"
TRIPLES_PER_DOCUMENT = 1000  # the size of one synthetic document's share of the graph

# syllables of two letters: 18 consonants x 5 vowels = 90, three per word = 729,000 words
_CONSONANTS = "bdfghjklmnprstvwzc"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]
_WORDS = len(_SYLLABLES) ** 3

LEAD_IN_SIGNS = "When it does occur, signs and symptoms of bone metastasis include:"
LEAD_IN_RISK = "Virtually any type of cancer can spread to the bones, but the cancers most likely to cause bone metastasis include:"
SECTIONS = [
    # (key, label, heading shown in the text or None)
    ("overview", "Overview", None),
    ("symptoms", "Symptoms", None),
    ("when-to-see-a-doctor", "When to see a doctor", "When to see a doctor"),
    ("causes", "Causes", None),
    ("risk-factors", "Risk factors", "Risk factors"),
]
SIGN_KINDS = ["pain", "weakness", "swelling", "numbness", "stiffness", "tenderness", "fatigue", "cramps"]
SITE_KINDS = ["bone", "vertebra", "rib", "joint"]
ORGAN_KINDS = ["gland", "lobe", "node"]
CANCER_KINDS = ["cancer", "carcinoma", "sarcoma"]
JOURNALS = ["Journal of Synthetic Oncology", "Annals of Generated Medicine", "Synthetic Bone Research", "Reviews in Artificial Cancer Care"]
SURNAMES = ["Avery", "Baptiste", "Chen", "Dossou", "Eriksen", "Fujita", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist"]
ECO_AUTHOR = OBO + "ECO_0000033"
ECO_CURATOR = OBO + "ECO_0000305"


# --- RDF terms as N-Triples text ----------------------------------------------------


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def en(value: str) -> str:
    return lit(value, lang="en")


def integer(value: int) -> str:
    return lit(str(value), datatype=XSD + "integer")


TYPE = iri(RDF + "type")
LABEL = iri(RDFS + "label")
DEFINITION = iri(SKOS + "definition")
ALT_LABEL = iri(SKOS + "altLabel")

# fact predicates: local name, label, slug used in record IRIs (as the shipped data does)
PREDICATES = {
    "metastasizesTo": "metastasizes to",
    "hasLocation": "has location",
    "isSpreadOf": "is spread of",
    "hasSignOrSymptom": "has sign or symptom",
    "causes": "causes",
    "isRiskFactorFor": "is risk factor for",
    "hasClinicalPresentation": "has clinical presentation",
    "hasPresentationTiming": "has presentation timing",
    "hasTreatmentGoal": "has treatment goal",
    "hasPrognosis": "has prognosis",
    "hasMechanismStep": "has mechanism step",
    "hasOpenQuestion": "has open question",
    "hasAdvice": "has advice",
}
MATCH_LABELS = {"exactMatch": "exact match", "closeMatch": "close match", "broadMatch": "broad match", "narrowMatch": "narrow match", "broader": "has broader"}


class Entity:
    __slots__ = ("local", "label", "cls")

    def __init__(self, local: str, label: str, cls: str):
        self.local, self.label, self.cls = local, label, cls

    @property
    def term(self) -> str:
        return iri(BMR + self.local)


ANCHORS = {
    "bone-metastasis": Entity("bone-metastasis", "bone metastasis", "Condition"),
    "metastasis": Entity("metastasis", "metastasis", "Condition"),
    "cancer": Entity("cancer", "cancer", "Condition"),
    "bone": Entity("bone", "bone", "AnatomicalSite"),
    "hypercalcemia": Entity("hypercalcemia", "hypercalcemia", "SignOrSymptom"),
}


class Generator:
    """Writes the triples of the whole graph, one document at a time."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        # a seeded permutation of the word space, so that words do not run in order
        self.word_step = self._coprime_step(self.rng)
        self.word_offset = self.rng.randrange(_WORDS)
        self.words_used = 0
        self.ids: dict[str, int] = {}
        self.triples: list[str] = []  # N-Triples lines of the current document

    # --- names and identifiers ---

    @staticmethod
    def _coprime_step(rng: random.Random) -> int:
        while True:
            step = rng.randrange(1000, _WORDS)
            if step % 2 and step % 3 and step % 5:  # 729000 = 2^3 3^6 5^3
                return step

    def word(self) -> str:
        index = (self.word_offset + self.words_used * self.word_step) % _WORDS
        self.words_used += 1
        if self.words_used > _WORDS:
            raise ValueError("out of synthetic words: ask for fewer triples")
        n = len(_SYLLABLES)
        return _SYLLABLES[index // (n * n)] + _SYLLABLES[(index // n) % n] + _SYLLABLES[index % n]

    def next_id(self, scheme: str) -> int:
        self.ids[scheme] = self.ids.get(scheme, 0) + 1
        return self.ids[scheme]

    def identifier(self, scheme: str) -> tuple[str, str]:
        """(IRI, CURIE) of a well-formed synthetic identifier of ``scheme``."""
        k = self.next_id(scheme)
        if scheme in ("HP", "UBERON", "MONDO"):
            local = f"{scheme}_{8000000 + k:07d}"
            return OBO + local, local.replace("_", ":")
        if scheme == "DOID":
            return OBO + f"DOID_{900000 + k}", f"DOID:{900000 + k}"
        if scheme == "NCIT":
            return OBO + f"NCIT_C{900000 + k}", f"NCIT:C{900000 + k}"
        if scheme == "MESH":
            return MESH + f"D{900000 + k:06d}", f"MESH:D{900000 + k:06d}"
        if scheme == "ICD10":
            letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(k // 1000) % 26]
            code = f"{letter}{(k // 10) % 100:02d}.{k % 10}"
            return ICD10 + code, f"ICD10:{code}"
        raise ValueError(scheme)

    # --- triples ---

    def add(self, s: str, p: str, o: str) -> None:
        self.triples.append(f"{s} {p} {o} .\n")

    def entity(self, local: str, label: str, cls: str, definition: str, alt: str | None = None) -> Entity:
        e = Entity(local, label, cls)
        self.add(e.term, TYPE, iri(BM + cls))
        self.add(e.term, LABEL, en(label))
        if alt:
            self.add(e.term, ALT_LABEL, en(alt))
        self.add(e.term, DEFINITION, en(definition))
        return e

    def fact(self, doc: "Document", subject: Entity, predicate: str, obj: Entity, quote: str, section: str,
             qualifiers: list[tuple[str, str, str]] = (), lead_in: str | None = None) -> None:
        """The plain triple and its one bm:Fact record. ``qualifiers``: (property, value, words of the quote)."""
        self.add(subject.term, iri(BM + predicate), obj.term)
        slug = PREDICATES[predicate].replace(" ", "-")
        record = iri(BMR + f"fact-{subject.local}-{slug}-{obj.local}")
        self.add(record, TYPE, iri(BM + "Fact"))
        self.add(record, LABEL, en(f"{subject.label} {PREDICATES[predicate]} {obj.label}"))
        self.add(record, iri(RDF + "subject"), subject.term)
        self.add(record, iri(RDF + "predicate"), iri(BM + predicate))
        self.add(record, iri(RDF + "object"), obj.term)
        self.add(record, iri(BM + "quote"), lit(quote))
        if lead_in:
            self.add(record, iri(BM + "leadIn"), lit(lead_in))
        self.add(record, iri(BM + "inSection"), doc.section(section))
        words_seen = set()
        for prop, value, words in qualifiers:
            assert words in quote or (lead_in and words in lead_in), (words, quote)
            if words not in words_seen:
                words_seen.add(words)
                self.add(record, iri(BM + "qualifierText"), lit(words))
            self.add(record, iri(BM + prop), iri(BM + value))
        self.add(record, iri(BM + "evidence"), iri(ECO_AUTHOR))
        self.add(record, iri(PROV + "hadPrimarySource"), doc.term)

    def curator_link(self, subject: Entity, predicate: str, target: str, target_name: str, seen_in: str) -> None:
        """A curator-added triple (skos:broader or a SKOS mapping) and its bm:CuratorLink record."""
        self.add(subject.term, iri(SKOS + predicate), target)
        slug = target_name.lower().replace(":", "-").replace(".", "-").replace(" ", "-")
        record = iri(BMR + f"link-{subject.local}-{predicate.lower()}-{slug}")
        self.add(record, TYPE, iri(BM + "CuratorLink"))
        self.add(record, LABEL, en(f"{subject.label} {MATCH_LABELS[predicate]} {target_name}"))
        self.add(record, iri(RDF + "subject"), subject.term)
        self.add(record, iri(RDF + "predicate"), iri(SKOS + predicate))
        self.add(record, iri(RDF + "object"), target)
        self.add(record, iri(BM + "curatorAdded"), lit("true", datatype=XSD + "boolean"))
        self.add(record, iri(BM + "evidence"), iri(ECO_CURATOR))
        self.add(record, iri(BM + "seenIn"), lit(seen_in))

    def cross_link(self, subject: Entity, predicate: str, scheme: str) -> None:
        target, curie = self.identifier(scheme)
        self.curator_link(subject, predicate, iri(target), curie, f"synthetic: {scheme} release file, identifier beside its label")

    def broader(self, subject: Entity, parent: Entity) -> None:
        self.curator_link(subject, "broader", parent.term, parent.label, "synthetic: the document calls it a type of cancer")


class Document:
    """One synthetic source document: its text, by section, and its record."""

    def __init__(self, number: int):
        self.number = number
        self.local = f"doc-synthetic-{number:06d}"
        self.path = f"{SOURCES}/doc-{number:06d}.txt"
        self.parts: dict[str, list[str]] = {key: [] for key, _l, _h in SECTIONS}
        self.bullets: dict[str, list[str]] = {"symptoms": [], "risk-factors": []}
        self.tail: list[str] = []

    @property
    def term(self) -> str:
        return iri(BMR + self.local)

    def section(self, key: str) -> str:
        return iri(BMR + f"section-{self.number:06d}-{key}")

    def text(self) -> str:
        out = [f"Synthetic patient-education page {self.number}: bone metastasis", ""]
        for key, _label, heading in SECTIONS:
            if heading:
                out += [heading, ""]
            paragraphs = self.parts[key]
            out += paragraphs[:1] + [""] if paragraphs else []
            if key in self.bullets and self.bullets[key]:
                out += [LEAD_IN_SIGNS if key == "symptoms" else LEAD_IN_RISK, ""]
                out += [f"  \u2022 {item}" for item in self.bullets[key]] + [""]
            for paragraph in paragraphs[1:]:
                out += [paragraph, ""]
        out += self.tail
        return "\n".join(out) + "\n"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _document(g: Generator, number: int, budget: int, out_dir: Path) -> tuple[list[str], int]:
    """The N-Triples lines of one document (about ``budget`` of them) and writes its text."""
    rng = g.rng
    doc = Document(number)
    first = number == 1
    g.triples = []
    A = ANCHORS
    n = number

    if first:  # the anchors the named questions start from
        g.entity("bone-metastasis", "bone metastasis", "Condition", "A condition that occurs when cancer cells spread from their original site to a bone.", alt="bone metastases")
        g.entity("metastasis", "metastasis", "Condition", "Cancer that has spread from its original site to another part of the body.", alt="metastatic cancer")
        g.entity("cancer", "cancer", "Condition", "Any type of cancer.")
        g.entity("bone", "bone", "AnatomicalSite", "A bone of the skeleton.", alt="bones")
        g.entity("hypercalcemia", "hypercalcemia", "SignOrSymptom", "High levels of calcium in the blood.", alt="high levels of calcium in the blood")
        g.broader(A["bone-metastasis"], A["metastasis"])
        g.broader(A["metastasis"], A["cancer"])
        g.cross_link(A["bone-metastasis"], "exactMatch", "NCIT")
        g.cross_link(A["bone-metastasis"], "closeMatch", "ICD10")
        g.cross_link(A["bone-metastasis"], "broadMatch", "MONDO")
        g.cross_link(A["metastasis"], "exactMatch", "MONDO")
        g.cross_link(A["cancer"], "exactMatch", "DOID")
        g.cross_link(A["bone"], "exactMatch", "UBERON")
        g.cross_link(A["bone"], "closeMatch", "MESH")
        g.cross_link(A["hypercalcemia"], "exactMatch", "HP")

    def new(kind: str, cls: str, label_of, definition: str) -> Entity:
        w = g.word()
        label = label_of(w)
        return g.entity(f"{kind}-{w}", label, cls, definition.format(label=label, n=n))

    def cancer() -> Entity:
        e = new("cancer", "CancerType", lambda w: f"{w} {rng.choice(CANCER_KINDS)}",
                "A primary cancer ({label}) that synthetic document {n} names as likely to spread to bone.")
        g.broader(e, A["cancer"])
        g.cross_link(e, "exactMatch", "MONDO")
        g.cross_link(e, "exactMatch", rng.choice(["DOID", "NCIT"]))
        g.cross_link(e, "closeMatch", rng.choice(["ICD10", "MESH"]))
        return e

    def site() -> Entity:
        e = new("site", "AnatomicalSite", lambda w: f"{w} {rng.choice(SITE_KINDS)}",
                "A part of the skeleton ({label}) where synthetic document {n} says bone metastasis more commonly occurs.")
        g.cross_link(e, "exactMatch", "UBERON")
        g.cross_link(e, rng.choice(["exactMatch", "closeMatch"]), "MESH")
        return e

    def organ() -> Entity:
        e = new("organ", "AnatomicalSite", lambda w: f"{w} {rng.choice(ORGAN_KINDS)}",
                "An organ ({label}) that synthetic document {n} names as another common site for metastasis.")
        g.cross_link(e, "exactMatch", "UBERON")
        return e

    def sign() -> Entity:
        e = new("sign", "SignOrSymptom", lambda w: f"{w} {rng.choice(SIGN_KINDS)}",
                "A sign or symptom ({label}) named in synthetic document {n}.")
        g.cross_link(e, "exactMatch", "HP")
        if rng.random() < 0.3:
            g.cross_link(e, "closeMatch", rng.choice(["MESH", "NCIT"]))
        return e

    # --- Overview ---
    cancers = [cancer() for _ in range(rng.randint(3, 5))]
    sites = [site() for _ in range(rng.randint(2, 4))]
    timings = [new("timing", "PresentationTiming", lambda w: f"in the {w} phase after cancer treatment",
                   "A time ({label}) at which synthetic document {n} says bone metastasis may first appear.") for _ in range(2)]
    goals = [new("goal", "TreatmentGoal", lambda w: f"reduce {w} symptoms",
                 "An aim ({label}) that synthetic document {n} says treatments can help reach.") for _ in range(2)]
    prognosis_word = g.word()
    prognosis = g.entity(f"prognosis-{prognosis_word}", f"{prognosis_word} bone metastases cannot be cured", "Prognosis",
                         f"The outcome synthetic document {n} states: {prognosis_word} bone metastases cannot be cured, with rare exceptions.")
    overview = doc.parts["overview"]
    if first:
        s = "Bone metastasis occurs when cancer cells spread from their original site to a bone."
        overview.append(s)
        g.fact(doc, A["bone-metastasis"], "isSpreadOf", A["cancer"], s, "overview")
        s = "Nearly all types of cancer can spread (metastasize) to the bones."
        overview.append(s)
        g.fact(doc, A["cancer"], "metastasizesTo", A["bone"], s, "overview",
               [("frequency", "frequency-nearly-all", "Nearly all types"), ("modality", "modality-can", "can")])
    else:
        s = f"Bone metastasis occurs when cells of {cancers[0].label} spread from their original site to a bone."
        overview.append(s)
        g.fact(doc, A["bone-metastasis"], "isSpreadOf", cancers[0], s, "overview")
    likely = cancers[: max(2, len(cancers) - 2)]
    s = f"Some types of cancer are particularly likely to spread to bone, including {_and([c.label for c in likely])}."
    overview.append(s)
    for c in likely:
        g.fact(doc, c, "metastasizesTo", A["bone"], s, "overview", [("likelihood", "likelihood-particularly-likely", "particularly likely")])
    s = f"Bone metastasis can occur in any bone but more commonly occurs in the {_and([x.label for x in sites])}."
    overview.append(s)
    if first:
        g.fact(doc, A["bone-metastasis"], "hasLocation", A["bone"], s, "overview",
               [("modality", "modality-can", "can"), ("frequency", "frequency-any", "any bone")])
    for x in sites:
        g.fact(doc, A["bone-metastasis"], "hasLocation", x, s, "overview", [("frequency", "frequency-more-commonly", "more commonly")])
    s = f"Bone metastasis may occur {timings[0].label}, or bone metastasis may occur {timings[1].label}."
    overview.append(s)
    for t in timings:
        g.fact(doc, A["bone-metastasis"], "hasPresentationTiming", t, s, "overview", [("modality", "modality-may", "may")])

    # --- Symptoms (the signs are made here; the sentence that bone metastasis causes two of them goes to the overview) ---
    presentation_word = g.word()
    presentation = g.entity(f"presentation-{presentation_word}", f"no {presentation_word} signs and symptoms", "ClinicalPresentation",
                            f"Bone metastasis that causes no {presentation_word} signs and symptoms, as synthetic document {n} words it.")
    s = f"Sometimes, bone metastasis causes no {presentation_word} signs and symptoms."
    doc.parts["symptoms"].append(s)
    g.fact(doc, A["bone-metastasis"], "hasClinicalPresentation", presentation, s, "symptoms",
           [("frequency", "frequency-sometimes", "Sometimes"), ("negation", "negation-negated", "no")])
    listed = [sign() for _ in range(3)]
    for x in listed:
        doc.bullets["symptoms"].append(_cap(x.label))
        g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", x, _cap(x.label), "symptoms", lead_in=LEAD_IN_SIGNS)
    # a listed sign that causes others, like the page's hypercalcemia item
    chain = sign()
    effects = [sign() for _ in range(2)]
    item = f"{_cap(chain.label)}, which can cause {_and([e.label for e in effects])}"
    doc.bullets["symptoms"].append(item)
    g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", chain, item, "symptoms", lead_in=LEAD_IN_SIGNS)
    for e in effects:
        g.fact(doc, chain, "causes", e, item, "symptoms", [("modality", "modality-can", "can")], lead_in=LEAD_IN_SIGNS)
    hyper_effects = [sign() for _ in range(rng.randint(2, 3))]
    if first:
        item = f"High levels of calcium in the blood (hypercalcemia), which can cause {_and([e.label for e in hyper_effects])}"
        doc.bullets["symptoms"].append(item)
        g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", A["hypercalcemia"], item, "symptoms", lead_in=LEAD_IN_SIGNS)
        for e in hyper_effects:
            g.fact(doc, A["hypercalcemia"], "causes", e, item, "symptoms", [("modality", "modality-can", "can")], lead_in=LEAD_IN_SIGNS)
    else:
        s = f"Hypercalcemia can cause {_and([e.label for e in hyper_effects])}."
        doc.parts["symptoms"].append(s)
        for e in hyper_effects:
            g.fact(doc, A["hypercalcemia"], "causes", e, s, "symptoms", [("modality", "modality-can", "can")])
    s = f"Bone metastasis can cause {listed[0].label} and {listed[1].label}."
    overview.append(s)
    for x in listed[:2]:
        g.fact(doc, A["bone-metastasis"], "causes", x, s, "overview", [("modality", "modality-can", "can")])
    s = f"With rare exceptions, {prognosis_word} bone metastases can't be cured."
    overview.append(s)
    g.fact(doc, A["bone-metastasis"], "hasPrognosis", prognosis, s, "overview",
           [("exception", "exception-rare-exceptions", "With rare exceptions"), ("negation", "negation-negated", "can't")])
    s = f"Treatments can help {goals[0].label} and {goals[1].label}."
    overview.append(s)
    for x in goals:
        g.fact(doc, A["bone-metastasis"], "hasTreatmentGoal", x, s, "overview", [("modality", "modality-can", "can")])

    # --- When to see a doctor ---
    w = g.word()
    advice = g.entity(f"advice-{w}", f"make an appointment about persistent {w} symptoms", "Advice",
                      f"Advice of synthetic document {n}: see a doctor about persistent {w} symptoms.")
    g.add(advice.term, iri(BM + "adviceCondition"), en(f"If you experience persistent {w} symptoms"))
    g.add(advice.term, iri(BM + "recommendedAction"), en("make an appointment with your doctor"))
    s = f"If you experience persistent {w} symptoms, make an appointment with your doctor."
    doc.parts["when-to-see-a-doctor"].append(s)
    g.fact(doc, A["bone-metastasis"], "hasAdvice", advice, s, "when-to-see-a-doctor")

    # --- Causes ---
    w = g.word()
    steps = []
    for order, phrase in enumerate(["break away from the original tumor", "spread to the bones", "begin to multiply in the bones"], start=1):
        step = g.entity(f"step-{w}-{order}", f"{w} cells {phrase}", "MechanismStep",
                        f"Step {order} of how synthetic document {n} says bone metastasis occurs: {w} cells {phrase}.")
        g.add(step.term, iri(BM + "stepOrder"), integer(order))
        steps.append(step)
    s = f"Bone metastasis occurs when {w} cells break away from the original tumor and spread to the bones, where they begin to multiply."
    doc.parts["causes"].append(s)
    for step in steps:
        g.fact(doc, A["bone-metastasis"], "hasMechanismStep", step, s, "causes")
    w = g.word()
    question = g.entity(f"question-{w}", f"what causes {w} cancers to spread", "OpenQuestion",
                        f"What causes {w} cancers to spread; synthetic document {n} says doctors aren't sure.")
    s = f"Doctors aren't sure what causes {w} cancers to spread."
    doc.parts["causes"].append(s)
    g.fact(doc, A["metastasis"] if n % 2 else A["bone-metastasis"], "hasOpenQuestion", question, s, "causes")
    organs = [organ() for _ in range(rng.randint(1, 2))]
    s = ("It's not clear why some cancers travel to the bones rather than to other common sites for metastasis, "
         f"such as the {_and([o.label for o in organs])}.")
    doc.parts["causes"].append(s)
    for o in organs:
        g.fact(doc, A["metastasis"], "hasLocation", o, s, "causes", [("frequency", "frequency-common", "common sites")])

    # --- Risk factors ---
    for c in cancers:
        doc.bullets["risk-factors"].append(_cap(c.label))
        g.fact(doc, c, "isRiskFactorFor", A["bone-metastasis"], _cap(c.label), "risk-factors",
               [("likelihood", "likelihood-most-likely", "most likely")], lead_in=LEAD_IN_RISK)

    # --- Review date and references ---
    reviewed = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    doc.tail.append(f"{reviewed:%b} {reviewed.day}, {reviewed.year}")
    doc.tail.append("")
    references = []
    for k in range(1, rng.randint(3, 7) + 1):
        w = g.word()
        title = f"{_cap(w)} metastases to the bone: review {n}.{k}"
        author = f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGHJKLM')}{rng.choice('ABCDEFGHJKLM')}"
        journal = rng.choice(JOURNALS)
        year = 2000 + rng.randrange(22)
        citation = f"{author}, et al. {title}. {journal}. {year}; doi:10.5555/synthetic.{n}.{k}."
        doc.tail.append(f"  {k}. {citation}")
        ref = g.entity(f"reference-{n:06d}-{k}", title, "Reference", f"Reference {k} of synthetic document {n}'s reference list (journal article).")
        g.add(ref.term, iri(BM + "referenceNumber"), integer(k))
        g.add(ref.term, iri(BM + "citationText"), lit(citation))
        g.add(ref.term, iri(DCTERMS + "creator"), lit(f"{author}, et al."))
        g.add(ref.term, iri(DCTERMS + "title"), lit(title))
        g.add(ref.term, iri(BM + "journal"), lit(journal))
        g.add(ref.term, iri(DCTERMS + "issued"), lit(str(year), datatype=XSD + "gYear"))
        references.append(ref)

    # --- Sections and the document record (their triples are counted before filling) ---
    fixed_after = 5 * 4 + 2 + 10 + len(references)  # sections (4 or 5 triples each, two with headings) + document
    # --- Fill the budget with further listed signs (24 or so triples each) ---
    while True:
        mark = len(g.triples)
        x = sign()
        if x.label in doc.bullets["symptoms"]:
            raise AssertionError("duplicate sign label")
        doc.bullets["symptoms"].insert(len(doc.bullets["symptoms"]) - 1, _cap(x.label))
        g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", x, _cap(x.label), "symptoms", lead_in=LEAD_IN_SIGNS)
        if len(g.triples) + fixed_after > budget:  # one too many: take it back
            del g.triples[mark:]
            doc.bullets["symptoms"].remove(_cap(x.label))
            break

    for order, (key, label, heading) in enumerate(SECTIONS, start=1):
        section = doc.section(key)
        g.add(section, TYPE, iri(BM + "DocumentSection"))
        g.add(section, LABEL, en(f"{label} of synthetic document {n}"))
        g.add(section, DEFINITION, en(f"The part of synthetic document {n} on {label.lower()}."))
        g.add(section, iri(BM + "sectionOrder"), integer(order))
        if heading:
            g.add(section, iri(BM + "headingInSource"), lit(heading))

    text = doc.text()
    path = out_dir / doc.path
    path.write_bytes(text.encode("utf-8"))
    g.add(doc.term, TYPE, iri(BM + "SourceDocument"))
    g.add(doc.term, LABEL, en(f"synthetic bone metastasis patient-education document {n}"))
    g.add(doc.term, DEFINITION, en(f"Synthetic patient-education text number {n} about bone metastasis, generated for benchmarks; its local copy is {doc.path}."))
    for key, _label, _heading in SECTIONS:
        g.add(doc.term, iri(BM + "hasSection"), doc.section(key))
    for ref in references:
        g.add(doc.term, iri(BM + "citesReference"), ref.term)
    g.add(doc.term, iri(BM + "sha256"), lit(hashlib.sha256(text.encode("utf-8")).hexdigest()))
    g.add(doc.term, iri(BM + "lastReviewed"), lit(reviewed.isoformat(), datatype=XSD + "date"))
    g.add(doc.term, iri(DCTERMS + "language"), lit("en"))
    g.add(doc.term, iri(BM + "localCopy"), lit(doc.path))
    return g.triples, len(g.triples)


def generate(triples: int, out_dir: Path, seed: int = 0, fmt: str = "nt") -> list[Path]:
    """Write a synthetic graph of about ``triples`` data triples (the vocabulary, about
    500 more, is not included) and its source texts into ``out_dir``; returns the data
    file(s) to hand to ``bonemet.checks.validation.validate`` or to load."""
    out_dir = Path(out_dir)
    (out_dir / SOURCES).mkdir(parents=True, exist_ok=True)
    for stale in (out_dir / SOURCES).glob("doc-*.txt"):
        stale.unlink()
    documents = max(1, round(triples / TRIPLES_PER_DOCUMENT))
    g = Generator(seed)
    nt_path = out_dir / f"{DATA_NAME}.nt"
    written = 0
    with open(nt_path, "w", encoding="utf-8", newline="\n") as out:
        for number in range(1, documents + 1):
            budget = (triples - written) // (documents - number + 1)
            lines, count = _document(g, number, budget, out_dir)
            out.writelines(lines)
            written += count
    for other in (out_dir / f"{DATA_NAME}.ttl", out_dir / f"{DATA_NAME}.nt"):
        if other != nt_path and other.exists():
            other.unlink()
    if fmt == "nt":
        return [nt_path]
    if fmt != "ttl":
        raise ValueError(f"unknown format {fmt!r}: use nt or ttl")
    import pyoxigraph

    ttl_path = out_dir / f"{DATA_NAME}.ttl"
    prefixes = {"bm": BM, "bmr": BMR, "obo": OBO, "mesh": MESH, "icd10": ICD10, "rdf": RDF, "rdfs": RDFS,
                "skos": SKOS, "xsd": XSD, "prov": PROV, "dcterms": DCTERMS}
    triples_iter = pyoxigraph.parse(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    pyoxigraph.serialize(triples_iter, output=str(ttl_path), format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    nt_path.unlink()
    return [ttl_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="data triples to write (the vocabulary is added on top)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("nt", "ttl"), default="nt")
    args = parser.parse_args(argv)
    files = generate(args.triples, args.out, args.seed, args.format)
    for path in files:
        print(path)
    texts = len(list((args.out / SOURCES).glob("doc-*.txt")))
    print(f"{texts} source texts in {args.out / SOURCES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
