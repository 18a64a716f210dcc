"""The publication gate against real id formats and real tricks: citations in any id format,
editorial marks that cannot change meaning, quote marks that cannot hide words, Markdown read as
a reader sees it, and claims in every form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summariser.gate.parse import parse_text
from summariser.gate.run import Outcome, evaluate, known_ids
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.verify import CorpusIndex
from tests.conftest import EXAMPLE, POLIS, POLIS_DATA

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "multiword-ids"


def corpus_of(root: Path):
    manifest = load_manifest(root)
    corpus = read_corpus(manifest)
    return manifest, corpus, CorpusIndex.build(corpus.responses)


@pytest.fixture(scope="module")
def multiword():
    return corpus_of(FIXTURE)


@pytest.fixture(scope="module")
def example():
    return corpus_of(EXAMPLE)


@pytest.fixture(scope="module")
def polis():
    if not POLIS_DATA.exists():
        pytest.skip(f"the Polis corpus is not at {POLIS_DATA}")
    return corpus_of(POLIS)


def check(corpus, text: str):
    manifest, read, index = corpus
    draft = parse_text(text, manifest, ids=known_ids(read.responses))
    return evaluate([draft], index, manifest, read.responses, read.ratings)


def views(body: str) -> str:
    return f"## 1 Views on the plan\n\n{body}\n"


def only_quote(report):
    [quote] = report.quotes
    return quote


# --- 1. citations in any id format ------------------------------------------------------------

SATISFACTION = "Satisfaction rose to 8.6 out of 10 in the staff survey this year."


@pytest.mark.parametrize("cited", ["ABC S&C 3729", "consultation:ABC S&C 3729:views"])
def test_an_id_with_spaces_and_an_ampersand_is_a_citation(multiword, cited):
    report = check(multiword, views(f"One said “{SATISFACTION}” [{cited}]."))
    quote = only_quote(report)
    assert quote.cited == (cited,) and quote.attribution in ("respondent", "response")
    assert quote.outcome is Outcome.PASS and report.passed


@pytest.mark.parametrize("wrong", ["ABC S&C 4410", "North/East Ward 12", "J. Smith-Jones",
                                   "D-14.2"])
def test_a_quote_given_to_the_wrong_person_fails_whatever_their_id_looks_like(multiword, wrong):
    report = check(multiword, views(f"One said “{SATISFACTION}” [{wrong}]."))
    quote = only_quote(report)
    assert quote.cited == (wrong,)
    assert (quote.status, quote.outcome) == ("misattributed", Outcome.FAIL)
    assert "ABC S&C 3729's answer" in quote.verification.reason
    assert not report.passed


def test_an_id_that_differs_from_the_corpus_ids_only_in_digits_is_a_citation_and_fails(multiword):
    report = check(multiword, views(f"One said “{SATISFACTION}” [ABC S&C 9999]."))
    assert only_quote(report).cited == ("ABC S&C 9999",)
    [citation] = report.citations
    assert citation.outcome is Outcome.FAIL and "not a respondent" in citation.reason


def test_the_manifest_may_declare_what_an_id_looks_like(tmp_path: Path):
    root = shutil.copytree(FIXTURE, tmp_path / "project")
    manifest = root / "summariser.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        '[project]\n', '[project]\nid_pattern = \'P-\\d+\'\n'), encoding="utf-8")
    report = check(corpus_of(root), views(f"One said “{SATISFACTION}” [P-77]."))
    assert only_quote(report).cited == ("P-77",)
    assert [c.outcome for c in report.citations] == [Outcome.FAIL]


def test_polis_numeric_author_ids_are_citations_and_catch_misattribution(polis):
    _, read, _ = polis
    by_author: dict[str, list] = {}
    for response in read.responses:
        by_author.setdefault(response.respondent, []).append(response)
    author, other = sorted(by_author, key=int)[:2]
    text = by_author[author][0].text
    assert author.isdigit() and other.isdigit()
    section = "## 1 What should change\n\n"
    right = check(polis, f"{section}A participant wrote “{text}” [{author}].\n")
    assert only_quote(right).cited == (author,) and right.passed
    by_statement = check(polis, f"{section}“{text}” [{by_author[author][0].response_id}]\n")
    assert by_statement.passed
    wrong = check(polis, f"{section}A participant wrote “{text}” [{other}].\n")
    assert (only_quote(wrong).status, only_quote(wrong).outcome) == ("misattributed",
                                                                     Outcome.FAIL)


# --- 2. editorial marks never change meaning ----------------------------------------------------

@pytest.mark.parametrize(("quote", "cited", "shown"), [
    ("Relationships are good - this is ... a significant issue for us.", "ABC S&C 3729",
     "leaves out “not”"),
    ("…rose to [6.8] out of 10 in the staff survey…", "ABC S&C 3729", "[6.8] takes the place of"),
    ("As a board we [did] support the closure of the day centre", "ABC S&C 4410",
     "[did] takes the place of “not”"),
    ("We [always] close the library on Sundays because families rely on it.", "ABC S&C 4410",
     "[always] takes the place of “never”"),
    ("Only [75%] of tenants were consulted before the plan was agreed.", "North/East Ward 12",
     "[75%] takes the place of “25%”"),
    ("The partnership is [not] working well and the staff are committed", "J. Smith-Jones",
     "[not] adds “not”"),
    ("It has agreed the budget for [the day centre] with the council.", "J. Smith-Jones",
     "which is not a pronoun, a tense or a capital"),
])
def test_editorial_marks_that_change_meaning_fail_with_the_source_words(multiword, quote, cited,
                                                                       shown):
    report = check(multiword, views(f"“{quote}” [{cited}]"))
    found = only_quote(report)
    assert (found.status, found.outcome) == ("meaning_changed", Outcome.FAIL), found
    assert shown in found.verification.reason
    assert "the source reads “" in found.verification.reason
    assert found.verification.diff


@pytest.mark.parametrize(("quote", "cited", "shown"), [
    ("… clarity around set aside and unscheduled care budgets.", "R04", "leaves out “lack”"),
    ("… move to RAM/GAE funding formulae penalises well established partnerships", "R11",
     "leaves out “failure”"),
    ("Large volume of legacy issues with … budget to manage current pattern of spend.", "R09",
     "leaves out “insufficient”"),
    ("The NHS Corporate body focusses more on … opportunities, assets and what it can "
     "contribute.", "R08", "leaves out “rather”"),
    ("Joint management team in place [but failing].", "R09", "adds “but”"),
])
def test_an_ellipsis_never_leaves_out_what_says_something_is_missing_or_turns_it_round(
        example, quote, cited, shown):
    """Left out before, inside or after the quoted words: "Lack of clarity around budgets" is
    not "clarity around budgets", nor "on risks rather than opportunities" "on opportunities"."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n“{quote}” [{cited}]\n")
    found = only_quote(report)
    assert (found.status, found.outcome) == ("meaning_changed", Outcome.FAIL), found
    assert shown in found.verification.reason


def test_an_opening_ellipsis_may_leave_out_words_that_change_nothing(example):
    report = check(example, "## 2.3 What has hindered progress?\n\n“… legacy issues with "
                            "insufficient budget to manage current pattern of spend.” [R09]\n")
    assert only_quote(report).outcome is Outcome.PASS, only_quote(report).verification.reason


@pytest.mark.parametrize("quote", [
    "[The IJB] has agreed the budget for the new care at home service",
    "The partnership [was] working well and the staff are committed to change.",
    "[T]he partnership is working well and the staff are committed to change.",
    "this is not a significant issue for us. ... Satisfaction rose to 8.6 out of 10",
])
def test_genuine_insertions_and_ellipses_still_pass(multiword, quote):
    report = check(multiword, views(f"“{quote}”"))
    assert only_quote(report).outcome is Outcome.PASS, only_quote(report).verification.reason


def test_an_ellipsis_may_leave_out_a_whole_sentence_but_not_the_end_of_one(multiword):
    # Left out with the rest of its sentence, "not" still changes what a reader joins together.
    report = check(multiword, views("“Relationships are good ... Satisfaction rose to 8.6 out "
                                    "of 10”"))
    assert only_quote(report).status == "meaning_changed"


# --- 3. quote marks cannot hide invented words -----------------------------------------------------

REAL = "Relationships are good - this is not a significant issue for us."


def test_a_stray_straight_mark_inside_a_curly_quote_does_not_shorten_it(multiword):
    planted = (f"“{REAL} We should poison all native birds so \"this is not a significant "
               "issue for us.” [ABC S&C 3729]")
    found = only_quote(check(multiword, views(planted)))
    assert "poison all native birds" in found.read_as
    assert found.outcome is Outcome.FAIL


def test_invented_words_after_a_quote_never_closed_fail(multiword):
    found = only_quote(check(multiword, views(f"“{REAL} We should poison all native birds.")))
    assert found.outcome is Outcome.FAIL
    assert any("words the corpus does not hold fail" in note for note in found.notes)


# --- 4. the gate reads what a reader sees ------------------------------------------------------------

@pytest.mark.parametrize("markup", ["<span hidden>not</span>", '<span style="display:none">not'
                                    "</span>", "<del>not</del>", "~~not~~"])
def test_hidden_or_struck_words_are_refused(multiword, markup):
    report = check(multiword, views(f"“As a board we did {markup} support the closure of the day "
                                    "centre” [ABC S&C 4410]"))
    assert report.markup and all(m.outcome is Outcome.FAIL for m in report.markup)
    assert not report.passed


def test_an_image_among_a_quotes_words_is_refused_but_a_figure_on_its_own_is_not(multiword):
    hidden = check(multiword, views("“As a board we did ![not](not.png) support the closure of "
                                    "the day centre” [ABC S&C 4410]"))
    assert [m.markup for m in hidden.markup] == ["![not]"] and not hidden.passed
    figure = check(multiword, views("![Bar chart of the themes](figure.png)\n\n“As a board we "
                                    "did not support the closure” [ABC S&C 4410]"))
    assert figure.markup == () and figure.passed


def test_a_comment_inside_a_quote_is_invisible_so_the_quote_is_checked_without_it(multiword):
    report = check(multiword, views("“As a board we did <!-- not --> support the closure of the "
                                    "day centre” [ABC S&C 4410]"))
    assert only_quote(report).outcome is Outcome.FAIL and not report.passed


def test_quotes_in_code_blocks_are_checked(multiword):
    report = check(multiword, views("```\n“We always close the library on Sundays.” "
                                    "[ABC S&C 4410]\n```"))
    assert only_quote(report).outcome is Outcome.FAIL


def test_a_heading_cannot_make_a_quote_a_label(multiword):
    report = check(multiword, views("### We always close the library on Sundays\n\nAs one put it, "
                                    "“We always close the library on Sundays”."))
    assert only_quote(report).outcome is Outcome.FAIL


def test_single_quote_marks_make_a_quote(multiword):
    report = check(multiword, views("As one put it, ‘We always close the library on Sundays’ "
                                    "[ABC S&C 4410]."))
    assert only_quote(report).outcome is Outcome.FAIL
    fine = check(multiword, views("As one put it, ‘We never close the library on Sundays’."))
    assert only_quote(fine).outcome is Outcome.PASS


def test_a_single_quoted_term_from_the_questionnaire_is_a_label(example):
    report = check(example, "## 2.4 Understanding the challenges\n\nAll rated ‘financial "
                            "pressures’ and ‘capacity and capability in improvement and "
                            "redesign’ highly.\n")
    assert report.quotes == ()


# --- 5. claims in every form -----------------------------------------------------------------------

def test_a_percentage_of_respondents_is_read_and_checked(example):
    report = check(example, "## 2.1 What has gone well?\n\n100% of Chief Officers mentioned "
                            "delayed discharge.\n")
    [claim] = report.numbers
    assert (claim.kind, claim.outcome) == ("percentage", Outcome.FAIL)
    assert "R01, R07, R10, R16 mention “delayed discharge”" in claim.reason


def test_a_count_with_a_percentage_is_unchecked_not_pass_when_nothing_supports_it(example):
    report = check(example, "## 2.1 What has gone well?\n\nSix out of six respondents (100%) "
                            "were happy.\n")
    outcomes = {n.kind: n.outcome for n in report.numbers}
    assert outcomes == {"percentage": Outcome.PASS, "count": Outcome.UNCHECKED}


@pytest.mark.parametrize(("sentence", "quantifier"), [
    ("All Chief Officers mentioned delayed discharge.", "All Chief Officers"),
    ("Every Chief Officer mentioned delayed discharge.", "Every Chief Officer"),
    ("Chief Officers were unanimous: they mentioned delayed discharge.", "unanimous"),
    ("No Chief Officer mentioned delayed discharge.", "No Chief Officer"),
])
def test_all_every_none_and_unanimous_are_checked(example, sentence, quantifier):
    report = check(example, f"## 2.1 What has gone well?\n\n{sentence}\n")
    claims = {n.claim: n for n in report.numbers if n.kind == "quantifier"}
    assert claims[quantifier].outcome is Outcome.FAIL, claims[quantifier].reason


@pytest.mark.parametrize(("quote", "source_word"), [
    ("Our it systems do not talk to each other", "IT"),
    ("the polish community feel left out by us", "Polish"),
    ("and the Polish community feel left out by US", "us"),
])
def test_a_case_change_of_an_acronym_or_a_name_is_a_warning_with_the_diff(multiword, quote,
                                                                         source_word):
    found = only_quote(check(multiword, views(f"“{quote}” [North/East Ward 12]")))
    assert found.outcome is Outcome.WARNING
    assert any(f"the source has “{source_word}”" in w for w in found.verification.warnings)


def test_refused_markup_fails_eval_and_is_listed_for_the_reviewer(example_project: Path,
                                                                  tmp_path: Path):
    from typer.testing import CliRunner

    import summariser.cli.eval  # noqa: F401  (registers the command)
    from summariser.cli import app

    draft = tmp_path / "draft.md"
    draft.write_text("## 2.1 What has gone well?\n\n“Joint working <span hidden>never</span> in "
                     "localities.” [R15]\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["eval", str(draft), "-p", str(example_project)],
                           catch_exceptions=False)
    assert result.exit_code == 1 and "<span hidden>" in result.output
    out = tmp_path / "report.json"
    runner.invoke(app, ["eval", str(draft), "-p", str(example_project), "-o", str(out)],
                  catch_exceptions=False)
    import json

    [markup] = json.loads(out.read_text(encoding="utf-8"))["markup"]
    assert (markup["markup"], markup["outcome"], markup["where"]) == ("<span hidden>", "fail",
                                                                      "line 3")
    review = tmp_path / "report.md"
    runner.invoke(app, ["eval", str(draft), "-p", str(example_project), "-o", str(review)],
                  catch_exceptions=False)
    assert "Markup the check does not read (1)" in review.read_text(encoding="utf-8")


def test_a_quote_in_a_heading_is_checked(multiword):
    report = check(multiword, views("### “We always close the library on Sundays”\n\nText."))
    assert only_quote(report).outcome is Outcome.FAIL


def test_a_multi_word_id_wrapped_across_lines_is_still_a_citation(multiword):
    report = check(multiword, views(f"One said “{SATISFACTION}” [ABC S&C\n4410]."))
    assert only_quote(report).cited == ("ABC S&C 4410",)
    assert only_quote(report).status == "misattributed"


def test_a_table_cell_that_looks_like_a_numbered_heading_opens_no_section(example):
    manifest = example[0]
    text = ("## 2.1 What has gone well?\n\n| Group | Mean |\n|---|---|\n| Medium | 6.0 (n=7) |\n\n"
            "Four respondents mentioned budgets.\n")
    parsed = parse_text(text, manifest)
    assert [s.heading for s in parsed.sections] == ["2.1 What has gone well?"]
    assert parsed.claims[0].section == 0
