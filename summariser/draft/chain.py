"""The LLM backend: a LangChain runnable chain per call, with the run log as cache.

render prompt file -> redact -> call the chat model (or serve from the run log) -> parse JSON.
Passages go to the model as JSON lines inside a <passages> block and the prompt says they are
data; whatever a passage says, the output is held to the same rules by code: unknown ids are
dropped, quotes must verify, counts come from ids (see section.py).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from typing import Any

from summariser.draft.codebook import CodebookTheme
from summariser.draft.models import is_local, model_name
from summariser.draft.prompts import load_prompt
from summariser.draft.redact import Redactor
from summariser.draft.runlog import RunLog, cache_key
from summariser.draft.section import Proposal, ProposedAnswer
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence

CHARS_PER_TOKEN = 4  # a rough estimate, only used to decide between whole and clustered mode
LOCAL_PASSAGE_BUDGET = 5_000  # tokens of passages a small local context can take
REMOTE_PASSAGE_BUDGET = 60_000
CLUSTER_SAMPLE = 15  # passages shown per cluster in clustered mode
JSON_BLOCK = re.compile(r"\{.*\}", re.DOTALL)


class ReplyError(ValueError):
    """The model's reply was not the JSON the prompt asked for."""


class LLMBackend:
    """Drafting with a chat model. `model` is any LangChain chat model."""

    def __init__(self, chat_model: Any, runlog: RunLog, run_id: str, *, backend: str,
                 redactor: Redactor | None = None, use_cache: bool = True,
                 max_themes: int = 7, noun: tuple[str, str] = ("respondent", "respondents")):
        self.chat_model = chat_model
        self.name = backend
        self.model = model_name(chat_model)
        self.runlog = runlog
        self.run_id = run_id
        # Local models see the original text: nothing leaves the machine.
        self.redactor = redactor if redactor and not is_local(chat_model) else Redactor(
            enabled=False)
        self.use_cache = use_cache
        self.max_themes = max_themes
        self.noun = noun
        self.budget = LOCAL_PASSAGE_BUDGET if is_local(chat_model) else REMOTE_PASSAGE_BUDGET
        self._chain = self._build_chain()

    def _build_chain(self) -> Any:
        from langchain_core.runnables import RunnableLambda

        return (RunnableLambda(self._render) | RunnableLambda(self._call)
                | RunnableLambda(self._parse))

    # --- chain steps -------------------------------------------------------------------------

    def _render(self, step: dict[str, Any]) -> dict[str, Any]:
        prompt = load_prompt(step["prompt"])
        system, user = prompt.render(**step["values"])
        return {**step, "prompt_sha256": prompt.sha256,
                "request": [{"role": "system", "content": system},
                            {"role": "user", "content": self.redactor.redact(user)}]}

    def _call(self, step: dict[str, Any]) -> dict[str, Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        response_format = self._format()
        params = {"temperature": 0, "response_format": response_format}
        key = cache_key(self.model, params, step["request"])
        hit = self.runlog.cached(key) if self.use_cache else None
        started = time.perf_counter()
        if hit:
            text, input_tokens, output_tokens = hit
        else:
            messages = [SystemMessage(step["request"][0]["content"]),
                        HumanMessage(step["request"][1]["content"])]
            reply = self.chat_model.invoke(messages, response_format=response_format)
            text = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
            usage = getattr(reply, "usage_metadata", None) or {}
            input_tokens, output_tokens = usage.get("input_tokens"), usage.get("output_tokens")
        self.runlog.record(run_id=self.run_id, section=step["section"],
                           prompt_name=step["prompt"], prompt_sha256=step["prompt_sha256"],
                           model=self.model, params=params, request=step["request"],
                           response=text, input_tokens=input_tokens, output_tokens=output_tokens,
                           latency_ms=(time.perf_counter() - started) * 1000, key=key,
                           cached=bool(hit))
        return {**step, "reply": text}

    def _format(self) -> dict[str, Any] | None:
        # llama.cpp's grammar-constrained sampling (JSON mode) runs at seconds per token on a
        # small CPU; a local model is asked for JSON in the prompt and its reply parsed instead.
        return None if is_local(self.chat_model) else {"type": "json_object"}

    def _parse(self, step: dict[str, Any]) -> dict[str, Any]:
        match = JSON_BLOCK.search(step["reply"])
        try:
            data = json.loads(match.group()) if match else None
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            raise ReplyError(f"the model's reply to '{step['prompt']}' was not a JSON object")
        return data

    def ask(self, prompt: str, section: str, **values: Any) -> dict[str, Any]:
        return self._chain.invoke({"prompt": prompt, "section": section, "values": values})

    # --- Backend protocol --------------------------------------------------------------------

    def propose(self, section: Section, evidence: Evidence, budget: int,
                context: str = "") -> Proposal:
        passages = list(evidence.passages)
        if not passages:
            return Proposal(())
        size = sum(len(p.text) for p in passages) // CHARS_PER_TOKEN
        if size > self.budget:
            return self._propose_by_cluster(section, evidence, budget, context)
        ids = {f"P{n}": p for n, p in enumerate(passages, 1)}
        try:
            data = self.ask("draft_section", section.id, section_title=section.heading,
                            section_description=section.description,
                            questions=", ".join(section.questions) or "(interviews and notes)",
                            respondent_noun=self.noun[1], max_themes=min(budget,
                                                                          self.max_themes),
                            passages=passage_lines(ids))
        except ReplyError as exc:
            return Proposal((), notes=(f"No themes: {exc}.",))
        themes, assignments = [], {}
        for item in _list(data.get("themes")):
            theme = self._theme(item, len(themes) + 1)
            if theme:
                themes.append(theme)
                assignments[theme.id] = tuple(ids[str(pid)].passage_id
                                              for pid in _list(item.get("passages"))
                                              if str(pid) in ids)
        return Proposal(tuple(themes), assignments)

    def _theme(self, item: Any, number: int, phrases: tuple[str, ...] = ()
               ) -> CodebookTheme | None:
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            return None
        return CodebookTheme(id=f"m{number}", title=str(item["title"]).strip(),
                             description=self.redactor.restore(str(item.get("summary", "")))
                             .strip(), phrases=phrases)

    def _propose_by_cluster(self, section: Section, evidence: Evidence, budget: int,
                            context: str) -> Proposal:
        """Too much text for one call: propose themes offline, let the model name each one."""
        from summariser.draft.phrases import Phrase, first_match
        from summariser.draft.propose import propose_themes

        offline, notes = propose_themes(evidence.counted, evidence.counted_vectors, budget,
                                        context)
        themes = []
        for theme in offline:
            phrases = [Phrase.of(p) for p in theme.phrases]
            shown = [p for p in evidence.counted if first_match(phrases, p.text)]
            ids = {f"P{n}": p for n, p in enumerate(shown[:CLUSTER_SAMPLE], 1)}
            try:
                data = self.ask("label_cluster", section.id, section_title=section.heading,
                                respondent_noun=self.noun[1], passages=passage_lines(ids))
            except ReplyError:
                themes.append(theme)  # the model's call failed: the offline name stands
                continue
            named = self._theme(data, len(themes) + 1, theme.phrases)
            themes.append(named or theme)
        return Proposal(tuple(themes), notes=(
            *notes, "Large section: themes were proposed offline and named by the model."))

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None:
        try:
            data = self.ask("revise_quote", section_id, passage=passage.text, quote=quote,
                            reason=reason)
        except ReplyError:
            return None
        text = self.redactor.restore(str(data.get("text", "")))
        return text or None

    def answer_question(self, question: str, passages: Sequence[Passage], denominator: int,
                        noun: tuple[str, str], max_quotes: int) -> ProposedAnswer:
        """The model reads the passages, says which are relevant (those are counted) and
        proposes quotes; the prompt asks for at most three."""
        ids = {f"P{n}": p for n, p in enumerate(passages, 1)}
        try:
            data = self.ask("answer_question", "ask", question=question,
                            respondent_noun=noun[1], passages=passage_lines(ids))
        except ReplyError as exc:
            return ProposedAnswer(f"No answer: {exc}.", (), ())
        relevant = [ids[i] for i in data.get("relevant", []) if isinstance(i, str) and i in ids]
        quotes = [(ids.get(str(q.get("passage"))), str(q.get("text", "")))
                  for q in data.get("quotes", []) if isinstance(q, dict)]
        return ProposedAnswer(str(data.get("answer", "")).strip(), tuple(relevant),
                              tuple(quotes))


def passage_lines(ids: dict[str, Passage]) -> str:
    """One JSON object per line: the passage text is escaped, so it cannot break the format."""
    return "\n".join(json.dumps({"id": key, "who": p.respondent, "text": p.text},
                                ensure_ascii=False) for key, p in ids.items())


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
