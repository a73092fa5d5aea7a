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


def without_blank_nodes(data: bytes, turtle: bool) -> bool:
    """Whether the N-Triples or Turtle ``data`` surely names no blank node: no ``_:``
    anywhere and, in Turtle, no ``[`` or ``(`` either (an anonymous node, a list), not even
    inside a literal. ``Store.load`` gives every blank node a new random name, where the
    parser keeps the names as written; a file without any loads the same either way."""
    return b"_:" not in data and not (turtle and (b"[" in data or b"(" in data))


class Screening:
    """:class:`Faithful`'s screen of whole files, run in a thread beside the store's own
    loading of them (``Store.load`` releases the interpreter lock: it parses and stores in
    Rust, while this thread parses the same bytes again and judges every term).
    ``files`` are (bytes, pyoxigraph format, base IRI); :meth:`kept` waits for the verdict:
    True when the parser read every file and the store keeps every term as written.
    ``watch``, when given, is called on the screened quads of each file and must yield them
    all again: a pass that wants to see every quad as it is loaded, and not read the store
    for them once more."""

    def __init__(self, files: list[tuple], watch=None) -> None:
        import threading

        self._kept = True
        self._watch = watch or (lambda quads: quads)
        self._thread = threading.Thread(target=self._run, args=(files,), daemon=True) if files else None
        if self._thread is not None:
            self._thread.start()

    def _run(self, files: list[tuple]) -> None:
        import pyoxigraph

        try:
            for data, format_, base in files:
                screen = Faithful()
                for _quad in self._watch(screen(pyoxigraph.parse(data, format_, base_iri=base))):
                    pass
                if not screen.kept:
                    self._kept = False
                    return
        except Exception:  # noqa: BLE001 - a file the parser refuses is not kept; the rdflib path says why
            self._kept = False

    def kept(self) -> bool:
        if self._thread is not None:
            self._thread.join()
        return self._kept


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


def _literal_maker():
    """A maker of plain literals (no language, type xsd:string) for the view's hot path.

    ``Literal(text)`` costs 1.6 µs, most of it rdflib trying to cast the text to a Python
    value; for a plain literal the value is the text itself. Where rdflib's Literal keeps
    the four slots this sets (rdflib 7), the maker fills them directly (0.2 µs) with what
    ``Literal(text)`` would hold (tests/test_store_validation.py compares the two); with any
    other layout it is ``Literal`` itself."""
    if getattr(Literal, "__slots__", None) != ("_language", "_datatype", "_value", "_ill_typed"):
        return Literal
    new = str.__new__

    def plain(text: str) -> Literal:
        made = new(Literal, text)
        made._language = made._datatype = made._ill_typed = None
        made._value = text
        return made

    return plain


plain_literal = _literal_maker()


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
        #: the rdflib term of an Oxigraph term of this store
        self.term = self._term = self._converter()
        #: the Oxigraph term of an rdflib predicate, as :meth:`raw_predicate_objects` gives it
        self.predicate_key = self._key

    # -- terms
    def _converter(self):
        """The view's reader of one Oxigraph term as an rdflib term (as
        :func:`bonemet.terms.from_oxigraph`, by type alone, with the lookups bound once: the
        passes read a million of them). IRIs and typed literals (offsets, orders) recur and
        are made once; a plain literal is made by :data:`plain_literal`."""
        named, literal, iris, typed = self._named, self._literal, self._iris, {}
        string = self._named(_XSD + "string")

        def term(node):
            kind = type(node)
            if kind is named:
                found = iris.get(node)
                if found is None:
                    found = iris[node] = URIRef(node.value)
                return found
            if kind is literal:
                if node.language:
                    return Literal(node.value, lang=node.language)
                if node.datatype == string:
                    return plain_literal(node.value)
                found = typed.get(node)
                if found is None:
                    found = typed[node] = Literal(node.value, datatype=term(node.datatype))
                return found
            return from_oxigraph(node)

        return term

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
        term = self._term
        return (term(quad.subject) for quad in self.quads((None, predicate, obj)))

    def objects(self, subject=None, predicate=None):
        term = self._term
        return (term(quad.object) for quad in self.quads((subject, predicate, None)))

    def predicates(self, subject=None, obj=None):
        term = self._term
        return (term(quad.predicate) for quad in self.quads((subject, None, obj)))

    def subject_objects(self, predicate=None):
        term = self._term
        return ((term(quad.subject), term(quad.object)) for quad in self.quads((None, predicate, None)))

    def subject_predicates(self, obj=None):
        term = self._term
        return ((term(quad.subject), term(quad.predicate)) for quad in self.quads((None, None, obj)))

    def predicate_objects(self, subject=None):
        term = self._term
        return ((term(quad.predicate), term(quad.object)) for quad in self.quads((subject, None, None)))

    def raw_predicate_objects(self, subject):
        """The (predicate, object) pairs of ``subject`` as Oxigraph gives them: for a pass
        that files them by :meth:`predicate_key` and makes rdflib terms (:meth:`term`) of
        only the objects it reads."""
        return ((quad.predicate, quad.object) for quad in self.quads((subject, None, None)))

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
