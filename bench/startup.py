"""Cold start and peak memory, each against the bare Textual app run the same way.

Cold start: `python -m frontdesk --db <demo>` in a pseudo-terminal (100×32, xterm-256color),
timed until the sign-in screen's PIN field is painted (it takes keys from then on: the database
opens behind it and a PIN typed meanwhile is kept), then, the PIN 2468 and Enter typed at once
(Grace Kim, manager, highlighted first), until today's list appears on home; the floor is the
bare app (Header, DataTable, Footer) started the same way, until its screen is painted. Memory: the peak resident size
(VmHWM) of a process running the signed-in app headless at the spa's scale after one lookup,
against the bare lookup app after the same raw FTS5 query.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from bench.dataset import cache_folder
from bench.floors import fts_copy, peak_kb
from bench.harness import Report
from bench.setting import Setting, signed_in_app

COLUMNS, ROWS = 100, 32
PIN = "2468"
SIGN_IN = re.compile(r"PIN")  # the sign-in's field: what is typed from now on is kept
TODAY = re.compile(r"appointments? today|No appointments today")
BARE = re.compile(r"ready")
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-_])")
TIMEOUT_S = 60.0
MEMORY_QUERY = "anna"


def demo_database() -> Path:
    """The demo spa (built once per schema head with `frontdesk demo --no-start`)."""
    from frontdesk.db import create_db_engine, head_revision

    engine = create_db_engine("sqlite://")
    path = cache_folder() / f"demo-{head_revision(engine)}.db"
    engine.dispose()
    if not path.exists():
        subprocess.run([sys.executable, "-m", "frontdesk", "demo", "--no-start", "--path", str(path)], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def in_pty(argv: list[str], steps: list[tuple[re.Pattern[str], str]]) -> list[float]:
    """Start `argv` in a pseudo-terminal; for each (text, keys): the seconds from the start until
    `text` is on the screen, then type `keys`. Quits with ctrl+q at the end."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal's size, then the program
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        os.execvpe(argv[0], argv, env)
    times: list[float] = []
    screen = ""
    try:
        for wanted, keys in steps:
            while not wanted.search(screen):
                if time.perf_counter() - started > TIMEOUT_S:
                    raise TimeoutError(f"{wanted.pattern!r} did not appear in {TIMEOUT_S:g} s: {screen[-300:]!r}")
                ready, _, _ = select.select([fd], [], [], 0.5)
                if ready:
                    try:
                        screen += ESCAPES.sub(" ", os.read(fd, 65536).decode("utf-8", "replace"))
                    except OSError:
                        raise RuntimeError(f"{argv} ended early: {screen[-300:]!r}") from None
            times.append(time.perf_counter() - started)
            screen = ""
            if keys:
                os.write(fd, keys.encode())
        os.write(fd, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                pid = 0
                break
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return times


def cold_start(report: Report, setting: Setting) -> None:
    demo = setting.scratch / "demo.db"
    app = [sys.executable, "-m", "frontdesk", "--db", f"sqlite:///{demo}"]
    floor = [sys.executable, "-m", "bench.floors", "app"]
    sign_in, home, bare = [], [], []
    shutil.copy(demo_database(), demo)
    in_pty(app, [(SIGN_IN, PIN + "\r"), (TODAY, "")])  # warm: the files read once are in the page cache
    in_pty(floor, [(BARE, "")])
    for _ in range(setting.rounds(10)):
        shutil.copy(demo_database(), demo)  # as built: no sign-in of a round before
        first, second = in_pty(app, [(SIGN_IN, PIN + "\r"), (TODAY, "")])
        sign_in.append(first)
        home.append(second)
        bare.append(in_pty(floor, [(BARE, "")])[0])
    base = statistics.median(bare)
    for label, samples, most in (("cold start → sign-in taking keys", sign_in, 1.5),
                                 ("cold start → PIN → today's list", home, 2.0)):
        value = statistics.median(samples)
        report.add(f"{label}: median", value * 1000, "ms median", baseline="bare Textual app painted (pty)",
                   baseline_value=base * 1000, target=f"≤ {most:g}× median", met=value / base <= most)


async def _app_memory(spa: Path, query: str) -> None:
    from frontdesk.screens.home import HomeScreen

    from bench.setting import Setting as _Setting

    app = signed_in_app(_Setting("0", spa, spa.parent).desk())
    async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
        while not isinstance(app.screen, HomeScreen):
            await pilot.pause()
        home = app.screen
        await pilot.press(*query)
        while home.shown_for != query or not home.results:
            await pilot.pause()


def _peak(argv: list[str]) -> int:
    result = subprocess.run(argv, capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1])


def memory(report: Report, setting: Setting) -> None:
    fts = fts_copy(setting.spa, setting.fts_path)
    app = [sys.executable, "-m", "bench.startup", "memory", str(setting.spa), MEMORY_QUERY]
    floor = [sys.executable, "-m", "bench.floors", "memory", str(fts), MEMORY_QUERY]
    samples, bare = [], []
    for _ in range(setting.rounds(5)):
        samples.append(_peak(app))
        bare.append(_peak(floor))
    value, base = statistics.median(samples) / 1024, statistics.median(bare) / 1024
    report.add(f"peak memory after a lookup ({setting.scale} customers)", value, "MB (VmHWM)",
               baseline="bare Textual app + raw FTS5 query", baseline_value=base, target="≤ 1.5×",
               met=value / base <= 1.5)


def run(report: Report, setting: Setting) -> None:
    cold_start(report, setting)
    memory(report, setting)


if __name__ == "__main__":
    if sys.argv[1:2] == ["memory"]:
        asyncio.run(_app_memory(Path(sys.argv[2]), sys.argv[3]))
        print(peak_kb())
    else:
        raise SystemExit("usage: python -m bench.startup memory SPA_DB QUERY")
