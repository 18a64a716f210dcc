"""What a model may say in a theme's description: a plain sentence the publication gate has no
claim to check in. Counts come from coding and are written by code, so a description that names
respondents ("R16 and R12 said ..."), states a number or a quantifier ("four of 16", "most
officers", "all partnerships") or stops mid-word ("strong operat") is not published: the offline
description stands (or none, for a theme the model proposed itself), and the draft lists why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


def description_problem(text: str, respondents: Iterable[str]) -> str | None:
    """Why `text` may not be published as a theme's description, or None when it may.
    `respondents`: the section's respondent and response ids, none of which may appear."""
    text = text.strip()
    if not text:
        return None
    words = set(re.findall(r"[\w&-]+", text.lower()))
    # The ids are not repeated in the reason: the reason is shown beside the draft.
    if any(r and not r.isdigit() and (r.lower() in words or (
            not r.isalnum() and r.lower() in text.lower())) for r in respondents):
        return "it names a respondent by id"
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
