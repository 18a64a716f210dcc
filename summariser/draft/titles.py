"""Naming a proposed theme from its evidence: a title a report author keeps, and a description
of what its people say.

A title is the phrase that best names what the theme's segments share: a run of words its people
actually wrote, used by many of them and by few segments outside the theme, two to four words
long where such a phrase exists ("Delayed discharge", "Grassroots sport funding"), ending with a
word that can be a noun. It is never only a word of the question itself or the respondent noun
("Patients"), a word that addresses someone (@handles), a member of staff's name ("Dave the
engineer": `summariser.text.names.people_named`), a non-answer, or a phrase cut from a longer
name ("Staff in the call" of "call centre"). Where no phrase of two words or more is shared, the
two most telling words are joined ("Children and young people") if people write them apart,
not within one phrase ("Speed and pay" of "the speed we pay for"),
and a one-word title takes the word its people put before it ("Good practice", `qualified`).
The description lists what the theme's people mention besides the title, from their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import lemminflect

from summariser.draft.phrases import (
    FILLERS,
    FUNCTION_WORDS,
    VERBS,
    as_title,
    is_noun,
    is_plain_noun,
    is_verb_only,
    join_words,
    lemma,
    lemmas,
    names_a_thing,
    surface_form,
    tokens,
    used_as_noun,
)
from summariser.text.amounts import AMOUNTS
from summariser.text.names import part_of_names
from summariser.text.tone import positivity
from summariser.text.words import WORD, fold

# Chosen with discovery as a whole on the labelled sets and the development judgments; where,
# and what they give held back: benchmarks/README.md, "Thresholds".
LENGTH_WEIGHT = {1: 0.55, 2: 1.0, 3: 1.0, 4: 0.85}  # a bare keyword names least
MIN_TITLE_PRECISION = 0.5  # half a title phrase's uses are in the theme, or it names another
MULTI_SHARE = 0.5  # a phrase with the head word names the theme if this share as many use it:
# a title narrower than what most of its people say ("Locality teams" for "teams") misnames it
OTHER_SHARE = 0.5  # ... and one without it, if half as many do
QUALIFY_SHARE = 0.1  # a phrase with the head word names the theme over the bare word if this
QUALIFY_PRECISION = 0.8  # share as many use it, nearly only inside the theme ("Gate agents")
PAIR_SHARE = 0.25  # a second word joins a one-word title if this share as many use it
QUALIFIED_SHARE = 0.5  # a word before a one-word title joins it if this share of its people
# use it ("Good practice")
MAX_DESCRIBED = 3  # phrases listed in a description
# Nouns too general to name a theme alone ("Issues", "Change"), by lemma.
VAGUE = frozenset("""
issue challenge change problem progress process approach organisation system level part area
point case fact aspect matter situation example kind type number amount range work role term
place option opportunity experience question answer idea thing step stage side reason result
time moment date hour minute day week month year today tomorrow yesterday guy person someone
everyone
""".split())
# Lemmas of auxiliaries, the copula, subject pronouns and words that join a clause on: a phrase
# holding one is (part of) a clause, not a noun phrase ("Staff are friendly", "Years and I love",
# "Happy because call").
CLAUSE_WORDS = frozenset("""be have do will would can could shall should may might must
i we he she they because although though unless whether whereas whilst if when but so""".split())
# Words that say how many people ("nobody", "most"): in a title the gate reads them as a count
# ("Criticism of line and nobody, raised by 28" claims none), and they name no idea.
AMOUNT_WORDS = frozenset({a for a in AMOUNTS if " " not in a}
                         - {"no", "each", "every", "half"}) | {"majority"}  # ("Half day
# closures", "Every child matters", "Ethnic minority carers" name things)
# ... and in a description, where the gate reads "every single member" as a claim of everyone,
# not a thing mentioned, every such word.
_ANY_AMOUNT = frozenset(a for a in AMOUNTS if " " not in a) | {"majority"}
# Words before a noun that say how many, whose or which in order, not what kind.
NOT_DESCRIBING = frozenset("""
more less many much lot lots other own same whole such enough further several various certain
first second third last next previous current recent
""".split())


@dataclass(frozen=True, slots=True)
class PhraseUse:
    """One candidate phrase, by lemma key, as the theme's people and the section use it."""

    key: str  # lemma key ("wait time")
    form: str  # its folded form as people wrote it most ("waiting times"; a noun's form if any)
    people: int  # of the theme's people who use it
    inside: int  # of its segments in the theme
    outside: int  # of its segments elsewhere in the section

    @property
    def precision(self) -> float:
        return self.inside / max(self.inside + self.outside, 1)

    @property
    def single(self) -> bool:
        return " " not in self.key


def title_score(use: PhraseUse, theme_people: int) -> float:
    share = use.people / max(theme_people, 1)
    return share * use.precision ** 0.5 * LENGTH_WEIGHT.get(len(use.key.split()), 0.7)


def is_clause(key: str, form: str = "") -> bool:
    """Whether a phrase (its lemma `key`, as written `form`) is (part of) a clause, not a noun
    phrase: "Disability are active", "Ads won't stop", "Time there's a consultation", or a
    verb and where ("Moved here two years"; not "Lost luggage")."""
    words = key.replace("’", "'").split()
    if any(w in CLAUSE_WORDS or w.endswith("n't") or w == "cannot"
           or ("'" in w and w in FUNCTION_WORDS) for w in words):  # "there's", "it's"
        return True
    return len(words) > 1 and is_verb_only((form or key).split()[0].lower()) \
        and words[1] in FUNCTION_WORDS


def titleable(key: str, stop: Collection[str], asked: Collection[str] = (),
              noun: Collection[str] = (), form: str = "") -> bool:
    """A phrase that can name a theme: content words at its ends, not opening with a verb of
    suggestion ("build", "stop"), no auxiliary or copula (a clause: "Staff are friendly"),
    neither opening nor ending with a name the question uses,
    ending with a noun, not the respondent noun ("Patients"), no figure inside a phrase, and not
    one word of the question alone."""
    words = key.split()
    if not words or words[0] in VERBS or words[0] in FUNCTION_WORDS or words[-1] in FILLERS \
            or words[-1] in FUNCTION_WORDS or any(map(_misspelt_small_word, words)):
        return False  # "Router that", "Mainly becuase"
    if words[0] in stop or words[-1] in stop:  # "Bowling Green warren", "Parts of Bowling"
        return False
    if is_clause(key, form):
        return False
    if AMOUNT_WORDS & set(words):
        return False
    if any(w.isdigit() for w in words) and len(words) > 1:
        return False  # "Waited 6 hours": one person's figure, not the idea ("Waiting")
    if all(w in noun or w in FUNCTION_WORDS for w in words):
        return False
    if len(words) == 1 and (words[0] in asked or words[0] in VAGUE):
        return False
    return is_noun((form or key).split()[-1])  # "odds", whose lemma is "odd"


_SMALL_WORDS = frozenset(w for w in FUNCTION_WORDS | CLAUSE_WORDS if len(w) >= 4)


def _misspelt_small_word(word: str) -> bool:
    """Whether a word English does not know is one slip from a word that joins or fills a
    clause ("becuase", "becasue", "thier"): it names nothing. A short word one letter away
    may be a name ("Dave" for "have"), so a changed letter counts only in a long word."""
    from rapidfuzz.distance import OSA

    if len(word) < 4 or not word.isalpha() or lemminflect.getAllLemmas(word):
        return False
    return any(OSA.distance(word, small) == 1 and (
        len(word) >= 6 or len(word) != len(small) or sorted(word) == sorted(small))
        for small in _SMALL_WORDS)


def choose_title(uses: Sequence[PhraseUse], theme_people: int, show: Callable[[str], str],
                 stop: Collection[str], required: Collection[str] = (),
                 asked: Collection[str] = (), precision: float = MIN_TITLE_PRECISION,
                 avoid: Collection[str] = (), noun: Collection[str] = (),
                 reads_as_thing: Callable[[str], bool] = lambda phrase: True,
                 typical: Callable[[str], bool] = lambda key: True,
                 whole: Callable[[str], bool] = lambda phrase: True,
                 apart: Callable[[str, str], bool] = lambda head, other: True) -> str:
    """The title among `uses` (see the module docstring), containing every word of `required`
    (the lemmas of the phrase that founded the theme); "" when none qualifies. `show` gives a
    lemma key as people wrote it; no word of `avoid` (other themes' titles) is used, nor a
    phrase that is not `whole` (one nearly always part of a longer one: "Staff in the call").

    The theme's most used word is its head; a phrase of several words with the head in it names
    the theme instead when at least `MULTI_SHARE` as many people use it ("Customer service" over
    "Service"), or one without it when `OTHER_SHARE` as many do; else a second word that at least
    `PAIR_SHARE` as many use joins the head ("Bags and luggage"), if people write the two
    `apart` ("Price and rise" of "price rise" names nothing); else a phrase with the head
    that at least `QUALIFY_SHARE` as many use, nearly only in the theme, names it ("Gate
    agent"); else the head alone."""
    usable = [u for u in uses if titleable(u.key, stop, asked, noun, u.form) and u.people >= 2
              and u.precision >= precision and not set(u.form.split()) & set(avoid)]
    # The people of each lemma's most used form, of the words that may say what the theme is
    # about (not a word of the question, a stop word, nor one used mostly elsewhere).
    family: dict[str, int] = {}
    for use in uses:
        if use.single and use.precision >= precision and use.key not in asked \
                and use.key not in stop:
            for word in lemmas(use.key):
                family[word] = max(family.get(word, 0), use.people)
    # Whether a phrase is whole is asked only of the one chosen: reading every phrase's uses
    # for it took minutes on 10,000 answers.
    while True:
        chosen = _chosen(usable, uses, theme_people, show, required, asked, reads_as_thing,
                         typical, apart, family)
        if chosen is None:
            return ""
        named = chosen[0]
        if not whole(show(named.key)):
            usable.remove(named)
            continue
        if len(chosen) == 2:
            return as_title(f"{show(named.key)} and {show(chosen[1].key)}")
        return as_title(show(named.key))


def _chosen(usable: list[PhraseUse], uses: Sequence[PhraseUse], theme_people: int,
            show: Callable[[str], str], required: Collection[str], asked: Collection[str],
            reads_as_thing: Callable[[str], bool], typical: Callable[[str], bool],
            apart: Callable[[str, str], bool], family: dict[str, int]
            ) -> tuple[PhraseUse, ...] | None:
    """The phrase `choose_title` names the theme by, or the head and the word that joins it."""
    mine = [u for u in usable if set(required) <= set(u.key.split())]
    # The head is the word of the idea most people use, in any of its forms (`family`):
    # "opening" of "open later", "open till 8" and "opening hours", not "free" (of "step free
    # access" and "when people are free"), which more use than "opening" alone. A form used by
    # under half as many as the most used word borrows nothing: "build more houses" is about
    # houses, not "building", which three wrote.
    most = max((u.people for u in mine if u.single), default=0)

    def strength(use: PhraseUse) -> int:
        if 2 * use.people < most:
            return use.people
        return max([use.people, *(family.get(word, 0) for word in lemmas(use.key))])

    singles = sorted((u for u in mine if u.single), key=lambda u: (-strength(u), -u.people,
                                                                      u.key))
    phrases = sorted((u for u in mine if not u.single),
                     key=lambda u: (-title_score(u, theme_people), u.key))
    if not singles:
        return (phrases[0],) if phrases else None
    head = singles[0]
    headed = [u for u in phrases if head.key in u.key.split()]
    if headed and headed[0].people >= MULTI_SHARE * head.people:
        return (headed[0],)  # "Drug addiction" for "drug"
    if phrases and phrases[0].people >= OTHER_SHARE * head.people:
        return (phrases[0],)
    pair = next((u for u in sorted(usable, key=lambda u: (-u.people, u.key))
                 if u.single and not lemmas(u.key) & lemmas(head.key) and u.key not in asked
                 and is_plain_noun(u.form) and is_plain_noun(u.key)
                 and u.people >= PAIR_SHARE * head.people and apart(head.form, u.form)), None)
    if pair is not None:
        return head, pair
    # "Gate agent", not "Gate"; but a second thing many say names more than a narrower phrase.
    # Phrases of the same words are one ("delayed flight", "flight delayed", "flight is
    # delayed"), named by the one that reads as a thing; their people are added, an upper bound
    # good enough to choose a name (it counts no one).
    alike: dict[frozenset[str], list[PhraseUse]] = {}
    for use in uses:
        if not use.single and head.key in use.key.split() and use.people >= 2 \
                and use.precision >= QUALIFY_PRECISION:
            alike.setdefault(frozenset(use.key.split()) - FUNCTION_WORDS, []).append(use)
    named = [(sum(u.people for u in group), things[0]) for group in alike.values()
             if (things := sorted((u for u in group if u in headed
                                   and reads_as_thing(show(u.key)) and typical(u.key)),
                                  key=lambda u: (-u.people, u.key)))]
    best = max(named, key=lambda pn: (pn[0], pn[1].key), default=None)
    if best is not None and best[0] >= QUALIFY_SHARE * head.people:
        return (best[1],)
    return (head,)


def qualified(title: str, said: Sequence[tuple[str, str]], noun: Collection[str] = ()) -> str:
    """A one-word title with the word its people put before it, where at least two and
    `QUALIFIED_SHARE` of those who use the title's word do ("Good practice": an evaluative word
    breaks a phrase when themes are found, but names one here), or with two such words that
    say what kind (neither praises nor faults), where each of them uses one ("Clinical and
    professional leads", "Leadership and senior team"); "" otherwise. `said`: (person, text)
    of the theme's segments; `noun`: the respondent noun's words, never a qualifier."""
    head = lemmas(title.lower())
    before: dict[str, set[str]] = {}
    using: set[str] = set()  # who use the title's word: a group's other members say nothing of it
    for person, text in said:
        written = [w.lower().replace("’", "'") for w in WORD.findall(text)]
        words = [fold(w) for w in written]  # as `tokens` reads them
        using |= {person for word in words if lemmas(word) & head}
        for previous, as_written, word in zip(words, written, words[1:]):
            # A plural before it is who does it ("providers working"), not what kind
            if lemmas(word) & head and _describes(previous, noun) and as_written == previous:
                before.setdefault(previous, set()).add(person)
    ranked = sorted(before.items(), key=lambda mw: (-len(mw[1]), mw[0]))[:2]
    people = len(using)
    if ranked and len(ranked[0][1]) >= max(2, QUALIFIED_SHARE * people):
        ranked = ranked[:1]
    elif len(ranked) < 2 or len(ranked[0][1] | ranked[1][1]) < people or any(
            positivity(m) for m, _ in ranked):
        return ""  # two kinds of a thing all of them name; not "Data and strong sharing", a
        # kind and a quality
    texts = [text for _, text in said]
    inside = title if title[:2].isupper() else title[:1].lower() + title[1:]
    return as_title(f"{join_words([surface_form(m, texts) for m, _ in ranked])} {inside}")


def _describes(word: str, noun: Collection[str]) -> bool:
    """Whether a folded word before a noun can say what kind ("rural", "clinical", "good"),
    not how many or whose ("more", "own"), and is not a word of the respondent noun."""
    found = lemminflect.getAllLemmas(word)
    return (word.isalpha() and word not in FUNCTION_WORDS and word not in NOT_DESCRIBING
            and word not in noun and bool({"ADJ", "NOUN"} & set(found)))


def describe(uses: Sequence[PhraseUse], title: str, theme_people: int,
             show: Callable[[str], str], texts: Sequence[str], stop: Collection[str] = ()
             ) -> str:
    """One sentence of what the theme's people mention besides the title, from their words
    (`texts`, the theme's segments): things, not actions or qualities, so "keep focus" never
    reads "Mentions keep" (`used_as_noun`), nor "gate agent gave" "Mentions agent gave"
    (`names_a_thing`); nothing the title says in another form ("Savings": not "savings"), no
    form of a word too general to say anything ("working", of "work"), and no word of how many
    ("every single member")."""
    def content(text: str) -> set[str]:  # as written and by every lemma ("working": "work")
        return {form for w in tokens(text) if w not in FUNCTION_WORDS
                for form in (w, lemma(w), *lemmas(w))}

    taken = content(title) | set(stop)
    listed: list[str] = []
    for use in sorted(uses, key=lambda u: (-title_score(u, theme_people), u.key)):
        words = set(use.key.split())
        if use.people < 2 or content(use.key) & taken or words & _ANY_AMOUNT \
                or all(w in FUNCTION_WORDS for w in words) or use.precision < MIN_TITLE_PRECISION:
            continue  # a phrase as common outside the theme says nothing of it
        shown = show(use.key)
        if content(shown) & taken:
            continue
        if use.single and (not is_plain_noun(use.form) or not is_plain_noun(use.key)
                           or not used_as_noun(use.form, texts)):
            continue  # "Mentions long" says nothing: list things, not qualities or actions
        if use.single and part_of_names(use.form, texts):
            continue  # "Mentions Lane", of "Campbell Lane": a word of names, not one
        if not use.single and not names_a_thing(shown, texts):
            continue  # "Mentions agent gave": a run of words cut from a clause
        listed.append(shown)
        taken |= content(use.key) | content(shown)
        if len(listed) == MAX_DESCRIBED:
            break
    return f"Mentions {join_words(listed)}." if listed else ""
