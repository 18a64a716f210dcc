"""`ask` counts people by kind, only when it searched exhaustively, says when nothing is
relevant, checks a model's numbers, and prints what people wrote verbatim (no Rich markup)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.ask.answer import NOTHING_RELEVANT, answer, checked_numbers
from summariser.cli import app
from summariser.draft.pipeline import LLMOptions, make_backend
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.records import Scope
from summariser.retrieve.search import search, subject_words, tally, unused_words
from summariser.testing import fake_chat_model
from summariser.verify.cache import corpus_index

runner = CliRunner()
NOUN = ("Chief Officer", "Chief Officers")


def _json(*args: str) -> dict:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ask_all_counts_people_by_kind(example_project: Path):
    data = _json("ask", "delayed discharge", "-p", str(example_project), "--all", "--json")
    counts = data["counts"]
    assert set(counts) == {"survey", "interview", "document"}
    assert counts["survey"]["of"] == 16 and counts["interview"]["of"] == 2
    assert counts["document"]["of"] == 1
    hits = data["hits"]
    survey = {h["respondent"] for h in hits if h["source"] == "survey"}
    assert counts["survey"]["ids"] == sorted(survey) and survey
    assert counts["interview"]["ids"] == sorted({h["respondent"] for h in hits
                                                 if h["source"].startswith("interview")})
    assert "COG" not in counts["survey"]["ids"]  # a meeting note is never a person
    assert data["summary"].startswith(f"{_words(len(survey))} of 16 Chief Officers (")
    assert "of 2 interviews" in data["summary"]


def test_a_count_says_how_many_named_the_subject_and_how_many_only_came_close(
        example_project: Path):
    """"Governance" counted 14 of 16 Chief Officers, as if each had raised it; eight wrote
    the word, and six only wrote something near it in meaning ("The council is better but
    still wants to control"). The count says which is which."""
    data = _json("ask", "governance", "-p", str(example_project), "--all", "--json")
    lexical = {h["respondent"] for h in data["hits"] if h["source"] == "survey"
               and "governance" in h["text"].lower()}
    assert data["worded"]["survey"]["ids"] == sorted(lexical)
    counted = data["counts"]["survey"]["ids"]
    assert set(lexical) < set(counted)
    printed = runner.invoke(app, ["ask", "governance", "-p", str(example_project), "--all"],
                            env={"COLUMNS": "400"})
    line = " ".join(printed.output.split())
    assert (f"{_words(len(lexical)).capitalize()} of the {len(counted)} Chief Officers used "
            f"“governance”; {_words(len(counted) - len(lexical))} only wrote something close to "
            "it in meaning.") in line
    answered = runner.invoke(app, ["ask", "governance", "-p", str(example_project),
                                   "--answer"], env={"COLUMNS": "400"})
    assert f"Found in passages from {_words(len(counted))} of 16" in answered.output
    assert f"{_words(len(lexical)).capitalize()} of the {len(counted)} Chief Officers used" \
        in " ".join(answered.output.split())


def _words(n: int) -> str:
    from summariser.text.wording import number_word

    return number_word(n)


def test_a_count_is_stated_only_for_an_exhaustive_search(example_project: Path):
    data = _json("ask", "delayed discharge", "-p", str(example_project), "--json", "-k", "3")
    assert data["exhaustive"] is False and data["counts"] is None and data["summary"] is None
    printed = runner.invoke(app, ["ask", "delayed discharge", "-p", str(example_project),
                                  "-k", "3"], env={"COLUMNS": "200"})
    assert "of 16" not in printed.output and "use --all" in printed.output


def test_words_no_passage_uses_are_named_and_nothing_found_only_when_both_searches_fail(
        example_project):
    data = _json("ask", "What do Chief Officers say about Brexit and EU staff?", "--answer",
                 "-p", str(example_project), "--json")
    assert data["text"].startswith("No passage uses the words 'brexit', 'eu'. ")
    assert NOTHING_RELEVANT not in data["text"]  # passages close in meaning were found
    nothing = _json("ask", "What do Chief Officers say about xylophones?",
                    "--answer", "-p", str(example_project), "--json")
    assert nothing["quotes"] == [] and nothing["respondents"] == []
    assert nothing["text"] == f"No passage uses the word 'xylophones'. {NOTHING_RELEVANT}"
    assert nothing["summary"] == ("none of 16 Chief Officers (0%); none of 2 interviews; none "
                                  "of 1 document")


def test_an_answer_counts_kinds_apart(example_project: Path):
    data = _json("ask", "What do Chief Officers say about delayed discharge?", "--answer",
                 "-p", str(example_project), "--json")
    survey, interviews = data["tally"]["survey"], data["tally"]["interview"]
    assert survey["of"] == 16 and interviews["of"] == 2
    assert set(survey["ids"]) | set(interviews["ids"]) <= set(data["respondents"])
    assert all(not i.startswith("I") for i in survey["ids"])
    assert 1 <= len(data["quotes"]) <= 3


def test_unused_words_are_the_subject_words_no_text_uses():
    assert subject_words("What do Chief Officers say about Brexit and EU staff?", NOUN) == (
        "brexit", "eu", "staff")
    texts = ["Workforce shortages are hard", "European staff left", "our LIST analyst"]
    assert unused_words("What do Chief Officers say about Brexit and EU staff?", texts,
                        NOUN) == ("brexit", "eu")
    assert unused_words("Which workforce shortage was hardest?", texts) == ()
    assert unused_words("What did respondents say about the LIST?", texts) == ()


def test_the_stop_words_are_scikit_learns_list_word_for_word():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as sklearn_words

    from summariser.text.stopwords import ENGLISH_STOP_WORDS

    assert sklearn_words == ENGLISH_STOP_WORDS


def test_finding_the_subject_words_does_not_import_scikit_learn():
    """Its import cost `ask` seconds for a list of stop words."""
    code = ("import sys; from summariser.retrieve.search import subject_words, unused_words; "
            "print(subject_words('What do they say about the staff?'), "
            "unused_words('Brexit and staff', ['staff']), 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["('staff',)", "('brexit',)", "False"]


@pytest.mark.parametrize(("text", "kept"), [
    ("They valued the analysts' help.", "They valued the analysts' help."),
    ("Six of 13 Chief Officers (46%) valued the analysts.",
     "Six of 13 Chief Officers (46%) valued the analysts."),
    ("All 16 Chief Officers (100%) agreed.", ""),
    ("Twelve of 16 (75%) blamed the minister.", ""),
    ("At least six Chief Officers valued them.", ""),  # a model states counts exactly or not
    ("Six of 13 Chief Officers (46%) valued the 3 analysts.", ""),  # a number left unchecked
    ("A minority of Chief Officers valued them.", "A minority of Chief Officers valued them."),
    ("Most Chief Officers valued them.", ""),
])
def test_a_models_numbers_are_checked_or_its_sentence_dropped(project: Path, text, kept):
    manifest = load_manifest(project)
    result, dropped = checked_numbers(text, (6, 13), manifest)
    assert result == kept
    assert dropped == (() if kept else (text,))


def test_a_model_answer_keeps_only_sentences_whose_numbers_hold(example_project, minilm):
    def model_reply(system, user):
        lines = [json.loads(line) for line in user.split("<passages>\n")[1]
                 .split("\n</passages>")[0].splitlines()]
        lister = [line for line in lines if "LIST" in line["text"]]
        unrelated = next(line for line in lines if "LIST" not in line["text"])
        return json.dumps({
            "relevant": [line["id"] for line in lister],
            "answer": "All 16 Chief Officers (100%) praised LIST. They valued the analysts. "
                      "12 of 16 (75%) blamed the minister.",
            "quotes": [{"passage": unrelated["id"], "text": unrelated["text"]},
                       {"passage": lister[0]["id"], "text": lister[0]["text"]}]})

    manifest = load_manifest(example_project)
    store = Store(manifest.store_path)
    backend = make_backend(manifest, LLMOptions("openai", use_cache=False), "t",
                           chat_model=fake_chat_model(model_reply))
    scope = Scope(("helping_data",))
    result = search(store, minilm, "LIST analysts", scope, exhaustive=True, min_similarity=0.0)
    reply = answer(result, backend, corpus_index(store), NOUN, manifest=manifest,
                   count=lambda passages: tally(manifest, store, scope, passages))
    assert reply.text == "They valued the analysts."
    assert len(reply.dropped) == 2
    assert reply.count_text(NOUN) == "six of 13 Chief Officers (46%)"
    assert [q.text for q in reply.quotes] == [next(
        r.text for r in store.responses() if r.response_id == reply.quotes[0].response_id)]
    assert "LIST" in reply.quotes[0].text
    assert [f.reason for f in reply.failures] == ["quotes a passage not marked relevant"]


def test_a_model_that_marks_nothing_relevant_is_reported_as_such(example_project, minilm):
    manifest = load_manifest(example_project)
    store = Store(manifest.store_path)
    reply_json = json.dumps({"relevant": [], "answer": "Two of 16 said so.", "quotes": []})
    backend = make_backend(manifest, LLMOptions("openai", use_cache=False), "t",
                           chat_model=fake_chat_model(lambda system, user: reply_json))
    result = search(store, minilm, "Brexit", Scope(), exhaustive=True, min_similarity=0.2)
    reply = answer(result, backend, corpus_index(store), NOUN, manifest=manifest)
    assert reply.text == NOTHING_RELEVANT and not reply.quotes and not reply.respondents


# --- verbatim printing ---------------------------------------------------------------------

MARKED = "Strong partnership with the councel [sic] and [bold]loud[/bold] staff [/] today."


@pytest.fixture
def marked_project(project: Path) -> Path:
    csv = (project / "responses.csv").read_text(encoding="utf-8")
    (project / "responses.csv").write_text(
        csv.replace("Strong partnership with the council.", MARKED), encoding="utf-8")
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest + """
[[sections.themes]]
title = "Partnership [sic] and [/] staff"
phrases = ["partnership"]
""", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "-p", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return project


def _flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


@pytest.mark.parametrize("mode", [[], ["--all", "--min-similarity", "0.3"], ["--answer"]])
def test_ask_prints_what_people_wrote_verbatim(marked_project: Path, mode: list[str]):
    result = runner.invoke(app, ["ask", "strong partnership with the council", "-p",
                                 str(marked_project), "--question", "gone_well", *mode],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert MARKED in _flat(result.output)


def test_draft_and_eval_print_brackets_verbatim(marked_project: Path):
    drafted = runner.invoke(app, ["draft", "-p", str(marked_project)], env={"COLUMNS": "250"})
    assert drafted.exit_code == 0, drafted.output
    assert "Partnership [sic] and [/] staff" in _flat(drafted.output)
    draft = marked_project / "drafts" / "hand.md"
    draft.write_text(f"## 2.1 What has gone well?\n\nOne wrote: “{MARKED}” [R03]\n",
                     encoding="utf-8")
    checked = runner.invoke(app, ["eval", str(draft), "--all"], env={"COLUMNS": "250"})
    assert checked.exit_code == 0, checked.output
    assert "[sic] and [bold]loud[/bold] staff [/]" in _flat(checked.output)
