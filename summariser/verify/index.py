"""Quote verification: is a quote verbatim, and where exactly is it in the corpus?

A quote passes when it is, inside one participant's response (a survey answer or one transcript
turn), one of:
- `exact`: a raw substring of the response;
- `normalized`: a substring once both sides are normalised (`summariser.verify.normalise`: NFKC,
  quote marks, dashes, invisible characters, whitespace, case; never punctuation);
- `elided`: its fragments, split at editorial marks (ellipses, [insertions]), found in order.
Every match must start and end on word boundaries of the original text, and editorial marks may
not change what the quote says (`summariser.verify.marks`: an ellipsis never leaves out a
negation, a number or a quantity word; an insertion stands only for a pronoun, a tense or a
capital, and never adds or removes one of those words). Anything else fails: `misattributed`
(verbatim, but someone else's or another question's words), `interviewer` (the interviewer's
words), `meaning_changed` (the fragments are there, but the marks change what they say: the
source's words are shown), `near_verbatim` (a close but changed match, with a word diff) or
`not_found`. A passing quote warns when it changes the case of an acronym or of a name inside a
sentence ("IT" -> "it", "Polish" -> "polish").

`CorpusIndex.build` normalises the corpus once and indexes word trigrams (and single words) to
responses (`summariser.verify.postings`), so a check looks at a handful of candidate responses,
never the whole corpus.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from summariser.records import Response, corpus_hash, place_in_file
from summariser.text.wording import half_up, rounded
from summariser.verify.align import (
    align_words,
    case_changes,
    fragments_in_order,
    meaning_change,
    occurrences,
    render_diff,
)
from summariser.verify.marks import (
    MASK,
    Reading,
    editorial_readings,
    unbracket_capitals,
    withheld_names,
    without_editorial_marks,
)
from summariser.verify.normalise import (
    Normalised,
    OffsetMap,
    cuts_word,
    normalise,
    normalised_text,
    word_count,
    word_tokens,
)
from summariser.verify.postings import Postings

MIN_ANCHOR_WORDS = 3  # an elided quote needs one fragment this long: no stitching from scraps
NEAR_THRESHOLD = 70.0  # word-level similarity (0-100) above which a failed quote is "near verbatim"
_NEAR_MIN_WORDS = 3  # shorter quotes are never called near: one or two words are close to too much
_NEAR_CANDIDATES = 4  # responses holding a failed quote's rarest trigrams, scored by rapidfuzz
_ATTRIBUTED_BONUS = 5.0  # the attributed response's near miss wins unless another is far closer
_MAX_ALTERNATIVES = 10


_PREFERENCE = {"exact": 0, "normalized": 1, "elided": 2}


class Status(StrEnum):
    EXACT = "exact"
    NORMALIZED = "normalized"
    ELIDED = "elided"
    MISATTRIBUTED = "misattributed"
    INTERVIEWER = "interviewer"
    MEANING_CHANGED = "meaning_changed"
    NEAR_VERBATIM = "near_verbatim"
    NOT_FOUND = "not_found"

    @property
    def passed(self) -> bool:
        return self in (Status.EXACT, Status.NORMALIZED, Status.ELIDED)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote is: offsets into the ORIGINAL `Response.text` (text[start:end] is `text`)."""

    response_id: str
    respondent: str
    question: str
    source_file: str
    start: int
    end: int
    text: str
    fragments: tuple[tuple[int, int], ...] = ()  # elided quotes: each fragment's (start, end)
    speaker: str | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    quote: str
    status: Status
    reason: str  # one sentence for a person
    span: Span | None = None  # the match; for near_verbatim the closest source text
    warnings: tuple[str, ...] = ()
    alternatives: tuple[Span, ...] = ()  # other responses holding the same words (at most 10)
    unique: bool | None = None  # unattributed quotes: found in exactly one response
    diff: tuple[tuple[str, str], ...] = ()  # near_verbatim: ("equal"|"delete"|"insert", words)
    similarity: float | None = None  # near_verbatim: word-level similarity 0-100

    @property
    def passed(self) -> bool:
        return self.status.passed


@dataclass(frozen=True, slots=True)
class QuoteClaim:
    """A quote as a report uses it, with whatever attribution the report gives."""

    quote: str
    response_id: str | None = None
    respondent: str | None = None
    questions: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class _Query:
    raw: str  # the quote, outer whitespace removed
    norm: str
    words: tuple[str, ...]
    readings: tuple[Reading, ...]  # only readings with an anchor fragment of MIN_ANCHOR_WORDS
    unanchored: bool  # it has editorial marks, but every reading lacks an anchor

    @classmethod
    def parse(cls, quote: str) -> _Query:
        raw = unbracket_capitals(quote.strip())
        norm = normalised_text(raw)
        readings = editorial_readings(raw)
        anchored = tuple(r for r in readings if _anchored(r))
        return cls(raw, norm, tuple(word_tokens(norm)), anchored, bool(readings) and not anchored)


def _anchored(reading: Reading) -> bool:
    """Whether a reading has a fragment of `MIN_ANCHOR_WORDS` words to find it by. A name
    withheld (`MASK`, "Mr [name] explained everything.") stitches nothing: with no ellipsis and
    no other insertion, the words either side of it and the name are one run."""
    if max(map(word_count, reading.fragments)) >= MIN_ANCHOR_WORDS:
        return True
    marks = [m for m in (reading.leading, *reading.inserted, reading.trailing) if m.strip()]
    masked = bool(marks) and all(m.strip().casefold() == MASK for m in marks)
    return masked and None not in reading.max_gap_words and not reading.opens_elided \
        and not reading.closes_elided \
        and sum(map(word_count, reading.fragments)) + len(marks) >= MIN_ANCHOR_WORDS


@dataclass(frozen=True, slots=True)
class _Hit:
    doc: int
    status: Status
    start: int  # original offsets
    end: int
    fragments: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()


class CorpusIndex:
    """The corpus normalised once, with word trigram (and word) -> response postings."""

    __slots__ = ("responses", "corpus_hash", "_norm", "_maps", "_by_id", "_by_respondent",
                 "_postings", "_withheld")
    responses: tuple[Response, ...]
    corpus_hash: str
    _norm: tuple[str, ...]  # each response's text, normalised
    _maps: tuple[OffsetMap | None, ...]  # normalised -> original offsets; None: the identity
    _by_id: dict[str, int]  # response id -> position
    _by_respondent: dict[str, list[int]]
    _postings: Postings
    _withheld: frozenset[str]  # names the report masks (`[privacy] mask`): "[name]" stands for them

    @classmethod
    def build(cls, responses: Iterable[Response], withheld: Iterable[str] = ()) -> CorpusIndex:
        self = cls()
        self.responses = tuple(responses)
        self._withheld = withheld_names(withheld)
        self.corpus_hash = corpus_hash(self.responses)
        normalised = [normalise(r.text) for r in self.responses]
        self._norm = tuple(n.text for n in normalised)
        # Offset maps back to the original text, kept only where they are not the identity.
        self._maps = tuple(None if n.offsets.is_identity else n.offsets for n in normalised)
        self._by_id, self._by_respondent = {}, {}
        for i, r in enumerate(self.responses):
            if self._by_id.setdefault(r.response_id, i) != i:
                raise ValueError(f"response id {r.response_id!r} is used twice: ids must be unique")
            self._by_respondent.setdefault(r.respondent, []).append(i)
        self._postings = Postings.build(self._norm)
        return self

    def response(self, response_id: str) -> Response | None:
        """The response with this id, as the index holds it."""
        doc = self._by_id.get(response_id)
        return None if doc is None else self.responses[doc]

    # --- checks ----------------------------------------------------------------------------

    def verify_many(self, claims: Iterable[QuoteClaim | str]) -> list[Verification]:
        """`verify` for each claim (a bare string is an unattributed quote), in order."""
        return [
            self.verify(c) if isinstance(c, str)
            else self.verify(c.quote, response_id=c.response_id, respondent=c.respondent,
                             questions=c.questions)
            for c in claims
        ]

    def verify(self, quote: str, *, response_id: str | None = None, respondent: str | None = None,
               questions: Collection[str] | None = None) -> Verification:
        """Check one quote. Attribute it by `response_id`, or by `respondent` (optionally limited
        to `questions`); with neither, it is searched in the whole corpus (limited to `questions`
        when given). `response_id` wins over `respondent` when both are given."""
        query = _Query.parse(quote)
        if not query.words:
            return Verification(quote, Status.NOT_FOUND, "The quote has no words to look for.")
        scope = frozenset(questions) if questions else None  # none named: no limit
        if response_id is None and respondent is None:
            return self._verify_unattributed(quote, query, scope)
        if response_id is not None:
            targets = [self._by_id[response_id]] if response_id in self._by_id else []
        else:
            assert respondent is not None  # with neither, it was checked as unattributed above
            targets = [i for i in self._by_respondent.get(respondent, ())
                       if scope is None or self.responses[i].question in scope]
        hits = [hit for i in targets if (hit := self._match(i, query))]
        voiced = [h for h in hits if self.responses[h.doc].is_participant]
        if voiced:
            return self._passed(quote, voiced, unattributed=False)
        if response_id is not None:
            claimed = f"response {response_id}"
        else:
            claimed = f"{respondent}'s answers"
            claimed += f" to {', '.join(sorted(scope))}" if scope else ""
        if not targets:
            claimed += " (the corpus has no such response)"
        elsewhere = [h for h in self._search(query) if h.doc not in targets]
        voiced = [h for h in elsewhere if self.responses[h.doc].is_participant]
        if voiced:
            return self._misattributed(quote, voiced, f"Not in {claimed}")
        if hits or elsewhere:  # only ever said by an interviewer
            return self._interviewer(quote, (hits + elsewhere)[0])
        changed = self._meaning_changed(quote, query, targets, scope=None)
        if changed is not None:
            return changed
        return self._failed(quote, query, targets,
                            f"Not in {claimed} or anywhere else in the corpus")

    def _verify_unattributed(self, quote: str, query: _Query,
                             scope: frozenset[str] | None) -> Verification:
        hits = self._search(query)
        voiced = [h for h in hits if self.responses[h.doc].is_participant]
        in_scope = [h for h in voiced if scope is None or self.responses[h.doc].question in scope]
        if in_scope:
            return self._passed(quote, in_scope, unattributed=True)
        if voiced:
            # Found, but none in scope: so a scope was given.
            return self._misattributed(quote, voiced,
                                       f"Not in any answer to {', '.join(sorted(scope or ()))}")
        if hits:
            return self._interviewer(quote, hits[0])
        changed = self._meaning_changed(quote, query, [], scope=scope)
        if changed is not None:
            return changed
        return self._failed(quote, query, [], "Not found anywhere in the corpus")

    # --- results ---------------------------------------------------------------------------

    def _passed(self, quote: str, hits: list[_Hit], *, unattributed: bool) -> Verification:
        if len(hits) > 1:  # exact before normalized before elided; stable: then corpus order
            hits = sorted(hits, key=lambda h: _PREFERENCE[h.status])
        best = hits[0]
        where = self._where(best.doc)
        if best.status is Status.EXACT:
            reason = f"Found verbatim in {where}"
        elif best.status is Status.NORMALIZED:
            reason = (f"Found in {where}, differing only in case, quote marks, dashes, "
                      "invisible characters or spacing")
        elif len(best.fragments) > 1:
            reason = f"Found in {where} as {len(best.fragments)} fragments in order"
        else:
            reason = f"Found in {where}, once its editorial marks are set aside"
        warnings = list(best.warnings)
        if best.status is not Status.EXACT:
            response = self.responses[best.doc]
            warnings += case_changes(without_editorial_marks(unbracket_capitals(quote)),
                                     response.text, best.fragments or ((best.start, best.end),))
        if unattributed and len(hits) > 1:
            reason += (f"; the same words are in {len(hits) - 1} other response(s), "
                       "so the match is not unique")
            warnings.append(f"found in {len(hits)} responses: say whose words these are")
        return Verification(
            quote, best.status, reason + ".", self._span(best), tuple(warnings),
            alternatives=tuple(self._span(h) for h in hits[1 : 1 + _MAX_ALTERNATIVES]),
            unique=(len(hits) == 1) if unattributed else None,
        )

    def _misattributed(self, quote: str, hits: list[_Hit], lead: str) -> Verification:
        more = f" (and {len(hits) - 1} other response(s))" if len(hits) > 1 else ""
        reason = f"{lead}; the words are in {self._where(hits[0].doc)}{more}."
        alternatives = tuple(self._span(h) for h in hits[1 : 1 + _MAX_ALTERNATIVES])
        return Verification(quote, Status.MISATTRIBUTED, reason, self._span(hits[0]),
                            hits[0].warnings, alternatives=alternatives)

    def _meaning_changed(self, quote: str, query: _Query, targets: Sequence[int],
                         scope: frozenset[str] | None) -> Verification | None:
        """A participant's response that holds the quote's fragments in order once its marks are
        allowed to change the meaning: the attributed responses first, then any in scope."""
        if not query.readings:
            return None
        candidates = list(targets)
        for reading in query.readings:
            candidates += sorted(self._postings.containing([word_tokens(f)
                                                            for f in reading.fragments]))
        for doc in dict.fromkeys(candidates):
            response = self.responses[doc]
            if not response.is_participant or (scope and response.question not in scope):
                continue
            for reading in query.readings:
                if not all(f in self._norm[doc] for f in reading.fragments):
                    continue
                change = meaning_change(response.text, self._source(doc), reading, self._withheld)
                if change is not None:
                    hit = _Hit(doc, Status.MEANING_CHANGED, change.fragments[0][0],
                               change.fragments[-1][1], change.fragments)
                    reason = (f"Its fragments are in {self._where(doc)}, but its editorial marks "
                              f"change what it says: {change.reason}.")
                    return Verification(quote, Status.MEANING_CHANGED, reason, self._span(hit),
                                        diff=change.diff)
        return None

    def _interviewer(self, quote: str, hit: _Hit) -> Verification:
        reason = f"These are the interviewer's words ({self._where(hit.doc)}), not a participant's."
        return Verification(quote, Status.INTERVIEWER, reason, self._span(hit), hit.warnings)

    def _failed(self, quote: str, query: _Query, targets: Sequence[int], lead: str) -> Verification:
        """Not found as a passing quote: say why as precisely as possible, nearest evidence first.

        The attributed responses are tried alone first: a near miss there is what a reviewer
        needs to see, and it saves a corpus-wide search.
        """
        note = (f" An elided quote needs a fragment of {MIN_ANCHOR_WORDS} or more words."
                if query.unanchored else "")
        if targets:
            explained = self._near_miss(quote, query, list(targets), targets, lead, note)
            if explained is not None:
                return explained
        candidates = self._closest_candidates(query, targets)
        explained = self._near_miss(quote, query, candidates, targets, lead, note)
        if explained is not None:
            return explained
        return Verification(quote, Status.NOT_FOUND, f"{lead}, and nothing close." + note)

    def _near_miss(self, quote: str, query: _Query, candidates: list[int], targets: Sequence[int],
                   lead: str, note: str) -> Verification | None:
        """A quote run across two turns, or the closest text, among `candidates`."""
        split = self._across_turns(query, candidates)
        if split is not None:
            first, second = split
            reason = (f"{lead}: it runs across two turns ({self._where(first.doc)} and "
                      f"{self._where(second.doc)}), and a quote must lie inside one turn.")
            return Verification(quote, Status.NOT_FOUND, reason + note,
                                alternatives=(self._span(first), self._span(second)))
        near = self._closest(query, candidates, targets)
        if near is None:
            return None
        hit, similarity, diff = near
        shown = render_diff(diff)
        reason = (f"{lead} as written; the closest is {self._where(hit.doc)}, "
                  f"{rounded(similarity, 0)}% similar word for word: {shown}")
        reason += "" if shown.endswith((".", "!", "?")) else "."
        return Verification(quote, Status.NEAR_VERBATIM, reason + note, self._span(hit),
                            diff=diff, similarity=float(half_up(similarity, 1)))

    def _where(self, doc: int) -> str:
        r = self.responses[doc]
        if r.speaker is not None:
            line = f" at line {r.row}" if r.row is not None else ""
            return f"{r.speaker}'s turn in {r.source_file}{line} (respondent {r.respondent})"
        row = f", {place_in_file(r.source_file, r.row)}" if r.row is not None else ""
        return f"{r.respondent}'s answer to {r.question} ({r.source_file}{row})"

    def _span(self, hit: _Hit) -> Span:
        r = self.responses[hit.doc]
        return Span(r.response_id, r.respondent, r.question, r.source_file, hit.start, hit.end,
                    r.text[hit.start : hit.end], hit.fragments, r.speaker, r.row)

    # --- matching in one response ----------------------------------------------------------

    def _source(self, doc: int) -> Normalised:
        norm = self._norm[doc]
        return Normalised(norm, self._maps[doc] or OffsetMap.identity(len(norm)))

    def _match(self, doc: int, query: _Query) -> _Hit | None:
        text, norm = self.responses[doc].text, self._norm[doc]
        start = text.find(query.raw)
        while start != -1:
            if not cuts_word(text, start, start + len(query.raw)):
                return _Hit(doc, Status.EXACT, start, start + len(query.raw))
            start = text.find(query.raw, start + 1)
        if query.norm in norm:
            found = occurrences(text, self._source(doc), query.norm)
            if found:
                return _Hit(doc, Status.NORMALIZED, *found[0][1])
        for reading in query.readings:
            if all(f in norm for f in reading.fragments):
                fragments = fragments_in_order(text, self._source(doc), reading, self._withheld)
                if fragments:
                    warnings = tuple(f"editorial insertion {g} belongs in square brackets"
                                     for g in reading.editorial_round)
                    return _Hit(doc, Status.ELIDED, fragments[0][0], fragments[-1][1],
                                tuple(fragments), warnings)
        return None

    # --- searching the corpus --------------------------------------------------------------

    def _search(self, query: _Query) -> list[_Hit]:
        """Every response holding the quote (by any passing reading), in corpus order."""
        candidates = set(self._postings.containing([query.words]))
        for reading in query.readings:
            candidates.update(self._postings.containing([word_tokens(f)
                                                         for f in reading.fragments]))
        return [hit for doc in sorted(candidates) if (hit := self._match(doc, query))]

    # --- near misses -----------------------------------------------------------------------

    def _closest_candidates(self, query: _Query, targets: Sequence[int]) -> list[int]:
        """The attributed responses, then those sharing the most of the quote's rarer trigrams."""
        closest = self._postings.most_shared(query.words, _NEAR_CANDIDATES)
        return list(dict.fromkeys([*targets, *closest]))

    def _closest(self, query: _Query, candidates: list[int], targets: Sequence[int]
                 ) -> tuple[_Hit, float, tuple[tuple[str, str], ...]] | None:
        """The closest source text by words (punctuation marks count as words), if close enough."""
        if len(query.words) < _NEAR_MIN_WORDS:
            return None
        marked = query.readings or query.unanchored
        shown = without_editorial_marks(query.raw) if marked else query.raw
        quote_words = (normalised_text(shown) if marked else query.norm).split(" ")
        best: tuple[float, int, int, int] | None = None
        for doc in candidates:  # rank cheaply on whitespace-separated words
            words = self._norm[doc].split(" ")
            aligned = fuzz.partial_ratio_alignment(quote_words, words,
                                                   score_cutoff=NEAR_THRESHOLD / 2)
            if aligned is None:
                continue
            # Against the whole window, so a short response that the quote merely contains does
            # not look like a perfect match.
            ranking = fuzz.ratio(quote_words, words[aligned.dest_start : aligned.dest_end])
            ranking += _ATTRIBUTED_BONUS if doc in targets else 0.0
            if best is None or ranking > best[0]:
                best = (ranking, doc, aligned.dest_start, aligned.dest_end)
        if best is None:
            return None
        _, doc, first, last = best
        near = align_words(shown, self.responses[doc].text, self._source(doc), first, last)
        if near is None or near.similarity < NEAR_THRESHOLD:
            return None
        return _Hit(doc, Status.NEAR_VERBATIM, near.start, near.end), near.similarity, near.diff

    def _across_turns(self, query: _Query, candidates: Iterable[int]
                      ) -> tuple[_Hit, _Hit] | None:
        """Does the quote run from the end of one transcript turn into the start of the next?"""
        cuts: list[int] = []
        for doc in candidates:
            if self.responses[doc].speaker is None:
                continue
            cuts = cuts or [i for i, character in enumerate(query.norm) if character == " "]
            for first in (doc - 1, doc):
                second = first + 1
                if first < 0 or second >= len(self.responses):
                    continue
                a, b = self.responses[first], self.responses[second]
                if a.speaker is None or b.speaker is None or a.source_file != b.source_file:
                    continue
                tail, head = self._norm[first].rstrip(), self._norm[second].lstrip()
                for cut in cuts:
                    left, right = query.norm[:cut], query.norm[cut + 1 :]
                    if (tail.endswith(left) and head.startswith(right)
                            and not tail[-len(left) - 1 : -len(left)].isalnum()
                            and not head[len(right) : len(right) + 1].isalnum()):
                        return (self._edge_hit(first, left, at_end=True),
                                self._edge_hit(second, right, at_end=False))
        return None

    def _edge_hit(self, doc: int, part: str, *, at_end: bool) -> _Hit:
        source = self._source(doc)
        begin = source.text.rstrip().rfind(part) if at_end else source.text.find(part)
        start, end = source.offsets.to_original(begin, begin + len(part))
        return _Hit(doc, Status.NOT_FOUND, start, end)
