"""The graph a question is asked of, kept ready in the user's cache folder.

A named question needs the vocabulary and the data in Oxigraph, with the derived layer
beside them. Parsing the Turtle files and running the rules cost more than the rest of
the question; the same store, written out once as N-Quads, comes back in one quick parse.

The cache is never stale. Its file is found by the input files' paths, and its first line
holds a hash of everything the store is made from: the bytes of each input file and of the
rules, the source of bonemet's modules that read the files and derive the layer, and
the versions of pyoxigraph and Python. When that hash differs, or the file is missing, cut
short or unreadable, the store is made afresh from the files and the file written again,
atomically (a reader sees the old file or the new one, never half of one). Deleting it is
always safe. Where the cache folder cannot be written (see :func:`bonemet.paths.cache_dir`)
the store is made from the files every time, without a word.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bonemet import paths
from bonemet.errors import InputError, OutputError
from bonemet.inputs import read_input

from bonemet.digest import hash_pieces as _hash

#: Names the layout of the cache file; a new layout gets a new name, so no old file is read.
LAYOUT = "bonemet graph cache 1"

#: How many files the cache keeps, one per set of input files (the shipped ones, a copy a
#: test made, an installed wheel's): the oldest go when a new one is written.
KEPT = 8


def store_with_layer(files, *, cache: bool = True):
    """An Oxigraph store holding ``files`` and the derived layer the rules draw from them;
    loaded from the cache when its copy is current. ``cache=False`` neither reads nor writes
    the cache."""
    sources = [(Path(path), read_input(path)) for path in files]  # the bytes hashed are the bytes loaded
    folder = paths.cache_dir() if cache else None
    if folder is None:
        return _made(sources)
    located = [str(path.resolve()) for path, _data in sources]  # relative IRIs resolve against them
    file = folder / f"graph-{_hash(located, size=8)}.nq"
    key = _hash([LAYOUT, _versions(), *located, *(data for _path, data in sources), read_input(paths.rules_file()), *_code()])
    store = _cached(file, key)
    if store is None:
        store = _made(sources)
        _keep(file, key, store)
    return store


def _made(sources):
    from bonemet.derivation import add_to_store, rules
    from bonemet.store import store_from_sources

    store = store_from_sources(sources)
    rules.cache_clear()  # the rules as the file is now, which the key hashed, not as first read
    add_to_store(store)
    return store


def _versions() -> str:
    import pyoxigraph

    return f"pyoxigraph {pyoxigraph.__version__}; Python {sys.version}"


def _code() -> list[bytes]:
    """The source of the modules that read the files, derive the layer and keep it (the
    top-level ones and this stage's): a change to the code is a change to the store, even
    where the installed version number stays the same (an editable install)."""
    return [path.name.encode() + b"\0" + read_input(path) for path in paths.module_files("sparql")]


def _header(key: str, length: int) -> bytes:
    return f"# {LAYOUT} {key} {length}\n".encode()


def _cached(file: Path, key: str):
    """The store kept in ``file``, if it was made from exactly what ``key`` hashes and is
    whole; None otherwise."""
    import pyoxigraph

    try:
        data = read_input(file)
    except InputError:  # none yet, or not a regular file
        return None
    newline = data.find(b"\n") + 1
    body = data[newline:]
    if not newline or data[:newline] != _header(key, len(body)):
        return None
    store = pyoxigraph.Store()
    try:  # lenient: Oxigraph wrote it from terms it had checked, so it need not check them again
        store.load(body, format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
    except (OSError, SyntaxError, ValueError):
        return None
    return store


def _keep(file: Path, key: str, store) -> None:
    import pyoxigraph

    from bonemet.files import write_atomic

    body = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    try:
        write_atomic(file, _header(key, len(body)) + body)
    except OutputError:  # a full disk, a folder made read-only: no cache this time
        return
    _prune(file.parent)


def _prune(folder: Path) -> None:
    """Remove all but the :data:`KEPT` newest cache files."""
    try:
        dated = [(path.stat().st_mtime_ns, path) for path in folder.iterdir() if path.name.startswith("graph-") and path.suffix == ".nq"]
        for _mtime, path in sorted(dated, reverse=True)[KEPT:]:
            path.unlink()
    except OSError:  # another process removed it first, or the folder went away
        pass
