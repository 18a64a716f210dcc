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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.errors import InputError
from summariser.project.problems import Problems
from summariser.project.textfile import decode, lines

__all__ = ["DELIMITERS", "XLSX_MAX_UNPACKED", "Layout", "Row", "TableRows", "cell_text",
           "misread", "read_rows"]

# What the parts of an xlsx (its XML: sheets, shared strings) may unpack to. openpyxl holds
# every shared string in memory: a 2.9 MB file whose strings unpacked to 3 GB took 3 GB, then
# failed without a reason. A sheet of 200,000 long answers unpacks to a few hundred MB.
XLSX_MAX_UNPACKED = 1 << 30

# What a CSV's cells may be separated by, as named in messages. Excel writes ";" where the
# decimal mark is a comma (much of Europe), and "Unicode text" uses tabs.
DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
SNIFF_ROWS = 50  # rows after the header that decide a CSV's delimiter


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a table lies in its file, as the source in the manifest says."""

    delimiter: str | None = None  # CSV; None: found from the header (`_delimiter`)


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

    def at(self, row: Row | int) -> str:
        """Where a row is, for a message: "survey.csv line 4"."""
        return f"{self.name} {self.unit} {row.line if isinstance(row, Row) else row}"


def cell_text(value: Any) -> str | None:
    """A cell as text: None for a missing value, 7 for 7.0, anything else as written."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
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
        table = _csv(text, layout.delimiter, default, name, problems)
    elif table_format == "jsonl":
        table = _jsonl(decode(path.read_bytes(), name, encoding, problems.notes), name)
    elif table_format == "xlsx":
        table = _xlsx(path, name)
    else:
        table = _parquet(path, name)
    if table is not None and not table.rows and not table.problems:
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


def _csv(text: str, sep: str | None, default: str, name: str, problems: Problems
         ) -> TableRows | None:
    # The csv module refuses a field over 128 KiB, as a malformed row: one long answer failed
    # the whole file. Lifted for this read (a field is never longer than the file), so every
    # answer is read and `oversized_cells` decides what becomes of a long one.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text)))
    try:
        return _csv_rows(text, sep or _delimiter(text, default), name, problems)
    finally:
        csv.field_size_limit(limit)


def _delimiter(text: str, default: str) -> str:
    """The delimiter of a CSV whose source names none: of comma, semicolon and tab, the one
    that splits the header into two or more columns and the most of the next `SNIFF_ROWS`
    rows into as many cells (at least half of them); `default` when none does. A count of
    each character in the header alone would take a question's commas ("Thinking of the
    library, how...") for columns."""
    best, best_fit = default, (0, 0)
    for sep in dict.fromkeys((default, ",", ";", "\t")):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        try:
            width = len(next(reader, []))
            sample = [len(fields) for fields in itertools.islice(reader, SNIFF_ROWS)
                      if any(cell.strip() for cell in fields)]
        except csv.Error:
            continue
        fit = sum(cells == width for cells in sample)
        if width > 1 and 2 * fit >= len(sample) and (fit, width) > best_fit:
            best, best_fit = sep, (fit, width)
    return best


def _csv_rows(text: str, sep: str, name: str, problems: Problems) -> TableRows | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[Row] = []
    shape: list[tuple[int, str]] = []
    start = 1
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InputError(f"{name}: the file has no header row; export it again")
        columns = _header(header)
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if len(fields) < len(columns) and not any(cell.strip() for cell in fields):
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
    return TableRows(name, columns, tuple(rows), "line", tuple(shape), sep)


def misread(table: TableRows) -> str | None:
    """When the manifest's columns are missing because the file seems to have been read the
    wrong way, what to set (one line); else None."""
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
    return None


def _jsonl(text: str, name: str) -> TableRows:
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
        if not isinstance(data, dict):
            shape.append((number, "not a JSON object ({...})"))
            continue
        columns.update(dict.fromkeys(str(k).strip() for k in data))
        rows.append(Row(number, {str(k).strip(): cell_text(v) for k, v in data.items()}))
    if not rows and not shape:
        raise InputError(f"{name}: no JSON objects in the file; export it again")
    names = tuple(columns)
    return TableRows(name, names, tuple(Row(r.line, dict.fromkeys(names) | r.cells)
                                        for r in rows), "line", tuple(shape))


def _xlsx(path: Path, name: str) -> TableRows:
    """The first sheet, read as stored: "n/a" or "None" in a cell is text, decided on by the
    source's blank list like any other answer."""
    import openpyxl

    _check_unpacked(path, name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise InputError(f"{name}: cannot be read as xlsx ({exc or type(exc).__name__}); save "
                         "it again from the spreadsheet, or export it as CSV") from None
    try:
        values = book.worksheets[0].iter_rows(values_only=True)
        header = next(values, None)
        if header is None or all(cell is None for cell in header):
            raise InputError(f"{name}: the first sheet has no header row; export it again")
        columns = _header(list(header))
        rows = []
        for number, cells in enumerate(values, 2):
            texts = [cell_text(cell) for cell in cells]
            if all(t is None or not t.strip() for t in texts):
                continue  # an empty sheet row
            rows.append(Row(number, dict.fromkeys(columns) | dict(zip(columns, texts))))
    finally:
        book.close()
    return TableRows(name, columns, tuple(rows), "row")


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
