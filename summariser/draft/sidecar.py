"""The draft sidecar's file format (`drafts/<section>.json`), as versioned pydantic models.

`SectionDraftFile` is what the file holds; docs/section-draft.schema.json is its JSON schema,
generated from it (`python -m summariser.draft.sidecar`). `summariser.draft.records` converts it
to and from the `SectionDraft` the rest of the code uses. A file names its `format` and its
`schema_version`:

  4  this layout: `files.evidence` is required (below)
  3  the same, without the digest (or an earlier form of it, not checked): upgraded as it
     is read
  2  the same fields, without `schema_version`, as format "summariser.section-draft/2":
     upgraded as it is read
  1  format "summariser.section-draft/1", without coded evidence: refused, to be drafted again

A file of a newer version than this summariser knows is refused in one line (`NewerVersion`).
A count is the people with coded evidence, so the file records the sha256 of what its counts
rest on as drafting wrote it (`files.evidence`, `evidence_digest`: the section, its denominator,
and each theme's and held theme's id, title, people and evidence): a change by hand after
drafting is refused as the file is read (`EvidenceEdited`), by `eval`, `report`, `review` and
`export` alike, as is a version 4 file without the digest; hand coding belongs in the section's
codebook. It guards against a hurried edit, not a forger: the digest is not a signature.
A later change to the layout is a new version and one more entry in `_UPGRADES`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summariser.errors import DraftError, EvidenceEdited, NewerVersion

__all__ = ["FORMAT", "SCHEMA_VERSION", "SectionDraftFile", "evidence_digest", "read_sidecar",
           "schema_json"]

FORMAT: Final = "summariser.section-draft"
SCHEMA_VERSION: Final = 4
_EARLIER_FORMATS = {"summariser.section-draft/2": 2}  # before the version was its own field
_WITHOUT_EVIDENCE = "summariser.section-draft/1"


class _Record(BaseModel):
    """A record of the draft: every field known (an unknown one is an error, as it always was)."""

    model_config = ConfigDict(extra="forbid")


class SidecarQuote(_Record):
    """A published excerpt and where it stands in the corpus (offsets into the response's
    original text)."""

    text: str
    response_id: str
    respondent: str
    question: str
    source_file: str
    start: int
    end: int
    status: str = Field(description="The verifier's status when the draft was made.")


class SidecarEvidence(_Record):
    """A segment of a respondent's own words coded to a theme (offsets into the response)."""

    respondent: str
    response_id: str
    start: int
    end: int
    text: str
    via: str = Field(description='How it was coded: "phrase", "meaning", "stated" (its answer '
                                 'opens by taking the theme\'s side: "Yes", "No"), "model" or '
                                 '"analyst" (listed in the codebook\'s include_answers).')
    similarity: float = Field(description="To the theme's meaning.")
    phrase: str | None = Field(default=None, description="The codebook phrase it uses.")


class SidecarFailure(_Record):
    """A quote that did not verify and so was not published."""

    theme: str
    quote: str
    response_id: str | None
    reason: str


class SidecarReviewItem(_Record):
    """Something a reviewer must look at before the section is published."""

    kind: str = Field(description='"instruction" (a passage that reads as one to a model) or '
                                  '"consensus" (a theme that counts nearly everyone).')
    theme: str
    response_id: str
    respondent: str
    text: str
    reason: str


class SidecarTheme(BaseModel):
    title: str
    summary: str
    respondents: list[str] = Field(description="The counted: each has coded evidence.")
    quotes: list[SidecarQuote]
    id: str = Field(default="", description="The codebook theme it codes.")
    evidence: list[SidecarEvidence] = Field(
        default=[], description="Every counted respondent's coded segments.")
    supporting: list[SidecarEvidence] = Field(
        default=[], description="Coded interview and document segments (not counted).")
    count: int | None = Field(
        default=None, description="How many respondents: for readers of the file, never read.")
    count_text: str | None = Field(
        default=None, description='The count in words ("four of 16 Chief Officers (25%)"), for '
                                  "readers of the file, never read.")


class SidecarFiles(BaseModel):
    """The sha256 of each file as the tool wrote it (summariser.draft.files), so a later run
    tells the analyst's edits from its own output."""

    markdown: str | None = None
    codebook: str | None = None
    coded_with: str | None = Field(
        default=None, description="The codebook the section was coded with.")
    evidence: str | None = Field(
        default=None, description="The themes' people and coded evidence as drafting wrote "
                                  "them (`evidence_digest`).")


class SectionDraftFile(BaseModel):
    """A drafted section: its themes, every counted respondent's coded evidence and every quote
    with offsets into the corpus. A theme's count is the number of respondents with evidence."""

    format: Literal["summariser.section-draft"] = FORMAT
    schema_version: int = Field(default=SCHEMA_VERSION, description="This layout's version.")
    section_id: str
    number: str
    title: str
    lead: str
    themes: list[SidecarTheme]
    denominator: int = Field(description="Respondents who answered the section's questions.")
    respondent_noun: tuple[str, str]
    questions: list[str]
    backend: str
    model: str = ""
    run_id: str = ""
    failures: list[SidecarFailure] = []
    notes: list[str] = []
    uncoded: list[str] = Field(
        default=[], description="Response ids of answers coded to no theme.")
    codebook: str = Field(
        default="", description='Where the themes came from: "proposed", "frame" (the manifest) '
                                'or "analyst".')
    heard: list[SidecarQuote] = Field(
        default=[], description="Interviews and documents quoted for the whole section.")
    answers: list[SidecarQuote] = Field(
        default=[], description="Every answer in full, for a section that prints them.")
    fallback: str = Field(default="", description="Why a model's proposal was not used.")
    review: list[SidecarReviewItem] = []
    non_answers: list[str] = Field(
        default=[], description='Response ids of non-answers ("Don\'t know", "Nothing really").')
    held: list[SidecarTheme] = Field(
        default=[], description="Themes marked for review (counting nearly everyone) that the "
                                "codebook does not mark accepted: coded, not published.")
    concentration: dict[str, float] = Field(
        default={}, description="Share of the quotes by each respondent, for readers of the "
                                "file, never read.")
    files: SidecarFiles | None = None


def _from_version_2(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "format": FORMAT}  # the fields are version 3's; only the version moved


def _from_version_3(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data)  # the same fields; written before the digest was, it may lack one


# version -> what makes a file of that version one of the next
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    2: _from_version_2, 3: _from_version_3}


def read_sidecar(data: Mapping[str, Any], where: str) -> SectionDraftFile:
    """The sidecar in `data` as this version's, an earlier version's upgraded; refused in one
    line when it is not a sidecar, has a bad field, or is of a newer version."""
    kind = data.get("format")
    if kind == _WITHOUT_EVIDENCE:
        raise DraftError(f"{where}: drafted by an earlier version, without coded evidence; "
                         "run 'summariser draft --restart' to draft it again")
    if kind in _EARLIER_FORMATS:
        version: object = _EARLIER_FORMATS[kind]
    elif kind == FORMAT:
        version = data.get("schema_version")
    else:
        raise DraftError(f"{where}: not a summariser section draft (format {FORMAT})")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DraftError(f"{where}: draft JSON is missing or has a bad field (schema_version); "
                         "re-run 'summariser draft'")
    if version > SCHEMA_VERSION:
        raise NewerVersion(where, "section draft", version, SCHEMA_VERSION)
    upgraded = dict(data)
    written = version
    while version < SCHEMA_VERSION:
        upgraded = _UPGRADES[version](upgraded)
        version += 1
    upgraded["schema_version"] = SCHEMA_VERSION
    try:
        file = SectionDraftFile.model_validate(upgraded)
    except ValidationError as exc:
        raise DraftError(f"{where}: draft JSON is missing or has a bad field ({_first(exc)}); "
                         "re-run 'summariser draft'") from None
    recorded = file.files.evidence if file.files is not None else None
    if written >= 4 and (recorded is None or recorded != evidence_digest(upgraded)):
        raise EvidenceEdited(f"{where}: its themes, their people or coded evidence, or its "
                             "denominator were changed after drafting; counts rest only on "
                             "coding: add the answers to the theme's include_answers in the "
                             "section's codebook (or rename it there) and run 'summariser "
                             "draft'")
    return file


_THEME_KEYS = ("id", "title", "respondents", "evidence", "supporting")


def evidence_digest(data: Mapping[str, Any]) -> str:
    """The sha256 of what a sidecar's counts rest on, as the file holds it: its section and
    denominator, and each theme's and held theme's id, title, people and coded evidence."""
    def themes(key: str) -> list[dict[str, Any]]:
        return [{k: theme.get(k) for k in _THEME_KEYS} for theme in data.get(key) or ()]

    kept = {"section_id": data.get("section_id"), "denominator": data.get("denominator"),
            "themes": themes("themes"), "held": themes("held")}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def _first(error: ValidationError) -> str:
    """The first problem, in one line: where it is and what is wrong."""
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else problem["msg"]


def schema_json() -> str:
    """The JSON schema of the sidecar, as committed in docs/section-draft.schema.json."""
    return json.dumps(SectionDraftFile.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_json(), end="")
