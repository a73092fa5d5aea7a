"""bonemet: an open knowledge graph of bone metastasis.

The library API, for use without the command line::

    import bonemet
    graph = bonemet.load_graph()
    report = bonemet.validate()
    answer = bonemet.ask("evidence-for", bind={"entity": "bmr:bone-pain"}, graph=graph)
    rows = bonemet.query("SELECT ?s WHERE { ?s a bm:CancerType }").rows
    turtle = bonemet.serialize(graph, "turtle")
"""

from __future__ import annotations

from bonemet.errors import BonemetError, InputError, OutputError, QueryError, UsageError
from bonemet.serialization import FORMATS as EXPORT_FORMATS
from bonemet.serialization import serialize

from bonemet.exports.formats import ALL_FORMATS as ALL_EXPORT_FORMATS
from bonemet.files import write_atomic
from bonemet.graph import load_files, load_graph
from bonemet.sparql.questions import ask, check_all
from bonemet.sparql.results import Answer, render
from bonemet.checks.validation import Report, validate



def __getattr__(name: str) -> str:
    # the installed version, looked up only when asked for: importlib.metadata costs
    # tens of milliseconds, more than a whole named question
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("bonemet")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module 'bonemet' has no attribute {name!r}")


def export(graph, fmt: str, path=None):
    """``graph`` in ``fmt``, any format of the command line (:data:`ALL_EXPORT_FORMATS`).

    Returns the text of a one-file format, or a dict of file name to text for a format
    that writes several files (kgx, kgx-jsonl). With ``path``, the result is also written
    whole: to that file, or for several files into that folder; missing folders are made.
    """
    from pathlib import Path

    from bonemet.exports import formats as exports

    files = exports.render(graph, fmt)
    if path is not None:
        target = Path(path)
        folder = target if len(files) > 1 else target.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the folder {folder} ({err.strerror})", "choose a path you can write to") from None
        if len(files) > 1:
            exports.write(files, target)
        else:
            write_atomic(target, next(iter(files.values())))
    return next(iter(files.values())) if len(files) == 1 else files


def query(sparql: str, **options) -> Answer:
    """The answer to SPARQL text (the project's prefixes need no declaring); the same
    options as :func:`ask`."""
    return ask(sparql=sparql, **options)


__all__ = [
    "Answer",
    "BonemetError",
    "EXPORT_FORMATS",
    "InputError",
    "OutputError",
    "QueryError",
    "Report",
    "UsageError",
    "ask",
    "check_all",
    "export",
    "query",
    "ALL_EXPORT_FORMATS",
    "load_files",
    "load_graph",
    "render",
    "serialize",
    "validate",
    "__version__",
]
