"""Nothing is written outside the project: section and question ids name files only as safe
names (checked once, in the manifest), and drafts/, out/ and runs.sqlite linked to another place
are refused unless the manifest says `allow_outside = true`. Real store, real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.draft.files import SectionFiles
from summariser.errors import DraftError, ManifestError
from summariser.project.manifest import load_manifest
from tests.commands import invoke


def one_line_error(result, *expected: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for words in expected:
        assert words in " ".join(result.output.split()), result.output
    return lines[0]


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("bad", ["{outside}/x", "../x", "a/b", ".hidden", "-x", "a b", ""])
def test_a_section_id_that_is_not_a_safe_file_name_is_one_line_naming_it(project: Path,
                                                                          tmp_path: Path, bad):
    outside = tmp_path / "outside"
    outside.mkdir()
    bad = bad.format(outside=outside)
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace('id = "gone-well"', f'id = "{bad}"'))
    for command in ("ingest", "draft", "report"):
        one_line_error(invoke(command, "-p", str(project)), "[[sections]] #1",
                       "id must be letters, digits, '_', '-' and '.' in quotes",
                       f'got "{bad}"')
    assert _files_under(outside) == [] and not (project / "drafts").exists()
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize("bad", ["/tmp/q", "../q", "q/r"])
def test_a_question_id_that_is_not_a_safe_file_name_is_refused(project: Path, bad):
    manifest = project / "summariser.toml"
    text = manifest.read_text().replace('"satisfaction"', f'"{bad}"')
    manifest.write_text(text)
    with pytest.raises(ManifestError, match="id must be letters") as caught:
        load_manifest(project)
    assert bad in str(caught.value)


@pytest.mark.parametrize("good", ["Q4_1", "2.1", "gone-well", "café", "Section_3.b"])
def test_ids_real_manifests_use_are_accepted(project: Path, good):
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace('id = "gone-well"', f'id = "{good}"'))
    assert load_manifest(project).sections[0].id == good


def test_section_files_refuse_an_id_that_would_leave_their_folder(tmp_path: Path):
    for bad in ("/tmp/x", "../x", ".x"):
        with pytest.raises(DraftError, match="cannot name a section's files"):
            SectionFiles(tmp_path, bad)


@pytest.mark.parametrize("name, command", [("drafts", "draft"), ("out", "report"),
                                           ("runs.sqlite", "draft")])
def test_an_output_linked_outside_the_project_is_refused(ingested: Path, tmp_path: Path, name,
                                                         command):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "target" if name.endswith(".sqlite") else outside
    (ingested / name).symlink_to(target)
    one_line_error(invoke(command, "-p", str(ingested)), "leads outside the project folder",
                   "allow_outside = true")
    assert _files_under(outside) == []


def test_allow_outside_lets_the_drafts_be_written_through_a_link(ingested: Path, tmp_path: Path):
    outside = tmp_path / "shared-drafts"
    outside.mkdir()
    (ingested / "drafts").symlink_to(outside)
    manifest = ingested / "summariser.toml"
    manifest.write_text(manifest.read_text().replace("invited = 6", "invited = 6\n"
                                                     "allow_outside = true"))
    result = invoke("draft", "-p", str(ingested))
    assert result.exit_code == 0, result.output
    assert (outside / "gone-well.md").is_file()


def test_a_link_inside_the_project_is_written_through(ingested: Path):
    (ingested / "kept").mkdir()
    (ingested / "drafts").symlink_to(ingested / "kept")
    result = invoke("draft", "-p", str(ingested))
    assert result.exit_code == 0, result.output
    assert (ingested / "kept" / "gone-well.md").is_file()


def test_a_backup_folder_linked_outside_is_refused(ingested: Path, tmp_path: Path):
    assert invoke("draft", "-p", str(ingested)).exit_code == 0
    outside = tmp_path / "backups"
    outside.mkdir()
    (ingested / "drafts" / ".backup").symlink_to(outside)
    one_line_error(invoke("draft", "--restart", "-p", str(ingested)), "leads outside")
    assert _files_under(outside) == []
