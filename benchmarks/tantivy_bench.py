"""The corpus's two search engines side by side: SQLite FTS5 and the tantivy
index kept beside the file (corpus/tantivy_index.py), in one run.

    .venv/bin/python -m benchmarks.tantivy_bench --db COPY.sqlite                 # (re)build the index, time both
    .venv/bin/python -m benchmarks.tantivy_bench --db COPY.sqlite --reuse         # the index already there
    .venv/bin/python -m benchmarks.tantivy_bench --throughput 64                  # cost of keeping it in step

Opening a corpus migrates it (migration 5 adds the change log the index
follows): give it a copy of a corpus you want to keep as it is. Every search
goes through ``corpus.search`` exactly as the web page runs it (total, top 20,
five facets, the page's rows and snippets from SQLite), once with
PLANCHECK_SEARCH_ENGINE=fts5 and once with the tantivy engine, interleaved
query by query, each warmed once: the benchmark's fixed query set and every
filter combination with two text queries and with none (a filters-only
search: SQLite's per-plan counts or hit table, or the index's counts with the
plans ordered by SQLite; corpus.search). Reports p50/p95 per engine and group, load averages before
and after, wall and CPU time (the process's, all threads), whether totals agree, whether facets agree where FTS5's are exact,
and how many of FTS5's top 20 tantivy also ranks in its top 20.

``--throughput N`` writes N synthetic plans (96 measures each, tokenized
beforehand) into two new corpora in batches of BATCH_PLANS as ``plancheck
index`` does, once with the engine off and once on (each batch then also
updates the tantivy index), and prints both write rates.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus_bench import (
    FILTER_QUERIES,
    QUERIES,
    _init_worker,
    _make,
    filter_combinations,
    filters_of,
    jobs,
    load_material,
    percentile,
)
from corpus import Filters, search, store, tantivy_index
from corpus.ingest import BATCH_PLANS, ingest_signature, store_plan


@contextlib.contextmanager
def engine(name: str):
    """PLANCHECK_SEARCH_ENGINE=name inside the block."""
    before = os.environ.get(tantivy_index.ENV_ENGINE)
    os.environ[tantivy_index.ENV_ENGINE] = name
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(tantivy_index.ENV_ENGINE, None)
        else:
            os.environ[tantivy_index.ENV_ENGINE] = before


def timed(function, repeats: int) -> tuple[list[float], list[float], object]:
    """Wall and CPU (this process, every thread) milliseconds of each run, and the last value."""
    function()  # warm
    times, cpu, value = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        value = function()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return times, cpu, value


def searches() -> list[tuple[str, str, Filters, str]]:
    """(group, query, filters, label): the fixed set, then every filter combination."""
    runs = [("fixed", query, Filters(**kwargs), "+".join(kwargs) or "(none)") for query, kwargs in QUERIES]
    for names in filter_combinations():
        for query in FILTER_QUERIES:
            if query or names:
                group = "filters-only" if not query else ("filtered" if names else "unfiltered")
                runs.append((group, query, filters_of(names), "+".join(names) or "(none)"))
    return runs


def compare(db: Path, repeats: int, filter_repeats: int) -> dict:
    conn = store.connect(db)
    rows = []
    times: dict[tuple[str, str], list[float]] = {}
    for group, query, filters, label in searches():
        count = repeats if group == "fixed" else filter_repeats
        with engine("fts5"):
            fts_times, fts_cpu, fts = timed(lambda: search(conn, query, filters, limit=20), count)
        with engine("auto"):
            tv_times, tv_cpu, tv = timed(lambda: search(conn, query, filters, limit=20), count)
        # (a filter naming nothing stored answers 0 before any engine runs)
        assert tv.engine == "tantivy" or tv.total == 0, "the tantivy index is not current: rebuild it"
        top = [h.measure_rowid for h in fts.hits]
        rows.append({
            "group": group, "query": query, "filters": label, "hits_fts5": fts.total, "hits_tantivy": tv.total,
            "facets_agree": None if fts.approximate else fts.facets == tv.facets,
            "top20_overlap": len(set(top) & {h.measure_rowid for h in tv.hits}), "top20_size": len(top),
            "fts5_p50_ms": round(statistics.median(fts_times), 1), "tantivy_p50_ms": round(statistics.median(tv_times), 1),
            "fts5_p95_ms": round(percentile(fts_times, 0.95), 1), "tantivy_p95_ms": round(percentile(tv_times, 0.95), 1),
        })
        for name, values in (("fts5", fts_times), ("tantivy", tv_times), ("fts5_cpu", fts_cpu), ("tantivy_cpu", tv_cpu)):
            times.setdefault((group, name), []).extend(values)
            times.setdefault(("all", name), []).extend(values)
    conn.close()
    summary = {
        f"{group}_{name}_{q}_ms": round(statistics.median(values) if q == "p50" else percentile(values, 0.95), 1)
        for (group, name), values in times.items() for q in ("p50", "p95")
    }
    text_rows = [r for r in rows if r["query"]]
    summary |= {
        "searches": len(rows),
        "totals_agree": sum(r["hits_fts5"] == r["hits_tantivy"] for r in rows),
        "facets_compared": sum(r["facets_agree"] is not None for r in rows),
        "facets_agree": sum(bool(r["facets_agree"]) for r in rows),
        "top20_places": sum(r["top20_size"] for r in text_rows),
        "top20_shared": sum(r["top20_overlap"] for r in text_rows),
        "runs": rows,
    }
    return summary


def write_rate(db: Path, made: list, mode: str) -> dict:
    """Measures a second written into a new corpus in batches of BATCH_PLANS."""
    signature = ingest_signature()
    with engine(mode):
        conn = store.connect(db, create=True)
        start = time.perf_counter()
        for first in range(0, len(made), BATCH_PLANS):
            with store.transaction(conn):
                for plan, report, columns in made[first:first + BATCH_PLANS]:
                    store_plan(conn, plan, report, source_path=plan.source.path, sha256=plan.source.sha256,
                               signature=signature, columns=columns)
        elapsed = time.perf_counter() - start
        measures = store.counts(conn)["measures"]
        current = tantivy_index.current_marker(tantivy_index.index_folder(db))
        conn.close()
    return {f"{mode}_measures_per_second": round(measures / elapsed), f"{mode}_seconds": round(elapsed, 2),
            f"{mode}_index_generation": current.generation if current else None}


def throughput(plans: int) -> dict:
    _init_worker(load_material())
    made = [_make(job) for job in jobs(plans)]
    figures: dict = {"plans": plans, "measures": sum(len(p.measures) for p, _, _ in made), "batch_plans": BATCH_PLANS}
    with tempfile.TemporaryDirectory() as folder:
        for mode in ("fts5", "tantivy"):
            figures |= write_rate(Path(folder) / f"{mode}.sqlite", made, mode)
    figures["tantivy_over_fts5_write_time"] = round(figures["tantivy_seconds"] / figures["fts5_seconds"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="A corpus (a copy: opening it migrates it).")
    parser.add_argument("--reuse", action="store_true", help="Use the index already beside it (else rebuilt, timed).")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--filter-repeats", type=int, default=5)
    parser.add_argument("--throughput", type=int, metavar="PLANS", help="Time writing PLANS plans with the engine off and on.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures: dict = {"load_before": os.getloadavg()}
    if args.throughput:
        figures |= throughput(args.throughput)
    if args.db:
        if not args.reuse:
            conn = store.connect(args.db)
            start = time.perf_counter()
            figures["tantivy_docs"] = tantivy_index.rebuild(conn, tantivy_index.index_folder(args.db.resolve()))
            figures["tantivy_build_seconds"] = round(time.perf_counter() - start, 1)
            conn.close()
        folder = tantivy_index.index_folder(args.db.resolve())
        figures["tantivy_bytes"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        figures |= compare(args.db, args.repeats, args.filter_repeats)
    figures["load_after"] = os.getloadavg()
    print(json.dumps({k: v for k, v in figures.items() if k != "runs"}, ensure_ascii=False, indent=2))
    if "runs" in figures:
        print(f"{'group':<13}{'filters':<34}{'query':<20}{'hits':>9}{'top20':>7}{'fts5 p95':>10}{'tantivy p95':>13}")
        for r in figures["runs"]:
            print(f"{r['group']:<13}{r['filters']:<34}{r['query'] or '(none)':<20}{r['hits_fts5']:>9,}"
                  f"{r['top20_overlap']:>4}/{r['top20_size']:<2}{r['fts5_p95_ms']:>10}{r['tantivy_p95_ms']:>13}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
