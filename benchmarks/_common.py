"""Helpers shared by the hand-run benchmarks (not a test module: pytest only collects tests/).

The benchmarks never write into the repository: every project they run is a copy of its
manifest in a temporary directory, with source paths made absolute so the data is read in place.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("summariser"))
HSCP = REPO / "corpus" / "hscp-2017"
POLIS = REPO / "corpus" / "polis-bowling-green"
CORPORA = {"hscp-2017": HSCP, "polis": POLIS}
PATH_LINE = re.compile(r'^(\s*path\s*=\s*)"([^"]+)"', re.MULTILINE)


def temp_project(project: Path, dest: Path) -> Path:
    """Copy `project`'s manifest into `dest` with absolute source paths; returns `dest`.

    The run log (runs.sqlite), drafts and the default store then live in `dest`, not the repo.
    """
    text = (project / "summariser.toml").read_text(encoding="utf-8")
    text = PATH_LINE.sub(lambda m: m[1] + json.dumps(str((project / m[2]).resolve())), text)
    if "allow_outside" not in text:  # the sources now lie outside the copy's folder
        text = text.replace("[project]\n", "[project]\nallow_outside = true\n", 1)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "summariser.toml").write_text(text, encoding="utf-8")
    return dest


# --- the generated corpus ------------------------------------------------------------------------

GENERATED_QUESTIONS = {
    "improve": "What one thing would most improve the services in your area?",
    "concerns": "What concerns you most about how local services are run?",
    "other": "Is there anything else you would like to tell us?",
}
OPENERS = ["I think ", "Honestly, ", "In my view, ", "For me, ", "Also, ", "Personally, "]
BLANK_SHARE = 0.04  # share of cells left blank or "n/a", as in a real export


def sentence_pool() -> list[str]:
    """Real sentences: the Polis statements and the example corpus's answers and turns."""
    from summariser.project.manifest import load_manifest
    from summariser.project.sources import read_corpus
    from summariser.text.sentences import sentence_spans

    texts = [r.text for project in CORPORA.values()
             for r in read_corpus(load_manifest(project)).responses if r.is_participant]
    with polis_csv().open(encoding="utf-8", newline="") as handle:
        texts += [row["comment-body"] for row in csv.DictReader(handle)]  # rejected ones too
    pool = {" ".join(text[a:b].split()) for text in texts for a, b in sentence_spans(text)}
    return sorted(s for s in pool if len(s.split()) >= 3)


def polis_csv() -> Path:
    """The Polis statements file, read from its manifest so the two never disagree."""
    match = PATH_LINE.search((POLIS / "summariser.toml").read_text(encoding="utf-8"))
    assert match, "the Polis manifest has no path line"
    return (POLIS / match[2]).resolve()


def _vary(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Light variation so the answers are not copies: an opener, a swapped word, case."""
    words = sentence.split()
    roll = rng.random()
    if roll < 0.15:
        words[0] = words[0][:1].lower() + words[0][1:]
        words.insert(0, rng.choice(OPENERS).strip())
    elif roll < 0.30 and len(words) > 4:
        words[rng.randrange(1, len(words) - 1)] = rng.choice(vocabulary)
    elif roll < 0.35:
        words[-1] = words[-1].rstrip(".!?")
    return " ".join(words)


def _answer(rng: random.Random, pool: list[str], vocabulary: list[str]) -> str:
    # Lognormal lengths (median ~25 words) clipped to 5..120, like free-text survey answers.
    target = min(120, max(5, round(rng.lognormvariate(3.2, 0.75))))
    words: list[str] = []
    while len(words) < target:
        words += _vary(rng.choice(pool), rng, vocabulary).split()
    if len(words) > target:
        words = words[:target]
        words[-1] = words[-1].rstrip(",;:") + "."
    return " ".join(words)


def generate_corpus(dest: Path, responses: int = 10_000, seed: int = 2017) -> Path:
    """A wide CSV (respondent id + three free-text questions) with exactly `responses`
    non-blank answers, and its manifest; returns the project directory `dest`."""
    rng = random.Random(seed)
    pool = sentence_pool()
    vocabulary = sorted({w for s in pool for w in s.split() if w.isalpha() and len(w) > 3})
    dest.mkdir(parents=True, exist_ok=True)
    written = 0
    with (dest / "responses.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["RespondentId", *[f"Q{n}" for n in range(1, len(GENERATED_QUESTIONS) + 1)]])
        row = 0
        while written < responses:
            row += 1
            cells = []
            for _ in GENERATED_QUESTIONS:
                if written == responses or rng.random() < BLANK_SHARE:
                    cells.append(rng.choice(["", "n/a"]))
                else:
                    cells.append(_answer(rng, pool, vocabulary))
                    written += 1
            out.writerow([f"G{row:05d}", *cells])
    columns = ", ".join(f'{q} = "Q{n}"' for n, q in enumerate(GENERATED_QUESTIONS, 1))
    toml = ['[project]\ntitle = "Generated benchmark corpus"\n',
            ('[[sources]]\nid = "survey"\npath = "responses.csv"\nrespondent_column = '
             f'"RespondentId"\ncolumns = {{{columns}}}\n')]
    for qid, text in GENERATED_QUESTIONS.items():
        toml.append(f'[[questions]]\nid = "{qid}"\ntext = "{text}"\nkind = "text"\n')
        toml.append(f'[[sections]]\nid = "{qid}"\ntitle = "{text}"\nquestions = ["{qid}"]\n')
    (dest / "summariser.toml").write_text("\n".join(toml), encoding="utf-8")
    return dest


# --- measuring ---------------------------------------------------------------------------------

def run_measured(command: Sequence[str], env: dict[str, str] | None = None,
                 tree: bool = False, stderr: list[str] | None = None) -> tuple[float, int, str]:
    """Run a subprocess: (wall seconds, its own peak RSS in MiB, stdout).

    os.wait4 gives the rusage of that one child (RUSAGE_CHILDREN would be the maximum over every
    child so far), so each run's peak RSS is its own. With `tree`, the peak is of the sum over
    the child and all its descendants (a cluster's workers), sampled every 0.2 s. `stderr`, a
    list, receives the child's standard error.
    """
    # Output goes to temporary files, not pipes: communicate() would reap the child itself.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True,
                                env={**os.environ, **(env or {})})
        sampler = TreeRSS(proc.pid) if tree else None
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        peak = sampler.stop() if sampler else usage.ru_maxrss // 1024  # KiB on Linux
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, errors = out.read(), err.read()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{errors[-3000:]}")
    if stderr is not None:
        stderr.append(errors)
    return wall, peak, stdout


class TreeRSS:
    """The peak of a process's RSS plus all its descendants', sampled in a thread (psutil)."""

    def __init__(self, pid: int) -> None:
        import threading

        import psutil

        self._root = psutil.Process(pid)
        self._peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._done.is_set():
            total = 0
            try:
                family = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                family = []
            for proc in family:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self._peak = max(self._peak, total)
            self._done.wait(0.2)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self._peak // 2**20


def load_average() -> str:
    """The 1/5/15-minute load average: other work on the machine slows every figure."""
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def median_of(values: Sequence[float]) -> float:
    return statistics.median(values)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                file: Any = None) -> None:
    """A plain fixed-width table; numbers right-aligned."""
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] in ("", "-") for row in rows)
               for i in range(len(headers))]
    def line(row):
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(row, widths, numeric))

    print(f"\n{title}", file=file)
    print(line(list(headers)), file=file)
    print("  ".join("-" * w for w in widths), file=file)
    for row in cells:
        print(line(row), file=file)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
