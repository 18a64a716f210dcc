"""Who the survey's respondents are: the one definition, used by the statistics (the response
rate and its denominators) and by the publication gate (the "survey respondents" a percentage
may be of).

A survey respondent is a participant with a row in a tabular source (a CSV, XLSX, JSONL or
Parquet export), whether or not they answered any one question: their text answers are in the
responses and their closed answers, blank ones included, in the ratings. Interviewees and
documents such as meeting notes are evidence, not respondents of the survey. (A row of a table
with no closed questions whose every text answer is blank leaves no record, so it is not
counted.)
"""

from __future__ import annotations

from collections.abc import Iterable

from summariser.project.manifest import Manifest
from summariser.records import Rating, Response

__all__ = ["survey_respondents"]


def survey_respondents(manifest: Manifest, responses: Iterable[Response],
                       ratings: Iterable[Rating] = ()) -> set[str]:
    """The ids of the survey's respondents among `responses` and `ratings`."""
    tabular = {s.id for s in manifest.sources if s.is_tabular}
    people = {r.respondent for r in responses if r.is_participant and r.source in tabular}
    # Ratings are read only from tabular sources, one per row and closed question.
    return people | {r.respondent for r in ratings}
