"""A closed vocabulary: data may say only what the vocabulary lets it say.

One pass over the triples that the data files add to the vocabulary:

- every predicate and class is on the allow-list: the vocabulary's own terms (but the
  properties bonemet computes) and the outside terms it lists with ``bm:dataMayUse``;
  anything else is reported with the closest known term;
- data makes no statement about vocabulary or shape terms, declares no sub-property or
  sub-class, links no entities with ``owl:sameAs`` and states nothing in ``rdfs:comment``;
- no literal is ill-typed, and none holds a control character (newline and tab only in
  the properties the vocabulary lists with ``bm:lineBreaksAllowedIn``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from bonemet.checks.grounding import Problem, shape
from bonemet.errors import one_line
from bonemet.namespaces import BM, VOCABULARY_IRI

SHAPES_NAMESPACE = "https://w3id.org/bonemet/shapes#"
PROTECTED = (str(BM), SHAPES_NAMESPACE)
PROTECTED_NODES = {VOCABULARY_IRI, SHAPES_NAMESPACE, SHAPES_NAMESPACE.rstrip("#")}

#: Predicates that declare schema, which data may not do.
SCHEMA_PREDICATES = {
    RDFS.subPropertyOf, RDFS.subClassOf, RDFS.domain, RDFS.range,
    OWL.equivalentProperty, OWL.equivalentClass, OWL.inverseOf,
}

#: C0 and C1 control characters, and DEL.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def allowed_terms(vocabulary: Graph) -> set[URIRef]:
    """The predicates and classes data may use."""
    own = {
        term
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for term in vocabulary.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and str(term).startswith(str(BM))
    }
    own -= computed_properties(vocabulary)
    return own | set(vocabulary.objects(URIRef(VOCABULARY_IRI), BM.dataMayUse))


def computed_properties(vocabulary: Graph) -> set[URIRef]:
    return set(vocabulary.subjects(RDF.type, BM.ComputedProperty))


def check(data: Graph, vocabulary: Graph, *, once: bool = True, selection: Selection | None = None) -> list[Problem]:
    """Every closed-vocabulary problem of the triples ``data`` adds to ``vocabulary``.

    An unknown term is reported once, on the first subject (in code-point order) that uses
    it (``once=False``: once on each subject, for :func:`first_of_each_unknown` to choose
    from when the graph is checked in parts). ``selection``: a :class:`Selection` that every
    quad of ``data``'s store streamed through as the store was loaded (and nothing since);
    its picks are read instead of the whole store."""
    allowed = allowed_terms(vocabulary)
    computed = computed_properties(vocabulary)
    line_breaks = set(vocabulary.objects(URIRef(VOCABULARY_IRI), BM.lineBreaksAllowedIn))
    names = _Hints(_curie(vocabulary, term) for term in allowed)
    problems: list[Problem] = []
    unknown_seen: set = set()
    # blank nodes get new names on every parse, so the vocabulary's own (its OWL lists)
    # are recognised by the rest of the triple
    own = set(vocabulary)
    shipped = {_key(triple) for triple in own if any(isinstance(t, BNode) for t in triple)}
    # most triples are plainly allowed: an allowed predicate with nothing more to check,
    # about a subject that is no vocabulary or shape term, and no literal with a flaw;
    # those are told apart here without building a problem list for each
    plain = _plain(allowed, computed)
    protected: dict = {}
    for subject, predicate, obj in _to_look_at(data, vocabulary, selection):
        if (subject, predicate, obj) in own:
            continue
        if (isinstance(subject, BNode) or isinstance(obj, BNode)) and _key((subject, predicate, obj)) in shipped:
            continue
        guarded = protected.get(subject)
        if guarded is None:
            guarded = protected[subject] = _protected(subject)
        if guarded or predicate not in plain:
            problems += _statement_problems(data, subject, predicate, obj, allowed, computed, names, unknown_seen, guarded)
        if isinstance(obj, Literal) and (getattr(obj, "ill_typed", False) or _CONTROL.search(obj)):
            problems += _literal_problems(data, subject, predicate, obj, line_breaks)
    return first_of_each_unknown(problems) if once else problems


def _plain(allowed: set, computed: set) -> set:
    """The plain predicates: allowed, with nothing more to check of the triples that use them."""
    return allowed - computed - SCHEMA_PREDICATES - {OWL.sameAs, RDFS.comment, RDF.type}


class Selection:
    """Picks out, from Oxigraph quads streaming past, those the pass must look at: a
    predicate outside the plain ones (but rdf:type with an allowed class), a vocabulary or
    shape term as subject, or a literal that may be flawed (typed other than a string, or
    holding a control character). At a million triples that is about one in twelve.

    Calling it on quads yields every one of them, so that it can sit in the stream that
    loads a store (:func:`bonemet.checks.validation.validate` puts it there: the pass then
    reads no quad of the store again); :attr:`picked` holds the picks, each once."""

    def __init__(self, vocabulary: Graph) -> None:
        import pyoxigraph

        allowed = allowed_terms(vocabulary)
        plain = _plain(allowed, computed_properties(vocabulary))
        named = pyoxigraph.NamedNode
        self._plain = {named(str(p)) for p in plain}
        self._kind = named(str(RDF.type)) if RDF.type in allowed else None
        self._classes = {named(str(c)) for c in allowed}
        self._string = named(str(XSD.string))
        self._guarded: dict = {}  # subject: whether it is a vocabulary or shape term
        self._parts: list[list] = []  # one list per stream (streams may run in two threads)

    def __call__(self, quads):
        import pyoxigraph

        named, literal = pyoxigraph.NamedNode, pyoxigraph.Literal
        plain, kind, classes, string, guarded = self._plain, self._kind, self._classes, self._string, self._guarded
        control = _CONTROL.search
        picked: list = []
        self._parts.append(picked)
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            flag = guarded.get(subject)
            if flag is None:
                flag = guarded[subject] = type(subject) is named and _protected(URIRef(subject.value))
            if (flag or (predicate not in plain and not (predicate == kind and obj in classes))
                    or (type(obj) is literal and ((not obj.language and obj.datatype != string) or control(obj.value)))):
                picked.append(quad)
            yield quad

    @property
    def picked(self) -> list:
        """The quads picked, each once (a file may state a triple twice; the store keeps one)."""
        return list(dict.fromkeys(quad for part in self._parts for quad in part))


def _to_look_at(data, vocabulary: Graph, selection: Selection | None) -> Iterable[tuple]:
    """The triples of ``data`` the pass must look at. All of them in an rdflib Graph; in a
    :class:`~bonemet.storeview.StoreView`, those a :class:`Selection` picks (``selection``,
    which saw the store's quads as they were loaded, or a new one run over the store now),
    and only those are made rdflib terms."""
    quads = getattr(data, "quads", None)
    if quads is None:
        return data
    if selection is None:
        selection = Selection(vocabulary)
        for _quad in selection(quads((None, None, None))):
            pass
    return data.from_quads(selection.picked)


def first_of_each_unknown(problems: list[Problem]) -> list[Problem]:
    """``problems`` with one report of each unknown term, on its first subject in
    code-point order: the same whatever order the triples were read in."""
    unknown = shape("ClosedVocabularyShape")
    first: dict = {}
    for problem in problems:
        if problem.shape == unknown:
            kept = first.get(problem.value)
            if kept is None or str(problem.focus) < str(kept.focus):
                first[problem.value] = problem
    chosen = set(map(id, first.values()))
    return [p for p in problems if p.shape != unknown or id(p) in chosen]


def _protected(subject) -> bool:
    """Whether ``subject`` is a vocabulary or shape term, of which data may say nothing."""
    return isinstance(subject, URIRef) and (str(subject).startswith(PROTECTED) or str(subject) in PROTECTED_NODES)


def _key(triple) -> tuple:
    return tuple(None if isinstance(term, BNode) else term for term in triple)


def _statement_problems(data, subject, predicate, obj, allowed, computed, names, unknown_seen, guarded: bool) -> Iterable[Problem]:
    """The problems of one statement; ``guarded``: its subject is a vocabulary or shape term."""
    if guarded:
        yield Problem(shape("VocabularyStatementShape"), subject, f"data states {_curie(data, predicate)} of the vocabulary or shape term {_curie(data, subject)}", value=predicate)
        return
    if predicate in computed:
        yield Problem(shape("ComputedPropertyShape"), subject, f"data asserts {_curie(data, predicate)}, which bonemet computes", value=predicate)
    elif predicate in SCHEMA_PREDICATES:
        yield Problem(shape("SchemaStatementShape"), subject, f"data declares {_curie(data, subject)} {_curie(data, predicate)} {_curie(data, obj)}", value=obj)
    elif predicate == OWL.sameAs:
        yield Problem(shape("SameAsShape"), subject, f"data says {_curie(data, subject)} owl:sameAs {_curie(data, obj)}", value=obj)
    elif predicate == RDFS.comment:
        yield Problem(shape("CommentShape"), subject, f"data states a comment on {_curie(data, subject)}", value=obj)
    elif predicate not in allowed and (subject, predicate) not in unknown_seen:
        unknown_seen.add((subject, predicate))
        yield Problem(shape("ClosedVocabularyShape"), subject, _unknown(data, predicate, "property", names), value=predicate)
    if predicate == RDF.type and isinstance(obj, URIRef) and obj not in allowed and (subject, obj) not in unknown_seen:
        unknown_seen.add((subject, obj))
        yield Problem(shape("ClosedVocabularyShape"), subject, _unknown(data, obj, "class", names), value=obj)


def _literal_problems(data, subject, predicate, literal: Literal, line_breaks) -> Iterable[Problem]:
    if getattr(literal, "ill_typed", False):
        yield Problem(
            shape("IllTypedLiteralShape"),
            subject,
            f"{_curie(data, predicate)} has {escape(str(literal))!r}, which is not a valid {_curie(data, literal.datatype)}",
            value=predicate,
        )
    pattern = _LINE_BREAKS if predicate in line_breaks else _CONTROL
    found = pattern.search(str(literal))
    if found:
        yield Problem(
            shape("ControlCharacterShape"),
            subject,
            f"{_curie(data, predicate)} holds the control character U+{ord(found.group(0)):04X} at position {found.start()}",
            value=predicate,
        )


class _Hints:
    """The known terms' CURIEs, and the message already worked out for each unknown term:
    an unknown term is reported on every subject that uses it before one report of it is
    chosen, and difflib's search for a close name is the slow part."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = sorted(set(known))
        self.said: dict = {}


def _unknown(data: Graph, term, kind: str, names: _Hints) -> str:
    said = names.said.get((term, kind))
    if said is None:
        name = _curie(data, term)
        close = difflib.get_close_matches(name, names.known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else "; no known term is close"
        said = names.said[(term, kind)] = f"{name}: unknown {kind}{hint}"
    return said


def escape(text: str) -> str:
    """``text`` with every control character but newline and tab written as \\uXXXX."""
    return one_line(text, keep="\n\t")


def _curie(graph: Graph, node) -> str:
    if node is None:
        return "none"
    if isinstance(node, Literal):
        return repr(escape(str(node)))
    try:
        return graph.namespace_manager.curie(str(node), generate=False)
    except (ValueError, KeyError):
        return f"<{escape(str(node))}>"
