"""Passages as Chroma keeps them: the part of the corpus each belongs to (one collection a
part), their metadata, and every read and write in pages of at most `PAGE` passages.

Chroma turns a request into SQL with one variable per id it touches, and SQLite refuses more than
32,766 ("too many SQL variables"), so a section of 40,000 passages fetched in one `get` failed.
Nothing here imports chromadb: a collection is passed in (`summariser.index.vectors`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.index.split import intact
from summariser.records import Passage, content_hash

if TYPE_CHECKING:
    import numpy as np

PREFIX = "passages-"
PAGE = 5000  # passages per Chroma request: far below SQLite's 32,766 variables

Part = tuple[str, str]  # (source, question): the passages one collection holds
Parts = dict[str, dict[str, Any]]  # collection name -> {"source", "question", "passages"}

def part_of(passage: Passage) -> Part:
    return passage.source, passage.question


def part_name(part: Part) -> str:
    """The collection of a part: Chroma names allow few characters, question ids any."""
    return PREFIX + content_hash(*part, length=24)


def part_counts(passages: Iterable[Passage]) -> Parts:
    """Each part's collection by name, with what it holds: kept with the corpus, so a reader
    finds the parts in its scope and checks those, and no others."""
    return {part_name(part): {"source": part[0], "question": part[1], "passages": len(members)}
            for part, members in by_part(passages).items()}


def batches(passages: Sequence[Passage], size: int) -> Iterator[tuple[Part, list[Passage]]]:
    """Each part's passages in batches of `size`; similar lengths in one batch keep the
    embedder's padding small (Chroma does not care)."""
    for part, members in sorted(by_part(passages).items()):
        members.sort(key=lambda p: len(p.text))
        for first in range(0, len(members), size):
            yield part, members[first:first + size]


def by_part(passages: Iterable[Passage]) -> dict[Part, list[Passage]]:
    parts: dict[Part, list[Passage]] = {}
    for passage in passages:
        parts.setdefault(part_of(passage), []).append(passage)
    return parts


def all_ids(collection: Any) -> Iterator[str]:
    offset = 0
    while True:
        batch = collection.get(include=[], limit=PAGE, offset=offset)["ids"]
        yield from batch
        if len(batch) < PAGE:
            return
        offset += PAGE


def pages(collection: Any, where: dict[str, Any]) -> Iterator[tuple[list[Passage], np.ndarray]]:
    offset = 0
    while True:
        passages, vectors = page(collection, where, offset)
        if passages:
            yield passages, vectors
        if len(passages) < PAGE:
            return
        offset += PAGE


def page(collection: Any, where: dict[str, Any] | None, offset: int
          ) -> tuple[list[Passage], np.ndarray]:
    import numpy as np

    reply = collection.get(where=where, limit=PAGE, offset=offset,
                           include=["documents", "metadatas", "embeddings"])
    passages = [passage_from_chroma(i, d, m) for i, d, m in
                zip(reply["ids"], reply["documents"], reply["metadatas"])]  # KeyError: damaged
    vectors = np.asarray(reply["embeddings"], dtype=np.float32)
    return passages, (vectors if passages else np.zeros((0, 1), dtype=np.float32))


def readable(passage_id: str, text: Any, metadata: Any) -> bool:
    """Whether a stored passage reads as a passage and is what was stored under its id."""
    try:
        return intact(passage_from_chroma(passage_id, text, metadata))
    except (KeyError, TypeError, ValueError):
        return False


def require_intact(passages: Sequence[Passage], folder: Path) -> None:
    """Refuse passages whose text or attribution changed in the vector store since they were
    stored: `ask` shows a passage as verbatim, so it must be the one stored under its id."""
    changed = sum(not intact(p) for p in passages)
    if changed:
        raise StoreError(f"{changed} passage(s) in the vector store {folder} differ from what "
                         "was stored under their ids (changed on disk since), so none is shown; "
                         "run 'summariser ingest' to repair them")


def write_batch(collection: Any, batch: Sequence[Passage], vectors: Any) -> None:
    collection.upsert(ids=[p.passage_id for p in batch], embeddings=vectors,
                      documents=[p.text for p in batch],
                      metadatas=[passage_metadata(p) for p in batch])


def passage_metadata(passage: Passage) -> dict[str, Any]:
    """Chroma metadata for a passage (Chroma takes no None values)."""
    data = asdict(passage)
    del data["passage_id"], data["text"]
    data["speaker"] = data["speaker"] or ""
    return data


def passage_from_chroma(passage_id: str, text: str, metadata: dict[str, Any]) -> Passage:
    # Chroma gives each passage its own copy of every string, though a section holds a few
    # questions, sources and files: shared (sys.intern), a section of 41,251 passages took
    # 14.9 MB in Python objects, not 24.7.
    shared = sys.intern
    return Passage(passage_id=passage_id, text=text, response_id=shared(metadata["response_id"]),
                   respondent=shared(metadata["respondent"]),
                   question=shared(metadata["question"]), source=shared(metadata["source"]),
                   source_file=shared(metadata["source_file"]),
                   start=int(metadata["start"]), end=int(metadata["end"]),
                   speaker=shared(metadata["speaker"]) or None,
                   is_participant=bool(metadata["is_participant"]))
