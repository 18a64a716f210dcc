"""A question that asks people to take a side ("Should seafront parking be charged for?"):
those who write about the proposal itself are two themes, for and against, and a codebook
theme's side codes only the segments on that side."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.codebook import Codebook, CodebookTheme, parse_codebook, render_codebook
from summariser.draft.coding import code
from summariser.draft.propose import propose_themes, theme_budget
from summariser.draft.records import read_draft
from summariser.draft.stance import (
    asks_for_a_change,
    asks_for_the_good,
    proposed,
    stance_title,
    thing_of,
    thing_phrase,
)
from summariser.index.split import split_all
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.text.nonanswers import says_nothing

runner = CliRunner()

FOR = {
    "R01": "Yes, charge for it, the money could mend the sea wall.",
    "R02": "A parking charge is fair if it pays for the toilets and the lifeguards.",
    "R03": "Charge the day trippers, we are sick of the traffic every weekend.",
    "R04": "Yes. A small charge would stop people leaving their cars there all day.",
    "R05": "I support a charge as long as residents get a free permit.",
}
AGAINST = {
    "R06": "A charge would drive visitors to other towns along the coast.",
    "R07": "No, a parking charge would finish off the cafes on the front.",
    "R08": "Charging for parking is just another tax on families.",
    "R09": "Please don't charge, the seafront should be free for everyone.",
    "R10": "A charge will only push cars into the side streets where we live.",
}
OTHER = {
    "R11": "The toilets by the pier need cleaning more often.",
    "R12": "More bins along the promenade, it is full of litter in summer.",
    "R13": "Litter is a real problem after sunny weekends.",
    "R14": "The public toilets are filthy and often locked.",
    "R15": "Put more bins near the beach huts.",
    "R16": "Don't know.",
}
MANIFEST = """
[project]
title = "Seafront consultation"
respondent_noun = ["resident", "residents"]

[[sources]]
id = "survey"
path = "responses.csv"
respondent_column = "Ref"
columns = {{ parking = "Parking" }}

[[questions]]
id = "parking"
text = "{question}"

[[sections]]
id = "parking"
number = "1"
title = "Seafront parking"
questions = ["parking"]
"""
ASKS = "Should parking on the seafront be charged for? Please tell us why."


def _section_files(root: Path, question: str, answers: dict[str, str]) -> None:
    """A project of `answers` to `question`, on disk."""
    root.mkdir(parents=True)
    (root / "summariser.toml").write_text(MANIFEST.format(question=question), encoding="utf-8")
    with (root / "responses.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Ref", "Parking"])
        out.writerows(sorted(answers.items()))


def _section(root: Path, question: str, answers: dict[str, str], minilm):
    """A project of `answers` to `question`: its manifest, passages and their vectors."""
    _section_files(root, question, answers)
    manifest = load_manifest(root)
    passages = sorted(split_all(read_corpus(manifest).responses),
                      key=lambda p: (p.response_id, p.start))
    return manifest, passages, minilm.embed([p.text for p in passages])


def _coded(root: Path, question: str, minilm, answers: dict[str, str] | None = None
           ) -> tuple[list[CodebookTheme], dict[str, set[str]]]:
    """The themes proposed for `answers` (by default all of them) and each one's people."""
    answers = answers or {**FOR, **AGAINST, **OTHER}
    manifest, passages, vectors = _section(root, question, answers, minilm)
    themes, _ = propose_themes(passages, vectors, theme_budget(len(answers)), question,
                               manifest.respondent_noun, embed=minilm.embed)
    coding = code(Codebook("parking", tuple(themes)), passages, vectors, minilm.embed)
    return themes, {t.theme.id: {s.passage.respondent for s in t.segments}
                    for t in coding.themes}


@pytest.mark.parametrize(("question", "words"), [
    ("Should gambling advertisements be completely banned during televised sporting events, "
     "and what impact do you think this would have on sports viewing?", {"ban"}),
    ("Do you agree that the council should charge for parking?", {"charge"}),
    ("Should we ban cars from the town centre?", {"ban"}),
    ("Should there be a limit on stakes?", {"limit"}),
    ("Do you think smoking should be banned in parks?", {"ban"}),
    ("Would you support plans to close the branch?", {"close"}),
    ("Do you agree with the proposal to introduce a tourist tax?", {"tax"}),
    ("Should the council introduce a tourist tax?", {"tax"}),
    ("Should the speed limit be cut to 20mph?", {"cut"}),  # the limit is what is cut
    ("Should we extend opening hours?", set()),  # "hours" is no action
    ("What has gone well?", set()),
    ("How could the surgery improve?", set()),
    ("What further action or support nationally would help you to deliver the agenda?", set()),
    ("Should the library open on Sundays?", set()),  # "open" is no thing one is for or against
])
def test_a_question_that_asks_for_a_side_names_what_it_proposes(question: str,
                                                                 words: set[str]):
    assert proposed(question) == words


def test_for_and_against_a_proposal_are_two_themes(tmp_path: Path, minilm):
    themes, people = _coded(tmp_path / "asks", ASKS, minilm)
    sides = {t.tone: t for t in themes if t.tone in ("for", "against")}
    assert set(sides) == {"for", "against"}, [(t.title, t.tone) for t in themes]
    support, opposition = sides["for"], sides["against"]
    assert support.title.startswith("Support for ") and "charge" in support.title
    assert thing_of(opposition.title) == thing_of(support.title)  # of one thing
    backers, opponents = people[support.id], people[opposition.id]
    # Each side counts mostly its own, and few who wrote of it are left (three of ten: R06's
    # "A charge would drive visitors to other towns" is near neither side of "a parking
    # charge" by meaning).
    assert len(backers & set(FOR)) >= 4 and len(backers & set(AGAINST)) <= 1, backers
    assert len(opponents & set(AGAINST)) >= 3 and len(opponents & set(FOR)) <= 1, opponents
    assert len((backers | opponents) & (set(FOR) | set(AGAINST))) >= 7
    assert not (backers | opponents) & set(OTHER)


def test_a_question_that_asks_for_no_side_splits_nothing(tmp_path: Path, minilm):
    themes, _ = _coded(tmp_path / "open", "What do you think about parking on the seafront?",
                       minilm)
    assert not [t for t in themes if t.tone in ("for", "against")]


def test_a_codebook_side_codes_only_its_side(tmp_path: Path, minilm):
    """An analyst's pair of themes, each held to its side by its `tone`; the title says what
    they are of, and survives a trip through the codebook file."""
    themes = (CodebookTheme("a", "Support for a parking charge", phrases=("charge",), tone="for"),
              CodebookTheme("b", "Opposition to a parking charge", phrases=("charge",),
                            tone="against"))
    book = parse_codebook(render_codebook(Codebook("parking", themes), "Seafront parking"),
                          "parking.codebook.toml")
    assert [t.tone for t in book.themes] == ["for", "against"]
    _, passages, vectors = _section(tmp_path / "book", ASKS, {**FOR, **AGAINST, **OTHER}, minilm)
    coding = code(book, passages, vectors, minilm.embed)
    backers, opponents = ({s.passage.respondent for s in t.segments} for t in coding.themes)
    assert not backers & opponents
    # A passage nearer neither side by `SIDE_MARGIN` counts on neither: fewer, none wrong.
    assert len(backers & set(FOR)) >= 4 and not backers & set(AGAINST)
    assert len(opponents & set(AGAINST)) >= 3 and not opponents & set(FOR)


@pytest.mark.parametrize(("title", "texts", "thing"), [
    ("Complete ban", ["We need a complete ban.", "Ban them completely."], "a complete ban"),
    ("Outright ban", ["Not an outright ban."], "an outright ban"),
    ("Parking charges", ["Parking charges hurt the shops."], "parking charges"),
    ("LEZ", ["The LEZ is a good idea."], "LEZ"),
])
def test_a_side_is_of_the_thing_as_its_people_write_it(title: str, texts: list[str],
                                                      thing: str):
    assert thing_phrase(title, texts) == thing
    assert thing_of(stance_title("against", thing)) == thing


@pytest.mark.parametrize(("text", "side"), [
    ("A ban would devastate communities already struggling economically.", "against"),
    ("This ban would hurt gender equality.", "against"),
    ("A ban is too extreme.", "against"),
    ("An outright ban goes too far.", "against"),
    ("A complete ban would save lives.", "for"),
    ("A ban would be a good thing for families.", "for"),
    ("A ban would not hurt anyone.", "for"),  # VADER reads the negation
    # Verdicts on a measure that VADER reads as no feeling, a negation turning them.
    ("A complete ban would be excessive.", "against"),
    ("A ban is long overdue.", "for"),
    ("A ban is not the answer.", "against"),
    ("A ban is not needed.", "against"),
    # Another measure preferred to it.
    ("Watershed restrictions would be better than an outright ban.", "against"),
    ("Education is more effective than banning ads.", "against"),
    ("A ban would be better than nothing.", "for"),
    ("A ban isn't necessary.", "against"),
    ("A ban is far from necessary.", "against"),
    # A verdict on something else, a denied preference, the proposal not the subject: no side
    # in words.
    ("A ban would remove sponsorship that is vital to football clubs.", ""),
    ("Nothing is better than a ban.", ""),
    ("A watershed would not be better than a ban.", ""),
    ("Something other than a ban is needed.", ""),
    # What VADER reads only faintly is no side in words ("would stop" -0.30): meaning decides.
    ("A ban would stop kids seeing them.", ""),
    ("A ban would reduce sports coverage.", ""),
    ("The ads would devastate families.", ""),  # said of the ads, not of a ban
    ("Gambling ads are too frequent.", ""),
])
def test_what_is_said_of_the_proposal_as_its_subject_takes_a_side(text: str, side: str,
                                                                   minilm):
    from summariser.draft.stance import Sides
    from summariser.records import Passage

    passage = Passage("p1", "r1", "R1", "q", "s", "f.csv", 0, len(text), text)
    read = Sides("a complete ban", minilm.embed).of([passage], minilm.embed([text]), {})
    if side:
        assert read == [side]
    else:
        from summariser.draft.stance import _said_of
        assert _said_of(text, "ban") == ""


def test_a_proposal_one_side_alone_writes_of_is_that_sides_theme(tmp_path: Path, minilm):
    """Five for a charge and one against: too few against for a theme of their own, so the
    theme is the support, and the one against is not counted in it."""
    themes, people = _coded(tmp_path / "one", ASKS, minilm,
                            {**FOR, "R06": AGAINST["R07"], **OTHER})
    sides = [t for t in themes if t.tone in ("for", "against")]
    assert [t.tone for t in sides] == ["for"], [(t.title, t.tone) for t in themes]
    backers = people[sides[0].id]
    assert "R06" not in backers and len(backers & set(FOR)) >= 4


def test_a_proposal_with_no_room_for_two_themes_is_one_that_takes_no_side(tmp_path: Path,
                                                                          minilm):
    manifest, passages, vectors = _section(tmp_path / "tight", ASKS,
                                           {**FOR, **AGAINST, **OTHER}, minilm)
    themes, _ = propose_themes(passages, vectors, 1, ASKS, manifest.respondent_noun,
                               grow=False, embed=minilm.embed)
    assert [t.tone for t in themes] == [""] and "charge" in themes[0].title.lower()
    assert not themes[0].title.startswith(("Support", "Opposition"))


@pytest.mark.parametrize(("answer", "sided", "nothing"), [
    ("No.", False, True), ("No.", True, False), ("Nope, thanks", True, False),
    ("No comment.", True, True), ("Don't know", True, True), ("Nothing really.", True, True),
])
def test_a_bare_no_answers_a_question_that_asks_for_a_side(answer: str, sided: bool,
                                                           nothing: bool):
    assert says_nothing([answer], sided=sided) is nothing


def test_a_bare_no_counts_against_the_proposal_and_the_gate_agrees(tmp_path: Path):
    """To "Should parking be charged for?", "No." is an answer, "Don't know." is not: the
    draft's lead counts one non-answer, the answers that say only "No" count against the
    charge (their "No." is their evidence, and is quoted only when nothing else is), and
    `eval` finds the same."""
    root = tmp_path / "no"
    _section_files(root, ASKS, {**FOR, **AGAINST, **OTHER, "R17": "No.", "R18": "No thanks."})
    assert runner.invoke(app, ["ingest", "-p", str(root)]).exit_code == 0
    result = runner.invoke(app, ["draft", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    draft = read_draft(root / "drafts" / "parking.json")
    assert draft.non_answers == ("survey:R16:parking",)  # "Don't know."
    assert "A further one (6%) gave no substantive answer." in draft.lead, draft.lead
    [against] = [t for t in draft.themes if t.title.startswith("Opposition to")]
    stated = {e.respondent: e.text for e in against.evidence if e.via == "stated"}
    assert stated == {"R17": "No.", "R18": "No thanks."}
    assert not {q.respondent for q in against.quotes} & set(stated)
    [support] = [t for t in draft.themes if t.title.startswith("Support for")]
    assert not {"R17", "R18"} & set(support.respondents)
    checked = runner.invoke(app, ["eval", str(root / "drafts" / "parking.md"), "-p", str(root)])
    assert checked.exit_code == 0, checked.output


# A consultation's answers as people write them: most open by taking a side ("Agree.",
# "Strongly disagree -", a bare "No."), some give it only in what follows.
TAX = "Do you agree with the proposal to introduce a tourist tax of £2 per night? Please explain."
TAX_FOR = {
    "1001": "Agree. Visitors should pay towards the roads and bins they use.",
    "1002": "Yes - a small tourist tax is normal in Europe and nobody stops going to Barcelona.",
    "1003": "Strongly agree, the money should go to keeping the beaches clean.",
    "1004": "I support a tax as long as it is ring-fenced for the town.",
    "1005": "A tourist tax is fair if the money stays local.",
    "1006": "Yes.",
    "1007": "Agree",
}
TAX_AGAINST = {
    "1008": "Disagree. It will put families off coming here.",
    "1009": "No, hotels are struggling enough already.",
    "1010": "Strongly disagree - a tourist tax is just another way to squeeze small businesses.",
    "1011": "A tax like this would hit B&Bs hardest.",
    "1012": "Don't introduce a tax, we need more visitors not fewer.",
    "1013": "No.",
    "1014": "Disagree",
}
TAX_OTHER = {
    "1015": "Not sure.",
    "1016": "The council wastes money already.",
    "1017": "Parking in the summer is the real problem.",
    "1018": "Parking is impossible in August.",
    "1019": "Sort out the parking first.",
    "1020": "Depends what the money is spent on.",
    "1021": "The council should spend money on the seafront.",
}


def test_a_consultation_counts_each_side_and_no_one_on_the_wrong_one(tmp_path: Path):
    root = tmp_path / "tax"
    _section_files(root, TAX, {**TAX_FOR, **TAX_AGAINST, **TAX_OTHER})
    result = runner.invoke(app, ["run", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    draft = read_draft(root / "drafts" / "parking.json")
    sides = {t.title: set(t.respondents) for t in draft.themes
             if t.title.startswith(("Support for", "Opposition to"))}
    assert set(sides) == {"Support for a tourist tax", "Opposition to a tourist tax"}, sides
    backers, opponents = sides["Support for a tourist tax"], sides["Opposition to a tourist tax"]
    assert backers <= set(TAX_FOR) and opponents <= set(TAX_AGAINST)
    assert len(backers) >= 5 and len(opponents) >= 5
    assert {"1006", "1007"} <= backers and {"1013", "1014"} <= opponents  # "Yes.", "No."
    checked = runner.invoke(app, ["eval", str(root / "out" / "report.md")])
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(("question", "good"), [
    ("What was good about your care?", True),
    ("What has gone well?", True),
    ("What did you like most about the service?", True),
    ("What is the best thing about living here?", True),
    ("What could we have done better?", False),
    ("What did you not like?", False),
    ("What went well and what could be improved?", False),
    ("What has hindered progress?", False),
    ("What has enabled progress?", False),
    ("How well were you kept informed?", False),  # a judgment, good or bad
    ("Is there anything else you would like to tell us?", False),
    ("What would you like to tell us about your stay?", False),
    ("What went well, and what didn’t?", False), ("How good was the food?", False),
    ("Did you enjoy the event?", False), ("How would you rate the value for money?", False),
    ("What are your strengths and weaknesses?", False),
    ("Any comments, good or otherwise?", False),
    ("What went well, as well as any other comments?", False),
])
def test_a_question_that_asks_only_for_the_good(question: str, good: bool):
    assert asks_for_the_good(question) is good


@pytest.mark.parametrize(("question", "change"), [
    ("What could we have done better?", True),
    ("If you could change one thing, what should we improve?", True),
    ("What would you do differently?", True),
    ("What was good about your care?", False),
    ("What are the reasons for your score?", False),
    ("Should gambling adverts be banned?", False),
    ("Any complaints?", True), ("What problems did you have?", True),
    ("What didn’t you like about the course?", True),
    ("Should we change the visiting hours?", False),  # yes or no: "No, keep them" is a side
    ("How have the changes affected you?", False),
    ("Has your health got better or worse?", False),
])
def test_a_question_that_asks_what_should_change(question: str, change: bool):
    assert asks_for_a_change(question) is change
