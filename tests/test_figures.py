import struct
import subprocess
import sys
from pathlib import Path

import pytest

from summariser.errors import ManifestError, SummariserError
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.report.figures import DPI, WIDTH_CM, choice_bar, ratings_boxplot, theme_bar, wrap
from summariser.report.stats import Stats, compute_stats

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def stats(project: Path) -> Stats:
    manifest = load_manifest(project)
    return compute_stats(manifest, read_corpus(manifest))


def _check(paths: list[Path], stem: Path) -> None:
    assert paths == [stem.parent / f"{stem.name}.png", stem.parent / f"{stem.name}.svg"]
    png, svg = paths
    data = png.read_bytes()
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert abs(width - WIDTH_CM / 2.54 * DPI) <= 2  # 16 cm wide at 200 dpi
    assert 0 < height < width * 2
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and len(text) > 1000


def test_ratings_boxplot_writes_png_and_svg(stats: Stats, tmp_path: Path):
    stem = tmp_path / "fig1"
    _check(ratings_boxplot(stats, stem), stem)


def test_choice_bar_writes_png_and_svg(stats: Stats, tmp_path: Path):
    stem = tmp_path / "nested" / "fig2"  # missing directories are created
    _check(choice_bar(stats, "satisfaction", stem), stem)


def test_theme_bar_writes_png_and_svg(tmp_path: Path):
    stem = tmp_path / "themes"
    themes = [("Reducing delayed discharge and supporting people home safely", 4),
              ("Inter-professional/organisational/sector working", 16), ("Nothing yet", 0)]
    _check(theme_bar("2.1 What has gone well?", themes, 16, stem), stem)


def test_a_stem_with_a_dot_keeps_its_name(stats: Stats, tmp_path: Path):
    paths = ratings_boxplot(stats, tmp_path / "fig.v2")
    assert [p.name for p in paths] == ["fig.v2.png", "fig.v2.svg"]


def test_the_same_figure_gives_the_same_svg(stats: Stats, tmp_path: Path):
    first = choice_bar(stats, "satisfaction", tmp_path / "a")[1].read_bytes()
    second = choice_bar(stats, "satisfaction", tmp_path / "b")[1].read_bytes()
    assert first == second


def test_choice_bar_names_the_choice_questions_when_the_id_is_wrong(stats: Stats,
                                                                    tmp_path: Path):
    with pytest.raises(ManifestError, match="choice questions: satisfaction"):
        choice_bar(stats, "rating_finance", tmp_path / "x")


def test_theme_bar_refuses_a_count_above_the_denominator(tmp_path: Path):
    with pytest.raises(SummariserError, match="covers 17"):
        theme_bar("2.1", [("Too many", 17)], 16, tmp_path / "x")
    assert not list(tmp_path.iterdir())


def test_wrap_breaks_after_slashes_and_balances_lines():
    assert wrap("Inter-professional/organisational/sector relationship tensions", 34) == \
        "Inter-professional/organisational/\nsector relationship tensions"
    assert wrap("Improvement/redesign capacity and capability", 34) == \
        "Improvement/redesign\ncapacity and capability"
    assert wrap("Financial pressures", 34) == "Financial pressures"
    long = "Box: the middle half of ratings (first to third quartile). Line: median."
    assert all(len(line) <= 40 for line in wrap(long, 40, balance=False).splitlines())


def test_importing_figures_does_not_import_matplotlib():
    code = "import sys, summariser.report.figures; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
