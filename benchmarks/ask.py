"""`ask`: does it find what is there, and does its count hold when a question is reworded?

Run by hand (a few minutes; it ingests three corpora into a temporary folder):
    .venv/bin/python benchmarks/ask.py [--json]

1. The relevance floor (`summariser.retrieve.search.RELEVANT_FLOOR`), set on development data
   only. Each truth theme of evals/theme-truth.jsonl is asked as a question ("What did
   <respondents> say about <theme title>?") over its section; a respondent is found when a
   passage of theirs uses every subject word (the lexical search) or is at least the floor
   similar to the subject (the search by meaning). Precision and recall of the people found
   against the people judged to speak (among the judged), pooled over the themes of a part, for
   each floor on a grid; the lowest floor whose development precision is at least 0.8 (the
   criterion of ASSIGNED_FLOOR, benchmarks/floor.py) is the one chosen, and the held-back part
   (split once by `benchmarks/themes.py`'s `part`) is only reported.
2. Recall of people who used a word: for words one to three people used (every such word of
   the example corpus and the library corpus, a seeded sample of the Polis corpus), "What did
   <respondents> say about <word>?" over the whole corpus; the share of the people whose own
   words contain the word (as written, any case) that the search finds, beside the share the
   search by meaning alone finds at the floor (what `ask` did before the lexical search).
3. Stability: ten questions about the example corpus, each in ten wordings; the spread (largest
   less smallest) of the survey count over the ten wordings, per question.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, print_table, temp_project
from themes import part, truth

from summariser.index.embedders import MiniLMEmbedder
from summariser.index.ingest import ingest
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.records import Scope
from summariser.retrieve.search import (
    RELEVANT_FLOOR,
    common_context,
    search,
    subject_words,
    tally,
)

PROJECTS = {"hscp-2017": REPO / "corpus" / "hscp-2017",
            "polis-bowling-green": REPO / "corpus" / "polis-bowling-green",
            "library-2025": REPO / "corpus" / "library-2025"}
FLOORS = [round(0.20 + 0.025 * n, 3) for n in range(17)]  # 0.20 ... 0.60
PRECISION = 0.8  # the floor chosen: the lowest whose development precision reaches this
# Ten questions about the example corpus, each in ten wordings: the framing changes ("what did
# COs say about", "views on", "did anyone mention") and so do the subject's own words.
PARAPHRASES = {
    "governance": [
        "governance", "What did Chief Officers say about governance?",
        "what did COs say about governance arrangements", "views on governance",
        "How do Chief Officers see the governance of the IJB?",
        "Did anyone mention how the partnership is governed?",
        "Tell me what respondents said about governance structures",
        "What do they think of accountability and governance?", "comments on governance",
        "Which Chief Officers raised governance issues?"],
    "delayed discharge": [
        "delayed discharge", "What did Chief Officers say about delayed discharge?",
        "what did COs say about delays in discharge from hospital",
        "views on discharging people from hospital", "Did anyone mention delayed discharges?",
        "How do Chief Officers feel about hospital discharge delays?",
        "What was said about getting people home from hospital?", "bed blocking",
        "Tell me about delayed discharge", "Which COs talked about discharge?"],
    "workforce": [
        "workforce", "What did Chief Officers say about the workforce?",
        "what did COs say about staffing", "views on recruitment and retention of staff",
        "Did anyone mention staff shortages?", "How do Chief Officers feel about workforce "
        "pressures?", "workforce issues", "What comments were made on the workforce?",
        "Tell me what respondents said about staff", "Which COs raised workforce planning?"],
    "budgets": [
        "budgets", "What did Chief Officers say about budgets?", "what did COs say about money",
        "views on funding", "Did anyone mention financial pressures?",
        "How do Chief Officers feel about the budget?", "finance",
        "What comments were made on budget setting?", "Tell me about funding cuts",
        "Which COs raised the budget?"],
    "GP recruitment": [
        "GP recruitment", "What did Chief Officers say about recruiting GPs?",
        "what did COs say about GP shortages", "views on general practice recruitment",
        "Did anyone mention GP vacancies?", "How do Chief Officers feel about GP recruitment?",
        "recruitment of GPs", "What comments were made on attracting GPs?",
        "Tell me what respondents said about GPs", "Which COs raised GP recruitment?"],
    "IT systems": [
        "IT systems", "What did Chief Officers say about IT systems?",
        "what did COs say about IT", "views on information technology",
        "Did anyone mention computer systems?", "How do Chief Officers feel about IT?",
        "data and IT systems", "What comments were made on IT and data sharing?",
        "Tell me about systems that do not talk to each other", "Which COs raised IT?"],
    "leadership": [
        "leadership", "What did Chief Officers say about leadership?",
        "what did COs say about leaders", "views on leadership",
        "Did anyone mention distributed leadership?", "How do Chief Officers see leadership?",
        "leading change", "What comments were made on leadership development?",
        "Tell me what respondents said about leading", "Which COs raised leadership?"],
    "the third sector": [
        "the third sector", "What did Chief Officers say about the third sector?",
        "what did COs say about voluntary organisations", "views on the voluntary sector",
        "Did anyone mention third sector partners?", "How do Chief Officers see the third "
        "sector?", "charities and the voluntary sector", "What comments were made on the "
        "third sector?", "Tell me about working with the voluntary sector",
        "Which COs raised the third sector?"],
    "dementia": [
        "dementia", "What did Chief Officers say about dementia?", "what did COs say about "
        "dementia", "views on dementia care", "Did anyone mention dementia?",
        "How do Chief Officers feel about dementia services?", "people with dementia",
        "What comments were made on dementia?", "Tell me about dementia",
        "Which COs raised dementia?"],
    "the ihub": [
        "the ihub", "What did Chief Officers say about the ihub?", "what did COs say about "
        "the ihub", "views on improvement support from the ihub",
        "Did anyone mention the ihub?", "How do Chief Officers feel about the ihub's "
        "support?", "ihub support", "What comments were made on the ihub?",
        "Tell me what respondents said about Healthcare Improvement Scotland's ihub",
        "Which COs raised the ihub?"],
}


def _ingested(name: str, root: Path) -> tuple:
    manifest = load_manifest(temp_project(PROJECTS[name], root / name))
    store = Store(manifest.store_path)
    ingest(manifest, store)
    return manifest, store


def _context(manifest, section=None) -> str:
    """What every answer is about: the text of the questions searched."""
    asked = section.questions if section is not None else [q.id for q in manifest.questions
                                                           if q.kind == "text"]
    return common_context(manifest.question(q).text for q in asked)


def calibrate(stores: dict, embedder: MiniLMEmbedder, contrast: bool | None = None) -> dict:
    """Per part and floor: (found and judged, of them speaking, speaking and found, speaking)."""
    tallies: dict[str, dict[float, list[int]]] = {p: {f: [0, 0, 0, 0] for f in FLOORS}
                                                  for p in ("dev", "held")}
    for (corpus, section_id, theme), item in sorted(truth().items()):
        manifest, store = stores[corpus]
        section = manifest.section(section_id)
        found = search(store, embedder, f"What did {manifest.respondent_noun[1]} say about "
                       f"{theme}?", Scope(section.questions, section.sources), exhaustive=True,
                       min_similarity=-1.0, noun=manifest.respondent_noun,
                       context=_context(manifest, section), contrast=contrast)
        best: dict[str, float] = defaultdict(lambda: -1.0)
        lexical: set[str] = set()
        for hit in found.hits:
            who = hit.passage.respondent
            if hit.lexical:
                lexical.add(who)
            else:
                best[who] = max(best[who], hit.similarity)
        judged, speaks = item["judged"], item["speaks"]
        for floor in FLOORS:
            people = lexical | {p for p, s in best.items() if s >= floor}
            seen = people & judged
            row = tallies[part(corpus, section_id, theme)][floor]
            row[0] += len(seen)
            row[1] += len(seen & speaks)
            row[2] += len(speaks & people)
            row[3] += len(speaks)
    return tallies


def _scores(row: list[int]) -> tuple[float, float, float]:
    precision = row[1] / row[0] if row[0] else 0.0
    recall = row[2] / row[3] if row[3] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def word_recall(stores: dict, embedder: MiniLMEmbedder, floor: float) -> dict:
    """Per corpus: (words asked, people who used them, found by both searches, by meaning)."""
    rng = random.Random(23)
    results = {}
    for corpus, (manifest, store) in stores.items():
        users: dict[str, set[str]] = defaultdict(set)
        for response in store.responses():
            if response.is_participant:
                for word in set(re.findall(r"[a-z]{4,}", response.text.lower())):
                    users[word].add(response.respondent)
        words = sorted(w for w, who in users.items() if 1 <= len(who) <= 3
                       and subject_words(w, manifest.respondent_noun) == (w,))
        if len(words) > 120:
            words = sorted(rng.sample(words, 120))
        people = found_both = found_meaning = 0
        for word in words:
            result = search(store, embedder, f"What did {manifest.respondent_noun[1]} say "
                            f"about {word}?", exhaustive=True, min_similarity=floor,
                            noun=manifest.respondent_noun, context=_context(manifest))
            who = {h.passage.respondent for h in result.hits}
            by_meaning = {h.passage.respondent for h in result.hits if h.close}
            people += len(users[word])
            found_both += len(users[word] & who)
            found_meaning += len(users[word] & by_meaning)
        results[corpus] = (len(words), people, found_both, found_meaning)
    return results


def stability(stores: dict, embedder: MiniLMEmbedder) -> dict[str, list[int]]:
    manifest, store = stores["hscp-2017"]
    counts: dict[str, list[int]] = {}
    for subject, wordings in PARAPHRASES.items():
        counts[subject] = []
        for wording in wordings:
            result = search(store, embedder, wording, exhaustive=True,
                            noun=manifest.respondent_noun, context=_context(manifest))
            survey = tally(manifest, store, Scope(), [h.passage for h in result.hits]).kind(
                "survey")
            counts[subject].append(len(survey.found) if survey else 0)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--work", type=Path, help="keep the ingested copies here (default: a "
                        "temporary folder), so a second run does not embed again")
    args = parser.parse_args()
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as folder:
        work = args.work or Path(folder)
        stores = {name: _ingested(name, work) for name in PROJECTS}
        tallies = calibrate(stores, embedder)
        every = calibrate(stores, embedder, contrast=True)
        chosen = next(f for f in FLOORS if _scores(tallies["dev"][f])[0] >= PRECISION)
        recall = word_recall(stores, embedder, RELEVANT_FLOOR)
        spread = stability(stores, embedder)
    report = {
        "floors": {p: {str(f): _scores(r) for f, r in rows.items()} for p, rows in tallies.items()},
        "floors_contrast_for_every_question": {p: {str(f): _scores(r) for f, r in rows.items()}
                                               for p, rows in every.items()},
        "chosen_floor": chosen, "floor_in_code": RELEVANT_FLOOR,
        "word_recall": recall, "paraphrase_counts": spread,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print_table(f"1. Relevance floor: the lowest with development precision >= {PRECISION} is "
                f"{chosen} (in the code: "
                f"{RELEVANT_FLOOR})",
                ["floor", "dev P", "dev R", "dev F1", "held P", "held R", "held F1",
                 "dev F1 contrast always", "held F1 contrast always"],
                [[f, *(f"{x:.2f}" for x in _scores(tallies["dev"][f])),
                  *(f"{x:.2f}" for x in _scores(tallies["held"][f])),
                  f"{_scores(every['dev'][f])[2]:.2f}", f"{_scores(every['held'][f])[2]:.2f}"]
                 for f in FLOORS])
    print_table("2. Recall of people who used a word (words one to three people used)",
                ["corpus", "words", "people", "found (lexical + meaning)", "by meaning alone"],
                [[c, w, p, f"{b}/{p} ({b / p:.0%})", f"{m}/{p} ({m / p:.0%})"]
                 for c, (w, p, b, m) in recall.items()])
    print_table("3. Survey counts over ten wordings of each question (example corpus)",
                ["subject", "counts", "spread"],
                [[s, " ".join(map(str, c)), max(c) - min(c)] for s, c in spread.items()])
    spreads = [max(c) - min(c) for c in spread.values()]
    print(f"spread: mean {sum(spreads) / len(spreads):.1f}, largest {max(spreads)}")


if __name__ == "__main__":
    main()
