"""Searches of two versions of plancheck on one corpus, or of this tree on two
corpora, interleaved query by query.

    .venv/bin/python -m benchmarks.search_ab --db big.sqlite --ref main        # main against this tree
    .venv/bin/python -m benchmarks.search_ab --db big.sqlite --ref 0568df3 --set fixed --repeats 10
    .venv/bin/python -m benchmarks.search_ab --db c45k.sqlite --against postgresql:///c45k?host=… --rounds 3

On a machine shared with other jobs, figures taken minutes apart differ more
than the code does. Here the other version (``git archive REF``, unpacked into
a temporary folder) and this tree each run in a worker process; every search of
corpus_bench's fixed query set and filter combinations is run by one, then the
other, alternately, so both see the same load. Reports wall and CPU (process)
time p50/p95 per version and per group, whether totals agree and how many top-20
pages are identical. With ``--against`` the "ref" side is this tree on that
second corpus (e.g. the same measures in PostgreSQL, ``benchmarks.pg_load``),
the comparison also covers scores and facets, and ``--rounds`` repeats the
whole interleaved run, printing each round's p50/p95, ratio and load average.
"""

from __future__ import annotations

import argparse
import json
import os
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
    print(json.dumps({"total": result.total, "top": [h.measure_rowid for h in result.hits],
                      "scores": [float(f"{h.score:.9g}") for h in result.hits], "facets": result.facets,
                      "wall": wall, "cpu": cpu}, ensure_ascii=False), flush=True)
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


def worker(cwd: Path, db: Path | str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, str(db)], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, encoding="utf-8")


def ask(process: subprocess.Popen, job: dict) -> dict:
    process.stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def run_round(versions: dict[str, subprocess.Popen], jobs_: list[tuple[str, dict]]) -> tuple[dict, list[dict]]:
    """Every job on each side in turn: times per (group, side, kind) and one row per job."""
    times: dict[tuple[str, str, str], list[float]] = {}
    rows = []
    for group, job in jobs_:
        answers = {name: ask(process, job) for name, process in versions.items()}
        for name, answer in answers.items():
            for kind in ("wall", "cpu"):
                times.setdefault((group, name, kind), []).extend(answer[kind])
        ref, this = answers["ref"], answers["this"]
        rows.append({"group": group, "query": job["query"], "filters": job.get("label", "+".join(job["filters"])),
                     "hits": this["total"], "same_total": ref["total"] == this["total"], "same_top20": ref["top"] == this["top"],
                     "same_scores": ref["scores"] == this["scores"], "same_facets": ref["facets"] == this["facets"],
                     **{f"{name}_{kind}_p95_ms": round(percentile(answer[kind], 0.95), 1)
                        for name, answer in answers.items() for kind in ("wall", "cpu")}})
    return times, rows


def summary_of(times: dict) -> dict:
    return {f"{group}_{name}_{kind}_{q}_ms": round(statistics.median(values) if q == "p50" else percentile(values, 0.95), 1)
            for (group, name, kind), values in sorted(times.items()) for q in ("p50", "p95")}


def print_round(number: int, times: dict, load: tuple[float, ...], names: tuple[str, str]) -> None:
    """One line per group: each side's wall p50/p95 and the ratio ref/this."""
    for group in sorted({g for g, _, _ in times}):
        this, ref = times[(group, "this", "wall")], times[(group, "ref", "wall")]
        p = {side: (statistics.median(v), percentile(v, 0.95)) for side, v in (("this", this), ("ref", ref))}
        print(f"round {number} {group:<11} {names[0]} p50/p95 {p['this'][0]:7.1f} / {p['this'][1]:7.1f} ms   "
              f"{names[1]} {p['ref'][0]:7.1f} / {p['ref'][1]:7.1f} ms   ratio {p['ref'][0] / p['this'][0]:4.1f}x / "
              f"{p['ref'][1] / p['this'][1]:4.1f}x   load {load[0]:.1f}-{load[1]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--ref", default="main", help="The other version: a commit, branch or tag of this repository.")
    parser.add_argument("--ref-db", help="The other version's corpus, when it cannot read --db (an older schema).")
    parser.add_argument("--against", help="Instead of another version: this tree on this second corpus.")
    parser.add_argument("--set", choices=("fixed", "filters", "all"), default="all")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--filter-repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="plancheck-ab-"))
    names = ("this", args.against or args.ref)
    rounds = []
    times: dict[tuple[str, str, str], list[float]] = {}
    start = time.perf_counter()
    try:
        if args.against:
            versions = {"ref": worker(ROOT, args.against), "this": worker(ROOT, args.db)}
            names = ("db", "against")
        else:
            archive = subprocess.run(["git", "archive", args.ref], cwd=ROOT, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
            versions = {"ref": worker(folder, args.ref_db or args.db), "this": worker(ROOT, args.db)}
        for number in range(1, args.rounds + 1):
            before = os.getloadavg()[0]
            round_times, rows = run_round(versions, jobs(args.set, args.repeats, args.filter_repeats))
            load = (before, os.getloadavg()[0])
            print_round(number, round_times, (min(load), max(load)), names)
            rounds.append({"round": number, "load": load, **summary_of(round_times)})
            for key, values in round_times.items():
                times.setdefault(key, []).extend(values)
        for process in versions.values():
            process.stdin.close()
            process.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    summary = summary_of(times)
    summary |= {"ref": args.against or args.ref, "searches": len(rows), "rounds": args.rounds,
                **{f"same_{what}": sum(r[f"same_{what}"] for r in rows) for what in ("total", "top20", "scores", "facets")},
                "seconds": round(time.perf_counter() - start)}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for r in rows:
        if not all(r[f"same_{what}"] for what in ("total", "top20", "scores", "facets")):
            print(f"differs: {r['group']} {r['filters'] or '(none)'} {r['query'] or '(none)'}: "
                  + ", ".join(what for what in ("total", "top20", "scores", "facets") if not r[f"same_{what}"]))
    for r in sorted(rows, key=lambda r: -r["this_wall_p95_ms"])[:10]:
        print(f"{r['group']:<11}{r['filters'] or '(none)':<34}{r['query'] or '(none)':<20}{r['hits']:>9,}"
              f"  wall p95 {r['ref_wall_p95_ms']:>8} → {r['this_wall_p95_ms']:>8}  cpu p95 {r['ref_cpu_p95_ms']:>8} → {r['this_cpu_p95_ms']:>8}")
    if args.json:
        args.json.write_text(json.dumps(summary | {"per_round": rounds, "runs": rows}, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
