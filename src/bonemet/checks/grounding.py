"""Grounding: proving from the page's text that each fact says what its sentence says.

One pass over the content units and the fact records, with the page's text in hand:

- every unit's selectors give exactly its text, units do not overlap, they are numbered
  in reading order, and every sentence of the content is a unit;
- every fact record quotes exactly the unit it reads (and its lead-in), in that unit's
  section;
- the words that name the fact's subject and object occur in the unit and are labels of
  the entities the triple uses;
- the cue words of the page (hedges, frequencies, negation, list completeness, scope)
  are carried by every fact whose unit holds them, and a fact carries no qualifier the
  text does not hold.

The rules are stated, with their severity and message, as shapes in ontology/shapes.ttl;
this module finds their offenders and adds the results to the SHACL report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from bonemet.namespaces import BM, VOCABULARY_IRI

OA = "http://www.w3.org/ns/oa#"
SHAPES = "https://w3id.org/bonemet/shapes#"

#: The record properties whose values are controlled qualifiers with cue words.
QUALIFIER_PROPERTIES = tuple(BM[name] for name in ("likelihood", "frequency", "modality", "exception", "negation", "completeness", "scope"))

#: The Web Annotation terms of a unit's selectors, made once (the pass reads them for every unit).
_HAS_SOURCE, _HAS_SELECTOR = URIRef(OA + "hasSource"), URIRef(OA + "hasSelector")
_POSITION, _QUOTE = URIRef(OA + "TextPositionSelector"), URIRef(OA + "TextQuoteSelector")
_START, _END, _EXACT, _PREFIX, _SUFFIX = (URIRef(OA + name) for name in ("start", "end", "exact", "prefix", "suffix"))

#: Characters around a cue that would make it part of a longer word.
_WORD = "a-z"


def shape(name: str) -> URIRef:
    return URIRef(SHAPES + name)


@dataclass(frozen=True)
class Cue:
    words: str  # lower case, as the vocabulary lists it
    value: URIRef  # the qualifier value it signals
    pattern: re.Pattern


@dataclass
class Unit:
    iri: URIRef
    document: object = None
    text: str | None = None  # the unit's own oa:exact
    start: int | None = None
    end: int | None = None
    prefix: str | None = None
    suffix: str | None = None
    order: int | None = None
    section: object = None
    lead_in: object = None


@dataclass
class Problem:
    shape: URIRef
    focus: object
    detail: str
    value: object = None
    extra: dict = field(default_factory=dict)


class _Reading:
    """How the pass reads ``data``: each node's (predicate, object) pairs, the key a
    predicate is filed under, and the rdflib term of an object. An rdflib Graph gives
    rdflib terms; a :class:`~bonemet.storeview.StoreView` gives its pairs as Oxigraph has
    them, and only the objects the pass reads are made rdflib terms (about three in four:
    a fact's label, type, predicate, evidence and source are not read here)."""

    __slots__ = ("pairs", "key", "term")

    def __init__(self, data: Graph) -> None:
        raw = getattr(data, "raw_predicate_objects", None)
        if raw is not None:
            self.pairs, self.key, self.term = raw, data.predicate_key, data.term
        else:
            self.pairs, self.key, self.term = data.predicate_objects, None, None


class _Node:
    """What the data says of one node, read in one lookup: its values by property."""

    __slots__ = ("values", "_reading")

    def __init__(self, reading: _Reading, node) -> None:
        self._reading = reading
        values: dict = {}
        for predicate, obj in reading.pairs(node):
            found = values.get(predicate)
            if found is None:
                values[predicate] = [obj]
            else:
                found.append(obj)
        self.values = values

    def all(self, predicate) -> list:
        reading = self._reading
        found = self.values.get(predicate if reading.key is None else reading.key(predicate))
        if not found:
            return []
        return found if reading.term is None else [reading.term(obj) for obj in found]

    def one(self, predicate):
        """The value of ``predicate``; of several (an error the shapes report), the first
        in a fixed order, so that the result does not depend on the order of the triples."""
        found = self.all(predicate)
        if not found:
            return None
        return found[0] if len(found) == 1 else min(found, key=_term_order)


def _term_order(term) -> tuple:
    return (type(term).__name__, str(term), str(getattr(term, "datatype", None) or ""), getattr(term, "language", None) or "")


def _value(data: Graph, node, predicate):
    """The value of one property of ``node``, chosen as :meth:`_Node.one` chooses (None
    for no node: rdflib would read None as "any node")."""
    if node is None:
        return None
    return min(data.objects(node, predicate), key=_term_order, default=None)


def cues(vocabulary: Graph) -> list[Cue]:
    """The cue words of every qualifier value, longest first."""
    found = []
    for value, words in vocabulary.subject_objects(SKOS.hiddenLabel):
        if (value, RDF.type, BM.QualifierValue) not in vocabulary:
            continue
        text = str(words).lower()
        # a contraction ("n't") ends a word; every other cue is a whole word or phrase
        left = "" if text.startswith("n'") else f"(?<![{_WORD}])"
        found.append(Cue(text, value, re.compile(left + re.escape(text) + f"(?![{_WORD}'’])")))
    found.sort(key=lambda c: (-len(c.words), c.words))
    return found


def occurrences(text: str, known: list[Cue]) -> list[tuple[int, int, Cue]]:
    """Where cues occur in ``text``: the longest at each place, never overlapping."""
    lowered = text.lower()
    hits = sorted(
        ((m.start(), m.end(), cue) for cue in known for m in cue.pattern.finditer(lowered)),
        key=lambda hit: (hit[0], -(hit[1] - hit[0])),
    )
    chosen: list[tuple[int, int, Cue]] = []
    for hit in hits:
        if not any(hit[0] < end and start < hit[1] for start, end, _c in chosen):
            chosen.append(hit)
    return chosen


def _finder(known: list[Cue]):
    """:func:`occurrences` of ``known``, worked out once per text: a unit is quoted by
    every fact read from it, and qualifier phrases recur from fact to fact."""
    found: dict[str, list] = {}

    def find(text: str) -> list[tuple[int, int, Cue]]:
        hits = found.get(text)
        if hits is None:
            hits = found[text] = occurrences(text, known)
        return hits

    return find


def check(data: Graph, vocabulary: Graph, texts: Mapping[object, str]) -> list[Problem]:
    """Every grounding problem of ``data``; ``texts`` maps each document to its page text."""
    units = _units(data)
    problems = list(_unit_problems(data, units, texts))
    problems += list(_fact_problems(data, vocabulary, units))
    return problems


# --- content units ----------------------------------------------------------


def _units(data: Graph) -> dict[object, Unit]:
    reading = _Reading(data)
    units: dict[object, Unit] = {}
    for cls in (BM.ContentUnit, BM.Sentence, BM.ListItem):
        for iri in data.subjects(RDF.type, cls):
            units.setdefault(iri, Unit(iri))
    for iri, unit in units.items():
        node = _Node(reading, iri)
        unit.document = node.one(_HAS_SOURCE)
        unit.order = _int(node.one(BM.unitOrder))
        unit.section = node.one(BM.inSection)
        unit.lead_in = node.one(BM.introducedBy)
        for selector in node.all(_HAS_SELECTOR):
            chosen = _Node(reading, selector)
            kinds = chosen.all(RDF.type)
            if _POSITION in kinds:
                unit.start = _int(chosen.one(_START))
                unit.end = _int(chosen.one(_END))
            if _QUOTE in kinds:
                unit.text = _str(chosen.one(_EXACT))
                unit.prefix = _str(chosen.one(_PREFIX))
                unit.suffix = _str(chosen.one(_SUFFIX))
    return units


def _unit_problems(data: Graph, units: dict[object, Unit], texts: Mapping[object, str]) -> Iterable[Problem]:
    by_document: dict[object, list[Unit]] = {}
    for unit in units.values():
        text = texts.get(unit.document)
        if text is None:
            continue  # no text to check against: the source document shapes report that
        if unit.start is None or unit.end is None or unit.text is None:
            yield Problem(shape("UnitSelectorShape"), unit.iri, "it has no complete TextPositionSelector (oa:start, oa:end) and TextQuoteSelector (oa:exact)")
            continue
        found = text[unit.start:unit.end] if 0 <= unit.start <= unit.end <= len(text) else None
        if found != unit.text:
            shown = "outside the text" if found is None else repr(_clip(found))
            yield Problem(shape("UnitSelectorShape"), unit.iri, f"characters {unit.start} to {unit.end} of the page are {shown}, not its oa:exact {_clip(unit.text)!r}")
            continue
        if unit.prefix is not None and text[max(0, unit.start - len(unit.prefix)):unit.start] != unit.prefix:
            yield Problem(shape("UnitSelectorShape"), unit.iri, f"its oa:prefix {_clip(unit.prefix)!r} is not the text just before it")
        if unit.suffix is not None and text[unit.end:unit.end + len(unit.suffix)] != unit.suffix:
            yield Problem(shape("UnitSelectorShape"), unit.iri, f"its oa:suffix {_clip(unit.suffix)!r} is not the text just after it")
        by_document.setdefault(unit.document, []).append(unit)
    for document, text in sorted(texts.items(), key=lambda item: str(item[0])):
        placed = sorted(by_document.get(document, []), key=lambda u: (u.start, u.end))
        yield from _order_and_coverage(data, document, text, placed)


def _order_and_coverage(data: Graph, document, text: str, placed: list[Unit]) -> Iterable[Problem]:
    listed = set(data.objects(document, BM.hasUnit))
    for number, unit in enumerate(placed, start=1):
        if unit.iri not in listed:
            yield Problem(shape("UnitOrderShape"), unit.iri, f"the document {_curie(data, document)} does not list it with bm:hasUnit")
        if unit.order != number:
            yield Problem(shape("UnitOrderShape"), unit.iri, f"it is unit {number} in reading order, but its bm:unitOrder is {unit.order}")
    for before, after in zip(placed, placed[1:]):
        if after.start < before.end:
            yield Problem(shape("UnitOrderShape"), after.iri, f"it overlaps {_curie(data, before.iri)} (characters {after.start} to {before.end})")
    sections = {s: _int(_value(data, s, BM.sectionOrder)) for s in data.objects(document, BM.hasSection)}
    cursor = 0
    previous = None
    for unit in placed:
        gap = text[cursor:unit.start] if unit.start >= cursor else ""
        heading = _value(data, unit.section, BM.headingInSource) if previous is None or unit.section != previous.section else None
        rest = gap.replace(str(heading), "", 1) if heading is not None else gap
        if rest.strip(" \t\r\n•"):
            yield Problem(shape("UnitCoverageShape"), document, f"the text {_clip(rest.strip())!r} before {_curie(data, unit.iri)} is in no content unit")
        if previous is not None and (sections.get(unit.section) or 0) < (sections.get(previous.section) or 0):
            yield Problem(shape("UnitCoverageShape"), unit.iri, f"its section {_curie(data, unit.section)} comes before the section of the unit it follows")
        cursor = max(cursor, unit.end)
        previous = unit
    tail = text[cursor:]
    shown_date = _str(_value(data, document, BM.dateAsShown))
    if shown_date and shown_date in tail:
        tail = tail[: tail.index(shown_date)]  # the date, references and appeal are not content
    if not placed or tail.strip(" \t\r\n•"):
        where = "the page" if not placed else f"after {_curie(data, placed[-1].iri)}"
        yield Problem(shape("UnitCoverageShape"), document, f"the text {_clip(tail.strip() or text.strip())!r} {where} is in no content unit")


# --- fact records ------------------------------------------------------------


def _fact_problems(data: Graph, vocabulary: Graph, units: dict[object, Unit]) -> Iterable[Problem]:
    find = _finder(cues(vocabulary))
    allowed_implicit = set(vocabulary.objects(URIRef(VOCABULARY_IRI), BM.implicitMentionAllowed))
    labels: dict = {}  # an entity's labels, casefolded, read once however many facts name it
    reading = _Reading(data)
    for fact in sorted(set(data.subjects(RDF.type, BM.Fact)), key=str):
        record = _Node(reading, fact)
        unit = units.get(record.one(BM.readsUnit))
        if unit is None or unit.text is None:
            continue  # the fact shapes report a missing or untyped unit
        lead = units.get(record.one(BM.readsLeadIn))
        yield from _quote_problems(data, fact, record, unit, lead)
        words = unit.text + ("\n" + lead.text if lead is not None and lead.text else "")
        yield from _mention_problems(data, fact, record, words, allowed_implicit, labels)
        yield from _cue_problems(data, fact, record, words, find)


def _quote_problems(data: Graph, fact, record: _Node, unit: Unit, lead: Unit | None) -> Iterable[Problem]:
    quote = _str(record.one(BM.quote))
    if quote != unit.text:
        yield Problem(shape("QuoteIsUnitShape"), fact, f"its bm:quote {_clip(quote)!r} is not the whole text of its unit {_curie(data, unit.iri)}, {_clip(unit.text)!r}")
    if record.one(BM.inSection) != unit.section:
        yield Problem(shape("QuoteIsUnitShape"), fact, f"its section {_curie(data, record.one(BM.inSection))} is not its unit's section {_curie(data, unit.section)}")
    if unit.lead_in != (lead.iri if lead is not None else None):
        expected = _curie(data, unit.lead_in) if unit.lead_in is not None else "none"
        yield Problem(shape("QuoteIsUnitShape"), fact, f"its bm:readsLeadIn is {_curie(data, lead.iri) if lead else 'missing'}, but its unit's lead-in is {expected}")
    written = _str(record.one(BM.leadIn))
    if (lead is not None or written is not None) and written != (lead.text if lead is not None else None):
        yield Problem(shape("QuoteIsUnitShape"), fact, f"its bm:leadIn {_clip(written)!r} is not the text of its lead-in unit")


def _mention_problems(data: Graph, fact, record: _Node, words: str, allowed_implicit: set, labels: dict) -> Iterable[Problem]:
    lowered = words.lower()
    for role, entity_property, mention_property, implicit_property in (
        ("subject", RDF.subject, BM.subjectMention, BM.subjectImplicit),
        ("object", RDF.object, BM.objectMention, BM.objectImplicit),
    ):
        entity = record.one(entity_property)
        mentions = [str(m) for m in record.all(mention_property)]
        implicit = set(record.all(implicit_property))
        if not mentions:
            if not implicit:
                yield Problem(shape("MentionShape"), fact, f"it names no words for its {role} (bm:{role}Mention) and does not mark the {role} implicit")
            elif implicit != {entity}:
                named = ", ".join(sorted(_curie(data, e) for e in implicit))
                yield Problem(shape("MentionShape"), fact, f"it marks {named} as its implicit {role}, but the triple's {role} is {_curie(data, entity)}")
            elif entity not in allowed_implicit:
                yield Problem(shape("MentionShape"), fact, f"its {role} {_curie(data, entity)} is marked implicit, but only the vocabulary's bm:implicitMentionAllowed entities may be")
            continue
        if entity not in labels:  # a record without its entity has no labels (not every node's)
            labels[entity] = set() if entity is None else {
                str(label).casefold() for p in (RDFS.label, SKOS.altLabel) for label in data.objects(entity, p)}
        for mention in mentions:
            pattern = f"(?<![{_WORD}]){re.escape(mention.lower())}(?![{_WORD}])"
            if not mention.strip() or not re.search(pattern, lowered):
                yield Problem(shape("MentionShape"), fact, f"its {role} mention {mention!r} is not in its unit or lead-in", value=Literal(mention))
            elif mention.casefold() not in labels[entity]:
                yield Problem(shape("MentionShape"), fact, f"its {role} mention {mention!r} is not a label of its {role} {_curie(data, entity)}", value=Literal(mention))


def _cue_problems(data: Graph, fact, record: _Node, words: str, find) -> Iterable[Problem]:
    values = {v for p in QUALIFIER_PROPERTIES for v in record.all(p)}
    qualifier_words = [str(q) for q in record.all(BM.qualifierText)]
    carried_cues: dict[URIRef, set[str]] = {}
    for phrase in sorted(qualifier_words):
        if not phrase.strip() or not re.search(f"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z'’])", words):
            yield Problem(shape("QualifierWordsShape"), fact, f"its qualifier text {phrase!r} is not in its unit or lead-in", value=Literal(phrase))
            continue
        inside = find(phrase)
        if not any(cue.value in values for _s, _e, cue in inside):
            yield Problem(shape("QualifierWordsShape"), fact, f"its qualifier text {phrase!r} holds no cue of the qualifier values it carries", value=Literal(phrase))
        for _s, _e, cue in inside:
            carried_cues.setdefault(cue.value, set()).add(cue.words)
    for value in sorted(values, key=str):
        if value not in carried_cues:
            yield Problem(shape("QualifierValueWordsShape"), fact, f"it carries {_curie(data, value)}, but none of its qualifier text holds that value's cue words", value=value)
    ignored = {str(c).lower() for c in record.all(BM.ignoresCue)}
    present = find(words)
    for _s, _e, cue in present:
        if cue.words in ignored:
            continue
        if cue.value not in values or cue.words not in carried_cues.get(cue.value, set()):
            yield Problem(
                shape("CueCarriedShape"),
                fact,
                f"its unit says {cue.words!r} ({_curie(data, cue.value)}), but the record does not carry it",
                value=Literal(cue.words),
            )
    said = {cue.words for _s, _e, cue in present}
    carried_words = {words for found in carried_cues.values() for words in found}
    for cue_words in sorted(ignored & carried_words):
        yield Problem(shape("IgnoredCueShape"), fact, f"it both carries the cue {cue_words!r} in its qualifier text and declares that it does not apply", value=Literal(cue_words))
    for cue_words in sorted(ignored - said):
        yield Problem(shape("IgnoredCueShape"), fact, f"it ignores the cue {cue_words!r}, which is not a cue of its unit or lead-in", value=Literal(cue_words))
    if ignored and not record.all(BM.ignoresCueBecause):
        yield Problem(shape("IgnoredCueShape"), fact, "it ignores cues without saying why (bm:ignoresCueBecause)")


# --- small helpers -------------------------------------------------------------


def _int(term) -> int | None:
    try:
        return int(term.toPython()) if isinstance(term, Literal) and not getattr(term, "ill_typed", False) else None
    except (TypeError, ValueError):
        return None


def _str(term) -> str | None:
    return str(term) if term is not None else None


def _clip(text: str | None, width: int = 60) -> str:
    if text is None:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _curie(data: Graph, node) -> str:
    if node is None:
        return "none"
    try:
        return data.namespace_manager.curie(str(node), generate=False)
    except (ValueError, KeyError):
        return f"<{node}>"


def add_to_report(report: Graph, shapes: Graph, problems: Iterable[Problem]) -> None:
    """Each problem as a validation result of its shape, with the shape's severity and message."""
    from bonemet.checks.outcome import add_result

    for problem in problems:
        severity = shapes.value(problem.shape, SH.severity) or SH.Violation
        messages = tuple(shapes.objects(problem.shape, SH.message))
        add_result(
            report,
            shape=problem.shape,
            focus=problem.focus,
            value=problem.value,
            severity=severity,
            messages=messages,
            row={"detail": problem.detail, **problem.extra},
            component=URIRef(SHAPES + "GroundingConstraintComponent"),
        )
