"""The phrase a count claims people used, and who used it, for the gate's number checks.

A sentence names a phrase when
- it quotes one short phrase (at most `PHRASE_MAX_WORDS` words) right after a verb of saying
  ("mentioned “hold your nerve”"), or calls it a phrase, words, term or wording, or says it was
  used or written ("“hold your nerve” was a phrase used by at least three respondents"); or
- a verb of saying (mentioned, cited, said, referred to, raised, highlighted, …) is followed by a
  noun phrase ("Four of 16 Chief Officers mentioned delayed discharge"): the words up to the next
  punctuation, "e.g.", "such as", "which", "that", "because"… (at most `NOUN_PHRASE_MAX_WORDS`),
  less a leading article or possessive. Its readings are the whole phrase and each run of two or
  more of its words that starts and ends with a content word ("progress with reducing delayed
  discharge" is read as itself, "reducing delayed discharge", "delayed discharge", …).
A reading's holders are the participants whose answers to the section's questions and sources
contain it, matched as drafting matches codebook phrases (`summariser.draft.phrases.Phrase`:
case-folded, plurals folded, acronyms in capitals). A noun phrase none of whose readings anyone
holds names nothing; the count is then checked in another way, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.draft.phrases import FUNCTION_WORDS, WORD, Phrase
from summariser.gate.corpus import EvalCorpus
from summariser.project.manifest import Section

__all__ = ["NamedPhrase", "PHRASE_MAX_WORDS", "named_phrase", "unheld_phrase"]

PHRASE_MAX_WORDS = 6  # a longer quote is an example, not a phrase whose users can be counted
NOUN_PHRASE_MAX_WORDS = 8

_SAYING = (r"mention(?:ed|s)?|cit(?:ed|es|e)|sa(?:id|ys|y)|refer(?:red|s)?\s+to|rais(?:ed|es|e)"
           r"|highlight(?:ed|s)?|not(?:ed|es)|nam(?:ed|es)|report(?:ed|s)?|identifi(?:ed|es)"
           r"|describ(?:ed|es)|sp(?:oke|eak)\s+(?:of|about)|talk(?:ed|s)?\s+about"
           r"|emphasi[sz](?:ed|es)|stress(?:ed|es)|flag(?:ged|s)(?:\s+up)?|point(?:ed|s)\s+to"
           r"|us(?:ed|es)|wr(?:ote|ites)(?:\s+about)?|call(?:ed|s)\s+for|ask(?:ed|s)\s+for"
           r"|prais(?:ed|es)|valu(?:ed|es)|welcom(?:ed|es)|suggest(?:ed|s)|propos(?:ed|es)")
_VERB = re.compile(rf"\b(?:{_SAYING})\b(?:\s+(?:the\s+)?(?:phrase|words?|term|expression))?\s+",
                   re.IGNORECASE)
_PHRASE_WORDS = re.compile(r"\b(?:phrase|words?|term|expression|wording|used|wrote)\b",
                           re.IGNORECASE)
_STOP = re.compile(r"[,;:.()!?\[\]“”\"‘’]|\b(?:e\.g|i\.e|such\s+as|for\s+example|including"
                   r"|but|which|that|who|whom|because|as|when|while|although|though|whereas"
                   r"|if|by|from|among|across|in\s+(?:their|the|its|his|her)\s+answers?)\b",
                   re.IGNORECASE)
_LEADING = frozenset("the a an their its our his her this these those some any".split())
_NOT_A_NOUN_PHRASE = frozenset("how what whether why where when who that it they them this "
                               "there".split())


@dataclass(frozen=True, slots=True)
class NamedPhrase:
    """The phrase a sentence names, as the readings it may mean, each with its holders."""

    readings: tuple[tuple[str, frozenset[str]], ...]  # longest first; only held readings

    def matching(self, holds) -> tuple[str, frozenset[str]] | None:
        """The first reading whose number of holders the claim's comparison accepts."""
        return next(((r, people) for r, people in self.readings if holds(len(people))), None)

    def nearest(self, n: int) -> tuple[str, frozenset[str]]:
        """The reading whose number of holders is nearest to `n` (for saying why a count fails)."""
        return min(self.readings, key=lambda item: (abs(len(item[1]) - n), -len(item[0])))


def _content(word: str) -> bool:
    return word.lower() not in FUNCTION_WORDS


def _noun_phrase(rest: str) -> list[str]:
    stop = _STOP.search(rest)
    words = WORD.findall(rest[: stop.start()] if stop else rest)[:NOUN_PHRASE_MAX_WORDS]
    if words and words[0].lower() in _NOT_A_NOUN_PHRASE:
        return []
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    return words


def _readings(words: list[str]) -> list[str]:
    found = [" ".join(words)] if words else []
    for size in range(len(words) - 1, 1, -1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if _content(run[0]) and _content(run[-1]):
                found.append(" ".join(run))
    return list(dict.fromkeys(found))


def _quoted_phrase(sentence: str, quotes: tuple[str, ...]) -> str | None:
    """The sentence's one short quote, when the sentence counts who used it."""
    if len(quotes) != 1 or len(WORD.findall(quotes[0])) > PHRASE_MAX_WORDS:
        return None
    quote = quotes[0]
    for match in _VERB.finditer(sentence):
        if sentence[match.end() :].lstrip("“\"‘'").startswith(quote):
            return quote
    around = sentence.replace(quote, " ")
    return quote if _PHRASE_WORDS.search(around) else None


def _candidates(sentence: str, quotes: tuple[str, ...]) -> list[str]:
    quoted = _quoted_phrase(sentence, quotes)
    if quoted is not None:
        return [quoted]
    candidates = []
    for match in _VERB.finditer(sentence):
        candidates += _readings(_noun_phrase(sentence[match.end() :]))
    return list(dict.fromkeys(candidates))


def unheld_phrase(corpus: EvalCorpus, section: Section | None, sentence: str,
                  quotes: tuple[str, ...]) -> str | None:
    """The phrase `sentence` names when no one's answers use any reading of it ("Nobody
    mentioned Brexit"), the whole phrase; None when it names none, or someone uses it."""
    candidates = _candidates(sentence, quotes)
    if not candidates or any(corpus.holders(section, Phrase.of(c)) for c in candidates):
        return None
    return candidates[0]


def named_phrase(corpus: EvalCorpus, section: Section | None, sentence: str,
                 quotes: tuple[str, ...]) -> NamedPhrase | None:
    """The phrase `sentence` (with its `quotes` in it) names, with who holds each reading; None
    when it names none that anyone holds."""
    held = [(reading, corpus.holders(section, Phrase.of(reading)))
            for reading in _candidates(sentence, quotes)]
    held = [(reading, people) for reading, people in held if people]
    return NamedPhrase(tuple(held)) if held else None
