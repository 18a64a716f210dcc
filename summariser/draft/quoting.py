"""Quoting a theme: which of its coded segments are shown, as whole thoughts, each verified
against its response before it is used.

A theme shows up to `MAX_QUOTES_PER_THEME` of its own segments (one per person, none saying
what another already says) and `MAX_SUPPORTING_QUOTES` from an interview or a document. A quote
is the segment as a reader can follow it (`whole_thought`), and `verified_quote` checks it word
for word; a backend may correct a quote once, never replace it with another.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from summariser.draft.coding import CodedSegment
from summariser.draft.phrases import addressed_to
from summariser.draft.records import Failure, QuoteRef
from summariser.records import Passage
from summariser.text.sentences import halts, leans_on_before, sentence_spans
from summariser.text.tone import opening_aside

if TYPE_CHECKING:
    from summariser.draft.section import Backend
    from summariser.verify import CorpusIndex, Span, Verification

# Not fitted (benchmarks/README.md, "Thresholds"): the published report's style.
MAX_QUOTES_PER_THEME = 3
MAX_SUPPORTING_QUOTES = 1
MAX_QUOTE_WORDS = 60
MIN_TELLING_WORDS = 3  # a shorter quote ("Toilets!!") is shown only when no longer one is left
REVISION_SIMILARITY = 60  # a revised quote must be this close (0-100) to the one it corrects


_CLAUSE_END = re.compile(r"[.!?…;:][\"'”’)\]]*$")
_SENTENCE_BREAK = re.compile(r"(?:[.!?:;…][\"'”’)\]]*|\n)\s*$")


def whole_thought(passage: Passage, index: CorpusIndex) -> str:
    """The passage as a quote that reads as a whole thought: where it goes on from the sentence
    before it ("As a result, we've been able to ..."), with that sentence, if the two are short
    enough to quote; where it is a clause cut from a longer sentence, an ellipsis marks each cut
    ("…utilisation of the fund…"). The @handles it opens with are cut too ("@united delayed 8
    hours" is quoted "…delayed 8 hours"): who an answer is addressed to is not what it says, and
    a handle can name a person. So is the framing it opens with ("Apart from the obvious, all
    the biographies." is quoted "…all the biographies.")."""
    response = index.response(passage.response_id)
    if response is None:
        return passage.text
    framing = opening_aside(passage.text[addressed_to(passage.text):])
    quote = _as_read(passage, response.text, framing)
    if framing and not index.verify(quote, response_id=passage.response_id).passed:
        return _as_read(passage, response.text, 0)  # the words cut would change what it says
    return quote


def _as_read(passage: Passage, said: str, framing: int) -> str:
    """`whole_thought` of a passage of the response `said`, less `framing` characters of the
    framing it opens with."""
    cut = addressed_to(passage.text) + framing
    text = passage.text[cut:]
    start = passage.start + cut
    if leans_on_before(text):  # "As a result, ...": with the sentence it goes on from
        previous = [s for s, e in sentence_spans(said) if e <= passage.start]
        if previous and len(said[previous[-1]:passage.end].split()) <= MAX_QUOTE_WORDS:
            start = previous[-1] + addressed_to(said[previous[-1]:passage.end])
            text = said[start:passage.end]
    before = said[:start]
    # A cut framing is marked even where its last mark reads as a sentence's end ("Simple: ")
    if before.strip() and (not _SENTENCE_BREAK.search(before)
                           or framing and start == passage.start + cut):
        text = "…" + text
    # A line break ends a sentence in an answer (summariser.text.sentences): no cut to mark.
    if said[passage.end:].split("\n", 1)[0].strip() and not _CLAUSE_END.search(passage.text):
        text = text.rstrip(",") + "…"
    return text


def theme_quotes(section_id: str, title: str, own: list[CodedSegment],
                 other: list[CodedSegment], index: CorpusIndex, backend: Backend,
                 quoted: set[str] | None = None) -> tuple[list[QuoteRef], list[Failure]]:
    """Up to three of the theme's own coded segments (the closest to its meaning, one per
    respondent and none saying only what another says, a phrase match first; one another theme
    already quotes, a word or two, or speech that halts ("Um, it's, it's the staffing") only
    when the theme has no other to show), and one interview or document segment. `quoted`
    (passage ids) grows with them."""
    quotes: list[QuoteRef] = []
    failures: list[Failure] = []
    quoted = set() if quoted is None else quoted
    for pool, most in ((own, MAX_QUOTES_PER_THEME), (other, MAX_SUPPORTING_QUOTES)):
        taken = 0
        speakers: set[str] = set()
        said: set[str] = set()  # what the theme's quotes say, folded: each says it once
        # A bare "No." shows a side, and a word or two ("Toilets!!") only what the theme is
        # called: each is quoted only when nothing longer is left.
        for segment in sorted(pool, key=lambda s: (s.passage.passage_id in quoted,
                                                   s.via == "stated",
                                                   len(s.passage.text.split())
                                                   < MIN_TELLING_WORDS,
                                                   halts(s.passage.text),
                                                   -(s.similarity + 0.05 * (s.via == "phrase")),
                                                   s.passage.passage_id)):
            passage = segment.passage
            if taken == most:
                break
            folded = _gist(passage.text)
            if passage.respondent in speakers or len(passage.text.split()) > MAX_QUOTE_WORDS \
                    or (taken and passage.passage_id in quoted) \
                    or _said_already(folded, said):  # printed twice in a section, or said by
                # a quote already ("Honestly lost connection for a whole weekend!" beside "Lost
                # connection for a whole weekend.")
                continue
            quote, failure = verified_quote(section_id, title, whole_thought(passage, index),
                                            passage, index, backend)
            if quote is not None and quote.response_id != passage.response_id:
                # the words are found as someone else's: under this theme, whose coded
                # passage it is not, the gate would refuse it
                failure = Failure(title, quote.text, passage.response_id,
                                  f"found as {quote.respondent}'s words, not as the coded "
                                  "passage's: not quoted")
            if failure:
                failures.append(failure)
                continue
            quotes.append(quote)  # type: ignore[arg-type]  # no failure: a quote
            said.add(folded)
            quoted.add(passage.passage_id)
            speakers.add(passage.respondent)
            taken += 1
    return quotes, failures


# Words that open or close a sentence without changing what it says.
_ASIDES = frozenset("""honestly basically overall tbh well so and but just really actually
literally also plus mostly mainly simply frankly again though too oh ooh ah hmm um erm right ok
okay yes yeah thanks thx cheers lol""".split())  # "Ooh, ..." and "... thanks." say no more


def _gist(text: str) -> str:
    """A sentence's words, folded, without asides at either end: what it says."""
    words = re.findall(r"\w+", text[opening_aside(text):].casefold())
    while words and words[0] in _ASIDES:
        words.pop(0)
    while words and (words[-1] in _ASIDES or _KISSES.fullmatch(words[-1])):
        words.pop()  # "... very high standard x": a sign-off, not more said
    return " ".join(words)


_KISSES = re.compile(r"x+")


def _said_already(gist: str, said: set[str]) -> bool:
    """Whether a quote says nothing a taken one does not: the same words, or three or more of
    them inside a taken quote's. One that says more keeps its place ("This is a long term
    process ... so it is vital to hold your nerve." beside "Hold your nerve.")."""
    return any(gist == other or (len(gist.split()) >= 3 and f" {gist} " in f" {other} ")
               for other in said)


def verified_quote(section_id: str, theme: str, text: str, passage: Passage,
                   index: CorpusIndex, backend: Backend) -> tuple[QuoteRef | None, Failure | None]:
    """Verify a proposed excerpt of `passage`.

    Words found in another response are attributed to whoever said them (the verifier's
    finding), never swapped for something the cited person said. Words found nowhere are asked
    for once more through the backend; the correction must be close to the quote it corrects
    (`REVISION_SIMILARITY`), or it is a different quote and is refused."""
    from rapidfuzz import fuzz

    from summariser.verify import Status, strip_quote_marks

    text = strip_quote_marks(text.strip())
    result = _check(index, text, passage)
    if result.status is Status.MISATTRIBUTED and result.span is not None:
        result = index.verify(text, response_id=result.span.response_id)
    elif not result.passed:
        revised = backend.revise_quote(section_id, passage, text, result.reason)
        revised = strip_quote_marks(revised.strip()) if revised else ""
        if revised and fuzz.partial_ratio(revised.lower(), text.lower()) >= REVISION_SIMILARITY:
            text = revised
            result = _check(index, text, passage)
        elif revised:
            return None, Failure(theme, text, passage.response_id,
                                 f"{result.reason}; the retry gave a different quote "
                                 f"(“{revised[:80]}”), which was refused")
    if not result.passed:
        return None, Failure(theme, text, passage.response_id, result.reason)
    span: Span = result.span  # type: ignore[assignment]  # a passed check has its span
    # Publish the respondent's own characters when only case, quote marks or spacing differed.
    published = span.text if result.status == "normalized" else text
    return QuoteRef(text=published, response_id=span.response_id, respondent=span.respondent,
                    question=span.question, source_file=span.source_file, start=span.start,
                    end=span.end, status=str(result.status)), None


def _check(index: CorpusIndex, text: str, passage: Passage) -> Verification:
    from summariser.verify import Status, Verification

    if len(text.split()) > MAX_QUOTE_WORDS:
        return Verification(text, Status.NOT_FOUND, f"A quote must be a short excerpt of at most "
                                                    f"{MAX_QUOTE_WORDS} words.")
    return index.verify(text, response_id=passage.response_id)
