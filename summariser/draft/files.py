"""A section's files in `drafts/`, and whether the analyst has edited them.

Each section has three files: `<section>.md` (the draft to read and edit), `<section>.json` (the
sidecar: ids, offsets, coded evidence) and `<section>.codebook.toml` (its themes). The sidecar
records the sha256 of the Markdown and codebook it was written with, so a later `draft` can tell
an edited file from its own and never overwrite the analyst's work. `--restart` copies all three
into `drafts/.backup/<time>/` before starting the section again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from summariser.outputs import OutputError, staged, write_atomic

__all__ = ["OutputError", "SectionFiles", "sha256_of", "staged", "write_atomic"]


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") \
            from None


@dataclass(frozen=True, slots=True)
class SectionFiles:
    directory: Path
    section_id: str

    @property
    def markdown(self) -> Path:
        return self.directory / f"{self.section_id}.md"

    @property
    def sidecar(self) -> Path:
        return self.directory / f"{self.section_id}.json"

    @property
    def codebook(self) -> Path:
        return self.directory / f"{self.section_id}.codebook.toml"

    def recorded(self) -> dict[str, str]:
        """The hashes the sidecar recorded when the tool last wrote these files."""
        try:
            data = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get("files") if isinstance(data, dict) else None
        return {k: v for k, v in (files or {}).items() if isinstance(v, str)}

    def edited(self) -> tuple[bool, bool]:
        """(Markdown edited, codebook edited) since the tool wrote them. A file the tool never
        recorded counts as the analyst's: it was written or replaced by hand."""
        recorded = self.recorded()
        markdown = sha256_of(self.markdown)
        codebook = sha256_of(self.codebook)
        return (markdown is not None and markdown != recorded.get("markdown"),
                codebook is not None and codebook != recorded.get("codebook"))

    def backup(self) -> Path | None:
        """Copy the section's existing files into drafts/.backup/<time>/; None if none exist."""
        present = [p for p in (self.markdown, self.sidecar, self.codebook) if p.exists()]
        if not present:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.directory / ".backup" / stamp
        try:
            target.mkdir(parents=True, exist_ok=True)
            for path in present:
                shutil.copy2(path, target / path.name)
        except OSError as exc:
            raise OutputError(f"{target}: cannot keep a backup ({exc.strerror}); nothing was "
                              "redrafted") from None
        return target
