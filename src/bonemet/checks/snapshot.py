"""What a validation leaves behind for the next one on the same files: the split, kept.

Splitting a million triples into units costs seconds before a single unit is looked up
in the cache. So after each validation by units, :func:`write` keeps, for the set of
input files, a *snapshot* in the cache folder: each unit's graph and key, which unit
holds each node, the report's whole-graph and zero-focus results, the sets of terms the
whole-graph checks and rules can be narrowed with (:mod:`bonemet.checks.footprint`),
and a copy of each N-Triples data file. The next validation reads the new bytes beside
that copy (:func:`since`): a change confined to some lines of one file is a
handful of triples added and taken away, and the caller decides from the snapshot
whether they leave everything but a few units as it was.

The snapshot lives in one SQLite file per set of input files (``snapshots/<hash>/``),
replaced whole (``os.replace``) or changed in one transaction, so a reader sees the old
state or the new one; a damaged, foreign or missing one means "no snapshot". Each row
carries a hash of what it holds (the meta entries one for all), checked when it is read:
a row that does not match it is not used.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from bonemet.digest import hash_bytes, hash_pieces

#: Names the layout; a new layout gets a new name, so no old snapshot is read.
LAYOUT = "bonemet snapshot 1"

#: How many snapshots (sets of input files) the cache keeps; the oldest go first.
KEPT = 4

#: A file's changes since its copy are kept beside the copy up to this many bytes; past
#: it, the file is copied again.
LARGEST_PATCH = 1 << 22

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE unit (name TEXT PRIMARY KEY, position INTEGER NOT NULL, key TEXT, own TEXT, extra TEXT,
                   members TEXT, unfocused TEXT NOT NULL, results INTEGER NOT NULL, files TEXT NOT NULL,
                   summed TEXT NOT NULL, graph_summed TEXT NOT NULL);
CREATE TABLE node (node TEXT PRIMARY KEY, unit TEXT NOT NULL);
"""


def folder_for(cache: Path, paths: list[Path]) -> Path:
    return cache / "validation" / "snapshots" / hash_pieces([str(p.resolve()) for p in paths], size=8)


class Snapshot:
    """An open snapshot: ``meta`` (a dict of what :func:`write` kept) and lookups."""

    def __init__(self, folder: Path, connection: sqlite3.Connection, meta: dict):
        self.folder = folder
        self.connection = connection
        self.meta = meta

    def unit_of(self, node: str) -> str | None:
        """The document unit said to hold ``node`` (check it against the unit's members)."""
        row = self.connection.execute("SELECT unit FROM node WHERE node = ?", (node,)).fetchone()
        return None if row is None else row[0]

    def units(self) -> list[dict]:
        """Every unit, in order: name, key, unfocused shapes, whether it had results, its
        files. ValueError if a row does not match its hash."""
        rows = self.connection.execute("SELECT name, key, unfocused, results, files, summed FROM unit ORDER BY position")
        found = []
        for name, key, unfocused, results, files, summed in rows:
            if _summed(name, key, unfocused, results, files) != summed:
                raise ValueError(f"the snapshot's unit {name} was altered")
            found.append({"name": name, "key": key, "unfocused": json.loads(unfocused), "results": bool(results), "files": json.loads(files)})
        return found

    def graph(self, name: str) -> tuple[str, str, frozenset]:
        """A document unit's own triples and the triples it reads beyond them (N-Triples
        lines without the final dot) and its members (as N-Triples terms). ValueError if
        the row does not match its hash."""
        row = self.connection.execute("SELECT own, extra, members, graph_summed FROM unit WHERE name = ?", (name,)).fetchone()
        if row is None or row[0] is None or _summed(*row[:3]) != row[3]:
            raise ValueError(f"the snapshot's unit {name} was altered")
        return row[0], row[1], frozenset(row[2].split("\n")) if row[2] else frozenset()

    def copy(self, digest: str, size: int) -> bytes | None:
        """The bytes of a data file as a run read them, or None if they are not there whole
        and unaltered (hashed again: a damaged line read as the old side of a change would
        make a stale report)."""
        try:
            with open(self.folder / f"copy-{digest}.nt", "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return data if len(data) == size and hash_bytes(data) == digest else None

    def update(self, units: list[dict], meta: dict, copies: dict) -> None:
        """Change the units given (name, key, own, unfocused, results) and the meta
        entries given, in one transaction, unless another run changed the snapshot since
        this one was opened (the two would mix); ``copies`` (digest: bytes) are written
        first. Copies no longer named are removed after."""
        try:
            for digest, data in copies.items():
                _write_copy(self.folder, digest, data)
            with self.connection:
                self.connection.execute("BEGIN IMMEDIATE")  # no other run writes between the check and the change
                now = self.connection.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
                if now is None or json.loads(now[0]) != self.meta.get("generation"):
                    return  # another run changed it since this one read it: its state stands
                meta = {**meta, "generation": self.meta["generation"] + 1}
                for unit in units:
                    extra, members, files = self.connection.execute(
                        "SELECT extra, members, files FROM unit WHERE name = ?", (unit["name"],)).fetchone()
                    row = _unit_row(unit["name"], unit["key"], unit["own"], extra, members, json.dumps(unit["unfocused"]), int(unit["results"]), files)
                    self.connection.execute(
                        "UPDATE unit SET key = ?, own = ?, unfocused = ?, results = ?, summed = ?, graph_summed = ? WHERE name = ?",
                        (row[2], row[3], row[6], row[7], row[9], row[10], unit["name"]))
                self.meta.update(meta)
                self.connection.execute("DELETE FROM meta")
                self.connection.executemany("INSERT INTO meta VALUES (?, ?)", _meta_rows(self.meta))
            _remove_unnamed_copies(self.folder, self.meta)
        except (OSError, sqlite3.Error):
            return

    def close(self) -> None:
        self.connection.close()


def open_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot in ``folder``, or None when there is none or it is not one this
    version wrote whole."""
    file = folder / "state.sqlite"
    if not file.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{file}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        rows = dict(connection.execute("SELECT name, value FROM meta"))
        summed = rows.pop("summed", None)
        meta = {name: json.loads(value) for name, value in rows.items()}
        if meta.get("layout") == LAYOUT and summed == _summed(*(f"{n}\0{v}" for n, v in sorted(rows.items()))):
            return Snapshot(folder, connection, meta)
    except (sqlite3.Error, ValueError):
        pass
    connection.close()
    return None


def write(folder: Path, meta: dict, units: list[dict], nodes, copies: dict) -> None:
    """A new snapshot in ``folder``, replacing any there: ``units`` in order (name, key,
    own, extra, members, unfocused, results, files), ``nodes`` (node, unit name) pairs,
    ``copies`` the data files' bytes by digest. Nothing is written when the folder cannot be."""
    temporary = folder / f"state.sqlite.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for digest, data in copies.items():
            _write_copy(folder, digest, data)
        if temporary.exists():
            temporary.unlink()
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript(_SCHEMA)
            with connection:
                connection.executemany("INSERT INTO meta VALUES (?, ?)", _meta_rows({**meta, "layout": LAYOUT, "generation": 0}))
                connection.executemany("INSERT INTO unit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                    _unit_row(u["name"], u["key"], u.get("own"), u.get("extra"), u.get("members"), json.dumps(u["unfocused"]),
                              int(u["results"]), json.dumps(u["files"]), position) for position, u in enumerate(units)])
                connection.executemany("INSERT OR IGNORE INTO node VALUES (?, ?)", nodes)
        finally:
            connection.close()
        os.replace(temporary, folder / "state.sqlite")
        _remove_unnamed_copies(folder, meta)
        _prune(folder.parent)
    except (OSError, sqlite3.Error):
        try:
            temporary.unlink()
        except OSError:
            pass


def _summed(*pieces) -> str:
    return hash_pieces([json.dumps(piece) for piece in pieces], size=16)


def _unit_row(name, key, own, extra, members, unfocused: str, results: int, files: str, position: int = 0) -> tuple:
    return (name, position, key, own, extra, members, unfocused, results, files,
            _summed(name, key, unfocused, results, files), _summed(own, extra, members))


def _meta_rows(meta: dict) -> list[tuple]:
    rows = {name: json.dumps(value) for name, value in meta.items() if name != "summed"}
    return [*rows.items(), ("summed", _summed(*(f"{n}\0{v}" for n, v in sorted(rows.items()))))]


def _write_copy(folder: Path, digest: str, data: bytes) -> None:
    from bonemet.files import write_atomic

    target = folder / f"copy-{digest}.nt"
    if not target.exists():
        write_atomic(target, data)


def _remove_unnamed_copies(folder: Path, meta: dict) -> None:
    named = {f"copy-{f['base']}.nt" for f in meta.get("files", []) if f.get("copy")}
    for entry in os.scandir(folder):
        if entry.name.startswith("copy-") and entry.name not in named:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _prune(snapshots: Path) -> None:
    import shutil

    try:
        kept = sorted(((e.stat().st_mtime_ns, e.path) for e in os.scandir(snapshots) if e.is_dir()), reverse=True)
    except OSError:
        return
    for _mtime, path in kept[KEPT:]:
        shutil.rmtree(path, ignore_errors=True)


def changed_region(old: bytes, new: bytes) -> tuple[int, int, int] | None:
    """Where the lines of ``old`` that ``new`` replaced lie: between the longest common run
    of whole lines at the start and at the end. Their start, and their end in ``old`` and
    in ``new``; None when the two are equal."""
    if old == new:
        return None
    start = _common(old, new, len(old), len(new), min(len(old), len(new)), 1)
    start = old.rfind(b"\n", 0, start) + 1  # back to the start of its line
    end = _common(old, new, len(old), len(new), min(len(old), len(new)) - start, -1)
    # shorter, until the common tail starts just after a line break in both
    while end > 0 and not (old[len(old) - end - 1:len(old) - end] == b"\n" == new[len(new) - end - 1:len(new) - end]):
        end -= 1
    return start, len(old) - end, len(new) - end


def since(base: bytes, patch: list | None, data: bytes) -> tuple[bytes, bytes, list | None]:
    """The lines that changed between the last run's bytes (``base`` with ``patch``, a
    [start, length, replacement text] of it, applied) and ``data``: (the old lines, the
    new ones, the patch that makes ``data`` of ``base``). Both runs' changes are read as
    one stretch of lines of ``base``, so neither side's bytes are ever copied whole."""
    import base64

    region = changed_region(base, data)
    patch_now = None if region is None else [region[0], region[1] - region[0], base64.b64encode(data[region[0]:region[2]]).decode()]
    spans = [(region[0], region[1])] if region is not None else []
    if patch is not None:
        spans.append((patch[0], patch[0] + patch[1]))
    if not spans:
        return b"", b"", None
    start, end = min(s for s, _e in spans), max(e for _s, e in spans)
    if patch is None:
        before = base[start:end]
    else:
        before = base[start:patch[0]] + base64.b64decode(patch[2]) + base[patch[0] + patch[1]:end]
    after = data[start:end + len(data) - len(base)]
    return before, after, patch_now


def _common(a: bytes, b: bytes, size_a: int, size_b: int, most: int, way: int) -> int:
    """How many bytes ``a`` and ``b`` share at their start (``way`` 1) or end (-1), up to
    ``most``: compared in blocks (slices compare in C), halving the block at a difference."""

    def same(at: int, size: int) -> bool:
        if way == 1:
            return a[at:at + size] == b[at:at + size]
        return a[size_a - at - size:size_a - at] == b[size_b - at - size:size_b - at]

    at, block = 0, 1 << 16
    while block:
        while at + block <= most and same(at, block):
            at += block
        block //= 2
    return at
