"""Chat models behind one LangChain interface: the factory, its credentials, what each provider
takes, and the test guard.

- `openai` (or any provider LangChain's `init_chat_model` knows, as 'provider:model'):
  OPENAI_API_KEY, --model, and --base-url for any OpenAI-compatible server.
- `local`: a GGUF model behind our llama.cpp server on a loopback port (summariser.draft.llama),
  reached as any OpenAI-compatible server is.
The API key is read from the environment by the SDK and never passed through our own code,
logs or the run log; error messages are scrubbed of it before they are shown or logged.

Retries are not left to the SDK (its attempts are invisible): the SDK makes one attempt per
call, and the backend retries through LangChain (`with_retry`), so that every failed attempt
reaches the run log. `--timeout` is per attempt: 25 s by default for a remote API, 300 s for a
server on this machine (a small model on two busy cores takes 15-35 s a call, and a long prompt
minutes). A server at a custom address is asked for its models first, within
`PROBE_TIMEOUT_S`: a dead one fails there, in one line, whatever the timeout.

A chat model that runs in this process declares it with a class attribute `runs_locally = True`
(the fake in summariser.testing): its prompts are not redacted, since nothing leaves the
machine; nor are those sent to the local backend's own server.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from summariser.errors import ModelError

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT_S = 25.0
LOCAL_TIMEOUT_S = 300.0
PROBE_TIMEOUT_S = 10.0
DEFAULT_RETRIES = 1
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

_requests_allowed = True


def block_model_requests(blocked: bool = True) -> None:
    """Tests call this so that constructing a real model fails loudly instead of calling out."""
    global _requests_allowed
    _requests_allowed = not blocked


def _check_allowed(what: str) -> None:
    if not _requests_allowed:
        raise ModelError(f"Real model requests are blocked (tests): refused to create {what}")


def default_timeout(backend: str, base_url: str | None = None) -> float:
    """Seconds per attempt when --timeout is not given (see the module docstring)."""
    url = base_url or os.environ.get("OPENAI_BASE_URL") or ""
    on_this_machine = any(f"//{host}" in url for host in _LOOPBACK)
    return LOCAL_TIMEOUT_S if backend == "local" or on_this_machine else DEFAULT_TIMEOUT_S


def make_chat_model(backend: str, model: str | None = None, base_url: str | None = None,
                    timeout: float = DEFAULT_TIMEOUT_S, api_key: str | None = None) -> Any:
    """A LangChain chat model for the backend. Temperature 0: drafts should be repeatable.
    `api_key` is given only for the local backend's own server (it checks none)."""
    if backend != "openai":
        raise ModelError(f"The '{backend}' backend has no chat model of its own; use openai")
    provider, bare = (("openai", model or "local") if api_key else check_credentials(model))
    _check_allowed(f"a {provider} chat model")
    from langchain.chat_models import init_chat_model

    options: dict[str, Any] = {"temperature": 0, "timeout": timeout, "max_retries": 0}
    if api_key:
        options["api_key"] = api_key
    if base_url or (provider == "openai" and os.environ.get("OPENAI_BASE_URL")):
        options["base_url"] = base_url or os.environ["OPENAI_BASE_URL"]
    try:
        return init_chat_model(bare, model_provider=provider, **options)
    except ImportError as exc:
        raise ModelError(f"Provider '{provider}' needs its LangChain package: {exc}") from None


def check_credentials(model: str | None) -> tuple[str, str]:
    """(provider, model) for the openai backend; fails at once when the API key is missing."""
    name = model or DEFAULT_OPENAI_MODEL
    provider, _, bare = name.partition(":")
    if not bare:
        provider, bare = "openai", name
    if provider == "openai" and not os.environ.get("OPENAI_API_KEY"):
        raise ModelError("The openai backend needs an API key: set OPENAI_API_KEY (and "
                         "OPENAI_BASE_URL or --base-url for an OpenAI-compatible server)")
    return provider, bare


def check_local_allowed() -> None:
    _check_allowed("a local llama.cpp model server")


def model_name(model: Any) -> str:
    return str(getattr(model, "model_name", None) or getattr(model, "model", None)
               or type(model).__name__)


def is_local(model: Any) -> bool:
    """Does the chat model run in this process (see the module docstring)?"""
    return getattr(model, "runs_locally", False) is True


def _is_openai(model: Any) -> bool:
    return any(c.__name__ in ("ChatOpenAI", "AzureChatOpenAI") for c in type(model).__mro__)


def openai_base_url(model: Any) -> str | None:
    return getattr(model, "openai_api_base", None) if _is_openai(model) else None


def request_options(model: Any, schema: dict[str, Any], name: str, max_tokens: int
                    ) -> dict[str, Any]:
    """Per-call parameters the model's provider takes: a token limit and, where the runtime
    holds a reply to a JSON schema, the schema. Other providers get neither (a parameter they
    do not know is an error for some), and their replies are read by the tolerant parser.

    OpenAI itself takes `json_schema` and `max_completion_tokens` (LangChain renames
    `max_tokens`); an OpenAI-compatible server at another address (llama.cpp, vLLM) takes
    llama.cpp's form, `json_object` with a `schema`, and `max_tokens`: llama.cpp's server
    ignores `max_completion_tokens` and would generate without limit.

    The format goes in the request's body as it is (`extra_body`), not as LangChain's
    `response_format`: that sends the call through the SDK's `parse`, which raises on a reply
    cut at its token limit instead of returning it, and a cut reply must be asked again."""
    if not _is_openai(model):
        return {}
    base = openai_base_url(model)
    if base is None or "api.openai.com" in base:
        return {"max_tokens": max_tokens, "extra_body": {"response_format": {
            "type": "json_schema", "json_schema": {"name": name, "schema": schema,
                                                   "strict": False}}}}
    return {"extra_body": {"max_tokens": max_tokens, "response_format": {
        "type": "json_object", "schema": schema}}}


def model_identity(model: Any) -> str:
    """What the run log's cache key knows the model by: a local file's sha256, or the model
    name and the server's own model ids at a custom address (so another model served under the
    same name is not answered from the cache)."""
    identity = getattr(model, "identity", None)
    if isinstance(identity, str):
        return identity
    base = openai_base_url(model)
    if base and "api.openai.com" not in base:
        return f"{model_name(model)}@{base} served as {','.join(_server_models(model))}"
    return model_name(model)


def _server_models(model: Any) -> list[str]:
    """The server's model ids; a server that cannot be reached, or does not answer within
    PROBE_TIMEOUT_S, fails the run now (a dead server must not cost minutes of timeouts)."""
    import openai

    try:
        client = model.root_client.with_options(timeout=PROBE_TIMEOUT_S, max_retries=0)
        return sorted(m.id for m in client.models.list())
    except openai.APIConnectionError as exc:  # refused, unreachable, or silent (a timeout)
        raise ModelError(f"The server at {openai_base_url(model)} did not answer within "
                         f"{PROBE_TIMEOUT_S:.0f} s ({one_line_error(exc)}); check that it is "
                         "running and the address") from None
    except Exception:  # a server without /models: the name and address must do
        return ["?"]


def generation_params(model: Any) -> dict[str, Any]:
    """Every generation parameter the model reports (sampling, limits, penalties), without
    transport settings, which change no reply."""
    transport = {"timeout", "request_timeout", "max_retries", "streaming", "n", "http_client",
                 "default_headers", "base_url", "openai_api_base", "model_path", "model"}
    params = getattr(model, "_identifying_params", {}) or {}
    return {k: v for k, v in sorted(params.items())
            if k not in transport and isinstance(v, (str, int, float, bool, type(None)))}


def retryable_errors(model: Any) -> tuple[type[BaseException], ...]:
    """Errors worth another attempt: timeouts, lost connections, rate limits, server errors."""
    errors: list[type[BaseException]] = [TimeoutError, ConnectionError]
    try:
        import openai

        errors += [openai.APIConnectionError, openai.RateLimitError,
                   openai.InternalServerError]
    except ImportError:
        pass
    return tuple(errors)


def retry_after(exc: BaseException) -> float | None:
    """The seconds a server asked a client to wait before trying again (the Retry-After header,
    in seconds or as a date, or OpenAI's retry-after-ms), or None when it did not say."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if not value:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        when = parsedate_to_datetime(value)
        return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())
    except (TypeError, ValueError):
        return None


_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+|api[_-]?key[=:]\s*\S+)", re.I)


def one_line_error(exc: BaseException) -> str:
    """A failed call in one line, without credentials: the error's type and first line (a
    server's error body can echo the key it was sent)."""
    text = " ".join(str(exc).split())[:240] or type(exc).__name__
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        text = text.replace(key, "[key]")
    return f"{type(exc).__name__}: {_SECRET.sub('[key]', text)}"
