"""Reading a Markdown draft as a reader sees it, for `summariser eval`.

The draft is rendered by markdown-it-py (CommonMark, with tables and strikethrough, as common
viewers show them), and each heading, paragraph, list item, table cell and block quote becomes a
`Block` of its visible text: emphasis marks gone, backslash escapes and entities read, links as
their text, line breaks kept (for line numbers). What a reader may not see is refused rather than
guessed at: raw HTML other than comments (`<span hidden>`, `<del>`, `<div style=…>`), an image
among a paragraph's words, and struck-through text each become a `Refusal`, which fails the gate.
An image on its own is a figure, and HTML comments are invisible: both are left out. Code blocks
are read as plain text, so quotes and numbers in them are checked too. A statistics table's rows
are also read as the sentences they state (`summariser.gate.tables`), so its means and counts
are checked.

A block quote's paragraphs are one quote while a quote mark opened in it is still open (a
quotation of several paragraphs); otherwise each paragraph and list item of it is its own quote.
A paragraph that is all bold, or a single line, and reads as a numbered heading ("2.5.1 Financial
pressures") is a heading.
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from summariser.gate.blocks import Block, Refusal, is_numbered_heading
from summariser.gate.quote_marks import quote_spans
from summariser.gate.tables import TableRows
from summariser.text.controls import from_placeholders

__all__ = ["Refusal", "markdown_blocks"]

_RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_COMMENT = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.DOTALL)
_ESCAPED_NUMBER = re.compile(r"^\s*\d+\\[.)]")  # "1\. Text": written not to be a list or heading
_THEME_TAG = re.compile(r"\s*<!--\s*theme:\s*(\S+)\s*-->\s*")  # drafting's, after a theme heading


def _tag(html: str) -> str:
    first = html.strip().split("\n", 1)[0]
    return first if len(first) <= 60 else first[:57] + "…"


class _Reader:
    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.blocks: list[Block] = []
        self.refused: list[Refusal] = []

    def visible(self, inline: Token, line: int) -> str:
        """The text a reader sees of an inline token; refusals recorded on the way."""
        parts: list[str] = []
        images: list[Refusal] = []
        offset = 0
        for child in inline.children or ():
            kind = child.type
            here = line + offset
            if kind in ("text", "code_inline"):
                parts.append(from_placeholders(child.content))  # the writers' control pictures
            elif kind in ("softbreak", "hardbreak"):
                parts.append("\n")
                offset += 1
            elif kind == "html_inline":
                # A comment is invisible; a closing tag ends what its opening tag was refused for.
                if not _COMMENT.fullmatch(child.content) and not child.content.startswith("</"):
                    self.refused.append(Refusal(here, _tag(child.content), (
                        "raw HTML in the draft: what a reader sees depends on it (it may hide or "
                        "strike out words), so the gate does not read past it; write plain text "
                        "or escape the tag (\\<)")))
                offset += child.content.count("\n")
            elif kind == "image":
                images.append(Refusal(here, f"![{child.content}]", (
                    "an image among the words of a paragraph: the gate cannot read the words in "
                    "it; a quote or number must be written as text (a figure stands on its own)")))
            elif kind == "s_open":
                self.refused.append(Refusal(here, "~~", (
                    "struck-through text in the draft: a reader sees the words as deleted; "
                    "remove them or the strike-through")))
        text = "".join(parts)
        if text.strip():  # an image on its own is a figure, read by no one for words
            self.refused += images
        return text

    def add(self, kind: str, text: str, line: int, level: int = 0) -> None:
        if text.strip():
            self.blocks.append(Block(kind, text, line, level, visible=True))

    def paragraph(self, inline: Token, line: int) -> None:
        text = self.visible(inline, line)
        children = [c for c in inline.children or () if not (c.type == "text"
                                                               and not c.content.strip())]
        bold = (len(children) >= 3 and children[0].type == "strong_open"
                and children[-1].type == "strong_close"
                and sum(c.type == "strong_open" for c in children) == 1)
        one_line = "\n" not in text.strip()
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if one_line and (bold or not _ESCAPED_NUMBER.match(source)) \
                and is_numbered_heading(text.strip()):
            self.add("heading", text.strip(), line)
        else:
            self.add("para", text, line)

    def read(self, tokens: list[Token]) -> None:
        i = 0
        in_table = False  # a cell is never a heading, whatever it holds ("6.0 (n=7)")
        table = TableRows()
        row: list[str] = []
        while i < len(tokens):
            token = tokens[i]
            line = (token.map[0] + 1) if token.map else 0
            in_table = (in_table or token.type == "table_open") and token.type != "table_close"
            if token.type == "tr_open":
                row = []
                row_line = line
            elif token.type == "tr_close":
                self.blocks += [Block("para", said, row_line) for said in table.read(row)]
            elif token.type == "table_close":
                table = TableRows()
            if token.type == "heading_open":
                self.add("heading", self.visible(tokens[i + 1], line).strip(), line,
                         int(token.tag[1]))
                i += 3
                continue
            if token.type == "blockquote_open":
                end = _closing(tokens, i)
                self.block_quote(tokens[i + 1 : end])
                i = end + 1
                continue
            if token.type == "inline" and in_table:
                row.append(self.visible(token, line))
                self.add("para", row[-1], line)
            elif token.type == "inline":
                self.paragraph(token, line)
            elif token.type in ("fence", "code_block"):
                self.add("para", token.content.rstrip("\n"), line + (token.type == "fence"))
            elif token.type == "html_block" and _THEME_TAG.fullmatch(token.content) \
                    and self.blocks and self.blocks[-1].kind == "heading":
                tag = _THEME_TAG.fullmatch(token.content)
                assert tag is not None
                self.blocks[-1] = replace(self.blocks[-1], theme_id=tag.group(1))
            elif token.type == "html_block" and not _COMMENT.fullmatch(token.content):
                self.refused.append(Refusal(line, _tag(token.content), (
                    "an HTML block in the draft: what a reader sees depends on it, so the gate "
                    "does not read it; write the text as Markdown")))
            i += 1

    def block_quote(self, tokens: list[Token]) -> None:
        """The block quote's paragraphs and items as quotes: joined while a mark is open."""
        inner = _Reader("\n".join(self.lines))
        inner.read(tokens)
        self.refused += inner.refused
        pieces = [(b.text, b.line) for b in inner.blocks]
        groups: list[list[tuple[str, int]]] = []
        for n, piece in enumerate(pieces):
            if groups and _open_mark_closed_by(groups[-1], pieces[n:]):
                groups[-1].append(piece)
            else:
                groups.append([piece])
        for group in groups:
            self.add("quote", "\n\n".join(text for text, _ in group), group[0][1])


def _open_mark_closed_by(group: list[tuple[str, int]], rest: list[tuple[str, int]]) -> bool:
    """Whether a quote mark opened in `group`, and not yet closed, is closed in `rest`."""
    so_far = "\n\n".join(text for text, _ in group)
    open_at = [s.start for s in quote_spans(so_far) if s.malformed == "unclosed"]
    if not open_at:
        return False
    joined = "\n\n".join([so_far, *(text for text, _ in rest)])
    return open_at[0] in {s.start for s in quote_spans(joined) if s.malformed is None}


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token closing the container opened at `start`."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def markdown_blocks(text: str) -> tuple[list[Block], list[Refusal]]:
    """The draft's blocks as a reader sees them, and the markup the gate refuses to read."""
    reader = _Reader(text)
    reader.read(_RENDERER.parse(text))
    return reader.blocks, reader.refused
