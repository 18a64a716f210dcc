"""Faults under the store: a Chroma database with garbage in it, a stray or garbled
`index_metadata.pickle`, a disk that fills while ingesting, and a command started while an
ingest is writing. Each is one line that says what to do, and `ingest` recovers by itself
(rebuilding the vectors from the corpus), never a traceback or an abort. Real Chroma, real
embedder; the full disk is a real tmpfs in a user and mount namespace."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from summariser.index.passage_pages import part_name
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from tests.commands import invoke
from tests.conftest import REPO


def flat(text: str) -> str:
    return " ".join(text.split())


def command(*args: str) -> subprocess.CompletedProcess[str]:
    """A command in a process of its own: Chroma's bindings can end a process outright."""
    return subprocess.run([sys.executable, "-m", "summariser", *args], capture_output=True,
                          text=True, timeout=600, cwd=REPO)


def one_line(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    for words in expected:
        assert words in flat(lines[0]), lines[0]


def _chroma(project: Path) -> Path:
    return project / ".summariser" / "chroma"


def _repaired_by_ingest(project: Path) -> None:
    done = command("ingest", "-p", str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Repaired: the vector store could not be read" in flat(done.stdout), done.stdout
    assert "13 passages stored (13 embedded, 0 unchanged, 0 removed)" in flat(done.stdout)
    asked = command("ask", "workforce", "-p", str(project), "--json")
    assert asked.returncode == 0 and '"respondent": "I01"' in asked.stdout, asked.stderr


def test_a_stray_pickle_in_the_vector_store_is_one_line_and_ingest_rebuilds(ingested: Path):
    segments = [p for p in _chroma(ingested).iterdir() if p.is_dir()]
    assert segments
    for segment in segments:
        (segment / "index_metadata.pickle").write_bytes(b"garbage, not a pickle")
    one_line(command("ask", "workforce", "-p", str(ingested)), "cannot be read",
             "pickle", "run 'summariser ingest'")
    _repaired_by_ingest(ingested)


@pytest.mark.parametrize("seed", [5, 6])
def test_garbage_in_chromas_database_is_one_line_and_ingest_rebuilds(ingested: Path, seed: int):
    path = _chroma(ingested) / "chroma.sqlite3"
    data = bytearray(path.read_bytes())
    draw = random.Random(seed)
    for _ in range(300):  # random bytes across the file, as a failing disk writes them
        data[draw.randrange(len(data))] = draw.randrange(256)
    path.write_bytes(bytes(data))
    one_line(command("ask", "workforce", "-p", str(ingested)), "cannot be read",
             "run 'summariser ingest'")
    _repaired_by_ingest(ingested)


def test_a_chroma_database_that_is_not_one_is_rebuilt_by_ingest(ingested: Path):
    (_chroma(ingested) / "chroma.sqlite3").write_bytes(os.urandom(20_000))
    _repaired_by_ingest(ingested)


# --- a full disk ---------------------------------------------------------------------------------

def _namespace(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a bash script as root of a new user and mount namespace (skip where there is none)."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux)")
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("user and mount namespaces are not available here")
    return subprocess.run(["unshare", "-rm", "bash", "-eu", "-c", script], capture_output=True,
                          text=True, timeout=1200, cwd=REPO,
                          env={**os.environ, "PY": sys.executable, **env})


GROWN = "".join(f"R{n:03d},\"Answer {n}: waiting lists and parking near the clinic, week {n}; "
                f"staff {n} are kind but {n * 7} people waited too long.\",,5,\n"
                for n in range(10, 610))


@pytest.mark.parametrize("filled", ["while-creating", "while-compacting"])
def test_a_disk_that_fills_while_ingesting_is_one_line_and_the_next_ingest_recovers(
        project: Path, tmp_path: Path, filled: str):
    """A 1 MB tmpfs fills while a new store is written; or a store is ingested, the sources
    grow and the disk is filled until 300 kB are left, so Chroma's compaction is cut short
    ("Error in compaction", once a traceback with no word of the disk)."""
    disk, record = tmp_path / "disk", tmp_path / "record"
    disk.mkdir()
    record.mkdir()
    grown = tmp_path / "grown.csv"
    grown.write_text((project / "responses.csv").read_text() + GROWN)
    fill = {"while-creating": r"""
        mount -t tmpfs -o size=1m tmpfs "$DISK"
        cp "$GROWN" "$PROJECT/responses.csv"
    """, "while-compacting": r"""
        mount -t tmpfs -o size=20m tmpfs "$DISK"
        "$PY" -m summariser ingest -p "$PROJECT" --store "$DISK/store" > /dev/null
        cp "$GROWN" "$PROJECT/responses.csv"
        free=$(df -k --output=avail "$DISK" | tail -1)
        head -c "$((free - 300))k" /dev/zero > "$DISK/filler"
    """}[filled]
    script = fill + r"""
    set +e
    "$PY" -m summariser ingest -p "$PROJECT" --store "$DISK/store" > "$RECORD/full.out" 2> "$RECORD/full.err"
    echo $? > "$RECORD/full.code"
    rm -f "$DISK/filler"
    mount -o remount,size=200m "$DISK"
    "$PY" -m summariser ingest -p "$PROJECT" --store "$DISK/store" > "$RECORD/next.out" 2> "$RECORD/next.err"
    echo $? > "$RECORD/next.code"
    "$PY" -m summariser ask workforce -p "$PROJECT" --store "$DISK/store" --json > "$RECORD/ask.out" 2> "$RECORD/ask.err"
    echo $? > "$RECORD/ask.code"
    """
    done = _namespace(script, DISK=str(disk), RECORD=str(record), PROJECT=str(project),
                      GROWN=str(grown))
    assert done.returncode == 0, done.stderr
    read = {name: (record / name).read_text() for name in os.listdir(record)}
    assert read["full.code"].strip() == "1", read
    [error] = [line for line in read["full.err"].splitlines() if line.strip()]
    assert error.startswith("Error: The disk under the vector store") and "is full" in error, error
    assert "free some space, then run 'summariser ingest' again" in error
    assert read["next.code"].strip() == "0", read["next.err"] + read["next.out"]
    assert "Traceback" not in read["next.err"]
    assert "613 passages stored" in flat(read["next.out"])
    assert read["ask.code"].strip() == "0", read["ask.err"]


# --- a command started while an ingest is writing -------------------------------------------------

def test_a_command_during_an_ingest_says_to_wait_not_to_repair(ingested: Path):
    store = Store(load_manifest(ingested).store_path)
    with FileLock(store.path / ".lock"):  # as a running ingest holds it
        store.mark_ingest_started()
        for args in (["draft", "-p", str(ingested)], ["ask", "budgets", "-p", str(ingested)],
                     ["report", "-p", str(ingested)]):
            result = invoke(*args)
            assert result.exit_code == 1 and "An ingest is writing to" in flat(result.output), \
                result.output
            assert "wait for it to finish, then run this again" in flat(result.output)
            assert "run 'summariser ingest'" not in result.output


def test_a_section_read_while_an_ingest_changes_its_passages_says_to_wait(ingested: Path):
    store = Store(load_manifest(ingested).store_path)
    collection = store.collection("all-MiniLM-L6-v2-int8")
    held = store.passage_ids(collection)
    gone_well = {pid: name for pid, name in held.items()
                 if name == part_name(("survey", "gone_well"))}
    with FileLock(store.path / ".lock"):  # an ingest that has begun to replace the passages
        store.delete_passages(collection, gone_well)
        store.release_vectors()
        result = invoke("draft", "-p", str(ingested))
    assert result.exit_code == 1, result.output
    assert "An ingest is writing to" in flat(result.output), result.output
    assert not (ingested / "drafts" / "gone-well.md").exists()


def test_a_log_a_killed_writer_left_is_replayed_not_taken_for_damage(ingested: Path,
                                                                       monkeypatch):
    """A writer killed part way can leave a log that only a connection able to write may
    replay: SQLite then refuses the read-only look with SQLITE_READONLY_RECOVERY ("attempt to
    write a readonly database"). That is recovery, not damage: the vectors stay."""
    import sqlite3

    from summariser.index import vector_faults

    real = sqlite3.connect

    def connect(database: str, *args, **kwargs):
        if "mode=ro" in str(database):
            refused = sqlite3.OperationalError("attempt to write a readonly database")
            refused.sqlite_errorname = "SQLITE_READONLY_RECOVERY"
            raise refused
        return real(database, *args, **kwargs)

    monkeypatch.setattr(vector_faults.sqlite3, "connect", connect)
    assert vector_faults.damage(_chroma(ingested), every_text=True) == ""
    done = invoke("ingest", "-p", str(ingested))
    assert done.exit_code == 0, done.output
    assert "Repaired" not in flat(done.output) and "0 embedded" in flat(done.output), done.output


def test_output_read_in_part_ends_quietly():
    """`summariser draft --help | head`: the reader closes the pipe and the next write fails;
    the command stops without an error line (it once blamed the path and the disk space)."""
    script = ("import sys, summariser.cli as cli\n"
              "@cli.app.command('pipe')\n"
              "def pipe():\n"
              "    raise BrokenPipeError(32, 'Broken pipe')\n"
              "sys.argv = ['summariser', 'pipe']\n"
              "cli.main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 1
    assert b"Error" not in done.stderr and b"Traceback" not in done.stderr, done.stderr
