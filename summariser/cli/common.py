"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, ProgressColumn, TaskID
from rich.status import Status
from rich.text import Text
from typer.core import TyperCommand, TyperOption

from summariser.text.controls import printable

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
ENGINE = typer.Option("local", "--engine", envvar="SUMMARISER_ENGINE",
                      help="Where the batch work runs: 'local' (this process) or 'dask' (a Dask "
                      "cluster; pip install \"summariser\\[dask]\").")
CLUSTER = typer.Option(None, "--cluster", envvar="SUMMARISER_CLUSTER",
                       help="With --engine dask: the scheduler's address (tcp://host:8786) "
                       "\\[default: a cluster of this machine's cores, started and stopped "
                       "here].")
EMBEDDER = typer.Option("minilm", "--embedder", envvar="SUMMARISER_EMBEDDER",
                        help="'minilm' (offline default), 'openai:text-embedding-3-small' or "
                        "'sentence-transformers:<model>'.")


def shown(text: str, style: str = "") -> Text:
    """Text as the terminal prints it: never read as markup, and every control character
    (ESC, carriage return, ...) shown as a visible symbol, so answers cannot recolour, move or
    clear the screen (summariser.text.controls.printable)."""
    return Text(printable(text), style=style)


def installed_note(group: str) -> str:
    """' Installed plugins: a, b.' for the backends or embedders installed packages offer."""
    from summariser.plugins import BACKENDS, installed

    if not installed(group):  # the usual case costs no import
        return ""
    if group == BACKENDS:
        from summariser.draft.backends import plugin_backends as offered
    else:
        from summariser.index.embedders import plugin_embedders as offered
    names = offered()
    return f" Installed plugins: {escape(', '.join(names))}." if names else ""


class Command(TyperCommand):
    """A command whose usage line leaves out hidden arguments (the old positional project), and
    whose help lists the backends and embedders installed packages offer (read when the help is
    asked for, so a package installed since shows at once)."""

    def format_help(self, ctx, formatter):  # untyped: typer's Context class is private
        from summariser.plugins import BACKENDS, EMBEDDERS

        groups = {"llm": BACKENDS, "embedder": EMBEDDERS}  # the options that take their names
        written = self.__dict__.setdefault("_written_help", {})
        for param in self.params:
            group = groups.get(param.name or "")
            if group is not None and isinstance(param, TyperOption):
                base = written.setdefault(param.name, param.help or "")
                param.help = base + installed_note(group)
        super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx):  # untyped: typer's Context class is private (typer._click)
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


class ProgressBar:
    """A job's progress (`summariser.progress.Progress`) as a bar on stderr, one step at a time,
    gone when the job ends. Nothing is drawn until the job starts its first step, so a job
    refused before any work prints its one-line error alone."""

    def __init__(self, *columns: str | ProgressColumn) -> None:
        self._progress = Progress(*columns, console=err_console, transient=True)
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._task is not None:
            self._progress.stop()

    def start(self, total: int, what: str) -> None:
        if self._task is None:
            self._progress.start()
        else:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(what, total=total)

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)


class Spinner:
    """A job's progress as a spinner on stderr saying what it is doing, while it does it."""

    def __init__(self) -> None:
        self._status: Status | None = None
        self._left = 0

    def __enter__(self) -> Spinner:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._stop()

    def start(self, total: int, what: str) -> None:
        self._stop()
        self._status, self._left = err_console.status(what), total
        self._status.start()

    def advance(self, count: int) -> None:
        self._left -= count
        if self._left <= 0:
            self._stop()

    def _stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
