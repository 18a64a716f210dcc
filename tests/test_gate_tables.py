"""Statistics tables the gate once left unread: a ratings table turned on its side (statistics
down the first column, items across the header) and a report's breakdown by a respondent
attribute ("By size": a figure and its n for each group). Each states figures a reader takes as
checked; an edited mean, share or n in one passed."""

from __future__ import annotations

import pytest

from summariser.gate.run import Outcome
from tests.conftest import EXAMPLE
from tests.test_gate_edges import check, corpus_of

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
