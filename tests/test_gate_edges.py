"""The gate's last edges: a universal or percentage claim nothing supports fails, count lines
belong to the theme they sit under whatever it is titled, a missing opening mark licenses no
dropped words, a renamed heading keeps its theme, fractions and means are read and checked,
Word text a reader cannot see is refused, inner single marks and em dashes are the source's
marks, and an ellipsis never drops a French, German or Spanish negation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summariser.draft.records import EvidenceRef, SectionDraft, Theme, render_markdown
from summariser.gate.parse import parse_draft, parse_text
from summariser.gate.run import Outcome, evaluate, known_ids
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.verify import CorpusIndex
from tests.conftest import EXAMPLE

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "multiword-ids"
NOUN = ("Chief Officer", "Chief Officers")


def corpus_of(root: Path):
    manifest = load_manifest(root)
    corpus = read_corpus(manifest)
    return manifest, corpus, CorpusIndex.build(corpus.responses)


@pytest.fixture(scope="module")
def example():
    return corpus_of(EXAMPLE)


@pytest.fixture(scope="module")
def multiword():
    return corpus_of(FIXTURE)


def check(corpus, text: str, sidecar: SectionDraft | None = None):
    manifest, read, index = corpus
    draft = parse_text(text, manifest, sidecar=sidecar, ids=known_ids(read.responses))
    return evaluate([draft], index, manifest, read.responses, read.ratings)


def by_group(corpus, text: str):
    """`text` checked with the respondents' attributes, as `summariser eval` reads them from the
    store: who is in each group."""
    manifest, read, index = corpus
    draft = parse_text(text, manifest, ids=known_ids(read.responses))
    return evaluate([draft], index, manifest, read.responses, read.ratings, read.attributes)


def numbers(report, kind: str | None = None) -> dict[str, object]:
    return {n.claim: n for n in report.numbers if kind is None or n.kind == kind}


# --- universal and percentage claims ---------------------------------------------------------------


def test_a_universal_or_percentage_claim_that_no_evidence_supports_fails(example):
    report = check(example, "In this section, 100% of respondents praised the minister. Every "
                            "one of the respondents agreed.\n")
    found = numbers(report)
    assert found["100% of respondents"].outcome is Outcome.FAIL
    assert found["Every one of the respondents"].outcome is Outcome.FAIL
    assert "no evidence supports" in found["Every one of the respondents"].reason
    assert not report.passed


def test_a_universal_claim_beside_a_count_still_needs_evidence(example):
    report = check(example, "## 2.3 What has hindered progress?\n\nAll 16 Chief Officers (100%) "
                            "praised the minister.\n")
    assert numbers(report, "quantifier")["All 16 Chief Officers"].outcome is Outcome.FAIL


ASKED_RATINGS = ("The following are frequently cited obstacles to transforming health and "
                 "social care in the published literature. On a scale of 0-10 (where 0 is not "
                 "at all challenging and 10 is extremely challenging), how challenging have you "
                 "found each of these over the past 12 months?")


def test_the_question_asked_claims_nothing_of_who_answered(example):
    """A report prints what its rating items asked ("... how challenging have you found each
    of these?"): the questionnaire's words, not a claim that each of the Chief Officers did
    something. Words that are not the start of a question are read as any prose."""
    report = check(example, f"## 2.4 Understanding the challenges\n\n"
                            f"The question asked: {ASKED_RATINGS}\n")
    assert not report.numbers and report.passed
    report = check(example, "## 2.4 Understanding the challenges\n\nThe question asked: which "
                            "challenges each of these Chief Officers found hardest.\n")
    assert [n.outcome for n in report.numbers] == [Outcome.FAIL]


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Both Chief Officers praised the minister.", Outcome.FAIL),  # "both" is all of them
    ("Both health and social care were praised.", None),  # of things, not people: no claim
    # 16 took part: all of them, but not two of two
    ("We heard from all 16 Chief Officers.", Outcome.PASS),
    ("We heard from both Chief Officers.", Outcome.FAIL),
])
def test_both_is_all_of_two(example, sentence, outcome):
    """Drafts write "both interviewees (100%)" where two of 2 said it; "both" is read as all of
    them, where they are two, and checked like "all nine"."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    found = [n for n in report.numbers if n.kind == "quantifier"]
    if outcome is None:
        assert not found
    else:
        [claim] = found
        assert claim.outcome is outcome, claim.reason


def test_nobody_passes_when_no_answer_uses_the_phrase_and_fails_when_one_does(example):
    report = check(example, "## 2.3 What has hindered progress?\n\nNobody mentioned Brexit. "
                            "Nobody mentioned governance.\n")
    brexit, governance = [n for n in report.numbers if n.kind == "quantifier"]
    assert brexit.outcome is Outcome.PASS and "“Brexit”" in brexit.reason
    assert governance.outcome is Outcome.FAIL


def test_who_answered_is_checked_against_the_corpus(example):
    report = check(example, "## 2.3 What has hindered progress?\n\nSixteen Chief Officers "
                            "answered this question.\n\n## 2.4 Understanding the challenges\n\n"
                            "Twelve Chief Officers answered this question.\n")
    sixteen, twelve = [n for n in report.numbers if n.kind == "count"]
    assert sixteen.outcome is Outcome.PASS and twelve.outcome is Outcome.FAIL


# --- count lines by position -----------------------------------------------------------------------


def _theme(example, title: str, theme_id: str, people: dict[str, str]) -> Theme:
    _, corpus, _ = example
    answers = {r.respondent: r for r in corpus.responses if r.question == "hindrances"}
    evidence = []
    for respondent, phrase in people.items():
        text = answers[respondent].text
        start = text.lower().index(phrase.lower())
        evidence.append(EvidenceRef(respondent, answers[respondent].response_id, start,
                                    start + len(phrase), text[start:start + len(phrase)],
                                    "phrase", 0.5, phrase))
    return Theme(title, "", tuple(sorted(people)), (), theme_id, tuple(evidence))


def _hindrances(example, *themes: Theme) -> SectionDraft:
    return SectionDraft("hindered-progress", "2.3", "What has hindered progress?",
                        "Two themes were identified.", themes, 16, NOUN, ("hindrances",),
                        "extractive")


def test_a_theme_titled_with_the_respondent_noun_keeps_its_count_lines(example):
    """'Chief Officers' as a theme's title: "Raised by three of 16 Chief Officers" under
    another theme is that theme's count, not a claim about the theme "Chief Officers"."""
    sidecar = _hindrances(
        example,
        _theme(example, "Budgets", "t1", {"R02": "budgets", "R09": "budget", "R04": "budgets"}),
        _theme(example, "Chief Officers", "t2", {"R05": "governance", "R10": "governance"}))
    report = check(example, render_markdown(sidecar), sidecar)
    counts = [n for n in report.numbers if n.kind == "count"]
    assert [n.outcome for n in counts] == [Outcome.PASS, Outcome.PASS], counts
    assert "theme “Budgets” (3)" in counts[0].reason
    assert "theme “Chief Officers” (2)" in counts[1].reason


# --- quote marks -----------------------------------------------------------------------------------


def test_a_missing_opening_mark_never_licenses_dropped_words(example):
    report = check(example, "## 2.6 Other challenges\n\nBudgets were never a problem "
                            "prescribing” and more.\n")
    [quote] = report.quotes
    assert quote.outcome is Outcome.FAIL
    assert quote.read_as == "Budgets were never a problem prescribing"


def test_inner_single_marks_stand_for_the_sources_double_ones(tmp_path: Path):
    project = _project(tmp_path, 'R1,"We need ""buy in"" from partners - and money, fast."\n')
    report = check(corpus_of(project), "## 1 Views\n\n> “We need ‘buy in’ from partners” [R1]\n"
                                        "\n> “from partners—and money” [R1]\n")
    assert [q.outcome for q in report.quotes] == [Outcome.PASS, Outcome.PASS], report.quotes


# --- renamed headings ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drafted(example_project: Path, tmp_path_factory) -> Path:
    from summariser.draft.pipeline import draft_sections
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    out = tmp_path_factory.mktemp("edges-drafts")
    chosen = [s for s in manifest.sections if s.id == "hindered-progress"]
    for _ in draft_sections(manifest, Store(manifest.store_path), chosen, "minilm",
                            directory=out):
        pass
    return out / "hindered-progress.md"


def _renamed(drafted: Path, count: str, *, keep_tag: bool) -> Path:
    text = drafted.read_text()
    heading = next(line for line in text.splitlines() if line.startswith("### "))
    at = text.index(heading)
    raised = text.index("Raised by ", at)
    end = text.index(".", raised)
    changed = (text[:at] + "### A heading the analyst wrote" + text[at + len(heading):raised]
               + f"Raised by {count}" + text[end:])
    if not keep_tag:
        changed = "\n".join(line for line in changed.splitlines()
                            if not line.startswith("<!-- theme:"))
    path = drafted.with_name(f"renamed-{keep_tag}.md")
    path.write_text(changed)
    path.with_suffix(".json").write_text(drafted.with_suffix(".json").read_text())
    return path


@pytest.mark.parametrize("keep_tag", [True, False])
@pytest.mark.parametrize("count", ["all 16 Chief Officers (100%)", "nine of 16 Chief Officers "
                                                                    "(56%)"])
def test_a_renamed_heading_keeps_its_theme_so_a_changed_count_fails(example_project, drafted,
                                                                   count, keep_tag):
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    path = _renamed(drafted, count, keep_tag=keep_tag)
    report = evaluate_paths([path], manifest, Store(manifest.store_path))
    [changed] = [n for n in report.numbers if n.kind == "count" and n.claim in count]
    assert changed.outcome is Outcome.FAIL, changed
    assert "have coded evidence for theme" in changed.reason


@pytest.mark.parametrize("written", [
    "{heading} (15 of 16 Chief Officers)",
    "{heading}\n\n#### Most agreed: fifteen of 16 Chief Officers (94%)",
])
def test_a_count_in_a_heading_is_read_and_checked(example_project, drafted, written):
    """A heading is text a reader sees: a count there is a claim like any other (it is copied
    into the report's summary too)."""
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    text = drafted.read_text()
    heading = next(line for line in text.splitlines() if line.startswith("### "))
    path = drafted.with_name("heading-count.md")
    path.write_text(text.replace(heading, written.format(heading=heading), 1))
    path.with_suffix(".json").write_text(drafted.with_suffix(".json").read_text())
    report = evaluate_paths([path], manifest, Store(manifest.store_path))
    [claim] = [n for n in report.numbers if n.kind == "count" and "of 16" in n.claim
               and ("15" in n.claim or "fifteen" in n.claim)]
    assert claim.outcome is Outcome.FAIL, claim


def test_a_quote_under_a_theme_that_has_no_passage_of_its_speaker_fails(example_project,
                                                                        drafted):
    """A quote under a theme is read as one of the people it counts: moved under a theme with
    no coded passage of its speaker's, it fails; where the drafting put it, it passes."""
    from summariser.draft.records import read_draft
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    draft = read_draft(drafted.with_suffix(".json"))
    moved, target = next(
        (q, other) for theme in draft.themes for q in theme.quotes for other in draft.themes
        if q.respondent not in other.respondents)
    text = drafted.read_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("> “") and moved.text in ln)
    heading = f"### {target.title}\n"
    text = text.replace(line + "\n", "", 1)
    at = text.index("\n\n", text.index("Raised by", text.index(heading))) + 2
    path = drafted.with_name("moved.md")
    path.write_text(text[:at] + line + "\n\n" + text[at:])
    path.with_suffix(".json").write_text(drafted.with_suffix(".json").read_text())
    report = evaluate_paths([path], manifest, Store(manifest.store_path))
    [check] = [q for q in report.quotes if q.quote == moved.text]
    assert check.outcome is Outcome.FAIL and f"theme “{target.title}”" in check.verification.reason
    original = evaluate_paths([drafted], manifest, Store(manifest.store_path))
    assert all(q.outcome is not Outcome.FAIL for q in original.quotes)


# --- fractions and statistics ----------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "The vast majority of Chief Officers raised governance.",
    "An overwhelming majority raised governance.",
    "A large majority of the Chief Officers raised governance.",
])
def test_a_qualified_majority_is_read_and_checked(example, sentence):
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == "quantifier"]
    assert claim.outcome is Outcome.FAIL, claim.reason  # five of 16 mention governance


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Fewer than half of Chief Officers raised governance.", Outcome.PASS),
    ("More than half of the Chief Officers raised governance.", Outcome.FAIL),
    ("Over a quarter of Chief Officers raised governance.", Outcome.PASS),
    ("At least two thirds of Chief Officers raised governance.", Outcome.FAIL),
    ("Less than a third of Chief Officers raised governance.", Outcome.PASS),
    ("Less than a quarter of Chief Officers raised governance.", Outcome.FAIL),
])
def test_a_bound_before_a_fraction_is_read_as_a_bound(example, sentence, outcome):
    """Five of 16 mention governance (0.31): fewer than half and than a third, more than a
    quarter."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == "quantifier"]
    assert claim.outcome is outcome, claim.reason


def test_every_single_one_is_a_universal_claim(example):
    report = check(example, "## 2.3 What has hindered progress?\n\nEvery single Chief Officer "
                            "praised the minister.\n")
    [claim] = [n for n in report.numbers if n.kind == "quantifier"]
    assert claim.outcome is Outcome.FAIL, claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Two thirds of Chief Officers raised governance.", Outcome.FAIL),
    ("One in three Chief Officers raised governance.", Outcome.PASS),
    ("A third of Chief Officers raised governance.", Outcome.PASS),
    ("Half of the Chief Officers raised governance.", Outcome.FAIL),
    ("Two-thirds of Chief Officers raised governance.", Outcome.FAIL),  # hyphenated
    ("About one in three Chief Officers raised governance.", Outcome.PASS),  # not "about one"
    ("About two thirds of Chief Officers raised governance.", Outcome.FAIL),
])
def test_fractions_are_read_and_checked(example, sentence, outcome):
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == "quantifier"]
    assert claim.outcome is outcome, claim.reason
    assert "R05, R10, R12, R14, R16 mention “governance”" in claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Financial pressures had a mean of 6.8.", Outcome.FAIL),
    ("Financial pressures had a mean of 8.6.", Outcome.PASS),
    ("Ratings: Financial pressures (mean 8.6); Workforce issues (mean 7.0).", Outcome.PASS),
    ("Workforce issues averaged 8.6.", Outcome.FAIL),
    ("The mean rating for Financial pressures was 6.8.", Outcome.FAIL),
    ("The average score of Financial pressures is 8.6.", Outcome.PASS),
    ("The median rating for Financial pressures was 3.", Outcome.FAIL),
])
def test_means_in_prose_are_read_and_checked(example, sentence, outcome):
    report = check(example, f"## 2.4 Understanding the challenges\n\n{sentence}\n")
    stats = [n for n in report.numbers if n.kind in ("mean", "median")]
    assert stats and all(n.outcome is outcome for n in stats), stats


# --- Word text a reader cannot see -----------------------------------------------------------------


@pytest.mark.parametrize("hide", ["vanish", "white", "tiny", "nearly white", "4 pt", "shaded",
                                  "squeezed"])
def test_word_text_a_reader_cannot_see_is_refused(multiword, tmp_path: Path, hide):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.add_heading("1 Views on the plan", level=1)
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run("“As a board we did ")
    hidden = paragraph.add_run("not ")
    if hide == "vanish":
        hidden.font.hidden = True
    elif hide == "white":
        hidden.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    elif hide == "nearly white":
        hidden.font.color.rgb = RGBColor(0xFE, 0xFE, 0xFE)
    elif hide == "4 pt":
        hidden.font.size = Pt(4)
    elif hide == "shaded":  # black on black
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "000000")
        hidden._element.get_or_add_rPr().append(shading)
        hidden.font.color.rgb = RGBColor(0, 0, 0)
    elif hide == "squeezed":
        scale = OxmlElement("w:w")
        scale.set(qn("w:val"), "1")
        hidden._element.get_or_add_rPr().append(scale)
    else:
        hidden.font.size = Pt(1)
    paragraph.add_run("support the closure of the day centre” [ABC S&C 4410]")
    path = tmp_path / "draft.docx"
    document.save(str(path))
    manifest, corpus, index = multiword
    report = evaluate([parse_draft(path, manifest, known_ids(corpus.responses))], index,
                      manifest, corpus.responses)
    assert report.markup and all(m.outcome is Outcome.FAIL for m in report.markup)
    assert not report.passed


def test_word_tables_and_headers_are_read(multiword, tmp_path: Path):
    """A quote in a table (a report's appendix) or a count in a page header is text a reader
    sees: both are checked, not passed over."""
    import docx

    document = docx.Document()
    document.add_heading("1 Views on the plan", level=1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Chief Officer"
    table.cell(0, 1).text = "“As a board we did support the closure of the day centre” " \
                            "[ABC S&C 4410]"
    document.sections[0].header.is_linked_to_previous = False
    document.sections[0].header.paragraphs[0].text = "All respondents (100%) agreed."
    path = tmp_path / "tables.docx"
    document.save(str(path))
    manifest, corpus, index = multiword
    report = evaluate([parse_draft(path, manifest, known_ids(corpus.responses))], index,
                      manifest, corpus.responses)
    [quote] = report.quotes
    assert quote.outcome is Outcome.FAIL  # the answer says the board did not
    assert any(n.claim.startswith("All respondents") for n in report.numbers)


@pytest.mark.parametrize("markup", [
    '<p style="opacity: 0">not</p>', '<p style="color: rgb(255, 255, 255)">not</p>',
    '<p style="color:#fffffe">not</p>', '<p style="font-size: 1px">not</p>',
    '<p style="position: absolute; left: -9999px">not</p>',
    '<p style="visibility: collapse">not</p>',
    "<style>.x { display: none }</style><p class=x>not</p>",
])
def test_html_words_a_reader_cannot_see_are_refused(example, markup):
    from summariser.gate.html import html_blocks

    _, refused = html_blocks(f"<html><body>{markup}</body></html>")
    assert refused, markup


@pytest.mark.parametrize("markup", [
    '<p style="opacity: 1">not</p>', '<p style="opacity:0.9">not</p>',
    '<p style="color:#f00">not</p>', '<p style="font-size: 12px">not</p>',
])
def test_html_words_a_reader_sees_are_not_refused(markup):
    from summariser.gate.html import html_blocks

    blocks, refused = html_blocks(f"<html><body>{markup}</body></html>")
    assert not refused and [b.text for b in blocks] == ["not"], markup


def test_html_words_outside_paragraphs_and_in_alt_text_are_read():
    from summariser.gate.html import html_blocks

    blocks, refused = html_blocks(
        "<body><div>fifteen of 16 Chief Officers (94%)</div><pre>all 16 agreed</pre>"
        '<img alt="Everyone agreed" src="x.png"><p>A <span>paragraph</span> read whole.</p>'
        "</body>")
    assert not refused
    assert [b.text for b in blocks] == ["fifteen of 16 Chief Officers (94%)", "all 16 agreed",
                                        "Everyone agreed", "A paragraph read whole."]


def test_the_reports_own_stylesheet_is_not_refused():
    from summariser.document.html import to_html
    from summariser.document.model import Paragraph, runs
    from summariser.gate.html import html_blocks

    _, refused = html_blocks(to_html([Paragraph(runs("Raised by five of 16."))], "Report"))
    assert not refused


# --- negations in other languages ------------------------------------------------------------------


def _project(tmp_path: Path, rows: str, languages: str = '["en"]') -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "answers.csv").write_text("id,views\n" + rows, encoding="utf-8")
    (root / "summariser.toml").write_text(f"""
[project]
title = "Views"
languages = {languages}

[[sources]]
id = "survey"
path = "answers.csv"
respondent_column = "id"
columns = {{ views = "views" }}

[[questions]]
id = "views"
text = "Your views?"

[[sections]]
id = "views"
number = "1"
title = "Views"
questions = ["views"]
""", encoding="utf-8")
    return root


@pytest.mark.parametrize(("answer", "quote"), [
    ("Nous ne soutenons pas la fermeture du centre de jour.",
     "Nous … soutenons … la fermeture du centre de jour"),
    ("Wir unterstützen die Schließung des Zentrums nicht, weil Familien es brauchen.",
     "Wir unterstützen die Schließung des Zentrums … weil Familien es brauchen"),
    ("No apoyamos el cierre sin consultar a las familias del barrio.",
     "No apoyamos el cierre … consultar a las familias del barrio"),
])
def test_an_ellipsis_never_leaves_out_a_negation_in_french_german_or_spanish(tmp_path, answer,
                                                                           quote):
    project = _project(tmp_path, f'R1,"{answer}"\n', '["fr", "de", "es"]')
    [found] = check(corpus_of(project), f"## 1 Views\n\n> “{quote}” [R1]\n").quotes
    assert (found.status, found.outcome) == ("meaning_changed", Outcome.FAIL), found


def test_an_ellipsis_is_refused_in_a_language_the_gate_has_no_negations_for(tmp_path: Path):
    project = _project(tmp_path, 'R1,"Il centro diurno è importante per le famiglie del '
                                 'quartiere e per tutti noi."\n', '["it"]')
    [found] = check(corpus_of(project), "## 1 Views\n\n> “Il centro diurno è importante … per "
                                        "tutti noi” [R1]\n").quotes
    assert found.outcome is Outcome.FAIL and "no negation words" in found.verification.reason


@pytest.mark.parametrize(("sentence", "kind", "outcome"), [
    ("All but one of 16 Chief Officers raised governance.", "quantifier", Outcome.FAIL),
    ("All but eleven of 16 Chief Officers raised governance.", "quantifier", Outcome.PASS),
    ("All but two Chief Officers raised governance.", "quantifier", Outcome.FAIL),
    ("Only one Chief Officer raised governance.", "count", Outcome.FAIL),
    ("Just one of the Chief Officers raised governance.", "count", Outcome.FAIL),
    ("Only two of 16 Chief Officers raised governance.", "count", Outcome.FAIL),
    ("Only five of 16 Chief Officers raised governance.", "count", Outcome.PASS),
    ("Just five Chief Officers raised governance.", "count", Outcome.PASS),
    ("Not one of the Chief Officers raised governance.", "quantifier", Outcome.FAIL),
    ("No one raised governance.", "quantifier", Outcome.FAIL),
])
def test_all_but_and_only_are_exact_counts(example, sentence, kind, outcome):
    """Five of 16 mention governance: "all but eleven" and "only five" hold; "all but one" (15)
    and "only one" do not."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind in ("quantifier", "count")]
    assert claim.kind == kind and claim.outcome is outcome, claim


@pytest.mark.parametrize(("heading", "sentence", "outcome"), [
    ("2.3 What has hindered progress?", "Ten or so Chief Officers raised governance.",
     Outcome.FAIL),
    ("2.3 What has hindered progress?", "Five or so Chief Officers raised governance.",
     Outcome.PASS),
    ("2.3 What has hindered progress?", "About ten Chief Officers raised governance.",
     Outcome.FAIL),
    ("2.3 What has hindered progress?", "Around six Chief Officers raised governance.",
     Outcome.PASS),
    ("2.3 What has hindered progress?", "About ten of the 16 Chief Officers raised governance.",
     Outcome.FAIL),
    ("1 Introduction", "About 16 Chief Officers responded.", Outcome.PASS),
    ("1 Introduction", "All but one of the 31 Chief Officers responded.", Outcome.FAIL),
])
def test_an_approximate_count_is_read_and_checked(example, heading, sentence, outcome):
    """Five of 16 mention governance and 16 of 31 responded. "Ten or so" was read as no claim
    and "about six" as exactly six (failing a true sentence); each is a count give or take one,
    as "half a dozen" is. An amount that states its own count ("about 16", "all but one of
    the 31") of who responded is checked against who responded (it was left unchecked)."""
    report = check(example, f"## {heading}\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind in ("quantifier", "count")]
    assert claim.kind == "quantifier" and claim.outcome is outcome, claim


@pytest.mark.parametrize("sentence", ["Only 16 of the 31 Chief Officers invited responded.",
                                      "Just 16 Chief Officers responded (52%)."])
def test_only_before_a_count_leaves_it_a_count(example, sentence):
    report = check(example, f"## 1 Introduction\n\n{sentence}\n")
    # (the share after "responded" is the response rate, checked on its own)
    [claim] = [n for n in report.numbers if n.kind == "count"]
    assert all(n.outcome is Outcome.PASS for n in report.numbers), report.numbers
    assert claim.kind == "count" and claim.outcome is Outcome.PASS, claim


# --- numbers in every form a writer uses -----------------------------------------------------


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Raised by five of 16 Chief Officers (45 per cent).", Outcome.FAIL),
    ("Raised by five of 16 Chief Officers, or 45%.", Outcome.FAIL),
    ("Raised by 5/16 Chief Officers (45%).", Outcome.FAIL),
    ("Raised by se\u200bven of 16 Chief Officers (31%).", Outcome.FAIL),  # a zero-width space
    ("Raised by five of 16 Chief Officers (31 per cent).", Outcome.PASS),
    ("Raised by 5/16 Chief Officers (31%).", Outcome.PASS),
    ("Of the 16 Chief Officers, five (31%) raised it.", Outcome.PASS),
])
def test_a_share_is_read_however_it_is_written(example, sentence, outcome):
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [share] = numbers(report, "percentage").values()
    assert share.outcome is outcome, share
    assert not [n for n in report.numbers if n.kind == "count" and n.claim.startswith("16")]


def test_a_word_in_two_alphabets_is_refused(example):
    """A Cyrillic "е" in "sеven" looks like the number word, but no reader of numbers reads it
    as one: the gate refuses it rather than pass the sentence unread."""
    report = check(example, "## 2.3 What has hindered progress?\n\nRaised by s\u0435ven Chief "
                            "Officers (44%).\n")
    assert not report.passed
    assert any("mixes alphabets" in m.reason for m in report.markup)


@pytest.mark.parametrize(("sentence", "kind", "outcome"), [
    ("Nine COs raised governance.", "count", Outcome.FAIL),  # the noun's initials
    ("Five COs raised governance.", "count", Outcome.PASS),
    ("Nine partnerships (56%) raised governance.", "count", Outcome.FAIL),  # a noun it
    ("Five partnerships (31%) raised governance.", "count", Outcome.PASS),  # does not know
    ("Half a dozen Chief Officers raised governance.", "quantifier", Outcome.PASS),
    ("A dozen Chief Officers raised governance.", "quantifier", Outcome.FAIL),
    ("A handful of Chief Officers raised governance.", "quantifier", Outcome.PASS),
    ("Most of the 16 raised governance.", "quantifier", Outcome.FAIL),
    ("70% of those surveyed raised governance.", "percentage", Outcome.FAIL),
    ("31% of everyone asked raised governance.", "percentage", Outcome.PASS),
    ("Nine local partnerships (56%) raised governance.", "count", Outcome.FAIL),
    ("Nine partnerships, or 56%, raised governance.", "count", Outcome.FAIL),
    ("70% of those responding raised governance.", "percentage", Outcome.FAIL),
    ("70% of the sample raised governance.", "percentage", Outcome.FAIL),
    ("Nine C.O.s raised governance.", "count", Outcome.FAIL),  # the initials with dots
    ("Nine C.O.'s raised governance.", "count", Outcome.FAIL),
    ("Five C.O.s raised governance.", "count", Outcome.PASS),
    ("Nine officers raised governance.", "count", Outcome.FAIL),  # the noun's last word
    ("Five officers raised governance.", "count", Outcome.PASS),
    ("Seventy per cent of Chief Officers raised governance.", "percentage", Outcome.FAIL),
    ("Thirty-one per cent of Chief Officers raised governance.", "percentage", Outcome.PASS),
])
def test_counts_in_the_words_writers_use_are_read(example, sentence, kind, outcome):
    """Five of 16 mention governance. Each of these was read as no claim at all, so "nine
    COs", "nine C.O.s" and "70% of those surveyed" passed `eval` unread."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == kind]
    assert claim.outcome is outcome, claim.reason


@pytest.mark.parametrize("sentence", ["Most officers raised governance.",
                                      "70% of officers raised governance.",
                                      "Nine officer posts were filled in one area."])
def test_the_nouns_last_word_alone_is_read_only_when_counted_in_the_plural(example, sentence):
    """"Nine officers" counts Chief Officers, but "officers" alone may be anyone's: an amount
    or a share of them, or "officer" in the singular, is not read as one of people."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert not report.numbers, report.numbers


@pytest.mark.parametrize("sentence", ["Most of the 16 areas raised governance.",
                                      "Budgets were cut, each one by a tenth.",
                                      "Two-thirds of partnerships raised governance.",
                                      "Most partnerships raised governance."])
def test_an_amount_of_things_is_not_read_as_people(example, sentence):
    """An amount of a noun the gate does not know is not read as people. A count of one is
    read only when a share beside it matches a count of the people asked ("nine partnerships
    (56%)": 9 of 16); a fraction or "most" is itself the share, with no count beside it to
    match, so "two-thirds of partnerships" may as well be of partnership plans or budgets (and
    "most of the 16 areas", whose 16 matches, is of areas). So these pass unread even where
    each partnership has one Chief Officer; "two-thirds of Chief Officers" is read and
    checked (`test_fractions_are_read_and_checked`)."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert not report.numbers


@pytest.mark.parametrize("cited", ["[R09 and R10]", "[R09 & R10]", "[R09/R10]", "[R09–R10]",
                                   "[R09-R10]", "[R09 R10]", "[R09] [R10]", "[R09][R10]",
                                   "[R09], [R10]", "[R09] and [R10]", "(R09) (R10)"])
def test_every_way_of_citing_two_people_cites_both(example, cited):
    """Each of these was read as no citation, or as R09's alone, so the quote passed as if
    R10 had said it too."""
    for kind in ("One wrote “Large volume of legacy issues” {cited}.\n",
                 "> “Large volume of legacy issues” {cited}\n"):
        report = check(example, "## 2.3 What has hindered progress?\n\n"
                                + kind.format(cited=cited))
        [quote] = report.quotes
        assert quote.cited == ("R09", "R10") and quote.outcome is Outcome.FAIL, (kind, quote)


def test_a_quote_cited_to_several_people_must_be_in_each_ones_answer(example):
    """R09 wrote "Large volume of legacy issues"; R10 did not. Cited to both, it passed,
    as if two Chief Officers had said it."""
    both = check(example, "## 2.3 What has hindered progress?\n\nOne wrote “Large volume of "
                          "legacy issues” [R09, R10].\n")
    [quote] = both.quotes
    assert quote.outcome is Outcome.FAIL and "R10" in quote.verification.reason
    alone = check(example, "## 2.3 What has hindered progress?\n\nOne wrote “Large volume of "
                           "legacy issues” [R09].\n")
    assert [q.outcome for q in alone.quotes] == [Outcome.PASS]


def test_a_statistics_tables_means_and_counts_are_read_and_checked(example):
    """A report's ratings and options tables were read cell by cell, each a bare number, so
    a mean changed from 8.6 to 6.8 and a count from 6 to 9 passed `eval` and `report`."""
    report = check(example, "## 2.4 Understanding the challenges\n\n"
                            "| Item | n | Mean | Median |\n|---|---|---|---|\n"
                            "| Financial pressures | 16 | 6.8 | 8.5 |\n\n"
                            "## 2.8 Support from the ihub\n\n"
                            "| Option | Count | % of those answering |\n|---|---|---|\n"
                            "| Satisfied | 9 | 75.0% |\n| Very satisfied | 2 | 16.7% |\n")
    found = {(n.kind, n.claim): n.outcome for n in report.numbers}
    assert found[("mean", "mean 6.8")] is Outcome.FAIL
    assert found[("median", "median 8.5")] is Outcome.PASS
    assert found[("count", "9 (75.0%)")] is Outcome.FAIL
    assert found[("count", "2 (16.7%)")] is Outcome.PASS


def test_a_statistics_table_states_the_same_in_html_and_word(tmp_path: Path):
    """The report's three formats print the same table; each is read as stating the same."""
    from docx import Document

    from summariser.gate.blocks import docx_blocks
    from summariser.gate.html import html_blocks

    header, row = ["Item", "n", "Mean", "Median"], ["Financial pressures", "16", "6.8", "8.5"]
    stated = ["Financial pressures: mean 6.8.", "Financial pressures: median 8.5."]
    html = ("<h2>2.4 Understanding the challenges</h2><table><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead><tbody><tr>"
            + "".join(f"<td>{c}</td>" for c in row) + "</tr></tbody></table><p>After.</p>")
    blocks, _ = html_blocks(html)
    assert [b.text for b in blocks if b.text in stated] == stated
    assert blocks[-1].text == "After."
    document = Document()
    document.add_heading("2.4 Understanding the challenges", 2)
    table = document.add_table(rows=2, cols=4)
    for cells, texts in zip(table.rows, (header, row)):
        for cell, text in zip(cells.cells, texts):
            cell.text = text
    document.add_paragraph("After.")
    document.save(tmp_path / "report.docx")
    blocks, _ = docx_blocks(tmp_path / "report.docx")
    assert [b.text for b in blocks if b.text in stated] == stated
    assert blocks[-1].text == "After." and blocks[-1].line == 10  # heading, 8 cells, after


@pytest.mark.parametrize(("sentence", "kind", "outcome"), [
    ("A questionnaire was sent to 31 Chief Officers; 16 responded.", "count", Outcome.PASS),
    ("A questionnaire was sent to 31 Chief Officers; 14 responded.", "count", Outcome.FAIL),
    ("Sixteen replied, a response rate of 52%.", "percentage", Outcome.PASS),
    ("Sixteen replied, a response rate of 72%.", "percentage", Outcome.FAIL),
])
def test_who_responded_and_the_response_rate_are_checked(example, sentence, kind, outcome):
    """The methods paragraph's "16 responded, a response rate of 52%" was not read: either
    number could be changed and `eval` and `report` passed it."""
    report = check(example, f"## 1 Introduction\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == kind and "31" not in n.claim]
    assert claim.outcome is outcome, claim


def test_evidence_added_to_a_sidecar_by_hand_is_refused(example_project, drafted, tmp_path):
    """A count is the people with coded evidence. A sidecar edited to give another
    respondent "meaning" evidence (their real words, at the right offsets) was trusted: the
    count then passed at one more than coding gives. Hand coding belongs in the codebook."""
    import json
    import shutil

    from summariser.errors import EvidenceEdited
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    copy = tmp_path / drafted.name
    shutil.copy(drafted, copy)
    data = json.loads(drafted.with_suffix(".json").read_text())
    copy.with_suffix(".json").write_text(json.dumps(data))
    assert evaluate_paths([copy], manifest, Store(manifest.store_path)).passed  # as drafted
    theme = data["themes"][0]
    _, read, _ = corpus_of(example_project)
    other = next(r for r in read.responses if r.question in data["questions"]
                 and r.respondent not in theme["respondents"] and r.text.strip())
    theme["respondents"] = sorted([*theme["respondents"], other.respondent])
    theme["evidence"].append({**theme["evidence"][0], "respondent": other.respondent,
                              "response_id": other.response_id, "start": 0,
                              "end": len(other.text), "text": other.text, "via": "meaning",
                              "phrase": None})
    copy.with_suffix(".json").write_text(json.dumps(data))
    with pytest.raises(EvidenceEdited, match="changed after drafting"):
        evaluate_paths([copy], manifest, Store(manifest.store_path))
    with pytest.raises(EvidenceEdited):
        evaluate_paths([copy.with_suffix(".json")], manifest, Store(manifest.store_path))


def _swap_titles(data: dict) -> None:
    first, second = data["themes"][:2]
    first["title"], second["title"] = second["title"], first["title"]


def _no_digest(data: dict) -> None:
    del data["files"]["evidence"]


def _held_published(data: dict) -> None:
    data["themes"].append({**data["themes"][0], "id": "t99", "title": "Everything"})


@pytest.mark.parametrize("edit", [
    _swap_titles,  # "Delayed discharge" printed with Locality teams' people
    lambda data: data.update(denominator=20),  # "five of 20": only 16 answered
    _held_published, _no_digest])
def test_what_a_sidecars_counts_rest_on_cannot_be_changed_by_hand(example_project, drafted,
                                                                 tmp_path, edit):
    import json
    import shutil

    from summariser.errors import EvidenceEdited
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    copy = tmp_path / drafted.name
    shutil.copy(drafted, copy)
    data = json.loads(drafted.with_suffix(".json").read_text())
    edit(data)
    copy.with_suffix(".json").write_text(json.dumps(data))
    with pytest.raises(EvidenceEdited):
        evaluate_paths([copy], manifest, Store(manifest.store_path))


@pytest.mark.parametrize("sentence", ["Two co-located teams were set up in one area.",
                                      "Three co-production events were held.",
                                      "They closed 40 beds (20%).", "Filled 12 posts (10%).",
                                      "All 4 localities (100%) have a plan."])
def test_things_counted_beside_a_share_of_them_are_not_people(example, sentence):
    """"Two co-located teams" was read as two COs, and "40 beds (20%)" as 40 respondents:
    both failed a true sentence. A count of a noun the gate does not know is of people only
    when its share is of the people asked."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert not report.numbers, report.numbers


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("A questionnaire was sent to 31 Chief Officers; 16 replied (52%).", Outcome.PASS),
    ("A questionnaire was sent to 31 Chief Officers; 16 replied (72%).", Outcome.FAIL),
    ("Sixteen of the 31 responded.", Outcome.PASS),
])
def test_who_replied_is_read_with_its_share_of_those_invited(example, sentence, outcome):
    """"16 replied (52%)" was read as 16 of 16 people (100%), and "16 of the 31 responded" as
    31 who responded: both failed a true methods sentence."""
    report = check(example, f"## 1 Introduction\n\n{sentence}\n")
    found = [n for n in report.numbers if n.claim != "31 Chief Officers"]
    assert found and {n.outcome for n in found} >= {outcome}, found
    assert outcome is Outcome.FAIL or all(n.outcome is Outcome.PASS for n in found), found


@pytest.mark.parametrize("header", ["Mean score", "Avg", "Mean:", "Mean (SD)", "Mean ± SD"])
def test_a_means_column_is_read_however_it_is_headed(example, header):
    report = check(example, "## 2.4 Understanding the challenges\n\n"
                            f"| Item | n | {header} |\n|---|---|---|\n"
                            "| Financial pressures | 16 | 9.6 (1.0) |\n")
    [mean] = [n for n in report.numbers if n.kind == "mean"]
    assert mean.outcome is Outcome.FAIL, mean  # the mean is 8.56


@pytest.mark.parametrize(("table", "outcome"), [
    ("| Option | Number | Percent |\n|---|---|---|\n| Satisfied | 7 | 58.3 |\n", Outcome.FAIL),
    ("| Option | Count | % of all respondents |\n|---|---|---|\n| Satisfied | 6 | 37.5% |\n",
     Outcome.PASS),  # six of the 16 asked
])
def test_an_options_table_is_read_however_its_columns_are_headed(example, table, outcome):
    report = check(example, f"## 2.8 Support from the ihub\n\n{table}")
    [count] = [n for n in report.numbers if n.kind == "count"]
    assert count.outcome is outcome, count
    assert outcome is Outcome.FAIL or all(n.outcome is Outcome.PASS for n in report.numbers)


def test_a_subgroups_table_is_not_checked_against_everyone(example):
    report = check(example, "## 2.4 Understanding the challenges\n\n"
                            "| Item (medium partnerships, n=7) | Mean |\n|---|---|\n"
                            "| Financial pressures | 8.7 |\n")
    assert not [n for n in report.numbers if n.kind == "mean"]


@pytest.mark.parametrize("row", [
    "<tr><td>Financial pressures</td><td><p>9.6</p></td></tr>",  # a paragraph in a cell
    "<tr><td>Financial pressures<td>9.6</tr>",  # end tags left out, as HTML allows
    "<tr><td colspan=\"1\">Financial pressures</td><td>9.6</td></tr>",
])
def test_an_html_tables_cells_are_read_whatever_their_markup(row):
    from summariser.gate.html import html_blocks

    html = ("<table><tr><th colspan=\"2\">Ratings</th></tr><tr><th>Item</th><th>Mean<br>"
            f"rating</th></tr>{row}</table>")
    blocks, _ = html_blocks(html)
    assert "Financial pressures: mean 9.6." in [b.text for b in blocks]


def test_a_word_table_with_merged_cells_is_read_by_its_columns(tmp_path: Path):
    from docx import Document

    from summariser.gate.blocks import docx_blocks

    document = Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "Ratings"  # a row grouping the columns
    for cell, text in zip(table.rows[1].cells, ["Item", "n", "Mean", "Median"]):
        cell.text = text
    for cell, text in zip(table.rows[2].cells, ["Financial pressures", "16", "9.6", "9.6"]):
        cell.text = text
    table.cell(2, 2).merge(table.cell(2, 3))  # mean and median in one merged cell
    document.save(tmp_path / "report.docx")
    blocks, _ = docx_blocks(tmp_path / "report.docx")
    said = [b.text for b in blocks if b.text.startswith("Financial pressures:")]
    assert said == ["Financial pressures: mean 9.6.", "Financial pressures: median 9.6.",
                    "Financial pressures: n 16."]


@pytest.mark.parametrize(("sentence", "kind", "outcome"), [
    ("We received 19 responses.", "count", Outcome.FAIL),
    ("We received 16 responses.", "count", Outcome.PASS),
    ("18 questionnaires were returned.", "count", Outcome.FAIL),
    ("A 72% response rate.", "percentage", Outcome.FAIL),
    ("52% responded.", "percentage", Outcome.PASS),
    ("A questionnaire was sent to 41 Chief Officers.", "count", Outcome.FAIL),
    ("Responses were received from 18 Chief Officers.", "count", Outcome.FAIL),
    ("Responses were received from 16 Chief Officers.", "count", Outcome.PASS),
    ("18 returned their questionnaires.", "count", Outcome.FAIL),  # was unchecked
    ("16 returned their questionnaires.", "count", Outcome.PASS),
])
def test_what_was_sent_and_returned_is_checked(example, sentence, kind, outcome):
    """Each was unread ("sent to 41" and "received from 18" unchecked): a methods paragraph
    could state any of them."""
    report = check(example, f"## 1 Introduction\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == kind]
    assert claim.outcome is outcome, claim


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("16 responded and 12 did not.", Outcome.FAIL),
    ("16 responded and 15 did not.", Outcome.PASS),
    ("Sixteen of the 31 Chief Officers replied; 12 did not respond.", Outcome.FAIL),
    ("16 responded (52%) and 12 did not (48%).", Outcome.FAIL),
])
def test_who_did_not_respond_is_checked_against_those_invited(example, sentence, outcome):
    """31 were invited and 16 responded, so 15 did not: "12 did not" passed unread."""
    report = check(example, f"## 1 Introduction\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if "did not" in n.claim]
    assert claim.kind == "count" and claim.outcome is outcome, claim
    assert all(n.outcome is Outcome.PASS for n in report.numbers if n is not claim), report


@pytest.mark.parametrize("sentence", ["Five raised governance and 11 did not.",
                                      "14 responded to this question and 2 did not."])
def test_did_not_after_anything_but_taking_part_is_not_who_stayed_away(example, sentence):
    """"11 did not" raise governance, and two did not answer one question: neither is a count
    of those invited who did not respond."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert not [n for n in report.numbers if "did not" in n.claim], report.numbers


def test_who_did_not_respond_is_left_to_a_reader_when_the_invited_are_not_known(tmp_path):
    project = _project(tmp_path, "R1,Budgets.\nR2,Staff.\n")
    report = check(corpus_of(project), "## 1 Views\n\nTwo responded and three did not.\n")
    [claim] = [n for n in report.numbers if "did not" in n.claim]
    assert claim.outcome is Outcome.UNCHECKED and "`invited`" in claim.reason, claim


def test_responses_that_mention_something_are_not_who_took_part(example):
    report = check(example, "## 2.3 What has hindered progress?\n\nFive responses mentioned "
                            "budgets.\n")
    assert not report.numbers


def test_a_ratings_tables_n_spread_and_range_are_checked(example):
    """A ratings table's n, SD and range were never read: 12 ratings, an SD of 3.96 and a
    range of 2-10 passed where 16 rated financial pressures, SD 0.96, from 7 to 10."""
    table = "| Item | n | Mean | Median | Range | SD |\n|---|---|---|---|---|---|\n"
    true = check(example, "## 2.4 Understanding the challenges\n\n" + table
                          + "| Financial pressures | 16 | 8.6 | 8.5 | 7–10 | 0.96 |\n")
    assert {n.kind for n in true.numbers} == {"mean", "median", "n", "sd", "minimum", "maximum"}
    assert all(n.outcome is Outcome.PASS for n in true.numbers), true.numbers
    false = check(example, "## 2.4 Understanding the challenges\n\n" + table
                           + "| Financial pressures | 12 | 8.6 | 8.5 | 2–10 | 3.96 |\n")
    assert {n.kind for n in false.numbers if n.outcome is Outcome.FAIL} == {"n", "sd", "minimum"}


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Most of the 16 Chief Officers raised governance.", Outcome.FAIL),  # passed: 16 of 16
    ("None of the 16 Chief Officers raised governance.", Outcome.FAIL),
    ("A third of the 16 Chief Officers raised governance.", Outcome.PASS),  # failed: 16 of 16
    ("A few of the 16 Chief Officers raised governance.", Outcome.FAIL),
    ("Most of the 16 Chief Officers responded.", Outcome.PASS),
])
def test_an_amount_of_a_number_of_people_is_of_that_many(example, sentence, outcome):
    """Five of 16 mention governance. In "most of the 16 Chief Officers" the 16 is who the
    amount is of: it was read as a count of 16 as well, which failed, and gave the amount its
    count, so "most" passed as 16 of 16."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert [(n.kind, n.outcome) for n in report.numbers] == [("quantifier", outcome)], \
        [(n.claim, n.kind, n.outcome, n.reason) for n in report.numbers]


@pytest.mark.parametrize("sentence", [
    "All considered, the partnerships made progress.", "All told, governance was the barrier.",
    "All qualified nurses were in short supply.", "Most shared services were slow to start.",
    "Most planned savings were not made.", "Most bed spaces were in care homes."])
def test_an_amount_before_a_word_that_describes_or_sets_off_is_not_of_people(example,
                                                                           sentence):
    """A reviewer's sentences an analyst writes: none says how many people said anything."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert not report.numbers, [(n.claim, n.outcome, n.reason) for n in report.numbers]


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Nearly all mentioned governance.", Outcome.FAIL),  # five of 16: passed unread
    ("Most said governance slowed them down.", Outcome.UNCHECKED),  # read, but of nothing
    # the gate can count by: checked by hand
    ("A third mentioned governance.", Outcome.PASS),
    ("Most comments were about governance.", Outcome.UNCHECKED),  # of answers, not people
    ("Nearly all of the responses named governance.", Outcome.UNCHECKED),
])
def test_an_amount_with_no_noun_is_of_the_people_who_said_it(example, sentence, outcome):
    """An analyst's "nearly all mentioned familiar faces" (9 of 58 had) and "Most comments were
    about the carers" were published unread. An amount that says or writes something is of
    people, and checked; an amount of comments is of answers, which the gate does not count:
    it is said to be unchecked, so `report` asks for it to be checked by hand."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    assert [(n.kind, n.outcome) for n in report.numbers] == [("quantifier", outcome)], \
        [(n.claim, n.kind, n.outcome, n.reason) for n in report.numbers]


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Three of the five Chief Officers of large partnerships raised governance.", Outcome.PASS),
    ("Three of the four Chief Officers of small partnerships raised governance.", Outcome.FAIL),
    ("One of the four small partnerships' Chief Officers raised governance.", Outcome.PASS),
    ("Most of the five large partnerships' Chief Officers raised governance.", Outcome.PASS),
    ("Most of the seven medium partnerships' Chief Officers raised governance.", Outcome.FAIL),
    ("Three of the five Chief Officers who lead large partnerships raised governance.",
     Outcome.PASS),
    # A group named, but not as what the count is of: checked against everyone (five).
    ("Large partnerships aside, three of the five Chief Officers raised governance.",
     Outcome.FAIL),
    ("Three of the five Chief Officers mentioned governance as a large problem.", Outcome.FAIL),
    ("In the medium term, one of the seven Chief Officers raised governance.", Outcome.FAIL),
    # The group's size wrong, or not stated, or two groups: checked within them.
    ("Five Chief Officers of large partnerships raised governance.", Outcome.FAIL),
    ("Three of the seven Chief Officers of large partnerships raised governance.", Outcome.FAIL),
    ("Five of the 12 Chief Officers of medium and large partnerships raised governance.",
     Outcome.FAIL),
    ("Four of the nine Chief Officers of small and large partnerships raised governance.",
     Outcome.PASS),
    ("A minority of Chief Officers of large partnerships raised governance.", Outcome.FAIL),
    ("Most Chief Officers of large partnerships raised governance.", Outcome.PASS),
    ("Sixty per cent of the Chief Officers of large partnerships raised governance.",
     Outcome.PASS),
    ("Half of the four Chief Officers of small partnerships raised governance.", Outcome.FAIL),
])
def test_a_subgroups_count_in_prose_is_checked_within_it(example, sentence, outcome):
    """Governance: R10, R12 and R16 of the five large partnerships, R05 of the four small, R14
    of the seven medium. A count of a subgroup the sentence names, of as many as answered in
    it, was checked against everyone: the true "three of the five ... large" failed (five
    mention it) and a false one of the four small failed for the wrong reason. A group counts
    only when it is what the count is of ("of large partnerships" right after it): a helper
    trying to break the first version passed "Large partnerships aside, three of the five ..."
    and "... governance as a large problem" by the word alone."""
    [claim] = by_group(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n").numbers
    assert claim.outcome is outcome, claim.reason
    if outcome is Outcome.PASS:
        assert re.search(r"“(?:Large|Small|Medium|Small and Large)”|of 5 is", claim.reason), \
            claim.reason


def test_eval_reads_the_subgroups_from_the_store(example_project: Path, tmp_path: Path):
    from summariser.gate.run import evaluate_paths
    from summariser.index.store import Store

    manifest = load_manifest(example_project)
    path = tmp_path / "large.md"
    path.write_text("## 2.3 What has hindered progress?\n\nThree of the five Chief Officers of "
                    "large partnerships raised governance.\n", encoding="utf-8")
    [claim] = evaluate_paths([path], manifest, Store(manifest.store_path)).numbers
    assert claim.outcome is Outcome.PASS, claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Fifteen Chief Officers did not respond.", Outcome.PASS),  # failed: 16 answered
    ("Twelve Chief Officers did not respond.", Outcome.FAIL),
    ("Sixteen of the 30 Chief Officers invited responded.", Outcome.FAIL),  # passed
    ("Sixteen of the 31 Chief Officers invited responded.", Outcome.PASS),
    ("Fifteen of the 31 invited did not respond.", Outcome.PASS),  # unchecked
    ("Twelve (39%) of those invited did not respond.", Outcome.FAIL),  # unchecked
])
def test_who_stayed_away_and_who_was_invited_are_checked(example, sentence, outcome):
    """31 were invited and 16 responded. A helper trying to break the gate found "Fifteen Chief
    Officers did not respond" failed (read as 15 who answered) and "16 of the 30 invited"
    passed (the number invited was never checked)."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == "count"]
    assert claim.outcome is outcome, claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Five Chief Officers did not raise governance.", Outcome.FAIL),  # passed as five who did
    ("Eleven Chief Officers did not raise governance.", Outcome.PASS),
    ("Eleven of 16 Chief Officers did not mention governance.", Outcome.PASS),
])
def test_a_count_of_those_who_did_not_is_of_the_rest(example, sentence, outcome):
    """Five of 16 mention governance, so eleven do not: "five did not raise governance" was
    read as five who did, and passed."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == "count"]
    assert claim.outcome is outcome, claim.reason


@pytest.mark.parametrize(("heading", "sentence", "kind", "outcome"), [
    ("2.2 What has enabled progress?", "All but one Chief Officer answered this question.",
     "quantifier", Outcome.PASS),  # failed: of the 15 who answered, not the 16 who took part
    ("2.3 What has hindered progress?", "Fifteen Chief Officers did not complete the "
                                        "questionnaire.", "count", Outcome.PASS),  # of the 31
    ("2.3 What has hindered progress?", "Sixteen of 40 Chief Officers responded.", "count",
     Outcome.FAIL),  # passed: 31 were invited
    ("2.3 What has hindered progress?", "Sixteen (52%) of the Chief Officers invited "
                                        "responded.", "percentage", Outcome.PASS),  # failed
    ("2.3 What has hindered progress?", "Sixteen (100%) of the Chief Officers responded.",
     "percentage", Outcome.FAIL),  # 16 of the 31 invited
])
def test_who_answered_a_question_is_of_those_who_took_part(example, heading, sentence, kind,
                                                           outcome):
    report = check(example, f"## {heading}\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == kind]
    assert claim.outcome is outcome, claim.reason


def test_who_did_not_answer_a_question_took_part_and_left_it_blank(example):
    """15 of the 16 who took part answered 2.2: R15 did not ("two did not answer" failed, but
    as a count of the 15 who answered)."""
    report = check(example, "## 2.2 What has enabled progress?\n\nTwo Chief Officers did not "
                            "answer this question.\n")
    [claim] = [n for n in report.numbers if n.kind == "count"]
    assert claim.outcome is Outcome.FAIL
    assert "R15 took part in the survey but did not answer this question (1)" in claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Five of the 16, all from large partnerships, raised governance.", Outcome.FAIL),  # passed
    ("Five of the 16 Chief Officers, all of them from large partnerships, raised governance.",
     Outcome.FAIL),
    ("Five Chief Officers, each from a large partnership, raised governance.", Outcome.FAIL),
    ("Five of the 16, all of whom lead large partnerships, raised governance.", Outcome.FAIL),
    ("Five Chief Officers, all from small, medium or large partnerships, raised governance.",
     Outcome.PASS),
    ("Five of the 16 raised governance, all from large partnerships.", Outcome.FAIL),  # passed
    ("Five of the 16 raised governance, all of them from large partnerships.", Outcome.FAIL),
    ("Five Chief Officers, all but one from large partnerships, raised governance.",
     Outcome.FAIL),  # passed: two are not
    ("Five Chief Officers, all but two from large partnerships, raised governance.",
     Outcome.PASS),
])
def test_a_count_said_to_be_all_of_a_subgroup_is_checked_for_each_person(example, sentence,
                                                                         outcome):
    """Governance: R10, R12 and R16 lead large partnerships, R05 a small one and R14 a medium
    one; "five of the 16, all from large partnerships" passed on the count alone."""
    [claim] = by_group(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n").numbers
    assert claim.outcome is outcome, claim.reason
    if outcome is Outcome.FAIL:
        assert "R05, R14 are not of “Large”" in claim.reason


@pytest.mark.parametrize(("sentence", "kind", "outcome"), [
    ("Fifteen Chief Officers (48%) did not respond.", "percentage", Outcome.PASS),  # failed
    ("Fifteen Chief Officers (52%) did not respond.", "percentage", Outcome.FAIL),
    ("Fifteen of the 16 Chief Officers did not respond.", "count", Outcome.FAIL),  # passed
    ("Fifteen of the 31 Chief Officers did not respond.", "count", Outcome.PASS),
    ("Sixteen responded (52%) and 15 (48%) did not.", "percentage", Outcome.PASS),  # failed
    ("Sixteen responded and 15 Chief Officers did not.", "count", Outcome.PASS),  # unchecked
    ("Sixteen responded and 14 Chief Officers did not.", "count", Outcome.FAIL),  # unchecked
])
def test_who_stayed_away_are_of_those_invited(example, sentence, kind, outcome):
    """31 were invited and 16 responded: the 15 who did not are 48% of the 31. Their share was
    taken of the 16 who answered (a true 48% failed), a whole of 16 passed, and a count of
    them with a share or a noun before "did not" was not read as such."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == kind
               and n.claim.startswith(("Fifteen", "15", "14"))]
    assert claim.outcome is outcome, claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Sixteen of the 31 Chief Officers invited responded (60%).", Outcome.FAIL),  # unread
    ("Sixteen of the 31 Chief Officers invited responded (52%).", Outcome.PASS),
])
def test_a_share_after_who_responded_is_the_response_rate(example, sentence, outcome):
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [rate] = [n for n in report.numbers if n.kind == "percentage"]
    assert rate.outcome is outcome, rate.reason


@pytest.mark.parametrize(("sentence", "kind", "outcome"), [
    ("We received 16 responses (60%).", "percentage", Outcome.FAIL),  # dropped, as "40 beds"
    ("We received 16 responses (52%).", "percentage", Outcome.PASS),
    ("Responses were received from all 16.", "quantifier", Outcome.PASS),  # failed: unsupported
    ("We heard from all 16.", "quantifier", Outcome.PASS),  # failed
    ("We heard from all 18.", "quantifier", Outcome.FAIL),
    ("We heard from 18 Chief Officers.", "count", Outcome.FAIL),  # was unchecked: 16 took part
    ("We heard from 16 Chief Officers.", "count", Outcome.PASS),
    ("Responses were received from all 16 Chief Officers.", "quantifier", Outcome.PASS),  # failed
    ("We heard from two Chief Officers that governance was hard.", "count", Outcome.UNCHECKED),
])
def test_what_was_sent_back_counts_who_took_part(example, sentence, kind, outcome):
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == kind]
    assert claim.outcome is outcome, claim.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("Everyone (90%) raised governance.", Outcome.FAIL),  # unread: 5 of 16 did
    ("Most Chief Officers (90%) raised governance.", Outcome.FAIL),
    ("A few Chief Officers (31%) raised governance.", Outcome.PASS),
])
def test_a_share_after_an_amount_is_checked(example, sentence, outcome):
    """"All Chief Officers (90%)" or "everyone (90%)" states a share with no count: it was
    never read, so any percentage passed."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [share] = [n for n in report.numbers if n.kind == "percentage"]
    assert share.outcome is outcome, share.reason


@pytest.mark.parametrize(("sentence", "outcome"), [
    # in 2.2, which 15 of the 16 who took part answered
    ("Sixteen of 31 Chief Officers responded, a response rate of 52%.", Outcome.PASS),  # failed
    ("Sixteen Chief Officers took part in the survey and 15 answered this question.",
     Outcome.PASS),  # failed: counted as the 15 who answered the section
    ("Fifteen Chief Officers did not respond.", Outcome.PASS),  # failed: 31 less the 15
    ("Fifteen Chief Officers responded to this question.", Outcome.PASS),
    ("Sixteen Chief Officers answered this question.", Outcome.FAIL),
])
def test_who_took_part_in_the_survey_is_not_who_answered_the_section(example, sentence,
                                                                    outcome):
    report = check(example, f"## 2.2 What has enabled progress?\n\n{sentence}\n")
    assert report.numbers and all(n.outcome is outcome for n in report.numbers), report.numbers


def test_all_of_those_just_counted_is_no_claim_about_everyone(example):
    """"Five raised governance, all of them worried": the five, not all 16 ("all of them" was
    read as a claim that all 16 did, and failed)."""
    report = check(example, "## 2.3 What has hindered progress?\n\nFive of the 16 raised "
                            "governance, all of them worried.\n")
    assert [(n.kind, n.outcome) for n in report.numbers] == [("count", Outcome.PASS)], \
        report.numbers



def test_items_that_share_a_scale_have_their_top_two_checked_item_by_item(tmp_path: Path):
    """Every 0-10 item's top two is "9 or 10". The gate took the first item with that label
    for every sentence, so the report refused its own true figure for the second item and
    passed the first item's figure printed for it. The item a sentence names is the one."""
    from summariser.report.stats import compute_stats
    from tests.conftest import copy_project

    root = copy_project(EXAMPLE, tmp_path / "hscp")
    toml = root / "summariser.toml"
    text = toml.read_text(encoding="utf-8")
    for item in ("rating_finance", "rating_workforce"):
        text = text.replace(f'id = "{item}"\n', f'id = "{item}"\ntop_two = true\n', 1)
    toml.write_text(text, encoding="utf-8")
    corpus = corpus_of(root)
    tops = {r.label: r.top_two for r in compute_stats(corpus[0], corpus[1]).ratings
            if r.top_two}
    finance, workforce = tops["Financial pressures"], tops["Workforce issues"]
    assert finance.count != workforce.count
    for label, top, outcome in (("Workforce issues", workforce, Outcome.PASS),
                                ("Workforce issues", finance, Outcome.FAIL),
                                ("Financial pressures", finance, Outcome.PASS)):
        sentence = f"{label}, {top.sentence()}."
        report = check(corpus, f"## 2.4 Understanding the challenges\n\n{sentence}\n")
        [count] = [n for n in report.numbers if n.kind == "count"]
        assert count.outcome is outcome, (sentence, count.reason)
    # Named by no item, the figure is no item's the gate can tell: never another item's pass.
    report = check(corpus, f"## 2.4 Understanding the challenges\n\n{finance.sentence()}.\n")
    assert [n.outcome for n in report.numbers if n.kind == "count"] != [Outcome.PASS]


@pytest.mark.parametrize(("sentence", "outcome"), [
    ("A survey of 16 Chief Officers.", Outcome.PASS),  # who took part
    ("We surveyed all 31 Chief Officers.", Outcome.PASS),  # who were asked
    ("A survey of 20 Chief Officers.", Outcome.FAIL),
])
def test_a_survey_of_so_many_is_checked(example, sentence, outcome):
    """A report's subtitle, "Survey of 420 students", was left for a reader to check: it is
    who took part, or who was asked, and nothing else."""
    report = check(example, f"## 2.3 What has hindered progress?\n\n{sentence}\n")
    [claim] = [n for n in report.numbers if n.kind == "count"]
    assert claim.outcome is outcome, claim.reason
