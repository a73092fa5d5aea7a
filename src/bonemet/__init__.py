"""bonemet: an open knowledge graph of bone metastasis.

The library API, for use without the command line::

    import bonemet
    graph = bonemet.load_graph()
    report = bonemet.validate()
    answer = bonemet.ask("evidence-for", bind={"entity": "bmr:bone-pain"}, graph=graph)
    turtle = bonemet.serialize(graph, "turtle")
"""

from __future__ import annotations

from bonemet.errors import BonemetError, InputError, OutputError, QueryError, UsageError
from bonemet.serialization import FORMATS as EXPORT_FORMATS
from bonemet.serialization import serialize
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


def export(graph, fmt: str, path=None) -> str:
    """``graph`` in ``fmt``; written whole to ``path`` when one is given."""
    text = serialize(graph, fmt)
    if path is not None:
        write_atomic(path, text)
    return text


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
    "load_files",
    "load_graph",
    "render",
    "serialize",
    "validate",
    "__version__",
]
