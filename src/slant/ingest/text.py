"""Read raw bytes as text: detect the encoding, refuse binary data, bound the size, normalise control characters.

The encoding cascade prefers the truth: a byte-order mark; UTF-16 without one (told by its zero bytes);
UTF-8, kept even when a few bytes are invalid (they become U+FFFD and are counted); and a legacy
single-byte encoding only when the bytes hold no UTF-8 at all: Windows-1252 for Western text, else the
one charset_normalizer finds (Cyrillic, Central European).
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from charset_normalizer import from_bytes

from slant.errors import BinaryInputError, EmptyInputError, InputTooLargeError

MAX_INPUT_BYTES = 10 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes sampled to tell the encoding apart.
_SAMPLE = 200_000
#: Windows-1252's letters and signs at 0x80-0x9F; its five undefined bytes stay Latin-1 (C1 controls).
_CP1252 = {i: ch for i in range(0x80, 0xA0) if (ch := bytes([i]).decode("cp1252", errors="ignore"))}
#: Above this share of non-ASCII letters, Windows-1252 is not the text's encoding (Western text has few).
_WESTERN_MAX_NON_ASCII = 0.1
_LEGACY = ["cp1251", "cp1250", "iso8859_7", "cp1253", "cp1254", "cp1257"]
#: Control characters become spaces (line-like ones a newline), so no offset moves and every store accepts
#: the text: PostgreSQL refuses NUL, XML parsers refuse most C0 controls. C1 controls in text are bytes read
#: in the wrong encoding (UTF-8 read as Latin-1: "itâ\x80\x99s"), not spaces: they become U+FFFD, so that
#: no word is cut in two and no run of spaces reads as a paragraph break.
_CONTROLS = {
    **{i: " " for i in (*range(0x00, 0x20), 0x7F, 0xFFFE, 0xFFFF) if chr(i) not in "\n\t"},
    **dict.fromkeys(range(0x80, 0xA0), "\ufffd"),
    **dict.fromkeys(map(ord, "\v\f\x1c\x1d\x1e\x85\u2028\u2029"), "\n"),
}
#: Above this share of control characters (before normalising) the input is binary data.
_MAX_CONTROL_SHARE = 0.01


class Decoded(NamedTuple):
    """Text read from bytes, the encoding it was read in, and how many invalid byte runs became U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0


def decode(data: bytes, *, name: str = "input", max_bytes: int = MAX_INPUT_BYTES) -> Decoded:
    """Decode `data` to normalised text (see `normalize`).

    Raises:
        InputTooLargeError: `data` is longer than `max_bytes`.
        EmptyInputError: there is no text once whitespace is removed.
        BinaryInputError: the bytes are not text in any encoding slant knows.
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{name} is {len(data) / 1e6:.1f} MB; slant reads at most {max_bytes / 1e6:.1f} MB per document"
        )
    decoded = _decode(data, name)
    if not decoded.text.strip():
        raise EmptyInputError(f"{name} is empty: there is no text to analyze")
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise BinaryInputError(f"{name} looks like binary data, not text or HTML")
    text = normalize(decoded.text)
    if not text.strip():
        raise EmptyInputError(f"{name} is empty: there is no text to analyze")
    return decoded._replace(text=text)


def normalize(text: str) -> str:
    """Line endings to '\\n', then control characters to spaces (vertical ones to '\\n', C1 ones to U+FFFD), one
    for one.

    After the line endings, no offset moves: a span found in the result points at the same characters as in
    the text with its controls.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)


def _decode(data: bytes, name: str) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding.removesuffix("-sig"))
            except UnicodeDecodeError as error:
                message = f"{name} starts with a {encoding} byte-order mark but is not {encoding}: {error}"
                raise BinaryInputError(message) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            raise BinaryInputError(f"{name} looks like {utf16} text without a byte-order mark but is not") from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(ord(ch) > 0x7F for ch in text) - text.count("\ufffd")
    if multibyte >= replaced:  # mostly valid UTF-8 with a few bad bytes: not a legacy file
        return Decoded(text, "utf-8", replaced)
    return _legacy(data, name)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when zero bytes fill one byte of each pair (ASCII-range UTF-16), else None."""
    sample = data[: _SAMPLE & ~1]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0::2].count(0) / pairs, sample[1::2].count(0) / pairs
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None


def _legacy(data: bytes, name: str) -> Decoded:
    western = data.decode("latin-1").translate(_CP1252)
    letters = [ch for ch in western[:_SAMPLE] if ch.isalpha()]
    if letters and sum(ord(ch) > 0x7F for ch in letters) / len(letters) <= _WESTERN_MAX_NON_ASCII:
        return Decoded(western, "cp1252")
    best = from_bytes(data[:_SAMPLE], cp_isolation=_LEGACY).best()
    if best is None:
        raise BinaryInputError(f"{name} looks like binary data: it is neither UTF-8, UTF-16 nor a single-byte encoding")
    return Decoded(data.decode(best.encoding, errors="replace"), best.encoding)


def _control_share(text: str) -> float:
    sample = text[:100_000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return control / len(sample)
