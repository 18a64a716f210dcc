"""Number checks for the publication gate: counts, percentages, amounts ("most", "a few", "two
thirds") and statistics ("a mean of 8.6") in a draft, each compared with the respondents the
corpus or the tool sidecar records, or with the ratings the corpus holds. The rules are in the
`summariser.gate.run` module docstring; what each amount means is in `summariser.text.amounts`."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from functools import partial

from summariser.draft.section import SILENT_CLAIM, UNCODED_CLAIMS
from summariser.gate.blocks import match_key
from summariser.gate.claims import LEADING, TOOK_PART, alternatives
from summariser.gate.corpus import EvalCorpus, section_label
from summariser.gate.counted import (
    AllOf,
    Answering,
    ClosedCount,
    Counted,
    Counting,
    LeftOutCount,
    NotAnswering,
    PhraseCount,
    ThemeCount,
    Within,
)
from summariser.gate.evidence import ThemeEvidence, theme_evidence
from summariser.gate.groups import group_checks, rounding_outcome
from summariser.gate.mentions import named_phrase, unheld_phrase
from summariser.gate.parsed import DraftSection, NumberClaim, ParsedDraft, ThemeFacts
from summariser.gate.records import NumberCheck, Outcome, QuoteCheck
from summariser.project.manifest import Question, Section
from summariser.text.amounts import UNIVERSAL, counts_itself, range_text
from summariser.text.amounts import holds as quantifier_holds
from summariser.text.wording import NUMBER_PATTERN, half_up, number_value, percent_text, rounded

__all__ = ["NumberChecks", "percent_outcome", "quantifier_holds"]

_COMPARE = {None: ("=", lambda a, n: a == n), "at least": ("≥", lambda a, n: a >= n),
            "more than": (">", lambda a, n: a > n), "over": (">", lambda a, n: a > n),
            "fewer than": ("<", lambda a, n: a < n), "less than": ("<", lambda a, n: a < n),
            "up to": ("≤", lambda a, n: a <= n)}


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


# A sentence about who answered, rather than what they said (what they sent, "we received 16
# responses", is read as such by `summariser.gate.claims`).
_ANSWERING = re.compile(rf"\b(?:answer(?:ed|s)?|respond(?:ed|s)?|repl(?:ied|y|ies)|{TOOK_PART}"
                        r"|completed\s+(?:the|it|this)"
                        r"|(?:were|was)\s+(?:returned|received|completed))\b", re.IGNORECASE)
_INVITED = re.compile(r"\b(?:invited|sent\s+to|asked)\b", re.IGNORECASE)
# Who those just counted are: "five, all from ...", "five, all but one of whom lead ...".
_ALL_OF = (rf"\s*,?\s*(?:all(?:\s+but\s+(?P<but>{NUMBER_PATTERN}))?|each|every\s+one|both)"
           r"(?:\s+of\s+(?:them|whom))?")

_CLAUSE_END = re.compile(r"\s*[;:]|,\s|\s(?:and|but|while|whereas)\s", re.IGNORECASE)
_OF_SURVEY = re.compile(r"\b(?:the|this|our|a)\s+(?:survey|questionnaire)\b", re.IGNORECASE)
_OF_QUESTION = re.compile(r"\b(?:this|the|that|each|every)\s+question\b", re.IGNORECASE)


# What a rating statistic is of its values (one a person).
_SUMMARIES: dict[str, Callable[[list[float]], float]] = {
    "mean": statistics.fmean, "median": statistics.median, "n": len, "sd": statistics.stdev,
    "minimum": min, "maximum": max}


def _chose(options: tuple[str, ...], given: tuple[float | str, ...]) -> bool:
    return any(o in options for o in given)


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

        if claim.of_answers:
            return [made("quantifier", Outcome.UNCHECKED,
                         "An amount of answers, not of people: the gate counts people; say it "
                         "of the people who wrote them to have it checked.")]
        if claim.group or claim.ungrouped:  # a breakdown's figure of a group and its n, or note
            return [made(*checked) for checked in group_checks(self.corpus, claim)]
        if claim.statistic:
            return [made(claim.statistic, *self._statistic(claim, section))]
        found = self._who(claim, draft_section, section)
        if claim.negated and not claim.non_response:
            found = self._not(found, section)
        who: Counted | None = found
        group = self._subgroup(claim, section)
        if group is not None and not isinstance(found, NotAnswering):
            name, members, _ = group
            if claim.denominator is not None and claim.denominator != len(members):
                return [made(self._kind(claim), Outcome.FAIL, (
                    f"{len(members)} of those who answered are of “{name}”, not "
                    f"{claim.denominator}."))]
            claim = replace(claim, denominator=len(members))
            if found is not None:
                who = Within(found, name, members)
        elif found is not None and not isinstance(found, NotAnswering):
            group = self._subgroup(claim, section, _ALL_OF)
            if group is not None:
                who = AllOf(found, *group)
        # (what was sent back, "16 responses (52%)", is a share of those invited, checked)
        if claim.thing and not claim.took_part and claim.count is not None \
                and claim.percent is not None and not any(
                percent_outcome(claim.count, d, claim.percent)[0] is Outcome.PASS
                for d, _ in self._denominators(claim, draft_section, section, who)):
            return []  # "40 beds (20%)": a share of something other than the people asked
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
             ) -> Counting | NotAnswering | None:
        """Who the claim counts: in a tool draft's lead, the people no theme counts; the theme
        its sentence names by title, else the phrase it names, else the theme it sits under,
        else nobody the gate can tell."""
        if claim.rate:
            return Answering(self.corpus.survey_people)
        if claim.non_response:
            return NotAnswering(self.corpus.manifest.invited, self.corpus.survey_size)
        themes = {t.title: t for t in draft_section.themes}
        theme = themes.get(claim.theme or "")
        if draft_section.sidecar and (SILENT_CLAIM in claim.sentence or any(
                said in claim.sentence for said in UNCODED_CLAIMS)):
            return self._left_out(claim, draft_section, section)
        if theme is not None and claim.named_theme:
            return self._theme_count(claim.section, section, theme)
        quotes = tuple(self.draft.quotes[i].text for i in claim.quotes)
        phrase = named_phrase(self.corpus, section, claim.sentence, quotes)
        if phrase is not None:
            return PhraseCount(phrase)
        if theme is not None:
            return self._theme_count(claim.section, section, theme)
        answering = claim.took_part or _ANSWERING.search(claim.phrase) or re.search(
            re.escape(claim.phrase) + r"(?:\s+\w+){0,2}\s+" + _ANSWERING.pattern, claim.sentence,
            re.IGNORECASE)
        if answering and (claim.count is not None or counts_itself(claim.quantifier or "")
                          or claim.denominator is not None):  # "all 16 responded"
            people = self._answered(claim, section)
            return Answering(people) if people else None
        return self._closed(claim, section)

    def _answered(self, claim: NumberClaim, section: Section | None) -> frozenset[str]:
        """Who a claim about answering counts: those who took part in the survey where it says
        they responded, took part or sent something back, or names the survey ("16 took part
        in the survey", in a section 15 answered); else, or where it names the question ("15
        responded to this question"), those who answered the section's questions."""
        at = claim.sentence.find(claim.phrase)
        said = claim.sentence[max(at, 0):]  # its own clause: "16 took part in the survey and
        said = _CLAUSE_END.split(said, maxsplit=1)[0]  # 15 answered this question"
        if not _OF_QUESTION.search(said) and (
                claim.took_part or re.search(TOOK_PART, said, re.IGNORECASE)
                or _OF_SURVEY.search(said)):
            return self.corpus.survey_people
        return self.corpus.answering(section)

    def _not(self, who: Counting | NotAnswering | None, section: Section | None
             ) -> Counting | NotAnswering | None:
        """Who a count of those who did not counts ("five did not raise governance"): those
        who answered less those a theme or phrase counts; of "did not answer this question",
        the survey's respondents less those who answered it (outside a section, those invited
        less those who responded)."""
        if isinstance(who, Answering):
            if section is None:
                return NotAnswering(self.corpus.manifest.invited, len(who.people))
            return LeftOutCount(self.corpus.survey_people - who.people,
                                "took part in the survey but did not answer this question")
        everyone = self.corpus.people(section) or self.corpus.survey_people
        if isinstance(who, ThemeCount):
            return LeftOutCount(everyone - who.evidence.people,
                                f"have no coded evidence for theme “{who.title}”")
        if isinstance(who, PhraseCount):
            reading, people = who.phrase.readings[0]
            return LeftOutCount(everyone - people, f"do not mention “{reading}”")
        return who

    @staticmethod
    def _kind(claim: NumberClaim) -> str:
        return "quantifier" if claim.quantifier else "count" if claim.count is not None \
            else "percentage"

    def _subgroup(self, claim: NumberClaim, section: Section | None, lead: str = ""
                  ) -> tuple[str, frozenset[str], int] | None:
        """The subgroup a claim counts within: the groups a breakdown shows ("Large") named
        right after its count, as what its people lead or are from ("three of the five Chief
        Officers of large partnerships", "one of the four small partnerships' Chief Officers",
        "of small and large partnerships"), with the people in them who answered the section;
        with `lead` (`_ALL_OF`), the groups a count is said to be all of, and how many of
        them are said not to be ("five, all from large partnerships": 0; "five raised
        governance, all but one from large partnerships": 1).
        A group named anywhere else in the sentence ("a large problem", "large partnerships
        aside") is not what the count is of."""
        if not self.corpus.groups:
            return None
        at = claim.sentence.find(claim.phrase)
        if at < 0:
            return None
        values = {match_key(v): v for v in self.corpus.groups}
        value = alternatives(set(values))
        rest = claim.sentence[at + len(claim.phrase):]
        pattern = (rf"{lead}\s*(?:(?:of|from|in|at|for|{LEADING})\s+(?:the\s+|their\s+|an?\s+)?)?"
                   rf"(?P<g>(?:{value})(?:(?:\s*,\s*|\s+"
                   rf"(?:and|or)\s+|\s*,\s*(?:and|or)\s+)(?:{value}))*)(?:[-\s]sized)?\b")
        tied = re.match(pattern, rest, re.IGNORECASE)
        if tied is None and lead:  # "five of the 16 raised governance, all from large
            # partnerships": later in the sentence, after a comma, before any other number
            other = re.search(rf"\b(?:{NUMBER_PATTERN})\b", rest, re.IGNORECASE)
            tied = re.search(rf",{pattern}", rest[:other.start() if other else None],
                             re.IGNORECASE)
        if tied is None:
            return None
        named = [values[match_key(v)] for v in re.findall(value, tied.group("g"), re.IGNORECASE)]
        answered = self.corpus.people(section) if section is not None \
            else self.corpus.survey_people
        members = frozenset().union(*(self.corpus.groups[v] for v in named)) & answered
        outside = tied.groupdict().get("but")
        return " and ".join(dict.fromkeys(named)), members, number_value(outside or "0")

    def _left_out(self, claim: NumberClaim, draft_section: DraftSection,
                  section: Section | None) -> LeftOutCount:
        """The people who answered the section and no theme counts (by the evidence the gate
        finds), split into those whose answers are all non-answers and the rest."""
        coded: set[str] = set()
        for theme in draft_section.themes:
            coded |= self._theme_count(claim.section, section, theme).evidence.people
        silent = self.corpus.silent(section) - coded
        if SILENT_CLAIM in claim.sentence:
            return LeftOutCount(silent, "gave no substantive answer")
        return LeftOutCount(self.corpus.people(section) - coded - silent,
                             "have answers no theme's coded evidence covers")

    def _closed(self, claim: NumberClaim, section: Section | None) -> ClosedCount | None:
        """The option (or top two) of a choice question of the section (any, outside a section)
        that the sentence names, longest name first."""
        from summariser.project.closed import in_top_two, people_answers, top_two

        key = f" {match_key(claim.sentence)} "
        asked = [q for q in self.corpus.manifest.questions
                 if q.kind in ("choice", "rating") and (section is None
                                                        or q.id in section.questions)]
        named: list[tuple[str, Question, Callable[[tuple[float | str, ...]], bool]]] = []
        for question in asked:
            options = [(o, partial(_chose, (o,))) for o in question.options] \
                if question.kind == "choice" else []
            if (best := top_two(question)) is not None:  # "Satisfied or Very satisfied"
                options.append((f"{best[0]} or {best[1]}", partial(in_top_two, question)))
            named += [(label, question, chose) for label, chose in options
                      if f" {match_key(label)} " in key]
        # Several items share one scale ("Agree or Strongly agree"): the item is the one the
        # sentence names as well ("My manager values my work, Agree or ..."); with none named,
        # an option only one of them offers, else nothing the gate can tell.
        by_item = [n for n in named if f" {match_key(n[1].short)} " in key] or named
        longest = max((len(n[0]) for n in by_item), default=0)
        by_item = [n for n in by_item if len(n[0]) == longest]
        if len({n[1].id for n in by_item}) != 1:
            return None
        label, question, chose = by_item[0]
        answers = people_answers(self.corpus.ratings, question.id).values
        if not answers:
            return None
        people = frozenset(p for p, given in answers.items() if chose(given))
        return ClosedCount(label, people, len(answers))

    def _theme_count(self, index: int, section: Section | None, theme: ThemeFacts) -> ThemeCount:
        key = (index, theme.title)
        if key not in self._evidence:
            self._evidence[key] = theme_evidence(self.corpus, section, theme)
        return ThemeCount(theme.title, self._evidence[key])

    def _denominators(self, claim: NumberClaim, draft_section: DraftSection,
                      section: Section | None, who: Counted | None = None
                      ) -> list[tuple[int, str]]:
        if claim.denominator:
            return [(claim.denominator, "as stated")]
        if isinstance(who, NotAnswering) and who.invited:
            # Who stayed away are a share of those invited ("15 (48%) did not respond"), never
            # of those who answered, whom they are not among
            return [(who.invited, "those invited (the manifest's `invited`)")]
        if isinstance(who, Answering) and self.corpus.survey_size:
            # Of those who took part ("all but one answered this question"), or of those
            # invited ("16 (52%) responded"); of those invited alone where the sentence says so.
            invited = self.corpus.manifest.invited
            of_invited = _INVITED.search(claim.sentence) or (  # "16 (52%) responded"
                invited and re.search(TOOK_PART, claim.sentence, re.IGNORECASE)
                and not _OF_QUESTION.search(claim.sentence))
            found = [] if of_invited else [(self.corpus.survey_size, "survey respondents")]
            if invited and invited != self.corpus.survey_size:
                found.append((invited, "those invited (the manifest's `invited`)"))
            return found or [(self.corpus.survey_size, "survey respondents")]
        if isinstance(who, ClosedCount):  # of those who answered it, or of everyone
            return list({self.corpus.survey_size: "all respondents",
                         who.answered: "those who answered the question"}.items())
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
        if claim.rate:
            invited = self.corpus.manifest.invited
            if invited is None or not isinstance(who, Answering):
                return Outcome.UNCHECKED, ("A response rate, but the manifest does not say how "
                                           "many were invited (`invited`): check it by hand.")
            outcome, reason = percent_outcome(len(who.people), invited, percent)
            return outcome, f"{len(who.people)} answered; {reason} (of the {invited} invited)"
        if claim.count is not None:
            counts = [(claim.count, "")]
        elif isinstance(who, ThemeCount):
            counts = [(len(who.evidence.people), f"{who.evidence.shown()} have coded evidence "
                                                  f"for theme “{who.title}”; ")]
        elif isinstance(who, PhraseCount):
            counts = [(len(people), f"{', '.join(sorted(people))} mention “{reading}”; ")
                      for reading, people in who.phrase.readings]
        elif isinstance(who, LeftOutCount | Answering | ClosedCount):
            counts = [(len(who.people), "")]
        elif isinstance(who, Within):
            counts = [(len(people), f"{', '.join(sorted(people)) or 'Nobody'} {said}; ")
                      for said, people in who.readings()]
        else:  # nobody to count (who did not respond is read as a count, never a share)
            return Outcome.FAIL, (f"{claim.percent}% of them is a claim about people that no "
                                  "evidence supports: it has no count beside it, sits under no "
                                  "theme, and names no theme, phrase or option the gate can "
                                  "count.")
        best: tuple[Outcome, str] | None = None
        for count, said in counts:
            for denominator, why in self._denominators(claim, draft_section, section, who):
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
        if isinstance(who, ClosedCount) and claim.denominator is not None:
            if claim.denominator != who.answered:  # of who answered the question, not the
                # section's free text
                return Outcome.FAIL, (f"The denominator is {who.answered} (who answered the "
                                      f"question), not {claim.denominator}.")
        elif draft_section.sidecar and claim.denominator is not None \
                and claim.denominator != denominator and not isinstance(who, Within):
            return Outcome.FAIL, (f"The denominator is {denominator} (the sidecar's), not "
                                  f"{claim.denominator}.")
        invited = self.corpus.manifest.invited
        if isinstance(who, Answering) and claim.denominator is not None and invited is not None \
                and claim.denominator != invited and (
                    _INVITED.search(claim.sentence)
                    or claim.denominator != self.corpus.survey_size):
            # "16 of the 30 invited responded", "16 of 40 responded" (not "14 of the 16
            # answered this question": of those who took part)
            return Outcome.FAIL, f"{invited} were invited (the manifest's `invited`) and " \
                                 f"{self.corpus.survey_size} took part, not {claim.denominator}."
        if isinstance(who, NotAnswering) and claim.denominator is not None and invited is not None \
                and claim.denominator != invited:
            # "15 of the 16 did not respond": who stayed away are of those invited alone
            return Outcome.FAIL, f"{invited} were invited (the manifest's `invited`), not " \
                                 f"{claim.denominator}: those who did not respond are of them."
        if who is not None:
            return who.test(lambda actual: compare(actual, n), stated)
        if claim.bound in ("fewer than", "less than") and n == self.corpus.manifest.min_cell \
                and re.search(r"\bsuppress", claim.sentence, re.IGNORECASE):
            return Outcome.PASS, f"{n} is the smallest group shown (the manifest's `min_cell`)."
        if invited is not None and n == invited and claim.bound is None \
                and _INVITED.search(claim.sentence):
            return Outcome.PASS, f"{n} were invited (the manifest's `invited`)."
        if invited is not None and claim.bound is None and re.search(
                rf"\b(?:sent\s+to|invited)\s+(?:all\s+)?(?:the\s+)?{re.escape(claim.phrase)}",
                claim.sentence, re.IGNORECASE):
            return Outcome.FAIL, f"{invited} were invited (the manifest's `invited`), not {n}."
        if claim.bound is None and self.corpus.survey_size and re.search(
                rf"\bsurvey(?:ed)?\s+(?:of\s+)?(?:all\s+)?(?:the\s+)?{re.escape(claim.phrase)}",
                claim.sentence, re.IGNORECASE):
            # "Survey of 420 students" (a report's subtitle): who took part, or who was asked
            took_part = self.corpus.survey_size
            if n in (took_part, invited):
                return Outcome.PASS, f"{n} {'took part' if n == took_part else 'were invited'}."
            asked = f", of {invited} invited" if invited is not None else ""
            return Outcome.FAIL, f"{took_part} took part{asked}, not {n}."
        if draft_section.sidecar:
            return Outcome.UNCHECKED, "A count tied to no theme or phrase: check it by hand."
        return Outcome.UNCHECKED, ("A hand-written draft records no respondents for this "
                                   "count, and it names no phrase the answers use: check it by "
                                   "hand.")

    def _quantifier(self, claim: NumberClaim, quantifier: str, draft_section: DraftSection,
                    section: Section | None, who: Counted | None
                    ) -> tuple[Outcome, str]:
        found = self._denominators(claim, draft_section, section, who)
        d = found[0][0] if found else None
        meaning = range_text(quantifier)
        unsupported = (f"“{claim.phrase}” is a claim about {meaning} that no evidence supports: "
                       "it sits under no theme and names no theme, phrase or option the gate "
                       "can count")
        if claim.count is not None and d:
            if not quantifier_holds(quantifier, claim.count, d):
                return Outcome.FAIL, (f"“{claim.phrase}” means {meaning}, but the count is "
                                      f"{claim.count} of {d} ({percent_text(claim.count, d)}).")
            if who is None and quantifier in UNIVERSAL and quantifier != "none":
                return Outcome.FAIL, f"{unsupported}, whatever the count beside it says."
            return Outcome.PASS, f"{claim.count} of {d} is {meaning}."
        if who is None or not d:
            if quantifier == "none":
                quotes = tuple(self.draft.quotes[i].text for i in claim.quotes)
                unused = unheld_phrase(self.corpus, section, claim.sentence, quotes)
                if unused is not None:
                    return Outcome.PASS, f"No one's answers use “{unused}”."
            if quantifier in UNIVERSAL:
                return Outcome.FAIL, f"{unsupported}."
            return Outcome.UNCHECKED, (f"“{claim.phrase}” has no count beside it: check it by hand "
                                       f"(it should mean {meaning}).")
        outcome, reason = who.test(lambda actual: quantifier_holds(quantifier, actual, d),
                                   f"{meaning} of {d}")
        return outcome, reason

    def _statistic(self, claim: NumberClaim, section: Section | None) -> tuple[Outcome, str]:
        """A mean or median of a rating question (or, from a table, its number of ratings, SD,
        lowest or highest): the one whose label the sentence names, else the section's one
        rating question; compared at its printed precision, rounded half up."""
        ratings = {q.id: q for q in self.corpus.manifest.questions_of_kind("rating")}
        question = ratings.get(claim.question or "")
        own = [ratings[q] for q in section.questions if q in ratings] if section is not None \
            else list(ratings.values())
        if question is None and len(own) == 1:
            question = own[0]
        if question is None and claim.bound and own and claim.value is not None:
            # "All of the challenges had a mean of 5 and above": every rating in scope.
            means = {q.short: statistics.fmean(v) for q in own
                     if (v := self.corpus.rating_values(q))}
            lowest = min(means.items(), key=lambda item: item[1], default=None)
            if lowest is None:
                return Outcome.UNCHECKED, "No ratings to check the statistic against."
            shown = f"the lowest mean is “{lowest[0]}”'s, {rounded(lowest[1], 2)}"
            if Fraction(half_up(lowest[1], len(claim.value.partition(".")[2]))) \
                    >= Fraction(claim.value):
                return Outcome.PASS, f"Every rating's mean is {claim.value} or more ({shown})."
            return Outcome.FAIL, f"Not every rating's mean is {claim.value} or more: {shown}."
        if question is None:
            return Outcome.UNCHECKED, (f"“{claim.phrase}” names no rating question the gate "
                                       "can tell: check it by hand.")
        values = self.corpus.rating_values(question)
        if not values or claim.value is None:
            return Outcome.FAIL, f"Nobody gave a rating for “{question.short}”."
        if claim.statistic == "sd" and len(values) < 2:
            return Outcome.FAIL, f"“{question.short}” has one rating: it has no spread."
        actual = float(_SUMMARIES[claim.statistic or "mean"](values))
        decimals = len(claim.value.partition(".")[2])
        correct = half_up(actual, decimals)
        fact = (f"“{question.short}” has {len(values)} ratings" if claim.statistic == "n" else
                f"the {claim.statistic} of “{question.short}” is {rounded(actual, 2)} "
                f"({len(values)} ratings)")
        outcome = rounding_outcome(actual, claim.value)
        if outcome is Outcome.PASS or (claim.bound and Fraction(correct) >= Fraction(claim.value)):
            return Outcome.PASS, f"{fact[:1].upper()}{fact[1:]}."
        if outcome is Outcome.WARNING:
            return Outcome.WARNING, (f"{fact[:1].upper()}{fact[1:]}, which rounds to {correct}: "
                                     f"{claim.value} truncates it.")
        return Outcome.FAIL, f"{fact[:1].upper()}{fact[1:]}, not {claim.value}."
