"""Worker processes that behave: they never outlive the process that started them, and a script
that would make every worker crash is told what to do before any starts.

- A parent killed with SIGKILL runs no cleanup. Its pool's workers, and with them the forkserver
  and the resource tracker (which live as long as any worker holds their pipes), would stay
  forever: each worker watches its parent and exits when it is gone (`watch_parent`).
- forkserver and spawn workers import the caller's script again to find what it defines. A script
  that starts workers at its top level, without `if __name__ == "__main__":`, would start them
  again from each worker, and Python refuses, so every document would end in a crash
  (`WorkerCrashed`): `check_main_guard` finds that case from the script's own syntax tree.
"""

from __future__ import annotations

import ast
import os
import sys
import threading
import time


class UnguardedScript(RuntimeError):
    """Worker processes asked for at the top level of a script without `if __name__ == "__main__":`."""


def check_main_guard() -> None:
    """Refuse to start worker processes from a script's top level without the main guard.

    Every worker process imports the caller's script again (forkserver and spawn both do, to find
    what the script defines); unguarded, that import starts workers again, and Python kills it,
    so every document would end in a crash. Found before any process starts, by reading where the
    script's top-level code is now: inside `if __name__ == "__main__":` or not. `python -m
    package` entry points (`package/__main__.py`) are not imported again and pass.

    >>> check_main_guard()  # this process's entry point is guarded (or a package's __main__)
    """
    main = sys.modules.get("__main__")
    if main is None:
        return
    if getattr(main, "__name__", None) == "__mp_main__":  # we are such a re-import ourselves
        raise UnguardedScript(_UNGUARDED.format(where=getattr(main, "__file__", "the main module")))
    spec_name = getattr(getattr(main, "__spec__", None), "name", None)
    path = getattr(main, "__file__", None)
    if not path or (spec_name is not None and spec_name.split(".")[-1] == "__main__"):
        return  # an interactive session, or a package's __main__ (never imported again)
    frame = sys._getframe()
    while frame is not None and not (frame.f_globals is vars(main) and frame.f_code.co_name == "<module>"):
        frame = frame.f_back
    if frame is None:
        return  # not called from the script's top-level code (a thread, a callback)
    line = frame.f_lineno
    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return
    if not any(_is_main_guard(node) and node.body[0].lineno <= line <= (node.end_lineno or line)
               for node in tree.body):
        raise UnguardedScript(_UNGUARDED.format(where=f"{path}, line {line},"))


_UNGUARDED = ("worker processes (jobs > 1) were asked for at the top level of {where} outside "
              "`if __name__ == \"__main__\":`. Each worker imports the script again, which would start "
              "workers again: put the code that runs the batch under `if __name__ == \"__main__\":` "
              "(see README, Library), or use jobs=1.")


def _is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either operand order)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare) or len(node.test.ops) != 1 \
            or not isinstance(node.test.ops[0], ast.Eq):
        return False
    sides = [node.test.left, node.test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    values = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]


# How often a worker checks that the process that started the pool is still there.
PARENT_CHECK_SECONDS = 1.0
_watching_parent = False


def watch_parent(parent_pid: int) -> None:
    """In a worker: exit as soon as the process that started the pool is gone. A parent killed
    with SIGKILL runs no cleanup, and the workers (and the forkserver and resource tracker,
    which live as long as any worker) would otherwise stay forever. A daemon thread checks
    every `PARENT_CHECK_SECONDS`; its loop ends when the parent does.

    >>> watch_parent(os.getpid())  # a process is not its own parent: nothing to watch
    """
    global _watching_parent
    if _watching_parent or parent_pid == os.getpid():
        return
    _watching_parent = True

    def watch() -> None:
        while process_alive(parent_pid):
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="vnextract-parent-watch", daemon=True).start()


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (killed, not yet reaped).

    >>> process_alive(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): existence is all we know
    return state not in (b"Z", b"X")
