"""No edit of the analyst's is ever lost: every path through draft, run, report and --restart
keeps their codebook and Markdown, or keeps a backup and says where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.records import read_draft

runner = CliRunner()
SECTION = "gone-well"


@pytest.fixture
def ingested(example_project: Path, tmp_path: Path) -> Path:
    """A copy of the ingested example project, so each test edits its own drafts."""
    root = tmp_path / "hscp"
    shutil.copytree(example_project, root, ignore=shutil.ignore_patterns("drafts", "out",
                                                                         "runs.sqlite"))
    return root


def _invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result, " ".join(result.output.replace("│", " ").split())


def _rename_first_theme(codebook: Path) -> tuple[str, str]:
    text = codebook.read_text()
    start = text.index('title = "', text.index("[[themes]]")) + len('title = "')
    old = text[start:text.index('"', start)]
    codebook.write_text(text.replace(f'title = "{old}"', 'title = "Our renamed theme"', 1))
    return old, codebook.read_text()


def test_a_renamed_theme_survives_every_later_draft_run_and_report(ingested: Path):
    """The loss case: rename, draft (the rename shows), draft again with nothing changed. The
    second draft used to replace the analyst's codebook with newly proposed themes."""
    drafts = ingested / "drafts"
    codebook = drafts / f"{SECTION}.codebook.toml"
    assert _invoke("draft", "-p", str(ingested), "-s", "2.1")[0].exit_code == 0
    old, edited = _rename_first_theme(codebook)
    for command in (("draft", "-s", "2.1"), ("draft", "-s", "2.1"), ("draft",),
                    ("run", "--formats", "md"), ("report", "--formats", "md")):
        result, _ = _invoke(*command, "-p", str(ingested))
        assert result.exit_code == 0, (command, result.output)
        assert codebook.read_text() == edited, command
        draft = read_draft(drafts / f"{SECTION}.json")
        assert draft.codebook == "analyst", command
        titles = [t.title for t in draft.themes]
        assert "Our renamed theme" in titles and old not in titles, command
    assert "### Our renamed theme" in (ingested / "out" / "report.md").read_text()


def test_a_sidecar_from_before_the_fix_still_marks_the_codebook_as_the_analysts(ingested: Path):
    """Sidecars written by the faulty version recorded the analyst's hash as the tool's own; the
    sidecar's 'codebook: analyst' keeps such a codebook the analyst's."""
    import json

    drafts = ingested / "drafts"
    codebook = drafts / f"{SECTION}.codebook.toml"
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    _, edited = _rename_first_theme(codebook)
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    sidecar = drafts / f"{SECTION}.json"
    data = json.loads(sidecar.read_text())
    from summariser.draft.files import sha256_of

    data["files"] = {"markdown": data["files"]["markdown"], "codebook": sha256_of(codebook)}
    sidecar.write_text(json.dumps(data))
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    assert codebook.read_text() == edited


def test_report_recodes_a_section_whose_codebook_changed_and_the_panel_says_so(ingested: Path):
    drafts = ingested / "drafts"
    result, flat = _invoke("run", "-p", str(ingested), "--formats", "md")
    assert "its .codebook.toml for its themes; then run 'summariser report', which re-codes" \
        in flat
    _rename_first_theme(drafts / f"{SECTION}.codebook.toml")
    result, _ = _invoke("report", "-p", str(ingested), "--formats", "md")
    assert result.exit_code == 0, result.output
    assert "### Our renamed theme" in (ingested / "out" / "report.md").read_text()
    assert "Our renamed theme" in [t.title for t in read_draft(drafts / f"{SECTION}.json").themes]


def test_report_refuses_a_changed_codebook_beside_an_edited_draft(ingested: Path):
    drafts = ingested / "drafts"
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    markdown = drafts / f"{SECTION}.md"
    wording = markdown.read_text() + "\nOur own closing sentence.\n"
    markdown.write_text(wording)
    _, codebook = _rename_first_theme(drafts / f"{SECTION}.codebook.toml")
    result, flat = _invoke("report", "-p", str(ingested), "--formats", "md")
    assert result.exit_code == 1
    assert "changed after gone-well.md was drafted" in flat and "draft --restart" in flat
    assert len(result.output.strip().splitlines()) == 1
    assert markdown.read_text() == wording
    assert (drafts / f"{SECTION}.codebook.toml").read_text() == codebook


def test_restart_keeps_a_backup_of_the_codebook_and_says_where(ingested: Path):
    drafts = ingested / "drafts"
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    _, edited = _rename_first_theme(drafts / f"{SECTION}.codebook.toml")
    result, flat = _invoke("draft", "-p", str(ingested), "-s", "2.1", "--restart")
    assert result.exit_code == 0
    [backup] = (drafts / ".backup").iterdir()
    assert f"the previous files are kept in {backup}" in flat
    assert (backup / f"{SECTION}.codebook.toml").read_text() == edited
    assert read_draft(drafts / f"{SECTION}.json").codebook == "proposed"


def test_a_codebook_with_an_error_is_one_line_and_nothing_is_overwritten(ingested: Path):
    drafts = ingested / "drafts"
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    codebook = drafts / f"{SECTION}.codebook.toml"
    broken = codebook.read_text().replace("[[themes]]", "[[themes]\n", 1)
    codebook.write_text(broken)
    before = {p.name: p.read_bytes() for p in drafts.iterdir() if p.is_file()}
    for command in ("draft", "run", "report"):
        result = runner.invoke(app, [command, "-p", str(ingested), "-s", "2.1"]
                               if command == "draft" else [command, "-p", str(ingested)])
        assert result.exit_code == 1, (command, result.output)
        assert "not valid TOML" in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert {p.name: p.read_bytes() for p in drafts.iterdir() if p.is_file()} == before


def test_an_edit_made_while_the_section_is_drafted_is_kept(ingested: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    """The analyst saves the codebook while `draft` is coding the section: the draft's files are
    not written over it, and the command says to run draft again."""
    import summariser.draft.pipeline as pipeline

    drafts = ingested / "drafts"
    _invoke("draft", "-p", str(ingested), "-s", "2.1")
    codebook = drafts / f"{SECTION}.codebook.toml"
    before = {p.name: p.read_bytes() for p in drafts.iterdir() if p.is_file()}
    real = pipeline.draft_section
    saved = {}

    def draft_while_editing(*args, **kwargs):
        result = real(*args, **kwargs)
        _, saved["text"] = _rename_first_theme(codebook)
        return result

    monkeypatch.setattr(pipeline, "draft_section", draft_while_editing)
    result, flat = _invoke("draft", "-p", str(ingested), "-s", "2.1")
    assert result.exit_code == 0
    assert "changed while the section was being drafted, so nothing was written" in flat
    assert codebook.read_text() == saved["text"]
    for name in (f"{SECTION}.md", f"{SECTION}.json"):
        assert (drafts / name).read_bytes() == before[name]


def _broadband(root: Path) -> Path:
    """Answers as exports hold them: the same few sentences written by many, in several
    cases and with or without a full stop, beside answers of their own."""
    import csv

    said = ["Roll out fibre to rural areas.", "roll out fibre to rural areas",
            "ROLL OUT FIBRE TO RURAL AREAS", "Stop the annual price rises",
            "stop the annual price rises.", "More staff in the call centre",
            "More staff in the call centre.", "A router that doesn't need restarting.",
            "A ROUTER THAT DOESN'T NEED RESTARTING!!!", "Faster response from support",
            "Human beings on the phone not robots.", "Weekend engineer visits",
            "Sort out the evening slowdown", "Cheaper deals for loyal customers",
            "Coverage in the countryside is poor", "The bill keeps going up every year"]
    root.mkdir()
    with (root / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "improve"])
        writer.writerows([40010000 + n, said[(n * 7) % len(said)]] for n in range(90))
    (root / "summariser.toml").write_text("""
[project]
title = "Broadband"
respondent_noun = ["customer", "customers"]

[[sources]]
id = "survey"
path = "answers.csv"
respondent_column = "id"
columns = { improve = "improve" }

[[questions]]
id = "improve"
text = "What one thing should we improve?"

[[sections]]
id = "improve"
number = "1"
title = "What should we improve?"
questions = ["improve"]
""", encoding="utf-8")
    return root


def test_a_proposal_is_coded_as_its_file_holds_it(tmp_path: Path, monkeypatch):
    """A comment added to a proposed codebook made it the analyst's, and coding it again moved
    a count (25 -> 26) and brought back a theme left out as too small: the file kept each
    example once where drafting had weighed it thrice. The codebook drafting codes with is the
    one its file gives back, and coding that again gives the same counts."""
    import summariser.draft.section as section
    from summariser.draft.codebook import read_codebook

    used = []
    real = section.code

    def spy(codebook, *args, **kwargs):
        used.append(codebook)
        return real(codebook, *args, **kwargs)

    monkeypatch.setattr(section, "code", spy)
    root = _broadband(tmp_path / "broadband")
    assert _invoke("run", "-p", str(root), "--formats", "md")[0].exit_code == 0
    written = read_codebook(root / "drafts" / "improve.codebook.toml")
    assert used[-1] == written
    assert all(len(set(t.examples)) == len(t.examples) for t in written.themes)
    before = read_draft(root / "drafts" / "improve.json")
    codebook = root / "drafts" / "improve.codebook.toml"
    codebook.write_text(codebook.read_text() + "# checked\n")
    assert _invoke("draft", "-p", str(root))[0].exit_code == 0
    after = read_draft(root / "drafts" / "improve.json")
    assert after.codebook == "analyst"
    assert [(t.title, t.respondents) for t in after.themes] == \
        [(t.title, t.respondents) for t in before.themes]
    assert after.uncoded == before.uncoded


def test_what_coding_an_edited_codebook_moved_is_said(ingested: Path):
    """Renaming "Dave the engineer" to "The engineer visit" moved its count from 42 to 52, and
    `report` said nothing: a theme's title is part of what coding by meaning compares with.
    Whatever the edit, what it moved is said, theme by theme."""
    from summariser.draft.pipeline import MOVED

    assert _invoke("draft", "-p", str(ingested), "-s", "2.1")[0].exit_code == 0
    before = read_draft(ingested / "drafts" / f"{SECTION}.json")
    first = before.themes[0]
    outsider = next(r for r in before.uncoded)  # an answer no theme codes
    codebook = ingested / "drafts" / f"{SECTION}.codebook.toml"
    text = codebook.read_text()
    at = text.index(f'id = "{first.id}"')
    codebook.write_text(text[:at] + text[at:].replace(
        'title = "', f'include_answers = ["{outsider}"]\ntitle = "', 1))
    n = len(first.respondents)
    result, said = _invoke("draft", "-p", str(ingested), "-s", "2.1")
    assert result.exit_code == 0, said
    assert f"{MOVED} (Chief Officers counted): '{first.title}' {n} -> {n + 1} (1 in, 0 out)." \
        in said
    codebook.write_text(text + "# the include taken out again\n")
    result, said = _invoke("report", "-p", str(ingested), "--formats", "md")
    assert result.exit_code == 0, said
    assert f"{MOVED} (Chief Officers counted): '{first.title}' {n + 1} -> {n} (0 in, 1 out)." \
        in said
