"""The project manifest (`summariser.toml`): sources, questions and report sections.

The format is documented in docs/manifest.md. Each table is validated by its model in
schema.py; this module checks what spans tables (unique ids, references, where paths lead),
reports every problem in the file at once, and builds the frozen records later stages trust.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from summariser.errors import ManifestError
from summariser.project.problems import Problems
from summariser.project.schema import (
    DEFAULT_BLANKS,
    DOCUMENT_FORMATS,
    FORMAT_BY_SUFFIX,
    QUESTION_KINDS,
    TABULAR_FORMATS,
    HeadingTable,
    PrivacyTable,
    ProjectTable,
    QuestionTable,
    SectionTable,
    SourceTable,
    Table,
    problem_lines,
    table_format,
    unknown_table,
)

__all__ = [
    "DEFAULT_BLANKS", "DOCUMENT_FORMATS", "FORMAT_BY_SUFFIX", "MANIFEST_NAME", "QUESTION_KINDS",
    "TABULAR_FORMATS", "Manifest", "Question", "Section", "Source", "find_manifest",
    "load_manifest", "parse_manifest", "project_holding",
]

MANIFEST_NAME = "summariser.toml"
DEFAULT_STORE = ".summariser"
T = TypeVar("T", bound=Table)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    kind: str = "text"
    label: str = ""
    scale: tuple[float, float] | None = None
    options: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # code in the file -> label or option
    non_answers: dict[str, str] = field(default_factory=dict)  # code -> label, e.g. don't know
    best: str | None = None  # rating: "high" or "low"; choice: "first" or "last"
    top_two: bool = False  # report the two best points or options combined

    @property
    def short(self) -> str:
        return self.label or self.text


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    path: Path  # absolute
    written_path: str  # as written in the manifest, used in citations
    format: str
    encoding: str | None = None
    delimiter: str | None = None  # CSV; None: found from the header
    sheet: str | None = None  # XLSX; None: the first sheet not hidden
    header_row: int = 1  # CSV and XLSX: the line or row of the column names
    respondent_column: str | None = None
    response_id_column: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # question id -> column (wide layout)
    text_column: str | None = None  # long layout and transcript tables
    question_column: str | None = None  # long layout: the column naming each row's question
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> column texts
    question: str | None = None  # long layout, transcripts and text
    respondent: str | None = None  # transcripts and text
    speaker_column: str | None = None  # transcript tables
    order_column: str | None = None  # transcript tables
    start_column: str | None = None  # transcript tables: timestamps
    interviewer: tuple[str, ...] = ()
    speakers: tuple[str, ...] | None = None  # participant labels; None: detected (sources.py)
    keep: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    blank: tuple[str, ...] = DEFAULT_BLANKS
    attributes: dict[str, str] = field(default_factory=dict)  # attribute name -> column
    role: str | None = None  # how its people are named in the report ("Interviewee")

    @property
    def table_format(self) -> str | None:
        """csv, xlsx, jsonl or parquet when the file is read as a table (a survey export or a
        transcript table), else None."""
        return table_format(self.format, self.written_path)

    @property
    def is_tabular(self) -> bool:
        return self.table_format is not None

    @property
    def used_columns(self) -> frozenset[str]:
        """Every column of its table this source reads."""
        named = (self.respondent_column, self.response_id_column, self.text_column,
                 self.question_column, self.speaker_column, self.order_column, self.start_column,
                 *self.columns.values(), *self.keep, *self.attributes.values())
        return frozenset(column for column in named if column)

    @property
    def kind(self) -> str:
        """Whose words it holds: "survey" (respondents), "interview" (interviewees and their
        interviewers) or "document" (notes and papers: never a person)."""
        if self.format in TABULAR_FORMATS:
            return "survey"
        return "interview" if self.format == "transcript" else "document"


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    questions: tuple[str, ...]
    description: str
    number: str = ""
    sources: tuple[str, ...] = ()
    themes: tuple[dict[str, Any], ...] = ()  # given themes: the section's starting codebook
    max_themes: int | None = None  # the theme budget (default: scaled to the answers)
    print_all: bool = False  # the report prints every answer in full

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class Privacy:
    attribution: str = "role"  # "none", "role" or "pseudonym"
    pseudonyms: dict[str, str] = field(default_factory=dict)
    mask: tuple[str, ...] = ()  # names printed as [name] in the report


@dataclass(frozen=True, slots=True)
class ReportHeading:
    number: str
    title: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    root: Path
    title: str
    respondent_noun: tuple[str, str]
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    invited: int | None = None
    store: Path | None = None
    redact: tuple[str, ...] = ()
    min_cell: int = 5  # breakdowns by attribute suppress groups smaller than this
    allow_outside: bool = False  # sources and the store may lie outside the project folder
    max_cell_bytes: int = 100_000  # an answer or turn longer than this (UTF-8) is oversized...
    oversized_cells: str = "skip"  # ... and is skipped or truncated at ingest ("truncate")
    id_pattern: str | None = None  # what a cited id looks like in drafts (the gate reads these)
    languages: tuple[str, ...] = ("en",)  # of the answers: the gate knows negations of some
    subtitle: str = ""
    author: str = ""
    organisation: str = ""
    date: str = ""
    attribution: str = ""  # the data's credit or licence line, printed in the report
    privacy: Privacy = field(default_factory=lambda: Privacy())
    headings: tuple[ReportHeading, ...] = ()

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise ManifestError(f"{self.root / MANIFEST_NAME}: no question '{question_id}'")

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id or section.number == section_id:
                return section
        known = ", ".join(s.id for s in self.sections)
        raise ManifestError(f"No section '{section_id}' in the manifest; known sections: {known}")

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources)
        raise ManifestError(f"No source '{source_id}' in the manifest; known sources: {known}")

    def questions_of_kind(self, kind: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == kind)

    @property
    def store_path(self) -> Path:
        return self.store or self.root / DEFAULT_STORE

    def inside(self, name: str) -> Path:
        """`name` in the project folder, for the tool to write (drafts/, out/, runs.sqlite).
        Refused in one line when it leads outside the project (a symlink to another place),
        unless the manifest allows that (`allow_outside = true`)."""
        path = self.root / name
        resolved = path.resolve()
        if not self.allow_outside and not resolved.is_relative_to(self.root):
            raise ManifestError(f"{path} leads outside the project folder (to {resolved}), so "
                                "nothing was written there; remove that link, or "
                                f"set allow_outside = true in [project] of {MANIFEST_NAME}")
        return path


def find_manifest(project: Path) -> Path:
    """The manifest file for a project directory (or the file itself)."""
    path = project if project.is_file() else project / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError(
            f"No {MANIFEST_NAME} in {project}: pass the project directory that holds it "
            "(see docs/manifest.md for the format)"
        )
    return path


def project_holding(path: Path) -> Path | None:
    """The nearest folder at or above `path` (a file or folder) that holds a summariser.toml."""
    folder = path.resolve()
    folder = folder if folder.is_dir() else folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / MANIFEST_NAME).is_file():
            return candidate
    return None


def load_manifest(project: Path | str) -> Manifest:
    path = find_manifest(Path(project))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc}); fix the syntax and re-run") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text; save the manifest as UTF-8") from None
    return parse_manifest(data, path)


class _Problems(Problems):
    """Every problem found in one manifest, each one line that names where it is."""

    def __init__(self, path: Path):
        super().__init__(ManifestError)
        self.path = path

    def add(self, where: str, message: str) -> None:
        super().add(f"{self.path} {where}".rstrip(), message)


_ARRAYS: dict[str, type[Table]] = {
    "sources": SourceTable, "questions": QuestionTable, "sections": SectionTable,
    "headings": HeadingTable}
_REQUIRED = ("sources", "questions")


@dataclass(frozen=True, slots=True)
class _Entry:
    """One [[table]] entry: where it is, as written, and as its model when that is valid."""

    where: str
    written: dict[str, Any]
    table: Any

    def text(self, key: str) -> str | None:
        value = self.written.get(key)
        return value if isinstance(value, str) else None


def parse_manifest(data: dict[str, Any], path: Path) -> Manifest:
    """The manifest's records; raises one ManifestError listing every problem in `data`."""
    root = path.parent.resolve()
    problems = _Problems(path)
    for name in data:
        if name not in ("project", "privacy") and name not in _ARRAYS:
            problems.add("", unknown_table(name, ["project", "privacy", *_ARRAYS]))
    privacy = _validate(PrivacyTable, data.get("privacy", {}), "[privacy]", problems)
    written = data.get("project", {})
    project = _validate(ProjectTable, written, "[project]", problems)
    entries = {name: _entries(model, name, data, problems) for name, model in _ARRAYS.items()}
    # Checks across tables use what was written, so an entry with one bad key still declares
    # its id and has its path checked: every problem is reported once, without echoes.
    written = written if isinstance(written, dict) else {}
    allow_outside = written.get("allow_outside") is True
    ids = {name: {e.text("id") for e in rows} for name, rows in entries.items()}
    for name, rows in entries.items():
        _check_unique(name.removesuffix("s"), rows, problems)
    for entry in entries["sources"]:
        if written_path := entry.text("path"):
            _check_inside(root, written_path, f'path "{written_path}"', entry.where,
                          allow_outside, problems)
        if source := entry.table:
            _check_declared("question", [*source.columns, *source.questions,
                                         *filter(None, [source.question])],
                            ids["questions"], entry.where, problems)
    for entry in entries["sections"]:
        if section := entry.table:
            _check_declared("question", section.questions, ids["questions"], entry.where,
                            problems)
            _check_declared("source", section.sources, ids["sources"], entry.where, problems)
    store = written.get("store") if isinstance(written.get("store"), str) else None
    _check_inside(root, store or DEFAULT_STORE, f'store "{store or DEFAULT_STORE}"', "[project]",
                  allow_outside, problems)
    problems.raise_any()
    assert project is not None  # a bad [project] was a problem, raised above
    return Manifest(
        root=root,
        title=project.title if project.title is not None else root.name,
        respondent_noun=project.noun,
        sources=tuple(_source(e.table, root) for e in entries["sources"]),
        questions=tuple(_question(e.table) for e in entries["questions"]),
        sections=tuple(_section(e.table) for e in entries["sections"]),
        store=(root / store).resolve() if store else None,
        privacy=Privacy(**privacy.model_dump()) if privacy else Privacy(),
        headings=tuple(ReportHeading(**e.table.model_dump()) for e in entries["headings"]),
        **project.model_dump(exclude={"title", "respondent_noun", "store"}),
    )


def _entries(model: type[Table], name: str, data: dict[str, Any], problems: _Problems
             ) -> list[_Entry]:
    """Each entry of the array of tables `name`, validated by `model`."""
    written = data.get(name, [])
    if not isinstance(written, list) or not all(isinstance(e, dict) for e in written):
        problems.add("", f"{name} must be written as [[{name}]] tables")
        return []
    if not written and name in _REQUIRED:
        problems.add("", f"no [[{name}]] entries; a project needs at least one")
    entries = []
    for index, entry in enumerate(written):
        where = f"[[{name}]] #{index + 1}"
        if isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"
        entries.append(_Entry(where, entry, _validate(model, entry, where, problems)))
    return entries


def _validate(model: type[T], entry: Any, where: str, problems: _Problems) -> T | None:
    """The table as its model, or None after recording why not."""
    if not isinstance(entry, dict):
        problems.add(where, "must be a table")
        return None
    try:
        table = model.model_validate(entry)
    except ValidationError as exc:
        for line in problem_lines(model, exc, entry):
            problems.add(where, line)
        return None
    for line in table.problems():
        problems.add(where, line)
    return table


def _check_unique(name: str, entries: list[_Entry], problems: _Problems) -> None:
    counts = Counter(e.text("id") for e in entries if e.text("id"))
    for entry in entries:
        if counts[entry.text("id")] > 1:
            problems.add(entry.where,
                         f"{name} id '{entry.text('id')}' is used twice; ids must be unique")
            counts[entry.text("id")] = 0  # said once is enough


def _check_declared(what: str, named: Iterable[str], declared: set[str | None], where: str,
                    problems: _Problems) -> None:
    for item in named:
        if item not in declared:
            problems.add(where, f"{what} '{item}' is not declared in [[{what}s]]")


def _check_inside(root: Path, written: str, what: str, where: str, allow_outside: bool,
                  problems: _Problems) -> None:
    """A path must resolve (symlinks followed) inside the project folder unless allowed."""
    resolved = (root / written).resolve()
    if not allow_outside and not resolved.is_relative_to(root):
        problems.add(where, f"{what} leads outside the project folder (to {resolved}); move it "
                            "inside the project, or set allow_outside = true in [project]")


def _question(table: QuestionTable) -> Question:
    fields = table.model_dump()
    fields["text"] = table.text if table.text is not None else table.id
    return Question(**fields)


def _source(table: SourceTable, root: Path) -> Source:
    return Source(**table.model_dump(exclude={"path", "format"}),
                  path=(root / table.path).resolve(), written_path=table.path,
                  format=table.resolved_format or "")


def _section(table: SectionTable) -> Section:
    fields = table.model_dump()
    fields["description"] = table.description if table.description is not None else table.title
    return Section(**fields)
