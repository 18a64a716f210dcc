"""Who a number claim counts, for the publication gate's number checks
(`summariser.gate.numbers`): the people a theme's coded evidence supports, those whose answers
use a phrase, those no theme counts, who answered or did not, who chose an option, any of
these within a subgroup, and any of these said to be all of one. Each tests a stated number
against them and says why."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from summariser.gate.evidence import ThemeEvidence
from summariser.gate.mentions import NamedPhrase
from summariser.gate.records import Outcome
from summariser.text.wording import DIGITS, number_value

__all__ = ["AllOf", "Answering", "ClosedCount", "Counted", "Counting", "LeftOutCount",
           "NotAnswering", "PhraseCount", "ThemeCount", "Within", "first_number"]


def _judged(holds: Callable[[int], bool], actual: int, said: str, stated: str
            ) -> tuple[Outcome, str]:
    """PASS when the stated comparison holds of `actual`, else FAIL, saying what was found."""
    return (Outcome.PASS, f"{said}.") if holds(actual) else (Outcome.FAIL, f"{said}, not {stated}.")


def first_number(text: str) -> int:
    found = re.search(DIGITS, text)  # "1,316" is one number
    return number_value(found.group()) if found else 0


@dataclass(frozen=True, slots=True)
class ThemeCount:
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
class PhraseCount:
    """A claim counted against a phrase it names: the respondents whose answers use it."""

    phrase: NamedPhrase

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        match = self.phrase.matching(holds)
        if match is not None:
            reading, people = match
            return Outcome.PASS, f"{', '.join(sorted(people))} mention “{reading}”."
        reading, people = self.phrase.nearest(first_number(stated))
        return Outcome.FAIL, (f"{', '.join(sorted(people))} mention “{reading}” ({len(people)}), "
                              f"not {stated}.")


@dataclass(frozen=True, slots=True)
class LeftOutCount:
    """A claim about the people no theme counts: those who said something no theme covers, or
    those who gave no substantive answer (the sentences drafting writes in a section's lead)."""

    people: frozenset[str]
    what: str

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        shown = ", ".join(sorted(self.people)) or "nobody"
        return _judged(holds, len(self.people), f"{shown} {self.what} ({len(self.people)})", stated)


@dataclass(frozen=True, slots=True)
class Answering:
    """A claim about who answered ("16 of 31 Chief Officers responded"): the participants who
    answered the section's questions, or the survey's respondents outside any section."""

    people: frozenset[str]

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        return _judged(holds, len(self.people), f"{len(self.people)} answered", stated)


@dataclass(frozen=True, slots=True)
class NotAnswering:
    """A claim about who did not take part ("16 responded and 15 did not"): those invited (the
    manifest's `invited`) less those who answered, as a response rate is of those invited."""

    invited: int | None
    answered: int

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        if self.invited is None:
            return Outcome.UNCHECKED, ("Who did not respond, but the manifest does not say how "
                                       "many were invited (`invited`): check it by hand.")
        actual = self.invited - self.answered
        return _judged(holds, actual, f"{self.answered} of the {self.invited} invited answered: "
                                      f"{actual} did not", stated)


@dataclass(frozen=True, slots=True)
class ClosedCount:
    """A claim about a closed question's option the sentence names ("Satisfied or Very
    satisfied: 8 of 12"): the people who chose it, of those who answered the question."""

    label: str
    people: frozenset[str]
    answered: int

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        return _judged(holds, len(self.people), f"{len(self.people)} of the {self.answered} who "
                                                f"answered chose “{self.label}”", stated)


# Who a claim counts, before any subgroup: people a subgroup's count is among.
Counting = ThemeCount | PhraseCount | LeftOutCount | Answering | ClosedCount


@dataclass(frozen=True, slots=True)
class Within:
    """A claim about a subgroup ("three of the five Chief Officers of large partnerships"):
    who `counted` finds, among the subgroup's `members` only."""

    counted: Counting
    group: str
    members: frozenset[str]

    def readings(self) -> list[tuple[str, frozenset[str]]]:
        return [(said, people & self.members) for said, people in _readings(self.counted)]

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        readings = self.readings()
        of = f"of the {len(self.members)} “{self.group}”"
        for said, people in readings:
            if holds(len(people)):
                return Outcome.PASS, f"{', '.join(sorted(people)) or 'Nobody'} {of} {said}."
        said, people = min(readings, key=lambda r: abs(len(r[1]) - first_number(stated)))
        return Outcome.FAIL, (f"{', '.join(sorted(people)) or 'Nobody'} {of} {said} "
                              f"({len(people)}), not {stated}.")


@dataclass(frozen=True, slots=True)
class AllOf:
    """A count said to be all of a subgroup's ("five of the 16, all from large partnerships"):
    who `counted` finds, each of them one of the subgroup's `members`."""

    counted: Counting
    group: str
    members: frozenset[str]
    outside: int = 0  # "all but one from large partnerships": how many are said not to be

    def test(self, holds: Callable[[int], bool], stated: str) -> tuple[Outcome, str]:
        outcome, reason = self.counted.test(holds, stated)
        if outcome is Outcome.FAIL:
            return outcome, reason
        for said, people in _readings(self.counted):
            if holds(len(people)):
                others = sorted(people - self.members)
                if len(others) == self.outside:
                    amount = f"all but {self.outside}" if self.outside else "all"
                    return outcome, f"{reason[:-1]}, {amount} of “{self.group}”."
                verb = "is" if len(others) == 1 else "are"
                return Outcome.FAIL, (f"{', '.join(sorted(people))} {said}, but "
                                      f"{', '.join(others) or 'none'} {verb} not of "
                                      f"“{self.group}” ({len(others)}, not {self.outside}).")
        return outcome, reason


def _readings(counted: Counting
              ) -> list[tuple[str, frozenset[str]]]:
    """Who `counted` finds, with what they were found for; a phrase may be read several ways."""
    if isinstance(counted, ThemeCount):
        return [(f"have coded evidence for theme “{counted.title}”", counted.evidence.people)]
    if isinstance(counted, PhraseCount):
        return [(f"mention “{reading}”", people) for reading, people in counted.phrase.readings]
    return [("are counted", counted.people)]


Counted = (ThemeCount | PhraseCount | LeftOutCount | Answering | NotAnswering | ClosedCount
           | Within | AllOf)
