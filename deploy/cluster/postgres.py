"""The cluster's PostgreSQL: a primary made with initdb and a streaming replica made with
pg_basebackup, in the cluster's state directory, on 127.0.0.1 only (run as the postgres
account when the cluster runs as root: PostgreSQL refuses root). The primary archives its WAL
into state/wal-archive (gzip), for point-in-time recovery (pitr.py)."""

import contextlib
import glob
import os
import pwd
import signal
import subprocess
import time
from pathlib import Path

HOST = "127.0.0.1"
DB_NAME = "site_ordre_cluster"


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"{name} not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return found[-1]


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (subprocess.SubprocessError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


class PostgresMixin:
    """Needs self.state (a Path), self.ports, self.durable, self.pg_running and self.manage()."""

    def as_postgres(self, command: list[str]) -> list[str]:
        """PostgreSQL refuses to run as root: use the postgres account then."""
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def give_to_postgres(self, path: Path) -> Path:
        """Make a directory PostgreSQL's processes can write (they run as postgres under root)."""
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o755)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)
        return path

    def pg_dir(self, role: str) -> Path:
        return self.state / f"pg-{role}"

    @property
    def wal_archive(self) -> Path:
        return self.state / "wal-archive"

    def pg_ctl(self, role: str, action: str, mode: str = "fast", wait: int = 30) -> None:
        port = self.ports.primary if role == "primary" else self.ports.replica
        command = [pg_bin("pg_ctl"), "-D", str(self.pg_dir(role)), "-w", "-t", str(wait)]
        if action == "start":
            command += ["-l", str(self.state / f"pg-{role}.log"), "-o", f"-p {port} -k {self.state}", "start"]
        else:
            command += ["-m", mode, action]
        result = subprocess.run(self.as_postgres(command), capture_output=True, text=True, timeout=wait + 30)
        if result.returncode != 0:
            raise RuntimeError(
                f"pg_ctl {action} ({role}) failed: {result.stdout}{result.stderr}(log: {self.state / f'pg-{role}.log'})"
            )
        (self.pg_running.add if action == "start" else self.pg_running.discard)(role)

    def pg_stop(self, role: str, wait: int = 30) -> None:
        """Stop one PostgreSQL server: fast shutdown, then immediate, then SIGKILL to the postmaster."""
        for mode in ("fast", "immediate"):
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.pg_ctl(role, "stop", mode=mode, wait=wait)
                return
        pid_file = self.pg_dir(role) / "postmaster.pid"
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError, IndexError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        self.pg_running.discard(role)

    def pg_is_up(self, role: str) -> bool:
        try:
            self.psql(role, "SELECT 1", database="postgres")
            return True
        except (subprocess.SubprocessError, OSError):
            return False

    def psql(self, role: str, sql: str, database: str = DB_NAME) -> str:
        port = self.ports.primary if role == "primary" else self.ports.replica
        result = subprocess.run(
            [
                pg_bin("psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-h",
                HOST,
                "-p",
                str(port),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return result.stdout.strip()

    # --- PostgreSQL ----------------------------------------------------------------------

    def archive_settings(self) -> str:
        """WAL archiving: each finished segment gzipped into wal-archive (written aside, then renamed)."""
        if not self.archive:
            return "archive_mode = off\n"
        folder = self.give_to_postgres(self.wal_archive)
        part, done = f'"{folder}/%f.part"', f'"{folder}/%f.gz"'
        command = f'test ! -f {done} && gzip -1 < "%p" > {part} && mv {part} {done}'
        return f"archive_mode = on\narchive_command = '{command}'\narchive_timeout = 60\n"

    def init_primary(self, source_url: str | None) -> None:
        self.give_to_postgres(self.state)
        subprocess.run(
            self.as_postgres(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.pg_dir("primary")),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        settings = f"""
listen_addresses = '{HOST}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = {"on" if self.durable else "off"}
shared_buffers = 64MB
max_connections = 60
{self.archive_settings()}"""
        with open(self.pg_dir("primary") / "postgresql.auto.conf", "a") as conf:
            conf.write(settings)
        with open(self.pg_dir("primary") / "pg_hba.conf", "a") as hba:
            hba.write(f"host replication postgres {HOST}/32 trust\n")
        self.pg_ctl("primary", "start")
        self.psql("primary", f"CREATE DATABASE {DB_NAME}", database="postgres")
        if source_url:
            dump = subprocess.Popen([pg_bin("pg_dump"), "-Fc", "--no-owner", source_url], stdout=subprocess.PIPE)
            subprocess.run(
                [
                    pg_bin("pg_restore"),
                    "--no-owner",
                    "-h",
                    HOST,
                    "-p",
                    str(self.ports.primary),
                    "-U",
                    "postgres",
                    "-d",
                    DB_NAME,
                ],
                stdin=dump.stdout,
                check=True,
                capture_output=True,
                timeout=300,
            )
            if dump.wait(timeout=60) != 0:
                raise RuntimeError(f"pg_dump of {source_url} failed")
        elif not self.only_db:
            self.manage("migrate", "--noinput")
            self.manage("seed_site")

    def init_replica(self) -> None:
        subprocess.run(
            self.as_postgres(
                [
                    pg_bin("pg_basebackup"),
                    "-h",
                    HOST,
                    "-p",
                    str(self.ports.primary),
                    "-U",
                    "postgres",
                    "-D",
                    str(self.pg_dir("replica")),
                    "-R",
                    "-X",
                    "stream",
                    "--checkpoint=fast",
                    *([] if self.durable else ["--no-sync"]),
                ]
            ),
            check=True,
            capture_output=True,
            timeout=180,
        )
        self.pg_ctl("replica", "start")
        wait_for(lambda: self.psql("replica", "SELECT pg_is_in_recovery()") == "t", 30, "the replica")
