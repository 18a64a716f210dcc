"""Mutation suite for the publication gate: real text, valid quoting forms, and corruptions, each
checked as `summariser eval` checks a draft, on corpora with their own id formats.

    python evals/mutations.py [--seed 20171] [--per-kind 200] [--suite NAME ...]

Suites (corpora):
- `example`: `corpus/hscp-2017`: survey answers, interview turns and meeting notes; ids like
  `R07`, `I01`, `COG` and response ids like `survey:R07:gone_well`;
- `polis`: the Polis Bowling Green statements, read in place from shared/corpora (CC BY 4.0:
  data gathered using the Polis software, sub-licensed under CC BY 4.0 with attribution to The
  Computational Democracy Project), with their numeric author ids (`1756`) and statement ids
  (`comments:895`);
- `multi-word ids`: the example survey's answers with every respondent renamed to an id with
  spaces, `&`, `/`, `-` or `.` (`HSCP S&C 1003`, `North/East Ward 1`, `C. Smith-Jones`,
  `Area 3 - Rural.South`), made here.

A case is one paragraph of a Markdown draft, under its section's heading: a lead-in, the quote in
quote marks, and a citation of the respondent, of the response, or none. A kind's cases make one
draft, parsed and checked by the gate (`summariser.gate`); a case is rejected when a check of its
paragraph fails (its quote, its citation, markup in it) or no quote is read from it. The forms
and corruptions are in `evals/mutation_forms.py`.

Prints detection recall per corruption and false-rejection rate per valid form, per suite, and
exits 1 if any corruption passes or any valid quote is rejected (listing them). `run()` is the
same for tests.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "evals")]

from mutation_forms import (  # noqa: E402
    CORRUPTIONS,
    MEANING_KINDS,
    VALID,
    WARNED,
    WRONG_RESPONDENT,
    Made,
    Pools,
    accidentally_real,
    md,
    norm,
    tokens_span,
)

from summariser.gate.parse import parse_text  # noqa: E402
from summariser.gate.run import Outcome, evaluate, known_ids  # noqa: E402
from summariser.project.manifest import Manifest, Section, load_manifest  # noqa: E402
from summariser.project.sources import read_corpus  # noqa: E402
from summariser.records import Rating, Response  # noqa: E402
from summariser.verify import CorpusIndex  # noqa: E402

POLIS = REPO.parent / "shared/corpora/polis-bowling-green/comments.csv"
EXAMPLE_PROJECT = REPO / "corpus/hscp-2017"
POLIS_PROJECT = REPO / "corpus/polis-bowling-green"
SEED = 20171
PER_KIND = 200
SUITES = ("example", "polis", "multi-word ids")
LEADS = ["One said", "As one put it,", "A respondent wrote", "Another added that", ""]


@dataclass(frozen=True)
class Case:
    suite: str
    kind: str
    valid: bool
    paragraph: str  # Markdown
    source: str  # the response id the quote was cut from
    expect_warning: bool = False


@dataclass(frozen=True)
class Result:
    case: Case
    rejected: bool
    warned: bool
    statuses: tuple[str, ...]  # the quote verifier's, and "markup" / "citation" failures
    reason: str


@dataclass
class Report:
    results: list[Result]
    skipped: Counter = field(default_factory=Counter)  # (suite, kind): accidentally real

    @property
    def escapes(self) -> list[Result]:
        return [r for r in self.results if not r.case.valid and not r.rejected]

    @property
    def false_rejections(self) -> list[Result]:
        return [r for r in self.results if r.case.valid and (
            r.rejected or (r.case.expect_warning and not r.warned))]


# --- the corpora ------------------------------------------------------------------------------

@dataclass
class Suite:
    name: str
    manifest: Manifest
    responses: list[Response]
    ratings: list[Rating]
    sections: dict[str, Section] = field(default_factory=dict)  # response id -> its section

    @property
    def pool(self) -> list[Response]:
        return [r for r in self.responses if r.response_id in self.sections]


def _sectioned(name: str, manifest: Manifest, responses: list[Response],
               ratings: list[Rating]) -> Suite:
    suite = Suite(name, manifest, responses, ratings)
    for response in responses:
        if not response.is_participant or len(response.text.split()) < 4:
            continue
        for section in manifest.sections:
            if response.question in section.questions or response.source in section.sources:
                suite.sections[response.response_id] = section
                break
    return suite


def _renamed(index: int) -> str:
    """An id as other exports write them: spaces, "&", "/", "-" and "."."""
    return [f"HSCP S&C {1000 + index}", f"North/East Ward {index}",
            f"{chr(65 + index % 26)}. Smith-Jones", f"Area {index} - Rural.South"][index % 4]


def load_suite(name: str) -> Suite:
    if name == "polis":
        manifest = load_manifest(POLIS_PROJECT)
        corpus = read_corpus(manifest)
        return _sectioned(name, manifest, list(corpus.responses), list(corpus.ratings))
    manifest = load_manifest(EXAMPLE_PROJECT)
    corpus = read_corpus(manifest)
    if name == "example":
        return _sectioned(name, manifest, list(corpus.responses), list(corpus.ratings))
    survey = [r for r in corpus.responses if r.source == "survey"]
    names = {old: _renamed(i) for i, old in enumerate(sorted({r.respondent for r in survey}))}
    renamed = [replace(r, respondent=names[r.respondent],
                       response_id=f"survey:{names[r.respondent]}:{r.question}") for r in survey]
    ratings = [replace(r, respondent=names.get(r.respondent, r.respondent))
               for r in corpus.ratings]
    return _sectioned(name, manifest, renamed, ratings)


class Oracle:
    """A plain regex search over the normalised corpus, kept apart from the verifier's own index,
    used only to skip generated corruptions that happen to be real text. Its word boundaries are
    looser than the verifier's, so it skips more, never less, than it should."""

    def __init__(self, responses: list[Response]):
        self.texts = [norm(r.text) for r in responses]

    @staticmethod
    def _pattern(fragment: str) -> re.Pattern:
        text = norm(fragment)
        before = r"(?<!\w)" if text[:1].isalnum() else ""
        after = r"(?!\w)" if text[-1:].isalnum() else ""
        return re.compile(before + re.escape(text) + after)

    def __call__(self, *fragments: str) -> set[int]:
        """Responses holding the fragments in order (any gaps between them)."""
        fragments = tuple(f for f in fragments if f.strip())
        patterns = [self._pattern(f) for f in fragments]
        plain = [norm(f) for f in fragments]
        found = set()
        for i, text in enumerate(self.texts):
            if not all(p in text for p in plain):
                continue
            position = 0
            for pattern in patterns:
                match = pattern.search(text, position)
                if match is None:
                    break
                position = match.end()
            else:
                found.add(i)
        return found


# --- cases ------------------------------------------------------------------------------------

def _paragraph(rng: random.Random, made: Made, cite: str | None) -> str | None:
    """The quote in marks its own text does not use, after a lead-in, before its citation."""
    curly = any(mark in made.quote for mark in "“”")
    straight = '"' in made.quote
    if curly and straight:
        return None
    if curly or (not straight and rng.random() < 0.2):
        opening, closing = '"', '"'
    else:
        opening, closing = "“", "”"
    closing = "" if made.opened_only else closing
    citation = f" [{md(cite)}]" if cite and not made.opened_only else ""
    return f"{rng.choice(LEADS)} {opening}{made.quote}{closing}{citation}".strip()


def _cite(response: Response, style: int) -> str | None:
    """Cite the respondent, the response, or nobody."""
    return (response.respondent, response.response_id, None)[style % 3]


def generate(suite: Suite, seed: int = SEED, per_kind: int = PER_KIND
             ) -> tuple[list[Case], Counter]:
    rng = random.Random(f"{seed}:{suite.name}")
    pool = suite.pool
    oracle = Oracle(pool)
    vocabulary = sorted({t for r in pool for t in r.text.split() if re.fullmatch(r"[A-Za-z]{2,}",
                                                                                 t)})
    pools = Pools(pool, oracle, vocabulary)
    cases: list[Case] = []
    skipped: Counter = Counter()
    forms = [(kind, True, make) for kind, make in VALID.items()]
    forms += [(kind, False, make) for kind, make in CORRUPTIONS.items()]
    for kind, valid, make in forms:
        made_count = 0
        while made_count < per_kind:
            made = make(rng, pools)
            if made is None:
                continue
            if not valid and kind not in MEANING_KINDS and accidentally_real(made, oracle):
                skipped[(suite.name, kind)] += 1
                continue
            paragraph = _paragraph(rng, made, _cite(made.response, made_count))
            if paragraph is None:
                continue
            cases.append(Case(suite.name, kind, valid, paragraph, made.response.response_id,
                              kind in WARNED))
            made_count += 1
    made_count = 0
    while made_count < per_kind:  # a correct quote with the wrong respondent's name on it
        response, other = rng.choice(pool), rng.choice(pool)
        section = suite.sections[response.response_id]
        if other.respondent == response.respondent or suite.sections[other.response_id] != section:
            continue
        span = " ".join(tokens_span(rng, response, 4, 20))
        if any(pool[i].respondent == other.respondent for i in oracle(span)):
            skipped[(suite.name, WRONG_RESPONDENT)] += 1
            continue
        paragraph = _paragraph(rng, Made(md(span), response),
                               other.respondent if made_count % 2 else other.response_id)
        if paragraph is None:
            continue
        cases.append(Case(suite.name, WRONG_RESPONDENT, False, paragraph, response.response_id))
        made_count += 1
    return cases, skipped


# --- checking ---------------------------------------------------------------------------------

def _line(where: str) -> int:
    found = re.match(r"line (\d+)", where)
    return int(found.group(1)) if found else -1


def check_cases(suite: Suite, index: CorpusIndex, cases: list[Case]) -> list[Result]:
    """Every case as a paragraph of one draft under its section's heading, checked at once."""
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    by_id = {r.response_id: r for r in suite.responses}
    for case in cases:
        section = suite.sections[by_id[case.source].response_id]
        lines += [f"## {section.heading}", ""]
        first = len(lines) + 1
        lines += case.paragraph.split("\n")
        spans.append((first, len(lines)))
        lines.append("")
    draft = parse_text("\n".join(lines), suite.manifest, name=f"{suite.name}.md",
                       ids=known_ids(suite.responses))
    report = evaluate([draft], index, suite.manifest, suite.responses, suite.ratings)
    checks = [*report.quotes, *report.citations, *report.markup]
    at: dict[int, list] = {}
    for check in checks:
        at.setdefault(_line(check.where), []).append(check)
    results = []
    for case, (first, last) in zip(cases, spans):
        found = [c for line in range(first, last + 1) for c in at.get(line, ())]
        quotes = [c for c in found if hasattr(c, "verification")]
        failed = [c for c in found if c.outcome is Outcome.FAIL]
        statuses = tuple(c.status if hasattr(c, "verification") else type(c).__name__
                         for c in failed or quotes)
        reason = "; ".join(getattr(c, "reason", None) or c.verification.reason
                           for c in failed or quotes) or "no quote read"
        results.append(Result(case, bool(failed) or not quotes,
                              any(c.outcome is Outcome.WARNING for c in quotes),
                              statuses or ("no quote",), reason))
    return results


def run(seed: int = SEED, per_kind: int = PER_KIND, suites: tuple[str, ...] = SUITES) -> Report:
    report = Report([])
    for name in suites:
        suite = load_suite(name)
        cases, skipped = generate(suite, seed, per_kind)
        index = CorpusIndex.build(suite.responses)
        for kind in dict.fromkeys(c.kind for c in cases):
            report.results += check_cases(suite, index, [c for c in cases if c.kind == kind])
        report.skipped.update(skipped)
    return report


def print_report(report: Report) -> None:
    for suite in dict.fromkeys(r.case.suite for r in report.results):
        rows = [r for r in report.results if r.case.suite == suite]
        kinds = list(dict.fromkeys(r.case.kind for r in rows))
        print(f"\n== {suite}\n{'corruption':<30}{'cases':>6}{'detected':>10}{'recall':>9}  "
              "statuses")
        for kind in kinds:
            group = [r for r in rows if r.case.kind == kind and not r.case.valid]
            if group:
                detected = sum(r.rejected for r in group)
                statuses = Counter(s for r in group for s in r.statuses[:1])
                skipped = report.skipped[(suite, kind)]
                print(f"{kind:<30}{len(group):>6}{detected:>10}{detected / len(group):>9.1%}  "
                      + ", ".join(f"{s} {n}" for s, n in statuses.most_common())
                      + (f"  (skipped {skipped} accidentally real)" if skipped else ""))
        print(f"\n{'valid form':<30}{'cases':>6}{'rejected':>10}{'false rej.':>11}  statuses")
        for kind in kinds:
            group = [r for r in rows if r.case.kind == kind and r.case.valid]
            if group:
                rejected = sum(r.rejected or (r.case.expect_warning and not r.warned)
                               for r in group)
                statuses = Counter(s for r in group for s in r.statuses[:1])
                print(f"{kind:<30}{len(group):>6}{rejected:>10}{rejected / len(group):>11.1%}  "
                      + ", ".join(f"{s} {n}" for s, n in statuses.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-kind", type=int, default=PER_KIND)
    parser.add_argument("--suite", action="append", choices=SUITES,
                        help="run only this suite (repeatable; default: all)")
    args = parser.parse_args(argv)
    suites = tuple(args.suite or SUITES)
    if "polis" in suites and not POLIS.exists():
        print(f"note: {POLIS} is not there; the polis suite is left out")
        suites = tuple(s for s in suites if s != "polis")
    report = run(args.seed, args.per_kind, suites)
    print_report(report)
    for title, bad in (("ESCAPED (a corruption passed)", report.escapes),
                       ("FALSELY REJECTED (a valid quote failed)", report.false_rejections)):
        for result in bad:
            print(f"\n{title}: {result.case.suite}: {result.case.kind}: {result.case.paragraph}"
                  f"\n  {', '.join(result.statuses)}: {result.reason}")
    return 1 if report.escapes or report.false_rejections else 0


if __name__ == "__main__":
    sys.exit(main())
