"""`summariser stats`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from summariser.cli import app
from summariser.cli.common import (
    OLD_PROJECT,
    PROJECT,
    STORE,
    Command,
    console,
    err_console,
    project_folder,
    shown,
)

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from summariser.report.stats import ChoiceStats, Stats


@app.command(cls=Command)
def stats(
    old_project: Path = OLD_PROJECT,
    project: Path = PROJECT,
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON on stdout "
                                 "instead of tables (unrounded numbers, percentages 0-100)."),
    csv_dir: Path = typer.Option(None, "--csv", metavar="DIR", file_okay=False,
                                 help="Also write one CSV file per table into DIR (created "
                                 "if missing)."),
    figures_dir: Path = typer.Option(None, "--figures", metavar="DIR", file_okay=False,
                                     help="Also draw the figures into DIR as PNG and SVG: a "
                                     "box plot of the ratings and a bar chart per choice "
                                     "question, 16 cm wide for an A4 report."),
    encoding: str = typer.Option(None, "--encoding", help="Encoding of CSV/text sources read "
                                 "before any ingest, e.g. cp1252 \\[default: detected]."),
    store: Path = STORE,
) -> None:
    """Response rate, rating summaries and choice counts for the closed questions.

    Counts what the last ingest stored, as the report does, and stops if a source file changed
    since; before any ingest, reads the sources in summariser.toml directly. Respondents are
    everyone with a row in a survey table, each counted once however many rows they have;
    percentages of a choice question are of those who answered it, with blanks and non-answers
    such as "don't know" counted apart.

    Example: summariser stats -p corpus/hscp-2017 --figures figures/
    """
    from summariser.jobs.stats import StatsOptions
    from summariser.jobs.stats import stats as stats_job

    done = stats_job(StatsOptions(project=project_folder(project, old_project), store=store,
                                  encoding=encoding, csv_dir=csv_dir, figures_dir=figures_dir))
    out = err_console if as_json else console
    if as_json:
        typer.echo(json.dumps(done.stats.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_tables(done.stats)
    if csv_dir is not None:
        out.print(f"Wrote {len(done.csv_files)} CSV files to {csv_dir}: "
                  f"{', '.join(p.name for p in done.csv_files)}")
    if figures_dir is not None:
        for question in done.unanswered:
            err_console.print(f"No figure for {question}: nobody answered it.")
        out.print(f"Wrote {len(done.figure_files)} figure files to {figures_dir}: "
                  f"{', '.join(p.name for p in done.figure_files)}")


def _print_tables(result: Stats) -> None:
    from summariser.jobs.stats import not_counted
    from summariser.text.wording import rounded

    rate = result.response_rate
    console.print(shown(result.title, style="bold"))
    console.print(rate.sentence())
    answered = Table(title="Answered, by question", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Question", "left"), ("Kind", "left"), ("Answered", "right"),
        (f"% of {rate.respondents}", "right"))
    for column, justify in columns:
        answered.add_column(column, justify=justify)
    for question in rate.answered:
        answered.add_row(shown(question.question), question.kind, str(question.answered),
                         rounded(question.percent))
    console.print(answered)
    if result.ratings:
        ratings = Table(title="Ratings, highest mean first", title_justify="left")
        notes = any(item.note for item in result.ratings)
        others = any(item.non_answers for item in result.ratings)
        tops = any(item.top_two for item in result.ratings)
        for column in ("Item", "n", "Mean", "Median", "Min", "Q1", "Q3", "Max", "SD",
                       *(["Top two"] if tops else []), *(["Not counted"] if others else []),
                       *(["Note"] if notes else [])):
            ratings.add_column(column, justify="left" if column in ("Item", "Note", "Top two",
                                                                    "Not counted")
                               else "right", overflow="fold")
        for item in result.ratings:
            top = item.top_two.sentence() if item.top_two else ""
            ratings.add_row(shown(item.label), str(item.n), rounded(item.mean, 2),
                            _short(item.median), _short(item.minimum), _short(item.q1),
                            _short(item.q3), _short(item.maximum), rounded(item.sd, 2),
                            *([shown(top)] if tops else []),
                            *([shown(not_counted(item.non_answers))] if others else []),
                            *([item.note] if notes else []))
        console.print(ratings)
        spread = Table(title="Spread: which items divide opinion most (largest SD first, "
                       "then widest range)", title_justify="left")
        for column in ("Rank", "Item", "SD", "Range"):
            spread.add_column(column, justify="left" if column == "Item" else "right",
                              overflow="fold")
        for rank, item in enumerate(result.spread, 1):
            spread.add_row(str(rank), shown(item.label), rounded(item.sd, 2), _short(item.range))
        console.print(spread)
    for choice in result.choices:
        console.print(_choice_table(choice))


def _short(value: float | None) -> str:
    """At most two decimals, without trailing zeros: 7, 8.5, 3.75."""
    from summariser.text.wording import rounded

    text = rounded(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _choice_table(choice: ChoiceStats) -> Table:
    from summariser.text.wording import rounded

    caption = f"{choice.answered} answered; {choice.blank} did not answer. " \
              "Percentages are of those who answered."
    if choice.note:
        caption += f" ({choice.note})"
    table = Table(title=shown(f"{choice.label} ({choice.question})"), title_justify="left",
                  caption=shown(caption), caption_justify="left")
    table.add_column("Option")
    table.add_column("Count", justify="right")
    table.add_column(f"% of {choice.answered}", justify="right")
    for option in choice.options:
        table.add_row(shown(option.option), str(option.count), rounded(option.percent))
    table.add_section()
    if choice.top_two is not None:
        top = choice.top_two
        table.add_row(shown(top.label, style="italic"), str(top.count), rounded(top.percent),
                      end_section=True)
    for label, count in choice.non_answers:
        table.add_row(shown(label, style="dim"), str(count), "")
    table.add_row(shown("Did not answer", style="dim"), str(choice.blank), "")
    return table
