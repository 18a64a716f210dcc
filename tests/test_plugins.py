"""Backends and embedders from installed packages (entry point groups "summariser.backends" and
"summariser.embedders"), beside the built-in registries. The package here is installed as pip
installs one: a module and a .dist-info folder naming its entry points, on sys.path."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.backends import backend_names, registered_backend
from summariser.errors import ModelError
from summariser.index.embedders import make_embedder

runner = CliRunner()
MODULE = "summariser_demo_plugin"
PLUGIN = '''"""A plugin for summariser, as a package would ship it."""

from summariser.draft.backends import RegisteredBackend
from summariser.draft.extractive import ExtractiveBackend
from summariser.errors import ModelError
from summariser.testing import HashEmbedder


class EchoBackend(ExtractiveBackend):
    name = "echo"


def _ready(options):
    if options.model == "refuse":
        raise ModelError("echo does not know the model 'refuse'; leave out --model")


backend = RegisteredBackend(lambda manifest, options, run_id: EchoBackend(), _ready)


def embedder(model):
    made = HashEmbedder()
    made.name = f"hashing:{model}" if model else "hashing"  # the name the store records
    return made


def takeover(manifest, options, run_id):
    raise AssertionError("a plugin must not replace a built-in backend")
'''
ENTRY_POINTS = f"""[summariser.backends]
echo = {MODULE}:backend
extractive = {MODULE}:takeover

[summariser.embedders]
hashing = {MODULE}:embedder
broken = {MODULE}_not_there:embedder
"""


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site-packages")
    (root / f"{MODULE}.py").write_text(PLUGIN, encoding="utf-8")
    info = root / f"{MODULE}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: summariser-demo-plugin\n"
                                   "Version: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    return root


@pytest.fixture
def installed(plugin_dir: Path, monkeypatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(plugin_dir))
    yield
    sys.modules.pop(MODULE, None)


def flat(text: str) -> str:
    """Help text without its box and line wrapping."""
    return " ".join(text.replace("│", " ").split())


def test_help_lists_the_installed_backends_and_embedders(installed):
    draft_help = flat(runner.invoke(app, ["draft", "--help"]).output)
    assert "llama.cpp). Installed plugins: echo." in draft_help
    ingest_help = flat(runner.invoke(app, ["ingest", "--help"]).output)
    assert "Installed plugins: hashing, broken." in ingest_help


def test_without_plugins_the_help_is_as_it_was():
    assert "Installed plugins" not in runner.invoke(app, ["draft", "--help"]).output
    assert "Installed plugins" not in runner.invoke(app, ["ingest", "--help"]).output


def test_a_plugin_backend_and_embedder_draft_a_section(installed, project: Path):
    result = runner.invoke(app, ["ingest", "-p", str(project), "--embedder", "hashing"])
    assert result.exit_code == 0, result.output
    assert "13 passages stored (13 embedded" in flat(result.output)
    result = runner.invoke(app, ["draft", "-p", str(project), "--llm", "echo",
                                 "--embedder", "hashing"])
    assert result.exit_code == 0, result.output
    sidecar = json.loads((project / "drafts" / "gone-well.json").read_text(encoding="utf-8"))
    assert sidecar["backend"] == "echo"


def test_a_plugins_own_check_runs_before_any_work(installed, project: Path):
    result = runner.invoke(app, ["draft", "-p", str(project), "--llm", "echo", "--model",
                                 "refuse"])
    assert result.exit_code == 1
    assert result.output == "Error: echo does not know the model 'refuse'; leave out --model\n"


def test_a_plugin_that_cannot_be_imported_is_one_line_naming_its_package(installed,
                                                                         project: Path):
    result = runner.invoke(app, ["ingest", "-p", str(project), "--embedder", "broken"])
    error = result.output.strip()  # (after the line a stopped progress bar leaves in a pipe)
    assert result.exit_code == 1 and error.count("\n") == 0, result.output
    assert error.startswith("Error: The embedder 'broken' from the package "
                                    "summariser-demo-plugin could not be loaded "
                                    "(ModuleNotFoundError:")
    assert error.endswith("reinstall or uninstall summariser-demo-plugin")


def test_a_plugin_cannot_replace_a_built_in(installed):
    assert backend_names().count("extractive") == 1
    assert backend_names()[-1] == "echo"
    assert registered_backend("extractive").check is None  # the built-in's
    with pytest.raises(ModelError, match="Unknown embedder 'nothing'.*one installed: hashing"):
        make_embedder("nothing")
    assert make_embedder("hashing:a-model").name == "hashing:a-model"
