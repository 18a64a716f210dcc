"""`ask` counts that hold when a question is reworded: an aspect word ("issues", "arrangements")
does not narrow the subject, a word most people use does not steer the search by meaning (unless
the rest is unreadable to it: "IT"), a number word names its subject ("the third sector") and is
never looked for alone, and a possessive finds the bare word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.index.embedders import MiniLMEmbedder
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.retrieve.search import search, subject_text, subject_words, unused_words

runner = CliRunner()
NOUN = ("Chief Officer", "Chief Officers")


def _survey(project: Path, question: str) -> set[str]:
    result = runner.invoke(app, ["ask", question, "--all", "-p", str(project), "--json"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return set(json.loads(result.stdout)["counts"]["survey"]["ids"])


@pytest.mark.parametrize("question", [
    "Which Chief Officers raised governance issues?",
    "what did COs say about governance arrangements",
    "Tell me what respondents said about governance structures",
])
def test_an_aspect_word_is_not_a_subject_word(question):
    assert subject_words(question, NOUN) == ("governance",)
    assert subject_text(question, NOUN) == "governance"


def test_an_aspect_word_alone_is_the_subject():
    assert subject_words("What issues did Chief Officers raise?", NOUN) == ("issues",)


@pytest.mark.parametrize(("question", "words", "text"), [
    ("What did Chief Officers say about the third sector?", ("third", "sector"),
     "third sector"),
    ("Did anyone mention third sector partners?", ("third", "sector", "partners"),
     "third sector partners"),
    ("Did one of them mention the sector?", ("sector",), "sector"),
])
def test_a_number_word_before_a_subject_word_names_it(question, words, text):
    assert subject_words(question, NOUN) == words
    assert subject_text(question, NOUN) == text


def test_a_possessive_finds_the_bare_word():
    assert subject_words("How do Chief Officers feel about the ihub's support?", NOUN) == (
        "ihub", "support")
    assert unused_words("the ihub's support", ["Linking in with the ihub."]) == ("support",)
    assert unused_words("the ihub", ["The ihub's advisers helped."]) == ()


def test_a_count_holds_when_an_aspect_word_is_added(example_project):
    counts = {question: len(_survey(example_project, question)) for question in (
        "governance", "what did COs say about governance arrangements",
        "Which Chief Officers raised governance issues?",
        "Tell me what respondents said about governance structures")}
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("question", ["views on dementia care",
                                      "How do Chief Officers feel about dementia services?"])
def test_a_word_most_people_use_does_not_steer_the_search_by_meaning(example_project, question):
    """Most Chief Officers write "care" and "services": the question is about dementia, which
    one of them wrote (R05), not about every passage on care."""
    assert _survey(example_project, question) == _survey(example_project, "dementia") == {"R05"}



def _search(project: Path, question: str):
    manifest = load_manifest(project)
    return search(Store(manifest.store_path), MiniLMEmbedder(), question, exhaustive=True,
                  noun=manifest.respondent_noun)


def test_a_number_word_is_never_looked_for_without_its_word(example_project):
    """Most people write "sector" ("acute sector", "statutory sector"): it is not left out of
    "the third sector", which would look for "third" alone ("a third of", "third party")."""
    found = _search(example_project, "What did Chief Officers say about the third sector?")
    assert found.looked_for == ("third", "sector") and found.searched == "third sector"
    lexical = {h.passage.respondent for h in found.hits if h.lexical}
    assert "R11" in lexical  # "the 3rd sector interface"
    assert all(("third" in h.passage.text.lower() or "3rd" in h.passage.text)
               and "sector" in h.passage.text.lower() for h in found.hits if h.lexical)


def test_the_search_by_meaning_keeps_a_word_it_needs_to_read(example_project):
    """Most people write "systems": the lexical search looks for "IT" alone, but the search by
    meaning reads lower case, where "IT" is "it", so it keeps "IT systems"."""
    found = _search(example_project, "What did Chief Officers say about IT systems?")
    assert found.looked_for == ("it",) and found.searched == "IT systems"
