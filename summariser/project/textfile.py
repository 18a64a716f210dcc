"""Text files as text: which encoding their bytes are in, and where their lines are.

Offsets into the decoded text are kept exact (quotes are verified against that text), so line
endings are found, never rewritten.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from summariser.errors import InputError

# CR, LF and CRLF all end a line (str.splitlines would also split on form feeds and U+2028).
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
BREAK = r"(?:\r\n|\r|\n)"
BOMS = (  # UTF-32-LE's mark starts with UTF-16-LE's, so it is tried first
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset in `text`, the line with its ending) for each line."""
    for number, match in enumerate(LINE.finditer(text), 1):
        yield number, match.start(), match.group()


def decode(data: bytes, name: str, encoding: str | None) -> str:
    """Text from bytes: a byte-order mark decides, else the encoding given, else UTF-16/32 told
    by their NUL bytes, UTF-8, or a detected encoding."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not "
                                 f"{codec} ({exc.reason} at byte {exc.start}); export it "
                                 "again") from None
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{name}: cannot be read as {encoding} ({exc}); check the file's "
                             "encoding and set it as encoding for this source in "
                             "summariser.toml") from None
    wide = _wide_unicode(data)
    if wide:
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            pass  # NUL bytes by chance: not text in that encoding
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        line = len(re.findall(BREAK, data[: utf8_error.start].decode("utf-8"))) + 1
        raise InputError(f"{name}: line {line} is not UTF-8 and no encoding could be detected; "
                         "set encoding for this source in summariser.toml (e.g. cp1252)")
    # Survey tools on Windows write cp1252; detectors often call it a close cousin.
    cousins = [] if best.encoding.startswith("utf") else ["cp1252"]
    for candidate in (*cousins, best.encoding):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return str(best)


def _wide_unicode(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the NUL bytes fall.

    Most characters of a text are below U+0100, so in these encodings one byte of each pair
    (UTF-16), or three of each four (UTF-32), is NUL, always at the same places; UTF-8 and
    single-byte encodings have no NUL bytes in text at all.
    """
    sample = data[:4096]
    if b"\x00" not in sample or len(sample) < 4:
        return None

    def nul_share(start: int, step: int) -> float:
        picked = sample[start::step]
        return picked.count(0) / len(picked)

    unit = [nul_share(i, 4) for i in range(4)]
    if unit[3] == 1 and unit[2] > 0.9 and unit[0] < 0.05:
        return "utf-32-le"
    if unit[0] == 1 and unit[1] > 0.9 and unit[3] < 0.05:
        return "utf-32-be"
    even, odd = nul_share(0, 2), nul_share(1, 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None
