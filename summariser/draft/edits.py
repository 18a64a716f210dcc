"""Edits to a section's codebook, as an analyst makes them on the review page
(`summariser review`): each takes a codebook and returns the edited one, or refuses in one line.

What each does to the file is what an analyst would do by hand (the codebook's header says how):
- rename, describe: the theme's title or description; its id stays, so its history does too;
- merge: the second theme takes the first's phrases, examples, exclusions and listed answers,
  and the first is deleted;
- split by phrases: the chosen phrases (and the examples that use them) move to a new theme;
- split by answers: the chosen answers move to a new theme (listed in its `include_answers`,
  their segments its examples) and are listed in the old one's `exclude_answers`;
- delete; add a theme from a phrase, or from chosen answers (as for a split);
- include or exclude one answer (`include_answers`, `exclude_answers`); accept a theme marked
  for review (`accepted`).
A theme whose shape changes (merged, split) must be accepted again if it still counts nearly
everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from summariser.draft.codebook import Codebook, CodebookTheme, slug
from summariser.errors import DraftError

ACTIONS = ("rename", "describe", "merge", "split", "delete", "add", "include", "exclude",
           "accept")


@dataclass(frozen=True, kw_only=True)
class Edit:
    """One change to a codebook. `theme` is the theme acted on; `other` the theme merged into,
    or that an answer is included in; `phrases` or `answers` (response ids) what a split or a new
    theme takes, or, for a merge, the answers the two themes counted (the merged theme keeps
    them all)."""

    action: str
    theme: str = ""
    other: str = ""
    title: str = ""
    description: str = ""
    phrases: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()


def apply_edit(book: Codebook, edit: Edit, segments: Mapping[str, str] | None = None
               ) -> Codebook:
    """The codebook with `edit` made. `segments` gives, by response id, the words an answer
    brings to a theme made from it (its coded segment, or the whole answer)."""
    segments = segments or {}
    if edit.action not in ACTIONS:
        raise DraftError(f"Unknown change '{edit.action}': choose one of {', '.join(ACTIONS)}")
    if edit.action == "add":
        return _add(book, edit, segments)
    theme = _theme(book, edit.theme)
    if edit.action == "rename":
        return _put(book, replace(theme, title=_title(edit.title)))
    if edit.action == "describe":
        return _put(book, replace(theme, description=edit.description.strip()))
    if edit.action == "merge":
        return _merge(book, theme, _theme(book, edit.other), edit.answers)
    if edit.action == "split":
        return _split(book, theme, edit, segments)
    if edit.action == "delete":
        return replace(book, themes=tuple(t for t in book.themes if t.id != theme.id))
    if edit.action == "accept":
        return _put(book, replace(theme, accepted=True))
    answer = _answer(edit)
    if edit.action == "include":
        return _put(book, replace(theme, include_answers=_plus(theme.include_answers, [answer]),
                                  exclude_answers=_minus(theme.exclude_answers, [answer])))
    return _put(book, replace(theme, exclude_answers=_plus(theme.exclude_answers, [answer]),
                              include_answers=_minus(theme.include_answers, [answer])))


def _theme(book: Codebook, theme_id: str) -> CodebookTheme:
    found = book.theme(theme_id)
    if found is None:
        raise DraftError(f"No theme '{theme_id}' in the codebook of {book.section_id}: it was "
                         "deleted or renamed elsewhere; reload the page")
    return found


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DraftError("A theme needs a title: type one")
    return title


def _answer(edit: Edit) -> str:
    if len(edit.answers) != 1:
        raise DraftError("Choose one answer to include or exclude")
    return edit.answers[0]


def _plus(items: Sequence[str], more: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*items, *more]))


def _minus(items: Sequence[str], less: Sequence[str]) -> tuple[str, ...]:
    gone = set(less)
    return tuple(i for i in items if i not in gone)


def _put(book: Codebook, theme: CodebookTheme) -> Codebook:
    return replace(book, themes=tuple(theme if t.id == theme.id else t for t in book.themes))


def _new_id(book: Codebook, title: str) -> str:
    taken = {t.id for t in book.themes}
    base = slug(title)
    return next(candidate for n in range(1, len(taken) + 2)
                if (candidate := base if n == 1 else f"{base}-{n}") not in taken)


def _merge(book: Codebook, theme: CodebookTheme, into: CodebookTheme,
           counted: Sequence[str]) -> Codebook:
    """`theme` folded into `into`. Coding by meaning compares a segment with one vector a
    theme, so a merged theme's vector lies between the two and could lose people at the edge
    of either (a merge once counted two people fewer than the two themes together): the
    answers they counted are kept as included answers."""
    if theme.id == into.id:
        raise DraftError("Choose another theme to merge into")
    included = _plus(_plus(into.include_answers, theme.include_answers), counted)
    merged = replace(
        into, phrases=_plus(into.phrases, theme.phrases),
        exclude=_plus(into.exclude, theme.exclude), examples=_plus(into.examples, theme.examples),
        by_meaning=into.by_meaning or theme.by_meaning,
        tone=into.tone if into.tone == theme.tone else "", include_answers=included,
        exclude_answers=_minus(_plus(into.exclude_answers, theme.exclude_answers), included),
        accepted=False)
    return replace(book, themes=tuple(merged if t.id == into.id else t
                                      for t in book.themes if t.id != theme.id))


def _split(book: Codebook, theme: CodebookTheme, edit: Edit, segments: Mapping[str, str]
           ) -> Codebook:
    title = _title(edit.title)
    if edit.phrases and edit.answers:
        raise DraftError("Split a theme by its phrases or by answers, not both")
    if edit.phrases:
        moving = [p for p in theme.phrases if p in set(edit.phrases)]
        if not moving or len(moving) == len(theme.phrases):
            raise DraftError("Choose some of the theme's phrases, not none or all, to move to "
                             "the new theme")
        from summariser.draft.phrases import Phrase

        used = [e for e in theme.examples if any(Phrase.of(p).found_in(e) for p in moving)]
        new = CodebookTheme(id=_new_id(book, title), title=title,
                            description=edit.description.strip(), phrases=tuple(moving),
                            examples=tuple(used), by_meaning=theme.by_meaning, tone=theme.tone)
        kept = replace(theme, phrases=_minus(theme.phrases, moving),
                       examples=_minus(theme.examples, used), accepted=False)
    else:
        new = _from_answers(book, title, edit, segments)
        kept = replace(theme, exclude_answers=_plus(theme.exclude_answers, edit.answers),
                       include_answers=_minus(theme.include_answers, edit.answers),
                       accepted=False)
    at = book.themes.index(theme)
    return replace(book, themes=(*book.themes[:at], kept, new, *book.themes[at + 1:]))


def _from_answers(book: Codebook, title: str, edit: Edit, segments: Mapping[str, str]
                  ) -> CodebookTheme:
    if not edit.answers:
        raise DraftError("Choose the answers the new theme is made from")
    return CodebookTheme(id=_new_id(book, title), title=title,
                         description=edit.description.strip(),
                         examples=_plus((), [segments[a] for a in edit.answers
                                             if segments.get(a, "").strip()]),
                         include_answers=tuple(dict.fromkeys(edit.answers)))


def _add(book: Codebook, edit: Edit, segments: Mapping[str, str]) -> Codebook:
    title = _title(edit.title)
    if edit.answers:
        new = _from_answers(book, title, edit, segments)
    else:
        phrases = tuple(p.strip() for p in edit.phrases if p.strip())
        if not phrases:
            raise DraftError("A new theme needs a phrase its answers use, or chosen answers")
        new = CodebookTheme(id=_new_id(book, title), title=title,
                            description=edit.description.strip(), phrases=phrases)
    return replace(book, themes=(*book.themes, new))
