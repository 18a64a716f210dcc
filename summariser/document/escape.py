"""The one home of escaping: text the tool did not write (respondents' words, model text, names
from the data) made inert in Markdown and HTML.

Markdown escaping is by backslash (CommonMark lets any ASCII punctuation be escaped), and only
where a character could change the rendering, so ordinary prose reads as it was written:
`*`, backticks, `\\`, `[`, `]`, `|` and `~` always; `_` unless it joins two letters or digits
(`gone_well`); `<` before a tag, comment or autolink; `&` before an entity. At the start of a
line, what would open a heading (`#`), a block quote (`>`), a list item (`-`, `+`, `1.`, `1)`),
a rule or a heading underline (`---`, `===`) is escaped, and indentation deep enough to make a
code block is dropped (Markdown drops a line's indentation when it renders anyway).

The gate reads the escapes back (`summariser.gate.blocks.strip_emphasis`, with `UNESCAPE`), so a
quote written here is read back as it was given.

In CSV, a text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before
one) is read as a formula by spreadsheet programs (`=HYPERLINK(...)` from a manifest label would
be a live link): such a cell gets a leading apostrophe, which spreadsheets take as "text"; so
does a cell that starts with an apostrophe, so that dropping one leading apostrophe gives every
cell back as it was (`csv_text`).
"""

from __future__ import annotations

import html
import re

from summariser.text.controls import bidi_closed, xml_safe

__all__ = ["FORMULA_START", "UNESCAPE", "comment_text", "csv_cell", "csv_text", "html_text",
           "markdown_line_starts", "markdown_text"]

# CommonMark: a backslash before any ASCII punctuation character makes it literal.
ASCII_PUNCTUATION = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
UNESCAPE = re.compile(r"\\([" + re.escape(ASCII_PUNCTUATION) + r"])")

_INLINE = re.compile(
    r"[\\*`\[\]|~]"  # always
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore not between two letters or digits
    r"|<(?=[A-Za-z/!?])"  # a tag, comment, processing instruction or autolink
    r"|&(?=#?\w+;)"  # an entity or character reference
)
_LINE_START = re.compile(
    r"^(?P<indent>[ \t]*)(?:"
    r"(?P<mark>>|#(?=#{0,5}(?:\s|$))|[-+](?=\s|$)|-(?=[- \t]*$)|=(?=[= \t]*$))"  # see above
    r"|(?P<number>\d{1,9})(?P<delimiter>[.)])(?=\s|$))",  # an ordered list item
    re.MULTILINE)
_CODE_INDENT = re.compile(r"^(?: {4,}|[ ]*\t)[ \t]*", re.MULTILINE)


def markdown_text(text: str) -> str:
    """`text` with every character that Markdown would read as markup inside a line escaped,
    any bidirectional control it leaves open closed (`bidi_closed`), and each control
    character shown as its control picture (`xml_safe`: an ESC in a report could recolour the
    terminal that prints it)."""
    return _INLINE.sub(lambda m: "\\" + m.group(), xml_safe(bidi_closed(text)))


def markdown_line_starts(text: str) -> str:
    """Escape what would start a block (heading, quote, list, rule, setext underline) at the
    start of each line of already escaped `text`, and drop indentation deep enough to make a
    code block."""
    text = _CODE_INDENT.sub("", text)

    def escape(match: re.Match[str]) -> str:
        if match.group("mark"):
            return f"{match.group('indent')}\\{match.group('mark')}"
        return f"{match.group('indent')}{match.group('number')}\\{match.group('delimiter')}"

    return _LINE_START.sub(escape, text)


def html_text(text: str) -> str:
    """`text` inert in HTML, with any bidirectional control it leaves open closed and each
    control character shown as its control picture, as in Markdown and Word."""
    return html.escape(xml_safe(bidi_closed(text)), quote=True)


_DOUBLE_DASH = re.compile(r"-(?=-)")


def comment_text(text: str) -> str:
    """Text for inside `<!-- ... -->` (Markdown and HTML): no two dashes in a row, so nothing
    in it can end the comment ("--->" once became "- -->" and let what followed be markup)."""
    return _DOUBLE_DASH.sub("- ", text)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: a text that begins with one of
    FORMULA_START gets an apostrophe before it, and so does one that begins with an apostrophe,
    so that `csv_text` gives every text back exactly. Numbers and None are left as they are."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """A text cell as it was before `csv_cell`."""
    return cell[1:] if cell.startswith("'") else cell
