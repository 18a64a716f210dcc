"""Which bracketed groups of a draft are citations, for `summariser eval`.

A group in square or round brackets (`[R07]`, `(R07)`, `[R07, R12]`, `[693]`, `[ABC S&C 3729]`)
is split at commas and semicolons into ids, and a part that is no id but joins ids ("R12 and
R04", "R12/R04", "R12 & R04") into those; groups side by side after a quote ("[R12] [R04]") are
one citation. Every id cited is a person said to have written the quote. A group is a citation
when one of its ids is an id of the corpus (a respondent or a response id), or when every one
looks like an id:
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
# What joins ids inside one group besides commas and semicolons: "and", "&", "/", a dash
# between two ids (a range names both ends), or a space.
_JOINS = re.compile(r"\s+and\s+|\s*[&/\u2013\u2014]\s*|(?<=\d)-(?=[A-Za-z])|\s+")
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
        self.joined = re.compile(rf"[\s,;]*(?:and\s+|&\s*)?{_GROUP}")  # a further group
        self.before = re.compile(rf"\s*{_GROUP}[\s,;]*(?:and\s*|&\s*)?$")

    def ids(self, match: re.Match[str], *, prose: bool = False) -> tuple[str, ...] | None:
        """The cited ids of a bracketed group (a match of one of the patterns above), or None
        when it is not a citation. `prose`: the group follows no quote."""
        inner = match.group("square") or match.group("round") or ""
        parts = tuple(" ".join(p.split()) for p in re.split(r"[,;]", inner))  # wrapped lines too
        if not all(parts):
            return None
        parts = tuple(q for p in parts for q in self._people(p))
        if any(p in self.known for p in parts):
            return parts
        digits = self.differs_in_digits
        if prose and match.group("round") is not None:
            digits = None
        if all(self.looks_like(p) or (digits and digits.fullmatch(p)) for p in parts):
            return parts
        return None

    def _people(self, part: str) -> tuple[str, ...]:
        """A part that is no id but joins ids ("R12 and R04", "R12 & R04", "R12/R04", "R04-R12",
        "R12 R04"): its ids, each a person the citation names; else the part as it is."""
        if part in self.known or self.looks_like(part):
            return (part,)
        pieces = tuple(p for p in _JOINS.split(part) if p)
        if len(pieces) > 1 and all(p in self.known or self.looks_like(p) for p in pieces):
            return pieces
        return (part,)

    def following(self, text: str, position: int) -> tuple[tuple[str, ...], list[int]]:
        """The ids of the citation right after `position` (after a quote), however many groups
        it is written in ("[R12] [R04]", "[R12], [R04]", "[R12] and [R04]"), and where each
        group's ids start; ((), []) when none follows."""
        found: list[str] = []
        starts: list[int] = []
        pattern = self.after_quote
        while (match := pattern.match(text, position)) and (ids := self.ids(match)):
            found += ids
            starts.append(self.start(match))
            position, pattern = match.end(), self.joined
        return tuple(dict.fromkeys(found)), starts

    def trailing_ids(self, text: str) -> tuple[tuple[str, ...], int] | None:
        """The ids of the citation that ends `text` (a block quote's), however many groups it is
        written in, and where it starts; None when it does not end with one."""
        match = self.trailing.search(text)
        ids = self.ids(match) if match else None
        if match is None or not ids:
            return None
        found, start = list(ids), match.start()
        while (before := self.before.search(text, 0, start)) and (more := self.ids(before)):
            found[:0], start = more, before.start()
        return tuple(dict.fromkeys(found)), start

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
