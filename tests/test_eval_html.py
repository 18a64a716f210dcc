"""The HTML eval report: one self-contained file that a browser renders with its statuses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from summariser.gate.parse import parse_text
from summariser.gate.review import render_html
from summariser.gate.run import evaluate
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.verify import CorpusIndex
from tests.conftest import EXAMPLE

CHROMIUM = Path("/usr/bin/chromium")
DRAFT = """## 2.1 What has gone well?

Twelve Chief Officers answered and, of these, eight (66%) agreed. Most Chief Officers (3 of 16)
mentioned joint working, e.g. “Joint working in localities.” [R15]

> “Continued focus on early intervention and prevention, excellent performance on reducing delayed discharge” [R01]

> “Locality planning groups up and running in all 4 localities.” [R03]

> “Continued focus on early intervention and prevention ... supporting people home safely.” [R01]

> “Our locality teams are now fully established and (the) hospital to home team has bedded in well.” [R01]

> “Thanks very much for making the time for this.” [I01]
"""
# Okabe-Ito colours of the fail, warning and pass badges (see summariser.gate.review).
BADGES = {"fail": (0xD5, 0x5E, 0x00), "warning": (0xE6, 0x9F, 0x00), "pass": (0x00, 0x72, 0xB2)}


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    manifest = load_manifest(EXAMPLE)
    responses = read_corpus(manifest).responses
    report = evaluate([parse_text(DRAFT, manifest)], CorpusIndex.build(responses), manifest,
                      responses)
    assert {str(c.outcome) for c in report.quotes} == {"pass", "warning", "fail"}
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def test_html_report_is_one_self_contained_file(report_html: Path):
    html = report_html.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html
    # Every status carries a text label, not only a colour.
    for label in ("✗ FAIL", "! WARNING", "✓ PASS"):
        assert label in html
    assert "<del>strong</del>" in html and "<ins>excellent</ins>" in html
    assert "<mark>" in html


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                    "(apt-get install -y chromium)")
def test_html_report_renders_in_headless_chromium(report_html: Path, tmp_path: Path):
    from PIL import Image

    shot = tmp_path / "shot.png"
    _chromium(f"--screenshot={shot}", "--window-size=1200,1600", report_html.as_uri(),
              profile=tmp_path / "profile")
    assert shot.exists() and shot.stat().st_size > 20_000
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1600)
    colours = image.getcolors(maxcolors=1 << 22)
    assert colours is not None and len(colours) > 50  # text, badges, tints: not a blank page
    pixels = _pixel_counts(colours)
    for outcome, rgb in BADGES.items():
        assert pixels.get(rgb, 0) > 50, f"no {outcome} badge colour on the page"

    dom = _chromium("--dump-dom", report_html.as_uri(), profile=tmp_path / "profile2").stdout
    for text in ("✗ FAIL", "! WARNING", "✓ PASS", "near_verbatim", "misattributed", "interviewer",
                 "elided", "Result: FAIL"):
        assert text in dom


def _pixel_counts(colours: list[tuple[int, tuple[int, int, int]]]) -> dict[tuple[int, int, int], int]:
    return {rgb: count for count, rgb in colours}
