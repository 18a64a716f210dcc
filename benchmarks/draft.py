"""Benchmark drafting per backend: time per section, replies parsed, themes, quotes, answers left
unassigned, and tokens per 1,000 statements.

    .venv/bin/python benchmarks/draft.py [--json] [--backend extractive --backend local ...]
                                         [--corpus polis ...] [--section gone-well ...]
                                         [--out results.json]

Backends: `extractive` (offline), `local` (the default local model, Qwen2.5-Coder-1.5B-Instruct,
in-process through llama-cpp-python), `local-server` (the same model file behind
llama-cpp-python's own OpenAI-compatible server on 127.0.0.1, drafted through the `openai`
backend with `--llm-task name`), and `openai` (when OPENAI_API_KEY is set: a remote model,
which drafts each section in one call). Default: extractive, local and local-server.

Each corpus (the example corpus and the 607 Polis statements) is copied to a temporary project
(its manifest, with absolute source paths) and ingested into a temporary store first; only
drafting is timed. Every run starts with an empty run log, so nothing is served from a cache.
Tokens and reply statuses are read from the temporary project's run log. Per-1,000 figures
divide by the participants' responses.

`--section` limits a corpus to the named sections (ids it does not have are ignored; a corpus
with none of them keeps all): the local model takes about a minute a theme on a busy machine.
`--out` writes the figures gathered so far after every run, so a long run can be stopped.

Columns: `calls` (model calls, re-asks included), `parsed` (replies that fitted their schema),
`themes`, quotes `proposed` (coded segments tried as quotes), `verified` (published), `dropped`
(failed verification), `uncoded` (answers coded to no theme, listed in the draft), `unplaced`
(answers a model drafting the section placed nowhere, even when asked again).

Anchor: Jigsaw's sensemaking tools published about 340k input and 107k output tokens for about
1,000 statements; the target is at most a fifth of that per 1,000 statements.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPORA, load_average, print_table, temp_project

TARGET_INPUT_PER_1000 = 340_000 / 5
TARGET_OUTPUT_PER_1000 = 107_000 / 5
BACKENDS = ("extractive", "local", "local-server", "openai")


def prepare(name: str, work: Path):
    """A temporary copy of the project, ingested: (manifest, store, participant responses)."""
    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(temp_project(CORPORA[name], work / name))
    store = Store(manifest.store_path)
    ingest(manifest, store)
    return manifest, store, sum(r.is_participant for r in store.responses())


def draft_all(manifest, store, options, label: str, only: list[str]) -> dict:
    """Draft every section; time each one as the generator yields it.

    The first section's time includes the run's set-up (embedder load, verifier index build, and
    for the local backend the model load, which happens at its first call)."""
    from summariser.draft.pipeline import draft_sections

    (manifest.root / "runs.sqlite").unlink(missing_ok=True)
    sections, run_id = [], ""
    started = last = time.perf_counter()
    sections_wanted = [s for s in manifest.sections if s.id in only] or list(manifest.sections)
    for result in draft_sections(manifest, store, sections_wanted, "minilm", options=options,
                                 restart=True):
        draft = result.draft
        now = time.perf_counter()
        unplaced = sum(int(m[1]) for n in draft.notes
                       if (m := re.match(r"(\d+) answer\(s\) not placed by the model", n)))
        published = sum(len(t.quotes) for t in draft.themes)
        sections.append({"section": draft.section_id, "seconds": now - last,
                         "themes": len(draft.themes), "titles": [t.title for t in draft.themes],
                         "quotes_proposed": published + len(draft.failures),
                         "quotes_verified": published, "quotes_dropped": len(draft.failures),
                         "uncoded": len(draft.uncoded), "unplaced": unplaced,
                         "fallback": bool(draft.fallback), "review": len(draft.review)})
        last, run_id = now, draft.run_id
    result = {"backend": label, "run_id": run_id, "total_s": time.perf_counter() - started,
              "sections": sections}
    if options.backend != "extractive":
        with sqlite3.connect(manifest.root / "runs.sqlite") as db:
            rows = db.execute("SELECT section, status, COALESCE(input_tokens, 0), "
                              "COALESCE(output_tokens, 0) FROM calls WHERE run_id = ? AND "
                              "cached = 0", (run_id,)).fetchall()
        for row in sections:
            mine = [r for r in rows if r[0] == row["section"]]
            row |= {"calls": len(mine), "parsed": sum(r[1] == "ok" for r in mine),
                    "input_tokens": sum(r[2] for r in mine),
                    "output_tokens": sum(r[3] for r in mine)}
        result |= {"calls": len(rows), "parsed": sum(r[1] == "ok" for r in rows),
                   "input_tokens": sum(r[2] for r in rows),
                   "output_tokens": sum(r[3] for r in rows)}
    return result


def run_backend(label: str, manifest, store, only: list[str]) -> dict:
    from summariser.draft.backends import LLMOptions
    from summariser.draft.llama import gguf_path

    if label == "extractive":
        return draft_all(manifest, store, LLMOptions("extractive"), label, only)
    if label == "local":
        return draft_all(manifest, store, LLMOptions("local", use_cache=False), label, only)
    if label == "openai":
        return draft_all(manifest, store, LLMOptions("openai", use_cache=False), label, only)
    from summariser.testing import LlamaCppServer

    os.environ.setdefault("OPENAI_API_KEY", "sk-local-benchmark")
    with LlamaCppServer(gguf_path(None)) as server:
        return draft_all(manifest, store, LLMOptions(
            "openai", model="qwen2.5-coder-1.5b", base_url=server.base_url, task="name",
            use_cache=False, timeout=900, retries=0), label, only)


def per_1000(value: float, responses: int) -> float:
    return value * 1000 / responses if responses else 0.0


def report(results: dict, out) -> None:
    print(f"Load average (1/5/15 min) before {results['load_before']}, after "
          f"{results['load_after']}", file=out)
    summary = []
    for name, corpus in results["corpora"].items():
        n = corpus["responses"]
        for label, run in corpus["runs"].items():
            llm = label != "extractive"
            print_table(f"{label}: {name} ({n} participant responses)",
                        ["section", "seconds", "calls", "parsed", "in tok", "out tok", "themes",
                         "proposed", "verified", "dropped", "uncoded", "unplaced"],
                        [[s["section"], s["seconds"], s.get("calls", "-"),
                          s.get("parsed", "-"), s.get("input_tokens", "-"),
                          s.get("output_tokens", "-"), s["themes"], s["quotes_proposed"],
                          s["quotes_verified"], s["quotes_dropped"], s["uncoded"],
                          s["unplaced"]] for s in run["sections"]], file=out)
            sections = run["sections"]
            summary.append([name, label, run["total_s"] / max(len(sections), 1),
                            f"{run['parsed']}/{run['calls']}" if llm else "-",
                            sum(s["themes"] for s in sections),
                            sum(s["quotes_proposed"] for s in sections),
                            sum(s["quotes_verified"] for s in sections),
                            sum(s["quotes_dropped"] for s in sections),
                            sum(s["uncoded"] for s in sections),
                            sum(s["unplaced"] for s in sections),
                            round(per_1000(run["input_tokens"], n)) if llm else "-",
                            round(per_1000(run["output_tokens"], n)) if llm else "-"])
    print_table("Summary (tokens per 1,000 participant responses; target <= "
                f"{TARGET_INPUT_PER_1000:,.0f} in, {TARGET_OUTPUT_PER_1000:,.0f} out)",
                ["corpus", "backend", "s/section", "parsed", "themes", "proposed", "verified",
                 "dropped", "uncoded", "unplaced", "in/1000", "out/1000"], summary, file=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="JSON on stdout, tables on stderr.")
    parser.add_argument("--backend", action="append", choices=BACKENDS,
                        help="Only this backend (repeatable) [default: extractive, local, "
                        "local-server].")
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA),
                        help="Only this corpus (repeatable) [default: all].")
    parser.add_argument("--section", action="append", default=[],
                        help="Only this section id (repeatable; see the module docstring).")
    parser.add_argument("--out", type=Path, help="Write the figures so far after every run.")
    args = parser.parse_args()
    out = sys.stderr if args.json else sys.stdout
    labels = args.backend or ["extractive", "local", "local-server"]
    results: dict = {"load_before": load_average(), "corpora": {}}
    from summariser.draft.models import block_model_requests

    block_model_requests(False)
    with tempfile.TemporaryDirectory(prefix="summariser-bench-") as tmp:
        for name in args.corpus or list(CORPORA):
            print(f"... ingesting {name}", file=sys.stderr, flush=True)
            manifest, store, responses = prepare(name, Path(tmp))
            corpus = results["corpora"][name] = {"responses": responses, "runs": {}}
            for label in labels:
                print(f"... {label} drafting {name}", file=sys.stderr, flush=True)
                corpus["runs"][label] = run_backend(label, manifest, store, args.section)
                if args.out:
                    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    results["load_after"] = load_average()
    report(results, out)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
