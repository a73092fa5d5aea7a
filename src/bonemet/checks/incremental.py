"""Validation that grows with the change: each unit's results kept in the user's cache.

The graph is split into units (:mod:`bonemet.checks.units`: one per source document, one
for what is shared). Each unit is validated on its own graph, the vocabulary added, by
the same checks as the whole graph (:func:`bonemet.checks.validation.check`); its results
are kept in ``$XDG_CACHE_HOME/bonemet/validation/`` under a key that hashes everything
they depend on: the unit's triples and those it reads beyond them (the entities it
names), the text of its documents, the derived layer it is checked with, the bytes of
the vocabulary, the shapes and the rules, bonemet's own source and the versions of
pySHACL, rdflib, pyoxigraph and Python. A unit whose key is kept is not validated again;
a changed page changes the key of its unit only. The whole-graph checks that no unit can
answer alone (labels unique within their class, one record per fact triple, ...) run on
the whole graph each time, one Oxigraph query each, as does the zero-focus check (a
shape that selects nothing in any unit).

The report is the one :func:`bonemet.checks.validation.validate` gives on the same files
(``tests/test_incremental.py`` holds them equal); ``cache=False`` (``validate
--no-cache``) runs that whole validation instead. A file Oxigraph cannot read, or data
that holds a derived layer of its own, or a file in another format than Turtle and
N-Triples, goes to the whole validation too, which reports it or reads it with its guards.
The cache is never stale (a key changes with any input) and may be deleted at any time;
entries are written atomically, and a folder that cannot be written means no cache.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from bonemet import paths, progress
from bonemet.checks import units as unitsplit
from bonemet.checks.validation import Finding, Report, check, load_shapes, source_text
from bonemet.digest import hash_pieces
from bonemet.errors import InputError, OutputError
from bonemet.inputs import RDF_FORMATS, read_input
from bonemet.namespaces import BM, VOCABULARY_IRI, new_graph

#: Names the layout of a cache entry; a new layout gets a new name, so no old entry is read.
LAYOUT = "bonemet validation cache 1"

#: About how many triples the units validated together hold: pySHACL's cost per run is
#: paid once per batch, not once per page.
BATCH = 40000

#: How many entries the cache keeps (a unit's results each); the oldest go first.
KEPT = 20000

#: How many whole reports it keeps, one per set of input files.
REPORTS = 8

SHAPES = "https://w3id.org/bonemet/shapes#"
LOCAL_COPY = str(BM.localCopy)

#: The whole-graph checks that a unit answers on its own graph: each offender is one
#: record or document with what it links to, all inside the unit that holds it. The
#: others (and any the shapes add) run on the whole graph: a record's triple, for one,
#: may be asserted by the derived layer only.
PER_UNIT = frozenset(URIRef(SHAPES + name) for name in (
    "QuoteInSourceShape", "SectionOfSourceShape", "SourceChecksumShape", "CrossLinkPredicateShape",
))

_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES"}


def validate(data_files=None, *, strict: bool = False, cache: bool = True, stats: dict | None = None) -> Report:
    """Validate the shipped data, or exactly ``data_files``, unit by unit, reusing the
    kept results of every unit that did not change. ``stats``, when given, is filled
    with how many units there were and how many were validated again."""
    from bonemet.checks import validation

    files = [Path(f) for f in data_files] if data_files is not None else paths.data_files()
    folder = paths.cache_dir() if cache else None
    if folder is None:
        return validation.validate(files, strict=strict)
    sources = [(path, read_input(path)) for path in [paths.vocabulary_file(), *files]]
    context = _context(sources[0][1])
    whole_key = hash_pieces([*context, *(piece for path, data in sources for piece in (str(path.resolve()), data))])
    kept_report = _kept_report(folder, sources, whole_key, strict)
    if kept_report is not None:
        if stats is not None:
            stats.update(units=kept_report[1], validated=0)
        return kept_report[0]
    try:
        store, roots = _load(sources)
    except InputError:
        return validation.validate(files, strict=strict)  # it says where the file is malformed
    import pyoxigraph

    progress.step("splitting the graph into units")
    vocabulary_graph = pyoxigraph.NamedNode(sources[0][0].resolve().as_uri())
    vocabulary = [q.triple for q in store.quads_for_pattern(None, None, None, vocabulary_graph)]
    data = list(dict.fromkeys(q.triple for q in store.quads_for_pattern(None, None, None)))  # every graph, the vocabulary's too
    derivation_class = pyoxigraph.NamedNode(str(BM.Derivation))
    if any(True for _ in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDF.type)), derivation_class)):
        return validation.validate(files, strict=strict)  # a held layer is checked against the rules there
    vocabulary_rdflib = _rdflib_graph(vocabulary)
    layer, texts = _whole_graph_inputs(store, vocabulary, vocabulary_rdflib, roots)
    parts = unitsplit.split(data, vocabulary, layer)

    from bonemet.checks import wholegraph

    shapes = load_shapes()
    shared = _Shared(vocabulary, wholegraph.split(shapes), shapes)
    found: list = []
    graphs: list[Graph] = []
    unfocused: set | None = None
    results: dict = {}
    todo = []
    for unit in parts:
        key = _key(context, unit, texts)
        kept = _read(folder, key) if key is not None else None
        if kept is None:
            todo.append((unit, key))
        else:
            results[unit.name] = kept
    batches = _batches(todo, BATCH)
    for batch, kept_list in zip(batches, _validate_batches(batches, shapes, vocabulary_rdflib, roots, shared)):
        for (unit, key), kept in zip(batch, kept_list):
            results[unit.name] = kept
            if key is not None:
                _write(folder, key, kept)
    validated = len(todo)
    for unit in parts:
        kept = results[unit.name]
        found.extend(Finding(*finding) for finding in kept["findings"])
        graphs.append(kept["report"])
        missing = set(kept["unfocused"])
        unfocused = missing if unfocused is None else unfocused & missing
    if stats is not None:
        stats.update(units=len(parts), validated=validated)

    # the whole-graph checks no unit answers alone, on the whole graph
    progress.step("running the whole-graph checks")
    report_graph = _merged(graphs)
    whole = [c for c in shared.split[1] if c.shape not in PER_UNIT]
    before = set(report_graph.objects(None, SH.result))
    wholegraph.run(whole, store, report_graph, union=True)
    for shape in sorted(unfocused or (), key=str):
        validation._add_zero_focus_result(report_graph, shapes, URIRef(shape))
    labels = _labels_graph(store, report_graph, before)
    for node in set(report_graph.objects(None, SH.result)) - before:
        found.append(validation._finding(report_graph, labels, node))
    findings = sorted(_first_of_each_unknown(found, report_graph), key=validation.sort_key)
    report = Report(findings, strict, report_graph, len(data), sorted(URIRef(s) for s in unfocused or ()))
    for verdict in list(report_graph.subjects(RDF.type, SH.ValidationReport)):
        report_graph.set((verdict, SH.conforms, Literal(not findings)))
        report_graph.set((verdict, BM.accepted, Literal(report.conforms)))
    _keep_report(folder, sources, whole_key, report, len(parts), texts, roots)
    _prune(folder / "validation")
    return report


def _reports_file(folder: Path, sources) -> Path:
    return folder / "validation" / f"report-{hash_pieces([str(path.resolve()) for path, _data in sources], size=8)}.json"


def _text_checks(texts: dict, roots: dict) -> list:
    """For each local copy the run read: where it was looked for, and a hash of what was
    there (None when nothing could be read)."""
    from bonemet.terms import from_oxigraph

    checks = []
    for (document, relative), text in sorted(texts.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        iri = from_oxigraph(document)
        folder = str(roots[iri]) if iri in roots else ""
        checks.append([str(iri), relative, folder, None if text is None else hash_pieces([text])])
    return checks


def _keep_report(folder: Path, sources, key: str, report: Report, units: int, texts: dict, roots: dict) -> None:
    """The whole report, for a run on exactly the same inputs: the files' bytes, the texts
    of their documents (each checked again then), the shapes, rules, code and versions."""
    entry = {
        "layout": LAYOUT, "key": key, "units": units, "texts": _text_checks(texts, roots),
        "findings": [list(f.__dict__.values()) for f in report.findings], "triples": report.data_triples,
        "unfocused": [str(s) for s in report.unfocused], "report": report.report_graph.serialize(format="nt"),
    }
    _write_entry(_reports_file(folder, sources), entry)


def _kept_report(folder: Path, sources, key: str, strict: bool) -> tuple | None:
    """(the report, how many units it had) kept for exactly these inputs, or None."""
    try:
        kept = json.loads(read_input(_reports_file(folder, sources)))
    except (InputError, ValueError, UnicodeDecodeError):
        return None
    try:
        if kept["layout"] != LAYOUT or kept["key"] != key:
            return None
        for iri, relative, root, digest in kept["texts"]:
            roots = {URIRef(iri): Path(root)} if root else {}
            text = source_text(URIRef(iri), relative, roots)
            if (None if text is None else hash_pieces([text])) != digest:
                return None  # a page's text changed: its unit is validated again
        graph = Graph()
        graph.parse(data=kept["report"], format="nt")
        report = Report([Finding(*f) for f in kept["findings"]], strict, graph, kept["triples"], [URIRef(s) for s in kept["unfocused"]])
    except Exception:  # cut short, altered or of another make: made again
        return None
    for verdict in list(graph.subjects(RDF.type, SH.ValidationReport)):
        graph.set((verdict, BM.accepted, Literal(report.conforms)))  # --strict may differ from the kept run
    return report, kept["units"]


class _Shared:
    """What every unit's validation uses: the vocabulary (Oxigraph triples) and the shapes
    split into pySHACL's and the whole-graph checks."""

    def __init__(self, vocabulary: list, split: tuple, shapes: Graph):
        from bonemet.checks.focus import targeted_shapes

        self.vocabulary = vocabulary
        self.split = split
        self.targeted = targeted_shapes(split[0])
        self._cores: dict = {}
        self._targets = _targets(shapes)

    def unfocused(self, unit: unitsplit.Unit) -> list[str]:
        """The targeted shapes that select nothing in the unit's own graph (the vocabulary,
        the unit's triples, its layer): what :func:`bonemet.checks.focus.empty_shapes`
        gives on that graph, whatever else was validated beside it."""
        import pyoxigraph

        triples = [*self.vocabulary, *unit.triples, *unit.layer]
        type_ = pyoxigraph.NamedNode(str(RDF.type))
        nodes, predicates, classes = set(), set(), set()
        for t in triples:
            nodes.add(t.subject)
            nodes.add(t.object)
            predicates.add(t.predicate)
            if t.predicate == type_:
                classes.add(t.object)
        children = unitsplit.children(triples)

        def typed(cls) -> bool:
            return not classes.isdisjoint(unitsplit.subclasses(children, {cls}))

        empty = []
        for shape, (targets, by_class, subjects_of, objects_of) in self._targets:
            if not (any(n in nodes for n in targets) or any(typed(c) for c in by_class)
                    or any(p in predicates for p in [*subjects_of, *objects_of])):
                empty.append(shape)
        return empty

    def core_for(self, holds, data: Graph) -> Graph:
        """pySHACL's shapes for ``data``: those whose targets select no node ``holds``
        are left without targets, since every result they could give would be set aside
        (the entities a page's unit names, the records the derived layer names). A shape
        that selects the vocabulary's IRI always runs: its results are about their values."""
        from bonemet.checks.focus import TARGETS, focus_nodes
        from bonemet.terms import to_oxigraph

        core = self.split[0]
        idle = []
        for shape in self.targeted:
            nodes = set(focus_nodes(shape, core, data))
            if nodes and URIRef(VOCABULARY_IRI) not in nodes and not any(holds(to_oxigraph(n)) for n in nodes):
                idle.append(shape)
        key = frozenset(idle)
        if key not in self._cores:
            trimmed = Graph()
            for triple in core:
                trimmed.add(triple)
            for shape in idle:
                for target in TARGETS:
                    trimmed.remove((shape, target, None))
            self._cores[key] = trimmed
        return self._cores[key]


def _targets(shapes: Graph) -> list:
    """Each targeted shape (as a string) with its targets as Oxigraph terms: nodes, classes,
    subjects of, objects of."""
    from bonemet.checks.focus import targeted_shapes
    from bonemet.terms import to_oxigraph

    found = []
    for shape in targeted_shapes(shapes):
        found.append((str(shape), tuple(
            [to_oxigraph(o) for o in shapes.objects(shape, target)]
            for target in (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
        )))
    return found


def _load(sources):
    """An Oxigraph store holding each file in a named graph of its own (its file IRI), and
    the folder each source document's local copy is read from (that of the first file that
    names it, as :func:`bonemet.checks.validation.validate` reads it)."""
    import pyoxigraph

    from bonemet.terms import from_oxigraph

    store = pyoxigraph.Store()
    roots: dict = {}
    local_copy = pyoxigraph.NamedNode(str(BM.localCopy))
    for path, data in sources:
        # Turtle and N-Triples only: the whole validation reads the other formats with the
        # guards they need (no XML entities, no remote JSON-LD contexts) and says what is wrong
        fmt = _FORMATS.get(RDF_FORMATS.get(path.suffix.lower(), ""))
        if fmt not in ("TURTLE", "N_TRIPLES"):
            raise InputError(f"{path}: read by the whole validation", "")
        graph = pyoxigraph.NamedNode(path.resolve().as_uri())
        try:  # the parser of the whole validation, with its limits (no token over 16 MB), unlike bulk_load
            store.load(data, format=getattr(pyoxigraph.RdfFormat, fmt), base_iri=path.resolve().as_uri(), to_graph=graph)
        except (OSError, SyntaxError, ValueError, MemoryError):
            raise InputError(f"{path}: cannot be loaded", "") from None
        for quad in store.quads_for_pattern(None, local_copy, None, graph):
            roots.setdefault(from_oxigraph(quad.subject), path.resolve().parent)
    return store, roots


def _whole_graph_inputs(store, vocabulary: list, vocabulary_rdflib: Graph, roots: dict):
    """The derived layer and each local copy's text (None where it cannot be read), by
    (document, relative path), both also added to ``store`` (in a
    graph of their own) for the whole-graph checks; the values of computed properties
    that the data asserts are taken out of the store first, as the whole validation does."""
    import pyoxigraph

    from bonemet.checks import closed
    from bonemet.derivation import derive_in_store
    from bonemet.terms import from_oxigraph, to_oxigraph

    vocabulary_set = set(vocabulary)
    for prop in closed.computed_properties(vocabulary_rdflib):
        for quad in list(store.quads_for_pattern(None, to_oxigraph(prop), None)):
            if quad.triple not in vocabulary_set:
                store.remove(quad)
    computed = pyoxigraph.NamedNode("urn:bonemet:computed")
    texts: dict = {}
    text_quads = []
    for quad in sorted(store.quads_for_pattern(None, pyoxigraph.NamedNode(str(BM.localCopy)), None), key=str):
        document, relative = quad.subject, quad.object.value
        if (document, relative) in texts:
            continue  # the same triple in two files
        text = source_text(from_oxigraph(document), relative, roots)
        texts[(document, relative)] = text
        if text is not None:
            text_quads.append(pyoxigraph.Quad(document, pyoxigraph.NamedNode(str(BM.sourceText)), pyoxigraph.Literal(text), computed))
    layer = derive_in_store(store, union=True)
    store.extend(text_quads)
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, computed) for t in layer)
    return layer, texts


def _validate_batch(batch: list, shapes: Graph, vocabulary: Graph, roots: dict, context) -> list[dict]:
    """The results of each unit of ``batch``, validated together on the union of their
    graphs (their own triples are disjoint), as kept in the cache: its findings, its
    report's results and the shapes that selected nothing. Each result goes to the unit
    that holds the node it is about; those about nodes no unit of the batch holds are set
    aside (another unit reports them)."""
    import pyoxigraph

    from bonemet.checks.validation import _finding
    from bonemet.terms import from_oxigraph, to_oxigraph

    triples = list(dict.fromkeys(t for unit in batch for t in unit.triples))
    data = _rdflib_graph(triples, base=vocabulary)
    layer = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for unit in batch for t in unit.layer]
    store = pyoxigraph.Store()  # the batch's graph, for the whole-graph checks a unit answers alone
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in [*context.vocabulary, *triples])
    # a document's unit first: the shared unit holds whatever no document's unit holds
    owners = sorted(batch, key=lambda unit: unit.name == unitsplit.SHARED)

    def owner(node):
        return next((unit for unit in owners if unit.holds(node)), None)

    core = context.core_for(lambda node: owner(node) is not None, data)
    report = check(data, shapes, text_roots=roots, vocabulary=vocabulary, layer=layer, whole_graph=PER_UNIT,
                   zero_focus=False, split=(core, context.split[1]), store=store, unknown_once=False)
    graph = report.report_graph
    verdict = next(graph.subjects(RDF.type, SH.ValidationReport))
    kept = {unit.name: {"findings": [], "report": Graph(), "unfocused": context.unfocused(unit)} for unit in batch}
    for entry in kept.values():
        for triple in graph.triples((verdict, None, None)):
            if triple[1] != SH.result:
                entry["report"].add(triple)
    for result in graph.objects(verdict, SH.result):
        unit = owner(to_oxigraph(_about(graph, result)))
        if unit is None:
            continue
        entry = kept[unit.name]
        entry["findings"].append(list(_finding(graph, data, result).__dict__.values()))
        entry["report"].add((verdict, SH.result, result))
        for triple in _tree(graph, result):
            entry["report"].add(triple)
    return [kept[unit.name] for unit in batch]


#: The batches of a validation in progress, for the worker processes it forks.
_WORK: tuple = ()


def _validate_batches(batches: list, shapes: Graph, vocabulary: Graph, roots: dict, context):
    """Each batch's results, in order. With several batches and more than one processor,
    two worker processes (forked, so they share what this one has read) validate them side
    by side; a worker that dies makes this process validate the rest itself."""
    import os

    global _WORK
    workers = min(2, os.cpu_count() or 1)
    if len(batches) < 3 or workers < 2:
        for number, batch in enumerate(batches, start=1):
            progress.step(f"validating batch {number} of {len(batches)} ({len(batch)} units)")
            yield _validate_batch([unit for unit, _key in batch], shapes, vocabulary, roots, context)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _WORK = (batches, shapes, vocabulary, roots, context)
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for kept_list in pool.map(_batch_in_worker, range(len(batches))):
                done += 1
                progress.step(f"validated batch {done} of {len(batches)}")
                yield [_from_worker(kept) for kept in kept_list]
    except BrokenProcessPool:
        for batch in batches[done:]:
            yield _validate_batch([unit for unit, _key in batch], shapes, vocabulary, roots, context)
    finally:
        _WORK = ()


def _batch_in_worker(number: int) -> list:
    batches, shapes, vocabulary, roots, context = _WORK
    kept_list = _validate_batch([unit for unit, _key in batches[number]], shapes, vocabulary, roots, context)
    return [{**kept, "report": kept["report"].serialize(format="nt")} for kept in kept_list]


def _from_worker(kept: dict) -> dict:
    graph = Graph()
    graph.parse(data=kept["report"], format="nt")
    return {**kept, "report": graph}


def _batches(todo: list, size: int) -> list[list]:
    """The units to validate, in groups of about ``size`` triples each; the shared unit on
    its own (it names records of every page, with no more than their type: beside some
    pages, the shapes of those records would run on the others' too)."""
    batches: list[list] = [[item] for item in todo if item[0].name == unitsplit.SHARED] + [[]]
    count = 0
    for item in todo:
        if item[0].name == unitsplit.SHARED:
            continue
        if batches[-1] and count + len(item[0].triples) > size:
            batches.append([])
            count = 0
        batches[-1].append(item)
        count += len(item[0].triples)
    return [batch for batch in batches if batch]


def _about(graph: Graph, result):
    """The node a result is about: its focus node, or its sh:value where the focus is the
    vocabulary (the whole-graph checks hang on it) and the value a node."""
    from rdflib import Literal as RdfLiteral

    focus = graph.value(result, SH.focusNode)
    value = graph.value(result, SH.value)
    if focus == URIRef(VOCABULARY_IRI) and value is not None and not isinstance(value, RdfLiteral):
        return value
    return focus


def _rdflib_graph(triples, base: Graph | None = None) -> Graph:
    from bonemet.terms import from_oxigraph_memoized

    from bonemet.graph import ill_typed_literals_unlogged

    graph = new_graph()
    if base is not None:
        for triple in base:
            graph.add(triple)
    term = from_oxigraph_memoized()
    with ill_typed_literals_unlogged():
        graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
    return graph


def _context(vocabulary: bytes) -> list:
    """What every unit's results depend on besides its own graph."""
    from importlib.metadata import version  # not importing pySHACL: a kept report needs none of it

    code = [path.name.encode() + b"\0" + read_input(path) for path in paths.module_files("checks")]
    versions = "; ".join(f"{name} {version(name)}" for name in ("pyshacl", "rdflib", "pyoxigraph")) + f"; Python {sys.version}"
    return [LAYOUT, versions, vocabulary, read_input(paths.shapes_file()), read_input(paths.rules_file()), *code]


def _key(context: list, unit: unitsplit.Unit, texts: dict) -> str | None:
    """The unit's key, or None for a unit with blank nodes (their names change at every
    parse, so they cannot be keyed by their text): such a unit is validated every time."""
    import pyoxigraph

    lines = []
    for triples in (unit.triples, unit.layer):
        for triple in triples:
            if isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(triple.object, pyoxigraph.BlankNode):
                return None
        lines.append("\n".join(sorted(str(t) for t in triples)))
    # the text of every local copy the unit's graph names: those the checks read
    copies = sorted(f"{t.subject}\0{t.object.value}\0{texts.get((t.subject, t.object.value))}"
                    for t in unit.triples if t.predicate.value == LOCAL_COPY)
    members = "\n".join(sorted(str(m) for m in unit.members))
    return hash_pieces([*context, unit.name, members, *lines, *copies])


def _read(folder: Path, key: str) -> dict | None:
    try:
        kept = json.loads(read_input(_entry_file(folder, key)))
    except (InputError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(kept, dict) or kept.get("layout") != LAYOUT or kept.get("key") != key:
        return None
    try:
        findings, unfocused = kept["findings"], kept["unfocused"]
        fields = len(Finding.__dataclass_fields__)
        if not (isinstance(findings, list) and isinstance(unfocused, list) and all(isinstance(s, str) for s in unfocused)
                and all(isinstance(f, list) and len(f) == fields and all(v is None or isinstance(v, str) for v in f) for f in findings)):
            return None
        graph = Graph()
        graph.parse(data=kept["report"], format="nt")
        return {"findings": findings, "report": graph, "unfocused": unfocused}
    except Exception:  # cut short or altered: made again
        return None


def _write(folder: Path, key: str, kept: dict) -> None:
    entry = {
        "layout": LAYOUT, "key": key, "findings": kept["findings"], "unfocused": kept["unfocused"],
        "report": kept["report"].serialize(format="nt"),
    }
    _write_entry(_entry_file(folder, key), entry)


def _write_entry(file: Path, entry: dict) -> None:
    from bonemet.files import write_atomic

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(file, json.dumps(entry))
    except (OSError, OutputError):  # a full disk, a folder made read-only: no cache this time
        return


def _entry_file(folder: Path, key: str) -> Path:
    return folder / "validation" / key[:2] / f"{key}.json"


def _first_of_each_unknown(found: list, graph: Graph) -> list:
    """As :func:`bonemet.checks.closed.first_of_each_unknown`, on the merged report: each
    unit reported an unknown term on each of its subjects that use it; the whole graph
    reports it once, on the first in code-point order."""
    unknown = SHAPES + "ClosedVocabularyShape"
    first: dict = {}
    for finding in found:
        if finding.shape == unknown and (finding.value not in first or finding.focus < first[finding.value]):
            first[finding.value] = finding.focus
    if not first:
        return found
    for result in list(graph.objects(None, SH.result)):
        if str(graph.value(result, SH.sourceShape)) == unknown:
            value, focus = str(graph.value(result, SH.value)), str(graph.value(result, SH.focusNode))
            if first.get(value) != focus:
                for triple in _tree(graph, result):
                    graph.remove(triple)
                graph.remove((None, SH.result, result))
    return [f for f in found if f.shape != unknown or first[f.value] == f.focus]


def _prune(folder: Path) -> None:
    """Keep the :data:`KEPT` newest units' entries and the :data:`REPORTS` newest reports."""
    import os

    try:
        entries = [(entry.stat().st_mtime_ns, entry.path) for sub in os.scandir(folder) if sub.is_dir()
                   for entry in os.scandir(sub.path) if entry.name.endswith(".json")]
        reports = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                   if entry.name.startswith("report-") and entry.name.endswith(".json")]
        for kept, limit in ((entries, KEPT), (reports, REPORTS)):
            for _mtime, path in sorted(kept, reverse=True)[limit:]:
                os.unlink(path)
    except OSError:  # another process removed it first, or the folder went away
        pass


def _merged(graphs: list[Graph]) -> Graph:
    """One validation report holding the results of every unit's report (each unit reports
    on its own nodes only, so no result comes from two units)."""
    from rdflib import BNode

    merged = Graph()
    merged.bind("sh", str(SH))
    report = None
    paths: dict = {}
    for graph in graphs:
        for node in graph.subjects(RDF.type, SH.ValidationReport):
            if report is None:
                report = node
                for triple in graph.triples((node, None, None)):
                    if triple[1] != SH.result:
                        merged.add(triple)
        for result in graph.objects(None, SH.result):
            merged.add((report, SH.result, result))
            for triple in _tree(graph, result, skip=SH.resultPath):
                merged.add(triple)
            for path in graph.objects(result, SH.resultPath):
                if isinstance(path, BNode):
                    # pySHACL writes one node for the path of all the results of a shape
                    key = (graph.value(result, SH.sourceShape), _signature(graph, path))
                    if key not in paths:
                        paths[key] = path
                        for triple in _tree(graph, path):
                            merged.add(triple)
                    path = paths[key]
                merged.add((result, SH.resultPath, path))
    if report is None:
        report = BNode()
        merged.add((report, RDF.type, SH.ValidationReport))
    return merged


def _tree(graph: Graph, node, skip=None) -> list:
    """The triples of ``node`` and of the blank nodes they lead to (not through ``node``'s
    own ``skip``)."""
    from rdflib import BNode

    found, todo, seen = [], [node], {node}
    while todo:
        for triple in graph.triples((todo.pop(), None, None)):
            if triple[1] == skip and triple[0] == node:
                continue
            found.append(triple)
            if isinstance(triple[2], BNode) and triple[2] not in seen:
                seen.add(triple[2])
                todo.append(triple[2])
    return found


def _signature(graph: Graph, node) -> tuple:
    """What a blank node and the blank nodes under it say, their names aside."""
    from rdflib import BNode

    return tuple(sorted((str(p), _signature(graph, o) if isinstance(o, BNode) else o.n3()) for p, o in graph.predicate_objects(node)))


def _labels_graph(store, report: Graph, before: set) -> Graph:
    """The labels of the nodes the new results name, in a graph that knows the project's
    prefixes: what a finding reads from the data."""
    from rdflib.namespace import RDFS

    from bonemet.terms import from_oxigraph, to_oxigraph

    graph = new_graph()
    nodes = set()
    for result in set(report.objects(None, SH.result)) - before:
        for prop in (SH.focusNode, SH.value):
            nodes.update(n for n in report.objects(result, prop) if isinstance(n, URIRef))
    label = to_oxigraph(RDFS.label)
    for node in nodes:
        for quad in store.quads_for_pattern(to_oxigraph(node), label, None):
            graph.add((node, RDFS.label, from_oxigraph(quad.object)))
    return graph
