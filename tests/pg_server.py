"""A throwaway PostgreSQL 15 server for one test run: initdb + pg_ctl in a temporary folder,
listening on a free loopback port, removed when the run ends.

PostgreSQL refuses to run as root (CI runs as root), so under root the server's commands
run as the `postgres` system user (`make test` creates it if missing).
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("SHAHRAK_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="shahrak-pg-", dir="/tmp"))
        self.data = self.root / "data"
        self.port = 0
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args) -> None:
        command = [str(arg) for arg in args]
        if self.as_root:
            command = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}\n{tail}")

    def start(self) -> "PostgresServer":
        self._run(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        for _attempt in range(3):  # another worker may take the port between pick and bind
            self.port = _free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run(
                    PG_BIN / "pg_ctl", "-D", self.data, "-l", self.root / "server.log",
                    "-w", "-o", options, "start",
                )  # fmt: skip
                return self
            except RuntimeError:
                continue
        raise RuntimeError("could not start the test PostgreSQL server")

    def stop(self) -> None:
        try:
            self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
