"""Breakdowns by respondent attribute never show a group smaller than min_cell."""

from pathlib import Path

from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.report.disclosure import breakdowns
from tests.conftest import EXAMPLE, copy_project, without_size


def _finance(manifest):
    [finance] = [b for b in breakdowns(manifest, read_corpus(manifest))
                 if b.question == "rating_finance"]
    return {c.group: c for c in finance.cells}, finance


def test_small_groups_and_the_cell_that_would_reveal_them_are_suppressed():
    cells, finance = _finance(load_manifest(EXAMPLE))
    assert cells["Small"].n == 4 and cells["Small"].suppressed
    # With the overall mean published, Large (the smallest visible group) would give Small away.
    assert cells["Large"].suppressed and cells["Large"].value == "suppressed"
    assert not cells["Medium"].suppressed and cells["Medium"].value == "8.7"
    assert "Small" in finance.note and "fewer than 5" in finance.note


def test_groups_at_or_above_min_cell_are_shown(tmp_path: Path):
    root = copy_project(EXAMPLE, tmp_path / "hscp")
    toml = root / "summariser.toml"
    toml.write_text(toml.read_text().replace("min_cell = 5", "min_cell = 4"))
    cells, finance = _finance(load_manifest(root))
    assert not any(c.suppressed for c in cells.values()) and finance.note == ""
    assert cells["Small"].value == "8.5" and cells["Large"].value == "8.4"


def _without_size(root: Path, blanks: int, min_cell: int = 5):
    """The example's finance breakdown with the first `blanks` people giving no size."""
    return _finance(load_manifest(without_size(root, [f"R{n:02d}" for n in
                                                      range(1, blanks + 1)], min_cell)))


def test_who_gave_no_group_is_said_to_be_in_no_column(tmp_path: Path):
    """A broadband survey's breakdown by region showed 419 of the 500 who answered: the 81 who
    gave no region were in no column, and nothing said so. How many is said unless a group is
    suppressed: with the total who answered, it would give that group's size away."""
    cells, finance = _without_size(copy_project(EXAMPLE, tmp_path / "one"), 1)
    assert finance.ungrouped == 1 and sum(c.n for c in cells.values()) == 15
    assert any(c.suppressed for c in cells.values())
    assert "Those who answered but gave no size are in no column." in finance.note
    assert not any(ch.isdigit() for ch in finance.note.split("Those")[1])
    _, one = _without_size(copy_project(EXAMPLE, tmp_path / "shown"), 1, min_cell=1)
    assert one.note == "Financial pressures: one person who answered gave no size and is in no " \
        "column."
    _, three = _without_size(copy_project(EXAMPLE, tmp_path / "three"), 3, min_cell=1)
    assert three.note == "Financial pressures: the three who answered but gave no size are in " \
        "no column."
    _, before = _finance(load_manifest(EXAMPLE))
    assert before.ungrouped == 0 and "no column" not in before.note


def test_report_quotes_carry_no_attributes(example_project: Path):
    from typer.testing import CliRunner

    from summariser.cli import app

    result = CliRunner().invoke(app, ["report", "-p", str(example_project), "--formats", "md"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    markdown = (example_project / "out" / "report.md").read_text()
    quote_lines = [line for line in markdown.splitlines() if line.startswith("> ")]
    assert quote_lines
    assert not any(size in line.split("”")[-1] for line in quote_lines
                   for size in ("Small", "Medium", "Large"))
    assert "suppressed" in markdown and "8.7 (n=7)" in markdown
