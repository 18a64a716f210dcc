"""Split responses into passages: segments of one sentence or clause, keeping character offsets.

A passage is the unit that is embedded, retrieved and coded to a theme, so it is one thought: a
sentence. A fragment of fewer than `MIN_WORDS` words ("Otherwise slow.") joins the sentence
before it, since alone it says nothing a theme could be coded from; a sentence of more than
`MAX_WORDS` words (spoken answers run on) is cut at its strongest clause boundaries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path

from summariser.records import Passage, Response, content_hash
from summariser.text import sentences
from summariser.text.sentences import sentence_spans

MIN_WORDS = 3  # shorter fragments join the sentence before them
MAX_WORDS = 60  # longer sentences are cut at clause boundaries

Spans = tuple[tuple[int, int], ...]


@cache
def split_rules() -> str:
    """What the splitting depends on: this module, the sentence splitter and pysbd's version.
    Spans kept from an earlier ingest are used again only under the same rules."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for module in (__file__, sentences.__file__):
        digest.update(Path(module).read_bytes())
    try:
        digest.update(version("pysbd").encode())
    except PackageNotFoundError:
        pass
    return digest.hexdigest()[:16]


def text_key(text: str) -> str:
    """The key spans are kept under: a text's spans depend on the text alone."""
    return content_hash(text)


def passage_spans(text: str, max_words: int = MAX_WORDS) -> Iterator[tuple[int, int]]:
    """Segments: sentences, with fragments joined to the sentence before and long ones cut."""
    merged: list[list[int]] = []
    for begin, end in sentence_spans(text):
        if merged and len(text[begin:end].split()) < MIN_WORDS:
            merged[-1][1] = end
        else:
            merged.append([begin, end])
    for begin, end in merged:
        yield from _clauses(text, begin, end, max_words)


# Where a long sentence may be cut, strongest first: after a semicolon or colon, at a spaced
# dash, after a comma. The cut keeps the mark with the clause before it.
_CLAUSE_BREAKS = (re.compile(r"[;:](?=\s)"), re.compile(r"\s[-–—]\s"), re.compile(r",(?=\s)"))


def _clauses(text: str, begin: int, end: int, max_words: int) -> Iterator[tuple[int, int]]:
    if len(text[begin:end].split()) <= max_words:
        yield begin, end
        return
    middle = (begin + end) // 2
    for pattern in _CLAUSE_BREAKS:
        cuts = [m.end() if m.group().strip() in ";:," else m.start()
                for m in pattern.finditer(text, begin, end)]
        cuts = [c for c in cuts if len(text[begin:c].split()) >= MIN_WORDS
                and len(text[c:end].split()) >= MIN_WORDS]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - middle))
            right = cut + len(text[cut:end]) - len(text[cut:end].lstrip())
            yield from _clauses(text, begin, cut, max_words)
            yield from _clauses(text, right, end, max_words)
            return
    yield begin, end  # no clause boundary: one long segment rather than a cut mid-clause


def passage_id(response: Response, start: int, end: int) -> str:
    """A passage's id covers everything stored with it (who said it, to which question, in
    which source, as whose turn), so a change to any of them in the manifest makes new ids and
    re-ingests the passage, rather than leaving stale attributions in the vector store."""
    return content_hash(response.response_id, response.respondent, response.question,
                        response.source, response.source_file, response.speaker or "",
                        str(response.is_participant), str(start), str(end),
                        response.text[start:end])


def intact(passage: Passage) -> bool:
    """Whether a stored passage is what was stored under its id: its id is the hash of its text
    and attribution (`passage_id`), so text changed in the vector store under the same id, or
    a changed attribution, no longer matches."""
    return passage.passage_id == content_hash(
        passage.response_id, passage.respondent, passage.question, passage.source,
        passage.source_file, passage.speaker or "", str(passage.is_participant),
        str(passage.start), str(passage.end), passage.text)


def split_response(response: Response, max_words: int = MAX_WORDS,
                   spans: Spans | None = None) -> list[Passage]:
    """The response's passages, cut at `spans` when they are known already."""
    if spans is None:
        spans = tuple(passage_spans(response.text, max_words))
    return [
        Passage(
            passage_id=passage_id(response, start, end),
            response_id=response.response_id, respondent=response.respondent,
            question=response.question, source=response.source,
            source_file=response.source_file, start=start, end=end,
            text=response.text[start:end], speaker=response.speaker,
            is_participant=response.is_participant)
        for start, end in spans
    ]


def split_all(responses: Iterable[Response], max_words: int = MAX_WORDS) -> list[Passage]:
    return [p for r in responses for p in split_response(r, max_words)]


def split_known(responses: Iterable[Response], known: Mapping[str, Spans]
                ) -> tuple[list[Passage], dict[str, Spans]]:
    """Passages of every response, and the spans of every text by `text_key`. A text in `known`
    (spans kept by an earlier ingest under the same `split_rules`) is not split again: sentence
    splitting is most of the time an unchanged re-ingest took (80 s for 10,000 answers)."""
    passages: list[Passage] = []
    spans: dict[str, Spans] = {}
    for response in responses:
        key = text_key(response.text)
        cut = spans.get(key) or known.get(key)
        if cut is None:
            cut = tuple(passage_spans(response.text))
        spans[key] = cut
        passages += split_response(response, spans=cut)
    return passages, spans
