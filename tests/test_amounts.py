"""One vocabulary of amounts (`summariser.text.amounts`): the gate reads each as a claim, `ask
--answer` checks or drops a sentence with one, and drafting drops a model's description that
states one."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.ask.answer import checked_numbers
from summariser.draft.chain import first_sentence
from summariser.gate.claims import ClaimFinder
from summariser.project.manifest import load_manifest
from summariser.text.amounts import (
    ALONE,
    AMOUNTS,
    amount_meaning,
    holds,
    mentions_quantity,
    states_amount,
)


def _sentence(phrase: str) -> str:
    if phrase in ALONE:
        return f"{phrase.capitalize()} raised IT."
    after = {"a number": " of", "every one": " of the", "not one": " of the"}.get(phrase, "")
    return f"{phrase.capitalize()}{after} Chief Officers raised IT."


@pytest.mark.parametrize("phrase", sorted(AMOUNTS))
def test_the_gate_ask_and_drafting_read_one_vocabulary(project: Path, phrase):
    sentence = _sentence(phrase)
    claims = ClaimFinder(load_manifest(project)).claims(sentence, "here", section=0, themes=(),
                                                        theme=None)
    assert [c.quantifier for c in claims] == [AMOUNTS[phrase]], sentence
    if phrase not in ("no", "each", "every one", "both"):  # these name no amount on their own
        assert states_amount(sentence) and mentions_quantity(sentence)
        assert first_sentence(sentence) == ""  # a model may not state it


@pytest.mark.parametrize("sentence", [
    "Everyone agreed the budget was tight.", "Chief Officers were unanimous about IT.",
    "Nobody raised IT.", "Two thirds of Chief Officers raised IT.",
    "One in three Chief Officers raised IT.", "Most Chief Officers raised IT.",
])
def test_ask_drops_a_models_amount_that_does_not_hold(project: Path, sentence):
    kept, dropped = checked_numbers(sentence, (2, 16), load_manifest(project))
    assert (kept, dropped) == ("", (sentence,))


@pytest.mark.parametrize("sentence", [
    "A minority of Chief Officers raised IT.", "One in eight Chief Officers raised IT.",
    "A couple of Chief Officers raised IT.",
])
def test_ask_keeps_a_models_amount_that_holds(project: Path, sentence):
    assert checked_numbers(sentence, (2, 16), load_manifest(project)) == (sentence, ())


@pytest.mark.parametrize(("phrase", "meaning"), [
    ("one in three", "1/3"), ("1 in 4", "1/4"), ("two thirds", "2/3"), ("a third", "1/3"),
    ("three quarters", "3/4"), ("nine in ten", "9/10"), ("every one", "all"), ("few", "a minority"),
    ("the vast majority", "a large majority"), ("a clear majority", "most"),
    ("more than half", ">1/2"), ("fewer than a third", "<1/3"), ("at least two thirds", ">=2/3"),
    ("every single", "all"),
])
def test_fractions_and_ratios_are_shares(phrase, meaning):
    assert amount_meaning(phrase) == meaning


@pytest.mark.parametrize(("meaning", "n", "d", "true"), [
    ("1/3", 5, 16, True), ("1/3", 6, 16, True), ("1/3", 7, 16, False), ("2/3", 5, 16, False),
    ("2/3", 11, 16, True), ("many", 3, 16, True), ("many", 2, 16, False),
    ("a large majority", 12, 16, True), ("a large majority", 16, 16, True),
    ("a large majority", 11, 16, False),
    (">1/2", 9, 16, True), (">1/2", 8, 16, False), ("<1/3", 5, 16, True), ("<1/3", 6, 16, False),
    (">=2/3", 11, 16, True), (">=2/3", 10, 16, False),
])
def test_a_share_holds_within_one_person(meaning, n, d, true):
    assert holds(meaning, n, d) is true


@pytest.mark.parametrize(("phrase", "meaning", "n", "d", "true"), [
    ("all but one", "all but 1", 15, 16, True), ("all but one", "all but 1", 5, 16, False),
    ("all but two", "all but 2", 14, 16, True), ("All but 3", "all but 3", 13, 16, True),
])
def test_all_but_is_an_exact_amount(phrase, meaning, n, d, true):
    assert amount_meaning(phrase) == meaning
    assert holds(meaning, n, d) is true
    assert states_amount(f"{phrase} of the Chief Officers raised IT")


@pytest.mark.parametrize(("phrase", "meaning", "n", "true"), [
    ("about ten", "about 10", 9, True), ("Ten or so", "about 10", 11, True),
    ("around 10", "about 10", 5, False), ("roughly twenty-one", "about 21", 19, False),
])
def test_about_k_is_a_count_give_or_take_one(phrase, meaning, n, true):
    assert amount_meaning(phrase) == meaning
    assert holds(meaning, n, 16) is true
    assert states_amount(f"{phrase} Chief Officers raised IT")


@pytest.mark.parametrize("phrase", ["only one", "just two", "Only 3"])
def test_a_model_may_not_state_only_one(phrase):
    assert states_amount(f"{phrase} of the Chief Officers raised IT")


@pytest.mark.parametrize("phrase", ["Seventy per cent", "Twenty-one per cent"])
def test_a_percentage_in_words_is_an_amount(phrase):
    assert states_amount(f"{phrase} of the Chief Officers raised IT")


@pytest.mark.parametrize(("sentence", "read"), [
    ("All but one of 16 Chief Officers raised IT.", [(None, 16, "all but 1")]),
    ("Only one Chief Officer raised IT.", [(1, None, None)]),  # a claim, not an attribution
    ("One Chief Officer raised IT.", []),
    ("Just two of 16 Chief Officers raised IT.", [(2, 16, None)]),
])
def test_all_but_and_only_are_read_as_counts(project: Path, sentence, read):
    claims = ClaimFinder(load_manifest(project)).claims(sentence, "here", section=0, themes=(),
                                                        theme=None)
    assert [(c.count, c.denominator, c.quantifier) for c in claims] == read


@pytest.mark.parametrize(("meaning", "n", "d", "true"), [
    ("1/2", 1, 4, False), ("1/2", 2, 4, True), ("1/4", 2, 4, False), ("1/2", 3, 5, True),
    ("1/3", 5, 16, True), ("1/3", 6, 16, True), ("1/2", 7, 16, True), ("1/2", 9, 16, True),
])
def test_a_fraction_of_a_small_whole_is_near_it(meaning, n, d, true):
    """"Within one" of a fraction let "half of the four small partnerships" stand for one of
    four, a quarter: of a whole under ten the share must also be within a tenth of it."""
    assert holds(meaning, n, d) is true
