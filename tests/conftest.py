"""Shared fixtures: small projects written to a temp dir, the real embedder, a network guard."""

from __future__ import annotations

import socket
from collections.abc import Collection
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "corpus" / "hscp-2017"
POLIS = REPO / "corpus" / "polis-bowling-green"
POLIS_DATA = REPO.parent / "shared" / "corpora" / "polis-bowling-green" / "comments.csv"

SURVEY_CSV = (
    "Ref,Q1,Q2,Q3,Q4\n"
    "R01,\"Reducing delayed discharge has gone well. Teams work openly together.\","
    "\"Stable budgets from government.\",7,Satisfied\n"
    "R02,\"Our GP engagement improved, and the new wellbeing service opened.\",n/a,9,\n"
    "R03,\"Strong partnership with the council.\",\"Committed staff, despite limited resources.\","
    "5,Very satisfied\n"
    "R04,,\"Governance is complex; approvals through two systems slow us down.\",8,"
    "Neither satisfied nor dissatisfied\n"
)
MANIFEST = """
[project]
title = "Test survey"
respondent_noun = ["Chief Officer", "Chief Officers"]
invited = 6

[[sources]]
id = "survey"
path = "responses.csv"
respondent_column = "Ref"
columns = { gone_well = "Q1", enablers = "Q2", rating_finance = "Q3", satisfaction = "Q4" }

[[sources]]
id = "interview"
path = "interview.txt"
format = "transcript"
respondent = "I01"
question = "interview"

[[questions]]
id = "gone_well"
text = "What has gone well?"

[[questions]]
id = "enablers"
text = "What enabled progress?"

[[questions]]
id = "rating_finance"
text = "How challenging: financial pressures"
label = "Financial pressures"
kind = "rating"
scale = [0, 10]

[[questions]]
id = "satisfaction"
text = "How satisfied were you with the ihub?"
kind = "choice"
options = ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied",
           "Satisfied", "Very satisfied"]
top_two = true

[[questions]]
id = "interview"
text = "Interview"

[[sections]]
id = "gone-well"
number = "2.1"
title = "What has gone well?"
questions = ["gone_well"]
sources = ["interview"]
description = "progress and successes over the past year"
"""
TRANSCRIPT = (
    "Interviewer: Thanks for joining. What has been hardest this year?\n"
    "Chief Officer: The lack of workforce is making the system very vulnerable.\n"
    "We are trying to redesign within the financial envelope.\n"
    "Interviewer: And governance?\n"
    "Chief Officer: It's not prohibiting; just very time consuming.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A four-respondent survey plus one interview, with its manifest."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "summariser.toml").write_text(MANIFEST, encoding="utf-8")
    (root / "responses.csv").write_text(SURVEY_CSV, encoding="utf-8")
    (root / "interview.txt").write_text(TRANSCRIPT, encoding="utf-8")
    return root


@pytest.fixture
def ingested(project: Path) -> Path:
    """The four-respondent project, ingested by the command a user runs."""
    from tests.commands import invoke

    assert invoke("ingest", "-p", str(project)).exit_code == 0
    return project


@pytest.fixture(scope="session")
def minilm():
    """The real offline embedder, loaded once per test session."""
    from summariser.index.embedders import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch):
    """Any attempt to open a network connection fails the test (Unix sockets are allowed)."""

    def refuse(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network access attempted: {address}")
        return real_connect(self, address, *args, **kwargs)

    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection",
                        lambda address, *a, **k: refuse(socket.socket(), address))
    yield


@pytest.fixture(autouse=True)
def _block_real_models():
    """No test may reach a real model unless it says so (see `allow_models`)."""
    from summariser.draft.models import block_model_requests

    block_model_requests(True)
    yield
    block_model_requests(True)


@pytest.fixture
def allow_models():
    from summariser.draft.models import block_model_requests

    block_model_requests(False)


def copy_project(source: Path, destination: Path) -> Path:
    """A copy of a bundled project without its store or drafts, so tests never write to the repo."""
    import shutil

    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(
        ".summariser", "drafts", "runs.sqlite", "out"))
    return destination


def without_size(root: Path, respondents: Collection[str], min_cell: int = 5) -> Path:
    """The example project at `root` with `respondents` giving no partnership size, and
    `min_cell` as its disclosure limit."""
    import csv

    path = root / "survey" / "responses.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if next(iter(row.values())) in respondents:
            assert row["PartnershipSize"]
            row["PartnershipSize"] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    toml = root / "summariser.toml"
    toml.write_text(toml.read_text().replace("min_cell = 5", f"min_cell = {min_cell}"))
    return root


@pytest.fixture(scope="session")
def example_project(tmp_path_factory) -> Path:
    """The example corpus, copied and ingested with the real embedder (once per session)."""
    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    root = copy_project(EXAMPLE, tmp_path_factory.mktemp("example") / "hscp-2017")
    manifest = load_manifest(root)
    ingest(manifest, Store(manifest.store_path))
    return root
