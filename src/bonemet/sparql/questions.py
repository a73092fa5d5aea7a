"""Asking questions of the graph, and checking the answers of the named ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Variable

from bonemet.sparql import catalogue
from bonemet.sparql import binding
from bonemet.sparql.catalogue import Question
from bonemet.errors import BonemetError, QueryError
from bonemet.sparql.results import Answer, Difference, compare, from_rdflib, read_expected


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
    missing = [p.name for p in question.parameters if Variable(p.name) not in bindings]
    if missing:
        example = question.example[0] if question.example else f"{missing[0]}=<IRI>"
        raise QueryError(
            f"the question {question.name!r} needs a value for ?{', ?'.join(missing)}",
            f"give it with --bind, for example --bind {example}",
        )
    return prepared, bindings


def ask(
    question: str | Question,
    *,
    graph: Graph | None = None,
    store=None,
    bind: Mapping[str, object] | list[str] | None = None,
    allow_service: bool = False,
    timeout: float | None = None,
) -> Answer:
    """Answer a named question, a ``.rq`` file, or a :class:`Question`; a question still
    running after ``timeout`` seconds is stopped with :class:`QueryError`.

    With ``graph`` (an rdflib graph) the question runs on rdflib's engine;
    otherwise on Oxigraph, over ``store`` or, by default, over the shipped
    graph loaded into a fresh store (much the faster path). ``bind`` gives
    values to the query's variables (as RDF terms, or as text such as
    ``"bmr:bone-pain"``); they are bound by the engine, never pasted into the
    query.
    """
    from bonemet import deadline

    prepared, bindings = prepare_with_bindings(question, bind, allow_service=allow_service)
    if graph is not None:
        work = lambda: from_rdflib(binding.evaluate(prepared, graph, bindings))  # noqa: E731
    else:
        from bonemet.sparql import engine
        from bonemet.store import store_from_files

        if store is None:
            from bonemet import paths

            from bonemet.derivation import add_to_store

            store = store_from_files([paths.vocabulary_file(), *paths.data_files()])
            add_to_store(store)  # the derived layer, computed on Oxigraph
        work = lambda: engine.answer(prepared, store, bindings)  # noqa: E731
    try:
        return deadline.run(work, timeout)
    except deadline.DeadlinePassed:
        raise QueryError(
            f"{binding.where(prepared.question)} was still running after {timeout:g} s, and was stopped",
            "narrow the query, or give it more time with --timeout SECONDS",
        ) from None


@dataclass
class Check:
    """The outcome of one named question against its expected answer."""

    question: Question
    difference: Difference | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.difference is not None and self.difference.same


def check(question: Question, graph: Graph) -> Check:
    if question.expected is None:
        return Check(question, error="its header names no Expected file")
    if question.parameters and not question.example:
        return Check(question, error="it takes parameters and its header gives no Example binding")
    try:
        actual = ask(question, graph=graph, bind=list(question.example))
        expected = read_expected(question.expected)
    except BonemetError as err:
        return Check(question, error=str(err))
    return Check(question, compare(actual, expected, as_text=question.expected.suffix == ".csv"))


def check_all(graph: Graph) -> list[Check]:
    """Every named question checked against its expected answer."""
    return [check(question, graph) for question in catalogue.questions()]


__all__ = ["ask", "check", "check_all", "inline", "Check", "QueryError"]
