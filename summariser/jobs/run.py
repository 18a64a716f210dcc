"""The `run` job: the whole job in one go: ingest the sources, draft every section, write the
report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from summariser.draft.backends import check_backend
from summariser.jobs.common import open_project
from summariser.jobs.draft import refuse_fallback
from summariser.jobs.report import ReportOptions, ReportResult, assemble
from summariser.progress import NoProgress, Progress

if TYPE_CHECKING:
    from summariser.index.ingest import IngestReport


@dataclass(frozen=True, kw_only=True)
class RunOptions(ReportOptions):
    """The report's options; `run` ingests and drafts with the same store, embedder and model."""


@dataclass(frozen=True)
class RunResult:
    ingested: IngestReport
    drafted: int  # sections drafted by this run (those the analyst edited are left)
    notes: tuple[str, ...]  # sections left as they were, and notes on the sources
    report: ReportResult


def run(options: RunOptions, progress: Progress = NoProgress()) -> RunResult:
    from summariser.draft.pipeline import MOVED, NAMED, draft_sections
    from summariser.index.ingest import ingest

    check_backend(options.llm)
    manifest, store = open_project(options)
    ingested = ingest(manifest, store, options.embedder, None, progress)
    # Redraft every section (the corpus may have changed), except those the analyst edited.
    drafted, notes, fell_back = 0, [], []
    progress.start(len(manifest.sections), "Drafting sections")
    for made in draft_sections(manifest, store, manifest.sections, options.embedder,
                               options.llm, command="run"):
        progress.advance(1)
        if made.draft is None:
            notes.append(f"{made.section.heading}: {made.kept}")
        else:
            drafted += 1
            notes += [f"{made.section.heading}: {note}" for note in made.draft.notes
                      if note.startswith(("Source ", MOVED, NAMED))]
            if made.draft.fallback:
                fell_back.append((made.section.heading, made.draft.fallback))
    refuse_fallback(options.llm, fell_back)
    built = assemble(options, progress)
    return RunResult(ingested, drafted, tuple(notes), built)
