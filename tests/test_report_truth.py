"""A report's numbers stay checked: its ledger travels inside each file, `eval` reads the HTML
too, a heading the analyst renamed keeps its theme in the executive summary, and `report`
refuses a number the gate cannot check unless it is named."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def built(example_project: Path) -> Path:
    result = runner.invoke(app, ["report", "-p", str(example_project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return example_project / "out"


def _checked(report: Path, project: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["eval", str(report), "-p", str(project), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("name", ["report.md", "report.html", "report.docx"])
def test_a_renamed_copy_of_the_report_is_still_checked_against_its_drafts(
        built: Path, example_project: Path, tmp_path: Path, name: str):
    copy = tmp_path / f"report v2 (reviewed){Path(name).suffix}"
    shutil.copy(built / name, copy)
    code, checked = _checked(copy, example_project)
    assert code == 0, [n for n in checked["numbers"] if n["outcome"] == "fail"]
    by_theme = [n for n in checked["numbers"] if "have coded evidence for theme" in n["reason"]]
    assert len(by_theme) > 40 and all(n["outcome"] == "pass" for n in by_theme)
    assert not [n for n in checked["numbers"] if n["outcome"] == "unchecked"
                and "raised by" in n["sentence"].lower()]


def test_eval_reads_the_html_report_and_its_wrong_count_fails(built: Path,
                                                               example_project: Path,
                                                               tmp_path: Path):
    html = (built / "report.html").read_text()
    wrong = tmp_path / "report.html"
    at = html.index("Raised by four of 16")
    wrong.write_text(html[:at] + html[at:].replace("four of 16", "nine of 16", 1))
    code, checked = _checked(wrong, example_project)
    assert code == 1
    [failed] = [n for n in checked["numbers"] if n["outcome"] == "fail" and n["kind"] == "count"]
    assert failed["claim"].startswith("nine of 16") and "(4)" in failed["reason"]


def test_the_executive_summary_of_a_renamed_theme_is_checked(built: Path,
                                                             example_project: Path):
    draft = example_project / "drafts" / "hindered-progress.md"
    original = draft.read_text()
    heading = next(line for line in original.splitlines() if line.startswith("### "))
    title = heading[4:]
    try:
        draft.write_text(original.replace(heading, "### Worries about it all", 1))
        result = runner.invoke(app, ["report", "-p", str(example_project), "-o",
                                     str(example_project / "out-renamed")])
        assert result.exit_code == 0, result.output
        report = example_project / "out-renamed" / "report.md"
        summary = next(line for line in report.read_text().splitlines()
                       if line.startswith("- 2.3 ") and "raised by" in line)
        assert "Worries about it all, raised by " in summary
        said = re.search(r"Worries about it all, raised by (\w+) of 16", summary)
        assert said and said[1] not in ("all", "16"), summary
        wrong = report.read_text().replace(summary, summary.replace(
            f"Worries about it all, raised by {said[1]}", "Worries about it all, raised by all 16"))
        report.write_text(wrong.replace("all 16 of 16", "all 16"))
        code, checked = _checked(report, example_project)
        [failed] = [n for n in checked["numbers"] if n["outcome"] == "fail"
                    and n["kind"] == "count"]
        assert code == 1 and f"theme “{title}”" in failed["reason"], failed
    finally:
        draft.write_text(original)
        shutil.rmtree(example_project / "out-renamed", ignore_errors=True)


def test_report_refuses_a_renamed_theme_whose_count_was_changed(built: Path,
                                                                example_project: Path):
    draft = example_project / "drafts" / "hindered-progress.md"
    original = draft.read_text()
    heading = next(line for line in original.splitlines() if line.startswith("### "))
    at = original.index(heading)
    raised = original.index("Raised by ", at)
    end = original.index(".", raised)
    try:
        draft.write_text(original[:at] + "### Governance worries" + original[at + len(heading):
                                                                            raised]
                         + "Raised by all 16 Chief Officers (100%)" + original[end:])
        result = runner.invoke(app, ["report", "-p", str(example_project), "-o",
                                     str(example_project / "out-refused")])
        assert result.exit_code == 1 and "fails" in result.output
        assert not (example_project / "out-refused").exists()
    finally:
        draft.write_text(original)


def test_report_refuses_an_unchecked_number_unless_it_is_named(built: Path,
                                                               example_project: Path):
    draft = example_project / "drafts" / "gone-well.md"
    original = draft.read_text()
    lead = next(line for line in original.splitlines() if "themes were identified" in line)
    out = example_project / "out-unchecked"
    try:
        draft.write_text(original.replace(lead, lead + " Seven Chief Officers wrote at length.",
                                          1))
        refused = runner.invoke(app, ["report", "-p", str(example_project), "-o", str(out)])
        assert refused.exit_code == 1 and "--allow-unchecked" in refused.output
        assert "Seven Chief Officers" in refused.output and not out.exists()
        allowed = runner.invoke(app, ["report", "-p", str(example_project), "-o", str(out),
                                      "--allow-unchecked", "Seven Chief Officers"])
        assert allowed.exit_code == 0, allowed.output
    finally:
        draft.write_text(original)
        shutil.rmtree(out, ignore_errors=True)


def test_headings_that_are_not_themes_are_not_counted_as_themes(example_project: Path,
                                                                  tmp_path: Path):
    """"From the interviews and notes" and "Every answer, in full" are headings, not themes:
    the summary's count of themes is the drafts' own, and a section with interview quotes
    still gets its figure of themes."""
    from summariser.draft.records import read_draft

    result = runner.invoke(app, ["report", "-p", str(example_project), "-o", str(tmp_path)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    drafts = example_project / "drafts"
    themes = sum(len(read_draft(p).themes) for p in drafts.glob("*.json"))
    assert f"{themes} themes" in " ".join(result.output.split()), result.output
    ihub = read_draft(drafts / "ihub.json")
    assert len(ihub.themes) >= 2 and "From the interviews and notes" in \
        (drafts / "ihub.md").read_text(encoding="utf-8")
    assert (tmp_path / "figures" / "themes-ihub.png").is_file()
    for path in drafts.glob("*.json"):  # one bar says no more than the sentence under it
        figure = tmp_path / "figures" / f"themes-{path.stem}.png"
        assert figure.is_file() is (len(read_draft(path).themes) > 1), path.stem


def test_the_summary_breaks_no_tie_by_the_pages_order():
    """2.9's summary listed "Teams", "Focus" and "Hold your nerve" (three people) and left
    out "Communities", raised by as many: past the first three, a theme raised by as many
    as the last is listed too."""
    from summariser.document.model import Heading, Paragraph, runs
    from summariser.project.manifest import load_manifest
    from summariser.report.sections import SectionText, summary_items
    from tests.conftest import EXAMPLE

    section = load_manifest(EXAMPLE).sections[0]
    blocks = []
    for title, count in [("Teams", "four"), ("Focus", "four"), ("Hold your nerve", "three"),
                         ("Communities", "three"), ("Risk", "two")]:
        blocks += [Heading(2, runs(title)),
                   Paragraph(runs(f"Raised by {count} of 16 Chief Officers (19%)."))]
    [item] = summary_items([SectionText(section, "2.9 Learning", tuple(blocks), None, False)])
    assert "Communities, raised by three" in item and "Risk" not in item


@pytest.mark.parametrize(("uncovered", "said"), [("Ten of 15 Chief Officers (67%)", True),
                                                 ("Five of 15 Chief Officers (33%)", False)])
def test_the_summary_says_when_most_said_something_no_theme_covers(uncovered: str, said: bool):
    """2.2's summary named "Local staff, raised by three of 15" as what enabled progress, where
    ten of the 15 said something no theme covers: read alone, it named the themes as what most
    said. Where at least half did, the summary says so, in the lead's words."""
    from summariser.document.model import Heading, Paragraph, runs
    from summariser.project.manifest import load_manifest
    from summariser.report.sections import SectionText, summary_items
    from tests.conftest import EXAMPLE

    section = load_manifest(EXAMPLE).sections[1]
    sentence = f"{uncovered} said something these themes do not cover."
    blocks = (Paragraph(runs("*Extractive draft.*")),
              Paragraph(runs(f"Two themes were identified. {sentence}")),
              Heading(2, runs("Local staff")),
              Paragraph(runs("Raised by three of 15 Chief Officers (20%).")))
    [item] = summary_items([SectionText(section, "2.2 Enablers", blocks, None, False)])
    assert item.startswith("2.2 Enablers: Local staff, raised by three of 15 Chief Officers")
    assert item.endswith(sentence) is said
