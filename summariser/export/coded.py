"""The coding of the drafted sections as rows: each coded segment, each answer no theme fits and
each non-answer, with the section, question and respondent it belongs to.

Everything is read from the drafts' sidecars (`drafts/<section>.json`: themes, evidence with
offsets, `uncoded`, `non_answers`) and the answers in the store; the source files are never read
again. A sidecar that no longer matches the stored answers (the corpus was ingested again since
the section was drafted) or whose codebook changed after it was coded is refused in one line,
since its rows would say something the coding no longer does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from summariser.draft.files import SectionFiles
from summariser.draft.records import EvidenceRef, SectionDraft, read_draft
from summariser.errors import DraftError
from summariser.project.manifest import Manifest, Section
from summariser.records import Response, Scope
from summariser.text.wording import count_text

__all__ = ["CodedData", "CodedSegment", "CodedTheme", "Uncoded", "read_coded"]

FITS_NO_THEME = "fits no theme"
NON_ANSWER = "non-answer"


@dataclass(frozen=True, slots=True)
class CodedTheme:
    section: str  # the section's number ("2.1"), or its id when it has none
    section_id: str
    section_title: str
    theme_id: str
    title: str
    summary: str
    counted: int  # respondents the theme counts
    count_text: str  # the count as the draft says it ("five of 16 Chief Officers (31%)")

    @property
    def label(self) -> str:
        return f"{self.section} {self.title}"


@dataclass(frozen=True, slots=True)
class CodedSegment:
    """A segment of an answer coded to a theme; offsets are into the answer's text."""

    theme: CodedTheme
    question: str
    respondent: str
    response_id: str
    counted: bool  # the respondent counts in the theme (interviews and documents never do)
    via: str  # "phrase", "meaning" or "model"
    similarity: float
    phrase: str  # the codebook phrase it uses, if coded by one
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Uncoded:
    """An answer of a drafted section that no theme counts: it fits none, or is no answer."""

    section: str
    section_title: str
    question: str
    respondent: str
    response_id: str
    kind: str  # FITS_NO_THEME or NON_ANSWER
    text: str


@dataclass(frozen=True)
class CodedData:
    themes: tuple[CodedTheme, ...]
    segments: tuple[CodedSegment, ...]
    uncoded: tuple[Uncoded, ...]
    responses: tuple[Response, ...]  # every answer and turn of the drafted sections, in order
    drafted: tuple[Section, ...]
    not_drafted: tuple[Section, ...]  # sections with no draft yet: not exported

    def respondents(self) -> list[str]:
        """Everyone whose words are in the drafted sections, in the store's order."""
        return list(dict.fromkeys(r.respondent for r in self.responses if r.is_participant))

    def matrix(self) -> dict[str, Counter[CodedTheme]]:
        """Respondent -> theme -> how many of their segments are coded to it."""
        counts: dict[str, Counter[CodedTheme]] = {r: Counter() for r in self.respondents()}
        for segment in self.segments:
            counts.setdefault(segment.respondent, Counter())[segment.theme] += 1
        return counts


def read_coded(manifest: Manifest, responses: Iterable[Response], directory: Path) -> CodedData:
    """The coding of every section drafted in `directory` (drafts/), against the stored answers."""
    by_id = {r.response_id: r for r in responses}
    themes: list[CodedTheme] = []
    segments: list[CodedSegment] = []
    uncoded: list[Uncoded] = []
    drafted: list[Section] = []
    missing: list[Section] = []
    for section in manifest.sections:
        files = SectionFiles(directory, section.id)
        if not files.sidecar.exists():
            missing.append(section)
            continue
        if files.state().codebook_changed:
            raise DraftError(f"{files.codebook}: changed after the section was coded, so its "
                             "coding is out of date; run 'summariser draft' to code it again, "
                             "then export")
        draft = read_draft(files.sidecar)
        drafted.append(section)
        for theme, rows in _theme_rows(section, draft, by_id, files.sidecar):
            themes.append(theme)
            segments += rows
        uncoded += _uncoded(section, draft, by_id, files.sidecar)
    scopes = [Scope(s.questions, s.sources) for s in drafted]
    in_scope = tuple(r for r in by_id.values()
                     if any(scope.holds(r.question, r.source) for scope in scopes))
    return CodedData(tuple(themes), tuple(segments), tuple(uncoded), in_scope, tuple(drafted),
                     tuple(missing))


def _theme_rows(section: Section, draft: SectionDraft, by_id: dict[str, Response], where: Path
                ) -> Iterable[tuple[CodedTheme, list[CodedSegment]]]:
    number = section.number or section.id
    for theme in draft.themes:
        counted = len(theme.respondents)
        coded = CodedTheme(number, section.id, draft.title, theme.id, theme.title, theme.summary,
                           counted, count_text(counted, draft.denominator, draft.respondent_noun))
        rows = [_segment(coded, e, counted, by_id, where)
                for evidence, counted in ((theme.evidence, True), (theme.supporting, False))
                for e in evidence]
        yield coded, rows


def _segment(theme: CodedTheme, evidence: EvidenceRef, counted: bool,
             by_id: dict[str, Response], where: Path) -> CodedSegment:
    response = _response(evidence.response_id, by_id, where)
    if response.text[evidence.start:evidence.end] != evidence.text:
        raise _stale(where, evidence.response_id)
    return CodedSegment(theme, response.question, evidence.respondent, evidence.response_id,
                        counted, evidence.via, evidence.similarity, evidence.phrase or "",
                        evidence.start, evidence.end, evidence.text)


def _uncoded(section: Section, draft: SectionDraft, by_id: dict[str, Response], where: Path
             ) -> list[Uncoded]:
    rows = []
    for kind, ids in ((FITS_NO_THEME, draft.uncoded), (NON_ANSWER, draft.non_answers)):
        for response_id in ids:
            response = _response(response_id, by_id, where)
            rows.append(Uncoded(section.number or section.id, draft.title, response.question,
                                response.respondent, response_id, kind, response.text))
    return rows


def _response(response_id: str, by_id: dict[str, Response], where: Path) -> Response:
    if response_id not in by_id:
        raise _stale(where, response_id)
    return by_id[response_id]


def _stale(where: Path, response_id: str) -> DraftError:
    return DraftError(f"{where}: its coding does not match the stored answers (response "
                      f"{response_id}); the sources were ingested again since it was drafted: "
                      "run 'summariser draft' to code them again, then export")

