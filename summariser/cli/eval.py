"""`summariser eval`: the publication gate for drafts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from summariser.cli import app
from summariser.cli.common import CHROMA_URL, STORE, console, err_console, open_project

FORMATS = ("md", "html", "json")  # summariser.evaluate_report.FORMATS, without importing it here
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}
STYLE = {"fail": "bold red", "warning": "yellow", "pass": "green", "unchecked": "dim"}
LABEL = {"fail": "✗ FAIL", "warning": "! WARNING", "pass": "✓ PASS", "unchecked": "? UNCHECKED"}


@app.command("eval")
def eval_(
    drafts: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, show_default=False, metavar="DRAFT",
        help="Draft files: drafts/<section>.json, or .md (its .json sidecar is used when beside "
        "it), .txt or .docx written or edited by a person."),
    project: Path = typer.Option(Path("."), "--project", "-p",
                                 help="Project directory holding summariser.toml."),
    fmt: str = typer.Option(None, "--format", "-f",
                            help="Write a report for reviewers: md, html or json \\[default: "
                            "from --output's suffix]."),
    output: Path = typer.Option(None, "--output", "-o", dir_okay=False,
                                help="Report file \\[default: standard output, with the table "
                                "on standard error]."),
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
) -> None:
    """Check every quote, citation and number in each DRAFT against the corpus.

    Exits 0 when nothing fails (warnings allowed), 1 when anything fails, 2 on a usage error,
    so a pipeline can gate publication on it.

    Example: summariser eval drafts/*.json -p . --format html --output check.html
    """
    from summariser.gate.parse import SUFFIXES
    from summariser.gate.review import render
    from summariser.gate.run import evaluate_paths

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
    manifest, target = open_project(project, store, chroma_url)
    target.require()
    report = evaluate_paths(drafts, manifest, target)
    table_console = err_console if fmt is not None and output is None else console
    print_report(report, table_console)
    if fmt is not None:
        text = render(report, fmt)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            table_console.print(f"Report written to {output}")
    if not report.passed:
        raise typer.Exit(1)


def print_report(report, out: Console) -> None:
    """One table per outcome (failures first), then the counts."""
    rows: dict[str, list[tuple[str, ...]]] = {k: [] for k in LABEL}
    for check in report.quotes:
        shown = check.quote if len(check.quote) <= 90 else check.quote[:87] + "…"
        rows[str(check.outcome)].append(("quote", check.where, check.section, f"“{shown}”",
                                         _quote_detail(check)))
    for check in report.citations:
        rows[str(check.outcome)].append(("citation", check.where, check.section, check.cited,
                                         check.reason))
    for check in report.numbers:
        rows[str(check.outcome)].append((check.kind, check.where, check.section, check.claim,
                                         check.reason))
    for check in report.concentration:
        rows[str(check.outcome)].append(("concentration", "", check.section,
                                         f"{check.quotes} quotes", check.reason))
    for check in report.markup:
        rows[str(check.outcome)].append(("markup", check.where, check.section, check.markup,
                                         check.reason))
    for outcome, label in LABEL.items():
        if not rows[outcome]:
            continue
        table = Table(title=f"{label} ({len(rows[outcome])})", title_justify="left",
                      title_style=STYLE[outcome], show_lines=outcome != "pass")
        for column, ratio in (("Check", None), ("Where", None), ("Section", 2),
                              ("Quote or claim", 3), ("Detail", 4)):
            table.add_column(column, overflow="fold", ratio=ratio, no_wrap=ratio is None)
        for row in rows[outcome]:
            table.add_row(*(Text(cell) for cell in row))
        out.print(table)
    counts = report.counts()
    verdict = "[bold green]PASS[/]" if report.passed else "[bold red]FAIL[/]"
    out.print(f"Result: {verdict}: " + ", ".join(
        f"[{STYLE[k]}]{counts[k]} {k}[/]" for k in ("fail", "warning", "pass", "unchecked")))
    for note in report.notes:
        out.print(f"Note: {note}", markup=False, highlight=False)


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
