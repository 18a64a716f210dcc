"""`summariser report` and `summariser run` (the whole job: ingest, draft, report)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.text import Text

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    EMBEDDER,
    OLD_PROJECT,
    PROJECT,
    STORE,
    Command,
    console,
    err_console,
    open_project,
    project_folder,
)
from summariser.cli.draft import BASE_URL, LLM, MODEL, NO_CACHE, NO_REDACT, llm_options
from summariser.errors import DraftError

OUTPUT = typer.Option(None, "--output", "-o", help="Report directory \\[default: out/ in the "
                      "project].")
ALLOW = typer.Option(False, "--allow-failures", help="Write the report even if it fails the "
                     "publication checks, listing the failures in it for review.")
FORMATS = typer.Option("md,html,docx", "--formats", help="Comma-separated: md, html, docx.")


def _build(project, output, formats, allow_failures, options, store, chroma_url, embedder):
    from summariser.draft.files import SectionFiles
    from summariser.draft.pipeline import draft_sections
    from summariser.project.sources import read_corpus
    from summariser.report.assemble import FORMATS as KNOWN
    from summariser.report.assemble import check_drafts, write_report
    from summariser.report.disclosure import breakdowns
    from summariser.report.sections import Attribution, check_privacy, read_section
    from summariser.report.stats import compute_stats

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    if not chosen or set(chosen) - set(KNOWN):
        raise typer.BadParameter(f"choose from {', '.join(KNOWN)}", param_hint="--formats")
    manifest, target = open_project(project, store, chroma_url)
    target.require()
    draft_dir = manifest.root / "drafts"
    missing = [s for s in manifest.sections if _needs_drafting(SectionFiles(draft_dir, s.id))]
    if missing:
        with err_console.status(f"Drafting {len(missing)} section(s) missing or with a changed "
                                "codebook"):
            for made in draft_sections(manifest, target, missing, embedder, options,
                                       command="report", directory=draft_dir):
                if made.draft is None:
                    raise DraftError(f"{made.section.heading}: {made.kept}")
    texts = [t for t in (read_section(s, draft_dir) for s in manifest.sections) if t]
    check_privacy(manifest, {t.section.id: t.draft.denominator for t in texts if t.draft})
    corpus = read_corpus(manifest)
    stats = compute_stats(manifest, corpus)
    gate = check_drafts(manifest, target, texts, draft_dir)
    out = output or manifest.root / "out"
    files = write_report(manifest, texts, stats, out, gate,
                         Attribution(manifest, target.responses()), allow_failures, chosen,
                         breakdowns(manifest, corpus))
    return manifest, stats, texts, files, len(missing)


def _needs_drafting(files) -> bool:
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


def _summary(manifest, stats, texts, files, drafted, ingested=None, notes=()) -> None:
    lines = []
    if ingested:
        lines.append(f"Ingested {ingested.responses} answers and turns into "
                     f"{ingested.passages} passages ({ingested.added} newly embedded).")
    from summariser.text.wording import capitalised, count_noun

    themes = sum(len(t.theme_titles()) for t in texts)
    made = (f"{count_noun(len(texts), ('section', 'sections'))} ({drafted} drafted now), "
            f"{count_noun(themes, ('theme', 'themes'))}, "
            f"{count_noun(files.quotes, ('quote', 'quotes'))}")
    lines.append(f"{stats.response_rate.sentence()}")
    lines.append(capitalised(f"{made}, all verified against their sources.")
                 if not files.failures else
                 capitalised(f"{made}; {count_noun(len(files.failures), ('check', 'checks'))} "
                             "FAILED and are listed in the report for review."))
    lines += [f"  {p}" for p in files.paths]
    lines.append(f"  {len(files.figures)} figures in {files.figures[0].parent}"
                 if files.figures else "  no figures")
    lines += list(notes)
    lines.append(f"To edit: {manifest.root / 'drafts'}: a section's .md for its wording, its "
                 ".codebook.toml for its themes; then run 'summariser report', which re-codes "
                 "a section whose codebook changed and republishes.")
    console.print(Panel(Text("\n".join(lines)), title=Text(manifest.title), title_align="left",
                        expand=False), highlight=False)


@app.command(cls=Command)
def report(
    old_project: Path = OLD_PROJECT, project: Path = PROJECT, output: Path = OUTPUT,
    formats: str = FORMATS,
    allow_failures: bool = ALLOW, llm: str = LLM, model: str = MODEL, base_url: str = BASE_URL,
    no_cache: bool = NO_CACHE, no_redact: bool = NO_REDACT, store: Path = STORE,
    chroma_url: str = CHROMA_URL, embedder: str = EMBEDDER,
) -> None:
    """Assemble the whole report (Markdown, HTML, Word) from the drafts, statistics and figures.

    Sections without a draft are drafted first. The report's quotes and counts are checked
    before anything is written; a report that fails is refused unless --allow-failures.
    """
    options = llm_options(llm, model, base_url, no_cache, no_redact)
    built = _build(project_folder(project, old_project), output, formats, allow_failures,
                   options, store, chroma_url, embedder)
    _summary(*built)


@app.command(cls=Command)
def run(
    old_project: Path = OLD_PROJECT, project: Path = PROJECT, output: Path = OUTPUT,
    formats: str = FORMATS,
    allow_failures: bool = ALLOW, llm: str = LLM, model: str = MODEL, base_url: str = BASE_URL,
    no_cache: bool = NO_CACHE, no_redact: bool = NO_REDACT, store: Path = STORE,
    chroma_url: str = CHROMA_URL, embedder: str = EMBEDDER,
) -> None:
    """The whole job: ingest the sources, draft every section, write the report to out/.

    Example: summariser run -p corpus/hscp-2017
    """
    from summariser.cli.ingest import ingest_with_progress

    options = llm_options(llm, model, base_url, no_cache, no_redact)
    project = project_folder(project, old_project)
    manifest, target = open_project(project, store, chroma_url)
    ingested = ingest_with_progress(manifest, target, embedder, None)
    # Redraft every section (the corpus may have changed), except those the analyst edited.
    from summariser.draft.pipeline import draft_sections

    drafted, notes = 0, []
    with err_console.status("Drafting sections"):
        for made in draft_sections(manifest, target, manifest.sections, embedder, options,
                                   command="run"):
            if made.draft is None:
                notes.append(f"{made.section.heading}: {made.kept}")
            else:
                drafted += 1
                notes += [f"{made.section.heading}: {note}" for note in made.draft.notes
                          if note.startswith("Source ")]
    *built, _ = _build(project, output, formats, allow_failures, options, store, chroma_url,
                       embedder)
    _summary(*built, drafted, ingested=ingested, notes=notes)
