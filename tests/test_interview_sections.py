"""A section made of interviews alone: every interviewee it names is in its base, counted as an
interviewee, whatever their talk is about, and its draft passes `eval` as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands import flat, invoke

SURVEY = "id,better\n1,More staff on the rota.\n2,Shorter waits for a visit.\n"

TALK = {
    "t1": "Interviewer: What is hardest?\nAisha: We are so short of staff that every week "
          "somebody phones in sick and the rota falls apart.\nInterviewer: Anything else?\n"
          "Aisha: The staffing, honestly. We never have enough carers.\n",
    "t2": "Interviewer: What is hardest?\nGary: Staff shortages. We are run ragged because the "
          "rota is never full and nobody covers sickness.\n",
    # Nothing close to the section's description: still one of the people it asked.
    "t3": "Interviewer: How was your weekend?\nJohn: I went fishing on the loch with my brother "
          "and we caught nothing at all.\n",
}


def _manifest(section: str) -> str:
    sources = "".join(f"""
[[sources]]
id = "{name}"
path = "{name}.txt"
format = "transcript"
respondent = "I0{n}"
interviewer = ["Interviewer"]
question = "interview"
""" for n, name in enumerate(TALK, 1))
    return f"""
[project]
title = "Care at home"
respondent_noun = ["service user", "service users"]

[[sources]]
id = "survey"
path = "survey.csv"
respondent_column = "id"
columns = {{ better = "better" }}
{sources}
[[questions]]
id = "better"
text = "What would make your care better?"

[[questions]]
id = "interview"
text = "Interview with a care worker"

[[sections]]
id = "better"
number = "1"
title = "What would make care better"
questions = ["better"]

[[sections]]
id = "staff"
number = "2"
title = "What care staff told us"
{section}
description = "pressures on care staff: staffing and sickness cover"
"""


@pytest.mark.parametrize("section", ['sources = ["t1", "t2", "t3"]', 'questions = ["interview"]'],
                         ids=["sources", "interview question"])
def test_a_section_of_interviews_counts_every_interviewee(tmp_path: Path, section: str):
    root = tmp_path / "care"
    root.mkdir()
    (root / "summariser.toml").write_text(_manifest(section), encoding="utf-8")
    (root / "survey.csv").write_text(SURVEY, encoding="utf-8")
    for name, text in TALK.items():
        (root / f"{name}.txt").write_text(text, encoding="utf-8")
    assert invoke("ingest", "-p", str(root)).exit_code == 0
    drafted = invoke("draft", "-p", str(root), "-s", "staff")
    assert drafted.exit_code == 0, drafted.output
    assert "service users" not in flat(drafted)
    sidecar = json.loads((root / "drafts" / "staff.json").read_text(encoding="utf-8"))
    assert sidecar["denominator"] == 3
    assert sidecar["respondent_noun"] == ["interviewee", "interviewees"]
    text = (root / "drafts" / "staff.md").read_text(encoding="utf-8")
    assert "of 3 interviewees" in text and "service user" not in text
    checked = invoke("eval", str(root / "drafts" / "staff.md"))
    assert checked.exit_code == 0, checked.output
