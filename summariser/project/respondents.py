"""Who is who: the one definition of the survey's respondents, used by the statistics (the
response rate and its denominators), the publication gate (the "survey respondents" a percentage
may be of) and `ask` (which counts people by kind).

A survey respondent is a participant with a row in a survey table (a CSV, XLSX, JSONL or
Parquet export), however many rows they have, whether or not they answered any one question:
their text answers are in the responses and their closed answers, blank ones included, in the
ratings. Interviewees (of a text transcript or a transcript table) are counted apart, and
documents such as meeting notes are never people: they are counted as documents. (A row of a
table with no closed questions whose every text answer is blank leaves no record, so it is not
counted.)
"""

from __future__ import annotations

from collections.abc import Iterable

from summariser.project.manifest import Manifest
from summariser.records import Passage, Rating, Response

__all__ = ["KINDS", "people_by_kind", "survey_respondents"]

KINDS = ("survey", "interview", "document")


def survey_respondents(manifest: Manifest, responses: Iterable[Response],
                       ratings: Iterable[Rating] = ()) -> set[str]:
    """The ids of the survey's respondents among `responses` and `ratings`."""
    surveys = {s.id for s in manifest.sources if s.kind == "survey"}
    people = {r.respondent for r in responses if r.is_participant and r.source in surveys}
    # Ratings are read only from survey tables, one per row and closed question.
    return people | {r.respondent for r in ratings}


def people_by_kind(manifest: Manifest, responses: Iterable[Response | Passage]
                   ) -> dict[str, set[str]]:
    """Who gave `responses` (or passages), by kind: survey respondent ids, interviewee ids,
    and the ids of the documents (sources, not people). Interviewer turns count for no one."""
    kind = {s.id: s.kind for s in manifest.sources}
    found: dict[str, set[str]] = {k: set() for k in KINDS}
    for response in responses:
        if response.is_participant and response.source in kind:
            who = response.source if kind[response.source] == "document" else \
                response.respondent
            found[kind[response.source]].add(who)
    return found
