"""Worker hygiene: no orphans after SIGKILL, a clear word for an unguarded script, a clear exit
for an unreachable Dask scheduler, and the time budget on a real Dask cluster."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from extractor.worker_hygiene import check_main_guard, process_alive

from .test_budget import BUDGET, batch_docs

REPO = Path(__file__).resolve().parents[1]
VNEXTRACT = Path(sys.executable).with_name("vnextract")


def children_of(pid: int) -> set[int]:
    """Every descendant of `pid` (read from /proc), transitively."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:  # a process tree is finite and acyclic: each pid is visited once
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
def test_sigkill_of_extract_jobs_2_leaves_no_process_behind(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Sáng {i % 28 + 1}/5, đoàn kiểm tra {i} xã."},
                                       ensure_ascii=False) + "\n" for i in range(200_000)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cli = subprocess.Popen([str(VNEXTRACT), "extract", str(docs), "--jobs", "2", "-o", str(out)],
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not (out.exists() and out.stat().st_size > 0):
            time.sleep(0.2)
        assert out.stat().st_size > 0, "the workers never wrote a record"
        spawned = children_of(cli.pid)
        assert len(spawned) >= 3  # forkserver, resource tracker, workers
        cli.send_signal(signal.SIGKILL)
        cli.wait(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(process_alive(pid) for pid in spawned):
            time.sleep(0.2)
        assert not [pid for pid in spawned if process_alive(pid)]
    finally:
        if cli.poll() is None:
            cli.kill()
        for pid in children_of(cli.pid):
            os.kill(pid, signal.SIGKILL)


SCRIPT = """
    import extractor

    docs = [{{"id": f"d{{i}}", "text": f"Sáng {{i + 1}}/3, họp."}} for i in range(12)]
    {body}
"""


def run_script(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    script = tmp_path / "batch_script.py"
    script.write_text(textwrap.dedent(SCRIPT.format(body=body)), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path)


def test_extract_many_in_an_unguarded_script_says_what_to_do(tmp_path):
    done = run_script(tmp_path, 'print(len(list(extractor.extract_many(docs, jobs=4))))')
    assert done.returncode == 1
    assert "WorkerCrashed" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("extractor.worker_hygiene.UnguardedScript:")
    assert "batch_script.py, line 5" in last and 'if __name__ == "__main__":' in last


def test_extract_many_in_a_guarded_script_runs_four_workers(tmp_path):
    done = run_script(tmp_path, textwrap.dedent("""\
        def main():
            print(len(list(extractor.extract_many(docs, jobs=4))))
        if __name__ == "__main__":
            main()
    """).replace("\n", "\n    "))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "12"


def test_the_guard_check_lets_this_process_through():
    check_main_guard()  # pytest's own entry point is guarded (or a package __main__)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_unreachable_dask_scheduler_is_one_line_exit_2_and_no_output(tmp_path):
    pytest.importorskip("distributed")
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": "Sáng 2/3, họp."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    done = subprocess.run([str(VNEXTRACT), "extract", str(docs), "-o", str(out), "--engine", "dask",
                           "--scheduler", f"tcp://127.0.0.1:{closed_port()}"],
                          capture_output=True, text=True, timeout=120)
    assert time.monotonic() - started < 60  # generous: Dask alone waits 30 s, then prints a traceback
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "no Dask scheduler at tcp://127.0.0.1:" in done.stderr
    assert not out.exists()


def test_the_budget_holds_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed")
    from extractor.batch_dask import run_batch_dask

    with distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=2, dashboard_address=None,
                                  silence_logs=40) as cluster:
        outcomes = list(run_batch_dask(batch_docs(), scheduler=cluster.scheduler_address, timeout=BUDGET,
                                       chunksize=2))
    assert [o.doc_id for o in outcomes if not o.ok] == ["too-long"]
    assert "longer than" in next(o.error for o in outcomes if not o.ok)
    assert len([o for o in outcomes if o.ok]) == 6
