"""How bonemet's steps grow with the size of the graph, on synthetic graphs.

    python benchmarks/scale.py [--sizes 10000,100000,1000000 | --quick] [--timeout 900] [--seed 0] [--workdir DIR]

For each size, benchmarks/generate.py writes a synthetic graph shaped like the shipped
one (N-Triples and one text per synthetic source document). Every measurement then runs
in a fresh Python process, so that its wall time and its peak memory (VmHWM, read from
/proc/self/status inside the child) belong to that step alone. A child loads its input
first (not timed), notes its memory high-water mark, then times the step:

- load: ``bonemet.graph.load_files`` (rdflib) and ``bonemet.store.store_from_files``
  (Oxigraph), of the vocabulary and the data, side by side (the facts alone);
- derive: ``bonemet.derivation.add_to_store(store)`` on the Oxigraph store of the
  vocabulary and the data, as the command line adds the derived layer (``load_graph``
  runs the same rule queries on an Oxigraph copy of its rdflib graph). The child then
  writes the layer it added (every bm:Derivation record and the triple it records; their
  count must equal what ``add_to_store`` added) to ``derived-layer.nt`` beside the data,
  untimed and after its memory is read;
- validate: ``bonemet.checks.validation.check(graph, shapes, text_roots=[data folder])`` on
  the facts alone: like ``bonemet.checks.validation.validate(files)``, it derives the
  layer itself, so its time includes a derivation;
- each named question: ``bonemet.sparql.questions.ask`` on rdflib and
  ``bonemet.sparql.questions.ask(..., store=...)`` on Oxigraph, with the header's example binding,
  on the graph the product queries, the facts and the derived layer (loaded from
  ``derived-layer.nt``: the same triples as ``load_graph(files)`` and
  ``store_from_files`` + ``add_to_store``, without deriving again in every process); both
  answers come back to this process and must be the same rows in the same order (every
  ORDER BY is total); a question faster than 0.2 s is repeated up to 5 times and the
  median is reported;
- export: ``bonemet.serialization.serialize(graph, "turtle")`` of the facts and the derived layer.

When the derive step does not finish, the steps that need its layer (questions and
export) are reported as "skipped" for that size.

A step that runs past ``--timeout`` seconds is killed and reported as "timeout". Tables
go to standard output and to ``--output`` (default benchmarks/results.md, overwritten);
progress to standard error. Exit 1 if an answer differs between the engines or the graph does not conform.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAYER_NAME = "derived-layer.nt"  # the derive step's output, beside the data
#: every derivation record and the triple it records: the layer add_to_store adds (each rule
#: writes exactly these, and never a triple that a fact record states)
_LAYER_QUERY = """
PREFIX bm: <https://w3id.org/bonemet/vocab#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?record ?p ?o . ?s ?predicate ?object . }
WHERE { ?record a bm:Derivation ; ?p ?o ; rdf:subject ?s ; rdf:predicate ?predicate ; rdf:object ?object . }
"""
_RULE_COUNTS = """
PREFIX bm: <https://w3id.org/bonemet/vocab#>
SELECT ?rule (COUNT(DISTINCT ?record) AS ?n) (COUNT(?from) AS ?premises)
WHERE { ?record a bm:Derivation ; bm:rule ?rule ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?from . }
GROUP BY ?rule
"""
RESULTS = HERE / "results.md"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)


def _load_generator():
    spec = importlib.util.spec_from_file_location("bonemet_synthetic_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the child: one measurement --------------------------------------------------


def _memory_kb(key: str = "VmHWM") -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux


def _n3(term) -> str:
    return term.n3() if hasattr(term, "n3") else str(term)


def _timed(step, repeat: bool):
    """(result, median seconds): once, or up to 5 times while under 0.2 s a run and 1 s in all."""
    start = time.perf_counter()
    result = step()
    times = [time.perf_counter() - start]
    while repeat and len(times) < 5 and times[-1] < 0.2 and sum(times) < 1.0:
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times), len(times)


def _layer_file(data_files: list[str]) -> Path:
    return Path(data_files[0]).parent / LAYER_NAME


def child(spec: dict) -> dict:
    from bonemet import paths

    facts = [str(paths.vocabulary_file()), *spec["files"]]
    files = facts
    step = spec["step"]
    if step not in ("load-rdflib", "load-oxigraph", "derive", "validate"):
        # the graph the product queries and exports: the facts and the derived layer
        files = [*facts, str(_layer_file(spec["files"]))]
    out: dict = {}
    if step == "load-rdflib":
        from bonemet.graph import load_files

        base = _memory_kb()
        graph, seconds, _n = _timed(lambda: load_files(files), False)
        out["triples"] = len(graph)
    elif step == "load-oxigraph":
        from bonemet.store import store_from_files

        base = _memory_kb()
        store, seconds, _n = _timed(lambda: store_from_files(files), False)
        out["triples"] = len(store)
    elif step == "derive":
        import pyoxigraph

        from bonemet.derivation import add_to_store
        from bonemet.store import store_from_files

        store = store_from_files(facts)
        before = len(store)
        base = _memory_kb()
        added, seconds, _n = _timed(lambda: add_to_store(store), False)
        out["peak_kb"] = _memory_kb()  # before the layer is written out
        out["facts"], out["added"], out["derived"] = before, added, len(store) - before
        out["rules"] = {row["rule"].value.rsplit("#", 1)[-1]: [int(row["n"].value), int(row["premises"].value)]
                        for row in store.query(_RULE_COUNTS)}
        layer = list(store.query(_LAYER_QUERY))
        if len(layer) != out["derived"]:
            raise SystemExit(f"scale: the derivation records and their triples are {len(layer)} triples, "
                             f"but add_to_store added {out['derived']}")
        target = _layer_file(spec["files"])
        partial = target.with_name(target.name + ".partial")
        pyoxigraph.serialize(layer, output=str(partial), format=pyoxigraph.RdfFormat.N_TRIPLES)
        partial.replace(target)
    elif step == "validate":
        from bonemet.graph import load_files
        from bonemet.checks.validation import check, load_shapes

        graph = load_files(files)
        shapes = load_shapes()
        base = _memory_kb()
        report, seconds, _n = _timed(lambda: check(graph, shapes, text_roots=[Path(f).parent for f in spec["files"]]), False)
        out.update(conforms=report.conforms, violations=report.count("Violation"), warnings=report.count("Warning"), infos=report.count("Info"))
        out["first"] = [f"{f.severity} {f.shape} {f.focus} {f.message[:200]}" for f in report.findings[:5]]
    elif step == "export":
        from bonemet.serialization import serialize
        from bonemet.graph import load_files

        graph = load_files(files)
        base = _memory_kb()
        text, seconds, _n = _timed(lambda: serialize(graph, "turtle"), False)
        out["bytes"] = len(text.encode("utf-8"))
    elif step in ("question-rdflib", "question-oxigraph"):
        from bonemet.sparql import catalogue
        from bonemet.sparql import binding

        question = catalogue.named(spec["question"])
        binding.parse_with_rdflib(question)  # builds rdflib's SPARQL parser outside the timing
        if step == "question-rdflib":
            from bonemet.graph import load_files
            from bonemet.sparql.questions import ask

            graph = load_files(files)
            base = _memory_kb()
            answer, seconds, out["runs"] = _timed(lambda: ask(question, graph=graph, bind=list(question.example)), True)
        else:
            from bonemet.store import store_from_files
            from bonemet.sparql.questions import ask

            store = store_from_files(files)
            base = _memory_kb()
            answer, seconds, out["runs"] = _timed(lambda: ask(question, store=store, bind=list(question.example)), True)
        out["variables"] = list(answer.variables)
        out["rows"] = [[_n3(row.get(v)) if row.get(v) is not None else None for v in answer.variables] for row in answer.rows]
    else:
        raise SystemExit(f"scale: unknown step {step!r}")
    out.update(seconds=seconds, base_kb=base)
    out.setdefault("peak_kb", _memory_kb())
    return out


# --- the parent: run, compare, report ----------------------------------------------


def measure(spec: dict, timeout: float) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": True, "wall": time.perf_counter() - start}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        return {"error": " / ".join(tail) or f"exit {done.returncode}"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def _progress(text: str) -> None:
    print(f"scale: {text}", file=sys.stderr, flush=True)


def _label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _secs(r: dict | None) -> str:
    if r is None:
        return "-"
    if r.get("skipped"):
        return "skipped"
    if r.get("timeout"):
        return "timeout"
    if "error" in r:
        return "error"
    s = r["seconds"]
    return f"{s:.2g}" if s < 0.01 else f"{s:.3f}" if s < 10 else f"{s:.1f}"


def _mb(r: dict | None, key: str = "peak_kb") -> str:
    if r is None or key not in r:
        return "-"
    return f"{r[key] / 1024:.0f}"


def _ok(r: dict | None) -> bool:
    return r is not None and "seconds" in r


def _exponent(r1: dict | None, r2: dict | None, n1: int, n2: int) -> str:
    if not (_ok(r1) and _ok(r2)) or r1["seconds"] <= 0 or n1 == n2:
        return "-"
    return f"{math.log(r2['seconds'] / r1['seconds']) / math.log(n2 / n1):.2f}"


def _ratio(slow: dict | None, fast: dict | None) -> str:
    if not (_ok(slow) and _ok(fast)) or fast["seconds"] <= 0:
        return "-"
    return f"{slow['seconds'] / fast['seconds']:.0f}x" if slow["seconds"] / fast["seconds"] >= 10 else f"{slow['seconds'] / fast['seconds']:.1f}x"


def _same_rows(a: dict | None, b: dict | None) -> str:
    if not (_ok(a) and _ok(b)):
        return "n/a"
    if a["variables"] != b["variables"]:
        return "DIFFER (variables)"
    if a["rows"] == b["rows"]:
        return "identical"
    if Counter(map(tuple, a["rows"])) == Counter(map(tuple, b["rows"])):
        return "DIFFER (same rows, other order)"
    return "DIFFER"


def run(sizes: list[int], timeout: float, seed: int, workdir: Path) -> tuple[str, bool]:
    from bonemet.sparql import catalogue

    gen = _load_generator()
    names = catalogue.names()
    results: dict[int, dict] = {}
    triples: dict[int, int] = {}
    failed = False
    for size in sizes:
        folder = workdir / f"synthetic-{size}-seed{seed}"
        _progress(f"{_label(size)}: generating {size} triples into {folder}")
        start = time.perf_counter()
        files = [str(p) for p in gen.generate(size, folder, seed)]
        _progress(f"{_label(size)}: generated in {time.perf_counter() - start:.1f} s")
        res: dict = {}
        layer = Path(files[0]).parent / LAYER_NAME
        if layer.exists():
            layer.unlink()  # a stale layer must not stand in for one this run did not derive
        steps = [("load-rdflib", None), ("load-oxigraph", None), ("derive", None), ("validate", None), ("export", None)]
        steps += [(engine, name) for name in names for engine in ("question-rdflib", "question-oxigraph")]
        for step, question in steps:
            what = f"{step} {question}" if question else step
            if step not in ("load-rdflib", "load-oxigraph", "derive", "validate") and not _ok(res[("derive", None)]):
                res[(step, question)] = {"skipped": "the derive step did not finish"}
                continue
            _progress(f"{_label(size)}: {what} ...")
            spec = {"step": step, "files": files}
            if question:
                spec["question"] = question
            r = measure(spec, timeout)
            res[(step, question)] = r
            note = "timeout" if r.get("timeout") else r.get("error") or f"{r['seconds']:.3f} s, peak {r['peak_kb'] / 1024:.0f} MB"
            if step == "derive" and _ok(r):
                note += f", {r['derived']:,} derived triples"
            _progress(f"{_label(size)}: {what}: {note}")
        if not _ok(res[("derive", None)]):
            failed = True
            _progress(f"{_label(size)}: the derived layer was not computed: questions and export skipped")
        results[size] = res
        triples[size] = res[("load-rdflib", None)].get("triples") or res[("load-oxigraph", None)].get("triples") or size
        v = res[("validate", None)]
        if _ok(v) and (not v["conforms"] or v["warnings"]):
            failed = True
            _progress(f"{_label(size)}: the synthetic graph does not validate cleanly: {v['first']}")
        for name in names:
            verdict = _same_rows(res[("question-rdflib", name)], res[("question-oxigraph", name)])
            if verdict.startswith("DIFFER"):
                failed = True
                _progress(f"{_label(size)}: {name}: rdflib and Oxigraph answers differ")
    return _report(sizes, results, triples, names, timeout), failed


def _report(sizes, results, triples, names, timeout) -> str:
    out: list[str] = []
    w = out.append
    w("# bonemet on synthetic graphs: how each step grows")
    w("")
    w(f"Generated by `python benchmarks/scale.py --sizes {','.join(map(str, sizes))}` on {platform.node() or 'this machine'} "
      f"({os.cpu_count()} CPUs, Python {platform.python_version()}); {time.strftime('%Y-%m-%d %H:%M')}. "
      f"Each cell is one fresh process: seconds of the step alone (input loaded first, untimed), and the process's peak "
      f"resident memory (VmHWM) in MB, which includes the loaded input. Per-step limit {timeout:g} s. "
      f"Growth exponent = log(t2/t1)/log(n2/n1) between consecutive sizes (1 = linear). "
      f"Sizes are data triples asked of the generator; *n* is the graph that was measured (the vocabulary added), "
      f"before the derived layer, which the derive step adds; the questions and the export run on the facts and the "
      f"derived layer, as the product does, and validation derives the layer itself.")
    w("")
    pairs = list(zip(sizes, sizes[1:]))

    def size_col(size):
        return f"{_label(size)} (n={triples[size]:,})"

    w("## Load (vocabulary + synthetic data)")
    w("")
    w("| size | rdflib s | rdflib peak MB | Oxigraph s | Oxigraph peak MB | Oxigraph speed-up |")
    w("|---|---:|---:|---:|---:|---:|")
    for size in sizes:
        a, b = results[size][("load-rdflib", None)], results[size][("load-oxigraph", None)]
        w(f"| {size_col(size)} | {_secs(a)} | {_mb(a)} | {_secs(b)} | {_mb(b)} | {_ratio(a, b)} |")
    for s1, s2 in pairs:
        a1, a2 = results[s1][("load-rdflib", None)], results[s2][("load-rdflib", None)]
        b1, b2 = results[s1][("load-oxigraph", None)], results[s2][("load-oxigraph", None)]
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(a1, a2, triples[s1], triples[s2])} | | {_exponent(b1, b2, triples[s1], triples[s2])} | | |")
    w("")
    w("## Derive (`bonemet.derivation.add_to_store` on the Oxigraph store of the facts)")
    w("")
    w("Derived = triples the rules add (each derived triple and its bm:Derivation record); records = bm:Derivation "
      "records per rule, with the prov:wasDerivedFrom links they carry (one per fact record the derivation rests on).")
    w("")
    w("| size | s | peak MB | MB before the step | derived triples | derived / facts | site-rule records (premise links) | sign-rule records (premise links) |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = results[size][("derive", None)]
        derived = ratio = site = sign = "-"
        if _ok(r):
            derived, ratio = f"{r['derived']:,}", f"{r['derived'] / r['facts']:.2f}"
            site, sign = (f"{n:,} ({links:,})" for n, links in (r["rules"].get(k, (0, 0)) for k in ("site-rule", "sign-rule")))
        w(f"| {size_col(size)} | {_secs(r)} | {_mb(r)} | {_mb(r, 'base_kb')} | {derived} | {ratio} | {site} | {sign} |")
    for s1, s2 in pairs:
        r1, r2 = results[s1][("derive", None)], results[s2][("derive", None)]
        grown = f"{math.log(r2['derived'] / r1['derived']) / math.log(triples[s2] / triples[s1]):.2f}" if _ok(r1) and _ok(r2) and r1["derived"] else "-"
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(r1, r2, triples[s1], triples[s2])} | | | {grown} | | | |")
    w("")
    w("## Validate (`bonemet.checks.validation.check`, deriving the layer itself)")
    w("")
    w("| size | s | peak MB | MB before the step | result |")
    w("|---|---:|---:|---:|---|")
    for size in sizes:
        r = results[size][("validate", None)]
        verdict = "-"
        if _ok(r):
            verdict = f"{'conforms' if r['conforms'] else 'DOES NOT CONFORM'} ({r['violations']} violations, {r['warnings']} warnings, {r['infos']} infos)"
        w(f"| {size_col(size)} | {_secs(r)} | {_mb(r)} | {_mb(r, 'base_kb')} | {verdict} |")
    for s1, s2 in pairs:
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(results[s1][('validate', None)], results[s2][('validate', None)], triples[s1], triples[s2])} | | | |")
    w("")
    w("## Export (`bonemet.serialization.serialize(graph, \"turtle\")`)")
    w("")
    w("| size | s | peak MB | MB before the step | MB written |")
    w("|---|---:|---:|---:|---:|")
    for size in sizes:
        r = results[size][("export", None)]
        written = f"{r['bytes'] / 1e6:.1f}" if _ok(r) else "-"
        w(f"| {size_col(size)} | {_secs(r)} | {_mb(r)} | {_mb(r, 'base_kb')} | {written} |")
    for s1, s2 in pairs:
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(results[s1][('export', None)], results[s2][('export', None)], triples[s1], triples[s2])} | | | |")
    w("")
    for size in sizes:
        res = results[size]
        w(f"## Named questions at {size_col(size)}")
        w("")
        w("Seconds are the median of up to 5 runs for answers under 0.2 s. Speed-up = rdflib s / Oxigraph s.")
        w("")
        w("| question | rows | rdflib s | Oxigraph s | Oxigraph speed-up | rdflib peak MB | Oxigraph peak MB | answers |")
        w("|---|---:|---:|---:|---:|---:|---:|---|")
        total_a = total_b = 0.0
        for name in names:
            a, b = res[("question-rdflib", name)], res[("question-oxigraph", name)]
            rows = len(a["rows"]) if _ok(a) else len(b["rows"]) if _ok(b) else "-"
            total_a += a["seconds"] if _ok(a) else 0
            total_b += b["seconds"] if _ok(b) else 0
            w(f"| {name} | {rows} | {_secs(a)} | {_secs(b)} | {_ratio(a, b)} | {_mb(a)} | {_mb(b)} | {_same_rows(a, b)} |")
        w(f"| **all questions** | | {_secs({'seconds': total_a})} | {_secs({'seconds': total_b})} | {_ratio({'seconds': total_a}, {'seconds': total_b})} | | | |")
        w("")
    if pairs:
        w("## Growth exponents of the named questions")
        w("")
        head = " | ".join(f"rdflib {_label(a)}→{_label(b)} | Oxigraph {_label(a)}→{_label(b)}" for a, b in pairs)
        w(f"| question | {head} |")
        w("|---|" + "---:|" * (2 * len(pairs)))
        for name in names:
            cells = []
            for s1, s2 in pairs:
                for engine in ("question-rdflib", "question-oxigraph"):
                    cells.append(_exponent(results[s1][(engine, name)], results[s2][(engine, name)], triples[s1], triples[s2]))
            w(f"| {name} | " + " | ".join(cells) + " |")
        w("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated data sizes in triples (default 10000,100000,1000000)")
    parser.add_argument("--quick", action="store_true", help="10k and 100k only")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one step may take before it is reported as timeout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="where to write the synthetic graphs (kept); default a temporary folder, removed")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"Markdown file to overwrite (default {RESULTS})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    if args.sizes:
        try:
            sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
        except ValueError:
            parser.error(f"--sizes {args.sizes!r}: give whole numbers separated by commas, for example 10000,100000")
    else:
        sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    keep = args.workdir is not None
    workdir = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="bonemet-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        report, failed = run(sizes, args.timeout, args.seed, workdir)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report)
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(report + "\n", encoding="utf-8")
    tmp.replace(args.output)
    _progress(f"wrote {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
