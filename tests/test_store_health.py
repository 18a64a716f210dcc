"""The store follows the manifest and survives damage: ids cover attribution, ingest checks the
vector store against the corpus, damage is one line with the way out (`ingest`, which rebuilds a
vector store it cannot read; `ingest --rebuild` for a damaged corpus database), and
nothing reads or drafts from a store that is empty or mid-ingest. Real Chroma, real embedder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summariser.index.passage_pages import part_name
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from tests.commands import flat, invoke, one_line_error

LONG_CSV = (
    "id,author,team,answer\n"
    "c1,a01,north,\"Waiting lists for physiotherapy are far too long.\"\n"
    "c2,a02,north,\"The waiting lists for physiotherapy keep growing every month.\"\n"
    "c3,a03,south,\"Parking near the clinic is impossible on weekdays.\"\n"
    "c4,a04,south,\"There is never any parking near the clinic.\"\n"
    "c5,a05,east,\"Physiotherapy waiting lists should be the first priority.\"\n"
    "c6,a06,east,\"Parking near the clinic costs far too much.\"\n"
)
LONG_MANIFEST = """
[project]
title = "Long layout"

[[sources]]
id = "comments"
path = "comments.csv"
respondent_column = "author"
response_id_column = "id"
text_column = "answer"
question = "change"

[[questions]]
id = "change"
text = "What should change?"

[[sections]]
id = "changes"
title = "What should change"
questions = ["change"]

[[sections.themes]]
title = "Waiting lists"
phrases = ["waiting lists"]

[[sections.themes]]
title = "Parking"
phrases = ["parking"]
"""


@pytest.fixture
def long_project(tmp_path: Path) -> Path:
    root = tmp_path / "long"
    root.mkdir()
    (root / "summariser.toml").write_text(LONG_MANIFEST, encoding="utf-8")
    (root / "comments.csv").write_text(LONG_CSV, encoding="utf-8")
    return root


def _ask_respondents(project: Path) -> set[str]:
    result = invoke("ask", "waiting lists for physiotherapy", "-p", str(project), "--json",
                    "-k", "5")
    assert result.exit_code == 0, result.output
    return {hit["respondent"] for hit in json.loads(result.output)["hits"]}


# --- the store follows the manifest ------------------------------------------------------------

def test_changing_the_respondent_column_reingests_and_drafts_get_the_new_ids(long_project):
    assert invoke("ingest", "-p", str(long_project)).exit_code == 0
    assert _ask_respondents(long_project) <= {f"a0{n}" for n in range(1, 7)}
    manifest = long_project / "summariser.toml"
    manifest.write_text(LONG_MANIFEST.replace('respondent_column = "author"',
                                              'respondent_column = "team"'))
    result = invoke("ingest", "-p", str(long_project))
    assert result.exit_code == 0, result.output
    assert "(6 embedded, 0 unchanged, 6 removed)" in flat(result)
    assert _ask_respondents(long_project) <= {"north", "south", "east"}
    result = invoke("draft", "-p", str(long_project))
    assert result.exit_code == 0, result.output
    draft = json.loads((long_project / "drafts" / "changes.json").read_text())
    assert draft["denominator"] == 3  # three teams, not five authors
    people = {e["respondent"] for t in draft["themes"] for e in t["evidence"]}
    assert people and people <= {"north", "south", "east"}


def test_renaming_a_question_reingests_and_the_section_still_finds_its_answers(long_project):
    assert invoke("ingest", "-p", str(long_project)).exit_code == 0
    assert invoke("draft", "-p", str(long_project)).exit_code == 0
    before = json.loads((long_project / "drafts" / "changes.json").read_text())
    assert before["themes"]
    renamed = LONG_MANIFEST.replace('"change"', '"improve"')
    (long_project / "summariser.toml").write_text(renamed)
    result = invoke("ingest", "-p", str(long_project))
    assert "(6 embedded, 0 unchanged, 6 removed)" in flat(result)
    result = invoke("draft", "-p", str(long_project))
    assert result.exit_code == 0, result.output
    after = json.loads((long_project / "drafts" / "changes.json").read_text())
    assert after["questions"] == ["improve"] and after["denominator"] == 6
    assert [t["title"] for t in after["themes"]] == [t["title"] for t in before["themes"]]


# --- the vector store is checked against the corpus ---------------------------------------------

def test_a_deleted_vector_store_is_embedded_again_by_ingest(project: Path):
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    shutil.rmtree(project / ".summariser" / "chroma")
    one_line_error(invoke("ask", "workforce", "-p", str(project)), "is missing",
                   "summariser ingest")
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "13 passages stored (13 embedded, 0 unchanged, 0 removed)" in flat(result)
    assert invoke("ask", "workforce", "-p", str(project)).exit_code == 0


def test_passages_lost_from_the_vector_store_are_found_and_embedded_again(project: Path):
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    store = Store(load_manifest(project).store_path)
    collection = store.collection("all-MiniLM-L6-v2-int8")
    held = store.passage_ids(collection)
    gone_well = part_name(("survey", "gone_well"))
    lost = {passage_id: name for passage_id, name in sorted(held.items()) if name == gone_well}
    assert len(lost) == 4
    store.delete_passages(collection, lost)
    store.release_vectors()
    one_line_error(invoke("draft", "-p", str(project)), "holds none of the 4 passages the last "
                   "ingest stored for 'gone_well'", "summariser ingest")
    assert not (project / "drafts" / "gone-well.md").exists()  # the section that lost them
    result = invoke("ingest", "-p", str(project))
    assert "(4 embedded, 9 unchanged, 0 removed)" in flat(result)
    assert store.passage_ids(store.collection("all-MiniLM-L6-v2-int8")).keys() >= lost.keys()


def test_a_garbled_vector_store_is_one_line_and_ingest_repairs_it(project: Path):
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    database = project / ".summariser" / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"not a database at all " * 500)
    one_line_error(invoke("ask", "workforce", "-p", str(project)), "cannot be read",
                   "run 'summariser ingest'")
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "13 passages stored (13 embedded" in flat(result)
    assert "Repaired: the vector store could not be read" in flat(result)
    assert "rebuilt from the corpus" in flat(result)
    assert invoke("ask", "workforce", "-p", str(project)).exit_code == 0


# --- a damaged corpus database ---------------------------------------------------------------

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"\x13" * 100
    path.write_bytes(bytes(data))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_truncate, _garble, _empty], ids=["truncated", "garbled",
                                                                      "zero-bytes"])
def test_a_damaged_corpus_database_is_one_line_everywhere_and_rebuild_repairs_it(
        project: Path, damage):
    big = "".join(f"R{n:02d},\"Answer number {n} about budgets and staff.\",,5,\n"
                  for n in range(10, 400))
    with (project / "responses.csv").open("a") as out:
        out.write(big)  # enough pages that half the file loses some of them
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    assert invoke("draft", "-p", str(project)).exit_code == 0
    draft = project / "drafts" / "gone-well.md"
    good = draft.read_bytes()
    damage(project / ".summariser" / "corpus.sqlite")
    for command in (["ingest", "-p", str(project)], ["draft", "-p", str(project)],
                    ["ask", "budgets", "-p", str(project)], ["report", "-p", str(project)],
                    ["eval", str(project / "drafts" / "gone-well.json"), "-p", str(project)]):
        one_line_error(invoke(*command), "corpus.sqlite is damaged",
                       "'summariser ingest --rebuild'")
    assert draft.read_bytes() == good  # never a draft of "16 of 0" over a good one
    result = invoke("ingest", "-p", str(project), "--rebuild")
    assert result.exit_code == 0, result.output
    assert invoke("ask", "budgets", "-p", str(project)).exit_code == 0
    assert invoke("draft", "-p", str(project)).exit_code == 0


# --- nothing reads a store mid-ingest or empty ---------------------------------------------------

def test_commands_refuse_while_an_ingest_is_unfinished_and_keep_the_drafts(project: Path):
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    assert invoke("draft", "-p", str(project)).exit_code == 0
    drafts = {p.name: p.read_bytes() for p in (project / "drafts").iterdir() if p.is_file()}
    Store(load_manifest(project).store_path).mark_ingest_started()  # as an ingest does first
    for command in (["draft", "-p", str(project)], ["ask", "budgets", "-p", str(project)],
                    ["ask", "budgets", "-p", str(project), "--all"], ["report", "-p", str(project)]):
        one_line_error(invoke(*command), "ingest", "has not finished")
    assert {p.name: p.read_bytes() for p in (project / "drafts").iterdir()
            if p.is_file()} == drafts
    assert not (project / "out").exists()
    assert invoke("ingest", "-p", str(project)).exit_code == 0  # finishing it lets them run again
    assert invoke("ask", "budgets", "-p", str(project)).exit_code == 0


def test_an_empty_store_is_refused_and_no_draft_is_written(project: Path):
    (project / "responses.csv").write_text("Ref,Q1,Q2,Q3,Q4\nR01,,n/a,7,Satisfied\n")
    (project / "summariser.toml").write_text(
        (project / "summariser.toml").read_text().replace('sources = ["interview"]\n', ""))
    (project / "interview.txt").unlink()
    manifest = (project / "summariser.toml").read_text()
    start = manifest.index('[[sources]]\nid = "interview"')
    end = manifest.index("[[questions]]")
    (project / "summariser.toml").write_text(manifest[:start] + manifest[end:])
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    for command in (["draft", "-p", str(project)], ["ask", "budgets", "-p", str(project)],
                    ["report", "-p", str(project)]):
        one_line_error(invoke(*command), "holds no answers")
    assert not (project / "drafts").exists() and not (project / "out").exists()


def _into_earlier_layout(project: Path) -> None:
    """Put the store's passages back into the one collection earlier versions kept, vectors
    and all, as they wrote it (no list of parts in the corpus database)."""
    import sqlite3

    import chromadb

    client = chromadb.PersistentClient(path=str(project / ".summariser" / "chroma"))
    legacy = client.create_collection("passages", embedding_function=None,
                                      metadata={"embedder": "all-MiniLM-L6-v2-int8"},
                                      configuration={"hnsw": {"space": "cosine"}})
    for listed in client.list_collections():
        if listed.name.startswith("passages-"):
            rows = client.get_collection(listed.name, embedding_function=None).get(
                include=["documents", "metadatas", "embeddings"])
            legacy.add(ids=rows["ids"], documents=rows["documents"],
                       metadatas=rows["metadatas"], embeddings=rows["embeddings"])
            client.delete_collection(listed.name)
    with sqlite3.connect(project / ".summariser" / "corpus.sqlite") as db:
        db.execute("DELETE FROM meta WHERE key = 'parts'")
    db.close()


def test_a_store_of_an_earlier_version_is_moved_by_ingest_without_embedding(project: Path):
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    store = Store(load_manifest(project).store_path)
    before = store.passage_ids(store.collection("all-MiniLM-L6-v2-int8"))
    store.release_vectors()
    _into_earlier_layout(project)
    one_line_error(invoke("ask", "workforce", "-p", str(project)),
                   "keeps its passages as an earlier version did", "summariser ingest")
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert ("13 passages stored (0 embedded, 13 unchanged, 0 removed)" in flat(result)
            and "13 moved from an earlier version's store" in flat(result))
    store = Store(load_manifest(project).store_path)
    assert store.passage_ids(store.collection("all-MiniLM-L6-v2-int8")) == before
    assert store.collection("all-MiniLM-L6-v2-int8", create=True).legacy is None
    # One index folder per part; the old collection's, which Chroma leaves, is removed.
    folders = [p for p in (project / ".summariser" / "chroma").iterdir() if p.is_dir()]
    assert len(folders) == len(set(before.values())) == 3
    store.release_vectors()
    assert invoke("ask", "workforce", "-p", str(project)).exit_code == 0
    again = invoke("ingest", "-p", str(project))
    assert "(0 embedded, 13 unchanged, 0 removed) with" in flat(again)
    assert "earlier version" not in flat(again)


def test_a_move_interrupted_is_finished_by_the_next_ingest(project: Path, monkeypatch):
    from summariser.index import passage_pages, vectors

    assert invoke("ingest", "-p", str(project)).exit_code == 0
    store = Store(load_manifest(project).store_path)
    before = store.passage_ids(store.collection("all-MiniLM-L6-v2-int8"))
    store.release_vectors()
    _into_earlier_layout(project)
    monkeypatch.setattr(passage_pages, "PAGE", 5)
    monkeypatch.setattr(vectors, "MOVE_CHUNK", 5)  # three chunks of 13 passages
    write = vectors.PassageCollections.write
    written = []

    def interrupted(self, passages, *args):
        written.append(len(passages))
        if len(written) == 2:
            raise KeyboardInterrupt
        return write(self, passages, *args)

    monkeypatch.setattr(vectors.PassageCollections, "write", interrupted)
    assert invoke("ingest", "-p", str(project)).exit_code != 0
    assert written == [5, 5]
    one_line_error(invoke("ask", "workforce", "-p", str(project)), "has not finished",
                   "summariser ingest")
    monkeypatch.setattr(vectors.PassageCollections, "write", write)
    result = invoke("ingest", "-p", str(project))
    assert ("13 passages stored (0 embedded, 13 unchanged, 0 removed)" in flat(result)
            and "13 moved from an earlier version's store" in flat(result)), result.output
    store = Store(load_manifest(project).store_path)
    assert store.passage_ids(store.collection("all-MiniLM-L6-v2-int8")) == before
