"""`summariser export`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    OLD_PROJECT,
    PROJECT,
    STORE,
    Command,
    console,
    project_folder,
)


def _formats(formats: str) -> tuple[str, ...]:
    from summariser.jobs.export import FORMATS as KNOWN

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or set(chosen) - set(KNOWN):
        raise typer.BadParameter(f"choose from {', '.join(KNOWN)}", param_hint="--formats")
    return chosen


@app.command(cls=Command)
def export(
    old_project: Path = OLD_PROJECT, project: Path = PROJECT,
    formats: str = typer.Option("csv,xlsx,qdpx", "--formats",
                                help="Comma-separated: csv, xlsx, qdpx."),
    output: Path = typer.Option(None, "--output", "-o", file_okay=False,
                                help="Folder to write to \\[default: out/ in the project]."),
    store: Path = STORE, chroma_url: str = CHROMA_URL,
) -> None:
    """Export the drafted sections' coding: who was coded to which theme, and how.

    coded.csv and coded.xlsx hold one row per coded segment (the workbook also a respondent x
    theme sheet and the answers no theme counts); <title>.qdpx is a REFI-QDA project for NVivo,
    ATLAS.ti, MAXQDA or QualCoder. Read from the drafts and the store, never the sources.

    Example: summariser export -p corpus/hscp-2017
    """
    from summariser.jobs.export import ExportOptions
    from summariser.jobs.export import export as export_job
    from summariser.text.wording import count_noun

    done = export_job(ExportOptions(project=project_folder(project, old_project), store=store,
                                    chroma_url=chroma_url, formats=_formats(formats),
                                    output=output))
    lines = [f"Exported {count_noun(done.sections, ('section', 'sections'))}: "
             f"{count_noun(done.themes, ('theme', 'themes'))}, "
             f"{count_noun(done.segments, ('coded segment', 'coded segments'))} of "
             f"{count_noun(done.respondents, ('person', 'people'))}; "
             f"{count_noun(done.fits_no_theme, ('answer fits', 'answers fit'))} no theme, "
             f"{count_noun(done.non_answers, ('non-answer', 'non-answers'))}."]
    lines += [f"  {path}" for path in done.paths]
    if done.not_drafted:
        lines.append("Not drafted, so not exported: "
                     + ", ".join(s.heading for s in done.not_drafted)
                     + "; run 'summariser draft' to include them.")
    console.print(Text("\n".join(lines)), highlight=False)
