"""Split responses into passages at sentence boundaries, keeping character offsets.

A short answer stays whole. A long answer or a transcript turn becomes runs of whole sentences of
about `max_words` words, so a retrieved passage reads as the respondent wrote it. Sentences end
where `summariser.text.sentences` says, line breaks included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from summariser.records import Passage, Response, content_hash
from summariser.text.sentences import sentence_spans

MAX_WORDS = 80


def passage_spans(text: str, max_words: int = MAX_WORDS) -> Iterator[tuple[int, int]]:
    """Group whole sentences into runs of at most about `max_words` words."""
    if len(text.split()) <= max_words:
        stripped = text.strip()
        if stripped:
            start = text.index(stripped[0])
            yield start, start + len(stripped)
        return
    run_start = run_end = None
    words = 0
    for begin, end in sentence_spans(text):
        count = len(text[begin:end].split())
        if run_start is not None and words + count > max_words:
            yield run_start, run_end
            run_start = None
        if run_start is None:
            run_start, words = begin, 0
        run_end = end
        words += count
    if run_start is not None:
        yield run_start, run_end


def split_response(response: Response, max_words: int = MAX_WORDS) -> list[Passage]:
    return [
        Passage(
            passage_id=content_hash(response.response_id, str(start), str(end),
                                    response.text[start:end]),
            response_id=response.response_id, respondent=response.respondent,
            question=response.question, source=response.source,
            source_file=response.source_file, start=start, end=end,
            text=response.text[start:end], speaker=response.speaker,
            is_participant=response.is_participant)
        for start, end in passage_spans(response.text, max_words)
    ]


def split_all(responses: Iterable[Response], max_words: int = MAX_WORDS) -> list[Passage]:
    return [p for r in responses for p in split_response(r, max_words)]
