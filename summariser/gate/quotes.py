"""Quote checks for the publication gate: each quote of a draft verified against the corpus
(`summariser.verify.index`, the one verifier), with its editorial marks, the source around the
match, and shorter readings of quotes whose marks did not pair up. The rules are in the
`summariser.gate.run` module docstring."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from summariser.gate.corpus import EvalCorpus, section_label
from summariser.gate.parsed import DraftQuote, ParsedDraft
from summariser.gate.quote_marks import quote_spans
from summariser.gate.records import Context, Outcome, QuoteCheck
from summariser.records import place_in_file
from summariser.text.glyphs import CURLY_DOUBLE, ELLIPSIS_PATTERN, STRAIGHT_DOUBLE
from summariser.text.negations import missing_languages

if TYPE_CHECKING:
    from summariser.verify import Span, Verification

__all__ = ["CONTEXT_CHARS", "check_quote"]

CONTEXT_CHARS = 150  # source text shown either side of a match
_MIN_TRIMMED_WORDS = 1  # a malformed quote may be read down to this many words


def check_quote(corpus: EvalCorpus, draft: ParsedDraft, quote: DraftQuote) -> QuoteCheck:
    from summariser.verify import Status

    draft_section = draft.sections[quote.section]
    section = corpus.section(draft_section.section_id)
    scope = corpus.scope(section)
    notes = list(quote.notes)
    read_as = quote.text
    result, attribution = _verify(corpus, quote, read_as, scope)
    trimmed = quote.text.rstrip(".,;:")
    if not result.passed and trimmed != quote.text and re.search(r"\w", trimmed):
        retry, how = _verify(corpus, quote, trimmed, scope)
        if retry.passed:
            result, attribution, read_as = retry, how, trimmed
            notes.append("the punctuation before the closing quote mark is the report's, not "
                         "the respondent's")
    if not result.passed and quote.malformed:
        unclosed = quote.malformed == "unclosed"
        for reading, dropped in _shorter_readings(read_as, unclosed=unclosed):
            retry, how = _verify(corpus, quote, reading, scope)
            if not retry.passed:
                continue
            if not unclosed:
                notes.append(f"the corpus holds “{reading}”, but not “{dropped}”: with no "
                             "opening mark a reader cannot tell where the quote starts, so the "
                             "words before it are read as quoted, and fail; put the opening "
                             "mark where the quote starts")
                break
            if not _may_leave_out(dropped):
                notes.append(f"the corpus holds “{reading}”, but not “{dropped}”, which the "
                             "quote marks also enclose: words the corpus does not hold fail")
                break
            result, attribution, read_as = retry, how, reading
            notes.append(f"read as “{reading}”, the longest opening of the marked text that "
                         f"the corpus holds (without “{dropped}”): put the missing quote mark "
                         "where the quote really ends")
            break
    if result.passed and result.span is not None:
        response = corpus.by_id.get(result.span.response_id)
        if response is not None and section is not None \
                and not corpus.allowed(section, response):
            result = replace(result, status=Status.MISATTRIBUTED, reason=(
                f"{result.reason[:-1]}; but {response.source_file} is not one of the sources of "
                f"section {section.heading}."))
    theme = next((t for t in draft_section.themes if t.title == quote.theme), None)
    speaker = corpus.by_id.get(result.span.response_id) if result.span is not None else None
    # Everyone the quote is attributed to: its speaker, and every person it cites.
    speakers = [*([speaker.respondent] if speaker is not None else []),
                *(corpus.by_id[c].respondent if c in corpus.by_id else c for c in quote.cited)]
    outside = [p for p in dict.fromkeys(speakers)
               if theme is not None and p not in (*theme.respondents, *theme.heard)]
    if result.passed and theme is not None and theme.respondents and outside:
        # A quote under a theme is read as one of the people it counts: someone it does not
        # count, quoted there, is a claim the count does not make.
        result = replace(result, status=Status.MISATTRIBUTED, reason=(
            f"{result.reason[:-1]}; but it is quoted under theme “{theme.title}”, which has no "
            f"coded passage of {', '.join(outside)}'s: move it under a theme that has, or add "
            "their answer to this theme in the section's codebook."))
    unknown = missing_languages(corpus.manifest.languages)
    if result.passed and unknown and _ELLIPSIS.search(read_as):
        result = replace(result, status=Status.MEANING_CHANGED, reason=(
            f"The manifest declares {', '.join(unknown)}, a language the gate has no negation "
            "words for, so it cannot tell whether the ellipsis leaves one out: quote the words "
            "whole, or without the left-out part."))
    outcome = Outcome.FAIL
    if result.passed:
        warned = result.warnings or quote.malformed or quote.notes or result.unique is False
        outcome = Outcome.WARNING if warned else Outcome.PASS
    return QuoteCheck(
        draft.path, quote.where, section_label(draft_section, section), draft_section.section_id,
        quote.text, read_as, quote.cited, attribution, outcome, result,
        _marks(read_as, result), tuple(notes), _context(corpus, result.span),
        _fragments(corpus, result))


def _verify(corpus: EvalCorpus, quote: DraftQuote, text: str, scope: tuple[str, ...] | None
            ) -> tuple[Verification, str]:
    """(verification, attribution): in the sidecar's response, else in the answers of every
    respondent (or response) cited, else anywhere in scope. A quote cited to several people
    says each of them wrote it: one who did not is a misattribution, though another did."""
    from summariser.verify import Status

    index = corpus.index
    if quote.response_id and quote.response_id in corpus.by_id:
        return index.verify(text, response_id=quote.response_id), "response"
    if not quote.cited:
        return index.verify(text, questions=scope), "unattributed"
    results = [index.verify(text, response_id=cited) if cited in corpus.by_id
               else index.verify(text, respondent=cited, questions=scope)
               for cited in quote.cited]
    wrote = [r for r in results if r.passed]
    if not wrote:
        return results[0], "respondent"
    others = [cited for cited, r in zip(quote.cited, results) if not r.passed]
    if others:
        return replace(wrote[0], status=Status.MISATTRIBUTED, reason=(
            f"{wrote[0].reason[:-1]}; but it is cited to {', '.join(others)} too, whose answers "
            "do not hold it: cite only the people who wrote it.")), "respondent"
    return wrote[0], "respondent"


def _shorter_readings(text: str, *, unclosed: bool) -> Iterable[tuple[str, str]]:
    """(reading, dropped words) for a quote whose marks did not pair up: drop words from the
    end the missing mark leaves open, longest reading first."""
    words = text.split()
    for keep in range(len(words) - 1, _MIN_TRIMMED_WORDS - 1, -1):
        if unclosed:
            part, dropped = words[:keep], words[keep:]
        else:
            part, dropped = words[len(words) - keep :], words[: len(words) - keep]
        reading = " ".join(part).strip(" ,;:-–—" + CURLY_DOUBLE + STRAIGHT_DOUBLE)
        if re.search(r"\w", reading):
            yield reading, " ".join(dropped)


# Not fitted (benchmarks/README.md, "Thresholds"): sized to one case of the example report.
MAX_LEFT_OUT_WORDS = 6  # of the report's own prose, when a closing mark is missing


def _may_leave_out(dropped: str) -> bool:
    """Whether a quote whose opening mark is never closed may be read without `dropped`: a few
    words of the report's own prose after it and before the next, properly closed, quote, which
    shows where the prose resumes. Otherwise the dropped words are inside the marks as far as a
    reader can tell, and must be verified. (A closing mark never opened licenses nothing: no
    mark shows where the quote starts, so every word back to its clause is read as quoted.)"""
    closed = [s for s in quote_spans(dropped) if s.malformed is None and not s.single]
    return bool(closed) and len(re.findall(r"\w+", dropped[: closed[0].start]))\
        <= MAX_LEFT_OUT_WORDS


_ELLIPSIS = re.compile(ELLIPSIS_PATTERN)
_SQUARE = re.compile(r"\[[^\[\]]*\]")
_ROUND = re.compile(r"\([^()]*\)")


def _marks(text: str, result: Verification) -> tuple[str, ...]:
    """The quote's editorial marks, classified for a reviewer."""
    from summariser.verify import Status

    marks = []
    ellipses = _ELLIPSIS.findall(text)
    if ellipses:
        marks.append(f"{len(ellipses)} ellipsis(es): words left out")
    rest = _ELLIPSIS.sub(" ", text)
    marks += [f"{m}: editorial insertion" for m in _SQUARE.findall(rest)]
    editorial = " ".join(result.warnings) if result.status == Status.ELIDED else ""
    for group in _ROUND.findall(_SQUARE.sub(" ", rest)):
        if group in editorial:
            marks.append(f"{group}: editorial insertion in round brackets (style: use square "
                         "brackets)")
        elif result.passed:
            marks.append(f"{group}: the respondent's own brackets")
    return tuple(marks)


def _context(corpus: EvalCorpus, span: Span | None) -> Context | None:
    """The source around a match: `CONTEXT_CHARS` either side, not cut mid-word."""
    if span is None or span.response_id not in corpus.by_id:
        return None
    response = corpus.by_id[span.response_id]
    text = response.text
    low, high = max(0, span.start - CONTEXT_CHARS), min(len(text), span.end + CONTEXT_CHARS)
    if low > 0:  # do not start or end mid-word
        space = text.find(" ", low, span.start)
        low = space + 1 if space != -1 else low
    if high < len(text):
        space = text.rfind(" ", span.end, high)
        high = space if space != -1 else high
    marked = span.fragments or ((span.start, span.end),)
    segments: list[tuple[str, bool]] = []
    position = low
    for start, end in marked:
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if high > position:
        segments.append((text[position:high], False))
    if span.speaker:
        where = f"line {span.row}, {span.speaker}" if span.row else span.speaker
    else:
        where = place_in_file(span.source_file, span.row)
    return Context(span.response_id, span.respondent, span.question, span.source_file, where,
                   tuple(segments), low > 0, high < len(text))


def _fragments(corpus: EvalCorpus, result: Verification) -> tuple[str, ...]:
    """An elided quote's fragments as the source has them."""
    span = result.span
    if span is None or not span.fragments or span.response_id not in corpus.by_id:
        return ()
    text = corpus.by_id[span.response_id].text
    return tuple(text[a:b] for a, b in span.fragments)
