"""`summariser ask`."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.table import Table

from summariser.cli import app
from summariser.cli.common import CHROMA_URL, EMBEDDER, STORE, console, open_project


@app.command()
def ask(
    question: str = typer.Argument(..., help="What to look for, in plain words."),
    project: Path = typer.Option(Path("."), "--project", "-p",
                                 help="Project directory holding summariser.toml."),
    in_question: list[str] = typer.Option([], "--question", "-q",
                                          help="Only answers to this question id (repeatable)."),
    section: str = typer.Option(None, "--section", "-s",
                                help="Only the evidence of this report section (id or number)."),
    source: list[str] = typer.Option([], "--source", help="Only this source id (repeatable)."),
    limit: int = typer.Option(10, "--limit", "-k", min=1, help="How many passages to show."),
    show_all: bool = typer.Option(False, "--all", help="Every passage above --min-similarity, "
                                  "with how many respondents that is."),
    min_similarity: float = typer.Option(0.35, "--min-similarity", min=-1.0, max=1.0,
                                         help="Cosine similarity cut-off for --all."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
    store: Path = STORE,
    chroma_url: str = CHROMA_URL,
    embedder: str = EMBEDDER,
) -> None:
    """Find what respondents said about QUESTION, with their exact words.

    Example: summariser ask "what did respondents say about governance?" --section 2.3 --all
    """
    from summariser.embed import make_embedder
    from summariser.retrieve import Scope, count_phrase, search

    manifest, target = open_project(project, store, chroma_url)
    target.require()
    scope = Scope.of_section(manifest, section) if section else Scope()
    if in_question or source:
        for qid in in_question:
            manifest.question(qid)
        for sid in source:
            manifest.source(sid)
        scope = Scope(scope.questions + tuple(in_question), scope.sources + tuple(source))
    result = search(target, make_embedder(embedder), question, scope, limit=limit,
                    exhaustive=show_all, min_similarity=min_similarity)
    if not target.meta().get("ingest_complete", True):
        typer.secho("Warning: the last ingest did not finish; run 'summariser ingest' again.",
                    err=True, fg=typer.colors.YELLOW)
    counted = count_phrase(result.respondents, result.denominator, manifest.respondent_noun)
    if as_json:
        payload = {"query": question, "exhaustive": result.exhaustive,
                   "respondents": result.respondents, "denominator": result.denominator,
                   "summary": counted,
                   "hits": [{"similarity": round(h.similarity, 4), **asdict(h.passage)}
                            for h in result.hits]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    table = Table(title=question, title_justify="left", show_lines=True)
    for column, justify in (("Respondent", "left"), ("Question", "left"),
                            ("Similarity", "right"), ("Passage (verbatim)", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for hit in result.hits:
        table.add_row(hit.passage.respondent, hit.passage.question, f"{hit.similarity:.2f}",
                      hit.passage.text)
    console.print(table)
    if show_all:
        console.print(f"{len(result.hits)} passages from {counted} "
                      f"(similarity >= {min_similarity:.2f}).")
    else:
        console.print(f"Top {len(result.hits)} passages, from {result.respondents} "
                      f"{manifest.respondent_noun[1]}; use --all for an exhaustive count.")
