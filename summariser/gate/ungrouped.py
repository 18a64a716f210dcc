"""A breakdown's note of who is in no column, read as claims for the publication gate. Under a
"By size" table, `summariser.report.disclosure` says how many of those who answered a question
gave no value of the attribute, so are in none of its columns ("Financial pressures: the three
who answered but gave no size are in no column."): a number a reader takes as checked, like the
table's own figures. `summariser.gate.claims` reads each such sentence of a note as a claim and
`summariser.gate.groups` checks it. The form without a number ("Those who answered but gave no
size are in no column.", said when a group is suppressed) states nothing to check."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from summariser.gate.blocks import match_key, one_line
from summariser.text.wording import NUMBER_PATTERN, number_value

__all__ = ["NoteSentence", "ungrouped_notes"]

# What a note's sentence says after the question's label, as `Breakdown.note` writes it: "one
# person who answered gave no size and is in no column", "the 81 who answered but gave no size
# are in no column". An attribute is a manifest key, so it holds no stop, colon or semicolon.
_SAID = re.compile(
    r":\s+(?:one\s+person\s+who\s+answered\s+gave\s+no\s+(?P<one>[^.:;]+?)\s+and\s+is\s+in\s+no"
    rf"\s+column|the\s+(?P<n>{NUMBER_PATTERN})\s+who\s+answered\s+but\s+gave\s+no\s+"
    r"(?P<many>[^.:;]+?)\s+are\s+in\s+no\s+columns?)\.", re.IGNORECASE)
# Where a sentence before a label ends: its stop, any closing marks, and the space after.
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+")


@dataclass(frozen=True, slots=True)
class NoteSentence:
    """One sentence of a note stating how many are in no column, where it is in its prose."""

    start: int
    end: int
    label: str  # the question's short label, as the note names it
    attribute: str  # the attribute's name ("size")
    count: int


def ungrouped_notes(prose: str, labels: Collection[str]) -> list[NoteSentence]:
    """The sentences of `prose` that say how many who answered a question gave no value of an
    attribute. Several are joined by spaces in one note, after or before others ("Suppressed:
    ..."), and a label may hold a stop of its own ("Q3. Financial pressures"): a label starts
    at the earliest sentence end after the last such sentence whose words are one of `labels`
    (`match_key` keys of the manifest's short labels), else at the last sentence end, so that a
    label the manifest does not know is still read, and left to a person."""
    found: list[NoteSentence] = []
    after = 0  # where the sentence before the next one ends
    for said in _SAID.finditer(prose):
        starts = [after, *(end.end() for end in _SENTENCE_END.finditer(prose, after,
                                                                       said.start()))]
        starts = [at for at in starts if prose[at:said.start()].strip()] or [said.start()]
        start = next((at for at in starts if match_key(prose[at:said.start()]) in labels),
                     starts[-1])
        start += len(prose[start:said.start()]) - len(prose[start:said.start()].lstrip())
        found.append(NoteSentence(start, said.end(), one_line(prose[start:said.start()]),
                                  one_line(said.group("one") or said.group("many")),
                                  1 if said.group("one") else number_value(said.group("n"))))
        after = said.end()
    return found
