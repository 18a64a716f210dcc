"""Closed-question statistics: the response rate, rating summaries and choice counts.

Pure functions over the manifest and the corpus; they return frozen records and print nothing.
Pandas is imported inside the functions that use it, so importing this module is cheap.

Who counts as a respondent is `summariser.project.respondents.survey_respondents`: everyone with
a row in a survey table, whether or not they answered a given question. Every count is of people,
whatever the layout (`answers_by_person`): in a long table one person may have several rows for
a question, and still counts once. A person's ratings of one item are averaged into one value; a
choice counts each person once per option they chose, and its percentages are of the people who
answered (with several options per person they add up to more than 100). Non-answers such as
"don't know" and blanks are counted apart, never in n or a percentage's base. "Top two" (the two
best points or options combined) is reported only for questions whose manifest entry asks for it
(`top_two = true`), the best end given by `best`. Printed figures are rounded half up
(`summariser.text.wording.rounded`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from summariser.errors import ManifestError
from summariser.project.closed import (
    PersonAnswers,
    in_top_two,
    people_answers,
    person_rating,
    top_two,
)
from summariser.project.manifest import Manifest, Question
from summariser.project.respondents import survey_respondents
from summariser.records import Corpus
from summariser.text.wording import rounded

SMALL_N = 10
SMALL_N_NOTE = "small n: read with care"
NO_ANSWERS_NOTE = "no answers"


def answers_by_person(corpus: Corpus, question_id: str) -> PersonAnswers:
    """Who answered a closed question and how (`summariser.project.closed.people_answers`)."""
    return people_answers(corpus.ratings, question_id)


def percent(part: int, whole: int | None) -> float | None:
    """`part` as a percentage of `whole`, or None when there is no whole to divide by."""
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True, slots=True)
class Answered:
    """How many survey respondents answered one question (a non-blank text, value or option)."""

    question: str
    label: str
    kind: str
    answered: int
    respondents: int

    @property
    def percent(self) -> float | None:
        return percent(self.answered, self.respondents)


@dataclass(frozen=True, slots=True)
class ResponseRate:
    respondents: int  # distinct respondents with a row in a tabular source
    invited: int | None  # from the manifest; None when not set
    noun: tuple[str, str]  # singular, plural
    answered: tuple[Answered, ...]  # per survey question, in manifest order

    @property
    def rate(self) -> float | None:
        """Respondents / invited as a fraction (0-1), or None when `invited` is not set."""
        return self.respondents / self.invited if self.invited else None

    @property
    def percent(self) -> float | None:
        return percent(self.respondents, self.invited)

    def sentence(self) -> str:
        """E.g. '16 of 31 Chief Officers responded (51.6%).'"""
        noun = self.noun[0] if self.respondents == 1 else self.noun[1]
        if self.invited is None:
            return f"{self.respondents:,} {noun} responded."
        return f"{self.respondents:,} of {self.invited:,} {self.noun[1]} responded " \
               f"({rounded(self.percent)}%)."


@dataclass(frozen=True, slots=True)
class RatingStats:
    """One rating item. Quartiles are pandas' linear ones; sd is the sample standard deviation."""

    question: str
    label: str
    scale: tuple[float, float]
    values: tuple[float, ...]  # one per person who answered (their mean), in respondent order
    blank: int  # respondents who left it blank
    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    q1: float | None
    q3: float | None
    maximum: float | None
    sd: float | None  # None when n < 2
    non_answers: tuple[tuple[str, int], ...] = ()  # (label, people), e.g. ("Don't know", 12)
    multiple: int = 0  # people with more than one answer (their mean is their value)
    best: str | None = None  # "high" or "low": which end of the scale is best
    top_two: TopTwo | None = None  # only when the manifest asks for it
    labels: dict[str, str] = field(default_factory=dict)  # scale point -> label

    @property
    def range(self) -> float | None:
        if self.maximum is None or self.minimum is None:  # nobody rated the item
            return None
        return self.maximum - self.minimum

    @property
    def note(self) -> str:
        notes = [NO_ANSWERS_NOTE if self.n == 0 else SMALL_N_NOTE if self.n < SMALL_N else ""]
        if self.multiple:
            notes.append(f"{self.multiple} answered more than once: each person's mean is used")
        return "; ".join(filter(None, notes))


@dataclass(frozen=True, slots=True)
class OptionCount:
    option: str
    count: int
    percent: float | None  # of those who answered the question; None when nobody did


@dataclass(frozen=True, slots=True)
class TopTwo:
    """The two options at the top of the scale combined, e.g. satisfied or very satisfied."""

    options: tuple[str, str]
    count: int
    answered: int

    @property
    def label(self) -> str:
        return f"{self.options[0]} or {self.options[1]}"

    @property
    def percent(self) -> float | None:
        return percent(self.count, self.answered)

    def sentence(self) -> str:
        """E.g. 'Satisfied or Very satisfied: 8 of 12 (66.7%)'."""
        share = f" ({rounded(self.percent)}%)" if self.answered else ""
        return f"{self.label}: {self.count:,} of {self.answered:,}{share}"


@dataclass(frozen=True, slots=True)
class ChoiceStats:
    question: str
    label: str
    text: str
    options: tuple[OptionCount, ...]  # in the manifest's order
    answered: int  # people who chose at least one option
    blank: int  # respondents who left it blank (not counted in the percentages)
    top_two: TopTwo | None  # only when the manifest asks for it
    non_answers: tuple[tuple[str, int], ...] = ()  # (label, people), not in the percentages
    multiple: int = 0  # people who chose more than one option

    @property
    def note(self) -> str:
        notes = [NO_ANSWERS_NOTE if self.answered == 0
                 else SMALL_N_NOTE if self.answered < SMALL_N else ""]
        if self.multiple:
            notes.append(f"{self.multiple} chose more than one option, so the percentages add "
                         "up to more than 100")
        return "; ".join(filter(None, notes))


@dataclass(frozen=True, slots=True)
class Stats:
    title: str
    noun: tuple[str, str]
    response_rate: ResponseRate
    ratings: tuple[RatingStats, ...]  # highest mean first
    spread: tuple[RatingStats, ...]  # most divided first: sd, then range
    choices: tuple[ChoiceStats, ...]  # manifest order

    def rating(self, question_id: str) -> RatingStats:
        for item in self.ratings:
            if item.question == question_id:
                return item
        raise ManifestError(f"No rating question '{question_id}'; rating questions: "
                            f"{', '.join(r.question for r in self.ratings) or 'none'}")

    def choice(self, question_id: str) -> ChoiceStats:
        for item in self.choices:
            if item.question == question_id:
                return item
        raise ManifestError(f"No choice question '{question_id}'; choice questions: "
                            f"{', '.join(c.question for c in self.choices) or 'none'}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: numbers unrounded, percentages 0-100."""
        rate = self.response_rate
        return {
            "title": self.title,
            "respondent_noun": list(self.noun),
            "response_rate": {
                "respondents": rate.respondents, "invited": rate.invited,
                "percent": rate.percent, "sentence": rate.sentence(),
                "answered": [{"question": a.question, "label": a.label, "kind": a.kind,
                              "answered": a.answered, "percent": a.percent}
                             for a in rate.answered],
            },
            "ratings": [_rating_dict(r) for r in self.ratings],
            "spread": [{"question": r.question, "label": r.label, "sd": r.sd, "range": r.range}
                       for r in self.spread],
            "choices": [_choice_dict(c) for c in self.choices],
        }


def _top_dict(top: TopTwo | None) -> dict[str, Any] | None:
    return None if top is None else {
        "options": list(top.options), "label": top.label, "count": top.count,
        "answered": top.answered, "percent": top.percent}


def _rating_dict(item: RatingStats) -> dict[str, Any]:
    return {"question": item.question, "label": item.label, "scale": list(item.scale),
            "best": item.best, "labels": item.labels,
            "n": item.n, "blank": item.blank, "mean": item.mean, "median": item.median,
            "min": item.minimum, "q1": item.q1, "q3": item.q3, "max": item.maximum,
            "sd": item.sd, "range": item.range, "note": item.note,
            "non_answers": dict(item.non_answers), "multiple": item.multiple,
            "top_two": _top_dict(item.top_two), "values": list(item.values)}


def _choice_dict(item: ChoiceStats) -> dict[str, Any]:
    return {"question": item.question, "label": item.label, "text": item.text,
            "answered": item.answered, "blank": item.blank, "note": item.note,
            "non_answers": dict(item.non_answers), "multiple": item.multiple,
            "options": [{"option": o.option, "count": o.count, "percent": o.percent}
                        for o in item.options],
            "top_two": _top_dict(item.top_two)}


def compute_stats(manifest: Manifest, corpus: Corpus) -> Stats:
    """Every closed-question statistic for a project, from its manifest and corpus."""
    rate = response_rate(manifest, corpus)
    ratings = tuple(rating_stats(manifest, corpus))
    return Stats(title=manifest.title, noun=manifest.respondent_noun, response_rate=rate,
                 ratings=ratings, spread=spread_ranking(ratings),
                 choices=tuple(choice_stats(manifest, corpus)))


def response_rate(manifest: Manifest, corpus: Corpus) -> ResponseRate:
    respondents = len(survey_respondents(manifest, corpus.responses, corpus.ratings))
    surveys = [s for s in manifest.sources if s.kind == "survey"]
    asked = {qid for s in surveys for qid in (*s.columns, *s.questions, s.question) if qid}
    survey_ids = {s.id for s in surveys}
    answered = []
    for question in manifest.questions:
        if question.id not in asked:
            continue
        if question.kind == "text":
            people = {r.respondent for r in corpus.responses
                      if r.question == question.id and r.source in survey_ids
                      and r.text.strip()}
        else:
            people = set(answers_by_person(corpus, question.id).values)
        answered.append(Answered(question.id, question.short, question.kind, len(people),
                                 respondents))
    return ResponseRate(respondents, manifest.invited, manifest.respondent_noun, tuple(answered))


def rating_stats(manifest: Manifest, corpus: Corpus) -> list[RatingStats]:
    """One summary per rating question, highest mean first (items nobody answered last)."""
    import pandas as pd

    items = []
    for question in manifest.questions_of_kind("rating"):
        assert question.scale is not None  # a rating question has one (summariser.project.schema)
        people = answers_by_person(corpus, question.id)
        values = tuple(person_rating(v) for v in people.values.values())
        series = pd.Series(values, dtype="float64")
        n = len(values)

        def stat(value: float, n: int = n) -> float | None:
            return None if n == 0 or math.isnan(value) else float(value)

        items.append(RatingStats(
            question=question.id, label=question.short, scale=question.scale, values=values,
            blank=len(people.blank), n=n, mean=stat(series.mean()),
            median=stat(series.median()), minimum=stat(series.min()),
            q1=stat(series.quantile(0.25)), q3=stat(series.quantile(0.75)),
            maximum=stat(series.max()), sd=stat(series.std(ddof=1)) if n >= 2 else None,
            non_answers=people.non_answer_counts(), multiple=people.multiple,
            best=question.best, top_two=_rating_top_two(question, values),
            labels=dict(question.labels)))
    return sorted(items, key=lambda r: (r.mean is None, -(r.mean or 0.0)))


def _rating_top_two(question: Question, values: tuple[float, ...]) -> TopTwo | None:
    """People whose value lies in the two best points of the scale, when the manifest asks."""
    names = top_two(question)
    if names is None:
        return None
    return TopTwo(names, sum(in_top_two(question, (v,)) for v in values), len(values))


def spread_ranking(ratings: tuple[RatingStats, ...] | list[RatingStats]
                   ) -> tuple[RatingStats, ...]:
    """Which items divide opinion most: largest standard deviation first, then widest range."""
    return tuple(sorted(ratings, key=lambda r: (r.sd is None, -(r.sd or 0.0),
                                                -(r.range or 0.0))))


def choice_stats(manifest: Manifest, corpus: Corpus) -> list[ChoiceStats]:
    """People per option in the manifest's order; percentages of the people who answered."""
    items = []
    for question in manifest.questions_of_kind("choice"):
        people = answers_by_person(corpus, question.id)
        answered = len(people.values)
        chose = Counter(o for chosen in people.values.values() for o in chosen)
        options = tuple(OptionCount(o, chose[o], percent(chose[o], answered))
                        for o in question.options)
        top = None
        if best := top_two(question):
            top = TopTwo(best, sum(in_top_two(question, chosen)
                                   for chosen in people.values.values()), answered)
        items.append(ChoiceStats(question=question.id, label=question.short,
                                 text=question.text, options=options, answered=answered,
                                 blank=len(people.blank), top_two=top,
                                 non_answers=people.non_answer_counts(),
                                 multiple=people.multiple))
    return items
