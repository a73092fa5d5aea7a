"""Query answers: one shape for every engine, the W3C result formats, comparison.

An :class:`Answer` holds the outcome of any query form from any engine, so
that rdflib, Oxigraph and a remote endpoint can be compared row for row.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from bonemet.errors import InputError, UsageError

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")

Row = dict[str, object]


@dataclass
class Answer:
    """The answer to one query, the same whichever engine gave it.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. A SELECT answer has ``variables`` (in
    the query's order) and ``rows``, each a dict from variable name to an rdflib term
    (an unbound variable is absent from its row); an ASK answer has ``boolean``; a
    CONSTRUCT or DESCRIBE answer has ``graph``, an rdflib Graph. :func:`render` writes any
    of them in the W3C result formats or as RDF. ``notes`` holds what the caller should be
    told beside the answer, such as a bound IRI that names nothing in the graph.
    """

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    notes: list[str] = field(default_factory=list)


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
    from bonemet.namespaces import new_graph

    nsm = new_graph().namespace_manager
    header = [f"?{v}" for v in answer.variables]
    body = [[_short(row.get(v), nsm) for v in answer.variables] for row in answer.rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body)] if header else []
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *body]]
    if header:
        lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _short(term: object, nsm) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return nsm.curie(str(term), generate=False)
        except (ValueError, KeyError):
            return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    return term.n3()


def _csv(answer: Answer) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow([_csv_cell(row.get(v)) for v in answer.variables])
    return out.getvalue()


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv(answer: Answer) -> str:
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join(_n3(row.get(v)) for v in answer.variables))
    return "\n".join(lines) + "\n"


def _n3(term: object) -> str:
    if term is None:
        return ""
    text = term.n3()
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _json(answer: Answer) -> str:
    if answer.form == "ASK":
        document: dict = {"head": {}, "boolean": bool(answer.boolean)}
    else:
        document = {
            "head": {"vars": answer.variables},
            "results": {"bindings": [{v: _json_term(row[v]) for v in answer.variables if v in row} for row in answer.rows]},
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_term(term: object) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _xml(answer: Answer) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    lines += [f"    <variable name={quoteattr(v)}/>" for v in answer.variables]
    lines.append("  </head>")
    if answer.form == "ASK":
        lines.append(f"  <boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        lines.append("  <results>")
        for row in answer.rows:
            lines.append("    <result>")
            for v in answer.variables:
                if v in row:
                    lines.append(f"      <binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _xml_term(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


_WRITERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}


# --- reading and comparing ---------------------------------------------------


def read_expected(path: Path) -> Answer:
    """An expected answer: SPARQL JSON results (``.srj``) or CSV (``.csv``)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such expected-result file", "write the expected answer beside the query, under the same stem") from None
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


@dataclass
class Difference:
    missing: list[Row]  # expected, not found
    extra: list[Row]  # found, not expected

    @property
    def same(self) -> bool:
        return not self.missing and not self.extra


def compare(actual: Answer, expected: Answer, *, as_text: bool = False) -> Difference:
    """Compare two answers as multisets of rows (or as booleans for ASK).

    With ``as_text`` (an expected CSV file), terms are compared by their lexical form.
    """
    if expected.form == "ASK" or actual.form == "ASK":
        same = actual.boolean == expected.boolean and actual.form == expected.form
        return Difference([] if same else [{"boolean": Literal(expected.boolean)}], [] if same else [{"boolean": Literal(actual.boolean)}])
    variables = expected.variables
    left = Counter(_key(row, variables, as_text) for row in expected.rows)
    right = Counter(_key(row, variables, as_text) for row in actual.rows)
    return Difference(_rows(left - right), _rows(right - left))


def _key(row: Row, variables: Iterable[str], as_text: bool) -> tuple:
    return tuple((v, _csv_cell(row.get(v)) if as_text else row.get(v)) for v in variables)


def _rows(counter: Counter) -> list[Row]:
    rows = []
    for key, count in sorted(counter.items(), key=lambda item: repr(item[0])):
        rows.extend([{v: t for v, t in key if t is not None and t != ""}] * count)
    return rows


def describe_row(row: Row) -> str:
    return "  ".join(f"?{v}={_n3(t) if hasattr(t, 'n3') else t}" for v, t in row.items())
