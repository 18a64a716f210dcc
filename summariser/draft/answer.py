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
    from summariser.draft.chain import LLMBackend, ReplyError, passage_lines

    if isinstance(backend, LLMBackend):
        ids = {f"P{n}": h.passage for n, h in enumerate(hits, 1)}
        try:
            data = backend.ask("answer_question", "ask", question=result.query,
                               respondent_noun=noun[1], passages=passage_lines(ids))
        except ReplyError as exc:
            return Answer(result.query, f"No answer: {exc}.", (), result.denominator, (), (),
                          backend.name)
        relevant = [ids[i] for i in data.get("relevant", []) if isinstance(i, str) and i in ids]
        text = str(data.get("answer", "")).strip()
        proposed = [(ids.get(str(q.get("passage"))), str(q.get("text", "")))
                    for q in data.get("quotes", []) if isinstance(q, dict)]
    else:
        relevant = [h.passage for h in hits]
        counted = count_text(len({p.respondent for p in relevant}), result.denominator, noun)
        text = (f"{counted[0].upper()}{counted[1:]} gave answers close to this question "
                "(extractive answer: passages ranked by similarity, not read by a model). "
                "The closest are quoted below.")
        proposed = []
        for passage in relevant:
            if all(p.respondent != passage.respondent for p, _ in proposed):
                proposed.append((passage, passage.text))
            if len(proposed) == ANSWER_QUOTES:
                break
    quotes: list[QuoteRef] = []
    failures: list[Failure] = []
    for passage, text_quoted in proposed:
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
    respondents = {p.respondent for p in relevant} | {q.respondent for q in quotes}
    return Answer(result.query, text, tuple(sorted(respondents)), result.denominator,
                  tuple(quotes), tuple(failures), backend.name)
