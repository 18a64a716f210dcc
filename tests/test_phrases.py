"""Phrase matching (codebook phrases in segments) and candidate phrases for naming themes."""

from __future__ import annotations

import pytest

from summariser.draft.phrases import Phrase, candidates, fold, surface_form


@pytest.mark.parametrize("phrase, text, found", [
    ("delayed discharge", "Big reduction in Delayed Discharges this year.", True),
    ("budget", "agreeing budgets for 16/17", True),
    ("community", "engagement in remote communities", True),
    ("tax", "reduce property taxes", True),
    ("hold your nerve", "Prepare the ground well. Hold your nerve.", True),
    ("hold your nerve", "hold the nerve centre", False),
    ("GP", "GPs are hard to recruit", True),  # capitals: matches only in capitals
    ("GP", "a gp surgery", False),
    ("GP", "GP recruitment remains our biggest risk", True),
    ("LIST", "a list of priorities", False),
    ("LIST", "Support from our LIST analyst", True),
    ("discharge", "dischargeable", False),  # whole words only
    ("co-location", "helped by co-location.", True),
    ("we’re", "we're going", True),
])
def test_phrase_matching(phrase, text, found):
    assert Phrase.of(phrase).found_in(text) is found


def test_fold_makes_singular_and_plural_one_word():
    assert fold("businesses") == fold("business") and fold("taxes") == fold("tax")
    assert fold("localities") == fold("locality") and fold("Budgets") == "budget"
    assert fold("process") == "process" and fold("status") == "status"


def test_candidates_are_content_runs_without_fillers_or_function_words_at_the_edges():
    found = candidates("Yeah, we're gonna need more GP recruitment in the rural areas, really.")
    assert "gp recruitment" in found and "rural area" in found
    assert not {"yeah", "gonna", "really", "the rural", "need more", "in the"} & found


def test_surface_form_keeps_acronyms_and_names_and_lowercases_sentence_capitals():
    texts = ["GP recruitment is hard.", "Some success with GP recruitment here.",
             "Delayed discharge fell.", "We cut delayed discharge again.",
             "Bowling Green needs parks.", "I love Bowling Green."]
    assert surface_form("gp recruitment", texts) == "GP recruitment"
    assert surface_form("delayed discharge", texts) == "delayed discharge"
    assert surface_form("bowling green", texts) == "Bowling Green"


@pytest.mark.parametrize(("phrase", "texts", "shown"), [
    ("policy", ["Our policies are bad.", "The policies."], "policies"),
    ("box", ["Boxes here.", "More boxes."], "boxes"),
    ("waiting time", ["Waiting times are long.", "waiting times"], "waiting times"),
    ("don't know", ["I don’t know.", "Don’t know"], "don’t know"),
    ("passenger sitting", ["Passengers sitting on the plane.", "All passengers sitting."],
     "passengers sitting"),
    ("GP", ["No GP appointments.", "The GP said no."], "GP"),
])
def test_a_phrase_is_shown_as_people_wrote_it(phrase: str, texts: list[str], shown: str):
    """A folded phrase is found in the answers that hold its first word whatever folding
    changed ("policy" in "policies"), and shown in their words."""
    assert surface_form(phrase, texts) == shown
