"""Which bracketed groups of a draft are citations, for `summariser eval`.

A group in square or round brackets (`[R07]`, `(R07)`, `[R07, R12]`, `[693]`, `[ABC S&C 3729]`)
is split at commas and semicolons into ids. It is a citation when one of its ids is an id of the
corpus (a respondent or a response id), or when every one looks like an id:
- it differs from an id of the corpus only in its digits (`R99` beside `R07`, `795` beside
  `2780`, `ABC S&C 9999` beside `ABC S&C 3729`) — not for round brackets in prose, where
  `(2018)` is more often a year than a person;
- it matches the manifest's `id_pattern`;
- it has the shape the tool cites with: 1-4 letters and digits (`R07`, `I01`), or `source:id`.
An id that looks like one but is not in the corpus then fails its citation check, so a quote is
never checked as unattributed because its citation was unfamiliar.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from summariser.project.manifest import Manifest

__all__ = ["CitationIds"]

_TOOL_SHAPE = r"[A-Z][A-Za-z]{0,3}-?\d{1,4}|[\w-]+:[\w:.-]+"
_GROUP = r"(?:\[(?P<square>[^\[\]]{1,160})\]|\((?P<round>[^()]{1,160})\))"
_MAX_SHAPES = 500  # beyond this many distinct shapes, only the corpus's own ids and the rest


def _shape(identifier: str) -> str | None:
    """A pattern for ids that differ from `identifier` only in their digits (None: no digits)."""
    if not re.search(r"\d", identifier):
        return None
    return "".join(r"\d+" if part.isdigit() else re.escape(part)
                   for part in re.split(r"(\d+)", identifier) if part)


class CitationIds:
    def __init__(self, manifest: Manifest, known: Collection[str] = ()):
        self.known = frozenset(known) | {s.respondent for s in manifest.sources if s.respondent}
        shapes = sorted({s for s in map(_shape, self.known) if s})[:_MAX_SHAPES]
        declared = [manifest.id_pattern] if manifest.id_pattern else []
        self.looks_like = re.compile("|".join(f"(?:{p})" for p in [_TOOL_SHAPE, *declared]))
        self.differs_in_digits = (re.compile("|".join(shapes), re.IGNORECASE) if shapes
                                  else None)
        self.after_quote = re.compile(rf"[\s.,;:!?]*{_GROUP}")  # with .match(text, pos)
        self.anywhere = re.compile(_GROUP)
        self.trailing = re.compile(rf"\s*{_GROUP}[\s.]*$")

    def ids(self, match: re.Match[str], *, prose: bool = False) -> tuple[str, ...] | None:
        """The cited ids of a bracketed group (a match of one of the patterns above), or None
        when it is not a citation. `prose`: the group follows no quote."""
        inner = match.group("square") or match.group("round") or ""
        parts = tuple(" ".join(p.split()) for p in re.split(r"[,;]", inner))  # wrapped lines too
        if not all(parts):
            return None
        if any(p in self.known for p in parts):
            return parts
        digits = self.differs_in_digits
        if prose and match.group("round") is not None:
            digits = None
        if all(self.looks_like.fullmatch(p) or (digits and digits.fullmatch(p)) for p in parts):
            return parts
        return None

    def start(self, match: re.Match[str]) -> int:
        """Where the group's ids start in the text."""
        return match.start("square") if match.group("square") is not None else match.start("round")
