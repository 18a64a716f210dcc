"""Render an `EvalReport` for a reviewer: Markdown, one self-contained HTML file, or JSON.

Each quote is shown with its outcome, the verifier's status and reason, the source around the
match (± `CONTEXT_CHARS` characters of the original response, the match highlighted, each
fragment of an elided quote highlighted on its own), the editorial marks, and for a near miss the
word diff. Citations, numbers and quote concentration follow as tables. Failures come first.

The HTML needs nothing but itself: inline CSS, no scripts, no fonts or images to fetch. Outcomes
use the Okabe-Ito colours (distinguishable with the common colour-vision deficiencies) and always
carry a text label and a symbol as well, so they survive greyscale printing.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from summariser.gate.run import (
    CONCENTRATION_MIN_QUOTES,
    CONCENTRATION_SHARE,
    EvalReport,
    Outcome,
    QuoteCheck,
)

__all__ = ["FORMATS", "render", "render_html", "render_json", "render_markdown"]

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
        "notes": list(report.notes),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- Markdown ------------------------------------------------------------------------------------


def _md_escape(text: str, *, keep_edges: bool = False) -> str:
    flat = re.sub(r"\s+", " ", text) if keep_edges else " ".join(text.split())
    return "".join("\\" + c if c in "\\`*_[]<>|" else c for c in flat)


def _md_context(check: QuoteCheck) -> list[str]:
    context = check.context
    if context is None:
        return []
    body = "".join(f"**{_md_escape(t)}**" if marked else _md_escape(t, keep_edges=True)
                   for t, marked in context.segments if t.strip() or not marked)
    body = ("… " if context.cut_before else "") + body + (" …" if context.cut_after else "")
    where = f"{context.source_file}" + (f", {context.where}" if context.where else "")
    return [f"Source ({context.respondent}, {context.question}, {where}; the match in bold):", "",
            f"> {body}", ""]


def _md_quote(check: QuoteCheck) -> list[str]:
    result = check.verification
    cited = f" [{', '.join(check.cited)}]" if check.cited else ""
    lines = [f"### {SYMBOL[check.outcome]} {LABEL[check.outcome]}: {check.where}, "
             f"{_md_escape(check.section)} ({check.status})", "",
             f"> “{_md_escape(check.quote)}”{' ' if cited else ''}{_md_escape(cited)}", "",
             f"- Verifier: **{check.status}**, {check.attribution}. {_md_escape(result.reason)}"]
    if check.read_as != check.quote:
        lines.append(f"- Read as: “{_md_escape(check.read_as)}”")
    if result.diff:
        lines.append(f"- Word diff (source → quote; `[-removed-]` `{{+added+}}`): "
                     f"`{_diff_text(check)}`")
    for mark in check.marks:
        lines.append(f"- Editorial mark: {_md_escape(mark)}")
    if check.fragments:
        shown = " · ".join(f"“{_md_escape(f)}”" for f in check.fragments)
        lines.append(f"- Fragments in the source: {shown}")
    for warning in result.warnings:
        lines.append(f"- Warning: {_md_escape(warning)}")
    for note in check.notes:
        lines.append(f"- Note: {_md_escape(note)}")
    if result.alternatives:
        others = ", ".join(f"{a.respondent} ({a.question})" for a in result.alternatives)
        lines.append(f"- Also in: {_md_escape(others)}")
    return lines + [""] + _md_context(check)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["None.", ""]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _outcome_cell(check) -> str:
    return f"{SYMBOL[check.outcome]} {LABEL[check.outcome]}"


def render_markdown(report: EvalReport) -> str:
    verdict = "PASS" if report.passed else "FAIL"
    lines = [f"# Quote and number check: {_md_escape(report.project)}", "",
             f"**Result: {verdict}** ({_summary(report)}).", "",
             "Drafts: " + ", ".join(f"`{d}`" for d in report.drafts), ""]
    lines += ["| Check | " + " | ".join(LABEL[o] for o in ORDER) + " |",
              "|---|" + "---|" * len(ORDER)]
    for name, checks in (("Quotes", report.quotes), ("Citations", report.citations),
                         ("Numbers", report.numbers), ("Concentration", report.concentration)):
        cells = [str(sum(c.outcome is o for c in checks)) for o in ORDER]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", f"## Quotes ({len(report.quotes)})", ""]
    for outcome in ORDER:
        group = [c for c in report.quotes if c.outcome is outcome]
        if group:
            lines += [f"## {LABEL[outcome]}: {len(group)} quote(s)", ""]
            for check in group:
                lines += _md_quote(check)
    lines += [f"## Citations ({len(report.citations)})", ""]
    lines += _md_table(["Outcome", "Where", "Section", "Cited", "Reason"],
                       [[_outcome_cell(c), c.where, c.section, c.cited, c.reason]
                        for c in _sorted(report.citations)])
    lines += [f"## Numbers ({len(report.numbers)})", ""]
    lines += _md_table(["Outcome", "Where", "Section", "Kind", "Claim", "Reason", "Sentence"],
                       [[_outcome_cell(c), c.where, c.section, c.kind, c.claim, c.reason,
                         c.sentence] for c in _sorted(report.numbers)])
    lines += [f"## Quote concentration ({len(report.concentration)} sections)", ""]
    lines += _md_table(["Outcome", "Section", "Quotes", "Most quoted", "Reason"],
                       [[_outcome_cell(c), c.section, str(c.quotes),
                         ", ".join(f"{r} {n}" for r, n in c.shares[:3]), c.reason]
                        for c in _sorted(report.concentration)])
    if report.notes:
        lines += ["## Notes", ""] + [f"- {_md_escape(n)}" for n in report.notes] + [""]
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
:root { --pass: #0072B2; --warning: #E69F00; --fail: #D55E00; --unchecked: #6b6b6b;
  --pass-bg: #e6f0f8; --warning-bg: #fdf3dc; --fail-bg: #fbe8de; --unchecked-bg: #f0f0f0;
  --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem 4rem; color: var(--ink);
  background: #fff; font: 16px/1.55 Georgia, "DejaVu Serif", "Times New Roman", serif; }
h1, h2, h3, .badge, table, .meta, .summary { font-family: "Helvetica Neue", Arial,
  "DejaVu Sans", sans-serif; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2.4rem 0 .8rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--rule); }
h3 { font-size: 1rem; margin: 0; font-weight: 600; }
.verdict { display: inline-block; font: 700 1.05rem/1 "Helvetica Neue", Arial, sans-serif;
  padding: .45rem .8rem; border-radius: 4px; margin: .6rem 0; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; margin: .6rem 0 1rem; padding: 0;
  list-style: none; }
.summary li { padding: .35rem .7rem; border-radius: 4px; border-left: 6px solid;
  font-size: .95rem; }
.badge { display: inline-block; min-width: 6.8rem; text-align: center; font-weight: 700;
  white-space: nowrap;
  font-size: .8rem; letter-spacing: .04em; padding: .2rem .5rem; border-radius: 3px; }
.o-pass .badge, .badge.o-pass, .verdict.o-pass { background: var(--pass); color: #fff; }
.o-warning .badge, .badge.o-warning, .verdict.o-warning { background: var(--warning); color: #000; }
.o-fail .badge, .badge.o-fail, .verdict.o-fail { background: var(--fail); color: #fff; }
.o-unchecked .badge, .badge.o-unchecked { background: var(--unchecked); color: #fff; }
li.o-pass, article.o-pass { border-color: var(--pass); background: var(--pass-bg); }
li.o-warning, article.o-warning { border-color: var(--warning); background: var(--warning-bg); }
li.o-fail, article.o-fail { border-color: var(--fail); background: var(--fail-bg); }
li.o-unchecked { border-color: var(--unchecked); background: var(--unchecked-bg); }
article { border-left: 8px solid; border-radius: 4px; padding: .9rem 1.1rem; margin: 0 0 1.1rem;
  break-inside: avoid; page-break-inside: avoid; }
article header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .3rem .7rem; }
.meta { color: var(--muted); font-size: .85rem; }
blockquote { margin: .7rem 0; padding: .1rem 0 .1rem 1rem; border-left: 3px solid var(--rule);
  font-size: 1.05rem; }
blockquote.printed { font-style: italic; }
.reason { margin: .4rem 0; }
dl { margin: .5rem 0 0; display: grid; grid-template-columns: 8.5rem 1fr; gap: .25rem .9rem; }
dt { font: 600 .85rem/1.55 "Helvetica Neue", Arial, sans-serif; color: var(--muted); }
dd { margin: 0; }
.context { background: #fff; border: 1px solid var(--rule); border-radius: 3px;
  padding: .5rem .75rem; }
mark { background: #ffe58a; color: inherit; font-weight: 700; padding: 0 .08em;
  border-bottom: 2px solid #8a6d00; }
del { background: #f6d2c2; text-decoration: line-through 2px; }
ins { background: #cfe3f3; text-decoration: underline 2px; }
del::before { content: "[−"; font-size: .8em; } del::after { content: "]"; font-size: .8em; }
ins::before { content: "[+"; font-size: .8em; } ins::after { content: "]"; font-size: .8em; }
table { width: 100%; border-collapse: collapse; font-size: .88rem; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem;
  border-bottom: 1px solid var(--rule); }
th { background: #f4f4f4; }
tr { break-inside: avoid; page-break-inside: avoid; }
td .badge { min-width: 7.6rem; }
ul.notes { padding-left: 1.2rem; }
nav ol { columns: 2; font-family: "Helvetica Neue", Arial, sans-serif; font-size: .9rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  nav { display: none; }
}
"""


def _e(text: str) -> str:
    return html.escape(" ".join(str(text).split()))


def _badge(outcome: Outcome) -> str:
    return (f'<span class="badge o-{outcome}">{SYMBOL[outcome]} {LABEL[outcome]}</span>')


def _html_diff(check: QuoteCheck) -> str:
    parts = []
    for op, text in check.verification.diff:
        tag = {"equal": "span", "delete": "del", "insert": "ins"}[op]
        parts.append(f"<{tag}>{_e(text)}</{tag}>")
    return " ".join(parts)


def _html_quote(check: QuoteCheck, number: int) -> str:
    result = check.verification
    cited = f" [{', '.join(check.cited)}]" if check.cited else ""
    rows = [("Verifier", f"<strong>{_e(check.status)}</strong> ({_e(check.attribution)}): "
                         f"{_e(result.reason)}")]
    if check.read_as != check.quote:
        rows.append(("Read as", f"“{_e(check.read_as)}”"))
    if result.diff:
        rows.append(("Word diff", f"{_html_diff(check)}<br><span class=meta>struck through: the "
                                  "source's words the quote changed or left out; underlined: "
                                  "words the quote added</span>"))
    if check.marks:
        rows.append(("Editorial marks", "<br>".join(_e(m) for m in check.marks)))
    if check.fragments:
        rows.append(("Fragments", " · ".join(f"“{_e(f)}”" for f in check.fragments)))
    for warning in result.warnings:
        rows.append(("Warning", _e(warning)))
    for note in check.notes:
        rows.append(("Note", _e(note)))
    if result.alternatives:
        rows.append(("Also in", _e(", ".join(f"{a.respondent} ({a.question})"
                                             for a in result.alternatives))))
    context = check.context
    if context is not None:
        body = "".join(f"<mark>{_e(t)}</mark>" if marked else html.escape(t)
                       for t, marked in context.segments)
        body = ("… " if context.cut_before else "") + body + (" …" if context.cut_after else "")
        where = context.source_file + (f", {context.where}" if context.where else "")
        rows.append(("Source", f'<span class=meta>{_e(context.respondent)}, '
                               f'{_e(context.question)}, {_e(where)}</span>'
                               f'<div class="context">{body}</div>'))
    details = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (f'<article class="o-{check.outcome}" id="q{number}"><header>{_badge(check.outcome)}'
            f'<h3>{_e(check.where)} · {_e(check.section)}</h3>'
            f'<span class="meta">{_e(check.draft)}</span></header>'
            f'<blockquote class="printed">“{_e(check.quote)}”{" " if cited else ""}{_e(cited)}'
            "</blockquote>"
            f"<dl>{details}</dl></article>")


def _html_table(header: list[str], rows: list[tuple[Outcome, list[str]]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th scope=col>{_e(h)}</th>" for h in ["Outcome", *header])
    body = "".join(f"<tr class='o-{o}'><td>{_badge(o)}</td>" + "".join(
        f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>" for o, cells in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: EvalReport) -> str:
    verdict = Outcome.PASS if report.passed else Outcome.FAIL
    counts = report.counts()
    summary = "".join(f'<li class="o-{o}">{SYMBOL[o]} <strong>{counts[str(o)]}</strong> '
                      f"{LABEL[o].lower()}</li>" for o in ORDER)
    quotes = []
    number = 0
    for outcome in ORDER:
        group = [c for c in report.quotes if c.outcome is outcome]
        if group:
            quotes.append(f'<h2 id="quotes-{outcome}">{SYMBOL[outcome]} {LABEL[outcome]}: '
                          f"{len(group)} quote(s)</h2>")
            for check in group:
                number += 1
                quotes.append(_html_quote(check, number))
    citations = _html_table(["Where", "Section", "Cited", "Reason"],
                            [(c.outcome, [c.where, c.section, c.cited, c.reason])
                             for c in _sorted(report.citations)])
    numbers = _html_table(["Where", "Section", "Kind", "Claim", "Reason", "Sentence"],
                          [(c.outcome, [c.where, c.section, c.kind, c.claim, c.reason, c.sentence])
                           for c in _sorted(report.numbers)])
    concentration = _html_table(
        ["Section", "Quotes", "Most quoted", "Reason"],
        [(c.outcome, [c.section, str(c.quotes), ", ".join(f"{r}: {n}" for r, n in c.shares[:3]),
                      c.reason]) for c in _sorted(report.concentration)])
    notes = ("<h2>Notes</h2><ul class=notes>" + "".join(f"<li>{_e(n)}</li>" for n in report.notes)
             + "</ul>") if report.notes else ""
    drafts = ", ".join(f"<code>{_e(d)}</code>" for d in report.drafts)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quote and number check: {_e(report.project)}</title>
<style>{_CSS}</style></head>
<body>
<h1>Quote and number check</h1>
<p class="meta">{_e(report.project)} · drafts: {drafts}</p>
<p><span class="verdict o-{verdict}">{SYMBOL[verdict]} Result: {LABEL[verdict]}</span>
{"" if report.passed else " Do not publish until every failure is fixed."}</p>
<ul class="summary">{summary}</ul>
<nav><ol><li><a href="#quotes">Quotes ({len(report.quotes)})</a></li>
<li><a href="#citations">Citations ({len(report.citations)})</a></li>
<li><a href="#numbers">Numbers ({len(report.numbers)})</a></li>
<li><a href="#concentration">Quote concentration ({len(report.concentration)})</a></li></ol></nav>
<section id="quotes">{"".join(quotes) or "<h2>Quotes</h2><p>None found.</p>"}</section>
<section id="citations"><h2>Citations</h2>{citations}</section>
<section id="numbers"><h2>Numbers</h2>{numbers}</section>
<section id="concentration"><h2>Quote concentration</h2>
<p class="meta">A warning when one respondent gives more than {CONCENTRATION_SHARE:.0%} of a
section's quotes (sections with at least {CONCENTRATION_MIN_QUOTES} quotes).</p>
{concentration}</section>
{notes}
</body></html>
"""

