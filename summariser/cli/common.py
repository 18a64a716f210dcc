"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from summariser.index.store import Store
from summariser.project.manifest import Manifest, load_manifest

console = Console()
err_console = Console(stderr=True)

PROJECT = typer.Argument(Path("."), help="Project directory holding summariser.toml.",
                         show_default=True)
STORE = typer.Option(None, "--store", help="Store directory \\[default: from the manifest, "
                     "else PROJECT/.summariser].")
CHROMA_URL = typer.Option(None, "--chroma-url", envvar="SUMMARISER_CHROMA_URL",
                          help="Use a Chroma server (http://host:port) instead of the "
                          "embedded store.")
EMBEDDER = typer.Option("minilm", "--embedder", envvar="SUMMARISER_EMBEDDER",
                        help="'minilm' (offline default), 'openai:text-embedding-3-small' or "
                        "'sentence-transformers:<model>'.")


def open_project(project: Path, store: Path | None, chroma_url: str | None
                 ) -> tuple[Manifest, Store]:
    manifest = load_manifest(project)
    return manifest, Store(store or manifest.store_path, chroma_url)
