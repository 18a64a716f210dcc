"""Naming a proposed theme from the segments that founded it: its title (chosen by
`summariser.draft.titles`, and checked against its people's words), description, coding phrases
and examples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import partial

from summariser.draft.candidates import LONGEST_PHRASE, Candidate, SectionWords
from summariser.draft.codebook import CodebookTheme
from summariser.draft.phrases import (
    FUNCTION_WORDS,
    Phrase,
    PhraseMatcher,
    as_title,
    candidates,
    cut_short,
    is_noun,
    join_words,
    lemma,
    lemma_key,
    lemmas,
    names_a_thing,
    surface_form,
    tokens,
    used_as_noun,
    written_apart,
)
from summariser.draft.stance import SIDES, stance_title
from summariser.draft.titles import (
    MIN_TITLE_PRECISION,
    VAGUE,
    PhraseUse,
    choose_title,
    describe,
    is_clause,
    qualified,
    titleable,
)
from summariser.text.nonanswers import opens_with_nothing
from summariser.text.tone import is_praise, positivity

# Chosen with discovery as a whole on the labelled sets and the development judgments; where,
# and what they give held back: benchmarks/README.md, "Thresholds".
CRITICAL = 0.05  # VADER's compound score below minus this reads as criticism
TITLE_SUPPORT = 0.3  # a title whose words fewer of the theme's people use names a miscellany
MAX_PHRASES = 3  # coding phrases per proposed theme
MAX_EXAMPLES = 3
# A phrase a few of a theme's people use may name it when its sentences are no further than
# this below the theme's average nearness to its centre (`_typical`). Set between the phrases
# seen on the labelled sets: "Free bet" (-0.058) and "Answering phones" (-0.098) name corners;
# "Gambling addiction" (-0.025, 7 of 18 people) and "Delayed flight" (-0.027, 155 of 851) name
# the theme. Development figures: no held-back set decides it.
TYPICAL_MARGIN = 0.03
NOTHING_TO_MEND = "Nothing to improve"
NOTHING_PHRASES = ("nothing", "no complaints", "can't think of anything")
_MENDING = {"fault", "improve", "improvement", "change", "complaint", "criticise", "problem"}


def phrase_uses(section: SectionWords, rows: set[int]) -> list[PhraseUse]:
    """Every candidate phrase of a theme's segments, with its use inside and outside."""
    people: dict[str, set[str]] = {}
    inside: Counter = Counter()
    for i in rows:
        text = section.passages[i].text
        for phrase in candidates(text, LONGEST_PHRASE):
            key = lemma_key(phrase)
            if key in section.index:
                people.setdefault(key, set()).add(section.person[i])
                inside[key] += 1
    uses = []
    for key, who in people.items():
        if len(who) < 2:
            continue
        total = len(section.rows_of(key))
        forms = section.forms(key)
        form = next((f for f in forms if is_noun(f)), forms[0]) if " " not in key else forms[0]
        uses.append(PhraseUse(key, form, len(who), inside[key], total - inside[key]))
    return uses


def name_theme(section: SectionWords, number: int, candidate: Candidate, coded: set[int],
           avoid: set[str]) -> CodebookTheme | None:
    # Named from the segments that founded it: coding's reach past them would let the name
    # drift to a neighbouring idea ("waiting" to "prescriptions not ready").
    rows = candidate.rows
    people = len(section.people_of(rows))
    uses = phrase_uses(section, rows)
    display: dict[str, str] = {}

    def show(key: str) -> str:
        if key not in display:
            display[key] = section.shown(key, rows)
        return display[key]

    texts = [section.passages[i].text for i in sorted(rows)]
    if not candidate.key and candidate.tone in ("", "praise") and (
            mended := _nothing_to_mend(section, rows, avoid)):
        return _nothing_to_mend_theme(section, number, mended, uses, show, texts)
    # A side of a proposal is named from both sides (summariser.draft.propose): "a complete
    # ban", which its opponents rarely write in full.
    title = candidate.thing or _own_title(section, candidate, uses, show, avoid, texts)
    if not title:
        return None  # no words its people share name it: not an idea a reader recognises
    phrases = [*candidate.forms, *(f for key in candidate.keys[len(candidate.forms) > 0:]
                                   for f in section.forms(key))][:MAX_PHRASES]
    examples = _examples(section, candidate, phrases, title)
    if candidate.tone in SIDES:
        title = stance_title(candidate.tone, candidate.thing)
    elif candidate.thing:
        title = as_title(re.sub(r"^an? ", "", candidate.thing))  # "Complete ban": both sides
    elif candidate.tone == "praise" and not is_praise(title):
        title = f"Praise for {_inside(title)}"
    elif candidate.tone == "other" and positivity(title) > -CRITICAL and 2 * len(
            {section.person[i] for i in rows if positivity(section.passages[i].text)
             <= -CRITICAL}) >= people:
        title = f"Criticism of {_inside(title)}"
    shown = [surface_form(p, texts) for p in phrases]
    description = describe(uses, title, people, show, texts,
                           section.stop | section.noun | section.asked | VAGUE)
    return CodebookTheme(id=f"t{number}", title=title, description=description,
                         phrases=tuple(shown), examples=examples, tone=candidate.tone)


def _nothing_to_mend(section: SectionWords, rows: set[int], avoid: set[str]) -> set[int]:
    """The segments that say it, where most of a theme's people answer a question that asks what
    should change with nothing, and praise ("Nothing at all, everyone was lovely."): that is
    their finding, not the words of their praise ("Lovely and class"). Else none."""
    if not section.mending or set(tokens(NOTHING_TO_MEND.lower())) & avoid:
        return set()
    saying = {i for i in rows if opens_with_nothing(section.passages[i].text)
              and is_praise(section.passages[i].text)}
    return saying if 2 * len(section.people_of(saying)) > len(section.people_of(rows)) else set()


def _nothing_to_mend_theme(section: SectionWords, number: int, saying: set[int],
                           uses: Sequence[PhraseUse], show: Callable[[str], str],
                           texts: Sequence[str]) -> CodebookTheme:
    """"Nothing to improve": coded by the words that say so, praise only. By meaning it would
    count "Wonderful care from everyone." of someone who goes on "The wait was too long."."""
    # Not "Mentions fault", of "nothing to fault".
    unsaid = section.stop | section.noun | section.asked | VAGUE | _MENDING
    return CodebookTheme(
        id=f"t{number}", title=NOTHING_TO_MEND,
        description=describe(uses, NOTHING_TO_MEND, len(section.people_of(saying)), show,
                             texts, unsaid),
        phrases=NOTHING_PHRASES, examples=_most_typical(section, saying), by_meaning=False,
        tone="praise")


def _own_title(section: SectionWords, candidate: Candidate, uses: Sequence[PhraseUse],
               show: Callable[[str], str], avoid: set[str], texts: Sequence[str]) -> str:
    """The title the theme's founding segments give it, or "" when their people share no words
    that name it and that no other title uses (`avoid`)."""
    rows = candidate.rows
    required = candidate.key.split()
    name = partial(choose_title, uses, len(section.people_of(rows)), show, section.stop,
                   asked=section.asked, noun=section.noun, avoid=avoid,
                   reads_as_thing=partial(names_a_thing, texts=texts),
                   typical=partial(_typical, section, rows),
                   whole=lambda phrase: not cut_short(phrase, texts),
                   apart=partial(_joins_as_a_thing, texts=texts))
    if candidate.tone in ("praise", "other"):
        # One side of what people praise and fault: the other side uses its words too.
        name = partial(name, precision=0)
    title = name(required=required) or name() or name(precision=0)
    if not title and candidate.key and not set(required) & avoid \
            and not is_clause(candidate.key, show(candidate.key)):
        title = as_title(show(candidate.key))  # not "Moved here two years"
    if title.isalpha() and not title.isupper() and not used_as_noun(title.lower(), texts):
        title = _covering_title(section, rows, uses, avoid, show)  # "Keep" names no thing
    support = partial(_support, section, rows, own=candidate.key)
    if title and support(title) < TITLE_SUPPORT:
        title = _covering_title(section, rows, uses, avoid, show) or title
    if not title or support(title) < TITLE_SUPPORT:
        return ""
    if title.isalpha():
        title = qualified(title, [(section.person[i], section.passages[i].text)
                                  for i in sorted(rows)], section.noun) or title
    return title


def _joins_as_a_thing(head: str, other: str, texts: Sequence[str]) -> bool:
    """Whether `other` may join a one-word title `head` ("Bags and luggage"): people write the
    two apart, and use `other` as a thing, not an act ("Lectures and watch", of "watch the
    lectures back"; "Lecturers and concentrate", of "can't concentrate")."""
    return written_apart(head, other, texts=texts) and used_as_noun(other, texts)


def _typical(section: SectionWords, rows: set[int], key: str) -> bool:
    """Whether the segments using a phrase are about as near a theme's centre as its segments
    are on average (`TYPICAL_MARGIN`): a phrase a few of its people use names the theme only if
    it is what the theme is about ("Hours on hold", "Gate agent"), not a corner of it ("Free
    bet", three of 24 people writing about betting; "Answering phones", 8 of 384 on the
    phone)."""
    using = sorted(section.rows_of(key) & rows)
    if not using:
        return False
    centre = section.centre(rows)
    every = section.centred[sorted(rows)] @ centre
    return float((section.centred[using] @ centre).mean()) >= float(every.mean()) - TYPICAL_MARGIN


def _covering_title(section: SectionWords, rows: set[int], uses: Sequence[PhraseUse],
                    avoid: set[str], show: Callable[[str], str]) -> str:
    """For a group whose people say one thing in different words ("alcohol", "tobacco", "junk
    food"): the nouns that, taken in turn by the people they add, name it, up to three."""
    people = section.people_of(rows)
    texts = [section.passages[i].text for i in sorted(rows)]
    words = [u for u in uses if u.single and u.precision >= MIN_TITLE_PRECISION
             and titleable(u.key, section.stop, (), section.noun, u.form)
             and u.key not in section.common | section.asked and u.form not in avoid
             and used_as_noun(u.form, texts)]
    who = {u.key: section.people_of(section.rows_of(u.key) & rows) for u in words}
    chosen: list[str] = []
    covered: set[str] = set()
    while len(chosen) < 3 and (len(covered) < TITLE_SUPPORT * len(people)
                               or chosen == [k for k in chosen if k in section.asked]):
        best = max(who, key=lambda k: (len(who[k] - covered), k), default=None)
        if best is None or len(who[best] - covered) < 2:
            break
        chosen.append(best)
        covered |= who.pop(best)
    if len(covered) < TITLE_SUPPORT * len(people) or all(k in section.asked for k in chosen):
        return ""
    return as_title(join_words([show(k) for k in chosen]))


def _inside(title: str) -> str:
    """A title as the end of a longer one: "Praise for staff", but "Praise for GP visits"."""
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def _support(section: SectionWords, rows: set[int], title: str, own: str = "") -> float:
    """The share of a theme's people whose segments use a word of its title (in any form),
    words most of the section uses aside ("gambling", in answers about gambling ads) unless
    the theme was founded on them (`own`, its phrase: "parking", which most people raised)."""
    founded = set(own.split())
    using = _people_using(section, rows, [w for w in tokens(title) if w not in FUNCTION_WORDS
                                          and (lemma(w) not in section.common
                                               or lemma(w) in founded)])
    return len(using) / max(len(section.people_of(rows)), 1)


def drifts_to_the_question(section: SectionWords, rows: set[int], title: str) -> bool:
    """Whether under `TITLE_SUPPORT` of the people a theme counts (`rows`, its coded segments)
    use a word of its title other than the question's, and most of the rest write only the
    question's words: coded by meaning from a few people's phrase, it has drifted to what the
    question asks about ("Gambling money", founded by two, counting "Why single out
    gambling?"). People who say the same in other words use neither."""
    people = section.people_of(rows)
    claimed = _people_using(section, rows, [w for w in tokens(title) if w not in FUNCTION_WORDS
                                            and lemma(w) not in section.asked])
    rest = {i for i in rows if section.person[i] not in claimed}
    asking = _people_using(section, rest, [w for w in section.asked if w not in FUNCTION_WORDS
                                           and w not in VAGUE])
    return len(claimed) < TITLE_SUPPORT * len(people) and 2 * len(asking) > len(people - claimed)


def _people_using(section: SectionWords, rows: set[int], words: Collection[str]) -> set[str]:
    """The people of `rows` whose segments use one of `words` in any form."""
    forms = set().union(*(lemmas(w) for w in words))
    return {section.person[i] for i in rows
            if any(lemmas(w) & forms for w in tokens(section.passages[i].text))}


def _examples(section: SectionWords, candidate: Candidate, phrases: Sequence[str],
              title: str) -> tuple[str, ...]:
    """The most typical segments of the theme, one per person and each in words of its own,
    none over 40 words: those using its first phrase where it has one; else, for a group found
    by meaning, those using the words of its title where two people's do. The examples are part
    of what coding by meaning compares with, so a group's member that says something else ("a
    culture of working openly ... across health, social work", in a group titled "Mental
    health") would otherwise code others like it."""
    named = candidate.rows
    if phrases:
        matcher = [Phrase.of(phrases[0])]
        named = {i for i in candidate.rows
                 if PhraseMatcher.first(matcher, PhraseMatcher(matcher).runs(
                     section.passages[i].text))} or candidate.rows
    elif " and " not in title:  # a phrase people wrote, each of its words in any form (a
        # joined title, "Rental and apartments", names what several say in other words)
        words = [lemmas(w) for w in tokens(title) if w not in FUNCTION_WORDS]
        titled = {i for i in candidate.rows if all(
            any(forms & lemmas(w) for w in tokens(section.passages[i].text)) for forms in words)}
        if len(section.people_of(titled)) >= 2:
            named = titled
    return _most_typical(section, named)


def _most_typical(section: SectionWords, named: set[int]) -> tuple[str, ...]:
    """Up to `MAX_EXAMPLES` of the segments `named`, nearest their centre first: one per person,
    each in words of its own, none over 40 words."""
    centre = section.centre(named)
    examples: list[str] = []
    seen: set[str] = set()
    said: set[str] = set()  # three people's "Roll out fibre to rural areas" is one example
    for i in sorted(named, key=lambda i: (-float(section.centred[i] @ centre), i)):
        passage = section.passages[i]
        wording = " ".join(tokens(passage.text))
        if passage.respondent in seen or wording in said or len(passage.text.split()) > 40:
            continue
        examples.append(passage.text)
        seen.add(passage.respondent)
        said.add(wording)
        if len(examples) == MAX_EXAMPLES:
            break
    return tuple(examples)


def evidence_title(section: SectionWords, chosen: set[str]) -> str:
    """The title offline drafting gives the segments `chosen` (passage ids) of the section: a
    phrase two or more of their people share, or "" when they share none."""
    rows = {i for i, p in enumerate(section.passages) if p.passage_id in chosen}
    people = section.people_of(rows)
    if len(people) < 2:
        return ""
    named = name_theme(section, 0, Candidate("", rows, people, section.lift(rows)), rows, set())
    return named.title if named is not None else ""
