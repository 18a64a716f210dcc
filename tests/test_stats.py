import csv
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summariser.cli.stats  # noqa: F401  (registers the command)
from summariser.cli import app
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.report.stats import (
    SMALL_N_NOTE,
    RatingStats,
    Stats,
    compute_stats,
    spread_ranking,
)
from summariser.text.wording import rounded
from tests.conftest import EXAMPLE

runner = CliRunner()
SATISFACTION = ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied",
                "Satisfied", "Very satisfied"]


def _stats(project: Path) -> Stats:
    manifest = load_manifest(project)
    return compute_stats(manifest, read_corpus(manifest))


def test_rating_summary_matches_a_hand_computation(project: Path):
    # Ratings 7, 9, 5, 8; sorted 5, 7, 8, 9. Linear quartiles: Q1 = 5 + 0.75 * 2 = 6.5,
    # Q3 = 8 + 0.25 * 1 = 8.25. Sample variance: (0.0625 + 3.0625 + 5.0625 + 0.5625) / 3.
    item = _stats(project).rating("rating_finance")
    assert item.label == "Financial pressures"
    assert (item.n, item.blank) == (4, 0)
    assert item.mean == pytest.approx(7.25)
    assert item.median == pytest.approx(7.5)
    assert (item.minimum, item.maximum) == (5.0, 9.0)
    assert item.q1 == pytest.approx(6.5)
    assert item.q3 == pytest.approx(8.25)
    assert item.sd == pytest.approx(math.sqrt(8.75 / 3))
    assert item.range == 4.0
    assert item.note == SMALL_N_NOTE


def test_choice_counts_follow_the_scale_order_with_blanks_apart(project: Path):
    choice = _stats(project).choice("satisfaction")
    assert [o.option for o in choice.options] == SATISFACTION
    assert [o.count for o in choice.options] == [0, 0, 1, 1, 1]
    assert (choice.answered, choice.blank) == (3, 1)
    # Percentages are of the three who answered, not of the four respondents.
    assert [o.percent for o in choice.options] == pytest.approx([0, 0, 100 / 3, 100 / 3,
                                                                 100 / 3])
    assert choice.top_two.options == ("Satisfied", "Very satisfied")
    assert (choice.top_two.count, choice.top_two.answered) == (2, 3)
    assert choice.top_two.sentence() == "Satisfied or Very satisfied: 2 of 3 (66.7%)"


def test_top_two_only_where_the_manifest_asks_for_it(project: Path):
    toml = project / "summariser.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("top_two = true\n", ""), encoding="utf-8")
    assert _stats(project).choice("satisfaction").top_two is None
    # best = "first": the two options listed first are the best ones.
    toml.write_text(text.replace("top_two = true\n", 'top_two = true\nbest = "first"\n'),
                    encoding="utf-8")
    top = _stats(project).choice("satisfaction").top_two
    assert top.options == ("Dissatisfied", "Very dissatisfied") and top.count == 0


def test_response_rate_counts_survey_rows_not_interviewees(project: Path):
    rate = _stats(project).response_rate
    assert (rate.respondents, rate.invited) == (4, 6)  # I01, the interviewee, is not counted
    assert rate.rate == pytest.approx(4 / 6)
    assert rate.percent == pytest.approx(66.667, abs=1e-3)
    assert rate.sentence() == "4 of 6 Chief Officers responded (66.7%)."


def test_a_respondent_who_left_everything_blank_still_counts(project: Path):
    with (project / "responses.csv").open("a", encoding="utf-8") as handle:
        handle.write("R05,,,,\n")
    result = _stats(project)
    assert result.response_rate.respondents == 5
    assert result.rating("rating_finance").blank == 1
    assert result.choice("satisfaction").blank == 2


def test_answered_counts_non_blank_answers_per_survey_question(project: Path):
    answered = {a.question: a.answered for a in _stats(project).response_rate.answered}
    # R04 left gone_well empty, R02 wrote "n/a" for enablers, R02 skipped satisfaction;
    # the interview question is not a survey question.
    assert answered == {"gone_well": 3, "enablers": 3, "rating_finance": 4, "satisfaction": 3}


def test_response_rate_is_none_when_invited_is_not_set(project: Path):
    toml = project / "summariser.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("invited = 6\n", ""),
                    encoding="utf-8")
    rate = _stats(project).response_rate
    assert rate.invited is None and rate.rate is None and rate.percent is None
    assert rate.sentence().startswith("4 Chief Officers responded")


def _item(question: str, values: list[float]) -> RatingStats:
    import statistics

    return RatingStats(question=question, label=question, scale=(0, 10), values=tuple(values),
                       blank=0, n=len(values), mean=statistics.mean(values),
                       median=statistics.median(values), minimum=min(values), q1=None,
                       q3=None, maximum=max(values), sd=statistics.stdev(values))


def test_spread_ranks_by_standard_deviation_then_range():
    steady = _item("steady", [5, 5, 5, 6])
    wide = _item("wide", [0, 5, 5, 10])
    tie_wide = _item("tie_wide", [0, 4, 4, 4, 4, 8])  # range 8
    # The same standard deviation as tie_wide but a narrower range (6): ranked after it.
    tie_narrow = replace(_item("tie_narrow", [1, 4, 4, 4, 4, 7]), sd=tie_wide.sd)
    ranked = spread_ranking([steady, tie_narrow, wide, tie_wide])
    assert [r.question for r in ranked] == ["wide", "tie_wide", "tie_narrow", "steady"]


def test_questions_nobody_answered_have_no_statistics_and_sort_last(project: Path):
    toml = project / "summariser.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'satisfaction = "Q4" }', 'satisfaction = "Q4", rating_staff = "Q5" }')
    text += ('\n[[questions]]\nid = "rating_staff"\ntext = "Staff"\nkind = "rating"\n'
             'scale = [0, 10]\n')
    toml.write_text(text, encoding="utf-8")
    (project / "responses.csv").write_text(
        "Ref,Q1,Q2,Q3,Q4,Q5\nR01,Fine,,3,,\nR02,,,4,,\n", encoding="utf-8")
    result = _stats(project)
    assert [r.question for r in result.ratings] == ["rating_finance", "rating_staff"]
    empty = result.rating("rating_staff")
    assert (empty.n, empty.blank, empty.mean, empty.sd, empty.range, empty.note) == \
        (0, 2, None, None, None, "no answers")
    satisfaction = result.choice("satisfaction")
    assert (satisfaction.answered, satisfaction.blank, satisfaction.note) == (0, 2, "no answers")
    assert all(o.percent is None for o in satisfaction.options)
    assert satisfaction.top_two.percent is None


def test_to_dict_is_plain_json(project: Path):
    data = json.loads(json.dumps(_stats(project).to_dict()))
    assert data["response_rate"]["respondents"] == 4
    assert data["ratings"][0]["q3"] == pytest.approx(8.25)
    assert data["choices"][0]["top_two"]["count"] == 2


def test_rounding_is_half_up_as_people_expect():
    assert rounded(7.25) == "7.3"
    assert rounded(8.5625) == "8.6"
    assert rounded(100 * 16 / 31, 0) == "52"
    assert rounded(None) == ""


# The command line.

def test_stats_prints_the_tables(project: Path):
    result = runner.invoke(app, ["stats", "-p", str(project)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "4 of 6 Chief Officers responded (66.7%)." in result.output
    assert "Ratings, highest mean first" in result.output
    assert "Financial pressures" in result.output and "7.25" in result.output
    assert "Satisfied or Very satisfied" in result.output
    assert "Did not answer" in result.output


def test_stats_json_has_the_numbers(project: Path):
    result = runner.invoke(app, ["stats", "-p", str(project), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["response_rate"]["percent"] == pytest.approx(200 / 3)
    finance = data["ratings"][0]
    assert (finance["n"], finance["mean"], finance["median"]) == (4, 7.25, 7.5)
    satisfaction = data["choices"][0]
    assert [o["count"] for o in satisfaction["options"]] == [0, 0, 1, 1, 1]
    assert satisfaction["blank"] == 1


def test_stats_csv_writes_one_file_per_table(project: Path, tmp_path: Path):
    out = tmp_path / "tables"
    result = runner.invoke(app, ["stats", "-p", str(project), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "answered.csv", "choice-satisfaction.csv", "ratings.csv", "response-rate.csv",
        "spread.csv"]
    with (out / "choice-satisfaction.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["option"], r["count"]) for r in rows] == [
        *[("option", option, count) for option, count in zip(SATISFACTION, "00111")],
        ("top two", "Satisfied or Very satisfied", "2"), ("blank", "did not answer", "1")]
    with (out / "ratings.csv").open(encoding="utf-8") as handle:
        finance = next(csv.DictReader(handle))
    assert (finance["q1"], finance["q3"]) == ("6.5", "8.25")


def test_stats_figures_writes_valid_png_and_svg(project: Path, tmp_path: Path):
    out = tmp_path / "figures"
    result = runner.invoke(app, ["stats", "-p", str(project), "--figures", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["choice-satisfaction.png", "choice-satisfaction.svg", "ratings.png",
                     "ratings.svg"]
    for path in out.glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for path in out.glob("*.svg"):
        assert "<svg" in path.read_text(encoding="utf-8")


def test_stats_json_stays_parseable_when_files_are_written(project: Path, tmp_path: Path):
    result = runner.invoke(app, ["stats", "-p", str(project), "--json", "--csv", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["response_rate"]["invited"] == 6


def test_stats_without_a_manifest_is_one_line_and_exit_code_1(tmp_path: Path):
    result = runner.invoke(app, ["stats", "-p", str(tmp_path)])
    assert result.exit_code == 1
    assert "No summariser.toml" in result.output
    assert "Traceback" not in result.output


# The bundled example corpus against the published report (sections 1.3, 2.4 and 2.8).

@pytest.mark.skipif(not (EXAMPLE / "survey" / "responses.csv").is_file(),
                    reason="the example corpus corpus/hscp-2017 is not present")
def test_example_corpus_matches_the_report():
    result = _stats(EXAMPLE)
    means = {r.question: r.mean for r in result.ratings}
    assert rounded(means["rating_finance"]) == "8.6"
    assert rounded(means["rating_workforce"]) == "7.0"
    assert rounded(means["rating_capacity"]) == "6.7"
    assert len(means) == 7 and all(mean >= 5 for mean in means.values())
    assert [r.question for r in result.ratings[:3]] == ["rating_finance", "rating_workforce",
                                                        "rating_capacity"]
    assert {r.question for r in result.spread[:2]} == {"rating_culture", "rating_relationships"}
    choice = result.choice("satisfaction")
    counts = {o.option: o.count for o in choice.options}
    assert choice.answered == 12
    assert choice.top_two.count == 8
    assert counts["Neither satisfied nor dissatisfied"] == 4
    assert counts["Dissatisfied"] == counts["Very dissatisfied"] == 0
    rate = result.response_rate
    assert (rate.respondents, rate.invited) == (16, 31)
    assert rounded(rate.percent, 0) == "52"


def test_large_numbers_in_statistics_are_grouped_by_thousands():
    from summariser.report.stats import ResponseRate

    rate = ResponseRate(9089, 12000, ("customer", "customers"), ())
    assert rate.sentence() == "9,089 of 12,000 customers responded (75.7%)."
