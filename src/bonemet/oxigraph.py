"""Asking SPARQL of the graph on Oxigraph, an independent SPARQL 1.1 engine.

Oxigraph (pyoxigraph) parses and answers far faster than rdflib's own engine;
its answers are turned into the same :class:`~bonemet.results.Answer` as
rdflib's, so that both can be compared row for row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from bonemet.errors import InputError, QueryError
from bonemet.graph import RDF_FORMATS
from bonemet.namespaces import PREFIXES
from bonemet.results import Answer

_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "json-ld": "JSON_LD", "trig": "TRIG", "nquads": "N_QUADS", "n3": "N3"}


def store_from_files(files: Iterable[Path | str]):
    """A read-only Oxigraph store holding the triples of ``files``."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for path in files:
        path = Path(path)
        fmt = getattr(pyoxigraph.RdfFormat, _FORMATS[RDF_FORMATS[path.suffix.lower()]])
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        except (OSError, SyntaxError, ValueError) as err:
            raise InputError(f"{path}: cannot be loaded ({err})", "run 'bonemet validate' on it to see where it is malformed") from None
    return store


def store_from_graph(graph: Graph):
    """An Oxigraph store holding the triples of an rdflib graph."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store


def answer(prepared, store, bindings: Mapping[object, object] | None = None) -> Answer:
    """Run a prepared question on ``store``; the project's prefixes are known to
    SPARQL text given inline, while files declare their own."""
    from bonemet.sparql import syntax_error

    question = prepared.question
    try:
        result = _query(store, question.text, bindings, PREFIXES if question.inline else {})
    except SyntaxError as err:
        raise syntax_error(question, str(err)) from None
    except (RuntimeError, ValueError, OSError) as err:
        raise QueryError(f"{question.name}: Oxigraph cannot answer it ({err})", "check the query and its --bind values") from None
    answered = _answer(result)
    if answered.graph is not None:
        answered.form = prepared.form
    return answered


def _query(store, text: str, bindings, prefixes):
    import pyoxigraph

    substitutions = {pyoxigraph.Variable(str(var)): to_oxigraph(term) for var, term in (bindings or {}).items()}
    return store.query(text, prefixes={p: str(ns) for p, ns in prefixes.items()}, substitutions=substitutions)


def _answer(result) -> Answer:
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer("ASK", boolean=bool(result))
    if isinstance(result, pyoxigraph.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for variable in result.variables:
                term = solution[variable]
                if term is not None:
                    row[variable.value] = from_oxigraph(term)
            rows.append(row)
        return Answer("SELECT", variables, rows)
    from bonemet.namespaces import new_graph

    graph = new_graph()
    for triple in result:
        graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
    return Answer("CONSTRUCT", graph=graph)


def to_oxigraph(term):
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def from_oxigraph(term):
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype in (_XSD_STRING, _RDF_LANG_STRING):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))
