"""Drafted report sections: records, their JSON sidecar, and their Markdown.

`drafts/<section>.json` is the machine-readable truth (themes, every counted respondent's coded
evidence with offsets, quotes with offsets, uncoded answers, failures, run id), in the versioned
file format of `summariser.draft.sidecar`, to and from which these records convert;
`drafts/<section>.md` is what an analyst reads and edits. A theme's count is the number of
respondents with coded evidence, never a model's number or a cluster's size.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from summariser.document.markdown import to_markdown
from summariser.document.model import Block, Comment, Heading, Paragraph, Quote, runs
from summariser.draft.files import FileState, SectionFiles, sha256_of, staged
from summariser.draft.sidecar import (
    FORMAT,
    SCHEMA_VERSION,
    SectionDraftFile,
    SidecarEvidence,
    SidecarQuote,
    SidecarTheme,
    evidence_digest,
    read_sidecar,
)
from summariser.errors import DraftError
from summariser.text.controls import bidi_closed
from summariser.text.wording import count_text, half_up

EXTRACTIVE_NOTE = ("Extractive draft: themes were proposed from what recurs in the answers, in "
                   "shared words or in other words alike in meaning, and a theme counts whoever's "
                   "own words were coded to it. No language model wrote this text.")
# The notes earlier versions wrote: a report leaves them out of an older draft too.
EXTRACTIVE_NOTES = (EXTRACTIVE_NOTE, "Extractive draft: themes were proposed from phrases that "
                    "recur in the answers, and a theme counts whoever's own words were coded to "
                    "it. No language model wrote this text.")


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A published excerpt and where it stands in the corpus (offsets into Response.text)."""

    text: str
    response_id: str
    respondent: str
    question: str
    source_file: str
    start: int
    end: int
    status: str  # the verifier's status when the draft was made


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A segment of a respondent's own words coded to a theme (offsets into Response.text)."""

    respondent: str
    response_id: str
    start: int
    end: int
    text: str
    via: str  # "phrase", "meaning", "stated", "model" or "analyst": how coded (draft.coding)
    similarity: float  # to the theme's meaning
    phrase: str | None = None  # the codebook phrase it uses


@dataclass(frozen=True, slots=True)
class Theme:
    title: str
    summary: str  # one sentence: what the theme covers
    respondents: tuple[str, ...]  # the counted: each has evidence below
    quotes: tuple[QuoteRef, ...] = ()
    id: str = ""  # the codebook theme it codes
    evidence: tuple[EvidenceRef, ...] = ()  # every counted respondent's coded segments
    supporting: tuple[EvidenceRef, ...] = ()  # coded interview and document segments (uncounted)


@dataclass(frozen=True, slots=True)
class Failure:
    """A quote that did not verify and so was not published."""

    theme: str
    quote: str
    response_id: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """Something a reviewer must look at before the section is published.

    kind "instruction": a passage that reads as an instruction to a model (never counted);
    kind "consensus": a theme that counts (nearly) everyone (`theme` is its id)."""

    kind: str
    theme: str
    response_id: str
    respondent: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class SectionDraft:
    section_id: str
    number: str
    title: str
    lead: str
    themes: tuple[Theme, ...]
    denominator: int  # respondents who answered the section's questions
    respondent_noun: tuple[str, str]
    questions: tuple[str, ...]
    backend: str
    model: str = ""
    run_id: str = ""
    failures: tuple[Failure, ...] = ()
    notes: tuple[str, ...] = field(default=())
    uncoded: tuple[str, ...] = ()  # response ids of answers coded to no theme
    codebook: str = ""  # "proposed" (by the backend), "frame" (the manifest) or "analyst"
    heard: tuple[QuoteRef, ...] = ()  # interviews and documents quoted for the whole section
    answers: tuple[QuoteRef, ...] = ()  # every answer in full, for a section that prints them
    fallback: str = ""  # why a model's proposal was not used and this is the offline draft
    review: tuple[ReviewItem, ...] = ()  # what a reviewer must look at (see ReviewItem)
    non_answers: tuple[str, ...] = ()  # response ids of non-answers ("Don't know", "n/a")
    held: tuple[Theme, ...] = ()  # marked for review, not accepted: coded, not published

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def extractive(self) -> bool:
        return self.backend == "extractive"

    def concentration(self) -> dict[str, float]:
        """Share of the section's quotes by each respondent, largest first."""
        counts = Counter(q.respondent for t in self.themes for q in t.quotes)
        total = sum(counts.values())
        return ({r: float(half_up(Fraction(n, total), 3)) for r, n in counts.most_common()}
                if total else {})

    def to_dict(self) -> dict[str, Any]:
        """The sidecar's content (summariser.draft.sidecar.SectionDraftFile), with the digest of
        what its counts rest on but not the hashes of the files written beside it."""
        data = {"format": FORMAT, "schema_version": SCHEMA_VERSION, **asdict(self),
                "concentration": self.concentration()}
        for theme, source in [*zip(data["themes"], self.themes),
                              *zip(data["held"], self.held)]:
            theme["count"] = len(source.respondents)
            theme["count_text"] = count_text(len(source.respondents), self.denominator,
                                             self.respondent_noun)
        # Checked against the file's model, so what is written is what the schema says.
        checked = SectionDraftFile.model_validate(data).model_dump(mode="json", exclude={"files"})
        return {**checked, "files": {"evidence": evidence_digest(checked)}}


def draft_from_dict(data: dict[str, Any], where: str = "draft") -> SectionDraft:
    """The draft a sidecar holds, whatever version of the file it is (summariser.draft.sidecar)."""
    file = read_sidecar(data, where)

    def quote(q: SidecarQuote) -> QuoteRef:
        return QuoteRef(**q.model_dump())

    def evidence(e: SidecarEvidence) -> EvidenceRef:
        return EvidenceRef(**e.model_dump())

    def theme(t: SidecarTheme) -> Theme:
        return Theme(title=t.title, summary=t.summary, respondents=tuple(t.respondents),
                     quotes=tuple(map(quote, t.quotes)), id=t.id,
                     evidence=tuple(map(evidence, t.evidence)),
                     supporting=tuple(map(evidence, t.supporting)))

    return SectionDraft(
        section_id=file.section_id, number=file.number, title=file.title, lead=file.lead,
        themes=tuple(map(theme, file.themes)), held=tuple(map(theme, file.held)),
        denominator=file.denominator, respondent_noun=file.respondent_noun,
        questions=tuple(file.questions), backend=file.backend, model=file.model,
        run_id=file.run_id, failures=tuple(Failure(**f.model_dump()) for f in file.failures),
        notes=tuple(file.notes), uncoded=tuple(file.uncoded), codebook=file.codebook,
        heard=tuple(map(quote, file.heard)), answers=tuple(map(quote, file.answers)),
        fallback=file.fallback, review=tuple(ReviewItem(**r.model_dump()) for r in file.review),
        non_answers=tuple(file.non_answers))


def read_draft(path: Path) -> SectionDraft:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DraftError(f"{path}: cannot read the draft ({exc})") from None
    return draft_from_dict(data, str(path))


def theme_tag(theme_id: str) -> str:
    """The comment written after a theme's heading: it ties the heading to its theme whatever
    the analyst renames it to (`summariser.gate.parse` reads it)."""
    return f"theme: {theme_id}"


def _quote(quote: QuoteRef) -> Quote:
    """A quote in “…”, any bidirectional control it leaves open closed inside the marks, so an
    override at its end cannot turn its closing mark and citation around."""
    return Quote(runs(f"“{bidi_closed(quote.text)}”"), quote.respondent)


def theme_blocks(draft: SectionDraft) -> list[Block]:
    """Each theme: its title (and its id, in a comment), its count and summary, and its quotes in
    “…” with [respondent]."""
    blocks: list[Block] = []
    for theme in draft.themes:
        counted = count_text(len(theme.respondents), draft.denominator, draft.respondent_noun)
        blocks.append(Heading(3, runs(theme.title)))
        if theme.id:
            blocks.append(Comment(theme_tag(theme.id)))
        blocks.append(Paragraph(runs(f"Raised by {counted}. {theme.summary}".strip())))
        blocks += [_quote(q) for q in theme.quotes]
    return blocks


def render_markdown(draft: SectionDraft) -> str:
    """The section as Markdown: quotes in “…” with [respondent] citations."""
    blocks: list[Block] = [Heading(2, runs(draft.heading))]
    if draft.extractive:
        blocks.append(Paragraph(runs(EXTRACTIVE_NOTE), note=True))
    if draft.fallback:
        blocks.append(Paragraph(runs("Offline draft: the model's reply could not be used "
                                     f"({draft.fallback}), so the themes were proposed "
                                     "without it."), note=True))
    blocks += [Paragraph(runs(draft.lead)), *theme_blocks(draft)]
    if draft.heard:
        blocks.append(Heading(3, runs("From the interviews and notes")))
        blocks += [_quote(q) for q in draft.heard]
    if draft.answers:
        blocks.append(Heading(3, runs("Every answer, in full")))
        blocks += [_quote(q) for q in draft.answers]
    if draft.review:
        blocks.append(Comment("For review: " + " ".join(
            f"{r.respondent or r.theme}: {r.reason}." for r in draft.review)))
    if draft.uncoded:
        blocks.append(Comment(f"{len(draft.uncoded)} answer(s) fit no theme; they are listed "
                              "under 'uncoded' in the JSON sidecar. Add a theme to the codebook "
                              "if they say something the section should report."))
    if draft.notes:
        blocks.append(Comment("Notes: " + " ".join(draft.notes)))
    if draft.failures:
        blocks.append(Comment(f"{len(draft.failures)} proposed quotes failed verification and "
                              "were left out; see the JSON sidecar."))
    return to_markdown(blocks)


def write_draft(draft: SectionDraft, directory: Path, codebook: str | None = None,
                before: FileState | None = None) -> tuple[Path, Path]:
    """Write <section>.md, <section>.json and, when given, <section>.codebook.toml, together
    and atomically (all new or all as before). The sidecar records the hash of each file as the
    tool wrote it, and of the codebook the section was coded against, so a later run can tell
    the analyst's edits from its own output (see summariser.draft.files). With `before` (the
    files as they were when drafting began), nothing is written if the analyst changed one since
    (ChangedWhileDrafting)."""
    files = SectionFiles(directory, draft.section_id)
    markdown = render_markdown(draft)
    data = draft.to_dict()
    if codebook is None:  # coded from the analyst's codebook: the tool's last one stays recorded
        written, coded_with = files.recorded().get("codebook"), sha256_of(files.codebook)
    else:
        written = coded_with = hashlib.sha256(codebook.encode("utf-8")).hexdigest()
    data["files"] = {"markdown": hashlib.sha256(markdown.encode("utf-8")).hexdigest(),
                     "codebook": written, "coded_with": coded_with,
                     "evidence": evidence_digest(data)}
    with staged() as out:
        if codebook is not None:
            out.write(files.codebook, codebook)
        out.write(files.sidecar, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        out.write(files.markdown, markdown)
        if before is not None:
            files.require_unchanged(before)
    return files.markdown, files.sidecar
