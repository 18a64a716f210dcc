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


# --- what a theme needs: a title of its own and something to code by ---------------------------

@pytest.mark.parametrize("title", ["   ", "\t", "\u3000"])
def test_a_blank_title_is_one_line(title):
    text = f'section = "s"\n[[themes]]\ntitle = "{title}"\nphrases = ["x"]\n'
    with pytest.raises(DraftError, match="theme 1 has a blank title") as caught:
        parse_codebook(text, "drafts/s.codebook.toml")
    assert "\n" not in str(caught.value) and "drafts/s.codebook.toml" in str(caught.value)


def test_two_themes_with_one_title_are_refused_whatever_their_case_or_spacing():
    text = ('section = "s"\n[[themes]]\nid = "a"\ntitle = "Parking"\nphrases = ["parking"]\n'
            '[[themes]]\nid = "b"\ntitle = " parking  "\nphrases = ["car park"]\n')
    with pytest.raises(DraftError, match="two themes are titled 'parking'") as caught:
        parse_codebook(text, "x")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("body", [
    "",  # a title alone
    'description = "  "\nexamples = [" "]\nphrases = [" "]\n',  # blanks are nothing
    'description = "Costs of parking."\nby_meaning = false\n',  # meaning, but not coded by it
    'examples = ["Parking is dear."]\nby_meaning = false\n',
])
def test_a_theme_with_nothing_to_code_by_is_one_line(body):
    text = f'section = "s"\n[[themes]]\ntitle = "Parking"\n{body}'
    with pytest.raises(DraftError, match="theme 'Parking' has nothing to code by") as caught:
        parse_codebook(text, "x")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("body", [
    'phrases = ["parking"]\n',
    'phrases = ["parking"]\nby_meaning = false\n',
    'examples = ["Parking near the clinic is impossible."]\n',
    'description = "Finding and paying for parking."\n',  # as a model's draft writes a theme
])
def test_a_theme_with_a_phrase_an_example_or_a_description_is_read(body):
    [theme] = parse_codebook(f'section = "s"\n[[themes]]\ntitle = "Parking"\n{body}', "x").themes
    assert theme.title == "Parking"


def test_the_codebook_says_what_a_theme_needs():
    header = render_codebook(Codebook("s", THEMES), "s")
    assert "something to code by" in header and "needs a title of its own" in header


@pytest.mark.parametrize("themes, expected", [
    ('[[sections.themes]]\ntitle = "Parking"\n', "theme 'Parking' has nothing to code by"),
    ('[[sections.themes]]\ntitle = "Parking"\nphrases = ["parking"]\n'
     '[[sections.themes]]\ntitle = "PARKING"\nphrases = ["cars"]\n',
     "two themes are titled 'PARKING'"),
])
def test_the_manifest_gives_themes_by_the_same_rules(project, themes, expected):
    from summariser.errors import ManifestError
    from summariser.project.manifest import load_manifest

    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text() + "\n" + themes)
    with pytest.raises(ManifestError, match=expected) as caught:
        load_manifest(project)
    assert len(str(caught.value).splitlines()) == 1


def test_draft_refuses_an_edited_codebook_with_two_themes_of_one_title(project):
    from chromadb.api.client import SharedSystemClient
    from typer.testing import CliRunner

    from summariser.cli import app

    def invoke(*args):
        SharedSystemClient.clear_system_cache()
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    assert invoke("ingest", "-p", str(project)).exit_code == 0
    assert invoke("draft", "-p", str(project)).exit_code == 0
    codebook = project / "drafts" / "gone-well.codebook.toml"
    codebook.write_text(codebook.read_text() + '\n[[themes]]\nid = "a"\ntitle = "Joint working"'
                        '\nphrases = ["joint working"]\n[[themes]]\nid = "b"\ntitle = "joint '
                        'Working"\nphrases = ["working together"]\n')
    before = {p.name: p.read_bytes() for p in (project / "drafts").iterdir() if p.is_file()}
    result = invoke("draft", "-p", str(project))
    assert result.exit_code == 1 and "two themes are titled" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in (project / "drafts").iterdir() if p.is_file()} == before
