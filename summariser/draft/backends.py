"""The drafting backends by name: one registry that drafting, `ask --answer` and the CLI's list of
choices all read. Even the built-in backends are registered the same way as any other.

A backend is anything with the `Backend` protocol (summariser.draft.section). `factory(manifest,
options, run_id)` makes one for a run; the optional `check(options)` runs before any work, so a
missing API key is reported before an ingest or a draft has cost anything.

Installed packages add backends through the entry point group "summariser.backends"
(`summariser.plugins`): the entry point's name is the backend's, and what it names is either such
a factory or a `RegisteredBackend` (a factory and its check). It is imported when its name is
first used; a registered name (the built-ins') is never a plugin's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from summariser.draft.models import DEFAULT_RETRIES
from summariser.draft.runlog import runlog_for
from summariser.errors import ModelError
from summariser.plugins import BACKENDS, installed, load

if TYPE_CHECKING:
    from summariser.draft.section import Backend
    from summariser.project.manifest import Manifest


@dataclass(frozen=True)
class LLMOptions:
    """How to reach and use a model. `task`: "name" (the model names offline themes), "draft"
    (it drafts each section in one call), "discover" (it finds the section's themes over
    batches of answers) or "auto" (see summariser.draft.chain). `timeout` is per attempt, in
    seconds, for every backend (None: `summariser.draft.models.default_timeout`); `retries`
    after the first attempt; `max_tokens` caps any one reply (each request is otherwise sized
    to what it asks for); `concurrency` is how many calls run at once (default: one for a
    local model, four for a server). `allow_fallback`: a section whose model replies were all
    unusable, or that the model left without a theme, is written as the offline draft with a
    banner instead of failing the command."""

    backend: str = "extractive"
    model: str | None = None
    base_url: str | None = None
    use_cache: bool = True
    redact: bool = True
    task: str = "auto"
    timeout: float | None = None
    retries: int = DEFAULT_RETRIES
    max_tokens: int | None = None
    concurrency: int | None = None
    allow_fallback: bool = False


BackendFactory = Callable[["Manifest", LLMOptions, str], "Backend"]


@dataclass(frozen=True, slots=True)
class RegisteredBackend:
    factory: BackendFactory
    check: Callable[[LLMOptions], None] | None = None


_BACKENDS: dict[str, RegisteredBackend] = {}


def register_backend(name: str, factory: BackendFactory,
                     check: Callable[[LLMOptions], None] | None = None) -> None:
    _BACKENDS[name] = RegisteredBackend(factory, check)


def backend_names() -> tuple[str, ...]:
    """The registered backends, then those installed packages offer (summariser.plugins)."""
    return tuple(_BACKENDS) + plugin_backends()


def plugin_backends() -> tuple[str, ...]:
    """The backends installed packages offer, by name (a registered name is not theirs)."""
    return tuple(name for name in installed(BACKENDS) if name not in _BACKENDS)


def registered_backend(name: str) -> RegisteredBackend:
    if name in _BACKENDS:
        return _BACKENDS[name]
    if name in plugin_backends():
        return _plugin(name)
    *rest, last = backend_names()
    raise ModelError(f"Unknown LLM backend '{name}'; use {', '.join(rest)} or {last}")


def _plugin(name: str) -> RegisteredBackend:
    entry = installed(BACKENDS)[name]
    found = load(entry, "LLM backend")  # imported once; Python keeps the module
    if isinstance(found, RegisteredBackend):
        return found
    if callable(found):
        return RegisteredBackend(found)
    raise ModelError(f"The LLM backend '{name}' ({entry.value}) is neither a backend factory "
                     "nor a RegisteredBackend; reinstall or uninstall its package")


def check_backend(options: LLMOptions) -> None:
    """Fail now, before any work, on an unknown backend or a missing credential."""
    check = registered_backend(options.backend).check
    if check is not None:
        check(options)


def extractive_backend(manifest: Manifest, options: LLMOptions, run_id: str) -> Backend:
    from summariser.draft.extractive import ExtractiveBackend

    return ExtractiveBackend(manifest.respondent_noun)


def llm_backend(manifest: Manifest, options: LLMOptions, run_id: str,
                chat_model: Any = None) -> Backend:
    """Drafting with a chat model: `chat_model`, or the one the options name. The local
    backend starts its model's server here; the backend's `close()` stops it."""
    from summariser.draft.chain import LLMBackend
    from summariser.draft.models import default_timeout, make_chat_model
    from summariser.draft.redact import Redactor

    timeout = options.timeout or default_timeout(options.backend, options.base_url)
    server = None
    if chat_model is None and options.backend == "local":
        from summariser.draft.llama import LocalServer, gguf_path
        from summariser.draft.models import check_local_allowed

        check_local_allowed()
        server = LocalServer(gguf_path(options.model), deadline=timeout).start()
    try:
        model = chat_model or make_chat_model(
            "openai", server.name if server else options.model,
            server.base_url if server else options.base_url, timeout,
            api_key="local" if server else None)
        return LLMBackend(model, runlog_for(manifest), run_id, backend=options.backend,
                          redactor=Redactor(manifest.redact, enabled=options.redact),
                          use_cache=options.use_cache, noun=manifest.respondent_noun,
                          task=options.task, retries=options.retries,
                          max_tokens=options.max_tokens, concurrency=options.concurrency,
                          local=server is not None,
                          identity=server.identity if server else None,
                          on_close=server.stop if server else None)
    except BaseException:
        if server is not None:
            server.stop()
        raise


def _check_task(options: LLMOptions) -> None:
    from summariser.draft.chain import TASKS

    if options.task not in TASKS:
        raise ModelError(f"Unknown LLM task '{options.task}'; use {', '.join(TASKS)}")


def _openai_ready(options: LLMOptions) -> None:
    from summariser.draft.models import check_credentials

    _check_task(options)
    check_credentials(options.model)


def _local_ready(options: LLMOptions) -> None:
    """The extra and the model file are there (the default model is joined now, on first
    use, with a progress bar, rather than halfway through a run), and the runtime's compiled
    libraries are the ones its wheel installed."""
    from summariser.draft.llama import check_runtime, gguf_path

    _check_task(options)
    gguf_path(options.model)
    check_runtime()


register_backend("extractive", extractive_backend)
register_backend("openai", llm_backend, check=_openai_ready)
register_backend("local", llm_backend, check=_local_ready)
