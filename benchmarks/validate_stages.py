"""Run `bonemet validate` in this process and write where its time and memory went, by stage.

    python benchmarks/validate_stages.py --json OUT.json DATA_FILE...

The command is bonemet's own whole validation (``bonemet.cli.main(["validate", "--no-cache",
...])``, every stage at once, no cache); this script only
wraps the functions each stage calls with a timer and reads the process's resident
memory (VmRSS) and high-water mark (VmHWM) after each. A stage nested in another, in the
same thread, is counted in the outer one only. From 50,000 triples, grounding and the
closed-vocabulary passes run in a forked process while this one runs the Core shapes, and
that process then takes whole-graph checks too: this process shows only the checks it
took and the time it then waits for the other.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


STAGES = [
    # (module, attribute, stage); the stages of the default path (Turtle and N-Triples on
    # Oxigraph) and those of the rdflib path, which show "-" when the run did not use them
    ("bonemet.checks.validation", "_on_store", "load into Oxigraph, each term screened (default path: a file without blank nodes loaded by the store while a thread parses and screens it; the vocabulary's rdflib copy too)"),
    ("bonemet.checks.validation", "parse_into", "parse into rdflib (rdflib path)"),
    ("bonemet.store", "store_from_sources", "load into Oxigraph (rdflib path)"),
    ("bonemet.checks.closed", "check", "closed-vocabulary checks (below 50,000 triples)"),
    ("bonemet.checks.validation", "_source_texts", "read source texts"),
    ("bonemet.derivation", "layer_to_add", "derived layer on Oxigraph (derive, keep what the store lacks)"),
    ("bonemet.checks.derived", "check", "derived layer (derive + check; rdflib path)"),
    ("bonemet.checks.wholegraph", "split", "split the shapes"),
    ("bonemet.checks.validation", "_core_report", "SHACL Core shapes (checks/core.py, on Oxigraph)"),
    ("pyshacl", "validate", "pySHACL Core shapes (rdflib path)"),
    ("bonemet.checks.validation", "_add_to_store", "add texts and layer to Oxigraph (rdflib path)"),
    ("bonemet.checks.grounding", "check", "grounding checks (below 50,000 triples)"),
    ("bonemet.checks.validation", "empty_shapes", "zero-focus shapes"),
    ("bonemet.checks.wholegraph", "solutions", "whole-graph checks this process took (Oxigraph; from 50,000 triples the forked process takes the others)"),
    ("bonemet.checks.validation", "_result_beside", "waiting for the forked process: closed-vocabulary and grounding checks, then the whole-graph checks it took (from 50,000 triples)"),
    ("bonemet.checks.grounding", "add_to_report", "grounding results into the report"),
    ("bonemet.checks.validation", "_finding", "findings from the report"),
    ("bonemet.checks.report", "render_report", "render the report"),
]


def _kb(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    import importlib

    sys.path.insert(0, str(HERE))
    seconds: dict[str, float] = {}
    calls: dict[str, int] = {}
    memory: dict[str, list[int]] = {}
    nesting = threading.local()

    def wrap(fn, stage):
        @functools.wraps(fn)
        def timed(*a, **k):
            depth = getattr(nesting, "depth", 0)
            if depth:
                return fn(*a, **k)
            nesting.depth = depth + 1
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                nesting.depth = depth
                seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - t
                calls[stage] = calls.get(stage, 0) + 1
                memory[stage] = [_kb("VmRSS"), _kb("VmHWM")]
        return timed

    for module_name, attribute, stage in STAGES:
        module = importlib.import_module(module_name)
        setattr(module, attribute, wrap(getattr(module, attribute), stage))
    imported = time.perf_counter() - start
    from bonemet.cli import main as bonemet_main

    code = bonemet_main(["validate", "--no-cache", *args.files])
    total = time.perf_counter() - start
    stages = [{"stage": stage, "seconds": seconds.get(stage, 0.0), "calls": calls.get(stage, 0),
               "rss_mb": memory.get(stage, [0, 0])[0] / 1024, "hwm_mb": memory.get(stage, [0, 0])[1] / 1024}
              for _m, _a, stage in STAGES]
    args.json.write_text(json.dumps({"exit": code, "total": total, "imports": imported, "stages": stages,
                                     "peak_mb": _kb("VmHWM") / 1024}, indent=1), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
