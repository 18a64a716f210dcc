import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summariser.errors import InputError, StoreError
from summariser.index import store as store_module
from summariser.index.ingest import ingest
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.testing import HashEmbedder
from tests.conftest import SURVEY_CSV


def _ingest(project: Path, embedder=None, **kwargs):
    embedder = embedder or HashEmbedder()
    manifest = load_manifest(project)
    return ingest(manifest, Store(manifest.store_path), embedder.name,
                  embedder_factory=lambda name: embedder, **kwargs)


def _state(project: Path) -> tuple[set[str], list]:
    store = Store(load_manifest(project).store_path)
    ids = set(store.passage_ids(store.collection(HashEmbedder.name, create=True)))
    return ids, [(r.response_id, r.text) for r in store.responses()]


def test_reingest_of_unchanged_corpus_embeds_nothing(project: Path):
    first = _ingest(project)
    assert first.added == first.passages == 13 and first.deleted == 0
    embedder = HashEmbedder()
    second = _ingest(project, embedder)
    assert (second.added, second.deleted, second.unchanged) == (0, 0, 13)
    assert embedder.calls == 0


def test_changed_answer_is_reembedded_and_removed_row_deleted(project: Path):
    _ingest(project)
    csv = SURVEY_CSV.replace("Strong partnership with the council.",
                             "Strong partnership with the NHS board.")
    csv = "\n".join(line for line in csv.splitlines() if not line.startswith("R04")) + "\n"
    (project / "responses.csv").write_text(csv)
    report = _ingest(project)
    assert report.added == 1  # R03's changed answer
    assert report.deleted == 2  # R03's old answer and R04's only answer
    ids, responses = _state(project)
    assert len(ids) == report.passages == 12
    assert ("survey:R03:gone_well", "Strong partnership with the NHS board.") in responses
    assert not any(rid.startswith("survey:R04") for rid, _ in responses)


def test_bad_input_leaves_the_store_exactly_as_it_was(project: Path):
    _ingest(project)
    before = _state(project)
    (project / "responses.csv").write_text(SURVEY_CSV.replace("R04", "R02"))
    with pytest.raises(InputError):
        _ingest(project)
    (project / "responses.csv").write_text(SURVEY_CSV)
    (project / "interview.txt").write_text("no labels here at all\n")
    with pytest.raises(InputError):
        _ingest(project)
    assert _state(project) == before


def test_interrupted_ingest_is_completed_by_the_next_without_duplicates(project: Path):
    def interrupt():
        raise KeyboardInterrupt

    big = SURVEY_CSV + "".join(f"R{n:02d},\"Answer number {n} about budgets.\",,5,\n"
                               for n in range(10, 700))
    (project / "responses.csv").write_text(big)
    with pytest.raises(KeyboardInterrupt):
        _ingest(project, HashEmbedder(pause_after=1, on_pause=interrupt))
    store = Store(load_manifest(project).store_path)
    assert not store.meta()["ingest_complete"]
    partial = store.passage_ids(store.collection(HashEmbedder.name, create=True))
    assert 0 < len(partial) < 703
    report = _ingest(project)
    assert report.added == report.passages - len(partial)
    ids, responses = _state(project)
    assert len(ids) == report.passages == 703
    assert len(responses) == len({rid for rid, _ in responses}) == 700
    assert store.meta()["ingest_complete"]


def test_killed_ingest_process_is_completed_by_the_next(project: Path, tmp_path: Path):
    big = SURVEY_CSV + "".join(f"R{n:02d},\"Answer number {n} about staff.\",,5,\n"
                               for n in range(10, 700))
    (project / "responses.csv").write_text(big)
    marker = tmp_path / "paused"
    script = (
        "import sys; from pathlib import Path\n"
        "from summariser.index.ingest import ingest; from summariser.project.manifest import load_manifest\n"
        "from summariser.index.store import Store\n"
        "from summariser.testing import HashEmbedder, touch_and_wait\n"
        f"e = HashEmbedder(pause_after=2, on_pause=touch_and_wait(Path({str(marker)!r})))\n"
        f"m = load_manifest({str(project)!r})\n"
        "ingest(m, Store(m.store_path), e.name, embedder_factory=lambda n: e)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[1])
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the child ingest never reached its pause"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    report = _ingest(project)
    ids, responses = _state(project)
    assert len(ids) == report.passages == 703
    assert report.added < 703  # the killed run's batches were kept
    assert len(responses) == 700


def test_second_writer_is_refused_while_the_first_holds_the_lock(project: Path, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.2)
    store = Store(load_manifest(project).store_path)
    with store.writing(), pytest.raises(StoreError, match="Another ingest is writing"):
        _ingest(project)


def test_store_built_with_another_embedder_is_refused(project: Path, minilm):
    _ingest(project)
    with pytest.raises(StoreError, match="built with the 'hash-embedder-test' embedder"):
        _ingest(project, minilm)


def test_unchanged_reingest_writes_nothing_but_a_changed_rating_is_stored(
        project: Path, monkeypatch):
    _ingest(project)

    def must_not_write(*args, **kwargs):
        raise AssertionError("an unchanged re-ingest wrote to the store")

    for method in ("mark_ingest_started", "add_passages", "replace_corpus"):
        monkeypatch.setattr(Store, method, must_not_write)
    assert _ingest(project).added == 0
    monkeypatch.undo()
    (project / "responses.csv").write_text(SURVEY_CSV.replace(",9,", ",3,"))
    report = _ingest(project)
    assert (report.added, report.deleted) == (0, 0)
    ratings = Store(load_manifest(project).store_path).ratings()
    assert ("R02", "rating_finance", 3.0) in [(r.respondent, r.question, r.value)
                                              for r in ratings]


@pytest.mark.parametrize("action", ["skip", "truncate"])
def test_an_oversized_answer_is_skipped_or_truncated_and_reported(project: Path, action: str):
    long_answer = "Budgets are tight and staff are stretched. " * 30  # 1,290 bytes
    (project / "responses.csv").write_text(SURVEY_CSV.replace(
        "Strong partnership with the council.", long_answer.strip()))
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace(
        "invited = 6\n", f'invited = 6\nmax_cell_bytes = 200\noversized_cells = "{action}"\n'))
    report = _ingest(project)
    done = "skipped" if action == "skip" else "truncated"
    reason = f"answer over 200 bytes (max_cell_bytes): {done}"
    assert [(s.source, s.row, s.reason) for s in report.skipped if "max_cell" in s.reason] == [
        ("survey", 4, reason)]  # R03's file line: the header is line 1
    store = Store(load_manifest(project).store_path)
    stored = {r.response_id: r.text for r in store.responses()}
    if action == "skip":
        assert "survey:R03:gone_well" not in stored
    else:
        text = stored["survey:R03:gone_well"]
        assert long_answer.startswith(text) and 180 <= len(text.encode()) <= 200
        assert long_answer[len(text)] == " "  # cut at a space, not inside a word


def test_the_oversized_cell_keys_are_checked(project: Path):
    from summariser.errors import ManifestError

    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace(
        "invited = 6\n", 'invited = 6\nmax_cell_bytes = "100kB"\noversized_cells = "drop"\n'))
    with pytest.raises(ManifestError) as raised:
        load_manifest(project)
    message = str(raised.value)
    assert "max_cell_bytes must be a positive whole number of bytes" in message
    assert 'oversized_cells must be "skip" or "truncate"' in message


def test_unchanged_texts_are_not_split_again(project: Path, monkeypatch):
    from summariser.index import split

    first = _ingest(project)
    calls = []
    real = split.passage_spans
    monkeypatch.setattr(split, "passage_spans",
                        lambda text, *a: calls.append(text) or real(text, *a))
    assert _ingest(project).added == 0 and calls == []  # every text's spans were kept
    (project / "responses.csv").write_text(SURVEY_CSV.replace(
        "Strong partnership with the council.", "Strong partnership with the NHS board."))
    report = _ingest(project)
    assert calls == ["Strong partnership with the NHS board."]  # only the changed answer
    assert (report.passages, report.added) == (first.passages, 1)
    monkeypatch.setattr("summariser.index.ingest.split_rules", lambda: "other rules")
    _ingest(project)
    assert len(calls) == 1 + first.responses  # a changed splitter splits every text again
