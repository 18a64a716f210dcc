"""Offline themes are ideas, not words: one theme per idea whatever its spelling, no theme of
non-answers, addressees or the respondent noun, praise apart from the rest, interviewees counted
for passages about a theme, and the people no theme counts stated, not dropped."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.coding import code
from summariser.draft.phrases import FUNCTION_WORDS, lemma, tokens
from summariser.draft.propose import non_answers, propose_themes, theme_budget
from summariser.draft.records import read_draft
from summariser.index.split import split_all
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.records import Response
from summariser.text.nonanswers import is_non_answer, opens_with_nothing, says_nothing

runner = CliRunner()

# Feedback to a GP surgery, written as patients write: one idea in several spellings (wait,
# waiting, waited, waits), staff both praised and faulted, answers addressed to the surgery's
# handle, non-answers, and the respondent noun ("patients") everywhere.
ANSWERS = [
    "I had to wait three weeks for an appointment.",
    "Waiting times for appointments are far too long for patients.",
    "The wait to see a doctor is ridiculous.",
    "Long waits every time I book.",
    "I waited over an hour past my appointment time.",
    "You wait weeks just to be seen, like all patients.",
    "The staff are lovely and always helpful.",
    "Friendly staff who really care about patients.",
    "The staff are kind and patient with my mum.",
    "Staff were wonderful when my son was ill.",
    "Great staff, very helpful.",
    "The staff were rude to me on the phone.",
    "Staff were unhelpful and dismissive.",
    "Staff at the desk are abrupt and rude.",
    "Staff never explain anything and seem annoyed.",
    "The car park is always full.",
    "There is nowhere to park near the surgery.",
    "Parking is impossible in the mornings.",
    "Not enough parking spaces for patients.",
    "You can never get through on the phone at 8am.",
    "The phone line is engaged for an hour every morning.",
    "Phoning for an appointment is a nightmare, the line is always busy.",
    "I gave up calling after forty minutes on the phone.",
    "Don't know",
    "Nothing really.",
    "No comment.",
    "Not sure",
    "@GreenSurgery the wait for a routine appointment is three weeks.",
    "@GreenSurgery your staff were lovely yesterday.",
    "@GreenSurgery the car park was full again.",
    "Prescriptions are often not ready when promised.",
    "My repeat prescription was lost twice.",
    "Repeat prescriptions take a week to be ready.",
]
MANIFEST = """
[project]
title = "Surgery feedback"
respondent_noun = ["patient", "patients"]

[[sources]]
id = "survey"
path = "responses.csv"
respondent_column = "Ref"
columns = { improve = "Improve" }

[[questions]]
id = "improve"
text = "How could the surgery improve?"

[[sections]]
id = "improve"
number = "1"
title = "How could the surgery improve?"
questions = ["improve"]
"""


def _project(root: Path, answers: list[str] = ANSWERS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "summariser.toml").write_text(MANIFEST, encoding="utf-8")
    with (root / "responses.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Ref", "Improve"])
        for n, answer in enumerate(answers, 1):
            out.writerow([f"P{n:02d}", answer])
    return root


@pytest.fixture(scope="module")
def surgery(tmp_path_factory, minilm):
    """The surgery's passages and vectors, and its themes as proposed and coded."""
    root = tmp_path_factory.mktemp("surgery") / "project"
    passages, themes, people = _drafted(root, ANSWERS, minilm)
    return root, passages, themes, people


def _drafted(root: Path, answers: list[str], minilm):
    """`answers` as a project's passages, its proposed themes, and each theme's people (by
    theme id) as coded."""
    manifest = load_manifest(_project(root, answers))
    passages = sorted(split_all(read_corpus(manifest).responses),
                      key=lambda p: (p.response_id, p.start))
    vectors = minilm.embed([p.text for p in passages])
    themes, _ = propose_themes(passages, vectors, theme_budget(len(answers)),
                               manifest.questions[0].text, manifest.respondent_noun)
    coding = code(Codebook("improve", tuple(themes)), passages, vectors, minilm.embed)
    people = {t.theme.id: {s.passage.respondent for s in t.segments} for t in coding.themes}
    return passages, themes, people


def _words(title: str) -> set[str]:
    return {lemma(w) for w in tokens(title)} - FUNCTION_WORDS


def test_one_idea_in_several_spellings_is_one_theme(surgery):
    _, _, themes, people = surgery
    waiting = [t for t in themes if "wait" in _words(t.title)]
    assert len(waiting) == 1, [t.title for t in themes]
    # Everyone who wrote wait, waiting, waited or waits is counted in it.
    assert {"P01", "P02", "P03", "P04", "P05", "P06", "P28"} <= people[waiting[0].id]


def test_no_two_titles_share_a_word_and_few_are_bare_keywords(surgery):
    _, _, themes, _ = surgery
    seen: set[str] = set()
    for theme in themes:
        # The two sides of a thing praised and faulted name it both ("... staff").
        if theme.tone != "other":
            assert not _words(theme.title) & seen, [t.title for t in themes]
        seen |= _words(theme.title)
        assert 1 <= len(theme.title.split()) <= 6
    assert sum(len(t.title.split()) == 1 for t in themes) <= len(themes) / 2


def test_non_answers_addressees_and_the_respondent_noun_found_no_theme(surgery):
    _, passages, themes, people = surgery
    titles = " ".join(t.title.lower() for t in themes)
    for word in ("patient", "know", "comment", "sure", "nothing", "greensurgery", "@"):
        assert word not in titles, titles
    quiet = non_answers(passages)
    assert len(quiet) == 4
    silent = {p.respondent for p in passages if p.response_id in quiet}
    assert not any(silent & counted for counted in people.values())


def test_praise_and_criticism_of_one_thing_are_two_themes(surgery):
    _, _, themes, people = surgery
    praise = [t for t in themes if t.tone == "praise"]
    assert len(praise) == 1, [(t.title, t.tone) for t in themes]
    praised = people[praise[0].id]
    assert {"P07", "P08", "P11"} <= praised
    assert not praised & {"P12", "P13", "P14", "P15"}  # the rude, unhelpful, abrupt staff
    other = [t for t in themes if t.tone == "other"]
    assert len(other) == 1 and {"P12", "P13", "P14"} <= people[other[0].id]
    assert not people[other[0].id] & {"P07", "P08", "P11"}
    assert other[0].title == "Criticism of staff", [t.title for t in themes]


# Answers to "What was good about your stay?", as patients write them: the good thing praised in
# plain words, or named and no more ("The night staff", "Food"), which VADER reads as no praise.
GOOD_STAY = [
    "The staff were lovely.", "The night staff.", "Staff", "Friendly staff.",
    "The staff held my hand when I was scared.", "Staff who listened to me.",
    "The staff were kind and caring.", "Great staff, nothing was too much trouble.",
    "The staff on the ward.", "The food was good.", "Food", "The food.", "Lovely food.",
    "Hot food every day.", "Spotlessly clean.", "Clean ward.", "The ward was very clean.",
    "Cleanliness.", "Quick to see me.", "Seen quickly.", "I was seen within the hour.",
]


def test_a_question_that_asks_for_the_good_splits_no_praise(minilm):
    """Every answer to "What was good?" is praise of what it names: the staff named and the
    staff praised are one theme, not "Praise for staff" beside a "Staff" of the rest."""
    passages = split_all([
        Response(f"s:P{n:02d}:good", f"P{n:02d}", "good", "s", "s.csv", text, n)
        for n, text in enumerate(GOOD_STAY, 1)])
    vectors = minilm.embed([p.text for p in passages])
    for question, split in (("What was good about your stay?", False),
                            ("What would you like to tell us about your stay?", True)):
        themes, _ = propose_themes(passages, vectors, theme_budget(len(GOOD_STAY)), question,
                                   ("patient", "patients"))
        staff = [t for t in themes if "staff" in _words(t.title)]
        assert (len(staff) == 2) is split, (question, [(t.title, t.tone) for t in themes])
        if not split:
            assert not any(t.tone for t in themes), [(t.title, t.tone) for t in themes]


def _proposed(root: Path, answers: list[str], minilm) -> dict[str, set[str]]:
    """Each proposed theme's title and the people coded to it, for `answers`."""
    _, themes, people = _drafted(root, answers, minilm)
    return {theme.title: people[theme.id] for theme in themes}


def test_the_idea_most_people_raise_is_a_theme(tmp_path: Path, minilm):
    """Most people raising one thing is the finding, not a word too common to name one: 60% of
    answers about parking make a theme titled by it, counting every one of them."""
    parking = ["Parking is a joke.", "Parking should be free.", "More parking please.",
               "The parking is awful at weekends.", "Parking costs too much.",
               "Sort out the parking.", "Parking, always parking.", "Parking spaces are never free.",
               "Cheaper parking.", "Parking!", "The parking charges put me off.",
               "Parking is impossible after 10am."]
    other = ["Open on Sundays.", "Later opening hours on weekdays.", "Longer opening hours.",
             "Faster wifi.", "The wifi drops all the time.", "More comfortable chairs.",
             "Quieter study rooms."]
    themes = _proposed(tmp_path / "popular", parking + other, minilm)
    [title] = [t for t in themes if "parking" in t.lower()]
    assert themes[title] == {f"P{n:02d}" for n in range(1, 13)}, themes


def test_one_long_answer_cannot_outweigh_the_people_who_each_say_one_thing(tmp_path: Path,
                                                                            minilm):
    """A sentence pasted 200 times in one answer is one person saying one thing: the ideas a
    dozen people raise are still found."""
    answers = ["The car park is always full.", "Parking is impossible at weekends.",
               "More parking spaces please.", "Parking costs too much.", "Free parking.",
               "The car park needs more spaces.", "Open later in the evening.",
               "Longer opening hours.", "Opening hours are too short.", "Open on Sundays.",
               "Later opening hours on weekdays.", "The wifi is slow.", "Faster wifi.",
               "The wifi drops all the time.", "Better wifi please.",
               "I come every week to read the newspapers. " * 200]
    themes = _proposed(tmp_path / "pasted", answers, minilm)
    titles = " ".join(themes).lower()
    assert "park" in titles and "hours" in titles and "wifi" in titles, themes


def test_answers_of_one_word_found_themes(tmp_path: Path, minilm):
    answers = ["Parking."] * 6 + ["Cost"] * 4 + ["Noise."] * 3 + ["Staff"] * 3
    themes = _proposed(tmp_path / "one-word", answers, minilm)
    assert {title: len(who) for title, who in themes.items()} == {
        "Parking": 6, "Cost": 4, "Noise": 3, "Staff": 3}


@pytest.mark.parametrize(("text", "praise"), [
    ("Sort out the parking please.", False),
    ("More parking spaces please, I can never park.", False),
    ("Faster wifi please, the wifi is so slow.", False),
    ("Better parking for disabled visitors.", False),
    ("Parking should be free.", False),
    ("Free parking would be great.", False),
    ("Replace gambling ads with mental health support ads.", False),
    ("The staff are lovely.", True),
    ("Love the library, keep up the good work.", True),
    ("I would recommend it to anyone, great staff.", True),
    ("Excellent service, could not fault it.", True),
    # "super" and "pretty" strengthen what follows: a broadband survey's "Super laggy" theme
    # was marked praise
    ("Super laggy.", False), ("Pretty slow in the evenings.", False),
    ("Super helpful engineer.", True), ("A pretty garden.", True),
    # VADER reads "honest" as praise: "To be honest lost connection ..." was counted as praise
    ("Honestly keeps disconnecting.", False),
    ("To be honest lost connection for a whole weekend, and the internet is so slow!", False),
    ("Tbh paying for 500Mb and getting about 40.", False),
    ("In all honesty the wait was awful.", False),
    ("Honestly, the staff are lovely.", True),
    ("tbh great service", True),
    # how sure, not how good: "Staff clearly stretched" was counted under "Praise for staff"
    ("Staff clearly stretched to breaking point.", False),
    ("I would definitely recommend this ward.", True), ("Truly amazing staff.", True),
    # a "please" asks: "Praise for food and meals" counted "better food please"
    ("Only thing was better food please.", False), ("Please keep up the good work!", True),
    # "nothing" there negates no praise: "Criticism of first class" counted four who said so
    ("Nothing to improve, first class.", True), ("Nothing, it was perfect.", True),
    ("Nothing was done about my pain.", False), ("Nothing good to say.", False),
    # what is wanted, inside an answer: a staff survey's "Praise for pay and salary"
    ("probably better pay.", False), ("An increase in salary would be nice", False),
    ("Easy, really a pay rise that keeps up with inflation, great", False),
    ("Much better service now, thank you", True), ("Staff were great and more than helpful",
                                                   True),
    ("Staff went the extra mile, wonderful", True), ("Never had better service, amazing", True),
    ("Lots more choice this year, brilliant", True), ("No more queues, great new system", True),
    ("The staff were lovely, higher standard than before", True),
    # an answer's framing: "hope" in "Hope that helps" wishes for nothing, and a sign-off
    # praises nothing
    ("The staff are lovely, hope that helps.", True), ("More staff. Hope this helps", False),
    ("It shuts at five when I finish work. Cheers!", False),
    # the thanks, laugh or kiss an answer ends with: "Praise for automatic doors" counted
    # "automatic doors Thanks." in answers to what one change would improve the library
    ("automatic doors Thanks.", False), ("a ramp at the front door lol", False),
    ("somewhere to park thx", False), ("cheaper dvd rental, automatic doors :)", False),
    ("The staff are great, thank you", True), ("Thank you to the staff, they are wonderful",
                                                True), ("Lovely staff x", True),
    # thanks that is all the answer says, or framing words that say something here
    ("Many thanks!", True), ("A big thank you!", True), ("Cheers!", True), ("Easy!", True),
    ("Story time cheers me up", True),
])
def test_a_request_is_not_praise_however_warm_its_words(text, praise):
    """A theme's "Praise for ..." side claims each counted person praised it: "please", a wish
    or a call for more is what someone wants, not what they praise; nor is a speaker's word for
    their own candour ("Honestly") or certainty ("clearly")."""
    from summariser.text.tone import is_praise

    assert is_praise(text) is praise


def test_a_codebook_tone_codes_only_its_side(surgery, minilm):
    root, passages, _, _ = surgery
    book = Codebook("improve", (
        CodebookTheme("a", "Praise for staff", phrases=("staff",), tone="praise"),
        CodebookTheme("b", "Complaints about staff", phrases=("staff",), tone="other")))
    coding = code(book, passages, minilm.embed([p.text for p in passages]), minilm.embed)
    praised, other = ({s.passage.respondent for s in t.segments} for t in coding.themes)
    assert {"P07", "P08", "P11"} <= praised and not praised & {"P12", "P13", "P14"}
    assert {"P12", "P13", "P14"} <= other and not other & {"P07", "P08", "P11"}


def test_non_answers_are_told_from_answers():
    for said in ("Don't know", "DK", "n/a", "Nothing really, thanks!", "No further comments",
                 "Not sure", "Same as above", "I have nothing to add", "?", "-",
                 # "Not at the moment" once founded a theme titled "Moment"
                 "Not at the moment", "No, not at this time.", "Nothing at the moment",
                 # a broadband survey's, once counted as saying something no theme covers
                 "dunno", "x", "XXX", "No reason", "no particular reason.", "See below",
                 "Just because", "N.A.", "Prefer not to say"):
        assert is_non_answer(said), said
    for said in ("Nothing works", "No parking at all", "Not enough staff", "Know your patients",
                 "I don't know why they closed the library", "Not safe at night", "Not well",
                 "Not at all", "Not yet", "Really not", "Because the speed is good",
                 "No reason to leave", "X factor", "All good", "Nothing, keep it up"):
        assert not is_non_answer(said), said
    assert says_nothing(["Don't know.", "Nothing really."])
    assert not says_nothing(["Nothing.", "The staff were lovely."])
    assert not says_nothing([])


@pytest.mark.parametrize(("said", "opens"), [
    ("Nothing, keep up the good work!", True),
    ("nothing at all, everyone was lovely.", True),
    ("Nothing to improve, first class", True),
    ("Can't think of anything - the nurses were so kind", True),
    ("No complaints at all! Brilliant", True),
    ("Nothing I’d change, lovely", True), ("Nothing much, all good", True),
    ("Nothing, but the parking is awful", False),  # a change after all
    ("Don't know, staff were lovely.", False),  # no answer to what should change
    ("Nothing.", False),  # a non-answer, no more
    ("Nothing was explained to me, I was scared.", False),
    ("nothing works, the wifi is down", False),
    ("The nurses were lovely.", False),
])
def test_an_answer_that_opens_with_nothing_and_goes_on(said: str, opens: bool):
    assert opens_with_nothing(said) is opens


# Answers to "What could we have done better?": complaints, and people who say nothing needs to
# change and praise what they had, in words of praise that share no thing ("lovely", "first
# class", "excellent").
MEND = [
    "The food was cold.", "Food was awful, cold and late.", "The food needs improving.",
    "Cold food every day.", "Better food please.", "The car park is always full.",
    "Parking is a nightmare.", "Nowhere to park.", "Parking costs too much.",
    "Cleaning standards need to improve.", "The toilets were dirty.",
    "Nothing, keep up the good work!", "nothing at all, everyone was lovely.",
    "Nothing to improve, first class.", "Nothing, it was all excellent.",
    "Can't think of anything, the care was brilliant.", "Nothing, you were all wonderful.",
    "Nothing.", "n/a",
    # praise beside a change, or after no answer to it: no one who says nothing should change
    "Wonderful care from everyone. The wait in A&E was too long.",
    "Nothing, but the parking is awful.", "Don't know, staff were lovely.",
]


def test_nothing_to_change_with_praise_is_a_finding_of_a_question_that_asks_for_change(
        minilm):
    """"Nothing, keep up the good work!" answers "What could we have done better?": those who
    say so are one theme titled as their finding, not by their words of praise ("Lovely and
    class"), and it counts no one who asks for a change ("Cleaning standards need to
    improve.")."""
    passages = split_all([
        Response(f"s:P{n:02d}:better", f"P{n:02d}", "better", "s", "s.csv", text, n)
        for n, text in enumerate(MEND, 1)])
    passages = [p for p in passages if not is_non_answer(p.text)]
    vectors = minilm.embed([p.text for p in passages])
    themes, _ = propose_themes(passages, vectors, theme_budget(len(MEND)),
                               "What could we have done better?", ("patient", "patients"))
    nothing = [t for t in themes if t.title == "Nothing to improve"]
    assert len(nothing) == 1 and nothing[0].tone == "praise", [t.title for t in themes]
    coding = code(Codebook("better", tuple(themes)), passages, vectors, minilm.embed)
    counted = next({s.passage.respondent for s in t.segments} for t in coding.themes
                   if t.theme.title == "Nothing to improve")
    assert {"P12", "P13", "P14", "P15"} <= counted
    assert not counted & {f"P{n:02d}" for n in (*range(1, 12), 20, 21, 22)}, counted


def test_the_draft_and_report_say_who_no_theme_counts_and_the_gate_checks_it(tmp_path: Path):
    """The lead states the people who said something no theme covers and those who gave no
    substantive answer; `eval` checks both against the coded evidence, and a wrong number
    fails."""
    root = _project(tmp_path / "project")
    assert runner.invoke(app, ["ingest", "-p", str(root)]).exit_code == 0
    result = runner.invoke(app, ["draft", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    draft = read_draft(root / "drafts" / "improve.json")
    assert len(draft.non_answers) == 4 and not set(draft.non_answers) & set(draft.uncoded)
    lead = draft.lead
    assert "(12%) gave no substantive answer." in lead, lead
    markdown = (root / "drafts" / "improve.md").read_text()
    assert lead in markdown
    checked = runner.invoke(app, ["eval", str(root / "drafts" / "improve.md"), "-p", str(root),
                                  "--format", "json"])
    assert checked.exit_code == 0, checked.output
    report = json.JSONDecoder().raw_decode(checked.output[checked.output.index("{"):])[0]
    claims = [n for n in report["numbers"]
              if "no substantive answer" in n["sentence"] or "do not cover" in n["sentence"]]
    assert claims and all(n["outcome"] == "pass" for n in claims)
    wrong = markdown.replace("(12%) gave no substantive answer", "(15%) gave no substantive "
                             "answer").replace("Four (12%)", "Five (15%)")
    assert wrong != markdown
    (root / "drafts" / "improve.md").write_text(wrong)
    failed = runner.invoke(app, ["eval", str(root / "drafts" / "improve.md"), "-p", str(root)])
    assert failed.exit_code == 1
    result = runner.invoke(app, ["report", "-p", str(root), "--formats", "md"])
    assert result.exit_code == 1  # the report refuses a draft that fails the gate


def test_themes_option_sets_how_many_themes(tmp_path: Path):
    root = _project(tmp_path / "project")
    runner.invoke(app, ["ingest", "-p", str(root)])
    result = runner.invoke(app, ["draft", "-p", str(root), "--themes", "3"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(read_draft(root / "drafts" / "improve.json").themes) <= 3
    assert runner.invoke(app, ["draft", "-p", str(root), "--themes", "0"]).exit_code == 2


def test_an_interviewee_counts_for_a_passage_about_a_theme_not_a_word_in_passing(minilm):
    """Turns of an interview that mention teachers once in passing do not count the speaker in a
    theme about teachers; a turn about teachers does."""
    from summariser.records import Passage

    def turn(n: int, who: str, text: str, speaker: str | None = "Parent") -> Passage:
        return Passage(f"p{n}", f"r{n}", who, "interview", "interviews", "i.txt", 0, len(text),
                       text, speaker=speaker)

    passages = [
        turn(1, "I01", "The teachers at the school have been brilliant with our son."),
        turn(2, "I02", "Teachers spend hours after school helping children catch up."),
        turn(3, "I03", "We drove past the teachers' car park and then went to the shops for "
                       "bread and milk before the football match."),
        turn(4, "I04", "My sister, whose friends are mostly teachers, moved to Leeds last year "
                       "and bought a flat near the river."),
        turn(5, "I05", "The bus into town has been cancelled twice this month."),
        turn(6, "I06", "Our council tax went up again and the bins are collected less often."),
        turn(7, "I07", "The new health centre is easier to reach by car."),
        turn(8, "I08", "I would like more evening classes for adults at the library."),
    ]
    vectors = minilm.embed([p.text for p in passages])
    book = Codebook("s", (CodebookTheme("t", "Teachers", "Teachers helping children at school",
                                        phrases=("teachers",)),))
    [coded] = code(book, passages, vectors, minilm.embed).themes
    assert {s.passage.respondent for s in coded.segments} == {"I01", "I02"}
    # The same words in a survey answer are coded by the phrase, as before.
    survey = [turn(n, p.respondent, p.text, None) for n, p in enumerate(passages, 1)]
    [coded] = code(book, survey, vectors, minilm.embed).themes
    assert {"I01", "I02", "I03", "I04"} <= {s.passage.respondent for s in coded.segments}


def test_a_time_word_never_joins_a_title():
    """"Limited contact to date", "contact ... to date": the theme is the contact, and "date"
    is when, not a second thing ("Contact and date" was a published title)."""
    from summariser.draft.titles import PhraseUse, choose_title

    uses = [PhraseUse("contact", "contact", 4, 4, 0), PhraseUse("date", "date", 2, 2, 0)]
    title = choose_title(uses, 4, show=lambda key: key, stop=set())
    assert title == "Contact"


def test_a_description_never_lists_a_word_of_the_question(minilm, tmp_path: Path):
    """"What is already helping ...?": "Mentions helping." said nothing of a theme's people
    (a published description); a description lists what they mention besides the question."""
    answers = ["Joint budget setting with the health board is helping.",
               "Monthly budget monitoring is helping us stay on track.",
               "A pooled budget for community care is helping.",
               "Budget reviews with finance colleagues are helping a great deal.",
               "Savings from the new procurement contract.",
               "Fewer agency nurses on the night shifts.",
               "Agency spending on nurses has come down.",
               "Agency nurses are now booked only in emergencies.",
               "Selling two empty buildings.",
               "Energy costs fell after the boiler was replaced."]
    responses = read_corpus(load_manifest(_project(tmp_path / "project", answers))).responses
    passages = sorted(split_all(responses), key=lambda p: (p.response_id, p.start))
    vectors = minilm.embed([p.text for p in passages])
    themes, _ = propose_themes(passages, vectors, theme_budget(len(answers)),
                               "What is already helping to address financial pressures?",
                               ("finance officer", "finance officers"))
    assert themes
    for theme in themes:
        assert not {lemma(w) for w in tokens(theme.description)} & {"help", "helping"}, theme


@pytest.mark.parametrize(("word", "texts", "thing"), [
    ("keep", ["Keep it simple.", "We keep going with the plan."], False),
    ("roll", ["Help to roll out good practice.", "Roll out the pilots."], False),
    ("looking", ["It put us off looking for any support."], False),
    ("small", ["In a small community everybody knows each other.", "A small place."], False),
    ("strategic", ["Strategic commissioning is new."], False),
    ("clear", ["A clear and shared ambition across the board.", "A clear vision agreed."], False),
    ("working", ["Providers working to one set of outcomes.", "Teams working well."], False),
    ("working", ["Joint working in localities.", "Good partnership working."], True),
    ("staff", ["Staff and managers alike.", "Our staff."], True),
    ("leads", ["Joint professional leads for nursing.", "Trust with the clinical leads."], True),
    ("betting", ["Betting ads everywhere.", "A ban on betting."], True),
    ("sharing", ["Information sharing agreements.", "The sharing of data."], True),
    ("delay", ["The delay was long.", "Delay after delay."], True),
    # a staff survey's "Taking", of "stop piling more on us without taking anything away"
    ("taking", ["Stop piling more on us without taking anything away."] * 3, False),
    ("parking", ["Parking is awful.", "More car parking.", "Parking the car is hard."], True),
])
def test_a_title_word_must_be_used_as_a_thing(word: str, texts: list[str], thing: bool):
    """"Keep", "Looking" and "Small" were drafted titles: words people used as actions or
    qualities, which name nothing a reader can find in the answers."""
    from summariser.draft.phrases import used_as_noun

    assert used_as_noun(word, texts) is thing


def test_a_bare_keyword_gives_way_to_a_phrase_its_people_wrote_around_it():
    """The airline draft titled 417 people's tweets "Gate", though 84 of them wrote "gate
    agent", nearly only there: a phrase with the head word that a tenth as many use, inside
    the theme, names it better than the bare word; one used as much outside does not."""
    from summariser.draft.titles import PhraseUse, choose_title

    head = PhraseUse("gate", "gate", 396, 400, 20)
    agent = PhraseUse("gate agent", "gate agent", 84, 90, 0)
    title = choose_title([head, agent], 417, show=lambda key: key, stop=set())
    assert title == "Gate agent"
    shared = PhraseUse("gate agent", "gate agent", 84, 90, 90)  # as common outside the theme
    assert choose_title([head, shared], 417, show=lambda key: key, stop=set()) == "Gate"
    few = PhraseUse("gate agent", "gate agent", 20, 20, 0)  # a twentieth: too narrow a name
    assert choose_title([head, few], 417, show=lambda key: key, stop=set()) == "Gate"
    # Nor does a phrase whose sentences are a corner of the theme, not what it is about
    # ("Free bet" for 24 people writing about betting, three of them of free bets).
    assert choose_title([head, agent], 417, show=lambda key: key, stop=set(),
                        typical=lambda key: False) == "Gate"


def test_a_phrase_names_a_theme_only_where_its_sentences_are_typical_of_it(minilm):
    """`_typical`: the sentences using "free bet" are further from the betting theme's centre
    than its sentences are on average; those using "betting ads" are nearer."""
    from summariser.draft.naming import _typical

    section, rows = _section_words(
        ["Betting ads are everywhere during football.", "Kids see betting ads all match.",
         "Betting ads on every advert break.", "Betting ads normalise gambling for kids.",
         "Free bet offers are how they hook you.", "A free bet is never free."],
        "What do you think of betting?", ("respondent", "respondents"), minilm)
    assert _typical(section, rows, "bet ad") and not _typical(section, rows, "free bet")


def _section_words(texts: list[str], question: str, noun: tuple[str, str], minilm):
    """A section of one passage a person, and all its rows."""
    from summariser.draft.candidates import SectionWords
    from summariser.records import Passage

    passages = [Passage(f"p{n}", f"r{n}", f"R{n}", "q", "s", "f.csv", 0, len(t), t)
                for n, t in enumerate(texts)]
    return SectionWords(passages, minilm.embed(texts), question, noun), set(range(len(texts)))


def test_phrases_of_the_same_words_name_a_theme_together():
    """851 people's tweets about delays were titled "Delay": 64 wrote "delayed flight", 47
    "flight delayed", 44 "flight is delayed", each under a tenth, together over it. They are
    named by the one that reads as a thing."""
    from summariser.draft.phrases import names_a_thing
    from summariser.draft.titles import PhraseUse, choose_title

    texts = ["My delayed flight again.", "The flight is delayed.", "Flight delayed 3 hours."]
    uses = [PhraseUse("delay", "delay", 851, 900, 40),
            PhraseUse("delay flight", "delayed flight", 64, 64, 0),
            PhraseUse("flight delay", "flight delayed", 47, 47, 0),
            PhraseUse("flight be delay", "flight is delayed", 44, 44, 0)]
    forms = {u.key: u.form for u in uses}
    title = choose_title(uses, 851, show=forms.__getitem__, stop=set(),
                         reads_as_thing=lambda phrase: names_a_thing(phrase, texts))
    assert title == "Delayed flight"
    assert choose_title(uses[:2], 851, show=forms.__getitem__, stop=set()) == "Delay"


def test_a_description_lists_only_words_its_people_use_as_things():
    """"Focus" was described as "Mentions keep." from "the need to keep focus" and "keep the
    focus on people": a description lists what people mention, not what they do."""
    from summariser.draft.titles import PhraseUse, describe

    texts = ["The need to keep focus and not be diverted.", "Keep the focus on people.",
             "Focus on waste and on the people we serve."]
    uses = [PhraseUse("keep", "keep", 2, 2, 0), PhraseUse("people", "people", 2, 2, 0)]
    assert describe(uses, "Focus", 3, lambda key: key, texts) == "Mentions people."


@pytest.mark.parametrize(("phrase", "thing"), [
    ("gate agent", True), ("lack of crew", True), ("junk food", True), ("phone lines", True),
    ("information sharing", True), ("waiting times", True),
    ("agent gave", False),  # a verb
    ("passengers sitting", False), ("ads fund", False),  # a plural before the last word
    ("finally board", False),  # an opening adverb
    ("pick up the phone", False), ("give me a refund", False), ("lie to my face", False),
    ("sitting in Denver", False), ("delay while sitting", False),
    ("connection due", False), ("due to weather", False),  # an adverb at either end
    ("dfw stuck", False),  # an adjective last
    ("build parking", False),  # a suggestion, as a title never opens
    ("lost luggage", True), ("delayed flight", True),  # a participle describing a thing
    ("hours on hold", True),  # a plural heading a phrase, not before another noun
    ("flight delayed", False), ("called customer service", False),  # a clause
])
def test_a_described_phrase_names_a_thing(phrase: str, thing: bool):
    """The airline draft described its themes as "Mentions passengers sitting, delayed for
    mechanical" and "Mentions pull away, agent gave": runs of words cut from clauses, which
    no report author would print."""
    from summariser.draft.phrases import names_a_thing

    texts = [f"The {phrase} was there.", f"Again the {phrase}, and the weather."]
    assert names_a_thing(phrase, texts) is thing


def test_a_description_never_repeats_the_title_in_another_form():
    """"Savings" was described as "Mentions savings.": the lemma of the phrase ("save") was
    not the title's ("savings")."""
    from summariser.draft.titles import PhraseUse, describe

    texts = ["Savings programme agreed.", "Savings plans and the budget."]
    uses = [PhraseUse("save", "savings", 2, 2, 0), PhraseUse("budget", "budget", 2, 2, 0)]
    shown = {"save": "savings", "budget": "budget"}
    assert describe(uses, "Savings", 2, shown.__getitem__, texts) == "Mentions budget."


@pytest.mark.parametrize(("answer", "quoted"), [
    ("@united delayed about 8 hours because of missed connections.",
     "…delayed about 8 hours because of missed connections."),
    ("@AmericanAir - where are my bags?", "…where are my bags?"),
    ("@united @JetBlue the gate agent was rude.", "…the gate agent was rude."),
    ("The gate agent was rude @united", "The gate agent was rude @united"),
    # nor the framing it opens with; the speaker's candour is how they said it
    ("Apart from the obvious, all the biographies.", "…all the biographies."),
    ("Easy - a silent study area!!", "…a silent study area!!"),
    ("To be honest we have had little contact.", "To be honest we have had little contact."),
    ("Easy to get to on the bus.", "Easy to get to on the bus."),
    # marked where its mark reads as a sentence's end; never where what is left is too short
    # to check, where a word the gate reads as a claim would go ("More than anything"), or
    # where the framing runs on into the answer ("the obvious ones")
    ("Simple: not enough staff on Sundays.", "…not enough staff on Sundays."),
    ("In a word, great staff.", "In a word, great staff."),
    ("More than anything, the staff are lovely.", "More than anything, the staff are lovely."),
    ("Apart from the obvious ones, the biographies.",
     "Apart from the obvious ones, the biographies."),
])
def test_a_quote_leaves_out_the_handles_its_answer_opens_with(answer: str, quoted: str):
    """Every airline quote opened with an @handle ("@JetBlue exactly why is my flight
    delayed?"): who an answer is addressed to is not what it says, and a handle can name a
    person. A library's quotes opened "Apart from the obvious," and "Easy -". The cut is
    marked and the quote is still the respondent's own words."""
    from summariser.draft.quoting import whole_thought
    from summariser.records import Response
    from summariser.verify import CorpusIndex

    response = Response("t:1:q", "1", "q", "t", "t.csv", answer)
    [passage] = split_all([response])
    index = CorpusIndex.build([response])
    quote = whole_thought(passage, index)
    assert quote == quoted
    assert index.verify(quote, response_id="t:1:q").passed


def test_a_description_never_lists_a_form_of_a_word_too_general_to_say_anything():
    """"Home and hospital" was described "Mentions working." ("a culture of working openly",
    "joint working"): "work" is too general to name a theme, and so is "working"."""
    from summariser.draft.titles import VAGUE, PhraseUse, describe

    texts = ["A culture of working openly.", "Good joint working with the hospital team.",
             "Joint working and a hospital team."]
    uses = [PhraseUse("working", "working", 2, 2, 0), PhraseUse("team", "team", 2, 2, 0)]
    assert describe(uses, "Home and hospital", 3, lambda key: key, texts, VAGUE) == \
        "Mentions team."


def test_a_title_of_several_nouns_uses_no_word_of_the_question(minilm):
    """Answers to a question about the airline that share no phrase are titled by the nouns
    that cover them, never by "airline", which every answer is about."""
    from summariser.draft.naming import _covering_title, phrase_uses

    section, rows = _section_words(
        ["The airline lost my luggage in Denver.", "My luggage never arrived.",
         "The airline charged a fee for my seat.", "A seat fee again.",
         "The airline staff were rude at the gate.", "The gate agent was rude.",
         "Nobody answered the phone.", "The phone line was busy all day."],
        "What went wrong with the airline?", ("customer", "customers"), minilm)
    title = _covering_title(section, rows, phrase_uses(section, rows), set(),
                            lambda key: section.shown(key, rows))
    assert title and "airline" not in title.lower(), title


def test_a_group_found_by_meaning_takes_its_examples_from_those_using_its_title(minilm):
    """A group titled "Mental health" had as an example "a culture of working openly ...
    across health, social work and the third sector", and so coded it and others like it: the
    examples of a group found by meaning are its members that use its title's words."""
    from summariser.draft.candidates import Candidate, SectionWords
    from summariser.draft.naming import _examples
    from summariser.records import Passage

    texts = ["Mental health access points in every practice.",
             "Good local tests of change in mental health and addictions.",
             "A culture of working openly across health, social work and the third sector.",
             "New mental health services for young people."]
    passages = [Passage(f"p{n}", f"r{n}", f"R{n}", "q", "s", "f.csv", 0, len(t), t)
                for n, t in enumerate(texts)]
    section = SectionWords(passages, minilm.embed(texts), "What has gone well?",
                           ("Chief Officer", "Chief Officers"))
    group = Candidate("", set(range(len(texts))), {p.respondent for p in passages}, 0.2)
    examples = _examples(section, group, [], "Mental health")
    assert examples and all("mental health" in e.lower() for e in examples), examples
    # A joined title names what several say in other words: the group's most typical stand.
    joined = _examples(section, group, [], "Culture and addictions")
    assert joined == _examples(section, group, [], "")  # as if untitled
    assert len({e for e in joined if "culture" in e or "addictions" in e}) < 2, joined


def test_a_title_that_praises_counts_only_those_who_praise(example_project: Path, tmp_path: Path):
    """In the example's 2.8, "Helpful support" counted "Early days for support." by its
    meaning: VADER reads the word "support" itself as praise, and nothing kept a title that
    praises to people who do. A theme whose title praises what it names, founded by people who
    praise it, codes only praise of it, read without the thing praised."""
    from summariser.draft.pipeline import draft_sections
    from summariser.index.store import Store
    from summariser.text.tone import is_praise, praised_thing

    assert praised_thing("Helpful support") == {"support"}
    assert is_praise("Early days for support.") and not is_praise(
        "Early days for support.", praised_thing("Helpful support"))
    assert is_praise("Helpful support with our Hospital at Home test of change.",
                     praised_thing("Helpful support"))
    assert praised_thing("Improvement advisers") == {"improvement", "adviser"}
    assert not is_praise("Improvement advisers", praised_thing("Improvement advisers"))
    manifest = load_manifest(example_project)
    chosen = [s for s in manifest.sections if s.id == "ihub"]
    for _ in draft_sections(manifest, Store(manifest.store_path), chosen, "minilm",
                            directory=tmp_path):
        pass
    draft = read_draft(tmp_path / "ihub.json")
    [helpful] = [t for t in draft.themes if "helpful" in t.title.lower()]
    texts = {e.text for e in helpful.evidence}
    assert "Early days for support." not in texts, texts
    assert {"R01", "R10"} <= set(helpful.respondents)


def test_a_name_the_whole_survey_is_about_founds_no_theme(example_project: Path, tmp_path: Path):
    """The example's Chief Officers each lead an IJB, and write "IJB" in answers to most
    questions: four sections had a theme titled "IJB" or "IJBs" whose people said unrelated
    things of it ("a clear and shared ambition across the IJB", "stability of IJB budget").
    A name most respondents use in most questions is what the survey is about: like a word of
    the question, it founds no theme alone."""
    from summariser.draft.candidates import survey_names
    from summariser.draft.pipeline import draft_sections
    from summariser.index.store import Store
    from summariser.records import Response

    def said(person: str, question: str, text: str) -> Response:
        return Response(f"{person}:{question}", person, question, "s", "s.csv", text)

    answers = [said("A", "q1", "Our work with the Trust improved."),
               said("B", "q1", "Funding from the Trust was late."),
               said("C", "q2", "We met the Trust board twice."),
               said("A", "q2", "Staff left the Trust in spring."),
               said("D", "q3", "Plans from Glasgow came early."),
               said("B", "q3", "Nothing to add.")]
    assert survey_names(answers) == {"trust"}  # three of four people, two of three questions
    assert survey_names([a for a in answers if a.question == "q1"]) == frozenset()
    assert "glasgow" not in survey_names(answers)  # one person, one question
    manifest = load_manifest(example_project)
    chosen = [s for s in manifest.sections if s.id in {"enabled-progress", "helping-governance",
                                                       "national-support"}]
    for _ in draft_sections(manifest, Store(manifest.store_path), chosen, "minilm",
                            directory=tmp_path):
        pass
    titles = [t.title for s in chosen for t in read_draft(tmp_path / f"{s.id}.json").themes]
    assert not [t for t in titles if t.upper().rstrip("S") == "IJB"], titles


def test_a_one_word_title_takes_the_word_its_people_put_before_it():
    """2.7 of the example was titled "Practice" for "roll out good practice examples" and
    "sharing of national learning (good practice ...)": "good" breaks a phrase when themes are
    found (every answer uses it), but names this one."""
    from summariser.draft.titles import qualified

    assert qualified("Practice", [("R1", "Assistance to roll out good practice examples"),
                                  ("R2", "More rapid sharing of good practice.")]) == \
        "Good practice"
    assert qualified("Leads", [("R1", "Building trust with the clinical leads."),
                               ("R2", "Joint professional leads for nursing.")]) == \
        "Clinical and professional leads"
    # a member of the group who does not use the title's word says nothing of it (2.5.7)
    assert qualified("Leads", [("R1", "Building trust with the clinical leads."),
                               ("R2", "Joint professional leads for nursing."),
                               ("R3", "Strong professional support is built in.")]) == \
        "Clinical and professional leads"
    assert qualified("Team", [("R1", "A strong leadership team now in place."),
                              ("R2", "A committed senior team.")]) == "Leadership and senior team"
    # a word only some use, words of two kinds, or a word saying how many, leave it as it is
    assert qualified("Leads", [("R1", "Building trust with the clinical leads."),
                               ("R2", "Leads for nursing."), ("R3", "Our leads.")]) == ""
    assert qualified("Sharing", [("R1", "Data sharing is slow."),
                                 ("R2", "Strong sharing of ideas.")]) == ""
    assert qualified("Staff", [("R1", "More staff."), ("R2", "More staff, please.")]) == ""
    assert qualified("Care", [("R1", "Patient care is poor."), ("R2", "Patient care.")],
                     noun={"patient", "patients"}) == ""  # the respondent noun
    assert qualified("Care", [("R1", "Patient care is poor."), ("R2", "Patient care.")]) == \
        "Patient care"


def test_a_small_section_no_theme_covers_prints_every_answer(tmp_path: Path):
    """Nine answers about how governance constraints are being met share no idea: the lead said
    all nine said something no theme covers, and the reader saw none of it. A section of at most
    `ALL_ANSWERS_SHOWN` answers that no theme covers prints them all, and the gate checks them
    as quotes."""
    root = _project(tmp_path / "project", [
        "Review of the integration scheme under way with both partners.",
        "Clearer hosting agreements.", "Proportionate governance agreed given our size.",
        "Work under way to clarify directions.", "Clear scheme of delegation.",
        "Development sessions with board members.", "A joint business support function.",
        "Records management is shared.", "The lead agency arrangements are well understood."])
    assert runner.invoke(app, ["ingest", "-p", str(root)]).exit_code == 0
    result = runner.invoke(app, ["draft", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    draft = read_draft(root / "drafts" / "improve.json")
    assert not draft.themes and len(draft.uncoded) == 9, [t.title for t in draft.themes]
    markdown = (root / "drafts" / "improve.md").read_text()
    assert "Every answer, in full" in markdown and "“Clear scheme of delegation.”" in markdown
    assert "All nine patients (100%) said something no theme covers." in markdown, draft.lead
    # The report attributes quotes by role, not by id: the words alone say whose they are.
    published = runner.invoke(app, ["report", "-p", str(root)], catch_exceptions=False)
    assert published.exit_code == 0, published.output
    checked = runner.invoke(app, ["eval", str(root / "out" / "report.md"), "-p", str(root)])
    assert checked.exit_code == 0, checked.output


def test_a_name_joined_to_another_in_the_question_is_a_name_of_the_question(minilm):
    """"What should change in Bowling Green/Warren County?": "Warren" follows a slash, and was
    not read as a name of the question, so "Warren County" titled a theme of 28 people who
    named the place the question is about."""
    from summariser.draft.candidates import SectionWords
    from summariser.records import Passage

    texts = ["Warren County needs more parks.", "Traffic in Warren County is bad.",
             "Bowling Green needs buses.", "More buses in Bowling Green."]
    passages = [Passage(f"p{n}", f"r{n}", f"R{n}", "q", "s", "f.csv", 0, len(t), t)
                for n, t in enumerate(texts)]
    section = SectionWords(passages, minilm.embed(texts), "What should change in Bowling "
                           "Green/Warren County?", ("participant", "participants"))
    assert {"warren", "county", "wc"} <= section.stop  # and its initials
    assert "warren county" not in section.index  # no phrase of names alone founds a theme


def test_a_theme_founded_on_a_phrase_is_named_before_a_group_found_by_meaning(minilm):
    """A group found by meaning, named first, took the word of a phrase three people share
    ("Health firms"), and the theme founded on "betting firms" was left "Betting and pay". The
    phrase's theme is named first; the group takes the words left. Themes keep their order."""
    from summariser.draft.candidates import Candidate
    from summariser.draft.propose import _named

    section, _ = _section_words(
        ["Health firms could run the adverts instead.", "Mental health firms should sponsor "
         "matches.", "Health campaigns in every break.", "Fund health services with the levy.",
         "Betting firms must pay for the harm they do.", "Betting firms should report their "
         "losses.", "Make betting firms pay a levy.", "Education in schools.",
         "Teach it at school.", "Lessons for teenagers.", "Warnings on screen.",
         "Limits on deposits.", "Block the apps."],
        "What could be done instead?", ("respondent", "respondents"), minilm)
    group, phrase = {0, 1, 2, 3}, section.rows_of("bet firm")
    taken = [Candidate("", group, section.people_of(group), 0.3),
             Candidate("bet firm", phrase, section.people_of(phrase), 0.3, ["bet firm"])]
    themes, _ = _named(section, taken, [set(group), set(phrase)])
    assert [t.title for t in themes] == ["Health", "Betting firms"]
    assert [t.id for t in themes] == ["t1", "t2"]


@pytest.mark.parametrize(("answer", "segment", "quoted"), [
    ("We secured transformation funding. As a result, we've engaged teams across the patch.",
     1, "We secured transformation funding. As a result, we've engaged teams across the patch."),
    ("Early mapping has been useful. But people and relationships first.",
     1, "Early mapping has been useful. But people and relationships first."),
    ("Staff are lovely. The car park is too small.", 1, "The car park is too small."),
    ("But nothing has changed.", 0, "But nothing has changed."),
    ("Reception is rude. This year the car park got worse.", 1,
     "This year the car park got worse."),  # "This" of "this year" points to nothing before
    ("Thanks for asking. It is hard to park.", 1, "It is hard to park."),
    # a line break ends a sentence: nothing was cut ("... love my job but…" did not verify)
    ("I love my job but\nNot a lot at the moment.", 0, "I love my job but"),
    # the handle the answer opens with is still left out
    ("@JohnSmith_NHS was brilliant with my mum. But he forgot her meds.", 1,
     "…was brilliant with my mum. But he forgot her meds."),
])
def test_a_quote_that_goes_on_from_the_sentence_before_is_quoted_with_it(
        answer: str, segment: int, quoted: str):
    """The example report quoted "But people and relationships first - Information and Tech
    systems next." and "As a result, we've been able to engage and involve teams ...": alone,
    a reader cannot tell what they go on from. Such a segment is quoted with the sentence
    before it, still its speaker's own words."""
    from summariser.draft.quoting import whole_thought
    from summariser.records import Response
    from summariser.verify import CorpusIndex

    response = Response("t:1:q", "1", "q", "t", "t.csv", answer)
    passage = split_all([response])[segment]
    index = CorpusIndex.build([response])
    quote = whole_thought(passage, index)
    assert quote == quoted
    assert index.verify(quote, response_id="t:1:q").passed


def _one_question_draft(tmp_path: Path, answers: list[str]):
    """The draft of a one-question project of these answers, as `ingest` and `draft` make it."""
    root = _project(tmp_path / "project", answers)
    assert runner.invoke(app, ["ingest", "-p", str(root)]).exit_code == 0
    result = runner.invoke(app, ["draft", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return read_draft(root / "drafts" / "improve.json")


def test_a_theme_quotes_what_its_people_say_once_and_a_bare_word_last(tmp_path: Path):
    """A parks survey's "Toilets" theme quoted "TOILETS", "toilets" and "Toilets": three people,
    one word, the theme's name three times. Each quote now says something the others do not,
    and a quote of a word or two is shown only when nothing longer is left."""
    answers = ["TOILETS", "toilets", "Toilets", "Toilets!!", "toilets.",
               "Toilets that are actually open", "Clean toilets with baby changing",
               "Open the toilets at weekends", "Dog mess on the paths", "Dog mess everywhere",
               "Pick up the dog mess", "More bins please", "More bins by the pond"]
    draft = _one_question_draft(tmp_path, answers)
    toilets = next(t for t in draft.themes if "toilet" in t.title.lower())
    assert len(toilets.respondents) == 8
    said = [" ".join(q.text.casefold().strip("!. ").split()) for q in toilets.quotes]
    assert len(said) == 3 and len(set(said)) == 3
    assert all(len(q.text.split()) >= 3 for q in toilets.quotes)


def test_a_theme_does_not_quote_one_sentence_twice_with_an_aside(tmp_path: Path):
    """A broadband survey's "Lost connection" quoted "Lost connection for a whole weekend.",
    "Honestly lost connection for a whole weekend!" and "Basically lost connection for a whole
    weekend...": one sentence, three times."""
    answers = ["Lost connection for a whole weekend.",
               "Honestly lost connection for a whole weekend!",
               "Basically lost connection for a whole weekend...",
               "Lost connection every evening at eight", "Lost connection during my work calls",
               "Dog mess on the paths", "Dog mess everywhere", "Pick up the dog mess"]
    draft = _one_question_draft(tmp_path, answers)
    lost = next(t for t in draft.themes if "connection" in t.title.lower())
    assert len(lost.respondents) == 5
    assert sum("whole weekend" in q.text for q in lost.quotes) == 1, lost.quotes
    # A sentence that says more than a quote taken is still quoted: the example's "Hold your
    # nerve" theme lost "This is a long term process ... vital to hold your nerve" so.
    from summariser.draft.quoting import _gist, _said_already

    taken = {_gist("Hold your nerve.")}
    assert not _said_already(_gist("It is vital to hold your nerve."), taken)
    assert _said_already(_gist("Honestly, hold your nerve!"), taken)
    # nor one that only opens with an interjection or ends with thanks (a library's "use of
    # the computers for my journal." beside "Ooh, use of the computers for my journal")
    taken = {_gist("use of the computers for my journal.")}
    assert _said_already(_gist("Ooh, use of the computers for my journal"), taken)
    assert _said_already(_gist("use of the computers for my journal thanks."), taken)


def test_a_sentence_said_with_fillers_is_quoted_after_fluent_ones(tmp_path: Path):
    """An interview section quoted "Um, honestly, it's, it's the staffing." and "Just, um, more
    staff." while fluent sentences of the same theme went unquoted: verbatim, but a reader
    takes the fluent ones."""
    from summariser.text.sentences import halts

    assert halts("Um, honestly, it's, it's the staffing.") and halts("Just, um, more staff.")
    assert not halts("Umbrella stands by the door.") and not halts("The staffing is thin.")
    answers = ["Um, it's, it's the staffing.", "Erm, more staff, more staff.",
               "Uh, just, um, more staff.", "More staff on the evening rota",
               "Hire more staff for the weekends", "More staff at the front desk",
               "Dog mess on the paths", "Dog mess everywhere", "Pick up the dog mess"]
    draft = _one_question_draft(tmp_path, answers)
    staff = next(t for t in draft.themes if "staff" in t.title.lower())
    assert len(staff.respondents) == 6
    assert [q.text for q in staff.quotes if halts(q.text)] == []


def test_words_two_people_wrote_alike_are_quoted_in_the_appendix_without_a_warning(
        tmp_path: Path):
    """Two residents wrote "Plant more trees" word for word. The report's appendix attributes
    its quotes by role, so `eval` found the words in two answers and warned that the match was
    not unique; the drafts say whose words the report quotes, and the appendix is read so."""
    answers = ["Plant more trees", "Plant more trees", "Plant more trees along the path",
               "More trees for shade in summer", "Dog mess on the paths", "Dog mess everywhere",
               "Pick up the dog mess", "More bins please", "More bins by the pond",
               "Empty the bins more often"]
    root = _project(tmp_path / "project", answers)
    assert runner.invoke(app, ["ingest", "-p", str(root)]).exit_code == 0
    result = runner.invoke(app, ["run", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = (root / "out" / "report.md").read_text()
    appendix = report[report.index("## Appendix"):]
    assert "“Plant more trees”" in appendix
    checked = runner.invoke(app, ["eval", str(root / "out" / "report.md"), "-p", str(root),
                                  "--format", "json"])
    assert checked.exit_code == 0, checked.output
    found = json.JSONDecoder().raw_decode(checked.output[checked.output.index("{"):])[0]
    assert [q for q in found["quotes"] if q["outcome"] != "pass"] == []


@pytest.mark.parametrize(("key", "kept"), [
    ("disability be active", False),  # "Disability are active": a clause, not a name
    ("staff be friendly", False),
    ("ad won't stop", False),
    ("year and i love", False),  # "Years and I love"
    ("happy because call", False),  # "Happy because call centre ...": a clause joined on
    ("mostly because fast", False),
    ("line and nobody", False),  # the gate read "nobody" in a title as a count of none
    ("most customer", False),
    ("ethnic minority carer", True),  # words of amount that name things
    ("half day closure", True),
    ("respite while wait", True),
    ("hour on hold", True),
    ("gate agent", True),
    ("hold your nerve", True),
])
def test_a_title_is_a_noun_phrase_not_a_clause(key: str, kept: bool):
    """A staff survey's themes were titled "Disability are active" and, on gambling, "Ads won't
    stop": runs of words cut from clauses. A phrase with an auxiliary or the copula names no
    theme."""
    from summariser.draft.titles import titleable

    assert titleable(key, set()) is kept


def test_whose_names_no_theme():
    """An interview section was titled "Someone's and round": a possessive of a word too
    general to name anything is no phrase's word."""
    from summariser.draft.phrases import candidates

    assert candidates("Someone's round is always late and everyone's car broke down", 3) == {
        "round", "late", "car broke", "broke", "car"}


def test_a_description_names_no_amount_of_people():
    """"Mentions help and nobody.": the gate read the description as a claim that none of them
    said it, and the first run of a new project refused its own report."""
    from summariser.draft.titles import PhraseUse, describe

    uses = [PhraseUse("nobody", "nobody", 9, 9, 0), PhraseUse("help", "help", 5, 5, 0),
            PhraseUse("router", "router", 4, 4, 0)]
    texts = ["Nobody could help me with the router."] * 3
    said = describe(uses, "Line faults", 12, lambda key: key, texts)
    assert "nobody" not in said.lower() and "router" in said


def test_a_phrase_shouted_in_capitals_is_titled_in_lower_case():
    """"HONESTLY VERY LITTLE" was a title: five people wrote it in capitals. Capitals that mark
    an acronym stay ("NHS and council", "GP recruitment")."""
    from summariser.draft.phrases import surface_form

    assert surface_form("honestly very little", ["HONESTLY VERY LITTLE"] * 5) == \
        "honestly very little"
    assert surface_form("nhs and council", ["NHS AND COUNCIL working"]) == "NHS and council"
    assert surface_form("gp recruitment", ["GP recruitment is hard"]) == "GP recruitment"


def test_the_same_words_quoted_under_two_themes_are_each_themes_own(tmp_path: Path):
    """Two people wrote "Great team." word for word, and two themes each quote one of them. The
    gate tied every copy to the first theme's quote, so the second theme's quote read as the
    first person's, whom it has not coded, and the report refused itself."""
    answers = ["Great team.", "Great team.", "Great team and great managers.",
               "Great team, lovely ward."]
    root = _project(tmp_path / "project", answers)
    (root / "drafts").mkdir()
    (root / "drafts" / "improve.codebook.toml").write_text(
        'section = "improve"\n\n'
        '[[themes]]\nid = "ward"\ntitle = "Ward team"\nphrases = ["great team"]\n'
        'by_meaning = false\nexclude_answers = ["survey:P02:improve"]\n\n'
        '[[themes]]\nid = "managers"\ntitle = "Team and managers"\nphrases = ["great team"]\n'
        'by_meaning = false\nexclude_answers = ["survey:P01:improve", "survey:P04:improve"]\n',
        encoding="utf-8")
    assert runner.invoke(app, ["ingest", "-p", str(root)]).exit_code == 0
    result = runner.invoke(app, ["draft", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    draft = read_draft(root / "drafts" / "improve.json")
    quoted = {t.title: {(q.text, q.respondent) for q in t.quotes} for t in draft.themes}
    assert ("Great team.", "P01") in quoted["Ward team"]
    assert ("Great team.", "P02") in quoted["Team and managers"]
    # The report attributes quotes by role, not by id: the words alone say whose they are.
    published = runner.invoke(app, ["report", "-p", str(root)], catch_exceptions=False)
    assert published.exit_code == 0, published.output
    checked = runner.invoke(app, ["eval", str(root / "out" / "report.md"), "-p", str(root)])
    assert checked.exit_code == 0, checked.output
