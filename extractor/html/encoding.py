"""Bytes → text for fetched pages: declared charset first, detection when absent or wrong.

Vietnamese portals still serve legacy pages (windows-1258 with combining tone marks) with no
charset anywhere, and some declare ISO-8859-1 while sending UTF-8. The result is always NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w:.-]+)", re.IGNORECASE)
# Declared as one of these but valid UTF-8 with non-ASCII bytes: the declaration is wrong.
_OFTEN_MISDECLARED = {"latin-1", "iso8859-1", "cp1252", "ascii"}
# A byte-order mark names the encoding outright; UTF-32 first, as its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark at the start of `data` names, and the mark's length.

    >>> bom_encoding("x".encode("utf-16")), bom_encoding(b"x")
    (('utf-16-le', 2), None)
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset named by the Content-Type header, else by a <meta> in the first 4 KB.

    >>> declared_charset(b'<meta charset="utf-8">', "text/html")
    'utf-8'
    """
    for match in (_HEADER_CHARSET_RE.search(content_type or ""), _META_CHARSET_RE.search(body[:4096])):
        if match:
            name = match.group(1)
            name = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page to NFC text; returns (text, encoding used).

    >>> decode_body("Hải Phòng".encode("utf-8"), "text/html; charset=ISO-8859-1")
    ('Hải Phòng', 'utf-8')
    >>> decode_body("Hải Phòng".encode("utf-16"), "text/html")
    ('Hải Phòng', 'utf-16-le')
    """
    marked = bom_encoding(body)
    if marked is not None:
        codec, size = marked
        return _nfc(body[size:].decode(codec, "replace")), codec
    declared = declared_charset(body, content_type)
    if declared and not (declared in _OFTEN_MISDECLARED and _is_utf8(body)):
        try:
            return _nfc(body.decode(declared)), declared
        except UnicodeDecodeError:
            pass
    if _is_utf8(body):
        return _nfc(body.decode("utf-8")), "utf-8"
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        return _nfc(body.decode("utf-8", "replace")), "utf-8"
    return _nfc(str(best)), best.encoding


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
