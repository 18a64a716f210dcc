"""Stance: on a question that asks people to take a side ("Should gambling adverts be banned
during sport?"), which side of the proposal a passage takes.

People who write about the proposal itself ("Ban them completely.", "A ban would devastate
grassroots sport.") use the same word on both sides, so a theme founded on it ("Complete ban")
counts supporters and opponents alike, and its title claims of each that they want what half of
them oppose. Such a theme is proposed as two, "Support for a complete ban" and "Opposition to a
complete ban", and a codebook theme's `tone` ("for", "against") keeps each to its side. Such a
theme also counts the answers that open by taking its side ("Yes.", "No thanks"), whatever else
they say: the question asked for a side, and they gave one (`summariser.draft.coding`).

A passage's side is read in words where it says it, by meaning where it does not: against where
it negates the proposal's word ("don't charge", "rather than a ban"), else as its answer opens
("Yes.", "No, ..."), else by what it says of the proposal as its subject ("A ban would devastate
communities", "A ban is too extreme", "A ban is long overdue"; a verdict on a measure, else VADER
on that part, where its score is clear) or by another measure it prefers to it ("Watershed
restrictions would be better than an outright ban"), else by its vector against short
sentences that support and oppose the thing, written from fixed templates ("I support a
complete ban.", "I oppose a complete ban."), not from any corpus. VADER cannot tell the sides:
it reads "ban" as negative wherever it stands.
Measured as drafting reads them (benchmarks/README.md): on gambling-xs question 1, the one
labelled set whose question asks for a side, all 9 people counted for a ban carry its
"Complete Ban Support" code and 9 of the 10 counted against carry an economic, freedom or
partial-restriction code, none of them that one; in the seafront and tourist-tax answers of
tests/test_stance.py, no one is counted on the wrong side.
Both are development figures: the templates and the reading were chosen on them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import lemminflect
import numpy as np

from summariser.draft.phrases import FUNCTION_WORDS
from summariser.index.embedders import Embed
from summariser.records import Passage
from summariser.text.nonanswers import asks_a_side, is_refusal
from summariser.text.sentences import sentences
from summariser.text.tone import positivity
from summariser.text.words import lemma, lemmas

SIDES = ("for", "against")
PREFIX = {"for": "Support for", "against": "Opposition to"}

# What it proposes: the verb after "be" ("be completely banned"), after "should", "must" or "to"
# inside a sentence ("the council should charge", "agree to ban"), after "Should we" or "Should
# the council" in a sentence with no "be" ("Should the council charge for parking?"), or the
# thing after "there be a" ("Should there be a limit on stakes?").
_PROPOSAL = re.compile(
    r"\bbe\s+(?:\w+ly\s+)?(?P<done>[a-z]+)"
    r"|(?<=\s)(?:should|shall|must|to)\s+(?!be\b)(?P<do>[a-z]+)"
    r"|^\W*(?:should|shall|must)\s+(?:we|you|they|it|the\s+[a-z]+)\s+(?!be\b)(?P<asked>[a-z]+)"
    r"|\bthere\s+be\s+(?:a|an)\s+(?P<thing>[a-z]+)", re.IGNORECASE)
# Before a verb's object, and what ends it: "introduce a tourist tax on visitors".
_DETERMINERS = frozenset("a an the more new".split())
_OBJECT_WORDS = 3


def _a_side(word: str) -> bool:
    """Whether a lemma is a thing one can be for or against, and an action: "ban", "charge"."""
    return {"NOUN", "VERB"} <= set(lemminflect.getAllLemmas(word))


def proposed(question: str) -> frozenset[str]:
    """The lemmas of what `question` proposes when it asks people to take a side ("ban" in
    "Should gambling adverts be completely banned?", "charge" in "Do you agree that the council
    should charge for parking?", "tax" in "Should the council introduce a tourist tax?"): a verb
    of the proposal that is also a thing one can be for or against, else the last such word of
    its object; empty for any other question."""
    found: set[str] = set()
    for _, sentence in sentences(question):
        if not asks_a_side(sentence):
            continue
        passive = re.search(r"\bbe\b", sentence, re.IGNORECASE)
        for match in _PROPOSAL.finditer(sentence):
            if match.group("asked") and passive:
                continue  # "Should the speed limit be cut?": "limit" is not its verb
            word = next(w for w in match.groups() if w).lower()
            key = lemminflect.getAllLemmas(word).get("VERB", (lemma(word),))[0]  # "charged"
            if _a_side(key):
                found.add(key)
            elif match.group("do") or match.group("asked"):
                following = re.findall(r"[a-z]+|[^a-z\s]", sentence[match.end():].lower())
                while following and following[0] in _DETERMINERS:
                    following.pop(0)
                words = []
                for w in following[:_OBJECT_WORDS]:
                    if not w.isalpha() or w in FUNCTION_WORDS:
                        break
                    words.append(lemma(w))
                found.update(w for w in words[-1:] if _a_side(w))
    return frozenset(found)


def thing_of(title: str) -> str:
    """What a stance theme's title is for or against: its title without "Support for" or
    "Opposition to" ("a complete ban")."""
    for prefix in PREFIX.values():
        if title.lower().startswith(prefix.lower() + " "):
            return title[len(prefix) + 1:]
    return title


def thing_phrase(title: str, texts: Sequence[str]) -> str:
    """A theme's title as the thing a side is for or against: "a complete ban" for "Complete
    ban", with "a" where its people write it so ("a ban", "an outright ban")."""
    words = title.split()
    if not words:
        return title
    inside = title if title[:2].isupper() else title[:1].lower() + title[1:]
    last = re.escape(words[-1].lower())
    counted = any(re.search(rf"\ban?\s+(?:\w+\s+){{0,2}}{last}\b", t.lower()) for t in texts)
    if counted and words[0].lower() not in ("a", "an", "the"):
        inside = f"{'an' if inside[:1].lower() in 'aeiou' else 'a'} {inside}"
    return inside


def stance_title(tone: str, thing: str) -> str:
    """"Support for a complete ban" or "Opposition to a complete ban"."""
    return f"{PREFIX[tone]} {thing}"


def _action(thing: str) -> str:
    """The word of `thing` that is the proposal itself: its last that can be a thing and an
    action ("ban" in "banning ads", "charge" in "a parking charge"), else its last word."""
    keys = [lemma(w.lower()) for w in re.findall(r"[A-Za-z]+", thing)]
    return next((k for k in reversed(keys) if _a_side(k)), keys[-1] if keys else "")


def _anchors(thing: str, action: str) -> tuple[list[str], list[str]]:
    """Sentences that support and oppose `thing` ("a complete ban"), and its `action` ("ban
    it")."""
    capital = thing[:1].upper() + thing[1:]
    support = [f"I support {thing}.", f"{capital} is needed."]
    oppose = [f"I oppose {thing}.", f"{capital} would do more harm than good."]
    if "VERB" in lemminflect.getAllLemmas(action):
        support.append(f"Yes, {action} it.")
        oppose.append(f"No, do not {action} it.")
    return support, oppose


# Said in words, before what a side's sentences say by meaning: an answer that opens by taking a
# side ("Yes.", "No, a charge would ...", "Strongly agree", "I oppose this") takes it for all its
# sentences; the proposal's word after a negation within three words ("don't charge", "not
# banning", "rather than a ban") is against it.
_OPENS = re.compile(
    r"^\W*(?:(?P<yes>(?:yes|yeah|yep|absolutely|definitely"
    r"|(?:i\s+)?(?:strongly\s+|fully\s+|totally\s+)?agree|i\s+(?:strongly\s+|fully\s+)?support)"
    r"\b(?!\s+not\b))"
    r"|(?P<no>(?:i\s+)?(?:strongly\s+)?(?:disagree|oppose)\b"
    r"|(?:no|nope|absolutely\s+not|definitely\s+not)\s*(?:[,.!;:\-\u2013\u2014]|$)))",
    re.IGNORECASE)
_NOT = frozenset("not no never nor without cannot rather instead".split())
NEGATION_REACH = 3
# By meaning, a passage must be this much nearer one side's sentences than the other's (cosine
# similarity to their means): nearer than that, it takes no side and counts on neither. The
# least at which no passage was read on the wrong side in the three development sets (gambling
# question 1's ban theme, the seafront and tourist-tax answers of tests/test_stance.py): at 0,
# 2, 1 and 2 were; at 0.02, none, and 10 of 27, 3 of 10 and 2 of 10 took no side.
SIDE_MARGIN = 0.02


# The proposal as the subject of what is said of it ("A ban would devastate communities", "This
# charge is unfair", "A ban would save lives"): the side is what VADER reads in what follows,
# where it reads it clearly (`SAID_OF_IT`); or "too ..." ("A ban is too extreme", "goes too
# far"): more than is wanted. VADER reads "would stop kids seeing them" -0.30, "would protect
# children" +0.38: only a clearer score is a side.
_SUBJECT = re.compile(r"\b(?:a|an|the|this|that|any|such\s+a)\s+(?:[\w-]+\s+){0,2}?"
                      r"(?P<word>[a-z]+)\s+(?P<said>(?:(?:would|will|could|is|was|goes|went)"
                      r"(?:n['\u2019]t)?|won['\u2019]t)\b[^.;:!?]*)", re.IGNORECASE)
# The proposal is then not the subject: "Something other than a ban is needed".
_NOT_SUBJECT = re.compile(r"\b(?:than|instead\s+of)\s*$", re.IGNORECASE)
_TOO = re.compile(r"\btoo\b", re.IGNORECASE)
SAID_OF_IT = 0.4
# What people call a proposal that VADER reads as no feeling (0.0 for "would be excessive",
# "is long overdue", "is essential"): the words of judging a measure itself, written from what
# such verdicts are in English, not from any corpus.
_VERDICT = {
    "against": re.compile(
        r"\b(?:excessive|overkill|draconian|heavy[- ]handed|disproportionate|unnecessary|"
        r"pointless|ineffective|unworkable|unenforceable|unfair|misguided|counterproductive|"
        r"counter-productive|futile|over\s+the\s+top|a\s+mistake|a\s+step\s+too\s+far|"
        r"nanny[- ]state)\b", re.IGNORECASE),
    "for": re.compile(
        r"\b(?:overdue|necessary|essential|needed|vital|sensible|the\s+(?:only\s+)?answer|"
        r"the\s+(?:only|right)\s+(?:way|thing|step))\b", re.IGNORECASE),
}
# Another measure preferred to the proposal ("Watershed restrictions would be better than an
# outright ban", "Education is preferable to a ban"): against it.
_PREFERRED = re.compile(r"\b(?:better|preferable|fairer|wiser|smarter|more\s+(?:effective|"
                        r"sensible|proportionate))\s+(?:than|to)\s+(?P<what>(?:[\w-]+\s*){1,4})",
                        re.IGNORECASE)

_DENIED = re.compile(r"\b(?:not|never|hardly|no|nothing|far\s+from|anything\s+but)\b"
                     r"|n['\u2019]t\b", re.IGNORECASE)
# A verdict is on the proposal only as what is said of it: within the first words after its
# verb ("would be utterly pointless", "is not the answer"), not in a clause of something else
# ("would remove sponsorship that is vital to clubs").
VERDICT_REACH = 4
_ELSEWHERE = re.compile(r"\b(?:that|which|who|whose|where|to|for|of)\b", re.IGNORECASE)


def _judged(said: str) -> str:
    """The side a verdict on the proposal takes (`_VERDICT`) in `said` (what follows the
    proposal, its verb first), turned by a negation before it ("is not the answer", "isn't
    necessary", "is far from necessary"); "" where there is none, or verdicts of both sides."""
    sides = set()
    for side, words in _VERDICT.items():
        for found in words.finditer(said):
            before = said[:found.start()]
            if len(before.split()) > VERDICT_REACH or _ELSEWHERE.search(before):
                continue
            sides.add(side if not _DENIED.search(before) else
                      next(other for other in SIDES if other != side))
    return sides.pop() if len(sides) == 1 else ""


def _preferred_to(text: str, word: str) -> bool:
    """Whether `text` prefers another measure to the proposal ("Watershed restrictions would be
    better than an outright ban"); not where the preference is denied ("Nothing is better than
    a ban", "would not be better than a ban")."""
    for found in _PREFERRED.finditer(text):
        before = " ".join(text[:found.start()].split()[-NEGATION_REACH:])
        if any(word in lemmas(w.lower()) for w in found.group("what").split()) \
                and not _DENIED.search(before):
            return True
    return False


def _said_of(text: str, word: str) -> str:
    """"for" or "against" where `text` says of the proposal (`word`, its lemma), as the subject
    of a sentence, what takes a side (see `_SUBJECT`, `_VERDICT`), or prefers another measure
    to it (`_PREFERRED`); else ""."""
    for found in _SUBJECT.finditer(text):
        if word not in lemmas(found.group("word").lower()) \
                or _NOT_SUBJECT.search(text[:found.start()]):
            continue
        said = found.group("said")
        if _TOO.search(said):
            return "against"
        judged = _judged(said)
        if judged:
            return judged
        score = positivity(said)
        if abs(score) >= SAID_OF_IT:
            return "for" if score > 0 else "against"
    return "against" if _preferred_to(text, word) else ""


def opens(text: str) -> str:
    """"for" or "against" where `text` opens by saying so ("Yes.", "No, a charge would ..."),
    else ""."""
    opened = _OPENS.match(text)
    if opened is None:
        return "against" if is_refusal(text) else ""  # "No thanks."
    return "for" if opened.group("yes") else "against"


def stated(passages: Sequence[Passage]) -> dict[str, str]:
    """The side each survey answer opens by saying, by response id (an interviewee's "Yes"
    answers the interviewer, not the question)."""
    first: dict[str, Passage] = {}
    for passage in passages:
        if passage.speaker is None and (passage.response_id not in first
                                        or passage.start < first[passage.response_id].start):
            first[passage.response_id] = passage
    return {response_id: side for response_id, passage in first.items()
            if (side := opens(passage.text))}


def _negated(text: str, word: str) -> bool:
    """Whether `text` negates `word` (in any form) within `NEGATION_REACH` words before it."""
    words = [w.lower().replace("\u2019", "'") for w in re.findall(r"[A-Za-z'\u2019]+", text)]
    return any(word in lemmas(written) and any(
        w in _NOT or w.endswith("n't") for w in words[max(0, n - NEGATION_REACH):n])
        for n, written in enumerate(words))


class Sides:
    """Reads which side of `thing` ("a complete ban") passages take."""

    def __init__(self, thing: str, embed: Embed):
        self.word = _action(thing)
        support, oppose = _anchors(thing, self.word)
        vectors = np.asarray(embed(support + oppose), dtype=np.float32)
        # A passage leans to the side whose sentences it is nearer on average.
        self.leaning = vectors[:len(support)].mean(axis=0) - vectors[len(support):].mean(axis=0)

    def of(self, passages: Sequence[Passage], vectors: np.ndarray,
           opened: Mapping[str, str]) -> list[str]:
        """"for", "against" or "" (no side), for each passage (with its row of `vectors`):
        against where it negates the thing's word, else as its answer opened (`opened`, from
        `stated`), else the side it is nearer by meaning, by at least `SIDE_MARGIN`."""
        if not len(passages):
            return []
        return ["against" if _negated(p.text, self.word) else opened.get(p.response_id)
                or _said_of(p.text, self.word)
                or ("" if abs(float(x)) < SIDE_MARGIN else "for" if x > 0 else "against")
                for p, x in zip(passages, vectors @ self.leaning)]


# What a question that asks for the good uses ("What was good about your care?", "What has gone
# well?", "What did you like most?"), and what one that asks for more than the good does: faults
# or changes ("What could we have done better?", "What did you not like?"), or anything else
# ("... as well as any other comments"). A verb asks for a change ("what should we improve?");
# a noun or an -ing form may only say what the question is about ("In thinking about the
# service improvement needed ..., what has gone well?").
_GOOD = re.compile(r"\b(?:good|well|best|enjoy(?:ed)?|positives?|strengths?|valued?|pleased"
                   r"|happy|appreciated?|liked|(?:did|do)\s+you\s+(?:most\s+)?like"
                   r"|like\s+(?:most|best|about))\b", re.IGNORECASE)  # not "would you like to"
_NOT_ONLY_GOOD = re.compile(
    r"\b(?:better|improved?|chang(?:e|ed)|worse|worst|dislik\w*|least|less|bad|poor|problems?"
    r"|challeng\w*|hind\w*|barriers?|difficult\w*|wrong|negatives?|weakness\w*|otherwise"
    r"|concerns?|complain\w*|frustrat\w*|issues?|not|no|\w+n't|rat(?:e|ing)|score|comments?"
    r"|anything\s+else|any\s+other)\b", re.IGNORECASE)
# A question answered yes or no, or with a judgment, good or bad: "Did you enjoy the event?",
# "How good was the food?", "Should we change the visiting hours?".
_JUDGED = re.compile(r"^\W*(?:how\s+(?!could|can|would|might|should)\w+|did|do|does|is|are|was"
                     r"|were|has|have|had|will|would|should|shall|can|could|may|might)\b",
                     re.IGNORECASE)


def _asked(question: str) -> str:
    return question.replace("’", "'").replace("‘", "'")


def asks_for_the_good(question: str) -> bool:
    """Whether `question` asks only what was good. Its answers praise in plain words ("The food
    was good.") or name the good thing and no more ("Food", "The night staff"): all of them are
    praise, and none is split from the praise of the same thing by its tone. Not a question
    answered yes or no, or with a judgment ("How good was the food?")."""
    question = _asked(question)
    return bool(_GOOD.search(question)) and not _NOT_ONLY_GOOD.search(question) \
        and not _JUDGED.match(question)


_CHANGE = re.compile(r"\b(?:better|improved?|chang(?:e|ed)|differently|fix\w*|wrong|worse|dislik\w*"
                     r"|least|complain\w*|problems?|frustrat\w*|not\s+like"
                     r"|(?:do|did)\s*n't\s+(?:you\s+)?like)\b", re.IGNORECASE)


def asks_for_a_change(question: str) -> bool:
    """Whether `question` asks what should change or what was wrong ("What could we have done
    better?", "What one thing would most improve ...?", "Any complaints?"): "Nothing, keep up the
    good work" answers it. Not a question answered yes or no ("Should we change the visiting
    hours?"), nor "How have the changes affected you?"."""
    question = _asked(question)
    return bool(_CHANGE.search(question)) and not _JUDGED.match(question)
