"""Transcripts read as speaker turns: from text ("Interviewer: ..." lines, WebVTT, Word) and from
tables of segments (one row per segment, with the interviewee and, usually, the speaker).

One set of rules decides who is speaking (`TurnRules`): a turn by a label in `interviewer`
(compared without regard to case) is the interviewer's, kept for context and never quoted; with
`speakers` (the participants' labels) only those and the interviewer labels open turns; without,
every label does except one heard only once, among other participant labels, inside an
interviewer's turn ("Follow-up: ...", "Note: ..."), which stays part of that turn, or before
anyone has spoken (a header's "Date: ..."). Lines before the first turn are reported, not stored.
Only a participant's label opens a quotable turn. Any other label that would continue a
participant's turn ("Interviewer (JS): ..." where the manifest names only "Interviewer", or a
label `speakers` does not list) starts a turn of its own that is not stored, and is reported
(`Skipped`): its words were once quoted as the participant's. Without `speakers`, a label that
is an interviewer label and more ("Interviewer (JS)", "Interviewer 2") is such a label.
In a table the speaker column gives each segment's label, consecutive segments by one speaker
form one turn (joined by line breaks), and segments are put in order by the order column, else
by their start times, else as the file has them.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from summariser.errors import InputError
from summariser.project.manifest import Source
from summariser.project.problems import Problems
from summariser.project.tables import Row, TableRows, misread
from summariser.project.textfile import lines
from summariser.records import Response, Skipped
from summariser.text.visible import blank
from summariser.text.wording import join_words

__all__ = ["SPEAKER_LINE", "TurnRules", "speaker_labels", "split_turns", "table_transcripts",
           "transcript_records"]

# "Interviewer: ...", "**Chief Officer:** ...", "[00:01:02] Dr Smith: ..."
SPEAKER_LINE = re.compile(
    r"^(?P<prefix>\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\]?\s+)?(?:\*\*)?)"
    r"(?P<speaker>[A-Z][\w.'’ ()\[\]-]{0,40}?)(?:\*\*)?:(?:\*\*)?[ \t]?"
)
# 01:02:03, 1:02:03.5, 02:03 or a number of seconds
TIMESTAMP = re.compile(r"^(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?(?P<s>\d+(?:[.,]\d+)?)$")


class TurnRules:
    """Which labels open a turn (see the module docstring). `heard` counts, per label
    (casefolded), the lines or segments it opens."""

    def __init__(self, heard: Counter[str], interviewer: Collection[str],
                 speakers: Collection[str] | None, voices: Collection[str] = ()):
        self.interviewers = {label.casefold() for label in interviewer}
        self.heard = heard
        self.voices = {label.casefold() for label in voices}  # a WebVTT's <v Name>: speakers
        self.participants = {label for label in heard if label not in self.interviewers}
        self.known = {label.casefold() for label in speakers} if speakers is not None else None

    def is_interviewer(self, label: str) -> bool:
        return label.casefold() in self.interviewers

    def unlisted(self, label: str) -> bool:
        """A label that is neither an interviewer's nor a participant's: with `speakers`, one
        it does not list; without, one that is an interviewer label and more ("Interviewer
        (JS)"), which the manifest names as neither."""
        label = label.casefold()
        if label in self.interviewers:
            return False
        if self.known is not None:
            return label not in self.known
        return any(label.startswith(i) for i in self.interviewers)

    def starts_unquoted_turn(self, label: str, current: str | None) -> bool:
        """An unlisted label that would otherwise be read as a participant's words: it opens a
        turn, never quoted. Inside an interviewer's turn it stays there ("Follow-up: ...")."""
        return self.unlisted(label) and (current is None or not self.is_interviewer(current))

    def opens_turn(self, label: str, current: str | None) -> bool:
        label = label.casefold()
        if label in self.interviewers:
            return True
        if self.known is not None:
            return label in self.known
        if label in self.voices:
            return True
        inside_interviewer = current is not None and current.casefold() in self.interviewers
        # Heard once, among other participant labels, inside an interviewer's turn ("Note:")
        # or before anyone has spoken (a header's "Date: 14 November"): not a speaker.
        return not ((inside_interviewer or current is None) and self.heard[label] == 1
                    and len(self.participants) > 1)


def speaker_labels(text: str) -> Counter[str]:
    """How many lines each speaker label opens (any "Label: words" line counts)."""
    return Counter(match["speaker"].strip() for _, _, line in lines(text)
                   if (match := SPEAKER_LINE.match(line)) and line[match.end():].strip())


def turn_rules(text: str, interviewer: Collection[str], speakers: Collection[str] | None,
               voices: Collection[str] = ()) -> TurnRules:
    """The rules for a text transcript, from the labels heard in it."""
    heard: Counter[str] = Counter()
    for label, count in speaker_labels(text).items():
        heard[label.casefold()] += count
    return TurnRules(heard, interviewer, speakers, voices)


def split_turns(text: str, interviewer: Collection[str] = ("Interviewer",),
                speakers: Collection[str] | None = None, voices: Collection[str] = ()
                ) -> Iterator[tuple[str, int, int, str]]:
    """(speaker, line number, offset of the body in `text`, body) for each speaker turn.

    A "Label: ..." line whose label opens turns (`TurnRules`), or starts an unquoted one, starts
    a turn; any other line continues the turn above. The body is a verbatim slice of `text`,
    trailing whitespace removed.
    """
    rules = turn_rules(text, interviewer, speakers, voices)
    current: list[Any] | None = None
    for number, position, line in lines(text):
        match = SPEAKER_LINE.match(line)
        label = match["speaker"].strip() if match else ""
        now = current[0] if current else None
        bare = _bare_label(line, interviewer)
        if bare:  # "Interviewer What happens then?": the interviewer's, never a participant's
            if current:
                yield _finish_turn(current, text)
            indent = len(line) - len(line.lstrip())
            current = [bare, number, position + indent + len(bare) + 1, None]
        elif match and line[match.end():].strip() and (
                rules.opens_turn(label, now) or rules.starts_unquoted_turn(label, now)):
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


def transcript_records(source: Source, text: str, notes: list[str] | None = None
                       ) -> tuple[list[Response], list[Skipped]]:
    """A text transcript's turns, one response each, and the turns of unlisted labels, which
    are not stored (`TurnRules.unlisted`). What a reader should check is added to `notes`: an
    interviewer's label written without its colon (read as the interviewer's turn), and
    several participant labels, all counted as the one interviewee's words."""
    voices: frozenset[str] = frozenset()
    if source.path.suffix.lower() == ".vtt":
        text, voices = _vtt_as_turns(text, source.written_path)
    turns = list(split_turns(text, source.interviewer, source.speakers, voices))
    if not turns:
        raise InputError(f"{source.written_path}: no speaker turns found (lines like "
                         "'Interviewer: ...'); label each turn with its speaker ('Name: ' at "
                         "the start of the line), then run this again")
    rules = turn_rules(text, source.interviewer, source.speakers, voices)
    responses, skipped = [], []
    if any(line.strip() for number, _, line in lines(text) if number < turns[0][1]):
        skipped.append(Skipped(source.id, 1, HEADER_REASON))
    for number, (speaker, line, start, body) in enumerate(turns, 1):
        if rules.unlisted(speaker):
            skipped.append(Skipped(source.id, line, unlisted_reason(speaker)))
        else:
            responses.append(_turn(source, source.respondent or "", f"{source.id}:t{number:03d}",
                                   speaker, body, line, start))
    _require_participant(source, responses, speaker_labels(text), source.written_path)
    if notes is not None:
        notes += _unlabelled_questions(source, text) + _several_participants(source, responses)
    return responses, skipped


def _unlabelled_questions(source: Source, text: str) -> list[str]:
    """Lines opening with an interviewer's label and no colon ("Interviewer What happens
    then?"): read as the interviewer's turn (`split_turns`), never as the participant's."""
    found = [(number, label) for number, _, line in lines(text)
             if (label := _bare_label(line, source.interviewer))]
    if not found:
        return []
    where = ", ".join(str(n) for n, _ in found[:5]) + (" ..." if len(found) > 5 else "")
    return [f"{source.written_path} line{'s' if len(found) > 1 else ''} {where}: a question "
            "opening with an interviewer's label and no colon, read as the interviewer's words "
            f"(not quoted); write the colon ('{found[0][1]}: ...') to be sure"]


def _several_participants(source: Source, responses: list[Response]) -> list[str]:
    """More than one participant label, with no `speakers` to say which is the interviewee:
    all their words are counted as the one interviewee's ("Sam", and "Maria" who joined)."""
    labels = sorted({r.speaker for r in responses if r.is_participant and r.speaker})
    if source.speakers is not None or len(labels) < 2:
        return []
    named = join_words([f"'{label}'" for label in labels])
    return [f"{source.written_path}: turns by {named} are all counted as {source.respondent}'s "
            "words; if they are not all the interviewee's, list the interviewee's label in "
            "speakers = [...] (the others' turns are then left out and listed)"]


def _bare_label(line: str, interviewer: Collection[str]) -> str | None:
    """The interviewer label a line opens with when no colon follows it and the rest is a
    question ("Interviewer What happens then?"), else None. A label of a letter or two ("I")
    opens too many sentences to be read so, and so does a line that asks nothing ("Sarah Brown
    from the council was brilliant.", where the interviewer is "Sarah")."""
    if SPEAKER_LINE.match(line) or not line.rstrip().endswith("?"):
        return None
    for label in interviewer:
        head = line.lstrip()[:len(label) + 2]
        if len(label) > 2 and head[:len(label)].casefold() == label.casefold() \
                and head[len(label):][:1] == " " and head[len(label) + 1:][:1].isupper():
            return label
    return None


HEADER_REASON = ("the lines before the first speaker turn (a title, or details such as a date): "
                 "not quoted; if someone says them, open them with 'Label: ' as a turn")


def unlisted_reason(label: str) -> str:
    return (f"turn by '{label}', neither a participant (speakers) nor an interviewer "
            "(interviewer): not quoted; name it in one of them in summariser.toml")


def _turn(source: Source, person: str, response_id: str, speaker: str, body: str, line: int,
          offset: int) -> Response:
    participant = speaker.casefold() not in {label.casefold() for label in source.interviewer}
    return Response(
        response_id=response_id, respondent=person if participant else f"{person}-interviewer",
        question=source.question or "", source=source.id, source_file=source.written_path,
        text=body, row=line, speaker=speaker, is_participant=participant, offset=offset)


def _require_participant(source: Source, responses: list[Response], labels: Collection[str],
                         where: str) -> None:
    if any(r.is_participant for r in responses):
        return
    interviewers = {label.casefold() for label in source.interviewer}
    others = sorted(label for label in labels if label.casefold() not in interviewers)
    found = f"; other labels: {', '.join(others)}" if others else ""
    raise InputError(f"{where}: every turn is by an interviewer "
                     f"({', '.join(source.interviewer)}){found}; check interviewer = [...], "
                     "or list the participants' labels with speakers = [...]")


def _vtt_as_turns(text: str, where: str) -> tuple[str, frozenset[str]]:
    """WebVTT cues (read by webvtt-py) as 'Speaker: text' lines, one line a turn, and the
    voices (`<v Name>`) heard. A speaker's consecutive cues are joined by a space: captioning
    cuts sentences across cues ("I'm driving right across to" / "Eastfield for the next one"),
    and a quote should read whole. A cue with no voice and no label of its own continues the
    turn above. Cue identifiers, timings, notes and styling are never words of anyone's."""
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_buffer(io.StringIO(text.lstrip("\ufeff")))
    except MalformedFileError as error:
        raise InputError(f"{where}: not a WebVTT file a reader can follow ({error}); export it "
                         "again, or save it as a .txt transcript") from None
    turns: list[str] = []
    voices: set[str] = set()
    last = None  # the speaker of the line being written
    for caption in captions.captions:
        for line in caption.lines:  # a cue may hold two speakers, a line each
            tagged = _VOICE_TAG.match(line)
            said = " ".join(html.unescape(_TAG.sub("", line)).split())
            if not said:
                continue
            voice = " ".join(tagged["voice"].split()) if tagged else ""
            labelled = SPEAKER_LINE.match(said) if not voice else None
            if labelled:
                voice, said = labelled["speaker"].strip(), said[labelled.end():].strip()
            elif voice:
                voices.add(voice)
            if turns and (voice == last or not voice):
                turns[-1] += f" {said}"
                continue
            turns.append(f"{voice}: {said}" if voice else said)
            last = voice
    return "\n".join(turns), frozenset(voices)


_VOICE_TAG = re.compile(r"^\s*<v(?:\.[^\s>]*)?\s+(?P<voice>[^>]+)>")
_TAG = re.compile(r"</?[^>\s][^>]*>")  # <v Sam>, </v>, <i>, <c.yellow>, <00:01:02.000>


# --- transcript tables -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Segment:
    line: int  # where its row starts in the file
    position: int  # its place among the file's rows
    speaker: str | None
    text: str
    order: tuple[float, ...]


def seconds(text: str) -> float | None:
    """A timestamp (01:02:03, 02:03.5) or a number of seconds, in seconds."""
    match = TIMESTAMP.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match["h"] or 0), int(match["m"] or 0)
    return hours * 3600 + minutes * 60 + float(match["s"].replace(",", "."))


def table_transcripts(source: Source, table: TableRows, problems: Problems
                      ) -> tuple[list[Response], list[Skipped]]:
    """The turns of every interview in a transcript table, one response per turn."""
    wanted = [c for c in (source.respondent_column, source.text_column, source.speaker_column,
                          source.order_column, source.start_column, *source.keep) if c]
    missing = [c for c in dict.fromkeys(wanted) if c not in table.columns]
    respondent = source.respondent_column
    hint = misread(table, respondent) if respondent and respondent in missing else None
    for column in missing if not hint else ():
        problems.add(source.written_path, f"no column '{column}'; columns in the file: "
                     f"{', '.join(table.columns[:12])}; fix the column name in summariser.toml")
    if hint:
        problems.add(source.written_path, hint)
    if missing:
        return [], []
    interviews, skipped, found = _segments(source, table)
    for line, message in sorted(found + list(table.problems)):
        problems.add(table.at(line), message)
    responses: list[Response] = []
    for person, segments in interviews.items():
        segments.sort(key=lambda s: s.order)
        labels = {s.speaker for s in segments if s.speaker} or set(
            speaker_labels("\n".join(s.text for s in segments)))
        rules = TurnRules(Counter(label.casefold() for label in labels), source.interviewer,
                          source.speakers)
        if source.speaker_column:
            turns = _turns_by_speaker(source, segments)
        else:
            turns = _turns_from_text(source, segments)
        dropped = [s for s in segments if not any(s.line in t[2] for t in turns)]
        skipped += [Skipped(source.id, s.position, "before the first speaker turn")
                    for s in dropped]
        position = {s.line: s.position for s in segments}
        skipped += [Skipped(source.id, position[lines_[0]], unlisted_reason(speaker))
                    for speaker, _, lines_ in turns if rules.unlisted(speaker)]
        made = [_turn(source, person, f"{source.id}:{person}:t{n:03d}", speaker, body,
                      lines_[0], 0) for n, (speaker, body, lines_) in enumerate(turns, 1)
                if not rules.unlisted(speaker)]
        try:
            _require_participant(source, made, labels, f"{source.written_path} ({person})")
        except InputError as exc:
            problems.add_error(exc)
        responses += made
    return responses, skipped


def _segments(source: Source, table: TableRows
              ) -> tuple[dict[str, list[_Segment]], list[Skipped], list[tuple[int, str]]]:
    interviews: dict[str, list[_Segment]] = defaultdict(list)
    skipped: list[Skipped] = []
    found: list[tuple[int, str]] = []
    orders: dict[tuple[str, float], int] = {}
    for position, row in enumerate(table.rows, 1):
        cells = row.cells
        if any((cells[c] or "").strip() not in {str(v) for v in allowed}
               for c, allowed in source.keep.items()):
            skipped.append(Skipped(source.id, position, "filtered out (keep)"))
            continue
        person = (cells[source.respondent_column or ""] or "").strip()
        if not person:
            found.append((row.line, f"no interviewee id in '{source.respondent_column}'; fill "
                                    "it in or remove the row"))
            continue
        order = _order(source, row, found)
        if order is None:
            continue
        if source.order_column:
            if (person, order[0]) in orders:
                found.append((row.line, f"order {cells[source.order_column]} is also on "
                                        f"{table.unit} {orders[person, order[0]]} of interview "
                                        f"'{person}'; each segment needs its own place"))
                continue
            orders[person, order[0]] = row.line
        text = cells[source.text_column or ""]
        if text is None or blank(text):
            skipped.append(Skipped(source.id, position, "empty"))
            continue
        speaker = (cells[source.speaker_column] or "").strip() if source.speaker_column else None
        if source.speaker_column and not speaker:
            found.append((row.line, f"no speaker in '{source.speaker_column}'"))
            continue
        interviews[person].append(_Segment(row.line, position, speaker, text.rstrip(), order))
    return interviews, skipped, found


def _order(source: Source, row: Row, found: list[tuple[int, str]]) -> tuple[float, ...] | None:
    """The segment's sort key: its order, else its start time, then its place in the file."""
    key: list[float] = []
    for column, what in ((source.order_column, "a number"),
                         (source.start_column, "a time such as 00:01:02 or a number of seconds")):
        if not column:
            continue
        value = (row.cells[column] or "").strip()
        number = seconds(value) if column == source.start_column else _float(value)
        if number is None:
            found.append((row.line, f"'{value}' in '{column}' is not {what}"))
            return None
        key.append(number)
    return (*key, float(row.line))


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _turns_by_speaker(source: Source, segments: list[_Segment]
                      ) -> list[tuple[str, str, list[int]]]:
    """(speaker, body, lines) per turn: a segment whose speaker opens a turn starts one; any
    other segment continues the turn above, under its own label when that differs (as the
    line "Note: ..." stays in a text transcript's turn)."""
    heard = Counter(s.speaker.casefold() for s in segments if s.speaker)
    rules = TurnRules(heard, source.interviewer, source.speakers)
    turns: list[tuple[str, list[str], list[int]]] = []
    for segment in segments:
        speaker = segment.speaker or ""
        current = turns[-1][0] if turns else None
        same = current is not None and current.casefold() == speaker.casefold()
        if not same and (rules.opens_turn(speaker, current)
                         or rules.starts_unquoted_turn(speaker, current)):
            turns.append((speaker, [segment.text], [segment.line]))
        elif turns:
            turns[-1][1].append(segment.text if same else f"{speaker}: {segment.text}")
            turns[-1][2].append(segment.line)
    return [(speaker, "\n".join(texts), found) for speaker, texts, found in turns]


def _turns_from_text(source: Source, segments: list[_Segment]
                     ) -> list[tuple[str, str, list[int]]]:
    """Segments without a speaker column, read as the lines of a text transcript."""
    text = "\n".join(s.text for s in segments)
    line_of: list[int] = []  # the file line of each line of `text`
    for segment in segments:
        line_of += [segment.line] * max(1, sum(1 for _ in lines(segment.text)))
    turns = []
    for speaker, line, _, body in split_turns(text, source.interviewer, source.speakers):
        last = line + sum(1 for _ in lines(body)) - 1
        turns.append((speaker, body, sorted(set(line_of[line - 1:last]))))
    return turns
