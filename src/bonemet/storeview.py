"""An Oxigraph store read through the part of rdflib's Graph interface that the checks use.

Validation's passes (closed vocabulary, grounding, the derived layer, the shapes that
select nothing, the labels of the report) are written against an rdflib ``Graph``. At a
million triples, building that Graph costs more than everything the passes do: parsing
into rdflib took 18 s and 1.1 GB. :class:`StoreView` answers the same calls
(``triples``, ``subjects``, ``objects``, ``value``, ``in``, ``len``, iteration, ``add``,
``remove``) from the store's default graph, turning into rdflib terms only what a pass
reads. The passes stay one piece of code for both kinds of graph.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from bonemet.terms import from_oxigraph, to_oxigraph

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#: The typed literals an Oxigraph store gives back exactly as written, that rdflib reads
#: with the same lexical form and value, and that Oxigraph's SPARQL compares by value: a
#: 64-bit integer in canonical form, a boolean, a valid date or year without time zone, an
#: anyURI. Anything else typed by XSD or RDF the store may rewrite (" 4" becomes "4",
#: "3.0"^^xsd:decimal "3", xsd:int xsd:integer, 24:00:00 the next day) or fail to compare
#: (integers past 64 bits), where rdflib keeps or judges it otherwise.
_KEPT = {
    _XSD + "integer": re.compile(r"0|-?[1-9][0-9]{0,17}"),
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    _XSD + "gYear": re.compile(r"[0-9]{4}"),
    _XSD + "anyURI": re.compile(r"[^\x00-\x20<>\"{}|^`\\]*"),
}


class Faithful:
    """Passes on quads (as ``pyoxigraph.parse`` gives them: terms as written) while a store
    of them gives every term back as rdflib reads it: no triple term (RDF 1.2), no typed
    literal outside :data:`_KEPT`. At the first that fails it stops, and ``kept`` is False.
    Each distinct literal is judged once; the quads stream through, one at a time."""

    def __init__(self) -> None:
        self.kept = True

    def __call__(self, quads):
        import datetime

        import pyoxigraph

        nodes = (pyoxigraph.NamedNode, pyoxigraph.BlankNode)
        literal, string = pyoxigraph.Literal, pyoxigraph.NamedNode(_XSD + "string")
        judged: dict = {}
        for quad in quads:
            obj = quad.object
            if type(quad.subject) not in nodes:
                self.kept = False
            elif type(obj) is literal:
                if not (obj.language or obj.datatype == string):
                    kept = judged.get(obj)
                    if kept is None:
                        kept = judged[obj] = _kept(obj.value, obj.datatype.value, datetime)
                    self.kept = kept
            elif type(obj) not in nodes:
                self.kept = False
            if not self.kept:
                return
            yield quad


def _kept(value: str, datatype: str, datetime) -> bool:
    pattern = _KEPT.get(datatype)
    if pattern is None:
        return not datatype.startswith((_XSD, _RDF))  # another vocabulary's type: opaque to both
    if not pattern.fullmatch(value):
        return False
    try:
        if datatype.endswith("#date"):
            datetime.date.fromisoformat(value)
        elif datatype.endswith("#gYear"):
            return int(value) >= 1
    except ValueError:
        return False
    return True


class StoreView:
    """The default graph of ``store``, read and written as an rdflib Graph."""

    def __init__(self, store) -> None:
        import pyoxigraph

        from bonemet.namespaces import new_graph

        self.store = store
        self._default = pyoxigraph.DefaultGraph()
        self._quad = pyoxigraph.Quad
        self._named = pyoxigraph.NamedNode
        self._literal = pyoxigraph.Literal
        self._iris: dict = {}  # IRIs recur on every line; literals seldom do
        self._keys: dict = {}  # and the IRIs the passes look up
        self.namespace_manager = new_graph().namespace_manager

    # -- terms
    def _term(self, node):
        """The rdflib term of an Oxigraph term (as :func:`bonemet.terms.from_oxigraph`,
        by type alone: the passes read hundreds of thousands of them)."""
        kind = type(node)
        if kind is self._named:
            found = self._iris.get(node)
            if found is None:
                found = self._iris[node] = URIRef(node.value)
            return found
        if kind is self._literal:
            if node.language:
                return Literal(node.value, lang=node.language)
            datatype = node.datatype.value
            if datatype == _XSD + "string":
                return Literal(node.value)
            found = self._iris.get(node.datatype)
            if found is None:
                found = self._iris[node.datatype] = URIRef(datatype)
            return Literal(node.value, datatype=found)
        return from_oxigraph(node)

    def _key(self, term):
        if term is None:
            return None
        if type(term) is URIRef:
            found = self._keys.get(term)
            if found is None:
                found = self._keys[term] = self._named(str(term))
            return found
        return to_oxigraph(term)

    # -- reading
    def quads(self, pattern):
        """The store's quads matching an (s, p, o) pattern of rdflib terms or None."""
        subject, predicate, obj = pattern
        key = self._key
        return self.store.quads_for_pattern(key(subject), key(predicate), key(obj), self._default)

    def triples(self, pattern):
        return self.from_quads(self.quads(pattern))

    def from_quads(self, quads):
        """The triples of Oxigraph ``quads`` (read from this store), as rdflib terms."""
        term = self._term
        for quad in quads:
            yield term(quad.subject), term(quad.predicate), term(quad.object)

    def __iter__(self):
        return self.triples((None, None, None))

    def __contains__(self, pattern) -> bool:
        if None not in pattern:
            return self._as_quad(pattern) in self.store
        return any(True for _ in self.quads(pattern))

    def __len__(self) -> int:
        if not any(True for _ in self.store.named_graphs()):
            return len(self.store)
        return sum(1 for _ in self.quads((None, None, None)))

    def subjects(self, predicate=None, obj=None):
        for quad in self.quads((None, predicate, obj)):
            yield self._term(quad.subject)

    def objects(self, subject=None, predicate=None):
        for quad in self.quads((subject, predicate, None)):
            yield self._term(quad.object)

    def predicates(self, subject=None, obj=None):
        for quad in self.quads((subject, None, obj)):
            yield self._term(quad.predicate)

    def subject_objects(self, predicate=None):
        for quad in self.quads((None, predicate, None)):
            yield self._term(quad.subject), self._term(quad.object)

    def subject_predicates(self, obj=None):
        for quad in self.quads((None, None, obj)):
            yield self._term(quad.subject), self._term(quad.predicate)

    def predicate_objects(self, subject=None):
        for quad in self.quads((subject, None, None)):
            yield self._term(quad.predicate), self._term(quad.object)

    def value(self, subject=None, predicate=None, obj=None, default=None, any=True):  # noqa: A002 (rdflib's name)
        """One term of the first matching triple, the one left None (as rdflib's Graph.value)."""
        for s, p, o in self.triples((subject, predicate, obj)):
            return s if subject is None else p if predicate is None else o
        return default

    # -- writing
    def _as_quad(self, triple):
        key = self._key
        subject, predicate, obj = triple
        return self._quad(key(subject), key(predicate), key(obj), self._default)

    def add(self, triple) -> None:
        self.store.add(self._as_quad(triple))

    def remove(self, triple) -> None:
        self.store.remove(self._as_quad(triple))
