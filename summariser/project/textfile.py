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


def decode(data: bytes, name: str, encoding: str | None, notes: list[str] | None = None) -> str:
    """Text from bytes: a byte-order mark decides, else the encoding given, else UTF-16/32 told
    by their NUL bytes, UTF-8, or a detected encoding. A file of UTF-8 with some lines in
    another encoding (rows pasted from another export) is decoded line by line, and `notes`
    says which lines were read how; it was once read whole as cp1252, so its UTF-8 became
    "CafÃ©" in every quote. A line that decodes in neither is refused with its number."""
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
        except LookupError as exc:
            raise InputError(f"{name}: cannot be read as {encoding} ({exc}); set a known "
                             "encoding for this source in summariser.toml") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: cannot be read as {encoding} ({exc.reason} on "
                             f"{_undecodable(data, encoding, exc)}); check the file's encoding "
                             "and set it as encoding for this source in summariser.toml"
                             ) from None
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
    mixed = _mixed(data, name, notes)
    if mixed is not None:
        return mixed
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


def _legacy(data: bytes) -> list[str]:
    """The single-byte encodings to try for bytes that are not UTF-8, most likely first."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    detected = best.encoding if best is not None and best.encoding else None
    # Survey tools on Windows write cp1252; detectors often call it a close cousin.
    if detected is None or detected.startswith("utf"):
        return ["cp1252"]
    return list(dict.fromkeys(["cp1252", detected]))


def _mixed(data: bytes, name: str, notes: list[str] | None) -> str | None:
    """The text of a file that is UTF-8 except for some lines, each of those decoded in the
    encoding detected for them; None when no line holds UTF-8 beyond ASCII (a file in one
    legacy encoding, decoded whole by the caller)."""
    pieces = data.splitlines(keepends=True)  # bytes: at LF, CR and CRLF only
    decoded: list[str | None] = []
    for piece in pieces:
        try:
            decoded.append(piece.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
    if not any(text is not None and not text.isascii() for text in decoded):
        return None
    others = [n for n, text in enumerate(decoded) if text is None]
    encodings = _legacy(b"".join(pieces[n] for n in others))
    used: dict[str, list[int]] = {}
    failed = []
    for n in others:
        for encoding in encodings:
            try:
                decoded[n] = pieces[n].decode(encoding)
            except UnicodeDecodeError:
                continue
            used.setdefault(encoding, []).append(n + 1)
            break
        else:
            failed.append(n + 1)
    if failed:
        raise InputError(f"{name}: is UTF-8 but for {_line_list([n + 1 for n in others])}, and "
                         f"{_line_list(failed)} cannot be read as {' or '.join(encodings)} "
                         "either; save the file as UTF-8")
    if notes is not None:
        read = "; ".join(f"{_line_list(lines)} read as {encoding}"
                         for encoding, lines in used.items())
        notes.append(f"{name}: is UTF-8 but for {read}; check those answers, or save the file "
                     "as UTF-8")
    return "".join(text or "" for text in decoded)


def _decodes(data: bytes, encodings: list[str]) -> bool:
    for encoding in encodings:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _undecodable(data: bytes, encoding: str, error: UnicodeDecodeError) -> str:
    """Where `data` does not decode in `encoding`: every such line, when the encoding keeps
    line breaks as their ASCII bytes, else the first byte."""
    if "\n".encode(encoding) != b"\n":  # UTF-16, UTF-32: lines are not split at bytes
        return f"byte {error.start}"
    return _line_list([n for n, piece in enumerate(data.splitlines(keepends=True), 1)
                       if not _decodes(piece, [encoding])] or [1])


def _line_list(numbers: list[int], shown: int = 10) -> str:
    """"line 4", "lines 4, 9 and 17", "lines 4, 9, ... (23 lines)"."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    listed = ", ".join(map(str, numbers[:shown]))
    if len(numbers) > shown:
        return f"lines {listed}, ... ({len(numbers)} lines)"
    head, _, last = listed.rpartition(", ")
    return f"lines {head} and {last}"


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
