"""Words as every stage compares them: a word token, a word folded (lower case, straight
apostrophe, simple plural), and its lemmas (lemminflect: "waiting" -> "wait", "children" ->
"child"). Drafting matches codebook phrases by them (`summariser.draft.phrases`) and `ask`
finds every inflection of a word the question names (`summariser.retrieve.search`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import lemminflect

__all__ = ["WORD", "fold", "is_verb_only", "lemma", "lemmas"]

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def fold(word: str) -> str:
    """A word as matching sees it: lower case, straight apostrophe, simple plural folded."""
    word = word.lower().replace("’", "'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


# lemminflect's parts of speech, in the order a lemma is preferred: "waits" is a noun and a
# verb, both "wait"; "parking" only a verb's form, "park".
_POS_ORDER = ("NOUN", "PROPN", "ADJ", "VERB", "ADV")


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """A folded word's lemma ("waiting" -> "wait", "children" -> "child"); the word itself
    when it has none (an acronym, a number, a name)."""
    if not word.isalpha() or word.isupper():
        return word
    found = lemminflect.getAllLemmas(word) or lemminflect.getAllLemmasOOV(word, "NOUN")
    return next((found[pos][0] for pos in _POS_ORDER if pos in found), word)


@lru_cache(maxsize=1 << 16)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma a folded word can have ("flying": "flying" and "fly"), and the word."""
    found = lemminflect.getAllLemmas(word) or lemminflect.getAllLemmasOOV(word, "NOUN")
    return frozenset({word, *(lemma for forms in found.values() for lemma in forms)})


@lru_cache(maxsize=1 << 16)
def is_verb_only(word: str) -> bool:
    """Whether a folded word is only ever a verb's form ("linked", "block" is not)."""
    found = lemminflect.getAllLemmas(word)
    return bool(found) and set(found) == {"VERB"} and not word.endswith("ing")

