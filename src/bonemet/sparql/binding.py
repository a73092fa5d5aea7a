"""Asking SPARQL of the graph: reading queries, safe parameter binding, evaluation on rdflib.

Parameters are bound as RDF terms through each engine's own binding mechanism
(rdflib's ``initBindings``, Oxigraph's substitutions), never pasted into the
query text. Values are read into Oxigraph terms, so that a question asked of Oxigraph
never loads rdflib; rdflib's engine gets them converted.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping
from functools import cached_property

from bonemet.sparql.catalogue import Question
from bonemet.errors import QueryError
from bonemet.namespaces import PREFIX_IRIS
from bonemet.terms import is_term, n3, parts, to_oxigraph

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# The lexical pieces of a query that can hide a '?' or a keyword: IRIs, strings, comments.
_TOKENS = re.compile(
    r"(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<variable>[?$][A-Za-z_0-9][A-Za-z_0-9\u00b7]*)"
    r"|(?P<pname>[A-Za-z][A-Za-z0-9_.-]*(?=:))"
    r"|(?P<word>[A-Za-z]+)"
)


class Prepared(namedtuple("Prepared", ("question", "form", "variables"))):
    """A query (``question``) with its ``form`` and the ``variables`` it names, read
    without a full parse (each engine parses the query its own way when it runs it)."""

    @cached_property
    def parsed(self):
        """The query parsed by rdflib's engine; a syntax error names line and column."""
        return parse_with_rdflib(self.question)


#: The deepest nesting of groups, brackets and parentheses a query may have. Engines
#: parse nesting by recursion: Oxigraph dies by signal near 3,000 levels.
MAX_NESTING = 100


def prepare(question: Question, *, allow_service: bool = False) -> Prepared:
    """Read the form and the variables of ``question``, cheaply; refuse a query nested past
    :data:`MAX_NESTING`, and one that calls another endpoint (SERVICE) unless allowed.
    A question asked again in the same process (the same text and header) is read once."""
    key = (question, allow_service)
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = _prepare(question, allow_service)
        if len(_PREPARED) >= 64:
            _PREPARED.clear()
        _PREPARED[key] = prepared
    return prepared


_PREPARED: dict = {}


def _prepare(question: Question, allow_service: bool) -> Prepared:
    variables: set[str] = set()
    form = None
    for match in _TOKENS.finditer(question.text):
        if match.lastgroup == "variable":
            variables.add(match.group()[1:])
        elif match.lastgroup == "word":
            word = match.group().upper()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "SERVICE" and not allow_service:
                raise QueryError(
                    f"{where(question)} calls another endpoint with SERVICE, which a local query does not do unasked",
                    "pass --allow-service if you mean it to reach the network",
                )
    depth = nesting(question.text)
    if depth > MAX_NESTING:
        raise QueryError(
            f"{where(question)} is nested {depth} levels deep, past the limit of {MAX_NESTING}",
            "flatten the query; no real question needs that depth",
        )
    return Prepared(question, form or "SELECT", frozenset(variables))


def nesting(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in a query, outside its IRIs, strings
    and comments."""
    code = _TOKENS.sub(lambda m: " " if m.lastgroup in ("iri", "string", "comment") else m.group(), text)
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(0, depth - 1)
    return deepest


_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][A-Za-z0-9_.-]*)?\s*:")


def declared_prefixes(text: str) -> set[str]:
    """The prefixes a query declares with PREFIX (not those in its strings, IRIs or comments)."""
    code = _TOKENS.sub(lambda m: " " if m.lastgroup in ("iri", "string", "comment") else m.group(), text)
    return {prefix or "" for prefix in _DECLARED.findall(code)}


def parse_with_rdflib(question: Question):
    from pyparsing import ParseException  # rdflib's SPARQL parser is built on pyparsing
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(question.text, initNs=dict(PREFIX_IRIS) if question.inline else {})
    except ParseException as err:
        raise QueryError(
            f"{where(question)}, line {err.lineno}, column {err.col}: SPARQL syntax error ({err.msg})",
            "correct the query there; 'bonemet query --list' shows working examples",
        ) from None
    except Exception as err:  # e.g. an undeclared prefix
        raise QueryError(
            f"{where(question)}: SPARQL error ({err})",
            "declare every prefix the query uses with PREFIX, and check its syntax",
        ) from None


def syntax_error(question: Question, message: str) -> QueryError:
    """An engine's syntax error ('error at 3:2: expected ...') in bonemet's words."""
    first = message.strip().splitlines()[0] if message.strip() else "syntax error"
    match = re.match(r"error at (\d+):(\d+): (.*)", first)
    if "Prefix not found" in message:
        used = {m.group() for m in _TOKENS.finditer(question.text) if m.lastgroup == "pname"}
        known = declared_prefixes(question.text) | (set(PREFIX_IRIS) if question.inline else set())
        undeclared = ", ".join(f"{p}:" for p in sorted(used - known)) or "a prefix"
        reason = f"{undeclared} is used but not declared"
        fix = "declare every prefix the query uses with PREFIX, and check its syntax"
    else:
        reason = match.group(3) if match else first
        fix = "correct the query there; 'bonemet query --list' shows working examples"
    reason = reason if len(reason) <= 100 else reason[:97] + "..."
    position = f", line {match.group(1)}, column {match.group(2)}" if match else ""
    return QueryError(f"{where(question)}{position}: SPARQL syntax error ({reason})", fix)


def parse_bindings(prepared: Prepared, assignments: Mapping[str, object] | list[str]) -> dict[str, object]:
    """Turn parameter values into RDF terms (Oxigraph's) for the query's own variables,
    by variable name.

    ``assignments`` is a mapping of variable name to value, or a list of
    ``VAR=VALUE`` strings as the command line gives them. A value is an RDF
    term (of rdflib or Oxigraph), or text: an IRI in angle brackets, a CURIE with one of
    the project's prefixes, a Turtle literal (``"text"@en``, ``"5"^^xsd:integer``)
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
    bindings: dict[str, object] = {}
    for raw_name, value in assignments.items():
        name = str(raw_name).lstrip("?$")
        if name not in prepared.variables:
            known = ", ".join(sorted(v for v in prepared.variables if not v.startswith("_"))) or "none"
            raise QueryError(
                f"--bind {name}: the query {prepared.question.name!r} has no variable ?{name} (its variables: {known})",
                "bind one of the query's own variables",
            )
        term = check_term(value, f"--bind {name}={value}") if is_term(value) else _term(str(value), name)
        declared = prepared.question.parameter(name)
        if declared is not None and declared.kind == "IRI" and parts(term).kind != "uri":
            raise QueryError(
                f"--bind {name}={value}: ?{name} takes an IRI, and {str(value)!r} is not one",
                f"give an IRI in angle brackets or a CURIE, for example --bind {name}=bmr:bone-pain",
            )
        bindings[name] = to_oxigraph(term)
    return bindings


def evaluate(prepared: Prepared, graph: Graph, bindings: Mapping[object, object] | None = None) -> Result:
    """Run the query on an rdflib graph."""
    from rdflib import Variable

    from bonemet.terms import from_oxigraph

    initial = {Variable(str(name).lstrip("?$")): from_oxigraph(term) for name, term in (bindings or {}).items()}
    return graph.query(prepared.parsed, initBindings=initial)


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


def valid_iri(iri: str) -> bool:
    """An absolute IRI with none of the characters SPARQL and Turtle forbid in one."""
    return bool(_IRI.fullmatch(iri))


def check_term(term: object, where: str) -> object:
    """``term`` if it can be written into a query as it is: a valid IRI, or a literal whose
    datatype is a valid IRI and whose language tag is well formed."""
    found = parts(term)
    if found.kind == "uri":
        if not valid_iri(found.value):
            raise QueryError(f"{where}: {found.value!r} is not a valid IRI", "give an absolute IRI without spaces, quotes or angle brackets")
    elif found.kind == "literal":
        if found.datatype is not None and not valid_iri(found.datatype):
            raise QueryError(f"{where}: the datatype {found.datatype!r} is not a valid IRI", "give the datatype as an absolute IRI, such as xsd:integer")
        if found.language is not None and not _LANGUAGE.fullmatch(found.language):
            raise QueryError(f"{where}: {found.language!r} is not a language tag", "write it as \"text\"@en")
    return term


def _term(value: str, name: str) -> object:
    import pyoxigraph

    where = f"--bind {name}={value}"
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], where)
    if value.startswith('"'):
        declarations = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIX_IRIS.items())
        try:
            [triple] = pyoxigraph.parse(f"{declarations}<urn:x:s> <urn:x:p> {value} .", format=pyoxigraph.RdfFormat.TURTLE)
        except (SyntaxError, ValueError):
            raise QueryError(f"{where}: not a valid Turtle literal", 'write it as "text", "text"@en or "5"^^xsd:integer') from None
        if not isinstance(triple.object, pyoxigraph.Literal):
            raise QueryError(f"{where}: not a valid Turtle literal", 'write it as "text", "text"@en or "5"^^xsd:integer')
        return check_term(triple.object, where)
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIX_IRIS and " " not in value:
        return _iri(PREFIX_IRIS[prefix] + local, where)
    return pyoxigraph.Literal(value)


def _iri(iri: str, where: str):
    """``iri`` as an Oxigraph IRI; refused, in one message, when bonemet's check or Oxigraph's own fails."""
    import pyoxigraph

    try:
        if valid_iri(iri):
            return pyoxigraph.NamedNode(iri)
    except ValueError:
        pass
    raise QueryError(f"{where}: {iri!r} is not a valid IRI", "give an absolute IRI without spaces, quotes or angle brackets")


def where(question: Question) -> str:
    return "the --sparql text" if question.inline else str(question.path)


def values_clause(bindings: Mapping[object, object]) -> str:
    """A trailing ``VALUES (?a ?b) { (<iri> "lit") }`` that binds the variables to the
    terms; empty for no bindings. Only RDF terms are written (never text), by their N3."""
    if not bindings:
        return ""
    names, cells = [], []
    for variable, term in bindings.items():
        name = str(variable).lstrip("?$")
        if not re.fullmatch(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+", name):
            raise QueryError(f"?{name} is not a SPARQL variable name", "bind one of the query's own variables")
        if not is_term(term) or parts(term).kind == "bnode":
            raise QueryError(
                f"?{name} is bound to {term!r}, which cannot be sent to an endpoint",
                "bind it to an IRI or a literal",
            )
        check_term(term, f"?{name}")  # nothing reaches the query text that could end the term early
        names.append(f"?{name}")
        cells.append(n3(term))
    return f"\nVALUES ({' '.join(names)}) {{ ({' '.join(cells)}) }}\n"
