"""Theme discovery against public data with reference themes (../shared/benchmarks/).

Run by hand:  .venv/bin/python benchmarks/labelled.py [--work DIR] [--sets ...] [--json]
                  [--llm local --llm-task discover]

Each set becomes a project in a temporary folder (or `--work DIR`, kept, so a second run skips
the ingest), read in place from ../shared/benchmarks; it is ingested and drafted offline exactly
as `summariser draft` would (the extractive backend, no model), and the draft's themes are
compared with the reference codes:

- best-reference F1: for each reference theme, the F1 of its answers against the counted
  answers of the drafted theme that matches it best; the mean over reference themes (the
  references' residual codes, "None of the Above", "No Reason Given" and "Can't Tell", are not
  themes and are left out);
- coverage: the share of substantive answers (all but those coded "No Reason Given") counted in
  at least one theme;
- count precision: each drafted theme is matched to the reference theme with which it has the
  best F1; the share of all counted memberships whose answer carries that reference code;
- the themes' titles, and the time `draft` took after the ingest;
- with `--llm` (e.g. `local`, the packaged model, and `--llm-task discover`): the model's calls,
  those whose reply could not be used, and input and output tokens per 1,000 answers, from the
  run log (emptied first: nothing is served from a cache). The draft is scored as the model
  made it, even where `draft` would write the offline draft instead (themes coding under half
  the people the offline ones code): the figures say why it would.

`--ceilings` also measures what the embedding model allows, with the reference labels in hand
(none of it is a method the tool could use unaided): "named", the reference themes' labels and
descriptions written into a codebook and coded as drafting codes; "oracle", for each reference
theme the best F1 of any node of the average-linkage dendrogram of the section's segments (the
best any clustering of these vectors could do); "supervised", a logistic regression on each
answer's mean segment vector, one per reference theme, 5-fold cross-validated.

Sets: gambling-q1 and gambling-q2 (i.AI ThemeFinder's gambling_XS evaluation data, MIT; 100
answers each, several codes per answer) and airline (9,178 negative tweets about US airlines,
Figure Eight's "Twitter US Airline Sentiment", CC BY-NC-SA 4.0; one complaint reason each).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, load_average, print_table

DATA = REPO.parent / "shared" / "benchmarks"
RESIDUAL = {"X", "Y", "XX", "XY", "Can't Tell"}
NON_ANSWER = {"Y", "XY"}


@dataclass
class LabelledSet:
    name: str
    manifest: str  # the project's summariser.toml, with {data} for the data folder
    labels: dict[str, set[str]]  # response id -> reference codes
    names: dict[str, str]  # reference code -> label
    descriptions: dict[str, str] = field(default_factory=dict)  # reference code -> description


def _gambling(part: int) -> LabelledSet:
    folder = DATA / "gambling-xs" / f"question_part_{part}"
    question = json.loads((folder / "question.json").read_text())["question_text"]
    themes = json.loads((folder / "themes.json").read_text())
    labels = {}
    for line in (folder / "mapping.jsonl").read_text().splitlines():
        row = json.loads(line)
        labels[str(row["response_id"])] = set(row["labels"])
    manifest = f"""
[project]
title = "Gambling advertising consultation, question {part}"
allow_outside = true

[[sources]]
id = "responses"
path = {json.dumps(str(folder / "responses.jsonl"))}
respondent_column = "response_id"
text_column = "response"
question = "q{part}"

[[questions]]
id = "q{part}"
text = {json.dumps(question)}

[[sections]]
id = "q{part}"
number = "{part}"
title = {json.dumps(question)}
questions = ["q{part}"]
"""
    return LabelledSet(f"gambling-q{part}", manifest, labels,
                       {t["topic_id"]: t["topic_label"] for t in themes},
                       {t["topic_id"]: t["topic_description"] for t in themes})


def _airline() -> LabelledSet:
    path = DATA / "airline-complaints" / "complaints.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = {row["tweet_id"]: {row["negativereason"]} for row in rows}
    manifest = f"""
[project]
title = "Airline complaints"
respondent_noun = ["customer", "customers"]
allow_outside = true

[[sources]]
id = "tweets"
path = {json.dumps(str(path))}
respondent_column = "tweet_id"
text_column = "text"
question = "complaint"

[[questions]]
id = "complaint"
text = "What went wrong with your flight or the airline?"

[[sections]]
id = "complaint"
number = "1"
title = "What customers complained about"
questions = ["complaint"]
"""
    names = {label: label for row in labels.values() for label in row}
    return LabelledSet("airline", manifest, labels, names)


SETS = {"gambling-q1": lambda: _gambling(1), "gambling-q2": lambda: _gambling(2),
        "airline": _airline}


def score(labels: dict[str, set[str]], themes: dict[str, set[str]]) -> dict:
    """Best-reference F1, coverage and count precision (see the module docstring).

    `themes`: drafted title -> counted response ids."""
    references: dict[str, set[str]] = defaultdict(set)
    for response, codes in labels.items():
        for code in codes - RESIDUAL:
            references[code].add(response)

    def f1(a: set[str], b: set[str]) -> float:
        return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0

    best = {code: max((f1(members, counted) for counted in themes.values()), default=0.0)
            for code, members in references.items()}
    matched, members_total = 0, 0
    matches = {}
    for title, counted in themes.items():
        code = max(references, key=lambda c: (f1(references[c], counted), c))
        matches[title] = code
        matched += len(counted & references[code])
        members_total += len(counted)
    substantive = {r for r, codes in labels.items() if not codes <= NON_ANSWER}
    covered = set().union(*themes.values()) if themes else set()
    return {"f1": sum(best.values()) / len(best), "per_reference": best,
            "coverage": len(covered & substantive) / len(substantive),
            "precision": matched / members_total if members_total else 0.0,
            "themes": len(themes), "matches": matches}


def run_set(labelled: LabelledSet, work: Path, llm: str = "extractive", task: str = "auto"
            ) -> dict:
    from summariser.draft.backends import LLMOptions
    from summariser.draft.pipeline import draft_sections
    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    root = work / labelled.name
    root.mkdir(parents=True, exist_ok=True)
    (root / "summariser.toml").write_text(labelled.manifest, encoding="utf-8")
    manifest = load_manifest(root)
    store = Store(manifest.store_path)
    started = time.perf_counter()
    ingest(manifest, store)
    ingested = time.perf_counter() - started
    runs = root / "runs.sqlite"
    runs.unlink(missing_ok=True)  # nothing served from an earlier run's cache
    options = LLMOptions(llm, task=task, use_cache=False, allow_fallback=True)
    guard = _ModelDraftKept()
    started = time.perf_counter()
    with guard:
        [done] = list(draft_sections(manifest, store, manifest.sections, "minilm",
                                     options=options, directory=root / "drafts", restart=True))
    drafted = time.perf_counter() - started
    draft = done.draft
    by_response = {}
    for theme in draft.themes:
        by_response[theme.title] = {e.response_id for e in theme.evidence}
    # Response ids are "<source>:<row id>:<question>"-like: map back to the set's own ids.
    ids = {r.response_id: r.respondent for r in store.responses()}
    themes = {title: {ids[r] for r in members} for title, members in by_response.items()}
    result = score(labelled.labels, themes)
    result.update(name=labelled.name, ingest_s=round(ingested, 1), draft_s=round(drafted, 2),
                  titles=[f"{t.title} ({len(t.respondents)})" for t in draft.themes],
                  uncoded=len(draft.uncoded), answers=draft.denominator,
                  fallback=draft.fallback or guard.would_replace, notes=list(draft.notes),
                  **_usage(runs, draft),
                  references={c: labelled.names.get(c, c) for c in result["per_reference"]})
    return result


class _ModelDraftKept:
    """While in use, a model's draft is scored as the model made it: the guard that replaces a
    draft whose themes code under half the people the offline themes code
    (summariser.draft.pipeline `_unless_emptied`) only says why it would (`would_replace`)."""

    def __enter__(self):
        from summariser.draft import pipeline

        self.would_replace = ""
        self._guard = pipeline._unless_emptied

        def observe(draft, used, *args):
            checked, _ = self._guard(draft, used, *args)
            self.would_replace = checked.fallback
            return draft, used

        pipeline._unless_emptied = observe
        return self

    def __exit__(self, *exc):
        from summariser.draft import pipeline

        pipeline._unless_emptied = self._guard


def _usage(runs: Path, draft) -> dict:
    """The model's calls, replies that could not be used, and tokens per 1,000 answers."""
    import sqlite3

    if not runs.exists():
        return {}
    with sqlite3.connect(runs) as db:
        rows = db.execute("SELECT prompt_name, status, COALESCE(input_tokens, 0), "
                          "COALESCE(output_tokens, 0) FROM calls WHERE run_id = ? AND cached = 0",
                          (draft.run_id,)).fetchall()
    per = 1000 / max(draft.denominator, 1)
    return {"calls": len(rows), "unusable": sum(r[1] != "ok" for r in rows),
            "prompts": sorted({r[0] for r in rows}),
            "in_per_1000": round(sum(r[2] for r in rows) * per),
            "out_per_1000": round(sum(r[3] for r in rows) * per)}


def ceilings(labelled: LabelledSet, work: Path) -> dict[str, float]:
    """Best-reference F1 with the references in hand (see the module docstring)."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from summariser.draft.codebook import Codebook, CodebookTheme
    from summariser.draft.coding import code
    from summariser.draft.space import nuisance_basis, project_out
    from summariser.index.embedders import make_embedder
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest
    from summariser.retrieve.evidence import gather

    manifest = load_manifest(work / labelled.name)
    store = Store(manifest.store_path)
    embedder = make_embedder("minilm")
    evidence = gather(store, embedder, manifest.sections[0])
    store.release_vectors()
    ids = {r.response_id: r.respondent for r in store.responses()}
    passages, vectors = list(evidence.counted), evidence.counted_vectors
    references: dict[str, set[str]] = defaultdict(set)
    for response, codes in labelled.labels.items():
        for label in codes - RESIDUAL:
            references[label].add(response)

    def f1(a: set[str], b: set[str]) -> float:
        return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0

    found = {}
    book = Codebook("s", tuple(CodebookTheme(c, labelled.names[c], labelled.descriptions.get(c, ""))
                               for c in sorted(references)))
    coded = code(book, passages, vectors, embedder.embed)
    named = {t.theme.id: {ids[s.passage.response_id] for s in t.segments} for t in coded.themes}
    found["named"] = sum(f1(references[c], named[c]) for c in references) / len(references)
    if len(passages) <= 5000:  # the full dendrogram needs memory quadratic in the segments
        space = project_out(vectors, nuisance_basis(passages, vectors))
        tree = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                       distance_threshold=0, compute_full_tree=True).fit(space)
        nodes = {i: {ids[p.response_id]} for i, p in enumerate(passages)}
        for k, (a, b) in enumerate(tree.children_):
            nodes[len(passages) + k] = nodes[a] | nodes[b]
        found["oracle"] = sum(max(f1(members, n) for n in nodes.values())
                              for members in references.values()) / len(references)
    by_answer: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(passages):
        by_answer[ids[p.response_id]].append(i)
    answers = sorted(by_answer)
    features = np.array([vectors[by_answer[a]].mean(axis=0) for a in answers])
    scores = []
    for _, members in sorted(references.items()):
        truth = np.array([a in members for a in answers])
        guess = cross_val_predict(LogisticRegression(C=4, class_weight="balanced",
                                                     max_iter=3000), features, truth, cv=5)
        scores.append(2 * (guess & truth).sum() / max(guess.sum() + truth.sum(), 1))
    found["supervised"] = float(np.mean(scores))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="keep projects and stores here (reused)")
    parser.add_argument("--sets", default=",".join(SETS),
                        help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--json", action="store_true", help="figures as JSON on stdout")
    parser.add_argument("--llm", default="extractive",
                        help="draft with this backend (local: the packaged model) [extractive]")
    parser.add_argument("--llm-task", default="auto", help="with --llm: name, draft or discover")
    parser.add_argument("--ceilings", action="store_true",
                        help="also what the embedding allows with the labels in hand")
    args = parser.parse_args()
    out = sys.stderr if args.json else sys.stdout
    print(f"load average before: {load_average()}", file=out)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        results = []
        for name in args.sets.split(","):
            labelled = SETS[name]()
            results.append(run_set(labelled, work, args.llm, args.llm_task))
            if args.ceilings:
                results[-1]["ceilings"] = ceilings(labelled, work)
    how = "offline draft" if args.llm == "extractive" else f"{args.llm}, {args.llm_task}"
    print_table(f"Theme discovery against reference themes ({how})",
                ("set", "answers", "themes", "F1", "coverage", "count precision", "draft s",
                 "calls", "unusable", "in/1000", "out/1000"),
                [(r["name"], r["answers"], r["themes"], r["f1"], r["coverage"], r["precision"],
                  r["draft_s"], r.get("calls", "-"), r.get("unusable", "-"),
                  r.get("in_per_1000", "-"), r.get("out_per_1000", "-")) for r in results],
                file=out)
    if args.ceilings:
        print_table("What the embedding allows with the labels in hand (best-reference F1)",
                    ("set", "named", "oracle", "supervised"),
                    [(r["name"], r["ceilings"]["named"], r["ceilings"].get("oracle", "-"),
                      r["ceilings"]["supervised"]) for r in results], file=out)
    for r in results:
        print(f"\n{r['name']}: " + "; ".join(r["titles"]), file=out)
        if r["fallback"]:
            print(f"  offline draft instead (scored above as the model drafted it): "
                  f"{r['fallback']}", file=out)
        print("  best F1 per reference: " + "; ".join(
            f"{r['references'][c]} {v:.2f}" for c, v in sorted(r["per_reference"].items())),
            file=out)
    print(f"\nload average after: {load_average()}", file=out)
    if args.json:
        json.dump(results, sys.stdout, indent=2, default=sorted)


if __name__ == "__main__":
    main()
