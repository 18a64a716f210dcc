"""Retrieval: find the passages that speak to a question, and count who said them.

A question is read for its subject: the words that are not stop words, question words, words
that frame a question ("say", "think", "mention"), the respondent noun or its abbreviation
("Chief Officers", "COs", "CO's"), or respondents in general (`subject_words`); an aspect
word ("issues", "arrangements", "structures") only when nothing else is left, and a number word
only before a subject word ("the third sector"). Two searches are joined:
- lexical and exhaustive: every passage in scope that uses every subject word, in any
  inflection ("costs" for "cost", "waiting" for "wait"; an acronym such as "IT" only in
  capitals), leaving out the words most people in scope use (more than `CONTEXT_SHARE` of
  them: the place the question is about, "the centre"), unless that would leave none. So a word
  one person used is found, however far the passage's meaning is from the question's wording;
- by meaning: every passage whose embedding is at least `RELEVANT_FLOOR` similar to the
  subject (the question less its framing, `subject_text`), so rewording a question ("what did
  COs say about governance", "governance", "views on governance") asks the same thing, less
  the words the lexical search leaves out as most people's ("dementia care" as "dementia").
A passage is relevant when either finds it, unless it is a non-answer ("Nothing.", "See above",
`summariser.text.nonanswers`), which sits near many subjects in meaning and speaks to none.
Counts are of people by kind (`Tally`): survey respondents against the survey respondents in
scope, interviewees against the interviews, and documents (meeting notes: never a person)
against the documents. A count is only meaningful for an exhaustive search; the top k of a
ranking says nothing about how many people said something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from summariser.index.embedders import Embedder
from summariser.index.store import Store
from summariser.project.manifest import Manifest
from summariser.project.respondents import KINDS, people_by_kind, survey_respondents
from summariser.records import Passage, Scope
from summariser.text.nonanswers import is_non_answer
from summariser.text.stopwords import ENGLISH_STOP_WORDS
from summariser.text.wording import initials, number_word, percent_text
from summariser.text.words import WORD, fold, lemmas

# Cosine similarity of a passage to the question's subject from which it is relevant. Set on the
# development half of the hand judgments (evals/theme-truth.jsonl, split once by
# benchmarks/themes.py's `part`) by benchmarks/ask.py: each truth theme asked as a question over
# its section, the lowest floor at which, joined with the lexical search, at least 0.8 of the
# people found are judged to speak (the criterion of ASSIGNED_FLOOR: a count is a published
# claim; the best development F1, 0.71, is at 0.25, against 0.69 here). Development: precision
# 0.82, recall 0.60; held back: 0.69, 0.83 (benchmarks/README.md).
RELEVANT_FLOOR = 0.30
DEFAULT_MIN_SIMILARITY = RELEVANT_FLOOR
# A subject word more than this share of the people in scope use names the place or thing every
# answer is about ("the centre" in a survey about the centre), not what the question asks of it.
# Not fitted: a majority is the plain reading of "what every answer shares".
CONTEXT_SHARE = 0.5
# The default search reads this many times its limit, so answers that only name the subject
# ("Food.") can give way to those that say something of it.
BARE_DEPTH = 4
# A question about an excess or a lack ("too expensive", "not enough parking") asks one side of
# a scale, and the embedding puts both sides together ("Affordable." is 0.51 similar to "too
# expensive"): for such a question a passage found by meaning alone must be nearer the subject
# than its negation ("not too expensive"). Not fitted: on the development judgments' theme
# titles, which ask no such question, the same test for every question cost 0.21 of F1
# (benchmarks/ask.py), so it is kept to these words.
_DEGREE = re.compile(r"\b(?:too|enough|lack|lacking|insufficient|excessive)\b", re.IGNORECASE)
KIND_NOUNS = {"interview": ("interview", "interviews"), "document": ("document", "documents")}
# Words that frame a question rather than name its subject.
FRAMING = frozenset("""
    say says said saying tell told think thinks thought feel feels felt view views mention
    mentions mentioned mentioning raise raised talk talked discuss discussed describe described
    comment comments commented respond responded respondent respondents participant
    participants people person anyone anybody someone everyone answer answers answered question
    questions survey interview interviewees interviewee interviews did does doing opinion
    opinions believe believes write wrote written
""".split())
_QUESTION_WORDS = frozenset("""
    what which who whom whose why how when where whether is are was were do does did can could
    should would will shall may might has have had
""".split())
_EDGE_WORDS = frozenset("regarding concerning re".split())  # stop words at a subject's edge
# Nouns that say a question is about some aspect of its subject, not what the subject is
# ("governance issues", "governance arrangements", "comments on IT"): a subject word only when
# nothing else is left, so "governance issues" is asked as "governance".
_ASPECT_WORDS = frozenset("""
    issue issues arrangement arrangements structure structures matter matters thing things
    aspect aspects topic topics
""".split())
# Number words are stop words, except before a subject word, where they name it ("the third
# sector" is not "sector", "first minister" not "minister").
_NUMBER_WORDS = frozenset("""
    one two three four five six seven eight nine ten eleven twelve fifteen twenty forty fifty
    hundred first third
""".split())
_ORDINALS = {"first": "1st", "third": "3rd"}  # as written in figures ("3rd sector")


def noun_words(noun: tuple[str, str]) -> frozenset[str]:
    """The respondent noun's words, case-folded, and the abbreviation of a noun of several
    words ("Chief Officers": "co", "cos", "co's", "cos'")."""
    words = {w.casefold() for n in noun for w in n.split()}
    short = initials(noun)[0].casefold()
    if short:
        words |= {short, short + "s", short + "'s", short + "s'", short + "’s", short + "s’"}
    return frozenset(words)


def _acronym(word: str) -> bool:
    return len(word) > 1 and (word.isupper() or (word[-1] == "s" and word[:-1].isupper()
                                                 and len(word) > 2))


@dataclass(frozen=True, slots=True)
class Term:
    """A subject word as the lexical search matches it: any inflection (`forms`, its lemmas),
    or, for an acronym ("IT", "GPs"), only in capitals."""

    word: str  # case-folded, as shown
    exact: str | None  # the acronym, singular ("GP" for "GPs")
    forms: frozenset[str]
    names_next: bool = False  # a number word naming the term after it ("third" of "third sector")

    def may_be_in(self, text: str, lowered: str) -> bool:
        """A quick test before the words are read: could `text` hold the term at all?"""
        if self.exact:
            return self.exact in text
        return any(form[:4] in lowered for form in self.forms)

    @classmethod
    def of(cls, written: str) -> Term:
        written = _bare(written)
        if _acronym(written):
            exact = written[:-1] if written.endswith("s") and written[:-1].isupper() \
                else written
            return cls(written.casefold(), exact, frozenset())
        ordinal = _ORDINALS.get(written.casefold())
        return cls(written.casefold(), None,
                   lemmas(fold(written)) | ({ordinal} if ordinal else set()))


def _skipped(word: str, skip: frozenset[str]) -> bool:
    return word.casefold() in skip or word.casefold().replace("’", "'") in skip


def _bare(word: str) -> str:
    """A word without its possessive ending ("ihub's" -> "ihub", "partners'" -> "partners"),
    so a question's "the ihub's support" finds the passages that say "the ihub"."""
    return re.sub(r"(?<=\w)['’]s?$", "", word)


def subject_terms(query: str, noun: tuple[str, str] = ("", "")) -> tuple[Term, ...]:
    """The words of a query that name its subject (see the module docstring), each once; an
    aspect word ("issues", "arrangements") only when it is all that is left."""
    skip = ENGLISH_STOP_WORDS | FRAMING | _QUESTION_WORDS | noun_words(noun)
    nouns = noun_words(noun)
    # A short part of a hyphenated word names nothing alone ("sleep-ins": "sleep", not "ins",
    # whose forms take in "in"; "e-mail": "mail").
    words = WORD.findall(re.sub(r"(?<=\w)-[a-z]{1,3}\b|\b[a-z]{1,3}-(?=\w)", " ", query))

    def named(n: int) -> bool:  # a subject word, aspect words included
        word = words[n]
        if word.isdigit() or _skipped(word, nouns):
            return False
        if word.casefold() in _NUMBER_WORDS:
            return n + 1 < len(words) and named(n + 1)
        return not _skipped(word, skip) or (_acronym(word) and len(word) > 1)

    found = [replace(Term.of(w), names_next=w.casefold() in _NUMBER_WORDS)
             for n, w in enumerate(words) if named(n)]
    kept = [t for t in found if t.word not in _ASPECT_WORDS] or found
    return tuple({t.word: t for t in reversed(kept)}.values())[::-1]


def subject_words(query: str, noun: tuple[str, str] = ("", "")) -> tuple[str, ...]:
    """The words of a query that name its subject, lower-cased (`subject_terms`)."""
    return tuple(t.word for t in subject_terms(query, noun))


def subject_text(query: str, noun: tuple[str, str] = ("", ""), context: Iterable[str] = ()
                 ) -> str:
    """The question less its framing, for the search by meaning: question words, framing words,
    the respondent noun and the `context` words out, stop words at either end out ("what did
    COs say about the governance of the IJB?" -> "governance of the IJB"); the query itself if
    nothing is left."""
    skip = FRAMING | _QUESTION_WORDS | noun_words(noun) | {w.casefold() for w in context}
    stop = ENGLISH_STOP_WORDS | _QUESTION_WORDS | _EDGE_WORDS
    words = [w for w in WORD.findall(query) if not _skipped(w, skip)]
    if any(not _skipped(w, stop | _ASPECT_WORDS) for w in words):
        words = [w for w in words if w.casefold() not in _ASPECT_WORDS]
    kept = {"not", "no", "never", "too", "enough"}  # they turn or scale what follows

    def loose(word: str) -> bool:
        return _skipped(word, stop) and not _acronym(word) and word.casefold() not in kept

    while words and loose(words[0]) and not (
            words[0].casefold() in _NUMBER_WORDS and len(words) > 1 and not loose(words[1])):
        words.pop(0)
    while words and loose(words[-1]):
        words.pop()
    return " ".join(words) or query


def common_context(question_texts: Iterable[str]) -> str:
    """What every answer searched is about: the words every one of the questions asked uses
    ("leisure centre" of "What do you think of the leisure centre?"), for `search`'s
    `context`."""
    texts = [t for t in question_texts if t.strip()]
    if not texts:
        return ""
    shared = set.intersection(*({w.casefold() for w in WORD.findall(t)} for t in texts))
    return " ".join(sorted(shared))


class _Words:
    """A text's words as the lexical search looks them up: folded lemmas, and acronyms."""

    __slots__ = ("acronyms", "forms")

    def __init__(self, text: str):
        raw = WORD.findall(text)
        self.forms: set[str] = set()
        self.acronyms: set[str] = set()
        for written in raw:
            word = _bare(written)
            self.forms |= lemmas(fold(word))
            if _acronym(word):
                self.acronyms.add(word[:-1] if word.endswith("s") and word[:-1].isupper()
                                  else word)

    def has(self, term: Term) -> bool:
        return term.exact in self.acronyms if term.exact else bool(term.forms & self.forms)


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    similarity: float  # cosine similarity to the question's subject, -1..1
    lexical: bool = False  # it uses every subject word the lexical search looked for
    close: bool = False  # found by meaning: at least the floor similar (and not its negation)


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    respondents: int  # distinct respondents among the hits
    denominator: int  # distinct respondents who answered the questions searched
    exhaustive: bool
    subject: tuple[str, ...] = ()  # the words naming the query's subject (`subject_words`)
    unused: tuple[str, ...] = ()  # those no passage in scope uses (exhaustive searches only)
    looked_for: tuple[str, ...] = ()  # the words a lexical hit uses (less the context words)
    searched: str = ""  # the text searched by meaning (`subject_text`)

    @property
    def nothing_found(self) -> bool:
        """Neither search found anything: no passage uses the subject's words, and none is
        close to its meaning."""
        return self.exhaustive and not self.hits


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


def unused_words(query: str, texts: Iterable[str], noun: tuple[str, str] = ("", "")
                 ) -> tuple[str, ...]:
    """The words naming the query's subject (`subject_terms`) that none of `texts` uses, in
    any inflection ("shortages" uses "shortage", "hard" uses "hardest")."""
    terms = subject_terms(query, noun)
    seen = [_Words(text) for text in texts]
    return tuple(t.word for t in terms if not any(words.has(t) for words in seen))


def search(store: Store, embedder: Embedder, query: str, scope: Scope = Scope(), *,
           limit: int = 10, exhaustive: bool = False,
           min_similarity: float = DEFAULT_MIN_SIMILARITY,
           noun: tuple[str, str] = ("", ""), context: str = "",
           contrast: bool | None = None) -> SearchResult:
    """Top `limit` passages by meaning, or with `exhaustive` every relevant passage: those that
    use every subject word (lexical) and those at or above `min_similarity` (meaning), and which
    subject words no passage in scope uses. `noun`, the respondent noun, is never a subject word;
    nor is a word of `context` (the words every question searched uses: what every answer is
    about, `common_context`), unless nothing else is left; a word most people in scope use
    (`CONTEXT_SHARE`) is left out of both searches, so "dementia care" asks about dementia, not
    about care. With `contrast` (by default, for a question about an excess or a lack:
    `_DEGREE`), a passage found by meaning alone must also be closer to the subject than to its
    negation: the embedding places "Affordable." near "too expensive", but nearer "not too
    expensive".

    The exhaustive search reads every passage in scope a page at a time (exact, in bounded
    memory, at any size), rather than asking the approximate index for all of them at once,
    which Chroma cannot do beyond some 32,000 passages."""
    import numpy as np

    collection = store.collection(embedder.name)
    people = store.respondents(scope.questions, scope.sources)
    about = _Words(context)
    every = subject_terms(query, noun)
    terms = tuple(t for t in every if not about.has(t)) or every
    left_out = tuple(t.word for t in every if t not in terms)
    searched = subject_text(query, noun, left_out)
    if contrast is None:
        contrast = _DEGREE.search(searched) is not None
    if not exhaustive:
        vector = np.asarray(embedder.embed([searched])[0], dtype=np.float32)
        # Nearest of all may be answers that only name the subject ("Food.", ten times for
        # "what did patients say about food?"): they say nothing of it, so come after those
        # that do, among a wider nearest set.
        near = store.nearest(collection, vector, scope, limit * BARE_DEPTH)
        near.sort(key=lambda found: _names_only(found[0].text, terms))  # stable: nearest first
        hits = [Hit(passage, similarity, close=True) for passage, similarity, _ in
                near[:limit]]
        return SearchResult(query, tuple(hits), len({h.passage.respondent for h in hits}),
                            len(people), False, tuple(t.word for t in terms), (), (), searched)
    scan = _Scan(store, collection, scope, terms, min_similarity, contrast)
    scan.read(embedder, searched)
    users = [{p.respondent for p, _, used, _ in scan.kept if n in used}
             for n in range(len(terms))]
    unused = tuple(t.word for t, who in zip(terms, users) if not who)
    common = {n for n, who in enumerate(users) if people and len(who) > CONTEXT_SHARE
              * len(people)}
    wanted = _wanted(terms, common)
    if len(wanted) < len(terms):  # the search by meaning leaves the common words out too
        narrower = subject_text(query, noun, left_out + tuple(
            terms[n].word for n in range(len(terms)) if n not in wanted))
        if narrower != searched and _readable(narrower):
            searched = narrower
            scan.read(embedder, searched)

    def lexical(used: frozenset[int]) -> bool:
        return bool(wanted) and wanted <= used

    hits = [Hit(passage, similarity, lexical(used), close)
            for passage, similarity, used, close in scan.kept if lexical(used) or close]
    hits.sort(key=lambda h: (-h.similarity, h.passage.passage_id))
    return SearchResult(query=query, hits=tuple(hits),
                        respondents=len({h.passage.respondent for h in hits}),
                        denominator=len(people), exhaustive=True,
                        subject=tuple(t.word for t in terms), unused=unused,
                        looked_for=tuple(terms[n].word for n in sorted(wanted)),
                        searched=searched)


def _names_only(text: str, terms: tuple[Term, ...]) -> bool:
    """Whether a passage's words are only the subject's (and words that say nothing)."""
    forms = {form for term in terms for form in term.forms}
    return all(w in ENGLISH_STOP_WORDS or lemmas(fold(w)) & forms or fold(w) in forms
               for w in WORD.findall(text.lower()))


def _wanted(terms: tuple[Term, ...], common: set[int]) -> frozenset[int]:
    """The terms the lexical search requires: all but the `common` ones, and but a number word
    whose word is common ("third" is not looked for alone when "sector" is left out); all of
    them if that leaves none."""
    wanted = {n for n in range(len(terms)) if n not in common}
    wanted -= {n for n in wanted if terms[n].names_next and n + 1 not in wanted}
    return frozenset(wanted) or frozenset(range(len(terms)))


def _readable(text: str) -> bool:
    """Whether the search by meaning can read `text`: the embedding reads lower case, so a text
    of stop words and acronyms that are stop words in lower case ("IT" is "it") says nothing."""
    return any(not _skipped(word, ENGLISH_STOP_WORDS) for word in WORD.findall(text))


class _Scan:
    """One reading of every passage in scope: those that use a subject word or are close to
    the subject in meaning."""

    def __init__(self, store: Store, collection: Any, scope: Scope, terms: tuple[Term, ...],
                 floor: float, contrast: bool):
        self.store, self.collection, self.scope = store, collection, scope
        self.terms, self.floor, self.contrast = terms, floor, contrast
        # (passage, similarity, the indices of the terms it uses, close: at least the floor
        # similar and, with contrast, not nearer the subject's negation)
        self.kept: list[tuple[Passage, float, frozenset[int], bool]] = []

    def read(self, embedder: Embedder, searched: str) -> None:
        import numpy as np

        vector, negated = (np.asarray(v, dtype=np.float32)
                           for v in embedder.embed([searched, f"not {searched}"]))
        unit = vector / max(float(np.linalg.norm(vector)), 1e-12)
        opposite = negated / max(float(np.linalg.norm(negated)), 1e-12)
        self.kept = []
        for passages, vectors in self.store.pages(self.collection, self.scope):
            norms = np.clip(np.linalg.norm(vectors, axis=1), 1e-12, None)
            similarity = (vectors @ unit) / norms
            close = similarity >= self.floor
            if self.contrast:  # closer to "not <subject>" than to the subject: not found
                close &= (vectors @ opposite) / norms <= similarity
            for i, passage in enumerate(passages):
                if is_non_answer(passage.text):
                    continue  # "Nothing.", "See above": near any subject, and about none
                lowered = passage.text.lower()
                maybe = [n for n, t in enumerate(self.terms) if t.may_be_in(passage.text,
                                                                               lowered)]
                words = _Words(passage.text) if maybe else None
                used = frozenset(n for n in maybe if words and words.has(self.terms[n]))
                if used or close[i]:
                    self.kept.append((passage, float(similarity[i]), used, bool(close[i])))
