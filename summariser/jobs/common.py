"""Where a job finds its project and store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the manifest's typed models take a fifth of a second to build: not for --help
    from summariser.index.store import Store
    from summariser.project.manifest import Manifest


@dataclass(frozen=True, kw_only=True)
class ProjectOptions:
    """The project folder (holding summariser.toml) and, when not the manifest's, its store."""

    project: Path = Path(".")
    store: Path | None = None  # default: from the manifest, else PROJECT/.summariser
    chroma_url: str | None = None  # a Chroma server (http://host:port) instead of the files


def open_project(options: ProjectOptions) -> tuple[Manifest, Store]:
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(options.project)
    return manifest, Store(options.store or manifest.store_path, options.chroma_url)
