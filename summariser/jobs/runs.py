"""The `runs` job: the project's drafting runs, newest first, from its run log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summariser.draft.runlog import RunSummary


@dataclass(frozen=True, kw_only=True)
class RunsOptions:
    project: Path = Path(".")
    limit: int = 20


def runs(options: RunsOptions) -> tuple[RunSummary, ...]:
    from summariser.draft.runlog import runlog_for
    from summariser.project.manifest import load_manifest

    return tuple(runlog_for(load_manifest(options.project)).runs(options.limit))
