"""Drafting a section: a codebook is proposed (or given), every segment is coded against it,
and code counts respondents and verifies quotes.

The rules here are enforced by code, whatever the backend says:
- a theme's count is the number of distinct counted respondents with at least one segment of
  their own words coded to it (`summariser.draft.coding`), and the draft keeps that evidence;
  the denominator is the number who answered the section's questions;
- answers coded to no theme are listed, never folded into a catch-all theme;
- every quote is one of the theme's coded segments, verified against its response; a proposed
  theme that fewer than `min_support` people are coded to is left out and noted;
- at most one quote per respondent per theme, and at most three quotes (plus one from an
  interview or document) per theme;
- only participants' words are evidence (interviewer turns never reach a backend);
- a passage that reads as an instruction to a model is never coded: it is listed for review
  (`SectionDraft.review`, kind "instruction"), and so is a theme nearly everyone is counted in
  (kind "consensus": `CONSENSUS_SHARE` of the denominator or more), which is held back from the
  published themes (`SectionDraft.held`) until the analyst accepts it in the codebook;
- a model's proposal that could not be used leaves the offline draft, which says so
  (`SectionDraft.fallback`), and answers a model did not place are reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from summariser.draft.candidates import SectionWords, min_support
from summariser.draft.claims import title_problem
from summariser.draft.codebook import Codebook, CodebookTheme, as_written
from summariser.draft.coding import ASSIGNED_FLOOR, CodedSegment, Coding, code
from summariser.draft.naming import evidence_title
from summariser.draft.phrases import FUNCTION_WORDS, lemmas, tokens
from summariser.draft.propose import non_answers, theme_budget
from summariser.draft.quoting import MAX_QUOTE_WORDS, theme_quotes, verified_quote
from summariser.draft.records import (
    EvidenceRef,
    Failure,
    QuoteRef,
    ReviewItem,
    SectionDraft,
    Theme,
)
from summariser.draft.screening import instruction_in
from summariser.engines import LOCAL, Engine
from summariser.index.embedders import Embed
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence
from summariser.text.wording import (
    LARGEST_IN_WORDS,
    count_text,
    number_word,
    opening,
    percent_text,
)

if TYPE_CHECKING:
    from summariser.verify import CorpusIndex

# Not fitted (benchmarks/README.md, "Thresholds"): a reviewer's cheap look (consensus), and the
# example corpus's interviews (HEARD_SIMILARITY, MIN_HEARD_WORDS); no held-back figure measures
# them.
CONSENSUS_SHARE = 0.85  # a theme counting this share of the denominator is marked for review
CONSENSUS_MIN = 5  # ... in a section of at least this many
# An interview or document passage quoted for the section as a whole: at least this close to
# the section's description (cosine similarity), and long enough to say something.
HEARD_SIMILARITY = 0.35
# What the lead paragraph says of the people no theme counts (the gate reads these claims), by
# how many themes it reports: none, one, more.
UNCODED_CLAIMS = ("said something no theme covers", "said something this theme does not cover",
                  "said something these themes do not cover")
SILENT_CLAIM = "gave no substantive answer"
MIN_HEARD_WORDS = 8


@dataclass(frozen=True, slots=True)
class Proposal:
    """A backend's proposal for a section: the themes of a codebook and, from a model, the
    passages it assigned to each theme (by theme id, then passage id).

    `unplaced`: counted passages a model drafting the section placed in no theme, even when
    asked again (they are coded offline like any other, and reported). `fallback`: why a
    model's proposal could not be used, when these themes are the offline ones instead.
    `renamed`: the offline title of each theme a model titled, which stands when the model's
    title is not supported by the evidence coded to it (see `_grounded_titles`; "" when there
    is none: the theme is then left out). `assigned_floor`: the similarity a passage in
    `assignments` needs to be coded to its theme (summariser.draft.coding)."""

    themes: tuple[CodebookTheme, ...]
    assignments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    unplaced: tuple[str, ...] = ()
    fallback: str = ""
    renamed: dict[str, str] = field(default_factory=dict)  # theme id: its offline title
    assigned_floor: float = ASSIGNED_FLOOR


@dataclass(frozen=True, slots=True)
class ProposedAnswer:
    """A backend's answer to a question over the passages put before it (`ask --answer`)."""

    text: str
    relevant: tuple[Passage, ...]  # the passages that speak to the question: they are counted
    quotes: tuple[tuple[Passage | None, str], ...]  # (passage, excerpt); None: an unknown id


class Backend(Protocol):
    """What drafting needs from a backend: a codebook for a section, one retry for a quote, and
    an answer to a question."""

    name: str
    model: str

    def propose(self, section: Section, evidence: Evidence, budget: int,
                context: str = "") -> Proposal: ...

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None: ...

    def answer_question(self, question: str, passages: Sequence[Passage], denominator: int,
                        noun: tuple[str, str], max_quotes: int) -> ProposedAnswer:
        """`passages` come best first; at most `max_quotes` quotes are used."""
        ...


def _screened(evidence: Evidence) -> Evidence:
    """The evidence without passages that read as instructions to a model (the denominator is
    unchanged: their authors were asked)."""
    counted = [i for i, p in enumerate(evidence.counted) if not instruction_in(p.text)]
    supporting = [i for i, p in enumerate(evidence.supporting) if not instruction_in(p.text)]
    if len(counted) == len(evidence.counted) and len(supporting) == len(evidence.supporting):
        return evidence
    return replace(
        evidence, counted=tuple(evidence.counted[i] for i in counted),
        counted_vectors=evidence.counted_vectors[counted] if counted else
        evidence.counted_vectors[:0],
        supporting=tuple(evidence.supporting[i] for i in supporting),
        supporting_vectors=evidence.supporting_vectors[supporting] if supporting else
        evidence.supporting_vectors[:0])


# A model's title stands only when at least this share of the people coded to its theme use one
# of its words (or a form of one) in their coded answers: the title is then about what they said,
# not only near it. Half: a title may name an idea some put in other words.
TITLE_SUPPORT = 0.5


def _grounded_titles(coding: Coding, codebook: Codebook, renamed: dict[str, str],
                     evidence: Evidence, notes: list[str], context: str,
                     noun: tuple[str, str]) -> tuple[Coding, Codebook]:
    """Each model title checked against the evidence coded to its theme (see TITLE_SUPPORT)
    and for claims the gate cannot check (summariser.draft.claims); one that fails is replaced
    by the offline title (for a theme the model found itself, "" in `renamed`: the title
    offline drafting gives its coded evidence), and listed."""
    who = evidence.ids()
    counted = {p.passage_id for p in evidence.counted}
    titles: dict[str, str] = {}

    @cache
    def section_words() -> SectionWords:
        quiet = non_answers(evidence.counted, context)
        rows = [i for i, p in enumerate(evidence.counted) if p.response_id not in quiet]
        return SectionWords([evidence.counted[i] for i in rows], evidence.counted_vectors[rows],
                            context, noun, embed=evidence.embed, masked=evidence.masked)

    for theme_coding in coding.themes:
        theme = theme_coding.theme
        if theme.id not in renamed or renamed[theme.id] == theme.title:
            continue
        words = {lemma for w in tokens(theme.title) if w not in FUNCTION_WORDS
                 for lemma in lemmas(w)}
        people: dict[str, bool] = {}
        for segment in theme_coding.segments:
            if segment.passage.passage_id in counted:
                uses = any(lemmas(w) & words for w in tokens(segment.passage.text))
                people[segment.passage.respondent] = people.get(
                    segment.passage.respondent, False) or uses
        problem = title_problem(theme.title, who)
        if problem is None and people and sum(people.values()) < TITLE_SUPPORT * len(people):
            problem = (f"{sum(people.values())} of the {len(people)} people coded to it use "
                       "its words")
        if problem:
            titles[theme.id] = renamed[theme.id] or evidence_title(section_words(), {
                s.passage.passage_id for s in theme_coding.segments})
            notes.append(f"The model's title '{theme.title}' was not used ({problem}); the "
                         f"offline title '{titles[theme.id]}' stands." if titles[theme.id] else
                         f"The model's title '{theme.title}' was not used ({problem}) and no "
                         "phrase its evidence shares names it; the theme was left out.")
    if not titles:
        return coding, codebook
    # A theme the model found itself may have no offline title: without one it is left out.
    retitled = [replace(t, title=titles.get(t.id, t.title)) for t in codebook.themes
                if titles.get(t.id) != ""]
    by_id = {t.id: t for t in retitled}
    return (replace(coding, themes=tuple(replace(c, theme=by_id[c.theme.id])
                                         for c in coding.themes if c.theme.id in by_id)),
            replace(codebook, themes=tuple(retitled)))


def draft_section(section: Section, evidence: Evidence, backend: Backend, index: CorpusIndex,
                  noun: tuple[str, str], embed: Embed, codebook: Codebook | None = None,
                  origin: str = "proposed", budget: int | None = None, context: str = "",
                  run_id: str = "", engine: Engine = LOCAL) -> tuple[SectionDraft, Codebook]:
    """The section's draft and the codebook it was coded against.

    With no `codebook`, the backend proposes one; `origin` says where a given one came from
    ("frame" for the manifest's, "analyst" for an edited file). `context` is the text of the
    section's questions (its words name no theme). The segments are coded on `engine`."""
    notes: list[str] = []
    assignments: dict[str, tuple[str, ...]] = {}
    renamed: dict[str, str] = {}
    fallback = ""
    floor = ASSIGNED_FLOOR
    if codebook is None:
        # Screened first: an instruction-like passage shapes no theme, offline or not, and no
        # model reads it.
        proposal = backend.propose(section, _screened(evidence),
                                   section_budget(evidence, budget), context)
        # Coded as the file will hold it, so coding the written codebook again gives the same
        # counts (the file keeps an example once: three copies once weighed it thrice).
        codebook = Codebook(section.id, tuple(as_written(t) for t in proposal.themes))
        assignments, origin = proposal.assignments, "proposed"
        notes += proposal.notes
        fallback = proposal.fallback
        renamed = proposal.renamed
        floor = proposal.assigned_floor
        if proposal.unplaced:
            unplaced = {p.response_id for p in evidence.counted
                        if p.passage_id in set(proposal.unplaced)}
            notes.append(f"{len(unplaced)} answer(s) not placed by the model, even when asked "
                         "again; they were coded offline (by phrase and meaning).")
    passages = list(evidence.counted) + list(evidence.supporting)
    instructions = [(p, hit) for p in passages if (hit := instruction_in(p.text))]
    review = [ReviewItem("instruction", "", p.response_id, p.respondent, p.text,
                         f"reads as an instruction to a model ('{hit}'); not counted")
              for p, hit in instructions if p.response_id not in codebook.reviewed]
    if review:
        notes.append(f"{len(review)} passage(s) read as instructions to a model and were not "
                     "counted; a reviewer should read them (review in the JSON sidecar) and "
                     "may add their response ids to `reviewed` in the codebook.")
    if len(review) < len(instructions):
        notes.append(f"{len(instructions) - len(review)} passage(s) that read as instructions "
                     "to a model were coded: the codebook marks them reviewed.")
    flagged = {(r.response_id, r.text) for r in review}
    # "Don't know", "Nothing really": counted as non-answers, never coded to a theme.
    quiet = non_answers(evidence.counted, context)
    keep = [i for i, p in enumerate(passages) if (p.response_id, p.text) not in flagged
            and p.response_id not in quiet]
    passages = [passages[i] for i in keep]
    vectors = _stack(evidence)[keep] if keep else np.zeros((0, 1), dtype=np.float32)
    counted_ids = {p.passage_id for p in evidence.counted}
    people = {p.respondent for p in evidence.counted}
    least = min_support(len(people))
    too_small: list[str] = []
    rejected = 0  # a model's assignments too far from their theme, on the first coding
    while True:
        coding = code(codebook, passages, vectors, embed, assignments, engine, floor) \
            if passages else Coding(tuple(), ())
        rejected = rejected or len(coding.rejected)
        if renamed:  # once: the titles stand or fall on the first coding, then it is coded
            # again as the codebook will be written, with the titles that stood
            coding, codebook = _grounded_titles(coding, codebook, renamed, evidence, notes,
                                                context, noun)
            renamed = {}
            continue
        small = {t.theme.id for t in coding.themes if origin == "proposed" and len(
            {s.passage.respondent for s in t.segments
             if s.passage.passage_id in counted_ids}) < least}
        if not small:
            break
        # A proposed theme too few are coded to is left out of the codebook, and the rest are
        # coded again without it: coding the written codebook again gives the same counts.
        too_small += [t.title for t in codebook.themes if t.id in small]
        codebook = replace(codebook, themes=tuple(t for t in codebook.themes
                                                  if t.id not in small))
    themes: list[Theme] = []
    quoted: set[str] = set()  # passage ids quoted so far: a quote is repeated only for want
    held: list[Theme] = []  # marked for review and not yet accepted: not published
    failures: list[Failure] = []
    for theme_coding in coding.themes:
        own = [s for s in theme_coding.segments if s.passage.passage_id in counted_ids]
        other = [s for s in theme_coding.segments if s.passage.passage_id not in counted_ids]
        who = sorted({s.passage.respondent for s in own})
        quotes, failed = theme_quotes(section.id, theme_coding.theme.title, own, other, index,
                                 backend, quoted)
        failures += failed
        theme = Theme(
            title=theme_coding.theme.title, summary=theme_coding.theme.description,
            respondents=tuple(who), quotes=tuple(quotes), id=theme_coding.theme.id,
            evidence=tuple(_evidence(s) for s in own),
            supporting=tuple(_evidence(s) for s in other))
        counts = f"'{theme.title}' counts {len(who)} of {evidence.denominator}"
        if not (evidence.denominator >= CONSENSUS_MIN
                and len(who) >= CONSENSUS_SHARE * evidence.denominator):
            themes.append(theme)
        elif theme_coding.theme.accepted:
            notes.append(f"{counts}; the codebook marks it accepted.")
            themes.append(theme)
        else:
            review.append(ReviewItem("consensus", theme.id, "", "", "", (
                f"{counts}: check that each one's evidence speaks to it; it is left out of the "
                "report until accepted (accepted = true on it in the codebook, or Accept in "
                "'summariser review')")))
            held.append(theme)
    order = {t.id: n for n, t in enumerate(codebook.themes)}
    themes.sort(key=lambda t: (-len(t.respondents), order[t.id]))
    coded = {e.response_id for t in themes + held for e in t.evidence}
    uncoded = sorted({p.response_id for p in evidence.counted} - coded - quiet)
    if too_small:
        notes.append(f"Proposed theme(s) coded for fewer than {least} {noun[1]} were left out: "
                     + "; ".join(too_small) + ".")
    source_of = {p.response_id: p.source for p in passages}
    contributed = {source_of[e.response_id] for t in themes for e in t.evidence + t.supporting}
    heard = _from_sources(section, passages, vectors, contributed, embed, index, backend)
    failures += [f for _, f in heard if f]
    heard_quotes = tuple(q for q, _ in heard if q)
    quoted_sources = {source_of[q.response_id] for q in heard_quotes}
    for source in section.sources:
        if source not in contributed and source not in quoted_sources:
            notes.append(f"Source {source} gave nothing close to this section; it is not "
                         "quoted here.")
    if rejected:
        notes.append(f"{rejected} passage(s) the model assigned to a theme were too "
                     "far from it in meaning and were not counted.")
    people_of = {p.response_id: p.respondent for p in evidence.counted}
    counted = {e.respondent for t in themes for e in t.evidence}
    # Who only a held theme counts said something the published themes do not cover.
    left_out = ({people_of[r] for r in uncoded} | {e.respondent for t in held
                                                   for e in t.evidence}) - counted
    silent = {people_of[r] for r in quiet} - counted - left_out
    return SectionDraft(
        section_id=section.id, number=section.number, title=section.title,
        lead=lead_paragraph(themes, len(left_out), len(silent), evidence.denominator, noun,
                            len(held)),
        themes=tuple(themes), denominator=evidence.denominator, non_answers=tuple(sorted(quiet)),
        respondent_noun=noun, questions=section.questions, backend=backend.name,
        model=backend.model, run_id=run_id, failures=tuple(failures), notes=tuple(notes),
        uncoded=tuple(uncoded), codebook=origin, heard=heard_quotes, fallback=fallback,
        review=tuple(review), held=tuple(held)), codebook


def section_budget(evidence: Evidence, budget: int | None = None) -> int:
    """How many themes may be proposed: the manifest's `budget`, else scaled to the answers."""
    return budget or theme_budget(len({p.response_id for p in evidence.counted}))


def _from_sources(section: Section, passages: list[Passage], vectors: np.ndarray,
                  contributed: set[str], embed: Embed, index: CorpusIndex, backend: Backend
                  ) -> list[tuple[QuoteRef | None, Failure | None]]:
    """For each interview or document the section names that no theme quotes or counts, its
    passage closest to what the section covers, when it is close enough to be worth reading."""
    waiting = [s for s in section.sources if s not in contributed]
    if not waiting or not passages:
        return []
    query = np.asarray(embed([section.description]), dtype=np.float32)[0]
    closeness = vectors @ (query / max(float(np.linalg.norm(query)), 1e-12))
    found = []
    for source in waiting:
        mine = [i for i, p in enumerate(passages) if p.source == source
                and len(p.text.split()) >= MIN_HEARD_WORDS
                and len(p.text.split()) <= MAX_QUOTE_WORDS]
        best = max(mine, key=lambda i: (float(closeness[i]), -i), default=None)
        if best is not None and closeness[best] >= HEARD_SIMILARITY:
            found.append(verified_quote(section.id, "from the sources", passages[best].text,
                                        passages[best], index, backend))
    return found


def _stack(evidence: Evidence) -> np.ndarray:
    parts = [v for v, ps in ((evidence.counted_vectors, evidence.counted),
                             (evidence.supporting_vectors, evidence.supporting)) if ps]
    return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def _evidence(segment: CodedSegment) -> EvidenceRef:
    p = segment.passage
    return EvidenceRef(respondent=p.respondent, response_id=p.response_id, start=p.start,
                       end=p.end, text=p.text, via=segment.via,
                       similarity=round(segment.similarity, 3), phrase=segment.phrase)


def lead_paragraph(themes: Sequence[Theme], uncoded: int = 0, silent: int = 0,
                   denominator: int = 0, noun: tuple[str, str] = ("respondent", "respondents"),
                   held: int = 0) -> str:
    """The section's opening: how many themes, and how many people none of them counts (those
    who said something no theme covers, and those who gave no substantive answer), so nothing is
    left out silently. It states no number the gate cannot check against the sidecar."""
    if not themes and not (uncoded or silent or held):
        return ""  # no answer in words at all (a section of a rating or a choice): nothing to say
    if not themes:  # a theme held back for review is coded, but not reported
        text = "No theme is reported for these answers." if held else \
            "No theme was coded in these answers."
    elif len(themes) == 1:
        text = "One theme was identified."
    elif len(themes) <= LARGEST_IN_WORDS:  # most common first, as the methods say once
        text = f"{number_word(len(themes)).capitalize()} themes were identified."
    else:  # a sentence never opens with digits
        text = f"The {number_word(len(themes))} themes identified are listed below."
    if uncoded:
        text += f" {opening(count_text(uncoded, denominator, noun))} " \
                f"{UNCODED_CLAIMS[min(len(themes), 2)]}."
    if silent:  # after those no theme covers, "a further ...": not a second "In all, 12"
        count = (opening(count_text(silent, denominator, noun)) if not uncoded else
                 f"A further {number_word(silent)} ({percent_text(silent, denominator)})")
        text += f" {count} {SILENT_CLAIM}."
    return text
