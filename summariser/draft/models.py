"""Chat models behind one LangChain interface: the factory, its credentials, and the test guard.

- `openai` (or any provider LangChain's `init_chat_model` knows, as 'provider:model'):
  OPENAI_API_KEY, --model, and --base-url for any OpenAI-compatible server.
- `local`: a GGUF model run in-process by llama-cpp-python (summariser.draft.llama).
The API key is read from the environment by the SDK and never passed through our own code,
logs or the run log.

A chat model that runs in this process declares it with a class attribute `runs_locally = True`
(the llama.cpp adapter, and the fake in summariser.testing): its prompts are not redacted, since
nothing leaves the machine, and it is given a smaller context and no JSON mode.
"""

from __future__ import annotations

import os
from typing import Any

from summariser.errors import ModelError

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"

_requests_allowed = True


def block_model_requests(blocked: bool = True) -> None:
    """Tests call this so that constructing a real model fails loudly instead of calling out."""
    global _requests_allowed
    _requests_allowed = not blocked


def _check_allowed(what: str) -> None:
    if not _requests_allowed:
        raise ModelError(f"Real model requests are blocked (tests): refused to create {what}")


def make_chat_model(backend: str, model: str | None = None, base_url: str | None = None,
                    timeout: float = 120.0, max_retries: int = 4) -> Any:
    """A LangChain chat model for the backend. Temperature 0: drafts should be repeatable."""
    if backend == "local":
        return local_chat_model(model)
    if backend != "openai":
        raise ModelError(f"The '{backend}' backend has no chat model; use openai or local")
    provider, bare = check_credentials(model)
    _check_allowed(f"a {provider} chat model")
    from langchain.chat_models import init_chat_model

    options: dict[str, Any] = {"temperature": 0, "timeout": timeout, "max_retries": max_retries}
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


def local_chat_model(model: str | None, n_ctx: int = 8192) -> Any:
    """The llama.cpp chat model for a GGUF file (`model`) or the default one."""
    from summariser.draft.llama import LlamaCppChatModel, gguf_path

    path = gguf_path(model)
    _check_allowed("a local llama.cpp model")
    return LlamaCppChatModel(model_path=str(path), n_ctx=n_ctx)


def model_name(model: Any) -> str:
    return str(getattr(model, "model_name", None) or getattr(model, "model", None)
               or type(model).__name__)


def is_local(model: Any) -> bool:
    """Does the chat model run in this process (see the module docstring)?"""
    return getattr(model, "runs_locally", False) is True
