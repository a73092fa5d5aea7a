"""Everything ``make run`` does: validate, answer every question, export every format."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bonemet import progress, stats
from bonemet.exports import formats as exports
from bonemet.sparql import questions
from bonemet.checks import validation
from bonemet.errors import OutputError
from bonemet.graph import load_graph


@dataclass
class BuildResult:
    stats: stats.Stats
    report: validation.Report
    checks: list[questions.Check]
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.conforms and all(c.passed for c in self.checks)


def build(out_dir: Path | str = "build", *, strict: bool = False) -> BuildResult:
    """Validate the shipped graph, check every named question, write every export into ``out_dir``."""
    out_dir = Path(out_dir)
    graph = load_graph()
    report = validation.check(graph, validation.load_shapes(), strict=strict)
    progress.step("answering the named questions")
    checks = questions.check_all(graph)
    progress.step(f"writing the exports into {out_dir}")
    written = _write_whole(exports.render_all(graph), out_dir)
    return BuildResult(stats.compute(graph), report, checks, written)


def render_summary(result: BuildResult) -> str:
    passed = sum(c.passed for c in result.checks)
    lines = [
        f"triples     {result.stats.triples}",
        f"entities    {result.stats.entities}",
        f"facts       {result.stats.facts}",
        f"validation  {'conforms' if result.report.conforms else 'DOES NOT CONFORM'}"
        f" ({result.report.count('Violation')} violations, {result.report.count('Warning')} warnings)",
        f"questions   {passed} of {len(result.checks)} passed",
    ]
    for check in result.checks:
        mark = "ok  " if check.passed else "FAIL"
        lines.append(f"  {mark} {check.question.name}")
        if check.error:
            lines.append(f"       {check.error}")
        elif check.difference and not check.difference.same:
            lines.append(f"       {len(check.difference.missing)} rows missing, {len(check.difference.extra)} rows extra")
    lines.append(f"files       {len(result.written)} written")
    lines += [f"  {path}" for path in result.written]
    return "\n".join(lines) + "\n"


def _write_whole(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Write every file into a staging folder beside ``out_dir``, then swap it into place:
    ``out_dir`` always holds one whole build, the old one or the new, never a mix (a build
    that fails partway, on a full disk say, leaves the old one as it was)."""
    import os
    import shutil

    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the folder {out_dir} ({err.strerror})", "choose a folder you can write in with --output") from None
    _remove_stale_staging(parent, out_dir.name)
    staging = parent / f".{out_dir.name}.staging.{os.getpid()}"
    retired = parent / f".{out_dir.name}.retired.{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        exports.write(files, staging)
        if out_dir.exists():
            os.replace(out_dir, retired)
        os.replace(staging, out_dir)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            os.replace(retired, out_dir)
        raise OutputError(f"cannot write the build into {out_dir} ({err.strerror})", "check the free space and the permissions of its folder") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return [out_dir / name for name in files]


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Staging and retired folders of builds that were killed before they finished."""
    import shutil

    from bonemet.files import process_runs

    for candidate in parent.glob(f".{name}.*.*"):
        kind, _dot, pid = candidate.name[len(name) + 2:].partition(".")
        if kind in ("staging", "retired") and pid.isdigit() and not process_runs(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)
