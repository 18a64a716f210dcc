"""Reading a draft file into blocks for `summariser eval`: plain text and Word (.docx) become
headings, paragraphs and block quotes with their line (or paragraph) numbers; and the cleaning of
their text (emphasis, tags and escapes removed). Markdown is rendered instead
(`summariser.gate.markdown`). What counts as a heading or a block quote is in the
`summariser.gate.parse` module docstring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.document.escape import UNESCAPE
from summariser.errors import DraftError
from summariser.gate.quote_marks import quote_spans
from summariser.text.controls import from_placeholders

__all__ = ["NUMBERED", "Block", "Refusal", "docx_blocks", "is_numbered_heading", "match_key",
           "one_line", "strip_emphasis", "text_blocks"]


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph or block quote, and the line (or .docx paragraph) it starts on."""

    kind: str  # "heading", "para", "quote"
    text: str
    line: int
    level: int = 0  # headings: Markdown level (0: a bold or plain numbered line)
    unit: str = "line"
    visible: bool = False  # the text as a reader sees it (Markdown rendered), not as written
    theme_id: str = ""  # a heading's: the tool theme it was written for (a comment after it)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Markup whose effect on what a reader sees the gate cannot check."""

    line: int
    what: str  # as written, e.g. "<span hidden>"
    reason: str
    unit: str = "line"  # or "paragraph" (Word)


_COMMENT = re.compile(r"(?<!\\)<!--.*?-->", re.DOTALL)
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_BOLD_LINE = re.compile(r"^(\*\*|__)(.+)\1$")
NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
_FENCE = re.compile(r"^(```|~~~)")
_ESCAPED_NUMBER = re.compile(r"^\d+\\[.)]")  # "1\. Text": written not to be a list or heading


def is_numbered_heading(line: str) -> bool:
    """A short numbered line that does not end like a sentence ("2.5.1 Financial pressures")."""
    return (bool(NUMBERED.match(line)) and len(line.split()) <= 16
            and not line.rstrip().endswith((".", ",", ";")))


def text_blocks(text: str) -> list[Block]:
    """Plain text, read line by line: `#` headings, `>` block quotes, indented paragraphs as
    block quotes, numbered lines as headings. (Markdown is read by `summariser.gate.markdown`.)"""
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = text.splitlines()
    blocks: list[Block] = []
    buffer: list[str] = []
    state: dict[str, Any] = {"kind": "", "line": 0}

    def flush() -> None:
        if buffer and any(part.strip() for part in buffer):
            blocks.append(Block(state["kind"], "\n".join(buffer), state["line"]))
        buffer.clear()
        state["kind"] = ""

    def start(kind: str, number: int, content: str) -> None:
        flush()
        state["kind"], state["line"] = kind, number
        buffer.append(content)

    fenced = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if _FENCE.match(stripped):
            flush()
            fenced = not fenced
            continue
        if fenced:
            continue
        if not stripped:
            flush()
            continue
        heading = _ATX.match(stripped)
        if heading:
            flush()
            blocks.append(Block("heading", heading.group(2), number, len(heading.group(1))))
            continue
        if stripped.startswith(">"):
            inner = _quoted_line(line)
            if (not inner.strip() or _ITEM.match(inner)) and state["kind"] == "quote" \
                    and _closed_later(buffer, lines[number - 1:]):
                buffer.append(inner)  # a paragraph or a list inside one quote (in quote marks)
            elif not inner.strip():
                flush()
            elif state["kind"] != "quote" or _ITEM.match(inner):
                start("quote", number, _ITEM.sub("", inner, count=1))
            else:
                buffer.append(inner)
            continue
        if state["kind"] == "quote":
            if not _ITEM.match(line):
                buffer.append(line)  # a lazy continuation line of the block quote (CommonMark)
                continue
            flush()
        following_blank = number == len(lines) or not lines[number].strip()
        bold = _BOLD_LINE.match(stripped)
        if not buffer and bold and is_numbered_heading(strip_emphasis(bold.group(2)).strip()):
            blocks.append(Block("heading", bold.group(2), number, 0))
            continue
        if not buffer and following_blank and not _ESCAPED_NUMBER.match(stripped) \
                and is_numbered_heading(strip_emphasis(stripped)):
            blocks.append(Block("heading", stripped, number, 0))
            continue
        if _ITEM.match(line):
            start("para", number, _ITEM.sub("", line, count=1))
            continue
        if not buffer and line.startswith(("    ", "\t")):
            start("quote", number, stripped)
            continue
        if not buffer:
            start("para", number, line)
        else:
            buffer.append(line)
    flush()
    return blocks


def _quoted_line(line: str) -> str:
    """A block quote's line without its `>` markers."""
    return re.sub(r"^(?:\s*>)+\s?", "", line)


def _closed_later(buffer: list[str], rest: list[str]) -> bool:
    """Whether a quote mark opened in the block quote so far, and not yet closed, is closed
    further down the same block quote (the `>` lines of `rest`)."""
    so_far = "\n".join(buffer)
    open_at = [s.start for s in quote_spans(so_far) if s.malformed == "unclosed"]
    if not open_at:
        return False
    following = []
    for line in rest:
        if not line.strip().startswith(">"):
            break
        following.append(_quoted_line(line))
    closed = {s.start for s in quote_spans("\n".join([so_far, *following]))
              if s.malformed is None}
    return open_at[0] in closed


# Word text a reader cannot see, or cannot be expected to: hidden (w:vanish, w:specVanish,
# w:webHidden), white or nearly, the colour of its own shading, squeezed to a sliver, or smaller
# than this (not fitted: a footnote is 8 pt).
SMALLEST_VISIBLE_PT = 6.0
NARROWEST_VISIBLE = 50  # per cent of a character's width (w:w), below which text is a sliver
_NEAR = 24  # the most two colours' channels may differ by and still look alike


def _rgb(value: Any) -> tuple[int, int, int] | None:
    text = str(value or "").strip().upper()
    if not re.fullmatch(r"[0-9A-F]{6}", text):
        return None
    return int(text[:2], 16), int(text[2:4], 16), int(text[4:], 16)


def _alike(first: tuple[int, int, int] | None, second: tuple[int, int, int] | None) -> bool:
    return first is not None and second is not None and all(
        abs(a - b) <= _NEAR for a, b in zip(first, second, strict=True))


def _unseen(run: Any, paragraph: Any) -> str | None:
    """Why a reader of the Word document does not see a run's text (None: they do)."""
    fonts = [run.font, *(s.font for s in (run.style, paragraph.style) if s is not None)]
    properties = run._element.rPr
    if any(f.hidden for f in fonts) or (properties is not None and (
            properties.find(_W + "specVanish") is not None
            or properties.find(_W + "webHidden") is not None)):
        return "hidden"
    if any(f.strike or f.double_strike for f in fonts):
        return "struck through"
    color = next((f.color.rgb for f in fonts if f.color is not None and f.color.type is not None
                  and f.color.rgb is not None), None)
    if _alike(_rgb(color), (255, 255, 255)):
        return "white"
    shading = properties.find(_W + "shd") if properties is not None else None
    fill = _rgb(shading.get(_W + "fill")) if shading is not None else None
    if _alike(_rgb(color) or (0, 0, 0), fill):
        return "the colour of its shading"
    size = next((f.size for f in fonts if f.size is not None), None)
    if size is not None and size.pt < SMALLEST_VISIBLE_PT:
        return f"{size.pt:g} pt"
    scale = properties.find(_W + "w") if properties is not None else None
    if scale is not None and (scale.get(_W + "val") or "100").isdigit() \
            and int(scale.get(_W + "val") or 100) < NARROWEST_VISIBLE:
        return f"{scale.get(_W + 'val')}% wide"
    return None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_blocks(path: Path) -> tuple[list[Block], list[Refusal]]:
    """A Word file's paragraphs as blocks; text in it a reader cannot see (hidden, white, tiny
    or struck-through runs) is refused, never read as if shown."""
    try:
        import docx
    except ImportError:
        from summariser.errors import MissingDependency

        raise MissingDependency("python-docx", "docx", "Reading a .docx draft") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise DraftError(f"{path}: cannot read the Word document ({exc})") from None
    blocks = []
    refused: list[Refusal] = []
    number = 0
    for paragraph, where in _paragraphs(document):
        if where == "row":  # the row's last paragraph's number: the row is where it stands
            blocks.append(Block("para", paragraph, number, unit="paragraph"))
            continue
        number += 1
        for run in paragraph.runs:
            why = _unseen(run, paragraph) if run.text.strip() else None
            if why is not None:
                refused.append(Refusal(number, f"“{one_line(run.text)[:60]}”", (
                    f"{why} text in the Word document: a reader does not see it, but it is part "
                    "of the paragraph's words, so the gate does not read the paragraph as if it "
                    "were shown; delete it, or make it visible"), "paragraph"))
        text = from_placeholders(paragraph.text).strip()  # the Word writer's placeholders undone
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"Heading\s*(\d)", style)
        if where:  # a table cell, a page's header or footer: words a reader sees, read as such
            blocks.append(Block("para", text, number, unit="paragraph"))
            continue
        if level or style == "Title":
            blocks.append(Block("heading", text, number, int(level.group(1)) if level else 1,
                                "paragraph"))
        elif "Quote" in style:
            blocks.append(Block("quote", text, number, unit="paragraph"))
        elif is_numbered_heading(text) and all(r.bold for r in paragraph.runs if r.text.strip()):
            blocks.append(Block("heading", text, number, 0, "paragraph"))
        else:
            blocks.append(Block("para", text, number, unit="paragraph"))
    return blocks, refused


def _paragraphs(document: Any) -> Iterator[tuple[Any, str]]:
    """Every paragraph a reader sees, in order, with where it stands ("" in the body): the
    body's paragraphs and tables' cells as they come, each statistics row's statements after
    its cells (where "row", as text), then each section's headers and footers. Text in a table
    (a report's appendix of quotes) was once never read."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from summariser.gate.tables import TableRows

    def cells(table: Any) -> Iterator[tuple[Any, str]]:
        rows = TableRows()
        for row in table.rows:
            seen: set[int] = set()
            texts: list[str] = []  # one a column: a merged cell's under each it spans
            for cell in row.cells:
                texts.append(from_placeholders(cell.text))
                if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                    continue
                seen.add(id(cell._tc))
                for inner in cell.iter_inner_content():
                    if isinstance(inner, Table):
                        yield from cells(inner)
                    else:
                        yield inner, "table"
            # what the row states, read as sentences (`summariser.gate.tables`)
            yield from ((said, "row") for said in rows.read(texts))

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item, ""
        else:
            yield from cells(item)
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            for paragraph in part.paragraphs:
                yield paragraph, "header or footer"


# --- cleaning ----------------------------------------------------------------------------------

# One pass, so that an escaped character is never read as markup: a backslash escape gives its
# character; an unescaped tag or emphasis mark is dropped.
_MARKUP = re.compile(rf"{UNESCAPE.pattern}|</?[A-Za-z][^<>]*>"
                     r"|\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")


def strip_emphasis(text: str) -> str:
    """Text without Markdown emphasis and HTML tags, its backslash escapes read back (see
    `summariser.document.escape`, which writes them)."""
    return _MARKUP.sub(lambda m: m.group(1) or "", text)


def match_key(text: str) -> str:
    """The words of `text`, case-folded: headings and titles are compared by it."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def one_line(text: str) -> str:
    return " ".join(text.split())

