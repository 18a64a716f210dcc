"""What a report was built from: `report.json` beside `report.md` and `report.docx`.

A report's counts are claims about people ("raised by four of 16 Chief Officers"); the people
and their coded evidence are in the drafts' sidecars, which the report does not print (it names
nobody). The ledger names, for each section, the sidecar the report was built from and its hash,
so `summariser eval out/report.md` (or `.docx`) checks every count against the people and
evidence behind it, as it does for a draft, and says when a draft has changed since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

__all__ = ["LEDGER_FORMAT", "ledger_json", "ledger_path", "read_ledger"]

LEDGER_FORMAT = "summariser report ledger 1"


def ledger_path(report: Path) -> Path:
    return report.with_suffix(".json")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ledger_json(sidecars: Mapping[str, Path], root: Path) -> str:
    """The ledger for sections drafted in `sidecars` (section id -> sidecar path); paths are
    kept relative to the project folder `root` when inside it."""
    sections = {}
    for section_id, path in sidecars.items():
        shown = path.resolve()
        if shown.is_relative_to(root.resolve()):
            shown = shown.relative_to(root.resolve())
        sections[section_id] = {"sidecar": shown.as_posix(), "sha256": _digest(path)}
    return json.dumps({"format": LEDGER_FORMAT, "sections": sections}, indent=2) + "\n"


def read_ledger(report: Path, root: Path) -> tuple[dict[str, Path], list[str]] | None:
    """(section id -> sidecar path, notes) from the ledger beside `report`, or None when there is
    none (or the JSON beside it is something else). A sidecar that is gone is left out and a
    changed one is kept, each with a note."""
    path = ledger_path(report)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != LEDGER_FORMAT:
        return None
    found: dict[str, Path] = {}
    notes: list[str] = []
    for section_id, entry in (data.get("sections") or {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sidecar"), str):
            continue
        sidecar = root / entry["sidecar"]
        if not sidecar.is_file():
            notes.append(f"{path}: {sidecar} is gone, so the counts of section {section_id} "
                         "cannot be checked against its people")
            continue
        if _digest(sidecar) != entry.get("sha256"):
            notes.append(f"{path}: {sidecar} changed after this report was built; its counts "
                         "are checked against the draft as it is now (run 'summariser report' "
                         "to rebuild the report)")
        found[section_id] = sidecar
    return found, notes
