"""Characters a Word document cannot hold, and the visible placeholders written for them.

A .docx file is XML 1.0, which has no way to write the control characters other than tab, line
feed and carriage return, nor U+FFFE, U+FFFF or a lone surrogate; python-docx refuses them, and
a report once failed after its Markdown and HTML were written. Answers do hold them (pasted from
terminals, PDFs or old databases: NUL, vertical tab, form feed, ESC). In a Word document each
control character is shown as its Unicode control picture, U+2400 plus its code (NUL "␀",
vertical tab "␋", form feed "␌", ESC "␛"): visible to a reader, and one to one, so
`from_placeholders` gives the original text back and a quote read from the document is the
same text as its source. The others become U+FFFD "�", which stands for any one of them.

This is the one home of that rule: the Word writer uses `xml_safe`, and the publication gate
reads a Word document's text through `from_placeholders` (or compares `xml_safe` of both sides).

A terminal is told what to do by the same characters: ESC starts the sequences that recolour
text, move the cursor, clear the screen or retitle the window ("\x1b[31m"), a carriage return
lets a line be overwritten, and the C1 control U+009B starts a sequence on its own in some
terminals. The bidirectional overrides, embeddings and isolates (U+202A to U+202E, U+2066 to
U+2069) reorder what a terminal shows after them: an answer ending in an unclosed
right-to-left override once printed the rest of its line, the respondent's id included,
backwards. What respondents wrote reaches the terminal through `printable`: every control
character but tab and line feed shown as its control picture ("␛[31m", "␍"), DEL as "␡", and
a C1 control or a bidirectional control as U+FFFD; nothing a respondent wrote is run.

A published report keeps a respondent's bidirectional controls (a quote is their words as
written), but one left open reorders what follows it on the line: an unclosed right-to-left
override at the end of a quote once printed its citation backwards ("[R05]" as "]50R["), in the
HTML, the Word file and a Markdown viewer alike. Every text a report writer takes from outside
goes through `bidi_closed`, which closes what the text opened (a PDF for each embedding or
override, a PDI for each isolate), so its effect ends where the text does. The gate reads these
controls as invisible (`summariser.verify.normalise`), so the closed quote is still the source.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "PLACEHOLDER_OF", "REPLACEMENT", "XML_INVALID", "bidi_closed",
           "drawable", "from_placeholders", "printable", "xml_safe"]

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"  # for the characters with no control picture
PLACEHOLDER_OF = {chr(code): chr(0x2400 + code) for code in range(0x20)
                  if XML_INVALID.match(chr(code))}
_CONTROL_OF = {picture: control for control, picture in PLACEHOLDER_OF.items()}
_PLACEHOLDERS = re.compile("[" + "".join(_CONTROL_OF) + "]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by its visible placeholder."""
    if not XML_INVALID.search(text):
        return text
    return XML_INVALID.sub(lambda m: PLACEHOLDER_OF.get(m.group(), REPLACEMENT), text)


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_EMBEDDINGS, _POP_EMBEDDING = "\u202a\u202b\u202d\u202e", "\u202c"  # LRE RLE LRO RLO, PDF
_ISOLATES, _POP_ISOLATE = "\u2066\u2067\u2068", "\u2069"  # LRI RLI FSI, PDI
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")


def bidi_closed(text: str) -> str:
    """`text` with every bidirectional embedding, override or isolate it leaves open closed at
    its end (as the Unicode bidirectional algorithm pairs them: a PDF closes the innermost
    embedding unless an isolate is open inside it; a PDI closes the innermost isolate and all
    opened inside it). Text with none open is returned as it is, so closing twice adds nothing."""
    if not any(control in text for control in BIDI_CONTROLS):
        return text
    open_: list[str] = []  # the closer each open control needs, innermost last
    for character in text:
        if character in _EMBEDDINGS:
            open_.append(_POP_EMBEDDING)
        elif character in _ISOLATES:
            open_.append(_POP_ISOLATE)
        elif character == _POP_EMBEDDING and open_ and open_[-1] == _POP_EMBEDDING:
            open_.pop()
        elif character == _POP_ISOLATE and _POP_ISOLATE in open_:
            del open_[len(open_) - 1 - open_[::-1].index(_POP_ISOLATE):]
    return text + "".join(reversed(open_))


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else REPLACEMENT


def printable(text: str) -> str:
    """`text` as a terminal may print it: every control character but tab and line feed shown
    as a visible symbol, one for one, so no escape sequence in it reaches the terminal."""
    if not _TERMINAL_CONTROL.search(text):
        return text
    return _TERMINAL_CONTROL.sub(_picture, text)


def drawable(text: str) -> str:
    """`text` for a figure: the characters `printable` shows as symbols are U+FFFD here, the
    one such symbol the figures' font has (a control character once reached the terminal raw,
    inside the warning that the font had no glyph for it)."""
    return _TERMINAL_CONTROL.sub(REPLACEMENT, text)


def from_placeholders(text: str) -> str:
    """The control characters back in place of their placeholders (`xml_safe` undone, but for
    U+FFFD, which stands for any of the characters without a control picture)."""
    return _PLACEHOLDERS.sub(lambda m: _CONTROL_OF[m.group()], text)
