"""Everything ``make run`` does: validate, answer every question, export every format."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bonemet import progress, stats
from bonemet.exports import formats as exports
from bonemet.sparql import questions
from bonemet.checks import validation
from bonemet.files import write_folder
from bonemet.graph import load_graph
from bonemet.show.site import render_site

#: The site's folder inside the build folder.
SITE_FOLDER = "site"


@dataclass
class BuildResult:
    stats: stats.Stats
    report: validation.Report
    checks: list[questions.Check]
    written: list[Path] = field(default_factory=list)
    site: Path | None = None
    site_files: int = 0

    @property
    def ok(self) -> bool:
        return self.report.conforms and all(c.passed for c in self.checks)


def build(out_dir: Path | str = "build", *, strict: bool = False) -> BuildResult:
    """Validate the shipped graph, check every named question, write every export and the
    site (into ``out_dir``/site) into ``out_dir``."""
    out_dir = Path(out_dir)
    graph = load_graph()
    report = validation.check(graph, validation.load_shapes(), strict=strict)
    progress.step("answering the named questions")
    checks = questions.check_all(graph)
    progress.step(f"writing the exports into {out_dir}")
    files = exports.render_all(graph)
    progress.step(f"writing the site into {out_dir / SITE_FOLDER}")
    files.update({f"{SITE_FOLDER}/{name}": data for name, data in render_site(graph, exports=files, checks=checks).items()})
    written = write_folder(files, out_dir)
    site = [path for path in written if path.relative_to(out_dir).parts[0] == SITE_FOLDER]
    exported = [path for path in written if path not in site]
    return BuildResult(stats.compute(graph), report, checks, exported, out_dir / SITE_FOLDER, len(site))


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
    if result.site is not None:
        lines.append(f"site        {result.site_files} files in {result.site}/ (open {result.site / 'index.html'})")
    return "\n".join(lines) + "\n"
