"""`summariser report` and `summariser run` (the whole job: ingest, draft, report)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.panel import Panel

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    EMBEDDER,
    OLD_PROJECT,
    PROJECT,
    STORE,
    Command,
    Spinner,
    console,
    project_folder,
    shown,
)
from summariser.cli.draft import (
    ALLOW_FALLBACK,
    BASE_URL,
    LLM,
    MODEL,
    NO_CACHE,
    NO_REDACT,
    llm_options,
)
from summariser.cli.ingest import embedding_bar

if TYPE_CHECKING:
    from summariser.index.ingest import IngestReport
    from summariser.jobs.report import ReportResult

OUTPUT = typer.Option(None, "--output", "-o", help="Report directory \\[default: out/ in the "
                      "project].")
ALLOW = typer.Option(False, "--allow-failures", help="Write the report even if it fails the "
                     "publication checks, listing the failures in it for review.")
FORMATS = typer.Option("md,html,docx", "--formats", help="Comma-separated: md, html, docx.")
UNCHECKED = typer.Option([], "--allow-unchecked", metavar="WORDS",
                         help="Publish a number the gate cannot check, named by its words as "
                         "'summariser eval' shows them (e.g. \"8 of 12 (66.7%)\"); repeat for "
                         "each.")


def _formats(formats: str) -> tuple[str, ...]:
    from summariser.report.assemble import FORMATS as KNOWN

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or set(chosen) - set(KNOWN):
        raise typer.BadParameter(f"choose from {', '.join(KNOWN)}", param_hint="--formats")
    return chosen


def _summary(built: ReportResult, drafted: int, ingested: IngestReport | None = None,
             notes: tuple[str, ...] = ()) -> None:
    from summariser.text.wording import capitalised, count_noun

    manifest, stats, texts, files = built.manifest, built.stats, built.texts, built.files
    lines = []
    if ingested:
        lines.append(f"Ingested {ingested.responses:,} answers and turns into "
                     f"{ingested.passages:,} passages ({ingested.added:,} newly embedded).")
    themes = sum(len(t.theme_titles()) for t in texts)
    made = (f"{count_noun(len(texts), ('section', 'sections'))} ({drafted} drafted now), "
            f"{count_noun(themes, ('theme', 'themes'))}, "
            f"{count_noun(files.quotes, ('quote', 'quotes'))}")
    lines.append(f"{stats.response_rate.sentence()}")
    lines.append(capitalised(f"{made}, all verified against their sources.")
                 if not files.failures else
                 capitalised(f"{made}; {count_noun(len(files.failures), ('check', 'checks'))} "
                             "FAILED; each is listed in the report for review."))
    lines += [f"  {p}" for p in files.paths]
    lines.append(f"  {len(files.figures)} figures in {files.figures[0].parent}"
                 if files.figures else "  no figures")
    lines += list(notes)
    lines += [f"Left out until accepted: '{theme.title}' ({text.heading}) counts "
              f"{len(theme.respondents)} of {text.draft.denominator}; check its evidence, then set "
              f"accepted = true on it in drafts/{text.section.id}.codebook.toml, or accept it "
              "in 'summariser review'." for text in texts if text.draft
              for theme in text.draft.held]
    lines.append(f"To edit: {manifest.root / 'drafts'}: a section's .md for its wording, its "
                 ".codebook.toml for its themes; then run 'summariser report', which re-codes "
                 "a section whose codebook changed and republishes.")
    console.print(Panel(shown("\n".join(lines)), title=shown(manifest.title), title_align="left",
                        expand=False), highlight=False)


@app.command(cls=Command)
def report(
    old_project: Path = OLD_PROJECT, project: Path = PROJECT, output: Path = OUTPUT,
    formats: str = FORMATS,
    allow_failures: bool = ALLOW, allow_unchecked: list[str] = UNCHECKED, llm: str = LLM,
    model: str = MODEL, base_url: str = BASE_URL,
    no_cache: bool = NO_CACHE, no_redact: bool = NO_REDACT, store: Path = STORE,
    chroma_url: str = CHROMA_URL, embedder: str = EMBEDDER,
) -> None:
    """Assemble the whole report (Markdown, HTML, Word) from the drafts, statistics and figures.

    Sections without a draft are drafted first. The report's quotes and counts are checked
    before anything is written; a report that fails is refused unless --allow-failures, and
    one with a number the checks cannot tie to anyone unless --allow-unchecked names it.
    """
    from summariser.jobs.report import ReportOptions
    from summariser.jobs.report import report as report_job

    backend = llm_options(llm, model, base_url, no_cache, no_redact)
    options = ReportOptions(project=project_folder(project, old_project), store=store,
                            chroma_url=chroma_url, output=output, formats=_formats(formats),
                            allow_failures=allow_failures,
                            allow_unchecked=tuple(allow_unchecked), llm=backend,
                            embedder=embedder)
    with Spinner() as spinner:
        built = report_job(options, spinner)
    _summary(built, built.drafted, notes=built.notes)


@app.command(cls=Command)
def run(
    old_project: Path = OLD_PROJECT, project: Path = PROJECT, output: Path = OUTPUT,
    formats: str = FORMATS,
    allow_failures: bool = ALLOW, llm: str = LLM, model: str = MODEL, base_url: str = BASE_URL,
    no_cache: bool = NO_CACHE, no_redact: bool = NO_REDACT,
    allow_fallback: bool = ALLOW_FALLBACK, store: Path = STORE,
    chroma_url: str = CHROMA_URL, embedder: str = EMBEDDER,
) -> None:
    """The whole job: ingest the sources, draft every section, write the report to out/.

    Example: summariser run -p corpus/hscp-2017
    """
    from summariser.jobs.run import RunOptions
    from summariser.jobs.run import run as run_job

    backend = llm_options(llm, model, base_url, no_cache, no_redact, allow_fallback)
    options = RunOptions(project=project_folder(project, old_project), store=store,
                         chroma_url=chroma_url, output=output, formats=_formats(formats),
                         allow_failures=allow_failures, llm=backend, embedder=embedder)
    with embedding_bar() as bar:
        done = run_job(options, bar)
    _summary(done.report, done.drafted, ingested=done.ingested, notes=done.notes)
