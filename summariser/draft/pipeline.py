"""Whole-project runs: draft the chosen sections with one embedder, index and backend."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from summariser.draft.backends import LLMOptions, llm_backend, registered_backend
from summariser.draft.candidates import survey_names
from summariser.draft.codebook import (
    Codebook,
    codebook_from_frame,
    read_codebook,
    render_codebook,
)
from summariser.draft.files import ChangedWhileDrafting, SectionFiles
from summariser.draft.records import QuoteRef, SectionDraft, read_draft, write_draft
from summariser.draft.runlog import runlog_for
from summariser.draft.section import Backend, draft_section, section_budget
from summariser.engines import LOCAL, Engine
from summariser.errors import DraftError
from summariser.index.embedders import make_embedder
from summariser.index.store import Store
from summariser.project.manifest import Manifest, Section
from summariser.records import Scope
from summariser.retrieve.evidence import Evidence, gather
from summariser.text.names import people_named
from summariser.text.wording import join_words
from summariser.verify.cache import scoped_index

INTERVIEWEES = ("interviewee", "interviewees")
# A model's draft counting fewer than this share of the people the offline draft counts lost the
# section: the offline draft is written instead (see _unless_emptied). Half: a model's themes
# may be fewer and finer than the offline ones, but not so few that most answers fall out.
MIN_MODEL_COVERAGE = 0.5
# A section no theme covers, of at most this many answers, prints them all, so a reader sees
# what was said rather than only that no theme says it. Not fitted: the published example
# prints its 2.7's eleven answers whole; a longer list would bury the report.
ALL_ANSWERS_SHOWN = 12


def make_backend(manifest: Manifest, options: LLMOptions, run_id: str,
                 chat_model: Any = None) -> Backend:
    """The backend the options name, from the registry (summariser.draft.backends).

    A given `chat_model` (tests, applications embedding summariser) is drafted with through the
    LLM backend instead of the model the options would construct.
    """
    if chat_model is not None:
        return llm_backend(manifest, options, run_id, chat_model)
    return registered_backend(options.backend).factory(manifest, options, run_id)


def close_backend(backend: Backend) -> None:
    """Stop what a backend started, such as the local model's server."""
    close = getattr(backend, "close", None)
    if close is not None:
        close()


@dataclass(frozen=True)
class SectionResult:
    """One section of a run: its new draft, or why its files were left as they were."""

    section: Section
    draft: SectionDraft | None
    kept: str = ""  # why the section was not redrafted (the analyst's edits)
    backup: Path | None = None  # where --restart kept the previous files


def draft_sections(manifest: Manifest, store: Store, sections: Sequence[Section],
                   embedder_name: str, options: LLMOptions = LLMOptions(),
                   chat_model: Any = None, command: str = "draft",
                   directory: Path | None = None, restart: bool = False,
                   themes: int | None = None, engine: Engine = LOCAL
                   ) -> Iterator[SectionResult]:
    """Draft each section and write its files as soon as it is done, so finished work is never
    lost. A section whose Markdown the analyst edited is left as it is; an edited codebook is
    coded against, never overwritten. `restart` backs up a section's files and starts it again.
    `themes` is how many themes to propose per section, in place of the manifest's
    `max_themes` or the budget scaled to the answers. Each section's segments are coded on
    `engine` (a cluster's workers code its chunks at once)."""
    if themes is not None:
        sections = [replace(s, max_themes=themes) for s in sections]
    store.require()
    directory = directory or manifest.inside("drafts")
    run_id = uuid.uuid4().hex[:12]
    backend = make_backend(manifest, options, run_id, chat_model)
    embedder = make_embedder(embedder_name)
    log = runlog_for(manifest)
    log.start(run_id, command, backend.name, backend.model)
    status = "failed"
    fell_back = False
    try:
        _prefetch(manifest, store, sections, embedder, backend, directory, restart)
        about = survey_names(store.responses())
        for section in sections:
            result = _one_section(manifest, store, section, embedder, backend, directory,
                                  restart, run_id, engine, about)
            fell_back |= bool(result.draft and result.draft.fallback)
            yield result
        status = "fallback" if fell_back else "ok"
    except (KeyboardInterrupt, GeneratorExit):
        status = "interrupted"
        raise
    finally:
        close_backend(backend)
        log.finish(run_id, status)


def _prefetch(manifest: Manifest, store: Store, sections: Sequence[Section], embedder: Any,
              backend: Backend, directory: Path, restart: bool) -> None:
    """Let a backend that can (a remote model) propose the sections it will be asked about
    at once, in a batch; each section is still written as soon as it is coded."""
    prefetch = getattr(backend, "prefetch", None)
    if prefetch is None:
        return
    wanted = []
    for section in sections:
        files = SectionFiles(directory, section.id)
        edited = (False, False) if restart else files.edited()
        if not any(edited) and not section.themes:
            evidence, _ = _section_evidence(manifest, store, embedder, section)
            context = " ".join(manifest.question(q).text for q in section.questions)
            wanted.append((section, evidence, section_budget(evidence, section.max_themes),
                           context))
    store.release_vectors()
    prefetch(wanted)


def _one_section(manifest: Manifest, store: Store, section: Section, embedder: Any,
                 backend: Backend, directory: Path, restart: bool, run_id: str,
                 engine: Engine = LOCAL, about: frozenset[str] = frozenset()) -> SectionResult:
    files = SectionFiles(directory, section.id)
    backup = files.backup() if restart else None
    before = files.state()
    if before.markdown_edited and not restart:
        return SectionResult(section, None, kept=(
            f"{files.markdown.name} has your edits and was left as it is (--restart redrafts "
            "it, keeping a backup)"))
    codebook, origin = None, "proposed"
    if before.codebook_edited and not restart:
        codebook, origin = read_codebook(files.codebook), "analyst"
    elif section.themes:
        codebook, origin = codebook_from_frame(section.id, section.themes), "frame"
    context = " ".join(manifest.question(q).text for q in section.questions)
    evidence, noun = _section_evidence(manifest, store, embedder, section)
    evidence = replace(evidence, about=about, masked=manifest.privacy.mask)
    # Chroma holds every vector of a part in memory once it is read (360 MiB for a section of
    # 165,000 passages): let it go while the section is coded; reopening takes under a second.
    store.release_vectors()
    index = scoped_index(store, Scope(section.questions, section.sources))
    draft, used = draft_section(section, evidence, backend, index, noun, embedder.embed,
                                codebook, origin, section.max_themes, context, run_id,
                                engine)
    if origin == "proposed" and backend.name != "extractive" and not draft.fallback:
        draft, used = _unless_emptied(draft, used, section, evidence, index, noun,
                                      embedder.embed, context, run_id)
    if section.print_all or (not draft.themes and not draft.held
                             and 0 < len(draft.uncoded) <= ALL_ANSWERS_SHOWN):
        draft = replace(draft, answers=tuple(
            QuoteRef(r.text, r.response_id, r.respondent, r.question, r.source_file, 0,
                     len(r.text), "exact") for r in index.responses
            if r.question in section.questions and r.is_participant))
    if origin == "analyst":
        draft = replace(draft, notes=(*draft.notes, *moved_counts(files.sidecar, draft)))
    draft = replace(draft, notes=(*draft.notes, *named_in_quotes(draft, evidence, manifest)))
    written = None if origin == "analyst" else render_codebook(used, section.heading)
    try:
        write_draft(draft, directory, written, before)
    except ChangedWhileDrafting as changed:
        return SectionResult(section, None, kept=str(changed), backup=backup)
    return SectionResult(section, draft, backup=backup)


def _unless_emptied(draft: SectionDraft, used: Codebook, section: Section, evidence: Evidence,
                    index: Any, noun: tuple[str, str], embed: Any, context: str, run_id: str
                    ) -> tuple[SectionDraft, Codebook]:
    """A model's draft that counts fewer than `MIN_MODEL_COVERAGE` of the people the offline
    draft counts (none at all, when its themes fit no one's words) lost the section: the
    offline draft is written instead, saying why (a reply that parsed is no draft by itself)."""
    from summariser.draft.extractive import ExtractiveBackend

    offline, book = draft_section(section, evidence, ExtractiveBackend(noun), index, noun, embed,
                                  None, "proposed", section.max_themes, context, run_id)
    mine = {e.respondent for t in draft.themes for e in t.evidence}
    theirs = {e.respondent for t in offline.themes for e in t.evidence}
    if not theirs or len(mine) >= MIN_MODEL_COVERAGE * len(theirs):
        return draft, used
    reason = (f"the themes it proposed coded {len(mine)} of the {len(theirs)} {noun[1]} the "
              "offline themes code")
    return replace(offline, backend=draft.backend, model=draft.model, fallback=reason,
                   notes=(*offline.notes, f"Offline draft: {reason}.")), book


def _section_evidence(manifest: Manifest, store: Store, embedder: Any, section: Section
                      ) -> tuple[Evidence, tuple[str, str]]:
    """The section's passages, and who its counts are of."""
    evidence = gather(store, embedder, section)
    surveys = {s.id for s in manifest.sources if s.kind == "survey"}
    if not any(p.question in section.questions and p.source in surveys
               for p in evidence.counted):
        # Nothing from a survey table: the section's people are interviewees ("interview" may
        # be a question of its own, answered only by transcripts).
        return _interviews_counted(manifest, evidence)
    return evidence, manifest.respondent_noun


def _interviews_counted(manifest: Manifest, evidence: Evidence) -> tuple[Evidence, tuple[str, str]]:
    """A section drawn from interviews and documents alone counts interviewees: a document such
    as meeting notes is quoted, never counted as a person."""
    documents = {s.id for s in manifest.sources if s.format == "text"}
    people = [i for i, p in enumerate(evidence.counted) if p.source not in documents]
    notes = [i for i, p in enumerate(evidence.counted) if p.source in documents]
    if not notes:
        return replace(evidence, denominator=len({p.respondent for p in evidence.counted})), \
            INTERVIEWEES
    supporting = evidence.supporting + tuple(evidence.counted[i] for i in notes)
    vectors = [v for v in (evidence.supporting_vectors if evidence.supporting else None,
                           evidence.counted_vectors[notes]) if v is not None]
    counted = tuple(evidence.counted[i] for i in people)
    return Evidence(counted, evidence.counted_vectors[people], supporting, np.vstack(vectors),
                    len({p.respondent for p in counted}), embed=evidence.embed), INTERVIEWEES


NAMED = "Quotes name"


def named_in_quotes(draft: SectionDraft, evidence: Evidence, manifest: Manifest) -> list[str]:
    """A note when the draft's quotes name people its answers write as names ("Nurse Julie",
    "Dave the engineer") and the manifest does not mask: a report that quotes patients should
    not publish a nurse's name without someone deciding to."""
    masked = {part.casefold() for name in manifest.privacy.mask for part in name.split()}
    names = people_named([p.text for p in evidence.counted]) - masked
    quotes = [q.text for t in draft.themes for q in t.quotes] + [q.text for q in draft.heard]
    found = sorted(n for n in names
                   if any(re.search(rf"\b{re.escape(n)}\b", q, re.IGNORECASE) for q in quotes))
    if not found:
        return []
    return [f"{NAMED} {join_words([n.capitalize() for n in found])}: to print them as [name] "
            "in the report, list them in [privacy] mask in summariser.toml."]


MOVED = "Coded again from your codebook"


def moved_counts(sidecar: Path, draft: SectionDraft) -> list[str]:
    """What coding an edited codebook again moved, theme by theme, against the draft it
    replaces: a renamed or reworded theme may count others, since its title and description
    are part of what coding by meaning compares with."""
    if not sidecar.exists():
        return []
    try:
        before = {t.id: t for t in read_draft(sidecar).themes}
    except DraftError:
        return []  # a sidecar that cannot be read says nothing of what moved
    moved = []
    for theme in draft.themes:
        was = before.get(theme.id)
        if was is None or set(was.respondents) == set(theme.respondents):
            continue
        named = f"'{theme.title}'" + (f" (once '{was.title}')" if was.title != theme.title
                                      else "")
        gained = len(set(theme.respondents) - set(was.respondents))
        lost = len(set(was.respondents) - set(theme.respondents))
        moved.append(f"{named} {len(was.respondents)} -> {len(theme.respondents)} ({gained} "
                     f"in, {lost} out)")
    if not moved:
        return []
    return [f"{MOVED} ({draft.respondent_noun[1]} counted): {'; '.join(moved)}. A theme's title, "
            "description and examples are what coding by meaning compares with: to keep a "
            "theme's people as they were, list their answers in include_answers."]
