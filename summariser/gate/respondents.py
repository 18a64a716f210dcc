"""Checks of who a draft cites and quotes, for the publication gate: each cited id must be a
participant who answered the section (`CitationCheck`), and no one respondent may dominate a
section's quotes (`ConcentrationCheck`). The rules are in the `summariser.gate.run` module
docstring."""

from __future__ import annotations

from collections import Counter, defaultdict

from summariser.gate.corpus import EvalCorpus, section_label
from summariser.gate.parsed import ParsedDraft
from summariser.gate.records import CitationCheck, ConcentrationCheck, Outcome, QuoteCheck
from summariser.text.wording import percent_text

__all__ = ["CONCENTRATION_MIN_QUOTES", "CONCENTRATION_SHARE", "check_citation", "concentration"]

CONCENTRATION_SHARE = 0.40  # one respondent above this share of a section's quotes ...
CONCENTRATION_MIN_QUOTES = 5  # ... in a section with at least this many quotes: a warning


def check_citation(corpus: EvalCorpus, draft: ParsedDraft, section_index: int, where: str,
                   cited: str, quote: str | None) -> CitationCheck:
    draft_section = draft.sections[section_index]
    section = corpus.section(draft_section.section_id)
    label = section_label(draft_section, section)

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
    answered = ", ".join(sorted({r.question for r in relevant}))
    return check(Outcome.PASS, f"{cited} answered {answered}.")


def concentration(corpus: EvalCorpus, draft: ParsedDraft, checks: list[QuoteCheck]
                  ) -> list[ConcentrationCheck]:
    """One check per section with located quotes: the share of them by each respondent."""
    groups: dict[str, list[QuoteCheck]] = defaultdict(list)
    for check in checks:
        if check.verification.passed and check.respondent:
            groups[check.section_id or check.section].append(check)
    found = []
    for members in groups.values():
        counted = Counter(c.respondent for c in members if c.respondent).most_common()
        total = len(members)
        top, most = counted[0]
        share = most / total
        if total >= CONCENTRATION_MIN_QUOTES and share > CONCENTRATION_SHARE:
            outcome = Outcome.WARNING
            reason = (f"{top} gives {most} of the section's {total} quotes "
                      f"({percent_text(most, total)}): one voice dominates (threshold: over "
                      f"{CONCENTRATION_SHARE:.0%} of at least {CONCENTRATION_MIN_QUOTES} quotes).")
        else:
            outcome = Outcome.PASS
            reason = (f"The most quoted, {top}, gives {most} of {total} quotes "
                      f"({percent_text(most, total)}).")
        first = members[0]
        section = corpus.section(first.section_id)
        found.append(ConcentrationCheck(draft.path, section.heading if section else first.section,
                                        first.section_id, total, tuple(counted), outcome, reason))
    return found
