"""Words and phrases: matching a codebook phrase in a segment, and naming a theme from its segments.

Matching is on word tokens: case-folded, curly apostrophes straightened, simple plurals folded
("budgets" matches "budget", "communities" matches "community"). A phrase written in capitals
("LIST", "GP") matches only in capitals, so an acronym does not match the common word.

Candidate phrases, from which the offline backend names themes, are runs of one to three words
that neither start nor end with a function word or a spoken filler ("gonna", "said", "really").
They are compared by lemma (`lemma_key`: "waiting times" and "wait time" are one key), and who an
answer is addressed to (@handles), web addresses and HTML entities are no part of them
(`without_addressees`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import lemminflect

from summariser.text.names import mostly_capitalised, part_of_names
from summariser.text.negations import UNMARKED_NEGATIONS
from summariser.text.tone import without_asides
from summariser.text.wording import join_words  # noqa: F401  (its home is text/)
from summariser.text.words import (  # noqa: F401  (their home is text/)
    WORD,
    fold,
    is_verb_only,
    lemma,
    lemmas,
)

FUNCTION_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each etc even few for from further had hadn't has hasn't have haven't having he
her here hers herself him himself his how i i'm if in into is isn't it it's its itself just let's
me might more most much must my myself no nor not now of off on once only or other ought our ours
ourselves out over own same shall she should shouldn't so some such than that that's the their
theirs them themselves then there there's these they they're this those through to too under
until up upon us very was wasn't we we're were weren't what when where which while who whom why
will with within without won't would wouldn't yet you your yours yourself e.g i.e via per vs
one two three four five six seven eight nine ten since though although unless whether whereas
whilst across along among around behind beyond despite except towards toward onto unlike
i've i'd i'll we've we'd we'll you've you'd you'll they've they'd they'll he's she's it'll ago
""".split())
# Words that carry no topic of their own in answers and interviews: spoken fillers, a writer's
# word for their own candour or certainty ("tbh", "genuinely"), verbs of saying and thinking, and
# evaluative words every answer uses.
FILLERS = frozenset("""
tbh tbf imo imho honestly frankly genuinely truly obviously definitely mainly
gonna wanna gotta yeah yes yep um uh er erm okay ok oh ah hmm well really actually basically
literally just kind sort stuff thing things lot lots said say says saying told tell think thought
hello hi hey nope lol omg wow ugh dear anyway anyhow
know knew mean means meant like get gets got getting go going goes went make makes made making
mention mentioned
need needs needed want wants wanted would should could can may might must also still always never
ever often sometimes good great better best bad worse worst big bigger nice new way ways many much
more most less least lot able sure etc please thanks thank maybe perhaps probably something
anything everything nothing someone anyone everyone people around instead rather really
someone's anyone's everyone's somebody's anybody's everybody's nobody's people's
""".split())
# Verbs that open suggestions ("build more...", "stop the...") or a judgment of someone ("can't
# praise the hospital enough" titled a theme "Praise the hospital"): a title does not start
# with one.
VERBS = frozenset("""
add allow bring build create encourage fix give have help hire increase improve keep let limit
make offer open pass provide put reduce remove require start stop support take use see find
continue become focus ensure develop invest work look praise thank blame recommend
""".split())


def tokens(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text)]


# An @handle, a web address or an HTML entity ("&amp;"): who an answer is addressed to, or
# markup, never what it says.
_ADDRESSEE = re.compile(r"(?<![\w@])@\w+|\bhttps?://\S+|\bwww\.\S+|&(?:[a-z]+|#\d+);",
                        re.IGNORECASE)


_ADDRESSED_TO = re.compile(r"(?:\s*@\w+[\s,:;–-]*)+")


def addressed_to(text: str) -> int:
    """The length of the @handles `text` opens with ("@united @JetBlue - "), and the spaces and
    punctuation after them; 0 when it opens with something else or is nothing but handles."""
    found = _ADDRESSED_TO.match(text)
    if found is None or not any(c.isalnum() for c in text[found.end():]):
        return 0
    return found.end()


def without_addressees(text: str) -> str:
    """`text` with @handles, web addresses and HTML entities blanked (offsets kept)."""
    return _ADDRESSEE.sub(lambda m: " " * len(m.group()), text)


def addressees(text: str) -> list[str]:
    """The @handles in `text`, folded."""
    return [m.group().casefold() for m in _ADDRESSEE.finditer(text) if m.group()[0] == "@"]


@lru_cache(maxsize=1 << 16)
def is_noun(word: str) -> bool:
    """Whether a folded word can be a noun (a title ends with one); a gerund can ("betting")."""
    if not word.isalpha() or word.isupper() or word.endswith("ing"):
        return True
    found = lemminflect.getAllLemmas(word)
    return not found or "NOUN" in found or "PROPN" in found


@lru_cache(maxsize=1 << 16)
def is_plain_noun(word: str) -> bool:
    """Whether a folded word is a noun and never an adjective ("parking", "staff"; not "long",
    "full", "see"), for listing what people mention."""
    found = lemminflect.getAllLemmas(word)
    if not found or "ADJ" in found:
        return False
    return "NOUN" in found or word.endswith("ing")


# What comes before a word used as an action ("to keep", "we roll", "are looking") or after it
# ("roll out"), against what comes before a thing ("the keep", "our leads"): lemminflect knows
# a word's possible parts of speech, not which one an answer uses.
_BEFORE_ACTION = frozenset("""
to i we you they he she will would can could should must may might shall not don't doesn't
didn't can't won't cannot never also just please let's
""".split())
_BE = frozenset("am is are was were be been being".split())
_PARTICLES = frozenset("out up off forward down back over away".split())
_OBJECTS = frozenset("it the a an our your their them this that these those more going".split())
_INDEFINITES = frozenset("anything something everything nothing anyone someone".split())
_COMPLEMENTS = frozenset("for at to into after forward about with".split())  # after a verb
_PERSONAL = frozenset("i me my we us our you your".split())  # "lie to my face": a clause
_COORDINATING = frozenset("and or".split())  # after a quality: another quality follows


def used_as_noun(word: str, texts: Iterable[str]) -> bool:
    """Whether people use the folded `word` as a thing in `texts` at least as often as an
    action or a quality: a title names a thing ("Keep", "Looking" and "Small" named nothing).
    A word that can only be a noun is a thing wherever it stands; an -ing form known only as a
    verb is one unless a verb's complement follows it ("looking for", not "betting ads")."""
    found = lemminflect.getAllLemmas(word)
    if found and not {"VERB", "ADJ"} & set(found):
        return True
    if found and "NOUN" not in found and "PROPN" not in found and not word.endswith("ing"):
        return False  # "strategic"
    gerund_only = word.endswith("ing") and "NOUN" not in found
    thing = other = 0
    folded = fold(word)
    for text in texts:
        written = [w.lower().replace("’", "'") for w in WORD.findall(text)]
        words = [fold(w) for w in written]
        for i, token in enumerate(words):
            if token != folded:
                continue
            before = words[i - 1] if i else ""
            plural_before = i > 0 and written[i - 1] != before  # "providers", folded "provider"
            after = words[i + 1] if i + 1 < len(words) else ""
            if (before in _BEFORE_ACTION or after in _PARTICLES
                    or (word.endswith("ing") and before in _BE)
                    or (not before and after in _OBJECTS)):  # "Keep it simple", "Fly the..."
                other += 1
            elif "ADJ" in found and after and (after not in FUNCTION_WORDS
                                                or after in _COORDINATING):
                other += 1  # "a small community", "a clear and shared ambition"
            elif gerund_only and after in _COMPLEMENTS:
                other += 1  # "looking for", "waiting to"
            elif word.endswith("ing") and (after in _OBJECTS or after in _INDEFINITES):
                other += 1  # "without taking anything", "sorting the rota"
            elif word.endswith("ing") and plural_before:
                other += 1  # "providers working to", "passengers sitting": not "joint working"
            elif before:
                thing += 1
            elif not after and ("NOUN" in found or word.endswith("ing")):
                thing += 1  # a whole answer of one word names a thing: "Parking.", "Cost"
    return thing >= other and thing > 0


def _participle(word: str) -> bool:
    """A past participle ("delayed", "lost"): before a noun it describes the thing ("delayed
    flight", "lost luggage"), it does not act."""
    return any(word in (lemminflect.getInflection(verb, "VBN") or ())
               for verb in lemminflect.getAllLemmas(word).get("VERB", ()))


# A phrase whose neighbouring word is this share of its uses is part of a longer name.
CONTINUED = 0.75


def cut_short(phrase: str, texts: Iterable[str]) -> bool:
    """Whether a phrase, as people wrote it, is nearly always part of a longer name: the same
    noun follows it ("staff in the call" of "call centre", "call" of "call centre") or, for a
    phrase of two words or more, comes before it ("service staff" of "customer service staff"),
    in `CONTINUED` of its uses, two or more; or a negation comes before it: "Had an outage",
    of "never had an outage", says the opposite of its people. A single word keeps the noun
    before it apart: "gambling companies" leaves "companies" a name where the question's word
    cannot title it."""
    words = WORD.findall(phrase)
    if not words:
        return False
    inner = r"\W+".join(re.escape(w) for w in words)
    found = re.compile(rf"(?:\b(?P<negation>[A-Za-z'’]+)\s+(?:very|really|so|that|too|always)\s+)?"
                       rf"(?:\b(?P<before>[A-Za-z'’]+)[ -])?\b{inner}\b"
                       rf"(?:[ -](?P<after>[A-Za-z]+)\b)?", re.IGNORECASE)
    uses = [m for text in texts for m in found.finditer(text)]
    if len(uses) < 2:
        return False
    # A thing negated is still the thing ("no parking": "Parking"); an act or a quality is not
    # ("Had an outage" of "never had an outage").
    negated = sum(1 for m in uses if any(w and _negates(w) for w in m.group("before", "negation")))
    if not is_plain_noun(fold(words[0])) and negated >= CONTINUED * len(uses):
        return True
    for side in ("after", "before") if len(words) > 1 else ("after",):
        neighbours = Counter(_spelling(w) for m in uses if (w := m.group(side))
                             and is_plain_noun(fold(w)))
        if neighbours and neighbours.most_common(1)[0][1] >= CONTINUED * len(uses):
            return True
    return False


def _negates(word: str) -> bool:
    word = word.lower().replace("’", "'")
    return word.endswith("n't") or word in _NEGATING


_NEGATING = frozenset({"not", "no", "never", "cannot", "without"}) | UNMARKED_NEGATIONS


# Words between two that people write as one phrase ("the speed we pay for", "price rise"),
# unless joined as two things ("sponsorship and coverage", "bags, luggage").
NEAR = 3
_JOINS = frozenset({"and", "or", "&", ","})


def written_apart(first: str, second: str, texts: Iterable[str]) -> bool:
    """Whether people write two words as two things rather than within one phrase: in at least
    half the segments using both, more than `NEAR` words apart or joined by "and", "or" or a
    comma; or in one phrase only once ("the hospital to home team"). A second word people
    mostly write as part of names is within them ("Lane", of "Campbell Lane": not "Roads and
    Lane")."""
    texts = list(texts)
    if part_of_names(second, texts):
        return False
    one, two = fold(first), fold(second)
    together = both = 0
    for text in texts:
        words = [fold(w) for w in re.findall(r"[\w'’]+|[,&]", text)]
        at = [i for i, w in enumerate(words) if w == one]
        to = [i for i, w in enumerate(words) if w == two]
        if not at or not to:
            continue
        both += 1
        together += any(abs(i - j) <= NEAR + 1
                        and not _JOINS & set(words[min(i, j) + 1:max(i, j)])
                        for i in at for j in to)
    return together < 2 or together * 2 <= both


def _spelling(word: str) -> str:
    """A word with its plural and British "-re" folded: "centre", "centres" and "center" are one."""
    word = fold(word)
    return word[:-2] + "er" if len(word) > 4 and word.endswith("re") else word


def names_a_thing(phrase: str, texts: Iterable[str]) -> bool:
    """Whether a phrase of several words, as people wrote it, reads as a thing they mention
    ("gate agent", "lack of crew", "junk food") rather than a run of words cut from a clause
    ("agent gave", "passengers sitting", "finally board", "pick up the phone", "give me a
    refund", "build parking"): no opening verb of suggestion (`VERBS`), no word only ever a
    verb (but a participle describing a noun: "lost luggage"), no personal word ("my", "us"),
    no opening adverb, no opening verb followed by a particle or a determiner, nor an -ing form
    by a small word ("sitting in Denver", "delay while sitting"), no plural before another
    noun (a compound's first words are singular: "phone lines", not "ads fund"), and a last
    word that is a noun, never an adjective or adverb, and used as a thing in `texts`."""
    words = [w.lower() for w in WORD.findall(phrase)]
    described = words[1:] if len(words) == 2 and _participle(words[0]) else words
    if len(words) < 2 or words[0] in VERBS \
            or any(is_verb_only(w) for w in described) or set(words) & _PERSONAL:
        return False  # "build parking", as a title never opens
    opening = lemminflect.getAllLemmas(words[0])
    if opening and set(opening) <= {"ADV"}:
        return False
    if ("VERB" in opening and (words[1] in _PARTICLES or words[1] in _OBJECTS
                               or (words[0].endswith("ing") and words[1] in FUNCTION_WORDS))) \
            or ("ADV" in opening and words[1] in FUNCTION_WORDS):  # "due to weather"
        return False
    if any(lemma(w) != w and w.endswith("s") and after not in FUNCTION_WORDS
           for w, after in zip(words, words[1:]) if w not in FUNCTION_WORDS):
        return False  # "ads fund"; but a plural may head a phrase ("hours on hold")
    last = words[-1]
    if last.endswith("ing") and words[-2] in FUNCTION_WORDS:
        return False  # "delay while sitting"
    return is_plain_noun(last) and "ADV" not in lemminflect.getAllLemmas(last) \
        and used_as_noun(last, texts)


def lemma_key(phrase: str) -> str:
    """A folded phrase by lemma: "waiting times" -> "wait time"."""
    return " ".join(lemma(w) for w in phrase.split())


def _acronym(word: str) -> str | None:
    """'GP' and 'GPs' -> 'GP'; None for a word that is not in capitals."""
    if len(word) > 1 and word.isupper():
        return word
    if len(word) > 2 and word[-1] == "s" and word[:-1].isupper():
        return word[:-1]
    return None


@dataclass(frozen=True, slots=True)
class Phrase:
    """A codebook phrase compiled for matching."""

    text: str
    words: tuple[str, ...]
    exact_case: bool  # written in capitals: matches only in capitals

    @classmethod
    def of(cls, text: str) -> Phrase:
        words = WORD.findall(text)
        exact = any(_acronym(w) for w in words)
        return cls(text, tuple(_acronym(w) or fold(w) if exact else fold(w) for w in words),
                   exact)

    def found_in(self, text: str) -> bool:
        if not self.words:
            return False
        raw = WORD.findall(text)
        seen = [_acronym(w) or fold(w) if self.exact_case else fold(w) for w in raw]
        n = len(self.words)
        return any(tuple(seen[i:i + n]) == self.words for i in range(len(seen) - n + 1))


def first_match(phrases: Sequence[Phrase], text: str) -> Phrase | None:
    return next((p for p in phrases if p.found_in(text)), None)


class PhraseMatcher:
    """Many phrases matched against one text at a time, the text read once: its word runs of
    every length the phrases have, as `Phrase.found_in` would see them. Coding a section of
    100,000 segments against a codebook re-read each segment for every phrase before, and
    spent nine tenths of its time doing so."""

    def __init__(self, phrases: Sequence[Phrase]):
        self.lengths = sorted({len(p.words) for p in phrases if p.words})
        self.exact_case = any(p.exact_case for p in phrases)

    def runs(self, text: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
        """(folded word runs, word runs with acronyms kept in capitals) of `text`."""
        raw = WORD.findall(text)
        folded = [fold(w) for w in raw]
        exact = [_acronym(w) or f for w, f in zip(raw, folded)] if self.exact_case else folded
        runs = {tuple(folded[i:i + n]) for n in self.lengths for i in range(len(folded) - n + 1)}
        if not self.exact_case:
            return runs, runs
        return runs, {tuple(exact[i:i + n]) for n in self.lengths
                      for i in range(len(exact) - n + 1)}

    @staticmethod
    def first(phrases: Sequence[Phrase], runs: tuple[set[tuple[str, ...]],
                                                     set[tuple[str, ...]]]) -> Phrase | None:
        """The first of `phrases` found in a text given by its `runs` (as `first_match`)."""
        folded, exact = runs
        return next((p for p in phrases
                     if p.words and p.words in (exact if p.exact_case else folded)), None)


def _is_edge_word(word: str, raw: str) -> bool:
    if raw.isupper() and len(raw) > 1:  # an acronym: GP, IT, NHS
        return False
    plain = raw.lower().replace("’", "'")  # "always" folds to "alway": test both
    return (word in FUNCTION_WORDS or word in FILLERS or plain in FUNCTION_WORDS
            or plain in FILLERS or len(word) < 3 or word.isdigit())


def candidates(text: str, longest: int = 3) -> set[str]:
    """Candidate phrases of a segment: folded 1-3 word runs with content words at both ends and
    no filler inside; no @handle, web address or HTML entity is part of one."""
    raw = WORD.findall(without_asides(without_addressees(text)))
    words = [fold(w) for w in raw]
    found: set[str] = set()
    for i in range(len(words)):
        if _is_edge_word(words[i], raw[i]):
            continue
        for n in range(1, longest + 1):
            j = i + n - 1
            if j >= len(words) or words[j] in FILLERS or raw[j].lower() in FILLERS:
                break
            if not _is_edge_word(words[j], raw[j]):
                found.add(" ".join(words[i:j + 1]))
    return found


def surface_form(phrase: str, texts: Sequence[str]) -> str:
    """The phrase as people wrote it most often ("GP recruitment", "LIST"), for display."""
    words = phrase.split()
    if not words:
        return phrase
    forms: Counter = Counter()
    # A text that uses the phrase holds its first word less the letters folding may change
    # ("polic" of "policies", folded "policy"): the others need not be split and folded.
    stem = words[0][:-1] or words[0]
    for text in texts:
        if stem not in text.lower().replace("’", "'"):
            continue
        raw = WORD.findall(text)
        folded = [fold(w) for w in raw]
        # An answer written all in capitals says nothing of how its words are written.
        shouted = text.isupper() and len(raw) > 2
        for i in range(len(folded) - len(words) + 1):
            if folded[i:i + len(words)] == words:
                form = " ".join(raw[i:i + len(words)])
                forms[_unshouted(form) if shouted else form] += 1
    if not forms:
        return phrase
    best = max(forms.items(), key=lambda item: (item[1], item[0]))[0]
    if len(words) > 1 and best.isupper():  # "HONESTLY VERY LITTLE": shouted, not acronyms
        return _unshouted(best)
    # Keep capitals that mark acronyms and names; lower-case a capital that only starts a sentence.
    out = [w if (w.isupper() and len(w) > 1) or mostly_capitalised(w, texts) else w.lower()
           for w in best.split()]
    return " ".join(out)


def _unshouted(form: str) -> str:
    """Shouted words in lower case; a short one English does not know stays an acronym."""
    return " ".join(w if len(w) <= 4 and w.lower() not in FUNCTION_WORDS
                    and not lemminflect.getAllLemmas(w.lower()) else w.lower()
                    for w in form.split())


def as_title(text: str) -> str:
    return text[0].upper() + text[1:] if text and text[0].islower() else text

