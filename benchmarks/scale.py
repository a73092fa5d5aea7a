"""How bonemet's steps grow with the size of the graph, on synthetic graphs.

    python benchmarks/scale.py [--sizes 10000,100000,1000000 | --quick] [--timeout 300]
                               [--question-cap 60] [--seed 0] [--workdir DIR] [--output FILE]
    python benchmarks/scale.py --questions-only --sizes 100000,1000000 [--questions NAME,...]
                               [--queries DIR] [--workdir DIR --keep-layer] [--output FILE]

``--questions-only`` measures just the named questions (after the derived layer they need;
``--keep-layer`` reuses the layer an earlier run left in ``--workdir``): per question the
whole ``ask()`` on each engine, the speed-up against the 20x target of issue 16, whether
the answers are identical, and where the time goes (prepare, query, the engine's raw
floor, the bound-IRI notes, conversion to rdflib terms, rendering). ``--queries DIR`` asks
another text of the questions (to compare a rewrite with the shipped one on the same
corpus).

For each size, benchmarks/generate.py writes a synthetic corpus (documents that share
one pool of entities; N-Triples and one text per document). Every measurement runs in a
fresh process:

- load: ``bonemet.graph.load_files`` (rdflib) and ``bonemet.store.store_from_files``
  (Oxigraph) of the vocabulary and the data, timed inside the child;
- derive: ``bonemet.derivation.add_to_store`` with the rules of ontology/rules.ttl; it
  writes the layer (``derived-layer.nt``) that the questions use;
- validate: the whole ``bonemet validate DATA`` process (start-up, parsing, every check,
  the report), wall time and peak resident memory of that process (``os.wait4``), once as
  the command and once through benchmarks/validate_stages.py, which also gives the time
  and memory of each stage;
- the named questions: one process per engine loads the facts and the derived layer
  once (untimed) and asks every question of queries/*.rq with its ``# Example:``
  bindings; either engine is cut off after ``--question-cap`` seconds per question (SIGALRM,
  which reaches Python only between calls into Oxigraph) and reported as "> N s"; a question
  under 0.2 s is repeated up to 5 times (median); the answers of the two engines must be
  the same variables and the same rows in the same order, every term equal in all its parts;
- export: ``bonemet.serialization.serialize(graph, "turtle")`` of the facts and the layer.

Before the sizes, the start-up commands issue 16 compares are timed as whole processes,
interleaved, 7 rounds, medians: ``python -c pass``, ``python -c "import rdflib"``,
``python -c "import pyshacl"``, ``bonemet query signs-and-symptoms`` (shipped data).

A step that runs past ``--timeout`` seconds is killed and reported as "timeout"; a step
that timed out at a smaller size is not run at the larger ones. Tables go to standard
output and to ``--output`` (default benchmarks/results.md, overwritten); progress to
standard error. Exit 1 if an answer differs between the engines or a graph does not
conform.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAYER_NAME = "derived-layer.nt"
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
QUICK_SIZES = (10_000, 30_000)
BIN = Path(sys.executable).parent


def _load_module(name: str, file: Path):
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load_generator():
    return _load_module("bonemet_synthetic_generate", HERE / "generate.py")


# --- the child: one measurement --------------------------------------------------


def _memory_kb(key: str = "VmHWM") -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


class _Cut(Exception):
    pass


def _timed(step, repeat: bool, cap: float | None = None):
    """(result, median seconds, runs): once, or up to 5 times while under 0.2 s a run and 1 s in all;
    with ``cap``, raises _Cut when the first run passes ``cap`` seconds."""
    def alarm(_signum, _frame):
        raise _Cut()

    if cap:
        signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, cap)
    try:
        start = time.perf_counter()
        result = step()
        times = [time.perf_counter() - start]
    finally:
        if cap:
            signal.setitimer(signal.ITIMER_REAL, 0)
    while repeat and len(times) < 5 and times[-1] < 0.2 and sum(times) < 1.0:
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times), len(times)


def _layer_file(data_files: list[str]) -> Path:
    return Path(data_files[0]).parent / LAYER_NAME


def _use_queries(folder: str | None) -> None:
    """Ask the questions of ``folder`` instead of the shipped queries/ (``--queries``)."""
    if folder:
        from bonemet import paths

        paths.queries_dir = lambda: Path(folder)


def child(spec: dict) -> dict:
    from bonemet import paths

    _use_queries(spec.get("queries"))

    facts = [str(paths.vocabulary_file()), *spec["files"]]
    with_layer = [*facts, str(_layer_file(spec["files"]))]
    step = spec["step"]
    out: dict = {}
    if step == "load-rdflib":
        from bonemet.graph import load_files

        graph, out["seconds"], _n = _timed(lambda: load_files(facts), False)
        out["triples"] = len(graph)
    elif step == "load-oxigraph":
        from bonemet.store import store_from_files

        store, out["seconds"], _n = _timed(lambda: store_from_files(facts), False)
        out["triples"] = len(store)
    elif step == "derive":
        import pyoxigraph

        from bonemet.store import store_from_files
        from bonemet.derivation import add_to_store

        store = store_from_files(facts)
        before = len(store)
        out["base_kb"] = _memory_kb()
        _added, out["seconds"], _n = _timed(lambda: add_to_store(store), False)
        out["peak_kb"] = _memory_kb()
        out["facts"], out["derived"] = before, len(store) - before
        out["rules"] = {row["rule"].value.rsplit("#", 1)[-1]: [int(row["n"].value), int(row["premises"].value)]
                        for row in store.query(_RULE_COUNTS)}
        layer = list(store.query(_LAYER_QUERY))  # written for the questions, which are asked with it
        if len(layer) != out["derived"]:
            raise SystemExit(f"scale: the layer's records and triples are {len(layer)}, but add_to_store added {out['derived']}")
        target = _layer_file(spec["files"])
        partial = target.with_name(target.name + ".partial")
        pyoxigraph.serialize(layer, output=str(partial), format=pyoxigraph.RdfFormat.N_TRIPLES)
        partial.replace(target)
    elif step == "export":
        from bonemet.graph import load_files
        from bonemet.serialization import serialize

        graph = load_files(with_layer)
        out["base_kb"] = _memory_kb()
        text, out["seconds"], _n = _timed(lambda: serialize(graph, "turtle"), False)
        out["bytes"] = len(text.encode("utf-8"))
    elif step in ("questions-rdflib", "questions-oxigraph"):
        out.update(_ask_questions(step, with_layer, spec))
    else:
        raise SystemExit(f"scale: unknown step {step!r}")
    out.setdefault("peak_kb", _memory_kb())
    return out


def _strict(term) -> list | None:
    """A term as its parts (kind, lexical form, datatype, language), the same for an rdflib
    and an Oxigraph term; no conversion between the libraries (which could normalise a
    literal) stands between the engine's answer and the comparison."""
    from bonemet.terms import key

    return list(key(term)) if term is not None else None


def _ask_questions(step: str, files: list[str], spec: dict) -> dict:
    """Every named question (or those of ``spec["only"]``) asked with its ``# Example:``
    bindings, as ``bonemet.sparql.questions.ask`` asks it: the median time of the whole call,
    and, measured apart, where it goes: the query evaluated by the engine (parameters
    bound, rows read into the Answer), the check of the bound IRIs (the ``notes``),
    reading the rows as rdflib terms and rendering the table."""
    from bonemet.sparql import binding, catalogue, questions as asking
    from bonemet.sparql.results import render

    names = [n for n in catalogue.names() if not spec.get("only") or n in spec["only"]]
    questions = [catalogue.named(name) for name in names]
    for question in questions:
        binding.parse_with_rdflib(question)  # rdflib's SPARQL parser built outside the timing
    if step == "questions-rdflib":
        from bonemet.graph import load_files

        engine = {"graph": load_files(files)}
    else:
        from bonemet.store import store_from_files

        engine = {"store": store_from_files(files)}
    out: dict = {"base_kb": _memory_kb()}
    if "store" in engine:
        with open(files[-1], "rb") as layer:  # the derived layer, one triple a line
            out["triples"] = len(engine["store"]) - sum(1 for line in layer if line.strip())
    cap = spec.get("cap")
    answers = {}
    for question in questions:
        before = None
        if spec.get("before"):  # the same question in its earlier text, asked first, the same way
            old = catalogue.read_question(Path(spec["before"]) / f"{question.name}.rq", question.name)
            binding.parse_with_rdflib(old)
            try:
                old_answer, old_seconds, old_runs = _timed(lambda q=old: asking.ask(q, bind=list(q.example), **engine), True, cap)
                before = {"seconds": old_seconds, "runs": old_runs, "variables": list(old_answer.variables),
                          "rows": [[_strict(row.get(v)) for v in old_answer.variables] for row in old_answer.terms()]}
            except _Cut:
                before = {"cut": spec["cap"]}
        try:
            answer, seconds, runs = _timed(lambda q=question: asking.ask(q, bind=list(q.example), **engine), True, cap)
        except _Cut:
            answers[question.name] = {"cut": spec["cap"], "before": before}
            continue
        parts: dict = {}
        try:  # the phases of ask(), measured apart; skipped if bonemet's internals change
            prepared, bindings = asking.prepare_with_bindings(question, list(question.example))
            if step == "questions-rdflib":
                from bonemet.sparql.results import from_rdflib

                prepared.parsed  # noqa: B018 - parsed once, as in ask(); the parse is part of "prepare"
                evaluate = lambda: from_rdflib(binding.evaluate(prepared, engine["graph"], bindings))  # noqa: E731
            else:
                from bonemet.sparql import engine as oxigraph_engine

                evaluate = lambda: oxigraph_engine.answer(prepared, engine["store"], bindings)  # noqa: E731

                def raw(q=question):  # the engine's floor: the same query, each solution read as a tuple
                    return [tuple(s) for s in oxigraph_engine._query(engine["store"], q.text, bindings, {})]

                _a, parts["raw"], _n = _timed(raw, True, cap)
            def prepare(q=question):
                fresh, _b = asking.prepare_with_bindings(q, list(q.example))
                return fresh.parsed if step == "questions-rdflib" else fresh  # rdflib parses the query at every ask()

            _a, parts["prepare"], _n = _timed(prepare, True)
            _a, parts["query"], _n = _timed(evaluate, True, cap)
            _a, parts["notes"], _n = _timed(lambda: asking._unknown_terms(bindings, engine.get("graph"), engine.get("store")), True)
            fresh = evaluate()
            _a, parts["to_rdflib"], _n = _timed(lambda: fresh.rows, False)
            _a, parts["render"], _n = _timed(lambda: render(answer, "table"), True)
        except _Cut:
            parts["query_cut"] = spec["cap"]
        except Exception as err:  # noqa: BLE001 - the breakdown is an aid; the whole call was timed above
            parts["error"] = f"{type(err).__name__}: {err}"
        answers[question.name] = {
            "seconds": seconds, "runs": runs, "variables": list(answer.variables), "parts": parts, "before": before,
            "rows": [[_strict(row.get(v)) for v in answer.variables] for row in answer.terms()]}
    out["answers"] = answers
    out["seconds"] = sum(a.get("seconds", 0.0) for a in answers.values())
    return out


# --- the parent: run, compare, report ----------------------------------------------


def _run_process(command: list[str], timeout: float) -> dict:
    """Run ``command``; its wall time, exit code, standard output and peak RSS (wait4), or a timeout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.kill()
                os.wait4(process.pid, 0)
                return {"timeout": True, "wall": time.perf_counter() - start}
            time.sleep(0.02)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        return {"wall": wall, "exit": process.returncode, "maxrss_kb": usage.ru_maxrss,
                "stdout": stdout.read().decode("utf-8", "replace"), "stderr": stderr.read().decode("utf-8", "replace")}


def measure(spec: dict, timeout: float) -> dict:
    done = _run_process([sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)], timeout)
    if done.get("timeout"):
        return done
    if done["exit"] != 0:
        return {"error": " / ".join(done["stderr"].strip().splitlines()[-3:]) or f"exit {done['exit']}"}
    result = json.loads(done["stdout"].strip().splitlines()[-1])
    result["wall"] = done["wall"]
    return result


def startup(rounds: int = 7) -> list[tuple[str, float, list[float]]]:
    bonemet = str(BIN / "bonemet")
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ('python -c "import rdflib"', [sys.executable, "-c", "import rdflib"]),
        ('python -c "import pyshacl"', [sys.executable, "-c", "import pyshacl"]),
        ("bonemet query signs-and-symptoms", [bonemet, "query", "signs-and-symptoms"]),
    ]
    samples: dict[str, list[float]] = {name: [] for name, _c in cases}
    for _ in range(rounds):
        for name, command in cases:
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples[name].append(time.perf_counter() - start)
    return [(name, statistics.median(times), times) for name, times in samples.items()]


def _progress(text: str) -> None:
    print(f"scale: {text}", file=sys.stderr, flush=True)


def _label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _fmt(s: float) -> str:
    return f"{s:.2g}" if s < 0.01 else f"{s:.3f}" if s < 10 else f"{s:.1f}"


def _secs(r: dict | None, key: str = "seconds") -> str:
    if r is None:
        return "-"
    if r.get("skipped"):
        return "not run"
    if r.get("timeout"):
        return f"> {r['wall']:.0f} s (timeout)"
    if r.get("cut"):
        return f"> {r['cut']:g} s"
    if "error" in r:
        return "error"
    return _fmt(r[key])


def _mb(r: dict | None, key: str = "peak_kb") -> str:
    if r is None or key not in r:
        return "-"
    return f"{r[key] / 1024:.0f}"


def _ok(r: dict | None, key: str = "seconds") -> bool:
    return r is not None and key in r


def _exponent(r1, r2, n1, n2, key="seconds") -> str:
    if not (_ok(r1, key) and _ok(r2, key)) or r1[key] <= 0 or n1 == n2:
        return "-"
    return f"{math.log(r2[key] / r1[key]) / math.log(n2 / n1):.2f}"


def _ratio(slow, fast) -> str:
    if not _ok(fast) or fast["seconds"] <= 0:
        return "-"
    if slow is not None and slow.get("cut"):
        return f"> {slow['cut'] / fast['seconds']:.0f}x"
    if not _ok(slow):
        return "-"
    r = slow["seconds"] / fast["seconds"]
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x"


def _same_rows(a, b) -> str:
    """Strict: the same variables in the same order, and the same rows in the same order,
    each term the same in every part (kind, lexical form, datatype, language). An answer
    missing on either side (the child failed) or empty on both counts as a difference; only
    a question cut off on rdflib is not compared ("n/a")."""
    if a is not None and a.get("cut") or b is not None and b.get("cut"):
        return "n/a (cut off)"
    if not (_ok(a) and _ok(b)):
        return "DIFFER (no answer from " + " and ".join(e for e, r in (("rdflib", a), ("Oxigraph", b)) if not _ok(r)) + ")"
    if a["variables"] != b["variables"]:
        return "DIFFER (variables)"
    if not a["rows"]:
        return "DIFFER (no rows on either engine)" if not b["rows"] else "DIFFER"
    if a["rows"] == b["rows"]:
        return "identical"

    def rows(r):
        return Counter(tuple(tuple(t) if t is not None else None for t in row) for row in r["rows"])

    if rows(a) == rows(b):
        return "DIFFER (same rows, other order)"
    return "DIFFER"


def run(sizes: list[int], timeout: float, cap: float, seed: int, workdir: Path,
        questions_only: bool = False, only: list[str] | None = None, queries: str | None = None,
        keep_layer: bool = False, before: str | None = None):
    from bonemet.sparql import catalogue

    _use_queries(queries)
    gen = _load_generator()
    names = [n for n in catalogue.names() if not only or n in only]
    starts = []
    if not questions_only:
        _progress("start-up commands, 7 interleaved rounds")
        starts = startup()
    results: dict[int, dict] = {}
    meta: dict[int, dict] = {}
    failed = False
    timed_out: set[str] = set()
    for size in sizes:
        folder = workdir / f"synthetic-{size}-seed{seed}"
        _progress(f"{_label(size)}: generating {size} triples into {folder}")
        start = time.perf_counter()
        files = [str(p) for p in gen.generate(size, folder, seed)]
        documents = len(list((folder / gen.SOURCES).glob("doc-*.txt")))
        meta[size] = {"generate": time.perf_counter() - start, "documents": documents}
        _progress(f"{_label(size)}: {documents} documents, generated in {meta[size]['generate']:.1f} s")
        layer = _layer_file(files)
        res: dict = {}
        if keep_layer and layer.exists():  # the layer of an earlier run on this same corpus
            res["derive"] = {"seconds": 0.0, "reused": str(layer)}
            meta[size]["layer"] = f"the layer already in {layer.parent} (--keep-layer)"
            _progress(f"{_label(size)}: using the derived layer already in {layer}")
        elif layer.exists():
            layer.unlink()

        def step(key, action):
            if key in timed_out:
                res[key] = {"skipped": True}
                _progress(f"{_label(size)}: {key}: not run (timed out at a smaller size)")
                return res[key]
            _progress(f"{_label(size)}: {key} ...")
            r = action()
            res[key] = r
            if r.get("timeout"):
                timed_out.add(key)
            note = "timeout" if r.get("timeout") else r.get("error") or f"{r.get('seconds', r.get('wall', 0)):.3f} s"
            _progress(f"{_label(size)}: {key}: {note}")
            return r

        for key in ("load-rdflib", "load-oxigraph", "derive"):
            if questions_only and key != "derive" or key in res:  # the questions need only the layer
                res.setdefault(key, {"skipped": True})
                continue
            step(key, lambda key=key: measure({"step": key, "files": files}, timeout))
        d = res["derive"]

        def validate(staged: bool, engine: str = "oxigraph"):
            if staged:
                stages = folder / "validate-stages.json"
                command = [sys.executable, str(HERE / "validate_stages.py"), "--json", str(stages), *files]
            else:
                command = [str(BIN / "bonemet"), "validate", "--no-cache", "--engine", engine, *files]
            r = _run_process(command, timeout)
            if r.get("timeout"):
                return r
            r["seconds"] = r["wall"]
            r["peak_kb"] = r["maxrss_kb"]
            said = [line for line in (r["stdout"] + r["stderr"]).splitlines() if line.startswith(("CONFORMS", "DOES NOT CONFORM", "NOT CONFORM"))]
            r["verdict"] = (said or [(r["stdout"] + r["stderr"]).strip().splitlines()[-1:] or "(no output)"])[-1][:160]
            if staged:
                if r["exit"] != 0 or not stages.exists():
                    return {"error": " / ".join(r["stderr"].strip().splitlines()[-2:]) or f"exit {r['exit']}"}
                r["stages"] = json.loads(stages.read_text(encoding="utf-8"))
            r.pop("stdout")
            r.pop("stderr")
            return r

        for key, staged, engine in (("validate", False, "oxigraph"), ("validate-pyshacl", False, "pyshacl"),
                                    ("validate-stages", True, "oxigraph")):
            if questions_only:
                res[key] = {"skipped": True}
                continue
            r = step(key, lambda staged=staged, engine=engine: validate(staged, engine))
            if _ok(r) and (r["exit"] != 0 or not r["verdict"].startswith("CONFORMS: 0 violations, 0 warnings")):
                failed = True
                _progress(f"{_label(size)}: {key}: {r['verdict']}")
        if not questions_only:
            _progress(f"{_label(size)}: validating again after one page changed ...")
            revalidate = _load_module("bonemet_revalidate", HERE / "revalidate.py")
            res["revalidate"] = revalidate.sequence(files, folder / "cache", timeout, _run_process, _label(size))
        if _ok(d):
            for key in ("questions-oxigraph", "questions-rdflib"):
                step(key, lambda key=key: measure({"step": key, "files": files, "cap": cap, "only": names, "queries": queries,
                                                  "before": before},
                                                  timeout + 2 * cap * len(names)))
            if questions_only:
                res["export"] = {"skipped": True}
            else:
                step("export", lambda: measure({"step": "export", "files": files}, timeout))
            for name in names:
                a = (res["questions-rdflib"].get("answers") or {}).get(name)
                b = (res["questions-oxigraph"].get("answers") or {}).get(name)
                verdict = _same_rows(a, b)
                if verdict.startswith("DIFFER"):
                    failed = True
                    _progress(f"{_label(size)}: {name}: {verdict}")
                for engine, r in (("rdflib", a), ("Oxigraph", b)):
                    if before and r and r.get("before") and _same_rows(r["before"], r).startswith("DIFFER"):
                        failed = True
                        _progress(f"{_label(size)}: {name}: on {engine}, the earlier text answers otherwise ({_same_rows(r['before'], r)})")
        elif questions_only:
            failed = True
            _progress(f"{_label(size)}: no derived layer, so no questions ({_secs(d)})")
        meta[size]["triples"] = (res["load-oxigraph"].get("triples") or res["load-rdflib"].get("triples")
                                 or (d.get("facts") if _ok(d) else None)
                                 or (res.get("questions-oxigraph") or {}).get("triples") or size)
        results[size] = res
    if questions_only:
        return _questions_report(sizes, results, meta, names, timeout, cap, only, before), failed
    return _report(sizes, results, meta, names, timeout, cap, starts), failed


#: Oxigraph must answer every named question at least this many times faster than rdflib (issue 16).
TARGET = 20.0


def _speedup(a: dict | None, b: dict | None, key: str = "seconds") -> float | None:
    """rdflib s / Oxigraph s (a lower bound when rdflib was cut off); None when unknown."""
    if b and b.get("cut"):
        return None  # Oxigraph was cut off too: no speed-up to give
    if not (b and b.get(key)) or b[key] <= 0:
        return None
    if a and a.get("cut"):
        return a["cut"] / b[key]
    if not (a and a.get(key)):
        return None
    return a[key] / b[key]


def _times(speedup: float | None, cut: bool = False) -> str:
    if speedup is None:
        return "-"
    return f"{'> ' if cut else ''}{speedup:.0f}x" if speedup >= 10 else f"{'> ' if cut else ''}{speedup:.1f}x"


def _target(speedup: float | None, cut: bool = False) -> str:
    if speedup is None:
        return "-"
    if speedup >= TARGET:
        return "met"
    return "n/a (rdflib cut off)" if cut else "**missed**"


def _question_tables(res: dict, names: list[str], cap: float, title: str) -> list[str]:
    """The per-question tables of one size: the whole ask() on each engine against the 20x
    target, and where the time of each goes."""
    ra, rb = res.get("questions-rdflib") or {}, res.get("questions-oxigraph") or {}
    if not (ra or rb):
        return []
    out: list[str] = []
    w = out.append
    w(f"## {title}")
    w("")
    w(f"One process per engine (facts + derived layer loaded once, untimed: peak MB rdflib {_mb(ra)}, Oxigraph {_mb(rb)}). "
      f"Seconds: the whole `bonemet.sparql.questions.ask(question, bind=EXAMPLE, graph=|store=)` call, the median of up "
      f"to 5 runs for answers under 0.2 s; either engine is cut off after {cap:g} s. Speed-up = rdflib s / Oxigraph s; target: "
      f"at least {TARGET:g}x for every question. Answers: the same variables and the same rows in the same order, every "
      f"term equal in kind, lexical form, datatype and language (no conversion between the libraries in between).")
    w("")
    w(f"| question | rows | rdflib s | Oxigraph s | speed-up | {TARGET:g}x target | answers |")
    w("|---|---:|---:|---:|---:|---|---|")
    total_a = total_b = 0.0
    missed = []
    for name in names:
        a = (ra.get("answers") or {}).get(name)
        b = (rb.get("answers") or {}).get(name)
        rows = len(b["rows"]) if _ok(b) else len(a["rows"]) if _ok(a) else "-"
        total_a += a["seconds"] if _ok(a) else a.get("cut", 0) if a else 0
        total_b += b["seconds"] if _ok(b) else b.get("cut", 0) if b else 0
        cut = bool(a and a.get("cut"))
        x = _speedup(a, b)
        if x is None or x < TARGET:
            missed.append(name)
        mark = "**missed** (Oxigraph cut off)" if b and b.get("cut") else _target(x, cut)
        w(f"| {name} | {rows} | {_secs(a)} | {_secs(b)} | {_times(x, cut)} | {mark} | {_same_rows(a, b)} |")
    cut = any((ra.get("answers") or {}).get(n, {}).get("cut") for n in names)
    slow = any((rb.get("answers") or {}).get(n, {}).get("cut") for n in names)
    x = None if slow else _speedup({"seconds": total_a}, {"seconds": total_b})
    w(f"| **all questions** | | {'> ' if cut else ''}{_fmt(total_a)} | {'> ' if slow else ''}{_fmt(total_b)} | {_times(x, cut)} | "
      f"{len(names) - len(missed)} of {len(names)} met | |")
    w("")
    w("Where the time goes, measured apart from the whole call (medians, seconds): *prepare* = read the query and "
      "bind the parameters (on rdflib also its parse, which `ask` repeats at every call); *query* = the engine's "
      "evaluation with the rows read into the Answer; *notes* = the check that each bound project IRI names something "
      "(`questions._unknown_terms`); *to rdflib* = `Answer.rows` (Oxigraph's terms made rdflib terms; not part of "
      "`ask`); *render* = `render(answer, \"table\")` (not part of `ask`); *Oxigraph raw* = `store.query` with the same "
      "substitutions, each solution read as `tuple(solution)` (what the query costs Oxigraph without bonemet's reading of "
      "the rows). Query speed-up = rdflib query / Oxigraph query.")
    w("")
    w("| question | rdflib prepare | rdflib query | rdflib notes | rdflib render | Oxigraph prepare | Oxigraph query | "
      "Oxigraph raw | Oxigraph notes | to rdflib | Oxigraph render | query speed-up |")
    w("|---|" + "---:|" * 11)
    for name in names:
        a = ((ra.get("answers") or {}).get(name) or {}).get("parts") or {}
        b = ((rb.get("answers") or {}).get(name) or {}).get("parts") or {}

        def cell(parts, key):
            if key == "query" and parts.get("query_cut"):
                return f"> {parts['query_cut']:g}"
            return _fmt(parts[key]) if key in parts else "-"

        qa = {"cut": a["query_cut"]} if a.get("query_cut") else {"seconds": a.get("query")}
        x = _speedup(qa, {"seconds": b.get("query")})
        w(f"| {name} | {cell(a, 'prepare')} | {cell(a, 'query')} | {cell(a, 'notes')} | {cell(a, 'render')} | "
          f"{cell(b, 'prepare')} | {cell(b, 'query')} | {cell(b, 'raw')} | {cell(b, 'notes')} | {cell(b, 'to_rdflib')} | {cell(b, 'render')} | "
          f"{_times(x, bool(a.get('query_cut')))} |")
    for engine, r in (("rdflib", ra), ("Oxigraph", rb)):
        for name in names:
            parts = ((r.get("answers") or {}).get(name) or {}).get("parts") or {}
            if "error" in parts:
                w(f"- {name}: breakdown not measured on {engine} ({parts['error']})")
    w("")
    if any(((ra.get("answers") or {}).get(n) or {}).get("before") for n in names):
        w("Before and after: the earlier text of each question (`--before`) asked in the same processes, just before "
          "the current one. *Same answers* compares, on each engine, the earlier text's answer with the current one's "
          "(strictly, as above).")
        w("")
        w(f"| question | rdflib before s | Oxigraph before s | speed-up before | rdflib after s | Oxigraph after s | "
          f"speed-up after | {TARGET:g}x after | same answers |")
        w("|---|---:|---:|---:|---:|---:|---:|---|---|")
        for name in names:
            a = (ra.get("answers") or {}).get(name) or {}
            b = (rb.get("answers") or {}).get(name) or {}
            a0, b0 = a.get("before"), b.get("before")
            x0, x1 = _speedup(a0, b0), _speedup(a, b)
            same = "; ".join(f"{e}: {_same_rows(old, new)}" for e, old, new in (("rdflib", a0, a), ("Oxigraph", b0, b))
                             if old is not None)
            if all(_same_rows(old, new) == "identical" for old, new in ((a0, a), (b0, b))):
                same = "identical"
            mark = "**missed** (Oxigraph cut off)" if b.get("cut") else _target(x1, bool(a.get("cut")))
            w(f"| {name} | {_secs(a0)} | {_secs(b0)} | {_times(x0, bool(a0 and a0.get('cut')))} | {_secs(a)} | {_secs(b)} | "
              f"{_times(x1, bool(a.get('cut')))} | {mark} | {same} |")
        w("")
    return out


def _questions_report(sizes, results, meta, names, timeout, cap, only, before=None) -> str:
    out: list[str] = []
    w = out.append
    sizes_arg = ",".join(map(str, sizes))
    picked = (f" --questions {','.join(only)}" if only else "") + (f" --before {before}" if before else "")
    w("# bonemet's named questions on synthetic corpora: rdflib against Oxigraph")
    w("")
    w(f"Generated by `python benchmarks/scale.py --questions-only --sizes {sizes_arg} --timeout {timeout:g} "
      f"--question-cap {cap:g}{picked}` on {platform.node() or 'this machine'} ({os.cpu_count()} CPUs, Python "
      f"{platform.python_version()}, {platform.machine()}); {time.strftime('%Y-%m-%d %H:%M')}. One run; the engines one after "
      f"the other, each in a fresh process. The derived layer is computed first (with "
      f"{meta[sizes[0]].get('layer', 'the rules of ontology/rules.ttl')}) and loaded with the facts. *n* = "
      f"vocabulary and data, before the derived layer.")
    w("")
    for size in sizes:
        n = meta[size]["triples"]
        out.extend(_question_tables(results[size], names, cap,
                                    f"Named questions at {_label(size)} (n={n:,}, {meta[size]['documents']} docs)"))
    return "\n".join(out)


def _report(sizes, results, meta, names, timeout, cap, starts) -> str:
    out: list[str] = []
    w = out.append
    sizes_arg = ",".join(map(str, sizes))
    w("# bonemet on synthetic corpora: how each step grows")
    w("")
    w(f"Generated by `python benchmarks/scale.py --sizes {sizes_arg} --timeout {timeout:g} --question-cap {cap:g}` on "
      f"{platform.node() or 'this machine'} ({os.cpu_count()} CPUs, Python {platform.python_version()}, "
      f"{platform.machine()}); {time.strftime('%Y-%m-%d %H:%M')}. Every figure in this file was measured in that one run, "
      f"one step after another (never two at once). Each step is a fresh process. A step still running after "
      f"{timeout:g} s was killed (\"timeout\"), and not run at the larger sizes (\"not run\"). Growth exponent = "
      f"log(t2/t1)/log(n2/n1) between consecutive sizes (1 = linear). *n* is the graph measured: vocabulary and data, "
      f"before the derived layer.")
    w("")
    w("The corpus: documents of about 1,400 triples each (record, sections, content units, fact records, references), "
      "all naming entities of one shared, seeded pool (12 cancer types, 8 bone sites, 40 signs, 5 organs, ...), each "
      "declared by the first document that names it; see benchmarks/generate.py.")
    w("")
    w("## Start-up (whole processes, interleaved, median of 7 rounds)")
    w("")
    base = dict((name, m) for name, m, _t in starts)["python -c pass"]
    rdflib_import = dict((name, m) for name, m, _t in starts)['python -c "import rdflib"']
    w("| command | median s | min s | max s | minus `python -c pass` | ratio to `import rdflib` |")
    w("|---|---:|---:|---:|---:|---:|")
    for name, median, times in starts:
        w(f"| `{name}` | {median:.3f} | {min(times):.3f} | {max(times):.3f} | {median - base:+.3f} | {median / rdflib_import:.2f} |")
    w("")
    pairs = list(zip(sizes, sizes[1:]))

    def col(size):
        return f"{_label(size)} (n={meta[size]['triples']:,}, {meta[size]['documents']} docs)"

    w("## Load (vocabulary + synthetic data, timed inside the process)")
    w("")
    w("| size | rdflib s | rdflib peak MB | Oxigraph s | Oxigraph peak MB | Oxigraph speed-up |")
    w("|---|---:|---:|---:|---:|---:|")
    for size in sizes:
        a, b = results[size]["load-rdflib"], results[size]["load-oxigraph"]
        w(f"| {col(size)} | {_secs(a)} | {_mb(a)} | {_secs(b)} | {_mb(b)} | {_ratio(a, b)} |")
    for s1, s2 in pairs:
        r1, r2 = results[s1], results[s2]
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(r1['load-rdflib'], r2['load-rdflib'], meta[s1]['triples'], meta[s2]['triples'])} | "
          f"| {_exponent(r1['load-oxigraph'], r2['load-oxigraph'], meta[s1]['triples'], meta[s2]['triples'])} | | |")
    w("")
    w("## Derive (`bonemet.derivation.add_to_store` on the Oxigraph store of the facts)")
    w("")
    w("The rules of ontology/rules.ttl. Derived = triples added (derived triples and their bm:Derivation records); "
      "records (premise links) per rule.")
    w("")
    w("| size | s | derived triples | derived / facts | site-rule records (premise links) | sign-rule records (premise links) |")
    w("|---|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = results[size]["derive"]
        derived = ratio = site = sign = "-"
        if _ok(r) and "derived" in r:
            derived, ratio = f"{r['derived']:,}", f"{r['derived'] / r['facts']:.3f}"
            site, sign = (f"{n:,} ({links:,})" for n, links in (r["rules"].get(k, (0, 0)) for k in ("site-rule", "sign-rule")))
        w(f"| {col(size)} | {_secs(r)} | {derived} | {ratio} | {site} | {sign} |")
    for s1, s2 in pairs:
        r1, r2 = results[s1], results[s2]
        n1, n2 = meta[s1]["triples"], meta[s2]["triples"]
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(r1['derive'], r2['derive'], n1, n2)} | "
          f"{_exponent(r1['derive'], r2['derive'], n1, n2, 'derived')} | | | |")
    w("")
    w("## Validate (the whole `bonemet validate --no-cache DATA` process: the whole graph at once; wall time, peak RSS from wait4)")
    w("")
    w("On Oxigraph (the default engine) and, one step after, with `--engine pyshacl` (one rdflib graph, pySHACL: the reference, and the path of every earlier run). Speed-up = pySHACL s / Oxigraph s.")
    w("")
    w("| size | Oxigraph s | Oxigraph peak MB | pySHACL s | pySHACL peak MB | speed-up | verdict (Oxigraph) |")
    w("|---|---:|---:|---:|---:|---:|---|")
    for size in sizes:
        a, b = results[size]["validate"], results[size].get("validate-pyshacl", {"skipped": True})
        ratio = f"{b['seconds'] / a['seconds']:.1f}x" if _ok(a) and _ok(b) and a["seconds"] else "-"
        w(f"| {col(size)} | {_secs(a)} | {_mb(a)} | {_secs(b)} | {_mb(b)} | {ratio} | {a.get('verdict') or '-'} |")
    for s1, s2 in pairs:
        r1, r2 = results[s1], results[s2]
        n1, n2 = meta[s1]["triples"], meta[s2]["triples"]
        growth = _exponent(r1.get("validate-pyshacl"), r2.get("validate-pyshacl"), n1, n2)
        w(f"| growth {_label(s1)}→{_label(s2)} | {_exponent(r1['validate'], r2['validate'], n1, n2)} | | {growth} | | | |")
    w("")
    again = {_label(s): results[s]["revalidate"] for s in sizes if results[s].get("revalidate")}
    if again:
        revalidate = _load_module("bonemet_revalidate", HERE / "revalidate.py")
        w("### Validating again after one page changed (benchmarks/revalidate.py's steps, each a new `bonemet validate` process, one cache folder)")
        w("")
        for line in revalidate.table(again):
            w(line)
        w("")
    staged = [s for s in sizes if _ok(results[s]["validate-stages"])]
    if staged:
        w("### Validate by stage (benchmarks/validate_stages.py, a second process; seconds, and the process's RSS / high-water mark in MB after the stage)")
        w("")
        w("| stage | " + " | ".join(_label(s) for s in staged) + " |")
        w("|---|" + "---:|" * len(staged))
        stage_names = [st["stage"] for st in results[staged[0]]["validate-stages"]["stages"]["stages"]]
        for name in stage_names:
            cells = []
            for s in staged:
                st = {x["stage"]: x for x in results[s]["validate-stages"]["stages"]["stages"]}[name]
                cells.append(f"{_fmt(st['seconds'])} ({st['rss_mb']:.0f} / {st['hwm_mb']:.0f})" if st["calls"] else "-")
            w(f"| {name} | " + " | ".join(cells) + " |")
        cells = []
        for s in staged:
            info = results[s]["validate-stages"]["stages"]
            rest = info["total"] - sum(st["seconds"] for st in info["stages"])
            cells.append(_fmt(rest))
        w("| the rest (imports, building the report graph, ...) | " + " | ".join(cells) + " |")
        w("| **in the process** | " + " | ".join(_fmt(results[s]["validate-stages"]["stages"]["total"]) for s in staged) + " |")
        w("| **whole process (wall)** | " + " | ".join(_fmt(results[s]["validate-stages"]["wall"]) for s in staged) + " |")
        w("")
    w("## Export (`bonemet.serialization.serialize(graph, \"turtle\")` of facts and layer)")
    w("")
    w("| size | s | peak MB | MB before the step | MB written |")
    w("|---|---:|---:|---:|---:|")
    for size in sizes:
        r = results[size].get("export")
        written = f"{r['bytes'] / 1e6:.1f}" if _ok(r) else "-"
        w(f"| {col(size)} | {_secs(r)} | {_mb(r)} | {_mb(r, 'base_kb')} | {written} |")
    w("")
    for size in sizes:
        out.extend(_question_tables(results[size], names, cap, f"Named questions at {col(size)}"))
    if pairs:
        w("## Growth exponents of the named questions")
        w("")
        head = " | ".join(f"rdflib {_label(a)}→{_label(b)} | Oxigraph {_label(a)}→{_label(b)}" for a, b in pairs)
        w(f"| question | {head} |")
        w("|---|" + "---:|" * (2 * len(pairs)))
        for name in names:
            cells = []
            for s1, s2 in pairs:
                for engine in ("questions-rdflib", "questions-oxigraph"):
                    a = ((results[s1].get(engine) or {}).get("answers") or {}).get(name)
                    b = ((results[s2].get(engine) or {}).get("answers") or {}).get(name)
                    cells.append(_exponent(a, b, meta[s1]["triples"], meta[s2]["triples"]))
            w(f"| {name} | " + " | ".join(cells) + " |")
        w("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated data sizes in triples (default 10000,100000,1000000)")
    parser.add_argument("--quick", action="store_true", help="10k and 30k only")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one step may take before it is killed")
    parser.add_argument("--question-cap", type=float, default=60.0, help="seconds one question may take on rdflib")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="where to write the synthetic corpora (kept); default a temporary folder, removed")
    parser.add_argument("--output", type=Path, help=f"Markdown file to overwrite (default {RESULTS}, except with --questions-only)")
    parser.add_argument("--questions-only", action="store_true",
                        help="measure only the named questions (and the derived layer they need) at each size; "
                             "writes to --output only when given (default: standard output)")
    parser.add_argument("--questions", help="comma-separated names: measure only these questions")
    parser.add_argument("--before", type=Path, help="a folder with an earlier text of the questions (NAME.rq): each "
                        "is asked too, just before the current text, in the same process; the answers must be the same")
    parser.add_argument("--keep-layer", action="store_true", help="with --questions-only and --workdir: use the derived "
                        "layer an earlier run left in the workdir for the same size and seed, instead of deriving it again")
    parser.add_argument("--queries", type=Path, help="ask the .rq files of this folder instead of queries/ "
                        "(to measure another text of the questions on the same corpus)")
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
        only = [n.strip() for n in args.questions.split(",") if n.strip()] if args.questions else None
        _use_queries(str(args.queries.resolve()) if args.queries else None)
        if only:
            from bonemet.sparql import catalogue

            unknown = sorted(set(only) - set(catalogue.names()))
            if unknown:
                parser.error(f"--questions: no question is named {', '.join(unknown)}")
        report, failed = run(sizes, args.timeout, args.question_cap, args.seed, workdir,
                             questions_only=args.questions_only, only=only,
                             queries=str(args.queries.resolve()) if args.queries else None,
                             keep_layer=args.keep_layer and args.questions_only,
                             before=str(args.before.resolve()) if args.before else None)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report)
    output = args.output or (None if args.questions_only else RESULTS)
    if output is not None:
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(report + "\n", encoding="utf-8")
        tmp.replace(output)
        _progress(f"wrote {output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
