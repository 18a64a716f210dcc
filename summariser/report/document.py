"""A small document model and its three renderings: Markdown, one self-contained HTML file,
and .docx (python-docx). The report is built once as blocks, so the formats cannot disagree."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Quote:
    text: str
    cite: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Figure:
    caption: str
    png: Path
    alt: str


Block = Heading | Paragraph | Quote | Table | Figure


def to_markdown(blocks: Sequence[Block], base: Path) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            lines += [f"*{block.text}*" if block.emphasis else block.text, ""]
        elif isinstance(block, Quote):
            lines += ["> " + f"“{block.text}” [{block.cite}]".replace("\n", "\n> "), ""]
        elif isinstance(block, Table):
            cells = [[c.replace("|", "\\|") for c in row] for row in block.rows]
            lines += [f"**{block.caption}**", "", "| " + " | ".join(block.header) + " |",
                      "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(row) + " |" for row in cells]
            lines += [""] + ([f"*{block.note}*", ""] if block.note else [])
        else:
            relative = block.png.relative_to(base) if block.png.is_relative_to(base) \
                else block.png
            lines += [f"![{block.alt}]({relative.as_posix()})", "", f"*{block.caption}*", ""]
    return "\n".join(lines).rstrip() + "\n"


CSS = """
body { font: 11pt/1.55 Georgia, 'Times New Roman', serif; color: #1a1a1a; max-width: 46rem;
       margin: 2.5rem auto; padding: 0 1.25rem; }
h1 { font: bold 1.9rem/1.2 Helvetica, Arial, sans-serif; margin: 0 0 .4rem; }
h2 { font: bold 1.35rem/1.3 Helvetica, Arial, sans-serif; margin: 2.2rem 0 .6rem;
     border-bottom: 2px solid #0072B2; padding-bottom: .2rem; }
h3 { font: bold 1.08rem/1.3 Helvetica, Arial, sans-serif; margin: 1.6rem 0 .4rem; }
p.note { color: #555; font-style: italic; }
blockquote { margin: .8rem 0 .8rem 1rem; padding: .3rem .9rem; border-left: 4px solid #56B4E9;
             background: #f4f8fb; }
blockquote cite { font-style: normal; font-family: Helvetica, Arial, sans-serif;
                  font-size: .85em; color: #444; white-space: nowrap; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font: .85rem/1.4 Helvetica, Arial,
        sans-serif; width: 100%; }
caption { text-align: left; font-weight: bold; margin-bottom: .3rem; }
th, td { border-bottom: 1px solid #ccc; padding: .25rem .5rem; text-align: left;
         vertical-align: top; }
th { border-bottom: 2px solid #555; }
figure { margin: 1rem 0; } figure img { width: 100%; height: auto; }
figcaption { font: italic .85rem Helvetica, Arial, sans-serif; color: #444; }
.review { border: 2px solid #D55E00; padding: .5rem 1rem; background: #fff4ec; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               figure, blockquote, table { break-inside: avoid; } }
"""


def to_html(blocks: Sequence[Block], title: str) -> str:
    """One self-contained file: styles inline, figures embedded as data URIs."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            css = ' class="note"' if block.emphasis else ""
            body.append(f"<p{css}>{html.escape(block.text)}</p>")
        elif isinstance(block, Quote):
            body.append(f"<blockquote>“{html.escape(block.text)}” "
                        f"<cite>[{html.escape(block.cite)}]</cite></blockquote>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.header)
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                           for row in block.rows)
            note = f'<p class="note">{html.escape(block.note)}</p>' if block.note else ""
            body.append(f"<table><caption>{html.escape(block.caption)}</caption>"
                        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}")
        else:
            data = base64.b64encode(block.png.read_bytes()).decode()
            body.append(f'<figure><img alt="{html.escape(block.alt)}" '
                        f'src="data:image/png;base64,{data}"><figcaption>'
                        f"{html.escape(block.caption)}</figcaption></figure>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def to_docx(blocks: Sequence[Block], path: Path) -> None:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(block.level - 1, 4) if block.level > 1
                                 else 0)
        elif isinstance(block, Paragraph):
            run = document.add_paragraph().add_run(block.text)
            run.italic = block.emphasis
        elif isinstance(block, Quote):
            paragraph = document.add_paragraph(style="Quote")
            paragraph.add_run(f"“{block.text}” ")
            paragraph.add_run(f"[{block.cite}]").italic = False
        elif isinstance(block, Table):
            document.add_paragraph().add_run(block.caption).bold = True
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Light List Accent 1"
            for cell, text in zip(table.rows[0].cells, block.header):
                cell.text = text
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = text
            if block.note:
                document.add_paragraph().add_run(block.note).italic = True
        else:
            document.add_picture(str(block.png), width=Cm(16))
            document.add_paragraph().add_run(block.caption).italic = True
    document.save(str(path))
