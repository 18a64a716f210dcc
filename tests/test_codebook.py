"""The section codebook: written for the analyst, read back exactly, edits checked."""

from __future__ import annotations

import pytest

from summariser.draft.codebook import Codebook, CodebookTheme, parse_codebook, render_codebook, slug
from summariser.errors import DraftError

THEMES = (
    CodebookTheme("t1", "Delayed discharge", "Answers that mention delayed discharge.",
                  phrases=("delayed discharge",), examples=("Big reduction in delayed \"bed\" days.",)),
    CodebookTheme("t2", "GP recruitment", "", phrases=("GP recruitment", "GPs"),
                  exclude=("GP practices",), by_meaning=False),
)


def test_render_then_parse_gives_the_same_codebook():
    book = Codebook("gone-well", THEMES)
    text = render_codebook(book, "2.1 What has gone well?")
    assert text.startswith("# Codebook for 2.1 What has gone well?")
    assert parse_codebook(text, "x.toml") == book


def test_control_characters_and_quotes_in_an_example_survive_the_round_trip():
    tricky = "He said \"no\"\\ then\x0bleft\ttab — and ‘curly’ é"
    book = Codebook("s", (CodebookTheme("a", "A", examples=(tricky,)),))
    assert parse_codebook(render_codebook(book, "s"), "x").themes[0].examples == (tricky,)


def test_a_theme_added_by_hand_needs_only_a_title_and_gets_an_id_from_it():
    text = 'section = "gone-well"\n[[themes]]\ntitle = "Holding your nerve"\nphrases = ["hold your nerve"]\n'
    [theme] = parse_codebook(text, "x").themes
    assert theme.id == "holding-your-nerve" and theme.by_meaning and theme.phrases == ("hold your nerve",)


@pytest.mark.parametrize("text, named", [
    ('section = "s"\n[[themes]]\ntitle = "A"\nphrase = ["x"]\n', "phrase"),
    ('section = "s"\n[[themes]]\ntitle = "A"\nphrases = "x"\n', "phrases"),
    ('section = "s"\n[[themes]]\ntitle = ""\n', "title"),
    ('section = "s"\n[[themes]]\ntitle = "A"\nby_meaning = "no"\n', "by_meaning"),
])
def test_a_mistake_in_the_codebook_is_one_line_naming_the_key(text, named):
    with pytest.raises(DraftError) as caught:
        parse_codebook(text, "drafts/s.codebook.toml")
    message = str(caught.value)
    assert "\n" not in message and named in message and "drafts/s.codebook.toml" in message


def test_two_themes_with_one_id_are_refused():
    text = 'section = "s"\n[[themes]]\ntitle = "GP recruitment"\n[[themes]]\ntitle = "GP  recruitment!"\n'
    with pytest.raises(DraftError, match="two themes have the id 'gp-recruitment'"):
        parse_codebook(text, "x")


def test_broken_toml_says_how_to_start_again():
    with pytest.raises(DraftError, match="--restart"):
        parse_codebook('section = "s"\n[[themes]\n', "x")


def test_slug():
    assert slug("Care at home / hospital to home") == "care-at-home-hospital-to-home"
