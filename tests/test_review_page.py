"""The review page (`summariser review`): every change it makes, through Starlette's TestClient,
on a real project (the example corpus, ingested once, with its real store and embedder). Each
change must write the codebook the CLI reads, keep the previous one to undo, and code the section
again so the counts on the page are the draft's."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from summariser.document.escape import html_text
from summariser.draft.codebook import read_codebook
from summariser.draft.records import SectionDraft, read_draft
from summariser.jobs.draft import DraftOptions, draft
from summariser.jobs.review import ReviewOptions
from summariser.review.app import make_app
from summariser.review.serve import bind
from summariser.text.wording import count_text

SECTION = "gone-well"


@pytest.fixture(scope="module")
def drafted(example_project: Path, tmp_path_factory) -> Path:
    """The example project with section 2.1 drafted, once for the module."""
    root = tmp_path_factory.mktemp("review") / "hscp"
    shutil.copytree(example_project, root, ignore=shutil.ignore_patterns("drafts", "out",
                                                                         "runs.sqlite"))
    draft(DraftOptions(project=root, sections=("2.1",)))
    return root


@pytest.fixture
def root(drafted: Path, tmp_path: Path) -> Path:
    """A copy of the drafted project for one test to change."""
    copy = tmp_path / "hscp"
    shutil.copytree(drafted, copy)
    return copy


class Page:
    """The review page of one project, as a browser without JavaScript uses it."""

    def __init__(self, root: Path):
        self.root = root
        self.client = TestClient(make_app(ReviewOptions(project=root)),
                                 base_url="http://127.0.0.1")
        self.token = re.search(r'name="token" value="([^"]+)"', self.get("/").text).group(1)

    def get(self, path: str):
        response = self.client.get(path)
        assert response.status_code == 200, response.text
        return response

    @property
    def codebook(self) -> Path:
        return self.root / "drafts" / f"{SECTION}.codebook.toml"

    def version(self) -> str:
        return hashlib.sha256(self.codebook.read_bytes()).hexdigest()

    def draft(self) -> SectionDraft:
        return read_draft(self.root / "drafts" / f"{SECTION}.json")

    def post(self, path: str, **fields) -> str:
        """Post a form as the page does; the message the page then shows."""
        data = {"token": self.token, "version": self.version(), **fields}
        response = self.client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 303, response.text
        shown = self.get(response.headers["location"]).text
        problem = re.search(r'<p class="problem" role="alert">(.*?)</p>', shown, re.S)
        assert problem is None, problem.group(1)
        return re.search(r'<p class="said" role="status">(.*?)</p>', shown, re.S).group(1)

    def change(self, action: str, **fields) -> str:
        return self.post(f"/s/{SECTION}/change", action=action, **fields)

    def history(self) -> list[Path]:
        return sorted((self.root / "drafts" / ".history" / SECTION).glob("*.codebook.toml"))


def _theme(draft: SectionDraft, title: str):
    return next(t for t in draft.themes if t.title == title)


def test_the_pages_show_every_theme_with_its_evidence_and_the_unassigned_answers(root: Path):
    page = Page(root)
    draft = page.draft()
    sections = page.get("/").text
    assert '<a href="/s/gone-well">2.1 What has gone well?</a>' in sections
    shown = page.get(f"/s/{SECTION}").text
    for theme in draft.themes:
        assert f"<h2>{html_text(theme.title)}</h2>" in shown
        counted = count_text(len(theme.respondents), 16, ("Chief Officer", "Chief Officers"))
        assert f'data-theme="{theme.id}">{counted}</span>' in shown
        for evidence in theme.evidence:  # each segment marked inside its whole answer
            assert f"<mark>{html_text(evidence.text)}</mark>" in shown
    assert "uses the phrase “" in shown and "similarity 0." in shown
    unassigned = page.get(f"/s/{SECTION}/unassigned").text
    assert f"Answers that fit no theme ({len(draft.uncoded)})" in unassigned
    for response_id in draft.uncoded:
        assert f'name="answers" value="{response_id}"' in unassigned
    assert f"No substantive answer ({len(draft.non_answers)})" in unassigned


def test_rename_writes_the_codebook_recodes_and_undo_restores_it(root: Path):
    page = Page(root)
    first = page.draft().themes[0]
    said = page.change("rename", theme=first.id, title="  Integrated   locality teams ")
    assert said == f"Renamed &#39;{first.title}&#39; to &#39;Integrated locality teams&#39;."
    assert read_codebook(page.codebook).theme(first.id).title == "Integrated locality teams"
    renamed = page.draft()
    assert renamed.codebook == "analyst"
    assert _theme(renamed, "Integrated locality teams").respondents == first.respondents
    assert "Integrated locality teams" in page.get(f"/s/{SECTION}").text
    assert len(page.history()) == 1
    assert page.post(f"/s/{SECTION}/undo").startswith("Undone")
    assert read_codebook(page.codebook).theme(first.id).title == first.title
    assert [t.title for t in page.draft().themes][0] == first.title and page.history() == []


def test_describe_sets_the_description_the_report_prints(root: Path):
    page = Page(root)
    theme = page.draft().themes[1]
    page.change("describe", theme=theme.id, description="Fewer people wait in hospital.")
    assert _theme(page.draft(), theme.title).summary == "Fewer people wait in hospital."
    assert "Fewer people wait in hospital." in (root / "drafts" / f"{SECTION}.md").read_text()


def test_merge_then_split_by_phrases(root: Path):
    page = Page(root)
    before = page.draft()
    book = read_codebook(page.codebook)
    phrased = [t for t in before.themes if book.theme(t.id).phrases]
    one, two = next((a, b) for a in phrased for b in phrased
                    if set(a.respondents) - set(b.respondents))
    page.change("merge", theme=one.id, other=two.id)
    merged = page.draft()
    assert one.title not in [t.title for t in merged.themes]
    both = _theme(merged, two.title)
    assert set(both.respondents) >= set(one.respondents) | set(two.respondents) - {""}
    assert len(both.respondents) > len(two.respondents)
    entry = read_codebook(page.codebook).theme(two.id)
    assert set(entry.include_answers) == {e.response_id for e in one.evidence + two.evidence}
    phrases = entry.phrases
    assert set(phrases) == set(book.theme(one.id).phrases) | set(book.theme(two.id).phrases)
    page.change("split", theme=two.id, title="Split off", phrases=list(book.theme(one.id).phrases))
    split = page.draft()
    assert read_codebook(page.codebook).theme("split-off").phrases == book.theme(one.id).phrases
    assert len(_theme(split, "Split off").respondents) >= 1
    assert len(page.history()) == 2


def test_split_by_answers_moves_the_ticked_people(root: Path):
    page = Page(root)
    theme = next(t for t in page.draft().themes if len(t.respondents) >= 3)
    moving = theme.evidence[0]
    page.change("split", theme=theme.id, title="Moved answers", answers=[moving.response_id])
    after = page.draft()
    assert moving.respondent not in _theme(after, theme.title).respondents
    assert _theme(after, "Moved answers").respondents == (moving.respondent,)
    entry = read_codebook(page.codebook).theme("moved-answers")
    assert entry.include_answers == (moving.response_id,) and moving.text in entry.examples
    assert moving.response_id in read_codebook(page.codebook).theme(theme.id).exclude_answers


def test_delete_and_add_from_a_phrase(root: Path):
    page = Page(root)
    gone = page.draft().themes[-1]
    page.change("delete", theme=gone.id)
    assert gone.title not in [t.title for t in page.draft().themes]
    assert read_codebook(page.codebook).theme(gone.id) is None
    page.change("add", title="Care at home", phrases="care at home", description="")
    added = _theme(page.draft(), "Care at home")
    assert added.respondents and all(e.via in ("phrase", "meaning") for e in added.evidence)
    assert any("care at home" in e.text.lower() for e in added.evidence)


def test_a_theme_from_chosen_answers_that_fit_no_theme(root: Path):
    page = Page(root)
    before = page.draft()
    chosen = list(before.uncoded[:2])
    assert len(chosen) == 2
    said = page.change("add", title="Something new", answers=chosen, view="unassigned")
    assert said == "Added &#39;Something new&#39; from 2 answer(s)."
    after = page.draft()
    new = _theme(after, "Something new")
    assert {e.response_id for e in new.evidence} >= set(chosen)
    assert not set(chosen) & set(after.uncoded)
    assert f"Fit no theme ({len(after.uncoded)})" in page.get(f"/s/{SECTION}/unassigned").text


def test_include_and_exclude_one_answer(root: Path):
    page = Page(root)
    before = page.draft()
    theme, answer = before.themes[0], before.uncoded[0]
    page.change("include", theme=theme.id, answers=[answer])
    included = _theme(page.draft(), theme.title)
    [coded] = [e for e in included.evidence if e.response_id == answer]
    assert coded.via == "analyst" and len(included.respondents) == len(theme.respondents) + 1
    assert answer not in page.draft().uncoded
    assert "coded by you" in page.get(f"/s/{SECTION}").text
    page.change("exclude", theme=theme.id, answers=[answer])
    entry = read_codebook(page.codebook).theme(theme.id)
    assert entry.exclude_answers == (answer,) and entry.include_answers == ()
    assert _theme(page.draft(), theme.title).respondents == theme.respondents
    other = theme.evidence[0]
    page.change("exclude", theme=theme.id, answers=[other.response_id])
    assert other.respondent not in _theme(page.draft(), theme.title).respondents


def test_a_theme_held_for_review_is_accepted_on_the_page(root: Path):
    page = Page(root)
    page.codebook.write_text('section = "gone-well"\n[[themes]]\nid = "all"\ntitle = "Everything"\n'
                             'phrases = ["a", "the", "and", "of", "to"]\n', encoding="utf-8")
    page.post(f"/s/{SECTION}/code")
    held = page.draft()
    assert held.themes == () and held.held[0].title == "Everything"
    assert held.lead.startswith("No theme is reported for these answers.")
    shown = page.get(f"/s/{SECTION}").text
    assert "Not published until you accept it." in shown
    said = page.change("accept", theme="all")
    assert "Accepted" in said and read_codebook(page.codebook).theme("all").accepted
    accepted = page.draft()
    assert accepted.held == () and accepted.themes[0].title == "Everything"
    assert "Not published until you accept it." not in page.get(f"/s/{SECTION}").text


def test_htmx_gets_the_page_back_with_the_new_counts(root: Path):
    page = Page(root)
    theme = page.draft().themes[0]
    response = page.client.post(
        f"/s/{SECTION}/change", headers={"HX-Request": "true"},
        data={"token": page.token, "version": page.version(), "action": "exclude",
              "theme": theme.id, "answers": theme.evidence[0].response_id})
    assert response.status_code == 200 and '<main id="main">' in response.text
    fewer = count_text(len(theme.respondents) - 1, 16, ("Chief Officer", "Chief Officers"))
    assert f'data-theme="{theme.id}">{fewer}</span>' in response.text


def test_a_change_to_a_codebook_edited_since_the_page_was_shown_is_refused(root: Path):
    page = Page(root)
    theme = page.draft().themes[0]
    shown = page.version()
    page.codebook.write_text(page.codebook.read_text() + "\n# my note\n", encoding="utf-8")
    edited = page.codebook.read_text()
    response = page.client.post(f"/s/{SECTION}/change", follow_redirects=True,
                                data={"token": page.token, "version": shown,
                                      "action": "delete", "theme": theme.id})
    assert "changed since this page was shown" in response.text
    assert page.codebook.read_text() == edited and page.history() == []


def test_a_form_from_elsewhere_and_a_foreign_host_are_refused(root: Path):
    page = Page(root)
    theme = page.draft().themes[0]
    before = page.codebook.read_text()
    forged = page.client.post(f"/s/{SECTION}/change", data={
        "token": "guess", "version": page.version(), "action": "delete", "theme": theme.id})
    assert forged.status_code == 403 and page.codebook.read_text() == before
    rebound = page.client.get("/", headers={"Host": "attacker.example:8765"})
    assert rebound.status_code == 421 and "Chief Officer" not in rebound.text
    assert page.client.post("/publish", data={"token": "x"}).status_code == 403


def test_the_page_serves_only_the_loopback_address_unless_asked():
    from summariser.errors import SummariserError

    with pytest.raises(SummariserError, match="--allow-remote"):
        bind("0.0.0.0", 0)
    sock = bind("127.0.0.1", 0)
    assert sock.getsockname()[0] == "127.0.0.1"
    sock.close()


def test_the_gate_and_publishing_from_the_page(root: Path):
    page = Page(root)
    gate = page.client.post("/gate", data={"token": page.token})
    assert gate.status_code == 200 and '<span class="pass">passed</span>' in gate.text
    published = page.client.post("/publish", data={"token": page.token})
    assert published.status_code == 200 and "<h1>Published</h1>" in published.text
    report = (root / "out" / "report.md").read_text(encoding="utf-8")
    assert "2.1 What has gone well?" in report and str(root / "out" / "report.md") in \
        published.text


def test_reading_needs_no_javascript(root: Path):
    page = Page(root)
    for path in ("/", f"/s/{SECTION}", f"/s/{SECTION}/unassigned"):
        html = page.get(path).text
        for form in re.findall(r"<form\b[^>]*>", html):
            assert 'method="post"' in form and 'action="/' in form, form
        assert "<a " in html
    assert page.client.get("/static/htmx.min.js").status_code == 200


HOSTILE = [
    ("R 1&2", "<script>alert('x')</script> Waiting lists grew."),
    ("R3", "Bell\x07 and DEL\x7f and \u202eoverride\u202c here. Waiting lists grew."),
    ("<b>R4</b>", "Waiting lists grew; <img src=x onerror=alert(1)> &amp; more."),
    ("R5", "Waiting lists grew again."),
    ("R6", "Staff were kind."),
]


def test_respondents_words_are_escaped_and_their_hidden_characters_shown(tmp_path: Path):
    from tests.test_held_themes import MANIFEST

    root = tmp_path / "hostile"
    root.mkdir()
    manifest = MANIFEST.split("[[sections.themes]]")[0] + (
        '[[sections.themes]]\nid = "waits"\ntitle = "Waiting lists"\n'
        'phrases = ["waiting lists"]\n')
    (root / "summariser.toml").write_text(manifest, encoding="utf-8")
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["Ref", "Q1"], *HOSTILE])
    (root / "answers.csv").write_text(out.getvalue(), encoding="utf-8")
    from summariser.jobs.ingest import IngestOptions, ingest

    ingest(IngestOptions(project=root))
    draft(DraftOptions(project=root))
    page = Page(root)
    html = page.get(f"/s/{SECTION}").text + page.get(f"/s/{SECTION}/unassigned").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>R4</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "R 1&amp;2" in html and "&lt;b&gt;R4&lt;/b&gt;" in html
    assert "\x07" not in html and "\x7f" not in html and "\u202e" not in html
    assert "U+0007" in html and "U+007F" in html and "U+202E" in html
    # A theme made from a hostile answer keeps its words exactly in the codebook.
    [staff] = page.draft().uncoded
    page.change("include", theme="waits", answers=[staff])
    assert read_codebook(page.codebook).theme("waits").include_answers == (staff,)
    coded = [e for t in (*page.draft().themes, *page.draft().held) for e in t.evidence]
    odd = next(e.response_id for e in coded if e.respondent == "R3")
    page.change("exclude", theme="waits", answers=[odd], view="unassigned")
    assert odd in page.draft().uncoded  # its whole answer, controls and all, makes the theme
    page.change("add", title="Odd <characters>", answers=[odd], view="unassigned")
    examples = read_codebook(page.codebook).theme("odd-characters").examples
    assert any("\x07" in e and "\x7f" in e and "\u202e" in e for e in examples)
    assert "Odd &lt;characters&gt;" in page.get(f"/s/{SECTION}").text
    json.loads((root / "drafts" / f"{SECTION}.json").read_text(encoding="utf-8"))


def test_the_command_says_what_to_install_and_refuses_another_machines_address(
        monkeypatch, project: Path):
    from typer.testing import CliRunner

    import summariser.review
    from summariser.cli import app

    runner = CliRunner()
    refused = runner.invoke(app, ["review", "-p", str(project), "--host", "0.0.0.0"])
    assert refused.exit_code == 1 and "--allow-remote" in refused.output
    real = summariser.review.find_spec
    monkeypatch.setattr(summariser.review, "find_spec",
                        lambda name: None if name == "jinja2" else real(name))
    missing = runner.invoke(app, ["review", "-p", str(project)])
    assert missing.exit_code == 1
    assert missing.output.strip() == ("Error: The review page needs the 'jinja2' package: "
                                      'pip install "summariser[review]"')
