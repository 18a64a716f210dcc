"""The quoting forms of the mutation suite (`evals/mutations.py`): valid ways to quote a
respondent, and corruptions, each cut from real text.

Each form takes a random generator and the suite's `Pools` and returns a `Made` (the quote as
the draft prints it, its source response, and how to cite it) or None when the draw does not fit
(the suite draws again). Quotes are Markdown: the source's words are escaped as the tool escapes
them (`summariser.document.escape`), and only the markup a form adds on purpose is raw.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from summariser.document.escape import markdown_line_starts, markdown_text
from summariser.records import Response
from summariser.text.glyphs import ELLIPSIS_PATTERN
from summariser.text.wording import number_word
from summariser.verify.marks import NEGATIONS, meaning_words
from summariser.verify.normalise import normalise_quote, word_count

ELLIPSIS = re.compile(rf"\s*(?:{ELLIPSIS_PATTERN})\s*")
# A plain bracketed group of up to six words, which the rules let an editor insert.
PLAIN_ASIDE = re.compile(r"\s*\((?:\s*[^\W_]+(?:['’-][^\W_]+)*){1,6}\s*\)\s*")
ELLIPSES = ["...", "…", " ... ", " . . . ", " [...] ", " (...) ", " … ", "[…]"]
REFERENTS = ["[the council]", "[the partnership]", "[the IJB]", "[the city]", "[these services]"]
PRONOUNS = {"it", "they", "this", "these", "those", "them", "he", "she", "we"}
TENSES = {"is": "[was]", "are": "[were]", "was": "[is]", "were": "[are]", "has": "[had]",
          "have": "[had]", "will": "[would]", "had": "[has]"}
AUXILIARIES = {"is", "are", "was", "were", "will", "can", "should", "would", "could", "do", "does",
               "did", "has", "have", "must", "need"}
NUMBER_WORDS = [number_word(n) for n in range(1, 11)]  # "one" ... "ten"
HIDING = ['<span hidden>{}</span>', '<span style="display:none">{}</span>', "<del>{}</del>",
          "<s>{}</s>", "~~{}~~", "<!--{}-->"]
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
class Made:
    quote: str  # Markdown, between the quote marks
    response: Response  # the response it was cut from
    plain: str = ""  # the words as a reader sees them, for the check that a corruption is not
    #                  accidentally real text ("" when `quote` needs no unescaping)
    opened_only: bool = False  # printed with an opening mark and no closing one


@dataclass
class Pools:
    responses: list[Response]
    oracle: Callable[..., set[int]]  # responses holding fragments in order
    vocabulary: list[str]

    def long(self, rng: random.Random, words: int) -> Response:
        while True:
            response = rng.choice(self.responses)
            if len(response.text.split()) >= words:
                return response


Form = Callable[[random.Random, Pools], Made | None]


def md(text: str) -> str:
    """Source words as a Markdown draft prints them (escaped as the tool escapes them)."""
    return markdown_line_starts(markdown_text(text))


def tokens_span(rng: random.Random, response: Response, low: int, high: int) -> list[str]:
    tokens = response.text.split()
    size = rng.randint(low, min(high, len(tokens)))
    start = rng.randint(0, len(tokens) - size)
    return tokens[start : start + size]


def is_word(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]{2,}", token))


def joined(parts: list[str]) -> str:
    return md(" ".join(parts))


def plain_text(response: Response) -> bool:
    """No ellipses or brackets of its own, which would blur where the quote's marks are."""
    return not any(mark in response.text for mark in ("..", "…", "[", "]", ". ."))


def says_nothing_changing(words: str) -> bool:
    """No negation, number or quantity word: what an ellipsis may leave out."""
    return not meaning_words(words)


# --- valid forms ------------------------------------------------------------------------------

def valid_reflow(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 20)
    quote = joined(span)
    if rng.random() < 0.3:  # a line break where the source has a space is wrapping, nothing more
        words = quote.split(" ")
        at = rng.randint(1, len(words) - 1)
        quote = " ".join(words[:at]) + "\n" + " ".join(words[at:])
    return Made(quote, response)


def valid_quote_marks(rng, pools):
    marks = str.maketrans({"'": "’", "’": "'", "‘": "'", '"': "“", "“": '"', "”": '"'})
    response = pools.long(rng, 4)
    if not any(mark in response.text for mark in "'’‘\"“”"):
        return None
    span = " ".join(tokens_span(rng, response, 4, 25))
    return Made(md(span.translate(marks)), response) if span != span.translate(marks) else None


def valid_capitalised(rng, pools):
    response = pools.long(rng, 4)
    span = " ".join(tokens_span(rng, response, 4, 20))
    if not span[0].islower():
        return None
    return Made(md(span[0].upper() + span[1:]), response)


def valid_ellipsis(rng, pools):
    response = pools.long(rng, 10)
    if not plain_text(response):
        return None
    tokens = response.text.split()
    first, gap, second = rng.randint(3, 6), rng.randint(1, 6), rng.randint(1, 6)
    if first + gap + second > len(tokens):
        return None
    start = rng.randint(0, len(tokens) - first - gap - second)
    one = " ".join(tokens[start : start + first])
    left_out = " ".join(tokens[start + first : start + first + gap])
    two = " ".join(tokens[start + first + gap : start + first + gap + second])
    if word_count(one) < 3 or not word_count(two) or not says_nothing_changing(left_out):
        return None
    return Made(md(one) + rng.choice(ELLIPSES) + md(two), response)


def valid_insertion(rng, pools):
    """A genuine insertion: a pronoun named, a tense changed or a first capital supplied."""
    response = pools.long(rng, 6)
    if not plain_text(response):
        return None
    span = tokens_span(rng, response, 6, 20)
    lowered = [t.lower() for t in span]
    how = rng.choice(["referent", "tense", "capital"])
    if how == "capital":
        if not re.fullmatch(r"[a-z]{2,}", span[0]) or len(span) < 4:
            return None
        return Made(f"[{span[0][0].upper()}]{md(span[0][1:])} {joined(span[1:])}", response)
    wanted = PRONOUNS if how == "referent" else set(TENSES)
    places = [i for i, t in enumerate(lowered) if t in wanted
              and (i + 1 == len(span) or lowered[i + 1] not in ("not", "n't"))]
    if not places:
        return None
    at = rng.choice(places)
    if max(word_count(" ".join(span[:at])), word_count(" ".join(span[at + 1 :]))) < 3:
        return None
    inserted = rng.choice(REFERENTS) if how == "referent" else TENSES[lowered[at]]
    return Made(" ".join(filter(None, [joined(span[:at]), inserted, joined(span[at + 1 :])])),
                response)


def valid_sic(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 20)
    at = rng.randint(1, len(span))
    sic = rng.choice(["[sic]", "[Sic]", "[sic!]"])
    return Made(" ".join(filter(None, [joined(span[:at]), sic, joined(span[at:])])), response)


def valid_round_insertion(rng, pools):
    response = pools.long(rng, 8)
    span = tokens_span(rng, response, 8, 20)
    if any(c in " ".join(span) for c in "()[]"):
        return None
    at = rng.randint(3, len(span) - 3)
    if max(word_count(" ".join(span[:at])), word_count(" ".join(span[at:]))) < 3:
        return None
    inserted = f"({rng.choice(['are', 'is', 'the', 'has been'])})"
    return Made(f"{joined(span[:at])} {inserted} {joined(span[at:])}", response)


# --- corruptions ------------------------------------------------------------------------------

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
    return Made(joined(span), response)


def delete(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 20)
    del span[rng.randint(1, len(span) - 2)]  # inside: without an end word it is a shorter quote
    return Made(joined(span), response)


def insert(rng, pools):
    response = pools.long(rng, 5)
    span = tokens_span(rng, response, 5, 20)
    span.insert(rng.randint(1, len(span) - 1), rng.choice(pools.vocabulary))
    return Made(joined(span), response)


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
    return Made(joined(span), response)


def number(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 25)
    for i, token in enumerate(span):
        digits = re.search(r"\d+", token)
        if digits:
            changed = str(int(digits.group()) + rng.randint(1, 9))
            span[i] = token[: digits.start()] + changed + token[digits.end() :]
            return Made(joined(span), response)
        if token.casefold() in NUMBER_WORDS:
            span[i] = rng.choice([w for w in NUMBER_WORDS if w != token.casefold()])
            return Made(joined(span), response)
    return None


def reorder(rng, pools):
    response = pools.long(rng, 8)
    tokens = response.text.split()
    cut = rng.randint(3, len(tokens) - 3)
    one = " ".join(tokens[max(0, cut - rng.randint(3, 8)) : cut])
    two = " ".join(tokens[cut : cut + rng.randint(3, 8)])
    if word_count(one) < 3 or word_count(two) < 3 or pools.oracle(two, one):
        return None
    return Made(md(two) + rng.choice(ELLIPSES) + md(one), response)


def splice(rng, pools):
    first, second = pools.long(rng, 4), pools.long(rng, 4)
    if first.respondent == second.respondent:
        return None
    one = " ".join(first.text.split()[-rng.randint(3, 8) :])
    two = " ".join(second.text.split()[: rng.randint(3, 8)])
    if word_count(one) < 3 or word_count(two) < 3 or pools.oracle(one, two):
        return None
    return Made(md(one) + (" " if rng.random() < 0.5 else rng.choice(ELLIPSES)) + md(two), first)


def punctuation(rng, pools):
    response = pools.long(rng, 5)
    span = tokens_span(rng, response, 5, 25)
    marked = [i for i, t in enumerate(span[:-1]) if t[-1] in ",.;:"]
    if not marked:
        return None
    i = rng.choice(marked)
    span[i] = span[i][:-1] + rng.choice([m for m in ",.;:" if m != span[i][-1]])
    return Made(joined(span), response)


def truncate(rng, pools):
    response = pools.long(rng, 4)
    span = tokens_span(rng, response, 4, 20)
    at_end = rng.random() < 0.7
    edge = -1 if at_end else 0
    if not re.fullmatch(r"[A-Za-z]{4,}", span[edge]):
        return None
    cut = rng.randint(1, len(span[edge]) - 2)
    span[edge] = span[edge][:-cut] if at_end else span[edge][cut:]
    return Made(joined(span), response)


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
    return Made(md(text), response)


def _negated(span: list[str]) -> list[int]:
    """Positions of negations in a span with three or more words before them and two or more
    after (so that the words after are not found again later, past a sentence end)."""
    return [i for i, t in enumerate(span) if i >= 3 and i + 2 < len(span)
            and (t.lower() in NEGATIONS or re.fullmatch(r"[A-Za-z]+n['’]t", t))
            and t.lower() not in ("nor", "neither")]


def negation_dropped_by_ellipsis(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 25)
    places = _negated(span)
    if not places or any(ch in response.text for ch in "[]"):
        return None
    at = rng.choice(places)
    word = span[at]
    kept = re.sub(r"n['’]t$", "", word) if word.lower() not in NEGATIONS else ""
    if word.lower() in ("can't", "can’t", "won't", "won’t"):
        return None
    before = joined(span[:at] + ([kept] if kept else []))
    return Made(f"{before}{rng.choice(ELLIPSES)}{joined(span[at + 1 :])}", response)


def number_replaced_by_insertion(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 25)
    places = [i for i, t in enumerate(span) if re.fullmatch(r"\W*\d+(?:[.,]\d+)?%?\W*", t)
              or t.lower().strip(".,;:") in NUMBER_WORDS]
    if not places or any(ch in response.text for ch in "[]"):
        return None
    at = rng.choice(places)
    found = re.search(r"\d+(?:[.,]\d+)?%?", span[at])
    if found:
        value = found.group()
        digits = re.sub(r"\d", lambda m: str((int(m.group()) + rng.randint(1, 9)) % 10), value)
        replacement = digits if digits != value else value + "0"
    else:
        replacement = rng.choice([w for w in NUMBER_WORDS if w != span[at].lower().strip(".,;:")])
    if max(word_count(" ".join(span[:at])), word_count(" ".join(span[at + 1 :]))) < 3:
        return None
    return Made(" ".join(filter(None, [joined(span[:at]), f"[{replacement}]",
                                       joined(span[at + 1 :])])), response)


def negation_inserted(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 25)
    lowered = [t.lower() for t in span]
    places = [i for i, t in enumerate(lowered[:-1]) if t in AUXILIARIES
              and lowered[i + 1] not in ("not", "never")]
    if not places:
        return None
    at = rng.choice(places) + 1
    if max(word_count(" ".join(span[:at])), word_count(" ".join(span[at:]))) < 3:
        return None
    return Made(f"{joined(span[:at])} [{rng.choice(['not', 'never', 'no longer'])}] "
                f"{joined(span[at:])}", response)


def hidden_html(rng, pools):
    response = pools.long(rng, 6)
    span = tokens_span(rng, response, 6, 25)
    inside = [i for i, t in enumerate(span[1:-1], 1) if is_word(t)]
    if not inside:
        return None
    at = rng.choice(inside)
    shown = " ".join(span[:at] + span[at + 1 :])
    hidden = rng.choice(HIDING).format(md(span[at]))
    return Made(f"{joined(span[:at])} {hidden} {joined(span[at + 1 :])}", response, plain=shown)


def unbalanced_marks(rng, pools):
    """Invented words inside a quote, hidden by a stray mark that once made the gate read only
    the real words: “<real> <invented> so "<real ending>” or a quote never closed."""
    response = pools.long(rng, 8)
    span = tokens_span(rng, response, 8, 25)
    invented = " ".join(rng.choice(pools.vocabulary) for _ in range(rng.randint(3, 7)))
    if rng.random() < 0.5:
        ending = span[-rng.randint(2, 5) :]
        text = f"{joined(span)} {invented} so \"{joined(ending)}"
        plain = f"{' '.join(span)} {invented} so {' '.join(ending)}"
        return Made(text, response, plain=plain)
    return Made(f"{joined(span)} {invented}.", response, plain=f"{' '.join(span)} {invented}.",
                opened_only=True)


VALID: dict[str, Form] = {
    "reflowed span": valid_reflow, "quote marks swapped": valid_quote_marks,
    "capitalised": valid_capitalised, "ellipsis join": valid_ellipsis,
    "[insertion]": valid_insertion, "(round) insertion": valid_round_insertion,
    "[sic] added": valid_sic,
}
WARNED = {"(round) insertion"}  # valid forms that must pass with a style warning
CORRUPTIONS: dict[str, Form] = {
    "word substituted": substitute, "word deleted": delete, "word inserted": insert,
    "not added/removed": negation, "number changed": number, "fragments reordered": reorder,
    "two respondents spliced": splice, "truncated mid-word": truncate, "paraphrased": paraphrase,
    "punctuation changed": punctuation,
    "negation dropped by ellipsis": negation_dropped_by_ellipsis,
    "number replaced by insertion": number_replaced_by_insertion,
    "negation inserted": negation_inserted, "hidden HTML": hidden_html,
    "unbalanced marks": unbalanced_marks,
}
WRONG_RESPONDENT = "wrong respondent named"
# Corruptions whose words are real text in order by construction: what they change is what
# the marks stand for, so the check that a corruption is not accidentally real does not apply.
MEANING_KINDS = {"negation dropped by ellipsis", "number replaced by insertion",
                 "negation inserted"}


def accidentally_real(made: Made, oracle) -> bool:
    """A corruption that is still real text: "the council" with one word swapped may be another
    respondent's "the county"; and a changed word inside a plain bracketed aside may leave what
    the rules read as an editor's "(insertion)" beside verbatim words. Neither is a corruption."""
    text = made.plain or re.sub(r"\\(.)", r"\1", made.quote)
    pieces = [piece for part in PLAIN_ASIDE.split(text) for piece in ELLIPSIS.split(part)
              if piece.strip()]
    return bool(oracle(*ELLIPSIS.split(text)) or oracle(*pieces))


def norm(text: str) -> str:
    return normalise_quote(text).text


__all__ = ["CORRUPTIONS", "MEANING_KINDS", "VALID", "WARNED", "WRONG_RESPONDENT", "Made", "Pools",
           "accidentally_real", "md", "norm", "tokens_span"]
