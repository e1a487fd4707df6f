"""The transport under the polite client: a total time per response, and bodies capped before caching.

Two things requests alone cannot do:

- **A deadline per response.** `timeout=` bounds each socket read, so a server that trickles one
  byte every two seconds (or stalls its headers the same way) keeps a request alive for ever.
  `ResponseDeadline` is a timer that shuts the connection's socket down when the response has taken
  longer than its budget; the blocked read then returns and the client reports the overrun.
- **A size cap before the cache sees a body.** requests-cache reads and stores the *whole* decoded
  body of a cacheable response (a gzip bomb with an ETag: gigabytes in memory, then a SQLite blob too
  big to read back on every resume). `BoundedAdapter` reads a cacheable body itself, within the
  caps, before the response goes up to the cache; an over-size body is marked so the cache refuses it.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Callable

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# Set on a response whose body went over a cap while the adapter read it (the body is then empty).
TOO_LARGE_ATTR = "_vnextract_too_large"
_CHUNK = 65536

_current = threading.local()


class ResponseDeadline:
    """A budget of `seconds` for one response (headers and body); on expiry its sockets are shut.

    Use as a context manager around sending the request *and* reading the body; `expired` says
    whether the budget ran out (then whatever was read is incomplete).

    >>> with ResponseDeadline(5.0) as deadline:
    ...     pass
    >>> deadline.expired
    False
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._started = 0.0

    def __enter__(self) -> "ResponseDeadline":
        self._started = time.monotonic()
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._timer.cancel()
        if getattr(_current, "deadline", None) is self:
            _current.deadline = None

    def remaining(self) -> float:
        return max(0.0, self.seconds - (time.monotonic() - self._started))

    def watch(self, connection: Any) -> None:
        """Called for every connection the request uses (a pooled one included), and its response."""
        with self._lock:
            self._connections.append(connection)
            late = self.expired
        if late:
            _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)


def _shut(holder: Any) -> None:
    """Shut the socket under a connection or a response down (a blocked read then returns)."""
    sock = getattr(holder, "sock", None)
    if sock is None:
        # An HTTP/1.0 or "Connection: close" reply takes the socket over from its connection:
        # urllib3 response → http.client response → buffered reader → SocketIO → socket.
        sock = holder
        for name in ("raw", "_fp", "fp", "raw", "_sock"):
            sock = getattr(sock, name, None)
            if sock is None:
                return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError, TypeError):
        pass  # already closed, or not a socket


def _watch(connection: Any) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


class _WatchedHTTPPool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None):
        connection = super()._get_conn(timeout)
        _watch(connection)
        return connection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None):
        connection = super()._get_conn(timeout)
        _watch(connection)
        return connection


class BoundedAdapter(HTTPAdapter):
    """requests' adapter with deadline-watched connections; it reads a body the cache would store
    within `max_decoded`/`max_raw` bytes first, and marks it `TOO_LARGE_ATTR` when it is over.

    `cacheable(response)` says which responses the cache may store (the cache's own filter).
    """

    def __init__(self, max_raw: int, max_decoded: int,
                 cacheable: Callable[[requests.Response], bool] | None = None):
        self.max_raw = max_raw
        self.max_decoded = max_decoded
        self.cacheable = cacheable
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = super().send(request, **kwargs)
        _watch(response)
        if self.cacheable is not None and self.cacheable(response):
            self._read_bounded(response)
        return response

    def _read_bounded(self, response: requests.Response) -> None:
        body, over = read_capped(response, self.max_raw, self.max_decoded)
        if over:
            setattr(response, TOO_LARGE_ATTR, True)
            response.close()
            body = b""
        response._content = body  # what the cache stores, and what the client reads back
        response._content_consumed = True


def read_capped(response: requests.Response, max_raw: int, max_decoded: int,
                truncate: bool = False) -> tuple[bytes, bool]:
    """Read a streamed body within the caps: (body, over_a_cap).

    With `truncate`, the first `max_decoded` bytes are kept when the body is longer (robots.txt:
    RFC 9309 parses at least the first 500 KiB); otherwise an over-size body comes back empty.
    Network errors propagate (the caller reports them).
    """
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        raw = raw_bytes_read(response)
        if size > max_decoded or raw > max_raw or (not response.headers.get("Content-Encoding") and size > max_raw):
            if truncate:
                chunks.append(chunk)
                return b"".join(chunks)[:max_decoded], True
            return b"", True
        chunks.append(chunk)
    return b"".join(chunks), False


def raw_bytes_read(response: requests.Response) -> int:
    """Bytes read off the wire so far (0 for a body replayed from the cache)."""
    try:
        return int(response.raw.tell())
    except Exception:  # cached responses replay from memory and have no socket position
        return 0
