"""Which bracketed groups of a draft are citations, for `summariser eval`.

A group in square or round brackets (`[R07]`, `(R07)`, `[R07, R12]`, `[693]`, `[ABC S&C 3729]`)
is split at commas and semicolons into ids. It is a citation when one of its ids is an id of the
corpus (a respondent or a response id), or when every one looks like an id:
- it differs from an id of the corpus only in its digits (`R99` beside `R07`, `795` beside
  `2780`, `ABC S&C 9999` beside `ABC S&C 3729`) — not for round brackets in prose, where
  `(2018)` is more often a year than a person;
- it matches the manifest's `id_pattern` (matched by the `regex` engine with a time limit: a
  pattern that backtracks without end, such as `(a|a)+$`, is refused in one line rather than
  hanging the gate);
- it has the shape the tool cites with: 1-4 letters and digits (`R07`, `I01`), or `source:id`.
An id that looks like one but is not in the corpus then fails its citation check, so a quote is
never checked as unattributed because its citation was unfamiliar.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import regex

from summariser.errors import ManifestError
from summariser.project.manifest import Manifest

__all__ = ["CitationIds"]

_TOOL_SHAPE = r"[A-Z][A-Za-z]{0,3}-?\d{1,4}|[\w-]+:[\w:.-]+"
_GROUP = r"(?:\[(?P<square>[^\[\]]{1,160})\]|\((?P<round>[^()]{1,160})\))"
_MAX_SHAPES = 500  # beyond this many distinct shapes, only the corpus's own ids and the rest
ID_PATTERN_SECONDS = 0.25  # an id is at most 160 characters: a sound pattern takes microseconds


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
        self.tool_shape = re.compile(_TOOL_SHAPE)
        self.declared = regex.compile(manifest.id_pattern) if manifest.id_pattern else None
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
        if all(self.looks_like(p) or (digits and digits.fullmatch(p)) for p in parts):
            return parts
        return None

    def looks_like(self, part: str) -> bool:
        """Whether `part` has the shape the tool cites with, or the manifest's `id_pattern`."""
        if self.tool_shape.fullmatch(part):
            return True
        if self.declared is None:
            return False
        try:
            return self.declared.fullmatch(part, timeout=ID_PATTERN_SECONDS) is not None
        except TimeoutError:
            raise ManifestError(
                f"id_pattern '{self.declared.pattern}' took over {ID_PATTERN_SECONDS:g} s to "
                f"match the {len(part)} characters of [{part[:40]}]: it backtracks without "
                "end; write it without a repeat inside a repeat (such as (a|a)+), e.g. "
                "'R\\d+'") from None

    def start(self, match: re.Match[str]) -> int:
        """Where the group's ids start in the text."""
        return match.start("square") if match.group("square") is not None else match.start("round")
