"""Offline theme proposals: find the ideas several people express, name them, write a codebook.

A proposal is only a codebook. Who counts in a theme is decided afterwards, by coding every
segment against it (`summariser.draft.coding`), so nothing here becomes a count by itself.

Candidates come two ways:
- **Shared phrases** (`summariser.draft.phrases.candidates`, one to four words), compared by
  lemma, so "wait", "waiting" and "waits" are one candidate; its surface forms stay one
  candidate only if they mean alike where they are used ("parking" and "parks" do not). A phrase
  founds a candidate when at least `min_support` people use it (most of the section may: the
  idea most people raise is a finding) and its segments are about one thing (their mean
  cosine similarity exceeds the section's by `MIN_LIFT`; a shared run of words needs no lift).
  The question's own words ("Bowling Green", and its initials "BG") and the words people use
  for them ("ads" for "advertisements", `SectionWords` with the embedder), the respondent noun,
  and nouns too general to name anything ("issues") never found one.
- **Groups by meaning** (`summariser.draft.discover`): segments that say the same thing in
  other words, each coherent group (`MIN_LIFT`) a candidate.
Non-answers ("Don't know", `summariser.text.nonanswers`) take no part, nor does who an answer
is addressed to (@handles). Candidates are taken greedily by the people they add who are not yet
in a taken theme, times their lift; one whose segments mean the same as a theme already taken
(centres within `SAME_IDEA`) adds its phrases to that theme instead ("fiber" for "internet"), and
one that mostly repeats a taken theme's people (`MAX_REPEAT`) is left out. After the section's
budget, while fewer than `COVERAGE_TARGET` of the substantive answers would be coded, the
uncoded segments are grouped again and coherent groups added, up to `MAX_THEMES`. A theme people
both praise and fault is proposed as two (when each side, named alone, is still named by what
founded the theme); so is one founded on what a question asks people to
take a side on ("Should adverts be banned?"), for and against (`summariser.draft.stance`),
within the section's most themes (a split leaves out a smaller theme to make room). Each
theme is named from its evidence (`summariser.draft.titles`), those founded on a phrase before
groups found by meaning, and no two titles share a word. Everything is deterministic: no
seed, and the result does not depend on the order of the input.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from summariser.draft.candidates import (
    SAME_SURFACE,
    Candidate,
    SectionWords,
    group_candidates,
    min_support,
    one_idea,
    phrase_candidates,
)
from summariser.draft.codebook import CodebookTheme
from summariser.draft.coding import MEANING_FLOOR, MEANING_MARGIN
from summariser.draft.naming import MAX_PHRASES, drifts_to_the_question, name_theme
from summariser.draft.phrases import FUNCTION_WORDS, as_title, lemma, tokens
from summariser.draft.stance import SIDES, Sides, opens, stated, thing_phrase
from summariser.index.embedders import Embed
from summariser.records import Passage
from summariser.text.nonanswers import asks_a_side, says_nothing
from summariser.text.tone import is_praise, praised_thing

# Chosen with discovery as a whole on the labelled sets and the development judgments; where,
# and what they give held back: benchmarks/README.md, "Thresholds".
# MAX_REPEAT and SAME_IDEA are older than the split and were kept, not re-derived.
MAX_REPEAT = 0.6  # a candidate whose people are mostly a taken theme's people is left out
SAME_IDEA = 0.8  # ... and one whose centre is this close to a taken theme's (centred vectors)
TONE_SHARE = 0.25  # a theme this share of whose people praise it (or are for what a question
# proposes), and as many do not, is two
COVERAGE_TARGET = 0.85  # themes are added past the budget until this share of answers is coded
MAX_THEMES = 12
# Not fitted: far more than a survey answer's sentences (the example's longest has 9), far fewer
# than a pasted letter's.
MAX_SEGMENTS_READ = 20


def theme_budget(answers: int) -> int:
    """How many themes a section may have: grows with the number of answers, from two to 12
    (16 answers: 6; 600: 10; 10,000: 12)."""
    return max(2, min(MAX_THEMES, round(2 + 3 * math.log10(max(answers, 1)))))


def non_answers(passages: Sequence[Passage], question: str = "") -> set[str]:
    """Response ids whose every segment is a non-answer ("Don't know. Nothing really."), to
    `question` (the text of the section's questions: a bare "No" answers one that asks for a
    side)."""
    sided = asks_a_side(question)
    parts: dict[str, list[str]] = {}
    for passage in passages:
        parts.setdefault(passage.response_id, []).append(passage.text)
    return {response for response, texts in parts.items() if says_nothing(texts, sided=sided)}


@dataclass
class _Selection:
    section: SectionWords
    taken: list[Candidate] = field(default_factory=list)
    centres: list[np.ndarray] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)
    titled: set[str] = field(default_factory=set)  # words of the taken themes' titles

    def offer(self, candidate: Candidate) -> bool:
        """Take a candidate, merge it into the theme it means the same as, or leave it out (as
        also when no words its people share can name it apart from the themes taken: a group
        that cannot be named is no idea a reader would recognise, and takes no place)."""
        centre = self.section.centre(candidate.rows)
        same = [n for n, c in enumerate(self.centres) if float(c @ centre) >= SAME_IDEA]
        if same:
            theme = self.taken[same[0]]
            if candidate.key and len(theme.keys) < MAX_PHRASES and \
                    not set(candidate.key.split()) & {w for k in theme.keys for w in k.split()}:
                theme.keys.append(candidate.key)
                theme.rows |= candidate.rows
                theme.people |= candidate.people
                self.covered |= candidate.people
                self.centres[same[0]] = self.section.centre(theme.rows)
            return False
        if any(len(candidate.people & t.people) >= MAX_REPEAT * len(candidate.people)
               for t in self.taken):
            return False
        named = name_theme(self.section, 0, candidate, candidate.rows, self.titled)
        if named is None:
            return False
        self.titled |= set(tokens(named.title)) - FUNCTION_WORDS
        self.taken.append(candidate)
        self.centres.append(centre)
        self.covered |= candidate.people
        return True

    def fill(self, pool: list[Candidate], limit: int) -> None:
        pool = list(pool)
        while pool and len(self.taken) < limit:
            best = max(pool, key=lambda c: (c.gain(self.covered), c.key, -min(c.rows)))
            if best.gain(self.covered) <= 0:
                return
            pool.remove(best)
            self.offer(best)

    def coded(self) -> list[set[int]]:
        """Each taken theme's segments as coding would find them: those using one of its
        phrases, and those close enough in meaning to its centre (the rule of
        `summariser.draft.coding`, with the centre of the theme's segments for its meaning)."""
        if not self.taken:
            return []
        centres = np.array(self.centres)
        similarity = self.section.centred @ centres.T
        best = similarity.max(axis=1)
        close = (similarity >= MEANING_FLOOR) & (similarity >= best[:, None] - MEANING_MARGIN)
        rows = []
        for n, theme in enumerate(self.taken):
            found = set(np.flatnonzero(close[:, n]).tolist())
            if theme.key:  # the segments using its phrases
                found |= theme.rows
            rows.append(found)
        return rows


def propose_themes(passages: Sequence[Passage], vectors: np.ndarray, budget: int,
                   context: str = "", noun: tuple[str, str] = ("respondent", "respondents"),
                   grow: bool = True, about: frozenset[str] = frozenset(),
                   embed: Embed | None = None, masked: Sequence[str] = ()
                   ) -> tuple[list[CodebookTheme], list[str]]:
    """Proposed themes for a section's counted passages, best supported first, and notes on
    what was not proposed. `context` is the question text, `noun` the respondent noun and
    `about` the names the whole survey is about (`summariser.draft.candidates.survey_names`):
    their words found no theme. With `grow`, themes past the budget may be proposed for answers
    no theme fits (not when the analyst set the number of themes). `embed`, the embedder that
    made `vectors`, reads which side of a proposal a segment takes; without it no theme is
    split by side. `masked`: the names the analyst masks, which found no theme either."""
    quiet = non_answers(passages, context)
    keep = _one_voice_each([i for i, p in enumerate(passages) if p.response_id not in quiet],
                           passages)
    if len(keep) < 2:
        return [], []
    section = SectionWords([passages[i] for i in keep], vectors[keep], context, noun, about,
                           embed, masked)
    least = min_support(section.people)
    phrases = [c for c in (one_idea(section, c) for c in phrase_candidates(section, least))
               if len(c.people) >= least]
    everything = list(range(len(section.passages)))
    selection = _Selection(section)
    selection.fill(phrases + group_candidates(section, everything, least), budget)
    notes: list[str] = []
    coded = selection.coded()
    covered = {section.passages[i].response_id for rows in coded for i in rows}
    answers = {p.response_id for p in section.passages}
    most = max(budget, MAX_THEMES) if grow else budget
    if len(covered) < COVERAGE_TARGET * len(answers) and len(selection.taken) < most:
        uncoded = [i for i in everything if section.passages[i].response_id not in covered]
        before = len(selection.taken)
        selection.fill(group_candidates(section, uncoded, least), most)
        if len(selection.taken) > before:
            notes.append(f"{len(selection.taken) - before} theme(s) beyond the section's budget "
                         f"of {budget} were proposed for answers no other theme fitted.")
            coded = selection.coded()
    taken, coded = _merge_namesakes(section, selection.taken, coded)
    sides = _SideReader(section, embed)
    taken, coded, left_out = _sides_apart(section, taken, coded, least, most, sides)
    if left_out:
        notes.append(f"{left_out} proposed theme(s) with fewer people were left out to make "
                     "room for praise and criticism of one thing as two themes; their people "
                     "are among those no theme counts. To keep them, ask for more themes "
                     "(--themes) or add them to the section's codebook.")
    themes, drifted = _named(section, taken, coded)
    notes += [f"'{title}' codes only the segments that use its phrases: by meaning it would "
              "count more people who write of what the question asks about than of it. To "
              "count them, set by_meaning = true for it in the section's codebook."
              for title in drifted]
    if len(themes) < len(taken):
        notes.append(f"{len(taken) - len(themes)} group(s) of answers could not be "
                     "named by a phrase two of their people share that no other theme's title "
                     "uses; they were not proposed.")
    return themes, notes


def _named(section: SectionWords, taken: list[Candidate], coded: list[set[int]]
           ) -> tuple[list[CodebookTheme], list[str]]:
    """The proposed themes, named, in the order taken (those no words name left out), and the
    titles of those that drifted to what the question asks about (coded by their phrases)."""
    named: dict[int, CodebookTheme] = {}
    drifted: list[str] = []
    # Words of the titles so far: no two titles share a word. Namesakes of one lemma that mean
    # the same were merged above; those left mean differently ("Parks", "Parking").
    titled: set[str] = set()
    pairs: dict[int, set[str]] = {}  # a split theme's sides may share the thing they are of
    # Themes founded on a phrase are named first: its words are theirs ("Gambling companies"),
    # and a group found by meaning is named with the words left (one once took "company").
    for n in sorted(range(len(taken)), key=lambda n: (not taken[n].key, n)):
        candidate, rows = taken[n], coded[n]
        theme = name_theme(section, n + 1, candidate, rows,
                           titled - pairs.get(candidate.pair, set()))
        if theme is not None and _praised(section, theme.title, candidate):
            theme = replace(theme, tone="praise")
        if theme is not None and candidate.key and not candidate.tone \
                and drifts_to_the_question(section, rows, theme.title):
            # Its title would be a claim untrue of most it counts: its phrase's people only.
            theme = replace(theme, by_meaning=False)
            drifted.append(theme.title)
        if theme is not None:
            named[n] = theme
            words = set(tokens(theme.title)) - FUNCTION_WORDS
            titled |= words
            if candidate.pair:
                pairs[candidate.pair] = words
    return [named[n] for n in sorted(named)], drifted


def _one_voice_each(rows: list[int], passages: Sequence[Passage]) -> list[int]:
    """The segments discovery reads: each person's sentence once however often they repeat it,
    and at most `MAX_SEGMENTS_READ` of theirs, so that one long answer (a letter pasted in, a
    sentence pasted 300 times) cannot outweigh a dozen people who each say one thing. Coding
    still reads every segment: who counts is not decided here."""
    seen: set[tuple[str, str]] = set()
    read: Counter = Counter()
    kept = set()
    # By passage id, not input order: the same segments are read however the rows come.
    for i in sorted(rows, key=lambda i: passages[i].passage_id):
        person, text = passages[i].respondent, " ".join(passages[i].text.lower().split())
        if (person, text) in seen or read[person] == MAX_SEGMENTS_READ:
            continue
        seen.add((person, text))
        read[person] += 1
        kept.add(i)
    return [i for i in rows if i in kept]


def _title_words(section: SectionWords, candidate: Candidate, rows: set[int]) -> set[str]:
    """The lemmas of the title a theme would have on its own."""
    theme = name_theme(section, 0, candidate, rows, set())
    return {lemma(w) for w in tokens(theme.title)} - FUNCTION_WORDS if theme else set()


def _merge_namesakes(section: SectionWords, taken: list[Candidate], coded: list[set[int]]
                     ) -> tuple[list[Candidate], list[set[int]]]:
    """Themes that would be titled with a word in common and mean alike (centres within
    `SAME_SURFACE`) are one idea: the later joins the earlier ("Opening" and "Opening hours").
    Namesakes that mean differently keep apart, and are titled apart."""
    words = [_title_words(section, c, rows) for c, rows in zip(taken, coded)]
    kept: list[int] = []
    for n, candidate in enumerate(taken):
        into = next((k for k in kept if words[k] & words[n] and _mergeable(taken[k], candidate)
                     and float(section.centre(taken[k].rows) @ section.centre(candidate.rows))
                     >= SAME_SURFACE), None)
        if into is None:
            kept.append(n)
            continue
        theme = taken[into]
        theme.rows |= candidate.rows
        theme.people |= candidate.people
        theme.keys += [k for k in candidate.keys if k not in theme.keys]
        coded[into] = coded[into] | coded[n]
    return [taken[k] for k in kept], [coded[k] for k in kept]


class _SideReader:
    """The two sides of a theme: for and against what the question proposes when most of the
    people who founded the theme write its word (`SectionWords.proposal`, "ban"); else praise
    and the rest of what is said of it."""

    def __init__(self, section: SectionWords,
                 embed: Embed | None):
        self.section, self.embed = section, embed
        # Who opens by taking a side matters only where the question asks for one.
        asked = bool(section.proposal) and embed is not None
        self.opened = stated(section.passages) if asked else {}
        self.said = {i for i, p in enumerate(section.passages) if p.response_id in self.opened
                     and opens(p.text) == self.opened[p.response_id]}

    def __call__(self, candidate: Candidate, rows: set[int]
                 ) -> tuple[tuple[tuple[str, set[int]], ...], str]:
        """The sides (tone, member segments), and for a proposal's the thing they are of."""
        section, members = self.section, candidate.rows | rows
        founders = section.people_of(candidate.rows)
        words = sorted(w for w in section.proposal if w in section.index and 2 * len(
            section.people_of(section.rows_of(w) & candidate.rows)) > len(founders))
        if words and self.embed is not None:
            # With those who open by taking a side ("Disagree.", "No."), as coding counts them.
            ordered = sorted(members | self.said)
            thing = thing_phrase(self._named(candidate, rows, words[0]),
                                 [section.passages[i].text for i in ordered])
            read = Sides(thing, self.embed).of([section.passages[i] for i in ordered],
                                               section.vectors[ordered], self.opened)
            return tuple((side, {i for i, s in zip(ordered, read) if s == side})
                         for side in SIDES), thing
        # Where the question asks what was good, all of it is praise: "Food" answers it.
        about = frozenset(candidate.key.split())
        praise = members if section.praised else {
            i for i in members if is_praise(section.passages[i].text, about)}
        return (("praise", praise), ("other", members - praise)), ""

    def _named(self, candidate: Candidate, rows: set[int], word: str) -> str:
        """What both sides are of, named from everyone who writes of it with the proposal's
        word in the title ("Complete ban": its opponents rarely write "complete"); the word
        alone where no title holds it."""
        whole = name_theme(self.section, 0, replace(candidate, key=word), rows, set())
        if whole is not None and word in {lemma(w) for w in tokens(whole.title)}:
            return whole.title
        return as_title(self.section.shown(word, candidate.rows))


def _sides_apart(section: SectionWords, taken: list[Candidate], coded: list[set[int]],
                 least: int, most: int, sides: _SideReader
                 ) -> tuple[list[Candidate], list[set[int]], int]:
    """A theme that at least `TONE_SHARE` of its people praise and as large a share do not
    ("lovely staff", "staff never answer the phone") becomes two: the praise, and the rest
    (never where the question asks only what was good: "The night staff" answers it); as
    does one that as many are for as against what the question proposes ("Ban them.", "A ban
    would hurt grassroots sport."). Of a proposal too few take one side: the other side alone
    (the few are left to the people no theme counts), if enough take it. Past `most` themes, a
    split makes room by leaving out a theme with fewer people than either of its sides; where
    none has, the split with the smallest side stays one theme of both sides, no side in its
    title. With the themes and their segments, how many were left out."""
    # Each theme's plan (one theme, or its two sides) with the theme of both sides it falls
    # back to.
    plans: list[tuple[list[tuple[Candidate, set[int]]], tuple[Candidate, set[int]]]] = []
    for candidate, rows in zip(taken, coded):
        split, thing = sides(candidate, rows)
        people = [section.people_of(side) for _, side in split]
        total = len(section.people_of(candidate.rows | rows))
        both = all(len(p) >= max(least, 3) and len(p) >= TONE_SHARE * total for p in people)
        if both and not all(_names_it(section, candidate, rows, tone, side, thing)
                            for tone, side in split):
            both = False
        whole = (replace(candidate, thing=thing), rows)
        if both:
            kept = [0, 1]
        elif thing and max(len(p) for p in people) >= least:
            kept = [max((0, 1), key=lambda n: len(people[n]))]
        else:  # too few take either side: one theme of both, no side in its title
            plans.append(([whole], whole))
            continue
        pair = len(plans) + 1
        plans.append(([(Candidate(candidate.key, candidate.rows & split[n][1], set(people[n]),
                                  candidate.lift, list(candidate.keys), list(candidate.forms),
                                  split[n][0], pair=pair, thing=thing), rows & split[n][1])
                       for n in kept], whole))
    left_out = 0
    while sum(len(plan) for plan, _ in plans) > most:
        splits = [n for n, (plan, _) in enumerate(plans) if len(plan) == 2]
        if not splits:
            break
        smallest = min(splits, key=lambda n: (min(len(c.people) for c, _ in plans[n][0]), n))
        side = min(len(c.people) for c, _ in plans[smallest][0])
        alone = [n for n, (plan, _) in enumerate(plans) if len(plan) == 1
                 and not plan[0][0].tone and len(plan[0][0].people) < side]
        if alone:
            plans.pop(max(alone, key=lambda n: (-len(plans[n][0][0][0].people), n)))
            left_out += 1
        else:
            plans[smallest] = ([plans[smallest][1]], plans[smallest][1])
    return ([c for plan, _ in plans for c, _ in plan],
            [rows for plan, _ in plans for _, rows in plan], left_out)


def _names_it(section: SectionWords, candidate: Candidate, rows: set[int], tone: str,
              side: set[int], thing: str) -> bool:
    """Whether one side of a theme, named on its own, is still about what the theme was founded
    on. VADER reads praise in a sentence that praises something else ("predatory, it catches
    fans when they're relaxed and enjoying themselves"): such a side's people share no words,
    or only words of something else ("catches"), and are no praise of it."""
    founders = candidate.rows & side
    own = replace(candidate, rows=founders, people=section.people_of(founders), tone=tone,
                  thing=thing)
    named = name_theme(section, 0, own, rows & side, set())
    if named is None:
        return False
    return thing != "" or not candidate.key or bool(
        {lemma(w) for w in tokens(named.title)} & set(candidate.key.split()))


def _praised(section: SectionWords, title: str, candidate: Candidate) -> bool:
    """Whether a theme is praise: its title praises what it names ("Helpful support", "Kind
    and caring staff": read without the thing, it is praise; "Improvement advisers" is not)
    and all but under `TONE_SHARE` of the people who founded it praise it. Such a theme codes
    only segments that read as praise, so a title that praises never counts "Early days for
    support." or "Staff were not helpful" by their meaning. Where the question asks only what was
    good, no theme is: "The night staff" is praise there, in no word VADER reads."""
    thing = praised_thing(title)
    if candidate.tone or section.praised or not is_praise(title, thing):
        return False
    founders = section.people_of(candidate.rows)
    praising = section.people_of({i for i in candidate.rows
                                  if is_praise(section.passages[i].text, thing)})
    return len(founders - praising) < TONE_SHARE * len(founders)


def _mergeable(first: Candidate, second: Candidate) -> bool:
    """Two phrase themes are one idea only if their phrases share a word: merging would
    otherwise make one's phrase count the other's people ("home" is not "delayed discharge")."""
    if not first.key or not second.key:
        return True
    return bool({w for k in first.keys for w in k.split()} & set(second.key.split()))
