"""The files summariser writes for itself, typed and versioned: the draft sidecar
(drafts/<section>.json) and the report's ledger (out/report.json). Their JSON schemas in docs/ are
the models' own, files written before the version was in them still read, and a file from a
newer summariser is refused in one line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.document import ledger
from summariser.document.ledger import read_ledger
from summariser.draft import sidecar
from summariser.draft.records import draft_from_dict, read_draft
from summariser.draft.sidecar import SCHEMA_VERSION
from summariser.errors import DraftError, NewerVersion

REPO = Path(__file__).resolve().parents[1]
# A project drafted and reported by summariser as it was before the files carried their
# schema_version (sidecar format "summariser.section-draft/2", ledger "summariser report ledger
# 1"): its files are as that version wrote them, never edited.
EARLIER = REPO / "tests" / "fixtures" / "written-before-schema-versions"
runner = CliRunner()


@pytest.mark.parametrize(("module", "name"), [(sidecar, "section-draft.schema.json"),
                                              (ledger, "report-ledger.schema.json")])
def test_the_committed_schema_is_the_models_own(module, name):
    committed = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert committed == module.schema_json(), (
        f"docs/{name} is out of date: python -m {module.__name__} > docs/{name}")


def test_a_sidecar_written_before_the_version_reads_and_is_written_back_as_the_current_one():
    data = json.loads((EARLIER / "drafts" / "gone-well.json").read_text(encoding="utf-8"))
    assert data["format"] == "summariser.section-draft/2" and "schema_version" not in data
    draft = read_draft(EARLIER / "drafts" / "gone-well.json")
    [theme] = draft.themes
    assert (theme.title, theme.respondents) == ("Joint working", ("R01", "R02", "R03"))
    assert [q.text for q in theme.quotes][:1] == ["Teams work openly together."]
    assert [(e.respondent, e.phrase) for e in theme.evidence][0] == ("R01", "work openly together")
    assert (draft.denominator, draft.codebook, draft.run_id) == (3, "frame", data["run_id"])
    written = draft.to_dict()
    assert (written["format"], written["schema_version"]) == ("summariser.section-draft",
                                                             SCHEMA_VERSION)
    assert draft_from_dict(written) == draft
    # The fields are version 2's: only where the version is kept changed, and the count's
    # wording, written afresh from its numbers ("three of 3" is now "all three").
    assert [t.pop("count_text") for t in data["themes"]] == ["three of 3 Chief Officers (100%)"]
    assert [t.pop("count_text") for t in written["themes"]] == ["all three Chief Officers (100%)"]
    for key, value in data.items():
        if key not in ("format", "files"):
            assert written[key] == value, key


def test_an_earlier_ledger_reads(tmp_path: Path):
    shutil.copytree(EARLIER, tmp_path / "project")
    found = read_ledger(tmp_path / "project" / "out" / "report.md", tmp_path / "project")
    assert found == ({"gone-well": tmp_path / "project" / "drafts" / "gone-well.json"}, [])


def test_an_earlier_project_is_checked_and_redrafted_by_this_version(tmp_path: Path):
    project = shutil.copytree(EARLIER, tmp_path / "project")
    assert runner.invoke(app, ["ingest", "-p", str(project)]).exit_code == 0
    for checked in ("drafts/gone-well.json", "drafts/gone-well.md", "out/report.md"):
        result = runner.invoke(app, ["eval", str(project / checked)])
        assert result.exit_code == 0, result.output
    # The report's counts are checked against the people in the sidecar its ledger names.
    checked = runner.invoke(app, ["eval", str(project / "out/report.md"), "--all"])
    assert "have coded evidence for theme “Joint working”" in " ".join(checked.output.split())
    result = runner.invoke(app, ["draft", "-p", str(project)])
    assert result.exit_code == 0, result.output
    now = json.loads((project / "drafts" / "gone-well.json").read_text(encoding="utf-8"))
    assert (now["format"], now["schema_version"]) == ("summariser.section-draft",
                                                     SCHEMA_VERSION)
    result = runner.invoke(app, ["report", "-p", str(project), "--formats", "md"])
    assert result.exit_code == 0, result.output
    built = json.loads((project / "out" / "report.json").read_text(encoding="utf-8"))
    assert (built["format"], built["schema_version"]) == ("summariser.report-ledger", 2)


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
    return result.output


def test_a_sidecar_from_a_newer_summariser_is_refused_in_one_line(tmp_path: Path):
    project = shutil.copytree(EARLIER, tmp_path / "project")
    path = project / "drafts" / "gone-well.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "format": "summariser.section-draft",
                                "schema_version": 9}), encoding="utf-8")
    with pytest.raises(NewerVersion, match="section draft schema version 9"):
        read_draft(path)
    assert runner.invoke(app, ["ingest", "-p", str(project)]).exit_code == 0
    for checked in (path, project / "drafts" / "gone-well.md"):  # never read past, even beside
        error = _one_line_error(runner.invoke(app, ["eval", str(checked)]))
        assert "schema version 9" in error and "upgrade summariser" in error


def test_a_ledger_from_a_newer_summariser_is_refused_in_one_line(tmp_path: Path):
    project = shutil.copytree(EARLIER, tmp_path / "project")
    path = project / "out" / "report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "format": "summariser.report-ledger",
                                "schema_version": 3}), encoding="utf-8")
    assert runner.invoke(app, ["ingest", "-p", str(project)]).exit_code == 0
    error = _one_line_error(runner.invoke(app, ["eval", str(project / "out" / "report.md")]))
    assert "report ledger schema version 3" in error and "upgrade summariser" in error


@pytest.mark.parametrize(("change", "reason"), [
    ({"format": "summariser.section-draft/1"}, "without coded evidence"),
    ({"format": "something else"}, "not a summariser section draft"),
    ({"format": "summariser.section-draft", "schema_version": "3"}, "bad field (schema_version)"),
    ({"denominator": "sixteen"}, "bad field (denominator"),
])
def test_a_sidecar_that_is_not_one_this_version_reads_is_one_line(change, reason):
    data = json.loads((EARLIER / "drafts" / "gone-well.json").read_text(encoding="utf-8"))
    with pytest.raises(DraftError, match=re.escape(reason)) as raised:
        draft_from_dict({**data, **change}, "gone-well.json")
    assert "\n" not in str(raised.value)
