"""True sub-counts pass the gate: a count is checked against the coded evidence of the theme it
names or sits under, or against the people whose answers use the phrase it names, and the check
says who they are; a count nothing supports fails."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from summariser.draft.records import EvidenceRef, SectionDraft, Theme, render_markdown
from summariser.gate.parse import parse_draft, parse_text
from summariser.gate.run import Outcome, evaluate, known_ids
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.text.wording import count_text, number_word
from summariser.verify import CorpusIndex
from tests.conftest import EXAMPLE, REPO

SEED_THEMES = REPO / "evals" / "seed-themes.toml"
MERGED = "Delayed discharge, locality teams and home"


@pytest.fixture(scope="module")
def example():
    manifest = load_manifest(EXAMPLE)
    corpus = read_corpus(manifest)
    return manifest, corpus, CorpusIndex.build(corpus.responses)


def answers(example, question: str) -> dict[str, object]:
    _, corpus, _ = example
    return {r.respondent: r for r in corpus.responses if r.question == question}


def evidence(response, phrase: str) -> EvidenceRef:
    """The response's sentence holding `phrase`, coded by it, with its offsets."""
    text = response.text
    at = text.lower().index(phrase.lower())
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    end = len(text) if end < 0 else end + 1
    return EvidenceRef(response.respondent, response.response_id, start, end, text[start:end],
                       "phrase", 0.5, phrase)


@pytest.fixture(scope="module")
def sidecar(example) -> SectionDraft:
    """2.1 as a tool draft with a six-person theme like the one the old clustering made: the
    four who mention delayed discharge and two who mention teams."""
    gone_well = answers(example, "gone_well")
    discharge = [evidence(gone_well[r], "delayed discharge") for r in ("R01", "R07", "R10", "R16")]
    teams = [evidence(gone_well[r], "team") for r in ("R06", "R09")]
    joint = [evidence(gone_well[r], "joint working") for r in ("R02", "R15")]
    merged = Theme(MERGED, "Answers about discharge, teams and home.",
                   tuple(sorted(e.respondent for e in discharge + teams)), (), "t1",
                   tuple(discharge + teams))
    joint_working = Theme("Joint working", "Answers about joint working.",
                          tuple(e.respondent for e in joint), (), "t2", tuple(joint))
    return SectionDraft("gone-well", "2.1", "What has gone well?", "Two themes were identified.",
                        (merged, joint_working), len(gone_well), ("Chief Officer", "Chief Officers"),
                        ("gone_well",), "extractive")


def check_markdown(example, text: str, sidecar: SectionDraft | None = None):
    manifest, corpus, index = example
    draft = parse_text(text, manifest, sidecar=sidecar, ids=known_ids(corpus.responses))
    return evaluate([draft], index, manifest, corpus.responses, corpus.ratings)


def with_sentence(sidecar: SectionDraft, sentence: str, under: str = MERGED) -> str:
    """The tool's Markdown with a sentence written by hand under the theme `under`."""
    markdown = render_markdown(sidecar)
    heading = f"### {under}\n\n"
    return markdown.replace(heading, f"{heading}{sentence}\n\n", 1)


def counts(report, phrase: str, sentence: str = ""):
    return [n for n in report.numbers if n.kind == "count" and n.claim.startswith(phrase)
            and sentence in n.sentence]


# --- a sentence under a theme ----------------------------------------------------------------------

def test_a_true_sub_count_under_a_larger_theme_passes_and_names_the_people(example, sidecar):
    report = check_markdown(example, with_sentence(
        sidecar, "Four of 16 Chief Officers mentioned delayed discharge."), sidecar)
    [check] = counts(report, "Four of 16")
    assert check.outcome is Outcome.PASS
    assert check.reason == "R01, R07, R10, R16 mention “delayed discharge”."
    [theme_count] = counts(report, "six of 16")  # the tool's own "Raised by six of 16 ..."
    assert theme_count.outcome is Outcome.PASS
    assert theme_count.reason.startswith(f"R01, R06, R07, R09, R10, R16 have coded evidence for "
                                         f"theme “{MERGED}”")
    assert report.passed


def test_an_unsupported_sub_count_fails_even_when_the_theme_has_that_many(example, sidecar):
    report = check_markdown(example, with_sentence(
        sidecar, "Six of 16 Chief Officers mentioned delayed discharge."), sidecar)
    [check] = counts(report, "Six of 16")
    assert check.outcome is Outcome.FAIL
    assert "R01, R07, R10, R16 mention “delayed discharge” (4), not 6" in check.reason
    assert not report.passed


def test_a_count_naming_no_phrase_is_checked_against_the_theme_it_sits_under(example, sidecar):
    right = check_markdown(example, with_sentence(sidecar, "Six Chief Officers agreed."), sidecar)
    assert [c.outcome for c in counts(right, "Six Chief Officers")] == [Outcome.PASS]
    wrong = check_markdown(example, with_sentence(sidecar, "Eight Chief Officers agreed."),
                           sidecar)
    [check] = counts(wrong, "Eight Chief Officers")
    assert check.outcome is Outcome.FAIL and "have coded evidence" in check.reason


def test_a_theme_named_by_its_title_in_prose_ties_the_count_to_that_theme(example, sidecar):
    right = check_markdown(example, with_sentence(
        sidecar, "Joint working was raised by two of 16 Chief Officers.", under=MERGED), sidecar)
    [check] = counts(right, "two of 16", "Joint working was")
    assert check.outcome is Outcome.PASS
    assert check.reason.startswith("R02, R15 have coded evidence for theme “Joint working”")
    wrong = check_markdown(example, with_sentence(
        sidecar, "Joint working was raised by five of 16 Chief Officers.", under=MERGED), sidecar)
    assert [c.outcome for c in counts(wrong, "five of 16", "Joint working was")] == [Outcome.FAIL]


def test_a_theme_title_in_quote_marks_is_a_label_not_a_quotation(example, sidecar):
    report = check_markdown(example, with_sentence(
        sidecar, "Under “Joint working”, two of 16 Chief Officers were counted."), sidecar)
    assert not [q for q in report.quotes if q.quote == "Joint working"]
    assert [c.outcome for c in counts(report, "two of 16", "Under")] == [Outcome.PASS]


# --- the sidecar's evidence -------------------------------------------------------------------------

def sidecar_report(example, draft: SectionDraft, tmp_path: Path):
    manifest, corpus, index = example
    path = tmp_path / "gone-well.json"
    data = draft.to_dict()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    parsed = parse_draft(path, manifest, known_ids(corpus.responses))
    return evaluate([parsed], index, manifest, corpus.responses, corpus.ratings)


def merged_count(report):
    [check] = [n for n in report.numbers if n.kind == "count" and MERGED in n.where]
    return check


def test_the_tools_own_counts_pass_when_every_counted_person_has_evidence(example, sidecar,
                                                                         tmp_path):
    report = sidecar_report(example, sidecar, tmp_path)
    assert report.passed
    assert merged_count(report).reason.startswith("R01, R06, R07, R09, R10, R16 have coded "
                                                  "evidence")


def tampered(sidecar: SectionDraft, **changes) -> SectionDraft:
    merged = replace(sidecar.themes[0], **changes)
    return replace(sidecar, themes=(merged, *sidecar.themes[1:]))


def test_a_counted_respondent_without_evidence_fails_the_count(example, sidecar, tmp_path):
    theme = sidecar.themes[0]
    draft = tampered(sidecar, respondents=tuple(sorted((*theme.respondents, "R05"))))
    check = merged_count(sidecar_report(example, draft, tmp_path))
    assert check.outcome is Outcome.FAIL
    assert check.claim.startswith(count_text(7, sidecar.denominator, sidecar.respondent_noun))
    assert "R01, R06, R07, R09, R10, R16 have coded evidence" in check.reason
    assert "R05 is counted without any" in check.reason


@pytest.mark.parametrize("damage", ["text", "offsets", "phrase", "question", "person"])
def test_evidence_that_is_not_the_respondents_own_words_does_not_count(example, sidecar,
                                                                       tmp_path, damage):
    theme = sidecar.themes[0]
    first = theme.evidence[0]  # R01's delayed discharge sentence
    r01_enablers = answers(example, "enablers")["R01"]
    r02_gone_well = answers(example, "gone_well")["R02"]
    bad = {
        "text": replace(first, text=first.text.replace("strong", "excellent")),
        "offsets": replace(first, start=first.start + 5, end=first.end + 5),
        "phrase": replace(first, phrase="hospital at home"),
        "question": replace(first, response_id=r01_enablers.response_id, start=0,
                            end=len(r01_enablers.text), text=r01_enablers.text),
        "person": replace(first, response_id=r02_gone_well.response_id, start=0,
                          end=len(r02_gone_well.text), text=r02_gone_well.text),
    }[damage]
    draft = tampered(sidecar, evidence=(bad, *theme.evidence[1:]))
    check = merged_count(sidecar_report(example, draft, tmp_path))
    assert check.outcome is Outcome.FAIL, check.reason
    assert "R01 is counted without any" in check.reason
    assert "R06, R07, R09, R10, R16 have coded evidence" in check.reason


# --- hand-written sub-counts: the published report's own ------------------------------------------

def subcounts() -> list[dict]:
    truth = tomllib.loads(SEED_THEMES.read_text(encoding="utf-8"))
    return [t for t in truth["themes"] if t["kind"] == "subcount"]


@pytest.mark.parametrize("subcount", subcounts(), ids=lambda t: t["title"])
def test_the_published_sub_counts_pass_with_the_people_the_corpus_puts_in_them(example,
                                                                               subcount):
    manifest = example[0]
    section = manifest.section(subcount["section"])
    phrase = subcount["phrases"][0]
    count = number_word(subcount["count"]).capitalize()
    bound = "At least " + count.lower() if subcount.get("at_least") else count
    heading = f"## {section.heading}\n\n"
    report = check_markdown(example, f"{heading}{bound} Chief Officers mentioned {phrase}.\n")
    [check] = [n for n in report.numbers if n.kind == "count"]
    assert check.outcome is Outcome.PASS, check.reason
    assert check.reason == f"{', '.join(subcount['respondents'])} mention “{phrase}”."
    wrong = number_word(subcount["count"] + 1).capitalize()
    report = check_markdown(example, f"{heading}{wrong} Chief Officers mentioned {phrase}.\n")
    [check] = [n for n in report.numbers if n.kind == "count"]
    assert check.outcome is Outcome.FAIL, check.reason


def test_the_seed_reports_hand_written_sub_counts_pass(example):
    manifest, corpus, index = example
    draft = parse_draft(REPO / "evals" / "seed-report-draft.md", manifest,
                        known_ids(corpus.responses))
    report = evaluate([draft], index, manifest, corpus.responses, corpus.ratings)
    found = {n.claim: n for n in report.numbers if n.kind == "count"}
    assert found["Four Chief Officers"].outcome is Outcome.PASS
    assert found["Four Chief Officers"].reason == "R01, R07, R10, R16 mention “delayed discharge”."
    assert found["at least three respondents"].reason == ("R06, R13, R16 mention “hold your "
                                                          "nerve”.")
