"""Render an `EvalReport` for a reviewer: Markdown, one self-contained HTML file, or JSON.

Each quote is shown with its outcome, the verifier's status and reason, the source around the
match (± `CONTEXT_CHARS` characters of the original response, the match marked, each fragment of
an elided quote marked on its own), the editorial marks, and for a near miss (or a quote whose
marks change its meaning) the word diff. Citations, numbers, quote concentration and refused
markup follow as tables. Failures come first.

Markdown and HTML are one document (`document`) written by the document layer's writers
(`summariser.document.markdown`, `summariser.document.html`), which escape every text in it.
Outcomes always carry a text label and a symbol as well as a colour, so they survive greyscale
printing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from summariser.document.html import to_html
from summariser.document.markdown import to_markdown
from summariser.document.model import (
    Block,
    BulletList,
    Definitions,
    Heading,
    Inline,
    Panel,
    Paragraph,
    Quote,
    Run,
    Style,
    Table,
    runs,
)
from summariser.gate.run import (
    CONCENTRATION_MIN_QUOTES,
    CONCENTRATION_SHARE,
    EvalReport,
    Outcome,
    QuoteCheck,
)

__all__ = ["FORMATS", "document", "render", "render_html", "render_json", "render_markdown"]

FORMATS = ("md", "html", "json")
JSON_FORMAT = "summariser.eval/1"
ORDER = (Outcome.FAIL, Outcome.WARNING, Outcome.PASS, Outcome.UNCHECKED)
LABEL = {Outcome.FAIL: "FAIL", Outcome.WARNING: "WARNING", Outcome.PASS: "PASS",
         Outcome.UNCHECKED: "UNCHECKED"}
SYMBOL = {Outcome.FAIL: "✗", Outcome.WARNING: "!", Outcome.PASS: "✓", Outcome.UNCHECKED: "?"}


def render(report: EvalReport, fmt: str) -> str:
    return {"md": render_markdown, "html": render_html, "json": render_json}[fmt](report)


def _sorted(checks: Iterable) -> list:
    return sorted(checks, key=lambda c: ORDER.index(c.outcome))


def _diff_text(check: QuoteCheck) -> str:
    from summariser.verify import render_diff

    return render_diff(check.verification.diff) if check.verification.diff else ""


def _summary(report: EvalReport) -> str:
    counts = report.counts()
    return ", ".join(f"{counts[str(o)]} {o}" for o in ORDER)


# --- JSON ----------------------------------------------------------------------------------------


def _span(span) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"response_id": span.response_id, "respondent": span.respondent,
            "question": span.question, "source_file": span.source_file, "start": span.start,
            "end": span.end, "text": span.text, "fragments": [list(f) for f in span.fragments],
            "speaker": span.speaker, "row": span.row}


def _quote_json(check: QuoteCheck) -> dict[str, Any]:
    result = check.verification
    context = check.context
    return {
        "draft": check.draft, "where": check.where, "section": check.section,
        "section_id": check.section_id, "quote": check.quote, "read_as": check.read_as,
        "cited": list(check.cited), "attribution": check.attribution,
        "outcome": str(check.outcome), "status": check.status, "reason": result.reason,
        "warnings": list(result.warnings), "notes": list(check.notes), "marks": list(check.marks),
        "respondent": check.respondent, "unique": result.unique,
        "similarity": result.similarity, "diff": [list(op) for op in result.diff],
        "diff_text": _diff_text(check), "span": _span(result.span),
        "fragments": list(check.fragments),
        "alternatives": [_span(a) for a in result.alternatives],
        "context": None if context is None else {
            "response_id": context.response_id, "respondent": context.respondent,
            "question": context.question, "source_file": context.source_file,
            "where": context.where, "segments": [[t, h] for t, h in context.segments],
            "cut_before": context.cut_before, "cut_after": context.cut_after},
    }


def _plain(check) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(check)
    data["outcome"] = str(check.outcome)
    return data


def render_json(report: EvalReport) -> str:
    payload = {
        "format": JSON_FORMAT, "project": report.project, "drafts": list(report.drafts),
        "passed": report.passed, "counts": report.counts(),
        "quotes": [_quote_json(c) for c in report.quotes],
        "citations": [_plain(c) for c in report.citations],
        "numbers": [_plain(c) for c in report.numbers],
        "concentration": [_plain(c) for c in report.concentration],
        "markup": [_plain(c) for c in report.markup],
        "notes": list(report.notes),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- Markdown and HTML: one document ------------------------------------------------------------


def _badge(outcome: Outcome, text: str = "") -> Run:
    return Run(text or f"{SYMBOL[outcome]} {LABEL[outcome]}", Style.OUTCOME, str(outcome))


def _diff(check: QuoteCheck) -> Inline:
    """The word diff as runs: the source's words the quote changed or left out, and its own."""
    styles = {"equal": Style.PLAIN, "delete": Style.DELETED, "insert": Style.INSERTED}
    return tuple(_joined([Run(text, styles[op]) for op, text in check.verification.diff], " "))


def _details(check: QuoteCheck) -> Definitions:
    result = check.verification
    rows: list[tuple[str, Inline]] = [
        ("Verifier", runs(Run(check.status, Style.STRONG),
                          f" ({check.attribution}): {result.reason}"))]
    if check.read_as != check.quote:
        rows.append(("Read as", runs(f"“{check.read_as}”")))
    if result.diff:
        rows.append(("Word diff (− source, + quote)", _diff(check)))
    rows += [("Editorial mark", runs(mark)) for mark in check.marks]
    if check.fragments:
        rows.append(("Fragments", runs(" · ".join(f"“{f}”" for f in check.fragments))))
    rows += [("Warning", runs(warning)) for warning in result.warnings]
    rows += [("Note", runs(note)) for note in check.notes]
    if result.alternatives:
        rows.append(("Also in", runs(", ".join(f"{a.respondent} ({a.question})"
                                               for a in result.alternatives))))
    return Definitions(tuple(rows))


def _context(check: QuoteCheck) -> list[Block]:
    """The source around the match, the matched words marked."""
    context = check.context
    if context is None:
        return []
    where = context.source_file + (f", {context.where}" if context.where else "")
    text = runs("… " if context.cut_before else "",
                *(Run(t, Style.MARKED if marked else Style.PLAIN) for t, marked in context.segments
                  if t),
                " …" if context.cut_after else "")
    return [Paragraph(runs(f"Source ({context.respondent}, {context.question}, {where}; the "
                           "match marked):"), note=True),
            Quote(text)]


def _quote_panel(check: QuoteCheck) -> Panel:
    heading = runs(_badge(check.outcome), f" {check.where} · {check.section} ({check.status})")
    return Panel(str(check.outcome), (
        Heading(3, heading),
        Paragraph(runs(Run(check.draft, Style.CODE)), note=True),
        Quote(runs(f"“{check.quote}”"), ", ".join(check.cited)),
        _details(check), *_context(check)))


def _table(header: list[str], rows: list[tuple[Outcome, list[str]]]) -> Block:
    if not rows:
        return Paragraph(runs("None."))
    return Table("", tuple(runs(h) for h in ["Outcome", *header]),
                 tuple((runs(_badge(o)), *(runs(cell) for cell in cells)) for o, cells in rows))


def document(report: EvalReport) -> list[Block]:
    """The reviewer's report: the verdict, the counts, every quote (failures first) with its
    source, then citations, numbers and quote concentration as tables."""
    verdict = Outcome.PASS if report.passed else Outcome.FAIL
    blocks: list[Block] = [
        Heading(1, runs(f"Quote and number check: {report.project}")),
        Paragraph(runs("Drafts: ", *_joined([Run(d, Style.CODE) for d in report.drafts]))),
        Paragraph(runs(_badge(verdict, f"Result: {LABEL[verdict]}"), f" ({_summary(report)})."
                       + ("" if report.passed else
                          " Do not publish until every failure is fixed."))),
        Table("", (runs("Check"), *(runs(_badge(o)) for o in ORDER)),
              tuple((runs(name), *(runs(str(sum(c.outcome is o for c in checks)))
                                   for o in ORDER))
                    for name, checks in (("Quotes", report.quotes),
                                         ("Citations", report.citations),
                                         ("Numbers", report.numbers),
                                         ("Concentration", report.concentration),
                                         ("Markup", report.markup)))),
        Heading(2, runs(f"Quotes ({len(report.quotes)})"))]
    for outcome in ORDER:
        group = [c for c in report.quotes if c.outcome is outcome]
        if group:
            blocks.append(Heading(2, runs(f"{SYMBOL[outcome]} {LABEL[outcome]}: {len(group)} "
                                          "quote(s)")))
            blocks += [_quote_panel(check) for check in group]
    blocks += [
        Heading(2, runs(f"Citations ({len(report.citations)})")),
        _table(["Where", "Section", "Cited", "Reason"],
               [(c.outcome, [c.where, c.section, c.cited, c.reason])
                for c in _sorted(report.citations)]),
        Heading(2, runs(f"Numbers ({len(report.numbers)})")),
        _table(["Where", "Section", "Kind", "Claim", "Reason", "Sentence"],
               [(c.outcome, [c.where, c.section, c.kind, c.claim, c.reason, c.sentence])
                for c in _sorted(report.numbers)]),
        Heading(2, runs(f"Quote concentration ({len(report.concentration)} sections)")),
        Paragraph(runs(f"A warning when one respondent gives more than {CONCENTRATION_SHARE:.0%} "
                       f"of a section's quotes (sections with at least {CONCENTRATION_MIN_QUOTES}"
                       " quotes)."), note=True),
        _table(["Section", "Quotes", "Most quoted", "Reason"],
               [(c.outcome, [c.section, str(c.quotes),
                             ", ".join(f"{r}: {n}" for r, n in c.shares[:3]), c.reason])
                for c in _sorted(report.concentration)])]
    if report.markup:
        blocks += [
            Heading(2, runs(f"Markup the check does not read ({len(report.markup)})")),
            _table(["Where", "Section", "Markup", "Reason"],
                   [(c.outcome, [c.where, c.section, c.markup, c.reason])
                    for c in _sorted(report.markup)])]
    if report.notes:
        blocks += [Heading(2, runs("Notes")), BulletList(tuple(runs(n) for n in report.notes))]
    return blocks


def _joined(parts: list[Run], separator: str = ", ") -> list[Run]:
    joined: list[Run] = []
    for part in parts:
        joined += [Run(separator)] if joined else []
        joined.append(part)
    return joined


def render_markdown(report: EvalReport) -> str:
    return to_markdown(document(report))


def render_html(report: EvalReport) -> str:
    return to_html(document(report), f"Quote and number check: {report.project}")
