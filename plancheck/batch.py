"""Checking a folder of plans: collect the inputs, check them in parallel worker
processes, write a report per plan and one summary.

    collect_inputs → output_stems → run (library.check_file and write_reports per input) → write_summary

One unreadable file never stops the batch: every failure becomes a row of the
summary and a line on stderr. Outputs are deterministic (sorted by path, no
timestamps, no absolute temporary paths), written atomically and never over an
input."""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import library
from extractor.readers import plan_extensions
from extractor.readers.archive import list_archive
from extractor.errors import PlanError
from models import CheckReport
from outputs.files import is_output_folder, remove_partial_files, safe_stem
from outputs.reports import build_summary
from outputs.reports.summary import BatchSummary
from plancheck import executors
from plancheck.errors import reason_text
from plancheck.options import EXIT_GAPS, EXIT_INTERRUPTED, MAX_JOBS, FailOn  # noqa: F401 (the batch's options)

PLAN_SUFFIXES = frozenset(plan_extensions())
# Names Windows will not create, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_CONTROL = re.compile("[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str

    @property
    def line(self) -> str:
        """The one line printed on stderr (docs/cli.md); control characters
        in a file name would break it, so they show as "?"."""
        return _CONTROL.sub("?", f"plancheck: {self.path}: {self.reason}")


@dataclass(frozen=True)
class BatchSettings:
    out_dir: Path
    formats: tuple[str, ...]
    profile: object | None = None  # a checks.Profile, a profile name or file, None for the default
    corpus_db: Path | None = None
    jobs: int = 1
    protected: frozenset[Path] = frozenset()  # resolved input paths: never written over
    executor: str | None = None  # dask://HOST:PORT: read and check on that cluster

    @property
    def target(self) -> library.ReportTarget:
        return library.ReportTarget(self.out_dir, self.formats, self.protected)


@dataclass(frozen=True)
class Task:
    path: str  # the input as given, folders expanded: also the report's source.path
    stem: str  # the unique, safe name of its report files


@dataclass
class PlanResult:
    """One input of a batch: its report and the report files written, or why it failed."""

    path: str
    report: CheckReport | None = None
    reports: dict[str, str] = field(default_factory=dict)  # format → file relative to out_dir
    failure: Failure | None = None


# --- collecting inputs --------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    """Dot files and Word's ~$ lock files are never plans."""
    return name.startswith((".", "~$"))


@dataclass
class Inputs:
    files: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)  # missing paths, folders without plans
    skipped: list[str] = field(default_factory=list)  # folders of reports plancheck wrote

    @property
    def skipped_note(self) -> str | None:
        return library.skipped_note(self.skipped)


def _walk(folder: Path, exclude: Path | None, skipped: list[str]) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        kept = []
        for name in sorted(d for d in dirs if not _hidden(d)):
            candidate = root_path / name
            if is_output_folder(candidate):
                skipped.append(str(candidate))
            elif exclude is None or candidate.resolve() != exclude:
                kept.append(name)
        dirs[:] = kept
        found += [root_path / name for name in sorted(files)
                  if not _hidden(name) and Path(name).suffix.lower() in PLAN_SUFFIXES]
    return found


def _no_plans(where: str) -> str:
    return f"此{where}中沒有計畫檔（{' '.join(plan_extensions())}）"


def expand_archive(path: Path) -> tuple[list[str], list[Failure]] | None:
    """The members of a zip of plans (by its content) as inputs, and the
    members refused; None when ``path`` is not one."""
    try:
        listing = list_archive(path)
    except PlanError as error:
        return [], [Failure(str(path), reason_text(error))]
    except OSError:
        return None  # unreadable or missing: checking it says why
    if listing is None:
        return None
    failures = [Failure(member, reason) for member, reason in listing.refused]
    if not listing.members and not failures:
        failures.append(Failure(str(path), _no_plans("壓縮檔")))
    return listing.members, failures


def expand_paths(paths: Iterable[Path], exclude: Path | None = None) -> Inputs:
    """Each path in the order given, a folder replaced by the plan files below it
    (sorted), a zip of plans by its members (archive.zip/folder/plan.docx), and
    the folders and archives that held none. A folder plancheck wrote reports
    into (it holds the output marker) is skipped, and so is ``exclude`` (the
    output folder), so a later run does not read reports as plans. A path that
    does not exist is kept: checking it reports it missing."""
    exclude = exclude.resolve() if exclude else None
    inputs = Inputs()
    for path in paths:
        if path.is_dir() and is_output_folder(path):
            inputs.skipped.append(str(path))
            continue
        if path.is_dir():
            found = _walk(path, exclude, inputs.skipped)
            if not found:
                inputs.failures.append(Failure(str(path), _no_plans("資料夾")))
        else:
            found = [path]
        for candidate in found:
            members = expand_archive(candidate) if candidate.is_file() else None
            if members is None:
                inputs.files.append(str(candidate))
            else:
                inputs.files += members[0]
                inputs.failures += members[1]
    return inputs


def collect_inputs(paths: Iterable[Path], exclude: Path | None = None) -> Inputs:
    """The inputs of a batch: ``expand_paths``, sorted, each file once."""
    inputs = expand_paths(paths, exclude)
    unique: dict[Path, str] = {}
    for file in inputs.files:
        unique.setdefault(Path(file).resolve(), file)
    inputs.files = sorted(unique.values())
    return inputs


MAX_STEM_BYTES = 150  # file names are limited to 255 bytes; leave room for a suffix and the extension


def _base_stem(path: str) -> str:
    stem = safe_stem(Path(path).name)
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    return f"{stem}_" if stem.upper() in _RESERVED else stem


def output_stems(paths: Sequence[str]) -> dict[str, str]:
    """A unique, safe file-name stem per input. Names that would clash (also
    case-insensitively, for Windows and macOS shares) get a suffix from a hash of
    the input's path, so the same inputs always get the same names.

    >>> output_stems(["a/plan.txt", "b/Plan.pdf", "c/other.md"])
    {'a/plan.txt': 'plan-ee311f09', 'b/Plan.pdf': 'Plan-8d10ddb5', 'c/other.md': 'other'}
    """
    base = {path: _base_stem(path) for path in paths}
    clashes = Counter(stem.casefold() for stem in base.values())
    stems = {}
    for path, stem in base.items():
        if clashes[stem.casefold()] > 1:
            stem = f"{stem}-{hashlib.sha1(path.encode('utf-8')).hexdigest()[:8]}"
        stems[path] = stem
    if len({s.casefold() for s in stems.values()}) < len(stems):  # a hash suffix met a real name
        stems = {path: f"{base[path]}-{hashlib.sha1(path.encode('utf-8')).hexdigest()}" for path in paths}
    return stems


# --- checking one plan (runs in a worker process) ---------------------------------------------


def checked(task: Task, settings: BatchSettings) -> PlanResult:
    """Read and check one input, writing nothing (where the reading runs: a
    worker here or on a cluster); any failure is returned, not raised."""
    try:
        return PlanResult(task.path, library.check_file(task.path, settings.profile))
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return PlanResult(task.path, failure=Failure(task.path, reason_text(error)))


def written(result: PlanResult, task: Task, settings: BatchSettings) -> PlanResult:
    """A checked input with other plans' wording added and its reports written."""
    if result.report is None:
        return result
    try:
        report, note = library.with_exemplars(result.report, settings.corpus_db)
        return PlanResult(task.path, report, library.write_reports(report, task.stem, settings.target, note,
                                                                   exemplars_asked=settings.corpus_db is not None))
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return PlanResult(task.path, failure=Failure(task.path, reason_text(error)))


def process(task: Task, settings: BatchSettings) -> PlanResult:
    """Check one input and write its reports; any failure is returned, not raised."""
    return written(checked(task, settings), task, settings)


# --- running the batch --------------------------------------------------------------------------


def _crashed(task: Task) -> PlanResult:
    return PlanResult(task.path, failure=Failure(task.path, executors.WORKER_CRASHED))


def run(tasks: Sequence[Task], settings: BatchSettings,
        on_done: Callable[[PlanResult], None] = lambda _: None) -> list[PlanResult]:
    """Check every task, ``settings.jobs`` at a time here or on the cluster of
    ``settings.executor``; outcomes sorted by path.

    Worker processes here check and write their plans' reports; a cluster's
    workers only read and check, and this process writes what they send back,
    with the same functions, so the files are the same bytes. A worker that
    dies costs only its files' retry (plancheck.executors); a file that kills
    every worker it is given is reported failed."""
    remote = settings.executor is not None
    work = partial(checked if remote else process, settings=settings)
    outcomes = []
    for task, outcome in executors.results(work, tasks, settings.jobs, settings.executor):
        if outcome is executors.LOST:
            outcome = _crashed(task)
        elif remote:
            outcome = written(outcome, task, settings)
        outcomes.append(outcome)
        on_done(outcome)
    return sorted(outcomes, key=lambda outcome: outcome.path)


def summarize(outcomes: Sequence[PlanResult], failures: Sequence[Failure] = ()) -> BatchSummary:
    checked = [(o.report, o.reports) for o in outcomes if o.report is not None]
    failed = [(f.path, f.reason) for f in [*failures, *(o.failure for o in outcomes if o.failure)]]
    return build_summary(checked, failed)


def write_summary(summary: BatchSummary, settings: BatchSettings) -> tuple[list[Path], list[Failure]]:
    """Write the summary in every format; a format whose file would replace an
    input is refused and reported, the others are still written."""
    written, refused = library.write_summary(summary, settings.target)
    return written, [Failure(str(path), "拒絕覆寫輸入檔，總表未寫入該處")
                     for path in refused]


def tasks_for(paths: Sequence[str]) -> list[Task]:
    stems = output_stems(paths)
    return [Task(path, stems[path]) for path in paths]


def gaps_reached(reports: Iterable[CheckReport], fail_on: str | None) -> bool:
    """Whether any plan has a verdict at or below ``fail_on``: ``missing``
    counts missing items, ``partial`` partial and missing ones."""
    if fail_on is None:
        return False
    bad = {"missing"} if fail_on == "missing" else {"missing", "partial"}
    return any(v.status in bad for report in reports for v in report.items)


# --- the command-line side ------------------------------------------------------------------------

class UsageError(ValueError):
    """Options that cannot work together: exit code 2."""


def settings_for(paths: Sequence[Path], out_dir: Path, formats: tuple[str, ...], profile: object | None,
                 corpus_db: Path | None, jobs: int | None, executor: str | None = None) -> BatchSettings:
    """Validate the options that depend on each other and the file system."""
    if executor is not None:
        try:
            executors.dask_address(executor)
        except executors.ExecutorError as error:
            raise UsageError(str(error)) from None
    out_resolved = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir}: 不是資料夾")
    if any(path.is_dir() and path.resolve() == out_resolved for path in paths):
        raise UsageError(f"--out {out_dir}: 輸出資料夾不可就是輸入資料夾（請改用其他資料夾或其子資料夾）")
    if any(path.is_file() and path.resolve().parent == out_resolved for path in paths):
        raise UsageError(f"--out {out_dir}: 輸出資料夾不可就是輸入檔所在的資料夾（請改用其他資料夾或其子資料夾）")
    if corpus_db is not None and not corpus_db.is_file():
        raise UsageError(f"--corpus-db {corpus_db}: 找不到語料庫檔案（請先執行 plancheck index）")
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    return BatchSettings(out_dir=out_dir, formats=formats, profile=profile, corpus_db=corpus_db, jobs=workers,
                         executor=executor)


def _progress(total: int):
    """A progress bar on stderr when it is a terminal; nothing otherwise. No
    refresh thread (auto_refresh off), so worker processes are never forked
    while another thread holds a lock."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    @contextmanager
    def bar():
        console = Console(stderr=True)
        if not console.is_terminal or total == 0:
            yield lambda outcome: None
            return
        with Progress(TextColumn("檢查中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=console, transient=True, auto_refresh=False) as progress:
            task = progress.add_task("", total=total)

            def done(outcome: PlanResult) -> None:
                progress.update(task, advance=1, description=Path(outcome.path).name)
                progress.refresh()

            progress.refresh()
            yield done

    return bar()


def check_batch(paths: Sequence[Path], settings: BatchSettings, fail_on: str | None,
                echo: Callable[[str], None], error: Callable[[str], None]) -> int:
    """Check every plan under ``paths`` into ``settings.out_dir``; the exit code
    of docs/cli.md (0, or 1 when an input could not be processed), or
    EXIT_GAPS when every input was processed and ``fail_on`` was reached."""
    inputs = collect_inputs(paths, exclude=settings.out_dir)
    files, failures = inputs.files, inputs.failures
    if inputs.skipped_note:
        error(inputs.skipped_note)
    protected = frozenset(Path(f).resolve() for f in files)
    if settings.corpus_db is not None:
        protected |= {settings.corpus_db.resolve()}
    settings = BatchSettings(**{**settings.__dict__, "protected": protected})
    with _progress(len(files)) as on_done:
        outcomes = run(tasks_for(files), settings, on_done)
    summary = summarize(outcomes, failures)
    problems = sorted([*failures, *(o.failure for o in outcomes if o.failure)], key=lambda f: f.path)
    written, refused = write_summary(summary, settings)
    problems += refused
    for problem in problems:
        error(problem.line)
    echo(f"已檢查 {summary.checked} 份計畫，{len(problems)} 項無法處理；報告寫入 {settings.out_dir}"
         + (f"（總表：{', '.join(p.name for p in written)}）" if written else ""))
    if problems:
        return 1
    return EXIT_GAPS if gaps_reached((o.report for o in outcomes if o.report), fail_on) else 0


DEFAULT_FORMATS = ("html", "json", "csv", "xlsx")


def command(paths: Sequence[Path], out_dir: Path, formats: str | None, jobs: int | None, fail_on: str | None,
            profile: object | None, corpus_db: Path | None, executor: str | None = None) -> int:
    """``plancheck check PATH... --out DIR``: the exit code, with usage errors
    (unknown format, --out on an input folder, missing corpus) as 2."""
    import sys

    from outputs.reports import UnknownFormat, parse_formats

    try:
        chosen = parse_formats(formats) if formats else DEFAULT_FORMATS
        settings = settings_for(paths, out_dir, chosen, profile, corpus_db, jobs, executor)
    except (UnknownFormat, UsageError) as error:
        print(f"plancheck: {error}", file=sys.stderr)
        return 2
    started = time.time()
    # The process ends with the batch: after Ctrl-C, a second one stays ignored until it does.
    with executors.interrupts_restored(restore=False):
        try:
            return check_batch(paths, settings, fail_on, print, lambda line: print(line, file=sys.stderr))
        except executors.ExecutorError as error:  # the cluster could not be reached
            print(f"plancheck: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            executors.ignore_further_interrupts()
            remove_partial_files(settings.out_dir, started)
            print("plancheck: 已中斷；已寫出的報告完整可用，寫到一半的檔案已刪除，總表未更新", file=sys.stderr)
            return EXIT_INTERRUPTED
