"""What a model may say in a theme's description: a plain sentence the publication gate has no
claim to check in. Counts come from coding and are written by code, so a description that names
respondents ("R16 and R12 said ..."), states a number or a quantifier ("four of 16", "most
officers", "all partnerships"), stops mid-word ("strong operat") or repeats an answer's words
(a respondent's words printed as ours, unquoted and unverified) is not published: the offline
description stands (or none, for a theme the model proposed itself), and the draft lists why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from summariser.verify.normalise import normalised_text, word_tokens

# Number words and quantifiers: each is a count the gate cannot check against coded evidence.
_QUANTIFIERS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred|dozens?|"
    r"half|quarter|third|all|every|everyone|everybody|each|most|majority|minority|many|several|"
    r"few|none|nobody|no\s+one|numerous|handful|unanimous(?:ly)?|widely|universally|"
    r"per\s*cent|percent"
)
_COUNT = re.compile(rf"\d|%|\b(?:{_QUANTIFIERS})\b", re.IGNORECASE)
_ENDS = re.compile(r"[.!?][\"'”’)\]]*$")
# Words in a row that a description may share with one answer: a longer run is the answer's
# wording, not a summary of it; nor may a description hold a whole answer of SHORT_RUN words or
# more, or be, at that length, an excerpt of one. Not fitted: phrases people share ("delayed
# discharge from hospital") are shorter, and a respondent's sentence is rarely under five words.
COPIED_RUN = 8
SHORT_RUN = 5


class Answers:
    """A section's answers read once, as one text of their words (one answer a line, each word
    between spaces), so a description is checked against all of them by a few searches."""

    def __init__(self, texts: Iterable[str]):
        self._text = "".join(f"\n {' '.join(_words(t))} \n" for t in texts)

    def copied_by(self, text: str) -> bool:
        """Whether `text` repeats COPIED_RUN words in a row of one answer, holds one of at
        least SHORT_RUN words whole, or is itself, at SHORT_RUN words or more, a run of one,
        whatever the case and punctuation."""
        words = _words(text)
        if len(words) >= SHORT_RUN and f" {' '.join(words)} " in self._text:
            return True
        if any(f" {' '.join(words[i:i + COPIED_RUN])} " in self._text
               for i in range(len(words) - COPIED_RUN + 1)):
            return True
        # A whole answer of more than COPIED_RUN words is a run of COPIED_RUN: found above.
        return any(f"\n {' '.join(words[i:j])} \n" in self._text for i in range(len(words))
                   for j in range(i + SHORT_RUN, min(i + COPIED_RUN, len(words)) + 1))


def _words(text: str) -> list[str]:
    """Words as the quote verifier reads them (case, marks, widths and invisible characters
    folded), so an answer is the same answer here as in a quote."""
    return word_tokens(normalised_text(text))


def description_problem(text: str, respondents: Iterable[str], answers: Answers | None = None
                        ) -> str | None:
    """Why `text` may not be published as a theme's description, or None when it may.
    `respondents`: the section's respondent and response ids, none of which may appear;
    `answers`: the section's answers, whose words it may not repeat (`Answers.copied_by`)."""
    text = text.strip()
    if not text:
        return None
    words = set(re.findall(r"[\w&-]+", text.lower()))
    # The ids are not repeated in the reason: the reason is shown beside the draft.
    if any(r and not r.isdigit() and (r.lower() in words or (
            not r.isalnum() and r.lower() in text.lower())) for r in respondents):
        return "it names a respondent by id"
    if answers is not None and answers.copied_by(text):
        return "it repeats an answer's own words, unquoted"
    count = _COUNT.search(text)
    if count:
        return f"it states a count the gate cannot check ('{count.group(0)}')"
    if not _ENDS.search(text):
        return "it stops before the end of a sentence"
    return None


def title_problem(text: str, respondents: Iterable[str]) -> str | None:
    """Why a model's theme title may not be published, by the same rules as a description
    (but a title is no sentence): no respondent ids, numbers or quantifiers."""
    problem = description_problem(text.strip().rstrip(".!?") + ".", respondents)
    return None if problem and "end of a sentence" in problem else problem
