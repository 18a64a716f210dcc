"""Typed, frozen records that flow through the pipeline.

read -> split -> embed/index -> retrieve -> draft -> verify -> render.
Every stage takes and returns these; none of them knows about Chroma, pandas or an LLM SDK.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable id for a piece of content: sha256 over the parts, NUL-separated."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class Response:
    """One answer by one respondent to one question, or one speaker turn of a transcript.

    `text` is the original, byte-exact text as read from the source: quotes are checked against it.
    """

    response_id: str  # unique in the corpus, stable across re-ingests
    respondent: str  # respondent / participant id, e.g. "R07" or "I01"
    question: str  # question id from the manifest ("interview" for transcript turns)
    source: str  # source id from the manifest
    source_file: str  # path as written in the manifest
    text: str
    row: int | None = None  # where it is in its file, as the analyst finds it: a CSV's or a
    # transcript's line (a CSV's header is line 1), a sheet's row, a Parquet file's data row
    speaker: str | None = None  # transcript speaker label, as written
    is_participant: bool = True  # False for interviewer turns: never quotable
    offset: int = 0  # character offset of `text` inside the source file (transcripts), else 0


# How a stored answer's `row` places it, recorded by ingest: a store that placed answers
# otherwise (by data row, before) is read again before its places are printed.
PLACES = "file line or sheet row"


def place_in_file(source_file: str, row: int | None) -> str:
    """"line 441" of a CSV, JSONL or transcript, "row 12" of a sheet or a Parquet file."""
    if row is None:
        return ""
    tabular = source_file.lower().endswith((".xlsx", ".xlsm", ".parquet"))
    return f"{'row' if tabular else 'line'} {row}"


def response_digest(r: Response) -> str:
    """The hash a stored response keeps of itself, text and attribution: a response changed on
    disk (edited, or a bit flipped that SQLite's checks pass) no longer matches it."""
    fields = (r.response_id, r.respondent, r.question, r.source, r.source_file, r.text,
              r.speaker or "", str(r.row), str(r.is_participant), str(r.offset))
    joined = "".join(f"{len(f)}:{f}" for f in fields)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def corpus_hash(responses: Iterable[Response]) -> str:
    """Changes when any response (its text, ids, attribution or order) does: the identity of a
    corpus, recorded by ingest and used to tell whether what was built from it is still current."""
    digest = hashlib.sha256()
    for r in responses:
        fields = (r.response_id, r.respondent, r.question, r.source, r.source_file, r.text,
                  r.speaker or "", str(r.row), str(r.is_participant))
        digest.update("".join(f"{len(f)}:{f}" for f in fields).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable slice of a response: a short answer whole, a long one split at sentences."""

    passage_id: str  # content hash of its response's ids and attribution, offsets and text
    response_id: str
    respondent: str
    question: str
    source: str
    source_file: str
    start: int  # character offsets into Response.text
    end: int
    text: str
    speaker: str | None = None
    is_participant: bool = True


@dataclass(frozen=True, slots=True)
class Rating:
    """A closed answer: a number on a rating scale or a chosen option (None when left blank, or
    when the answer is a non-answer such as "don't know", named by `non_answer`)."""

    respondent: str
    question: str
    value: float | str | None
    non_answer: str | None = None  # the manifest's label for a no-answer code


@dataclass(frozen=True, slots=True)
class Attribute:
    """A fact about a respondent used only for breakdowns, e.g. partnership size."""

    respondent: str
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row or turn not stored, and why (shown in the ingest summary)."""

    source: str
    row: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything read from a project's sources, before indexing."""

    responses: tuple[Response, ...]
    ratings: tuple[Rating, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    rows_read: dict[str, int] = field(default_factory=dict)  # per source id
    attributes: tuple[Attribute, ...] = ()
    notes: tuple[str, ...] = ()  # how a file was read, where worth saying (mixed encodings)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which passages a read covers: answers to `questions` and passages from `sources`
    (either may match); empty tuples mean every passage."""

    questions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def holds(self, question: str, source: str) -> bool:
        """Whether an answer to `question` from `source` is in scope."""
        if not self.questions and not self.sources:
            return True
        return question in self.questions or source in self.sources
