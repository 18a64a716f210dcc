"""What each table of `summariser.toml` may hold: one typed model per table.

Every key is declared once, with its type and, as its description, what it expects in words;
`problem_lines` turns a validation error into one line per key from those descriptions. Each
model also checks the rules that tie its own keys together (`problems`). Rules that span tables
(ids, references, where paths lead) are in manifest.py. To add a key: declare it here with
`key(...)`, then give the record in manifest.py a field of the same name.
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
from collections.abc import Collection, Iterator
from pathlib import PurePath
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

QUESTION_KINDS = ("text", "rating", "choice")
TABULAR_FORMATS = ("csv", "xlsx", "jsonl", "parquet")
DOCUMENT_FORMATS = ("transcript", "text")
FORMAT_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".vtt": "transcript",
    ".docx": "transcript",
}
DEFAULT_BLANKS = ("n/a", "na", "-", "--", "none", "nil", "no comment", ".")


def _known_encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise ValueError(name) from None  # reported with the key's description
    return name


def _regex(pattern: str) -> str:
    import regex  # the engine the gate matches `id_pattern` with (summariser.gate.citations)

    try:
        regex.compile(pattern)
    except regex.error:
        raise ValueError(pattern) from None  # reported with the key's description
    return pattern


# Section and question ids name files (drafts/<section>.md, figures/choice-<question>.png):
# a word character first (never ".", "-" or a separator), then word characters, "-" and ".".
SAFE_ID = re.compile(r"\w[\w.-]{0,99}")


def _safe_id(name: str) -> str:
    if not SAFE_ID.fullmatch(name):
        raise ValueError(name)  # reported with the key's description
    return name


def _as_list(value: Any) -> Any:
    """`keep = { column = 1 }` means the same as `{ column = [1] }`."""
    return [value] if isinstance(value, str | int | float | bool) else value


# TOML values are already typed, so nothing is coerced: "6" is not 6, 2.1 is not "2.1".
Name = Annotated[StrictStr, StringConstraints(pattern=r"\S")]  # ids, labels, columns: not blank
Names = tuple[Name, ...]
Number = Annotated[StrictInt | StrictFloat, AfterValidator(float)]
Positive = Annotated[StrictInt, Field(ge=1)]
Value = StrictStr | StrictInt | StrictFloat | StrictBool
Encoding = Annotated[StrictStr, AfterValidator(_known_encoding)]
FileId = Annotated[StrictStr, AfterValidator(_safe_id)]
FILE_ID = ("letters, digits, '_', '-' and '.' in quotes, starting with a letter or digit (it "
           "names files)")


def key(expects: str, default: Any = ...) -> Any:
    """A manifest key: `expects` completes "<key> must be ..." in error messages."""
    return Field(default, description=expects)


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def problems(self) -> Iterator[str]:
        """Rules between this table's own keys, each broken one as a message."""
        return iter(())


class ProjectTable(Table):
    title: StrictStr | None = key("text in quotes", None)
    respondent_noun: tuple[Name, Name] | Name = key(
        '[singular, plural], e.g. ["Chief Officer", "Chief Officers"]',
        ("respondent", "respondents"))
    invited: Positive | None = key("a positive whole number", None)
    store: Name | None = key("a folder path in quotes", None)
    redact: Names = key("a list of names in quotes", ())
    min_cell: Positive = key("a positive whole number", 5)
    allow_outside: StrictBool = key("true or false", False)
    max_cell_bytes: Positive = key("a positive whole number of bytes", 100_000)
    oversized_cells: Literal["skip", "truncate"] = key('"skip" or "truncate"', "skip")
    id_pattern: Annotated[StrictStr, AfterValidator(_regex)] | None = key(
        "a regular expression in quotes that matches a respondent or response id", None)
    languages: Names = key('a list of language codes in quotes, e.g. ["en", "fr"]', ("en",))
    subtitle: StrictStr = key("text in quotes", "")
    author: StrictStr = key("text in quotes", "")
    organisation: StrictStr = key("text in quotes", "")
    date: StrictStr = key('text in quotes, e.g. "August 2017"', "")
    attribution: StrictStr = key("text in quotes: the data's credit or licence line, printed in "
                                 "the report", "")

    @property
    def noun(self) -> tuple[str, str]:
        noun = self.respondent_noun
        return (noun, noun + "s") if isinstance(noun, str) else noun


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


class PrivacyTable(Table):
    """How published quotes are attributed, and names masked in published text."""

    attribution: Literal["none", "role", "pseudonym"] = key(
        'one of "none", "role" (e.g. [Chief Officer], [Interviewee]) or "pseudonym" '
        "(Respondent A, B... per section)", "role")
    pseudonyms: dict[Name, Name] = key('{ respondent_id = "pseudonym", ... }', {})
    mask: Names = key("a list of names in quotes, printed as [name] in the report", ())


class HeadingTable(Table):
    """A heading of the report that is not a section of its own (e.g. 2.5 above 2.5.1-2.5.7)."""

    number: Name = key('text in quotes, e.g. "2.5"')
    title: Name = key("text in quotes")
    text: StrictStr = key("text in quotes: a paragraph printed under the heading", "")


class QuestionTable(Table):
    id: FileId = key(FILE_ID)
    text: StrictStr | None = key("text in quotes", None)
    kind: Literal["text", "rating", "choice"] = key(
        f"one of {', '.join(QUESTION_KINDS)}", "text")
    label: StrictStr = key("text in quotes", "")
    scale: tuple[Number, Number] | None = key("[low, high] numbers", None)
    options: Names = key("a list of the answer options in order, each in quotes", ())
    labels: dict[Name, Name] = key('{ code = "label", ... }, e.g. { 1 = "Very poor" }', {})
    non_answers: dict[Name, Name] = key(
        '{ code = "label", ... }, e.g. { 6 = "Don\'t know", 7 = "Not applicable" }', {})
    best: Literal["high", "low", "first", "last"] | None = key(
        'for a rating "high" or "low", for a choice "first" or "last"', None)
    top_two: StrictBool = key("true or false", False)

    def problems(self) -> Iterator[str]:
        if self.kind == "rating":
            yield from self._rating_problems()
        elif self.scale is not None:
            yield 'scale is only for kind = "rating"'
        if self.kind == "choice":
            yield from self._choice_problems()
        elif self.options:
            yield 'options are only for kind = "choice"'
        if self.kind == "text":
            yield from (f'{name} is only for kind = "rating" or "choice"' for name in
                        ("labels", "non_answers", "best", "top_two") if getattr(self, name))

    def _rating_problems(self) -> Iterator[str]:
        if self.scale is None:
            yield "a rating question needs scale = [low, high]"
            return
        low, high = self.scale
        if low >= high:
            yield f"scale must be [low, high] with low below high, got {_show(self.scale)}"
            return
        for code in self.labels:
            number = _number(code)
            if number is None or not low <= number <= high:
                yield f"labels: '{code}' is not a number on the scale {low:g} to {high:g}"
        for code in self.non_answers:
            number = _number(code)
            if number is not None and low <= number <= high:
                yield (f"non_answers: '{code}' is on the scale {low:g} to {high:g}; a code "
                       "that means no answer must lie off the scale")
        if self.best not in (None, "high", "low"):
            yield 'best must be "high" or "low" for a rating'
        if self.top_two and not (float(low).is_integer() and float(high).is_integer()
                                 and high - low >= 2):
            yield "top_two needs a scale of whole numbers with at least three points"

    def _choice_problems(self) -> Iterator[str]:
        if len(self.options) < 2:
            yield "a choice question needs options = [...] in order"
            return
        options = {o.casefold() for o in self.options}
        for code, option in self.labels.items():
            if option.casefold() not in options:
                yield f"labels: '{code}' = '{option}' is not one of the options"
        for code, label in self.non_answers.items():
            if code.casefold() in options or label.casefold() in options:
                yield (f"non_answers: '{code}' = '{label}' is one of the options; an option "
                       "is an answer")
        if self.best not in (None, "first", "last"):
            yield 'best must be "first" or "last" for a choice (which end of options is best)'
        if self.top_two and len(self.options) < 3:
            yield "top_two needs at least three options"


class SourceTable(Table):
    id: Name = key("a name in quotes, not blank")
    path: Name = key("the file's path in quotes, relative to the project folder")
    format: Literal["csv", "xlsx", "jsonl", "parquet", "transcript", "text"] | None = key(
        f"one of {', '.join(TABULAR_FORMATS + DOCUMENT_FORMATS)}", None)
    encoding: Encoding | None = key(
        'a text encoding Python knows, such as "utf-8" or "cp1252"', None)
    delimiter: Literal[",", ";", "\t", "|"] | None = key(
        'one of ",", ";", "\\t" (a tab) or "|"', None)
    sheet: Name | None = key("a sheet name in quotes", None)
    header_row: Positive = key(
        "a positive whole number: the row (in a CSV, the line) of the column names", 1)
    respondent_column: Name | None = key("a column name in quotes", None)
    response_id_column: Name | None = key("a column name in quotes", None)
    columns: dict[Name, Name] = key('{ question_id = "column", ... }', {})
    text_column: Name | None = key("a column name in quotes", None)
    question_column: Name | None = key("a column name in quotes", None)
    questions: dict[Name, Annotated[Names, BeforeValidator(_as_list)]] = key(
        '{ question_id = "text in the question column" or [texts], ... }', {})
    question: Name | None = key("a question id in quotes", None)
    respondent: Name | None = key("a respondent id in quotes", None)
    speaker_column: Name | None = key("a column name in quotes", None)
    order_column: Name | None = key("a column name in quotes", None)
    start_column: Name | None = key("a column name in quotes", None)
    interviewer: Names = key('a list of speaker labels in brackets, e.g. ["Interviewer"]',
                             ("Interviewer",))
    speakers: Names | None = key(
        'a list of the participants\' speaker labels, e.g. ["Chief Officer"]', None)
    keep: dict[Name, Annotated[tuple[Value, ...], BeforeValidator(_as_list)]] = key(
        "{ column = value or [values], ... }", {})
    blank: Annotated[Names, AfterValidator(lambda v: tuple(b.lower() for b in v))] = key(
        "a list of answers that count as blank, in quotes", DEFAULT_BLANKS)
    attributes: dict[Name, Name] = key('{ attribute = "column", ... }', {})
    role: StrictStr | None = key('text in quotes: how its people are named in the report, e.g. '
                                 '"Interviewee"', None)

    @property
    def resolved_format(self) -> str | None:
        return self.format or FORMAT_BY_SUFFIX.get(PurePath(self.path).suffix.lower())

    def problems(self) -> Iterator[str]:
        fmt = self.resolved_format
        table = table_format(fmt, self.path)
        if fmt is None:
            yield (f"cannot tell the format of '{self.path}'; add format = one of "
                   f"{', '.join(TABULAR_FORMATS + DOCUMENT_FORMATS)}")
        elif fmt in TABULAR_FORMATS:
            yield from self._survey_problems()
        elif table:
            yield from self._needed(("respondent_column", "the column of interviewee ids"),
                                    ("text_column", "the column of what was said"),
                                    ("question", "question id the interviews answer"))
            yield from self._only_for("a survey table", "columns", "question_column",
                                      "questions", "response_id_column", "respondent",
                                      "attributes")
        else:
            yield from self._needed(("respondent", "respondent id for everyone in the file"),
                                    ("question", "question id the file answers"))
            yield from self._only_for("a table", "respondent_column", "response_id_column",
                                      "columns", "text_column", "question_column", "questions",
                                      "speaker_column", "order_column", "start_column", "keep",
                                      "attributes")
        if fmt in TABULAR_FORMATS:
            yield from self._only_for('a transcript table (format = "transcript")',
                                      "speaker_column", "order_column", "start_column")
        if self.delimiter is not None and table != "csv":
            yield "delimiter is only for a CSV file"
        if self.sheet is not None and table != "xlsx":
            yield "sheet is only for an XLSX file"
        if self.header_row != 1 and table not in ("csv", "xlsx"):
            yield "header_row is only for a CSV or XLSX file"
        if self.speakers is not None and fmt != "transcript":
            yield 'speakers are only for format = "transcript"'
        interviewers = {label.casefold() for label in self.interviewer}
        yield from (f"'{label}' is in both speakers and interviewer; a label is one or the other"
                    for label in self.speakers or () if label.casefold() in interviewers)

    def _survey_problems(self) -> Iterator[str]:
        if not self.respondent_column:
            yield "missing 'respondent_column' (the column of respondent ids)"
        if self.question_column:
            if not self.text_column or not self.questions:
                yield ("question_column needs text_column (the answers) and questions = "
                       "{ question_id = \"text in the question column\", ... }")
            if self.columns or self.question:
                yield ("with question_column, the questions come from that column: leave out "
                       "columns and question")
            owner: dict[str, str] = {}
            for qid, texts in self.questions.items():
                for text in texts:
                    spaced = " ".join(text.split())
                    if owner.setdefault(spaced, qid) != qid:
                        yield (f"questions: '{spaced}' is given for both {owner[spaced]} and "
                               f"{qid}; a text in the question column names one question")
        elif self.questions:
            yield "questions = {...} needs question_column (the column naming each row's question)"
        elif bool(self.columns) == bool(self.text_column):
            yield ("give either columns = {question = column} (one row per respondent), "
                   "text_column + question (one row per response), or text_column + "
                   "question_column + questions (one row per response to any question)")
        elif self.text_column and not self.question:
            yield "text_column needs question = <question id>"

    def _needed(self, *keys: tuple[str, str]) -> Iterator[str]:
        yield from (f"missing '{name}' ({what})" for name, what in keys if not getattr(self, name))

    def _only_for(self, what: str, *names: str) -> Iterator[str]:
        yield from (f"{name} is only for {what}" for name in names if getattr(self, name))


def table_format(fmt: str | None, path: str) -> str | None:
    """How a source's file is read as a table (csv, xlsx, jsonl or parquet), or None when it is
    read as text. A transcript whose file is a table is a transcript table."""
    if fmt in TABULAR_FORMATS:
        return fmt
    by_suffix = FORMAT_BY_SUFFIX.get(PurePath(path).suffix.lower())
    return by_suffix if fmt == "transcript" and by_suffix in TABULAR_FORMATS else None


def codes_by_nothing(phrases: Collection[str], description: str, examples: Collection[str],
                     by_meaning: bool) -> bool:
    """Whether a theme has nothing to code a segment by: no phrase, and no meaning beyond its
    title (neither a description nor an example, or `by_meaning = false`). A few words of a
    title alone are too little meaning to code by; a description or an example says what the
    theme covers, and a phrase codes exactly."""
    if any(p.strip() for p in phrases):
        return False
    return not by_meaning or not (description.strip() or any(e.strip() for e in examples))


NOTHING_TO_CODE_BY = ("has nothing to code by: give it phrases, or a description or examples to "
                      "code by meaning (with by_meaning = false it needs phrases)")


def title_key(title: str) -> str:
    """Two titles that differ only in case or spacing name one theme."""
    return " ".join(title.casefold().split())


class ThemeTable(Table):
    """A given theme of a section (`[[sections.themes]]`): its starting codebook entry."""

    id: Name | None = key("a name in quotes", None)
    title: Name = key("text in quotes")
    description: StrictStr = key("text in quotes", "")
    phrases: Names = key("a list of phrases in quotes", ())
    exclude: Names = key("a list of phrases in quotes", ())
    examples: Names = key("a list of sentences in quotes", ())
    by_meaning: StrictBool = key("true or false", True)
    tone: Literal["", "praise", "other", "for", "against"] = key(
        '"praise", "other", "for", "against" or ""', "")

    def problems(self) -> Iterator[str]:
        if codes_by_nothing(self.phrases, self.description, self.examples, self.by_meaning):
            yield f"theme '{self.title}' {NOTHING_TO_CODE_BY}"


class SectionTable(Table):
    id: FileId = key(FILE_ID)
    title: Name = key("text in quotes")
    questions: Names = key("a list of question ids in quotes", ())
    sources: Names = key("a list of source ids in quotes", ())
    description: StrictStr | None = key("text in quotes", None)
    number: StrictStr = key('text in quotes, e.g. "2.1"', "")
    themes: tuple[ThemeTable, ...] = key(
        "[[sections.themes]] tables, each with a title (and optional description, phrases, "
        "exclude, examples, by_meaning, tone)", ())
    max_themes: Positive | None = key("a positive whole number", None)
    print_all: StrictBool = key("true or false: print every answer in full", False)

    def problems(self) -> Iterator[str]:
        if not self.questions and not self.sources:
            yield "a section needs questions = [...] or sources = [...]"
        titles: set[str] = set()
        for theme in self.themes:
            yield from theme.problems()
            if title_key(theme.title) in titles:
                yield f"two themes are titled '{theme.title}'; give each theme its own title"
            titles.add(title_key(theme.title))


def problem_lines(model: type[Table], error: ValidationError, entry: dict[str, Any]
                  ) -> list[str]:
    """One message per key that failed, in the order the keys were written."""
    failed: dict[str, str] = {}
    for detail in error.errors():
        name = str(detail["loc"][0]) if detail["loc"] else ""
        if name in failed:
            continue  # one line per key, however many ways its value is wrong
        field = model.model_fields.get(name)
        if detail["type"] == "extra_forbidden":
            failed[name] = f"unknown key '{name}'{_did_you_mean(name, model.model_fields)}"
        elif field is None:
            failed[name] = detail["msg"]
        elif detail["type"] == "missing":
            failed[name] = f"missing '{name}' ({field.description})"
        else:
            failed[name] = f"{name} must be {field.description}, got {_show(entry[name])}"
    written = list(entry)
    return [failed[name] for name in sorted(
        failed, key=lambda n: written.index(n) if n in written else len(written))]


def unknown_table(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean [{close[0]}]?)" if close else f"; the tables are {', '.join(known)}"
    return f"unknown table [{name}]{hint}"


def _did_you_mean(name: str, known: dict[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(known)}"


def _show(value: Any, limit: int = 80) -> str:
    """A value as it is written in TOML, shortened to fit on one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(_show(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {_show(v, limit)}" for k, v in value.items()) + " }"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
