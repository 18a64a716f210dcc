"""The `export` job: the drafted sections' coding as coded.csv, coded.xlsx and a REFI-QDA
project (`summariser.export`), from the drafts' sidecars and the stored answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.jobs.common import ProjectOptions, open_project

if TYPE_CHECKING:
    from summariser.project.manifest import Section

FORMATS = ("csv", "xlsx", "qdpx")


@dataclass(frozen=True, kw_only=True)
class ExportOptions(ProjectOptions):
    formats: tuple[str, ...] = FORMATS
    output: Path | None = None  # default: out/ in the project


@dataclass(frozen=True)
class ExportResult:
    paths: tuple[Path, ...]  # the files written, in the order of FORMATS
    sections: int  # drafted sections exported
    themes: int
    segments: int  # coded segments (a row each)
    respondents: int  # people with at least one coded segment
    fits_no_theme: int  # answers coded to no theme
    non_answers: int
    not_drafted: tuple[Section, ...]  # sections with no draft yet: left out


def export(options: ExportOptions) -> ExportResult:
    from summariser.errors import DraftError, SummariserError
    from summariser.export.coded import NON_ANSWER, read_coded
    from summariser.export.qdpx import qdpx_bytes, qdpx_name
    from summariser.export.tables import coded_csv, coded_xlsx
    from summariser.outputs import staged

    unknown = sorted(set(options.formats) - set(FORMATS))
    if unknown or not options.formats:
        raise SummariserError(f"cannot export as {', '.join(unknown) or 'nothing'}; choose from "
                         f"{', '.join(FORMATS)}")
    manifest, store = open_project(options)
    store.require()
    drafts = manifest.inside("drafts")
    data = read_coded(manifest, store.responses(), drafts)
    if not data.drafted:
        raise DraftError(f"{drafts}: no drafted section to export; run 'summariser draft -p "
                         f"{manifest.root}' first")
    out = options.output or manifest.inside("out")
    written = {"csv": (out / "coded.csv", coded_csv),
               "xlsx": (out / "coded.xlsx", coded_xlsx),
               "qdpx": (out / qdpx_name(manifest.title), lambda d: qdpx_bytes(manifest, d))}
    paths = []
    with staged() as files:  # every file or none
        for name in FORMATS:
            if name in options.formats:
                path, make = written[name]
                paths.append(files.write(path, make(data)))
    non_answers = sum(u.kind == NON_ANSWER for u in data.uncoded)
    return ExportResult(tuple(paths), len(data.drafted), len(data.themes), len(data.segments),
                        len({s.respondent for s in data.segments}),
                        len(data.uncoded) - non_answers, non_answers, data.not_drafted)
