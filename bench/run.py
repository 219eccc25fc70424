"""`make bench`: run every bench/bench_*.py module's main() in turn and print its figures.

Each benchmark runs in a fresh Python process, so each sets up Django (and its throwaway
database) its own way without disturbing the next. Figures go in docs/performance.md.

- bench_results.py: consultation results for 100,000 responses, on the local PostgreSQL
  (a database of its own, `BENCH_RESULTS_DATABASE_URL`).
- bench_simulator_widget.py: the budget simulator widget in Chromium, on SQLite.
- bench_flagger.py: the personal-data flagger's precision and recall on
  tests/data/labelled_comments.csv (no database).
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def main():
    modules = sorted(path.stem for path in BENCH.glob("bench_*.py"))
    if not modules:
        sys.exit("No bench/bench_*.py modules found.")
    failed = []
    for name in modules:
        print(f"== {name} ==", flush=True)
        started = time.monotonic()
        paths = [str(ROOT), str(BENCH)]
        code = f"import sys; sys.path[:0] = {paths!r}; import {name}; {name}.main()"
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)  # noqa: S603
        print(f"({name} took {time.monotonic() - started:.0f} s)\n", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        sys.exit(f"Benchmarks that failed or missed their target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
