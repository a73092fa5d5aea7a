"""Oxigraph stores: RDF files and rdflib graphs loaded into Oxigraph, and the
conversion of terms between the two libraries.

Every stage that hands work to Oxigraph (the whole-graph checks, the named
questions, the scale benchmark) loads its store here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bonemet.errors import InputError
from bonemet.inputs import RDF_FORMATS
from bonemet.terms import to_oxigraph

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from rdflib import Graph

_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "json-ld": "JSON_LD", "trig": "TRIG", "nquads": "N_QUADS", "n3": "N3"}


def store_from_files(files: Iterable[Path | str]):
    """A read-only Oxigraph store holding the triples of ``files``."""
    from bonemet.inputs import read_input

    return store_from_sources([(Path(path), read_input(path)) for path in files])


def store_from_sources(sources: Iterable[tuple[Path, bytes]]):
    """An Oxigraph store holding the triples of files whose bytes were already read."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for path, data in sources:
        path = Path(path)
        fmt = getattr(pyoxigraph.RdfFormat, _FORMATS[RDF_FORMATS[path.suffix.lower()]])
        try:
            store.bulk_load(data, format=fmt, base_iri=path.resolve().as_uri())
        except (OSError, SyntaxError, ValueError) as err:
            raise InputError(f"{path}: cannot be loaded ({err})", "run 'bonemet validate' on it to see where it is malformed") from None
    return store


def store_from_graph(graph: Graph):
    """An Oxigraph store holding the triples of an rdflib graph."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store
