"""`vnextract crawl --warc FILE.warc.gz`: every HTTP exchange of a crawl kept as a WARC (ISO 28500).

Each response the crawler's `HttpClient` receives — robots.txt, sitemaps, feeds, listings, article
pages, redirects (each hop), error answers — is written as the `request` record that asked for it
followed by the `response` record (linked by WARC-Concurrent-To), one gzip member per record, with
warcio. A new file starts with a `warcinfo` record naming the crawler.

What the WARC holds is what the crawl *saw*, not what went over the wire:
- the payload is the body as the crawler read it, after HTTP content decoding; the original
  Content-Encoding / Transfer-Encoding headers are kept as `X-Archive-Orig-…` (the pywb convention)
  and Content-Length is the payload's length, so any reader sees a plain, consistent response;
- a page requests-cache served after the server said 304 Not Modified is written in full (the
  cached status, headers and body the crawler used), marked `WARC-Vnextract-From-Cache: revalidated`;
- a body the crawler stopped reading (too large, a gzip bomb, a media type it does not read) is
  written with an empty payload and `WARC-Truncated: length`.

Resumable and exactly-once: the crawl state (its SQLite file) remembers, per WARC file, the key of
every exchange written (URI, status, payload digest) and the byte offset after the last one. A
capture whose key is already there is not written again, so a resumed or repeated crawl appends
only what changed. A pair is written, flushed and fsync'ed before the state hears of it; on open,
the bytes after the offset the state knows are checked member by member: complete responses are
adopted into the state, and a torn tail — a half-written gzip member, or a request whose response a
SIGKILL cut off — is truncated away, so the file always ends on a whole pair. Bytes that are not a
torn member (another format, garbage) are never truncated: the recorder refuses the file instead.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sqlite3
import zlib
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..version import __version__

_SCHEMA = """
CREATE TABLE IF NOT EXISTS warc_written (
    warc TEXT NOT NULL,        -- the WARC file (resolved path)
    key TEXT NOT NULL,         -- URI, HTTP status and payload digest of one exchange
    PRIMARY KEY (warc, key)
);
CREATE TABLE IF NOT EXISTS warc_files (warc TEXT PRIMARY KEY, end_offset INTEGER NOT NULL);
"""
_HOP_HEADERS = ("content-encoding", "transfer-encoding")
_READ = 1 << 20


class WarcError(OSError):
    """The WARC file cannot be used (not a gzip-per-record WARC, unreadable)."""


def payload_digest(payload: bytes) -> str:
    """The WARC-Payload-Digest of a payload, as warcio writes it.

    >>> payload_digest(b"")
    'sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'
    """
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def exchange_key(uri: str, status: int | str, digest: str) -> str:
    """What makes two captures the same: URI, HTTP status and payload digest.

    >>> exchange_key("http://h/a", 200, payload_digest(b""))
    '200 sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ http://h/a'
    """
    return f"{status} {digest} {uri}"


class WarcRecorder:
    """Appends a crawl's exchanges to one gzip-per-record WARC; `record` is HttpClient's hook.

    `db` is the crawl state's SQLite connection (autocommit): the written keys live beside the frontier.
    """

    def __init__(self, path: str | Path, db: sqlite3.Connection):
        self.path = Path(path)
        if not self.path.name.endswith(".warc.gz"):
            raise WarcError(f"{path}: --warc writes a gzip-per-record WARC; name it FILE.warc.gz")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.name = str(self.path.resolve())
        self.db = db
        self.db.executescript(_SCHEMA)
        self.written = 0
        self.handle = open(self.path, "a+b")
        self._repair()
        self.writer = WARCWriter(self.handle, gzip=True)
        if self._end == 0:
            self._write_warcinfo()

    # -- opening: adopt what a killed run wrote, cut what it tore ----------------------------
    def _repair(self) -> None:
        size = self.handle.seek(0, os.SEEK_END)
        row = self.db.execute("SELECT end_offset FROM warc_files WHERE warc = ?", (self.name,)).fetchone()
        known = row[0] if row else 0
        if known > size or (row is None and size > 0):
            # The file is not the one the state remembers (replaced, shortened, or new to this state):
            # what it holds is the truth, read from the start.
            self.db.execute("DELETE FROM warc_written WHERE warc = ?", (self.name,))
            known = 0
        good, last_type, last_start = known, None, known
        with open(self.path, "rb") as reader:
            for start, end, member in gzip_members(reader, known):
                record = _parse_member(member)
                if record is None:
                    raise WarcError(f"{self.path}: the gzip member at byte {start} is not a WARC record; "
                                    "not appending to this file")
                last_type, key = record
                if key is not None:
                    self._remember([key])
                last_start, good = start, end
            if good < size and not _torn_member(reader, good):
                raise WarcError(f"{self.path}: not a gzip-per-record WARC after byte {good}; not appending to it")
        if last_type == "request":
            good = last_start  # a request whose response a kill cut off: the pair goes
        if good != size:
            self.handle.truncate(good)
            self.handle.flush()
            os.fsync(self.handle.fileno())
        self.handle.seek(0, os.SEEK_END)
        self._end = good
        self._save_end()

    def _remember(self, keys: list[str]) -> None:
        for key in keys:
            self.db.execute("INSERT OR IGNORE INTO warc_written(warc, key) VALUES (?, ?)", (self.name, key))

    def _save_end(self) -> None:
        self.db.execute("INSERT OR REPLACE INTO warc_files(warc, end_offset) VALUES (?, ?)", (self.name, self._end))

    def has(self, key: str) -> bool:
        """Whether this exchange is already in the file (then it is not written again)."""
        return self.db.execute("SELECT 1 FROM warc_written WHERE warc = ? AND key = ?",
                               (self.name, key)).fetchone() is not None

    def _write_warcinfo(self) -> None:
        info = {"software": f"vnextract/{__version__} (warcio)", "format": "WARC File Format 1.1",
                "conformsTo": "https://iso.org/standard/68004.html",
                "description": "vnextract crawl: every response the crawler read, payloads after HTTP content "
                               "decoding (original encodings kept as X-Archive-Orig-* headers)"}
        self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info))
        self._commit([])

    def _commit(self, keys: list[str]) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self._end = self.handle.tell()
        self._remember(keys)
        self._save_end()

    # -- writing -------------------------------------------------------------------------------
    def record(self, response, body: bytes, truncated: bool = False) -> None:
        """Write one exchange: `response` (requests') with the `body` the crawler read."""
        uri = response.url
        payload = b"" if truncated else body
        key = exchange_key(uri, response.status_code, payload_digest(payload))
        if self.has(key):
            return
        headers = []
        for name, value in response.headers.items():
            if name.lower() in _HOP_HEADERS:
                headers.append(("X-Archive-Orig-" + name, value))
            elif name.lower() != "content-length":
                headers.append((name, value))
        headers.append(("Content-Length", str(len(payload))))
        reason = response.reason or ""
        http_headers = StatusAndHeaders(f"{response.status_code} {reason}".strip(), headers, protocol="HTTP/1.1")
        warc_headers = {}
        if truncated:
            warc_headers["WARC-Truncated"] = "length"
        if getattr(response, "from_cache", False):
            warc_headers["WARC-Vnextract-From-Cache"] = "revalidated"
        resp = self.writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), length=len(payload),
                                              http_headers=http_headers, warc_headers_dict=warc_headers)
        req = self._request_record(response)
        # The request first, as wget writes them: a kill between the two leaves a request without
        # its response at the end of the file, which the next open cuts off (see _repair).
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        self.writer.write_record(req)
        self.writer.write_record(resp)
        self._commit([key])
        self.written += 1

    def _request_record(self, response):
        request = response.request
        parts = urlsplit(response.url)
        path = request.path_url if request is not None else (parts.path or "/")
        headers = [(k, v) for k, v in (request.headers.items() if request is not None else [])]
        if not any(k.lower() == "host" for k, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http_headers = StatusAndHeaders(f"GET {path} HTTP/1.1", headers, is_http_request=True)
        return self.writer.create_warc_record(response.url, "request", http_headers=http_headers)

    def close(self) -> None:
        self.handle.close()


def gzip_members(handle, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, decompressed bytes) of each *complete* gzip member from `start` on; stops
    silently at a torn or corrupt member (the caller truncates there).

    >>> import gzip
    >>> data = gzip.compress(b"a") + gzip.compress(b"bc") + gzip.compress(b"def")[:-3]
    >>> [(m[2]) for m in gzip_members(io.BytesIO(data))]
    [b'a', b'bc']
    """
    handle.seek(start)
    position, pending = start, b""
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        parts: list[bytes] = []
        used = 0
        while not inflater.eof:  # each pass consumes input or ends: the file is finite
            if not pending:
                pending = handle.read(_READ)
                if not pending:
                    return
            try:
                parts.append(inflater.decompress(pending))
            except zlib.error:
                return
            if inflater.eof:
                rest = inflater.unused_data
                used += len(pending) - len(rest)
                pending = rest
            else:
                used += len(pending)
                pending = b""
        yield position, position + used, b"".join(parts)
        position += used


def _torn_member(handle, offset: int) -> bool:
    """Whether the bytes from `offset` to the end are the start of a gzip member cut short (a write
    a kill interrupted), rather than something else (then the file is not ours to truncate)."""
    handle.seek(offset)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    first = True
    while chunk := handle.read(_READ):  # ends at the end of the file
        if first and not chunk.startswith(b"\x1f\x8b"[: len(chunk)]):
            return False
        first = False
        try:
            inflater.decompress(chunk, _READ)
            while inflater.unconsumed_tail and not inflater.eof:  # bounded by the chunk's size
                inflater.decompress(inflater.unconsumed_tail, _READ)
        except zlib.error:
            return False
        if inflater.eof:
            return False
    return True


def _parse_member(member: bytes) -> tuple[str, str | None] | None:
    """(record type, exchange key of a response or None) of the one WARC record in a member, or None."""
    try:
        for record in ArchiveIterator(io.BytesIO(member), ensure_http_headers=False):
            key = None
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                payload = record.content_stream().read()
                status = record.http_headers.get_statuscode() if record.http_headers else ""
                truncated = record.rec_headers.get_header("WARC-Truncated")
                key = exchange_key(uri, status, payload_digest(b"" if truncated else payload))
            return record.rec_type, key
    except Exception:  # warcio raises several kinds on garbage: any of them means "not a record"
        return None
    return None
