"""Benchmarks at chain scale: `make bench` (or `python -m bench [--only GROUP,…] [--scale 1m]
[--quick] [--skip-tests]`).

Builds (or reuses) a spa at the scale asked (bench/dataset.py), then runs each group of
measurements against its floor in the same run, in turns (bench/harness.py): a table on the
terminal and bench/results.json. Figures are ratios first: the machines are noisy and shared.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import balances, lookup, redeem, screens, startup, suite
from bench.dataset import SCALES, sqlite_spa
from bench.harness import RESULTS, Report
from bench.setting import Setting

GROUPS: dict[str, Callable[[Report, Setting], None]] = {
    "lookup": lookup.use_case,  # per keystroke, through the use case
    "typing": lookup.screen,  # per keystroke, through the real screen
    "open": screens.open_customer,  # the customer with 2,000 entries
    "redeem": redeem.run,  # redemptions per second, SQLite and PostgreSQL
    "start": startup.cold_start,  # cold start in a pseudo-terminal
    "memory": startup.memory,  # peak memory after a lookup
    "balances": balances.run,  # the managers' overview
    "refresh": screens.refresh,  # desk to desk
    "tests": suite.run,  # make test's wall time
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help=f"groups, comma-separated: {', '.join(GROUPS)}")
    parser.add_argument("--scale", default="100k", help=f"{', '.join(SCALES)} customers, or a number")
    parser.add_argument("--quick", action="store_true", help="a smoke run: the tiny spa, few rounds")
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results (JSON)")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(GROUPS)
    unknown = [name for name in chosen if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; the groups: {', '.join(GROUPS)}")
    if args.skip_tests and "tests" in chosen:
        chosen.remove("tests")
    scale = "tiny" if args.quick and args.scale == "100k" else args.scale
    if scale not in SCALES:
        scale = str(int(scale))
    started = time.perf_counter()
    report = Report(scale, args.out)
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as scratch:
        setting = Setting(scale, sqlite_spa(scale if scale in SCALES else int(scale)), Path(scratch), args.quick)
        from bench.harness import HEADING

        print(HEADING, flush=True)
        for name in chosen:
            try:
                GROUPS[name](report, setting)
            except Exception as error:  # a group that fails is reported, the others still run
                traceback.print_exc()
                report.add(f"{name}: failed ({type(error).__name__}: {error})"[:120], 0, "", baseline="—",
                           baseline_value=None, target="runs", met=False)
            report.write()  # what was measured so far survives a later failure
    held = sum(result.met is True for result in report.results)
    targets = sum(result.met is not None for result in report.results)
    print(f"\n{report.table()}\n\n{held} of {targets} targets met; "
          f"{time.perf_counter() - started:.0f} s in all; written to {args.out}")


if __name__ == "__main__":
    main()
