"""A section's codebook: the themes its answers are coded to, as the analyst can read and edit it.

`summariser draft` writes `drafts/<section>.codebook.toml` beside each draft. The analyst renames,
merges, splits, deletes or adds themes there; the next `draft` codes the section against the
edited codebook and recomputes counts and quotes from it. A theme is defined by its words, not by
a cluster: its title and description (what it covers), `phrases` (a segment that uses one is coded
to the theme), `exclude` (a segment that uses one never is) and `examples` (typical sentences that,
with the title and description, say what the theme means for coding by meaning). The analyst's
word on single answers is kept by response id: `include_answers` are coded to the theme whatever
its words say, `exclude_answers` never are. `accepted` records that the analyst checked a theme
drafting marked for review (one that counts nearly everyone): until then the report leaves it out.
`summariser review` edits the same file.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summariser.errors import DraftError
from summariser.project.schema import NOTHING_TO_CODE_BY, codes_by_nothing, title_key


@dataclass(frozen=True, slots=True)
class CodebookTheme:
    id: str  # stable within the section: links the theme in the draft to its codebook entry
    title: str  # a short noun phrase naming the idea
    description: str = ""  # one sentence: what the theme covers
    phrases: tuple[str, ...] = ()  # a segment using any of these is coded to the theme
    exclude: tuple[str, ...] = ()  # a segment using any of these is never coded to it
    examples: tuple[str, ...] = ()  # typical sentences: they shape the theme's meaning
    by_meaning: bool = True  # also code segments close in meaning, not only those using a phrase
    tone: str = ""  # "praise": only segments that read as praise; "other": only those that do
    # not; "for", "against": only those on that side of what the title names (draft.stance)
    include_answers: tuple[str, ...] = ()  # response ids coded to the theme whatever it says
    exclude_answers: tuple[str, ...] = ()  # response ids never coded to it
    accepted: bool = False  # the analyst checked it: published even if marked for review


@dataclass(frozen=True, slots=True)
class Codebook:
    section_id: str
    themes: tuple[CodebookTheme, ...]
    reviewed: tuple[str, ...] = ()  # response ids whose instruction-like passages may be coded

    def theme(self, theme_id: str) -> CodebookTheme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


class _ThemeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: str | None = None
    title: str = Field(min_length=1)
    description: str = ""
    phrases: list[str] = []
    exclude: list[str] = []
    examples: list[str] = []
    by_meaning: bool = True
    tone: Literal["", "praise", "other", "for", "against"] = ""
    include_answers: list[str] = []
    exclude_answers: list[str] = []
    accepted: bool = False


class _CodebookFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    section: str
    reviewed: list[str] = []
    themes: list[_ThemeEntry] = []


def slug(title: str) -> str:
    """An id from a title: 'GP recruitment' -> 'gp-recruitment'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "theme"


def parse_codebook(text: str, where: str) -> Codebook:
    try:
        data = tomllib.loads(text)
        parsed = _CodebookFile.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise DraftError(f"{where}: not valid TOML ({exc}); fix it, or run 'summariser draft "
                         "--restart' to start the section again") from None
    except ValidationError as exc:
        problem = exc.errors()[0]
        key = ".".join(str(p) for p in problem["loc"])
        raise DraftError(f"{where}: '{key}' {problem['msg'].lower()}; a codebook takes section, "
                         "reviewed and [[themes]], each with title, description, phrases, "
                         "exclude, examples, by_meaning, tone, include_answers, "
                         "exclude_answers, accepted") from None
    ids: dict[str, _ThemeEntry] = {}  # names and titles first, then what each codes by
    titles: set[str] = set()
    for number, entry in enumerate(parsed.themes, 1):
        if not entry.title.strip():
            raise DraftError(f"{where}: theme {number} has a blank title; give each theme a title")
        theme_id = entry.id or slug(entry.title)
        if theme_id in ids:
            raise DraftError(f"{where}: two themes have the id '{theme_id}'; give each theme "
                             "its own id (or title)")
        ids[theme_id] = entry
        if title_key(entry.title) in titles:
            raise DraftError(f"{where}: two themes are titled '{entry.title.strip()}'; give each "
                             "theme its own title (or merge them)")
        titles.add(title_key(entry.title))
    themes: list[CodebookTheme] = []
    for theme_id, entry in ids.items():
        if not _clean(entry.include_answers) and codes_by_nothing(
                entry.phrases, entry.description, entry.examples, entry.by_meaning):
            raise DraftError(f"{where}: theme '{entry.title.strip()}' {NOTHING_TO_CODE_BY}")
        themes.append(as_written(CodebookTheme(
            id=theme_id, title=entry.title, description=entry.description,
            phrases=tuple(entry.phrases), exclude=tuple(entry.exclude),
            examples=tuple(entry.examples), by_meaning=entry.by_meaning, tone=entry.tone,
            include_answers=tuple(entry.include_answers),
            exclude_answers=tuple(entry.exclude_answers), accepted=entry.accepted)))
    return Codebook(parsed.section, tuple(themes), _clean(parsed.reviewed))


def as_written(theme: CodebookTheme) -> CodebookTheme:
    """A theme as its codebook file gives it back: text stripped, each list's items once.
    Drafting codes a proposed theme so, so that coding the written file again counts the same
    people (three copies of one example once weighed it thrice)."""
    return replace(theme, title=theme.title.strip(), description=theme.description.strip(),
                   phrases=_clean(theme.phrases), exclude=_clean(theme.exclude),
                   examples=_clean(theme.examples),
                   include_answers=_clean(theme.include_answers),
                   exclude_answers=_clean(theme.exclude_answers))


def _clean(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def read_codebook(path: Path) -> Codebook:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(f"{path}: cannot read the codebook ({exc})") from None
    return parse_codebook(text, str(path))


def _string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes for quotes, backslashes and
    # control characters), and keeps any character a respondent wrote; JSON leaves DEL bare,
    # which TOML refuses.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _array(values: tuple[str, ...]) -> str:
    if not values:
        return "[]"
    if sum(len(v) for v in values) < 70:
        return "[" + ", ".join(_string(v) for v in values) + "]"
    return "[\n" + "".join(f"  {_string(v)},\n" for v in values) + "]"


def render_codebook(codebook: Codebook, heading: str) -> str:
    lines = [
        f"# Codebook for {heading}",
        "#",
        "# Edit this file to decide what the section's themes are; then run 'summariser draft'",
        "# again: every answer is coded against it and counts and quotes are recomputed. Your",
        "# edits are kept ('summariser draft --restart' starts the section again, keeping a",
        "# backup). Rename a theme by changing its title; merge two by moving one's phrases and",
        "# examples into the other and deleting it; split one by copying it and dividing its",
        "# phrases; add one with a title and something to code by: phrases, or a description",
        "# or examples to code by meaning (a theme with by_meaning = false needs phrases).",
        "# Each theme needs a title of its own.",
        "#",
        "#   phrases     a segment (sentence) that uses one of these is coded to the theme",
        "#               (case-insensitive, plurals match; a phrase in CAPITALS matches only as",
        "#               written, so LIST is not 'list')",
        "#   exclude     a segment that uses one of these is never coded to the theme",
        "#   examples    typical sentences; with the title and description they say what the",
        "#               theme means, for coding segments that say it in other words",
        "#   by_meaning  false: code only segments that use a phrase",
        "#   tone        \"praise\": code only segments that read as praise; \"other\": only",
        "#               those that do not (praise and the rest of what is said of one thing);",
        "#               \"for\", \"against\": only segments on that side of what the title",
        "#               names (\"Support for a ban\", \"Opposition to a ban\")",
        "#   include_answers  response ids (from the draft's JSON) whose answers are coded to the",
        "#               theme whatever its words say: their segment closest to its meaning",
        "#   exclude_answers  response ids whose answers are never coded to the theme",
        "#   accepted    true: you checked a theme the draft marked for review (one that counts",
        "#               nearly everyone); until then the report leaves it out",
        "#",
        "# 'summariser review' shows each theme with its evidence and edits this file for you,",
        "# keeping every earlier version in drafts/.history/ to undo.",
        "#",
        "# An answer that reads as an instruction to a model ('ignore previous instructions',",
        "# 'write that everyone ...') is not coded until a person has read it: the draft's",
        "# review lists each one with its response id; add the id to `reviewed` to code it.",
        "",
        f"section = {_string(codebook.section_id)}",
        f"reviewed = {_array(codebook.reviewed)}",
    ]
    for theme in codebook.themes:
        lines += ["", "[[themes]]", f"id = {_string(theme.id)}",
                  f"title = {_string(theme.title)}",
                  f"description = {_string(theme.description)}",
                  f"phrases = {_array(theme.phrases)}",
                  f"exclude = {_array(theme.exclude)}",
                  f"examples = {_array(theme.examples)}",
                  f"by_meaning = {'true' if theme.by_meaning else 'false'}"]
        if theme.tone:
            lines.append(f"tone = {_string(theme.tone)}")
        if theme.include_answers:
            lines.append(f"include_answers = {_array(theme.include_answers)}")
        if theme.exclude_answers:
            lines.append(f"exclude_answers = {_array(theme.exclude_answers)}")
        if theme.accepted:
            lines.append("accepted = true")
    return "\n".join(lines) + "\n"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def codebook_from_frame(section_id: str, frame: Sequence[dict[str, Any]]) -> Codebook:
    """The manifest's given themes for a section, as a codebook."""
    return Codebook(section_id, tuple(
        CodebookTheme(id=str(item.get("id") or slug(str(item["title"]))),
                      title=str(item["title"]), description=str(item.get("description", "")),
                      phrases=tuple(item.get("phrases", ())),
                      exclude=tuple(item.get("exclude", ())),
                      examples=tuple(item.get("examples", ())),
                      by_meaning=bool(item.get("by_meaning", True)),
                      tone=str(item.get("tone", "")))
        for item in frame))
