"""Number claims in a draft's prose, for `summariser eval`: counts ("four of 16 Chief Officers",
"Six respondents (37%)", "eight (66%)", "at least three respondents") and quantifiers ("most
Chief Officers", "the majority", "a number of respondents"), read sentence by sentence with the
quotes blanked out. `summariser.gate.run` checks them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from summariser.gate.blocks import match_key, one_line
from summariser.gate.parsed import DraftQuote, NumberClaim, ThemeFacts
from summariser.project.manifest import Manifest
from summariser.text.sentences import sentences
from summariser.text.wording import NUMBER_PATTERN, number_value

__all__ = ["BLANKED_QUOTE", "ClaimFinder"]

BLANKED_QUOTE = "“…”"  # what a quote becomes in the prose searched for claims

_GENERIC_NOUNS = ("respondents", "respondent", "participants", "participant", "interviewees",
                  "interviewee", "people", "members", "member")
_BOUND = r"(?P<bound>at\s+least|more\s+than|over|fewer\s+than|less\s+than|up\s+to)\s+"
_QUANTIFIERS = {
    "none": "none", "no one": "none", "nobody": "none", "all": "all", "every": "all",
    "almost all": "almost all", "nearly all": "almost all", "most": "most",
    "the majority": "most", "a majority": "most", "half": "half", "a minority": "a minority",
    "a few": "a few", "several": "several", "a number": "a number of", "a couple": "a couple",
    "no": "none", "unanimous": "all", "unanimously": "all", "everyone": "all", "everybody": "all",
}
# Quantifiers that make a claim about respondents without naming them ("Chief Officers were
# unanimous"); the others need the respondent noun after them ("most Chief Officers").
_ON_THEIR_OWN = ("the majority", "a majority", "a minority", "no one", "nobody", "unanimous",
                 "unanimously", "everyone", "everybody")


class ClaimFinder:
    """Finds count and quantifier claims in prose (quotes already blanked out)."""

    def __init__(self, manifest: Manifest):
        nouns = {manifest.respondent_noun[0].lower(), manifest.respondent_noun[1].lower(),
                 *_GENERIC_NOUNS}
        noun = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in
                        sorted(nouns, key=len, reverse=True))
        self.count = re.compile(
            rf"(?:\b{_BOUND})?\b(?P<n>{NUMBER_PATTERN})\b"
            rf"(?:\s+(?:out\s+)?of\s+(?:the\s+)?(?P<d>{NUMBER_PATTERN})\b)?"
            rf"(?:\s+(?:of\s+(?:the|these|those|them)\s+)?(?:other\s+|more\s+|survey\s+)?"
            rf"(?P<noun>{noun})\b)?"
            rf"(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?", re.IGNORECASE)
        quantifier = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in
                              sorted(_QUANTIFIERS, key=len, reverse=True))
        self.quantifier = re.compile(
            rf"\b(?P<q>{quantifier})\b(?:\s+of)?(?:\s+(?:the|these|those|them|our))?"
            rf"(?:\s+(?:other|surveyed|responding))?(?:\s+(?P<noun>{noun})\b)?", re.IGNORECASE)
        self.of_these = re.compile(r"\bof\s+(?:these|them|those|whom)\b", re.IGNORECASE)
        self.share = re.compile(  # "100% of respondents", "75 per cent of Chief Officers"
            rf"(?<![\d.])(?P<p>\d+(?:\.\d+)?)\s*(?:%|per\s*cent\b)\s+of\s+(?:the\s+|these\s+|"
            rf"those\s+|all\s+)?(?:other\s+|survey\s+)?(?P<noun>{noun})\b", re.IGNORECASE)

    def claims(self, prose: str, where: str | Callable[[int], str], *, section: int,
               themes: Sequence[ThemeFacts], theme: str | None,
               quotes: Sequence[DraftQuote] = (), markers: Sequence[tuple[int, int]] = ()
               ) -> list[NumberClaim]:
        """The claims of `prose`, in which each quote is `BLANKED_QUOTE`: `markers` are (offset in
        prose, index into `quotes`) of the blanked quotes; `where` names the place of them all, or
        of an offset in prose (`where(offset)`). A claim sits under `theme` unless its sentence
        names exactly one of `themes` by its title (in prose: a title is not a quotation)."""
        found: list[NumberClaim] = []
        # A paragraph's line breaks are wrapping, not sentence ends.
        for start, sentence in sentences(prose, line_breaks=False):
            words = f" {match_key(sentence)} "
            named = [t.title for t in themes if f" {match_key(t.title)} " in words]
            quoted = tuple(i for offset, i in markers if start <= offset < start + len(sentence))
            flat = one_line(sentence)
            for i in quoted:  # show the sentence with its quotes, not placeholders
                flat = flat.replace(BLANKED_QUOTE, f"“{quotes[i].text}”", 1)
            place = where if isinstance(where, str) else where(start)
            base = NumberClaim("", flat, place, section,
                               named[0] if len(named) == 1 else theme, quotes=quoted,
                               named_theme=len(named) == 1)
            counts = self._counts(sentence, base)
            if len(named) > 1:  # "Budgets, raised by three of 16; Staff, raised by two of 16"
                counts = [(at, self._clause_theme(sentence, at, named, claim))
                          for at, claim in counts]
            found += [claim for _, claim in counts]
            found += self._quantifiers(sentence, base, counts)
            found += [replace(base, phrase=one_line(m.group()), percent=m.group("p"))
                      for m in self.share.finditer(sentence)]
        return found

    @staticmethod
    def _clause_theme(sentence: str, at: int, named: Sequence[str],
                      claim: NumberClaim) -> NumberClaim:
        """A count in a sentence naming several themes sits under the one theme its own clause
        (between semicolons) names, if exactly one."""
        start, end = sentence.rfind(";", 0, at) + 1, sentence.find(";", at)
        clause = f" {match_key(sentence[start:end if end >= 0 else None])} "
        in_clause = [title for title in named if f" {match_key(title)} " in clause]
        if len(in_clause) != 1:
            return claim
        return replace(claim, theme=in_clause[0], named_theme=True)

    def _counts(self, sentence: str, base: NumberClaim) -> list[tuple[int, NumberClaim]]:
        """(offset, claim) for each count in the sentence."""
        counts: list[tuple[int, NumberClaim]] = []
        for m in self.count.finditer(sentence):
            if not (m.group("d") or m.group("noun") or m.group("p")):
                continue
            count = number_value(m.group("n"))
            if count == 1 and not (m.group("d") or m.group("p")):
                continue  # "one respondent said": an attribution, not a claim
            counts.append((m.start(), replace(
                base, phrase=one_line(m.group()), count=count,
                denominator=number_value(m.group("d")) if m.group("d") else None,
                percent=m.group("p"), bound=one_line(m.group("bound") or "").lower() or None,
                earlier=tuple(c.count for _, c in counts if c.count is not None),
                of_these=bool(self.of_these.search(sentence, 0, m.start())))))
        return counts

    def _quantifiers(self, sentence: str, base: NumberClaim,
                     counts: list[tuple[int, NumberClaim]]) -> list[NumberClaim]:
        """A claim for each quantifier, with the count nearest to it (if any)."""
        found = []
        for m in self.quantifier.finditer(sentence):
            word = one_line(m.group("q")).lower()
            if m.group("noun") is None and not (
                    word in _ON_THEIR_OWN
                    or (word in ("none", "most", "all")
                        and re.match(r"\s+of\s+(?:these|them|those)", sentence[m.end("q"):]))):
                continue
            if re.search(r"\bnot\s+$", sentence[: m.start()], re.IGNORECASE):
                continue  # "not everyone", "not all": says too little to check
            claim = replace(base, phrase=one_line(m.group()), quantifier=_QUANTIFIERS[word])
            if counts:
                near = min(counts, key=lambda oc: abs(oc[0] - m.start()))[1]
                claim = replace(claim, count=near.count, denominator=near.denominator,
                                earlier=near.earlier, of_these=near.of_these)
            found.append(claim)
        return found
