"""Blocks as a Word document: the one module that writes with python-docx. Text goes into runs,
never parsed, so nothing needs escaping here; but XML cannot hold most control characters, so
every text passes through `summariser.text.controls.xml_safe`, which shows each as a visible
placeholder the gate reads back as the same text.

Set as a publisher would print it: A4, one typeface (Arial, which Word has everywhere and
LibreOffice prints as the metric-identical Liberation Sans); the page number in the footer of
every page but the title page; a contents list whose entries link to their headings and give
their pages (Word fills the page numbers when the file is opened: it asks to update its fields;
LibreOffice computes them); tables whose columns are sized to what they hold, so no word is
broken across lines (`summariser.document.measure`), with their header row repeated on each page
and numbers aligned right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summariser.document.measure import Fitted, fit_columns
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
from summariser.text.controls import bidi_closed, xml_safe

__all__ = ["CELL_MARGIN_PT", "FONT", "TEXT_WIDTH_MM", "custom_property", "to_docx"]

FONT = "Arial"
TEXT_WIDTH_MM = 160  # A4 (210 mm) less margins of 25 mm
QUOTE_INDENT_MM = 10  # a quote is set in from both margins
CELL_MARGIN_PT = 5.75  # left and right in each table cell (Word's default, 0.08 in)
_NUMBER = re.compile(r"[\d.,%\s–\-−()n=]+")  # "8.6", "66.7%", "7–10", "8.7 (n=7)"

# The outcome colours of the HTML badges (summariser.document.html), the warning's darkened to
# be read as text on white.
_OUTCOME_RGB = {"pass": (0x00, 0x72, 0xB2), "warning": (0xB0, 0x76, 0x00),
                "fail": (0xD5, 0x5E, 0x00), "unchecked": (0x6B, 0x6B, 0x6B)}


def _text(text: str) -> str:
    """Text as a Word document may hold it: open bidirectional controls closed, and what XML
    cannot hold shown as placeholders."""
    return xml_safe(bidi_closed(text))


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
    # Quotes set in from both margins, so that a page of them reads as quotes, not body text.
    quoted = document.styles["Quote"].paragraph_format
    quoted.left_indent = quoted.right_indent = Mm(QUOTE_INDENT_MM)
    quoted.space_after = Pt(6)
    _one_typeface(document, FONT)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm((210 - TEXT_WIDTH_MM) / 2)
        _page_numbers(section)
    core = document.core_properties
    core.title, core.author = _text(title), _text(author)
    core.last_modified_by = _text(author)
    core.comments = ""
    writer = _Writer(document, blocks)
    for block in blocks:
        writer.block(block)
    if writer.linked:
        _update_fields_on_open(document)
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
        f"name={quoteattr(_text(name))}><vt:lpwstr>{escape(_text(value))}</vt:lpwstr>"
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


class _Writer:
    """Writes blocks in order, remembering a page break to put before the next paragraph and
    the bookmark each heading gets (the contents list links to them)."""

    def __init__(self, document: Any, blocks: Sequence[Block]):
        self.document = document
        self.break_before = False
        self.linked = False  # a contents list with page-number fields was written
        self.headings = 0  # headings written so far
        self.after_heading = False  # the last block written was a heading
        blocks = flat(blocks)
        # A bookmark by heading number, and by the heading's text
        self.marked, self.targets = contents_targets(blocks)
        self.fitted = _fit_series(blocks)

    def paragraph(self, style: str | None = None, heading: int | None = None) -> Any:
        if heading is not None:
            made = self.document.add_heading("", level=heading)
        else:
            made = self.document.add_paragraph(style=style)
        self._placed(made)
        return made

    def _placed(self, paragraph: Any) -> None:
        if self.break_before:
            paragraph.paragraph_format.page_break_before = True
            self.break_before = False

    def block(self, block: Block) -> None:
        self._write(block)
        if not isinstance(block, Comment):
            self.after_heading = isinstance(block, Heading)

    def _write(self, block: Block) -> None:
        from docx.shared import Cm

        if isinstance(block, Heading):
            level = min(block.level - 1, 4) if block.level > 1 else 0
            paragraph = self.paragraph(heading=level)
            _runs(paragraph, block.text)
            self.headings += 1
            if self.headings in self.marked:
                _bookmark(paragraph, self.marked[self.headings], self.headings)
        elif isinstance(block, Paragraph):
            paragraph = self.paragraph()
            _runs(paragraph, block.text, italic=block.note)
            # A heading's first line ("Raised by ...") stays with what follows it, so neither
            # is left alone at the foot of a page.
            if self.after_heading:
                paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Quote):
            paragraph = self.paragraph("Quote")
            _runs(paragraph, block.text)
            if block.cite:
                paragraph.add_run(" ")
                # One line: "[Chief Officer]" is not broken after "[Chief" (no-break spaces).
                cite = "\u00a0".join(block.cite.split(" "))
                paragraph.add_run(_text(f"[{cite}]")).italic = False
        elif isinstance(block, BulletList):
            for item in block.items:
                _runs(self.paragraph("List Bullet"), item)
        elif isinstance(block, Definitions):
            for term, text in block.items:
                paragraph = self.paragraph()
                paragraph.add_run(_text(f"{term}: ")).bold = True
                _runs(paragraph, text)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            picture = self.document.add_picture(str(block.png), width=Cm(16))
            picture._inline.docPr.set("descr", _text(block.alt))  # what screen readers read
            shown = self.document.paragraphs[-1]
            self._placed(shown)
            shown.paragraph_format.keep_with_next = True  # the caption stays with its figure
            self.paragraph("Caption").add_run(_text(block.caption))
        elif isinstance(block, Panel):
            for inner in block.blocks:
                self.block(inner)
        elif isinstance(block, Contents):
            self._contents(block)
        elif isinstance(block, PageBreak):
            self.break_before = True
        elif not isinstance(block, Comment):  # a comment is for whoever edits Markdown or HTML
            raise TypeError(f"not a block: {block!r}")

    def _contents(self, contents: Contents) -> None:
        """The contents list inside a content control, as Word writes one (readers of the
        document's paragraphs, such as the gate, pass it by): each entry a link to its
        heading's bookmark, a dotted tab and the heading's page (a PAGEREF field)."""
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.oxml import OxmlElement
        from docx.shared import Mm, Pt

        _runs(self.paragraph(heading=1), (Run(contents.title),))
        block = OxmlElement("w:sdt")
        properties = OxmlElement("w:sdtPr")
        gallery = OxmlElement("w:docPartObj")
        gallery.append(_element("w:docPartGallery", val="Table of Contents"))
        gallery.append(_element("w:docPartUnique"))
        properties.append(gallery)
        content = OxmlElement("w:sdtContent")
        block.append(properties)
        block.append(content)
        for depth, text in contents.entries:
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.left_indent = Mm(6 * depth)
            paragraph.paragraph_format.space_after = Pt(3)
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            target = self.targets.get(plain(text))
            if target is None:
                _runs(paragraph, text)
            else:
                link = _element("w:hyperlink", anchor=target, history="1")
                for run in text:
                    link.append(paragraph.add_run(_text(run.text))._r)
                paragraph._p.append(link)
                paragraph.add_run("\t")
                _field(paragraph, f" PAGEREF {target} \\h ")
                self.linked = True
            content.append(paragraph._p)  # moved into the content control
        self.document.element.body.insert(
            len(self.document.element.body) - 1, block)  # before the section properties

    def _table(self, table: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Pt

        if table.caption:
            caption = self.paragraph()
            caption.add_run(_text(table.caption)).bold = True
            caption.paragraph_format.keep_with_next = True
            caption.paragraph_format.space_before = Pt(12)
        columns = _columns(table)
        fitted = self.fitted[id(table)]
        right = [bool(cells[1:]) and all(_NUMBER.fullmatch(c) for c in cells[1:] if c)
                 for cells in columns]
        grid = self.document.add_table(rows=1, cols=len(table.header))
        grid.style = "Light List Accent 1"
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        grid.autofit = False  # a fixed layout: Word and LibreOffice keep the widths given
        _cell_margins(grid)
        for n, cell in enumerate(grid.rows[0].cells):
            _cell(cell, table.header[n], fitted.size, right[n])
        _repeat_as_header(grid.rows[0])
        for row in table.rows:
            for n, cell in enumerate(grid.add_row().cells):
                _cell(cell, row[n], fitted.size, right[n])
        for n, column in enumerate(grid.columns):
            width = Pt(round(fitted.widths[n] + 2 * CELL_MARGIN_PT, 2))
            column.width = width
            for cell in column.cells:
                cell.width = width
        for row in grid.rows:
            _cant_split(row)
        if table.note:
            note = self.paragraph()
            note.add_run(_text(table.note)).italic = True
            note.runs[0].font.size = Pt(fitted.size)


def _columns(table: Table) -> list[list[str]]:
    return [[plain(table.header[c]), *(plain(row[c]) for row in table.rows)]
            for c in range(len(table.header))]


def _fit_series(blocks: Sequence[Block]) -> dict[int, Fitted]:
    """Column widths of each table (by id). Tables of one series, the same columns one after
    another (the appendix's, a section each), share their widths, fitted to all their cells."""
    series: list[list[Table]] = []
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Table):
            if isinstance(previous, Table) and \
                    list(map(plain, previous.header)) == list(map(plain, block.header)):
                series[-1].append(block)
            else:
                series.append([block])
        previous = block
    fitted = {}
    for tables in series:
        columns = [sum((_columns(t)[c] for t in tables), []) for c in range(len(tables[0].header))]
        widths = fit_columns(columns, TEXT_WIDTH_MM * 72 / 25.4, 2 * CELL_MARGIN_PT)
        fitted.update({id(t): widths for t in tables})
    return fitted


def _cell(cell: Any, text: Inline, size: float, right: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    _runs(paragraph, text)
    for run in paragraph.runs:
        run.font.size = Pt(size)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def _cell_margins(grid: Any) -> None:
    """0.08 in each side, whatever the table style says: the widths are computed with them."""
    from docx.oxml.ns import qn

    margins = _element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", w=str(round(CELL_MARGIN_PT * 20)), type="dxa"))
    properties = grid._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema's order: tblLayout, tblCellMar, tblLook
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _repeat_as_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(_element("w:tblHeader"))


def _cant_split(row: Any) -> None:
    row._tr.get_or_add_trPr().insert(0, _element("w:cantSplit"))


def _field(paragraph: Any, instruction: str, shown: str = "") -> None:
    """A field (PAGE, PAGEREF) whose result Word and LibreOffice compute; `shown` until then."""
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="begin"))
    code = _element("w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = instruction
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))


def _bookmark(paragraph: Any, name: str, number: int) -> None:
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0,
                        _element("w:bookmarkStart", id=str(number), name=name))
    paragraph._p.append(_element("w:bookmarkEnd", id=str(number)))


def _page_numbers(section: Any) -> None:
    """The page number, centred in the footer of every page but the first (the title page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, " PAGE ", "1")


def _one_typeface(document: Any, font: str) -> None:
    """Every style in `font`: the default template's theme fonts (Calibri and Cambria) are not on
    every machine, and the table widths are measured in this one."""
    from docx.oxml.ns import qn

    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for theme in ("asciiTheme", "hAnsiTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)
        for name in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{name}"), font)


def _update_fields_on_open(document: Any) -> None:
    """Word fills the contents' page numbers when the file is opened (it asks first)."""
    from docx.oxml.ns import qn

    settings = document.settings.element
    later = {qn(f"w:{t}") for t in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
                                    "docVars", "rsids", "mathPr", "attachedSchema",
                                    "themeFontLang", "clrSchemeMapping",
                                    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                                    "forceUpgrade", "captions", "readModeInkLockDown",
                                    "smartTagType", "schemaLibrary", "shapeDefaults",
                                    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}
    update = _element("w:updateFields", val="true")
    following = next((child for child in settings if child.tag in later), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)


def _runs(paragraph: Any, text: Inline, *, italic: bool = False) -> None:
    for run in text:
        _run(paragraph.add_run(_text(run.text)), run, italic)


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
