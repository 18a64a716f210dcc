"""Reading a draft for `summariser eval`: its sections, quotes, citations and number claims.

A draft is one of:
- a tool draft: `drafts/<section>.json` (the sidecar), read as it is: quotes carry response ids
  and every theme its respondents;
- Markdown or plain text (`.md`, `.markdown`, `.txt`), written or edited by a person. When a tool
  sidecar (`<name>.json`) sits beside a `.md`, the Markdown is what is checked and the sidecar
  supplies the section, the themes' respondents, the denominator and each quote's response id;
- Word (`.docx`): paragraphs, with Heading styles as headings and Quote styles as block quotes.

What counts as what:
- a quote is a span in double quote marks (“…”, "…", „…“, «…») or a block quote (`> ` lines; in
  plain text also indented paragraphs; in .docx the Quote styles). A block quote that starts
  with a quote mark is read for its marks; otherwise the whole block is the quote. Emphasis
  (`*`, `**`, `_`) is ignored. A quote inside a properly closed quote is part of it.
- Quote marks are paired by position first (a mark after a space opens, a mark before a space or
  punctuation closes), by glyph only when the position says nothing. A mark that opens and is
  never closed runs to the end of its paragraph; a closing mark that was never opened runs back
  to the start of its clause (after `.`, `;`, `:`, an earlier quote, or the paragraph start).
  Such quotes are flagged `malformed`, and `eval` may try shorter readings of them.
- A quoted span that repeats a heading of the draft or a theme title is a label, not a quote.
- A citation is a bracketed list of ids right after a quote: `[R07]`, `(R07)`, `[R07, R12]`. An
  id looks like `R07`/`I01` (1-4 letters, then digits), is a response id (`survey:R07:q1`), or is a
  document respondent named in the manifest (e.g. `COG`). Bracketed ids elsewhere are citations
  too, attached to no quote.
- Headings: Markdown `#` headings, bold-only lines (`**2.4 Title**`) and short numbered lines
  (`2.5.1 Financial pressures`). A numbered heading selects the manifest section with that
  number, else the one with that title, else the section whose number prefixes it (2.8.1 ->
  2.8); an unnumbered heading selects a section by title, or a sidecar theme by title.
- Number claims (see `summariser.evaluate` for the checks) are read from prose outside quotes:
  counts ("four of 16 Chief Officers", "Six respondents (37%)", "eight (66%)", "at least three
  respondents") and quantifiers ("most Chief Officers", "the majority", "a number of respondents").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from summariser.drafts import SectionDraft, count_text, draft_from_dict
from summariser.errors import DraftError
from summariser.manifest import Manifest, Section

SUFFIXES = (".json", ".md", ".markdown", ".txt", ".docx")

__all__ = ["SUFFIXES", "DraftCitation", "DraftQuote", "DraftSection", "NumberClaim", "ParsedDraft",
           "ThemeFacts", "number_value", "parse_draft", "parse_text"]


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeFacts:
    """A tool theme as the sidecar records it: the count is len(respondents)."""

    title: str
    respondents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DraftSection:
    heading: str | None  # as written in the draft (None: text before the first heading)
    where: str
    section_id: str | None = None  # the manifest section it was matched to
    themes: tuple[ThemeFacts, ...] = ()  # tool drafts only
    denominator: int | None = None  # tool drafts only
    sidecar: bool = False  # counts and ids come from a tool sidecar


@dataclass(frozen=True, slots=True)
class DraftQuote:
    text: str  # the words between the marks, as printed (emphasis and line breaks removed)
    where: str  # "line 12", "paragraph 4" or "theme “…”, quote 2"
    section: int  # index into ParsedDraft.sections
    cited: tuple[str, ...] = ()  # ids in the citation right after it
    block: bool = False
    theme: str | None = None
    response_id: str | None = None  # from a tool sidecar
    malformed: str | None = None  # "unclosed" (trim from the end) or "unopened" (from the start)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftCitation:
    """Ids in brackets that follow no quote."""

    ids: tuple[str, ...]
    where: str
    section: int


@dataclass(frozen=True, slots=True)
class NumberClaim:
    phrase: str  # the words that make the claim
    sentence: str
    where: str
    section: int
    theme: str | None = None  # the theme it sits under, or the theme the sentence names
    count: int | None = None
    denominator: int | None = None  # stated ("of 16")
    percent: str | None = None  # as printed, without "%"
    quantifier: str | None = None  # "most", "a few", ...
    bound: str | None = None  # "at least", "more than", "fewer than", "up to"
    earlier: tuple[int, ...] = ()  # counts stated earlier in the sentence ("Twelve ... of these")
    of_these: bool = False  # "of these/them/whom/those" comes before the count
    quotes: tuple[int, ...] = ()  # indices into ParsedDraft.quotes of the sentence's quotes


@dataclass(frozen=True, slots=True)
class ParsedDraft:
    path: str
    kind: str  # "tool" (sidecar JSON), "markdown", "text", "docx"
    sections: tuple[DraftSection, ...]
    quotes: tuple[DraftQuote, ...] = ()
    citations: tuple[DraftCitation, ...] = ()
    claims: tuple[NumberClaim, ...] = ()
    notes: tuple[str, ...] = ()
    sidecar: str | None = None


# --- entry points ------------------------------------------------------------------------------


def parse_draft(path: Path | str, manifest: Manifest) -> ParsedDraft:
    """Read one draft file (see the module docstring for the formats)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftError(f"{path}: cannot read a '{suffix}' draft; give a .json, .md, .txt or "
                         ".docx file")
    if suffix == ".json":
        from summariser.drafts import read_draft

        return _from_sidecar(read_draft(path), str(path), manifest)
    if suffix == ".docx":
        return _parse_blocks(_docx_blocks(path), str(path), "docx", manifest, None)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(f"{path}: cannot read the draft ({exc}); save it as UTF-8 text") from None
    sidecar_path = path.with_suffix(".json")
    sidecar = None
    if suffix in (".md", ".markdown") and sidecar_path.is_file():
        import json

        try:
            sidecar = draft_from_dict(json.loads(sidecar_path.read_text(encoding="utf-8")),
                                      str(sidecar_path))
        except (DraftError, ValueError, OSError):
            sidecar = None  # not a tool sidecar: read the Markdown on its own
    kind = "text" if suffix == ".txt" else "markdown"
    parsed = _parse_blocks(_markdown_blocks(text, plain=kind == "text"), str(path), kind,
                           manifest, sidecar)
    if sidecar is not None:
        parsed = _replace(parsed, sidecar=str(sidecar_path))
    return parsed


def parse_text(text: str, manifest: Manifest, *, name: str = "draft.md",
               sidecar: SectionDraft | None = None) -> ParsedDraft:
    """Parse Markdown given as a string (for callers that hold a draft in memory)."""
    return _parse_blocks(_markdown_blocks(text, plain=False), name, "markdown", manifest, sidecar)


def _replace(parsed: ParsedDraft, **changes) -> ParsedDraft:
    from dataclasses import replace

    return replace(parsed, **changes)


# --- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    kind: str  # "heading", "para", "quote"
    text: str
    line: int
    level: int = 0  # headings: Markdown level (0: a bold or plain numbered line)
    unit: str = "line"


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_BOLD_LINE = re.compile(r"^(\*\*|__)(.+)\1$")
_NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
_FENCE = re.compile(r"^(```|~~~)")


def _is_numbered_heading(line: str) -> bool:
    match = _NUMBERED.match(line)
    return bool(match) and len(line.split()) <= 16 and not line.rstrip().endswith((".", ",", ";"))


def _markdown_blocks(text: str, *, plain: bool) -> list[_Block]:
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = text.splitlines()
    blocks: list[_Block] = []
    buffer: list[str] = []
    state = {"kind": "", "line": 0}

    def flush() -> None:
        if buffer and any(part.strip() for part in buffer):
            blocks.append(_Block(state["kind"], "\n".join(buffer), state["line"]))
        buffer.clear()
        state["kind"] = ""

    def start(kind: str, number: int, content: str) -> None:
        flush()
        state["kind"], state["line"] = kind, number
        buffer.append(content)

    fenced = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if _FENCE.match(stripped):
            flush()
            fenced = not fenced
            continue
        if fenced:
            continue
        if not stripped:
            flush()
            continue
        heading = _ATX.match(stripped)
        if heading:
            flush()
            blocks.append(_Block("heading", heading.group(2), number, len(heading.group(1))))
            continue
        if stripped.startswith(">"):
            inner = re.sub(r"^(?:\s*>)+\s?", "", line)
            if not inner.strip():
                flush()
            elif state["kind"] != "quote" or _ITEM.match(inner):
                start("quote", number, _ITEM.sub("", inner, count=1))
            else:
                buffer.append(inner)
            continue
        if state["kind"] == "quote":
            if not _ITEM.match(line):
                buffer.append(line)  # a lazy continuation line of the block quote (CommonMark)
                continue
            flush()
        following_blank = number == len(lines) or not lines[number].strip()
        bold = _BOLD_LINE.match(stripped)
        if not buffer and bold and _is_numbered_heading(_strip_emphasis(bold.group(2)).strip()):
            blocks.append(_Block("heading", bold.group(2), number, 0))
            continue
        if not buffer and following_blank and _is_numbered_heading(_strip_emphasis(stripped)):
            blocks.append(_Block("heading", stripped, number, 0))
            continue
        if _ITEM.match(line):
            start("para", number, _ITEM.sub("", line, count=1))
            continue
        if plain and not buffer and line.startswith(("    ", "\t")):
            start("quote", number, stripped)
            continue
        if not buffer:
            start("para", number, line)
        else:
            buffer.append(line)
    flush()
    return blocks


def _docx_blocks(path: Path) -> list[_Block]:
    try:
        import docx
    except ImportError:
        from summariser.errors import MissingDependency

        raise MissingDependency("python-docx", "docx", "Reading a .docx draft") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise DraftError(f"{path}: cannot read the Word document ({exc})") from None
    blocks = []
    for number, paragraph in enumerate(document.paragraphs, 1):
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"Heading\s*(\d)", style)
        if level or style == "Title":
            blocks.append(_Block("heading", text, number, int(level.group(1)) if level else 1,
                                 "paragraph"))
        elif "Quote" in style:
            blocks.append(_Block("quote", text, number, unit="paragraph"))
        elif _is_numbered_heading(text) and all(r.bold for r in paragraph.runs if r.text.strip()):
            blocks.append(_Block("heading", text, number, 0, "paragraph"))
        else:
            blocks.append(_Block("para", text, number, unit="paragraph"))
    return blocks


# --- cleaning ----------------------------------------------------------------------------------

_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>\"])")


def _strip_emphasis(text: str) -> str:
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub("", _TAG.sub("", text)))


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- sections ----------------------------------------------------------------------------------


def _match_section(heading: str, manifest: Manifest) -> tuple[Section | None, bool]:
    """(section, numbered) for a heading's text."""
    text = _strip_emphasis(heading).strip()
    numbered = _NUMBERED.match(text)
    by_title = {_key(s.title): s for s in manifest.sections}
    if numbered:
        number, title = numbered.group("number"), numbered.group("title")
        for section in manifest.sections:
            if section.number and section.number == number:
                return section, True
        if _key(title) in by_title:
            return by_title[_key(title)], True
        parts = number.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            for section in manifest.sections:
                if section.number == prefix:
                    return section, True
        return None, True
    return by_title.get(_key(text)), False


# --- quotes in a run of text -------------------------------------------------------------------

_OPEN_GLYPHS = "“„«"
_CLOSE_GLYPHS = "”»"
_ALL_MARKS = _OPEN_GLYPHS + _CLOSE_GLYPHS + '"'
_BEFORE_OPENING = set(" \t\n([{/—–-‘'")
_AFTER_CLOSING = set(" \t\n.,;:!?)]}…’'—–-")


@dataclass(frozen=True, slots=True)
class _Span:
    start: int  # inner text offsets
    end: int
    close: int  # offset just after the closing mark (== end when none)
    malformed: str | None = None
    notes: tuple[str, ...] = ()


def _roles(text: str) -> list[tuple[int, str]]:
    """(offset, "open"|"close") for each double quote mark, by position, else by glyph."""
    roles: list[tuple[int, str]] = []
    depth = 0
    for i, mark in enumerate(text):
        if mark not in _ALL_MARKS:
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before in _BEFORE_OPENING or before in _ALL_MARKS
        closes = after in _AFTER_CLOSING or after in _ALL_MARKS
        if opens and not closes:
            role = "open"
        elif closes and not opens:
            role = "close"
        elif mark in _OPEN_GLYPHS:
            role = "open"
        elif mark in _CLOSE_GLYPHS:
            role = "close"
        else:
            role = "close" if depth else "open"
        depth = depth + 1 if role == "open" else max(0, depth - 1)
        roles.append((i, role))
    return roles


_CLAUSE_END = re.compile(r"[.!?;:](?=\s)|[”\"»]")


def _quote_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    stack: list[int] = []
    last_close = 0
    for offset, role in _roles(text):
        if role == "open":
            stack.append(offset)
            continue
        notes: tuple[str, ...] = ()
        if text[offset] in _OPEN_GLYPHS:
            notes = (f"the closing quote mark is printed as an opening one ({text[offset]})",)
        if stack:
            start = stack.pop()
            spans.append(_Span(start + 1, offset, offset + 1, None, notes))
        else:
            back = max([last_close] + [m.end() for m in _CLAUSE_END.finditer(text, 0, offset)])
            spans.append(_Span(back, offset, offset + 1, "unopened",
                               notes + ("the closing quote mark has no opening one: read back "
                                        "to the start of its clause",)))
        last_close = offset + 1
    for start in stack:
        spans.append(_Span(start + 1, len(text), len(text), "unclosed",
                           ("the opening quote mark is never closed: read to the end of the "
                            "paragraph",)))
    # A quote inside a properly closed quote is part of it.
    closed = [s for s in spans if s.malformed is None]
    kept = [s for s in spans if not any(o is not s and o.start <= s.start and s.end <= o.end
                                        for o in closed)]
    return sorted(kept, key=lambda s: s.start)


_ID = r"(?:[A-Z][A-Za-z]{0,3}-?\d{1,4}|[\w-]+:[\w:.-]+)"


def _id_pattern(extra: frozenset[str]) -> str:
    known = "|".join(re.escape(i) for i in sorted(extra, key=len, reverse=True))
    return rf"(?:{known}|{_ID})" if known else _ID


class _Ids:
    def __init__(self, manifest: Manifest):
        extra = frozenset(s.respondent for s in manifest.sources if s.respondent)
        one = _id_pattern(extra)
        group = rf"[\[(]\s*(?P<ids>{one}(?:\s*[,;]\s*{one})*)\s*[\])]"
        self.after_quote = re.compile(rf"[\s.,;:!?]*{group}")  # used with .match(text, pos)
        self.anywhere = re.compile(group)
        self.trailing = re.compile(rf"\s*{group}[\s.]*$")

    @staticmethod
    def split(ids: str) -> tuple[str, ...]:
        return tuple(i.strip() for i in re.split(r"[,;]", ids) if i.strip())


# --- the parse ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, path: str, kind: str, manifest: Manifest, sidecar: SectionDraft | None):
        self.path, self.kind, self.manifest, self.sidecar = path, kind, manifest, sidecar
        self.ids = _Ids(manifest)
        self.sections: list[DraftSection] = [DraftSection(None, "start")]
        self.placeholder = True  # sections[0] stands for text before any heading
        self.section_level = 0
        self.theme: str | None = None
        self.labels: set[str] = set()
        self.quotes: list[DraftQuote] = []
        self.citations: list[DraftCitation] = []
        self.claims: list[NumberClaim] = []
        self.notes: list[str] = []
        self.numbers = _Numbers(manifest)
        if sidecar is not None:
            self.labels.update(_key(t.title) for t in sidecar.themes)
            self.sections[0] = self._sidecar_section(None, "start")

    def _sidecar_section(self, heading: str | None, where: str) -> DraftSection:
        draft = self.sidecar
        assert draft is not None
        return DraftSection(heading, where, draft.section_id,
                            tuple(ThemeFacts(t.title, t.respondents) for t in draft.themes),
                            draft.denominator, sidecar=True)

    @property
    def current(self) -> int:
        return len(self.sections) - 1

    def heading(self, block: _Block, where: str) -> None:
        text = _one_line(_strip_emphasis(block.text))
        self.labels.add(_key(text))
        numbered_title = _NUMBERED.match(text)
        if numbered_title:
            self.labels.add(_key(numbered_title.group("title")))
        section, numbered = _match_section(text, self.manifest)
        themes = self.sections[self.current].themes
        theme = next((t.title for t in themes if _key(t.title) == _key(text)), None)
        if theme is not None and not numbered:
            self.theme = theme
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
            self.theme = None  # a subheading: same section, no theme

    def _open(self, section: DraftSection, level: int) -> None:
        if self.placeholder and not self.quotes and not self.claims and not self.citations:
            self.sections[0] = section  # nothing came before the first heading
        else:
            self.sections.append(section)
        self.placeholder = False
        self.section_level = level or 9
        self.theme = None

    def where(self, block: _Block, text: str, offset: int) -> str:
        return f"{block.unit} {block.line + text.count(chr(10), 0, offset)}"

    def block(self, block: _Block) -> None:
        text = block.text if block.unit == "paragraph" else _strip_emphasis(block.text)
        where = self.where(block, text, 0)
        if block.kind == "heading":
            self.heading(block, where)
            return
        if block.kind == "quote":
            trailing = self.ids.trailing.search(text)
            body = text[: trailing.start()] if trailing else text
            if body.strip() and body.lstrip()[0] not in _ALL_MARKS:
                cited = self.ids.split(trailing.group("ids")) if trailing else ()
                self._quote(_one_line(body), where, cited, block=True)
                return
        prose, markers = self.inline(block, text)
        if block.kind == "para":
            self.claims.extend(self.numbers.claims(prose, block, self, markers=markers))

    def inline(self, block: _Block, text: str) -> tuple[str, list[tuple[int, int]]]:
        """Record the quotes and citations of a run of text; return the prose with quotes blanked
        and where each blanked quote is in it (prose offset, quote index)."""
        pieces: list[str] = []
        markers: list[tuple[int, int]] = []
        position = 0
        attached: set[int] = set()
        for span in _quote_spans(text):
            inner = text[span.start : span.end]
            words = _one_line(inner)
            if not re.search(r"\w", words) or _key(words) in self.labels:
                continue  # a label (a heading or theme title in quote marks), or empty
            cite = self.ids.after_quote.match(text, span.close)
            cited = self.ids.split(cite.group("ids")) if cite else ()
            if cite:
                attached.add(cite.start("ids"))
            self._quote(words, self.where(block, text, span.start), cited,
                        block=block.kind == "quote", malformed=span.malformed, notes=span.notes)
            # Blank the quote (keeping newlines) so its numbers are not read as claims.
            blank_from = span.start if span.malformed == "unopened" else span.start - 1
            if blank_from >= position:
                pieces.append(text[position:blank_from])
                markers.append((sum(map(len, pieces)), len(self.quotes) - 1))
                pieces.append("“…”" + "\n" * text.count("\n", blank_from, span.close))
                position = span.close
        pieces.append(text[position:])
        prose = "".join(pieces)
        for match in self.ids.anywhere.finditer(text):
            if match.start("ids") not in attached and not _inside_quote(text, match.start()):
                self.citations.append(DraftCitation(self.ids.split(match.group("ids")),
                                                    self.where(block, text, match.start()),
                                                    self.current))
        return prose, markers

    def _quote(self, text: str, where: str, cited: tuple[str, ...], *, block: bool,
               malformed: str | None = None, notes: tuple[str, ...] = ()) -> None:
        response_id = None
        theme = self.theme
        section = self.sections[self.current]
        if self.sidecar is not None and section.sidecar:
            from summariser.normalise import normalise

            wanted = normalise(text).text.strip()
            for t in self.sidecar.themes:
                for q in t.quotes:
                    if normalise(q.text).text.strip() == wanted and (
                            not cited or cited == (q.respondent,) or cited == (q.response_id,)):
                        response_id, theme = q.response_id, theme or t.title
                        break
                if response_id:
                    break
        self.quotes.append(DraftQuote(text, where, self.current, cited, block, theme,
                                      response_id, malformed, notes))

    def result(self) -> ParsedDraft:
        return ParsedDraft(self.path, self.kind, tuple(self.sections), tuple(self.quotes),
                           tuple(self.citations), tuple(self.claims), tuple(self.notes))


def _inside_quote(text: str, offset: int) -> bool:
    return any(s.start <= offset < s.end for s in _quote_spans(text))


def _parse_blocks(blocks: list[_Block], path: str, kind: str, manifest: Manifest,
                  sidecar: SectionDraft | None) -> ParsedDraft:
    parser = _Parser(path, kind, manifest, sidecar)
    for block in blocks:
        parser.block(block)
    return parser.result()


def _from_sidecar(draft: SectionDraft, path: str, manifest: Manifest) -> ParsedDraft:
    """A tool draft read from its JSON: quotes by response id, prose as the Markdown renders it."""
    parser = _Parser(path, "tool", manifest, draft)
    parser.sections[0] = parser._sidecar_section(draft.heading, "heading")
    numbers = parser.numbers
    lead = _Block("para", draft.lead, 0, unit="lead")
    parser.claims.extend(numbers.claims(draft.lead, lead, parser, where="lead"))
    for t in draft.themes:
        parser.theme = t.title
        counted = count_text(len(t.respondents), draft.denominator, draft.respondent_noun)
        prose = f"Raised by {counted}. {t.summary}"
        parser.claims.extend(numbers.claims(prose, lead, parser, where=f"theme “{t.title}”"))
        for n, q in enumerate(t.quotes, 1):
            parser.quotes.append(DraftQuote(q.text, f"theme “{t.title}”, quote {n}", 0,
                                            (q.respondent,), True, t.title, q.response_id))
    if draft.failures:
        parser.notes.append(f"{path}: {len(draft.failures)} proposed quote(s) failed "
                            "verification when drafted and were left out (not checked)")
    return parser.result()


# --- number claims -----------------------------------------------------------------------------

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_NUM = (r"(?:\d+(?![.,/]\d)|(?:" + "|".join(_TENS) + r")(?:[- ](?:one|two|three|four|five|six|"
        r"seven|eight|nine))?|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")")
_GENERIC_NOUNS = ("respondents", "respondent", "participants", "participant", "interviewees",
                  "interviewee", "people", "members", "member")
_BOUND = r"(?P<bound>at\s+least|more\s+than|over|fewer\s+than|less\s+than|up\s+to)\s+"
_QUANTIFIERS = {
    "none": "none", "no one": "none", "nobody": "none", "all": "all", "every": "all",
    "almost all": "almost all", "nearly all": "almost all", "most": "most",
    "the majority": "most", "a majority": "most", "half": "half", "a minority": "a minority",
    "a few": "a few", "several": "several", "a number": "a number of", "a couple": "a couple",
}


def number_value(word: str) -> int:
    word = word.lower().replace(" ", "-")
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS.index(word)
    tens, _, unit = word.partition("-")
    return _TENS[tens] + (_UNITS.index(unit) if unit else 0)


class _Numbers:
    """Finds count and quantifier claims in prose (quotes already blanked out)."""

    def __init__(self, manifest: Manifest):
        nouns = {manifest.respondent_noun[0].lower(), manifest.respondent_noun[1].lower(),
                 *_GENERIC_NOUNS}
        noun = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in
                        sorted(nouns, key=len, reverse=True))
        self.count = re.compile(
            rf"(?:\b{_BOUND})?\b(?P<n>{_NUM})\b"
            rf"(?:\s+(?:out\s+)?of\s+(?:the\s+)?(?P<d>{_NUM})\b)?"
            rf"(?:\s+(?:of\s+(?:the|these|those|them)\s+)?(?:other\s+|more\s+|survey\s+)?"
            rf"(?P<noun>{noun})\b)?"
            rf"(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?", re.IGNORECASE)
        quantifier = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in
                              sorted(_QUANTIFIERS, key=len, reverse=True))
        self.quantifier = re.compile(
            rf"\b(?P<q>{quantifier})\b(?:\s+of)?(?:\s+(?:the|these|those|them|our))?"
            rf"(?:\s+(?:other|surveyed|responding))?(?:\s+(?P<noun>{noun})\b)?", re.IGNORECASE)
        self.of_these = re.compile(r"\bof\s+(?:these|them|those|whom)\b", re.IGNORECASE)

    def claims(self, prose: str, block: _Block, parser: _Parser, where: str | None = None,
               markers: list[tuple[int, int]] = ()) -> list[NumberClaim]:
        found: list[NumberClaim] = []
        themes = parser.sections[parser.current].themes
        for start, sentence in _sentences(prose):
            place = where or parser.where(block, prose, start)
            named = [t.title for t in themes if f"“{t.title}”" in sentence or f'"{t.title}"' in sentence]
            theme = named[0] if len(named) == 1 else parser.theme
            quoted = tuple(i for offset, i in markers if start <= offset < start + len(sentence))
            flat = _one_line(sentence)
            for i in quoted:  # show the sentence with its quotes, not placeholders
                flat = flat.replace("“…”", f"“{parser.quotes[i].text}”", 1)
            counts: list[NumberClaim] = []
            offsets: list[int] = []
            for m in self.count.finditer(sentence):
                if not (m.group("d") or m.group("noun") or m.group("p")):
                    continue
                count = number_value(m.group("n"))
                if count == 1 and not (m.group("d") or m.group("p")):
                    continue  # "one respondent said": an attribution, not a claim
                earlier = tuple(c.count for c in counts if c.count is not None)
                claim = NumberClaim(
                    _one_line(m.group()), flat, place, parser.current, theme, count,
                    number_value(m.group("d")) if m.group("d") else None, m.group("p"),
                    None, _one_line(m.group("bound") or "").lower() or None, earlier,
                    bool(self.of_these.search(sentence, 0, m.start())), quoted)
                counts.append(claim)
                offsets.append(m.start())
            found.extend(counts)
            for m in self.quantifier.finditer(sentence):
                word = _one_line(m.group("q")).lower()
                if m.group("noun") is None and not (
                        word in ("the majority", "a majority", "a minority")
                        or (word in ("none", "most", "all") and re.match(r"\s+of\s+(?:these|them|those)",
                                                                          sentence[m.end("q"):]))):
                    continue
                near = min(zip(offsets, counts), key=lambda oc: abs(oc[0] - m.start()),
                           default=(0, None))[1]
                found.append(NumberClaim(
                    _one_line(m.group()), flat, place, parser.current, theme,
                    near.count if near else None, near.denominator if near else None, None,
                    _QUANTIFIERS[word], None, near.earlier if near else (),
                    near.of_these if near else False, quoted))
        return found


_SENTENCE = re.compile(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)[”\"’)]?\s+(?=[A-Z0-9“\"(‘])")


def _sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _SENTENCE.finditer(text):
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]

