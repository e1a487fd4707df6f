"""`vnextract extract FILE.warc.gz` (or `.warc`): re-extract every article page of a web archive offline.

Reads WARCs from vnextract's own `crawl --warc` and from other tools (wget --warc-file, Heritrix,
Browsertrix: `warcinfo`, `request`, `response`, `revisit`, `resource`, `metadata` records, gzip per
record or not) with warcio, streaming, so an archive of any size is read in constant memory apart
from an index of payload digests for revisits.

An archived page becomes a document exactly as the live crawl turns a fetched page into a record,
so the records agree with the crawl's (same ids, same facts):
- only `response` records with HTTP 200 and an HTML media type, not `WARC-Truncated`, are read; the
  payload is decoded as the crawler does (charset header, then the page's own declaration, then
  detection); chunked and gzip'ed payloads (wget stores the raw wire bytes) are undone by warcio;
- a page the page reader does not take for an article (home, listings, static pages) is skipped;
- the record URL is the page's rel=canonical when it is a usable one (same site, not the home page),
  else the URL the response was captured from;
- an article already read under another URL (same text) or the same URL (a later capture) is
  not emitted again;
- a `revisit` record (identical-payload-digest) is read with the payload of the earlier response it
  names by digest.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .fetch.settings import FetchSettings
from .fetch.urls import Scope, canonical_url
from .html import parse_page
from .html.encoding import decode_body
from .input_doc import InputDoc, InputError

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: Path) -> bool:
    """Whether a path names a WARC file by its suffix.

    >>> is_warc(Path("crawl.warc.gz")), is_warc(Path("notes.txt"))
    (True, False)
    """
    return path.name.lower().endswith(WARC_SUFFIXES)


def iter_warc(path: Path, rules=None, settings: FetchSettings | None = None) -> Iterator[InputDoc | InputError]:
    """One document (`html`, `url`) per article page archived in `path`; errors name the file and offset."""
    settings = settings or FetchSettings.load(rules)
    label = str(path)
    seen_urls: set[str] = set()
    seen_text: set[str] = set()
    by_digest: dict[str, int] = {}  # payload digest → offset of the response holding it (for revisits)
    try:
        handle = open(path, "rb")
        warc = _starts_like_warc(handle)
    except OSError as exc:
        yield InputError(label, f"cannot read: {exc.strerror or exc}")
        return
    if not warc:
        handle.close()
        yield InputError(label, "not a WARC file (it does not open with a WARC/1.x record)")
        return
    with handle, open(path, "rb") as lookup:
        records = ArchiveIterator(handle, arc2warc=True)
        try:
            for record in records:
                capture = _capture(record, settings)
                if capture is None:
                    continue
                offset = records.get_record_offset()
                uri, content_type, payload = capture
                digest = record.rec_headers.get_header("WARC-Payload-Digest")
                if record.rec_type == "response":
                    if digest:
                        by_digest.setdefault(digest, offset)
                else:  # a revisit: the payload lives in the response with the same digest
                    if digest not in by_digest:
                        continue
                    content_type, payload = _payload_at(lookup, by_digest[digest], settings) or (content_type, b"")
                    if not payload:
                        continue
                doc = _article_doc(uri, content_type, payload, rules, settings, seen_urls, seen_text)
                if doc is not None:
                    yield InputDoc(f"{label}@{offset} {uri}", doc)
        except (ArchiveLoadFailed, OSError, ValueError) as exc:
            yield InputError(label, f"not a readable WARC past this point: {exc}")


def _capture(record, settings: FetchSettings) -> tuple[str, str, bytes] | None:
    """(URI, Content-Type, payload) of an archived HTTP 200 HTML response or revisit, else None."""
    if record.rec_type not in ("response", "revisit") or record.http_headers is None:
        return None
    if record.rec_headers.get_header("WARC-Truncated"):
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media not in settings.html_types:
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")  # WARC 1.0 wrote <URI>
    if not uri.startswith(("http://", "https://")):
        return None
    payload = b""
    if record.rec_type == "response":
        payload = record.content_stream().read(settings.max_decompressed_bytes + 1)
        if len(payload) > settings.max_decompressed_bytes:
            return None
        if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended inside this record
            raise ValueError(f"the record of {uri} is cut short ({record.length} bytes announced)")
    return uri, content_type, payload


def _starts_like_warc(handle) -> bool:
    """Whether a file opens with a WARC record (gzip'ed or not); leaves the handle at the start."""
    head = handle.read(4096)
    handle.seek(0)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.lstrip().startswith(b"WARC/")


def _payload_at(handle, offset: int, settings: FetchSettings) -> tuple[str, bytes] | None:
    handle.seek(offset)
    for record in ArchiveIterator(handle, arc2warc=True):
        capture = _capture(record, settings)
        return (capture[1], capture[2]) if capture else None
    return None


def _article_doc(uri: str, content_type: str, payload: bytes, rules, settings: FetchSettings,
                 seen_urls: set[str], seen_text: set[str]) -> dict | None:
    """The document for an article page, as the crawler would emit it, or None (not an article, or a repeat)."""
    fetched_url = canonical_url(uri, settings.tracking_params)
    text, _encoding = decode_body(payload, content_type)
    page = parse_page(text, fetched_url, rules)
    if not page.is_article():
        return None
    record_url = _declared_url(page.canonical_link(), fetched_url, settings)
    content_hash = hashlib.sha1(page.article().text.encode("utf-8")).hexdigest()
    if record_url in seen_urls or content_hash in seen_text:
        return None
    seen_urls.add(record_url)
    seen_text.add(content_hash)
    return {"html": text, "url": record_url, "fetched_url": fetched_url}


def _declared_url(canonical: str | None, fetched_url: str, settings: FetchSettings) -> str:
    """The crawler's rule (Crawler._declared_url), with the page's own site as the scope."""
    if not canonical:
        return fetched_url
    url = canonical_url(canonical, settings.tracking_params, base=fetched_url)
    parts = urlsplit(url)
    if not Scope.from_seeds([fetched_url]).allows(url) or parts.path in ("", "/") and not parts.query:
        return fetched_url
    return url
