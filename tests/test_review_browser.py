"""The review page in a real browser (Debian's Chromium, driven by Playwright's client): open it,
rename a theme, merge two, publish, and read the published report."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from summariser.draft.records import read_draft
from summariser.jobs.draft import DraftOptions, draft
from summariser.jobs.review import ReviewOptions
from summariser.review.serve import bind, serving
from summariser.text.wording import count_text

CHROMIUM = Path("/usr/bin/chromium")
# No first-run work, no background fetches: the browser talks to the page on 127.0.0.1 only.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
NOUN = ("Chief Officer", "Chief Officers")

# Skipped only on a machine without Chromium; CI installs it (.ci/run), so there it must run.
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason="needs Debian's chromium at /usr/bin/chromium "
                                "(apt-get install -y chromium)")


@pytest.fixture
def root(example_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "hscp"
    shutil.copytree(example_project, copy, ignore=shutil.ignore_patterns("drafts", "out",
                                                                         "runs.sqlite"))
    draft(DraftOptions(project=copy))
    return copy


def test_rename_merge_and_publish_in_chromium(root: Path):
    from playwright.sync_api import expect, sync_playwright

    sidecar = root / "drafts" / "gone-well.json"
    first, *others = read_draft(sidecar).themes
    # Merged, the third adds people to the second: the count the page shows must change.
    second, third = next((b, c) for b in others for c in others
                         if set(c.respondents) - set(b.respondents))
    with serving(ReviewOptions(project=root), bind("127.0.0.1", 0)) as url, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("link", name="2.1 What has gone well?").click()
        expect(page.locator("h1")).to_have_text("2.1 What has gone well?")

        card = page.locator("article.theme", has=page.locator("h2", has_text=first.title))
        card.locator("summary", has_text="Change this theme").click()
        card.locator("input[name=title]").first.fill("Integrated locality teams")
        card.get_by_role("button", name="Rename").click()
        expect(page.locator("p.said")).to_contain_text("Renamed")
        expect(page.locator("article.theme h2", has_text="Integrated locality teams")) \
            .to_be_visible()

        card = page.locator("article.theme", has=page.locator("h2", has_text=third.title))
        card.locator("summary", has_text="Change this theme").click()
        card.locator("select[name=other]").select_option(label=second.title)
        card.get_by_role("button", name="Merge").click()
        expect(page.locator("p.said")).to_contain_text("Merged")
        expect(page.locator("article.theme h2", has_text=third.title)).to_have_count(0)
        merged = next(t for t in read_draft(sidecar).themes if t.id == second.id)
        counted = count_text(len(merged.respondents), 16, NOUN)
        expect(page.locator(f'article[data-theme="{second.id}"] .count')).to_have_text(counted)

        page.get_by_role("button", name="Publish the report").click()
        expect(page.locator("h1")).to_have_text("Published", timeout=120_000)

        # With JavaScript off the page still reads, and a change is a plain form post.
        plain = browser.new_context(java_script_enabled=False).new_page()
        plain.goto(url + "s/gone-well")
        expect(plain.locator("article.theme mark").first).to_be_visible()
        card = plain.locator(f'article[data-theme="{second.id}"]')
        card.locator("summary", has_text="Change this theme").click()
        card.locator("textarea[name=description]").fill("Written with JavaScript off.")
        card.get_by_role("button", name="Save the description").click()
        expect(plain.locator("p.said")).to_contain_text("Described")
        expect(plain.locator(f'article[data-theme="{second.id}"] .description')) \
            .to_have_text("Written with JavaScript off.")
        browser.close()
    report = (root / "out" / "report.md").read_text(encoding="utf-8")
    assert "### Integrated locality teams" in report and f"### {first.title}\n" not in report
    # The theme's id follows its heading as an invisible comment, for eval.
    assert re.search(rf"### {re.escape(second.title)}\n\n<!-- theme: [\w-]+ -->\n\n"
                     rf"Raised by {re.escape(counted)}\.", report)
    assert f"### {third.title}\n" not in report
    assert len(merged.respondents) > len(second.respondents)
