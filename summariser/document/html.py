"""Blocks as one self-contained HTML file: one stylesheet inline, figures embedded as data URIs,
no scripts, nothing to fetch. Every run's text is escaped (`document.escape`).

Outcomes use the Okabe-Ito colours (distinguishable with the common colour-vision deficiencies)
and their badges always carry a text label as well, so they survive greyscale printing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from summariser.document.escape import comment_text, html_text
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
    contents_targets,
    flat,
    plain,
)

__all__ = ["STYLESHEET", "to_html"]

# Columns past which a table is set smaller to fit the page (a breakdown by many groups).
WIDE_COLUMNS = 7

STYLESHEET = """
:root { --pass: #0072B2; --warning: #E69F00; --fail: #D55E00; --unchecked: #6b6b6b;
  --pass-bg: #e6f0f8; --warning-bg: #fdf3dc; --fail-bg: #fbe8de; --unchecked-bg: #f0f0f0;
  --muted: #555; --rule: #ccc; --sans: Helvetica, Arial, sans-serif; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 11pt/1.55 Georgia, "Times New Roman", serif; color: #1a1a1a;
  max-width: 46rem; margin: 2.5rem auto; padding: 0 1.25rem; }
h1 { font: bold 1.9rem/1.2 var(--sans); margin: 0 0 .4rem; }
h2 { font: bold 1.35rem/1.3 var(--sans); margin: 2.2rem 0 .6rem;
  border-bottom: 2px solid var(--pass); padding-bottom: .2rem; }
h3 { font: bold 1.08rem/1.3 var(--sans); margin: 1.6rem 0 .4rem; }
h4 { font: bold 1rem/1.3 var(--sans); margin: 1.4rem 0 .4rem; }
nav ul { list-style: none; padding-left: 0; } nav li.depth-1 { padding-left: 1.5rem; }
nav a { color: inherit; }
p.note { color: var(--muted); font-style: italic; }
blockquote { margin: .8rem 0 .8rem 1rem; padding: .3rem .9rem; border-left: 4px solid #56B4E9;
  background: #f4f8fb; }
blockquote cite { font-style: normal; font-family: var(--sans); font-size: .85em; color: #444;
  white-space: nowrap; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font: .85rem/1.4 var(--sans);
  width: 100%; }
caption { text-align: left; font-weight: bold; margin-bottom: .3rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .5rem; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid var(--muted); }
td.number { text-align: right; }
table.wide { font-size: .75rem; } table.wide th, table.wide td { padding: .2rem .3rem; }
tr { break-inside: avoid; page-break-inside: avoid; }
.page-break { break-after: page; }
figure { margin: 1rem 0; overflow-x: auto; }
figure img { width: 100%; min-width: 30rem; height: auto; }
figcaption { font: italic .85rem var(--sans); color: #444; }
code { font: .9em "DejaVu Sans Mono", Menlo, Consolas, monospace; }
dl { margin: .5rem 0; display: grid; grid-template-columns: 8.5rem 1fr; gap: .25rem .9rem; }
dt { font: 600 .85rem/1.55 var(--sans); color: var(--muted); }
dd { margin: 0; }
.badge { display: inline-block; min-width: 6.8rem; text-align: center; white-space: nowrap;
  font: bold .8rem/1.4 var(--sans); letter-spacing: .04em; padding: .2rem .5rem;
  border-radius: 3px; }
.badge.o-pass { background: var(--pass); color: #fff; }
.badge.o-warning { background: var(--warning); color: #000; }
.badge.o-fail { background: var(--fail); color: #fff; }
.badge.o-unchecked { background: var(--unchecked); color: #fff; }
article { border-left: 8px solid; border-radius: 4px; padding: .9rem 1.1rem; margin: 0 0 1.1rem;
  break-inside: avoid; page-break-inside: avoid; }
article.o-pass { border-color: var(--pass); background: var(--pass-bg); }
article.o-warning { border-color: var(--warning); background: var(--warning-bg); }
article.o-fail { border-color: var(--fail); background: var(--fail-bg); }
article.o-unchecked { border-color: var(--unchecked); background: var(--unchecked-bg); }
article h3 { margin-top: 0; }
article p { margin: .4rem 0; }
article blockquote { background: #fff; }
mark { background: #ffe58a; color: inherit; font-weight: bold; padding: 0 .08em;
  border-bottom: 2px solid #8a6d00; }
del { background: #f6d2c2; text-decoration: line-through 2px; }
ins { background: #cfe3f3; text-decoration: underline 2px; }
del::before { content: "[−"; font-size: .8em; } del::after { content: "]"; font-size: .8em; }
ins::before { content: "[+"; font-size: .8em; } ins::after { content: "]"; font-size: .8em; }
@media print { body { margin: 0; max-width: none; }
  h2, h3, h4, h3 + p, h4 + p { break-after: avoid; }
  figure, blockquote, table { break-inside: avoid; } }
"""

# A cell that is a figure ("12", "66.7%", "8.7 (n=7)", "3 of 9"): set right, as numbers are.
_NUMBER = re.compile(r"[-−]?\d[\d,.]*%?(?: (?:\(n=\d[\d,]*\)|of \d[\d,]*(?: \(\d+%\))?))?")

_TAGS = {Style.EMPHASIS: "em", Style.STRONG: "strong", Style.CODE: "code",
         Style.INSERTED: "ins", Style.DELETED: "del", Style.MARKED: "mark"}


def to_html(blocks: Sequence[Block], title: str, author: str = "",
            meta: dict[str, str] | None = None) -> str:
    """One self-contained file: the stylesheet inline, figures embedded as data URIs; `meta`
    adds `<meta name=… content=…>` elements."""
    byline = f'<meta name="author" content="{html_text(author)}">' if author else ""
    byline += "".join(f'<meta name="{html_text(name)}" content="{html_text(value)}">'
                      for name, value in (meta or {}).items())
    writer = _Writer(blocks)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"{byline}<title>{html_text(title)}</title><style>{STYLESHEET}</style></head>"
            "<body>\n"
            + "\n".join(writer.block(block) for block in blocks) + "\n</body></html>\n")


def _inline(text: Inline) -> str:
    parts = []
    for run in text:
        escaped = html_text(run.text).replace("\n", "<br>")  # a list in an answer stays one
        if run.style is Style.PLAIN:
            parts.append(escaped)
        elif run.style is Style.OUTCOME:
            parts.append(f'<span class="badge o-{run.outcome}">{escaped}</span>')
        else:
            parts.append(f"<{_TAGS[run.style]}>{escaped}</{_TAGS[run.style]}>")
    return "".join(parts)


class _Writer:
    """Writes blocks in order; a heading a contents entry names gets an id the entry links to."""

    def __init__(self, blocks: Sequence[Block]):
        self.marked, self.targets = contents_targets(flat(blocks))
        self.headings = 0

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            self.headings += 1
            mark = self.marked.get(self.headings)
            anchor = f' id="{mark}"' if mark else ""
            return f"<h{block.level}{anchor}>{_inline(block.text)}</h{block.level}>"
        if isinstance(block, Panel):
            return (f'<article class="o-{block.outcome}">'
                    + "".join(self.block(inner) for inner in block.blocks) + "</article>")
        if isinstance(block, Contents):
            return "<nav>" + _block(Heading(2, (Run(block.title),))) + "<ul>" + "".join(
                f'<li class="depth-{depth}">{self._entry(text)}</li>'
                for depth, text in block.entries) + "</ul></nav>"
        return _block(block)

    def _entry(self, text: Inline) -> str:
        mark = self.targets.get(plain(text))
        return f'<a href="#{mark}">{_inline(text)}</a>' if mark else _inline(text)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_inline(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        attributes = ' class="note"' if block.note else ""
        return f"<p{attributes}>{_inline(block.text)}</p>"
    if isinstance(block, Quote):
        cite = f" <cite>[{html_text(block.cite)}]</cite>" if block.cite else ""
        return f"<blockquote>{_inline(block.text)}{cite}</blockquote>"
    if isinstance(block, BulletList):
        return "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Definitions):
        return "<dl>" + "".join(f"<dt>{html_text(term)}</dt><dd>{_inline(text)}</dd>"
                                for term, text in block.items) + "</dl>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        data = base64.b64encode(block.png.read_bytes()).decode()
        return (f'<figure><img alt="{html_text(block.alt)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{html_text(block.caption)}</figcaption></figure>")
    if isinstance(block, Comment):
        return f"<!-- {comment_text(html_text(block.text))} -->"
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(f"not a block: {block!r}")


def _table(table: Table) -> str:
    caption = f"<caption>{html_text(table.caption)}</caption>" if table.caption else ""
    head = "".join(f"<th>{_inline(cell)}</th>" for cell in table.header)
    rows = "".join("<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in table.rows)
    note = f'<p class="note">{html_text(table.note)}</p>' if table.note else ""
    # A wide table (a breakdown by nine regions) is set smaller, its figures free to wrap
    # before their n, to fit the page; on a narrow screen it scrolls inside its box, not the
    # whole page with it.
    wide = ' class="wide"' if len(table.header) > WIDE_COLUMNS else ""
    return (f'<div class="table"><table{wide}>{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>{note}")


def _cell(cell: Inline) -> str:
    number = ' class="number"' if _NUMBER.fullmatch(plain(cell)) else ""
    return f"<td{number}>{_inline(cell)}</td>"

