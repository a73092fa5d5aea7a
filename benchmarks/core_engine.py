"""bonemet's SPARQL engine for SHACL Core (bonemet.checks.core) against pySHACL, by size.

    python benchmarks/core_engine.py [--sizes 10000,100000,1000000] [--timeout 900] [--workdir DIR]
                                     [--corpus DIR] [--modes core,core-all,pyshacl]

``--corpus DIR`` reuses corpora already written by benchmarks/generate.py: for a size N it
takes ``DIR/N/bonemet-synthetic.nt`` (and its synthetic-sources) when it exists, instead of
generating one; the texts file is written to ``--workdir``. ``--modes`` runs only the
engines named.

For each size, benchmarks/generate.py writes a synthetic corpus (as benchmarks/scale.py
does); the data checked is the shipped vocabulary plus that corpus, with the page texts
as bm:sourceText (as validation adds them). Every measurement runs in a fresh process
whose peak resident memory is read with os.wait4:

- core (core shapes): load the files into Oxigraph, then ``core.results`` with the shapes
  pySHACL runs in bonemet (ontology/shapes.ttl without the whole-graph SPARQL
  constraints, as ``wholegraph.split`` leaves them);
- core (all shapes): the same with every shape, SPARQL constraints included;
- pySHACL (core shapes): load the files into rdflib, then ``pyshacl.validate`` with the
  same core shapes (inference none, advanced, allow_warnings).

Load time and validation time are reported apart; the number of results of the two
engines on the core shapes must be equal (the run exits 1 otherwise). A run past
``--timeout`` seconds is killed and reported as "timeout".
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _generator():
    spec = importlib.util.spec_from_file_location("bonemet_synthetic_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_texts(files: list[Path], out: Path) -> Path:
    """The page texts as (document, bm:sourceText, text) triples in N-Triples, as validation
    adds them for the time of the check (found with Oxigraph, read relative to the corpus)."""
    import pyoxigraph

    from bonemet.paths import local_copy
    from bonemet.store import store_from_files

    store = store_from_files(files)
    source_text = pyoxigraph.NamedNode("https://w3id.org/bonemet/vocab#sourceText")
    quads = []
    for row in store.query("SELECT ?d ?c WHERE { ?d <https://w3id.org/bonemet/vocab#localCopy> ?c }"):
        path = local_copy(row["c"].value, [files[-1].parent])
        if path is not None:
            quads.append(pyoxigraph.Quad(row["d"], source_text, pyoxigraph.Literal(Path(path).read_text(encoding="utf-8"))))
    pyoxigraph.serialize(quads, output=str(out), format=pyoxigraph.RdfFormat.N_QUADS)
    return out


def child(mode: str, files: list[Path]) -> dict:
    from bonemet.checks import wholegraph
    from bonemet.checks.validation import load_shapes
    from bonemet.paths import vocabulary_file

    shapes = load_shapes()
    core_shapes, _whole = wholegraph.split(shapes)
    paths = [vocabulary_file(), *files]
    if mode.startswith("core"):
        from bonemet.checks import core
        from bonemet.store import store_from_files

        start = time.perf_counter()
        store = store_from_files(paths)
        loaded = time.perf_counter()
        found = core.results(store, core_shapes if mode == "core" else shapes)
        done = time.perf_counter()
        return {"load_s": loaded - start, "validate_s": done - loaded, "results": len(found),
                "triples": len(store)}
    import pyshacl
    from rdflib.namespace import SH

    from bonemet.graph import load_files

    start = time.perf_counter()
    graph = load_files(paths)
    loaded = time.perf_counter()
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=core_shapes, inference="none", advanced=True,
                                                allow_warnings=True, inplace=True)
    done = time.perf_counter()
    return {"load_s": loaded - start, "validate_s": done - loaded,
            "results": len(list(report.objects(None, SH.result))), "triples": len(graph)}


def measure(mode: str, files: list[Path], timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", mode, *map(str, files)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return {"timeout": True}
        time.sleep(0.05)
    output = process.stdout.read().decode()
    if status != 0:
        return {"error": f"exit status {status}"}
    found = json.loads(output.strip().splitlines()[-1])
    found["wall_s"] = time.perf_counter() - start
    found["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--modes", default="core,core-all,pyshacl")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args(argv)
    if args.child:
        mode, *files = args.child
        print(json.dumps(child(mode, [Path(f) for f in files])))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bonemet-core-bench-"))
    generate = _generator().generate
    rows = []
    failed = False
    for size in sizes:
        out = workdir / str(size)
        existing = args.corpus / str(size) / "bonemet-synthetic.nt" if args.corpus else None
        if existing is not None and existing.exists():
            out.mkdir(parents=True, exist_ok=True)
            files = [existing]
        else:
            files = generate(size, out)
        files = [*files, write_texts([*files], out / "texts.nt")]
        for mode in args.modes.split(","):
            print(f"{size}: {mode} ...", file=sys.stderr, flush=True)
            rows.append((size, mode, measure(mode, files, args.timeout)))
        by_mode = {m: r for s, m, r in rows if s == size}
        if all("results" in by_mode.get(m, {}) for m in ("core", "pyshacl")) and by_mode["core"]["results"] != by_mode["pyshacl"]["results"]:
            print(f"{size}: core.py gives {by_mode['core']['results']} results, pySHACL {by_mode['pyshacl']['results']}", file=sys.stderr)
            failed = True
    print("| triples | engine | load (s) | validate (s) | process wall (s) | peak memory (MB) | results |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    names = {"core": "core.py, core shapes", "core-all": "core.py, all shapes", "pyshacl": "pySHACL, core shapes"}
    for size, mode, r in rows:
        if r.get("timeout"):
            print(f"| {size:,} | {names[mode]} | timeout | | | | |")
        elif r.get("error"):
            print(f"| {size:,} | {names[mode]} | {r['error']} | | | | |")
        else:
            print(f"| {r['triples']:,} | {names[mode]} | {r['load_s']:.2f} | {r['validate_s']:.2f} | {r['wall_s']:.2f} | "
                  f"{r['peak_mb']:.0f} | {r['results']} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
