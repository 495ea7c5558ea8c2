"""``python -m benchmarks`` (``make bench``): the extraction benchmark, quick by default.

    .venv/bin/python -m benchmarks            # quick: fixtures, a 60-page plan, a 50-plan batch
    .venv/bin/python -m benchmarks --full     # a 240-page plan and a 500-plan batch
    .venv/bin/python -m benchmarks --help     # all options (benchmarks/extraction_bench.py)

The corpus benchmark is separate: ``python -m benchmarks.corpus_bench``.
"""

from benchmarks.extraction_bench import main

if __name__ == "__main__":
    main()
