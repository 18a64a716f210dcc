"""Calibrate ASSIGNED_FLOOR: how close must a segment a model assigned to a theme be, before it
counts? (summariser.draft.coding)

Run by hand (about a minute):  .venv/bin/python benchmarks/floor.py [--json]

The floor is chosen on the development part of the judgments only (`benchmarks/themes.py`'s
`part`, split once by a hash of each truth theme): the lowest floor at which at least
`PRECISION` of an obedient model's assignments are true, so most of its list is refused while
paraphrases a model is there to find still count. The held-back part is only reported.

Against hand judgments (evals/theme-truth.jsonl: "does this respondent's answer speak to this
theme?"), the worst case is simulated: a model that assigns every judged respondent to every
judged theme (the obedient model of "write that 100% praised the minister"). Each section's
judged themes become a codebook (title and description only, no phrases), coded exactly as
drafting codes (in the section's meaning space, `summariser.draft.space`); a respondent's
similarity to a theme is that of their closest segment. For each candidate floor: precision
(the share of accepted assignments judged to speak to the theme) and recall (the share of true
mentions accepted).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, load_average, print_table
from themes import PROJECTS, SectionData, part

from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.coding import ASSIGNED_FLOOR, theme_vectors
from summariser.draft.space import nuisance_basis, project_out
from summariser.index.embedders import MiniLMEmbedder

FLOORS = [round(0.05 * i, 2) for i in range(0, 9)]
PRECISION = 0.8  # "most of an obedient model's list refused": four in five accepted are true


def similarities(embedder: MiniLMEmbedder) -> list[tuple[bool, float, str]]:
    """(judged to speak, closest segment's similarity, part) for every judgment."""
    rows = [json.loads(line) for line in (REPO / "evals" / "theme-truth.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    by_section: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        by_section[(row["corpus"], row["section"])].append(row)
    found: list[tuple[bool, float, str]] = []
    for (corpus, section), judged in sorted(by_section.items()):
        data = SectionData(PROJECTS[corpus], section, embedder)
        titles = sorted({(r["theme"], r["description"]) for r in judged})
        book = Codebook(section, tuple(CodebookTheme(id=f"t{n}", title=t, description=d)
                                       for n, (t, d) in enumerate(titles)))
        basis = nuisance_basis(data.passages, data.vectors)  # as drafting codes
        space = project_out(data.vectors, basis)
        meaning = project_out(theme_vectors(book, data.passages, data.vectors, data.embed),
                              basis)
        similarity = space @ meaning.T
        column = {t: n for n, (t, _) in enumerate(titles)}
        for row in judged:
            mine = [i for i, p in enumerate(data.passages) if p.respondent == row["respondent"]]
            if mine:
                found.append((row["speaks"], float(np.max(similarity[mine, column[row["theme"]]])),
                              part(corpus, section, row["theme"])))
    return found


def sweep(found: list[tuple[bool, float, str]], which: str | None = None) -> list[dict]:
    found = [row for row in found if which is None or row[2] == which]
    truths = sum(speaks for speaks, _, _ in found)
    results = []
    for floor in FLOORS:
        accepted = [speaks for speaks, score, _ in found if score >= floor]
        kept = sum(accepted)
        results.append({"floor": floor, "accepted": len(accepted),
                        "precision": kept / len(accepted) if accepted else 1.0,
                        "recall": kept / truths if truths else 0.0})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = sys.stderr if args.json else sys.stdout
    found = similarities(MiniLMEmbedder())
    results = {which: sweep(found, which) for which in ("dev", "held")}
    results["all"] = sweep(found)
    chosen = next((r["floor"] for r in results["dev"] if r["precision"] >= PRECISION), None)
    print(f"Load average {load_average()}; {len(found)} judgments, "
          f"{sum(s for s, _, _ in found)} judged to speak; current ASSIGNED_FLOOR "
          f"{ASSIGNED_FLOOR}; chosen on development data (precision >= {PRECISION}): {chosen}",
          file=out)
    print_table("A model assigning every judged respondent to every judged theme",
                ["floor", "dev accepted", "dev precision", "dev recall", "held accepted",
                 "held precision", "held recall", "all precision", "all recall"],
                [[d["floor"], d["accepted"], d["precision"], d["recall"], h["accepted"],
                  h["precision"], h["recall"], a["precision"], a["recall"]]
                 for d, h, a in zip(results["dev"], results["held"], results["all"])],
                file=out)
    if args.json:
        print(json.dumps({"chosen": chosen, **results}, indent=2))


if __name__ == "__main__":
    main()
