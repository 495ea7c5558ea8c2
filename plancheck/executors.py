"""Where a batch's files are read and checked: here, in worker processes on
this machine (``--jobs N``), or on the workers of a Dask cluster (``--executor
dask://HOST:PORT``). Every way hands each result back to this process, the one
writer of reports and of the corpus, so the outputs do not depend on where the
reading ran.

    results(function, items, jobs, executor) → (item, result or LOST) as each finishes

A worker that dies takes down only the files it held: on this machine they are
retried one per fresh process; on a cluster the scheduler gives them to another
worker. A file that kills every worker it is given comes back as LOST."""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

LOST = None  # the result of an item whose worker died on it every time
WORKER_CRASHED = "無法處理（處理此檔的工作程序異常終止）"  # the reason given for a LOST file
_ADDRESS = re.compile(r"^dask://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})$")


class ExecutorError(ValueError):
    """An --executor that is not dask://HOST:PORT, or a cluster that cannot be reached."""


def dask_address(executor: str) -> str:
    """The scheduler address of ``dask://HOST:PORT`` (tcp://HOST:PORT)."""
    match = _ADDRESS.match(executor)
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ExecutorError(f"--executor {executor}: 應為 dask://主機:連接埠（例如 dask://127.0.0.1:8786）")
    return f"tcp://{match['host']}:{match['port']}"


def results(function: Callable[[T], R], items: Sequence[T], jobs: int = 1,
            executor: str | None = None) -> Iterator[tuple[T, R | None]]:
    """Run ``function`` on every item and yield (item, result) as each
    finishes; the result is LOST for an item that killed its worker every time.
    ``function`` and the items must pickle (module-level functions, data)."""
    with interrupts_restored():
        if executor is not None:
            yield from _on_dask(dask_address(executor), function, items)
        elif jobs <= 1 or len(items) <= 1:
            for item in items:
                yield item, function(item)
        else:
            lost = yield from _pool_round(function, items, min(jobs, len(items)))
            for item in lost:  # one per fresh process: only the file that kills its worker fails
                still_lost = yield from _pool_round(function, [item], 1)
                for crashed in still_lost:
                    yield crashed, LOST


# --- worker processes on this machine --------------------------------------------------------------


def _pool_round(function: Callable[[T], R], items: Sequence[T], workers: int):
    """Run items in a pool; yields results, returns the items lost when a worker died."""
    lost: list[T] = []
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_the_parent)
    try:
        futures: dict[Future, T] = {pool.submit(function, item): item for item in items}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                lost.append(futures[future])
                continue
            yield futures[future], result
    except BaseException:
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)
    return lost


def _leave_interrupts_to_the_parent() -> None:
    """Workers ignore Ctrl-C: the parent stops them, so a worker never prints a
    traceback or starts the next file after it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_now(pool: ProcessPoolExecutor, grace: float = 5.0) -> None:
    """Cancel what has not started and kill the pool's workers mid-file (their
    half-written files are removed by the caller).

    Python 3.11 has no public way to reach a pool's workers (3.14 adds
    ``terminate_workers``), so its private ``_processes`` is read: killing
    ``multiprocessing.active_children()`` instead would also kill the child
    processes of a long-lived caller (a web server, a notebook). The pool's
    manager thread reaps dead workers too, and a worker it has reaped counts as
    alive until that thread stores its exit code, so it is joined last."""
    ignore_further_interrupts()
    workers = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(grace)
        if worker.is_alive():
            worker.kill()
            worker.join(grace)
    if manager is not None:
        manager.join(grace)


def ignore_further_interrupts() -> None:
    """After the first Ctrl-C the batch is ending, and the stop is bounded: a
    second Ctrl-C must not cut the clean-up short or kill the process mid-exit
    (it would leave temporary files and a wrong exit code), so it is ignored
    until the outermost ``interrupts_restored`` block ends."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


_restoring = 0  # interrupts_restored blocks open in the main thread


@contextmanager
def interrupts_restored(restore: bool = True) -> Iterator[None]:
    """Run a batch call; when it returns or raises, SIGINT has the handler it had
    before. The stop path ignores further Ctrl-C while it cleans up, and in a
    long-lived process that uses the library (a web server, a notebook) that
    must not outlast the call. Only the outermost block restores, so that the
    caller's own clean-up after an inner call stays protected; the command line,
    whose process ends with the batch, opens it with ``restore=False``."""
    global _restoring
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    _restoring += 1
    try:
        yield
    finally:
        _restoring -= 1
        # None: a handler not set from Python, which cannot be put back
        if restore and _restoring == 0 and previous is not None:
            signal.signal(signal.SIGINT, previous)


# --- a Dask cluster ----------------------------------------------------------------------------------

CONNECT_TIMEOUT = "30s"
# The command line's choices that reach the reading through the environment
# (--no-ocr, --ocr-engine, --ocr-jobs): local workers inherit them, a cluster's
# workers are given them with each file.
CARRIED = ("PLANCHECK_OCR",)


def _in_environment(function: Callable[[T], R], environment: dict[str, str], item: T) -> R:
    """``function(item)`` on a cluster worker, with this process's choices set."""
    os.environ.update(environment)
    return function(item)


def _on_dask(address: str, function: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[T, R | None]]:
    """Every item a task on the cluster (pure=False: a file is read again if
    asked again, never answered from a cache of its name)."""
    try:
        from distributed import Client, as_completed as completed
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise ExecutorError("--executor dask://… 需要 dask.distributed（pip install 'plancheck[dask]'）") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ExecutorError(f"--executor {address.replace('tcp://', 'dask://')}: 無法連線至 Dask 排程器（{error}）") from None
    futures: dict = {}
    try:
        environment = {name: value for name, value in os.environ.items() if name.startswith(CARRIED)}
        futures = {client.submit(_in_environment, function, environment, item, pure=False): item for item in items}
        for future in completed(futures, loop=client.loop):
            item = futures[future]
            try:
                result = future.result()
            except KilledWorker:
                yield item, LOST
                continue
            yield item, result
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            ignore_further_interrupts()
        client.cancel(list(futures))
        raise
    finally:
        client.close()


def index_reader(jobs: int, executor: str | None):
    """``corpus.ingest.ReadMany`` for ``plancheck index``: files read here, by
    ``jobs`` processes or on the cluster; a file that killed its workers is a
    failed file."""
    from corpus.ingest import Prepared

    def read_many(read, paths):
        for path, prepared in results(read, paths, jobs, executor):
            yield prepared if prepared is not LOST else Prepared(path, error=f"plancheck: {path}: {WORKER_CRASHED}")

    return read_many
