"""One exception hierarchy. Every message says what went wrong and what to do next.

The CLI turns any `SummariserError` into a one-line message and exit code 1
(set SUMMARISER_DEBUG=1 to see the traceback).
"""

from __future__ import annotations


class SummariserError(Exception):
    """Base class: the message is shown to the user as it is."""


class ManifestError(SummariserError):
    """The project manifest is missing, malformed or inconsistent."""


class InputError(SummariserError):
    """A source file cannot be read as the manifest describes it."""


class StoreError(SummariserError):
    """The store is missing, locked, or was built with another embedder."""


class ModelError(SummariserError):
    """An embedding or chat model is unavailable or misconfigured."""


class DraftError(SummariserError):
    """A draft file cannot be read or does not match the corpus."""


class EvidenceEdited(DraftError):
    """A draft sidecar's coded evidence was changed after drafting wrote it."""


class EngineError(SummariserError):
    """The engine that runs batch work (a Dask cluster) cannot be reached or lost a task."""


class MissingDependency(SummariserError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str, purpose: str):
        super().__init__(
            f"{purpose} needs the '{package}' package: pip install \"summariser[{extra}]\""
        )


class NewerVersion(SummariserError):
    """A file was written by a newer summariser, in a layout this one does not know."""

    def __init__(self, where: str, what: str, version: int, known: int):
        super().__init__(
            f"{where}: written by a newer summariser ({what} schema version {version}; this "
            f"one reads up to {known}); upgrade summariser (pip install --upgrade summariser) "
            "to read it"
        )
