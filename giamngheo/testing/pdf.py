"""Text of a WeasyPrint PDF, for tests: no PDF library is a dependency, and this is all the tests need.

WeasyPrint writes each font as Type0/Identity-H with a ToUnicode CMap and puts most objects in compressed
object streams. We inflate every stream, map each font resource name to its CMap, and decode the glyph
codes of every ``TJ``/``Tj`` in the page content streams; a text-matrix change starts a new line.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

_OBJ = re.compile(rb"(?<![\d])(\d+) 0 obj\b")
_LENGTH = re.compile(rb"/Length (\d+)(?! \d+ R)")


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Each object's dictionary and (inflated) stream. A stream is cut at its /Length, never searched for
    "endstream": compressed font data may hold those bytes by chance."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    position = 0
    while match := _OBJ.search(pdf, position):
        start = match.end()
        stream_at = pdf.find(b"stream", start)
        end_at = pdf.find(b"endobj", start)
        if stream_at != -1 and (end_at == -1 or stream_at < end_at):
            head = pdf[start:stream_at]
            length = _LENGTH.search(head)
            data_start = stream_at + len(b"stream")
            data_start += 2 if pdf[data_start : data_start + 2] == b"\r\n" else 1
            size = int(length.group(1)) if length else pdf.find(b"endstream", data_start) - data_start
            data: bytes | None = pdf[data_start : data_start + size]
            if b"FlateDecode" in head:
                try:
                    data = zlib.decompress(data)  # type: ignore[arg-type]
                except zlib.error:
                    data = None
            position = data_start + size
        else:
            head, data = pdf[start:end_at], None
            position = end_at if end_at != -1 else len(pdf)
        objects[int(match.group(1))] = (head, data)
    for head, data in list(objects.values()):
        if b"/ObjStm" in head and data is not None:
            first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
            numbers = [int(n) for n in data[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (number, offset) in enumerate(pairs):
                end = first + pairs[index + 1][1] if index + 1 < len(pairs) else len(data)
                objects.setdefault(number, (data[first + offset : end], None))
    return objects


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objects.values():
        for name, number in re.findall(rb"/([\w.+-]+) (\d+) 0 R", head):
            target = objects.get(int(number))
            if target is None:
                continue
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", target[0])
            if to_unicode and (cmap := objects.get(int(to_unicode.group(1)), (b"", None))[1]):
                fonts[name] = _cmap(cmap)
    contents = {int(n) for head, _ in objects.values() for n in re.findall(rb"/Contents (\d+) 0 R", head)}
    lines: list[str] = []
    for number in sorted(contents):
        data = objects[number][1] or b""
        current: dict[int, str] = {}
        line: list[str] = []
        for token in re.finditer(rb"/([\w.+-]+) [\d.]+ Tf|<([0-9a-fA-F]*)>|\bTm\b|\bET\b", data):
            if token.group(1) is not None:
                current = fonts.get(token.group(1), {})
            elif token.group(2) is not None:
                hexcodes = token.group(2).decode()
                line += [current.get(int(hexcodes[i : i + 4], 16), "") for i in range(0, len(hexcodes), 4)]
            elif line:
                lines.append("".join(line))
                line = []
        if line:
            lines.append("".join(line))
        lines.append("\f")
    return unicodedata.normalize("NFC", "\n".join(lines))


def pdf_words(pdf: bytes) -> str:
    """The text with every run of white space (line breaks inside table cells too) as one space."""
    return " ".join(pdf_text(pdf).split())
