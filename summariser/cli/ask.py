"""`summariser ask`."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from summariser.cli import app
from summariser.cli.common import (
    CHROMA_URL,
    EMBEDDER,
    PROJECT,
    STORE,
    console,
    open_project,
    project_folder,
)
from summariser.cli.draft import BASE_URL, LLM, MODEL, NO_CACHE, NO_REDACT, llm_options


@app.command()
def ask(
    question: str = typer.Argument(..., help="What to look for, in plain words."),
    project: Path = PROJECT,
    in_question: list[str] = typer.Option([], "--question", "-q",
                                          help="Only answers to this question id (repeatable)."),
    section: str = typer.Option(None, "--section", "-s",
                                help="Only the evidence of this report section (id or number)."),
    source: list[str] = typer.Option([], "--source", help="Only this source id (repeatable)."),
    limit: int = typer.Option(10, "--limit", "-k", min=1, help="How many passages to show."),
    show_all: bool = typer.Option(False, "--all", help="Every passage above --min-similarity, "
                                  "with how many people that is, by kind (respondents, "
                                  "interviews, documents)."),
    min_similarity: float = typer.Option(0.35, "--min-similarity", min=-1.0, max=1.0,
                                         help="Cosine similarity cut-off for --all."),
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
    from summariser.index.embedders import make_embedder
    from summariser.records import Scope
    from summariser.retrieve.search import search, tally

    manifest, target = open_project(project_folder(project), store, chroma_url)
    target.require()
    scope = Scope()
    if section:
        chosen = manifest.section(section)
        scope = Scope(chosen.questions, chosen.sources)
    if in_question or source:
        for qid in in_question:
            manifest.question(qid)
        for sid in source:
            manifest.source(sid)
        scope = Scope(scope.questions + tuple(in_question), scope.sources + tuple(source))
    if give_answer:
        return _answer(manifest, target, embedder, question, scope, min_similarity, as_json,
                       llm_options(llm, model, base_url, no_cache, no_redact))
    result = search(target, make_embedder(embedder), question, scope, limit=limit,
                    exhaustive=show_all, min_similarity=min_similarity,
                    noun=manifest.respondent_noun)
    # A count is stated only for an exhaustive search: the top k say nothing of how many.
    counted = tally(manifest, target, scope, [h.passage for h in result.hits]) \
        if show_all else None
    if as_json:
        payload = {"query": question, "exhaustive": result.exhaustive,
                   "counts": counted.to_dict() if counted else None,
                   "summary": counted.text(manifest.respondent_noun) if counted else None,
                   "hits": [{"similarity": round(h.similarity, 4), **asdict(h.passage)}
                            for h in result.hits]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    table = Table(title=Text(question), title_justify="left", show_lines=True)
    for column, justify in (("Respondent", "left"), ("Question", "left"),
                            ("Similarity", "right"), ("Passage (verbatim)", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for hit in result.hits:
        table.add_row(Text(hit.passage.respondent), Text(hit.passage.question),
                      f"{hit.similarity:.2f}", Text(hit.passage.text))
    console.print(table)
    if counted is not None:
        console.print(Text(f"{len(result.hits)} passages from "
                           f"{counted.text(manifest.respondent_noun)} "
                           f"(similarity >= {min_similarity:.2f})."))
    else:
        console.print(f"The {len(result.hits)} closest passages; use --all for every passage "
                      "above the similarity floor, with how many people said it.")


def _answer(manifest, store, embedder_name, question, scope, min_similarity, as_json, options):
    import uuid
    from functools import partial

    from summariser.ask.answer import answer
    from summariser.draft.pipeline import make_backend, runlog_for
    from summariser.index.embedders import make_embedder
    from summariser.retrieve.search import search, tally
    from summariser.verify.cache import corpus_index

    run_id = uuid.uuid4().hex[:12]
    backend = make_backend(manifest, options, run_id)
    # A model judges relevance itself, so it may see passages a little below the floor.
    floor = min_similarity - 0.1 if backend.name != "extractive" else min_similarity
    result = search(store, make_embedder(embedder_name), question, scope, exhaustive=True,
                    min_similarity=floor, noun=manifest.respondent_noun)
    log = runlog_for(manifest)
    log.start(run_id, "ask", backend.name, backend.model)
    reply = answer(result, backend, corpus_index(store), manifest.respondent_noun,
                   manifest=manifest, count=partial(tally, manifest, store, scope))
    log.finish(run_id, "ok")
    counted = reply.count_text(manifest.respondent_noun)
    if as_json:
        data = asdict(reply)
        data["tally"] = reply.tally.to_dict() if reply.tally else None
        typer.echo(json.dumps({**data, "summary": counted}, indent=2, ensure_ascii=False))
        return
    console.print(Text(question, style="bold"))
    console.print()
    console.print(Text(reply.text))
    console.print(Text(f"\nRaised by {counted}."))
    for quote in reply.quotes:
        console.print(Text(f"  “{quote.text}” [{quote.respondent}]"))
    if reply.dropped:
        console.print(f"({len(reply.dropped)} sentence(s) of the answer stated numbers that did "
                      "not match the count and were left out.)")
    if reply.failures:
        console.print(f"({len(reply.failures)} proposed quotes failed verification and were "
                      "left out.)")
