"""The one sentence splitter: where sentences end, and spans that index the original text."""

import random
import re

import pytest

from summariser.text import sentences as splitter
from summariser.text.sentences import sentence_spans, sentences


def assert_exact_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans in order, without overlap, trimmed, and covering every non-space character."""
    covered = 0
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        covered += sum(not c.isspace() for c in piece)
        previous_end = end
    assert covered == sum(not c.isspace() for c in text)


def said(text: str, **options) -> list[str]:
    found = sentences(text, **options)
    for offset, sentence in found:
        assert text[offset : offset + len(sentence)] == sentence
    assert_exact_spans(text, sentence_spans(text, **options))
    return [sentence for _, sentence in found]


@pytest.mark.parametrize(("text", "expected"), [
    ("We met at St. Mary's hospital. It went well.",
     ["We met at St. Mary's hospital.", "It went well."]),
    ("The clinic closed at 3 p.m. yesterday. Nobody was told.",
     ["The clinic closed at 3 p.m. yesterday.", "Nobody was told."]),
    ("The U.K. budget is tight. We manage.", ["The U.K. budget is tight.", "We manage."]),
    ("Decisions come from No. 10 Downing Street. Not from us.",
     ["Decisions come from No. 10 Downing Street.", "Not from us."]),
    ("Some things, e.g. funding, matter. Others do not.",
     ["Some things, e.g. funding, matter.", "Others do not."]),
    ("Dr. Smith and Mrs. Jones agreed, i.e. the board did. Then what?",
     ["Dr. Smith and Mrs. Jones agreed, i.e. the board did.", "Then what?"]),
])
def test_abbreviations_do_not_end_a_sentence(text, expected):
    assert said(text) == expected


def test_line_breaks_end_a_sentence_in_answers():
    text = "Things that helped:\n- joint budgets\r\n- shared IT\n\n  Staff. Leadership"
    assert said(text) == ["Things that helped:", "- joint budgets", "- shared IT", "Staff.",
                          "Leadership"]


def test_line_breaks_are_spaces_in_wrapped_prose():
    text = "Raised by four of 16\nChief Officers (25%). Most\r\nagreed."
    assert said(text, line_breaks=False) == ["Raised by four of 16\nChief Officers (25%).",
                                             "Most\r\nagreed."]


def test_spans_index_text_with_non_ascii_curly_quotes_and_crlf():
    text = ("  Café staff said “It works. Mostly.” Then left.\r\nNaïve plans fail… "
            "Ça va? 日本語の文。 Budgets ‘hold’ — for now.\r\n\r\n")
    found = said(text)
    assert found[0] == "Café staff said “It works. Mostly.”"
    assert found[-1] == "Budgets ‘hold’ — for now."
    assert not any("\r" in sentence for sentence in found)


def test_a_piece_without_letters_joins_the_sentence_before_it():
    # pysbd makes the second stop of "area.." a sentence of its own.
    assert said("Very dangerous area.. very much so for a school.") == [
        "Very dangerous area..", "very much so for a school."]


@pytest.mark.parametrize("text", [
    "It is late. . . . We left!! ?!",  # pysbd's spans drop the final "?!"
    "Done. 1. . . .",  # pysbd's spans overlap, and drop the last stop
    "End! ?!",
])
def test_spans_cover_the_text_where_pysbd_loses_or_overlaps_characters(text):
    said(text)


def _long_text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = ("the budget was tight and staff in St. Mary's were stretched across "
                  "services e.g. care homes in the U.K. partnership café ‘winter’").split()
    parts, count = [], 0
    while count < words:
        size = rng.randint(4, 30)
        sentence = " ".join(rng.choice(vocabulary) for _ in range(size))
        parts.append(sentence[0].upper() + sentence[1:] + rng.choice([".", ".", "?", "!"]))
        count += size
    return " ".join(parts)


def test_a_5000_word_answer_keeps_exact_offsets():
    text = _long_text(5000, seed=1)
    spans = sentence_spans(text)
    assert_exact_spans(text, spans)
    assert len(spans) > 200
    # every sentence ends where the generator ended one
    assert all(re.search(r"[.?!]$", text[a:b]) for a, b in spans)


def test_windows_split_a_long_line_as_one_pass_would(monkeypatch):
    text = _long_text(1500, seed=2)
    windowed = sentence_spans(text)
    monkeypatch.setattr(splitter, "WINDOW", len(text) + 1)
    assert sentence_spans(text) == windowed


def test_blank_text_has_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans(" \n\r\n\t ") == []
