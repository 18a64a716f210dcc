"""Tabular exports read as rows of text cells, each row with the place it starts in the file.

A problem is reported where the analyst will look for it: for CSV and JSONL the file line (a
CSV's header is line 1, so its first data row is line 2, and a row whose answer holds a line
break spans several lines), for XLSX the sheet row (the header is row 1), for Parquet the data
row (the first is row 1).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.errors import InputError
from summariser.project.problems import Problems
from summariser.project.textfile import decode, lines
from summariser.text.visible import blank

__all__ = ["DELIMITERS", "XLSX_MAX_UNPACKED", "Layout", "Row", "TableRows", "cell_text",
           "misread", "read_rows"]

# What the parts of an xlsx (its XML: sheets, shared strings) may unpack to. openpyxl holds
# every shared string in memory: a 2.9 MB file whose strings unpacked to 3 GB took 3 GB, then
# failed without a reason. A sheet of 200,000 long answers unpacks to a few hundred MB.
XLSX_MAX_UNPACKED = 1 << 30

# What a CSV's cells may be separated by, as named in messages. Excel writes ";" where the
# decimal mark is a comma (much of Europe), and "Unicode text" uses tabs.
DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
_ANY_DELIMITER = re.compile("[,;\t|]")
SNIFF_ROWS = 50  # rows after the header that decide a CSV's delimiter
HEAD_ROWS = 10  # rows below the header searched for the column names (`misread`)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a table lies in its file, as the source in the manifest says."""

    delimiter: str | None = None  # CSV; None: found from the header (`_delimiter`)
    sheet: str | None = None  # XLSX; None: the first sheet that is not hidden
    header_row: int = 1  # CSV: the file line the header starts on; XLSX: its sheet row
    used: Collection[str] | None = None  # JSONL: the keys read, whose values must be scalars


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # where the row starts: file line, sheet row or data row (TableRows.unit)
    cells: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class TableRows:
    name: str  # the file as written in the manifest
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    unit: str  # "line" (CSV, JSONL) or "row" (XLSX, Parquet)
    problems: tuple[tuple[int, str], ...] = ()  # (line, message): rows left out, and why
    delimiter: str | None = None  # a CSV's, as read
    sheet: str | None = None  # an XLSX's, as read
    other_sheets: tuple[str, ...] = ()  # an XLSX's, for a message: "'Notes'", "'Old' (hidden)"
    header_row: int = 1
    # The first rows below the header, every cell as read whatever the row's shape: where
    # `misread` looks for column names that are lower down.
    head: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def at(self, row: Row | int) -> str:
        """Where a row is, for a message: "survey.csv line 4"."""
        return f"{self.name} {self.unit} {row.line if isinstance(row, Row) else row}"


def cell_text(value: Any) -> str | None:
    """A cell as text: None for a missing value, 7 for 7.0, anything else as written."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    # Up to 2**53 a float holds every whole number exactly; past it, 1.5e300 written as an
    # integer would show some 300 digits no one wrote.
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return str(int(value))
    if value.__class__.__name__ in ("NAType", "NaTType"):  # pandas' missing values
        return None
    return value if isinstance(value, str) else str(value)


def read_rows(path: Path, name: str, table_format: str, encoding: str | None,
              problems: Problems, layout: Layout = Layout()) -> TableRows | None:
    """The file's rows, or None after recording in `problems` why it cannot be read at all.
    Rows that break the table's shape are left out and listed in `TableRows.problems`."""
    if path.stat().st_size == 0:
        raise InputError(f"{name}: the file is empty; export it again")
    if table_format == "csv":
        text = decode(path.read_bytes(), name, encoding, problems.notes)
        default = "\t" if path.suffix.lower() == ".tsv" else ","
        table = _csv(text, layout, default, name, problems)
    elif table_format == "jsonl":
        table = _jsonl(decode(path.read_bytes(), name, encoding, problems.notes), name,
                       layout.used)
    elif table_format == "xlsx":
        table = _xlsx(path, name, layout)
    else:
        table = _parquet(path, name)
    if table is not None and not table.rows and not table.problems:
        if table.sheet is not None and table.other_sheets:
            raise InputError(f"{name}: sheet '{table.sheet}' has a header but no rows"
                             f"{_other_sheets(table)}")
        raise InputError(f"{name}: the file has a header but no rows")
    return table


def _header(cells: list[Any]) -> tuple[str, ...]:
    """Column names, stripped; a blank one is "Unnamed: <n>" and a repeated one gets ".1", ".2"
    (as spreadsheets and pandas name them). Linear in the number of columns: with a list
    searched for each name, a 100,000-column export took minutes here."""
    names: list[str] = []
    taken: set[str] = set()
    copies: dict[str, int] = {}  # the last copy number given to each name
    for number, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        base = text or f"Unnamed: {number}"
        name, copy = base, copies.get(base, 0)
        while name in taken:
            copy += 1
            name = f"{base}.{copy}"
        copies[base] = copy
        names.append(name)
        taken.add(name)
    return tuple(names)


def _csv(text: str, layout: Layout, default: str, name: str, problems: Problems
         ) -> TableRows | None:
    # The csv module refuses a field over 128 KiB, as a malformed row: one long answer failed
    # the whole file. Lifted for this read (a field is never longer than the file), so every
    # answer is read and `oversized_cells` decides what becomes of a long one.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text)))
    try:
        sep = layout.delimiter or _delimiter(text, default, layout.header_row)
        return _csv_rows(text, sep, layout.header_row, name, problems)
    finally:
        csv.field_size_limit(limit)


def _delimiter(text: str, default: str, header_row: int) -> str:
    """The delimiter of a CSV whose source names none: of comma, semicolon and tab, the one
    that splits the header into two or more columns and the most of the next `SNIFF_ROWS`
    rows into as many cells (at least half of them); `default` when none does. A count of
    each character in the header alone would take a question's commas ("Thinking of the
    library, how...") for columns."""
    best, best_fit = default, (0, 0)
    for sep in dict.fromkeys((default, ",", ";", "\t")):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        try:
            width = len(_header_at(reader, header_row) or [])
            sample = [len(fields) for fields in itertools.islice(reader, SNIFF_ROWS)
                      if any(cell.strip() for cell in fields)]
        except csv.Error:
            continue
        fit = sum(cells == width for cells in sample)
        if width > 1 and 2 * fit >= len(sample) and (fit, width) > best_fit:
            best, best_fit = sep, (fit, width)
    return best


def _header_at(reader: Any, header_row: int) -> list[str] | None:
    """The first record that starts on line `header_row` or below, the lines above it (a
    title, a note) passed over."""
    start, header = 1, next(reader, None)
    while header is not None and start < header_row:
        start = reader.line_num + 1
        header = next(reader, None)
    return header


def _csv_rows(text: str, sep: str, header_row: int, name: str, problems: Problems
              ) -> TableRows | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[Row] = []
    shape: list[tuple[int, str]] = []
    head: list[tuple[int, tuple[str, ...]]] = []
    start = header_row
    try:
        header = _header_at(reader, header_row)
        if header is None or not any(cell.strip() for cell in header):
            where = "the file has no header row" if header_row == 1 else \
                f"no header on line {header_row} (header_row) or below"
            raise InputError(f"{name}: {where}; set header_row to the line of the column names "
                             "in summariser.toml, or export the file again")
        columns = _header(header)
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if len(head) < HEAD_ROWS:
                head.append((line, tuple(fields)))
            if len(fields) < len(columns) and all(map(blank, fields)):
                continue  # a blank line
            if len(fields) > len(columns):
                shape.append((line, f"{len(fields)} cells, but the header has {len(columns)}; "
                              f"an answer holding a {DELIMITERS[sep]} must be in double quotes"))
                continue
            if len(fields) < len(columns):
                # An answer's line break outside quotes ends the row early and starts a
                # phantom one ("and the wifi is slow" once became a respondent's id).
                shape.append((line, f"{len(fields)} cells, but the header has {len(columns)}; "
                              "an answer holding a line break must be in double quotes, and "
                              f"an empty cell still needs its {DELIMITERS[sep]}"))
                continue
            rows.append(Row(line, dict(zip(columns, fields, strict=True))))
    except csv.Error as exc:
        problems.add(f"{name} line {start}", f"not a well-formed row ({exc}); check for an "
                     "unbalanced or undoubled quote mark, or export the file again")
        return None
    return TableRows(name, columns, tuple(rows), "line", tuple(shape), sep,
                     header_row=header_row, head=tuple(head))


def misread(table: TableRows, column: str) -> str | None:
    """When `column`, which the manifest names, is missing because the file seems to have been
    read the wrong way, what to set (one line); else None."""
    if table.unit == "line" and table.delimiter is None:
        return None  # JSONL: there is no header to misplace
    where = "line" if table.delimiter is not None else "row"
    for line, cells in table.head:
        texts = {cell.strip() for cell in cells}
        if where == "line":  # below a title line, a header may be split on the wrong delimiter
            texts |= {part.strip() for cell in cells for part in _ANY_DELIMITER.split(cell)}
        if column in texts:
            return (f"no column '{column}' in the header ({where} {table.header_row}), but "
                    f"{where} {line} holds it: set header_row = {line} on this source in "
                    "summariser.toml")
    if table.delimiter is not None and len(table.columns) == 1:
        header = table.columns[0]
        counts = {sep: header.count(sep) for sep in DELIMITERS if sep != table.delimiter}
        other = max(counts, key=lambda sep: counts[sep])
        if counts[other]:
            shown = header if len(header) <= 60 else header[:59] + "…"
            written = json.dumps(other)  # a TOML string: "\t" for a tab
            return (f"the header is one column, {json.dumps(shown, ensure_ascii=False)}; the "
                    f"file seems to use another delimiter ({DELIMITERS[other]}): set delimiter "
                    f"= {written} on this source in summariser.toml")
    if table.sheet is not None and table.other_sheets:
        found = ", ".join(table.columns[:8]) + (", ..." if len(table.columns) > 8 else "")
        return (f"no column '{column}' in sheet '{table.sheet}' (header row {table.header_row}: "
                f"{found}){_other_sheets(table)}")
    return None


def _other_sheets(table: TableRows) -> str:
    return (f"; the workbook's other sheets: {', '.join(table.other_sheets)}; set sheet = "
            "\"<name>\" on this source in summariser.toml (and header_row if its column names "
            "are not on row 1)")


def _jsonl(text: str, name: str, used: Collection[str] | None) -> TableRows:
    """One row per JSON object. A nested object's values are read under dotted keys
    ({"answer": {"text": ...}} gives "answer.text"); a key the manifest reads (`used`, None for
    all) that holds an object or a list leaves its line out as a problem: its Python text
    ("{'text': ...}") was once quoted as someone's words."""
    rows: list[Row] = []
    shape: list[tuple[int, str]] = []
    columns: dict[str, None] = {}
    for number, _, line in lines(text):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            shape.append((number, f"not valid JSON ({exc.msg}); fix or remove that line"))
            continue
        except RecursionError:
            shape.append((number, "JSON nested too deeply to read; fix or remove that line"))
            continue
        if not isinstance(data, dict):
            shape.append((number, "not a JSON object ({...})"))
            continue
        cells: dict[str, str | None] = {}
        wrong = ""
        for key, value in _flat(data):
            columns[key] = None
            if used is not None and key not in used:
                cells.setdefault(key, None if isinstance(value, dict | list) else
                                 _json_text(value))
            elif key in cells:
                wrong = wrong or f"'{key}' is given twice (once inside an object); rename one"
            elif isinstance(value, dict | list):
                wrong = wrong or _not_scalar(key, value)
            else:
                cells[key] = _json_text(value)
        if wrong:
            shape.append((number, wrong))
            continue
        rows.append(Row(number, cells))
    if not rows and not shape:
        raise InputError(f"{name}: no JSON objects in the file; export it again")
    names = tuple(columns)
    return TableRows(name, names, tuple(Row(r.line, dict.fromkeys(names) | r.cells)
                                        for r in rows), "line", tuple(shape))


def _flat(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each key of a JSON object and its value, in the order written; a non-empty object's
    keys follow it, under "<its key>.". Iterative: json.loads reads nesting deeper than
    Python's recursion limit allows a function to follow."""
    stack = [("", iter(data.items()))]
    while stack:
        prefix, items = stack[-1]
        for key, value in items:
            name = prefix + str(key).strip()
            yield name, value
            if isinstance(value, dict) and value:
                stack.append((name + ".", iter(value.items())))
                break
        else:
            stack.pop()


def _json_text(value: Any) -> str | None:
    """A JSON scalar as text: true and false as JSON writes them, not as Python's True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)


def _not_scalar(key: str, value: dict[str, Any] | list[Any]) -> str:
    if isinstance(value, dict) and value:
        inner = f"{key}.{str(next(iter(value))).strip()}"
        return (f"'{key}' holds a JSON object, not text or a number; name the key inside it "
                f"that holds the value (such as '{inner}') in summariser.toml")
    what = "a JSON list" if isinstance(value, list) else "an empty JSON object"
    return (f"'{key}' holds {what}, not text or a number; export the value as one string or "
            "number")


def _xlsx(path: Path, name: str, layout: Layout) -> TableRows:
    """The sheet the source names, else the first one not hidden, read as stored from its
    header row down: "n/a" or "None" in a cell is text, decided on by the source's blank list
    like any other answer."""
    import openpyxl
    from openpyxl.utils.escape import unescape

    _check_unpacked(path, name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise InputError(f"{name}: cannot be read as xlsx ({exc or type(exc).__name__}); save "
                         "it again from the spreadsheet, or export it as CSV") from None
    try:
        sheet = _sheet(book, name, layout.sheet)
        values = sheet.iter_rows(min_row=layout.header_row, values_only=True)
        header = next(values, None)
        if header is None or all(cell is None or not str(cell).strip() for cell in header):
            raise InputError(f"{name}: sheet '{sheet.title}' has nothing on row "
                             f"{layout.header_row}, where its column names should be; set "
                             "header_row (and sheet) in summariser.toml to where they are")
        columns = _header(list(header))
        rows: list[Row] = []
        head: list[tuple[int, tuple[str, ...]]] = []
        for number, cells in enumerate(values, layout.header_row + 1):
            # A character a cell cannot hold is stored escaped ("_x000B_" for a vertical tab,
            # "_x000D__x000A_" for a line break), as Excel writes it; read it as written.
            texts = [cell_text(unescape(cell) if isinstance(cell, str) else cell)
                     for cell in cells]
            if all(map(blank, texts)):
                continue  # an empty sheet row
            if len(head) < HEAD_ROWS:
                head.append((number, tuple(t or "" for t in texts)))
            rows.append(Row(number, dict.fromkeys(columns) | dict(zip(columns, texts))))
        others = tuple(f"'{other.title}'" + (" (hidden)" if other.sheet_state != "visible"
                                              else "")
                       for other in book.worksheets if other is not sheet)
    finally:
        book.close()
    return TableRows(name, columns, tuple(rows), "row", sheet=sheet.title, other_sheets=others,
                     header_row=layout.header_row, head=tuple(head))


def _sheet(book: Any, name: str, wanted: str | None) -> Any:
    """The worksheet `wanted` names (case aside), else the first that is not hidden: a hidden
    first sheet of notes once stood in for the answers, with no sign of why."""
    if not book.worksheets:
        raise InputError(f"{name}: the workbook has no sheet of cells; export the answers again")
    if wanted is None:
        shown = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
        return (shown or book.worksheets)[0]
    for sheet in book.worksheets:
        if sheet.title.casefold() == wanted.casefold():
            return sheet
    listed = ", ".join(f"'{sheet.title}'" for sheet in book.worksheets)
    raise InputError(f"{name}: no sheet '{wanted}'; its sheets are {listed}; fix sheet in "
                     "summariser.toml")


def _check_unpacked(path: Path, name: str) -> None:
    """Refuse an xlsx whose parts would unpack to more than `XLSX_MAX_UNPACKED`, before any is
    unpacked. The sizes are the archive's own, and the zip reader stops at them."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name}: cannot be read as xlsx ({exc}); save it again from the "
                         "spreadsheet, or export it as CSV") from None
    if unpacked > XLSX_MAX_UNPACKED:
        raise InputError(f"{name}: unpacks to {_megabytes(unpacked)}, over the "
                         f"{_megabytes(XLSX_MAX_UNPACKED)} an xlsx may unpack to here (a file "
                         f"of {_megabytes(path.stat().st_size)} that unpacks so far is damaged "
                         "or built to exhaust memory); export the sheet as CSV")


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _parquet(path: Path, name: str) -> TableRows:
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except (ValueError, OSError, ImportError) as exc:
        raise InputError(f"{name}: cannot be read as parquet ({exc}); export it again, or as "
                         "CSV") from None
    columns = _header(list(frame.columns))
    rows = tuple(Row(number, {c: cell_text(v) for c, v in zip(columns, record, strict=True)})
                 for number, record in enumerate(frame.itertuples(index=False, name=None), 1))
    return TableRows(name, columns, rows, "row")
