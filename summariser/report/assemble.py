"""Assemble the whole report: title, methods with real counts, each section's themes and quotes,
statistics tables and figures where their sections are, and an appendix of every quote.

Before anything is written the report's own content goes through the publication gate
(`summariser eval`'s checks); a report that fails is refused unless failures are allowed, and
then they are listed in the report itself, marked for review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from summariser.draft.records import SectionDraft, theme_blocks
from summariser.errors import SummariserError
from summariser.project.manifest import Manifest
from summariser.report.disclosure import Breakdown
from summariser.report.document import Block, Figure, Heading, Paragraph, Table, runs
from summariser.report.stats import Stats
from summariser.text.wording import count_noun, percent_text, rounded

FORMATS = ("md", "html", "docx")


class GateError(SummariserError):
    """The report failed the publication gate."""


@dataclass(frozen=True)
class ReportFiles:
    paths: tuple[Path, ...]
    figures: tuple[Path, ...]
    quotes: int
    failures: tuple[str, ...]


def methods_paragraph(manifest: Manifest, stats: Stats) -> str:
    rate = stats.response_rate
    noun = manifest.respondent_noun
    text = rate.sentence()
    if rate.invited:
        text = (f"A questionnaire was sent to {rate.invited} {noun[1]}; {rate.respondents} "
                f"responded, a response rate of {percent_text(rate.respondents, rate.invited)}.")
    transcripts = sum(s.format == "transcript" for s in manifest.sources)
    documents = sum(s.format == "text" for s in manifest.sources)
    if transcripts:
        counted = count_noun(transcripts, ("interview transcript", "interview transcripts"),
                             capital=True)
        text += f" {counted} {'were' if transcripts != 1 else 'was'} also analysed"
        text += (f", with {count_noun(documents, ('other document', 'other documents'))}."
                 if documents else ".")
    return text + (" Counts in this report are of distinct respondents; quotes are the "
                   "respondents' own words, each checked against the source before publication.")


def _theme_blocks(draft: SectionDraft) -> list[Block]:
    blocks: list[Block] = [Paragraph(runs(draft.lead))]
    if draft.extractive:
        blocks.append(Paragraph(runs("Extractive draft: themes were proposed from phrases that "
                                     "recur in the answers and each is counted from the "
                                     "respondents whose own words were coded to it; no language "
                                     "model wrote this text."), note=True))
    return blocks + theme_blocks(draft)


def _breakdown_blocks(splits: Sequence[Breakdown], question_ids: Sequence[str]) -> list[Block]:
    blocks: list[Block] = []
    for attribute in sorted({b.attribute for b in splits}):
        mine = [b for b in splits if b.attribute == attribute and b.question in question_ids]
        if not mine:
            continue
        groups = [c.group for c in mine[0].cells]
        rows = tuple((b.label, b.measure, *(f"{c.value} (n={c.n})" if not c.suppressed
                                            else "suppressed" for c in b.cells)) for b in mine)
        notes = sorted({b.note for b in mine if b.note})
        blocks.append(Table.of_text(f"By {attribute}", ("Item", "Figure", *groups), rows,
                                    note=" ".join(notes)))
    return blocks


def _stats_blocks(manifest: Manifest, stats: Stats, question_ids: Sequence[str],
                  figure: Callable[[str], Path | None]) -> list[Block]:
    blocks: list[Block] = []
    ratings = [r for r in stats.ratings if r.question in question_ids]
    if ratings:
        rows = tuple((r.label, str(r.n), rounded(r.mean), rounded(r.median),
                      f"{rounded(r.minimum, 0)}–{rounded(r.maximum, 0)}", rounded(r.sd, 2))
                     for r in ratings)
        blocks.append(Table.of_text("Ratings, highest mean first",
                                    ("Item", "n", "Mean", "Median", "Range", "SD"), rows,
                                    note=ratings[0].note))
        png = figure("ratings")
        if png:
            blocks.append(Figure("Box and whisker plot of the ratings: boxes show the middle "
                                 "half, the line the median, the diamond the mean.", png,
                                 "Ratings box plot"))
    for choice in (c for c in stats.choices if c.question in question_ids):
        rows = tuple((o.option, str(o.count), f"{rounded(o.percent)}%") for o in choice.options)
        note = f"{choice.answered} answered; {choice.blank} did not answer."
        if choice.top_two:
            note += f" {choice.top_two.sentence()}."
        blocks.append(Table.of_text(choice.label, ("Option", "Count", "% of those answering"),
                                    rows, note=note))
        png = figure(f"choice-{choice.question}")
        if png:
            blocks.append(Figure(choice.label, png, f"Bar chart: {choice.label}"))
    return blocks


def build_report(manifest: Manifest, drafts: dict[str, SectionDraft], stats: Stats,
                 figures: dict[str, Path], failures: Sequence[str] = (),
                 splits: Sequence[Breakdown] = ()) -> list[Block]:
    today = dt.date.today().isoformat()
    blocks: list[Block] = [Heading(1, runs(manifest.title)),
                           Paragraph(runs(f"Report drafted with summariser on {today}."),
                                     note=True)]
    if failures:
        blocks += [Heading(2, runs("Review required before publication")),
                   Paragraph(runs(f"{len(failures)} check(s) of this report failed; each is "
                                  "listed here and must be resolved before it is published."))]
        blocks += [Paragraph(runs(f"• {f}")) for f in failures]
    blocks += [Heading(2, runs("Methods")), Paragraph(runs(methods_paragraph(manifest, stats)))]
    for section in manifest.sections:
        blocks.append(Heading(2, runs(section.heading)))
        draft = drafts.get(section.id)
        if draft:
            blocks += _theme_blocks(draft)
            bar = figures.get(f"themes-{section.id}")
            if bar and draft.themes:
                blocks.append(Figure(f"How many {manifest.respondent_noun[1]} each theme of "
                                     f"{section.heading} covers.", bar, "Theme counts"))
        blocks += _stats_blocks(manifest, stats, section.questions, figures.get)
        blocks += _breakdown_blocks(splits, section.questions)
    quotes = [(d.heading, q) for d in drafts.values() for t in d.themes for q in t.quotes]
    blocks += [Heading(2, runs("Appendix: every quote and its source")),
               Table.of_text("Quotes", ("#", "Section", "Who", "Question", "Source",
                                        "Characters", "Check"),
                             tuple((str(n), heading, q.respondent, q.question, q.source_file,
                                    f"{q.start}–{q.end}", q.status)
                                   for n, (heading, q) in enumerate(quotes, 1)))]
    return blocks


def write_figures(manifest: Manifest, stats: Stats, drafts: dict[str, SectionDraft],
                  directory: Path) -> dict[str, Path]:
    """PNG and SVG of every figure; returns the PNG by name."""
    from summariser.outputs import ensure_folder
    from summariser.report import figures as fig

    ensure_folder(directory)
    made: dict[str, Path] = {}
    if any(r.n for r in stats.ratings):
        made["ratings"] = fig.ratings_boxplot(stats, directory / "ratings")[0]
    for choice in stats.choices:
        if choice.answered:
            name = f"choice-{choice.question}"
            made[name] = fig.choice_bar(stats, choice.question, directory / name)[0]
    for section_id, draft in drafts.items():
        if draft.themes:
            name = f"themes-{section_id}"
            made[name] = fig.theme_bar(
                draft.heading, [(t.title, len(t.respondents)) for t in draft.themes],
                draft.denominator, directory / name, noun=manifest.respondent_noun[1])[0]
    return made


def write_report(manifest: Manifest, drafts: dict[str, SectionDraft], stats: Stats,
                 output: Path, failures: Sequence[str], allow_failures: bool = False,
                 formats: Sequence[str] = FORMATS, splits: Sequence[Breakdown] = ()
                 ) -> ReportFiles:
    from summariser.outputs import ensure_folder, staged
    from summariser.report.docx import to_docx
    from summariser.report.html import to_html
    from summariser.report.markdown import to_markdown

    if failures and not allow_failures:
        raise GateError(f"The report fails {len(failures)} publication check(s), e.g. "
                        f"{failures[0]}; fix the drafts (see 'summariser eval'), or pass "
                        "--allow-failures to write it with the failures listed for review")
    ensure_folder(output)
    figures = write_figures(manifest, stats, drafts, output / "figures")
    blocks = build_report(manifest, drafts, stats, figures, failures, splits)
    paths = []
    with staged() as out:  # every format or none: a failure leaves the last report whole
        if "md" in formats:
            paths.append(out.write(output / "report.md", to_markdown(blocks, output)))
        if "html" in formats:
            paths.append(out.write(output / "report.html", to_html(blocks, manifest.title)))
        if "docx" in formats:
            paths.append(output / "report.docx")
            to_docx(blocks, out.path(paths[-1]))
    quotes = sum(len(t.quotes) for d in drafts.values() for t in d.themes)
    return ReportFiles(tuple(paths), tuple(sorted(figures.values())), quotes, tuple(failures))


def publication_failures(manifest: Manifest, store, draft_files: Sequence[Path]) -> list[str]:
    """The publication gate on the report's own content: `summariser eval`'s checks, one line per
    failure (warnings do not block)."""
    from summariser.gate.run import Outcome, evaluate_paths

    result = evaluate_paths(draft_files, manifest, store)
    failures = [f"{q.section}: “{q.quote[:70]}” {q.status}: {q.verification.reason}"
                for q in result.quotes if q.outcome == Outcome.FAIL]
    failures += [f"{c.section}: [{c.cited}] {c.reason}" for c in result.citations
                 if c.outcome == Outcome.FAIL]
    failures += [f"{n.section}: “{n.claim}” {n.reason}" for n in result.numbers
                 if n.outcome == Outcome.FAIL]
    return failures
