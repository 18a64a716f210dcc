"""The document model: what a report, a drafted section and a reviewer's check report are made
of, as frozen blocks of inline runs. Writers turn blocks into a format (`document.markdown`,
`document.html`, `document.docx`), so the formats cannot disagree, and every writer escapes every
run's text (`document.escape`): text is never markup here, whoever wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

__all__ = ["OUTCOMES", "Block", "BulletList", "Comment", "Contents", "Definitions", "Figure",
           "Heading", "Inline", "PageBreak", "Panel", "Paragraph", "Quote", "Run", "Style", "Table",
           "contents_targets", "flat", "plain", "runs"]

OUTCOMES = ("pass", "warning", "fail", "unchecked")  # the colours of an outcome badge or panel


class Style(StrEnum):
    PLAIN = "plain"
    EMPHASIS = "emphasis"
    STRONG = "strong"
    CODE = "code"
    INSERTED = "inserted"  # a word diff: words the quote added
    DELETED = "deleted"  # a word diff: source words the quote changed or left out
    MARKED = "marked"  # the matched words in a source passage
    OUTCOME = "outcome"  # a check's outcome as a badge; `Run.outcome` says which


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    style: Style = Style.PLAIN
    outcome: str = ""  # one of OUTCOMES, with Style.OUTCOME only

    def __post_init__(self) -> None:
        if (self.style is Style.OUTCOME) != (self.outcome in OUTCOMES):
            raise ValueError(f"an outcome run needs one of {OUTCOMES}, and only it has one: "
                             f"{self!r}")


Inline = tuple[Run, ...]


def runs(*parts: str | Run) -> Inline:
    """Inline text from plain strings and styled runs, in order (empty strings left out)."""
    return tuple(Run(p) if isinstance(p, str) else p for p in parts if not isinstance(p, str) or p)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 to 6
    text: Inline


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Inline
    note: bool = False  # a note on the text around it: set in italics


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quote; `cite` (a respondent, or ids) is printed after it in square brackets."""

    text: Inline
    cite: str = ""


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Definitions:
    """Terms and what they say, e.g. a quote's verifier status, diff and marks."""

    items: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    note: str = ""

    @classmethod
    def of_text(cls, caption: str, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...],
                note: str = "") -> Table:
        return cls(caption, tuple(runs(h) for h in header),
                   tuple(tuple(runs(cell) for cell in row) for row in rows), note)


@dataclass(frozen=True, slots=True)
class Figure:
    caption: str
    png: Path
    alt: str


@dataclass(frozen=True, slots=True)
class Panel:
    """Blocks that belong together under one outcome (a checked quote), shown as a box in its
    outcome's colour where the format allows."""

    outcome: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"a panel's outcome is one of {OUTCOMES}, not {self.outcome!r}")


@dataclass(frozen=True, slots=True)
class Contents:
    """A contents list under its heading: each entry is the text of a heading further on, with
    its depth in the list (0 for a top-level entry). Where the format can, an entry links to its
    heading and gives its page (Word); elsewhere it is a list."""

    title: str
    entries: tuple[tuple[int, Inline], ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    """What follows starts a new page, where the format has pages (Word; HTML when printed)."""


@dataclass(frozen=True, slots=True)
class Comment:
    """A note for whoever edits the file, not shown when it is rendered (Markdown and HTML)."""

    text: str


Block = (Heading | Paragraph | Quote | BulletList | Definitions | Table | Figure | Panel | Comment
         | Contents | PageBreak)


def flat(blocks: Sequence[Block]) -> list[Block]:
    """Blocks in the order they are written, those inside panels included."""
    return [inner for block in blocks
            for inner in (flat(block.blocks) if isinstance(block, Panel) else [block])]


def plain(text: Inline) -> str:
    return "".join(run.text for run in text)


def contents_targets(blocks: list[Block]) -> tuple[dict[int, str], dict[str, str]]:
    """The headings a contents list links to: a contents entry names a heading further on, the
    first after the list with the entry's text; each gets an anchor name ("_Toc000003", as Word
    names them). Returned by the heading's place among the headings of `blocks` (flattened, from
    1), and by the entry's text."""
    named = {plain(text) for b in blocks if isinstance(b, Contents) for _, text in b.entries}
    by_place: dict[int, str] = {}
    by_text: dict[str, str] = {}
    seen_contents = False
    number = 0
    for block in blocks:
        if isinstance(block, Contents):
            seen_contents = True
        elif isinstance(block, Heading):
            number += 1
            text = plain(block.text)
            if seen_contents and text in named and text not in by_text:
                by_text[text] = by_place[number] = f"_Toc{number:06d}"
    return by_place, by_text
