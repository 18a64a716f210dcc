"""One command-line convention: `-p/--project` everywhere, `eval` finding the project from its
drafts, and `--version` from the one version source."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import summariser
from summariser.cli import app
from tests.conftest import REPO

runner = CliRunner()
PROJECT_COMMANDS = ("ingest", "draft", "runs", "stats", "report", "run", "ask", "eval", "review",
                    "export")


def _command(name: str):
    return typer.main.get_command(app).commands[name]


@pytest.mark.parametrize("name", PROJECT_COMMANDS)
def test_every_command_that_takes_a_project_takes_it_as_dash_p(name: str):
    command = _command(name)
    options = [p for p in command.params if "--project" in getattr(p, "opts", ())]
    assert len(options) == 1 and "-p" in options[0].opts
    help_text = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).output
    assert "--project" in help_text
    usage = next(line for line in help_text.splitlines() if "Usage:" in line)
    assert "PROJECT" not in usage.upper().replace("[OPTIONS]", ""), usage


def test_the_project_defaults_to_the_current_folder(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Test survey"


def test_the_old_positional_form_is_still_read_but_not_twice(project: Path, tmp_path: Path):
    old = runner.invoke(app, ["stats", str(project), "--json"])
    new = runner.invoke(app, ["stats", "-p", str(project), "--json"])
    assert old.exit_code == new.exit_code == 0
    assert json.loads(old.stdout) == json.loads(new.stdout)
    both = runner.invoke(app, ["stats", "-p", str(project), str(tmp_path)])
    assert both.exit_code == 2 and "give the project once" in both.output


def test_eval_finds_the_project_from_the_drafts_location(example_project: Path, tmp_path: Path,
                                                         monkeypatch):
    drafts = example_project / "drafts"
    drafts.mkdir(exist_ok=True)
    draft = drafts / "hand-written.md"
    draft.write_text("## 2.1 What has gone well?\n\nOne Chief Officer wrote of “delayed "
                     "discharge” [R01].\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no summariser.toml here
    result = runner.invoke(app, ["eval", str(draft), "--format", "json"])
    assert "No summariser.toml" not in result.output
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["quotes"], result.stdout
    # A draft outside any project is checked against the current folder, as before.
    outside = elsewhere / "draft.md"
    shutil.copy(draft, outside)
    lost = runner.invoke(app, ["eval", str(outside)])
    assert lost.exit_code == 1 and "No summariser.toml in ." in lost.output


def test_eval_refuses_drafts_from_two_projects(example_project: Path, project: Path):
    first = example_project / "drafts" / "a.md"
    first.parent.mkdir(exist_ok=True)
    first.write_text("## 2.1 What has gone well?\n\nText.\n", encoding="utf-8")
    second = project / "b.md"
    second.write_text("## 2.1 What has gone well?\n\nText.\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(first), str(second)])
    assert result.exit_code == 2 and "different projects" in result.output


def test_version_comes_from_one_place():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"summariser {summariser.__version__}"
    assert importlib.metadata.version("summariser") == summariser.__version__
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.MULTILINE)
    assert not re.search(r"^version\s*=", pyproject, re.MULTILINE)


def test_the_readme_command_table_uses_the_one_convention():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `summariser (\w+)([^`]*)` \|", readme, re.MULTILINE)
    assert {name for name, _ in rows} == set(PROJECT_COMMANDS)
    for name, usage in rows:
        if name == "eval":
            assert usage.strip() == "DRAFT... [-p PROJECT]"
        else:
            assert usage.rstrip().endswith("-p PROJECT"), (name, usage)
            assert "PROJECT" not in usage.replace("-p PROJECT", ""), (name, usage)
