"""A throwaway PostgreSQL server for the test suite.

Uses the server binaries of Debian's `postgresql` package (`pg_config --bindir`, or
/usr/lib/postgresql/*/bin). `pg_ctl` refuses to run as root, so as root the cluster belongs to
the `postgres` user. A machine without the binaries fails loudly: `make test` installs them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def server_bindir() -> Path:
    candidates: list[str] = []
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(result.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; `make test` installs Debian's "
        "postgresql package, or install it yourself"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    """A running cluster on 127.0.0.1:`port`; `url(db)` gives a psycopg URL."""

    bindir: Path
    root: Path
    port: int
    as_user: str | None

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise PostgresUnavailable(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{tail}")

    @classmethod
    def start(cls) -> PostgresServer:
        bindir = server_bindir()
        root = Path(tempfile.mkdtemp(prefix="frontdesk-pg-"))
        as_user = "postgres" if os.geteuid() == 0 else None
        if as_user:
            shutil.chown(root, user=as_user)
        server = cls(bindir=bindir, root=root, port=_free_port(), as_user=as_user)
        data = root / "data"
        server._run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "--no-locale", "--encoding=UTF8", "--no-sync")
        options = (f"-p {server.port} -k {root} -h 127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        server._run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                    str(root / "server.log"), "-w", "-t", "60", "start")
        return server

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
