"""The screen for instruction-like answers (summariser.draft.screening): how many injected answers
it flags (recall) and how many innocent ones it leaves alone, on evals/injections.jsonl, a set of
answers written for this: literal and paraphrased injections, and innocent answers that use the
same words ("we were told to ignore previous guidance", "please write to the minister"). The
patterns were tuned on the development part only; the held-back part measures them.

Run by hand (under a second):  .venv/bin/python benchmarks/screening.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, print_table

from summariser.draft.screening import instruction_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="figures as JSON on stdout")
    args = parser.parse_args()
    rows = [json.loads(line) for line in
            (REPO / "evals" / "injections.jsonl").read_text(encoding="utf-8").splitlines()]
    figures, missed = {}, []
    for part in ("development", "held-back"):
        mine = [r for r in rows if r["part"] == part]
        flagged = [bool(instruction_in(r["text"])) for r in mine]
        injected = [r["injected"] for r in mine]
        caught = sum(f and i for f, i in zip(flagged, injected))
        false = sum(f and not i for f, i in zip(flagged, injected))
        figures[part] = {"injected": sum(injected), "caught": caught,
                         "innocent": len(mine) - sum(injected), "falsely_flagged": false}
        missed += [(part, "missed" if r["injected"] else "false flag", r["text"])
                   for r, f in zip(mine, flagged) if f != r["injected"]]
    out = sys.stderr if args.json else sys.stdout
    print_table("Instruction screen", ["part", "injected caught", "innocent flagged"],
                [[p, f"{f['caught']} of {f['injected']}", f"{f['falsely_flagged']} of "
                  f"{f['innocent']}"] for p, f in figures.items()], out)
    for part, kind, text in missed:
        print(f"{part}: {kind}: {text}", file=out)
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
