"""Blocks as a Word document: the one module that writes with python-docx. Text goes into runs,
never parsed, so nothing needs escaping here; but XML cannot hold most control characters, so
every text passes through `summariser.text.controls.xml_safe`, which shows each as a visible
placeholder the gate reads back as the same text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summariser.document.model import (
    Block,
    BulletList,
    Comment,
    Definitions,
    Figure,
    Heading,
    Inline,
    Panel,
    Paragraph,
    Quote,
    Run,
    Style,
    Table,
)
from summariser.text.controls import xml_safe

__all__ = ["custom_property", "to_docx"]

# The outcome colours of the HTML badges (summariser.document.html), the warning's darkened to
# be read as text on white.
_OUTCOME_RGB = {"pass": (0x00, 0x72, 0xB2), "warning": (0xB0, 0x76, 0x00),
                "fail": (0xD5, 0x5E, 0x00), "unchecked": (0x6B, 0x6B, 0x6B)}


_CUSTOM_PART = "/docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def to_docx(blocks: Sequence[Block], path: Path, title: str = "", author: str = "",
            properties: dict[str, str] | None = None) -> None:
    """An A4 document whose properties name its title and author (python-docx's own default
    author would otherwise be "python-docx"), with `properties` as custom document properties
    (text), saved at `path` (a caller wanting it atomic passes a staged path:
    summariser.outputs)."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
    core = document.core_properties
    core.title, core.author = xml_safe(title), xml_safe(author)
    core.last_modified_by = xml_safe(author)
    core.comments = ""
    for block in blocks:
        _block(document, block)
    if properties:
        _add_custom_properties(document, properties)
    document.save(str(path))


def _add_custom_properties(document: Any, properties: dict[str, str]) -> None:
    """docProps/custom.xml, which python-docx does not write: Word shows these under File >
    Properties > Custom, and keeps them when the file is edited and saved."""
    from xml.sax.saxutils import escape, quoteattr

    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    entries = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f"name={quoteattr(xml_safe(name))}><vt:lpwstr>{escape(xml_safe(value))}</vt:lpwstr>"
        "</property>" for pid, (name, value) in enumerate(properties.items(), 2))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
           f'xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{entries}</Properties>')
    package = document.part.package
    part = Part(PackURI(_CUSTOM_PART), _CUSTOM_TYPE, xml.encode("utf-8"), package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def custom_property(path: Path, name: str) -> str | None:
    """A custom document property of a Word file (None: it has none by that name, or the file
    cannot be read)."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(_CUSTOM_PART.lstrip("/"))
        root = ElementTree.fromstring(xml)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == name:
            return "".join(prop.itertext()).strip()
    return None


def _block(document: Any, block: Block) -> None:
    from docx.shared import Cm

    if isinstance(block, Heading):
        level = min(block.level - 1, 4) if block.level > 1 else 0
        _runs(document.add_heading("", level=level), block.text)
    elif isinstance(block, Paragraph):
        _runs(document.add_paragraph(), block.text, italic=block.note)
    elif isinstance(block, Quote):
        paragraph = document.add_paragraph(style="Quote")
        _runs(paragraph, block.text)
        if block.cite:
            paragraph.add_run(" ")
            paragraph.add_run(xml_safe(f"[{block.cite}]")).italic = False
    elif isinstance(block, BulletList):
        for item in block.items:
            _runs(document.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, Definitions):
        for term, text in block.items:
            paragraph = document.add_paragraph()
            paragraph.add_run(xml_safe(f"{term}: ")).bold = True
            _runs(paragraph, text)
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Figure):
        picture = document.add_picture(str(block.png), width=Cm(16))
        picture._inline.docPr.set("descr", xml_safe(block.alt))  # what screen readers read
        document.add_paragraph(style="Caption").add_run(xml_safe(block.caption))
    elif isinstance(block, Panel):
        for inner in block.blocks:
            _block(document, inner)
    elif not isinstance(block, Comment):  # a comment is for whoever edits Markdown or HTML
        raise TypeError(f"not a block: {block!r}")


def _table(document: Any, table: Table) -> None:
    if table.caption:
        document.add_paragraph().add_run(xml_safe(table.caption)).bold = True
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Light List Accent 1"
    for cell, text in zip(grid.rows[0].cells, table.header):
        _runs(cell.paragraphs[0], text)
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row):
            _runs(cell.paragraphs[0], text)
    if table.note:
        document.add_paragraph().add_run(xml_safe(table.note)).italic = True


def _runs(paragraph: Any, text: Inline, *, italic: bool = False) -> None:
    for run in text:
        _run(paragraph.add_run(xml_safe(run.text)), run, italic)


def _run(styled: Any, run: Run, italic: bool) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    if italic or run.style is Style.EMPHASIS:
        styled.italic = True
    if run.style in (Style.STRONG, Style.MARKED, Style.OUTCOME):
        styled.bold = True
    if run.style is Style.CODE:
        styled.font.name = "Consolas"
    elif run.style is Style.INSERTED:
        styled.underline = True
    elif run.style is Style.DELETED:
        styled.font.strike = True
    elif run.style is Style.MARKED:
        styled.font.highlight_color = WD_COLOR_INDEX.YELLOW
    elif run.style is Style.OUTCOME:
        styled.font.color.rgb = RGBColor(*_OUTCOME_RGB[run.outcome])
