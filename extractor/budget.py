"""A time budget per document: an overrun is an error of that document, never a partial record.

Two clocks guard a document, because no single one works everywhere:

- a SIGALRM timer interrupts anything the interpreter runs, regular-expression matching included,
  but only in the main thread of a process, and only when nobody else uses SIGALRM there (a
  caller's own timer is left alone);
- a deadline kept per thread, which the readers check as they step (`check`, called by
  `progress.advanced`, per candidate in each component's document loop and between pipeline
  components), works in any thread: Dask runs tasks in worker threads, a library caller may
  extract from a thread pool. It cannot interrupt one long regular-expression search.

Either way the document ends with `DocumentTimeout`, which the pipeline lets through (it never
turns into a record with a family missing) and the batch engines report with the document's name.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator


class DocumentTimeout(Exception):
    """A document took longer than the per-document time limit."""


class _ThreadBudget(threading.local):
    """This thread's running budget: when it ends (`time.monotonic()`) and how long it was."""

    deadline: float | None = None
    seconds: float = 0.0


_local = _ThreadBudget()


def check() -> None:
    """Raise `DocumentTimeout` when this thread's document is past its budget; cheap otherwise.

    >>> check()  # no budget running: nothing to do
    """
    deadline = _local.deadline
    if deadline is not None and time.monotonic() > deadline:
        raise DocumentTimeout(f"extraction took longer than {_local.seconds:g} s")


@contextmanager
def document_budget(seconds: float | None) -> Iterator[None]:
    """Run the block with a budget of `seconds` (None or 0: no budget); over it, `DocumentTimeout`.

    >>> with document_budget(5):
    ...     1 + 1
    2
    """
    if not seconds or seconds <= 0:
        yield
        return
    outer = _local.deadline, _local.seconds
    _local.deadline, _local.seconds = time.monotonic() + seconds, seconds
    try:
        with _alarm(seconds):
            yield
    finally:
        _local.deadline, _local.seconds = outer


def _alarm_usable() -> bool:
    """SIGALRM is ours to use: POSIX, the main thread, and no other handler or timer installed."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        return False
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    if not _alarm_usable():
        yield
        return
    with raise_after(seconds, lambda: DocumentTimeout(f"extraction took longer than {seconds:g} s")):
        yield


@contextmanager
def raise_after(seconds: float, error: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `error()` in the main thread once `seconds` have passed inside the block (SIGALRM);
    the previous handler comes back after it. The caller makes sure SIGALRM is its to use."""
    def expire(_signum: int, _frame: Any) -> None:
        raise error()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def default_timeout(rules: Any = None) -> float | None:
    """The per-document budget in seconds from `extract.timeout_seconds` in rules/settings.json
    (0 or null: none).

    >>> default_timeout() > 0
    True
    """
    from .rules_loader import load_rules

    value = load_rules(rules).setting("extract", "timeout_seconds")
    return float(value) if value else None
