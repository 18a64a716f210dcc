"""A statistics table read as the sentences a writer would put in prose, so that the gate's
claim finder (`summariser.gate.claims`) reads and checks its figures as it does theirs. The
Markdown, HTML and Word readers (`summariser.gate.markdown`, `summariser.gate.html`,
`summariser.gate.blocks`) hand each table's rows, one list of cell texts a row, to `TableRows`."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summariser.gate.blocks import one_line

__all__ = ["GROUP_FIGURE", "TABLE_STATISTIC", "TableRows", "table_statements"]

# A value as a table prints it: a number first, perhaps with what follows it ("8.6", "8.6 (0.96)",
# "8.6 ± 1.0", "8.6/10"); not "~8.6" or "about 8.6", which state no exact value.
# A footnote mark a writer hangs on a figure or a cell ("8.6*", "8.6¹", "8.6†", "8.6[1]"): it
# changes nothing the figure states, so a figure with one is read as without it.
_MARK = r"(?:[*†‡§¶]+|[¹²³⁴-⁹]+|\[\^?\d+\])"
_VALUE = re.compile(rf"\s*(\d+(?:\.\d+)?){_MARK}?(?=\s|$|[(/±%])")
_SUBGROUP = re.compile(r"\bn\s*=\s*\d", re.IGNORECASE)  # "Medium partnerships (n=7)"
_RANGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[-–—]\s*(\d+(?:\.\d+)?)\s*$")  # "7–10"
# What a ratings table's row states besides its mean and median (the gate's claim finder reads
# these statements, and only these, as such): "Financial pressures: sd 0.96."
TABLE_STATISTIC = re.compile(r"\b(?P<stat>n|sd|minimum|maximum) (?P<v>\d+(?:\.\d+)?)\.$")
# A breakdown's cell (`summariser.report.disclosure`): a group's figure and how many it is of,
# "8.7 (n=7)", "60.0% (n=5)"; or a cell held back, "suppressed", which states no figure.
# Its n may be written "(n = 7)", "n=7" or "(7)", and either may carry a footnote mark (a Word
# superscript reads as plain digits after the bracket: "8.7 (n=7)1").
_GROUP_CELL = re.compile(rf"\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<pc>%)?\s*{_MARK}?\s*"
                         r"(?:\(\s*(?:n\s*=\s*)?(?P<n>\d+)\s*\)|[,;]?\s*n\s*=\s*(?P<n2>\d+))"
                         rf"\s*(?:{_MARK}|\d{{1,2}})?\s*$", re.IGNORECASE)
_SUPPRESSED = re.compile(r"\s*suppressed\s*$", re.IGNORECASE)
# What a breakdown's row shows of each group: "mean rating", "median rating", "% Satisfied or
# Very satisfied" (the share who chose those options).
_MEASURE = re.compile(r"\s*(?:(?:mean|median|average)\b|%\s*\S)", re.IGNORECASE)
# What a breakdown's row states of one group, as the claim finder reads it, and only it, as such:
# "Financial pressures, among Medium: mean rating 8.7 (n=7)."
GROUP_FIGURE = re.compile(r"(?P<item>.+?), among (?P<group>[^:]+): (?P<measure>.+) "
                          r"(?P<v>\d+(?:\.\d+)?)(?P<pc>%)? \(n=(?P<n>\d+)\)\.")


def _column(name: str) -> str | None:
    """What a header names: "mean", "median", "count" or "share" (None: something else)."""
    words = re.findall(r"[a-z]+|%", name.casefold())
    first = words[0] if words else ""
    if first in ("mean", "average", "avg"):
        return "mean"
    if first in ("median", "range"):
        return first
    if first in ("sd", "standard"):
        return "sd"
    if first in ("count", "n", "number", "responses", "frequency", "respondents"):
        return "count"
    if first in ("%", "percent", "percentage", "share", "proportion"):
        return "share"
    return None


def _figure_said(label: str, kind: str | None, cell: str) -> list[str]:
    """What one cell of a ratings table states about the item `label`: its mean, median, number
    of ratings ("n"), SD, or lowest and highest rating (a range, "7–10")."""
    if kind == "range":
        span = _RANGE.match(cell)
        return [f"{label}: {end} {span.group(n)}."
                for n, end in ((1, "minimum"), (2, "maximum"))] if span else []
    value = _VALUE.match(cell)
    if kind not in ("mean", "median", "count", "sd") or value is None:
        return []
    return [f"{label}: {'n' if kind == 'count' else kind} {value.group(1)}."]


def table_statements(header: Sequence[str], row: Sequence[str]) -> list[str]:
    """What a statistics table's row states, as the sentences a writer would put in prose, so
    the claims in it are read and checked as theirs are: a rating's mean or median ("Financial
    pressures: mean 8.6."), an option's count with its share ("Satisfied: 6 (50.0%)."), and
    a breakdown's figure of each group (`GROUP_FIGURE`). A table a report prints is as much a
    claim as a sentence; its cells alone were read as bare numbers, and an edited mean or count
    passed. A table of a subgroup ("n=7" in its header) states no figure of everyone's, and is
    not read this way."""
    if len(row) < 2 or len(header) != len(row) or not row[0].strip() \
            or any(_SUBGROUP.search(h) for h in header):
        return []
    label = one_line(row[0])
    by_group = _group_statements(header, row, label)
    if by_group:
        return by_group
    cells = [(_column(h), cell) for h, cell in zip(header[1:], row[1:])]
    said = [s for kind, cell in cells if kind in ("mean", "median")
            for s in _figure_said(label, kind, cell)]
    if said:  # a ratings table: how many rated the item, their spread and range
        said += [s for wanted in (("count", "sd"), ("range",)) for kind, cell in cells
                 if kind in wanted for s in _figure_said(label, kind, cell)]
        return said
    values = [(kind, _VALUE.match(cell)) for kind, cell in cells]
    count = next((v.group(1) for kind, v in values if kind == "count" and v), None)
    share = next((v.group(1) for kind, v in values if kind == "share" and v), None)
    if count is not None and share is not None:
        said.append(f"{label}: {count} ({share}%).")
    return said


def _group_statements(header: Sequence[str], row: Sequence[str], label: str) -> list[str]:
    """What a row of a breakdown by a respondent attribute states of each group its header
    names (`| Item | Figure | Large | Medium | Small |`): the figure its row names ("mean
    rating") and how many it is of, a sentence a group. Which headers are groups the corpus
    knows is for the check to say (`summariser.gate.groups`): a reader takes each as checked."""
    measure = next((one_line(cell) for cell in row[1:] if _MEASURE.match(cell)), None)
    if measure is None:
        return []
    return [f"{label}, among {one_line(group)}: {measure} {cell['v']}{cell['pc'] or ''} "
            f"(n={cell['n'] or cell['n2']})." for group, text in zip(header[1:], row[1:])
            if group.strip() and (cell := _GROUP_CELL.match(text))]


def _transposed(header: Sequence[str], row: Sequence[str]) -> str | None:
    """What a row of a ratings table turned on its side states of every item: its label names
    a statistic ("Mean", "n", "Range") and the header names the items (`| | Financial
    pressures | Workforce issues |`), none of them a statistic. None: not such a row."""
    kind = _column(row[0])
    if kind not in ("mean", "median", "count", "sd", "range") or len(header) != len(row) \
            or any(_SUBGROUP.search(h) for h in header):
        return None
    items = header[1:]
    return kind if all(h.strip() and _column(h) is None for h in items) else None


class TableRows:
    """A table read row by row: a row with no figure after its label is a header (the last one
    before the figures names their columns: a row grouping columns above it does not); each
    other row gives its statements (`table_statements`). A table turned on its side, statistics
    down its first column and items across its header, states the same as one with an item a
    row, and is read as such: each of its rows says one statistic of every item."""

    def __init__(self) -> None:
        self.header: list[str] = []
        self.rated = False  # a transposed table: a mean or median row has been read
        self.held: list[str] = []  # its n, SD and range statements read before that row

    def read(self, row: Sequence[str]) -> list[str]:
        # a row of suppressed cells is a row of figures held back, not a header
        if not any(_VALUE.match(cell) or _RANGE.match(cell) or _SUPPRESSED.match(cell)
                   for cell in row[1:]):
            self.header, self.rated, self.held = list(row), False, []
            return []
        kind = _transposed(self.header, row)
        if kind is None:
            return table_statements(self.header, row)
        said = [s for item, cell in zip(self.header[1:], row[1:])
                for s in _figure_said(one_line(item), kind, cell)]
        if kind in ("mean", "median"):
            # Only a table of means or medians is a ratings table; its other rows were held
            self.rated, said, self.held = True, said + self.held, []
        elif not self.rated:
            self.held += said
            return []
        return said
