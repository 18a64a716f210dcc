"""The one table of quote glyphs and ellipses, as its users read it: the verifier's folding and
mark stripping, the gate's pairing of quote marks, and the editorial readings of ellipses."""

import pytest

from summariser.gate.parse import parse_text
from summariser.gate.quote_marks import quote_spans
from summariser.gate.run import Outcome, evaluate
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.text.glyphs import (
    CLOSING_MARK,
    DOUBLE_CLOSING,
    DOUBLE_OPENING,
    DOUBLE_QUOTE_LIKE,
    SINGLE_QUOTE_LIKE,
    STRAIGHT_DOUBLE,
)
from summariser.verify import CorpusIndex
from summariser.verify.marks import editorial_readings, strip_quote_marks
from summariser.verify.normalise import normalised_text


@pytest.mark.parametrize("mark", SINGLE_QUOTE_LIKE)
def test_every_single_quote_glyph_folds_to_an_apostrophe(mark):
    assert normalised_text(f"it{mark}s {mark}fine{mark}") == "it's 'fine'"


@pytest.mark.parametrize("mark", DOUBLE_QUOTE_LIKE)
def test_every_double_quote_glyph_folds_to_a_straight_one(mark):
    # Single and double marks fold alike: a report prints a respondent's "buy in" as ‘buy in’.
    assert normalised_text(f"{mark}Fine{mark}") == "'fine'"


def test_the_paired_marks_are_among_those_folded():
    paired = set(CLOSING_MARK) | set(CLOSING_MARK.values())
    assert paired <= set(SINGLE_QUOTE_LIKE + DOUBLE_QUOTE_LIKE + "'\"")
    assert set(DOUBLE_OPENING + DOUBLE_CLOSING) <= set(DOUBLE_QUOTE_LIKE)


@pytest.mark.parametrize(("opening", "closing"), CLOSING_MARK.items())
def test_each_pair_of_marks_is_stripped_from_a_quote(opening, closing):
    assert strip_quote_marks(f"{opening}joint working{closing}.") == "joint working"


@pytest.mark.parametrize("opening", DOUBLE_OPENING + STRAIGHT_DOUBLE)
@pytest.mark.parametrize("closing", DOUBLE_CLOSING + STRAIGHT_DOUBLE)
def test_the_gate_pairs_every_double_opening_and_closing_mark(opening, closing):
    text = f"One said {opening}joint working helps{closing} and left."
    [span] = quote_spans(text)
    assert text[span.start : span.end] == "joint working helps"
    assert span.malformed is None and span.notes == ()


@pytest.mark.parametrize("mark", ["...", ". . .", "…", "[...]", "(...)", "[…]", "(…)", "....."])
def test_every_ellipsis_form_splits_a_quote_into_fragments(mark):
    [reading] = editorial_readings(f"joint working {mark} across the partnership")
    assert reading.fragments == ("joint working", "across the partnership")
    assert reading.max_gap_words == (None,)  # an ellipsis allows any gap


@pytest.mark.parametrize("mark", ["...", ". . .", "…", "[...]", "(…)"])
def test_the_gate_names_each_ellipsis_form_as_words_left_out(project, mark):
    manifest = load_manifest(project)
    responses = read_corpus(manifest).responses
    draft = parse_text("## 2.1 What has gone well?\n\n"
                       f"One wrote “Reducing delayed discharge {mark} Teams work openly "
                       "together.” [R01]\n", manifest)
    report = evaluate([draft], CorpusIndex.build(responses), manifest, responses)
    [check] = report.quotes
    assert check.outcome is Outcome.PASS, check.verification.reason
    assert check.marks == ("1 ellipsis(es): words left out",)
