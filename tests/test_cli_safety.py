"""The command line as a clerk meets it in the first week (issue 15, "Command
line"): earlier reports inside the input folder, file permissions, Ctrl-C,
--version, debug on a plan without a table, the published plan schema and
out-of-range numbers. In-process through typer's CliRunner, except where the
process boundary is the point (signals, exit codes of the installed command)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import multiprocessing
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path

import jsonschema
import pytest

from library import json_schemas
from outputs.files import OUTPUT_MARKER, write_atomic
from outputs.reports.summary import BatchSummary
from tests import ROOT, SAMPLES, copy_samples

NO_TABLE = "某機關112年度提升服務品質執行計畫\n\n壹、計畫依據\n依行政院函辦理。\n\n貳、計畫目標\n提升服務品質。\n"


@pytest.fixture
def invoke(cli):
    """``cli`` with any argument as a string."""
    return lambda *args: cli(*map(str, args))


def summary_of(out: Path) -> BatchSummary:
    return BatchSummary.model_validate_json((out / "summary.json").read_text(encoding="utf-8"))


# --- reports of an earlier run inside the input folder --------------------------------------------


def test_report_folders_inside_the_input_are_skipped_and_said_once(invoke, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for sample in SAMPLES[:2]:
        shutil.copy(sample, inbox / sample.name)
    first = invoke("check", inbox, "--out", inbox / "r1", "--format", "md,json,odt", "--jobs", "1")
    assert first.returncode == 0, first.stderr
    assert (inbox / "r1" / OUTPUT_MARKER).is_file()

    second = invoke("check", inbox, "--out", inbox / "r2", "--format", "md,json", "--jobs", "1")
    assert second.returncode == 0, second.stderr
    assert summary_of(inbox / "r2").inputs == 2 and not summary_of(inbox / "r2").failures
    notes = [line for line in second.stderr.splitlines() if "略過" in line]
    assert len(notes) == 1 and str(inbox / "r1") in notes[0]

    # Without --out too: the JSON mode reads the same inputs.
    third = invoke("check", inbox)
    assert third.returncode == 0, third.stderr
    assert len(third.stdout.strip().splitlines()) == 2
    assert sum("略過 2 個" in line for line in third.stderr.splitlines()) == 1

    # And the corpus: index reads the plans, not the reports.
    indexed = invoke("index", inbox, "--db", tmp_path / "c.sqlite")
    assert indexed.returncode == 0, indexed.stderr
    assert "新增 2 份" in indexed.stdout and "失敗 0 份" in indexed.stdout
    assert sum("略過 2 個" in line for line in indexed.stderr.splitlines()) == 1


def test_out_equal_to_an_input_files_folder_is_refused(invoke, tmp_path):
    plan = tmp_path / "box" / SAMPLES[1].name
    plan.parent.mkdir()
    shutil.copy(SAMPLES[1], plan)
    result = invoke("check", plan, "--out", plan.parent)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "輸入檔所在的資料夾" in result.stderr
    assert sorted(p.name for p in plan.parent.iterdir()) == [plan.name]


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_written_files_follow_the_umask(tmp_path, mask, mode):
    """Run in a child process: the umask is process-wide and read once."""
    code = ("import os, sys; os.umask(int(sys.argv[2], 8)); from outputs.files import write_atomic; "
            "write_atomic(sys.argv[1], 'x')")
    target = tmp_path / "report.md"
    subprocess.run([sys.executable, "-c", code, str(target), oct(mask)[2:]], cwd=ROOT, check=True, timeout=120)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_reports_of_a_run_are_not_private_files(invoke, tmp_path):
    current = os.umask(0o022)
    os.umask(current)
    result = invoke("check", SAMPLES[1], "--out", tmp_path / "out", "--format", "json,md")
    assert result.returncode == 0, result.stderr
    expected = 0o666 & ~current
    for path in [*(tmp_path / "out").glob("*.*"), *(tmp_path / "out" / "plans").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    write_atomic(tmp_path / "one.txt", "x")
    assert stat.S_IMODE((tmp_path / "one.txt").stat().st_mode) == expected
    assert invoke("index", SAMPLES[1], "--db", tmp_path / "c.sqlite").returncode == 0
    result = invoke("export-bulk", "--db", tmp_path / "c.sqlite", "-o", tmp_path / "bulk.ndjson")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "bulk.ndjson").stat().st_mode) == expected
    assert len((tmp_path / "bulk.ndjson").read_text(encoding="utf-8").splitlines()) == 2 * 51  # action + document per measure


# --- Ctrl-C ---------------------------------------------------------------------------------------


def _plans_reported(out: Path) -> int:
    return len({p.name.split(".")[0] for p in (out / "plans").iterdir() if not p.name.startswith(".")})


def _interrupted_run(tmp_path: Path, signals: int) -> tuple[int, Path, str, int]:
    """A --jobs 2 batch of 60 plans in all seven formats, sent Ctrl-C (SIGINT to
    its whole process group, as a terminal does) once its first report is out."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for copy in range(12):  # 60 plans: under load the batch must still be running when Ctrl-C comes
        for sample in SAMPLES:
            shutil.copy(sample, inbox / f"{copy}-{sample.name}")
    out = tmp_path / "out"
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w") as err:
        process = subprocess.Popen([sys.executable, "-m", "plancheck", "check", str(inbox), "--out", str(out),
                                    "--format", "html,md,json,csv,xlsx,odt,docx", "--jobs", "2"],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
                                   # as from a terminal: a test worker (xdist) or an earlier in-process batch may
                                   # ignore SIGINT, and an ignored signal stays ignored across exec
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 600  # only a broken run takes this long to write one report
    while not list((out / "plans").glob("*.json")):
        assert process.poll() is None and time.monotonic() < deadline, "the batch never wrote a report"
        time.sleep(0.05)
    reported = _plans_reported(out)
    for _ in range(signals):
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(0.2)
    code = process.wait(timeout=300)  # a hang, and only a hang, gets here
    return reported, out, stderr.read_text(encoding="utf-8"), code


@pytest.mark.slow
@pytest.mark.parametrize("signals", [1, 2])
def test_ctrl_c_stops_the_batch_cleanly(tmp_path, signals):
    reported, out, stderr, code = _interrupted_run(tmp_path, signals)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "已中斷" in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "half-written files were left"
    assert not list(out.glob("summary.*"))
    # Stopped at once: no plan was started after Ctrl-C (at most the two that
    # the two workers had in hand when it came may have been finished).
    assert _plans_reported(out) <= reported + 2, "the batch went on after Ctrl-C"
    for report in (out / "plans").glob("*.json"):  # what was written is whole
        json.loads(report.read_text(encoding="utf-8"))


def _sent_ctrl_c(_outcome) -> None:
    """As a terminal's Ctrl-C reaches the process while the batch is running."""
    os.kill(os.getpid(), signal.SIGINT)


def _interrupted_batch(tmp_path: Path) -> None:
    from plancheck import batch

    settings = batch.BatchSettings(out_dir=tmp_path / "out", formats=("json",), jobs=2)
    batch.run(batch.tasks_for([str(p) for p in copy_samples(tmp_path / "in")]), settings, _sent_ctrl_c)


def _interrupted_index(tmp_path: Path) -> None:
    from corpus import store
    from library import index_files
    from plancheck.executors import index_reader

    workers = index_reader(2, None)

    def read_many(read, paths):  # Ctrl-C comes while the workers read (plans are written later, in batches)
        for prepared in workers(read, paths):
            _sent_ctrl_c(prepared)
            yield prepared

    conn = store.connect(tmp_path / "corpus.sqlite", create=True)
    try:
        index_files(conn, copy_samples(tmp_path / "in"), read_many=read_many)
    finally:
        conn.close()


@pytest.mark.parametrize("interrupted", [_interrupted_batch, _interrupted_index], ids=["check", "index"])
def test_an_interrupted_batch_in_process_gives_back_the_ctrl_c_handler(tmp_path, interrupted):
    """A web server or a notebook that runs a batch with worker processes and is
    sent Ctrl-C: the stop path ignores a second Ctrl-C while it kills the
    workers, and afterwards the process's own handler is back."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be set in the main thread")

    def own_handler(signum, frame):
        raise KeyboardInterrupt

    # The caller's own child process is none of the batch's business.
    own_child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(600,), daemon=True)
    own_child.start()
    before = signal.signal(signal.SIGINT, own_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            interrupted(tmp_path)
        assert signal.getsignal(signal.SIGINT) is own_handler
        assert own_child.is_alive(), "stopping the batch killed a process that was not its worker"
    finally:
        signal.signal(signal.SIGINT, before)
        own_child.kill()
        own_child.join()
    assert not multiprocessing.active_children(), "the workers outlived the interrupted batch"


# --- --version, debug, schema, numbers ------------------------------------------------------------


def test_version(invoke):
    result = invoke("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"plancheck {version('plancheck')}"


def test_debug_on_a_file_without_a_table_says_what_it_saw(invoke, tmp_path):
    plan = tmp_path / "no-table.txt"
    plan.write_text(NO_TABLE, encoding="utf-8")
    result = invoke("debug", plan)
    assert result.returncode == 0, result.stderr
    assert "no measure table" in result.stdout and "貳、計畫目標" in result.stdout and "5 paragraphs" in result.stdout
    assert "read by: " in result.stdout  # and which rung of the reading ladder read it


def test_published_schemas_are_the_models():
    for name, text in json_schemas().items():
        published = (ROOT / "docs" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert published == text, f"docs/schema/{name}.schema.json is stale: run `make schema`"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name[:3])
def test_extract_json_follows_the_published_schema(invoke, sample):
    schema = json.loads((ROOT / "docs" / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    result = invoke("extract", sample, "--format", "json")
    assert result.returncode == 0, result.stderr
    jsonschema.validate(json.loads(result.stdout), schema)


def test_check_json_follows_the_published_schema(invoke):
    schema = json.loads((ROOT / "docs" / "schema" / "check-report.schema.json").read_text(encoding="utf-8"))
    result = invoke("check", SAMPLES[0])
    assert result.returncode == 0, result.stderr
    jsonschema.validate(json.loads(result.stdout), schema)


@pytest.mark.parametrize("args", [
    ("check", SAMPLES[0], "--out", "OUT", "--jobs", str(10**30)),
    ("check", SAMPLES[0], "--jobs", "-1"),
    ("serve", "--port", str(10**30)),
    ("check", SAMPLES[0], "--no-such-option"),
])
def test_bad_numbers_and_options_get_one_line(cli_process, args, tmp_path):
    result = cli_process(*(str(tmp_path / "out") if a == "OUT" else str(a) for a in args))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"plancheck {args[0]}: ")
    assert not (tmp_path / "out").exists()
