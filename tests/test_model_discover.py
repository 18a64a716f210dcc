"""Model-led discovery (`--llm-task discover`) against a real OpenAI-compatible HTTP server on
127.0.0.1: the model finds themes over batches of answers and condenses them; code codes every
answer against them, so counts are the people with coded evidence, and the model's own ids count
only where coding by meaning would reach them. Ids it invents or leaves out are reported."""

import csv
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.coding import MEANING_FLOOR
from summariser.testing import OpenAICompatibleServer

runner = CliRunner()
KEY = "sk-test-discover"
TOPICS = {
    "bus": ["The buses are always late in the morning.", "Bus fares went up again this year.",
            "I wait forty minutes for a bus most days.", "More buses on the evening routes.",
            "The bus stop shelter has been broken for months.",
            "Drivers skip our bus stop when the bus is full."],
    "library": ["The library should open on Sundays.", "Keep the library open later.",
                "The library needs more children's books.",
                "Quiet study space in the library is hard to find.",
                "The library computers are very slow.", "Please do not close the library."],
    "park": ["The park is full of litter after weekends.", "Fix the swings in the park.",
             "The park needs better lighting at night.", "Dogs off the lead in the park.",
             "More benches in the park for older people.", "The park toilets are always shut."],
}
QUIET = ["Nothing.", "Don't know.", "No comment."]
MANIFEST = """
[project]
title = "Town services survey"
respondent_noun = ["resident", "residents"]

[[sources]]
id = "survey"
path = "answers.csv"
respondent_column = "Resident ID"
columns = { change = "What would you change?" }

[[questions]]
id = "change"
text = "What one thing would you change about local services?"

[[sections]]
id = "change"
number = "1"
title = "What residents would change"
questions = ["change"]
description = "what residents would change about buses, the library and parks"
"""


def _ids(n: int) -> str:
    # Real exports: numeric ids, ids with spaces and an ampersand.
    return str(4000 + n) if n % 3 else f"Ward {n} & Co"


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    """A survey of 120 answers on three topics and a few non-answers, ingested once."""
    root = tmp_path_factory.mktemp("town")
    (root / "summariser.toml").write_text(MANIFEST, encoding="utf-8")
    rows, n = [], 0
    for opening in ("", "Honestly, ", "For me, ", "Above all, ", "Simply put, ", "In short, "):
        for answers in TOPICS.values():
            for text in answers:
                n += 1
                rows.append([_ids(n), opening + (text[0].lower() + text[1:] if opening
                                                 else text)])
    for text in QUIET * 2:
        n += 1
        rows.append([_ids(n), text])
    with (root / "answers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Resident ID", "What would you change?"])
        writer.writerows(rows)
    result = runner.invoke(app, ["ingest", "-p", str(root)])
    assert result.exit_code == 0, result.output
    return root


def _lines(user: str, tag: str) -> list[dict]:
    block = user.split(f"<{tag}>\n", 1)[1].split(f"\n</{tag}>", 1)[0]
    return [json.loads(line) for line in block.splitlines() if line.startswith("{")]


def scripted(system: str, user: str) -> str:
    """A model that finds one theme per topic in each batch, cites three answers (for the
    first, two and an id that does not exist, A999), adds a theme its cited answers do not speak to, and condenses
    by merging themes of the same title."""
    if "separate batches" in system:
        themes: dict[str, list[str]] = {}
        seen = {}
        for line in _lines(user, "themes"):
            themes.setdefault(line["title"], []).append(line["id"])
            seen[line["title"]] = line["description"]
        return json.dumps({"themes": [{"title": title, "description": seen[title],
                                       "merges": ids} for title, ids in themes.items()]})
    if "find the themes" in system:
        answers = _lines(user, "passages")
        themes_found = []
        for topic in TOPICS:
            ids = [a["id"] for a in answers if topic in a["text"].lower()]
            if ids:
                themes_found.append({"title": f"Worries about the {topic}",
                                     "description": f"What people would change about the "
                                                    f"{topic}.", "answers": ids[:3]})
        themes_found[0]["answers"][2:] = ["A999"]
        themes_found.append({"title": "Zebra grazing habits",
                             "description": "Where zebras graze in the dry season.",
                             "answers": [a["id"] for a in answers
                                         if "bus" in a["text"].lower()][3:6]})
        return json.dumps({"themes": themes_found})
    return "{}"


def _draft(project: Path, base_url: str, out: Path, *extra: str):
    return runner.invoke(app, ["draft", "-p", str(project), "--llm", "openai", "--base-url",
                               base_url, "--no-cache", "--llm-task", "discover", "-o",
                               str(out), *extra])


def test_discovered_themes_count_only_coded_evidence_and_pass_the_gate(
        town: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(scripted) as server:
        result = _draft(town, server.base_url, town / "drafts", "--restart")
    assert result.exit_code == 0, result.output
    prompts = [body["messages"][0]["content"] for body, _ in server.requests]
    batches = [p for p in prompts if "find the themes" in p and "separate batches" not in p]
    assert len(batches) == 3 and sum("separate batches" in p for p in prompts) == 1
    sent = json.dumps([body for body, _ in server.requests])
    assert "Nothing." not in sent and "No comment" not in sent  # non-answers are not read
    sidecar = json.loads((town / "drafts" / "change.json").read_text())
    titles = {t["title"]: t for t in sidecar["themes"]}
    assert {f"Worries about the {t}" for t in TOPICS} <= set(titles), titles
    for theme in sidecar["themes"]:
        assert theme["respondents"] == sorted({e["respondent"] for e in theme["evidence"]})
        assert all(e["similarity"] >= MEANING_FLOOR for e in theme["evidence"]
                   if e["via"] == "model")
    for topic in TOPICS:
        theme = titles[f"Worries about the {topic}"]
        assert all(topic in e["text"].lower() for e in theme["evidence"]), theme["title"]
        assert len(theme["respondents"]) > 9  # coded beyond the three a batch cited
    # The theme whose cited answers do not speak to it: they were not counted, and its title,
    # which no one coded to it uses, gave way to the offline title of what they did say.
    assert "Zebra" not in json.dumps(sidecar["themes"])
    notes = " ".join(sidecar["notes"])
    assert "too far from it in meaning and were not counted" in notes
    assert "The model's title 'Zebra grazing habits' was not used" in notes
    report = runner.invoke(app, ["report", "-p", str(town)])
    assert report.exit_code == 0, report.output
    checked = runner.invoke(app, ["eval", str(town / "out" / "report.md"), "-p", str(town)])
    assert checked.exit_code == 0, checked.output


def test_invented_and_uncited_ids_are_reported_in_the_draft_and_the_run_log(
        town: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(scripted) as server:
        result = _draft(town, server.base_url, tmp_path)
    assert result.exit_code == 0, result.output
    notes = " ".join(json.loads((tmp_path / "change.json").read_text())["notes"])
    invented = re.findall(r"cited 1 answer id\(s\) that were not in the batch, which were "
                          r"ignored: A999", notes)
    assert len(invented) == 3, notes
    # Each batch of 50 cites 11 answers: the rest are listed as cited under no theme.
    uncited = [int(n) for n in re.findall(r"the model cited (\d+) answer\(s\) under no theme",
                                          notes)]
    assert uncited[:2] == [50 - 11] * 2 and len(uncited) == 3, notes
    assert "Ward 102 & Co" in notes and "4011" in notes  # by the respondents' own ids
    with sqlite3.connect(town / "runs.sqlite") as db:
        logged = db.execute("SELECT status, error FROM calls WHERE prompt_name = "
                            "'discover_themes' ORDER BY id DESC LIMIT 3").fetchall()
    assert all(status == "ok" and "A999" in error for status, error in logged), logged


def test_a_cached_replys_id_notes_reach_the_run_log_too(town: Path, tmp_path: Path,
                                                        monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(scripted) as server:
        for out in ("first", "again"):  # the second run is served from the cache
            result = runner.invoke(app, ["draft", "-p", str(town), "--llm", "openai",
                                         "--base-url", server.base_url, "--llm-task",
                                         "discover", "-o", str(tmp_path / out)])
            assert result.exit_code == 0, result.output
    with sqlite3.connect(town / "runs.sqlite") as db:
        logged = db.execute("SELECT status, error FROM calls WHERE prompt_name = "
                            "'discover_themes' AND cached = 1").fetchall()
    assert len(logged) == 3, logged
    assert all(status == "ok" and error and "A999" in error for status, error in logged), logged


def test_the_condensed_themes_keep_to_the_requested_number(town: Path, tmp_path: Path,
                                                           monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(scripted) as server:
        result = _draft(town, server.base_url, tmp_path, "--themes", "2")
    assert result.exit_code == 0, result.output
    condense = [body["messages"] for body, _ in server.requests
                if "separate batches" in body["messages"][0]["content"]]
    assert len(condense) == 1 and "At most 2 themes" in condense[0][0]["content"]
    sidecar = json.loads((tmp_path / "change.json").read_text())
    # The scripted model condensed to four themes: code kept the two most answers support.
    assert 1 <= len(sidecar["themes"]) <= 2, [t["title"] for t in sidecar["themes"]]
    assert any("for a budget of 2" in n for n in sidecar["notes"]), sidecar["notes"]


def test_unusable_replies_fall_back_to_the_offline_draft_only_when_allowed(
        town: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(lambda system, user: "I cannot help with that.") as server:
        failed = _draft(town, server.base_url, tmp_path / "a")
        allowed = _draft(town, server.base_url, tmp_path / "b", "--allow-fallback")
    assert failed.exit_code == 1 and "--allow-fallback" in failed.output, failed.output
    assert allowed.exit_code == 0 and "model failed" in allowed.output, allowed.output
    sidecar = json.loads((tmp_path / "b" / "change.json").read_text())
    assert sidecar["themes"] and "replies finding themes" in sidecar["fallback"]


def test_an_unusable_condensing_reply_keeps_the_best_supported_themes(
        town: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    def no_condensing(system: str, user: str) -> str:
        return "not JSON" if "separate batches" in system else scripted(system, user)

    with OpenAICompatibleServer(no_condensing) as server:
        result = _draft(town, server.base_url, tmp_path, "--themes", "3")
    assert result.exit_code == 0, result.output
    sidecar = json.loads((tmp_path / "change.json").read_text())
    assert any("condensing 12 themes could not be used" in n for n in sidecar["notes"]), \
        sidecar["notes"]
    assert 1 <= len(sidecar["themes"]) <= 3
    assert "Zebra" not in json.dumps(sidecar["themes"])


def test_a_condensing_call_that_times_out_keeps_the_best_supported_themes(
        town: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    def slow_condensing(system: str, user: str) -> str:
        if "separate batches" in system:
            time.sleep(3)  # past --timeout 1: the client gives up, as on a long condensing call
        return scripted(system, user)

    with OpenAICompatibleServer(slow_condensing) as server:
        result = _draft(town, server.base_url, tmp_path, "--themes", "3", "--timeout", "1",
                        "--retries", "0")
    assert result.exit_code == 0, result.output
    sidecar = json.loads((tmp_path / "change.json").read_text())
    assert any("condensing 12 themes failed after its retries" in n
               for n in sidecar["notes"]), sidecar["notes"]
    assert 1 <= len(sidecar["themes"]) <= 3


def test_themes_condensing_merged_into_none_are_kept_while_the_budget_has_room(
        town: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    def one_kept(system: str, user: str) -> str:
        if "separate batches" in system:  # merges the first theme and forgets the rest
            return json.dumps({"themes": [{"title": "Worries about the bus",
                                           "description": "What people would change.",
                                           "merges": ["T1", "T77"]}]})
        return scripted(system, user)

    with OpenAICompatibleServer(one_kept) as server:
        result = _draft(town, server.base_url, tmp_path, "--themes", "3")
    assert result.exit_code == 0, result.output
    sidecar = json.loads((tmp_path / "change.json").read_text())
    notes = " ".join(sidecar["notes"])
    assert "cited 1 theme id(s) that did not exist, which were ignored: T77" in notes, notes
    assert "merged 11 of the batches' themes into none" in notes, notes
    assert "2 were kept as they were, within the budget of 3" in notes, notes
    assert {t["title"] for t in sidecar["themes"]} >= {"Worries about the bus"}
    assert 2 <= len(sidecar["themes"]) <= 3
