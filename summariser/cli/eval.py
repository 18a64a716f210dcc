"""`summariser eval`: the publication gate for drafts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.padding import Padding

from summariser.cli import app
from summariser.cli.common import CHROMA_URL, STORE, console, err_console, shown

FORMATS = ("md", "html", "json")  # summariser.gate.review.FORMATS, without importing it here
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}
STYLE = {"fail": "bold red", "warning": "yellow", "pass": "green", "unchecked": "dim"}
LABEL = {"fail": "✗ FAIL", "warning": "! WARNING", "pass": "✓ PASS", "unchecked": "? UNCHECKED"}


@app.command("eval")
def eval_(
    drafts: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, show_default=False, metavar="DRAFT",
        help="Draft files: drafts/<section>.json, or .md (its .json sidecar is used when beside "
        "it), .txt, .docx or .html written or edited by a person; or a report (out/report.md, "
        ".html or .docx)."),
    project: Path = typer.Option(None, "--project", "-p", show_default=False,
                                 help="Project folder holding summariser.toml \\[default: the "
                                 "folder above the drafts that holds one, else the current "
                                 "folder]."),
    fmt: str = typer.Option(None, "--format", "-f",
                            help="Write a report for reviewers: md, html or json \\[default: "
                            "from --output's suffix]."),
    output: Path = typer.Option(None, "--output", "-o", dir_okay=False,
                                help="Report file \\[default: standard output, with the table "
                                "on standard error]."),
    every: bool = typer.Option(False, "--all", help="List the passing checks too, not just "
                               "their number."),
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
) -> None:
    """Check every quote, citation and number in each DRAFT against the corpus.

    Exits 0 when nothing fails (warnings allowed), 1 when anything fails, 2 on a usage error,
    so a pipeline can gate publication on it.

    Example: summariser eval drafts/*.json --format html --output check.html
    """
    from summariser.gate.parse import SUFFIXES
    from summariser.jobs.eval import EvalOptions, evaluate

    for draft in drafts:
        if draft.suffix.lower() not in SUFFIXES:
            raise typer.BadParameter(f"'{draft}' is not a draft this command reads "
                                     f"({', '.join(SUFFIXES)})", param_hint="DRAFT")
    if fmt is None and output is not None:
        fmt = SUFFIX_FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise typer.BadParameter(f"cannot tell the format from '{output.name}': add "
                                     f"--format {'|'.join(FORMATS)}", param_hint="--output")
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    checked = evaluate(EvalOptions(project=project or project_of(drafts), store=store,
                                   chroma_url=chroma_url, drafts=tuple(drafts), format=fmt,
                                   output=output))
    table_console = err_console if fmt is not None and output is None else console
    print_report(checked.report, table_console, every=every)
    if checked.rendered is not None:
        typer.echo(checked.rendered, nl=False)
    if checked.written is not None:
        table_console.print(shown(f"Report written to {checked.written}"))
    if not checked.passed:
        raise typer.Exit(1)


def project_of(drafts: list[Path]) -> Path:
    """The project the drafts lie in (the nearest folder above them with a summariser.toml),
    else the current folder."""
    from summariser.project.manifest import project_holding

    found = {project for project in map(project_holding, drafts) if project is not None}
    if len(found) > 1:
        shown = ", ".join(sorted(map(str, found)))
        raise typer.BadParameter(f"the drafts lie in different projects ({shown}); check one "
                                 "project at a time, or choose one with -p", param_hint="DRAFT")
    return found.pop() if found else Path(".")


def print_report(report, out: Console, every: bool = False) -> None:
    """What needs a person first: failures, then warnings, then claims no one could check, each
    with its file and line and the reason; then one line counting the passes (listed too with
    `every`). Plain lines, not a table, so they read at 80 columns."""
    checks = [*report.quotes, *report.citations, *report.numbers, *report.concentration,
              *report.markup]
    for outcome in ("fail", "warning", "unchecked", *(("pass",) if every else ())):
        for check in (c for c in checks if str(c.outcome) == outcome):
            head = shown(f"{LABEL[outcome]}  ", style=STYLE[outcome])
            head.append(shown(_place(check)))
            out.print(head, soft_wrap=True)  # a path is not broken across lines
            for line in [check.section, *_what(check)]:
                out.print(Padding(shown(line), (0, 0, 0, 4), expand=False), highlight=False)
    counts = report.counts()
    verdict = "[bold green]PASS[/]" if report.passed else "[bold red]FAIL[/]"
    passes = counts["pass"]
    out.print(f"Result: {verdict}: " + ", ".join(
        f"[{STYLE[k]}]{counts[k]} {k}[/]" for k in ("fail", "warning", "unchecked", "pass"))
        + ("" if every or not passes else " (--all lists the passes)"))
    for note in report.notes:
        out.print(shown(f"Note: {note}"), highlight=False)


def _place(check) -> str:
    """drafts/gone-well.md:12, or the draft and where in it when there is no line."""
    where = getattr(check, "where", "")
    if where.startswith("line "):
        return f"{check.draft}:{where[5:]}"
    return f"{check.draft} ({where})" if where else check.draft


def _what(check) -> list[str]:
    kind = type(check).__name__
    if kind == "QuoteCheck":
        shown = check.quote if len(check.quote) <= 120 else check.quote[:117] + "…"
        return [f"quote “{shown}”", _quote_detail(check)]
    if kind == "CitationCheck":
        return [f"citation [{check.cited}]", check.reason]
    if kind == "NumberCheck":
        return [f"{check.kind} “{check.claim}”", check.reason]
    if kind == "MarkupCheck":
        return [f"markup {check.markup}", check.reason]
    return [f"{check.quotes} quotes", check.reason]


def _quote_detail(check) -> str:
    """Failures: why. Warnings: what to look at. Passes: whose words they are."""
    result = check.verification
    span = result.span
    if str(check.outcome) == "fail":
        return f"{check.status}: {result.reason}"
    found = f"{check.status}: {span.respondent}, {span.question}" if span else check.status
    if str(check.outcome) == "warning":
        return "; ".join([found, *result.warnings, *check.notes])
    return found
