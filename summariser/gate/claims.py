"""Number claims in a draft's prose, for `summariser eval`: counts ("four of 16 Chief Officers",
"Six respondents (37%)", "eight (66%)", "at least three respondents", "nine COs", "nine C.O.s",
"nine officers", "nine partnerships (56%)", "16 responded and 15 did not", "responses were
received from 16", "a response rate of 52%"), amounts ("most Chief Officers", "the majority",
"everyone", "two thirds of respondents", "one in three Chief Officers", "most of the 16", "ten
or so Chief Officers", the vocabulary of `summariser.text.amounts`), percentages of people ("75%
of respondents", "seventy per cent of Chief Officers", "70% of those surveyed") and statistics
("a mean of 8.6", "median 7"), read sentence by sentence with the quotes blanked out.
`summariser.gate.run` checks them.

A theme is named by its title only outside the claims themselves: in "Raised by four of 16
Patients (25%)" the words "16 Patients" are the count, not the theme "Patients", so a theme may
be titled with the respondent noun and its count still sits under it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import lemminflect

from summariser.gate.blocks import match_key, one_line
from summariser.gate.parsed import DraftQuote, GroupFigure, NumberClaim, ThemeFacts, Ungrouped
from summariser.gate.tables import GROUP_FIGURE, TABLE_STATISTIC
from summariser.gate.ungrouped import ungrouped_notes
from summariser.project.manifest import Manifest
from summariser.text.amounts import (
    ALONE,
    AMOUNT_PATTERN,
    PERCENT_PATTERN,
    amount_meaning,
    counts_itself,
    percent_value,
)
from summariser.text.sentences import sentences
from summariser.text.wording import NUMBER_PATTERN, head_noun, initials_spellings, number_value

__all__ = ["BLANKED_QUOTE", "TOOK_PART", "ClaimFinder", "alternatives"]

BLANKED_QUOTE = "“…”"  # what a quote becomes in the prose searched for claims

_GENERIC_NOUNS = ("respondents", "respondent", "participants", "participant", "interviewees",
                  "interviewee", "people", "members", "member")
_BOUND = r"(?P<bound>at\s+least|more\s+than|over|fewer\s+than|less\s+than|up\s+to)\s+"
_STATISTIC = re.compile(  # "a mean of 8.6", "(mean 8.6)", "averaged 6.8", "median 7", and
    # "the mean rating for Financial pressures was 6.8" (the label between: `_rating_named`)
    r"(?:\b(?P<stat>mean|average|median)(?:\s+(?:score|rating|value))?(?:\s+(?:was|is|of)|\s*[=:])?"
    r"\s*(?P<v>\d+(?:\.\d+)?)\b(?!\s*%)|\baverag(?:ed|es)\s+(?P<v2>\d+(?:\.\d+)?)\b(?!\s*%)"
    r"|\b(?P<stat3>mean|average|median)(?:\s+(?:score|rating|value))?\s+(?:for|of)\s+"
    r"[^\d.;:()]{1,80}?\s+(?:was|is|stood\s+at|of)\s+(?P<v3>\d+(?:\.\d+)?)\b(?!\s*%))"
    r"(?P<above>\s+(?:and|or)\s+(?:above|over|more|higher))?", re.IGNORECASE)


def _own_count(amount: re.Match) -> bool:
    """An amount that is a count of its own: "all but one", "all but two", "about ten", "ten
    or so"."""
    return counts_itself(amount_meaning(amount.group("q")))


def _of_people(sentence: str, amount: re.Match) -> bool:
    """Whether an amount speaks of people: the respondent noun after it, an amount that needs
    none ("nobody"), "of these", or one that did something, in the past tense ("Nearly all
    mentioned familiar faces", "most felt ...")."""
    return amount.group("noun") is not None or one_line(amount.group("q")).lower() in ALONE \
        or re.match(r"\s+of\s+(?:these|them|those)", sentence[amount.end("q"):]) is not None \
        or (amount.group("total") is not None  # "most of the 16", not "most of the 16 areas"
            and number_value(amount.group("total")) > 1  # nor "each one"
            and not _names_things(sentence[amount.end():])) \
        or (amount.group("total") is None and amount_meaning(amount.group("q")) != "none"
            and _does(sentence[amount.end():]))  # "None rated any dissatisfaction": of an
    # option or a reading the gate may not find, and read only with its noun


# What people did in an answer: an amount with a verb in the past tense after it is an
# amount of people ("Nearly all mentioned ...").
_DID = re.compile(r"\s+(?:also\s+|all\s+)?(?P<verb>[a-z]+)\b(?P<after>\s*,?)", re.IGNORECASE)
# ... unless the verb's form describes the noun after it, whose own verb follows ("All
# qualified nurses were ...", "Most planned savings were not made").
_DESCRIBES = re.compile(r"\s*[a-z]+\s+(?:were|was|are|is|had|have|has|will|would|could|can|"
                        r"did|do|does)\b", re.IGNORECASE)
# What an amount of answers is of: the gate counts people, not these.
_ANSWERS = re.compile(r"(?:\s+of)?(?:\s+(?:the|these|those|their))?\s+(?:comments|answers|"
                      r"responses|replies|remarks|suggestions|mentions|views|opinions)\b",
                      re.IGNORECASE)


def _does(rest: str) -> bool:
    """Whether `rest` opens with what people did, a verb in the past tense ("mentioned",
    "said"): not one set off by a comma ("All considered, ..."), nor one that describes the
    noun after it ("All qualified nurses were ...")."""
    did = _DID.match(rest)
    if did is None or did.group("after").endswith(","):
        return False
    verb = did.group("verb").lower()
    lemma = lemminflect.getAllLemmas(verb).get("VERB")
    if not lemma or verb not in lemminflect.getInflection(lemma[0], "VBD"):
        return False
    return _DESCRIBES.match(rest, did.end()) is None


def _of_answers(sentence: str, amount: re.Match) -> re.Match | None:
    """The answers an amount is of ("Most comments were about ...", "nearly all of the
    responses"): a share of what was written, which the gate does not count; else None."""
    if amount.group("noun") is not None or amount.group("total") is not None:
        return None
    return _ANSWERS.match(sentence, amount.end("q"))


def _names_things(rest: str) -> bool:
    """Whether `rest` opens with a word that can be a plural noun ("areas said"), rather than
    what people did ("said", "were")."""
    word = re.match(r"\s+([^\W\d_]+)", rest)
    if word is None:
        return False
    found = lemminflect.getAllLemmas(word.group(1).lower())
    return "NOUN" in found and found["NOUN"][0] != word.group(1).lower()


def _of_a_whole(amount: re.Match) -> bool:
    """An amount of a number of people other than all of them: "most of the 16", "none of the
    16" (16 is who the amount is of, not a count; in "all 16" it is both)."""
    return bool(amount.group("total")) and amount_meaning(amount.group("q")) != "all"


def _amount_end(sentence: str, amount: re.Match) -> int:
    """Where the numbers an amount holds end: after "all but k" or "about k" of people, its
    denominator too ("all but one of 16 Chief Officers"), as after an amount of a number of
    people (`_of_a_whole`); an amount of anything else leaves its numbers to be read as counts,
    as they were before it was read ("about 40 beds (20%)")."""
    if not _own_count(amount) and not _of_a_whole(amount):
        return amount.end("q")
    if _of_people(sentence, amount):
        return amount.end()
    return amount.start("q") if _own_count(amount) else amount.end("q")


_ONLY = re.compile(r"\b(?:only|just)\s+$", re.IGNORECASE)
# Who took part in the survey, stated with no noun ("16 responded"), and the share of those
# invited. Not "answered": "Three answered; one did not" is of one question, not the survey.
TOOK_PART = r"(?:responded|replied|took\s+part|returned\s+(?:it|the|their))\b"
_RESPONDED = re.compile(rf"(?<!\bof\s)(?<!\bthe\s)\b(?P<n>{NUMBER_PATTERN})\s+{TOOK_PART}"
                        r"(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)\s*\))?",
                        re.IGNORECASE)
# Those invited who did not take part, said straight after who did: "16 responded and 15 did
# not", "16 of 31 replied (52%); 15 did not", with their noun or share ("and 15 Chief Officers
# (48%) did not") (not "14 responded to this question and two did not", nor "five raised it
# and 11 did not").
_DID_NOT = re.compile(rf"\b{TOOK_PART}(?:\s*\([^()]*\))?\s*[,;]?\s+(?:(?:and|but|while|whereas)"
                      rf"\s+)?(?P<n>{NUMBER_PATTERN})(?:\s+[^\W\d_][\w'’-]*){{0,2}}?"
                      r"(?:\s*\(\s*\d+(?:\.\d+)?\s*(?:%|per\s*cent\b)\s*\))?"
                      r"\s+did\s+not(?:\s+(?:respond|reply|take\s+part))?"
                      r"\b(?=\s*(?:[.,;:()]|$))", re.IGNORECASE)
# A count of those who did not: "Five Chief Officers did not raise governance"; of them, who
# did not take part: "Fifteen Chief Officers did not respond".
_NOT = r"\s+(?:did\s+not|didn[’']t|do\s+not|don[’']t|never|failed\s+to)"
_NEGATED = re.compile(rf"{_NOT}\b", re.IGNORECASE)
# ... of those invited, said between: "Fifteen (48%) of those invited did not respond".
_OF_INVITED = r"(?:(?:\s+of\s+(?:those|all\s+those|the(?:\s+\d+)?))?\s+(?:invited|asked))?"
_STAYED_AWAY = re.compile(rf"{_OF_INVITED}{_NOT}\s+(?:respond|reply|take\s+part|return"
                          r"|(?:answer|complete|fill\s+in|fill\s+out)\s+(?:the|our|this|a)\s+"
                          r"(?:survey|questionnaire))\b", re.IGNORECASE)
_RATE = re.compile(  # "a response rate of 52%", "a 52% response rate", "52% responded"
    r"\bresponse\s+rate\s+(?:of\s+|was\s+|is\s+|:\s*)?(?P<p>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)"
    r"|(?<![\d.])(?P<p2>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)\s+(?:response\s+rate\b|"
    + TOOK_PART + ")"
    # "Sixteen of the 31 invited responded (52%)": the share straight after who took part
    + r"|" + TOOK_PART + r"\s*\(\s*(?P<p3>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)\s*\)",
    re.IGNORECASE)
# Who took part, counted by what they sent: "we received 19 responses", "18 questionnaires were
# returned", "responses were received from 18 Chief Officers", "we heard from 18 Chief Officers"
# (not "five responses mentioned budgets", a count of what was said).
_SENT = r"(?:completed\s+)?(?:responses|replies|questionnaires|surveys)\b"
_RETURNED = re.compile(rf"\breceived\s+(?P<n>{NUMBER_PATTERN})\s+{_SENT}|\b(?P<n2>{NUMBER_PATTERN})"
                       rf"\s+{_SENT}\s+(?:were|was)\s+(?:returned|received|completed)\b"
                       rf"|\b{_SENT}\s+(?:were|was)\s+(?:returned|received)\s+(?:from|by)\s+"
                       rf"(?:the\s+|all\s+)?(?P<n3>{NUMBER_PATTERN})\b"
                       # "we heard from 18 Chief Officers" (not "from two ... that ...")
                       rf"|\bheard\s+(?:back\s+)?from\s+(?:the\s+|all\s+)?(?P<n4>{NUMBER_PATTERN})\b"
                       r"(?!(?:\s+[\w'’-]+){0,3}?\s+(?:that|about|who|how|on|of|whose)\b)",
                       re.IGNORECASE)
# A count's share: "(31%)", "(31 per cent)", ", or 31%"; and the same unnamed, to look ahead
# for after a noun the gate does not know.
_SHARE = (r"\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)\s*\)"
          r"|\s*,?\s+or\s+(?P<or>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)(?!\s+of\b)")
_SHARE_AFTER = re.sub(r"\(\?P<\w+>", "(?:", _SHARE)
_SHARE_HERE = re.compile(_SHARE, re.IGNORECASE)
# The people asked, named by what was done to them: "of those surveyed", "of everyone asked",
# "of those responding", "of the sample".
_ASKED = (r"(?:(?:those|all\s+those|everyone|everybody|all|the\s+people)\s+(?:surveyed|asked|"
          r"questioned|interviewed|consulted|responding|taking\s+part|we\s+(?:surveyed|asked)"
          r"|who\s+(?:responded|answered|replied|took\s+part))|the\s+sample)\b")
# What ties people to a group they lead: "who lead large partnerships", "heading small ones".
LEADING = r"(?:who\s+)?(?:lead|run|head)|leading|running|heading"
# Who those just counted are, after "all": "all of them ...", "all from large partnerships".
_FROM = re.compile(rf"\s+of\s+(?:them|whom)\b|\s+(?:from|in|at|{LEADING})\b", re.IGNORECASE)
_OF_ALL = re.compile(r"\bof\s+(?:the|all|all\s+the|these|those)\s+$", re.IGNORECASE)


def alternatives(words: set[str]) -> str:
    """A regex fragment matching any of `words`, longest first, spaces as any white space."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(words, key=len, reverse=True))


def _returned_whole(sentence: str, claim: NumberClaim,
                   returned: Mapping[int, tuple[re.Match, str]]) -> NumberClaim:
    """An amount whose number is who sent a response back ("responses were received from all
    16", "we heard from all 16") counts who took part, that number of them."""
    at = sentence.find(claim.phrase)
    inside = [n for n in returned if at >= 0 and at <= n < at + len(claim.phrase)]
    if claim.took_part or not inside:
        return claim
    return replace(claim, took_part=True, count=number_value(returned[inside[0]][1]))


class ClaimFinder:
    """Finds count and quantifier claims in prose (quotes already blanked out)."""

    def __init__(self, manifest: Manifest):
        nouns = {manifest.respondent_noun[0].lower(), manifest.respondent_noun[1].lower(),
                 *(short.lower() for short in initials_spellings(manifest.respondent_noun)),
                 *_GENERIC_NOUNS}
        noun = alternatives(nouns)
        # A count may name the people by the noun's last word alone ("nine officers"): a number
        # says how many of them; an amount or a share of "officers" may be of anyone's.
        counted = alternatives({*nouns, head_noun(manifest.respondent_noun).lower()} - {""})
        self.count = re.compile(
            rf"(?:\b{_BOUND})?\b(?:(?P<n>{NUMBER_PATTERN})\b"
            # its share said first: "Sixteen (52%) of the Chief Officers invited"
            r"(?:\s*\(\s*(?P<p0>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)\s*\)(?=\s+(?:out\s+)?of\b))?"
            # "5/16 Chief Officers" (but "16/17" alone is a year)
            rf"|(?P<sn>\d+)/(?P<slash>\d+)\b(?=\s+(?:{counted})\b))"
            rf"(?:\s+(?:out\s+)?of\s+(?:the\s+)?(?P<d>{NUMBER_PATTERN})\b)?"
            rf"(?:\s+(?:of\s+(?:the|these|those|them)\s+)?(?:other\s+|more\s+|survey\s+)?"
            rf"(?P<noun>{counted})\b(?!-\w)"
            # a noun the gate does not know, when a share follows: "nine partnerships (56%)"
            rf"|\s+(?P<thing>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)(?={_SHARE_AFTER}))?"
            rf"(?:{_SHARE})?", re.IGNORECASE)
        self.quantifier = re.compile(
            rf"\b(?P<q>{AMOUNT_PATTERN})\b(?:\s+of)?(?:\s+(?:the|these|those|them|our)\b)?"
            rf"(?:\s+(?P<total>{NUMBER_PATTERN})\b)?(?:\s+(?:other|surveyed|responding))?"
            rf"(?:\s+(?P<noun>{noun})\b(?!-\w))?", re.IGNORECASE)
        self.ratings = sorted(((match_key(q.short), q.id) for q in manifest.questions
                               if q.kind == "rating"), key=lambda lq: -len(lq[0]))
        self.labels = frozenset(match_key(q.short) for q in manifest.questions)
        self.of_these = re.compile(r"\bof\s+(?:these|them|those|whom)\b", re.IGNORECASE)
        self.share = re.compile(  # "100% of respondents", "75 per cent of Chief Officers",
            # "seventy per cent of Chief Officers", "70% of those surveyed"
            rf"(?<![\d.])(?P<p>{PERCENT_PATTERN})\s+of\s+(?:(?:the\s+|these\s+|"
            rf"those\s+|all\s+)?(?:other\s+|survey\s+)?(?P<noun>{noun})\b(?!-\w)|{_ASKED})",
            re.IGNORECASE)

    def claims(self, prose: str, where: str | Callable[[int], str], *, section: int,
               themes: Sequence[ThemeFacts], theme: str | None,
               quotes: Sequence[DraftQuote] = (), markers: Sequence[tuple[int, int]] = (),
               lead: int = 0) -> list[NumberClaim]:
        """The claims of `prose`, in which each quote is `BLANKED_QUOTE`: `markers` are (offset in
        prose, index into `quotes`) of the blanked quotes; `where` names the place of them all, or
        of an offset in prose (`where(offset)`). A claim sits under `theme` unless its sentence,
        outside its claims, names exactly one of `themes` by its title or one of its aliases (in
        prose: a title is not a quotation); the first `lead` characters of prose name none (the
        heading a summary line opens with)."""
        by_group = GROUP_FIGURE.fullmatch(one_line(prose))
        if by_group:  # a breakdown's cell, read whole: its label may hold a stop or a mean
            return [self._group_figure(by_group, where if isinstance(where, str) else where(0),
                                       section, theme)]
        # A breakdown's note of how many are in no column, read whole (its label may hold a
        # stop) and blanked, so its number is read as that and nothing else.
        noted = ungrouped_notes(prose, self.labels)
        found = [NumberClaim(one_line(prose[s.start:s.end]), one_line(prose[s.start:s.end]),
                             where if isinstance(where, str) else where(s.start), section, theme,
                             count=s.count, ungrouped=Ungrouped(s.label, s.attribute))
                 for s in noted]
        for said in noted:
            prose = prose[:said.start] + " " * (said.end - said.start) + prose[said.end:]
        # A paragraph's line breaks are wrapping, not sentence ends.
        for start, sentence in sentences(prose, line_breaks=False):
            amounts = list(self.quantifier.finditer(sentence))
            # A number inside an amount is part of it; after "all but one of" it is the
            # amount's denominator, not a count.
            counts_at = [m for m in self.count.finditer(sentence)
                         if not any(a.start("q") <= m.start() < _amount_end(sentence, a)
                                    for a in amounts)]
            outside = self._outside_claims(sentence, [*amounts, *counts_at])
            if start < lead:
                outside = " " * (lead - start) + outside[lead - start:]
            words = f" {match_key(outside)} "
            named = [t.title for t in themes if any(f" {match_key(name)} " in words
                                                    for name in t.names)]
            quoted = tuple(i for offset, i in markers if start <= offset < start + len(sentence))
            flat = one_line(sentence)
            for i in quoted:  # show the sentence with its quotes, not placeholders
                flat = flat.replace(BLANKED_QUOTE, f"“{quotes[i].text}”", 1)
            place = where if isinstance(where, str) else where(start)
            base = NumberClaim("", flat, place, section,
                               named[0] if len(named) == 1 else theme, quotes=quoted,
                               named_theme=len(named) == 1)
            # who stayed away, said after who took part: "16 responded and 15 (48%) did not"
            did_not = {m.start("n"): m for m in _DID_NOT.finditer(sentence)}
            counts = self._counts(sentence, base, counts_at, did_not)
            read = {at for at, _ in counts}  # where a count was read: not read again below
            # What was sent back counts who took part, whether its count was read above
            # ("responses were received from 16 Chief Officers") or not ("we received 16
            # responses").
            returned = {m.start(g): (m, m.group(g)) for m in _RETURNED.finditer(sentence)
                        for g in ("n", "n2", "n3", "n4") if m.group(g)}
            counts = [(at, replace(claim, took_part=True) if at in returned else claim)
                      for at, claim in counts]
            if len(named) > 1:  # "Budgets, raised by three of 16; Staff, raised by two of 16"
                counts = [(at, self._clause_theme(outside, at, themes, claim))
                          for at, claim in counts]
            found += [claim for _, claim in counts]
            # "responses were received from all 16": the amount's whole is who took part
            found += [_returned_whole(sentence, claim, returned)
                      for claim in self._quantifiers(sentence, base, counts, amounts)]
            found += [replace(base, phrase=one_line(m.group()), percent=percent_value(m.group("p")))
                      for m in self.share.finditer(sentence)]
            rated = set()  # where a share of who took part was read with its count
            for m in _RESPONDED.finditer(sentence):  # "16 responded (52%)": of those invited
                if m.group("p"):
                    rated.add(m.start("p"))
                if m.start() not in read:
                    found.append(replace(base, phrase=one_line(m.group()),
                                         count=number_value(m.group("n"))))
                if m.group("p"):
                    found.append(replace(base, phrase=one_line(m.group()), percent=m.group("p"),
                                         rate=True))
            found += [replace(base, phrase=one_line(m.group()), percent=m.group("p")
                              or m.group("p2") or m.group("p3"), rate=True)
                      for m in _RATE.finditer(sentence) if m.start("p3") not in rated]
            found += [replace(base, phrase=one_line(m.group()), count=number_value(n),
                              took_part=True) for at, (m, n) in returned.items() if at not in read]
            found += [replace(base, phrase=one_line(sentence[m.start("n"):m.end()]),
                              count=number_value(m.group("n")), non_response=True)
                      for at, m in did_not.items() if at not in read]
            found += [replace(base, phrase=one_line(m.group()), statistic=m.group("stat"),
                              value=m.group("v"), question=self._rating_named(
                                  sentence, m.start(), []))
                      for m in TABLE_STATISTIC.finditer(sentence)]
            stats = list(_STATISTIC.finditer(sentence))
            found += [replace(base, phrase=one_line(m.group()),
                              statistic="median" if (m.group("stat") or m.group("stat3") or
                                                     "").lower() == "median" else "mean",
                              value=m.group("v") or m.group("v2") or m.group("v3"),
                              bound="at least" if m.group("above") else None,
                              question=self._rating_named(sentence, m.start(), stats))
                      for m in stats]
        return found

    @staticmethod
    def _group_figure(said: re.Match, where: str, section: int, theme: str | None
                      ) -> NumberClaim:
        """A breakdown's figure of one group: a mean or median rating, or the share who chose
        some options ("% Satisfied or Very satisfied"), with how many it is of."""
        measure = said.group("measure")
        statistic = "share" if measure.startswith("%") else (
            "median" if measure.casefold().startswith("median") else "mean")
        return NumberClaim(f"{said.group('group')}: {measure} {said.group('v')}"
                           f"{said.group('pc') or ''} (n={said.group('n')})", said.group(),
                           where, section, theme, statistic=statistic, value=said.group("v"),
                           group=GroupFigure(said.group("item"), said.group("group"), measure,
                                             int(said.group("n"))))

    def _rating_named(self, sentence: str, at: int, stats: Sequence[re.Match]) -> str | None:
        """The rating question a statistic at `at` is of: the one whose label is named nearest
        before it in its clause, after the statistic before it ("Financial pressures (mean
        8.6); Workforce issues (mean 7.0)"); else, when no statistic follows in the clause, the
        one named after it ("a mean of 8.6 for financial pressures")."""
        start = max([sentence.rfind(";", 0, at) + 1, *(m.end() for m in stats if m.end() <= at)])
        end = sentence.find(";", at)
        end = len(sentence) if end < 0 else end
        if any(at < m.start() < end for m in stats):
            end = -1  # a later statistic in the clause: a label after this one is its
        before = f" {match_key(sentence[start:at])} "
        best: tuple[int, str] | None = None
        for label, question in self.ratings:
            place = before.rfind(f" {label} ")
            if label and place >= 0 and (best is None or place > best[0]):
                best = (place, question)
        if best is not None or end < 0:
            return best[1] if best else None
        after = f" {match_key(sentence[at:end])} "
        return next((q for label, q in self.ratings if label and f" {label} " in after), None)

    @staticmethod
    def _outside_claims(sentence: str, claims: Sequence[re.Match]) -> str:
        """The sentence with the words of its claims blanked (offsets kept): what is left may
        name a theme."""
        chars = list(sentence)
        for m in claims:
            if m.group("noun") or (m.re.groupindex.get("d") and m.group("d")):
                chars[m.start():m.end()] = " " * (m.end() - m.start())
        return "".join(chars)

    @staticmethod
    def _clause_theme(outside: str, at: int, themes: Sequence[ThemeFacts],
                      claim: NumberClaim) -> NumberClaim:
        """A count in a sentence naming several themes sits under the one theme its own clause
        (between semicolons) names, if exactly one."""
        start, end = outside.rfind(";", 0, at) + 1, outside.find(";", at)
        clause = f" {match_key(outside[start:end if end >= 0 else None])} "
        in_clause = [t.title for t in themes
                     if any(f" {match_key(name)} " in clause for name in t.names)]
        if len(in_clause) != 1:
            return claim
        return replace(claim, theme=in_clause[0], named_theme=True)

    def _counts(self, sentence: str, base: NumberClaim, matches: Sequence[re.Match],
                did_not: Mapping[int, re.Match]) -> list[tuple[int, NumberClaim]]:
        """(offset, claim) for each count in the sentence."""
        counts: list[tuple[int, NumberClaim]] = []
        for m in matches:
            percent = m.group("p") or m.group("or") or m.group("p0")
            total = m.group("d") or m.group("slash")
            if not (total or m.group("noun") or percent) or (
                    _OF_ALL.search(sentence, 0, m.start()) and not total
                    and sentence[m.end():].lstrip().startswith(",")):
                continue  # "Of the 16 Chief Officers, five ...": 16 is who was asked
            count = number_value(m.group("n") or m.group("sn"))
            if count == 1 and not (total or percent or _ONLY.search(
                    sentence, 0, m.start())):
                continue  # "one respondent said": an attribution; "only one" is a claim
            if m.group("thing") and (re.match(TOOK_PART, m.group("thing"), re.IGNORECASE)
                                     or _NEGATED.match(sentence, m.end("n"))):
                continue  # "16 replied (52%)", "12 did not (48%)": who took part or stayed
                # away, read as such (`_RESPONDED`, `_DID_NOT`), not a share of some thing
            counts.append((m.start(), replace(
                base, phrase=one_line(m.group()), count=count, thing=bool(m.group("thing")),
                denominator=number_value(total) if total else None,
                percent=percent, bound=one_line(m.group("bound") or "").lower() or None,
                earlier=tuple(c.count for _, c in counts if c.count is not None),
                of_these=bool(self.of_these.search(sentence, 0, m.start())),
                non_response=bool(_STAYED_AWAY.match(sentence, m.end()))
                or m.start() in did_not,
                negated=bool(_NEGATED.match(sentence, m.end())))))
        return counts

    @staticmethod
    def _quantifiers(sentence: str, base: NumberClaim, counts: list[tuple[int, NumberClaim]],
                     amounts: Sequence[re.Match]) -> list[NumberClaim]:
        """A claim for each amount word about people, with the count nearest to it (if any)."""
        found = []
        for m in amounts:
            word = one_line(m.group("q")).lower()
            answers = _of_answers(sentence, m)
            if answers is not None:
                found.append(replace(base, phrase=one_line(sentence[m.start():answers.end()]),
                                     quantifier=amount_meaning(word), of_answers=True))
                continue
            if not _of_people(sentence, m):
                continue
            if re.search(r"\bnot\s+$", sentence[: m.start()], re.IGNORECASE):
                continue  # "not everyone", "not all": says too little to check
            if re.search(r"(?:%|\bper\s*cent)\s+of\s+$", sentence[: m.start()], re.IGNORECASE):
                continue  # "% of all respondents": a column's name, not a claim
            if amount_meaning(word) == "all" and (any(
                    re.fullmatch(r",\s*", sentence[at + len(c.phrase):m.start()])
                    for at, c in counts) or counts and re.search(r",\s*$", sentence[:m.start()])
                    and _FROM.match(sentence, m.end("q"))):
                continue  # "five of the 16, all of them ...", "five raised it, all from large
                # partnerships", "..., all of them worried": who the five are
                # (`summariser.gate.numbers`), not an amount of all who answered
            claim = replace(base, phrase=one_line(m.group()), quantifier=amount_meaning(word))
            if _own_count(m):  # it states its own count: "all but one of 16", "about ten"
                claim = replace(claim, denominator=number_value(m.group("total"))
                                if m.group("total") else None)
            elif _of_a_whole(m):  # "most of the 16": of 16, counted by who the gate finds
                claim = replace(claim, denominator=number_value(m.group("total")))
            elif counts:
                at, near = min(counts, key=lambda oc: abs(oc[0] - m.start()))
                claim = replace(claim, count=near.count, denominator=near.denominator,
                                earlier=near.earlier, of_these=near.of_these)
                if m.start() <= at < m.end():  # its own number ("all seven managers"): of the
                    # theme that count is of ("Committed staff, raised by all seven ...")
                    claim = replace(claim, theme=near.theme, named_theme=near.named_theme)
            found.append(claim)
            share = _SHARE_HERE.match(sentence, m.end())
            if share and not any(at <= share.start() < at + len(c.phrase) for at, c in counts):
                # "All Chief Officers (90%)", "everyone (90%)": a share of its own, checked as
                # one with no count beside it (a count's share is read with the count)
                found.append(replace(base, phrase=one_line(sentence[m.start():share.end()]),
                                     percent=share.group("p") or share.group("or")))
        return found
