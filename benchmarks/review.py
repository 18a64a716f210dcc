"""The review page on the example corpus: the time from a click to the updated counts on the page,
in Debian's Chromium (Playwright's client), and the screenshots in docs/ (`--screenshots`).

    .venv/bin/python benchmarks/review.py                 # 5 rounds of each change
    .venv/bin/python benchmarks/review.py --rounds 3 --screenshots

Each round renames the first theme of section 2.1 (then back), takes one answer out of it (then
undoes that), and times from the click to the page showing the new title or count (htmx swaps
the section in; the section is coded again on the server in between). The project is a
temporary copy, ingested and drafted once.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import HSCP, REPO, temp_project

T = 60_000  # ms: how long to wait for the page at most
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _timed(click, shown) -> float:
    """Seconds from the click to what it changes being shown."""
    start = time.perf_counter()
    click()
    shown()
    return time.perf_counter() - start


def _screenshots(page, url: str, docs: Path) -> list[Path]:
    """The sections list, a section with its evidence, and its answers no theme covers."""
    shots = []
    page.set_viewport_size({"width": 1100, "height": 760})
    for name, path, anchor in (("review-sections.png", "", None),
                               ("review-section.png", "s/gone-well", None),
                               ("review-unassigned.png", "s/enabled-progress/unassigned", None)):
        page.goto(url + path)
        if anchor:
            page.locator(anchor).scroll_into_view_if_needed()
        target = docs / name
        page.screenshot(path=str(target))
        shots.append(target)
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--screenshots", action="store_true",
                        help="write docs/review-*.png (the README's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from playwright.sync_api import expect, sync_playwright

    from summariser.draft.records import read_draft
    from summariser.jobs.draft import DraftOptions, draft
    from summariser.jobs.ingest import IngestOptions, ingest
    from summariser.jobs.review import ReviewOptions
    from summariser.review.serve import bind, serving

    with tempfile.TemporaryDirectory() as work:
        root = temp_project(HSCP, Path(work) / "hscp")
        ingest(IngestOptions(project=root))
        draft(DraftOptions(project=root))
        first = read_draft(root / "drafts" / "gone-well.json").themes[0]
        times: dict[str, list[float]] = {"rename": [], "take out an answer": [], "undo": []}
        with serving(ReviewOptions(project=root), bind("127.0.0.1", 0)) as url, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page()
            if args.screenshots:
                shots = _screenshots(page, url, REPO / "docs")
                print("screenshots: " + ", ".join(str(s) for s in shots), file=sys.stderr)
            page.goto(url + "s/gone-well")
            card = page.locator(f'article[data-theme="{first.id}"]')
            count = card.locator(".count")
            for n in range(args.rounds):
                for title in (f"Renamed {n}", first.title):
                    card.locator("summary").first.click()
                    card.locator("input[name=title]").first.fill(title)
                    times["rename"].append(_timed(
                        lambda: card.get_by_role("button", name="Rename").click(),
                        lambda t=title: expect(card.locator("h2")).to_have_text(t, timeout=T)))
                before = count.inner_text()
                times["take out an answer"].append(_timed(
                    lambda: card.get_by_role("button", name="Take out of this theme").first.click(),
                    lambda b=before: expect(count).not_to_have_text(b, timeout=T)))
                times["undo"].append(_timed(
                    lambda: page.get_by_role("button", name="Undo the last change").click(),
                    lambda b=before: expect(count).to_have_text(b, timeout=T)))
            browser.close()
    figures = {what: {"runs": len(ts), "median_s": round(statistics.median(ts), 2),
                      "max_s": round(max(ts), 2)} for what, ts in times.items()}
    out = sys.stderr if args.json else sys.stdout
    print(f"{'change':<22}{'runs':>6}{'median s':>10}{'max s':>8}", file=out)
    for what, f in figures.items():
        print(f"{what:<22}{f['runs']:>6}{f['median_s']:>10}{f['max_s']:>8}", file=out)
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
