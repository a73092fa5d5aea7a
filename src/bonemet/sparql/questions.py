"""Asking questions of the graph, and checking the answers of the named ones."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from pathlib import Path

from bonemet.sparql import catalogue
from bonemet.sparql import binding
from bonemet.sparql.catalogue import Question
from bonemet.errors import BonemetError, QueryError
from bonemet.sparql.results import Answer, compare, from_rdflib, read_expected

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from rdflib import Graph


def inline(text: str) -> Question:
    """A question given as SPARQL text rather than a file."""
    return Question(name="<sparql>", path=Path("<sparql>"), text=text)


def prepare_with_bindings(
    question: str | Question, bind: Mapping[str, object] | list[str] | None = None, *, allow_service: bool = False
) -> tuple[binding.Prepared, dict]:
    """The question read and its parameters turned into RDF terms; every parameter its
    header declares must be given."""
    if isinstance(question, str):
        question = catalogue.resolve(question)
    prepared = binding.prepare(question, allow_service=allow_service)
    bindings = binding.parse_bindings(prepared, bind or {})
    missing = [p.name for p in question.parameters if p.name not in bindings]
    if missing:
        example = question.example[0] if question.example else f"{missing[0]}=<IRI>"
        raise QueryError(
            f"the question {question.name!r} needs a value for ?{', ?'.join(missing)}",
            f"give it with --bind, for example --bind {example}",
        )
    return prepared, bindings


def ask(
    question: str | Question | None = None,
    *,
    sparql: str | None = None,
    graph: Graph | None = None,
    store=None,
    bind: Mapping[str, object] | list[str] | None = None,
    allow_service: bool = False,
    timeout: float | None = None,
    cache: bool = True,
) -> Answer:
    """Answer a named question, a ``.rq`` file, a :class:`Question`, or SPARQL text given
    as ``sparql=`` (which may use the project's prefixes without declaring them); a
    question still running after ``timeout`` seconds is stopped with :class:`QueryError`.

    With ``graph`` (an rdflib graph) the question runs on rdflib's engine;
    otherwise on Oxigraph, over ``store`` or, by default, over the shipped
    graph loaded into a fresh store (much the faster path), from the user's cache
    folder when nothing it was made from has changed (``cache=False``: from the files,
    and the cache left alone; see :mod:`bonemet.sparql.graphcache`). ``bind`` gives
    values to the query's variables (as RDF terms, or as text such as
    ``"bmr:bone-pain"``); they are bound by the engine, never pasted into the
    query.
    """
    from bonemet import deadline

    if (question is None) == (sparql is None):
        from bonemet.errors import UsageError

        raise UsageError("ask() takes a question (a name, a .rq file or a Question) or sparql=TEXT, and only one", 'call ask("signs-and-symptoms") or ask(sparql="SELECT ...")')
    if sparql is not None:
        question = inline(sparql)
    prepared, bindings = prepare_with_bindings(question, bind, allow_service=allow_service)
    if graph is not None:
        work = lambda: from_rdflib(binding.evaluate(prepared, graph, bindings))  # noqa: E731
    else:
        from bonemet.sparql import engine

        if store is None:
            from bonemet import paths
            from bonemet.sparql.graphcache import store_with_layer

            store = store_with_layer([paths.vocabulary_file(), *paths.data_files()], cache=cache)
        work = lambda: engine.answer(prepared, store, bindings)  # noqa: E731
    try:
        answer = deadline.run(work, timeout)
    except deadline.DeadlinePassed:
        raise QueryError(
            f"{binding.where(prepared.question)} was still running after {timeout:g} s, and was stopped",
            "narrow the query, or give it more time with --timeout SECONDS",
        ) from None
    answer.notes.extend(_unknown_terms(bindings, graph, store))
    return answer


def _unknown_terms(bindings: Mapping, graph: Graph | None, store) -> list[str]:
    """A note for each bound project IRI that names nothing in the graph, with the closest
    IRIs that do: a misspelt CURIE would otherwise give no rows in silence."""
    from bonemet.namespaces import PREFIX_IRIS
    from bonemet.terms import parts

    space = PREFIX_IRIS["bmr"]
    asked = [(var, parts(term).value) for var, term in bindings.items() if parts(term).kind == "uri" and parts(term).value.startswith(space)]
    # one index lookup each; every subject of the graph is listed (a scan) only to suggest
    # close names for an IRI that names nothing
    unknown = [(var, iri) for var, iri in asked if not _is_subject(iri, graph, store)]
    if not unknown:
        return []
    if graph is not None:
        known = {str(s) for s in graph.subjects() if str(s).startswith(space) and parts(s).kind == "uri"}
    else:
        rows = store.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{space}\")) }}")
        known = {row["s"].value for row in rows}
    import difflib

    notes = []
    for var, iri in unknown:
        if iri in known:
            continue
        names = sorted(k[len(space):] for k in known)
        close = [f"bmr:{name}" for name in difflib.get_close_matches(iri[len(space):], names, n=3, cutoff=0.75)]
        hint = f"; did you mean {', '.join(close)}?" if close else "; no IRI of the graph is close"
        notes.append(f"?{var} is bound to bmr:{iri[len(space):]}, which names nothing in the graph{hint}")
    return notes


def _is_subject(iri: str, graph: Graph | None, store) -> bool:
    """Whether ``iri`` is the subject of a triple of ``graph`` (rdflib) or ``store`` (Oxigraph)."""
    if graph is not None:
        from rdflib import URIRef

        return next(iter(graph.triples((URIRef(iri), None, None))), None) is not None
    import pyoxigraph

    return next(iter(store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None)), None) is not None


class Check(namedtuple("Check", ("question", "difference", "error", "answer"), defaults=(None, None, None))):
    """The outcome of one named question against its expected answer (a
    :class:`Difference`, or the ``error`` that kept it from being compared), with the
    ``answer`` itself when the question could be asked. A named tuple rather than a
    dataclass, as everywhere on the path of a named question (see catalogue)."""

    __slots__ = ()

    @property
    def passed(self) -> bool:
        return self.error is None and self.difference is not None and self.difference.same


def check(question: Question, graph: Graph) -> Check:
    if question.parameters and not question.example:
        return Check(question, error="it takes parameters and its header gives no Example binding")
    try:
        actual = ask(question, graph=graph, bind=list(question.example))
    except BonemetError as err:
        return Check(question, error=str(err))
    if question.expected is None:
        return Check(question, error="its header names no Expected file", answer=actual)
    try:
        expected = read_expected(question.expected)
    except BonemetError as err:
        return Check(question, error=str(err), answer=actual)
    return Check(question, compare(actual, expected, as_text=question.expected.suffix == ".csv"), answer=actual)


def check_all(graph: Graph) -> list[Check]:
    """Every named question checked against its expected answer."""
    return [check(question, graph) for question in catalogue.questions()]


__all__ = ["ask", "check", "check_all", "inline", "Check", "QueryError"]
