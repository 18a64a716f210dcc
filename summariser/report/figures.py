"""Report figures: rating box plots, choice bar charts and theme coverage bars.

Each figure is drawn 16 cm wide (A4 text width) with fonts of 9 pt or more at that size, in the
Okabe-Ito colour-blind-safe palette, and written as PNG (200 dpi) and SVG next to each other:
`path_stem` "out/fig1" gives out/fig1.png and out/fig1.svg. Matplotlib is imported inside the
functions (Agg canvas, no pyplot and no global state), so importing this module is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import SummariserError
from summariser.report.stats import SMALL_N, Stats
from summariser.text.wording import number_word, opening, rounded

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
             "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "reddish_purple": "#CC79A7"}
TRACK = "#E8E8E8"  # the light grey behind a bar: the whole denominator
GRID = "#DDDDDD"
MUTED = "#444444"  # footnotes
WIDTH_CM = 16.0
DPI = 200
STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9.5,
    "figure.titlesize": 11.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": "#000000",
    "svg.hashsalt": "summariser",  # the same figure gives the same SVG bytes
    # Labels are respondents' and analysts' words: "$5m and $10m" is money, not mathematics
    # (with mathtext it was drawn as "5mand10m", and "$x_$" stopped the report).
    "text.parse_math": False,
}
FOOTNOTE_SIZE = 9
FOOTNOTE_CHARS = 92  # fits 16 cm at 9 pt
BOX = 0.45  # box height, in rows
LINE_IN = 0.165  # height of one line of 9.5 pt text, with leading, in inches


def wrap(text: str, width: int, balance: bool = True) -> str:
    """Wrap to lines of at most `width` characters; with `balance`, as even as the line count
    allows (for labels), else each line filled in turn (for running text).

    Breaks at spaces, and after '/' in long compounds like 'Inter-professional/sector'. Control
    characters are drawn as U+FFFD (`drawable`): every label and title is wrapped.
    """
    from summariser.text.controls import drawable

    lines = _greedy(text, width)
    while balance and width > 1 and len(_greedy(text, width - 1)) == len(lines):
        width -= 1
        lines = _greedy(text, width)
    return drawable("\n".join(lines))


def _greedy(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        for index, part in enumerate(re.findall(r"[^/]+/?|/", word)):
            glue = "" if index else " "
            candidate = line + glue + part if line else part
            if len(candidate) > width and line:
                lines.append(line)
                line = part
            else:
                line = candidate
    if line:
        lines.append(line)
    return lines


def ratings_boxplot(stats: Stats, path_stem: Path | str, title: str | None = None
                    ) -> list[Path]:
    """Box-and-whisker plot of every rating item, highest mean at the top.

    Box: the middle half of the ratings (Q1 to Q3); line: median; whiskers: lowest to highest
    rating (the range: no points are treated as outliers); diamond: mean, with its value.
    """
    items = [item for item in stats.ratings if item.n > 0]
    if not items:
        raise SummariserError("No rating question has any answers, so there is nothing to plot")
    low = min(item.scale[0] for item in items)
    high = max(item.scale[1] for item in items)
    sizes = {item.n for item in items}
    same_n = len(sizes) == 1
    labels = [wrap(item.label if same_n else f"{item.label} (n={item.n})", 34)
              for item in items]
    row = max(0.5, LINE_IN * max(label.count("\n") + 1 for label in labels) + 0.2)
    noun = stats.noun[1] if not same_n or items[0].n != 1 else stats.noun[0]
    if title is None:
        who = f"{items[0].n} {noun}" if same_n else stats.noun[1]
        title = f"Ratings by {who}, highest mean first" if len(items) > 1 else \
            f"{items[0].label}: ratings by {who}"
    with _style() as mpl:
        fig = _figure(mpl, 1.35 + row * len(items))
        ax = fig.add_subplot()
        positions = list(range(len(items), 0, -1))  # first item (highest mean) at the top
        boxes: list[dict[str, Any]] = [
            {"label": label, "med": item.median, "q1": item.q1, "q3": item.q3,
             "whislo": item.minimum, "whishi": item.maximum, "mean": item.mean, "fliers": []}
            for item, label in zip(items, labels, strict=True)]
        ax.bxp(boxes, positions=positions, orientation="horizontal", widths=BOX,
               patch_artist=True, showmeans=True, manage_ticks=True,
               boxprops={"facecolor": OKABE_ITO["sky_blue"], "edgecolor": "#000000",
                         "linewidth": 0.9},
               medianprops={"color": "#000000", "linewidth": 2.0},
               whiskerprops={"color": "#000000", "linewidth": 0.9},
               capprops={"color": "#000000", "linewidth": 0.9},
               meanprops={"marker": "D", "markerfacecolor": OKABE_ITO["vermillion"],
                          "markeredgecolor": "#000000", "markeredgewidth": 0.6,
                          "markersize": 6.5})
        for item, y in zip(items, positions, strict=True):
            ax.annotate(f"mean {rounded(item.mean)}", (item.mean, y + BOX / 2), xytext=(0, 1.5),
                        textcoords="offset points", ha="center", va="bottom",
                        fontsize=9, color=OKABE_ITO["vermillion"], fontweight="bold")
        span = high - low
        ax.set_xlim(low - span * 0.03, high + span * 0.03)
        ax.set_ylim(0.5, len(items) + 0.75)
        if span <= 20 and float(low).is_integer() and float(high).is_integer():
            ax.set_xticks(range(int(low), int(high) + 1))
        ax.set_xlabel(f"Rating, from {low:g} to {high:g}")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0, pad=6)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        _title(fig, title)
        small = f" Fewer than {SMALL_N} answers: read with care." if min(sizes) < SMALL_N else ""
        unanswered = [item.label for item in stats.ratings if item.n == 0]
        _footnote(fig, "Box: the middle half of ratings (first to third quartile). Line: median. "
                       "Diamond: mean.", "Whiskers: lowest to highest rating." + small,
                  f"Not shown, as nobody answered: {'; '.join(unanswered)}." if unanswered
                  else "")
        return _save(fig, path_stem)


def choice_bar(stats: Stats, question_id: str, path_stem: Path | str,
               title: str | None = None) -> list[Path]:
    """Horizontal bars for one choice question in the scale's order, with count and percentage.

    Percentages are of those who answered; blanks are noted under the chart.
    """
    choice = stats.choice(question_id)
    labels = [wrap(option.option, 24) for option in choice.options]
    row = max(0.36, LINE_IN * max(label.count("\n") + 1 for label in labels) + 0.12)
    title = wrap(title or choice.label, 78)
    counts = [option.count for option in choice.options]
    with _style() as mpl:
        fig = _figure(mpl, 1.3 + LINE_IN * title.count("\n") + row * len(labels))
        ax = fig.add_subplot()
        positions = list(range(len(labels), 0, -1))  # first option at the top, as in a table
        ax.barh(positions, counts, height=0.62, color=OKABE_ITO["blue"])
        top = max(counts) or 1
        for option, y in zip(choice.options, positions, strict=True):
            share = f" ({rounded(option.percent, 0)}%)" if option.percent is not None else ""
            ax.annotate(f"{option.count}{share}", (option.count, y), xytext=(4, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=9.5)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, top * 1.22)
        ax.set_ylim(0.4, len(labels) + 0.6)
        # A linear axis's locator is a MaxNLocator, which takes `integer` (the stubs type the
        # base Locator, which does not).
        ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.set_xlabel(f"Number of {stats.noun[1]}")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0, pad=6)
        _title(fig, title)
        blanks = f"; {number_word(choice.blank)} did not answer" if choice.blank else ""
        notes = [opening(f"{number_word(choice.answered)} answered{blanks}.") + " Percentages "
                 "are of those who answered."]
        extra = []
        if choice.top_two and choice.answered:
            extra.append(choice.top_two.sentence() + ".")
        if 0 < choice.answered < SMALL_N:
            extra.append(f"Fewer than {SMALL_N} answers: read with care.")
        _footnote(fig, *notes, " ".join(extra))
        return _save(fig, path_stem)


def theme_bar(section_title: str, themes: list[tuple[str, int]], denominator: int,
              path_stem: Path | str, noun: str = "respondents") -> list[Path]:
    """How many respondents each theme of a drafted section covers, as "n of N" bars.

    Themes are drawn in the order given, first at the top; the grey track behind each bar is
    the whole denominator.
    """
    if not themes:
        raise SummariserError(f"Section '{section_title}' has no themes to plot")
    if denominator < 1:
        raise SummariserError(f"Section '{section_title}': the denominator must be at least 1")
    for theme, count in themes:
        if not 0 <= count <= denominator:
            raise SummariserError(f"Theme '{theme}' covers {count} {noun}, outside 0 to "
                                  f"{denominator}; check the section's counts")
    labels = [wrap(theme, 34) for theme, _ in themes]
    row = max(0.36, LINE_IN * max(label.count("\n") + 1 for label in labels) + 0.14)
    title = wrap(section_title, 70)
    with _style() as mpl:
        fig = _figure(mpl, 1.1 + LINE_IN * title.count("\n") + row * len(labels))
        ax = fig.add_subplot()
        positions = list(range(len(labels), 0, -1))
        counts = [count for _, count in themes]
        ax.barh(positions, [denominator] * len(counts), height=0.62, color=TRACK)
        ax.barh(positions, counts, height=0.62, color=OKABE_ITO["bluish_green"])
        for count, y in zip(counts, positions, strict=True):
            ax.annotate(f"{count:,} of {denominator:,}", (denominator, y), xytext=(5, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=9.5)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, denominator * 1.2)
        ax.set_ylim(0.4, len(labels) + 0.6)
        ax.xaxis.set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0, pad=6)
        _title(fig, title)
        _footnote(fig, f"How many of the {denominator} {noun} each theme covers.")
        return _save(fig, path_stem)


@contextmanager
def _style() -> Iterator[Any]:
    import matplotlib

    with matplotlib.rc_context(STYLE):
        yield matplotlib


def _figure(mpl: Any, height_in: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    fig = Figure(figsize=(WIDTH_CM / 2.54, height_in),
                 layout=ConstrainedLayoutEngine(h_pad=0.08, w_pad=0.1))
    FigureCanvasAgg(fig)
    return fig


def _title(fig: Figure, text: str) -> None:
    fig.suptitle(text, x=0.01, ha="left", fontweight="bold")


def _footnote(fig: Figure, *lines: str) -> None:
    """Notes under the chart, each starting on a new line."""
    text = "\n".join(wrap(line, FOOTNOTE_CHARS, balance=False) for line in lines if line)
    fig.supxlabel(text, x=0.01, ha="left", fontsize=FOOTNOTE_SIZE, color=MUTED,
                  linespacing=1.3)


def _save(fig: Figure, path_stem: Path | str) -> list[Path]:
    """PNG and SVG, written together and atomically (summariser.outputs)."""
    from summariser.outputs import staged

    stem = Path(path_stem)
    paths = [stem.parent / f"{stem.name}.png", stem.parent / f"{stem.name}.svg"]
    with staged() as out:
        fig.savefig(out.path(paths[0]), dpi=DPI, format="png", metadata={"Software": None})
        fig.savefig(out.path(paths[1]), format="svg", metadata={"Date": None})
    return paths

