"""Resource caps checked on a PDF's bytes before pdfium reads it.

pdfium inflates streams and builds objects in C, where neither a Python exception
nor an alarm can stop it: a 7 KB file whose content stream is compressed twice
inflates to gigabytes, and running out of memory there aborts the process. So before
opening a PDF, ``check_resources`` looks at its raw bytes:

- **decompressed bytes**: every stream that could inflate past ``MAX_STREAM_BYTES`` —
  a chain of two or more filters, or a single ``FlateDecode`` whose compressed size
  times zlib's largest ratio (1032:1) could — is decoded here with bounded output, each
  stage capped; one stream over the cap refuses the file. Image streams are skipped
  (reading text never decodes an image; the HTML report draws pages in a limited
  worker, see ``render_page.py``);
- **object count**: objects written out plus those packed in object streams, capped at
  ``MAX_OBJECTS``.

Normal published budgets are far below both (their largest stream is an embedded
font of a few MB; a 300-page document has well under 100,000 objects). Caps on page
objects (``pdf_text.MAX_PAGE_OBJECTS``) and pages (``MAX_PAGES``) are applied while
reading.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from ..errors import InputError

MAX_STREAM_BYTES = 128 << 20
MAX_OBJECTS = 2_000_000
MAX_PAGES = 10_000
_ZLIB_RATIO = 1032
_STREAM = re.compile(rb"stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_NAMES = re.compile(rb"/([A-Za-z0-9]+)")
_OBJSTM_N = re.compile(rb"/Type\s*/ObjStm[^>]*?/N\s+(\d+)|/N\s+(\d+)[^>]*?/Type\s*/ObjStm")
_FLATE = {b"FlateDecode", b"Fl"}
_DECODERS = {b"FlateDecode", b"Fl", b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85"}


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
        start = m.end()
        head = data[max(0, m.start() - 2048) : m.start()]
        at = max(head.rfind(b" obj"), head.rfind(b"\nobj"))
        head = head[at:] if at >= 0 else head
        if b"/Image" in head:
            continue
        f = _FILTER.search(head)
        filters = _NAMES.findall(f.group(1)) if f else []
        if not filters:
            continue
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else -1
        if end < start or end > len(data):
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        single = len(filters) == 1
        if single and (filters[0] not in _FLATE or (end - start) * _ZLIB_RATIO <= MAX_STREAM_BYTES):
            continue  # cannot inflate past the cap
        try:
            _decode_bounded(view[start:end], filters)
        except _TooBig:
            raise InputError(
                path,
                f"PDF 中有数据流解压后超过 {MAX_STREAM_BYTES >> 20} MiB（压缩炸弹），拒绝读取",
                hint="请确认文件来源，或重新导出该文件",
            ) from None


def _decode_bounded(raw: memoryview, filters: list[bytes]) -> None:
    """Decode through the filter chain, every stage capped at MAX_STREAM_BYTES;
    stop quietly at a filter this check does not decode or at bad data."""
    data: bytes | memoryview = raw
    for name in filters:
        if name not in _DECODERS:
            return
        try:
            if name in _FLATE:
                data = _inflate(data)
            elif name in (b"ASCIIHexDecode", b"AHx"):
                text = bytes(data).split(b">", 1)[0]
                data = binascii.unhexlify(re.sub(rb"\s+", b"", text) + (b"0" if len(re.sub(rb"\s+", b"", text)) % 2 else b""))
            else:
                text = bytes(data).split(b"~>", 1)[0]
                data = base64.a85decode(re.sub(rb"\s+", b"", text))
        except (zlib.error, ValueError, binascii.Error):
            return
        if len(data) > MAX_STREAM_BYTES:
            raise _TooBig


def _inflate(data: bytes | memoryview) -> bytes:
    d = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    buf = data
    while True:
        chunk = d.decompress(buf, 1 << 20)
        size += len(chunk)
        if size > MAX_STREAM_BYTES:
            raise _TooBig
        out.append(chunk)
        buf = d.unconsumed_tail
        if d.eof or (not chunk and not buf):
            break
    return b"".join(out)
