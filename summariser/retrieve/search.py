"""Retrieval: find the passages that speak to a question, and count who said them.

Counts are of people by kind (`Tally`): survey respondents against the survey respondents in
scope, interviewees against the interviews, and documents (meeting notes: never a person)
against the documents. A count is only meaningful for an exhaustive search; the top k of a
ranking says nothing about how many people said something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from summariser.index.embedders import Embedder
from summariser.index.store import Store
from summariser.project.manifest import Manifest
from summariser.project.respondents import KINDS, people_by_kind, survey_respondents
from summariser.records import Passage, Scope
from summariser.text.stopwords import ENGLISH_STOP_WORDS
from summariser.text.wording import number_word, percent_text

DEFAULT_MIN_SIMILARITY = 0.35
KIND_NOUNS = {"interview": ("interview", "interviews"), "document": ("document", "documents")}
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Words that frame a question rather than name its subject.
FRAMING = frozenset("""
    say says said saying tell told think thinks thought feel feels felt view views mention
    mentions mentioned mentioning raise raised talk talked discuss discussed describe described
    comment comments commented respond responded respondent respondents participant
    participants people person anyone anybody someone everyone answer answers answered question
    questions survey interview interviews interviewee interviewees did does doing
""".split())


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    similarity: float  # cosine similarity, -1..1


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    respondents: int  # distinct respondents among the hits
    denominator: int  # distinct respondents who answered the questions searched
    exhaustive: bool
    subject: tuple[str, ...] = ()  # the words naming the query's subject (`subject_words`)
    unused: tuple[str, ...] = ()  # those no passage in scope uses (exhaustive searches only)

    @property
    def off_corpus(self) -> bool:
        """Whether at least half the words naming the subject are used by no passage in scope:
        the corpus does not speak of it, however close the nearest passages score."""
        return bool(self.unused) and 2 * len(self.unused) >= len(self.subject)


@dataclass(frozen=True, slots=True)
class KindCount:
    kind: str  # "survey", "interview" or "document"
    found: tuple[str, ...]  # respondent ids, or source ids for documents
    of: int  # how many of that kind are in the scope searched

    def text(self, noun: tuple[str, str]) -> str:
        """'seven of 16 Chief Officers (44%)', 'one of 2 interviews', 'none of 1 document'."""
        count = len(self.found)
        number = number_word(count) if count else "none"
        singular, plural = noun if self.kind == "survey" else KIND_NOUNS[self.kind]
        share = f" ({percent_text(count, self.of)})" if self.kind == "survey" else ""
        return f"{number} of {self.of} {singular if self.of == 1 else plural}{share}"


@dataclass(frozen=True, slots=True)
class Tally:
    """Who said something, by kind; only kinds the scope holds are listed."""

    counts: tuple[KindCount, ...]

    def text(self, noun: tuple[str, str]) -> str:
        """'seven of 16 Chief Officers (44%); one of 2 interviews'."""
        return "; ".join(c.text(noun) for c in self.counts) or f"no {noun[1]} in scope"

    def kind(self, kind: str) -> KindCount | None:
        return next((c for c in self.counts if c.kind == kind), None)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {c.kind: {"found": len(c.found), "of": c.of, "ids": list(c.found)}
                for c in self.counts}


def tally(manifest: Manifest, store: Store, scope: Scope, passages: Iterable[Passage]) -> Tally:
    """How many of each kind of person (and document) in `scope` the passages come from."""
    responses = store.responses(scope)
    present = people_by_kind(manifest, responses)
    if not scope.questions and not scope.sources:  # everyone with a row, answers or not
        present["survey"] = survey_respondents(manifest, responses, store.ratings())
    found = people_by_kind(manifest, [p for p in passages if scope.holds(p.question, p.source)])
    return Tally(tuple(KindCount(kind, tuple(sorted(found[kind] & present[kind])),
                                 len(present[kind]))
                       for kind in KINDS if present[kind]))


def subject_words(query: str, noun: tuple[str, str] = ("", "")) -> tuple[str, ...]:
    """The words of a query that name its subject, lower-cased: not stop words, not words
    that frame a question ("say", "respondents"), not the respondent noun, not numbers."""
    skip = ENGLISH_STOP_WORDS | FRAMING | {w.casefold() for n in noun for w in n.split()}
    return tuple(w for w in dict.fromkeys(m.casefold() for m in WORD.findall(query))
                 if w not in skip and not w.isdigit())


def unused_words(query: str, texts: Iterable[str], noun: tuple[str, str] = ("", "")
                 ) -> tuple[str, ...]:
    """The words naming the query's subject (`subject_words`) that none of `texts` uses.

    A word counts as used when a text has it, or a word starting with its stem (the word less
    a plural, -ed, -ing, -er or -est ending): "shortages" is used by "shortage", "hardest" by
    "hard". Words of one to three letters must match whole ("EU" is not "Europe").
    """
    wanted = subject_words(query, noun)
    if not wanted:
        return ()
    vocabulary = {w.casefold() for text in texts for w in WORD.findall(text)}
    stems = {w: _stem(w) for w in wanted}
    return tuple(w for w in wanted if w not in vocabulary and not (
        len(w) > 3 and any(v.startswith(stems[w]) for v in vocabulary)))


def _stem(word: str) -> str:
    for ending in ("ings", "ing", "est", "ers", "er", "ies", "es", "ed", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


def search(store: Store, embedder: Embedder, query: str, scope: Scope = Scope(), *,
           limit: int = 10, exhaustive: bool = False,
           min_similarity: float = DEFAULT_MIN_SIMILARITY,
           noun: tuple[str, str] = ("", "")) -> SearchResult:
    """Top `limit` passages, or with `exhaustive` every passage at or above `min_similarity`
    (and which of the query's subject words no passage in scope uses; `noun`, the
    respondent noun, is not a subject word).

    The exhaustive search compares the query with every passage in scope, a page at a time
    (exact, in bounded memory, at any size), rather than asking the approximate index for all
    of them at once, which Chroma cannot do beyond some 32,000 passages."""
    import numpy as np

    collection = store.collection(embedder.name)
    denominator = len(store.respondents(scope.questions, scope.sources))
    vector = np.asarray(embedder.embed([query])[0], dtype=np.float32)
    unused: tuple[str, ...] = ()
    if exhaustive:
        unit = vector / max(float(np.linalg.norm(vector)), 1e-12)
        hits: list[Hit] = []
        vocabulary: set[str] = set()  # every word in scope, for `unused_words`
        for passages, vectors in store.pages(collection, scope):
            norms = np.clip(np.linalg.norm(vectors, axis=1), 1e-12, None)
            similarity = (vectors @ unit) / norms
            hits += [Hit(passages[i], float(similarity[i]))
                     for i in np.flatnonzero(similarity >= min_similarity)]
            vocabulary.update(w.casefold() for p in passages for w in WORD.findall(p.text))
        hits.sort(key=lambda h: (-h.similarity, h.passage.passage_id))
        unused = unused_words(query, vocabulary, noun)  # each word reads as itself
    else:
        hits = [Hit(passage, similarity) for passage, similarity, _ in
                store.nearest(collection, vector, scope, limit)]
    return SearchResult(query=query, hits=tuple(hits),
                        respondents=len({h.passage.respondent for h in hits}),
                        denominator=denominator, exhaustive=exhaustive,
                        subject=subject_words(query, noun), unused=unused)
