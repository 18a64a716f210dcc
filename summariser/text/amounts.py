"""Amounts of people stated in words: the one vocabulary of drafting, `ask --answer` and the gate.

"Most Chief Officers", "everyone", "a third of respondents", "one in three", "75% of
respondents" each state how many people said something without a count. Only code may state an
amount, so each stage reads the same words:
- drafting (`summariser.draft.chain`): a model's theme description that states an amount is not
  used;
- `ask --answer` (`summariser.ask.answer`): a sentence of a model's answer that states an amount
  is kept only when the gate's reading of it holds for the count;
- the gate (`summariser.gate.claims`, `summariser.gate.numbers`): each is a claim, checked against
  who the corpus and the draft's evidence say it counts.

What each amount means, for n of d people (`holds`):

    none, no one, nobody, not one, no <noun>         n = 0
    all, every, every one, each, everyone,
      everybody, unanimous(ly)                       n = d
    almost all, nearly all, virtually all,
      almost everyone, nearly everyone               n >= 75% of d and n < d
    the vast (overwhelming, great, large) majority  n >= 75% of d
    most, the (a, a clear, a small) majority         n > 50% of d
    many                                             n >= 3
    a minority, few                                  0 < n < 50% of d
    a couple                                         n = 2
    a few                                            2 <= n <= 4 and n < 50% of d
    several, a number of                             n >= 3 and n < 50% of d
    a handful                                        3 <= n <= 6 and n < 50% of d
    half a dozen, a dozen                            n within one of 6, of 12
    about k, around k, roughly k, approximately k,
      k or so (about ten, ten or so)                 n within one of k
    a fraction: half, a third, two thirds, a
      quarter, three fifths, one in three, 1 in 4    n within one of the fraction of d, and
                                                     n/d within `NEAR_SHARE` of it
    more than (over) a fraction                      n > the fraction of d
    fewer than (less than, under) a fraction         n < the fraction of d
    at least a fraction                              n >= the fraction of d
    all but k (all but one, all but two)             n = d - k

"Only one", "just two" are counts, read where counts are (`summariser.gate.claims`): "only one
Chief Officer" is a claim, where "one Chief Officer said" is an attribution.

`ALONE` are the amounts that speak of people without the respondent noun after them ("Chief
Officers were unanimous", "nobody"); the others make a claim only with the noun ("most Chief
Officers") or "of these/them".
"""

from __future__ import annotations

import re
from fractions import Fraction

from summariser.text.wording import NUMBER_PATTERN, UNITS, number_value, number_word

__all__ = ["ALONE", "AMOUNTS", "AMOUNT_PATTERN", "PERCENT_PATTERN", "RANGES", "UNIVERSAL",
           "amount_meaning", "counts_itself", "holds", "mentions_quantity", "percent_value",
           "range_text", "states_amount"]

# Each phrase (lower case, single spaces) and what it means: a key of `RANGES`, or "about k" (a
# count give or take one, as "about ten" is: `_ABOUT`).
AMOUNTS: dict[str, str] = {
    "none": "none", "no one": "none", "nobody": "none", "not one": "none", "no": "none",
    "all": "all", "both": "both", "every": "all", "every one": "all", "each": "all",
    "everyone": "all",
    "everybody": "all", "unanimous": "all", "unanimously": "all", "every single": "all",
    "almost all": "almost all", "nearly all": "almost all", "virtually all": "almost all",
    "almost everyone": "almost all", "nearly everyone": "almost all",
    "most": "most", "the majority": "most", "a majority": "most", "many": "many",
    **{f"{article} {size} majority": "a large majority" for article in ("a", "an", "the")
       for size in ("vast", "overwhelming", "great", "large")},
    **{f"{article} {size} majority": "most" for article in ("a", "the")
       for size in ("clear", "small", "slim", "narrow", "simple", "bare")},
    "a minority": "a minority", "few": "a minority", "a couple": "a couple", "a few": "a few",
    "several": "several", "a number": "a number of", "half": "half",
    "a handful": "a handful", "half a dozen": "about 6", "a dozen": "about 12",
}
ALONE = frozenset({"the majority", "a majority", "a minority", "no one", "nobody", "unanimous",
                   "unanimously", "everyone", "everybody", "almost everyone",
                   "nearly everyone", *(a for a in AMOUNTS if a.endswith(" majority"))})
UNIVERSAL = frozenset({"all", "both", "none"})  # claims about every one of them, or no one

RANGES = {"none": "none (0)", "all": "all of them", "both": "both of two",
          "almost all": "at least 75% but not all",
          "a large majority": "at least 75%",
          "most": "more than half", "many": "three or more", "a minority": "fewer than half",
          "a couple": "two", "a few": "2 to 4, and fewer than half",
          "several": "3 or more, and fewer than half",
          "a number of": "3 or more, and fewer than half",
          "a handful": "3 to 6, and fewer than half"}

# Not fitted: a tenth. Of ten people or more "within one" is already nearer; of fewer it let
# "half of the four" stand for one of four (a quarter).
NEAR_SHARE = Fraction(1, 10)

_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
          "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10}
_FRACTION = (r"(?:a|one|two|three|four|five|nine)[\s-]+(?:" + "|".join(_PARTS) + r")\b")
_RATIO = rf"{NUMBER_PATTERN}\s+in\s+(?:every\s+)?{NUMBER_PATTERN}"
# A bound before a share: "more than half" is not "about half".
_BOUNDS = {"more than": ">", "over": ">", "fewer than": "<", "less than": "<", "under": "<",
           "at least": ">="}
_BOUND_WORDS = {">": "more than", "<": "fewer than", ">=": "at least"}
_BOUNDED = (r"(?:" + "|".join(b.replace(" ", r"\s+") for b in _BOUNDS) + r")\s+(?:"
            + _FRACTION + "|" + _RATIO + r"|half\b)")
# "All but one" is d - 1 of d people.
_ALL_BUT = rf"all\s+but\s+{NUMBER_PATTERN}\b"
# "About ten", "ten or so": a count give or take one (not "about one in three", "about two
# thirds", "about 70%": shares, read as such).
_ABOUT = (rf"(?:(?:about|around|roughly|approximately)\s+{NUMBER_PATTERN}\b"
          r"(?!\s*(?:%|per\s*cent\b|in\s|[-\s](?:" + "|".join(_PARTS) + r")\b))"
          rf"|{NUMBER_PATTERN}\s+or\s+so\b)")
# "Only two", "just one": a count, which a model may not state either.
_ONLY = rf"(?:only|just)\s+{NUMBER_PATTERN}\b"
# Any amount, for a regex: all but k, about k, a bounded share, a fraction or a ratio, else a
# phrase of AMOUNTS (longest first).
AMOUNT_PATTERN = ("(?:" + _ALL_BUT + "|" + _ABOUT + "|" + _BOUNDED + "|" + _FRACTION + "|"
                  + _RATIO + "|"
                  + "|".join(
    re.escape(a).replace(r"\ ", r"\s+") for a in sorted(AMOUNTS, key=len, reverse=True)) + ")")

# A percentage as printed: "70%", "70 per cent", "70 percent", "seventy per cent" (a number
# word takes "per cent", never "%").
PERCENT_PATTERN = (r"(?:\d+(?:\.\d+)?\s*(?:%|per\s*cent\b)"
                   rf"|\b{NUMBER_PATTERN}\s+per\s*cent\b)")
# What states an amount of people in text a model writes: an amount word other than "no",
# "each" and "both" (which name none: "both health and care"), or a percentage.
_STATES = re.compile(r"\b(?:" + "|".join(
    [_ALL_BUT, _ONLY, _ABOUT, _FRACTION, _RATIO, *(re.escape(a).replace(r"\ ", r"\s+")
                          for a in sorted(AMOUNTS, key=len, reverse=True)
                          if a not in ("no", "each", "every one", "both"))])
                     + r")\b|" + PERCENT_PATTERN,
                     re.IGNORECASE)
_QUANTITY = re.compile(r"\d|\b(?:" + "|".join(UNITS[1:]) + r"|twenty|thirty|forty|fifty|sixty"
                       r"|seventy|eighty|ninety)\b|" + _STATES.pattern, re.IGNORECASE)


def amount_meaning(phrase: str) -> str:
    """What an amount phrase means: a key of `RANGES`, a fraction as "1/3", a bounded one as
    ">1/2" ("more than half"), "<1/3" or ">=2/3", "all but 1", or "about 10"."""
    words = " ".join(phrase.lower().split())
    all_but = re.fullmatch(rf"all but ({NUMBER_PATTERN})", words)
    if all_but:
        return f"all but {number_value(all_but.group(1))}"
    about = re.fullmatch(rf"(?:about|around|roughly|approximately) ({NUMBER_PATTERN})"
                         rf"|({NUMBER_PATTERN}) or so", words)
    if about:
        return f"about {number_value(about.group(1) or about.group(2))}"
    words = words.replace("-", " ")
    bound = next((b for b in _BOUNDS if words.startswith(b + " ")), None)
    if bound:
        share = amount_meaning(words[len(bound) + 1:])
        return _BOUNDS[bound] + ("1/2" if share == "half" else share)
    if words in AMOUNTS:
        return AMOUNTS[words]
    ratio = re.fullmatch(rf"({NUMBER_PATTERN}) in (?:every )?({NUMBER_PATTERN})", words)
    if ratio:
        part, whole = number_value(ratio.group(1)), number_value(ratio.group(2))
        if 0 < part <= whole:
            return str(Fraction(part, whole))
        raise ValueError(f"'{phrase}' is not a share")
    top, _, name = words.rpartition(" ")
    if name in _PARTS:
        count = 1 if top in ("a", "one") else number_value(top)
        return str(Fraction(count, _PARTS[name]))
    raise ValueError(f"'{phrase}' is not an amount")


def percent_value(percentage: str) -> str:
    """The number a percentage (`PERCENT_PATTERN`) states, as printed in digits: "70%" and
    "seventy per cent" -> "70", "31.3 per cent" -> "31.3"."""
    digits = re.match(r"\d+(?:\.\d+)?", percentage)
    if digits:
        return digits.group()
    return str(number_value(re.split(r"\s+per\s*cent", percentage, flags=re.IGNORECASE)[0]))


def counts_itself(meaning: str) -> bool:
    """Whether an amount (`amount_meaning`) states a count of its own ("all but 1", "about 10"),
    which holds of the people counted whatever their share of those asked."""
    return meaning.startswith(("all but ", "about "))


def holds(meaning: str, n: int, d: int) -> bool:
    """Whether an amount (`amount_meaning`) describes n of d people (the module docstring)."""
    share = Fraction(n, d) if d else Fraction(0)
    if meaning.startswith("all but "):
        return n == d - int(meaning.removeprefix("all but "))
    if meaning.startswith("about "):
        return abs(n - int(meaning.removeprefix("about "))) <= 1
    if meaning == "half":
        meaning = "1/2"
    if meaning.startswith((">", "<")):
        bound = Fraction(meaning.lstrip("<>="))
        return {">": share > bound, "<": share < bound, ">=": share >= bound}[
            meaning[: len(meaning) - len(meaning.lstrip("<>="))]]
    if "/" in meaning:  # within one, and, of a small whole, within a tenth of it
        return abs(n - Fraction(meaning) * d) <= 1 and abs(share - Fraction(meaning)) <= NEAR_SHARE
    return {
        "none": n == 0,
        "all": n == d,
        "both": n == d == 2,
        "almost all": share >= Fraction(3, 4) and n < d,
        "a large majority": share >= Fraction(3, 4),
        "most": share > Fraction(1, 2),
        "many": n >= 3,
        "a minority": n > 0 and share < Fraction(1, 2),
        "a couple": n == 2,
        "a few": 2 <= n <= 4 and share < Fraction(1, 2),
        "several": n >= 3 and share < Fraction(1, 2),
        "a number of": n >= 3 and share < Fraction(1, 2),
        "a handful": 3 <= n <= 6 and share < Fraction(1, 2),
    }[meaning]


def range_text(meaning: str) -> str:
    """What an amount means, for a reason: "more than half", "within one of a third"."""
    if meaning.startswith("all but "):
        return f"all but {number_word(int(meaning.removeprefix('all but ')))}"
    if meaning.startswith("about "):
        about = int(meaning.removeprefix("about "))
        return f"{about - 1} to {about + 1}"
    if meaning == "half":
        meaning = "1/2"
    if meaning.startswith((">", "<")):
        shown = meaning.lstrip("<>=")
        words = "half" if shown == "1/2" else shown
        return f"{_BOUND_WORDS[meaning[: len(meaning) - len(shown)]]} {words}"
    if "/" in meaning:
        share = Fraction(meaning)
        return "about half" if share == Fraction(1, 2) else \
            f"within one of {share.numerator}/{share.denominator}"
    return RANGES[meaning]


def states_amount(text: str) -> bool:
    """Whether `text` states an amount of people in words ("most", "everyone", "a third",
    "one in three", "75%"): what only code may write."""
    return _STATES.search(text) is not None


def mentions_quantity(text: str) -> bool:
    """Whether `text` states a number or an amount ("3", "four", "twenty", "most", "a few",
    "everyone", "unanimous", "a third", "75%")."""
    return _QUANTITY.search(text) is not None
