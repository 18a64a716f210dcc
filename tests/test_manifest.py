from pathlib import Path

import pytest

from summariser.errors import ManifestError
from summariser.project.manifest import load_manifest
from tests.conftest import POLIS, POLIS_DATA


def test_loads_sources_questions_and_sections(project: Path):
    manifest = load_manifest(project)
    assert manifest.invited == 6
    assert [s.id for s in manifest.sources] == ["survey", "interview"]
    assert manifest.source("survey").columns["rating_finance"] == "Q3"
    assert manifest.question("rating_finance").scale == (0.0, 10.0)
    assert manifest.question("satisfaction").options[-1] == "Very satisfied"
    assert manifest.section("2.1").id == "gone-well"
    assert manifest.store_path == project.resolve() / ".summariser"


@pytest.mark.skipif(not POLIS_DATA.exists(), reason="shared Polis corpus not present")
def test_describes_the_public_polis_corpus_in_long_layout():
    manifest = load_manifest(POLIS)
    source = manifest.source("comments")
    assert source.text_column == "comment-body" and source.respondent_column == "author-id"
    assert source.keep == {"moderated": ("1",)}
    assert source.path == POLIS_DATA.resolve()


def _write(project: Path, text: str) -> None:
    (project / "summariser.toml").write_text(text, encoding="utf-8")


def test_malformed_toml_names_the_file(project: Path):
    _write(project, "[project\ntitle = 1")
    with pytest.raises(ManifestError, match="summariser.toml: not valid TOML"):
        load_manifest(project)


def test_undeclared_question_is_refused(project: Path):
    text = (project / "summariser.toml").read_text().replace('enablers = "Q2", ', 'other = "Q2", ')
    _write(project, text)
    with pytest.raises(ManifestError, match="question 'other' is not declared"):
        load_manifest(project)


def test_wide_and_long_layout_together_is_refused(project: Path):
    text = (project / "summariser.toml").read_text().replace(
        'respondent_column = "Ref"', 'respondent_column = "Ref"\ntext_column = "Q1"')
    _write(project, text)
    with pytest.raises(ManifestError, match="either columns"):
        load_manifest(project)


def test_missing_manifest_says_what_to_pass(tmp_path: Path):
    with pytest.raises(ManifestError, match="No summariser.toml in"):
        load_manifest(tmp_path)


def test_rating_needs_a_scale(project: Path):
    text = (project / "summariser.toml").read_text().replace("scale = [0, 10]", "")
    _write(project, text)
    with pytest.raises(ManifestError, match="needs scale"):
        load_manifest(project)


# --- types: every wrong value is one line naming the key and what it expects ------------------

def _edit(project: Path, old: str, new: str) -> None:
    text = (project / "summariser.toml").read_text()
    assert old in text, old
    _write(project, text.replace(old, new, 1))


def _problems(project: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_manifest(project)
    return str(caught.value).splitlines()


def test_bundled_manifests_load():
    from tests.conftest import EXAMPLE

    example = load_manifest(EXAMPLE)
    assert len(example.questions) == 24 and len(example.sections) == 15
    assert example.source("interview-01").interviewer == ("Interviewer",)
    assert example.question("satisfaction").options[0] == "Very dissatisfied"
    assert load_manifest(POLIS).allow_outside is True


def test_wrong_scale_names_question_key_and_value(project: Path):
    _edit(project, "scale = [0, 10]", 'scale = ["a", 10]')
    [line] = _problems(project)
    assert line == (f"{project / 'summariser.toml'} [[questions]] #3 (rating_finance): "
                    'scale must be [low, high] numbers, got ["a", 10]')


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('columns = { gone_well = "Q1", enablers = "Q2", rating_finance = "Q3", satisfaction = "Q4" }',
     'columns = ["Q1", "Q2"]', '[[sources]] #1 (survey): columns must be '),
    ('respondent_column = "Ref"', 'respondent_column = "Ref"\nkeep = 5',
     "[[sources]] #1 (survey): keep must be "),
    ('options = ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied",\n'
     '           "Satisfied", "Very satisfied"]', 'options = "Very dissatisfied, Satisfied"',
     '[[questions]] #4 (satisfaction): options must be a list'),
    ('respondent = "I01"', 'respondent = "I01"\ninterviewer = "Interviewer"',
     '[[sources]] #2 (interview): interviewer must be a list of speaker labels in brackets, '
     'e.g. ["Interviewer"], got "Interviewer"'),
    ("invited = 6", 'invited = "6"', '[project]: invited must be a positive whole number, '
     'got "6"'),
    ("invited = 6", "invited = 0", "[project]: invited must be a positive whole number, got 0"),
    ('kind = "rating"', 'kind = "ratings"', "(rating_finance): kind must be one of "),
    ('number = "2.1"', "number = 2.1", '(gone-well): number must be text in quotes'),
    ('path = "responses.csv"', 'path = "responses.csv"\nencoding = "utf-9"',
     '(survey): encoding must be a text encoding Python knows'),
])
def test_wrong_types_are_one_line_naming_the_key(project: Path, old: str, new: str,
                                                 expected: str):
    _edit(project, old, new)
    [line] = _problems(project)
    assert expected in line


def test_unknown_keys_are_refused_by_name(project: Path):
    _edit(project, "columns = {", "colums = {")
    _edit(project, 'title = "Test survey"', 'title = "Test survey"\ncolour = "blue"')
    lines = _problems(project)
    assert any("[[sources]] #1 (survey): unknown key 'colums' (did you mean 'columns'?)" in line
               for line in lines), lines
    assert any("[project]: unknown key 'colour'" in line for line in lines), lines


def test_unknown_table_is_refused(project: Path):
    _edit(project, "[[questions]]", "[[question]]\nid = \"x\"\n\n[[questions]]")
    assert any("unknown table [question] (did you mean [questions]?)" in line
               for line in _problems(project))


def test_every_problem_in_the_file_is_reported_at_once(project: Path):
    _edit(project, "scale = [0, 10]", 'scale = ["a", 10]')
    _edit(project, "invited = 6", 'invited = "six"')
    _edit(project, 'respondent = "I01"', 'respondent = "I01"\ninterviewer = "Interviewer"')
    _edit(project, 'questions = ["gone_well"]', 'questions = ["gone_wel"]')
    lines = _problems(project)
    assert len(lines) == 4, lines
    assert [line.split(": ", 1)[0].rsplit(" ", 1)[-1] for line in lines] == [
        "[project]", "(interview)", "(rating_finance)", "(gone-well)"]


def test_at_most_twenty_problems_are_listed(project: Path):
    extra = "".join(f'\n[[questions]]\nid = "q{i}"\nkind = "rating"\n' for i in range(30))
    _write(project, (project / "summariser.toml").read_text() + extra)
    lines = _problems(project)
    assert len(lines) == 21 and lines[-1] == "... and 10 more problems"
    assert all("needs scale" in line for line in lines[:20])


def test_scale_and_options_on_the_wrong_kind_are_refused(project: Path):
    _edit(project, 'text = "What has gone well?"', 'text = "What has gone well?"\nscale = [1, 5]')
    [line] = _problems(project)
    assert '(gone_well): scale is only for kind = "rating"' in line


@pytest.mark.parametrize("args", [("ingest",), ("stats",)])
@pytest.mark.parametrize(("old", "new", "key"), [
    ("scale = [0, 10]", 'scale = ["a", 10]', "scale"),
    ('columns = { gone_well = "Q1", enablers = "Q2", rating_finance = "Q3", satisfaction = "Q4" }',
     'columns = ["Q1", "Q2"]', "columns"),
    ('respondent_column = "Ref"', 'respondent_column = "Ref"\nkeep = 5', "keep"),
])
def test_cli_reports_a_wrong_type_in_one_line(project: Path, args: tuple[str, ...], old: str,
                                              new: str, key: str):
    from typer.testing import CliRunner

    from summariser.cli import app

    _edit(project, old, new)
    result = CliRunner().invoke(app, [*args, "-p", str(project)], catch_exceptions=False)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and f": {key} must be " in line


# --- where sources and the store may be ------------------------------------------------------

def _outside_file(project: Path) -> Path:
    outside = project.parent / "elsewhere" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text("Interviewer: hello\nChief Officer: private words\n")
    return outside


@pytest.mark.parametrize("written", ["absolute", "../elsewhere/secret.txt",
                                     "../../../../../../../../etc/passwd"])
def test_sources_outside_the_project_are_refused(project: Path, written: str):
    outside = _outside_file(project)
    written = str(outside) if written == "absolute" else written
    _edit(project, 'path = "interview.txt"', f'path = "{written}"')
    [line] = _problems(project)
    assert f'[[sources]] #2 (interview): path "{written}" leads outside the project' in line
    assert "allow_outside = true in [project]" in line


def test_a_symlink_leaving_the_project_is_refused(project: Path):
    outside = _outside_file(project)
    (project / "link.txt").symlink_to(outside)
    (project / "sub").mkdir()
    (project / "sub" / "up").symlink_to(outside.parent, target_is_directory=True)
    _edit(project, 'path = "interview.txt"', 'path = "link.txt"')
    [line] = _problems(project)
    assert 'path "link.txt" leads outside the project' in line
    _edit(project, 'path = "link.txt"', 'path = "sub/up/secret.txt"')
    [line] = _problems(project)
    assert 'path "sub/up/secret.txt" leads outside the project' in line


def test_a_symlink_inside_the_project_is_read(project: Path):
    from summariser.project.sources import read_corpus

    (project / "transcripts").mkdir()
    (project / "transcripts" / "one.txt").symlink_to(project / "interview.txt")
    _edit(project, 'path = "interview.txt"', 'path = "transcripts/one.txt"')
    manifest = load_manifest(project)
    assert manifest.source("interview").path == (project / "interview.txt").resolve()
    assert any(r.source == "interview" for r in read_corpus(manifest).responses)


def test_allow_outside_opts_in(project: Path):
    from summariser.project.sources import read_corpus

    outside = _outside_file(project)
    _edit(project, 'path = "interview.txt"', f'path = "{outside}"')
    _edit(project, "invited = 6", "invited = 6\nallow_outside = true")
    manifest = load_manifest(project)
    assert manifest.source("interview").path == outside.resolve()
    assert any(r.text == "private words" for r in read_corpus(manifest).responses)


@pytest.mark.parametrize("store", ["../store", "/tmp/summariser-store", "link"])
def test_store_outside_the_project_is_refused(project: Path, tmp_path: Path, store: str):
    (project / "link").symlink_to(tmp_path, target_is_directory=True)
    _edit(project, "invited = 6", f'invited = 6\nstore = "{store}"')
    [line] = _problems(project)
    assert f'[project]: store "{store}" leads outside the project' in line
    assert "allow_outside = true" in line
    _edit(project, "invited = 6", "invited = 6\nallow_outside = true")
    assert load_manifest(project).store_path == (project / store).resolve()


def test_default_store_linked_outside_is_refused(project: Path, tmp_path: Path):
    (project / ".summariser").symlink_to(tmp_path, target_is_directory=True)
    [line] = _problems(project)
    assert '[project]: store ".summariser" leads outside the project' in line
