"""Tone: whether a segment reads as praise, by VADER's lexicon (vaderSentiment, MIT).

Feedback praises in plain words ("lovely staff", "great service") but often criticises without
any ("the waits are far too long", "always cold"), so the one test here is for clear praise: a
compound score of at least `PRAISE`. A theme that holds both praise and the rest of what people
say about one thing is proposed as two ("Praise for staff" and what else they say about staff),
and a codebook theme's `tone` keeps each to its side (summariser.draft.coding).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from summariser.text.nonanswers import NOTHING_TO_MEND

# VADER's compound score from which a segment reads as praise. Chosen with discovery on the
# development judgments (the library's staff praise); held back, see benchmarks/README.md.
PRAISE = 0.3


@lru_cache(maxsize=1)
def _analyser():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1 << 16)
def positivity(text: str) -> float:
    """VADER's compound score of `text`, from -1 (negative) to 1 (positive). A word VADER scores
    as praise that only makes the next one stronger ("super slow", "pretty laggy") is read as
    "very": it praised what it strengthened, whatever that was. A speaker's word for their own
    candour ("Honestly, ...", "To be honest ...", "tbh") is left out: it says nothing of what they
    judge, and VADER reads "honest" as praise ("Honestly keeps disconnecting."); nor is one for
    how sure they are ("clearly", "definitely"), read as "very": "Staff clearly stretched to
    breaking point" praised nothing, "definitely recommend" still does; nor is the answer's
    framing ("Hope that helps", "Cheers") or the thanks it ends with ("automatic doors
    Thanks."). "Nothing to improve" is read as "no complaints", and an answer's opening
    "Nothing," as no word of it."""
    framed = _FRAMING.sub(" ", _without_sign_off(text))
    if re.search(r"[^\W\d_]", framed):  # "Cheers!", "Easy!" alone: what the answer says
        text = framed
    text = _SURE.sub("very", _CANDOUR.sub(" ", _BOOSTED.sub(_booster, text)))
    text = _NOTHING_TO_MEND.sub("no complaints", _NOTHING_ALONE.sub("", text))
    return float(_analyser().polarity_scores(text)["compound"])


# "Nothing to improve", "nothing could be better", "Nothing, it was perfect": VADER reads the
# "nothing" as negating what follows, so praise read as criticism ("Criticism of first class").
_NOTHING_TO_MEND = re.compile(rf"\b{NOTHING_TO_MEND}", re.IGNORECASE)
_NOTHING_ALONE = re.compile(r"^\W*nothing\s*[,.!;:-]+", re.IGNORECASE)
_SURE = re.compile(r"\b(?:clearly|certainly|definitely|surely|truly)\b", re.IGNORECASE)
_CANDOUR = re.compile(r"\b(?:honestly|frankly|truthfully|tbh|tbf|imo|imho|to\s+be\s+(?:honest|fair"
                      r"|frank)|(?:if\s+i['’]?m|if\s+i\s+am|in\s+all)\s+(?:honest|honesty)"
                      r"|in\s+my\s+(?:honest\s+|humble\s+)?(?:opinion|view)|if\s+you\s+ask\s+me)"
                      r"\b[,:;!]?", re.IGNORECASE)


# How an answer is framed, not what it says: an opening that announces the answer ("In a
# word", "Top of my list", "The main thing is", "Easy -") and a sign-off ("Hope that helps",
# "that's my two pence", "Cheers"). Said alike by people who mean different things, each once
# founded a theme ("Word", "Pence", "Hope that helps") and "hope" read as a wish.
_CUT_OPENERS = r"in\s+a\s+word|apart\s+from\s+the\s+obvious"  # cut from quotes, below
_OPENERS = (rf"{_CUT_OPENERS}|top\s+of\s+(?:my|the)\s+list"
            r"|the\s+(?:main|biggest|most\s+important|number\s+one)\s+thing(?:\s+for\s+me)?"
            r"|if\s+i\s+(?:had|have)\s+to\s+(?:pick|choose)(?:\s+(?:just\s+)?one)?")
_FRAMING = re.compile(
    rf"\b(?:{_OPENERS}|first\s+and\s+foremost|above\s+all\s+else|more\s+than\s+anything\s+else"
    r"|(?:i\s+)?hope\s+(?:that|this|it)\s+helps|thanks\s+for\s+asking|cheers(?=\W*$)"
    r"|(?:(?:that['’]?s|that\s+is|just)\s+)?my\s+two\s+(?:pence|pennies|cents|penn['’y]?orth)"
    r"(?:['’]?\s*worth)?)\b[,:;!?.-]*"
    r"|^\W*(?:easy|simple)\s*[-–—:]+", re.IGNORECASE)
# Where an answer opens with it and says more, a quote starts after it ("Apart from the
# obvious, all the biographies."). Only an opening with no word the gate reads as a claim
# ("more", "all", "first"), and only where punctuation ends it ("Apart from the obvious ones,
# the biographies" is not cut). Not the speaker's candour ("To be honest we have had little
# contact"): that is how they said it.
_OPENING_ASIDE = re.compile(
    rf"\s*(?:(?:{_CUT_OPENERS}|easy|simple)\s*[,:;.!?–—-]+\s*)+", re.IGNORECASE)


def opening_aside(text: str) -> int:
    """The length of the framing `text` opens with ("Apart from the obvious, ", "Easy - "),
    with the punctuation and spaces after it; 0 when it opens with what it says, or says
    little more."""
    found = _OPENING_ASIDE.match(text)
    if found is None or len(re.findall(r"[^\W_]+", text[found.end():])) < 3:
        return 0
    return found.end()


# The thanks, laugh or kiss an answer ends with, after what it says: "automatic doors
# Thanks." asked for doors, and was counted under "Praise for automatic doors". Thanks that is
# all of an answer ("Many thanks!", "A big thank you!"), or is for something ("Thank you to
# the staff"), is what it says.
_SIGN_OFF = re.compile(
    r"(?:\b(?:(?:thanks|thank\s+(?:you|u)|thx|ty)(?:\s+(?:very|so)\s+much)?|lol|x{1,3})\b"
    r"|[:;]-?[)D]+)[^\w]*$", re.IGNORECASE)
_THANKING = frozenset("a many big huge massive special sincere heartfelt".split())


def _without_sign_off(text: str) -> str:
    found = _SIGN_OFF.search(text)
    if found is None:
        return text
    before = re.findall(r"[^\W\d_]+", text[:found.start()])
    if len(before) < 2 or before[-1].lower() in _THANKING:
        return text
    return text[:found.start()]


def without_asides(text: str) -> str:
    """`text` with each word for the speaker's own candour ("if I'm honest", "to be frank")
    and each of the answer's framing ("In a word", "hope that helps") read as one filler
    ("tbh"): no phrase runs across it, and it names nothing ("Honest waste" of "if i'm
    honest, waste of time")."""
    return _FRAMING.sub(" tbh ", _CANDOUR.sub(" tbh ", text))


_BOOSTED = re.compile(r"\b(?P<word>super|pretty|mega)\s+(?P<next>[A-Za-z]+)", re.IGNORECASE)


def _booster(found: re.Match) -> str:
    """"very" for an intensifier before a quality ("super slow"), the words as they were
    before a thing ("super staff", "a pretty garden")."""
    import lemminflect

    kinds = set(lemminflect.getAllLemmas(found["next"].lower()))
    if "NOUN" in kinds or not (kinds <= {"ADJ", "ADV", "VERB"}):
        return found.group()
    return f"very {found['next']}"


# A request is not praise, however warm its words: "please" asks, and a wish ("Parking
# should be free", "Free parking would be great"), a comparative that asks for more ("Better
# parking for disabled visitors", "Faster wifi") or an instruction ("Sort out the parking") says
# what is wanted, not what is good.
_POLITE = re.compile(r"\b(?:please|pls|plz)\b[,!.]?", re.IGNORECASE)
_WISH = re.compile(r"\b(?:should|shouldn't|could|would|wish|hope|needs?\s+to|must|if\s+only)\b"
                   # "could not be more helpful", "would recommend": praise in a modal's words
                   r"(?!\s+(?:\w+ly\s+)?(?:recommend|not|never|n't))", re.IGNORECASE)
_ASKS_MORE = frozenset("""better more faster cheaper longer bigger larger warmer quieter newer
easier fewer less lower higher extra""".split())


def is_request(text: str) -> bool:
    """Whether `text` asks for something rather than judges what is (see above)."""
    text = _FRAMING.sub(" ", text)  # "Hope that helps" wishes for nothing
    words = [w for w in re.findall(r"[A-Za-z']+", text) if not _POLITE.fullmatch(w)]
    if not words:
        return False
    first = words[0].lower()  # "Please keep up the good work": "keep" opens it
    # "Only thing was better food please.": a "please" asks, unless for more of the same
    asked = bool(_POLITE.search(text)) and not _KEEP_UP.search(text)
    return asked or bool(_WISH.search(text) or _WANTED.search(text)) or first in _ASKS_MORE \
        or _instruction(first)


# What is wanted, inside an answer: a comparative opening a clause, after at most a hedge
# ("probably better pay", "Easy, faster broadband"), or a rise asked for ("a pay rise that keeps
# up with inflation", "an increase in salary"); not "Never had better service" nor "Lots more
# choice this year". Fewer words than `_ASKS_MORE`, which is read only where an answer opens:
# inside one, "higher standard than before" praises.
_WANTED = re.compile(
    r"(?:^|[,;:.!?]\s*|\band\s+)(?:(?:probably|maybe|just|really|definitely|simply|easy|simple"
    r"|some|a|an)\W+){0,3}(?:better|more|faster|cheaper|bigger|fewer|extra)\s+(?!than\b)[a-z]{3,}"
    r"|\b(?:pay|salary|wage)\s+(?:rise|increase|raise)s?\b|\ban\s+increase\s+in\b",
    re.IGNORECASE)


_KEEP_UP = re.compile(r"\bkeep\s+(?:it\s+|up\s+)?(?:up|going)\b", re.IGNORECASE)


def _instruction(word: str) -> bool:
    """An answer that opens with a verb's bare form tells someone to do something ("Sort out
    the parking"), unless the verb is one of feeling that drops an "I" ("Love the new app")."""
    from summariser.text.words import is_verb_only, lemma

    if word in {"love", "like", "thank", "thanks", "appreciate", "enjoy", "keep"}:
        return False
    return is_verb_only(word) and lemma(word) == word  # "sort", not "sorted"


def is_praise(text: str, about: Collection[str] = ()) -> bool:
    """Whether `text` reads as clear praise. The words of `about` (lemmas of what is praised)
    are left out first: VADER scores "support", "care" and "help" as praise, so "Early days for
    support." read as praise of support; the praise must be in what is said of it."""
    if about:
        from summariser.text.words import WORD, fold, lemma

        text = WORD.sub(lambda m: "" if lemma(fold(m.group())) in about else m.group(), text)
    return not is_request(text) and positivity(_POLITE.sub("", text)) >= PRAISE


def praised_thing(title: str) -> frozenset[str]:
    """The lemmas of what a title names: its last word, and its words that can be nouns and
    never qualities ("support" in "Helpful support", "improvement" and "adviser" in
    "Improvement advisers", "sharing"; not "kind" in "Kind staff"). `is_praise` leaves them
    out of the praise of it. "Nothing to improve" names no thing: it is the praise."""
    import lemminflect

    from summariser.text.words import WORD, fold, lemma

    if _NOTHING_TO_MEND.search(title):
        return frozenset()
    words = WORD.findall(title)
    return frozenset(lemma(fold(w)) for n, w in enumerate(words, 1) if n == len(words) or (
        {"NOUN"} <= (kinds := set(lemminflect.getAllLemmas(w.lower()))) and "ADJ" not in kinds))
