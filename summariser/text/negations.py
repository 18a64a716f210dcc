"""Words that negate, by language: what an ellipsis may never leave out of a quote, nor an
[insertion] add.

The verifier (`summariser.verify.marks`) reads the words of every language listed here in every
quote, so a quote in any of them keeps its negations whatever the manifest declares; an English
quote whose ellipsis leaves out a Spanish "sin" fails too, a false alarm a reviewer settles by
quoting the words whole. A corpus whose manifest declares a language not listed here
(`[project] languages`) has no list for the gate to read: there, the gate fails every quote
with an ellipsis rather than treat one as safe (`summariser.gate.quotes`).

French "n'" (n'est, n'a) and English "n't" (isn't, can't) are read as negations wherever they
stand in a word; English ones typed without the apostrophe ("dont", "didnt") are listed.
"""

from __future__ import annotations

__all__ = ["ALL_NEGATIONS", "NEGATIONS", "UNMARKED_NEGATIONS", "is_negation",
           "missing_languages"]

# English negations typed without their apostrophe ("dont", "didnt").
UNMARKED_NEGATIONS = frozenset("""cant dont wont didnt doesnt isnt wasnt arent werent hasnt
havent hadnt couldnt wouldnt shouldnt mustnt neednt aint""".split())
NEGATIONS: dict[str, frozenset[str]] = {
    # With the words that say something is missing or falls short ("Lack of clarity around
    # budgets" is not "clarity around budgets") and those that turn what follows against what
    # went before ("on risks rather than opportunities").
    "en": frozenset("""not no never nor neither none nobody nothing nowhere without cannot hardly
                       barely scarcely lack lacks lacked lacking failure failures fail fails
                       failed failing insufficient inadequate absence absent unable missing
                       shortage shortages rather instead but except unless""".split())
    | UNMARKED_NEGATIONS,
    "fr": frozenset("""ne pas jamais rien personne aucun aucune nul nulle sans ni guère
                       nullement""".split()),
    "de": frozenset("""nicht kein keine keinen keinem keiner keines nie niemals nichts niemand
                       nirgends nirgendwo ohne weder kaum""".split()),
    "es": frozenset("""no nunca jamás nada nadie ninguno ninguna ningún ni sin tampoco
                       apenas""".split()),
}
ALL_NEGATIONS = frozenset().union(*NEGATIONS.values())


def is_negation(word: str) -> bool:
    """Whether a lower-case word (apostrophes straight) negates in a listed language."""
    return (word in ALL_NEGATIONS or word.endswith("n't")
            or (word.startswith("n'") and len(word) > 2))


def missing_languages(languages: tuple[str, ...] | list[str]) -> list[str]:
    """The declared languages (codes such as "en", "fr-CA") this module has no words for."""
    return [code for code in languages if code.lower().split("-")[0].split("_")[0]
            not in NEGATIONS]
