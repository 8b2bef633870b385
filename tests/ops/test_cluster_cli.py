"""The cluster's command line on real processes: two checkouts side by side (own ports, own state
directories: `down` in one leaves the other running), `down` escalating TERM → KILL for its own
process groups only, logs kept and named after a crash, `up --keep` on the data a stopped cluster
left, and point-in-time recovery with PostgreSQL's own tools (pitr.py).

The clusters here start only PostgreSQL (primary + replica) and Redis (`up --only db`, an empty
database: a few seconds), so that the suite stays fast; `cluster.py drills` runs the full drill 9
on the whole site. Ports: CLUSTER_PORT_BASE (else 8150) + 20 and + 30, + 40 for the restore (the
smoke test uses the base itself, and may run at the same time on another worker).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.ops.test_cluster import missing_tools

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "deploy/cluster/cluster.py"]
BASE = int(os.environ.get("CLUSTER_PORT_BASE") or 8150)
STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(120)"
)


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def cli(*args: str, timeout: float = 120, python: str | None = None) -> subprocess.CompletedProcess:
    command = [python, CLI[1]] if python else CLI
    return subprocess.run(  # noqa: S603
        [*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def db_ports(base: int) -> tuple[int, int, int]:
    return base + 6, base + 7, base + 8  # primary, replica, Redis


def psql(port: int, sql: str) -> str:
    pg = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))[-1]
    result = subprocess.run(  # noqa: S603
        [str(pg), "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
        + ["-d", "site_ordre_cluster", "-c", sql],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip()


def launch(base: int, folder: Path, *extra: str) -> subprocess.Popen:
    """`up --only db` in the background (PostgreSQL without fsync: the data is thrown away)."""
    busy = [port for port in db_ports(base) if listening(port)]
    if busy:
        pytest.fail(f"ports in use before the run: {busy}")
    return subprocess.Popen(  # noqa: S603
        [*CLI, "up", "--only", "db", "--no-fsync", "--port-base", str(base), "--state-dir", str(folder)]
        + ["--seconds", "120", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def ready(process: subprocess.Popen, folder: Path) -> subprocess.Popen:
    """Wait until the run records itself as serving (databases up, first base backup taken)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        recorded = json.loads((folder / "cluster.json").read_text()) if (folder / "cluster.json").exists() else {}
        if (recorded.get("owner") or {}).get("pid") == process.pid and recorded.get("ready"):
            return process
        if process.poll() is not None:
            pytest.fail(f"up ended early:\n{process.stdout.read()}")
        time.sleep(0.2)
    process.kill()
    pytest.fail("the cluster did not come up in 60 s")


def start_db_cluster(base: int, folder: Path, *extra: str) -> subprocess.Popen:
    return ready(launch(base, folder, *extra), folder)


@pytest.fixture
def state_dirs():
    """State directories PostgreSQL (run as the postgres account under root) can reach: not under
    pytest's private tmp_path."""
    made = [Path(tempfile.mkdtemp(prefix="site_ordre_cluster_test_")) for _ in range(2)]
    yield made
    for folder in made:
        cli("down", "--state-dir", str(folder), "--timeout", "2", timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def tools():
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (.ci/run)")
        pytest.skip(f"the cluster needs {', '.join(missing)} (apt-get install {' '.join(missing)})")


def record(folder: Path, *processes: subprocess.Popen) -> None:
    """What a run leaves in its state directory (state.record), for processes made by the test."""
    from deploy.cluster.state import started_at

    groups = [{"pgid": p.pid, "name": f"stubborn{i}", "start": started_at(p.pid)} for i, p in enumerate(processes)]
    (folder / "cluster.json").write_text(
        json.dumps({"owner": None, "groups": groups, "ports": {}, "postgres": [], "only_db": True})
    )


def test_down_escalates_term_to_kill_and_stops_only_its_own_process_groups(state_dirs):
    mine, other = state_dirs
    processes = []
    for _ in range(2):
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", STUBBORN], start_new_session=True, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout.readline().strip() == "ready"  # TERM is ignored from here on
        processes.append(process)
    record(mine, processes[0])
    record(other, processes[1])
    try:
        started = time.monotonic()
        result = cli("down", "--state-dir", str(mine), "--timeout", "1")
        took = time.monotonic() - started
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"TERM to process group {processes[0].pid}" in result.stdout
        assert f"KILL to process group {processes[0].pid}" in result.stdout
        assert processes[0].wait(timeout=5) == -signal.SIGKILL
        assert processes[1].poll() is None, "down stopped another state directory's process"
        assert took < 15
    finally:
        for process in processes:
            process.kill()
            process.wait()


def test_two_checkouts_side_by_side_then_a_crash_keeps_the_logs_and_up_keep_restarts_on_the_data(tools, state_dirs):
    first, second = state_dirs
    a, b = launch(BASE + 20, first), launch(BASE + 30, second)
    ready(a, first), ready(b, second)
    psql(BASE + 30 + 6, "CREATE TABLE kept (body text); INSERT INTO kept VALUES ('written before the crash')")

    # any python3 runs the script: it starts again under the checkout's .venv
    system_python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else None
    status = cli("status", "--state-dir", str(first), python=system_python)
    python = next(line for line in status.stdout.splitlines() if line.startswith("python: "))[8:]
    assert Path(python).parent.parent.resolve() == (ROOT / ".venv").resolve(), status.stdout
    assert f"primary {BASE + 26}" in status.stdout and "running: yes" in status.stdout

    result = cli("down", "--state-dir", str(first))
    assert result.returncode == 0, result.stdout + result.stderr
    a.wait(timeout=30)
    assert [port for port in db_ports(BASE + 20) if listening(port)] == []
    assert b.poll() is None, "down in one state directory stopped the other cluster"
    assert all(map(listening, db_ports(BASE + 30)))

    # Redis of the second cluster crashes: up stops the rest, keeps the logs and says where
    redis = next(g for g in json.loads((second / "cluster.json").read_text())["groups"] if g["name"] == "redis")
    os.killpg(redis["pgid"], signal.SIGKILL)
    output = b.communicate(timeout=60)[0]
    assert b.returncode == 1, output
    assert "stopped by itself: redis" in output
    assert f"logs kept in {second}" in output
    assert (second / "redis.log").exists() and (second / "pg-primary.log").read_text()
    assert [port for port in db_ports(BASE + 30) if listening(port)] == []

    # up --keep starts again on the data the stopped cluster left
    again = start_db_cluster(BASE + 30, second, "--keep")
    assert psql(BASE + 36, "SELECT body FROM kept") == "written before the crash"
    result = cli("down", "--state-dir", str(second))
    assert result.returncode == 0, result.stdout
    again.wait(timeout=30)
    assert [port for port in db_ports(BASE + 30) if listening(port)] == []


def test_restore_to_a_time_brings_back_a_deleted_row_and_reports_the_rows_written_after(tools, state_dirs):
    folder = state_dirs[0]
    base = BASE + 40
    primary, replica, _redis = db_ports(base)
    up = start_db_cluster(base, folder)  # takes the first base backup
    try:
        psql(primary, "CREATE TABLE note (body text, created_at timestamptz DEFAULT now())")
        psql(primary, "INSERT INTO note (body) VALUES ('before the target')")
        time.sleep(0.5)
        target = psql(primary, "SELECT now()")
        time.sleep(0.5)
        psql(primary, "INSERT INTO note (body) VALUES ('after the target')")
        psql(primary, "INSERT INTO note (body) VALUES ('kept after the target')")
        psql(primary, "DELETE FROM note WHERE body != 'kept after the target'")  # the mistake

        refused = cli("pitr-restore", "--state-dir", str(folder), "--to", "2001-01-01 00:00")
        assert refused.returncode == 1 and "no base backup finished before" in refused.stdout

        result = cli("pitr-restore", "--state-dir", str(folder), "--to", target)
        assert result.returncode == 0, result.stdout + result.stderr
        assert psql(primary, "SELECT body FROM note") == "before the target"
        assert psql(replica, "SELECT pg_is_in_recovery()") == "t"  # rebuilt from the restored primary
        deadline = time.monotonic() + 10
        while psql(replica, "SELECT count(*) FROM note") != "1" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert psql(replica, "SELECT body FROM note") == "before the target"
        # the rows written after the target are reported: the one still there from the damaged
        # database, the one the mistake deleted from a scratch copy recovered to just before it
        assert "note: 1" in result.stdout
        report = json.loads(next((folder / "restores").glob("*/report.json")).read_text())
        assert [row["body"] for row in report["rows"]["note"]["rows"]] == ["kept after the target"]
        assert [row["body"] for row in report["rows_deleted_since"]["note"]["rows"]] == ["after the target"]
        assert report["written_after"]["note"] == {"inserted": 2, "deleted": 2}  # read from the archived WAL
        assert next((folder / "restores").glob("*/pg-primary-before/PG_VERSION"))
        # writes go on (a new timeline), and a new base backup was taken on it
        psql(primary, "INSERT INTO note (body) VALUES ('after the restore')")
        assert len(list((folder / "base-backups").glob("*.json"))) == 2
        # retention: the newest base backup kept, and the archived WAL it needs, nothing older
        kept = cli("pitr-backup", "--state-dir", str(folder), "--keep", "1")
        assert kept.returncode == 0, kept.stdout + kept.stderr
        [newest] = [json.loads(f.read_text()) for f in (folder / "base-backups").glob("*.json")]
        segments = [f.name[8:24] for f in (folder / "wal-archive").glob("*.gz") if len(f.name) == 27]
        assert segments and min(segments) == newest["start_wal"][8:]
    finally:
        cli("down", "--state-dir", str(folder))
        up.wait(timeout=30)


def test_two_backups_in_the_same_second_get_two_folders(tmp_path):
    """A restore takes a base backup and `pitr-backup` may follow within the second: never the same folder."""
    from deploy.cluster.pitr import fresh_stamp, utc_stamp

    (tmp_path / utc_stamp()).mkdir()
    (tmp_path / f"{utc_stamp()}.json").write_text("{}")
    stamp = fresh_stamp(tmp_path)
    assert not any(tmp_path.glob(f"{stamp}*"))
