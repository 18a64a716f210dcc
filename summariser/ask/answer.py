"""`ask --answer`: a short cited answer with an honest count of who raised the point.

The search is exhaustive (`summariser.retrieve.search`: every passage that uses the question's
subject words, in any inflection, and every passage close to its meaning, not the top k), so a
count such as "two of 16" covers the whole corpus; people are counted by kind (`Tally`: survey
respondents, interviews, documents apart). With a model, the count is of the passages the
model marks relevant, and quotes come only from those; without one, of every passage either
search found. The answer says nothing was found only when both searches found nothing, and
names the subject words no passage uses ("Brexit" and "EU" of "Brexit and EU staff"). Every sentence
of a model's answer that states a number or an amount is checked against the count by the
gate's rules (`summariser.gate.claims`, `summariser.gate.numbers`), with the one vocabulary of
amounts (`summariser.text.amounts`: "everyone", "unanimous", "nobody", "a third", ...): `ask`
is a stage after the gate, so it reads claims exactly as `eval` does. A sentence that does not
hold, or that the rules cannot read, is dropped and listed; so is one that repeats a passage's
words outside quote marks (the rule of a theme's description, `summariser.draft.claims`): it
would give a respondent's words as the answer's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from summariser.draft.claims import Answers
from summariser.draft.quoting import verified_quote
from summariser.draft.records import Failure, QuoteRef
from summariser.draft.section import Backend
from summariser.gate.claims import ClaimFinder
from summariser.gate.numbers import percent_outcome, quantifier_holds
from summariser.gate.parsed import NumberClaim
from summariser.gate.quote_marks import quote_spans
from summariser.gate.records import Outcome
from summariser.project.manifest import Manifest
from summariser.records import Passage
from summariser.retrieve.search import SearchResult, Tally
from summariser.text.amounts import mentions_quantity
from summariser.text.sentences import sentences
from summariser.text.wording import count_text

ANSWER_QUOTES = 3
PASSAGE_CAP = 400  # the most passages put before a model in one answer
NOTHING_RELEVANT = "Nothing in the corpus speaks to this question."


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    respondents: tuple[str, ...]
    denominator: int
    quotes: tuple[QuoteRef, ...]
    failures: tuple[Failure, ...]
    backend: str
    tally: Tally | None = None  # who raised it, by kind
    dropped: tuple[str, ...] = ()  # sentences of the model's text whose numbers did not hold
    copied: tuple[str, ...] = ()  # sentences of it in a passage's words, outside quote marks

    def count_text(self, noun: tuple[str, str]) -> str:
        if self.tally is not None:
            return self.tally.text(noun)
        return count_text(len(self.respondents), self.denominator, noun)


def answer(result: SearchResult, backend: Backend, index, noun: tuple[str, str], *,
           manifest: Manifest | None = None,
           count: Callable[[Iterable[Passage]], Tally] | None = None) -> Answer:
    """The answer over an exhaustive search. `count` tallies people by kind (default: the
    respondents among the relevant passages against `result.denominator`); `manifest`
    lets the model's numbers be checked (without it, any sentence with a number is dropped)."""
    hits = sorted(result.hits, key=lambda h: -h.similarity)[:PASSAGE_CAP]
    unused = (f"No passage uses the word{'s' if len(result.unused) > 1 else ''} "
              + ", ".join(f"'{w}'" for w in result.unused) + ". ") if result.unused else ""
    if not hits:  # neither search found anything
        said = unused or ("No passage uses the question's words or comes close to its "
                          "meaning. ")
        return _nothing(result, backend, said + NOTHING_RELEVANT, count)
    proposed = backend.answer_question(result.query, [h.passage for h in hits],
                                       result.denominator, noun, ANSWER_QUOTES)
    relevant = list(proposed.relevant)
    if not relevant:
        return _nothing(result, backend, NOTHING_RELEVANT, count)
    relevant_ids = {p.passage_id for p in relevant}
    quotes: list[QuoteRef] = []
    failures: list[Failure] = []
    for passage, text_quoted in proposed.quotes:
        if len(quotes) == ANSWER_QUOTES:
            break
        if passage is None:
            failures.append(Failure("answer", text_quoted, None, "cites an unknown passage"))
            continue
        if passage.passage_id not in relevant_ids:
            failures.append(Failure("answer", text_quoted, None,
                                    "quotes a passage not marked relevant"))
            continue
        if any(q.respondent == passage.respondent for q in quotes):
            continue
        quote, failure = verified_quote("ask", "answer", text_quoted, passage, index, backend)
        if failure:
            failures.append(failure)
        elif quote is not None:  # always, when there is no failure
            quotes.append(quote)
    tally = count(relevant) if count else None
    if tally is None:
        people: tuple[int, int] | None = (len({p.respondent for p in relevant}),
                                          result.denominator)
    else:
        survey = tally.kind("survey")
        people = (len(survey.found), survey.of) if survey else None
    text, dropped = checked_numbers(proposed.text, people, manifest)
    text, copied = not_copied(text, Answers(h.passage.text for h in hits))
    text = unused + text
    return Answer(result.query, text, tuple(sorted({p.respondent for p in relevant})),
                  result.denominator, tuple(quotes), tuple(failures), backend.name, tally,
                  dropped, copied)


def _nothing(result: SearchResult, backend: Backend, text: str,
             count: Callable[[Iterable[Passage]], Tally] | None) -> Answer:
    return Answer(result.query, text, (), result.denominator, (), (), backend.name,
                  count(()) if count else None)


def checked_numbers(text: str, people: tuple[int, int] | None, manifest: Manifest | None
                    ) -> tuple[str, tuple[str, ...]]:
    """`text` without the sentences whose numbers or amounts do not hold for `people` (n of
    d survey respondents), and those sentences. A sentence that mentions an amount is kept only
    when each claim the gate reads in it holds exactly (no "at least") and nothing else in it
    mentions an amount."""
    finder = ClaimFinder(manifest) if manifest is not None else None
    kept: list[str] = []
    dropped: list[str] = []
    for _, sentence in sentences(text, line_breaks=False):
        if not mentions_quantity(sentence):
            kept.append(sentence)
            continue
        claims = [] if finder is None or people is None else finder.claims(
            sentence, "answer", section=0, themes=(), theme=None)
        rest = sentence
        for claim in claims:
            rest = rest.replace(claim.phrase, " ")
        if claims and people and all(_holds(c, *people) for c in claims) \
                and not mentions_quantity(rest):
            kept.append(sentence)
        else:
            dropped.append(sentence)
    return " ".join(kept), tuple(dropped)


def not_copied(text: str, passages: Answers) -> tuple[str, tuple[str, ...]]:
    """`text` without the sentences that repeat a passage's words outside quote marks, and
    those sentences; words inside quote marks are quoting, not copying."""
    kept: list[str] = []
    copied: list[str] = []
    for _, sentence in sentences(text, line_breaks=False):
        outside, at = [], 0
        for span in quote_spans(sentence):
            outside.append(sentence[at:span.start])
            at = span.close
        outside.append(sentence[at:])
        (copied if any(passages.copied_by(part) for part in outside) else kept).append(sentence)
    return " ".join(kept), tuple(copied)


def _holds(claim: NumberClaim, n: int, d: int) -> bool:
    if claim.non_response:  # of those invited, not of who said something
        return False
    if claim.bound is not None or claim.denominator not in (None, d):
        return False
    if claim.count is not None and claim.count != n:
        return False
    if claim.percent is not None and percent_outcome(n, d, claim.percent)[0] != Outcome.PASS:
        return False
    return claim.quantifier is None or quantifier_holds(claim.quantifier, n, d)
