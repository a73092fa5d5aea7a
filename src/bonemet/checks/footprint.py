"""Which triples a SPARQL query can read: whether a change of the graph can change its answer.

A SPARQL query reads its dataset through triple patterns (and property paths) only; a
triple that matches none of a query's patterns cannot change what the query answers,
whether it is added or taken away. :class:`Footprint` gathers every pattern of a set of
queries (in the WHERE clause, sub-queries and FILTER EXISTS / NOT EXISTS alike) and
says whether a triple could match one of them.

A variable matches anything, unless the patterns it shares a block with narrow it:

- a variable that is the subject of a pattern of its block (or of the block around a
  FILTER EXISTS) is never a literal;
- a variable that a pattern of its block types (``?v a bm:Reference``), or that is the
  subject or object of a pattern with a constant predicate (``?record rdf:predicate ?p``),
  matches only the terms of the graph that pattern could give it. Those sets are read
  from the graph by :meth:`Footprint.sets` and kept; a set is used only while the change
  holds no triple of its predicate (or, for a type, no ``rdf:type`` triple), and a set
  larger than :data:`LARGEST` is not kept.

Where a pattern's part is something this module does not read (an unusual path, a
collection), it matches anything: the answer is then "it could change", never a false
"it cannot".
"""

from __future__ import annotations

from dataclasses import dataclass

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: The largest set of a graph's terms kept for narrowing a variable.
LARGEST = 20000

_ANY = ("any",)


@dataclass(frozen=True)
class _Pattern:
    parts: tuple  # three of: ("const", N-Triples text), ("var", name), ("path", frozenset of IRIs), ("any",)
    not_literal: frozenset  # the variables that are a subject in the pattern's block
    narrowing: tuple  # (variable, lookup) pairs; lookup: ("typed", class IRI) / ("subject", IRI) / ("object", IRI)


class Footprint:
    """Triple patterns: :meth:`of` reads them from queries; :meth:`dump` and :meth:`load`
    keep them as plain lists (rdflib's SPARQL parser costs more than a second to start)."""

    def __init__(self, patterns: list):
        self.patterns = patterns

    @classmethod
    def of(cls, queries) -> Footprint:
        """The patterns of ``queries`` (SPARQL texts with their PREFIX lines)."""
        from rdflib.plugins.sparql import prepareQuery

        patterns: list[_Pattern] = []
        for text in queries:
            _walk(prepareQuery(text).algebra, [], patterns)
        return cls(patterns)

    def dump(self) -> list:
        return [[[list(part) if part[0] != "path" else ["path", sorted(part[1])] for part in p.parts],
                 sorted(p.not_literal), [[name, list(lookup)] for name, lookup in p.narrowing]] for p in self.patterns]

    @classmethod
    def load(cls, data: list) -> Footprint:
        """What :meth:`dump` gave (ValueError if it is not that)."""
        try:
            return cls([_Pattern(tuple((part[0], frozenset(part[1])) if part[0] == "path" else tuple(part) for part in parts),
                                 frozenset(not_literal), tuple((name, tuple(lookup)) for name, lookup in narrowing))
                        for parts, not_literal, narrowing in data])
        except (TypeError, ValueError, IndexError) as error:
            raise ValueError("not a footprint") from error

    def lookups(self) -> set:
        """Every set of the graph's terms the patterns can narrow a variable with."""
        return {lookup for pattern in self.patterns for _var, lookup in pattern.narrowing}

    def sets(self, store) -> dict:
        """Each lookup's set of terms (as N-Triples strings), read from every graph of the
        Oxigraph ``store``; those over :data:`LARGEST` left out."""
        import pyoxigraph

        found = {}
        for kind, iri in sorted(self.lookups()):
            node = pyoxigraph.NamedNode(iri)
            if kind == "typed":
                quads = store.quads_for_pattern(None, pyoxigraph.NamedNode(RDF_TYPE), node)
                pick = 0
            else:
                quads = store.quads_for_pattern(None, node, None)
                pick = 0 if kind == "subject" else 2
            terms = set()
            for quad in quads:
                terms.add(str(quad[pick]))
                if len(terms) > LARGEST:
                    break
            if len(terms) <= LARGEST:
                found[f"{kind} {iri}"] = sorted(terms)
        return found

    def touched(self, changes, sets: dict) -> bool:
        """Whether any of ``changes`` (subject, predicate, object triples of pyoxigraph
        terms, added to the graph or taken from it; an object of None is a literal not
        known) matches a pattern: ``sets`` are those :meth:`sets` read before the change."""
        import pyoxigraph

        changed = {p.value for _s, p, _o in changes}
        usable = {}
        for name, terms in sets.items():
            kind, iri = name.split(" ", 1)
            if (RDF_TYPE if kind == "typed" else iri) not in changed:
                usable[(kind, iri)] = set(terms)
        for values in changes:
            texts = tuple(None if v is None else str(v) for v in values)
            for pattern in self.patterns:
                if _matches(pattern, values, texts, usable, pyoxigraph):
                    return True
        return False


def _matches(pattern: _Pattern, values: tuple, texts: tuple, usable: dict, pyoxigraph) -> bool:
    """Whether the triple could match the pattern; ``None`` (an unknown literal) matches a
    constant literal and any variable that may be a literal."""
    bound: dict = {}
    for part, value, text in zip(pattern.parts, values, texts):
        kind = part[0]
        if kind == "const" and part[1] != text and not (text is None and not part[1].startswith(("<", "_:"))):
            return False
        if kind == "path" and value.value not in part[1]:
            return False
        if kind == "var":
            if part[1] in bound and text is not None and bound[part[1]][1] not in (None, text):
                return False
            bound[part[1]] = (value, text)
    for name, (value, _text) in bound.items():
        if name in pattern.not_literal and (value is None or isinstance(value, pyoxigraph.Literal)):
            return False
    for name, lookup in pattern.narrowing:
        terms = usable.get(lookup)
        if name in bound and bound[name][1] is not None and terms is not None and bound[name][1] not in terms:
            return False
    return True


def _walk(node, around: list, found: list) -> None:
    """Every block of triple patterns under ``node``; ``around``: the patterns of the
    block that an EXISTS filter below sits in (its variables take their values there)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name in ("BGP", "TriplesBlock"):
            _block(node.get("triples") or [], around, found)
            return
        if node.name == "Filter":
            inner = _block_triples(node.get("p"))
            _walk(node.get("p"), around, found)
            _walk(node.get("expr"), around + inner, found)
            return
        for value in node.values():
            _walk(value, around, found)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _walk(value, around, found)


def _block_triples(node) -> list:
    """The patterns of the blocks that ``node`` joins (its mandatory part)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return []
    if node.name in ("BGP", "TriplesBlock"):
        return [tuple(t) for t in node.get("triples") or []]
    if node.name == "Join":
        return _block_triples(node.get("p1")) + _block_triples(node.get("p2"))
    if node.name in ("Filter", "Extend"):
        return _block_triples(node.get("p"))
    if node.name == "LeftJoin":
        return _block_triples(node.get("p1"))
    return []  # a union, a sub-query (its variables are its own), ...: nothing narrows


def _block(triples: list, around: list, found: list) -> None:
    from rdflib import BNode, Variable

    block = [tuple(t) for t in triples if len(t) == 3]
    if len(block) != len(triples):  # a shape of block not read here: it may read any triple
        found.append(_Pattern((_ANY, _ANY, _ANY), frozenset(), ()))
    context = block + around

    def name(term):
        return str(term) if isinstance(term, (Variable, BNode)) else None

    subjects = frozenset(n for s, _p, _o in context if (n := name(s)) is not None)
    for triple in block:
        predicate = _predicate(triple[1], name)
        if predicate[0] in ("path", "any"):
            # a path's steps run through nodes other than its ends; one of zero length
            # (p*, p?) matches every term of the graph: any triple
            parts = (_ANY, predicate, _ANY)
        else:
            parts = (_part(triple[0], name), predicate, _part(triple[2], name))
        narrowing = []
        for other in context:
            if other is triple:
                continue
            s, p, o = other
            lookup_p = _iri(p)
            if lookup_p is None:
                continue
            if lookup_p == RDF_TYPE and name(s) is not None and _iri(o) is not None:
                narrowing.append((name(s), ("typed", _iri(o))))
            elif name(s) is not None and name(o) != name(s):
                narrowing.append((name(s), ("subject", lookup_p)))
            if name(o) is not None and name(o) != name(s) and lookup_p != RDF_TYPE:
                narrowing.append((name(o), ("object", lookup_p)))
        found.append(_Pattern(parts, subjects, tuple(narrowing)))


def _iri(term) -> str | None:
    from rdflib import URIRef

    return str(term) if isinstance(term, URIRef) else None


def _part(term, name) -> tuple:
    from rdflib import Literal, URIRef

    from bonemet.terms import to_oxigraph

    if name(term) is not None:
        return ("var", name(term))
    if isinstance(term, (URIRef, Literal)):
        return ("const", str(to_oxigraph(term)))
    return _ANY


def _predicate(term, name) -> tuple:
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if name(term) is not None:
        return ("var", name(term))
    if isinstance(term, URIRef):
        return ("const", f"<{term}>")
    iris: set = set()

    def steps(path) -> bool:
        """Add the path's IRIs; whether it can match with no triple at all."""
        if isinstance(path, URIRef):
            iris.add(str(path))
            return False
        if isinstance(path, SequencePath):
            return all([steps(arg) for arg in path.args])
        if isinstance(path, AlternativePath):
            return any([steps(arg) for arg in path.args])
        if isinstance(path, InvPath):
            return steps(path.arg)
        if isinstance(path, MulPath):
            return steps(path.path) or path.mod in ("*", "?")
        raise ValueError(path)  # a negated set, or something unread

    try:
        empty = steps(term)
    except ValueError:
        return _ANY
    return _ANY if empty else ("path", frozenset(iris))
