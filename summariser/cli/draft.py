"""`summariser draft`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress
from rich.table import Table

from summariser.cli import app
from summariser.cli.common import (CHROMA_URL, EMBEDDER, PROJECT, STORE, console, err_console,
                                   open_project)


@app.command()
def draft(
    project: Path = PROJECT,
    section: list[str] = typer.Option([], "--section", "-s",
                                      help="Draft only this section (id or number; repeatable)."),
    output: Path = typer.Option(None, "--output", "-o",
                                help="Directory for the drafts [default: PROJECT/drafts]."),
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
    embedder: str = EMBEDDER,
) -> None:
    """Draft report sections as themes with counts and verified quotes.

    Writes drafts/<section>.md (to read and edit) and drafts/<section>.json (ids, offsets,
    failures) for each section in the manifest. Every quote is checked against its source
    before it is written; one that fails is left out and listed in the JSON.
    """
    from summariser.drafts import count_text, write_draft
    from summariser.pipeline import draft_sections

    manifest, target = open_project(project, store, chroma_url)
    chosen = [manifest.section(s) for s in section] or list(manifest.sections)
    out = output or manifest.root / "drafts"
    table = Table(title=f"Drafted into {out}", title_justify="left")
    for column in ("Section", "Themes", "Quotes", "Dropped", "Largest theme"):
        table.add_column(column)
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("Drafting sections", total=len(chosen))
        for result in draft_sections(manifest, target, chosen, embedder):
            write_draft(result, out)
            progress.advance(task)
            largest = result.themes[0] if result.themes else None
            table.add_row(result.heading, str(len(result.themes)),
                          str(sum(len(t.quotes) for t in result.themes)),
                          str(len(result.failures)),
                          f"{largest.title} ({count_text(len(largest.respondents), result.denominator, manifest.respondent_noun)})"
                          if largest else "-")
    console.print(table)
