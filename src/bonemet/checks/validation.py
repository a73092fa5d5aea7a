"""Checking the content against the SHACL shapes.

pySHACL does the checking; this module turns its report into results a
curator can act on: which node (by label and IRI), which shape, which value,
how severe, and the shape's own message on what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from bonemet import paths, progress
from bonemet.checks.focus import empty_shapes
from bonemet.errors import InputError
from bonemet.graph import ill_typed_literals_unlogged, load_files, load_vocabulary, parse_into
from bonemet.namespaces import BM, new_graph

SHAPES = "https://w3id.org/bonemet/shapes#"
ZERO_FOCUS = URIRef(SHAPES + "ZeroFocusConstraintComponent")

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One result of the validation report."""

    severity: str  # Violation, Warning or Info
    shape: str  # IRI (or blank-node id) of the shape that fired
    focus: str  # IRI of the node that failed
    focus_label: str
    path: str | None
    value: str | None
    message: str
    component: str
    value_label: str = ""


@dataclass
class Report:
    """The outcome of a validation: every :class:`Finding`, most severe first.

    ``conforms`` is bonemet's verdict (no Violation; under ``strict`` no Warning either;
    an Info never fails). ``report_graph`` is the W3C SHACL validation report as an rdflib
    Graph (its ``sh:conforms`` is false whenever there is any result, and ``bm:accepted``
    carries bonemet's verdict); ``data_triples`` counts the triples checked, the derived
    layer and the page's text left out. ``count(severity)`` counts findings of one
    severity; :func:`bonemet.checks.report.render_report` writes the report as text, JSON
    or Turtle.
    """

    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    report_graph: Graph | None = None
    data_triples: int = 0
    #: the targeted shapes that selected no focus node in the graph checked
    unfocused: list = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        """No Violation, and under ``strict`` no Warning either; Info never fails."""
        failing = {"Violation", "Warning"} if self.strict else {"Violation"}
        return not any(f.severity in failing for f in self.findings)


def load_shapes() -> Graph:
    return load_files([paths.shapes_file()])


ENGINES = ("oxigraph", "pyshacl")


def validate(data_files: Iterable[Path | str] | None = None, *, strict: bool = False, graph: Graph | None = None,
             engine: str = "oxigraph", keep: list | None = None) -> Report:
    """Validate the shipped data, or exactly ``data_files``, or ``graph``.

    Files are checked together with the shipped vocabulary (so class
    hierarchy and labels of terms are known) against the shipped shapes. Each
    file is read once. A source record's ``bm:localCopy`` is read relative to the data
    file that declares it.

    ``engine="oxigraph"`` (the default) loads Turtle and N-Triples files into Oxigraph
    alone and checks them there: the SHACL Core shapes by :mod:`bonemet.checks.core`,
    the other passes through a :class:`~bonemet.storeview.StoreView`. Other formats, a
    file Oxigraph refuses and data holding a derived layer take the rdflib path, as does
    ``engine="pyshacl"``: the files parsed into one rdflib graph (and an Oxigraph store
    for the whole-graph checks) and the Core shapes run by pySHACL, the reference the
    tests hold the default to. Both give the same report.

    ``keep``: a list the data's store and graph are added to, rather than freed when this
    returns. Freeing a store of a million triples takes 0.5 s; the command line, which
    exits right after the report, keeps them and ends without freeing anything.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r}", f"use one of {', '.join(ENGINES)}")
    roots: Mapping | list = []
    store = None
    vocabulary = None
    if graph is None:
        from bonemet.inputs import read_input
        from bonemet.store import store_from_sources

        files = [Path(f) for f in data_files] if data_files is not None else paths.data_files()
        sources = [(path, read_input(path)) for path in [paths.vocabulary_file(), *files]]
        on_store = _on_store(sources) if engine == "oxigraph" else None
        if on_store is not None:
            view, roots, vocabulary, selection = on_store
            if keep is not None:
                keep.append(view)
            with ill_typed_literals_unlogged():  # the view makes rdflib terms as the passes read them
                return check(view, load_shapes(), strict=strict, text_roots=roots, store=view.store, vocabulary=vocabulary,
                             closed_selection=selection)
        graph = new_graph()
        roots = {}
        for number, (path, data) in enumerate(sources):
            progress.step(f"loading {path}")
            declared = set(graph.subject_objects(BM.localCopy))
            parse_into(graph, path, data)
            if number == 0:
                vocabulary = new_graph()
                for triple in graph:
                    vocabulary.add(triple)
            for document, _copy in set(graph.subject_objects(BM.localCopy)) - declared:
                roots.setdefault(document, path.resolve().parent)
        store = store_from_sources(sources)
        if keep is not None:
            keep += [graph, store]
    return check(graph, load_shapes(), strict=strict, text_roots=roots, store=store, vocabulary=vocabulary)


def _on_store(sources: list):
    """The files loaded into Oxigraph alone, read through a :class:`~bonemet.storeview.StoreView`:
    (view, the folder of the file that declares each document, the vocabulary as an rdflib
    Graph, the closed-vocabulary pass's :class:`~bonemet.checks.closed.Selection` of the
    quads as they were loaded). None when rdflib must read them: a format other than
    Turtle and N-Triples (their parsers carry guards of their own), a file Oxigraph's
    parser refuses (the rdflib path then says where), a term the store would not give back
    as written (:class:`bonemet.storeview.Faithful`), or data holding a derived layer of
    its own (checked against the rules on an rdflib copy)."""
    import pyoxigraph

    from bonemet.checks.closed import Selection
    from bonemet.inputs import rdf_format
    from bonemet.storeview import Faithful, Screening, StoreView, without_blank_nodes
    from bonemet.terms import from_oxigraph

    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}
    if any(rdf_format(path) not in formats for path, _data in sources):
        return None
    # every term as the rdflib path reads it: the same parser, its limits, blank-node labels
    # as written, and only terms the store keeps as written (Faithful). A file that names
    # no blank node is loaded by the store itself while a thread screens it; any other is
    # parsed here and streamed through the screen into the store. Either way the
    # closed-vocabulary pass picks out the quads it must look at as they stream past.
    vocabulary = parse_into(new_graph(), sources[0][0], sources[0][1])
    selection = Selection(vocabulary)
    files = [(path, data, formats[rdf_format(path)], path.resolve().as_uri()) for path, data in sources]
    whole = {index for index, (_p, data, format_, _b) in enumerate(files)
             if without_blank_nodes(data, format_ == pyoxigraph.RdfFormat.TURTLE)}
    screening = Screening([files[index][1:] for index in sorted(whole)], watch=selection)
    store = pyoxigraph.Store()
    local_copy = pyoxigraph.NamedNode(str(BM.localCopy))
    roots: dict = {}
    try:
        for index, (path, data, format_, base) in enumerate(files):
            progress.step(f"loading {path}")
            if index in whole:  # lenient: the thread's parser checks every IRI and tag meanwhile
                store.load(data, format_, base_iri=base, lenient=True)
            else:
                screen = Faithful()
                store.extend(selection(screen(pyoxigraph.parse(data, format_, base_iri=base))))
                if not screen.kept:
                    return None
            for quad in store.quads_for_pattern(None, local_copy, None):
                roots.setdefault(from_oxigraph(quad.subject), path.resolve().parent)
    except (SyntaxError, ValueError, OSError, MemoryError):
        return None
    finally:
        kept = screening.kept()
    if not kept:
        return None
    view = StoreView(store)
    if (None, RDF.type, BM.Derivation) in view:
        return None
    return view, roots, vocabulary, selection


def check(
    data: Graph,
    shapes: Graph,
    *,
    strict: bool = False,
    text_roots: Mapping | Iterable[Path] = (),
    store=None,
    vocabulary: Graph | None = None,
    layer: list | None = None,
    whole_graph: set | None = None,
    zero_focus: bool = True,
    split: tuple | None = None,
    unknown_once: bool = True,
    fork: bool = True,
    closed_selection=None,
) -> Report:
    """Validate ``data`` against ``shapes``.

    The text of each source document is read once from its local copy
    (relative to ``text_roots``: a folder per document, or folders to try in
    turn; the shipped data folder when none is given) and added for the time of
    the check, so that quotes, content units and checksums are checked against
    the very same text. The whole-graph SPARQL constraints run on Oxigraph
    (``store``, an Oxigraph store of the same data, is built when not given); the
    grounding and closed-vocabulary passes run once over the graph. The SHACL Core
    shapes run on pySHACL, or, when ``data`` is a :class:`~bonemet.storeview.StoreView`
    of ``store``, as queries on Oxigraph (:mod:`bonemet.checks.core`), with the Python
    passes in a forked process beside them on a large graph; that process, once done and
    sent the derived layer, takes whole-graph checks on its copy of the store too, each
    check taken by whichever process is free first (:class:`_Shared`). A shape that
    selects no focus node at all is reported as a Violation.

    For validating a part of a graph (:mod:`bonemet.checks.incremental`): ``layer`` is
    the derived layer to check with, worked out by the caller (the rules are then not
    run here); ``whole_graph`` names the whole-graph checks to run (by shape; None: all);
    ``zero_focus=False`` leaves the shapes that select nothing out of the results (they
    are listed in :attr:`Report.unfocused` either way); ``split`` is what
    :func:`bonemet.checks.wholegraph.split` gives for ``shapes``, worked out once for many
    calls; ``unknown_once=False`` reports an unknown term on each subject that uses it (see
    :func:`bonemet.checks.closed.check`); ``fork=False`` runs every pass in this process
    (a worker of a process pool must not fork one more); ``closed_selection`` is the
    closed-vocabulary pass's :class:`~bonemet.checks.closed.Selection` of the quads of
    ``store`` as they were loaded (see :func:`bonemet.checks.closed.check`).
    """
    from bonemet.checks import closed, derived, grounding, wholegraph
    from bonemet.derivation import layer_to_add

    on_store = store is not None and getattr(data, "store", None) is store  # a StoreView of it

    if vocabulary is None:
        vocabulary = load_vocabulary()

    added = _source_texts(data, text_roots)  # each page's text, read once
    texts = {document: str(text) for document, _p, text in added}

    def closed_and_grounding() -> tuple[list, list]:
        """The passes that read the data as its files give it (before the page texts and
        the derived layer are added for the time of the check; neither pass reads them)."""
        with collector_paused():
            found = closed.check(data, vocabulary, once=unknown_once, selection=closed_selection)
            progress.step("grounding every fact in its sentence")
            return found, grounding.check(data, vocabulary, texts)

    def set_aside() -> list:
        """Values of computed properties that the data asserts are reported by the closed
        vocabulary and set aside, so that only the text bonemet read is checked."""
        asserted = [t for p in closed.computed_properties(vocabulary) for t in data.triples((None, p, None))]
        for triple in asserted:
            data.remove(triple)
        return asserted

    core, whole_graph_checks = split or wholegraph.split(shapes)
    if whole_graph is not None:
        whole_graph_checks = [c for c in whole_graph_checks if c.shape in whole_graph]

    def beside_work() -> tuple:
        """In the forked process: the Python passes, then, on this copy of the store made
        what the other process's is (texts and the layer it sends in), the whole-graph
        checks that process has not taken by then."""
        found = closed_and_grounding()
        add_layer = shared.layer()
        if add_layer is None or not whole_graph_checks:
            return found, {}
        set_aside()
        for triple in added:
            data.add(triple)
        add_layer(store)
        return found, {index: wholegraph.solutions(whole_graph_checks[index], store) for index in shared.claims()}

    # on a large store, a forked process runs them on its copy while this one adds the
    # texts and the layer and runs the shapes' queries
    size = len(data)  # counted once: a store counts its quads one by one
    forking = fork and on_store and size >= BESIDE_FROM
    shared = _Shared(len(whole_graph_checks), forking)
    beside = _start_beside(beside_work) if forking else None
    forked = beside is not None
    shared.started(forked)
    done_beside = None
    try:
        if beside is None:
            closed_problems, grounding_problems = closed_and_grounding()
        asserted = set_aside()
        if store is not None and asserted and not on_store:
            _remove_from_store(store, asserted)
        for triple in added:
            data.add(triple)
        # the derived layer: checked against the rules when the graph holds one, and computed
        # for the time of the check when it does not (data files never hold one)
        derived_quads: list = []  # on the store, the layer as Oxigraph gives it
        if layer is None and on_store:
            layer_problems, derived_triples, derived_quads = [], [], layer_to_add(store)
            store.extend(derived_quads)
        elif layer is None:
            layer_problems, derived_triples = derived.check(data, store)
        else:
            layer_problems, derived_triples = [], [t for t in layer if t not in data]
        for triple in derived_triples:
            data.add(triple)
        if beside is not None:  # the forked process may take whole-graph checks only with the layer as Oxigraph gives it
            shared.send_layer(derived_quads if not derived_triples else None)
        try:
            progress.step(f"checking {size} triples against the SHACL shapes")
            report_graph = _core_report(data, core) if on_store else _pyshacl_report(data, core)
            unfocused = empty_shapes(shapes, data)
            if whole_graph_checks:
                if store is None:
                    from bonemet.store import store_from_graph

                    store = store_from_graph(data)
                elif not on_store:
                    _add_to_store(store, [*added, *derived_triples])
                progress.step("running the whole-graph checks")
                mine = []
                for index in shared.claims():  # one at a time, as the forked process takes them
                    mine.append(index)
                    wholegraph.run([whole_graph_checks[index]], store, report_graph)
                if beside is not None:
                    done_beside = _result_beside(beside)
                    beside = None
                    # the forked process's whole-graph results; should it have died, the
                    # checks it took are run here, while the texts and the layer are in
                    theirs = done_beside[1] if done_beside is not None else {}
                    for index in sorted(set(range(len(whole_graph_checks))) - set(mine)):
                        found = theirs[index] if index in theirs else wholegraph.solutions(whole_graph_checks[index], store)
                        wholegraph.add(whole_graph_checks[index], found, report_graph)
        finally:
            for triple in [*added, *derived_triples]:
                data.remove(triple)
            for quad in derived_quads:
                store.remove(quad)
            for triple in asserted:
                data.add(triple)
        if beside is not None:
            done_beside = _result_beside(beside)
            beside = None
        if done_beside is not None:
            closed_problems, grounding_problems = done_beside[0]
        elif forked:  # it died: the data is as its files give it again
            closed_problems, grounding_problems = closed_and_grounding()
    finally:
        _stop_beside(beside)
        shared.close()
    problems = closed_problems + layer_problems + grounding_problems
    grounding.add_to_report(report_graph, shapes, problems)
    for shape in unfocused if zero_focus else ():
        _add_zero_focus_result(report_graph, shapes, shape)
    # the report's own results; results nested under them (sh:detail) explain, not count
    findings = [_finding(report_graph, data, node) for node in report_graph.objects(None, SH.result)]
    findings.sort(key=sort_key)
    report = Report(findings, strict, report_graph, size, unfocused)
    for verdict in list(report_graph.subjects(RDF.type, SH.ValidationReport)):
        # sh:conforms keeps its W3C meaning (no result at all); bonemet's own verdict,
        # where Warnings and Infos fail only under --strict, is stated beside it
        report_graph.set((verdict, SH.conforms, Literal(not findings)))
        report_graph.set((verdict, BM.accepted, Literal(report.conforms)))
    return report


@contextmanager
def collector_paused():
    """Python's cycle collector held off while the passes read the graph. They make a million
    short-lived terms, tuples and lists, none in a cycle: reference counting frees them, and
    the collector, set off again and again by so many new objects, would only walk the
    growing heap (on a million triples it took half of the time of reading the fact
    records). It runs again as before afterwards."""
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


#: The work of the process forked beside the shapes' queries (set only while it runs).
_BESIDE: tuple = ()
#: From this many triples the Python passes run in a forked process; below it the fork
#: saves nothing (the shipped data's 3,000 triples validate in 0.17-0.19 s in this process
#: and 0.17-0.19 s with the fork, medians of 7 runs each, measured side by side)
BESIDE_FROM = 50_000


def _start_beside(work):
    """Start ``work()`` in a forked process, which inherits the store and the graphs (copied
    only where written); None where the platform does not fork or has one processor."""
    import multiprocessing
    import os

    global _BESIDE
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    _BESIDE = (work, send)
    try:
        process = context.Process(target=_run_beside, daemon=True)
        process.start()
    finally:
        _BESIDE = ()
        send.close()  # the child holds its own end
    return process, receive


def _run_beside() -> None:
    work, send = _BESIDE
    try:
        send.send(work())
    except BaseException:  # noqa: BLE001 - the parent does the work again and meets the error itself
        send.close()


def _result_beside(started):
    """What the work gave in the forked process; None when the process died, failed or sent
    what cannot be read (the caller then does the work itself, and meets any error there)."""
    process, receive = started
    try:
        return receive.recv()
    except Exception:  # EOFError when it died or failed; anything unpickling raises
        return None
    finally:
        receive.close()
        process.join()


class _Shared:
    """What the two processes of one check share: the whole-graph checks not yet taken (a
    counter in shared memory: each process takes the next one when it is free, so that
    neither waits while the other has work) and the derived layer, which this process
    works out and the forked one needs before it may take any. Without a fork, this
    process takes them all."""

    def __init__(self, count: int, forking: bool) -> None:
        self.count = count
        self._next = self._receive = self._send = None
        self._taken = 0
        if forking:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self._next = context.Value("i", 0)
            self._receive, self._send = context.Pipe(duplex=False)

    def started(self, forked: bool) -> None:
        """After the fork (or none): this process only sends the layer."""
        if self._receive is not None:
            self._receive.close()
            self._receive = None
        if not forked and self._send is not None:
            self._send.close()
            self._send = None

    def claims(self):
        """The indices of the checks this process takes, one at a time, as it asks."""
        while True:
            if self._next is None:
                index, self._taken = self._taken, self._taken + 1
            else:
                with self._next.get_lock():
                    index = self._next.value
                    self._next.value = index + 1
            if index >= self.count:
                return
            yield index

    def send_layer(self, quads) -> None:
        """Send the layer (None: the forked process may take no check) from a thread, as
        N-Quads: the forked process reads it only when its own passes are done, and
        Oxigraph writes and reads N-Quads ten times faster than Python pickles its terms."""
        import threading

        if self._send is not None:
            threading.Thread(target=self._deliver, args=(self._send, quads), daemon=True).start()
            self._send = None

    @staticmethod
    def _deliver(send, quads) -> None:
        import pyoxigraph

        try:
            send.send_bytes(b"-" if quads is None else b"+" + (pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""))
        except OSError:  # the forked process is gone; this one runs its checks
            pass
        finally:
            send.close()

    def layer(self):
        """In the forked process: a function that adds the layer sent to a store, or None."""
        import pyoxigraph

        from bonemet.storeview import without_blank_nodes

        receive, self._receive = self._receive, None
        if self._send is not None:
            self._send.close()
            self._send = None
        try:
            sent = receive.recv_bytes() if receive is not None else b"-"
        except (EOFError, OSError):
            return None
        finally:
            if receive is not None:
                receive.close()
        if not sent.startswith(b"+"):
            return None
        quads, format_ = sent[1:], pyoxigraph.RdfFormat.N_QUADS
        if without_blank_nodes(quads, False):  # the store's loader would rename a blank node
            return lambda store: store.load(quads, format_)
        return lambda store: store.extend(pyoxigraph.parse(quads, format_))

    def close(self) -> None:
        for end in (self._receive, self._send):
            if end is not None:
                end.close()
        self._receive = self._send = None


def _stop_beside(started) -> None:
    """End a forked process whose result is no longer wanted (an error cut the check short)."""
    if started is not None:
        process, receive = started
        receive.close()
        process.terminate()
        process.join()


def _pyshacl_report(data: Graph, shapes: Graph) -> Graph:
    """pySHACL's report of ``data`` against the SHACL Core ``shapes``."""
    import pyshacl  # costly to import; only the rdflib path needs it

    try:
        _conforms, report_graph, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            advanced=True,
            abort_on_first=False,
            inplace=True,  # no inference, so nothing is added: no need for pySHACL's copy
        )
    except Exception as err:  # pySHACL raises many types for shapes it cannot run
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(f"the SHACL shapes cannot be run ({first})", "correct the shapes file") from None
    if not isinstance(report_graph, Graph):  # pySHACL could not use the shapes
        raise InputError(f"the SHACL shapes cannot be used ({report_graph})", "correct ontology/shapes.ttl")
    return report_graph


def _core_report(data, shapes: Graph) -> Graph:
    """The same report from :mod:`bonemet.checks.core`, on the Oxigraph store ``data`` views
    (pySHACL on a copy, should the shapes use what that engine does not run)."""
    from bonemet.checks import core

    if core.supported(shapes):
        copy = new_graph()
        copy.addN((s, p, o, copy) for s, p, o in data)
        return _pyshacl_report(copy, shapes)
    report = core.report_graph(core.results(data.store, shapes), shapes)
    _describe_blank_nodes(report, data)
    return report


def _describe_blank_nodes(report: Graph, data, depth: int = 10) -> None:
    """Add to ``report`` what ``data`` says of each blank node a result names as its focus
    node or value, and of the blank nodes that says, ``depth`` levels deep: a blank node has
    no name to look it up by, so pySHACL's report carries its description, and so does this."""
    level = {node for p in (SH.focusNode, SH.value) for node in report.objects(None, p) if isinstance(node, BNode)}
    seen: set = set()
    for _ in range(depth):
        seen |= level
        found = set()
        for node in level:
            for triple in data.triples((node, None, None)):
                report.add(triple)
                if isinstance(triple[2], BNode) and triple[2] not in seen:
                    found.add(triple[2])
        level = found


def _remove_from_store(store, triples) -> None:
    import pyoxigraph

    from bonemet.terms import to_oxigraph

    for triple in triples:
        store.remove(pyoxigraph.Quad(*(to_oxigraph(term) for term in triple)))


def _add_to_store(store, triples) -> None:
    import pyoxigraph

    from bonemet.terms import to_oxigraph

    store.extend(pyoxigraph.Quad(*(to_oxigraph(term) for term in triple)) for triple in triples)


def _source_texts(data: Graph, roots) -> list[tuple]:
    """(document, bm:sourceText, text) for each source document whose local copy can be read."""
    triples = []
    for document, relative in sorted(data.subject_objects(BM.localCopy)):
        text = source_text(document, str(relative), roots)
        if text is not None:
            triples.append((document, BM.sourceText, Literal(text)))
    return triples


def source_text(document, relative: str, roots) -> str | None:
    """The text of ``document``'s local copy ``relative``, or None when it cannot be read.

    ``roots`` maps a document to the folder of the data file that declares it, or lists
    folders to try in turn; with neither, the shipped data folder is used. The text is
    read once and decoded as UTF-8."""
    from bonemet.inputs import read_input

    if isinstance(roots, Mapping):
        folders = [roots[document]] if document in roots else [paths.data_dir()]
    else:
        folders = list(roots) or [paths.data_dir()]
    path = paths.local_copy(relative, folders)
    try:
        return read_input(path).decode("utf-8") if path is not None else None
    except (InputError, UnicodeDecodeError):
        return None


def _add_zero_focus_result(report: Graph, shapes: Graph, shape) -> None:
    label = shapes.value(shape, RDFS.label)
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, shape))
    report.add((result, SH.sourceShape, shape))
    report.add((result, SH.resultSeverity, SH.Violation))
    report.add((result, SH.sourceConstraintComponent, ZERO_FOCUS))
    report.add((result, SH.resultMessage, Literal(
        f"The shape {shape} ({label or 'no label'}) selected no focus node, so it checked nothing: "
        "a pass that evaluated nothing is not a pass. Check that the data holds what the shape targets, "
        "or validate the files together with the rest of the graph"
    )))
    for verdict in report.subjects(RDF.type, SH.ValidationReport):
        report.add((verdict, SH.result, result))


def _finding(report: Graph, data: Graph, node) -> Finding:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    return Finding(
        severity=SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
        shape=str(report.value(node, SH.sourceShape)),
        focus=str(focus),
        focus_label=_label(data, focus),
        path=_path_text(data, path),
        value=None if value is None else (value.n3() if isinstance(value, Literal) else str(value)),
        message=_compact(data, messages[0]) if messages else "",
        component=str(report.value(node, SH.sourceConstraintComponent)),
        value_label=_label(data, value) if isinstance(value, URIRef) else "",
    )


def _compact(data: Graph, text: str) -> str:
    """Messages name nodes by full IRI; write those of known namespaces as CURIEs."""

    def curie(match: re.Match) -> str:
        try:
            return data.namespace_manager.curie(match.group(0), generate=False)
        except (ValueError, KeyError):
            return match.group(0)

    return re.sub(r"https?://[^\s\"<>(){}]+[^\s\"<>(){}.,;:]", curie, text)


def _label(data: Graph, node) -> str:
    """The node's label; of several (an error the report names), the first in code-point order,
    so that the report does not depend on the order the triples were read in."""
    labels = sorted(str(label) for label in data.objects(node, RDFS.label)) if node is not None else []
    return labels[0] if labels else ""


def _path_text(data: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        try:
            return data.namespace_manager.curie(str(path), generate=False)
        except (ValueError, KeyError):
            return str(path)
    return "(complex path)"


def sort_key(finding: Finding) -> tuple:
    """The order of a report: most severe first, then by shape, node, value and path, and
    then by everything else a finding holds, so that no two findings tie."""
    f = finding
    return (_rank(f.severity), f.shape, f.focus, f.value or "", f.path or "", f.message, f.component, f.focus_label, f.value_label)


def _rank(severity: str) -> int:
    return ["Violation", "Warning", "Info"].index(severity) if severity in ("Violation", "Warning", "Info") else 3

