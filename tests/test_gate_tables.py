"""Statistics tables the gate once left unread: a ratings table turned on its side (statistics
down the first column, items across the header) and a report's breakdown by a respondent
attribute ("By size": a figure and its n for each group). Each states figures a reader takes as
checked; an edited mean, share or n in one passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.gate.parse import parse_draft
from summariser.gate.run import Outcome, evaluate, known_ids
from summariser.project.manifest import load_manifest
from tests.conftest import EXAMPLE
from tests.test_gate_edges import by_group, check, corpus_of

CHALLENGES = "## 2.4 Understanding the challenges\n\n"
# Financial pressures: 16 ratings, mean 8.56, median 8.5, from 7 to 10; Workforce issues: 16
# ratings, mean 7.0, median 7.0, from 4 to 10.
SIDEWAYS = "| | Financial pressures | Workforce issues |\n|---|---|---|\n"


@pytest.fixture(scope="module")
def example():
    return corpus_of(EXAMPLE)


def test_a_transposed_ratings_table_with_true_figures_passes(example):
    report = check(example, CHALLENGES + SIDEWAYS + "| n | 16 | 16 |\n| Mean | 8.6 | 7.0 |\n"
                            "| Median | 8.5 | 7.0 |\n| Range | 7–10 | 4–10 |\n")
    kinds = [n.kind for n in report.numbers]
    assert sorted(set(kinds)) == ["maximum", "mean", "median", "minimum", "n"]
    assert kinds.count("mean") == 2 and kinds.count("n") == 2, kinds
    assert all(n.outcome is Outcome.PASS for n in report.numbers), report.numbers


def test_an_edited_mean_in_a_transposed_table_fails(example):
    report = check(example, CHALLENGES + SIDEWAYS + "| Mean | 9.6 | 7.0 |\n"
                            "| Median | 8.5 | 7.0 |\n")
    failed = [n for n in report.numbers if n.outcome is Outcome.FAIL]
    assert [(n.kind, n.claim) for n in failed] == [("mean", "mean 9.6")], report.numbers
    assert "8.56" in failed[0].reason
    assert not report.passed


def test_an_edited_n_or_range_in_a_transposed_table_fails(example):
    """Its n and range rows come before the means: held until a mean or median row says it is a
    ratings table, then checked."""
    report = check(example, CHALLENGES + SIDEWAYS + "| n | 12 | 16 |\n| Range | 2–10 | 4–10 |\n"
                            "| Mean | 8.6 | 7.0 |\n")
    failed = {(n.kind, n.claim) for n in report.numbers if n.outcome is Outcome.FAIL}
    assert failed == {("n", "n 12."), ("minimum", "minimum 2.")}, report.numbers


def test_a_transposed_table_in_html_is_read():
    from summariser.gate.html import html_blocks

    html = ("<table><tr><th></th><th>Financial pressures</th><th>Workforce issues</th></tr>"
            "<tr><td>Mean</td><td>9.6</td><td>7.0</td></tr></table>")
    blocks, _ = html_blocks(html)
    said = [b.text for b in blocks if ": mean" in b.text]
    assert said == ["Financial pressures: mean 9.6.", "Workforce issues: mean 7.0."]


# --- a breakdown by group ----------------------------------------------------------------------

# As `summariser report` prints it for the example: in 2.4, the seven medium partnerships' means
# (Financial pressures 8.71, Workforce issues 6.14), large and small suppressed; in 2.8, three
# of the five medium partnerships that answered were satisfied or very satisfied.
BY_SIZE = "**By size**\n\n| Item | Figure | Large | Medium | Small |\n|---|---|---|---|---|\n"
RATED = ("| Financial pressures | mean rating | suppressed | 8.7 (n=7) | suppressed |\n"
         "| Workforce issues | mean rating | suppressed | 6.1 (n=7) | suppressed |\n")
IHUB = "## 2.8 Support from the ihub\n\n"
SATISFIED = ("| Satisfaction with the ihub | % Satisfied or Very satisfied | suppressed | "
             "60.0% (n=5) | suppressed |\n")


def test_a_true_breakdown_from_the_report_passes(example):
    report = by_group(example, CHALLENGES + BY_SIZE + RATED + "\n" + IHUB + BY_SIZE + SATISFIED)
    checked = [(n.kind, n.claim) for n in report.numbers]
    assert checked == [("mean", "Medium: mean rating 8.7 (n=7)"),
                       ("n", "Medium: mean rating 8.7 (n=7)"),
                       ("mean", "Medium: mean rating 6.1 (n=7)"),
                       ("n", "Medium: mean rating 6.1 (n=7)"),
                       ("percentage", "Medium: % Satisfied or Very satisfied 60.0% (n=5)"),
                       ("n", "Medium: % Satisfied or Very satisfied 60.0% (n=5)")], checked
    assert all(n.outcome is Outcome.PASS for n in report.numbers), report.numbers
    assert "8.71" in report.numbers[0].reason and "“Medium”" in report.numbers[0].reason


@pytest.mark.parametrize(("row", "kind", "says"), [
    ("| Financial pressures | mean rating | suppressed | 9.9 (n=7) | suppressed |", "mean",
     "is 8.71 (7 ratings), not 9.9"),
    ("| Financial pressures | mean rating | suppressed | 8.7 (n=8) | suppressed |", "n",
     "7 in “Medium” answered “Financial pressures”, not 8"),
    ("| Financial pressures | median rating | suppressed | 6.0 (n=7) | suppressed |", "median",
     "not 6.0"),
])
def test_an_edited_group_mean_or_n_fails(example, row, kind, says):
    report = by_group(example, CHALLENGES + BY_SIZE + row + "\n")
    [failed] = [n for n in report.numbers if n.outcome is Outcome.FAIL]
    assert failed.kind == kind and says in failed.reason, failed
    assert not report.passed


@pytest.mark.parametrize(("cell", "kind", "says"), [
    ("90.0% (n=5)", "percentage", "3 of the 5 in “Medium” who answered “Satisfaction with the "
                                  "ihub” chose Satisfied or Very satisfied: 60.00%, not 90.0%"),
    ("60.0% (n=6)", "n", "5 in “Medium” answered “Satisfaction with the ihub”, not 6"),
])
def test_an_edited_group_share_or_its_n_fails(example, cell, kind, says):
    report = by_group(example, IHUB + BY_SIZE + SATISFIED.replace("60.0% (n=5)", cell))
    [failed] = [n for n in report.numbers if n.outcome is Outcome.FAIL]
    assert failed.kind == kind and failed.reason.rstrip(".") == says, failed.reason


def test_a_row_all_suppressed_is_no_header_for_the_rows_after_it(example):
    """A row with every group suppressed states no figure; read as a header, it made the next
    rows' groups "suppressed", and their figures went unchecked."""
    report = by_group(example, CHALLENGES + BY_SIZE
                      + "| Organisational culture | mean rating | suppressed | suppressed | "
                        "suppressed |\n"
                      + "| Financial pressures | mean rating | suppressed | 9.9 (n=7) | "
                        "suppressed |\n")
    assert [(n.kind, n.outcome) for n in report.numbers] == [("mean", Outcome.FAIL),
                                                              ("n", Outcome.PASS)]


def test_a_group_the_corpus_does_not_hold_is_left_to_a_reader(example):
    report = by_group(example, CHALLENGES + BY_SIZE.replace("Medium", "Remote")
                      + RATED.splitlines()[0] + "\n")
    [figure] = report.numbers
    assert figure.outcome is Outcome.UNCHECKED and "“Remote”" in figure.reason, figure


def test_a_breakdown_in_an_html_report_is_checked_against_the_stores_groups(
        example_project: Path, tmp_path: Path):
    """Through `evaluate_paths`, as `summariser eval report.html` runs: the groups come from
    the project's store."""
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    cells = "".join(f"<td>{cell}</td>" for cell in ("Financial pressures", "mean rating",
                                                     "suppressed", "9.9 (n=7)", "suppressed"))
    path = tmp_path / "report.html"
    path.write_text("<html><body><h2>2.4 Understanding the challenges</h2><table><tr>"
                    + "".join(f"<th>{h}</th>" for h in ("Item", "Figure", "Large", "Medium",
                                                        "Small"))
                    + f"</tr><tr>{cells}</tr></table></body></html>", encoding="utf-8")
    report = evaluate_paths([path], manifest, Store(manifest.store_path))
    assert [(n.kind, n.outcome) for n in report.numbers] == [("mean", Outcome.FAIL),
                                                              ("n", Outcome.PASS)], report.numbers


def test_a_breakdown_in_a_word_report_is_checked(example, tmp_path: Path):
    from docx import Document

    manifest, read, index = example
    document = Document()
    document.add_heading("2.4 Understanding the challenges", 2)
    rows = [("Item", "Figure", "Large", "Medium", "Small"),
            ("Financial pressures", "mean rating", "suppressed", "9.9 (n=7)", "suppressed"),
            ("Workforce issues", "mean rating", "suppressed", "6.1 (n=7)", "suppressed")]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(tmp_path / "report.docx")
    draft = parse_draft(tmp_path / "report.docx", manifest, known_ids(read.responses))
    report = evaluate([draft], index, manifest, read.responses, read.ratings, read.attributes)
    assert [(n.kind, n.outcome) for n in report.numbers] == [
        ("mean", Outcome.FAIL), ("n", Outcome.PASS), ("mean", Outcome.PASS), ("n", Outcome.PASS)]


@pytest.mark.parametrize("row", [
    # Small (four answered) is under min_cell 5; Large (five) is hidden too, or Small could be
    # worked out from it, Medium and the overall mean (8.6, printed in the ratings table).
    "| Financial pressures | mean rating | 8.4 (n=5) | 8.7 (n=7) | suppressed |",
    "| Financial pressures | mean rating | suppressed | 8.7 (n=7) | 8.5 (n=4) |",
])
def test_a_true_figure_the_report_suppresses_fails(example, row):
    """Disclosure control hides a group's figure that could single someone out; a true figure
    printed for one by hand passed, as true."""
    report = by_group(example, CHALLENGES + BY_SIZE + row + "\n")
    failed = [n for n in report.numbers if n.outcome is Outcome.FAIL]
    assert [n.kind for n in failed] == ["mean"], report.numbers
    assert "the report suppresses it" in failed[0].reason


@pytest.mark.parametrize("row", [
    "| Financial pressures | mean rating | suppressed | 9.9 (7) | suppressed |",
    "| Financial pressures | mean rating | suppressed | 9.9 n=7 | suppressed |",
    "| Financial pressures | mean rating | suppressed | 9.9 (n=7)* | suppressed |",
    "| Financial pressures | mean rating | suppressed | 9.9¹ (n=7) | suppressed |",
    "| Financial pressures | mean rating | suppressed | 9.9 (n=7)1 | suppressed |",  # Word sup
    "| Financial pressures | average rating | suppressed | 9.9 (n=7) | suppressed |",
])
def test_a_group_figure_written_another_way_is_still_checked(example, row):
    """A hurried analyst's "(7)", "n=7", a footnote mark or "average rating" left the cell
    unread, and an edited 9.9 passed with the table."""
    report = by_group(example, CHALLENGES + BY_SIZE + row + "\n")
    assert [(n.kind, n.outcome) for n in report.numbers] == [
        ("mean", Outcome.FAIL), ("n", Outcome.PASS)], report.numbers


@pytest.mark.parametrize(("cell", "outcome"), [("9.9*", Outcome.FAIL), ("8.6¹", Outcome.PASS),
                                               ("9.9[1]", Outcome.FAIL)])
def test_a_ratings_figure_with_a_footnote_mark_is_read(example, cell, outcome):
    """"8.6*" was no figure to the table reader: an edited mean with a mark passed unread."""
    report = check(example, CHALLENGES + "| Item | n | Mean |\n|---|---|---|\n"
                            f"| Financial pressures | 16 | {cell} |\n")
    [mean] = [n for n in report.numbers if n.kind == "mean"]
    assert mean.outcome is outcome, mean
