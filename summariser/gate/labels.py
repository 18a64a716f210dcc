"""Headings and labels in a draft, for `summariser eval`: which manifest section a heading opens
(by number, title or parent number), and which quoted words are labels rather than quotes (see
the `summariser.gate.parse` module docstring)."""

from __future__ import annotations

from collections.abc import Sequence

from summariser.draft.phrases import FUNCTION_WORDS, tokens
from summariser.draft.records import SectionDraft
from summariser.gate.blocks import NUMBERED, match_key, strip_emphasis
from summariser.project.manifest import Manifest, Section

__all__ = ["Labels", "match_section"]


# --- sections ---------------------------------------------------------------------------------


def match_section(heading: str, manifest: Manifest) -> tuple[Section | None, bool]:
    """(section, numbered) for a heading's text."""
    text = strip_emphasis(heading).strip()
    numbered = NUMBERED.match(text)
    by_title = {match_key(s.title): s for s in manifest.sections}
    if numbered:
        number, title = numbered.group("number"), numbered.group("title")
        for section in manifest.sections:
            if section.number and section.number == number:
                return section, True
        if match_key(title) in by_title:
            return by_title[match_key(title)], True
        parts = number.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            for section in manifest.sections:
                if section.number == prefix:
                    return section, True
        return None, True
    return by_title.get(match_key(text)), False


# --- labels ------------------------------------------------------------------------------------


class Labels:
    """Quoted words that name something rather than quote someone: a theme of the sidecar, a
    section or a question of the manifest, by its title; and, in single quote marks, a term all of
    whose words are in one question's text or label (‘financial pressures’). A draft's own
    headings are not labels: a heading cannot make a quote exempt from checking."""

    def __init__(self, manifest: Manifest, drafts: Sequence[SectionDraft]):
        names = [*(s.title for s in manifest.sections), *(s.heading for s in manifest.sections),
                 *(q.label for q in manifest.questions if q.label),
                 *(t.title for draft in drafts for t in draft.themes)]
        self.exact = {match_key(n) for n in names}
        self.questions = [_content_words(f"{q.text} {q.label or ''}") for q in manifest.questions]

    def __call__(self, words: str, *, single: bool) -> bool:
        if match_key(words) in self.exact:
            return True
        content = _content_words(words)
        return single and bool(content) and any(content <= q for q in self.questions)


def _content_words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in FUNCTION_WORDS}
