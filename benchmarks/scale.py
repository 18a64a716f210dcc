"""Benchmark scale: ingest, draft and ask on generated corpora of 10,000 to 200,000 answers.

    .venv/bin/python benchmarks/scale.py                          # 10k, 50k and 200k answers
    .venv/bin/python benchmarks/scale.py --sizes 10000 --json     # one size, JSON on stdout
    .venv/bin/python benchmarks/scale.py --work DIR --stages ingest   # keep DIR; one stage
    .venv/bin/python benchmarks/scale.py --work DIR                   # the rest, reusing DIR

Each size is a wide survey of three free-text questions (see _common.generate_corpus), so each
section holds a third of the answers: about 170,000 passages per section at 200,000 answers.
Every command runs as the CLI in its own subprocess, so its wall time includes start-up and
imports and its peak RSS (from os.wait4) is its own: `ingest` into a fresh store, `ingest` again
unchanged (the vector store checked against the corpus), `draft` of all three sections,
`ask --all` (every passage of the corpus compared with the question), and `ask` (top 10).

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

from _common import CLI, PYTHON, generate_corpus, load_average, print_table, run_measured

SIZES = (10_000, 50_000, 200_000)
STAGES = ("ingest", "reingest", "draft", "ask_all", "ask")
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
    wall, rss, out = run_measured([CLI, "ask", QUESTION, "-p", str(project), "--json"])
    return {"wall_s": wall, "peak_rss_mib": rss, "hits": len(json.loads(out)["hits"])}


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
        for stage in STAGES:
            if stage in r:
                s = r[stage]
                rows.append([int(size), stage, s["wall_s"], s["peak_rss_mib"],
                             "yes" if s["peak_rss_mib"] < TARGET_RSS_MIB else "NO"])
    print_table(f"Wall time (s) and peak RSS (MiB) per command; target RSS < {TARGET_RSS_MIB}",
                ["answers", "command", "wall s", "peak RSS MiB", "RSS met"], rows, file=out)
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
    parser.add_argument("--json", action="store_true", help="JSON on stdout, tables on stderr.")
    parser.add_argument("--child-counts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_counts:
        print(json.dumps(child_counts(args.child_counts)))
        return
    unknown = set(args.stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    out = sys.stderr if args.json else sys.stdout
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
