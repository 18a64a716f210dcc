"""The `summariser` command line: each command parses its options, runs its job
(`summariser.jobs`) and prints the result.

Heavy libraries (chromadb, onnxruntime, langchain, pandas) are imported inside the commands that
need them, so `summariser --help` answers at once.
"""

from __future__ import annotations

import logging
import os
import sys

import typer
from typer.core import TyperGroup

from summariser.errors import SummariserError
from summariser.text.controls import printable


class _Group(TyperGroup):
    """Turns our errors into one line on stderr and exit code 1 (SUMMARISER_DEBUG=1: traceback)."""

    def invoke(self, ctx):  # untyped: typer's Context class is private (typer._click)
        try:
            return super().invoke(ctx)
        except SummariserError as exc:
            if os.environ.get("SUMMARISER_DEBUG"):
                raise
            typer.secho(f"Error: {printable(str(exc))}", err=True, fg=typer.colors.RED)
            raise typer.Exit(1) from None
        except BrokenPipeError:  # the reader stopped early ("summariser draft --help | head")
            devnull = os.open(os.devnull, os.O_WRONLY)  # nothing more to say, nor to flush
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        except OSError as exc:  # a disk or folder fault no command foresaw: still one line
            if os.environ.get("SUMMARISER_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            typer.secho(f"Error: {printable(where)}{exc.strerror or exc}; check the path, its "
                        "permissions and the free disk space, then run this again", err=True,
                        fg=typer.colors.RED)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.secho("Interrupted: what was finished is kept; run the command again to "
                        "complete it.", err=True, fg=typer.colors.YELLOW)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=_Group,
    help="Turn survey answers and interview transcripts into report sections with verbatim "
    "quotes and true counts.",
    no_args_is_help=True,
    # Pretty exceptions print local variables, which may hold API keys: never show them.
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _print_version(asked: bool) -> None:
    if asked:
        from summariser import __version__

        typer.echo(f"summariser {__version__}")
        raise typer.Exit()


@app.callback()
def _configure(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True,
                                help="Log progress to stderr (-vv for debug detail)."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print the version and exit."),
) -> None:
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(stream=sys.stderr, level=level,
                        format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from summariser.cli import ask, draft, eval, export, ingest, report, review, stats  # noqa: F401


_register()


def main() -> None:
    app()
