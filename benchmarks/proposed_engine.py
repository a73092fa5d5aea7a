"""Two changes proposed for src/bonemet/sparql, as patches: a measuring aid for
``benchmarks/scale.py --proposed``, not part of bonemet.

1. ``engine._answer`` reads each Oxigraph solution by iterating it (``zip(variables,
   solution)``) instead of indexing it once per variable (``solution[variable]``, with
   ``result.variables`` rebuilt for every row): indexing costs pyoxigraph about 2-3 µs a
   value, which at 1M triples is most of what a question of a few thousand rows costs
   Oxigraph (a 7-variable row: about 20 µs, where rdflib needs 100-500 µs for the whole row).

2. ``questions._unknown_terms`` first asks whether each bound project IRI is the subject of
   a triple (one index lookup: ``store.quads_for_pattern(iri, None, None)``, or
   ``graph.triples((iri, None, None))``), and lists every subject of the graph (a scan of
   all triples with a STRSTARTS filter on Oxigraph, ``graph.subjects()`` on rdflib) only
   when one is not, to suggest close names. Today the scan runs at every call with a bound
   IRI: 1 s on Oxigraph and 6-25 s on rdflib at 1M triples, for a query that takes Oxigraph
   a few ms.

Both keep every answer and every note as they are.

    from proposed_engine import patch; patch()
"""

from __future__ import annotations


def _answer(result):
    import pyoxigraph

    from bonemet.sparql.results import Answer

    if isinstance(result, pyoxigraph.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{name: term for name, term in zip(variables, solution) if term is not None} for solution in result]
        return Answer("SELECT", variables, solutions=rows)
    return _ORIGINAL["answer"](result)


def _unknown_terms(bindings, graph, store):
    from bonemet.namespaces import PREFIX_IRIS
    from bonemet.terms import from_oxigraph, parts, to_oxigraph

    space = PREFIX_IRIS["bmr"]
    asked = {var: term for var, term in bindings.items()
             if parts(term).kind == "uri" and parts(term).value.startswith(space)}
    if graph is not None:
        unknown = {var: term for var, term in asked.items()
                   if next(iter(graph.triples((from_oxigraph(term), None, None))), None) is None}
    else:
        unknown = {var: term for var, term in asked.items()
                   if next(iter(store.quads_for_pattern(to_oxigraph(term), None, None)), None) is None}
    return _ORIGINAL["unknown_terms"](unknown, graph, store) if unknown else []


_ORIGINAL: dict = {}


def patch() -> None:
    from bonemet.sparql import engine, questions

    if _ORIGINAL:
        return
    _ORIGINAL["answer"], _ORIGINAL["unknown_terms"] = engine._answer, questions._unknown_terms
    engine._answer = _answer
    questions._unknown_terms = _unknown_terms
