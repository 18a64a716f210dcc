"""Each section of the report as the analyst left it: the Markdown draft read back into blocks,
its headings nested under the report's numbering, and its quotes attributed as the manifest's
privacy settings say, never by a respondent's id.

Attribution (`[privacy] attribution` in the manifest):
- "role" (the default): a survey respondent is named by the respondent noun ("Chief Officer"),
  an interviewee as "Interviewee", a document by its source's `role`, or as "Notes";
- "pseudonym": the role and a letter, assigned afresh in each section in the order people are
  first quoted ("Chief Officer A"), so that no one can be followed from section to section;
  `pseudonyms` in [privacy] may name people instead;
- "none": no attribution at all.
Names listed in `[privacy] mask` are printed as "[name]", an editorial insertion the gate accepts.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from summariser.document.model import (
    Block,
    BulletList,
    Comment,
    Heading,
    Inline,
    Paragraph,
    Quote,
    Run,
)
from summariser.document.read_markdown import read_markdown
from summariser.draft.records import EXTRACTIVE_NOTES, SectionDraft, read_draft, theme_tag
from summariser.draft.section import UNCODED_CLAIMS
from summariser.errors import ManifestError
from summariser.project.manifest import Manifest, Section
from summariser.records import Response
from summariser.text.sentences import sentences
from summariser.verify.marks import MASK

_CITATION = re.compile(r"\s*\[([^\[\]]+)\]")


# Not fitted: "most". From this share of a section's people saying something no theme covers,
# the executive summary says so beside the themes it names.
MOSTLY_UNCOVERED = 50


@dataclass(frozen=True)
class SectionText:
    section: Section
    heading: str  # the draft's own heading (the analyst may have renamed it)
    blocks: tuple[Block, ...]  # the draft's content, below its heading
    draft: SectionDraft | None  # the sidecar: ids, evidence, counts
    edited: bool  # the Markdown differs from what the tool wrote
    sidecar: Path | None = None  # where `draft` was read from

    def themes(self) -> list[tuple[str, str]]:
        """(title as printed, theme id) of each theme heading: a heading with its theme's id
        in the comment after it, not "From the interviews and notes" or "Every answer, in
        full". A draft written before headings carried ids: every heading, with no id."""
        tagged = [(_text(b.text), nxt.text.removeprefix(theme_tag("")).strip())
                  for b, nxt in zip(self.blocks, self.blocks[1:])
                  if isinstance(b, Heading) and isinstance(nxt, Comment)
                  and nxt.text.startswith(theme_tag(""))]
        if tagged or any(isinstance(b, Comment) and b.text.startswith(theme_tag(""))
                         for b in self.blocks) or (self.draft and not self.draft.themes):
            return tagged
        return [(_text(b.text), "") for b in self.blocks if isinstance(b, Heading)]

    def theme_titles(self) -> list[str]:
        return [title for title, _ in self.themes()]

    def theme_counts(self) -> list[tuple[str, int]]:
        """(title as printed, count) for the theme figure, when every theme of the sidecar
        still has its heading; else none (the figure would mislead)."""
        if self.draft is None:
            return []
        by_id = {t.id: t for t in self.draft.themes}
        shown = self.themes()
        if sorted(i for _, i in shown) != sorted(by_id):
            if [i for _, i in shown] != [""] * len(self.draft.themes):
                return []
            shown = [(title, t.id) for (title, _), t in zip(shown, self.draft.themes)]
        return [(title, len(by_id[i].respondents)) for title, i in shown]


def level_of(number: str) -> int:
    """A heading's level from its number: "2.1" -> 2, "2.5.1" -> 3 (the title is level 1)."""
    return min(max(len([p for p in number.split(".") if p]), 2), 5)


def read_section(section: Section, directory: Path) -> SectionText | None:
    from summariser.draft.files import SectionFiles

    files = SectionFiles(directory, section.id)
    if not files.markdown.exists():
        return None
    blocks = read_markdown(files.markdown.read_text(encoding="utf-8"))
    heading = section.heading
    if blocks and isinstance(blocks[0], Heading):
        heading = _text(blocks[0].text)
        blocks = blocks[1:]
    draft = read_draft(files.sidecar) if files.sidecar.exists() else None
    return SectionText(section, heading, tuple(blocks), draft, files.edited()[0],
                       files.sidecar if draft else None)


class Attribution:
    """Labels for cited respondents, by the manifest's privacy settings (module docstring)."""

    def __init__(self, manifest: Manifest, responses: Iterable[Response]):
        self.policy = manifest.privacy
        sources = {s.id: s for s in manifest.sources}
        self.role: dict[str, str] = {}
        for response in responses:
            if response.respondent in self.role:
                continue
            source = sources.get(response.source)
            if source is None:
                continue
            default = (manifest.respondent_noun[0] if source.is_tabular else
                       "Interviewee" if source.format == "transcript" else "Notes")
            self.role[response.respondent] = source.role or default[:1].upper() + default[1:]
        self._letters: dict[str, str] = {}
        # A name as written with any spacing ("Sarah  Jones", a line break between its parts),
        # the longest first so that "Sarah Jones" is masked whole, not as "[name] Jones".
        masks = sorted(self.policy.mask, key=len, reverse=True)
        self._mask = re.compile(r"\b(?:" + "|".join(
            r"\s+".join(map(re.escape, name.split())) for name in masks) + r")\b",
            re.IGNORECASE) if masks else None

    def new_section(self) -> None:
        self._letters = {}

    def label(self, cited: str) -> str | None:
        """The attribution for a citation's ids; None when the bracket cites no respondent."""
        ids = [i.strip() for i in cited.split(",") if i.strip()]
        if not ids or any(i not in self.role for i in ids):
            return None
        if self.policy.attribution == "none":
            return ""
        if self.policy.attribution == "role":
            return ", ".join(dict.fromkeys(self.role[i] for i in ids))
        return ", ".join(self._pseudonym(i) for i in ids)

    def _pseudonym(self, respondent: str) -> str:
        if respondent in self.policy.pseudonyms:
            return self.policy.pseudonyms[respondent]
        if respondent not in self._letters:
            n = len(self._letters)
            letter = string.ascii_uppercase[n % 26] + (str(n // 26 + 1) if n >= 26 else "")
            self._letters[respondent] = letter
        return f"{self.role[respondent]} {self._letters[respondent]}"

    def mask(self, text: str) -> str:
        return self._mask.sub(MASK, text) if self._mask else text

    def masked(self, text: SectionText) -> SectionText:
        """The section with names masked in its headings too, so that no title, summary line,
        appendix row or figure drawn from them prints one."""
        if self._mask is None:
            return text
        blocks = tuple(replace(b, text=self.inline(b.text)) if isinstance(b, Heading) else b
                       for b in text.blocks)
        return replace(text, heading=self.mask(text.heading), blocks=blocks)

    def inline(self, text: Inline) -> Inline:
        """Masked names, and bracketed respondent ids replaced by their attribution."""
        out = []
        for run in text:
            value = self.mask(run.text)

            def relabel(found: re.Match) -> str:
                label = self.label(found.group(1))
                if label is None:
                    return found.group(0)
                return f" [{label}]" if label else ""

            out.append(Run(_CITATION.sub(relabel, value), run.style, run.outcome))
        return tuple(out)


def section_blocks(text: SectionText, attribution: Attribution, question: str,
                   closed: Sequence[Block] = ()) -> list[Block]:
    """The section for the report: its heading at the level its number gives, what its closed
    questions' answers were (`closed`, the choices or ratings the free text explains), the
    question asked, then the draft's content with nested theme headings, attributed quotes and
    no notes left for the analyst (comments) or the draft's extractive note (the report says it
    once)."""
    level = level_of(text.section.number)
    attribution.new_section()
    blocks: list[Block] = [Heading(level, (Run(text.heading),)), *closed]
    if question:
        blocks.append(Paragraph((Run(f"The question asked: {question}"),), note=True))
    for block in text.blocks:
        if isinstance(block, Comment) and not block.text.startswith(theme_tag("")):
            continue  # a note for the analyst; a theme's id stays, invisible, for `eval`
        if isinstance(block, Paragraph) and block.note and _text(block.text) in EXTRACTIVE_NOTES:
            continue
        if isinstance(block, Heading):
            blocks.append(Heading(min(level + block.level - 2, 6), block.text))
        elif isinstance(block, Quote):
            label = attribution.label(block.cite) if block.cite else ""
            cite = block.cite if label is None else label
            blocks.append(Quote(attribution.inline(block.text), cite))
        elif isinstance(block, Paragraph):
            blocks.append(replace(block, text=attribution.inline(block.text)))
        elif isinstance(block, BulletList):
            blocks.append(BulletList(tuple(attribution.inline(i) for i in block.items)))
        else:
            blocks.append(block)
    return blocks


def summary_items(texts: Sequence[SectionText], most: int = 3) -> list[str]:
    """For the executive summary: each section's first themes with the count its draft states,
    and past `most` those raised by as many as the last (no tie is broken by the page's order)."""
    items = []
    for text in texts:
        found: list[str] = []
        last = ""
        blocks = list(text.blocks)
        for i, block in enumerate(blocks):
            if not isinstance(block, Heading):
                continue
            title = _text(block.text)
            following = next((b for b in blocks[i + 1:] if isinstance(b, Paragraph)), None)
            said = _text(following.text) if following else ""
            raised = re.match(r"(Raised by [^.]*?\)?)\.(?:\s|$)", said)
            if not raised:
                continue  # not a theme: e.g. the interviews' heading
            if len(found) >= most and raised.group(1) != last:
                break
            found.append(f"{title}, {raised.group(1)[0].lower()}{raised.group(1)[1:]}")
            last = raised.group(1)
        if found:
            lead = text.heading if text.heading[-1:] in "?.!:" else text.heading + ":"
            items.append(f"{lead} " + "; ".join(found) + "." + _mostly_uncovered(blocks))
    return items


def _mostly_uncovered(blocks: Sequence[Block]) -> str:
    """The lead's sentence of who said something no theme covers, where they are at least
    half of those who answered ("Ten of 15 Chief Officers (67%) said something these themes do
    not cover."): a summary that names only the themes would read as if they were what most
    said."""
    for block in blocks:
        if isinstance(block, Heading):
            break  # the lead is before the first theme
        if not isinstance(block, Paragraph):
            continue
        for _, sentence in sentences(_text(block.text)):
            share = re.search(r"\((\d+)%\)", sentence)
            if any(claim in sentence for claim in UNCODED_CLAIMS) and share \
                    and int(share.group(1)) >= MOSTLY_UNCOVERED:
                return " " + sentence.strip()
    return ""


def check_privacy(manifest: Manifest, denominators: dict[str, int]) -> None:
    """Refuse pseudonyms where so few people answered that a pseudonym singles someone out."""
    if manifest.privacy.attribution != "pseudonym":
        return
    small = [section_id for section_id, n in denominators.items() if 0 < n < manifest.min_cell]
    if small:
        raise ManifestError(
            f"[privacy] attribution = \"pseudonym\" would single people out in section(s) "
            f"{', '.join(small)}, where fewer than min_cell = {manifest.min_cell} people "
            "answered; use attribution = \"role\" or \"none\"")


def _text(text: Inline) -> str:
    return "".join(run.text for run in text)
