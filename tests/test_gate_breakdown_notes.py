"""A breakdown's note says how many who answered a question gave no value of the attribute, so
are in no column ("Financial pressures: the two who answered but gave no size are in no
column."). The gate read no number there: "the 81 who answered" edited to "the 80" passed. Each
such number is now checked, in Markdown, HTML and Word reports alike, from `summariser report`
through `summariser eval`."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from summariser.gate.parse import parse_draft
from summariser.gate.run import Outcome, evaluate, known_ids
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.verify import CorpusIndex
from tests.commands import invoke
from tests.conftest import EXAMPLE, copy_project, without_size
from tests.test_gate_edges import by_group

BLANKED = ("R01", "R03")  # R01 answered the satisfaction question; R03 left it blank
RATED = "Financial pressures: the two who answered but gave no size are in no column."
CHOSE = "Satisfaction with the ihub: one person who answered gave no size and is in no column."


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    """Any network connection fails while the project is ingested and reported (as the
    `no_network` fixture, for a module's one build)."""
    real_connect = socket.socket.connect

    def refuse(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network access attempted: {address}")
        return real_connect(self, address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        patch.setattr(socket, "create_connection",
                      lambda address, *a, **k: refuse(socket.socket(), address))
        yield


@pytest.fixture(scope="module")
def reported(tmp_path_factory, offline) -> Path:
    """The example with two partnerships giving no size and no group suppressed (`min_cell`
    1), ingested and reported as a user does: every rating's note counts two, the
    satisfaction question's one (only R01 of the two answered it)."""
    root = without_size(copy_project(EXAMPLE, tmp_path_factory.mktemp("notes") / "hscp-2017"),
                        BLANKED, min_cell=1)
    assert invoke("ingest", "-p", str(root)).exit_code == 0
    made = invoke("report", "-p", str(root))
    assert made.exit_code == 0, made.output  # its own gate passed the notes
    return root


def eval_json(project: Path, report: Path, tmp_path: Path) -> tuple[int, dict]:
    """`summariser eval` on a report, with its checks written as JSON."""
    written = tmp_path / f"{report.name}.check.json"
    result = invoke("eval", str(report), "-p", str(project), "-o", str(written))
    assert result.exception is None or result.exit_code == 1, result.output
    return result.exit_code, json.loads(written.read_text(encoding="utf-8"))


def noted(checked: dict) -> dict[str, dict]:
    """The checks of notes' numbers, by their sentence."""
    return {c["claim"]: c for c in checked["numbers"] if "in no column" in c["claim"]}


def edited(reported: Path, tmp_path: Path, suffix: str, old: str, new: str) -> Path:
    """A copy of the report in `suffix`'s format with `old` changed to `new` (in a Word file,
    in the paragraph holding it)."""
    source = reported / "out" / f"report.{suffix}"
    copy = tmp_path / source.name
    if suffix != "docx":
        text = source.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        copy.write_text(text.replace(old, new), encoding="utf-8")
        return copy
    from docx import Document

    document = Document(str(source))
    [paragraph] = [p for p in document.paragraphs if old in p.text]
    text = paragraph.text.replace(old, new)
    for run in paragraph.runs[1:]:
        run.text = ""
    paragraph.runs[0].text = text
    document.save(str(copy))
    return copy


@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
def test_true_notes_pass_and_each_number_is_checked(reported, tmp_path, suffix):
    code, checked = eval_json(reported, reported / "out" / f"report.{suffix}", tmp_path)
    assert code == 0 and checked["passed"], checked["counts"]
    notes = noted(checked)
    # seven rating questions of 2.4 and the satisfaction question of 2.8
    assert len(notes) == 8 and all(c["outcome"] == "pass" for c in notes.values()), notes
    assert notes[RATED]["kind"] == "count"
    assert notes[RATED]["reason"] == "2 who answered “Financial pressures” gave no size."
    assert notes[CHOSE]["reason"] == ("One who answered “Satisfaction with the ihub” gave no "
                                      "size.")


def test_the_passing_note_is_listed_by_eval_all(reported):
    result = invoke("eval", str(reported / "out" / "report.md"), "-p", str(reported), "--all")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"count “{RATED}” 2 who answered “Financial pressures” gave no size." in said


@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
@pytest.mark.parametrize(("old", "new", "says"), [
    (RATED, RATED.replace("the two", "the 80"),
     "2 who answered “Financial pressures” gave no size, not 80."),
    (RATED, "Financial pressures: one person who answered gave no size and is in no column.",
     "2 who answered “Financial pressures” gave no size, not 1."),
    (CHOSE, "Satisfaction with the ihub: the 1,204 who answered but gave no size are in no "
            "column.",
     "One who answered “Satisfaction with the ihub” gave no size, not 1,204."),
])
def test_an_edited_note_number_fails_naming_the_true_one(reported, tmp_path, suffix, old, new,
                                                         says):
    code, checked = eval_json(reported, edited(reported, tmp_path, suffix, old, new), tmp_path)
    assert code == 1 and not checked["passed"]
    failed = [c for c in checked["numbers"] if c["outcome"] == "fail"]
    assert [(c["kind"], c["claim"], c["reason"]) for c in failed] == [("count", new, says)], \
        failed
    assert checked["counts"]["fail"] == 1, checked["counts"]


@pytest.mark.parametrize(("new", "says"), [
    (RATED.replace("Financial pressures", "Money worries"),
     "“Money worries” names no rating or choice question of the manifest by its short label: "
     "check the number by hand."),
    (RATED.replace("no size", "no region"),
     "“region” is no respondent attribute the corpus holds (“size”): check the number by "
     "hand."),
])
def test_an_unknown_label_or_attribute_is_left_to_a_person(reported, tmp_path, new, says):
    code, checked = eval_json(reported, edited(reported, tmp_path, "md", RATED, new), tmp_path)
    assert code == 0, checked["counts"]  # unchecked is not a failure, but listed
    [unchecked] = [c for c in checked["numbers"] if c["outcome"] == "unchecked"]
    assert (unchecked["claim"], unchecked["reason"]) == (new, says)


def test_without_the_respondents_attributes_a_note_is_unchecked(reported):
    """Checked with no store's attributes (who gave which size), a note's number is left to a
    person, never passed."""
    manifest = load_manifest(reported)
    corpus = read_corpus(manifest)
    draft = parse_draft(reported / "out" / "report.md", manifest, known_ids(corpus.responses))
    report = evaluate([draft], CorpusIndex.build(corpus.responses), manifest, corpus.responses,
                      corpus.ratings)
    notes = [n for n in report.numbers if "in no column" in n.claim]
    assert len(notes) == 8 and all(n.outcome is Outcome.UNCHECKED for n in notes), notes
    assert "no respondents' attributes" in notes[0].reason and "by hand" in notes[0].reason


def test_a_note_without_a_number_states_nothing_to_check(reported):
    """Said when a group is suppressed: how many would give that group's size away."""
    manifest = load_manifest(reported)
    corpus = read_corpus(manifest)
    report = by_group((manifest, corpus, CorpusIndex.build(corpus.responses)),
                      "## 2.4 Understanding the challenges\n\n*Suppressed: Small (fewer than 5 "
                      "respondents, or a figure that would let a suppressed one be worked out). "
                      "Those who answered but gave no size are in no column.*\n")
    assert not [n for n in report.numbers if "no column" in n.claim], report.numbers


def test_a_label_holding_a_stop_is_read_whole(reported, tmp_path):
    """Several rows' notes are joined in one paragraph, after a "Suppressed" sentence; a label
    with a stop of its own is still the question's."""
    root = tmp_path / "project"
    shutil.copytree(reported, root, ignore=shutil.ignore_patterns(".summariser", "out"))
    toml = root / "summariser.toml"
    toml.write_text(toml.read_text().replace('label = "Financial pressures"',
                                             'label = "Q4. Financial pressures"'))
    manifest = load_manifest(root)
    corpus = read_corpus(manifest)
    report = by_group((manifest, corpus, CorpusIndex.build(corpus.responses)),
                      "## 2.4 Understanding the challenges\n\n*Suppressed: Small (fewer than 5 "
                      "respondents, or a figure that would let a suppressed one be worked out). "
                      "Those who answered but gave no size are in no column. Q4. Financial "
                      "pressures: the three who answered but gave no size are in no column. "
                      "Workforce issues: the two who answered but gave no size are in no "
                      "column.*\n")
    checked = {n.claim: (n.outcome, n.reason) for n in report.numbers if "no column" in n.claim}
    assert checked == {
        "Q4. Financial pressures: the three who answered but gave no size are in no column.": (
            Outcome.FAIL, "2 who answered “Q4. Financial pressures” gave no size, not 3."),
        "Workforce issues: the two who answered but gave no size are in no column.": (
            Outcome.PASS, "2 who answered “Workforce issues” gave no size.")}, checked
