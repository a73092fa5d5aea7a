"""Validating again after one page changed: `bonemet validate` with its cache, beside the
whole validation (`--no-cache`), on synthetic corpora, whole processes, in one run.

    python benchmarks/revalidate.py [--sizes 10000,100000] [--out FILE]

For each size a corpus is generated (benchmarks/generate.py) and, in a fresh cache
folder, these run one after another, each a new process (wall time and peak memory from
wait4):

1. ``validate --no-cache``: the whole graph at once;
2. ``validate`` with an empty cache: every unit validated, its results kept;
3. ``validate`` again, nothing changed: the kept report;
4. ``validate`` after one quote of one page was changed (the record in the middle of the
   file): read from the snapshot step 2 kept (for N-Triples data), that page's unit is
   rebuilt and validated again, the rest kept, the graph neither loaded nor split; the
   report names the quote;
5. ``validate`` after the change was undone: every unit's results kept.

The verdicts must agree with the whole validation on the same bytes (step 1 and steps
2, 3 and 5 conform; step 4 does not, as ``--no-cache`` on the edited file does not).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _module(name: str, file: Path):
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _edit(path: Path) -> tuple[bytes, str]:
    """Change the quote of the record in the middle of the file; the old bytes, and which record."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    quotes = [i for i, line in enumerate(lines) if b"/vocab#quote> \"" in line]
    number = quotes[len(quotes) // 2]
    line = lines[number]
    lines[number] = line[: line.rindex(b'"')] + b' (edited)"' + line[line.rindex(b'"') + 1:]
    path.write_bytes(b"\n".join(lines))
    return data, line.split(b" ")[0].decode()


def sequence(files: list[str], cache: Path, timeout: float, run_process, label: str = "") -> list[tuple[str, dict]]:
    """Steps 1 to 5 on ``files`` (the first is edited, then restored), with the cache in
    ``cache``: (step, what ``run_process`` gave) each."""
    command = [sys.executable, "-m", "bonemet", "validate", *files]
    rows = []
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)

    def run(step: str, extra: list[str] = ()) -> dict:
        print(f"revalidate: {label}: {step}", file=sys.stderr, flush=True)
        result = run_process([*command, *extra], timeout)
        rows.append((step, result))
        return result

    try:
        run("whole graph (`--no-cache`)", ["--no-cache"])
        run("empty cache: every unit validated")
        run("nothing changed: the kept report")
        original, record = _edit(Path(files[0]))
        try:
            edited = run(f"one quote of one page changed ({record.strip('<>').rsplit('/', 1)[-1]})")
            whole = run("the same edited file, `--no-cache`", ["--no-cache"])
        finally:
            Path(files[0]).write_bytes(original)
        if not edited.get("exit") == whole.get("exit") == 1:
            raise SystemExit(f"revalidate: the edited corpus gave exit {edited.get('exit')} with the cache, {whole.get('exit')} without")
        run("the change undone")
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    return rows


def table(rows_by_size: dict) -> list[str]:
    """The Markdown rows of :func:`sequence`'s results, by size."""
    lines = ["| size | step | s | peak MB | exit |", "|---|---|---:|---:|---:|"]
    for size, rows in rows_by_size.items():
        for step, result in rows:
            seconds = result.get("wall")
            peak = result.get("maxrss_kb")
            lines.append(f"| {size} | {step} | {seconds:.2f} | {peak / 1024:.0f} | {result.get('exit')} |"
                         if seconds is not None and peak is not None else f"| {size} | {step} | timeout | | |")
    return lines


def measure(size: int, timeout: float, scale) -> list[tuple[str, dict]]:
    generate = _module("bonemet_synthetic_generate", HERE / "generate.py")
    with tempfile.TemporaryDirectory(prefix="bonemet-revalidate-") as work:
        files = [str(p) for p in generate.generate(size, Path(work) / "corpus", seed=0)]
        return sequence(files, Path(work) / "cache", timeout, scale._run_process, f"{size:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    scale = _module("bonemet_scale", HERE / "scale.py")
    lines = [
        "## Validating again after one page changed (benchmarks/revalidate.py)",
        "",
        f"Generated by `python benchmarks/revalidate.py --sizes {args.sizes}` on {platform.node()} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}); {time.strftime('%Y-%m-%d %H:%M')}. "
        "Each step is a new `bonemet validate` process, one after another, in one cache folder; "
        "wall time and peak memory from wait4; exit 0 conforms, 1 does not.",
        "",
    ]
    lines += table({f"{size:,}": measure(size, args.timeout, scale) for size in (int(s) for s in args.sizes.split(","))})
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
