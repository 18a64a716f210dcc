"""Where batch work runs: in this process (`local`, the default), or on a Dask cluster (`dask`).

Two jobs hand work to an engine: ingest's embedding (one task per batch of passages, each
worker keeping one embedder) and drafting's coding (one task per chunk of a section's
segments). Both ask for the same thing: a function mapped over items, its results back in the
items' order, at most `window` items in flight so memory stays bounded whatever the corpus.
Results arrive in order, so the store is written in the order a local run writes it, and a
cluster's draft is the local draft.

Dask (dask.distributed) was chosen over Ray by measurement (docs/scale.md): on two cores it
started in a fraction of Ray's time and memory, installs as 2.5 MB of pure Python against
Ray's 79 MB wheel, and a lost worker's tasks are rescheduled by its scheduler on the workers
left, so a lost worker costs only the batches it held. It is an optional extra:
`pip install "summariser[dask]"`. `--cluster ADDRESS` joins a running scheduler
(`dask scheduler`, `dask worker ADDRESS` on each machine, with this package installed);
without it, a cluster of one single-threaded worker process per core is started on this
machine, and stopped at the end.
"""

from __future__ import annotations

import importlib.util
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol, TypeVar

from summariser.errors import EngineError, MissingDependency

ENGINES = ("local", "dask")
DEFAULT_ENGINE = "local"
# Dask retries a task that raised this many times (a lost worker's tasks are rescheduled
# without counting: up to the scheduler's allowed failures).
RETRIES = 1

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    name: str

    def map(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None
            ) -> Generator[R, None, None]:
        """`fn` over `items`, results in the items' order as they are ready; at most `window`
        (default: two per worker) submitted and not yet returned. Close it to stop early."""
        ...


class LocalEngine:
    """This process, one item after another."""

    name = "local"

    def map(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None
            ) -> Generator[R, None, None]:
        return (fn(item) for item in items)


LOCAL = LocalEngine()


class DaskEngine:
    """A dask.distributed client: tasks run in the cluster's worker processes. The client (and
    a local cluster) is made when the first task is submitted, so a run with nothing to do
    (an unchanged ingest) starts no cluster."""

    name = "dask"

    def __init__(self, connect: Callable[[], Any]):
        self._connect = connect
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._connect()
        return self._client

    @property
    def workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None
            ) -> Generator[R, None, None]:
        pending: deque[Any] = deque()
        limit = window or 2 * self.workers
        try:
            for item in items:
                pending.append(self._submit(fn, item))
                if len(pending) >= limit:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for future in pending:  # stopped early: the rest are not wanted
                future.cancel()

    def _submit(self, fn: Callable[[T], R], item: T) -> Any:
        # pure=False: two equal batches are two tasks, never one result shared by key.
        return self.client.submit(fn, item, pure=False, retries=RETRIES)

    def _result(self, future: Any) -> Any:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            raise EngineError(f"A task failed on every worker that ran it ({exc}); what was "
                              "finished is kept: check the workers' logs, then run the "
                              "command again") from None
        finally:
            future.release()


def engine_names() -> str:
    return ", ".join(f"'{n}'" for n in ENGINES)


@contextmanager
def open_engine(name: str = DEFAULT_ENGINE, cluster: str | None = None) -> Iterator[Engine]:
    """The engine by name, ready to map; what it started (a client, a local cluster) is
    stopped on exit."""
    if name == "local":
        if cluster:
            raise EngineError("--cluster needs --engine dask: the local engine runs in this "
                              "process")
        yield LOCAL
        return
    if name != "dask":
        raise EngineError(f"Unknown engine '{name}'; use {engine_names()}")
    if importlib.util.find_spec("distributed") is None:
        raise MissingDependency("distributed", "dask", "--engine dask")
    with ExitStack() as started:
        yield DaskEngine(lambda: started.enter_context(_client(cluster)))


@contextmanager
def _client(cluster: str | None) -> Iterator[Any]:
    import logging

    import distributed

    if cluster:
        try:
            client = distributed.Client(cluster, timeout=30)
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"Cannot reach the Dask scheduler at {cluster} ({exc}); start "
                              "it ('dask scheduler') or check --cluster") from None
        with client:
            yield client
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    with distributed.LocalCluster(n_workers=cores, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as local, \
            distributed.Client(local) as client:
        yield client
