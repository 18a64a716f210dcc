"""Where one `ask` (top 10) spends its time, phase by phase, in one process: the figures
behind docs/scale.md's "Single-machine speed".

    .venv/bin/python benchmarks/ask_phases.py PROJECT     # an ingested project

CPU time (time.process_time) is given beside wall time: other work on a shared machine blurs
it far less. Run by hand, never from the tests.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

QUESTION = "waiting times for appointments"


def main() -> None:
    project = Path(sys.argv[1])
    marks: list[tuple[str, float, float]] = []
    last = [time.process_time(), time.perf_counter()]

    def mark(what: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        marks.append((what, cpu - last[0], wall - last[1]))
        last[:] = [cpu, wall]

    import summariser.cli
    import summariser.jobs.ask  # noqa: F401  (the CLI's own imports)
    mark("the CLI's and the ask job's imports")
    import chromadb  # noqa: F401
    mark("import chromadb")
    from summariser.index.embedders import make_embedder

    embedder = make_embedder("minilm")
    embedder.embed(["warm up"])
    mark("loading MiniLM (an onnxruntime session)")
    from summariser.jobs.common import ProjectOptions, open_project

    manifest, store = open_project(ProjectOptions(project=project))
    store.collection(embedder.name)
    mark("opening the store (Chroma client, collections)")
    from summariser.retrieve.search import search

    for label in ("the search: embed the query, nearest 10 per collection, respondents",
                  "the same search again, the indexes loaded"):
        search(store, embedder, QUESTION, limit=10, noun=manifest.respondent_noun)
        mark(label)
    for what, cpu, wall in marks:
        print(f"{what:70s} cpu {cpu:5.2f} s  wall {wall:5.2f} s")
    print("load average", "/".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
