"""`ask --answer`: a short cited answer with an honest count of who raised the point.

The search is exhaustive (every passage above a similarity floor, not the top k), so a count
such as "two of 16" covers the whole corpus. With a model, the count is of the passages the
model marks relevant; without one, of the passages above the floor, and the text says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from summariser.draft.records import Failure, QuoteRef
from summariser.draft.section import Backend, verified_quote
from summariser.retrieve.search import SearchResult
from summariser.text.wording import count_text

ANSWER_QUOTES = 3
PASSAGE_CAP = 400  # the most passages put before a model in one answer


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    respondents: tuple[str, ...]
    denominator: int
    quotes: tuple[QuoteRef, ...]
    failures: tuple[Failure, ...]
    backend: str

    def count_text(self, noun: tuple[str, str]) -> str:
        return count_text(len(self.respondents), self.denominator, noun)


def answer(result: SearchResult, backend: Backend, index, noun: tuple[str, str]) -> Answer:
    hits = sorted(result.hits, key=lambda h: -h.similarity)[:PASSAGE_CAP]
    if not hits:
        return Answer(result.query, "No passage in the corpus is close to this question.", (),
                      result.denominator, (), (), backend.name)
    proposed = backend.answer_question(result.query, [h.passage for h in hits],
                                       result.denominator, noun, ANSWER_QUOTES)
    quotes: list[QuoteRef] = []
    failures: list[Failure] = []
    for passage, text_quoted in proposed.quotes:
        if len(quotes) == ANSWER_QUOTES:
            break
        if passage is None:
            failures.append(Failure("answer", text_quoted, None, "cites an unknown passage"))
            continue
        if any(q.respondent == passage.respondent for q in quotes):
            continue
        quote, failure = verified_quote("ask", "answer", text_quoted, passage, index, backend)
        if failure:
            failures.append(failure)
        else:
            quotes.append(quote)
    respondents = {p.respondent for p in proposed.relevant} | {q.respondent for q in quotes}
    return Answer(result.query, proposed.text, tuple(sorted(respondents)), result.denominator,
                  tuple(quotes), tuple(failures), backend.name)
