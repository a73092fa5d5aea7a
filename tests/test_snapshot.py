"""Validating again from the snapshot the last validation kept (bonemet.checks.snapshot):
when some lines of an N-Triples file or some texts changed, only the units they touch
are validated, without splitting the graph again. The report must still be the one the
whole validation gives on the same files; a change the snapshot cannot vouch for (one
that may change how the graph splits, or what a whole-graph check or rule reads) is
declined, and the graph is split again.

The corpus is N-Triples, one triple per line; edits are made to its lines."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph
import pytest

from bonemet import paths
from bonemet.checks import incremental, snapshot
from bonemet.checks.footprint import Footprint
from test_incremental import _module, assert_same, synthetic_corpus

ROOT = Path(__file__).resolve().parents[1]
NT = "bonemet-synthetic.nt"
BMR = "https://w3id.org/bonemet/id/"
BM = "https://w3id.org/bonemet/vocab#"


@pytest.fixture(scope="module")
def corpus_nt(tmp_path_factory):
    """The four documents in one N-Triples file, one triple per line."""
    return synthetic_corpus(tmp_path_factory, "nt")


@pytest.fixture
def folder(corpus_nt, tmp_path, monkeypatch):
    """A copy of the corpus, validated once (its snapshot kept), in a cache of its own."""
    copy = tmp_path / "data"
    shutil.copytree(corpus_nt, copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    stats: dict = {}
    assert_same([copy / NT], stats)
    assert stats["validated"] == stats["units"]
    return copy


def _lines(folder: Path) -> list[bytes]:
    return (folder / NT).read_bytes().split(b"\n")


def _write(folder: Path, lines: list[bytes]) -> None:
    (folder / NT).write_bytes(b"\n".join(lines))


def _edit_line(folder: Path, needle: bytes, change, which: int = 0) -> bytes:
    """Change the ``which``-th line holding ``needle``; the old line."""
    lines = _lines(folder)
    found = [i for i, line in enumerate(lines) if needle in line]
    assert found, needle
    number = found[which]
    old = lines[number]
    lines[number:number + 1] = change(old)
    _write(folder, lines)
    return old


def _quote_changed(line: bytes) -> list[bytes]:
    return [line[: line.rindex(b'"')] + b' (edited)"' + line[line.rindex(b'"') + 1:]]


def _validate_again(folder: Path) -> dict:
    stats: dict = {}
    assert_same([folder / NT], stats)
    return stats


def test_a_snapshot_is_kept_for_an_n_triples_corpus(folder, tmp_path):
    kept = list((tmp_path / "cache" / "bonemet" / "validation" / "snapshots").glob("*/state.sqlite"))
    assert len(kept) == 1
    copies = list(kept[0].parent.glob("copy-*.nt"))
    assert len(copies) == 1 and copies[0].read_bytes() == (folder / NT).read_bytes()


def test_an_edited_quote_validates_its_page_only_from_the_snapshot(folder):
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed, which=7)
    stats = _validate_again(folder)
    assert stats == {"units": 5, "validated": 1, "snapshot": "used"}
    # and once more, from the snapshot the last run changed: the edit undone
    _edit_line(folder, b"(edited)", lambda line: [line.replace(b" (edited)", b"")])
    assert _validate_again(folder) == {"units": 5, "validated": 0, "snapshot": "used"}  # its results were kept


def test_two_pages_edited_at_once(folder):
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed, which=1)
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed, which=-1)
    stats = _validate_again(folder)
    assert stats["snapshot"] == "used" and stats["validated"] == 2


# --- changes the snapshot can vouch for -------------------------------------------------


def _drop(line: bytes) -> list[bytes]:
    return []


def _comment(line: bytes) -> list[bytes]:
    return [b"# a comment", line, b""]


def _note(line: bytes) -> list[bytes]:
    subject = line.split(b" ")[0]
    return [line, subject + b' <http://www.w3.org/2000/01/rdf-schema#comment> "a note" .']


def _swap_with_next(folder: Path) -> None:
    lines = _lines(folder)
    number = next(i for i, line in enumerate(lines) if b"/vocab#leadIn> \"" in line)
    lines[number], lines[number + 1] = lines[number + 1], lines[number]
    _write(folder, lines)


def _text_edited(folder: Path) -> None:
    path = folder / "synthetic-sources" / "doc-000002.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("cancer", "cancre", 1), encoding="utf-8")


def _text_removed(folder: Path) -> None:
    (folder / "synthetic-sources" / "doc-000003.txt").unlink()


USED = {
    "a quote taken away": lambda f: _edit_line(f, b"/vocab#quote> \"", _drop, which=3),
    "a lead-in changed": lambda f: _edit_line(f, b"/vocab#leadIn> \"", _quote_changed),
    "a comment and a blank line": lambda f: _edit_line(f, b"/vocab#quote> \"", _comment),
    "a triple of a page's node added": lambda f: _edit_line(f, b"/vocab#quote> \"", _note, which=2),
    "two lines swapped": _swap_with_next,
    "a checksum changed": lambda f: _edit_line(f, b"/vocab#sha256> \"", lambda l: [l.replace(b'"', b'"0', 1)]),
    "a date made ill-typed": lambda f: _edit_line(f, b"/vocab#lastReviewed> \"", lambda l: [l.replace(b'"', b'"x', 1)]),
    "an integer written with a leading zero": lambda f: _edit_line(f, b"/vocab#quote> \"", lambda l: [
        l, l.split(b" ")[0] + b' <http://www.w3.org/2000/01/rdf-schema#comment> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .']),
    "a language tag in capitals": lambda f: _edit_line(f, b"/vocab#quote> \"", lambda l: [l[: l.rindex(b'"') + 1] + b"@EN-GB ."]),
    "a page's text edited": _text_edited,
    "a page's text taken away": _text_removed,
}


@pytest.mark.parametrize("name", list(USED))
def test_a_change_read_from_the_snapshot(name, folder):
    USED[name](folder)
    stats = _validate_again(folder)
    assert stats["snapshot"] == "used", stats
    assert stats["validated"] <= 1


# --- changes it declines: the graph is split again ---------------------------------------


def _new_entity(folder: Path) -> None:
    lines = _lines(folder)
    lines.append(b'<https://w3id.org/bonemet/id/new-thing> <http://www.w3.org/2000/01/rdf-schema#comment> "new" .')
    _write(folder, lines)


DECLINED = {
    "a label changed": (lambda f: _edit_line(f, b"/rdf-schema#label> \"", _quote_changed, which=40), "split"),
    "a type taken away": (lambda f: _edit_line(f, b"/vocab#Fact> .", _drop), "split"),
    "a plain fact triple taken away": (lambda f: _edit_line(f, b"/vocab#metastasizesTo> <", _drop), "split"),
    "a record's object changed": (lambda f: _edit_line(f, b"/22-rdf-syntax-ns#object> <", lambda l: [l.replace(b"> .", b"x> .")]), "split"),
    "a new node": (_new_entity, "shared unit, or a new node"),
    "a curator mark changed": (lambda f: _edit_line(f, b"/vocab#curatorAdded> \"", lambda l: [l.replace(b"true", b"false")]), "shared unit"),
    "a blank node": (lambda f: _edit_line(f, b"/vocab#quote> \"", lambda l: [l, l.split(b" ")[0] + b" <http://www.w3.org/2000/01/rdf-schema#seeAlso> _:b1 ."]), "blank nodes"),
    "a line made malformed": (lambda f: _edit_line(f, b"/vocab#quote> \"", lambda l: [l[:-2]]), "N-Triples"),
}


@pytest.mark.parametrize("name", list(DECLINED))
def test_a_change_the_snapshot_declines(name, folder):
    edit, reason = DECLINED[name]
    edit(folder)
    if name == "a line made malformed":
        from bonemet.errors import InputError

        with pytest.raises(InputError):
            incremental.validate([folder / NT])
        return
    stats = _validate_again(folder)
    assert stats["snapshot"] != "used" and reason in stats["snapshot"], stats


def test_a_whole_graph_check_reading_a_changed_predicate_declines_it(folder, monkeypatch):
    """A predicate the checks do not read today is read by a new whole-graph check: the
    footprint kept with the snapshot is of the old checks, but the shapes are in the key."""
    shapes = paths.shapes_file().read_text(encoding="utf-8")
    extra = shapes + (
        "\nbmsh:LeadInKnownShape a sh:NodeShape ; sh:targetNode <https://w3id.org/bonemet/vocab> ;\n"
        "  sh:sparql [ a sh:SPARQLConstraint ; sh:message \"lead-in {?value}\" ; sh:prefixes bmsh: ;\n"
        "    sh:select \"\"\"SELECT $this ?value WHERE { ?value bm:leadIn ?x . FILTER (CONTAINS(?x, \"(edited)\")) }\"\"\" ] .\n")
    other = folder.parent / "shapes.ttl"
    other.write_text(extra, encoding="utf-8")
    monkeypatch.setattr(paths, "shapes_file", lambda: other)
    incremental.validate([folder / NT])  # a new snapshot, under the new shapes
    _edit_line(folder, b"/vocab#leadIn> \"", _quote_changed)
    stats = _validate_again(folder)
    assert "whole-graph check or a rule" in stats["snapshot"]


# --- never stale -----------------------------------------------------------------------------


def _state(tmp_path: Path) -> Path:
    return next((tmp_path / "cache" / "bonemet" / "validation" / "snapshots").glob("*/state.sqlite"))


def test_a_damaged_copy_is_not_read(folder, tmp_path):
    copy = next(_state(tmp_path).parent.glob("copy-*.nt"))
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 1
    copy.write_bytes(bytes(data))
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed)
    stats = _validate_again(folder)
    assert stats["snapshot"] != "used"


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated", "foreign layout", "unit graph altered", "node index altered", "meta altered"])
def test_a_damaged_snapshot_is_split_again(damage, folder, tmp_path):
    state = _state(tmp_path)
    if damage == "garbage":
        state.write_bytes(b"not a database" * 100)
    elif damage == "empty":
        state.write_bytes(b"")
    elif damage == "truncated":
        state.write_bytes(state.read_bytes()[:4096])
    else:
        with sqlite3.connect(state) as connection:
            if damage == "foreign layout":
                connection.execute("UPDATE meta SET value = '\"another layout\"' WHERE name = 'layout'")
            elif damage == "node index altered":  # every node said to be the last page's
                last = connection.execute("SELECT MAX(unit) FROM node").fetchone()[0]
                connection.execute("UPDATE node SET unit = ?", (last,))
            elif damage == "meta altered":
                connection.execute("UPDATE meta SET value = '12' WHERE name = 'triples'")
            else:  # a unit's own triples lose one: the edit below then looks like a missing line
                own = connection.execute("SELECT own FROM unit WHERE own IS NOT NULL").fetchone()[0]
                connection.execute("UPDATE unit SET own = ? WHERE own = ?", ("\n".join(own.split("\n")[1:]), own))
        connection.close()
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed)
    stats = _validate_again(folder)
    assert stats["snapshot"] != "used", stats
    kept = snapshot.open_snapshot(_state(tmp_path).parent)  # written again whole
    assert kept is not None and len(kept.units()) == stats["units"]
    kept.close()


def test_a_deleted_snapshot_is_made_again(folder, tmp_path):
    shutil.rmtree(_state(tmp_path).parent)
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed)
    stats = _validate_again(folder)
    assert stats["snapshot"] == "none"
    assert _state(tmp_path).exists()


@pytest.mark.parametrize("largest", [snapshot.LARGEST_PATCH, 0], ids=["changes kept beside the copy", "copied each time"])
def test_a_file_changed_three_times_between_runs_and_back(largest, folder, monkeypatch):
    monkeypatch.setattr(snapshot, "LARGEST_PATCH", largest)
    original = (folder / NT).read_bytes()
    for which in (1, 5, 9):
        _edit_line(folder, b"/vocab#quote> \"", _quote_changed, which=which)
        assert _validate_again(folder)["snapshot"] == "used"
    (folder / NT).write_bytes(original)
    assert _validate_again(folder)["snapshot"] == "used"


def test_mutants_written_as_changed_lines(corpus_nt, tmp_path, tmp_path_factory, monkeypatch):
    """A sample of the mutation harness, each applied to the N-Triples lines (lines of
    removed triples taken out, added triples appended), validated from the snapshot of the
    unmutated corpus where it can be, and always equal to the whole validation."""
    harness = _module("bonemet_mutants_harness", ROOT / "benchmarks" / "mutants.py")
    corpus = harness.Corpus(synthetic_corpus(tmp_path_factory, "ttl"), paths.vocabulary_file())
    sample = harness.generate(corpus, per_class=2, seed=1)
    assert len(sample) >= 10
    folder = tmp_path / "data"
    shutil.copytree(corpus_nt, folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    original = (folder / NT).read_bytes()
    used = 0
    for mutant in sample:
        removed = {_nt(t) for _name, t in mutant.removed}
        lines = [line for line in original.split(b"\n") if line.decode() not in removed]
        lines[-1:] = [_nt(t).encode() for _name, t in mutant.added] + lines[-1:]
        (folder / NT).write_bytes(b"\n".join(lines))
        stats: dict = {}
        assert_same([folder / NT], stats)
        used += stats.get("snapshot") == "used"
        (folder / NT).write_bytes(original)
        incremental.validate([folder / NT])  # back to the unmutated corpus's snapshot
    assert used >= 2


def _nt(triple) -> str:
    return " ".join(term.n3() for term in triple) + " ."


# --- the parts --------------------------------------------------------------------------------


def test_changed_lines_are_whole_lines_between_a_common_head_and_tail():
    rng = random.Random(7)
    for _ in range(3000):
        lines = [rng.choice([b"a", b"b", b"", b"ab", b"c"]) for _ in range(rng.randint(0, 6))]
        old = b"\n".join(lines) + rng.choice([b"", b"\n"])
        new = bytearray(old)
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(new))
            if rng.random() < 0.5:
                new[at:at] = rng.choice([b"x", b"\n", b"a\n"])
            elif new:
                del new[at:at + 1]
        new = bytes(new)
        found = snapshot.changed_region(old, new)
        if found is None:
            assert old == new
            continue
        start, old_end, new_end = found
        before, after = old[start:old_end], new[start:new_end]
        assert any(_splits(old, new, before, after, at) for at in range(len(old) + 1)), (old, new, found)


def _splits(old, new, before, after, at) -> bool:
    """old = head + before + tail and new = head + after + tail, head and tail whole lines."""
    head, tail = old[:at], old[at + len(before):]
    if old[at:at + len(before)] != before or new != head + after + tail:
        return False
    return (not head or head.endswith(b"\n")) and (not tail or ((head + before).endswith(b"\n") and (head + after).endswith(b"\n")))


def test_the_lines_changed_since_the_last_run_are_read_from_the_copy_and_its_patch():
    rng = random.Random(11)

    def edited(data: bytes) -> bytes:
        lines = data.split(b"\n")
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(lines))
            if rng.random() < 0.5 or not lines[at:at + 1]:
                lines[at:at] = [rng.choice([b"x", b"yy", b""])]
            else:
                del lines[at]
        return b"\n".join(lines)

    for _ in range(2000):
        base = b"\n".join(rng.choice([b"a", b"b", b"c", b""]) for _ in range(rng.randint(0, 8)))
        last = edited(base) if rng.random() < 0.7 else base
        patch = snapshot.since(base, None, last)[2]
        now = edited(last) if rng.random() < 0.8 else base
        if now == last:
            continue
        before, after, patch_now = snapshot.since(base, patch, now)
        assert any(_splits(last, now, before, after, at) for at in range(len(last) + 1)), (base, last, now, before, after)
        rebuilt = snapshot.since(base, patch_now, now)  # the new patch makes ``now`` of the base
        assert rebuilt[0] == rebuilt[1]


def test_changed_lines_of_equal_bytes_is_none():
    assert snapshot.changed_region(b"a\nb\n", b"a\nb\n") is None


QUERY = """PREFIX bm: <https://w3id.org/bonemet/vocab#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?value WHERE {
  ?value a bm:Fact ; rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o .
  ?ref a bm:Reference . ?value ?property ?ref .
  FILTER NOT EXISTS { ?s ?p ?o }
  OPTIONAL { ?value rdfs:seeAlso/rdfs:label ?x }
}"""


def _t(s: str, p: str, o) -> tuple:
    return (pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), o)


def test_a_footprint_says_which_triples_a_query_can_read():
    footprint = Footprint.of([QUERY])
    fact = BMR + "fact-x"
    literal = pyoxigraph.Literal("x")
    # a constant predicate, a path's step: read
    assert footprint.touched([_t(fact, BM + "q", literal)], {})  # ?s ?p ?o, nothing to narrow it with: anything
    sets = {"object http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate": ["<https://w3id.org/bonemet/vocab#metastasizesTo>"],
            "typed https://w3id.org/bonemet/vocab#Reference": ["<https://w3id.org/bonemet/id/ref-1>"]}
    quote = _t(fact, BM + "quote", literal)
    assert not footprint.touched([quote], sets)  # ?p is narrowed to what records record
    assert footprint.touched([_t(fact, BM + "metastasizesTo", literal)], sets)
    assert footprint.touched([_t(fact, "http://www.w3.org/2000/01/rdf-schema#seeAlso", pyoxigraph.NamedNode(BMR + "y"))], sets)
    assert footprint.touched([_t(fact, "http://www.w3.org/2000/01/rdf-schema#label", literal)], sets)  # a path's last step
    assert footprint.touched([_t(fact, BM + "cites", pyoxigraph.NamedNode(BMR + "ref-1"))], sets)  # ?value ?property ?ref
    assert not footprint.touched([_t(fact, BM + "cites", pyoxigraph.NamedNode(BMR + "ref-2"))], sets)  # not a reference
    # a change to the triples a set was read from makes the set unusable
    assert footprint.touched([quote, _t(fact, "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate", pyoxigraph.NamedNode(BM + "quote"))], sets)
    # an unknown literal (a text not kept) matches what a literal could
    assert not footprint.touched([(pyoxigraph.NamedNode(fact), pyoxigraph.NamedNode(BM + "quote"), None)], sets)
    assert Footprint.load(footprint.dump()).dump() == footprint.dump()


def test_a_zero_length_path_reads_every_triple():
    footprint = Footprint.of(["PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE { ?a rdfs:subClassOf* ?b }"])
    assert footprint.touched([_t(BMR + "x", BM + "anything", pyoxigraph.Literal("x"))], {})


# --- what an attacker's trial found ---------------------------------------------------------


def test_a_carriage_return_alone_ends_a_line_too(corpus_nt, tmp_path, monkeypatch):
    """A triple written again after a lone CR (an N-Triples line end) on another line:
    taking away its own line leaves it in the file. The snapshot must not read the file's
    lines by line feeds alone."""
    folder = tmp_path / "data"
    shutil.copytree(corpus_nt, folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lines = _lines(folder)
    quote = [n for n, line in enumerate(lines) if b"/vocab#quote> \"" in line][5]
    lead_in = [n for n, line in enumerate(lines) if b"/vocab#leadIn> \"" in line][0]
    lines[lead_in] += b"\r" + lines[quote]
    _write(folder, lines)
    assert_same([folder / NT])
    del lines[quote]
    _write(folder, lines)
    stats = _validate_again(folder)
    assert stats["snapshot"] != "used"


def test_a_record_without_its_object_has_no_labels(folder):
    """Grounding read the labels of a missing object as those of every node (rdflib reads
    None as "any"): a page validated alone then saw fewer labels than the whole graph."""
    lines = _lines(folder)
    fact = b"<https://w3id.org/bonemet/id/fact-bone-metastasis-has-prognosis-prognosis-"
    number = next(n for n, line in enumerate(lines) if line.startswith(fact) and b"22-rdf-syntax-ns#object>" in line)
    subject = lines[number].split(b" ")[0]
    del lines[number]
    _write(folder, lines)
    _validate_again(folder)
    mention = next(n for n, line in enumerate(lines) if line.startswith(subject + b" <https://w3id.org/bonemet/vocab#objectMention>"))
    # a label in the graph, but of no object of this record (it has none)
    words = next(line for line in lines if line.startswith(b"<https://w3id.org/bonemet/id/bone> <http://www.w3.org/2000/01/rdf-schema#label>")).split(b'"')[1]
    lines[mention] = subject + b' <https://w3id.org/bonemet/vocab#objectMention> "' + words + b'" .'
    _write(folder, lines)
    _validate_again(folder)


def test_a_damaged_copy_of_the_changed_line_is_not_read(folder, tmp_path):
    copy = next(_state(tmp_path).parent.glob("copy-*.nt"))
    lines = _lines(folder)
    number = [n for n, line in enumerate(lines) if b"/vocab#quote> \"" in line][4]
    damaged = copy.read_bytes().split(b"\n")
    damaged[number] = b"#" + b" " * (len(damaged[number]) - 1)  # the same size, no triple
    copy.write_bytes(b"\n".join(damaged))
    del lines[number]
    _write(folder, lines)
    stats = _validate_again(folder)
    assert stats["snapshot"] != "used"


def test_a_run_that_read_an_older_snapshot_does_not_overwrite_a_newer_one(folder, tmp_path):
    state = _state(tmp_path).parent
    first, second = snapshot.open_snapshot(state), snapshot.open_snapshot(state)
    name = next(u["name"] for u in first.units() if u["name"] != "shared")
    own = first.graph(name)[0]
    unit = {"name": name, "key": "k", "own": own, "unfocused": [], "results": False}
    second.update([{**unit, "key": "second"}], {"triples": 2}, {})
    first.update([{**unit, "key": "first"}], {"triples": 1}, {})  # read before the second's change: not written
    first.close(), second.close()
    now = snapshot.open_snapshot(state)
    assert now.meta["triples"] == 2 and next(u["key"] for u in now.units() if u["name"] == name) == "second"
    now.close()


def test_an_altered_footprint_or_unit_entry_is_not_used(corpus_nt, tmp_path, monkeypatch):
    import json

    folder = tmp_path / "data"
    shutil.copytree(corpus_nt, folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    incremental.validate([folder / NT])
    validation_folder = tmp_path / "cache" / "bonemet" / "validation"
    footprint = next(validation_folder.glob("footprint-*.json"))
    kept = json.loads(footprint.read_text())
    kept["patterns"] = []  # a footprint that reads nothing would let every change through
    footprint.write_text(json.dumps(kept))
    for entry in validation_folder.glob("*/*.json"):
        entry.write_text(entry.read_text().replace('"unfocused": [', '"unfocused": ["x", ', 1))
    shutil.rmtree(_state(tmp_path).parent)
    (folder / NT).write_bytes((folder / NT).read_bytes() + b"\n")  # not the kept report
    stats: dict = {}
    assert_same([folder / NT], stats)
    assert stats["validated"] == stats["units"]  # no altered entry used
    state = snapshot.open_snapshot(_state(tmp_path).parent)
    assert state.meta["footprint"] != []
    state.close()


def test_results_of_one_sparql_constraint_share_its_node_whichever_run_gave_them(folder):
    """Two pages' quote results, one kept from an earlier run: pySHACL writes one
    sh:sourceConstraint node for the results of a shape, and so must the merged report."""
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed, which=0)
    _validate_again(folder)
    _edit_line(folder, b"/vocab#quote> \"", _quote_changed, which=-1)
    _validate_again(folder)
