"""Reproduce evals/seed-report-results.md: `summariser eval` on the seed report's sections 2.1-2.9.

Run from anywhere:

    .venv/bin/python evals/run_seed_eval.py

It runs exactly (from the repository root)

    summariser ingest -p corpus/hscp-2017      # incremental: quick when nothing changed
    summariser eval evals/seed-report-draft.md -p corpus/hscp-2017 \\
        --format md --output evals/seed-report-results.md

then prints how many quotes were located, by verifier status, and every quote that was not.
The exit code is eval's: 0 when nothing failed (warnings allowed), 1 otherwise.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = Path("corpus/hscp-2017")  # relative to REPO, so the report names files the same way
DRAFT = Path("evals/seed-report-draft.md")
RESULTS = Path("evals/seed-report-results.md")


def main(argv: list[str]) -> int:
    import summariser.cli.eval  # noqa: F401  (registers `eval` wherever the app does not yet)
    from summariser.cli import app
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    os.chdir(REPO)
    manifest = load_manifest(PROJECT)
    store = Store(manifest.store_path)
    code = app(["ingest", "-p", str(PROJECT)], prog_name="summariser", standalone_mode=False)
    if code:
        return int(code)
    code = app(["eval", str(DRAFT), "-p", str(PROJECT), "--format", "md", "--output",
                str(RESULTS)], prog_name="summariser", standalone_mode=False) or 0

    report = evaluate_paths([DRAFT], manifest, store)
    statuses = Counter(q.status for q in report.quotes)
    outcomes = Counter(str(q.outcome) for q in report.quotes)
    located = sum(q.verification.passed for q in report.quotes)
    print(f"\n{len(report.quotes)} quotes, {located} located: "
          + ", ".join(f"{n} {s}" for s, n in statuses.most_common())
          + "; outcomes: " + ", ".join(f"{n} {o}" for o, n in outcomes.most_common()))
    for quote in report.quotes:
        if not quote.verification.passed:
            print(f"  not located: {quote.where} “{quote.quote}”: {quote.verification.reason}")
    print(f"Report: {RESULTS}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
