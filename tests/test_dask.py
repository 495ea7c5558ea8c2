"""Batches on a Dask cluster: a real LocalCluster of two worker processes on
127.0.0.1 reads and checks the files; the reports, the summary and the corpus
rows are the same bytes as a `--jobs 1` run, also when a worker is killed in
the middle of the batch."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from plancheck import batch, executors
from tests import SAMPLES
from tests.corpus_rows import corpus_rows

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a cluster of worker processes and whole batches

ALL_FORMATS = "html,md,json,csv,xlsx,odt,docx"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as local:
        yield local


@pytest.fixture(scope="module")
def executor(cluster) -> str:
    host, port = cluster.scheduler_address.removeprefix("tcp://").rsplit(":", 1)
    return f"dask://{host}:{port}"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def jobs_1_reports(tmp_path_factory) -> tuple[Path, object]:
    from tests.conftest import run_in_process

    out = tmp_path_factory.mktemp("jobs1") / "out"
    result = run_in_process("check", *map(str, SAMPLES), "--out", str(out), "--format", ALL_FORMATS, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out, result


def test_check_on_the_cluster_writes_the_same_bytes_as_jobs_1(jobs_1_reports, executor, tmp_path, cli):
    expected_dir, expected = jobs_1_reports
    out = tmp_path / "out"
    result = cli("check", *map(str, SAMPLES), "--out", str(out), "--format", ALL_FORMATS, "--executor", executor)
    assert result.returncode == 0, result.stderr
    assert result.stdout.replace(str(out), "OUT") == expected.stdout.replace(str(expected_dir), "OUT")
    files = _files(out)
    assert len(files) == 1 + 7 * (len(SAMPLES) + 1)  # the marker, 7 formats of 5 reports and the summary
    assert files == _files(expected_dir)


def test_a_worker_killed_mid_batch_costs_only_a_retry(jobs_1_reports, cluster, executor, tmp_path):
    expected_dir, _ = jobs_1_reports
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    try:
        pids = sorted(client.run(os.getpid).values())
    finally:
        client.close()
    killed = []

    def kill_one_worker(outcome: batch.Outcome) -> None:
        if not killed:  # at the first result: the other worker is reading its next file
            os.kill(pids[-1], signal.SIGKILL)
            killed.append(pids[-1])

    from outputs.reports import parse_formats

    out = tmp_path / "out"
    settings = batch.BatchSettings(out_dir=out, formats=parse_formats(ALL_FORMATS), executor=executor)
    outcomes = batch.run(batch.tasks_for([str(p) for p in SAMPLES]), settings, kill_one_worker)
    assert killed
    assert [o.failure for o in outcomes] == [None] * len(SAMPLES)
    summary = batch.summarize(outcomes)
    batch.write_summary(summary, settings)
    assert _files(out) == _files(expected_dir)


def test_index_on_the_cluster_writes_the_same_rows_as_jobs_1(executor, tmp_path, cli):
    folder = tmp_path / "plans"
    folder.mkdir()
    for path in SAMPLES:
        (folder / path.name).write_bytes(path.read_bytes())
    one, cluster_db = tmp_path / "one.sqlite", tmp_path / "cluster.sqlite"
    first = cli("index", str(folder), "--db", str(one), "--jobs", "1")
    second = cli("index", str(folder), "--db", str(cluster_db), "--executor", executor)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "新增 5 份" in second.stdout
    rows = corpus_rows(one)
    assert len(rows["plans"]) == len(SAMPLES) and len(rows["measures_fts"]) > 300
    assert corpus_rows(cluster_db) == rows


def test_an_unreachable_or_malformed_executor_is_one_line(tmp_path, cli):
    bad = cli("check", str(SAMPLES[0]), "--out", str(tmp_path / "a"), "--executor", "tcp://127.0.0.1:8786")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "dask://" in bad.stderr
    with pytest.raises(executors.ExecutorError):
        executors.dask_address("dask://127.0.0.1:70000")
    bad_index = cli("index", str(SAMPLES[0]), "--db", str(tmp_path / "c.sqlite"), "--executor", "dask://")
    assert bad_index.returncode == 2 and bad_index.stderr.count("\n") == 1


def test_a_cluster_that_is_not_there_is_one_line(tmp_path, cli, monkeypatch):
    import socket

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "2s")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("check", str(SAMPLES[0]), "--out", str(tmp_path / "out"), "--executor", f"dask://127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "無法連線" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def _ocr_choice(_item) -> str:
    return os.environ.get("PLANCHECK_OCR", "")


def test_the_command_lines_reading_choices_reach_the_workers(executor, monkeypatch):
    monkeypatch.setenv("PLANCHECK_OCR", "off")  # as `plancheck --no-ocr` sets it
    assert [result for _, result in executors.results(_ocr_choice, ["a", "b"], executor=executor)] == ["off", "off"]
