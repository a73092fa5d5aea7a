"""Query answers: one shape for every engine, the W3C result formats, comparison.

An :class:`Answer` holds the outcome of any query form from any engine, so
that rdflib, Oxigraph and a remote endpoint can be compared row for row.
"""

from __future__ import annotations

import io
import re
from collections import Counter, namedtuple
from collections.abc import Iterable
from pathlib import Path

from bonemet.errors import InputError, UsageError
from bonemet.namespaces import PREFIX_IRIS
from bonemet.terms import is_term, key, n3, parts

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")

Row = dict[str, object]


class Answer:
    """The answer to one query, the same whichever engine gave it.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. A SELECT answer has ``variables`` (in
    the query's order) and ``rows``, each a dict from variable name to an rdflib term
    (an unbound variable is absent from its row); an ASK answer has ``boolean``; a
    CONSTRUCT or DESCRIBE answer has ``graph``, an rdflib Graph. :func:`render` writes any
    of them in the W3C result formats or as RDF. ``notes`` holds what the caller should be
    told beside the answer, such as a bound IRI that names nothing in the graph.

    An answer from Oxigraph keeps Oxigraph's own terms (``solutions``) and turns them into
    rdflib terms only when ``rows`` is first read, so that writing it never loads rdflib.
    """

    def __init__(self, form: str, variables: list[str] | None = None, rows: list[Row] | None = None,
                 boolean: bool | None = None, graph: Graph | None = None, notes: list[str] | None = None,
                 *, solutions: list[Row] | None = None) -> None:
        self.form = form
        self.variables = list(variables or [])
        self._rows = None if rows is None and solutions is not None else list(rows or [])
        self.solutions = solutions
        self.boolean = boolean
        self.graph = graph
        self.notes = list(notes or [])

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            from bonemet.terms import from_oxigraph

            self._rows = [{v: from_oxigraph(term) for v, term in row.items()} for row in self.solutions or []]
        return self._rows

    @rows.setter
    def rows(self, value: list[Row]) -> None:
        self._rows = list(value)
        self.solutions = None

    def terms(self) -> list[Row]:
        """The rows with the terms as the engine gave them (rdflib's or Oxigraph's)."""
        return self.solutions if self._rows is None else self._rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Answer):
            return NotImplemented
        return (self.form, self.variables, self.rows, self.boolean, self.graph, self.notes) == (
            other.form, other.variables, other.rows, other.boolean, other.graph, other.notes)

    def __repr__(self) -> str:
        size = f"{len(self.terms())} rows" if self.form == "SELECT" else f"boolean={self.boolean}" if self.form == "ASK" else "a graph"
        return f"Answer({self.form}, {self.variables}, {size})"


def from_rdflib(result: Result) -> Answer:
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars or []]
        rows = [{v: row[i] for i, v in enumerate(variables) if row[i] is not None} for row in result]
        return Answer("SELECT", variables, rows)
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    graph = result.graph
    from bonemet.namespaces import new_graph

    bound = new_graph()
    for triple in graph:
        bound.add(triple)
    return Answer(result.type, graph=bound)


# --- writing ---------------------------------------------------------------


def render(answer: Answer, fmt: str | None = None) -> str:
    """The answer as text in ``fmt`` (table by default; Turtle for graphs)."""
    if answer.graph is not None:
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise UsageError(
                f"a {answer.form} query returns a graph, which cannot be written as {fmt}",
                f"use --format {' | '.join(GRAPH_FORMATS)}",
            )
        from bonemet.serialization import serialize

        return serialize(answer.graph, fmt)
    fmt = fmt or "table"
    if fmt not in SELECT_FORMATS:
        raise UsageError(
            f"a {answer.form} query returns results, which cannot be written as {fmt}",
            f"use --format {' | '.join(SELECT_FORMATS)}",
        )
    if answer.form == "ASK" and fmt in ("csv", "tsv"):
        raise UsageError("the W3C CSV and TSV formats have no form for an ASK answer", "use --format table, json or xml")
    return _WRITERS[fmt](answer)


def _table(answer: Answer) -> str:
    if answer.form == "ASK":
        return "yes\n" if answer.boolean else "no\n"
    rows = answer.terms()
    header = [f"?{v}" for v in answer.variables]
    body = [[_short(row.get(v)) for v in answer.variables] for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body)] if header else []
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *body]]
    if header:
        lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


#: A local name that a CURIE may show: what follows the namespace, with no character that
#: would make the CURIE ambiguous to read back.
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?<!\.)|[0-9][A-Za-z0-9_.-]*(?<!\.)")


def curie(iri: str) -> str | None:
    """``iri`` as a CURIE with one of the project's prefixes, the longest namespace that
    fits; None when none does."""
    best = None
    for prefix, namespace in PREFIX_IRIS.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(PREFIX_IRIS[best])):
            if _LOCAL.fullmatch(iri[len(namespace):]):
                best = prefix
    return f"{best}:{iri[len(PREFIX_IRIS[best]):]}" if best is not None else None


def _short(term: object) -> str:
    if term is None:
        return ""
    found = parts(term)
    if found.kind == "uri":
        return curie(found.value) or f"<{found.value}>"
    if found.kind == "literal":
        return found.value
    return n3(term)


def _csv(answer: Answer) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.terms():
        writer.writerow([_csv_cell(row.get(v)) for v in answer.variables])
    return out.getvalue()


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    found = parts(term)
    return f"_:{found.value}" if found.kind == "bnode" else found.value


def _tsv(answer: Answer) -> str:
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.terms():
        lines.append("\t".join(_n3(row.get(v)) for v in answer.variables))
    return "\n".join(lines) + "\n"


def _n3(term: object) -> str:
    if term is None:
        return ""
    return n3(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _json(answer: Answer) -> str:
    import json

    if answer.form == "ASK":
        document: dict = {"head": {}, "boolean": bool(answer.boolean)}
    else:
        document = {
            "head": {"vars": answer.variables},
            "results": {"bindings": [{v: _json_term(row[v]) for v in answer.variables if v in row} for row in answer.terms()]},
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_term(term: object) -> dict:
    found = parts(term)
    if found.kind in ("uri", "bnode"):
        return {"type": found.kind, "value": found.value}
    out = {"type": "literal", "value": found.value}
    if found.language:
        out["xml:lang"] = found.language
    elif found.datatype:
        out["datatype"] = found.datatype
    return out


def _xml(answer: Answer) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    lines += [f"    <variable name={_quoteattr(v)}/>" for v in answer.variables]
    lines.append("  </head>")
    if answer.form == "ASK":
        lines.append(f"  <boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        lines.append("  <results>")
        for row in answer.terms():
            lines.append("    <result>")
            for v in answer.variables:
                if v in row:
                    lines.append(f"      <binding name={_quoteattr(v)}>{_xml_term(row[v])}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _xml_term(term: object) -> str:
    found = parts(term)
    if found.kind == "uri":
        return f"<uri>{_escape(found.value)}</uri>"
    if found.kind == "bnode":
        return f"<bnode>{_escape(found.value)}</bnode>"
    if found.language:
        return f"<literal xml:lang={_quoteattr(found.language)}>{_escape(found.value)}</literal>"
    if found.datatype:
        return f"<literal datatype={_quoteattr(found.datatype)}>{_escape(found.value)}</literal>"
    return f"<literal>{_escape(found.value)}</literal>"


def _escape(text: str) -> str:
    """``text`` as XML character data, as ``xml.sax.saxutils.escape`` writes it (that module
    loads urllib.request, and with it more than a named question costs)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value, as ``xml.sax.saxutils.quoteattr`` writes it."""
    text = _escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"%s"' % text.replace('"', "&quot;")


_WRITERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}


# --- reading and comparing ---------------------------------------------------


def read_expected(path: Path) -> Answer:
    """An expected answer: SPARQL JSON results (``.srj``) or CSV (``.csv``)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such expected-result file", "write the expected answer beside the query, under the same stem") from None
    import csv

    from rdflib import Literal
    from rdflib.query import Result

    if path.suffix == ".csv":
        reader = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
        if not reader:
            raise InputError(f"{path}: empty CSV", "give at least the header row of variable names")
        variables = reader[0]
        rows = [{v: Literal(cell) for v, cell in zip(variables, line) if cell != ""} for line in reader[1:]]
        return Answer("SELECT", variables, rows)
    try:
        result = Result.parse(io.BytesIO(raw), format="json")
    except Exception as err:
        raise InputError(f"{path}: not SPARQL JSON results ({err})", "write it in the W3C SPARQL 1.1 Query Results JSON format") from None
    return from_rdflib(result)


class Difference(namedtuple("Difference", ("missing", "extra"))):
    """How an answer differs from the expected one: the rows ``missing`` (expected, not
    found) and the ``extra`` ones (found, not expected). A named tuple rather than a
    dataclass, as everywhere on the path of a named question (see catalogue)."""

    __slots__ = ()

    @property
    def same(self) -> bool:
        return not self.missing and not self.extra


def compare(actual: Answer, expected: Answer, *, as_text: bool = False) -> Difference:
    """Compare two answers as multisets of rows (or as booleans for ASK).

    Terms are equal when their parts are (an rdflib term equals the same Oxigraph term).
    With ``as_text`` (an expected CSV file), terms are compared by their lexical form.
    """
    if expected.form == "ASK" or actual.form == "ASK":
        same = actual.boolean == expected.boolean and actual.form == expected.form
        return Difference([] if same else [{"boolean": str(expected.boolean).lower()}], [] if same else [{"boolean": str(actual.boolean).lower()}])
    variables = expected.variables
    seen: dict[tuple, Row] = {}

    def count(rows) -> Counter:
        counted: Counter = Counter()
        for row in rows:
            found = _key(row, variables, as_text)
            counted[found] += 1
            seen.setdefault(found, {v: row[v] for v in variables if row.get(v) is not None})
        return counted

    left, right = count(expected.terms()), count(actual.terms())
    return Difference(_rows(left - right, seen), _rows(right - left, seen))


def _key(row: Row, variables: Iterable[str], as_text: bool) -> tuple:
    return tuple((v, _csv_cell(row.get(v)) if as_text else key(row.get(v))) for v in variables)


def _rows(counter: Counter, seen: dict[tuple, Row]) -> list[Row]:
    rows = []
    for found, number in sorted(counter.items(), key=lambda item: repr(item[0])):
        rows.extend([seen[found]] * number)
    return rows


def describe_row(row: Row) -> str:
    return "  ".join(f"?{v}={_n3(t) if is_term(t) else t}" for v, t in row.items())
