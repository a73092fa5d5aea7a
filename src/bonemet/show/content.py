"""What each page of the site says, read from the graph: plain data for the templates.

Nothing here writes HTML. Every list is sorted, so the same graph gives the same pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from bonemet.graph import one_text
from bonemet.namespaces import BM, BMR, OA
from bonemet.show import links

#: Cross-link predicates, strongest first, with the words a page shows for each.
MATCHES: tuple[tuple[URIRef, str], ...] = (
    (SKOS.exactMatch, "exact match"),
    (SKOS.closeMatch, "close match"),
    (SKOS.broadMatch, "broader term"),
    (SKOS.narrowMatch, "narrower term"),
    (SKOS.relatedMatch, "related term"),
)

#: The controlled qualifiers of a fact record, in the order a page lists them.
QUALIFIERS: tuple[URIRef, ...] = (
    BM.likelihood, BM.frequency, BM.modality, BM.exception, BM.negation, BM.completeness, BM.scope,
)

#: Record classes: their instances are statements about entities, not entities.
RECORD_CLASSES = frozenset({BM.Fact, BM.Derivation, BM.CuratorLink})
#: Classes of the page's own structure.
SOURCE_CLASSES = frozenset({BM.SourceDocument, BM.DocumentSection, BM.Reference, BM.Sentence, BM.ListItem})


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # a site path (relative to the site root) or an absolute URL
    external: bool = False


@dataclass
class Statement:
    """One fact record, one derivation or one curator link, as a page shows it."""

    iri: URIRef
    page: str
    kind: str  # "fact", "derived" or "curator"
    subject: Link
    predicate: str
    object: Link
    label: str
    quote: str | None = None
    lead_in: str | None = None
    words: list[str] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    section: Link | None = None
    unit: Link | None = None
    rule: str | None = None
    premises: list[Link] = field(default_factory=list)
    note: str | None = None


@dataclass
class Resource:
    """One project resource (``bmr:NAME``) with everything its page shows."""

    iri: URIRef
    name: str
    page: str
    label: str
    definition: str | None
    classes: list[Link]
    kind: str  # "entity", "record" or "source"
    crosslinks: list[tuple[str, str, str]] = field(default_factory=list)  # (match, CURIE, URL)
    outgoing: list[Statement] = field(default_factory=list)
    incoming: list[Statement] = field(default_factory=list)
    derived: list[Statement] = field(default_factory=list)
    curated: list[Statement] = field(default_factory=list)
    record: Statement | None = None
    properties: list[tuple[str, list[Link | str]]] = field(default_factory=list)


@dataclass
class Unit:
    iri: URIRef
    anchor: str
    start: int
    end: int
    citing: list[Statement]


@dataclass
class Content:
    """Everything the site shows."""

    resources: list[Resource]
    statements: dict[URIRef, Statement]
    units: list[Unit]
    text: str
    references: list[str]
    document: Resource | None


def text_of(graph: Graph, node, prop: URIRef = RDFS.label) -> str | None:
    """One literal value of ``prop``, a label unless told (see :func:`bonemet.graph.one_text`)."""
    return one_text(graph, node, prop)


def label(graph: Graph, term) -> str:
    found = text_of(graph, term) or text_of(graph, term, SKOS.prefLabel)
    if found:
        return found
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


def link_to(graph: Graph, term) -> Link:
    """A link to ``term``: its page on the site, its outside page, or its IRI."""
    if isinstance(term, Literal):
        return Link(str(term), "")
    page = links.page_of(term)
    if page is not None:
        return Link(label(graph, term), page)
    outside = links.outside_page(term)
    if outside is not None:
        return Link(outside[0], outside[1], external=True)
    return Link(label(graph, term), str(term), external=True)


def read(graph: Graph, text: str) -> Content:
    """The site's content: ``graph`` (with its derived layer) and the page's ``text``."""
    statements = {s.iri: s for s in _statements(graph)}
    about_out: dict[URIRef, list[Statement]] = defaultdict(list)
    about_in: dict[URIRef, list[Statement]] = defaultdict(list)
    for statement in statements.values():
        subject = graph.value(statement.iri, RDF.subject)
        obj = graph.value(statement.iri, RDF.object)
        about_out[subject].append(statement)
        if isinstance(obj, URIRef) and obj != subject:
            about_in[obj].append(statement)

    resources = []
    for term in sorted({s for s in graph.subjects() if isinstance(s, URIRef) and links.local_name(s)}):
        if not text_of(graph, term):
            continue  # selectors and other unlabelled helpers belong to their owner's page
        resources.append(_resource(graph, term, statements, about_out[term], about_in[term]))

    units = _units(graph, statements)
    document = next((r for r in resources if (r.iri, RDF.type, BM.SourceDocument) in graph), None)
    return Content(resources, statements, units, text, _references(graph), document)


def _kind(graph: Graph, term: URIRef) -> str:
    types = set(graph.objects(term, RDF.type))
    if types & RECORD_CLASSES:
        return "record"
    if types & SOURCE_CLASSES:
        return "source"
    return "entity"


def _resource(graph: Graph, term: URIRef, statements, outgoing, incoming) -> Resource:
    name = links.local_name(term) or ""
    classes = sorted(
        (link_to(graph, c) for c in graph.objects(term, RDF.type) if isinstance(c, URIRef)),
        key=lambda link: link.text,
    )
    crosslinks = []
    for predicate, words in MATCHES:
        for target in sorted(graph.objects(term, predicate)):
            outside = links.outside_page(target) if isinstance(target, URIRef) else None
            if outside is not None:
                crosslinks.append((words, outside[0], outside[1]))
    by_order = lambda s: (s.kind != "fact", s.predicate, s.object.text if s.subject.href == links.page_of(term) else s.subject.text, str(s.iri))  # noqa: E731
    resource = Resource(
        iri=term,
        name=name,
        page=links.page_of(term) or "",
        label=label(graph, term),
        definition=text_of(graph, term, SKOS.definition),
        classes=classes,
        kind=_kind(graph, term),
        crosslinks=crosslinks,
        outgoing=sorted((s for s in outgoing if s.kind == "fact"), key=by_order),
        incoming=sorted((s for s in incoming if s.kind == "fact"), key=by_order),
        derived=sorted((s for s in outgoing + incoming if s.kind == "derived"), key=by_order),
        curated=sorted((s for s in outgoing + incoming if s.kind == "curator"), key=by_order),
        record=statements.get(term),
    )
    if resource.kind != "entity" and resource.record is None:
        resource.properties = _properties(graph, term)
    return resource


def _properties(graph: Graph, term: URIRef) -> list[tuple[str, list[Link | str]]]:
    """The resource's own triples, for pages of sections, references, units, the document."""
    shown: dict[str, list[Link | str]] = defaultdict(list)
    for predicate, value in graph.predicate_objects(term):
        if predicate in (RDF.type, RDFS.label, SKOS.definition, OA.hasSelector):
            continue
        shown[label(graph, predicate)].append(str(value) if isinstance(value, Literal) else link_to(graph, value))
    for selector in graph.objects(term, OA.hasSelector):
        for predicate in (OA.exact, OA.start, OA.end):
            for value in graph.objects(selector, predicate):
                shown[label(graph, predicate)].append(str(value))
    return sorted((key, sorted(values, key=lambda v: v.text if isinstance(v, Link) else v)) for key, values in shown.items())


def _statements(graph: Graph) -> list[Statement]:
    found = []
    for kind, cls in (("fact", BM.Fact), ("derived", BM.Derivation), ("curator", BM.CuratorLink)):
        for record in sorted(set(graph.subjects(RDF.type, cls))):
            if not isinstance(record, URIRef) or links.local_name(record) is None:
                continue
            subject = graph.value(record, RDF.subject)
            predicate = graph.value(record, RDF.predicate)
            obj = graph.value(record, RDF.object)
            if subject is None or predicate is None or obj is None:
                continue
            quote = text_of(graph, record, BM.quote)
            words = sorted(
                {str(w) for w in graph.objects(record, BM.qualifierText)},
                key=lambda w: ((quote or "").find(w) if w in (quote or "") else len(quote or ""), w),
            )
            section = graph.value(record, BM.inSection)
            unit = graph.value(record, BM.readsUnit)
            rule = graph.value(record, BM.rule)
            found.append(Statement(
                iri=record,
                page=links.page_of(record) or "",
                kind=kind,
                subject=link_to(graph, subject),
                predicate=label(graph, predicate),
                object=link_to(graph, obj),
                label=label(graph, record),
                quote=quote,
                lead_in=text_of(graph, record, BM.leadIn),
                words=words,
                qualifiers=sorted(label(graph, v) for p in QUALIFIERS for v in graph.objects(record, p)),
                section=link_to(graph, section) if isinstance(section, URIRef) else None,
                unit=Link(label(graph, unit), f"{links.SOURCE}#{links.local_name(unit)}") if isinstance(unit, URIRef) else None,
                rule=str(rule).rsplit("#", 1)[-1] if rule is not None else None,
                premises=sorted((link_to(graph, p) for p in graph.objects(record, PROV.wasDerivedFrom)), key=lambda l: l.href),
                note=text_of(graph, record, BM.seenIn),
            ))
    return found


def _units(graph: Graph, statements: dict[URIRef, Statement]) -> list[Unit]:
    citing: dict[URIRef, list[Statement]] = defaultdict(list)
    for statement in statements.values():
        for reads in (BM.readsUnit, BM.readsLeadIn):  # a list's lead-in is read with each item
            for unit in graph.objects(statement.iri, reads):
                if isinstance(unit, URIRef):
                    citing[unit].append(statement)
    units = []
    for unit in set(graph.subjects(OA.hasSource, None)):
        start = end = None
        for selector in graph.objects(unit, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if start is None or end is None or not isinstance(unit, URIRef):
            continue
        units.append(Unit(unit, links.local_name(unit) or "", int(start), int(end),
                          sorted(citing[unit], key=lambda s: s.label)))
    return sorted(units, key=lambda u: u.start)


def _references(graph: Graph) -> list[str]:
    references = []
    for reference in graph.subjects(RDF.type, BM.Reference):
        number = graph.value(reference, BM.referenceNumber)
        references.append((int(number) if number is not None else 0, text_of(graph, reference, BM.citationText) or label(graph, reference)))
    return [text for _, text in sorted(references)]


def condition_at_a_glance(graph: Graph) -> dict[str, list[Link]]:
    """The home page's summary of the condition: its signs, the cancers most likely to
    spread to bone, the sites, the prognosis and the treatment goals."""
    condition = BMR["bone-metastasis"]

    def objects(predicate):
        return sorted((link_to(graph, o) for o in set(graph.objects(condition, predicate))), key=lambda l: l.text)

    return {
        "Signs and symptoms": objects(BM.hasSignOrSymptom),
        "Cancers most likely to spread to bone": sorted(
            (link_to(graph, s) for s in set(graph.subjects(BM.isRiskFactorFor, condition))), key=lambda l: l.text
        ),
        "Where it occurs": objects(BM.hasLocation),
        "Prognosis": objects(BM.hasPrognosis),
        "Treatment goals": objects(BM.hasTreatmentGoal),
    }


__all__ = ["Content", "Link", "Resource", "Statement", "Unit", "condition_at_a_glance", "read"]
