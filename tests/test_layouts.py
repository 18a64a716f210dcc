"""Real survey layouts: a long table with a question column and coded answers, counted per
person; a transcript table read with the text transcripts' speaker-turn rules."""

from __future__ import annotations

import csv
import io
import random
import re
from collections import defaultdict
from pathlib import Path

import pytest

from summariser.errors import InputError, ManifestError
from summariser.project.manifest import load_manifest
from summariser.project.respondents import survey_respondents
from summariser.project.sources import read_corpus, split_turns
from summariser.report.disclosure import breakdowns
from summariser.report.stats import compute_stats

OVERALL = "Overall, how would you rate the care you received?"
VISITS = "How often do you visit the clinic?\n(choose all that apply)"
IMPROVE = "What one thing would improve the service?"
CONSENT = "Consent to be contacted"
CODES = {"1": "Very poor", "2": "Poor", "3": "Fair", "4": "Good", "5": "Very good"}
VISIT_CODES = {"1": "Daily", "2": "Weekly", "3": "Monthly", "4": "Rarely"}
IMPROVEMENTS = ["shorter waits for a GP appointment", "more evening clinics",
                "better parking at the hospital", "staff were kind but rushed off their feet",
                "a phone line that someone answers", "n/a", ""]

LONG_MANIFEST = f"""
[project]
title = "Patient experience, long export"
respondent_noun = ["patient", "patients"]

[[sources]]
id = "export"
path = "export.csv"
respondent_column = "Patient ID"
response_id_column = "Response ID"
question_column = "Question"
text_column = "Answer"
questions = {{ overall = "{OVERALL}", visits = "How often do you visit the clinic? (choose all that apply)", improve = "{IMPROVE}" }}
attributes = {{ site = "Site" }}

[[questions]]
id = "overall"
text = "{OVERALL}"
label = "Overall care"
kind = "rating"
scale = [1, 5]
labels = {{ 1 = "Very poor", 2 = "Poor", 3 = "Fair", 4 = "Good", 5 = "Very good" }}
non_answers = {{ 6 = "Don't know", 7 = "Not applicable" }}
best = "high"
top_two = true

[[questions]]
id = "visits"
text = "How often do you visit the clinic?"
kind = "choice"
options = ["Daily", "Weekly", "Monthly", "Rarely"]
labels = {{ 1 = "Daily", 2 = "Weekly", 3 = "Monthly", 4 = "Rarely" }}
non_answers = {{ 9 = "Prefer not to say" }}

[[questions]]
id = "improve"
text = "{IMPROVE}"
"""


def _long_export(seed: int = 13) -> list[dict[str, str]]:
    """About 4,000 rows like a survey platform's long export: one row per patient per question,
    some patients on two rows for a question, both spellings of a question text, coded answers,
    non-answer codes, blanks and a question the manifest does not ask about."""
    rng = random.Random(seed)
    patients = [str(100000 + 7 * n) for n in range(1150)]
    patients += ["A&E 0042", "Ward 3 & 4 - 117", "Day Unit 12 & Co"]
    rows: list[dict[str, str]] = []

    def add(patient: str, question: str, answer: str) -> None:
        rows.append({"Response ID": str(900000 + len(rows)), "Patient ID": patient,
                     "Site": "North" if patient < "100400" else "South", "Question": question,
                     "Answer": answer})

    for patient in patients:
        if rng.random() < 0.93:
            add(patient, OVERALL, rng.choice("1234455556677") if rng.random() > 0.03 else "")
            if rng.random() < 0.1:  # exported twice, or changed their answer
                add(patient, OVERALL, rng.choice("345"))
        if rng.random() < 0.85:
            spelling = VISITS if rng.random() < 0.5 else " ".join(VISITS.split())
            add(patient, spelling, rng.choice("12349"))
            if rng.random() < 0.15:  # a second option ticked
                add(patient, spelling, rng.choice("1234"))
        if rng.random() < 0.6:
            add(patient, IMPROVE, rng.choice(IMPROVEMENTS))
        add(patient, CONSENT, rng.choice(["Yes", "No"]))
    rng.shuffle(rows)
    return rows


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def long_project(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    root = tmp_path / "long"
    root.mkdir()
    (root / "summariser.toml").write_text(LONG_MANIFEST, encoding="utf-8")
    rows = _long_export()
    _write_csv(root / "export.csv", rows)
    return root, rows


def _by_question(rows: list[dict[str, str]], text: str) -> dict[str, list[str]]:
    """Each patient's answers to a question, straight from the rows (whitespace-normalised)."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if " ".join(row["Question"].split()) == " ".join(text.split()):
            found[row["Patient ID"]].append(row["Answer"])
    return found


def test_a_long_table_with_coded_ratings_counts_people_not_rows(long_project):
    root, rows = long_project
    manifest = load_manifest(root)
    corpus = read_corpus(manifest)
    stats = compute_stats(manifest, corpus)
    overall = stats.rating("overall")

    answers = _by_question(rows, OVERALL)
    on_scale = {p: [int(a) for a in given if a in CODES] for p, given in answers.items()}
    answered = {p for p, codes in on_scale.items() if codes}
    assert len(answers) < sum(len(a) for a in answers.values())  # some patients have two rows
    assert overall.n == len(answered)
    means = [sum(c) / len(c) for c in on_scale.values() if c]
    assert overall.mean == pytest.approx(sum(means) / len(means))
    assert overall.multiple == sum(len(c) > 1 for c in on_scale.values())
    not_answered = {p: given for p, given in answers.items() if p not in answered}
    dont_know = sum("6" in given for given in not_answered.values())
    not_applicable = sum("7" in given and "6" not in given for given in not_answered.values())
    assert dict(overall.non_answers) == {"Don't know": dont_know,
                                         "Not applicable": not_applicable}
    assert overall.blank == sum(all(a == "" for a in g) for g in not_answered.values())
    assert overall.top_two.options == ("Good", "Very good")
    assert overall.top_two.count == sum(sum(c) / len(c) >= 4 for c in on_scale.values() if c)
    assert overall.top_two.answered == overall.n

    visits = stats.choice("visits")
    chosen = {p: {VISIT_CODES[a] for a in given if a in VISIT_CODES}
              for p, given in _by_question(rows, VISITS).items()}
    people = {p for p, options in chosen.items() if options}
    assert visits.answered == len(people)
    assert [o.count for o in visits.options] == [
        sum(option in options for options in chosen.values()) for option in VISIT_CODES.values()]
    assert sum(o.count for o in visits.options) > visits.answered  # several options per person
    assert visits.multiple == sum(len(options) > 1 for options in chosen.values())
    assert visits.top_two is None  # not asked for
    assert dict(visits.non_answers)["Prefer not to say"] > 0

    # A respondent is anyone with a row for a closed question or a text answer that is not
    # blank (a row whose only answer is a blank text leaves no record).
    everyone = {row["Patient ID"] for row in rows if row["Question"] in (OVERALL, VISITS)
                or " ".join(row["Question"].split()) == " ".join(VISITS.split())
                or (row["Question"] == IMPROVE and row["Answer"] not in ("", "n/a"))}
    assert len(survey_respondents(manifest, corpus.responses, corpus.ratings)) == len(everyone)
    assert stats.response_rate.respondents == len(everyone)
    improve = [a for a in stats.response_rate.answered if a.question == "improve"][0]
    texts = _by_question(rows, IMPROVE)
    assert improve.answered == sum(any(t not in ("", "n/a") for t in given)
                                   for given in texts.values())
    consent = [s for s in corpus.skipped if s.reason.startswith("question not in")]
    assert len(consent) == sum(row["Question"] == CONSENT for row in rows)
    assert {"A&E 0042", "Ward 3 & 4 - 117"} <= {r.respondent for r in corpus.ratings}


def test_breakdowns_count_each_person_once(long_project):
    root, rows = long_project
    manifest = load_manifest(root)
    [split] = [b for b in breakdowns(manifest, read_corpus(manifest)) if b.question == "overall"]
    on_scale = defaultdict(list)
    for row in rows:
        if row["Question"] == OVERALL and row["Answer"] in CODES:
            on_scale[row["Patient ID"]].append(int(row["Answer"]))
    north = [p for p in on_scale if p < "100400"]
    assert {c.group: c.n for c in split.cells} == {"North": len(north),
                                                   "South": len(on_scale) - len(north)}


def test_the_question_column_is_matched_after_whitespace_normalisation(long_project):
    root, rows = long_project
    spellings = {row["Question"] for row in rows if "visit" in row["Question"]}
    assert len(spellings) == 2  # with and without the embedded line break
    corpus = read_corpus(load_manifest(root))
    assert sum(r.question == "visits" for r in corpus.ratings) == sum(
        row["Question"] in spellings for row in rows)


def test_long_table_problems_are_reported_with_file_lines(long_project):
    root, rows = long_project
    rows[0] = {**rows[0], "Question": OVERALL, "Answer": "8"}
    rows[5] = {**rows[5], "Question": VISITS, "Answer": "Hourly"}
    _write_csv(root / "export.csv", rows)
    with pytest.raises(InputError) as caught:
        read_corpus(load_manifest(root))
    problems = str(caught.value).splitlines()
    assert problems[0].startswith("export.csv line 2, question overall: '8' is not a number "
                                  "from 1 to 5 or a code in labels or non_answers (1 = Very poor")
    # Row 6 starts on a later line when an earlier answer holds a line break.
    text = (root / "export.csv").read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, line = [], 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    assert problems[1].startswith(f"export.csv line {starts[6]}, question visits: 'Hourly' is "
                                  "not one of the options")


def test_one_question_text_cannot_name_two_questions(long_project):
    root, _ = long_project
    toml = root / "summariser.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        f'improve = "{IMPROVE}"', f'improve = ["{IMPROVE}", "{OVERALL}"]'), encoding="utf-8")
    with pytest.raises(ManifestError, match=re.escape(
            f"questions: '{OVERALL}' is given for both overall and improve")):
        load_manifest(root)


@pytest.mark.parametrize(("change", "message"), [
    ('labels = { 0 = "Awful" }', "labels: '0' is not a number on the scale 1 to 5"),
    ('non_answers = { 3 = "Unsure" }', "non_answers: '3' is on the scale 1 to 5"),
    ('best = "first"', 'best must be "high" or "low" for a rating'),
])
def test_codes_that_contradict_the_scale_are_manifest_problems(long_project, change, message):
    root, _ = long_project
    toml = root / "summariser.toml"
    text = toml.read_text(encoding="utf-8").replace('best = "high"\n', "")
    text = text.replace('labels = { 1 = "Very poor", 2 = "Poor", 3 = "Fair", 4 = "Good", 5 = '
                        '"Very good" }\nnon_answers = { 6 = "Don\'t know", 7 = "Not applicable" }',
                        change)
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_manifest(root)


# --- transcript tables ---------------------------------------------------------------------

SEGMENTS = [  # (interviewee, order, start, speaker, text): shuffled below, as exports are
    ("P07", 1, "00:00:01", "Interviewer", "Thanks for joining. What has been hardest?"),
    ("P07", 2, "00:00:09", "Participant", "Recruiting GPs, without a doubt."),
    ("P07", 3, "00:00:15", "Participant", "We advertised three times\nand had no applicants."),
    ("P07", 4, "00:00:31", "Interviewer", "And the budget?"),
    ("P07", 5, "00:00:35", "Note", "participant laughs"),
    ("P07", 6, "00:00:40", "Participant", "It's tight [sic], but [bold]we cope[/bold]."),
    ("Smith & Co 2", 1, "0:01", "Interviewer", "What helped this year?"),
    ("Smith & Co 2", 2, "0:07", "Participant", "Our LIST analyst."),
]
TABLE_MANIFEST = """
[project]
title = "Interviews from a table"

[[sources]]
id = "segments"
path = "segments.csv"
format = "transcript"
respondent_column = "Interviewee"
speaker_column = "Speaker"
text_column = "Segment"
order_column = "Segment No"
start_column = "Start"
question = "interview"

[[questions]]
id = "interview"
text = "Interview"
"""


@pytest.fixture
def table_project(tmp_path: Path) -> Path:
    root = tmp_path / "interviews"
    root.mkdir()
    (root / "summariser.toml").write_text(TABLE_MANIFEST, encoding="utf-8")
    rows = [{"Interviewee": who, "Segment No": str(order), "Start": start, "Speaker": speaker,
             "Segment": text} for who, order, start, speaker, text in SEGMENTS]
    random.Random(2).shuffle(rows)
    _write_csv(root / "segments.csv", rows)
    return root


def test_a_transcript_table_is_read_as_turns_with_the_text_rules(table_project: Path):
    corpus = read_corpus(load_manifest(table_project))
    p07 = [r for r in corpus.responses if r.respondent.startswith("P07")]
    # The same interview as a text transcript, read by split_turns: a speaker's consecutive
    # segments are one turn, written under one label.
    said = [(s, t) for who, _, _, s, t in SEGMENTS if who == "P07"]
    text = "\n".join(t if n and said[n - 1][0] == s else f"{s}: {t}"
                     for n, (s, t) in enumerate(said))
    from_text = [(speaker, body) for speaker, _, _, body in split_turns(text)]
    assert [(r.speaker, r.text) for r in p07] == from_text == [
        ("Interviewer", "Thanks for joining. What has been hardest?"),
        ("Participant", "Recruiting GPs, without a doubt.\nWe advertised three times\nand had "
                        "no applicants."),
        ("Interviewer", "And the budget?\nNote: participant laughs"),  # heard once: kept
        ("Participant", "It's tight [sic], but [bold]we cope[/bold]."),
    ]
    assert [r.is_participant for r in p07] == [False, True, False, True]
    assert {r.respondent for r in p07} == {"P07", "P07-interviewer"}
    rows = (table_project / "segments.csv").read_text(encoding="utf-8")
    first = rows.split("\n").index(next(line for line in rows.split("\n")
                                        if "Recruiting GPs" in line)) + 1
    assert p07[1].row == first  # the file line of the turn's first segment
    smith = [r for r in corpus.responses if r.respondent == "Smith & Co 2"]
    assert [r.text for r in smith] == ["Our LIST analyst."]


def test_interviewees_of_a_table_are_not_survey_respondents(table_project: Path):
    manifest = load_manifest(table_project)
    corpus = read_corpus(manifest)
    assert survey_respondents(manifest, corpus.responses, corpus.ratings) == set()
    assert manifest.source("segments").kind == "interview"


def test_transcript_table_problems_name_their_lines(table_project: Path):
    path = table_project / "segments.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    bad = next(n for n, line in enumerate(lines) if "And the budget?" in line)
    lines[bad] = lines[bad].replace("00:00:31", "half past")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=rf"segments.csv line {bad + 1}: 'half past' in "
                                         r"'Start' is not a time"):
        read_corpus(load_manifest(table_project))


def test_a_transcript_table_needs_its_columns_named(table_project: Path):
    toml = table_project / "summariser.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('text_column = "Segment"\n', ""))
    with pytest.raises(ManifestError, match="missing 'text_column'"):
        load_manifest(table_project)


def _docs_example(heading: str) -> tuple[str, str]:
    """The export and the manifest shown under a heading of docs/manifest.md."""
    from tests.conftest import REPO

    docs = (REPO / "docs" / "manifest.md").read_text(encoding="utf-8")
    section = docs[docs.index(f"## {heading}\n"):]
    section = section[:section.index("\n## ", 1)]
    export, manifest = (block.split("\n", 1)[1] for block in section.split("```")[1:4:2])
    return export, manifest


def test_the_docs_long_table_example_is_complete_and_counts_people(tmp_path: Path):
    export, manifest = _docs_example("A long table with a question column and coded ratings")
    (tmp_path / "export.csv").write_text(export, encoding="utf-8")
    (tmp_path / "summariser.toml").write_text(manifest, encoding="utf-8")
    loaded = load_manifest(tmp_path)
    corpus = read_corpus(loaded)
    stats = compute_stats(loaded, corpus)
    overall, visits = stats.rating("overall"), stats.choice("visits")
    assert (overall.n, overall.mean, dict(overall.non_answers)) == (1, 4.0, {"Don't know": 1})
    assert overall.top_two.sentence() == "Good or Very good: 1 of 1 (100.0%)"
    assert [(o.option, o.count) for o in visits.options if o.count] == [("Weekly", 1),
                                                                       ("Monthly", 1)]
    assert (visits.answered, visits.multiple) == (1, 1)
    assert dict(visits.non_answers) == {"Prefer not to say": 1}
    assert stats.response_rate.respondents == 3
    assert [s.reason for s in corpus.skipped] == ["question not in questions = {...}"]


def test_the_docs_transcript_table_example_is_complete(tmp_path: Path):
    export, manifest = _docs_example("A transcript table")
    (tmp_path / "segments.csv").write_text(export, encoding="utf-8")
    (tmp_path / "summariser.toml").write_text(manifest, encoding="utf-8")
    corpus = read_corpus(load_manifest(tmp_path))
    p07 = [r for r in corpus.responses if r.respondent.startswith("P07")]
    assert [r.is_participant for r in p07] == [False, True, False, True]
    assert p07[1].text == ("Recruiting GPs, without a doubt.\nWe advertised three times\nand had "
                           "no applicants.")
    assert {r.respondent for r in corpus.responses if r.is_participant} == {"P07",
                                                                           "Smith & Co 2"}


def test_stats_prints_non_answers_apart_and_top_two_only_where_asked(long_project):
    import json

    from typer.testing import CliRunner

    from summariser.cli import app

    root, _ = long_project
    runner = CliRunner()
    printed = runner.invoke(app, ["stats", "-p", str(root)], env={"COLUMNS": "200"})
    assert printed.exit_code == 0, printed.output
    assert "Don't know" in printed.output and "Good or Very good" in printed.output
    assert "Monthly or Rarely" not in printed.output
    data = json.loads(runner.invoke(app, ["stats", "-p", str(root), "--json"]).stdout)
    [overall] = [r for r in data["ratings"] if r["question"] == "overall"]
    assert overall["n"] == len(overall["values"]) and overall["non_answers"]["Don't know"] > 0


# --- end to end: a long export, a transcript table and notes in one project -----------------

MIXED_MANIFEST = """
[project]
title = "Mixed layouts"
respondent_noun = ["patient", "patients"]

[[sources]]
id = "export"
path = "export.csv"
respondent_column = "Patient ID"
question_column = "Question"
text_column = "Answer"
questions = { overall = "Overall, how would you rate the care you received?", improve = "What one thing would improve the service?" }

[[sources]]
id = "segments"
path = "segments.csv"
format = "transcript"
respondent_column = "Interviewee"
speaker_column = "Speaker"
text_column = "Segment"
order_column = "Segment No"
question = "interview"

[[sources]]
id = "notes"
path = "notes.md"
format = "text"
respondent = "BOARD"
question = "notes"

[[questions]]
id = "overall"
kind = "rating"
scale = [1, 5]
non_answers = { 6 = "Don't know" }

[[questions]]
id = "improve"
text = "What one thing would improve the service?"

[[questions]]
id = "interview"

[[questions]]
id = "notes"

[[sections]]
id = "improve"
number = "1"
title = "What would improve the service"
questions = ["improve"]
sources = ["segments", "notes"]
description = "waiting times for appointments, evening clinics, parking"
"""


@pytest.fixture(scope="module")
def mixed_project(tmp_path_factory) -> tuple[Path, list[dict[str, str]]]:
    from typer.testing import CliRunner

    from summariser.cli import app

    root = tmp_path_factory.mktemp("mixed")
    (root / "summariser.toml").write_text(MIXED_MANIFEST, encoding="utf-8")
    rng = random.Random(5)
    rows = []
    for n in range(60):
        patient = f"{200100 + n}" if n % 10 else f"Ward {n} & Day Unit"
        rows.append({"Patient ID": patient, "Question": OVERALL, "Answer": rng.choice("123456")})
        for _ in range(1 + (n % 4 == 0)):  # some patients answer twice
            rows.append({"Patient ID": patient, "Question": IMPROVE,
                         "Answer": rng.choice(IMPROVEMENTS)})
    rng.shuffle(rows)
    _write_csv(root / "export.csv", rows)
    _write_csv(root / "segments.csv", [
        {"Interviewee": who, "Segment No": str(order), "Speaker": speaker, "Segment": text}
        for who, order, _, speaker, text in SEGMENTS])
    (root / "notes.md").write_text("# Board notes\n\nThe board discussed waiting times for GP "
                                   "appointments and evening clinics.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root, rows


def test_ask_counts_each_kind_of_a_mixed_project(mixed_project):
    import json

    from typer.testing import CliRunner

    from summariser.cli import app

    root, rows = mixed_project
    result = CliRunner().invoke(app, ["ask", "waiting times for a GP appointment", "-p",
                                      str(root), "--all", "--min-similarity", "0.3", "--json"])
    counts = json.loads(result.stdout)["counts"]
    people = {row["Patient ID"] for row in rows if row["Question"] == OVERALL
              or row["Answer"] not in ("", "n/a")}
    assert counts["survey"]["of"] == len(people)
    assert counts["interview"]["of"] == 2  # P07 and Smith & Co 2, not their interviewers
    assert counts["document"] == {"found": 1, "of": 1, "ids": ["notes"]}
    waiting = {row["Patient ID"] for row in rows if "waits for a GP" in row["Answer"]}
    assert set(counts["survey"]["ids"]) >= waiting


def test_drafts_and_the_gate_count_people_in_a_long_table(mixed_project):
    import json

    from typer.testing import CliRunner

    from summariser.cli import app

    root, rows = mixed_project
    runner = CliRunner()
    drafted = runner.invoke(app, ["draft", "-p", str(root)], catch_exceptions=False)
    assert drafted.exit_code == 0, drafted.output
    draft = json.loads((root / "drafts" / "improve.json").read_text(encoding="utf-8"))
    answered = {row["Patient ID"] for row in rows
                if row["Question"] == IMPROVE and row["Answer"] not in ("", "n/a")}
    assert sum(row["Question"] == IMPROVE and row["Answer"] not in ("", "n/a")
               for row in rows) > len(answered)  # more rows than people
    assert draft["denominator"] == len(answered)
    assert draft["themes"]
    for theme in draft["themes"]:
        assert len(theme["respondents"]) == len(set(theme["respondents"]))
        assert set(theme["respondents"]) <= answered | {"P07", "Smith & Co 2", "BOARD"}
    checked = runner.invoke(app, ["eval", str(root / "drafts" / "improve.json"), "--format",
                                  "json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["passed"] is True


def test_the_gate_counts_a_long_tables_respondents_once_each(long_project):
    from summariser.gate.corpus import EvalCorpus

    root, rows = long_project
    manifest = load_manifest(root)
    corpus = read_corpus(manifest)
    gate = EvalCorpus(None, manifest, corpus.responses, corpus.ratings)
    assert len(rows) > 3 * gate.survey_size
    assert gate.survey_size == compute_stats(manifest, corpus).response_rate.respondents


@pytest.mark.parametrize(("question", "cell", "value"), [
    ("overall", "1 - Very poor", 1.0),
    ("overall", "5. Very good", 5.0),
    ("overall", "(4) Good", 4.0),
    ("overall", "Fair (3)", 3.0),
    ("overall", "2 \u2013 poor", 2.0),
    ("visits", "2 - Weekly", "Weekly"),
    ("overall", "3 (Fair)", 3.0),
    ("overall", "Very good [5]", 5.0),
])
def test_a_cell_with_a_code_and_its_label_is_that_answer(long_project, question, cell, value):
    """Exports often write a coded answer as its code and label together ("1 - Very
    dissatisfied"); a survey of 240 such cells was refused cell by cell though the manifest
    labelled every code."""
    from summariser.project.closed import closed_answer

    root, _ = long_project
    asked = next(q for q in load_manifest(root).questions if q.id == question)
    rating, problem = closed_answer(asked, "P1", cell)
    assert problem is None and rating is not None and rating.value == value


@pytest.mark.parametrize("cell", ["2 - Very poor", "6 - Very poor", "5 stars", "9 - Weekly",
                                  "(1 Very poor", "Very poor [1)"])
def test_a_code_and_a_label_that_disagree_are_refused(long_project, cell):
    from summariser.project.closed import closed_answer

    root, _ = long_project
    for question in load_manifest(root).questions[:2]:
        rating, problem = closed_answer(question, "P1", cell)
        assert rating is None and problem is not None and f"'{cell}'" in problem
    dont_know = next(q for q in load_manifest(root).questions if q.id == "overall")
    rating, problem = closed_answer(dont_know, "P1", "6 - Don't know")
    assert problem is None and rating.value is None and rating.non_answer == "Don't know"


def test_a_ratings_top_two_is_reported_and_checked(long_project):
    """`top_two = true` on a rating was shown by `stats` and nowhere in the report. The report
    now states it under the ratings table and in the executive summary, and the gate counts it
    as `stats` does: the people whose rating is one of the scale's two best points."""
    from summariser.gate.parse import parse_text
    from summariser.gate.run import Outcome, evaluate, known_ids
    from summariser.report.assemble import _top_two_summary
    from summariser.verify import CorpusIndex

    root, _ = long_project
    manifest = load_manifest(root)
    corpus = read_corpus(manifest)
    [overall] = [r for r in compute_stats(manifest, corpus).ratings if r.question == "overall"]
    assert overall.top_two is not None and overall.top_two.label == "Good or Very good"
    [line] = _top_two_summary(compute_stats(manifest, corpus))
    assert line == f"Overall care, {overall.top_two.sentence()}."
    index = CorpusIndex.build(corpus.responses)
    wrong = line.replace(f"{overall.top_two.count} of", f"{overall.top_two.count + 1} of")
    for text, outcome in ((line, Outcome.PASS), (wrong, Outcome.FAIL)):
        draft = parse_text(text + "\n", manifest, ids=known_ids(corpus.responses))
        report = evaluate([draft], index, manifest, corpus.responses, corpus.ratings)
        [count] = [n for n in report.numbers if n.kind == "count"]
        assert count.outcome is outcome, count.reason


def test_the_ratings_table_says_what_the_ends_of_its_scale_mean(long_project):
    """A staff survey's agree-scale items were reported as means and ranges only: a reader
    could not tell that 1 was "Strongly disagree"."""
    from dataclasses import replace

    from summariser.report.assemble import _scale_ends

    root, _ = long_project
    manifest = load_manifest(root)
    ratings = compute_stats(manifest, read_corpus(manifest)).ratings
    assert _scale_ends(ratings) == "Rated from 1, Very poor, to 5, Very good."
    other = replace(ratings[0], question="other", scale=(0.0, 10.0), labels={})
    assert _scale_ends([*ratings, other]) == ""  # scales that differ: none is said
