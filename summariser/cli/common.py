"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from typer.core import TyperCommand

from summariser.index.store import Store

if TYPE_CHECKING:  # the manifest's typed models take a fifth of a second to build: not for --help
    from summariser.project.manifest import Manifest

console = Console()
err_console = Console(stderr=True)

PROJECT = typer.Option(None, "--project", "-p", help="Project folder holding summariser.toml "
                       "\\[default: the current folder].", show_default=False)
# The project was once given as the first argument; that form is still read, but not shown.
OLD_PROJECT = typer.Argument(None, hidden=True, show_default=False)
STORE = typer.Option(None, "--store", help="Store directory \\[default: from the manifest, "
                     "else PROJECT/.summariser].")
CHROMA_URL = typer.Option(None, "--chroma-url", envvar="SUMMARISER_CHROMA_URL",
                          help="Use a Chroma server (http://host:port) instead of the "
                          "embedded store.")
EMBEDDER = typer.Option("minilm", "--embedder", envvar="SUMMARISER_EMBEDDER",
                        help="'minilm' (offline default), 'openai:text-embedding-3-small' or "
                        "'sentence-transformers:<model>'.")


class Command(TyperCommand):
    """A command whose usage line leaves out hidden arguments (the old positional project)."""

    def collect_usage_pieces(self, ctx):  # type: ignore[no-untyped-def]
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if not getattr(param, "hidden", False):
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


def project_folder(option: Path | None, positional: Path | None = None) -> Path:
    """The project folder: `-p/--project`, else the old positional form, else the current one."""
    if option is not None and positional is not None and option != positional:
        raise typer.BadParameter(f"give the project once: -p {option} or {positional}, not both",
                                 param_hint="-p/--project")
    return option or positional or Path(".")


def open_project(project: Path, store: Path | None, chroma_url: str | None
                 ) -> tuple[Manifest, Store]:
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(project)
    return manifest, Store(store or manifest.store_path, chroma_url)
