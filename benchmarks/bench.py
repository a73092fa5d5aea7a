"""Time the everyday commands side by side with their baselines, in one run.

Whole processes are timed (start-up included), interleaved, and the median of
several rounds is reported together with its ratio to the baseline measured in
the same run: absolute times drift on a shared machine, ratios much less.

Every command runs once untimed first, so that what is timed is the everyday run: with
the graph in bonemet's cache folder (and ``validate``'s report kept there: nothing changed
since; ``--no-cache`` validates the whole graph), and with every package's bytecode compiled, as an
installed package has it (pip compiles rdflib's when it installs it). The bytecode goes
to a folder of this run (PYTHONPYCACHEPREFIX), not into the source tree, even where
PYTHONDONTWRITEBYTECODE is set; ``--as-is`` runs the commands in the environment as it is.

    python benchmarks/bench.py [--rounds N] [--as-is]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
BONEMET = str(Path(PYTHON).with_name("bonemet")) if Path(PYTHON).with_name("bonemet").exists() else shutil.which("bonemet")

CASES = [
    # (name, command, baseline name)
    ("python -c 'import rdflib'", [PYTHON, "-c", "import rdflib"], None),
    ("python -c 'import pyshacl'", [PYTHON, "-c", "import pyshacl"], None),
    ("bonemet query signs-and-symptoms", [BONEMET, "query", "signs-and-symptoms"], "python -c 'import rdflib'"),
    ("bonemet query signs-and-symptoms --format xml", [BONEMET, "query", "signs-and-symptoms", "--format", "xml"], "python -c 'import rdflib'"),
    ("bonemet query signs-and-symptoms --no-cache", [BONEMET, "query", "signs-and-symptoms", "--no-cache"], "python -c 'import rdflib'"),
    ("bonemet query signs-and-symptoms --engine rdflib", [BONEMET, "query", "signs-and-symptoms", "--engine", "rdflib"], "python -c 'import rdflib'"),
    ("bonemet validate", [BONEMET, "validate"], "python -c 'import pyshacl'"),
    ("bonemet validate --no-cache", [BONEMET, "validate", "--no-cache"], "python -c 'import pyshacl'"),
    ("bonemet export --format turtle", [BONEMET, "export", "--format", "turtle"], "python -c 'import rdflib'"),
]


def _time(command: list[str], env: dict[str, str] | None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--as-is", action="store_true", help="run the commands in the environment as it is (bytecode as it is)")
    args = parser.parse_args()
    if BONEMET is None:
        sys.stderr.write("bench: error: no bonemet command found. Run 'make bench', which installs it into .venv.\n")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-bytecode-") as bytecode:
        env = None
        if not args.as_is:
            env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = bytecode
        for _name, command, _baseline in CASES:  # untimed: bytecode compiled, the graph cached
            _time(command, env)
        samples: dict[str, list[float]] = {name: [] for name, _c, _b in CASES}
        for _round in range(args.rounds):
            for name, command, _baseline in CASES:  # interleaved, so drift hits every case alike
                samples[name].append(_time(command, env))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    print("| command | median (s) | ratio to baseline |")
    print("|---|---:|---:|")
    for name, _command, baseline in CASES:
        ratio = f"{medians[name] / medians[baseline]:.2f} x `{baseline}`" if baseline else "baseline"
        print(f"| `{name}` | {medians[name]:.3f} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
