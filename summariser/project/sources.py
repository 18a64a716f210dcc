"""Read a project's sources into records: tabular exports, transcripts and free text.

Everything is read and checked before anything is stored, so a bad file can never leave a
half-updated store. Response text is kept exactly as written: quotes are checked against it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from summariser.errors import InputError
from summariser.project.closed import closed_answer
from summariser.project.manifest import Manifest, Source
from summariser.project.problems import Problems
from summariser.project.tables import Layout, TableRows, misread, read_rows
from summariser.project.textfile import BREAK, decode, lines
from summariser.project.transcripts import split_turns, table_transcripts, transcript_records
from summariser.records import Attribute, Corpus, Rating, Response, Skipped
from summariser.text.visible import blank, trimmed

__all__ = ["read_corpus", "read_text", "split_turns"]

# A paragraph runs from its first visible character to the line before a blank line.
PARAGRAPH = re.compile(rf"\S(?:[^\r\n]|{BREAK}(?![ \t]*(?:{BREAK}|\Z)))*")


def read_corpus(manifest: Manifest, encoding: str | None = None) -> Corpus:
    """Read every source in the manifest. Raises one InputError listing every problem found
    in every file (up to 20), each with its file and line.

    `encoding` is for sources that do not name their own in the manifest.
    """
    responses: list[Response] = []
    ratings: list[Rating] = []
    skipped: list[Skipped] = []
    attributes: list[Attribute] = []
    rows_read: dict[str, int] = {}
    problems = Problems(InputError)
    for source in manifest.sources:
        if not source.path.is_file():
            problems.add(source.written_path, f"file not found (source '{source.id}'); fix the "
                         "path in summariser.toml")
            continue
        try:
            if source.is_tabular:
                table = read_rows(source.path, source.written_path, source.table_format or "",
                                  source.encoding or encoding, problems,
                                  Layout(source.delimiter, source.sheet, source.header_row,
                                         source.used_columns))
                if table is None:
                    continue
                rows_read[source.id] = len(table.rows)
                if source.kind == "interview":
                    turns, passed = table_transcripts(source, table, problems)
                    got: tuple[list[Response], list[Rating], list[Skipped]] = (turns, [], passed)
                else:
                    answers, rated, left, found = _tabular_records(source, table, manifest,
                                                                   problems)
                    got = (answers, rated, left)
                    attributes.extend(found)
            else:
                text = read_text(source, encoding, problems.notes)
                got = _document_records(source, text, problems.notes)
                rows_read[source.id] = len(got[0]) + len(got[2])
        except InputError as exc:
            problems.add_error(exc)
            continue
        responses.extend(got[0])
        ratings.extend(got[1])
        skipped.extend(got[2])
    problems.raise_any()
    ids = [r.response_id for r in responses]
    if len(set(ids)) != len(ids):
        raise InputError("Two sources produce the same response ids; give each source its own id")
    return Corpus(tuple(responses), tuple(ratings), tuple(skipped), rows_read, tuple(attributes),
                  tuple(problems.notes))


def read_text(source: Source, encoding: str | None = None, notes: list[str] | None = None
              ) -> str:
    if source.path.suffix.lower() == ".docx":
        return _docx_text(source)
    data = source.path.read_bytes()
    if not data.strip():
        raise InputError(f"{source.written_path}: the file is empty; export it again")
    return decode(data, source.written_path, source.encoding or encoding, notes)


def _missing_columns(source: Source, table: TableRows) -> list[str]:
    """One message per column the manifest names that the file lacks."""
    wanted = {source.respondent_column: "respondent"}
    wanted |= {col: f"question {qid}" for qid, col in source.columns.items()}
    if source.question_column:
        wanted[source.question_column] = "question"
        wanted[source.text_column] = "answers"
    elif source.text_column:
        wanted[source.text_column] = f"question {source.question}"
    if source.response_id_column:
        wanted[source.response_id_column] = "response id"
    wanted |= {col: "filter" for col in source.keep}
    wanted |= {col: f"attribute {name}" for name, col in source.attributes.items()}
    found = ", ".join(table.columns[:12]) + (", ..." if len(table.columns) > 12 else "")
    missing = [(column, role) for column, role in wanted.items() if column not in table.columns]
    respondent = source.respondent_column
    hint = misread(table, respondent) if respondent and respondent in dict(missing) else None
    if hint:  # one cause, said once, rather than every column in turn
        return [hint]
    return [f"no column '{column}' ({role}); columns in the file: {found}; fix the column name "
            "in summariser.toml" for column, role in missing]


def _is_blank(text: str | None, source: Source) -> str | None:
    """Why an answer counts as blank, or None when it is a real answer. One with nothing a
    reader can see (only spaces, or a zero-width space) is empty."""
    if blank(text):
        return "empty"
    assert text is not None  # a missing answer is blank
    if trimmed(text).lower() in source.blank:
        return f"blank ('{trimmed(text)}')"
    return None


def _tabular_records(source: Source, table: TableRows, manifest: Manifest, problems: Problems
                     ) -> tuple[list[Response], list[Rating], list[Skipped], list[Attribute]]:
    responses: list[Response] = []
    ratings: list[Rating] = []
    skipped: list[Skipped] = []
    attributes: list[Attribute] = []
    missing = _missing_columns(source, table)
    for message in missing:
        problems.add(source.written_path, message)
    if missing:
        return responses, ratings, skipped, attributes
    respondent_column = source.respondent_column
    assert respondent_column is not None  # a survey table names it (summariser.project.schema)
    found = [(line, table.at(line), message) for line, message in table.problems]
    matcher = {_spaced(text): qid for qid, texts in source.questions.items() for text in texts}
    seen: dict[str, int] = {}
    for index, record in enumerate(table.rows, 1):
        row = record.cells
        place = table.at(record)
        if not _kept(row, source):
            skipped.append(Skipped(source.id, record.line, "filtered out (keep)"))
            continue
        respondent = (row[respondent_column] or "").strip()
        if not respondent:
            found.append((record.line, place, f"no respondent id in "
                          f"'{source.respondent_column}'; fill it in or remove the row"))
            continue
        key = respondent
        if source.text_column:
            key = (row[source.response_id_column] or "").strip() if source.response_id_column \
                else str(index)
        if key in seen:
            what = "respondent" if not source.text_column else "response id"
            hint = ("each row must be one respondent; for one row per response, use text_column"
                    if not source.text_column else "response ids must be unique")
            found.append((record.line, place, f"{what} '{key}' appears on {table.unit}s "
                          f"{seen[key]} and {record.line}; {hint}"))
            continue
        seen[key] = record.line
        attributes += [Attribute(respondent, name, (row[column] or "").strip())
                       for name, column in source.attributes.items()
                       if (row[column] or "").strip()]
        # The manifest's schema requires text_column with question_column, and question with
        # text_column: each test below holds exactly when its first part does.
        if source.question_column and source.text_column:
            qid = _question_of(row[source.question_column], matcher)
            if qid is None:
                skipped.append(Skipped(source.id, record.line, "question not in questions = {...}"))
                continue
            items = [(qid, row[source.text_column], f"{source.id}:{key}")]
        elif source.text_column and source.question:
            items = [(source.question, row[source.text_column], f"{source.id}:{key}")]
        else:
            items = [(qid, row[col], f"{source.id}:{respondent}:{qid}")
                     for qid, col in source.columns.items()]
        for qid, value, response_id in items:
            question = manifest.question(qid)
            if question.kind != "text":
                rating, problem = _rating(source, respondent, question, value)
                if problem:
                    found.append((record.line, f"{place}, question {question.id}", problem))
                elif rating is not None:  # always, when there is no problem
                    ratings.append(rating)
                continue
            reason = _is_blank(value, source)
            if reason is not None:
                skipped.append(Skipped(source.id, record.line, reason))
                continue
            assert value is not None  # a missing cell is blank ("empty")
            responses.append(Response(response_id=response_id, respondent=respondent,
                                      question=qid, source=source.id,
                                      source_file=source.written_path, text=value, row=record.line))
    for _, place, message in sorted(found, key=lambda problem: problem[0]):
        problems.add(place, message)
    return responses, ratings, skipped, attributes


def _kept(row: dict[str, Any], source: Source) -> bool:
    for column, allowed in source.keep.items():
        if (row[column] or "").strip() not in {str(a) for a in allowed}:
            return False
    return True


def _spaced(text: str | None) -> str:
    """Text with every run of whitespace (line breaks included) as one space, trimmed: how a
    question column's text is matched to the manifest's."""
    return " ".join((text or "").split())


def _question_of(text: str | None, matcher: dict[str, str]) -> str | None:
    return matcher.get(_spaced(text))


def _rating(source: Source, respondent: str, question: Any, value: str | None
            ) -> tuple[Rating, None] | tuple[None, str]:
    """The closed answer in a cell (None as its value when blank), or why it cannot be one."""
    if value is None or _is_blank(value, source):
        return Rating(respondent, question.id, None), None
    # closed_answer gives a rating or why there is none, never both nor neither.
    return closed_answer(question, respondent, value)  # type: ignore[return-value]


def _document_records(source: Source, text: str, notes: list[str]
                      ) -> tuple[list[Response], list[Rating], list[Skipped]]:
    if source.format == "text":
        return _paragraphs(source, text), [], []
    turns, unlisted = transcript_records(source, text, notes)
    return turns, [], unlisted


def _paragraphs(source: Source, text: str) -> list[Response]:
    respondent, question = source.respondent, source.question
    assert respondent is not None and question is not None  # a document names both (schema)
    line_starts = [position for _, position, _ in lines(text)]
    responses = []
    for number, match in enumerate(PARAGRAPH.finditer(text), 1):
        body = match.group().rstrip()
        if body.startswith("#") or blank(body):  # a heading is structure, not words
            continue
        responses.append(Response(
            response_id=f"{source.id}:p{number:03d}", respondent=respondent,
            question=question, source=source.id, source_file=source.written_path,
            text=body, row=bisect_right(line_starts, match.start()), offset=match.start()))
    if not responses:
        raise InputError(f"{source.written_path}: no text found; is it the right file?")
    return responses


def _docx_text(source: Source) -> str:
    try:
        import docx
    except ImportError:
        raise InputError("Reading .docx needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(str(source.path))
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise InputError(f"{source.written_path}: not a readable .docx ({exc})") from None
    return "\n".join(p.text for p in document.paragraphs)
