"""The `ask` job: the passages that speak to a question, who said them, and with `answer` a
short cited answer (`summariser.ask.answer`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from summariser.draft.backends import LLMOptions
from summariser.index.embedders import DEFAULT_EMBEDDER
from summariser.jobs.common import ProjectOptions, open_project
from summariser.retrieve.search import DEFAULT_MIN_SIMILARITY
from summariser.text.wording import join_words, number_word, opening

if TYPE_CHECKING:
    from summariser.ask.answer import Answer
    from summariser.index.store import Store
    from summariser.project.manifest import Manifest
    from summariser.records import Scope
    from summariser.retrieve.search import SearchResult, Tally


@dataclass(frozen=True, kw_only=True)
class AskOptions(ProjectOptions):
    question: str
    questions: tuple[str, ...] = ()  # only answers to these question ids
    section: str | None = None  # only the evidence of this section (id or number)
    sources: tuple[str, ...] = ()  # only these source ids
    limit: int = 10  # how many passages, unless `every`
    every: bool = False  # every passage above `min_similarity`, with who said them, by kind
    min_similarity: float = DEFAULT_MIN_SIMILARITY
    answer: bool = False  # a short paragraph with verified quotes and a count
    llm: LLMOptions = LLMOptions()  # the backend that answers
    embedder: str = DEFAULT_EMBEDDER


@dataclass(frozen=True)
class AskResult:
    noun: tuple[str, str]  # the project's respondent noun, singular and plural
    found: SearchResult
    counted: Tally | None  # who said it, by kind: only for an exhaustive search
    answer: Answer | None = None  # with `answer`
    worded: Tally | None = None  # of them, who used the subject's words (not only its meaning)

    def worded_text(self) -> str:
        """How many of the survey's people counted used the subject's words, and how many were
        found by meaning alone: a count of people "close in meaning" to a broad subject is a
        weaker claim than one of people who named it, and a reader is told which is which."""
        people = self.counted.kind("survey") if self.counted else None
        worded = self.worded.kind("survey") if self.worded else None
        if not people or not people.found or worded is None or not self.found.looked_for:
            return ""
        looked = [f"“{w}”" for w in self.found.looked_for]
        # Each word, in any form, not the phrase: "hospital to home" uses "hospital" and "home".
        words = looked[0] if len(looked) == 1 else f"the words {join_words(looked)}"
        counted, rest = len(people.found), len(people.found) - len(worded.found)
        if not rest:
            return f"Each of them used {words}." if counted > 1 else ""
        return (f"{opening(number_word(len(worded.found)) if worded.found else 'none')} of the "
                f"{counted:,} {self.noun[1] if counted != 1 else self.noun[0]} used {words}; "
                f"{number_word(rest) if worded.found else 'all'} only wrote something close to "
                "it in meaning.")


def ask(options: AskOptions) -> AskResult:
    from summariser.index.embedders import make_embedder
    from summariser.records import Scope
    from summariser.retrieve.search import search, tally

    manifest, store = open_project(options)
    store.require()
    scope = Scope()
    if options.section:
        chosen = manifest.section(options.section)
        scope = Scope(chosen.questions, chosen.sources)
    if options.questions or options.sources:
        for qid in options.questions:
            manifest.question(qid)
        for sid in options.sources:
            manifest.source(sid)
        scope = Scope(scope.questions + options.questions, scope.sources + options.sources)
    if options.answer:
        return _answer(manifest, store, scope, options)
    found = search(store, make_embedder(options.embedder), options.question, scope,
                   limit=options.limit, exhaustive=options.every,
                   min_similarity=options.min_similarity, noun=manifest.respondent_noun,
                   context=asked_about(manifest, scope))
    # A count is stated only for an exhaustive search: the top k say nothing of how many.
    if not options.every:
        return AskResult(manifest.respondent_noun, found, None)
    counted = tally(manifest, store, scope, [h.passage for h in found.hits])
    worded = tally(manifest, store, scope, [h.passage for h in found.hits if h.lexical])
    return AskResult(manifest.respondent_noun, found, counted, worded=worded)


def asked_about(manifest: Manifest, scope: Scope) -> str:
    """What every answer searched is about: the words every free-text question in scope uses
    (`summariser.retrieve.search.common_context`)."""
    from summariser.retrieve.search import common_context

    asked = [q for q in manifest.questions if q.kind == "text"
             and (not scope.questions and not scope.sources or q.id in scope.questions)]
    return common_context(q.text for q in asked)


def _answer(manifest: Manifest, store: Store, scope: Scope, options: AskOptions) -> AskResult:
    import uuid
    from functools import partial

    from summariser.ask.answer import answer
    from summariser.draft.backends import check_backend
    from summariser.draft.pipeline import close_backend, make_backend
    from summariser.draft.runlog import runlog_for
    from summariser.index.embedders import make_embedder
    from summariser.retrieve.search import search, tally
    from summariser.verify.cache import corpus_index

    check_backend(options.llm)
    run_id = uuid.uuid4().hex[:12]
    backend = make_backend(manifest, options.llm, run_id)
    try:
        # A model judges relevance itself, so it may see passages a little below the floor.
        floor = options.min_similarity - 0.1 if backend.name != "extractive" \
            else options.min_similarity
        found = search(store, make_embedder(options.embedder), options.question, scope,
                       exhaustive=True, min_similarity=floor, noun=manifest.respondent_noun,
                       context=asked_about(manifest, scope))
        log = runlog_for(manifest)
        log.start(run_id, "ask", backend.name, backend.model)
        reply = answer(found, backend, corpus_index(store), manifest.respondent_noun,
                       manifest=manifest, count=partial(tally, manifest, store, scope))
        log.finish(run_id, "ok")
    finally:
        close_backend(backend)
    counted = set(reply.respondents)
    worded = tally(manifest, store, scope, [h.passage for h in found.hits
                                            if h.lexical and h.passage.respondent in counted])
    return AskResult(manifest.respondent_noun, found, reply.tally, reply, worded)
