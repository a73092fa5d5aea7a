"""SHACL Core (and SHACL-SPARQL constraints) evaluated as SPARQL queries on Oxigraph.

pySHACL walks the data graph in rdflib node by node; at a million triples that takes
seconds and the whole graph in rdflib's memory. This engine turns each shape into a few
SPARQL queries over *all* focus nodes of the shape at once, and runs them on a
pyoxigraph ``Store``. Its results are those pySHACL gives
(``pyshacl.validate(..., advanced=True, inference="none", allow_warnings=True)``):
the tests in ``tests/test_core_engine.py`` keep pySHACL as the judge.

- :func:`results` validates a store against a shapes graph (rdflib) and returns
  :class:`Result` objects; :func:`report_graph` writes them as a W3C validation report
  (an rdflib Graph, as pySHACL's).
- :func:`supported` names every feature of a shapes graph this engine does not handle;
  :func:`results` raises :class:`Unsupported` for such a graph instead of passing
  silently, so a caller can fall back to pySHACL.

How a shape becomes queries: the focus nodes of a shape are a SPARQL group pattern
(the union of its targets; class targets follow ``rdf:type/rdfs:subClassOf*`` in the
data); the value nodes are ``focus ?this PATH ?value``; a constraint is a FILTER, a
GROUP BY/HAVING or a NOT EXISTS over those. The constraints of one shape that are a
condition on one value node (class, datatype, nodeKind, ranges, lengths, languageIn, in,
a blank node against sh:pattern) and its counts and sh:hasValue are screened in one
grouped query (one pass over focus and value nodes, a row only per failing focus node);
a condition is queried again for its results only where it fails. Class targets and
sh:class look up each class's subclasses once and join rdf:type with a VALUES list.
Shapes named by ``sh:node``, ``sh:not``,
``sh:and``, ``sh:or``, ``sh:xone`` and ``sh:property`` are validated with the value
nodes of the outer shape as their focus pattern, again in one query per constraint.
Where pySHACL's answer depends on Python (``sh:pattern`` uses Python's ``re``;
``sh:datatype`` asks rdflib whether a literal is well-formed), the distinct candidate
values are fetched and judged in Python, exactly as pySHACL judges them.

Known differences that cannot be closed from the store: Oxigraph stores numeric,
boolean and date literals in canonical form ("01"^^xsd:integer comes back as "1"),
and lower-cases language tags, so a reported sh:value can be spelled differently
from the input (rdflib normalises most of them the same way). Messages: a shape
without sh:message gets no message here, where pySHACL writes a generic one of its
own wording.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from bonemet.terms import from_oxigraph, to_oxigraph

__all__ = ["Result", "Unsupported", "results", "supported", "report_graph", "path_text"]


@dataclass(frozen=True)
class Result:
    """One validation result, carrying what a pySHACL sh:ValidationResult carries.

    ``focus`` and ``value`` are pyoxigraph terms (``value`` is None where pySHACL gives
    no sh:value); ``shape``, ``path`` (the sh:path node of the shapes graph, or the
    predicate of a sh:closed or SPARQL result), ``component``, ``severity``, ``messages``
    (rdflib Literals) and ``constraint`` (sh:sourceConstraint of a SPARQL constraint)
    are rdflib terms of the shapes graph. ``details`` are the nested results pySHACL
    attaches with sh:detail (sh:node only).
    """

    focus: object
    path: object
    value: object
    shape: object
    component: URIRef
    severity: URIRef
    messages: tuple = ()
    constraint: object = None
    details: tuple = field(default=(), compare=False)
    path_description: str | None = field(default=None, compare=False)

    def key(self, shapes: Graph | None = None) -> tuple:
        """(focus, path, value, shape, component, severity, messages) as comparable text."""
        return (
            _text(self.focus), self.path_description if self.path_description is not None else _text(self.path),
            _text(self.value), _text(self.shape), str(self.component), str(self.severity),
            tuple(sorted(str(m) for m in self.messages)),
        )


class Unsupported(ValueError):
    """The shapes use features this engine does not evaluate (see :func:`supported`)."""

    def __init__(self, features: list[str]):
        super().__init__("unsupported SHACL features: " + "; ".join(features))
        self.features = features


# --- what the engine understands ----------------------------------------------------

_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minExclusive, SH.minInclusive,
    SH.maxExclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn,
    SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"],
    SH.xone, SH.node, SH.property, SH.closed, SH.ignoredProperties, SH.hasValue, SH["in"], SH.sparql,
}
_ANNOTATIONS = {
    SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    SH.path, *_TARGETS, SH.declare, SH.prefixes, SH.prefix, SH.namespace,
}
_SHAPE_LINKS = (SH.node, SH.property, SH["not"])
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isIRI(?value) || isBlank(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
# datatypes whose literals pySHACL judges by the Python type rdflib gives their value
_PYTHON_TYPES = {XSD.integer: "int", XSD.float: "float", XSD.decimal: "Decimal", XSD.boolean: "bool",
                 XSD.date: "date", XSD.time: "time", XSD.dateTime: "datetime"}
_RESERVED_SPARQL = {"shapesGraph"}
_SPARQL_PREBOUND = re.compile(r"([\s{}()])[$?](this|PATH|currentShape|shapesGraph)\b")


def _shape_nodes(shapes: Graph) -> set:
    """Every node the shapes graph uses as a shape."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for predicate in _TARGETS:
        found |= set(shapes.subjects(predicate, None))
    found |= set(shapes.subjects(SH.path, None))
    found -= set(shapes.subjects(RDF.type, SH.ValidationResult))
    for predicate in _SHAPE_LINKS:
        found |= set(shapes.objects(None, predicate))
    for predicate in _SHAPE_LISTS:
        for head in shapes.objects(None, predicate):
            found |= set(_items(shapes, head))
    found |= set(shapes.objects(None, SH.qualifiedValueShape))
    return found


def _items(shapes: Graph, head) -> list:
    return list(Collection(shapes, head)) if head != RDF.nil else []


def supported(shapes: Graph) -> list[str]:
    """Every feature of ``shapes`` that this engine does not evaluate (empty: all of them)."""
    problems: list[str] = []
    nodes = _shape_nodes(shapes)
    for shape in sorted(nodes, key=str):
        for predicate, value in shapes.predicate_objects(shape):
            if predicate in (RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf) or not str(predicate).startswith(str(SH)):
                continue
            if predicate not in _PARAMETERS and predicate not in _ANNOTATIONS:
                problems.append(f"{_short(predicate)} (on {_text(shape)})")
        if shapes.value(shape, SH.closed) == Literal(True) and (shape, SH.path, None) in shapes:
            problems.append(f"sh:closed on a property shape ({_text(shape)})")
        path = shapes.value(shape, SH.path)
        if path is not None:
            try:
                path_text(shapes, path)
            except ValueError as err:
                problems.append(f"{err} (on {_text(shape)})")
        for datatype in shapes.objects(shape, SH.datatype):
            if datatype == RDFS.Datatype:
                problems.append(f"sh:datatype rdfs:Datatype (on {_text(shape)}): plain and xsd:string literals cannot be told apart in the store")
        terms = [*shapes.objects(shape, SH.targetNode), *shapes.objects(shape, SH.targetClass),
                 *shapes.objects(shape, SH.hasValue), *shapes.objects(shape, SH["class"])]
        for head in shapes.objects(shape, SH["in"]):
            terms += _items(shapes, head)
        if any(isinstance(t, BNode) for t in terms):
            problems.append(f"a blank node as sh:targetNode, sh:targetClass, sh:class, sh:hasValue or sh:in member (on {_text(shape)})")
        for constraint in shapes.objects(shape, SH.sparql):
            select = shapes.value(constraint, SH.select)
            if select is None:
                problems.append(f"a SPARQL constraint without sh:select (on {_text(shape)})")
                continue
            names = {m.group(2) for m in _SPARQL_PREBOUND.finditer(" " + str(select))}
            if "shapesGraph" in names:
                problems.append(f"$shapesGraph in a SPARQL constraint (on {_text(shape)})")
            if "currentShape" in names and isinstance(shape, BNode):
                problems.append(f"$currentShape of a blank-node shape (on {_text(shape)})")
            if "PATH" in names and path is None:
                problems.append(f"$PATH in a node shape's SPARQL constraint (on {_text(shape)})")
    for kind in (SH.ConstraintComponent, SH.SPARQLTarget, SH.SPARQLTargetType, SH.JSConstraint, SH.SPARQLRule,
                 SH.TripleRule):
        if (None, RDF.type, kind) in shapes:
            problems.append(f"{_short(kind)} (custom components, SPARQL targets and rules are not evaluated)")
    for predicate in (SH.target, SH.rule, SH.qualifiedValueShape, SH.js, SH.shapesGraph, SH.entailment):
        if (None, predicate, None) in shapes:
            problems.append(f"{_short(predicate)}")
    cycle = _recursion(shapes, nodes)
    if cycle:
        problems.append(f"recursive shapes ({' -> '.join(_text(s) for s in cycle)})")
    return sorted(set(problems))


def _recursion(shapes: Graph, nodes: set) -> list | None:
    def children(shape):
        for predicate in _SHAPE_LINKS:
            yield from shapes.objects(shape, predicate)
        for predicate in _SHAPE_LISTS:
            for head in shapes.objects(shape, predicate):
                yield from _items(shapes, head)

    state: dict = {}

    def visit(shape, trail):
        state[shape] = 1
        for child in children(shape):
            if state.get(child) == 1:
                return [*trail, shape, child]
            if child not in state:
                found = visit(child, [*trail, shape])
                if found:
                    return found
        state[shape] = 2
        return None

    for shape in sorted(nodes, key=str):
        if shape not in state:
            found = visit(shape, [])
            if found:
                return found
    return None


# --- paths ----------------------------------------------------------------------------


def path_text(shapes: Graph, path) -> str:
    """The SHACL property path ``path`` (a node of ``shapes``) as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise ValueError(f"a path that is neither an IRI nor a blank node: {path!r}")
    if (path, RDF.first, None) in shapes:
        members = _items(shapes, path)
        if len(members) < 2:
            raise ValueError("a sequence path with fewer than two members")
        return "(" + "/".join(path_text(shapes, m) for m in members) + ")"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"(^{path_text(shapes, inverse)})"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        members = _items(shapes, alternatives)
        if len(members) < 2:
            raise ValueError("an alternative path with fewer than two members")
        return "(" + "|".join(path_text(shapes, m) for m in members) + ")"
    for predicate, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return f"({path_text(shapes, inner)}){mark}"
    raise ValueError("an unknown kind of property path")


# --- the engine -----------------------------------------------------------------------


def results(store, shapes: Graph, *, graph=None, union: bool = False) -> list[Result]:
    """Validate the data in ``store`` against ``shapes``; every result, as pySHACL gives them.

    The data is the store's default graph; or the named graph ``graph`` (an IRI, given as
    a string, an rdflib URIRef or a pyoxigraph NamedNode); or, with ``union=True``, the
    union of all its graphs. Raises :class:`Unsupported` when the shapes use a feature
    :func:`supported` names.
    """
    problems = supported(shapes)
    if problems:
        raise Unsupported(problems)
    return _Engine(store, shapes, graph=graph, union=union).run()


_counter = itertools.count()


def _fresh(stem: str = "v") -> str:
    return f"{stem}_{next(_counter)}"


def _sparql_term(term) -> str:
    """An rdflib or pyoxigraph term written for a SPARQL query (blank nodes cannot be)."""
    term = from_oxigraph(term)
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be written into a query")
    return term.n3()


class _Focus:
    """A set of focus nodes as a SPARQL pattern: ``pattern(var)`` binds ?var to each one.

    ``make(var)`` is a pattern that may bind a node more than once; it is wrapped in a
    SELECT DISTINCT. ``once(var)``, where given, binds each node exactly once by itself
    (the instances of a class without subclasses), and is used as it is: Oxigraph then
    joins the focus nodes directly, without a sub-query to deduplicate them.
    ``subjects_of`` names predicates whose every subject is a focus node (the shape's
    sh:targetSubjectsOf): the value nodes along such a predicate are then simply the
    objects of its triples, read without the focus nodes."""

    def __init__(self, make, once=None, subjects_of: frozenset = frozenset()):
        self._make = make
        self._once = once
        self.subjects_of = subjects_of

    def pattern(self, var: str) -> str:
        if self._once is not None:
            return self._once(var)
        inner = _fresh("f")
        return f"{{ SELECT DISTINCT ?{var} WHERE {{ {self._make(inner)} BIND(?{inner} AS ?{var}) }} }}"


class _Engine:
    def __init__(self, store, shapes: Graph, *, graph=None, union: bool = False):
        import pyoxigraph

        self.store = store
        self.sg = shapes
        self.options: dict = {}
        if union:
            self.options["use_default_graph_as_union"] = True
        elif graph is not None:
            self.options["default_graph"] = graph if isinstance(graph, pyoxigraph.NamedNode) else pyoxigraph.NamedNode(str(graph))
        self._ox = pyoxigraph
        self._closures: dict = {}

    # -- querying
    def select(self, query: str, **extra) -> list[dict]:
        solutions = self.store.query(query, **self.options, **extra)
        names = [v.value for v in solutions.variables]
        return [{name: row[name] for name in names if row[name] is not None} for row in solutions]

    # -- shapes
    def run(self) -> list[Result]:
        found: list[Result] = []
        for shape in sorted(_shape_nodes(self.sg), key=lambda s: (isinstance(s, BNode), str(s))):
            if not self._targets(shape) or self._deactivated(shape):
                continue
            found.extend(self.validate(shape, _Focus(lambda var, shape=shape: self._target_pattern(shape, var),
                                                     self._one_class(shape),
                                                     frozenset(self.sg.objects(shape, SH.targetSubjectsOf)))))
        return self._original_literals(found)

    def _original_literals(self, found: list[Result]) -> list[Result]:
        """Oxigraph writes a literal target node in canonical form ("4.0"^^xsd:decimal comes
        back as "4"); give the results the term the shapes name, as pySHACL does."""
        literals = {n for n in self.sg.objects(None, SH.targetNode) if isinstance(n, Literal)}
        if not literals:
            return found
        canonical = {}
        for literal in literals:
            rows = self.select(f"SELECT ?x WHERE {{ VALUES ?x {{ {literal.n3()} }} }}")
            if rows and rows[0]["x"] != to_oxigraph(literal):
                canonical[rows[0]["x"]] = to_oxigraph(literal)
        if not canonical:
            return found
        from dataclasses import replace

        return [replace(r, focus=canonical.get(r.focus, r.focus),
                        value=canonical.get(r.value, r.value) if r.value == r.focus else r.value) for r in found]

    def _deactivated(self, shape) -> bool:
        return self.sg.value(shape, SH.deactivated) == Literal(True)

    def _implicit_class(self, shape) -> bool:
        classes = {RDFS.Class, OWL.Class, *self.sg.subjects(RDFS.subClassOf, RDFS.Class)}
        return any(t in classes for t in self.sg.objects(shape, RDF.type))

    def _targets(self, shape) -> bool:
        return any((shape, p, None) in self.sg for p in _TARGETS) or self._implicit_class(shape)

    def _target_pattern(self, shape, var: str) -> str:
        parts = []
        nodes = [n for n in self.sg.objects(shape, SH.targetNode)]
        if nodes:
            parts.append(f"VALUES ?{var} {{ {' '.join(_sparql_term(n) for n in sorted(nodes, key=str))} }}")
        classes = set(self.sg.objects(shape, SH.targetClass))
        if self._implicit_class(shape):
            classes.add(shape)
        if classes:
            parts.append(self.instances(var, sorted(classes, key=str)))
        for predicate in sorted(self.sg.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"?{var} {_sparql_term(predicate)} ?{_fresh()} .")
        for predicate in sorted(self.sg.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"?{_fresh()} {_sparql_term(predicate)} ?{var} .")
        return " UNION ".join(f"{{ {p} }}" for p in parts)

    def _one_class(self, shape):
        """For a shape whose only target is one class without subclasses in the data: a
        pattern binding each instance once (``?var rdf:type C``); else None."""
        targets = [(p, o) for p in _TARGETS for o in self.sg.objects(shape, p)]
        if self._implicit_class(shape) or len(targets) != 1 or targets[0][0] != SH.targetClass:
            return None
        cls = targets[0][1]
        if self.subclasses(cls) != [cls]:
            return None
        return lambda var: f"?{var} <{RDF.type}> {_sparql_term(cls)} ."

    def subclasses(self, cls) -> list | None:
        """``cls`` and every class below it (``rdfs:subClassOf*`` in the data), or None when
        one of them is a blank node (which cannot be written into a query)."""
        key = from_oxigraph(cls)
        if key not in self._closures:
            rows = self.select(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* {_sparql_term(key)} }}")
            members = {from_oxigraph(row["c"]) for row in rows} | {key}
            self._closures[key] = None if any(isinstance(m, BNode) for m in members) else sorted(members, key=str)
        return self._closures[key]

    def instances(self, var: str, classes: list) -> str:
        """A pattern binding ?var to every instance of one of ``classes`` (rdf:type/rdfs:subClassOf*),
        each class closure looked up once: one VALUES and one rdf:type join."""
        members: set = set()
        parts = []
        for cls in classes:
            closure = self.subclasses(cls)
            if closure is None:
                parts.append(f"{{ ?{var} <{RDF.type}>/<{RDFS.subClassOf}>* {_sparql_term(cls)} . }}")
            else:
                members.update(closure)
        if members:
            kind = _fresh("c")
            listed = " ".join(_sparql_term(m) for m in sorted(members, key=str))
            parts.append(f"{{ VALUES ?{kind} {{ {listed} }} ?{var} <{RDF.type}> ?{kind} . }}")
        return " UNION ".join(parts)

    def validate(self, shape, focus: _Focus) -> list[Result]:
        """Every result of ``shape`` for the focus nodes ``focus``.

        The counts, sh:hasValue and every constraint that is a SPARQL condition on one
        value node are screened together in one grouped query (one pass over the focus and
        value nodes); only a condition that fails somewhere is queried again for its results.
        The other constraints take their own queries."""
        if self._deactivated(shape):
            return []
        ctx = _Shape(self, shape, focus)
        found: list[Result] = []
        conditions: list[tuple] = []  # (component, condition)
        minimums: list[int] = []
        maximums: list[int] = []
        has_values: list = []
        for parameter, method in _CONSTRAINTS:
            values = sorted(self.sg.objects(shape, parameter), key=str)
            if not values:
                continue
            if parameter in _CONDITIONS:
                for value in values:
                    conditions += _CONDITIONS[parameter](ctx, value)
                if parameter == SH.datatype:
                    found.extend(_datatype_well_formed(ctx, values))
                continue
            if parameter == SH.pattern:
                for value in values:
                    conditions += _pattern_blank(ctx, value)
            if ctx.path_sparql is not None and parameter in (SH.minCount, SH.maxCount, SH.hasValue):
                if parameter == SH.minCount:
                    minimums += [int(v) for v in values if int(v) > 0]
                elif parameter == SH.maxCount:
                    maximums += [int(v) for v in values]
                else:
                    has_values += values
                continue
            found.extend(method(ctx, values))
        if conditions or minimums or maximums or has_values:
            found.extend(ctx.screen(conditions, minimums, maximums, has_values))
        return found

    def nonconforming(self, shape, focus: _Focus) -> dict:
        """The focus nodes that do not conform to ``shape``, each with its results."""
        bad: dict = defaultdict(list)
        for result in self.validate(shape, focus):
            bad[result.focus].append(result)
        return bad


class _Shape:
    """One shape evaluated over one focus pattern: the query pieces its constraints share."""

    def __init__(self, engine: _Engine, shape, focus: _Focus):
        self.engine = engine
        self.sg = engine.sg
        self.shape = shape
        self.focus = focus
        path = self.sg.value(shape, SH.path)
        self.path = path
        self.path_sparql = path_text(self.sg, path) if path is not None else None
        # no path or one predicate: each (focus, value) pair comes once by itself (the focus
        # nodes are distinct, and triples are a set), so nothing need make the pairs distinct
        self.pairs_once = path is None or isinstance(path, URIRef)
        self.severity = self.sg.value(shape, SH.severity) or SH.Violation
        self.messages = tuple(sorted(self.sg.objects(shape, SH.message), key=str))

    def values(self, this: str = "this", value: str = "value") -> str:
        """A pattern binding ?this to each focus node and ?value to each of its value nodes."""
        if self.path_sparql is None:
            return f"{self.focus.pattern(this)} BIND(?{this} AS ?{value})"
        if self.path in self.focus.subjects_of:  # every subject of the predicate is a focus node
            return f"?{this} {self.path_sparql} ?{value} ."
        if self.pairs_once:
            return f"{self.focus.pattern(this)} ?{this} {self.path_sparql} ?{value} ."
        inner_this, inner_value = _fresh("t"), _fresh("v")
        return (f"{{ SELECT DISTINCT ?{this} ?{value} WHERE {{ {self.focus.pattern(inner_this)} "
                f"?{inner_this} {self.path_sparql} ?{inner_value} . "
                f"BIND(?{inner_this} AS ?{this}) BIND(?{inner_value} AS ?{value}) }} }}")

    def value_focus(self) -> _Focus:
        """The value nodes of this shape, as the focus nodes of a shape it names."""
        if self.path_sparql is None:
            return self.focus
        return _Focus(lambda var: self.values(_fresh("t"), var))

    def result(self, component, focus, value=None, path=None, messages=None, constraint=None, details=()) -> Result:
        path = self.path if path is None else path
        description = self.path_sparql if path is self.path else (None if path is None else _text(path))
        return Result(
            focus=focus, path=path, value=value, shape=self.shape, component=component, severity=self.severity,
            messages=self.messages if messages is None else messages, constraint=constraint, details=tuple(details),
            path_description=description,
        )

    def failing(self, component, condition: str) -> list[Result]:
        """A result for each value node for which ``condition`` (a SPARQL expression over ?value) holds."""
        query = f"SELECT ?this ?value WHERE {{ {self.values()} FILTER({condition}) }}"
        return [self.result(component, row["this"], row["value"]) for row in self.engine.select(query)]

    def pairs(self) -> list[tuple]:
        rows = self.engine.select(f"SELECT ?this ?value WHERE {{ {self.values()} }}")
        return [(row["this"], row["value"]) for row in rows]

    def for_values(self, component, bad: set) -> list[Result]:
        """A result for each (focus, value) whose value is in ``bad`` (judged in Python)."""
        if not bad:
            return []
        found = []
        for this, value in self.pairs():
            if value in bad:
                found.append(self.result(component, this, value))
        return found

    def screen(self, conditions: list[tuple], minimums: list[int], maximums: list[int], has_values: list) -> list[Result]:
        """One grouped query over every focus node and its value nodes: the number of value
        nodes (sh:minCount, sh:maxCount), whether one is each sh:hasValue, and whether any
        fails each condition. Rows come back only for focus nodes that fail something; a
        failing condition is then queried for its (focus, value) results. With no count and
        no sh:hasValue there is nothing to group: see :meth:`_screen_pairs`."""
        if not (minimums or maximums or has_values):
            return self._screen_pairs(conditions)
        if self.path_sparql is None:
            body = f"{self.focus.pattern('this')} BIND(?this AS ?value)"
        elif minimums or has_values:
            body = f"{self.focus.pattern('this')} OPTIONAL {{ ?this {self.path_sparql} ?value }}"
        else:
            body = self.values() if self.pairs_once else f"{self.focus.pattern('this')} ?this {self.path_sparql} ?value ."
        counted = "?value" if self.pairs_once else "DISTINCT ?value"
        aggregates, tests = [f"(COUNT({counted}) AS ?n)"], []
        if minimums:
            tests.append(f"?n < {max(minimums)}")
        if maximums:
            tests.append(f"?n > {min(maximums)}")
        for number, (_component, condition) in enumerate(conditions):
            aggregates.append(f"(MAX(IF(COALESCE(BOUND(?value) && ({condition}), false), 1, 0)) AS ?b{number})")
            tests.append(f"?b{number} = 1")
        for number, wanted in enumerate(has_values):
            aggregates.append(f"(MAX(IF(COALESCE(sameTerm(?value, {_sparql_term(wanted)}), false), 1, 0)) AS ?h{number})")
            tests.append(f"?h{number} = 0")
        query = (f"SELECT * WHERE {{ {{ SELECT ?this {' '.join(aggregates)} WHERE {{ {body} }} GROUP BY ?this }} "
                 f"FILTER({' || '.join(tests)}) }}")
        found: list[Result] = []
        failed: set = set()
        for row in self.engine.select(query):
            this, count = row["this"], int(row["n"].value)
            found += [self.result(SH.MinCountConstraintComponent, this) for limit in minimums if count < limit]
            found += [self.result(SH.MaxCountConstraintComponent, this) for limit in maximums if count > limit]
            found += [self.result(SH.HasValueConstraintComponent, this)
                      for number in range(len(has_values)) if row[f"h{number}"].value == "0"]
            failed |= {number for number in range(len(conditions)) if row[f"b{number}"].value == "1"}
        for number in sorted(failed):
            found += self.failing(*conditions[number])
        return found

    def _screen_pairs(self, conditions: list[tuple]) -> list[Result]:
        """The conditions alone, in one pass over the (focus, value) pairs: a row only for a
        pair that fails one, saying which (a condition that cannot be evaluated holds not,
        as in :meth:`failing`)."""
        if not conditions:
            return []
        tests = [f"COALESCE({condition}, false)" for _component, condition in conditions]
        flags = " ".join(f"({test} AS ?b{number})" for number, test in enumerate(tests))
        query = f"SELECT ?this ?value {flags} WHERE {{ {self.values()} FILTER({' || '.join(tests)}) }}"
        found: list[Result] = []
        for row in self.engine.select(query):
            found += [self.result(component, row["this"], row["value"])
                      for number, (component, _condition) in enumerate(conditions) if row[f"b{number}"].value == "true"]
        return found

    def distinct_values(self, condition: str = "true") -> list:
        """Every value node of any focus node for which ``condition`` holds, each once."""
        if self.pairs_once:
            body = self.values()
        else:  # the values alone, without first making each (focus, value) pair distinct
            this = _fresh("t")
            body = f"{self.focus.pattern(this)} ?{this} {self.path_sparql} ?value ."
        query = f"SELECT DISTINCT ?value WHERE {{ {body} FILTER({condition}) }}"
        return [row["value"] for row in self.engine.select(query)]


# --- constraint components --------------------------------------------------------------


def _class(ctx: _Shape, cls) -> list[tuple]:
    closure = ctx.engine.subclasses(cls)
    if closure is None:
        return [(SH.ClassConstraintComponent,
                 f"NOT EXISTS {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {_sparql_term(cls)} }}")]
    if len(closure) == 1:  # the class alone: one lookup of the triple
        return [(SH.ClassConstraintComponent, f"NOT EXISTS {{ ?value <{RDF.type}> {_sparql_term(closure[0])} }}")]
    kind = _fresh("k")
    listed = ", ".join(_sparql_term(m) for m in closure)
    return [(SH.ClassConstraintComponent, f"NOT EXISTS {{ ?value <{RDF.type}> ?{kind} . FILTER(?{kind} IN ({listed})) }}")]


def _typed(datatype) -> str:
    return f"(isLiteral(?value) && LANG(?value) = \"\" && DATATYPE(?value) = {_sparql_term(datatype)})"


def _datatype(ctx: _Shape, datatype) -> list[tuple]:
    if datatype == RDFS.Literal:
        return [(SH.DatatypeConstraintComponent, "!isLiteral(?value)")]
    if datatype == RDF.langString:
        return [(SH.DatatypeConstraintComponent, "!(isLiteral(?value) && LANG(?value) != \"\")")]
    return [(SH.DatatypeConstraintComponent, f"!{_typed(datatype)}")]


def _datatype_well_formed(ctx: _Shape, values) -> list[Result]:
    """Literals of the very datatype required that rdflib finds ill-formed (judged in Python)."""
    found = []
    for datatype in values:
        if datatype in (RDFS.Literal, RDF.langString, XSD.string):
            continue  # rdflib gives every string literal a str value: never ill-formed
        bad = {v for v in ctx.distinct_values(_typed(datatype)) if not _well_formed(v, datatype)}
        found += ctx.for_values(SH.DatatypeConstraintComponent, bad)
    return found


def _well_formed(value, datatype) -> bool:
    """pySHACL's judgement of a literal of the very datatype it requires (rdflib parses it)."""
    import datetime
    from decimal import Decimal

    literal = Literal(value.value, datatype=URIRef(str(datatype)))
    if getattr(literal, "ill_typed", None) is True:
        return False
    wanted = {"int": int, "float": float, "Decimal": Decimal, "bool": bool, "date": datetime.date,
              "time": datetime.time, "datetime": datetime.datetime}.get(_PYTHON_TYPES.get(datatype, ""))
    return wanted is None or isinstance(literal.value, wanted)


def _node_kind(ctx: _Shape, kind) -> list[tuple]:
    if kind not in _NODE_KINDS:
        raise Unsupported([f"sh:nodeKind {kind}"])
    return [(SH.NodeKindConstraintComponent, f"!{_NODE_KINDS[kind]}")]


def _count(ctx: _Shape, values, *, minimum: bool) -> list[Result]:
    found = []
    for limit in values:
        number = int(limit)
        value = _fresh("v")
        path = ctx.path_sparql or "<urn:x-bonemet:no-path>"
        if minimum:
            if number <= 0:
                continue
            body = f"{ctx.focus.pattern('this')} OPTIONAL {{ ?this {path} ?{value} }}"
            having = f"COUNT(DISTINCT ?{value}) < {number}"
            component = SH.MinCountConstraintComponent
        else:
            body = f"{ctx.focus.pattern('this')} ?this {path} ?{value} ."
            having = f"COUNT(DISTINCT ?{value}) > {number}"
            component = SH.MaxCountConstraintComponent
        query = f"SELECT ?this WHERE {{ {body} }} GROUP BY ?this HAVING ({having})"
        found += [ctx.result(component, row["this"]) for row in ctx.engine.select(query)]
    return found


def _range(component, operator):
    def condition(ctx: _Shape, limit) -> list[tuple]:
        # pySHACL: blank nodes, IRIs, and a string against a non-string (or the other way
        # round) never pass; an incomparable pair fails (COALESCE turns the error into false)
        limit_is_string = isinstance(limit, Literal) and isinstance(limit.value, str)
        strings = "(DATATYPE(?value) = xsd:string || LANG(?value) != \"\")"
        kinds = strings if limit_is_string else f"!{strings}"
        text = f"!(isLiteral(?value) && {kinds} && COALESCE(?value {operator} {_sparql_term(limit)}, false))"
        return [(component, text.replace("xsd:string", f"<{XSD.string}>"))]

    return condition


def _length(component, operator):
    def condition(ctx: _Shape, limit) -> list[tuple]:
        return [(component, f"(isBlank(?value) || !(STRLEN(STR(?value)) {operator} {int(limit)}))")]

    return condition


def _pattern(ctx: _Shape, values) -> list[Result]:
    flags_value = ctx.sg.value(ctx.shape, SH.flags)
    flags = 0
    if flags_value is not None:
        text = str(flags_value).lower()
        flags |= re.I if "i" in text else 0
        flags |= re.M if "m" in text else 0
    candidates = ctx.distinct_values("!isBlank(?value)")
    found = []
    for pattern in values:
        matcher = re.compile(str(pattern), flags)
        bad = {v for v in candidates if not matcher.search(v.value)}
        found += ctx.for_values(SH.PatternConstraintComponent, bad)
    return found


def _pattern_blank(ctx: _Shape, pattern) -> list[tuple]:
    return [(SH.PatternConstraintComponent, "isBlank(?value)")]


def _language_in(ctx: _Shape, head) -> list[tuple]:
    wanted = sorted({str(tag).lower() for tag in _items(ctx.sg, head)})
    if "*" in wanted:
        condition = "!(isLiteral(?value) && LANG(?value) != \"\")"
    else:
        listed = ", ".join(Literal(tag).n3() for tag in wanted) or '"\\u0000"'
        condition = (f"!(isLiteral(?value) && LANG(?value) != \"\" && (LCASE(LANG(?value)) IN ({listed}) || "
                     f"LCASE(STRBEFORE(CONCAT(LANG(?value), \"-\"), \"-\")) IN ({listed})))")
    return [(SH.LanguageInConstraintComponent, condition)]


def _unique_lang(ctx: _Shape, values) -> list[Result]:
    if not any(v == Literal(True) for v in values):
        return []
    language = _fresh("l")
    query = (f"SELECT ?this ?{language} WHERE {{ {ctx.values()} FILTER(isLiteral(?value) && LANG(?value) != \"\") "
             f"BIND(LCASE(LANG(?value)) AS ?{language}) }} GROUP BY ?this ?{language} HAVING (COUNT(DISTINCT ?value) > 1)")
    return [ctx.result(SH.UniqueLangConstraintComponent, row["this"]) for row in ctx.engine.select(query)]


def _in(ctx: _Shape, head) -> list[tuple]:
    members = _items(ctx.sg, head)
    if not members:
        return [(SH.InConstraintComponent, "true")]
    return [(SH.InConstraintComponent, "!(" + " || ".join(f"sameTerm(?value, {_sparql_term(m)})" for m in members) + ")")]


def _has_value(ctx: _Shape, values) -> list[Result]:
    found = []
    for wanted in values:
        term = _sparql_term(wanted)
        if ctx.path_sparql is None:
            query = f"SELECT ?this WHERE {{ {ctx.focus.pattern('this')} FILTER(!sameTerm(?this, {term})) }}"
        else:
            query = (f"SELECT ?this WHERE {{ {ctx.focus.pattern('this')} "
                     f"FILTER NOT EXISTS {{ ?this {ctx.path_sparql} {term} }} }}")
        found += [ctx.result(SH.HasValueConstraintComponent, row["this"]) for row in ctx.engine.select(query)]
    return found


def _pair(component):
    def check(ctx: _Shape, values) -> list[Result]:
        found = []
        for other in values:
            if not isinstance(other, URIRef):
                raise Unsupported([f"{_short(component)} with a non-IRI property"])
            p = _sparql_term(other)
            if component == SH.EqualsConstraintComponent:
                focus = ctx.focus.pattern("this")
                path = ctx.path_sparql
                own = f"FILTER NOT EXISTS {{ ?this {path} ?value }}" if path else "FILTER(!sameTerm(?this, ?value))"
                query = (f"SELECT ?this ?value WHERE {{ {{ {ctx.values()} FILTER NOT EXISTS {{ ?this {p} ?value }} }} "
                         f"UNION {{ {focus} ?this {p} ?value . {own} }} }}")
            elif component == SH.DisjointConstraintComponent:
                query = f"SELECT ?this ?value WHERE {{ {ctx.values()} ?this {p} ?value . }}"
            else:
                operator = "<" if component == SH.LessThanConstraintComponent else "<="
                other_value = _fresh("w")
                query = (f"SELECT DISTINCT ?this ?value WHERE {{ {ctx.values()} ?this {p} ?{other_value} . "
                         f"FILTER(!COALESCE(?value {operator} ?{other_value}, false)) }}")
            found += [ctx.result(component, row["this"], row["value"]) for row in ctx.engine.select(query)]
        return found

    return check


def _closed(ctx: _Shape, values) -> list[Result]:
    if not any(v == Literal(True) for v in values):
        return []
    allowed = set()
    for prop in ctx.sg.objects(ctx.shape, SH.property):
        path = ctx.sg.value(prop, SH.path)
        if isinstance(path, URIRef):
            allowed.add(path)
    for head in ctx.sg.objects(ctx.shape, SH.ignoredProperties):
        allowed |= {p for p in _items(ctx.sg, head) if isinstance(p, URIRef)}
    predicate, obj = _fresh("p"), _fresh("o")
    keep = f"FILTER(?{predicate} NOT IN ({', '.join(f'<{p}>' for p in sorted(allowed, key=str))}))" if allowed else ""
    query = (f"SELECT ?this ?{predicate} ?{obj} WHERE {{ {ctx.values()} ?value ?{predicate} ?{obj} . {keep} "
             f"FILTER(!(sameTerm(?{predicate}, <{RDF.type}>) && sameTerm(?{obj}, <{RDFS.Resource}>))) }}")
    return [ctx.result(SH.ClosedConstraintComponent, row["this"], row[obj], path=from_oxigraph(row[predicate]))
            for row in ctx.engine.select(query)]


def _shape_based(kind):
    """sh:node, sh:not, sh:and, sh:or, sh:xone: the named shapes validated over the value nodes."""

    def check(ctx: _Shape, values) -> list[Result]:
        found = []
        engine = ctx.engine
        inner_focus = ctx.value_focus()
        for value in values:
            if kind in ("node", "not"):
                members = [value]
            else:
                members = _items(ctx.sg, value)
            verdicts = [engine.nonconforming(member, inner_focus) for member in members]
            if _all_conform(kind, verdicts):
                continue  # no value node can fail: its pairs need not be read
            pairs = ctx.pairs()
            component = {"node": SH.NodeConstraintComponent, "not": SH.NotConstraintComponent,
                         "and": SH.AndConstraintComponent, "or": SH.OrConstraintComponent,
                         "xone": SH.XoneConstraintComponent}[kind]
            for this, node in pairs:
                failing = [node in bad for bad in verdicts]
                if kind == "node":
                    wrong = failing[0]
                elif kind == "not":
                    wrong = not failing[0]
                elif kind == "and":
                    wrong = any(failing)
                elif kind == "or":
                    wrong = all(failing)
                else:
                    wrong = failing.count(False) != 1
                if wrong:
                    details = verdicts[0].get(node, ()) if kind == "node" else ()
                    found.append(ctx.result(component, this, node, details=details))
        return found

    return check


def _all_conform(kind: str, verdicts: list[dict]) -> bool:
    """Whether every value node passes whatever it is: sh:node and sh:and fail a value only
    where a named shape finds it nonconforming, sh:or only where every one does. (sh:not
    and sh:xone fail values that conform, so they always read the values.)"""
    if kind in ("node", "and"):
        return not any(verdicts)
    if kind == "or":
        return not all(verdicts)
    return False


def _property(ctx: _Shape, values) -> list[Result]:
    found = []
    inner_focus = ctx.value_focus()
    for prop in values:
        found += ctx.engine.validate(prop, inner_focus)
    return found


def _sparql(ctx: _Shape, values) -> list[Result]:
    found = []
    for constraint in values:
        if ctx.sg.value(constraint, SH.deactivated) == Literal(True):
            continue
        found += _SparqlConstraint(ctx, constraint).run()
    return found


# constraints that are a SPARQL condition on one value node: screened together (_Shape.screen)
_CONDITIONS = {
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.minExclusive: _range(SH.MinExclusiveConstraintComponent, ">"),
    SH.minInclusive: _range(SH.MinInclusiveConstraintComponent, ">="),
    SH.maxExclusive: _range(SH.MaxExclusiveConstraintComponent, "<"),
    SH.maxInclusive: _range(SH.MaxInclusiveConstraintComponent, "<="),
    SH.minLength: _length(SH.MinLengthConstraintComponent, ">="),
    SH.maxLength: _length(SH.MaxLengthConstraintComponent, "<="),
    SH.languageIn: _language_in,
    SH["in"]: _in,
}

_CONSTRAINTS = [
    (SH["class"], None),
    (SH.datatype, None),
    (SH.nodeKind, None),
    (SH.minCount, lambda ctx, v: _count(ctx, v, minimum=True)),
    (SH.maxCount, lambda ctx, v: _count(ctx, v, minimum=False)),
    (SH.minExclusive, None),
    (SH.minInclusive, None),
    (SH.maxExclusive, None),
    (SH.maxInclusive, None),
    (SH.minLength, None),
    (SH.maxLength, None),
    (SH.pattern, _pattern),
    (SH.languageIn, None),
    (SH.uniqueLang, _unique_lang),
    (SH["in"], None),
    (SH.hasValue, _has_value),
    (SH.equals, _pair(SH.EqualsConstraintComponent)),
    (SH.disjoint, _pair(SH.DisjointConstraintComponent)),
    (SH.lessThan, _pair(SH.LessThanConstraintComponent)),
    (SH.lessThanOrEquals, _pair(SH.LessThanOrEqualsConstraintComponent)),
    (SH.closed, _closed),
    (SH.node, _shape_based("node")),
    (SH["not"], _shape_based("not")),
    (SH["and"], _shape_based("and")),
    (SH["or"], _shape_based("or")),
    (SH.xone, _shape_based("xone")),
    (SH.property, _property),
    (SH.sparql, _sparql),
]


# --- SPARQL-based constraints -----------------------------------------------------------------

_FEW_FOCUS_NODES = 16
_UNSAFE_FOR_JOIN = re.compile(
    r"\b(OPTIONAL|BIND|EXISTS|MINUS|VALUES|SERVICE|GRAPH|GROUP|HAVING|LIMIT|OFFSET|UNION|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b",
    re.I,
)


class _SparqlConstraint:
    """A sh:sparql constraint: $this pre-bound per focus node (few nodes, or a query that
    a join could change), or joined with the focus pattern in one query (many nodes, a
    flat query that projects $this)."""

    def __init__(self, ctx: _Shape, constraint):
        self.ctx = ctx
        self.constraint = constraint
        sg = ctx.sg
        self.select = str(sg.value(constraint, SH.select))
        self.extra_messages = tuple(sg.objects(constraint, SH.message))

    def prefixes(self) -> str:
        sg = self.ctx.sg
        onts = set(sg.subjects(RDF.type, OWL.Ontology))
        lines = set()
        declares = set()
        ont_declares = {d for o in onts for d in sg.objects(o, SH.declare)}
        graph_declares = set(sg.objects(sg.identifier, SH.declare)) if sg.identifier else set()
        for source in sg.objects(self.constraint, SH.prefixes):
            own = set(sg.objects(source, SH.declare))
            if own and source in onts:
                declares |= own | graph_declares
            else:
                declares |= own | ont_declares | graph_declares
        for declaration in declares:
            lines.add(f"PREFIX {sg.value(declaration, SH.prefix)}: <{sg.value(declaration, SH.namespace)}>")
        return "\n".join(sorted(lines)) + "\n"

    def query_text(self) -> str:
        text = self.select
        if self.ctx.path_sparql is not None:
            text = re.sub(r"([\s{}()])[$?]PATH", lambda m: m.group(1) + self.ctx.path_sparql, text)
        if re.search(r"([\s{}()])[$?]currentShape", text):
            text = re.sub(r"([\s{}()])[$?]currentShape", lambda m: m.group(1) + _sparql_term(self.ctx.shape), text)
        return text

    def _joinable(self, text: str) -> bool:
        body = re.sub(r'"(?:[^"\\]|\\.)*"|<[^>\s]*>|#[^\n]*', " ", text)
        if _UNSAFE_FOR_JOIN.search(body):
            return False
        head, _, rest = body.partition("{")
        if not re.search(r"(\*|[?$]this\b)", head) or rest.count("{") > 0:
            return False
        return bool(re.search(r"[?$]this\b", _strip_filters(rest)))

    def run(self) -> list[Result]:
        ctx = self.ctx
        text = self.query_text()
        prefixes = self.prefixes()
        nodes = [row["this"] for row in ctx.engine.select(f"SELECT ?this WHERE {{ {ctx.focus.pattern('this')} }} LIMIT {_FEW_FOCUS_NODES + 1}")]
        rows: list[tuple] = []
        if len(nodes) > _FEW_FOCUS_NODES and self._joinable(text):
            joined = re.sub(r"[$?]this\b", "?this", text)
            query = f"{prefixes}SELECT * WHERE {{ {ctx.focus.pattern('this')} {{ {joined} }} }}"
            for row in ctx.engine.select(query):
                rows.append((row["this"], row))
        else:
            if len(nodes) > _FEW_FOCUS_NODES:
                nodes = [row["this"] for row in ctx.engine.select(f"SELECT ?this WHERE {{ {ctx.focus.pattern('this')} }}")]
            query = prefixes + text
            for node in nodes:
                for row in ctx.engine.select(query, substitutions={ctx.engine._ox.Variable("this"): node}):
                    rows.append((node, row))
        return self._results(rows)

    def _results(self, rows) -> list[Result]:
        found = []
        seen = set()
        failed_for = set()
        for focus, row in rows:
            row = {name: from_oxigraph(term) for name, term in row.items()}
            if "failure" in row:
                if focus in failed_for:
                    continue
                failed_for.add(focus)
                row.pop("failure")
                found.append(self._result(focus, None, None, None, row, failure=True))
                continue
            path = row.pop("path", None)
            value = row.pop("value", None)
            this = row.pop("this", None)
            if path is None and value is None and this is None:
                continue
            key = (focus, this, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            found.append(self._result(focus, this, path, value, row))
        return found

    def _result(self, focus, this, path, value, row, failure=False) -> Result:
        """The result pySHACL makes of one solution (rdflib terms in, as its messages use them)."""
        ctx = self.ctx
        focus_term = from_oxigraph(focus)
        default_value = None if ctx.path_sparql is not None else focus_term
        bound = dict(row)
        if failure:
            the_focus, the_value, the_path = focus_term, default_value, None
        else:
            the_value = value if value is not None else default_value
            if this is not None:
                bound["this"] = this
            if path is not None:
                bound["path"] = path
            if the_value is not None:
                bound["value"] = the_value
            the_focus, the_path = (this if this is not None else focus_term), path
        messages = [_substitute(m, bound) for m in self.extra_messages if m not in ctx.messages]
        messages += [_substitute(m, bound) for m in ctx.messages]
        if the_path is None:
            return ctx.result(SH.SPARQLConstraintComponent, to_oxigraph(the_focus),
                              None if the_value is None else to_oxigraph(the_value),
                              messages=tuple(messages), constraint=self.constraint)
        return ctx.result(SH.SPARQLConstraintComponent, to_oxigraph(the_focus),
                          None if the_value is None else to_oxigraph(the_value), path=the_path,
                          messages=tuple(messages), constraint=self.constraint)


def _strip_filters(text: str) -> str:
    """``text`` without its FILTER(...) expressions (balanced parentheses)."""
    out, i = [], 0
    while True:
        match = re.search(r"\bFILTER\s*\(", text[i:], re.I)
        if not match:
            out.append(text[i:])
            return "".join(out)
        start = i + match.start()
        out.append(text[i:start])
        depth, j = 0, i + match.end() - 1
        while j < len(text):
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
            if depth == 0:
                break
        i = j


def _substitute(message, bound: dict):
    """pySHACL's substitution of {?name} and {$name} in a SPARQL constraint's message."""
    if not isinstance(message, Literal):
        return message
    text = str(message.value) if message.value is not None else str(message)
    for name, value in bound.items():
        text = re.sub("{{[?$]{}}}".format(name), str(value), text)
    return Literal(text)


# --- the report -------------------------------------------------------------------------------


def report_graph(found: Iterable[Result], shapes: Graph, *, allow_warnings: bool = True) -> Graph:
    """The W3C validation report of ``found``, as pySHACL writes it (blank nodes aside).

    Paths, blank-node shapes and constraints are copied from ``shapes`` with the triples
    that describe them; nested sh:node results hang under sh:detail.
    """
    report = Graph()
    report.bind("sh", SH)
    found = list(found)
    root = BNode()
    failing = [r for r in found if not allow_warnings or r.severity == SH.Violation]
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not failing)))
    copied: set = set()
    for result in found:
        report.add((root, SH.result, _write(report, shapes, result, copied)))
    return report


def _write(report: Graph, shapes: Graph, result: Result, copied: set) -> BNode:
    node = BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.focusNode, from_oxigraph(result.focus)))
    report.add((node, SH.sourceShape, result.shape))
    report.add((node, SH.sourceConstraintComponent, result.component))
    report.add((node, SH.resultSeverity, result.severity))
    if result.value is not None:
        report.add((node, SH.value, from_oxigraph(result.value)))
    if result.path is not None:
        report.add((node, SH.resultPath, result.path))
    if result.constraint is not None:
        report.add((node, SH.sourceConstraint, result.constraint))
    for message in result.messages:
        report.add((node, SH.resultMessage, message))
    for term in (result.shape, result.path, result.constraint):
        _copy(report, shapes, term, copied)
    for detail in result.details:
        report.add((node, SH.detail, _write(report, shapes, detail, copied)))
    return node


def _copy(report: Graph, shapes: Graph, term, copied: set) -> None:
    """Copy a blank node of the shapes graph with every triple reachable through blank nodes."""
    todo = [term] if isinstance(term, BNode) else []
    while todo:
        node = todo.pop()
        if node in copied:
            continue
        copied.add(node)
        for p, o in shapes.predicate_objects(node):
            report.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)


# --- helpers ----------------------------------------------------------------------------------


def _text(term) -> str | None:
    if term is None:
        return None
    term = from_oxigraph(term)
    return term.n3()


def _short(term) -> str:
    text = str(term)
    return "sh:" + text[len(str(SH)):] if text.startswith(str(SH)) else text
