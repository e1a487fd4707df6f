"""Per-host request pacing and robots.txt rules.

A host gets at most one request per interval, measured from the end of the previous response
(so a slow server slows us down too); the interval is the larger of our delay and the host's
robots.txt Crawl-delay. Retry-After pushes the host's next slot further out.
"""

from __future__ import annotations

import email.utils
import math
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from protego import Protego


@dataclass
class HostThrottle:
    """When each host may next be asked.

    >>> t = HostThrottle(delay=0.0)
    >>> t.wait_seconds("a:80")
    0.0
    """

    delay: float
    clock: Callable[[], float] = time.monotonic
    _next: dict[str, float] = field(default_factory=dict)
    _interval: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set_crawl_delay(self, host: str, crawl_delay: float | None) -> None:
        """Raise this host's interval to its robots.txt Crawl-delay (never lower it below ours).

        The robots.txt request itself was paced with the old interval: its slot grows too.
        """
        with self._lock:
            old = self.interval(host)
            self._interval[host] = max(self.delay, float(crawl_delay or 0.0))
            if host in self._next and self._next[host] != float("inf"):
                self._next[host] += self._interval[host] - old

    def interval(self, host: str) -> float:
        return self._interval.get(host, self.delay)

    def wait_seconds(self, host: str) -> float:
        """Seconds until `host` may be asked again (0 when it may be asked now)."""
        return max(0.0, self._next.get(host, 0.0) - self.clock())

    def wait(self, host: str) -> None:
        """Sleep until `host` may be asked, then reserve the slot until `finished` is called."""
        while True:
            with self._lock:
                pause = self.wait_seconds(host)
                if pause <= 0:
                    # Nobody else may start on this host before we finish.
                    self._next[host] = float("inf")
                    return
            time.sleep(pause)

    def finished(self, host: str) -> None:
        """The response from `host` has been read: its next slot is one interval from now."""
        with self._lock:
            self._next[host] = self.clock() + self.interval(host)

    def defer(self, host: str, seconds: float) -> None:
        """Honour Retry-After: nothing goes to `host` for `seconds` (or one interval, if longer)."""
        with self._lock:
            self._next[host] = self.clock() + max(seconds, self.interval(host))


_SECONDS_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date; a date in the past
    is 0); None when the value is absent or unparsable ("soon", "-5", garbage): then it says nothing.

    >>> parse_retry_after("120"), parse_retry_after("1.5"), parse_retry_after("soon"), parse_retry_after("-5")
    (120.0, 1.5, None, None)
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    0.0
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    if _SECONDS_RE.fullmatch(value):
        seconds = float(value)
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    try:
        delta = when.timestamp() - (time.time() if now is None else now)
    except (OverflowError, OSError, ValueError):
        return None
    return max(delta, 0.0)


def parse_robots(text: str | None) -> Protego:
    """robots.txt rules; a missing file (None) allows everything.

    >>> parse_robots("User-agent: *\\nDisallow: /admin/").can_fetch("http://h/admin/x", "vnextract")
    False
    """
    return Protego.parse(text or "")


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("vnextract" from "vnextract/0.1 (…)").

    >>> robots_agent("vnextract/0.1.0 (+https://x; research crawler)")
    'vnextract'
    """
    return user_agent.split("/", 1)[0].split()[0]
