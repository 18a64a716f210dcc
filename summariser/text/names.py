"""Names in answers: proper nouns, and the people an answer names.

A theme is about what people say of someone, not who: a member of staff's name founds no theme
and titles none (`summariser.draft.candidates`), and a draft whose quotes name one says so, so
that someone decides whether to mask it (`summariser.draft.pipeline`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import lemminflect

from summariser.text.negations import UNMARKED_NEGATIONS

# A person named in an answer: a word after a title of address ("Dr Patel", "nurse julie",
# "Mrs Khan"), or a capitalised word before the role they hold or the place they work ("Dave
# the engineer", "Priya on the helpline", "Sarah at reception"). A brand or a place is seldom
# written so ("Netflix buffers", "BT was cheaper").
_ADDRESSED = re.compile(r"\b(?:dr|mr|mrs|ms|miss|nurse|sister|doctor)\.?\s+(?P<name>[a-z'’-]+)",
                        re.IGNORECASE)
_IN_ROLE = re.compile(r"\b(?P<name>[A-Z][a-z'’-]+)\s*,?\s+"
                      r"(?:the|our|your|from|at|on\s+the|in)\s+(?:[a-z]+\s+)?(?P<role>[a-z]+)")
# ... or after it, set off by commas ("the porter, Mike, was lovely").
_AFTER_ROLE = re.compile(r"\b(?:the|our|a)\s+(?:[a-z]+\s+)?(?P<role>[a-z]+),\s+"
                         r"(?P<name>[A-Z][a-z'’-]+),", re.IGNORECASE)
# ... or introduced by the role they hold for the writer ("my manager Sarah", "our line manager
# Gareth"), or a word English does not know written there twice ("my manager kelly"). It stops
# before an apostrophe ("Sarah's door"), but is no negation's first part ("my tutor didn't
# reply": a student survey was told to mask "Didn"); a title of address after the role is read
# by `_ADDRESSED` ("my GP Dr Khan").
_MY_ROLE = re.compile(r"\b(?:[Mm]y|[Oo]ur)\s+(?:[a-z]+\s+)?(?i:manager|boss|supervisor|leader|lead"
                      r"|mentor|director|colleague|consultant|surgeon|midwife|carer|keyworker|worker"
                      r"|engineer|technician|teacher|tutor|coach|physio|gp|advisor|adviser)"
                      r"\s+(?!(?:Dr|Mr|Mrs|Ms|Miss|Doctor|Nurse|Sister|I)\b)(?P<name>[A-Za-z][a-z-]+)"
                      r"(?!\w|['’]t\b|&#39;t\b)")
_DETERMINED = re.compile(r"\b(?:the|a|an|our|your|their|my|his|her|its|this|that)\s+$",
                         re.IGNORECASE)
# Words a title of address or a name's place may come before that are no name ("Nurse was
# lovely", "Dr said", "Sister ward").
_NOT_NAMES = frozenset("""
a an the and or but was were is are had has have who which that said says told came come went
did do does at in on of to for from with by as if so then there here he she they it we i you
ward wards unit team staff station nurse nurses doctor doctors
""".split())


# Words English (lemminflect) does not know that follow a role in lower case and are no name,
# among them negations typed without their apostrophe ("my tutor didnt reply").
_NOT_NAMES_SMALL = frozenset("tbh tbf imo imho btw idk lol fyi asap etc".split()) \
    | UNMARKED_NEGATIONS


def mostly_capitalised(word: str, texts: Sequence[str]) -> bool:
    """A proper noun: written with a capital even in the middle of sentences."""
    inside = re.compile(rf"(?<=[a-z,;] )({re.escape(word)})\b", re.IGNORECASE)
    forms = Counter(m.group(1)[0].isupper() for text in texts for m in inside.finditer(text))
    return forms[True] > forms[False]


def part_of_names(word: str, texts: Sequence[str]) -> bool:
    """Whether people mostly write `word` as the last part of a name: after another capitalised
    word ("Campbell Lane", "Lovers Lane"), not alone ("Sky", "the lane")."""
    used = re.compile(rf"(?:\b(?P<before>[\w'’]+)\s+)?\b{re.escape(word)}\b", re.IGNORECASE)
    named = Counter(bool(m["before"]) and m["before"][0].isupper() and m.group()[-len(word)]
                    .isupper() for text in texts for m in used.finditer(text))
    return named[True] > named[False]


def people_named(texts: Sequence[str]) -> frozenset[str]:
    """The lower-cased first words of people's names in `texts`: a word English does not know
    after a title of address, with a capital once at least ("Mr Henderson", "nurse julie"); or
    a word written as a name twice or more, by the same role in most of its uses, unknown to
    English and never written small (where its writer uses capitals), or written with a
    capital inside sentences ("Mark the technician"); or a capitalised word after the writer's
    role for someone, once if English does not know it ("my line manager Sarah"), else twice
    and mostly capitalised ("our manager Lee"), or written small there twice and unknown to
    English ("my manager kelly")."""
    addressed: Counter = Counter()
    introduced: Counter = Counter()  # after the writer's role for them, with a capital
    unmarked: Counter = Counter()  # ... without one
    in_role: Counter = Counter()
    roles: dict[str, Counter] = {}
    for text in texts:
        addressed.update(m["name"].lower() for m in _ADDRESSED.finditer(text))
        for m in _MY_ROLE.finditer(text):
            (introduced if m["name"][0].isupper() else unmarked)[m["name"].lower()] += 1
        for m in [*_IN_ROLE.finditer(text), *_AFTER_ROLE.finditer(text)]:
            if not _DETERMINED.search(text[:m.start("name")]):  # not "the Council in ..."
                in_role[m["name"].lower()] += 1
                roles.setdefault(m["name"].lower(), Counter())[m["role"].lower()] += 1
    # Someone is named in the same role each time; a word opening many sentences is followed
    # by anything ("Tbh the broadband crawls", "Tbh the price went up").
    in_role = Counter({name: n for name, n in in_role.items()
                       if 2 * roles[name].most_common(1)[0][1] > n})
    found = set()
    lowered = [text.lower() for text in texts]
    for name in (addressed + introduced + unmarked + in_role).keys() - _NOT_NAMES:
        using = [text for text, low in zip(texts, lowered) if name in low]  # a quick first cut
        written = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        # as written by those who use capitals at all, and not only capitals
        capitals = [m.group()[0].isupper() for text in using
                    if text.lower() != text != text.upper() for m in written.finditer(text)]
        unknown = not lemminflect.getAllLemmas(name)
        if addressed[name] and unknown and any(capitals):
            found.add(name)  # "Mr Henderson", once is enough
        elif introduced[name] and (unknown or (introduced[name] >= 2
                                               and mostly_capitalised(name, using))):
            found.add(name)  # "my manager Sarah"; "Lee", an English word, twice
        elif unmarked[name] >= 2 and unknown and name not in _NOT_NAMES_SMALL:
            found.add(name)  # "my manager kelly", twice: once may be a slip ("my boss alwyas")
        elif addressed[name] + in_role[name] >= 2 and (
                mostly_capitalised(name, using) or (unknown and all(capitals))):
            found.add(name)
    return frozenset(found)
