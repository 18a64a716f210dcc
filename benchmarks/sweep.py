"""Each discovery threshold on its own: what its neighbours give on development data, and what
the value chosen gives on data that chose nothing.

Run by hand (about half an hour; `--work DIR` keeps the labelled sets' stores between runs):
    .venv/bin/python benchmarks/sweep.py [--work DIR] [--only NAME,...] [--json]
    .venv/bin/python benchmarks/sweep.py --joint NAME=VALUE,NAME=VALUE,... [--work DIR]

One threshold moves at a time, every other at its value in the code. For each value:
- development: the mean best-reference F1 over the labelled sets (benchmarks/labelled.py:
  gambling-q1, gambling-q2, airline), and the F1 of precision and recall of the unaided draft
  on the development part of the hand judgments (benchmarks/themes.py, `part`); the score is
  the mean of the two;
- the share of one-word titles over the labelled sets' themes (for the naming thresholds, whose
  job is the title more than the count);
- held back: precision and recall on the held-back judgments, only reported.
The value chosen is the one with the best development score, if it beats the value in the code
by at least `MARGIN`: what one more judged person, rightly counted, adds to the development
score (the development part has 90 people judged to speak and 70 counted and judged: one more
moves its F1 by 0.009, the score by 0.0046); less is a change no judgment can tell from chance.

Thresholds chosen one at a time can undo each other's gains, so `--joint` takes the chosen
values in the order given (largest development gain first) and keeps each only if the
development score of all kept so far, with it, rises by `MARGIN`; held back only reported.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_average, print_table
from labelled import SETS, run_set
from themes import PROJECTS, SectionData, f1, measure, part, totals, truth

from summariser.index.embedders import MiniLMEmbedder

MARGIN = 0.005  # the development score a new value must add: one judged person (docstring)
# (module, name, values to try besides the current one, defaults that copy it: (function, arg))
THRESHOLDS: list[tuple[str, str, list, list[tuple[str, str]]]] = [
    ("candidates", "MAX_PHRASE_SHARE", [0.3, 0.5, 0.6], []),
    ("candidates", "MIN_LIFT", [0.1, 0.2], []),
    ("candidates", "SAME_SURFACE", [0.4, 0.6], []),
    ("candidates", "SUBSUMED", [0.6, 0.9], []),
    ("naming", "TITLE_SUPPORT", [0.2, 0.4], []),
    ("naming", "CRITICAL", [0.0, 0.1], []),
    ("titles", "MIN_TITLE_PRECISION", [0.4, 0.6], [("choose_title", "precision")]),
    ("titles", "MULTI_SHARE", [0.3, 0.7], []),
    ("titles", "OTHER_SHARE", [0.3, 0.7], []),
    ("titles", "PAIR_SHARE", [0.15, 0.35], []),
    ("titles", "QUALIFY_SHARE", [0.05, 0.2, 1.0], []),
    ("titles", "QUALIFY_PRECISION", [0.6, 0.95], []),
    ("discover", "GROUP_DISTANCE", [0.7, 0.9], [("meaning_groups", "distance")]),
    ("discover", "JOIN_SIMILARITY", [0.2, 0.4], []),
    ("space", "ADDRESSEE_SHARE", [0.005, 0.02], []),
    ("propose", "MAX_REPEAT", [0.5, 0.7], []),
    ("propose", "SAME_IDEA", [0.7, 0.9], []),
    ("propose", "TONE_SHARE", [0.15, 0.35], []),
    ("propose", "COVERAGE_TARGET", [0.75, 0.95], []),
]


def set_threshold(module: str, name: str, value, defaults: list[tuple[str, str]]) -> None:
    """`value` everywhere the package holds the threshold: its module, every module that
    imported it by name, and the defaults of the functions that copied it."""
    home = importlib.import_module(f"summariser.draft.{module}")
    old = getattr(home, name)
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith("summariser.") \
                and getattr(loaded, name, None) is old:
            setattr(loaded, name, value)
    for function_name, argument in defaults:
        function = getattr(home, function_name)
        names = function.__code__.co_varnames[:function.__code__.co_argcount
                                               + function.__code__.co_kwonlyargcount]
        if function.__kwdefaults__ and argument in function.__kwdefaults__:
            function.__kwdefaults__[argument] = value
        else:
            positional = names[:function.__code__.co_argcount]
            index = positional.index(argument) - (len(positional) - len(function.__defaults__))
            function.__defaults__ = (*function.__defaults__[:index], value,
                                     *function.__defaults__[index + 1:])


def judged(sections: dict[str, SectionData]) -> dict[str, tuple[float, float]]:
    """Unaided precision and recall on each part of the hand judgments."""
    by_section: dict[tuple[str, str], list] = {}
    for (corpus, section, theme), item in truth().items():
        by_section.setdefault((corpus, section), []).append((theme, item))
    rows = []
    for (corpus, section), themes in sorted(by_section.items()):
        _, unaided = sections[f"{corpus}/{section}"].proposed()
        for theme, item in themes:
            best = max(unaided.values(), key=lambda people: f1(people, item["speaks"]),
                       default=set())
            rows.append({"part": part(corpus, section, theme), "truth": len(item["speaks"]),
                         "unaided": measure(best, item["judged"], item["speaks"])})
    return {p: totals([r for r in rows if r["part"] == p], "unaided") for p in ("dev", "held")}


def evaluate(work: Path, sections: dict[str, SectionData]) -> dict:
    labelled = [run_set(SETS[name](), work) for name in SETS]
    parts = judged(sections)
    titles = [t.rsplit(" (", 1)[0] for r in labelled for t in r["titles"]]

    def harmonic(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    labelled_f1 = sum(r["f1"] for r in labelled) / len(labelled)
    dev_f1 = harmonic(*parts["dev"])
    return {"labelled_f1": round(labelled_f1, 3), "dev_f1": round(dev_f1, 3),
            "score": round((labelled_f1 + dev_f1) / 2, 4),
            "one_word": round(sum(len(t.split()) == 1 for t in titles) / max(len(titles), 1), 2),
            "held": [round(x, 3) for x in parts["held"]],
            "per_set": {r["name"]: round(r["f1"], 3) for r in labelled}}


def joint(spec: str, baseline: dict, work: Path, sections: dict[str, SectionData],
          out) -> list[dict]:
    """Each NAME=VALUE of `spec` in turn, kept if it adds `MARGIN` to all kept before it."""
    where = {name: (module, defaults) for module, name, _, defaults in THRESHOLDS}
    kept, rows = baseline, [{"threshold": "(the code)", "value": "", "current": True,
                             "chosen": False, **baseline}]
    for item in spec.split(","):
        name, value = item.split("=")
        module, defaults = where[name]
        current = getattr(importlib.import_module(f"summariser.draft.{module}"), name)
        set_threshold(module, name, type(current)(value), defaults)
        figures = evaluate(work, sections)
        keep = figures["score"] >= kept["score"] + MARGIN
        if keep:
            kept = figures
        else:
            set_threshold(module, name, current, defaults)
        rows.append({"threshold": f"+ {module}.{name}", "value": value, "current": False,
                     "chosen": keep, **figures})
        print(f"{module}.{name}={value}: {'kept' if keep else 'not kept'} "
              f"(score {figures['score']}, per set {figures['per_set']})", file=out, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="keep the labelled sets' stores here")
    parser.add_argument("--only", default="", help="comma-separated threshold names")
    parser.add_argument("--joint", default="",
                        help="NAME=VALUE,...: keep each in turn if it adds MARGIN (see above)")
    parser.add_argument("--json", action="store_true", help="figures as JSON on stdout")
    args = parser.parse_args()
    out = sys.stderr if args.json else sys.stdout
    print(f"load average before: {load_average()}", file=out)
    only = set(filter(None, args.only.split(",")))
    embedder = MiniLMEmbedder()
    sections = {f"{corpus}/{section}": SectionData(PROJECTS[corpus], section, embedder)
                for corpus, section, _ in truth()}
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        baseline = evaluate(work, sections)
        if args.joint:
            rows = joint(args.joint, baseline, work, sections, out)
        for module, name, values, defaults in [] if args.joint else THRESHOLDS:
            if only and name not in only:
                continue
            current = getattr(importlib.import_module(f"summariser.draft.{module}"), name)
            tried = {current: baseline}
            for value in values:
                set_threshold(module, name, value, defaults)
                tried[value] = evaluate(work, sections)
                set_threshold(module, name, current, defaults)
            best = max(tried, key=lambda v: (tried[v]["score"], v == current))
            chosen = best if tried[best]["score"] >= baseline["score"] + MARGIN else current
            for value, figures in sorted(tried.items()):
                rows.append({"threshold": f"{module}.{name}", "value": value,
                             "current": value == current, "chosen": value == chosen, **figures})
            print(f"{module}.{name}: chosen {chosen} (current {current})", file=out, flush=True)
    print_table("Each threshold alone (development: labelled sets' mean F1 and the development "
                "judgments' F1; held back only reported)",
                ("threshold", "value", "labelled F1", "dev F1", "score", "one-word titles",
                 "held P", "held R", ""),
                [(r["threshold"], r["value"], r["labelled_f1"], r["dev_f1"], r["score"],
                  r["one_word"], r["held"][0], r["held"][1],
                  ("current " if r["current"] else "") + ("chosen" if r["chosen"] else ""))
                 for r in rows], file=out)
    print(f"load average after: {load_average()}", file=out)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
