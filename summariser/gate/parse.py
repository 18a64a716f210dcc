"""Reading a draft for `summariser eval`: its sections, quotes, citations and number claims.

A draft is one of:
- a tool draft: `drafts/<section>.json` (the sidecar), read as it is: quotes carry response ids
  and every theme its respondents and their coded evidence;
- Markdown (`.md`, `.markdown`), written or edited by a person, read as a reader sees it: rendered
  by markdown-it-py (`summariser.gate.markdown`), so emphasis, escapes and entities are read as
  they show, code blocks are read as text, and raw HTML (other than comments), an image among a
  paragraph's words and struck-through text are refused (each a failing `MarkupCheck`). When a
  tool sidecar (`<name>.json`) sits beside it, the Markdown is what is checked and the sidecar
  supplies the section, the themes' respondents and evidence, the denominator and each quote's
  response id;
- a report written by `summariser report` (`report.md`, `report.docx`): read as Markdown or Word,
  with the drafts named in the ledger beside it (`report.json`, see `summariser.document.ledger`)
  as the sidecars of their sections, so its counts are checked against the coded people; a
  summary line that opens with a section's number and title ("2.1 What has gone well? Delayed
  discharge, raised by four of 16 ...") is read in that section;
- plain text (`.txt`): read line by line (`summariser.gate.blocks`), indented paragraphs as block
  quotes;
- Word (`.docx`): paragraphs, with Heading styles as headings and Quote styles as block quotes;
  a run a reader cannot see (hidden, white, under 4 pt, struck through) is refused;
- HTML (`.html`, such as `report.html`): read as a browser shows it (`summariser.gate.html`),
  hidden and struck-through elements refused.
A report's ledger is read from the file beside it, else from inside the report itself (an HTML
meta element, a Markdown comment, a Word custom property: `summariser.document.ledger`), so a
copy renamed by hand is checked as the report was.

A heading is a theme's when it is its title, when the comment drafting writes after it names
the theme's id (`<!-- theme: t1 -->`), or, when the analyst renamed it and the comment is gone,
when every quote under it is one of that theme's coded quotes; the draft is then read again so
that every line naming the renamed heading (a report's executive summary comes first) is that
theme's.

What counts as what:
- a quote is a span in double quote marks (“…”, "…", „…“, «…») or single ones that pair up
  (‘…’, '…'), or a block quote (`> ` lines; in plain text also indented paragraphs; in .docx the
  Quote styles). A block quote that starts with a quote mark is read for its marks; otherwise the
  whole block is the quote. A quote inside a properly closed quote is part of it.
- Double marks are paired by position first (a mark after a space opens, a mark before a space or
  punctuation closes), by glyph only when the position says nothing, and a closing mark pairs with
  an open mark of its own family (curly or straight): a stray mark of the other family inside a
  quote is part of its text (`summariser.gate.quote_marks`). A mark that opens and is never
  closed runs to the end of its paragraph; a closing mark that was never opened runs back to the
  start of its clause (after `.`, `;`, `:`, an earlier quote, or the paragraph start). Such quotes
  are flagged `malformed` (see `summariser.gate.run` for how far they may be shortened).
- A quoted span outside a block quote, with no citation, that names a theme of the sidecar, or a
  section or question label of the manifest, by its title is a label, not a quote; in single
  quote marks, so is a term all of whose words are in one question's text or label (‘financial
  pressures’). The draft's own headings are not labels.
- A citation is a bracketed list of ids right after a quote: `[R07]`, `(R07)`, `[R07, R12]`,
  `[693]`, `[ABC S&C 3729]`; which groups are citations is in `summariser.gate.citations`
  (any id of the corpus, whatever its shape). Bracketed ids elsewhere are citations too,
  attached to no quote.
- Headings: Markdown headings, bold-only lines (`**2.4 Title**`) and short numbered lines
  (`2.5.1 Financial pressures`). A numbered heading selects the manifest section with that
  number, else the one with that title, else the section whose number prefixes it (2.8.1 ->
  2.8); an unnumbered heading selects a section by title, or a sidecar theme by title.
- Number claims (see `summariser.gate.run` for the checks) are read from prose outside quotes
  (`summariser.gate.claims`): counts ("four of 16 Chief Officers", "Six respondents (37%)",
  "eight (66%)", "at least three respondents"), percentages of respondents ("100% of
  respondents") and quantifiers ("most Chief Officers", "the majority", "all respondents",
  "unanimous", "both interviewees"). A sentence that names a sidecar theme by its title, in
  prose, is tied to it. A paragraph "The question asked: ..." whose words are the start of one of
  the manifest's questions, word for word, is the questionnaire's and claims nothing.

The records are in `summariser.gate.parsed`. This module walks the blocks (sections, quotes,
citations) and re-exports the records.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from summariser.draft.records import SectionDraft, draft_from_dict, read_draft
from summariser.errors import DraftError, EvidenceEdited
from summariser.gate.blocks import (
    Block,
    Refusal,
    docx_blocks,
    match_key,
    one_line,
    strip_emphasis,
    text_blocks,
)
from summariser.gate.citations import CitationIds
from summariser.gate.claims import BLANKED_QUOTE, ClaimFinder
from summariser.gate.html import html_blocks
from summariser.gate.labels import Labels, match_section
from summariser.gate.markdown import markdown_blocks
from summariser.gate.parsed import (
    REVIEW_HEADING,
    DraftCitation,
    DraftQuote,
    DraftRefusal,
    DraftSection,
    NumberClaim,
    ParsedDraft,
    ThemeFacts,
)
from summariser.gate.quote_marks import ALL_MARKS, quote_spans
from summariser.project.manifest import Manifest, Section
from summariser.text.wording import count_text

SUFFIXES = (".json", ".md", ".markdown", ".txt", ".docx", ".html", ".htm")

__all__ = ["SUFFIXES", "DraftCitation", "DraftQuote", "DraftSection", "NumberClaim", "ParsedDraft",
           "ThemeFacts", "parse_draft", "parse_text"]


# --- entry points ------------------------------------------------------------------------------


def parse_draft(path: Path | str, manifest: Manifest, ids: Collection[str] = ()) -> ParsedDraft:
    """Read one draft file (see the module docstring for the formats). `ids`: the corpus's
    respondent and response ids, so that a citation in any id format is read as one."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftError(f"{path}: cannot read a '{suffix}' draft; give a .json, .md, .txt, "
                         ".docx or .html file")
    if suffix == ".json":
        return _from_sidecar(read_draft(path), str(path), manifest, ids)
    if suffix == ".docx":
        drafts, ledger_notes = _report_drafts(path, manifest)
        blocks, refused = docx_blocks(path)
        parsed = _parse_blocks(blocks, str(path), "docx", manifest, None, ids, refused,
                               drafts=drafts)
        return _with_ledger(parsed, path, drafts, ledger_notes)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(f"{path}: cannot read the draft ({exc}); save it as UTF-8 text") from None
    sidecar_path = path.with_suffix(".json")
    sidecar = None
    if suffix in (".md", ".markdown") and sidecar_path.is_file():
        try:
            sidecar = draft_from_dict(json.loads(sidecar_path.read_text(encoding="utf-8")),
                                      str(sidecar_path))
        except EvidenceEdited:
            raise  # a tool sidecar, changed by hand: its counts can be neither trusted nor lost
        except (DraftError, ValueError, OSError):
            sidecar = None  # not a tool sidecar: read the Markdown on its own
    if suffix == ".txt":
        return _parse_blocks(text_blocks(text), str(path), "text", manifest, None, ids)
    if suffix in (".html", ".htm"):
        drafts, ledger_notes = _report_drafts(path, manifest)
        blocks, refused = html_blocks(text)
        parsed = _parse_blocks(blocks, str(path), "html", manifest, None, ids, refused,
                               drafts=drafts)
        return _with_ledger(parsed, path, drafts, ledger_notes)
    drafts, ledger_notes = _report_drafts(path, manifest) if sidecar is None else ({}, [])
    blocks, refused = markdown_blocks(text)
    parsed = _parse_blocks(blocks, str(path), "markdown", manifest, sidecar, ids, refused,
                           drafts=drafts)
    if sidecar is not None:
        return replace(parsed, sidecar=str(sidecar_path))
    return _with_ledger(parsed, path, drafts, ledger_notes)


def _report_drafts(path: Path, manifest: Manifest) -> tuple[dict[str, SectionDraft], list[str]]:
    """The drafts a report was built from, by section id, from its ledger (none for a file
    `summariser report` did not write), with notes on sidecars gone or changed since."""
    from summariser.document.ledger import read_ledger

    found = read_ledger(path, manifest.root)
    if found is None:
        return {}, []
    sidecars, notes = found
    drafts = {}
    for section_id, sidecar in sidecars.items():
        try:
            drafts[section_id] = read_draft(sidecar)
        except EvidenceEdited:
            raise
        except DraftError as exc:
            notes.append(f"{exc}; the counts of section {section_id} are not checked against "
                         "its people")
    return drafts, notes


def _with_ledger(parsed: ParsedDraft, path: Path, drafts: dict[str, SectionDraft],
                 notes: list[str]) -> ParsedDraft:
    if not drafts and not notes:
        return parsed
    from summariser.document.ledger import ledger_path

    return replace(parsed, sidecar=str(ledger_path(path)), notes=(*parsed.notes, *notes))


def parse_text(text: str, manifest: Manifest, *, name: str = "draft.md",
               sidecar: SectionDraft | None = None, ids: Collection[str] = ()) -> ParsedDraft:
    """Parse Markdown given as a string (for callers that hold a draft in memory)."""
    blocks, refused = markdown_blocks(text)
    return _parse_blocks(blocks, name, "markdown", manifest, sidecar, ids, refused)


# --- the parse ---------------------------------------------------------------------------------


_MIXED_SCRIPT = re.compile(r"[^\W\d_]{2,}")


def _scripts(word: str) -> set[str]:
    """The alphabets of a word's letters ("LATIN", "CYRILLIC", "GREEK", ...)."""
    return {unicodedata.name(c, "?").split(" ")[0] for c in word}


Aliases = Mapping[tuple[str, str], str]  # (section id, heading's match key) -> theme title


class _Parser:
    def __init__(self, path: str, kind: str, manifest: Manifest, sidecar: SectionDraft | None,
                 ids: Collection[str] = (), drafts: Mapping[str, SectionDraft] | None = None,
                 aliases: Aliases | None = None):
        self.path, self.kind, self.manifest, self.sidecar = path, kind, manifest, sidecar
        self.aliases = dict(aliases or {})
        # Headings tied to no theme yet, in a tool section: (section id, key, first quote index);
        # at the next heading, one whose quotes are all one theme's is that theme renamed.
        self.untied: tuple[str, str, int] | None = None
        self.found: dict[tuple[str, str], str] = {}
        self.drafts = dict(drafts or {})  # a report's: its sections' sidecars, by section id
        self.quoted: dict[str, set[str]] | None = None  # their quotes' words: response ids
        self.ids = CitationIds(manifest, ids)
        self.is_label = Labels(manifest, [*filter(None, [sidecar]), *self.drafts.values()])
        self.sections: list[DraftSection] = [DraftSection(None, "start")]
        self.placeholder = True  # sections[0] stands for text before any heading
        self.section_level = 0
        self.theme: str | None = None
        self.refusals: list[DraftRefusal] = []
        self.reviewing = False  # inside a report's list of failed checks (REVIEW_HEADING)
        self.quotes: list[DraftQuote] = []
        self.citations: list[DraftCitation] = []
        self.claims: list[NumberClaim] = []
        self.notes: list[str] = []
        self.finder = ClaimFinder(manifest)
        if sidecar is not None:
            self.sections[0] = self._sidecar_section(None, "start")

    def _sidecar_section(self, heading: str | None, where: str,
                         draft: SectionDraft | None = None) -> DraftSection:
        draft = draft or self.sidecar
        assert draft is not None
        renamed = {title: tuple(key for (section, key), theme in self.aliases.items()
                                if section == draft.section_id and theme == title)
                   for title in (t.title for t in draft.themes)}
        return DraftSection(heading, where, draft.section_id,
                            tuple(ThemeFacts(t.title, t.respondents, t.evidence,
                                             renamed[t.title], t.id,
                                             tuple(dict.fromkeys(e.respondent
                                                                 for e in t.supporting)))
                                  for t in draft.themes),
                            draft.denominator, sidecar=True)

    @property
    def current(self) -> int:
        return len(self.sections) - 1

    def heading(self, block: Block, where: str) -> None:
        self._tie_untied()
        text = one_line(block.text if block.visible else strip_emphasis(block.text))
        section, numbered = match_section(text, self.manifest)
        current = self.sections[self.current]
        themes = current.themes
        # A theme's heading: its title, the theme id drafting wrote after it, or a heading
        # renamed from it (tied by its quotes: `_tie_untied`).
        theme = next((t.title for t in themes if match_key(t.title) == match_key(text)), None) \
            or next((t.title for t in themes if block.theme_id and t.id == block.theme_id), None) \
            or next((t.title for t in themes if match_key(text) in map(match_key, t.aliases)),
                    None)
        if theme is not None and not numbered:
            self.theme = theme
            if current.section_id and match_key(text) != match_key(theme):
                self.found[(current.section_id, match_key(text))] = theme  # renamed
            return
        if section is not None and section.id in self.drafts:
            self._open(self._sidecar_section(text, where, self.drafts[section.id]), block.level)
            return
        if numbered or section is not None:
            if self.sidecar is not None and (section is None
                                             or section.id == self.sidecar.section_id):
                if section is None:
                    self.notes.append(f"{where}: heading '{text}' is not a section of the "
                                      f"manifest; the sidecar's section {self.sidecar.heading} "
                                      "is used")
                self._open(self._sidecar_section(text, where), block.level)
            else:
                self._open(DraftSection(text, where, section.id if section else None),
                           block.level)
            return
        if block.level and self.section_level and block.level <= self.section_level:
            self._open(DraftSection(text, where, None), block.level)
        else:
            self.theme = None  # a subheading: same section, no theme (unless its quotes say)
            if current.sidecar and current.section_id:
                self.untied = (current.section_id, match_key(text), len(self.quotes))

    def _tie_untied(self) -> None:
        """A heading that named no theme, whose quotes are all the coded quotes of one theme of
        the section: that theme, renamed by the analyst."""
        if self.untied is None:
            return
        section, key, first = self.untied
        self.untied = None
        themes = {q.theme for q in self.quotes[first:]}
        if len(themes) == 1 and None not in themes and all(q.response_id
                                                           for q in self.quotes[first:]):
            self.found[(section, key)] = themes.pop()  # type: ignore[assignment]

    def _open(self, section: DraftSection, level: int) -> None:
        self._tie_untied()
        if self.placeholder and not self.quotes and not self.claims and not self.citations:
            self.sections[0] = section  # nothing came before the first heading
        else:
            self.sections.append(section)
        self.placeholder = False
        self.section_level = level or 9
        self.theme = None

    def where(self, block: Block, text: str, offset: int) -> str:
        return f"{block.unit} {block.line + text.count(chr(10), 0, offset)}"

    def block(self, block: Block) -> None:
        raw = block.visible or block.unit == "paragraph"
        text = block.text if raw else strip_emphasis(block.text)
        where = self.where(block, text, 0)
        if self.reviewing and not (block.kind == "heading" and block.level <= 2):
            return  # the failed checks' own words: each is a failure already, not a claim
        self.reviewing = False
        if block.kind == "heading" and one_line(text) == REVIEW_HEADING:
            # Built with --allow-failures: whatever else holds, it is not for publication.
            self.reviewing = True
            self.placeholder = False  # the front matter holds it: a section of its own
            self.refusals.append(DraftRefusal(where, self.current, REVIEW_HEADING, (
                "the report lists checks that failed (it was built with --allow-failures): "
                "resolve them, then build it again")))
            return
        if block.kind == "heading":
            self.heading(block, where)
            # A quote or a number in a heading is one a reader sees: "Locality teams (15 of 16)"
            prose, markers = self.inline(block, text)
            self.find_claims(prose, lambda offset: self.where(block, prose, offset), markers)
            return
        if block.kind == "quote":
            trailing = self.ids.trailing_ids(text)
            cited, body = (trailing[0], text[: trailing[1]]) if trailing else ((), text)
            if body.strip() and body.lstrip()[0] not in ALL_MARKS:
                self._quote(one_line(body), where, cited, block=True)
                return
        if block.kind == "para" and self._asks(text):
            return  # the questionnaire's words ("... how challenging have you found each of
            # these?"), which claim nothing of the people who answered
        prose, markers = self.inline(block, text)
        if block.kind == "para":
            led = self._led_section(text)
            if led is not None:  # a report's summary line: "2.1 What has gone well? Delayed ..."
                outside = self.sections[self.current]
                self.sections.append(self._sidecar_section(outside.heading, outside.where,
                                                           self.drafts[led.id]))
            # The heading a summary line opens with names no theme: "2.1 What works well about
            # care at home: Carers, raised by nine ..." is no claim about a theme titled "Home".
            lead = _lead_length(prose, f"{led.number} {led.title}") if led is not None else 0
            self.find_claims(prose, lambda offset: self.where(block, prose, offset), markers,
                             lead)
            if led is not None:
                self.sections.append(outside)

    def _asks(self, text: str) -> bool:
        """Whether a paragraph is "The question asked: " and the start of one of the
        manifest's questions, word for word (a report prints its questions so)."""
        asked = re.match(r"\s*The question asked:\s*(?P<words>\S.*)", one_line(text))
        if asked is None:
            return False
        key = match_key(asked.group("words"))
        return any(match_key(q.text).startswith(key) for q in self.manifest.questions)

    def _led_section(self, text: str) -> Section | None:
        """In a report, outside the sections, the section a paragraph opens with by its number
        and title (the executive summary's lines do), when the report was built from its draft."""
        if not self.drafts or self.sections[self.current].sidecar:
            return None
        key = match_key(text)
        for section in self.manifest.sections:
            lead = match_key(f"{section.number} {section.title}")
            if section.number and section.id in self.drafts and (
                    key == lead or key.startswith(lead + " ")):
                return section
        return None

    def find_claims(self, prose: str, where: str | Callable[[int], str],
                    markers: Sequence[tuple[int, int]] = (), lead: int = 0) -> None:
        """Record the number claims of prose in the current section (and theme); its first
        `lead` characters name no theme (a summary line's heading). A character
        that draws nothing (a zero-width space inside "se\u200bven") is read as absent, as a
        reader sees it; a word in two alphabets at once (a Cyrillic "е" in "sеven") is refused:
        it looks like a word it is not."""
        for word in _MIXED_SCRIPT.findall(prose):
            if len(_scripts(word)) > 1:
                place = where if isinstance(where, str) else where(prose.index(word))
                self.refusals.append(DraftRefusal(place, self.current, word, (
                    f"“{word}” mixes alphabets ({', '.join(sorted(_scripts(word)))}): it reads "
                    "as a word it is not, so the gate does not read it; write it in one "
                    "alphabet")))
        if any(unicodedata.category(c) == "Cf" for c in prose):
            kept = [i for i, c in enumerate(prose) if unicodedata.category(c) != "Cf"]
            moved = {old: new for new, old in enumerate(kept)}
            placed = where
            if not isinstance(placed, str):
                where = lambda offset: placed(kept[offset])  # noqa: E731  (offsets as written)
            markers = [(moved.get(offset, offset), i) for offset, i in markers]
            lead = sum(1 for i in kept if i < lead)
            prose = "".join(prose[i] for i in kept)
        self.claims += self.finder.claims(prose, where, section=self.current,
                                          themes=self.sections[self.current].themes,
                                          theme=self.theme, quotes=self.quotes, markers=markers,
                                          lead=lead)

    def inline(self, block: Block, text: str) -> tuple[str, list[tuple[int, int]]]:
        """Record the quotes and citations of a run of text; return the prose with quotes blanked
        and where each blanked quote is in it (prose offset, quote index)."""
        pieces: list[str] = []
        markers: list[tuple[int, int]] = []
        position = 0
        attached: set[int] = set()
        spans = quote_spans(text)
        for span in spans:
            inner = text[span.start : span.end]
            words = one_line(inner)
            cited, starts = self.ids.following(text, span.close)
            # A title in quote marks is a label, unless it is cited or set as a block quote: then
            # it is someone's words, and is checked like any quote.
            label = not cited and block.kind != "quote" and self.is_label(words,
                                                                          single=span.single)
            if not re.search(r"\w", words) or label:
                continue
            attached.update(starts)
            self._quote(words, self.where(block, text, span.start), cited,
                        block=block.kind == "quote", malformed=span.malformed, notes=span.notes)
            # Blank the quote (keeping newlines) so its numbers are not read as claims.
            blank_from = span.start if span.malformed == "unopened" else span.start - 1
            if blank_from >= position:
                pieces.append(text[position:blank_from])
                markers.append((sum(map(len, pieces)), len(self.quotes) - 1))
                pieces.append(BLANKED_QUOTE + "\n" * text.count("\n", blank_from, span.close))
                position = span.close
        pieces.append(text[position:])
        prose = "".join(pieces)
        for match in self.ids.anywhere.finditer(text):
            inside_quote = any(s.start <= match.start() < s.end for s in spans)
            if self.ids.start(match) in attached or inside_quote:
                continue
            ids = self.ids.ids(match, prose=True)
            if ids:
                self.citations.append(DraftCitation(ids, self.where(block, text, match.start()),
                                                    self.current))
        return prose, markers

    def refuse(self, refusal: Refusal) -> None:
        self.refusals.append(DraftRefusal(f"{refusal.unit} {refusal.line}", self.current,
                                          refusal.what, refusal.reason))

    def _quote(self, text: str, where: str, cited: tuple[str, ...], *, block: bool,
               malformed: str | None = None, notes: tuple[str, ...] = ()) -> None:
        response_id = None
        theme = self.theme
        section = self.sections[self.current]
        draft = self.drafts.get(section.section_id or "", self.sidecar) if section.sidecar \
            else None
        if draft is not None:
            from summariser.verify.normalise import normalise

            wanted = normalise(text).text.strip()
            # Under its own theme first: two people may have written the same words, and
            # another theme may quote the other one.
            for t in sorted(draft.themes, key=lambda t: t.title != theme):
                for q in t.quotes:
                    if normalise(q.text).text.strip() == wanted and (
                            not cited or cited == (q.respondent,) or cited == (q.response_id,)):
                        response_id, theme = q.response_id, theme or t.title
                        break
                if response_id:
                    break
        elif self.drafts and not cited:
            response_id = self._quoted_once(text)
        self.quotes.append(DraftQuote(text, where, self.current, cited, block, theme,
                                      response_id, malformed, notes))

    def _quoted_once(self, text: str) -> str | None:
        """Outside the sections (a report's appendix of quotes, attributed by role), the
        response a quote is from, where the report's drafts quote those words from one response
        only: two residents who both wrote "Plant more trees" are then not an ambiguity."""
        from summariser.verify.normalise import normalise

        if self.quoted is None:  # the drafts' quotes, read once: a report has hundreds
            self.quoted = {}
            for draft in self.drafts.values():
                for quote in (q for t in draft.themes for q in t.quotes):
                    self.quoted.setdefault(normalise(quote.text).text.strip(),
                                           set()).add(quote.response_id)
        found = self.quoted.get(normalise(text).text.strip(), set())
        return next(iter(found)) if len(found) == 1 else None

    def result(self) -> ParsedDraft:
        self._tie_untied()
        return ParsedDraft(self.path, self.kind, tuple(self.sections), tuple(self.quotes),
                           tuple(self.citations), tuple(self.claims), tuple(self.notes),
                           refusals=tuple(self.refusals), review=self._review())

    def _review(self) -> tuple[str, ...]:
        """A tool draft's requests for review (a report's: those of every draft it was built
        from): a theme that counts (nearly) everyone, a passage that reads as an instruction to a
        model, and a section the model could not draft."""
        asked = []
        for draft in [*filter(None, [self.sidecar]), *self.drafts.values()]:
            asked += [f"{item.reason} ({item.respondent}: “{item.text[:80]}”)" if item.text
                      else item.reason for item in draft.review]
            if draft.fallback:
                asked.append(f"the model's draft could not be used, so this is the offline "
                             f"draft: {draft.fallback}")
        return tuple(asked)


def _parse_blocks(blocks: list[Block], path: str, kind: str, manifest: Manifest,
                  sidecar: SectionDraft | None, ids: Collection[str] = (),
                  refused: Sequence[Refusal] = (),
                  drafts: Mapping[str, SectionDraft] | None = None) -> ParsedDraft:
    """Parse the blocks; when a heading turned out to be a tool theme renamed (its quotes are
    that theme's), parse again knowing it, so that every count under it, or in a line that names
    it (a report's executive summary comes first), is checked against that theme."""
    aliases: dict[tuple[str, str], str] = {}
    while True:
        parser = _Parser(path, kind, manifest, sidecar, ids, drafts, aliases)
        pending = sorted(refused, key=lambda r: r.line)
        for block in blocks:
            while pending and pending[0].line <= block.line:
                parser.refuse(pending.pop(0))
            parser.block(block)
        for refusal in pending:
            parser.refuse(refusal)
        parsed = parser.result()
        if not parser.found.keys() - aliases.keys():
            return parsed
        aliases |= parser.found


def _from_sidecar(draft: SectionDraft, path: str, manifest: Manifest,
                  ids: Collection[str] = ()) -> ParsedDraft:
    """A tool draft read from its JSON: quotes by response id, prose as the Markdown renders it."""
    parser = _Parser(path, "tool", manifest, draft, ids)
    parser.sections[0] = parser._sidecar_section(draft.heading, "heading")
    parser.find_claims(draft.lead, "lead")
    for t in draft.themes:
        parser.theme = t.title
        counted = count_text(len(t.respondents), draft.denominator, draft.respondent_noun)
        parser.find_claims(f"Raised by {counted}. {t.summary}".strip(), f"theme “{t.title}”")
        for n, q in enumerate(t.quotes, 1):
            parser.quotes.append(DraftQuote(q.text, f"theme “{t.title}”, quote {n}", 0,
                                            (q.respondent,), True, t.title, q.response_id))
    if draft.failures:
        parser.notes.append(f"{path}: {len(draft.failures)} proposed quote(s) failed "
                            "verification when drafted and were left out (not checked)")
    return parser.result()


def _lead_length(prose: str, lead: str) -> int:
    """How many characters of `prose` spell `lead` at its start, as `match_key` reads them (0
    when it does not open with it)."""
    wanted = match_key(lead)
    for word in re.finditer(r"\S+", prose):
        said = match_key(prose[:word.end()])
        if said == wanted:
            return word.end()
        if not wanted.startswith(said):
            break
    return 0
