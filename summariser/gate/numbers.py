"""Number checks for the publication gate: counts, percentages and quantifiers ("most", "a few")
in a draft, each compared with the respondents the corpus or the tool sidecar records. The
rules, and the range each quantifier stands for, are in the `summariser.gate.run` module
docstring."""

from __future__ import annotations

import re
from fractions import Fraction

from summariser.gate.corpus import EvalCorpus, section_label
from summariser.gate.parsed import DraftSection, NumberClaim, ParsedDraft, ThemeFacts
from summariser.gate.records import NumberCheck, Outcome, QuoteCheck
from summariser.project.manifest import Section
from summariser.text.wording import half_up, percent_text, rounded

__all__ = ["NumberChecks", "percent_outcome", "quantifier_holds"]

_COMPARE = {None: ("=", lambda a, n: a == n), "at least": ("≥", lambda a, n: a >= n),
            "more than": (">", lambda a, n: a > n), "over": (">", lambda a, n: a > n),
            "fewer than": ("<", lambda a, n: a < n), "less than": ("<", lambda a, n: a < n),
            "up to": ("≤", lambda a, n: a <= n)}


def quantifier_holds(quantifier: str, n: int, d: int) -> bool:
    """Whether `quantifier` describes n of d (the ranges are in `summariser.gate.run`)."""
    share = Fraction(n, d) if d else Fraction(0)
    return {
        "none": n == 0,
        "all": n == d,
        "almost all": share >= Fraction(3, 4) and n < d,
        "most": share > Fraction(1, 2),
        "half": abs(2 * n - d) <= 2,
        "a minority": n > 0 and share < Fraction(1, 2),
        "a couple": n == 2,
        "a few": 2 <= n <= 4 and share < Fraction(1, 2),
        "several": n >= 3 and share < Fraction(1, 2),
        "a number of": n >= 3 and share < Fraction(1, 2),
    }[quantifier]


_RANGES = {"none": "none (0)", "all": "all of them", "almost all": "at least 75% but not all",
           "most": "more than half", "half": "about half", "a minority": "fewer than half",
           "a couple": "two", "a few": "2 to 4, and fewer than half",
           "several": "3 or more, and fewer than half",
           "a number of": "3 or more, and fewer than half"}


def percent_outcome(count: int, denominator: int, printed: str) -> tuple[Outcome, str]:
    """Does `printed` (e.g. "66") state count/denominator as a percentage, rounded half up to
    its printed precision (`summariser.text.wording`)?"""
    exact = Fraction(100 * count, denominator)
    decimals = len(printed.partition(".")[2])
    scale = 10 ** decimals
    stated = Fraction(printed)
    correct = half_up(exact, decimals)
    truncated = Fraction(int(exact * scale), scale)
    shown = rounded(exact, 1).removesuffix(".0")
    fact = f"{count} of {denominator} is {shown}%"
    if stated == Fraction(correct):
        return Outcome.PASS, f"{fact}."
    right = f"{correct}%"
    if stated == truncated:
        return Outcome.WARNING, f"{fact}, which rounds to {right}: {printed}% truncates it."
    if abs(stated - exact) < 1:
        return Outcome.WARNING, (f"{fact}, which rounds to {right}: {printed}% is off by less "
                                 "than a point.")
    return Outcome.FAIL, f"{fact}, not {printed}% (it rounds to {right})."


# "… “hold your nerve” was a phrase used by at least three respondents": a count of a phrase.
_PHRASE_CLAIM = re.compile(r"\b(?:phrase|words?|term|expression|wording|used|wrote)\b",
                           re.IGNORECASE)
_PHRASE_MAX_WORDS = 6  # a longer quote is not a phrase whose users can be counted


class NumberChecks:
    """Checks the number claims of one draft, whose quotes are already checked."""

    def __init__(self, corpus: EvalCorpus, draft: ParsedDraft, quote_checks: list[QuoteCheck]):
        self.corpus, self.draft, self.quote_checks = corpus, draft, quote_checks

    def check(self, claim: NumberClaim) -> list[NumberCheck]:
        draft_section = self.draft.sections[claim.section]
        section = self.corpus.section(draft_section.section_id)
        label = section_label(draft_section, section)

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
               theme: ThemeFacts | None) -> tuple[Outcome, str]:
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
        """The respondents holding the sentence's one quoted phrase, when the sentence counts
        who used that phrase (else None)."""
        if len(claim.quotes) != 1:
            return None
        check = self.quote_checks[claim.quotes[0]]
        result = check.verification
        if (not result.passed or len(check.read_as.split()) > _PHRASE_MAX_WORDS
                or not _PHRASE_CLAIM.search(claim.sentence.replace(check.quote, ""))):
            return None
        return {s.respondent for s in (result.span, *result.alternatives) if s is not None}

    def _quantifier(self, claim: NumberClaim, draft_section: DraftSection,
                    section: Section | None, theme: ThemeFacts | None) -> tuple[Outcome, str]:
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
                              f"is {n} of {d} ({percent_text(n, d)}).")
