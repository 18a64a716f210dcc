"""Published quotes name no one: attribution by role or per-section pseudonym, names masked."""

from __future__ import annotations

import re
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


def _library_run(tmp_path: Path, answers: list[str], mask: str) -> Path:
    """A copy of the library corpus with `answers` added and `mask` (TOML) as its
    `[privacy] mask`, run; its folder."""
    import csv

    from typer.testing import CliRunner

    from summariser.cli import app
    from tests.conftest import REPO, copy_project

    root = copy_project(REPO / "corpus" / "library-2025", tmp_path / "library")
    with (root / "responses.csv").open("a", newline="", encoding="utf-8") as out:
        for n, answer in enumerate(answers):
            csv.writer(out).writerow([f"{20000 + n}", "2025-03-09 10:00", answer, "", "5",
                                      "Weekly"])
    toml = root / "summariser.toml"
    toml.write_text(toml.read_text().replace(
        "min_cell = 5\n", f"min_cell = 5\n\n[privacy]\nmask = {mask}\n", 1))
    result = CliRunner().invoke(app, ["run", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_a_masked_name_is_withheld_everywhere_the_report_prints_it(tmp_path: Path):
    """Masked in quotes however it is spaced, in a theme's title, the summary, the appendix
    and the figures; and the gate reads "[name]" as a name withheld, so the report publishes
    and passes `eval` where the name stood inside a quote."""
    import docx
    from typer.testing import CliRunner

    from summariser.cli import app

    answers = ["Sarah Jones on the front desk is brilliant, Sarah always helps me.",
               "Sarah  Jones helped me with the computers, Sarah is wonderful.",
               "Sarah Jones is always helpful and Sarah is patient.",
               "Thank you Sarah Jones, the best librarian there is."]
    root = _library_run(tmp_path, answers, '["Sarah Jones", "Sarah"]')
    out = root / "out"
    published = [(out / "report.md").read_text(), (out / "report.html").read_text(),
                 "\n".join(p.text for p in docx.Document(str(out / "report.docx")).paragraphs),
                 *(p.read_text() for p in (out / "figures").glob("*.svg"))]
    assert not [text for text in published if "sarah" in text.lower() or "jones" in
                text.lower()]
    assert "[name]" in published[1]
    check = CliRunner().invoke(app, ["eval", str(out / "report.md")])
    assert check.exit_code == 0, check.output


def test_a_masked_name_english_also_knows_passes_the_gate(tmp_path: Path):
    """A name listed in `[privacy] mask` is withheld however it is written, and the gate reads
    the manifest's list: "mark at the desk" masked as "[name] at the desk" passes, though
    "mark" written small is also an English word. Only a listed word: where "[name]" takes
    the place of a word English knows that is not listed, the quote still fails."""
    from typer.testing import CliRunner

    from summariser.cli import app
    from summariser.verify.index import CorpusIndex

    answers = ["mark at the front desk is brilliant, he always finds what i need.",
               "mark helped me with the computers, so patient with me.",
               "the lad on the desk, mark, is always helpful and kind.",
               "thank you mark, the best librarian there is."]
    root = _library_run(tmp_path, answers, '["Mark"]')
    published = (root / "out" / "report.md").read_text().replace("\\[", "[").replace("\\]", "]")
    assert re.search(r"“[^”]*\[name\][^”]*”", published)
    assert not re.search(r"\bmark\b", published, re.IGNORECASE)
    # A name is no idea: no title holds it, masked or not.
    assert not re.search(r"^#+ .*\[name\]", published, re.MULTILINE)
    check = CliRunner().invoke(app, ["eval", str(root / "out" / "report.md")])
    assert check.exit_code == 0, check.output

    from tests.test_verify import answer as response
    texts = [response("p1", "P1", "good", "the lad on the desk, mark, is kind"),
             response("p2", "P2", "good", "the food was terrible today")]
    quote = "the lad on the desk, [name], is kind"
    assert not CorpusIndex.build(texts).verify(quote, response_id="p1").passed
    index = CorpusIndex.build(texts, withheld=["Mark"])
    assert index.verify(quote, response_id="p1").passed
    assert not index.verify("the food was [name] today", response_id="p2").passed
    # A listed name is withheld whatever its words are ("Ward 7"); an unlisted one is not.
    ward = [response("p3", "P3", "good", "the nurses on Ward 7 were so kind to me")]
    quote = "the nurses on [name] were so kind to me"
    assert CorpusIndex.build(ward, withheld=["ward 7"]).verify(quote, response_id="p3").passed
    assert not CorpusIndex.build(ward).verify(quote, response_id="p3").passed
