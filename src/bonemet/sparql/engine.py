"""Asking SPARQL of the graph on Oxigraph, an independent SPARQL 1.1 engine.

Oxigraph (pyoxigraph) parses and answers far faster than rdflib's own engine;
its answers are turned into the same :class:`~bonemet.sparql.results.Answer` as
rdflib's, so that both can be compared row for row.
"""

from __future__ import annotations

from collections.abc import Mapping

from bonemet.errors import QueryError
from bonemet.namespaces import PREFIX_IRIS
from bonemet.terms import from_oxigraph, to_oxigraph
from bonemet.sparql.results import Answer

def answer(prepared, store, bindings: Mapping[object, object] | None = None) -> Answer:
    """Run a prepared question on ``store``; the project's prefixes are known to
    SPARQL text given inline, while files declare their own."""
    from bonemet.sparql.binding import syntax_error

    question = prepared.question
    prefixes = PREFIX_IRIS if question.inline else {}
    try:
        try:
            result = _query(store, question.text, bindings, prefixes)
        except (RuntimeError, ValueError) as err:
            if not bindings or "projection" not in str(err):
                raise
            # Oxigraph substitutes only projected variables (SEP-0007); bind the others,
            # as a remote endpoint is, by a trailing VALUES clause written from the terms
            from bonemet.sparql.binding import values_clause

            result = _query(store, question.text + values_clause(bindings), None, prefixes)
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
        # a solution iterated gives its values in the order of the variables, a fraction of
        # what reading it once per variable costs; unbound values are left out of the row.
        # Oxigraph's own terms are kept: rdflib only if asked for
        rows = [{name: term for name, term in zip(variables, solution) if term is not None} for solution in result]
        return Answer("SELECT", variables, solutions=rows)
    from bonemet.namespaces import new_graph

    graph = new_graph()
    for triple in result:
        graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
    return Answer("CONSTRUCT", graph=graph)
