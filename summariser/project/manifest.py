"""The project manifest (`summariser.toml`): sources, questions and report sections.

The format is documented in docs/manifest.md; this module parses it into frozen records and
checks it, so every later stage can trust ids and paths.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summariser.errors import ManifestError

MANIFEST_NAME = "summariser.toml"
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


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    kind: str = "text"
    label: str = ""
    scale: tuple[float, float] | None = None
    options: tuple[str, ...] = ()

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
    respondent_column: str | None = None
    response_id_column: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # question id -> column (wide layout)
    text_column: str | None = None  # long layout
    question: str | None = None  # long layout, transcripts and text
    respondent: str | None = None  # transcripts and text
    interviewer: tuple[str, ...] = ()
    keep: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    blank: tuple[str, ...] = DEFAULT_BLANKS
    attributes: dict[str, str] = field(default_factory=dict)  # attribute name -> column

    @property
    def is_tabular(self) -> bool:
        return self.format in TABULAR_FORMATS


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

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


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
        return self.store or self.root / ".summariser"


def find_manifest(project: Path) -> Path:
    """The manifest file for a project directory (or the file itself)."""
    path = project if project.is_file() else project / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError(
            f"No {MANIFEST_NAME} in {project}: pass the project directory that holds it "
            "(see docs/manifest.md for the format)"
        )
    return path


def load_manifest(project: Path | str) -> Manifest:
    path = find_manifest(Path(project))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc}); fix the syntax and re-run") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text; save the manifest as UTF-8") from None
    return parse_manifest(data, path)


def parse_manifest(data: dict[str, Any], path: Path) -> Manifest:
    root = path.parent.resolve()
    where = str(path)
    project = _table(data, "project", where)
    questions = tuple(_question(q, f"{where} [[questions]] #{i + 1}") for i, q in
                      enumerate(_array(data, "questions", where)))
    _unique([q.id for q in questions], "question", where)
    question_ids = {q.id for q in questions}
    sources = tuple(_source(s, root, f"{where} [[sources]] #{i + 1}", question_ids) for i, s in
                    enumerate(_array(data, "sources", where)))
    _unique([s.id for s in sources], "source", where)
    source_ids = {s.id for s in sources}
    sections = tuple(_section(s, f"{where} [[sections]] #{i + 1}", question_ids, source_ids)
                     for i, s in enumerate(data.get("sections", [])))
    _unique([s.id for s in sections], "section", where)
    noun = project.get("respondent_noun", ["respondent", "respondents"])
    if isinstance(noun, str):
        noun = [noun, noun + "s"]
    if len(noun) != 2:
        raise ManifestError(f"{where}: respondent_noun takes [singular, plural]")
    invited = project.get("invited")
    if invited is not None and (not isinstance(invited, int) or invited < 1):
        raise ManifestError(f"{where}: invited must be a positive whole number")
    store = project.get("store")
    return Manifest(
        root=root,
        title=str(project.get("title", root.name)),
        respondent_noun=(str(noun[0]), str(noun[1])),
        sources=sources,
        questions=questions,
        sections=sections,
        invited=invited,
        store=(root / store).resolve() if store else None,
        redact=tuple(project.get("redact", ())),
        min_cell=_positive(project.get("min_cell", 5), "min_cell", where),
    )


def _positive(value: Any, key: str, where: str) -> int:
    if not isinstance(value, int) or value < 1:
        raise ManifestError(f"{where}: {key} must be a positive whole number")
    return value


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ManifestError(f"{where}: [{key}] must be a table")
    return value


def _array(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not value:
        raise ManifestError(f"{where}: no [[{key}]] entries; a project needs at least one")
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ManifestError(f"{where}: {key} must be written as [[{key}]] tables")
    return value


def _required(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] in ("", None):
        raise ManifestError(f"{where}: missing '{key}'")
    return entry[key]


def _unique(ids: list[str], what: str, where: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ManifestError(f"{where}: {what} id '{item}' is used twice; ids must be unique")
        seen.add(item)


def _question(entry: dict[str, Any], where: str) -> Question:
    qid = str(_required(entry, "id", where))
    kind = entry.get("kind", "text")
    if kind not in QUESTION_KINDS:
        raise ManifestError(f"{where} ({qid}): kind must be one of {', '.join(QUESTION_KINDS)}")
    scale = entry.get("scale")
    if kind == "rating":
        if not (isinstance(scale, list) and len(scale) == 2 and scale[0] < scale[1]):
            raise ManifestError(f"{where} ({qid}): a rating question needs scale = [low, high]")
        scale = (float(scale[0]), float(scale[1]))
    options = tuple(str(o) for o in entry.get("options", ()))
    if kind == "choice" and len(options) < 2:
        raise ManifestError(f"{where} ({qid}): a choice question needs options = [...] in order")
    return Question(id=qid, text=str(entry.get("text", qid)), kind=kind,
                    label=str(entry.get("label", "")), scale=scale if kind == "rating" else None,
                    options=options)


def _source(entry: dict[str, Any], root: Path, where: str, question_ids: set[str]) -> Source:
    sid = str(_required(entry, "id", where))
    where = f"{where} ({sid})"
    written = str(_required(entry, "path", where))
    path = (root / written).resolve()
    fmt = entry.get("format") or FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ManifestError(f"{where}: cannot tell the format of '{written}'; add format = "
                            f"one of {', '.join(TABULAR_FORMATS + DOCUMENT_FORMATS)}")
    if fmt not in TABULAR_FORMATS + DOCUMENT_FORMATS:
        raise ManifestError(f"{where}: unknown format '{fmt}'")
    columns = {str(k): str(v) for k, v in entry.get("columns", {}).items()}
    text_column = entry.get("text_column")
    question = entry.get("question")
    if fmt in TABULAR_FORMATS:
        _required(entry, "respondent_column", where)
        if bool(columns) == bool(text_column):
            raise ManifestError(f"{where}: give either columns = {{question = column}} (one row "
                                "per respondent) or text_column + question (one row per response)")
        if text_column and not question:
            raise ManifestError(f"{where}: text_column needs question = <question id>")
    else:
        _required(entry, "respondent", where)
        _required(entry, "question", where)
    for qid in [*columns, *([question] if question else [])]:
        if qid not in question_ids:
            raise ManifestError(f"{where}: question '{qid}' is not declared in [[questions]]")
    keep = {str(k): tuple(v if isinstance(v, list) else [v]) for k, v in
            entry.get("keep", {}).items()}
    blank = tuple(str(b).lower() for b in entry.get("blank", DEFAULT_BLANKS))
    return Source(id=sid, path=path, written_path=written, format=fmt,
                  encoding=entry.get("encoding"),
                  respondent_column=entry.get("respondent_column"),
                  response_id_column=entry.get("response_id_column"),
                  columns=columns, text_column=text_column, question=question,
                  respondent=entry.get("respondent"),
                  interviewer=tuple(entry.get("interviewer", ("Interviewer",))),
                  keep=keep, blank=blank,
                  attributes={str(k): str(v) for k, v in entry.get("attributes", {}).items()})


def _section(entry: dict[str, Any], where: str, question_ids: set[str],
             source_ids: set[str]) -> Section:
    sid = str(_required(entry, "id", where))
    where = f"{where} ({sid})"
    questions = tuple(entry.get("questions", ()))
    sources = tuple(entry.get("sources", ()))
    for qid in questions:
        if qid not in question_ids:
            raise ManifestError(f"{where}: question '{qid}' is not declared in [[questions]]")
    for src in sources:
        if src not in source_ids:
            raise ManifestError(f"{where}: source '{src}' is not declared in [[sources]]")
    if not questions and not sources:
        raise ManifestError(f"{where}: a section needs questions = [...] or sources = [...]")
    themes = entry.get("themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, dict) and t.get("title")
                                               for t in themes):
        raise ManifestError(f"{where}: themes must be [[sections.themes]] tables, each with a "
                            "title (and optional description, phrases, exclude, examples)")
    max_themes = entry.get("max_themes")
    if max_themes is not None:
        max_themes = _positive(max_themes, "max_themes", where)
    return Section(id=sid, title=str(_required(entry, "title", where)), questions=questions,
                   description=str(entry.get("description", entry["title"])),
                   number=str(entry.get("number", "")), sources=sources,
                   themes=tuple(themes), max_themes=max_themes)
