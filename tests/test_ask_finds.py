"""`ask` finds what is there: the respondent noun, its abbreviation and question words are never
search terms, a word one person used is found in any inflection, a count holds when only the
framing of a question changes, and a question about an excess is not answered with praise."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.index.ingest import ingest
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.retrieve.search import RELEVANT_FLOOR, subject_text, subject_words

runner = CliRunner()
NOUN = ("Chief Officer", "Chief Officers")


def _ask(project: Path, *args: str) -> dict:
    result = runner.invoke(app, ["ask", *args, "-p", str(project), "--json"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("question", "words"), [
    ("what did COs say about governance", ("governance",)),
    ("What did the CO's think of governance?", ("governance",)),
    ("What do Chief Officers feel about delayed discharge?", ("delayed", "discharge")),
    ("Which respondents mentioned IT?", ("it",)),
    ("How do participants describe the ihub?", ("ihub",)),
    # a short part of a hyphenated word is no subject: "ins" took in every "in"
    ("What did people say about pay for sleep-ins?", ("pay", "sleep")),
    ("Views on e-mail", ("mail",)),
])
def test_the_noun_its_abbreviation_and_question_words_are_never_search_terms(question, words):
    assert subject_words(question, NOUN) == words


def test_the_search_by_meaning_reads_the_subject_not_the_framing():
    assert subject_text("what did COs say about the governance of the IJB?", NOUN) == \
        "governance of the IJB"
    assert subject_text("Is the centre too expensive?", NOUN, ("centre",)) == "too expensive"


def test_the_readmes_example_finds_what_every_answer_says_about_governance(example_project):
    answered = _ask(example_project, "what did COs say about governance", "--answer")
    assert "cos" not in answered["text"].lower()
    assert len(answered["tally"]["survey"]["ids"]) >= 9 and answered["quotes"]
    listed = _ask(example_project, "governance", "--all")
    using = {h["respondent"] for h in listed["hits"] if h["source"] == "survey"
             and "governance" in h["text"].lower()}
    assert using and using <= set(answered["tally"]["survey"]["ids"])


def test_a_word_one_person_used_is_found(example_project):
    answered = _ask(example_project, "what did Chief Officers say about dementia", "--answer")
    assert "R05" in answered["tally"]["survey"]["ids"]  # the one who wrote "dementia"
    assert any("dementia" in q["text"].lower() for q in answered["quotes"])


@pytest.mark.parametrize("word", ["discharges", "discharging"])
def test_any_inflection_of_a_word_is_found(example_project, word):
    listed = _ask(example_project, f"Did anyone mention {word}?", "--all")
    survey = {h["respondent"] for h in listed["hits"] if h["source"] == "survey"}
    assert {"R01", "R07", "R10", "R16"} <= survey  # they wrote "delayed discharge"


def test_a_count_holds_when_only_the_framing_changes(example_project):
    counts = {len(_ask(example_project, question, "--all")["counts"]["survey"]["ids"])
              for question in ("governance", "what did COs say about governance",
                               "What do Chief Officers think of governance?",
                               "Did anyone mention governance?", "views on governance")}
    assert len(counts) == 1


CENTRE = [
    "It's too expensive for families like mine.", "The classes cost far too much now.",
    "Prices went up again and I can't afford the gym any more.",
    "Overpriced for what you get.", "The fees are too high for pensioners.",
    "Too pricey, especially the swimming lessons.",
    "Good value for money, the staff are lovely.", "Affordable.",
    "Reasonable prices and clean changing rooms.", "The café is great and the coffee is cheap.",
    "Parking is a nightmare on Saturdays.", "Not enough parking spaces near the entrance.",
    "The car park floods when it rains.", "Opening hours should be longer at weekends.",
    "Please open earlier in the morning.", "Staff are friendly and helpful.",
    "The reception team always remember my name.", "The changing rooms need a refurbishment.",
    "Showers are often cold.", "Lockers are broken half the time.", "More yoga classes please.",
    "The spin classes are always full.", "Book online is confusing and the app crashes.",
    "The website never shows the right timetable.", "Great swimming pool, kept very clean.",
    "The pool is too cold for the children.", "I love the children's holiday clubs.",
    "More activities for teenagers would help.",
    "The gym equipment is old and often out of order.", "Could do with more weights in the gym.",
    "Music in the gym is too loud.", "The toilets are not cleaned often enough.",
    "The centre is a real asset to the town.", "Bus links to the centre are poor.",
    "Cycle racks would encourage people to cycle.", "Nothing to add.", "Keep up the good work.",
    "The sauna is lovely but often closed.", "Disabled access at the side door is difficult.",
    "More seating by the pool for parents.",
]


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Path:
    """Forty users of a leisure centre; six say it costs too much, three that it is cheap."""
    root = tmp_path_factory.mktemp("centre")
    with (root / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "views"])
        writer.writerows([f"P{n:02d}", text] for n, text in enumerate(CENTRE, 1))
    (root / "summariser.toml").write_text(_CENTRE_MANIFEST, encoding="utf-8")
    manifest = load_manifest(root)
    ingest(manifest, Store(manifest.store_path))
    return root


_CENTRE_MANIFEST = """
[project]
title = "The leisure centre"
respondent_noun = ["user", "users"]

[[sources]]
id = "survey"
path = "answers.csv"
respondent_column = "id"
columns = { views = "views" }

[[questions]]
id = "views"
text = "What do you think of the leisure centre?"

[[sections]]
id = "views"
number = "1"
title = "Views of the centre"
questions = ["views"]
"""


def test_a_question_about_an_excess_is_not_answered_with_praise(centre: Path):
    answered = _ask(centre, "is the centre too expensive", "--answer")
    counted = set(answered["tally"]["survey"]["ids"])
    assert {"P01", "P02", "P03", "P04", "P05", "P06"} <= counted  # the six who said so
    assert not counted & {"P07", "P08", "P09", "P10"}  # good value, affordable, cheap
    quoted = " ".join(q["text"] for q in answered["quotes"])
    assert "Good value" not in quoted and "Affordable" not in quoted


def test_the_cli_default_floor_is_the_calibrated_one():
    result = runner.invoke(app, ["ask", "--help"], env={"COLUMNS": "200"})
    assert f"default: {RELEVANT_FLOOR}" in " ".join(result.output.split())


def test_a_non_answer_is_never_found_nor_counted(tmp_path: Path):
    """"nothing", "not sure", "see above" and "x" sit near "price" in meaning (0.32-0.37, above
    the floor): a broadband survey's `ask --all` counted 45 such passages for it. They speak to
    no subject."""
    root = tmp_path / "broadband"
    root.mkdir()
    answers = ["The price went up again.", "Prices are far too high.", "nothing",
               "not sure", "see above", "x", "The engineer was lovely."]
    with (root / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "views"],
                                      *([f"C{n}", text] for n, text in enumerate(answers, 1))])
    (root / "summariser.toml").write_text(_CENTRE_MANIFEST, encoding="utf-8")
    manifest = load_manifest(root)
    ingest(manifest, Store(manifest.store_path))
    found = _ask(root, "what did users say about price?", "--all")
    assert found["counts"]["survey"]["ids"] == ["C1", "C2"]


def test_answers_that_only_name_the_subject_come_after_those_that_say_something_of_it(
        tmp_path: Path):
    """"What did patients say about food?" listed ten answers of "Food", nearest of all in
    meaning and saying nothing of it."""
    root = tmp_path / "ward"
    root.mkdir()
    answers = ["Food", "food.", "Food!", "The food was cold every night.",
               "Lovely food, great choice.", "Parking is awful.", "The nurses were kind."]
    with (root / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "views"],
                                      *([f"W{n}", text] for n, text in enumerate(answers, 1))])
    (root / "summariser.toml").write_text(_CENTRE_MANIFEST, encoding="utf-8")
    manifest = load_manifest(root)
    ingest(manifest, Store(manifest.store_path))
    found = _ask(root, "what did users say about food?", "--limit", "3")
    assert {h["respondent"] for h in found["hits"][:2]} == {"W4", "W5"}, found["hits"]
