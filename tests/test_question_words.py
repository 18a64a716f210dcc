"""What the question asks about is no idea of its answers, in the question's words or in the
words people use for them ("ads" for "advertisements"); and a theme is not lost when praise is
read in sentences that praise something else."""

from __future__ import annotations

from summariser.draft.candidates import SectionWords
from summariser.draft.phrases import FUNCTION_WORDS, lemma, tokens
from summariser.draft.propose import propose_themes, theme_budget
from summariser.records import Passage

QUESTION = "Should gambling advertisements be shown during televised football?"
NOUN = ("respondent", "respondents")

# Five people write of the "ads" (the question's "advertisements") and nothing else; the rest
# say what the ads do, in other words.
ANSWERS = [
    "The ads are everywhere.",
    "Too many ads.",
    "Ads in every single break.",
    "Nothing but ads all through the broadcast.",
    "Ads, ads and more ads.",
    "Children think betting is part of football now.",
    "Kids learn the odds before they learn the offside rule.",
    "My children ask to bet because everyone on TV does.",
    "Children copy what they see on screen.",
    "I lost my savings to a gambling addiction.",
    "It triggers my addiction every weekend.",
    "Anyone fighting an addiction can't escape it.",
    "Addiction ruins families.",
    "Clubs need the sponsorship money.",
    "Lower league clubs would lose their sponsorship.",
    "Sponsorship keeps grassroots clubs alive.",
    "It's predatory: it catches fans when they're relaxed and enjoying themselves.",
    "Predatory stuff, catching people when they are happy and having a great time.",
    "So predatory, timed for the exciting, fun moments.",
    "It's calculated, predatory marketing.",
    "Gendered, predatory marketing aimed at young men.",
    "The marketing is predatory.",
]


def _passages(texts: list[str]) -> list[Passage]:
    return [Passage(f"p{n:02d}", f"r{n:02d}", f"R{n:02d}", "q", "s", "f.csv", 0, len(t), t)
            for n, t in enumerate(texts)]


def test_a_word_people_use_for_a_word_of_the_question_is_one_of_its_words(minilm):
    passages = _passages(ANSWERS)
    vectors = minilm.embed(ANSWERS)
    plain = SectionWords(passages, vectors, QUESTION, NOUN)
    read = SectionWords(passages, vectors, QUESTION, NOUN, embed=minilm.embed)
    assert "ad" not in plain.asked  # no lemma in common with "advertisement"
    assert "ad" in read.asked
    # Words of ideas are not the question's, however often they are written near it.
    assert not {"child", "addiction", "sponsorship", "predatory", "club"} & read.asked


def test_what_the_question_asks_about_founds_no_theme_in_other_words(minilm):
    vectors = minilm.embed(ANSWERS)
    themes, _ = propose_themes(_passages(ANSWERS), vectors, theme_budget(len(ANSWERS)),
                               QUESTION, NOUN, embed=minilm.embed)
    titles = [t.title for t in themes]
    for title in titles:
        words = {lemma(w) for w in tokens(title)} - FUNCTION_WORDS
        assert words - {"ad", "advertisement", "gamble", "football"}, titles
    assert any("addiction" in t.lower() for t in titles), titles
    assert any("child" in t.lower() or "kid" in t.lower() for t in titles), titles


def test_praise_of_something_else_does_not_lose_a_theme(minilm):
    """Three of the six who call the marketing predatory say so in sentences VADER reads as
    praise ("enjoying themselves", "having a great time"). Split into praise and the rest, the
    praise side was titled by what else they share ("Praise for catches"): praise of something
    else. It stays one theme."""
    vectors = minilm.embed(ANSWERS)
    themes, _ = propose_themes(_passages(ANSWERS), vectors, theme_budget(len(ANSWERS)),
                               QUESTION, NOUN, embed=minilm.embed)
    predatory = [t for t in themes if "predatory" in t.title.lower()]
    assert len(predatory) == 1, [t.title for t in themes]
    assert predatory[0].tone == ""


def test_a_theme_whose_title_is_untrue_of_most_it_would_count_codes_by_its_phrase(minilm):
    """Two people write of "gambling money"; by meaning, the theme would count six more who
    write only of gambling, what the question asked about ("Why single out gambling?"). Its
    title would be a claim untrue of most it counts: it codes by its phrase alone. Where most
    it would count write of money, or of the same in other words, it codes by meaning too."""
    from summariser.draft.candidates import Candidate
    from summariser.draft.propose import _named

    founders = ["They've sold their souls for gambling money.",
                "Sports thrived before gambling money arrived."]
    generic = ["Why single out gambling?", "Sports and gambling have always gone together.",
               "The gambling lobby is too powerful.", "Gambling is legal.",
               "Gambling is everywhere now.", "Football and gambling go hand in hand."]
    money = ["Clubs need the money.", "The money keeps clubs going.",
             "Without that money sport suffers.", "Money talks in football.",
             "It's all about the money.", "Follow the money."]
    paraphrase = ["Clubs rely on the cash.", "The funding keeps clubs alive.",
                  "Sponsors pay the wages.", "Without sponsors clubs fold.",
                  "Teams depend on that income.", "It pays for grassroots sport."]
    for others, by_meaning in ((generic, False), (money, True), (paraphrase, True)):
        texts = founders + others + ["Ban them.", "Kids see too much of it."]
        passages = _passages(texts)
        section = SectionWords(passages, minilm.embed(texts), QUESTION, NOUN,
                               embed=minilm.embed)
        rows = section.rows_of("gamble money")
        assert len(section.people_of(rows)) == 2
        taken = [Candidate("gamble money", rows, section.people_of(rows), 0.3,
                           ["gamble money"])]
        [theme], _ = _named(section, taken, [rows | set(range(2, 2 + len(others)))])
        assert theme.title == "Gambling money"
        assert theme.by_meaning is by_meaning, others
