"""The `review` job: what the review page (`summariser review`, summariser.review) reads and does.

It reads a section as the CLI left it: its draft (drafts/<section>.json: themes, each counted
person's coded evidence, answers that fit no theme, non-answers, themes held for review), its
codebook and the section's answers from the store. A change is made to the codebook file the CLI
uses (summariser.draft.edits), the previous codebook kept first in
drafts/.history/<section>/<time>.codebook.toml, and the section is then coded again against it
(the `draft` job's own code, for that one section, never restarting it: the codebook is now the
analyst's), so counts follow at once. Undo restores the newest kept codebook and codes again.

A change names the codebook it was made to (`version`, its sha256): if the file changed since
(edited by hand, or on another page), the change is refused, so nothing the analyst wrote is
overwritten unseen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.draft.edits import Edit
from summariser.errors import DraftError, SummariserError
from summariser.index.embedders import DEFAULT_EMBEDDER
from summariser.jobs.common import ProjectOptions, open_project

if TYPE_CHECKING:
    from summariser.draft.codebook import Codebook
    from summariser.draft.files import SectionFiles
    from summariser.draft.records import SectionDraft
    from summariser.index.store import Store
    from summariser.jobs.eval import EvalResult
    from summariser.jobs.report import ReportResult
    from summariser.project.manifest import Manifest, Section
    from summariser.records import Response

HISTORY = ".history"


@dataclass(frozen=True, kw_only=True)
class ReviewOptions(ProjectOptions):
    embedder: str = DEFAULT_EMBEDDER


@dataclass(frozen=True)
class SectionState:
    """A section as the page shows it, read from the files the CLI writes."""

    manifest: Manifest
    section: Section
    draft: SectionDraft | None  # None: not drafted yet
    codebook: Codebook | None  # None: none yet, or it cannot be read (`problem` says why)
    version: str  # the codebook file's sha256 ("" when there is none)
    undo: int  # how many earlier codebooks are kept to go back to
    markdown_edited: bool  # the analyst edited the Markdown: a change cannot be coded
    problem: str = ""
    responses: Mapping[str, Response] = field(default_factory=dict)  # the section's, by id


@dataclass(frozen=True)
class Changed:
    state: SectionState
    message: str  # what was done, and whether the section was coded again


def _files(manifest: Manifest, section_id: str) -> SectionFiles:
    from summariser.draft.files import SectionFiles

    return SectionFiles(manifest.inside("drafts"), manifest.section(section_id).id)


def _history(manifest: Manifest, section_id: str) -> Path:
    return manifest.inside("drafts") / HISTORY / section_id


def _kept(manifest: Manifest, section_id: str) -> list[Path]:
    return sorted(_history(manifest, section_id).glob("*.codebook.toml"))


def overview(options: ReviewOptions) -> tuple[Manifest, tuple[SectionState, ...]]:
    """Every section of the project, without the answers' texts."""
    manifest, store = open_project(options)
    return manifest, tuple(_state(manifest, store, s.id, texts=False) for s in manifest.sections)


def section_state(options: ReviewOptions, section_id: str) -> SectionState:
    manifest, store = open_project(options)
    return _state(manifest, store, section_id, texts=True)


def _state(manifest: Manifest, store: Store, section_id: str, texts: bool) -> SectionState:
    from summariser.draft.codebook import read_codebook
    from summariser.draft.files import sha256_of
    from summariser.draft.records import read_draft
    from summariser.records import Scope

    section = manifest.section(section_id)
    files = _files(manifest, section.id)
    problem = ""
    draft = codebook = None
    try:
        draft = read_draft(files.sidecar) if files.sidecar.exists() else None
        codebook = read_codebook(files.codebook) if files.codebook.exists() else None
    except SummariserError as exc:
        problem = str(exc)
    state = files.state()
    responses: dict[str, Response] = {}
    if texts:
        store.require()
        responses = {r.response_id: r
                     for r in store.responses(Scope(section.questions, section.sources))}
    if not problem and state.codebook_changed and not state.markdown_edited:
        problem = (f"{files.codebook.name} changed since the section was coded; code it again "
                   "to see its counts")
    return SectionState(manifest, section, draft, codebook, sha256_of(files.codebook) or "",
                        len(_kept(manifest, section.id)), state.markdown_edited, problem,
                        responses)


def change(options: ReviewOptions, section_id: str, edit: Edit, version: str) -> Changed:
    """Make `edit` to the section's codebook (as it was at `version`), keep the previous one,
    and code the section again."""
    from summariser.draft.codebook import parse_codebook, render_codebook
    from summariser.draft.edits import apply_edit
    from summariser.outputs import write_atomic

    manifest, store = open_project(options)
    before = _state(manifest, store, section_id, texts=True)
    if before.codebook is None:
        raise DraftError(before.problem or f"{before.section.heading} has no codebook yet: "
                         "draft it first")
    _same_version(before, version)
    if edit.action == "merge":
        edit = replace(edit, answers=_counted(before, (edit.theme, edit.other)))
    edited = apply_edit(before.codebook, edit, _segments(before, edit))
    text = render_codebook(edited, before.section.heading)
    files = _files(manifest, section_id)
    parse_codebook(text, str(files.codebook))  # never write a codebook that cannot be read back
    if text == files.codebook.read_text(encoding="utf-8"):
        return Changed(before, "Nothing changed.")
    _keep(manifest, section_id, files.codebook)
    write_atomic(files.codebook, text)
    return _recode(manifest, store, before.section, _said(edit, before.codebook),
                   options.embedder)


def undo(options: ReviewOptions, section_id: str, version: str) -> Changed:
    """Put back the codebook as it was before the last change, and code the section again."""
    from summariser.outputs import write_atomic

    manifest, store = open_project(options)
    before = _state(manifest, store, section_id, texts=False)
    _same_version(before, version)
    kept = _kept(manifest, section_id)
    if not kept:
        raise DraftError("Nothing to undo: no earlier codebook is kept for this section")
    write_atomic(_files(manifest, section_id).codebook, kept[-1].read_text(encoding="utf-8"))
    kept[-1].unlink()
    return _recode(manifest, store, before.section, "Undone: the codebook is as it was before "
                   "the last change.", options.embedder)


def recode(options: ReviewOptions, section_id: str) -> Changed:
    """Draft the section: one with no draft yet, or whose codebook was edited by hand."""
    manifest, store = open_project(options)
    return _recode(manifest, store, manifest.section(section_id), "Coded again.",
                   options.embedder)


def gate(options: ReviewOptions) -> EvalResult:
    """The publication gate over every drafted section's Markdown, as `summariser eval`."""
    from summariser.jobs.eval import EvalOptions, evaluate

    manifest, _ = open_project(options)
    drafts = tuple(p for s in manifest.sections
                   if (p := _files(manifest, s.id).markdown).exists())
    if not drafts:
        raise DraftError("No section is drafted yet: run 'summariser draft' first")
    return evaluate(EvalOptions(project=options.project, store=options.store,
                                chroma_url=options.chroma_url, drafts=drafts))


def publish(options: ReviewOptions) -> ReportResult:
    """The report, as `summariser report` writes it (refused if the drafts fail the gate)."""
    from summariser.jobs.report import ReportOptions, report

    return report(ReportOptions(project=options.project, store=options.store,
                                chroma_url=options.chroma_url, embedder=options.embedder))


def _same_version(state: SectionState, version: str) -> None:
    if version != state.version:
        raise DraftError(f"{state.section.id}.codebook.toml changed since this page was shown "
                         "(edited by hand or on another page); nothing was changed: reload the "
                         "page and make the change again")


def _keep(manifest: Manifest, section_id: str, codebook: Path) -> None:
    import shutil

    from summariser.outputs import OutputError

    folder = _history(manifest, section_id)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(codebook, folder / f"{stamp}.codebook.toml")
    except OSError as exc:
        raise OutputError(f"{folder}: cannot keep the codebook to undo ({exc.strerror}); "
                          "nothing was changed") from None


def _recode(manifest: Manifest, store: Store, section: Section, said: str, embedder: str
            ) -> Changed:
    from summariser.draft.backends import LLMOptions
    from summariser.draft.pipeline import draft_sections

    [made] = list(draft_sections(manifest, store, [section], embedder, LLMOptions(),
                                 command="review", directory=manifest.inside("drafts")))
    state = _state(manifest, store, section.id, texts=True)
    if made.draft is None:
        return Changed(state, f"{said} The section was not coded again: {made.kept}.")
    return Changed(state, said)


def _counted(state: SectionState, theme_ids: Sequence[str]) -> tuple[str, ...]:
    """The response ids the draft counts in any of these themes."""
    themes = [] if state.draft is None else [*state.draft.themes, *state.draft.held]
    return tuple(sorted({e.response_id for t in themes if t.id in theme_ids
                         for e in t.evidence}))


def _segments(state: SectionState, edit: Edit) -> dict[str, str]:
    """The words each chosen answer brings to a theme made from it: its segment coded to the
    theme it is chosen from, else its whole answer."""
    found: dict[str, str] = {}
    themes = [] if state.draft is None else [*state.draft.themes, *state.draft.held]
    for theme in sorted(themes, key=lambda t: t.id != edit.theme):
        for e in theme.evidence:
            found.setdefault(e.response_id, e.text)
    return {a: found.get(a) or (state.responses[a].text if a in state.responses else "")
            for a in edit.answers}


def _said(edit: Edit, book: Codebook) -> str:
    """What a change did, in a sentence."""
    theme = book.theme(edit.theme)
    name = f"'{theme.title}'" if theme else ""
    other = book.theme(edit.other)
    answers = f"{len(edit.answers)} answer(s)"
    return {
        "rename": f"Renamed {name} to '{' '.join(edit.title.split())}'.",
        "describe": f"Described {name}.",
        "merge": f"Merged {name} into '{other.title if other else ''}'.",
        "split": f"Split '{' '.join(edit.title.split())}' from {name}.",
        "delete": f"Deleted {name}.",
        "add": f"Added '{' '.join(edit.title.split())}'"
               + (f" from {answers}." if edit.answers else "."),
        "include": f"Coded {', '.join(edit.answers)} to {name}.",
        "exclude": f"Took {', '.join(edit.answers)} out of {name}.",
        "accept": f"Accepted {name}: the report publishes it.",
    }[edit.action]
