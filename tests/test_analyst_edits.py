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
