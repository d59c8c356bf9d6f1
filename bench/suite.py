"""`make test`'s wall time: the whole suite as `make test` runs it, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.harness import Report

BUDGET_S = 300  # the house budget
ROOT = Path(__file__).resolve().parent.parent


def run(report: Report, setting) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-n", "3", "--dist", "loadgroup", "-q",
                             "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    lines = result.stdout.strip().splitlines() or ["(no output)"]
    print(f"  the suite: {lines[-1]}")
    for line in lines:
        if line.startswith(("FAILED", "ERROR")):  # which, so a failure here can be looked into
            print(f"    {line}")
    report.add(f"make test wall time ({'passed' if result.returncode == 0 else 'FAILED'})", took, "s",
               baseline="the house budget", baseline_value=BUDGET_S, target=f"≤ {BUDGET_S} s and passing",
               met=took <= BUDGET_S and result.returncode == 0)
