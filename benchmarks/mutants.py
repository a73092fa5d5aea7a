"""Mutation testing of ``bonemet validate``: how many changed medical claims does it catch?

Each mutant is a small, seeded edit of the shipped data (a negation added to a fact
record, a subject swapped for another entity of the same type, a quote replaced by
another sentence, ...). The harness writes the mutated data into a full temporary copy
of the data folder (so that ``bm:localCopy`` still finds the page text), validates the
copy in-process and counts the mutant as killed when the report does not conform.

The classes marked "meaning-changing" change what the graph claims the page says; a
good validation kills every one of them. ``deletion`` and ``literal-edit`` are random
edits that often do not change any claim; their kill rate is reported, not required.

Everything the mutants need (fact records, entities and their types, qualifier lists
and their cue words, sections, content units) is discovered by querying the data and
the vocabulary, so a class simply yields fewer mutants (or none) when the data does not
hold what it edits. The harness measures; it never tunes a mutant to be killed.

    python benchmarks/mutants.py [--seed N] [--per-class K] [--classes a,b]
                                 [--out FILE] [--list-survivors]

Exit status: 0 when every meaning-changing class is killed 100%, 1 when a
meaning-changing mutant survives, 2 on a usage error or when the harness cannot
measure (the unmutated data does not conform, a file cannot be read or written).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from bonemet import paths
from bonemet.errors import BonemetError
from bonemet.graph import parse_into
from bonemet.namespaces import BM, OA, new_graph

DEFAULT_SEED = 1
DEFAULT_PER_CLASS = 40  # the full run: 12 classes, at least 300 mutants on the shipped data
DEFAULT_OUT = Path(__file__).resolve().parent / "mutants.md"
SHAPES_NS = "https://w3id.org/bonemet/shapes#"

#: Words appended by the ``literal-edit`` class.
APPENDED_WORDS = ("not", "always", "rarely", "never", "usually", "also")

#: Classes of a node that are never "entities" to swap a subject or object with.
GENERIC_TYPES = {OWL.NamedIndividual, OWL.Thing, RDFS.Resource}

Triple = tuple  # (subject, predicate, object) of rdflib terms


class HarnessError(Exception):
    """The harness cannot measure (bad baseline, unreadable or unwritable file)."""


# --------------------------------------------------------------------------------------
# Mutants and results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    """One edit of the data: triples removed from and added to named data files."""

    cls: str
    description: str
    removed: tuple[tuple[str, Triple], ...]  # (file name, triple)
    added: tuple[tuple[str, Triple], ...]


@dataclass(frozen=True)
class Result:
    mutant: Mutant
    killed: bool
    shapes: tuple[str, ...]  # shapes that reported a Violation (short names), sorted


def _key(term) -> tuple:
    """A sort key for rdflib terms that does not depend on hash seeds."""
    return (
        type(term).__name__,
        str(term),
        str(getattr(term, "datatype", None) or ""),
        str(getattr(term, "language", None) or ""),
    )


def _sorted(terms: Iterable) -> list:
    return sorted(set(terms), key=_key)


def _like(old: Literal, text: str) -> Literal:
    """A literal with ``text`` and the language tag or datatype of ``old``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an edited date or number may be ill-typed: that is the point
        if old.language:
            return Literal(text, lang=old.language)
        return Literal(text, datatype=old.datatype)


# --------------------------------------------------------------------------------------
# The data, loaded once, and what the mutant classes can edit in it
# --------------------------------------------------------------------------------------


class Corpus:
    """The shipped data files (one graph each), the vocabulary, and what they hold."""

    def __init__(self, data_dir: Path, vocabulary_file: Path) -> None:
        self.data_dir = Path(data_dir)
        files = sorted(self.data_dir.glob("*.ttl"))
        if not files:
            raise HarnessError(f"no data files (*.ttl) in {self.data_dir}")
        self.files: dict[str, Graph] = {}
        for path in files:
            self.files[path.name] = _parse(path)
        self.vocabulary = _parse(vocabulary_file)
        self.union = Graph()
        for graph in self.files.values():
            for triple in graph:
                self.union.add(triple)
        self.union_set = frozenset(self.union)
        self.both = self.union + self.vocabulary  # data with the vocabulary: classes, schemes, labels
        self._nsm = new_graph().namespace_manager
        self._discover()

    # -- discovery ------------------------------------------------------------------

    def _discover(self) -> None:
        g = self.union
        self.facts: list[URIRef] = _sorted(g.subjects(RDF.type, BM.Fact))
        self.home: dict = {f: self.where((f, RDF.type, BM.Fact))[0] for f in self.facts}

        # controlled qualifier lists: concept -> scheme, scheme -> concepts, concept -> cue words
        self.scheme_of: dict = {}
        for concept, scheme in sorted(self.both.subject_objects(SKOS.inScheme), key=lambda p: (_key(p[0]), _key(p[1]))):
            self.scheme_of.setdefault(concept, scheme)
        self.concepts_in: dict = {}
        for concept, scheme in self.scheme_of.items():
            self.concepts_in.setdefault(scheme, []).append(concept)
        for scheme in self.concepts_in:
            self.concepts_in[scheme] = _sorted(self.concepts_in[scheme])
        self.qualifier_props: list = _sorted(
            p for f in self.facts for p, v in g.predicate_objects(f) if v in self.scheme_of and p != SKOS.inScheme
        )
        negation = [c for c in self.concepts_in.get(BM.NegationScheme, [])]
        self.negation_value = negation[0] if negation else None

        # entities: nodes that share an rdf:type with a fact's subject or object
        self.entity_types: list = _sorted(
            t
            for f in self.facts
            for role in (RDF.subject, RDF.object)
            for node in g.objects(f, role)
            for t in g.objects(node, RDF.type)
            if t not in GENERIC_TYPES
        )
        self.entities_of_type: dict = {t: _sorted(g.subjects(RDF.type, t)) for t in self.entity_types}
        self.entities: list = _sorted(e for members in self.entities_of_type.values() for e in members)

        # sections and content units (with every subclass the vocabulary declares)
        self.sections: list = _sorted([*g.subjects(RDF.type, BM.DocumentSection), *g.objects(None, BM.inSection)])
        unit_classes = set(self.both.transitive_subjects(RDFS.subClassOf, BM.ContentUnit))
        self.units: list = _sorted(
            [*(u for c in unit_classes for u in g.subjects(RDF.type, c)), *g.objects(None, BM.readsUnit), *g.objects(None, BM.readsLeadIn)]
        )
        # texts of units: every fact's quote and every unit's exact text
        unit_texts = [s for u in self.units for sel in g.objects(u, OA.hasSelector) for s in g.objects(sel, OA.exact)]
        self.unit_texts: list = _sorted([*g.objects(None, BM.quote), *unit_texts])

    def cues(self, concept) -> list[str]:
        """The cue words of a controlled value: its skos:hiddenLabel values, or, for a
        concept that lists none, its labels."""
        cues = [str(c) for c in self.both.objects(concept, SKOS.hiddenLabel)]
        if not cues:
            cues = [str(c) for p in (SKOS.prefLabel, RDFS.label) for c in self.both.objects(concept, p)]
        return sorted(set(cues))

    def words_of(self, fact, concept) -> list[Literal]:
        """The record's bm:qualifierText values that belong to ``concept``: those whose
        text contains one of its cue words (case-insensitive)."""
        cues = [c.casefold() for c in self.cues(concept)]
        words = self.union.objects(fact, BM.qualifierText)
        return _sorted(w for w in words if any(c in str(w).casefold() for c in cues))

    def label_of(self, concept) -> str | None:
        for p in (SKOS.prefLabel, RDFS.label):
            for label in _sorted(self.both.objects(concept, p)):
                return str(label)
        return None

    def names(self, node) -> list[str]:
        """rdfs:label and skos:altLabel values of a node, as strings."""
        return sorted({str(v) for p in (RDFS.label, SKOS.altLabel) for v in self.union.objects(node, p)})

    def values(self, subject, predicate) -> list:
        return _sorted(self.union.objects(subject, predicate))

    def where(self, triple: Triple) -> list[str]:
        """The data files that hold ``triple``."""
        return [name for name, graph in self.files.items() if triple in graph]

    # -- building mutants -------------------------------------------------------------

    def mutant(self, cls: str, description: str, remove: Iterable[Triple] = (), add: Iterable[tuple[str, Triple]] = ()) -> Mutant:
        """Remove ``remove`` from every file holding it; add each (file, triple) of ``add``."""
        removed = tuple((name, t) for t in remove for name in self.where(t))
        return Mutant(cls, description, removed, tuple(add))

    def mutated_files(self, mutant: Mutant) -> dict[str, set]:
        """The triples of each file the mutant edits, after the edit."""
        touched = sorted({name for name, _t in (*mutant.removed, *mutant.added)})
        result = {name: set(self.files[name]) for name in touched}
        for name, triple in mutant.removed:
            result[name].discard(triple)
        for name, triple in mutant.added:
            result[name].add(triple)
        return result

    def mutated_union(self, mutant: Mutant) -> Graph:
        """The whole data as validation will see it, with the mutant applied."""
        edited = self.mutated_files(mutant)
        graph = Graph()
        for name, original in self.files.items():
            for triple in edited.get(name, original):
                graph.add(triple)
        return graph

    def effect(self, mutant: Mutant) -> tuple[frozenset, frozenset] | None:
        """(triples gone, triples new) of the whole data, or None for a no-op mutant.

        The data has no blank nodes that a mutant could relabel, so the mutated graph
        is isomorphic to the original exactly when both sets are empty."""
        edited = self.mutated_files(mutant)
        after: set = set()
        for name, original in self.files.items():
            after.update(edited.get(name, original))
        gone, new = frozenset(self.union_set - after), frozenset(after - self.union_set)
        if not gone and not new:
            return None
        return gone, new

    def write_copy(self, dest: Path, mutant: Mutant | None = None, *, rewrite_all: bool = False) -> Path:
        """A full copy of the data folder under ``dest``, with the mutant's files rewritten."""
        folder = Path(dest) / self.data_dir.name
        shutil.copytree(self.data_dir, folder)
        edited = self.mutated_files(mutant) if mutant is not None else {}
        if rewrite_all:
            edited = {name: edited.get(name, set(graph)) for name, graph in self.files.items()}
        for name, triples in edited.items():
            graph = new_graph()
            for triple in triples:
                graph.add(triple)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                graph.serialize(destination=str(folder / name), format="turtle", encoding="utf-8")
        return folder

    # -- describing -------------------------------------------------------------------

    def short(self, term) -> str:
        if isinstance(term, Literal):
            text = str(term)
            return '"' + (text if len(text) <= 60 else text[:57] + "...") + '"'
        if isinstance(term, BNode):
            return "[]"
        return term.n3(self._nsm)

    def triple_text(self, triple: Triple) -> str:
        return " ".join(self.short(t) for t in triple)


def _parse(path: Path) -> Graph:
    try:
        return parse_into(new_graph(), path)
    except BonemetError as err:
        raise HarnessError(str(err)) from None


# --------------------------------------------------------------------------------------
# Mutant classes: each takes the corpus and a seeded random generator and returns one
# mutant, or None when the data holds nothing this class can edit.
# --------------------------------------------------------------------------------------


def negation_added(c: Corpus, rng: random.Random) -> Mutant | None:
    """Mark a record that is not negated as negated (variant: also add the word "not")."""
    if c.negation_value is None:
        return None
    sites = [f for f in c.facts if not c.values(f, BM.negation)]
    if not sites:
        return None
    fact = rng.choice(sites)
    add = [(c.home[fact], (fact, BM.negation, c.negation_value))]
    description = f"{c.short(fact)}: added bm:negation {c.short(c.negation_value)}"
    if rng.random() < 0.5:
        add.append((c.home[fact], (fact, BM.qualifierText, Literal("not"))))
        description += ' and bm:qualifierText "not"'
    return c.mutant("negation-added", description, add=add)


def negation_removed(c: Corpus, rng: random.Random) -> Mutant | None:
    """Drop the negation of a negated record (variant: also its negation words)."""
    sites = [(f, v) for f in c.facts for v in c.values(f, BM.negation)]
    if not sites:
        return None
    fact, value = rng.choice(sites)
    remove = [(fact, BM.negation, value)]
    description = f"{c.short(fact)}: removed bm:negation {c.short(value)}"
    words = c.words_of(fact, value)
    if words and rng.random() < 0.5:
        remove += [(fact, BM.qualifierText, w) for w in words]
        description += " and its words " + ", ".join(c.short(w) for w in words)
    return c.mutant("negation-removed", description, remove=remove)


def _qualifier_sites(c: Corpus) -> list[tuple]:
    return [(f, p, v) for f in c.facts for p in c.qualifier_props for v in c.values(f, p) if v in c.scheme_of]


def qualifier_dropped(c: Corpus, rng: random.Random) -> Mutant | None:
    """Remove one controlled qualifier value together with its qualifier words."""
    sites = _qualifier_sites(c)
    if not sites:
        return None
    fact, prop, value = rng.choice(sites)
    words = c.words_of(fact, value)
    remove = [(fact, prop, value), *((fact, BM.qualifierText, w) for w in words)]
    description = f"{c.short(fact)}: removed {c.short(prop)} {c.short(value)}"
    if words:
        description += " and its words " + ", ".join(c.short(w) for w in words)
    return c.mutant("qualifier-dropped", description, remove=remove)


def qualifier_swapped(c: Corpus, rng: random.Random) -> Mutant | None:
    """Replace a controlled value by another of its scheme (variant: replace its words too)."""
    sites = [s for s in _qualifier_sites(c) if len(c.concepts_in[c.scheme_of[s[2]]]) > 1]
    if not sites:
        return None
    fact, prop, value = rng.choice(sites)
    other = rng.choice([v for v in c.concepts_in[c.scheme_of[value]] if v != value])
    remove = [(fact, prop, value)]
    add = [(c.home[fact], (fact, prop, other))]
    description = f"{c.short(fact)}: {c.short(prop)} {c.short(value)} -> {c.short(other)}"
    words, label = c.words_of(fact, value), c.label_of(other)
    if words and label and rng.random() < 0.5:
        remove += [(fact, BM.qualifierText, w) for w in words]
        add.append((c.home[fact], (fact, BM.qualifierText, Literal(label))))
        description += ", words " + ", ".join(c.short(w) for w in words) + f' -> "{label}"'
    else:
        description += " (words kept)"
    return c.mutant("qualifier-swapped", description, remove=remove, add=add)


def _swap_term(c: Corpus, rng: random.Random, cls: str, role) -> Mutant | None:
    """Replace a fact's subject or object by another entity of the same rdf:type, in the
    plain triple and in the record alike."""
    def pool(node) -> list:
        types = [t for t in c.values(node, RDF.type) if t in c.entities_of_type]
        return _sorted(e for t in types for e in c.entities_of_type[t] if e != node)

    sites = [(f, n) for f in c.facts for n in c.values(f, role) if pool(n)]
    if not sites:
        return None
    fact, node = rng.choice(sites)
    other = rng.choice(pool(node))
    remove, add = [(fact, role, node)], [(c.home[fact], (fact, role, other))]
    for s in c.values(fact, RDF.subject):
        for p in c.values(fact, RDF.predicate):
            for o in c.values(fact, RDF.object):
                plain = (s, p, o)
                new = (other, p, o) if role == RDF.subject else (s, p, other)
                remove.append(plain)
                add.append(((c.where(plain) or [c.home[fact]])[0], new))
    description = f"{c.short(fact)}: {c.short(role)} {c.short(node)} -> {c.short(other)} (record and plain triple)"
    return c.mutant(cls, description, remove=remove, add=add)


def subject_swapped(c: Corpus, rng: random.Random) -> Mutant | None:
    """Replace a fact's subject by another entity of the same type."""
    return _swap_term(c, rng, "subject-swapped", RDF.subject)


def object_swapped(c: Corpus, rng: random.Random) -> Mutant | None:
    """Replace a fact's object by another entity of the same type."""
    return _swap_term(c, rng, "object-swapped", RDF.object)


def _replace_value(c: Corpus, rng: random.Random, cls: str, prop, pool: list) -> Mutant | None:
    """Set ``prop`` of a record to another value from ``pool`` (all old values removed)."""
    sites = [f for f in c.facts if c.values(f, prop) and [v for v in pool if v not in c.values(f, prop)]]
    if not sites:
        return None
    fact = rng.choice(sites)
    old = c.values(fact, prop)
    new = rng.choice([v for v in pool if v not in old])
    description = f"{c.short(fact)}: {c.short(prop)} " + ", ".join(c.short(v) for v in old) + f" -> {c.short(new)}"
    return c.mutant(cls, description, remove=[(fact, prop, v) for v in old], add=[(c.home[fact], (fact, prop, new))])


def quote_replaced(c: Corpus, rng: random.Random) -> Mutant | None:
    """Set a record's quote to the text of another unit."""
    return _replace_value(c, rng, "quote-replaced", BM.quote, c.unit_texts)


def section_swapped(c: Corpus, rng: random.Random) -> Mutant | None:
    """Set a record's section to another section."""
    return _replace_value(c, rng, "section-swapped", BM.inSection, c.sections)


def unit_swapped(c: Corpus, rng: random.Random) -> Mutant | None:
    """Set the unit a record reads to another content unit."""
    return _replace_value(c, rng, "unit-swapped", BM.readsUnit, c.units)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text)


def mention_changed(c: Corpus, rng: random.Random) -> Mutant | None:
    """Replace a subject or object mention by another entity's label or by another word
    of the quote (one the mention does not contain)."""
    roles = ((BM.subjectMention, RDF.subject), (BM.objectMention, RDF.object))
    sites = [(f, prop, role, m) for f in c.facts for prop, role in roles for m in c.values(f, prop)]
    if not sites:
        return None
    fact, prop, role, mention = rng.choice(sites)
    own = {n.casefold() for node in c.values(fact, role) for n in c.names(node)} | {str(mention).casefold()}
    labels = sorted({n for e in c.entities if e not in c.values(fact, role) for n in c.names(e)} - {""})
    labels = [n for n in labels if n.casefold() not in own]
    in_mention = {w.casefold() for w in _words(str(mention))}
    words = sorted({w for q in c.values(fact, BM.quote) for w in _words(str(q)) if w.casefold() not in in_mention | own})
    if labels and (not words or rng.random() < 0.5):
        new, how = rng.choice(labels), "another entity's label"
    elif words:
        new, how = rng.choice(words), "another word of the quote"
    else:
        return None
    description = f"{c.short(fact)}: {c.short(prop)} {c.short(mention)} -> \"{new}\" ({how})"
    return c.mutant("mention-changed", description, remove=[(fact, prop, mention)], add=[(c.home[fact], (fact, prop, _like(mention, new)))])


def _all_triples(c: Corpus) -> list[tuple[str, Triple]]:
    cached = getattr(c, "_all_triples", None)
    if cached is None:
        cached = [(name, t) for name, graph in c.files.items() for t in sorted(graph, key=lambda t: tuple(map(_key, t)))]
        c._all_triples = cached
    return cached


def deletion(c: Corpus, rng: random.Random) -> Mutant | None:
    """Delete one triple, any triple, from one data file."""
    sites = _all_triples(c)
    if not sites:
        return None
    name, triple = rng.choice(sites)
    return Mutant("deletion", f"{name}: deleted {c.triple_text(triple)}", ((name, triple),), ())


def literal_edit(c: Corpus, rng: random.Random) -> Mutant | None:
    """Change one character of a literal, or append a word to it."""
    sites = [(name, t) for name, t in _all_triples(c) if isinstance(t[2], Literal)]
    if not sites:
        return None
    name, (s, p, o) = rng.choice(sites)
    text = str(o)
    if text and rng.random() < 0.5:
        i = rng.randrange(len(text))
        ch = text[i]
        if ch.isdigit():
            alphabet = "0123456789"
        elif ch.isalpha():
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if ch.isupper() else "abcdefghijklmnopqrstuvwxyz"
        else:
            alphabet = "x-."
        new_text = text[:i] + rng.choice([a for a in alphabet if a != ch]) + text[i + 1:]
        how = f"character {i + 1} {ch!r} -> {new_text[i]!r}"
    else:
        word = rng.choice(APPENDED_WORDS)
        new_text = f"{text} {word}" if text else word
        how = f'appended "{word}"'
    new = _like(o, new_text)
    description = f"{name}: {c.short(s)} {c.short(p)} {c.short(o)}: {how}"
    return Mutant("literal-edit", description, ((name, (s, p, o)),), ((name, (s, p, new)),))


#: class name -> (function, meaning-changing?)
REGISTRY: dict[str, tuple[Callable[[Corpus, random.Random], Mutant | None], bool]] = {
    "negation-added": (negation_added, True),
    "negation-removed": (negation_removed, True),
    "qualifier-dropped": (qualifier_dropped, True),
    "qualifier-swapped": (qualifier_swapped, True),
    "subject-swapped": (subject_swapped, True),
    "object-swapped": (object_swapped, True),
    "quote-replaced": (quote_replaced, True),
    "section-swapped": (section_swapped, True),
    "unit-swapped": (unit_swapped, True),
    "mention-changed": (mention_changed, True),
    "deletion": (deletion, False),
    "literal-edit": (literal_edit, False),
}
MEANING_CHANGING = [name for name, (_fn, meaning) in REGISTRY.items() if meaning]


# --------------------------------------------------------------------------------------
# Generating, validating, reporting
# --------------------------------------------------------------------------------------


def load_corpus(data_dir: Path | None = None) -> Corpus:
    """The shipped data (or ``data_dir``) with the shipped vocabulary."""
    return Corpus(data_dir or paths.data_dir(), paths.vocabulary_file())


def generate(corpus: Corpus, classes: Iterable[str] | None = None, per_class: int = DEFAULT_PER_CLASS, seed: int = DEFAULT_SEED) -> list[Mutant]:
    """Up to ``per_class`` distinct, non-no-op mutants of each class, in registry order.

    Each class draws from its own generator seeded with (seed, class name), so the
    mutants of a class do not depend on which other classes are chosen. A draw that
    changes nothing, or repeats an earlier mutant of its class, is drawn again."""
    chosen = list(REGISTRY) if classes is None else [n for n in REGISTRY if n in set(classes)]
    mutants: list[Mutant] = []
    for name in chosen:
        function, _meaning = REGISTRY[name]
        rng = random.Random(f"bonemet-mutants/{seed}/{name}")
        seen: set = set()
        found = 0
        for _attempt in range(25 * per_class + 50):
            if found >= per_class:
                break
            mutant = function(corpus, rng)
            if mutant is None:  # nothing in the data for this class
                break
            effect = corpus.effect(mutant)
            if effect is None or effect in seen:
                continue
            seen.add(effect)
            mutants.append(mutant)
            found += 1
    return mutants


def _shape_name(shape: str) -> str:
    if shape.startswith(SHAPES_NS):
        return "bmsh:" + shape[len(SHAPES_NS):]
    return shape if "://" in shape else "(anonymous shape)"  # blank-node ids change from run to run


def _validate(folder: Path):
    from bonemet.checks.validation import validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return validate(sorted(folder.glob("*.ttl")))


def evaluate(corpus: Corpus, mutant: Mutant) -> Result:
    """Validate a full copy of the data with the mutant applied."""
    with tempfile.TemporaryDirectory(prefix="bonemet-mutant-") as tmp:
        folder = corpus.write_copy(Path(tmp), mutant)
        try:
            report = _validate(folder)
        except BonemetError as err:  # the mutated data cannot even be loaded: validate refuses it
            return Result(mutant, True, (f"(refused: {err.what})",))
    shapes = tuple(sorted({_shape_name(f.shape) for f in report.findings if f.severity == "Violation"}))
    return Result(mutant, not report.conforms, shapes)


def check_baseline(corpus: Corpus) -> None:
    """The unmutated copy, and the copy with every file rewritten by rdflib, must conform."""
    for rewrite, what in ((False, "the unmutated copy of the data"), (True, "the unmutated data rewritten by rdflib")):
        with tempfile.TemporaryDirectory(prefix="bonemet-baseline-") as tmp:
            folder = corpus.write_copy(Path(tmp), rewrite_all=rewrite)
            try:
                report = _validate(folder)
            except BonemetError as err:
                raise HarnessError(f"{what} cannot be validated: {err}") from None
        if not report.conforms:
            violations = [f for f in report.findings if f.severity == "Violation"]
            first = violations[0] if violations else report.findings[0]
            raise HarnessError(
                f"{what} does not conform ({len(violations)} violation(s); first: {_shape_name(first.shape)} "
                f"on {first.focus_label or first.focus}: {first.message.rstrip('. ')}); make 'bonemet validate' pass before measuring"
            )


def run(corpus: Corpus, mutants: list[Mutant], progress: Callable[[int, int], None] | None = None) -> list[Result]:
    results = []
    for i, mutant in enumerate(mutants, 1):
        results.append(evaluate(corpus, mutant))
        if progress:
            progress(i, len(mutants))
    return results


@dataclass(frozen=True)
class Row:
    cls: str
    meaning: bool
    generated: int
    killed: int

    @property
    def survived(self) -> int:
        return self.generated - self.killed

    @property
    def rate(self) -> str:
        return f"{100 * self.killed / self.generated:.1f}%" if self.generated else "n/a"


def summarize(results: list[Result], classes: Iterable[str]) -> list[Row]:
    rows = []
    for name in classes:
        mine = [r for r in results if r.mutant.cls == name]
        rows.append(Row(name, REGISTRY[name][1], len(mine), sum(r.killed for r in mine)))
    return rows


def _totals(rows: list[Row]) -> list[tuple[str, Row]]:
    def total(label: str, chosen: list[Row]) -> tuple[str, Row]:
        return label, Row(label, False, sum(r.generated for r in chosen), sum(r.killed for r in chosen))

    return [total("meaning-changing", [r for r in rows if r.meaning]), total("all", rows)]


def passed(rows: list[Row]) -> bool:
    """Every meaning-changing mutant killed (a class with no mutants has nothing to miss)."""
    return all(r.killed == r.generated for r in rows if r.meaning)


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| class | meaning-changing | generated | killed | survived | kill rate |",
        "|---|:---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r.cls} | {'yes' if r.meaning else 'no'} | {r.generated} | {r.killed} | {r.survived} | {r.rate} |")
    for label, r in _totals(rows):
        lines.append(f"| **total: {label}** | | {r.generated} | {r.killed} | {r.survived} | {r.rate} |")
    return lines


def markdown(results: list[Result], rows: list[Row], seed: int, per_class: int, command: str) -> str:
    lines = [
        "# Mutation testing of `bonemet validate`",
        "",
        f"Seed {seed}, up to {per_class} mutants per class; written by `{command}`.",
        "Each mutant is a seeded edit of the shipped data, validated as a full copy of the data folder;",
        "it is killed when the validation report does not conform. Meaning-changing classes change",
        "what the graph claims the page says and must all be killed; `deletion` and `literal-edit`",
        "are random edits, reported only.",
        "",
        *table(rows),
        "",
        f"Result: {'every meaning-changing mutant was killed' if passed(rows) else 'some meaning-changing mutants survived'}.",
    ]
    empty = [r.cls for r in rows if r.generated == 0]
    if empty:
        lines += ["", "Classes with nothing to edit in the data (no mutants): " + ", ".join(f"`{n}`" for n in empty) + "."]
    lines += ["", "## Shapes that killed the mutants", "", "| class | shape | mutants |", "|---|---|---:|"]
    for r in rows:
        counts = Counter(s for res in results if res.mutant.cls == r.cls and res.killed for s in res.shapes)
        for shape, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"| {r.cls} | `{shape}` | {n} |")
    lines += ["", "## Surviving mutants", ""]
    survivors = [res for res in results if not res.killed]
    if not survivors:
        lines.append("None.")
    for r in rows:
        mine = [res for res in survivors if res.mutant.cls == r.cls]
        if mine:
            lines += [f"### {r.cls} ({'meaning-changing' if r.meaning else 'other'}: {len(mine)} survived)", ""]
            lines += [f"- {_md(res.mutant.description)}" for res in mine]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"mutants: error: {message} (see --help)\n")


def _classes(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in REGISTRY]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown mutant class {', '.join(unknown) or '(none)'}; known: {', '.join(REGISTRY)}")
    return names


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="mutants.py", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=_integer, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--per-class", type=_positive, default=DEFAULT_PER_CLASS, metavar="K", help=f"mutants per class (default {DEFAULT_PER_CLASS})")
    parser.add_argument("--classes", type=_classes, default=None, metavar="A,B", help="only these classes: " + ", ".join(REGISTRY))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="FILE", help="Markdown report (default benchmarks/mutants.md)")
    parser.add_argument("--list-survivors", action="store_true", help="also print every surviving mutant")
    args = parser.parse_args(argv)
    classes = [n for n in REGISTRY if args.classes is None or n in args.classes]

    try:
        corpus = load_corpus()
        check_baseline(corpus)
        mutants = generate(corpus, classes, args.per_class, args.seed)
        show = sys.stderr.isatty()

        def progress(i: int, n: int) -> None:
            if show:
                sys.stderr.write(f"\rvalidating mutant {i}/{n}")
                if i == n:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        results = run(corpus, mutants, progress)
    except HarnessError as err:
        sys.stderr.write(f"mutants: error: {err}\n")
        return 2

    rows = summarize(results, classes)
    print(f"Mutation testing of bonemet validate: seed {args.seed}, up to {args.per_class} per class, {len(results)} mutants")
    print("\n".join(table(rows)))
    if args.list_survivors:
        print()
        survivors = [r for r in results if not r.killed]
        print("Surviving mutants:" if survivors else "Surviving mutants: none")
        for r in survivors:
            print(f"  [{r.mutant.cls}] {r.mutant.description}")
    command = "python benchmarks/mutants.py" + "".join(
        f" {flag}" for flag in (
            f"--seed {args.seed}" if args.seed != DEFAULT_SEED else "",
            f"--per-class {args.per_class}" if args.per_class != DEFAULT_PER_CLASS else "",
            f"--classes {','.join(classes)}" if args.classes is not None else "",
        ) if flag
    )
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown(results, rows, args.seed, args.per_class, command), encoding="utf-8")
    except OSError as err:
        sys.stderr.write(f"mutants: error: cannot write {args.out} ({err.strerror or err})\n")
        return 2
    print(f"Report written to {args.out}")
    return 0 if passed(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
