"""The `report` job: the whole report from the drafts as the analyst left them, drafting first
any section with no draft or whose codebook changed since it was coded. Its statistics, themes
and quotes all come from what the last ingest stored (`summariser.index.snapshot`); it stops
when a source file changed since."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.draft.backends import LLMOptions, check_backend
from summariser.errors import DraftError
from summariser.index.embedders import DEFAULT_EMBEDDER
from summariser.jobs.common import ProjectOptions, open_project
from summariser.progress import NoProgress, Progress
from summariser.report.assemble import FORMATS, ReportFiles

if TYPE_CHECKING:
    from summariser.draft.files import SectionFiles
    from summariser.project.manifest import Manifest
    from summariser.report.sections import SectionText
    from summariser.report.stats import Stats


@dataclass(frozen=True, kw_only=True)
class ReportOptions(ProjectOptions):
    output: Path | None = None  # default: out/ in the project
    formats: tuple[str, ...] = FORMATS
    allow_failures: bool = False  # write a report that fails the gate, its failures listed
    allow_unchecked: tuple[str, ...] = ()  # unchecked numbers to publish, by their words
    llm: LLMOptions = LLMOptions()  # for sections that must be drafted first
    embedder: str = DEFAULT_EMBEDDER


@dataclass(frozen=True)
class ReportResult:
    manifest: Manifest
    stats: Stats
    texts: tuple[SectionText, ...]  # the sections as the report prints them
    files: ReportFiles
    drafted: int  # sections drafted first: missing, or with a changed codebook
    notes: tuple[str, ...] = ()  # what coding a changed codebook again moved


def report(options: ReportOptions, progress: Progress = NoProgress()) -> ReportResult:
    check_backend(options.llm)  # before any work: a missing key costs nothing
    return assemble(options, progress)


def assemble(options: ReportOptions, progress: Progress = NoProgress()) -> ReportResult:
    """The report job once the backend has been checked (`run` checks it before ingesting)."""
    from summariser.draft.files import SectionFiles
    from summariser.draft.pipeline import MOVED, draft_sections
    from summariser.gate.run import evaluate_paths
    from summariser.index.snapshot import require_current, stored_corpus
    from summariser.outputs import finish_publishing
    from summariser.report.assemble import check_drafts, gate_result, write_report
    from summariser.report.disclosure import breakdowns
    from summariser.report.sections import Attribution, check_privacy, read_section
    from summariser.report.stats import compute_stats

    manifest, store = open_project(options)
    out = options.output or manifest.inside("out")
    finish_publishing(out)  # a report a crash left half switched in is finished, whatever next
    require_current(manifest, store)  # statistics, themes and quotes from one snapshot
    draft_dir = manifest.inside("drafts")
    missing = [s for s in manifest.sections if _needs_drafting(SectionFiles(draft_dir, s.id))]
    notes: list[str] = []
    if missing:
        progress.start(len(missing), f"Drafting {len(missing)} section(s) missing or with a "
                                     "changed codebook")
        for made in draft_sections(manifest, store, missing, options.embedder, options.llm,
                                   command="report", directory=draft_dir):
            if made.draft is None:
                raise DraftError(f"{made.section.heading}: {made.kept}")
            notes += [f"{made.section.heading}: {note}" for note in made.draft.notes
                      if note.startswith(MOVED)]
            progress.advance(1)
    attribution = Attribution(manifest, store.responses())
    texts = [attribution.masked(t) for t in (read_section(s, draft_dir)
                                             for s in manifest.sections) if t]
    check_privacy(manifest, {t.section.id: t.draft.denominator for t in texts if t.draft})
    corpus = stored_corpus(store)
    stats = compute_stats(manifest, corpus)
    gate = check_drafts(manifest, store, texts, draft_dir)
    files = write_report(manifest, texts, stats, out, gate,
                         attribution, options.allow_failures,
                         options.formats, breakdowns(manifest, corpus), options.allow_unchecked,
                         check=lambda path: gate_result(evaluate_paths([path], manifest, store)))
    return ReportResult(manifest, stats, tuple(texts), files, len(missing), tuple(notes))


def _needs_drafting(files: SectionFiles) -> bool:
    """A section with no draft, or whose codebook the analyst changed after it was coded (its
    counts would be the old codebook's). A changed codebook beside an edited draft is refused:
    recoding would replace the analyst's wording."""
    if not files.markdown.exists():
        return True
    state = files.state()
    if not state.codebook_changed:
        return False
    if state.markdown_edited:
        raise DraftError(f"{files.codebook}: changed after {files.markdown.name} was drafted, and "
                         "the draft has your edits too; run 'summariser draft --restart -s "
                         f"{files.section_id}' to code the section against the codebook (your "
                         "draft is kept in drafts/.backup/), or undo the codebook change")
    return True
