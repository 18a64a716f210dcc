"""`summariser review`: the review page, served on this machine."""

from __future__ import annotations

from pathlib import Path

import typer

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    EMBEDDER,
    PROJECT,
    STORE,
    Command,
    console,
    project_folder,
)

PORT = typer.Option(8765, "--port", help="The port to serve on (0: any free one).")
HOST = typer.Option("127.0.0.1", "--host", help="The address to serve on: a loopback address "
                    "(127.0.0.1, ::1, localhost) unless --allow-remote.")
ALLOW_REMOTE = typer.Option(False, "--allow-remote", help="Serve on a --host other machines can "
                            "reach. The page shows respondents' answers and ids to whoever "
                            "opens it, and has no login: only on a network you trust.")


@app.command(cls=Command)
def review(
    project: Path = PROJECT, port: int = PORT, host: str = HOST,
    allow_remote: bool = ALLOW_REMOTE, store: Path = STORE, chroma_url: str = CHROMA_URL,
    embedder: str = EMBEDDER,
) -> None:
    """Review and sign off the themes in your web browser, on this machine.

    For each section: every theme with its count, description and phrases, each counted
    person's words with the coded segment marked (and whether a phrase, meaning or the model
    coded it), the answers no theme covers and the non-answers. Rename, describe, merge, split,
    delete or add themes, code an answer to a theme or take it out, and accept a theme marked
    for review (one counting nearly everyone is published only once accepted). Each change is
    saved to drafts/<section>.codebook.toml (the file 'draft' and 'report' read; the previous
    one is kept in drafts/.history/ to undo) and the section is coded again at once. Run the
    gate and publish the report from the page too.

    It opens nothing on the network: open the address it prints in your browser; Ctrl-C stops
    it. Needs: pip install "summariser[review]".

    Example: summariser review -p corpus/hscp-2017
    """
    from summariser.review import require_web

    require_web()
    from summariser.jobs.review import ReviewOptions
    from summariser.review.serve import bind, serve

    options = ReviewOptions(project=project_folder(project), store=store, chroma_url=chroma_url,
                            embedder=embedder)
    sock = bind(host, port, allow_remote)
    serve(options, sock, allow_remote, ready=lambda url: console.print(
        f"Review page: {url}  (open it in your browser; Ctrl-C stops it)", highlight=False))
