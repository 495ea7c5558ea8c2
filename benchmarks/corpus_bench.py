"""Corpus benchmark: build a synthetic corpus and time its searches.

    .venv/bin/python -m benchmarks.corpus_bench                  # 45,000 measures
    .venv/bin/python -m benchmarks.corpus_bench --full           # 1,000,000 measures
    .venv/bin/python -m benchmarks.corpus_bench --db postgresql://…/bench   # the same in PostgreSQL
    .venv/bin/python -m benchmarks.corpus_bench --queries-only --db A --against B   # two corpora, one run

The measures are new texts made by recombining the clauses of the real
measures of the sample plans (corpus/samples), spread over synthetic agencies
and years, so jieba and the folding work on fresh text for every row. Worker
processes read and tokenize (the CPU-heavy part); the main process writes each
plan through the same ``store_plan`` as ``plancheck index``, BATCH_PLANS (64) plans
per transaction as ``index`` does (each batch also updates the tantivy index
beside an SQLite corpus when tantivy is installed). Memory stays bounded: plans are generated, tokenized and written as a
stream. Reports build rate, database size, query latency p50/p95 for a
fixed query set (each query with its facets, as the web page runs it), and
p50/p95 of searches under every combination of the filters (agency, one year or
a range, dimension, item, unit), with two text queries and with none.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from corpus import Filters, samples_folder, search, store
from corpus.backend import is_postgres_url
from corpus.ingest import BATCH_PLANS, ingest_signature, store_plan
from corpus.textindex import index_columns
from models import CheckReport, Evidence, ItemVerdict, Location, Measure, Plan, SourceFile

SAMPLES = samples_folder()
MEASURES_PER_PLAN = 96
SEED = 20240607

CITIES = ["臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣",
          "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣"]
OFFICES = ["戶政事務所", "地政事務所", "區公所", "衛生所", "稅務局分局", "監理站", "就業服務站", "河川局", "營業處", "圖書館"]

# The fixed query set: words, simplified input, 1-2 characters, a phrase, OR, NOT, a prefix.
QUERIES: list[tuple[str, dict]] = [
    ("電話禮貌測試", {}),
    ("电话礼貌测试", {}),
    ("謄本", {}),
    ("隱私", {}),
    ('"免書證免謄本"', {}),
    ("滿意度 調查", {}),
    ("單一窗口 OR 一處收件", {}),
    ("網路申辦 NOT 臨櫃", {}),
    ("禮貌*", {}),
    ("無障礙", {"agency": "臺中市"}),
    ("志工", {"year_from": 105, "year_to": 108}),
    ("陳情", {"agency": "高雄市第3區戶政事務所"}),
]

# What the checks would attach, so the dimension and item filters have data:
# the current framework's five dimensions and the mandated items of the profile.
DIMENSIONS = ("基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新")
ITEMS = ("SOP-PUBLISHED", "SINGLE-WINDOW", "ONE-TIME-NOTICE", "CASE-QUERY", "BILINGUAL-SIGNS", "ACCESSIBLE-FACILITIES",
         "PHONE-TEST-QUARTERLY", "STAFF-TRAINING", "FEWER-DOCUMENTS", "SATISFACTION-SURVEY", "COMPLAINT-SOP",
         "ODF-DOCUMENTS", "ONLINE-SERVICES", "PRIVACY", "OPEN-DATA", "FAQ")

# Filter values for the combinations: a name matched by part (臺中市 → every
# 臺中市… agency), exact names for the rest.
FILTER_VALUES = {"agency": "臺中市", "year": 110, "years": (105, 108), "dimension": "服務遞送",
                 "item": "PHONE-TEST-QUARTERLY", "unit": "資訊組"}
FILTER_QUERIES = ("電話禮貌測試", "網路申辦 NOT 臨櫃", "")

_CLAUSE = re.compile(r"[^，,；;。]+[，,；;。]?")


@dataclass(frozen=True)
class Material:
    clauses: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...]
    units: tuple[str, ...]


def load_material() -> Material:
    """Clauses, heading paths and unit names of the real sample measures."""
    from library import read_plan

    clauses: list[str] = []
    paths: list[tuple[str, ...]] = []
    units: set[str] = set()
    for file in sorted(SAMPLES.glob("*.txt")):
        for measure in read_plan(file).measures:
            clauses.extend(c.strip() for c in _CLAUSE.findall(measure.text) if len(c.strip()) >= 4)
            paths.append(tuple(measure.path))
            units.update(measure.departments)
    return Material(tuple(dict.fromkeys(clauses)), tuple(dict.fromkeys(paths)), tuple(sorted(units)))


def agencies(count: int) -> list[str]:
    out = []
    for index in range(count):
        city = CITIES[index % len(CITIES)]
        office = OFFICES[(index // len(CITIES)) % len(OFFICES)]
        out.append(f"{city}第{index // (len(CITIES) * len(OFFICES)) + 1}區{office}")
    return out


def synthetic_plan(material: Material, agency: str, roc_year: int, number: int) -> tuple[Plan, CheckReport]:
    """A plan and the check report the checks might give it (dimensions, items)."""
    rng = random.Random(f"{SEED}:{number}")
    measures = []
    for index in range(MEASURES_PER_PLAN):
        text = "".join(rng.sample(material.clauses, rng.choice((1, 2, 2, 3))))
        measures.append(
            Measure(
                id=f"m{index + 1}",
                path=list(rng.choice(material.paths)),
                number=f"({index % 9 + 1})",
                text=text,
                departments=rng.sample(material.units, rng.choice((0, 1, 1, 2))),
                deadline=rng.choice((None, "持續辦理", "每季", "12月底前")),
                location=Location(line=index + 10),
                dimension=rng.choice(DIMENSIONS),
            )
        )
    digest = hashlib.sha256(f"{agency}{roc_year}{number}".encode()).hexdigest()
    plan = Plan(
        source=SourceFile(path=f"synthetic/{number:06d}.txt", sha256=digest, format="text"),
        agency=agency,
        roc_year=roc_year,
        year=roc_year + 1911,
        title=f"{agency}{roc_year}年度提升服務品質執行計畫",
        measures=measures,
    )
    verdicts = []
    for item in ITEMS:
        if rng.random() < 0.6:
            cited = rng.sample(measures, rng.choice((1, 1, 2, 3)))
            verdicts.append(ItemVerdict(id=item, status=rng.choice(("present", "present", "partial")), reason="",
                                        evidence=[Evidence(measure_id=m.id, quote=m.text[:20]) for m in cited]))
        else:
            verdicts.append(ItemVerdict(id=item, status="missing", reason=""))
    report = CheckReport(source=plan.source, agency=agency, roc_year=roc_year, measure_count=len(measures), items=verdicts)
    return plan, report


_MATERIAL: Material | None = None


def _init_worker(material: Material) -> None:
    global _MATERIAL
    _MATERIAL = material


def _make(job: tuple[str, int, int]) -> tuple[Plan, CheckReport, list[tuple[str, str]]]:
    """In a worker: one synthetic plan, its report and its index columns."""
    agency, roc_year, number = job
    plan, report = synthetic_plan(_MATERIAL, agency, roc_year, number)
    return plan, report, [index_columns(m.text) for m in plan.measures]


def jobs(plan_count: int) -> Iterator[tuple[str, int, int]]:
    years = list(range(100, 113))
    names = agencies(max(1, -(-plan_count // len(years))))
    for number in range(plan_count):
        yield names[number // len(years)], years[number % len(years)], number


def _settle(conn, db: Path | str) -> int:
    """After the build: merge the full-text index (SQLite) or refresh the
    planner's statistics (PostgreSQL); returns the database's size in bytes."""
    if is_postgres_url(db):
        conn.execute("VACUUM ANALYZE")
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    conn.execute("INSERT INTO measures_fts(measures_fts) VALUES ('optimize')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(db).stat().st_size


def build(db: Path | str, measures: int, workers: int, material: Material) -> dict:
    plan_count = -(-measures // MEASURES_PER_PLAN)
    conn = store.connect(db, create=True)
    signature = ingest_signature()
    written = 0
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker, initargs=(material,)) as pool:
        made = pool.imap(_make, jobs(plan_count), chunksize=4)
        # BATCH_PLANS plans a transaction, as `plancheck index` writes (and so
        # one update of the tantivy index beside the file per batch).
        for batch in iter(lambda: list(itertools.islice(made, BATCH_PLANS)), []):
            with store.transaction(conn):
                for plan, report, columns in batch:
                    store_plan(conn, plan, report, source_path=plan.source.path, sha256=plan.source.sha256,
                               signature=signature, columns=columns)
                    written += len(plan.measures)
                    if written % 100_000 < MEASURES_PER_PLAN:
                        rate = written / (time.perf_counter() - start)
                        print(f"  {written:>9,} measures  {rate:,.0f}/s", flush=True)
    elapsed = time.perf_counter() - start
    optimize_start = time.perf_counter()
    size = _settle(conn, db)
    optimize = time.perf_counter() - optimize_start
    counts = store.counts(conn)
    conn.close()
    return {
        "plans": counts["plans"],
        "measures": counts["measures"],
        "build_seconds": round(elapsed, 1),
        "measures_per_second": round(counts["measures"] / elapsed),
        "optimize_seconds": round(optimize, 1),
        "db_bytes": size,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def time_queries(db: Path, repeats: int) -> dict:
    conn = store.connect(db)
    per_query = []
    everything: list[float] = []
    for query, filters in QUERIES:
        search(conn, query, Filters(**filters), limit=20)  # warm the page cache once
        times = []
        total = 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            total = search(conn, query, Filters(**filters), limit=20).total
            times.append((time.perf_counter() - t0) * 1000)
        everything.extend(times)
        per_query.append({"query": query, "filters": filters, "hits": total,
                          "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1)})
    conn.close()
    return {"p50_ms": round(statistics.median(everything), 1), "p95_ms": round(percentile(everything, 0.95), 1),
            "repeats": repeats, "queries": per_query}


def filter_combinations() -> list[tuple[str, ...]]:
    """Every subset of the filters, with no year, one year or a range (48, the
    empty one included)."""
    out = []
    for count in range(5):
        for names in itertools.combinations(("agency", "dimension", "item", "unit"), count):
            for years in ((), ("year",), ("years",)):
                out.append(names + years)
    return out


def filters_of(names: tuple[str, ...]) -> Filters:
    year_from = year_to = None
    if "year" in names:
        year_from = year_to = FILTER_VALUES["year"]
    if "years" in names:
        year_from, year_to = FILTER_VALUES["years"]
    return Filters(year_from=year_from, year_to=year_to,
                   **{name: FILTER_VALUES[name] for name in ("agency", "dimension", "item", "unit") if name in names})


def time_filters(db: Path, repeats: int) -> dict:
    """p50/p95 of every filter combination with each query of FILTER_QUERIES
    (an empty query with no filter, i.e. list everything, is left out)."""
    conn = store.connect(db)
    rows = []
    filtered: list[float] = []
    unfiltered: list[float] = []
    for names in filter_combinations():
        filters = filters_of(names)
        for query in FILTER_QUERIES:
            if not query and not names:
                continue
            search(conn, query, filters, limit=20)  # warm
            times = []
            total = 0
            for _ in range(repeats):
                t0 = time.perf_counter()
                total = search(conn, query, filters, limit=20).total
                times.append((time.perf_counter() - t0) * 1000)
            (filtered if names else unfiltered).extend(times)
            rows.append({"filters": "+".join(names) or "(none)", "query": query, "hits": total,
                         "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1)})
    conn.close()
    return {
        "filters_p50_ms": round(statistics.median(filtered), 1),
        "filters_p95_ms": round(percentile(filtered, 0.95), 1),
        "filters_worst_p95_ms": max(row["p95_ms"] for row in rows),
        "unfiltered_p95_ms": round(percentile(unfiltered, 0.95), 1),
        "filter_repeats": repeats,
        "filter_runs": rows,
    }


def print_filters(figures: dict) -> None:
    print(f"filter combinations: p50 {figures['filters_p50_ms']} ms, p95 {figures['filters_p95_ms']} ms, "
          f"worst combination p95 {figures['filters_worst_p95_ms']} ms; no filter p95 {figures['unfiltered_p95_ms']} ms")
    print(f"{'filters':<34}{'query':<20}{'hits':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for row in figures["filter_runs"]:
        print(f"{row['filters']:<34}{row['query'] or '(none)':<20}{row['hits']:>9,}{row['p50_ms']:>9}{row['p95_ms']:>9}")


def compare(first: Path | str, second: Path | str, repeats: int, filter_repeats: int) -> dict:
    """The second corpus timed right after the first (same machine, same run)."""
    figures = time_queries(second, repeats) | time_filters(second, filter_repeats)
    print(f"against {second}:")
    print(json.dumps({k: v for k, v in figures.items() if k not in ("queries", "filter_runs")}, ensure_ascii=False, indent=2))
    print(f"{'query':<28}{'hits':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for row in figures["queries"]:
        label = row["query"] + (" " + ",".join(f"{k}={v}" for k, v in row["filters"].items()) if row["filters"] else "")
        print(f"{label:<28}{row['hits']:>10,}{row['p50_ms']:>10}{row['p95_ms']:>10}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=45_000)
    parser.add_argument("--full", action="store_true", help="A million measures (about an hour on 2 busy cores).")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--filter-repeats", type=int, default=5, help="Runs of each filter combination and query.")
    parser.add_argument("--db", help="Keep the corpus here, a file or an empty PostgreSQL database as postgresql://… "
                        "(default: a temporary SQLite file, removed afterwards).")
    parser.add_argument("--against", help="With --queries-only: time this second corpus in the same run (e.g. the same "
                        "measures in PostgreSQL) and print its p95 over the first's.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    parser.add_argument("--queries-only", action="store_true", help="Time the queries on an existing --db; build nothing.")
    args = parser.parse_args()
    if args.full:
        args.measures = 1_000_000
    if args.queries_only:
        if args.db is None or not (is_postgres_url(args.db) or Path(args.db).exists()):
            raise SystemExit("--queries-only needs an existing --db")
        figures = time_queries(args.db, args.repeats) | time_filters(args.db, args.filter_repeats)
        print(json.dumps({k: v for k, v in figures.items() if k not in ("queries", "filter_runs")}, ensure_ascii=False, indent=2))
        print_filters(figures)
        if args.against:
            second = compare(args.db, args.against, args.repeats, args.filter_repeats)
            for key in ("p50_ms", "p95_ms", "filters_p95_ms", "filters_worst_p95_ms"):
                print(f"{key}: {second[key]} / {figures[key]} = {second[key] / figures[key]:.2f}× the first")
            figures = {"first": figures, "against": second}
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return

    folder = None
    if args.db is None:
        folder = Path(tempfile.mkdtemp(prefix="plancheck-bench-"))
        db = folder / "corpus.sqlite"
    elif is_postgres_url(args.db):
        db = args.db
    else:
        db = Path(args.db)
        if db.exists():
            raise SystemExit(f"{db} exists; give a new path")
    try:
        material = load_material()
        print(f"material: {len(material.clauses)} clauses, {len(material.paths)} heading paths, {len(material.units)} units")
        print(f"building {args.measures:,} measures with {args.workers} workers …", flush=True)
        figures = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                   "python": platform.python_version(), "sqlite": store.sqlite3.sqlite_version}
        figures |= build(db, args.measures, args.workers, material)
        figures |= time_queries(db, args.repeats)
        figures |= time_filters(db, args.filter_repeats)
        # Peak resident memory (KiB on Linux) of the writer and of the largest worker.
        figures["max_rss_mib_main"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        figures["max_rss_mib_worker"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({k: v for k, v in figures.items() if k not in ("queries", "filter_runs")}, ensure_ascii=False, indent=2))
    print(f"{'query':<28}{'hits':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for row in figures["queries"]:
        label = row["query"] + (" " + ",".join(f"{k}={v}" for k, v in row["filters"].items()) if row["filters"] else "")
        print(f"{label:<28}{row['hits']:>10,}{row['p50_ms']:>10}{row['p95_ms']:>10}")
    print_filters(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
