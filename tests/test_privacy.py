"""Published quotes name no one: attribution by role or per-section pseudonym, names masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.document.model import Run
from summariser.errors import ManifestError
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.report.sections import MASK, Attribution, check_privacy


def _attribution(project: Path, privacy: str) -> tuple[Attribution, object]:
    toml = project / "summariser.toml"
    toml.write_text(toml.read_text() + "\n[privacy]\n" + privacy)
    manifest = load_manifest(project)
    return Attribution(manifest, read_corpus(manifest).responses), manifest


def test_roles_by_default_name_the_kind_of_person_never_the_id(project: Path):
    attribution, _ = _attribution(project, "")
    assert attribution.label("R01") == "Chief Officer"
    assert attribution.label("I01") == "Interviewee"
    assert attribution.label("R01, R02") == "Chief Officer"
    assert attribution.label("sic") is None  # not a respondent: an editor's bracket stays


def test_pseudonyms_start_again_in_each_section_so_no_one_is_followed(project: Path):
    attribution, _ = _attribution(project, 'attribution = "pseudonym"\n')
    attribution.new_section()
    assert [attribution.label(r) for r in ("R03", "R01", "R03")] == [
        "Chief Officer A", "Chief Officer B", "Chief Officer A"]
    attribution.new_section()
    assert attribution.label("R01") == "Chief Officer A"


def test_no_attribution_removes_the_bracket_and_names_are_masked(project: Path):
    attribution, _ = _attribution(project, 'attribution = "none"\nmask = ["Jane Smith"]\n')
    text = attribution.inline((Run("As jane smith said, it works [R01]. Ask [sic] Jane Smith."),))
    assert text[0].text == f"As {MASK} said, it works. Ask [sic] {MASK}."


def test_pseudonyms_are_refused_where_few_answered(project: Path):
    _, manifest = _attribution(project, 'attribution = "pseudonym"\n')
    with pytest.raises(ManifestError, match="single people out in section"):
        check_privacy(manifest, {"gone-well": 3})
    check_privacy(manifest, {"gone-well": 16})


def test_a_wrong_attribution_setting_is_one_line(project: Path):
    with pytest.raises(ManifestError, match='attribution must be one of "none"'):
        _attribution(project, 'attribution = "names"\n')
