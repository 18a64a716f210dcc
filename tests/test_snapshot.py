"""One snapshot: a report's statistics, themes and quotes all come from what the last ingest
stored, and `report`, `draft` and `stats` stop, in one line, when a source changed since."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.index.ingest import ingest
from summariser.index.snapshot import source_files, stored_corpus
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.report.disclosure import breakdowns
from summariser.report.stats import compute_stats
from tests.test_layouts import long_project  # noqa: F401  (a fixture: coded answers, attributes)

runner = CliRunner()


@pytest.fixture
def ingested(project: Path) -> Path:
    manifest = load_manifest(project)
    ingest(manifest, Store(manifest.store_path))
    return project


def _delete_rows(path: Path, count: int) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows[:-count])


@pytest.mark.parametrize("command", [["report"], ["draft"], ["stats"]])
def test_a_source_changed_since_ingest_stops_report_draft_and_stats(ingested: Path, command):
    _delete_rows(ingested / "responses.csv", 2)
    result = runner.invoke(app, [*command, "-p", str(ingested)])
    assert result.exit_code == 1
    assert "responses.csv changed since the last ingest: run 'summariser ingest'" in \
        result.output
    assert len(result.output.strip().splitlines()) <= 3  # one line, wrapped at most
    assert not (ingested / "out").exists() and not (ingested / "drafts").exists()


def test_after_ingest_the_changed_source_is_what_every_number_comes_from(ingested: Path):
    _delete_rows(ingested / "responses.csv", 2)
    manifest = load_manifest(ingested)
    ingest(manifest, Store(manifest.store_path))
    result = runner.invoke(app, ["stats", "-p", str(ingested), "--json"])
    assert result.exit_code == 0, result.output
    assert '"respondents": 2' in result.stdout


def test_a_gone_source_file_is_a_change(ingested: Path):
    (ingested / "interview.txt").unlink()
    result = runner.invoke(app, ["stats", "-p", str(ingested)])
    assert result.exit_code == 1 and "interview.txt (gone) changed" in result.output


def test_a_store_from_before_the_hashes_were_kept_says_to_ingest(ingested: Path):
    store = Store(load_manifest(ingested).store_path)
    with closing(sqlite3.connect(store.db_path)) as db, db:
        db.execute("DELETE FROM source_files")
    result = runner.invoke(app, ["report", "-p", str(ingested)])
    assert result.exit_code == 1 and "run 'summariser ingest'" in result.output


def test_the_store_keeps_what_the_statistics_and_breakdowns_read(long_project,  # noqa: F811
                                                                  tmp_path: Path):
    """Non-answers ("Don't know"), several answers per person and the attributes of
    breakdowns come back from the store as they were read, so the statistics are the same."""
    root, _ = long_project
    manifest = load_manifest(root)
    read = read_corpus(manifest)
    store = Store(tmp_path / "store")
    store.replace_corpus(read.responses, read.ratings, {}, read.attributes,
                         source_files(manifest))
    stored = stored_corpus(store)
    assert stored.ratings == read.ratings and stored.attributes == read.attributes
    assert any(r.non_answer for r in stored.ratings)
    assert compute_stats(manifest, stored) == compute_stats(manifest, read)
    assert breakdowns(manifest, stored) == breakdowns(manifest, read)


def test_a_store_that_placed_answers_by_data_row_asks_for_ingest(ingested: Path):
    """Answers were once placed by their data row (the header not counted): a store written
    then would print "line 1" for the first answer, which is the header. It is read again
    first, embedding nothing."""
    manifest = load_manifest(ingested)
    with closing(sqlite3.connect(Store(manifest.store_path).corpus.path)) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'places'")
    refused = runner.invoke(app, ["draft", "-p", str(ingested)])
    assert refused.exit_code == 1 and "run 'summariser ingest'" in refused.output
    assert "placed answers by data row" in refused.output
    again = ingest(manifest, Store(manifest.store_path))
    assert again.added == 0
    assert runner.invoke(app, ["draft", "-p", str(ingested)]).exit_code == 0
