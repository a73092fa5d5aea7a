"""Synthetic bonemet graphs of a requested size, shaped like the shipped one.

    python benchmarks/generate.py --triples 100000 --out DIR [--seed 0] [--format nt|ttl]

Writes ``DIR/bonemet-synthetic.nt`` (the data; the vocabulary is not copied, it is
always added by bonemet) and ``DIR/synthetic-sources/doc-NNNNNN.txt``, one text per
synthetic source document. Each document is a patient-education page about bone
metastasis in the shipped page's shape: an overview, symptoms, "When to see a doctor",
causes and "Risk factors" sections, a review date and a numbered reference list.

The text is built from the sentences and list items the facts quote (and the two
lead-in sentences of the lists), written one after the other while their character
offsets are counted, so that nothing else stands in a content section. The graph has,
per document:

- the bm:SourceDocument record (SHA-256 of its text, review date and the date as the
  text shows it, ``bm:dateAsShown``, language, local copy), its five bm:DocumentSection
  and its bm:Reference records;
- one content unit per sentence (bm:Sentence) and list item (bm:ListItem, with
  ``bm:introducedBy`` its lead-in), listed by the document (``bm:hasUnit``), numbered in
  reading order, in its section, located by an oa:TextPositionSelector and an
  oa:TextQuoteSelector (exact text, 32 characters of prefix and suffix);
- new cancers, organs, signs, timings, goals, a prognosis, a presentation, mechanism
  steps, an open question and advice, each with one English label unique within its
  class (and the page's wording as skos:altLabel where the label is not it) and a
  definition;
- the plain fact triples and one bm:Fact record per triple that reads its unit
  (``bm:readsUnit``, and ``bm:readsLeadIn`` for a list item) and quotes it exactly, names
  the words of the unit that name its subject and object (``bm:subjectMention``,
  ``bm:objectMention``; ``bm:subjectImplicit`` only for the anchors the vocabulary allows),
  and carries every cue word of its unit and lead-in (the skos:hiddenLabel of a
  qualifier value: "can", "may", "include", "n't", ...) as ``bm:qualifierText`` with the
  controlled value, or names it with ``bm:ignoresCue`` and says why, as the shipped
  records do;
- SKOS cross-links (HP, UBERON, MONDO, DOID, NCIt, MeSH, ICD-10, well formed) and
  skos:broader links, each with a bm:CuratorLink record.

The first document also holds the anchor entities the named questions start from
(bmr:bone-metastasis, bmr:metastasis, bmr:cancer, bmr:bone, bmr:hypercalcemia,
bmr:bone-pain, bmr:breast-cancer) and the pool of bone sites (``BONE_SITES``: spine,
pelvis, thigh, as on the shipped page, and five more); every document adds facts about the
anchors, so that every named question's answer grows with the graph, and names two to four
sites of the pool where bone metastasis more commonly occurs (the first document the
shipped page's three). Sites are not minted per document: the site rule derives a triple
for every cancer stated to spread to bone times every site where bone metastasis occurs,
so per-document sites made the derived layer grow as the square of the corpus (about
12,000 triples at 20,000); drawn from the pool, it grows with the number of cancers. As on the shipped page, "Bone pain" is the
first listed sign of every document (one bm:Fact record per document, each reading its
own list item: records of one triple after the first carry the document number in their
IRI and label), and the first document names breast cancer among the cancers
particularly likely to spread to bone and in its risk-factor list. No document states
that breast cancer spreads to a site other than bone: the rules of ``ontology/rules.ttl``
derive that (breast cancer to every site where bone metastasis occurs), as they derive
that bone pain indicates bone metastasis, and a triple never has both a fact record and
a derivation.

``bm:localCopy`` is ``synthetic-sources/doc-NNNNNN.txt``, relative to the folder of the
data file that declares it: ``bonemet.checks.validation.validate(files)`` reads it there;
with ``bonemet.checks.validation.check`` pass ``text_roots=[DIR]``.

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
import re
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
OA = "http://www.w3.org/ns/oa#"

DATA_NAME = "bonemet-synthetic"
SOURCES = "synthetic-sources"
TRIPLES_PER_DOCUMENT = 1400  # one synthetic document's share of the graph: about 40 facts and 33 content units with their records, close to the shipped page's own part (44 facts, 29 units, about 1,340 triples besides the entities and cross-links it shares)
CONTEXT = 32  # characters of oa:prefix and oa:suffix, as the shipped units have

# syllables of two letters: 18 consonants x 5 vowels = 90, three per word = 729,000 words
# (a word is consonant-vowel three times, so none is a cue word such as "can" or "not")
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
ORGAN_KINDS = ["gland", "lobe", "node"]
CANCER_KINDS = ["cancer", "carcinoma", "sarcoma"]
JOURNALS = ["Journal of Synthetic Oncology", "Annals of Generated Medicine", "Synthetic Bone Research", "Reviews in Artificial Cancer Care"]
SURNAMES = ["Avery", "Baptiste", "Chen", "Dossou", "Eriksen", "Fujita", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist"]
ECO_AUTHOR = OBO + "ECO_0000033"
ECO_CURATOR = OBO + "ECO_0000305"

# Why a record sets aside a cue of its unit (bm:ignoresCueBecause), as the shipped records say it
BECAUSE_ANY_BONE = "'can occur in any bone' is said of bone in general; this fact records only where it more commonly occurs"
BECAUSE_MORE_COMMONLY = "'more commonly' is said of the sites the sentence names, not of bone in general"
BECAUSE_WHICH_CAN = "'which can cause' says what the listed sign can cause, recorded by its own facts; it does not hedge the sign itself"
BECAUSE_LEAD_IN_SIGNS = "the lead-in scopes the list of signs of bone metastasis; it says nothing about what a listed sign causes"
BECAUSE_NOT_CLEAR = "the sentence says it is not clear why cancers travel to the bones; it does not deny that the other sites are common sites for metastasis"
BECAUSE_LEAD_IN_RISK = ("the lead-in's first clause, 'Virtually any type of cancer can spread to the bones', is about every cancer; "
                        "this fact records the second clause, which names the cancers most likely to cause bone metastasis")


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
TRUE = lit("true", datatype=XSD + "boolean")

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
    __slots__ = ("local", "label", "cls", "alts")

    def __init__(self, local: str, label: str, cls: str, alts: tuple[str, ...] = ()):
        self.local, self.label, self.cls, self.alts = local, label, cls, tuple(alts)

    @property
    def term(self) -> str:
        return iri(BMR + self.local)

    def names(self) -> set[str]:
        return {name.casefold() for name in (self.label, *self.alts)}


ANCHORS = {
    "bone-metastasis": Entity("bone-metastasis", "bone metastasis", "Condition", ("bone metastases",)),
    "metastasis": Entity("metastasis", "metastasis", "Condition", ("metastatic cancer",)),
    "cancer": Entity("cancer", "cancer", "Condition"),
    "bone": Entity("bone", "bone", "AnatomicalSite", ("bones",)),
    "hypercalcemia": Entity("hypercalcemia", "hypercalcemia", "SignOrSymptom", ("high levels of calcium in the blood",)),
    "bone-pain": Entity("bone-pain", "bone pain", "SignOrSymptom"),
    "breast-cancer": Entity("breast-cancer", "breast cancer", "CancerType"),
}
ANCHOR_DEFINITIONS = {
    "bone-metastasis": "A condition that occurs when cancer cells spread from their original site to a bone.",
    "metastasis": "Cancer that has spread from its original site to another part of the body.",
    "cancer": "Any type of cancer.",
    "bone": "A bone of the skeleton.",
    "hypercalcemia": "High levels of calcium in the blood.",
    "bone-pain": "Pain felt in a bone; listed by every synthetic document as a sign or symptom of bone metastasis.",
    "breast-cancer": "Cancer that starts in the breast; named by the first synthetic document as particularly likely to spread to bone.",
}
#: The bone sites where documents say bone metastasis more commonly occurs: one shared pool,
#: declared once (in the first document, with the anchors), as on a corpus of pages about
#: one condition, which name the same few bones. The first three are the shipped page's.
#: Minting sites per document made the site rule's layer grow as (cancers x sites) over the
#: whole corpus; drawn from this pool it grows with the cancers alone.
BONE_SITES = {
    "spine": Entity("spine", "spine", "AnatomicalSite", ("vertebral column",)),
    "pelvis": Entity("pelvis", "pelvis", "AnatomicalSite", ("bony pelvis",)),
    "thigh": Entity("thigh", "thigh", "AnatomicalSite", ("femur",)),
    "skull": Entity("skull", "skull", "AnatomicalSite", ("cranium",)),
    "ribs": Entity("ribs", "ribs", "AnatomicalSite", ("rib cage",)),
    "upper-arm": Entity("upper-arm", "upper arm", "AnatomicalSite", ("humerus",)),
    "shoulder-blade": Entity("shoulder-blade", "shoulder blade", "AnatomicalSite", ("scapula",)),
    "breastbone": Entity("breastbone", "breastbone", "AnatomicalSite", ("sternum",)),
}
BONE_SITE_DEFINITIONS = {
    "spine": "The bones of the spine, the vertebral column",
    "pelvis": "The bones of the pelvis, the bony pelvis",
    "thigh": "The bone of the thigh, the femur",
    "skull": "The bones of the skull, the cranium",
    "ribs": "The ribs, the bones of the rib cage",
    "upper-arm": "The bone of the upper arm, the humerus",
    "shoulder-blade": "The shoulder blade, the scapula",
    "breastbone": "The breastbone, the sternum",
}
assert set(BONE_SITE_DEFINITIONS) == set(BONE_SITES)
#: how many of the pool's sites one document names (the first document: the shipped page's three)
SITES_PER_DOCUMENT = (2, 4)

#: the anchors a record may leave unnamed (the vocabulary's bm:implicitMentionAllowed)
IMPLICIT_ALLOWED = ("bone-metastasis", "metastasis")

#: the cue words of the vocabulary's qualifier values (their skos:hiddenLabel), for the
#: generator's own check that every record carries or sets aside every cue of its unit
CUES = ("particularly likely", "most likely", "nearly all", "virtually any", "any", "more commonly", "common",
        "sometimes", "can", "may", "with rare exceptions", "not", "n't", "no", "never", "including", "include",
        "such as", "when it does occur")
_CUE_PATTERNS = sorted(
    ((cue, re.compile(("" if cue.startswith("n'") else "(?<![a-z])") + re.escape(cue) + "(?![a-z'’])")) for cue in CUES),
    key=lambda item: (-len(item[0]), item[0]),
)


def cues_in(text: str) -> set[str]:
    """The cue words in ``text``: the longest at each place, never overlapping (as validation reads them)."""
    lowered = text.lower()
    hits = sorted(((m.start(), m.end(), cue) for cue, pattern in _CUE_PATTERNS for m in pattern.finditer(lowered)),
                  key=lambda hit: (hit[0], -(hit[1] - hit[0])))
    chosen: list[tuple[int, int, str]] = []
    for hit in hits:
        if not any(hit[0] < end and start < hit[1] for start, end, _c in chosen):
            chosen.append(hit)
    return {cue for _s, _e, cue in chosen}


class Unit:
    """One content unit: a sentence or a list item (with its lead-in) of one section."""

    __slots__ = ("local", "text", "section", "lead_in", "order", "start", "end")

    def __init__(self, local: str, text: str, section: str, lead_in: "Unit | None" = None):
        self.local, self.text, self.section, self.lead_in = local, text, section, lead_in
        self.order = self.start = self.end = None

    @property
    def term(self) -> str:
        return iri(BMR + self.local)

    @property
    def triples(self) -> int:
        """How many triples its record adds: 7 (8 for a list item) on the unit, 3 on its
        position selector, 4 on its quote selector and the document's bm:hasUnit."""
        return 16 if self.lead_in is not None else 15

#: the qualifier value each cue word signals (its skos:hiddenLabel in the vocabulary)
CUE_VALUES = {
    "particularly likely": "likelihood-particularly-likely", "most likely": "likelihood-most-likely",
    "nearly all": "frequency-nearly-all", "virtually any": "frequency-virtually-any", "any": "frequency-any",
    "more commonly": "frequency-more-commonly", "common": "frequency-common", "sometimes": "frequency-sometimes",
    "can": "modality-can", "may": "modality-may", "with rare exceptions": "exception-rare-exceptions",
    "not": "negation-negated", "n't": "negation-negated", "no": "negation-negated", "never": "negation-negated",
    "including": "completeness-non-exhaustive", "include": "completeness-non-exhaustive",
    "such as": "completeness-non-exhaustive", "when it does occur": "scope-when-it-occurs",
}
assert set(CUE_VALUES) == set(CUES)


def _occurs(words: str, text: str, *, fold: bool) -> bool:
    """Whether ``words`` stand in ``text`` as whole words (case-insensitively with ``fold``)."""
    if fold:
        return re.search(f"(?<![a-z]){re.escape(words.lower())}(?![a-z])", text.lower()) is not None
    return re.search(f"(?<![A-Za-z]){re.escape(words)}(?![A-Za-z'’])", text) is not None


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
        self.records: set[str] = set()  # IRIs of the fact records written so far (each triple's first record has the plain IRI)
        self.last_record = ""
        self.declared: set[str] = set()  # local names of the entities the graph declares so far
        self.pending: dict[str, object] = {}  # local name of a pooled entity -> what declares it
        self.pool: Pool | None = None

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
        e = Entity(local, label, cls, (alt,) if alt else ())
        self.add(e.term, TYPE, iri(BM + cls))
        self.add(e.term, LABEL, en(label))
        if alt:
            self.add(e.term, ALT_LABEL, en(alt))
        self.add(e.term, DEFINITION, en(definition))
        return e

    def pooled(self, kind_local: str, cls: str, label: str, definition: str, alt: str | None = None,
               links=(), extra=None) -> Entity:
        """An entity of the shared pool: made now, declared (type, labels, definition,
        cross-links and ``extra``) by the first document that names it (``use``)."""
        e = Entity(kind_local, label, cls, (alt,) if alt else ())

        def declare() -> None:
            self.entity(kind_local, label, cls, definition, alt=alt)
            for predicate, scheme in links:
                self.cross_link(e, predicate, scheme)
            if extra is not None:
                extra(e)

        self.pending[kind_local] = declare
        return e

    def use(self, e: Entity) -> Entity:
        """``e``, declared in the current document if the graph does not declare it yet."""
        if e.local not in self.declared:
            self.declared.add(e.local)
            self.pending[e.local]()
        return e

    def fact(self, doc: "Document", subject: Entity, predicate: str, obj: Entity, unit: Unit,
             subject_words: str | None, object_words: str | None,
             qualifiers: list[tuple[str, str, str]] = (), ignores: tuple[str, ...] = (), because: str | None = None) -> None:
        """The plain triple and its one bm:Fact record, which reads ``unit`` (and its lead-in).

        ``subject_words`` and ``object_words`` are the words of the unit or lead-in that
        name the subject and the object (a label or alternative label of it), or None for
        an anchor the vocabulary lets a record leave implicit. ``qualifiers``: (property,
        value, words of the unit that hold its cue). ``ignores``: the cue words of the
        unit that do not apply to this fact, and ``because`` says why."""
        lead = unit.lead_in
        words = unit.text + ("\n" + lead.text if lead is not None else "")
        # the grounding rules, checked as the record is written
        for entity, mention in ((subject, subject_words), (obj, object_words)):
            if mention is None:
                assert entity.local in IMPLICIT_ALLOWED, (entity.local, unit.text)
            else:
                assert _occurs(mention, words, fold=True) and mention.casefold() in entity.names(), (mention, entity.label, unit.text)
        values = {value for _p, value, _w in qualifiers}
        carried: dict[str, set[str]] = {}
        for _prop, _value, phrase in qualifiers:
            assert _occurs(phrase, words, fold=False), (phrase, words)
            for cue in cues_in(phrase):
                carried.setdefault(CUE_VALUES[cue], set()).add(cue)
        assert values <= set(carried), (values, carried, words)
        said = cues_in(words)
        for cue in said - set(ignores):
            assert cue in carried.get(CUE_VALUES[cue], ()), (cue, words)
        assert set(ignores) <= said and (because is not None) == bool(ignores), (ignores, words)

        self.add(subject.term, iri(BM + predicate), obj.term)
        slug = PREDICATES[predicate].replace(" ", "-")
        record = iri(BMR + f"fact-{subject.local}-{slug}-{obj.local}")
        label = f"{subject.label} {PREDICATES[predicate]} {obj.label}"
        if record in self.records:  # another document states the triple again: a record of its own, reading its own unit
            record = iri(BMR + f"fact-{subject.local}-{slug}-{obj.local}-in-document-{doc.number:06d}")
            label += f", as synthetic document {doc.number} states it"
            assert record not in self.records, (record, unit.text)  # one record per triple and document
        self.records.add(record)
        self.last_record = record
        self.add(record, TYPE, iri(BM + "Fact"))
        self.add(record, LABEL, en(label))
        self.add(record, iri(RDF + "subject"), subject.term)
        self.add(record, iri(RDF + "predicate"), iri(BM + predicate))
        self.add(record, iri(RDF + "object"), obj.term)
        self.add(record, iri(BM + "quote"), lit(unit.text))
        if lead is not None:
            self.add(record, iri(BM + "leadIn"), lit(lead.text))
        self.add(record, iri(BM + "inSection"), doc.section(unit.section))
        self.add(record, iri(BM + "readsUnit"), unit.term)
        if lead is not None:
            self.add(record, iri(BM + "readsLeadIn"), lead.term)
        for role, mention in (("subject", subject_words), ("object", object_words)):
            if mention is None:
                # the marker names the implied entity, which must be the record's own
                self.add(record, iri(BM + f"{role}Implicit"), subject.term if role == "subject" else obj.term)
            else:
                self.add(record, iri(BM + f"{role}Mention"), lit(mention))
        words_seen = set()
        for prop, value, phrase in qualifiers:
            if phrase not in words_seen:
                words_seen.add(phrase)
                self.add(record, iri(BM + "qualifierText"), lit(phrase))
            self.add(record, iri(BM + prop), iri(BM + value))
        for cue in ignores:
            self.add(record, iri(BM + "ignoresCue"), lit(cue))
        if because is not None:
            self.add(record, iri(BM + "ignoresCueBecause"), lit(because))
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

    def units(self, doc: "Document") -> None:
        """The records of the document's content units, in reading order (after ``doc.layout``)."""
        for unit in doc.ordered:
            self.add(unit.term, TYPE, iri(BM + ("ListItem" if unit.lead_in is not None else "Sentence")))
            self.add(unit.term, LABEL, en(f"unit {unit.order} of synthetic document {doc.number}"))
            self.add(unit.term, iri(OA + "hasSource"), doc.term)
            self.add(unit.term, iri(BM + "unitOrder"), integer(unit.order))
            self.add(unit.term, iri(BM + "inSection"), doc.section(unit.section))
            if unit.lead_in is not None:
                self.add(unit.term, iri(BM + "introducedBy"), unit.lead_in.term)
            position, quote = iri(BMR + unit.local + "-position"), iri(BMR + unit.local + "-quote")
            self.add(unit.term, iri(OA + "hasSelector"), position)
            self.add(unit.term, iri(OA + "hasSelector"), quote)
            self.add(position, TYPE, iri(OA + "TextPositionSelector"))
            self.add(position, iri(OA + "start"), integer(unit.start))
            self.add(position, iri(OA + "end"), integer(unit.end))
            self.add(quote, TYPE, iri(OA + "TextQuoteSelector"))
            self.add(quote, iri(OA + "exact"), lit(unit.text))
            self.add(quote, iri(OA + "prefix"), lit(doc.content[max(0, unit.start - CONTEXT):unit.start]))
            self.add(quote, iri(OA + "suffix"), lit(doc.content[unit.end:unit.end + CONTEXT]))
            self.add(doc.term, iri(BM + "hasUnit"), unit.term)


class Document:
    """One synthetic source document: its content units, by section, its text and its record."""

    def __init__(self, number: int):
        self.number = number
        self.local = f"doc-synthetic-{number:06d}"
        self.path = f"{SOURCES}/doc-{number:06d}.txt"
        self.parts: dict[str, list[Unit]] = {key: [] for key, _l, _h in SECTIONS}  # sentences of running text
        self.lists: dict[str, tuple[Unit, list[Unit]]] = {}  # lead-in and items, after the section's first sentence
        self.created: list[Unit] = []
        self.ordered: list[Unit] = []  # in reading order, after layout()
        self.date_shown = ""
        self.tail: list[str] = []
        self.content = ""

    @property
    def term(self) -> str:
        return iri(BMR + self.local)

    def section(self, key: str) -> str:
        return iri(BMR + f"section-{self.number:06d}-{key}")

    def _unit(self, text: str, section: str, lead_in: Unit | None = None) -> Unit:
        assert text == text.strip() and "\n" not in text, text
        unit = Unit(f"unit-synthetic-{self.number:06d}-{len(self.created) + 1:03d}", text, section, lead_in)
        self.created.append(unit)
        return unit

    def sentence(self, section: str, text: str) -> Unit:
        unit = self._unit(text, section)
        self.parts[section].append(unit)
        return unit

    def start_list(self, section: str, lead_in: str) -> Unit:
        unit = self._unit(lead_in, section)
        self.lists[section] = (unit, [])
        return unit

    def item(self, section: str, text: str, before_last: bool = False) -> Unit:
        lead, items = self.lists[section]
        unit = self._unit(text, section, lead)
        items.insert(len(items) - 1 if before_last else len(items), unit)
        return unit

    def drop(self, unit: Unit) -> None:
        """Take back the unit made last."""
        assert self.created[-1] is unit
        self.created.pop()
        for _lead, items in self.lists.values():
            if unit in items:
                items.remove(unit)
        for units in self.parts.values():
            if unit in units:
                units.remove(unit)

    def unit_triples(self) -> int:
        return sum(unit.triples for unit in self.created)

    def layout(self) -> str:
        """The text: every unit, written in reading order while its offsets are counted,
        the headings shown in the text, then the date as shown and the references."""
        out: list[str] = []
        position = 0

        def put(text: str) -> None:
            nonlocal position
            out.append(text)
            position += len(text)

        def put_unit(unit: Unit) -> None:
            unit.start = position
            put(unit.text)
            unit.end = position
            self.ordered.append(unit)
            unit.order = len(self.ordered)

        self.ordered = []
        for index, (key, _label, heading) in enumerate(SECTIONS):
            if index:
                put("\n\n" + (heading + "\n\n" if heading else "\n"))
            parts = self.parts[key]
            if key == "overview":  # paragraphs of two sentences, as the shipped page's overview
                paragraphs = [("paragraph", parts[i:i + 2]) for i in range(0, len(parts), 2)]
            else:
                paragraphs = [("paragraph", [unit]) for unit in parts]
            blocks = paragraphs
            if key in self.lists:
                lead, items = self.lists[key]
                blocks = paragraphs[:1] + [("paragraph", [lead]), ("list", items)] + paragraphs[1:]
            for number, (kind, units) in enumerate(b for b in blocks if b[1]):
                if number:
                    put("\n\n")
                for k, unit in enumerate(units):
                    if kind == "list":
                        put(("\n" if k else "") + "  \u2022 ")
                    elif k:
                        put(" ")
                    put_unit(unit)
        put(f"\n\n{self.date_shown}\n\n")
        put("\n".join(self.tail) + "\n")
        assert len(self.ordered) == len(self.created)
        self.content = "".join(out)
        return self.content


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


SIGNS_IN_LIST = [("scope", "scope-when-it-occurs", "When it does occur"), ("completeness", "completeness-non-exhaustive", "include")]
CAN = [("modality", "modality-can", "can")]


#: How many entities of each kind the shared pool holds (besides the anchors and
#: ``BONE_SITES``). A real corpus of pages about bone metastasis names the same few
#: cancers, signs and organs again and again; what each page has of its own is its
#: record, sections, units, fact records and references.
POOL_SIZES = {
    "cancer": 11,  # with breast cancer (an anchor): twelve cancer types
    "sign": 40,
    "organ": 5,
    "timing": 4,
    "goal": 4,
    "prognosis": 2,
    "presentation": 2,
    "mechanism": 2,  # ways of wording the three steps
    "question": 3,
    "advice": 3,
}


class Pool:
    """The shared entities, made (words, labels, cross-link schemes) once from the seed,
    each declared in the graph by the first document that names it."""

    def __init__(self, g: "Generator"):
        rng = g.rng

        def pooled(kind, cls, label, definition, alt=None, links=(), extra=None) -> Entity:
            return g.pooled(kind, cls, label, definition, alt, links, extra)

        for local, site in BONE_SITES.items():
            g.pooled(local, site.cls, site.label, BONE_SITE_DEFINITIONS[local] + "; one of the bone sites where the synthetic "
                     "documents say bone metastasis more commonly occurs.", alt=site.alts[0],
                     links=[("exactMatch", "UBERON"), ("exactMatch", "MESH")])
        self.cancers = [ANCHORS["breast-cancer"]]
        for _ in range(POOL_SIZES["cancer"]):
            w = g.word()
            label = f"{w} {rng.choice(CANCER_KINDS)}"
            links = [("exactMatch", "MONDO"), ("exactMatch", rng.choice(["DOID", "NCIT"])), ("closeMatch", rng.choice(["ICD10", "MESH"]))]
            self.cancers.append(pooled(f"cancer-{w}", "CancerType", label,
                                       f"A primary cancer ({label}) that the synthetic documents name as likely to spread to bone.",
                                       links=links, extra=lambda e, g=g: g.broader(e, ANCHORS["cancer"])))
        self.signs = []
        for _ in range(POOL_SIZES["sign"]):
            w = g.word()
            label = f"{w} {rng.choice(SIGN_KINDS)}"
            links = [("exactMatch", "HP")] + ([("closeMatch", rng.choice(["MESH", "NCIT"]))] if rng.random() < 0.3 else [])
            self.signs.append(pooled(f"sign-{w}", "SignOrSymptom", label, f"A sign or symptom ({label}) that the synthetic documents name.", links=links))
        self.organs = []
        for _ in range(POOL_SIZES["organ"]):
            w = g.word()
            label = f"{w} {rng.choice(ORGAN_KINDS)}"
            self.organs.append(pooled(f"organ-{w}", "AnatomicalSite", label,
                                      f"An organ ({label}) that the synthetic documents name as another common site for metastasis.",
                                      links=[("exactMatch", "UBERON")]))
        self.timings = []
        for _ in range(POOL_SIZES["timing"]):
            w = g.word()
            label = f"in the {w} phase after cancer treatment"
            self.timings.append(pooled(f"timing-{w}", "PresentationTiming", label,
                                       f"A time ({label}) at which the synthetic documents say bone metastasis may first appear."))
        self.goals = []
        for _ in range(POOL_SIZES["goal"]):
            w = g.word()
            label = f"reduce {w} symptoms"
            self.goals.append(pooled(f"goal-{w}", "TreatmentGoal", label, f"An aim ({label}) that the synthetic documents say treatments can help reach."))
        self.prognoses = []
        for _ in range(POOL_SIZES["prognosis"]):
            w = g.word()
            self.prognoses.append((w, pooled(f"prognosis-{w}", "Prognosis", f"{w} bone metastases cannot be cured",
                                             f"An outcome the synthetic documents state: {w} bone metastases cannot be cured, with rare exceptions.",
                                             alt=f"{w} bone metastases can't be cured")))
        self.presentations = []
        for _ in range(POOL_SIZES["presentation"]):
            w = g.word()
            self.presentations.append((w, pooled(f"presentation-{w}", "ClinicalPresentation", f"no {w} signs and symptoms",
                                                 f"Bone metastasis that causes no {w} signs and symptoms, as the synthetic documents word it.")))
        self.mechanisms = []
        for _ in range(POOL_SIZES["mechanism"]):
            w = g.word()
            steps = []
            for order, (phrase, words) in enumerate([("break away from the original tumor", None),
                                                     ("spread to the bones", "spread to the bones"),
                                                     ("begin to multiply in the bones", "begin to multiply")], start=1):
                steps.append(pooled(f"step-{w}-{order}", "MechanismStep", f"{w} cells {phrase}",
                                    f"Step {order} of how the synthetic documents say bone metastasis occurs: {w} cells {phrase}.", alt=words,
                                    extra=lambda e, g=g, order=order: g.add(e.term, iri(BM + "stepOrder"), integer(order))))
            self.mechanisms.append((w, steps))
        self.questions = []
        for _ in range(POOL_SIZES["question"]):
            w = g.word()
            self.questions.append((w, pooled(f"question-{w}", "OpenQuestion", f"what causes {w} cancers to spread",
                                             f"What causes {w} cancers to spread; the synthetic documents say doctors aren't sure.")))
        self.advice = []
        for _ in range(POOL_SIZES["advice"]):
            w = g.word()

            def advice_extra(e, g=g, w=w):
                g.add(e.term, iri(BM + "adviceCondition"), en(f"If you experience persistent {w} symptoms"))
                g.add(e.term, iri(BM + "recommendedAction"), en("make an appointment with your doctor"))

            self.advice.append((w, pooled(f"advice-{w}", "Advice", f"make an appointment about persistent {w} symptoms",
                                          f"Advice of the synthetic documents: see a doctor about persistent {w} symptoms.",
                                          alt="make an appointment with your doctor", extra=advice_extra)))


def _document(g: Generator, number: int, budget: int, out_dir: Path) -> tuple[list[str], int]:
    """The N-Triples lines of one document (about ``budget`` of them) and writes its text."""
    rng = g.rng
    doc = Document(number)
    first = number == 1
    g.triples = []
    A = ANCHORS
    P = g.pool
    n = number
    use = g.use

    if first:  # the anchors the named questions start from
        for local, anchor in A.items():
            g.entity(local, anchor.label, anchor.cls, ANCHOR_DEFINITIONS[local], alt=anchor.alts[0] if anchor.alts else None)
            g.declared.add(local)
        g.broader(A["bone-metastasis"], A["metastasis"])
        g.broader(A["metastasis"], A["cancer"])
        g.cross_link(A["bone-metastasis"], "exactMatch", "NCIT")
        g.cross_link(A["bone-metastasis"], "broadMatch", "MONDO")
        g.cross_link(A["metastasis"], "exactMatch", "MONDO")
        g.cross_link(A["cancer"], "exactMatch", "DOID")
        g.cross_link(A["bone"], "exactMatch", "UBERON")
        g.cross_link(A["bone"], "closeMatch", "MESH")
        g.cross_link(A["hypercalcemia"], "exactMatch", "HP")
        g.cross_link(A["bone-pain"], "exactMatch", "HP")
        g.broader(A["breast-cancer"], A["cancer"])
        g.cross_link(A["breast-cancer"], "exactMatch", "MONDO")
        g.cross_link(A["breast-cancer"], "exactMatch", "DOID")
        g.cross_link(A["breast-cancer"], "closeMatch", "ICD10")

    def pick(pool: list, k: int) -> list:
        """``k`` distinct members of ``pool``, in the pool's order, each declared if new."""
        chosen = set(rng.sample(range(len(pool)), k))
        return [use(x) for i, x in enumerate(pool) if i in chosen]

    # signs: distinct within the document (a document states a triple once), drawn from the pool in a seeded order
    sign_order = list(P.signs)
    rng.shuffle(sign_order)

    def sign() -> Entity | None:
        return use(sign_order.pop()) if sign_order else None

    # --- Overview ---
    count = rng.randint(3, 5)
    if first:  # breast cancer takes the first place: particularly likely to spread to bone, and a risk factor
        cancers = [A["breast-cancer"]] + pick(P.cancers[1:], count - 1)
    else:
        cancers = pick(P.cancers, count)
        rng.shuffle(cancers)
    pool = list(BONE_SITES.values())
    sites = [use(x) for x in pool[:3]] if first else pick(pool, rng.randint(*SITES_PER_DOCUMENT))
    timings = pick(P.timings, 2)
    goals = pick(P.goals, 2)
    prognosis_word, prognosis = rng.choice(P.prognoses)
    use(prognosis)
    if first:
        u = doc.sentence("overview", "Bone metastasis occurs when cancer cells spread from their original site to a bone.")
        g.fact(doc, A["bone-metastasis"], "isSpreadOf", A["cancer"], u, "Bone metastasis", "cancer")
        u = doc.sentence("overview", "Nearly all types of cancer can spread (metastasize) to the bones.")
        g.fact(doc, A["cancer"], "metastasizesTo", A["bone"], u, "cancer", "bones",
               [("frequency", "frequency-nearly-all", "Nearly all types"), *CAN])
    else:
        u = doc.sentence("overview", f"Bone metastasis occurs when cells of {cancers[0].label} spread from their original site to a bone.")
        g.fact(doc, A["bone-metastasis"], "isSpreadOf", cancers[0], u, "Bone metastasis", cancers[0].label)
    likely = cancers[: max(2, len(cancers) - 2)]
    u = doc.sentence("overview", f"Some types of cancer are particularly likely to spread to bone, including {_and([c.label for c in likely])}.")
    for c in likely:
        g.fact(doc, c, "metastasizesTo", A["bone"], u, c.label, "bone",
               [("likelihood", "likelihood-particularly-likely", "particularly likely"),
                ("completeness", "completeness-non-exhaustive", "including")])
    u = doc.sentence("overview", f"Bone metastasis can occur in any bone but more commonly occurs in the {_and([x.label for x in sites])}.")
    if first:
        g.fact(doc, A["bone-metastasis"], "hasLocation", A["bone"], u, "Bone metastasis", "bone",
               [*CAN, ("frequency", "frequency-any", "any bone")], ignores=("more commonly",), because=BECAUSE_MORE_COMMONLY)
    for x in sites:
        g.fact(doc, A["bone-metastasis"], "hasLocation", x, u, "Bone metastasis", x.label,
               [("frequency", "frequency-more-commonly", "more commonly")], ignores=("can", "any"), because=BECAUSE_ANY_BONE)
    u = doc.sentence("overview", f"Bone metastasis may occur {timings[0].label}, or bone metastasis may occur {timings[1].label}.")
    for t in timings:
        g.fact(doc, A["bone-metastasis"], "hasPresentationTiming", t, u, "Bone metastasis", t.label, [("modality", "modality-may", "may")])

    # --- Symptoms (the sentence that bone metastasis causes two of the signs goes to the overview) ---
    presentation_word, presentation = rng.choice(P.presentations)
    use(presentation)
    u = doc.sentence("symptoms", f"Sometimes, bone metastasis causes no {presentation_word} signs and symptoms.")
    g.fact(doc, A["bone-metastasis"], "hasClinicalPresentation", presentation, u, "bone metastasis", presentation.label,
           [("frequency", "frequency-sometimes", "Sometimes"), ("negation", "negation-negated", "no")])
    doc.start_list("symptoms", LEAD_IN_SIGNS)
    u = doc.item("symptoms", "Bone pain")  # the page's first listed sign, in every document
    g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", A["bone-pain"], u, "bone metastasis", "Bone pain", SIGNS_IN_LIST)
    listed = [sign() for _ in range(3)]
    for x in listed:
        u = doc.item("symptoms", _cap(x.label))
        g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", x, u, "bone metastasis", _cap(x.label), SIGNS_IN_LIST)
    # a listed sign that causes others, like the page's hypercalcemia item
    chain = sign()
    effects = [sign() for _ in range(2)]
    u = doc.item("symptoms", f"{_cap(chain.label)}, which can cause {_and([e.label for e in effects])}")
    g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", chain, u, "bone metastasis", _cap(chain.label), SIGNS_IN_LIST,
           ignores=("can",), because=BECAUSE_WHICH_CAN)
    for e in effects:
        g.fact(doc, chain, "causes", e, u, _cap(chain.label), e.label, CAN,
               ignores=("when it does occur", "include"), because=BECAUSE_LEAD_IN_SIGNS)
    hyper_effects = [sign() for _ in range(rng.randint(2, 3))]
    if first:
        u = doc.item("symptoms", f"High levels of calcium in the blood (hypercalcemia), which can cause {_and([e.label for e in hyper_effects])}")
        g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", A["hypercalcemia"], u, "bone metastasis", "hypercalcemia", SIGNS_IN_LIST,
               ignores=("can",), because=BECAUSE_WHICH_CAN)
        for e in hyper_effects:
            g.fact(doc, A["hypercalcemia"], "causes", e, u, "hypercalcemia", e.label, CAN,
                   ignores=("when it does occur", "include"), because=BECAUSE_LEAD_IN_SIGNS)
    else:
        u = doc.sentence("symptoms", f"Hypercalcemia can cause {_and([e.label for e in hyper_effects])}.")
        for e in hyper_effects:
            g.fact(doc, A["hypercalcemia"], "causes", e, u, "Hypercalcemia", e.label, CAN)
    u = doc.sentence("overview", f"Bone metastasis can cause {listed[0].label} and {listed[1].label}.")
    for x in listed[:2]:
        g.fact(doc, A["bone-metastasis"], "causes", x, u, "Bone metastasis", x.label, CAN)
    u = doc.sentence("overview", f"With rare exceptions, {prognosis_word} bone metastases can't be cured.")
    g.fact(doc, A["bone-metastasis"], "hasPrognosis", prognosis, u, "bone metastases", prognosis.alts[0],
           [("exception", "exception-rare-exceptions", "With rare exceptions"), ("negation", "negation-negated", "can't")])
    u = doc.sentence("overview", f"Treatments can help {goals[0].label} and {goals[1].label} of bone metastases.")
    for x in goals:
        g.fact(doc, A["bone-metastasis"], "hasTreatmentGoal", x, u, "bone metastases", x.label, [("modality", "modality-can", "can help")])

    # --- When to see a doctor ---
    w, advice = rng.choice(P.advice)
    use(advice)
    u = doc.sentence("when-to-see-a-doctor", f"If you experience persistent {w} symptoms, make an appointment with your doctor.")
    g.fact(doc, A["bone-metastasis"], "hasAdvice", advice, u, None, "make an appointment with your doctor")

    # --- Causes ---
    w, steps = rng.choice(P.mechanisms)
    for step in steps:
        use(step)
    u = doc.sentence("causes", f"Bone metastasis occurs when {w} cells break away from the original tumor and spread to the bones, where they begin to multiply.")
    for step in steps:
        g.fact(doc, A["bone-metastasis"], "hasMechanismStep", step, u, "Bone metastasis", step.alts[0] if step.alts else step.label)
    w, question = rng.choice(P.questions)
    use(question)
    u = doc.sentence("causes", f"Doctors aren't sure what causes {w} cancers to spread.")
    g.fact(doc, A["metastasis"] if n % 2 else A["bone-metastasis"], "hasOpenQuestion", question, u, None, question.label,
           [("negation", "negation-negated", "aren't sure")])
    organs = pick(P.organs, rng.randint(1, 2))
    u = doc.sentence("causes", "It's not clear why some cancers travel to the bones rather than to other common sites for metastasis, "
                               f"such as the {_and([o.label for o in organs])}.")
    for o in organs:
        g.fact(doc, A["metastasis"], "hasLocation", o, u, "metastasis", o.label,
               [("frequency", "frequency-common", "common sites"), ("completeness", "completeness-non-exhaustive", "such as")],
               ignores=("not",), because=BECAUSE_NOT_CLEAR)

    # --- Risk factors ---
    doc.start_list("risk-factors", LEAD_IN_RISK)
    for c in cancers:
        u = doc.item("risk-factors", _cap(c.label))
        g.fact(doc, c, "isRiskFactorFor", A["bone-metastasis"], u, _cap(c.label), "bone metastasis",
               [("likelihood", "likelihood-most-likely", "most likely"), ("completeness", "completeness-non-exhaustive", "include")],
               ignores=("virtually any", "can"), because=BECAUSE_LEAD_IN_RISK)

    # --- Review date and references ---
    reviewed = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    doc.date_shown = f"{reviewed:%b} {reviewed.day}, {reviewed.year}"
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
    fixed_after = (5 * 4 + 2) + (13 + len(references))  # sections (4 or 5 triples each, two with headings) + document
    # --- Fill the budget with further listed signs of the pool (about 32 triples each with its unit,
    # more where the sign is new to the graph), while the pool has signs this document has not named ---
    while sign_order:
        mark = len(g.triples)
        x = sign_order.pop()
        new_to_graph = x.local not in g.declared
        use(x)
        u = doc.item("symptoms", _cap(x.label), before_last=True)
        g.fact(doc, A["bone-metastasis"], "hasSignOrSymptom", x, u, "bone metastasis", _cap(x.label), SIGNS_IN_LIST)
        if len(g.triples) + doc.unit_triples() + fixed_after > budget:  # one too many: take it back
            del g.triples[mark:]
            doc.drop(u)
            g.records.discard(g.last_record)
            if new_to_graph:
                g.declared.discard(x.local)
            break

    for order, (key, label, heading) in enumerate(SECTIONS, start=1):
        section = doc.section(key)
        g.add(section, TYPE, iri(BM + "DocumentSection"))
        g.add(section, LABEL, en(f"{label} of synthetic document {n}"))
        g.add(section, DEFINITION, en(f"The part of synthetic document {n} on {label.lower()}."))
        g.add(section, iri(BM + "sectionOrder"), integer(order))
        if heading:
            g.add(section, iri(BM + "headingInSource"), lit(heading))

    text = doc.layout()
    path = out_dir / doc.path
    path.write_bytes(text.encode("utf-8"))
    g.units(doc)
    g.add(doc.term, TYPE, iri(BM + "SourceDocument"))
    g.add(doc.term, LABEL, en(f"synthetic bone metastasis patient-education document {n}"))
    g.add(doc.term, DEFINITION, en(f"Synthetic patient-education text number {n} about bone metastasis, generated for benchmarks; its local copy is {doc.path}."))
    for key, _label, _heading in SECTIONS:
        g.add(doc.term, iri(BM + "hasSection"), doc.section(key))
    for ref in references:
        g.add(doc.term, iri(BM + "citesReference"), ref.term)
    g.add(doc.term, iri(BM + "sha256"), lit(hashlib.sha256(text.encode("utf-8")).hexdigest()))
    g.add(doc.term, iri(BM + "lastReviewed"), lit(reviewed.isoformat(), datatype=XSD + "date"))
    g.add(doc.term, iri(BM + "dateAsShown"), lit(doc.date_shown))
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
    g.pool = Pool(g)
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
