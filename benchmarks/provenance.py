"""Re-derive `MEANING_FLOOR` (summariser.draft.coding) on development data only.

Run by hand (about two minutes):  .venv/bin/python benchmarks/provenance.py [--json]

Each section's judged themes (evals/theme-truth.jsonl) become a codebook of titles and
descriptions with no phrases, coded by meaning alone as drafting codes, at each floor of a
grid. Precision (the share of counted and judged people judged to speak) and recall (the share
of people judged to speak who are counted), pooled over the themes of each part (`part` in
`benchmarks/themes.py`: development and held back, split once by a hash of each truth theme).
The floor with the best development F1 is the one chosen; the held-back part is only reported.
(`ASSIGNED_FLOOR` is re-derived the same way by benchmarks/floor.py, the relevance floor of
`ask` by benchmarks/ask.py.)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_average, print_table
from themes import PROJECTS, SectionData, measure, part, truth

from summariser.draft import coding
from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.index.embedders import MiniLMEmbedder

FLOORS = [round(0.15 + 0.025 * n, 3) for n in range(11)]  # 0.15 ... 0.40


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def sweep(embedder: MiniLMEmbedder) -> dict[str, dict[float, tuple[float, float]]]:
    by_section: dict[tuple[str, str], list] = defaultdict(list)
    for (corpus, section, theme), item in truth().items():
        by_section[(corpus, section)].append((theme, item))
    pooled = {p: {f: [0, 0, 0, 0] for f in FLOORS} for p in ("dev", "held")}
    current = coding.MEANING_FLOOR
    try:
        for (corpus, section), themes in sorted(by_section.items()):
            data = SectionData(PROJECTS[corpus], section, embedder)
            book = Codebook(section, tuple(CodebookTheme(id=f"n{i}", title=theme,
                                                         description=item["description"])
                                           for i, (theme, item) in enumerate(themes)))
            for floor in FLOORS:
                coding.MEANING_FLOOR = floor
                counted = data.coded(book)
                for i, (theme, item) in enumerate(themes):
                    judged, right, found = measure(counted[f"n{i}"], item["judged"],
                                                   item["speaks"])
                    row = pooled[part(corpus, section, theme)][floor]
                    row[0] += judged
                    row[1] += right
                    row[2] += found
                    row[3] += len(item["speaks"])
    finally:
        coding.MEANING_FLOOR = current
    return {p: {f: (r[1] / max(r[0], 1), r[2] / max(r[3], 1)) for f, r in rows.items()}
            for p, rows in pooled.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = sys.stderr if args.json else sys.stdout
    scores = sweep(MiniLMEmbedder())
    chosen = max(FLOORS, key=lambda f: _f1(*scores["dev"][f]))
    print(f"Load average {load_average()}; MEANING_FLOOR in the code {coding.MEANING_FLOOR}; "
          f"best development F1 at {chosen}", file=out)
    print_table("Coding by meaning alone, from titles and descriptions",
                ["floor", "dev P", "dev R", "dev F1", "held P", "held R", "held F1"],
                [[f, *scores["dev"][f], _f1(*scores["dev"][f]), *scores["held"][f],
                  _f1(*scores["held"][f])] for f in FLOORS], file=out)
    if args.json:
        print(json.dumps({"chosen": chosen, "dev": scores["dev"], "held": scores["held"]},
                         indent=2))


if __name__ == "__main__":
    main()
