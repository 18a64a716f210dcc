"""Model-led discovery (`--llm-task discover`), after i.AI's ThemeFinder: the model finds the
section's themes; code counts them.

1. The model reads the section's answers in batches of `BATCH` (those that passed screening and
   are not non-answers, whole answers, in response-id order; a section of more than
   `MAX_BATCHES` batches is read on an even sample) and replies with the themes each batch
   raises: a title, a description and up to three ids of answers that say it most clearly.
2. One call condenses the batches' themes to the section's budget (`--themes N`, the manifest's
   `max_themes`, else scaled to the answers) and refines their titles; it is skipped when one
   batch already gave no more than the budget. A theme the reply merges into none is kept as it
   was while the budget has room; a condensing reply that cannot be used keeps the themes most
   answers support, up to the budget.
3. Each theme becomes a codebook theme (its title and description; the answers it cites are
   not its examples, so they do not decide what it means) and every segment is coded against
   it as against an analyst's codebook (summariser.draft.coding): by meaning, and the answers
   the model cited only where they are as close to the theme as coding by meaning asks
   (`MEANING_FLOOR`). Counts are the people with coded evidence.
Every title and description goes through the checks a model's words face (summariser.draft
.claims, summariser.draft.section): a title fails to the title offline drafting gives the
evidence coded to the theme (or the theme is left out), a description to none. Ids a reply
cites that were not in its batch, answers a batch reply cites in no theme, and themes
condensing dropped are listed in the draft's notes and written beside the call in the run log.
Each call is asked again once when its reply cannot be used (summariser.draft.calls): at most
`MAX_BATCHES` + 1 calls and as many re-asks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summariser.draft.codebook import CodebookTheme
from summariser.draft.coding import MEANING_FLOOR
from summariser.draft.propose import non_answers, propose_themes
from summariser.draft.replies import ReplyError
from summariser.draft.section import Proposal
from summariser.errors import ModelError
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence

if TYPE_CHECKING:
    from summariser.draft.chain import LLMBackend

BATCH = 50  # answers a call reads (ThemeFinder's batch)
MAX_BATCHES = 10  # a larger section is read on an even sample of BATCH * MAX_BATCHES answers
MAX_ANSWER_CHARS = 600  # an answer is shown up to this long: its theme is in its opening
LISTED = 12  # ids named in a note (the rest are counted)


@dataclass
class _Found:
    title: str
    description: str
    answers: list[str]  # response ids the model cited, all of them in its batch


def discover(backend: LLMBackend, section: Section, evidence: Evidence, budget: int,
             context: str) -> Proposal:
    """The section's codebook as the model found it (see the module docstring)."""
    from summariser.draft.chain import _description, _OwnWords

    quiet = non_answers(evidence.counted, context)
    parts: dict[str, list[Passage]] = {}
    for passage in evidence.counted:
        if passage.response_id not in quiet:
            parts.setdefault(passage.response_id, []).append(passage)
    if len(parts) < 2:
        return Proposal(())
    everyone = sorted(parts)
    step = max(1, -(-len(everyone) // (BATCH * MAX_BATCHES)))
    read = everyone[::step]
    key = {f"A{n}": response for n, response in enumerate(read, 1)}
    keys = list(key)
    batches = [keys[i:i + BATCH] for i in range(0, len(keys), BATCH)]
    notes: list[str] = []
    if step > 1:
        notes.append(f"The model read an even sample of {len(read)} of the {len(everyone)} "
                     f"answers in {len(batches)} batches; every answer was coded.")
    values = {"section_title": section.heading, "questions": context or section.heading,
              "respondent_noun": backend.noun[1]}
    replies = backend._batch("discover_themes", [{"section": section.id, "values": {
        **values, "max_themes": budget,
        "passages": "\n".join(json.dumps({"id": k, "text": _answer(parts[key[k]])},
                                         ensure_ascii=False) for k in batch)}}
        for batch in batches])
    found: list[_Found] = []
    unusable = 0
    step_found = backend.steps["discover_themes"]
    for number, (batch, reply) in enumerate(zip(batches, replies), 1):
        if isinstance(reply, ReplyError):
            unusable += 1
            continue
        mine = set(batch)
        cited = [(theme, list(theme.answers)) for theme in reply.themes]
        invented = sorted({i for _, ids in cited for i in ids if i not in mine})
        omitted = [k for k in batch if all(k not in ids for _, ids in cited)]
        for theme, ids in cited:
            found.append(_Found(backend.redactor.restore(theme.title),
                                backend.redactor.restore(theme.description),
                                list(dict.fromkeys(key[i] for i in ids if i in mine))))
        said = _ids_note(number, len(batches), invented,
                         [parts[key[k]][0].respondent for k in omitted])
        notes += said
        if said:
            step_found.note(reply, " ".join(said))
    if unusable == len(batches):
        offline, said = propose_themes(evidence.counted, evidence.counted_vectors, budget,
                                       context, backend.noun, section.max_themes is None,
                                       about=evidence.about, embed=evidence.embed,
                                       masked=evidence.masked)
        reason = (f"none of its {len(batches)} replies finding themes in the answers fitted "
                  "the requested shape")
        return Proposal(tuple(offline), notes=(*notes, *said), fallback=reason)
    if unusable:
        notes.append(f"The model's reply for {unusable} of {len(batches)} batches of answers "
                     "could not be used; those answers were still coded against the themes "
                     "found in the others.")
    if len(found) > budget or len(batches) > 1:
        found = _condense(backend, section, values, found, budget, notes)
    found = _unique(found, budget, notes)
    themes: list[CodebookTheme] = []
    assignments: dict[str, tuple[str, ...]] = {}
    renamed: dict[str, str] = {}
    own_words = _OwnWords.of(evidence)
    for number, theme in enumerate(found, 1):
        theme_id = f"m{number}"
        # No examples: the theme means what its title and description say, so the answers the
        # model cited are a claim coding checks, not what decides the theme's meaning.
        themes.append(CodebookTheme(
            id=theme_id, title=theme.title,
            description=_description(theme.title, theme.description, own_words, "", notes)))
        assignments[theme_id] = tuple(p.passage_id for r in theme.answers for p in parts[r])
        renamed[theme_id] = ""  # its offline title is named from the evidence coded to it
    notes.insert(0, f"The model found this section's themes in {len(batches)} batch(es) of "
                 f"answers ({len(themes)} themes); who counts was decided by coding.")
    return Proposal(tuple(themes), assignments, tuple(notes), renamed=renamed,
                    assigned_floor=MEANING_FLOOR)


def _answer(parts: list[Passage]) -> str:
    text = " ".join(p.text.strip() for p in sorted(parts, key=lambda p: p.start))
    return text if len(text) <= MAX_ANSWER_CHARS else text[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0]


def _ids_note(number: int, batches: int, invented: list[str], omitted: list[str]) -> list[str]:
    """What a batch reply's ids say beyond its themes, for the draft and the run log."""
    where = f"batch {number} of {batches}" if batches > 1 else "its reply"
    said = []
    if invented:
        said.append(f"In {where} the model cited {len(invented)} answer id(s) that were not "
                    f"in the batch, which were ignored: {_listed(invented)}.")
    if omitted:
        said.append(f"In {where} the model cited {len(omitted)} answer(s) under no theme "
                    f"(coded like every other): {_listed(omitted)}.")
    return said


def _listed(ids: list[str]) -> str:
    more = len(ids) - LISTED
    return ", ".join(ids[:LISTED]) + (f" and {more} more" if more > 0 else "")


def _condense(backend: LLMBackend, section: Section, values: dict[str, str],
              found: list[_Found], budget: int, notes: list[str]) -> list[_Found]:
    """The batches' themes merged to the budget by one call (see the module docstring)."""
    ids = {f"T{n}": theme for n, theme in enumerate(found, 1)}
    listed = "\n".join(json.dumps({"id": k, "title": t.title, "description": t.description},
                                  ensure_ascii=False) for k, t in ids.items())
    try:
        [reply] = backend._batch("condense_themes", [{"section": section.id, "values": {
            **values, "max_themes": budget, "themes": listed}}])
    except ModelError:  # the batches' themes are found, cached and worth keeping: not a stop
        reply = None
    if reply is None or isinstance(reply, ReplyError):
        kept = sorted(found, key=lambda t: -len(t.answers))[:budget]
        what = "call condensing {} themes failed after its retries" if reply is None else \
            "reply condensing {} themes could not be used"
        retry = " (draft again with a longer --timeout or more --retries to condense them)" \
            if reply is None else ""
        notes.append(f"The model's {what.format(len(found))}; the {len(kept)} that most "
                     f"answers support were kept{retry}.")
        return kept
    merged: list[_Found] = []
    used: set[str] = set()
    unknown: set[str] = set()
    for theme in reply.themes:
        joins = [k for k in theme.merges if k in ids]
        unknown |= {k for k in theme.merges if k not in ids}
        used |= set(joins)
        merged.append(_Found(backend.redactor.restore(theme.title),
                             backend.redactor.restore(theme.description),
                             list(dict.fromkeys(r for k in joins for r in ids[k].answers))))
    said = []
    if unknown:
        said.append(f"Condensing, the model cited {len(unknown)} theme id(s) that did not "
                    f"exist, which were ignored: {_listed(sorted(unknown))}.")
    # The prompt says to drop a theme only when the list is full: one it merged into none is
    # kept as it was while there is room (those most answers support first).
    dropped = sorted((t for k, t in ids.items() if k not in used), key=lambda t: -len(t.answers))
    kept = dropped[:max(0, budget - len(merged))]
    if dropped:
        said.append(f"Condensing, the model merged {len(dropped)} of the batches' themes into "
                    f"none ({'; '.join(t.title for t in dropped)}); "
                    + (f"{len(kept)} were kept as they were, within the budget of {budget}."
                       if kept else f"the budget of {budget} was full."))
    merged += kept
    notes += said
    if said:
        backend.steps["condense_themes"].note(reply, " ".join(said))
    return merged


def _unique(found: list[_Found], budget: int, notes: list[str]) -> list[_Found]:
    """One theme per title, at most `budget` (those most answers support kept)."""
    by_title: dict[str, _Found] = {}
    for theme in found:
        same = by_title.get(theme.title.lower())
        if same is None:
            by_title[theme.title.lower()] = theme
        else:
            same.answers = list(dict.fromkeys(same.answers + theme.answers))
    themes = list(by_title.values())
    if len(themes) > budget:
        ranked = sorted(themes, key=lambda t: -len(t.answers))
        notes.append(f"The model gave {len(themes)} themes for a budget of {budget}; those "
                     "fewest answers support were left out: "
                     + "; ".join(t.title for t in ranked[budget:]) + ".")
        themes = [t for t in themes if t in ranked[:budget]]
    return themes
