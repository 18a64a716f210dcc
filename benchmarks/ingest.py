"""Benchmark ingest: embedder throughput, end-to-end ingest, unchanged re-ingest, CLI start-up.

    .venv/bin/python benchmarks/ingest.py [--quick] [--json] [--responses 10000]

Corpora: the example corpus (corpus/hscp-2017), the Polis statements (corpus/polis-bowling-green,
read in place) and, unless --quick, a generated wide survey of 10,000 answers built from their
real sentences (see _common.generate_corpus). Stores, manifests and the generated corpus live in
a temporary directory that is removed at the end: nothing is written into the repository.

Every measured ingest runs in its own subprocess, so its peak RSS is its own. "In-process" times
are taken inside that subprocess after the heavy libraries are imported (what a caller of
`summariser.ingest.ingest` sees); the CLI times include interpreter start-up and imports.
Run by hand, not in CI: the full run takes about 15 minutes on two cores (--quick: 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CLI,
    CORPORA,
    PYTHON,
    generate_corpus,
    load_average,
    median_of,
    print_table,
    run_measured,
    temp_project,
)

TARGET_RATIO = 1.15  # end-to-end ingest time / raw embedding time of the same passages
TARGET_REINGEST_S = 3.0  # unchanged re-ingest of the 10,000-answer corpus
TARGET_HELP_S = 0.5  # `summariser --help`, median of 5
REPEATS = 3  # re-ingest runs per corpus (the median is reported)


# --- the child processes: each prints one JSON line ----------------------------------------------

def _preimport() -> None:
    """Import what an ingest uses, so in-process timings leave out import time."""
    import chromadb  # noqa: F401
    import onnxruntime  # noqa: F401
    import pandas  # noqa: F401

    import summariser.index.ingest  # noqa: F401


def child_embed(project: Path) -> dict:
    """The embedder alone, on exactly the passages ingest would embed."""
    _preimport()
    from summariser.index.embedders import MiniLMEmbedder
    from summariser.index.split import split_all
    from summariser.project.manifest import load_manifest
    from summariser.project.sources import read_corpus

    texts = [p.text for p in split_all(read_corpus(load_manifest(project)).responses)]
    started = time.perf_counter()
    embedder = MiniLMEmbedder()
    load_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    embedder.embed(texts)
    return {"passages": len(texts), "load_s": load_s, "embed_s": time.perf_counter() - started,
            "embed_cpu_s": time.process_time() - cpu, **padding(texts, embedder.batch_size)}


def padding(texts: list[str], batch_size: int) -> dict:
    """Tokens the model runs (padding included) when the embedder sorts all texts by length at
    once, and when it gets them in the 256-passage slices Store.add_passages hands it (it then
    sorts only within a slice). Counted, not timed, so the machine's load does not blur it."""
    from tokenizers import Tokenizer

    from summariser.index.embedders import MINILM_MAX_TOKENS, TOKENIZER_FILE

    tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
    tokenizer.enable_truncation(MINILM_MAX_TOKENS)
    tokenizer.no_padding()  # the file's own padding setting would hide the lengths
    lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]

    def padded(first: int, last: int) -> int:  # as MiniLMEmbedder.embed batches texts[first:last]
        order = sorted(range(first, last), key=lambda i: len(texts[i]))
        return sum(len(chunk) * max(lengths[i] for i in chunk) for chunk in
                   (order[n:n + batch_size] for n in range(0, len(order), batch_size)))

    return {"tokens": sum(lengths), "padded_tokens_one_sort": padded(0, len(texts)),
            "padded_tokens_ingest_slices": sum(padded(n, min(n + 256, len(texts)))
                                               for n in range(0, len(texts), 256))}


def child_ingest(project: Path, store: Path) -> dict:
    """One call of ingest() into `store` (fresh or unchanged, as the caller arranged)."""
    _preimport()
    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(project)
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest(manifest, Store(store))
    return {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
            "responses": report.responses, "passages": report.passages, "added": report.added}


def child(args: list[str]) -> dict:
    mode, project, *rest = args
    return child_embed(Path(project)) if mode == "embed" else child_ingest(Path(project),
                                                                          Path(rest[0]))


def in_child(*args: str) -> tuple[float, int, dict]:
    wall, rss, out = run_measured([PYTHON, __file__, "--child", *args])
    return wall, rss, json.loads(out.strip().splitlines()[-1])


# --- the benchmark -----------------------------------------------------------------------------

def bench_corpus(project: Path, work: Path) -> dict:
    store = work / "store"
    _, embed_rss, raw = in_child("embed", str(project))
    _, ingest_rss, fresh = in_child("ingest", str(project), str(store))
    assert fresh["added"] == fresh["passages"] == raw["passages"], (fresh, raw)
    again = [in_child("ingest", str(project), str(store)) for _ in range(REPEATS)]
    assert all(r[2]["added"] == 0 for r in again), "a re-ingest embedded something"
    cli = [run_measured([CLI, "ingest", "-p", str(project), "--store", str(store)])
           for _ in range(REPEATS)]
    passages = raw["passages"]
    return {
        "responses": fresh["responses"], "passages": passages,
        "embedder_load_s": raw["load_s"],
        "raw_embed_s": raw["embed_s"], "raw_embed_per_s": passages / raw["embed_s"],
        "ingest_s": fresh["wall_s"], "ingest_per_s": passages / fresh["wall_s"],
        "ingest_over_raw": fresh["wall_s"] / raw["embed_s"],
        # CPU time (all threads) is less sensitive than wall time to other work on the machine.
        "raw_embed_cpu_s": raw["embed_cpu_s"], "ingest_cpu_s": fresh["cpu_s"],
        "ingest_over_raw_cpu": fresh["cpu_s"] / raw["embed_cpu_s"],
        "tokens": raw["tokens"], "padded_tokens_one_sort": raw["padded_tokens_one_sort"],
        "padded_tokens_ingest_slices": raw["padded_tokens_ingest_slices"],
        "reingest_inprocess_s": median_of([r[2]["wall_s"] for r in again]),
        "reingest_cli_s": median_of([c[0] for c in cli]),
        "peak_rss_mib": {"raw_embed": embed_rss, "ingest": ingest_rss,
                         "reingest_inprocess": max(r[1] for r in again),
                         "reingest_cli": max(c[1] for c in cli)},
    }


def bench_help() -> dict:
    runs = [run_measured([CLI, "--help"])[0] for _ in range(5)]
    return {"median_s": median_of(runs), "runs_s": runs}


def targets(results: dict, big: str | None) -> list[dict]:
    checks = [{"target": f"ingest/raw embedding {kind}<= {TARGET_RATIO} ({name})",
               "value": r[key], "met": r[key] <= TARGET_RATIO}
              for name, r in results["corpora"].items()
              for kind, key in (("", "ingest_over_raw"), ("(CPU) ", "ingest_over_raw_cpu"))]
    if big:
        for kind in ("inprocess", "cli"):
            value = results["corpora"][big][f"reingest_{kind}_s"]
            checks.append({"target": f"unchanged re-ingest ({kind}) < {TARGET_REINGEST_S} s "
                           f"({big})", "value": value, "met": value < TARGET_REINGEST_S})
    value = results["help"]["median_s"]
    checks.append({"target": f"summariser --help < {TARGET_HELP_S} s (median of 5)",
                   "value": value, "met": value < TARGET_HELP_S})
    return checks


def report(results: dict, out) -> None:
    corpora = results["corpora"]
    print(f"Machine: {results['machine']}; load average (1/5/15 min) before "
          f"{results['load_before']}, after {results['load_after']}", file=out)
    print_table("Throughput (passages/s; wall and CPU times in seconds)",
                ["corpus", "responses", "passages", "raw embed s", "raw p/s", "ingest s",
                 "ingest p/s", "ingest/raw", "raw CPU s", "ingest CPU s", "ingest/raw CPU"],
                [[n, r["responses"], r["passages"], r["raw_embed_s"], r["raw_embed_per_s"],
                  r["ingest_s"], r["ingest_per_s"], r["ingest_over_raw"], r["raw_embed_cpu_s"],
                  r["ingest_cpu_s"], r["ingest_over_raw_cpu"]] for n, r in corpora.items()],
                file=out)
    print_table("Tokens the model runs, padding included (counted, not timed)",
                ["corpus", "tokens", "one length sort", "in ingest's 256-slices", "slices/one"],
                [[n, r["tokens"], r["padded_tokens_one_sort"], r["padded_tokens_ingest_slices"],
                  r["padded_tokens_ingest_slices"] / r["padded_tokens_one_sort"]]
                 for n, r in corpora.items()], file=out)
    print_table("Unchanged re-ingest (median of 3, seconds) and peak RSS per run (MiB)",
                ["corpus", "re-ingest in-process", "re-ingest CLI", "RSS raw embed",
                 "RSS ingest", "RSS re-ingest", "RSS CLI re-ingest"],
                [[n, r["reingest_inprocess_s"], r["reingest_cli_s"],
                  *r["peak_rss_mib"].values()] for n, r in corpora.items()], file=out)
    print(f"\nsummariser --help: median {results['help']['median_s']:.3f} s "
          f"(runs: {', '.join(f'{t:.3f}' for t in results['help']['runs_s'])})", file=out)
    print_table("Targets", ["target", "value", "met"],
                [[t["target"], t["value"], "yes" if t["met"] else "NO"]
                 for t in results["targets"]], file=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Skip the generated corpus.")
    parser.add_argument("--json", action="store_true", help="JSON on stdout, tables on stderr.")
    parser.add_argument("--responses", type=int, default=10_000,
                        help="Answers in the generated corpus.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    out = sys.stderr if args.json else sys.stdout
    results: dict = {"machine": f"{platform.processor() or platform.machine()}, "
                     f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
                     "load_before": load_average(), "corpora": {}}
    big = None if args.quick else f"generated-{args.responses}"
    with tempfile.TemporaryDirectory(prefix="summariser-bench-") as tmp:
        work = Path(tmp)
        projects = {name: temp_project(path, work / name / "project")
                    for name, path in CORPORA.items()}
        if big:
            projects[big] = generate_corpus(work / big / "project", args.responses)
        for name, project in projects.items():
            print(f"... {name}", file=sys.stderr, flush=True)
            results["corpora"][name] = bench_corpus(project, work / name)
        results["help"] = bench_help()
    results["load_after"] = load_average()
    results["targets"] = targets(results, big)
    report(results, out)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
