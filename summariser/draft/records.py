"""Drafted report sections: records, their JSON sidecar, and their Markdown.

`drafts/<section>.json` is the machine-readable truth (themes, respondent ids, quotes with
offsets, failures, run id); `drafts/<section>.md` is what an analyst reads and edits. Counts in
the Markdown are rendered from the respondent ids, never from model text.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from summariser.errors import DraftError
from summariser.report.document import Block, Comment, Heading, Paragraph, Quote, runs
from summariser.report.markdown import to_markdown
from summariser.text.wording import count_text, half_up

FORMAT = "summariser.section-draft/1"


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
class Theme:
    title: str
    summary: str
    respondents: tuple[str, ...]  # everyone the theme covers: the count comes from here
    quotes: tuple[QuoteRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """A quote that did not verify and so was not published."""

    theme: str
    quote: str
    response_id: str | None
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
        data = asdict(self)
        data["format"] = FORMAT
        data["concentration"] = self.concentration()
        for theme, source in zip(data["themes"], self.themes):
            theme["count"] = len(source.respondents)
            theme["count_text"] = count_text(len(source.respondents), self.denominator,
                                             self.respondent_noun)
        return data


def draft_from_dict(data: dict[str, Any], where: str = "draft") -> SectionDraft:
    if data.get("format") != FORMAT:
        raise DraftError(f"{where}: not a summariser section draft (format {FORMAT})")
    try:
        themes = tuple(
            Theme(title=t["title"], summary=t["summary"], respondents=tuple(t["respondents"]),
                  quotes=tuple(QuoteRef(**q) for q in t["quotes"]))
            for t in data["themes"])
        return SectionDraft(
            section_id=data["section_id"], number=data["number"], title=data["title"],
            lead=data["lead"], themes=themes, denominator=data["denominator"],
            respondent_noun=tuple(data["respondent_noun"]), questions=tuple(data["questions"]),
            backend=data["backend"], model=data.get("model", ""), run_id=data.get("run_id", ""),
            failures=tuple(Failure(**f) for f in data.get("failures", ())),
            notes=tuple(data.get("notes", ())))
    except (KeyError, TypeError) as exc:
        raise DraftError(f"{where}: draft JSON is missing or has a bad field ({exc}); "
                         "re-run 'summariser draft'") from None


def read_draft(path: Path) -> SectionDraft:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DraftError(f"{path}: cannot read the draft ({exc})") from None
    return draft_from_dict(data, str(path))


def theme_blocks(draft: SectionDraft) -> list[Block]:
    """Each theme: its title, its count and summary, and its quotes in “…” with [respondent]."""
    blocks: list[Block] = []
    for theme in draft.themes:
        counted = count_text(len(theme.respondents), draft.denominator, draft.respondent_noun)
        blocks += [Heading(3, runs(theme.title)),
                   Paragraph(runs(f"Raised by {counted}. {theme.summary}"))]
        blocks += [Quote(runs(f"“{q.text}”"), q.respondent) for q in theme.quotes]
    return blocks


def render_markdown(draft: SectionDraft) -> str:
    """The section as Markdown: quotes in “…” with [respondent] citations."""
    blocks: list[Block] = [Heading(2, runs(draft.heading))]
    if draft.extractive:
        blocks.append(Paragraph(runs("Extractive draft: themes were found by clustering the "
                                     "answers and the summaries are built from counts and key "
                                     "phrases; no language model wrote this text."), note=True))
    blocks += [Paragraph(runs(draft.lead)), *theme_blocks(draft)]
    if draft.failures:
        blocks.append(Comment(f"{len(draft.failures)} proposed quotes failed verification and "
                              "were left out; see the JSON sidecar."))
    return to_markdown(blocks)


def write_draft(draft: SectionDraft, directory: Path) -> tuple[Path, Path]:
    """Write <section>.md and <section>.json atomically (a reader never sees half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = (directory / f"{draft.section_id}.md", directory / f"{draft.section_id}.json")
    contents = (render_markdown(draft),
                json.dumps(draft.to_dict(), indent=2, ensure_ascii=False) + "\n")
    for path, content in zip(paths, contents):
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_text(content, encoding="utf-8")
        partial.replace(path)
    return paths
