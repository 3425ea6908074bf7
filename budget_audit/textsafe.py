"""Text that is safe to hold and to show: control characters, file names that are not
UTF-8, and spreadsheet formulas.

The lowest layer (no imports from the package), used by the ingesters and by every
output:

- ``strip_controls`` removes C0/C1 control characters (ESC, BEL, NUL, …, U+0080–U+009F),
  DEL, lone surrogates and the bidirectional overrides/isolates that reorder what a
  terminal shows. Ingesters apply it so that the Document never holds them: a PDF's
  text layer cannot clear a screen, set a window title or hide text from a reviewer.
- ``shown`` turns any string that reaches a user (a path, a message) into printable
  text: a file name that is not UTF-8 (GBK names from a Windows zip arrive as lone
  surrogates under ``surrogateescape``) is decoded as GB18030 when it is valid there,
  else its bytes are written as ``\\xNN``; control characters become ``\\xNN`` too, so
  they are visible and inert.
- ``cell`` makes a spreadsheet value inert: text that starts with ``= + - @``, a tab or
  a carriage return gets a leading apostrophe (OWASP's advice for CSV injection), so
  neither Excel nor LibreOffice evaluates it; plain numbers such as ``-12.50`` are left
  as they are.
"""

from __future__ import annotations

import re

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROL_POINTS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI]
# Kept by strip_controls unless asked: tab and newline carry structure.
_STRIP = {c: None for c in _CONTROL_POINTS if c not in (0x09, 0x0A)}
_STRIP_ALL = {c: None for c in _CONTROL_POINTS}
_CONTROL_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_POINTS) + "]")
_SURROGATES = re.compile("[\ud800-\udfff]+")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")


def strip_controls(text: str, keep_structure: bool = True) -> str:
    """``text`` without control characters, bidi overrides or lone surrogates
    (tab and newline are kept when ``keep_structure``)."""
    out = text.translate(_STRIP if keep_structure else _STRIP_ALL)
    if _SURROGATES.search(out):
        out = _SURROGATES.sub("\ufffd", out)
    return out


def has_controls(text: str) -> bool:
    return bool(_CONTROL_RE.search(text)) or bool(_SURROGATES.search(text))


_WORD_WITH_ESCAPES = re.compile(r"[^\s/\\:：，。；（）()「」《》]*[\udc80-\udcff][^\s/\\:：，。；（）()「」《》]*")


def _undecodable(m: re.Match[str]) -> str:
    """One file-name component holding undecodable bytes: its bytes (valid UTF-8
    parts included) read as GB18030 when they are valid there, else ``\\xNN``."""
    raw = m.group(0).encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def valid_unicode(text: str) -> str:
    """``text`` with undecodable file-name bytes decoded (as :func:`shown` does) and
    any other lone surrogate replaced: what can be written as UTF-8. Control
    characters are left alone (a JSON encoder escapes them; a terminal report adds
    its own colour codes)."""
    if not _SURROGATES.search(text):
        return text
    text = _WORD_WITH_ESCAPES.sub(_undecodable, text)
    return _SURROGATES.sub("\ufffd", text)


def shown(text: str) -> str:
    """Printable, valid Unicode text for a user: undecodable file-name bytes decoded
    as GB18030 (or shown as ``\\xNN``), control characters shown as ``\\xNN``."""
    if _ESCAPED_BYTES.search(text):
        text = _WORD_WITH_ESCAPES.sub(_undecodable, text)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
    return text


def shown_lines(text: str) -> str:
    """:func:`shown` line by line: newlines (a multi-line message) stay."""
    return "\n".join(shown(line) for line in text.split("\n"))


def cell(value: object) -> object:
    """A spreadsheet cell value that cannot be a formula and holds no control
    character; non-strings are returned unchanged."""
    if not isinstance(value, str):
        return value
    text = value
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        text = "'" + text
    return shown_lines(text) if has_controls(text.replace("\n", "")) else text
