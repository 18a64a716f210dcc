"""A small OpenAI-compatible server for a GGUF model, over cyllama's prebuilt llama.cpp (extra
'local'). The only module that imports cyllama. `--llm local` starts it on a free loopback port
(summariser.draft.llama) and drafts through the `openai` backend, so a local model and any
other server take one code path.

    python -m summariser.draft.llama_server --model PATH.gguf --port N [--ctx 8192]
                                            [--deadline 600] [--parent PID]

cyllama's wheel (MIT) carries llama.cpp compiled for manylinux, so nothing is compiled on
install; its own servers ignore `response_format` and do not apply the model's chat template,
so this one does what drafting needs and no more:
- POST /v1/chat/completions: the model's chat template; greedy decoding at temperature 0 (else
  temperature sampling from `seed`); `max_tokens` (or `max_completion_tokens`), with
  `finish_reason` "length" when it cuts the reply; `response_format` `json_object` with a
  `schema` (llama.cpp's form) or `json_schema` (OpenAI's): the schema becomes a llama.cpp
  grammar, so only tokens it allows are sampled; `usage` in tokens. One request at a time.
- GET /v1/models (the file's name and sha256, so a run log's cache key follows the file) and
  GET /health.
- A request that runs past `--deadline` seconds stops and gets HTTP 504, so a client that gave
  up does not leave the model busy for the next one. The server exits when `--parent` exits.
- The prompt's tokens shared with the previous request (the system prompt, mostly) are kept in
  the model's cache and not computed again.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

# llama.cpp's OpenMP threads spin while they wait; on a busy machine that slows generation
# from several tokens a second to under one. Passive waiting must be set before the import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class DeadlineExceeded(Exception):
    pass


class Model:
    """One llama.cpp model and context; `complete` is called by one request at a time."""

    def __init__(self, path: str, n_ctx: int, threads: int):
        from cyllama.llama import llama_cpp as ll

        ll.disable_logging()
        self.ll = ll
        self.model = ll.LlamaModel(path_model=path)
        self.vocab = self.model.get_vocab()
        params = ll.LlamaContextParams()
        params.n_ctx = n_ctx
        params.n_batch = 512
        params.n_threads = threads
        params.n_threads_batch = threads
        self.context = ll.LlamaContext(self.model, params, verbose=False)
        self.n_ctx = n_ctx
        self.template = self.model.get_default_chat_template()
        self.cached: list[int] = []  # the tokens the context holds now
        self.lock = threading.Lock()

    def prompt(self, messages: list[dict[str, str]]) -> list[int]:
        chat = [self.ll.LlamaChatMessage(role=m["role"], content=str(m.get("content") or ""))
                for m in messages]
        text = self.model.chat_apply_template(self.template, chat, True)
        return list(self.vocab.tokenize(text, add_special=True, parse_special=True))

    def _sampler(self, temperature: float, seed: int, grammar: str | None) -> Any:
        ll = self.ll
        sampler = ll.LlamaSampler(ll.LlamaSamplerChainParams())
        if grammar:
            sampler.add_grammar(self.vocab, grammar, "root")
        if temperature <= 0:
            sampler.add_greedy()
        else:
            sampler.add_temp(temperature)
            sampler.add_dist(seed)
        return sampler

    def _decode(self, tokens: list[int], position: int, deadline: float) -> None:
        """Feed `tokens` from `position`, in batches, checking the deadline between them."""
        step = 512
        for start in range(0, len(tokens), step):
            if time.monotonic() > deadline:
                raise DeadlineExceeded
            chunk = tokens[start:start + step]
            if self.context.decode(self.ll.llama_batch_get_one(chunk, position + start)) != 0:
                raise RuntimeError("llama.cpp could not decode the prompt")

    def complete(self, messages: list[dict[str, str]], max_tokens: int, temperature: float,
                 seed: int, schema: dict[str, Any] | None, stop: list[str],
                 deadline: float) -> tuple[str, str, int, int]:
        """(text, finish reason, prompt tokens, completion tokens)."""
        tokens = self.prompt(messages)
        if len(tokens) + max_tokens > self.n_ctx:
            raise ValueError(f"the request needs {len(tokens) + max_tokens} tokens of context "
                             f"and the server has {self.n_ctx}")
        grammar = self.ll.json_schema_to_grammar(json.dumps(schema)) if schema else None
        with self.lock:
            # Keep what the context already holds of this prompt; compute the rest.
            shared = 0
            for a, b in zip(self.cached, tokens[:-1]):
                if a != b:
                    break
                shared += 1
            self.context.memory_seq_rm(0, shared, -1)
            self.cached = self.cached[:shared]
            self._decode(tokens[shared:], shared, deadline)
            self.cached = list(tokens)
            sampler = self._sampler(temperature, seed, grammar)
            pieces: list[str] = []
            finish = "length"
            for _ in range(max_tokens):
                if time.monotonic() > deadline:
                    raise DeadlineExceeded
                token = sampler.sample(self.context, -1)
                if self.vocab.is_eog(token):
                    finish = "stop"
                    break
                pieces.append(self.vocab.token_to_piece(token, 0, False))
                text = "".join(pieces)
                if stop and any(s in text for s in stop):
                    finish = "stop"
                    break
                self._decode([token], len(self.cached), deadline)
                self.cached.append(token)
            text = "".join(pieces)
            for s in stop:
                text = text.split(s)[0]
            return text, finish, len(tokens), len(pieces)


def _schema(response_format: Any) -> dict[str, Any] | None:
    if not isinstance(response_format, dict):
        return None
    if response_format.get("type") == "json_schema":
        return (response_format.get("json_schema") or {}).get("schema") or {"type": "object"}
    if response_format.get("type") == "json_object":
        return response_format.get("schema") or {"type": "object"}
    return None


def make_handler(model: Model, name: str, deadline_s: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.rstrip("/")
            if path == "/health":
                return self._send(200, {"status": "ok"})
            if path in ("/v1/models", "/models"):
                return self._send(200, {"object": "list", "data": [
                    {"id": name, "object": "model", "created": 0, "owned_by": "summariser"}]})
            self._send(404, {"error": {"message": f"no {self.path}", "type": "not_found"}})

        def do_POST(self) -> None:
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            except (ValueError, json.JSONDecodeError):
                return self._send(400, {"error": {"message": "the body is not JSON",
                                                  "type": "invalid_request_error"}})
            if not self.path.rstrip("/").endswith("/chat/completions"):
                return self._send(404, {"error": {"message": f"no {self.path}",
                                                  "type": "not_found"}})
            started = time.monotonic()
            try:
                stop = body.get("stop") or []
                text, finish, prompt_tokens, completion_tokens = model.complete(
                    body["messages"],
                    int(body.get("max_tokens") or body.get("max_completion_tokens") or 512),
                    float(body.get("temperature") or 0.0), int(body.get("seed") or 0),
                    _schema(body.get("response_format")), [stop] if isinstance(stop, str)
                    else list(stop), started + deadline_s)
            except DeadlineExceeded:
                return self._send(504, {"error": {
                    "message": f"the reply took longer than {deadline_s:.0f} s",
                    "type": "timeout"}})
            except (KeyError, TypeError, ValueError) as exc:
                return self._send(400, {"error": {"message": str(exc),
                                                  "type": "invalid_request_error"}})
            self._send(200, {
                "id": f"chatcmpl-{int(started * 1000)}", "object": "chat.completion",
                "created": int(time.time()), "model": name,
                "choices": [{"index": 0, "finish_reason": finish,
                             "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                          "total_tokens": prompt_tokens + completion_tokens}})

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

    return Handler


def _watch_parent(parent: int, server: HTTPServer) -> None:
    """Stop serving when the process that started the server is gone."""
    while True:
        time.sleep(1)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            server.shutdown()
            return
        except PermissionError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--name", default="", help="the model id /v1/models gives")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ctx", type=int, default=8192)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--deadline", type=float, default=600.0,
                        help="seconds a request may take before it is stopped")
    parser.add_argument("--parent", type=int, default=0, help="exit when this process exits")
    args = parser.parse_args(argv)
    model = Model(args.model, args.ctx, args.threads)
    server = HTTPServer((args.host, args.port), make_handler(
        model, args.name or os.path.basename(args.model), args.deadline))
    if args.parent:
        threading.Thread(target=_watch_parent, args=(args.parent, server), daemon=True).start()
    print(f"serving {args.model} on http://{args.host}:{args.port}/v1", file=sys.stderr,
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
