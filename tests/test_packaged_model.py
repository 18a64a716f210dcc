"""A model shipped on PyPI in parts is joined on first use, checked, and never half-written."""

import hashlib
from pathlib import Path

import pytest

from summariser.draft.packaged import PackagedModel, file_identity, packaged_path
from summariser.errors import MissingDependency, ModelError


def _parts(root: Path, chunks: list[bytes]) -> None:
    for number, chunk in enumerate(chunks, 1):
        data = root / f"fake_model_part{number}" / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("")
        (data / f"part{number:02d}.bin").write_bytes(chunk)


def _model(chunks: list[bytes], sha256: str | None = None, parts: int | None = None):
    whole = b"".join(chunks)
    return PackagedModel("fake", "fake.gguf", "fake_model_part", parts or len(chunks), len(whole),
                         sha256 or hashlib.sha256(whole).hexdigest(), "fake-model-part1 … -part3")


def test_parts_are_joined_in_order_once(tmp_path, monkeypatch):
    chunks = [b"GGUF" + b"a" * 100, b"b" * 100, b"c" * 7]
    _parts(tmp_path / "site", chunks)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("SUMMARISER_CACHE", str(tmp_path / "cache"))
    model = _model(chunks)
    path = packaged_path(model, progress=False)
    assert path == tmp_path / "cache" / "fake.gguf" and path.read_bytes() == b"".join(chunks)
    assert list((tmp_path / "cache").iterdir()) == [path]  # no partial file left
    (tmp_path / "site" / "fake_model_part2" / "data" / "part02.bin").unlink()
    assert packaged_path(model, progress=False) == path  # the cache serves it from now on
    assert file_identity(path) == hashlib.sha256(b"".join(chunks)).hexdigest()


def test_a_join_that_does_not_match_its_hash_is_refused_and_removed(tmp_path, monkeypatch):
    chunks = [b"a" * 10, b"b" * 10]
    _parts(tmp_path / "site", chunks)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("SUMMARISER_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ModelError, match="not the published model; reinstall"):
        packaged_path(_model(chunks, sha256="0" * 64), progress=False)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_missing_part_names_what_to_install(tmp_path, monkeypatch):
    chunks = [b"a" * 10, b"b" * 10]
    _parts(tmp_path / "site", chunks)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("SUMMARISER_CACHE", str(tmp_path / "cache"))
    with pytest.raises(MissingDependency, match="fake-model-part1"):
        packaged_path(_model(chunks, parts=3), progress=False)
