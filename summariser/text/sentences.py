"""Where sentences end: the one sentence splitter, returning character spans into the text.

pysbd (rule-based, the Golden Rules of sentence boundaries) decides where a sentence ends, so
"St. Mary's", "3 p.m. yesterday", "The U.K. budget", "No. 10" and "e.g." stay inside their
sentences. Its spans are found again by searching each sentence in the text, which can fail:
a sentence it altered is dropped, and a repeated one can overlap the one before. So its spans are
used only as places where a sentence may start; the spans returned here cut the text at those
places, so they cover every character and index the text exactly, whatever pysbd did.

pysbd's abbreviation rules rescan the whole text for each abbreviation, so its time grows with
the square of the text's length (2 s for 5,000 words on one line); a long line is segmented in
windows of about `WINDOW` characters instead, each keeping the sentences it saw whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["leans_on_before", "sentence_spans", "sentences"]

WINDOW = 2_000  # characters given to pysbd at once
# Line breaks as str.splitlines knows them; "\r\n" is one break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_WORDY = re.compile(r"[^\W_]")  # a letter or digit
_LINE_BREAK_CHARS = str.maketrans(dict.fromkeys("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))
# Words a sentence opens with when it goes on from the one before: a connective ("But", "As a
# result"), or a word that points back to what was said ("This has meant", "which").
_LEANS = re.compile(
    r"^\W*(?:but|and|or|so|also|however|therefore|thus|hence|yet|plus|otherwise|instead|"
    r"as\s+a\s+result|because\s+of\s+(?:this|that)|in\s+turn|which"
    # "This is ...", "That has meant ...": not "This year ...", a determiner
    r"|(?:this|that|these|those)(?:['\u2019]s|\s+(?:is|was|are|were|has|have|had|means|meant"
    r"|led|leads|will|would|made|makes|also)))\b", re.IGNORECASE)


def sentence_spans(text: str, *, line_breaks: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, trimmed of surrounding white space; blank
    sentences are left out.

    With `line_breaks` (answers, which are often lists of one item per line) a line break ends a
    sentence; without it (a paragraph of prose wrapped over several lines) a line break is a
    space."""
    if not line_breaks:
        return _trimmed(text, _starts(text.translate(_LINE_BREAK_CHARS), 0, len(text)), 0,
                        len(text))
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in (*_LINE_BREAK.finditer(text), None):
        end = match.start() if match else len(text)
        if text[begin:end].strip():
            spans += _trimmed(text, _starts(text, begin, end), begin, end)
        begin = match.end() if match else end
    return spans


def sentences(text: str, *, line_breaks: bool = True) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of `text` (see `sentence_spans`)."""
    return [(start, text[start:end])
            for start, end in sentence_spans(text, line_breaks=line_breaks)]


# Speech that halts: a filler ("um", "erm") or a word said twice over ("it's, it's").
_HALTING = re.compile(r"\b(?:u+m+|u+h+|e+r+m*|h+m+)\b|\b(\w+(?:['’]\w+)?),?\s+\1\b",
                      re.IGNORECASE)


def halts(sentence: str) -> bool:
    """Whether a sentence is spoken with fillers or a stutter ("Um, honestly, it's, it's the
    staffing."): verbatim, and kept, but a reader takes a fluent sentence of the same person's
    or another's as the quote."""
    return _HALTING.search(sentence) is not None


def leans_on_before(sentence: str) -> bool:
    """Whether a sentence opens by going on from the one before it ("But people and
    relationships first", "As a result, we've been able to ...", "This has meant ..."): quoted
    alone, it loses what it refers to. A pronoun ("It is hard to park") usually stands alone."""
    return bool(_LEANS.match(sentence))


def _trimmed(text: str, starts: list[int], begin: int, end: int) -> list[tuple[int, int]]:
    """The pieces of text[begin:end] cut at `starts`, trimmed of white space; blank ones are
    left out, and one without a letter or digit (the second stop of "area.. very") joins the
    sentence before it."""
    spans: list[tuple[int, int]] = []
    for low, high in zip([begin, *starts], [*starts, end]):
        piece = text[low:high]
        stripped = piece.strip()
        if not stripped:
            continue
        left = low + len(piece) - len(piece.lstrip())
        if spans and not _WORDY.search(stripped):
            spans[-1] = (spans[-1][0], left + len(stripped))
        else:
            spans.append((left, left + len(stripped)))
    return spans


def _starts(text: str, begin: int, end: int) -> list[int]:
    """Offsets in (begin, end) where pysbd starts a sentence, in windows of about `WINDOW`."""
    starts: list[int] = []
    position = begin
    while True:
        window = WINDOW
        while True:
            stop = min(end, position + window)
            found = [position + s for s in _pysbd_starts(text[position:stop])]
            if stop == end:
                return starts + found
            if len(found) >= 2:
                break
            window *= 2  # a sentence longer than the window: look further
        # The last sentence may run on past the window, so it is left for the next one.
        starts += found[:-1]
        position = found[-2]


def _pysbd_starts(text: str) -> Iterator[int]:
    """Offsets (after 0) at which pysbd starts a sentence of `text`, skipping any span that
    overlaps the one before by more than white space."""
    import pysbd  # imported here: loading its rules takes a moment that most commands never need

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    previous_end = 0
    for span in segmenter.segment(text):
        start = span.start
        if start < previous_end and not text[start:previous_end].isspace():
            continue  # overlaps the sentence before: not a start pysbd can vouch for
        start = max(start, previous_end)
        if start > 0:
            yield start
        previous_end = span.end
