"""Fakes for fast tests. They live in the package so every test uses the same ones.

Integration tests use the real embedder, a real Chroma store and a real HTTP server instead.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    import threading
    from http.server import ThreadingHTTPServer


class HashEmbedder:
    """Deterministic bag-of-words vectors: similar wording gives similar vectors, no model needed.

    `pause_after` batches, it calls `on_pause` (tests use it to kill or interrupt an ingest).
    """

    name = "hash-embedder-test"
    dimension = 64

    def __init__(self, pause_after: int | None = None,
                 on_pause: Callable[[], None] | None = None):
        self.calls = 0
        self._pause_after = pause_after
        self._on_pause = on_pause

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._pause_after is not None and self.calls >= self._pause_after and self._on_pause:
            self._on_pause()
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dimension
                vectors[row, bucket] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def touch_and_wait(marker: Path, seconds: float = 60.0) -> Callable[[], None]:
    """An `on_pause` that signals a watching test, then stalls until the test kills the process."""

    def pause() -> None:
        marker.write_text("paused")
        time.sleep(seconds)

    return pause


def fake_chat_model(reply: Callable[[str, str], str] | Sequence[str]):
    """A LangChain chat model that never leaves the process.

    `reply` is either a function of (system prompt, user prompt) returning the reply text, or a
    queue of canned replies used in order. `.calls` records every (system, user) it was sent.
    """
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
    from pydantic import PrivateAttr

    class FakeChatModel(BaseChatModel):
        runs_locally: ClassVar[bool] = True  # it never leaves the process: nothing to redact
        model_name: str = "fake-chat"
        _calls: list = PrivateAttr(default_factory=list)
        _kwargs: list = PrivateAttr(default_factory=list)
        _queue: list = PrivateAttr(default_factory=list)

        @property
        def _llm_type(self) -> str:
            return "fake-function-chat"

        @property
        def calls(self) -> list[tuple[str, str]]:
            return self._calls

        @property
        def call_kwargs(self) -> list[dict]:
            """The extra parameters each call was given (response_format, max_tokens, ...)."""
            return self._kwargs

        def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
            system, user = messages[0].content, messages[-1].content
            self._calls.append((system, user))
            self._kwargs.append(dict(kwargs))
            if callable(reply):
                text = reply(system, user)
            elif self._queue:
                text = self._queue.pop(0)
            else:
                raise AssertionError(f"fake chat model: no canned reply left for call "
                                     f"{len(self._calls)}")
            words = len(system.split()) + len(user.split())
            message = AIMessage(content=text, usage_metadata={
                "input_tokens": words, "output_tokens": len(text.split()),
                "total_tokens": words + len(text.split())})
            return ChatResult(generations=[ChatGeneration(message=message)])

    model = FakeChatModel()
    if not callable(reply):
        model._queue.extend(reply)
    return model


class OpenAICompatibleServer:
    """A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol.

    `reply(system, user) -> str` writes each answer (or `(text, finish_reason)`, such as
    "length" for a reply cut at its token limit); `fail_first` requests get HTTP
    `fail_status` (429 unless told, with a Retry-After of `retry_after` seconds) with
    `fail_body` first, to exercise retries and error messages. `requests` keeps each parsed
    request body and its headers. Use it as a context manager; `.base_url` is what a client is
    given.
    """

    def __init__(self, reply: Callable[[str, str], str | tuple[str, str]], fail_first: int = 0,
                 fail_status: int = 429, fail_body: dict | None = None, retry_after: str = "0"):
        self.reply = reply
        self.retry_after = retry_after
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.fail_body = fail_body or {"error": {"message": "rate limited",
                                                 "type": "rate_limit"}}
        self.requests: list[tuple[dict, dict]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> OpenAICompatibleServer:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append((body, {k.lower(): v for k, v in self.headers.items()}))
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": "not found"}})
                if outer.fail_first > 0:
                    outer.fail_first -= 1
                    return self._send(outer.fail_status, outer.fail_body)
                messages = body["messages"]
                system = next((m["content"] for m in messages if m["role"] == "system"), "")
                user = messages[-1]["content"]
                text = outer.reply(system, user)
                finish = "stop"
                if isinstance(text, tuple):
                    text, finish = text
                prompt_tokens = sum(len(m["content"].split()) for m in messages)
                self._send(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": finish,
                                 "message": {"role": "assistant", "content": text}}],
                    "usage": {"prompt_tokens": prompt_tokens,
                              "completion_tokens": len(text.split()),
                              "total_tokens": prompt_tokens + len(text.split())}})

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", outer.retry_after)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test): as a real server would

        server = self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def _running(self) -> ThreadingHTTPServer:
        if self._server is None:
            raise RuntimeError("the server is not running: use it in a with statement")
        return self._server

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._running().server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        server = self._running()
        server.shutdown()
        server.server_close()


def echo_first_passages(system: str, user: str) -> str:
    """A scripted 'model' for the drafting prompts.

    name_theme: names the theme after the longest word of its first passage. draft_section: its
    first theme is named after the longest word of the first passage that another person used
    too, assigned every passage using it and described by their longest words (not in an
    answer's words, which no description may repeat); its second theme is assigned one
    unrelated passage and an invented passage id, both of which code must stop.
    place_passages: places nothing. revise_quote: the passage's first six words. A re-ask gets
    an empty object."""
    import json

    if user.startswith("Your reply could not be used"):
        return "{}"
    if "You correct quotations" in system:
        passage = user.split("<passage>\n", 1)[1].split("\n</passage>", 1)[0]
        return json.dumps({"text": " ".join(passage.split()[:6])})
    lines = [json.loads(line) for line in user.split("<passages>\n", 1)[-1]
             .split("\n</passages>", 1)[0].splitlines() if line.startswith("{")]
    if "was not placed in any" in system:
        return json.dumps({"placements": [{"passage": line["id"], "theme": "none"}
                                          for line in lines]})
    first, *rest = lines
    word = max(re.findall(r"[A-Za-z]+", first["text"]), key=len).lower()
    if "Name the idea they share" in system:
        return json.dumps({"title": f"Progress with {word}",
                           "description": f"Answers about {word}."})
    shared = [w for w in re.findall(r"[a-z]+", first["text"].lower()) if any(
        w in line["text"].lower() for line in rest if line["who"] != first["who"])]
    word = max(shared, key=len, default=word)
    chosen = [line for line in lines if word in line["text"].lower()]
    keywords = {max(re.findall(r"[a-z]+", line["text"].lower()), key=len) for line in chosen}
    return json.dumps({"themes": [
        {"title": f"Progress with {word}",
         "description": f"Answers about {', '.join(sorted(keywords | {word}))}.",
         "passages": [line["id"] for line in chosen]},
        {"title": "Altered wording", "description": "One unrelated passage.",
         "passages": [line["id"] for line in rest[-1:]] + ["P999"]}]})
