"""The `stats` job: response rate, rating summaries and choice counts, from what the last ingest
stored (the snapshot the report uses; from the sources when nothing has been ingested), and
optionally their CSV tables and figures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import SummariserError

if TYPE_CHECKING:
    from summariser.outputs import Staged
    from summariser.report.stats import Stats


@dataclass(frozen=True, kw_only=True)
class StatsOptions:
    project: Path = Path(".")
    store: Path | None = None  # default: from the manifest, else PROJECT/.summariser
    encoding: str | None = None  # of CSV and text sources read before any ingest; detected
    csv_dir: Path | None = None  # also write one CSV file per table here
    figures_dir: Path | None = None  # also draw the figures here, as PNG and SVG


@dataclass(frozen=True)
class StatsResult:
    stats: Stats
    csv_files: tuple[Path, ...] = ()
    figure_files: tuple[Path, ...] = ()
    unanswered: tuple[str, ...] = ()  # choice questions nobody answered: no figure for them


def stats(options: StatsOptions) -> StatsResult:
    """Count from the store, which must be current with the sources; before any ingest, from
    the sources themselves."""
    from summariser.index.snapshot import require_current, stored_corpus
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest
    from summariser.project.sources import read_corpus
    from summariser.report.stats import compute_stats

    manifest = load_manifest(options.project)
    store = Store(options.store or manifest.store_path)
    if store.exists():
        require_current(manifest, store)
        corpus = stored_corpus(store)
    else:
        corpus = read_corpus(manifest, options.encoding)
    result = compute_stats(manifest, corpus)
    csv_files = _write_csvs(result, options.csv_dir) if options.csv_dir is not None else []
    figures: list[Path] = []
    unanswered: list[str] = []
    if options.figures_dir is not None:
        figures, unanswered = _write_figures(result, options.figures_dir)
    return StatsResult(result, tuple(csv_files), tuple(figures), tuple(unanswered))


def not_counted(non_answers: tuple[tuple[str, int], ...]) -> str:
    """The non-answers of a question and their counts: "Don't know 2; Not applicable 1"."""
    return "; ".join(f"{label} {count}" for label, count in non_answers)


def _rows_to_csv(out: Staged, path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """Stage one CSV file; text cells that a spreadsheet would run as formulas are neutralised
    (summariser.document.escape.csv_cell)."""
    from summariser.document.escape import csv_cell
    from summariser.text.wording import half_up

    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(header)
    writer.writerows([["" if v is None else float(half_up(v, 4)) if isinstance(v, float)
                       else csv_cell(v) for v in row] for row in rows])
    return out.write(path, handle.getvalue())


def _write_csvs(result: Stats, directory: Path) -> list[Path]:
    from summariser.outputs import staged

    rate = result.response_rate
    with staged() as out:
        written = [
            _rows_to_csv(out, directory / "response-rate.csv",
                         ["respondents", "invited", "percent"],
                         [[rate.respondents, rate.invited, rate.percent]]),
            _rows_to_csv(out, directory / "answered.csv",
                         ["question", "label", "kind", "answered", "respondents", "percent"],
                         [[a.question, a.label, a.kind, a.answered, a.respondents, a.percent]
                          for a in rate.answered]),
        ]
        if result.ratings:
            written.append(_rows_to_csv(
                out, directory / "ratings.csv",
                ["question", "label", "n", "blank", "non_answers", "mean", "median", "min", "q1",
                 "q3", "max", "sd", "top_two", "top_two_count", "note"],
                [[r.question, r.label, r.n, r.blank, not_counted(r.non_answers), r.mean,
                  r.median, r.minimum, r.q1, r.q3, r.maximum, r.sd,
                  r.top_two.label if r.top_two else "", r.top_two.count if r.top_two else "",
                  r.note] for r in result.ratings]))
            written.append(_rows_to_csv(
                out, directory / "spread.csv", ["rank", "question", "label", "sd", "range"],
                [[rank, r.question, r.label, r.sd, r.range]
                 for rank, r in enumerate(result.spread, 1)]))
        for choice in result.choices:
            rows: list[list[Any]] = [["option", o.option, o.count, o.percent]
                                     for o in choice.options]
            if choice.top_two is not None:
                rows.append(["top two", choice.top_two.label, choice.top_two.count,
                             choice.top_two.percent])
            rows += [["non-answer", label, count, None] for label, count in choice.non_answers]
            rows.append(["blank", "did not answer", choice.blank, None])
            written.append(_rows_to_csv(out, directory / f"choice-{choice.question}.csv",
                                        ["row", "option", "count", "percent_of_answered"],
                                        rows))
    return written


def _write_figures(result: Stats, directory: Path) -> tuple[list[Path], list[str]]:
    """The figures drawn, and the choice questions left without one (nobody answered)."""
    from summariser.report.figures import choice_bar, ratings_boxplot

    written: list[Path] = []
    unanswered: list[str] = []
    try:
        if any(item.n for item in result.ratings):
            written += ratings_boxplot(result, directory / "ratings")
        for choice in result.choices:
            if choice.answered:
                written += choice_bar(result, choice.question,
                                      directory / f"choice-{choice.question}")
            else:
                unanswered.append(choice.question)
    except OSError as exc:
        raise SummariserError(f"Cannot write figures to {directory} ({exc.strerror}); "
                              "choose another directory with --figures") from None
    return written, unanswered
