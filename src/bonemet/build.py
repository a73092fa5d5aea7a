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
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the folder {out_dir} ({err.strerror})", "choose a folder you can write in with --output") from None
    progress.step(f"writing the exports into {out_dir}")
    written = exports.write(exports.render_all(graph), out_dir)
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
