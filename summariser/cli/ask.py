"""`summariser ask`."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    EMBEDDER,
    PROJECT,
    STORE,
    Command,
    console,
    project_folder,
    shown,
)
from summariser.cli.draft import BASE_URL, LLM, MODEL, NO_CACHE, NO_REDACT, llm_options
from summariser.text.wording import count_noun, opening

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from summariser.ask.answer import Answer


@app.command(cls=Command)
def ask(
    question: str = typer.Argument(..., help="What to look for, in plain words."),
    project: Path = PROJECT,
    in_question: list[str] = typer.Option([], "--question", "-q",
                                          help="Only answers to this question id (repeatable)."),
    section: str = typer.Option(None, "--section", "-s",
                                help="Only the evidence of this report section (id or number)."),
    source: list[str] = typer.Option([], "--source", help="Only this source id (repeatable)."),
    limit: int = typer.Option(10, "--limit", "-k", min=1, help="How many passages to show."),
    show_all: bool = typer.Option(False, "--all", help="Every passage that uses the question's "
                                  "subject words (in any inflection) or is above "
                                  "--min-similarity, with how many people that is, by kind "
                                  "(respondents, interviews, documents)."),
    min_similarity: float = typer.Option(None, "--min-similarity", min=-1.0, max=1.0,
                                         help="Cosine similarity from which a passage is close "
                                         "in meaning \\[default: 0.3, set on hand-judged "
                                         "development data]."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
    give_answer: bool = typer.Option(False, "--answer", help="Answer in a short paragraph with "
                                     "verified quotes and a count over the whole corpus."),
    llm: str = LLM,
    model: str = MODEL,
    base_url: str = BASE_URL,
    no_cache: bool = NO_CACHE,
    no_redact: bool = NO_REDACT,
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
    embedder: str = EMBEDDER,
) -> None:
    """Find what respondents said about QUESTION, with their exact words.

    Example: summariser ask "what did respondents say about governance?" --section 2.3 --all
    """
    from summariser.jobs.ask import AskOptions
    from summariser.jobs.ask import ask as ask_job

    options = AskOptions(project=project_folder(project), store=store, chroma_url=chroma_url,
                         question=question, questions=tuple(in_question), section=section,
                         sources=tuple(source), limit=limit, every=show_all,
                         answer=give_answer, embedder=embedder)
    if min_similarity is not None:
        options = replace(options, min_similarity=min_similarity)
    if give_answer:
        # Read only when answering: the job checks the backend once the scope is known.
        options = replace(options, llm=llm_options(llm, model, base_url, no_cache, no_redact))
    result = ask_job(options)
    if result.answer is not None:
        return _print_answer(question, result.answer, result.noun, as_json,
                             result.worded_text())
    found, counted, noun = result.found, result.counted, result.noun
    if as_json:
        payload = {"query": question, "exhaustive": found.exhaustive,
                   "counts": counted.to_dict() if counted else None,
                   "summary": counted.text(noun) if counted else None,
                   "worded": result.worded.to_dict() if result.worded else None,
                   "hits": [{"similarity": round(h.similarity, 4), **asdict(h.passage)}
                            for h in found.hits]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    table = Table(title=shown(question), title_justify="left", show_lines=True)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Respondent", "left"), ("Question", "left"), ("Similarity", "right"),
        ("Passage (verbatim)", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify, overflow="fold")
    for hit in found.hits:
        table.add_row(shown(hit.passage.respondent), shown(hit.passage.question),
                      f"{hit.similarity:.2f}", shown(hit.passage.text))
    console.print(table)
    if counted is not None:
        passages = count_noun(len(found.hits), ("passage", "passages"))
        console.print(shown(f"{opening(passages)} from {counted.text(noun)} (using "
                           f"{', '.join(found.looked_for) or 'no subject word'}, or similarity "
                           f">= {options.min_similarity:.2f}). {result.worded_text()}"
                           .rstrip()))
    else:
        console.print(f"The {len(found.hits)} closest passages; use --all for every passage "
                      "above the similarity floor, with how many people said it.")


def _print_answer(question: str, reply: Answer, noun: tuple[str, str], as_json: bool,
                  worded: str = "") -> None:
    counted = reply.count_text(noun)
    if as_json:
        data = asdict(reply)
        data["tally"] = reply.tally.to_dict() if reply.tally else None
        typer.echo(json.dumps({**data, "summary": counted, "worded": worded or None},
                              indent=2, ensure_ascii=False))
        return
    console.print(shown(question, style="bold"))
    console.print()
    console.print(shown(reply.text))
    # Who has a passage that uses the subject's words or is close to it: not who raised it.
    console.print(shown(f"\nFound in passages from {counted}. {worded}".rstrip()))
    for quote in reply.quotes:
        console.print(shown(f"  “{quote.text}” [{quote.respondent}]"))
    if reply.dropped:
        console.print(f"({len(reply.dropped)} sentence(s) of the answer stated numbers that did "
                      "not match the count and were left out.)")
    if reply.copied:
        console.print(f"({len(reply.copied)} sentence(s) of the answer gave a respondent's words "
                      "without quote marks and were left out; --json lists them.)")
    if reply.failures:
        console.print(f"({len(reply.failures)} proposed quotes failed verification and were "
                      "left out.)")
