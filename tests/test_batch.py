"""`plancheck check PATH... --out DIR` as the secretariat runs it: a folder of
plans in (the sample corpus plus broken files), a report per readable plan and
one summary out, a failure list for the rest; deterministic, parallel-safe,
never over an input, safe names for any input name, exit codes for scripts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from outputs.reports.summary import BatchSummary
from plancheck import batch

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
SEED = SAMPLES[1]
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
BROKEN = {
    "empty.txt": "檔案是空的",
    "binary.pdf": "二進位資料",
    "old.doc": "損壞",  # an OLE2 header with nothing valid behind it
}
FORMATS = "json,csv,html,md,xlsx,odt,docx"
# A readable plan without a measure table is read down the ladder, not refused.
NO_TABLE = "no-table.txt"



def summary_of(out: Path) -> BatchSummary:
    return BatchSummary.model_validate_json((out / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """inbox/: the five samples, a broken/ folder, and files that are not plans."""
    base = tmp_path_factory.mktemp("batch")
    folder = base / "inbox"
    (folder / "broken").mkdir(parents=True)
    for sample in SAMPLES:
        shutil.copy(sample, folder / sample.name)
    (folder / "broken" / "empty.txt").write_bytes(b"")
    (folder / "broken" / "binary.pdf").write_bytes(bytes(range(256)) * 16)
    (folder / NO_TABLE).write_text(
        "某機關112年度提升服務品質執行計畫\n\n壹、計畫依據\n依行政院函辦理。\n\n貳、計畫目標\n提升服務品質。\n", encoding="utf-8")
    (folder / "broken" / "old.doc").write_bytes(OLE_MAGIC + bytes(1024))
    (folder / "notes.pptx").write_bytes(b"not a plan format: ignored")
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (folder / "~$lock.docx").write_bytes(b"Word lock file: ignored")
    return folder


@pytest.fixture(scope="module")
def runs(cli, inbox) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """The same batch three times, from the inbox's parent with a relative path:
    --jobs 1, --jobs 2 and --jobs 2 again, each into its own folder."""
    results = {}
    for name, jobs in (("one", "1"), ("two", "2"), ("again", "2")):
        out = inbox.parent / f"out-{name}"
        results[name] = (cli("check", "inbox", "--out", str(out), "--format", FORMATS, "--jobs", jobs, cwd=inbox.parent), out)
    return results


def test_good_plans_get_reports_and_bad_ones_a_failure_list(runs):
    result, out = runs["one"]
    assert result.returncode == 1, result.stderr
    summary = summary_of(out)
    assert [p.path for p in summary.plans] == [f"inbox/{s.name}" for s in SAMPLES] + [f"inbox/{NO_TABLE}"]
    assert {f.path for f in summary.failures} == {f"inbox/broken/{name}" for name in BROKEN}
    for failure in summary.failures:
        assert BROKEN[Path(failure.path).name] in failure.reason
    assert (summary.inputs, summary.checked, summary.failed) == (9, 6, 3)
    for plan in summary.plans:
        assert set(plan.reports) == set(FORMATS.split(","))
        for relative in plan.reports.values():
            assert (out / relative).is_file()
        report = json.loads((out / plan.reports["json"]).read_text(encoding="utf-8"))
        assert report["source"]["path"] == plan.path and len(report["items"]) == len(plan.statuses)
    assert len(list((out / "plans").iterdir())) == 6 * len(FORMATS.split(","))
    no_table = next(plan for plan in summary.plans if plan.path.endswith(NO_TABLE))
    report = json.loads((out / no_table.reports["json"]).read_text(encoding="utf-8"))
    assert report["measure_count"] == 0
    assert any(f["code"] == "READ-METHOD" and "未找到措施表" in f["message"] for f in report["findings"])


def test_each_failure_is_one_line_on_stderr_and_no_progress_bar_without_a_terminal(runs):
    result, out = runs["one"]
    lines = result.stderr.splitlines()
    assert len(lines) == len(BROKEN)
    for line, name in zip(lines, sorted(BROKEN)):
        assert line.startswith(f"plancheck: inbox/broken/{name}: ") and BROKEN[name] in line
    assert result.stdout.count("\n") == 1 and "已檢查 6 份計畫" in result.stdout


def test_same_inputs_give_identical_bytes_in_every_format_whatever_the_jobs(runs):
    """JSON and CSV as the contract asks, and the others too (zip members and
    document stamps are fixed), so re-running a batch rewrites nothing new."""
    reference = runs["one"][1]
    names = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file())
    assert any(n.suffix == ".csv" for n in names) and any(n.suffix == ".json" for n in names)
    for other in ("two", "again"):
        out = runs[other][1]
        assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == names
        for name in names:
            assert (out / name).read_bytes() == (reference / name).read_bytes(), (other, name)


def test_outputs_hold_no_absolute_or_temporary_paths(runs, inbox):
    for _, out in runs.values():
        for path in out.rglob("*"):
            if path.suffix in (".json", ".csv", ".md", ".html"):
                text = path.read_text(encoding="utf-8-sig")
                assert str(out) not in text and str(inbox) not in text and "/tmp" not in text, path


def test_fail_on_turns_gaps_into_exit_3(cli, inbox, tmp_path):
    plans = [str(inbox / s.name) for s in SAMPLES]
    plain = cli("check", *plans, "--out", str(tmp_path / "a"), "--format", "json")
    assert plain.returncode == 0, plain.stderr
    summary = summary_of(tmp_path / "a")
    has_missing = any(p.counts.missing for p in summary.plans)
    has_partial = any(p.counts.partial for p in summary.plans)
    assert has_missing and has_partial  # the samples do have gaps, so the codes below are exercised
    assert cli("check", *plans, "--out", str(tmp_path / "b"), "--format", "json", "--fail-on", "missing").returncode == 3
    assert cli("check", *plans, "--out", str(tmp_path / "c"), "--format", "json", "--fail-on", "partial").returncode == 3
    # A plan without missing items passes --fail-on missing; an unreadable input still gives 1, not 3.
    clean = next((p for p in summary.plans if not p.counts.missing), None)
    if clean is not None:
        assert cli("check", clean.path, "--out", str(tmp_path / "d"), "--fail-on", "missing").returncode == 0
    assert cli("check", str(inbox), "--out", str(tmp_path / "e"), "--format", "json", "--fail-on", "missing").returncode == 1


def test_fail_on_in_single_file_json_mode_keeps_stdout(cli, inbox):
    result = cli("check", str(inbox / SEED.name), "--fail-on", "partial")
    report = json.loads(result.stdout)
    assert result.returncode == (3 if any(v["status"] in ("partial", "missing") for v in report["items"]) else 0)


def test_any_input_name_gets_a_safe_unique_output_name(cli, tmp_path):
    names = [
        "<script>alert(1)</script>.txt".replace("/", "／"), "=cmd|' -C calc'!A0.txt", "a:b*c?.txt", "CON.txt",
        "   .txt", "_..txt", "計畫" * 40 + ".txt", "\U00020000" * 60 + ".txt", "tab\tnew\nline\x01.txt",
        "a/plan.txt", "b/plan.txt", "b/PLAN.TXT",
    ]
    folder = tmp_path / "weird"
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEED, folder / name)
    results = [cli("check", "weird", "--out", str(tmp_path / out), "--format", FORMATS, "--jobs", "2", cwd=tmp_path)
               for out in ("out1", "out2")]
    assert [r.returncode for r in results] == [0, 0], results[0].stderr
    produced = sorted(p.name for p in (tmp_path / "out1" / "plans").iterdir())
    assert produced == sorted(p.name for p in (tmp_path / "out2" / "plans").iterdir())  # the same names every run
    assert len(produced) == len(FORMATS.split(",")) * len(names) and len({n.casefold() for n in produced}) == len(produced)
    for name in produced:
        assert len(name.encode("utf-8")) <= 255 and not name.startswith(".")
        assert all(ch not in name for ch in '<>:"/\\|?*\'=!') and name.split(".")[0].upper() != "CON"
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and "weird" not in p.parts and "out1" not in p.parts
               and "out2" not in p.parts]
    assert outside == []
    summary = summary_of(tmp_path / "out1")
    assert sorted(p.path for p in summary.plans) == sorted(f"weird/{n}" for n in names)


def test_an_input_is_never_overwritten(cli, tmp_path):
    folder = tmp_path / "box"
    (folder / "plans").mkdir(parents=True)
    plan = folder / "plans" / "seed.md"  # where its own Markdown report under --out box would go
    shutil.copy(SEED, plan)
    before = plan.read_bytes()
    result = cli("check", str(plan), "--out", str(folder), "--format", "json,md")
    assert result.returncode == 1
    assert f"plancheck: {plan}: 拒絕覆寫輸入檔（{plan}）" in result.stderr
    assert plan.read_bytes() == before
    assert (folder / "summary.json").is_file()
    # An input beside the summary: --out is that input's own folder, refused outright.
    beside = folder / "summary.md"
    shutil.copy(SEED, beside)
    assert cli("check", str(beside), "--out", str(folder), "--format", "md").returncode == 2
    assert beside.read_bytes() == before


def test_out_cannot_be_an_input_folder_and_is_never_searched(cli, inbox, tmp_path):
    result = cli("check", str(inbox), "--out", str(inbox))
    assert result.returncode == 2 and "輸出資料夾" in result.stderr
    folder = tmp_path / "box"
    shutil.copytree(inbox, folder, ignore=shutil.ignore_patterns("broken"))
    for _ in range(2):  # the second run must not check the first run's reports
        result = cli("check", str(folder), "--out", str(folder / "reports"), "--format", "md,html,json")
        assert result.returncode == 0, result.stderr
        assert summary_of(folder / "reports").inputs == len(SAMPLES) + 1  # the samples and no-table.txt


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("check", str(SEED), "--out", str(tmp_path), "--format", "pdf").returncode == 2
    assert cli("check", str(SEED), "--format", "html").returncode == 2
    assert cli("check", str(SEED), "--out", str(tmp_path), "--corpus-db", str(tmp_path / "none.sqlite")).returncode == 2
    assert cli("check", str(SEED), "--out", str(tmp_path), "--fail-on", "sometimes").returncode == 2


def test_missing_paths_and_empty_folders_are_failures(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("check", str(tmp_path / "nope.pdf"), str(tmp_path / "empty"), str(SEED), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    summary = summary_of(tmp_path / "out")
    assert summary.checked == 1 and {Path(f.path).name for f in summary.failures} == {"nope.pdf", "empty"}


_PROCESS = batch.process


def _crash_on(task: batch.Task, settings: batch.BatchSettings) -> batch.PlanResult:
    """A worker that dies outright (as a segfaulting PDF library would) on one file."""
    if Path(task.path).name == "crash.txt":
        os._exit(70)
    return _PROCESS(task, settings)


def test_a_crashing_worker_loses_only_its_own_file(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "crash.txt", "b.txt"):
        shutil.copy(SEED, folder / name)
    monkeypatch.setattr(batch, "process", _crash_on)  # forked workers inherit the patch
    settings = batch.BatchSettings(out_dir=tmp_path / "out", formats=("json",), jobs=2)
    outcomes = batch.run(batch.tasks_for(sorted(str(p) for p in folder.iterdir())), settings)
    assert [Path(o.path).name for o in outcomes] == ["a.txt", "b.txt", "crash.txt"]
    assert [o.report is not None for o in outcomes] == [True, True, False]
    assert "工作程序異常終止" in outcomes[2].failure.reason


def test_output_stems_are_unique_stable_and_independent_of_order():
    paths = ["x/報告.txt", "y/報告.pdf", "z/other.md", "CON.txt", "w/Other.MD"]
    stems = batch.output_stems(paths)
    assert stems == batch.output_stems(list(reversed(paths)))
    assert len({s.casefold() for s in stems.values()}) == len(paths)
    assert stems["CON.txt"] == "CON_" and stems["x/報告.txt"].startswith("報告-")
