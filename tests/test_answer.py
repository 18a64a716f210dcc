"""`ask --answer`: exhaustive counts and verified quotes, offline and with a (fake) model."""

import json

from typer.testing import CliRunner

from summariser.ask.answer import answer
from summariser.draft.pipeline import LLMOptions, make_backend
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.records import Scope
from summariser.retrieve.search import search
from summariser.testing import fake_chat_model
from summariser.verify.cache import corpus_index

runner = CliRunner()


def test_extractive_answer_counts_every_passage_above_the_floor(example_project, minilm):
    from summariser.cli import app

    result = runner.invoke(app, ["ask", "Local Intelligence Support Team (LIST)", "--answer",
                                 "-p", str(example_project), "--section", "2.5.5", "--json"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    reply = json.loads(result.output)
    store = Store(load_manifest(example_project).store_path)
    search_all = search(store, minilm, "Local Intelligence Support Team (LIST)",
                        Scope(("helping_data",)), exhaustive=True)
    assert reply["respondents"] == sorted({h.passage.respondent for h in search_all.hits})
    assert reply["denominator"] == 13
    assert 1 <= len(reply["quotes"]) <= 3
    index = corpus_index(store)
    for quote in reply["quotes"]:
        assert index.verify(quote["text"], response_id=quote["response_id"]).passed
    # The count is of people with a passage found, not of people who raised the subject.
    printed = runner.invoke(app, ["ask", "Local Intelligence Support Team (LIST)", "--answer",
                                  "-p", str(example_project), "--section", "2.5.5"],
                            env={"COLUMNS": "250"}, catch_exceptions=False)
    said = " ".join(printed.output.split())
    assert f"Found in passages from {reply['summary']}." in said and "Raised by" not in said


def _answered(project, minilm, model_reply):
    """"LIST analysts" asked of section 2.5.5, answered by `model_reply` as a chat model."""
    manifest = load_manifest(project)
    store = Store(manifest.store_path)
    backend = make_backend(manifest, LLMOptions("openai", use_cache=False), "t",
                           chat_model=fake_chat_model(model_reply))
    result = search(store, minilm, "LIST analysts", Scope(("helping_data",)), exhaustive=True,
                    min_similarity=0.0)
    return manifest, store, answer(result, backend, corpus_index(store), manifest.respondent_noun)


def test_model_answer_counts_only_passages_it_marks_relevant(example_project, minilm):
    def model_reply(system, user):
        lines = [json.loads(line) for line in user.split("<passages>\n")[1]
                 .split("\n</passages>")[0].splitlines()]
        lister = [line for line in lines if "LIST" in line["text"]]
        return json.dumps({"relevant": [line["id"] for line in lister],
                           "answer": "They valued the analysts' help.",
                           "quotes": [{"passage": lister[0]["id"], "text": lister[0]["text"]},
                                      {"passage": "P404", "text": "invented"}]})

    manifest, store, reply = _answered(example_project, minilm, model_reply)
    with_list = {r.respondent for r in store.responses()
                 if r.question == "helping_data" and "LIST" in r.text}
    assert set(reply.respondents) == with_list and len(with_list) == 6
    assert reply.count_text(manifest.respondent_noun) == "six of 13 Chief Officers (46%)"
    assert len(reply.quotes) == 1 and reply.failures[0].reason == "cites an unknown passage"


class CannedBackend:
    """A backend registered by name: it answers with the closest passage, whole."""

    name = "canned"
    model = "canned-1"

    def propose(self, section, evidence):
        from summariser.draft.section import Proposal

        return Proposal("", ())

    def revise_quote(self, section_id, passage, quote, reason):
        return None

    def answer_question(self, question, passages, denominator, noun, max_quotes):
        from summariser.draft.section import ProposedAnswer

        closest = passages[0]
        return ProposedAnswer(f"Canned answer to: {question}", (closest,),
                              ((closest, closest.text), (None, "from nowhere")))


def test_a_registered_backend_is_a_cli_choice_and_answers_through_the_protocol(
        example_project, monkeypatch):
    from summariser.cli import app
    from summariser.draft import backends

    monkeypatch.setattr(backends, "_BACKENDS", dict(backends._BACKENDS))  # this test's registry
    refused = runner.invoke(app, ["ask", "LIST", "--answer", "-p", str(example_project),
                                  "--llm", "canned"])
    assert refused.exit_code != 0 and "extractive, openai, local" in refused.output
    backends.register_backend("canned", lambda manifest, options, run_id: CannedBackend())
    result = runner.invoke(app, ["ask", "Local Intelligence Support Team (LIST)", "--answer",
                                 "-p", str(example_project), "--section", "2.5.5", "--json",
                                 "--llm", "canned"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    reply = json.loads(result.output)
    # The section's answers never say "intelligence": the answer says so before the backend's.
    assert reply["text"] == ("No passage uses the word 'intelligence'. Canned answer to: Local "
                             "Intelligence Support Team (LIST)")
    assert reply["backend"] == "canned"
    [quote] = reply["quotes"]
    assert reply["respondents"] == [quote["respondent"]]
    assert [f["reason"] for f in reply["failures"]] == ["cites an unknown passage"]


def test_a_model_answer_in_a_respondents_own_words_is_left_out(example_project, minilm):
    """A sentence that repeats a passage outside quote marks gives a respondent's words as the
    answer's own; the same words inside quote marks are a quote, and stay."""
    said: dict[str, str] = {}

    def model_reply(system, user):
        lines = [json.loads(line) for line in user.split("<passages>\n")[1]
                 .split("\n</passages>")[0].splitlines()]
        lister = [line for line in lines if "LIST" in line["text"]]
        longest = max(lister, key=lambda line: len(line["text"]))["text"]
        said["copied"] = longest
        return json.dumps({"relevant": [line["id"] for line in lister],
                           "answer": f"They valued the analysts' help. {longest} As it was "
                                     f"put, “{longest.rstrip('.')}”.",
                           "quotes": []})

    _, _, reply = _answered(example_project, minilm, model_reply)
    assert len(said["copied"].split()) >= 8
    assert reply.copied == (said["copied"],)
    assert reply.text.startswith("They valued the analysts' help. As it was put, “"), reply.text
