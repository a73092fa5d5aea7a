"""The graph split into units that can be validated apart: one per source document, and
one for what no document holds.

A curator who edits one page of a corpus should wait for that page, not for the corpus.
For that, each triple of the data is given to exactly one *unit*:

- **a document's unit** holds the nodes that hang off a source document: the document,
  its sections, units, selectors and references, its fact records, and anything else
  linked to them. Two nodes are in the same unit when a triple links them and neither is
  a *hub*. A hub is what many pages share: a term of the vocabulary, an entity (a node
  typed with one of :data:`ENTITY_CLASSES` or their subclasses), or an IRI that is only
  ever an object (an ECO code, an outside identifier). Two documents that share a node
  that is not a hub are one unit.
- **the shared unit** holds every triple no document's unit holds: the entities' labels,
  definitions and cross-links, the plain fact triples, the curator records.

A triple belongs to the unit of its subject (what a hub says, to the shared unit); a node
belongs to the unit whose triples it links, hubs and all other nodes to the shared unit.
A node typed as a page's part or record (:data:`PART_CLASSES`), or with a local copy of
its own (``bm:localCopy``, a page however it is typed), is never a hub.
Each unit reports the results about its own nodes only (a result about the vocabulary's
IRI, as the whole-graph checks give, is about its sh:value). The graph a
unit is validated on (:attr:`Unit.triples`) is its own triples, plus what its checks
read beyond them: the plain triple each of its records records, what hubs say of its
nodes, every triple about a hub it names (fact triples left out: those belong to the units
whose records state them), and the class hierarchy the data declares;
the shared unit is also checked with the derived layer, and reads the types and labels of
the pages' nodes that it or the layer names.
The vocabulary is added by the caller. ``tests/test_incremental.py`` shows that validating
the units one by one gives the report that validating the whole graph gives, on the shipped
data, every fixture and mutants of a corpus of several documents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

BM = "https://w3id.org/bonemet/vocab#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: The classes whose members many pages name: a node of one of them (or of a subclass) is a hub.
ENTITY_CLASSES = tuple(BM + name for name in (
    "Condition", "AnatomicalSite", "SignOrSymptom", "ClinicalPresentation", "PresentationTiming",
    "TreatmentGoal", "Prognosis", "MechanismStep", "OpenQuestion", "Advice",
))

#: The classes of a page's own parts and records: a node of one of them is never a hub,
#: whatever else it is typed with.
PART_CLASSES = tuple(BM + name for name in (
    "SourceDocument", "DocumentSection", "Reference", "ContentUnit", "Fact", "CuratorLink", "Derivation",
))

SHARED = "shared"


@dataclass
class Unit:
    """One unit: ``name`` is ``SHARED`` or the sorted IRIs of its documents joined by
    spaces; ``own`` counts the triples it holds; ``triples`` is the graph it is validated
    on (its own triples first, then what its checks read beyond them); ``documents`` are
    its source documents; ``layer`` is the derived layer it is checked with (the shared
    unit's only)."""

    name: str
    documents: tuple = ()
    own: int = 0
    triples: list = field(default_factory=list)
    layer: list = field(default_factory=list)
    #: a document's unit: the nodes it holds; the shared unit: the nodes of documents'
    #: units that its graph names (it holds every other node)
    members: frozenset = frozenset()

    def holds(self, node) -> bool:
        """Whether ``node`` is this unit's own: the unit reports the results about it."""
        return (node not in self.members) if self.name == SHARED else (node in self.members)


def split(data: list, vocabulary: list, layer: list = ()) -> list[Unit]:
    """Split ``data`` (distinct pyoxigraph triples, the vocabulary's among them or not) into
    units. ``vocabulary`` gives the hubs of the vocabulary and the class hierarchy;
    ``layer`` is the derived layer, which goes to the shared unit."""
    import pyoxigraph

    vocabulary_set = set(vocabulary)
    vocab_terms = {t for triple in vocabulary for t in (triple.subject, triple.object) if isinstance(t, pyoxigraph.NamedNode)}
    type_ = pyoxigraph.NamedNode(RDF + "type")
    subclass = pyoxigraph.NamedNode(RDFS_SUBCLASS)
    # the class hierarchy, the data's own declarations too (an error the checks report, but
    # one that changes what the shapes target): every unit reads all of it
    hierarchy = sorted({t for t in data if t.predicate == subclass and t not in vocabulary_set}, key=str)
    below = children([*vocabulary, *hierarchy])
    entity_classes = subclasses(below, {pyoxigraph.NamedNode(c) for c in ENTITY_CLASSES})
    part_classes = subclasses(below, {pyoxigraph.NamedNode(c) for c in PART_CLASSES})
    fact_predicates = _fact_predicates(vocabulary)
    document_class = pyoxigraph.NamedNode(BM + "SourceDocument")
    local_copy = pyoxigraph.NamedNode(BM + "localCopy")

    subjects = set()
    entities = set()
    parts = set()
    documents = set()
    for triple in data:
        subjects.add(triple.subject)
        if triple.predicate == type_:
            if triple.object in entity_classes:
                entities.add(triple.subject)
            if triple.object in part_classes:
                parts.add(triple.subject)
            if triple.object == document_class:
                documents.add(triple.subject)
        elif triple.predicate == local_copy:
            # a node with a text of its own is a page, however it is typed
            documents.add(triple.subject)
            parts.add(triple.subject)
    entities -= parts
    # a connector links the triples of one unit: it has triples of its own and is no hub
    literal = pyoxigraph.Literal

    def connector(term) -> bool:
        return term in subjects and term not in entities and term not in vocab_terms and not isinstance(term, literal)

    parent: dict = {}

    def find(node):
        root = node
        while parent[root] != root:
            root = parent[root]
        while node != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    def union(a, b) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for node in subjects:
        if connector(node):
            parent.setdefault(node, node)
    rest = [triple for triple in data if triple not in vocabulary_set]
    for triple in rest:
        s, o = triple.subject, triple.object
        if s in parent and o in parent:
            union(s, o)
    # the components that hold a source document are documents' units
    named: dict = defaultdict(list)
    for document in documents:
        if document in parent:
            named[find(document)].append(document)
    units: dict = {root: Unit(" ".join(sorted(d.value for d in docs)), tuple(sorted(docs, key=lambda d: d.value))) for root, docs in named.items()}
    shared = Unit(SHARED)
    owner: dict = {}  # node -> its document unit (connectors in a document's component)
    for node in parent:
        unit = units.get(find(node))
        if unit is not None:
            owner[node] = unit
    members: dict = defaultdict(set)
    for node, unit in owner.items():
        members[unit.name].add(node)
    for unit in units.values():
        unit.members = frozenset(members[unit.name])
    layer = list(layer)

    # one pass: each triple to the unit of its subject (what a hub says, to the shared unit),
    # and what the units read beyond their own triples
    about: dict = defaultdict(list)  # hub -> its triples but fact triples
    asserted = set()  # the fact triples
    pointing: dict = defaultdict(list)  # a document's unit -> what hubs say of its nodes
    types: dict = defaultdict(list)  # a document's node -> its types and labels
    label = pyoxigraph.NamedNode(RDFS_LABEL)
    get = owner.get
    for triple in rest:
        subject, predicate = triple.subject, triple.predicate
        owned = get(subject)
        (owned or shared).triples.append(triple)
        if owned is None:
            target = get(triple.object)
            if target is not None:
                pointing[target.name].append(triple)
        elif predicate in (type_, label):
            types[subject].append(triple)
        if predicate in fact_predicates:
            asserted.add(triple)
        elif owned is None:
            about[subject].append(triple)
    for unit in [*units.values(), shared]:
        unit.own = len(unit.triples)
    subject_, predicate_, object_ = (pyoxigraph.NamedNode(RDF + n) for n in ("subject", "predicate", "object"))
    for unit in units.values():
        own = unit.triples[: unit.own]
        records: dict = defaultdict(lambda: defaultdict(list))
        for triple in own:
            if triple.predicate in (subject_, predicate_, object_):
                records[triple.subject][triple.predicate].append(triple.object)
        extra = set()
        for parts_of in records.values():  # every value of each, as the checks read them
            for s in parts_of[subject_]:
                for p in parts_of[predicate_]:
                    for o in parts_of[object_]:
                        recorded = pyoxigraph.Triple(s, p, o)
                        if recorded in asserted:
                            extra.add(recorded)
        extra.update(pointing.get(unit.name, ()))
        named_nodes = {t for triple in [*own, *extra] for t in (triple.subject, triple.object) if t not in owner}
        for node in named_nodes:
            extra.update(_closure(node, about))
        extra.update(hierarchy)
        unit.triples.extend(sorted(extra - set(own), key=str))
    # the shared unit is checked with the derived layer, and reads the types and labels of
    # the pages' nodes that it or the layer names
    shared.layer = layer
    shared.triples.extend(sorted(set(hierarchy) - set(shared.triples), key=str))
    named = {t for triple in [*shared.triples, *layer] for t in (triple.subject, triple.object) if t in owner}
    shared.triples.extend(sorted({t for node in named for t in types.get(node, ())}, key=str))
    shared.members = frozenset(named)
    return sorted(units.values(), key=lambda u: u.name) + [shared]


#: The predicates whose triples :func:`split` reads to decide the units, or what a unit
#: reads beyond its own triples: types (hubs, pages), records' parts, local copies, the
#: class hierarchy, labels (the shared unit reads those of the pages' nodes it names).
#: The vocabulary's fact predicates are the others (:func:`split_predicates`).
SPLIT_PREDICATES = frozenset((
    RDF + "type", RDF + "subject", RDF + "predicate", RDF + "object", BM + "localCopy", RDFS_SUBCLASS, RDFS_LABEL,
))


def split_predicates(vocabulary: list) -> set[str]:
    """Every predicate whose triples a change cannot touch without changing some unit
    other than its subject's, or how the graph splits (IRIs as strings)."""
    return set(SPLIT_PREDICATES) | {p.value for p in _fact_predicates(vocabulary)}


def _fact_predicates(vocabulary: list) -> set:
    """The vocabulary's fact predicates: their triples are what records record."""
    import pyoxigraph

    type_, kind = pyoxigraph.NamedNode(RDF + "type"), pyoxigraph.NamedNode(BM + "FactPredicate")
    return {t.subject for t in vocabulary if t.predicate == type_ and t.object == kind}


def _closure(node, about: dict) -> list:
    """The triples about ``node``, and about the blank nodes they lead to."""
    import pyoxigraph

    found, todo, seen = [], [node], {node}
    while todo:
        for triple in about.get(todo.pop(), ()):
            found.append(triple)
            if isinstance(triple.object, pyoxigraph.BlankNode) and triple.object not in seen:
                seen.add(triple.object)
                todo.append(triple.object)
    return found


def children(triples) -> dict:
    """Each class's direct subclasses, from the ``rdfs:subClassOf`` triples among ``triples``."""
    import pyoxigraph

    sub = pyoxigraph.NamedNode(RDFS_SUBCLASS)
    below: dict = defaultdict(set)
    for triple in triples:
        if triple.predicate == sub:
            below[triple.object].add(triple.subject)
    return below


def subclasses(below: dict, roots: set) -> set:
    """``roots`` and every class below them (``below``: what :func:`children` gives)."""
    found, todo = set(roots), list(roots)
    while todo:
        for child in below.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
