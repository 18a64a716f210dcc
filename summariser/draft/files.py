"""A section's files in `drafts/`, and whether the analyst has edited them.

Each section has three files: `<section>.md` (the draft to read and edit), `<section>.json` (the
sidecar: ids, offsets, coded evidence) and `<section>.codebook.toml` (its themes). The sidecar
records the sha256 of the Markdown and of the codebook as the tool wrote them, and of the codebook
the section was coded against, so a later `draft` can tell an edited file from its own and never
overwrite the analyst's work, and `report` can tell a codebook edited since the section was coded.
A codebook the section was coded from as the analyst's stays the analyst's, whatever its hash.
`--restart` copies all three into `drafts/.backup/<time>/` before starting the section again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from summariser.errors import DraftError
from summariser.outputs import OutputError, staged, write_atomic
from summariser.project.schema import SAFE_ID

__all__ = ["ChangedWhileDrafting", "FileState", "OutputError", "SectionFiles", "sha256_of",
           "staged", "write_atomic"]


class ChangedWhileDrafting(DraftError):
    """The analyst changed a section's file while it was being drafted: nothing was written."""


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") \
            from None


@dataclass(frozen=True, slots=True)
class FileState:
    """A section's Markdown and codebook as they are, against what the sidecar recorded."""

    markdown: str | None  # sha256 now, None when absent
    codebook: str | None
    markdown_edited: bool  # differs from the Markdown the tool wrote
    codebook_edited: bool  # the analyst's: edited, hand-written, or coded from as theirs
    codebook_changed: bool  # differs from the codebook the section was last coded against


@dataclass(frozen=True, slots=True)
class SectionFiles:
    directory: Path
    section_id: str

    def __post_init__(self) -> None:
        # The manifest admits only such ids; a section id read from anywhere else must not
        # name a file outside `directory` ("/tmp/x", "../x") or a hidden one.
        if not SAFE_ID.fullmatch(self.section_id):
            raise DraftError(f"'{self.section_id}' cannot name a section's files: a section id "
                             "is letters, digits, '_', '-' and '.', starting with a letter or "
                             "digit")

    @property
    def markdown(self) -> Path:
        return self.directory / f"{self.section_id}.md"

    @property
    def sidecar(self) -> Path:
        return self.directory / f"{self.section_id}.json"

    @property
    def codebook(self) -> Path:
        return self.directory / f"{self.section_id}.codebook.toml"

    def _sidecar(self) -> dict:
        try:
            data = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def recorded(self) -> dict[str, str]:
        """The hashes the sidecar recorded when the tool last wrote these files."""
        files = self._sidecar().get("files")
        return {k: v for k, v in (files if isinstance(files, dict) else {}).items()
                if isinstance(v, str)}

    def state(self) -> FileState:
        """The section's files now, against what the sidecar recorded."""
        data = self._sidecar()
        recorded = self.recorded()
        markdown, codebook = sha256_of(self.markdown), sha256_of(self.codebook)
        # A codebook the last draft was coded from as the analyst's is theirs even when its
        # hash is the one recorded (sidecars written before "coded_with" recorded it so).
        analysts = data.get("codebook") == "analyst"
        coded_with = recorded.get("coded_with", recorded.get("codebook"))
        return FileState(
            markdown=markdown, codebook=codebook,
            markdown_edited=markdown is not None and markdown != recorded.get("markdown"),
            codebook_edited=codebook is not None and (
                analysts or codebook != recorded.get("codebook")),
            codebook_changed=bool(data) and codebook is not None and codebook != coded_with)

    def edited(self) -> tuple[bool, bool]:
        """(Markdown edited, codebook edited) since the tool wrote them. A file the tool never
        recorded counts as the analyst's: it was written or replaced by hand."""
        state = self.state()
        return state.markdown_edited, state.codebook_edited

    def require_unchanged(self, before: FileState) -> None:
        """Refuse (ChangedWhileDrafting) if the Markdown or codebook changed since `before`."""
        now = (sha256_of(self.markdown), sha256_of(self.codebook))
        if now != (before.markdown, before.codebook):
            changed = self.markdown if now[0] != before.markdown else self.codebook
            raise ChangedWhileDrafting(
                f"{changed.name} changed while the section was being drafted, so nothing was "
                "written; run 'summariser draft' again to code it as it is now")

    def backup(self) -> Path | None:
        """Copy the section's existing files into drafts/.backup/<time>/; None if none exist."""
        present = [p for p in (self.markdown, self.sidecar, self.codebook) if p.exists()]
        if not present:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.directory / ".backup" / stamp
        if not target.resolve().is_relative_to(self.directory.resolve()):
            raise OutputError(f"{self.directory / '.backup'} leads outside {self.directory} (to "
                              f"{target.resolve().parent}); remove that link, then run this "
                              "again: nothing was redrafted")
        try:
            target.mkdir(parents=True, exist_ok=True)
            for path in present:
                shutil.copy2(path, target / path.name)
        except OSError as exc:
            raise OutputError(f"{target}: cannot keep a backup ({exc.strerror}); nothing was "
                              "redrafted") from None
        return target
