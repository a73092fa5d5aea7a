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

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from bonemet.sparql.results import Answer

#: The library API, imported the first time a name is used: ``import bonemet`` stays
#: cheap, and the command line's fast paths never load what they do not use (rdflib).
_API = {
    "EXPORT_FORMATS": ("bonemet.serialization", "FORMATS"),
    "serialize": ("bonemet.serialization", "serialize"),
    "ALL_EXPORT_FORMATS": ("bonemet.exports.formats", "ALL_FORMATS"),
    "write_atomic": ("bonemet.files", "write_atomic"),
    "load_files": ("bonemet.graph", "load_files"),
    "load_graph": ("bonemet.graph", "load_graph"),
    "ask": ("bonemet.sparql.questions", "ask"),
    "check_all": ("bonemet.sparql.questions", "check_all"),
    "Answer": ("bonemet.sparql.results", "Answer"),
    "render": ("bonemet.sparql.results", "render"),
    "Report": ("bonemet.checks.validation", "Report"),
    "validate": ("bonemet.checks.validation", "validate"),
}


def __getattr__(name: str) -> str:
    # the installed version, looked up only when asked for: importlib.metadata costs
    # tens of milliseconds, more than a whole named question
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("bonemet")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+unknown"
    if name in _API:
        import importlib

        module, attribute = _API[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bonemet' has no attribute {name!r}")


def export(graph, fmt: str, path=None):
    """``graph`` in ``fmt``, any format of the command line (:data:`ALL_EXPORT_FORMATS`).

    Returns the text of a one-file format, or a dict of file name to text for a format
    that writes several files (kgx, kgx-jsonl). With ``path``, the result is also written
    whole: to that file, or for several files into that folder; missing folders are made.
    """
    from pathlib import Path

    from bonemet.exports import formats as exports
    from bonemet.files import write_atomic

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
    from bonemet.sparql.questions import ask

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
