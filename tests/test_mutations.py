"""The gate's mutation suite on its fixed seed, on every corpus (suite) it has: no corruption
passes and no valid quote is rejected. CI draws `CI_PER_KIND` cases of each kind per suite;
`python evals/mutations.py` draws 200."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[1] / "evals" / "mutations.py"
CI_PER_KIND = 100


def load_suite():
    spec = importlib.util.spec_from_file_location("evals_mutations", SUITE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def suite():
    return load_suite()


@pytest.fixture(scope="module")
def suites(suite) -> tuple[str, ...]:
    if not suite.POLIS.exists():
        pytest.skip(f"the Polis corpus is not at {suite.POLIS}")
    return suite.SUITES


@pytest.fixture(scope="module")
def report(suite, suites):
    return suite.run(seed=suite.SEED, per_kind=CI_PER_KIND, suites=suites)


def test_every_corruption_is_detected(report):
    assert [(r.case.suite, r.case.kind, r.case.paragraph, r.statuses) for r in report.escapes] \
        == []


def test_no_valid_quote_is_rejected(report):
    assert [(r.case.suite, r.case.kind, r.case.paragraph, r.reason)
            for r in report.false_rejections] == []


def test_every_kind_was_exercised_on_every_corpus(suite, suites, report):
    import mutation_forms as forms

    kinds = set(forms.VALID) | set(forms.CORRUPTIONS) | {forms.WRONG_RESPONDENT}
    assert {"polis", "multi-word ids"} <= set(suites)
    for name in suites:
        done = [r.case.kind for r in report.results if r.case.suite == name]
        assert set(done) == kinds
        assert len(done) == CI_PER_KIND * len(kinds)


def test_citations_in_every_id_format_are_read(report):
    # The wrong respondent's id is a citation in each corpus's own format, and catches the quote.
    wrong = [r for r in report.results if r.case.kind == "wrong respondent named"]
    assert {r.case.suite for r in wrong} == {"example", "polis", "multi-word ids"}
    assert all(r.statuses[0] == "misattributed" for r in wrong)
