"""The quote verifier: one test per rule, on small corpora written here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from summariser.index.store import Store
from summariser.records import Response, corpus_hash
from summariser.verify import CorpusIndex, QuoteClaim, Status, render_diff, strip_quote_marks
from summariser.verify.cache import corpus_index
from summariser.verify.normalise import normalise

SURVEY = "survey/responses.csv"
TRANSCRIPT = "interviews/interview-01.txt"


def answer(response_id: str, respondent: str, question: str, text: str) -> Response:
    return Response(response_id=response_id, respondent=respondent, question=question,
                    source="survey", source_file=SURVEY, text=text)


def turn(response_id: str, speaker: str, text: str, line: int, *, participant: bool = True
         ) -> Response:
    return Response(response_id=response_id, respondent="I01", question="interview",
                    source="interview-1", source_file=TRANSCRIPT, text=text, row=line,
                    speaker=speaker, is_participant=participant)


RESPONSES = [
    answer("r1-q1", "R1", "gone_well",
           "HSCP front line staff showing great determination to engage in improvement "
           "programmes which is helping to mitigate against significantly inadequate "
           "(overspent) health budgets."),
    answer("r2-q1", "R2", "gone_well",
           "We’ve been able to engage and involve teams across the patch in this work.  "
           "The  challenge\nof local service delivery remains, and we don't underestimate it."),
    answer("r3-q2", "R3", "enablers",
           "Continuing engagement with local communities on the strategic plan, the challenge of "
           "local service delivery and the redesign of services. We closed a gap of 4 million "
           "pounds."),
    answer("r4-q1", "R4", "gone_well",
           "The \ufb01nancial\u00a0position is not sustainable \u2014 every year."),
    answer("r5-q1", "R5", "gone_well",
           "Self\u00addirected sup\u200bport has grown; it’s a “quiet” success."),
    answer("r6-q1", "R6", "gone_well", "Strong partnership with the council."),
    answer("r7-q2", "R7", "enablers", "Strong partnership with the council."),
    answer("r3-q1", "R3", "gone_well", "Locality teams are now fully established across the area."),
    turn("i-1", "Interviewer", "Can you say a bit more about the staffing side?", 10,
         participant=False),
    turn("i-2", "Chief Officer", "The lack of workforce is making the system very vulnerable.", 12),
    turn("i-3", "Interviewer", "So the challenges feed each other.", 14, participant=False),
    turn("i-4", "Chief Officer", "Exactly that. Financial pressure points you towards redesign.",
         16),
]


@pytest.fixture(scope="module")
def index() -> CorpusIndex:
    return CorpusIndex.build(RESPONSES)


def text_of(response_id: str) -> str:
    return next(r.text for r in RESPONSES if r.response_id == response_id)


# --- exact and normalised -------------------------------------------------------------------

def test_raw_substring_of_the_attributed_response_is_exact(index):
    result = index.verify("great determination to engage", response_id="r1-q1")
    assert result.status is Status.EXACT and result.passed
    assert result.span.response_id == "r1-q1" and result.span.respondent == "R1"
    assert result.span.question == "gone_well" and result.span.source_file == SURVEY
    assert text_of("r1-q1")[result.span.start : result.span.end] == "great determination to engage"


def test_straight_quotes_match_curly_ones_after_normalisation(index):
    result = index.verify("We've been able to engage and involve teams", respondent="R2")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "We’ve been able to engage and involve teams"


def test_curly_quotes_match_straight_ones_after_normalisation(index):
    result = index.verify("we don’t underestimate it", response_id="r2-q1")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "we don't underestimate it"


def test_double_quote_marks_fold_both_ways(index):
    assert index.verify('it\'s a "quiet" success', response_id="r5-q1").status is Status.NORMALIZED


def test_double_spaces_and_newlines_are_reflowed(index):
    result = index.verify("this work. The challenge of local service delivery remains",
                          response_id="r2-q1")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "this work.  The  challenge\nof local service delivery remains"


def test_nfkc_folds_ligatures_and_no_break_spaces(index):
    result = index.verify("The financial position is not sustainable", response_id="r4-q1")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "The \ufb01nancial\u00a0position is not sustainable"


def test_dash_variants_fold_to_a_hyphen(index):
    result = index.verify("is not sustainable - every year", response_id="r4-q1")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "is not sustainable \u2014 every year"


def test_soft_hyphens_and_zero_width_characters_are_ignored(index):
    result = index.verify("Selfdirected support has grown", response_id="r5-q1")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "Self\u00addirected sup\u200bport has grown"


def test_a_capitalised_first_letter_passes_as_normalized(index):
    result = index.verify("Engage and involve teams across the patch", response_id="r2-q1")
    assert result.status is Status.NORMALIZED
    assert result.span.text == "engage and involve teams across the patch"


def test_a_changed_comma_fails(index):
    result = index.verify("on the strategic plan; the challenge of local service",
                          response_id="r3-q2")
    assert not result.passed
    assert result.status is Status.NEAR_VERBATIM


def test_a_dropped_full_stop_between_sentences_fails(index):
    assert not index.verify("the redesign of services We closed a gap", response_id="r3-q2").passed


# --- editorial marks --------------------------------------------------------------------------

@pytest.mark.parametrize("mark", ["...", "…", ". . .", "[...]", "(...)", "[…]", " ... ", "....."])
def test_each_ellipsis_form_joins_fragments_in_order(index, mark):
    quote = f"Continuing engagement with local communities{mark}the redesign of services"
    result = index.verify(quote, respondent="R3")
    assert result.status is Status.ELIDED, result.reason
    text = text_of("r3-q2")
    assert [text[a:b] for a, b in result.span.fragments] == [
        "Continuing engagement with local communities", "the redesign of services"]
    assert text[result.span.start : result.span.end] == result.span.text


def test_elided_fragments_out_of_order_fail(index):
    result = index.verify(
        "the redesign of services ... Continuing engagement with local communities",
        respondent="R3")
    assert not result.passed


def test_elided_fragments_from_two_respondents_fail(index):
    result = index.verify(
        "Continuing engagement with local communities ... engage and involve teams")
    assert not result.passed


def test_square_bracket_insertion_may_not_stand_for_other_words(index):
    # "[and]" would stand for "on the strategic plan, the challenge": six words, none a pronoun
    result = index.verify(
        "Continuing engagement with local communities [and] of local service delivery",
        response_id="r3-q2")
    assert result.status is Status.MEANING_CHANGED and not result.passed
    assert "takes the place of “on the strategic plan, the challenge”" in result.reason
    assert ("delete", "on the strategic plan, the challenge") in result.diff


def test_an_ellipsis_may_not_leave_out_a_negation_a_number_or_a_quantity_word():
    index = one_answer("We did not support the closure. Only 25% of staff were told and most "
                       "found out later. Satisfaction rose to 8.6 out of 10.")
    for quote, word in [("We did ... support the closure", "not"),
                        ("Only ... of staff were told", "25%"),
                        ("of staff were told and ... found out later", "most"),
                        ("Satisfaction rose to ... out of 10", "8.6")]:
        result = index.verify(quote)
        assert result.status is Status.MEANING_CHANGED, quote
        assert f"the ellipsis leaves out “{word}”" in result.reason
    # A whole sentence left out takes its negation with it.
    assert index.verify("We did not support ... Satisfaction rose to 8.6").status is Status.ELIDED


def test_square_bracket_insertion_may_name_a_pronoun_or_change_a_tense():
    index = one_answer("It has agreed the budget. The partnership is working well with staff.")
    assert index.verify("[The IJB] has agreed the budget").status is Status.ELIDED
    assert index.verify("The partnership [was] working well with staff").status is Status.ELIDED
    assert index.verify("[T]he partnership is working well").passed
    assert not index.verify("The partnership [is not] working well with staff").passed
    assert not index.verify("The partnership [was barely] working well with staff").passed


def test_square_bracket_insertion_over_six_words_fails(index):
    # "[and]" would stand for "on the strategic plan, the challenge of" - seven words
    result = index.verify(
        "Continuing engagement with local communities [and] local service delivery",
        response_id="r3-q2")
    assert not result.passed


def test_a_leading_insertion_may_replace_the_opening_words(index):
    result = index.verify("[They are] now fully established across the area", respondent="R3")
    assert result.status is Status.ELIDED


def test_an_elided_quote_needs_a_fragment_of_three_words(index):
    result = index.verify("Continuing engagement ... local communities", response_id="r3-q2")
    assert not result.passed
    assert "3 or more words" in result.reason


def test_sic_marks_a_word_without_splitting_the_quote():
    index = one_answer("We did not recieve the funding on time.")
    assert index.verify("We did not recieve [sic] the funding").status is Status.ELIDED
    assert index.verify("recieve [sic] the funding").status is Status.ELIDED
    assert not index.verify("We did recieve [sic] the funding").passed


def test_round_bracket_insertion_passes_with_a_style_warning(index):
    result = index.verify("HSCP front line staff (are) showing great determination",
                          respondent="R1")
    assert result.status is Status.ELIDED
    assert result.warnings == ("editorial insertion (are) belongs in square brackets",)


def test_the_respondents_own_round_brackets_pass_as_exact(index):
    result = index.verify("significantly inadequate (overspent) health budgets", respondent="R1")
    assert result.status is Status.EXACT
    assert not result.warnings


def test_only_the_editorial_round_brackets_are_warned_about(index):
    result = index.verify("front line staff (are) showing great determination to engage in "
                          "improvement programmes which is helping to mitigate against "
                          "significantly inadequate (overspent) health budgets", respondent="R1")
    assert result.status is Status.ELIDED
    assert result.warnings == ("editorial insertion (are) belongs in square brackets",)


def one_answer(text: str) -> CorpusIndex:
    return CorpusIndex.build([answer("c1", "C1", "q", text)])


def test_an_altered_aside_of_the_respondent_is_not_an_editorial_insertion():
    index = one_answer("Traffic on Cavemill Rd during peak hours (4pm - 5pm) is heavy.")
    assert index.verify("during peak hours (4pm - 5pm) is heavy").status is Status.EXACT
    assert not index.verify("during peak hours (10pm - 5pm) is heavy").passed
    assert not index.verify("Traffic on Cavemill Rd during peak (hours 4pm - 5pm)").passed
    assert not index.verify("Traffic on Cavemill Rd during peak hours (4pm - 6pm)").passed


def test_an_aside_moved_after_an_ellipsis_is_not_an_editorial_insertion():
    index = one_answer("Widen the road (but not the bridge). It makes no sense.")
    assert not index.verify("It makes no sense ... (but not the bridge)").passed


def test_a_round_insertion_must_touch_the_quoted_words():
    index = one_answer("Not much. Savings plans are in place.")
    assert not index.verify("(left turn, straight, right turn). […] Not much. Savings plans").passed
    assert index.verify("(We have) not much. Savings plans").status is Status.ELIDED


def test_only_a_short_plain_round_group_can_be_an_insertion():
    index = one_answer("Bowling Green needs more walk friendly areas and trails.")
    assert index.verify("(We said) Bowling Green needs more walk friendly areas").passed
    assert index.verify("(the city of) Bowling Green needs more walk friendly areas").passed
    assert not index.verify("(walking, biking, etc) Bowling Green needs more walk friendly").passed
    assert not index.verify("(as we all know in the city) Bowling Green needs more walk").passed


def test_marks_inside_the_respondents_brackets_are_read_as_marks():
    index = one_answer("Have room for three lanes (left turn, straight, right turn).")
    assert index.verify("three lanes (left [...] right turn)").status is Status.ELIDED
    assert index.verify("Have room for three lanes (left [turns], straight, right turn)"
                        ).status is Status.ELIDED


# --- corruption ---------------------------------------------------------------------------

def test_truncating_the_last_word_fails(index):
    result = index.verify("the challenge of local service deliv", response_id="r3-q2")
    assert not result.passed


def test_starting_mid_word_fails(index):
    result = index.verify("ntinuing engagement with local communities", response_id="r3-q2")
    assert not result.passed


def test_cutting_a_contraction_fails(index):
    # "don" is a substring of "don't" ending at a joiner: not a word boundary
    assert not index.verify("and we don", response_id="r2-q1").passed


def test_a_changed_number_fails(index):
    result = index.verify("We closed a gap of 5 million pounds", response_id="r3-q2")
    assert result.status is Status.NEAR_VERBATIM


def test_an_added_not_fails(index):
    result = index.verify("Locality teams are not now fully established", respondent="R3")
    assert result.status is Status.NEAR_VERBATIM


def test_a_removed_not_fails(index):
    assert not index.verify("The financial position is sustainable", response_id="r4-q1").passed


def test_near_verbatim_shows_the_source_span_and_a_word_diff(index):
    result = index.verify("Continuing engagement with national communities on the strategic plan",
                          response_id="r3-q2")
    assert result.status is Status.NEAR_VERBATIM and not result.passed
    assert result.span.text == "Continuing engagement with local communities on the strategic plan"
    assert ("delete", "local") in result.diff and ("insert", "national") in result.diff
    assert render_diff(result.diff) == ("Continuing engagement with [-local-] {+national+} "
                                        "communities on the strategic plan")
    assert result.similarity is not None and 70 <= result.similarity < 100


def test_a_paraphrase_is_not_found(index):
    result = index.verify(
        "Partnership working with the council has been strong and steady throughout")
    assert result.status is Status.NOT_FOUND


# --- attribution ----------------------------------------------------------------------------

def test_a_quote_in_another_respondents_answer_is_misattributed_and_says_whose(index):
    result = index.verify("great determination to engage in improvement programmes",
                          respondent="R2")
    assert result.status is Status.MISATTRIBUTED and not result.passed
    assert result.span.respondent == "R1" and result.span.response_id == "r1-q1"
    assert "R1" in result.reason


def test_a_quote_from_the_same_respondents_other_question_is_misattributed(index):
    result = index.verify("Locality teams are now fully established", respondent="R3",
                          questions=["enablers"])
    assert result.status is Status.MISATTRIBUTED
    assert result.span.question == "gone_well"


def test_an_unknown_response_id_is_a_failure(index):
    result = index.verify("Strong partnership with the council", response_id="no-such-id")
    assert result.status is Status.MISATTRIBUTED
    assert "no such response" in result.reason


def test_unattributed_quote_found_once_is_unique(index):
    result = index.verify("the lack of workforce is making the system very vulnerable")
    assert result.status is Status.NORMALIZED and result.unique is True
    assert result.span.response_id == "i-2" and not result.alternatives


def test_unattributed_quote_found_twice_is_not_unique_and_lists_both(index):
    result = index.verify("Strong partnership with the council")
    assert result.passed and result.unique is False
    assert {result.span.respondent, *(s.respondent for s in result.alternatives)} == {"R6", "R7"}
    assert result.warnings


def test_unattributed_search_is_limited_to_the_sections_questions(index):
    result = index.verify("Strong partnership with the council", questions=["enablers"])
    assert result.passed and result.unique is True and result.span.respondent == "R7"
    outside = index.verify("great determination to engage", questions=["enablers"])
    assert outside.status is Status.MISATTRIBUTED and outside.span.question == "gone_well"


# --- interviews ---------------------------------------------------------------------------

def test_the_interviewers_words_never_verify(index):
    result = index.verify("Can you say a bit more about the staffing side?")
    assert result.status is Status.INTERVIEWER and not result.passed
    assert "interviewer" in result.reason
    attributed = index.verify("So the challenges feed each other", respondent="I01")
    assert attributed.status is Status.INTERVIEWER


def test_a_participants_turn_verifies(index):
    result = index.verify("Financial pressure points you towards redesign", respondent="I01",
                          questions=["interview"])
    assert result.status is Status.EXACT and result.span.speaker == "Chief Officer"


def test_a_quote_across_two_turns_fails(index):
    result = index.verify("So the challenges feed each other. Exactly that.")
    assert not result.passed
    assert "two turns" in result.reason


# --- offsets, index persistence -------------------------------------------------------------

@pytest.mark.parametrize("quote, response_id", [
    ("this work. The challenge of local", "r2-q1"),
    ("financial position is not", "r4-q1"),
    ("Selfdirected support has grown", "r5-q1"),
    ("it's a \"quiet\" success", "r5-q1"),
    ("Continuing engagement with local communities … the redesign of services", "r3-q2"),
])
def test_span_offsets_point_into_the_original_text(index, quote, response_id):
    result = index.verify(quote, response_id=response_id)
    assert result.passed
    text = text_of(response_id)
    assert text[result.span.start : result.span.end] == result.span.text
    assert normalise(result.span.text).text.endswith(normalise(quote.split("…")[-1].strip()).text)


def test_normalise_maps_every_character_back_to_its_source():
    original = "A\u00a0\ufb01ne\u00ad  Stra\u00dfe\u2014“ok”"
    normalised, offsets = normalise(original)
    assert normalised == "a fine strasse - 'ok'"  # an em dash is a spaced hyphen
    start, end = offsets.to_original(normalised.index("fine"), normalised.index("fine") + 4)
    assert original[start:end] == "\ufb01ne"
    start, end = offsets.to_original(normalised.index("strasse"), normalised.index("strasse") + 7)
    assert original[start:end] == "Stra\u00dfe"


def _store_of(responses, path) -> Store:
    store = Store(path)
    store.replace_corpus(responses, [])
    return store


def test_a_store_index_is_built_from_its_corpus_and_rebuilt_when_the_corpus_changes(tmp_path):
    store = _store_of(RESPONSES, tmp_path / "store")
    first = corpus_index(store)
    assert first.corpus_hash == corpus_hash(RESPONSES)
    assert first.verify("Strong partnership with the council").passed
    assert corpus_index(store) is first  # the same corpus: built once per process
    changed = [dataclasses.replace(RESPONSES[0], text="Entirely new words from the first answer.")]
    store.replace_corpus([*changed, *RESPONSES[1:]], [])
    second = corpus_index(store)
    assert second is not first
    assert second.verify("Entirely new words from the first answer", response_id=changed[0].response_id).passed


def test_pickle_files_left_by_an_older_index_cache_are_deleted_unread(tmp_path):
    import pickle

    store = _store_of(RESPONSES, tmp_path / "store")
    marker = tmp_path / "unpickled"

    class RunsCodeWhenLoaded:
        def __init__(self, path: Path):
            self.path = path

        def __reduce__(self):
            return (Path.touch, (self.path,))

    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(RunsCodeWhenLoaded(probe)))
    assert probe.exists()  # loading such a file would run its code
    old = store.path / "verify-index-0123456789abcdef.pickle"
    old.write_bytes(pickle.dumps(RunsCodeWhenLoaded(marker)))
    partial = store.path / "verify-index-0123456789abcdef.partial"
    partial.write_bytes(b"half written")
    assert corpus_index(store).verify("Strong partnership with the council").passed
    assert not old.exists() and not partial.exists()
    assert not marker.exists()
    assert not list(store.path.glob("*.pickle"))


def test_corpus_hash_changes_when_any_response_text_changes():
    before = corpus_hash(RESPONSES)
    for i, response in enumerate(RESPONSES):
        changed = [*RESPONSES]
        changed[i] = dataclasses.replace(response, text=response.text + " ")
        assert corpus_hash(changed) != before
    assert CorpusIndex.build(RESPONSES).corpus_hash == before


def test_duplicate_response_ids_are_refused():
    with pytest.raises(ValueError, match="used twice"):
        CorpusIndex.build([RESPONSES[0], RESPONSES[0]])


# --- helpers ----------------------------------------------------------------------------------

def test_verify_many_gives_the_same_as_verify_one_by_one(index):
    claims = [QuoteClaim("great determination", response_id="r1-q1"),
              "Strong partnership with the council"]
    assert index.verify_many(claims) == [index.verify("great determination", response_id="r1-q1"),
                                         index.verify("Strong partnership with the council")]


@pytest.mark.parametrize("quoted, plain", [
    ("“continuing engagement with the community”.", "continuing engagement with the community"),
    ('"We have been able"', "We have been able"),
    ("‘set aside’", "set aside"),
    ("“it’s ‘fine’”", "it’s ‘fine’"),
    ("no marks at all", "no marks at all"),
])
def test_strip_quote_marks_removes_one_layer(quoted, plain):
    assert strip_quote_marks(quoted) == plain


def test_only_exact_normalized_and_elided_pass():
    assert Status.MEANING_CHANGED.passed is False
    assert {s for s in Status if s.passed} == {Status.EXACT, Status.NORMALIZED, Status.ELIDED}


def test_an_empty_quote_is_not_found(index):
    assert index.verify(" … ").status is Status.NOT_FOUND


def test_a_short_quote_with_a_name_withheld_is_found_whole():
    """"Mr [name] explained everything." masks a name in a quote of four words: the words
    either side are one run with it, not fragments stitched from scraps. The report that
    masked it failed its own gate ("An elided quote needs a fragment of 3 or more words")."""
    index = CorpusIndex.build([answer("p1", "P1", "good", "Mr Henderson explained everything."),
                               answer("p2", "P2", "good", "Julie was lovely.")])
    for quote, response_id in (("Mr [name] explained everything.", "p1"),
                               ("[name] was lovely.", "p2")):
        result = index.verify(quote, response_id=response_id)
        assert result.passed, (quote, result.reason)
    # Still no stitching: an ellipsis, or a fragment too short beside another insertion.
    assert not index.verify("Mr [name] … everything.", response_id="p1").passed
    assert not index.verify("Mr [doctor] explained everything.", response_id="p1").passed


def test_a_name_typed_small_may_be_withheld_but_no_word_english_knows():
    """The report masks a listed name as written ("my manager kelly"); its gate refused the
    report it had masked ("[name] takes the place of “kelly”"). A word English knows, written
    small, may be what was said ("the food was [name]"): never withheld."""
    index = CorpusIndex.build([answer("p1", "P1", "good", "my manager kelly is fantastic"),
                               answer("p2", "P2", "good", "the food was terrible today")])
    result = index.verify("my manager [name] is fantastic", response_id="p1")
    assert result.passed, result.reason
    assert not index.verify("the food was [name] today", response_id="p2").passed


def test_an_ellipsis_never_leaves_out_a_negation_typed_without_its_apostrophe():
    """"i dont like the new opening hours" was quoted "i … like the new opening hours" and
    passed: "dont" negates as "don't" does."""
    index = CorpusIndex.build([answer("p1", "P1", "q", "i dont like the new opening hours at all")])
    assert not index.verify("i … like the new opening hours at all", response_id="p1").passed
    assert index.verify("i dont like the new opening hours", response_id="p1").passed
