"""Benchmark scale: ingest, draft and ask on generated corpora of 10,000 to 200,000 answers.

    .venv/bin/python benchmarks/scale.py                          # 10k, 50k and 200k answers
    .venv/bin/python benchmarks/scale.py --sizes 10000 --json     # one size, JSON on stdout
    .venv/bin/python benchmarks/scale.py --work DIR --stages ingest   # keep DIR; one stage
    .venv/bin/python benchmarks/scale.py --work DIR                   # the rest, reusing DIR
    .venv/bin/python benchmarks/scale.py --sizes 10000 --engine dask  # also on a local cluster
    .venv/bin/python benchmarks/scale.py --startup                    # start-up profiles only

Each size is a wide survey of three free-text questions (see _common.generate_corpus), so each
section holds a third of the answers: about 170,000 passages per section at 200,000 answers.
Every command runs as the CLI in its own subprocess, so its wall time includes start-up and
imports and its peak RSS (from os.wait4) is its own: `ingest` into a fresh store, `ingest` again
unchanged (the vector store checked against the corpus), `draft` of all three sections,
`ask --all` (every passage of the corpus compared with the question), and `ask` (top 10); each
`ask` is the median of five runs. `--stages ingest_store,reingest_store` ingest with the
embedder replaced by a stand-in that costs nothing (vectors from a hash of each text), into a
store of their own: what ingest costs besides embedding (reading, splitting, Chroma's writes,
the corpus database), the part that can grow faster than the answers, in minutes rather than
hours at 200,000 answers; then the real `ingest` again over that store, unchanged.

With `--engine dask` the corpus is also ingested and drafted on a Dask cluster of this
machine's cores (`--engine dask`, one single-threaded worker process per core, started and
stopped by the command) in a copy of the project: `ingest_cluster`, `draft_cluster`. Their
peak memory is the sum over the command's whole process tree (the workers too), sampled every
0.2 s, and the cluster's drafts are compared with the local ones, file by file (the run id
aside). On one machine a cluster cannot be faster: it measures the engine's overhead.

`--startup` profiles each command's start-up with `python -X importtime` (on the example
corpus, ingested first): the whole import time and the heaviest imports, the module that
pulled each in, against the command's wall time.

The 200,000-answer run takes hours on two shared cores, most of it embedding: with --work the
corpus, store and each stage's figures are kept in DIR (DIR/<size>/results.json), and a stage
already measured there is not run again, so an interrupted run can be resumed. Without --work
everything lives in a temporary directory removed at the end. Run by hand, never in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CLI,
    HSCP,
    PYTHON,
    generate_corpus,
    load_average,
    median_of,
    print_table,
    run_measured,
    temp_project,
)

SIZES = (10_000, 50_000, 200_000)
STAGES = ("ingest", "reingest", "draft", "ask_all", "ask")
CLUSTER_STAGES = ("ingest_cluster", "draft_cluster")
# Ingest with the embedder replaced by a stand-in that costs nothing (vectors from a hash of
# each text): what ingest costs besides embedding (reading, splitting, Chroma's writes, the
# corpus database), which is what can grow faster than the answers; and the real `ingest` again
# over that store, unchanged. Embedding costs the same per passage at any size.
STORE_STAGES = ("ingest_store", "reingest_store")
STORE_ONLY = ".summariser-store-only"
ASK_RUNS = 5
QUESTION = "waiting times for appointments"
TARGET_RSS_MIB = 2048


def folder_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def child_counts(project: Path) -> dict:
    """Passages per question in the store, read back from Chroma's collections."""
    from collections import Counter

    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(project)
    store = Store(manifest.store_path)
    parts = store.meta()["parts"]
    held = store.passage_ids(store.collection("all-MiniLM-L6-v2-int8"))
    counts = Counter(parts[name]["question"] for name in held.values())
    return {"passages": len(held), "per_question": dict(counts),
            "responses": store.corpus.count()}


def measure(command: list[str]) -> dict:
    wall, rss, out = run_measured(command)
    return {"wall_s": wall, "peak_rss_mib": rss, "stdout_tail": out.strip()[-400:]}


def run_stage(stage: str, project: Path) -> dict:
    if stage in ("ingest", "reingest"):
        result = measure([CLI, "ingest", "-p", str(project)])
        if stage == "ingest":
            result["store_mib"] = folder_mib(project / ".summariser")
            _, _, out = run_measured([PYTHON, __file__, "--child-counts", str(project)])
            result |= json.loads(out.strip().splitlines()[-1])
        return result
    if stage == "draft":
        result = measure([CLI, "draft", "-p", str(project)])
        drafts = [json.loads(p.read_text(encoding="utf-8"))
                  for p in sorted((project / "drafts").glob("*.json"))]
        result["themes"] = {d["section_id"]: len(d["themes"]) for d in drafts}
        result["denominators"] = {d["section_id"]: d["denominator"] for d in drafts}
        return result
    if stage == "ask_all":
        wall, rss, out = run_measured([CLI, "ask", QUESTION, "-p", str(project), "--all",
                                       "--json"])
        reply = json.loads(out)
        return {"wall_s": wall, "peak_rss_mib": rss, "hits": len(reply["hits"]),
                "summary": reply["summary"]}
    if stage == "ask":
        runs = [run_measured([CLI, "ask", QUESTION, "-p", str(project), "--json"])
                for _ in range(ASK_RUNS)]
        return {"wall_s": median_of([r[0] for r in runs]), "walls_s": [r[0] for r in runs],
                "peak_rss_mib": max(r[1] for r in runs),
                "hits": len(json.loads(runs[0][2])["hits"])}
    if stage in STORE_STAGES:
        return run_store_stage(stage, project)
    return run_cluster_stage(stage, project)


def run_store_stage(stage: str, project: Path) -> dict:
    if stage == "reingest_store":
        return measure([CLI, "ingest", "-p", str(project), "--store",
                        str(project / STORE_ONLY)])
    wall, rss, out = run_measured([PYTHON, __file__, "--child-store-ingest", str(project)])
    return {"wall_s": wall, "peak_rss_mib": rss} | json.loads(out.strip().splitlines()[-1])


class HashEmbedder:
    """Stand-in for the embedder: unit vectors drawn from a hash of each text (no model)."""

    dimension = 384

    def embed(self, texts):
        import hashlib

        import numpy as np

        rows = [np.random.default_rng(int.from_bytes(hashlib.sha1(t.encode()).digest()[:8]))
                .standard_normal(self.dimension) for t in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def child_store_ingest(project: Path) -> dict:
    """`ingest()` with the stand-in embedder into PROJECT/.summariser-store-only; the time
    outside embedding, after imports."""
    import time

    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(project)
    embedder = HashEmbedder()
    embedding = [0.0]
    real = embedder.embed

    def timed(texts):
        started = time.perf_counter()
        try:
            return real(texts)
        finally:
            embedding[0] += time.perf_counter() - started

    embedder.embed = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    report = ingest(manifest, Store(project / STORE_ONLY), embedder_factory=lambda _: embedder)
    total = time.perf_counter() - started
    return {"in_process_s": total, "stand_in_embedding_s": embedding[0],
            "besides_embedding_s": total - embedding[0], "passages": report.passages}


def run_cluster_stage(stage: str, project: Path) -> dict:
    """`ingest`/`draft` with --engine dask, in a copy of the project (its own store and
    drafts); the whole process tree's peak memory."""
    import shutil

    copy = project.with_name("project-cluster")
    if not copy.exists():
        copy.mkdir()
        shutil.copy(project / "summariser.toml", copy)
        shutil.copy(project / "responses.csv", copy)
    command = [CLI, stage.removesuffix("_cluster"), "-p", str(copy), "--engine", "dask"]
    wall, rss, _ = run_measured(command, tree=True)
    result = {"wall_s": wall, "peak_rss_mib": rss}
    if stage == "draft_cluster":
        result["same_as_local"] = same_drafts(project / "drafts", copy / "drafts")
    return result


def same_drafts(local: Path, cluster: Path) -> bool:
    def files(folder: Path) -> dict:
        out = {}
        for path in sorted(folder.glob("*.*")):
            data = path.read_text(encoding="utf-8")
            if path.suffix == ".json":
                data = json.loads(data)
                data.pop("run_id", None)
            out[path.name] = data
        return out

    return bool(files(local)) and files(local) == files(cluster)


# --- start-up: python -X importtime --------------------------------------------------------------

STARTUP_COMMANDS = {
    "--help": ["--help"],
    "ingest (unchanged)": ["ingest", "-p", "{p}"],
    "ask": ["ask", QUESTION, "-p", "{p}", "--json"],
    "ask --all": ["ask", QUESTION, "-p", "{p}", "--all", "--json"],
    "draft (one section)": ["draft", "-p", "{p}", "-s", "2.1", "--restart"],
    "stats": ["stats", "-p", "{p}"],
}
TOP_IMPORTS = 6


def import_costs(log: str) -> tuple[float, list[tuple[str, float, str]]]:
    """From `-X importtime`'s log: the whole import time (s), and each third-party package's
    cost (s, its cumulative time where another package imported it), heaviest first, with the
    summariser module that first pulled it in."""
    rows = []
    for line in log.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line.split("|")
        name = fields[2]
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((depth, int(fields[1]), name.strip()))
    total = sum(c for d, c, _ in rows if d == min((r[0] for r in rows), default=0)) / 1e6
    costs: dict[str, float] = {}
    importer: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for depth, cumulative, name in reversed(rows):  # a parent is logged after its children
        while stack and stack[-1][0] >= depth:
            stack.pop()
        top = name.split(".")[0]
        parent_top = stack[-1][1].split(".")[0] if stack else ""
        if top != parent_top and top != "summariser":
            costs[top] = costs.get(top, 0.0) + cumulative / 1e6
            ours = next((n for _, n in reversed(stack) if n.startswith("summariser")), "")
            importer.setdefault(top, ours)
        stack.append((depth, name))
    # A package counted inside another third-party one (scipy under sklearn) is left as part
    # of it: costs holds only those imported directly by summariser or the interpreter.
    heavy = sorted(costs.items(), key=lambda kv: -kv[1])[:TOP_IMPORTS]
    return total, [(name, cost, importer[name]) for name, cost in heavy]


def startup_profile(work: Path) -> dict:
    project = temp_project(HSCP, work / "hscp-2017")
    run_measured([CLI, "ingest", "-p", str(project)])
    run_measured([CLI, "draft", "-p", str(project)])
    results = {}
    for label, args in STARTUP_COMMANDS.items():
        command = [a.replace("{p}", str(project)) for a in args]
        walls = [run_measured([CLI, *command])[0] for _ in range(3)]
        log: list[str] = []
        run_measured([PYTHON, "-X", "importtime", "-m", "summariser", *command], stderr=log)
        total, heavy = import_costs(log[0])
        results[label] = {"wall_s": median_of(walls), "imports_s": total, "heaviest": heavy,
                          "load": load_average()}
    return results


def report_startup(results: dict, out) -> None:
    print_table("Start-up, example corpus: wall (median of 3) and import time (-X importtime, "
                "one run: importtime itself slows imports)",
                ["command", "wall s", "imports s", "heaviest imports (s, pulled in by)", "load"],
                [[label, r["wall_s"], r["imports_s"],
                  "; ".join(f"{n} {c:.2f} ({who.removeprefix('summariser.') or '-'})"
                            for n, c, who in r["heaviest"][:4]), r["load"]]
                 for label, r in results.items()], file=out)


def bench_size(size: int, work: Path, stages: list[str]) -> dict:
    folder = work / str(size)
    saved = folder / "results.json"
    results = json.loads(saved.read_text()) if saved.exists() else {"answers": size}
    project = folder / "project"
    if not (project / "summariser.toml").exists():
        generate_corpus(project, size)
    for stage in stages:
        if stage in results:
            print(f"... {size}: {stage} measured before, kept", file=sys.stderr, flush=True)
            continue
        print(f"... {size}: {stage} (load {load_average()})", file=sys.stderr, flush=True)
        results[stage] = run_stage(stage, project) | {"load_after": load_average()}
        saved.write_text(json.dumps(results, indent=2))
    return results


def report(results: dict, out) -> None:
    print(f"Machine: {results['machine']}; load average (1/5/15 min) before "
          f"{results['load_before']}, after {results['load_after']}", file=out)
    rows = []
    for size, r in results["sizes"].items():
        for stage in STAGES + CLUSTER_STAGES + STORE_STAGES:
            if stage in r:
                s = r[stage]
                rows.append([int(size), stage, s["wall_s"], s["peak_rss_mib"],
                             "yes" if s["peak_rss_mib"] < TARGET_RSS_MIB else "NO",
                             s.get("load_after", "-")])
    print_table(f"Wall time (s) and peak RSS (MiB) per command (cluster: the whole process "
                f"tree); target RSS < {TARGET_RSS_MIB}",
                ["answers", "command", "wall s", "peak RSS MiB", "RSS met", "load after"], rows,
                file=out)
    for size, r in results["sizes"].items():
        if "draft_cluster" in r:
            print(f"{size}: the cluster's drafts equal the local ones: "
                  f"{r['draft_cluster']['same_as_local']}", file=out)
    print_table("Corpus and store", ["answers", "responses", "passages",
                                     "largest section (passages)", "store MiB"],
                [[int(size), r["ingest"]["responses"], r["ingest"]["passages"],
                  max(r["ingest"]["per_question"].values()), r["ingest"]["store_mib"]]
                 for size, r in results["sizes"].items() if "ingest" in r], file=out)
    print_table("Drafts and answers", ["answers", "themes per section", "ask --all hits",
                                       "ask --all summary"],
                [[int(size), ", ".join(str(n) for n in r["draft"]["themes"].values())
                  if "draft" in r else "-", r["ask_all"]["hits"] if "ask_all" in r else "-",
                  r["ask_all"]["summary"] if "ask_all" in r else "-"]
                 for size, r in results["sizes"].items()], file=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: [int(n) for n in s.split(",")],
                        default=list(SIZES), help="Comma-separated answer counts.")
    parser.add_argument("--stages", type=lambda s: s.split(","), default=list(STAGES),
                        help=f"Comma-separated, in order: {','.join(STAGES)}.")
    parser.add_argument("--work", type=Path, help="Keep corpora, stores and figures here, and "
                        "reuse what an earlier run measured.")
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="dask: also ingest and draft on a local Dask cluster.")
    parser.add_argument("--startup", action="store_true",
                        help="Only profile each command's start-up on the example corpus.")
    parser.add_argument("--json", action="store_true", help="JSON on stdout, tables on stderr.")
    parser.add_argument("--child-counts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-store-ingest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_counts:
        print(json.dumps(child_counts(args.child_counts)))
        return
    if args.child_store_ingest:
        print(json.dumps(child_store_ingest(args.child_store_ingest)))
        return
    unknown = set(args.stages) - set(STAGES) - set(CLUSTER_STAGES) - set(STORE_STAGES)
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    out = sys.stderr if args.json else sys.stdout
    if args.startup:
        with tempfile.TemporaryDirectory(prefix="summariser-startup-") as tmp:
            startup = startup_profile(Path(tmp))
        report_startup(startup, out)
        if args.json:
            print(json.dumps(startup, indent=2))
        return
    if args.engine == "dask":
        args.stages += [s for s in CLUSTER_STAGES if s not in args.stages]
    results: dict = {"machine": f"{platform.processor() or platform.machine()}, "
                     f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
                     "load_before": load_average(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="summariser-scale-") as tmp:
        work = args.work or Path(tmp)
        for size in args.sizes:
            results["sizes"][str(size)] = bench_size(size, work, args.stages)
    results["load_after"] = load_average()
    report(results, out)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
