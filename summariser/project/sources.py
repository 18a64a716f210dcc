"""Read a project's sources into records: tabular exports, transcripts and free text.

Everything is read and checked before anything is stored, so a bad file can never leave a
half-updated store. Response text is kept exactly as written: quotes are checked against it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterator
from typing import Any

from summariser.errors import InputError
from summariser.project.manifest import Manifest, Source
from summariser.project.problems import Problems
from summariser.project.tables import TableRows, read_rows
from summariser.project.textfile import BREAK, decode, lines
from summariser.records import Attribute, Corpus, Rating, Response, Skipped

# "Interviewer: ...", "**Chief Officer:** ...", "[00:01:02] Dr Smith: ..."
SPEAKER_LINE = re.compile(
    r"^(?P<prefix>\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\]?\s+)?(?:\*\*)?)"
    r"(?P<speaker>[A-Z][\w.'’ -]{0,40}?)(?:\*\*)?:(?:\*\*)?[ \t]?"
)
# A paragraph runs from its first visible character to the line before a blank line.
PARAGRAPH = re.compile(rf"\S(?:[^\r\n]|{BREAK}(?![ \t]*(?:{BREAK}|\Z)))*")
VTT_VOICE = re.compile(r"^<v\s+(?P<speaker>[^>]+)>(?P<text>.*?)(?:</v>)?$")
VTT_TIMING = re.compile(r"^\s*[\d:.]+\s+-->\s+[\d:.]+")


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
                table = read_rows(source.path, source.written_path, source.format,
                                  source.encoding or encoding, problems)
                if table is None:
                    continue
                rows_read[source.id] = len(table.rows)
                *got, found = _tabular_records(source, table, manifest, problems)
                attributes.extend(found)
            else:
                text = read_text(source, encoding)
                got = _document_records(source, text)
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
    return Corpus(tuple(responses), tuple(ratings), tuple(skipped), rows_read, tuple(attributes))


def read_text(source: Source, encoding: str | None = None) -> str:
    if source.path.suffix.lower() == ".docx":
        return _docx_text(source)
    data = source.path.read_bytes()
    if not data.strip():
        raise InputError(f"{source.written_path}: the file is empty; export it again")
    return decode(data, source.written_path, source.encoding or encoding)


def _missing_columns(source: Source, table: TableRows) -> list[str]:
    """One message per column the manifest names that the file lacks."""
    wanted = {source.respondent_column: "respondent"}
    wanted |= {col: f"question {qid}" for qid, col in source.columns.items()}
    if source.text_column:
        wanted[source.text_column] = f"question {source.question}"
    if source.response_id_column:
        wanted[source.response_id_column] = "response id"
    wanted |= {col: "filter" for col in source.keep}
    wanted |= {col: f"attribute {name}" for name, col in source.attributes.items()}
    found = ", ".join(table.columns[:12]) + (", ..." if len(table.columns) > 12 else "")
    return [f"no column '{column}' ({role}); columns in the file: {found}; fix the column name "
            "in summariser.toml" for column, role in wanted.items()
            if column not in table.columns]


def _is_blank(text: str | None, source: Source) -> str | None:
    """Why an answer counts as blank, or None when it is a real answer."""
    if text is None or not text.strip():
        return "empty"
    if text.strip().lower() in source.blank:
        return f"blank ('{text.strip()}')"
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
    found = [(line, table.at(line), message) for line, message in table.problems]
    seen: dict[str, int] = {}
    for index, record in enumerate(table.rows, 1):
        row = record.cells
        place = table.at(record)
        if not _kept(row, source):
            skipped.append(Skipped(source.id, index, "filtered out (keep)"))
            continue
        respondent = (row[source.respondent_column] or "").strip()
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
        attributes += [Attribute(respondent, name, row[column].strip())
                       for name, column in source.attributes.items()
                       if (row[column] or "").strip()]
        if source.text_column:
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
                elif rating:
                    ratings.append(rating)
                continue
            reason = _is_blank(value, source)
            if reason:
                skipped.append(Skipped(source.id, index, reason))
                continue
            responses.append(Response(response_id=response_id, respondent=respondent,
                                      question=qid, source=source.id,
                                      source_file=source.written_path, text=value, row=index))
    for _, place, message in sorted(found, key=lambda problem: problem[0]):
        problems.add(place, message)
    return responses, ratings, skipped, attributes


def _kept(row: dict[str, Any], source: Source) -> bool:
    for column, allowed in source.keep.items():
        if (row[column] or "").strip() not in {str(a) for a in allowed}:
            return False
    return True


def _rating(source: Source, respondent: str, question: Any, value: str | None
            ) -> tuple[Rating | None, str | None]:
    """The closed answer in a cell, or why the cell cannot be one."""
    if _is_blank(value, source):
        return Rating(respondent, question.id, None), None
    value = value.strip()
    if question.kind == "choice":
        for option in question.options:
            if option.lower() == value.lower():
                return Rating(respondent, question.id, option), None
        return None, (f"'{value}' is not one of the options ({'; '.join(question.options)}); "
                      "fix the options in summariser.toml")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    low, high = question.scale
    if math.isnan(number) or not low <= number <= high:
        return None, (f"'{value}' is not a number from {low:g} to {high:g}; correct the cell "
                      "or the question's scale")
    return Rating(respondent, question.id, number), None


def _document_records(source: Source, text: str
                      ) -> tuple[list[Response], list[Rating], list[Skipped]]:
    if source.format == "text":
        return _paragraphs(source, text), [], []
    if source.path.suffix.lower() == ".vtt":
        text = _vtt_as_turns(text)
    turns = list(split_turns(text, source.interviewer, source.speakers))
    if not turns:
        raise InputError(f"{source.written_path}: no speaker turns found (lines like "
                         "'Interviewer: ...'); label each turn with its speaker, or use "
                         "format = \"text\" for unlabelled notes")
    interviewers = {label.casefold() for label in source.interviewer}
    responses = []
    for number, (speaker, line, start, body) in enumerate(turns, 1):
        participant = speaker.casefold() not in interviewers
        responses.append(Response(
            response_id=f"{source.id}:t{number:03d}",
            respondent=source.respondent if participant else f"{source.respondent}-interviewer",
            question=source.question, source=source.id, source_file=source.written_path,
            text=body, row=line, speaker=speaker, is_participant=participant, offset=start))
    if not any(r.is_participant for r in responses):
        others = sorted(label for label in speaker_labels(text)
                        if label.casefold() not in interviewers)
        found = f"; other labels in the file: {', '.join(others)}" if others else ""
        raise InputError(f"{source.written_path}: every turn is by an interviewer "
                         f"({', '.join(source.interviewer)}){found}; check interviewer = [...], "
                         "or list the participants' labels with speakers = [...]")
    return responses, [], []


def speaker_labels(text: str) -> Counter[str]:
    """How many lines each speaker label opens (any "Label: words" line counts)."""
    return Counter(match["speaker"].strip() for _, _, line in lines(text)
                   if (match := SPEAKER_LINE.match(line)) and line[match.end():].strip())


def split_turns(text: str, interviewer: Collection[str] = ("Interviewer",),
                speakers: Collection[str] | None = None) -> Iterator[tuple[str, int, int, str]]:
    """(speaker, line number, offset of the body in `text`, body) for each speaker turn.

    A "Label: ..." line whose label opens turns starts a turn; any other line continues the
    turn above. With `speakers` (the participants' labels), only those and the interviewer
    labels open turns. Without, every label does except one heard only once, inside an
    interviewer's turn, in a file with other participant labels ("Follow-up: ...", "Note: ..."):
    that line stays in the interviewer's turn, so the interviewer's words are never taken for a
    participant's. The body is a verbatim slice of `text`, trailing whitespace removed.
    """
    interviewers = {label.casefold() for label in interviewer}
    heard: Counter[str] = Counter()
    for label, count in speaker_labels(text).items():
        heard[label.casefold()] += count
    participants = {label for label in heard if label not in interviewers}
    known = {label.casefold() for label in speakers} if speakers is not None else None

    def opens_turn(label: str, current: str | None) -> bool:
        if label in interviewers:
            return True
        if known is not None:
            return label in known
        inside_interviewer = current is not None and current.casefold() in interviewers
        return not (inside_interviewer and heard[label] == 1 and len(participants) > 1)

    current: list[Any] | None = None
    for number, position, line in lines(text):
        match = SPEAKER_LINE.match(line)
        if match and line[match.end():].strip() and opens_turn(
                match["speaker"].strip().casefold(), current[0] if current else None):
            if current:
                yield _finish_turn(current, text)
            current = [match["speaker"].strip(), number, position + match.end(), None]
        if current is not None:
            current[3] = position + len(line)
    if current:
        yield _finish_turn(current, text)


def _finish_turn(turn: list[Any], text: str) -> tuple[str, int, int, str]:
    speaker, line, start, end = turn
    body = text[start:end].rstrip()
    return speaker, line, start, body


def _paragraphs(source: Source, text: str) -> list[Response]:
    line_starts = [position for _, position, _ in lines(text)]
    responses = []
    for number, match in enumerate(PARAGRAPH.finditer(text), 1):
        body = match.group().rstrip()
        if body.startswith("#"):  # a Markdown heading is structure, not someone's words
            continue
        responses.append(Response(
            response_id=f"{source.id}:p{number:03d}", respondent=source.respondent,
            question=source.question, source=source.id, source_file=source.written_path,
            text=body, row=bisect_right(line_starts, match.start()), offset=match.start()))
    if not responses:
        raise InputError(f"{source.written_path}: no text found; is it the right file?")
    return responses


def _vtt_as_turns(text: str) -> str:
    """WebVTT cues as 'Speaker: text' lines (cue text without a voice tag continues a turn)."""
    turns = []
    for _, _, line in lines(text):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("WEBVTT") or VTT_TIMING.match(line) \
                or line.strip().isdigit():
            continue
        voice = VTT_VOICE.match(line.strip())
        turns.append(f"{voice['speaker'].strip()}: {voice['text']}" if voice else line)
    return "\n".join(turns)


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
