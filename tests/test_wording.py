"""Number wording and rounding: the words a report prints, and the one rounding rule that the
report, the statistics and the publication gate share."""

from decimal import Decimal
from fractions import Fraction

import pytest

from summariser.gate.numbers import percent_outcome
from summariser.gate.records import Outcome
from summariser.text.amounts import mentions_quantity
from summariser.text.wording import (
    capitalised,
    count_noun,
    count_text,
    half_up,
    head_noun,
    number_value,
    number_word,
    percent_text,
    rounded,
)

NOUN = ("Chief Officer", "Chief Officers")
WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def test_counts_up_to_ten_are_words_zero_is_no_and_larger_ones_are_digits():
    assert number_word(0) == "no"
    assert [number_word(n) for n in range(1, 11)] == WORDS
    assert [number_word(n) for n in (11, 16, 120)] == ["11", "16", "120"]


@pytest.mark.parametrize(("word", "value"), [
    ("16", 16), ("four", 4), ("Four", 4), ("zero", 0), ("no", 0), ("nineteen", 19),
    ("twenty", 20), ("twenty-one", 21), ("Twenty one", 21), ("ninety-nine", 99)])
def test_number_value_reads_digits_and_words(word, value):
    assert number_value(word) == value


def test_number_value_reads_back_every_number_word():
    assert [number_value(number_word(n)) for n in range(0, 101)] == list(range(0, 101))


@pytest.mark.parametrize("word", ["eleventy", "twenty-ten", "ten-one", "several", ""])
def test_number_value_refuses_what_is_not_a_number(word):
    with pytest.raises(ValueError, match="not a number"):
        number_value(word)


def test_capitalised_raises_only_the_first_letter():
    assert capitalised("four") == "Four"
    assert capitalised("iHub support") == "IHub support"  # str.capitalize would lower the H
    assert capitalised("16 of 31") == "16 of 31"
    assert capitalised("") == ""


def test_count_phrases_in_the_singular_and_plural():
    assert count_noun(1, NOUN) == "one Chief Officer"
    assert count_noun(4, NOUN) == "four Chief Officers"
    assert count_noun(0, NOUN) == "no Chief Officers"
    assert count_noun(12, NOUN, capital=True) == "12 Chief Officers"
    assert count_noun(2, ("interview transcript", "interview transcripts"), capital=True) == \
        "Two interview transcripts"


def test_count_text_states_the_count_denominator_and_share():
    assert count_text(4, 16, NOUN) == "four of 16 Chief Officers (25%)"
    assert count_text(4, 16, NOUN, capital=True) == "Four of 16 Chief Officers (25%)"
    assert count_text(13, 16, NOUN) == "13 of 16 Chief Officers (81%)"
    assert count_text(1, 1, NOUN) == "one of 1 Chief Officer (100%)"
    assert count_text(0, 0, NOUN) == "no of 0 Chief Officers"  # no denominator, no share


def test_everyone_is_all_of_them_as_a_report_would_say_it():
    # "Nine of 9 Chief Officers (100%)" read as a form filled in; the gate reads "all nine ...
    # (100%)" as the count nine (tests/test_gate_edges.py, a renamed heading's "all 16"), and
    # "both" as all of them.
    assert count_text(9, 9, NOUN, capital=True) == "All nine Chief Officers (100%)"
    assert count_text(16, 16, NOUN) == "all 16 Chief Officers (100%)"
    assert count_text(2, 2, NOUN, capital=True) == "Both Chief Officers (100%)"


def test_halves_round_up_so_complementary_shares_add_up():
    # 10 and 6 of 16 are 62.5% and 37.5%: Python's round() printed 62% and 38%.
    assert count_text(10, 16, NOUN) == "ten of 16 Chief Officers (63%)"
    assert count_text(6, 16, NOUN) == "six of 16 Chief Officers (38%)"
    assert percent_text(1, 8) == "13%"
    assert percent_text(5, 8) == "63%"
    assert percent_text(2, 16) == "13%"
    assert percent_text(2, 3) == "67%"
    assert percent_text(1, 3) == "33%"
    assert percent_text(2, 3, places=1) == "66.7%"
    assert percent_text(1, 16, places=1) == "6.3%"


@pytest.mark.parametrize(("value", "places", "printed"), [
    (7.25, 1, "7.3"), (8.5625, 1, "8.6"), (100 * 16 / 31, 0, "52"), (8.0, 1, "8.0"),
    (2.675, 2, "2.68"),  # the float is just below 2.675 in binary; people read 2.675
    (0.05, 1, "0.1"), (-2.5, 0, "-3"), (Fraction(125, 2), 0, "63"), (Decimal("1.45"), 1, "1.5"),
    (12, 0, "12"), (None, 1, "")])
def test_rounded_rounds_half_up(value, places, printed):
    assert rounded(value, places) == printed


def test_half_up_is_exact_for_fractions():
    assert half_up(Fraction(1, 8) * 100) == Decimal(13)
    assert half_up(Fraction(1, 3) * 100, 2) == Decimal("33.33")


@pytest.mark.parametrize("places", [0, 1])
def test_the_gate_accepts_every_percentage_the_report_prints(places):
    for denominator in range(1, 41):
        for count in range(denominator + 1):
            printed = percent_text(count, denominator, places).removesuffix("%")
            outcome, reason = percent_outcome(count, denominator, printed)
            assert outcome is Outcome.PASS, reason


def test_the_gate_warns_when_a_half_is_rounded_down():
    outcome, reason = percent_outcome(10, 16, "62")
    assert outcome is Outcome.WARNING
    assert "rounds to 63%" in reason


@pytest.mark.parametrize(("text", "states"), [
    ("Most said the budget was tight.", True), ("Three partnerships agreed.", True),
    ("Thirteen partnerships agreed.", True), ("Twenty-one said so.", True),
    ("a few mentioned it", True), ("16 of 31", True),
    ("Staff felt valued and supported.", False), ("Someone mentioned housing.", False)])
def test_mentions_quantity(text, states):
    assert mentions_quantity(text) is states


def test_large_counts_are_grouped_by_thousands_and_the_gate_reads_them_back():
    """"Raised by 1319 of 9089 customers" is not how a report prints a count: digits are
    grouped ("1,319 of 9,089"), and the gate reads the grouped form as the same numbers (never
    a badly grouped "9,08")."""
    from types import SimpleNamespace

    from summariser.gate.claims import ClaimFinder

    assert [number_word(n) for n in (1319, 9089, 200000)] == ["1,319", "9,089", "200,000"]
    assert count_text(2604, 9089, ("customer", "customers"), capital=True) == \
        "2,604 of 9,089 customers (29%)"
    assert count_text(0, 9089, ("customer", "customers")) == "none of the 9,089 customers (0%)"
    assert number_value("9,089") == 9089
    with pytest.raises(ValueError):
        number_value("9,08")
    manifest = SimpleNamespace(respondent_noun=("customer", "customers"), questions=())
    [claim] = ClaimFinder(manifest).claims("Raised by 1,319 of 9,089 customers (15%).", "lead",
                                           section=1, themes=(), theme=None)
    assert (claim.count, claim.denominator, claim.percent) == (1319, 9089, "15")


def test_a_section_lead_never_opens_with_digits():
    """"12 themes were identified. 2604 of 9089 customers ..." opened the airline section: a
    sentence starts with a word."""
    from summariser.draft.records import Theme
    from summariser.draft.section import lead_paragraph

    themes = [Theme(f"Theme {i}", "", ("R1",), (), f"t{i}", ()) for i in range(12)]
    assert lead_paragraph(themes[:3]).startswith("Three themes were identified")
    lead = lead_paragraph(themes, uncoded=2673, denominator=9089, noun=("customer", "customers"))
    assert lead == ("The 12 themes identified are listed below. In all, 2,673 of 9,089 customers "
                    "(29%) said something these themes do not cover.")
    lead = lead_paragraph(themes, uncoded=2673, silent=412, denominator=9089,
                          noun=("customer", "customers"))
    assert lead.endswith("do not cover. A further 412 (5%) gave no substantive answer.")


@pytest.mark.parametrize(("themes", "said"), [
    (0, "No theme was coded in these answers. Three of 9 customers (33%) said something no theme "
        "covers."),
    (1, "One theme was identified. Three of 9 customers (33%) said something this theme does not "
        "cover."),
    (2, "Two themes were identified. Three of 9 customers (33%) said something these themes do "
        "not cover."),
])
def test_a_lead_speaks_of_the_themes_it_reports(themes: int, said: str):
    """"No theme was coded ... said something these themes do not cover": there were none."""
    from summariser.draft.records import Theme
    from summariser.draft.section import lead_paragraph

    reported = [Theme(f"Theme {i}", "", ("R1",), (), f"t{i}", ()) for i in range(themes)]
    assert lead_paragraph(reported, uncoded=3, denominator=9,
                          noun=("customer", "customers")) == said


def test_a_section_with_no_answer_in_words_has_no_lead():
    """A section of one choice question printed "No theme was coded in these answers." under
    its table: there were no answers in words to code."""
    from summariser.draft.section import lead_paragraph

    assert lead_paragraph([], denominator=0) == ""
    assert lead_paragraph([], silent=2, denominator=9).startswith("No theme was coded")


def test_a_count_opening_a_sentence_is_a_word_or_follows_in_all():
    from summariser.text.wording import opening

    assert opening(count_text(4, 16, NOUN)) == "Four of 16 Chief Officers (25%)"
    assert opening(count_text(0, 16, NOUN)) == "None of the 16 Chief Officers (0%)"
    assert opening(count_noun(12, ("interview", "interviews"))) == "In all, 12 interviews"


@pytest.mark.parametrize(("noun", "head"), [
    (("Chief Officer", "Chief Officers"), "Officers"),
    (("library user", "library users"), "users"),
    (("Member of staff", "Members of staff"), ""),  # its last word is not plural
    (("patient", "patients"), ""),  # one word: the noun itself
])
def test_a_nouns_last_word_stands_for_it_only_in_the_plural(noun, head):
    assert head_noun(noun) == head
