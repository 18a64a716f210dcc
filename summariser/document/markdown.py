"""Blocks as Markdown (CommonMark with GitHub's tables). Every run's text is escaped
(`document.escape`); the only markup is what this module writes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from summariser.document.escape import comment_text, markdown_line_starts, markdown_text
from summariser.document.model import (
    Block,
    BulletList,
    Comment,
    Contents,
    Definitions,
    Figure,
    Heading,
    Inline,
    PageBreak,
    Panel,
    Paragraph,
    Quote,
    Run,
    Style,
    Table,
)

__all__ = ["to_markdown"]

_DELIMITERS = {Style.EMPHASIS: ("*", "*"), Style.STRONG: ("**", "**"),
               Style.MARKED: ("**", "**"), Style.OUTCOME: ("**", "**"),
               Style.INSERTED: ("{+", "+}"), Style.DELETED: ("[-", "-]")}
_BACKTICKS = re.compile(r"`+")
_SPACES = re.compile(r"\s+")


def _one_line(text: str) -> str:
    """Headings, cells and list items are one line in Markdown."""
    return " ".join(text.split())


def to_markdown(blocks: Sequence[Block], base: Path | None = None) -> str:
    """The document as Markdown; figures are linked relative to `base` (the file's folder)."""
    lines: list[str] = []
    for block in blocks:
        lines += _block(block, base)
    return "\n".join(lines).rstrip() + "\n"


def _block(block: Block, base: Path | None) -> list[str]:
    """The block's lines, a blank line after it."""
    if isinstance(block, Heading):
        text = _inline(block.text, single_line=True, line_start=False)
        if text.endswith("#"):  # would be read as the heading's closing sequence
            text = text[:-1] + "\\#"
        return ["#" * block.level + " " + text, ""]
    if isinstance(block, Paragraph):
        # A paragraph is one paragraph: a blank line inside it would end it.
        text = "\n".join(line for line in _inline(block.text).split("\n") if line.strip())
        return [f"*{text.strip()}*" if block.note else text, ""]  # "* x" would be a list item
    if isinstance(block, Quote):
        text = _inline(block.text) + (f" [{markdown_text(block.cite)}]" if block.cite else "")
        return [f"> {line}" if line.strip() else ">" for line in text.split("\n")] + [""]
    if isinstance(block, BulletList):
        return [f"- {_inline(item, single_line=True)}" for item in block.items] + [""]
    if isinstance(block, Definitions):
        return [f"- {markdown_line_starts(markdown_text(_one_line(term)))}: "
                f"{_inline(text, single_line=True, line_start=False)}"
                for term, text in block.items] + [""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        png = block.png
        if base is not None and png.is_relative_to(base):
            png = png.relative_to(base)
        return [f"![{markdown_text(_one_line(block.alt))}]({png.as_posix()})", "",
                f"*{markdown_text(_one_line(block.caption))}*", ""]
    if isinstance(block, Panel):
        return [line for inner in block.blocks for line in _block(inner, base)]
    if isinstance(block, Comment):
        return [f"<!-- {comment_text(block.text)} -->", ""]
    if isinstance(block, Contents):
        return (_block(Heading(2, (Run(block.title),)), base)
                + _block(BulletList(tuple(text for _, text in block.entries)), base))
    if isinstance(block, PageBreak):
        return []  # Markdown has no pages
    raise TypeError(f"not a block: {block!r}")


def _table(table: Table) -> list[str]:
    lines = [f"**{markdown_text(_one_line(table.caption))}**", ""] if table.caption else []
    lines += [_row(table.header), "|" + "---|" * len(table.header)]
    lines += [_row(row) for row in table.rows]
    lines.append("")
    if table.note:
        lines += [f"*{markdown_text(_one_line(table.note))}*", ""]
    return lines


def _row(cells: Sequence[Inline]) -> str:
    return "| " + " | ".join(_inline(cell, single_line=True, line_start=False)
                             for cell in cells) + " |"


def _inline(text: Inline, *, single_line: bool = False, line_start: bool = True) -> str:
    """Runs as Markdown: escaped text and styled runs in their delimiters. `single_line` for
    headings, list items and table cells; `line_start` when the text begins a line (or is a
    list item's), where it must not start a block."""
    pieces = [_run(Run(_SPACES.sub(" ", r.text) if single_line else r.text, r.style, r.outcome))
              for r in text]
    for n in range(1, len(pieces)):
        # "[-word-](x" would be a link and "[-word-]: x" a link definition.
        if text[n - 1].style is Style.DELETED and pieces[n][:1] in ("(", ":"):
            pieces[n] = "\\" + pieces[n]
    joined = "".join(pieces).strip() if single_line else "".join(pieces)
    return markdown_line_starts(joined) if line_start else joined


def _run(run: Run) -> str:
    if run.style is Style.CODE:
        return _code(run.text)
    if run.style is Style.PLAIN:
        return markdown_text(run.text)
    # Emphasis cannot span a blank line, so each line is delimited on its own.
    return "\n".join(_delimited(line, run.style) for line in run.text.split("\n"))


def _delimited(text: str, style: Style) -> str:
    """Text in its style's delimiters, which go around the words: "** word**" is not bold."""
    core = text.strip()
    if not core:
        return markdown_text(text)
    opening, closing = _DELIMITERS[style]
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{before}{opening}{markdown_text(core)}{closing}{after}"


def _code(text: str) -> str:
    """A code span: its text is literal, inside backticks longer than any run of them in it."""
    text = _one_line(text)
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"
