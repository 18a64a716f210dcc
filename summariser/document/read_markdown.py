"""Markdown read back into the document model, so the analyst's edited drafts become the report.

Parsed with markdown-it-py (CommonMark), so a draft reads as any Markdown viewer shows it:
escapes are undone, emphasis and strong text keep their style, a block quote ending in a
citation ("“…” [R07]") becomes a `Quote` with that citation, and comments are kept as `Comment`s
(not shown). Links keep their words and lose their address; raw HTML tags are kept as the
literal text the writers will escape, never as markup. What a Markdown viewer does not show as
words is not published as words either, as the gate (`summariser.gate.markdown`) does not read it:
a comment inside a paragraph, and an image (a draft's image is not a figure the report draws).
"""

from __future__ import annotations

import re

from summariser.document.model import (
    Block,
    BulletList,
    Comment,
    Heading,
    Inline,
    Paragraph,
    Quote,
    Run,
    Style,
    runs,
)

__all__ = ["read_markdown"]

_CITATION = re.compile(r"\s*\[([^\[\]]+)\]\s*$")
_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.DOTALL)


def read_markdown(text: str) -> list[Block]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            blocks.append(Heading(int(token.tag[1]), _inline(tokens[i + 1])))
            i += 3
        elif token.type == "paragraph_open":
            shown = _inline(tokens[i + 1])
            if "".join(run.text for run in shown).strip():  # not an image alone
                blocks.append(_paragraph(shown))
            i += 3
        elif token.type == "blockquote_open":
            end, depth = i + 1, 1
            while depth:
                depth += {"blockquote_open": 1, "blockquote_close": -1}.get(tokens[end].type, 0)
                end += 1
            blocks.append(_quote([t for t in tokens[i + 1:end - 1] if t.type == "inline"]))
            i = end
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            end = next(j for j in range(i + 1, len(tokens))
                       if tokens[j].type == close and tokens[j].level == token.level)
            items = tuple(_inline(t) for t in tokens[i + 1:end]
                          if t.type == "inline" and t.level == token.level + 3)
            blocks.append(BulletList(items))
            i = end + 1
        elif token.type == "html_block":
            comment = _COMMENT.match(token.content)
            blocks.append(Comment(comment.group(1).strip()) if comment
                          else Paragraph(runs(token.content.strip())))
            i += 1
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph(runs(Run(token.content.rstrip("\n"), Style.CODE))))
            i += 1
        else:
            i += 1
    return blocks


def _paragraph(text: Inline) -> Paragraph:
    """A paragraph that is emphasis from end to end is a note (how the writer prints notes)."""
    if len(text) == 1 and text[0].style is Style.EMPHASIS:
        return Paragraph(runs(text[0].text), note=True)
    return Paragraph(text)


def _quote(inlines: list) -> Quote:
    parts: list[Run] = []
    for n, token in enumerate(inlines):
        if n:
            parts.append(Run("\n"))
        parts += _inline(token)
    cite = ""
    if parts and parts[-1].style is Style.PLAIN:
        found = _CITATION.search(parts[-1].text)
        if found:
            cite = found.group(1).strip()
            rest = parts[-1].text[:found.start()]
            parts = parts[:-1] + ([Run(rest)] if rest else [])
    return Quote(_merged(parts), cite)


def _inline(token) -> Inline:
    out: list[Run] = []
    styles: list[Style] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("em_open", "strong_open"):
            styles.append(Style.EMPHASIS if kind == "em_open" else Style.STRONG)
        elif kind in ("em_close", "strong_close"):
            styles.pop()
        elif kind in ("softbreak", "hardbreak"):
            out.append(Run("\n"))
        elif kind == "code_inline":
            out.append(Run(child.content, Style.CODE))
        elif kind == "text" or kind == "html_inline" and not _COMMENT.match(child.content):
            out.append(Run(child.content, styles[-1] if styles else Style.PLAIN))
        # link_open/link_close: the words stay (as text children), the address goes.
    return _merged(out)


def _merged(parts: list[Run]) -> Inline:
    """Neighbouring runs of one style joined, so text reads as one run per style change."""
    merged: list[Run] = []
    for run in parts:
        if merged and merged[-1].style is run.style and run.style is not Style.OUTCOME:
            merged[-1] = Run(merged[-1].text + run.text, run.style)
        elif run.text:
            merged.append(run)
    return tuple(merged)
