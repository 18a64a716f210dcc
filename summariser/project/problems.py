"""Every problem found in one pass over a file, listed at once, so that a file is fixed in one
go rather than one error per run."""

from __future__ import annotations

from summariser.errors import SummariserError

MAX_PROBLEMS = 20  # more than this and the rest are counted, not listed


class Problems:
    """Problems of one or more files, each one line that names where it is."""

    def __init__(self, error: type[SummariserError]):
        self.error = error
        self.lines: list[str] = []
        self.notes: list[str] = []  # not problems, but worth saying: lines read another way

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, place: str, message: str) -> None:
        """`place` names the file and where in it: "survey.csv line 4"."""
        self.lines.append(f"{place}: {message}")

    def add_error(self, error: SummariserError) -> None:
        """A problem already raised as an error, whose message names its place."""
        self.lines.append(str(error))

    def raise_any(self) -> None:
        if not self.lines:
            return
        shown = self.lines[:MAX_PROBLEMS]
        if len(self.lines) > MAX_PROBLEMS:
            shown.append(f"... and {len(self.lines) - MAX_PROBLEMS} more problems")
        raise self.error("\n".join(shown))
