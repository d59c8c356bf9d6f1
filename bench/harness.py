"""The benchmark harness: each measurement runs against its baseline in the same run, in turns
(A B A B …), so a busy machine slows both alike; it reports the median, the p95 and the ratio,
prints a table and writes `bench/results.json`.

The baselines are the floors: a bare Textual app, raw FTS5 (bench/floors.py), and raw SQL.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).parent / "results.json"


@dataclass
class Result:
    """One figure against its baseline, as written to results.json."""

    name: str
    value: float
    unit: str
    baseline: str
    baseline_value: float | None
    ratio: float | None
    target: str
    met: bool | None  # None: no target, the figure is reported for what it is
    scale: str


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Timings:
    """Samples of a measurement and of its baseline, in seconds."""

    samples: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return p95(self.samples)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def floor_p95(self) -> float:
        return p95(self.floor)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def interleaved(work: Callable[[], object], floor: Callable[[], object], rounds: int, *, warm: int = 1) -> Timings:
    """Time `work` and its baseline `floor` in turns, after `warm` untimed rounds of each."""
    for _ in range(warm):
        work()
        floor()
    timings = Timings()
    for _ in range(rounds):
        timings.samples.append(timed(work))
        timings.floor.append(timed(floor))
    return timings


def ratio_of(value: float, baseline: float | None) -> float | None:
    return None if not baseline else value / baseline


class Report:
    """The results of a run: printed as they come, written to results.json at the end."""

    def __init__(self, scale: str, path: Path = RESULTS) -> None:
        self.scale = scale
        self.path = path
        self.results: list[Result] = []

    def add(self, name: str, value: float, unit: str, *, baseline: str, baseline_value: float | None,
            target: str, met: bool | None, ratio: float | None = None) -> Result:
        if ratio is None:
            ratio = ratio_of(value, baseline_value)
        result = Result(name, round(value, 3), unit, baseline,
                        None if baseline_value is None else round(baseline_value, 3),
                        None if ratio is None else round(ratio, 3), target, None if met is None else bool(met),
                        self.scale)
        self.results.append(result)
        print(row(result), flush=True)
        return result

    def write(self) -> None:
        self.path.write_text(json.dumps([asdict(result) for result in self.results], indent=2, ensure_ascii=False)
                             + "\n")

    def table(self) -> str:
        return "\n".join([HEADING, *map(row, self.results)])


HEADING = f"{'measurement':<52}{'value':>12} {'unit':<10}{'baseline':>12}{'ratio':>10}  {'target':<32}met"


def row(result: Result) -> str:
    base = "—" if result.baseline_value is None else f"{result.baseline_value:g}"
    ratio = "—" if result.ratio is None else f"{result.ratio:.2f}×"
    return (f"{result.name[:51]:<52}{result.value:>12g} {result.unit[:10]:<10}{base:>12} {ratio:>9}  "
            f"{result.target[:31]:<32}{'—' if result.met is None else 'yes' if result.met else 'NO'}")
