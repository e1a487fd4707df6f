"""The Dask engine on a real LocalCluster of two worker processes: same records as the serial run."""

from __future__ import annotations

import json

import pytest

from extractor.batch import run_batch
from extractor.cli import main

from .test_batch import corpus_documents, records

distributed = pytest.importorskip("distributed")
dask_bag = pytest.importorskip("dask.bag")

from extractor.batch_dask import extract_bag, extract_jsonl_shards, run_batch_dask  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=40) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def serial_records() -> list[dict]:
    return records(run_batch(corpus_documents(), jobs=1))


def test_engine_gives_the_serial_records_in_order_and_reports_failures(cluster, serial_records):
    docs = corpus_documents()
    docs.insert(3, {"id": "empty-doc"})
    outcomes = list(run_batch_dask(docs, scheduler=cluster.scheduler_address, chunksize=3, window=2))
    assert [o.index for o in outcomes] == list(range(len(docs)))
    failed = [o for o in outcomes if not o.ok]
    assert [(o.index, o.doc_id) for o in failed] == [(3, "empty-doc")]
    assert records(outcomes) == serial_records


def test_extract_bag_maps_documents_to_the_serial_records(client, serial_records):
    bag = dask_bag.from_sequence(corpus_documents() + [{"id": "no-text"}], npartitions=3)
    got = extract_bag(bag, keep_errors=True).compute(scheduler=client.get)
    assert got[:-1] == serial_records
    assert got[-1]["id"] == "no-text" and "error" in got[-1]


def test_jsonl_shards_in_jsonl_shards_out(client, tmp_path, serial_records):
    docs = corpus_documents()
    half = len(docs) // 2
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "part-0.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[:half])
                                         + "{not json\n", encoding="utf-8")
    (inputs / "part-1.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[half:]),
                                         encoding="utf-8")
    reports = extract_jsonl_shards(str(inputs / "*.jsonl"), tmp_path / "out", scheduler=client)
    assert [r.records for r in reports] == [half, len(docs) - half]
    assert reports[0].errors[0]["line"] == half + 1 and "bad JSON" in reports[0].errors[0]["error"]
    assert not reports[1].errors
    written = [json.loads(line) for name in ("part-0.jsonl", "part-1.jsonl")
               for line in (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()]
    assert written == serial_records
    errors = (tmp_path / "out" / "part-0.errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(errors[0])["line"] == half + 1
    assert not (tmp_path / "out" / "part-1.errors.jsonl").exists()


def test_cli_dask_engine_writes_what_the_local_engine_writes(cluster, tmp_path):
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in corpus_documents()), encoding="utf-8")
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert main(["extract", str(source), "-o", str(local)]) == 0
    assert main(["extract", str(source), "-o", str(remote), "--engine", "dask",
                 "--scheduler", cluster.scheduler_address]) == 0
    assert remote.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert len(remote.read_text(encoding="utf-8").splitlines()) == len(corpus_documents())
