"""RDF terms between rdflib and Oxigraph: the one place that converts them, for every
module that hands terms from one library to the other, and that reads a term of either
library without importing rdflib (a named question on Oxigraph never loads rdflib).
"""

from __future__ import annotations

from collections import namedtuple

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Parts(namedtuple("Parts", ("kind", "value", "datatype", "language"), defaults=(None, None))):
    """A term taken apart: ``kind`` is "uri", "bnode" or "literal"; a literal has a
    ``datatype`` (None for a plain or language-tagged string) or a ``language``.
    (collections.namedtuple, not typing.NamedTuple: a named question does not load typing.)"""

    __slots__ = ()


def _is_oxigraph(term) -> bool:
    return type(term).__module__.startswith("pyoxigraph")


def parts(term) -> Parts:
    """The parts of an rdflib or an Oxigraph term."""
    name = type(term).__name__
    if _is_oxigraph(term):
        if name == "NamedNode":
            return Parts("uri", term.value)
        if name == "BlankNode":
            return Parts("bnode", term.value)
        if name == "Literal":
            if term.language:
                return Parts("literal", term.value, None, term.language)
            datatype = term.datatype.value
            return Parts("literal", term.value, None if datatype in (_XSD_STRING, _RDF_LANG_STRING) else datatype)
    else:
        kinds = {cls.__name__ for cls in type(term).__mro__}
        if "URIRef" in kinds:
            return Parts("uri", str(term))
        if "BNode" in kinds:
            return Parts("bnode", str(term))
        if "Literal" in kinds:
            datatype = term.datatype
            return Parts("literal", str(term), str(datatype) if datatype is not None else None, term.language)
    raise TypeError(f"not an RDF term: {term!r}")


def is_term(term) -> bool:
    try:
        parts(term)
    except TypeError:
        return False
    return True


def n3(term) -> str:
    """The term as rdflib's ``n3()`` writes it: ``<iri>``, ``_:id``, ``"text"@en``,
    ``"5"^^<datatype>`` (a text with a line break in triple quotes)."""
    found = parts(term)
    if found.kind == "uri":
        return f"<{found.value}>"
    if found.kind == "bnode":
        return f"_:{found.value}"
    text = _quoted(found.value)
    if found.language:
        return f"{text}@{found.language}"
    if found.datatype:
        return f"{text}^^<{found.datatype}>"
    return text


def _quoted(value: str) -> str:
    if "\n" in value:
        encoded = value.replace("\\", "\\\\")
        if '"""' in value:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2:-1] != "\\":
            encoded = encoded[:-1] + '\\"'
        return '"""%s"""' % encoded.replace("\r", "\\r")
    return '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")


def key(term) -> tuple:
    """A value that is equal for equal terms of either library (for comparing answers)."""
    return tuple(parts(term)) if term is not None else ()


def to_oxigraph(term):
    import pyoxigraph

    if _is_oxigraph(term):
        return term
    found = parts(term)
    if found.kind == "uri":
        return pyoxigraph.NamedNode(found.value)
    if found.kind == "bnode":
        return pyoxigraph.BlankNode(found.value)
    if found.language:
        return pyoxigraph.Literal(found.value, language=found.language)
    if found.datatype:
        return pyoxigraph.Literal(found.value, datatype=pyoxigraph.NamedNode(found.datatype))
    return pyoxigraph.Literal(found.value)


def from_oxigraph(term):
    """An rdflib term for a term of either library."""
    from rdflib import BNode, Literal, URIRef

    if not _is_oxigraph(term):
        return term
    found = parts(term)
    if found.kind == "uri":
        return URIRef(found.value)
    if found.kind == "bnode":
        return BNode(found.value)
    if found.language:
        return Literal(found.value, lang=found.language)
    if found.datatype:
        return Literal(found.value, datatype=URIRef(found.datatype))
    return Literal(found.value)


def from_oxigraph_memoized():
    """:func:`from_oxigraph` remembering each term it converted: the same IRIs recur on
    every line of a graph, so each is converted once."""
    seen: dict = {}

    def term(node):
        converted = seen.get(node)
        if converted is None:
            converted = seen[node] = from_oxigraph(node)
        return converted

    return term
