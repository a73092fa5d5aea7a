"""Writing the graph in the RDF formats that linked-data tools read.

Every format is deterministic: the same graph gives the same bytes, whatever
the order the triples were loaded in and whatever ``PYTHONHASHSEED`` is.
rdflib writes Turtle in a sorted order already; N-Triples lines are sorted;
RDF/XML is written by Oxigraph from those sorted lines; JSON-LD nodes and
values are put in order after rdflib writes them.
"""

from __future__ import annotations

import functools
import json

from rdflib import Graph

from rdflib import BNode, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from bonemet.errors import UsageError
from bonemet.namespaces import BM, PREFIXES

from bonemet.syntaxes import FORMATS, MEDIA_TYPES, SUFFIXES  # noqa: F401  (offered here too)


def serialize(graph: Graph, fmt: str) -> str:
    """``graph`` as text in ``fmt``, one of :data:`FORMATS`."""
    if fmt == "turtle":
        return graph.serialize(format="turtle")
    if fmt == "ntriples":
        return _ntriples(graph)
    if fmt == "jsonld":
        return _jsonld(graph)
    if fmt == "rdfxml":
        return _rdfxml(graph)
    if fmt == "trig":
        return _trig(graph)
    raise UsageError(f"unknown export format {fmt!r}", f"use one of {', '.join(FORMATS)}")


def _ntriples(graph: Graph) -> str:
    graph = _stable_blank_nodes(graph)
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())


def _rdfxml(graph: Graph) -> str:
    import pyoxigraph

    triples = pyoxigraph.parse(_ntriples(graph).encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    used = _used_prefixes(graph)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=used).decode("utf-8")


def _jsonld(graph: Graph) -> str:
    context = jsonld_context(graph)
    graph = _stable_blank_nodes(graph)
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document] if "@id" in document else [])
    nodes = [_sorted_node({k: v for k, v in node.items() if k != "@context"}) for node in nodes if isinstance(node, dict)]
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps({"@context": context, "@graph": nodes}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


_COERCED = {str(XSD.integer), str(XSD.date), str(XSD.gYear), str(XSD.boolean), str(XSD.nonNegativeInteger)}


def jsonld_context(graph: Graph) -> dict:
    """The JSON-LD context: the prefixes the graph uses, and a term for every class and
    property of the vocabulary (object properties take IRIs; datatype properties whose
    range is a number, a date or a boolean take that type)."""
    from bonemet import paths

    context: dict = dict(_used_prefixes(graph))
    context.setdefault("bm", str(BM))
    context.setdefault("xsd", str(XSD))
    vocabulary = paths.vocabulary_file()
    state = vocabulary.stat()
    context.update(_vocabulary_terms(str(vocabulary), state.st_mtime_ns, state.st_size))
    return dict(sorted(context.items()))


@functools.lru_cache(maxsize=4)
def _vocabulary_terms(_path: str, _mtime_ns: int, _size: int) -> dict:
    """The context's terms for the vocabulary's classes and properties; read once per
    version of the vocabulary file (the arguments are the cache's key)."""
    from bonemet.graph import load_vocabulary

    terms: dict = {}
    vocabulary = load_vocabulary()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in vocabulary.subjects(RDF.type, kind):
            if not isinstance(term, URIRef) or not term.startswith(str(BM)):
                continue
            name = term[len(str(BM)):]
            if kind == OWL.Class:
                terms[name] = f"bm:{name}"
            elif kind == OWL.ObjectProperty:
                terms[name] = {"@id": f"bm:{name}", "@type": "@id"}
            else:
                range_ = vocabulary.value(term, RDFS.range)
                definition = {"@id": f"bm:{name}"}
                if range_ is not None and str(range_) in _COERCED:
                    definition["@type"] = f"xsd:{str(range_).rsplit('#', 1)[-1]}"
                terms[name] = definition
    return terms


def _trig(graph: Graph) -> str:
    """The graph in named graphs: the vocabulary in its own, and in the graph of each
    source document the document's record, its sections and references, and the fact
    records it is the primary source of with the triples they record. Entities and
    curator links, which no one document owns, stay in the default graph."""
    from bonemet.namespaces import new_graph

    home = _graph_of_each_triple(graph)
    parts: dict = {}
    for triple in graph:
        parts.setdefault(home.get(triple), new_graph()).add(triple)
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in _used_prefixes(graph).items()]
    for name in sorted(parts, key=lambda n: "" if n is None else str(n)):
        body = [line for line in parts[name].serialize(format="turtle").splitlines() if not line.startswith("@prefix")]
        body = "\n".join(body).strip("\n")
        if name is None:
            lines += ["", body]
        else:
            indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
            lines += ["", f"{_name(graph, name)} {{", indented, "}"]
    return "\n".join(lines) + "\n"


def _name(graph: Graph, iri: URIRef) -> str:
    try:
        return graph.namespace_manager.curie(str(iri), generate=False)
    except (ValueError, KeyError):
        return f"<{iri}>"


def _graph_of_each_triple(graph: Graph) -> dict:
    from bonemet.namespaces import VOCABULARY_IRI

    home: dict = {}
    vocabulary = URIRef(VOCABULARY_IRI)
    for triple in graph:
        subject = triple[0]
        if subject == vocabulary or (isinstance(subject, URIRef) and subject.startswith(str(BM))):
            home[triple] = vocabulary
    pending = [o for (_s, _p, o), g in home.items() if isinstance(o, BNode)]
    while pending:  # the vocabulary's OWL lists go with it
        for triple in graph.triples((pending.pop(), None, None)):
            if triple not in home:
                home[triple] = vocabulary
                if isinstance(triple[2], BNode):
                    pending.append(triple[2])
    for document in graph.subjects(RDF.type, BM.SourceDocument):
        owned = {document, *graph.objects(document, BM.hasSection), *graph.objects(document, BM.citesReference)}
        for node in owned:
            for triple in graph.triples((node, None, None)):
                home[triple] = document
    from bonemet.derivation import DERIVED_GRAPH, layer_of

    for triple in layer_of(graph):  # the derived layer in a graph of its own
        home[triple] = URIRef(DERIVED_GRAPH)
    for fact in graph.subjects(RDF.type, BM.Fact):
        document = graph.value(fact, PROV.hadPrimarySource)
        if document is None:
            continue
        for triple in graph.triples((fact, None, None)):
            home[triple] = document
        recorded = (graph.value(fact, RDF.subject), graph.value(fact, RDF.predicate), graph.value(fact, RDF.object))
        if recorded in graph:
            home[recorded] = document
    return home


def _stable_blank_nodes(graph: Graph) -> Graph:
    """The graph with blank nodes named by their content, so that the names do not
    change from run to run (the vocabulary's OWL lists are blank nodes)."""
    from rdflib import BNode
    from rdflib.compare import to_canonical_graph

    if not any(isinstance(term, BNode) for triple in graph for term in triple[::2]):
        return graph
    return to_canonical_graph(graph)


def _sorted_node(node: dict) -> dict:
    ordered = {}
    for key, value in node.items():
        if isinstance(value, list):
            value = sorted(value, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
        ordered[key] = value
    return ordered


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """The project prefixes whose namespace some IRI of the graph falls in."""
    from rdflib import Literal, URIRef

    iris = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                iris.add(str(term))
            elif isinstance(term, Literal) and term.datatype is not None:
                iris.add(str(term.datatype))
    return {
        prefix: str(namespace)
        for prefix, namespace in sorted(PREFIXES.items())
        if any(iri.startswith(str(namespace)) for iri in iris)
    }
