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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from summariser.draft.candidates import SectionWords, min_support
from summariser.draft.claims import title_problem
from summariser.draft.codebook import Codebook, CodebookTheme, parse_codebook, render_codebook
from summariser.draft.coding import ASSIGNED_FLOOR, CodedSegment, Coding, code
from summariser.draft.naming import evidence_title
from summariser.draft.phrases import FUNCTION_WORDS, addressed_to, lemmas, tokens
from summariser.draft.propose import non_answers, theme_budget
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
from summariser.text.sentences import halts, leans_on_before, sentence_spans
from summariser.text.wording import (
    LARGEST_IN_WORDS,
    count_text,
    number_word,
    opening,
    percent_text,
)

if TYPE_CHECKING:
    from summariser.verify import CorpusIndex, Span, Verification

# Not fitted (benchmarks/README.md, "Thresholds"): the published report's style (quotes per
# theme, their length), a reviewer's cheap look (consensus), and the example corpus's interviews
# (HEARD_SIMILARITY, MIN_HEARD_WORDS); no held-back figure measures them.
MAX_QUOTES_PER_THEME = 3
MAX_SUPPORTING_QUOTES = 1
MAX_QUOTE_WORDS = 60
MIN_TELLING_WORDS = 3  # a shorter quote ("Toilets!!") is shown only when no longer one is left
CONSENSUS_SHARE = 0.85  # a theme counting this share of the denominator is marked for review
CONSENSUS_MIN = 5  # ... in a section of at least this many
REVISION_SIMILARITY = 60  # a revised quote must be this close (0-100) to the one it corrects
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
                            context, noun, embed=evidence.embed)

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
        codebook = parse_codebook(render_codebook(Codebook(section.id, proposal.themes),
                                                  section.heading), section.id)
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
    while True:
        coding = code(codebook, passages, vectors, embed, assignments, engine, floor) \
            if passages else Coding(tuple(), ())
        if renamed:  # once: the titles stand or fall on the first coding
            coding, codebook = _grounded_titles(coding, codebook, renamed, evidence, notes,
                                                context, noun)
            renamed = {}
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
        quotes, failed = _quotes(section.id, theme_coding.theme.title, own, other, index,
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
    if coding.rejected:
        notes.append(f"{len(coding.rejected)} passage(s) the model assigned to a theme were too "
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


_CLAUSE_END = re.compile(r"[.!?…;:][\"'”’)\]]*$")
_SENTENCE_BREAK = re.compile(r"(?:[.!?:;…][\"'”’)\]]*|\n)\s*$")


def whole_thought(passage: Passage, index: CorpusIndex) -> str:
    """The passage as a quote that reads as a whole thought: where it goes on from the sentence
    before it ("As a result, we've been able to ..."), with that sentence, if the two are short
    enough to quote; where it is a clause cut from a longer sentence, an ellipsis marks each cut
    ("…utilisation of the fund…"). The @handles it opens with are cut too ("@united delayed 8
    hours" is quoted "…delayed 8 hours"): who an answer is addressed to is not what it says, and
    a handle can name a person."""
    response = index.response(passage.response_id)
    if response is None:
        return passage.text
    cut = addressed_to(passage.text)
    text = passage.text[cut:]
    start = passage.start + cut
    if leans_on_before(text):  # "As a result, ...": with the sentence it goes on from
        previous = [s for s, e in sentence_spans(response.text) if e <= passage.start]
        if previous and len(response.text[previous[-1]:passage.end].split()) <= MAX_QUOTE_WORDS:
            start = previous[-1] + addressed_to(response.text[previous[-1]:passage.end])
            text = response.text[start:passage.end]
    before = response.text[:start]
    if before.strip() and not _SENTENCE_BREAK.search(before):
        text = "…" + text
    # A line break ends a sentence in an answer (summariser.text.sentences): no cut to mark.
    if response.text[passage.end:].split("\n", 1)[0].strip() \
            and not _CLAUSE_END.search(passage.text):
        text = text.rstrip(",") + "…"
    return text


def _stack(evidence: Evidence) -> np.ndarray:
    parts = [v for v, ps in ((evidence.counted_vectors, evidence.counted),
                             (evidence.supporting_vectors, evidence.supporting)) if ps]
    return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def _evidence(segment: CodedSegment) -> EvidenceRef:
    p = segment.passage
    return EvidenceRef(respondent=p.respondent, response_id=p.response_id, start=p.start,
                       end=p.end, text=p.text, via=segment.via,
                       similarity=round(segment.similarity, 3), phrase=segment.phrase)


def _quotes(section_id: str, title: str, own: list[CodedSegment], other: list[CodedSegment],
            index: CorpusIndex, backend: Backend, quoted: set[str] | None = None
            ) -> tuple[list[QuoteRef], list[Failure]]:
    """Up to three of the theme's own coded segments (the closest to its meaning, one per
    respondent and none repeating another word for word, a phrase match first; one another theme
    already quotes, a word or two, or speech that halts ("Um, it's, it's the staffing") only
    when the theme has no other to show), and one interview or document segment. `quoted`
    (passage ids) grows with them."""
    quotes: list[QuoteRef] = []
    failures: list[Failure] = []
    quoted = set() if quoted is None else quoted
    for pool, most in ((own, MAX_QUOTES_PER_THEME), (other, MAX_SUPPORTING_QUOTES)):
        taken = 0
        speakers: set[str] = set()
        said: set[str] = set()  # what the theme's quotes say, folded: each says it once
        # A bare "No." shows a side, and a word or two ("Toilets!!") only what the theme is
        # called: each is quoted only when nothing longer is left.
        for segment in sorted(pool, key=lambda s: (s.passage.passage_id in quoted,
                                                   s.via == "stated",
                                                   len(s.passage.text.split())
                                                   < MIN_TELLING_WORDS,
                                                   halts(s.passage.text),
                                                   -(s.similarity + 0.05 * (s.via == "phrase")),
                                                   s.passage.passage_id)):
            passage = segment.passage
            if taken == most:
                break
            folded = " ".join(re.findall(r"\w+", passage.text.casefold()))
            if passage.respondent in speakers or len(passage.text.split()) > MAX_QUOTE_WORDS \
                    or (taken and passage.passage_id in quoted) \
                    or folded in said:  # printed twice in a section, or said by a quote already
                continue
            quote, failure = verified_quote(section_id, title, whole_thought(passage, index),
                                            passage, index, backend)
            if quote is not None and quote.response_id != passage.response_id:
                # the words are found as someone else's: under this theme, whose coded
                # passage it is not, the gate would refuse it
                failure = Failure(title, quote.text, passage.response_id,
                                  f"found as {quote.respondent}'s words, not as the coded "
                                  "passage's: not quoted")
            if failure:
                failures.append(failure)
                continue
            quotes.append(quote)  # type: ignore[arg-type]  # no failure: a quote
            said.add(folded)
            quoted.add(passage.passage_id)
            speakers.add(passage.respondent)
            taken += 1
    return quotes, failures


def verified_quote(section_id: str, theme: str, text: str, passage: Passage,
                   index: CorpusIndex, backend: Backend) -> tuple[QuoteRef | None, Failure | None]:
    """Verify a proposed excerpt of `passage`.

    Words found in another response are attributed to whoever said them (the verifier's
    finding), never swapped for something the cited person said. Words found nowhere are asked
    for once more through the backend; the correction must be close to the quote it corrects
    (`REVISION_SIMILARITY`), or it is a different quote and is refused."""
    from rapidfuzz import fuzz

    from summariser.verify import Status, strip_quote_marks

    text = strip_quote_marks(text.strip())
    result = _check(index, text, passage)
    if result.status is Status.MISATTRIBUTED and result.span is not None:
        result = index.verify(text, response_id=result.span.response_id)
    elif not result.passed:
        revised = backend.revise_quote(section_id, passage, text, result.reason)
        revised = strip_quote_marks(revised.strip()) if revised else ""
        if revised and fuzz.partial_ratio(revised.lower(), text.lower()) >= REVISION_SIMILARITY:
            text = revised
            result = _check(index, text, passage)
        elif revised:
            return None, Failure(theme, text, passage.response_id,
                                 f"{result.reason}; the retry gave a different quote "
                                 f"(“{revised[:80]}”), which was refused")
    if not result.passed:
        return None, Failure(theme, text, passage.response_id, result.reason)
    span: Span = result.span  # type: ignore[assignment]  # a passed check has its span
    # Publish the respondent's own characters when only case, quote marks or spacing differed.
    published = span.text if result.status == "normalized" else text
    return QuoteRef(text=published, response_id=span.response_id, respondent=span.respondent,
                    question=span.question, source_file=span.source_file, start=span.start,
                    end=span.end, status=str(result.status)), None


def _check(index: CorpusIndex, text: str, passage: Passage) -> Verification:
    from summariser.verify import Status, Verification

    if len(text.split()) > MAX_QUOTE_WORDS:
        return Verification(text, Status.NOT_FOUND, f"A quote must be a short excerpt of at most "
                                                    f"{MAX_QUOTE_WORDS} words.")
    return index.verify(text, response_id=passage.response_id)


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
