"""A quote's editorial marks: the quote marks around it, and the ellipses and [insertions] inside
it, read as fragments of the source to find in order."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from summariser.text.glyphs import (
    CLOSING_MARK,
    ELLIPSIS_PATTERN,
    LEFT_DOUBLE,
    LEFT_SINGLE,
    RIGHT_DOUBLE,
    RIGHT_SINGLE,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
)
from summariser.text.negations import ALL_NEGATIONS, is_negation
from summariser.verify.normalise import normalised_text, word_count

_OPENING_MARKS = CLOSING_MARK


def strip_quote_marks(quote: str) -> str:
    """Remove one layer of surrounding quote marks (and report punctuation outside them).

    '“...services”.' -> '...services'. A quote whose marks do not pair up is returned stripped of
    whitespace only: the caller decides what to do with it.
    """
    text = quote.strip()
    trimmed = text.rstrip(".,;:")
    if trimmed and trimmed[0] in _OPENING_MARKS and len(trimmed) >= 2:
        closing = trimmed[-1]
        straight = STRAIGHT_DOUBLE + STRAIGHT_SINGLE  # typists mix curly and straight marks
        loosely = (closing in RIGHT_DOUBLE + RIGHT_SINGLE + straight
                   and trimmed[0] in LEFT_DOUBLE + LEFT_SINGLE + straight)
        if closing == _OPENING_MARKS[trimmed[0]] or loosely:
            return trimmed[1:-1].strip()
    return text


MAX_INSERTION_WORDS = 6  # source words one [insertion] may stand for
_MAX_ROUND_GROUPS = 4  # beyond this, round brackets are read all-literal or all-editorial only
# A round group never spans another mark: in "(left [we] right)" or "(Chick-fil-A, [...] etc)"
# the brackets are the respondent's and the inner mark is the editor's.
_MARK = re.compile(
    rf"(?P<ellipsis>{ELLIPSIS_PATTERN})"
    r"|(?P<square>\[[^\[\]]*\])|(?P<round>\((?:(?!\.\s?\.\s?\.)[^()\[\]…])*\))"
)
_SIC = re.compile(r"\[sic!?\]", re.IGNORECASE)
_PLAIN_WORD = r"[^\W_]+(?:['’-][^\W_]+)*"  # letters and digits, maybe joined by ' or -
_PLAIN_INSERTION = re.compile(
    rf"\(\s*{_PLAIN_WORD}(?:\s+{_PLAIN_WORD}){{0,{MAX_INSERTION_WORDS - 1}}}\s*\)$")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a quote's editorial marks: normalised fragments to find in order."""

    fragments: tuple[str, ...]
    max_gap_words: tuple[int | None, ...]  # between fragment i and i+1; None after an ellipsis
    editorial_round: tuple[str, ...]  # round-bracket groups read as insertions: a style warning
    # Fragments that a round group read as an insertion touches (no ellipsis between them), before
    # or after. There the source must have no brackets of its own, or the "insertion" would be the
    # respondent's own aside, altered or moved.
    aside_before: tuple[bool, ...] = ()
    aside_after: tuple[bool, ...] = ()
    # The editorial insertions as printed: between fragment i and i+1 ("" where none), and
    # before the first and after the last fragment.
    inserted: tuple[str, ...] = ()
    leading: str = ""
    trailing: str = ""
    # An ellipsis before the first fragment or after the last: words of the sentence left out
    # there may not change what the quote says either ("… clarity around budgets" for "Lack of
    # clarity around budgets").
    opens_elided: bool = False
    closes_elided: bool = False


def editorial_readings(quote: str) -> tuple[Reading, ...]:
    """The ways to read `quote` as fragments split at ellipses and [insertions], best first.

    Ellipses (..., …, . . ., [...], (...)) allow any gap; each [insertion] stands for at most
    MAX_INSERTION_WORDS source words. Round brackets are ambiguous (respondents write them too),
    so every choice of which plain "(groups)" (up to six words, no punctuation) are editorial is
    offered, fewest editorial first. "[sic]" stands for nothing and splits nothing.
    A quote without marks has no readings: it can only match as a whole.
    """
    plain = quote.strip()
    if not any(sign in plain for sign in ("..", ". .", "…", "[", "(")):
        return ()  # most quotes: skip the regex, which is slow to fail
    raw = _SIC.sub(lambda m: " " * len(m.group()), plain)  # blanked, so offsets stay put
    marks = [(m.lastgroup, m.group(), m.start()) for m in _MARK.finditer(raw)]
    if not marks:  # at most a [sic]: the rest must be found as it stands
        return () if raw == plain else (Reading((normalised_text(raw),), (), (), (False,),
                                                (False,)),)
    # Respondents write round brackets more often than editors, and their asides carry commas,
    # dashes and lists; an editor's supply a few plain words: "(are)", "(We gave a)", "(health
    # and social care)". Only those may be insertions.
    rounds = [start for kind, text, start in marks
              if kind == "round" and _PLAIN_INSERTION.match(text)]
    if len(rounds) <= _MAX_ROUND_GROUPS:
        choices = [set(c) for n in range(len(rounds) + 1) for c in combinations(rounds, n)]
    else:
        choices = [set(), set(rounds)]
    whole = normalised_text(plain)
    readings = []
    for editorial in choices:
        reading = _reading(raw, marks, editorial)
        if reading is not None and (reading.fragments != (whole,) or reading.max_gap_words):
            readings.append(reading)
    return tuple(readings)


def _reading(raw: str, marks: list[tuple[str | None, str, int]], editorial_rounds: set[int]
             ) -> Reading | None:
    """One reading, or None when a round group read as an insertion touches no fragment: an
    editor's "(are)" joins quoted words, so "(...) ... words" cannot be one."""
    fragments: list[str] = []
    gaps: list[int | None] = []
    before: list[bool] = []
    after: list[bool] = []
    insertions, ellipsis, position = 0, False, 0
    loose: list[list[bool]] = []  # round groups since the last fragment: [touched it, touches next]
    printed: list[str] = []  # insertions since the last fragment
    inserted: list[str] = []
    leading = ""
    opens_elided = False

    def flush(text: str) -> bool:
        nonlocal insertions, ellipsis, leading, opens_elided
        fragment = normalised_text(text)
        if not word_count(fragment):
            return True  # bare punctuation between two marks says nothing
        if any(not touched and not touching for touched, touching in loose):
            return False
        if fragments:
            gaps.append(None if ellipsis else MAX_INSERTION_WORDS * insertions)
            inserted.append(" ".join(printed))
        else:
            leading = " ".join(printed)
            opens_elided = ellipsis
        printed.clear()
        before.append(any(touching for _, touching in loose))
        after.append(False)
        fragments.append(fragment)
        insertions, ellipsis = 0, False
        loose.clear()
        return True

    for kind, text, start in marks:
        if kind == "round" and start not in editorial_rounds:
            continue  # literal: stays inside the surrounding fragment
        if not flush(raw[position:start]):
            return None
        position = start + len(text)
        if kind == "ellipsis":
            ellipsis = True
            for group in loose:
                group[1] = False  # the ellipsis parts it from the next fragment
            continue
        insertions += 1
        printed.append(text)
        if kind == "round":
            touched = bool(fragments) and not ellipsis
            if touched:
                after[-1] = True
            loose.append([touched, True])
    if not flush(raw[position:]) or not fragments or not all(t for t, _ in loose):
        return None
    editorial = tuple(text for kind, text, start in marks
                      if kind == "round" and start in editorial_rounds)
    return Reading(tuple(fragments), tuple(gaps), editorial, tuple(before), tuple(after),
                   tuple(inserted), leading, " ".join(printed), opens_elided, ellipsis)


def without_editorial_marks(quote: str) -> str:
    """The quote with ellipses and [insertions] blanked out; round brackets kept (they may be the
    respondent's own). Used to compare a failed elided quote word by word with its source."""
    quote = _SIC.sub(" ", quote)
    return _MARK.sub(lambda m: m.group() if m.lastgroup == "round" else " ", quote)


# --- what editorial marks may not change --------------------------------------------------------
#
# An ellipsis leaves words out and an [insertion] stands for words; neither may change what the
# quote says. So the words an ellipsis leaves out may not hold a negation (in English, French,
# German or Spanish: summariser.text.negations), a number or a quantity word; an insertion may
# not add or take away one; and an insertion that stands for source words
# must be a substitution the rules can show is grammatical or referential: a pronoun or
# determiner replaced by what it refers to ("it" -> "[the IJB]"), a verb's tense or form
# ("is" -> "[was]", "improve" -> "[improved]") or a word's capital. Anything else (an antonym, a
# changed name) fails, with the source words shown, so a reviewer decides.

NEGATIONS = ALL_NEGATIONS  # of every language listed in summariser.text.negations
QUANTITIES = frozenset("""
all every some most many few fewer fewest less least more several half only always often
sometimes usually rarely seldom majority minority nearly almost
""".split())
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())} | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
    "dozen": 12, "once": 1, "twice": 2, "first": 1, "second": 2, "third": 3, "double": 2,
    "triple": 3}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
PRONOUNS = frozenset("""
it its it's they them their theirs this that these those he him his she her hers we us our ours
you your yours i me my mine here there which who whom whose what one ones the a an such latter
former
""".split())
_VERB_GROUPS = [frozenset(g.split()) for g in (
    "be is are was were been being am 's 're", "have has had having 've 'd",
    "do does did doing done", "will would shall 'll", "can could", "may might",
    "go goes went gone going", "get gets got gotten getting", "make makes made making")]
# Auxiliaries that mark tense: "has been" -> "(is)" changes the tense only.
_TENSE = frozenset("be is are was were been being am 's 're have has had 've 'd do does did "
                   "will would shall 'll".split())


def meaning_words(text: str) -> list[str]:
    """The words of `text` that carry negation, number or quantity: "not" (also for "n't"), the
    value of a number ("8.6", "25%", "two" -> "2"), or the quantity word itself."""
    found = []
    for token in _TOKEN.findall(text.replace("’", "'")):
        word = token.lower()
        if word[0].isdigit():
            found.append(word.replace(",", ""))
        elif is_negation(word):
            found.append("not" if word.endswith("n't") or word.startswith("n'") else word)
        elif word in _NUMBER_WORDS:
            found.append(str(_NUMBER_WORDS[word]))
        elif word in QUANTITIES:
            found.append(word)
    return found


def _words(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.replace("’", "'"))]


def _same_word(source: str, inserted: str) -> bool:
    """A change of form, tense or capital only: one verb's forms, or words that share all but
    their last two letters ("improve", "[improved]"; "support", "[supporting]")."""
    if source == inserted or any(source in g and inserted in g for g in _VERB_GROUPS):
        return True
    common = len(os.path.commonprefix([source, inserted]))
    return common >= 4 and common >= min(len(source), len(inserted)) - 2


MASK = "[name]"  # what a name listed in the manifest's `[privacy] mask` is printed as


def _is_name(words: str) -> bool:
    """One to four words as a person's or a place's name is written: each capitalised, or one
    English does not know, as people type a name in lower case ("nurse julie", "my manager
    kelly"). A word English knows, written small, may say what was said: never withheld."""
    import lemminflect

    found = _TOKEN.findall(words)
    return 0 < len(found) <= 4 and all(
        w[:1].isupper() or (w.isalpha() and not lemminflect.getAllLemmas(w.lower()))
        for w in found)


def _show(words: str) -> str:
    return " ".join(words.split())


CLAUSE_END = re.compile(r"[.!?;:](?=\s|$)|\n")  # where a sentence or clause ends


def withheld_names(names: Iterable[str]) -> frozenset[str]:
    """The manifest's `[privacy] mask` as `changed_meaning` compares it: the report masks each
    however it is cased and spaced."""
    return frozenset(" ".join(_words(name)) for name in names)


def changed_meaning(dropped: str, inserted: str, *, ellipsis: bool,
                    after_sentence: bool = False,
                    withheld: frozenset[str] = frozenset()) -> str | None:
    """Why source words `dropped` cannot stand behind editorial marks that print `inserted`
    (None: they can). `ellipsis`: an ellipsis is among the marks, so any words may be left out
    that carry no meaning word; whole sentences may go with theirs, as a reader does not join
    them to the quoted words (`after_sentence`: the quoted words before the gap end a sentence).
    Without an ellipsis, `inserted` must stand for `dropped`. `withheld`: the names the report
    masks (`withheld_names`), which "[name]" may stand for though English knows the word."""
    if inserted.strip().casefold() == MASK and not ellipsis and dropped.strip() \
            and " ".join(_words(dropped)) in withheld:
        return None  # a name the analyst masks, whatever its words ("Ward 7")
    counted = dropped
    if ellipsis:
        parts = CLAUSE_END.split(dropped)
        if len(parts) > 1:
            counted = ("" if after_sentence else parts[0]) + " " + parts[-1]
    lost = meaning_words(counted)
    added = meaning_words(inserted)
    for word in added[:]:
        if word in lost:
            lost.remove(word)
            added.remove(word)
    shown = _show(inserted)
    if lost and shown:
        return f"the insertion {shown} takes the place of “{lost[0]}”"
    if lost:
        return f"the ellipsis leaves out “{lost[0]}”"
    if added:
        return f"the insertion {shown} adds “{added[0]}”"
    if ellipsis or not _words(dropped):
        return None
    if shown.casefold() == MASK and _is_name(dropped):
        return None  # a name withheld (`[privacy] mask`): who, not what was said
    source, printed = _words(dropped), _words(re.sub(r"[\[\]()]", " ", inserted))
    if all(w in PRONOUNS for w in source):
        return None  # a reference made explicit: "it" -> "[the IJB]"
    if len(source) == len(printed) and all(map(_same_word, source, printed)):
        return None  # a tense, form or capital changed
    if set(source) <= _TENSE and set(printed) <= _TENSE:
        return None  # an auxiliary for another: "has been" -> "(is)"
    return (f"the insertion {shown} takes the place of “{_show(dropped)}”, which is not a "
            "pronoun, a tense or a capital")


_GLUED_CAPITAL = re.compile(r"(?:(?<=^)|(?<=[\s\"“‘']))\[([^\W\d_])\](?=[^\W\d_])")


def unbracket_capitals(quote: str) -> str:
    """'[T]he budget' -> 'The budget': a bracketed first letter only changes its case."""
    return _GLUED_CAPITAL.sub(lambda m: m.group(1), quote)
