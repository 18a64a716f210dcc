"""The package's layering, checked by import-linter against the contracts in pyproject.toml:
no stage importing a later one (the layers contract), SDKs only in their adapter modules, and a
verifier that reads text alone."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "Stages import only downward KEPT" in result.stdout
