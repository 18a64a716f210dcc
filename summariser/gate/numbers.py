"""Number checks for the publication gate: counts, percentages and quantifiers ("most", "a few")
in a draft, each compared with the respondents the corpus or the tool sidecar records. The
rules, and the range each quantifier stands for, are in the `summariser.gate.run` module
docstring."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from summariser.draft.section import SILENT_CLAIM, UNCODED_CLAIM
from summariser.gate.corpus import EvalCorpus, section_label
from summariser.gate.evidence import ThemeEvidence, theme_evidence
from summariser.gate.mentions import NamedPhrase, named_phrase
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


@dataclass(frozen=True, slots=True)
class _ThemeCount:
    """A claim counted against a tool theme: the respondents its coded evidence supports."""

    title: str
    evidence: ThemeEvidence

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        found = self.evidence
        actual = len(found.people)
        said = f"{found.shown()} have coded evidence for theme “{self.title}”"
        extra = "".join(f"; {r} is counted without any" for r in found.unsupported) + "".join(
            f"; {p}" for p in found.problems)
        if holds(actual):
            return (Outcome.WARNING if extra else Outcome.PASS), f"{said} ({actual}){extra}."
        return Outcome.FAIL, f"{said} ({actual}), not {stated}{extra}."


@dataclass(frozen=True, slots=True)
class _PhraseCount:
    """A claim counted against a phrase it names: the respondents whose answers use it."""

    phrase: NamedPhrase

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        match = self.phrase.matching(holds)
        if match is not None:
            reading, people = match
            return Outcome.PASS, f"{', '.join(sorted(people))} mention “{reading}”."
        reading, people = self.phrase.nearest(_first_number(stated))
        return Outcome.FAIL, (f"{', '.join(sorted(people))} mention “{reading}” ({len(people)}), "
                              f"not {stated}.")


@dataclass(frozen=True, slots=True)
class _LeftOutCount:
    """A claim about the people no theme counts: those who said something no theme covers, or
    those who gave no substantive answer (the sentences drafting writes in a section's lead)."""

    people: frozenset[str]
    what: str

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        shown = ", ".join(sorted(self.people)) or "nobody"
        said = f"{shown} {self.what} ({len(self.people)})"
        if holds(len(self.people)):
            return Outcome.PASS, f"{said}."
        return Outcome.FAIL, f"{said}, not {stated}."


Counted = _ThemeCount | _PhraseCount | _LeftOutCount  # who a claim counts, when the gate can tell


def _first_number(text: str) -> int:
    found = re.search(r"\d+", text)
    return int(found.group()) if found else 0


class NumberChecks:
    """Checks the number claims of one draft, whose quotes are already checked."""

    def __init__(self, corpus: EvalCorpus, draft: ParsedDraft, quote_checks: list[QuoteCheck]):
        self.corpus, self.draft, self.quote_checks = corpus, draft, quote_checks
        self._evidence: dict[tuple[int, str], ThemeEvidence] = {}

    def check(self, claim: NumberClaim) -> list[NumberCheck]:
        draft_section = self.draft.sections[claim.section]
        section = self.corpus.section(draft_section.section_id)
        label = section_label(draft_section, section)

        def made(kind: str, outcome: Outcome, reason: str) -> NumberCheck:
            return NumberCheck(self.draft.path, claim.where, label, draft_section.section_id, kind,
                               claim.phrase, claim.sentence, outcome, reason)

        who = self._who(claim, draft_section, section)
        if claim.quantifier:
            return [made("quantifier", *self._quantifier(claim, claim.quantifier, draft_section,
                                                         section, who))]
        checks = []
        if claim.percent is not None:
            checks.append(made("percentage", *self._percent(claim, claim.percent, draft_section,
                                                            section, who)))
        if claim.count is not None:
            checks.append(made("count", *self._count(claim, claim.count, draft_section, section,
                                                     who)))
        return checks

    def _who(self, claim: NumberClaim, draft_section: DraftSection, section: Section | None
             ) -> Counted | None:
        """Who the claim counts: in a tool draft's lead, the people no theme counts; the theme
        its sentence names by title, else the phrase it names, else the theme it sits under,
        else nobody the gate can tell."""
        themes = {t.title: t for t in draft_section.themes}
        theme = themes.get(claim.theme or "")
        if draft_section.sidecar and (UNCODED_CLAIM in claim.sentence
                                      or SILENT_CLAIM in claim.sentence):
            return self._left_out(claim, draft_section, section)
        if theme is not None and claim.named_theme:
            return self._theme_count(claim.section, section, theme)
        quotes = tuple(self.draft.quotes[i].text for i in claim.quotes)
        phrase = named_phrase(self.corpus, section, claim.sentence, quotes)
        if phrase is not None:
            return _PhraseCount(phrase)
        return self._theme_count(claim.section, section, theme) if theme else None

    def _left_out(self, claim: NumberClaim, draft_section: DraftSection,
                  section: Section | None) -> _LeftOutCount:
        """The people who answered the section and no theme counts (by the evidence the gate
        finds), split into those whose answers are all non-answers and the rest."""
        coded: set[str] = set()
        for theme in draft_section.themes:
            coded |= self._theme_count(claim.section, section, theme).evidence.people
        silent = self.corpus.silent(section) - coded
        if SILENT_CLAIM in claim.sentence:
            return _LeftOutCount(silent, "gave no substantive answer")
        return _LeftOutCount(self.corpus.people(section) - coded - silent,
                             "have answers no theme's coded evidence covers")

    def _theme_count(self, index: int, section: Section | None, theme: ThemeFacts) -> _ThemeCount:
        key = (index, theme.title)
        if key not in self._evidence:
            self._evidence[key] = theme_evidence(self.corpus, section, theme)
        return _ThemeCount(theme.title, self._evidence[key])

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

    def _percent(self, claim: NumberClaim, percent: str, draft_section: DraftSection,
                 section: Section | None, who: Counted | None
                 ) -> tuple[Outcome, str]:
        """A percentage beside a count is checked against that count; one without a count
        ("100% of respondents") against who the claim counts."""
        rank = {Outcome.PASS: 0, Outcome.WARNING: 1, Outcome.FAIL: 2}
        if claim.count is not None:
            counts = [(claim.count, "")]
        elif isinstance(who, _ThemeCount):
            counts = [(len(who.evidence.people), f"{who.evidence.shown()} have coded evidence "
                                                  f"for theme “{who.title}”; ")]
        elif isinstance(who, _PhraseCount):
            counts = [(len(people), f"{', '.join(sorted(people))} mention “{reading}”; ")
                      for reading, people in who.phrase.readings]
        else:
            return Outcome.UNCHECKED, (f"{claim.percent}% has no count beside it and names no "
                                       "theme or phrase the gate can count: check it by hand.")
        best: tuple[Outcome, str] | None = None
        for count, said in counts:
            for denominator, why in self._denominators(claim, draft_section, section):
                outcome, reason = percent_outcome(count, denominator, percent)
                if best is None or rank[outcome] < rank[best[0]]:
                    best = (outcome, f"{said}{reason} (denominator {denominator}: {why})")
        return best or (Outcome.UNCHECKED, "No denominator to check the percentage against.")

    def _count(self, claim: NumberClaim, n: int, draft_section: DraftSection,
               section: Section | None, who: Counted | None
               ) -> tuple[Outcome, str]:
        symbol, compare = _COMPARE[claim.bound]
        stated = f"{symbol} {n}".lstrip("= ") if claim.bound else str(n)
        if claim.denominator is not None and n > claim.denominator:
            return Outcome.FAIL, f"{n} of {claim.denominator} is more than the whole."
        denominator = draft_section.denominator
        if draft_section.sidecar and claim.denominator is not None \
                and claim.denominator != denominator:
            return Outcome.FAIL, (f"The denominator is {denominator} (the sidecar's), not "
                                  f"{claim.denominator}.")
        if who is not None:
            return who.test(lambda actual: compare(actual, n), stated)
        if draft_section.sidecar:
            answered = self.corpus.answered(section)
            if n in (denominator, answered):
                return Outcome.PASS, f"{n} is the number who answered the section."
            return Outcome.UNCHECKED, "A count tied to no theme or phrase: check it by hand."
        return Outcome.UNCHECKED, ("A hand-written draft records no respondents for this "
                                   "count, and it names no phrase the answers use: check it by "
                                   "hand.")

    def _quantifier(self, claim: NumberClaim, quantifier: str, draft_section: DraftSection,
                    section: Section | None, who: Counted | None
                    ) -> tuple[Outcome, str]:
        found = self._denominators(claim, draft_section, section)
        d = found[0][0] if found else None
        meaning = _RANGES[quantifier]
        if claim.count is not None and d:
            if quantifier_holds(quantifier, claim.count, d):
                return Outcome.PASS, f"{claim.count} of {d} is {meaning}."
            return Outcome.FAIL, (f"“{claim.phrase}” means {meaning}, but the count is "
                                  f"{claim.count} of {d} ({percent_text(claim.count, d)}).")
        if who is None or not d:
            return Outcome.UNCHECKED, (f"“{claim.phrase}” has no count beside it: check it by hand "
                                       f"(it should mean {meaning}).")
        outcome, reason = who.test(lambda actual: quantifier_holds(quantifier, actual, d),
                                   f"{meaning} of {d}")
        return outcome, reason
