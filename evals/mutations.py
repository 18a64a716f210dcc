"""Mutation suite for the quote verifier: real text, valid quoting forms, and corruptions.

    python evals/mutations.py [--seed 20171] [--per-kind 200]

Quotes are cut from real statements - the Polis Bowling Green comments (CC BY 4.0, read from
shared/corpora, never copied here) and the example survey `corpus/hscp-2017` - then either
quoted in a valid way (re-flowed, curly/straight quote marks, a capital first letter, ellipsis
joins, [insertions], a round-bracket insertion, [sic]) or corrupted (a word substituted, deleted or
inserted, "not" added or removed, a number changed, fragments reordered, two respondents spliced,
the wrong respondent named, truncated mid-word, paraphrased, a comma or full stop changed).
Each case is checked by `CorpusIndex.verify`, attributed by response id, by respondent and
question, or not at all.

Prints detection recall per corruption and false-rejection rate per valid form, and exits 1 if
any corruption passes or any valid quote is rejected (listing them). `run()` is the same for tests.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summariser.records import Response  # noqa: E402
from summariser.text.glyphs import ELLIPSIS_PATTERN  # noqa: E402
from summariser.text.wording import number_word  # noqa: E402
from summariser.verify import CorpusIndex, QuoteClaim, Verification  # noqa: E402
from summariser.verify.normalise import normalise_quote, word_count  # noqa: E402

POLIS = REPO.parent / "shared/corpora/polis-bowling-green/comments.csv"
SURVEY = REPO / "corpus/hscp-2017/survey/responses.csv"
SEED = 20171
PER_KIND = 200

ELLIPSIS = re.compile(rf"\s*(?:{ELLIPSIS_PATTERN})\s*")
# A plain bracketed group of up to six words, which the rules let an editor insert.
PLAIN_ASIDE = re.compile(r"\s*\((?:\s*[^\W_]+(?:['’-][^\W_]+)*){1,6}\s*\)\s*")
ELLIPSES = ["...", "…", " ... ", " . . . ", " [...] ", " (...) ", " … ", "[…]"]
INSERTIONS = ["[they]", "[the council]", "[in 2017]", "[the partnership]", "[we]"]
AUXILIARIES = {"is", "are", "was", "were", "will", "can", "should", "would", "could", "do", "does",
               "did", "has", "have", "must", "need"}
NUMBER_WORDS = [number_word(n) for n in range(1, 11)]  # "one" ... "ten"
SYNONYMS = {
    "need": "require", "needs": "requires", "more": "additional", "people": "residents",
    "city": "town", "should": "ought to", "better": "improved", "help": "assist",
    "make": "create", "area": "region", "build": "construct", "want": "wish", "use": "utilise",
    "good": "great", "important": "vital", "new": "fresh", "get": "obtain", "increase": "raise",
    "improve": "enhance", "road": "street", "roads": "streets", "downtown": "city centre",
    "public": "community", "local": "nearby", "support": "back", "staff": "workforce",
    "services": "provision", "money": "funding", "work": "operate", "teams": "groups",
    "change": "transformation", "challenge": "difficulty", "budget": "finances",
    "time": "capacity", "big": "large", "small": "little", "often": "frequently",
    "very": "extremely", "also": "too", "because": "since",
}


@dataclass(frozen=True)
class Case:
    kind: str
    valid: bool
    claim: QuoteClaim
    source: str  # response id the quote was cut from
    expect_warning: bool = False


@dataclass
class Report:
    outcomes: list[tuple[Case, Verification]]
    skipped: Counter = field(default_factory=Counter)  # accidentally valid corruptions, per kind

    @property
    def escapes(self) -> list[tuple[Case, Verification]]:
        return [(c, v) for c, v in self.outcomes if not c.valid and v.passed]

    @property
    def false_rejections(self) -> list[tuple[Case, Verification]]:
        return [(c, v) for c, v in self.outcomes
                if c.valid and (not v.passed or (c.expect_warning and not v.warnings))]


# --- the corpus -------------------------------------------------------------------------------

def polis_responses(path: Path = POLIS) -> list[Response]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Response(response_id=f"polis-{row['comment-id']}",
                     respondent=f"polis-{row['author-id']}", question="change", source="polis",
                     source_file="comments.csv", text=row["comment-body"], row=number)
            for number, row in enumerate(csv.DictReader(handle), start=1)
            if row["comment-body"].strip()
        ]


def survey_responses(path: Path = SURVEY) -> list[Response]:
    """Free-text answers: the Q columns whose typical answer has five words or more."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    def typical_words(column: str) -> float:
        return statistics.median([len(r[column].split()) for r in rows if r[column].strip()] or [0])

    text_columns = [c for c in rows[0] if c.startswith("Q") and typical_words(c) >= 5]
    return [
        Response(response_id=f"{row['ResponseId']}-{column}", respondent=row["ResponseId"],
                 question=column, source="survey", source_file="survey/responses.csv",
                 text=row[column], row=number)
        for number, row in enumerate(rows, start=1)
        for column in text_columns if row[column].strip()
    ]


def load_corpus() -> list[Response]:
    responses = polis_responses()
    if SURVEY.exists():
        responses += survey_responses()
    else:
        print(f"note: {SURVEY.relative_to(REPO)} is not there yet; using the Polis comments alone")
    return responses


# --- an independent judge of "is this text really in the corpus?" ------------------------------

class Oracle:
    """A plain regex search over the normalised corpus, kept apart from the verifier's own index,
    used only to skip generated corruptions that happen to be real text (for example a
    substituted word that recreates a phrase found elsewhere). Its word boundaries are looser
    than the verifier's, so it skips more, never less, than it should."""

    def __init__(self, responses: list[Response]):
        self.responses = responses
        self.texts = [normalise_quote(r.text).text for r in responses]

    @staticmethod
    def _pattern(fragment: str) -> re.Pattern:
        norm = normalise_quote(fragment).text
        before = r"(?<!\w)" if norm[:1].isalnum() else ""
        after = r"(?!\w)" if norm[-1:].isalnum() else ""
        return re.compile(before + re.escape(norm) + after)

    def holders(self, *fragments: str) -> set[int]:
        """Responses holding the fragments in order (any gaps between them)."""
        patterns = [self._pattern(f) for f in fragments]
        plain = [normalise_quote(f).text for f in fragments]
        found = set()
        for i, text in enumerate(self.texts):
            if not all(p in text for p in plain):  # a quick substring test first
                continue
            position = 0
            for pattern in patterns:
                match = pattern.search(text, position)
                if match is None:
                    break
                position = match.end()
            else:
                found.add(i)
        return found


# --- generators -------------------------------------------------------------------------------

Generator = Callable[[random.Random, "Pools"], tuple[str, Response, bool] | None]


@dataclass
class Pools:
    responses: list[Response]
    oracle: Oracle
    vocabulary: list[str]
    by_respondent: dict[str, list[Response]]

    def long(self, rng: random.Random, words: int) -> Response:
        while True:
            response = rng.choice(self.responses)
            if len(response.text.split()) >= words:
                return response


def tokens_span(rng: random.Random, response: Response, low: int, high: int) -> list[str]:
    tokens = response.text.split()
    size = rng.randint(low, min(high, len(tokens)))
    start = rng.randint(0, len(tokens) - size)
    return tokens[start : start + size]


def is_word(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]{2,}", token))


# Valid forms: each returns (quote, source response, expect a style warning).

def valid_reflow(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 20)
    if rng.random() < 0.2:  # a line break or two spaces where the source has one space is fine
        at = rng.randint(1, len(span) - 1)
        span[at] = rng.choice(["\n", "  ", " \n "]) + span[at]
    return " ".join(span), response, False


def valid_quote_marks(rng, pools):
    marks = str.maketrans({"'": "’", "’": "'", "‘": "'", '"': "“", "“": '"', "”": '"'})
    response = pools.long(rng, 4)
    if not any(mark in response.text for mark in "'’‘\"“”"):
        return None
    span = tokens_span(rng, response, 4, 25)
    quote = " ".join(span)
    return (quote.translate(marks), response, False) if quote != quote.translate(marks) else None


def valid_capitalised(rng, pools):
    response = pools.long(rng, 4)
    quote = " ".join(tokens_span(rng, response, 4, 20))
    return (quote[0].upper() + quote[1:], response, False) if quote[0].islower() else None


def plain(response: Response) -> bool:
    """No ellipses or brackets of its own, which would blur where the quote's marks are."""
    return not any(mark in response.text for mark in ("..", "…", "[", "]", ". ."))


def valid_ellipsis(rng, pools):
    response = pools.long(rng, 10)
    if not plain(response):
        return None
    tokens = response.text.split()
    first = rng.randint(3, 6)
    gap = rng.randint(1, 6)
    second = rng.randint(1, 6)
    if first + gap + second > len(tokens):
        return None
    start = rng.randint(0, len(tokens) - first - gap - second)
    one = " ".join(tokens[start : start + first])
    two = " ".join(tokens[start + first + gap : start + first + gap + second])
    if word_count(one) < 3 or not word_count(two):
        return None
    return one + rng.choice(ELLIPSES) + two, response, False


def valid_insertion(rng, pools):
    response = pools.long(rng, 8)
    if not plain(response):
        return None
    span = tokens_span(rng, response, 8, 20)
    replaced = rng.randint(1, 3)
    at = 0 if rng.random() < 0.25 else rng.randint(3, len(span) - replaced)
    quote = span[:at] + [rng.choice(INSERTIONS)] + span[at + replaced :]
    if max(word_count(" ".join(span[:at])), word_count(" ".join(span[at + replaced :]))) < 3:
        return None
    return " ".join(quote), response, False


def valid_sic(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 20)
    at = rng.randint(1, len(span))
    sic = rng.choice(["[sic]", "[Sic]", "[sic!]"])
    return " ".join(span[:at] + [sic] + span[at:]), response, False


def valid_round_insertion(rng, pools):
    response = pools.long(rng, 8)
    span = tokens_span(rng, response, 8, 20)
    if any(c in " ".join(span) for c in "()[]"):
        return None
    at = rng.randint(3, len(span) - 3)
    if max(word_count(" ".join(span[:at])), word_count(" ".join(span[at:]))) < 3:
        return None
    inserted = f"({rng.choice(['are', 'is', 'the', 'has been'])})"
    return " ".join(span[:at] + [inserted] + span[at:]), response, True


# Corruptions: each returns (quote, source response, unused) or None.

def substitute(rng, pools):
    response = pools.long(rng, 5)
    span = tokens_span(rng, response, 5, 20)
    positions = [i for i, t in enumerate(span) if is_word(t)]
    if not positions:
        return None
    i = rng.choice(positions)
    replacement = rng.choice(pools.vocabulary)
    if replacement.casefold() == span[i].casefold():
        return None
    span[i] = replacement
    return " ".join(span), response, False


def delete(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 20)
    del span[rng.randint(1, len(span) - 2)]  # inside: without an end word it is a shorter quote
    return " ".join(span), response, False


def insert(rng, pools):
    response = pools.long(rng, 5)
    span = tokens_span(rng, response, 5, 20)
    span.insert(rng.randint(1, len(span) - 1), rng.choice(pools.vocabulary))
    return " ".join(span), response, False


def negation(rng, pools):
    response = pools.long(rng, 5)
    span = tokens_span(rng, response, 5, 25)
    lowered = [t.casefold() for t in span]
    if "not" in lowered[1:-1]:
        del span[lowered.index("not", 1)]
    else:
        auxiliaries = [i for i, t in enumerate(lowered[:-1]) if t in AUXILIARIES]
        if not auxiliaries:
            return None
        span.insert(auxiliaries[0] + 1, "not")
    return " ".join(span), response, False


def number(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 25)
    for i, token in enumerate(span):
        digits = re.search(r"\d+", token)
        if digits:
            changed = str(int(digits.group()) + rng.randint(1, 9))
            span[i] = token[: digits.start()] + changed + token[digits.end() :]
            return " ".join(span), response, False
        if token.casefold() in NUMBER_WORDS:
            span[i] = rng.choice([w for w in NUMBER_WORDS if w != token.casefold()])
            return " ".join(span), response, False
    return None


def reorder(rng, pools):
    response = pools.long(rng, 8)
    tokens = response.text.split()
    cut = rng.randint(3, len(tokens) - 3)
    one = " ".join(tokens[max(0, cut - rng.randint(3, 8)) : cut])
    two = " ".join(tokens[cut : cut + rng.randint(3, 8)])
    if word_count(one) < 3 or word_count(two) < 3 or pools.oracle.holders(two, one):
        return None
    return two + rng.choice(ELLIPSES) + one, response, False


def splice(rng, pools):
    first, second = pools.long(rng, 4), pools.long(rng, 4)
    if first.respondent == second.respondent:
        return None
    one = " ".join(first.text.split()[-rng.randint(3, 8) :])
    two = " ".join(second.text.split()[: rng.randint(3, 8)])
    if word_count(one) < 3 or word_count(two) < 3 or pools.oracle.holders(one, two):
        return None
    return one + (" " if rng.random() < 0.5 else rng.choice(ELLIPSES)) + two, first, False


def punctuation(rng, pools):
    response = pools.long(rng, 5)
    span = tokens_span(rng, response, 5, 25)
    marked = [i for i, t in enumerate(span[:-1]) if t[-1] in ",.;:"]
    if not marked:
        return None
    i = rng.choice(marked)
    span[i] = span[i][:-1] + rng.choice([m for m in ",.;:" if m != span[i][-1]])
    return " ".join(span), response, False


def truncate(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 20)
    at_end = rng.random() < 0.7
    edge = -1 if at_end else 0
    if not re.fullmatch(r"[A-Za-z]{4,}", span[edge]):
        return None
    cut = rng.randint(1, len(span[edge]) - 2)
    span[edge] = span[edge][:-cut] if at_end else span[edge][cut:]
    return " ".join(span), response, False


def paraphrase(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 25)
    swaps = [i for i, t in enumerate(span) if t.casefold() in SYNONYMS]
    if not swaps:
        return None
    for i in swaps:
        span[i] = SYNONYMS[span[i].casefold()]
    text = " ".join(span)
    for joint in (", ", " and ", " but "):  # swap the clauses around the first joint
        if joint in text:
            left, right = text.split(joint, 1)
            text = right.rstrip(".") + joint + left
            break
    return text, response, False


VALID: dict[str, Generator] = {
    "reflowed span": valid_reflow, "quote marks swapped": valid_quote_marks,
    "capitalised": valid_capitalised, "ellipsis join": valid_ellipsis,
    "[insertion]": valid_insertion, "(round) insertion": valid_round_insertion,
    "[sic] added": valid_sic,
}
CORRUPTIONS: dict[str, Generator] = {
    "word substituted": substitute, "word deleted": delete, "word inserted": insert,
    "not added/removed": negation, "number changed": number, "fragments reordered": reorder,
    "two respondents spliced": splice, "truncated mid-word": truncate, "paraphrased": paraphrase,
    "punctuation changed": punctuation,
}


def attribute(quote: str, response: Response, style: int) -> QuoteClaim:
    if style == 0:
        return QuoteClaim(quote, response_id=response.response_id)
    if style == 1:
        return QuoteClaim(quote, respondent=response.respondent, questions=(response.question,))
    return QuoteClaim(quote)


def generate(responses: list[Response], seed: int = SEED, per_kind: int = PER_KIND
             ) -> tuple[list[Case], Counter]:
    rng = random.Random(seed)
    oracle = Oracle(responses)
    by_respondent: dict[str, list[Response]] = {}
    for r in responses:
        by_respondent.setdefault(r.respondent, []).append(r)
    vocabulary = sorted({t for r in responses for t in r.text.split() if is_word(t)})
    pools = Pools(responses, oracle, vocabulary, by_respondent)
    cases: list[Case] = []
    skipped: Counter = Counter()
    for kind, make in VALID.items():
        made = 0
        while made < per_kind:
            built = make(rng, pools)
            if built:
                quote, response, warn = built
                claim = attribute(quote, response, made % 3)
                cases.append(Case(kind, True, claim, response.response_id, warn))
                made += 1
    for kind, make in CORRUPTIONS.items():
        made = 0
        while made < per_kind:
            built = make(rng, pools)
            if not built:
                continue
            quote, response, _ = built
            # By construction a corruption differs from its source span, but it can still be real
            # text: "the council" with one word swapped may be another respondent's "the county".
            # And a changed word inside a plain bracketed aside may leave a quote that the rules
            # read as an editor's "(insertion)" beside verbatim words. Neither is a corruption
            # any more; skip them rather than score them.
            pieces = [piece for part in PLAIN_ASIDE.split(quote)
                      for piece in ELLIPSIS.split(part) if piece.strip()]
            if oracle.holders(*ELLIPSIS.split(quote)) or oracle.holders(*pieces):
                skipped[kind] += 1
                continue
            claim = attribute(quote, response, made % 3)
            cases.append(Case(kind, False, claim, response.response_id))
            made += 1
    made = 0
    while made < per_kind:  # a correct quote with the wrong respondent's name on it
        response, other = rng.choice(responses), rng.choice(responses)
        words = response.text.split()
        if other.respondent == response.respondent or len(words) < 4:
            continue
        quote = " ".join(tokens_span(rng, response, 4, 20))
        if any(responses[i].respondent == other.respondent for i in oracle.holders(quote)):
            skipped["wrong respondent named"] += 1
            continue
        claim = (QuoteClaim(quote, respondent=other.respondent) if made % 2
                 else QuoteClaim(quote, response_id=other.response_id))
        cases.append(Case("wrong respondent named", False, claim, response.response_id))
        made += 1
    return cases, skipped


def run(seed: int = SEED, per_kind: int = PER_KIND) -> Report:
    responses = load_corpus()
    cases, skipped = generate(responses, seed, per_kind)
    index = CorpusIndex.build(responses)
    return Report(list(zip(cases, index.verify_many(c.claim for c in cases))), skipped)


def print_report(report: Report) -> None:
    kinds = list(dict.fromkeys(c.kind for c, _ in report.outcomes))
    print(f"{'corruption':<26}{'cases':>6}{'detected':>10}{'recall':>9}  statuses")
    for kind in kinds:
        rows = [(c, v) for c, v in report.outcomes if c.kind == kind and not c.valid]
        if rows:
            detected = sum(not v.passed for _, v in rows)
            statuses = Counter(v.status.value for _, v in rows)
            skipped = report.skipped[kind]
            print(f"{kind:<26}{len(rows):>6}{detected:>10}{detected / len(rows):>9.1%}  "
                  + ", ".join(f"{s} {n}" for s, n in statuses.most_common())
                  + (f"  (skipped {skipped} accidentally real)" if skipped else ""))
    print(f"\n{'valid form':<26}{'cases':>6}{'rejected':>10}{'false rej.':>11}  statuses")
    for kind in kinds:
        rows = [(c, v) for c, v in report.outcomes if c.kind == kind and c.valid]
        if rows:
            rejected = sum(not v.passed or (c.expect_warning and not v.warnings) for c, v in rows)
            statuses = Counter(v.status.value for _, v in rows)
            print(f"{kind:<26}{len(rows):>6}{rejected:>10}{rejected / len(rows):>11.1%}  "
                  + ", ".join(f"{s} {n}" for s, n in statuses.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-kind", type=int, default=PER_KIND)
    args = parser.parse_args(argv)
    report = run(args.seed, args.per_kind)
    print_report(report)
    for title, bad in (("ESCAPED (a corruption passed)", report.escapes),
                       ("FALSELY REJECTED (a valid quote failed)", report.false_rejections)):
        for case, verification in bad:
            print(f"\n{title}: {case.kind}: {case.claim}\n"
                  f"  {verification.status}: {verification.reason}")
    return 1 if report.escapes or report.false_rejections else 0


if __name__ == "__main__":
    sys.exit(main())
