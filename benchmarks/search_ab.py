"""Searches of two versions of plancheck on one corpus, interleaved query by query.

    .venv/bin/python -m benchmarks.search_ab --db big.sqlite --ref main        # main against this tree
    .venv/bin/python -m benchmarks.search_ab --db big.sqlite --ref 0568df3 --set fixed --repeats 10

On a machine shared with other jobs, figures taken minutes apart differ more
than the code does. Here the other version (``git archive REF``, unpacked into
a temporary folder) and this tree each run in a worker process; every search of
corpus_bench's fixed query set and filter combinations is run by one, then the
other, alternately, so both see the same load. Reports wall and CPU (process)
time p50/p95 per version and per group, whether totals agree and how many top-20
pages are identical.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus_bench import FILTER_QUERIES, QUERIES, filter_combinations, filters_of, percentile

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
sys.path.insert(0, ".")
from corpus import Filters, search, store
conn = store.connect(sys.argv[1])
for line in sys.stdin:
    job = json.loads(line)
    filters = Filters(**job["filters"])
    search(conn, job["query"], filters, limit=20)  # warm
    wall, cpu = [], []
    for _ in range(job["repeats"]):
        w, c = time.perf_counter(), time.process_time()
        result = search(conn, job["query"], filters, limit=20)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    print(json.dumps({"total": result.total, "top": [h.measure_rowid for h in result.hits], "wall": wall, "cpu": cpu}), flush=True)
"""


def jobs(which: str, repeats: int, filter_repeats: int) -> list[tuple[str, dict]]:
    out = []
    if which in ("fixed", "all"):
        out += [("fixed", {"query": q, "filters": f, "repeats": repeats}) for q, f in QUERIES]
    if which in ("filters", "all"):
        for names in filter_combinations():
            filters = {k: v for k, v in filters_of(names).__dict__.items() if v is not None}
            for query in FILTER_QUERIES:
                if query or names:
                    group = "filtered" if names else "unfiltered"
                    out.append((group, {"query": query, "filters": filters, "repeats": filter_repeats, "label": "+".join(names)}))
    return out


def worker(cwd: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, str(db)], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, encoding="utf-8")


def ask(process: subprocess.Popen, job: dict) -> dict:
    process.stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--ref", default="main", help="The other version: a commit, branch or tag of this repository.")
    parser.add_argument("--set", choices=("fixed", "filters", "all"), default="all")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--filter-repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="plancheck-ab-"))
    try:
        archive = subprocess.run(["git", "archive", args.ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
        versions = {"ref": worker(folder, args.db), "this": worker(ROOT, args.db)}
        times: dict[tuple[str, str, str], list[float]] = {}
        rows = []
        start = time.perf_counter()
        for group, job in jobs(args.set, args.repeats, args.filter_repeats):
            answers = {name: ask(process, job) for name, process in versions.items()}
            for name, answer in answers.items():
                for kind in ("wall", "cpu"):
                    times.setdefault((group, name, kind), []).extend(answer[kind])
            rows.append({"group": group, "query": job["query"], "filters": job.get("label", "+".join(job["filters"])),
                         "hits": answers["this"]["total"], "same_total": answers["ref"]["total"] == answers["this"]["total"],
                         "same_top20": answers["ref"]["top"] == answers["this"]["top"],
                         **{f"{name}_{kind}_p95_ms": round(percentile(answer[kind], 0.95), 1)
                            for name, answer in answers.items() for kind in ("wall", "cpu")}})
        for process in versions.values():
            process.stdin.close()
            process.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    summary = {f"{group}_{name}_{kind}_{q}_ms": round(statistics.median(values) if q == "p50" else percentile(values, 0.95), 1)
               for (group, name, kind), values in sorted(times.items()) for q in ("p50", "p95")}
    summary |= {"ref": args.ref, "searches": len(rows), "same_totals": sum(r["same_total"] for r in rows),
                "same_top20": sum(r["same_top20"] for r in rows), "seconds": round(time.perf_counter() - start)}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for r in sorted(rows, key=lambda r: -r["this_wall_p95_ms"])[:10]:
        print(f"{r['group']:<11}{r['filters'] or '(none)':<34}{r['query'] or '(none)':<20}{r['hits']:>9,}"
              f"  wall p95 {r['ref_wall_p95_ms']:>8} → {r['this_wall_p95_ms']:>8}  cpu p95 {r['ref_cpu_p95_ms']:>8} → {r['this_cpu_p95_ms']:>8}")
    if args.json:
        args.json.write_text(json.dumps(summary | {"runs": rows}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
