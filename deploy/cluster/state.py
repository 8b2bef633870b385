"""What a running cluster leaves in its state directory (cluster.json), and stopping it from there.

One state directory per checkout (default <checkout>/.cluster): two checkouts never share a
record, so `down` in one stops only the process groups its own runs started. A process group is
identified by its leader's pid *and* start time (from /proc), so a pid reused by something else
after a reboot or a long pause is never signalled.
"""

import contextlib
import json
import os
import signal
import time
from dataclasses import asdict
from pathlib import Path

RECORD = "cluster.json"


def stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name: state, ppid, pgrp, … (None when there is no such process)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def started_at(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or None."""
    fields = stat_fields(pid)
    return fields[19] if fields else None


def running(pid: int, start: str | None) -> bool:
    """The same process (same start time) still runs (a zombie, dead but not yet reaped, does not)."""
    fields = stat_fields(pid)
    return bool(fields) and fields[19] == start and fields[0] != "Z"


def group_alive(pgid: int) -> bool:
    """Does any process of this group still run (zombies, dead but not yet reaped, do not count)?"""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def record(cluster, owner: int | None = None, ready: bool = False) -> None:
    """Write the cluster's ports, its process groups and the process that runs it (ready: serving)."""
    owner = owner or os.getpid()
    groups = [{"pgid": p.pid, "name": name, "start": started_at(p.pid)} for name, p in cluster.processes.items()]
    data = {
        "owner": {"pid": owner, "start": started_at(owner)},
        "groups": groups,
        "ports": asdict(cluster.ports),
        "postgres": sorted(cluster.pg_running),
        "only_db": cluster.only_db,
        "durable": cluster.durable,
        "ready": ready,
    }
    path = cluster.state / RECORD
    path.with_suffix(".tmp").write_text(json.dumps(data, indent=1))
    path.with_suffix(".tmp").replace(path)


def read(state: Path) -> dict | None:
    try:
        return json.loads((state / RECORD).read_text())
    except (OSError, ValueError):
        return None


def forget(state: Path) -> None:
    """Nothing runs any more; the ports stay recorded (for `up --keep`, `restart` and `status`)."""
    recorded = read(state)
    if recorded is not None:
        recorded.update(owner=None, groups=[], postgres=[], ready=False)
        (state / RECORD).write_text(json.dumps(recorded, indent=1))


def owner_alive(recorded: dict) -> bool:
    owner = recorded.get("owner") or {}
    pid = owner.get("pid")
    return bool(pid) and pid != os.getpid() and running(pid, owner.get("start"))


def live_groups(recorded: dict) -> list[dict]:
    """Recorded groups still running (whose leader is the recorded process, or is gone but left members)."""
    live = []
    for group in recorded.get("groups", []):
        start = started_at(group["pgid"])
        if start is not None and start != group.get("start"):
            continue  # the pid now belongs to another process: not ours
        if group_alive(group["pgid"]):
            live.append(group)
    return live


def wait_gone(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not check():
            return True
        time.sleep(0.1)
    return not check()


def stop_recorded(recorded: dict, timeout: float = 10, say=print) -> bool:
    """Stop the run that wrote `recorded`: its owner (which stops its cluster itself) first, then any
    process group still there, TERM then, after `timeout` seconds, KILL. True when all are gone."""
    if owner_alive(recorded):
        pid = recorded["owner"]["pid"]
        say(f"TERM to the cluster's own process {pid}")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not wait_gone(lambda: owner_alive(recorded), timeout + 15):
            say(f"KILL to {pid} (still running after TERM)")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    groups = live_groups(recorded)
    for group in groups:
        say(f"TERM to process group {group['pgid']} ({group['name']})")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group["pgid"], signal.SIGTERM)
    if groups and not wait_gone(lambda: live_groups(recorded), timeout):
        for group in live_groups(recorded):
            say(f"KILL to process group {group['pgid']} ({group['name']}): still running {timeout:.0f} s after TERM")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group["pgid"], signal.SIGKILL)
    left = [] if wait_gone(lambda: live_groups(recorded), 5) else live_groups(recorded)
    for group in left:
        say(f"still running after KILL: process group {group['pgid']} ({group['name']})")
    return not left
