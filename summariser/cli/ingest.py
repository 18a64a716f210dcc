"""`summariser ingest`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    CLUSTER,
    EMBEDDER,
    ENGINE,
    OLD_PROJECT,
    PROJECT,
    STORE,
    Command,
    ProgressBar,
    console,
    project_folder,
    shown,
)


def embedding_bar() -> ProgressBar:
    """Passages embedded (or moved) of how many, and the time left."""
    return ProgressBar(*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
                       TimeRemainingColumn())


@app.command(cls=Command)
def ingest(
    old_project: Path = OLD_PROJECT,
    project: Path = PROJECT,
    encoding: str = typer.Option(None, "--encoding", help="Encoding of CSV/text sources that "
                                 "set none in the manifest, e.g. cp1252 \\[default: detected]."),
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
    embedder: str = EMBEDDER,
    engine: str = ENGINE,
    cluster: str = CLUSTER,
    rebuild: bool = typer.Option(False, "--rebuild", help="Empty the store and ingest every "
                                 "source afresh: the way back from a damaged store."),
) -> None:
    """Read the sources in the project's summariser.toml into the store.

    Re-running is cheap: unchanged passages are kept, changed ones re-embedded, removed ones
    deleted, and passages missing from the vector store embedded again. Every problem in the
    sources is reported at once, with its file and line, and the store is left as it was.
    """
    from summariser.jobs.ingest import IngestOptions
    from summariser.jobs.ingest import ingest as ingest_job

    options = IngestOptions(project=project_folder(project, old_project), store=store,
                            chroma_url=chroma_url, embedder=embedder, encoding=encoding,
                            rebuild=rebuild, engine=engine, cluster=cluster)
    with embedding_bar() as bar:
        done = ingest_job(options, bar)
    report = done.report
    table = Table(title=shown(f"Ingested {done.manifest.title}"), title_justify="left")
    table.add_column("Source")
    table.add_column("Rows read", justify="right")
    for source_id, rows in report.rows_read.items():
        table.add_row(shown(source_id), f"{rows:,}")
    console.print(table)
    console.print(shown(f"{report.responses:,} answers and turns, {report.ratings:,} ratings; "
                        f"{report.passages:,} passages stored ({report.added:,} embedded, "
                        f"{report.unchanged:,} unchanged, {report.deleted:,} removed) "
                        f"with {report.embedder} in {chroma_url or done.store}"
                        + (f"; {report.moved} moved from an earlier version's store, not "
                           "embedded again" if report.moved else "")
                        + ("; the store was rebuilt from the sources" if report.rebuilt else "")))
    if report.damaged:
        console.print(shown(f"Repaired: the vector store could not be read ({report.damaged}); "
                            "its vectors were rebuilt from the corpus"))
    if report.restored:
        console.print(shown(f"Repaired: {report.restored} stored answer(s) had changed on disk "
                            "since they were ingested; they were written again from the sources"))
    if report.repaired:
        console.print(shown(f"Repaired: {report.repaired} passage(s) in the vector store had "
                            "changed on disk; they were embedded again"))
    for note in report.notes:
        console.print(shown(f"Note: {note}"))
    reasons = Counter((s.source, s.reason) for s in report.skipped)
    if reasons:
        skipped = Table(title="Skipped", title_justify="left")
        for column in ("Source", "Reason", "Count"):
            skipped.add_column(column)
        for (source_id, reason), count in sorted(reasons.items()):
            skipped.add_row(shown(source_id), shown(reason), f"{count:,}")  # reasons quote cells
        console.print(skipped)
