"""Benchmark the choice of engine: the embedding batch job of ingest, local, on Dask and on Ray.

    .venv/bin/python benchmarks/engines.py --work /tmp/engines            # 10,000 answers
    .venv/bin/python benchmarks/engines.py --work /tmp/engines --modes local,dask

Needs both engines installed (`pip install ray distributed`; the product itself ships only
the one chosen, as the `dask` extra). The passages are those ingest would embed for a
generated 10,000-answer corpus (_common.generate_corpus), cut into the batches the store
writes (per part, sorted by length, 256 passages). Each mode runs in its own subprocess:
  local  one MiniLMEmbedder with the machine's threads (2 here), batch after batch;
  local-1  the same with one thread;
  dask   a LocalCluster of two worker processes (one thread each), one embedder per worker;
  ray    ray.init with two CPUs, a task per batch, one embedder per worker process.
Reported per mode: start-up (cluster up and every worker's embedder loaded), embedding time,
total wall, peak RSS of the driver and all its child processes together (sampled every
0.2 s), and the largest difference from the local vectors. Run by hand, one at a time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, generate_corpus, load_average, print_table

BATCH = 256
WORKERS = 2


def batches(project: Path) -> list[list[str]]:
    """The texts ingest embeds, in the batches the store hands the embedder."""
    from summariser.index.passage_pages import by_part
    from summariser.index.split import split_all
    from summariser.project.manifest import load_manifest
    from summariser.project.sources import read_corpus

    passages = split_all(read_corpus(load_manifest(project)).responses)
    out = []
    for _, members in sorted(by_part(passages).items()):
        members.sort(key=lambda p: len(p.text))
        out += [[p.text for p in members[i:i + BATCH]] for i in range(0, len(members), BATCH)]
    return out


class PeakRSS:
    """The peak of this process's RSS plus all its descendants', sampled."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for proc in [self._me, *self._me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def _embed(texts: list[str]):
    """What each task runs: the product's own worker function (one embedder per worker
    process, made on its first batch, with OMP_NUM_THREADS threads)."""
    from summariser.index.embedders import embed_on_worker

    return embed_on_worker("minilm", texts)


def run_local(work: list[list[str]], threads: int | None = None) -> tuple[float, list]:
    from summariser.index.embedders import MiniLMEmbedder

    started = time.perf_counter()
    embedder = MiniLMEmbedder(threads=threads)  # default: the machine's cores, up to 4
    up = time.perf_counter() - started
    return up, [embedder.embed(b) for b in work]


def run_dask(work: list[list[str]]) -> tuple[float, list]:
    from dask.distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    client.run(_embed, ["warm up"])  # every worker loads its embedder
    up = time.perf_counter() - started
    futures = [client.submit(_embed, b, pure=False) for b in work]
    vectors = client.gather(futures)
    client.close()
    cluster.close()
    return up, vectors


def run_ray(work: list[list[str]]) -> tuple[float, list]:
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=WORKERS, include_dashboard=False, logging_level="ERROR",
             runtime_env={"env_vars": {"OMP_NUM_THREADS": "1"}})
    remote = ray.remote(num_cpus=1)(_embed)
    ray.get([remote.remote(["warm up"]) for _ in range(WORKERS)])
    up = time.perf_counter() - started
    vectors = ray.get([remote.remote(b) for b in work])
    ray.shutdown()
    return up, vectors


def child(mode: str, project: Path, out: Path) -> None:
    import numpy as np

    work = batches(project)
    memory = PeakRSS()
    cpu = time.process_time()
    started = time.perf_counter()
    runs = {"local": run_local, "local-1": lambda w: run_local(w, threads=1),
            "dask": run_dask, "ray": run_ray}
    up, vectors = runs[mode](work)
    wall = time.perf_counter() - started
    peak = memory.stop()
    np.save(out / f"{mode}.npy", np.vstack(vectors))
    print(json.dumps({"mode": mode, "batches": len(work), "passages": sum(map(len, work)),
                      "startup_s": up, "embed_s": wall - up, "wall_s": wall,
                      "driver_cpu_s": time.process_time() - cpu, "peak_rss_mib": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--modes", type=lambda s: s.split(","),
                        default=["local", "local-1", "dask", "ray"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    project = args.work / str(args.answers)
    if args.child:
        child(args.child[0], project, Path(args.child[1]))
        return
    import numpy as np

    if not (project / "summariser.toml").exists():
        generate_corpus(project, args.answers)
    results = []
    for mode in args.modes:
        before = load_average()
        print(f"... {mode} (load {before})", file=sys.stderr, flush=True)
        if (args.work / f"{mode}.json").exists():  # measured before: kept
            results.append(json.loads((args.work / f"{mode}.json").read_text()))
            continue
        done = subprocess.run([PYTHON, __file__, "--work", str(args.work), "--answers",
                               str(args.answers), "--child", mode, str(args.work)],
                              capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(row | {"load_before": before, "load_after": load_average()})
        (args.work / f"{mode}.json").write_text(json.dumps(results[-1]))
    local = args.work / "local.npy"
    if local.exists():
        reference = np.load(local)
        for row in results:
            vectors = np.load(args.work / f"{row['mode']}.npy")
            row["max_diff_from_local"] = f"{float(np.abs(vectors - reference).max()):.1e}"
    out = sys.stderr if args.json else sys.stdout
    print_table(f"Embedding {results[0]['passages']:,} passages ({results[0]['batches']} "
                f"batches of up to {BATCH}); {WORKERS} workers x 1 thread on the engines",
                ["mode", "start-up s", "embedding s", "wall s", "peak RSS MiB (all)",
                 "max |diff| vs local", "load before", "load after"],
                [[r["mode"], r["startup_s"], r["embed_s"], r["wall_s"], r["peak_rss_mib"],
                  r.get("max_diff_from_local", "-"), r["load_before"], r["load_after"]]
                 for r in results], file=out)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
