"""The LLM backend: the model names and describes themes, code counts them.

Division of labour:
- Code splits answers into segments, embeds them, proposes themes from shared phrases
  (summariser.draft.propose) and codes every segment (summariser.draft.coding): counts always
  come from coded evidence, never from the model's prose.
- Task `name` (the default for a local model, and for any section too large for one call): the
  model is asked only for what a small model can do, a title and a one-sentence description for
  one offline-proposed theme at a time, as short JSON held to a schema. Themes are named in a
  batch (`max_concurrency`). Two themes the model names alike are merged; a theme whose reply
  cannot be used keeps its offline name, and the draft says so.
- Task `draft` (the default for a remote model when the section fits one call): the model drafts
  the section's codebook in one call, themes of its own (merging or splitting what phrases would
  give) with the passage ids that speak to each. Passages it left unassigned are listed and asked
  about once more (`place_passages`); those still unplaced are reported and coded offline like any
  other. If its reply cannot be used after one re-ask, the section is the offline draft and says
  so (`Proposal.fallback`).
- Task `discover`: the model finds the section's themes itself, over batches of answers, and
  condenses them to the section's budget (summariser.draft.model_themes); code codes every
  segment against them.
Passages go to the model as JSON lines inside a <passages> block and the prompt says they are
data; whatever a passage says, code holds the output to the same rules (section.py, coding.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from summariser.draft.calls import CallContext, RunLogHandler, Step
from summariser.draft.claims import Answers, description_problem
from summariser.draft.codebook import CodebookTheme
from summariser.draft.models import DEFAULT_RETRIES, is_local, model_identity, model_name
from summariser.draft.phrases import Phrase, first_match
from summariser.draft.propose import propose_themes
from summariser.draft.redact import Redactor
from summariser.draft.replies import ReplyError
from summariser.draft.runlog import RunLog
from summariser.draft.section import Proposal, ProposedAnswer
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence

TASKS = ("auto", "name", "draft", "discover")
CHARS_PER_TOKEN = 4  # a rough estimate, only used to decide whether a section fits one call
WHOLE_SECTION_BUDGET = 60_000  # tokens of passages a remote model drafts in one call
NAME_EXAMPLES = 8  # typical answers shown when naming a theme
PLACE_CHUNK = 40  # unassigned passages asked about per call
MAX_THEMES = 12


def _lines(values: dict[str, Any]) -> int:
    return str(values.get("passages", "")).count("\n") + 1


# Replies are short and their length is known from the request: a limit sized to it stops a
# model that repeats itself early, and a reply cut off by it is detected and asked again.
MAX_TOKENS = {
    "name_theme": lambda v: 160,
    "draft_section": lambda v: 150 + 60 * int(v["max_themes"]) + 6 * _lines(v),
    "place_passages": lambda v: 40 + 16 * _lines(v),
    "discover_themes": lambda v: 40 + 90 * int(v["max_themes"]),
    "condense_themes": lambda v: 40 + 80 * int(v["max_themes"]) + 4 * _lines(
        {"passages": v["themes"]}),
    "revise_quote": lambda v: 160,
    "answer_question": lambda v: 400 + 6 * _lines(v),
}


class LLMBackend:
    """Drafting with a chat model. `chat_model` is any LangChain chat model."""

    def __init__(self, chat_model: Any, runlog: RunLog, run_id: str, *, backend: str,
                 redactor: Redactor | None = None, use_cache: bool = True,
                 noun: tuple[str, str] = ("respondent", "respondents"), task: str = "auto",
                 retries: int = DEFAULT_RETRIES, max_tokens: int | None = None,
                 concurrency: int | None = None, local: bool = False,
                 identity: str | None = None, on_close: Callable[[], None] | None = None):
        self.name = backend
        self.model = model_name(chat_model)
        # In this process, or the local backend's own server: nothing leaves the machine.
        self.local = local or is_local(chat_model)
        self._on_close = on_close
        self.noun = noun
        self.task = task
        # One in-process model runs one call at a time; a server takes a few at once.
        self.concurrency = concurrency or (1 if self.local else 4)
        # Local models see the original text: nothing leaves the machine.
        self.redactor = redactor if redactor and not self.local else Redactor(enabled=False)
        context = CallContext(chat_model, identity or model_identity(chat_model), runlog, run_id,
                              RunLogHandler(runlog, run_id, self.model), self.redactor,
                              use_cache, retries, max_tokens)
        self.steps = {name: Step(name, context, size) for name, size in MAX_TOKENS.items()}
        self._prefetched: dict[str, Proposal | Exception] = {}

    def close(self) -> None:
        """Stop what the backend started (the local model's server)."""
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def prefetch(self, requests: Sequence[tuple[Section, Evidence, int, str]]) -> None:
        """Propose several sections at once (`max_concurrency`), for `propose` to hand out.
        A section's failure is kept and raised when that section is drafted, so the sections
        before it are still written. One call at a time gains nothing: then it does nothing."""
        if self.concurrency < 2 or len(requests) < 2:
            return
        from langchain_core.runnables import RunnableLambda

        def propose(request: tuple[Section, Evidence, int, str]) -> Proposal:
            return self._propose(*request)

        proposals = RunnableLambda(propose, name="propose_section").batch(
            list(requests), config={"max_concurrency": self.concurrency},
            return_exceptions=True)
        for (section, *_), proposal in zip(requests, proposals):
            self._prefetched[section.id] = proposal

    # --- Backend protocol --------------------------------------------------------------------

    def propose(self, section: Section, evidence: Evidence, budget: int,
                context: str = "") -> Proposal:
        ready = self._prefetched.pop(section.id, None)
        if isinstance(ready, Exception):
            raise ready
        return ready if ready is not None else self._propose(section, evidence, budget, context)

    def _propose(self, section: Section, evidence: Evidence, budget: int,
                 context: str = "") -> Proposal:
        if not evidence.counted:
            return Proposal(())
        if self.task == "discover":
            from summariser.draft.model_themes import discover

            return discover(self, section, evidence, budget, context)
        if not self._whole(evidence):
            return self._name_offline(section, evidence, budget, context)
        try:
            return self._draft_whole(section, evidence, budget, context)
        except ReplyError as exc:
            themes, notes = propose_themes(evidence.counted, evidence.counted_vectors, budget,
                                           context, self.noun, section.max_themes is None,
                                           about=evidence.about, embed=evidence.embed,
                                           masked=evidence.masked)
            reason = str(exc)
            return Proposal(tuple(themes), notes=(
                *notes, f"Offline draft: {reason[0].upper()}{reason[1:]}."), fallback=reason)

    def _whole(self, evidence: Evidence) -> bool:
        if self.task in ("name", "draft"):
            return self.task == "draft"
        size = sum(len(p.text) for p in evidence.passages) // CHARS_PER_TOKEN
        return not self.local and size <= WHOLE_SECTION_BUDGET

    def _batch(self, step: str, inputs: list[dict[str, Any]]) -> list[Any]:
        """Replies (or ReplyErrors) in order; any other failure stops the run, in one line."""
        results = self.steps[step].runnable.batch(
            inputs, config={"max_concurrency": self.concurrency}, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception) and not isinstance(result, ReplyError):
                raise result
        return results

    def _name_offline(self, section: Section, evidence: Evidence, budget: int,
                      context: str) -> Proposal:
        offline, notes = propose_themes(evidence.counted, evidence.counted_vectors, budget,
                                        context, self.noun, section.max_themes is None,
                                        about=evidence.about, embed=evidence.embed,
                                        masked=evidence.masked)
        if not offline:
            return Proposal((), notes=tuple(notes))
        inputs = [{"section": section.id, "values": {
            "section_title": section.heading, "questions": context or section.heading,
            "respondent_noun": self.noun[1],
            "phrases": ", ".join(f'"{p}"' for p in theme.phrases),
            "passages": passage_lines(_typical(theme, evidence.counted))}}
            for theme in offline]
        themes: list[CodebookTheme] = []
        kept: list[str] = []
        renamed: dict[str, str] = {}
        own_words = _OwnWords.of(evidence)
        for theme, reply in zip(offline, self._batch("name_theme", inputs)):
            if isinstance(reply, ReplyError):
                themes.append(theme)  # the offline name stands
                kept.append(theme.title)
                continue
            title = self.redactor.restore(reply.title)
            described = _description(title, self.redactor.restore(reply.description),
                                     own_words, theme.description, notes)
            named = replace(theme, title=title, description=described)
            renamed[theme.id] = theme.title
            same = next((t for t in themes if t.title.lower() == named.title.lower()), None)
            if same is None:
                themes.append(named)
                continue
            themes[themes.index(same)] = replace(  # named alike: one theme
                same, phrases=same.phrases + named.phrases, examples=same.examples + named.examples)
            notes.append(f"The model named two proposed themes '{named.title}'; they were "
                         "merged.")
        notes.append("Themes were proposed from shared phrases and named by the model; who "
                     "counts was decided by coding.")
        if kept and len(kept) == len(offline):
            reason = (f"none of its {len(offline)} replies naming the themes fitted the "
                      "requested shape")
            return Proposal(tuple(offline), notes=tuple(notes[:-1]), fallback=reason)
        if kept:
            notes.append(f"The model's reply for {len(kept)} theme(s) could not be used, so "
                         f"they keep their offline names: {'; '.join(kept)}.")
        return Proposal(tuple(themes), notes=tuple(notes), renamed=renamed)

    def _draft_whole(self, section: Section, evidence: Evidence, budget: int,
                     context: str) -> Proposal:
        ids = {f"P{n}": p for n, p in enumerate(evidence.passages, 1)}
        reply = self.steps["draft_section"].runnable.invoke({"section": section.id, "values": {
            "section_title": section.heading, "section_description": section.description,
            "questions": context or ", ".join(section.questions) or "(interviews and notes)",
            "respondent_noun": self.noun[1], "max_themes": min(budget, MAX_THEMES),
            "passages": passage_lines(ids)}})
        themes: list[CodebookTheme] = []
        assignments: dict[str, tuple[str, ...]] = {}
        unknown: set[str] = set()
        notes: list[str] = []
        own_words = _OwnWords.of(evidence)
        for number, drafted in enumerate(reply.themes, 1):
            title = self.redactor.restore(drafted.title)
            theme = CodebookTheme(id=f"m{number}", title=title, description=_description(
                title, self.redactor.restore(drafted.description), own_words, "", notes))
            themes.append(theme)
            assignments[theme.id] = tuple(ids[i].passage_id for i in drafted.passages if i in ids)
            unknown |= {i for i in drafted.passages if i not in ids}
        notes.insert(0, f"The model drafted this section's codebook ({len(themes)} themes); "
                     "who counts was decided by coding.")
        if unknown:
            notes.append(f"The model cited {len(unknown)} passage id(s) that do not exist; they "
                         "were ignored.")
        counted = {p.passage_id for p in evidence.counted}
        placed = {pid for pids in assignments.values() for pid in pids}
        left = {key: p for key, p in ids.items() if p.passage_id in counted - placed}
        if left:
            assignments = self._place(section, themes, left, assignments)
        placed = {pid for pids in assignments.values() for pid in pids}
        unplaced = tuple(p.passage_id for p in left.values() if p.passage_id not in placed)
        return Proposal(tuple(themes), assignments, tuple(notes), unplaced=unplaced)

    def _place(self, section: Section, themes: list[CodebookTheme], left: dict[str, Passage],
               assignments: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """Ask once more where the unassigned passages belong."""
        listed = "\n".join(json.dumps({"id": t.id, "title": t.title,
                                       "description": t.description}, ensure_ascii=False)
                           for t in themes)
        keys = list(left)
        chunks = [dict((k, left[k]) for k in keys[i:i + PLACE_CHUNK])
                  for i in range(0, len(keys), PLACE_CHUNK)]
        replies = self._batch("place_passages", [
            {"section": section.id, "values": {"themes": listed, "passages": passage_lines(c)}}
            for c in chunks])
        merged = {k: list(v) for k, v in assignments.items()}
        for chunk, reply in zip(chunks, replies):
            if isinstance(reply, ReplyError):
                continue
            for placement in reply.placements:
                if placement.passage in chunk and placement.theme in merged:
                    merged[placement.theme].append(chunk[placement.passage].passage_id)
        return {k: tuple(v) for k, v in merged.items()}

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None:
        try:
            reply = self.steps["revise_quote"].runnable.invoke({"section": section_id, "values": {
                "passage": passage.text, "quote": quote, "reason": reason}})
        except ReplyError:
            return None
        return self.redactor.restore(reply.text) or None

    def answer_question(self, question: str, passages: Sequence[Passage], denominator: int,
                        noun: tuple[str, str], max_quotes: int) -> ProposedAnswer:
        """The model reads the passages, says which are relevant (those are counted) and
        proposes quotes; the prompt asks for at most three."""
        ids = {f"P{n}": p for n, p in enumerate(passages, 1)}
        try:
            reply = self.steps["answer_question"].runnable.invoke({"section": "ask", "values": {
                "question": question, "respondent_noun": noun[1],
                "passages": passage_lines(ids)}})
        except ReplyError as exc:
            return ProposedAnswer(f"No answer: {exc}.", (), ())
        relevant = [ids[i] for i in reply.relevant if i in ids]
        quotes = [(ids.get(q.passage), self.redactor.restore(q.text)) for q in reply.quotes]
        return ProposedAnswer(self.redactor.restore(reply.answer), tuple(relevant),
                              tuple(quotes))


@dataclass(frozen=True)
class _OwnWords:
    """What a section's descriptions may not repeat: its respondent and response ids, and its
    answers' words (read once per section, not once per theme)."""

    ids: frozenset[str]
    answers: Answers

    @classmethod
    def of(cls, evidence: Evidence) -> _OwnWords:
        return cls(evidence.ids(), Answers(p.text for p in evidence.passages))


def _description(title: str, written: str, own_words: _OwnWords, instead: str,
                 notes: list[str]) -> str:
    """The model's description when it makes no claim the gate cannot check and does not
    repeat an answer's words (see summariser.draft.claims); otherwise `instead`, with a note
    saying why."""
    sentence = first_sentence(written)
    problem = description_problem(sentence, own_words.ids, own_words.answers)
    if problem is None:
        return sentence
    notes.append(f"The model's description of '{title}' was not used: {problem}.")
    return instead


def _typical(theme: CodebookTheme, passages: Sequence[Passage]) -> dict[str, Passage]:
    """Up to NAME_EXAMPLES answers using the theme's phrases or given as its examples (a theme
    found by meaning may have no phrase), its examples first, one per person."""
    phrases = [Phrase.of(p) for p in theme.phrases]
    chosen: list[Passage] = []
    users = [p for p in passages if first_match(phrases, p.text) or p.text in theme.examples]
    for passage in sorted(users, key=lambda p: (p.text not in theme.examples, p.passage_id)):
        if all(c.respondent != passage.respondent for c in chosen):
            chosen.append(passage)
        if len(chosen) == NAME_EXAMPLES:
            break
    return {f"P{n}": p for n, p in enumerate(chosen, 1)}


_NARRATION = re.compile(
    r"^(the|this|these)\s+(passages?|answers?|responses?|theme|comments?)\s+(\w+ly\s+)?"
    r"(discuss|suggest|highlight|describe|mention|emphasi[sz]e|focus(es)? on|talk about|raise|"
    r"express|cover|address)(es|s|ed)?\s+(that\s+)?", re.IGNORECASE)


def first_sentence(text: str) -> str:
    """A description is one sentence about the theme: models often write two, stop mid-word at
    the limit, or narrate ("The passage discusses ..."), which is cut. It states no amount of
    people ("Most respondents...", "a third", "75%": `summariser.text.amounts`): only code
    states amounts, so a description that does is not used (empty)."""
    from summariser.text.amounts import states_amount
    from summariser.text.sentences import sentences

    found = sentences(text)
    sentence = found[0][1].strip() if found else text.strip()
    if states_amount(sentence):
        return ""
    rest = _NARRATION.sub("", sentence, count=1)
    return rest[:1].upper() + rest[1:] if rest and rest != sentence else sentence


def passage_lines(ids: dict[str, Passage]) -> str:
    """One JSON object per line: the passage text is escaped, so it cannot break the format."""
    return "\n".join(json.dumps({"id": key, "who": p.respondent, "text": p.text},
                                ensure_ascii=False) for key, p in ids.items())
