"""The jobs (summariser.jobs) run without the command line, as a web page or a batch runner would
call them: typed options in, typed results out, progress told to whoever asks, nothing printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import StoreError
from summariser.jobs.ask import AskOptions, ask
from summariser.jobs.draft import DraftOptions, draft
from summariser.jobs.eval import EvalOptions, evaluate
from summariser.jobs.ingest import IngestOptions, ingest
from summariser.jobs.report import ReportOptions, report
from summariser.jobs.runs import RunsOptions, runs
from summariser.jobs.stats import StatsOptions, stats


class Recorder:
    """A `summariser.progress.Progress` that keeps what it is told."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, int]] = []
        self.done = 0

    def start(self, total: int, what: str) -> None:
        self.steps.append((what, total))

    def advance(self, count: int) -> None:
        self.done += count


def test_the_jobs_run_a_project_end_to_end_and_print_nothing(project: Path, capsys):
    told = Recorder()
    ingested = ingest(IngestOptions(project=project), told)
    assert ingested.report.passages == 13 and ingested.store == project / ".summariser"
    assert ("Embedding passages", 13) in told.steps and told.done == 13

    told = Recorder()
    drafted = draft(DraftOptions(project=project), told)
    [section] = drafted.sections
    assert drafted.directory == project / "drafts"
    assert section.section.id == "gone-well" and section.drafted is not None
    assert section.drafted.codebook == "proposed" and not section.drafted.fallback
    assert told.steps == [("Drafting sections", 1)] and told.done == 1

    checked = evaluate(EvalOptions(project=project, drafts=(project / "drafts" / "gone-well.json",),
                                   format="json"))
    assert checked.passed and checked.rendered is not None and checked.written is None
    assert '"format": "summariser.eval/1"' in checked.rendered

    found = ask(AskOptions(project=project, question="joint working with the council",
                           every=True))
    assert found.counted is not None and found.answer is None
    assert {h.passage.respondent for h in found.found.hits} >= {"R03"}

    built = report(ReportOptions(project=project, formats=("md",)))
    assert built.drafted == 0 and [p.name for p in built.files.paths] == ["report.md"]
    assert (project / "out" / "report.md").is_file()

    counted = stats(StatsOptions(project=project))
    assert counted.stats.response_rate.respondents == 4 and counted.csv_files == ()
    assert [r.command for r in runs(RunsOptions(project=project))] == ["draft"]
    assert capsys.readouterr() == ("", "")


def test_a_job_fails_with_the_one_line_error_the_command_prints(project: Path):
    with pytest.raises(StoreError, match="run 'summariser ingest' first"):
        draft(DraftOptions(project=project))
