"""`summariser draft` and `summariser runs`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table
from rich.text import Text

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    CLUSTER,
    EMBEDDER,
    ENGINE,
    OLD_PROJECT,
    PROJECT,
    STORE,
    Command,
    ProgressBar,
    console,
    err_console,
    project_folder,
    shown,
)

if TYPE_CHECKING:
    from summariser.draft.backends import LLMOptions
    from summariser.jobs.draft import DraftSummary

LLM = typer.Option("extractive", "--llm", envvar="SUMMARISER_LLM",
                   help="extractive (offline, no model), openai (OPENAI_API_KEY; any "
                   "OpenAI-compatible server with --base-url) or local (GGUF via llama.cpp).")
MODEL = typer.Option(None, "--model", envvar="SUMMARISER_MODEL",
                     help="Model name (openai: e.g. gpt-4o-mini, or 'provider:model' for any "
                     "LangChain provider; local: PATH.gguf, qwen2.5-coder-1.5b or "
                     "qwen2.5-coder-0.5b) \\[default: gpt-4o-mini / qwen2.5-coder-1.5b].")
BASE_URL = typer.Option(None, "--base-url", envvar="OPENAI_BASE_URL",
                        help="OpenAI-compatible server, e.g. http://localhost:11434/v1.")
NO_CACHE = typer.Option(False, "--no-cache", help="Call the model even for requests the run "
                        "log has answered before.")
NO_REDACT = typer.Option(False, "--no-redact", help="Send e-mails, phone numbers, postcodes "
                         "and manifest names to a remote model unredacted.")
TASK = typer.Option(None, "--llm-task", envvar="SUMMARISER_LLM_TASK",
                    help="name (the model names themes found offline: for small models), draft "
                    "(it drafts each section in one call), discover (it finds each section's "
                    "themes over batches of 50 answers and condenses them to --themes; code "
                    "codes every answer against them) or auto (local: name; a remote model: "
                    "draft when the section fits) \\[default: auto].")
TIMEOUT = typer.Option(None, "--timeout", envvar="SUMMARISER_TIMEOUT", min=1,
                       help="Seconds per model call attempt, for every backend \\[default: 25 "
                       "remote, 300 local or a server on this machine].")
RETRIES = typer.Option(None, "--retries", envvar="SUMMARISER_RETRIES", min=0,
                       help="Attempts after a failed model call \\[default: 1].")
MAX_TOKENS = typer.Option(None, "--max-tokens", envvar="SUMMARISER_MAX_TOKENS", min=16,
                          help="Cap on any one reply's tokens \\[default: sized to each "
                          "request].")
CONCURRENCY = typer.Option(None, "--concurrency", envvar="SUMMARISER_CONCURRENCY", min=1,
                           help="Model calls at once \\[default: 1 local, 4 remote].")
ALLOW_FALLBACK = typer.Option(False, "--allow-fallback", envvar="SUMMARISER_ALLOW_FALLBACK",
                              help="With a model: write a section the model could not draft "
                              "as the offline draft, with a banner, and exit 0 (without it, "
                              "such a run exits 1).")
_ENV = {"task": "SUMMARISER_LLM_TASK", "timeout": "SUMMARISER_TIMEOUT",
        "retries": "SUMMARISER_RETRIES", "max_tokens": "SUMMARISER_MAX_TOKENS",
        "concurrency": "SUMMARISER_CONCURRENCY"}


def llm_options(llm: str, model: str | None, base_url: str | None, no_cache: bool,
                no_redact: bool, allow_fallback: bool = False,
                **tuning: str | float | int | None) -> LLMOptions:
    """The backend options, read before any work so a bad name costs nothing (the job checks
    for a missing key or model before it starts).

    `tuning` (task, timeout, retries, max_tokens, concurrency) comes from the command's options;
    a command without them reads the same environment variables."""
    import os

    from summariser.draft.backends import LLMOptions, backend_names

    if llm not in backend_names():
        raise typer.BadParameter(f"choose one of {', '.join(backend_names())}",
                                 param_hint="--llm")
    given: dict[str, Any] = {}
    for name, variable in _ENV.items():
        value = tuning.get(name)
        if value is None and os.environ.get(variable):
            value = os.environ[variable]
            try:
                if name != "task":
                    value = float(value) if name == "timeout" else int(value)
            except ValueError:
                raise typer.BadParameter(f"{variable}={value} is not a number") from None
        if value is not None:
            given[name] = value
    return LLMOptions(llm, model, base_url, not no_cache, not no_redact,
                      allow_fallback=allow_fallback, **given)


@app.command(cls=Command)
def draft(
    old_project: Path = OLD_PROJECT,
    project: Path = PROJECT,
    section: list[str] = typer.Option([], "--section", "-s",
                                      help="Draft only this section (id or number; repeatable)."),
    output: Path = typer.Option(None, "--output", "-o",
                                help="Directory for the drafts \\[default: drafts/ in the "
                                "project]."),
    restart: bool = typer.Option(False, "--restart", help="Redraft sections even if you edited "
                                 "their Markdown or codebook, keeping a backup in "
                                 "drafts/.backup/."),
    themes: int = typer.Option(None, "--themes", min=1, max=30,
                               help="How many themes to propose per section (fewer, broader "
                               "or more, finer) \\[default: the manifest's max_themes, else "
                               "scaled to the answers: 6 for 16, 10 for 600]. A codebook you "
                               "edited is kept as it is."),
    llm: str = LLM,
    model: str = MODEL,
    base_url: str = BASE_URL,
    no_cache: bool = NO_CACHE,
    no_redact: bool = NO_REDACT,
    llm_task: str = TASK,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    max_tokens: int = MAX_TOKENS,
    concurrency: int = CONCURRENCY,
    allow_fallback: bool = ALLOW_FALLBACK,
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
    embedder: str = EMBEDDER,
    engine: str = ENGINE,
    cluster: str = CLUSTER,
) -> None:
    """Draft report sections as themes with counts, coded evidence and verified quotes.

    For each section writes drafts/<section>.md (to read and edit), drafts/<section>.json (the
    coded evidence behind every count, quote offsets, answers that fit no theme) and
    drafts/<section>.codebook.toml (its themes). Edit the codebook to rename, merge, split, add
    or delete themes, then draft again: answers are coded against your codebook. A section whose
    Markdown you edited is left as it is unless --restart.
    """
    from summariser.jobs.draft import DraftOptions
    from summariser.jobs.draft import draft as draft_job

    backend = llm_options(llm, model, base_url, no_cache, no_redact, allow_fallback,
                          task=llm_task,
                          timeout=timeout, retries=retries, max_tokens=max_tokens,
                          concurrency=concurrency)
    options = DraftOptions(project=project_folder(project, old_project), store=store,
                           chroma_url=chroma_url, sections=tuple(section), output=output,
                           restart=restart, themes=themes, llm=backend, embedder=embedder,
                           engine=engine, cluster=cluster)
    with ProgressBar() as bar:
        done = draft_job(options, bar)
    table = Table(title=shown(f"Drafted into {done.directory}"), title_justify="left")
    for column in ("Section", "Themes", "Codebook", "Uncoded", "Quotes", "Largest theme"):
        table.add_column(column)
    kept = []
    for outcome in done.sections:
        if outcome.drafted is None:
            kept.append(f"{outcome.section.heading}: {outcome.kept}")
        else:
            table.add_row(*_table_row(outcome.drafted))
            kept += [f"{outcome.section.heading}: {note}" for note in outcome.drafted.moved]
        if outcome.backup is not None:
            kept.append(f"{outcome.section.heading}: the previous files are kept in "
                        f"{outcome.backup}")
    console.print(table)
    for line in kept:
        err_console.print(shown(line), highlight=False, soft_wrap=True)


def _table_row(drafted: DraftSummary) -> list[Text | str]:
    origin = f"{drafted.codebook} (offline: model failed)" if drafted.fallback \
        else drafted.codebook
    largest = f"{drafted.largest[0]} ({drafted.largest[1]})" if drafted.largest else "-"
    # Theme titles are respondents' phrases: printed as written, never as markup.
    return [shown(drafted.heading), str(drafted.themes), shown(origin), str(drafted.uncoded),
            str(drafted.quotes), shown(largest)]


@app.command(cls=Command)
def runs(old_project: Path = OLD_PROJECT, project: Path = PROJECT,
         limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many runs to list.")
         ) -> None:
    """List drafting runs with their model calls, tokens and estimated cost."""
    from summariser.jobs.runs import RunsOptions
    from summariser.jobs.runs import runs as runs_job

    # Two lines a run, not a twelve-column table: readable at 80 columns.
    console.print("Runs (newest first)")
    for run in runs_job(RunsOptions(project=project_folder(project, old_project), limit=limit)):
        started = datetime.fromtimestamp(run.started).strftime("%Y-%m-%d %H:%M")
        cost = "" if run.cost is None else f"  est. US$ {run.cost:.4f}"
        console.print(shown(f"{run.run_id}  {started}  {run.command}  {run.status}{cost}"))
        console.print(shown(f"  {run.backend} {run.model or '-'}: {run.calls} calls, "
                            f"{run.cached_calls} cached, {run.unusable} unusable; tokens "
                            f"{run.input_tokens:,} in, {run.output_tokens:,} out"))
