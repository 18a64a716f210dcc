"""Closed answers read from cells: a number on a rating scale, a chosen option, or a non-answer
such as "don't know".

A cell may hold the value itself (7, "Satisfied"), a code the manifest labels (`labels = { 1 =
"Daily" }`), the code and its label together ("1 - Daily", "Daily (1)"), or a code or label the
manifest marks as no answer (`non_answers = { 6 = "Don't know" }`). Codes are compared as
numbers when both sides are numbers ("6" is "6.0"), labels and options without regard to case.
A non-answer is counted apart: never in n, a mean or a percentage's base.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from summariser.project.manifest import Question
from summariser.records import Rating

__all__ = ["PersonAnswers", "closed_answer", "in_top_two", "people_answers", "person_rating",
           "point_label", "top_two"]


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _same_code(code: str, value: str) -> bool:
    a, b = _number(code), _number(value)
    if a is not None and b is not None:
        return a == b
    return code.strip().casefold() == value.casefold()


# A cell that gives a code and its label together, as many exports write them: "1 - Very
# dissatisfied", "1. Daily", "(6) Don't know", "5 (Neutral)", "Very satisfied (5)".
_NUMBER = r"-?\d+(?:\.\d+)?"
_CODE_FIRST = re.compile(rf"^(?:\((?P<bracketed>{_NUMBER})\)|(?P<code>{_NUMBER})\)?)"
                         r"\s*(?:[-\u2013\u2014:=.]\s*)?(?P<label>\S.*)$")
_CODE_LAST = re.compile(rf"^(?P<label>.*\S)\s*"
                        rf"(?:\((?P<code>{_NUMBER})\)|\[(?P<squared>{_NUMBER})\])$")


def _find(mapping: dict[str, str], value: str) -> str | None:
    """The label of `value` in a code -> label mapping, matched by code, by label, or by both
    where the cell gives both and they are one entry's ("1 - Very dissatisfied")."""
    for code, label in mapping.items():
        if _same_code(code, value) or label.casefold() == value.casefold():
            return label
    return next((known for given, named in _codes_and_labels(value)
                 for code, known in mapping.items()
                 if _same_code(code, given) and known.casefold() == named.casefold()), None)


def _codes_and_labels(value: str) -> list[tuple[str, str]]:
    """The (code, label) pairs a cell may give together (see `_CODE_FIRST`, `_CODE_LAST`):
    "0-5 years (1)" is tried both ways."""
    pairs = []
    for pattern in (_CODE_FIRST, _CODE_LAST):
        given = pattern.match(value.strip())
        if given is not None:
            code = next(given.group(name) for name in pattern.groupindex
                        if name != "label" and given.group(name) is not None)
            label = given.group("label").strip()
            if label[:1] + label[-1:] in ("()", "[]"):
                label = label[1:-1].strip()  # "5 (Neutral)"
            pairs.append((code, label))
    return pairs


def closed_answer(question: Question, respondent: str, value: str
                  ) -> tuple[Rating | None, str | None]:
    """The answer in a non-blank cell, or why the cell cannot be one."""
    value = value.strip()
    non_answer = _find(question.non_answers, value)
    if non_answer is not None:
        return Rating(respondent, question.id, None, non_answer), None
    if question.kind == "choice":
        wanted = _find(question.labels, value) or value
        for option in question.options:
            if option.casefold() == wanted.casefold():
                return Rating(respondent, question.id, option), None
        return None, (f"'{value}' is not one of the options ({'; '.join(question.options)})"
                      f"{_codes(question)}; fix the options in summariser.toml")
    number = _number(value)
    if number is None:
        known = _find(question.labels, value)
        number = next((_number(code) for code, label in question.labels.items()
                       if known is not None and label == known), None)
    low, high = question.scale or (0.0, 0.0)
    if number is None or not low <= number <= high:
        return None, (f"'{value}' is not a number from {low:g} to {high:g}{_codes(question)}; "
                      "correct the cell or the question's scale")
    return Rating(respondent, question.id, number), None


def _codes(question: Question) -> str:
    """The codes a cell may also hold, for a message."""
    known = {**question.labels, **question.non_answers}
    if not known:
        return ""
    return " or a code in labels or non_answers (" + "; ".join(
        f"{code} = {label}" for code, label in known.items()) + ")"


@dataclass(frozen=True, slots=True)
class PersonAnswers:
    """One closed question's answers, by person."""

    values: dict[str, tuple[float | str, ...]]  # people with a real answer: their answers
    non_answers: dict[str, str]  # people with no real answer but a non-answer: its label
    blank: frozenset[str]  # people with a row for the question and neither

    def non_answer_counts(self) -> tuple[tuple[str, int], ...]:
        return tuple(Counter(self.non_answers.values()).most_common())

    @property
    def multiple(self) -> int:
        """People with more than one answer to the question."""
        return sum(len(v) > 1 for v in self.values.values())


def people_answers(ratings: Iterable[Rating], question_id: str) -> PersonAnswers:
    """Who answered a closed question and how: the one place answers become people (for the
    statistics, the breakdowns and the gate's check of a mean)."""
    values: dict[str, list[float | str]] = {}
    non_answers: dict[str, str] = {}
    seen: set[str] = set()
    for rating in ratings:
        if rating.question != question_id:
            continue
        seen.add(rating.respondent)
        if rating.value is not None:
            given = values.setdefault(rating.respondent, [])
            if isinstance(rating.value, float) or rating.value not in given:
                given.append(rating.value)
        elif rating.non_answer is not None:
            non_answers.setdefault(rating.respondent, rating.non_answer)
    return PersonAnswers({p: tuple(v) for p, v in values.items()},
                         {p: label for p, label in non_answers.items() if p not in values},
                         frozenset(seen - values.keys() - non_answers.keys()))


def person_rating(values: tuple[float | str, ...]) -> float:
    """A person's one value for a rating item: the mean of their answers (usually one)."""
    return sum(float(v) for v in values) / len(values)


def top_two(question: Question) -> tuple[str, str] | None:
    """The names of the two best points of a rating (their labels, else the numbers) or the two
    best options of a choice, best last, where the manifest asks for them (`top_two`)."""
    if not question.top_two:
        return None
    if question.kind == "choice":
        options = question.options
        return (options[1], options[0]) if question.best == "first" else \
            (options[-2], options[-1])
    if question.scale is None:
        return None
    low, high = question.scale
    points = (low + 1, low) if question.best == "low" else (high - 1, high)
    first, second = (point_label(question.labels, p) or f"{p:g}" for p in points)
    return first, second


def point_label(labels: dict[str, str], point: float) -> str | None:
    """The label a rating scale's point has in `labels` (code -> label), if any."""
    return next((label for code, label in labels.items() if _number(code) == point), None)


def in_top_two(question: Question, values: tuple[float | str, ...]) -> bool:
    """Whether a person's answers (`PersonAnswers.values`) lie in the question's top two: a
    rating's mean in its two best points, or any chosen option one of the two best."""
    if question.kind == "choice":
        return any(o in (top_two(question) or ()) for o in values)
    assert question.scale is not None
    low, high = question.scale
    value = person_rating(values)
    return value <= low + 1 if question.best == "low" else value >= high - 1
