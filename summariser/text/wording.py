"""How numbers are written and read: number words both ways, count phrases, percentages and the
one rounding rule.

The wording follows the published reports the tool imitates: counts up to ten in words ("four
of 16 Chief Officers (25%)"), larger ones in digits grouped by thousands ("2,604 of 9,089"),
none as "no". Every printed percentage or rounded statistic is rounded half up (62.5 -> 63,
7.25 -> 7.3), as readers and spreadsheets round; Python's `round` rounds halves to even (62.5 ->
62), which let a report print "ten of 16 (62%)" beside "six of 16 (38%)". The publication gate
accepts exactly this rounding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = ["DIGITS", "LARGEST_IN_WORDS", "NUMBER_PATTERN", "capitalised", "count_noun",
           "count_text", "half_up", "head_noun", "initials", "initials_spellings", "join_words",
           "number_value", "number_word", "opening", "percent_text", "rounded"]

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
NONE_WORD = "no"  # "no Chief Officers": how a count of zero is written
LARGEST_IN_WORDS = 10  # larger counts are written in digits

# Digits as a count is written, grouped by thousands or not ("9,089", "9089").
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
# A number as prose writes it: digits (not part of 2.5 or 3/4), "twenty-one", "twenty one" or a
# unit word. A regex fragment, for patterns that read counts out of sentences.
NUMBER_PATTERN = (rf"(?:{DIGITS}(?![.,/]\d)|(?:" + "|".join(TENS) + r")(?:[- ](?:"
                  + "|".join(UNITS[1:10]) + r"))?|"
                  + "|".join(sorted(UNITS, key=len, reverse=True)) + r")")


def initials(noun: tuple[str, str]) -> tuple[str, str]:
    """How writers shorten a respondent noun of several words: ("CO", "COs") for "Chief
    Officer(s)"; ("", "") for a noun of one word, which has no short form."""
    parts = noun[0].split()
    if len(parts) < 2:
        return "", ""
    short = "".join(p[0] for p in parts).upper()
    return short, short + "s"


def head_noun(noun: tuple[str, str]) -> str:
    """The last word of a respondent noun of several words, in the plural ("Officers" of "Chief
    Officers"), which writers use alone to count them ("nine officers"); "" for a noun of one
    word, or one whose last word is the same in both numbers ("Members of staff")."""
    singular, plural = noun[0].split(), noun[1].split()
    if len(plural) < 2 or singular[-1].lower() == plural[-1].lower():
        return ""
    return plural[-1]


def initials_spellings(noun: tuple[str, str]) -> tuple[str, ...]:
    """The initials of a respondent noun of several words as writers print them: "CO", and the
    plural with or without an apostrophe or dots ("COs", "CO's", "C.O.s", "C.O.'s"); none for a
    noun of one word. (A dotted singular, "C.O.", is left out: it ends in a stop, not a word.)"""
    short, _ = initials(noun)
    if not short:
        return ()
    dotted = "".join(f"{letter}." for letter in short)
    return (short, *(f"{stem}{plural}" for stem in (short, dotted) for plural in ("s", "'s", "’s")))


def number_word(count: int) -> str:
    """A count as the report writes it: "no", "one" ... "ten", then digits ("11", "9,089")."""
    if count == 0:
        return NONE_WORD
    return UNITS[count] if 0 < count <= LARGEST_IN_WORDS else f"{count:,}"


def number_value(word: str) -> int:
    """A number written in digits or words ("16", "four", "twenty-one", "twenty one", "no"):
    the inverse of `number_word`, and more."""
    word = word.lower().strip().replace(" ", "-")
    if re.fullmatch(DIGITS, word):
        return int(word.replace(",", ""))
    if word == NONE_WORD:
        return 0
    if word in UNITS:
        return UNITS.index(word)
    tens, _, unit = word.partition("-")
    if tens in TENS and (not unit or unit in UNITS[1:10]):
        return TENS[tens] + (UNITS.index(unit) if unit else 0)
    raise ValueError(f"'{word}' is not a number in digits or words")


def capitalised(text: str) -> str:
    """`text` with its first character in capitals, to start a sentence ("four" -> "Four");
    unlike `str.capitalize`, the rest is left as it is."""
    return text[:1].upper() + text[1:]


def opening(text: str) -> str:
    """`text` to open a sentence: capitalised ("Four of 16 ..."), or after "In all, " when it
    opens with digits ("In all, 2,604 of 9,089 ..."): a sentence never opens with digits."""
    return f"In all, {text}" if text[:1].isdigit() else capitalised(text)


def count_noun(count: int, noun: tuple[str, str], capital: bool = False) -> str:
    """'one Chief Officer', 'four Chief Officers', 'no Chief Officers' (noun: singular, plural)."""
    number = number_word(count)
    return f"{capitalised(number) if capital else number} {noun[0] if count == 1 else noun[1]}"


def count_text(count: int, denominator: int, noun: tuple[str, str], capital: bool = False
               ) -> str:
    """'four of 16 Chief Officers (25%)', the way the published report states counts; 'none of
    the 16 Chief Officers (0%)' for no one, 'all nine Chief Officers (100%)' for everyone of
    three or more, 'both interviewees (100%)' of two."""
    if count == 0 and denominator:
        none = "None" if capital else "none"
        return (f"{none} of the {denominator:,} {noun[1] if denominator != 1 else noun[0]} "
                f"({percent_text(0, denominator)})")
    if count == denominator == 2:  # "two of 2" reads as a form filled in by a machine
        return f"{'Both' if capital else 'both'} {noun[1]} (100%)"
    if count == denominator > 2:
        return f"{'All' if capital else 'all'} {number_word(count)} {noun[1]} (100%)"
    number = number_word(count)
    if capital:
        number = capitalised(number)
    percent = f" ({percent_text(count, denominator)})" if denominator else ""
    return f"{number} of {denominator:,} {noun[1] if denominator != 1 else noun[0]}{percent}"


def half_up(value: int | float | Fraction | Decimal, places: int = 0) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero: 62.5 -> 63, 7.25 -> 7.3.

    A float is taken as the shortest decimal that reads back as it (7.25, not the binary
    7.25000000000000000001 or 7.24999999999999999999); a Fraction is rounded exactly."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        return value  # NaN and infinities have no rounding
    exact = Fraction(value)
    units = math.floor(abs(exact) * 10**places + Fraction(1, 2))
    result = Decimal(units).scaleb(-places)
    return -result if exact < 0 and units else result


def rounded(value: int | float | Fraction | Decimal | None, places: int = 1) -> str:
    """A statistic as printed, rounded half up: rounded(7.25) -> '7.3', rounded(8.0) -> '8.0';
    an empty string for None."""
    return "" if value is None else str(half_up(value, places))


def percent_text(part: int, whole: int, places: int = 0) -> str:
    """`part` of `whole` as a printed percentage, rounded half up: (10, 16) -> '63%'."""
    return f"{half_up(Fraction(100 * part, whole), places)}%"


def join_words(items: Sequence[str], last: str = "and") -> str:
    """A list as prose writes it: "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]

