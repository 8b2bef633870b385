"""The cluster's PostgreSQL: a primary made with initdb and a streaming replica made with
pg_basebackup, in the cluster's temporary directory, on 127.0.0.1 only (run as the postgres
account when the cluster runs as root: PostgreSQL refuses root)."""

import glob
import os
import pwd
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

    def pg_dir(self, role: str) -> Path:
        return self.state / f"pg-{role}"

    def pg_ctl(self, role: str, action: str, mode: str = "fast") -> None:
        port = self.ports.primary if role == "primary" else self.ports.replica
        command = [pg_bin("pg_ctl"), "-D", str(self.pg_dir(role)), "-w", "-t", "30"]
        if action == "start":
            command += ["-l", str(self.state / f"pg-{role}.log"), "-o", f"-p {port} -k {self.state}", "start"]
        else:
            command += ["-m", mode, action]
        subprocess.run(self.as_postgres(command), check=True, capture_output=True, timeout=60)
        (self.pg_running.add if action == "start" else self.pg_running.discard)(role)

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

    def init_primary(self, source_url: str | None) -> None:
        os.chmod(self.state, 0o755)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.state, owner.pw_uid, owner.pw_gid)
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
"""
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
        else:
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
                ]
            ),
            check=True,
            capture_output=True,
            timeout=180,
        )
        self.pg_ctl("replica", "start")
        wait_for(lambda: self.psql("replica", "SELECT pg_is_in_recovery()") == "t", 30, "the replica")
