from pathlib import Path

import pytest

from summariser.errors import ManifestError
from summariser.project.manifest import load_manifest
from tests.conftest import POLIS, POLIS_DATA


def test_loads_sources_questions_and_sections(project: Path):
    manifest = load_manifest(project)
    assert manifest.invited == 6
    assert [s.id for s in manifest.sources] == ["survey", "interview"]
    assert manifest.source("survey").columns["rating_finance"] == "Q3"
    assert manifest.question("rating_finance").scale == (0.0, 10.0)
    assert manifest.question("satisfaction").options[-1] == "Very satisfied"
    assert manifest.section("2.1").id == "gone-well"
    assert manifest.store_path == project.resolve() / ".summariser"


@pytest.mark.skipif(not POLIS_DATA.exists(), reason="shared Polis corpus not present")
def test_describes_the_public_polis_corpus_in_long_layout():
    manifest = load_manifest(POLIS)
    source = manifest.source("comments")
    assert source.text_column == "comment-body" and source.respondent_column == "author-id"
    assert source.keep == {"moderated": ("1",)}
    assert source.path == POLIS_DATA.resolve()


def _write(project: Path, text: str) -> None:
    (project / "summariser.toml").write_text(text, encoding="utf-8")


def test_malformed_toml_names_the_file(project: Path):
    _write(project, "[project\ntitle = 1")
    with pytest.raises(ManifestError, match="summariser.toml: not valid TOML"):
        load_manifest(project)


def test_undeclared_question_is_refused(project: Path):
    text = (project / "summariser.toml").read_text().replace('enablers = "Q2", ', 'other = "Q2", ')
    _write(project, text)
    with pytest.raises(ManifestError, match="question 'other' is not declared"):
        load_manifest(project)


def test_wide_and_long_layout_together_is_refused(project: Path):
    text = (project / "summariser.toml").read_text().replace(
        'respondent_column = "Ref"', 'respondent_column = "Ref"\ntext_column = "Q1"')
    _write(project, text)
    with pytest.raises(ManifestError, match="either columns"):
        load_manifest(project)


def test_missing_manifest_says_what_to_pass(tmp_path: Path):
    with pytest.raises(ManifestError, match="No summariser.toml in"):
        load_manifest(tmp_path)


def test_rating_needs_a_scale(project: Path):
    text = (project / "summariser.toml").read_text().replace("scale = [0, 10]", "")
    _write(project, text)
    with pytest.raises(ManifestError, match="needs scale"):
        load_manifest(project)
