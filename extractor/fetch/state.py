"""The crawl's memory in one SQLite file: frontier, fetched URLs, content hashes, emitted ids.

Written so that a SIGKILL at any instant loses nothing that matters: a page's outcome and the
links found on it are committed in one transaction *after* its record reached the output file,
so a killed crawl at worst fetches that one page again, and `emitted` (reconciled with the output
file on start) keeps the record from being written twice.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .urls import host_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    kind TEXT NOT NULL,            -- seed, listing, article, sitemap, feed, page
    depth INTEGER NOT NULL,
    priority INTEGER NOT NULL,     -- lower is fetched first
    seq INTEGER NOT NULL,          -- discovery order within a priority
    status TEXT NOT NULL DEFAULT 'queued',   -- queued, done, skipped, failed
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,      -- wall-clock time before which a retry waits
    http_status INTEGER,
    reason TEXT,
    content_hash TEXT,
    record_id TEXT,
    fetched_at REAL
);
CREATE INDEX IF NOT EXISTS urls_frontier ON urls(status, host, priority, seq);
CREATE TABLE IF NOT EXISTS emitted (
    record_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_hash TEXT
);
CREATE INDEX IF NOT EXISTS emitted_hash ON emitted(content_hash);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


class StateError(ValueError):
    """The state file cannot be used: not SQLite, a folder, or in use by another crawl."""


_SQLITE_HEADER = b"SQLite format 3\x00"


def check_state_file(path: Path | str) -> None:
    """Refuse, before anything is created beside it, a state path that is a folder or a file that
    is not SQLite (an empty or missing file is a new state).

    >>> check_state_file("/nonexistent/state.sqlite")
    """
    target = Path(path)
    if target.is_dir():
        raise StateError(f"{target}: is a folder, not a crawl state file")
    try:
        with open(target, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StateError(f"{target}: cannot read the crawl state: {exc.strerror}") from exc
    if header and header != _SQLITE_HEADER:
        raise StateError(f"{target}: not a crawl state file (not SQLite); give a new --state file")


class StateLock:
    """One crawl at a time on a state file: an OS lock on `STATE.lock` beside it, held while the
    crawl runs. The operating system drops it when the process dies, even by SIGKILL, so a killed
    crawl never blocks its own resume.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "s.sqlite")
    >>> with StateLock(path):
    ...     StateLock(path).acquire()
    Traceback (most recent call last):
    extractor.fetch.state.StateError: ...s.sqlite is in use by another crawl (lock: ...s.sqlite.lock); wait for it to finish or give another --state
    """

    def __init__(self, state_path: Path | str):
        from filelock import FileLock

        self.state_path = str(state_path)
        self.path = self.state_path + ".lock"
        self._lock = FileLock(self.path, timeout=0)

    def acquire(self) -> "StateLock":
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise StateError(f"{self.state_path} is in use by another crawl (lock: {self.path}); "
                             "wait for it to finish or give another --state") from None
        except OSError as exc:
            raise StateError(f"{self.state_path}: cannot lock ({self.path}: {exc.strerror})") from exc
        return self

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> "StateLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass(frozen=True)
class QueuedUrl:
    """One frontier entry."""

    url: str
    kind: str
    depth: int
    attempts: int
    not_before: float


class CrawlState:
    """The SQLite crawl state.

    >>> state = CrawlState(":memory:")
    >>> state.enqueue("http://h/a", "article", depth=1)
    True
    >>> state.next_batch(1)[0].url
    'http://h/a'
    """

    def __init__(self, path: Path | str):
        self.path = str(path)
        if self.path != ":memory:" and Path(self.path).is_dir():
            raise StateError(f"{self.path}: is a folder, not a crawl state file")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            # NORMAL survives a killed process (WAL commits are in the file); only a power cut may lose
            # the last commits, and then the fsync'ed output file, which is reconciled on start, still rules.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM urls").fetchone()[0]
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: not a usable crawl state (SQLite) file: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    # -- frontier ---------------------------------------------------------------------------
    def enqueue(self, url: str, kind: str, depth: int, priority: int | None = None) -> bool:
        """Add a URL unless already known; returns whether it was new."""
        self._seq += 1
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO urls(url, host, kind, depth, priority, seq) VALUES (?, ?, ?, ?, ?, ?)",
            (url, host_of(url), kind, depth, _priority(kind) if priority is None else priority, self._seq),
        )
        return cursor.rowcount == 1

    def known(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM urls WHERE url = ?", (url,)).fetchone() is not None

    def next_batch(self, limit: int = 64) -> list[QueuedUrl]:
        """The next queued URLs in priority order (retries waiting for later are included)."""
        rows = self.db.execute(
            "SELECT url, kind, depth, attempts, not_before FROM urls WHERE status = 'queued' "
            "ORDER BY priority, seq LIMIT ?", (limit,),
        ).fetchall()
        return [QueuedUrl(*row) for row in rows]

    def heads(self, now: float) -> list[QueuedUrl]:
        """Per host, the next URL due (not waiting for a retry time): one candidate per host, so
        a crawl of several sites interleaves them instead of draining one while the others idle."""
        rows = self.db.execute(
            "SELECT url, kind, depth, attempts, not_before, MIN(priority * 1000000000 + seq) FROM urls "
            "WHERE status = 'queued' AND not_before <= ? GROUP BY host", (now,),
        ).fetchall()
        return [QueuedUrl(*row[:5]) for row in rows]

    def earliest_retry(self) -> float | None:
        """The wall-clock time the first waiting retry becomes due (None: nothing queued)."""
        return self.db.execute("SELECT MIN(not_before) FROM urls WHERE status = 'queued'").fetchone()[0]

    def mark_done_alias(self, url: str, kind: str, depth: int) -> None:
        """A redirect landed on `url`: it counts as fetched, so it is not fetched again by name."""
        self.enqueue(url, kind, depth)
        self.db.execute("UPDATE urls SET status = 'done', reason = 'redirect target', fetched_at = ? "
                        "WHERE url = ? AND status = 'queued'", (time.time(), url))

    def status_of(self, url: str) -> str | None:
        row = self.db.execute("SELECT status FROM urls WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def queued_of_kind(self, kind: str) -> list[str]:
        return [row[0] for row in self.db.execute(
            "SELECT url FROM urls WHERE status = 'queued' AND kind = ?", (kind,))]

    def pending(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM urls WHERE status = 'queued'").fetchone()[0]

    def discovery_pages_done(self) -> int:
        """Pages other than articles fetched (or given up) since the run began: the discovery budget
        spent. A finished crawl's next run queues its hub pages again, so it starts near zero."""
        return self.db.execute("SELECT COUNT(*) FROM urls WHERE status != 'queued' AND kind != 'article' "
                               "AND COALESCE(reason, '') != 'redirect target'").fetchone()[0]

    # -- outcomes ---------------------------------------------------------------------------
    def transaction(self) -> "_Transaction":
        """`with state.transaction():` groups a page's outcome and its new links atomically."""
        return _Transaction(self.db)

    def finish(self, url: str, status: str, http_status: int | None = None, reason: str | None = None,
               content_hash: str | None = None, record_id: str | None = None) -> None:
        """Record the final outcome of a URL: done, skipped or failed."""
        self.db.execute(
            "UPDATE urls SET status = ?, http_status = ?, reason = ?, content_hash = ?, record_id = ?, "
            "fetched_at = ? WHERE url = ?",
            (status, http_status, reason, content_hash, record_id, time.time(), url),
        )

    def retry_later(self, url: str, not_before: float, reason: str) -> None:
        """Keep a URL queued for another attempt no earlier than `not_before` (wall clock)."""
        self.db.execute(
            "UPDATE urls SET attempts = attempts + 1, not_before = ?, reason = ? WHERE url = ?",
            (not_before, reason, url),
        )

    def mark_emitted(self, record_id: str, url: str, content_hash: str | None) -> None:
        self.db.execute("INSERT OR IGNORE INTO emitted(record_id, url, content_hash) VALUES (?, ?, ?)",
                        (record_id, url, content_hash))

    def emitted_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT record_id FROM emitted")}

    def emitted_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM emitted").fetchone()[0]

    def hash_emitted(self, content_hash: str) -> str | None:
        """The record id already emitted for this content, if any (same article, other URL)."""
        row = self.db.execute("SELECT record_id FROM emitted WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def reconcile_emitted(self, ids_in_output: set[str]) -> None:
        """Make `emitted` agree with the output file, which is the truth after a crash.

        Ids in the file but not in the table were written just before a kill; ids in the table but
        not in the file were lost with a torn last line (or the file was removed) and are re-emitted.
        """
        with self.transaction():
            for record_id in self.emitted_ids() - ids_in_output:
                self.db.execute("DELETE FROM emitted WHERE record_id = ?", (record_id,))
                self.db.execute("UPDATE urls SET status = 'queued', attempts = 0 WHERE record_id = ?",
                                (record_id,))
            for record_id in ids_in_output - self.emitted_ids():
                self.db.execute("INSERT OR IGNORE INTO emitted(record_id, url) VALUES (?, '')", (record_id,))

    # -- runs -------------------------------------------------------------------------------
    def begin_run(self) -> int:
        """Start a run; returns how many records earlier runs of this crawl already emitted.

        After an interrupted run this resumes (nothing changes). After a finished one the run is
        incremental: the hub pages (seeds, listings, feeds, sitemaps) and the failures are queued
        again, so new articles are found while fetched ones are not fetched twice.
        """
        with self.transaction():
            if self.get_meta("finished") == "1":
                self.db.execute("UPDATE urls SET status = 'queued', attempts = 0, not_before = 0 "
                                "WHERE kind IN ('seed', 'listing', 'feed', 'sitemap') OR status = 'failed'")
                self.set_meta("finished", "0")
                self.set_meta("base_emitted", str(self.emitted_count()))
            elif self.get_meta("base_emitted") is None:
                self.set_meta("base_emitted", "0")
        return int(self.get_meta("base_emitted") or 0)

    def end_run(self) -> None:
        """The frontier ran dry: the next run will be incremental rather than a resume."""
        with self.transaction():
            self.set_meta("finished", "1")

    def counts(self) -> dict[str, int]:
        """URL counts by status, for the end-of-crawl summary."""
        return dict(self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status").fetchall())

    def failures(self) -> list[tuple[str, str]]:
        return self.db.execute("SELECT url, reason FROM urls WHERE status = 'failed' ORDER BY seq").fetchall()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")


# Articles already found go before more discovery (so `--max N` is reached, and a trap of endless
# sitemaps or listings never starves them); then feeds and sitemaps (they name many articles
# cheaply), then listings, then other pages.
_PRIORITIES = {"seed": 0, "article": 1, "sitemap": 2, "feed": 2, "listing": 3, "page": 4}


def _priority(kind: str) -> int:
    return _PRIORITIES.get(kind, 5)
