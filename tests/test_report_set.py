"""The report is published as one set: its Markdown, HTML, Word, ledger and figures are written
whole beside the last report and switched in together, so a kill part way leaves the last set
as it was, a crash between renames is finished by the next run, and temporary files a killed
writer left are removed. The kills are real (SIGKILL in a process of its own)."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.commands import invoke
from tests.conftest import MANIFEST, REPO, TRANSCRIPT

FRAME = ('\n[[sections.themes]]\ntitle = "Joint working"\nby_meaning = false\n'
         'phrases = ["joint working"]\n')
ANSWERS = {"R01": ("Joint working has improved across the partnership.", 5),
           "R02": ("Joint working with the council is stronger than last year.", 7),
           "R03": ("We now plan joint working with housing from the start.", 8),
           "R04": ("Joint working is slow because approvals go through two systems.", 9)}


def _write(root: Path, title: str, shift: int) -> None:
    """The project's manifest and answers; `shift` moves every rating, so the figures change."""
    (root / "summariser.toml").write_text(MANIFEST.replace('title = "Test survey"',
                                                           f'title = "{title}"') + FRAME)
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["Ref", "Q1", "Q2", "Q3", "Q4"])
    for ref, (answer, rating) in ANSWERS.items():
        writer.writerow([ref, answer, "", rating - shift, "Satisfied"])
    (root / "responses.csv").write_text(table.getvalue(), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` a reader sees (not hidden), by relative path, with its hash."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


@pytest.fixture
def reported(tmp_path: Path) -> Path:
    """A project with a first report in out/, its sources then changed for a second one."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "interview.txt").write_text(TRANSCRIPT, encoding="utf-8")
    _write(root, "First run", 0)
    assert invoke("ingest", "-p", str(root)).exit_code == 0
    result = invoke("report", "-p", str(root))
    assert result.exit_code == 0, result.output
    _write(root, "Second run", 3)
    assert invoke("ingest", "-p", str(root)).exit_code == 0
    return root


def _killed_report(project: Path, setup: str) -> subprocess.CompletedProcess[str]:
    """`report` in a process of its own, which `setup` makes kill itself (SIGKILL) part way."""
    code = ("import os, signal, sys\n" + setup +
            f"\nsys.argv = ['summariser', 'report', '-p', {str(project)!r}]\n"
            "from summariser.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == -9, (done.returncode, done.stdout, done.stderr)
    return done


KILL_IN_WORD = """
import summariser.document.docx as word
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
word.to_docx = killed
"""
# Killed just before the HTML file is renamed into out/: some of the set is in place, some not.
KILL_BETWEEN_RENAMES = """
import summariser.outputs as outputs
real = os.replace
def replace(source, target, *args, **kwargs):
    if os.path.basename(target) == "report.html" and "partial" not in os.path.basename(target):
        if os.path.basename(os.path.dirname(target)) == "out":
            os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target, *args, **kwargs)
outputs.os.replace = replace
os.replace = replace
"""


def test_a_report_killed_while_writing_leaves_the_last_set_as_it_was(reported: Path):
    out = reported / "out"
    before = snapshot(out)
    assert any(name.startswith("figures/") for name in before)
    _killed_report(reported, KILL_IN_WORD)
    assert snapshot(out) == before  # not new figures beside the old Markdown and Word files
    result = invoke("report", "-p", str(reported))
    assert result.exit_code == 0, result.output
    assert "Second run" in (out / "report.md").read_text()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def _same_run(out: Path, reference: Path) -> None:
    """The Markdown, the HTML and the figures are those a whole run gives; the Word file is of
    the same run (its title)."""
    from docx import Document

    mine = {k: v for k, v in snapshot(out).items() if not k.endswith((".docx", ".json"))}
    whole = {k: v for k, v in snapshot(reference).items() if not k.endswith((".docx", ".json"))}
    assert mine == whole
    assert Document(str(out / "report.docx")).core_properties.title == \
        Document(str(reference / "report.docx")).core_properties.title


def test_a_crash_between_renames_is_finished_by_the_next_run_even_when_it_fails(
        reported: Path, tmp_path: Path):
    out = reported / "out"
    _killed_report(reported, KILL_BETWEEN_RENAMES)
    # The next run is refused at the gate (a quote no longer in its source); the set the
    # crashed run had written whole is put in place all the same, not left half in.
    draft = reported / "drafts" / "gone-well.md"
    text = draft.read_text()
    draft.write_text(text.replace("“", "“Entirely ", 1))
    result = invoke("report", "-p", str(reported))
    assert result.exit_code == 1 and "fails" in result.output, result.output
    draft.write_text(text)
    reference = tmp_path / "reference"
    assert invoke("report", "-p", str(reported), "-o", str(reference)).exit_code == 0
    _same_run(out, reference)
    assert "Second run" in (out / "report.md").read_text()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_temporary_files_a_killed_writer_left_are_removed_by_the_next_run(reported: Path):
    out, drafts = reported / "out", reported / "drafts"
    left = [out / ".report.k3j2h1.partial.md", out / "figures" / ".ratings.a8d7.partial.png",
            drafts / ".gone-well.x9y8.partial.md"]
    for path in left:
        path.write_text("half a file")
    held = out / ".report.live01.partial.html"  # a writer at work holds its file
    held.write_text("being written")
    with held.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        assert invoke("report", "-p", str(reported)).exit_code == 0
        assert invoke("draft", "-p", str(reported), "--restart").exit_code == 0
        assert [p for p in left if p.exists()] == []
        assert held.exists()
    os.unlink(held)


# Another run tidies the folder in the instant between a writer making its temporary file (or
# staging folder) and holding it: the writer must not lose it, nor write into a removed one.

def test_a_temporary_file_tidied_away_before_it_was_held_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from summariser import outputs

    real = tempfile.mkstemp
    calls = []

    def tidied_at_once(*args, **kwargs):
        made = real(*args, **kwargs)
        calls.append(made[1])
        if len(calls) == 1:
            outputs.tidy_partials(tmp_path)  # another run, before this one holds the file
        return made

    monkeypatch.setattr(tempfile, "mkstemp", tidied_at_once)
    with outputs.staged() as out:
        out.write(tmp_path / "report.md", "the new report")
        outputs.tidy_partials(tmp_path)  # another run, while this one writes
    assert (tmp_path / "report.md").read_text() == "the new report"
    assert len(calls) == 2 and [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_staging_folder_tidied_away_before_it_was_held_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from summariser import outputs

    real = tempfile.mkdtemp
    calls = []

    def tidied_at_once(*args, **kwargs):
        made = real(*args, **kwargs)
        calls.append(made)
        if len(calls) == 1:
            outputs.finish_publishing(tmp_path)  # another run, before this one holds it
        return made

    monkeypatch.setattr(tempfile, "mkdtemp", tidied_at_once)
    with outputs.published(tmp_path) as out:
        out.write("report.md", "the new report")
        outputs.finish_publishing(tmp_path)  # another run, while this one writes
    assert (tmp_path / "report.md").read_text() == "the new report"
    assert len(calls) == 2 and [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_eval_of_a_report_a_crash_left_half_switched_in_reads_it_whole(
        reported: Path, tmp_path: Path):
    out = reported / "out"
    _killed_report(reported, KILL_BETWEEN_RENAMES)
    result = invoke("eval", "-p", str(reported), str(out / "report.md"))
    assert result.exit_code == 0, result.output
    reference = tmp_path / "reference"
    assert invoke("report", "-p", str(reported), "-o", str(reference)).exit_code == 0
    _same_run(out, reference)  # eval read the new set whole, not new figures beside old text
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_files_of_the_analysts_own_beside_the_figures_are_kept(reported: Path):
    figures = reported / "out" / "figures"
    (figures / "my-chart.png").write_bytes(b"the analyst's own chart")
    result = invoke("report", "-p", str(reported))
    assert result.exit_code == 0, result.output
    assert (figures / "my-chart.png").read_bytes() == b"the analyst's own chart"
    assert (figures / "ratings.png").is_file()
