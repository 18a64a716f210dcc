"""What each prompt's reply must be (pydantic models), and the tolerant parser that reads one.

A reply is held to its model's JSON schema by the runtime where it can be (OpenAI's json_schema,
llama.cpp's grammar), and always read here:
- the first complete JSON object in the reply is taken, raw line breaks inside strings allowed
  (text before it, such as a ```json
  fence, and anything after it, such as the model repeating itself, is ignored);
- an object that repeats a key is refused (JSON mode is not a schema: a reply that wrote
  "themes" seven times would otherwise keep only the last);
- a reply cut off before its object ends is reported as truncated, with the token limit;
- the object is validated against the prompt's model, and the error says which field is wrong,
  so the model can be asked once more with it.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

MAX_TITLE_WORDS = 8


class ReplyError(ValueError):
    """The model's reply was not what the prompt asked for (the message says how)."""


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _title(value: str) -> str:
    if not value:
        raise ValueError("the title is empty")
    if len(value.split()) > MAX_TITLE_WORDS:
        raise ValueError(f"the title has more than {MAX_TITLE_WORDS} words")
    return value


class _Titled(_Reply):
    """A theme as a model names it: a short title, checked (`_title`)."""

    title: str = Field(max_length=80)

    _check_title = field_validator("title")(_title)


class ThemeName(_Titled):
    """name_theme: a title and a one-sentence description for one proposed theme."""

    description: str = Field(min_length=1, max_length=400)


class DraftedTheme(ThemeName):
    """draft_section: a named theme with the passages that speak to it."""

    passages: list[str]


class SectionReply(_Reply):
    """draft_section: the section's themes, each with the passage ids that speak to it."""

    themes: list[DraftedTheme] = Field(min_length=1, max_length=15)


class FoundTheme(_Titled):
    # Short, and three ids: a small model held to the schema otherwise writes long
    # descriptions and lists ids in order ("A1", "A2", ... "A12") until its reply is cut off.
    description: str = Field(min_length=1, max_length=200)
    answers: list[str] = Field(max_length=3)  # the answers that say it most clearly


class DiscoverReply(_Reply):
    """discover_themes: the themes one batch of a section's answers raises."""

    themes: list[FoundTheme] = Field(min_length=1, max_length=15)


class CondensedTheme(_Titled):
    description: str = Field(min_length=1, max_length=200)
    merges: list[str] = Field(min_length=1)  # the ids of the batch themes it joins


class CondenseReply(_Reply):
    """condense_themes: the batches' themes merged to the section's budget, titles refined."""

    themes: list[CondensedTheme] = Field(min_length=1, max_length=30)


class Placement(_Reply):
    passage: str
    theme: str  # a theme id, or "none"


class PlacementReply(_Reply):
    """place_passages: where each passage left unassigned belongs."""

    placements: list[Placement]


class QuoteReply(_Reply):
    """revise_quote: an excerpt copied from the passage, or "" when there is none."""

    text: str = Field(max_length=400)


class AnswerQuote(_Reply):
    passage: str
    text: str = Field(max_length=400)


class AnswerReply(_Reply):
    """answer_question: the relevant passage ids, a short answer and quotes."""

    relevant: list[str]
    answer: str = Field(min_length=1, max_length=1500)
    quotes: list[AnswerQuote] = Field(max_length=3)


REPLIES: dict[str, type[_Reply]] = {
    "name_theme": ThemeName, "draft_section": SectionReply, "place_passages": PlacementReply,
    "revise_quote": QuoteReply, "answer_question": AnswerReply,
    "discover_themes": DiscoverReply, "condense_themes": CondenseReply}

R = TypeVar("R", bound=BaseModel)


def reply_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema a runtime holds the reply to (no titles: they only cost tokens)."""
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "title" or isinstance(v, dict)}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(model.model_json_schema())


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ReplyError(f"the reply repeats the key '{key}'; write each key once")
        seen[key] = value
    return seen


def _runs_to_the_end(text: str, start: int) -> bool:
    """Does the value opened at `start` stay open to the end of the text (a cut-off reply)?"""
    depth, in_string, escaped = 0, False, False
    for char in text[start:]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return False
    return True


def first_object(text: str, truncated: bool = False) -> dict[str, Any]:
    """The first complete JSON object in `text` (see the module docstring)."""
    # strict=False: a raw line break inside a string (llama.cpp's grammar allows one where a
    # string reaches its maximum length) is read, not refused.
    decoder = json.JSONDecoder(object_pairs_hook=_refuse_duplicates, strict=False)
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
            if isinstance(value, dict):
                return value
        except json.JSONDecodeError:
            if _runs_to_the_end(text, start):
                truncated = True
                break
        start = text.find("{", start + 1)
    if truncated:
        raise ReplyError("the reply was cut off before its JSON object ended; write a shorter "
                         "reply")
    raise ReplyError("the reply held no complete JSON object; reply with JSON only")


def parse_reply(text: str, model: type[R], truncated: bool = False) -> R:
    """The reply as `model`, or ReplyError saying what is wrong (see the module docstring)."""
    data = first_object(text, truncated)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}"
                             for e in exc.errors()[:4])
        raise ReplyError(f"the JSON object does not fit the requested shape ({problems})"
                         ) from None
