"""The `draft` job: draft the project's sections into drafts/, leaving the analyst's edits be."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.draft.backends import LLMOptions, check_backend
from summariser.index.embedders import DEFAULT_EMBEDDER
from summariser.jobs.common import ProjectOptions, open_project
from summariser.progress import NoProgress, Progress

if TYPE_CHECKING:
    from summariser.draft.records import SectionDraft
    from summariser.project.manifest import Section


@dataclass(frozen=True, kw_only=True)
class DraftOptions(ProjectOptions):
    sections: tuple[str, ...] = ()  # ids or numbers; none: every section
    output: Path | None = None  # default: drafts/ in the project
    restart: bool = False  # redraft edited sections too, keeping a backup in drafts/.backup/
    themes: int | None = None  # themes per section (default: the manifest's, else scaled)
    llm: LLMOptions = LLMOptions()
    embedder: str = DEFAULT_EMBEDDER
    engine: str = "local"  # where the segments are coded: summariser.engines.ENGINES
    cluster: str | None = None  # a Dask scheduler's address; default: a cluster of this machine


@dataclass(frozen=True)
class DraftSummary:
    """What a drafted section holds, in brief (the draft itself is in its files)."""

    heading: str
    themes: int
    codebook: str  # "proposed", "frame" or "analyst"
    fallback: bool  # the model's proposal could not be used: this is the offline draft
    uncoded: int  # answers coded to no theme
    quotes: int
    largest: tuple[str, str] | None  # the first theme's title and its count as words
    fallback_reason: str = ""
    moved: tuple[str, ...] = ()  # what coding an edited codebook again moved

    @classmethod
    def of(cls, draft: SectionDraft) -> DraftSummary:
        from summariser.text.wording import count_text

        top = draft.themes[0] if draft.themes else None
        largest = (top.title, count_text(len(top.respondents), draft.denominator,
                                         draft.respondent_noun)) \
            if top else None
        from summariser.draft.pipeline import MOVED

        return cls(draft.heading, len(draft.themes), draft.codebook, bool(draft.fallback),
                   len(draft.uncoded), sum(len(t.quotes) for t in draft.themes), largest,
                   draft.fallback, tuple(n for n in draft.notes if n.startswith(MOVED)))


@dataclass(frozen=True)
class DraftedSection:
    """One section of the run: what was drafted, or why its files were left as they were."""

    section: Section
    drafted: DraftSummary | None
    kept: str = ""  # why the section was not redrafted (the analyst's edits)
    backup: Path | None = None  # where --restart kept the previous files


@dataclass(frozen=True)
class DraftResult:
    directory: Path
    sections: tuple[DraftedSection, ...]


def draft(options: DraftOptions, progress: Progress = NoProgress()) -> DraftResult:
    """Draft the chosen sections, writing each one's files as soon as it is done. Only a
    summary of each is kept here, so a large section's draft is let go before the next."""
    from summariser.draft.pipeline import draft_sections
    from summariser.engines import open_engine
    from summariser.index.snapshot import require_current

    check_backend(options.llm)
    manifest, store = open_project(options)
    require_current(manifest, store)  # never draft from a store the sources have moved past
    chosen = [manifest.section(s) for s in options.sections] or list(manifest.sections)
    directory = options.output or manifest.inside("drafts")
    done: list[DraftedSection] = []
    progress.start(len(chosen), "Drafting sections")
    with open_engine(options.engine, options.cluster) as engine:
        for made in draft_sections(manifest, store, chosen, options.embedder, options.llm,
                                   directory=directory, restart=options.restart,
                                   themes=options.themes, engine=engine):
            progress.advance(1)
            summary = None if made.draft is None \
                else DraftSummary.of(made.draft)
            done.append(DraftedSection(made.section, summary, made.kept, made.backup))
            del made  # a large section's draft is let go before the next one is drafted
    refuse_fallback(options.llm, [(d.section.heading, d.drafted.fallback_reason) for d in done
                                  if d.drafted is not None and d.drafted.fallback])
    return DraftResult(directory, tuple(done))


def refuse_fallback(llm: LLMOptions, fell_back: list[tuple[str, str]]) -> None:
    """A model run whose section is the offline draft instead (every reply unusable, or themes
    that coded almost no one) fails the command, unless offline drafts were allowed: a pipeline
    must be able to tell. The drafts are written, each with its banner."""
    if fell_back and not llm.allow_fallback:
        from summariser.errors import DraftError

        which = "; ".join(f"{heading} ({reason})" for heading, reason in fell_back)
        raise DraftError(f"The model could not draft {len(fell_back)} section(s), written as "
                         f"offline drafts with a banner: {which}. Pass --allow-fallback to "
                         "accept them, or see 'summariser runs' and try another model")
