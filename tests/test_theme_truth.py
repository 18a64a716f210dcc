"""The hand-made theme truth (evals/theme-truth.jsonl, evals/seed-themes.toml) is well formed.

Every evidence sentence is in that respondent's own answer to the section's question(s), every
respondent named exists and answered, each report sub-count lists as many respondents as the report
prints, and the two files agree. Answers are read straight from each corpus's files with the csv
module, through the corpus's summariser.toml (which columns, which rows), not through the product.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from collections import Counter, defaultdict
from functools import cache

import pytest

from summariser.project.manifest import DEFAULT_BLANKS
from tests.conftest import POLIS_DATA, REPO

TRUTH = REPO / "evals" / "theme-truth.jsonl"
SEED = REPO / "evals" / "seed-themes.toml"
KEYS = {"corpus", "section", "theme", "description", "respondent", "speaks", "evidence"}
# Sections of the example corpus judged for every respondent with an answer x every report theme.
EXHAUSTIVE_HSCP = {"gone-well", "hindered-progress", "learning-points"}


@cache
def answers(corpus: str) -> dict[str, dict[str, list[str]]]:
    """section id -> respondent -> their non-blank answers to the section's text questions."""
    root = REPO / "corpus" / corpus
    manifest = tomllib.loads((root / "summariser.toml").read_text(encoding="utf-8"))
    by_question: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source in manifest["sources"]:
        if source.get("format") not in (None, "table"):
            continue
        blank = {b.lower() for b in source.get("blank", DEFAULT_BLANKS)}
        path = root / source["path"]
        with path.open(encoding=source.get("encoding", "utf-8-sig"), newline="") as handle:
            for row in csv.DictReader(handle):
                if any(row[col] not in {str(v) for v in allowed}
                       for col, allowed in source.get("keep", {}).items()):
                    continue
                respondent = row[source["respondent_column"]].strip()
                if "text_column" in source:
                    cells = [(source["question"], row[source["text_column"]])]
                else:
                    cells = [(q, row[col]) for q, col in source["columns"].items()]
                for question, text in cells:
                    if text and text.strip() and text.strip().lower() not in blank:
                        by_question[question][respondent].append(text)
    sections: dict[str, dict[str, list[str]]] = {}
    for section in manifest["sections"]:
        merged: dict[str, list[str]] = defaultdict(list)
        for question in section["questions"]:
            for respondent, texts in by_question.get(question, {}).items():
                merged[respondent] += texts
        sections[section["id"]] = dict(merged)
    return sections


@cache
def respondents(corpus: str) -> set[str]:
    """Every respondent id in the corpus's tabular sources, whether or not they answered."""
    root = REPO / "corpus" / corpus
    manifest = tomllib.loads((root / "summariser.toml").read_text(encoding="utf-8"))
    found = set()
    for source in manifest["sources"]:
        if "respondent_column" in source:
            path = root / source["path"]
            with path.open(encoding=source.get("encoding", "utf-8-sig"), newline="") as handle:
                found |= {row[source["respondent_column"]].strip() for row in csv.DictReader(handle)}
    return found


def truth_rows() -> list[dict]:
    return [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def seed_themes() -> list[dict]:
    return tomllib.loads(SEED.read_text(encoding="utf-8"))["themes"]


def check_rows(rows: list[dict]) -> None:
    for row in rows:
        where = f"{row['corpus']} {row['section']} {row['theme']!r} {row['respondent']}"
        assert set(row) == KEYS, where
        assert isinstance(row["speaks"], bool), where
        assert row["description"].strip(), where
        given = answers(row["corpus"])[row["section"]].get(row["respondent"], [])
        assert row["respondent"] in respondents(row["corpus"]), f"{where}: no such respondent"
        if row["speaks"]:
            assert given, f"{where}: speaks, but gave no answer to the section's question"
            assert row["evidence"].strip(), f"{where}: speaks without evidence"
        assert any(row["evidence"] in text for text in given) or row["evidence"] == "", \
            f"{where}: evidence not verbatim in the answer: {row['evidence']!r}"
        if not given:
            assert row["evidence"] == "", f"{where}: evidence for a blank answer"


def test_each_judgment_is_judged_once():
    keys = Counter((r["corpus"], r["section"], r["theme"], r["respondent"]) for r in truth_rows())
    assert [k for k, n in keys.items() if n > 1] == []


def test_example_corpus_judgments_quote_the_respondents_own_answers():
    rows = [r for r in truth_rows() if r["corpus"] == "hscp-2017"]
    assert {r["section"] for r in rows} == EXHAUSTIVE_HSCP
    check_rows(rows)


def test_library_judgments_quote_the_respondents_own_answers():
    rows = [r for r in truth_rows() if r["corpus"] == "library-2025"]
    assert rows
    check_rows(rows)


@pytest.mark.skipif(not POLIS_DATA.exists(), reason="shared Polis corpus not present")
def test_polis_judgments_quote_the_authors_own_statements():
    rows = [r for r in truth_rows() if r["corpus"] == "polis-bowling-green"]
    assert len({r["theme"] for r in rows}) == 5
    check_rows(rows)


def test_example_corpus_judgments_cover_every_answer_and_every_report_theme():
    rows = [r for r in truth_rows() if r["corpus"] == "hscp-2017"]
    for section in EXHAUSTIVE_HSCP:
        themes = {t["title"] for t in seed_themes()
                  if t["section"] == section and t["kind"] == "theme"}
        judged = {(r["theme"], r["respondent"]) for r in rows if r["section"] == section}
        answered = set(answers("hscp-2017")[section])
        assert judged == {(t, who) for t in themes for who in answered}, section


def test_library_judgments_cover_every_respondent_for_each_judged_theme():
    rows = [r for r in truth_rows() if r["corpus"] == "library-2025"]
    everyone = respondents("library-2025")
    assert len(everyone) == 28
    for section in {r["section"] for r in rows}:
        themes = {r["theme"] for r in rows if r["section"] == section}
        assert 4 <= len(themes) <= 5, section
        judged = {(r["theme"], r["respondent"]) for r in rows if r["section"] == section}
        assert judged == {(t, who) for t in themes for who in everyone}, section


def test_truth_and_seed_themes_agree_on_who_speaks_to_each_report_theme():
    rows = [r for r in truth_rows() if r["corpus"] == "hscp-2017"]
    for theme in seed_themes():
        if theme["section"] not in EXHAUSTIVE_HSCP or theme["kind"] != "theme":
            continue
        speaking = {r["respondent"] for r in rows if r["section"] == theme["section"]
                    and r["theme"] == theme["title"] and r["speaks"]}
        assert speaking == set(theme["respondents"]), theme["title"]
        described = {r["description"] for r in rows if r["theme"] == theme["title"]}
        assert described == {theme["description"]}, theme["title"]


def test_seed_theme_respondents_exist_and_answered_the_question():
    sections = answers("hscp-2017")
    for theme in seed_themes():
        assert {"section", "kind", "title", "description", "phrases", "respondents"} <= set(theme)
        assert theme["kind"] in {"theme", "subcount"}, theme["title"]
        assert theme["section"] in sections, theme["title"]
        assert theme["phrases"] and theme["respondents"], theme["title"]
        assert len(set(theme["respondents"])) == len(theme["respondents"]), theme["title"]
        for respondent in theme["respondents"]:
            assert respondent in sections[theme["section"]], \
                f"{theme['title']}: {respondent} gave no answer to section {theme['section']}"


def test_subcounts_list_as_many_respondents_as_the_report_prints():
    subcounts = [t for t in seed_themes() if t["kind"] == "subcount"]
    assert len(subcounts) == 4
    for theme in subcounts:
        if theme.get("at_least"):
            assert theme["count"] <= len(theme["respondents"]), theme["title"]
        else:
            assert theme["count"] == len(theme["respondents"]), theme["title"]
    for theme in seed_themes():
        if theme["kind"] == "theme":
            assert "count" not in theme and "at_least" not in theme, theme["title"]


def test_subcount_phrases_occur_in_each_listed_answer():
    # A sub-count names words the report counted ("delayed discharge", "LIST", "hold your nerve"):
    # each listed respondent's answer must contain one of them, and no unlisted answer may.
    sections = answers("hscp-2017")
    for theme in (t for t in seed_themes() if t["kind"] == "subcount"):
        words = re.compile("|".join(rf"\b{re.escape(p)}\b" for p in theme["phrases"]), re.I)
        said = {who for who, texts in sections[theme["section"]].items()
                if any(words.search(text) for text in texts)}
        assert said == set(theme["respondents"]), theme["title"]
