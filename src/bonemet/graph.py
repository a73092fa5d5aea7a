"""Loading the graph: the vocabulary, the facts, or files a user names."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from bonemet import paths, progress
from bonemet.errors import InputError
from bonemet.inputs import RDF_FORMATS, rdf_format, read_input  # noqa: F401 (RDF_FORMATS and read_input are part of this module's API)
from bonemet.namespaces import new_graph

def parse_into(graph: Graph, path: Path, data: bytes | None = None) -> Graph:
    """Parse one RDF file (or its bytes, already read) into ``graph``; a bad file raises :class:`InputError`."""
    path = Path(path)
    fmt = rdf_format(path)
    if data is None:
        data = read_input(path)
    try:
        with ill_typed_literals_unlogged():
            if fmt in _FAST and _parse_fast(graph, path, data, fmt):
                return graph
            if fmt == "xml":
                _refuse_entities(path, data)
            if fmt == "json-ld":
                _refuse_remote_contexts(path, data)
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except InputError:
        raise
    except Exception as err:  # rdflib's parsers raise many unrelated types
        raise InputError(
            f"{path}{_position(err)}: malformed {fmt} ({_reason(err)})",
            f"correct the {fmt} syntax there and run again",
        ) from None
    return graph


@contextmanager
def ill_typed_literals_unlogged():
    """Within it, rdflib does not log the literals it cannot convert: validation reports them."""
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quiet.setLevel(level)


#: Formats Oxigraph parses for rdflib: several times faster than rdflib's own Turtle parser.
_FAST = {"turtle": "TURTLE", "nt": "N_TRIPLES"}


def _parse_fast(graph: Graph, path: Path, data: bytes, fmt: str) -> bool:
    """Parse with Oxigraph and add the triples to ``graph``. Oxigraph is a strict,
    linear-time parser: a malformed file is reported in its words, with line and column."""
    import pyoxigraph

    from bonemet.terms import from_oxigraph_memoized

    try:
        quads = pyoxigraph.parse(data, getattr(pyoxigraph.RdfFormat, _FAST[fmt]), base_iri=path.resolve().as_uri())
        term = from_oxigraph_memoized()
        triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in quads]
    except SyntaxError as err:
        raise InputError(
            f"{path}{_oxigraph_position(err)}: malformed {fmt} ({_oxigraph_reason(err)})",
            f"correct the {fmt} syntax there and run again",
        ) from None
    except MemoryError:
        raise InputError(f"{path}: a literal or other token passes the parser's 16 MB limit", "split the value, or keep large texts in files that a record names") from None
    except (ValueError, OSError) as err:
        raise InputError(f"{path}: cannot be parsed ({err})", f"check that it is {fmt}") from None
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return True


def _refuse_entities(path: Path, data: bytes) -> None:
    """RDF/XML with entity declarations is refused: nested entities expand without bound
    (a few hundred bytes can stand for gigabytes)."""
    if b"<!ENTITY" in data:
        raise InputError(f"{path}: declares XML entities (<!ENTITY ...>), which bonemet does not expand", "write the values out in full, without a DTD")


def _refuse_remote_contexts(path: Path, data: bytes) -> None:
    """JSON-LD whose context must be fetched (an IRI, remote or file:) is refused: a local
    command reads only the files it is given and opens no connection."""
    import json

    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as err:
        raise InputError(f"{path}: malformed JSON ({err})", "correct the JSON there and run again") from None
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for entry in value if isinstance(value, list) else [value]:
                        if isinstance(entry, str):
                            raise InputError(
                                f"{path}: its JSON-LD context {entry!r} would have to be fetched",
                                "put the context inline in the file, as an object",
                            )
                pending.append(value)


def _oxigraph_position(err: SyntaxError) -> str:
    line, column = getattr(err, "lineno", None), getattr(err, "offset", None)
    if isinstance(line, int) and isinstance(column, int):
        return f", line {line}, column {column}"
    return ""


def _oxigraph_reason(err: SyntaxError) -> str:
    text = str(err.msg if getattr(err, "msg", None) else err).strip().splitlines()[0]
    text = re.sub(r"^Parser error (at|between) [^:]*: ", "", text)
    return re.sub(r" \(line \d+\)$", "", text)

def load_files(files: Iterable[Path | str]) -> Graph:
    """A graph of exactly the named files."""
    graph = new_graph()
    for path in files:
        progress.step(f"loading {path}")
        parse_into(graph, Path(path))
    return graph


def load_vocabulary() -> Graph:
    """The shipped vocabulary alone."""
    return load_files([paths.vocabulary_file()])


def load_data() -> Graph:
    """The shipped facts alone."""
    return load_files(paths.data_files())


def load_graph(files: Iterable[Path | str] | None = None, *, with_vocabulary: bool = True, derived: bool = True) -> Graph:
    """The knowledge graph: the vocabulary plus the shipped facts, or plus ``files``, and
    the layer the rules derive from them (``derived=False`` leaves it out; it needs the
    vocabulary, on which the rules hang)."""
    chosen = list(files) if files is not None else paths.data_files()
    if with_vocabulary:
        chosen = [paths.vocabulary_file(), *chosen]
    graph = load_files(chosen)
    if derived and with_vocabulary:
        from bonemet.derivation import derive

        progress.step("deriving the derived layer")
        for triple in derive(graph):
            graph.add(triple)
    return graph


def _reason(err: Exception) -> str:
    why = getattr(err, "_why", None)  # rdflib's Turtle/N3 parser keeps the reason here
    text = str(why if why else err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _position(err: Exception) -> str:
    """', line L, column C' where the parser says where it stopped, else ''."""
    offset = getattr(err, "_i", None)
    raw = getattr(err, "_str", None)
    if isinstance(offset, int) and isinstance(raw, bytes):
        before = raw.decode("utf-8", "replace")[:offset]  # the parser counts characters
        line = before.count("\n") + 1
        column = offset - (before.rfind("\n") + 1) + 1
        return f", line {line}, column {column}"
    line = getattr(err, "lineno", None) or getattr(err, "lines", None)
    if isinstance(line, int):
        return f", line {line}"
    return ""


def one_text(graph: Graph, node, prop) -> str | None:
    """One literal value of ``prop`` on ``node``: the English one first, then the others
    in sorted order, so that the choice never varies; None when there is none."""
    from rdflib import Literal

    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    if not values:
        return None
    values.sort(key=lambda v: (v.language not in (None, "en"), v.language or "", str(v)))
    return str(values[0])
