"""Reading an HTML draft or report (`report.html`) for `summariser eval`, as a reader sees it.

Headings (`h1`-`h6`), paragraphs, list items, table cells, captions and block quotes become
`Block`s of their text, entities read and tags gone, with the line each starts on; `<br>` is a
line break. Nothing inside `<head>`, `<style>`, `<script>` or `<template>` is read. What a
reader may not see is refused, as in Markdown: an element that is `hidden`, styled out of sight
(`display: none`, `visibility: hidden`, `font-size: 0`, white text) or struck through (`<del>`,
`<s>`, `<strike>`) fails the gate rather than being read as if shown. The comment drafting
writes after a theme's heading (`<!-- theme: t1 -->`) ties that heading to its theme.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from summariser.document.html import STYLESHEET
from summariser.gate.blocks import Block, Refusal
from summariser.gate.tables import TableRows
from summariser.text.controls import from_placeholders

__all__ = ["html_blocks"]

_BLOCKS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
           "h6": "heading", "p": "para", "li": "para", "td": "para", "th": "para",
           "caption": "para", "figcaption": "para", "dt": "para", "dd": "para",
           "blockquote": "quote",
           # Containers: words written straight into them, outside any paragraph, are read too
           # ("<div>fifteen of 16 Chief Officers</div>" was once passed over).
           **dict.fromkeys(("body", "div", "pre", "section", "article", "main", "header",
                            "footer", "aside", "nav", "figure", "details", "summary", "address",
                            "center", "form", "fieldset", "legend", "label", "dl", "ul", "ol",
                            "table", "tr", "tbody", "thead", "tfoot"), "para")}
_UNREAD = {"head", "style", "script", "template", "title", "noscript"}
_STRUCK = {"del", "s", "strike"}
_VOID = {"br", "img", "meta", "link", "hr", "input", "wbr", "col", "area", "base", "source"}
_OUT_OF_SIGHT = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?![.\d]*[1-9])"
    r"|font-size\s*:\s*(?:0?\.\d+|[1-5](?:\.\d+)?)\s*(?:px|pt)\b"  # too small to read
    r"|font-size\s*:\s*0?\.[0-4]\d*\s*(?:em|rem)\b"
    r"|opacity\s*:\s*(?:0(?:\.[0-4]\d*)?|\.[0-4]\d*)\s*(?:[;!}\"']|$)"  # under one half
    r"|(?<![-\w])color\s*:\s*(?:white\b|transparent\b|#f[ef][ef]\b|#f[a-f0-9]f[a-f0-9]f[a-f0-9]\b"
    r"|rgba?\(\s*(?:2[4-5]\d\s*,\s*){2}2[4-5]\d\b)"  # white, or as near it as no reader tells
    r"|(?:left|top|text-indent|margin-left)\s*:\s*-\s*\d{3,}"  # pushed off the page
    r"|clip(?:-path)?\s*:|transform\s*:[^;]*scale\(\s*0", re.IGNORECASE)
# The stylesheet the report writer embeds; any other can hide words in ways a rule cannot list
# (a class set to display: none, content added with ::after).
_OWN_STYLESHEETS = frozenset({" ".join(STYLESHEET.split())})
_THEME_TAG = re.compile(r"^\s*theme:\s*(\S+)\s*$")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.refused: list[Refusal] = []
        self.stack: list[str] = []
        self.unread = 0  # depth inside elements not read at all
        self.open: list[tuple[str, int, list[str]]] = []  # block element, line, its text
        self.style_at = 0  # the line of the <style> element being read
        self.table = TableRows()  # the rows of the table being read, as statements
        self.row: list[str] = []  # the row being read, a cell per column it spans
        self.cell: list[str] | None = None  # the text of the cell being read, and its span
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {k.lower(): v or "" for k, v in attrs}
        if tag in _VOID:
            if tag == "br" and self.open:
                self.open[-1][2].append("\n")
            if tag == "br" and self.cell is not None:
                self.cell.append(" ")
            alt = values.get("alt", "").strip() if tag == "img" and not self.unread else ""
            if alt:  # shown where the image is not, and read aloud: words a reader meets
                self.blocks.append(Block("para", alt, line, 0, visible=True))
            return
        if tag in ("td", "th", "tr", "table") and not self.unread:
            self._cell_read()  # a cell, a row or a table starting ends the cell before it
            if tag == "tr":
                self._row_read(line)
            elif tag == "table":
                self.table = TableRows()
            else:
                self.cell = []
                span = values.get("colspan", "1")
                self.span = int(span) if span.isdigit() and 0 < int(span) <= 50 else 1
        self.stack.append(tag)
        if tag == "style" and not self.unread:
            self.style_at = line
        if self.unread or tag in _UNREAD:
            self.unread += 1
            return
        style = values.get("style", "")
        if "hidden" in values or tag in _STRUCK or _OUT_OF_SIGHT.search(style):
            why = "struck-through" if tag in _STRUCK else "hidden"
            self.refused.append(Refusal(line, f"<{tag}{' hidden' if 'hidden' in values else ''}"
                                              f"{f' style={style!r}' if style else ''}>", (
                f"{why} text in the HTML: a reader does not see it as written, so the gate does "
                "not read past it; delete it, or show it")))
        if tag in _BLOCKS and not (self.open and self.open[-1][0] == "blockquote"):
            self.open.append((tag, line, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        if tag in ("td", "th", "tr", "table") and not self.unread:
            self._cell_read()
            if tag in ("tr", "table"):
                self._row_read(self.getpos()[0])
        while self.stack:
            closed = self.stack.pop()
            if self.unread:
                self.unread -= 1
            elif self.open and self.open[-1][0] == closed:
                name, line, parts = self.open.pop()
                text = "".join(parts).strip()
                if text:
                    level = int(name[1]) if _BLOCKS[name] == "heading" else 0
                    self.blocks.append(Block(_BLOCKS[name], text, line, level, visible=True))
            if closed == tag:
                return

    def _cell_read(self) -> None:
        if self.cell is not None:
            self.row += [" ".join("".join(self.cell).split())] * self.span
            self.cell = None

    def _row_read(self, line: int) -> None:
        if self.row:
            self.blocks += [Block("para", said, line, visible=True)
                            for said in self.table.read(self.row)]
        self.row = []

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style" and data.strip() \
                and " ".join(data.split()) not in _OWN_STYLESHEETS:
            self.refused.append(Refusal(self.style_at, "<style>", (
                "a stylesheet other than the report's own: it can hide or add words in ways the "
                "gate cannot check, so the gate does not read past it; remove it")))
        if not self.unread and self.cell is not None:
            self.cell.append(from_placeholders(data))
        if not self.unread and self.open:
            data = from_placeholders(data)  # the writers' control pictures
            self.open[-1][2].append(" ".join(data.split("\n")) if self.open[-1][0] != "pre"
                                    else data)

    def handle_comment(self, data: str) -> None:
        tag = _THEME_TAG.match(data)
        if tag and self.blocks and self.blocks[-1].kind == "heading" and not self.open:
            self.blocks[-1] = replace(self.blocks[-1], theme_id=tag.group(1))


def html_blocks(text: str) -> tuple[list[Block], list[Refusal]]:
    """The HTML's blocks as a reader sees them, and what the gate refuses to read."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.blocks, reader.refused

