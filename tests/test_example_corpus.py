"""The bundled example corpus (corpus/hscp-2017) agrees with the numbers in the published report.

The corpus is a reconstruction written to match "The challenges and learning in transforming health
and social care during 2016-2017" (Healthcare Improvement Scotland ihub, August 2017). These tests pin
the facts the report states, so that an edit to the corpus cannot silently contradict it.
"""

from __future__ import annotations

import csv
import re
import statistics
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent.parent / "corpus" / "hscp-2017"
RESPONSES = CORPUS / "survey" / "responses.csv"
CODEBOOK = CORPUS / "survey" / "codebook.csv"

RATING_ITEMS = {
    "Q4_1": "financial pressures",
    "Q4_2": "workforce issues",
    "Q4_3": "improvement/redesign capacity and capability",
    "Q4_4": "organisational culture",
    "Q4_5": "data and IT systems",
    "Q4_6": "regulatory/governance constraints",
    "Q4_7": "relationship tensions",
}
EXPECTED_COLUMNS = (
    ["ResponseId", "StartDate", "EndDate", "PartnershipSize", "Q1", "Q2", "Q3"]
    + [f"Q4_{i}" for i in range(1, 8)]
    + [f"Q5_{i}" for i in range(1, 8)]
    + ["Q6", "Q7", "Q8", "Q8_why", "Q9"]
)
SATISFACTION_OPTIONS = {
    "Very satisfied",
    "Satisfied",
    "Neither satisfied nor dissatisfied",
    "Dissatisfied",
    "Very dissatisfied",
}

# Section 2.7 prints every answer "in full"; the ninth is a list the report ran together.
NATIONAL_SUPPORT_ANSWERS = [
    "I think the power and authority has in reality remained with the constituent authorities both in "
    "terms of the money and the employees. There has been very limited real movement in this area in "
    "relinquishing any of this. If we are going to affect real change supported by organisations, the "
    "source of power will also need to shift",
    "Support to health care system in addition to that given to individual IJBs.",
    "Assistance to roll out good practice examples to scale",
    "Further guidance and support regarding strategic management and use of the 'set-aside' budget "
    "would be welcomed.",
    "More rapid sharing of national learning (good practice and also 'failures') to save repetition "
    "and lost time.",
    "Focus more on extrapolating the characteristics of success rather than trying to roll out service "
    "models.",
    "Locally based support from improvement organisations/more skilled capacity/capacity on the ground "
    "locally",
    "For the IJB to hold its own bank account.",
    "More timely data, user friendly analysis reports funding to deliver GMS contract sorted and "
    "funding flowing national media work on the plan, financial pressures and need for radical change",
    "Continued support on CLIP, improvement support and strategic commissioning",
    "Workforce challenges are our biggest issue, particularly GP recruitment/retention.",
]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with RESPONSES.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _ratings(rows: list[dict[str, str]], code: str) -> list[int]:
    return [int(r[code]) for r in rows]


def _answers(rows: list[dict[str, str]], code: str) -> list[str]:
    return [r[code] for r in rows if r[code].strip()]


# ---------------------------------------------------------------- the export itself


def test_responses_csv_is_saved_as_utf8_with_bom():
    assert RESPONSES.read_bytes().startswith(b"\xef\xbb\xbf")


def test_responses_csv_has_the_export_columns_in_order(rows):
    with RESPONSES.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header == EXPECTED_COLUMNS


def test_codebook_gives_question_text_for_every_column():
    with CODEBOOK.open(encoding="utf-8-sig", newline="") as f:
        codebook = list(csv.DictReader(f))
    assert [c["code"] for c in codebook] == EXPECTED_COLUMNS
    assert all(c["question"].strip() for c in codebook)


def test_sixteen_respondents_r01_to_r16(rows):
    assert len(rows) == 16
    assert [r["ResponseId"] for r in rows] == [f"R{i:02d}" for i in range(1, 17)]


def test_response_rate_is_52_percent_of_31_invited(rows):
    assert round(100 * len(rows) / 31) == 52


def test_survey_completed_in_june_2017(rows):
    for r in rows:
        assert r["StartDate"].startswith("2017-06-")
        assert r["EndDate"].startswith("2017-06-")
        assert r["StartDate"] < r["EndDate"]


# ---------------------------------------------------------------- 2.4 the seven ratings


def test_every_respondent_rates_all_seven_challenges_0_to_10(rows):
    for code in RATING_ITEMS:
        values = _ratings(rows, code)
        assert len(values) == 16
        assert all(0 <= v <= 10 for v in values)


def test_financial_pressures_mean_is_8_6(rows):
    values = _ratings(rows, "Q4_1")
    assert sum(values) in (137, 138)
    assert round(statistics.mean(values), 1) == 8.6


def test_workforce_issues_mean_is_7_0(rows):
    values = _ratings(rows, "Q4_2")
    assert sum(values) == 112
    assert statistics.mean(values) == 7.0


def test_capacity_and_capability_mean_is_6_7(rows):
    values = _ratings(rows, "Q4_3")
    assert sum(values) == 107
    assert round(statistics.mean(values), 1) == 6.7


def test_all_seven_challenges_have_a_mean_of_5_and_above(rows):
    for code in RATING_ITEMS:
        assert statistics.mean(_ratings(rows, code)) >= 5.0, RATING_ITEMS[code]


def test_finance_workforce_and_capacity_are_the_top_three_challenges(rows):
    means = {code: statistics.mean(_ratings(rows, code)) for code in RATING_ITEMS}
    top_three = sorted(means, key=means.get, reverse=True)[:3]
    assert top_three == ["Q4_1", "Q4_2", "Q4_3"]
    for code in ("Q4_4", "Q4_5", "Q4_6", "Q4_7"):
        assert means[code] < 6.6, RATING_ITEMS[code]


def test_culture_and_relationship_tensions_have_the_largest_standard_deviations(rows):
    sds = {code: statistics.stdev(_ratings(rows, code)) for code in RATING_ITEMS}
    widest = {"Q4_4", "Q4_7"}
    others = [sds[c] for c in RATING_ITEMS if c not in widest]
    assert min(sds[c] for c in widest) > max(others)


def test_culture_and_relationship_tensions_have_the_largest_ranges(rows):
    ranges = {code: max(_ratings(rows, code)) - min(_ratings(rows, code)) for code in RATING_ITEMS}
    widest = {"Q4_4", "Q4_7"}
    others = [ranges[c] for c in RATING_ITEMS if c not in widest]
    assert min(ranges[c] for c in widest) > max(others)


# ---------------------------------------------------------------- counts the report states


def test_four_gone_well_answers_mention_delayed_discharge(rows):
    mentions = [a for a in _answers(rows, "Q1") if "delayed discharge" in a.lower()]
    assert len(mentions) == 4


def test_three_workforce_answers_mention_gp_recruitment(rows):
    gp_answers = [a for a in _answers(rows, "Q5_2") if re.search(r"\bGPs?\b", a)]
    assert len(gp_answers) == 3
    assert all(re.search(r"recruit", a, re.IGNORECASE) for a in gp_answers)
    assert any("We just aren't going to get more GPs" in a for a in gp_answers)


def test_six_data_and_it_answers_mention_list(rows):
    mentions = [a for a in _answers(rows, "Q5_5") if re.search(r"\bLIST\b", a)]
    assert len(mentions) == 6
    assert round(100 * len(mentions) / 16) in (37, 38)  # the report prints 37%


def test_at_least_three_learning_answers_say_hold_your_nerve(rows):
    mentions = [a for a in _answers(rows, "Q9") if "hold your nerve" in a.lower()]
    assert len(mentions) >= 3


# ---------------------------------------------------------------- 2.7 national support, given in full


def test_eleven_national_support_answers_are_the_ones_printed_in_full(rows):
    answers = [_collapse(a) for a in _answers(rows, "Q7")]
    assert len(answers) == 11
    assert sorted(answers) == sorted(NATIONAL_SUPPORT_ANSWERS)


def test_five_respondents_left_national_support_blank(rows):
    assert sum(1 for r in rows if not r["Q7"].strip()) == 5


def test_run_together_national_support_answer_keeps_its_three_lines(rows):
    listed = [a for a in _answers(rows, "Q7") if a.startswith("More timely data")]
    assert len(listed) == 1
    assert listed[0].splitlines() == [
        "More timely data, user friendly analysis reports",
        "funding to deliver GMS contract sorted and funding flowing",
        "national media work on the plan, financial pressures and need for radical change",
    ]


# ---------------------------------------------------------------- 2.8 satisfaction with the ihub


def test_twelve_respondents_rated_the_ihub(rows):
    rated = _answers(rows, "Q8")
    assert len(rated) == 12
    assert set(rated) <= SATISFACTION_OPTIONS


def test_eight_satisfied_or_very_satisfied_is_66_percent(rows):
    satisfied = [a for a in _answers(rows, "Q8") if a in ("Satisfied", "Very satisfied")]
    assert len(satisfied) == 8
    assert int(100 * len(satisfied) / 12) == 66  # the report truncates 66.7 to 66%


def test_four_neither_satisfied_nor_dissatisfied(rows):
    assert _answers(rows, "Q8").count("Neither satisfied nor dissatisfied") == 4


def test_none_rated_any_dissatisfaction(rows):
    assert not [a for a in _answers(rows, "Q8") if "dissatisfied" in a.lower() and not a.startswith("Neither")]


def test_two_respondents_very_satisfied_with_the_ihub(rows):
    assert _answers(rows, "Q8").count("Very satisfied") == 2


def test_blank_ihub_rating_has_blank_reason(rows):
    for r in rows:
        if not r["Q8"].strip():
            assert not r["Q8_why"].strip(), r["ResponseId"]


# ---------------------------------------------------------------- the two interviews


@pytest.mark.parametrize("name", ["interview-01.txt", "interview-02.txt"])
def test_interview_transcript_is_1500_to_3000_words(name):
    words = len((CORPUS / "interviews" / name).read_text(encoding="utf-8").split())
    assert 1500 <= words <= 3000


@pytest.mark.parametrize("name", ["interview-01.txt", "interview-02.txt"])
def test_interview_transcript_starts_with_interviewer_and_uses_two_labels(name):
    lines = (CORPUS / "interviews" / name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Interviewer: ")
    labels = {m.group(1) for line in lines if (m := re.match(r"^([A-Z][A-Za-z ]{0,30}):", line))}
    assert labels == {"Interviewer", "Chief Officer"}
