"""The publication gate: check a draft's quotes, citations and numbers against the corpus.

`evaluate(drafts, index, manifest, responses)` is pure: it reads parsed drafts
(`summariser.evaluate_parse.parse_draft`) and returns an `EvalReport` of frozen checks, each with
an outcome: `pass`, `warning` (publishable, but a reviewer should look), `fail` (do not publish)
or `unchecked` (a claim the corpus cannot settle; listed so a person checks it). The report
passes when nothing fails.

Quotes (`QuoteCheck`), with the one verifier (`summariser.verify`):
- with a response id from a tool sidecar: checked in that response;
- cited ([R07], (R07), [R07, R12]): checked in the cited respondent's answers to the section's
  questions and sources (any one of several cited ids may hold it); words found elsewhere are
  `misattributed` and the reason names whose they are;
- uncited: searched in the section's questions and sources, or the whole corpus when the section
  is unknown; the report says where the words were found and whether that place is unique.
A passing quote is a warning when the verifier warns (round-bracket insertions, words found in
several responses), or when its quote marks are malformed (a closing mark printed as an opening
one; marks that do not pair up, in which case it was read as the longest opening or ending of
the marked text that the corpus holds). A quote found outside the section's sources fails. A full stop or comma
printed inside the closing mark that the source lacks is noted, not failed.

Citations (`CitationCheck`): every cited id must be a respondent (or response id) of the corpus,
a participant, and have answered one of the section's questions or sources.

Numbers (`NumberCheck`):
- Counts in tool drafts ("Raised by four of 16 Chief Officers (25%)"): the count must equal the
  number of distinct respondents the sidecar records for the theme the sentence sits under (or
  names in quote marks), and a stated denominator must equal the sidecar's. A section-level count
  must equal the denominator or the number who answered. In hand-written drafts a count is
  `unchecked` (nothing records who said what) unless its sentence quotes one short phrase (at
  most 6 words) and calls it a phrase, words, term or wording, or says it was used or written:
  the respondents holding those words are then counted ("“hold your nerve” was a phrase used by
  at least three respondents"); a count that disagrees stays `unchecked`, as other wordings may
  be meant.
- Percentages beside a count ("eight (66%)", "Six respondents (37%)"): the denominator is the one
  stated ("of 16", or an earlier count with "of these"), else the first of the sidecar's
  denominator, the number who answered the section, and the number of survey respondents that
  explains the percentage best. A percentage is right when it is the exact share rounded to its
  printed precision (half up, or half to even as Python rounds); a WARNING when it truncates the
  share or is off by less than one point (8 of 12 printed as 66%, 6 of 16 as 37%); else a FAILURE.
- Quantifiers, for n of d respondents (from a count in the same sentence, or the sidecar theme):

      none, no one, nobody        n = 0
      all, every                  n = d
      almost all, nearly all      n >= 75% of d and n < d
      most, the (a) majority      n > 50% of d
      half                        n within one of d / 2
      a minority                  0 < n < 50% of d
      a couple                    n = 2
      a few                       2 <= n <= 4 and n < 50% of d
      several, a number of        n >= 3 and n < 50% of d

  A quantifier with no count to compare is `unchecked`.

Concentration (`ConcentrationCheck`): the share of a section's located quotes by each respondent;
a WARNING when one respondent has more than 40% of a section's quotes and the section has at
least 5 quotes (one voice dominating the evidence).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.evaluate_parse import DraftQuote, DraftSection, NumberClaim, ParsedDraft
from summariser.manifest import Manifest, Section
from summariser.records import Response

if TYPE_CHECKING:
    from summariser.store import Store
    from summariser.verify import CorpusIndex, Span, Verification

__all__ = ["CONCENTRATION_MIN_QUOTES", "CONCENTRATION_SHARE", "CONTEXT_CHARS", "CitationCheck",
           "ConcentrationCheck", "Context", "EvalReport", "NumberCheck", "Outcome", "QuoteCheck",
           "evaluate", "evaluate_paths"]

CONCENTRATION_SHARE = 0.40  # one respondent above this share of a section's quotes ...
CONCENTRATION_MIN_QUOTES = 5  # ... in a section with at least this many quotes: a warning
CONTEXT_CHARS = 150  # source text shown either side of a match
_MIN_TRIMMED_WORDS = 1  # a malformed quote may be read down to this many words


class Outcome(StrEnum):
    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"
    UNCHECKED = "unchecked"


@dataclass(frozen=True, slots=True)
class Context:
    """The source around a match: `segments` are (text, highlighted) in order."""

    response_id: str
    respondent: str
    question: str
    source_file: str
    where: str  # "row 7" or "line 29, Chief Officer"
    segments: tuple[tuple[str, bool], ...]
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    draft: str
    where: str
    section: str  # heading as written, or "(no section)"
    section_id: str | None
    quote: str  # as printed
    read_as: str  # what was verified (differs when the quote marks were malformed)
    cited: tuple[str, ...]
    attribution: str  # "response", "respondent" or "unattributed"
    outcome: Outcome
    verification: Verification
    marks: tuple[str, ...] = ()  # the editorial marks, classified
    notes: tuple[str, ...] = ()
    context: Context | None = None
    fragments: tuple[str, ...] = ()  # elided quotes: each fragment as the source has it

    @property
    def status(self) -> str:
        return str(self.verification.status)

    @property
    def respondent(self) -> str | None:
        span = self.verification.span
        return span.respondent if span is not None else None


@dataclass(frozen=True, slots=True)
class CitationCheck:
    draft: str
    where: str
    section: str
    section_id: str | None
    cited: str
    outcome: Outcome
    reason: str
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class NumberCheck:
    draft: str
    where: str
    section: str
    section_id: str | None
    kind: str  # "count", "percentage" or "quantifier"
    claim: str
    sentence: str
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class ConcentrationCheck:
    draft: str
    section: str
    section_id: str | None
    quotes: int
    shares: tuple[tuple[str, int], ...]  # (respondent, quotes), most first
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class EvalReport:
    drafts: tuple[str, ...]
    quotes: tuple[QuoteCheck, ...]
    citations: tuple[CitationCheck, ...]
    numbers: tuple[NumberCheck, ...]
    concentration: tuple[ConcentrationCheck, ...]
    notes: tuple[str, ...] = ()
    project: str = ""

    @property
    def checks(self) -> tuple:
        return self.quotes + self.citations + self.numbers + self.concentration

    @property
    def passed(self) -> bool:
        return not any(c.outcome is Outcome.FAIL for c in self.checks)

    def counts(self) -> dict[str, int]:
        counted = Counter(c.outcome for c in self.checks)
        return {str(o): counted.get(o, 0) for o in Outcome}


# --- the corpus, as the checks need it -----------------------------------------------------------


class _Corpus:
    def __init__(self, index: CorpusIndex, manifest: Manifest, responses: Sequence[Response]):
        self.index, self.manifest = index, manifest
        self.by_id = {r.response_id: r for r in responses}
        self.by_respondent: dict[str, list[Response]] = defaultdict(list)
        for r in responses:
            self.by_respondent[r.respondent].append(r)
        self.responses = responses
        tabular = {s.id for s in manifest.sources if s.is_tabular}
        self.survey_size = len({r.respondent for r in responses
                                if r.is_participant and r.source in tabular})
        self._sections = {s.id: s for s in manifest.sections}
        self._scopes: dict[str, tuple[str, ...]] = {}
        self._answered: dict[str, int | None] = {}

    def section(self, draft_section: DraftSection) -> Section | None:
        return self.section_by_id(draft_section.section_id)

    def section_by_id(self, section_id: str | None) -> Section | None:
        return self._sections.get(section_id or "")

    def scope(self, section: Section | None) -> tuple[str, ...] | None:
        """Question ids a quote of this section may come from (None: anywhere)."""
        if section is None:
            return None
        if section.id not in self._scopes:
            from_sources = {r.question for r in self.responses if r.source in section.sources}
            self._scopes[section.id] = tuple(dict.fromkeys([*section.questions,
                                                            *sorted(from_sources)]))
        return self._scopes[section.id]

    @staticmethod
    def allowed(section: Section | None, response: Response) -> bool:
        return section is None or response.question in section.questions or (
            response.source in section.sources)

    def answered(self, section: Section | None) -> int | None:
        """How many participants answered the section's questions (else gave its sources)."""
        if section is None:
            return None
        if section.id not in self._answered:
            counted = {r.respondent for r in self.responses
                       if r.is_participant and r.question in section.questions}
            self._answered[section.id] = len(counted or {
                r.respondent for r in self.responses
                if r.is_participant and r.source in section.sources}) or None
        return self._answered[section.id]


def _label(draft_section: DraftSection, section: Section | None) -> str:
    return draft_section.heading or (section.heading if section else "(no section)")


# --- quotes --------------------------------------------------------------------------------------


def _verify(corpus: _Corpus, quote: DraftQuote, text: str, scope: tuple[str, ...] | None
            ) -> tuple[Verification, str]:
    index = corpus.index
    if quote.response_id and quote.response_id in corpus.by_id:
        return index.verify(text, response_id=quote.response_id), "response"
    if not quote.cited:
        return index.verify(text, questions=scope), "unattributed"
    results = []
    for cited in quote.cited:
        if cited in corpus.by_id:
            result = index.verify(text, response_id=cited)
        else:
            result = index.verify(text, respondent=cited, questions=scope)
        if result.passed:
            return result, "respondent"
        results.append(result)
    return results[0], "respondent"


def _words(text: str) -> list[str]:
    return text.split()


def _shorter_readings(text: str, malformed: str) -> Iterable[tuple[str, str]]:
    """(reading, dropped words) for a quote whose marks did not pair up: drop words from the
    end the missing mark leaves open, longest reading first."""
    words = _words(text)
    for keep in range(len(words) - 1, _MIN_TRIMMED_WORDS - 1, -1):
        if malformed == "unclosed":
            part, dropped = words[:keep], words[keep:]
        else:
            part, dropped = words[len(words) - keep :], words[: len(words) - keep]
        reading = " ".join(part).strip(" ,;:-–—“”\"")
        if reading and re.search(r"\w", reading):
            yield reading, " ".join(dropped)


def _check_quote(corpus: _Corpus, draft: ParsedDraft, quote: DraftQuote) -> QuoteCheck:
    from summariser.verify import Status

    draft_section = draft.sections[quote.section]
    section = corpus.section(draft_section)
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
        for reading, dropped in _shorter_readings(read_as, quote.malformed):
            retry, how = _verify(corpus, quote, reading, scope)
            if retry.passed:
                result, attribution, read_as = retry, how, reading
                end = "opening" if quote.malformed == "unclosed" else "ending"
                notes.append(f"read as “{reading}”, the longest {end} of the marked text that "
                             f"the corpus holds (without “{dropped}”): put the missing quote "
                             "mark where the quote really "
                             f"{'ends' if quote.malformed == 'unclosed' else 'starts'}")
                break
    if result.passed and result.span is not None:
        response = corpus.by_id.get(result.span.response_id)
        if response is not None and not corpus.allowed(section, response):
            result = replace(result, status=Status.MISATTRIBUTED, reason=(
                f"{result.reason[:-1]}; but {response.source_file} is not one of the sources of "
                f"section {section.heading}."))
    outcome = Outcome.FAIL
    if result.passed:
        warned = result.warnings or quote.malformed or quote.notes or result.unique is False
        outcome = Outcome.WARNING if warned else Outcome.PASS
    return QuoteCheck(
        draft.path, quote.where, _label(draft_section, section), draft_section.section_id,
        quote.text, read_as, quote.cited, attribution, outcome, result,
        _marks(read_as, result), tuple(notes), _context(corpus, result.span),
        _fragments(corpus, result))


_ELLIPSIS = re.compile(r"[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*…\s*[\])]|…|\.(?:\s?\.){2,}")
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


def _context(corpus: _Corpus, span: Span | None) -> Context | None:
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
        where = f"row {span.row}" if span.row else ""
    return Context(span.response_id, span.respondent, span.question, span.source_file, where,
                   tuple(segments), low > 0, high < len(text))


def _fragments(corpus: _Corpus, result: Verification) -> tuple[str, ...]:
    span = result.span
    if span is None or not span.fragments or span.response_id not in corpus.by_id:
        return ()
    text = corpus.by_id[span.response_id].text
    return tuple(text[a:b] for a, b in span.fragments)


# --- citations -----------------------------------------------------------------------------------


def _check_citation(corpus: _Corpus, draft: ParsedDraft, section_index: int, where: str,
                    cited: str, quote: str | None) -> CitationCheck:
    draft_section = draft.sections[section_index]
    section = corpus.section(draft_section)
    label = _label(draft_section, section)

    def check(outcome: Outcome, reason: str) -> CitationCheck:
        return CitationCheck(draft.path, where, label, draft_section.section_id, cited, outcome,
                             reason, quote)

    if cited in corpus.by_id:
        answers = [corpus.by_id[cited]]
    elif cited in corpus.by_respondent:
        answers = corpus.by_respondent[cited]
    else:
        known = sorted(k for k, rs in corpus.by_respondent.items()
                       if any(r.is_participant for r in rs))
        shown = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
        return check(Outcome.FAIL, f"{cited} is not a respondent in the corpus (respondents: "
                                   f"{shown}).")
    voiced = [r for r in answers if r.is_participant]
    if not voiced:
        return check(Outcome.FAIL, f"{cited} is an interviewer, not a participant: never cite "
                                   "an interviewer's words.")
    if section is None:
        return check(Outcome.PASS, f"{cited} is in the corpus (the section is not known, so "
                                   "not checked against a question).")
    relevant = [r for r in voiced if corpus.allowed(section, r)]
    if not relevant:
        wanted = ", ".join([*section.questions, *section.sources])
        return check(Outcome.FAIL, f"{cited} gave no answer to section {section.heading} "
                                   f"({wanted}).")
    return check(Outcome.PASS, f"{cited} answered {', '.join(sorted({r.question for r in relevant}))}.")


# --- numbers -------------------------------------------------------------------------------------

_COMPARE = {None: ("=", lambda a, n: a == n), "at least": ("≥", lambda a, n: a >= n),
            "more than": (">", lambda a, n: a > n), "over": (">", lambda a, n: a > n),
            "fewer than": ("<", lambda a, n: a < n), "less than": ("<", lambda a, n: a < n),
            "up to": ("≤", lambda a, n: a <= n)}


def quantifier_holds(quantifier: str, n: int, d: int) -> bool:
    """Whether `quantifier` describes n of d (the ranges are in the module docstring)."""
    share = Fraction(n, d) if d else Fraction(0)
    return {
        "none": n == 0,
        "all": n == d,
        "almost all": share >= Fraction(3, 4) and n < d,
        "most": share > Fraction(1, 2),
        "half": abs(2 * n - d) <= 2,
        "a minority": 0 < n and share < Fraction(1, 2),
        "a couple": n == 2,
        "a few": 2 <= n <= 4 and share < Fraction(1, 2),
        "several": n >= 3 and share < Fraction(1, 2),
        "a number of": n >= 3 and share < Fraction(1, 2),
    }[quantifier]


_RANGES = {"none": "none (0)", "all": "all of them", "almost all": "at least 75% but not all",
           "most": "more than half", "half": "about half", "a minority": "fewer than half",
           "a couple": "two", "a few": "2 to 4, and fewer than half",
           "several": "3 or more, and fewer than half", "a number of": "3 or more, and fewer than half"}


def percent_outcome(count: int, denominator: int, printed: str) -> tuple[Outcome, str]:
    """Does `printed` (e.g. "66") state count/denominator as a percentage?"""
    exact = Fraction(100 * count, denominator)
    decimals = len(printed.partition(".")[2])
    scale = 10 ** decimals
    stated = Fraction(printed)
    half_up = Fraction(int(exact * scale + Fraction(1, 2)), scale)
    even = Fraction(round(exact * scale), scale)
    truncated = Fraction(int(exact * scale), scale)
    shown = f"{float(exact):.1f}".rstrip("0").rstrip(".")
    fact = f"{count} of {denominator} is {shown}%"
    if stated in (half_up, even):
        return Outcome.PASS, f"{fact}."
    right = f"{float(half_up):.{decimals}f}%"
    if stated == truncated:
        return Outcome.WARNING, f"{fact}, which rounds to {right}: {printed}% truncates it."
    if abs(stated - exact) < 1:
        return Outcome.WARNING, f"{fact}, which rounds to {right}: {printed}% is off by less than a point."
    return Outcome.FAIL, f"{fact}, not {printed}% (it rounds to {right})."


# "… “hold your nerve” was a phrase used by at least three respondents": a count of a phrase.
_PHRASE_CLAIM = re.compile(r"\b(?:phrase|words?|term|expression|wording|used|wrote)\b",
                           re.IGNORECASE)


class _Numbers:
    def __init__(self, corpus: _Corpus, draft: ParsedDraft, quote_checks: list[QuoteCheck]):
        self.corpus, self.draft, self.quote_checks = corpus, draft, quote_checks

    def check(self, claim: NumberClaim) -> list[NumberCheck]:
        draft_section = self.draft.sections[claim.section]
        section = self.corpus.section(draft_section)
        label = _label(draft_section, section)

        def made(kind: str, outcome: Outcome, reason: str) -> NumberCheck:
            return NumberCheck(self.draft.path, claim.where, label, draft_section.section_id, kind,
                               claim.phrase, claim.sentence, outcome, reason)

        themes = {t.title: t for t in draft_section.themes}
        theme = themes.get(claim.theme or "")
        if claim.quantifier:
            return [made("quantifier", *self._quantifier(claim, draft_section, section, theme))]
        checks = []
        if claim.percent is not None and claim.count is not None:
            checks.append(made("percentage", *self._percent(claim, draft_section, section)))
        if claim.percent is None or draft_section.sidecar:
            checks.append(made("count", *self._count(claim, draft_section, section, theme)))
        return checks

    def _denominators(self, claim: NumberClaim, draft_section: DraftSection,
                      section: Section | None) -> list[tuple[int, str]]:
        if claim.denominator:
            return [(claim.denominator, "as stated")]
        earlier = [n for n in claim.earlier if claim.count is not None and n >= claim.count]
        if claim.of_these and earlier:
            return [(earlier[-1], "the count it is a share of")]
        found = []
        if draft_section.denominator:
            found.append((draft_section.denominator, "the sidecar's denominator"))
        answered = self.corpus.answered(section)
        if answered:
            found.append((answered, "respondents who answered the section"))
        if self.corpus.survey_size:
            found.append((self.corpus.survey_size, "survey respondents"))
        unique: dict[int, str] = {}
        for denominator, why in found:
            unique.setdefault(denominator, why)
        return list(unique.items())

    def _percent(self, claim: NumberClaim, draft_section: DraftSection, section: Section | None
                 ) -> tuple[Outcome, str]:
        rank = {Outcome.PASS: 0, Outcome.WARNING: 1, Outcome.FAIL: 2}
        best: tuple[Outcome, str] | None = None
        for denominator, why in self._denominators(claim, draft_section, section):
            outcome, reason = percent_outcome(claim.count, denominator, claim.percent)
            if best is None or rank[outcome] < rank[best[0]]:
                best = (outcome, f"{reason} (denominator {denominator}: {why})")
        return best or (Outcome.UNCHECKED, "No denominator to check the percentage against.")

    def _count(self, claim: NumberClaim, draft_section: DraftSection, section: Section | None,
               theme) -> tuple[Outcome, str]:
        n = claim.count
        symbol, holds = _COMPARE[claim.bound]
        if claim.denominator is not None and n > claim.denominator:
            return Outcome.FAIL, f"{n} of {claim.denominator} is more than the whole."
        if draft_section.sidecar:
            denominator = draft_section.denominator
            if claim.denominator is not None and claim.denominator != denominator:
                return Outcome.FAIL, (f"The denominator is {denominator} (the sidecar's), not "
                                      f"{claim.denominator}.")
            if theme is not None:
                actual = len(theme.respondents)
                if holds(actual, n):
                    return Outcome.PASS, f"Theme “{theme.title}” has {actual} respondents."
                return Outcome.FAIL, (f"Theme “{theme.title}” has {actual} respondent(s) "
                                      f"({', '.join(theme.respondents)}), not {symbol} {n}.")
            answered = self.corpus.answered(section)
            if n in (denominator, answered):
                return Outcome.PASS, f"{n} is the number who answered the section."
            return Outcome.UNCHECKED, "A count tied to no theme: check it by hand."
        holders = self._phrase_holders(claim)
        if holders is not None:
            shown = f"{len(holders)} respondent(s) ({', '.join(sorted(holders))})"
            if holds(len(holders), n):
                return Outcome.PASS, f"The quoted words are in the answers of {shown}."
            return Outcome.UNCHECKED, (f"The quoted words are in the answers of {shown}; the "
                                       "count may cover other wordings: check it by hand.")
        return Outcome.UNCHECKED, ("A hand-written draft records no respondents for this "
                                   "count: check it by hand.")

    def _phrase_holders(self, claim: NumberClaim) -> set[str] | None:
        checks = [self.quote_checks[i] for i in claim.quotes if i < len(self.quote_checks)]
        if len(checks) != 1 or not checks[0].verification.passed:
            return None
        if not _PHRASE_CLAIM.search(claim.sentence.replace(checks[0].quote, "")):
            return None
        result = checks[0].verification
        if len(checks[0].read_as.split()) > 6:
            return None
        return {s.respondent for s in (result.span, *result.alternatives) if s is not None}

    def _quantifier(self, claim: NumberClaim, draft_section: DraftSection,
                    section: Section | None, theme) -> tuple[Outcome, str]:
        n, d = claim.count, None
        if n is not None:
            found = self._denominators(claim, draft_section, section)
            d = found[0][0] if found else None
        elif theme is not None and draft_section.denominator:
            n, d = len(theme.respondents), draft_section.denominator
        if n is None or not d:
            return Outcome.UNCHECKED, (f"“{claim.phrase}” has no count beside it: check it by hand "
                                       f"(it should mean {_RANGES[claim.quantifier]}).")
        if quantifier_holds(claim.quantifier, n, d):
            return Outcome.PASS, f"{n} of {d} is {_RANGES[claim.quantifier]}."
        return Outcome.FAIL, (f"“{claim.phrase}” means {_RANGES[claim.quantifier]}, but the count "
                              f"is {n} of {d} ({float(100 * Fraction(n, d)):.0f}%).")


# --- concentration -------------------------------------------------------------------------------


def _concentration(corpus: _Corpus, draft: ParsedDraft, checks: list[QuoteCheck]
                   ) -> list[ConcentrationCheck]:
    groups: dict[str, list[QuoteCheck]] = defaultdict(list)
    for check in checks:
        if check.verification.passed and check.respondent:
            groups[check.section_id or check.section].append(check)
    found = []
    for members in groups.values():
        counted = Counter(c.respondent for c in members).most_common()
        total = len(members)
        top, most = counted[0]
        share = most / total
        if total >= CONCENTRATION_MIN_QUOTES and share > CONCENTRATION_SHARE:
            outcome = Outcome.WARNING
            reason = (f"{top} gives {most} of the section's {total} quotes ({share:.0%}): one "
                      f"voice dominates (threshold: over {CONCENTRATION_SHARE:.0%} of at least "
                      f"{CONCENTRATION_MIN_QUOTES} quotes).")
        else:
            outcome = Outcome.PASS
            reason = f"The most quoted, {top}, gives {most} of {total} quotes ({share:.0%})."
        first = members[0]
        section = corpus.section_by_id(first.section_id)
        found.append(ConcentrationCheck(draft.path, section.heading if section else first.section,
                                        first.section_id, total, tuple(counted), outcome, reason))
    return found


# --- entry points --------------------------------------------------------------------------------


def evaluate(drafts: Sequence[ParsedDraft], index: CorpusIndex, manifest: Manifest,
             responses: Sequence[Response]) -> EvalReport:
    """Check parsed drafts against the corpus. Pure: reads nothing, writes nothing."""
    corpus = _Corpus(index, manifest, responses)
    quotes: list[QuoteCheck] = []
    citations: list[CitationCheck] = []
    numbers: list[NumberCheck] = []
    concentration: list[ConcentrationCheck] = []
    notes: list[str] = []
    for draft in drafts:
        checked = [_check_quote(corpus, draft, q) for q in draft.quotes]
        quotes += checked
        for quote in draft.quotes:
            for cited in quote.cited:
                citations.append(_check_citation(corpus, draft, quote.section, quote.where, cited,
                                                 quote.text))
        for citation in draft.citations:
            for cited in citation.ids:
                citations.append(_check_citation(corpus, draft, citation.section, citation.where,
                                                 cited, None))
        checker = _Numbers(corpus, draft, checked)
        for claim in draft.claims:
            numbers += checker.check(claim)
        concentration += _concentration(corpus, draft, checked)
        notes += draft.notes
        if not draft.quotes and not draft.claims:
            notes.append(f"{draft.path}: no quotes or numbers found to check")
    return EvalReport(tuple(d.path for d in drafts), tuple(quotes), tuple(citations),
                      tuple(numbers), tuple(concentration), tuple(notes), manifest.title)


def evaluate_paths(paths: Iterable[Path | str], manifest: Manifest, store: Store) -> EvalReport:
    """Parse the draft files and check them against the store's corpus (for `eval` and `report`)."""
    from summariser.evaluate_parse import parse_draft
    from summariser.evidence import corpus_index

    drafts = [parse_draft(path, manifest) for path in paths]
    return evaluate(drafts, corpus_index(store), manifest, store.responses())
