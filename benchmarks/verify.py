"""Benchmark the quote verifier: 10,000 quotes against 100,000 responses.

    .venv/bin/python benchmarks/verify.py [--responses 100000] [--quotes 10000] [--seed 20171]
                                          [--json]

The corpus is generated from a word-bigram chain over the Polis Bowling Green statements, so its
vocabulary and common phrases are real and word trigrams collide across responses as they do in
a large consultation; 2% of responses are interview turns, half of them the interviewer's. Quotes
are half valid (re-flowed spans, capitalised, curly quotes, ellipsis joins, [insertions]) and half
corrupted (a word substituted, deleted or inserted, truncated mid-word, spliced from two
respondents, attributed to the wrong respondent); half are attributed (by response id or by
respondent and question) and half not (searched in the whole corpus or in the section's
questions). Prints wall and CPU times (CPU time is what to compare on a busy machine) of the
index build (also for the example corpus) and of the checks, quotes per second and peak RSS.
Not run in CI: it takes about a minute and under a gigabyte of memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import time
import timeit
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HSCP, load_average

from summariser.records import Response
from summariser.verify import CorpusIndex, QuoteClaim

POLIS = (Path(__file__).resolve().parents[1].parent
         / "shared/corpora/polis-bowling-green/comments.csv")
QUESTIONS = [f"Q{n}" for n in range(1, 9)]
ELLIPSES = ["...", "…", " . . . ", " [...] ", " (...) "]


def bigram_chain(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Successor lists (repeats kept, so a choice is frequency-weighted) and sentence starts."""
    successors: dict[str, list[str]] = {}
    starts: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            words = row["comment-body"].split()
            if len(words) < 2:
                continue
            starts.append(words[0])
            for a, b in zip(words, words[1:]):
                successors.setdefault(a, []).append(b)
    return successors, starts


def generate_corpus(count: int, rng: random.Random) -> list[Response]:
    successors, starts = bigram_chain(POLIS)
    responses = []
    interview_turns = count // 50
    for i in range(count):
        length = int(rng.triangular(5, 120, 20))
        word = rng.choice(starts)
        words = [word]
        while len(words) < length:
            word = rng.choice(successors.get(word) or starts)
            words.append(word)
        text = " ".join(words)
        if i % 7 == 0:  # some answers carry line breaks and double spaces, as pasted text does
            text = text.replace(". ", ".\n", 1).replace(", ", ",  ", 1)
        if i < interview_turns:  # 40-turn interviews, interviewer and participant in turn
            interview = i // 40
            responses.append(Response(
                f"int{interview}-t{i}", f"I{interview:03d}", "interview", f"interview-{interview}",
                f"interviews/interview-{interview:03d}.txt", text, row=i % 40 + 1,
                speaker="Interviewer" if i % 2 == 0 else "Participant", is_participant=i % 2 == 1,
            ))
        else:
            respondent, question = divmod(i, len(QUESTIONS))
            responses.append(Response(
                f"r{i}", f"R{respondent:05d}", QUESTIONS[question], "survey",
                "survey/responses.csv", text, row=respondent + 1,
            ))
    return responses


def span(words: list[str], rng: random.Random, low: int = 4, high: int = 25) -> tuple[int, int]:
    size = rng.randint(low, min(high, len(words)))
    start = rng.randint(0, len(words) - size)
    return start, start + size


def valid_quote(response: Response, rng: random.Random) -> str | None:
    words = response.text.split()
    if len(words) < 12:
        return None
    form = rng.randrange(5)
    if form == 0:
        a, b = span(words, rng)
        return " ".join(words[a:b])
    if form == 1:
        a, b = span(words, rng)
        quote = " ".join(words[a:b])
        return quote[0].upper() + quote[1:]
    if form == 2:
        a, b = span(words, rng)
        return " ".join(words[a:b]).replace("'", "’").replace('"', "“")
    a = rng.randint(0, len(words) - 12)
    if form == 3:
        return " ".join(words[a : a + 4]) + rng.choice(ELLIPSES) + " ".join(words[a + 7 : a + 11])
    return " ".join(words[a : a + 4]) + " [they] " + " ".join(words[a + 6 : a + 10])


def corrupt_quote(response: Response, other: Response, vocabulary: list[str],
                  rng: random.Random) -> str | None:
    words = response.text.split()
    if len(words) < 8:
        return None
    a, b = span(words, rng, low=6)
    quote = words[a:b]
    form = rng.randrange(5)
    position = rng.randrange(1, len(quote) - 1)
    if form == 0:
        quote[position] = rng.choice(vocabulary)
    elif form == 1:
        del quote[position]
    elif form == 2:
        quote.insert(position, rng.choice(vocabulary))
    elif form == 3:
        if len(quote[-1]) < 5 or not quote[-1].isalpha():
            return None
        quote[-1] = quote[-1][:-2]
    else:
        other_words = other.text.split()
        c = rng.randint(0, max(0, len(other_words) - 4))
        quote = quote[: len(quote) // 2] + other_words[c : c + 4]
    return " ".join(quote)


def make_claims(responses: list[Response], count: int, rng: random.Random
                ) -> list[tuple[QuoteClaim, bool]]:
    """(claim, meant to be valid) pairs: alternately valid and corrupted, four attributions."""
    vocabulary = sorted({w for r in responses[:2000] for w in r.text.split()})
    survey = [r for r in responses if r.is_participant and r.question != "interview"]
    claims: list[tuple[QuoteClaim, bool]] = []
    while len(claims) < count:
        response, other = rng.choice(survey), rng.choice(survey)
        valid = len(claims) % 2 == 0
        quote = (valid_quote(response, rng) if valid
                 else corrupt_quote(response, other, vocabulary, rng))
        if quote is None:
            continue
        attribution = (len(claims) // 2) % 4
        if not valid and attribution == 3:  # a correct quote, someone else's name on it
            quote = " ".join(response.text.split()[:8])
            claims.append((QuoteClaim(quote, respondent=other.respondent), False))
        elif attribution == 0:
            claims.append((QuoteClaim(quote, response_id=response.response_id), valid))
        elif attribution == 1:
            claim = QuoteClaim(quote, respondent=response.respondent,
                               questions=(response.question,))
            claims.append((claim, valid))
        else:
            scope = tuple(QUESTIONS) if attribution == 2 else None
            claims.append((QuoteClaim(quote, questions=scope), valid))
    return claims


def timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20171)
    parser.add_argument("--json", action="store_true", help="JSON on stdout, the report on stderr.")
    args = parser.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout
    rng = random.Random(args.seed)
    # Other work on the machine slows everything: say how busy and how fast it is, to compare runs.
    reference = min(timeit.repeat("sum(range(10**6))", number=1, repeat=5))
    figures: dict = {"load_before": load_average(), "sum_range_1e6_s": round(reference, 4)}
    print(f"machine      load average {figures['load_before']} on {os.cpu_count()} cores; "
          f"sum(range(10**6)) takes {reference * 1000:.0f} ms", file=out)

    # The example corpus: the index `draft`, `eval` and `ask --answer` build for it in memory.
    from summariser.project.manifest import load_manifest
    from summariser.project.sources import read_corpus

    example = read_corpus(load_manifest(HSCP)).responses
    _, wall, cpu = min((timed(CorpusIndex.build, example) for _ in range(5)),
                       key=lambda run: run[2])
    figures |= {"example_responses": len(example), "example_build_wall_ms": round(wall * 1000, 1),
                "example_build_cpu_ms": round(cpu * 1000, 1)}
    print(f"example      {len(example)} responses of {HSCP.name}: index build {wall * 1000:.1f} ms "
          f"wall, {cpu * 1000:.1f} ms CPU (best of 5)", file=out)

    responses, wall, _ = timed(generate_corpus, args.responses, rng)
    words = sum(len(r.text.split()) for r in responses)
    print(f"corpus       {len(responses):,} responses, {words:,} words (generated in {wall:.1f} s)",
          file=out)

    index, wall, cpu = timed(CorpusIndex.build, responses)
    figures |= {"responses": len(responses), "build_wall_s": round(wall, 2),
                "build_cpu_s": round(cpu, 2)}
    print(f"index build  {wall:.2f} s wall, {cpu:.2f} s CPU (corpus_hash {index.corpus_hash})",
          file=out)

    claims = make_claims(responses, args.quotes, rng)
    quotes = [claim for claim, _ in claims]
    results, wall, cpu = timed(index.verify_many, quotes)
    figures |= {"quotes": len(quotes), "verify_wall_s": round(wall, 2),
                "verify_cpu_s": round(cpu, 2), "quotes_per_s": round(len(quotes) / wall)}
    print(f"verify       {len(quotes):,} quotes: {wall:.2f} s wall, {cpu:.2f} s CPU = "
          f"{len(quotes) / wall:,.0f} quotes/s ({wall / len(quotes) * 1e6:.0f} us/quote)", file=out)
    for valid in (True, False):
        for attributed in (True, False):
            group = [c for c, v in claims if v == valid
                     and (c.response_id is not None or c.respondent is not None) == attributed]
            _, _, cpu = timed(index.verify_many, group)
            label = f"{'valid' if valid else 'corrupted'}, {'' if attributed else 'un'}attributed"
            figures[f"us_per_quote {label}"] = round(cpu / len(group) * 1e6)
            print(f"  {label:<25}{len(group):>6} quotes, {cpu / len(group) * 1e6:5.0f} us CPU each",
                  file=out)

    statuses = Counter(result.status.value for result in results)
    valid_count = sum(valid for _, valid in claims)
    passed = sum(r.passed for r, (_, valid) in zip(results, claims) if valid)
    failed = sum(not r.passed for r, (_, valid) in zip(results, claims) if not valid)
    print(f"outcomes     {dict(sorted(statuses.items()))}", file=out)
    print(f"             valid passed {passed}/{valid_count}; corrupted failed "
          f"{failed}/{len(claims) - valid_count} (a corruption may happen to be real text in a "
          "generated corpus, so these need not be exact)", file=out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures |= {"statuses": dict(sorted(statuses.items())), "peak_rss_mib": round(peak),
                "load_after": load_average()}
    print(f"peak RSS     {peak:,.0f} MiB; load average after {figures['load_after']}", file=out)
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
