"""Resource caps checked on a PDF's bytes before pdfium reads it.

pdfium inflates streams and builds objects in C, where neither a Python exception
nor an alarm can stop it: a 7 KB file whose content stream is compressed twice
inflates to gigabytes, and running out of memory there aborts the process. So before
opening a PDF, ``check_resources`` looks at its raw bytes:

- **decompressed bytes**: every stream whose filter chain could take it past
  ``MAX_STREAM_BYTES`` (its raw size times each filter's largest expansion: Flate
  1032:1, LZW 2731:1, RunLength 64:1, ASCII85 4:1, ASCIIHex 1:2) is decoded here
  through every filter pdfium itself decodes for a non-image stream — FlateDecode,
  LZWDecode (with ``/EarlyChange``), RunLengthDecode, ASCIIHexDecode, ASCII85Decode,
  chained in any order — with bounded output: inner stages are capped, the last one is
  only counted. Bad data ends a stage with what it produced so far (as pdfium does),
  so trailing junk cannot hide a later stage. Decoding stops at an image codec
  (DCT, JPX, JBIG2, CCITT: pdfium leaves those to drawing, which runs in a limited
  worker). One stream over the cap refuses the file. Streams that call themselves
  images are measured too (pdfium reads a page's content stream whatever its
  dictionary says), against the larger ``MAX_IMAGE_BYTES``;
- **streams whose filters cannot be read** (``/Filter`` an indirect object packed in
  an object stream, or a dictionary too long to find its start), and zlib data whose
  dictionary names another first filter: decoded as a chain of Flate stages for as
  long as each stage is valid zlib data, and refused if that passes the cap. (This is
  a byte-level reading, not pdfium's parser: a dictionary built to mislead it — a
  string holding ``/Filter`` — is the limited worker's to stop, ``guard.py``.)
- **object count**: objects written out plus those packed in object streams, capped at
  ``MAX_OBJECTS``.

Normal published budgets are far below all of these (their largest stream is an
embedded font of a few MB; a 300-page document has well under 100,000 objects). Caps
on page objects (``pdf_text.MAX_PAGE_OBJECTS``) and pages (``MAX_PAGES``) are applied
while reading.
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

from ..errors import InputError

MAX_STREAM_BYTES = 128 << 20
MAX_IMAGE_BYTES = 512 << 20  # a stream marked /Image (a 12,000 x 12,000 RGB picture fits)
MAX_OBJECTS = 2_000_000
MAX_PAGES = 10_000
_SLICE = 16 << 10  # compressed bytes fed to zlib at a time
_DICT_WINDOW = 64 << 10  # how far before ``stream`` its dictionary may start
_STREAM = re.compile(rb"stream\r?\n")
_OBJ_HEADER = re.compile(rb"\d+\s+\d+\s+obj")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+|(\d+)\s+(\d+)\s+R)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_NAMES = re.compile(rb"/([A-Za-z0-9]+)")
_EARLY_0 = re.compile(rb"/EarlyChange\s+0\b")
_OBJSTM_N = re.compile(rb"/Type\s*/ObjStm[^>]*?/N\s+(\d+)|/N\s+(\d+)[^>]*?/Type\s*/ObjStm")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_NOT_A85 = re.compile(rb"[^!-uz]")

# Full and abbreviated names (inline-image abbreviations are legal in streams too).
_ALIASES = {
    b"Fl": b"FlateDecode", b"LZW": b"LZWDecode", b"RL": b"RunLengthDecode",
    b"AHx": b"ASCIIHexDecode", b"A85": b"ASCII85Decode",
}
# Largest output per input byte of each filter this check decodes.
_RATIO = {b"FlateDecode": 1032, b"LZWDecode": 2731, b"RunLengthDecode": 64, b"ASCII85Decode": 4, b"ASCIIHexDecode": 1}
# Filters that pass data through unchanged for this purpose (Identity crypt).
_PASS = {b"Crypt"}


class _TooBig(Exception):
    pass


def check_resources(path: str, data: bytes) -> None:
    """Raise InputError when ``data`` (the PDF's bytes) would exceed a cap."""
    objects = data.count(b" obj") + data.count(b"\nobj") + data.count(b"\robj")
    objects += sum(int(a or b) for a, b in _OBJSTM_N.findall(data))
    if objects > MAX_OBJECTS:
        raise InputError(
            path, f"PDF 含有 {objects:,} 个对象，超过上限 {MAX_OBJECTS:,}（可能是恶意构造的文件）", hint="请确认文件来源"
        )
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        if m.start() >= 3 and data[m.start() - 3 : m.start()] == b"end":
            continue  # "endstream\n"
        start = m.end()
        head = _dictionary(data, m.start())
        end = _end(data, head, start)
        filters = _filters(data, head) if head is not None else None
        image = head is not None and _IMAGE.search(head) is not None
        cap = MAX_IMAGE_BYTES if image else MAX_STREAM_BYTES
        try:
            if filters is None:
                _flate_chain(view[start:end], cap)
                continue
            chain = _decodable(filters)
            if not chain or chain[0] != b"FlateDecode":
                _flate_chain(view[start:end], cap)  # zlib data its dictionary does not own to
            if not chain or (end - start) * _product(chain) <= cap:
                continue  # cannot expand past the cap
            _decode(view[start:end], chain, cap, early=0 if head is not None and _EARLY_0.search(head) else 1)
        except _TooBig:
            raise InputError(
                path,
                f"PDF 中有数据流解压后超过 {cap >> 20} MiB（压缩炸弹），拒绝读取",
                hint="请确认文件来源，或重新导出该文件",
            ) from None


def _dictionary(data: bytes, at: int) -> bytes | None:
    """The text from the stream's ``N G obj`` to ``stream``; None when it does not
    start within ``_DICT_WINDOW`` bytes."""
    lo = max(0, at - _DICT_WINDOW)
    pos = at
    while True:
        k = data.rfind(b"obj", lo, pos)
        if k < 0:
            return None
        m = _OBJ_HEADER.search(data, max(lo, k - 24), k + 3)
        if m is not None and m.end() == k + 3:
            return data[m.start() : at]
        pos = k


def _end(data: bytes, head: bytes | None, start: int) -> int:
    length = _LENGTH.search(head) if head is not None else None
    end = start + int(length.group(1)) if length else -1
    if end < start or end > len(data):
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
    return end


def _filters(data: bytes, head: bytes) -> list[bytes] | None:
    """The stream's filter names; [] when it has none; None when they cannot be read
    (an indirect ``/Filter`` whose object is not written out plainly)."""
    f = _FILTER.search(head)
    if f is None:
        return []
    if f.group(2) is None:
        return _NAMES.findall(f.group(1))
    target = re.search(rb"(?<!\d)" + f.group(2) + rb"\s+" + f.group(3) + rb"\s+obj\s*(\[[^\]]*\]|/[A-Za-z0-9]+)", data)
    return _NAMES.findall(target.group(1)) if target else None


def _decodable(filters: list[bytes]) -> list[bytes]:
    """The leading filters this check (and pdfium, for a non-image stream) decodes:
    the chain up to the first image codec or unknown name."""
    chain = []
    for name in filters:
        name = _ALIASES.get(name, name)
        if name in _PASS:
            continue
        if name not in _RATIO:
            break
        chain.append(name)
    return chain


def _product(chain: list[bytes]) -> int:
    out = 1
    for name in chain:
        out *= _RATIO[name]
    return out


def _decode(raw: memoryview, chain: list[bytes], cap: int, early: int = 1) -> None:
    """Decode through ``chain``: inner stages capped at ``cap``, the last one only
    counted; raise _TooBig past it."""
    data: bytes | memoryview = raw
    for k, name in enumerate(chain):
        last = k == len(chain) - 1
        if name == b"FlateDecode":
            data = _inflate(data, cap, keep=not last)
        elif name == b"LZWDecode":
            data = _lzw(data, cap, early, keep=not last)
        elif name == b"RunLengthDecode":
            data = _run_length(data, cap, keep=not last)
        elif name == b"ASCIIHexDecode":
            text = bytes(data).split(b">", 1)[0]
            hexes = _NOT_HEX.sub(b"", text)
            data = bytes.fromhex((hexes + b"0" if len(hexes) % 2 else hexes).decode("ascii"))
        else:
            data = _a85(data)
        if len(data) > cap:
            raise _TooBig


def _flate_chain(raw: memoryview, cap: int) -> None:
    """For a stream whose filters are unknown: Flate stages while each is valid zlib."""
    data: bytes | memoryview = raw
    for _ in range(8):
        if len(data) < 2 or (data[0] & 0x0F) != 8 or ((data[0] << 8) | data[1]) % 31:
            return  # not a zlib header
        data = _inflate(data, cap, keep=True)
        if not data:
            return


def _inflate(data: bytes | memoryview, cap: int, keep: bool = True) -> bytes:
    """zlib-inflate at most ``cap`` bytes (raise _TooBig past it). Bad data (a wrong
    checksum included) ends the output where it is, keeping everything before it, as
    pdfium does: input goes in small slices, and the slice that fails is fed again
    byte by byte from a copy of the state before it. With ``keep=False`` only the
    size is counted."""
    d = zlib.decompressobj()
    out: list[bytes] = []
    size = 0

    def feed(dec: Any, piece: bytes | memoryview) -> None:
        nonlocal size
        buf = piece
        while buf:
            chunk = dec.decompress(buf, 1 << 20)
            size += len(chunk)
            if size > cap:
                raise _TooBig
            if keep and chunk:
                out.append(chunk)
            buf = dec.unconsumed_tail
            if dec.eof:
                return

    view = memoryview(data)
    for pos in range(0, len(view), _SLICE):
        piece = view[pos : pos + _SLICE]
        saved, n_out, n_size = d.copy(), len(out), size
        try:
            feed(d, piece)
        except zlib.error:
            d, size = saved, n_size
            del out[n_out:]
            try:
                for k in range(len(piece)):
                    feed(d, piece[k : k + 1])
            except zlib.error:
                pass
            break
        if d.eof:
            break
    return b"".join(out) if keep else b""


def _lzw(data: bytes | memoryview, cap: int, early: int = 1, keep: bool = True) -> bytes:
    """LZW as PDF writes it (9–12-bit codes, 256 clear, 257 end, ``early`` change);
    with ``keep=False`` only the entries' lengths are tracked."""
    lengths = [1] * 258
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""] if keep else []
    out: list[bytes] = []
    size = 0
    acc = bits = 0
    width = 9
    prev = -1  # the previous code, -1 after a clear
    for byte in bytes(data):
        acc = ((acc << 8) | byte) & 0xFFFFFF
        bits += 8
        while bits >= width:
            bits -= width
            code = (acc >> bits) & ((1 << width) - 1)
            if code == 256:
                del lengths[258:]
                if keep:
                    del table[258:]
                width, prev = 9, -1
                continue
            if code == 257:
                return b"".join(out)
            n = len(lengths)
            if prev < 0:
                if code > 255:
                    return b"".join(out)  # bad data
                entry_len = 1
            elif code < n:
                entry_len = lengths[code]
                if n < 4096:
                    lengths.append(lengths[prev] + 1)
                    if keep:
                        table.append(table[prev] + table[code][:1])
            elif code == n and n < 4096:
                entry_len = lengths[prev] + 1
                lengths.append(entry_len)
                if keep:
                    table.append(table[prev] + table[prev][:1])
            else:
                return b"".join(out)  # bad data
            size += entry_len
            if size > cap:
                raise _TooBig
            if keep:
                out.append(table[code])
            prev = code
            width = min(12, (len(lengths) + early).bit_length())
    return b"".join(out)


def _run_length(data: bytes | memoryview, cap: int, keep: bool = True) -> bytes:
    raw = bytes(data)
    out: list[bytes] = []
    size = i = 0
    while i < len(raw):
        n = raw[i]
        if n == 128:
            break
        if n < 128:
            piece = raw[i + 1 : i + 2 + n]
            i += 2 + n
        else:
            piece = raw[i + 1 : i + 2] * (257 - n)
            i += 2
        size += len(piece)
        if size > cap:
            raise _TooBig
        if keep:
            out.append(piece)
    return b"".join(out)


def _a85(data: bytes | memoryview) -> bytes:
    """ASCII85, tolerant: characters outside the alphabet are dropped, a bad group
    ends the output."""
    text = _NOT_A85.sub(b"", bytes(data).split(b"~>", 1)[0])
    try:
        return base64.a85decode(text)
    except ValueError:
        pass  # a bad group: decode up to it
    out = bytearray()
    group: list[int] = []
    for ch in text:
        if ch == 0x7A and not group:  # "z"
            out += b"\0\0\0\0"
            continue
        if ch == 0x7A:
            break
        group.append(ch - 33)
        if len(group) == 5:
            value = 0
            for d in group:
                value = value * 85 + d
            if value > 0xFFFFFFFF:
                break
            out += value.to_bytes(4, "big")
            group = []
    if len(group) > 1:
        pad = group + [84] * (5 - len(group))
        value = 0
        for d in pad:
            value = value * 85 + d
        out += (value & 0xFFFFFFFF).to_bytes(4, "big")[: len(group) - 1]
    return bytes(out)
