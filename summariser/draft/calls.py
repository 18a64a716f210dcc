"""One prompt as a LangChain runnable: template -> redact -> model (or the run log) -> typed reply.

- The template is a `ChatPromptTemplate` built from the prompt file (its variables checked both
  ways when the file is loaded, and again against the template's).
- The model is called with only the parameters its provider takes (summariser.draft.models
  `request_options`): a token limit sized to the request and, where the runtime supports it, the
  reply's JSON schema. Transport failures (timeouts, lost connections, rate limits, server
  errors) are tried again, after the wait the server asked for (Retry-After) or a short
  exponential back-off; every attempt, failed or not, is written to the run log by
  `RunLogHandler`, a LangChain callback handler.
- The reply is parsed into the prompt's pydantic model (summariser.draft.replies). When it does
  not fit, the model is asked once more with the error; a second failure raises ReplyError. A
  reply cut off at its token limit is asked again at the same limit (never more: the limit may
  be the user's) with a shorter request: the cut reply is not sent back, the passages shown are
  halved, and the model is told to write less. An unusable reply is marked in the run log and
  never served from its cache.
- A call that fails after its retries raises ModelError with one line, without credentials; a
  rate limit says how long the server asked to wait.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel

from summariser.draft.models import (
    generation_params,
    one_line_error,
    request_options,
    retry_after,
    retryable_errors,
)
from summariser.draft.prompts import Prompt, PromptError, load_prompt
from summariser.draft.redact import Redactor
from summariser.draft.replies import REPLIES, ReplyError, parse_reply, reply_schema
from summariser.draft.runlog import RunLog, cache_key
from summariser.errors import ModelError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}
BACKOFF_MAX = 4.0  # seconds between attempts when the server does not say how long to wait
MAX_WAIT = 30.0  # a server that asks for a longer wait fails the call now, with its error
_sleep = time.sleep  # tests record the waits instead


def prompt_template(prompt: Prompt) -> ChatPromptTemplate:
    """The prompt file as a ChatPromptTemplate; its variables must be the declared ones."""
    template = ChatPromptTemplate.from_messages([("system", prompt.system),
                                                 ("human", prompt.user)])
    if set(template.input_variables) != set(prompt.variables):
        raise PromptError(f"Prompt '{prompt.name}': the template's variables "
                          f"{sorted(template.input_variables)} are not the declared "
                          f"{sorted(prompt.variables)}; make the prompt file's text and its "
                          "variables list agree")
    return template


def as_request(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, m.type), "content": str(m.content)} for m in messages]


class RunLogHandler(BaseCallbackHandler):
    """Writes every model attempt to the run log, as LangChain reports it.

    The step's details (section, prompt, cache key, parameters) come in the call's metadata; the
    row id of the last usable attempt of a call is kept, so a reply that fails to parse can be
    marked afterwards."""

    def __init__(self, runlog: RunLog, run_id: str, model: str):
        self.runlog, self.run_id, self.model = runlog, run_id, model
        self._started: dict[Any, tuple[float, dict[str, Any], list[dict[str, str]]]] = {}
        self.rows: dict[str, int] = {}
        self._lock = Lock()

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]],
                            *, run_id: Any, metadata: dict[str, Any] | None = None,
                            **kwargs: Any) -> None:
        with self._lock:
            self._started[run_id] = (time.perf_counter(), dict(metadata or {}),
                                     as_request(messages[0]))

    def remember(self, call: str, row: int) -> None:
        """The row of a call logged without the model (a reply served from the cache)."""
        with self._lock:
            self.rows[call] = row

    def on_llm_end(self, response: Any, *, run_id: Any, **kwargs: Any) -> None:
        started, meta, request = self._pop(run_id)
        if not meta:
            return
        message = response.generations[0][0].message
        usage = getattr(message, "usage_metadata", None) or {}
        row = self._record(meta, request, started, str(message.content),
                           usage.get("input_tokens"), usage.get("output_tokens"), "ok", None)
        self.remember(meta["call"], row)

    def on_llm_error(self, error: BaseException, *, run_id: Any, **kwargs: Any) -> None:
        started, meta, request = self._pop(run_id)
        if meta:
            self._record(meta, request, started, "", None, None, "failed",
                         one_line_error(error))

    def _pop(self, run_id: Any) -> tuple[float, dict[str, Any], list[dict[str, str]]]:
        with self._lock:
            return self._started.pop(run_id, (time.perf_counter(), {}, []))

    def _record(self, meta: dict[str, Any], request: list[dict[str, str]], started: float,
                response: str, input_tokens: int | None, output_tokens: int | None,
                status: str, error: str | None) -> int:
        return self.runlog.record(
            run_id=self.run_id, section=meta["section"], prompt_name=meta["prompt"],
            prompt_sha256=meta["prompt_sha256"], model=self.model, params=meta["params"],
            request=request, response=response, input_tokens=input_tokens,
            output_tokens=output_tokens, latency_ms=(time.perf_counter() - started) * 1000,
            key=meta["key"], cached=False, status=status, error=error)


@dataclass(frozen=True)
class CallContext:
    """What every step of one backend shares."""

    chat_model: Any
    identity: str  # the model's identity for the cache key (file hash, server model ids)
    runlog: RunLog
    run_id: str
    handler: RunLogHandler
    redactor: Redactor
    use_cache: bool
    retries: int
    max_tokens_cap: int | None  # the user's ceiling on any one reply


class Step:
    """One prompt: `runnable` takes {"section": ..., "values": {...}} and returns the reply as
    the prompt's pydantic model (see the module docstring)."""

    def __init__(self, name: str, context: CallContext, max_tokens: Callable[[dict], int]):
        """`max_tokens(values)`: the reply's limit for a request's values."""
        self.name = name
        self.context = context
        self.prompt = load_prompt(name)
        self.reply_model: type[BaseModel] = REPLIES[name]
        self.schema = reply_schema(self.reply_model)
        self.template = prompt_template(self.prompt)
        self.max_tokens = max_tokens
        self.runnable: Runnable = RunnableLambda(self._run, name=f"{name}_step")
        self._calls: dict[int, str] = {}  # id of a usable reply: its call (see `note`)
        self._lock = Lock()

    def _run(self, step: dict[str, Any]) -> BaseModel:
        values = step["values"]
        messages = self.template.invoke(values).to_messages()
        messages = [m if m.type == "system" else HumanMessage(
            self.context.redactor.redact(str(m.content))) for m in messages]
        limit = self.max_tokens(values)
        if self.context.max_tokens_cap:
            limit = min(limit, self.context.max_tokens_cap)
        text, truncated, call = self._complete(step["section"], messages, limit)
        try:
            return self._logged(parse_reply(text, self.reply_model, truncated), call)
        except ReplyError as first:
            self._mark_invalid(call, str(first))
            if truncated:
                again = self._shorter(values, limit)
            else:
                again = [*messages, AIMessage(text), HumanMessage(
                    f"Your reply could not be used: {first}. Reply again with only the JSON "
                    "object asked for.")]
            text, truncated, call = self._complete(step["section"], again, limit)
            try:
                return self._logged(parse_reply(text, self.reply_model, truncated), call)
            except ReplyError as second:
                self._mark_invalid(call, str(second))
                raise ReplyError(f"the model's reply to '{self.name}' could not be used after "
                                 f"one re-ask: {second}") from None

    def _shorter(self, values: dict[str, Any], limit: int) -> list[BaseMessage]:
        """The request again for a reply that was cut at `limit` tokens: half the passages
        (the first ones; a line each), and a word to write less."""
        lines = str(values.get("passages", "")).split("\n")
        fewer = {**values, "passages": "\n".join(lines[:max(1, len(lines) // 2)])} \
            if "passages" in values else values
        messages = self.template.invoke(fewer).to_messages()
        note = (f"\n\nYour last reply to this was cut off at its limit of {limit} tokens. "
                "Write a shorter reply: fewer words in every field, and only the JSON object.")
        return [m if m.type == "system" else HumanMessage(
            self.context.redactor.redact(str(m.content)) + (note if m is messages[-1] else ""))
            for m in messages]

    def _complete(self, section: str, messages: list[BaseMessage], limit: int
                  ) -> tuple[str, bool, str | None]:
        """(reply text, cut off?, call id) from the run log's cache or the model."""
        context = self.context
        options = request_options(context.chat_model, self.schema, self.name, limit)
        params = {**generation_params(context.chat_model), **options, "max_tokens": limit}
        request = as_request(messages)
        key = cache_key(context.identity, params, request)
        hit = context.runlog.cached(key) if context.use_cache else None
        if hit:
            text, input_tokens, output_tokens = hit
            row = context.runlog.record(
                run_id=context.run_id, section=section, prompt_name=self.name,
                prompt_sha256=self.prompt.sha256, model=context.handler.model, params=params,
                request=request, response=text, input_tokens=input_tokens,
                output_tokens=output_tokens, latency_ms=0.0, key=key, cached=True)
            call = uuid.uuid4().hex
            context.handler.remember(call, row)  # so `note` writes beside this run's row too
            return text, False, call
        call = uuid.uuid4().hex
        config = {"callbacks": [context.handler], "run_name": self.name, "metadata": {
            "call": call, "section": section, "prompt": self.name,
            "prompt_sha256": self.prompt.sha256, "params": params, "key": key}}
        try:
            reply = self._invoke(options, messages, config)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"The model call for '{self.name}' ({section}) failed: "
                             f"{one_line_error(exc)}; check the server, the model name and "
                             "the key, or allow more with --timeout and --retries") from None
        text = reply.content if isinstance(reply.content, str) else str(reply.content)
        finish = (getattr(reply, "response_metadata", None) or {}).get("finish_reason")
        return text, finish == "length", call

    def _invoke(self, options: dict[str, Any], messages: list[BaseMessage],
                 config: dict[str, Any]) -> BaseMessage:
        """The chat model's reply with this request's parameters; a transport failure is tried
        again (`retries` times) after the wait the server asked for, or a short back-off."""
        model = self.context.chat_model
        bound = model.bind(**options) if options else model
        retryable = retryable_errors(model)
        for attempt in range(self.context.retries + 1):
            try:
                return bound.invoke(messages, config=config)
            except retryable as exc:
                asked = retry_after(exc)
                wait = asked if asked is not None else min(
                    BACKOFF_MAX, 2.0 ** attempt) + random.uniform(0, 0.5)
                if asked is not None and (wait > MAX_WAIT or attempt == self.context.retries):
                    then = f", longer than the {MAX_WAIT:.0f} s this waits; try again after " \
                        "that" if wait > MAX_WAIT else \
                        f" after attempt {attempt + 1}; allow more with --retries"
                    raise ModelError(
                        f"The model call for '{self.name}' ({config['metadata']['section']}) "
                        f"failed: {one_line_error(exc)}; the server asked to wait "
                        f"{asked:.0f} s{then}") from None
                if attempt == self.context.retries:
                    raise
                _sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _logged(self, reply: BaseModel, call: str | None) -> BaseModel:
        """The reply, remembered with its call so `note` can write beside it in the run log."""
        if call is not None:
            with self._lock:
                self._calls[id(reply)] = call
        return reply

    def note(self, reply: BaseModel, text: str) -> None:
        """Write what code found in a usable reply (ids it invented or left out) in the run log,
        beside the call; the reply stays usable (status "ok")."""
        with self._lock:
            call = self._calls.pop(id(reply), None)
        row = self.context.handler.rows.get(call) if call else None
        if row is not None:
            self.context.runlog.set_status(row, "ok", text)

    def _mark_invalid(self, call: str | None, error: str) -> None:
        row = self.context.handler.rows.get(call) if call else None
        if row is not None:
            self.context.runlog.set_status(row, "invalid", error)
