"""The mutation suite on its fixed seed: no corruption passes and no valid quote is rejected."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[1] / "evals" / "mutations.py"


def load_suite():
    spec = importlib.util.spec_from_file_location("evals_mutations", SUITE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report():
    suite = load_suite()
    if not suite.POLIS.exists():
        pytest.skip(f"the Polis corpus is not at {suite.POLIS}")
    return suite.run(seed=suite.SEED, per_kind=suite.PER_KIND)


def test_every_corruption_is_detected(report):
    assert report.escapes == []


def test_no_valid_quote_is_rejected(report):
    assert report.false_rejections == []


def test_every_kind_was_exercised(report):
    suite = load_suite()
    kinds = {case.kind for case, _ in report.outcomes}
    assert kinds == set(suite.VALID) | set(suite.CORRUPTIONS) | {"wrong respondent named"}
    assert len(report.outcomes) == suite.PER_KIND * len(kinds)
