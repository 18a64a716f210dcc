"""Non-answers: "Don't know", "Nothing really", "No comment", "N/A", "Same as above", "Dunno",
"No reason", "See below", "x".

An answer that says nothing about the question is counted as a non-answer and reported as such
("Three said they did not know or had nothing to add"); it never founds or joins a theme, where
"DK" or "Nothing" once became themes. The rule is on a whole answer (every sentence of it a
non-answer), so "Nothing. The staff were lovely." is an answer. A manifest's `blank` list drops
answers at ingest, as if the cell were empty; these are answers a person gave, so they stay in
the denominator. A bare "No" says nothing to "What could we improve?", but answers a question
that asks people to take a side ("Should adverts be banned?", `asks_a_side`): there it is an
answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The core of a non-answer, after courtesy words are taken off both ends (see _EDGES).
_CORE = r"""
n/?a | na | nil | none | nothing | no | nope | nah | not\ really | no\ idea | dk | d/k | idk
| (?:no\ )?not\ (?:at\ (?:the|this)\ (?:moment|time)|right\ now|for\ now)
| don'?t\ know | do\ not\ know | dont\ know | not\ sure | unsure | no\ opinion | no\ view
| no\ comments? | no\ further\ comments? | no\ other\ comments? | nothing\ (?:else|further|more)
| nothing\ (?:else\ )?to\ (?:add|say|report|declare)
| (?:i\ )?(?:have|had)\ nothing\ to\ (?:add|say)
| no(?:thing)?\ (?:else\ )?(?:to\ add|to\ say) | not\ applicable | does\ not\ apply
| doesn'?t\ apply | (?:same\ )?as\ above | see\ above | (?:see\ )?(?:my\ )?previous\ answer
| can'?t\ (?:think\ of\ anything|say|remember|recall) | cannot\ (?:think\ of\ anything|say)
| nothing\ (?:comes|springs)\ to\ mind | (?:i\ )?(?:have\ )?no\ suggestions?
| none\ that\ i\ can\ think\ of | nothing\ i\ can\ think\ of | pass | skip | \? | -+ | \.+
| dunno | no\ clue | nada | zilch | ditto | x+ | n\.a | see\ below | no\ answer
| no\ (?:real\ |particular\ |specific\ )?reason | (?:just\ )?because
| (?:i'?d\ )?(?:prefer|rather)\ not\ (?:to\ )?say
"""
# Words that pad a non-answer without making it an answer: "Nothing really, thanks."
_EDGES = r"(?:i|um+|er+|hmm+|well|sorry|honestly|really|at\ (?:the|this)\ (?:moment|time)|" \
         r"right\ now|currently|for\ now|so\ far|thanks?|thank\ you|cheers|i'?m\ afraid|" \
         r"i\ think|to\ be\ honest|at\ all|whatsoever|in\ particular|specific|else)"
_NON_ANSWER = re.compile(rf"^(?:{_EDGES}\s+)*(?:{_CORE})(?:\s+{_EDGES})*$",
                         re.IGNORECASE | re.VERBOSE)
_REFUSAL = re.compile(rf"^(?:{_EDGES}\s+)*(?:no|nope|nah)(?:\s+{_EDGES})*$",
                      re.IGNORECASE | re.VERBOSE)
# A sentence that asks people to take a side: "Should ...", "Do you agree/support ...", "Would
# you support ...", "Are you in favour of ...".
_ASKS_A_SIDE = re.compile(
    r"^\W*(?:should|shall|must|do\s+you\s+(?:agree|support|think|believe|favou?r)"
    r"|would\s+you\s+(?:agree|support|favou?r|back)|are\s+you\s+(?:for|against|in\s+favou?r))\b",
    re.IGNORECASE)
_CURLY = str.maketrans({"’": "'", "‘": "'"})


def _normalised(text: str) -> str:
    text = text.translate(_CURLY).strip().casefold()
    text = re.sub(r"[!,;:()\"“”]+", " ", text)
    text = re.sub(r"(?<=\w)[.?]+(?=\s|$)", " ", text)  # "nothing." -> "nothing"
    return " ".join(text.split())


def asks_a_side(question: str) -> bool:
    """Whether a question (or one sentence of it) asks people to take a side."""
    from summariser.text.sentences import sentences

    return any(_ASKS_A_SIDE.match(sentence) for _, sentence in sentences(question))


def is_refusal(text: str) -> bool:
    """Whether `text` is a bare "No" ("No.", "Nope", "No thanks")."""
    return bool(_REFUSAL.match(_normalised(text)))


def is_non_answer(text: str, *, sided: bool = False) -> bool:
    """Whether `text` (an answer, or one sentence of one) says nothing about the question;
    `sided`: the question asks for a side, so "No" answers it."""
    normalised = _normalised(text)
    if sided and _REFUSAL.match(normalised):
        return False
    return not normalised or bool(_NON_ANSWER.match(normalised))


def says_nothing(parts: Iterable[str], *, sided: bool = False) -> bool:
    """Whether an answer, given as its sentences or segments, is a non-answer: every part is one
    (and there is at least one)."""
    parts = list(parts)
    return bool(parts) and all(is_non_answer(part, sided=sided) for part in parts)


# "Nothing to improve", "nothing I'd change": to a question that asks what should change, an
# answer; VADER reads its "nothing" as negating the praise after it (`summariser.text.tone`).
NOTHING_TO_MEND = (r"(?:nothing|not\s+a\s+thing)\s+(?:(?:to|i\s+would|i['’]?d|that\s+could|could"
                   r"|needs?(?:\s+to)?|should)\s+(?:be\s+)?)?(?:improv\w*|chang\w*|better|fault\w*"
                   r"|criticis\w*|complain\w*)")
# An answer's opening words, up to the first mark that ends them ("Nothing at all" in "Nothing at
# all, everyone was lovely."), read within its first `_OPENING_CHARS`.
_OPENING = re.compile(r"(?P<head>[^,;:.!?()…–—]+?)\s*(?:[,;:.!?()…–—]|\s-+\s)+\s*(?=\w)")
_OPENING_CHARS = 120
_NOTHING_OPENS = re.compile(
    rf"(?:{NOTHING_TO_MEND}|nothing(?:\s+(?:much|really|else))?|none|not\s+a\s+(?:thing|lot)"
    r"|not\s+much|no\s+(?:complaints?|problems?|issues?)|(?:i\s+)?(?:can['’]?t|cannot)\s+think\s+of"
    r"\s+anything)(?:\s+(?:at\s+all|really|whatsoever))?", re.IGNORECASE)
# What goes on to ask for a change after all: "Nothing, but the parking is awful".
_YET = re.compile(r"(?:but|apart|except|other\s+than|although|though|however|besides|only)\b",
                  re.IGNORECASE)


def opens_with_nothing(text: str) -> bool:
    """Whether `text` opens by saying there is nothing to change and goes on with something
    else than a change ("Nothing, keep up the good work!", "Nothing to improve, first class",
    "Can't think of anything - the nurses were so kind"; not "Nothing, but the parking is
    awful", nor "Don't know, staff were lovely")."""
    start = re.sub(r"^\W+", "", text[:_OPENING_CHARS])
    opening = _OPENING.match(start)
    return (opening is not None and _NOTHING_OPENS.fullmatch(opening["head"].strip()) is not None
            and not _YET.match(start, opening.end()))
