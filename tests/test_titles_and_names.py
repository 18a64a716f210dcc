"""Titles a reader keeps: no staff member's name, no phrase cut from a longer name, no two
words of one phrase listed as two things, and each side of what people praise and fault named.
The cases come from a generated broadband survey whose themes were "Dave the engineer",
"Staff in the call", "Speed and pay" and "Mainly becuase"; what reads as praise is tested with
the rest in tests/test_themes_as_ideas.py."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from summariser.draft.phrases import candidates, cut_short, written_apart
from summariser.draft.propose import propose_themes
from summariser.draft.titles import PhraseUse, choose_title, qualified, titleable
from summariser.records import Passage
from summariser.text.names import people_named

CALL_CENTRE = ["More staff in the call centre.", "More staff in the call center please.",
               "Staff in the call centre need training.", "Better trained customer service staff",
               "customer service staff who listen"]


def test_a_phrase_that_runs_on_into_a_longer_name_is_cut_short():
    assert cut_short("staff in the call", CALL_CENTRE)  # "centre" and "center" are one
    assert cut_short("call", CALL_CENTRE)
    assert cut_short("service staff", CALL_CENTRE)  # "customer" before it, each time
    assert not cut_short("customer service staff", CALL_CENTRE)
    assert not cut_short("staff", CALL_CENTRE)
    # A quality before a word does not make it part of a name, nor does a single word's
    # neighbour before it: "companies" titles a theme where "gambling" (the question's) cannot.
    assert not cut_short("deal", ["Great deal.", "A great deal overall."])
    assert not cut_short("companies", ["Gambling companies profit.", "gambling companies lie"])


def test_a_phrase_its_people_negate_is_cut_short():
    """"Had an outage", of "never had an outage", says the opposite of its people. A thing
    negated is still the thing: "no parking" is about parking."""
    assert cut_short("had an outage", ["Never had an outage.", "never had an outage in years"])
    assert cut_short("helpful", ["Not helpful at all", "not very helpful",
                                 "wasn’t really helpful"])
    assert not cut_short("helpful", ["Very helpful", "really helpful", "not helpful"])
    assert not cut_short("had an outage", ["Never had an outage.", "We had an outage again",
                                           "had an outage twice"])
    assert not cut_short("parking", ["No parking.", "no parking at all", "No parking anywhere"])


def test_a_title_is_never_a_phrase_cut_short():
    uses = [PhraseUse("staff", "staff", 10, 10, 0),
            PhraseUse("staff in the call", "staff in the call", 6, 6, 0),
            PhraseUse("customer service staff", "customer service staff", 5, 5, 0)]
    show = {u.key: u.form for u in uses}.__getitem__
    assert choose_title(uses, 10, show, stop=set()) == "Staff in the call"  # unchecked
    assert choose_title(uses, 10, show, stop=set(),
                        whole=lambda phrase: not cut_short(phrase, CALL_CENTRE)) == \
        "Customer service staff"


def test_a_word_written_as_part_of_names_joins_no_title():
    """Residents wrote "Campbell Lane" and "Lovers Lane": "Roads and Lane" named no thing."""
    uses = [PhraseUse("road", "roads", 20, 20, 0), PhraseUse("lane", "lane", 8, 8, 0),
            PhraseUse("traffic", "traffic", 6, 6, 0)]
    shown = {"road": "roads", "lane": "Lane", "traffic": "traffic"}
    named = ["Widen the roads to Campbell Lane.", "Roads near Lovers Lane.", "Roads and traffic."]
    assert choose_title(uses, 20, shown.__getitem__, stop=set(),
                        apart=partial(written_apart, texts=named)) == "Roads and traffic"
    shown["lane"] = "lane"
    alone = ["Widen the roads, add a bus lane.", "Roads need a turning lane.", "Roads, traffic."]
    assert choose_title(uses, 20, shown.__getitem__, stop=set(),
                        apart=partial(written_apart, texts=alone)) == "Roads and lane"


@pytest.mark.parametrize(("key", "usable"), [
    ("mainly becuase", False), ("becasue", False), ("thier staff", False),
    ("router that", False),  # a clause's first word at its end
    ("wait 6 hour", False),  # one person's figure: "Waited 6 hours" titled 50 people's waits
    ("router", True), ("dave", True), ("netflix buffer", True), ("conection", True),
])
def test_a_misspelt_small_word_or_one_left_at_the_end_titles_nothing(key: str, usable: bool):
    assert titleable(key, stop=set()) is usable


def test_two_words_written_as_one_phrase_are_not_titled_as_two_things():
    """"Speed and pay" came from "give us the speed we pay for"; "Bags and luggage" names two
    words people write for one thing, and "sponsorship and coverage" two they join."""
    speed = ["Give us the speed we pay for.", "The speed I pay for!", "Improve the speed.",
             "Fix the speed", "Stop making us pay more"]
    assert not written_apart("speed", "pay", speed)
    assert not written_apart("price", "rise", ["Mid-contract price rise.", "Price rise again"])
    assert written_apart("sponsorship", "coverage",
                         ["Sponsorship and coverage everywhere.", "Shirt sponsorship.",
                          "Coverage of sport is saturated with sponsorship logos"])
    assert written_apart("hospital", "home", ["The hospital to home team bedded in."])  # once
    uses = [PhraseUse("speed", "speed", 10, 10, 0), PhraseUse("pay", "pay", 5, 5, 0),
            PhraseUse("router", "router", 4, 4, 0)]
    show = {u.key: u.form for u in uses}.__getitem__
    assert choose_title(uses, 12, show, stop=set()) == "Speed and pay"  # unchecked
    assert choose_title(uses, 12, show, stop=set(),
                        apart=lambda a, b: written_apart(a, b, speed)) == "Speed and router"


def test_a_plural_before_a_word_says_who_does_it_not_what_kind():
    """The example's group "Home and hospital" was once titled "Joint and providers working"
    ("independent providers working to a single set of outcomes")."""
    said = [("R1", "Joint working has improved."),
            ("R2", "Independent providers working to one set of outcomes.")]
    assert qualified("Working", said) == ""
    assert qualified("Working", [("R1", "Joint working has improved."),
                                 ("R2", "Better joint working.")]) == "Joint working"


def test_people_named_in_answers_are_found_and_organisations_are_not():
    texts = ["Dave the engineer was great.", "Also Dave the engineer was great",
             "Priya on the helpline was brilliant.", "Honestly Priya on the helpline was lovely",
             "Mark the technician sorted everything.", "Never had an outage; Mark the technician "
             "sorted it.", "Dr Patel listened.", "I saw Dr Patel twice.",
             "Netflix buffers constantly", "Netflix on the TV buffers", "Netflix the whole time",
             "Overall the staff were great", "Overall the price is fair",
             "We wrote to the Council in May.", "Nobody at the Council at all.",
             # introduced by the writer's role for them, with a capital there
             "My line manager Sarah is fantastic.", "my manager Lee listens",
             "Our manager Lee is fair.", "my manager about it twice",
             "I told my boss Actually nothing", "my GP Gwen's advice", "I told my manager I'm off",
             "I told my manager I’d go", "my gp Dr Khan", "my teacher Mrs Smith",
             # written small, a word English does not know, twice; not a slip once, nor "tbh"
             "my manager kelly is great", "our manager kelly listens", "my boss alwyas late",
             "my manager tbh", "my manager tbh is fine",
             # nor a negation cut at its apostrophe ("Quotes name Didn"), or without one
             "my tutor didn't reply", "my tutor didn’t email back", "my tutor didnt care",
             "my personal tutor didnt answer", "my tutor dont reply"]
    assert people_named(texts) == {"dave", "priya", "mark", "patel", "sarah", "lee", "gwen",
                                   "kelly"}


def _passages(answers: list[str]) -> list[Passage]:
    return [Passage(f"r{n}:0", f"s:r{n}:q", f"R{n:02d}", "q", "s", "f.csv", 0, len(text), text)
            for n, text in enumerate(answers, 1)]


ENGINEER = {
    "praise": ["Dave the engineer was great.", "Dave the engineer was brilliant.",
               "Dave the engineer was great, very tidy.", "The engineer was friendly and tidy.",
               "Lovely engineer, cleaned up after himself.", "Dave the engineer was excellent.",
               "Great engineer, explained everything."],
    "fault": ["The engineer was rude.", "The engineer was late and stroppy.",
              "Waited in all day for an engineer who didn't come.",
              "The engineer never turned up.", "Engineer was rude to my wife.",
              "Engineer missed two appointments."],
    "other": ["The price went up again.", "Price rise in April.", "Prices keep rising.",
              "Too expensive for what you get.", "Speeds drop every evening.",
              "Slow speeds at night.", "Speed is terrible after 7pm."],
}


def test_a_theme_names_what_is_said_of_someone_not_who_and_each_side_is_named(minilm):
    """A named member of staff titled a theme ("Dave the engineer", counting those who fault
    the engineer too). The engineer is the idea: praise of the engineer and the rest are two
    themes, each named, neither naming Dave."""
    answers = [a for group in ENGINEER.values() for a in group]
    passages = _passages(answers)
    themes, _ = propose_themes(passages, np.asarray(minilm.embed(answers)), 6,
                               "What is the main reason for your score?",
                               ("customer", "customers"), embed=minilm.embed)
    titles = [t.title for t in themes]
    assert not [t for t in titles if "dave" in t.lower()], titles
    engineer = {t.tone: t.title for t in themes if "engineer" in t.title.lower()}
    assert set(engineer) == {"praise", "other"}, titles


def test_a_split_makes_room_within_the_most_themes_asked_for(minilm):
    """Two things both praised and faulted, with room for three themes: one of them splits,
    the other stays one theme of both sides; four themes were once proposed."""
    staff = ["The staff are lovely.", "Staff are so kind.", "Wonderful staff, always smiling.",
             "The staff were rude.", "Staff ignored me.", "Staff never answer the phone."]
    food = ["The food is delicious.", "Lovely food, great choice.", "The food is excellent.",
            "The food was cold.", "Food is bland and greasy.", "Awful food, overcooked."]
    answers = staff + food
    themes, _ = propose_themes(_passages(answers), np.asarray(minilm.embed(answers)), 3,
                               "Tell us about your stay.", grow=False, embed=minilm.embed)
    tones = sorted(t.tone for t in themes)
    assert tones == ["", "other", "praise"], [(t.title, t.tone) for t in themes]
    # A smaller theme gives way to the split, and the draft says so.
    park = ["Parking is impossible.", "No parking spaces at all."]
    answers += park
    themes, notes = propose_themes(_passages(answers), np.asarray(minilm.embed(answers)), 3,
                                   "Tell us about your stay.", grow=False, embed=minilm.embed)
    assert len(themes) == 3 and not [t for t in themes if "park" in t.title.lower()]
    assert [n for n in notes if "left out to make room" in n], notes


def test_a_description_names_no_amount():
    """"Mentions compassion, dignity and respect and every single member": the gate read the
    description's "every single member" as a claim of everyone, and `run` published nothing."""
    from summariser.draft.titles import describe

    uses = [PhraseUse("every single member", "every single member", 6, 6, 0),
            PhraseUse("compassion", "compassion", 6, 6, 0)]
    texts = ["Compassion from every single member of staff."] * 6
    show = {u.key: u.form for u in uses}.__getitem__
    assert describe(uses, "Praise for night staff", 8, show, texts) == "Mentions compassion."


def test_a_sign_off_adds_nothing_to_a_quote():
    from summariser.draft.quoting import _gist, _said_already

    taken = {_gist("Cleanliness was of a very high standard!")}
    assert _said_already(_gist("Cleanliness was of a very high standard xx"), taken)
    assert not _said_already(_gist("Cleanliness was of a very high standard, and quiet."),
                             taken)


def test_a_word_for_the_writers_candour_is_in_no_phrase():
    """"Honest waste" was a title, of "if i'm honest, waste of time"; "Year tbh" another."""
    found = candidates("If I’m honest, waste of time. Tbh every year the same imo. In my "
                       "opinion the appraisal process. Not taken seriously", 4)
    assert not {p for p in found if {"honest", "tbh", "imo", "opinion"} & set(p.split())}, found
    assert {"waste of time", "every year", "taken seriously"} <= found


def test_an_answers_framing_is_in_no_phrase():
    """A library survey's "Word", "Pence" and "Hope that helps" were themes: an opening that
    announces the answer or a sign-off, said alike by people who value different things."""
    said = ["In a word? Staff.", "Anyway that's my two pence.", "Top of my list is the wifi",
            "The main thing is the story time sessions, hope that helps!",
            "Easy - quiet space. Cheers", "Mainly free of charge, thanks for asking",
            "Apart from the obvious, the warm reading room. Just my two cents worth."]
    found = set().union(*(candidates(text, 4) for text in said))
    framing = {"word", "pence", "penny", "hope", "help", "top", "list", "main", "easy",
               "cheer", "cheers", "anyway", "obvious", "asking", "cent", "worth"}
    assert not {p for p in found if framing & set(p.split())}, found
    assert {"staff", "wifi", "story time session", "quiet space", "free of charge",
            "warm reading room"} <= found
    # Not where the words say something: "easy to get to", "the main library".
    assert "easy" in candidates("Easy to get to on the bus", 4)
    assert "main library" in candidates("The main library is too far", 4)


def test_a_description_lists_no_word_of_names_alone():
    """"Mentions Lane": residents wrote "Campbell Lane" and "Lovers Lane"."""
    from summariser.draft.titles import describe

    uses = [PhraseUse("lane", "lane", 6, 6, 0), PhraseUse("turn", "turns", 4, 4, 0)]
    texts = ["Widen Campbell Lane and Lovers Lane.", "Left turns at the lane."] * 3
    shown = {"lane": "Lane", "turn": "turns"}
    assert describe(uses, "Roads", 8, shown.__getitem__, texts) == "Mentions turns."
    texts = ["The bus lane is blocked.", "Left turns at the lane."] * 3
    shown["lane"] = "lane"
    assert describe(uses, "Roads", 8, shown.__getitem__, texts) == "Mentions lane and turns."


def test_a_word_is_shown_as_people_write_it_not_as_they_shout_it():
    """"Mix and FAMILIES" was a title: the answers that used the word were written in
    capitals. A short word English does not know, shouted, is still an acronym."""
    from summariser.draft.phrases import surface_form

    shouted = ["A PLACE WHERE ALL AGES MIX AND FAMILIES", "CODE CLUB FOR FAMILIES X"]
    assert surface_form("family", shouted) == "families"
    assert surface_form("nhs", ["THE NHS IS GREAT FOR ME"]) == "NHS"
    assert surface_form("family", [*shouted, "Families welcome"]) == "families"


def test_the_head_of_a_title_is_the_word_most_use_in_any_of_its_forms():
    """"Free and morning" titled a library's opening-hours theme: "open" (21 people, "open
    later", "open till 8") names no thing, and "free" (11, of "step free access" and "when
    people are free") was taken before "opening" (7). "Opening" is the word of the idea."""
    uses = [PhraseUse("open", "open", 21, 21, 10), PhraseUse("free", "free", 11, 11, 9),
            PhraseUse("opening", "opening", 7, 7, 0),
            PhraseUse("opening hour", "opening hours", 4, 4, 0),
            PhraseUse("morning", "morning", 5, 5, 1)]
    assert choose_title(uses, 48, show=lambda key: key, stop=set()) == "Opening hour"
    # A form few use borrows nothing ("build more houses" is about houses), nor from a word of
    # the question or a stop word.
    build = [PhraseUse("build", "build", 30, 30, 0), PhraseUse("house", "houses", 20, 20, 0),
             PhraseUse("building", "building", 3, 3, 0)]
    assert choose_title(build, 40, show=lambda key: key, stop=set()) == "House"
    park = [PhraseUse("park", "park", 30, 30, 0), PhraseUse("toilet", "toilet", 12, 12, 0),
            PhraseUse("parking", "parking", 8, 8, 0)]
    assert choose_title(park, 40, show=lambda key: key, stop=set(),
                        asked={"park"}).startswith("Toilet")


@pytest.mark.parametrize(("key", "form", "clause"), [
    ("time there's a consultation", "time there's a consultation", True),
    ("move here two year", "moved here two years", True),
    ("ad won't stop", "ads won't stop", True),
    ("delay flight", "delayed flight", False), ("lose luggage", "lost luggage", False),
    ("library's future", "library's future", False), ("step free access", "step free access",
                                                       False), ("time it’s done", "", True),
])
def test_a_title_is_no_clause(key: str, form: str, clause: bool):
    """"Time there's a consultation" and "Moved here two years" were titles, the second of a
    sentence many wrote before their answer ("We moved here two years ago.")."""
    from summariser.draft.titles import is_clause

    assert is_clause(key, form) is clause
    if clause:
        assert not titleable(key, set(), form=form)


def test_a_title_opens_with_no_judgment_of_someone():
    """"Praise the hospital" was a title, of "can't praise the hospital enough": an act, not a
    thing. "Praise for ..." is the draft's own word for a theme's side, not a phrase's."""
    assert not titleable("praise the hospital", set())
    assert not titleable("thank the staff", set())
    assert titleable("hospital", set())


def test_a_word_joins_a_title_only_as_a_thing():
    """"Lectures and watch" (of "lectures are recorded so I can watch them back") and "Lecturers and
    concentrate" were titles: a second word joins the head only where people use it as a
    thing ("Lectures and notes")."""
    from functools import partial

    from summariser.draft.naming import _joins_as_a_thing

    texts = ["lectures are recorded so I can watch them back", "being able to watch again",
             "I watch them again before exams, the lectures", "lectures online",
             "the lectures"] * 2
    uses = [PhraseUse("lecture", "lecture", 10, 10, 0), PhraseUse("watch", "watch", 6, 6, 0)]
    apart = partial(_joins_as_a_thing, texts=texts)
    assert choose_title(uses, 10, show=lambda key: key, stop=set(), apart=apart) == "Lecture"
    notes = [*texts, "lectures and the notes", "notes from lectures", "the notes are good"]
    uses = [PhraseUse("lecture", "lecture", 12, 12, 0), PhraseUse("note", "note", 3, 3, 0)]
    apart = partial(_joins_as_a_thing, texts=notes)
    assert choose_title(uses, 12, show=lambda key: key, stop=set(),
                        apart=apart) == "Lecture and note"
