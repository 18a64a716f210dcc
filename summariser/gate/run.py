"""The publication gate: check a draft's quotes, citations and numbers against the corpus.

`evaluate(drafts, index, manifest, responses, ratings)` is pure: it reads parsed drafts
(`summariser.evaluate_parse.parse_draft`) and returns an `EvalReport` of frozen checks, each with
an outcome: `pass`, `warning` (publishable, but a reviewer should look), `fail` (do not publish)
or `unchecked` (a claim the corpus cannot settle; listed so a person checks it). The report
passes when nothing fails.

Quotes (`QuoteCheck`), with the one verifier (`summariser.verify.index`):
- with a response id from a tool sidecar: checked in that response;
- cited ([R07], (R07), [R07, R12]): checked in the cited respondent's answers to the section's
  questions and sources (any one of several cited ids may hold it); words found elsewhere are
  `misattributed` and the reason names whose they are;
- uncited: searched in the section's questions and sources, or the whole corpus when the section
  is unknown; the report says where the words were found and whether that place is unique.
A passing quote is a warning when the verifier warns (round-bracket insertions, words found in
several responses), or when its quote marks are malformed (a closing mark printed as an opening
one; marks that do not pair up, in which case it was read as the longest opening or ending of
the marked text that the corpus holds). A quote found outside the section's sources fails. A
full stop or comma printed inside the closing mark that the source lacks is noted, not failed.

Citations (`CitationCheck`): every cited id must be a respondent (or response id) of the corpus,
a participant, and have answered one of the section's questions or sources.

Numbers (`NumberCheck`):
- Counts in tool drafts ("Raised by four of 16 Chief Officers (25%)"): the count must equal the
  number of distinct respondents the sidecar records for the theme the sentence sits under (or
  names in quote marks), and a stated denominator must equal the sidecar's. A section-level count
  must equal the denominator or the number who answered. In hand-written drafts a count is
  `unchecked` (nothing records who said what) unless its sentence quotes one short phrase (at
  most 6 words) and calls it a phrase, words, term or wording, or says it was used or written:
  the respondents holding those words are then counted ("“hold your nerve” was a phrase used by
  at least three respondents"); a count that disagrees stays `unchecked`, as other wordings may
  be meant.
- Percentages beside a count ("eight (66%)", "Six respondents (37%)"): the denominator is the one
  stated ("of 16", or an earlier count with "of these"), else the first of the sidecar's
  denominator, the number who answered the section, and the number of survey respondents
  (`summariser.project.respondents`) that explains the percentage best. A percentage is right
  when it is the exact share rounded half up to its printed precision, the one rounding the
  report prints (`summariser.text.wording`: 6 of 16 is 38%, 10 of 16 is 63%); a WARNING when it
  truncates the share or is off by less than one point (8 of 12 printed as 66%, 6 of 16 as 37%,
  or a half rounded down to even, 10 of 16 as 62%); else a FAILURE.
- Quantifiers, for n of d respondents (from a count in the same sentence, or the sidecar theme):

      none, no one, nobody        n = 0
      all, every                  n = d
      almost all, nearly all      n >= 75% of d and n < d
      most, the (a) majority      n > 50% of d
      half                        n within one of d / 2
      a minority                  0 < n < 50% of d
      a couple                    n = 2
      a few                       2 <= n <= 4 and n < 50% of d
      several, a number of        n >= 3 and n < 50% of d

  A quantifier with no count to compare is `unchecked`.

Concentration (`ConcentrationCheck`): the share of a section's located quotes by each respondent;
a WARNING when one respondent has more than 40% of a section's quotes and the section has at
least 5 quotes (one voice dominating the evidence).

The checks live in `evaluate_quotes`, `evaluate_respondents` (citations, concentration) and
`evaluate_numbers`; their records in `evaluate_records`. This module runs them and re-exports
the records, so `from summariser.gate.run import ...` is the one place to import from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.gate.corpus import EvalCorpus
from summariser.gate.numbers import NumberChecks, percent_outcome, quantifier_holds
from summariser.gate.parse import parse_draft
from summariser.gate.parsed import ParsedDraft
from summariser.gate.quotes import CONTEXT_CHARS, check_quote
from summariser.gate.records import (
    CitationCheck,
    ConcentrationCheck,
    Context,
    EvalReport,
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
           "ConcentrationCheck", "Context", "EvalReport", "NumberCheck", "Outcome", "QuoteCheck",
           "evaluate", "evaluate_paths", "percent_outcome", "quantifier_holds"]


def evaluate(drafts: Sequence[ParsedDraft], index: CorpusIndex, manifest: Manifest,
             responses: Sequence[Response], ratings: Sequence[Rating] = ()) -> EvalReport:
    """Check parsed drafts against the corpus (the ratings count survey respondents who gave
    no text answer). Pure: reads nothing, writes nothing."""
    corpus = EvalCorpus(index, manifest, responses, ratings)
    quotes: list[QuoteCheck] = []
    citations: list[CitationCheck] = []
    numbers: list[NumberCheck] = []
    concentrations: list[ConcentrationCheck] = []
    notes: list[str] = []
    for draft in drafts:
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
        if not draft.quotes and not draft.claims:
            notes.append(f"{draft.path}: no quotes or numbers found to check")
    return EvalReport(tuple(d.path for d in drafts), tuple(quotes), tuple(citations),
                      tuple(numbers), tuple(concentrations), tuple(notes), manifest.title)


def evaluate_paths(paths: Iterable[Path | str], manifest: Manifest, store: Store) -> EvalReport:
    """Parse the draft files and check them against the store's corpus (for `eval` and `report`)."""
    from summariser.verify.cache import corpus_index

    drafts = [parse_draft(path, manifest) for path in paths]
    return evaluate(drafts, corpus_index(store), manifest, store.responses(), store.ratings())
