"""Checks of a breakdown's figures by group, for the publication gate: a report's "By size"
table states, for each group of a respondent attribute, a rating's mean (or median) or the
share who chose some options of a choice question, and how many in the group it is of ("8.7
(n=7)", "60.0% (n=5)"). Each is compared with the answers of the group's respondents who
answered the question, computed as the report computes them (`summariser.report.disclosure`),
at its printed precision, rounded half up (`summariser.text.wording`). A figure printed for a
group disclosure control hides (`summariser.project.disclosure`) fails: it could single
someone out. The table's note says how many who answered a question gave no value of the
attribute, so are in no column (`summariser.gate.ungrouped`): counted as the report counts
them."""

from __future__ import annotations

import statistics
from collections.abc import Collection
from fractions import Fraction

from summariser.gate.blocks import match_key
from summariser.gate.corpus import EvalCorpus
from summariser.gate.parsed import GroupFigure, NumberClaim
from summariser.gate.records import Outcome
from summariser.project.closed import people_answers, person_rating
from summariser.project.disclosure import suppressed
from summariser.project.manifest import Question
from summariser.text.wording import half_up, rounded

__all__ = ["group_checks", "rounding_outcome"]


def rounding_outcome(actual: float | Fraction, printed: str) -> Outcome:
    """Does `printed` ("8.7") state `actual` at its printed precision? PASS when it is `actual`
    rounded half up (the report's one rounding); a WARNING when it truncates it instead; else
    a FAILURE."""
    decimals = len(printed.partition(".")[2])
    stated = Fraction(printed)
    if stated == Fraction(half_up(actual, decimals)):
        return Outcome.PASS
    scale = 10 ** decimals
    if stated == Fraction(int(Fraction(actual) * scale), scale):
        return Outcome.WARNING
    return Outcome.FAIL


def group_checks(corpus: EvalCorpus, claim: NumberClaim) -> list[tuple[str, Outcome, str]]:
    """(kind, outcome, reason) for a breakdown's figure of one group and for its n: the figure
    of kind "mean", "median" or "percentage", then "n"; for its note's number of those in no
    column, a "count" (`_ungrouped_check`)."""
    if claim.ungrouped is not None:
        return [_ungrouped_check(corpus, claim)]
    figure = claim.group
    assert figure is not None and claim.value is not None  # as `ClaimFinder` makes them
    kind = "percentage" if claim.statistic == "share" else claim.statistic or "mean"
    unchecked = [(kind, Outcome.UNCHECKED, reason) for reason in [_unknown(corpus, figure)]
                 if reason]
    if unchecked:
        return unchecked
    group = next(g for g in corpus.groups if match_key(g) == match_key(figure.group))
    question = _question(corpus, figure, "choice" if kind == "percentage" else "rating")
    if question is None:
        return [(kind, Outcome.UNCHECKED, (
            f"“{figure.item}” names no {'choice' if kind == 'percentage' else 'rating'} "
            "question of the manifest by its short label: check the figure by hand."))]
    everyone = people_answers(corpus.ratings, question.id).values
    answers = {person: given for person, given in everyone.items()
               if person in corpus.groups[group]}
    n = len(answers)
    sized = (f"{n} in “{group}” answered “{question.short}”" if n != 1
             else f"one in “{group}” answered “{question.short}”")
    size = ("n", Outcome.PASS, f"{sized[:1].upper()}{sized[1:]}.") if n == figure.n else (
        "n", Outcome.FAIL, f"{sized[:1].upper()}{sized[1:]}, not {figure.n}.")
    if not answers:
        return [(kind, Outcome.FAIL, f"Nobody in “{group}” answered “{question.short}”."), size]
    if group in _suppressed(corpus, everyone):
        return [(kind, Outcome.FAIL, (
            f"“{group}” is too small to show for “{question.short}” ({n} answered; fewer than "
            f"{corpus.manifest.min_cell}, or a figure that would let a suppressed one be worked "
            "out): the report suppresses it; write “suppressed” in its place.")), size]
    if kind == "percentage":
        chosen = _options(question, figure.measure)
        if chosen is None:
            return [(kind, Outcome.UNCHECKED, (
                f"“{figure.measure}” names no options of “{question.short}” the gate can "
                "tell: check the figure by hand.")), size]
        count = sum(any(option in chosen for option in given) for given in answers.values())
        actual: float | Fraction = Fraction(100 * count, n)
        fact = (f"{count} of the {n} in “{group}” who answered “{question.short}” chose "
                f"{' or '.join(chosen)}: {rounded(actual, 2)}%")
    else:
        ratings = [person_rating(given) for given in answers.values()]
        actual = statistics.fmean(ratings) if kind == "mean" else statistics.median(ratings)
        fact = (f"the {kind} rating of “{question.short}” in “{group}” is {rounded(actual, 2)} "
                f"({n} ratings)")
    outcome = rounding_outcome(actual, claim.value)
    printed = f"{claim.value}{'%' if kind == 'percentage' else ''}"
    decimals = len(claim.value.partition(".")[2])
    said = {Outcome.PASS: f"{fact}.",
            Outcome.WARNING: f"{fact}, which rounds to {half_up(actual, decimals)}: {printed} "
                             "truncates it.",
            Outcome.FAIL: f"{fact}, not {printed}."}[outcome]
    return [(kind, outcome, f"{said[:1].upper()}{said[1:]}"), size]


def _ungrouped_check(corpus: EvalCorpus, claim: NumberClaim) -> tuple[str, Outcome, str]:
    """(kind, outcome, reason) for a breakdown's note of how many of those who answered a
    question gave no value of the attribute: those with an answer to it
    (`summariser.project.closed.people_answers`, as `summariser.report.disclosure` counts them)
    and no value of the attribute. A reader takes the number as checked, like the table's."""
    said = claim.ungrouped
    assert said is not None and claim.count is not None  # as `ClaimFinder` makes them
    if not corpus.membership:
        return ("count", Outcome.UNCHECKED, (
            f"How many gave no {said.attribute}, but the gate was given no respondents' "
            "attributes to tell who gave one: check it by hand, or run `summariser eval` on "
            "the project's store."))
    membership = next((people for name, people in corpus.membership.items()
                       if match_key(name) == match_key(said.attribute)), None)
    if membership is None:
        known = ", ".join(f"“{name}”" for name in sorted(corpus.membership))
        return ("count", Outcome.UNCHECKED, (
            f"“{said.attribute}” is no respondent attribute the corpus holds ({known}): check "
            "the number by hand."))
    key = match_key(said.item)
    question = next((q for q in corpus.manifest.questions
                     if q.kind in ("rating", "choice") and match_key(q.short) == key), None)
    if question is None:
        return ("count", Outcome.UNCHECKED, (
            f"“{said.item}” names no rating or choice question of the manifest by its short "
            "label: check the number by hand."))
    answered = people_answers(corpus.ratings, question.id).values
    n = sum(1 for person in answered if person not in membership)
    many = "One" if n == 1 else f"{n:,}"
    fact = (f"Everyone who answered “{question.short}” gave a {said.attribute}" if n == 0 else
            f"{many} who answered “{question.short}” gave no {said.attribute}")
    if n == claim.count:
        return "count", Outcome.PASS, f"{fact}."
    return "count", Outcome.FAIL, f"{fact}, not {claim.count:,}."


def _suppressed(corpus: EvalCorpus, answered: Collection[str]) -> frozenset[str]:
    """The groups whose figure of a question disclosure control hides, by every attribute, as
    the report hides them; `answered`: who answered the question."""
    hidden: set[str] = set()
    for membership in corpus.membership.values():
        sizes = dict.fromkeys(membership.values(), 0)
        for person in answered:
            if person in membership:
                sizes[membership[person]] += 1
        hidden |= suppressed(sizes, corpus.manifest.min_cell)
    return frozenset(hidden)


def _unknown(corpus: EvalCorpus, figure: GroupFigure) -> str:
    """Why the gate cannot check a group's figure at all ("": it can)."""
    if not corpus.groups:
        return (f"A figure of “{figure.group}”, but the gate was given no respondents' "
                "attributes to tell who is in it: check it by hand, or run `summariser eval` "
                "on the project's store.")
    if not any(match_key(g) == match_key(figure.group) for g in corpus.groups):
        known = ", ".join(f"“{g}”" for g in sorted(corpus.groups))
        return (f"“{figure.group}” is no value of a respondent attribute the corpus holds "
                f"({known}): check the figure by hand.")
    return ""


def _question(corpus: EvalCorpus, figure: GroupFigure, kind: str) -> Question | None:
    """The question of `kind` whose short label the row names (the report prints it)."""
    key = match_key(figure.item)
    return next((q for q in corpus.manifest.questions_of_kind(kind)
                 if match_key(q.short) == key), None)


def _options(question: Question, measure: str) -> tuple[str, ...] | None:
    """The options a share's measure names, in its order ("% Satisfied or Very satisfied"):
    the whole of it read as options of the question joined by "or", "and" or commas, longest
    name first at each step (an option may hold another's words: "Very satisfied"). None: it
    names anything else."""
    rest = f" {match_key(measure)} "
    names = sorted(((f" {match_key(o)} ", o) for o in question.options),
                   key=lambda pair: -len(pair[0]))
    chosen: list[str] = []
    while rest.strip():
        found = next(((key, option) for key, option in names if rest.startswith(key)), None)
        if found is None:
            return None
        chosen.append(found[1])
        rest = " " + rest[len(found[0]):].lstrip()
        for joint in (" or ", " and "):
            if chosen and rest.startswith(joint) and rest.strip() != joint.strip():
                rest = rest[len(joint) - 1:]
                break
    return tuple(chosen) or None
