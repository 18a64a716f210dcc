"""The publication gate: check a draft's quotes, citations and numbers against the corpus.

`evaluate(drafts, index, manifest, responses, ratings)` is pure: it reads parsed drafts
(`summariser.gate.parse.parse_draft`) and returns an `EvalReport` of frozen checks, each with
an outcome: `pass`, `warning` (publishable, but a reviewer should look), `fail` (do not publish)
or `unchecked` (a claim the corpus cannot settle; listed so a person checks it, never a pass).
The report passes when nothing fails.

What is read (`summariser.gate.parse`): a Markdown draft as a reader sees it, rendered by
markdown-it-py; raw HTML other than comments, an image among a paragraph's words (a figure on its
own is fine) and struck-through text are refused (`MarkupCheck`, a failure: the gate cannot tell
what a reader sees past them), and code blocks are read as text. HTML (`summariser.gate.html`)
and Word files are read the same way: hidden, white, tiny (under 4 pt) or struck-through text
is refused, never read as if shown. A report is checked against the drafts named in its ledger,
kept beside it and inside it, so a renamed copy is checked too. Quotes are spans in double or
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
opened). A quote whose opening mark is never closed is read as the longest opening of the
marked text the corpus holds only when what that leaves out is the report's own prose: at most
`MAX_LEFT_OUT_WORDS` words after it and before the next, properly closed, quote; else it fails,
so words the corpus does not hold are never passed over. A closing mark never opened licenses
no dropped words: every word back to the start of its clause is read as quoted (no mark shows
where the quote starts), and the quote fails unless the corpus holds them all. A quote found
outside the section's sources fails. A full stop or comma printed inside the closing mark that
the source lacks is noted, not failed. In a corpus whose manifest declares a language the gate
has no negation words for (`summariser.text.negations`: English, French, German and Spanish
are known), a quote with an ellipsis fails: the gate cannot tell whether it leaves one out.

Citations (`CitationCheck`): every cited id must be a respondent (or response id) of the corpus,
a participant, and have answered one of the section's questions or sources.

Review (a `NumberCheck` of kind "review", always a WARNING): whatever the drafting run asked a
reviewer to look at in a tool draft's sidecar: a theme that counts (nearly) everyone, a passage
that reads as an instruction to a model, a section whose model draft could not be used.

Numbers (`NumberCheck`). A claim is a count ("four of 16 Chief Officers", "Six respondents
(37%)", "at least three respondents"), a percentage (beside a count, or "100% of respondents"),
an amount in words (the one vocabulary of `summariser.text.amounts`, which drafting and `ask
--answer` read too: "most", "all", "every one of", "everyone", "none", "no Chief Officer",
"unanimous", "a few", "many", "the vast majority", and fractions: "half", "a third", "two
thirds", "one in three", "more than half", "fewer than a third") or a statistic ("a mean of
8.6", "(mean 8.6)", "averaged 6.8", "median 7", "a mean of 5 and above", "the mean rating for
Financial pressures was 6.8").
Who a claim counts is, in this order:
1. in a tool draft's lead, the people no theme counts (`UNCODED_CLAIMS`, `SILENT_CLAIM`);
2. the theme its sentence names by title (or by the heading the analyst renamed it to), in
   prose, outside the words of its claims ("Raised by four of 16 Patients" names no theme
   "Patients": a theme may be titled with the respondent noun), from a tool sidecar;
3. the phrase its sentence names (`summariser.gate.mentions`): a short quoted phrase it counts,
   or the noun phrase after a verb of saying ("Four of 16 Chief Officers mentioned delayed
   discharge"): the respondents whose answers to the section use it, matched as drafting matches
   codebook phrases; the check names them ("R01, R07, R10, R16 mention “delayed discharge”");
4. the theme it sits under, from a tool sidecar: the theme whose heading it is under, by title,
   by the theme id drafting writes after the heading (`<!-- theme: t1 -->`), or, for a heading
   the analyst renamed and whose comment is gone, by its quotes (all of them one theme's coded
   quotes); such a heading names that theme in the rest of the file too (a report's executive
   summary);
5. for a count followed by a verb of answering ("Twelve Chief Officers completed this
   question"), who answered the section's questions, in words or on a scale;
6. an option of one of the section's choice questions (or the top two) that the sentence names
   ("Satisfied or Very satisfied: 8 of 12"): who chose it, of those who answered the question;
7. nobody the gate can tell.
A tool theme counts the respondents whose coded evidence the gate finds
(`summariser.gate.evidence`): a segment at its offsets, word for word, in that respondent's own
answer to one of the section's questions or sources, holding its phrase when it was coded by
one. The count must equal the number of such respondents ("R01, R07, R10, R16 have coded
evidence for theme …"); a counted respondent without it fails the count.
- Counts: equal to the people found (or bounded: "at least", "more than", "fewer than", "up
  to"); a stated denominator must equal the sidecar's, unless the sentence names a subgroup a
  breakdown shows ("large") with as many people who answered: then the count is of the people
  found among them ("three of the five Chief Officers of large partnerships"). A count equal
  to the manifest's
  `invited` in a sentence saying who was sent or asked passes, as does "fewer than `min_cell`"
  in a sentence about what is suppressed. A count beside a percentage is checked too: the
  percentage passing says nothing about the count. A count tied to nobody is `unchecked`.
- Percentages: the denominator is the one stated ("of 16", or an earlier count with "of these"),
  for an option those who answered its question, else the first of the sidecar's denominator,
  the number who answered the section, and the number of survey respondents
  (`summariser.project.respondents`) that explains the percentage best. A percentage is right
  when it is the exact share rounded half up to its printed precision, the one rounding the
  report prints (`summariser.text.wording`: 6 of 16 is 38%, 10 of 16 is 63%); a WARNING when
  it truncates the share or is off by less than one point (8 of 12 printed as 66%, 6 of 16 as
  37%, or a half rounded down to even, 10 of 16 as 62%); else a FAILURE. A percentage with no
  count beside it is of the people found as above; when nobody is found, it FAILS: a share of
  people that no evidence supports.
- Amounts, for n of d respondents (n from a count in the same sentence, else the people found
  as above; d the first denominator), mean what `summariser.text.amounts` says ("most": n > 50%
  of d; a fraction: n within one of that share of d). "Not all" and "not everyone" are not
  read. A universal claim ("all", "every one", "everyone", "unanimous", "none", "nobody") that
  no evidence supports FAILS, even beside a count; "nobody mentioned X" passes when no answer
  in the section uses X. Any other amount with nothing to compare is `unchecked`.
- Statistics: a mean or median is of the rating question whose label the sentence names
  nearest before it in its clause (else after it, when no other statistic follows), else of
  the section's one rating question, computed from each person's rating as the statistics are
  (`summariser.project.closed`), and must equal it at its printed precision, rounded half up
  (a truncation is a WARNING); "5 and above" with no question named is checked against every
  rating of the section. One the gate cannot tie to a question is `unchecked`.
- Tables (`summariser.gate.tables`): a statistics table's rows are read as the sentences they
  state and checked as above, whether it has an item a row (`| Item | n | Mean |`) or is turned
  on its side (`| | Financial pressures | ... |` / `| Mean | 8.6 | ... |`). A breakdown by a
  respondent attribute (`| Item | Figure | Large | Medium | Small |`, a row `| Financial
  pressures | mean rating | suppressed | 8.7 (n=7) | suppressed |`) states, for each group, a
  mean or median rating, or the share who chose some options of a choice question ("% Satisfied
  or Very satisfied", "60.0% (n=5)"), and how many it is of (`summariser.gate.groups`): the
  figure is computed from the answers of the group's respondents who answered the question, as
  the report computes it, and must equal it at its printed precision, rounded half up (a
  truncation is a WARNING); its n must be their number. "Suppressed" states no figure. A group
  the corpus holds no respondents' attributes for is `unchecked`. The number its note gives of
  those who answered a question but gave no value of the attribute ("Financial pressures: the
  three who answered but gave no size are in no column.", `summariser.gate.ungrouped`) must be
  their number; one of a label that names no rating or choice question, or of an attribute the
  corpus does not hold, is `unchecked`.
Unchecked numbers are listed for a person to check; `summariser report` publishes one only when
`--allow-unchecked` names it.

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
from summariser.records import Attribute, Rating, Response

if TYPE_CHECKING:
    from summariser.index.store import Store
    from summariser.verify import CorpusIndex

__all__ = ["CONCENTRATION_MIN_QUOTES", "CONCENTRATION_SHARE", "CONTEXT_CHARS", "CitationCheck",
           "ConcentrationCheck", "Context", "EvalReport", "MarkupCheck", "NumberCheck", "Outcome",
           "QuoteCheck", "evaluate", "evaluate_paths", "known_ids", "percent_outcome",
           "quantifier_holds"]


def evaluate(drafts: Sequence[ParsedDraft], index: CorpusIndex, manifest: Manifest,
             responses: Sequence[Response], ratings: Sequence[Rating] = (),
             attributes: Sequence[Attribute] = ()) -> EvalReport:
    """Check parsed drafts against the corpus (the ratings count survey respondents who gave
    no text answer; the attributes say who is in each subgroup). Pure: reads nothing, writes
    nothing."""
    corpus = EvalCorpus(index, manifest, responses, ratings, attributes)
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
    return evaluate(drafts, corpus_index(store, manifest.privacy.mask), manifest, responses,
                    store.ratings(), store.attributes())
