"""The `ingest` job: read the project's sources into its store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.index.embedders import DEFAULT_EMBEDDER
from summariser.jobs.common import ProjectOptions, open_project
from summariser.progress import NoProgress, Progress

if TYPE_CHECKING:
    from summariser.index.ingest import IngestReport
    from summariser.project.manifest import Manifest


@dataclass(frozen=True, kw_only=True)
class IngestOptions(ProjectOptions):
    embedder: str = DEFAULT_EMBEDDER  # a name summariser.index.embedders.make_embedder knows
    encoding: str | None = None  # of CSV and text sources that name none; default: detected
    rebuild: bool = False  # empty the store first: the way back from a damaged one
    engine: str = "local"  # where the embedding runs: summariser.engines.ENGINES
    cluster: str | None = None  # a Dask scheduler's address; default: a cluster of this machine


@dataclass(frozen=True)
class IngestResult:
    manifest: Manifest
    report: IngestReport
    store: Path  # the store's folder


def ingest(options: IngestOptions, progress: Progress = NoProgress()) -> IngestResult:
    from summariser.engines import open_engine
    from summariser.index.ingest import ingest as ingest_sources

    manifest, store = open_project(options)
    with open_engine(options.engine, options.cluster) as engine:
        report = ingest_sources(manifest, store, options.embedder, options.encoding, progress,
                                rebuild=options.rebuild, engine=engine)
    return IngestResult(manifest, report, store.path)
