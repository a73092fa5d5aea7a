"""Asking SPARQL of the graph: parsing, safe parameter binding, evaluation.

Parameters are bound as RDF terms through the engine's own binding mechanism
(``initBindings``), never pasted into the query text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Node
from rdflib.query import Result
from rdflib.util import from_n3

from bonemet.catalogue import Question
from bonemet.errors import QueryError
from bonemet.namespaces import PREFIXES

QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class Prepared:
    """A parsed query, with its form and every variable it mentions."""

    question: Question
    form: str
    variables: frozenset[str]
    parsed: object  # rdflib.plugins.sparql.sparql.Query


def prepare(question: Question) -> Prepared:
    """Parse ``question``; a syntax error names the file, line and column."""
    from pyparsing import ParseException  # rdflib's SPARQL parser is built on pyparsing
    from rdflib.plugins.sparql import prepareQuery

    try:
        parsed = prepareQuery(question.text, initNs=dict(PREFIXES))
    except ParseException as err:
        raise QueryError(
            f"{_where(question)}, line {err.lineno}, column {err.col}: SPARQL syntax error ({err.msg})",
            "correct the query there; 'bonemet query --list' shows working examples",
        ) from None
    except Exception as err:  # e.g. an undeclared prefix
        raise QueryError(
            f"{_where(question)}: SPARQL error ({err})",
            "declare every prefix the query uses with PREFIX, and check its syntax",
        ) from None
    form = QUERY_FORMS.get(parsed.algebra.name, parsed.algebra.name)
    return Prepared(question, form, frozenset(_variables(parsed.algebra)), parsed)


def parse_bindings(prepared: Prepared, assignments: Mapping[str, object] | list[str]) -> dict[Variable, object]:
    """Turn parameter values into RDF terms for the query's own variables.

    ``assignments`` is a mapping of variable name to value, or a list of
    ``VAR=VALUE`` strings as the command line gives them. A value is an RDF
    term, or text: an IRI in angle brackets, a CURIE with one of the
    project's prefixes, a Turtle literal (``"text"@en``, ``"5"^^xsd:integer``)
    or bare text, which becomes a plain literal.
    """
    if not isinstance(assignments, Mapping):
        pairs = {}
        for assignment in assignments:
            name, sep, value = assignment.partition("=")
            if not sep or not name.strip():
                raise QueryError(f"--bind {assignment!r} is not of the form VAR=VALUE", "write it as, for example, --bind entity=bmr:bone-pain")
            pairs[name.strip()] = value.strip()
        assignments = pairs
    bindings: dict[Variable, object] = {}
    for raw_name, value in assignments.items():
        name = str(raw_name).lstrip("?$")
        if name not in prepared.variables:
            known = ", ".join(sorted(v for v in prepared.variables if not v.startswith("_"))) or "none"
            raise QueryError(
                f"--bind {name}: the query {prepared.question.name!r} has no variable ?{name} (its variables: {known})",
                "bind one of the query's own variables",
            )
        term = value if isinstance(value, Node) else _term(str(value), name)
        declared = prepared.question.parameter(name)
        if declared is not None and declared.kind == "IRI" and not isinstance(term, URIRef):
            raise QueryError(
                f"--bind {name}={value}: ?{name} takes an IRI, and {str(value)!r} is not one",
                f"give an IRI in angle brackets or a CURIE, for example --bind {name}=bmr:bone-pain",
            )
        bindings[Variable(name)] = term
    return bindings


def evaluate(prepared: Prepared, graph: Graph, bindings: Mapping[Variable, object] | None = None) -> Result:
    """Run the query on an rdflib graph."""
    return graph.query(prepared.parsed, initBindings=dict(bindings or {}))


def _term(value: str, name: str) -> object:
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or any(c in iri for c in ' <>"{}|\\^`'):
            raise QueryError(f"--bind {name}={value}: {iri!r} is not a valid IRI", "give an absolute IRI without spaces, in angle brackets")
        return URIRef(iri)
    if value.startswith('"'):
        try:
            return from_n3(value, nsm=_namespace_manager())
        except Exception:
            raise QueryError(f"--bind {name}={value}: not a valid Turtle literal", 'write it as "text", "text"@en or "5"^^xsd:integer') from None
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and " " not in value:
        return PREFIXES[prefix][local]
    return Literal(value)


def _namespace_manager():
    from bonemet.namespaces import new_graph

    return new_graph().namespace_manager


def _variables(node: object) -> set[str]:
    """Every variable named anywhere in a parsed query's algebra."""
    found: set[str] = set()
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Variable):
            found.add(str(item))
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return found


def _where(question: Question) -> str:
    return str(question.path) if question.path.name != "<sparql>" else "the --sparql text"
