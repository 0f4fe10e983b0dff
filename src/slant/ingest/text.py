"""Read raw bytes as text: detect the encoding, refuse binary data, bound the size."""

import codecs

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


def decode(data: bytes, *, name: str = "input", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Decode `data` to text: UTF-8, UTF-16/32 with a BOM, or a detected legacy single-byte encoding.

    Line endings are normalised to '\\n' so that offsets agree across platforms.

    Raises:
        InputTooLargeError: `data` is longer than `max_bytes`.
        EmptyInputError: there is no text once whitespace is removed.
        BinaryInputError: the bytes are not text in any encoding slant knows.
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{name} is {len(data) / 1e6:.1f} MB; slant reads at most {max_bytes / 1e6:.1f} MB per document"
        )
    text = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInputError(f"{name} is empty: there is no text to analyze")
    if _control_share(text) > 0.01:
        raise BinaryInputError(f"{name} looks like binary data, not text or HTML")
    return text


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                message = f"{name} starts with a {encoding} byte-order mark but is not {encoding}: {error}"
                raise BinaryInputError(message) from None
    if b"\x00" in data[:4096]:
        raise BinaryInputError(f"{name} contains NUL bytes: it looks like binary data, not text or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "cp1251", "iso8859_15", "cp1250"]).best()
    if best is None:
        raise BinaryInputError(f"{name} is neither UTF-8 nor a known single-byte encoding")
    return data.decode(best.encoding, errors="replace")


def _control_share(text: str) -> float:
    sample = text[:100_000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    return control / len(sample)
