"""Outputs are written atomically, all of a set or none: a writer that fails, a full disk, a
read-only or unwritable folder give one line and leave the previous files as they were; Word
documents show the control characters XML cannot hold as visible placeholders.

Full and read-only disks are real where the system allows: a small tmpfs and a read-only bind
mount, made inside a private user and mount namespace (`unshare -rm`) that vanishes with the
command. Where namespaces are not available those tests are skipped; the same faults are also
raised by patching, which always runs."""

from __future__ import annotations

import csv
import errno
import hashlib
import html
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summariser.document.escape import UNESCAPE
from summariser.errors import SummariserError
from summariser.outputs import OutputError, failure, staged, write_atomic
from summariser.text.controls import XML_INVALID, from_placeholders, xml_safe
from tests.commands import invoke, one_line_error
from tests.conftest import MANIFEST, TRANSCRIPT

FRAME = ('\n[[sections.themes]]\ntitle = "Joint working"\nby_meaning = false\n'
         'phrases = ["joint working"]\n')
CLEAN = {"R01": "Joint working has improved across the partnership.",
         "R02": "Joint working with the council is stronger than last year.",
         "R03": "We now plan joint working with housing from the start.",
         "R04": "Joint working is slow because approvals go through two systems."}
CONTROLS = {"R01": "Joint working\x0bhas improved across the partnership.",
            "R02": "Joint working with the council\x0c is stronger than last year.",
            "R03": "We now plan joint working \x00with housing from the start.",
            "R04": "Joint working is \x1b[1mslow\x1b[0m because approvals go through two systems."}


def _write_answers(root: Path, answers: dict[str, str]) -> None:
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["Ref", "Q1", "Q2", "Q3", "Q4"])
    for ref, answer in answers.items():
        writer.writerow([ref, answer, "", 5, "Satisfied"])
    (root / "responses.csv").write_text(table.getvalue(), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with its sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def themed(tmp_path: Path) -> Path:
    """The test survey with a given theme every answer is coded to, ingested, with a report
    already written to out/."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "summariser.toml").write_text(MANIFEST + FRAME, encoding="utf-8")
    (root / "interview.txt").write_text(TRANSCRIPT, encoding="utf-8")
    _write_answers(root, CLEAN)
    assert invoke("ingest", "-p", str(root)).exit_code == 0
    result = invoke("report", "-p", str(root))
    assert result.exit_code == 0, result.output
    return root


# --- the one home of atomic writes -------------------------------------------------------------

def test_write_atomic_replaces_keeps_permissions_and_leaves_no_temporary_file(tmp_path: Path):
    target = tmp_path / "out" / "report.md"
    write_atomic(target, "first\n")
    os.chmod(target, 0o640)
    write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]


def test_a_set_is_written_whole_or_not_at_all(tmp_path: Path):
    for name in ("a.md", "b.html"):
        (tmp_path / name).write_text("old")
    with pytest.raises(RuntimeError), staged() as out:
        out.write(tmp_path / "a.md", "new")
        out.write(tmp_path / "b.html", "new")
        raise RuntimeError("the third writer failed")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {"a.md": "old",
                                                                  "b.html": "old"}


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"),
                                         (errno.EROFS, "the disk is read-only"),
                                         (errno.EACCES, "permission denied")])
def test_a_failed_write_is_one_line_and_keeps_the_old_file(tmp_path: Path, monkeypatch, code,
                                                           words):
    target = tmp_path / "report.md"
    target.write_text("the report before")

    def fail(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("summariser.outputs.os.fsync", fail)  # where a full disk shows itself
    with pytest.raises(OutputError) as raised:
        write_atomic(target, "the new report")
    message = str(raised.value)
    assert message.startswith(f"{target}: cannot be written ({words})") and "\n" not in message
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
    assert target.read_text() == "the report before"
    assert failure(target, OSError(code, "x")).args[0] == message


# --- the report ------------------------------------------------------------------------------

def test_control_characters_reach_every_format_and_word_shows_them_as_placeholders(
        themed: Path):
    import docx

    before = (themed / "out" / "report.docx").read_bytes()
    _write_answers(themed, CONTROLS)
    manifest = themed / "summariser.toml"
    title = "Test\\u000bsurvey\\u000c of \\u0000 and \\u001b[1m"
    manifest.write_text(manifest.read_text().replace('"Test survey"', f'"{title}"'))
    assert invoke("ingest", "-p", str(themed)).exit_code == 0
    assert invoke("draft", "-p", str(themed)).exit_code == 0
    result = invoke("report", "-p", str(themed))
    assert result.exit_code == 0, result.output
    draft = json.loads((themed / "drafts" / "gone-well.json").read_text())
    quotes = [q["text"] for t in draft["themes"] for q in t["quotes"]]
    assert quotes and any(any(c in q for c in "\x0b\x0c\x00\x1b") for q in quotes)
    document = (themed / "out" / "report.docx").read_bytes()
    assert document != before  # the Word file is this report's, not the last one's
    word = docx.Document(str(themed / "out" / "report.docx"))
    shown = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    assert len(shown) == len(quotes)
    for quote, paragraph in zip(quotes, shown, strict=True):
        assert xml_safe(quote) in paragraph
        assert from_placeholders(xml_safe(quote)) == quote
    assert any(mark in " ".join(shown) for mark in "␋␌␀␛")
    heading = word.paragraphs[0].text
    assert heading == "Test␋survey␌ of ␀ and ␛[1m"
    assert from_placeholders(heading) == "Test\x0bsurvey\x0c of \x00 and \x1b[1m"
    # Markdown and HTML show them as Word does: an ESC printed raw could recolour the
    # terminal a report is read in.
    markdown = UNESCAPE.sub(r"\1", (themed / "out" / "report.md").read_text(encoding="utf-8"))
    page = (themed / "out" / "report.html").read_text(encoding="utf-8")
    draft_text = (themed / "drafts" / "gone-well.md").read_text(encoding="utf-8")
    for text in (markdown, page, draft_text):
        assert not XML_INVALID.search(text)
    for quote in quotes:
        assert xml_safe(quote) in markdown and html.escape(xml_safe(quote)) in page
    # The gate reads the placeholders back: every quote in each file is its source's words.
    for name in ("report.docx", "report.md", "report.html"):
        checked = invoke("eval", str(themed / "out" / name), "-p", str(themed))
        assert checked.exit_code == 0, checked.output


def test_a_writer_failing_part_way_leaves_the_previous_report_whole(themed: Path,
                                                                     monkeypatch):
    out = themed / "out"
    before = snapshot(out)

    def disk_full(blocks, path, **properties):
        Path(path).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("summariser.document.docx.to_docx", disk_full)
    one_line_error(invoke("report", "-p", str(themed)), "report.docx: cannot be written",
                   "the disk is full", "nothing there was changed")
    assert snapshot(out) == before  # Markdown and HTML were staged, then discarded


def test_an_unwritable_folder_is_one_line_for_the_report_and_the_drafts(themed: Path,
                                                                         monkeypatch):
    """Permissions cannot stop root, so the refusal is raised where the file would be made."""
    before = {folder: snapshot(themed / folder) for folder in ("drafts", "out")}

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("summariser.outputs.tempfile.mkstemp", refuse)
    one_line_error(invoke("report", "-p", str(themed)), "cannot be written (permission denied)",
                   "Choose a folder you can write to")
    one_line_error(invoke("draft", "-p", str(themed), "--restart"),
                   "cannot be written (permission denied)")
    after = {folder: snapshot(themed / folder) for folder in ("drafts", "out")}
    after["drafts"] = {k: v for k, v in after["drafts"].items() if not k.startswith(".backup/")}
    assert after == before  # --restart kept a backup; nothing else changed


def test_an_output_path_that_is_a_file_is_one_line(themed: Path):
    blocker = themed / "taken"
    blocker.write_text("a file, not a folder")
    one_line_error(invoke("report", "-p", str(themed), "-o", str(blocker)), "taken")
    one_line_error(invoke("stats", "-p", str(themed), "--csv", str(blocker / "csv")), "taken")


def test_eval_output_is_written_atomically_and_a_failure_is_one_line(themed: Path,
                                                                     monkeypatch):
    draft = str(themed / "drafts" / "gone-well.json")
    target = themed / "check.html"
    result = invoke("eval", draft, "-p", str(themed), "--output", str(target))
    assert result.exit_code == 0, result.output
    before = target.read_bytes()
    monkeypatch.setattr("summariser.outputs.os.fsync", lambda fd: (_ for _ in ()).throw(
        OSError(errno.ENOSPC, "No space left on device")))
    one_line_error(invoke("eval", draft, "-p", str(themed), "--output", str(target),
                          "--format", "md"), "check.html: cannot be written", "disk is full")
    assert target.read_bytes() == before
    assert sorted(p.name for p in themed.iterdir() if "partial" in p.name) == []


# --- real faults: a full tmpfs, read-only mounts -------------------------------------------------

def _namespace(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a bash script as root of a new user and mount namespace (skip where there is none)."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux)")
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("user and mount namespaces are not available here")
    return subprocess.run(["unshare", "-rm", "bash", "-eu", "-c", script], capture_output=True,
                          text=True, timeout=900, cwd=Path(__file__).parents[1],
                          env={**os.environ, "PY": sys.executable, **env})


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_a_full_disk_gives_one_line_and_keeps_the_previous_report(themed: Path, tmp_path: Path):
    """A 3 MB tmpfs holds a report; it is then filled until 40 kB are left, so the next report
    runs out of space part way (in its first figure; a failure while writing the documents
    themselves is the patched test above)."""
    disk, record = tmp_path / "disk", tmp_path / "record"
    disk.mkdir()
    record.mkdir()
    script = r"""
    mount -t tmpfs -o size=3m tmpfs "$DISK"
    "$PY" -m summariser report -p "$PROJECT" -o "$DISK/out" > "$RECORD/first.log" 2>&1
    (cd "$DISK/out" && find . -type f | sort | xargs sha256sum) > "$RECORD/before"
    free=$(df -k --output=avail "$DISK" | tail -1)
    head -c "$((free - 40))k" /dev/zero > "$DISK/filler"
    set +e
    "$PY" -m summariser report -p "$PROJECT" -o "$DISK/out" > "$RECORD/out" 2> "$RECORD/err"
    echo $? > "$RECORD/code"
    (cd "$DISK/out" && find . -type f | sort | xargs sha256sum) > "$RECORD/after"
    find "$DISK" -name '*partial*' > "$RECORD/partial"
    """
    done = _namespace(script, DISK=str(disk), RECORD=str(record), PROJECT=str(themed))
    assert done.returncode == 0, done.stderr + (record / "first.log").read_text()
    assert (record / "code").read_text().strip() == "1", (record / "err").read_text()
    [error] = _lines((record / "err").read_text())
    assert error.startswith("Error: ") and "the disk is full" in error, error
    before = (record / "before").read_text()
    assert "report.docx" in before and before == (record / "after").read_text()
    assert (record / "partial").read_text() == ""


def test_a_read_only_output_folder_gives_one_line_and_keeps_the_previous_report(
        themed: Path, tmp_path: Path):
    out = themed / "out"
    before = snapshot(out)
    record = tmp_path / "record"
    record.mkdir()
    script = r"""
    mount --bind "$OUT" "$OUT" && mount -o remount,bind,ro "$OUT"
    set +e
    "$PY" -m summariser report -p "$PROJECT" -o "$OUT" > "$RECORD/out" 2> "$RECORD/err"
    echo $? > "$RECORD/code"
    "$PY" -m summariser stats -p "$PROJECT" --csv "$OUT/csv" > /dev/null 2> "$RECORD/stats"
    echo $? >> "$RECORD/code"
    """
    done = _namespace(script, OUT=str(out), RECORD=str(record), PROJECT=str(themed))
    assert done.returncode == 0, done.stderr
    assert (record / "code").read_text().split() == ["1", "1"]
    for name in ("err", "stats"):
        [error] = _lines((record / name).read_text())
        assert error.startswith("Error: ") and "read-only" in error, error
    assert snapshot(out) == before


def test_a_read_only_project_can_be_asked_and_other_commands_say_why_not(themed: Path,
                                                                         tmp_path: Path):
    before = snapshot(themed)
    record = tmp_path / "record"
    record.mkdir()
    script = r"""
    mount --bind "$PROJECT" "$PROJECT" && mount -o remount,bind,ro "$PROJECT"
    "$PY" -m summariser ask "joint working with the council" -p "$PROJECT" --json \
        > "$RECORD/ask.json" 2> "$RECORD/ask.err"
    "$PY" -m summariser ask "joint working" -p "$PROJECT" --all --json > "$RECORD/all.json"
    set +e
    for command in "ingest -p $PROJECT" "draft -p $PROJECT --restart" "report -p $PROJECT"; do
        "$PY" -m summariser $command > /dev/null 2> "$RECORD/err"
        echo "$? $(grep -c . "$RECORD/err") $(head -c 300 "$RECORD/err" | tr '\n' ' ')" \
            >> "$RECORD/refused"
    done
    """
    done = _namespace(script, RECORD=str(record), PROJECT=str(themed))
    assert done.returncode == 0, done.stderr + (record / "ask.err").read_text()
    hits = json.loads((record / "ask.json").read_text())["hits"]
    assert hits and hits[0]["respondent"] == "R02"
    assert json.loads((record / "all.json").read_text())["counts"]["survey"]["found"] == 4
    refused = _lines((record / "refused").read_text())
    assert len(refused) == 3
    for line in refused:
        code, count, error = line.split(maxsplit=2)
        assert (code, count) == ("1", "1") and error.startswith("Error: "), line
        assert "read-only" in error or "writable" in error, line
    assert snapshot(themed) == before


def test_output_errors_are_summariser_errors():
    assert issubclass(OutputError, SummariserError)
