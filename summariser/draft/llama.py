"""The `local` backend's chat model: a GGUF model run in-process by llama-cpp-python, behind
LangChain's chat model interface. The only module that imports llama_cpp (extra 'local').

By default the model is Qwen2.5-Coder-1.5B-Instruct from PyPI (summariser.draft.packaged).
A reply can be held to a JSON schema (`response_format={"type": "json_object", "schema": ...}`):
llama.cpp then samples only tokens the schema's grammar allows. Measured on 2 busy cores with
the 1.5B model (benchmarks/grammar.py), that is within the noise of free generation (2.8-7.5
tokens/s held to the schema, 2.3-9.3 free), so every local call is held to its schema.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, ClassVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

from summariser.draft.packaged import DEFAULT_LOCAL_MODEL, PACKAGED, file_identity, packaged_path
from summariser.errors import MissingDependency, ModelError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def gguf_path(model: str | None, progress: bool = True) -> Path:
    """The model file to run: `model` (a path, or a packaged model's name) or the default; fails
    at once when the extra is missing or the file is not there."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise MissingDependency("llama-cpp-python", "local", "The local backend")
    # llama.cpp's OpenMP threads spin while waiting; on a busy machine generation then slows
    # from tens of tokens a second to under one. Passive waiting must be set before the import.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    name = model or DEFAULT_LOCAL_MODEL
    if name in PACKAGED:
        return packaged_path(PACKAGED[name], progress)
    path = Path(name)
    if not path.is_file():
        raise ModelError(f"No GGUF model at {path}; pass --model PATH.gguf or one of "
                         f"{', '.join(PACKAGED)}")
    return path


class LlamaCppChatModel(BaseChatModel):
    """A LangChain chat model over llama-cpp-python (langchain-community is not used).

    One llama.cpp context is not safe to use from two threads: calls take turns."""

    runs_locally: ClassVar[bool] = True  # see summariser.draft.models.is_local
    model_path: str
    n_ctx: int = 8192
    max_tokens: int = 512
    temperature: float = 0.0
    repeat_penalty: float = 1.1
    seed: int = 0
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def model_name(self) -> str:
        return Path(self.model_path).name

    @property
    def identity(self) -> str:
        """What the run log's cache key knows the model by: the file's sha256."""
        return f"sha256:{file_identity(Path(self.model_path))}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.identity, "n_ctx": self.n_ctx, "max_tokens": self.max_tokens,
                "temperature": self.temperature, "repeat_penalty": self.repeat_penalty,
                "seed": self.seed}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        with self._lock:
            if self._llama is None:
                from llama_cpp import Llama

                self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx,
                                    n_threads=os.cpu_count() or 2, verbose=False,
                                    seed=self.seed)
            reply = self._llama.create_chat_completion(
                messages=[{"role": _ROLES.get(m.type, "user"), "content": m.content}
                          for m in messages],
                temperature=self.temperature, max_tokens=kwargs.get("max_tokens",
                                                                     self.max_tokens),
                stop=stop, repeat_penalty=self.repeat_penalty, seed=self.seed,
                response_format=kwargs.get("response_format"))
        usage = reply.get("usage") or {}
        choice = reply["choices"][0]
        message = AIMessage(
            content=choice["message"]["content"] or "",
            response_metadata={"finish_reason": choice.get("finish_reason"),
                               "model_name": self.model_name},
            usage_metadata={"input_tokens": usage.get("prompt_tokens", 0),
                            "output_tokens": usage.get("completion_tokens", 0),
                            "total_tokens": usage.get("total_tokens", 0)})
        return ChatResult(generations=[ChatGeneration(message=message)])
