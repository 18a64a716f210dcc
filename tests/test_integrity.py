"""What is stored is what was read: each stored answer keeps a hash of itself and each passage's
id is the hash of its text and attribution, so an answer edited or bit-flipped in the corpus
database, or a passage's text changed in Chroma under the same id, is never quoted, counted or
shown as verbatim; `ingest` finds it against the sources and writes it again. Real store, real
embedder, the real command line."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from tests.commands import flat, invoke, one_line_error

SOURCE = "It's not prohibiting; just very time consuming."
EDITED = "It's     prohibiting; just very time consuming."  # "not" gone, the length kept
assert len(EDITED) == len(SOURCE)
DRAFT = ("# Notes\n\n## 2.1 What has gone well?\n\nOne interviewee said governance "
         "“{quote}” [I01].\n")


def _corpus(project: Path) -> Path:
    return project / ".summariser" / "corpus.sqlite"


def _stored_text(project: Path, response_id: str) -> str:
    with closing(sqlite3.connect(_corpus(project))) as db:
        return db.execute("SELECT text FROM responses WHERE response_id = ?",
                          (response_id,)).fetchone()[0]


def _edit_in_place(project: Path) -> None:
    """Change the answer's bytes in the database file itself, as a flipped bit or a hex editor
    does: SQLite's own checks find nothing wrong."""
    path = _corpus(project)
    data = path.read_bytes()
    assert data.count(SOURCE.encode()) == 1
    path.write_bytes(data.replace(SOURCE.encode(), EDITED.encode()))
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)


def _edit_by_sql(project: Path) -> None:
    """Change the answer through SQL, as a person with a database browser does."""
    with closing(sqlite3.connect(_corpus(project))) as db, db:
        db.execute("UPDATE responses SET text = ? WHERE text = ?", (EDITED, SOURCE))


@pytest.mark.parametrize("edit", [_edit_in_place, _edit_by_sql], ids=["bytes", "sql"])
def test_an_answer_changed_in_the_corpus_database_is_never_quoted(ingested: Path, edit):
    edit(ingested)
    assert _stored_text(ingested, "interview:t004") == EDITED
    draft = ingested / "drafts" / "notes.md"
    draft.parent.mkdir()
    draft.write_text(DRAFT.format(quote="It's prohibiting"), encoding="utf-8")
    for command in (["eval", str(draft), "-p", str(ingested)],
                    ["ask", "governance", "-p", str(ingested), "--all"],
                    ["draft", "-p", str(ingested)], ["report", "-p", str(ingested)]):
        one_line_error(invoke(*command), "1 stored answer(s)", "changed on disk",
                       "run 'summariser ingest'")
    assert not (ingested / "out").exists()


@pytest.mark.parametrize("edit", [_edit_in_place, _edit_by_sql], ids=["bytes", "sql"])
def test_ingest_restores_a_changed_answer_from_its_source_and_says_so(ingested: Path, edit):
    edit(ingested)
    result = invoke("ingest", "-p", str(ingested))
    assert result.exit_code == 0, result.output
    assert ("Repaired: 1 stored answer(s) had changed on disk since they were ingested; they "
            "were written again from the sources") in flat(result)
    assert _stored_text(ingested, "interview:t004") == SOURCE
    draft = ingested / "drafts" / "notes.md"
    draft.parent.mkdir()
    draft.write_text(DRAFT.format(quote="It's prohibiting"), encoding="utf-8")
    checked = invoke("eval", str(draft), "-p", str(ingested))
    assert checked.exit_code == 1 and "FAIL" in checked.output  # "not" is back: a failing quote
    again = invoke("ingest", "-p", str(ingested))
    assert "(0 embedded, 13 unchanged, 0 removed)" in flat(again) and "Repaired" not in flat(again)


def test_a_changed_attribution_is_found_too(ingested: Path):
    with closing(sqlite3.connect(_corpus(ingested))) as db, db:
        db.execute("UPDATE responses SET respondent = 'R04' WHERE respondent = 'R01'")
    one_line_error(invoke("ask", "budgets", "-p", str(ingested), "--all"), "stored answer(s)")
    assert "Repaired: 2 stored answer(s)" in flat(invoke("ingest", "-p", str(ingested)))


def test_a_corpus_stored_before_answers_kept_hashes_is_read_and_hashed_by_the_next_ingest(
        ingested: Path):
    with closing(sqlite3.connect(_corpus(ingested))) as db, db:
        db.execute("UPDATE responses SET digest = NULL")
    assert invoke("ask", "governance", "-p", str(ingested)).exit_code == 0
    result = invoke("ingest", "-p", str(ingested))
    assert result.exit_code == 0 and "Repaired" not in flat(result), result.output
    with closing(sqlite3.connect(_corpus(ingested))) as db:
        assert db.execute("SELECT COUNT(*) FROM responses WHERE digest IS NULL").fetchone() == (0,)


def _chroma_documents(project: Path) -> sqlite3.Connection:
    return sqlite3.connect(project / ".summariser" / "chroma" / "chroma.sqlite3")


def _change_passage_text(project: Path, old: str, new: str) -> int:
    """Change a passage's document in Chroma's own database, its id left as it was."""
    with closing(_chroma_documents(project)) as db, db:
        changed = db.execute("UPDATE embedding_metadata SET string_value = ? WHERE key = "
                             "'chroma:document' AND string_value = ?", (new, old)).rowcount
    return changed


def test_a_passage_changed_in_the_vector_store_is_never_shown_as_verbatim(ingested: Path):
    assert _change_passage_text(ingested, SOURCE, EDITED) == 1
    for command in (["ask", "governance prohibiting", "-p", str(ingested)],
                    ["ask", "governance prohibiting", "-p", str(ingested), "--all"],
                    ["draft", "-p", str(ingested)]):
        one_line_error(invoke(*command), "1 passage(s) in the vector store",
                       "differ from what was stored under their ids", "run 'summariser ingest'")
    result = invoke("ingest", "-p", str(ingested))
    assert result.exit_code == 0, result.output
    assert "Repaired: 1 passage(s) in the vector store had changed on disk" in flat(result)
    assert "(1 embedded, 12 unchanged, 0 removed)" in flat(result)
    found = invoke("ask", "governance prohibiting", "-p", str(ingested), "--json")
    texts = [hit["text"] for hit in json.loads(found.output)["hits"]]
    assert SOURCE in texts and EDITED not in texts


def test_the_store_refuses_what_fails_its_hash_when_read_directly(ingested: Path):
    from summariser.errors import StoreError

    _edit_by_sql(ingested)
    store = Store(load_manifest(ingested).store_path)
    with pytest.raises(StoreError, match="1 stored answer"):
        store.responses()
