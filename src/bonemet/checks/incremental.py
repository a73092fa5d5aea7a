"""Validation that grows with the change: each unit's results kept in the user's cache.

The graph is split into units (:mod:`bonemet.checks.units`: one per source document, one
for what is shared). Each unit is validated on its own graph, the vocabulary added, by
the same checks as the whole graph (:func:`bonemet.checks.validation.check`: units are
checked in batches, each loaded into Oxigraph and checked there as the whole graph is,
or with rdflib and pySHACL should it hold a term the store would rewrite); its results
are kept in ``$XDG_CACHE_HOME/bonemet/validation/`` under a key that hashes everything
they depend on: the unit's triples and those it reads beyond them (the entities it
names), the text of its documents, the derived layer it is checked with, the bytes of
the vocabulary, the shapes and the rules, bonemet's own source and the versions of
pySHACL, rdflib, pyoxigraph and Python. A unit whose key is kept is not validated again;
a changed page changes the key of its unit only. The whole-graph checks that no unit can
answer alone (labels unique within their class, one record per fact triple, ...) run on
the whole graph each time, one Oxigraph query each, as does the zero-focus check (a
shape that selects nothing in any unit).

After a run on N-Triples data, a snapshot of the split is kept (:mod:`bonemet.checks.snapshot`):
the next run reads which lines changed beside the copy of the file, and when the changed
triples are literals of pages' nodes that neither decide the split nor can be read by a
whole-graph check or rule (:mod:`bonemet.checks.footprint`), only the units they touch
are rebuilt from the snapshot and validated; the graph is not loaded or split at all.
Anything else is declined, and the graph is split again.

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
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from bonemet import paths, progress
from bonemet.checks import units as unitsplit
from bonemet.checks.validation import Finding, Report, check, load_shapes, source_text
from bonemet.digest import hash_bytes, hash_pieces
from bonemet.errors import InputError, OutputError
from bonemet.inputs import RDF_FORMATS, read_input
from bonemet.namespaces import BM, VOCABULARY_IRI, new_graph

#: Names the layout of a cache entry; a new layout gets a new name, so no old entry is read.
LAYOUT = "bonemet validation cache 1"

#: About how many triples the units validated together hold: the fixed cost of a run of
#: the Core shapes (core.py's queries, or pySHACL) is paid once per batch, not once per page.
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
    digests = [hash_bytes(data) for _path, data in sources]  # each file's bytes hashed once
    whole_key = hash_pieces([*context, *(piece for (path, _data), digest in zip(sources, digests) for piece in (str(path.resolve()), digest))])
    kept_report = _kept_report(folder, sources, whole_key, strict)
    if kept_report is not None:
        if stats is not None:
            stats.update(units=kept_report[1], validated=0)
        return kept_report[0]
    again = _again(folder, sources, digests, context, whole_key, strict, stats)
    if again is not None:
        return again
    try:
        store, roots, counts = _load(sources)
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
    results: dict = {}
    keys: dict = {}
    todo = []
    for unit in parts:
        key = keys[unit.name] = _key(context, unit, texts)
        kept = _read(folder, key) if key is not None else None
        if kept is None:
            todo.append((unit, key))
        else:
            results[unit.name] = kept
    _validate_todo(todo, folder, results, shapes, vocabulary_rdflib, roots, shared)
    if stats is not None:
        stats.update(units=len(parts), validated=len(todo))

    # the whole-graph checks no unit answers alone, on the whole graph, and the shapes
    # that selected nothing in any unit: the report's tail
    progress.step("running the whole-graph checks")
    unfocused = _unfocused(results[unit.name]["unfocused"] for unit in parts)
    tail = _tail_graph()
    wholegraph.run([c for c in shared.split[1] if c.shape not in PER_UNIT], store, tail, union=True)
    for shape in unfocused:
        validation._add_zero_focus_result(tail, shapes, URIRef(shape))
    labels = _labels_graph(store, tail, set())
    tail_findings = [validation._finding(tail, labels, node) for node in tail.objects(None, SH.result)]
    report = _assemble([results[unit.name] for unit in parts], tail, tail_findings, unfocused, strict, len(data))
    _keep_report(folder, sources, whole_key, report, len(parts), texts, roots)
    _prune(folder / "validation")
    _write_snapshot(folder, sources, digests, context, parts, keys, results, store, counts, texts, roots, (tail, tail_findings, unfocused), len(data))
    return report


def _validate_todo(todo: list, folder: Path, results: dict, shapes: Graph, vocabulary: Graph, roots: dict, shared) -> None:
    """Validate the units of ``todo`` ((unit, key) pairs), their results into ``results``
    by name and into the cache where they have a key."""
    batches = _batches(todo, BATCH)
    for batch, kept_list in zip(batches, _validate_batches(batches, shapes, vocabulary, roots, shared)):
        for (unit, key), kept in zip(batch, kept_list):
            results[unit.name] = kept
            if key is not None:
                _write(folder, key, kept)


def _unfocused(lists) -> list[str]:
    """The shapes that selected nothing in every unit (each unit's list given)."""
    found = None
    for missing in lists:
        found = set(missing) if found is None else found & set(missing)
    return sorted(found or ())


def _tail_graph() -> Graph:
    from rdflib import BNode

    graph = Graph()
    graph.add((BNode(), RDF.type, SH.ValidationReport))
    return graph


def _assemble(kept_list: list, tail: Graph, tail_findings: list, unfocused: list, strict: bool, triples: int) -> Report:
    """The report: each unit's results (``kept_list``, in unit order), then the tail (the
    whole-graph and zero-focus results and their findings), over ``triples`` triples."""
    found = [Finding(*finding) for kept in kept_list for finding in kept["findings"]]
    found.extend(tail_findings)
    report_graph = _merged([*(kept["report"] for kept in kept_list), tail])
    from bonemet.checks import validation

    findings = sorted(_first_of_each_unknown(found, report_graph), key=validation.sort_key)
    report = Report(findings, strict, report_graph, triples, [URIRef(s) for s in unfocused])
    for verdict in list(report_graph.subjects(RDF.type, SH.ValidationReport)):
        report_graph.set((verdict, SH.conforms, Literal(not findings)))
        report_graph.set((verdict, BM.accepted, Literal(report.conforms)))
    return report


def _write_snapshot(folder: Path, sources, digests: list, context: list, parts: list, keys: dict, results: dict, store,
                    counts: dict, texts: dict, roots: dict, tail_parts: tuple, triples: int) -> None:
    """Keep what the next validation of the same files needs to start from this one
    (:mod:`bonemet.checks.snapshot`): only when a data file is N-Triples with one triple per
    line, whose changed lines it can read, and every unit has a key."""
    import pyoxigraph

    from bonemet.checks import snapshot

    data_sources = sources[1:]
    files = []
    for (path, data), digest in zip(data_sources, digests[1:]):
        repeated = _repeated_triples(data, counts[path]) if path in counts else None
        files.append({"path": str(path.resolve()), "digest": digest, "copy": repeated is not None, "repeated": repeated or [],
                      "base": digest, "size": len(data), "patch": None})
    if not any(f["copy"] for f in files) or any(keys[unit.name] is None for unit in parts):
        return
    progress.step("keeping a snapshot for the next validation")
    tail, tail_findings, unfocused = tail_parts
    footprint = _footprint(folder, context)
    if len(data_sources) == 1:
        subjects_by_file = None
    else:
        subjects_by_file = [{q.subject for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(path.resolve().as_uri()))}
                            for path, _data in data_sources]
    rows, nodes = [], []
    for unit in parts:
        kept = results[unit.name]
        row = {"name": unit.name, "key": keys[unit.name], "unfocused": kept["unfocused"], "results": _has_results(kept),
               "files": [0] if subjects_by_file is None else [i for i, subjects in enumerate(subjects_by_file) if not subjects.isdisjoint(unit.members)]}
        if unit.name != unitsplit.SHARED:
            row["own"] = "\n".join(str(t) for t in unit.triples[: unit.own])
            row["extra"] = "\n".join(str(t) for t in unit.triples[unit.own:])
            row["members"] = "\n".join(str(m) for m in unit.members)
            nodes.extend((str(m), unit.name) for m in unit.members)
        rows.append(row)
    verdict = Graph()  # what a unit without results reports: the verdict alone
    first = results[parts[0].name]["report"]
    for node in first.subjects(RDF.type, SH.ValidationReport):
        for triple in _verdict(first, node):
            verdict.add(triple)
    meta = {
        "context": hash_pieces(context), "files": files, "triples": triples, "footprint": footprint.dump(),
        "sets": footprint.sets(store), "texts": _text_checks(texts, roots), "verdict": verdict.serialize(format="nt"),
        "unfocused": unfocused, "tail": tail.serialize(format="nt"), "tail_findings": [list(f.__dict__.values()) for f in tail_findings],
    }
    copies = {f["digest"]: data for f, (_path, data) in zip(files, data_sources) if f["copy"]}
    snapshot.write(snapshot.folder_for(folder, [path for path, _data in sources]), meta, rows, nodes, copies)


def _footprint(folder: Path, context: list):
    """The footprint of the whole-graph checks and the rules, kept in the cache under the
    hash of the shapes, rules and code (reading it from the queries costs rdflib's SPARQL
    parser, most of a second)."""
    from bonemet.checks import wholegraph
    from bonemet.checks.footprint import Footprint
    from bonemet.derivation import rules

    file = folder / "validation" / f"footprint-{hash_pieces(context, size=8)}.json"
    try:
        kept = json.loads(read_input(file))
        if kept["layout"] == LAYOUT and kept["key"] == hash_pieces(context) and kept["summed"] == _summed(kept["patterns"]):
            return Footprint.load(kept["patterns"])
    except (InputError, ValueError, UnicodeDecodeError, KeyError, TypeError):
        pass
    queries = [c.query for c in wholegraph.split(load_shapes())[1] if c.shape not in PER_UNIT] + [r.query for r in rules()]
    footprint = Footprint.of(queries)
    patterns = footprint.dump()
    _write_entry(file, {"layout": LAYOUT, "key": hash_pieces(context), "patterns": patterns, "summed": _summed(patterns)})
    return footprint


def _has_results(kept: dict) -> bool:
    return bool(kept["findings"]) or any(True for _ in kept["report"].objects(None, SH.result))


def _repeated_triples(data: bytes, distinct: int) -> list[str] | None:
    """The triples that N-Triples ``data`` (of ``distinct`` distinct triples) writes more
    than once, when every such triple is written the same way each time: each other
    triple is then on one line of its own, and a changed line is a triple added or taken
    away. None when some triple is written two ways (its lines cannot be told apart)."""
    if data.count(b"\r") != data.count(b"\r\n"):
        return None  # a carriage return alone also ends a line: lines are not what \n splits
    counted = Counter(line for line in data.split(b"\n") if line.strip() and not line.lstrip().startswith(b"#"))
    if len(counted) != distinct:
        return None
    again = b"\n".join(line for line, times in counted.items() if times > 1)
    triples = _parse_lines(again, blank_nodes=True) if again else []
    return None if triples is None else sorted(str(t) for t in triples)


def _parse_lines(data: bytes, blank_nodes: bool = False) -> list | None:
    """The triples of N-Triples ``data``, one per line that holds one, each as the store
    keeps it (:func:`_as_stored`); None when it is not N-Triples or names a blank node
    (unless ``blank_nodes``)."""
    import pyoxigraph

    try:
        triples = list(pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError, OSError):
        return None
    if not blank_nodes and any(isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode) for t in triples):
        return None
    return _as_stored(triples)


def _parse_kept(lines: list[str]) -> list:
    """The triples of a snapshot's lines (pyoxigraph's text of each triple, without the dot)."""
    return _parse_lines("".join(line + " .\n" for line in lines).encode())


def _as_stored(triples: list) -> list:
    """``triples`` as an Oxigraph store gives them back, which is how the units' triples
    were read: literals in canonical form ("01"^^xsd:integer is "1"), language tags in
    lower case. Two lines that differ only so are one triple."""
    import pyoxigraph

    literals = list(dict.fromkeys(t for t in triples if isinstance(t.object, pyoxigraph.Literal)))
    if not literals:
        return triples
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(f"urn:bonemet:line:{n}"))
                 for n, t in enumerate(literals))
    stored = {}
    for quad in store:
        stored[literals[int(quad.graph_name.value.rsplit(":", 1)[1])]] = quad.triple
    return [stored.get(t, t) for t in triples]


def _again(folder: Path, sources, digests: list, context: list, whole_key: str, strict: bool, stats: dict | None) -> Report | None:
    """The report from the snapshot the last validation of these files kept, when what
    changed since (some lines of one N-Triples file, some texts) leaves all but a few
    units as they were; None when it cannot tell, and the caller splits the graph again."""
    from bonemet.checks import snapshot

    kept = snapshot.open_snapshot(snapshot.folder_for(folder, [path for path, _data in sources]))
    if kept is None:
        return _declined(stats, "none")
    try:
        return _from_snapshot(kept, folder, sources, digests, context, whole_key, strict, stats)
    except Exception as error:  # a damaged or foreign snapshot: split again, as if there were none
        return _declined(stats, f"unreadable ({type(error).__name__})")
    finally:
        kept.close()


def _declined(stats: dict | None, reason: str) -> None:
    """No report from the snapshot, and why (in ``stats["snapshot"]``, and in the progress
    a long run shows)."""
    if stats is not None:
        stats["snapshot"] = reason
    if reason != "none":
        progress.step(f"the last run's snapshot cannot serve ({reason}): splitting the graph again")
    return None


def _from_snapshot(kept, folder: Path, sources, digests: list, context: list, whole_key: str, strict: bool, stats: dict | None) -> Report | None:
    import pyoxigraph

    from bonemet.checks import snapshot, wholegraph
    from bonemet.checks.footprint import Footprint

    meta = kept.meta
    data_sources = sources[1:]
    if meta["context"] != hash_pieces(context) or [f["path"] for f in meta["files"]] != [str(p.resolve()) for p, _d in data_sources]:
        return _declined(stats, "the vocabulary, shapes, rules, code or files differ")
    progress.step("reading what changed since the last validation")
    files = [dict(f) for f in meta["files"]]
    copies: dict = {}
    removed: set = set()
    added: set = set()
    changed_file = None
    for number, (entry, (_path, data), digest) in enumerate(zip(files, data_sources, digests[1:])):
        if digest == entry["digest"]:
            continue
        base = kept.copy(entry["base"], entry["size"]) if changed_file is None and entry["copy"] else None
        if base is None:
            return _declined(stats, "a second file changed, or one whose lines cannot be read")
        changed_file = number
        # the lines that changed since the last run: those between the last run's change
        # and this one's, both counted from the copy (the bytes of the run that wrote it)
        before_bytes, after_bytes, patch = snapshot.since(base, entry["patch"], data)
        old_part, new_part = _parse_lines(before_bytes), _parse_lines(after_bytes)
        if old_part is None or new_part is None:
            return _declined(stats, "the changed lines are not N-Triples without blank nodes")
        before, after = Counter(old_part), Counter(new_part)
        removed = {t for t in before if after[t] < before[t]}
        added = {t for t in after if after[t] > before[t]}
        repeated = set(entry["repeated"])
        if any(str(t) in repeated for t in [*removed, *added]) or any(n > 1 and t not in before for t, n in after.items()):
            return _declined(stats, "a changed triple is written on more than one line")
        entry["digest"] = digest
        if patch is not None and len(patch[2]) > snapshot.LARGEST_PATCH:
            copies[digest] = data  # a new copy, rather than a long list of changes
            entry.update(base=digest, size=len(data), patch=None)
        else:
            entry["patch"] = patch

    # the texts: each read again; a changed one is a changed bm:sourceText triple
    texts: dict = {}
    text_rows, text_changes = [], []
    for iri, relative, root, digest in meta["texts"]:
        text, now = _text_again(iri, relative, root)
        texts[(pyoxigraph.NamedNode(iri), relative)] = text
        text_rows.append([iri, relative, root, now])
        if now != digest:
            text_changes.append((iri, digest, text))
    roots = {URIRef(iri): Path(root) for iri, _relative, root, _digest in meta["texts"] if root}

    vocabulary_path, vocabulary_bytes = sources[0]
    # as the store the full run loaded it into gives it back
    vocabulary = _as_stored(list(pyoxigraph.parse(input=vocabulary_bytes, format=pyoxigraph.RdfFormat.TURTLE,
                                                  base_iri=vocabulary_path.resolve().as_uri())))
    # a change to these is never taken from a snapshot: what decides the split, and the
    # computed properties (their values are taken out of the graph before the rules run)
    computed = pyoxigraph.NamedNode(str(BM.ComputedProperty))
    split_predicates = unitsplit.split_predicates(vocabulary) | {
        t.subject.value for t in vocabulary if t.predicate.value == str(RDF.type) and t.object == computed}
    by_unit: dict = {}
    for triple in [*removed, *added]:
        if not isinstance(triple.object, pyoxigraph.Literal) or triple.predicate.value in split_predicates:
            return _declined(stats, "a changed triple may change how the graph splits, or what another unit reads")
        name = kept.unit_of(str(triple.subject))
        if name is None:
            return _declined(stats, "a changed triple is about a node of the shared unit, or a new node")
        by_unit.setdefault(name, ([], []))[triple in added].append(triple)
    source_text_ = pyoxigraph.NamedNode(str(BM.sourceText))
    text_triples = []
    by_text: dict = {}
    for iri, before, text in text_changes:
        name = kept.unit_of(f"<{iri}>")
        if name is None:
            return _declined(stats, "a changed text belongs to a document of the shared unit")
        by_unit.setdefault(name, ([], []))
        by_text.setdefault(name, []).append(iri)
        if before is not None:
            text_triples.append((pyoxigraph.NamedNode(iri), source_text_, None))  # the old text, not kept: any literal
        if text is not None:
            text_triples.append((pyoxigraph.NamedNode(iri), source_text_, pyoxigraph.Literal(text)))
    footprint = Footprint.load(meta["footprint"])
    graph_changes = [(t.subject, t.predicate, t.object) for t in [*removed, *added]]
    if footprint.touched([*graph_changes, *text_triples], meta["sets"]):
        return _declined(stats, "a whole-graph check or a rule reads a changed triple")

    units = kept.units()
    by_name = {unit["name"]: unit for unit in units}
    rebuilt, own_text = [], {}
    for name, (gone, new) in sorted(by_unit.items()):
        unit = by_name[name]
        if name == unitsplit.SHARED or unit["key"] is None or ((gone or new) and unit["files"] != [changed_file]):
            return _declined(stats, "a changed triple is in the shared unit, a unit with blank nodes, or a unit of several files")
        own, extra, members = kept.graph(name)
        if any(str(t.subject) not in members for t in [*gone, *new]) or any(f"<{iri}>" not in members for iri in by_text.get(name, ())):
            return _declined(stats, "the snapshot's index of nodes does not match its units")
        lines = own.split("\n") if own else []
        present = set(lines)
        for triple in gone:
            if str(triple) not in present:
                return _declined(stats, "a triple taken away was not the unit's")
            present.discard(str(triple))
        for triple in new:
            if str(triple) in present:
                return _declined(stats, "a triple added was there already")
        lines = [line for line in lines if line in present] + sorted(str(t) for t in new)
        own_triples = _parse_kept(lines)
        subjects = {t.subject for t in own_triples}
        if any(t.subject not in subjects for t in gone):
            return _declined(stats, "a node lost its last triple")
        extra_triples = _parse_kept(extra.split("\n")) if extra else []
        nodes = frozenset(pyoxigraph.NamedNode(term[1:-1]) for term in members)
        rebuilt.append(unitsplit.Unit(name, own=len(own_triples), triples=own_triples + extra_triples, members=nodes))
        own_text[name] = "\n".join(lines)

    progress.step(f"validating {len(rebuilt)} changed unit(s) of {len(units)}")
    shapes = load_shapes()
    shared = _Shared(vocabulary, wholegraph.split(shapes), shapes)
    vocabulary_rdflib = _rdflib_graph(vocabulary)
    results: dict = {}
    keys: dict = {}
    todo = []
    for unit in rebuilt:
        key = keys[unit.name] = _key(context, unit, texts)
        found = _read(folder, key)
        if found is None:
            todo.append((unit, key))
        else:
            results[unit.name] = found
    _validate_todo(todo, folder, results, shapes, vocabulary_rdflib, roots, shared)
    unfocused = _unfocused(results[u["name"]]["unfocused"] if u["name"] in results else u["unfocused"] for u in units)
    if unfocused != meta["unfocused"]:
        return _declined(stats, "the zero-focus results would change")
    verdict = Graph()
    verdict.parse(data=meta["verdict"], format="nt")
    kept_list = []
    for unit in units:
        if unit["name"] in results:
            kept_list.append(results[unit["name"]])
        elif unit["results"]:
            found = _read(folder, unit["key"])
            if found is None:
                return _declined(stats, "a unit's kept results were pruned")
            kept_list.append(found)
        else:
            kept_list.append({"findings": [], "report": verdict, "unfocused": unit["unfocused"]})
    tail = Graph()
    tail.parse(data=meta["tail"], format="nt")
    triples = meta["triples"] + len(added) - len(removed)
    report = _assemble(kept_list, tail, [Finding(*f) for f in meta["tail_findings"]], unfocused, strict, triples)
    _keep_report(folder, sources, whole_key, report, len(units), texts, roots)
    changed_predicates = {t.predicate.value for t in [*removed, *added]} | ({source_text_.value} if text_triples else set())
    sets = {name: terms for name, terms in meta["sets"].items() if _set_predicate(name) not in changed_predicates}
    kept.update([{"name": unit.name, "key": keys[unit.name], "own": own_text[unit.name], "unfocused": results[unit.name]["unfocused"],
                  "results": _has_results(results[unit.name])} for unit in rebuilt],
                {"files": files, "triples": triples, "texts": text_rows, "sets": sets}, copies)
    if stats is not None:
        stats.update(units=len(units), validated=len(todo), snapshot="used")
    return report


def _set_predicate(name: str) -> str:
    """The predicate whose triples a footprint's set of terms was read from."""
    kind, iri = name.split(" ", 1)
    return str(RDF.type) if kind == "typed" else iri


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
        checks.append([str(iri), relative, folder, _text_digest(text)])
    return checks


def _text_digest(text: str | None) -> str | None:
    return None if text is None else hash_pieces([text])


def _text_again(iri: str, relative: str, root: str) -> tuple:
    """A local copy read again as :func:`_text_checks` recorded where it was looked for:
    its text (None if it cannot be read) and that text's digest."""
    text = source_text(URIRef(iri), relative, {URIRef(iri): Path(root)} if root else {})
    return text, _text_digest(text)


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
            if _text_again(iri, relative, root)[1] != digest:
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
    split into the Core shapes and the whole-graph checks."""

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
        """The Core shapes for ``data``: those whose targets select no node ``holds``
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
    """An Oxigraph store holding each file in a named graph of its own (its file IRI), the
    folder each source document's local copy is read from (that of the first file that
    names it, as :func:`bonemet.checks.validation.validate` reads it), and how many
    distinct triples each N-Triples file holds (by file)."""
    import pyoxigraph

    from bonemet.terms import from_oxigraph

    store = pyoxigraph.Store()
    roots: dict = {}
    counts: dict = {}
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
        if fmt == "N_TRIPLES":
            counts[path] = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    return store, roots, counts


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
    from bonemet.storeview import Faithful, StoreView
    from bonemet.terms import from_oxigraph, to_oxigraph

    triples = list(dict.fromkeys(t for unit in batch for t in unit.triples))
    layer = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for unit in batch for t in unit.layer]
    # the batch's graph in Oxigraph, checked there (the Core shapes by checks/core.py, the
    # passes through a view of it), as the whole validation checks it; a term the store
    # would not give back as written sends the batch to rdflib and pySHACL, as it does there
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in [*context.vocabulary, *triples]]
    store = pyoxigraph.Store()
    screen = Faithful()
    store.extend(screen(quads))
    if screen.kept:
        data = StoreView(store)
    else:
        data = _rdflib_graph(triples, base=vocabulary)
        store = pyoxigraph.Store()  # the whole batch, for the whole-graph checks a unit answers alone
        store.extend(quads)
    # a document's unit first: the shared unit holds whatever no document's unit holds
    owners = sorted(batch, key=lambda unit: unit.name == unitsplit.SHARED)

    def owner(node):
        return next((unit for unit in owners if unit.holds(node)), None)

    core = context.core_for(lambda node: owner(node) is not None, data)
    report = check(data, shapes, text_roots=roots, vocabulary=vocabulary, layer=layer, whole_graph=PER_UNIT,
                   zero_focus=False, split=(core, context.split[1]), store=store, unknown_once=False, fork=False)
    graph = report.report_graph
    verdict = next(graph.subjects(RDF.type, SH.ValidationReport))
    kept = {unit.name: {"findings": [], "report": Graph(), "unfocused": context.unfocused(unit)} for unit in batch}
    for entry in kept.values():
        for triple in _verdict(graph, verdict):
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
    if kept.get("summed") != _summed([kept.get("findings"), kept.get("unfocused"), kept.get("report")]):
        return None  # altered since it was written
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
    entry["summed"] = _summed([entry["findings"], entry["unfocused"], entry["report"]])
    _write_entry(_entry_file(folder, key), entry)


def _summed(value) -> str:
    """A hash of what a cache entry holds, checked when it is read: an entry altered since
    (a flipped byte in a message) is not used."""
    return hash_pieces([json.dumps(value)], size=16)


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
    """Keep the :data:`KEPT` newest units' entries, and the :data:`REPORTS` newest reports
    and footprints."""
    import os

    try:
        entries = [(entry.stat().st_mtime_ns, entry.path) for sub in os.scandir(folder) if sub.is_dir()
                   for entry in os.scandir(sub.path) if entry.name.endswith(".json")]
        reports = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                   if entry.name.startswith("report-") and entry.name.endswith(".json")]
        footprints = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                      if entry.name.startswith("footprint-") and entry.name.endswith(".json")]
        for kept, limit in ((entries, KEPT), (reports, REPORTS), (footprints, REPORTS)):
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
                for triple in _verdict(graph, node):
                    merged.add(triple)
        for result in graph.objects(None, SH.result):
            merged.add((report, SH.result, result))
            for triple in _tree(graph, result, skip=SHARED_NODES):
                merged.add(triple)
            for prop in SHARED_NODES:
                for node in graph.objects(result, prop):
                    if isinstance(node, BNode):
                        # pySHACL writes one node for the path (or the SPARQL constraint) of
                        # all the results of a shape
                        key = (prop, graph.value(result, SH.sourceShape), _signature(graph, node))
                        if key not in paths:
                            paths[key] = node
                            for triple in _tree(graph, node):
                                merged.add(triple)
                        node = paths[key]
                    merged.add((result, prop, node))
    if report is None:
        report = BNode()
        merged.add((report, RDF.type, SH.ValidationReport))
    return merged


def _verdict(graph: Graph, node) -> list:
    """What a report ``node`` says but its results."""
    return [triple for triple in graph.triples((node, None, None)) if triple[1] != SH.result]


#: The properties of a result whose blank node pySHACL shares among a shape's results.
SHARED_NODES = (SH.resultPath, SH.sourceConstraint)


def _tree(graph: Graph, node, skip=()) -> list:
    """The triples of ``node`` and of the blank nodes they lead to (not through ``node``'s
    own properties in ``skip``)."""
    from rdflib import BNode

    found, todo, seen = [], [node], {node}
    while todo:
        for triple in graph.triples((todo.pop(), None, None)):
            if triple[1] in skip and triple[0] == node:
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
