"""Ingest and draft on a Dask cluster (two worker processes) with a Chroma server, against the
same commands run in this process: the same passage ids, counts and drafts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from summariser.engines import LOCAL, open_engine
from summariser.errors import EngineError, MissingDependency
from tests.conftest import EXAMPLE, POLIS, POLIS_DATA, copy_project

BIN = Path(sys.executable).parent
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, what: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not start in {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Cluster:
    """A Dask scheduler and two workers on 127.0.0.1, each worker under its nanny."""

    def __init__(self, folder: Path):
        if not (BIN / "dask").exists():
            pytest.skip("the Dask CLI is not installed next to this Python (pip install "
                        "'summariser[dask]')")
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.scheduler = subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=folder)
        _wait_for(port, "the Dask scheduler", self.scheduler)
        self.nannies = [subprocess.Popen(
            [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--host",
             "127.0.0.1", "--no-dashboard", "--local-directory", str(folder / f"worker{n}")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
            for n in range(WORKERS)]
        self.wait_for_workers(WORKERS)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(count, timeout=90)

    def worker_pids(self) -> dict[str, int]:
        """Each worker's address and process id (a nanny restarts its worker if it dies)."""
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            return client.run(os.getpid)

    def close(self) -> None:
        for process in [*self.nannies, self.scheduler]:
            _stop(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A Chroma server of its own for each test: a server's collections are one project's."""
    chroma = BIN / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI is not installed next to this Python")
    port = _free_port()
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "chroma-server"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, "the Chroma server", server)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(server)


def _polis(tmp_path: Path) -> Path:
    root = copy_project(POLIS, tmp_path / "polis")
    (root / "summariser.toml").write_text((POLIS / "summariser.toml").read_text().replace(
        "../../../shared", str(POLIS_DATA.parents[2])))
    return root


def _run(project: Path, drafts: Path, **engine: str | None) -> dict:
    """Ingest and draft `project` (on the engine given, else locally): what the store holds
    and every draft file, as text, with the run's id taken out."""
    from summariser.jobs.common import open_project
    from summariser.jobs.draft import DraftOptions, draft
    from summariser.jobs.ingest import IngestOptions, ingest

    chroma_url = engine.pop("chroma_url", None)
    ingested = ingest(IngestOptions(project=project, chroma_url=chroma_url, **engine))
    draft(DraftOptions(project=project, chroma_url=chroma_url, output=drafts, **engine))
    _, store = open_project(IngestOptions(project=project, chroma_url=chroma_url))
    files = {}
    for path in sorted(drafts.glob("*")):
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            data.pop("run_id")
            files[path.name] = data
        elif path.is_file():
            files[path.name] = path.read_text(encoding="utf-8")
    meta = store.meta()
    return {"report": replace(ingested.report, embedder=""),
            "ids": store.passage_ids(store.collection(ingested.report.embedder)),
            "parts": meta["parts"], "responses": store.corpus.count(),
            "corpus_hash": meta["corpus_hash"], "drafts": files}


def _assert_same(local: dict, clustered: dict) -> None:
    assert clustered["report"] == local["report"]
    assert clustered["ids"].keys() == local["ids"].keys()
    assert clustered["ids"] == local["ids"]  # each passage in the same part's collection
    for key in ("parts", "responses", "corpus_hash"):
        assert clustered[key] == local[key], key
    assert clustered["drafts"].keys() == local["drafts"].keys()
    for name, text in local["drafts"].items():
        assert clustered["drafts"][name] == text, name


@pytest.mark.slow
def test_the_example_corpus_on_a_cluster_equals_a_local_run(tmp_path: Path, cluster: Cluster,
                                                             chroma_server: str):
    local = _run(copy_project(EXAMPLE, tmp_path / "local"), tmp_path / "local-drafts")
    clustered = _run(copy_project(EXAMPLE, tmp_path / "cluster"), tmp_path / "cluster-drafts",
                     engine="dask", cluster=cluster.address, chroma_url=chroma_server)
    assert local["report"].added > 500 and len(local["drafts"]) == 45  # 15 sections, 3 files
    _assert_same(local, clustered)


@pytest.mark.slow
@pytest.mark.skipif(not POLIS_DATA.exists(), reason="shared Polis corpus not present")
def test_the_polis_corpus_on_a_cluster_equals_a_local_run(tmp_path: Path, cluster: Cluster,
                                                           chroma_server: str):
    local = _run(_polis(tmp_path / "local"), tmp_path / "local-drafts")
    clustered = _run(_polis(tmp_path / "cluster"), tmp_path / "cluster-drafts",
                     engine="dask", cluster=cluster.address, chroma_url=chroma_server)
    assert local["report"].passages > 600
    _assert_same(local, clustered)


class _KillAWorker:
    """Progress that kills one worker process (SIGKILL) once the first batch is written."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.killed: str | None = None  # the worker's address
        self.written = 0

    def start(self, total: int, what: str) -> None:
        pass

    def advance(self, count: int) -> None:
        self.written += count
        if self.killed is None:
            self.killed, pid = sorted(self.cluster.worker_pids().items())[0]
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_worker_lost_mid_ingest_costs_only_its_batches(tmp_path: Path, cluster: Cluster,
                                                         example_project: Path):
    from summariser.jobs.common import open_project
    from summariser.jobs.ingest import IngestOptions, ingest

    project = copy_project(EXAMPLE, tmp_path / "hscp")
    progress = _KillAWorker(cluster)
    options = IngestOptions(project=project, engine="dask", cluster=cluster.address)
    done = ingest(options, progress)
    assert progress.killed is not None
    assert progress.written == done.report.added == done.report.passages  # each batch once
    _, store = open_project(options)
    _, reference = open_project(IngestOptions(project=example_project))
    assert store.passage_ids(store.collection(done.report.embedder)) == \
        reference.passage_ids(reference.collection(done.report.embedder))
    cluster.wait_for_workers(WORKERS)  # the nanny has started another in its place
    assert progress.killed not in cluster.worker_pids()  # the worker killed was one of them


class _StopAfter:
    """Progress that stops the ingest (as Ctrl-C would) once `batches` batches are written."""

    def __init__(self, batches: int):
        self.left = batches
        self.written = 0

    def start(self, total: int, what: str) -> None:
        pass

    def advance(self, count: int) -> None:
        self.written += count
        self.left -= 1
        if self.left == 0:
            raise KeyboardInterrupt


@pytest.mark.slow
def test_an_interrupted_cluster_ingest_resumes_with_the_batches_not_written(
        tmp_path: Path, cluster: Cluster):
    from summariser.jobs.common import open_project
    from summariser.jobs.ingest import IngestOptions, ingest

    project = copy_project(EXAMPLE, tmp_path / "hscp")
    options = IngestOptions(project=project, engine="dask", cluster=cluster.address)
    stopped = _StopAfter(5)
    with pytest.raises(KeyboardInterrupt):
        ingest(options, stopped)
    _, store = open_project(options)
    assert not store.meta()["ingest_complete"]
    # The fifth batch was handed to the writer when the ingest stopped: it is written or not.
    held = len(store.passage_ids(store.collection("all-MiniLM-L6-v2-int8", create=True)))
    assert 0 < held <= stopped.written
    done = ingest(options)
    assert done.report.added == done.report.passages - held
    assert store.meta()["ingest_complete"]


def test_coding_in_chunks_codes_as_one_chunk(monkeypatch: pytest.MonkeyPatch, minilm):
    """What a cluster does to a large section (its segments coded in chunks, each a task) is
    exercised here on a small one: chunks of 7 segments code what one chunk does."""
    import numpy as np

    from summariser.draft import coding
    from summariser.draft.codebook import Codebook, CodebookTheme
    from summariser.records import Passage

    texts = ["Delayed discharge is down.", "Waiting to go home from hospital is shorter.",
             "GP recruitment is hard.", "We cannot recruit GPs.", "Staff are great.",
             "The staff were rude.", "Budgets are tight.", "Money is short this year.",
             "Nothing really.", "Discharge from hospital is quicker.", "More GPs please.",
             "Our staff work hard.", "Funding cuts hurt.", "Hospital waits are long.",
             "The budget is stable.", "Recruiting nurses is hard too."] * 2
    # One answer's "Yes." and the sentence after it fall in two chunks (34 and 35).
    texts += ["Parking is tight.", "Parking is fine.", "Yes.", "A charge would fix the roads.",
              "No, a charge would hurt the shops."]
    answer = {35: "r34"}
    passages = [Passage(f"p{i:02d}", answer.get(i, f"r{i:02d}"), f"R{i % 11}", "q", "s",
                        "f.csv", 5 if i in answer else 0, len(text), text)
                for i, text in enumerate(texts)]
    vectors = minilm.embed(texts)
    book = Codebook("s", (
        CodebookTheme("t1", "Delayed discharge", "People leave hospital sooner.",
                      phrases=("discharge",)),
        CodebookTheme("t2", "Recruitment", "Hiring GPs and staff is hard.", phrases=("GP",),
                      include_answers=("r06", "r22")),
        CodebookTheme("t3", "Praise for staff", "Staff praised.", phrases=("staff",),
                      tone="praise"),
        CodebookTheme("t4", "Money", "Funding and budgets.", exclude=("stable",)),
        CodebookTheme("t5", "Support for a charge", phrases=("charge",), tone="for")))
    # "Nothing really." (p08, p24) assigned to two themes: rejections from two chunks each
    assigned = {"t1": ("p08", "p24"), "t2": ("p08", "p24")}
    whole = coding.code(book, passages, vectors, minilm.embed, assigned)
    monkeypatch.setattr(coding, "CHUNK", 7)
    chunked = coding.code(book, passages, vectors, minilm.embed, assigned)

    def rows(result):
        return ([[(s.passage.passage_id, s.via, round(s.similarity, 5), s.phrase)
                  for s in t.segments] for t in result.themes],
                [p.passage_id for p in result.uncoded],
                [(r.theme_id, r.passage.passage_id) for r in result.rejected])

    assert rows(chunked) == rows(whole)
    # The answer that said "Yes." and then why, in two chunks; not "No, a charge would ..."
    assert [(s.passage.passage_id, s.via) for s in whole.themes[4].segments] == [
        ("p34", "stated"), ("p35", "phrase")]
    assert {s.via for t in whole.themes for s in t.segments} >= {"phrase", "meaning",
                                                                  "analyst"}
    assert [r.theme_id for r in whole.rejected] == ["t1", "t1", "t2", "t2"]
    assert np.isfinite(vectors).all()


def test_a_missing_engine_extra_is_one_line_naming_the_install(
        project: Path, monkeypatch: pytest.MonkeyPatch):
    import importlib.util

    from typer.testing import CliRunner

    from summariser.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    result = CliRunner().invoke(app, ["ingest", "-p", str(project), "--engine", "dask"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --engine dask needs the 'distributed' package: pip install "
        "\"summariser[dask]\""]
    with pytest.raises(MissingDependency), open_engine("dask"):
        pass


def test_an_unknown_engine_or_a_cluster_without_one_is_refused():
    with pytest.raises(EngineError, match="Unknown engine 'ray'; use 'local', 'dask'"), \
            open_engine("ray"):
        pass
    with pytest.raises(EngineError, match="--cluster needs --engine dask"), \
            open_engine("local", "tcp://127.0.0.1:1"):
        pass
    with open_engine() as engine:
        assert engine is LOCAL
        assert list(engine.map(str.upper, ["a", "b"])) == ["A", "B"]
