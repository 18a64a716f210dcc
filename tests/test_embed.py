import json
from pathlib import Path

import numpy as np
import pytest

from summariser.errors import ModelError
from summariser.index import embedders as embed

FIXTURE = Path(__file__).parent / "fixtures" / "minilm-reference.json"


def test_int8_model_matches_fp32_sentence_transformers_reference(minilm):
    reference = json.loads(FIXTURE.read_text())
    vectors = minilm.embed(reference["sentences"])
    cosines = (vectors * np.array(reference["vectors"])).sum(axis=1)
    assert vectors.shape == (20, 384)
    assert cosines.min() >= 0.99, cosines


def test_vectors_are_unit_length_and_order_preserved(minilm):
    texts = ["short", "a much longer sentence about budgets and governance", "short"]
    vectors = minilm.embed(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2], atol=1e-6)
    single = minilm.embed([texts[1]])[0]
    assert float(single @ vectors[1]) > 0.999  # batching with shorter texts changes nothing


def test_model_file_with_wrong_checksum_is_refused(tmp_path: Path, monkeypatch):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    monkeypatch.setattr(embed, "package_file", lambda package, name: fake)
    embed._verified_minilm_path.cache_clear()
    try:
        with pytest.raises(ModelError, match="not the expected model"):
            embed._verified_minilm_path()
    finally:
        embed._verified_minilm_path.cache_clear()


def test_openai_embedder_without_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelError, match="set OPENAI_API_KEY"):
        embed.make_embedder("openai:text-embedding-3-small")


def test_unknown_embedder_lists_the_choices():
    with pytest.raises(ModelError, match="use 'minilm'"):
        embed.make_embedder("word2vec")


def test_an_embedder_registered_by_prefix_is_made_by_name(monkeypatch):
    from summariser.testing import HashEmbedder

    monkeypatch.setattr(embed, "_EMBEDDERS", dict(embed._EMBEDDERS))  # this test's registry
    embed.register_embedder("hash:", lambda model: HashEmbedder() if model else None)
    assert isinstance(embed.make_embedder("hash:any"), HashEmbedder)
    with pytest.raises(ModelError, match="Unknown embedder 'hash:'"):
        embed.make_embedder("hash:")
    with pytest.raises(ModelError, match="Unknown embedder 'sentence-transformers:'"):
        embed.make_embedder("sentence-transformers:")
    assert isinstance(embed.make_embedder("minilm"), embed.MiniLMEmbedder)
