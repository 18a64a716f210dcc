"""Coding decides who counts: every counted person has a segment of their own coded to the theme."""

from __future__ import annotations

import numpy as np

from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.coding import ASSIGNED_FLOOR, code
from summariser.records import Passage, content_hash

ANSWERS = {
    "R01": "Strong performance on reducing delayed discharge. Our locality teams are established.",
    "R02": "Locality planning groups up and running in all 4 localities.",
    "R03": "Agreeing budgets took until well into the year.",
    "R04": "Money.",
    "R05": "Delayed discharges fell after we opened the step-down beds.",
    "R06": "People stuck in hospital waiting to go home has come down a lot.",
    "R07": "More audiobooks for children.",
}


def _passages() -> list[Passage]:
    from summariser.index.split import passage_spans

    out = []
    for who, text in ANSWERS.items():
        for start, end in passage_spans(text):
            out.append(Passage(content_hash(who, str(start)), f"s:{who}", who, "q", "s", "f.csv",
                               start, end, text[start:end]))
    return out


def test_a_phrase_codes_every_segment_that_uses_it_and_nothing_else(minilm):
    passages = _passages()
    vectors = minilm.embed([p.text for p in passages])
    book = Codebook("s", (CodebookTheme("dd", "Delayed discharge", phrases=("delayed discharge",),
                                        by_meaning=False),))
    coding = code(book, passages, vectors, minilm.embed)
    [theme] = coding.themes
    assert {s.passage.respondent for s in theme.segments} == {"R01", "R05"}
    assert all(s.via == "phrase" and s.phrase == "delayed discharge" for s in theme.segments)
    # R01's locality sentence is not evidence: only the sentence that says it is.
    assert [s.passage.text for s in theme.segments if s.passage.respondent == "R01"] == [
        "Strong performance on reducing delayed discharge."]


def test_meaning_adds_people_who_say_it_in_other_words_and_exclude_removes(minilm):
    passages = _passages()
    vectors = minilm.embed([p.text for p in passages])
    theme = CodebookTheme("dd", "Delayed discharge",
                          "People kept in hospital when they are ready to go home.",
                          phrases=("delayed discharge",))
    other = CodebookTheme("lib", "Library books", "Books and audiobooks for children.")
    coding = code(Codebook("s", (theme, other)), passages, vectors, minilm.embed)
    people = {s.passage.respondent: s.via for s in coding.themes[0].segments}
    assert people.get("R06") == "meaning" and people["R05"] == "phrase"
    assert "R07" not in people and "R03" not in people
    excluded = CodebookTheme("dd", "Delayed discharge", theme.description,
                             phrases=("delayed discharge",), exclude=("step-down",))
    coding = code(Codebook("s", (excluded,)), passages, vectors, minilm.embed)
    assert "R05" not in {s.passage.respondent for s in coding.themes[0].segments}


def test_answers_coded_to_no_theme_are_reported_not_dropped(minilm):
    passages = _passages()
    vectors = minilm.embed([p.text for p in passages])
    book = Codebook("s", (CodebookTheme("b", "Budgets", phrases=("budget",), by_meaning=False),))
    coding = code(book, passages, vectors, minilm.embed)
    uncoded = {p.respondent for p in coding.uncoded}
    assert uncoded == set(ANSWERS) - {"R03"}
    assert len(coding.uncoded) + len(coding.themes[0].segments) == len(passages)


def test_a_model_assignment_far_from_the_theme_is_rejected_and_listed(minilm):
    passages = _passages()
    vectors = minilm.embed([p.text for p in passages])
    book = Codebook("s", (CodebookTheme("dd", "Delayed discharge", "Hospital discharge delays.",
                                        by_meaning=False),))
    by_id = {p.respondent: p.passage_id for p in passages}
    coding = code(book, passages, vectors, minilm.embed,
                  assignments={"dd": [by_id["R07"], by_id["R06"], "no-such-id"]})
    coded = {s.passage.respondent: s for s in coding.themes[0].segments}
    assert "R07" not in coded and [r.passage.respondent for r in coding.rejected] == ["R07"]
    assert coded["R06"].via == "model" and coded["R06"].similarity >= ASSIGNED_FLOOR


def test_coding_does_not_depend_on_the_order_of_the_passages(minilm):
    passages = _passages()
    vectors = minilm.embed([p.text for p in passages])
    book = Codebook("s", (CodebookTheme("dd", "Delayed discharge", "Getting people home from "
                                        "hospital.", phrases=("delayed discharge",)),))
    first = code(book, passages, vectors, minilm.embed)
    order = np.random.default_rng(3).permutation(len(passages))
    second = code(book, [passages[i] for i in order], vectors[order], minilm.embed)
    assert ({s.passage.passage_id for s in first.themes[0].segments}
            == {s.passage.passage_id for s in second.themes[0].segments})
