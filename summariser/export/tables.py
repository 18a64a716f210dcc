"""coded.csv and coded.xlsx: one row per coded segment, and in the workbook a respondent x theme
sheet and a sheet of the answers no theme counts.

Answers are written so that no spreadsheet runs them (CSV or formula injection: an answer
"=HYPERLINK(...)" or "@SUM(...)" would otherwise be a formula when the file is opened):
- in the CSV, a text cell that begins with =, +, -, @, a tab or a carriage return is written
  with one apostrophe before it, as is one that already begins with an apostrophe, so the rule
  reverses exactly: drop the first character of a text cell that begins with an apostrophe
  (`summariser.document.escape.csv_cell` and `csv_text`). Everything else is written as it
  was said: quotes, line breaks, control characters and any script, in UTF-8 (with a
  byte-order mark, so Excel reads it as UTF-8).
- in the workbook, every text cell is typed as text (never a formula), and one that begins with
  those characters is also marked as text for editing (Excel's quote prefix: editing it does not
  turn it into a formula); its value is the answer's own. The control characters an .xlsx (XML)
  cannot hold are shown as their visible Unicode pictures ("␋" for a vertical tab), as in the
  Word report (`summariser.text.controls`; `from_placeholders` gives the text back), and a text
  longer than Excel's 32,767 characters a cell is cut there, saying so in the cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from summariser.document.escape import FORMULA_START, csv_cell
from summariser.export.coded import CodedData, CodedSegment, Uncoded
from summariser.text.controls import xml_safe

__all__ = ["CODED_COLUMNS", "EXCEL_CELL_LIMIT", "UNCODED_COLUMNS", "coded_csv", "coded_xlsx"]

CODED_COLUMNS = ("section", "section_title", "question", "respondent", "response_id",
                 "theme_id", "theme", "counted", "coded_by", "similarity", "phrase", "start",
                 "end", "segment")
UNCODED_COLUMNS = ("section", "section_title", "question", "respondent", "response_id", "kind",
                   "answer")
_SURROGATE = re.compile("[\ud800-\udfff]")
EXCEL_CELL_LIMIT = 32_767
_CUT = " … [cut: Excel holds 32,767 characters a cell]"


def _segment_row(segment: CodedSegment) -> tuple[Any, ...]:
    theme = segment.theme
    return (theme.section, theme.section_title, segment.question, segment.respondent,
            segment.response_id, theme.theme_id, theme.title,
            "yes" if segment.counted else "no", segment.via, segment.similarity, segment.phrase,
            segment.start, segment.end, segment.text)


def _uncoded_row(row: Uncoded) -> tuple[Any, ...]:
    return (row.section, row.section_title, row.question, row.respondent, row.response_id,
            row.kind, row.text)


# --- CSV ---------------------------------------------------------------------------------------

def coded_csv(data: CodedData) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CODED_COLUMNS)
    for segment in data.segments:
        writer.writerow([csv_cell(v) for v in _segment_row(segment)])
    # A lone surrogate (from a damaged source) has no UTF-8: it is written as U+FFFD, one
    # character for one, so the offsets still hold.
    return _SURROGATE.sub("\ufffd", out.getvalue()).encode("utf-8-sig")


# --- XLSX --------------------------------------------------------------------------------------

def excel_text(text: str) -> str:
    """Text an .xlsx cell can hold (module docstring)."""
    text = xml_safe(text)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[:EXCEL_CELL_LIMIT - len(_CUT)] + _CUT
    return text


def coded_xlsx(data: CodedData) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    coded = workbook.active
    coded.title = "Coded segments"
    _sheet(coded, CODED_COLUMNS, [_segment_row(s) for s in data.segments],
           widths={"segment": 80, "theme": 30, "section_title": 30, "phrase": 18})
    matrix = data.matrix()
    labels = _unique([t.label for t in data.themes])
    _sheet(workbook.create_sheet("Respondents x themes"), ("respondent", *labels),
           [(person, *(counts[t] for t in data.themes)) for person, counts in matrix.items()],
           widths={label: max(12, min(len(label), 40)) for label in labels})
    _sheet(workbook.create_sheet("Not coded"), UNCODED_COLUMNS,
           [_uncoded_row(u) for u in data.uncoded], widths={"answer": 100, "section_title": 30})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Any, header: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: dict[str, int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for column, name in enumerate(header, 1):
        _cell(sheet, 1, column, name).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(name, 14)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            cell = _cell(sheet, number, column, value)
            if header[column - 1] in widths and isinstance(value, str):
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


def _cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = excel_text(value)
        cell.data_type = "s"  # openpyxl would make a text beginning with "=" a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _unique(labels: list[str]) -> list[str]:
    """Column names, a repeated one numbered ("2.1 Home (2)")."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique
