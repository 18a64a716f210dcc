"""Assemble the whole report from the analyst's drafts: title page, contents, executive summary,
methods, each section as its Markdown draft says (edits included), statistics tables and
figures where their sections are, and an appendix of every quote by section and speaker.

Before anything is written the drafts go through the publication gate (`summariser eval`'s
checks): the report is refused if they fail, unless failures are allowed, and then the
failures head the report, marked for review. Published quotes carry no respondent id (see
`summariser.report.sections` for attribution).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from summariser.document.model import (
    Block,
    BulletList,
    Comment,
    Contents,
    Figure,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Quote,
    Table,
    runs,
)
from summariser.errors import SummariserError
from summariser.gate.parsed import REVIEW_HEADING
from summariser.project.closed import point_label
from summariser.project.manifest import Manifest, Section, Source
from summariser.report.disclosure import Breakdown
from summariser.report.sections import (
    Attribution,
    SectionText,
    level_of,
    section_blocks,
    summary_items,
)
from summariser.report.stats import RatingStats, Stats, TopTwo
from summariser.text.wording import (
    count_noun,
    join_words,
    number_word,
    opening,
    percent_text,
    rounded,
)

FORMATS = ("md", "html", "docx")


class GateError(SummariserError):
    """The report failed the publication gate."""


@dataclass(frozen=True)
class ReportFiles:
    paths: tuple[Path, ...]
    figures: tuple[Path, ...]
    quotes: int
    failures: tuple[str, ...]


def methods_paragraphs(manifest: Manifest, stats: Stats, texts: Sequence[SectionText]
                       ) -> list[str]:
    rate = stats.response_rate
    noun = manifest.respondent_noun
    text = opening(rate.sentence())
    if rate.invited:
        text = (f"A questionnaire was sent to {rate.invited:,} {noun[1]}; {rate.respondents:,} "
                f"responded, a response rate of {percent_text(rate.respondents, rate.invited)}.")
    transcripts = sum(s.format == "transcript" for s in manifest.sources)
    documents = [_document_name(manifest, s) for s in manifest.sources if s.format == "text"]
    if transcripts:
        counted = opening(count_noun(transcripts, ("interview", "interviews")))
        text += f" {counted} {'were' if transcripts != 1 else 'was'} also analysed"
        text += (f", as {'was' if len(documents) == 1 else 'were'} {join_words(documents)}."
                 if documents else ".")
    elif documents:
        text += f" Also analysed: {join_words(documents)}."
    counts = (f" A theme's count is of distinct {noun[1]} whose own words were coded to it, out "
              "of those who answered the section's question, a number that differs from "
              "section to section")
    counts += ("; interviewees are counted separately, and documents are not counted as "
               "people." if transcripts or documents else ".")
    counts += _blank_sentence(manifest)
    if any(t.draft is not None and t.draft.themes for t in texts):
        counts += " In each section, themes are listed with the most common first."
    paragraphs = [text + counts + " Each quote is its speaker's or its document's own words, "
                  "checked against the source before publication."]
    drafted = [t.heading for t in texts if t.draft is not None and t.draft.extractive]
    if drafted:
        paragraphs.append(
            "The themes were drafted without a language model: they were proposed from what "
            "recurs in the answers, in the same words or in other words alike in meaning, and "
            "a theme counts the respondents whose own words were coded to it. Answers that say "
            "nothing about the question are counted apart and belong to no theme.")
    return paragraphs


def _blank_sentence(manifest: Manifest) -> str:
    """What the survey's tables count as no answer besides an empty cell (the manifest's
    `blank` lists: "n/a", "none", "no comment", "-"), said once: those answers leave the
    base of a question's counts, and a reader should know it."""
    blank = sorted({b for s in manifest.sources if s.format not in ("transcript", "text")
                    for b in s.blank})
    if not blank:
        return ""
    words = [b for b in blank if any(c.isalnum() for c in b)]
    marks = [b for b in blank if b not in words]
    named = {"-": "a dash", "--": "a dash", ".": "a full stop"}
    shown = words + list(dict.fromkeys(named.get(m, m) for m in marks))
    return (f" An answer left empty or given only as {join_words(shown, 'or')} is not "
            "counted as an answer.")


def _unplaced(manifest: Manifest) -> list[str]:
    """The questions no section holds."""
    placed = {q for section in manifest.sections for q in section.questions}
    return [q.id for q in manifest.questions if q.id not in placed]


def _other(manifest: Manifest) -> list[str]:
    """The heading of the part for rating and choice questions no section holds, if any."""
    return [OTHER_QUESTIONS] if any(manifest.question(q).kind in ("rating", "choice")
                                    for q in _unplaced(manifest)) else []


def _document_name(manifest: Manifest, source: Source) -> str:
    """A document analysed, as a reader knows it: its question's words ("the sense-check of the
    survey findings ...") or, without one, its role or file name."""
    if source.question:
        words = manifest.question(source.question).short
        return f"the {words[:1].lower()}{words[1:]}"
    return source.role or source.written_path


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
        asked = _shared_question([manifest.question(r.question).text for r in ratings])
        if asked:  # the scale's meaning: "(where 0 is not at all challenging and 10 ...)"
            blocks.append(Paragraph(runs(f"The question asked: {asked}"), note=True))
        ends = _scale_ends(ratings)
        rows: tuple[tuple[str, ...], ...] = tuple(
            (r.label, str(r.n), rounded(r.mean), rounded(r.median),
             f"{rounded(r.minimum, 0)}–{rounded(r.maximum, 0)}", rounded(r.sd, 2))
            for r in ratings)
        tops = [_top_two_line(r.label, r.top_two) for r in ratings if r.top_two]
        blocks.append(Table.of_text("Ratings, highest mean first" if len(ratings) > 1
                                    else "Rating",
                                    ("Item", "n", "Mean", "Median", "Range", "SD"), rows,
                                    note=" ".join(filter(None, [ends, ratings[0].note, *tops]))))
        png = figure("ratings")
        if png:
            blocks.append(Figure("The ratings, as box and whisker plots", png,
                                 "Box and whisker plot of the ratings: boxes show the middle "
                                 "half, the line the median, the diamond the mean."))
    for choice in (c for c in stats.choices if c.question in question_ids):
        asked = manifest.question(choice.question).text
        blocks.append(Paragraph(runs(f"The question asked: {asked}"), note=True))
        rows = tuple((o.option, f"{o.count:,}", f"{rounded(o.percent)}%") for o in choice.options)
        answered, blank = (number_word(n) if n else "none" for n in (choice.answered,
                                                                     choice.blank))
        note = opening(f"{answered} answered; {blank} did not answer.")
        if choice.top_two:
            note += f" {_top_two_line(choice.label, choice.top_two)}"
        blocks.append(Table.of_text(choice.label, ("Option", "Count", "% of those answering"),
                                    rows, note=note))
        png = figure(f"choice-{choice.question}")
        if png:
            blocks.append(Figure(choice.label, png, f"Bar chart: {choice.label}"))
    return blocks


def _scale_ends(ratings: Sequence[RatingStats]) -> str:
    """What the ends of the items' one scale mean, where the manifest labels both ("Rated from
    1, Strongly disagree, to 5, Strongly agree."); "" where the items' scales or labels
    differ."""
    scales = {(r.scale, tuple(sorted(r.labels.items()))) for r in ratings}
    if len(scales) != 1 or not ratings[0].scale:
        return ""
    low, high = ratings[0].scale
    first, last = (point_label(ratings[0].labels, p) for p in (low, high))
    if first is None or last is None:
        return ""
    return f"Rated from {rounded(low, 0)}, {first}, to {rounded(high, 0)}, {last}."


def _shared_question(texts: Sequence[str]) -> str:
    """What a set of rating items were asked: the whole sentences their questions share from
    the start ("On a scale of 0-10 ..., how challenging have you found each of these? -
    Financial pressures" and "... - Workforce issues"); "" where they share none."""
    if len(texts) == 1:
        return texts[0]
    shared = []
    for column in zip(*(t.split() for t in texts)):
        if len(set(column)) > 1:
            break
        shared.append(column[0])
    # Whole sentences only: "How satisfied are you with the" names no question.
    words = " ".join(shared).rstrip(" -–—:;,")
    end = max(words.rfind(mark) for mark in "?.:")
    return words[:end + 1] if end >= 0 else ""


def build_report(manifest: Manifest, texts: Sequence[SectionText], stats: Stats,
                 figures: dict[str, Path], attribution: Attribution,
                 failures: Sequence[str] = (), splits: Sequence[Breakdown] = ()) -> list[Block]:
    blocks = _title_page(manifest)
    by_id = {t.section.id: t for t in texts}
    contents = [f"{h.number} {h.title}" for h in manifest.headings]
    contents += [t.heading for t in texts]
    blocks += [PageBreak(),
               Contents("Contents", tuple((_depth(line), runs(line)) for line in
                                          ["Executive summary", "Methods",
                                           *_ordered(manifest, contents), *_other(manifest),
                                           APPENDIX])),
               PageBreak()]
    if failures:
        blocks += [Heading(2, runs(REVIEW_HEADING)),
                   Paragraph(runs(f"{count_noun(len(failures), ('check', 'checks'), True)} of "
                                  "this report failed; each is listed here and must be "
                                  "resolved before it is published."))]
        blocks.append(BulletList(tuple(runs(f) for f in failures)))
    blocks += [Heading(2, runs("Executive summary"))]
    place = {s.id: n for n, s in enumerate(_in_number_order(manifest.sections))}
    in_order = sorted(texts, key=lambda t: place.get(t.section.id, len(place)))
    summary = summary_items(in_order) + _rating_summary(stats) + _top_two_summary(stats)
    blocks.append(BulletList(tuple(runs(item) for item in summary)) if summary
                  else Paragraph(runs("No section has been drafted yet.")))
    blocks += [Heading(2, runs("Methods")),
               *[Paragraph(runs(p)) for p in methods_paragraphs(manifest, stats, texts)]]
    headings = {h.number: h for h in manifest.headings}
    quoted: list[tuple[str, list[Block]]] = []  # each section's blocks, for the appendix
    for section in sorted(manifest.sections, key=lambda s: place[s.id]):
        for number in _parents(section.number):
            if number in headings:
                parent = headings.pop(number)
                blocks.append(Heading(level_of(number), runs(f"{number} {parent.title}")))
                if parent.text:
                    blocks.append(Paragraph(runs(parent.text)))
        text = by_id.get(section.id)
        question = " ".join(manifest.question(q).text for q in section.questions
                            if manifest.question(q).kind == "text")
        # What people chose or rated comes before why: "how satisfied", then the reasons.
        closed = _stats_blocks(manifest, stats, section.questions, figures.get)
        if text is None:
            blocks += [Heading(level_of(section.number), runs(section.heading)), *closed]
        else:
            written = section_blocks(text, attribution, question, closed)
            quoted.append((text.heading, written))
            blocks += written
            bar = figures.get(f"themes-{section.id}")
            if bar:
                noun = text.draft.respondent_noun if text.draft else manifest.respondent_noun
                blocks.append(Figure(f"The themes of {text.heading}", bar,
                                     f"Bar chart of the themes of {text.heading}: the number "
                                     f"of {noun[1]} raising each."))
        blocks += _breakdown_blocks(splits, section.questions)
    others = _unplaced(manifest)
    other_blocks = _stats_blocks(manifest, stats, others, figures.get)
    if other_blocks:  # asked, summarised, and in no section: shown here, never left out
        blocks += [Heading(2, runs(OTHER_QUESTIONS)), *other_blocks,
                   *_breakdown_blocks(splits, others)]
    blocks = _numbered_figures(blocks)
    return blocks + [PageBreak(), *appendix(quoted)]


APPENDIX = "Appendix: the quotes, by section and speaker"
OTHER_QUESTIONS = "Ratings and other questions"


def appendix(sections: Sequence[tuple[str, Sequence[Block]]]) -> list[Block]:
    """Every quote the report prints, under its section, grouped by who said it as the report
    attributes them (in the order they are first quoted) with the theme it was quoted for. No
    ids or offsets: those are for reviewers (the drafts, and `summariser eval`'s report)."""
    blocks: list[Block] = [
        Heading(2, runs(APPENDIX)),
        Paragraph(runs("Every quote printed in this report, under the section it appears in and "
                       "grouped by who said it, as the report attributes them. Each quote was "
                       "checked against its source before publication; where each one is found "
                       "in the sources is recorded for reviewers, in the analysis files and "
                       "the check's report."))]
    for heading, written in sections:
        rows: list[tuple[str, Inline, str]] = []
        theme = ""
        for block in written[1:]:  # after the section's own heading
            if isinstance(block, Heading):
                theme = "".join(run.text for run in block.text)
            elif isinstance(block, Quote):
                rows.append((block.cite, block.text, theme))
        if not rows:
            continue
        speakers = list(dict.fromkeys(cite for cite, _, _ in rows))
        rows.sort(key=lambda row: speakers.index(row[0]))
        caption = f"Quoted in {heading}"
        if any(cite for cite, _, _ in rows):
            blocks.append(Table(caption, (runs("Said by"), runs("Quote"), runs("Theme")),
                                tuple((runs(cite), text, runs(theme))
                                      for cite, text, theme in rows)))
        else:  # attribution "none": nobody is named
            blocks.append(Table(caption, (runs("Quote"), runs("Theme")),
                                tuple((text, runs(theme)) for _, text, theme in rows)))
    if len(blocks) == 2:
        blocks[1] = Paragraph(runs("This report prints no quotes."))
    return blocks


def _depth(line: str) -> int:
    """A contents line's depth: "2.5.1 ..." is under "2.5 ..."."""
    number = line.split(" ", 1)[0]
    return max(len([p for p in number.split(".") if p]) - 2, 0) if number[:1].isdigit() else 0


def _numbered_figures(blocks: list[Block]) -> list[Block]:
    """'Figure 1. The ratings, ...': a short numbered caption under each figure; what the figure
    shows is said inside the image and in its alt text, not again beneath it."""
    numbered: list[Block] = []
    count = 0
    for block in blocks:
        if isinstance(block, Figure):
            count += 1
            block = replace(block, caption=f"Figure {count}. {block.caption}")
        numbered.append(block)
    return numbered


def _title_page(manifest: Manifest) -> list[Block]:
    blocks: list[Block] = [Heading(1, runs(manifest.title))]
    if manifest.subtitle:
        blocks.append(Paragraph(runs(manifest.subtitle)))
    byline = ", ".join(filter(None, [manifest.author, manifest.organisation]))
    date = manifest.date or dt.date.today().strftime("%B %Y")
    blocks.append(Paragraph(runs(f"{byline}, {date}" if byline else date)))
    if manifest.attribution:
        blocks.append(Paragraph(runs(manifest.attribution), note=True))
    return blocks


def _parents(number: str) -> list[str]:
    parts = number.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _number_order(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


def _ordered(manifest: Manifest, contents: list[str]) -> list[str]:
    """Contents lines in number order (headings first where they share a number prefix)."""
    return sorted(contents, key=lambda line: _number_order(line.split(" ", 1)[0])) \
        if all(line[:1].isdigit() for line in contents) else contents


def _in_number_order(sections: Sequence[Section]) -> list[Section]:
    """Sections as the contents list them: in number order where every one is numbered ("1.1"
    before "2.1", however the manifest lists them), else as the manifest does."""
    return sorted(sections, key=lambda s: _number_order(s.number)) \
        if all(s.number[:1].isdigit() for s in sections) else list(sections)


def _rating_summary(stats: Stats) -> list[str]:
    ratings = [r for r in stats.ratings if r.n and r.mean is not None]
    if not ratings:
        return []
    top = ratings[:3]
    scale = f" on a scale of {rounded(top[0].scale[0], 0)} to {rounded(top[0].scale[1], 0)}" \
        if top[0].scale else ""
    listed = "; ".join(f"{r.label} (mean {rounded(r.mean)})" for r in top)
    order = ", highest mean first" if len(top) > 1 else ""
    return [f"Ratings{scale}{order}: {listed}."]


def _top_two_summary(stats: Stats) -> list[str]:
    """The share at the best end of each question that asks for it ("Satisfaction with the
    ihub, Satisfied or Very satisfied: 8 of 12 (66.7%)"): often a survey's headline."""
    asked = [*((r.label, r.top_two) for r in stats.ratings if r.top_two),
             *((c.label, c.top_two) for c in stats.choices if c.top_two)]
    return [_top_two_line(label, top) for label, top in asked if top.answered]


def _top_two_line(label: str, top: TopTwo) -> str:
    """A question's top two, named by its item: the gate tells items that share a scale apart
    by the item a sentence names ("Workforce issues, 9 or 10: 3 of 16 (18.8%).")."""
    return f"{label}, {top.sentence()}."


def write_figures(manifest: Manifest, stats: Stats, texts: Sequence[SectionText],
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
    for text in texts:
        counts = text.theme_counts()  # none without a draft
        # One bar says no more than the sentence under it: a figure compares themes.
        if text.draft is not None and len(counts) > 1 and any(n for _, n in counts):
            name = f"themes-{text.section.id}"
            made[name] = fig.theme_bar(text.heading, counts, text.draft.denominator,
                                       directory / name,
                                       noun=text.draft.respondent_noun[1])[0]
    return made


def write_report(manifest: Manifest, texts: Sequence[SectionText], stats: Stats,
                 output: Path, gate: GateResult, attribution: Attribution,
                 allow_failures: bool = False, formats: Sequence[str] = FORMATS,
                 splits: Sequence[Breakdown] = (), allow_unchecked: Sequence[str] = (),
                 check: Callable[[Path], GateResult] | None = None) -> ReportFiles:
    """The report in each of `formats`, published as one set. `check` (the gate on a written
    file) reads the report as written before it is put in place: a report that fails where its
    drafts passed is not published."""
    from summariser.document.docx import to_docx
    from summariser.document.html import to_html
    from summariser.document.ledger import LEDGER_NAME, embed_token, ledger_json, ledger_path
    from summariser.document.markdown import to_markdown
    from summariser.outputs import published

    allowed = {" ".join(a.split()).casefold() for a in allow_unchecked}
    unchecked = [f"{section}: “{claim}” is unchecked: nothing the gate can count supports it"
                 for section, claim in gate.unchecked
                 if " ".join(claim.split()).casefold() not in allowed]
    if unchecked and not allow_failures:
        section, claim = next((s, c) for s, c in gate.unchecked
                              if " ".join(c.split()).casefold() not in allowed)
        raise GateError(f"The drafts state {count_noun(len(unchecked), ('number', 'numbers'))} "
                        f"the gate cannot check, e.g. “{claim}” in {section}; tie it to a theme "
                        "or a phrase, remove it, or publish it as it is with --allow-unchecked "
                        f"\"{claim}\" (see 'summariser eval')")
    failures = [*gate.failures, *unchecked]
    if failures and not allow_failures:
        raise GateError(f"The report fails {count_noun(len(failures), ('check', 'checks'))}, "
                        f"e.g. {failures[0].rstrip('.')}; fix the drafts (see 'summariser "
                        "eval'), or pass "
                        "--allow-failures to write it with the failures listed for review")
    # What eval checks the report's counts against: beside the report, and inside each file.
    ledger = ledger_json({t.section.id: t.sidecar for t in texts if t.sidecar}, manifest.root)
    kept = {LEDGER_NAME: embed_token(ledger)}
    paths = []
    # The formats, the figures they show and the ledger are one set: written whole beside the
    # last report, then switched in, so a reader never finds the files of two runs together.
    with published(output) as out:
        figures = write_figures(manifest, stats, texts, out.stage / "figures")
        blocks = build_report(manifest, texts, stats, figures, attribution, failures, splits)
        if "md" in formats:
            paths.append(out.write("report.md", to_markdown(
                [*blocks, Comment(f"{LEDGER_NAME}: {kept[LEDGER_NAME]}")], out.stage)))
        if "html" in formats:
            paths.append(out.write("report.html",
                                   to_html(blocks, manifest.title, author=_author(manifest),
                                           meta=kept)))
        if "docx" in formats:
            to_docx(blocks, out.path("report.docx"), title=manifest.title,
                    author=_author(manifest), properties=kept)
            paths.append(output / "report.docx")
        out.write(ledger_path(Path("report.md")).name, ledger)
        written = [out.stage / p.name for p in paths]
        if check is not None and written and not failures:
            found = check(written[0]).failures
            if found:
                raise GateError(f"{written[0].name} as written fails "
                                f"{count_noun(len(found), ('check', 'checks'))} its drafts "
                                f"passed, e.g. {found[0]}; nothing was published: change what "
                                "the drafts say there (see 'summariser eval')")
    shown = tuple(sorted(output / "figures" / p.name for p in figures.values()))
    quotes = sum(isinstance(b, Quote) for b in blocks)
    return ReportFiles(tuple(paths), shown, quotes, tuple(failures))


def _author(manifest: Manifest) -> str:
    return ", ".join(filter(None, [manifest.author, manifest.organisation]))


@dataclass(frozen=True)
class GateResult:
    failures: list[str]
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (section, claim's words)


def check_drafts(manifest: Manifest, store, texts: Sequence[SectionText],
                 directory: Path) -> GateResult:
    """The publication gate on the drafts the report is made of (`summariser eval`'s checks):
    one line per failure (warnings do not block)."""
    from summariser.draft.files import SectionFiles
    from summariser.gate.run import evaluate_paths

    return gate_result(evaluate_paths(
        [SectionFiles(directory, t.section.id).markdown for t in texts], manifest, store))


def gate_result(result) -> GateResult:
    """A gate run (`summariser.gate.run.evaluate_paths`) as one line per failure and the
    claims it could not check."""
    from summariser.gate.run import Outcome

    failures = [f"{q.section}: “{q.quote[:70]}” {q.status}: {q.verification.reason}"
                for q in result.quotes if q.outcome == Outcome.FAIL]
    failures += [f"{c.section}: [{c.cited}] {c.reason}" for c in result.citations
                 if c.outcome == Outcome.FAIL]
    failures += [f"{n.section}: “{n.claim}” {n.reason}" for n in result.numbers
                 if n.outcome == Outcome.FAIL]
    unchecked = [(n.section, n.claim) for n in result.numbers if n.outcome == Outcome.UNCHECKED]
    return GateResult(failures, unchecked)
