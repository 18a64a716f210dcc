"""A theme drafting marks for review (one that counts nearly everyone) is not published until the
analyst accepts it in the codebook; the report says which theme it left out and how to accept it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.codebook import read_codebook

runner = CliRunner()

ANSWERS = [
    ("R1", "Our staff worked hard all year. Delayed discharge came down."),
    ("R2", "The staff were committed throughout."),
    ("R3", "Staff morale held up. Delayed discharge is better."),
    ("R4", "Thanks to our staff, services kept going."),
    ("R5", "Dedicated staff in every team."),
    ("R6", "Staff turnover fell. Delayed discharge improved a little."),
    ("R7", "Staff training was a priority, with new posts."),
]
MANIFEST = """
[project]
title = "Held themes"
respondent_noun = ["manager", "managers"]
invited = 7

[[sources]]
id = "survey"
path = "answers.csv"
respondent_column = "Ref"
columns = { gone_well = "Q1" }

[[questions]]
id = "gone_well"
text = "What has gone well?"

[[sections]]
id = "gone-well"
number = "1"
title = "What has gone well?"
questions = ["gone_well"]
description = "progress over the year"

[[sections.themes]]
id = "staff"
title = "Committed staff"
phrases = ["staff"]
by_meaning = false

[[sections.themes]]
id = "discharge"
title = "Delayed discharge"
phrases = ["delayed discharge"]
by_meaning = false
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "held"
    root.mkdir()
    (root / "summariser.toml").write_text(MANIFEST, encoding="utf-8")
    rows = "".join(f'{ref},"{text}"\n' for ref, text in ANSWERS)
    (root / "answers.csv").write_text("Ref,Q1\n" + rows, encoding="utf-8")
    return root


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, " ".join(result.output.replace("│", " ").split())


def test_a_theme_counting_nearly_everyone_is_published_only_once_accepted(project: Path):
    code, said = _invoke("run", "-p", str(project), "--formats", "md")
    assert code == 0, said
    report = (project / "out" / "report.md").read_text(encoding="utf-8")
    assert "Committed staff" not in report and "### Delayed discharge" in report
    # Four of seven are counted only by the held theme or by no theme at all: the lead says so.
    assert ("One theme was identified. Four of 7 managers (57%) said something this theme does "
            "not cover.") in report
    assert "'Committed staff' (1 What has gone well?) counts 7 of 7" in said
    assert "accepted = true" in said and "summariser review" in said
    sidecar = json.loads((project / "drafts" / "gone-well.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in sidecar["held"]] == ["staff"] and sidecar["held"][0]["count"] == 7
    assert [r["kind"] for r in sidecar["review"]] == ["consensus"]
    assert _invoke("eval", str(project / "out" / "report.md"), "-p", str(project))[0] == 0

    codebook = project / "drafts" / "gone-well.codebook.toml"
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(text.replace('title = "Committed staff"',
                                     'title = "Committed staff"\naccepted = true'),
                        encoding="utf-8")
    assert read_codebook(codebook).theme("staff").accepted  # type: ignore[union-attr]
    code, said = _invoke("report", "-p", str(project), "--formats", "md")
    assert code == 0, said
    report = (project / "out" / "report.md").read_text(encoding="utf-8")
    # The theme's id follows its heading as an invisible comment, for eval.
    assert re.search(r"### Committed staff\n\n<!-- theme: staff -->\n\n"
                     r"Raised by all seven managers \(100%\)\.", report)
    assert "not cover" not in report
    assert "counts 7 of 7" not in said
    sidecar = json.loads((project / "drafts" / "gone-well.json").read_text(encoding="utf-8"))
    assert sidecar["held"] == [] and sidecar["review"] == []
    assert any("marks it accepted" in note for note in sidecar["notes"])
    assert _invoke("eval", str(project / "out" / "report.md"), "-p", str(project))[0] == 0
