"""The publication gate: check a draft's quotes, citations and numbers against the corpus.

`evaluate(drafts, index, manifest, responses, ratings)` is pure: it reads parsed drafts
(`summariser.gate.parse.parse_draft`) and returns an `EvalReport` of frozen checks, each with
an outcome: `pass`, `warning` (publishable, but a reviewer should look), `fail` (do not publish)
or `unchecked` (a claim the corpus cannot settle; listed so a person checks it, never a pass).
The report passes when nothing fails.

What is read (`summariser.gate.parse`): a Markdown draft as a reader sees it, rendered by
markdown-it-py; raw HTML other than comments, an image among a paragraph's words (a figure on its
own is fine) and struck-through text are refused (`MarkupCheck`, a failure: the gate cannot tell
what a reader sees past them), and code blocks are read as text. Quotes are spans in double or
single quote marks, and block quotes. A quote runs from its opening mark to the closing mark of
the same family (curly or straight); a mark of the other family inside it is part of its text.
Any id of the corpus is a citation, whatever it looks like (`[693]`, `[ABC S&C 3729]`, `(R07,
R12)`), and so is an id that differs from one only in its digits or matches the manifest's
`id_pattern` (`summariser.gate.citations`). Quoted words that name a theme of the sidecar, or a
section or question of the manifest, are labels unless cited or set as a block quote; a draft's
own headings never make a quote a label.

Quotes (`QuoteCheck`), with the one verifier (`summariser.verify.index`):
- with a response id from a tool sidecar: checked in that response;
- cited: checked in the cited respondent's answers to the section's questions and sources (any
  one of several cited ids may hold it); words found elsewhere are `misattributed` and the reason
  names whose they are;
- uncited: searched in the section's questions and sources, or the whole corpus when the section
  is unknown; the report says where the words were found and whether that place is unique.
Editorial marks may not change what a quote says: an ellipsis may not leave out a negation, a
number or a quantity word (unless with the whole sentence around it), and an [insertion] may
stand only for a pronoun, a tense or a capital, and never adds or removes such a word; otherwise
the quote fails as `meaning_changed`, with the source's words shown (`summariser.verify.marks`).
A passing quote is a warning when the verifier warns (round-bracket insertions, words found in
several responses, the case of an acronym or a name changed: "IT" -> "it"), or when its quote
marks are malformed (a closing mark printed as an opening one; a mark never closed or never
opened). A quote whose marks do not pair up is read as the longest part of the marked text the
corpus holds only when what that leaves out is the report's own prose: at most
`MAX_LEFT_OUT_WORDS` words before it (a closing mark never opened), or after it and before the
next, properly closed, quote (an opening mark never closed); else it fails, so words the corpus
does not hold are never passed over. A quote found outside the section's sources fails. A full
stop or comma printed inside the closing mark that the source lacks is noted, not failed.

Citations (`CitationCheck`): every cited id must be a respondent (or response id) of the corpus,
a participant, and have answered one of the section's questions or sources.

Review (a `NumberCheck` of kind "review", always a WARNING): whatever the drafting run asked a
reviewer to look at in a tool draft's sidecar: a theme that counts (nearly) everyone, a passage
that reads as an instruction to a model, a section whose model draft could not be used.

Numbers (`NumberCheck`). A claim is a count ("four of 16 Chief Officers", "Six respondents
(37%)", "at least three respondents"), a percentage (beside a count, or "100% of respondents")
or a quantifier ("most", "all", "every", "none", "no Chief Officer", "unanimous", "a few"). Who a
claim counts is, in this order:
1. the theme its sentence names by title, in prose (a title is not a quotation), from a tool
   sidecar;
2. the phrase its sentence names (`summariser.gate.mentions`): a short quoted phrase it counts,
   or the noun phrase after a verb of saying ("Four of 16 Chief Officers mentioned delayed
   discharge"): the respondents whose answers to the section use it, matched as drafting matches
   codebook phrases; the check names them ("R01, R07, R10, R16 mention “delayed discharge”");
3. the theme it sits under, from a tool sidecar;
4. nobody the gate can tell: the claim is `unchecked`.
A tool theme counts the respondents whose coded evidence the gate finds
(`summariser.gate.evidence`): a segment at its offsets, word for word, in that respondent's own
answer to one of the section's questions or sources, holding its phrase when it was coded by
one. The count must equal the number of such respondents ("R01, R07, R10, R16 have coded
evidence for theme …"); a counted respondent without it fails the count.
- Counts: equal to the people found (or bounded: "at least", "more than", "fewer than", "up
  to"); a stated denominator must equal the sidecar's. In a sidecar section a count tied to no
  theme or phrase passes when it is the number who answered the section. A count beside a
  percentage is checked too: the percentage passing says nothing about the count.
- Percentages: the denominator is the one stated ("of 16", or an earlier count with "of these"),
  else the first of the sidecar's denominator, the number who answered the section, and the
  number of survey respondents (`summariser.project.respondents`) that explains the percentage
  best. A percentage is right when it is the exact share rounded half up to its printed
  precision, the one rounding the report prints (`summariser.text.wording`: 6 of 16 is 38%, 10
  of 16 is 63%); a WARNING when it truncates the share or is off by less than one point (8 of 12
  printed as 66%, 6 of 16 as 37%, or a half rounded down to even, 10 of 16 as 62%); else a
  FAILURE. A percentage with no count beside it is of the people found as above.
- Quantifiers, for n of d respondents (n from a count in the same sentence, else the people
  found as above; d the first denominator):

      none, no one, nobody, no <noun>       n = 0
      all, every, everyone, unanimous       n = d
      almost all, nearly all                n >= 75% of d and n < d
      most, the (a) majority                n > 50% of d
      half                                  n within one of d / 2
      a minority                            0 < n < 50% of d
      a couple                              n = 2
      a few                                 2 <= n <= 4 and n < 50% of d
      several, a number of                  n >= 3 and n < 50% of d

  "Not all" and "not everyone" are not read. A quantifier with nothing to compare is
  `unchecked`.

Concentration (`ConcentrationCheck`): the share of a section's located quotes by each respondent;
a WARNING when one respondent has more than 40% of a section's quotes and the section has at
least 5 quotes (one voice dominating the evidence).

The checks live in `gate.quotes`, `gate.respondents` (citations, concentration), `gate.numbers`
(with `gate.mentions` and `gate.evidence`); their records in `gate.records`. This module runs
them and re-exports the records, so `from summariser.gate.run import ...` is the one place to
import from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.gate.corpus import EvalCorpus, section_label
from summariser.gate.numbers import NumberChecks, percent_outcome, quantifier_holds
from summariser.gate.parse import parse_draft
from summariser.gate.parsed import ParsedDraft
from summariser.gate.quotes import CONTEXT_CHARS, check_quote
from summariser.gate.records import (
    CitationCheck,
    ConcentrationCheck,
    Context,
    EvalReport,
    MarkupCheck,
    NumberCheck,
    Outcome,
    QuoteCheck,
)
from summariser.gate.respondents import (
    CONCENTRATION_MIN_QUOTES,
    CONCENTRATION_SHARE,
    check_citation,
    concentration,
)
from summariser.project.manifest import Manifest
from summariser.records import Rating, Response

if TYPE_CHECKING:
    from summariser.index.store import Store
    from summariser.verify import CorpusIndex

__all__ = ["CONCENTRATION_MIN_QUOTES", "CONCENTRATION_SHARE", "CONTEXT_CHARS", "CitationCheck",
           "ConcentrationCheck", "Context", "EvalReport", "MarkupCheck", "NumberCheck", "Outcome",
           "QuoteCheck", "evaluate", "evaluate_paths", "known_ids", "percent_outcome",
           "quantifier_holds"]


def evaluate(drafts: Sequence[ParsedDraft], index: CorpusIndex, manifest: Manifest,
             responses: Sequence[Response], ratings: Sequence[Rating] = ()) -> EvalReport:
    """Check parsed drafts against the corpus (the ratings count survey respondents who gave
    no text answer). Pure: reads nothing, writes nothing."""
    corpus = EvalCorpus(index, manifest, responses, ratings)
    quotes: list[QuoteCheck] = []
    citations: list[CitationCheck] = []
    numbers: list[NumberCheck] = []
    concentrations: list[ConcentrationCheck] = []
    markup: list[MarkupCheck] = []
    notes: list[str] = []
    for draft in drafts:
        for refusal in draft.refusals:
            draft_section = draft.sections[refusal.section]
            markup.append(MarkupCheck(
                draft.path, refusal.where,
                section_label(draft_section, corpus.section(draft_section.section_id)),
                draft_section.section_id, refusal.what, Outcome.FAIL, refusal.reason))
        checked = [check_quote(corpus, draft, q) for q in draft.quotes]
        quotes += checked
        for quote in draft.quotes:
            citations += [check_citation(corpus, draft, quote.section, quote.where, cited,
                                         quote.text) for cited in quote.cited]
        for citation in draft.citations:
            citations += [check_citation(corpus, draft, citation.section, citation.where, cited,
                                         None) for cited in citation.ids]
        checker = NumberChecks(corpus, draft, checked)
        for claim in draft.claims:
            numbers += checker.check(claim)
        concentrations += concentration(corpus, draft, checked)
        notes += draft.notes
        numbers += [NumberCheck(draft.path, "sidecar", draft.sections[0].heading or "",
                                draft.sections[0].section_id, "review", "review", asked,
                                Outcome.WARNING, f"Marked for review when drafted: {asked}")
                    for asked in draft.review]
        if not draft.quotes and not draft.claims:
            notes.append(f"{draft.path}: no quotes or numbers found to check")
    return EvalReport(tuple(d.path for d in drafts), tuple(quotes), tuple(citations),
                      tuple(numbers), tuple(concentrations), tuple(notes), manifest.title,
                      tuple(markup))


def known_ids(responses: Iterable[Response]) -> set[str]:
    """The ids a draft may cite: every respondent and response id of the corpus."""
    return {i for r in responses for i in (r.respondent, r.response_id)}


def evaluate_paths(paths: Iterable[Path | str], manifest: Manifest, store: Store) -> EvalReport:
    """Parse the draft files and check them against the store's corpus (for `eval` and `report`)."""
    from summariser.verify.cache import corpus_index

    responses = store.responses()
    ids = known_ids(responses)
    drafts = [parse_draft(path, manifest, ids) for path in paths]
    return evaluate(drafts, corpus_index(store), manifest, responses, store.ratings())
