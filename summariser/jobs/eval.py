"""The `eval` job: the publication gate on draft files, and a reviewer's report of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.jobs.common import ProjectOptions, open_project

if TYPE_CHECKING:
    from summariser.gate.run import EvalReport


@dataclass(frozen=True, kw_only=True)
class EvalOptions(ProjectOptions):
    drafts: tuple[Path, ...]  # drafts/<section>.json, .md, .txt, .docx or .html; a report
    format: str | None = None  # a reviewer's report: "md", "html" or "json" (gate.review.FORMATS)
    output: Path | None = None  # where to write it; without, it is returned as text


@dataclass(frozen=True)
class EvalResult:
    report: EvalReport
    rendered: str | None = None  # the reviewer's report, when asked for without an output
    written: Path | None = None  # where the reviewer's report was written

    @property
    def passed(self) -> bool:
        return self.report.passed


def evaluate(options: EvalOptions) -> EvalResult:
    from summariser.gate.review import render
    from summariser.gate.run import evaluate_paths
    from summariser.outputs import finish_publishing, write_atomic

    manifest, store = open_project(options)
    store.require()
    for folder in {path.parent for path in options.drafts}:
        finish_publishing(folder)  # a report a crash left half switched in: read it whole
    report = evaluate_paths(options.drafts, manifest, store)
    if options.format is None:
        return EvalResult(report)
    text = render(report, options.format)
    if options.output is None:
        return EvalResult(report, rendered=text)
    write_atomic(options.output, text)
    return EvalResult(report, written=options.output)
